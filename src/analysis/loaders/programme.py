"""A programme as the plan: exercises, sets, reps and loads without dates, repeated every week.

A coach's programme (``Exercise | Sets | Reps | Weight`` on sheets Push, Pull and Legs, or a CSV
``Day, Exercise, Sets, Reps, Weight`` with day labels) is not a log of training done: ``liftpace
check`` says so in one line (:mod:`analysis.loaders.sessions`). It is what the athlete was asked to
do every week, so :func:`read_programme` turns it into a plan frame
(:data:`analysis.loaders.plan.PLAN_COLUMNS`) with every exercise planned every week from
``program_start`` for ``weeks`` weeks, and :func:`analysis.loaders.plan.find_plan` offers it when no
workbook has a Plan sheet.

Cells
-----
sets
    A number (``4``); empty is one set.
reps
    ``8``, a range ``6-8`` (its lower end, noted), ``8 each`` (per side), ``45s`` (a hold: ``duration_s``),
    ``AMRAP`` (reps NA, noted).
load
    ``60 kg``, ``35kg``, ``135 lb``, a bare number (kg unless ``weight_unit``), ``BW`` (0);
    a share of 1RM (``75%``) gives NA with a note: the 1RM is not in the programme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.catalog import resolve_exercises
from analysis.errors import LogFormatError
from analysis.loaders import values as V
from analysis.loaders.sessions import is_programme
from analysis.periods import parse_day

__all__ = ["programme_rows", "read_programme"]

#: Weeks a programme is laid out over when no end is given (the reassessment keeps its blocks' weeks).
WEEKS = 104


def _grids(path: Path) -> dict[str | None, pd.DataFrame]:
    """The file's sheets (a CSV: one grid), read with the table reader's guards."""
    from analysis.loaders.table_files import WORKBOOK_SUFFIXES, csv_grid, read_workbook

    data = path.read_bytes()
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) or path.suffix.lower() in WORKBOOK_SUFFIXES:
        sheets, _ = read_workbook(path, data)
        return {str(name): _cells(grid) for name, grid in sheets.items()}
    return {None: _cells(csv_grid(path, data)[0])}


def _cells(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid as cells: a coded (categorical) column becomes its objects again.

    The table reader codes a CSV's columns once (:mod:`analysis.loaders.tables`); the programme
    reader sets and reduces cells, which a categorical refuses (an empty body's ``all``, a new
    value set into a column): fuzzed mutants found both.
    """
    coded = [c for c in grid.columns if isinstance(grid[c].dtype, pd.CategoricalDtype)]
    return grid.astype(dict.fromkeys(coded, object)) if coded else grid


def programme_rows(path: str | Path, *, weight_unit: str | None = None) -> pd.DataFrame:
    """The exercise rows of the programme tables in ``path`` (no rows when it has none).

    Returns
    -------
    DataFrame
        ``day`` (sheet name or day label), ``exercise_raw``, ``exercise`` (catalog key), ``sets``,
        ``reps`` (per set; NA for holds and AMRAP), ``load_kg`` (kg, 0 = bodyweight, NA when not
        given), ``duration_s`` (holds), ``note``, ``source_sheet``, ``source_row``.
    """
    from analysis.loaders.tables import find_header

    path = Path(path)
    parts = []
    for name, grid in _grids(path).items():
        grid = grid.dropna(axis=1, how="all")
        grid.columns = range(grid.shape[1])
        pos, fields, kind = find_header(grid)
        if kind != "sets" or pos is None:
            continue
        body = grid.iloc[pos + 1:]
        body = body[~body.apply(V.is_blank).all(axis=1)]
        if body.empty or not is_programme(body, fields):
            continue
        parts.append(_rows(body, fields, name, weight_unit or (fields.get("weight", (0, None))[1]) or "kg"))
    if not parts:
        return pd.DataFrame(columns=["day", "exercise_raw", "exercise", "sets", "reps", "load_kg", "duration_s",
                                     "note", "source_sheet", "source_row"])
    return pd.concat(parts, ignore_index=True)


def _rows(body: pd.DataFrame, fields: dict, sheet: str | None, unit: str) -> pd.DataFrame:
    def col(field: str) -> pd.Series:
        return body[fields[field][0]] if field in fields else pd.Series(None, index=body.index, dtype=object)

    names = V.as_text(col("exercise"))
    day = V.as_text(col("date")).fillna(sheet if sheet is not None else pd.NA)
    sets = V.parse_number(col("sets"), what="set count").value.fillna(1)
    text_reps = V.as_text(col("reps")).str.lower()
    ranged = text_reps.str.fullmatch(r"\s*\d+\s*[-–]\s*\d+\s*").fillna(False).astype(bool)
    reps = V.parse_reps(col("reps").where(~ranged, text_reps.str.extract(r"(\d+)", expand=False)))
    first = reps.reps_list.map(lambda t: t[0] if len(t) else np.nan).astype(float)
    sets = sets.where(reps.sets.isna(), reps.sets.astype("Float64"))
    raw_load = V.as_text(col("weight"))
    pct = raw_load.str.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*%\s*").fillna(False).astype(bool) | ("pct_1rm" in fields)
    load = V.parse_weight(col("weight").where(~pct), unit=unit).value
    note = pd.Series(pd.NA, index=body.index, dtype="string").mask(ranged, "rep range: its lower end planned")
    note = note.mask(reps.bad & text_reps.str.contains("amrap|max|failure", regex=True).fillna(False),
                     "as many reps as possible: reps left empty")
    note = note.mask(pct, "load written as a share of 1RM: the programme has no 1RM, load left empty")
    keep = names.notna()
    return pd.DataFrame(
        {
            "day": day[keep].astype("string").to_numpy(),
            "exercise_raw": names[keep].to_numpy(),
            "exercise": resolve_exercises(names[keep].reset_index(drop=True))["exercise"].to_numpy(),
            "sets": pd.array(sets[keep].round().to_numpy(dtype=float, na_value=np.nan), dtype="Float64"),
            "reps": pd.array(first[keep].to_numpy(), dtype="Float64"),
            "load_kg": pd.array(load.where(~pct)[keep].to_numpy(dtype=float, na_value=np.nan), dtype="Float64"),
            "duration_s": pd.array(reps.duration_s[keep].to_numpy(dtype=float, na_value=np.nan), dtype="Float64"),
            "note": note[keep].to_numpy(),
            "source_sheet": sheet,
            "source_row": (body.index[keep.to_numpy()] + 1).to_numpy(),
        }
    )


def read_programme(path: str | Path, *, program_start: Any, weeks: int = WEEKS, athlete: str | None = None,
                   weight_unit: str | None = None) -> pd.DataFrame:
    """A programme as a weekly plan: every exercise of it planned in every week from ``program_start``.

    Parameters
    ----------
    path : str or Path
        A workbook or CSV whose strength tables have no dates (see the module docstring).
    program_start : date-like
        Any day of the first week; the plan's weeks start on the Monday of that week.
    weeks : int, default=104
        Weeks laid out (the reassessment keeps the weeks of its blocks).
    athlete : str, default=None
        The athlete the programme is for; None (NA): everyone.
    weight_unit : {"kg", "lb"}, default=None
        Unit of bare load numbers; None: the header's, else kg.

    Returns
    -------
    DataFrame
        :data:`analysis.loaders.plan.PLAN_COLUMNS`, one row per week and programme row (an exercise
        on two days keeps both rows; the reassessment compares the first).

    Raises
    ------
    LogFormatError
        If ``path`` has no programme table.
    """

    path = Path(path)
    rows = programme_rows(path, weight_unit=weight_unit)
    if rows.empty:
        raise LogFormatError(f"{path.name}: expected a programme (Exercise, Sets, Reps ... without dates), "
                             "found none.", path=str(path))
    day = parse_day(program_start, "program_start", func="read_programme")
    start = day - pd.Timedelta(days=day.day_of_week)
    n = len(rows)
    week = np.repeat(np.arange(1, weeks + 1), n)
    out = {
        "athlete": pd.array([athlete] * (n * weeks), dtype="string"),
        "week": pd.array(week, dtype="Int64"),
        "week_start": pd.Series(start + pd.to_timedelta(7 * (week - 1), "D"), dtype="datetime64[us]"),
        "program_start": pd.Series([start] * (n * weeks), dtype="datetime64[us]"),
        **{c: np.tile(rows[c].to_numpy(), weeks) for c in ("exercise", "exercise_raw", "sets", "reps", "load_kg",
                                                         "duration_s", "note", "source_sheet", "source_row")},
        "source_file": path.name,
        "phase": pd.NA,  # a programme without dates names no phase
    }
    frame = pd.DataFrame(out)
    return pd.DataFrame({c: frame[c].astype(t) for c, t in C.PLAN.items()})

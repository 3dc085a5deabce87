"""The training plan of a coach workbook: a "Plan" (or "Program") sheet in wide layout.

Layout
------
One row per exercise and one column per week: ``Exercise | Week 1 | Week 2 | ...`` (a header
cell may also be a date, the Monday of that week). A cell is one session's prescription:
``3x12 @ BW``, ``3 x 10 @ 16kg``, ``3 x 8-10 @ 20 kg`` (a rep range is read as its lower end),
``3x10/leg @ 16kg`` (per side), ``3x30s`` (a hold), or blank (not planned that week). Sets,
reps and load are read with :func:`analysis.loaders.values.parse_reps` and
:func:`analysis.loaders.values.parse_weight` (``BW`` = 0 kg external load).

Week
    ``week`` is 1-based from ``program_start``, the Monday of the program's first week: by
    default the Monday of the first logged date in the same workbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.catalog import resolve_exercises
from analysis.errors import LogFormatError
from analysis.loaders.programme import programme_rows, read_programme
from analysis.loaders.values import as_text, parse_duration, parse_reps, parse_weight
from analysis.periods import parse_day

__all__ = ["PLAN_COLUMNS", "find_plan", "read_plan"]

#: Columns of a plan frame, in order.
PLAN_COLUMNS = C.PLAN  # the schema, defined once in analysis.columns
_SHEET = re.compile(r"plan|program|programme", re.IGNORECASE)
_WEEK = re.compile(r"^\s*(?:week|wk|w)\s*\.?\s*(\d{1,2})\s*$", re.IGNORECASE)
_HOLD = re.compile(r"^\s*(?P<sets>\d+)\s*[x×*]\s*(?P<hold>[^@]+?)\s*(?:@\s*(?P<load>.+))?$", re.I)
_XLSX = (".xlsx", ".xlsm", ".xls", ".ods")
_BAD = "not a prescription (expected e.g. 3x10 @ 20kg, 3x12 @ BW, 3x30s)"


def _monday(day: pd.Timestamp) -> pd.Timestamp:
    return day - pd.Timedelta(days=day.day_of_week)


def _header_row(raw: pd.DataFrame) -> int:
    for i in range(min(len(raw), 10)):
        first = as_text(raw.iloc[[i], 0]).iloc[0]
        if isinstance(first, str) and first.strip().lower() in ("exercise", "exercises"):
            return i
    return 0


def _week_columns(header: pd.Series) -> dict[int, tuple[int | None, pd.Timestamp | None]]:
    """Column position -> (week number, week start) for week headers."""
    out: dict[int, tuple[int | None, pd.Timestamp | None]] = {}
    for pos, cell in enumerate(header.tolist()):
        if pos == 0 or cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        match = _WEEK.match(str(cell))
        if match:
            out[pos] = (int(match.group(1)), None)
        elif isinstance(cell, pd.Timestamp | np.datetime64) or hasattr(cell, "isoformat"):
            out[pos] = (None, _monday(parse_day(cell, str(cell))))
    return out


def _parse_cells(text: pd.Series) -> pd.DataFrame:
    """sets, reps, load_kg, duration_s and note per prescription cell (vectorised)."""
    reps = parse_reps(text)
    sets = reps.sets.astype("Float64")
    first = reps.reps_list.map(lambda t: t[0] if len(t) else np.nan).astype("Float64")
    load = parse_weight(reps.load.fillna(""))
    holds = text.str.extract(_HOLD)
    secs = parse_duration(holds["hold"].astype("string")).value.astype("Float64")
    is_hold = reps.bad & holds["sets"].notna() & secs.notna()
    hold_load = parse_weight(holds["load"].astype("string").fillna(""))
    sets = sets.mask(is_hold, pd.to_numeric(holds["sets"], errors="coerce"))
    load_kg = load.value.mask(is_hold, hold_load.value)
    bad = reps.bad & ~is_hold
    note = pd.Series(pd.NA, index=text.index, dtype="string").mask(bad, _BAD)
    return pd.DataFrame(
        {
            "sets": sets.round().astype("Int64"),
            "reps": first.round().astype("Int64").mask(is_hold | bad),
            "load_kg": load_kg.astype("Float64").mask(bad),
            "duration_s": secs.where(is_hold).astype("Float64"),
            "note": note,
        }
    )


def read_plan(
    path: str | Path,
    *,
    program_start: Any = None,
    sheet: str | None = None,
    athlete: str | None = None,
) -> pd.DataFrame:
    """Read the wide Plan sheet of a workbook into a tidy plan frame.

    Parameters
    ----------
    path : str or Path
        An .xlsx/.xlsm/.xls/.ods workbook.
    program_start : date-like, default=None
        Any day of the program's first week; default the first logged date of the workbook
        (it is then read with :func:`analysis.read_logs`).
    sheet : str, default=None
        Sheet name; default the first sheet whose name contains plan, program or programme.
    athlete : str, default=None
        Athlete the plan is for; None (NA): every athlete.

    Returns
    -------
    DataFrame
        One row per exercise and planned week (blank cells skipped), in sheet order, with
        :data:`PLAN_COLUMNS`: ``athlete``; ``week`` (1-based, NA for a date header);
        ``week_start`` (Monday); ``program_start`` (Monday of week 1); ``exercise`` (catalog
        key); ``exercise_raw``; ``sets`` and ``reps`` (per session; reps NA for holds);
        ``load_kg`` (kg, 0 = bodyweight, NA when not given); ``duration_s`` (s, holds);
        ``note`` (why a cell could not be read, else NA); ``source_file``, ``source_sheet``,
        ``source_row`` (the row as Excel shows it).

    Raises
    ------
    LogFormatError
        If the file is not a workbook (or the loaders' guards refuse it), has no plan sheet (or not ``sheet``), the sheet has no
        ``Week n`` columns, or ``program_start`` is None and the workbook has no dated log.
    ValueError
        If ``program_start`` is not a date.

    Notes
    -----
    Cell spellings are in the module docstring. An unreadable cell stays as a row with NA
    sets and its reason in ``note``: nothing is dropped silently.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = openpyxl.Workbook()
    ...     book.active.title = "Plan"
    ...     book.active.append(["Exercise", "Week 1", "Week 2"])
    ...     book.active.append(["Goblet Squat", "3 x 10 @ 16kg", "3x8 @ 18 kg"])
    ...     book.active.append(["Plank", "3x30s", None])
    ...     book.save(Path(tmp) / "plan.xlsx")
    ...     plan = read_plan(Path(tmp) / "plan.xlsx", program_start="2026-09-02")
    >>> plan[["week", "week_start", "exercise", "sets", "reps", "load_kg", "duration_s"]]
       week week_start      exercise  sets  reps  load_kg  duration_s
    0     1 2026-08-31  goblet_squat     3    10     16.0        <NA>
    1     2 2026-09-07  goblet_squat     3     8     18.0        <NA>
    2     1 2026-08-31         plank     3  <NA>     <NA>        30.0
    """
    path = Path(path)
    return _plan_of(path, _grids(path), program_start=program_start, sheet=sheet, athlete=athlete)


def _plan_of(path: Path, grids: dict[str, pd.DataFrame], *, program_start: Any, sheet: str | None,
             athlete: str | None) -> pd.DataFrame:
    """:func:`read_plan` on the sheets of a workbook already read."""
    raw, wanted = _plan_sheet(path, grids, sheet)
    top = _header_row(raw)
    weeks = _week_columns(raw.iloc[top])
    if not weeks:
        raise LogFormatError(
            f"{path.name}, sheet {wanted!r}: expected week columns such as 'Week 1', got "
            f"{[str(c) for c in raw.iloc[top].tolist()]} instead.",
            path=str(path),
        )
    start = _program_start(path, program_start)
    body = raw.iloc[top + 1 :]
    label = as_text(body.iloc[:, 0]).str.strip().str.lower()
    is_phase = label.isin(["phase", "block", "phase / block", "training phase"]).to_numpy(dtype=bool)
    phases = _week_phases(body[is_phase], weeks)
    cells = _planned_cells(body[~is_phase], weeks, first_row=top + 2, rows=np.flatnonzero(~is_phase))
    frame = _plan_frame(cells, weeks, start, athlete=athlete, file=path.name, sheet=wanted)
    frame["phase"] = pd.array(cells["pos"].map(phases).to_numpy(dtype=object), dtype="string")
    return frame[list(PLAN_COLUMNS)]


def _week_phases(rows: pd.DataFrame, weeks: dict) -> dict[int, str]:
    """The phase of each week column from a ``Phase`` (or ``Block``) row: the coach's word read by
    :func:`analysis.phases.phase_name`; a merged cell (blank after a name) carries the name on."""
    from analysis.periods import phase_name

    out: dict[int, str] = {}
    if rows.empty:
        return out
    current = None
    for pos in sorted(weeks):
        cell = rows.iloc[0, pos]
        named = phase_name(cell) if not (cell is None or (isinstance(cell, float) and np.isnan(cell))) else None
        current = named if named is not None else (current if as_text(pd.Series([cell])).isna().all() else None)
        if current is not None:
            out[pos] = current
    return out


def _plan_frame(cells: pd.DataFrame, weeks: dict, start: pd.Timestamp, *, athlete: str | None, file: str,
                sheet: str) -> pd.DataFrame:
    """The plan frame (:data:`PLAN_COLUMNS`) of the planned cells: weeks placed from ``start``."""
    parsed = _parse_cells(cells["cell"].astype("string"))
    number = np.array([weeks[p][0] if weeks[p][0] is not None else -1 for p in cells["pos"]])
    given = [weeks[p][1] for p in cells["pos"]]
    week_start = [
        g if g is not None else start + pd.Timedelta(weeks=int(n) - 1)
        for n, g in zip(number, given, strict=True)
    ]
    n = len(cells)
    return pd.DataFrame(
        {
            "athlete": pd.array([athlete] * n, dtype="string"),
            "week": pd.arrays.IntegerArray(np.maximum(number, 0), number <= 0),
            "week_start": pd.Series(week_start, dtype="datetime64[us]"),
            "program_start": pd.Series([start] * n, dtype="datetime64[us]"),
            "exercise": resolve_exercises(cells["exercise_raw"])["exercise"].astype("string"),
            "exercise_raw": cells["exercise_raw"].astype("string"),
            **{c: parsed[c] for c in ("sets", "reps", "load_kg", "duration_s", "note")},
            "source_file": pd.array([file] * n, dtype="string"),
            "source_sheet": pd.array([sheet] * n, dtype="string"),
            "source_row": pd.array(cells["row"].to_numpy(), dtype="Int64"),
        }
    )


def _grids(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of the workbook at ``path``, read through the loaders' guards."""
    from analysis.loaders.table_files import read_workbook_file

    if not path.is_file() or not _is_workbook(path):
        raise LogFormatError(
            f"{path.name}: expected an existing workbook ({', '.join(_XLSX)}) with a Plan sheet, "
            "got something else instead.",
            path=str(path),
        )
    return read_workbook_file(path)[0]  # a damaged or hostile workbook: the guards' message


def _is_workbook(path: Path) -> bool:
    """Whether the file's first bytes are a workbook's (zip or OLE2), whatever its name."""
    with path.open("rb") as fh:
        head = fh.read(8)
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))


def _plan_sheet(path: Path, grids: dict[str, pd.DataFrame], sheet: str | None) -> tuple[pd.DataFrame, str]:
    """The plan sheet's cells (no header) and its name; a workbook without one refused."""
    names = [str(n) for n in grids]
    wanted = sheet or next((n for n in names if _SHEET.search(n)), None)
    if wanted is None or wanted not in names:
        raise LogFormatError(
            f"{path.name}: expected a sheet named like Plan or Program, got sheets {names} "
            "instead.",
            path=str(path),
        )
    return grids[wanted], wanted


def _planned_cells(body: pd.DataFrame, weeks: dict, *, first_row: int, rows: np.ndarray | None = None) -> pd.DataFrame:
    """One row per exercise and week column with a prescription: ``exercise_raw``, ``pos``
    (the week column), ``row`` (as Excel shows it) and ``cell`` (text); blank cells left out."""
    names_col = as_text(body.iloc[:, 0])
    long = pd.DataFrame(
        {
            "exercise_raw": np.repeat(names_col.to_numpy(dtype=object), len(weeks)),
            "pos": np.tile(list(weeks), len(body)),
            "row": np.repeat(first_row + (np.arange(len(body)) if rows is None else rows), len(weeks)),
            "cell": body.iloc[:, list(weeks)].to_numpy(dtype=object).ravel(),
        }
    )
    long = long.assign(cell=as_text(long["cell"]))
    return long[long["cell"].notna() & long["exercise_raw"].notna()].reset_index(drop=True)


def _program_start(path: Path, program_start: Any) -> pd.Timestamp:
    if program_start is not None and not pd.isna(program_start):
        day = parse_day(program_start, "program_start", func="read_plan")
        return _monday(day)
    from analysis.loaders import read_logs

    try:
        log = read_logs(path)
        first = pd.concat([log.sets["date"], log.runs["date"]]).min()
    except LogFormatError:
        first = pd.NaT
    if pd.isna(first):
        raise LogFormatError(
            f"{path.name}: expected logged dates to place 'Week 1', got none instead; pass "
            "program_start=.",
            path=str(path),
        )
    return _monday(parse_day(first, "first logged date"))


def find_plan(
    paths: Iterable[str | Path] | str | Path, *, program_start: Any = None
) -> pd.DataFrame:
    """The plan of the first workbook among ``paths`` that has a plan sheet, else of the first
    programme (exercises, sets and reps without dates: :func:`analysis.loaders.programme.read_programme`,
    planned every week), else an empty plan.

    Parameters
    ----------
    paths : path or iterable of paths
        Log files, as given to :func:`analysis.read_logs`; files that are not workbooks (by
        content, whatever their name) are skipped, and so are workbooks the loaders' guards
        refuse or cannot read (``read_logs`` reports those).
    program_start : date-like, default=None
        Passed to :func:`read_plan`; for a programme, the first week of the plan (None: the first
        date logged in the other files).

    Returns
    -------
    DataFrame
        As :func:`read_plan`; no rows (same columns) when no workbook has a plan sheet.

    Raises
    ------
    LogFormatError
        As :func:`read_plan`, for a plan sheet that cannot be read.

    Examples
    --------
    >>> find_plan(["runs.csv"]).columns.tolist()[:4]
    ['athlete', 'week', 'week_start', 'program_start']
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    for item in items:
        path = Path(item)
        if not path.is_file() or not _is_workbook(path):
            continue
        try:  # the same guards as read_logs: a refused or damaged workbook is reported there, not here
            grids = _grids(path)
        except LogFormatError:
            continue
        if any(_SHEET.search(str(n)) for n in grids):
            return _plan_of(path, grids, program_start=program_start, sheet=None, athlete=None)
    for item in items:  # no Plan sheet: a programme without dates is the plan of every week
        path = Path(item)
        if path.suffix.lower() not in (*_XLSX, ".csv", ".txt", ".tsv") or not path.is_file():
            continue
        try:
            if programme_rows(path).empty:
                continue
        except LogFormatError:
            continue
        start = program_start if program_start is not None else _first_logged([p for p in items if p is not item])
        if start is None:
            raise LogFormatError(f"{path.name}: a programme without dates; expected logged dates in the other "
                                 "files to place its weeks, got none instead; pass program_start=.", path=str(path))
        return read_programme(path, program_start=start)
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in PLAN_COLUMNS.items()})


def _first_logged(paths: list) -> pd.Timestamp | None:
    """The first date logged in ``paths`` (files that cannot be read are left out), else None."""
    from analysis.loaders import read_logs

    if not paths:
        return None
    log = read_logs(*paths, errors="report")
    first = pd.concat([log.sets["date"], log.runs["date"]]).min()
    return None if pd.isna(first) else first

"""Coach workbooks with a sheet per session, and programmes: sheets of sets without dates.

:mod:`analysis.loaders.tables` reads a sheet through its header row. Two session layouts have no
header it can read, so they are rewritten here as a long table (``Date | Exercise | Reps |
Weight``) that goes through the same reading steps, with every problem still naming the cell of
the original sheet:

paired columns
    ``Bench press, weight | Bench press, count | Pull-ups, weight | Pull-ups, count`` in row 1,
    one row per set below (columns of different lengths: an exercise with fewer sets leaves its
    cells empty). The field after the last comma is ``weight``/``load``/``kg``/``lbs`` (the
    weight), ``count``/``reps`` (the reps) or ``time``/``seconds`` (a hold).
set cells
    No header: the exercise in the first column, then one cell per set written ``reps x weight``
    (``5x175``; ``175x5`` when the first number is over 30 and the second is not), a date
    written alone on a row above the exercises, or the sheet named by its date.

A programme (``Exercise | Sets | Reps | Weight`` for push, pull and legs, or ``Day | Exercise |
...`` with day labels such as ``Mon`` or ``Day 1``) has no dates: it says what to do, not what
was done. Its rows are counted as skipped ``programme (no dates)`` and the file gets one
``kept`` problem saying so; :func:`analysis.loaders.plan.find_plan` offers it as the plan.

The date of a sheet without a date column is its name when the name is a date
(``27.08.2020``, ``2020-08-27``, ``27-08-2020``); the names of a workbook are read day-first or
month-first together. A source row of the long table keeps the sheet row (its index is
``row * ROW_SCALE + k``, ``k`` the exercise's place on the row), so the problems of the reading
steps name the sheet's row and the header of the cell (``Bench press, weight``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.loaders import values as V
from analysis.loaders.base import Options
from analysis.loaders.table_rows import Sheet

__all__ = [
    "MAXES",
    "PROGRAMME",
    "ROW_SCALE",
    "Programmes",
    "Rewritten",
    "SessionSheet",
    "is_programme",
    "paired_columns",
    "read_maxes",
    "set_cells",
    "sheet_dates",
    "with_date_column",
]

#: The skipped class of a programme's rows (exercises, sets and reps without dates).
PROGRAMME = "programme (no dates)"
#: The skipped class of the rows of a table of maxes (Exercise | 1RM), used for loads written as % of 1RM.
MAXES = "1RM table (for % of 1RM loads)"

#: Long-table index = sheet row position * ROW_SCALE + the exercise's place on the row.
ROW_SCALE = 1000
_NAME_DATE = re.compile(r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\s*$")
_PAIRED = re.compile(r"^(?P<name>.+?)\s*,\s*(?P<field>[^,]+?)\s*$")
_PAIR_FIELDS = {
    "weight": "weight", "load": "weight", "kg": "weight", "kgs": "weight", "lb": "weight", "lbs": "weight",
    "count": "reps", "reps": "reps", "rep": "reps", "repetitions": "reps", "times": "reps",
    "time": "duration", "seconds": "duration", "secs": "duration", "sec": "duration", "duration": "duration",
}  # fmt: skip
_CELL = re.compile(r"^\s*(?P<a>\d{1,4}(?:[.,]\d+)?)\s*[x×*]\s*(?P<b>\d{1,4}(?:[.,]\d+)?)\s*(?P<unit>kgs?|lbs?)?\s*$", re.I)
HEADER = ["Date", "Exercise", "Reps", "Weight", "Seconds"]


def sheet_dates(names: list[str | None], options: Options) -> dict[str, pd.Timestamp]:
    """The sheets named by a date, and that date (read day-first or month-first for the whole book)."""
    dated = [n for n in names if n is not None and _NAME_DATE.match(str(n))]
    if not dated:
        return {}
    parsed, _ = V.parse_dates(pd.Series([str(n).strip() for n in dated], dtype=object), dayfirst=options.dayfirst)
    return {n: d.normalize() for n, d in zip(dated, parsed.value, strict=True) if not pd.isna(d)}


@dataclass
class Rewritten:
    """A sheet rewritten as a long table: the grid (header in row 0), and per long-table column the
    label of the original cell of each exercise (``labels[field][k]``)."""

    grid: pd.DataFrame
    labels: dict[str, list[str]]
    layout: str
    blank_rows: int = 0
    note: str | None = None  # said once for the sheet (``kept``)


def paired_columns(grid: pd.DataFrame, date: pd.Timestamp | None) -> Rewritten | None:
    """The paired-columns layout (``Bench press, weight | Bench press, count``), else None."""
    if grid.empty or date is None:
        return None
    header = [str(c).strip() if not V.is_blank(pd.Series([c])).iloc[0] else "" for c in grid.iloc[0].tolist()]
    pairs: dict[str, dict[str, int]] = {}
    for pos, cell in enumerate(header):
        m = _PAIRED.match(cell)
        field = _PAIR_FIELDS.get(m["field"].lower()) if m else None
        if m and field:
            pairs.setdefault(m["name"], {})[field] = pos
    if not pairs or sum(len(p) for p in pairs.values()) < 0.5 * sum(1 for h in header if h):
        return None
    body = grid.iloc[1:]
    blank = body.apply(V.is_blank).to_numpy(dtype=bool) if not body.empty else np.zeros((0, grid.shape[1]), bool)
    values = body.to_numpy(dtype=object)
    rows, index = [], []
    labels: dict[str, list[str]] = {"Exercise": [], "Reps": [], "Weight": [], "Seconds": []}
    for cols in pairs.values():
        labels["Exercise"].append(header[next(iter(cols.values()))])
        labels["Reps"].append(header[cols["reps"]] if "reps" in cols else "Reps")
        labels["Weight"].append(header[cols["weight"]] if "weight" in cols else "Weight")
        labels["Seconds"].append(header[cols["duration"]] if "duration" in cols else "Seconds")
    for pos, label in enumerate(body.index):
        for k, (name, cols) in enumerate(pairs.items()):
            if all(blank[pos, c] for c in cols.values()):
                continue
            cells = {f: values[pos, c] for f, c in cols.items()}
            rows.append([date, name, cells.get("reps"), cells.get("weight"), cells.get("duration")])
            index.append(int(label) * ROW_SCALE + k)
    used = sorted({c for cols in pairs.values() for c in cols.values()})
    n_blank = int(blank[:, used].all(axis=1).sum()) if len(body) else 0
    return Rewritten(_long(rows, index), labels, "a sheet per session", n_blank)


def set_cells(grid: pd.DataFrame, date: pd.Timestamp | None) -> Rewritten | None:
    """The headerless layout of one cell per set (``Squat | 5x175 | 5x175 | 3x185``), else None."""
    if grid.empty or grid.shape[1] < 2 or not _any_text_matches(grid.iloc[:, 1:], _CELL):
        return None
    cells = grid.iloc[:, 1:].apply(lambda col: V.as_text(col).str.fullmatch(_CELL.pattern, case=False))
    cells = cells.fillna(False).astype(bool)
    filled = ~grid.iloc[:, 1:].apply(V.is_blank)
    if int(cells.to_numpy().sum()) < 2 or cells.to_numpy().sum() < 0.6 * filled.to_numpy().sum():
        return None
    if date is None and not V.parse_dates(grid.iloc[:, 0])[0].value.notna().any():
        return None  # no date anywhere: not a log of sessions
    first = grid.iloc[:, 0]
    alone = (filled.sum(axis=1) == 0).to_numpy()
    day = V.parse_dates(first.where(alone & ~V.is_blank(first)))[0].value.to_numpy()
    names = V.as_text(first).to_numpy(dtype=object, na_value=None)
    texts = grid.iloc[:, 1:].apply(V.as_text).to_numpy(dtype=object, na_value=None)
    raw = grid.iloc[:, 1:].to_numpy(dtype=object)
    is_cell, has = cells.to_numpy(dtype=bool), filled.to_numpy(dtype=bool)
    current, rows, index = date, [], []
    width = grid.shape[1] - 1
    letters = [f"column {_column_letter(k + 1)}" for k in range(width)]
    labels = {"Exercise": ["column A"] * width, "Reps": letters, "Weight": letters, "Seconds": letters}
    for pos, label in enumerate(grid.index):
        if alone[pos] and not pd.isna(day[pos]):
            current = pd.Timestamp(day[pos]).normalize()
            continue
        for k in range(width):
            if not is_cell[pos, k]:
                if has[pos, k]:  # a cell that is not "reps x weight": its own row, read and reported
                    rows.append([current, names[pos], raw[pos, k], None, None])
                    index.append(int(label) * ROW_SCALE + k)
                continue
            m = _CELL.match(str(texts[pos, k]))
            assert m is not None  # matched above
            a, b = float(m["a"].replace(",", ".")), float(m["b"].replace(",", "."))
            reps, weight = (b, a) if a > 30 and b <= 30 else (a, b)
            rows.append([current, names[pos], reps, f"{weight:g}{m['unit'] or ''}", None])
            index.append(int(label) * ROW_SCALE + k)
    note = ("no header: the exercise is read from column A and each cell after it as one set written reps x "
            "weight (5x175 is 5 reps at 175; 175x5 when only the second number is 30 or less)")
    return Rewritten(_long(rows, index), labels, "one cell per set (reps x weight)", note=note)


def _long(rows: list[list], index: list[int]) -> pd.DataFrame:
    """The long table: the header in row 0 (index -1), then one row per set cell."""
    head = pd.DataFrame([HEADER], columns=range(len(HEADER)), index=[-1], dtype=object)
    body = pd.DataFrame(rows, columns=range(len(HEADER)), index=index, dtype=object)
    return pd.concat([head, body]) if rows else head


def _column_letter(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class SessionSheet(Sheet):
    """The problems of a rewritten sheet: long-table rows mapped back to the sheet's rows, and the
    reading steps' column names (``Weight``) to the header of the original cell."""

    def __init__(self, sheet: Sheet, labels: dict[str, list[str]]) -> None:
        super().__init__(sheet.path, sheet.source_sheet, sheet.result, {})
        self.labels = labels

    def add(self, rows, column, value, problem, action) -> None:
        if not isinstance(rows, pd.Series):
            rows = pd.Series(rows if isinstance(rows, list) else [rows], dtype=object)
        if rows.empty:
            return
        long_rows = pd.to_numeric(rows, errors="coerce")
        sheet_rows = ((long_rows - 1) // ROW_SCALE + 1).astype("Int64")
        k = ((long_rows - 1) % ROW_SCALE).astype("Int64")
        names = self.labels.get(column or "")
        if names is None or k.isna().all():
            Sheet.add(self, sheet_rows if long_rows.notna().any() else rows, column, value, problem, action)
            return
        values = value if isinstance(value, pd.Series) else pd.Series([value] * len(rows), index=rows.index)
        texts = problem if isinstance(problem, pd.Series) else pd.Series([problem] * len(rows), index=rows.index)
        for place in pd.unique(k.dropna()):
            pick = (k == place).fillna(False).to_numpy(dtype=bool)
            Sheet.add(self, sheet_rows[pick], names[int(place)], values[pick] if value is not None else None,
                      texts[pick], action)


def with_date_column(grid: pd.DataFrame, hpos: int, date: pd.Timestamp) -> pd.DataFrame:
    """The grid with a ``Date`` column holding the sheet's date on every non-blank row below the header."""
    out = grid.copy()
    col = out.shape[1]
    filled = ~out.apply(V.is_blank).all(axis=1)
    out[col] = pd.Series([None] * len(out), index=out.index, dtype=object)
    below = filled & (pd.RangeIndex(len(out)) > hpos)
    out.loc[below.to_numpy(), col] = date
    out.loc[out.index[hpos], col] = "Date"
    return out


def is_programme(data: pd.DataFrame, fields: dict) -> bool:
    """A strength table with no dates: no date column, or one holding day labels only (``Mon``,
    ``Day 1``, ``Push A``) and not one readable date."""
    if "date" not in fields:
        return True
    cells = data[fields["date"][0]]
    written = ~V.is_blank(cells)
    if not written.any():
        return False  # an empty date column: the rows are reported as undated, as before
    return bool(V.parse_dates(cells[written])[0].value.isna().all())


@dataclass
class Programmes:
    """The programme tables found in one file (sheet, number of exercise rows), said once per file."""

    sheets: list[tuple[str | None, int]] = field(default_factory=list)
    text: list[tuple[str | None, int]] = field(default_factory=list)  # programmes written as text

    def add(self, sheet: str | None, data: pd.DataFrame, fields: dict, result) -> None:
        self.sheets.append((sheet, len(data)))
        result.skipped[PROGRAMME] += len(data)

    def add_text(self, sheet: str | None, n_cells: int, n_rows: int, result) -> None:
        self.text.append((sheet, n_cells))
        result.skipped[PROGRAMME] += n_rows

    def note(self, problems) -> None:
        """One ``kept`` problem for the whole file: what was found, and what to do with it."""
        for found, tabular in ((self.sheets, True), (self.text, False)):
            if not found:
                continue
            n = sum(k for _, k in found)
            named = [s for s, _ in found if s is not None]
            where = f" on {'sheet' if len(named) == 1 else 'sheets'} {', '.join(repr(s) for s in named)}" if named else ""
            if tabular:
                text = (f"a training programme, not a log: {n} exercise rows with sets and reps but no dates{where}; "
                        "nothing was loaded from it as training done. It is offered as the plan to compare the logs "
                        "with (analysis.loaders.plan.find_plan; liftpace report uses it)")
            else:
                text = (f"a training programme written as text, not a log: {n} cells of the form 'exercise 3 x 8-12' "
                        f"and no dates{where}; nothing was loaded from it. To use it as the plan, write it as a table "
                        "(Exercise, Sets, Reps, Weight)")
            problems.add(None, None, None, text, "kept")


#: A programme cell written as text: an exercise, then sets x reps (a range allowed).
_TEXT_PRESCRIPTION = r"^\s*[^\d\s].*?[a-zA-Z].*?\s+\d{1,2}\s*[xX×]\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?\b.*$"


_TEXT_PRESCRIPTION_RE = re.compile(_TEXT_PRESCRIPTION)


def _any_text_matches(grid: pd.DataFrame, pattern: re.Pattern) -> bool:
    """Whether a text cell of ``grid``, stripped, matches ``pattern`` at its start: a check over the
    distinct cells before the column-wise one (only text can match the layouts' patterns, which need
    an ``x`` between numbers; numbers, dates and times written as text never do)."""
    cells = pd.unique(grid.to_numpy(dtype=object).ravel())
    return any(isinstance(v, str) and pattern.match(v.strip()) is not None for v in cells)


def text_programme(grid: pd.DataFrame) -> tuple[int, int] | None:
    """``(cells, rows)`` of a sheet that is a programme written as text (cells such as ``Barbell Flat
    Bench Press 3 x 8 -12``, no dates), else None."""
    if grid.empty or not _any_text_matches(grid, _TEXT_PRESCRIPTION_RE):
        return None
    texts = grid.apply(V.as_text)
    hits = texts.apply(lambda col: col.str.match(_TEXT_PRESCRIPTION).fillna(False)).astype(bool)
    n = int(hits.to_numpy().sum())
    if n < 3 or V.parse_dates(grid.iloc[:, 0])[0].value.notna().any():
        return None
    return n, int((~grid.apply(V.is_blank).all(axis=1)).sum())


def read_maxes(grid: pd.DataFrame, hpos: int, fields: dict, sheet: str | None,
               options: Options) -> dict[str, tuple[float, str]]:
    """``{catalog key: (1RM in kg, where)}`` from a table of maxes (``Exercise | 1RM (kg)``)."""
    from analysis import catalog as cat

    body = grid.iloc[hpos + 1:]
    names = V.as_text(body[fields["exercise"][0]])
    col, unit = fields["one_rm"]
    kg = V.parse_weight(body[col], unit=unit or options.weight_unit or "kg").value
    ok = names.notna() & kg.notna() & (kg > 0)
    keys = cat.resolve_exercises(names[ok].reset_index(drop=True))["exercise"]
    where = f"sheet {sheet!r}" if sheet is not None else "the 1RM table"
    return {str(k): (float(v), where) for k, v in zip(keys, kg[ok], strict=True)}

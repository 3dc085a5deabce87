"""Test days: a coach's reassessment battery from a "Tests" sheet of a workbook, or a tests CSV.

Layout
------
One row per athlete, test day, test and side, in any column order; the header may sit anywhere
in the first 30 rows (title rows above it are skipped)::

    Athlete | Date       | Test                 | Side | Result | Unit
    Ana     | 2026-09-01 | Single-leg squat     | L    | 14     | reps
            |            | Single-leg squat     | R    | 12 reps|
            |            | Countermovement jump |      | 32.5 cm|
            |            | Wall sit             |      | 1:45   |
            |            | 5 km time trial      |      | 24:10  |

Headers are matched loosely (case, punctuation, a unit in brackets: ``Result (cm)``): athlete
(Athlete, Name, Runner ...), date (Date, Day, Test date ...), test (Test, Test name, Assessment,
Exercise ...), side (Side, Leg, L/R ...), result (Result, Score, Value, Best ...), unit (Unit,
Units). ``Left`` and ``Right`` columns may stand in for (or sit next to) Side and Result: each
filled cell is a result for that side. Test, a result column and Date are required.

Cells
-----
Result
    ``14``, ``14 reps``, ``32.5 cm``, ``32,5`` (decimal comma), ``1.65 m``, ``45 s``, ``2 min``,
    ``1:45`` and ``24:10`` (m:ss), ``0:24:10``, ``24'10"``, ``1 min 45 s``, ``1:45 hold``, and
    Excel time cells. Excel reads a typed ``1:45`` as 1 h 45 min: a time cell of whole minutes
    that is too long for the test (a hold over 30 min, a 5 km over 90 min) is read as m:ss
    instead, with a ``fixed`` problem.
Unit
    A unit written in the result cell wins over the Unit column (a disagreement is a ``kept``
    problem), which wins over the header's unit, which wins over the test's own unit. Units are
    ``reps``; ``s`` (also sec, min, h, mm:ss); ``cm`` (also mm, in); ``m`` (also km). A known
    test is converted to its unit (a hop in m to cm, a ``fixed`` problem); a unit of another kind
    (a hop in seconds) drops the row. A bare number for a 5 km time trial too small to be seconds
    but plausible as minutes (``24``) is read as minutes (``fixed``).
Side
    ``L``, ``R``, ``left``, ``right``, ``both``, ``B``; blank is the side named in the test
    (``Single-leg hop (L)``), else ``both``.
Athlete, Date
    A blank cell below a filled one is carried down (one ``fixed`` problem per column and
    sheet). Without an Athlete column every row is ``athlete`` (default: the file's stem, with a
    ``kept`` problem). Dates as in :func:`analysis.loaders.values.parse_dates`.

Tests
-----
A test name is read to a key by :data:`TEST_NAMES` (first match wins): ``time_trial_5k`` (5 km,
5k, 5000 m, parkrun), ``countermovement_jump`` (CMJ, vertical jump, jump height),
``single_leg_hop`` (a hop for distance; not triple, crossover, side or timed hops), ``side_plank``
(side plank or bridge), ``wall_sit`` (wall sit or squat), ``single_leg_calf_raise`` (calf or heel
raise), ``step_up``, ``single_leg_squat`` (single-leg, SL or pistol squat). Their results must lie
in :data:`TEST_BOUNDS`. Any other name is kept, keyed by its words without the side (``Plank
(front)`` -> ``plank_front``), with a ``kept`` problem.

Rows
----
Every row below the header ends as tests (one per filled result cell), a ``dropped`` problem
(no test name, no result, a bad date, side, result or unit, an implausible value), or is skipped
as blank, a header repeat or a title/section row (text but neither a test nor a result).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import values as V
from analysis.loaders.base import MAX_FILE_BYTES, decode, problem_frame, sniff_delimiter
from analysis.loaders.guards import binary_kind
from analysis.loaders.headers import ALIASES
from analysis.loaders.table_files import read_workbook
from analysis.loaders.testcells import (
    BILATERAL_TESTS,
    LABELS,
    LENGTH_CM,
    LONGEST_S,
    TEST_BOUNDS,
    TEST_NAMES,
    UNIT_HELP,
    UNITS,
    expected_range,
    hm,
    ms,
    parse_results,
    side_in_name,
    test_keys,
    unit_of,
)

__all__ = [
    "BILATERAL_TESTS", "TESTS_COLUMNS", "TESTS_SHEET", "TEST_BOUNDS", "TEST_NAMES", "find_tests",
    "is_tests_sheet", "read_tests", "test_keys",
]

#: Columns of a tests table, in order (:data:`analysis.columns.TEST_RESULTS`).
TESTS_COLUMNS: dict[str, str] = C.TEST_RESULTS

#: Sheet names read as a tests sheet (when the sheet also has a tests header).
TESTS_SHEET = re.compile(
    r"^\s*(?:tests?|testing|test[\s_-]*(?:days?|battery|results?)|battery|(?:re)?assessments?)\b", re.I
)
#: Header cells of a training log (sets, a load, an effort): a sheet with them is not a tests sheet.
_LOG_HEADER = r"^\s*(?:sets?|set\s*(?:no|number|#)|weight|load|kg|lbs?|rpe|rir)\b"
_XLSX = (".xlsx", ".xlsm", ".xls", ".ods")
_BOOK_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_HEADER_SCAN_ROWS = 30

_FIELDS: dict[str, tuple[str, ...]] = {
    "athlete": ALIASES["athlete"],
    "date": (*ALIASES["date"], "test date", "test day", "testing date"),
    "test": ("test", "tests", "test name", "assessment", "test item", "item", "exercise", "movement",
             "battery"),
    "side": ALIASES["side"],
    "result": ("result", "results", "score", "value", "best", "best result", "measure", "measurement",
               "outcome", "performance", "reps", "time", "distance", "height"),
    "unit": ("unit", "units", "uom", "unit of measure"),
    "left": ("left", "l", "left leg", "left side", "lt"),
    "right": ("right", "r", "right leg", "right side", "rt"),
}
_LOOKUP = {alias: field for field, names in _FIELDS.items() for alias in names}

_NO_SIDE = "not a side (expected L, R, left, right, both or B)"


def _norm(cell: object) -> str:
    return re.sub(r"[^0-9a-z#/]+", " ", str(cell).strip().lower()).strip()


def _header_cell(cell: object) -> tuple[str | None, str | None]:
    """``(field, unit)`` of one header cell; ``(None, None)`` when it is not ours."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None, None
    raw = str(cell).strip().lower()
    unit = None
    m = re.search(r"[\(\[]([^\)\]]*)[\)\]]", raw)
    if m:
        unit = UNITS.get(m.group(1).strip().replace(" ", ""), (None, 1.0))[0]
        raw = raw[: m.start()] + " " + raw[m.end():]
    base = _norm(raw).replace("/", " ")
    if base in _LOOKUP:
        return _LOOKUP[base], unit
    words = base.split(" ")
    if len(words) > 1 and words[-1] in UNITS and " ".join(words[:-1]) in _LOOKUP:
        return _LOOKUP[" ".join(words[:-1])], unit or UNITS[words[-1]][0]
    return None, None


def _find_header(grid: pd.DataFrame) -> tuple[int, dict[str, tuple[int, str | None]]] | None:
    for i in range(min(len(grid), _HEADER_SCAN_ROWS)):
        fields: dict[str, tuple[int, str | None]] = {}
        for pos, cell in enumerate(grid.iloc[i].tolist()):
            field, unit = _header_cell(cell)
            if field and field not in fields:
                fields[field] = (pos, unit)
        if "test" in fields and fields.keys() & {"result", "left", "right"}:
            return i, fields
    return None


def is_tests_sheet(name: object, grid: pd.DataFrame) -> bool:
    """Whether a workbook sheet is a tests sheet: named like :data:`TESTS_SHEET`, with a header
    naming Test, Date and a result (Result, or Left and Right) in its first rows, and no column of
    a training log (Set, Weight, Load, RPE).

    Examples
    --------
    >>> grid = pd.DataFrame([["Athlete", "Date", "Test", "Result"], ["Ana", "2026-09-01", "CMJ", 31]])
    >>> is_tests_sheet("Tests", grid), is_tests_sheet("Ana", grid), is_tests_sheet("Tests", grid.iloc[1:])
    (True, False, False)
    """
    if not isinstance(name, str) or not TESTS_SHEET.search(name):
        return False
    found = _find_header(grid)
    if found is None or "date" not in found[1]:
        return False
    header = pd.Series(grid.iloc[found[0]].to_numpy(dtype=object), dtype=object)
    return not V.as_text(header).str.contains(_LOG_HEADER, case=False, regex=True).fillna(False).any()


is_tests_sheet.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _read_grid(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str | None, list[str]]:
    """The cells of the tests sheet (or CSV), its sheet name (None for a CSV) and notes."""
    if not path.is_file():
        raise LogFormatError(f"{path}: no such file.", path=str(path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LogFormatError(f"{path.name}: {size / 1e6:.0f} MB is over liftpace's limit of "
                             f"{MAX_FILE_BYTES / 1e6:.0f} MB per file.", path=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise LogFormatError(f"{path.name}: the file is empty; nothing to load.", path=str(path))
    if data.startswith(_BOOK_MAGIC):
        grid, name = _book_grid(path, data, sheet)
        return grid, name, []
    kind = binary_kind(data[:64])
    if kind is not None:
        raise LogFormatError(f"{path.name}: is {kind}, not a tests table; liftpace reads a Tests sheet "
                             "of an .xlsx, .xlsm, .xls or .ods workbook, or a CSV file.", path=str(path))
    notes = [f"named {path.suffix} but is a text (CSV) file; read as CSV"] if path.suffix.lower() in _XLSX else []
    text, _ = decode(data, path=path)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except csv.Error as exc:
        raise LogFormatError(f"{path.name}: not a readable CSV file ({exc}).", path=str(path)) from None
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object), None, notes


def _book_grid(path: Path, data: bytes, sheet: str | None) -> tuple[pd.DataFrame, str]:
    """The tests sheet's cells, after :func:`~analysis.loaders.guards.inspect_workbook` passed the file."""
    sheets, _ = read_workbook(path, data)  # the guards first; read once per report (cached)
    names = [str(n) for n in sheets]
    wanted = sheet if sheet is not None else next((n for n in names if TESTS_SHEET.search(n)), None)
    if wanted is None or wanted not in names:
        what = f"a sheet named {sheet!r}" if sheet is not None else "a sheet named like Tests or Test days"
        raise LogFormatError(f"{path.name}: expected {what}, got sheets {names} instead.", path=str(path))
    return sheets[wanted], wanted


def read_tests(
    path: str | Path,
    sheet: str | None = None,
    *,
    athlete: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a coach's test results (a Tests sheet or a tests CSV) into a tests table.

    Parameters
    ----------
    path : str or Path
        A workbook (.xlsx, .xlsm, .xls, .ods; told apart by content) or a CSV file.
    sheet : str, default=None
        Sheet name; default the first sheet named like Tests, Testing, Test days, Battery or
        (Re)assessment. Ignored for a CSV.
    athlete : str, default=None
        Athlete of the rows when the table has no Athlete column; default the file's stem.
    dayfirst : bool, default=None
        Day-first text dates; None decides from the column (as :func:`analysis.read_logs`).

    Returns
    -------
    tests : DataFrame
        One row per result, in sheet order, with :data:`TESTS_COLUMNS`: ``athlete``; ``date``
        (the day); ``test`` (key, :data:`TEST_NAMES`, or the words of an unknown name);
        ``test_raw`` (as written); ``side`` (``left``, ``right`` or ``both``); ``value``
        (Float64, in ``unit``); ``unit`` (``reps``, ``s``, ``cm`` or ``m``; NA for an unknown
        test given without one); ``source_file``, ``source_sheet`` (NA for a CSV),
        ``source_row`` (the row as the spreadsheet shows it).
    problems : DataFrame
        The canonical problems columns (:data:`analysis.columns.PROBLEMS`), one row per cell
        that was not taken as written, naming file, sheet, row, column (the header as written)
        and value.

    Raises
    ------
    LogFormatError
        If the file is missing, empty, binary, unsafe or damaged; has no tests sheet (or not
        ``sheet``); or the table has no header with Test, Result (or Left/Right) and Date.

    Notes
    -----
    Layout, cell spellings, known tests and row accounting are in the module docstring.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = openpyxl.Workbook()
    ...     book.active.title = "Tests"
    ...     book.active.append(["Athlete", "Date", "Test", "Side", "Result"])
    ...     book.active.append(["Ana", "2026-09-01", "Single-leg hop", "L", "152 cm"])
    ...     book.active.append(["Ana", "2026-09-01", "5k time trial", None, "24:10"])
    ...     book.save(Path(tmp) / "coach.xlsx")
    ...     tests, problems = read_tests(Path(tmp) / "coach.xlsx")
    >>> tests[["test", "side", "value", "unit", "source_row"]]
                 test  side   value unit  source_row
    0  single_leg_hop  left   152.0   cm           2
    1   time_trial_5k  both  1450.0    s           3
    >>> len(problems)
    0
    """
    path = Path(path)
    grid, name, notes = _read_grid(path, sheet)
    found = _find_header(grid)
    where = f"sheet {name!r}" if name is not None else "the table"
    if found is None or "date" not in found[1]:
        top = found[0] if found else 0
        got = [str(c).strip() for c in grid.iloc[top].tolist() if not V.is_blank(pd.Series([c], dtype=object)).iloc[0]] \
            if len(grid) else []
        raise LogFormatError(
            f"{path.name}, {where}: expected a header with Date, Test and Result (or Left and Right) "
            f"columns, such as Athlete | Date | Test | Side | Result | Unit, got {got} instead.",
            path=str(path),
        )
    top, fields = found
    header = [str(c).strip() for c in grid.iloc[top].tolist()]
    reader = _Sheet(path.name, name, header, fields, athlete if athlete is not None else path.stem,
                    guessed_athlete=athlete is None)
    for text in notes:
        reader.problem(None, None, None, text, "kept")
    tests = reader.read(grid.iloc[top + 1:].reset_index(drop=True), first_row=top + 2, dayfirst=dayfirst)
    return tests, reader.problems()


read_tests.__test__ = False  # type: ignore[attr-defined]  # a reader, not a pytest test


class _Sheet:
    """One tests table being read: its header, the fate of its rows and the problems found."""

    def __init__(self, file: str, sheet: str | None, header: list[str], fields: dict, athlete: str,
                 *, guessed_athlete: bool) -> None:
        self.file, self.sheet, self.header, self.fields = file, sheet, header, fields
        self.athlete, self.guessed_athlete = athlete, guessed_athlete
        self._problems: list[pd.DataFrame] = []

    def title(self, field: str) -> str:
        """The header of ``field`` as written in the table."""
        return self.header[self.fields[field][0]] or field.capitalize()

    def problem(self, rows: pd.Series | list | None, column: pd.Series | str | None,
                value: pd.Series | None, text: pd.Series | str, action: str) -> None:
        """Problem rows for ``rows`` (nothing for an empty Series); Series are aligned with ``rows``."""
        if isinstance(rows, pd.Series) and rows.empty:
            return
        frame = problem_frame(source_file=self.file, source_sheet=self.sheet, source_row=rows,
                              column=None if isinstance(column, pd.Series) else column,
                              value=value, problem=text, action=action)
        if isinstance(column, pd.Series):
            frame["column"] = pd.array(column.to_numpy(dtype=object), dtype="string")
        self._problems.append(frame)

    def problems(self) -> pd.DataFrame:
        """The problems found, in row order (a note on the whole file first)."""
        if not self._problems:
            return C.empty(C.PROBLEMS)
        out = pd.concat(self._problems, ignore_index=True)
        order = np.argsort(out[C.SOURCE_ROW].fillna(0).to_numpy(dtype=np.int64), kind="stable")
        return out.iloc[order].reset_index(drop=True)

    def col(self, body: pd.DataFrame, field: str) -> pd.Series:
        """The cells of ``field`` (all None when the table has no such column)."""
        pos = self.fields[field][0] if field in self.fields else body.shape[1]
        if pos >= body.shape[1]:
            return pd.Series(None, index=body.index, dtype=object)
        return body.iloc[:, pos]

    def read(self, body: pd.DataFrame, *, first_row: int, dayfirst: bool | None) -> pd.DataFrame:
        """The tests table of the rows below the header (``first_row``: the first one's number)."""
        rows = pd.Series(np.arange(first_row, first_row + len(body)), index=body.index)
        blank = pd.Series(np.logical_and.reduce([V.is_blank(body[c]).to_numpy() for c in body.columns]),
                          index=body.index) if body.shape[1] else pd.Series(True, index=body.index)
        live = ~blank & ~self._header_repeats(body)
        test_raw = V.as_text(self.col(body, "test"))
        result_fields = [f for f in ("result", "left", "right") if f in self.fields]
        filled = {f: ~V.is_blank(self.col(body, f)) for f in result_fields}
        any_result = pd.Series(np.logical_or.reduce([filled[f].to_numpy() for f in result_fields]), index=body.index)
        data = live & (test_raw.notna() | any_result)
        no_result = data & test_raw.notna() & ~any_result
        self.problem(rows[no_result], self.title(result_fields[0]), None, "no result on this row", "dropped")
        no_test = data & test_raw.isna()
        self.problem(rows[no_test], self.title("test"), None, "no test name on this row", "dropped")
        keep = data & ~no_result & ~no_test
        athletes = self._athletes(body, rows, data)
        dates, good_date = self._dates(body, rows, data, keep, dayfirst)
        keep = keep & good_date
        sides, good_side = self._sides(body, rows, keep & filled.get("result", False), test_raw)
        keys, known = test_keys(test_raw)
        cells = self._long(body, rows, keep, result_fields, sides, filled, good_side)
        at = cells["at"].to_numpy(dtype=np.int64)
        # a test on both legs (a jump, a wall sit, a time trial) written under Left or Right alone
        lone = (filled.get("left", False) ^ filled.get("right", False)) if "left" in filled or "right" in filled \
            else pd.Series(False, index=body.index)
        both = (cells["column"].ne(self.title("result")) if "result" in self.fields else pd.Series(True, index=cells.index)) \
            & keys.isin(BILATERAL_TESTS).to_numpy(dtype=bool)[at] & np.asarray(lone, dtype=bool)[at]
        cells.loc[both.to_numpy(dtype=bool), "side"] = "both"
        out = pd.DataFrame({
            C.ATHLETE: athletes.to_numpy(dtype=object)[at],
            C.DATE: dates.to_numpy()[at],
            "test": keys.to_numpy(dtype=object)[at],
            "test_raw": test_raw.to_numpy(dtype=object)[at],
            C.SIDE: cells["side"].to_numpy(dtype=object),
            "known": known.to_numpy(dtype=bool)[at],
            "raw": cells["raw"].to_numpy(dtype=object),
            "column": cells["column"].to_numpy(dtype=object),
            "unit_cell": self.col(body, "unit").to_numpy(dtype=object)[at],
            C.SOURCE_ROW: cells["row"].to_numpy(dtype=np.int64),
        })
        out = self._values(out)
        return C.conform(out.assign(**{C.SOURCE_FILE: self.file, C.SOURCE_SHEET: self.sheet}), TESTS_COLUMNS)

    def _header_repeats(self, body: pd.DataFrame) -> pd.Series:
        """Rows that repeat the header (a table pasted twice)."""
        hit = pd.Series(True, index=body.index)
        for field, (pos, _) in self.fields.items():
            text = V.as_text(self.col(body, field)).map(lambda t: _norm(t) if isinstance(t, str) else "")
            hit &= text.eq(_norm(self.header[pos])).to_numpy(dtype=bool)
        return hit

    def _carry(self, values: pd.Series, blank: pd.Series, rows: pd.Series, data: pd.Series,
               field: str) -> pd.Series:
        """Blank cells of data rows carried down from the last value above (noted once)."""
        carried = values.ffill()
        took = blank & data & carried.notna()
        if took.any():
            self.problem([int(rows[took].iloc[0])], self.title(field), None,
                         f"{field} left blank on {int(took.sum())} rows; each carried down from the last "
                         f"{field} above it", "fixed")
        return carried.where(blank, values)

    def _athletes(self, body: pd.DataFrame, rows: pd.Series, data: pd.Series) -> pd.Series:
        if "athlete" not in self.fields:
            if self.guessed_athlete and data.any():
                self.problem([int(rows[data].iloc[0])], None, None,
                             f"no Athlete column; every row read as athlete {self.athlete!r} (the file's name)",
                             "kept")
            return pd.Series(self.athlete, index=body.index, dtype="string")
        names = V.as_text(self.col(body, "athlete")).str.replace(r"\s+", " ", regex=True)
        carried = self._carry(names, names.isna(), rows, data, "athlete")
        return carried.fillna(self.athlete).astype("string")

    def _dates(self, body: pd.DataFrame, rows: pd.Series, data: pd.Series, keep: pd.Series,
               dayfirst: bool | None) -> tuple[pd.Series, pd.Series]:
        raw = self.col(body, "date")
        parsed, note = V.parse_dates(raw, dayfirst=dayfirst)
        bad = parsed.bad & keep
        self.problem(rows[bad], self.title("date"), raw[bad], parsed.reason[bad], "dropped")
        fixed = parsed.fixed & keep
        self.problem(rows[fixed], self.title("date"), raw[fixed], parsed.reason[fixed], "fixed")
        if note and parsed.first_ambiguous is not None:
            self.problem([int(rows[parsed.first_ambiguous])], self.title("date"), None, note, "kept")
        days = parsed.value.dt.normalize()
        carried = self._carry(days, V.is_blank(raw), rows, data, "date")
        missing = keep & ~bad & carried.isna()
        self.problem(rows[missing], self.title("date"), None, "no date on this row or above it", "dropped")
        return carried, ~bad & ~missing

    def _sides(self, body: pd.DataFrame, rows: pd.Series, judged: pd.Series,
               test_raw: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Side of the Result cells (the Side column, else the side named in the test, else both)
        and whether it could be read (``judged``: the rows whose side matters)."""
        named = side_in_name(test_raw)
        if "side" not in self.fields:
            return named.fillna("both"), pd.Series(True, index=body.index)
        raw = self.col(body, "side")
        parsed = V.parse_side(raw)
        bad = parsed.bad & judged
        self.problem(rows[bad], self.title("side"), raw[bad], _NO_SIDE, "dropped")
        return parsed.value.astype("string").fillna(named).fillna("both"), ~bad

    def _long(self, body: pd.DataFrame, rows: pd.Series, keep: pd.Series, result_fields: list[str],
              sides: pd.Series, filled: dict[str, pd.Series], good_side: pd.Series) -> pd.DataFrame:
        """One row per filled result cell of the kept rows: ``at`` (body position), ``row``, ``side``,
        ``raw`` (the cell) and ``column`` (its header), in row then column order."""
        parts = []
        for order, field in enumerate(result_fields):
            take = (keep & filled[field] & (good_side if field == "result" else True)).to_numpy(dtype=bool)
            side = sides if field == "result" else pd.Series(field, index=body.index, dtype="string")
            parts.append(pd.DataFrame({
                "at": np.flatnonzero(take), "order": order, "row": rows.to_numpy()[take],
                "side": side.to_numpy(dtype=object)[take], "raw": self.col(body, field).to_numpy(dtype=object)[take],
                "column": self.title(field),
            }))
        cells = pd.concat(parts, ignore_index=True)
        return cells.sort_values(["at", "order"], kind="stable").reset_index(drop=True)

    def _values(self, out: pd.DataFrame) -> pd.DataFrame:
        """Results read, given their unit and checked; rows that cannot be used reported and dropped."""
        rows = out[C.SOURCE_ROW]
        parsed = parse_results(pd.Series(out["raw"].to_numpy(dtype=object), dtype=object))
        value, cell_unit, factor, excel_time, bad, note = (s.set_axis(out.index) for s in parsed)
        col_unit, col_factor, col_bad = unit_of(pd.Series(out["unit_cell"].to_numpy(dtype=object), dtype=object))
        col_unit, col_factor, col_bad = (s.set_axis(out.index) for s in (col_unit, col_factor, col_bad))
        head = {self.title(f): self.fields[f][1] for f in ("result", "left", "right") if f in self.fields}
        head_unit = out["column"].map(head).astype("string")
        test_unit = out["test"].map({k: u for k, (_, u) in TEST_NAMES.items()}).astype("string")
        # the unit: the cell's, else the Unit column's, else the header's, else the test's own
        conflict = cell_unit.notna() & col_unit.notna() & (cell_unit != col_unit).fillna(False)
        unit = cell_unit.fillna(col_unit).fillna(head_unit)
        from_test = unit.isna() & test_unit.notna()
        unit = unit.fillna(test_unit)
        factor = factor.where(cell_unit.notna(), col_factor.fillna(1.0))
        bad_unit = bad.isna() & cell_unit.isna() & col_bad
        value = value * factor
        scaled = (factor != 1.0) & value.notna()
        note[scaled] = "converted to " + unit[scaled].astype(str)
        length = (out["known"] & unit.isin(list(LENGTH_CM)) & test_unit.isin(list(LENGTH_CM))
                  & (unit != test_unit).fillna(False))
        value[length] = (value[length] * unit[length].map(LENGTH_CM).astype(float)
                     / test_unit[length].map(LENGTH_CM).astype(float))
        note[length] = unit[length].astype(str) + " converted to " + test_unit[length].astype(str)
        unit[length] = test_unit[length]
        wrong = out["known"] & (unit != test_unit).fillna(False)
        # Excel's h:mm reading of a typed m:ss, and bare minutes, for tests in seconds
        low = out["test"].map({k: b[0] for k, b in TEST_BOUNDS.items()}).astype(float)
        high = out["test"].map({k: b[1] for k, b in TEST_BOUNDS.items()}).astype(float).fillna(LONGEST_S)
        clock = excel_time & (unit == "s").fillna(False) & ~wrong & (np.abs(value / 60 - np.round(value / 60)) < 1e-3) \
            & (value > high) & (value / 60 <= high)
        note[clock] = ("Excel read this as hours:minutes (" + (value[clock] / 3600).map(hm).astype("string") + "); read as "
                       "minutes:seconds (" + (value[clock] / 60).map(ms).astype("string") + ")")
        value[clock] = value[clock] / 60
        minutes = out["known"] & from_test & (test_unit == "s").fillna(False) & ~excel_time \
            & (value < low) & (value * 60 >= low) & (value * 60 <= high)
        note[minutes] = "a bare number too small to be seconds; read as minutes"
        value[minutes] = value[minutes] * 60
        outside = out["known"] & ((value < low) | (value > high)).fillna(False)
        negative = ~out["known"] & (value < 0).fillna(False)
        names = out["test"].map(LABELS).fillna(out["test"]).astype(str)
        reason = bad.copy()
        reason[bad_unit & reason.isna()] = ("unit " + out["unit_cell"].astype(str).str.strip()
                                            + f" not read ({UNIT_HELP})")[bad_unit & reason.isna()]
        reason[wrong & reason.isna()] = ("a result in " + unit.astype(str) + " does not fit " + names
                                         + " (measured in " + test_unit.astype(str) + ")")[wrong & reason.isna()]
        expected = out["test"].map({k: expected_range(k) for k in TEST_BOUNDS}).astype(str)
        reason[outside & reason.isna()] = ("implausible for " + names + " (expected " + expected
                                           + ")")[outside & reason.isna()]
        reason[negative & reason.isna()] = "a negative result"
        drop = reason.notna()
        self.problem(rows[drop], out["column"][drop], out["raw"][drop], reason[drop], "dropped")
        keep = ~drop
        shown = note.notna() & keep
        self.problem(rows[shown], out["column"][shown], out["raw"][shown], note[shown], "fixed")
        clash = conflict & keep
        if clash.any():
            self.problem(rows[clash], self.title("unit"), out["unit_cell"][clash],
                         "the Unit column says " + out["unit_cell"][clash].astype(str).str.strip()
                         + "; the unit written in the result (" + cell_unit[clash].astype(str) + ") was used",
                         "kept")
        unknown = ~out["known"] & keep
        self.problem(rows[unknown], self.title("test"), out["test_raw"][unknown],
                     "not a known test; kept as '" + out["test"][unknown].astype(str) + "' (known tests: "
                     + ", ".join(LABELS.values()) + ")", "kept")
        out = out.assign(**{C.VALUE: value.round(3), "unit": unit})
        return out[keep].reset_index(drop=True)


def find_tests(paths: Iterable[str | Path] | str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tests of the first workbook among ``paths`` that has a tests sheet, else empty tables.

    Parameters
    ----------
    paths : path or iterable of paths
        Log files, as given to :func:`analysis.read_logs`; CSV, run and other files that are
        not workbooks are skipped (read a tests CSV with :func:`read_tests`).

    Returns
    -------
    tests, problems : DataFrame
        As :func:`read_tests`; no rows (same columns) when no workbook has a tests sheet.

    Raises
    ------
    LogFormatError
        As :func:`read_tests`, for a workbook that is unsafe or damaged, or a tests sheet that
        cannot be read.

    Examples
    --------
    >>> tests, problems = find_tests(["runs.csv"])
    >>> tests.columns.tolist()[:4], len(tests), len(problems)
    (['athlete', 'date', 'test', 'test_raw'], 0, 0)
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    for item in items:
        path = Path(item)
        if path.suffix.lower() not in _XLSX or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue
        data = path.read_bytes()
        if not data.startswith(_BOOK_MAGIC):
            continue
        sheets, _ = read_workbook(path, data)  # the guards first; shared with read_logs and find_plan
        if any(TESTS_SHEET.search(str(n)) for n in sheets):
            return read_tests(path)
    return C.empty(TESTS_COLUMNS), C.empty(C.PROBLEMS)


find_tests.__test__ = False  # type: ignore[attr-defined]  # a reader, not a pytest test

"""Generic and coach logs in CSV and xlsx: find the header, classify the sheet, read the rows.

Layouts
-------
* Long, one row per set (``Date | Exercise | Side | Set | Reps | Weight``), or one row per
  exercise with a ``Sets`` column (expanded to one row per set), any column order.
* ``8/8/6`` in Reps (one set each), ``3x10`` / ``3 x 10 @ 40kg`` in Reps (sets x reps @ load),
  ``10/leg`` (both sides when no side is given), ``45s`` (a hold).
* A workbook with a sheet per athlete (athlete = sheet name) or one sheet with an athlete
  column; a runs sheet and a bodyweight sheet recognised by their columns; sheets that are not
  logs (notes, plans, charts) are skipped and reported as skipped, not as errors.
* Title rows, merged cells and blank rows above the header (the header may be anywhere in the
  first 30 rows); blank spacer rows and ``Week 3``-style section rows between weeks; a date
  written once per session and left blank below it (carried down, reported once per sheet).

Row accounting
--------------
Every row of a sheet below its header ends as sets (one or more), a run, a bodyweight
measurement, a ``dropped`` problem, or one of the counted skipped classes: ``blank``,
``title or section``, ``header repeat``, ``total``. Rows above the header are counted as
``above header``; a sheet that is not a log counts all its non-blank rows as ``not a log``, and a
tests sheet (:func:`analysis.loaders.tests.is_tests_sheet`) counts them as ``test results``: they
are read by :func:`analysis.loaders.tests.find_tests`.

Sheets of one layout
--------------------
Sheets with the same strength header (a sheet per athlete) are read as one stacked table
(:func:`_read_stack`): every check and parser runs once for all of them, and each sheet gets back,
at its place in the workbook, its problems (named by its sheet and row), its sets and its last
date. A sheet whose reading says something once per sheet (a counted note, dates carried down, text
dates, % of 1RM, assistance, Excel errors, a programme) is read on its own, as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import values as V
from analysis.loaders.base import (
    NOBODY,
    FileResult,
    Options,
    Problems,
    Reader,
    Sniff,
    decode,
    register,
)
from analysis.loaders.canonical import canonical_kind, from_frame
from analysis.loaders.guards import WorkbookScan, binary_kind
from analysis.loaders.headers import map_header, table_kind
from analysis.loaders.sessions import (
    MAXES,
    PROGRAMME,
    ROW_SCALE,
    Programmes,
    Rewritten,
    SessionSheet,
    is_programme,
    paired_columns,
    read_maxes,
    set_cells,
    sheet_dates,
    text_programme,
    with_date_column,
)
from analysis.loaders.table_files import (
    WORKBOOK_SUFFIXES,
    csv_grid,
    error_cells,
    excel_errors,
    read_workbook,
    report_error_cells,
)
from analysis.loaders.table_rows import (
    Sheet,
    StackedSheet,
    Unstack,
    default_athlete,
    read_bodyweight,
    read_runs,
)
from analysis.loaders.table_sets import read_sets
from analysis.loaders.tests import TESTS_SHEET, is_tests_sheet

HEADER_SCAN_ROWS = 30
_NOT_LOG_NAMES = re.compile(r"^(plan|program+e?|template|notes?|readme|instructions?|summary|charts?|dashboard|lists?|lookup|settings|about)\b", re.I)
_GENERIC_SHEET = re.compile(r"^(sheet\s*\d*|log|logs|data|training|workouts?|sets|strength|lifts?|tabelle\d*|feuil\d*|hoja\d*|blad\d*)$", re.I)
FORMULA_NOTE = ("formula without a saved value, so it reads as empty (files written by scripts often have "
                "them). Open the file in Excel or LibreOffice and save it, so the value is stored")


def raise_empty(path: Path, grids: dict) -> None:
    """A clearer error than "no training log found" for empty workbooks and header-only files."""
    if grids and all(g.dropna(how="all").empty for g in grids.values()):
        raise LogFormatError(f"{path.name}: every sheet is empty; nothing to load.", path=str(path))
    for name, grid in grids.items():
        grid = grid.dropna(axis=1, how="all")
        grid.columns = range(grid.shape[1])
        pos, fields, kind = find_header(grid)
        if kind is not None:
            where = f"sheet {name!r} has" if name is not None else "has"
            names = ", ".join(str(grid.iloc[pos, p]).strip() for p, _ in fields.values())
            raise LogFormatError(f"{path.name}: {where} a log header ({names}) but no rows under it; nothing to load.",
                                 path=str(path))


def find_header(grid: pd.DataFrame) -> tuple[int | None, dict[str, tuple[int, str | None]], str | None]:
    """Position of the header row in the first rows, its field map and the table kind."""
    best: tuple[int | None, dict, str | None] = (None, {}, None)
    for pos in range(min(HEADER_SCAN_ROWS, len(grid))):
        cells = grid.iloc[pos].tolist()
        fields = map_header(cells)
        kind = table_kind(fields)
        if kind and len(fields) >= 2:
            if best[0] is None or len(fields) > len(best[1]) + 1:
                best = (pos, fields, kind)
                if len(fields) >= 3:
                    break
    return best


def _athlete_for(sheet: str | None, path: Path, options: Options, n_log_sheets: int) -> str:
    """The athlete of a sheet without an athlete column.

    Sheets of a workbook with several logs are named after their athletes (data, so they win);
    otherwise the ``athlete`` option names a file that names no one, then a sheet name that is
    not a generic one (``Sheet1``, ``Log``), then the file name's stem.
    """
    if sheet is not None and n_log_sheets > 1:
        return sheet.strip()
    if options.athlete and options.athlete != NOBODY:
        return options.athlete.strip()
    if sheet is not None and not _GENERIC_SHEET.match(sheet.strip()):
        return sheet.strip()
    return options.athlete or path.stem


def _header_repeats(body: pd.DataFrame, field_cols: list[int], header_cells: list[object]) -> pd.Series:
    """Per row: does every field column repeat the header's text (case aside)? The distinct cells of
    all the columns are written as text and lowered in one pass, then compared column by column."""
    coded = [V._factorize(body[pos]) for pos in field_cols]
    if not coded:
        return pd.Series(True, index=body.index)
    cells = pd.Series(np.concatenate([u.to_numpy(dtype=object) for _, u in coded]), dtype=object)
    lowered = V.as_text(cells).str.lower()
    names = np.repeat([str(header_cells[pos]).strip().lower() for pos in field_cols], [len(u) for _, u in coded])
    same = (lowered == pd.Series(names, dtype=lowered.dtype)).fillna(False).to_numpy(dtype=bool)
    repeat = np.ones(len(body), dtype=bool)
    start = 0
    for codes, u in coded:
        repeat &= same[start:start + len(u)][codes]
        start += len(u)
    return pd.Series(repeat, index=body.index)


def _classify_rows(body: pd.DataFrame, header_cells: list[object], fields: dict, kind: str,
                   blank_cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per row of the body: is it data, and if not, which skipped class."""
    blank = blank_cells.all(axis=1)
    nonblank_n = (~blank_cells).sum(axis=1)
    field_cols = sorted({pos for pos, _ in fields.values()})
    repeat = _header_repeats(body, field_cols, header_cells)
    anchors = {"sets": ["exercise"], "runs": ["distance", "duration", "pace"], "bodyweight": ["bodyweight", "weight"]}[kind]
    anchor_cols = [fields[f][0] for f in anchors if f in fields]
    anchor_blank = blank_cells[anchor_cols].all(axis=1) if anchor_cols else pd.Series(True, index=body.index)
    total = pd.Series(False, index=body.index)
    if "exercise" in fields:
        total = V.per_cell(body[fields["exercise"][0]], lambda u: V.as_text(u).str.lower()
                           .str.fullmatch(r"totals?|sum|total volume").fillna(False)).astype(bool)
    date_only = pd.Series(False, index=body.index)
    if "date" in fields:
        candidates = anchor_blank & (nonblank_n == 1) & ~blank_cells[fields["date"][0]]
        if candidates.any():
            is_date = ~V.parse_dates(body.loc[candidates, fields["date"][0]])[0].value.isna()
            date_only[is_date[is_date].index] = True
    if kind == "sets":
        # "Week 3" / "Session A" written on its own row, even in the exercise column
        measure_cols = [fields[f][0] for f in ("reps", "weight", "sets", "duration", "date") if f in fields]
        measures_blank = blank_cells[measure_cols].all(axis=1) if measure_cols else True
        anchor_blank = anchor_blank | ((nonblank_n == 1) & measures_blank)
    reason = pd.Series(pd.NA, index=body.index, dtype="string")
    reason[blank] = "blank"
    reason[repeat & ~blank] = "header repeat"
    reason[total & reason.isna()] = "total"
    reason[date_only & reason.isna()] = "session date row"
    reason[anchor_blank & reason.isna()] = "title or section"
    return reason.isna(), reason


def _sheet_notes(sh: Sheet, scan: WorkbookScan | None, columns: dict[int, int], data_rows: pd.Index,
                 fields: dict, header_cells: list[object]) -> None:
    """``kept`` notes for a log sheet: hidden, and formulas without a saved value in its data rows."""
    if scan is None or sh.source_sheet is None:
        return
    if sh.source_sheet in scan.hidden:
        sh.add([None], None, None, "hidden sheet: its rows were read like the other sheets' (unhide it in "
                   "Excel to see them)", "kept")
    cells = scan.formulas.get(sh.source_sheet)
    if not cells:
        return
    used = {pos for pos, _ in fields.values()} if fields else set(range(len(header_cells)))
    rows, labels, formulas = [], [], []
    for row, col, formula in cells:
        pos = columns.get(col)
        if pos is not None and pos in used and row in data_rows:
            rows.append(row + 1)
            labels.append(str(header_cells[pos]).strip())
            formulas.append(formula)
    for label in dict.fromkeys(labels):
        pick = [i for i, lab in enumerate(labels) if lab == label]
        sh.add([rows[i] for i in pick], label, pd.Series([formulas[i] for i in pick]), FORMULA_NOTE, "kept")


def read_grids(path: Path, grids: dict[str | None, pd.DataFrame], options: Options, fmt: str, *,
               scan: WorkbookScan | None = None) -> FileResult:
    """Read one file's sheets (or a CSV's single grid) into a :class:`FileResult`.

    ``scan`` (from :func:`~analysis.loaders.guards.inspect_workbook`) adds a ``kept`` note for each
    hidden sheet that holds a log and for each formula without a saved value in a log column.
    """
    result = FileResult(path=str(path), format=fmt)
    found: dict[str | None, _Table] = {}
    dates = sheet_dates(list(grids), options)
    for name, grid in grids.items():
        grid = grid.dropna(axis=1, how="all") if not grid.empty else grid
        columns = {int(c): i for i, c in enumerate(grid.columns)}  # sheet column -> grid column
        grid.columns = range(grid.shape[1])
        found[name] = _table(name, grid, columns, None if name is None else dates.get(name))
    n_set_sheets = sum(t.kind == "sets" and t.date is None for t in found.values())
    book = _Book(path, result, options, scan, n_set_sheets=n_set_sheets,
                 sessions=any(t.date is not None for t in found.values()))
    for t in found.values():  # tables of maxes first: other sheets' loads may be % of these 1RMs
        if t.kind == "maxes" and t.hpos is not None:
            book.maxes.update(read_maxes(t.grid, t.hpos, t.fields, t.name, options))
    tables: dict[str, list[pd.DataFrame]] = {"sets": [], "runs": [], "bodyweight": []}
    stacked = _read_stacks(book, list(found.values()))
    for table in found.values():
        result.sheets.append(table.name if table.name is not None else "")
        if (done := stacked.get(id(table))) is not None:  # read with the other sheets of its layout
            problems, frame, last = done
            if problems is not None:
                result.problems.append(problems)
            if last is not None:
                book.date_state["last"] = last
            if frame is not None:
                tables["sets"].append(frame)
            continue
        out = _read_sheet(book, table)
        if out is not None:
            tables[out[0]].append(out[1])
    book.programmes.note(Problems(result, path.name))
    if book.layouts:
        result.format = f"{fmt}: " + ", ".join(sorted(book.layouts))
    _once_per_file(result, UNIT_NOTE)
    result.skipped = Counter({k: v for k, v in result.skipped.items() if v})
    if tables["sets"]:
        result.sets = pd.concat(tables["sets"], ignore_index=True)
    if tables["runs"]:
        result.runs = pd.concat(tables["runs"], ignore_index=True)
    if tables["bodyweight"]:
        result.bodyweight = pd.concat(tables["bodyweight"], ignore_index=True)
    return result


#: A note every strength table of a file would repeat (one per session sheet): said once per file.
UNIT_NOTE = "the file does not say kg or lb"


def _once_per_file(result: FileResult, start: str) -> None:
    """Keep only the first problem row whose text starts with ``start``."""
    seen = False
    for i, frame in enumerate(result.problems):
        hit = frame["problem"].astype(str).str.startswith(start).to_numpy()
        if seen:
            result.problems[i] = frame[~hit].reset_index(drop=True)
        elif hit.any():
            first = hit.argmax()
            keep = ~hit
            keep[first] = True
            result.problems[i] = frame[keep].reset_index(drop=True)
            seen = True


@dataclass
class _Table:
    """One sheet's grid (blank columns removed) and the log header found in it, if any."""

    name: str | None
    grid: pd.DataFrame
    columns: dict[int, int]  # sheet column -> grid column
    hpos: int | None
    fields: dict[str, tuple[int, str | None]]
    kind: str | None
    date: pd.Timestamp | None = None  # a sheet named by its session's date
    rewritten: Rewritten | None = None  # a session layout rewritten as a long table


def _table(name: str | None, grid: pd.DataFrame, columns: dict[int, int], date: pd.Timestamp | None) -> _Table:
    """The sheet's table: its header, or a session layout (:mod:`.sessions`) rewritten as a long table."""
    pos, fields, kind = find_header(grid)
    if kind is None or "exercise" not in fields:
        rewritten = paired_columns(grid, date) or set_cells(grid, date)
        if rewritten is not None:
            return _Table(name, rewritten.grid, {}, *find_header(rewritten.grid), date=date, rewritten=rewritten)
    elif kind == "sets" and date is not None and "date" not in fields and pos is not None:
        grid = with_date_column(grid, pos, date)
        pos, fields, kind = find_header(grid)
    return _Table(name, grid, columns, pos, fields, kind, date=date)


@dataclass
class _Book:
    """One file being read sheet by sheet, and what its sheets share."""

    path: Path
    result: FileResult
    options: Options
    scan: WorkbookScan | None
    n_set_sheets: int
    date_state: dict = field(default_factory=dict)  # the last date, carried into the next sheet
    programmes: Programmes = field(default_factory=Programmes)  # sheets of exercises without dates
    sessions: bool = False  # sheets named by dates: one athlete's sessions, not athletes
    maxes: dict = field(default_factory=dict)  # exercise -> (1RM kg, where): for loads as % of 1RM
    layouts: set = field(default_factory=set)  # the session layouts read (for the format's name)


def _stack_key(book: _Book, t: _Table) -> tuple | None:
    """The layout of a sheet that may be read together with others of the same layout (a sheet per
    athlete): a plain strength table named after its athlete, without an athlete column, hidden
    state or formula notes. None for every other sheet."""
    if (t.kind != "sets" or t.hpos is None or t.rewritten is not None or t.date is not None or t.name is None
            or book.sessions or book.n_set_sheets < 2 or "athlete" in t.fields or "date" not in t.fields
            or "exercise" not in t.fields or _NOT_LOG_NAMES.match(str(t.name).strip())
            or TESTS_SHEET.search(t.name) or len(t.grid) <= t.hpos + 1):
        return None
    if book.scan is not None and (t.name in book.scan.hidden or book.scan.formulas.get(t.name)):
        return None
    header_cells = t.grid.iloc[t.hpos].tolist()
    if canonical_kind(header_cells) is not None:
        return None
    return tuple((type(c).__name__, str(c)) for c in header_cells)


#: Fewest sheets of one layout read as one stacked table.
MIN_STACK = 2


def _read_stacks(book: _Book, tables: list[_Table]) -> dict[int, tuple]:
    """Sheets of one layout read as one stacked table: id(table) -> (its problems, its pre-sets, its
    last date), each None when it has none. Sheets whose reading says something once per sheet
    are left out (read one by one, as before)."""
    groups: dict[tuple, list[_Table]] = {}
    for t in tables:
        key = _stack_key(book, t)
        if key is not None:
            groups.setdefault(key, []).append(t)
    out: dict[int, tuple] = {}
    for group in groups.values():
        for _ in range(MAX_RESTACK):
            if len(group) < MIN_STACK:
                break
            try:
                out.update(_read_stack(book, group))
                break
            except Unstack as e:  # the sheets that said it are read one by one; the others together again
                if e.sheets is None:
                    break
                gone = set(e.sheets.tolist())
                group = [t for i, t in enumerate(group) if i not in gone]
    return out


#: Times a group is read again together without the sheets that made it stop.
MAX_RESTACK = 4


_SLASHED = re.compile(r"^\s*[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}")


def _date_cells(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per cell of a coded date column: is it text (not a real date, not blank), and is it text
    written ``dd/mm/yyyy`` or ``mm/dd/yyyy`` (read one way or the other by the column's other cells)?"""
    if not V.is_coded(col):
        col = V.coded(col.astype(object))
    cats = col.cat.categories.to_numpy(dtype=object)
    text = np.array([not (v is None or isinstance(v, (pd.Timestamp, dt.date)) or (isinstance(v, float) and v != v))
                     for v in cats] + [False], dtype=bool)
    slashed = np.array([isinstance(v, str) and _SLASHED.match(v) is not None for v in cats] + [False], dtype=bool)
    codes = col.cat.codes.to_numpy()
    return text[codes], slashed[codes]  # the missing code (-1) takes the last, False


def _read_stack(book: _Book, group: list[_Table]) -> dict[int, tuple]:
    """:func:`_read_sheet` of sheets of one layout at once: every check and parser runs once on the
    stacked data rows instead of once per sheet; problems keep each row's sheet and row."""
    t0 = group[0]
    result, fields = book.result, t0.fields
    hpos = [int(t.hpos or 0) for t in group]  # never None (_stack_key)
    header_cells = t0.grid.iloc[hpos[0]].tolist()
    bodies = [t.grid.iloc[h + 1:] for t, h in zip(group, hpos, strict=True)]
    lengths = np.array([len(b) for b in bodies])
    sheet_of = np.repeat(np.arange(len(group)), lengths)
    rows = np.concatenate([b.index.to_numpy() + 1 for b in bodies])
    body = V.coded_frame(pd.concat(bodies, ignore_index=True))
    slashed = _date_cells(body[fields["date"][0]])[1]
    if slashed.any():  # a session row's date too (_classify_rows)
        raise Unstack("text dates: read day- or month-first per sheet", np.unique(sheet_of[slashed]))
    sh = StackedSheet(book.path, [str(t.name) for t in group], sheet_of, rows,
                      {f: str(header_cells[pos]).strip() for f, (pos, _) in fields.items()})
    sh.athletes = [_athlete_for(t.name, book.path, book.options, book.n_set_sheets) for t in group]
    body_blank = body.apply(V.is_blank)
    is_data, reason = _classify_rows(body, header_cells, fields, "sets", body_blank)
    data = body[is_data.to_numpy()]
    if (errors := error_cells(data)).any():
        raise sh.leave_out("Excel error values", errors)
    date_col = data[fields["date"][0]]
    if (text := pd.Series(_date_cells(date_col)[0], index=data.index)).any():
        raise sh.leave_out("text dates: read and noted per sheet", text)
    written = ~V.is_blank(date_col)
    if written.any():  # is_programme, sheet by sheet: written dates, none readable
        parsed = V.parse_dates(date_col[written])[0].value.notna().to_numpy()
        at = sheet_of[written.index[written].to_numpy()]
        undated = np.bincount(at[parsed], minlength=len(group)) == 0
        undated[np.setdiff1d(np.arange(len(group)), at)] = False  # no date written: not a programme
        if undated.any():
            raise Unstack("a programme sheet", np.flatnonzero(undated))
    state: dict = {}
    frame = read_sets(sh, data, fields, None, book.options, state, maxes=book.maxes) if len(data) else None
    problems = sh.per_sheet()
    for r, n in reason.dropna().value_counts().items():
        result.skipped[str(r)] += int(n)
    result.skipped["above header"] += sum(hpos)
    result.rows_read += int(lengths.sum())
    per_sheet_dates = state.get("per_sheet", {})
    frames: dict[int, pd.DataFrame] = {}
    if frame is not None and len(frame):
        at = frame["_sheet"].to_numpy()
        frame = frame.drop(columns="_sheet")
        cuts = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
        for k, start in enumerate(cuts):
            stop = cuts[k + 1] if k + 1 < len(cuts) else len(at)
            frames[int(at[start])] = frame.iloc[start:stop].reset_index(drop=True)
    return {id(t): (problems.get(i), frames.get(i), per_sheet_dates.get(i)) for i, t in enumerate(group)}


def _read_sheet(book: _Book, t: _Table) -> tuple[str, pd.DataFrame] | None:
    """``(kind, frame)`` of one sheet's data rows, its other rows counted; None when nothing loads."""
    result, grid, fields = book.result, t.grid, t.fields
    header_cells = grid.iloc[t.hpos].tolist() if t.hpos is not None else []
    sh = Sheet(book.path, t.name, result, {f: str(header_cells[pos]).strip() for f, (pos, _) in fields.items()})
    if t.rewritten is not None:
        sh = SessionSheet(sh, t.rewritten.labels)
        result.skipped["blank"] += t.rewritten.blank_rows
        book.layouts.add(t.rewritten.layout)
        if t.rewritten.note:
            Sheet.add(sh, [None], None, None, t.rewritten.note, "kept")
    elif t.date is not None and t.kind == "sets":
        book.layouts.add("a sheet per session")
    grid = V.coded_frame(grid)  # each column factorized once: every check below works on its codes
    blank_cells = grid.apply(V.is_blank) if not grid.empty else pd.DataFrame(index=grid.index)
    if is_tests_sheet(t.name, grid):  # test results are read by find_tests, not as training
        nonblank = int((~blank_cells.all(axis=1)).sum()) if not grid.empty else 0
        if nonblank:
            result.skipped[f"test results: sheet {t.name!r} (read by find_tests)"] += nonblank
        return None
    if t.kind is None and (found := text_programme(grid)) is not None:
        book.programmes.add_text(t.name, *found, result)
        return None
    if t.kind is None or t.hpos is None or (t.name is not None and _NOT_LOG_NAMES.match(str(t.name).strip())):
        nonblank = int((~blank_cells.all(axis=1)).sum()) if not grid.empty else 0
        if nonblank:
            result.skipped[f"not a log: sheet {t.name!r}" if t.name is not None else "not a log"] += nonblank
        return None
    result.skipped["above header"] += t.hpos  # titles and the blank rows between them
    if t.kind == "maxes":
        result.skipped[MAXES] += int((~blank_cells.iloc[t.hpos + 1:].all(axis=1)).sum())
        return None
    body = grid.iloc[t.hpos + 1:]
    result.rows_read += len(body)
    if body.empty:
        return None
    body_blank = blank_cells.iloc[t.hpos + 1:]
    canon = canonical_kind(header_cells)
    if canon is not None:  # liftpace's own columns: validate column-wise, no coach parsing
        return canon, _read_canonical_sheet(book, t, sh, canon, body, body_blank, header_cells)
    is_data, reason = _classify_rows(body, header_cells, fields, t.kind, body_blank)
    for r, n in reason.dropna().value_counts().items():
        result.skipped[str(r)] += int(n)
    data = report_error_cells(sh, body[is_data.to_numpy()], fields)
    if t.rewritten is None:
        _sheet_notes(sh, book.scan, t.columns, data.index, fields, header_cells)
    if data.empty:
        return None
    if t.kind == "sets" and t.date is None and is_programme(data, fields):
        book.programmes.add(t.name, data, fields, result)
        return None
    athlete = None if "athlete" in fields else _athlete_for(t.name, book.path, book.options, book.n_set_sheets)
    if book.sessions and athlete is not None:  # sheets named by dates are sessions, not athletes
        athlete = default_athlete(sh, book.options)
    if t.kind == "sets":
        frame = read_sets(sh, data, fields, athlete, book.options, book.date_state, maxes=book.maxes)
    elif t.kind == "runs":
        frame = read_runs(sh, data, fields, athlete, book.options)
    else:
        frame = read_bodyweight(sh, data, fields, athlete, book.options)
    if frame is not None and t.rewritten is not None:  # long-table rows back to the sheet's rows
        frame[C.SOURCE_ROW] = (pd.to_numeric(frame[C.SOURCE_ROW]) - 1) // ROW_SCALE + 1
    return None if frame is None else (t.kind, frame)


def _read_canonical_sheet(book: _Book, t: _Table, sh: Sheet, canon: str, body: pd.DataFrame,
                          body_blank: pd.DataFrame, header_cells: list[object]) -> pd.DataFrame:
    """A sheet with liftpace's own column names, through the canonical CSV's checks."""
    book.result.skipped["blank"] += int(body_blank.all(axis=1).sum())
    data = body[~body_blank.all(axis=1).to_numpy()]
    data.columns = [str(c).strip() for c in header_cells]
    schema = C.SETS if canon == "sets" else C.RUNS
    frame = data[[c for c in data.columns if c in schema]].copy()
    rows = pd.Series(data.index + 1, index=data.index)
    _sheet_notes(sh, book.scan, t.columns, data.index, t.fields, header_cells)
    out = from_frame(frame, kind=canon, result=book.result, file=book.path.name, sheet=t.name, rows=rows,
                     options=book.options)
    book.result.format = "liftpace canonical workbook"
    return out


def _is_table(sniff: Sniff) -> bool:
    return sniff.suffix in (".csv", ".txt", ".tsv", *WORKBOOK_SUFFIXES)


def _read_table(path: Path, sniff: Sniff, options: Options) -> FileResult:
    """A CSV or a workbook, told apart by content (a zip or OLE2 header), not by the file's name."""
    data = path.read_bytes()
    named_book = sniff.suffix in WORKBOOK_SUFFIXES
    notes = []
    sheets: dict[str | None, pd.DataFrame] = {}
    grid = pd.DataFrame()
    is_book = data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
    if is_book:
        books, scan = read_workbook(path, data)
        for sheet, cells in excel_errors(data).items():  # calamine reads error cells as empty
            grid = books.get(sheet)
            if grid is None:
                continue
            for row, col, code in cells:
                if row < grid.shape[0] and col < grid.shape[1]:
                    grid.iloc[row, col] = code
        sheets.update(books)
        result = read_grids(path, sheets, options, "workbook", scan=scan)
        if not named_book:
            notes.append(f"named {sniff.suffix} but is a workbook ({scan.kind}); read as a workbook")
    else:
        kind = binary_kind(data[:64])
        if kind is not None:
            raise LogFormatError(
                f"{path.name}: is {kind}, not a training log. liftpace reads CSV, .xlsx, .xlsm, .xls and .ods "
                "workbooks, GPX, TCX and FIT files.",
                path=str(path),
            )
        if named_book:
            try:
                decode(data[:4096], path=path)
            except LogFormatError:
                raise LogFormatError(
                    f"{path.name}: is neither a workbook (its first bytes are not an xlsx, xls or ods header) "
                    "nor a text (CSV) file; it may be damaged. Open it in Excel and save it again.",
                    path=str(path),
                ) from None
            notes.append(f"named {sniff.suffix} but is a text (CSV) file; read as CSV")
        grid, row_notes = csv_grid(path, data)
        del data  # the file's bytes (57 MB for a million rows) are not needed past its grid
        result = read_grids(path, {None: grid}, options, "table")
        for row, text in row_notes:
            Problems(result, path.name).add(row, None, None, text, "kept")
    if result.sets is None and result.runs is None and result.bodyweight is None and not result.problems:
        raise_empty(path, sheets if is_book else {None: grid})
        kinds = "a strength log (Date, Exercise, Reps, Weight ...), a runs table (Date, Distance, Duration or Pace) or a bodyweight table"
        raise LogFormatError(
            f"{path.name}: no training log found: no sheet has a header naming {kinds}. "
            f"Formats liftpace reads: {', '.join(r.label for r in _readers_for_message())}.",
            path=str(path),
        )
    for text in notes:
        Problems(result, path.name).add(None, None, None, text, "kept")
    if result.sets is None and result.runs is None and result.bodyweight is None and result.skipped.get(PROGRAMME):
        result.format = "training programme (exercises without dates)"
    elif result.format.startswith("workbook: ") and result.sets is not None:  # a session layout
        result.format = "coach workbook, " + result.format.split(": ", 1)[1]
    elif result.format.startswith("workbook"):
        result.format = "coach workbook" if result.sets is not None else "workbook"
    elif result.format.startswith("table: "):
        result.format = "strength log (CSV), " + result.format.split(": ", 1)[1]
    else:
        result.format = "strength log (CSV)" if result.sets is not None else ("runs (CSV)" if result.runs is not None else "table (CSV)")
    return result


def _readers_for_message() -> list[Reader]:
    from analysis.loaders.base import readers

    return readers()


register(Reader(name="table", label="generic or coach log (CSV, xlsx)", detect=_is_table, read=_read_table, priority=100))

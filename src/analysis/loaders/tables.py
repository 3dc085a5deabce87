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
``above header``; a sheet that is not a log counts all its non-blank rows as ``not a log``.
"""

from __future__ import annotations

import csv
import io
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
from analysis.loaders.guards import (
    MAX_CSV_COLUMNS,
    MAX_FILE_BYTES,
    WorkbookScan,
    binary_kind,
    inspect_workbook,
)
from analysis.loaders.headers import map_header, table_kind
from analysis.loaders.table_rows import Sheet, read_bodyweight, read_runs
from analysis.loaders.table_sets import read_sets

HEADER_SCAN_ROWS = 30
_NOT_LOG_NAMES = re.compile(r"^(plan|program+e?|template|notes?|readme|instructions?|summary|charts?|dashboard|lists?|lookup|settings|about)\b", re.I)
_GENERIC_SHEET = re.compile(r"^(sheet\s*\d*|log|logs|data|training|workouts?|sets|strength|lifts?|tabelle\d*|feuil\d*|hoja\d*|blad\d*)$", re.I)
#: Widest CSV row read; longer rows (a damaged line, a 5 MB line of commas) are cut and reported.
MAX_COLUMNS = MAX_CSV_COLUMNS
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
FORMULA_NOTE = ("formula without a saved value, so it reads as empty (files written by scripts often have "
                "them). Open the file in Excel or LibreOffice and save it, so the value is stored")


def _csv_grid(path: Path, data: bytes) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The CSV grid and ``(row, problem)`` notes for rows read not quite as written."""
    text, _ = decode(data, path=path)
    from analysis.loaders.base import sniff_delimiter

    delim = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise LogFormatError(f"{path.name}: not a readable CSV file ({exc}).", path=str(path)) from None
    notes: list[tuple[int, str]] = []
    # a quote opened and never closed swallows the rest of the file into one cell: read that cell
    # to the end of its line only, and the lines after it as rows again
    tail = text
    while rows and rows[-1] and "\n" in rows[-1][-1] and tail.count('"') % 2 == 1:
        head, tail = rows[-1][-1].split("\n", 1)
        rows[-1] = [*rows[-1][:-1], *head.rstrip("\r").split(delim)]  # the quote read as a typo
        notes.append((len(rows), "a quote opened in this row is never closed; the cell was read to the end of "
                                 "its line and the lines after it as rows"))
        rows.extend(csv.reader(io.StringIO(tail, newline=""), delimiter=delim))
    if "\x00" in text:  # NUL characters inside a text file: a damaged file; removed, never silently
        for i, r in enumerate(rows):
            if any("\x00" in c for c in r):
                rows[i] = [c.replace("\x00", "") for c in r]
                notes.append((i + 1, "NUL characters removed from this row (the file looks damaged); check its values"))
    lengths = [len(r) for r in rows]
    width = max(lengths, default=0)
    if width > MAX_COLUMNS:
        for i, n in enumerate(lengths):
            if n > MAX_COLUMNS:
                rows[i] = rows[i][:MAX_COLUMNS]
                notes.append((i + 1, f"row has {n:,} fields; only the first {MAX_COLUMNS} were read (a damaged line?)"))
        width = MAX_COLUMNS
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    if len(rows) < text.count("\n") and lengths:  # some cells hold line breaks: any holding rows?
        need = max(2, Counter(lengths).most_common(1)[0][0] - 2)
        for col in grid.columns:
            multi = grid[col].str.contains("\n", regex=False).to_numpy(dtype=bool, na_value=False)
            for pos in np.flatnonzero(multi):
                lines = str(rows[pos][col]).splitlines()[1:]
                if sum(line.count(delim) >= need for line in lines):
                    notes.append((int(pos) + 1, f"a cell in this row runs over {len(lines) + 1} lines and holds "
                                              "text that looks like rows of the file (a quote left open?); "
                                              "those rows were not read: close the quote and load it again"))
    return grid, notes


def _read_workbook(path: Path, data: bytes) -> tuple[dict[str, pd.DataFrame], WorkbookScan]:
    """Grids of every sheet, after :func:`~analysis.loaders.base.inspect_workbook` passed the file."""
    scan = inspect_workbook(path, data)
    try:  # the bytes checked, never the path (which may have changed, or steer calamine by its suffix)
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine", dtype=object)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine raises its own error types, and a Rust panic is a BaseException
        msg = type(exc).__name__ + (f": {str(exc).splitlines()[0]}" if str(exc).strip() else "")
        if "xml" in msg.lower():
            hint = ("liftpace reads .xlsx, .xlsm, .xls and .ods workbooks that open in Excel; a part of this "
                    "one is damaged (cut off or edited by hand): open it in Excel, which can repair it, and "
                    "save a copy")
        elif "password" in msg.lower() or "encrypt" in msg.lower():
            hint = ("liftpace cannot open password-protected files: open it in Excel, remove the password "
                    "and save")
        elif "entity" in msg.lower():
            hint = "it uses XML entities, which Excel never writes: save it again from Excel"
        else:
            hint = ("liftpace reads .xlsx, .xlsm, .xls and .ods workbooks that open in Excel; a "
                    "password-protected file must be saved without its password first")
        raise LogFormatError(
            f"{path.name}: could not be read as a workbook ({msg[:200]}). {hint}.", path=str(path)
        ) from None
    return sheets, scan


def read_workbook_file(path: Path) -> tuple[dict[str, pd.DataFrame], WorkbookScan]:
    """Every sheet of the workbook at ``path`` (raw cells, no header), through the guards that
    :func:`analysis.read_logs` applies: the size limit, the content (not the name) deciding that it
    is a workbook, and :func:`~analysis.loaders.guards.inspect_workbook` before calamine runs.

    Raises
    ------
    LogFormatError
        The file is missing, too big, not a workbook, damaged, or refused by the guards.
    """
    if not path.is_file():
        raise LogFormatError(f"{path}: no such file.", path=str(path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LogFormatError(f"{path.name}: {size / 1e6:.0f} MB is over liftpace's limit of {MAX_FILE_BYTES / 1e6:.0f} "
                             "MB per file.", path=str(path))
    data = path.read_bytes()
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        raise LogFormatError(f"{path.name}: is not a workbook (its first bytes are not an xlsx, xls or ods header).",
                             path=str(path))
    return _read_workbook(path, data)


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


def _classify_rows(body: pd.DataFrame, header_cells: list[object], fields: dict, kind: str,
                   blank_cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per row of the body: is it data, and if not, which skipped class."""
    blank = blank_cells.all(axis=1)
    nonblank_n = (~blank_cells).sum(axis=1)
    field_cols = sorted({pos for pos, _ in fields.values()})
    repeat = pd.Series(True, index=body.index)
    for pos in field_cols:
        text = V.as_text(body[pos]).str.lower()
        repeat &= (text == str(header_cells[pos]).strip().lower()).fillna(False)
    anchors = {"sets": ["exercise"], "runs": ["distance", "duration", "pace"], "bodyweight": ["bodyweight", "weight"]}[kind]
    anchor_cols = [fields[f][0] for f in anchors if f in fields]
    anchor_blank = blank_cells[anchor_cols].all(axis=1) if anchor_cols else pd.Series(True, index=body.index)
    total = pd.Series(False, index=body.index)
    if "exercise" in fields:
        total = V.as_text(body[fields["exercise"][0]]).str.lower().str.fullmatch(r"totals?|sum|total volume").fillna(False)
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
    for name, grid in grids.items():
        grid = grid.dropna(axis=1, how="all") if not grid.empty else grid
        columns = {int(c): i for i, c in enumerate(grid.columns)}  # sheet column -> grid column
        grid.columns = range(grid.shape[1])
        found[name] = _Table(name, grid, columns, *find_header(grid))
    book = _Book(path, result, options, scan, n_set_sheets=sum(t.kind == "sets" for t in found.values()))
    tables: dict[str, list[pd.DataFrame]] = {"sets": [], "runs": [], "bodyweight": []}
    for table in found.values():
        result.sheets.append(table.name if table.name is not None else "")
        out = _read_sheet(book, table)
        if out is not None:
            tables[out[0]].append(out[1])
    result.skipped = Counter({k: v for k, v in result.skipped.items() if v})
    if tables["sets"]:
        result.sets = pd.concat(tables["sets"], ignore_index=True)
    if tables["runs"]:
        result.runs = pd.concat(tables["runs"], ignore_index=True)
    if tables["bodyweight"]:
        result.bodyweight = pd.concat(tables["bodyweight"], ignore_index=True)
    return result


@dataclass
class _Table:
    """One sheet's grid (blank columns removed) and the log header found in it, if any."""

    name: str | None
    grid: pd.DataFrame
    columns: dict[int, int]  # sheet column -> grid column
    hpos: int | None
    fields: dict[str, tuple[int, str | None]]
    kind: str | None


@dataclass
class _Book:
    """One file being read sheet by sheet, and what its sheets share."""

    path: Path
    result: FileResult
    options: Options
    scan: WorkbookScan | None
    n_set_sheets: int
    date_state: dict = field(default_factory=dict)  # the last date, carried into the next sheet


def _read_sheet(book: _Book, t: _Table) -> tuple[str, pd.DataFrame] | None:
    """``(kind, frame)`` of one sheet's data rows, its other rows counted; None when nothing loads."""
    result, grid, fields = book.result, t.grid, t.fields
    header_cells = grid.iloc[t.hpos].tolist() if t.hpos is not None else []
    sh = Sheet(book.path, t.name, result, {f: str(header_cells[pos]).strip() for f, (pos, _) in fields.items()})
    blank_cells = grid.apply(V.is_blank) if not grid.empty else pd.DataFrame(index=grid.index)
    if t.kind is None or t.hpos is None or (t.name is not None and _NOT_LOG_NAMES.match(str(t.name).strip())):
        nonblank = int((~blank_cells.all(axis=1)).sum()) if not grid.empty else 0
        if nonblank:
            result.skipped[f"not a log: sheet {t.name!r}" if t.name is not None else "not a log"] += nonblank
        return None
    result.skipped["above header"] += t.hpos  # titles and the blank rows between them
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
    data = body[is_data.to_numpy()]
    _sheet_notes(sh, book.scan, t.columns, data.index, fields, header_cells)
    if data.empty:
        return None
    athlete = None if "athlete" in fields else _athlete_for(t.name, book.path, book.options, book.n_set_sheets)
    if t.kind == "sets":
        frame = read_sets(sh, data, fields, athlete, book.options, book.date_state)
    elif t.kind == "runs":
        frame = read_runs(sh, data, fields, athlete, book.options)
    else:
        frame = read_bodyweight(sh, data, fields, athlete, book.options)
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
        books, scan = _read_workbook(path, data)
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
        grid, row_notes = _csv_grid(path, data)
        result = read_grids(path, {None: grid}, options, "table")
        for row, text in row_notes:
            Problems(result, path.name).add(row, None, None, text, "kept")
    if result.sets is None and result.runs is None and result.bodyweight is None and not result.problems:
        _raise_empty(path, sheets if is_book else {None: grid})
        kinds = "a strength log (Date, Exercise, Reps, Weight ...), a runs table (Date, Distance, Duration or Pace) or a bodyweight table"
        raise LogFormatError(
            f"{path.name}: no training log found: no sheet has a header naming {kinds}. "
            f"Formats liftpace reads: {', '.join(r.label for r in _readers_for_message())}.",
            path=str(path),
        )
    for text in notes:
        Problems(result, path.name).add(None, None, None, text, "kept")
    if result.format == "workbook":
        result.format = "coach workbook" if result.sets is not None else "workbook"
    else:
        result.format = "strength log (CSV)" if result.sets is not None else ("runs (CSV)" if result.runs is not None else "table (CSV)")
    return result


def _raise_empty(path: Path, grids: dict) -> None:
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


def _readers_for_message() -> list[Reader]:
    from analysis.loaders.base import readers

    return readers()


register(Reader(name="table", label="generic or coach log (CSV, xlsx)", detect=_is_table, read=_read_table, priority=100))

"""Files to grids: a CSV's rows or a workbook's sheets as cells, for :mod:`analysis.loaders.tables`.

:func:`csv_grid` decodes a CSV, finds its delimiter and reads its rows, noting the rows it could
not read as written (a quote never closed, NUL characters, over-long lines). :func:`read_workbook`
reads every sheet of a workbook with calamine after the guards of
:func:`~analysis.loaders.guards.inspect_workbook`.
"""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import io
import re
import zipfile
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.errors import LogFormatError
from analysis.loaders.base import decode, map_distinct, sniff_delimiter
from analysis.loaders.guards import (
    MAX_COMPRESSION_RATIO,
    MAX_CSV_COLUMNS,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    RATIO_CHECK_BYTES,
    WorkbookScan,
    inspect_workbook,
)
from analysis.loaders.memory import release_freed
from analysis.loaders.values import coded_frame
from analysis.loaders.workbook_fast import read_xlsx_sheets
from analysis.loaders.workbook_scan import Parts, Refused, xlsx_entries

__all__ = [
    "EXCEL_ERROR",
    "MAX_COLUMNS",
    "WORKBOOK_SUFFIXES",
    "clear_workbook_cache",
    "csv_grid",
    "excel_errors",
    "read_workbook",
    "read_workbook_file",
    "report_error_cells",
    "resplit_rows",
]

#: Rows of a CSV read (and coded) at a time by the C parser: bounds the text cells alive at once.
CSV_CHUNK_ROWS = 100_000
#: Widest CSV row read; longer rows (a damaged line, a 5 MB line of commas) are cut and reported.
MAX_COLUMNS = MAX_CSV_COLUMNS
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: A cell holding an Excel error value (as an xlsx stores it, or as a CSV export writes it).
EXCEL_ERROR = re.compile(r"^#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$")
_ERROR_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.S)
_ERROR_TYPE = re.compile(rb'\bt="e"')
_ERROR_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")


def csv_grid(path: Path, data: bytes) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The CSV grid and ``(row, problem)`` notes for rows read not quite as written."""
    fast = _arrow_grid(data)
    if fast is not None:
        return fast, []
    text, _ = decode(data, path=path)
    delim = sniff_delimiter(text)
    fast = _clean_grid(text, delim)
    if fast is not None:
        return fast, []
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
    notes += resplit_rows(rows, delim, first=1)
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


def _clean_grid(text: str, delim: str) -> pd.DataFrame | None:
    """The grid :func:`csv_grid` would build, read by pandas' C parser, for a file with nothing to
    repair; None (read row by row instead) when any row needs a note: fields past the first rows'
    width, a quote never closed, NUL characters, cells holding line breaks, or a row that may be
    separated with another character (``resplit_rows``). The C parser and :mod:`csv` split the same
    way otherwise (quotes doubled inside quotes, a quote inside an unquoted field kept as written).
    """
    if len(delim) != 1 or "\x00" in text or text.startswith("\ufeff") or delim in "\r\n\"":
        return None
    head = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delim))[:50]
    width = max((len(r) for r in head), default=0)
    if width <= 2 or width > MAX_COLUMNS:
        return None
    chunks = []
    try:  # in chunks, each coded at once: a million rows never live as millions of str objects
        for chunk in pd.read_csv(_text_source(text), sep=delim, encoding="utf-8", header=None, names=range(width), dtype=object,
                                 na_filter=False, skip_blank_lines=False, engine="c", quotechar='"',
                                 doublequote=True, index_col=False, chunksize=CSV_CHUNK_ROWS):
            if chunk.isna().to_numpy().any():
                return None  # a cell pandas left missing: read row by row
            chunks.append(coded_frame(chunk))
    except (ValueError, pd.errors.ParserError, csv.Error):
        return None
    if not chunks:
        return None
    grid = chunks[0] if len(chunks) == 1 else pd.DataFrame(
        {c: pd.Series(union_categoricals([ch[c] for ch in chunks])) for c in chunks[0].columns})
    if len(grid) < text.count("\n"):
        return None  # a cell holding a line break: read row by row
    return grid if _short_rows(grid, delim) is not None else None


def _short_rows(grid: pd.DataFrame, delim: str) -> np.ndarray | None:
    """The rows of at most two fields, or None when one of them may be a row pasted with another
    separator (rare: then the file is read row by row, where ``resplit_rows`` notes it)."""
    others = [c for c in (";", "\t", ",") if c != delim]
    rest_blank = (grid.iloc[:, 2:] == "").all(axis=1).to_numpy()
    if rest_blank.any():
        short = grid.iloc[rest_blank, :2]
        if any(short[c].str.contains(o, regex=False).any() for c in short.columns for o in others):
            return None
    return rest_blank


_UTF8_BOM = b"\xef\xbb\xbf"


def _text_source(text: str) -> io.IOBase:
    """``text`` for the C parser as UTF-8 bytes: an ``io.StringIO`` keeps 4 bytes a character (a
    57 MB file took 228 MB more), the bytes 1 (the parser reads UTF-8 bytes either way)."""
    try:
        return io.BytesIO(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate (never from decode): as before
        return io.StringIO(text)


def _arrow_grid(data: bytes) -> pd.DataFrame | None:
    """:func:`_clean_grid` of a UTF-8 file without a quote, read from its bytes by Arrow's CSV
    reader (multi-threaded, every column dictionary-coded as it is read): never the whole file
    as one str, nor a str per cell. None (read as before) for any file it is not sure to read as
    the C parser does: one holding a quote, a NUL, a blank line, a BOM other than one UTF-8 BOM, or bytes
    that are not UTF-8, one whose rows are not all as wide as its first rows (blank lines included),
    and whatever :func:`_clean_grid` would read row by row.

    Without quotes the two parsers split the same way: on the delimiter, at ``\\n``, ``\\r\\n`` and
    a lone ``\\r``; cells as written. Categories are ordered by first appearance, as the C
    parser's chunks coded and joined by ``union_categoricals`` are.
    """
    start = 3 if data.startswith(_UTF8_BOM) else 0
    if (b'"' in data or b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff"))
            or data.startswith(_UTF8_BOM, start)):
        return None
    if data.startswith((b"\n", b"\r"), start):
        return None  # a blank line: Arrow reads a row of empty cells, the C parser a row of missing ones
    try:
        head = data[start:start + 4 * 65536].decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the end of the sample, or not UTF-8
        if exc.start < 4 * 65536 - 4:
            return None
        head = data[start:start + exc.start].decode("utf-8")
    head = head[:65536]
    delim = sniff_delimiter(head)
    if len(delim) != 1 or delim in "\r\n\"":
        return None
    rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delim))[:50]
    width = max((len(r) for r in rows), default=0)
    if width <= 2 or width > MAX_COLUMNS:
        return None
    try:  # a dependency; should it not import (a broken install), the file is read as before
        import pyarrow as pa
        from pyarrow import csv as pacsv
    except ImportError:
        return None
    names = [str(i) for i in range(width)]
    coded = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data)[start:] if start else pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char=False, double_quote=False, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, coded), strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, null_values=[], check_utf8=True),
        )
    except (pa.ArrowException, ValueError):  # a ragged row, bytes not UTF-8 (or out of memory): as before
        return None
    if table.num_rows < data.count(b"\n"):
        return None
    table = table.unify_dictionaries()
    cols = {}
    for i, name in enumerate(names):
        col = table.column(name).combine_chunks()
        index = col.indices.to_numpy(zero_copy_only=False)
        seen = np.maximum.accumulate(index)
        if len(index) and index[0] == 0 and seen[-1] == len(col.dictionary) - 1 and (np.diff(seen) <= 1).all():
            codes, cells = index, col.dictionary  # each cell new to the file takes the next code: in order already
        else:  # the dictionary's entries put in order of first appearance
            codes, first = pd.factorize(index)
            cells = col.dictionary.take(pa.array(first))
        cats = pd.Index(np.asarray(cells.to_pylist(), dtype=object), dtype=object)
        cols[i] = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats))
    del table, col
    release_freed(len(cols[0]))  # the parser's blocks: Arrow's pool would keep them for itself
    grid = pd.DataFrame(cols)
    rest_blank = _short_rows(grid, delim)
    if rest_blank is None:
        return None
    if rest_blank.any():
        empty = rest_blank & (grid[0] == "").to_numpy() & (grid[1] == "").to_numpy()
        if empty.any() and (b"\n\n" in data or b"\r\r" in data or b"\n\r" in data):
            return None  # a blank line (or a row of empty cells, which the bytes tell apart): as above
    return grid


#: Workbooks read lately: their content digest -> (grids, scan). A report reads one coach workbook
#: for the log, the plan and the tests (``read_logs``, ``find_plan``, ``find_tests``); each still
#: reads the file's bytes, and a workbook with the same bytes is scanned and parsed once.
_BOOKS: OrderedDict[tuple[int, bytes], tuple[dict[str, pd.DataFrame], WorkbookScan]] = OrderedDict()
#: How many workbooks :data:`_BOOKS` keeps (the least recently read goes first).
BOOK_CACHE_SIZE = 2


#: The error cells (:func:`excel_errors`) of the xlsx workbooks :func:`read_workbook` read lately.
_ERRORS: dict[tuple[int, bytes], dict[str, list[tuple[int, int, str]]]] = {}


def clear_workbook_cache() -> None:
    """Forget the workbooks read so far (:func:`read_workbook` scans and parses them again)."""
    _BOOKS.clear()
    _ERRORS.clear()


def read_workbook(path: Path, data: bytes) -> tuple[dict[str, pd.DataFrame], WorkbookScan]:
    """Grids of every sheet, after :func:`~analysis.loaders.base.inspect_workbook` passed the file.

    The same bytes are scanned and parsed once: a workbook read again (a report's log, plan and
    tests) comes from a small cache keyed by the content's digest, so a changed file is always
    read anew, and a refused one is never kept. Each call gets its own copies of the grids.
    """
    key = (len(data), hashlib.blake2b(data, digest_size=32).digest())
    hit = _BOOKS.get(key)
    if hit is None:
        hit = _read_workbook(path, data)
        _BOOKS[key] = hit
        while len(_BOOKS) > BOOK_CACHE_SIZE:
            _BOOKS.popitem(last=False)
    else:
        _BOOKS.move_to_end(key)
    sheets, scan = hit
    return {name: grid.copy() for name, grid in sheets.items()}, copy.deepcopy(scan)


def _read_workbook(path: Path, data: bytes) -> tuple[dict[str, pd.DataFrame], WorkbookScan]:
    seen: dict = {}
    scan = inspect_workbook(path, data, seen)

    def read_pandas(book: bytes, names: list[str] | None) -> dict[str, pd.DataFrame]:
        return _read_pandas(path, book, names)

    if scan.kind == "xlsx" and "parts" in seen:  # the bytes checked, never the path (which may have changed)
        sheets = read_xlsx_sheets(data, seen["parts"], seen["sheets"], read_pandas)
        _ERRORS[(len(data), hashlib.blake2b(data, digest_size=32).digest())] = _errors_in(seen["parts"])
        while len(_ERRORS) > BOOK_CACHE_SIZE:
            _ERRORS.pop(next(iter(_ERRORS)))
    else:  # .xls and .ods: fastexcel reads them, but not yet checked cell for cell against pandas
        sheets = read_pandas(data, None)
    return sheets, scan


def _read_pandas(path: Path, data: bytes, names: list[str] | None) -> dict[str, pd.DataFrame]:
    """``pd.read_excel`` of the sheets ``names`` (None: every sheet), each cell its own Python value."""
    try:  # the bytes checked, never the path (which may have changed, or steer calamine by its suffix)
        return pd.read_excel(io.BytesIO(data), sheet_name=names, header=None, engine="calamine", dtype=object)
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
    return read_workbook(path, data)


def excel_errors(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Cells of an xlsx that hold an error value (``#N/A``, ``#REF!``): ``{sheet: [(row, column, code)]}``,
    0-based. calamine reads them as empty cells, so a ``#REF!`` date would be carried down from the
    row above; the table reader writes the code back into the grid and reports each cell."""
    key = (len(data), hashlib.blake2b(data, digest_size=32).digest())
    if key in _ERRORS:  # found while the workbook was read (read_workbook): its parts are unpacked once
        return copy.deepcopy(_ERRORS[key])
    try:
        parts = Parts(data, (MAX_ZIP_MEMBERS, MAX_UNPACKED_BYTES, MAX_COMPRESSION_RATIO, RATIO_CHECK_BYTES))
    except (Refused, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return {}
    return _errors_in(parts)


def _errors_in(parts: Parts) -> dict[str, list[tuple[int, int, str]]]:
    """:func:`excel_errors` of a workbook's unpacked parts."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    try:
        if True:
            for entry in xlsx_entries(parts):
                name, member = entry.name, entry.part
                if member is None:
                    continue
                xml = parts.read(member)
                if b't="e"' not in xml:
                    continue
                for m in _ERROR_CELL.finditer(xml):
                    if not _ERROR_TYPE.search(m.group(1)):
                        continue
                    ref, value = _ERROR_REF.search(m.group(1)), _ERROR_VALUE.search(m.group(2))
                    if ref is None or value is None:
                        continue
                    col = 0
                    for ch in ref.group(1):
                        col = col * 26 + ch - 64
                    out.setdefault(name, []).append((int(ref.group(2)) - 1, col - 1, value.group(1).decode("ascii", "replace")))
    except (Refused, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return {}  # an xls, an ods or a part liftpace cannot read here: the cells stay as calamine read them
    return out


#: What each Excel error value means, for the problem text.
_ERROR_MEANING = {"#N/A": "a lookup that found nothing", "#REF!": "a formula pointing at a deleted cell",
                  "#VALUE!": "a formula given text for a number", "#DIV/0!": "a division by zero",
                  "#NAME?": "a formula with an unknown name"}


def _error_text(code: str, then: str) -> str:
    return f"an Excel error value ({_ERROR_MEANING.get(code, 'a formula that failed')}); {then}"


def _is_error_value(v: object) -> bool:
    return isinstance(v, str) and EXCEL_ERROR.fullmatch(v.strip()) is not None


def error_cells(data: pd.DataFrame) -> pd.Series:
    """Per row of ``data``: does a cell hold an Excel error value (``#N/A``, ``#DIV/0!``)?"""
    hit = pd.Series(False, index=data.index)
    for _, col in data.items():
        hit |= map_distinct(col, _is_error_value).astype(bool)
    return hit


def report_error_cells(sh, data: pd.DataFrame, fields: dict) -> pd.DataFrame:
    """The data rows without those whose key cell (exercise, date, athlete, distance) is an Excel error
    value (each ``dropped`` with a problem); an error in another column is reported (``kept``) and read
    as an empty cell."""
    if data.empty:
        return data
    hit = pd.DataFrame({pos: map_distinct(col, _is_error_value).astype(bool) for pos, col in data.items()},
                       index=data.index)
    if not hit.to_numpy().any():
        return data
    text = data.apply(lambda col: map_distinct(col, lambda v: v.strip() if isinstance(v, str) else None))
    names = {pos: field for field, (pos, _) in fields.items()}
    header = {"exercise": "Exercise", "date": "Date", "reps": "Reps", "weight": "Weight", "sets": "Sets",
              "duration": "Duration", "distance": "Distance", "pace": "Pace", "rpe": "RPE", "side": "Side",
              "avg_hr": "Avg HR", "elevation": "Elevation", "bodyweight": "Bodyweight"}
    key = pd.Series(False, index=data.index)
    for pos in hit.columns[hit.any()]:
        field = names.get(pos)
        if field is None:
            continue  # a column liftpace does not read
        rows = hit.index[hit[pos]]
        codes = text.loc[rows, pos]
        drop = field in ("exercise", "date", "athlete", "distance")
        then = "row not read" if drop else "read as an empty cell"
        why = map_distinct(codes, functools.partial(_error_text, then=then))
        sh.add(pd.Series(rows + 1, index=rows), header.get(field, field), codes, why, "dropped" if drop else "kept")
        if drop:
            key[rows] = True
    clean = data.mask(hit)
    return clean[~key.to_numpy()]


_NAMES = {";": "';'", "\t": "tabs", ",": "','"}


def resplit_rows(rows: list[list[str]], delim: str, *, first: int = 0) -> list[tuple[int, str]]:
    """Rows pasted with another separator (``;`` or tab in a comma file) split again, in place.

    A row read as one or two fields whose text splits on ``;`` or a tab into the number of fields
    most rows have (give or take one) is re-read with that separator. Returns ``(row number,
    note)`` for each (1-based, ``first`` = the number of the first row given).
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    wide = lengths[lengths > 2]
    if not len(wide):
        return []
    # the most common width; on a tie the one met first (as Counter.most_common), without a loop per row
    uniq, first_at, counts = np.unique(wide, return_index=True, return_counts=True)
    tied = counts == counts.max()
    width = int(uniq[tied][np.argmin(first_at[tied])])
    notes = []
    for i in np.flatnonzero(lengths <= 2).tolist():  # only the rows of one or two fields are looked at
        row = rows[i]
        if not any(c.strip() for c in row):
            continue
        line = delim.join(row)
        for other in (";", "\t", ","):
            if other == delim or other not in line:
                continue
            fields = next(csv.reader(io.StringIO(line), delimiter=other), [])
            if abs(len(fields) - width) <= 1:
                rows[i] = fields
                notes.append((first + i, f"this row separates its values with {_NAMES[other]} where the file uses "
                                         f"{_NAMES[delim]}; read with {_NAMES[other]}"))
                break
    return notes

"""An xlsx's sheets read column by column: the grids :func:`pd.read_excel` gives, without a Python call per cell.

``pd.read_excel(engine="calamine", header=None, dtype=object)`` (what
:func:`analysis.loaders.table_files.read_workbook` read every workbook with) builds each sheet as
Python lists and converts every cell in Python (about 8 us a cell). Here a large sheet is read in
two parts that meet at a row boundary:

* the **top rows** (the first :data:`TOP_ROWS` rows of the sheet XML: titles, notes, the header
  row) by that same pandas call, on a copy of the workbook whose large sheets are cut after those
  rows, so each of their cells keeps its own type exactly as before;
* the **rows below** by fastexcel (the same calamine parser, in Rust) as one typed Arrow column per
  sheet column, with ``dtype_coercion="strict"``: a column holding cells of two types (text beside
  numbers, a date typed as text among dates) makes fastexcel refuse, and that sheet is read by
  pandas as before. Each typed column becomes the cells pandas would have made (numbers that are
  whole as ``int``, dates as ``datetime``, blanks and pandas' missing-value texts as NaN) in numpy.

Anything this module is not sure of (a prefixed or out-of-order sheet XML, ISO dates, times of day,
dates outside 1904..9999, numbers past 2**63) goes to the pandas read for that sheet, so the grids
are always the ones pandas gives. The guards have run before (:func:`~analysis.loaders.guards.inspect_workbook`):
fastexcel parses the same bytes with the same calamine rules that they bound.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.loaders.workbook_scan import Extent, Parts

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TOP_ROWS", "read_xlsx_sheets"]

#: Rows at the top of a sheet read cell by cell (a title, notes, the header); the rest by column.
TOP_ROWS = 32
#: Texts pandas reads as missing (its default ``na_values``; fastexcel treats the same 19 as null).
_NA_TEXTS = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
             "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']([1-9][0-9]{0,6})["']""")
#: A timestamp before this is a time of day (calamine: a serial below 1.0, 1899-12-31 or 1904-01-01
#: depending on the workbook's date system): pandas gets a ``time`` there, fastexcel a date.
_FIRST_DAY = np.datetime64("1904-01-02", "ms")
_LAST_DAY = np.datetime64("9999-12-31T23:59:59.999", "ms")
_INT_LIMIT = 2.0**63
# fastexcel logs a warning for each column it finds no type for (all blank): not the user's concern
logging.getLogger("fastexcel").addHandler(logging.NullHandler())


class _Slow(Exception):
    """This sheet is read by pandas as before."""


def read_xlsx_sheets(data: bytes, parts: Parts, sheets: dict[str, tuple[str | None, Extent]],
                     read_pandas: Callable[[bytes, list[str] | None], dict[str, pd.DataFrame]]
                     ) -> dict[str, pd.DataFrame]:
    """Every sheet's grid of an xlsx the guards passed, as ``read_pandas(data, None)`` gives them.

    ``sheets``: the guards' ``{sheet name: (part, extent)}`` (the part calamine reads for the name);
    ``read_pandas(data, names)`` is the pandas read (``names`` None: every sheet). Any error is
    left to the pandas read of the whole workbook, so a damaged file is reported as before.
    Without fastexcel and pyarrow importable (both are dependencies; a broken install), every sheet is read by pandas.
    """
    try:
        import fastexcel
        import pyarrow  # noqa: F401 - fastexcel's to_arrow needs it
    except ImportError:
        return read_pandas(data, None)

    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
    except BaseException as exc:  # a Rust panic is a BaseException; pandas reports it
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        return read_pandas(data, None)
    cuts: dict[str, tuple[str, int, int]] = {}  # sheet -> (part, byte offset of the cut, rows above it)
    for name in names:
        part, ext = sheets.get(name, (None, Extent()))
        if part is None or ext.refs is None or names.count(name) != 1:
            continue
        cut = _cut(parts.read(part), ext)
        if cut is not None:
            cuts[name] = (part, *cut)
    if not cuts:
        return read_pandas(data, None)
    try:
        top = read_pandas(_cut_book(parts, {part: offset for part, offset, _ in cuts.values()}), None)
    except Exception:  # whatever the cut copy does, the whole book is read as before
        return read_pandas(data, None)
    if list(top) != names:
        return read_pandas(data, None)
    out: dict[str, pd.DataFrame] = {}
    slow: list[str] = []
    for name in names:
        if name not in cuts:
            out[name] = top[name]
            continue
        try:
            out[name] = _join(top[name], cuts[name][2], reader, name)
        except _Slow:
            slow.append(name)
    if slow:
        out.update(read_pandas(data, slow))
    return {name: out[name] for name in names}


def _cut(xml: bytes, ext: Extent) -> tuple[int, int] | None:
    """``(byte offset, rows above)`` where the sheet XML is cut after :data:`TOP_ROWS` rows: every
    cell before the offset in a row above, every cell after it in a row below; None when the sheet
    is small, not laid out as Excel writes it, or holds ISO dates (``t="d"``)."""
    assert ext.refs is not None
    rows = ext.refs[0]
    if len(rows) <= TOP_ROWS or b't="d"' in xml or b"<worksheet" not in xml[:4096]:
        return None
    tags = _ROW_TAG.finditer(xml)
    for _ in range(TOP_ROWS):
        if next(tags, None) is None:
            return None
    m = next(tags, None)
    if m is None:
        return None
    number = _ROW_NUMBER.search(b" " + m.group(1))
    if number is None:
        return None
    first = int(number.group(1))  # 1-based: the rows above it are read from the top
    head = xml[:m.start()]
    start = head.find(b"<sheetData")
    if start < 0 or b"</sheetData" in head:
        return None
    above = head.count(b"<c", start)  # there every "<c" is a cell element (the guards' plain-reference path)
    if above == 0 or above >= len(rows) or rows[:above].max() >= first or rows[above:].min() < first:
        return None
    return m.start(), first - 1


def _cut_book(parts: Parts, cut: dict[str, int]) -> bytes:
    """The workbook's XML parts in a new zip (stored), the cut sheets ending at their cut."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, xml in parts.xml.items():
            if name in cut:
                xml = xml[:cut[name]] + b"</sheetData></worksheet>"
            zf.writestr(name, xml)
    return buf.getvalue()


def _join(top: pd.DataFrame, above: int, reader, name: str) -> pd.DataFrame:
    """The top rows (read by pandas, ``above`` rows of the sheet) and the rows below, read by fastexcel."""
    try:
        sheet = reader.load_sheet(name, header_row=None, skip_rows=above, schema_sample_rows=None,
                                  dtype_coercion="strict")
        batch = sheet.to_arrow()
        columns = [c.absolute_index for c in sheet.selected_columns]
    except BaseException as exc:  # a mixed column (or anything else): pandas reads it
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise _Slow from None
    body = batch.num_rows
    if body == 0:
        return top
    width = max(len(top.columns), max(columns, default=-1) + 1)
    n = above + body
    out: dict[int, np.ndarray] = {}
    for j in range(width):
        col = np.full(n, np.nan, dtype=object)
        if j < len(top.columns):
            col[:len(top)] = top[j].to_numpy(dtype=object)
        out[j] = col
    for j, arr in zip(columns, batch.columns, strict=True):
        out[j][above:] = _cells(arr)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n), dtype=object)
    frame.columns = pd.Index(list(out), dtype="int64")  # as pandas' parser names them (not a RangeIndex)
    return frame


def _cells(arr: pa.Array) -> np.ndarray:
    """One typed column as the cells pandas makes: Python objects, NaN for blanks."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = arr.type
    n = len(arr)
    if pa.types.is_null(kind):
        return np.full(n, np.nan, dtype=object)
    missing = arr.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        out = arr.to_numpy(zero_copy_only=False).astype(object, copy=False)
        missing |= pc.is_in(arr, value_set=pa.array(_NA_TEXTS, type=arr.type)).to_numpy(zero_copy_only=False)
    elif pa.types.is_floating(kind):
        values = arr.fill_null(0.0).to_numpy(zero_copy_only=False)
        out = values.astype(object)
        whole = np.isfinite(values) & (values == np.trunc(values))
        if (whole & (np.abs(values) >= _INT_LIMIT)).any():
            raise _Slow  # int() of a float past int64: pandas makes a Python int numpy cannot
        out[whole] = values[whole].astype(np.int64).astype(object)
    elif pa.types.is_integer(kind):
        out = arr.fill_null(0).to_numpy(zero_copy_only=False).astype(object)
    elif pa.types.is_boolean(kind):
        out = arr.fill_null(False).to_numpy(zero_copy_only=False).astype(object)
    elif pa.types.is_timestamp(kind) and kind.tz is None:
        values = arr.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False)
        seen = values[~missing]
        if len(seen) and (seen.min() < _FIRST_DAY or seen.max() > _LAST_DAY):
            raise _Slow  # times of day (pandas: datetime.time) or years calamine gives as numbers
        out = values.astype(object)
    elif pa.types.is_duration(kind):
        out = arr.cast(pa.duration("ms")).to_numpy(zero_copy_only=False).astype(object)
    else:
        raise _Slow  # dates from ISO text, or a type not met before: pandas reads it
    if missing.any():
        out[missing] = np.nan
    return out

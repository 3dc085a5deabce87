"""File guards: what a file really is, and how much reading it may cost, checked before any parser runs.

A hostile or damaged file must be refused quickly, in bounded memory, with one message naming
the file; the other files still load. Every bound is in :data:`LIMITS` (the table
``docs/bad_files.md`` shows) and checked on what the parser will actually read:

* :func:`binary_kind` names a binary file from its first bytes;
* :func:`inspect_workbook` checks a workbook before calamine sees it: zip parts unpacked with
  their output capped at their declared size, the sheets calamine will read and the range it
  will allocate for each (:mod:`analysis.loaders.workbook_scan`, :mod:`analysis.loaders.xls_scan`);
  anything it cannot read the way calamine reads it is refused, never passed on unchecked;
* :func:`check_text_lines` bounds the lines of a CSV, :func:`check_markup` the points and tags
  of a GPX or TCX file; gzip is unpacked streamed, at most :data:`MAX_RUN_FILE_BYTES`
  (:func:`analysis.loaders.runs_common.read_payload`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import LogFormatError
from analysis.loaders.workbook_scan import (
    Extent,
    Parts,
    Refused,
    WorkbookScan,
    ods_tables,
    uncached_formulas,
    xlsx_entries,
    xlsx_shared_strings,
    xlsx_sheet,
)

__all__ = [
    "LIMITS",
    "MAX_ATHLETES",
    "MAX_CANONICAL_LINES",
    "MAX_CELL_VALUES",
    "MAX_CSV_COLUMNS",
    "MAX_CSV_FIELD",
    "MAX_FILE_BYTES",
    "MAX_FIT_MESSAGES",
    "MAX_NAME_CHARS",
    "MAX_RUN_FILE_BYTES",
    "MAX_SHEETS",
    "MAX_SHEET_CELLS",
    "MAX_TEXT_LINES",
    "MAX_TRACKPOINTS",
    "MAX_UNPACKED_BYTES",
    "MAX_WORKBOOK_CELLS",
    "MAX_XML_TAGS",
    "MAX_ZIP_MEMBERS",
    "Limit",
    "WorkbookScan",
    "binary_kind",
    "check_fit",
    "check_markup",
    "check_text_lines",
    "inspect_workbook",
    "limits_table",
]

_MB = 2**20


@dataclass(frozen=True)
class Limit:
    """One bound on what reading a file may cost: its value, what it bounds, what happens at it."""

    value: int
    unit: str
    bounds: str
    at_limit: str


#: Every bound on a file liftpace reads, in one place (``docs/bad_files.md`` shows this table).
LIMITS: dict[str, Limit] = {
    "MAX_FILE_BYTES": Limit(200 * _MB, "bytes", "size of one file", "refused, before it is read or compared"),
    "MAX_TEXT_LINES": Limit(1_000_000, "lines", "lines of a CSV read cell by cell (coach logs, app exports)",
                            "refused"),
    "MAX_CANONICAL_LINES": Limit(3_000_000, "lines", "lines of a liftpace canonical CSV (read column-wise)",
                                 "refused"),
    "MAX_CSV_COLUMNS": Limit(512, "fields", "fields of one CSV row", "the row is cut to this many (kept note)"),
    "MAX_CSV_FIELD": Limit(64 * _MB, "characters", "one CSV field", "refused"),
    "MAX_ZIP_MEMBERS": Limit(10_000, "parts", "parts of a workbook (xlsx and ods are zip files)", "refused"),
    "MAX_UNPACKED_BYTES": Limit(200 * _MB, "bytes",
                                "a workbook unpacked, and the sheet XML calamine parses for it", "refused"),
    "MAX_COMPRESSION_RATIO": Limit(100, "times", "unpacked / stored size of a workbook part over 10 MB",
                                   "refused (a zip bomb)"),
    "MAX_SHEETS": Limit(256, "sheets", "sheets of one workbook", "refused"),
    "MAX_SHEET_CELLS": Limit(5_000_000, "cells",
                             "one sheet's range (rows x columns up to its farthest cell), and its cell elements",
                             "refused"),
    "MAX_WORKBOOK_CELLS": Limit(10_000_000, "cells", "the ranges of all the sheets of one workbook", "refused"),
    "MAX_CELL_VALUES": Limit(1_500_000, "cells", "cells written in one workbook (each is read and checked: "
                             "about 4 s per million in xlsx, 12 s in ods)", "refused"),
    "MAX_RUN_FILE_BYTES": Limit(64 * _MB, "bytes", "a GPX, TCX or FIT file, unpacked from .gz (streamed)",
                                "refused"),
    "MAX_TRACKPOINTS": Limit(200_000, "points", "track, route and way points of one GPX or TCX file "
                             "(55 hours at one a second)", "refused"),
    "MAX_XML_TAGS": Limit(4_000_000, "tags", "tags of one GPX or TCX file", "refused"),
    "MAX_FIT_MESSAGES": Limit(200_000, "messages", "messages of one FIT file (counted from the record "
                              "headers before decoding; 55 hours of one a second)", "refused"),
    "MAX_ATHLETES": Limit(200, "athletes", "athletes one `liftpace squad` run writes reports for",
                          "the run stops before writing (check still lists them all)"),
    "MAX_NAME_CHARS": Limit(200, "characters", "an athlete or exercise name", "cut (fixed note)"),
}
MAX_FILE_BYTES = LIMITS["MAX_FILE_BYTES"].value
MAX_TEXT_LINES = LIMITS["MAX_TEXT_LINES"].value
MAX_CANONICAL_LINES = LIMITS["MAX_CANONICAL_LINES"].value
MAX_CSV_COLUMNS = LIMITS["MAX_CSV_COLUMNS"].value
MAX_CSV_FIELD = LIMITS["MAX_CSV_FIELD"].value
MAX_ZIP_MEMBERS = LIMITS["MAX_ZIP_MEMBERS"].value
MAX_UNPACKED_BYTES = LIMITS["MAX_UNPACKED_BYTES"].value
MAX_COMPRESSION_RATIO = LIMITS["MAX_COMPRESSION_RATIO"].value
RATIO_CHECK_BYTES = 10 * _MB
MAX_SHEETS = LIMITS["MAX_SHEETS"].value
MAX_SHEET_CELLS = LIMITS["MAX_SHEET_CELLS"].value
MAX_WORKBOOK_CELLS = LIMITS["MAX_WORKBOOK_CELLS"].value
MAX_CELL_VALUES = LIMITS["MAX_CELL_VALUES"].value
MAX_RUN_FILE_BYTES = LIMITS["MAX_RUN_FILE_BYTES"].value
MAX_TRACKPOINTS = LIMITS["MAX_TRACKPOINTS"].value
MAX_XML_TAGS = LIMITS["MAX_XML_TAGS"].value
MAX_FIT_MESSAGES = LIMITS["MAX_FIT_MESSAGES"].value
MAX_ATHLETES = LIMITS["MAX_ATHLETES"].value
MAX_NAME_CHARS = LIMITS["MAX_NAME_CHARS"].value


def limits_table() -> str:
    """:data:`LIMITS` as the Markdown table ``docs/bad_files.md`` shows (a test keeps them equal)."""
    def shown(lim: Limit) -> str:
        if lim.unit == "bytes":
            return f"{lim.value // _MB} MB"
        if lim.unit == "characters" and lim.value >= _MB:
            return f"{lim.value // _MB} M characters"
        return f"{lim.value:,} {lim.unit}"

    rows = ["| limit | bounds | at the limit |", "|---|---|---|"]
    rows += [f"| {shown(lim)} | {lim.bounds} | {lim.at_limit} |" for lim in LIMITS.values()]
    return "\n".join(rows)


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 (old Office) file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def binary_kind(head: bytes) -> str | None:
    """What a file is when its first bytes say it is not text (``"a PNG image"``), else None.

    Examples
    --------
    >>> binary_kind(b"%PDF-1.7 ..."), binary_kind(b"Date,Exercise")
    ('a PDF document', None)
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "a FIT activity file"
    return None


def _refuse(path: Path, text: str) -> LogFormatError:
    return LogFormatError(f"{path.name}: {text}", path=str(path))


_DAMAGED = ("could not be read as a workbook ({why}). liftpace reads .xlsx, .xlsm, .xls and .ods workbooks that "
            "open in Excel; this one looks damaged or cut off: copy or download it again, or open it in Excel "
            "(which can repair it) and save a copy.")


def inspect_workbook(path: Path, data: bytes, seen: dict | None = None) -> WorkbookScan:
    """Check a workbook before calamine reads it; raise :class:`LogFormatError` if unsafe.

    Refused: an encrypted (password-protected) Office file; a damaged or ambiguous zip; a zip
    that is not a workbook (a Word file, a zip of CSVs, an .xlsb); more than
    :data:`MAX_ZIP_MEMBERS` parts or :data:`MAX_UNPACKED_BYTES` unpacked; a part that unpacks to
    more than it declares, or over :data:`MAX_COMPRESSION_RATIO` times its stored size (zip
    bombs); an XML part that declares a DTD or entities; more than :data:`MAX_SHEETS` sheets; a
    sheet whose range reaches past :data:`MAX_SHEET_CELLS` cells or sheets past
    :data:`MAX_WORKBOOK_CELLS` together; and any structure that cannot be read the way calamine
    reads it (XML that is not well-formed, cell references Excel never writes).

    ``seen``, when given, gets what the scan of an xlsx unpacked, for the reader: ``"parts"`` (the
    :class:`Parts`) and ``"sheets"`` (``{sheet name: (part, Extent)}``, the part calamine reads).
    """
    try:
        if data.startswith(_OLE):
            from analysis.loaders.xls_scan import inspect_xls

            return inspect_xls(path, data, (MAX_SHEETS, MAX_SHEET_CELLS, MAX_WORKBOOK_CELLS,
                                            2 * MAX_WORKBOOK_CELLS, MAX_CELL_VALUES))
        try:
            parts = Parts(data, (MAX_ZIP_MEMBERS, MAX_UNPACKED_BYTES, MAX_COMPRESSION_RATIO, RATIO_CHECK_BYTES))
        except Refused as exc:
            text = str(exc)
            if text.startswith("could not be read as a workbook ("):
                raise _refuse(path, _DAMAGED.format(why=text[len("could not be read as a workbook ("):-1])) from None
            raise
        kind = _zip_kind(path, parts)
        return _inspect_xlsx(path, parts, seen) if kind == "xlsx" else _inspect_ods(path, parts)
    except Refused as exc:
        text = str(exc)
        if not text.endswith("."):
            text += "."
        raise _refuse(path, "refused: " + text) from None


def _zip_kind(path: Path, parts: Parts) -> str:
    """``"xlsx"`` or ``"ods"``; anything else, or a zip calamine could read as another format, refused."""
    if parts.find("xl/workbook.bin") is not None:
        raise _refuse(path, "is an Excel binary workbook (.xlsb); liftpace reads .xlsx, .xlsm, .xls and .ods: "
                            "open it in Excel and save it as .xlsx.")
    mime = parts.read("mimetype")[:46] if "mimetype" in parts.names else b""
    if parts.find("xl/workbook.xml") is not None:
        if mime:  # calamine would try it as an OpenDocument file if Excel's reading failed
            raise Refused("it holds both an Excel workbook and an OpenDocument mimetype; it looks crafted")
        return "xlsx"
    if mime == _ODS_MIME:
        if parts.find("_rels/.rels") is not None:
            raise Refused("it holds both an OpenDocument spreadsheet and Excel package parts; it looks crafted")
        return "ods"
    names = parts.names
    what = ("a Word document" if parts.find("word/document.xml") else
            "a PowerPoint file" if parts.find("ppt/presentation.xml") else
            "an OpenDocument file that is not a spreadsheet" if "mimetype" in names else
            f"a zip archive of {len(names)} file(s) ({', '.join(sorted(names)[:3])}{', ...' if len(names) > 3 else ''})")
    raise _refuse(path, f"is {what}, not a workbook; liftpace reads .xlsx, .xlsm, .xls and .ods "
                        "workbooks and CSV files (unpack an archive and pass the files inside it).")


def _too_big(sheet: str, ext: Extent) -> Refused:
    return Refused(f"sheet {sheet!r} has cells as far as row {ext.rows:,} and column {ext.cols:,}, a range of "
                   f"{ext.area:,} cells, more than liftpace's limit of {MAX_SHEET_CELLS:,}. Usually a stray value "
                   "far to the right or below the log: delete the empty rows and columns after the data and save")


def _check_sheets(counts: list[tuple[str, Extent, int]]) -> None:
    """``(sheet, extent, bytes parsed)`` of every sheet read, in the order pandas reads them."""
    if len(counts) > MAX_SHEETS:
        raise Refused(f"the workbook has {len(counts):,} sheets, more than liftpace's limit of {MAX_SHEETS}")
    cells = parsed = values = 0
    for sheet, ext, size in counts:
        if ext.area > MAX_SHEET_CELLS:
            raise _too_big(sheet, ext)
        cells += ext.area
        values += ext.cells
        parsed += size
    if values > MAX_CELL_VALUES:
        raise Refused(f"its sheets hold {values:,} cells, more than liftpace's limit of {MAX_CELL_VALUES:,} for one "
                      "workbook; save the log sheets as CSV (liftpace reads millions of rows from CSV)")
    if cells > MAX_WORKBOOK_CELLS:
        raise Refused(f"its sheets together span {cells:,} cells, more than liftpace's limit of "
                      f"{MAX_WORKBOOK_CELLS:,}; save the log sheets as separate files or as CSV")
    if parsed > MAX_UNPACKED_BYTES:
        raise Refused(f"reading its sheets means parsing {parsed / _MB:,.0f} MB of XML (sheets that share one part), "
                      f"more than liftpace's limit of {MAX_UNPACKED_BYTES // _MB} MB")


def _inspect_xlsx(path: Path, parts: Parts, seen: dict | None = None) -> WorkbookScan:
    scan = WorkbookScan(kind="xlsx")
    entries = xlsx_entries(parts)
    if len(entries) > MAX_SHEETS:
        raise Refused(f"the workbook has {len(entries):,} sheets, more than liftpace's limit of {MAX_SHEETS}")
    strings = xlsx_shared_strings(parts)
    if strings > MAX_WORKBOOK_CELLS:
        raise Refused(f"it declares {strings:,} shared strings, more than a workbook within liftpace's limits "
                      "can hold; it looks crafted")
    first: dict[str, str | None] = {}  # calamine reads a sheet name's first entry
    for entry in entries:
        first.setdefault(entry.name, entry.part)
        if entry.hidden and entry.name not in scan.hidden:
            scan.hidden.append(entry.name)
    extents: dict[str, Extent] = {}
    counts = []
    for entry in entries:
        part = first[entry.name]
        if part is None:
            counts.append((entry.name, Extent(), 0))
            continue
        if part not in extents:
            xml = parts.read(part)
            extents[part] = xlsx_sheet(xml, part, MAX_CELL_VALUES)
            if extents[part].area > MAX_SHEET_CELLS:
                raise _too_big(entry.name, extents[part])
            cells = uncached_formulas(xml)
            if cells:
                scan.formulas[entry.name] = cells
        counts.append((entry.name, extents[part], parts.size(part)))
    _check_sheets(counts)
    if seen is not None:
        seen["parts"] = parts
        seen["sheets"] = {entry.name: (first[entry.name], extents.get(first[entry.name] or "", Extent()))
                          for entry in entries}
    return scan


def _inspect_ods(path: Path, parts: Parts) -> WorkbookScan:
    scan = WorkbookScan(kind="ods")
    if "content.xml" not in parts.names:
        return scan  # calamine refuses it with its own message
    tables = ods_tables(parts.read("content.xml"), MAX_CELL_VALUES)
    last = {t.name: t.extent for t in tables}  # calamine keeps a name's last table
    for table in tables:
        if table.hidden and table.name not in scan.hidden:
            scan.hidden.append(table.name)
        if table.extent.cells > MAX_SHEET_CELLS:
            raise _too_big(table.name, table.extent)
    _check_sheets([(t.name, last[t.name], 0) for t in tables])
    return scan


# --- text and run files ----------------------------------------------------------------------------


def check_text_lines(path: Path, limit: int) -> None:
    """Refuse a text file of more than ``limit`` lines (LF, CR and CRLF each end one line),
    counted in 1 MB steps before any reader parses it."""
    lines = 0
    last_cr = False
    with path.open("rb") as fh:
        while chunk := fh.read(_MB):
            lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            lines -= last_cr and chunk.startswith(b"\n")  # a CRLF split between two steps
            last_cr = chunk.endswith(b"\r")
    if lines > limit:
        raise _refuse(path, f"refused: {lines:,} lines, more than liftpace's limit of {limit:,} lines for this kind "
                            "of file; split it (by year or by athlete) and load the parts together.")


_POINTS = re.compile(rb"<(?:[^\s/>:]*:)?(?:trkpt|rtept|wpt|Trackpoint)(?=[\s/>])")


def check_markup(path: Path, data: bytes, kind: str) -> None:
    """Refuse a GPX or TCX file of more than :data:`MAX_TRACKPOINTS` points or :data:`MAX_XML_TAGS` tags."""
    tags = data.count(b"<")
    if tags > MAX_XML_TAGS:
        raise _refuse(path, f"refused: the {kind} file has {tags:,} tags, more than liftpace's limit of "
                            f"{MAX_XML_TAGS:,}; a run file is a few thousand points.")
    points = len(_POINTS.findall(data))
    if points > MAX_TRACKPOINTS:
        raise _refuse(path, f"refused: the {kind} file has {points:,} points, more than liftpace's limit of "
                            f"{MAX_TRACKPOINTS:,} (55 hours at one a second); export single activities.")


def fit_messages(data: bytes, stop: int) -> int:
    """Messages of a FIT file (chained files too), counted from record headers and definition
    sizes without decoding a field; counting stops once it passes ``stop``."""
    n = pos = 0
    while pos + 12 <= len(data) and data[pos + 8:pos + 12] == b".FIT" and data[pos] >= 12:
        start, size = pos + data[pos], int.from_bytes(data[pos + 4:pos + 8], "little")
        end = min(len(data), start + size) if size else len(data)
        sizes: dict[int, int] = {}
        at = start
        while at < end and n <= stop:
            head = data[at]
            at += 1
            if head & 0x80 == 0 and head & 0x40:  # a definition: its data messages' size
                if at + 5 > end:
                    break
                fields = data[at + 4]
                body = sum(data[at + 5 + 3 * i + 1] for i in range(fields) if at + 5 + 3 * i + 1 < end)
                at += 5 + 3 * fields
                if head & 0x20 and at < end:  # developer fields
                    dev = data[at]
                    body += sum(data[at + 1 + 3 * i + 1] for i in range(dev) if at + 1 + 3 * i + 1 < end)
                    at += 1 + 3 * dev
                sizes[head & 0x0F] = body
            else:
                local = (head >> 5) & 0x03 if head & 0x80 else head & 0x0F
                if local not in sizes:
                    break  # a data message without a definition: the decoder refuses the file
                at += sizes[local]
            n += 1
        pos = start + size + 2
        if not size:
            break
    return n


def check_fit(path: Path, data: bytes) -> None:
    """Refuse a FIT file of more than :data:`MAX_FIT_MESSAGES` messages before it is decoded."""
    if fit_messages(data, MAX_FIT_MESSAGES) > MAX_FIT_MESSAGES:
        raise _refuse(path, f"refused: more than {MAX_FIT_MESSAGES:,} messages, liftpace's limit for one FIT file "
                            "(a single activity has a few thousand).")

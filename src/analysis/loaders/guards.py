"""File guards: what a file really is, checked before any parser sees it.

A hostile or damaged file must be refused quickly, in bounded memory, with a message naming the
file. :func:`binary_kind` names a binary file from its first bytes. Workbooks are zip (xlsx,
ods) or OLE2 (xls) containers: :func:`inspect_workbook` checks their declared sizes,
compression ratios, XML prologs and used ranges before calamine allocates anything, and notes
hidden sheets and formulas without a saved value (:class:`WorkbookScan`).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import LogFormatError

__all__ = ["MAX_SHEET_CELLS", "MAX_UNCOMPRESSED_BYTES", "MAX_ZIP_MEMBERS", "WorkbookScan", "binary_kind",
           "inspect_workbook"]

#: Most members a workbook zip may hold.
MAX_ZIP_MEMBERS = 10_000
#: Largest total declared uncompressed size of a workbook's members, in bytes.
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
#: Largest compression ratio of a member bigger than :data:`RATIO_CHECK_BYTES` (zip bombs).
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_BYTES = 10 * 2**20
#: Largest used range of one sheet (rows x columns): calamine allocates every cell of it.
MAX_SHEET_CELLS = 5_000_000

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
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


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


@dataclass
class WorkbookScan:
    """What :func:`inspect_workbook` found: the container kind and notes per sheet.

    ``formulas`` maps a sheet name to ``(row, column, formula)`` of cells (0-based) that hold a
    formula without a saved value (calamine reads them as empty); ``hidden`` lists hidden sheets.
    """

    kind: str  # "xlsx", "ods" or "xls"
    hidden: list[str] = field(default_factory=list)
    formulas: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)


def _refuse(path: Path, text: str) -> LogFormatError:
    return LogFormatError(f"{path.name}: {text}", path=str(path))


def inspect_workbook(path: Path, data: bytes) -> WorkbookScan:
    """Check a workbook's container before calamine reads it; raise :class:`LogFormatError` if unsafe.

    Refused: a damaged zip, a zip that is not a workbook (a Word file, a zip of CSVs), more than
    :data:`MAX_ZIP_MEMBERS` members, more than :data:`MAX_UNCOMPRESSED_BYTES` declared, a large
    member compressed more than :data:`MAX_COMPRESSION_RATIO` times (a zip bomb), an XML part that
    declares a DTD or entities (real workbooks never do; entity expansion is a known attack), a
    sheet whose used range spans more than :data:`MAX_SHEET_CELLS` cells, and an encrypted
    (password-protected) Office file.
    """
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(path, "is password-protected (an encrypted Office file), so liftpace cannot read it. "
                                "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
                                "with Password, clear it), save, and try again.")
        if not any(n.encode("utf-16-le") in data for n in ("Workbook", "Book")):
            raise _refuse(path, "is an old-style Office file (OLE2) but not an Excel workbook (a Word .doc?); "
                                "liftpace reads .xlsx, .xlsm, .xls and .ods workbooks and CSV files.")
        return WorkbookScan(kind="xls")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(path, f"could not be read as a workbook ({exc}). liftpace reads .xlsx, .xlsm, .xls and "
                            ".ods workbooks that open in Excel; this one looks damaged or cut off: copy or "
                            "download it again, or open it in Excel (which can repair it) and save a copy.") from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if len(infos) > MAX_ZIP_MEMBERS:
            raise _refuse(path, f"refused: the workbook holds {len(infos)} parts, more than liftpace's limit of "
                                f"{MAX_ZIP_MEMBERS}; a real workbook has a few dozen.")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _refuse(path, f"refused: the workbook unpacks to {total / 2**20:.0f} MB, more than liftpace's "
                                f"limit of {MAX_UNCOMPRESSED_BYTES // 2**20} MB (a zip bomb, or a workbook too "
                                "big to read: save the log sheets as CSV instead).")
        for i in infos:
            if i.file_size > RATIO_CHECK_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1):
                raise _refuse(path, f"refused: the part {i.filename!r} unpacks {i.file_size // max(i.compress_size, 1)} "
                                    f"times larger than it is stored (a zip bomb); real workbooks compress about "
                                    "10 times.")
        if "xl/workbook.xml" in names:
            kind = "xlsx"
        elif "mimetype" in names and zf.read("mimetype")[:64].startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            kind = "ods"
        else:
            what = ("a Word document" if "word/document.xml" in names else
                    "a PowerPoint file" if "ppt/presentation.xml" in names else
                    "an OpenDocument file that is not a spreadsheet" if "mimetype" in names else
                    f"a zip archive of {len(infos)} file(s) ({', '.join(sorted(names)[:3])}"
                    f"{', ...' if len(names) > 3 else ''})")
            raise _refuse(path, f"is {what}, not a workbook; liftpace reads .xlsx, .xlsm, .xls and .ods "
                                "workbooks and CSV files (unpack an archive and pass the files inside it).")
        try:
            for i in infos:
                if i.filename.lower().endswith((".xml", ".rels", ".vml")) and i.file_size:
                    with zf.open(i) as fh:
                        if _DTD.search(fh.read(65536)):
                            raise _refuse(path, f"refused: the part {i.filename!r} declares an XML DTD or "
                                                "entities, which Excel and LibreOffice never write (entity "
                                                "expansion is a known attack). Save the workbook again from "
                                                "Excel.")
            scan = _scan_xlsx(path, zf) if kind == "xlsx" else _scan_ods(path, zf)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise _refuse(path, f"the workbook is damaged ({exc}). Open it in Excel (which can repair it) "
                                "and save a copy.") from None
    return scan


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_big(path: Path, sheet: str, rows: int, cols: int) -> None:
    if rows * cols > MAX_SHEET_CELLS:
        raise _refuse(path, f"refused: sheet {sheet!r} has cells as far as row {rows:,} and column {cols:,}, "
                            f"a range of {rows * cols:,} cells, more than liftpace's limit of "
                            f"{MAX_SHEET_CELLS:,}. Usually a stray value far to the right or below the log: "
                            "delete the empty rows and columns after the data and save.")


def _xlsx_sheets(zf: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(sheet name, zip member, hidden) from ``xl/workbook.xml`` and its relationships."""
    import defusedxml.ElementTree as SafeET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = SafeET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
    targets = {}
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = target
    out = []
    for sheet in book.iter(f"{ns_main}sheet"):
        member = targets.get(sheet.get(f"{ns_rel}id"), "")
        out.append((sheet.get("name", ""), member, sheet.get("state", "visible") != "visible"))
    return out


def _scan_xlsx(path: Path, zf: zipfile.ZipFile) -> WorkbookScan:
    """Used range and formulas without a saved value, per sheet (a pass of regexes per sheet)."""
    scan = WorkbookScan(kind="xlsx")
    try:
        sheets = _xlsx_sheets(zf)
    except Exception:  # a malformed workbook.xml: calamine will report it
        return scan
    members = set(zf.namelist())
    for name, member, hidden in sheets:
        if hidden:
            scan.hidden.append(name)
        if member not in members:
            continue
        xml = zf.read(member)
        rows, cols = _extent(xml)
        _too_big(path, name, rows, cols)
        cells = _uncached_formulas(xml)
        if cells:
            scan.formulas[name] = cells
    return scan


def _extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) referenced by a sheet's cells; the rare long refs are searched first."""
    max_row = 0
    for digits in (b"6,7", b"4,5", b"1,3"):
        found = re.findall(rb'r="[A-Z]{1,3}(\d{%s})"' % digits, xml)
        if found:
            max_row = max(int(x) for x in set(found))
            break
    found = re.findall(rb'r="([A-Z]{2,3})\d', xml)
    if found:
        return max_row, max(_col_number(x) for x in set(found))
    if max_row * 26 <= MAX_SHEET_CELLS:
        return max_row, 26 if max_row else 0
    for ch in reversed(range(65, 91)):  # single-letter columns on a very long sheet: find the last
        if re.search(rb'r="%c\d' % ch, xml):
            return max_row, ch - 64
    return max_row, 0


def _uncached_formulas(xml: bytes) -> list[tuple[int, int, str]]:
    """Cells with a formula and no saved value (openpyxl and some exporters write them)."""
    if xml.find(b"f>") < 0:  # every formula has a closing </f> (shared ones: on their first cell)
        return []
    out = []
    for m in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
        end = xml.find(b"c>", m.end())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        tag_end = cell.find(b">")
        head = cell[:tag_end]
        ref = _REF.search(head)
        kind = _TYPE.search(head)
        if ref is None or _VALUE.search(cell) or (kind is not None and kind.group(1) in (b"str", b"e")):
            continue
        text = _FORMULA_TEXT.search(cell)
        formula = "=" + text.group(1).decode("utf-8", "replace") if text and text.group(1) else "(shared formula)"
        out.append((int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1, html.unescape(formula)))
    return out


def _scan_ods(path: Path, zf: zipfile.ZipFile) -> WorkbookScan:
    """Used range per table of an ODS ``content.xml``: repeated rows/cells that hold values count."""
    import defusedxml.ElementTree as SafeET

    scan = WorkbookScan(kind="ods")
    if "content.xml" not in zf.namelist():
        return scan
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    value_type = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
    name, row, max_row, max_col, row_has_value, col = "", 0, 0, 0, False, 0
    try:
        with zf.open("content.xml") as fh:
            for event, elem in SafeET.iterparse(fh, events=("start", "end"), forbid_dtd=True):
                tag = elem.tag
                if event == "start":
                    if tag == f"{t}table":
                        name, row, max_row, max_col = elem.get(f"{t}name", ""), 0, 0, 0
                        if elem.get(f"{t}display") == "false":
                            scan.hidden.append(name)
                    elif tag == f"{t}table-row":
                        col, row_has_value = 0, False
                    continue
                if tag in (f"{t}table-cell", f"{t}covered-table-cell"):
                    repeat = int(elem.get(f"{t}number-columns-repeated", "1") or 1)
                    col += repeat
                    if elem.get(value_type) is not None or len(elem):
                        row_has_value = True
                        max_col = max(max_col, col)
                    elem.clear()
                elif tag == f"{t}table-row":
                    repeat = int(elem.get(f"{t}number-rows-repeated", "1") or 1)
                    row += repeat
                    if row_has_value:
                        max_row = row
                    _too_big(path, name, max_row, max_col)
                    elem.clear()
    except LogFormatError:
        raise
    except Exception:  # malformed content.xml: calamine will report it
        return scan
    return scan

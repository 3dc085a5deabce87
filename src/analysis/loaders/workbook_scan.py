"""What calamine would read and allocate for an xlsx or ods workbook, worked out before it runs.

calamine (the Rust reader behind ``pd.read_excel(engine="calamine")``) allocates a sheet's whole
used range at once, from the row and column of the farthest cell, so one cell reference can ask
for hundreds of gigabytes, and a failed allocation aborts the Python process. This module
follows calamine's own rules (read from its source, ``src/xlsx`` and ``src/ods.rs``) on the exact
bytes it will be given, and raises :class:`Refused` when the structure cannot be read the way
calamine reads it, instead of passing the file on unchecked (*fail closed*):

* **zip parts** (:class:`Parts`): every part is unpacked once, with its output capped at its
  declared size, so a part that unpacks to more than it declares is refused; names are matched
  as calamine matches them (ASCII case ignored, ``\\`` read as ``/``), and two parts with the
  same such name are refused.
* **xlsx** (:func:`xlsx_entries`, :func:`xlsx_sheet`): the workbook's sheet entries through the
  package and workbook relationships, as calamine resolves them; each sheet's cells by their
  ``r`` reference (letters in either case, any number of digits, 32-bit arithmetic as in
  calamine) or, for cells without one, by their place in the row.
* **ods** (:func:`ods_tables`): ``content.xml``'s tables by their qualified names, as calamine
  matches them, with repeated rows and columns counted out.

XML that is not well-formed, tags nested where calamine would read them differently, and
encodings other than UTF-8 are refused. The limits themselves are in
:mod:`analysis.loaders.guards`.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

import numpy as np

__all__ = [
    "Extent",
    "Parts",
    "Refused",
    "SheetEntry",
    "ods_tables",
    "uncached_formulas",
    "xlsx_entries",
    "xlsx_shared_strings",
    "xlsx_sheet",
]

_U32 = 2**32


class Refused(Exception):
    """A workbook liftpace will not hand to calamine; the message says why, for a person."""


# --- zip parts -----------------------------------------------------------------------------------

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class Parts:
    """The parts of a workbook zip, checked and unpacked once; looked up as calamine looks them up.

    Refused: a zip whose directory cannot be read or is ambiguous (two end records, parts that
    share a name once ASCII case and ``\\`` are ignored, names that are not ASCII), an encrypted
    part, a compression other than stored or deflate, and a part whose bytes unpack to more (or
    less) than its header declares. ``limits`` is ``(max parts, max declared bytes, max ratio,
    ratio checked above)``.
    """

    def __init__(self, data: bytes, limits: tuple[int, int, int, int]) -> None:
        max_parts, max_bytes, max_ratio, ratio_above = limits
        tail = data[-(65535 + 22):]
        if tail.count(b"PK\x05\x06") > 1:
            raise Refused("its zip directory is ambiguous (it has two end records); it looks damaged")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
            raise Refused(f"could not be read as a workbook ({exc})") from None
        self.data = data
        self.infos = zf.infolist()
        if len(self.infos) > max_parts:
            raise Refused(f"the workbook holds {len(self.infos)} parts, more than liftpace's limit of {max_parts}; "
                          "a real workbook has a few dozen")
        total = sum(i.file_size for i in self.infos)
        if total > max_bytes:
            raise Refused(f"the workbook unpacks to {total / 2**20:.0f} MB, more than liftpace's limit of "
                          f"{max_bytes // 2**20} MB (a zip bomb, or a workbook too big to read: save the log sheets "
                          "as CSV instead)")
        self.names: dict[str, zipfile.ZipInfo] = {}
        self.folded: dict[bytes, str] = {}
        for i in self.infos:
            if not i.filename.isascii():
                raise Refused(f"the part name {i.filename!r} is not plain ASCII, which Excel and LibreOffice never write")
            key = i.filename.replace("\\", "/").encode().lower()
            if i.filename in self.names or key in self.folded:
                raise Refused(f"two parts are named {i.filename!r}; the workbook looks damaged or crafted")
            if i.flag_bits & 0x1:
                raise Refused(f"the part {i.filename!r} is encrypted")
            if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Refused(f"the part {i.filename!r} uses a compression Excel never writes")
            if i.file_size > ratio_above and i.file_size > max_ratio * max(i.compress_size, 1):
                raise Refused(f"the part {i.filename!r} unpacks {i.file_size // max(i.compress_size, 1)} times larger "
                              "than it is stored (a zip bomb); real workbooks compress about 10 times")
            self.names[i.filename] = i
            self.folded[key] = i.filename
        self.xml: dict[str, bytes] = {}
        for i in self.infos:  # every part once: what calamine may unpack is what was declared
            content = self._unpack(i)
            if i.filename.lower().endswith(_XML_SUFFIXES):
                if b"<!" in content and _DTD.search(content):  # the search only where it can match
                    raise Refused(f"the part {i.filename!r} declares an XML DTD or entities, which Excel and "
                                  "LibreOffice never write (entity expansion is a known attack). Save the "
                                  "workbook again from Excel")
                self.xml[i.filename] = content

    def _unpack(self, info: zipfile.ZipInfo) -> bytes:
        data, off = self.data, info.header_offset
        if off < 0 or data[off:off + 4] != b"PK\x03\x04":
            raise Refused(f"the part {info.filename!r} is not where the zip directory says; the file looks damaged")
        n_name, n_extra = struct.unpack_from("<HH", data, off + 26)
        local = data[off + 30:off + 30 + n_name].decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
        if local != info.orig_filename:
            raise Refused(f"the part {info.filename!r} has another name in its own header; the file looks damaged")
        start = off + 30 + n_name + n_extra
        raw = data[start:start + info.compress_size]
        if len(raw) != info.compress_size:
            raise Refused(f"the part {info.filename!r} is cut off; the file looks damaged or incomplete")
        if info.compress_type == zipfile.ZIP_STORED:
            out = raw
        else:
            unpacker = zlib.decompressobj(-15)
            try:
                out = unpacker.decompress(raw, info.file_size + 1)
            except zlib.error as exc:
                raise Refused(f"the part {info.filename!r} is damaged ({exc})") from None
            if len(out) > info.file_size:
                raise Refused(f"the part {info.filename!r} unpacks to more than the {info.file_size:,} bytes its "
                              "header declares (a zip bomb that lies about its size)")
            if not unpacker.eof:
                raise Refused(f"the part {info.filename!r} is cut off; the file looks damaged or incomplete")
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            raise Refused(f"the part {info.filename!r} does not match its checksum; the file looks damaged")
        return out

    def find(self, path: str) -> str | None:
        """The part calamine opens for ``path``: ASCII case ignored, else the exact name."""
        folded = self.folded.get(path.encode("utf-8", "replace").lower())
        if folded is not None:
            return folded
        return path if path in self.names else None

    def read(self, name: str) -> bytes:
        return self.xml[name] if name in self.xml else self._unpack(self.names[name])

    def size(self, name: str) -> int:
        return self.names[name].file_size


# --- XML that calamine reads tag by tag ----------------------------------------------------------------

_SPECIAL = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_ODD_NAME = re.compile(rb"</?[A-Za-z0-9_.\-:]*[^A-Za-z0-9_.\-:\s/>]")
_ATTR = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _checked(xml: bytes, part: str) -> bytes:
    """``xml`` without comments, CDATA and processing instructions, after checking it is well-formed
    UTF-8 XML with plain tag names, so that every ``<`` left starts a tag (what the tag scans rely on)."""
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in xml[:4096]:
        raise Refused(f"the part {part!r} is not UTF-8 XML, which is what Excel and LibreOffice write")
    if _DTD.search(xml):
        raise Refused(f"the part {part!r} declares an XML DTD or entities, which Excel and LibreOffice never write")
    parser = expat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, ValueError, LookupError) as exc:
        raise Refused(f"the part {part!r} is not well-formed XML ({exc})") from None
    xml = _SPECIAL.sub(b"", xml)
    if _ODD_NAME.search(xml):
        raise Refused(f"the part {part!r} has tag names Excel and LibreOffice never write")
    return xml


_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _expat(xml: bytes, part: str, start: Callable[[str, dict[str, str]], None], end: Callable[[str], None]) -> None:
    """Parse well-formed UTF-8 XML with expat, calling ``start`` and ``end`` with qualified names
    (no namespace processing: calamine matches names the same way); anything else is refused.
    Text is not reported: calamine takes a cell's value from its attributes and child elements."""
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in xml[:4096]:
        raise Refused(f"the part {part!r} is not UTF-8 XML, which is what Excel and LibreOffice write")
    declared = _ENCODING.match(xml[:400])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise Refused(f"the part {part!r} declares the encoding {declared.group(1)[:20].decode('ascii', 'replace')!r}; "
                      "Excel and LibreOffice write UTF-8")
    if _DTD.search(xml):
        raise Refused(f"the part {part!r} declares an XML DTD or entities, which Excel and LibreOffice never write")
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, ValueError, LookupError) as exc:
        raise Refused(f"the part {part!r} is not well-formed XML ({exc})") from None


def _tags(xml: bytes, names: bytes) -> Iterator[tuple[bool, bytes, bool, bytes]]:
    """``(end tag?, local name, self-closing?, attribute text)`` of the tags whose local name
    matches ``names`` (a regex alternation), in order, from checked XML (see :func:`_checked`)."""
    pattern = re.compile(rb"<(/?)(?:[^\s/>:]*:)?(" + names + rb")(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
    for m in pattern.finditer(xml):
        body = m.group(3)
        yield m.group(1) == b"/", m.group(2), body.endswith(b"/"), body


def _attrs(body: bytes) -> dict[bytes, bytes]:
    """Every attribute of a tag's attribute text (well-formed XML: no duplicates)."""
    return {k: v or w for k, v, w in _ATTR.findall(body)}


_ONE_ATTR: dict[bytes, re.Pattern[bytes]] = {}


def _attr(body: bytes, key: bytes) -> bytes | None:
    """One attribute's value from a tag's attribute text, or None."""
    if key not in body:
        return None
    if key not in _ONE_ATTR:
        _ONE_ATTR[key] = re.compile(rb"(?:^|\s)" + re.escape(key) + rb"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
    m = _ONE_ATTR[key].search(body)
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))


def _text(value: bytes) -> str:
    """An attribute value as calamine decodes it (UTF-8, XML entities unescaped)."""
    return html.unescape(value.decode("utf-8", "replace"))


# --- xlsx: the sheets a workbook lists and what each one reads -------------------------------------------


@dataclass
class SheetEntry:
    """One ``<sheet>`` of ``workbook.xml``: its name, the part calamine reads for it, hidden or not."""

    name: str
    part: str | None
    hidden: bool


def xlsx_entries(parts: Parts) -> list[SheetEntry]:
    """The sheet entries calamine reads, each with the part it opens (None: none, calamine fails)."""
    package = parts.find("_rels/.rels")
    if package is None:
        raise Refused("it has no _rels/.rels part, so it is not an Excel workbook")
    target = None
    for end, _, _, body in _tags(_checked(parts.read(package), package), rb"Relationship"):
        attrs = _attrs(body)
        kind = attrs.get(b"Type", b"")
        if not end and kind.endswith(b"/relationships/officeDocument") and b"Target" in attrs:
            target = _text(attrs[b"Target"])
    if target is None:
        raise Refused("its _rels/.rels names no workbook part, so it is not an Excel workbook")
    base = target[: target.rfind("/") + 1].removeprefix("/") if "/" in target else ""
    book_rels = parts.find(base + "_rels/workbook.xml.rels")
    if book_rels is None:
        raise Refused(f"it has no {base}_rels/workbook.xml.rels part, so calamine cannot read it")
    rels = {}
    for end, _, _, body in _tags(_checked(parts.read(book_rels), book_rels), rb"Relationship"):
        attrs = _attrs(body)
        if not end and b"Id" in attrs:
            rels[attrs[b"Id"]] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    book = parts.find(base + "workbook.xml")
    if book is None:
        return []
    entries = []
    for end, _, _, body in _tags(_checked(parts.read(book), book), rb"sheet"):
        if end:
            continue
        attrs = _attrs(body)
        rel_id = None
        for key, value in attrs.items():
            if key == b"id" or key.endswith(b":id"):
                rel_id = value
        state = attrs.get(b"state", b"visible")
        if state not in (b"visible", b"hidden", b"veryHidden"):
            raise Refused(f"a sheet has the state {state.decode('utf-8', 'replace')!r}, which Excel never writes")
        if rel_id not in rels:
            raise Refused("a sheet entry points at no relationship; the workbook looks damaged")
        target = rels[rel_id]
        path = target[1:] if target.startswith("/") else base + target
        entries.append(SheetEntry(_text(attrs.get(b"name", b"")), parts.find(path), state != b"visible"))
    return entries


def xlsx_shared_strings(parts: Parts) -> int:
    """The largest ``uniqueCount`` any shared-strings part declares (calamine reserves that many strings)."""
    most = 0
    for name, xml in parts.xml.items():
        if name.lower().endswith("sharedstrings.xml"):
            for value in re.findall(rb"uniqueCount\s*=\s*[\"']\+?([0-9]+)", xml):
                most = max(most, int(value[:30]))
    return most


@dataclass
class Extent:
    """How much of a sheet calamine builds: rows and columns of its range from A1, and cells read."""

    rows: int = 0
    cols: int = 0
    cells: int = 0
    #: 1-based row and column of every cell element in document order, when every one has a plain
    #: ``r`` reference first (the fast path of :func:`xlsx_sheet`); None otherwise.
    refs: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    @property
    def area(self) -> int:
        return self.rows * self.cols


_ANY_CELL = re.compile(rb"<(?:[^\s/>:]*:)?c(?=[\s/>])")
_PLAIN_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.\-]*:)?c\s+r=\"([A-Za-z]{1,3})([1-9][0-9]{0,6})\"(?:\s+(?!r=)[A-Za-z]+=\"[^\"<>']*\")*\s*/?>"
)
#: :data:`_PLAIN_CELL` as Excel, openpyxl and LibreOffice write it (no prefix, one space before ``r``),
#: the reference as one group: one bytes object per cell, read into numbers by :func:`_ref_numbers`.
_PLAIN_REF = re.compile(rb"<c r=\"([A-Za-z]{1,3}[1-9][0-9]{0,6})\"(?:\s+(?!r=)[A-Za-z]+=\"[^\"<>']*\")*\s*/?>")


#: What may follow ``<c`` in a cell element's start tag (``\s``, ``/`` or ``>``, as in :data:`_ANY_CELL`).
_AFTER_C = (b" ", b"\t", b"\n", b"\r", b"\f", b"\v", b"/", b">")


def count_cells(xml: bytes) -> int:
    """The number of cell elements (``<c ...>``, ``<x:c ...>``) in a sheet part, as :data:`_ANY_CELL`
    counts them, at C speed: ``bytes.count`` of ``<c`` and each character that may follow it. A part
    with ``:c`` anywhere (a namespace prefix may be in use) is counted by the regex."""
    if b":c" in xml:
        return len(_ANY_CELL.findall(xml))
    return sum(xml.count(b"<c" + after) for after in _AFTER_C)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _ref(ref: bytes, part: str, *, column: bool) -> tuple[int, int]:
    """calamine's ``get_row_column``: (0-based row, 0-based column or -1), in 32-bit arithmetic."""
    m = re.fullmatch(rb"([A-Za-z]*)([0-9]+)", ref)
    if m is None or (column and not m.group(1)):
        raise Refused(f"the part {part!r} has a cell reference {ref[:20].decode('ascii', 'replace')!r} that is not "
                      "one Excel writes; the workbook looks damaged")
    col, row = 0, 0
    for ch in m.group(1).upper():
        col = (col * 26 + ch - 64) % _U32
    for ch in m.group(2):
        row = (row * 10 + ch - 48) % _U32
    if row == 0:
        raise Refused(f"the part {part!r} has a cell in row 0, which does not exist; the workbook looks damaged")
    return row - 1, col - 1


def xlsx_sheet(xml: bytes, part: str, max_cells: int) -> Extent:
    """The range calamine allocates for one worksheet part (rows and columns from A1, cells read).

    Fast path, when every cell element has a plain ``r="B12"`` reference first: the largest row
    and column among them. Otherwise the sheet is read tag by tag as calamine reads it (rows by
    their ``r`` or one after the other, cells by their ``r`` or next to the previous cell). Empty
    cells are counted, so the result is never smaller than calamine's. More than ``max_cells``
    cell elements is refused before any of them is looked at.
    """
    if b":c" not in xml:  # no prefixes (what Excel writes): the cells by one regex pass, numbers in numpy
        start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
        if 0 <= start < end and not count_cells(xml[:start]) and not count_cells(xml[end:]):
            body = xml[start:end]  # every cell element is in here (<cols> and the rest are outside)
            tags = body.count(b"<c")  # cell elements, and any other tag starting with c (<color> in rich text)
            if tags <= max_cells:
                refs = _PLAIN_REF.findall(body)
                if len(refs) == tags:  # so every cell element is a plain one, and there are ``tags`` of them
                    if not refs:
                        return Extent()
                    at_rows, at_cols = _ref_numbers(refs)
                    return Extent(int(at_rows.max()), int(at_cols.max()), len(refs), (at_rows, at_cols))
    n_cells = count_cells(xml)
    if n_cells > max_cells:
        raise Refused(f"the part {part!r} holds {n_cells:,} cells, more than liftpace's limit of {max_cells:,} "
                      "for one workbook; save the log sheets as CSV")
    if not n_cells:
        return Extent()
    plain = _PLAIN_CELL.findall(xml)
    if len(plain) == n_cells:
        rows = max(int(d) for d in {d for _, d in plain})
        cols = max(_col_number(c) for c in {c for c, _ in plain})
        return Extent(rows, cols, n_cells)
    return _sheet_by_tags(xml, part, n_cells)


def _ref_numbers(refs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """1-based rows and columns of plain references (``b"AB12"``: 1 to 3 letters, 1 to 7 digits), in numpy."""
    grid = np.array(refs, dtype="S10").view(np.uint8).reshape(len(refs), 10)
    rows = np.zeros(len(refs), np.int32)  # at most 7 digits
    cols = np.zeros(len(refs), np.int32)  # at most 3 letters
    for k in range(3):  # the letters come first, the digits after them; NUL pads the rest
        upper = (grid[:, k] & 0xDF).astype(np.int32)
        cols = np.where((upper >= 65) & (upper <= 90), cols * 26 + upper - 64, cols)
    for k in range(1, 10):
        digit = grid[:, k].astype(np.int32) - 48
        rows = np.where((digit >= 0) & (digit <= 9), rows * 10 + digit, rows)
    return rows, cols


def _sheet_by_tags(xml: bytes, part: str, n_cells: int) -> Extent:
    """calamine's cell reader step by step (on well-formed XML, read with expat): after the first
    ``<sheetData>``, rows by their ``r`` or one after the other, cells by their ``r`` or next to
    the previous cell; a cell with a child element (a value) counts. Rows or cells inside a cell
    are refused."""
    row_index = col_index = 0
    last_row = last_col = -1
    started = done = False
    cell: list | None = None  # [row, col, has a value] of the cell being read

    def local(name: str) -> str:
        return name.split(":", 1)[1] if ":" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_index, col_index, started, cell
        if done:
            return
        tag = local(name)
        if cell is not None:  # calamine reads a cell's content up to the first </c>
            if tag in ("c", "row", "sheetData"):
                raise Refused(f"the part {part!r} has rows or cells inside a cell, which calamine reads differently")
            cell[2] = True
        elif tag == "sheetData":
            started = True
        elif not started:
            return
        elif tag == "row":
            if "r" in attrs:
                row_index, _ = _ref(attrs["r"].encode(), part, column=False)
        elif tag == "c":
            if "r" in attrs:
                row, col_index = _ref(attrs["r"].encode(), part, column=True)
            else:
                row = row_index
            cell = [row, col_index, False]

    def end(name: str) -> None:
        nonlocal row_index, col_index, last_row, last_col, done, cell
        if done or not started:
            return
        tag = local(name)
        if cell is not None:
            if tag == "c":
                if cell[2]:
                    last_row, last_col = max(last_row, cell[0]), max(last_col, cell[1])
                cell = None
                col_index = (col_index + 1) % _U32
        elif tag == "sheetData":
            done = True
        elif tag == "row":
            row_index, col_index = (row_index + 1) % _U32, 0

    _expat(xml, part, start, end)
    return Extent(last_row + 1, last_col + 1, n_cells)


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REF = re.compile(rb'\br="([A-Za-z]{1,3})(\d{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


def uncached_formulas(xml: bytes) -> list[tuple[int, int, str]]:
    """Cells with a formula and no saved value (openpyxl and some exporters write them), as
    ``(row, column, formula)``, 0-based. Only for notes: a cell found here is never trusted further."""
    if xml.find(b"f>") < 0:  # every formula has a closing </f> (shared ones: on their first cell)
        return []
    out = []
    for m in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
        end = xml.find(b"c>", m.end())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        head = cell[: cell.find(b">")]
        ref = _REF.search(head)
        kind = _TYPE.search(head)
        if ref is None or _VALUE.search(cell) or (kind is not None and kind.group(1) in (b"str", b"e")):
            continue
        text = _FORMULA_TEXT.search(cell)
        formula = "=" + text.group(1).decode("utf-8", "replace") if text and text.group(1) else "(shared formula)"
        out.append((int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1, html.unescape(formula)))
    return out


# --- ods: the tables of content.xml ---------------------------------------------------------------------

_COUNT = re.compile(rb"\+?[0-9]{1,19}")
_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")


def _repeat(attrs: dict[str, str], key: str) -> int:
    value = attrs.get(key)
    if value is None:
        return 1
    if not _COUNT.fullmatch(value.encode()):
        raise Refused(f"a repeat count {value[:20]!r} is not a number")
    return int(value)


@dataclass
class Table:
    """One named table of an ods ``content.xml``: its range from A1, cells held before expansion, hidden."""

    name: str
    extent: Extent
    hidden: bool


def ods_tables(xml: bytes, max_cells: int) -> list[Table]:
    """The tables calamine builds from ``content.xml``, repeated rows and columns counted out.

    Names are matched as calamine matches them: qualified (``table:table-row``), whatever
    namespace the prefix is bound to, or none. A cell holds a value when it has a value
    attribute or any content; repeats of a row count only up to its last such cell. Tables inside
    tables and rows or cells inside cells are refused (calamine reads them differently); so is more
    than ``max_cells`` cell elements.
    """
    n_cells = xml.count(b"<table:table-cell") + xml.count(b"<table:covered-table-cell")
    if n_cells > max_cells:
        raise Refused(f"content.xml holds {n_cells:,} cells, more than liftpace's limit of {max_cells:,} for one "
                      "workbook; save the log sheets as CSV")
    tables: list[Table] = []
    styles: dict[str, bool] = {}
    style: str | None = None
    table: Table | None = None
    rows = 0
    row: list[int] | None = None  # [repeats, next column, end of the last valued cell]
    cell: list | None = None  # [repeats, has a value]

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal style, table, rows, row, cell
        if cell is not None:  # calamine skips a cell's content up to its end
            if name in _ODS_CELLS or name in ("table:table-row", "table:table"):
                raise Refused("content.xml has rows or cells inside a cell, which calamine reads differently")
            cell[1] = True
        elif name in _ODS_CELLS:
            if row is not None:
                valued = any(k.startswith("office:") or k == "table:formula" for k in attrs) if attrs else False
                cell = [_repeat(attrs, "table:number-columns-repeated"), valued]
        elif name == "table:table-row":
            if table is not None:
                if row is not None:
                    raise Refused("content.xml has a row inside a row, which calamine reads differently")
                row = [_repeat(attrs, "table:number-rows-repeated"), 0, 0]
        elif name == "table:table":
            if table is not None:
                raise Refused("content.xml has a table inside a table, which calamine reads differently")
            if "table:name" not in attrs:
                raise Refused("content.xml has a table without a name")
            table = Table(attrs["table:name"], Extent(), styles.get(attrs.get("table:style-name", ""), False))
            rows = 0
            tables.append(table)
        elif name == "style:style":
            style = attrs.get("style:name")
        elif name == "style:table-properties" and style is not None:
            styles[style] = attrs.get("table:display") == "false"

    def end(name: str) -> None:
        nonlocal table, rows, row, cell
        if cell is not None:
            if name in _ODS_CELLS and row is not None:
                if cell[1] and cell[0]:
                    row[2] = row[1] + cell[0]
                row[1] += cell[0]
                cell = None
        elif name == "table:table-row" and row is not None and table is not None:
            repeats, _, last = row
            if last:
                ext = table.extent
                ext.rows, ext.cols = rows + repeats, max(ext.cols, last)
                ext.cells += last
            rows += repeats
            row = None
        elif name == "table:table":
            table, row = None, None

    _expat(xml, "content.xml", start, end)
    return tables


@dataclass
class WorkbookScan:
    """What :func:`inspect_workbook` found: the container kind and notes per sheet.

    ``formulas`` maps a sheet name to ``(row, column, formula)`` of cells (0-based) that hold a
    formula without a saved value (calamine reads them as empty); ``hidden`` lists hidden sheets.
    """

    kind: str  # "xlsx", "ods" or "xls"
    hidden: list[str] = field(default_factory=list)
    formulas: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)

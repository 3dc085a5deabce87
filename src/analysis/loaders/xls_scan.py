"""What calamine would read and allocate for an old ``.xls`` workbook, worked out before it runs.

An ``.xls`` file is an OLE2 compound file (sectors chained by allocation tables) holding a
``Workbook`` stream of BIFF records. calamine reads the whole container and every sheet when it
opens the file, and several of its steps trust numbers in the file: it reserves memory for the
allocation-table and cell counts the file declares, follows sector chains without noticing a
loop, and builds each sheet's range from its farthest cell. This module follows the same steps
(read from calamine's ``src/cfb.rs`` and ``src/xls.rs``) on the same bytes and raises
:class:`~analysis.loaders.workbook_scan.Refused` where calamine would loop, fail or allocate past
the limits, so calamine only ever sees files it can read within them:

* the container: header values within the file's size, no loop in any chain calamine follows
  (DIFAT, directory, mini stream, mini FAT, the Workbook stream), every chain inside the file;
* the Workbook stream: at most ``MAX_SHEETS`` sheets, each starting inside the stream; per
  sheet, the range its ``DIMENSIONS`` record makes calamine reserve and the range from A1 to
  its farthest cell, and all sheets together, within the cell limits; the records walked in
  all within a budget.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import LogFormatError
from analysis.loaders.workbook_scan import Extent, Refused, WorkbookScan

__all__ = ["inspect_xls"]

_ENDOFCHAIN, _DIFSECT, _RESERVED = 0xFFFFFFFE, 0xFFFFFFFC, 0xFFFFFFFA
_U32 = 2**32
#: Cell records whose first two fields are the row and the column (calamine's list).
_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_MULRK, _DIMENSIONS, _BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x00BD, 0x0200, 0x0809, 0x000A, 0x0085, 0x002F


def _u32s(chunk: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(chunk) // 4}I", chunk[: len(chunk) // 4 * 4]))


class _Cfb:
    """The compound file as calamine's ``Cfb`` reads it (sectors, FAT, directory, mini stream)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise Refused("the OLE2 container is cut off; the file looks damaged")
        head = data[:512]
        shift = struct.unpack_from("<H", head, 30)[0]
        if shift not in (9, 12) or struct.unpack_from("<H", head, 32)[0] != 6:
            raise Refused("the OLE2 container has sector sizes Excel never writes; the file looks damaged")
        self.data, self.size = data, 1 << shift
        self.base = 512 if shift == 9 else 4096
        self.maxid = len(data) // self.size
        fat_len, dir_start, mini_fat_start, mini_fat_len, difat_start = (
            struct.unpack_from("<I", head, 44)[0], struct.unpack_from("<I", head, 48)[0],
            struct.unpack_from("<I", head, 60)[0], struct.unpack_from("<I", head, 64)[0],
            struct.unpack_from("<I", head, 68)[0])
        reserve = struct.unpack_from("<I", head, 62)[0]  # what calamine reserves for the DIFAT
        if fat_len > self.maxid + 1 or mini_fat_len > self.maxid + 1 or reserve > 2**24:
            raise Refused("the OLE2 container declares more allocation tables than the file can hold; "
                          "it looks damaged or crafted")
        difat = _u32s(head[76:512])
        seen: set[int] = set()
        sector_id = difat_start
        while sector_id < _RESERVED:
            if sector_id in seen:
                raise Refused("the OLE2 container's sector chain loops; the file looks damaged or crafted")
            seen.add(sector_id)
            difat += _u32s(self.sector(sector_id))
            if not difat:
                raise Refused("the OLE2 container's allocation table is cut off; the file looks damaged")
            sector_id = difat.pop()
        self.fats: list[int] = []
        for sid in difat:
            if sid < _DIFSECT:
                self.fats += _u32s(self.sector(sid))
        dirs = self.chain(dir_start, self.fats, None)
        self.dirs = [self._entry(dirs[i:i + 128]) for i in range(0, len(dirs) - 127, 128)]
        if not self.dirs:
            raise Refused("the OLE2 container has no directory; the file looks damaged")
        self.mini = b""
        self.mini_fats: list[int] = []
        if mini_fat_len > 0:
            self.mini = self.chain(self.dirs[0][1], self.fats, self.dirs[0][2])
            self.mini_fats = _u32s(self.chain(mini_fat_start, self.fats, mini_fat_len * self.size))

    def _entry(self, raw: bytes) -> tuple[str, int, int]:
        name = raw[:64].decode("utf-16-le", "replace").split("\x00")[0]
        start = struct.unpack_from("<I", raw, 116)[0]
        length = struct.unpack_from("<I" if self.size == 512 else "<Q", raw, 120)[0]
        return name, start, length

    def sector(self, sid: int) -> bytes:
        if sid > self.maxid:
            raise Refused(f"a sector chain of the OLE2 container points past the end of the file (sector {sid})")
        start = self.base + sid * self.size
        return self.data[start:start + self.size]

    def chain(self, sid: int, fats: list[int], length: int | None, *, mini: bool = False) -> bytes:
        """The bytes of a chain, as calamine's ``get_chain`` reads them; a loop or a gap is refused."""
        out = bytearray()
        seen: set[int] = set()
        while sid != _ENDOFCHAIN:
            if sid in seen:
                raise Refused("the OLE2 container's sector chain loops; the file looks damaged or crafted")
            seen.add(sid)
            if mini:
                if sid > self.maxid * 8 or (sid + 1) * 64 > len(self.mini):
                    raise Refused("a mini stream chain of the OLE2 container points outside it; the file looks damaged")
                sector = self.mini[sid * 64:(sid + 1) * 64]
            else:
                sector = self.sector(sid)
            take = len(sector) if length is None else min(len(sector), length - len(out))
            out += sector[:take]
            if length is not None and len(out) >= length:
                break
            if sid >= len(fats):
                raise Refused("a sector chain of the OLE2 container runs off its allocation table; the file looks damaged")
            sid = fats[sid]
        return bytes(out)

    def stream(self, *names: str) -> bytes | None:
        for name in names:
            entry = next((d for d in self.dirs if d[0] == name), None)
            if entry is not None:
                _, start, length = entry
                if length < 4096:
                    return self.chain(start, self.mini_fats, length, mini=True)
                return self.chain(start, self.fats, length)
        return None


def _records(stream: bytes, pos: int, budget: list[int]) -> Iterator[tuple[int, bytes]]:
    """``(type, data)`` of the records from ``pos`` (CONTINUE records folded into the one before)."""
    end = len(stream)
    while pos + 4 <= end:
        typ, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > end:
            return
        budget[0] -= 1
        if budget[0] < 0:
            raise Refused("its sheets hold more records than liftpace reads in one workbook")
        yield typ, stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        while pos + 4 < end and struct.unpack_from("<H", stream, pos)[0] == 0x003C:
            pos += 4 + struct.unpack_from("<H", stream, pos + 2)[0]


def _dimensions(data: bytes) -> int:
    """How many cells calamine reserves for a DIMENSIONS record (32-bit arithmetic as in calamine)."""
    if len(data) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", data)
    elif len(data) == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", data)
    else:
        return 0
    if cf > 0xFF or cl < cf:
        cf = 0
    end = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
    rows = (end[0] - rf + 1) % _U32
    cols = (end[1] - cf + 1) % _U32
    return rows * cols


def _sheet(stream: bytes, pos: int, budget: list[int], max_cells: int, name: str) -> Extent:
    ext = Extent()
    depth, seen_bof = 0, False
    for typ, data in _records(stream, pos, budget):
        if typ == _BOF:
            if seen_bof:
                depth += 1
            seen_bof = True
        elif typ == _EOF:
            if depth == 0:
                break
            depth -= 1
        elif typ == _DIMENSIONS:
            if _dimensions(data) > max_cells:
                raise Refused(f"sheet {name!r} declares a range of {_dimensions(data):,} cells, more than liftpace's "
                              f"limit of {max_cells:,}")
        elif typ in _CELLS or typ == _MULRK:
            if len(data) < 4:
                continue
            row, col = struct.unpack_from("<HH", data)
            if typ == _MULRK:
                col += max(0, (len(data) - 6 + 5) // 6 - 1)
            ext.rows, ext.cols = max(ext.rows, row + 1), max(ext.cols, col + 1)
            ext.cells += 1
    return ext


def inspect_xls(path: Path, data: bytes, limits: tuple[int, int, int, int, int]) -> WorkbookScan:
    """Check an OLE2 file before calamine opens it; return a :class:`~analysis.loaders.guards.WorkbookScan`.

    Refused: a password-protected Office file, an OLE2 file that is not an Excel workbook, and
    anything :mod:`this module <analysis.loaders.xls_scan>` finds calamine cannot read safely.
    ``limits`` is ``(max sheets, max sheet cells, max workbook cells, max records, max cell
    values)``, from :mod:`analysis.loaders.guards` (which calls this).
    """
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise LogFormatError(f"{path.name}: is password-protected (an encrypted Office file), so liftpace cannot read "
                             "it. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
                             "with Password, clear it), save, and try again.", path=str(path))
    if not any(n.encode("utf-16-le") in data for n in ("Workbook", "Book", "WORKBOOK", "BOOK")):
        raise LogFormatError(f"{path.name}: is an old-style Office file (OLE2) but not an Excel workbook (a Word "
                             ".doc?); liftpace reads .xlsx, .xlsm, .xls and .ods workbooks and CSV files.",
                             path=str(path))
    max_sheets, max_sheet, max_book, max_records, max_values = limits
    scan = WorkbookScan(kind="xls")
    stream = _Cfb(data).stream("Workbook", "Book", "WORKBOOK", "BOOK")
    if stream is None:
        return scan  # calamine refuses it with its own message
    budget = [max_records]
    sheets: list[tuple[str, int, bool]] = []
    for typ, rec in _records(stream, 0, budget):
        if typ == _FILEPASS and len(rec) >= 2 and rec[:2] != b"\x00\x00":
            raise LogFormatError(f"{path.name}: is password-protected, so liftpace cannot read it. Open it in Excel, "
                                 "remove the password, save, and try again.", path=str(path))
        if typ == _BOUNDSHEET:
            if len(rec) < 8:
                raise Refused("a sheet record of the workbook is cut off; the file looks damaged")
            pos = struct.unpack_from("<I", rec)[0]
            if pos > len(stream):
                raise Refused("a sheet of the workbook starts past the end of its data; the file looks damaged")
            cch, wide = rec[6], len(rec) > 7 and rec[7] & 1
            raw = rec[8:8 + cch * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            sheets.append((name, pos, rec[4] & 0x3F != 0))
            if len(sheets) > max_sheets:
                raise Refused(f"the workbook has more than {max_sheets} sheets, liftpace's limit")
        elif typ == _EOF:
            break
    extents: dict[int, Extent] = {}
    last: dict[str, int] = {}
    for name, pos, _ in sheets:
        if pos not in extents:
            extents[pos] = _sheet(stream, pos, budget, max_sheet, name)
            if extents[pos].area > max_sheet:
                raise Refused(f"sheet {name!r} has cells as far as row {extents[pos].rows:,} and column "
                              f"{extents[pos].cols:,}, a range of {extents[pos].area:,} cells, more than liftpace's "
                              f"limit of {max_sheet:,}")
        last[name] = pos
    built = sum(extents[pos].area for _, pos, _ in sheets)
    read = sum(extents[last[name]].area for name, _, _ in sheets)
    if max(built, read) > max_book:
        raise Refused(f"its sheets together span {max(built, read):,} cells, more than liftpace's limit of {max_book:,}")
    values = sum(extents[last[name]].cells for name, _, _ in sheets)
    if values > max_values:
        raise Refused(f"its sheets hold {values:,} cells, more than liftpace's limit of {max_values:,} "
                      "for one workbook; save the log sheets as CSV")
    scan.hidden = [name for name, _, hidden in sheets if hidden]
    return scan

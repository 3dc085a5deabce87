"""Builders for the hostile files of issue 16, used by ``make_corpus.py`` (byte-for-byte stable).

* :func:`xls`: an ``.xls`` workbook (an OLE2 compound file holding a BIFF8 ``Workbook`` stream)
  written from scratch, with hooks to make its sheets, ranges or sector chains hostile;
* :func:`fit_flood`: a FIT file of many tiny messages (seconds for the decoder, bytes on disk);
* :func:`gpx_flood`: a GPX file of many track points.
"""

from __future__ import annotations

import struct

_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def _rec(typ: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def _label(row: int, col: int, text: str) -> bytes:
    raw = text.encode("latin-1")
    return _rec(0x0204, struct.pack("<HHHHB", row, col, 0, len(raw), 0) + raw)


def _number(row: int, col: int, value: float) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", row, col, 0, value))


def biff(sheets: dict[str, list[list[object]]], *, dims: dict[str, tuple[int, int, int, int]] | None = None,
         cells: dict[str, list[tuple[int, int, object]]] | None = None) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, CODEPAGE, one BOUNDSHEET per sheet, EOF), then each
    sheet (BOF, DIMENSIONS, LABEL/NUMBER cells, EOF). ``dims`` overrides a sheet's DIMENSIONS
    ``(first row, last row + 1, first col, last col + 1)``; ``cells`` adds ``(row, col, value)``."""
    bof_globals = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    bof_sheet = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
    names = list(sheets)

    def globals_(offsets: list[int]) -> bytes:
        out = bof_globals + _rec(0x0042, struct.pack("<H", 1200))
        for name, off in zip(names, offsets, strict=True):
            raw = name.encode("latin-1")
            out += _rec(0x0085, struct.pack("<IBBBB", off, 0, 0, len(raw), 0) + raw)
        return out + _rec(0x000A)

    bodies = []
    for name, rows in sheets.items():
        width = max((len(r) for r in rows), default=0)
        first, last, c0, c1 = (dims or {}).get(name, (0, len(rows), 0, width))
        body = bof_sheet + _rec(0x0200, struct.pack("<IIHHH", first, last, c0, c1, 0))
        placed = [(i, j, v) for i, r in enumerate(rows) for j, v in enumerate(r)] + (cells or {}).get(name, [])
        for i, j, v in placed:
            if v is not None:
                body += _number(i, j, float(v)) if isinstance(v, int | float) else _label(i, j, str(v))
        bodies.append(body + _rec(0x000A))
    offsets, pos = [], len(globals_([0] * len(names)))
    for body in bodies:
        offsets.append(pos)
        pos += len(body)
    return globals_(offsets) + b"".join(bodies)


def cfb(stream: bytes, *, dir_loop: bool = False) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``stream`` as ``Workbook``.

    Layout: FAT sectors, then the stream (at least 4096 bytes, so it is not in the mini stream),
    then one directory sector. ``dir_loop``: the directory's chain points back at itself.
    """
    stream += b"\x00" * (max(4096, len(stream) + -len(stream) % _SECTOR) - len(stream))
    n_stream = len(stream) // _SECTOR
    n_fat = 1
    while n_fat * 128 < n_fat + n_stream + 1:
        n_fat += 1
    fat = [_FATSECT] * n_fat
    fat += [n_fat + i + 1 for i in range(n_stream - 1)] + [_END]
    dir_sector = n_fat + n_stream
    fat += [dir_sector if dir_loop else _END]
    fat += [_FREE] * (n_fat * 128 - len(fat))
    head = bytearray(_SECTOR)
    head[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", head, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", head, 40, 0, n_fat, dir_sector, 0, 4096, _END, 0, _END)
    struct.pack_into("<109I", head, 76, *(list(range(n_fat)) + [_FREE] * (109 - n_fat)))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        out = bytearray(128)
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        out[: len(raw)] = raw
        struct.pack_into("<HBB", out, 64, len(raw), kind, 1)
        struct.pack_into("<III", out, 68, _NOSTREAM, _NOSTREAM, child)
        struct.pack_into("<II", out, 116, start, size)
        return bytes(out)

    directory = (entry("Root Entry", 5, 1, _END, 0) + entry("Workbook", 2, _NOSTREAM, n_fat, len(stream))
                 + entry("", 0, _NOSTREAM, 0, 0) * 2)
    return bytes(head) + struct.pack(f"<{len(fat)}I", *fat) + stream + directory


def xls(sheets: dict[str, list[list[object]]], **kw) -> bytes:
    """An ``.xls`` workbook of ``sheets`` (see :func:`biff` for ``dims`` and ``cells``)."""
    return cfb(biff(sheets, **kw))


def _fit_crc(data: bytes) -> int:
    """CRC-16 of the FIT SDK (nibble table)."""
    table = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
    crc = 0
    for byte in data:
        crc = ((crc >> 4) & 0x0FFF) ^ table[crc & 0xF] ^ table[byte & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ table[crc & 0xF] ^ table[(byte >> 4) & 0xF]
    return crc


def fit_flood(n: int) -> bytes:
    """A FIT file of ``n`` two-byte data messages (one definition of one 1-byte field)."""
    body = struct.pack("<BBBHB", 0x40, 0, 0, 20, 1) + struct.pack("<BBB", 3, 1, 0x02)
    body += b"\x00\x96" * n  # local type 0, heart rate 150
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", _fit_crc(header))
    data = header + body
    return data + struct.pack("<H", _fit_crc(data))


def gpx_flood(n: int) -> bytes:
    """A GPX track of ``n`` points, one a second (as a recording of ``n`` seconds would be)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="x" version="1.1" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Long Run</name><trkseg>\n')
    pts = "".join(f'<trkpt lat="{53.8 + (i % 1000) * 1e-5:.5f}" lon="-1.55000"><time>2026-09-01T'
                  f'{6 + i // 3600 % 18:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z</time></trkpt>\n' for i in range(n))
    return (head + pts + "</trkseg></trk></gpx>\n").encode()

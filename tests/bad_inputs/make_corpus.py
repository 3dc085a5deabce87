"""Write liftpace's bad-input corpus (issue 9): one file (or pair of files) per case, and
``expectations.json`` with what ``read_logs`` and ``liftpace check`` must do with each.

Every expectation below is written by hand from the rules in ``docs/bad_files.md``, not recorded
from a run: exit code of ``liftpace check``, sets and runs kept, and every problem row (file,
sheet, row, column, action and a piece of its text). Files over ~1 MB (a 5 MB line, a 5 MB cell,
a zip that unpacks to 2 GB) are not committed: :func:`build` writes them when asked with
``large=True`` (the tests do, into a temporary folder). The output is byte-for-byte
deterministic (fixed zip timestamps and workbook properties); a test checks the committed files
equal what this script writes, so edit here and re-run::

    .venv/bin/python tests/bad_inputs/make_corpus.py
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import importlib.util
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
EXPECTATIONS = HERE / "expectations.json"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

# --- small builders --------------------------------------------------------------------------

HEADER = ["Date", "Athlete", "Exercise", "Side", "Reps", "Weight (kg)"]
GOOD = [
    ["2026-09-01", "Ana", "Back squat", "both", "5", "80"],
    ["2026-09-01", "Ana", "Back squat", "both", "5", "82.5"],
]


def csv_text(rows: list[list[str]], *, sep: str = ",", newline: str = "\n") -> str:
    """Rows joined as CSV; cells are written as given (quote them yourself when needed)."""
    return newline.join(sep.join(r) for r in rows) + newline


def utf8(rows: list[list[str]], **kw) -> bytes:
    return csv_text(rows, **kw).encode("utf-8")


def fixed_zip(entries: list[tuple[str, bytes]], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``(name, data)`` with fixed timestamps (``mimetype`` stored, as ODF requires)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else compress
            zf.writestr(info, data)
    return out.getvalue()


def rezip(blob: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed timestamps, optionally replacing members."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        entries = [
            (i.filename, (replace or {}).get(i.filename, zf.read(i.filename)))
            for i in zf.infolist()
        ]
    return fixed_zip(entries)


def xlsx(
    sheets: dict[str, list[list[object]]],
    *,
    hidden: tuple[str, ...] = (),
    cells: dict | None = None,
) -> bytes:
    """A workbook written by openpyxl (no cached formula values), deterministic bytes.

    ``cells`` maps ``(sheet, "A1")`` to a value written after the rows (e.g. a stray far cell).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    for (name, ref), value in (cells or {}).items():
        wb[name][ref] = value
    wb.properties.created = dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps "modified" with the time of saving: fixed below
    blob = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        core = zf.read("docProps/core.xml")
    core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", core)
    return rezip(blob, {"docProps/core.xml": core})


def good_xlsx() -> bytes:
    return xlsx(
        {
            "Ana": [
                ["Date", "Exercise", "Reps", "Weight (kg)"],
                ["2026-09-01", "Back squat", 5, 80],
                ["2026-09-01", "Back squat", 5, 82.5],
            ]
        }
    )


def ods(tables: dict[str, list[list[object]]], extra_rows: str = "") -> bytes:
    """A minimal OpenDocument spreadsheet written by hand (mimetype, manifest, content.xml)."""

    def cell(v: object) -> str:
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return (
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        )

    body = ""
    for name, rows in tables.items():
        body += f'<table:table table:name="{name}">'
        body += "".join(
            "<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows
        )
        body += extra_rows + "</table:table>"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return fixed_zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", manifest.encode()),
            ("content.xml", content.encode()),
        ]
    )


def ole(stream_names: list[str]) -> bytes:
    """An OLE2 compound file header and a directory sector naming ``stream_names`` (not a full
    container: enough for a reader that checks the signature and the stream names, as Excel's
    "encrypted package" check does)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into(
        "<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9
    )  # minor, major version, byte order, sector shift
    directory = bytearray()
    for name in ["Root Entry", *stream_names]:
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(raw)] = raw
        struct.pack_into("<H", entry, 64, len(raw))
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    return bytes(header) + bytes(directory) + b"\x00" * (1024 - len(directory))


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --- GPX / TCX -----------------------------------------------------------------------------------

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n'
)


def gpx(points: list[tuple[float, float, str]], *, name: str = "Morning Run") -> bytes:
    pts = "".join(
        f'<trkpt lat="{la}" lon="{lo}"><ele>60.0</ele><time>{t}</time></trkpt>\n'
        for la, lo, t in points
    )
    return (
        GPX_HEAD
        + f"<trk><name>{name}</name><type>running</type><trkseg>\n{pts}</trkseg></trk>\n</gpx>\n"
    ).encode()


GPX_POINTS = [
    (53.8000, -1.5500, "2026-09-01T06:00:00Z"),
    (53.8090, -1.5500, "2026-09-01T06:05:00Z"),
    (53.8180, -1.5500, "2026-09-01T06:10:00Z"),
]


def tcx(distance_m: float, seconds: float = 1500.0) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
        '<Activities><Activity Sport="Running"><Id>2026-09-01T06:00:00.000Z</Id>\n'
        f'<Lap StartTime="2026-09-01T06:00:00.000Z"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
        f"<DistanceMeters>{distance_m}</DistanceMeters><Intensity>Active</Intensity>"
        "<TriggerMethod>Manual</TriggerMethod><Track>"
        "<Trackpoint><Time>2026-09-01T06:00:00.000Z</Time><DistanceMeters>0.0</DistanceMeters></Trackpoint>"
        f"<Trackpoint><Time>2026-09-01T06:25:00.000Z</Time><DistanceMeters>{distance_m}</DistanceMeters></Trackpoint>"
        "</Track></Lap>\n</Activity></Activities>\n</TrainingCenterDatabase>\n"
    ).encode()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


# --- hostile zips ------------------------------------------------------------------------------


def _gf2_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from CRC(A), CRC(B) and len(B) (zlib's crc32_combine, in Python)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = [_gf2_times(odd, odd[n]) for n in range(32)]
    odd = [_gf2_times(even, even[n]) for n in range(32)]
    while True:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _segment(data: bytes, *, final: bool) -> bytes:
    """Raw deflate of ``data`` that ends byte-aligned (full flush) so segments concatenate."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def bomb_member(
    prefix: bytes, filler: bytes, repeats: int, suffix: bytes
) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of ``prefix + filler * repeats + suffix``, built in
    milliseconds: the filler is compressed once and its segment repeated."""
    seg = _segment(filler, final=False)
    stream = _segment(prefix, final=False) + seg * repeats + _segment(suffix, final=True)
    crc_f, crc = zlib.crc32(filler), zlib.crc32(prefix)
    rep_crc, rep_len, k, acc_crc, acc_len = crc_f, len(filler), repeats, 0, 0
    while k:  # CRC of filler * repeats by doubling
        if k & 1:
            acc_crc, acc_len = crc32_combine(acc_crc, rep_crc, rep_len), acc_len + rep_len
        rep_crc, rep_len = crc32_combine(rep_crc, rep_crc, rep_len), rep_len * 2
        k >>= 1
    crc = crc32_combine(crc, acc_crc, acc_len)
    crc = crc32_combine(crc, zlib.crc32(suffix), len(suffix))
    return stream, crc, len(prefix) + len(filler) * repeats + len(suffix)


def raw_zip(
    members: list[tuple[str, bytes, int, int]], *, declared: dict[str, int] | None = None
) -> bytes:
    """A zip from pre-deflated members ``(name, deflate stream, crc, uncompressed size)``.

    ``declared`` overrides the uncompressed size written in the headers (a zip that lies).
    """
    out, central = bytearray(), bytearray()
    date = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
    for name, stream, crc, size in members:
        raw = name.encode()
        size = (declared or {}).get(name, size)
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, date, crc, len(stream), size, len(raw), 0
        )
        out += raw + stream
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            date,
            crc,
            len(stream),
            size,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + end)


def xlsx_with_sheet(
    sheet_xml_member: tuple[bytes, int, int], *, declared: int | None = None
) -> bytes:
    """The good workbook with ``xl/worksheets/sheet1.xml`` replaced by a pre-deflated member."""
    members = []
    with zipfile.ZipFile(io.BytesIO(good_xlsx())) as zf:
        for info in zf.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                members.append((info.filename, *sheet_xml_member))
            else:
                data = zf.read(info.filename)
                members.append(
                    (info.filename, _segment(data, final=True), zlib.crc32(data), len(data))
                )
    return raw_zip(members, declared={"xl/worksheets/sheet1.xml": declared} if declared else None)


SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c></row><!--'
)
SHEET_END = b"--></sheetData></worksheet>"


def zip_bomb(total_mb: int) -> bytes:
    """A real workbook whose sheet1.xml unpacks to ``total_mb`` MB (a comment full of spaces)."""
    return xlsx_with_sheet(bomb_member(SHEET_START, b" " * 2**20, total_mb, SHEET_END))


def gzip_bomb(prefix: bytes, total_mb: int) -> bytes:
    """A gzip file of ``prefix`` and ``total_mb`` MB of spaces (header, deflate, CRC, size)."""
    stream, crc, size = bomb_member(prefix, b" " * 2**20, total_mb, b"")
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + stream + struct.pack("<II", crc, size % 2**32)
    )


def zip_liar() -> bytes:
    """sheet1.xml unpacks to 300 MB but the headers say 2 kB."""
    return xlsx_with_sheet(bomb_member(SHEET_START, b" " * 2**20, 300, SHEET_END), declared=2000)


def sheet_xml(good: bytes, old: bytes, new: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert old in xml, old
    return rezip(good, {"xl/worksheets/sheet1.xml": xml.replace(old, new)})


# --- the cases -----------------------------------------------------------------------------------

Problem = tuple  # (file or None for the case's first file, sheet, row, column, action, text)


@dataclass
class Case:
    """One corpus case: files, what is passed to ``read_logs``, and what must come out."""

    name: str
    what: str
    files: dict[str, Callable[[], bytes]]
    exit: int = 0
    sets: int = 0
    runs: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # regex the file-level message must match (exit 1 cases)
    paths: list[str] | None = None  # default: the files, in order
    athletes: list[str] | None = None
    large: bool = False
    known_bug: str | None = (
        None  # a reader's bug this case exposes (reported; the test expects a fix)
    )
    options: dict = field(default_factory=dict)  # read_logs options (--athlete, --timezone)


def c(name, what, data, **kw) -> Case:
    files = data if isinstance(data, dict) else {name: data}
    return Case(name=name, what=what, files=files, **kw)


def _nul_rows() -> bytes:
    rows = [HEADER] + [["2026-09-01", "Ana", "Back squat", "both", "5", "80"]] * 150
    text = csv_text(rows) + "2026-09-02,Ana,Back squat,both,5,8\x000\n"
    return text.encode()


def _long_row() -> bytes:
    return (
        csv_text([HEADER, GOOD[0]])
        + ",".join(GOOD[1])
        + "," * 5_000_000
        + "\n"
        + "2026-09-03,Ana,Back squat,both,5,85\n"
    ).encode()


def _long_cell() -> bytes:
    return (
        csv_text([HEADER, GOOD[0]])
        + '2026-09-02,Ana,Back squat,both,5,"'
        + "x" * 5_000_000
        + '"\n'
        + "2026-09-03,Ana,Back squat,both,5,85\n"
    ).encode()


def _far_cell() -> bytes:
    return xlsx(
        {"Ana": [["Date", "Exercise", "Reps", "Weight (kg)"], ["2026-09-01", "Back squat", 5, 80]]},
        cells={("Ana", "XFD100000"): "x"},
    )


def _formulas(cached: bool) -> bytes:
    rows = [
        ["Date", "Exercise", "Reps", "Weight (kg)"],
        ["2026-09-01", "Back squat", 5, "=40*2"],
        ["2026-09-01", "Back squat", "=2+3", 80],
        ["2026-09-01", "Back squat", 5, 82.5],
        [None, "TOTAL", None, "=SUM(D2:D4)"],
    ]
    book = xlsx({"Ana": rows})
    if not cached:
        return book
    for ref, value in (("D2", b"80"), ("C3", b"5"), ("D5", b"242.5")):
        with zipfile.ZipFile(io.BytesIO(book)) as zf:
            xml = zf.read("xl/worksheets/sheet1.xml")
        start = xml.index(b'<c r="%s"' % ref.encode())
        end = xml.index(b"</c>", start)
        book = rezip(
            book,
            {
                "xl/worksheets/sheet1.xml": xml[:start]
                + xml[start:end].replace(b"<v />", b"<v>" + value + b"</v>")
                + xml[end:]
            },
        )
    return book


#: tests/fixtures/apps/garmin_run.fit with byte 33 (the size of the record timestamp field in its
#: definition message) changed from 4 to 5, as the fuzz tests found it.
FIT_BAD_FIELD = (
    "DiBUCKIBAAAuRklUIrBAAAAAAAUAAQABAoQCAoQDBIwEBYYABAEAoRAUagrOcMtEQ0EAABQABv0EhgAEhQEEhQUEhk4EhgMBAgFwy0RDuf1B"
    "JsTU5f4AAAAAjAoAAJMBCMxEQyO4QibE1OX+UMMAAK8KAACUAaDMREONckMmxNTl/qCGAQDSCgAAlQE4zURD9yxEJsTU5f7wSQIA9QoAAJYB"
    "0M1EQ2DnRCbE1OX+QA0DABgLAACXAWjOREPKoUUmxNTl/pDQAwA7CwAAmAEAz0RDNFxGJsTU5f7gkwQAOwsAAJkBmM9EQ54WRybE1OX+MFcF"
    "ADsLAACaATDQREMI0UcmxNTl/oAaBgA7CwAAmwHI0ERDcotIJsTU5f7Q3QYAOwsAAJwBYNFEQ9xFSSbE1OX+IKEHADsLAACdQgAAEgAM/QSG"
    "AgSGBwSGCASGCQSGBQEABgEAEAECFgKEAAEAAQEA/gKEAmDRRENwy0RDgDEXAGDjFgAgoQcAAQCYIwAIAQAAQwAAIgAH/QSGAASGAQKEAgEA"
    "AwEABAEABQSGA2DRRENg4xYAAQAAGgFw30RD/2g="
)
RUNS_HEADER = ["Date", "Distance (km)", "Duration", "Avg HR"]
A = "Ana"
W = "Weight (kg)"

CASES: list[Case] = [
    # encodings
    c(
        "utf8_bom.csv",
        "UTF-8 with a byte-order mark",
        lambda: b"\xef\xbb\xbf" + utf8([HEADER, *GOOD]),
        sets=2,
    ),
    c(
        "utf16le_tabs.txt",
        "UTF-16 LE with BOM, tab-separated, CRLF (Excel 'Unicode Text')",
        lambda: csv_text([HEADER, *GOOD], sep="\t", newline="\r\n").encode("utf-16"),
        sets=2,
    ),
    c(
        "utf16be.csv",
        "UTF-16 BE with BOM",
        lambda: b"\xfe\xff" + csv_text([HEADER, *GOOD]).encode("utf-16-be"),
        sets=2,
    ),
    c(
        "cp1252_accents.csv",
        "Windows-1252 (Excel 'CSV' on Windows) with accented names",
        lambda: csv_text(
            [
                HEADER,
                ["2026-09-01", "Zoë Müller", "Back squat", "both", "5", "60"],
                ["2026-09-01", "José Núñez", "Back squat", "both", "5", "70"],
            ]
        ).encode("cp1252"),
        sets=2,
        athletes=["José Núñez", "Zoë Müller"],
    ),
    c(
        "semicolon_decimal_comma.csv",
        "semicolons and decimal commas (European Excel)",
        lambda: utf8(
            [
                HEADER,
                ["2026-09-01", A, "Back squat", "both", "5", "82,5"],
                ["2026-09-01", A, "Back squat", "both", "5", "85,0"],
            ],
            sep=";",
        ),
        sets=2,
        problems=[
            (None, None, 2, W, "fixed", "decimal comma"),
            (None, None, 3, W, "fixed", "decimal comma"),
        ],
    ),
    c(
        "cr_line_ends.csv",
        "old Mac line ends (CR only)",
        lambda: utf8([HEADER, *GOOD], newline="\r"),
        sets=2,
    ),
    # empty
    c(
        "empty.csv",
        "0 bytes",
        lambda: b"",
        exit=1,
        error=r"empty\.csv: the file is empty \(0 bytes\)\.",
    ),
    c(
        "blank_lines.csv",
        "only blank lines",
        lambda: b"\n \n\r\n",
        exit=1,
        error=r"blank_lines\.csv: the file is empty \(only blank lines\)\.",
    ),
    c(
        "header_only.csv",
        "a header and no rows",
        lambda: utf8([HEADER]),
        exit=1,
        error=r"header_only\.csv: has a log header \(Date, Athlete, Exercise, Side, Reps, Weight \(kg\)\) but no rows",
    ),
    c(
        "header_only.xlsx",
        "a workbook whose sheet has a header and no rows",
        lambda: xlsx({"Ana": [["Date", "Exercise", "Reps", "Weight (kg)"]]}),
        exit=1,
        error=r"header_only\.xlsx: sheet 'Ana' has a log header \(Date, Exercise, Reps, Weight \(kg\)\) but no rows",
    ),
    c(
        "empty_sheets.xlsx",
        "a workbook of empty sheets",
        lambda: xlsx({"Sheet1": [], "Sheet2": []}),
        exit=1,
        error=r"empty_sheets\.xlsx: every sheet is empty; nothing to load\.",
    ),
    # damaged and disguised workbooks
    c(
        "truncated.xlsx",
        "an xlsx cut in half (interrupted download)",
        lambda: good_xlsx()[: len(good_xlsx()) // 2],
        exit=1,
        error=r"truncated\.xlsx: could not be read as a workbook \(.*\)\. .*damaged or cut off",
    ),
    c(
        "corrupt_sheet.xlsx",
        "a valid zip whose sheet XML is cut off",
        lambda: rezip(
            good_xlsx(),
            {
                "xl/worksheets/sheet1.xml": b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Da'
            },
        ),
        exit=1,
        error=r"corrupt_sheet\.xlsx: could not be read as a workbook \(XmlError: .*\)\. .*damaged",
    ),
    c(
        "encrypted.xlsx",
        "a password-protected xlsx (OLE2 container with an EncryptedPackage stream)",
        lambda: ole(["EncryptionInfo", "EncryptedPackage"]),
        exit=1,
        error=r"encrypted\.xlsx: is password-protected .*remove the password",
    ),
    c(
        "word_doc_as.xlsx",
        "an old Word .doc (OLE2, no Workbook stream) named .xlsx",
        lambda: ole(["WordDocument"]),
        exit=1,
        error=r"word_doc_as\.xlsx: is an old-style Office file \(OLE2\) but not an Excel workbook",
    ),
    c(
        "zip_of_csv.xlsx",
        "a zip holding a CSV, named .xlsx",
        lambda: fixed_zip([("log.csv", utf8([HEADER, *GOOD]))]),
        exit=1,
        error=r"zip_of_csv\.xlsx: is a zip archive of 1 file\(s\) \(log\.csv\), not a workbook",
    ),
    c(
        "zip_of_csv.csv",
        "a zip holding a CSV, named .csv",
        lambda: fixed_zip([("log.csv", utf8([HEADER, *GOOD]))]),
        exit=1,
        error=r"zip_of_csv\.csv: is a zip archive of 1 file\(s\) \(log\.csv\), not a workbook",
    ),
    c(
        "docx_as.xlsx",
        "a Word .docx named .xlsx",
        lambda: fixed_zip(
            [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]
        ),
        exit=1,
        error=r"docx_as\.xlsx: is a Word document, not a workbook",
    ),
    c(
        "png_as.csv",
        "a PNG image named .csv",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        exit=1,
        error=r"png_as\.csv: is a PNG image, not a training log\.",
    ),
    c(
        "pdf_as.csv",
        "a PDF named .csv",
        lambda: b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n",
        exit=1,
        error=r"pdf_as\.csv: is a PDF document, not a training log\.",
    ),
    c(
        "png_as.xlsx",
        "a PNG image named .xlsx",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        exit=1,
        error=r"png_as\.xlsx: is a PNG image, not a training log\.",
    ),
    c(
        "pdf_as.xlsx",
        "a PDF named .xlsx",
        lambda: b"%PDF-1.7\n%%EOF\n",
        exit=1,
        error=r"pdf_as\.xlsx: is a PDF document, not a training log\.",
    ),
    c(
        "gzip_as.csv",
        "a gzipped CSV named .csv",
        lambda: gzip_bytes(utf8([HEADER, *GOOD])),
        exit=1,
        error=r"gzip_as\.csv: is a gzip archive, not a training log\.",
    ),
    c(
        "random_bytes.xlsx",
        "random bytes named .xlsx",
        lambda: bytes((i * 7919) % 256 for i in range(2048)),
        exit=1,
        error=r"random_bytes\.xlsx: is neither a workbook .* nor a text \(CSV\) file",
    ),
    c(
        "csv_as.xlsx",
        "a CSV saved with an .xlsx name",
        lambda: utf8([HEADER, *GOOD]),
        sets=2,
        problems=[
            (None, None, None, None, "kept", "named .xlsx but is a text (CSV) file; read as CSV")
        ],
    ),
    c(
        "xlsx_as.csv",
        "an xlsx saved with a .csv name",
        good_xlsx,
        sets=2,
        athletes=["Ana"],
        problems=[
            (
                None,
                None,
                None,
                None,
                "kept",
                "named .csv but is a workbook (xlsx); read as a workbook",
            )
        ],
    ),
    c(
        "tiny.ods",
        "an OpenDocument spreadsheet (LibreOffice)",
        lambda: ods(
            {
                "Ana": [
                    ["Date", "Exercise", "Reps", "Weight (kg)"],
                    ["2026-09-01", "Back squat", 5, 80],
                    ["2026-09-01", "Back squat", 5, 82.5],
                ]
            }
        ),
        sets=2,
        athletes=["Ana"],
    ),
    c(
        "ods_repeat_bomb.ods",
        "an ODS whose one valued cell repeats 10,000 rows x 1,000 columns (10M cells)",
        lambda: ods(
            {"Ana": [["Date", "Exercise", "Reps", "Weight (kg)"]]},
            '<table:table-row table:number-rows-repeated="10000"><table:table-cell '
            'table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
            "<text:p>1</text:p></table:table-cell></table:table-row>",
        ),
        exit=1,
        error=r"ods_repeat_bomb\.ods: refused: sheet 'Ana' has cells as far as row 10,001 and column 1,000",
    ),
    # NUL bytes, enormous lines and cells
    c(
        "nul_at_start.csv",
        "a NUL byte in the first line (a binary file)",
        lambda: b"Date,Athlete,Exer\x00cise,Reps\n2026-09-01,Ana,Back squat,5\n",
        exit=1,
        error=r"nul_at_start\.csv: contains NUL bytes, so it is not a text \(CSV\) file",
    ),
    c(
        "nul_in_row.csv",
        "a NUL byte deep inside the file (a damaged block)",
        _nul_rows,
        sets=151,
        problems=[(None, None, 152, None, "kept", "NUL characters removed")],
    ),
    c(
        "enormous_line.csv",
        "a 5 MB line of 5 million fields",
        _long_row,
        sets=3,
        large=True,
        problems=[
            (None, None, 3, None, "kept", "row has 5,000,006 fields; only the first 512 were read")
        ],
    ),
    c(
        "enormous_cell.csv",
        "a 5 MB cell in the weight column",
        _long_cell,
        sets=2,
        large=True,
        problems=[(None, None, 3, W, "dropped", "not a weight")],
    ),
    c(
        "long_cells.csv",
        "10,000-character athlete, exercise and notes cells",
        lambda: utf8(
            [
                [*HEADER, "Notes"],
                [*GOOD[0], "ok"],
                ["2026-09-01", "A" * 10_000, "B" * 10_000, "both", "5", "80", "C" * 10_000],
            ]
        ),
        sets=2,
        problems=[
            (None, None, 3, "Athlete", "fixed", "name longer than 200 characters; cut to 200"),
            (None, None, 3, "Exercise", "fixed", "name longer than 200 characters; cut to 200"),
            (None, None, 3, "Exercise", "kept", "exercise not in the catalog"),
        ],
    ),
    # dates
    c(
        "impossible_dates.csv",
        "31/02, 30/02, month 13, 00/00/0000 and a word in the date column",
        lambda: utf8(
            [
                HEADER,
                ["31/02/2026", A, "Back squat", "both", "5", "80"],
                ["30/02/2026", A, "Back squat", "both", "5", "80"],
                ["13/13/2026", A, "Back squat", "both", "5", "80"],
                ["00/00/0000", A, "Back squat", "both", "5", "80"],
                ["yesterday", A, "Back squat", "both", "5", "80"],
                ["15/09/2026", A, "Back squat", "both", "5", "80"],
            ]
        ),
        sets=1,
        problems=[(None, None, r, "Date", "dropped", "not a date") for r in (2, 3, 4, 5, 6)]
        + [(None, None, 7, "Date", "fixed", "date typed as text; read day-first")],
    ),
    c(
        "mixed_dates.csv",
        "ISO, day-first text and month names in one column",
        lambda: utf8(
            [
                HEADER,
                ["2026-09-01", A, "Back squat", "both", "5", "80"],
                ["25/09/2026", A, "Back squat", "both", "5", "80"],
                ["3 Sep 2026", A, "Back squat", "both", "5", "80"],
                ["Sep 4 2026", A, "Back squat", "both", "5", "80"],
            ]
        ),
        sets=4,
        problems=[
            (None, None, 3, "Date", "fixed", "read day-first"),
            # one counted note per way of reading, on its first row (issue 17)
            (None, None, 4, "Date", "fixed", "read as written (2 cells of this column, this row the first)"),
        ],
    ),
    c(
        "future_dates.csv",
        "dates in 2099 (a mistyped year): kept, each reported",
        lambda: utf8(
            [
                HEADER,
                GOOD[0],
                ["2099-09-01", A, "Back squat", "both", "5", "80"],
                ["2099-09-02", A, "Back squat", "both", "5", "80"],
            ]
        ),
        sets=3,
        problems=[
            (None, None, 3, "Date", "kept", "in the future"),
            (None, None, 4, "Date", "kept", "in the future"),
        ],
    ),
    c(
        "early_dates.csv",
        "dates before 1970: kept, each reported",
        lambda: utf8([HEADER, GOOD[0], ["1900-01-01", A, "Back squat", "both", "5", "80"]]),
        sets=2,
        problems=[(None, None, 3, "Date", "kept", "before 1970")],
    ),
    # values
    c(
        "negative_values.csv",
        "negative reps, weight and RPE",
        lambda: utf8(
            [
                [*HEADER, "RPE"],
                [*GOOD[0], "8"],
                ["2026-09-01", A, "Back squat", "both", "-5", "80", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "-10", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "80", "-1"],
            ]
        ),
        sets=2,
        problems=[
            (None, None, 3, "Reps", "dropped", "not a rep count"),
            (None, None, 4, W, "dropped", "negative weight"),
            (None, None, 5, "RPE", "fixed", "RPE outside 1-10"),
        ],
    ),
    c(
        "zero_values.csv",
        "zero reps (kept, reported), zero weight (bodyweight), RPE 0",
        lambda: utf8(
            [
                [*HEADER, "RPE"],
                ["2026-09-01", A, "Back squat", "both", "0", "80", "8"],
                ["2026-09-01", A, "Bodyweight squat", "both", "10", "0", "7"],
                ["2026-09-01", A, "Back squat", "both", "5", "80", "0"],
            ]
        ),
        sets=3,
        problems=[
            (None, None, 2, "Reps", "kept", "zero reps"),
            (None, None, 4, "RPE", "fixed", "RPE outside 1-10"),
        ],
    ),
    c(
        "absurd_values.csv",
        "500 reps, 2000 kg, 1e9 kg, RPE 15",
        lambda: utf8(
            [
                [*HEADER, "RPE"],
                [*GOOD[0], "8"],
                ["2026-09-01", A, "Back squat", "both", "500", "80", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "2000", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "1e9", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "80", "15"],
            ]
        ),
        sets=2,
        problems=[
            (None, None, 3, "Reps", "dropped", "implausible reps (over 200)"),
            (None, None, 4, W, "dropped", "implausible weight (over 600 kg)"),
            (None, None, 5, W, "dropped", "not a weight"),
            (None, None, 6, "RPE", "fixed", "RPE outside 1-10"),
        ],
    ),
    c(
        "text_in_numbers.csv",
        "words in the reps, weight and RPE columns",
        lambda: utf8(
            [
                [*HEADER, "RPE"],
                [*GOOD[0], "8"],
                ["2026-09-01", A, "Back squat", "both", "five", "80", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "heavy", "8"],
                ["2026-09-01", A, "Back squat", "both", "5", "80", "hard"],
            ]
        ),
        sets=2,
        problems=[
            (None, None, 3, "Reps", "dropped", "not a rep count"),
            (None, None, 4, W, "dropped", "not a weight"),
            (None, None, 5, "RPE", "kept", "not a RPE"),
        ],
    ),
    c(
        "runs_bad_values.csv",
        "runs: zero, negative and text distances, text duration, 10 s for 5 km, text HR",
        lambda: utf8(
            [
                RUNS_HEADER,
                ["2026-09-01", "5", "25:00", "150"],
                ["2026-09-02", "0", "25:00", "150"],
                ["2026-09-03", "-3", "25:00", "150"],
                ["2026-09-04", "far", "25:00", "150"],
                ["2026-09-05", "5", "long", "150"],
                ["2026-09-06", "5", "0:10", "150"],
                ["2026-09-07", "5", "25:00", "high"],
            ]
        ),
        runs=3,
        problems=[
            (None, None, 3, "Distance (km)", "dropped", "zero or negative distance"),
            (None, None, 4, "Distance (km)", "dropped", "zero or negative distance"),
            (None, None, 5, "Distance (km)", "dropped", "not a distance"),
            (None, None, 6, "Duration", "dropped", "not a duration"),
            (None, None, 7, "Duration", "kept", "pace outside"),
            (None, None, 8, "Avg HR", "kept", "not a heart rate"),
        ],
    ),
    # repeated rows and files
    c(
        "identical_sets.csv",
        "3 x 10 at 40 kg written as three identical rows (no set number): three sets",
        lambda: utf8([HEADER] + [["2026-09-01", A, "Goblet squat", "both", "10", "40"]] * 3),
        sets=3,
    ),
    c(
        "identical_sets_numbered.csv",
        "three identical rows numbered 1, 2, 3: three sets",
        lambda: utf8(
            [[*HEADER, "Set"]]
            + [["2026-09-01", A, "Goblet squat", "both", "10", "40", str(i)] for i in (1, 2, 3)]
        ),
        sets=3,
    ),
    c(
        "repeated_row.csv",
        "a row pasted twice (same set number): read once, reported",
        lambda: utf8(
            [[*HEADER, "Set"]]
            + [["2026-09-01", A, "Goblet squat", "both", "10", "40", str(i)] for i in (1, 2, 3, 2)]
        ),
        sets=3,
        problems=[(None, None, 5, None, "dropped", "repeats row 3")],
    ),
    c(
        "twice.csv",
        "the same file given twice",
        {"twice.csv": lambda: utf8([HEADER, *GOOD])},
        paths=["twice.csv", "twice.csv"],
        sets=2,
        problems=[
            (
                "twice.csv",
                None,
                None,
                None,
                "dropped",
                "the same file as 'twice.csv' was given twice (same path); read once",
            )
        ],
    ),
    c(
        "copy.csv",
        "two copies with different names",
        {"orig.csv": lambda: utf8([HEADER, *GOOD]), "orig_copy.csv": lambda: utf8([HEADER, *GOOD])},
        sets=2,
        problems=[
            (
                "orig_copy.csv",
                None,
                None,
                None,
                "dropped",
                "the same file as 'orig.csv' was given twice (same content)",
            )
        ],
    ),
    # workbook specials
    c(
        "hidden_and_empty_sheets.xlsx",
        "a hidden log sheet (read, reported), a hidden lookup sheet and an empty sheet",
        lambda: xlsx(
            {
                "Ana": [
                    ["Date", "Exercise", "Reps", "Weight (kg)"],
                    ["2026-09-01", "Back squat", 5, 80],
                ],
                "Ben": [
                    ["Date", "Exercise", "Reps", "Weight (kg)"],
                    ["2026-09-01", "Back squat", 5, 90],
                ],
                "Lookup": [["Exercise", "Pattern"], ["Back squat", "squat"]],
                "Empty": [],
            },
            hidden=("Ben", "Lookup"),
        ),
        sets=2,
        athletes=["Ana", "Ben"],
        problems=[(None, "Ben", None, None, "kept", "hidden sheet")],
    ),
    c(
        "formula_no_value.xlsx",
        "formulas without saved values (openpyxl) in Weight, Reps and a TOTAL row",
        lambda: _formulas(cached=False),
        sets=2,
        problems=[
            (None, "Ana", 2, W, "kept", "formula without a saved value"),
            (None, "Ana", 3, "Reps", "kept", "formula without a saved value"),
            (None, "Ana", 3, "Reps", "dropped", "no reps, time or distance"),
        ],
    ),
    c(
        "formula_with_value.xlsx",
        "the same formulas with saved values (as Excel writes them)",
        lambda: _formulas(cached=True),
        sets=3,
    ),
    c(
        "billion_laughs.xlsx",
        "a sheet XML with nested entities (billion laughs)",
        lambda: sheet_xml(good_xlsx(), b"<worksheet", LAUGHS.encode() + b"<worksheet"),
        exit=1,
        error=r"billion_laughs\.xlsx: refused: the part 'xl/worksheets/sheet1\.xml' declares an XML DTD or entities",
    ),
    c(
        "zip_bomb.xlsx",
        "sheet1.xml unpacks to 300 MB (1,000 times its stored size)",
        lambda: zip_bomb(300),
        exit=1,
        large=True,
        error=r"zip_bomb\.xlsx: refused: the workbook unpacks to 300 MB, more than liftpace's limit of 200 MB",
    ),
    c(
        "zip_bomb_ratio.xlsx",
        "sheet1.xml unpacks to 50 MB, 1,000 times its stored size",
        lambda: zip_bomb(50),
        exit=1,
        error=r"zip_bomb_ratio\.xlsx: refused: the part 'xl/worksheets/sheet1\.xml' unpacks \d+ times larger",
    ),
    c(
        "zip_bomb_2gb.xlsx",
        "sheet1.xml unpacks to 2 GB",
        lambda: zip_bomb(2047),
        exit=1,
        large=True,
        error=r"zip_bomb_2gb\.xlsx: refused: the workbook unpacks to 2047 MB",
    ),
    c(
        "zip_liar.xlsx",
        "sheet1.xml unpacks to 300 MB but its headers declare 2 kB",
        zip_liar,
        exit=1,
        large=True,
        error=r"zip_liar\.xlsx: refused: the part 'xl/worksheets/sheet1\.xml' unpacks to more than the 2,000 bytes",
    ),
    c(
        "far_cell.xlsx",
        "one stray value in cell XFD100000 (calamine would allocate 1.6 billion cells)",
        _far_cell,
        exit=1,
        error=r"far_cell\.xlsx: refused: sheet 'Ana' has cells as far as row 100,000 and column 16,384",
    ),
    # text that must stay text
    c(
        "formula_injection.csv",
        "cells beginning with = + - @ (spreadsheet formula injection)",
        lambda: utf8(
            [
                [*HEADER, "Notes"],
                [
                    "2026-09-01",
                    '"=HYPERLINK(""http://example.invalid"",""x"")"',
                    "Back squat",
                    "both",
                    "5",
                    "80",
                    "@SUM(1+1)",
                ],
                ["2026-09-01", "+Ana", "Back squat", "both", "5", "80", "-2+3"],
                ["2026-09-01", "-Ana", "=cmd|' /C calc'!A0", "both", "5", "80", "=1+1"],
            ]
        ),
        sets=3,
        athletes=["+Ana", "-Ana", '=HYPERLINK("http://example.invalid","x")'],
        problems=[(None, None, 4, "Exercise", "kept", "exercise not in the catalog")],
    ),
    c(
        "html_script.csv",
        "HTML and script in athlete names and notes",
        lambda: utf8(
            [
                [*HEADER, "Notes"],
                [
                    "2026-09-01",
                    "<script>alert('x')</script>",
                    "Back squat",
                    "both",
                    "5",
                    "80",
                    "<img src=x onerror=alert(1)>",
                ],
                [
                    "2026-09-01",
                    "Ana <b>bold</b>",
                    "Back squat",
                    "both",
                    "5",
                    "80",
                    "</td></tr><script>x()</script>",
                ],
            ]
        ),
        sets=2,
        athletes=["<script>alert('x')</script>", "Ana <b>bold</b>"],
    ),
    c(
        "control_chars.csv",
        "terminal escape codes, a tab and a right-to-left override in names",
        lambda: utf8(
            [
                HEADER,
                ["2026-09-01", "Ana\x1b[2J\x1b[31m", "Back squat", "both", "5", "80"],
                ["2026-09-01", "Ben", '"Back\tsquat"', "both", "5", "80"],
                ["2026-09-01", "Cy\u202eroF", "Back squat", "both", "5", "80"],
            ]
        ),
        sets=3,
        athletes=["Ana [2J [31m", "Ben", "Cy roF"],
        problems=[
            (None, None, 2, "Athlete", "fixed", "control characters"),
            (None, None, 3, "Exercise", "fixed", "control characters"),
            (None, None, 4, "Athlete", "fixed", "control characters"),
        ],
    ),
    # CSV structure
    c(
        "unclosed_quote_at_end.csv",
        "a quote never closed swallows the rest of the file",
        lambda: utf8(
            [
                HEADER,
                GOOD[0],
                ["2026-09-02", A, '"Back squat', "both", "5", "80"],
                ["2026-09-03", A, "Back squat", "both", "5", "85"],
                ["2026-09-04", A, "Back squat", "both", "5", "87.5"],
            ]
        ),
        sets=4,
        problems=[(None, None, 3, None, "kept", "a quote opened in this row is never closed")],
    ),
    c(
        "unclosed_quote_inside.csv",
        "a quote left open mid-file swallows two rows into a note",
        lambda: utf8(
            [
                [*HEADER, "Notes"],
                [*GOOD[0], '"felt good'],
                ["2026-09-02", A, "Back squat", "both", "5", "82.5", "ok"],
                ["2026-09-03", A, "Back squat", "both", "5", "85", '"two'],
                ["lines", '"x"'],
                ["2026-09-04", A, "Back squat", "both", "5", "87.5", ""],
            ]
        ),
        sets=2,
        problems=[(None, None, 2, None, "kept", "holds text that looks like rows of the file")],
    ),
    c(
        "ragged_rows.csv",
        "rows shorter and longer than the header",
        lambda: utf8(
            [HEADER, ["2026-09-01", A, "Back squat", "both", "5"], [*GOOD[1], "extra", "cells"]]
        ),
        sets=2,
    ),
    c(
        "titles_repeats_blanks.csv",
        "title rows, a blank row, a repeated header and a 'Week 2' row",
        lambda: utf8(
            [["Ana's strength log"], [""], HEADER, GOOD[0], [""], HEADER, ["Week 2"], GOOD[1]]
        ),
        sets=2,
    ),
    # GPX / TCX / FIT
    c(
        "truncated.gpx",
        "a GPX file cut off mid-point",
        lambda: gpx(GPX_POINTS)[:300],
        exit=1,
        error=r"truncated\.gpx: not a well-formed GPX file",
    ),
    c(
        "billion_laughs.gpx",
        "a GPX with nested entities",
        lambda: (
            gpx(GPX_POINTS)
            .replace(b"<gpx ", LAUGHS.encode() + b"\n<gpx ", 1)
            .replace(b"Morning Run", b"&lol9;")
        ),
        exit=1,
        error=r"billion_laughs\.gpx: refused: the GPX file declares a DTD or XML entities",
    ),
    c(
        "no_points.gpx",
        "a GPX track with no points (a route, not a run)",
        lambda: gpx([]),
        exit=1,
        problems=[(None, None, 1, "trkpt", "dropped", "no track points")],
    ),
    c(
        "truncated.tcx",
        "a TCX file cut off",
        lambda: tcx(5000.0)[:400],
        exit=1,
        error=r"truncated\.tcx: not a well-formed TCX file",
    ),
    c(
        "zero_distance.tcx",
        "a TCX run of 0 m",
        lambda: tcx(0.0),
        exit=1,
        problems=[(None, None, 1, "distance", "dropped", "zero distance")],
    ),
    c(
        "billion_laughs.tcx",
        "a TCX with nested entities",
        lambda: tcx(5000.0).replace(
            b"<TrainingCenterDatabase", LAUGHS.encode() + b"\n<TrainingCenterDatabase", 1
        ),
        exit=1,
        error=r"billion_laughs\.tcx: refused: the TCX file declares a DTD or XML entities",
    ),
    c(
        "gzip_bomb.gpx.gz",
        "a gzipped GPX that unpacks to 300 MB",
        lambda: gzip_bomb(GPX_HEAD.encode(), 300),
        exit=1,
        large=True,
        error=r"gzip_bomb\.gpx\.gz: decompresses to more than 64 MB",
    ),
    c(
        "bad_field_size.fit",
        "a FIT file whose timestamp field is declared 5 bytes long (one flipped byte)",
        lambda: base64.b64decode(FIT_BAD_FIELD),
        exit=1,
        error=r"bad_field_size\.fit: not a readable FIT file",
    ),
    c(
        "truncated.fit",
        "a FIT file header with nothing after it",
        lambda: b"\x0e\x20\x00\x00\x00\x00\x00\x00.FIT\x00\x00",
        exit=1,
        error=r"truncated\.fit: not a readable FIT file",
    ),
]


# --- issue 16: bypasses of the guards, resource bombs, twins --------------------------------------

_hostile_spec = importlib.util.spec_from_file_location("hostile", HERE / "hostile.py")
hostile = importlib.util.module_from_spec(_hostile_spec)
_hostile_spec.loader.exec_module(hostile)
_fixtures_spec = importlib.util.spec_from_file_location(
    "make_run_fixtures", HERE.parent / "fixtures" / "apps" / "make_run_fixtures.py"
)
run_fixtures = importlib.util.module_from_spec(_fixtures_spec)
_fixtures_spec.loader.exec_module(run_fixtures)

SHEET_ROWS = [["Date", "Exercise", "Reps", "Weight (kg)"], ["2026-09-01", "Back squat", 5, 80]]
INLINE_X = b'<is><t>x</t></is>'


def part(blob: bytes, name: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The workbook ``blob`` with part ``name`` replaced by ``edit(its bytes)``."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        xml = zf.read(name)
    return rezip(blob, {name: edit(xml)})


def far_row(row_xml: bytes) -> Callable[[], bytes]:
    """The good workbook with one more row appended to its sheet (a hostile cell placement)."""
    return lambda: part(
        xlsx({"Ana": SHEET_ROWS}),
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"</sheetData>", row_xml + b"</sheetData>"),
    )


def _unbound_prefix() -> bytes:
    """workbook.xml with its sheet list under an unbound prefix, and a far cell in the sheet."""
    blob = far_row(b'<row r="1048576"><c r="XFD1048576" t="inlineStr">' + INLINE_X + b"</c></row>")()
    return part(blob, "xl/workbook.xml", lambda x: x.replace(b"<sheets>", b"<x:sheets>")
                .replace(b"</sheets>", b"</x:sheets>").replace(b"<sheet ", b"<x:sheet "))


def _sheet_entries(n: int) -> bytes:
    """``n`` sheet entries (distinct names) that all point at the one sheet part."""
    def edit(xml: bytes) -> bytes:
        one = re.search(rb"<sheet [^>]*/>", xml).group(0)
        many = b"".join(one.replace(b'name="Ana"', b'name="S%d"' % i) for i in range(n))
        return xml.replace(one, many)
    return part(xlsx({"Ana": SHEET_ROWS}), "xl/workbook.xml", edit)


def _many_sheets(n: int) -> bytes:
    return xlsx({f"S{i}": SHEET_ROWS for i in range(n)})


def _shared_strings(count: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx({"Ana": SHEET_ROWS}))) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           b'count="1" uniqueCount="%d"><si><t>x</t></si></sst>' % count)
    return fixed_zip([*entries, ("xl/sharedStrings.xml", sst)])


def _duplicate_part() -> bytes:
    """Two zip entries named xl/worksheets/sheet1.xml: a harmless one, then one with a far cell."""
    good = xlsx({"Ana": SHEET_ROWS})
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
        sheet = zf.read("xl/worksheets/sheet1.xml")
    far = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">' + INLINE_X
                        + b"</c></row></sheetData>")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: the point here
        return fixed_zip([*entries, ("xl/worksheets/sheet1.xml", far)])


def _case_folded_part() -> bytes:
    """The sheet part stored as XL/WORKSHEETS/SHEET1.XML (calamine ignores ASCII case), far cell in it."""
    blob = far_row(b'<row r="1048576"><c r="XFD1048576" t="inlineStr">' + INLINE_X + b"</c></row>")()
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        entries = [(i.filename.upper() if i.filename.endswith("sheet1.xml") else i.filename, zf.read(i.filename))
                   for i in zf.infolist()]
    return fixed_zip(entries)


def _ods_namespace(bind: str) -> bytes:
    """An ODS whose ``table:`` prefix is unbound or bound elsewhere, and a repeated cell (calamine
    matches the prefix, not the namespace)."""
    blob = ods({"Ana": [["Date", "Exercise", "Reps", "Weight (kg)"]]},
               '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
               'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
               "<text:p>1</text:p></table:table-cell></table:table-row>")
    ns = b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    return part(blob, "content.xml", lambda x: x.replace(ns, bind.encode()))


def _xls_good() -> bytes:
    return hostile.xls({"Ana": [*SHEET_ROWS, ["2026-09-01", "Back squat", 5, 82.5]]})


def _runs_csv(rows: list[list[str]]) -> bytes:
    header = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Distance", "Moving Time",
              "Distance"]
    return utf8([header, *rows])


def _twin_fit() -> bytes:
    return run_fixtures.fit_run(start=dt.datetime(2026, 9, 1, 6, 0), metres=5000.0, timer_s=1500.0,
                                elapsed_s=1500.0, hr=150, ascent=0)


def _athletes(n: int) -> bytes:
    return utf8([HEADER] + [["2026-09-01", f"Athlete {i:04d}", "Back squat", "both", "5", "80"] for i in range(n)])


def _lines(n: int) -> bytes:
    return ("Date,Exercise,Reps,Weight (kg)\n" + "2026-09-01,Back squat,5,80\n" + ",\n" * n).encode()


#: Messages of the escapes case: a sheet name with a C1 control (CSI) and a bidi override.
EVIL_SHEET = "Ana\u009b2J\u202e"
FAR = r"refused: sheet 'Ana' has cells as far as row 1,048,576 and column 16,384"

CASES += [
    # workbook guards: each of these made calamine abort the interpreter (52-549 GB) before
    c("lowercase_ref.xlsx", "a cell reference in lower case (xfd1048576): the old scan only read A-Z",
      far_row(b'<row r="1048576"><c r="xfd1048576" t="inlineStr">' + INLINE_X + b"</c></row>"),
      exit=1, error=r"lowercase_ref\.xlsx: " + FAR),
    c("cells_without_r.xlsx", "cells without r=: 16,383 empty ones push the last one to column XFD",
      far_row(b'<row r="1048576">' + b"<c/>" * 16383 + b'<c t="inlineStr">' + INLINE_X + b"</c></row>"),
      exit=1, error=r"cells_without_r\.xlsx: " + FAR),
    c("eight_digit_row.xlsx", "a row number of 8 digits (the old scan read at most 7)",
      far_row(b'<row r="99999999"><c r="XFD99999999" t="inlineStr">' + INLINE_X + b"</c></row>"),
      exit=1, error=r"eight_digit_row\.xlsx: refused: sheet 'Ana' has cells as far as row 99,999,999"),
    c("u32_row.xlsx", "row 4294967295: calamine reads row numbers in 32-bit arithmetic",
      far_row(b'<row r="4294967295"><c r="A4294967295" t="inlineStr">' + INLINE_X + b"</c></row>"),
      exit=1, error=r"u32_row\.xlsx: refused: sheet 'Ana' has cells as far as row 4,294,967,295"),
    c("wrapped_row.xlsx", "row 4294967298 wraps to row 2 in calamine's 32-bit arithmetic: read there",
      far_row(b'<row r="3"><c r="E4294967298"><v>1</v></c></row>'),
      sets=1),
    c("unbound_prefix.xlsx", "workbook.xml with an unbound prefix (the old scan gave up unchecked) and a far cell",
      _unbound_prefix, exit=1, error=r"unbound_prefix\.xlsx: " + FAR),
    c("duplicate_part.xlsx", "two zip entries with the sheet's name: a harmless one and one with a far cell",
      _duplicate_part, exit=1, error=r"duplicate_part\.xlsx: refused: two parts are named 'xl/worksheets/sheet1\.xml'"),
    c("case_folded_part.xlsx", "the sheet stored as XL/WORKSHEETS/SHEET1.XML (calamine ignores case) with a far cell",
      _case_folded_part, exit=1, error=r"case_folded_part\.xlsx: " + FAR),
    c("shared_strings_count.xlsx", "sharedStrings.xml declares 10^15 strings (calamine reserves them)",
      lambda: _shared_strings(10**15), exit=1,
      error=r"shared_strings_count\.xlsx: refused: it declares 1,000,000,000,000,000 shared strings"),
    c("sheet_entries_50000.xlsx", "50,000 sheet entries that all point at one sheet part",
      lambda: _sheet_entries(50_000), exit=1,
      error=r"sheet_entries_50000\.xlsx: refused: the workbook has 50,000 sheets, more than liftpace's limit of 256"),
    c("sheets_4990.xlsx", "4,990 sheets (217 s before)", lambda: _many_sheets(4990), exit=1, large=True,
      error=r"sheets_4990\.xlsx: refused: the workbook has 4,990 sheets, more than liftpace's limit of 256"),
    c("xlsb_in_zip.xlsx", "an Excel binary workbook (xl/workbook.bin) named .xlsx",
      lambda: fixed_zip([("_rels/.rels", b"<Relationships/>"), ("xl/workbook.bin", b"\x83\x01\x00")]),
      exit=1, error=r"xlsb_in_zip\.xlsx: is an Excel binary workbook \(\.xlsb\)"),
    c("ods_unbound_prefix.ods", "an ODS whose table: prefix is unbound, repeating one cell 1M x 16,384 times",
      lambda: _ods_namespace(""), exit=1,
      error=r"ods_unbound_prefix\.ods: refused: sheet 'Ana' has cells as far as row 1,048,577 and column 16,384"),
    c("ods_other_namespace.ods", "an ODS whose table: prefix is bound to another namespace, same repeats",
      lambda: _ods_namespace('xmlns:table="urn:example:other" '), exit=1,
      error=r"ods_other_namespace\.ods: refused: sheet 'Ana' has cells as far as row 1,048,577"),
    # .xls: the container and the sheets as calamine reads them
    c("good.xls", "an .xls workbook (BIFF8 in an OLE2 container)", _xls_good, sets=2, athletes=["Ana"]),
    c("xls_dimensions.xls", "an .xls whose DIMENSIONS record makes calamine reserve 858,993,458,600 cells",
      lambda: hostile.xls({"Ana": SHEET_ROWS}, dims={"Ana": (5, 2, 0, 200)}), exit=1,
      error=r"xls_dimensions\.xls: refused: sheet 'Ana' declares a range of 858,993,458,600 cells"),
    c("xls_far_cell.xls", "an .xls with one cell at row 65,536 and column 65,536",
      lambda: hostile.xls({"Ana": SHEET_ROWS}, cells={"Ana": [(65535, 65535, 1.0)]}), exit=1,
      error=r"xls_far_cell\.xls: refused: sheet 'Ana' has cells as far as row 65,536 and column 65,536"),
    c("xls_dir_loop.xls", "an .xls whose directory chain points back at itself (calamine loops forever)",
      lambda: hostile.cfb(hostile.biff({"Ana": SHEET_ROWS}), dir_loop=True), exit=1,
      error=r"xls_dir_loop\.xls: refused: the OLE2 container's sector chain loops"),
    c("xls_sheets_300.xls", "an .xls with 300 sheets",
      lambda: hostile.xls({f"S{i}": SHEET_ROWS for i in range(300)}), exit=1,
      error=r"xls_sheets_300\.xls: refused: the workbook has more than 256 sheets"),
    # text and run files: bounded before a parser builds anything
    c("csv_1m_lines.csv", "a CSV of 1,000,002 lines (blank rows after one set)", lambda: _lines(1_000_000),
      exit=1, large=True,
      error=r"csv_1m_lines\.csv: refused: 1,000,002 lines, more than liftpace's limit of 1,000,000 lines"),
    c("gpx_points.gpx.gz", "a gzipped GPX of 250,000 track points (70 hours at one a second)",
      lambda: gzip_bytes(hostile.gpx_flood(250_000)), exit=1, large=True,
      error=r"gpx_points\.gpx\.gz: refused: the GPX file has 250,000 points, more than liftpace's limit of 200,000"),
    c("fit_messages.fit.gz", "a gzipped FIT file of 1,000,000 tiny messages", lambda: gzip_bytes(hostile.fit_flood(10**6)),
      exit=1, error=r"fit_messages\.fit\.gz: refused: more than 200,000 messages"),
    c("athletes_1000.csv", "a 40 KB CSV naming 1,000 athletes (liftpace squad stops past 200)",
      lambda: _athletes(1000), sets=1000),
    # terminal escapes: shown escaped by liftpace check
    c("escapes_in_sheet_name.xlsx", "a sheet name with a C1 control (CSI) and a right-to-left override",
      lambda: xlsx({EVIL_SHEET: [["Date", "Exercise", "Reps", "Weight (kg)"], ["2026-09-01", "Back squat", "five", 80],
                                 ["2026-09-01", "Back squat", 5, 80]]}),
      sets=1, athletes=["Ana 2J"],
      problems=[(None, EVIL_SHEET, 2, "Reps", "dropped", "not a rep count"),
                (None, EVIL_SHEET, 3, "Athlete", "fixed", "control characters")]),
    # the same data in another form: counted once, with a note naming both files
    c("twin_crlf.csv", "a CSV and the same CSV re-saved with CRLF line ends",
      {"twin_crlf.csv": lambda: utf8([HEADER, *GOOD]), "twin_crlf_resaved.csv": lambda: utf8([HEADER, *GOOD], newline="\r\n")},
      sets=2, problems=[("twin_crlf_resaved.csv", None, None, None, "dropped", "holds the same sets as 'twin_crlf.csv'")]),
    c("twin_bom.csv", "a CSV and the same CSV re-saved with a byte-order mark",
      {"twin_bom.csv": lambda: utf8([HEADER, *GOOD]), "twin_bom_resaved.csv": lambda: b"\xef\xbb\xbf" + utf8([HEADER, *GOOD])},
      sets=2, problems=[("twin_bom_resaved.csv", None, None, None, "dropped", "holds the same sets as 'twin_bom.csv'")]),
    c("twin_semicolon.csv", "a CSV and the same CSV re-saved with ';' separators",
      {"twin_semicolon.csv": lambda: utf8([HEADER, *GOOD]),
       "twin_semicolon_resaved.csv": lambda: utf8([HEADER, *GOOD], sep=";")},
      sets=2, problems=[("twin_semicolon_resaved.csv", None, None, None, "dropped",
                         "holds the same sets as 'twin_semicolon.csv'")]),
    c("twin_xlsx.csv", "a CSV and the same log saved as .xlsx",
      {"twin_xlsx.csv": lambda: utf8([HEADER, *GOOD]),
       "twin_xlsx.xlsx": lambda: xlsx({"Log": [HEADER, *[[*r[:4], int(r[4]), float(r[5])] for r in GOOD]]})},
      sets=2, problems=[("twin_xlsx.xlsx", None, None, None, "dropped", "holds the same sets as 'twin_xlsx.csv'")]),
    c("twin_run.gpx", "a GPX and its .gz", {"twin_run.gpx": lambda: gpx(GPX_POINTS),
                                           "twin_run.gpx.gz": lambda: gzip_bytes(gpx(GPX_POINTS))},
      runs=1, options={"timezone": "UTC"},
      problems=[("twin_run.gpx.gz", None, 1, None, "dropped", "the same run as 'twin_run.gpx' row 1")]),
    c("twin_activity.fit", "a FIT file and the TCX of the same activity (06:00, 5 km)",
      {"twin_activity.fit": _twin_fit, "twin_activity.tcx": lambda: tcx(5000.0)},
      runs=1, options={"timezone": "UTC"},
      problems=[("twin_activity.tcx", None, 1, None, "dropped", "the same run as 'twin_activity.fit' row 1")]),
    c("twin_strava.csv", "a Strava activities.csv row and its GPX file (the same athlete given)",
      {"activities.csv": lambda: _runs_csv([["1", '"Sep 1, 2026, 6:00:00 AM"', "Morning Run", "Run", "2.00", "600",
                                              "2003.7"]]),
       "12345.gpx": lambda: gpx(GPX_POINTS)},
      runs=1, options={"timezone": "UTC", "athlete": "Sam"},
      problems=[("12345.gpx", None, 1, None, "dropped", "the same run as 'activities.csv' row 2")]),
]


def build(out: Path, *, large: bool = False) -> list[Path]:
    """Write the corpus (``large=True``: also the files over ~1 MB) and return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        if case.large and not large:
            continue
        for name, make in case.files.items():
            path = out / name
            path.write_bytes(make())
            written.append(path)
    return written


def expectations() -> list[dict]:
    """The cases as JSON-ready dicts (what ``expectations.json`` holds)."""
    rows = []
    for case in CASES:
        first = next(iter(case.files))
        rows.append(
            {
                "name": case.name,
                "what": case.what,
                "paths": case.paths or list(case.files),
                "large": case.large,
                "exit": case.exit,
                "sets": case.sets,
                "runs": case.runs,
                "athletes": case.athletes,
                "error": case.error,
                "known_bug": case.known_bug,
                "options": case.options,
                "problems": [
                    {
                        "file": f or first,
                        "sheet": sh,
                        "row": r,
                        "column": col,
                        "action": a,
                        "text": t,
                    }
                    for f, sh, r, col, a, t in case.problems
                ],
            }
        )
    return rows


def main() -> None:
    """Write the committed corpus; ``make_corpus.py --large DIR`` writes the big files into DIR."""
    import sys

    if sys.argv[1:2] == ["--large"] and len(sys.argv) == 3:
        written = [p for p in build(Path(sys.argv[2]), large=True)]
        print(f"wrote {len(written)} files (the large ones too) in {sys.argv[2]}")
        return
    written = build(HERE)
    EXPECTATIONS.write_text(
        json.dumps(expectations(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(written)} files and {EXPECTATIONS.name} ({len(CASES)} cases) in {HERE}")


if __name__ == "__main__":
    main()

"""Seeded mutants of real files: the damage and the tricks that hostile or broken files carry.

Used by ``tests/test_loader_fuzz.py`` (a few hundred mutants in ``make test``) and by
``benchmarks/bench_fuzz.py`` (5,000 mutants, each in a watched worker process). A mutant is a
function of ``(seed file, seed number)`` only, so a failure is reproduced from the two numbers
the test prints::

    from mutate import mutant
    name, data, how = mutant(Path("tests/fixtures/apps/strava_run.gpx.gz"), 1234)

Mutations know the containers: a workbook (zip) is unpacked and one of its XML parts damaged
(cell references lower-cased, removed, made huge; prefixes renamed; rows repeated; sheet
entries multiplied), a gzip file is unpacked, damaged and packed again, a text file is damaged
line by line or cell by cell, and any file can also have raw bytes flipped, cut or repeated.
"""

from __future__ import annotations

import gzip
import io
import random
import re
import warnings
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

ODD_TEXT = [
    "", " ", "-", "NaN", "nan", "inf", "-inf", "1e309", "-0", "0", "-1", "999999999999",
    "99999999999999999999999", "1e-320", "31/02/2026", "2099-01-01", "0000-00-00", "9999-12-31",
    "2026-09-02T06:05:14Z", "2026-09-02T06:05:14+02:00", "2026-09-02 06:05:14 +0200",
    "1/1/1", "13/13/2026", "=1+1", '"', '""', ",", ";", "\n", "\r", "\r\n", "\x00", "\x1b[2J",
    "BW+", "3x", "x10", "8/8/", "45s", "1:00:00:00", "99:99", "L/R", "\u202e", "٣", "１２",
    "ñ", "\ufeff", "\udcff", "𝟗", "½", "1,5", "1.000,5", "10 kg", "10 lbs", "-10kg", "3x10@",
    "@@", "%s%s%n", "{}", "[]", "None", "True", "s", "h", "m", "1h", "1m", "1s", "::", "1:",
    ":1", "0:0:0", "7 Apr 2026, 10:14", "32 Apr 2026, 10:14", "7 Foo 2026, 10:14",
    "7 Apr 99999, 99:99", "Sep 2, 2025, 6:05:14 AM", "Feb 30, 2025, 6:05:14 AM",
]  # fmt: skip

SEED_DIRS = ("data/sample_logs", "tests/fixtures/apps", "tests/bad_inputs")
SEED_SUFFIXES = (".csv", ".txt", ".xlsx", ".ods", ".gpx", ".tcx", ".fit", ".gz")


def seed_files() -> list[Path]:
    """Every sample log, app fixture and committed bad input (sorted, so seeds are stable)."""
    files = []
    for folder in SEED_DIRS:
        for path in sorted((ROOT / folder).iterdir()):
            if path.is_file() and path.name.lower().endswith(SEED_SUFFIXES):
                files.append(path)
    return files


# --- raw bytes -----------------------------------------------------------------------------------


def _bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))), "random bytes"
    op = rng.choice(["flip", "flip", "truncate", "insert", "delete", "repeat", "splice"])
    buf = bytearray(data)
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(buf))
            buf[pos] ^= rng.randint(1, 255)
    elif op == "truncate":
        del buf[rng.randrange(len(buf)) :]
    elif op == "insert":
        pos = rng.randrange(len(buf) + 1)
        buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif op == "delete":
        pos = rng.randrange(len(buf))
        del buf[pos : pos + rng.randint(1, 64)]
    elif op == "repeat":
        pos = rng.randrange(len(buf))
        chunk = buf[pos : pos + rng.randint(1, 256)]
        buf[pos:pos] = chunk * rng.randint(1, 20)
    else:
        pos = rng.randrange(len(buf))
        text = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")
        buf[pos : pos + rng.randint(0, 8)] = text
    return bytes(buf), f"bytes: {op}"


# --- text ------------------------------------------------------------------------------------------


def _text(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, enc = data.decode("utf-16", "replace"), "utf-16"
    else:
        text, enc = data.decode("utf-8", "replace"), "utf-8"
    op = rng.choice(["lines", "cell", "cell", "token", "encoding", "newline", "delimiter", "header"])
    lines = text.split("\n")
    if op == "lines":
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(lines))
            kind = rng.choice(["delete", "duplicate", "swap", "many"])
            if kind == "delete" and len(lines) > 1:
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            elif kind == "many":
                lines[i:i] = [lines[i]] * rng.randint(2, 200)
            else:
                j = rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
        text = "\n".join(lines)
    elif op in ("cell", "header"):
        i = 0 if op == "header" else rng.randrange(len(lines))
        sep = ";" if lines[i].count(";") > lines[i].count(",") else ","
        cells = lines[i].split(sep)
        for _ in range(rng.randint(1, 3)):
            cells[rng.randrange(len(cells))] = rng.choice(ODD_TEXT)
        lines[i] = sep.join(cells)
        text = "\n".join(lines)
    elif op == "token":  # a number or a date-like token replaced
        tokens = list(re.finditer(r"[\d][\d.:\-/T]*", text))
        if tokens:
            for _ in range(rng.randint(1, 4)):
                m = rng.choice(tokens)
                text = text[: m.start()] + rng.choice(ODD_TEXT) + text[m.end() :]
                tokens = list(re.finditer(r"[\d][\d.:\-/T]*", text))
                if not tokens:
                    break
    elif op == "encoding":
        choice = rng.choice(["utf-16", "utf-16-be", "bom", "cp1252", "latin"])
        if choice == "utf-16":
            return text.encode("utf-16", "surrogatepass"), "text: utf-16"
        if choice == "utf-16-be":
            return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass"), "text: utf-16-be"
        if choice == "bom":
            return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass"), "text: bom"
        return text.encode("cp1252", "replace"), "text: cp1252"
    elif op == "newline":
        text = text.replace("\n", rng.choice(["\r\n", "\r", "\n\n", "\u2028"]))
    else:
        text = text.replace(",", rng.choice([";", "\t", "|", ",,"]))
    if enc == "utf-16":
        return text.encode("utf-16", "surrogatepass"), f"text: {op}"
    return text.encode("utf-8", "surrogatepass"), f"text: {op}"


# --- XML parts (workbooks, GPX, TCX) -------------------------------------------------------------------

_XML_TRICKS = (
    "lower refs", "drop refs", "huge row", "huge ref", "ten-digit row", "prefix", "repeat rows",
    "repeat cells", "dimension", "comment", "cdata", "entity", "encoding", "numbers", "text",
)


def _xml(rng: random.Random, xml: bytes) -> tuple[bytes, str]:
    op = rng.choice(_XML_TRICKS)
    if op == "lower refs":
        xml = re.sub(rb'\br="([A-Z]+)(\d+)"', lambda m: b'r="' + m.group(1).lower() + m.group(2) + b'"', xml)
    elif op == "drop refs":
        xml = re.sub(rb'(<(?:\w+:)?c) r="[A-Za-z]+\d+"', rb"\1", xml)
    elif op == "huge row":
        xml = re.sub(rb'\br="(\d+)"', lambda m: b'r="' + str(rng.choice([1048576, 9999999, 2**31, 2**32 + 1])).encode() + b'"', xml, count=1)
    elif op == "huge ref":
        refs = re.findall(rb'\br="([A-Za-z]+\d+)"', xml)
        if refs:
            far = rng.choice([b"XFD1048576", b"ZZZ9999999", b"A99999999", b"AAAA1", b"xfd1048576"])
            xml = xml.replace(b'r="' + rng.choice(refs) + b'"', b'r="' + far + b'"', 1)
    elif op == "ten-digit row":
        xml = re.sub(rb'\br="([A-Za-z]+)(\d+)"', lambda m: b'r="' + m.group(1) + b"4294967297" + b'"', xml, count=1)
    elif op == "prefix":
        xml = re.sub(rb"<(/?)(sheetData|row|c|v|sheet|sheets|table:table-row|table:table-cell)\b",
                     lambda m: b"<" + m.group(1) + b"x:" + m.group(2).split(b":")[-1], xml, count=rng.randint(1, 50))
    elif op == "repeat rows":
        rows = re.findall(rb"<(?:\w+:)?row\b.*?</(?:\w+:)?row>|<table:table-row\b.*?</table:table-row>", xml, re.S)
        if rows:
            row = rng.choice(rows)
            xml = xml.replace(row, row * rng.randint(2, 500), 1)
        xml = re.sub(rb'number-(rows|columns)-repeated="\d+"', lambda m: b'number-' + m.group(1) + b'-repeated="' + str(rng.choice([2, 1000, 16384, 1048576, 10**9])).encode() + b'"', xml)
    elif op == "repeat cells":
        cells = re.findall(rb"<c\b[^>]*>.*?</c>|<table:table-cell\b[^>]*>.*?</table:table-cell>", xml, re.S)
        if cells:
            cell = rng.choice(cells)
            if cell.startswith(b"<table"):
                cell = cell.replace(b"<table:table-cell", b'<table:table-cell table:number-columns-repeated="%d"' % rng.choice([100, 16384, 10**6]), 1)
                xml = xml.replace(b"</table:table-row>", cell + b"</table:table-row>", 1)
            else:
                xml = xml.replace(cell, cell * rng.randint(2, 300), 1)
    elif op == "dimension":
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        xml = re.sub(rb"(<sheet [^>]*/>)", lambda m: m.group(1) * rng.randint(2, 400), xml, count=1)
    elif op == "comment":
        pos = rng.randrange(len(xml) + 1)
        xml = xml[:pos] + b'<!-- <c r="XFD1048576"><v>1</v></c> -->' + xml[pos:]
    elif op == "cdata":
        xml = xml.replace(b"<v>", b"<v><![CDATA[", 1).replace(b"</v>", b"]]></v>", 1)
    elif op == "entity":
        xml = xml.replace(b"<v>", b"<v>&#x31;&unknown;", 1)
    elif op == "encoding":
        xml = re.sub(rb'encoding="[^"]*"', rng.choice([b'encoding="UTF-2"', b'encoding="utf-16"', b'encoding="latin-1"', b'encoding=""']), xml, count=1)
        if b"encoding=" not in xml[:100]:
            xml = b'<?xml version="1.0" encoding="UTF-2"?>' + xml
    elif op == "numbers":
        nums = list(re.finditer(rb">(-?\d+(?:\.\d+)?)<|=\"(-?\d+(?:\.\d+)?)\"", xml))
        for m in rng.sample(nums, min(len(nums), rng.randint(1, 5))):
            span = m.span(1) if m.group(1) is not None else m.span(2)
            value = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")
            value = value.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b'"', b"&quot;")
            xml = xml[: span[0]] + value + xml[span[1] :]
            break
    else:
        texts = list(re.finditer(rb">([^<>]{1,40})<", xml))
        if texts:
            m = rng.choice(texts)
            value = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")
            xml = xml[: m.start(1)] + value.replace(b"&", b"&amp;").replace(b"<", b"&lt;") + xml[m.end(1) :]
    return xml, f"xml: {op}"


# --- containers --------------------------------------------------------------------------------------------


def _zip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    except Exception:  # already damaged: raw bytes only
        return _bytes(rng, data)
    op = rng.choice(["member", "member", "member", "structure", "rename", "duplicate"])
    names = [n for n, _ in members]
    if op == "structure":
        return _bytes(rng, data)
    if op == "rename":
        i = rng.randrange(len(members))
        name = members[i][0]
        new = rng.choice([name.upper(), name.replace("/", "\\"), name.lower(), "xl/workbook.bin", "content.xml"])
        members[i] = (new, members[i][1])
        how = f"zip: rename {name}"
    elif op == "duplicate":
        i = rng.randrange(len(members))
        members.append(members[i])
        how = f"zip: duplicate {names[i]}"
    else:
        xmls = [i for i, n in enumerate(names) if n.endswith((".xml", ".rels"))]
        i = rng.choice(xmls) if xmls else rng.randrange(len(members))
        name, content = members[i]
        if rng.random() < 0.7 and name.endswith((".xml", ".rels")):
            content, how = _xml(rng, content)
        else:
            content, how = _bytes(rng, content)
        members[i] = (name, content)
        how = f"zip member {name}: {how}"
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # a duplicate name is the point of some mutants
        for name, content in members:
            info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return out.getvalue(), how


def _gzip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    try:
        payload = gzip.decompress(data)
    except Exception:
        return _bytes(rng, data)
    if rng.random() < 0.2:
        return _bytes(rng, data)
    inner, how = _by_content(rng, payload)
    return gzip.compress(inner, mtime=0), f"gzip: {how}"


def _by_content(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if data[:2] == b"\x1f\x8b":
        return _gzip(rng, data)
    if data[:4] == b"PK\x03\x04":
        return _zip(rng, data)
    if len(data) >= 12 and data[8:12] == b".FIT":
        return _bytes(rng, data)
    head = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<"):
        if rng.random() < 0.6:
            return _xml(rng, data)
        return _bytes(rng, data)
    if rng.random() < 0.75:
        return _text(rng, data)
    return _bytes(rng, data)


def mutant(path: Path, number: int) -> tuple[str, bytes, str]:
    """``(file name, damaged bytes, what was done)`` for seed ``path`` and mutant ``number``.

    The file name keeps the seed's name (its suffix steers detection, as a user's would); one
    mutant in ten is given another suffix (a CSV named .xlsx, a workbook named .csv).
    """
    rng = random.Random(f"{path.name}:{number}")
    data = path.read_bytes()
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data, how = _by_content(rng, data)
    name = path.name
    if rng.random() < 0.1:
        stem = name.split(".")[0]
        suffix = rng.choice([".csv", ".xlsx", ".ods", ".gpx", ".fit", ".tcx", ".XLSX", ".txt", ".xls"])
        name = stem + suffix
        how += f"; named {suffix}"
    return name, data, how

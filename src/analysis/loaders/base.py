"""What every reader returns, the reader registry, and the problems collector.

A *reader* handles one file format. It is registered with :func:`register` and found by
:func:`detect`, which looks at the file's content (first bytes and, for text files, the header
fields), never at its name alone. Each reader returns a :class:`FileResult` with *pre-sets*
(``exercise_raw`` not yet resolved, ``side`` possibly NA, an optional ``notes`` column used to
find a side), runs, bodyweight, problems and counts of skipped non-data rows.
:mod:`analysis.loaders.finalize` turns pre-sets into canonical sets the same way for every
format.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError

#: Columns a reader may fill in its pre-sets frame (besides the canonical sets columns).
PRESET_EXTRA = ("notes", "set_type")


@dataclass
class Options:
    """Options of :func:`analysis.read_logs` that readers honour."""

    weight_unit: str | None = None  # "kg" | "lb" | None (from the file, else kg with a note)
    distance_unit: str | None = None  # "km" | "mi" | None (Garmin account setting)
    timezone: str | None = None  # IANA name, to convert UTC sources (Strava, GPX) to local
    athlete: str | None = None
    dayfirst: bool | None = None


@dataclass
class Sniff:
    """What detection sees of a file: its path, first bytes and, for text, the header row."""

    path: Path
    head: bytes
    text: str | None = None  # decoded head (text files only)
    delimiter: str | None = None
    header: list[str] | None = None  # first non-empty row, stripped of BOM, quotes and tags

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


@dataclass
class FileResult:
    """One file's (or sheet's) contribution to a :class:`~analysis.TrainingLog`."""

    path: str
    format: str
    sets: pd.DataFrame | None = None
    runs: pd.DataFrame | None = None
    bodyweight: pd.DataFrame | None = None
    problems: list[pd.DataFrame] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    rows_read: int = 0  # data rows the reader looked at (for the accounting check)
    sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    """A registered file format."""

    name: str  # machine name, e.g. "strong_classic"
    label: str  # what `liftpace check` prints, e.g. "Strong (classic CSV export)"
    detect: Callable[[Sniff], bool]
    read: Callable[[Path, Sniff, Options], FileResult]
    priority: int = 50  # lower runs first; the generic table reader is last


_REGISTRY: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader to the registry (idempotent by name)."""
    global _REGISTRY
    _REGISTRY = [r for r in _REGISTRY if r.name != reader.name] + [reader]
    _REGISTRY.sort(key=lambda r: r.priority)
    return reader


def readers() -> list[Reader]:
    """The registered readers, in detection order."""
    return list(_REGISTRY)


def problem_frame(
    *,
    source_file: str,
    source_sheet: str | None,
    source_row: pd.Series | list | int | None,
    column: str | None,
    value: pd.Series | list | str | None,
    problem: pd.Series | str,
    action: str,
) -> pd.DataFrame:
    """Build problems rows (vectorised: pass Series for rows/values/problems)."""
    if action not in C.ACTIONS:
        raise ValueError(f"action must be one of {C.ACTIONS}, got {action!r} instead")
    if isinstance(source_row, pd.Series):
        n = len(source_row)
        rows = source_row.to_numpy()
    elif isinstance(source_row, list):
        n = len(source_row)
        rows = source_row
    else:
        n = 1
        rows = [source_row]
    def _col(v: object) -> object:
        if isinstance(v, pd.Series):
            return v.to_numpy()
        return [v] * n
    frame = pd.DataFrame(
        {
            C.SOURCE_FILE: [source_file] * n,
            C.SOURCE_SHEET: [source_sheet] * n,
            C.SOURCE_ROW: rows,
            "column": [column] * n,
            "value": _col(value),
            "problem": _col(problem),
            "action": [action] * n,
        }
    )
    frame["value"] = frame["value"].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)[:200])
    return C.conform(frame, C.PROBLEMS)


_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")


def decode(data: bytes, *, path: Path) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LogFormatError(
            f"{path.name}: contains NUL bytes, so it is not a text (CSV) file; "
            "liftpace reads CSV, xlsx, GPX, TCX and FIT files.",
            path=str(path),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab, from the first lines (quoted fields respected)."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=lambda d: counts[d])


def header_fields(text: str, delimiter: str) -> list[str]:
    """The first non-empty CSV row, fields stripped of whitespace, quotes and HTML tags."""
    import re

    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        fields = [re.sub(r"<[^>]+>", "", f).strip().strip('"').strip() for f in row]
        if any(fields):
            return fields
    return []

"""What every reader returns, the reader registry, detection, and the problems collector.

A *reader* handles one file format. It is registered with :func:`register` and found by
:func:`read_file`, which looks at the file's content (first bytes and, for text files, the header
fields), never at its name alone. Each reader returns a :class:`FileResult` with *pre-sets*
(``exercise_raw`` not yet resolved, ``side`` possibly NA, an optional ``notes`` column used to
find a side), runs, bodyweight, problems and counts of skipped non-data rows.
:mod:`analysis.loaders.finalize` turns pre-sets into canonical sets the same way for every
format.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.guards import (
    MAX_CANONICAL_LINES,
    MAX_CSV_FIELD,
    MAX_FILE_BYTES,
    MAX_TEXT_LINES,
    binary_kind,
    check_text_lines,
)

#: The ``athlete`` option of a file read with ``read_logs(unnamed="unassigned")``: readers use it
#: like any name; a sheet named after an athlete wins over it (``tables._athlete_for``).
NOBODY = "liftpace:unassigned:7f3a9c"


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
    frame["value"] = map_distinct(frame["value"], lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                                  else _shown(str(v), 200))
    if map_distinct(frame["problem"], lambda t: isinstance(t, str) and (len(t) > 500 or _UNPRINTABLE.search(t) is not None)).any():
        frame["problem"] = map_distinct(frame["problem"], lambda t: _shown(t, 500) if isinstance(t, str) else t)
    return C.conform(frame, C.PROBLEMS)


def map_distinct(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``values.map(func)`` with ``func`` called once per distinct value, then broadcast back by code.

    Loader columns repeat a few dozen names, numbers and problem texts over a million rows, so this
    is the one way a loader runs Python per value: never per row. Missing values (None, NaN, NA) are
    passed to ``func`` as they are, each kind once; unhashable values fall back to ``Series.map``.

    Examples
    --------
    >>> map_distinct(pd.Series(["a", "b", "a", None], dtype=object), lambda v: v is None).tolist()
    [False, False, False, True]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # a coded column: once per category
        cats = values.cat.categories.to_numpy(dtype=object)
        codes = values.cat.codes.to_numpy()
        out_c = [func(v) for v in cats]
        if (codes < 0).any():
            out_c.append(func(np.nan))
            codes = np.where(codes < 0, len(cats), codes)
        result = pd.Series(out_c, dtype=object).map(lambda v: v)
        return pd.Series(result.array.take(codes), index=values.index, name=values.name)
    if len(values) < 64:
        return values.map(func)
    arr = values.to_numpy(dtype=object)
    na = pd.isna(arr)
    any_na = bool(na.any())
    try:
        codes, uniq = pd.factorize(arr[~na] if any_na else arr)
    except TypeError:  # unhashable cells (lists): no shortcut
        return values.map(func)
    if len(uniq) > 0.6 * len(values):
        return values.map(func)
    out = [func(v) for v in uniq]
    if any_na:  # each kind of missing value (None, nan, NA, NaT) once, as it is
        na_vals = arr[na]
        kind_codes, _ = pd.factorize(np.frompyfunc(type, 1, 1)(na_vals))
        firsts = np.unique(kind_codes, return_index=True)[1]
        full = np.empty(len(arr), dtype=np.intp)
        full[~na] = codes
        full[na] = kind_codes + len(out)
        out += [func(na_vals[i]) for i in firsts]
        codes = full
    result = pd.Series(out, dtype=object).map(lambda v: v)  # the dtype Series.map would infer
    return pd.Series(result.array.take(codes), index=values.index, name=values.name)


class Problems:
    """The problems of one file (or sheet): the one way a reader reports a value it did not take.

    Each call appends :func:`problem_frame` rows to ``result.problems``. :meth:`add` takes row
    numbers (a Series, a list, one int, or None for the whole file); :meth:`add_where` takes a
    boolean mask over :attr:`rows`, the source row numbers of the reader's frame.
    """

    def __init__(self, result: FileResult, source_file: str, source_sheet: str | None = None,
                 rows: pd.Series | None = None) -> None:
        self.result = result
        self.source_file = source_file
        self.source_sheet = source_sheet
        self.rows = rows

    def add(self, rows: pd.Series | list | int | None, column: str | None,
            value: pd.Series | list | str | None, problem: pd.Series | str, action: str) -> None:
        """Problem rows for ``rows`` (nothing for an empty Series)."""
        if isinstance(rows, pd.Series) and rows.empty:
            return
        self.result.problems.append(
            problem_frame(source_file=self.source_file, source_sheet=self.source_sheet, source_row=rows,
                          column=column, value=value, problem=problem, action=action)
        )

    def add_where(self, mask: pd.Series, column: str | None, value: pd.Series | None,
                  problem: pd.Series | str, action: str) -> None:
        """Problem rows for the rows where ``mask`` is True; ``value`` and a Series ``problem`` are masked too."""
        if not mask.any():
            return
        if self.rows is None:
            raise ValueError("add_where() needs the source rows the mask is over (Problems(rows=...))")
        self.add(self.rows[mask], column, None if value is None else value[mask],
                 problem[mask] if isinstance(problem, pd.Series) else problem, action)


def problems_by_file(rows: pd.DataFrame, problems: list[pd.DataFrame], *, column: str | None,
                     value: pd.Series | None, problem: pd.Series | str, action: str) -> None:
    """Problem rows for every row of ``rows``, which may come from many files: the checks across files.

    ``rows`` has the three source columns; ``value`` and a Series ``problem`` are aligned with
    it. One frame per file and sheet is appended to ``problems``, in order of appearance.
    """
    picked = rows[[C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]].assign(_value=value, _problem=problem)
    for (f, sh), grp in picked.groupby([C.SOURCE_FILE, C.SOURCE_SHEET], dropna=False, sort=False):
        problems.append(problem_frame(source_file=f, source_sheet=None if pd.isna(sh) else sh,
                                      source_row=grp[C.SOURCE_ROW].astype("Int64"), column=column,
                                      value=grp["_value"].astype(object), problem=grp["_problem"].astype(object),
                                      action=action))


#: Characters shown escaped (``\x1b``) wherever text from a file is shown: controls act on
#: terminals (clear the screen, retitle the window, return to the start of the line), bidi
#: overrides and line separators reorder or split text on screen.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def escape_controls(text: str) -> str:
    r"""Text safe to show on a terminal: control, bidi-override and line-separator characters
    written as escapes (``\x1b``, ``\u202e``), everything else as it is.

    The one helper for showing text from files (names, sheet names, values, messages) to people.

    Examples
    --------
    >>> escape_controls("Ana\x1b[2J\r\u202eroF")
    'Ana\\x1b[2J\\x0d\\u202eroF'
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                            text)


def _shown(text: str, limit: int) -> str:
    """Text as a problem shows it: controls escaped, cut to ``limit`` characters (with an ellipsis)."""
    text = escape_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Problem texts of the plausibility checks every strength reader runs (limits: :data:`analysis.columns.BOUNDS`).
TOO_HEAVY = f"implausible weight (over {C.BOUNDS[C.LOAD_KG][1]:g} kg)"
RPE_OUTSIDE = "RPE outside {:g}-{:g}; left empty".format(*C.BOUNDS[C.RPE])

# Python's csv module stops at 131,072 characters per field by default, so one pasted cell would
# refuse a whole file; the limit (guards.MAX_CSV_FIELD) is set once, here, when the loaders are
# imported (a process-wide setting: set it the same way every time, never per file).
csv.field_size_limit(MAX_CSV_FIELD)


def decode(data: bytes, *, path: Path) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LogFormatError(
            f"{path.name}: contains NUL bytes, so it is not a text (CSV) file; "
            "liftpace reads CSV, xlsx, GPX, TCX and FIT files.",
            path=str(path),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"  # a cut-off last character: U+FFFD
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab, from the first lines (quoted fields respected)."""
    sample = "\n".join(text[:65536].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=lambda d: counts[d])


def header_fields(text: str, delimiter: str) -> list[str]:
    """The first non-empty CSV row, fields stripped of whitespace, quotes and HTML tags."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            fields = [re.sub(r"<[^>]+>", "", f).strip().strip('"').strip() for f in row]
            if any(fields):
                return fields
    except csv.Error:  # a stray line end or an over-long field: no header to show
        return []
    return []


# --- detection: which reader reads a file ------------------------------------------------------

#: The message of a file a reader failed on (a bug in liftpace, not in the file).
INTERNAL_ERROR = ("could not be read: liftpace hit an unexpected error ({error}). This is a bug in "
                  "liftpace; please report it together with the file")


def sniff(path: Path) -> Sniff:
    """What detection sees of ``path``: its first 64 KB and, for a text file, its delimiter and header."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    found = Sniff(path=path, head=head)
    # text is decoded by content: a CSV saved as .xlsx still reads; a binary file named .csv
    # (zip, OLE2, image, PDF, gzip, FIT) is left to the readers that recognise its bytes
    suffix = path.suffix.lower()
    if binary_kind(head) is None and suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"):
        try:
            text, _ = decode(head, path=path) if head else ("", "utf-8")
        except LogFormatError:
            if suffix in (".csv", ".txt", ".tsv"):
                raise
            return found
        found.text = text
        if text.strip():
            found.delimiter = sniff_delimiter(text)
            found.header = header_fields(text, found.delimiter)
    return found


class _ShownPath(type(Path())):  # type: ignore[misc]
    """A path whose ``name`` is valid text: a file name that is not UTF-8 on disk (bytes that
    Python keeps as surrogates) is shown with U+FFFD, while the file is still opened by its
    real name. Text columns may be Arrow strings, which hold no surrogates."""

    @property
    def name(self) -> str:
        return super().name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown_name(path: Path) -> Path:
    r"""``path`` itself, or a :class:`_ShownPath` when its name holds undecodable bytes.

    Examples
    --------
    >>> import os
    >>> shown_name(Path(os.fsdecode(b"/tmp/caf\xe9.csv"))).name == "caf\ufffd.csv"
    True
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return _ShownPath(path)
    return path


def read_file(path: Path, options: Options) -> FileResult:
    """Read one file with the first registered reader that detects its format.

    Any error is a :class:`LogFormatError` naming the file: a missing, empty, oversized or
    unknown file says so, and a reader bug does not become a traceback for the user (the message
    says it is a bug; the original exception stays chained for developers).
    """
    path = shown_name(path)
    try:
        return _read_detected(path, options)
    except LogFormatError:
        raise
    except OSError as exc:  # unreadable (permissions, a disconnected drive): not a bug, say why
        raise LogFormatError(f"{path.name}: could not be opened ({exc.strerror or exc}).", path=str(path)) from None
    except MemoryError:
        raise LogFormatError(f"{path.name}: too big to read in the memory available; split it into smaller files.",
                             path=str(path)) from None
    except Exception as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        raise LogFormatError(f"{path.name}: " + INTERNAL_ERROR.format(error=error), path=str(path)) from exc


def _read_detected(path: Path, options: Options) -> FileResult:
    if not path.exists():
        raise LogFormatError(f"{path}: no such file.", path=str(path))
    if path.is_dir():
        raise LogFormatError(f"{path}: is a folder; pass the files inside it.", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise LogFormatError(f"{path.name}: the file is empty (0 bytes).", path=str(path))
    if size > MAX_FILE_BYTES:
        raise LogFormatError(f"{path.name}: {size / 1e6:.0f} MB is over liftpace's limit of {MAX_FILE_BYTES / 1e6:.0f} MB per file.", path=str(path))
    sniffed = sniff(path)
    if sniffed.text is not None and not sniffed.text.strip():
        raise LogFormatError(f"{path.name}: the file is empty (only blank lines).", path=str(path))
    for reader in readers():
        if reader.detect(sniffed):
            if sniffed.text is not None and binary_kind(sniffed.head) is None:  # a text file: bound its lines
                check_text_lines(path, MAX_CANONICAL_LINES if reader.name == "canonical" else MAX_TEXT_LINES)
            result = reader.read(path, sniffed, options)
            if result.format in ("table", ""):
                result.format = reader.label
            return result
    known = ", ".join(sorted({".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".gpx", ".tcx", ".fit"}))
    raise LogFormatError(
        f"{path.name}: unknown file type '{path.suffix or '(none)'}'; liftpace reads {known} files. "
        f"Formats: {', '.join(r.label for r in readers())}.",
        path=str(path),
    )

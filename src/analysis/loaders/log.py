"""Loaders: the only code that reads files.

:func:`read_logs` detects each file's format from its content, reads it with the matching
reader, and returns one :class:`TrainingLog` with canonical ``sets``, ``runs``,
``bodyweight`` and ``problems`` tables.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import canonical as _canonical  # noqa: F401  (liftpace's own CSVs)
from analysis.loaders import tables as _tables  # noqa: F401  (coach logs, CSV and workbooks)

# isort: split
# app-export readers
from analysis.loaders import fit as _fit  # noqa: F401
from analysis.loaders import fitnotes as _fitnotes  # noqa: F401
from analysis.loaders import garmin as _garmin  # noqa: F401
from analysis.loaders import gpsfiles as _gpsfiles  # noqa: F401
from analysis.loaders import hevy as _hevy  # noqa: F401
from analysis.loaders import strava as _strava  # noqa: F401
from analysis.loaders import strong as _strong  # noqa: F401
from analysis.loaders.base import (
    FileResult,
    Options,
    Sniff,
    binary_kind,
    decode,
    header_fields,
    problem_frame,
    readers,
    sniff_delimiter,
)
from analysis.loaders.finalize import finalize_sets
from analysis.loaders.table_sets import SOURCE_SET

__all__ = ["TrainingLog", "read_logs"]

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class TrainingLog:
    """Everything loaded from a set of files.

    Attributes
    ----------
    sets, runs, bodyweight, problems : DataFrame
        The canonical tables (columns in :mod:`analysis.columns`).
    files : list of dict
        Per file: ``path``, ``format``, ``sets``, ``runs``, ``bodyweight``, ``problems``,
        ``skipped`` ({reason: rows}), ``rows_read``, ``error`` (None or the message).
    """

    sets: pd.DataFrame
    runs: pd.DataFrame
    bodyweight: pd.DataFrame
    problems: pd.DataFrame
    files: list[dict] = field(default_factory=list)

    @property
    def athletes(self) -> list[str]:
        """Athletes with any sets, runs or bodyweight, sorted."""
        names = pd.concat([self.sets[C.ATHLETE], self.runs[C.ATHLETE], self.bodyweight[C.ATHLETE]])
        return sorted(names.dropna().unique().tolist())

    def for_athlete(self, athlete: str) -> TrainingLog:
        """The same log restricted to one athlete (problems are kept whole)."""
        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame[C.ATHLETE] == athlete].reset_index(drop=True)
        return TrainingLog(pick(self.sets), pick(self.runs), pick(self.bodyweight), self.problems, self.files)

    def __repr__(self) -> str:
        return (f"TrainingLog({len(self.sets)} sets, {len(self.runs)} runs, "
                f"{len(self.athletes)} athletes, {len(self.problems)} problems)")


def _sniff(path: Path) -> Sniff:
    with path.open("rb") as fh:
        head = fh.read(65536)
    sniff = Sniff(path=path, head=head)
    # text is decoded by content: a CSV saved as .xlsx still reads; a binary file named .csv
    # (zip, OLE2, image, PDF, gzip, FIT) is left to the readers that recognise its bytes
    suffix = path.suffix.lower()
    if binary_kind(head) is None and suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"):
        try:
            text, _ = decode(head, path=path) if head else ("", "utf-8")
        except LogFormatError:
            if suffix in (".csv", ".txt", ".tsv"):
                raise
            return sniff
        sniff.text = text
        if text.strip():
            sniff.delimiter = sniff_delimiter(text)
            sniff.header = header_fields(text, sniff.delimiter)
    return sniff


def _read_one(path: Path, options: Options) -> FileResult:
    if not path.exists():
        raise LogFormatError(f"{path}: no such file.", path=str(path))
    if path.is_dir():
        raise LogFormatError(f"{path}: is a folder; pass the files inside it.", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise LogFormatError(f"{path.name}: the file is empty (0 bytes).", path=str(path))
    if size > MAX_FILE_BYTES:
        raise LogFormatError(f"{path.name}: {size / 1e6:.0f} MB is over liftpace's limit of {MAX_FILE_BYTES / 1e6:.0f} MB per file.", path=str(path))
    sniff = _sniff(path)
    if sniff.text is not None and not sniff.text.strip():
        raise LogFormatError(f"{path.name}: the file is empty (only blank lines).", path=str(path))
    for reader in readers():
        if reader.detect(sniff):
            result = reader.read(path, sniff, options)
            if result.format in ("table", ""):
                result.format = reader.label
            return result
    known = ", ".join(sorted({".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".gpx", ".tcx", ".fit"}))
    raise LogFormatError(
        f"{path.name}: unknown file type '{path.suffix or '(none)'}'; liftpace reads {known} files. "
        f"Formats: {', '.join(r.label for r in readers())}.",
        path=str(path),
    )


#: Problem texts of the checks :func:`read_logs` runs on every format's rows.
REPEATED_FILE = "the same file as '{first}' was given twice ({how}); read once"
REPEATED_ROW = ("repeats row {row} (same athlete, date, exercise, side, set number and values); "
                "counted once")
FUTURE_DATE = "date is in the future (after tomorrow); kept: check the year"
EARLY_DATE = "date is before 1970; kept: check the year"
CONTROL_CHARS = "control characters (tabs, line breaks, terminal codes) removed from the name"
LONG_NAME = "name longer than {n} characters; cut to {n}"
#: Longest athlete or exercise name kept whole.
MAX_NAME_CHARS = 200
INTERNAL_ERROR = ("could not be read: liftpace hit an unexpected error ({error}). This is a bug in "
                  "liftpace; please report it together with the file")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LABELS = {C.ATHLETE: "Athlete", C.EXERCISE_RAW: "Exercise", C.DATE: "Date"}


def _read_guarded(path: Path, options: Options) -> FileResult:
    """:func:`_read_one`, with any other exception turned into a :class:`LogFormatError` naming the file.

    A reader bug must not become a traceback for the user; the message says it is a bug, and the
    original exception stays chained for developers.
    """
    try:
        return _read_one(path, options)
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


def _repeated_files(paths: list[Path]) -> dict[int, tuple[str, str]]:
    """Positions of paths that repeat an earlier one: ``{i: (first file's name, "same path" | "same content")}``.

    Content is compared by SHA-256, only between files of equal size.
    """
    out: dict[int, tuple[str, str]] = {}
    seen: dict[Path, Path] = {}
    sizes: dict[int, list[int]] = {}
    for i, path in enumerate(paths):
        if not path.is_file():
            continue
        key = path.resolve()
        if key in seen:
            out[i] = (seen[key].name, "same path")
            continue
        seen[key] = path
        sizes.setdefault(path.stat().st_size, []).append(i)
    for group in sizes.values():
        if len(group) < 2:
            continue
        digests: dict[str, Path] = {}
        for i in group:
            digest = hashlib.sha256()
            try:
                with paths[i].open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
            except OSError:  # unreadable: reading it will say so
                continue
            first = digests.setdefault(digest.hexdigest(), paths[i])
            if first is not paths[i]:
                out[i] = (first.name, "same content")
    return out


def _by_file(frame: pd.DataFrame, mask: pd.Series, problems: list, *, column: str, value, problem, action: str) -> None:
    """Append problem rows for ``frame[mask]``, one per source row, grouped by file and sheet."""
    picked = frame.loc[mask, [C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]].assign(_value=value, _problem=problem)
    picked = picked.drop_duplicates([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW])
    for (f, sh), grp in picked.groupby([C.SOURCE_FILE, C.SOURCE_SHEET], dropna=False, sort=False):
        problems.append(problem_frame(source_file=f, source_sheet=None if pd.isna(sh) else sh,
                                      source_row=grp[C.SOURCE_ROW].astype("Int64"), column=column,
                                      value=grp["_value"].astype(object), problem=grp["_problem"].astype(object),
                                      action=action))


def _clean_names(frame: pd.DataFrame, cols: tuple[str, ...], problems: list) -> pd.DataFrame:
    """Names without control characters and at most :data:`MAX_NAME_CHARS` long (``fixed``).

    Text is never interpreted, but a terminal acts on escape codes, a line break splits a name
    in two, and a 10,000-character "name" is a pasted cell, not a name.
    """
    for col in cols:
        if col not in frame or frame.empty:
            continue
        odd = [str(u) for u in frame[col].dropna().unique() if _CONTROL.search(str(u)) or len(str(u)) > MAX_NAME_CHARS]
        if not odd:
            continue
        names = frame[col].astype("string")
        clean = {u: (" ".join(_CONTROL.sub(" ", u).split()) or "(no name)")[:MAX_NAME_CHARS] for u in odd}
        texts = {u: CONTROL_CHARS if _CONTROL.search(u) else LONG_NAME.format(n=MAX_NAME_CHARS) for u in odd}
        mask = names.isin(odd)
        _by_file(frame, mask, problems, column=_LABELS.get(col, col), value=names[mask],
                 problem=names[mask].map(texts), action="fixed")
        frame = frame.copy()
        frame[col] = names.mask(mask, names[mask].map(clean))
    return frame


def _drop_repeated_sets(pre: pd.DataFrame, problems: list) -> pd.DataFrame:
    """Drop source rows that repeat an earlier row of the same file and sheet, set number included.

    Identical sets are normal (3 x 10 at 40 kg is three identical rows), so rows are repeats only
    when the source numbers its sets (a ``Set`` column, or ``set_index``) and the number matches
    too. A row that expands to several sets is a repeat only when all its sets are.
    """
    number = pre[C.SET_INDEX] if C.SET_INDEX in pre else pre.get(SOURCE_SET)
    if number is None:
        return pre
    number = pd.to_numeric(number, errors="coerce")
    numbered = number.notna().to_numpy()
    if not numbered.any():
        return pre
    frame = pre if numbered.all() else pre[numbered]
    # cheap first pass: a repeat shares file, sheet, athlete, date, exercise, side and set number
    narrow = [c for c in (C.SOURCE_FILE, C.SOURCE_SHEET, C.ATHLETE, C.DATE, C.EXERCISE_RAW, C.SIDE) if c in frame]
    keyed = frame[narrow].assign(_number=number[numbered].to_numpy())
    candidates = keyed.duplicated(keep=False).to_numpy()
    if not candidates.any():
        return pre
    values = [c for c in (C.REPS, C.LOAD_KG, C.DURATION_S, C.DISTANCE_M, C.RPE, C.WARMUP) if c in frame]
    cand = keyed[candidates].join(frame.loc[candidates, [*values, C.SOURCE_ROW]])
    cand["_row"] = cand.pop(C.SOURCE_ROW).astype("Int64")
    # the sets one row expands to ("3x10") are not each other's repeats
    cand["_within"] = cand.groupby([*narrow, "_number", "_row"], dropna=False, sort=False).cumcount()
    group_cols = [*narrow, "_number", *values, "_within"]
    cand["_repeat"] = cand.duplicated(subset=group_cols, keep="first")
    cand["_first"] = cand.groupby(group_cols, dropna=False, sort=False)["_row"].transform("first")
    row_key = [C.SOURCE_FILE, C.SOURCE_SHEET, "_row"]
    rep = cand[cand["_repeat"]].groupby(row_key, dropna=False, sort=False).agg(
        _k=("_repeat", "size"), _first=("_first", "min"), _firsts=("_first", "nunique"))
    if rep.empty:
        return pre
    rows_of = frame[frame[C.SOURCE_ROW].isin(rep.index.get_level_values("_row"))]
    n_sets = rows_of.groupby([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False, sort=False).size()
    n_sets.index = n_sets.index.set_names(row_key)
    rep = rep.join(n_sets.rename("_n"))
    rep = rep[(rep["_k"] == rep["_n"]) & (rep["_firsts"] == 1)].reset_index()
    if rep.empty:
        return pre
    drop = pre.set_index([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]).index.isin(
        pd.MultiIndex.from_frame(rep[[C.SOURCE_FILE, C.SOURCE_SHEET, "_row"]]))
    texts = rep["_first"].map(lambda r: REPEATED_ROW.format(row=r))
    for (f, sh), grp in rep.assign(_text=texts).groupby([C.SOURCE_FILE, C.SOURCE_SHEET], dropna=False, sort=False):
        problems.append(problem_frame(source_file=f, source_sheet=None if pd.isna(sh) else sh,
                                      source_row=grp["_row"], column=None, value=None,
                                      problem=grp["_text"], action="dropped"))
    return pre[~drop].reset_index(drop=True)


def _note_odd_dates(frame: pd.DataFrame, problems: list) -> None:
    """A ``kept`` problem per row dated after tomorrow or before 1970 (a mistyped year)."""
    if frame.empty:
        return
    dates = frame[C.DATE]
    after_tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=2)
    future = (dates >= after_tomorrow).fillna(False)
    early = (dates < pd.Timestamp("1970-01-01")).fillna(False)
    for mask, text in ((future, FUTURE_DATE), (early, EARLY_DATE)):
        if mask.any():
            _by_file(frame, mask, problems, column="Date", value=dates[mask].dt.strftime("%Y-%m-%d"),
                     problem=text, action="kept")


def read_logs(
    *paths: str | Path,
    weight_unit: Literal["kg", "lb"] | None = None,
    distance_unit: Literal["km", "mi"] | None = None,
    timezone: str | None = None,
    athlete: str | None = None,
    dayfirst: bool | None = None,
    catalog: pd.DataFrame | None = None,
    errors: Literal["raise", "report"] = "raise",
) -> TrainingLog:
    """Read training logs into one canonical :class:`TrainingLog`.

    Parameters
    ----------
    *paths : str or Path
        CSV, xlsx/xlsm/xls/ods, GPX, TCX or FIT files, in any mix (coach workbooks and app
        exports of the same athlete load together).
    weight_unit : {"kg", "lb"}, default=None
        Unit of weights where the file does not say. None: from the file (header, cell or
        per-row unit), else kg with a note in ``problems``. A unit the file states (``Weight
        (kg)``, ``weight_lbs``, a ``kgs`` cell) always wins; when it disagrees with this option
        a ``kept`` note says so.
    distance_unit : {"km", "mi"}, default=None
        Unit of run distances where the file does not say (Garmin exports follow the
        account setting). None: from the file, else km.
    timezone : str, default=None
        IANA zone (``"Europe/London"``) to convert UTC sources (Strava, GPX, TCX, FIT) to local
        dates. None: the machine's local zone.
    athlete : str, default=None
        The athlete of files and sheets that name none (app exports, run files, a single-sheet
        log without an athlete column). None: the file name's stem. An athlete column, or the
        sheet names of a workbook with a sheet per athlete, always win.
    dayfirst : bool, default=None
        Read ambiguous ``03/09/2026`` dates as day-first (True) or month-first (False).
        None: decided per file from its values, day-first when nothing decides it (noted).
    catalog : DataFrame, default=None
        An exercise catalog from :func:`analysis.catalog.load_catalog`.
    errors : {"raise", "report"}, default="raise"
        What a file that cannot be read at all does: raise :class:`LogFormatError`, or
        become a ``dropped`` problem row (the other files still load).

    Returns
    -------
    TrainingLog
        ``.sets``, ``.runs``, ``.bodyweight``, ``.problems`` and ``.files``.

    Raises
    ------
    LogFormatError
        A file is missing, empty, of an unknown type or format, or unreadable
        (``errors="raise"``).
    """
    if weight_unit not in (None, "kg", "lb"):
        raise ValueError(f"weight_unit must be 'kg', 'lb' or None, got {weight_unit!r} instead")
    if distance_unit not in (None, "km", "mi"):
        raise ValueError(f"distance_unit must be 'km', 'mi' or None, got {distance_unit!r} instead")
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r} instead")
    if not paths:
        raise ValueError("read_logs() expected at least one path, got none")
    if timezone is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone must be an IANA name like 'Europe/London', got {timezone!r} instead") from None
    options = Options(weight_unit=weight_unit, distance_unit=distance_unit, timezone=timezone,
                      athlete=athlete, dayfirst=dayfirst)
    pre_sets, runs, bws, problems = [], [], [], []
    files: list[dict[str, Any]] = []
    first_of = _repeated_files([Path(p) for p in paths]) if len(paths) > 1 else {}
    for i, p in enumerate(paths):
        path = Path(p)
        if i in first_of:  # the same file (by path or content) given again: read once
            first, how = first_of[i]
            text = REPEATED_FILE.format(first=first, how=how)
            problems.append(problem_frame(source_file=path.name, source_sheet=None, source_row=None, column=None,
                                          value=None, problem=text, action="dropped"))
            files.append({"path": str(path), "format": f"same file as {first} (read once)", "sets": 0, "runs": 0,
                          "bodyweight": 0, "problems": 1, "skipped": {}, "rows_read": 0, "error": None,
                          "duplicate_of": first})
            continue
        try:
            res = _read_guarded(path, options)
        except LogFormatError as exc:
            if errors == "raise":
                raise
            problems.append(problem_frame(source_file=path.name, source_sheet=None, source_row=None, column=None,
                                          value=None, problem=str(exc), action="dropped"))
            files.append({"path": str(path), "format": None, "sets": 0, "runs": 0, "bodyweight": 0,
                          "problems": 1, "skipped": {}, "rows_read": 0, "error": str(exc)})
            continue
        n_before = len(problems)
        problems.extend(res.problems)
        if res.sets is not None:
            pre_sets.append(res.sets)
        if res.runs is not None:
            runs.append(res.runs)
        if res.bodyweight is not None:
            bws.append(res.bodyweight)
        files.append({"path": str(path), "format": res.format,
                      "sets": 0 if res.sets is None else len(res.sets),
                      "runs": 0 if res.runs is None else len(res.runs),
                      "bodyweight": 0 if res.bodyweight is None else len(res.bodyweight),
                      "problems": sum(len(f) for f in problems[n_before:]),
                      "skipped": dict(Counter(res.skipped)), "rows_read": res.rows_read, "error": None})
    pre = pd.concat(pre_sets, ignore_index=True) if pre_sets else None
    if pre is not None:
        # name columns repeat a few dozen values over up to millions of rows: encode them once,
        # so every check below works on integer codes; conform() returns them as strings
        for col in (C.ATHLETE, C.EXERCISE_RAW, C.SIDE, C.SOURCE_FILE, C.SOURCE_SHEET, "notes"):
            if col in pre and not isinstance(pre[col].dtype, pd.CategoricalDtype):
                pre[col] = pre[col].astype("string").astype("category")
    if pre is not None:
        pre = _clean_names(pre, (C.ATHLETE, C.EXERCISE_RAW), problems)
        pre = _drop_repeated_sets(pre, problems)
    sets, more = finalize_sets(pre, catalog=catalog)
    problems.extend(more)
    runs_df = C.conform(pd.concat(runs, ignore_index=True), C.RUNS) if runs else C.empty(C.RUNS)
    bw_df = C.conform(pd.concat(bws, ignore_index=True), C.BODYWEIGHT) if bws else C.empty(C.BODYWEIGHT)
    runs_df = _clean_names(runs_df, (C.ATHLETE,), problems)
    bw_df = _clean_names(bw_df, (C.ATHLETE,), problems)
    for frame in (sets, runs_df, bw_df):
        _note_odd_dates(frame, problems)
    probs = [p for p in problems if not p.empty]
    prob_df = C.conform(pd.concat(probs, ignore_index=True), C.PROBLEMS) if probs else C.empty(C.PROBLEMS)
    # problems per file after finalize
    if not prob_df.empty:
        counts = prob_df[C.SOURCE_FILE].value_counts()
        for f in files:
            f["problems"] = int(counts.get(Path(f["path"]).name, 0))
    return TrainingLog(sets=sets, runs=runs_df, bodyweight=bw_df, problems=prob_df, files=files)

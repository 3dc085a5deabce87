"""Loaders: the only code that reads files.

:func:`read_logs` detects each file's format from its content, reads it with the matching
reader, and returns one :class:`TrainingLog` with canonical ``sets``, ``runs``,
``bodyweight`` and ``problems`` tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import canonical as _canonical  # noqa: F401  (liftpace's own CSVs)
from analysis.loaders import tables as _tables  # noqa: F401  (registers the generic reader)

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
    decode,
    header_fields,
    problem_frame,
    readers,
    sniff_delimiter,
)
from analysis.loaders.finalize import finalize_sets

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
    is_zip = head[:4] == b"PK\x03\x04"
    is_ole = head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if path.suffix.lower() in (".csv", ".txt", ".tsv") and not (is_zip or is_ole):
        text, _ = decode(head, path=path) if head else ("", "utf-8")
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
    pre_sets, runs, bws, problems, files = [], [], [], [], []
    for p in paths:
        path = Path(p)
        try:
            res = _read_one(path, options)
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
    sets, more = finalize_sets(pre, catalog=catalog)
    problems.extend(more)
    runs_df = C.conform(pd.concat(runs, ignore_index=True), C.RUNS) if runs else C.empty(C.RUNS)
    bw_df = C.conform(pd.concat(bws, ignore_index=True), C.BODYWEIGHT) if bws else C.empty(C.BODYWEIGHT)
    probs = [p for p in problems if not p.empty]
    prob_df = C.conform(pd.concat(probs, ignore_index=True), C.PROBLEMS) if probs else C.empty(C.PROBLEMS)
    # problems per file after finalize
    if not prob_df.empty:
        counts = prob_df[C.SOURCE_FILE].value_counts()
        for f in files:
            f["problems"] = int(counts.get(Path(f["path"]).name, 0))
    return TrainingLog(sets=sets, runs=runs_df, bodyweight=bw_df, problems=prob_df, files=files)

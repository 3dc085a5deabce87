"""What every run source shares: run type from a name, local time, the ``runs`` frame, and
reading one run file (gzip, one row per run, elevation gain).

Definitions shared by all run sources
-------------------------------------
run type from a name
    The first of these that the name contains as a word wins, most specific first:
    ``race`` (race, parkrun, time trial), ``interval`` (interval(s), repeats, reps, fartlek,
    ``6x800``), ``tempo`` (tempo, threshold), ``long`` (long), ``easy`` (easy, recovery).
    Names like ``Morning Run`` or ``Leeds Running`` give NA: the source does not say.
local time
    UTC sources (Strava CSV, GPX, TCX, FIT) are converted with the IANA zone ``timezone``.
    Without one, the machine's zone is used (``TZ``, else ``/etc/localtime``, else the current
    UTC offset as a fixed offset) and a ``kept`` problem row names it.
pace
    ``pace_s_per_km = duration_s / distance_km``.
run files
    GPX, TCX and FIT files (:mod:`analysis.loaders.gpsfiles`, :mod:`analysis.loaders.fit`)
    may be gzipped (``.gpx.gz``, ``.tcx.gz``, ``.fit.gz``): a gzip file is detected and read
    through its decompressed bytes (streamed, stopping at :data:`MAX_DECOMPRESSED_BYTES`, the
    limit ``guards.MAX_RUN_FILE_BYTES`` that a plain file obeys too). The machine's
    zone is named once per file in ``problems``. ``source_row`` is the run's number within
    the file (1 for a one-run file).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.base import FileResult, Options, Problems
from analysis.loaders.guards import MAX_RUN_FILE_BYTES

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "RunCollector",
    "content_head",
    "elevation_gain_m",
    "file_error",
    "note_zone",
    "read_payload",
    "resolve_zone",
    "runs_frame",
    "runs_only",
    "utc_to_local",
]

#: Largest run file (GPX, TCX, FIT), plain or unpacked from ``.gz``, in bytes.
MAX_DECOMPRESSED_BYTES = MAX_RUN_FILE_BYTES
_LOCALTIME = Path("/etc/localtime")

_NAN = float("nan")


def resolve_zone(timezone: str | None) -> tuple[dt.tzinfo, str, bool]:
    """The zone to convert UTC times with: ``(tzinfo, name, from_machine)``.

    ``timezone`` (an IANA name) when given; else the machine's zone: the ``TZ`` variable, then
    the ``/etc/localtime`` link, then the current UTC offset as a fixed offset (summer time not
    applied; the name says so).

    Examples
    --------
    >>> resolve_zone("Europe/London")[1:]
    ('Europe/London', False)
    """
    if timezone:
        return ZoneInfo(timezone), timezone, False
    env = os.environ.get("TZ", "").lstrip(":")
    candidates = [env] if env else []
    try:
        target = str(_LOCALTIME.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:  # no such link (Windows, containers)
        pass
    for name in candidates:
        try:
            return ZoneInfo(name), name, True
        except (ZoneInfoNotFoundError, ValueError):
            continue
    fixed = dt.datetime.now().astimezone().tzinfo or dt.UTC
    offset = dt.datetime.now(fixed).strftime("%z")
    return fixed, f"fixed offset UTC{offset[:3]}:{offset[3:]} (summer time not applied)", True


def utc_to_local(values: pd.Series, zone: dt.tzinfo) -> pd.Series:
    """UTC datetimes (naive = UTC, or aware) as naive local datetimes (``datetime64[us]``).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2025-07-01 06:00", "2025-01-01 06:00"]))
    >>> utc_to_local(s, ZoneInfo("Europe/London")).dt.strftime("%H:%M").tolist()
    ['07:00', '06:00']
    """
    stamps = pd.to_datetime(values, utc=True)
    return stamps.dt.tz_convert(zone).dt.tz_localize(None).astype("datetime64[us]")


def note_zone(problems: Problems, *, source_row: int | None, column: str, zone_name: str) -> None:
    """The one ``kept`` problem row that says which zone UTC times were converted with."""
    text = (
        f"times in the file are UTC; converted to local time in {zone_name}, the machine's zone. "
        "Pass timezone='Europe/London' (--timezone Europe/London) to choose the zone"
    )
    problems.add(source_row, column, zone_name, text, "kept")


def runs_only(result: FileResult, blank: pd.Series, kind: pd.Series, is_run_type: pd.Series) -> pd.Series:
    """Which rows of an activities export (Garmin, Strava) are runs; the rest counted as skipped.

    ``blank`` marks the rows whose every cell is empty
    (:meth:`~analysis.loaders.activity_cells.ActivityCells.blank_rows`), ``kind`` is each row's
    activity type and ``is_run_type`` whether that type is a run. Blank rows count as ``blank``,
    other types as ``not a run: <type>`` in ``result.skipped``.
    """
    is_run = is_run_type & ~blank
    result.skipped["blank"] += int(blank.sum())
    for name, n in kind[~is_run & ~blank].replace("", "(no type)").value_counts(sort=False).items():
        result.skipped[f"not a run: {name}"] += int(n)
    return is_run.copy()


def _values(x: object) -> np.ndarray:
    return (x if isinstance(x, pd.Series) else pd.Series(x)).to_numpy()


def runs_frame(
    *,
    athlete: str,
    date: object,
    distance_km: object,
    duration_s: object,
    run_type: object,
    avg_hr_bpm: object,
    elevation_gain_m: object,
    source_file: str,
    source_row: object,
) -> pd.DataFrame:
    """A canonical ``runs`` frame from equal-length columns (Series, arrays or lists).

    ``pace_s_per_km`` is worked out as ``duration_s / distance_km``.

    Examples
    --------
    >>> runs_frame(athlete="Sam", date=[pd.Timestamp("2026-04-01 07:00")], distance_km=[5.0], duration_s=[1500.0],
    ...            run_type=[None], avg_hr_bpm=[150], elevation_gain_m=[None], source_file="a.gpx",
    ...            source_row=[1])[["distance_km", "pace_s_per_km"]]
       distance_km  pace_s_per_km
    0          5.0          300.0
    """
    km = C.float_values(distance_km, name=C.DISTANCE_KM, func="runs_frame")
    secs = C.float_values(duration_s, name=C.DURATION_S, func="runs_frame")
    frame = pd.DataFrame(
        {
            C.ATHLETE: athlete,
            C.DATE: pd.to_datetime(_values(date)),
            C.DISTANCE_KM: km,
            C.DURATION_S: secs,
            C.PACE_S_PER_KM: secs / km,
            C.RUN_TYPE: pd.array(_values(run_type), dtype="string"),
            C.AVG_HR_BPM: C.float_values(avg_hr_bpm, name=C.AVG_HR_BPM, func="runs_frame"),
            C.ELEVATION_GAIN_M: C.float_values(elevation_gain_m, name=C.ELEVATION_GAIN_M, func="runs_frame"),
            C.SOURCE_FILE: source_file,
            C.SOURCE_SHEET: None,
            C.SOURCE_ROW: pd.array(_values(source_row), dtype="Int64"),
        }
    )
    return C.conform(frame, C.RUNS)


# --- run files: bytes and gzip --------------------------------------------------------------


def content_head(head: bytes) -> bytes:
    """The first bytes of the content: gunzipped when the file is gzip."""
    if head[:2] != b"\x1f\x8b":
        return head
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 8192)
    except zlib.error:
        return b""


def file_error(path: Path, text: str) -> LogFormatError:
    """The error that refuses a run file: its name, then ``text``."""
    return LogFormatError(f"{path.name}: {text}", path=str(path))


def read_payload(path: Path) -> bytes:
    """The file's bytes, decompressed when it is gzip; at most MAX_DECOMPRESSED_BYTES either way.

    The gzip stream is unpacked in bounded steps and stops one byte past the limit, so a small
    file that unpacks to gigabytes costs no more than the limit.
    """
    data = path.read_bytes()
    limit = MAX_DECOMPRESSED_BYTES
    if data[:2] != b"\x1f\x8b":
        if len(data) > limit:
            raise file_error(path, f"refused: {len(data) / 2**20:.0f} MB, more than liftpace's limit of "
                                   f"{limit // 2**20} MB for one run file; expected a single activity (a few MB).")
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise file_error(path, f"a damaged gzip file ({exc}); download the archive again.") from None
    if len(out) > limit:
        text = f"decompresses to more than {limit // 2**20} MB, liftpace's limit for one run file"
        raise file_error(path, text + "; expected a single activity (a few MB at most).")
    return out


# --- run files: elevation gain, one row per run ---------------------------------------------


def elevation_gain_m(elevations: object) -> float:
    """Total ascent in m after 3-point smoothing (0.3, 0.4, 0.3), as gpxpy does; NaN if < 2 values.

    Examples
    --------
    >>> elevation_gain_m([10.0, 10.0, 20.0, 20.0])
    10.0
    >>> round(elevation_gain_m([10.0, 12.0, 10.0, 12.0, 10.0]), 2)  # 4 m of GPS noise -> 1.2 m
    1.2
    """
    e = np.asarray(elevations, dtype=float)
    e = e[~np.isnan(e)]
    if len(e) < 2:
        return _NAN
    smooth = e.copy()
    smooth[1:-1] = 0.3 * e[:-2] + 0.4 * e[1:-1] + 0.3 * e[2:]
    d = np.diff(smooth)
    return float(d[d > 0].sum())


class RunCollector:
    """Collects one file's runs (one :meth:`add` per activity) and builds the FileResult."""

    COLUMNS = ("row", "start", "km", "secs", "hr", "gain", "name")

    def __init__(self, path: Path, fmt: str, options: Options, time_column: str) -> None:
        self.path, self.options, self.time_column = path, options, time_column
        self.result = FileResult(path=str(path), format=fmt)
        self.problems = Problems(self.result, path.name)
        self.runs: list[tuple] = []

    def add(
        self, row: int, start: object, km: float, secs: float, hr: float, gain: float, name: object
    ) -> None:
        """Keep one run (start in UTC) or drop it with a problem."""
        self.result.rows_read += 1
        if start is None or pd.isna(start):
            why = (self.time_column, "no time stamps: a route or course, not a recorded run")
        elif not km > 0:
            why = ("distance", "zero distance: no GPS points and no distance recorded")
        elif not secs > 0:
            why = ("time", "no duration: the time stamps do not advance")
        else:
            self.runs.append((row, start, km, secs, hr, gain, name))
            return
        self.problems.add(row, why[0], None, why[1], "dropped")

    def skip(self, sport: object) -> None:
        self.result.rows_read += 1
        self.result.skipped[f"not a run: {sport}"] += 1

    def finish(self, watch_offset: dt.timedelta | None = None) -> FileResult:
        if not self.runs:
            return self.result
        frame = pd.DataFrame(self.runs, columns=list(self.COLUMNS))
        starts = pd.to_datetime(frame["start"], utc=True)
        if watch_offset is not None and not self.options.timezone:
            local = starts.dt.tz_localize(None) + watch_offset  # the watch's own zone (FIT)
        else:
            zone, zone_name, from_machine = resolve_zone(self.options.timezone)
            local = utc_to_local(starts, zone)
            if from_machine:
                note_zone(
                    self.problems,
                    source_row=int(frame["row"].iloc[0]),
                    column=self.time_column,
                    zone_name=zone_name,
                )
        self.result.runs = runs_frame(
            athlete=(self.options.athlete or _stem(self.path)).strip(),
            date=local,
            distance_km=frame["km"],
            duration_s=frame["secs"],
            run_type=C.run_type_of(frame["name"]),
            avg_hr_bpm=frame["hr"],
            elevation_gain_m=frame["gain"],
            source_file=self.path.name,
            source_row=frame["row"],
        )
        return self.result


def _stem(path: Path) -> str:
    name = path.name
    for ext in (".gz", ".gpx", ".tcx", ".fit"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return name

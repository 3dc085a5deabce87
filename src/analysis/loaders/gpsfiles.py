"""Run files from watches and apps: GPX, TCX and FIT, plain or gzipped (Strava archives).

Each file is one run (a TCX may hold several activities and a FIT several sessions: one run
each). Detection is by content: GPX ``<gpx`` root, TCX ``<TrainingCenterDatabase`` root, FIT
``.FIT`` at bytes 8-11. A gzip file (``.gpx.gz``, ``.tcx.gz``, ``.fit.gz``) is detected and read
through its decompressed bytes, at most :data:`MAX_DECOMPRESSED_BYTES`.

What each run gets
------------------
date
    Local start: GPX first point time; TCX ``Id`` (else first lap start); FIT session
    ``start_time``.
distance_km
    GPX ``length_2d()`` of the tracks (gpxpy); TCX sum of lap ``DistanceMeters``, else the last
    trackpoint's (a treadmill TCX has no positions); FIT ``total_distance``.
duration_s
    GPX moving time (gpxpy: point pairs faster than 1 km/h); TCX sum of lap
    ``TotalTimeSeconds`` (timer time; TCX has no moving time); FIT ``total_moving_time``, else
    ``total_timer_time``, else ``total_elapsed_time``.
avg_hr_bpm
    GPX mean of the ``gpxtpx:hr`` values; TCX lap averages weighted by lap time, else the mean
    of trackpoints; FIT ``avg_heart_rate``.
elevation_gain_m
    GPX gpxpy ``get_uphill_downhill()``: elevations smoothed with weights 0.3/0.4/0.3 over
    each point and its neighbours, then the rises summed; TCX the same on ``AltitudeMeters``
    (NA without altitude); FIT ``total_ascent``.
run_type
    From the GPX track ``<name>`` or TCX ``<Notes>``
    (:func:`analysis.loaders.strava.run_type_from_name`); NA for FIT (no title).

A FIT file without a ``session`` message is summarised from its ``record`` messages (first
time, last distance, elapsed time, mean heart rate, smoothed ascent) with a ``kept`` problem.
Only running is a run (GPX ``<type>`` ``running`` or a numeric Strava code, TCX
``Sport="Running"``, FIT sport ``running``); other sports are skipped and counted.

Times in these files are UTC. They become local with ``timezone``; without it, a FIT file's
``activity.local_timestamp`` (the watch's zone) is used, else the machine's zone, named once per
file in ``problems``. ``source_row`` is the run's number within the file (1 for a one-run file).

XML is parsed safely: a file that declares a DTD or entities is refused (defusedxml); real GPX
and TCX files never do, and entity expansion is a known attack.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import numpy as np
import pandas as pd

from analysis.errors import LogFormatError
from analysis.loaders.base import FileResult, Options, Reader, Sniff, problem_frame, register
from analysis.loaders.strava import (
    resolve_zone,
    run_type_from_name,
    runs_frame,
    utc_to_local,
    zone_problem,
)

__all__ = ["MAX_DECOMPRESSED_BYTES", "elevation_gain_m", "read_fit", "read_gpx", "read_tcx"]

#: Largest decompressed size of a ``.gz`` run file, in bytes.
MAX_DECOMPRESSED_BYTES = 200 * 1024 * 1024
GPX_LABEL, TCX_LABEL, FIT_LABEL = "GPX track (.gpx)", "Garmin TCX (.tcx)", "FIT activity (.fit)"
_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?"
    rb"(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*|<\?.*?\?>\s*)*"
    rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)",
    re.S,
)
_NAN = float("nan")


# --- bytes, gzip, safe XML -------------------------------------------------------------------


def _content_head(head: bytes) -> bytes:
    """The first bytes of the content: gunzipped when the file is gzip."""
    if head[:2] != b"\x1f\x8b":
        return head
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 8192)
    except zlib.error:
        return b""


def _root_tag(head: bytes) -> str | None:
    m = _ROOT.match(_content_head(head)[:8192])
    return m.group(1).decode("ascii", "replace") if m else None


def _error(path: Path, text: str) -> LogFormatError:
    return LogFormatError(f"{path.name}: {text}", path=str(path))


def _payload(path: Path) -> bytes:
    """The file's bytes, decompressed when it is gzip (at most MAX_DECOMPRESSED_BYTES)."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _error(path, f"a damaged gzip file ({exc}); download the archive again.") from None
    if len(out) > MAX_DECOMPRESSED_BYTES:
        limit = MAX_DECOMPRESSED_BYTES // 2**20
        text = f"decompresses to more than {limit} MB, liftpace's limit for one run file"
        raise _error(path, text + "; expected a single activity (a few MB at most).")
    return out


def _safe_xml(data: bytes, path: Path, kind: str) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        text = (
            f"refused: the {kind} file declares a DTD or XML entities, which real {kind} files never "
            "do (entity expansion is a known attack). Export the run again from the app."
        )
        raise _error(path, text) from None
    except ParseError as exc:
        raise _error(path, f"not a well-formed {kind} file ({exc}).") from None


# --- shared ----------------------------------------------------------------------------------


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


class _Runs:
    """Collects one file's runs (one :meth:`add` per activity) and builds the FileResult."""

    COLUMNS = ("row", "start", "km", "secs", "hr", "gain", "name")

    def __init__(self, path: Path, fmt: str, options: Options, time_column: str) -> None:
        self.path, self.options, self.time_column = path, options, time_column
        self.result = FileResult(path=str(path), format=fmt)
        self.runs: list[tuple] = []

    def problem(self, row: int | None, column: str | None, text: str, action: str) -> None:
        frame = problem_frame(
            source_file=self.path.name,
            source_sheet=None,
            source_row=row,
            column=column,
            value=None,
            problem=text,
            action=action,
        )
        self.result.problems.append(frame)

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
        self.problem(row, *why, "dropped")

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
                note = zone_problem(
                    source_file=self.path.name,
                    source_row=int(frame["row"].iloc[0]),
                    column=self.time_column,
                    zone_name=zone_name,
                )
                self.result.problems.append(note)
        self.result.runs = runs_frame(
            athlete=(self.options.athlete or _stem(self.path)).strip(),
            date=local,
            distance_km=frame["km"],
            duration_s=frame["secs"],
            run_type=run_type_from_name(frame["name"]),
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


# --- GPX -------------------------------------------------------------------------------------


def read_gpx(path: str | Path, options: Options | None = None) -> FileResult:
    """Read one GPX track (plain or gzipped) as one run.

    Parameters
    ----------
    path : str or Path
        A ``.gpx`` or ``.gpx.gz`` file (Strava, Garmin and most apps write GPX 1.1).
    options : Options, default=None
        ``timezone`` (IANA name; None: the machine's zone) and ``athlete`` (default: the file
        name without extensions).

    Returns
    -------
    FileResult
        ``runs``: one row with the canonical run columns (athlete, date local start,
        distance_km, duration_s moving time in s, pace_s_per_km, run_type from the track name,
        avg_hr_bpm, elevation_gain_m in m, source_file, source_sheet, source_row = 1).

    Raises
    ------
    LogFormatError
        Not well-formed XML, a DTD or entities in the file, or a damaged/too large gzip.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "run.gpx"
    >>> pts = "".join(f'<trkpt lat="{53.8 + i * 0.001:.3f}" lon="-1.55"><time>2025-09-30T06:0{i}:00Z</time></trkpt>'
    ...               for i in range(3))
    >>> _ = p.write_text(f'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk>'
    ...                  f'<name>Easy Run</name><trkseg>{pts}</trkseg></trk></gpx>')
    >>> read_gpx(p, Options(timezone="UTC")).runs[["distance_km", "duration_s", "run_type"]].round(3)
       distance_km  duration_s run_type
    0        0.223       120.0     easy
    """
    import gpxpy
    import gpxpy.gpx

    path = Path(path)
    data = _payload(path)
    _safe_xml(data, path, "GPX")  # refuse DTDs and entities before gpxpy sees the file
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except gpxpy.gpx.GPXException as exc:
        raise _error(path, f"not a readable GPX file ({exc}).") from None
    out = _Runs(path, GPX_LABEL, options or Options(), "trkpt time")
    types = [(t.type or "").strip().lower() for t in gpx.tracks]
    sport = next((t for t in types if t), "")
    if sport and not sport.isdigit() and "run" not in sport:
        out.skip(sport)
        return out.result
    points = [p for trk in gpx.tracks for seg in trk.segments for p in seg.points]
    if not points:
        out.result.rows_read += 1
        out.problem(
            1, "trkpt", "no track points (a route or waypoints only, not a recorded run)", "dropped"
        )
        return out.result
    times = [p.time for p in points if p.time is not None]
    moving = gpx.get_moving_data()
    secs = float(moving.moving_time) if moving and moving.moving_time else _NAN
    if np.isnan(secs) and len(times) > 1:
        secs = (max(times) - min(times)).total_seconds()
    hr_cells = [
        el.text
        for p in points
        for ext in p.extensions
        for el in ext.iter()
        if el.tag.endswith("hr")
    ]
    hrs = pd.to_numeric(pd.Series(hr_cells, dtype=object), errors="coerce").mean()
    ups = gpx.get_uphill_downhill() if any(p.elevation is not None for p in points) else None
    name = next((t.name for t in gpx.tracks if t.name), None)
    km = (gpx.length_2d() or 0.0) / 1000.0
    out.add(1, min(times) if times else None, km, secs, hrs, ups.uphill if ups else _NAN, name)
    return out.finish()


# --- TCX -------------------------------------------------------------------------------------


def _floats(elements: list[Element], path: str) -> np.ndarray:
    """One float per element from the child at ``path`` (NaN where missing)."""
    cells = [e.find(path, _NS) for e in elements]
    return np.array(
        [float(c.text) if c is not None and c.text else np.nan for c in cells], dtype=float
    )


def read_tcx(path: str | Path, options: Options | None = None) -> FileResult:
    """Read a Garmin Training Center (TCX) file: one run per running ``<Activity>``.

    Works without positions (treadmill): distance comes from ``DistanceMeters``.

    Parameters
    ----------
    path : str or Path
        A ``.tcx`` or ``.tcx.gz`` file.
    options : Options, default=None
        ``timezone`` and ``athlete`` as for :func:`read_gpx`.

    Returns
    -------
    FileResult
        ``runs`` with the canonical run columns (see :func:`read_gpx`; duration_s is the laps'
        timer time in s, run_type from ``<Notes>``); ``skipped`` counts other sports.

    Raises
    ------
    LogFormatError
        Not well-formed XML, a DTD/entities, no ``<Activity>`` at all, or a bad gzip.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "treadmill.tcx"
    >>> _ = p.write_text('<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
    ...     '<Activities><Activity Sport="Running"><Id>2025-09-30T06:05:12Z</Id><Lap StartTime="2025-09-30T06:05:12Z">'
    ...     '<TotalTimeSeconds>1500</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters></Lap></Activity>'
    ...     '</Activities></TrainingCenterDatabase>')
    >>> read_tcx(p, Options(timezone="UTC")).runs[["distance_km", "pace_s_per_km"]]
       distance_km  pace_s_per_km
    0          5.0          300.0
    """
    path = Path(path)
    root = _safe_xml(_payload(path), path, "TCX")
    activities = root.findall("t:Activities/t:Activity", _NS)
    if not activities:
        raise _error(
            path,
            "a TCX file with no <Activity> (a course or workout plan?); expected a recorded activity.",
        )
    out = _Runs(path, TCX_LABEL, options or Options(), "Id")
    for i, act in enumerate(activities, start=1):
        if act.get("Sport", "").lower() != "running":
            out.skip(act.get("Sport") or "(no sport)")
            continue
        laps = act.findall("t:Lap", _NS)
        lap_s, lap_m = _floats(laps, "t:TotalTimeSeconds"), _floats(laps, "t:DistanceMeters")
        lap_hr = _floats(laps, "t:AverageHeartRateBpm/t:Value")
        tps = act.findall("t:Lap/t:Track/t:Trackpoint", _NS)
        stamps = pd.Series([tp.findtext("t:Time", None, _NS) for tp in tps], dtype=object)
        tp_time = pd.to_datetime(stamps, utc=True, errors="coerce")
        tp_m, tp_hr = _floats(tps, "t:DistanceMeters"), _floats(tps, "t:HeartRateBpm/t:Value")
        first_lap = laps[0].get("StartTime") if laps else None
        start = pd.to_datetime(
            act.findtext("t:Id", None, _NS) or first_lap, utc=True, errors="coerce"
        )
        if pd.isna(start) and tp_time.notna().any():
            start = tp_time.min()
        metres = np.nansum(lap_m)
        if not metres > 0 and np.isfinite(tp_m).any():
            metres = np.nanmax(tp_m)
        secs = np.nansum(lap_s)
        if not secs > 0 and tp_time.notna().sum() > 1:
            secs = (tp_time.max() - tp_time.min()).total_seconds()
        timed = np.isfinite(lap_hr) & (np.nan_to_num(lap_s) > 0)
        if timed.any():
            hr = np.average(lap_hr[timed], weights=lap_s[timed])
        else:
            hr = np.nanmean(tp_hr) if np.isfinite(tp_hr).any() else _NAN
        gain = elevation_gain_m(_floats(tps, "t:AltitudeMeters"))
        out.add(
            i,
            None if pd.isna(start) else start,
            metres / 1000.0,
            secs,
            hr,
            gain,
            act.findtext("t:Notes", None, _NS),
        )
    return out.finish()


# --- FIT -------------------------------------------------------------------------------------


def _fit_messages(data: bytes, path: Path, out: _Runs) -> dict[str, list[dict]]:
    """session, record, activity and sport messages as dicts; a CRC mismatch is a kept problem."""
    import fitdecode

    def collect(check: fitdecode.CrcCheck) -> dict[str, list[dict]]:
        msgs: dict[str, list[dict]] = {"session": [], "record": [], "activity": [], "sport": []}
        reader = fitdecode.FitReader(
            io.BytesIO(data), check_crc=check, error_handling=fitdecode.ErrorHandling.IGNORE
        )
        with reader as fit:
            for frame in fit:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name in msgs:
                    msgs[frame.name].append({f.name: f.value for f in frame.fields})
        return msgs

    try:
        try:
            return collect(fitdecode.CrcCheck.RAISE)
        except fitdecode.FitCRCError:
            text = "the FIT checksum does not match (file damaged or cut short); read what could be read"
            out.problem(None, None, text, "kept")
            return collect(fitdecode.CrcCheck.READONLY)
    except fitdecode.FitError as exc:
        raise _error(path, f"not a readable FIT file ({exc}).") from None


def _num(msg: dict, *names: str) -> float:
    """The first of ``names`` holding a positive number, else NaN."""
    for n in names:
        v = msg.get(n)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
            return float(v)
    return _NAN


def read_fit(path: str | Path, options: Options | None = None) -> FileResult:
    """Read a FIT activity (plain or gzipped): one run per running ``session`` message.

    Parameters
    ----------
    path : str or Path
        A ``.fit`` or ``.fit.gz`` file.
    options : Options, default=None
        ``timezone`` (None: the watch's ``local_timestamp``, else the machine's zone) and
        ``athlete`` as for :func:`read_gpx`.

    Returns
    -------
    FileResult
        ``runs`` with the canonical run columns (see :func:`read_gpx`; duration_s is moving
        time, else timer time, in s; run_type NA); ``skipped`` counts other sports.

    Raises
    ------
    LogFormatError
        A FIT file that cannot be decoded, or a bad gzip.

    Examples
    --------
    >>> import tempfile
    >>> cut = Path(tempfile.mkdtemp()) / "cut.fit"
    >>> _ = cut.write_bytes(b"\\x0e\\x20\\x00\\x00\\x00\\x00\\x00\\x00.FIT\\x00\\x00")  # a header, nothing else
    >>> read_fit(cut)
    Traceback (most recent call last):
    ...
    analysis.errors.LogFormatError: cut.fit: not a readable FIT file (expected 2 bytes, got 0 @ 14).
    """
    path = Path(path)
    data = _payload(path)
    out = _Runs(path, FIT_LABEL, options or Options(), "start_time")
    msgs = _fit_messages(data, path, out)
    if not msgs["session"]:
        out.time_column = "timestamp"
    offset = None
    for act in msgs["activity"]:
        ts, local = act.get("timestamp"), act.get("local_timestamp")
        if isinstance(ts, dt.datetime) and isinstance(local, dt.datetime):
            offset = local.replace(tzinfo=None) - ts.replace(tzinfo=None)
    for i, s in enumerate(msgs["session"], start=1):
        if str(s.get("sport")) != "running":
            out.skip(s.get("sport", "(no sport)"))
            continue
        secs = _num(s, "total_moving_time", "total_timer_time", "total_elapsed_time")
        ascent = (
            float(s["total_ascent"]) if isinstance(s.get("total_ascent"), (int, float)) else _NAN
        )
        start = s.get("start_time") or s.get("timestamp")
        out.add(
            i,
            start,
            _num(s, "total_distance") / 1000.0,
            secs,
            _num(s, "avg_heart_rate"),
            ascent,
            None,
        )
    if not msgs["session"] and msgs["record"]:
        rec = pd.DataFrame(msgs["record"])
        sport = next((m["sport"] for m in msgs["sport"] if m.get("sport") is not None), None)
        if sport is not None and str(sport) != "running":
            out.skip(sport)
            return out.result
        col = rec.reindex(
            columns=["timestamp", "distance", "heart_rate", "enhanced_altitude", "altitude"]
        )
        times = pd.to_datetime(col["timestamp"], utc=True).dropna()
        num = col.drop(columns="timestamp").apply(pd.to_numeric, errors="coerce")
        alt = num["enhanced_altitude"].where(num["enhanced_altitude"].notna(), num["altitude"])
        guess = "" if sport else ", sport unknown: taken as a run"
        text = f"no session message; summary worked out from the records (duration is elapsed time{guess})"
        out.problem(1, "session", text, "kept")
        secs = (times.max() - times.min()).total_seconds() if len(times) > 1 else _NAN
        start = times.min() if len(times) else None
        out.add(
            1,
            start,
            num["distance"].max() / 1000.0,
            secs,
            num["heart_rate"].mean(),
            elevation_gain_m(alt),
            None,
        )
    elif not msgs["session"]:
        out.result.rows_read += 1
        out.problem(1, "session", "no session and no record messages: nothing recorded", "dropped")
    return out.finish(offset)


# --- registration ----------------------------------------------------------------------------


def _is_fit(sniff: Sniff) -> bool:
    head = _content_head(sniff.head)
    return len(head) >= 12 and head[8:12] == b".FIT" and head[0] in (12, 14)


def _is_gpx(sniff: Sniff) -> bool:
    return _root_tag(sniff.head) == "gpx"


def _is_tcx(sniff: Sniff) -> bool:
    return _root_tag(sniff.head) == "TrainingCenterDatabase"


register(Reader("gpx", GPX_LABEL, _is_gpx, lambda path, sniff, opts: read_gpx(path, opts), 20))
register(Reader("tcx", TCX_LABEL, _is_tcx, lambda path, sniff, opts: read_tcx(path, opts), 20))
register(Reader("fit", FIT_LABEL, _is_fit, lambda path, sniff, opts: read_fit(path, opts), 20))

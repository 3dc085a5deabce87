"""Run files from watches and apps: GPX and TCX, plain or gzipped (Strava archives).

FIT: :mod:`analysis.loaders.fit`; gzip, local time, source_row: :mod:`analysis.loaders.runs_common`.

Each file is one run (a TCX may hold several activities: one run each). Detection is by
content: GPX ``<gpx`` root, TCX ``<TrainingCenterDatabase`` root.

What each run gets
------------------
date
    Local start: GPX first point time; TCX ``Id`` (else first lap start).
distance_km
    GPX ``length_2d()`` of the tracks (gpxpy); TCX sum of lap ``DistanceMeters``, else the last
    trackpoint's (a treadmill TCX has no positions).
duration_s
    GPX moving time (gpxpy: point pairs faster than 1 km/h); TCX sum of lap
    ``TotalTimeSeconds`` (timer time; TCX has no moving time).
avg_hr_bpm
    GPX mean of the ``gpxtpx:hr`` values; TCX lap averages weighted by lap time, else the mean
    of trackpoints.
elevation_gain_m
    GPX gpxpy ``get_uphill_downhill()``: elevations smoothed with weights 0.3/0.4/0.3 over
    each point and its neighbours, then the rises summed; TCX the same on ``AltitudeMeters``
    (NA without altitude).
run_type
    From the GPX track ``<name>`` or TCX ``<Notes>``
    (:func:`analysis.columns.run_type_of`).

Only running is a run; other sports are skipped and counted. GPX ``<type>``: a word with *run*
in it (``running``, ``Run``, ``trail_running``, ``VirtualRun``), or Strava's numeric code ``9``.
Strava writes its activity types as numbers in GPX files; the codes read here are the ones
independent importers of Strava files agree on (1 Ride, 4 Hike, 9 Run, 10 Walk, 16 Swim); any
other number is not a run (``not a run: Strava type 18``). A GPX without ``<type>`` is taken as a
run. TCX: ``Sport="Running"``.

XML is parsed safely: a file that declares a DTD or entities is refused (defusedxml); real GPX
and TCX files never do, and entity expansion is a known attack.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import numpy as np
import pandas as pd

from analysis.loaders.base import FileResult, Options, Reader, Sniff, register
from analysis.loaders.guards import check_markup
from analysis.loaders.runs_common import (
    RunCollector,
    content_head,
    elevation_gain_m,
    file_error,
    read_payload,
)

__all__ = ["read_gpx", "read_tcx"]

GPX_LABEL, TCX_LABEL = "GPX track (.gpx)", "Garmin TCX (.tcx)"
_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?"
    rb"(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*|<\?.*?\?>\s*)*"
    rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)",
    re.S,
)


# --- safe XML ------------------------------------------------------------------------------


def _root_tag(head: bytes) -> str | None:
    m = _ROOT.match(content_head(head)[:8192])
    return m.group(1).decode("ascii", "replace") if m else None


def _safe_xml(data: bytes, path: Path, kind: str) -> Element:
    check_markup(path, data, kind)  # points and tags counted before a parser builds them
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        text = (
            f"refused: the {kind} file declares a DTD or XML entities, which real {kind} files never "
            "do (entity expansion is a known attack). Export the run again from the app."
        )
        raise file_error(path, text) from None
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown encoding ("UTF-2")
        raise file_error(path, f"not a well-formed {kind} file ({exc}).") from None


# --- GPX -------------------------------------------------------------------------------------

#: Strava's numeric activity types in GPX ``<type>`` that importers of Strava files agree on.
STRAVA_GPX_TYPES = {"1": "Ride", "4": "Hike", "9": "Run", "10": "Walk", "16": "Swim"}


def gpx_sport_name(sport: str) -> str:
    """A GPX ``<type>`` as people read it (``1`` -> ``Ride (Strava type 1)``)."""
    if sport.isdigit():
        name = STRAVA_GPX_TYPES.get(sport)
        return f"{name} (Strava type {sport})" if name else f"Strava type {sport}"
    return sport


def is_run_type(sport: str) -> bool:
    """True for a GPX ``<type>`` that names a run: Strava's ``9``, or a word containing *run*.

    Examples
    --------
    >>> [is_run_type(t) for t in ("9", "1", "running", "Run", "TrailRun", "cycling", "unknown")]
    [True, False, True, True, True, False, False]
    """
    text = sport.strip().lower()
    if text.isdigit():
        return STRAVA_GPX_TYPES.get(text) == "Run"
    return "run" in text.replace("_", " ")


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
    data = read_payload(path)
    _safe_xml(data, path, "GPX")  # refuse DTDs and entities before gpxpy sees the file
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except Exception as exc:  # gpxpy raises its own and plain errors (ValueError ...) on damaged values
        raise file_error(path, f"not a readable GPX file ({type(exc).__name__}: {str(exc)[:200]}).") from None
    out = RunCollector(path, GPX_LABEL, options or Options(), "trkpt time")
    types = [(t.type or "").strip() for t in gpx.tracks]
    sport = next((t for t in types if t), "")
    if sport and not is_run_type(sport):
        out.skip(gpx_sport_name(sport))
        return out.result
    points = [p for trk in gpx.tracks for seg in trk.segments for p in seg.points]
    if not points:
        out.result.rows_read += 1
        text = "no track points (a route or waypoints only, not a recorded run)"
        out.problems.add(1, "trkpt", None, text, "dropped")
        return out.result
    times = [p.time for p in points if p.time is not None]
    moving = gpx.get_moving_data()
    secs = float(moving.moving_time) if moving and moving.moving_time else np.nan
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
    out.add(1, min(times) if times else None, km, secs, hrs, ups.uphill if ups else np.nan, name)
    return out.finish()


# --- TCX -------------------------------------------------------------------------------------


def _child_floats(elements: list[Element], path: str) -> np.ndarray:
    """One float per element from the child at ``path`` (NaN where missing)."""
    cells = [e.find(path, _NS) for e in elements]
    return np.array([_float(c.text) if c is not None else np.nan for c in cells], dtype=float)


def _float(text: str | None) -> float:
    """A number from an element's text; NaN when it is empty or not a number (a damaged value)."""
    try:
        return float(text) if text else np.nan
    except ValueError:
        return np.nan


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
    root = _safe_xml(read_payload(path), path, "TCX")
    activities = root.findall("t:Activities/t:Activity", _NS)
    if not activities:
        raise file_error(
            path,
            "a TCX file with no <Activity> (a course or workout plan?); expected a recorded activity.",
        )
    out = RunCollector(path, TCX_LABEL, options or Options(), "Id")
    for i, act in enumerate(activities, start=1):
        if act.get("Sport", "").lower() != "running":
            out.skip(act.get("Sport") or "(no sport)")
            continue
        out.add(i, *_tcx_run(act))
    return out.finish()


def _tcx_run(act: Element) -> tuple[object, float, float, float, float, str | None]:
    """``(start in UTC or None, km, seconds, avg HR, ascent m, notes)`` of one ``<Activity>``.

    Laps' sums first; without them the trackpoints' (last distance, first to last time, mean
    HR); HR averaged over laps weighted by lap time.
    """
    laps = act.findall("t:Lap", _NS)
    lap_s, lap_m = _child_floats(laps, "t:TotalTimeSeconds"), _child_floats(laps, "t:DistanceMeters")
    lap_hr = _child_floats(laps, "t:AverageHeartRateBpm/t:Value")
    tps = act.findall("t:Lap/t:Track/t:Trackpoint", _NS)
    stamps = pd.Series([tp.findtext("t:Time", None, _NS) for tp in tps], dtype=object)
    tp_time = pd.to_datetime(stamps, utc=True, errors="coerce")
    tp_m, tp_hr = _child_floats(tps, "t:DistanceMeters"), _child_floats(tps, "t:HeartRateBpm/t:Value")
    first_lap = laps[0].get("StartTime") if laps else None
    start = pd.to_datetime(act.findtext("t:Id", None, _NS) or first_lap, utc=True, errors="coerce")
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
        hr = np.nanmean(tp_hr) if np.isfinite(tp_hr).any() else np.nan
    gain = elevation_gain_m(_child_floats(tps, "t:AltitudeMeters"))
    return (None if pd.isna(start) else start, metres / 1000.0, secs, hr, gain,
            act.findtext("t:Notes", None, _NS))


# --- registration ----------------------------------------------------------------------------


def _is_gpx(sniff: Sniff) -> bool:
    return _root_tag(sniff.head) == "gpx"


def _is_tcx(sniff: Sniff) -> bool:
    return _root_tag(sniff.head) == "TrainingCenterDatabase"


register(Reader("gpx", GPX_LABEL, _is_gpx, lambda path, sniff, opts: read_gpx(path, opts), 20))
register(Reader("tcx", TCX_LABEL, _is_tcx, lambda path, sniff, opts: read_tcx(path, opts), 20))

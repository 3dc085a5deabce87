"""Strava bulk export ``activities.csv``, and the helpers every run source shares.

Strava: Settings -> My Account -> Download or Delete Your Account -> Request an archive. The
archive holds ``activities.csv`` (one row per activity, any sport) and an ``activities/`` folder
of GPX/TCX/FIT files (often gzipped; read by :mod:`analysis.loaders.gpsfiles`).

What the reader takes from ``activities.csv``
---------------------------------------------
* Only runs: ``Activity Type`` ``Run``, ``Trail Run`` or ``Virtual Run``. Every other type is
  skipped and counted as ``not a run: <type>``.
* ``date``: ``Activity Date`` (``Sep 2, 2025, 6:05:14 AM``) is **UTC**; it is converted to local
  time in ``timezone`` (default: the machine's zone, named once per file in ``problems``).
* ``distance_km``: the *second* ``Distance`` column (metres; pandas calls it ``Distance.1``).
  The first one is km for runs but metres for swims, so it is used only when the second is
  missing or empty.
* ``duration_s``: ``Moving Time`` (s), else the second ``Elapsed Time``, else the first.
* ``avg_hr_bpm``: ``Average Heart Rate``; ``elevation_gain_m``: ``Elevation Gain`` (m).
* ``run_type``: from the activity name (see :func:`run_type_from_name`), or from Strava's
  ``Competition`` / ``Long Run`` tag columns of newer exports when they hold a true value;
  else NA. Strava's ``Workout Type`` is not in the export.
* Header cells of older exports contain raw HTML (``<span ...>Jump Count</span>``); tags are
  stripped before columns are matched. Descriptions may span several lines: a quoted
  multi-line field is still one row (``source_row`` counts CSV records, header = row 1).

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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.base import (
    FileResult,
    Options,
    Reader,
    Sniff,
    decode,
    problem_frame,
    register,
)

__all__ = ["read_strava_csv", "resolve_zone", "run_type_from_name", "runs_frame", "utc_to_local"]

LABEL = "Strava bulk export (activities.csv)"
RUN_ACTIVITY_TYPES = ("Run", "Trail Run", "Virtual Run")
_LOCALTIME = Path("/etc/localtime")

_RUN_TYPE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("race", r"\brace\b|\bparkrun\b|\btime trial\b"),
    ("interval", r"\bintervals?\b|\brepeats?\b|\breps\b|\bfartlek\b|\b\d+\s*x\s*\d+"),
    ("tempo", r"\btempo\b|\bthreshold\b"),
    ("long", r"\blong\b"),
    ("easy", r"\beasy\b|\brecovery\b"),
)
_TRUE = ("1", "1.0", "true", "yes")


def run_type_from_name(names: pd.Series) -> pd.Series:
    """Run type label from activity names or titles (NA when the name does not say).

    Parameters
    ----------
    names : Series of str
        Activity names as written (``Long Run``, ``Tempo Tuesday``, ``Leeds Running``).

    Returns
    -------
    Series of string
        ``race``, ``interval``, ``tempo``, ``long``, ``easy`` or NA, same index as ``names``.

    Notes
    -----
    The first matching label wins, most specific first: race > interval > tempo > long > easy
    (see the module docstring for the words).

    Examples
    --------
    >>> run_type_from_name(pd.Series(["Long Run", "Tempo 3x2km", "Parkrun", "Morning Run", None])).tolist()
    ['long', 'interval', 'race', <NA>, <NA>]
    """
    text = names.astype("string").str.lower()
    out = pd.Series(pd.NA, index=names.index, dtype="string")
    for label, pattern in reversed(_RUN_TYPE_PATTERNS):  # later assignment = higher priority
        hit = text.str.contains(pattern, regex=True).fillna(False).astype(bool)
        out[hit] = label
    return out


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


def zone_problem(
    *, source_file: str, source_row: int | None, column: str, zone_name: str
) -> pd.DataFrame:
    """The one ``kept`` problem row that says which zone UTC times were converted with."""
    return problem_frame(
        source_file=source_file,
        source_sheet=None,
        source_row=source_row,
        column=column,
        value=zone_name,
        problem=(
            f"times in the file are UTC; converted to local time in {zone_name}, the machine's zone. "
            "Pass timezone='Europe/London' (--timezone Europe/London) to choose the zone"
        ),
        action="kept",
    )


def _values(x: object) -> np.ndarray:
    return (x if isinstance(x, pd.Series) else pd.Series(x)).to_numpy()


def _floats(x: object) -> np.ndarray:
    s = x if isinstance(x, pd.Series) else pd.Series(x, dtype=object)
    return (
        pd.to_numeric(s, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    )


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
    km = _floats(distance_km)
    secs = _floats(duration_s)
    frame = pd.DataFrame(
        {
            C.ATHLETE: athlete,
            C.DATE: pd.to_datetime(_values(date)),
            C.DISTANCE_KM: km,
            C.DURATION_S: secs,
            C.PACE_S_PER_KM: secs / km,
            C.RUN_TYPE: pd.array(_values(run_type), dtype="string"),
            C.AVG_HR_BPM: _floats(avg_hr_bpm),
            C.ELEVATION_GAIN_M: _floats(elevation_gain_m),
            C.SOURCE_FILE: source_file,
            C.SOURCE_SHEET: None,
            C.SOURCE_ROW: pd.array(_values(source_row), dtype="Int64"),
        }
    )
    return C.conform(frame, C.RUNS)


# --- the activities.csv reader --------------------------------------------------------------


def _is_strava(sniff: Sniff) -> bool:
    header = set(sniff.header or ())
    return {"Activity ID", "Activity Date", "Activity Type"} <= header


def _clean_header(text: str) -> list[str]:
    """Header names with HTML tags stripped and repeats numbered like pandas (``Distance.1``)."""
    first = next(csv.reader(io.StringIO(text)), [])
    names: list[str] = []
    seen: dict[str, int] = {}
    for cell in first:
        name = re.sub(r"<[^>]+>", "", cell).strip()
        n = seen.get(name, 0)
        seen[name] = n + 1
        names.append(name if n == 0 else f"{name}.{n}")
    return names


def _seconds(col: pd.Series) -> pd.Series:
    return pd.to_numeric(col.str.strip().str.replace(",", "", regex=False), errors="coerce")


def read_strava_csv(path: str | Path, options: Options | None = None) -> FileResult:
    """Read a Strava bulk export ``activities.csv`` (runs only).

    Parameters
    ----------
    path : str or Path
        The ``activities.csv`` of a Strava archive.
    options : Options, default=None
        ``timezone`` (IANA name for the UTC ``Activity Date``; None: the machine's zone) and
        ``athlete`` (default: the file name's stem).

    Returns
    -------
    FileResult
        ``runs`` with the canonical run columns (athlete, date local start, distance_km, duration_s
        moving time in s, pace_s_per_km, run_type, avg_hr_bpm, elevation_gain_m, source_file,
        source_sheet, source_row); ``skipped`` counts ``not a run: <type>`` and ``blank`` rows;
        ``problems`` has a row per value that could not be used.

    Raises
    ------
    LogFormatError
        The file cannot be parsed as CSV.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "activities.csv"
    >>> _ = p.write_text("Activity ID,Activity Date,Activity Name,Activity Type,Distance,Moving Time,Distance\\n"
    ...                  '1,"Sep 2, 2025, 6:05:14 AM",Long Run,Run,10.00,3000.0,10000.0\\n')
    >>> read_strava_csv(p, Options(timezone="Europe/London")).runs[["date", "distance_km", "pace_s_per_km", "run_type"]]
                     date  distance_km  pace_s_per_km run_type
    0 2025-09-02 07:05:14         10.0          300.0     long
    """
    path = Path(path)
    options = options or Options()
    text, _ = decode(path.read_bytes(), path=path)
    names = _clean_header(text)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            header=0,
            names=names,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise LogFormatError(
            f"{path.name}: could not be read as a Strava activities.csv ({str(exc).splitlines()[0]}).",
            path=str(path),
        ) from None
    missing = [c for c in ("Activity Date", "Activity Type") if c not in df.columns]
    if missing:
        raise LogFormatError(
            f"{path.name}: expected a Strava activities.csv with columns Activity Date and Activity Type, "
            f"got no {', '.join(missing)} column instead.",
            path=str(path),
        )
    result = FileResult(path=str(path), format=LABEL, rows_read=len(df))
    file = path.name
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
    blank = df.apply(lambda s: s.str.strip() == "").all(axis=1)
    kind = df["Activity Type"].str.strip()
    is_run = kind.isin(RUN_ACTIVITY_TYPES) & ~blank
    result.skipped["blank"] += int(blank.sum())
    for name, n in kind[~is_run & ~blank].replace("", "(no type)").value_counts(sort=False).items():
        result.skipped[f"not a run: {name}"] += int(n)

    def problem(
        mask: pd.Series, column: str, values: pd.Series | None, text_: str, action: str
    ) -> None:
        if mask.any():
            result.problems.append(
                problem_frame(
                    source_file=file,
                    source_sheet=None,
                    source_row=rows[mask],
                    column=column,
                    value=None if values is None else values[mask],
                    problem=text_,
                    action=action,
                )
            )

    keep = is_run.copy()
    raw_date = df["Activity Date"].str.strip()
    utc = pd.to_datetime(raw_date, format="%b %d, %Y, %I:%M:%S %p", errors="coerce")
    bad_date = keep & utc.isna()
    problem(
        bad_date,
        "Activity Date",
        raw_date,
        "not a date (expected e.g. 'Sep 2, 2025, 6:05:14 AM')",
        "dropped",
    )
    keep &= ~bad_date

    metres = _seconds(df["Distance.1"]) if "Distance.1" in df else pd.Series(np.nan, index=df.index)
    first_km = _seconds(df["Distance"]) if "Distance" in df else pd.Series(np.nan, index=df.index)
    km = (metres / 1000.0).where(metres.notna(), first_km)
    no_dist = keep & (km.isna() | (km <= 0))
    problem(
        no_dist,
        "Distance",
        df["Distance.1"] if "Distance.1" in df else None,
        "no distance (0 or empty): a run without GPS or a manual entry without distance",
        "dropped",
    )
    keep &= ~no_dist

    secs = pd.Series(np.nan, index=df.index)
    for col in ("Moving Time", "Elapsed Time.1", "Elapsed Time"):
        if col in df:
            vals = _seconds(df[col])
            secs = secs.where(secs.notna() & (secs > 0), vals)
    no_time = keep & (secs.isna() | (secs <= 0))
    problem(
        no_time,
        "Moving Time",
        df["Moving Time"] if "Moving Time" in df else None,
        "no moving or elapsed time",
        "dropped",
    )
    keep &= ~no_time

    hr = (
        _seconds(df["Average Heart Rate"])
        if "Average Heart Rate" in df
        else pd.Series(np.nan, index=df.index)
    )
    elev = (
        _seconds(df["Elevation Gain"])
        if "Elevation Gain" in df
        else pd.Series(np.nan, index=df.index)
    )
    name = df["Activity Name"] if "Activity Name" in df else pd.Series("", index=df.index)
    run_type = run_type_from_name(name)
    for col, label in (("Long Run", "long"), ("Competition", "race")):
        if col in df:
            tagged = df[col].str.strip().str.lower().isin(_TRUE)
            run_type = run_type.mask(tagged & run_type.isna(), label)

    result.skipped = +result.skipped
    zone, zone_name, from_machine = resolve_zone(options.timezone)
    if keep.any() and from_machine:
        result.problems.append(
            zone_problem(
                source_file=file,
                source_row=int(rows[keep].iloc[0]),
                column="Activity Date",
                zone_name=zone_name,
            )
        )
    if keep.any():
        idx = keep[keep].index
        local = utc_to_local(utc[idx], zone)
        runs = runs_frame(
            athlete=(options.athlete or path.stem).strip(),
            date=local,
            distance_km=km[idx],
            duration_s=secs[idx],
            run_type=run_type[idx],
            avg_hr_bpm=hr[idx],
            elevation_gain_m=elev[idx],
            source_file=file,
            source_row=rows[idx].to_numpy(),
        )
        result.runs = runs.sort_values(C.DATE, kind="stable", ignore_index=True)
    return result


register(
    Reader(
        name="strava_activities",
        label=LABEL,
        detect=_is_strava,
        read=lambda path, sniff, options: read_strava_csv(path, options),
        priority=30,
    )
)

"""Strava bulk export ``activities.csv``.

Strava: Settings -> My Account -> Download or Delete Your Account -> Request an archive. The
archive holds ``activities.csv`` (one row per activity, any sport) and an ``activities/`` folder
of GPX/TCX/FIT files (often gzipped; read by :mod:`analysis.loaders.gpsfiles` and
:mod:`analysis.loaders.fit`).

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
* ``run_type``: from the activity name (see :func:`analysis.columns.run_type_of`), or from Strava's
  ``Competition`` / ``Long Run`` tag columns of newer exports when they hold a true value;
  else NA. Strava's ``Workout Type`` is not in the export.
* Header cells of older exports contain raw HTML (``<span ...>Jump Count</span>``); tags are
  stripped before columns are matched. Descriptions may span several lines: a quoted
  multi-line field is still one row (``source_row`` counts CSV records, header = row 1).

The definitions and helpers all run sources share: :mod:`analysis.loaders.runs_common`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.activity_cells import ActivityCells, per_distinct
from analysis.loaders.base import (
    FileResult,
    Options,
    Problems,
    Reader,
    Sniff,
    decode,
    register,
)
from analysis.loaders.runs_common import (
    note_zone,
    resolve_zone,
    runs_frame,
    runs_only,
    utc_to_local,
)
from analysis.loaders.table_rows import HR_OUTSIDE

__all__ = ["read_strava_csv"]

LABEL = "Strava bulk export (activities.csv)"
RUN_ACTIVITY_TYPES = ("Run", "Trail Run", "Virtual Run")
_TRUE = ("1", "1.0", "true", "yes")


# --- the activities.csv reader --------------------------------------------------------------


def _is_strava(sniff: Sniff) -> bool:
    header = set(sniff.header or ())
    return {"Activity ID", "Activity Date", "Activity Type"} <= header


def _clean_header(text: str) -> list[str]:
    """Header names with HTML tags stripped and repeats numbered like pandas (``Distance.1``)."""
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:  # a stray quote or line break in the header: no usable header
        first = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for cell in first:
        name = re.sub(r"<[^>]+>", "", cell).strip()
        n = seen.get(name, 0)
        seen[name] = n + 1
        names.append(name if n == 0 else f"{name}.{n}")
    return names


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
    df = _activities(path)
    result = FileResult(path=str(path), format=LABEL, rows_read=len(df))
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)  # header = row 1
    problems = Problems(result, path.name, rows=rows)
    kind = df.text("Activity Type").str.strip()
    keep = runs_only(result, df.blank_rows(), kind, kind.isin(RUN_ACTIVITY_TYPES))
    raw_date = df.text("Activity Date").str.strip()
    utc = _utc_dates(raw_date)
    bad_date = keep & utc.isna()
    text = "not a date (expected e.g. 'Sep 2, 2025, 6:05:14 AM')"
    problems.add_where(bad_date, "Activity Date", raw_date, text, "dropped")
    keep &= ~bad_date
    km = _distance_km(df)
    no_dist = keep & (km.isna() | (km <= 0))
    text = "no distance (0 or empty): a run without GPS or a manual entry without distance"
    if no_dist.any():
        problems.add_where(no_dist, "Distance", df.get("Distance.1"), text, "dropped")
    keep &= ~no_dist
    secs = _seconds(df)
    no_time = keep & (secs.isna() | (secs <= 0))
    if no_time.any():
        problems.add_where(no_time, "Moving Time", df.get("Moving Time"), "no moving or elapsed time", "dropped")
    keep &= ~no_time
    hr = _number(df, "Average Heart Rate")
    odd_hr = keep & ((hr < C.BOUNDS[C.AVG_HR_BPM][0]) | (hr > C.BOUNDS[C.AVG_HR_BPM][1]))
    if odd_hr.any():
        problems.add_where(odd_hr, "Average Heart Rate", df.get("Average Heart Rate"), HR_OUTSIDE, "kept")
    hr = hr.mask(odd_hr)
    result.skipped = +result.skipped
    zone, zone_name, from_machine = resolve_zone(options.timezone)
    if keep.any() and from_machine:
        note_zone(problems, source_row=int(rows[keep].iloc[0]), column="Activity Date", zone_name=zone_name)
    if keep.any():
        idx = keep[keep].index
        runs = runs_frame(
            athlete=(options.athlete or path.stem).strip(),
            date=utc_to_local(utc[idx], zone),
            distance_km=km[idx],
            duration_s=secs[idx],
            run_type=_run_types(df)[idx],
            avg_hr_bpm=hr[idx],
            elevation_gain_m=_number(df, "Elevation Gain")[idx],
            source_file=path.name,
            source_row=rows[idx].to_numpy(),
        )
        result.runs = runs.sort_values(C.DATE, kind="stable", ignore_index=True)
    return result


def _activities(path: Path) -> ActivityCells:
    """The export's cells under cleaned header names (numbers typed by the parser, see
    :mod:`~analysis.loaders.activity_cells`); a file without its key columns refused."""
    text, _ = decode(path.read_bytes(), path=path)
    names = _clean_header(text)
    try:
        df = ActivityCells.read(text, header=0, names=names)
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
    return df


_DATE_FORMAT = "%b %d, %Y, %I:%M:%S %p"
#: ``Sep 2, 2025, 6:05:14 AM`` exactly as Strava writes it (RE2: Arrow's regexes)
_PLAIN_DATE = (r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:[1-9]|[12][0-9]|3[01]), [1-9][0-9]{3}, "
               r"(?:[1-9]|1[0-2]):[0-5][0-9]:[0-5][0-9] [AP]M$")


def _utc_dates(text: pd.Series) -> pd.Series:
    """``Activity Date`` cells (stripped) as datetimes, NaT where not a date in Strava's format.

    strptime over every start time was most of the read (0.2 s per 100,000 runs). When every cell
    has exactly Strava's shape, the day (``Sep 2, 2025``) and the time of day (``6:05:14 AM``) are
    read apart, each on its distinct values, and added: the same datetimes, since the format is those
    two formats joined by ``, ``. Any other cell, or a day that does not exist (``Feb 30``), and the
    column is read as a whole as before.
    """
    if len(text) >= 64 and text.dtype == "str" and getattr(text.dtype, "storage", None) == "pyarrow":
        import pyarrow as pa  # held by Arrow, so pyarrow is installed (pandas' own choice; not a dependency)
        import pyarrow.compute as pc

        cells = text.array.__arrow_array__()
        if pc.all(pc.match_substring_regex(cells, _PLAIN_DATE)).as_py():
            parts = pc.split_pattern(cells, ", ", max_splits=2)
            month_day, year = pc.list_element(parts, 0), pc.list_element(parts, 1)
            day = pc.binary_join_element_wise(month_day, year, pa.scalar(", ", type=year.type))
            day_text = pd.Series(pd.arrays.ArrowStringArray(day), index=text.index)
            time_text = pd.Series(pd.arrays.ArrowStringArray(pc.list_element(parts, 2)), index=text.index)
            days = per_distinct(day_text, lambda s: pd.to_datetime(s, format="%b %d, %Y", errors="coerce"))
            clock = per_distinct(time_text, lambda s: pd.to_datetime(s, format="%I:%M:%S %p", errors="coerce"))
            utc = days.astype("datetime64[us]") + (clock - pd.Timestamp(1900, 1, 1))
            if utc.notna().all():
                return utc.rename(text.name)
    return per_distinct(text, lambda s: pd.to_datetime(s, format=_DATE_FORMAT, errors="coerce"))


def _number(df: ActivityCells, column: str) -> pd.Series:
    """A number column as floats (``"1,234"`` read as 1234); NaN when blank or absent. The parser's
    numbers when it typed the column (the same numbers), else read from the distinct cells."""
    if column not in df:
        return pd.Series(np.nan, index=df.index)
    typed = df.number(column)
    if typed is not None:
        return typed
    return per_distinct(df.text(column),
                        lambda s: pd.to_numeric(s.str.strip().str.replace(",", "", regex=False), errors="coerce"))


def _distance_km(df: ActivityCells) -> pd.Series:
    """km from the second ``Distance`` (metres), else the first (km for runs)."""
    metres = _number(df, "Distance.1")
    return (metres / 1000.0).where(metres.notna(), _number(df, "Distance"))


def _seconds(df: ActivityCells) -> pd.Series:
    """Seconds: ``Moving Time``, else the second ``Elapsed Time``, else the first."""
    secs = pd.Series(np.nan, index=df.index)
    for col in ("Moving Time", "Elapsed Time.1", "Elapsed Time"):
        if col in df:
            secs = secs.where(secs.notna() & (secs > 0), _number(df, col))
    return secs


def _run_types(df: ActivityCells) -> pd.Series:
    """The run type from the activity name, else from the Long Run / Competition tags."""
    name = df.text("Activity Name") if "Activity Name" in df else pd.Series("", index=df.index)
    run_type = C.run_type_of(name)
    for col, label in (("Long Run", "long"), ("Competition", "race")):
        if col in df:
            tagged = df.text(col).str.strip().str.lower().isin(_TRUE)
            run_type = run_type.mask(tagged & run_type.isna(), label)
    return run_type


register(
    Reader(
        name="strava_activities",
        label=LABEL,
        detect=_is_strava,
        read=lambda path, sniff, options: read_strava_csv(path, options),
        priority=30,
    )
)

"""Garmin Connect ``Activities.csv`` (web: Activities -> All Activities -> Export CSV).

One row per activity, any sport, **newest first** (re-sorted oldest first here). The column
set changes with the activity types and the year, so columns are looked up by name; English
and Danish headers are read (other languages give a clear error).

What the reader takes
---------------------
* Runs only: an ``Activity Type`` with the word *run*/*running* (``Running``,
  ``Treadmill Running``, ``Trail Running``, ``Track Running``, ``Virtual Run``; Danish ``Løb``,
  ``Løbebånd``). Other types are skipped and counted as ``not a run: <type>``. A treadmill run
  is a run like any other; its ``run_type`` comes from its title like every run's.
* ``date``: ``Date``, local start time as written (no zone in the file).
* ``duration_s``: ``Moving Time``; where that is missing, ``--`` or ``00:00:00`` (a Garmin
  quirk), ``Time`` (timer time), else ``Elapsed Time``. ``00:10:01.5`` tenths are kept.
* ``distance_km``: ``Distance`` in the account's unit (see below). A run with ``0.00`` distance
  (no GPS, uncalibrated treadmill) is dropped with a problem row.
* ``avg_hr_bpm``: ``Avg HR``; ``elevation_gain_m``: ``Total Ascent`` (feet in a miles account,
  converted). ``--`` means missing.
* ``run_type``: from ``Title`` (:func:`analysis.columns.run_type_of`); Garmin's
  default titles (``Leeds Running``, ``Treadmill Running``) give NA.
* Numbers may be quoted with thousands separators (``"1,150"``) or carry the spreadsheet
  guard apostrophe (``"'-16"``); both are removed before reading.

Distance unit
-------------
Nothing in the file says km or miles (the account setting decides). ``distance_unit`` wins
when given. Otherwise the unit is worked out from the data, in this order:

1. stride: Garmin writes ``Avg Stride Length`` in metres in every account, so
   ``Steps x stride / 1000`` (or ``Avg Run Cadence x minutes x stride / 1000``) is the distance
   in km. Its median ratio to ``Distance`` is about 1 in a km file and about 1.609 in a miles
   file.
2. pace: ``Avg Pace`` (m:ss) against ``Time / Distance``. They agree when pace and distance
   share a unit (the usual case, which decides nothing); a ratio of about 1.609 means km with
   pace per mile, about 0.621 means miles with pace per km.
3. Undecided: km, with one ``kept`` problem row saying how to choose miles.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import values as V
from analysis.loaders.activity_cells import ActivityCells
from analysis.loaders.base import (
    FileResult,
    Options,
    Problems,
    Reader,
    Sniff,
    decode,
    register,
)
from analysis.loaders.runs_common import runs_frame, runs_only
from analysis.loaders.table_rows import HR_OUTSIDE

__all__ = ["distance_unit_evidence", "garmin_number", "read_garmin_csv"]

LABEL = "Garmin Connect (Activities.csv)"
FEET_TO_M = 0.3048

#: Header names per language: field -> header (a tuple: first present wins).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "type": ("Activity Type",),
        "date": ("Date",),
        "title": ("Title",),
        "distance": ("Distance",),
        "time": ("Time",),
        "moving": ("Moving Time",),
        "elapsed": ("Elapsed Time",),
        "avg_hr": ("Avg HR",),
        "pace": ("Avg Pace",),
        "ascent": ("Total Ascent",),
        "steps": ("Steps",),
        "stride": ("Avg Stride Length",),
        "cadence": ("Avg Run Cadence",),
    },
    "da": {
        "type": ("Aktivitetstype",),
        "date": ("Dato",),
        "title": ("Titel",),
        "distance": ("Distance",),
        "time": ("Tid",),
        "moving": ("Tid i bevægelse",),
        "elapsed": ("Tidsforbrug",),
        "avg_hr": ("Gennemsnitlig puls",),
        "pace": ("Gennemsnitstempo",),
        "ascent": ("Samlet stigning", "Højdeforøgelse"),
        "steps": ("Skridt",),
        "stride": ("Gennemsnitlig skridtlængde",),
        "cadence": ("Gennemsnit kadence løb",),
    },
}
_RUN_TYPE_RE = {"en": r"\brun(?:ning)?\b", "da": r"(?:^|[\s-])løb"}


def _language(header: list[str]) -> str | None:
    fields = set(header)
    for lang, names in HEADERS.items():
        if {names["type"][0], names["date"][0], names["title"][0], names["distance"][0]} <= fields:
            return lang
    return None


def _is_garmin(sniff: Sniff) -> bool:
    header = sniff.header or []
    if "Activity ID" in header:  # Strava
        return False
    if _language(header):
        return True
    # a Garmin export in a language we do not read: claim it to give a clear error
    return (
        bool(set(header) & {"Training Stress Score®", "Normalized Power® (NP®)"})
        and len(header) >= 10
    )


def garmin_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Garmin number cells as floats, and a mask of cells that are not numbers.

    ``--`` and empty cells are missing (not bad); thousands separators and the spreadsheet
    guard apostrophe are removed.

    Examples
    --------
    >>> value, bad = garmin_number(pd.Series(["1,150", "'-16", "--", "6.29", "abc"]))
    >>> value.tolist(), bad.tolist()
    ([1150.0, -16.0, nan, 6.29, nan], [False, False, False, False, True])
    """
    if len(raw) >= 64:  # on the distinct cells (an export repeats its distances and heart rates)
        codes, uniq = pd.factorize(raw, use_na_sentinel=False)
        if len(uniq) <= 0.5 * len(raw):
            value, bad = garmin_number(pd.Series(uniq, dtype=raw.dtype))
            return (pd.Series(value.to_numpy()[codes], index=raw.index, name=raw.name),
                    pd.Series(bad.to_numpy()[codes], index=raw.index, name=raw.name))
    text = raw.astype("string").str.strip().str.lstrip("'").str.replace(",", "", regex=False)
    missing = text.isna() | text.isin(["", "--", "-"]).fillna(True)
    value = pd.to_numeric(text.mask(missing), errors="coerce").astype(float)
    bad = value.isna() & ~missing
    return value, bad.astype(bool)


def distance_unit_evidence(
    distance: pd.Series,
    duration_s: pd.Series,
    *,
    steps: pd.Series,
    stride_m: pd.Series,
    cadence_spm: pd.Series,
    time_s: pd.Series,
    pace_s: pd.Series,
) -> tuple[str | None, str]:
    """The distance unit the data point to (``"km"``, ``"mi"`` or None) and why.

    Parameters are per-run floats (NaN when missing): ``distance`` as written, ``duration_s``
    (the moving time used for cadence), ``steps``, ``stride_m`` (Avg Stride Length, m),
    ``cadence_spm`` (steps per minute), ``time_s`` (Time) and ``pace_s`` (Avg Pace, s).

    Examples
    --------
    >>> s = lambda *v: pd.Series(v, dtype=float)
    >>> distance_unit_evidence(s(3.0), s(1800.0), steps=s(np.nan), stride_m=s(1.01), cadence_spm=s(160.0),
    ...                        time_s=s(1800.0), pace_s=s(600.0))[0]
    'mi'
    """
    ok = distance > 0.2
    est_steps = steps.where(steps.notna(), cadence_spm * duration_s / 60.0)
    ratio = (est_steps * stride_m / 1000.0 / distance)[
        ok & (stride_m > 0) & (est_steps > 0)
    ].dropna()
    if len(ratio):
        med = float(ratio.median())
        if 0.85 <= med <= 1.2:
            return (
                "km",
                f"steps x stride length match km (median ratio {med:.2f}, {len(ratio)} runs)",
            )
        if 1.4 <= med <= 1.85:
            return (
                "mi",
                f"steps x stride length match miles (median ratio {med:.2f}, {len(ratio)} runs)",
            )
    q = (pace_s / (time_s / distance))[ok & (pace_s > 0) & (time_s > 0)].dropna()
    if len(q):
        med = float(q.median())
        if 1.45 <= med <= 1.75:
            return (
                "km",
                f"Avg Pace is per mile while Time / Distance is per km (median ratio {med:.2f})",
            )
        if 0.55 <= med <= 0.7:
            return (
                "mi",
                f"Avg Pace is per km while Time / Distance is per mile (median ratio {med:.2f})",
            )
    return (
        None,
        "no stride length or steps to tell km from miles, and Avg Pace matches Time / Distance in either unit",
    )


def read_garmin_csv(path: str | Path, options: Options | None = None) -> FileResult:
    """Read a Garmin Connect ``Activities.csv`` export (runs only).

    Parameters
    ----------
    path : str or Path
        The exported CSV (English or Danish Garmin Connect).
    options : Options, default=None
        ``distance_unit`` (``"km"``/``"mi"``; None: worked out from the data, see the module
        docstring) and ``athlete`` (default: the file name's stem).

    Returns
    -------
    FileResult
        ``runs`` with the canonical run columns (athlete, date local start, distance_km, duration_s
        moving time in s, pace_s_per_km, run_type, avg_hr_bpm, elevation_gain_m in m,
        source_file, source_sheet, source_row), oldest first; ``skipped`` counts
        ``not a run: <type>`` and ``blank`` rows; ``problems`` has a row per value not taken.

    Raises
    ------
    LogFormatError
        A Garmin export in a language other than English or Danish, or a file that is not CSV.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "Activities.csv"
    >>> _ = p.write_text('Activity Type,Date,Title,Distance,Time,Moving Time,Avg Pace\\n'
    ...                  'Running,2026-04-23 08:04:14,"Tempo","10.00","00:45:00","00:45:00","4:30"\\n')
    >>> read_garmin_csv(p, Options(distance_unit="km")).runs[["distance_km", "pace_s_per_km", "run_type"]]
       distance_km  pace_s_per_km run_type
    0         10.0          270.0    tempo
    """
    path = Path(path)
    options = options or Options()
    cells, lang, broken = _activities(path)
    result = FileResult(path=str(path), format=LABEL, rows_read=len(cells))
    a = _Export(cells, lang, result, path.name)
    kind = a.raw("type").str.strip()
    if broken.any():
        text = f"row cut off or damaged: its fields do not match the header's {len(cells.columns)}; not read"
        a.problems.add_where(broken, a.col["type"] or "Activity Type", None, text, "dropped")
    keep = pd.Series(False, index=cells.index)
    keep[~broken] = runs_only(result, cells.blank_rows()[~broken], kind[~broken],
                              kind[~broken].str.contains(_RUN_TYPE_RE[lang], case=False, regex=True))
    date = pd.to_datetime(a.raw("date").str.strip(), format="%Y-%m-%d %H:%M:%S", errors="coerce")
    keep = a.drop(keep & date.isna(), "date", "not a date (expected e.g. 2026-04-23 08:04:14)", keep)
    dist, dist_bad = a.number("distance")
    keep = a.drop(keep & (dist_bad | dist.isna()), "distance", "no distance (expected a number like 10.02)", keep)
    zero = "zero distance: a run without GPS or an uncalibrated treadmill"
    keep = a.drop(keep & (dist <= 0), "distance", zero, keep)
    secs, timer, keep = _durations(a, keep)
    hr, hr_bad = a.number("avg_hr")
    a.show(keep & hr_bad, "avg_hr", "not a heart rate; left empty", "kept")
    odd_hr = keep & ((hr < C.BOUNDS[C.AVG_HR_BPM][0]) | (hr > C.BOUNDS[C.AVG_HR_BPM][1]))
    a.show(odd_hr, "avg_hr", HR_OUTSIDE, "kept")
    hr = hr.mask(odd_hr)
    pace_text = a.raw("pace")
    pace = V.parse_duration(pace_text.where(~pace_text.isin(["--", ""])))  # "--" and "" are no pace, not a bad one
    odd_pace = keep & pace.bad
    a.show(odd_pace, "pace", "not a pace (expected m:ss, seconds 0-59); not used", "kept")
    ascent, ascent_bad = a.number("ascent")
    a.show(keep & ascent_bad, "ascent", "not an elevation gain; left empty", "kept")
    unit = _distance_unit(a, keep, dist, secs, timer, pace.value.astype(float), options)
    result.skipped = +result.skipped
    if keep.any():
        idx = keep[keep].index[::-1]  # newest first in the file: reverse, then a stable sort
        runs = runs_frame(
            athlete=(options.athlete or path.stem).strip(),
            date=date[idx],
            distance_km=dist[idx] * (V.MILE_TO_KM if unit == "mi" else 1.0),
            duration_s=secs[idx],
            run_type=C.run_type_of(a.raw("title")[idx]),
            avg_hr_bpm=hr[idx],
            elevation_gain_m=(ascent * (FEET_TO_M if unit == "mi" else 1.0))[idx],
            source_file=path.name,
            source_row=a.rows[idx],
        )
        result.runs = runs.sort_values(C.DATE, kind="stable", ignore_index=True)
    return result


def _activities(path: Path) -> tuple[ActivityCells, str, pd.Series]:
    """The export's cells (header names stripped; numbers typed by the parser, see
    :mod:`~analysis.loaders.activity_cells`), its language (other languages refused), and a mask of
    broken rows: a row with fewer or more fields than the header (the last row of a download cut
    short), kept only to be reported and dropped."""
    text, _ = decode(path.read_bytes(), path=path)
    try:
        df = ActivityCells.read(text)
        broken = pd.Series(False, index=df.index)
    except (pd.errors.ParserError, ValueError) as exc:
        grid, broken = _tolerant(text)
        if grid is None:
            raise LogFormatError(
                f"{path.name}: could not be read as a Garmin Activities.csv ({str(exc).splitlines()[0]}).",
                path=str(path),
            ) from None
        df = ActivityCells.of_text(grid)
    df.rename(_unique([str(c).strip() for c in df.columns]))
    lang = _language(list(df.columns))
    if lang is None:
        raise LogFormatError(
            f"{path.name}: looks like a Garmin Connect export in a language liftpace does not read yet "
            f"(header starts {', '.join(list(df.columns)[:4])}); expected an English (Activity Type, Date, "
            "Title, Distance, ...) or Danish header. Localized export not supported yet: switch Garmin Connect "
            "to English (Account Settings -> Display Preferences -> Language) and export again.",
            path=str(path),
        )
    return df, lang, broken


def _unique(names: list[str]) -> list[str]:
    """Stripped header names with repeats numbered as pandas numbers them (``Distance``, ``Distance.1``):
    ``Distance`` and ``Distance `` are one name once stripped."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out


def _tolerant(text: str) -> tuple[pd.DataFrame | None, pd.Series]:
    """The export read record by record (a quote left open by a cut-off last row ends at the end of
    the file); rows with the wrong number of fields are marked broken. None when it has no header."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return None, pd.Series(dtype=bool)
    header, data = rows[0], rows[1:]
    width = len(header)
    broken = pd.Series([len(r) != width and any(c.strip() for c in r) for r in data], dtype=bool)
    cells = [(r + [""] * width)[:width] for r in data]
    return pd.DataFrame(cells, columns=header, dtype=str), broken

class _Export:
    """One Garmin export being read: its cells by field (in the file's language) and its problems."""

    def __init__(self, cells: ActivityCells, lang: str, result: FileResult, file: str) -> None:
        self.cells, self.names = cells, HEADERS[lang]
        self.rows = pd.Series(np.arange(len(cells)) + 2, index=cells.index)  # header = row 1
        self.problems = Problems(result, file, rows=self.rows)
        self.col = {f: next((h for h in hs if h in cells.columns), None) for f, hs in self.names.items()}
        self._empty = pd.Series("", index=cells.index)

    def raw(self, field: str) -> pd.Series:
        """The text cells of ``field`` ("" everywhere when the export has no such column)."""
        column = self.col[field]
        return self.cells.text(column) if column else self._empty

    def number(self, field: str) -> tuple[pd.Series, pd.Series]:
        """:func:`garmin_number` of ``field``: the parser's numbers when it typed the column (then no
        cell is bad or missing), else read from the text."""
        column = self.col[field]
        typed = self.cells.number(column) if column else None
        if typed is None:
            return garmin_number(self.raw(field))
        return typed.astype(float), pd.Series(False, index=typed.index, name=column)

    def show(self, mask: pd.Series, field: str, text: str, action: str) -> None:
        """:meth:`problem` showing the field's cells as written (their text read only when there is one)."""
        if mask.any():
            self.problem(mask, field, self.raw(field), text, action)

    def problem(self, mask: pd.Series, field: str, values: pd.Series | None, text: str, action: str) -> None:
        """Problems on the rows of ``mask``, naming the column as the file spells it."""
        self.problems.add_where(mask, self.col[field] or self.names[field][0], values, text, action)

    def drop(self, mask: pd.Series, field: str, text: str, keep: pd.Series) -> pd.Series:
        """A ``dropped`` problem (showing the field's cell) on the rows of ``mask``; ``keep`` without them."""
        self.show(mask, field, text, "dropped")
        return keep & ~mask

    def first(self, keep: pd.Series) -> pd.Series:
        """A mask of the first kept row (for the notes said once per file)."""
        return keep & (self.rows == (self.rows[keep].min() if keep.any() else -1))


def _durations(a: _Export, keep: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Seconds per run (Moving Time, else Time, else Elapsed Time), Time itself, and ``keep``."""
    # the three columns parsed as one: they share most of their distinct cells
    both = pd.concat([a.raw("moving"), a.raw("time"), a.raw("elapsed")], ignore_index=True)
    n = len(a.rows)
    seconds = V.parse_duration(both).value.astype(float).to_numpy()
    moving, timer, elapsed = (pd.Series(seconds[i * n:(i + 1) * n], index=a.rows.index) for i in range(3))
    secs = moving.where(moving > 0, timer.where(timer > 0, elapsed.where(elapsed > 0)))
    no_time = keep & secs.isna()
    a.show(no_time, "time", "no time (expected e.g. 00:45:00)", "dropped")
    keep = keep & ~no_time
    if a.col["moving"]:
        text = "no moving time (Garmin wrote 00:00:00 or --); used Time (else Elapsed Time) instead"
        a.show(keep & ~(moving > 0), "moving", text, "fixed")
    elif keep.any():
        text = "the export has no Moving Time column; durations are Time (timer time)"
        a.problem(keep & (a.rows == a.rows[keep].min()), "moving", None, text, "kept")
    return secs, timer, keep


def _distance_unit(a: _Export, keep: pd.Series, dist: pd.Series, secs: pd.Series, timer: pd.Series,
                   pace: pd.Series, options: Options) -> str:
    """``"km"`` or ``"mi"``: the option, else the data's evidence, else km; a ``kept`` note says why."""
    unit, why = distance_unit_evidence(
        dist[keep],
        secs[keep],
        steps=a.number("steps")[0][keep],
        stride_m=a.number("stride")[0][keep],
        cadence_spm=a.number("cadence")[0][keep],
        time_s=timer[keep],
        pace_s=pace[keep],
    )
    first = a.first(keep)
    if options.distance_unit:
        if unit and unit != options.distance_unit:
            text = f"distances read as {options.distance_unit} as asked, but {why}"
            a.problem(first, "distance", None, text, "kept")
        return options.distance_unit
    if unit is None:
        text = (
            f"the file does not say km or miles ({why}); read as km. If the Garmin "
            "account uses miles, pass distance_unit='mi' (--distance-unit mi)"
        )
        a.problem(first, "distance", None, text, "kept")
        return "km"
    if unit == "mi":
        text = (
            f"distances read as miles and converted to km: {why}. Pass "
            "distance_unit='km' (--distance-unit km) if that is wrong"
        )
        a.problem(first, "distance", None, text, "kept")
    return unit


def _read(path: Path, sniff: Sniff, options: Options) -> FileResult:
    return read_garmin_csv(path, options)


# priority 31: tried and listed after Strava (both read activity CSVs with an Activity Type column)
register(Reader(name="garmin_activities", label=LABEL, detect=_is_garmin, read=_read, priority=31))

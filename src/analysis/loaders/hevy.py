"""Hevy CSV export (Profile -> Settings -> Export & Import Data -> Export workouts).

Header: ``title, start_time, end_time, description, exercise_title, superset_id,
exercise_notes, set_index, set_type, weight_kg | weight_lbs, reps, distance_km |
distance_miles, duration_seconds, rpe`` (the weight and distance units are set separately in
the app, so any pairing occurs).

Reading rules
-------------
* Dates ``7 Apr 2026, 10:14`` (local, no zone). Month names are read in English, German and
  French (``25 Juli 2026, 14:21``, ``3 févr. 2026, 09:05``); a month name in another language
  drops the row with a problem naming row, column and value (export with the app in English).
  12-hour times (``10:14 PM``) and ISO dates are read too.
* Workouts come newest first; rows are re-sorted oldest first (stable, so sets keep their order
  within a workout). ``set_index`` (0-based, counting warm-ups) is not used:
  :mod:`~analysis.loaders.finalize` numbers sets in order of performance.
* ``set_type``: ``warmup`` is a warm-up; ``normal``, ``failure`` and ``dropset`` are working sets.
* ``weight_kg`` is rounded to 0.01 kg (weights typed in pounds come out as ``11.34``);
  ``weight_lbs`` is rounded to 0.1 lb, then converted. An empty weight is 0 (bodyweight).
  Assisted exercises (``Pull Up (Assisted)``): the weight is the assistance, so the load is 0
  (never negative, which would subtract from volume) and one ``kept`` problem says so.
* ``duration_seconds`` of 0 (written on strength rows by some exports) means no duration; a
  set with only a duration is a hold (reps NA).
* ``exercise_notes`` (on every row of the exercise) is where a side is written (``Left leg``,
  ``L``, ``left side``); :mod:`~analysis.loaders.finalize` reads it.
* Cardio rows (Running, Treadmill, Cycling ... or a distance on a non-catalog exercise) are
  skipped and counted as ``cardio in a strength export``. ``description``, ``superset_id`` and
  ``end_time`` are not used; multi-line descriptions are one row each (read with a CSV parser).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.apps import SKIP_CARDIO, AppCsv, header_names, is_cardio, per_unique, to_kg
from analysis.loaders.base import FileResult, Options, Reader, Sniff, register

#: Month names and abbreviations (accents removed, lower case) -> month number.
MONTHS: dict[str, int] = {
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    **{m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )},
    "sept": 9,
    # German
    **{m: i + 1 for i, m in enumerate(
        "januar februar marz april mai juni juli august september oktober november dezember".split()
    )},
    "mrz": 3, "okt": 10, "dez": 12,
    # French
    **{m: i + 1 for i, m in enumerate(
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split()
    )},
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7,
}  # fmt: skip

_DATE_RE = re.compile(
    r"^(?P<day>[0-9]{1,2})\.?\s+(?P<mon>[^\W\d_]+)\.?\s+(?P<year>[0-9]{4}),?\s+"
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?$",
    re.I,
)
_SET_TYPES = {"normal": False, "warmup": True, "failure": False, "dropset": False}


def _month_key(token: str) -> str:
    text = unicodedata.normalize("NFKD", token.strip().lower().rstrip("."))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def parse_hevy_dates(raw: pd.Series) -> V.Parsed:
    """Parse Hevy ``start_time`` cells (``7 Apr 2026, 10:14``) to local datetimes.

    Returns a :class:`~analysis.loaders.values.Parsed` whose ``bad``/``reason`` name cells
    that could not be read (an unknown month name, an impossible date, another layout).

    Examples
    --------
    >>> p = parse_hevy_dates(pd.Series(["7 Apr 2026, 10:14", "25 Juli 2026, 14:21", "3 julio 2026, 9:00"]))
    >>> p.value.dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2026-04-07 10:14', '2026-07-25 14:21', nan]
    >>> p.bad.tolist()
    [False, False, True]
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)  # workouts repeat on every row
    p = _parse_dates(pd.Series(uniques, dtype=object))

    def back(s: pd.Series, dtype: str | None = None) -> pd.Series:
        return pd.Series(s.to_numpy()[codes], index=raw.index, dtype=dtype)

    return V.Parsed(
        back(p.value), back(p.bad, "bool"), back(p.fixed, "bool"), back(p.reason, "string")
    )


def _parse_dates(raw: pd.Series) -> V.Parsed:
    text = raw.astype("string").str.strip()
    parts = text.str.extract(_DATE_RE)
    months = {t: MONTHS.get(_month_key(t)) for t in parts["mon"].dropna().unique()}
    month = parts["mon"].map(months, na_action="ignore").astype("Float64")
    hour = pd.to_numeric(parts["hour"]).astype("Float64")
    ampm = parts["ampm"].str.lower().str[0]
    hour = hour.mask(ampm.eq("p").fillna(False) & (hour < 12), hour + 12)
    hour = hour.mask(ampm.eq("a").fillna(False) & (hour == 12), 0)
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(parts["year"]),
            "month": month.astype(float),
            "day": pd.to_numeric(parts["day"]),
            "hour": hour.astype(float),
            "minute": pd.to_numeric(parts["minute"]),
            "second": pd.to_numeric(parts["second"]).fillna(0),
        }
    )
    ok = frame.notna().all(axis=1)
    value = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if ok.any():
        value[ok] = pd.to_datetime(frame[ok], errors="coerce").astype("datetime64[us]")
    other = parts["day"].isna() & text.notna() & (text != "")
    if other.any():  # ISO dates; a UTC offset (Z, +02:00) is dropped: the time is read as written
        value[other] = V.wall_times(text[other], format="ISO8601")
    blank = text.isna() | (text == "")
    bad = value.isna() & ~blank
    reason = pd.Series(pd.NA, index=raw.index, dtype="string")
    reason[bad] = "not a Hevy date (expected e.g. 7 Apr 2026, 10:14)"
    unknown = bad & parts["mon"].notna() & month.isna()
    reason[unknown] = (
        "month name '" + parts.loc[unknown, "mon"].astype(str) + "' not recognised: liftpace "
        "reads English, German and French month names (set the Hevy app to English and export again)"
    )
    impossible = bad & ok
    reason[impossible] = "no such date (day out of range for the month)"
    return V.Parsed(value, bad, pd.Series(False, index=raw.index), reason)


def _detect(sniff: Sniff) -> bool:
    names = header_names(sniff)
    return {"title", "start_time", "exercise_title", "set_type"} <= names and bool(
        names & {"weight_kg", "weight_lbs"}
    )


def read_hevy(path: Path, sniff: Sniff, options: Options) -> FileResult:
    """Read a Hevy CSV export into pre-sets (see the module docstring for the rules)."""
    app = AppCsv(path, "Hevy (CSV export)", options)
    app.check_width()
    exercise = app.col("exercise_title")
    d_col = "distance_km" if app.has("distance_km") else "distance_miles"
    dist = app.number(app.col(d_col), d_col, what="distance", bad_action="kept")
    app.skip(is_cardio(exercise, dist), SKIP_CARDIO)

    raw_date = app.col("start_time")
    dates = parse_hevy_dates(raw_date)
    app.note_parsed(dates, raw_date, "start_time")
    app.problem((raw_date == "") & app.alive, "start_time", None, "no date", "dropped")
    app.problem(exercise == "", "exercise_title", None, "no exercise name", "dropped")

    w_col = "weight_kg" if app.has("weight_kg") else "weight_lbs"
    raw_w = app.col(w_col)
    weight = app.number(raw_w, w_col, what="weight")
    in_lb = pd.Series(w_col == "weight_lbs", index=raw_w.index)
    load = app.loads(to_kg(weight, in_lb, kg_decimals=2), raw_w, w_col, exercise)

    raw_reps = app.col("reps")
    reps = app.reps(raw_reps, "reps")
    seconds = app.positive(
        app.col("duration_seconds"), "duration_seconds", what="number of seconds"
    )
    distance_m = (dist.where(dist > 0) * (1000.0 if d_col == "distance_km" else 1609.344)).round(3)
    reps = app.zero_reps(reps, load, seconds, distance_m, raw_reps, "reps")
    app.no_work(reps, seconds, distance_m, raw_reps, "reps", exercise)

    set_type = per_unique(
        app.col("set_type"), lambda t: _SET_TYPES.get(t.lower(), None if t else False)
    )
    why = "set type not recognised (expected normal, warmup, failure or dropset); read as a working set"
    app.problem(set_type.isna(), "set_type", app.col("set_type"), why, "kept")
    return app.finish(
        {
            C.DATE: dates.value,
            C.EXERCISE_RAW: exercise,
            C.REPS: reps.astype(C.SETS[C.REPS]),
            C.LOAD_KG: load.astype("Float64"),
            C.DURATION_S: seconds.astype("Float64"),
            C.DISTANCE_M: distance_m.astype("Float64"),
            C.RPE: app.rpe(app.col("rpe"), "rpe").astype("Float64"),
            C.WARMUP: set_type.fillna(False).astype(bool),
            "notes": app.col("exercise_notes").replace("", pd.NA).astype("string"),
        },
        sort_by_date=True,
    )


register(
    Reader(name="hevy", label="Hevy (CSV export)", detect=_detect, read=read_hevy, priority=25)
)

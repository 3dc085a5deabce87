"""Fitbod ``WorkoutExport.csv`` (Log -> Settings -> Export workout data).

The helpers the strength-app readers share are in :mod:`analysis.loaders.apps`.

Variants (detected by the header, never by the file name)
--------------------------------------------------------
2020 on
    ``Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,
    multiplier``; nothing quoted, a blank before ``Reps`` and ``multiplier`` values (`` 8``,
    `` 2.0``), no final newline, blank lines between workouts in long exports.
2019
    ``Date,Exercise,Sets,Reps,Weight,isWarmup,Note`` with a date only and ``TRUE``/empty warm-ups.

Reading rules
-------------
* ``Date`` (``2021-01-17 22:14:35 +0000``) is the workout's start in UTC, the same on every set of
  a workout: it is converted to local time with ``timezone`` (default the machine's zone, named
  once in ``problems``), so a late-evening workout keeps its local day. A date without a zone
  (2019 export) is read as written.
* Workouts come newest first; rows are re-sorted oldest first (stable: sets keep their order).
* ``isWarmup`` ``true`` marks a warm-up set (excluded from working sets).
* ``Weight(kg)`` is always kg, also for a pounds account: Fitbod converts pounds with 2.20462 lb/kg
  (``45.35929094356398`` is 100 lb), so a weight that is a whole half-pound that way is read as
  pounds and converted exactly (45.359 kg). ``multiplier`` (2 for a pair of dumbbells or a
  one-side move, 4 for both) is not applied: the load is what one implement weighs, as in
  Strong and Hevy. Bodyweight sets have 0.
* A set with 0 reps and a ``Duration(s)`` is a hold (reps NA); a duration on a set with reps is
  the set's time. A set with 0 reps, no time or distance but a load is a missed attempt: kept
  with 0 reps and a ``kept`` problem (every app reader does the same).
* Cardio (Running, Cycling, Walking, Stair Stepper ... or a distance on an exercise not in the
  catalog) is counted as skipped ``cardio in a strength export``.
* ``Note`` is repeated on every set of the exercise; a side written in it (``left knee ok`` on a
  single-leg exercise) is read by :mod:`~analysis.loaders.finalize`. ``Note`` is never quoted, so
  a note with a comma gives a row with extra fields: they are joined back into ``Note``
  (``fixed``). ``Incline`` and ``Resistance`` are always 0 and not used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.apps import SKIP_CARDIO, AppCsv, header_names, is_cardio, per_unique
from analysis.loaders.base import FileResult, Options, Reader, Sniff, register
from analysis.loaders.runs_common import note_zone, resolve_zone, utc_to_local

__all__ = ["read_fitbod"]

LABEL = "Fitbod (WorkoutExport.csv)"
#: Fitbod's own pounds-to-kg factor (lb per kg).
FITBOD_LB_PER_KG = 2.20462
_CURRENT = {"date", "exercise", "reps", "iswarmup", "multiplier"}
_LEGACY = {"date", "exercise", "sets", "reps", "weight", "iswarmup", "note"}
_TRUE = frozenset({"true", "yes", "1"})


def _variant(names: set[str]) -> str | None:
    if _CURRENT <= names and any(n.startswith("weight") for n in names):
        return "workout export"
    if _LEGACY <= names:
        return "2019 workout export"
    return None


def _detect(sniff: Sniff) -> bool:
    return sniff.text is not None and _variant(header_names(sniff)) is not None


def fitbod_kg(weight: pd.Series) -> pd.Series:
    """Fitbod weights in kg, with pound entries (converted by Fitbod at 2.20462 lb/kg) made exact.

    Examples
    --------
    >>> fitbod_kg(pd.Series([45.35929094356398, 62.5, 0.0])).round(4).tolist()
    [45.3592, 62.5, 0.0]
    """
    lb = weight * FITBOD_LB_PER_KG
    half_lb = (lb * 2).round() / 2
    from_lb = ((lb - half_lb).abs() < 1e-6) & ((weight * 4 - (weight * 4).round()).abs() > 1e-9)
    return weight.where(~from_lb, half_lb * V.LB_TO_KG).round(6)


def _local_dates(app: AppCsv, options: Options) -> pd.Series:
    """Workout starts as local datetimes: UTC ``+0000`` stamps converted, dates without a zone as written."""
    raw = app.col("date")
    aware = pd.to_datetime(raw, format="%Y-%m-%d %H:%M:%S %z", errors="coerce", utc=True)
    value = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    zoned = aware.notna()
    if zoned.any():
        zone, zone_name, from_machine = resolve_zone(options.timezone)
        value[zoned] = utc_to_local(aware[zoned], zone)
        first = zoned & app.alive
        if from_machine and first.any():
            note_zone(app.problems, source_row=int(app.rows[first].iloc[0]), column="Date", zone_name=zone_name)
    slow = ~zoned & (raw != "")
    if slow.any():
        p, note = V.parse_dates(raw[slow], dayfirst=app.options.dayfirst)
        app.note_parsed(p, raw[slow], "Date")
        value[slow] = p.value
        if note:
            app.problem(app.rows == app.rows[slow].min(), "Date", None, note, "kept")
    app.problem((raw == "") & app.alive, "Date", None, "no date", "dropped")
    return value


def read_fitbod(path: Path, sniff: Sniff, options: Options) -> FileResult:
    """Read a Fitbod ``WorkoutExport.csv`` into pre-sets (see the module docstring for the rules)."""
    variant = _variant(header_names(sniff)) or "workout export"
    app = AppCsv(path, f"Fitbod ({variant})", options)
    note_pos = next((i for i, h in enumerate(app.header) if h.strip().lower() == "note"), None)
    if note_pos is not None:
        app.rejoin_surplus(note_pos, "Note")
    app.check_width()
    exercise = app.col("exercise")
    d_col = next((h for h in ("distance(m)", "distance") if app.has(h)), "distance(m)")
    dist = app.number(app.col(d_col), "Distance(m)", what="distance", bad_action="kept")
    app.skip(is_cardio(exercise, dist), SKIP_CARDIO)

    dates = _local_dates(app, options)
    app.problem(exercise == "", "Exercise", None, "no exercise name", "dropped")

    w_col = next((h for h in app.header if h.lower().startswith("weight")), "Weight(kg)")
    raw_w = app.col(w_col.lower())
    weight = app.number(raw_w, w_col, what="weight")
    in_lb = "lb" in w_col.lower() or (options.weight_unit == "lb" and "kg" not in w_col.lower())
    kg = weight * V.LB_TO_KG if in_lb else fitbod_kg(weight)
    load = app.loads(kg, raw_w, w_col, exercise)

    raw_reps = app.col("reps")
    reps = app.reps(raw_reps, "Reps")
    seconds = app.positive(app.col("duration(s)"), "Duration(s)", what="number of seconds")
    distance_m = dist.where(dist > 0).round(3)
    reps = app.zero_reps(reps, load, seconds, distance_m, raw_reps, "Reps")
    app.no_work(reps, seconds, distance_m, raw_reps, "Reps", exercise)

    if app.has("sets"):  # 2019: one row per set, Sets always 1; more sets are not expanded
        sets = app.number(app.col("sets"), "Sets", what="set count", bad_action="kept")
        why = "Sets above 1 on a Fitbod row; read as one set"
        app.problem(sets.fillna(1) > 1, "Sets", app.col("sets"), why, "kept")
    warm = per_unique(app.col("iswarmup"), lambda t: t.strip().lower() in _TRUE).astype(bool)
    return app.finish(
        {
            C.DATE: dates,
            C.EXERCISE_RAW: exercise,
            C.REPS: reps.astype(C.SETS[C.REPS]),
            C.LOAD_KG: load.astype("Float64"),
            C.DURATION_S: seconds.astype("Float64"),
            C.DISTANCE_M: distance_m.astype("Float64"),
            C.WARMUP: warm,
            "notes": app.col("note").replace("", pd.NA).astype("string"),
        },
        sort_by_date=True,
    )


register(Reader(name="fitbod", label=LABEL, detect=_detect, read=read_fitbod, priority=26))


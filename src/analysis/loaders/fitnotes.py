"""FitNotes (Android) CSV export (Settings -> Spreadsheet Export -> Workout Data).

Variants (detected by the header)
---------------------------------
current
    ``Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment``;
    the unit on every row (``kgs``/``lbs``), ``Comment`` always quoted.
2025, no comment
    The same without ``Comment``.
legacy (up to 2020)
    ``Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time`` (or
    ``Weight (kgs)``): the unit in the header.

Reading rules
-------------
* FitNotes does not quote exercise names, so a name with a comma
  (``Overhead Press (Each Side, Dumbbells)``) gives a row with extra fields. The fields after
  ``Exercise`` are anchored at the right-hand end, so the surplus is joined back into
  ``Exercise`` and reported as ``fixed`` with its row and column.
* An empty weight is 0 (bodyweight; FitNotes writes ``0.0`` for bodyweight sets). Pounds are
  rounded to 0.1 lb, then converted to kg. Assisted exercises: load 0 and a ``kept`` problem.
* ``Time`` (``0:00:45``, hours not padded) is the set's duration; a set with a time and no reps
  is a hold (reps NA). ``Distance`` on a catalog exercise is kept as ``distance_m``.
* Category ``Cardio``, a cardio exercise name, or a distance on a non-catalog exercise: the row
  is counted as skipped ``cardio in a strength export``.
* ``Comment`` is the per-set comment: ``warm up`` (also ``warmup``, ``wu``) marks a warm-up; a
  side (``L``, ``R``, ``left``) is read by :mod:`~analysis.loaders.finalize`.
* No time of day and no set number: sets are numbered in file order (the order logged).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.apps import SKIP_CARDIO, AppCsv, header_names, is_cardio, per_unique, to_kg
from analysis.loaders.base import FileResult, Options, Reader, Sniff, register

_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
_DIST_M = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "mile": 1609.344,
    "miles": 1609.344,
    "ft": 0.3048,
    "yd": 0.9144,
}
_BASE = {"date", "exercise", "category", "reps", "distance", "distance unit", "time"}
_WARMUP = re.compile(r"\bwarm[\s-]?ups?\b|\bwarmups?\b|^w/?u$", re.I)


def _variant(names: set[str]) -> str | None:
    if not _BASE <= names:
        return None
    if "weight unit" in names and "weight" in names:
        return "current export" if "comment" in names else "2025 export, no comment column"
    if "weight (lbs)" in names or "weight (kgs)" in names:
        return "legacy export"
    return None


def _detect(sniff: Sniff) -> bool:
    return sniff.text is not None and _variant(header_names(sniff)) is not None


def _clock_seconds(cells: pd.Series) -> pd.Series:
    """Seconds of ``h:mm:ss`` cells; NaN for any other cell (read by :func:`values.parse_duration`)."""
    return pd.to_timedelta(cells.where(cells.str.count(":") == 2), errors="coerce").dt.total_seconds()


def read_fitnotes(path: Path, sniff: Sniff, options: Options) -> FileResult:
    """Read a FitNotes CSV export into pre-sets (see the module docstring for the rules)."""
    variant = _variant(header_names(sniff)) or "current export"
    app = AppCsv(path, f"FitNotes ({variant})", options)
    app.rejoin_surplus(1, "Exercise")
    app.check_width()
    exercise = app.col("exercise")
    dist = app.number(app.col("distance"), "Distance", what="distance", bad_action="kept")
    cardio = per_unique(app.col("category"), lambda c: c.lower() == "cardio").astype(bool)
    app.skip(cardio | is_cardio(exercise, dist), SKIP_CARDIO)

    dates = app.dates(app.col("date"), "Date", "%Y-%m-%d")
    app.problem(exercise == "", "Exercise", None, "no exercise name", "dropped")

    if app.has("weight"):
        w_name, raw_u = "Weight", per_unique(app.col("weight unit"), str.lower)
    else:
        w_name = "Weight (lbs)" if app.has("weight (lbs)") else "Weight (kgs)"
        raw_u = pd.Series(w_name[-4:-1], index=exercise.index)
    raw_w = app.col(w_name.lower())
    weight = app.number(raw_w, w_name, what="weight")
    weighted = weight.fillna(0) != 0
    bad_u = (raw_u != "") & ~raw_u.isin(list(_UNITS)) & weighted
    why = "not a weight unit (expected kgs or lbs)"
    app.problem(bad_u, "Weight Unit", app.col("weight unit"), why, "dropped")
    if options.weight_unit is None and ((raw_u == "") & weighted & app.alive).any():
        app.note_unit_assumed("Weight Unit")
    unit = raw_u.map(_UNITS).fillna(options.weight_unit or "kg")
    load = app.loads(to_kg(weight, unit == "lb"), raw_w, w_name, exercise)

    raw_reps = app.col("reps")
    reps = app.reps(raw_reps, "Reps")
    raw_time = app.col("time")
    seconds = V.per_cell(app.coded(raw_time), _clock_seconds).rename(raw_time.name)  # per distinct time
    slow = seconds.isna() & (raw_time != "")
    if slow.any():  # "45s", "1:30" or text
        dur = V.parse_duration(raw_time[slow])
        app.note_parsed(dur, raw_time[slow], "Time", bad_action="kept")
        seconds[slow] = dur.value.astype(float)
    seconds = seconds.where(seconds > 0)
    per_m = per_unique(app.col("distance unit"), lambda u: _DIST_M.get(u.lower(), 1.0)).astype(
        float
    )
    distance_m = (dist.where(dist > 0) * per_m).round(3)
    reps = app.zero_reps(reps, load, seconds, distance_m, raw_reps, "Reps")
    app.no_work(reps, seconds, distance_m, raw_reps, "Reps", exercise)

    comment = app.col("comment")
    warmup = per_unique(comment, lambda c: bool(_WARMUP.search(c))).astype(bool)
    return app.finish(
        {
            C.DATE: dates,
            C.EXERCISE_RAW: exercise,
            C.REPS: reps.astype(C.SETS[C.REPS]),
            C.LOAD_KG: load.astype("Float64"),
            C.DURATION_S: seconds.astype("Float64"),
            C.DISTANCE_M: distance_m.astype("Float64"),
            C.WARMUP: warmup,
            "notes": comment.replace("", pd.NA).astype("string"),
        }
    )


register(
    Reader(
        name="fitnotes",
        label="FitNotes (CSV export)",
        detect=_detect,
        read=read_fitnotes,
        priority=30,
    )
)

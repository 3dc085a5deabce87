"""Strong (iOS/Android) CSV exports.

The helpers the strength-app readers share are in :mod:`analysis.loaders.apps`.

Variants (detected by the header, never by the file name)
--------------------------------------------------------
classic
    ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,
    Workout Notes,RPE``; comma-separated, no unit anywhere (the account unit).
classic without notes
    The same without ``Notes``/``Workout Notes`` (2024-2025 exports).
"Workout #"
    ``"Workout #";"Date";...;"Weight (kg)";...;"Distance (meters)";...``; every field quoted,
    usually ``;``; the unit is in the header (``Weight (lbs)``, ``Distance (miles)``).
2019-2020 semicolon
    ``Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;...;Distance Unit;...``
    with the unit on every row (``kg``/``lbs``, ``mi.``/``km``); some end with ``Workout Duration``.
2016-2017
    ``Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes``: the unit is the
    column's name (``kg`` or ``lbs``, ``km`` or ``miles``) and ``Set Order`` starts at 0.
another language
    The app writes its column names in the phone's language (exercise names stay English).
    Read by name: French (``Nom de l'exercice``, ``Poids``, ``Réps``, ``Ordre de la série``;
    seen in a real export) and Portuguese (``Nome do exercício``, ``Peso``, ``Ordem da série``;
    from a reader written against a real export). Any other language (Chinese ``日期,锻炼名称,
    时长,运动名称,...`` was reported) is read by position when the file has the classic export's
    12 or 10 columns and its rows look like Strong's (an ISO date and time first, a set number
    or letter fifth); a ``kept`` problem says so. The localized duration (``1h 2min``) is not
    used, as in English.

Reading rules
-------------
* ``Set Order``: ``W`` is a warm-up (``A``, *aquecimento*, in a Portuguese export); numbers,
  ``D`` (drop set) and ``F`` (failure) are working sets; ``Rest Timer`` rows are not sets
  (counted as skipped ``rest timer``).
* Weight: the header or row unit, else ``weight_unit``, else kg with one ``kept`` problem.
  Pounds are rounded to 0.1 lb before conversion (Strong stores kg, so pounds come out as
  ``149.99999999999997``). An empty weight is 0 (bodyweight). Assisted exercises (name
  containing "assist"): the weight is the assistance, so load is 0 and one ``kept`` problem says
  so.
* Reps ``10.0`` are read as 10, a half rep ``7.5`` as 7.5. A set with 0 reps and ``Seconds`` > 0
  is a hold: reps NA, ``duration_s`` = Seconds; 0 reps with a weight and nothing else is a missed
  attempt, kept with 0 reps and a ``kept`` problem.
* Cardio (a cardio exercise name such as Running, Cycling, Treadmill or Rowing, or a distance on
  an exercise that is not in the catalog) is counted as skipped ``cardio in a strength export``;
  a distance on a catalog exercise (walking lunge) is kept as ``distance_m``.
* ``Notes`` is written on the first row of each exercise block only: it is carried down within
  the (workout, exercise) block, then a side written in it (``Left leg``) is read by
  :mod:`~analysis.loaders.finalize`, as is a side in a custom name (``... (Left)``).
* ``Duration`` / ``Duration (sec)`` is the workout's length, not a set's: it is not used.
  ``Workout Notes`` and ``Workout #`` are not used either.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis import columns as C
from analysis.loaders.apps import (
    SKIP_CARDIO,
    SKIP_REST,
    AppCsv,
    header_names,
    is_cardio,
    per_unique,
    to_kg,
)
from analysis.loaders.base import FileResult, Options, Reader, Sniff, register

# --- Strong ------------------------------------------------------------------------------------

_CLASSIC = {"date", "workout name", "exercise name", "set order", "weight", "reps", "seconds"}
_NUMBERED = {"workout #", "date", "exercise name", "set order", "reps", "seconds"}
_UNIT_COLUMNS = {"date", "workout name", "exercise name", "set order", "reps", "seconds"}
#: Localized column names (lower case) -> the English ones. French: a real export
#: (2023); Portuguese: a reader written against a real export; Chinese: the first four, reported.
TRANSLATIONS: dict[str, str] = {
    # French
    "nom de l'entraînement": "workout name", "durée": "duration", "nom de l'exercice": "exercise name",
    "ordre de la série": "set order", "poids": "weight", "réps": "reps", "secondes": "seconds",
    "notes d'entraînement": "workout notes",
    # Portuguese (Brazil)
    "data": "date", "nome do treino": "workout name", "duração": "duration",
    "nome do exercício": "exercise name", "ordem da série": "set order", "peso": "weight",
    "distância": "distance", "segundos": "seconds", "notas": "notes", "notas do treino": "workout notes",
    # Chinese (simplified)
    "日期": "date", "锻炼名称": "workout name", "时长": "duration", "运动名称": "exercise name",
}  # fmt: skip
#: The classic export's columns in order (12 with notes, 10 without): what a header in a language
#: liftpace does not know is read as, by position.
CLASSIC_ORDER = ("date", "workout name", "duration", "exercise name", "set order", "weight", "reps",
                 "distance", "seconds", "notes", "workout notes", "rpe")
NO_NOTES_ORDER = (*CLASSIC_ORDER[:9], "rpe")
_ROW_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}(?::\d{2})?$")
_LANGUAGES = {"nom de l'exercice": "French", "nome do exercício": "Portuguese", "运动名称": "Chinese"}
_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
_DIST_M = {
    "m": 1.0,
    "meters": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "miles": 1609.344,
    "ft": 0.3048,
    "yd": 0.9144,
}


def _variant(names: set[str]) -> str | None:
    if "exercise name" not in names or "set order" not in names:
        return None
    if _NUMBERED <= names and any(n.startswith("weight (") for n in names):
        return "Workout # export"
    if "weight unit" in names and {"date", "exercise name", "weight", "reps"} <= names:
        return "2019-2020 semicolon export"
    if _CLASSIC <= names:
        return "classic CSV export" if "notes" in names else "classic CSV export, no notes columns"
    if _UNIT_COLUMNS <= names and names & {"kg", "lbs"}:
        return "2016-2017 export"
    return None


def _translated(names: list[str]) -> list[str]:
    return [TRANSLATIONS.get(n.strip().lower(), n.strip().lower()) for n in names]


def _by_position(sniff: Sniff) -> tuple[str, ...] | None:
    """The classic column order for a header liftpace cannot read, when the rows are shaped like Strong's."""
    header = sniff.header or []
    order = {12: CLASSIC_ORDER, 10: NO_NOTES_ORDER}.get(len(header))
    if order is None or sniff.text is None or sniff.delimiter != ",":
        return None
    try:
        rows = list(csv.reader(io.StringIO(sniff.text[:16384], newline="")))[1:6]
    except csv.Error:
        return None
    rows = [r for r in rows if len(r) == len(header)]
    if not rows or len(rows) < min(2, len(sniff.text.splitlines()) - 1):
        return None
    shaped = all(_ROW_SHAPE.match(r[0].strip()) and _marker(r[4]) != "other" for r in rows)
    numeric = all(re.fullmatch(r"-?\d*(?:[.,]\d+)?", r[i].strip()) for r in rows for i in (5, 6, 7, 8))
    return order if shaped and numeric else None


def _names(sniff: Sniff) -> set[str]:
    return set(_translated(list(header_names(sniff))))


def _detect(sniff: Sniff) -> bool:
    if sniff.text is None:
        return False
    return _variant(_names(sniff)) is not None or _by_position(sniff) is not None


def _language(sniff: Sniff) -> str | None:
    names = header_names(sniff)
    return next((lang for word, lang in _LANGUAGES.items() if word in names), None)


def _header_unit(app: AppCsv, field: str) -> tuple[str | None, str | None]:
    """(column name, unit) of ``Weight (kg)`` / ``Distance (meters)`` headers, or of a column named
    by its unit alone (``kg``, ``lbs``, ``km``, ``miles``: the 2016-2017 export)."""
    for h in app.header:
        m = re.fullmatch(rf"{field}\s*\((?P<unit>[^)]*)\)", h.strip(), re.I)
        if m:
            return h, m.group("unit").strip().lower().rstrip(".")
    bare = {"weight": ("kg", "lbs"), "distance": ("km", "miles")}[field]
    for h in app.header:
        if h.strip().lower() in bare:
            return h, h.strip().lower()
    return None, None


def read_strong(path: Path, sniff: Sniff, options: Options) -> FileResult:
    """Read a Strong CSV export (any variant in the module docstring) into pre-sets."""
    variant = _variant(_names(sniff))
    position = None if variant is not None else _by_position(sniff)
    language = _language(sniff)
    label = variant or "classic CSV export"
    if position is not None:
        label += ", header in another language read by position"
    elif language is not None:
        label += f", {language} header"
    app = AppCsv(path, f"Strong ({label})", options)
    written = list(app.header)
    app.rename(list(position) if position is not None else _translated(app.header))
    if position is not None:
        why = (f"the header ({', '.join(written[:4])}, ...) is in a language liftpace does not know; its "
               "columns were read by their place in Strong's export (Date, Workout Name, Duration, Exercise "
               "Name, Set Order, Weight, Reps, ...): check a few rows")
        app.problems.add([1], None, None, why, "kept")
    app.check_width()
    exercise, set_order = app.col("exercise name"), app.col("set order")
    marker = per_unique(set_order, _marker)
    app.skip(marker == "rest", SKIP_REST)
    w_col, w_unit = _header_unit(app, "weight")
    d_col, d_unit = _header_unit(app, "distance")
    d_name = d_col or app.label("distance")
    dist = app.number(app.col("distance" if d_col is None else d_col.lower()), d_name, what="distance",
                      bad_action="kept")
    app.skip(is_cardio(exercise, dist), SKIP_CARDIO)

    dates = app.dates(app.col("date"), app.label("date"), "%Y-%m-%d %H:%M:%S")
    app.problem(exercise == "", app.label("exercise name"), None, "no exercise name", "dropped")

    # weight unit: header > row > option > kg with a note
    w_name = w_col or app.label("weight")
    raw_w = app.col("weight" if w_col is None else w_col.lower())
    weight = app.number(raw_w, w_name, what="weight")
    default = options.weight_unit or "kg"
    if w_unit is not None:
        unit = pd.Series(_UNITS.get(w_unit, default), index=raw_w.index)
    elif app.has("weight unit"):
        raw_u = per_unique(app.col("weight unit"), lambda u: u.lower().rstrip("."))
        unit = raw_u.map(_UNITS).fillna(default)
        bad_u = (raw_u != "") & ~raw_u.isin(list(_UNITS)) & (weight.fillna(0) != 0)
        why = "not a weight unit (expected kg or lbs)"
        app.problem(bad_u, "Weight Unit", app.col("weight unit"), why, "dropped")
        if (
            options.weight_unit is None
            and ((raw_u == "") & (weight.fillna(0) != 0) & app.alive).any()
        ):
            app.note_unit_assumed("Weight Unit")
    else:
        unit = pd.Series(default, index=raw_w.index)
        if options.weight_unit is None and ((weight.fillna(0) != 0) & app.alive).any():
            app.note_unit_assumed(w_name)
    load = app.loads(to_kg(weight, unit == "lb"), raw_w, w_name, exercise)

    raw_reps = app.col("reps")
    reps = app.reps(raw_reps, app.label("reps"))
    seconds = app.positive(app.col("seconds"), app.label("seconds"), what="number of seconds")
    if d_unit is not None:
        per_m = pd.Series(_DIST_M.get(d_unit, 1.0), index=dist.index)
    elif app.has("distance unit"):
        per_m = per_unique(
            app.col("distance unit"), lambda u: _DIST_M.get(u.lower().rstrip("."), 1000.0)
        )
    else:
        per_m = pd.Series(_DIST_M[options.distance_unit or "km"], index=dist.index)
    distance_m = (dist.where(dist > 0) * per_m.astype(float)).round(3)
    reps = app.zero_reps(reps, load, seconds, distance_m, raw_reps, app.label("reps"))
    app.no_work(reps, seconds, distance_m, raw_reps, app.label("reps"), exercise)
    if language == "Portuguese":  # "A" (aquecimento) is the Portuguese warm-up letter
        marker = marker.mask(set_order.str.strip().str.upper() == "A", "warmup")
    why = "set marker not recognised (expected a number, W, D or F); read as a working set"
    app.problem(marker == "other", app.label("set order"), set_order, why, "kept")

    # the exercise note is written on the first row of each block: carry it down the block
    workout = app.col("workout name")
    block = (
        (exercise != exercise.shift()) | (dates != dates.shift()) | (workout != workout.shift())
    ).cumsum()
    notes = app.col("notes").replace("", pd.NA).groupby(block).ffill()
    return app.finish(
        {
            C.DATE: dates,
            C.EXERCISE_RAW: exercise,
            C.REPS: reps.astype(C.SETS[C.REPS]),
            C.LOAD_KG: load.astype("Float64"),
            C.DURATION_S: seconds.astype("Float64"),
            C.DISTANCE_M: distance_m.astype("Float64"),
            C.RPE: app.rpe(app.col("rpe"), app.label("rpe")).astype("Float64"),
            C.WARMUP: marker == "warmup",
            "notes": notes.astype("string"),
        }
    )


def _marker(text: str) -> str:
    """``Set Order`` -> ``working``, ``warmup``, ``rest`` or ``other``."""
    low = text.strip().lower()
    if low == "w":
        return "warmup"
    if low == "rest timer":
        return "rest"
    if low in ("", "d", "f") or re.fullmatch(r"[0-9]+(?:\.0+)?", low):
        return "working"
    return "other"


register(
    Reader(
        name="strong",
        label="Strong (CSV export)",
        detect=_detect,
        read=read_strong,
        priority=20,
    )
)

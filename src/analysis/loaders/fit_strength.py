"""Strength sets in FIT activity files: Garmin's ``set`` messages (watch strength activities).

A Garmin watch records a strength activity (session sport ``training``, sub-sport
``strength_training``) as alternating *active* and *rest* ``set`` messages. Each active set has
``repetitions``, ``weight`` (kg, 1/16 kg resolution; absent for bodyweight), ``duration`` (s),
``start_time`` (UTC) and the watch's guess of the exercise: ``category`` (the
``exercise_category`` enum: 28 = squat, 17 = lunge ...) and ``category_subtype`` (an index into
``<category>_exercise_name``: squat 2 = ``back_squats``). Real files store both as arrays of
candidates, which fitdecode 0.11 returns as tuples of raw ints; the first candidate is the
watch's choice, mapped here from fitdecode's copy of the FIT profile.

What each set gets
------------------
exercise_raw
    The exercise's name from the profile in words (``Back Squats``, ``Barbell Hip Thrust With
    Bench``), else the category's (``Squat``). The watch's guess is all a FIT file holds: a name
    corrected in Garmin Connect is not written back to it, so each exercise gets one ``kept``
    problem asking to check it.
date
    ``start_time``, local like the file's runs (the watch's zone, or ``timezone``).
reps, load_kg, duration_s
    ``repetitions``; ``weight`` (0 when absent: bodyweight); ``duration`` (s). A set with no reps
    and a duration is a hold; 0 reps with a load a missed attempt (kept, as in every reader).
warmup
    True for the ``warm_up`` category.
source_row
    The set's ``message_index`` + 1 (its place among the file's set messages, rests included).

Rest sets are counted as skipped ``rest between sets``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.base import FileResult, Options, Problems
from analysis.loaders.runs_common import note_zone, resolve_zone, utc_to_local

__all__ = ["SKIP_REST_SET", "exercise_guess", "strength_sets"]

SKIP_REST_SET = "rest between sets"
_INVALID = (65534, 65535, None)
WATCH_GUESS = ("exercise as the watch guessed it (FIT {what}) on {n} {sets}: a FIT file keeps the watch's guess, "
               "not a name corrected in Garmin Connect; check it")


def _first(value: Any) -> Any:
    """The watch's choice: the first valid candidate of an array field (fitdecode gives a tuple)."""
    if isinstance(value, (tuple, list)):
        valid = [v for v in value if v not in _INVALID]
        return valid[0] if valid else None
    return None if value in _INVALID else value


def exercise_guess(category: Any, subtype: Any) -> tuple[str, str]:
    """``(name in words, "category/subtype")`` of a set's raw category and subtype.

    Examples
    --------
    >>> exercise_guess((28, 28, 28), (2, 2, 2))
    ('Back Squats', 'squat/back_squats')
    >>> exercise_guess(17, None)
    ('Lunge', 'lunge')
    >>> exercise_guess(31, 5)
    ('Warm Up (Arm Circles)', 'warm_up/arm_circles')
    >>> exercise_guess((65534,), None)
    ('Unknown exercise', 'unknown')
    """
    from fitdecode import profile

    cat = _first(category)
    if isinstance(cat, int):
        cat = profile.FIELD_TYPES["exercise_category"].enum.get(cat, f"category {cat}")
    if cat is None or cat == "unknown":
        return "Unknown exercise", "unknown"
    sub = _first(subtype)
    names = profile.FIELD_TYPES.get(f"{cat}_exercise_name")
    name = names.enum.get(sub) if names is not None and isinstance(sub, int) else None
    if name is None:
        return str(cat).replace("_", " ").capitalize(), str(cat)
    words = str(name).replace("_", " ").title()
    if cat == "warm_up":  # the catalog's warm-up, with the watch's own name kept
        words = f"Warm Up ({words})"
    return words, f"{cat}/{name}"


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("nan")


def strength_sets(sets: list[dict], path_name: str, athlete: str, options: Options,
                  watch_offset: dt.timedelta | None, result: FileResult, problems: Problems) -> pd.DataFrame | None:
    """Pre-sets from a FIT file's ``set`` messages (None when it has no active set)."""
    active, rest = [], 0
    for i, msg in enumerate(sets):
        kind = str(msg.get("set_type") or "active")
        if kind == "rest":
            rest += 1
            continue
        row = int(msg["message_index"]) + 1 if isinstance(msg.get("message_index"), int) else i + 1
        name, what = exercise_guess(msg.get("category"), msg.get("category_subtype"))
        active.append({"row": row, "start": msg.get("start_time") or msg.get("timestamp"), "name": name, "what": what,
                       "reps": _num(msg.get("repetitions")), "kg": _num(msg.get("weight")),
                       "secs": _num(msg.get("duration")), "warm": what.startswith("warm_up")})
    result.rows_read += len(sets)
    if rest:
        result.skipped[SKIP_REST_SET] += rest
    if not active:
        return None
    frame = pd.DataFrame(active)
    starts = pd.to_datetime(frame["start"], utc=True)
    no_time = starts.isna()
    if no_time.any():
        problems.add(frame.loc[no_time, "row"].astype("Int64"), "start_time", None, "set without a time", "dropped")
        frame, starts = frame[~no_time], starts[~no_time]
    if frame.empty:
        return None
    if watch_offset is not None and not options.timezone:
        local = (starts.dt.tz_localize(None) + watch_offset).astype("datetime64[us]")
    else:
        zone, zone_name, from_machine = resolve_zone(options.timezone)
        local = utc_to_local(starts, zone)
        if from_machine:
            note_zone(problems, source_row=int(frame["row"].iloc[0]), column="start_time", zone_name=zone_name)
    reps, kg, secs = frame["reps"], frame["kg"].fillna(0.0), frame["secs"].where(frame["secs"] > 0)
    hold = reps.isna() | ((reps == 0) & (kg <= 0))
    missed = (reps == 0) & (kg > 0)
    no_work = hold & secs.isna()
    if no_work.any():
        problems.add(frame.loc[no_work, "row"].astype("Int64"), "repetitions", None,
                     "no reps, time or distance on this set", "dropped")
    if missed.any():
        problems.add(frame.loc[missed, "row"].astype("Int64"), "repetitions", "0", V.MISSED_ATTEMPT, "kept")
    keep = ~no_work
    for (name, what), grp in frame[keep].groupby(["name", "what"], sort=False):
        n = len(grp)
        problems.add([int(grp["row"].iloc[0])], "category", name,
                     WATCH_GUESS.format(what=what, n=n, sets="set" if n == 1 else "sets"), "kept")
    out = pd.DataFrame(
        {
            C.ATHLETE: athlete,
            C.DATE: local[keep].to_numpy(),
            C.EXERCISE_RAW: frame.loc[keep, "name"].to_numpy(),
            C.SIDE: pd.array([pd.NA] * int(keep.sum()), dtype="string"),
            C.REPS: pd.array(reps.where(~hold)[keep].to_numpy(), dtype=C.SETS[C.REPS]),
            C.LOAD_KG: pd.array(kg[keep].round(3).to_numpy(), dtype="Float64"),
            C.DURATION_S: pd.array(secs[keep].to_numpy(), dtype="Float64"),
            C.WARMUP: frame.loc[keep, "warm"].to_numpy(dtype=bool),
            C.SOURCE_FILE: path_name,
            C.SOURCE_SHEET: None,
            C.SOURCE_ROW: pd.array(frame.loc[keep, "row"].to_numpy(), dtype="Int64"),
        }
    )
    return out.reset_index(drop=True)

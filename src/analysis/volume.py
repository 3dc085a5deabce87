"""Training volume: sessions, sets, reps, volume load, hold time.

Sessions-per-week adherence, on the same sessions and weeks: :mod:`analysis.frequency`.

Definitions (used by every function here and by :mod:`analysis.workload`)
--------------------------------------------------------------------------
Session
    One (athlete, date): all sets an athlete logged on one calendar day, warm-ups included.
Week
    ISO week, Monday start (:mod:`analysis.periods`).
Working set
    A set that is not a warm-up (``warmup`` False; NA counts as a working set).
Set count and sides
    Each logged row is a set of its side. A *pair* – a ``left`` and a ``right`` row of the same
    athlete, date, exercise, ``set_index`` and warm-up flag – is ONE set of the exercise in every
    set count (``sets``, ``working_sets``, ``hard_sets``, ``rpe_sets``): 3 × 8 Bulgarian split
    squats per leg are 3 sets, not 6. A side row without its partner is one set. With
    ``by="side"`` each side is counted on its own row, so a pair is one left set and one right
    set, and the sides add up to more sets than the exercise.
Hard set
    A working set with RPE ≥ ``hard_rpe`` (default 7, i.e. about 3 reps in reserve), where RPE
    is logged; a pair is hard when either side is. ``rpe_sets`` counts the working sets with an
    RPE, so ``hard_sets`` is read against it (Baz-Valle et al., JSCR 2021;35(3):870–878; the
    cut-off is a convention, ``reference/domain.md`` §3).
Hold
    A set of an exercise with load type ``time`` (plank, wall sit), or a set with ``duration_s``
    and no reps. Holds add their seconds to ``hold_s`` and nothing to reps or kg.
Reps
    Σ reps of working sets that are not holds. Unilateral reps are per side, so both sides
    add up (a pair of 8 + 8 is 16 reps).
Volume load (tonnage)
    Σ reps × load over working sets that are not holds (McBride et al., JSCR
    2009;23(1):106–110), in kg. Unilateral tonnage counts both sides (L + R). ``load_kg`` is the
    external load (bar-only, not system mass). A set with unknown load (NA) adds its reps but no
    kg.
Bodyweight set
    A set of a ``bodyweight`` load-type exercise, or a set at 0 kg of an ``external`` one. Its
    reps are ``bodyweight_reps``. When the athlete's bodyweight is known (the latest
    ``bodyweight_kg`` measured on or before the set date), its load is
    ``load_kg + bodyweight_kg × bodyweight_fraction`` (fraction from the catalog; no addition
    when the exercise has none); that added part is also reported as ``bodyweight_volume_kg``.
    Without a known bodyweight it adds reps and sets but 0 kg.
Muscle
    The catalog's ``;``-separated primary muscles. With ``by="muscle"`` a set counts fully for
    each of its primary muscles (a back squat set is one quadriceps set, one glutes set and one
    adductors set), so muscles add up to more than the total. Exercises not in the catalog are
    grouped as pattern and muscle ``other``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis._engine.defaults import HARD_RPE
from analysis._engine.prepared import Prepared, bodyweight_at, prepare, sorted_codes
from analysis._engine.stats import stable_group_order
from analysis.catalog import attach_info
from analysis.columns import (
    ATHLETE,
    BODYWEIGHT_REPS,
    BODYWEIGHT_VOLUME_KG,
    DATE,
    DURATION_S,
    EXERCISE,
    EXERCISES,
    HARD_SETS,
    HOLD_S,
    LOAD_KG,
    MUSCLE,
    PATTERN,
    REPS,
    RPE,
    RPE_SETS,
    SESSIONS,
    SET_INDEX,
    SETS_N,
    SIDE,
    VOLUME_LOAD_KG,
    WARMUP,
    WEEK_START,
    WORKING_SETS,
    float_values,
    require_columns,
)
from analysis.periods import day_number, days_to_datetime, monday_of, parse_day

#: Columns of ``sets`` that the volume functions read.
VOLUME_INPUT = (ATHLETE, DATE, EXERCISE, SIDE, SET_INDEX, REPS, LOAD_KG, DURATION_S, RPE, WARMUP)
#: Measures of :func:`weekly_volume` and :func:`session_summary`, in output order.
MEASURES = (
    SETS_N,
    WORKING_SETS,
    HARD_SETS,
    RPE_SETS,
    REPS,
    VOLUME_LOAD_KG,
    BODYWEIGHT_VOLUME_KG,
    HOLD_S,
    BODYWEIGHT_REPS,
)
_COUNTS = (SESSIONS, EXERCISES, SETS_N, WORKING_SETS, HARD_SETS, RPE_SETS, REPS, BODYWEIGHT_REPS)
_BY = (None, EXERCISE, PATTERN, MUSCLE, SIDE)
_BW_HINT = "Pass a bodyweight frame such as log.bodyweight (athlete, date, bodyweight_kg)."



def _position(values: np.ndarray, value: str) -> int:
    hits = np.flatnonzero(values == value)
    return int(hits[0]) if hits.size else -2


def _check_hard_rpe(hard_rpe: Any) -> float:
    ok = isinstance(hard_rpe, int | float | np.number) and not isinstance(hard_rpe, bool)
    if not ok or not 1 <= hard_rpe <= 10:
        raise ValueError(f"hard_rpe must be a number from 1 to 10, got {hard_rpe!r} instead.")
    return float(hard_rpe)


def _exercise_info(
    exercises: np.ndarray,
    ex: np.ndarray,
    sided: np.ndarray,
    loaded: np.ndarray,
    timed: np.ndarray,
    catalog: pd.DataFrame | None,
) -> pd.DataFrame:
    """Catalog attributes per exercise code (row i = ``exercises[i]``), unknown ones inferred."""
    n = exercises.size
    any_sided, any_loaded, any_timed = (np.bincount(ex, weights=w, minlength=n) > 0 for w in (sided, loaded, timed))
    if catalog is not None:
        return _infer_info(exercises, any_sided, any_loaded, any_timed, catalog)
    # the built-in catalog never changes: the same exercises and flags give the same frame
    # (a reassessment asks twice, by pattern and by exercise; each call gets its own copy)
    key = (tuple(exercises.tolist()), any_sided.tobytes(), any_loaded.tobytes(), any_timed.tobytes())
    return _builtin_info(key).copy()


@lru_cache(maxsize=64)
def _builtin_info(key: tuple[tuple[Any, ...], bytes, bytes, bytes]) -> pd.DataFrame:
    exercises, sided, loaded, timed = key
    return _infer_info(np.asarray(exercises, dtype=object), np.frombuffer(sided, dtype=bool),
                       np.frombuffer(loaded, dtype=bool), np.frombuffer(timed, dtype=bool), None)  # fmt: skip


def _infer_info(exercises: np.ndarray, sided: np.ndarray, loaded: np.ndarray, timed: np.ndarray,
                catalog: pd.DataFrame | None) -> pd.DataFrame:  # fmt: skip
    """:func:`_exercise_info` from each exercise's flags: any sided, loaded or timed row."""
    probe = pd.DataFrame(
        {
            EXERCISE: pd.array(exercises, dtype="string"),
            SIDE: np.where(sided, "left", "both"),
            LOAD_KG: np.where(loaded, 1.0, 0.0),
            DURATION_S: np.where(timed, 1.0, np.nan),
        }
    )
    info = attach_info(probe, catalog=catalog)
    info["muscles"] = info["muscles"].fillna("").astype(str)
    info.loc[info["muscles"].str.strip(" ;") == "", "muscles"] = "other"
    return info


def _pair_order(keys: list[np.ndarray]) -> np.ndarray:
    """Row order sorting by ``keys`` (last = primary), via one int64 key when it fits."""
    if keys[0].size == 0:
        return np.array([], dtype="int64")
    spans = [int(k.max()) - int(k.min()) + 1 for k in keys]
    if np.prod(np.array(spans, dtype=float)) >= 2.0**62:
        return np.lexsort(keys)
    combined = np.zeros(keys[0].size, dtype="int64")
    for k, span in zip(reversed(keys), reversed(spans), strict=True):
        combined = combined * span + (k - k.min()).astype("int64")
    return stable_group_order(combined)


def _pair_runs(
    keys: tuple[np.ndarray, ...], rows: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray]:
    """Order of ``rows`` sorting by ``keys[rows]`` (first = primary) then ``last``.

    Also returns the sorted keys as one int64 per row (equal for rows equal on every key), or
    None when they do not fit in one int64 (then the order comes from ``np.lexsort``).
    """
    if rows.size == 0:
        return np.array([], dtype="int64"), np.array([], dtype="int64")
    lows, spans = [], []
    for k in keys:  # one key at a time: the gathered copies are large
        values = k[rows]
        lows.append(int(values.min()))
        spans.append(int(values.max()) - lows[-1] + 1)
    if np.prod(np.array(spans, dtype=float)) * 2 >= 2.0**62:
        columns = [
            np.asarray(last, "int64"),
            *(np.asarray(k[rows], "int64") for k in reversed(keys)),
        ]
        return None, _pair_order(columns)
    combined = np.zeros(rows.size, dtype="int64")
    for k, low, span in zip(keys, lows, spans, strict=True):
        combined *= span
        combined += np.asarray(k[rows], dtype="int64")
        combined -= low
    order = stable_group_order(combined * 2 + last)
    return combined[order], order


_Probe = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _probe_rows(prep: Prepared, keep: np.ndarray, ex, sd, sides) -> _Probe:
    """(exercise code, sided, loaded, timed) of the kept rows, for :func:`_exercise_info`."""
    rows = np.flatnonzero(keep)
    sided = np.isin(sides, ["left", "right"])[sd[rows]]
    load, duration = prep.floats(LOAD_KG)[rows], prep.floats(DURATION_S)[rows]
    return ex[rows], sided, np.nan_to_num(load) > 0, ~np.isnan(duration)


def _prepare(
    prep: Prepared,
    *,
    func: str,
    bodyweight: pd.DataFrame | None,
    hard_rpe: float,
    pair_sides: bool,
    catalog: pd.DataFrame | None,
    since_day: int | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray], pd.DataFrame]:
    """Per-row integer keys and per-row contributions to every measure (see module docstring).

    ``prep`` holds the shared codes, day numbers and float columns (:mod:`analysis._sessions`).
    ``since_day`` keeps the rows of that day number and later only (whole ISO weeks when it is
    a Monday); the catalog inference of unknown exercises still reads every row.
    """
    sets = prep.sets
    require_columns(sets, VOLUME_INPUT, func=func)
    hard_rpe = _check_hard_rpe(hard_rpe)
    day, valid = prep.days(func)
    (a, athletes), (ex, exercises), (sd, sides) = (
        (codes, uniques.to_numpy(dtype=object))
        for codes, uniques in (prep.codes(c) for c in (ATHLETE, EXERCISE, SIDE))
    )
    if (sd < 0).any():  # a missing side is a bilateral set
        if "both" not in sides:
            sides = np.sort(np.append(sides, "both"))
            sd = pd.Index(sides).get_indexer(sets[SIDE].astype(object))
        sd = np.where(sd < 0, _position(sides, "both"), sd)  # a new array: prep's is shared
    keep = valid & (a >= 0) & (ex >= 0)
    probe: _Probe | None = None  # unknown exercises are inferred from every row
    if since_day is not None:
        probe = _probe_rows(prep, keep, ex, sd, sides)
        keep = keep & (day >= since_day)
    every = bool(keep.all())
    rows = np.flatnonzero(keep)

    def take(values: np.ndarray) -> np.ndarray:  # the kept rows (shared arrays: read only)
        return values if every else values[rows]

    a, day, ex, sd = take(a), take(day), take(ex), take(sd)
    reps = take(prep.floats(REPS))
    load = take(prep.floats(LOAD_KG))
    duration = take(prep.floats(DURATION_S))
    rpe = take(prep.floats(RPE))
    set_index = take(prep.floats(SET_INDEX))
    warmup = take(prep.warmup())
    is_left = sd == _position(sides, "left")
    is_right = sd == _position(sides, "right")
    if probe is None:
        probe = (ex, is_left | is_right, np.nan_to_num(load) > 0, ~np.isnan(duration))
    info = _exercise_info(exercises, *probe, catalog)
    load_type = info["load_type"].to_numpy(dtype=object)
    is_time, is_bw, is_ext = (
        (load_type == kind)[ex] for kind in ("time", "bodyweight", "external")
    )

    # Pair a left row with the right row of the same athlete, day, exercise, set_index, warm-up.
    second = np.zeros(rows.size, dtype=bool)  # the right row of a pair: adds no set
    unit_rpe = rpe.copy()
    if pair_sides:
        cand = np.flatnonzero((is_left | is_right) & ~np.isnan(set_index))
        keys = (a, day, ex, set_index, warmup)
        unit, order = _pair_runs(keys, cand, is_right[cand])
        prev, cur = cand[order[:-1]], cand[order[1:]]
        del order
        match = is_left[prev] & is_right[cur]
        if unit is None:  # keys too wide for one int64: compare them one by one
            for k in (a, day, ex, set_index, warmup):
                match &= k[prev] == k[cur]
        else:
            match &= unit[:-1] == unit[1:]
        second[cur[match]] = True
        unit_rpe[prev[match]] = np.fmax(rpe[prev[match]], rpe[cur[match]])
        del cand, unit, prev, cur, match  # 1M-row logs: free the pairing arrays now

    first = ~second
    working = ~warmup
    hold = is_time | (np.isnan(reps) & ~np.isnan(duration))
    lifted = working & ~hold
    reps0 = np.where(lifted, np.nan_to_num(reps), 0.0)
    bw_set = is_bw | (is_ext & (load == 0))
    bw_add = np.zeros(rows.size)
    if bodyweight is not None:
        fraction = float_values(info["bodyweight_fraction"])[ex]
        need = np.flatnonzero(bw_set & lifted & ~np.isnan(fraction))
        if need.size:
            bw = bodyweight_at(bodyweight, athletes, a[need], day[need], func)
            bw_add[need] = np.nan_to_num(bw) * fraction[need]
    contrib = {  # set counts as booleans: a group's sum counts them (8x less memory)
        SETS_N: first,
        WORKING_SETS: first & working,
        HARD_SETS: first & working & (unit_rpe >= hard_rpe),
        RPE_SETS: first & working & ~np.isnan(unit_rpe),
        REPS: reps0,
        VOLUME_LOAD_KG: _times(reps0, np.nan_to_num(load) + bw_add),
        BODYWEIGHT_VOLUME_KG: reps0 * bw_add,
        HOLD_S: np.where(working & hold, np.nan_to_num(duration), 0.0),
        BODYWEIGHT_REPS: np.where(bw_set, reps0, 0.0),
    }
    frame = pd.DataFrame({"a": a, "day": day, "ex": ex, "sd": sd, **contrib}, copy=False)
    labels = {"athletes": athletes, "exercises": exercises, "sides": sides}
    return frame, labels, info


def _sums(frame: pd.DataFrame, keys: list[str], measures: list[str], *, sort: bool = False,
          size: str | None = None) -> pd.DataFrame:  # fmt: skip
    """``frame.groupby(keys, sort=sort)[measures].sum().reset_index()`` on integer keys, with the
    group sizes first as column ``size`` when it is given.

    The keys are folded into one int64 first (same groups, in the same order: first appearance,
    or sorted, as the keys sort; same sums): pandas then factorizes one column instead of three
    (faster, less memory, and no MultiIndex, which costs ~2 ms on a small frame).
    """
    columns = [frame[k].to_numpy() for k in keys]
    lows = [int(c.min()) if c.size else 0 for c in columns]
    spans = [int(c.max()) - low + 1 if c.size else 1 for c, low in zip(columns, lows, strict=True)]
    if not frame.size or np.prod(np.array(spans, dtype=float)) >= 2.0**62:
        grouped = frame.groupby(keys, sort=sort)
        out = grouped[measures].sum()
        if size is not None:
            out.insert(0, size, grouped.size())
        return out.reset_index()
    combined = np.zeros(len(frame), dtype=np.int64)
    for column, low, span in zip(columns, lows, spans, strict=True):
        combined *= span
        combined += column
        combined -= low
    grouped = frame[measures].groupby(combined, sort=sort)
    sums = grouped.sum()
    if size is not None:
        sums.insert(0, size, grouped.size())
    rest = sums.index.to_numpy(dtype=np.int64)
    decoded = {}
    for key, low, span in zip(keys[::-1], lows[::-1], spans[::-1], strict=True):
        decoded[key] = rest % span + low
        rest = rest // span
    out = pd.DataFrame({k: decoded[k] for k in keys})
    return pd.concat([out, sums.reset_index(drop=True)], axis=1)


def _times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a * b`` written into ``b`` (a temporary of the caller): one large array less."""
    return np.multiply(a, b, out=b)


def _finish(keys: dict[str, Any], measures: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(keys)
    for name in measures.columns:
        values = measures[name].to_numpy()
        if name in _COUNTS:
            out[name] = pd.array(np.rint(values).astype("int64"), dtype="Int64")
        else:
            out[name] = pd.array(values, dtype="Float64")
    return out


def _by_key(cells: pd.DataFrame, by: str, info: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Re-key (athlete, day, exercise) cells to pattern or muscle; a set counts for each muscle."""
    if by == PATTERN:
        codes, names = sorted_codes(info["pattern"].fillna("other"))
        return cells.assign(k=codes[cells["ex"].to_numpy()]), names
    pairs = info["muscles"].str.split(";").explode().str.strip().rename("m").reset_index()
    pairs = pairs[pairs["m"] != ""].drop_duplicates()  # one row per (exercise, muscle)
    codes, names = sorted_codes(pairs["m"])
    owner = pairs["index"].to_numpy()  # exercise code of each pair, in exercise order
    counts = np.bincount(owner, minlength=len(info))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ex = cells["ex"].to_numpy()
    take = np.repeat(np.arange(len(cells)), counts[ex])
    within = np.arange(take.size) - np.repeat(np.cumsum(counts[ex]) - counts[ex], counts[ex])
    exploded = cells.iloc[take].reset_index(drop=True)
    return exploded.assign(k=codes[starts[ex[take]] + within]), names


def weekly_volume(
    sets: pd.DataFrame,
    *,
    by: Literal["exercise", "pattern", "muscle", "side"] | None = None,
    bodyweight: pd.DataFrame | None = None,
    hard_rpe: float = HARD_RPE,
    catalog: pd.DataFrame | None = None,
    start=None,
) -> pd.DataFrame:
    """Weekly training volume per athlete, optionally by exercise, pattern, muscle or side.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (``athlete, date, exercise, side, set_index, reps, load_kg,
        duration_s, rpe, warmup`` are read). Rows without athlete, date or exercise are ignored.
    by : {None, "exercise", "pattern", "muscle", "side"}, default=None
        Extra grouping key; None gives one row per athlete and week.
    bodyweight : DataFrame, default=None
        ``athlete, date, bodyweight_kg``; adds body mass × fraction to bodyweight sets.
    hard_rpe : float, default=7.0
        RPE at or above which a working set is hard.
    catalog : DataFrame, default=None
        Exercise catalog (:func:`analysis.catalog.load_catalog`); the built-in one when None.
    start : date-like, default=None
        Leave out the ISO weeks before the week holding this day.

    Returns
    -------
    DataFrame
        One row per athlete, ISO week (and ``by`` value) with at least one logged set, sorted
        by those keys. Weeks without sets are absent (see :func:`adherence` for zero weeks).

        - ``athlete`` (string), ``week_start`` (datetime64[us], Monday)
        - the ``by`` column (string) named ``exercise``, ``pattern``, ``muscle`` or ``side``
        - ``sessions`` (Int64): sessions with a set in the group
        - ``sets``, ``working_sets``, ``hard_sets``, ``rpe_sets`` (Int64): set counts, a
          left–right pair counting once
        - ``reps`` (Int64): working reps, both sides added
        - ``volume_load_kg`` (Float64, kg): Σ reps × load, both sides added
        - ``bodyweight_volume_kg`` (Float64, kg): part of ``volume_load_kg`` from body mass
        - ``hold_s`` (Float64, s): working hold time
        - ``bodyweight_reps`` (Int64): working reps of bodyweight sets

    Raises
    ------
    MissingColumnsError
        If ``sets`` (or ``bodyweight``) lacks a column it needs.
    TypeError
        If a date column is not datetime64.
    ValueError
        If ``by`` or ``hard_rpe`` is not an accepted value.

    Notes
    -----
    Session, working set, set counting of left–right pairs, hard set, hold, reps, volume load
    (McBride et al. 2009; both sides counted), bodyweight set and muscle are defined in the
    module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({
    ...     "athlete": "ann", "date": pd.to_datetime(["2024-03-04"] * 3),
    ...     "exercise": ["back_squat", "bulgarian_split_squat", "bulgarian_split_squat"],
    ...     "side": ["both", "left", "right"], "set_index": 1, "reps": [5, 8, 8],
    ...     "load_kg": [100.0, 20.0, 20.0], "duration_s": None, "rpe": [8.0, None, 7.0],
    ...     "warmup": False})
    >>> weekly_volume(sets)[["sets", "hard_sets", "reps", "volume_load_kg"]].values.tolist()
    [[2, 2, 21, 820.0]]
    """
    if by not in _BY:
        raise ValueError(
            f"by must be one of None, 'exercise', 'pattern', 'muscle' or 'side', got {by!r} instead."
        )
    since_day = None
    if start is not None:
        since_day = int(monday_of(np.int64(day_number(parse_day(start, "start", func="weekly_volume")))))
    frame, labels, info = _prepare(
        prepare(sets),
        func="weekly_volume",
        bodyweight=bodyweight,
        hard_rpe=hard_rpe,
        pair_sides=by != SIDE,
        catalog=catalog,
        since_day=since_day,
    )
    measures = list(MEASURES)
    if by in (None, EXERCISE, SIDE):
        key = {None: [], EXERCISE: ["ex"], SIDE: ["sd"]}[by]
        daily = _sums(frame, ["a", "day", *key], measures)
        daily = daily.rename(columns={"ex": "k", "sd": "k"}) if key else daily.assign(k=0)
        names = {None: None, EXERCISE: labels["exercises"], SIDE: labels["sides"]}[by]
    else:
        cells = _sums(frame, ["a", "day", "ex"], measures)
        keyed, names = _by_key(cells, by, info)
        daily = _sums(keyed, ["a", "day", "k"], measures)
    daily["week"] = monday_of(daily["day"].to_numpy())
    weekly = _sums(daily, ["a", "week", "k"], measures, sort=True, size=SESSIONS)
    keys: dict[str, Any] = {
        ATHLETE: pd.array(labels["athletes"][weekly["a"].to_numpy(dtype=np.int64)], dtype="string"),
        WEEK_START: days_to_datetime(weekly["week"].to_numpy(dtype=np.int64)),
    }
    if by is not None and names is not None:
        keys[by] = pd.array(names[weekly["k"].to_numpy(dtype=np.int64)], dtype="string")
    return _finish(keys, weekly[[SESSIONS, *measures]])


def session_summary(
    sets: pd.DataFrame,
    *,
    bodyweight: pd.DataFrame | None = None,
    hard_rpe: float = HARD_RPE,
    catalog: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Volume of each session (one athlete, one date).

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (columns as for :func:`weekly_volume`).
    bodyweight : DataFrame, default=None
        ``athlete, date, bodyweight_kg``; adds body mass × fraction to bodyweight sets.
    hard_rpe : float, default=7.0
        RPE at or above which a working set is hard.
    catalog : DataFrame, default=None
        Exercise catalog; the built-in one when None.

    Returns
    -------
    DataFrame
        One row per session, sorted by athlete and date:

        - ``athlete`` (string), ``date`` (datetime64[us], the day), ``week_start``
          (datetime64[us])
        - ``exercises`` (Int64): distinct exercises logged
        - ``sets``, ``working_sets``, ``hard_sets``, ``rpe_sets``, ``reps``,
          ``volume_load_kg``, ``bodyweight_volume_kg``, ``hold_s``, ``bodyweight_reps``: as in
          :func:`weekly_volume`.

    Raises
    ------
    MissingColumnsError
        If ``sets`` (or ``bodyweight``) lacks a column it needs.
    TypeError
        If a date column is not datetime64.
    ValueError
        If ``hard_rpe`` is out of range.

    Notes
    -----
    Definitions in the module docstring; a left–right pair is one set.

    Examples
    --------
    >>> sets = pd.DataFrame({
    ...     "athlete": "ann", "date": pd.to_datetime(["2024-03-04", "2024-03-04", "2024-03-07"]),
    ...     "exercise": ["back_squat", "back_squat", "plank"], "side": "both",
    ...     "set_index": [1, 2, 1], "reps": [5, 5, None], "load_kg": [60.0, 100.0, 0.0],
    ...     "duration_s": [None, None, 45.0], "rpe": None, "warmup": [True, False, False]})
    >>> session_summary(sets)[["sets", "working_sets", "volume_load_kg", "hold_s"]].values.tolist()
    [[2, 1, 500.0, 0.0], [1, 1, 0.0, 45.0]]
    """
    frame, labels, _ = _prepare(
        prepare(sets),
        func="session_summary",
        bodyweight=bodyweight,
        hard_rpe=hard_rpe,
        pair_sides=True,
        catalog=catalog,
    )
    measures = list(MEASURES)
    cells = _sums(frame, ["a", "day", "ex"], measures)
    grouped = cells.groupby(["a", "day"], sort=True)
    per_session = grouped[measures].agg("sum")
    per_session.insert(0, EXERCISES, grouped.size())
    a = per_session.index.get_level_values("a")
    day = per_session.index.get_level_values("day").to_numpy()
    keys = {
        ATHLETE: pd.array(labels["athletes"][a], dtype="string"),
        DATE: days_to_datetime(day),
        WEEK_START: days_to_datetime(monday_of(day)),
    }
    return _finish(keys, per_session.reset_index(drop=True))

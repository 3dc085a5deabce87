"""Verdicts: one status per lift and side, from the log's own progress signals.

Definitions
-----------
Progress
    What runners are told progress is ("progress volume or weight every 2-3 weeks"): more
    load, more reps at a load, more sets, longer holds, or a higher e1RM. Each is a
    *dimension* of a lift's sessions (:mod:`analysis._engine.progress`): the session's top
    load, the median reps of its sets at that load, its working sets, its longest hold, and
    its best e1RM.
Like with like
    Heavy and light days of one lift (rep counts at least 1.5 times apart, alternating) are
    two session types; e1RMs are compared within a type, loads within a type and rep count
    (a heavier load lifted fewer times is a new rep scheme, not more load), reps within a load.
One e1RM method per lift
    The RTS RPE chart when every set of the lift that can give an estimate has an RPE, else
    the formula (Epley by default), for every session: a chart estimate and a formula
    estimate are never compared.
Deload
    A week whose top load falls to 85 % or less of the two weeks before (or whose sets fall to
    60 % or less), followed within two weeks by a return to 95 % of the load, for at least half
    of the athlete's lifts trained that week; or a week given in ``deload_weeks``. Deload
    sessions are left out of block means and of the progress clock, and pause the clock.
Block change
    Per dimension: the current block's mean minus the previous block's, like with like (the
    weighted mean of within-type differences), with a 95 % CI from the pooled within-block SD
    (so the CI shrinks with n). With fewer than 4 residual degrees of freedom the SD is never
    below a prior (3 % of the e1RM, 1 rep, half a set, 8 % of a hold). A change is *clear*
    when its CI excludes 0 and it is at least one step of the log: one plate step (the lift's
    smallest load difference), one rep, one set, one hold step, or for the e1RM the e1RM of one
    plate step or one rep at the lift's typical set, whichever is smaller.
Progress clock
    A session's score orders what it did the way runners progress: load, then reps at that
    load, then sets at that load and reps (holds: hold, then sets). Its *level* is the median
    score of the last three sessions of its type; a *new best* is a level above every earlier
    level of the lift and type (a single good day is not enough: it needs a second one).
    ``last_progress`` is the day of the last new best (the first session when there was none);
    ``weeks_since_progress`` counts from there to ``end``, deload weeks not counted.
Status
    ``not enough data``: fewer than ``min_sessions`` sessions in the current block, or in the
    previous one (a lift new this block is too new to judge). ``regressing``: the lift's main measure
    (e1RM, reps for bodyweight lifts, hold for timed ones) clearly lower than in the previous
    block. ``progressing``: any dimension clearly higher. ``stalled``: no new best for
    ``stall_weeks`` or more while trained at least once a week on average, no clear rise, and
    a trend since the last new best whose 95 % CI stays below one resolution step per
    ``stall_weeks`` (a noisy lift that may well be rising is not called stalled).
    ``holding``: no clear change, not yet a stall.

Nothing here labels injury risk or claims a cause.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.defaults import MAX_REPS, MIN_SESSIONS, STALL_WEEKS
from analysis._engine.e1rm import formula_key
from analysis._engine.options import check_sets, int_option, positive_int, resolve_end_day
from analysis._engine.prepared import prepare
from analysis._engine.progress import (
    PRIOR_CV,
    PRIOR_SD,
    block_change,
    progress_events,
    session_table,
)
from analysis._engine.stats import lexsort2, theil_sen
from analysis.columns import (
    ATHLETE,
    CI_HIGH,
    CI_LOW,
    DURATION_S,
    E1RM_KG,
    EXERCISE,
    LOAD_KG,
    METHOD,
    METRIC,
    NOT_ENOUGH_DATA,
    REPS,
    SIDE,
    STATUS,
)
from analysis.periods import day_number, days_to_datetime, monday_of, parse_day

PROGRESSING, HOLDING, STALLED, REGRESSING = "progressing", "holding", "stalled", "regressing"
LIFT_STATUSES = (PROGRESSING, HOLDING, STALLED, REGRESSING, NOT_ENOUGH_DATA)
#: The dimensions in the order a rise is reported (the main measure comes first).
_DIMENSIONS = ("main", LOAD_KG, "reps_at_load", "sets", DURATION_S)
_MAIN_OF_KIND = {"e1rm": E1RM_KG, "reps": REPS, "hold": DURATION_S}
LIFT_STATUS_COLUMNS = (
    ATHLETE,
    EXERCISE,
    SIDE,
    STATUS,
    METRIC,
    "previous",
    "current",
    "change",
    CI_LOW,
    CI_HIGH,
    "resolution",
    "n_previous",
    "n_current",
    "last_progress",
    "weeks_since_progress",
    "deload_weeks",
    METHOD,
    "evidence",
)


def lift_status(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end: Any = None,
    formula: str = "epley",
    max_reps: int = MAX_REPS,
    stall_weeks: float = STALL_WEEKS,
    min_sessions: int = MIN_SESSIONS,
    deload_weeks: Any = None,
) -> pd.DataFrame:
    """One status per athlete, exercise and side trained in the current block.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (``athlete, date, exercise, side, reps, load_kg, duration_s, rpe,
        warmup`` are read).
    weeks : int, default=4
        Block length in ISO weeks (:mod:`analysis.periods`): the current block against the one
        before it.
    end : date-like, default=None
        Last day of the current block; default the last logged date. Later sets are ignored.
    formula : str, default="epley"
        e1RM equation (:data:`analysis.progression.FORMULAS`).
    max_reps : int, default=12
        No e1RM above this many reps.
    stall_weeks : float, default=3
        Weeks without a new best that make a stall (the "every 2-3 weeks" rule).
    min_sessions : int, default=3
        Fewer sessions in the current block give ``not enough data``.
    deload_weeks : sequence of date-like, default=None
        Weeks known to be deloads (any day of the week), on top of the detected ones.

    Returns
    -------
    DataFrame
        Sorted by ``athlete, exercise, side``: ``athlete``, ``exercise``, ``side``,
        ``status`` (:data:`LIFT_STATUSES`), ``metric`` (what the status was judged on:
        ``e1rm_kg``, ``load_kg``, ``reps``, ``sets`` or ``duration_s``), ``previous``,
        ``current`` (block means, in the metric's unit), ``change`` (current - previous),
        ``ci_low``, ``ci_high`` (95 % CI of the change), ``resolution`` (the smallest change
        the log can show, same unit), ``n_previous``, ``n_current`` (sessions),
        ``last_progress`` (date), ``weeks_since_progress``, ``deload_weeks`` (deload weeks in
        the two blocks), ``method`` (the e1RM method of the lift) and ``evidence`` (one line
        of the numbers behind the status).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Bad ``weeks``, ``end``, ``formula``, ``max_reps``, ``stall_weeks`` or ``min_sessions``.

    Notes
    -----
    Progress, like with like, the e1RM method, deloads, block changes, the progress clock and
    the statuses are defined in the module docstring.

    Examples
    --------
    >>> days = pd.date_range("2026-09-01", periods=24, freq="3D12h").normalize()
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": days, "exercise": "back_squat",
    ...     "side": "both", "reps": 5, "load_kg": 60 + 2.5 * (np.arange(24) // 4),
    ...     "duration_s": np.nan, "rpe": np.nan, "warmup": False})
    >>> lift_status(sets)[["status", "metric", "change", "n_current"]].round(1)
            status   metric  change  n_current
    0  progressing  e1rm_kg     5.8          8
    """
    func = "lift_status"
    check_sets(sets, func, True, (DURATION_S,))
    key = formula_key(formula)
    max_reps = positive_int("max_reps", max_reps)
    weeks = int_option("weeks", weeks, 1, 52)
    min_sessions = int_option("min_sessions", min_sessions, 1, 1000)
    if (
        isinstance(stall_weeks, bool)
        or not isinstance(stall_weeks, int | float)
        or stall_weeks <= 0
    ):
        raise ValueError(
            f"stall_weeks expected a positive number of weeks, got {stall_weeks!r} instead."
        )
    prep = prepare(sets)
    log = prep.log(use_rpe=True, func=func)
    end_day = resolve_end_day(end, log.day[log.keep], func)
    if not log.keep.any():
        return _empty()
    table = session_table(prep, formula=key, max_reps=max_reps, end_day=end_day, func=func)
    f, series = table.frame.copy(), table.series
    if deload_weeks is not None:
        given = [int(monday_of(np.int64(day_number(parse_day(d, "deload_weeks", func=func)))))
                 for d in np.atleast_1d(np.asarray(deload_weeks, dtype=object))]  # fmt: skip
        f["deload"] = f["deload"].to_numpy() | np.isin(_mondays(f["day"].to_numpy()), given)
    if f.empty:
        return _empty()
    return _status_frame(f, series, log, end_day, weeks, stall_weeks, min_sessions)


def _mondays(days: np.ndarray) -> np.ndarray:
    return days - (days + 3) % 7


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in LIFT_STATUS_COLUMNS})


def _status_frame(f, series, log, end_day, weeks, stall_weeks, min_sessions) -> pd.DataFrame:
    n = len(series)
    gi = np.searchsorted(series["g"].to_numpy(), f["g"].to_numpy())
    day = f["day"].to_numpy()
    deload = f["deload"].to_numpy(dtype=bool)
    cur_start = int(monday_of(np.int64(end_day))) - 7 * (weeks - 1)
    prev_start = cur_start - 7 * weeks
    block = np.where(day >= cur_start, 1, np.where(day >= prev_start, 0, -1))
    block = np.where(deload, -1, block)
    trained_now = np.bincount(gi[day >= cur_start], minlength=n) > 0
    kind = f["kind"].to_numpy(dtype=object)
    main_kind = _main_kind(kind, gi, block, n)
    dims = _dimensions(f, gi, block, kind, main_kind, series, n)
    event = progress_events(f)
    first_day = _group_min(day[~deload], gi[~deload], n)
    last_event = _group_max(day[event], gi[event], n)
    last_day = np.where(np.isnan(last_event), first_day, last_event)
    # deload weeks pause the clock: count those after the last new best
    weeks_all = _mondays(day)
    dl = pd.DataFrame({"g": gi[deload], "week": weeks_all[deload]}).drop_duplicates()
    paused = np.bincount(
        dl["g"].to_numpy()[dl["week"].to_numpy() >= np.nan_to_num(last_day)[dl["g"].to_numpy()]],
        minlength=n,
    )
    in_blocks = np.bincount(dl["g"].to_numpy()[dl["week"].to_numpy() >= prev_start], minlength=n)
    since = np.maximum((end_day - last_day) / 7 - paused, 0)
    window = end_day - 7 * (stall_weeks + paused)
    regular = np.bincount(gi[(day > window[gi]) & ~deload], minlength=n) >= stall_weeks
    flat = _flat_since(dims["main"]["value"], f, gi, deload, last_day, n) < (
        dims["main"]["resolution"] / stall_weeks
    )
    n_cur = np.bincount(gi[block == 1], minlength=n)
    n_prev = np.bincount(gi[block == 0], minlength=n)
    clear = np.vstack([dims[d]["clear"] for d in _DIMENSIONS])
    comparable = n_prev >= min_sessions
    rising = (clear == 1) & comparable
    status = np.select(
        [
            n_cur < min_sessions,
            comparable & (clear[0] == -1),
            rising.any(axis=0),
            comparable & (since >= stall_weeks) & regular & flat,
            comparable,
        ],
        [NOT_ENOUGH_DATA, REGRESSING, PROGRESSING, STALLED, HOLDING],
        NOT_ENOUGH_DATA,
    )
    pick = np.where(status == PROGRESSING, np.argmax(rising, axis=0), 0)
    metric = np.array(
        [
            _metric_name(d, k)
            for d, k in zip(np.array(_DIMENSIONS, dtype=object)[pick], main_kind, strict=True)
        ],
        dtype=object,
    )
    chosen = {
        col: np.choose(pick, [dims[d][col] for d in _DIMENSIONS])
        for col in ("previous", "current", "change", "ci_low", "ci_high", "resolution")
    }
    uniques = log.uniques
    out = pd.DataFrame(
        {
            ATHLETE: pd.array(uniques[0].take(series["a"].to_numpy()), dtype="string"),
            EXERCISE: pd.array(uniques[1].take(series["e"].to_numpy()), dtype="string"),
            SIDE: pd.array(uniques[2].take(series["s"].to_numpy()), dtype="string"),
            STATUS: pd.array(status, dtype="string"),
            METRIC: pd.array(metric, dtype="string"),
            **{k: pd.array(v, dtype="Float64") for k, v in chosen.items() if k != "resolution"},
            "resolution": pd.array(chosen["resolution"], dtype="Float64"),
            "n_previous": pd.array(n_prev, dtype="Int64"),
            "n_current": pd.array(n_cur, dtype="Int64"),
            "last_progress": days_to_datetime(
                np.nan_to_num(last_day).astype(np.int64), ~np.isnan(last_day)
            ),
            "weeks_since_progress": pd.array(np.round(since, 1), dtype="Float64"),
            "deload_weeks": pd.array(in_blocks, dtype="Int64"),
            METHOD: pd.array(series["method"].to_numpy(), dtype="string"),
        }
    )
    unknown = ~(comparable | (status != HOLDING))
    for col in ("previous", "change", CI_LOW, CI_HIGH):
        out.loc[(n_prev == 0) | unknown, col] = pd.NA
    out = out[trained_now].reset_index(drop=True)
    out["evidence"] = pd.array(_evidence(out), dtype="string")
    return out.sort_values([ATHLETE, EXERCISE, SIDE], kind="stable").reset_index(drop=True)


def _main_kind(kind, gi, block, n) -> np.ndarray:
    """The series' main measure: the kind of most of its current-block sessions."""
    score = np.zeros((3, n))
    for i, k in enumerate(("e1rm", "reps", "hold")):
        sel = kind == k
        score[i] = np.bincount(gi[sel], (block[sel] == 1) * 10.0 + 1.0, minlength=n)
    return np.array(["e1rm", "reps", "hold"], dtype=object)[np.argmax(score, axis=0)]


def _dimensions(f, gi, block, kind, main_kind, series, n) -> dict[str, dict[str, np.ndarray]]:
    stype = f["type"].to_numpy(dtype=np.int64)
    mk = main_kind[gi]
    e1rm = f["e1rm"].to_numpy(dtype=float)
    reps = f["reps_at_top"].to_numpy(dtype=float)
    hold = f["hold"].to_numpy(dtype=float)
    load = f["top_load"].to_numpy(dtype=float)
    main = np.where(mk == "e1rm", np.where(kind == "e1rm", e1rm, np.nan),
                    np.where(mk == "reps", np.where(kind == "reps", reps, np.nan),
                             np.where(kind == "hold", hold, np.nan)))  # fmt: skip
    level = np.bincount(gi[~np.isnan(main)], main[~np.isnan(main)], minlength=n) / np.maximum(
        np.bincount(gi[~np.isnan(main)], minlength=n), 1
    )
    main_prior = np.select([main_kind == "e1rm", main_kind == "hold"],
                           [PRIOR_CV["e1rm"] * level, PRIOR_CV["hold"] * level], PRIOR_SD["reps"])  # fmt: skip
    main_res = np.select([main_kind == "e1rm", main_kind == "hold"],
                         [series["e1rm_step"].to_numpy(), series["hold_step"].to_numpy()], 1.0)  # fmt: skip
    step = series["load_step"].to_numpy()
    load_code = pd.factorize(np.nan_to_num(load, nan=-1.0), sort=True)[0]  # np.unique's inverse, by hash
    reps_at_load = np.where((kind != "hold") & (load > 0), reps, np.nan)
    specs = {
        "main": (main, stype, main_prior, main_res),
        # more load at the same reps: a heavier triple after a phase of tens is not progress
        LOAD_KG: (np.where(load > 0, load, np.nan), stype * 100_000 + np.nan_to_num(reps).astype(np.int64), step, step),
        "reps_at_load": (reps_at_load, stype * 100_000 + load_code, np.full(n, PRIOR_SD["reps"]), np.ones(n)),
        "sets": (f["n_sets"].to_numpy(dtype=float), stype, np.full(n, PRIOR_SD["sets"]), np.ones(n)),
        DURATION_S: (np.where(mk == "hold", np.nan, hold), stype, 0.08 * np.fmax(level, 1), series["hold_step"].to_numpy()),
    }  # fmt: skip
    out = {}
    for name, (value, stratum, prior, res) in specs.items():
        r = block_change(value, gi, block, stratum, n, prior_sd=prior, resolution=res)
        r["resolution"] = np.asarray(res, dtype=float)
        r["value"] = value
        out[name] = r
    return out


def _flat_since(value, f, gi, deload, last_day, n) -> np.ndarray:
    """Upper end of the 95 % CI of the main measure's trend (per week) since the last new best.

    Theil-Sen with Sen's CI on the values less their session type's mean (heavy and light
    days apart); NaN-free series with fewer than four sessions give +inf (no claim of flatness).
    """
    day = f["day"].to_numpy()
    sel = ~deload & ~np.isnan(value) & (day >= np.nan_to_num(last_day, nan=np.inf)[gi])
    key = gi[sel] * 2 + f["type"].to_numpy()[sel]
    v = value[sel]
    centred = v - (pd.Series(v).groupby(key).transform("mean").to_numpy())
    order = lexsort2(day[sel], gi[sel])
    g_sorted = gi[sel][order]
    high = theil_sen(g_sorted, day[sel][order] / 7.0, centred[order], n)[2]
    count = np.bincount(gi[sel], minlength=n)
    return np.where((count >= 4) & ~np.isnan(high), high, np.inf)


def _metric_name(dimension: str, main_kind: str) -> str:
    if dimension == "main":
        return _MAIN_OF_KIND[main_kind]
    return {"reps_at_load": REPS}.get(dimension, dimension)


def _group_min(values, groups, n) -> np.ndarray:
    out = np.full(n, np.inf)
    np.minimum.at(out, groups, values)
    return np.where(np.isinf(out), np.nan, out)


def _group_max(values, groups, n) -> np.ndarray:
    out = np.full(n, -np.inf)
    np.maximum.at(out, groups, values)
    return np.where(np.isinf(out), np.nan, out)


_UNITS = {E1RM_KG: "kg", LOAD_KG: "kg", REPS: "reps", "sets": "sets", DURATION_S: "s"}
_WORDS = {E1RM_KG: "e1RM", LOAD_KG: "top load", REPS: "reps", "sets": "sets", DURATION_S: "hold"}


def _evidence(out: pd.DataFrame) -> list[str]:
    """One line per row: sessions, the change with its CI and step, last new best, deloads."""
    lines = []
    cols = ("metric", "n_current", "n_previous", "change", "previous", "current", "ci_low", "ci_high",
            "resolution", "weeks_since_progress", "deload_weeks", "method")  # fmt: skip
    values = [out[c].to_numpy(dtype=object) for c in cols]  # plain objects: no row tuples
    stamps = out["last_progress"].to_numpy()
    best_day = np.where(np.isnat(stamps), "", np.datetime_as_string(stamps, unit="D"))
    for (metric, n_cur, n_prev, change, prev, cur, lo, hi, res, since, deloads, method), day in zip(
        zip(*values, strict=True), best_day, strict=True
    ):
        unit, word = _UNITS.get(metric, ""), _WORDS.get(metric, metric)
        parts = [f"{n_cur} sessions this block, {n_prev} in the previous"]
        if pd.notna(change):
            parts.append(
                f"{word} {prev:.1f} -> {cur:.1f} {unit} ({change:+.1f}, 95 % CI "
                f"{lo:+.1f} to {hi:+.1f}; smallest real step {res:.1f})"
            )
        elif pd.notna(cur):
            parts.append(f"{word} {cur:.1f} {unit} this block")
        if day:
            parts.append(
                f"last new best {pd.Timestamp(day):%d %b} ({since:.1f} weeks before the end)"
            )
        if deloads:
            parts.append(f"{deloads} deload week(s) left out")
        if metric == E1RM_KG:
            parts.append(f"e1RM by {method}")
        lines.append("; ".join(parts))
    return lines

"""Next-block outlook: the e1RM and race times the log points to at the end of the next block.

An outlook, not a promise: a robust trend of the athlete's own recent history carried forward,
with a prediction interval taken from how far the athlete's own earlier outlooks landed from
what happened. Nothing here says why a lift or a race time moves.

Definitions
-----------
Week
    ISO week, Monday start (:mod:`analysis.periods`). Week 0 holds ``end``; week ``-1`` is the
    one before. Data after ``end`` are ignored.
Weekly best
    Lifts: the highest session best e1RM of the week per athlete, exercise and side
    (:func:`analysis.progression.best_e1rm`: working sets, one method per lift). Runs: the
    week's best VDOT (:func:`analysis.pace.weekly_pace` with ``by_type=False``). From training
    runs VDOT is a lower bound of race fitness (:mod:`analysis.running`), so the race times are
    what the log's best efforts point to; a race run flat out is usually faster.
Outlook
    At an origin week ``o`` the Theil-Sen line (``analysis._engine.forecast``, all series and
    origins at once; intercept ``median(y) - slope median(x)`` as ``scipy.stats.theilslopes``)
    through the weekly bests of weeks ``o - lookback_weeks + 1 .. o`` (at least ``MIN_POINTS``
    = 4 weeks) gives the level now (``current``) and, ``weeks`` weeks on, the weekly best
    expected in the last week of the next block (``expected``, week ``o + weeks``).
Prediction interval
    From the athlete's own forecast errors (what happened minus what was expected) of earlier
    origins of the same series whose outcome was known by ``o`` (the last ``CALIBRATION`` = 26
    of them, more when ``level`` needs them): rolling-origin and split-conformal. With ``n``
    errors at ``level = 1 - alpha`` the interval is ``expected + [e_(k_lo), e_(k_hi)]``, order
    statistics ``k_lo = floor((n + 1) alpha / 2)``, ``k_hi = ceil((n + 1)(1 - alpha / 2))``,
    when both ranks exist (``n >= 9`` at 80 %: method ``theil_sen_conformal``; exchangeable
    errors would be covered with probability at least ``level``, 23/27 = 0.85 at ``n = 26``;
    a trend's errors are only roughly exchangeable, which is what the backtest checks). With
    fewer errors it is the wider of (a) the fit's own interval, ``t(m - 2) s sqrt(1 + 1/m + (x
    - mean x)^2 / Sxx)`` from the ``m`` residuals around the line, and (b) the t prediction
    interval of the ``n >= 2`` errors, ``mean ± t(n - 1) sd sqrt(1 + 1/n)`` (method
    ``theil_sen_t``). It is never narrower than the log's resolution: lifts one load step
    (smallest change between the loads of the series' best sets, 2.5 kg when the load never
    changed) times the series' median e1RM / load, i.e. one step at its usual reps; race times
    one VDOT decimal (0.1), then at least 1 s.
Backtest
    Every earlier origin whose outcome week lies in the last ``backtest_weeks`` weeks, holds a
    weekly best, and whose window has a line is checked: its interval, built as above only from
    weeks up to that origin, and whether it held what happened. ``backtest_n`` counts them,
    ``backtest_coverage`` is the share that held. Those errors are also the ones later
    intervals are calibrated on, so the coverage a coach reads is the record of the very
    intervals the function gives.
Minimum history
    A series with nothing in the last ``weeks`` ISO weeks (the current block) is ``"not
    recent"``. Otherwise an outlook needs ``min_history_weeks`` (default 8) ISO weeks from the
    first session to ``end``, ``min_backtest`` (default 3) checked origins, and ``MIN_POINTS``
    weekly bests in the last ``lookback_weeks``; without them the status is ``"not enough
    history"``. Withheld rows keep their counts and evidence; their numbers are NA. Eight weeks
    are two 4-week blocks, the least a trend and a check can stand on; three checks are the
    fewest that say more than one lucky hit. A 4-week outlook of a lift trained every week
    meets both at 10 weeks (4 weeks to fit the first line, 4 to see how it landed, and 2 more
    origins).
Wording
    The evidence is an outlook, never a promise: "about", the interval with its level, "if the
    last 8 weeks' trend continues", and how many earlier outlooks held. It names no cause and
    no risk.

Measured on a 2-core machine shared with other jobs (``generate_squad(athletes=100,
weeks=104)``: 1,016,800 sets, 2,700 lift series, 36,313 runs): :func:`lift_outlook` 0.7-0.9 s
(load average 3; 1.6-2.4 s before it read the session bests on the shared encoding instead of
``best_e1rm``'s text frame), most of it the Theil-Sen lines of about 125,000 origins;
:func:`race_outlook` 0.25-0.35 s. One athlete over two years (10,168 sets, 367 runs):
0.04 s and 0.07 s.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from analysis._engine.defaults import MAX_REPS
from analysis._engine.e1rm import Formula, formula_key
from analysis._engine.forecast import rolling_outlook, weekly_max
from analysis._engine.options import check_sets, positive_int, resolve_end_day
from analysis._engine.prepared import prepare
from analysis._engine.sessions import sessions
from analysis.catalog import display_name
from analysis.columns import (
    ATHLETE,
    BACKTEST_COVERAGE,
    BACKTEST_N,
    BEST_VDOT,
    CURRENT_KG,
    CURRENT_TIME_S,
    DATE,
    DISTANCE_KM,
    DURATION_S,
    EVIDENCE,
    EXERCISE,
    EXPECTED_KG,
    EXPECTED_TIME_S,
    HISTORY_WEEKS,
    HORIZON_WEEKS,
    LEVEL,
    METHOD,
    N_RUNS,
    N_SESSIONS,
    NOT_ENOUGH_HISTORY,
    NOT_RECENT,
    OUTLOOK,
    PI_HIGH_KG,
    PI_HIGH_S,
    PI_LOW_KG,
    PI_LOW_S,
    SIDE,
    STATUS,
    VDOT,
    WARMUP,
    WEEK_START,
    require_columns,
)
from analysis.pace import run_paces, weekly_pace
from analysis.periods import day_numbers, days_to_datetime, monday_of
from analysis.running import format_pace, riegel_time, vdot

__all__ = ["lift_outlook", "race_outlook"]

#: Load step assumed when a series never changed load (the barbell's 2 x 1.25 kg plates).
DEFAULT_STEP_KG: Final = 2.5
#: Resolution of a VDOT: the one decimal it is quoted to (Daniels' tables).
VDOT_STEP: Final = 0.1
#: Riegel's formula is meant for about 3.5-230 min (Riegel 1981).
RIEGEL_RANGE_S: Final = (3.5 * 60, 230 * 60)
_HALF = 21.0975
_RUNS_HINT = "Load logs with analysis.read_logs() and pass log.runs."


def _int(func: str, name: str, value: object, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise ValueError(
            f"{func}() expected {name} to be an integer from {low} to {high}, "
            f"got {value!r} instead."
        )
    return int(value)


def _level(func: str, level: object) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0.5 <= level <= 0.99:
        raise ValueError(
            f"{func}() expected level to be a number from 0.5 to 0.99, got {level!r} instead."
        )
    return float(level)


def _status(
    res: dict,
    history: np.ndarray,
    last_t: np.ndarray,
    *,
    weeks: int,
    min_history: int,
    min_backtest: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Which series get an outlook, and the status word of each."""
    stale = last_t <= -weeks
    ok = ~stale & res["fitted"] & (history >= min_history) & (res["backtest_n"] >= min_backtest)
    return ok, np.where(ok, OUTLOOK, np.where(stale, NOT_RECENT, NOT_ENOUGH_HISTORY))


def _not_enough(
    subject: str, history: int, checks: int, min_history: int, min_backtest: int
) -> str:
    return (
        f"{subject}: no outlook yet, {_count(history, 'week')} of history and "
        f"{_count(checks, 'earlier outlook')} to check (an outlook needs "
        f"{_count(min_history, 'week')} and {_count(min_backtest, 'check')})."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _held(res: dict, i: Any, weeks: int) -> str:
    checks = _count(int(res["backtest_n"][i]), f"earlier {weeks}-week outlook")
    return f"{res['held'][i]} of {checks} held"


def _kg(x: float) -> str:
    """Kilograms to at most one decimal: 97, 96.5."""
    return f"{round(float(x), 1):g}"


def _frame(cols: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        {k: pd.array(np.asarray(v), dtype=_DTYPES.get(k, "Float64")) for k, v in cols.items()}
    )


_DTYPES = {
    ATHLETE: "string",
    HORIZON_WEEKS: "Int64",
    HISTORY_WEEKS: "Int64",
    N_SESSIONS: "Int64",
    N_RUNS: "Int64",
    BACKTEST_N: "Int64",
    METHOD: "string",
    STATUS: "string",
    EVIDENCE: "string",
}


def _checks(res: dict, ok: np.ndarray, status: np.ndarray) -> dict[str, Any]:
    checks = res["backtest_n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(checks > 0, res["held"] / checks, np.nan)
    method = np.where(res["conformal"], "theil_sen_conformal", "theil_sen_t").astype(object)
    method[~ok] = None
    return {
        BACKTEST_N: checks,
        BACKTEST_COVERAGE: np.round(coverage, 3),
        METHOD: method,
        STATUS: status,
    }


def _options(func: str, *values: object) -> tuple[int, float, int, int, int, int]:
    """``weeks, level, lookback_weeks, backtest_weeks, min_history_weeks, min_backtest`` checked."""
    weeks, level, lookback, since, min_history, min_backtest = values
    return (
        _int(func, "weeks", weeks, 1, 12),
        _level(func, level),
        _int(func, "lookback_weeks", lookback, 4, 52),
        _int(func, "backtest_weeks", since, 4, 520),
        _int(func, "min_history_weeks", min_history, 1, 104),
        _int(func, "min_backtest", min_backtest, 1, 100),
    )


def lift_outlook(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end: object = None,
    formula: Formula | str = "epley",
    level: float = 0.8,
    use_rpe: bool = True,
    max_reps: int = MAX_REPS,
    lookback_weeks: int = 8,
    backtest_weeks: int = 52,
    min_history_weeks: int = 8,
    min_backtest: int = 3,
) -> pd.DataFrame:
    """The e1RM each lift's log points to at the end of the next block, with a prediction interval.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table (``analysis.read_logs(...).sets``).
    weeks : int, default=4
        Horizon in weeks: the outlook is for ISO week ``weeks`` after the week of ``end`` (the
        last week of a next block of that length), 1 to 12.
    end : date-like, default=None
        Last day of history; default the last logged working-set date. Later sets are ignored.
    formula : str, default="epley"
        e1RM equation, see :data:`analysis.progression.FORMULAS`.
    level : float, default=0.8
        Nominal coverage of the prediction interval, 0.5 to 0.99.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE (as :func:`analysis.progression.best_e1rm`).
    max_reps : int, default=12
        No e1RM above this many reps.
    lookback_weeks : int, default=8
        Weeks of weekly bests each trend line is fitted on, 4 to 52.
    backtest_weeks : int, default=52
        Only earlier outlooks whose outcome week lies in the last this many weeks are checked
        and calibrate the interval, 4 to 520.
    min_history_weeks : int, default=8
        Fewest ISO weeks from a series' first session to ``end`` for an outlook, 1 to 104.
    min_backtest : int, default=3
        Fewest checked earlier outlooks for an outlook, 1 to 100.

    Returns
    -------
    DataFrame
        One row per athlete, exercise and side with an e1RM up to ``end``, sorted by them:
        ``athlete``, ``exercise``, ``side``; ``current_kg`` (kg, the trend's weekly best in
        the week of ``end``); ``expected_kg`` (kg, weekly best expected in the horizon week);
        ``pi_low_kg``, ``pi_high_kg`` (kg, the prediction interval); ``level`` (its nominal
        coverage); ``horizon_weeks``; ``history_weeks`` (ISO weeks from the first session to
        ``end``); ``n_sessions`` (sessions with an e1RM up to ``end``); ``backtest_n``
        (earlier outlooks checked); ``backtest_coverage`` (share of them whose interval held
        what happened, NA when none); ``method`` (``theil_sen_conformal`` or
        ``theil_sen_t``, NA when withheld); ``status`` (``outlook``, ``not enough history``
        or ``not recent``; the four kg numbers are NA unless ``outlook``); ``evidence`` (one
        sentence a coach reads).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    TypeError
        ``date`` is not a datetime column.
    ValueError
        Bad ``weeks``, ``end``, ``formula``, ``level``, ``max_reps``, ``lookback_weeks``,
        ``backtest_weeks`` or a minimum.

    Notes
    -----
    Trend, interval, backtest and the minimum history are defined in the module docstring.
    An outlook carries the athlete's recent trend forward; it says nothing of why it moves.

    Examples
    --------
    >>> days = pd.date_range("2026-06-01", periods=14, freq="7D")
    >>> sets = pd.DataFrame({"athlete": "A", "date": days, "exercise": "back_squat",
    ...     "side": "both", "reps": 1, "load_kg": [80.0 + i for i in range(14)],
    ...     "rpe": float("nan"), "warmup": False})
    >>> out = lift_outlook(sets)
    >>> out[["current_kg", "expected_kg", "pi_low_kg", "pi_high_kg", "backtest_n", "status"]]
       current_kg  expected_kg  pi_low_kg  pi_high_kg  backtest_n   status
    0        93.0         97.0       96.5        97.5           7  outlook
    >>> print(out["evidence"][0])  # doctest: +NORMALIZE_WHITESPACE
    Back squat: about 97 kg at the end of the next block (week of 2026-09-28; 80 % interval
    96.5-97.5 kg), if the last 8 weeks' trend (+1 kg/week) continues; 7 of 7 earlier 4-week
    outlooks held.
    """
    func = "lift_outlook"
    check_sets(sets, func, use_rpe)
    weeks, level, lookback, since, min_history, min_backtest = _options(
        func, weeks, level, lookback_weeks, backtest_weeks, min_history_weeks, min_backtest
    )
    minimums = (min_history, min_backtest)
    work = ~sets[WARMUP].fillna(False).astype(bool).to_numpy()
    days, valid = day_numbers(sets[DATE], func=func)
    end_day = resolve_end_day(end, days[valid & work], func)
    week0 = monday_of(np.int64(end_day))
    # the session bests of :func:`analysis.progression.best_e1rm`, read on the shared encoding
    # (codes, not a text frame): series g in (athlete, exercise, side) order, as a sorted groupby
    key = formula_key(formula)
    best = sessions(prepare(sets).log(use_rpe=use_rpe, func=func), kind="e1rm", formula=key,
                    max_reps=positive_int("max_reps", max_reps))  # fmt: skip
    day = best.day
    value = np.round(best.value, 2)
    keep = (day <= end_day) & ~np.isnan(value)
    kept, g = np.unique(best.g[keep], return_inverse=True)
    day, value = day[keep], value[keep]
    groups = best.groups.take(kept)[[ATHLETE, EXERCISE, SIDE]].reset_index(drop=True).astype("string")
    n = len(groups)
    t = (monday_of(day) - week0) // 7
    load = best.load[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = pd.Series(np.where(load > 0, value / load, np.nan)).groupby(g).median()
    floor = _load_step(g, load, n) * ratio.reindex(range(n)).fillna(1.0).to_numpy()
    wg, wt, wy = weekly_max(g, t, value)
    res = rolling_outlook(
        wg, wt, wy, n, floor, horizon=weeks, lookback=lookback, level=level, since=since
    )
    first_t = np.zeros(n, np.int64)
    np.minimum.at(first_t, g, t)
    last_day = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_day, g, day)
    history = 1 - first_t
    last_t = (monday_of(last_day) - week0) // 7
    ok, status = _status(
        res, history, last_t, weeks=weeks, min_history=min_history, min_backtest=min_backtest
    )
    target = pd.Timestamp(days_to_datetime(np.array([week0 + 7 * weeks]))[0])
    last = days_to_datetime(last_day)
    low = np.maximum(res["low"], 0.0)  # no negative kg
    evidence = []
    for i, (ex, side) in enumerate(zip(groups[EXERCISE], groups[SIDE], strict=True)):
        name = display_name(ex, side)
        if ok[i]:
            evidence.append(
                f"{name}: about {_kg(res['expected'][i])} kg at the end of the next block "
                f"(week of {target:%Y-%m-%d}; {level * 100:g} % interval {_kg(low[i])}-"
                f"{_kg(res['high'][i])} kg), if the last {lookback} weeks' trend "
                f"({round(res['slope'][i], 1) + 0.0:+g} kg/week) continues; "
                f"{_held(res, i, weeks)}."
            )
        elif status[i] == NOT_RECENT:
            evidence.append(
                f"{name}: no outlook, not trained in the last {weeks} weeks "
                f"(last on {pd.Timestamp(last[i]):%Y-%m-%d})."
            )
        else:
            checks = int(res["backtest_n"][i])
            evidence.append(_not_enough(name, int(history[i]), checks, *minimums))
    numbers = {
        CURRENT_KG: res["current"],
        EXPECTED_KG: res["expected"],
        PI_LOW_KG: low,
        PI_HIGH_KG: res["high"],
    }
    out = _frame(
        {
            **{name: np.where(ok, np.round(v, 1), np.nan) for name, v in numbers.items()},
            LEVEL: np.full(n, level),
            HORIZON_WEEKS: np.full(n, weeks),
            HISTORY_WEEKS: history,
            N_SESSIONS: np.bincount(g, minlength=n),
            **_checks(res, ok, status),
            EVIDENCE: np.array(evidence, dtype=object),
        }
    )
    return pd.concat([groups, out], axis=1)


def _load_step(g: np.ndarray, load: np.ndarray, n: int) -> np.ndarray:
    """Smallest change between the distinct loads of each series' best sets (default 2.5 kg)."""
    loads = np.round(load, 3)
    order = np.lexsort((loads, g))
    sg, sl = g[order], loads[order]
    diff = np.diff(sl)
    same = (sg[1:] == sg[:-1]) & (diff > 0)
    step = np.full(n, np.inf)
    np.minimum.at(step, sg[1:][same], diff[same])
    return np.where(np.isfinite(step), step, DEFAULT_STEP_KG)


def _time_at_vdot(distance_m: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Time (s) over ``distance_m`` whose VDOT is ``target``: bisection on Daniels-Gilbert.

    VDOT falls as the time grows over 1:40 to 20:00 per km, so 48 halvings of that bracket pin
    the time to far below a millisecond. NaN where ``target`` is NaN or outside the bracket.
    """
    lo, hi = distance_m * 0.1, distance_m * 1.2
    for _ in range(48):
        mid = (lo + hi) / 2
        fast = (
            np.asarray(vdot(distance_m, mid)) > target
        )  # mid is faster than the target: go slower
        lo, hi = np.where(fast, mid, lo), np.where(fast, hi, mid)
    slowest, fastest = (
        np.asarray(vdot(distance_m, distance_m * 1.2)),
        np.asarray(vdot(distance_m, distance_m * 0.1)),
    )
    inside = (slowest <= target) & (target <= fastest)
    return np.where(np.isfinite(target) & inside, (lo + hi) / 2, np.nan)


def _distance_name(km: float) -> str:
    return {_HALF: "Half marathon", 42.195: "Marathon"}.get(km, f"{km:g} km")


def race_outlook(
    runs: pd.DataFrame,
    *,
    weeks: int = 4,
    end: object = None,
    distances_km: Any = (5.0, 10.0, _HALF),
    level: float = 0.8,
    lookback_weeks: int = 8,
    backtest_weeks: int = 52,
    min_history_weeks: int = 8,
    min_backtest: int = 3,
) -> pd.DataFrame:
    """Race times the log's best efforts point to, now and at the end of the next block.

    Parameters
    ----------
    runs : DataFrame
        Canonical ``runs`` table; needs ``athlete, date, distance_km, duration_s``
        (``run_type`` and the others are used as in :func:`analysis.pace.run_paces`).
    weeks : int, default=4
        Horizon in weeks: ISO week ``weeks`` after the week of ``end``, 1 to 12.
    end : date-like, default=None
        Last day of history; default the last run's date. Later runs are ignored.
    distances_km : sequence of float, default=(5.0, 10.0, 21.0975)
        Race distances in km.
    level : float, default=0.8
        Nominal coverage of the prediction interval, 0.5 to 0.99.
    lookback_weeks, backtest_weeks, min_history_weeks, min_backtest : int
        As in :func:`lift_outlook` (defaults 8, 52, 8 and 3).

    Returns
    -------
    DataFrame
        One row per athlete with a run VDOT up to ``end`` and distance, sorted by them:
        ``athlete``, ``distance_km`` (km); ``current_time_s`` (s, the time at the trend's
        weekly best VDOT in the week of ``end``); ``expected_time_s`` (s, at the VDOT
        expected in the horizon week); ``pi_low_s`` (s, fast end) and ``pi_high_s`` (s, slow
        end) of the prediction interval; ``level``; ``horizon_weeks``; ``history_weeks`` (ISO
        weeks from the first run to ``end``); ``n_runs`` (runs with a VDOT up to ``end``);
        ``backtest_n``, ``backtest_coverage``, ``method``, ``status`` and ``evidence`` as in
        :func:`lift_outlook`. Backtest and status are the athlete's (one VDOT series), so they
        repeat over the distances.

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    TypeError
        ``date`` is not a datetime column.
    ValueError
        Bad ``weeks``, ``end``, ``distances_km``, ``level``, ``lookback_weeks``,
        ``backtest_weeks`` or a minimum.

    Notes
    -----
    Trend, interval and backtest run on the weekly best VDOT (module docstring); each VDOT is
    turned into the time over the distance with that VDOT (Daniels & Gilbert, inverted by
    bisection), so the interval's coverage is the same at every distance. The evidence adds
    Riegel's time from the best run of the last ``weeks`` weeks where Riegel fits (effort and
    prediction within 3.5-230 min): what that effort gives today, without a trend.

    Examples
    --------
    >>> days = pd.date_range("2026-06-02", periods=14, freq="7D")
    >>> runs = pd.DataFrame({"athlete": "A", "date": days, "distance_km": 10.0,
    ...     "duration_s": [3000.0 - 10 * i for i in range(14)]})
    >>> out = race_outlook(runs, distances_km=(10.0,))
    >>> out[["current_time_s", "expected_time_s", "backtest_n", "status"]].round(0)
       current_time_s  expected_time_s  backtest_n   status
    0          2870.0           2832.0           7  outlook
    """
    func = "race_outlook"
    require_columns(runs, (ATHLETE, DATE, DISTANCE_KM, DURATION_S), func=func, hint=_RUNS_HINT)
    weeks, level, lookback, since, min_history, min_backtest = _options(
        func, weeks, level, lookback_weeks, backtest_weeks, min_history_weeks, min_backtest
    )
    minimums = (min_history, min_backtest)
    km = _distances(func, distances_km)
    days, valid = day_numbers(runs[DATE], func=func)
    end_day = resolve_end_day(end, days[valid], func)
    inside = valid & (days <= end_day)
    # all of them (a reassessment cuts its runs at end): the frame itself, so the paces shared
    # inside a reassessment (analysis.pace.sharing_runs) are read, not computed again
    kept = runs if inside.all() else runs[inside]
    week0 = monday_of(np.int64(end_day))
    paced = run_paces(kept)
    paced = paced[paced[VDOT].notna()]
    weekly = weekly_pace(kept, by_type=False)
    weekly = weekly[weekly[BEST_VDOT].notna()]
    names, g = np.unique(weekly[ATHLETE].to_numpy(dtype=str), return_inverse=True)
    n = len(names)
    t = (weekly[WEEK_START].to_numpy().astype("datetime64[D]").view(np.int64) - week0) // 7
    y = weekly[BEST_VDOT].to_numpy(dtype=float)
    res = rolling_outlook(
        g,
        t,
        y,
        n,
        np.full(n, VDOT_STEP),
        horizon=weeks,
        lookback=lookback,
        level=level,
        since=since,
    )
    first_t, last_t = np.zeros(n, np.int64), np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first_t, g, t)
    np.maximum.at(last_t, g, t)
    history = 1 - first_t
    ok, status = _status(
        res, history, last_t, weeks=weeks, min_history=min_history, min_backtest=min_backtest
    )

    # the best run of the last `weeks` weeks, for Riegel's cross-check
    pg = np.searchsorted(names, paced[ATHLETE].to_numpy(dtype=str))
    pday = paced[DATE].to_numpy().astype("datetime64[D]").view(np.int64)
    pv = np.where(pday >= week0 - 7 * (weeks - 1), paced[VDOT].to_numpy(dtype=float), -np.inf)
    order = np.lexsort((pv, pg))
    top = order[np.r_[pg[order][1:] != pg[order][:-1], True]] if len(pg) else order
    effort_km, effort_s = np.full(n, np.nan), np.full(n, np.nan)
    fresh = np.isfinite(pv[top])
    effort_km[pg[top][fresh]] = paced[DISTANCE_KM].to_numpy(dtype=float)[top][fresh]
    effort_s[pg[top][fresh]] = paced[DURATION_S].to_numpy(dtype=float)[top][fresh]

    a, d = np.repeat(np.arange(n), len(km)), np.tile(km, n)
    meters = d * 1000.0
    times = {
        CURRENT_TIME_S: _time_at_vdot(meters, res["current"][a]),
        EXPECTED_TIME_S: _time_at_vdot(meters, res["expected"][a]),
        PI_LOW_S: _time_at_vdot(meters, res["high"][a]),
        PI_HIGH_S: _time_at_vdot(meters, res["low"][a]),
    }
    short = np.maximum(1.0 - (times[PI_HIGH_S] - times[PI_LOW_S]), 0) / 2  # 1 s resolution
    times[PI_LOW_S], times[PI_HIGH_S] = times[PI_LOW_S] - short, times[PI_HIGH_S] + short
    riegel = np.asarray(riegel_time(effort_s[a], effort_km[a] * 1000.0, meters))
    low_s, high_s = RIEGEL_RANGE_S
    fits = (effort_s[a] >= low_s) & (effort_s[a] <= high_s) & (riegel >= low_s) & (riegel <= high_s)
    target = pd.Timestamp(days_to_datetime(np.array([week0 + 7 * weeks]))[0])
    evidence = []
    for i, (ai, dk) in enumerate(zip(a, d, strict=True)):
        name = _distance_name(float(dk))
        if status[ai] == NOT_RECENT:
            since_week = pd.Timestamp(days_to_datetime(np.array([week0 + 7 * last_t[ai]]))[0])
            evidence.append(
                f"{name}: no outlook, no run with a VDOT in the last {weeks} weeks "
                f"(last in the week of {since_week:%Y-%m-%d})."
            )
            continue
        if not ok[ai]:
            checks = int(res["backtest_n"][ai])
            evidence.append(_not_enough(name, int(history[ai]), checks, *minimums))
            continue
        fast, slow = format_pace(times[PI_LOW_S][i]), format_pace(times[PI_HIGH_S][i])
        line = (
            f"{name}: about {format_pace(times[EXPECTED_TIME_S][i])} at the end of the next "
            f"block (week of {target:%Y-%m-%d}; {level * 100:g} % interval {fast}-{slow}), if "
            f"the last {lookback} weeks' trend of weekly best VDOT ({res['current'][ai]:.1f} now, "
            f"{round(res['slope'][ai], 2) + 0.0:+.2f}/week) continues; {_held(res, ai, weeks)}"
        )
        if fits[i]:
            line += (
                f"; Riegel from the best run of the last {weeks} weeks "
                f"({round(effort_km[ai], 1):g} km in {format_pace(effort_s[ai])}) gives "
                f"{format_pace(riegel[i])} today"
            )
        evidence.append(line + ".")
    return _frame(
        {
            ATHLETE: names[a],
            DISTANCE_KM: d,
            **{name: np.where(ok[a], np.round(v, 1), np.nan) for name, v in times.items()},
            LEVEL: np.full(len(a), level),
            HORIZON_WEEKS: np.full(len(a), weeks),
            HISTORY_WEEKS: history[a],
            N_RUNS: np.bincount(pg, minlength=n)[a],
            **{k: np.asarray(v)[a] for k, v in _checks(res, ok, status).items()},
            EVIDENCE: np.array(evidence, dtype=object),
        }
    )


def _distances(func: str, distances_km: Any) -> np.ndarray:
    try:
        km = np.asarray(distances_km, dtype=float).ravel()
    except (TypeError, ValueError):
        km = np.array([np.nan])
    if not len(km) or not np.all(np.isfinite(km) & (km > 0)):
        raise ValueError(
            f"{func}() expected distances_km to be positive numbers of km, "
            f"got {distances_km!r} instead."
        )
    return km

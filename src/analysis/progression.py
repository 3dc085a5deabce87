"""Load progression: e1RM of sets and sessions, block trends and personal records.

Definitions (used by every function here)
-----------------------------------------
Working set
    A set that is not a warm-up (``warmup`` not True).
e1RM
    Estimated one-repetition maximum of a set with load ``w`` (kg) and ``r`` reps, by one of
    seven published equations (LeSuer et al., JSCR 1997;11(4):211-213; domain.md section 1):
    Epley ``w(1 + r/30)`` (default), Brzycki, Lander, Lombardi, Mayhew, O'Conner, Wathan
    (:data:`FORMULAS`). A 1-rep set is its own 1RM. With an RPE (6-10), the RTS %1RM chart
    (Tuchscherer 2008; domain.md section 2) replaces the formula: effective reps
    ``n = reps + (10 - RPE)`` index ``RTS_CHART_PCT`` and ``e1RM = w / (pct / 100)``. No
    estimate above ``max_reps`` (default 12) reps, for a missing load or load 0.
One method per lift
    The chart is used for a lift series (athlete, exercise, side) only when every set of it
    that can give an estimate has an RPE; otherwise the formula for every set of the series,
    so a chart estimate is never compared with a formula estimate.
Metric
    What progresses, per catalog ``load_type``: ``external`` -> ``e1rm_kg``; ``bodyweight``
    and ``band`` -> ``reps`` (also when extra load is logged); ``time`` -> ``duration_s``
    (longest hold); ``distance`` -> ``distance_m`` (when the column exists).
Session best
    One value per athlete, exercise, side and date (a session): that of its best working
    set. For e1RM the best set is picked by the formula from load and reps, which are counted
    exactly (ties: heavier, then RPE-rated, then closest to failure), and its e1RM then uses
    the chart when it has an RPE. Picking by RPE-chart values would select the set rated
    easiest and bias the best upward by the rating error. Rows without athlete, exercise,
    side or date are ignored.
Block
    As in :mod:`analysis.periods`: ``weeks`` ISO weeks (4-6) ending with the week that
    contains ``end`` (default: the last logged working-set date); ``block_index`` 0 is that
    block, -1 the one before, ...
Trend
    Theil-Sen slope of session values against time in weeks within a block, with Sen's
    (1968) 95 % CI exactly as ``scipy.stats.theilslopes`` computes it (vectorised here; a
    test checks it against scipy). The median of pairwise slopes ignores one odd session.
Noise
    The athlete's typical error for that lift and side: SD of successive differences of
    session values / sqrt(2) (Hopkins, Sports Med 2000;30:1-15), over every session up to
    ``end``. SD removes the mean difference, so a steady trend does not inflate it.
Change
    ``change_vs_previous`` = mean of the block's session values minus the previous block's,
    described here; whether a change is clear, and whether a lift progressed, held, stalled
    or regressed, is judged in one place: :func:`analysis.reassessment.lift_status`.
PR
    A session best that beats every earlier session of the same athlete, exercise and side
    (for reps, at the same load); the first session is the baseline, not a PR.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._engine.defaults import MAX_REPS, MIN_SESSIONS
from analysis._engine.e1rm import (
    FORMULAS,
    RTS_CHART_PCT,
    Formula,
    e1rm_arrays,
    estimate_1rm,
    formula_key,
)
from analysis._engine.options import check_sets, int_option, positive_int, resolve_end_day
from analysis._engine.prepared import Prepared, prepare
from analysis._engine.sessions import (
    Kind,
    block_columns,
    blocks_of,
    dates,
    new_frame,
    sessions,
)
from analysis._engine.stats import stable_group_order, theil_sen, typical_error
from analysis.columns import (
    ATHLETE,
    DATE,
    DISTANCE_M,
    DURATION_S,
    E1RM_KG,
    EXERCISE,
    LOAD_KG,
    METHOD,
    METRIC,
    NOT_ENOUGH_DATA,
    REPS,
    RPE,
    SET_INDEX,
    SIDE,
    STATUS,
    VALUE,
    WARMUP,
    float_values,
)
from analysis.periods import day_number, parse_day

__all__ = [
    "FORMULAS",
    "RTS_CHART_PCT",
    "best_e1rm",
    "e1rm_trend",
    "estimate_1rm",
    "personal_records",
    "set_e1rm",
]



def _method(chart: np.ndarray, key: str) -> np.ndarray:
    return np.where(chart, "rpe_chart", key)


def set_e1rm(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = MAX_REPS,
) -> pd.DataFrame:
    """e1RM of every working set.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table (``analysis.read_logs(...).sets``).
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE (needs the ``rpe`` column).
    max_reps : int, default=12
        No estimate above this many reps.

    Returns
    -------
    DataFrame
        One row per working set, in input order: ``athlete``, ``date``, ``exercise``,
        ``side``, ``set_index``, ``load_kg`` (kg), ``reps``, ``e1rm_kg`` (kg; NA when no
        estimate, e.g. bodyweight or > max_reps) and ``method`` (the formula name or
        ``rpe_chart``; NA with no estimate).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Unknown ``formula`` or bad ``max_reps``.

    Notes
    -----
    e1RM, the 1-rep rule, the RPE chart and load 0 are defined in the module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": ["A"], "date": pd.to_datetime(["2026-09-01"]),
    ...     "exercise": ["back_squat"], "side": ["both"], "set_index": [1], "reps": [5],
    ...     "load_kg": [100.0], "rpe": [8.0], "warmup": [False]})
    >>> set_e1rm(sets)[["e1rm_kg", "method"]].round(1)
       e1rm_kg     method
    0    123.3  rpe_chart
    """
    check_sets(sets, "set_e1rm", use_rpe, (SET_INDEX,))
    key, max_reps = formula_key(formula), positive_int("max_reps", max_reps)
    work = sets.loc[~sets[WARMUP].fillna(False).astype(bool)]
    load = float_values(work[LOAD_KG])
    est, chart, _ = e1rm_arrays(
        load, float_values(work[REPS]), float_values(work[RPE]) if use_rpe else None, key, max_reps
    )
    est[~(load > 0)] = np.nan
    method = np.where(chart, "rpe_chart", key).astype(object)
    method[np.isnan(est)] = None
    out = work[[ATHLETE, DATE, EXERCISE, SIDE, SET_INDEX, LOAD_KG, REPS]].reset_index(drop=True)
    return out.assign(
        **{E1RM_KG: pd.array(est, dtype="Float64"), METHOD: pd.array(method, dtype="string")}
    )


def best_e1rm(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = MAX_REPS,
) -> pd.DataFrame:
    """Best e1RM per athlete, date, exercise and side (one row per session and side).

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE.
    max_reps : int, default=12
        No estimate above this many reps.

    Returns
    -------
    DataFrame
        Sorted by ``athlete, date, exercise, side``; columns ``athlete``, ``date``,
        ``exercise``, ``side``, ``e1rm_kg`` (kg, e1RM of the session's best set),
        ``best_load_kg`` (kg) and ``best_reps`` of that set, ``n_sets`` (working sets with an
        estimate) and ``method`` (formula name or ``rpe_chart`` for the best set).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Unknown ``formula`` or bad ``max_reps``.

    Notes
    -----
    The best set is picked by the formula, then its RPE is used (module docstring, Session
    best); without RPE it is the set with the highest e1RM, ties to the heavier set.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": ["A", "A"], "date": pd.to_datetime(["2026-09-01"] * 2),
    ...     "exercise": ["back_squat"] * 2, "side": ["both"] * 2, "reps": [5, 3],
    ...     "load_kg": [100.0, 110.0], "rpe": [None, None], "warmup": [False, False]})
    >>> best_e1rm(sets)[["e1rm_kg", "best_load_kg", "best_reps", "n_sets"]]
       e1rm_kg  best_load_kg  best_reps  n_sets
    0    121.0         110.0        3.0       2
    """
    check_sets(sets, "best_e1rm", use_rpe)
    prep = prepare(sets)
    key, max_reps = formula_key(formula), positive_int("max_reps", max_reps)
    s = sessions(
        prep.log(use_rpe=use_rpe, func="best_e1rm"),
        kind="e1rm",
        formula=key,
        max_reps=max_reps,
    )
    grp = s.groups.take(s.g).reset_index(drop=True)
    out = new_frame(
        {
            DATE: (dates(s.day), "datetime64[us]"),
            E1RM_KG: (s.value, "Float64"),
            "best_load_kg": (s.load, "Float64"),
            "best_reps": (s.reps, "Float64"),
            "n_sets": (s.n_sets, "Int64"),
            METHOD: (_method(s.chart, key), "string"),
        }
    )
    out = pd.concat([grp[[ATHLETE, EXERCISE, SIDE]], out], axis=1)
    out = out[[ATHLETE, DATE, EXERCISE, SIDE, *out.columns[4:]]]
    a, e, sd = s.codes[:, s.g]
    if len(a):
        day = s.day - s.day.min()
        key = ((a * (day.max() + 1) + day) * (e.max() + 1) + e) * (sd.max() + 1) + sd
        out = out.take(stable_group_order(key))
    return out.reset_index(drop=True)


def _prev_best(g: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Best of the earlier sessions of the same series (-inf for a series' first session)."""
    best = pd.Series(value).groupby(g).cummax().to_numpy()
    prev = np.r_[-np.inf, best[:-1]]
    prev[np.r_[True, g[1:] != g[:-1]]] = -np.inf
    return prev


def _prepare(prep: Prepared, func: str, *, formula, use_rpe, max_reps, end, min_sessions):
    """Session bests up to ``end`` (auto metric), the end day and ``min_sessions``, checked."""
    check_sets(prep.sets, func, use_rpe, (DURATION_S,))
    key, max_reps = formula_key(formula), positive_int("max_reps", max_reps)
    min_sessions = int_option("min_sessions", min_sessions, 2, 1000)
    log = prep.log(use_rpe=use_rpe, func=func)
    end_day = resolve_end_day(end, log.day[log.keep], func)
    s = sessions(log, kind="auto", formula=key, max_reps=max_reps, end_day=end_day)
    return s, end_day, min_sessions


def e1rm_trend(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end=None,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = MAX_REPS,
    min_sessions: int = MIN_SESSIONS,
    any_length: bool = False,
    start=None,
) -> pd.DataFrame:
    """Per block: level, Theil-Sen trend per week, change vs the previous block, and noise.

    One function for every lift: the progression ``metric`` follows the catalog load type
    (e1RM for loaded lifts, best reps for bodyweight, longest hold for timed exercises).

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    weeks : int, default=4
        Block length in ISO weeks (4, 5 or 6).
    end : date-like, default=None
        Last day of the current block's last week; default the last logged date.
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE.
    max_reps : int, default=12
        No e1RM above this many reps.
    min_sessions : int, default=3
        Fewer sessions in a block give status ``"not enough data"`` and no numbers.
    any_length : bool, default=False
        Accept any block length from 1 to 52 weeks (as in :mod:`analysis.periods`).
    start : date-like, default=None
        Leave out blocks before the one holding this day (a block start keeps that block and
        the later ones, with the values of the full table; the noise still spans every
        session up to ``end``). The oldest block kept has no ``change_vs_previous``.

    Returns
    -------
    DataFrame
        One row per athlete, exercise, side and block with sessions (up to ``end``), sorted
        in that order: ``athlete``, ``exercise``, ``side``, ``block_index`` (0 current, -1
        previous, ...), ``block`` (``current``, ``previous``, ``block_-2``...),
        ``block_start``, ``block_end`` (inclusive dates, see :mod:`analysis.periods`), ``metric``
        (``e1rm_kg``, ``reps``, ``duration_s`` or ``distance_m``: the unit of every value
        column), ``n_sessions``, ``value`` (mean of session bests), ``best_value`` (highest
        session best), ``slope_per_week`` (metric units per week), ``ci_low``, ``ci_high``
        (95 % CI of the slope), ``change_vs_previous`` (value minus the previous block's
        value), ``typical_error`` (metric units), ``method`` (``"theil_sen"``) and ``status``
        (``"ok"`` or ``"not enough data"``).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Bad ``weeks``, ``end``, ``formula``, ``max_reps`` or ``min_sessions``.
    TypeError
        ``date`` is not datetime64.

    Notes
    -----
    Trend = Theil-Sen slope with Sen's CI (as ``scipy.stats.theilslopes``); typical error =
    SD of successive session differences / sqrt(2) over all sessions up to ``end``. A change
    needs ``min_sessions`` in both blocks; it is judged in
    :func:`analysis.reassessment.lift_status`. See the module docstring.

    Examples
    --------
    >>> days = pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"])
    >>> sets = pd.DataFrame({"athlete": "A", "date": days, "exercise": "back_squat",
    ...     "side": "both", "reps": 5, "load_kg": [60.0, 63.0, 66.0], "rpe": float("nan"),
    ...     "duration_s": float("nan"), "warmup": False})
    >>> e1rm_trend(sets)[["n_sessions", "value", "slope_per_week", "status"]]
       n_sessions  value  slope_per_week status
    0           3   73.5             3.5     ok
    """
    since_day = None if start is None else day_number(parse_day(start, "start", func="e1rm_trend"))
    s, end_day, min_sessions = _prepare(
        prepare(sets),
        "e1rm_trend",
        formula=formula,
        use_rpe=use_rpe,
        max_reps=max_reps,
        end=end,
        min_sessions=min_sessions,
    )
    noise = typical_error(s.g, s.value, len(s.groups))
    sg, day, value = s.g, s.day, s.value
    if since_day is not None:
        recent = day >= since_day
        sg, day, value = sg[recent], day[recent], value[recent]
    block, table = blocks_of(day, end_day, weeks, any_length)
    new = np.r_[True, (sg[1:] != sg[:-1]) | (block[1:] != block[:-1])][: len(sg)]
    starts = np.flatnonzero(new)
    gb = np.cumsum(new) - 1
    n = np.diff(np.r_[starts, len(gb)])
    mean = np.bincount(gb, value, minlength=len(starts)) / np.maximum(n, 1)
    best = np.maximum.reduceat(value, starts) if len(starts) else np.array([])
    trend = theil_sen(gb, day / 7.0, value, len(starts), x_unique=True)
    g, b = sg[starts], block[starts]
    ok = n >= min_sessions
    prev = np.r_[False, (g[1:] == g[:-1]) & (b[1:] == b[:-1] + 1) & ok[:-1]][: len(g)] & ok
    change = np.where(prev, mean - np.r_[np.nan, mean[:-1]][: len(g)], np.nan)
    out = block_columns(b, table)
    out = pd.concat([s.groups.take(g).reset_index(drop=True), out], axis=1)
    masked = {
        VALUE: mean,
        "best_value": best,
        "slope_per_week": trend[0],
        "ci_low": trend[1],
        "ci_high": trend[2],
    }
    cols = {METRIC: out.pop(METRIC), "n_sessions": pd.array(n, dtype="Int64")}
    cols |= {k: pd.array(np.where(ok, v, np.nan), dtype="Float64") for k, v in masked.items()}
    cols |= {
        "change_vs_previous": pd.array(change, dtype="Float64"),
        "typical_error": pd.array(noise[g], dtype="Float64"),
        METHOD: pd.array(np.full(len(g), "theil_sen"), dtype="string"),
        STATUS: pd.array(np.where(ok, "ok", NOT_ENOUGH_DATA), dtype="string"),
    }
    return out.assign(**cols)


def personal_records(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = MAX_REPS,
) -> pd.DataFrame:
    """Every personal record: e1RM PRs, reps-at-a-load PRs and hold/distance PRs, with dates.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE.
    max_reps : int, default=12
        No e1RM above this many reps.

    Returns
    -------
    DataFrame
        One row per record set, sorted by ``athlete, exercise, side, date, record,
        load_kg``: ``athlete``, ``exercise``, ``side``, ``date``, ``record`` (``e1rm_kg``,
        ``reps_at_load``, ``duration_s`` or ``distance_m``), ``load_kg`` (kg; for
        ``reps_at_load`` the load the reps were done at), ``reps``, ``value`` (the record in
        the unit the record names: kg, reps, s or m) and ``previous_value`` (the best before).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Unknown ``formula`` or bad ``max_reps``.

    Notes
    -----
    A PR beats every earlier session of the same athlete, exercise and side (and load, for
    reps); the first session is the baseline. Working sets only; e1RM needs load > 0.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "A", "date": pd.to_datetime(["2026-09-01", "2026-09-08"]),
    ...     "exercise": "back_squat", "side": "both", "reps": [5, 6], "load_kg": 100.0,
    ...     "rpe": float("nan"), "duration_s": float("nan"), "warmup": False})
    >>> personal_records(sets)[["date", "record", "value", "previous_value"]].round(
    ...     {"previous_value": 2})
            date        record  value  previous_value
    0 2026-09-08       e1rm_kg  120.0          116.67
    1 2026-09-08  reps_at_load    6.0             5.0
    """
    check_sets(sets, "personal_records", use_rpe, (DURATION_S,))
    key, max_reps = formula_key(formula), positive_int("max_reps", max_reps)
    log = prepare(sets).log(use_rpe=use_rpe, func="personal_records")
    kinds: tuple[tuple[str | None, Kind], ...] = (
        (E1RM_KG, "e1rm"),
        ("reps_at_load", "reps"),
        (None, "auto"),  # holds and distances; bodyweight reps are already reps_at_load
    )
    parts = []
    for record, kind in kinds:
        s = sessions(log, kind=kind, formula=key, max_reps=max_reps)
        prev = _prev_best(s.g, s.value)
        pr = np.flatnonzero((s.value > prev) & np.isfinite(prev))
        g = s.g[pr]
        if record is None:
            name = s.groups[METRIC].to_numpy(dtype=object)[g]
        else:
            name = np.full(len(g), record, dtype=object)
        load = s.load[pr]
        if kind == "reps":
            load = s.groups[LOAD_KG].to_numpy(dtype=float, na_value=np.nan)[g]
        keep = np.isin(name, [DURATION_S, DISTANCE_M]) if record is None else slice(None)
        parts.append([*s.codes[:, g], s.day[pr], name, load, s.reps[pr], s.value[pr], prev[pr]])
        parts[-1] = [x[keep] for x in parts[-1]]
    a, e, sd, day, name, load, reps, value, prev = (
        np.concatenate(x) for x in zip(*parts, strict=True)
    )
    records = np.array(sorted([DISTANCE_M, DURATION_S, E1RM_KG, "reps_at_load"]), dtype=object)
    rank = np.searchsorted(records, name)
    order = np.lexsort((np.nan_to_num(load, nan=np.inf), rank, day, sd, e, a))
    uniques = log.uniques
    return pd.DataFrame(
        {
            ATHLETE: pd.array(uniques[0].take(a[order]), dtype="string"),
            EXERCISE: pd.array(uniques[1].take(e[order]), dtype="string"),
            SIDE: pd.array(uniques[2].take(sd[order]), dtype="string"),
            DATE: dates(day[order]),
            "record": pd.array(name[order], dtype="string"),
            LOAD_KG: pd.array(load[order], dtype="Float64"),
            REPS: pd.array(reps[order], dtype="Float64"),
            VALUE: pd.array(value[order], dtype="Float64"),
            "previous_value": pd.array(prev[order], dtype="Float64"),
        }
    )

"""Load progression: estimated 1RM, best per session, block trends, PRs and stalls.

Definitions (used by every function here)
-----------------------------------------
Working set
    A set whose ``warmup`` is not True. Only working sets enter these analyses.
e1RM
    Estimated one-repetition maximum of a set with load ``w`` (kg) and ``r`` reps, by one of
    seven published equations (LeSuer et al., JSCR 1997;11(4):211-213; domain.md section 1):
    Epley ``w(1 + r/30)`` (default), Brzycki ``36w/(37 - r)``, Lander
    ``100w/(101.3 - 2.67123r)``, Lombardi ``w r^0.10``, Mayhew
    ``100w/(52.2 + 41.9 e^(-0.055r))``, O'Conner ``w(1 + 0.025r)``, Wathan
    ``100w/(48.8 + 53.8 e^(-0.075r))``. Aliases: ``mcglothin`` = lander, ``wathen`` =
    wathan, ``oconnor`` = oconner.
1-rep rule
    A 1-rep set is its own 1RM (e1RM = w) for every formula; the RPE chart gives the same at
    RPE 10 (100 %). Pass ``single_rep_is_1rm=False`` to :func:`estimate_1rm` for the raw
    equations (Epley gives 1.033 w at r = 1).
RPE
    With an RPE, the RTS %1RM chart (Tuchscherer 2008; domain.md section 2) replaces the
    formula: effective reps to failure ``n = reps + (10 - RPE)`` index one sequence in half
    steps, ``100, 97.8, 95.5, ..., 57.2`` for n = 1, 1.5, ..., 16 (linear interpolation
    between half steps) and ``e1RM = w / (pct / 100)``. The chart covers RPE 6-10 only; a
    set logged below RPE 6 (or above 10) gives no estimate, because no equation assumes a set
    that far from failure (RIR error > 2 reps, Hackett et al. JSCR 2017). Sets without RPE use
    the formula.
Valid range
    No estimate (NaN) above ``max_reps`` (default 12) reps, below 1 rep, for a missing or
    negative load, and in the table functions for load 0 (bodyweight sets have no e1RM).
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
    ``change_vs_previous`` = mean of the block's session values minus the previous block's.
    It exceeds the noise when ``|change| > 1.96 * sqrt(2) * noise`` (MDC95, Weir JSCR 2005).
Stall
    A gain is a session whose value beats every earlier session by more than the noise. A
    lift is stalled when its last gain is ``min_weeks`` (default 3) or more weeks before its
    last session. Judged only for lifts with ``min_sessions`` sessions and trained in the last
    ``min_weeks`` weeks before ``end``.
PR
    A session best that beats every earlier session of the same athlete, exercise and side
    (for reps, at the same load); the first session is the baseline, not a PR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from analysis.catalog import attach_info
from analysis.columns import (
    ATHLETE,
    DATE,
    DISTANCE_M,
    DURATION_S,
    EXERCISE,
    LOAD_KG,
    REPS,
    RPE,
    SET_INDEX,
    SIDE,
    WARMUP,
    require_columns,
)
from analysis.periods import (
    BLOCK,
    BLOCK_END,
    BLOCK_INDEX,
    BLOCK_START,
    blocks,
    day_numbers,
    days_to_datetime,
    label_blocks,
)

__all__ = [
    "FORMULAS",
    "RTS_CHART_PCT",
    "best_e1rm",
    "e1rm_trend",
    "estimate_1rm",
    "personal_records",
    "set_e1rm",
    "stalls",
]

E1RM_KG = "e1rm_kg"
METHOD = "method"
METRIC = "metric"
VALUE = "value"
STATUS = "status"
NOT_ENOUGH = "not enough data"

Formula = Literal["epley", "brzycki", "lander", "lombardi", "mayhew", "oconner", "wathan"]

_EQUATIONS = {
    "epley": lambda w, r: w * (1 + r / 30),
    "brzycki": lambda w, r: w * 36 / (37 - r),
    "lander": lambda w, r: 100 * w / (101.3 - 2.67123 * r),
    "lombardi": lambda w, r: w * r**0.10,
    "mayhew": lambda w, r: 100 * w / (52.2 + 41.9 * np.exp(-0.055 * r)),
    "oconner": lambda w, r: w * (1 + 0.025 * r),
    "wathan": lambda w, r: 100 * w / (48.8 + 53.8 * np.exp(-0.075 * r)),
}
#: Accepted formula names (aliases: mcglothin, wathen, oconnor).
FORMULAS = tuple(_EQUATIONS)
_ALIASES = {"mcglothin": "lander", "wathen": "wathan", "oconnor": "oconner"}
#: RTS %1RM chart, indexed by effective reps n = 1, 1.5, ..., 16.
# fmt: off
RTS_CHART_PCT = (100.0, 97.8, 95.5, 93.9, 92.2, 90.7, 89.2, 87.8, 86.3, 85.0, 83.7, 82.4,
                 81.1, 79.9, 78.6, 77.4, 76.2, 75.1, 73.9, 72.3, 70.7, 69.4, 68.0, 66.7,
                 65.3, 64.0, 62.6, 61.3, 59.9, 58.6, 57.2)
# fmt: on
_RTS_N = np.arange(1.0, 16.5, 0.5)
_METRIC_OF = {
    "external": E1RM_KG,
    "bodyweight": REPS,
    "band": REPS,
    "time": DURATION_S,
    "distance": DISTANCE_M,
}
_Z95 = float(norm.ppf(0.025))  # -1.96, as scipy.stats.theilslopes uses it


# --- option checks ------------------------------------------------------------------------------
def _formula(name: object) -> str:
    key = str(name).strip().lower().replace("'", "") if isinstance(name, str) else None
    key = _ALIASES.get(key, key) if key else key
    if key not in _EQUATIONS:
        raise ValueError(
            f"formula expected one of {sorted(FORMULAS)} (aliases {sorted(_ALIASES)}), "
            f"got {name!r} instead."
        )
    return key


def _positive_int(name: str, value: object, high: int = 30) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= high:
        raise ValueError(f"{name} expected an integer from 1 to {high}, got {value!r} instead.")
    return int(value)


def _end_day(end: object, days: np.ndarray) -> int:
    """``end`` as a day number; default the last logged date (1970-01-01 for no dates)."""
    if end is None:
        return int(days.max()) if days.size else 0
    try:
        stamp = pd.Timestamp(end)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"end expected a date such as '2026-11-22', got {end!r} instead.")
    return int(np.datetime64(stamp.tz_localize(None).date(), "D").astype(np.int64))


# --- e1RM core ----------------------------------------------------------------------------------
def _as_float(x: object) -> np.ndarray:
    if isinstance(x, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return x.to_numpy(dtype=float, na_value=np.nan)
    if x is None or x is pd.NA:
        return np.asarray(np.nan)
    return np.asarray(x, dtype=float)


def _e1rm(w, r, rpe, formula: str, max_reps: int, single: bool = True):
    """Return (e1RM, chart-used mask, formula-only e1RM); float inputs that broadcast."""
    valid = (r >= 1) & (r <= max_reps) & (w >= 0)
    with np.errstate(all="ignore"):
        base = _EQUATIONS[formula](w, r)
        if single:
            base = np.where(r == 1, w, base)
        base = np.where(valid, base, np.nan)
        if rpe is None:
            return base, np.zeros(np.shape(base), dtype=bool), base
        n = r + (10 - rpe)
        chart = valid & (rpe >= 6) & (rpe <= 10) & (n <= 16)
        pct = np.interp(np.where(chart, n, 1.0), _RTS_N, RTS_CHART_PCT)
        est = np.where(chart, w / (pct / 100), np.where(np.isnan(rpe), base, np.nan))
    return est, chart, base


def estimate_1rm(
    load_kg,
    reps,
    *,
    formula: Formula | str = "epley",
    rpe=None,
    max_reps: int = 12,
    single_rep_is_1rm: bool = True,
):
    """Estimated 1RM of a set (or of arrays of sets).

    Parameters
    ----------
    load_kg : float, array-like or Series
        Load lifted. Any unit works; the result is in the same unit.
    reps : float, array-like or Series
        Repetitions completed (to failure, unless ``rpe`` says otherwise).
    formula : str, default="epley"
        One of :data:`FORMULAS` or an alias (``mcglothin``, ``wathen``, ``oconnor``).
    rpe : float, array-like, Series or None, default=None
        RPE per set; where given (6-10) the RTS chart replaces the formula; NaN uses the formula.
    max_reps : int, default=12
        No estimate above this many reps (1-30).
    single_rep_is_1rm : bool, default=True
        A 1-rep set is its own 1RM. False gives the raw equation at r = 1.

    Returns
    -------
    float, ndarray or Series
        e1RM in the unit of ``load_kg``: a float for scalar inputs, else an array of the
        broadcast shape (a float Series named ``e1rm_kg`` when an input is a Series; inputs are
        aligned by position). NaN where no estimate exists (see the module definitions).

    Raises
    ------
    ValueError
        Unknown ``formula`` (the message lists the accepted names) or bad ``max_reps``.

    Notes
    -----
    Equations, the 1-rep rule and the RTS chart are defined in the module docstring
    (sources: LeSuer et al. 1997; Tuchscherer 2008; domain.md sections 1-2).

    Examples
    --------
    >>> round(estimate_1rm(100, 5), 2)
    116.67
    >>> round(estimate_1rm(100, 5, rpe=8), 1)
    123.3
    >>> estimate_1rm([100, 100], [1, 13], formula="brzycki")
    array([100.,  nan])
    """
    key = _formula(formula)
    max_reps = _positive_int("max_reps", max_reps)
    inputs = [load_kg, reps] + ([] if rpe is None else [rpe])
    w, r = _as_float(load_kg), _as_float(reps)
    p = None if rpe is None else _as_float(rpe)
    est = _e1rm(w, r, p, key, max_reps, single_rep_is_1rm)[0]
    series = next((x for x in inputs if isinstance(x, pd.Series)), None)
    if series is not None:
        return pd.Series(np.broadcast_to(est, series.shape), index=series.index, name=E1RM_KG)
    if all(np.ndim(x) == 0 for x in inputs):
        return float(est)
    return est


# --- shared table machinery ---------------------------------------------------------------------
def _dates(days: np.ndarray) -> np.ndarray:
    return days_to_datetime(np.asarray(days, dtype=np.int64))


def _blocks(day, end_day: int, weeks: int, any_length: bool) -> tuple[np.ndarray, pd.DataFrame]:
    """``analysis.periods`` block_index per day (days are <= end) and the block table."""
    uniq, inverse = np.unique(np.asarray(day, dtype=np.int64), return_inverse=True)
    dates = pd.DataFrame({DATE: _dates(uniq)})
    opts = {"weeks": weeks, "end": _dates(np.array([end_day]))[0], "any_length": any_length}
    index = label_blocks(dates, **opts)[BLOCK_INDEX].to_numpy(dtype=np.int64, na_value=1)
    return index[inverse], blocks(dates, **opts).set_index(BLOCK_INDEX)


def _block_columns(block: np.ndarray, table: pd.DataFrame) -> pd.DataFrame:
    rows = table.loc[block]
    return pd.DataFrame(
        {
            BLOCK_INDEX: pd.array(block, dtype="Int64"),
            BLOCK: pd.array(rows[BLOCK].to_numpy(), dtype="string"),
            "block_start": rows[BLOCK_START].to_numpy(),
            "block_end": rows[BLOCK_END].to_numpy(),
        }
    )


def _frame(columns: dict[str, tuple[object, str]]) -> pd.DataFrame:
    """A new RangeIndex frame from ``name: (values, dtype)``; NaN becomes NA."""
    return pd.DataFrame({k: pd.array(v, dtype=d) for k, (v, d) in columns.items()})


@dataclass
class _Log:
    """Working sets encoded once: sorted integer codes and float arrays (one entry per row)."""

    a: np.ndarray
    e: np.ndarray
    s: np.ndarray
    uniques: tuple[pd.Index, pd.Index, pd.Index]
    day: np.ndarray
    load: np.ndarray
    reps: np.ndarray
    rpe: np.ndarray | None
    extra: dict[str, np.ndarray]  # duration_s, distance_m (NaN when the column is absent)
    keep: np.ndarray  # working set with athlete, exercise, side and date
    info: pd.DataFrame  # per exercise code: metric, unilateral
    cache: dict = field(default_factory=dict)  # e1RM arrays per (formula, max_reps)


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted codes (-1 for NA) and uniques; object arrays hash about 2x faster than str."""
    values = column if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy(object)
    codes, uniques = pd.factorize(values, sort=True)
    return codes, pd.Index(uniques, dtype=object)


def _encode(sets: pd.DataFrame, *, use_rpe: bool, func: str) -> _Log:
    (a, a_uni), (e, e_uni), (s, s_uni) = (_factorize(sets[c]) for c in (ATHLETE, EXERCISE, SIDE))
    day, dated = day_numbers(sets[DATE], func=func)
    keep = ~sets[WARMUP].fillna(False).to_numpy(dtype=bool) & dated
    keep &= (a >= 0) & (e >= 0) & (s >= 0)
    nan = np.full(len(sets), np.nan)
    extra = {c: _as_float(sets[c]) if c in sets else nan for c in (DURATION_S, DISTANCE_M)}
    load = _as_float(sets[LOAD_KG])
    # catalog info per exercise; unknown exercises summarised as attach_info expects
    n = len(e_uni)
    sided = np.isin(s_uni.to_numpy(dtype=object), ["left", "right"])[np.maximum(s, 0)]
    summary = pd.DataFrame(
        {
            EXERCISE: e_uni.astype(str),
            SIDE: np.where(np.bincount(e[keep & sided], minlength=n) > 0, "left", "both"),
            LOAD_KG: np.where(np.bincount(e[keep & (load > 0)], minlength=n) > 0, 1.0, np.nan),
            DURATION_S: np.where(
                np.bincount(e[keep & ~np.isnan(extra[DURATION_S])], minlength=n) > 0, 1.0, np.nan
            ),
        }
    )
    info = attach_info(summary)
    info = pd.DataFrame(
        {
            METRIC: info["load_type"].map(_METRIC_OF).fillna(E1RM_KG).to_numpy(dtype=object),
            "unilateral": info["unilateral"].to_numpy(dtype=bool),
        }
    )
    rpe = _as_float(sets[RPE]) if use_rpe else None
    reps = _as_float(sets[REPS])
    return _Log(a, e, s, (a_uni, e_uni, s_uni), day, load, reps, rpe, extra, keep, info)


@dataclass
class _Sessions:
    """Session bests sorted by (g, day); ``groups`` has one row per series g."""

    groups: pd.DataFrame  # athlete, exercise, side, metric (+ load_kg for kind "reps")
    g: np.ndarray
    day: np.ndarray
    value: np.ndarray
    load: np.ndarray
    reps: np.ndarray
    n_sets: np.ndarray
    chart: np.ndarray
    codes: np.ndarray  # (3, n_groups): athlete, exercise, side codes of each g (sorted)


Kind = Literal["auto", "e1rm", "reps", "duration", "volume"]


def _sessions(
    log: _Log,
    *,
    kind: Kind,
    formula: str,
    max_reps: int,
    end_day: int | None = None,
    rows: np.ndarray | None = None,
) -> _Sessions:
    """Best working set per athlete, exercise, side, date (and load for ``kind="reps"``).

    ``auto`` takes each exercise's metric; ``volume`` sums reps x load instead of a best.
    """
    keep = log.keep if rows is None else log.keep & rows
    if end_day is not None:
        keep = keep & (log.day <= end_day)
    # the best set is chosen by the formula (exact reps), not by RPE ratings (see Session best)
    if (formula, max_reps) not in log.cache:
        e1rm, chart, rank = _e1rm(log.load, log.reps, log.rpe, formula, max_reps)
        log.cache[formula, max_reps] = (np.where(log.load > 0, e1rm, np.nan), chart, rank)
    e1rm, chart, rank = log.cache[formula, max_reps]
    metric_of_e = log.info[METRIC].to_numpy(dtype=object)
    is_e1rm = np.full(len(e1rm), kind == "e1rm")
    if kind == "auto":
        metric = metric_of_e[np.maximum(log.e, 0)]
        is_e1rm = metric == E1RM_KG
        value = np.where(is_e1rm, e1rm, np.where(metric == REPS, log.reps, np.nan))
        for name in (DURATION_S, DISTANCE_M):
            value = np.where(metric == name, log.extra[name], value)
    else:
        value = {
            "e1rm": e1rm,
            "reps": log.reps,
            "duration": log.extra[DURATION_S],
            "volume": log.reps * log.load,
        }[kind]
    keep = keep & ~np.isnan(value)
    if kind == "reps":
        keep &= ~np.isnan(log.load)
    idx = np.flatnonzero(keep)
    (_, e_uni, s_uni), day = log.uniques, log.day[idx]
    n_e, n_s = len(e_uni), len(s_uni)
    series = (log.a[idx].astype(np.int64) * n_e + log.e[idx]) * n_s + log.s[idx]
    loads = np.array([1.0])
    if kind == "reps":
        l_code, loads = pd.factorize(log.load[idx], sort=True)
        series = series * len(loads) + l_code
    day0 = int(day.min()) if len(day) else 0
    span = int(day.max()) - day0 + 1 if len(day) else 1
    key = series * span + (day - day0)
    order = np.argsort(key, kind="stable")  # sessions; best set = max value, then max load
    key_o, rows_o = key[order], idx[order]
    starts = np.flatnonzero(np.r_[True, key_o[1:] != key_o[:-1]][: len(key_o)])
    n_sets = np.diff(np.r_[starts, len(order)])
    # best set: highest (formula) value, then heavier, then rated, then closest to failure
    criteria = [np.where(is_e1rm, rank, value)[rows_o], log.load[rows_o]]
    if log.rpe is not None and kind in ("auto", "e1rm"):
        criteria += [~np.isnan(log.rpe[rows_o]), log.rpe[rows_o]]
    pick = rows_o[_first_max(starts, *criteria)]
    best = value[pick]
    if kind == "volume" and len(starts):
        best = np.add.reduceat(value[rows_o], starts)
    series_o = key_o // span
    uniq, g = np.unique(series_o[starts], return_inverse=True)
    rest = uniq // len(loads)
    a, e, s = rest // (n_e * n_s), (rest // n_s) % n_e, rest % n_s
    names = {"e1rm": E1RM_KG, "reps": REPS, "duration": DURATION_S, "volume": "volume_load_kg"}
    groups = {
        ATHLETE: (log.uniques[0].take(a), "string"),
        EXERCISE: (e_uni.take(e), "string"),
        SIDE: (s_uni.take(s), "string"),
        METRIC: (metric_of_e[e] if kind == "auto" else np.full(len(e), names.get(kind)), "string"),
    }
    if kind == "reps":
        groups[LOAD_KG] = (loads[uniq % len(loads)], "Float64")
    return _Sessions(
        _frame(groups),
        g.astype(np.int64),
        log.day[pick],
        best,
        log.load[pick],
        log.reps[pick],
        n_sets,
        chart[pick],
        np.vstack([a, e, s]),
    )


def _first_max(starts: np.ndarray, *criteria: np.ndarray) -> np.ndarray:
    """Position of the first row of each segment maximising ``criteria`` in order (NaN lowest)."""
    n = len(criteria[0])
    if not len(starts):
        return starts
    segment = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    cand = np.ones(n, dtype=bool)
    for crit in criteria:
        score = np.where(cand, np.nan_to_num(crit.astype(float), nan=-np.inf), -np.inf)
        cand &= score == np.maximum.reduceat(score, starts)[segment]
    win = np.flatnonzero(cand)
    return win[np.r_[True, segment[win][1:] != segment[win][:-1]]]


def _typical_error(g: np.ndarray, value: np.ndarray, n_groups: int) -> np.ndarray:
    """SD (ddof=1) of successive differences within each g, / sqrt(2); NaN below 2 diffs."""
    same = g[1:] == g[:-1]
    d, gd = (value[1:] - value[:-1])[same], g[1:][same]
    n = np.bincount(gd, minlength=n_groups)
    with np.errstate(all="ignore"):
        mean = np.bincount(gd, d, minlength=n_groups) / n
        ss = np.bincount(gd, (d - mean[gd]) ** 2, minlength=n_groups)
        return np.where(n >= 2, np.sqrt(ss / (n - 1)) / np.sqrt(2), np.nan)


def _group_sort(gid: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Order by (gid, values), like ``np.lexsort((values, gid))`` but 3-10x faster."""
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.argsort(values)] = np.arange(len(values))
    return np.argsort(gid.astype(np.int64) * len(values) + rank)


def _theil_sen(gid, x, y, n_groups: int, *, x_unique: bool = False) -> np.ndarray:
    """Vectorised ``scipy.stats.theilslopes``: rows slope, 95 % low, high per sorted group id.

    ``x_unique`` skips the tie correction for x (one session per date and series).
    """
    out = np.full((3, n_groups), np.nan)
    n = len(x)
    counts = np.bincount(gid, minlength=n_groups)
    idx = np.arange(n)
    cnt = np.cumsum(counts)[gid] - idx - 1  # later points in the same group
    i = np.repeat(idx, cnt)
    j = i + 1 + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    dx = x[j] - x[i]
    ok = dx != 0
    pg = gid[i][ok]
    slope = (y[j] - y[i])[ok] / dx[ok]
    if not len(slope):
        return out
    order = _group_sort(pg, slope)
    slope, pg = slope[order], pg[order]
    nt = np.bincount(pg, minlength=n_groups)
    start = np.cumsum(nt) - nt
    has = nt > 0
    hi = np.minimum(start + nt // 2, len(slope) - 1)
    lo = np.where(nt % 2 == 1, hi, np.maximum(hi - 1, 0))
    out[0, has] = ((slope[lo] + slope[hi]) / 2)[has]
    ties = np.zeros(n_groups)
    for arr in (y,) if x_unique else (x, y):  # Sen (1968) eq. 2.6 tie correction, as scipy
        o = _group_sort(gid, arr)
        ga, va = gid[o], arr[o]
        run = np.r_[True, (ga[1:] != ga[:-1]) | (va[1:] != va[:-1])]
        k = np.diff(np.r_[np.flatnonzero(run), n]).astype(float)
        ties += np.bincount(ga[run], k * (k - 1) * (2 * k + 5), minlength=n_groups)
    ny = counts.astype(float)
    sigma = np.sqrt(np.maximum((ny * (ny - 1) * (2 * ny + 5) - ties) / 18.0, 0))
    ru = np.minimum(np.round((nt - _Z95 * sigma) / 2).astype(np.int64), nt - 1)
    rl = np.maximum(np.round((nt + _Z95 * sigma) / 2).astype(np.int64) - 1, 0)
    out[1, has] = slope[(start + rl)[has]]
    out[2, has] = slope[(start + ru)[has]]
    return out


# --- public table functions ---------------------------------------------------------------------
_BASE = (ATHLETE, DATE, EXERCISE, SIDE, REPS, LOAD_KG, WARMUP)


def _check(sets: pd.DataFrame, func: str, use_rpe: bool, extra: tuple[str, ...] = ()) -> None:
    require_columns(sets, [*_BASE, *extra, *([RPE] if use_rpe else [])], func=func)


def set_e1rm(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
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
    _check(sets, "set_e1rm", use_rpe, (SET_INDEX,))
    key, max_reps = _formula(formula), _positive_int("max_reps", max_reps)
    work = sets.loc[~sets[WARMUP].fillna(False).astype(bool)]
    load = _as_float(work[LOAD_KG])
    est, chart, _ = _e1rm(
        load, _as_float(work[REPS]), _as_float(work[RPE]) if use_rpe else None, key, max_reps
    )
    est[~(load > 0)] = np.nan
    method = np.where(chart, "rpe_chart", key).astype(object)
    method[np.isnan(est)] = None
    out = work[[ATHLETE, DATE, EXERCISE, SIDE, SET_INDEX, LOAD_KG, REPS]].reset_index(drop=True)
    return out.assign(
        **{E1RM_KG: pd.array(est, dtype="Float64"), METHOD: pd.array(method, dtype="string")}
    )


def _method(chart: np.ndarray, key: str) -> np.ndarray:
    return np.where(chart, "rpe_chart", key)


def best_e1rm(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
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
    0    121.0         110.0          3       2
    """
    _check(sets, "best_e1rm", use_rpe)
    key, max_reps = _formula(formula), _positive_int("max_reps", max_reps)
    s = _sessions(
        _encode(sets, use_rpe=use_rpe, func="best_e1rm"),
        kind="e1rm",
        formula=key,
        max_reps=max_reps,
    )
    grp = s.groups.take(s.g).reset_index(drop=True)
    out = _frame(
        {
            DATE: (_dates(s.day), "datetime64[us]"),
            E1RM_KG: (s.value, "Float64"),
            "best_load_kg": (s.load, "Float64"),
            "best_reps": (s.reps, "Int64"),
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
        out = out.take(np.argsort(key, kind="stable"))
    return out.reset_index(drop=True)


def _int_option(name: str, value: object, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} expected an integer from {low} to {high}, got {value!r} instead.")
    return int(value)


def _prev_best(g: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Best of the earlier sessions of the same series (-inf for a series' first session)."""
    best = pd.Series(value).groupby(g).cummax().to_numpy()
    prev = np.r_[-np.inf, best[:-1]]
    prev[np.r_[True, g[1:] != g[:-1]]] = -np.inf
    return prev


def _boolean(values: np.ndarray, known: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Nullable boolean: ``values`` where ``known``, else NA."""
    out = np.asarray(values).astype(object)
    out[~np.asarray(known, dtype=bool)] = None
    return pd.array(out, dtype="boolean")


def _prepare(sets, func, *, formula, use_rpe, max_reps, end, min_sessions):
    _check(sets, func, use_rpe, (DURATION_S,))
    key, max_reps = _formula(formula), _positive_int("max_reps", max_reps)
    min_sessions = _int_option("min_sessions", min_sessions, 2, 1000)
    log = _encode(sets, use_rpe=use_rpe, func=func)
    end_day = _end_day(end, log.day[log.keep])
    s = _sessions(log, kind="auto", formula=key, max_reps=max_reps, end_day=end_day)
    return s, end_day, min_sessions


def e1rm_trend(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end=None,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
    min_sessions: int = 3,
    any_length: bool = False,
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
        value), ``noise`` (typical error, metric units), ``mdc95`` (1.96 * sqrt(2) * noise),
        ``change_exceeds_noise`` (boolean), ``method`` (``"theil_sen"``) and ``status``
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
    Trend = Theil-Sen slope with Sen's CI (as ``scipy.stats.theilslopes``); noise = SD of
    successive session differences / sqrt(2) over all sessions up to ``end``; a change exceeds
    the noise when ``|change| > mdc95`` (Weir 2005). A change needs ``min_sessions`` in both
    blocks. See the module docstring.

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
    s, end_day, min_sessions = _prepare(
        sets,
        "e1rm_trend",
        formula=formula,
        use_rpe=use_rpe,
        max_reps=max_reps,
        end=end,
        min_sessions=min_sessions,
    )
    noise = _typical_error(s.g, s.value, len(s.groups))
    block, table = _blocks(s.day, end_day, weeks, any_length)
    new = np.r_[True, (s.g[1:] != s.g[:-1]) | (block[1:] != block[:-1])][: len(s.g)]
    starts = np.flatnonzero(new)
    gb = np.cumsum(new) - 1
    n = np.diff(np.r_[starts, len(gb)])
    mean = np.bincount(gb, s.value, minlength=len(starts)) / np.maximum(n, 1)
    best = np.maximum.reduceat(s.value, starts) if len(starts) else np.array([])
    trend = _theil_sen(gb, s.day / 7.0, s.value, len(starts), x_unique=True)
    g, b = s.g[starts], block[starts]
    ok = n >= min_sessions
    prev = np.r_[False, (g[1:] == g[:-1]) & (b[1:] == b[:-1] + 1) & ok[:-1]][: len(g)] & ok
    change = np.where(prev, mean - np.r_[np.nan, mean[:-1]][: len(g)], np.nan)
    mdc = -_Z95 * np.sqrt(2) * noise[g]
    known = ~np.isnan(change) & ~np.isnan(mdc)
    out = _block_columns(b, table)
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
        "noise": pd.array(noise[g], dtype="Float64"),
        "mdc95": pd.array(mdc, dtype="Float64"),
        "change_exceeds_noise": _boolean(np.abs(change) > mdc, known),
        METHOD: pd.array(np.full(len(g), "theil_sen"), dtype="string"),
        STATUS: pd.array(np.where(ok, "ok", NOT_ENOUGH), dtype="string"),
    }
    return out.assign(**cols)


def stalls(
    sets: pd.DataFrame,
    *,
    min_weeks: float = 3,
    end=None,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
    min_sessions: int = 3,
) -> pd.DataFrame:
    """Lifts with no gain beyond the athlete's own noise for ``min_weeks`` or more.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    min_weeks : float, default=3
        Weeks without a gain that make a stall.
    end : date-like, default=None
        Reassessment date; later sessions are ignored. Default the last logged date.
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE.
    max_reps : int, default=12
        No e1RM above this many reps.
    min_sessions : int, default=3
        Fewer sessions give status ``"not enough data"`` (the noise needs 2 differences).

    Returns
    -------
    DataFrame
        One row per athlete, exercise and side, sorted in that order: ``athlete``,
        ``exercise``, ``side``, ``metric`` (unit of the value columns), ``n_sessions``,
        ``first_date``, ``last_date``, ``best_value``, ``last_value`` (session best at
        ``last_date``), ``noise`` (typical error), ``since`` (date of the last gain),
        ``weeks_stalled`` (weeks from ``since`` to ``last_date``), ``stalled`` (boolean; NA
        unless status is ok) and ``status``: ``"ok"``, ``"not enough data"`` or ``"not
        recent"`` (no session in the last ``min_weeks`` weeks before ``end``).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Bad ``min_weeks``, ``end``, ``formula``, ``max_reps`` or ``min_sessions``.

    Notes
    -----
    A gain is a session best above the best of all earlier sessions by more than the noise
    (SD of successive differences / sqrt(2)); the first session is the baseline. Using the
    noise itself (not MDC95) as the bar makes a stall hard to claim. See the module docstring.

    Examples
    --------
    >>> days = pd.date_range("2026-10-05", periods=8, freq="7D")
    >>> sets = pd.DataFrame({"athlete": "A", "date": days, "exercise": "goblet_squat",
    ...     "side": "both", "reps": 10, "load_kg": [20.0, 22, 24, 24, 24, 24, 24, 24],
    ...     "rpe": float("nan"), "duration_s": float("nan"), "warmup": False})
    >>> stalls(sets)[["since", "weeks_stalled", "stalled", "status"]]
           since  weeks_stalled  stalled status
    0 2026-10-19            5.0     True     ok
    """
    if isinstance(min_weeks, bool) or not isinstance(min_weeks, int | float) or not min_weeks > 0:
        raise ValueError(
            f"min_weeks expected a positive number of weeks, got {min_weeks!r} instead."
        )
    s, end_day, min_sessions = _prepare(
        sets,
        "stalls",
        formula=formula,
        use_rpe=use_rpe,
        max_reps=max_reps,
        end=end,
        min_sessions=min_sessions,
    )
    n_groups = len(s.groups)
    noise = _typical_error(s.g, s.value, n_groups)
    prev = _prev_best(s.g, s.value)
    finite = np.isfinite(prev)
    bar = np.where(finite, prev + np.nan_to_num(noise[s.g]), -np.inf)
    bar += 1e-9 * np.maximum(1.0, np.abs(np.where(finite, prev, 0.0)))
    gain = s.value > bar
    starts = np.flatnonzero(np.r_[True, s.g[1:] != s.g[:-1]][: len(s.g)])
    last = (np.r_[starts[1:], len(s.g)] - 1)[: len(starts)]
    if len(starts):
        since = np.maximum.reduceat(np.where(gain, s.day, s.day[starts][s.g]), starts)
        best = np.maximum.reduceat(s.value, starts)
    else:
        since = best = np.array([])
    n = np.diff(np.r_[starts, len(s.g)])
    enough = n >= min_sessions
    recent = s.day[last] > end_day - 7 * min_weeks
    ok = enough & recent
    status = np.where(~enough, NOT_ENOUGH, np.where(recent, "ok", "not recent"))
    weeks_stalled = np.where(enough, (s.day[last] - since) / 7, np.nan)
    out = s.groups.copy()
    return out.assign(
        **{
            METRIC: out.pop(METRIC),
            "n_sessions": pd.array(n, dtype="Int64"),
            "first_date": pd.array(_dates(s.day[starts]), dtype="datetime64[us]"),
            "last_date": pd.array(_dates(s.day[last]), dtype="datetime64[us]"),
            "best_value": pd.array(best, dtype="Float64"),
            "last_value": pd.array(s.value[last], dtype="Float64"),
            "noise": pd.array(noise, dtype="Float64"),
            "since": pd.array(
                np.where(enough, _dates(since), np.datetime64("NaT")), dtype="datetime64[us]"
            ),
            "weeks_stalled": pd.array(weeks_stalled, dtype="Float64"),
            "stalled": _boolean(weeks_stalled >= min_weeks, ok),
            STATUS: pd.array(status, dtype="string"),
        }
    )


def personal_records(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
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
    _check(sets, "personal_records", use_rpe, (DURATION_S,))
    key, max_reps = _formula(formula), _positive_int("max_reps", max_reps)
    log = _encode(sets, use_rpe=use_rpe, func="personal_records")
    kinds: tuple[tuple[str | None, Kind], ...] = (
        (E1RM_KG, "e1rm"),
        ("reps_at_load", "reps"),
        (None, "auto"),  # holds and distances; bodyweight reps are already reps_at_load
    )
    parts = []
    for record, kind in kinds:
        s = _sessions(log, kind=kind, formula=key, max_reps=max_reps)
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
            DATE: _dates(day[order]),
            "record": pd.array(name[order], dtype="string"),
            LOAD_KG: pd.array(load[order], dtype="Float64"),
            REPS: pd.array(reps[order], dtype="Int64"),
            VALUE: pd.array(value[order], dtype="Float64"),
            "previous_value": pd.array(prev[order], dtype="Float64"),
        }
    )

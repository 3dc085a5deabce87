"""Progress signals of a lift: session summaries, like-with-like session types, deloads, the
stall clock and block changes with their uncertainty. The definitions are in
:mod:`analysis.progression` ("Lift status"); this module computes them on arrays.

Everything here works on one table of sessions (one row per athlete, exercise, side and day
of working sets), built once by :func:`session_table` from a :class:`Prepared` log and kept in
its memo, so the lift status, the stall table and the findings read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._engine.prepared import Prepared
from analysis._engine.sessions import series_day_keys, set_e1rm_arrays
from analysis._engine.stats import Z, group_sort, lexsort2, stable_group_order
from analysis.columns import DURATION_S

#: Sessions of one type in a rolling level (the stall clock's median of the last three).
LEVEL_SESSIONS = 4
#: Residual degrees of freedom below which a block change also uses the prior noise.
MIN_NOISE_DF = 4
#: Prior session-to-session noise, used with fewer than MIN_NOISE_DF degrees of freedom:
#: e1RM and hold as a share of the level (repeated 1RM tests vary 2-4 %, domain.md section 4;
#: time to failure more), reps and sets in their own units.
PRIOR_CV = {"e1rm": 0.03, "hold": 0.08}
PRIOR_SD = {"reps": 1.0, "sets": 0.5}
#: A week is a deload when its top load falls to this share of the two weeks before (or its
#: sets to SETS_DROP) and the load comes back to RETURN_SHARE of it within two weeks.
LOAD_DROP, SETS_DROP, RETURN_SHARE = 0.85, 0.6, 0.95
#: Two session types (heavy and light days) when their rep counts differ by this factor and
#: they alternate (a switch of type in at least this share of consecutive sessions).
TYPE_REP_RATIO, TYPE_SWITCH_SHARE = 1.5, 1 / 3


@dataclass
class SessionTable:
    """One row per series (athlete, exercise, side) and session day, sorted by series and day.

    ``frame`` columns: ``g`` (series code), ``day`` (day number), ``n_sets`` (working sets),
    ``top_load`` (kg, NaN without a load), ``sets_at_top``, ``reps_at_top`` (median reps of the
    sets at the top load), ``reps`` (most reps in a set), ``hold`` (longest hold, s),
    ``e1rm`` (best e1RM by the series' one method, kg), ``kind`` (``e1rm``, ``reps`` or
    ``hold``: what the session's progress is judged on), ``type`` (0 or 1: like-with-like
    session type) and ``deload`` (bool). ``series`` has one row per ``g``: ``a``, ``e``, ``s``
    codes, ``method`` (``rpe_chart`` or the formula) and the resolutions ``load_step`` (kg),
    ``hold_step`` (s) and ``e1rm_step`` (kg).
    """

    frame: pd.DataFrame
    series: pd.DataFrame


def session_table(
    prep: Prepared, *, formula: str, max_reps: int, end_day: int | None, func: str
) -> SessionTable:
    """The sessions of every series up to ``end_day`` (memoised on ``prep``)."""
    key = ("session_table", formula, max_reps, end_day)
    return prep.memo(key, lambda: _build(prep, formula, max_reps, end_day, func))


def _build(prep: Prepared, formula: str, max_reps: int, end_day: int | None, func: str):
    log = prep.log(use_rpe=True, func=func)
    keep = log.keep if end_day is None else log.keep & (log.day <= end_day)
    # rows in (series, day, row) order, with their (series, day) keys: the log's one sort, filtered
    base, base_key, span = series_day_keys(log)
    in_base = keep[base]
    idx, key = base[in_base], base_key[in_base]
    del in_base  # at a million sets every array is 8 MB: each is let go once used (peak memory)
    n_e, n_s = len(log.uniques[1]), len(log.uniques[2])
    g = key // span
    load, reps = log.load[idx], log.reps[idx]
    hold = log.extra[DURATION_S][idx]
    e1rm_all, chart_all, _ = set_e1rm_arrays(log, formula, max_reps)  # one method per series
    e1rm, chart = e1rm_all[idx], chart_all[idx]
    # every per-session value by reduceat over the runs of equal (series, day)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    del key
    day = log.day[idx[starts]]
    del idx
    n_sets = np.diff(np.r_[starts, len(g)])
    session = np.repeat(np.arange(len(starts)), n_sets)

    def top(values: np.ndarray) -> np.ndarray:  # max skipping NaN, NaN when all are (groupby max)
        return np.fmax.reduceat(values, starts) if len(starts) else values[:0]

    top_load = top(load)
    at_top = (load == top_load[session]) | (np.isnan(top_load[session]) & np.isnan(load))
    frame = pd.DataFrame(
        {
            "g": g[starts],
            "day": day,
            "n_sets": n_sets.astype(np.int64),
            "top_load": top_load,
            "reps": top(reps),
            "hold": top(hold),
            "e1rm": top(e1rm),
            "sets_at_top": np.bincount(session[at_top], minlength=len(starts)).astype(np.int64),
            "reps_at_top": _session_medians(reps[at_top], session[at_top], len(starts)),
        }
    )
    del reps, e1rm, session, at_top
    info_metric = log.info["metric"].to_numpy(dtype=object)
    e_code = (frame["g"].to_numpy() // n_s) % n_e
    timed = (info_metric[e_code] == DURATION_S) | (
        frame["reps"].isna().to_numpy() & frame["hold"].notna().to_numpy()
    )
    loaded = frame["top_load"].to_numpy() > 0
    frame["kind"] = np.where(timed, "hold", np.where(loaded, "e1rm", "reps"))
    series = _series(frame, chart, g, n_e, n_s, formula, load, hold)
    frame["type"] = _session_types(frame)
    frame["deload"] = _deloads(frame, series)
    return SessionTable(frame, series)


def _session_medians(values: np.ndarray, session: np.ndarray, n: int) -> np.ndarray:
    """Median of ``values`` per session id (NaN skipped; NaN when none), as a groupby median.

    Sessions whose values are all equal (most: every set at the top load has the same reps)
    take that value; only the others are sorted.
    """
    ok = ~np.isnan(values)
    if not ok.all():
        values, session = values[ok], session[ok]
    out = np.full(n, np.nan)
    if not len(values):
        return out
    if (session[1:] < session[:-1]).any():  # not grouped: sort every row
        mixed = np.ones(len(values), dtype=bool)
    else:
        count = np.bincount(session, minlength=n)
        has = np.flatnonzero(count)
        first = (np.cumsum(count) - count)[has]
        low, high = np.minimum.reduceat(values, first), np.maximum.reduceat(values, first)
        flat = low == high
        out[has[flat]] = low[flat]
        if flat.all():
            return out
        mixed = np.repeat(~flat, count[has])
    values, session = values[mixed], session[mixed]
    order = group_sort(session, values)  # by session, then value (few distinct: radix passes)
    values, session = values[order], session[order]
    count = np.bincount(session, minlength=n)
    start = np.cumsum(count) - count
    some = count > 0
    lo = (start + (count - 1) // 2)[some]
    hi = (start + count // 2)[some]
    out[some] = np.where(lo == hi, values[lo], (values[lo] + values[hi]) / 2)
    return out


def _smallest_steps(gi: np.ndarray, values: np.ndarray, n: int, *, above: float, inclusive: bool) -> np.ndarray:
    """Per series index ``gi``: the smallest difference between its distinct values > 0 that is
    above ``above`` (at least it when ``inclusive``); NaN for none. Distinct (series, value)
    pairs by codes (values factorized once), not by hashing every row's pair."""
    sel = values > 0
    out = np.full(n, np.nan)
    if not sel.any():
        return out
    vcode, uniq = pd.factorize(values[sel], sort=True)
    width = len(uniq)
    key = gi[sel].astype(np.int64) * width + vcode
    if n * width <= 4 * len(key) + 1024:  # presence by flags (one byte a pair): no sort
        present = np.zeros(n * width, dtype=bool)
        present[key] = True
        pairs = np.flatnonzero(present)
    else:
        pairs = np.unique(key)
    pg, pv = pairs // width, np.asarray(uniq, dtype=float)[pairs % width]
    diff = pv[1:] - pv[:-1]
    ok = (pg[1:] == pg[:-1]) & ((diff >= above) if inclusive else (diff > above))
    step = np.full(n, np.inf)
    np.minimum.at(step, pg[1:][ok], diff[ok])
    return np.where(np.isfinite(step), step, np.nan)


def _series(frame, chart, g, n_e, n_s, formula, load, hold) -> pd.DataFrame:
    """One row per series; ``g`` (rows sorted by it), ``chart``, ``load`` and ``hold`` are per working set."""
    fg = frame["g"].to_numpy()  # sorted, as the rows' g: positions by counting runs, no search
    new_fg = np.r_[True, fg[1:] != fg[:-1]][: len(fg)]
    codes = fg[new_fg]
    n = len(codes)
    gi = np.cumsum(np.r_[True, g[1:] != g[:-1]][: len(g)]) - 1
    # one method per series (set_e1rm_arrays): a series that used the chart used it throughout
    rated = np.bincount(gi, chart, minlength=n) > 0 if len(gi) else np.zeros(n, dtype=bool)
    step = _smallest_steps(gi, load, n, above=0.25, inclusive=False)
    step = np.maximum(np.where(np.isnan(step), 2.5, step), 0.5)
    hstep = _smallest_steps(gi, hold, n, above=1.0, inclusive=True)
    hstep = np.where(np.isnan(hstep), 5.0, hstep)
    fgi = np.cumsum(new_fg) - 1
    load_typ = _session_medians(frame["top_load"].to_numpy(dtype=float), fgi, n)
    reps_typ = np.clip(_session_medians(frame["reps_at_top"].to_numpy(dtype=float), fgi, n), 1, 30)
    # the e1RM of one more plate step, or of one more rep, at the series' typical set
    e1rm_step = np.fmin(step * (1 + reps_typ / 30), load_typ / 30)
    return pd.DataFrame(
        {
            "g": codes,
            "a": codes // (n_e * n_s),
            "e": (codes // n_s) % n_e,
            "s": codes % n_s,
            "method": np.where(rated, "rpe_chart", formula),
            "load_step": step,
            "hold_step": hstep,
            "e1rm_step": np.where(np.isnan(e1rm_step), step, e1rm_step),
        }
    )


def _session_types(frame: pd.DataFrame) -> np.ndarray:
    """0 for every session, or 0 (heavy) / 1 (light) when a series alternates rep ranges.

    Heavy and light days are told apart only when their rep counts differ by
    :data:`TYPE_REP_RATIO` (25th vs 75th percentile) and they alternate: a rep count rising
    through a block (8 -> 13 reps) is progress, not two kinds of day.
    """
    reps = frame["reps_at_top"].to_numpy(dtype=float)
    g = frame["g"]
    q = pd.Series(reps).groupby(g.to_numpy())
    lo = pd.Series(q.quantile(0.25).reindex(g.to_numpy()).to_numpy())
    hi = pd.Series(q.quantile(0.75).reindex(g.to_numpy()).to_numpy())
    mid = np.sqrt(lo.to_numpy() * hi.to_numpy())
    light = (reps > mid).astype(np.int8)
    same = g.to_numpy()[1:] == g.to_numpy()[:-1]
    switch = np.r_[False, same & (light[1:] != light[:-1])]
    n = g.groupby(g).transform("size").to_numpy()
    switches = pd.Series(switch).groupby(g.to_numpy()).transform("sum").to_numpy()
    two = (hi.to_numpy() >= TYPE_REP_RATIO * lo.to_numpy()) & (switches >= TYPE_SWITCH_SHARE * n)
    two &= n >= 6
    return np.where(two & ~np.isnan(reps), light, 0).astype(np.int8)


def _deloads(frame: pd.DataFrame, series: pd.DataFrame) -> np.ndarray:
    """Sessions in a deload week: a clear one- or two-week drop in load or sets, then a return.

    Judged per series and session type on weekly tops (ISO weeks), then made an athlete-level
    fact: a week is a deload for every lift of the athlete when it is one for at least half of
    the lifts trained that week. On integer keys: one sort of the sessions by (series, type,
    week), neighbours within a run for the shifts, counts for the athlete's share of lifts.
    """
    g = frame["g"].to_numpy()
    if not len(g):
        return np.zeros(0, dtype=bool)
    day = frame["day"].to_numpy()
    week = day - (day + 3) % 7
    load = frame["top_load"].fillna(0).to_numpy(dtype=float)
    size = np.where(load > 0, load, frame["hold"].fillna(0).to_numpy(dtype=float))
    sets = frame["n_sets"].to_numpy(dtype=float)
    w0 = int(week.min())
    nw = (int(week.max()) - w0) // 7 + 1
    wi = (week - w0) // 7
    key = (g * 2 + frame["type"].to_numpy().astype(np.int64)) * nw + wi
    order = stable_group_order(key)
    ko = key[order]
    starts = np.flatnonzero(np.r_[True, ko[1:] != ko[:-1]])
    wsize = np.maximum.reduceat(size[order], starts)
    wsets = np.maximum.reduceat(sets[order], starts)
    wkey = ko[starts]
    gt, wweek = wkey // nw, (w0 + (wkey % nw) * 7).astype(float)

    def shifted(x: np.ndarray, k: int) -> np.ndarray:  # groupby(g, type).shift(k)
        out = np.full(len(x), np.nan)
        if k > 0:
            same = gt[k:] == gt[:-k]
            out[k:][same] = x[:-k][same]
        else:
            same = gt[:k] == gt[-k:]
            out[:k][same] = x[-k:][same]
        return out

    before = np.fmax(shifted(wsize, 1), shifted(wsize, 2))
    before_sets = np.fmax(shifted(wsets, 1), shifted(wsets, 2))
    after = np.fmax(shifted(wsize, -1), shifted(wsize, -2))
    gap_before = wweek - shifted(wweek, 1)
    with np.errstate(invalid="ignore"):
        drop = (wsize <= LOAD_DROP * before) | (wsets <= SETS_DROP * before_sets)
        back = after >= RETURN_SHARE * before
        flagged = drop & back & (gap_before <= 14) & (before > 0)
    # athlete level: half of the lifts trained that week
    codes = series["g"].to_numpy()
    a_of = series["a"].to_numpy().astype(np.int64)
    wa = a_of[np.searchsorted(codes, gt // 2)]
    n_g = len(codes)
    lift = (wa * nw + (wkey % nw)) * n_g + np.searchsorted(codes, gt // 2)  # (athlete, week, lift)
    lift_keys, lift_pos = np.unique(lift, return_inverse=True)
    any_flag = np.bincount(lift_pos, flagged, minlength=len(lift_keys)) > 0
    aw_keys, aw_pos = np.unique(lift_keys // n_g, return_inverse=True)  # (athlete, week)
    share = np.bincount(aw_pos, any_flag, minlength=len(aw_keys)) / np.bincount(aw_pos, minlength=len(aw_keys))
    deload_weeks = aw_keys[share >= 0.5]
    sess = a_of[np.searchsorted(codes, g)] * nw + wi
    return np.isin(sess, deload_weeks)


def rolling_levels(frame: pd.DataFrame) -> np.ndarray:
    """A session's score, as its median over the last sessions of the same type.

    The score orders sessions the way runners are told to progress: a higher load x reps
    product (Epley's ``load (1 + reps / 30)`` of the top load and its median reps, for ordering
    only: more load at the same reps, or more reps at the same load, both raise it, while
    trading reps for load at the same effort does not), then more sets at it; bodyweight
    lifts by reps, holds by seconds, then sets. Deload sessions get NaN and do not enter the
    medians.
    """
    f = frame
    load = f["top_load"].fillna(0).to_numpy(dtype=float)
    reps = np.nan_to_num(f["reps_at_top"].to_numpy(dtype=float))
    kind = f["kind"].to_numpy(dtype=object)
    size = np.select(
        [kind == "hold", kind == "reps"],
        [f["hold"].fillna(0).to_numpy(dtype=float), reps],
        load * (1 + reps / 30),
    )
    sets = np.where(kind == "hold", f["n_sets"], f["sets_at_top"]).astype(float)
    score = np.round(size, 3) * 1000 + sets
    score = np.where(f["deload"].to_numpy(), np.nan, score)
    return _rolling_lower_median(score, f["g"].to_numpy() * 2 + f["type"].to_numpy(), f["day"].to_numpy())


def _rolling_lower_median(value: np.ndarray, group: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Lower median of each value and the up to LEVEL_SESSIONS - 1 before it in its group.

    NaN values are skipped (they neither enter a window nor get a level); vectorised: a
    window is a row of a (n, LEVEL_SESSIONS) array, sorted with NaN last.
    """
    out = np.full(len(value), np.nan)
    ok = np.flatnonzero(~np.isnan(value))
    order = ok[lexsort2(day[ok], group[ok])]
    v, g = value[order], group[order]
    k = LEVEL_SESSIONS
    window = np.full((len(v), k), np.nan)
    for lag in range(k):
        same = np.zeros(len(v), dtype=bool)
        same[lag:] = g[lag:] == g[: len(g) - lag] if lag else True
        window[lag:, lag] = np.where(same[lag:], v[: len(v) - lag], np.nan)
    count = np.sum(~np.isnan(window), axis=1)
    window.sort(axis=1)
    out[order] = window[np.arange(len(v)), np.maximum((count - 1) // 2, 0)]
    return out


def progress_events(frame: pd.DataFrame) -> np.ndarray:
    """True at a session whose rolling level beats every earlier level of its series and type."""
    level = rolling_levels(frame)
    key = frame["g"].to_numpy() * 2 + frame["type"].to_numpy()
    order = lexsort2(frame["day"].to_numpy(), key)
    lv = pd.Series(level[order])
    grp_key = key[order]
    best = lv.fillna(-np.inf).groupby(grp_key, sort=False).cummax()
    best_before = best.groupby(grp_key, sort=False).shift(1)
    event = (lv > best_before).to_numpy()
    out = np.zeros(len(level), dtype=bool)
    out[order] = event
    return out


def block_change(
    value: np.ndarray,
    g: np.ndarray,
    block: np.ndarray,
    stratum: np.ndarray,
    n_groups: int,
    *,
    prior_sd: np.ndarray,
    resolution: np.ndarray,
) -> dict[str, np.ndarray]:
    """Current minus previous block mean per series, like with like, with a 95 % CI.

    ``block`` is 0 (previous), 1 (current) or -1 (neither); ``stratum`` the session type (and
    load, for reps at a load). The change is the weighted mean of the within-stratum
    differences, weights ``n_p n_c / (n_p + n_c)`` (least squares with a stratum effect); its
    SE uses the pooled within-cell SD, which with fewer than :data:`MIN_NOISE_DF` degrees of
    freedom is never below ``prior_sd``; the CI's half-width is never below half the
    ``resolution`` (the rounding of a value logged in plate steps or whole reps). ``clear`` is
    ``+1``/``-1`` when the CI excludes 0 and the change is at least ``resolution``, else 0.
    """
    ok = (block >= 0) & ~np.isnan(value)
    # cells (g, stratum, block) as one int64 key in the same order: grouping by one integer
    # column costs a fifth of grouping by three (pandas builds no MultiIndex); the size, mean
    # and var are still pandas' kernels, so the same numbers
    st_code, st_uniques = pd.factorize(stratum[ok], sort=True)
    n_st = max(len(st_uniques), 1)
    key = (g[ok].astype(np.int64) * n_st + st_code) * 2 + block[ok]
    cells = pd.Series(value[ok]).groupby(key, sort=True)
    size, mean, var = cells.size(), cells.mean(), cells.var()
    skey = size.index.to_numpy(dtype=np.int64)
    stats = {"size": size.to_numpy(dtype=float), "mean": mean.to_numpy(dtype=float),
             "ss": np.where(var.isna(), 0.0, var.to_numpy(dtype=float)) * (size.to_numpy() - 1)}  # fmt: skip
    # one row per (g, st) cell, the previous and current block side by side (a pivot, by
    # position: the keys are sorted by g, st, b)
    sg, sb, cell_key = skey // (2 * n_st), skey % 2, skey // 2
    new_cell = np.r_[True, cell_key[1:] != cell_key[:-1]][: len(sg)]
    cell = np.cumsum(new_cell) - 1
    n_cells = int(new_cell.sum())

    def col(name: str, b: int, fill: float) -> np.ndarray:
        out = np.full(n_cells, fill)
        here = sb == b
        values = stats[name]
        out[cell[here]] = np.where(np.isnan(values), fill, values)[here]
        return out

    n_p, n_c = col("size", 0, 0.0), col("size", 1, 0.0)
    m_p, m_c = col("mean", 0, np.nan), col("mean", 1, np.nan)
    ss = col("ss", 0, 0.0) + col("ss", 1, 0.0)
    both = (n_p > 0) & (n_c > 0)
    w = np.where(both, n_p * n_c / np.maximum(n_p + n_c, 1), 0.0)
    gg = sg[new_cell].astype(np.int64)
    sum_w = np.bincount(gg, w, minlength=n_groups)
    diff = np.where(both, m_c - m_p, 0.0)
    change = np.bincount(gg, w * diff, minlength=n_groups) / np.where(sum_w > 0, sum_w, np.nan)
    cells_used = np.bincount(gg, both * 2.0, minlength=n_groups)
    n_used = np.bincount(gg, np.where(both, n_p + n_c, 0), minlength=n_groups)
    df = n_used - cells_used
    sd = np.sqrt(np.bincount(gg, np.where(both, ss, 0), minlength=n_groups) / np.maximum(df, 1))
    sd = np.where(df >= MIN_NOISE_DF, sd, np.fmax(np.nan_to_num(sd), prior_sd))
    se = sd / np.sqrt(np.where(sum_w > 0, sum_w, np.nan))
    half = np.fmax(Z * se, np.nan_to_num(resolution) / 2)  # never finer than the log's rounding
    low, high = change - half, change + half
    res = np.nan_to_num(resolution)
    clear = np.where((low > 0) & (change >= res), 1, np.where((high < 0) & (-change >= res), -1, 0))
    prev = _block_means(value, g, block, 0, n_groups)
    cur = _block_means(value, g, block, 1, n_groups)
    n_prev = np.bincount(g[ok & (block == 0)], minlength=n_groups)
    n_cur = np.bincount(g[ok & (block == 1)], minlength=n_groups)
    return {
        "change": change,
        "ci_low": low,
        "ci_high": high,
        "clear": np.where(np.isnan(change), 0, clear),
        "previous": prev,
        "current": cur,
        "n_previous": n_prev,
        "n_current": n_cur,
    }


def _block_means(value, g, block, which: int, n_groups: int) -> np.ndarray:
    sel = (block == which) & ~np.isnan(value)
    n = np.bincount(g[sel], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(g[sel], value[sel], minlength=n_groups) / n

"""The least-squares line drawn through each strength-pace association (``fit_slope``, ``fit_intercept``).

For every ``levels`` row of the correlation table with an r: pace (``y``) on strength (``x``)
over the weeks the correlation paired, the strength metric's week ``t`` with the pace metric's
week ``t + lag``. For drawing only; the evidence is the correlation.

Written on codes rather than as two merges and a groupby on four key columns (about 15 ms of
pandas on one athlete's few hundred rows): the pairs come out in the merges' order (each
association's rows, strength weeks in the table's order) and the means and sums are pandas'
group kernels on one integer key, so the numbers are the same to the last bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.columns import ATHLETE, WEEK_START, float_values

KEYS = [ATHLETE, "strength_metric", "pace_metric", "lag_weeks"]


def fit_lines(corr: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """``corr`` with ``fit_slope`` (s/km per metric unit) and ``fit_intercept`` (s/km), Float64,
    NA except on ``levels`` rows whose association has paired weeks."""
    levels = (corr["series"] == "levels").fillna(False).to_numpy(dtype=bool)
    want = levels & corr["r"].notna().to_numpy(dtype=bool)
    n_w = len(weekly)
    # one code space for athletes and one for metrics, over the weekly table and the
    # correlation rows, so the associations' keys and the weeks' keys compare as integers
    a_code = pd.factorize(np.concatenate([weekly[ATHLETE].to_numpy(object), corr[ATHLETE].to_numpy(object)]))[0]
    m_code, metrics = pd.factorize(np.concatenate([
        weekly["metric"].to_numpy(object), corr["strength_metric"].to_numpy(object),
        corr["pace_metric"].to_numpy(object),
    ]))  # fmt: skip
    n_m, n_c = max(len(metrics), 1), len(corr)
    series = a_code[:n_w] * n_m + m_code[:n_w]  # (athlete, metric) of each week
    x_series = a_code[n_w:] * n_m + m_code[n_w : n_w + n_c]
    y_series = a_code[n_w:] * n_m + m_code[n_w + n_c :]
    lag = np.nan_to_num(float_values(corr["lag_weeks"])).astype(np.int64)
    # the association each correlation row belongs to (rows equal on the four keys share it)
    assoc, _ = pd.factorize(pd.MultiIndex.from_arrays([x_series, y_series, lag])) if n_c else (np.zeros(0, np.int64), None)
    n_assoc = int(assoc.max()) + 1 if n_c else 0

    # pairs: each wanted row's strength weeks in the table's order, kept where the pace metric
    # has the week `lag` weeks later (the two inner merges' rows, in their order)
    day = weekly[WEEK_START].to_numpy(dtype="datetime64[D]").astype(np.int64)
    value = float_values(weekly["value"])
    order = np.argsort(series, kind="stable")
    rows = np.flatnonzero(want)
    lo = np.searchsorted(series[order], x_series[rows], "left")
    count = np.searchsorted(series[order], x_series[rows], "right") - lo
    pair_of = np.repeat(rows, count)
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    x_row = order[np.repeat(lo, count) + within]
    span = int(day.max() - day.min()) + 1 if n_w else 1
    week_key = series * span + (day - (day.min() if n_w else 0))
    sorted_keys = np.argsort(week_key, kind="stable")
    target = day[x_row] + 7 * lag[pair_of] - (day.min() if n_w else 0)
    inside = (target >= 0) & (target < span)
    wanted_key = y_series[pair_of] * span + target
    at = np.minimum(np.searchsorted(week_key[sorted_keys], wanted_key), max(n_w - 1, 0))
    hit = inside & (week_key[sorted_keys][at] == wanted_key) if n_w else inside
    x_row, y_row, gid = x_row[hit], sorted_keys[at][hit], assoc[pair_of[hit]]

    x, y = pd.Series(value[x_row]), pd.Series(value[y_row])
    dx = x - x.groupby(gid, sort=False).transform("mean")
    dy = y - y.groupby(gid, sort=False).transform("mean")
    slope = np.full(n_assoc, np.nan)
    intercept = np.full(n_assoc, np.nan)
    if len(gid):
        sxy = (dx * dy).groupby(gid, sort=False).sum()
        sxx = (dx * dx).groupby(gid, sort=False).sum()
        mx, my = x.groupby(gid, sort=False).mean(), y.groupby(gid, sort=False).mean()
        fit_slope = sxy / sxx.where(sxx > 0)
        at_assoc = sxy.index.to_numpy(dtype=np.int64)
        slope[at_assoc] = fit_slope.to_numpy(dtype=float)
        intercept[at_assoc] = (my - fit_slope * mx).to_numpy(dtype=float)
    out = corr.copy()
    for name, values in (("fit_slope", slope), ("fit_intercept", intercept)):
        out[name] = pd.array(np.where(levels, values[assoc] if n_c else values[:0], np.nan), dtype="Float64")
    return out

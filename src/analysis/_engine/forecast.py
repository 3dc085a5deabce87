"""Rolling-origin outlooks of weekly series: a Theil-Sen line carried forward, with an interval
calibrated on the series' own earlier forecast errors (split-conformal), and the backtest.

The definitions (origin, window, interval, backtest) are written once in :mod:`analysis.outlook`,
the public face of this machinery. Everything here works on flat numpy arrays of every series at
once: series id ``g`` (0..n-1), week ``t`` (week 0 holds the end, earlier weeks negative) and
value ``y``, sorted by ``g`` then ``t``, one value per week.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from analysis._engine.stats import group_sort, lexsort2, t_quantile, theil_sen

#: Fewest weekly values in a window for a trend line (its t interval then has 2 df).
MIN_POINTS: Final = 4
#: Most recent forecast errors an interval is built from (half a year of weekly origins).
CALIBRATION: Final = 26


def weekly_max(g: np.ndarray, t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Max of ``y`` per (g, t): ``g, t, max`` sorted by g then t."""
    order = lexsort2(t, g)
    g, t, y = g[order], t[order], y[order]
    new = np.r_[True, (g[1:] != g[:-1]) | (t[1:] != t[:-1])] if len(g) else np.zeros(0, bool)
    starts = np.flatnonzero(new)
    best = np.maximum.reduceat(y, starts) if len(starts) else y[:0]
    return g[starts], t[starts], best


def _t(p: float, df: np.ndarray) -> np.ndarray:
    """``t_quantile(p, df)`` evaluated once per distinct df (they are few)."""
    uniq, inverse = np.unique(df, return_inverse=True)
    return np.asarray(t_quantile(p, uniq)).reshape(-1)[inverse]


def _ranges(start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start[i], start[i] + count[i])``."""
    shift = np.repeat(start - (np.cumsum(count) - count), count)
    return shift + np.arange(int(count.sum()))


def rolling_outlook(
    g: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    n: int,
    floor: np.ndarray,
    *,
    horizon: int,
    lookback: int,
    level: float,
    since: int,
) -> dict[str, np.ndarray]:
    """Rolling-origin Theil-Sen outlooks of weekly values ``y`` (sorted by series ``g``, week ``t``).

    Origins: the week ``horizon`` before each value of the last ``since`` weeks (whose outcome
    it is), and week 0 of every series. ``floor[g]`` is the narrowest interval of series ``g``.

    Returns
    -------
    dict of arrays, one value per series
        ``current``, ``expected``, ``low``, ``high``, ``slope`` (NaN where week 0 has no line),
        ``fitted`` and ``conformal`` (bool), ``backtest_n`` and ``held`` (int counts).
    """
    alpha = 1.0 - level
    off = lookback + horizon - int(t.min(initial=0))  # window bounds shifted to >= 1
    base = off + 1
    key = g * base + t + off
    recent = t > -since  # outcome weeks that are checked and calibrate
    target = np.r_[np.ones(int(recent.sum()), bool), np.zeros(n, bool)]
    og = np.r_[g[recent], np.arange(n)]
    ot = np.r_[t[recent] - horizon, np.zeros(n, np.int64)]
    lo = np.searchsorted(key, og * base + ot - lookback + 1 + off)
    m = np.searchsorted(key, og * base + ot + off, side="right") - lo
    fit = m >= MIN_POINTS
    og, ot, lo, m, target = og[fit], ot[fit], lo[fit], m[fit], target[fit]
    actual = np.r_[y[recent], np.full(n, np.nan)][fit]
    nw = len(og)

    # the Theil-Sen line of each window (x sorted and unique within it)
    rows, wid = _ranges(lo, m), np.repeat(np.arange(nw), m)
    x, v = t[rows].astype(float), y[rows]
    slope = theil_sen(wid, x, v, nw, x_unique=True)[0]
    first = np.cumsum(m) - m
    mid = (first + (m - 1) // 2, first + m // 2)
    vs = v[group_sort(wid, v)]
    a = (vs[mid[0]] + vs[mid[1]]) / 2 - slope * (x[mid[0]] + x[mid[1]]) / 2
    xbar = np.bincount(wid, x, nw) / m
    sxx = np.bincount(wid, (x - xbar[wid]) ** 2, nw)
    s = np.sqrt(np.bincount(wid, (v - a[wid] - slope[wid] * x) ** 2, nw) / (m - 2))
    xf = ot + horizon
    expected = a + slope * xf
    half = _t(1 - alpha / 2, m - 2) * s * np.sqrt(1 + 1 / m + (xf - xbar) ** 2 / sxx)

    # forecast errors known at each origin: of the same series, outcome week <= the origin
    err = (actual - expected)[target]
    ekey = (og * base + xf + off)[target]
    p = np.searchsorted(ekey, og * base + ot + off, side="right")
    k = np.minimum(p - np.searchsorted(ekey, og * base), max(CALIBRATION, int(2 / alpha)))
    cols = np.arange(k.max(initial=0))
    have = cols < k[:, None]
    if len(err):
        errs = np.where(have, err[np.clip(p[:, None] - k[:, None] + cols, 0, len(err) - 1)], np.nan)
    else:
        errs = np.full(have.shape, np.nan)
    ranked = np.sort(errs, axis=1)  # NaN last
    k_lo = np.floor((k + 1) * alpha / 2 + 1e-9).astype(np.int64)
    k_hi = np.ceil((k + 1) * (1 - alpha / 2) - 1e-9).astype(np.int64)
    conformal = (k_lo >= 1) & (k_hi <= k)

    def rank(r: np.ndarray) -> np.ndarray:
        if not ranked.shape[1]:
            return np.full(nw, np.nan)
        at = np.clip(r - 1, 0, ranked.shape[1] - 1)[:, None]
        return np.take_along_axis(ranked, at, 1)[:, 0]

    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.nansum(errs, axis=1) / k
        sd = np.sqrt(np.nansum((errs - mean[:, None]) ** 2, axis=1) / (k - 1))
        e_half = _t(1 - alpha / 2, np.maximum(k - 1, 1)) * sd * np.sqrt(1 + 1 / k)
    few = k >= 2
    low = np.where(
        conformal,
        expected + rank(k_lo),
        np.fmin(expected - half, np.where(few, expected + mean - e_half, np.nan)),
    )
    high = np.where(
        conformal,
        expected + rank(k_hi),
        np.fmax(expected + half, np.where(few, expected + mean + e_half, np.nan)),
    )
    short = np.maximum(floor[og] - (high - low), 0) / 2
    low, high = low - short, high + short
    held = (low <= actual) & (actual <= high)

    out: dict[str, np.ndarray] = {
        "backtest_n": np.bincount(og[target], minlength=n),
        "held": np.bincount(og[target], held[target], minlength=n).astype(np.int64),
    }
    final = np.flatnonzero(~target)
    series = og[final]
    for name, values in (
        ("current", a + slope * ot),
        ("expected", expected),
        ("low", low),
        ("high", high),
        ("slope", slope),
    ):
        out[name] = np.full(n, np.nan)
        out[name][series] = values[final]
    out["fitted"] = np.zeros(n, bool)
    out["fitted"][series] = True
    out["conformal"] = np.zeros(n, bool)
    out["conformal"][series] = conformal[final]
    return out

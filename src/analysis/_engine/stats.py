"""Statistics written once: the 95 % z, Student t, typical error, Theil-Sen with Sen's CI.

The normal and t distributions come from :mod:`scipy.special` (``ndtri``, ``stdtrit``,
``stdtr``), the functions ``scipy.stats.norm`` and ``scipy.stats.t`` evaluate, without
importing :mod:`scipy.stats` (0.5-0.7 s at every start of the command; a test checks the values
against scipy.stats).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._engine.lazy import defer_unused_numpy_modules

defer_unused_numpy_modules()  # before scipy's import, which would run them (lazy.py)

from scipy import special  # noqa: E402  # isort: skip

#: Two-sided 95 % z, 1.959963984540054: the one z of liftpace (CIs, MDC95, Sen's CI).
Z = float(special.ndtri(0.975))


def t_quantile(p: float, df: object) -> np.ndarray:
    """Student t quantile (``scipy.stats.t.ppf(p, df)``), vectorised over ``df``."""
    return special.stdtrit(np.asarray(df, dtype=float), p)


def t_sf(t: object, df: object) -> np.ndarray:
    """Student t survival function (``scipy.stats.t.sf(t, df)``), vectorised."""
    return special.stdtr(np.asarray(df, dtype=float), -np.asarray(t, dtype=float))


def typical_error(g: np.ndarray, value: np.ndarray, n_groups: int) -> np.ndarray:
    """SD (ddof=1) of successive differences within each g, / sqrt(2); NaN below 2 diffs."""
    same = g[1:] == g[:-1]
    d, gd = (value[1:] - value[:-1])[same], g[1:][same]
    n = np.bincount(gd, minlength=n_groups)
    with np.errstate(all="ignore"):
        mean = np.bincount(gd, d, minlength=n_groups) / n
        ss = np.bincount(gd, (d - mean[gd]) ** 2, minlength=n_groups)
        return np.where(n >= 2, np.sqrt(ss / (n - 1)) / np.sqrt(2), np.nan)


def group_ids(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for non-negative integer keys; by counting
    (no sort) when the keys span a range not much larger than their number."""
    if len(key) and key.min() >= 0 and key.max() < 4 * len(key) + 1024:
        present = np.bincount(key) > 0
        rank = np.cumsum(present) - 1
        return np.flatnonzero(present), rank[key]
    return np.unique(key, return_inverse=True)


def lexsort2(minor: np.ndarray, major: np.ndarray) -> np.ndarray:
    """``np.lexsort((minor, major))`` (stable: ties keep row order), without a full sort when
    the rows are in that order already, or get there by a stable sort on ``major`` alone
    (sessions come sorted by day within their series)."""
    n = len(major)
    if n < 2:
        return np.arange(n)

    def in_order(mj: np.ndarray, mn: np.ndarray) -> bool:
        same = mj[1:] == mj[:-1]
        return bool((mj[1:] >= mj[:-1]).all() and (mn[1:][same] >= mn[:-1][same]).all())

    if in_order(major, minor):
        return np.arange(n)
    order = stable_group_order(major) if major.dtype.kind in "iu" else np.argsort(major, kind="stable")
    if in_order(major[order], minor[order]):
        return order
    return np.lexsort((minor, major))


def stable_group_order(g: np.ndarray) -> np.ndarray:
    """``np.argsort(g, kind="stable")`` for non-negative integer ids, by 16-bit radix passes.

    numpy's stable sort is a radix sort for 16-bit integers (timsort above): ids below 2**32
    are sorted by their low then their high 16 bits, two O(n) passes (4x faster on 0.6M ids).
    """
    if not len(g) or g.min() < 0 or g.max() >= 2**32:
        return np.argsort(g, kind="stable")
    order = np.argsort((g & 0xFFFF).astype(np.uint16), kind="stable")
    if g.max() >= 2**16:
        order = order[np.argsort((g[order] >> 16).astype(np.uint16), kind="stable")]
    return order


def group_sort(gid: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Order by (gid, values), like ``np.lexsort((values, gid))`` but 3-10x faster.

    Values with few distinct numbers (slopes between logged loads and days: 2,000 distinct
    among 580,000) are ranked by a hash of the distinct values and sorted with their group as
    one integer key by radix passes (quicksort is slow on many equal values); others get one
    sort of the values, then a stable radix sort by group (:func:`stable_group_order`). Rows
    equal in both keys may come in another order than lexsort's; they are equal.
    """
    n = len(values)
    if n > 4096 and gid.min() >= 0 and not np.isnan(values).any():
        sample = values[:: n // 2048]
        if len(np.unique(sample)) * 4 <= len(sample) * 3:  # repeats: distinct values are fewer
            codes, uniques = pd.factorize(values, sort=True)
            return stable_group_order(gid.astype(np.int64) * len(uniques) + codes)
    by_value = np.argsort(values)
    return by_value[stable_group_order(gid[by_value])]


def theil_sen(gid, x, y, n_groups: int, *, x_unique: bool = False) -> np.ndarray:
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
    order = group_sort(pg, slope)
    slope, pg = slope[order], pg[order]
    nt = np.bincount(pg, minlength=n_groups)
    start = np.cumsum(nt) - nt
    has = nt > 0
    hi = np.minimum(start + nt // 2, len(slope) - 1)
    lo = np.where(nt % 2 == 1, hi, np.maximum(hi - 1, 0))
    out[0, has] = ((slope[lo] + slope[hi]) / 2)[has]
    ties = np.zeros(n_groups)
    for arr in (y,) if x_unique else (x, y):  # Sen (1968) eq. 2.6 tie correction, as scipy
        o = group_sort(gid, arr)
        ga, va = gid[o], arr[o]
        run = np.r_[True, (ga[1:] != ga[:-1]) | (va[1:] != va[:-1])]
        k = np.diff(np.r_[np.flatnonzero(run), n]).astype(float)
        ties += np.bincount(ga[run], k * (k - 1) * (2 * k + 5), minlength=n_groups)
    ny = counts.astype(float)
    sigma = np.sqrt(np.maximum((ny * (ny - 1) * (2 * ny + 5) - ties) / 18.0, 0))
    ru = np.minimum(np.round((nt + Z * sigma) / 2).astype(np.int64), nt - 1)
    rl = np.maximum(np.round((nt - Z * sigma) / 2).astype(np.int64) - 1, 0)
    out[1, has] = slope[(start + rl)[has]]
    out[2, has] = slope[(start + ru)[has]]
    return out

"""Private machinery shared by the strength analyses (progression, symmetry, volume, frequency).

A ``sets`` table is encoded once per call (:class:`_Prepared`: integer codes per athlete,
exercise and side, day numbers, float arrays; :class:`_Log`: the working sets and the catalog
metric per exercise); :func:`_sessions` reduces it to one best working set per series and
session (:class:`_Sessions`); blocks, the vectorised Theil-Sen slope with Sen's CI and the
typical error work on those arrays. The domain definitions (session best, block, trend, noise)
are in :mod:`analysis.progression`; working set and e1RM in :mod:`analysis.e1rm`.

Shared work
-----------
Every public analysis wraps the frame it is given in a new :class:`_Prepared` and hands it to
its private core (``progression._e1rm_trend``, ``symmetry._block_asymmetry``,
``volume._weekly_volume``, ``frequency._adherence``...), so a user who calls two analyses pays
for two encodings. :func:`analysis.reassess.reassess` and the squad functions build ONE
:class:`_Prepared` and pass it to every core they call: the codes, the day numbers, the e1RM of
every set, the session bests (cached in :attr:`_Log.cache` per kind, formula, ``max_reps``
and end) and the left/right pairs are computed once. Results are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

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
    SIDE,
    WARMUP,
)
from analysis.e1rm import E1RM_KG, _as_float, _e1rm
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

METRIC = "metric"
STATUS = "status"

_METRIC_OF = {
    "external": E1RM_KG,
    "bodyweight": REPS,
    "band": REPS,
    "time": DURATION_S,
    "distance": DISTANCE_M,
}
# the metric codes of kind "auto" in _session_bests: sorted, so np.searchsorted finds them
_AUTO = np.array(sorted([E1RM_KG, REPS, DURATION_S, DISTANCE_M]), dtype=object)
_AUTO_E1RM = int(np.searchsorted(_AUTO, E1RM_KG))
_Z95 = float(norm.ppf(0.025))  # -1.96, as scipy.stats.theilslopes uses it


# --- option checks ------------------------------------------------------------------------------
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


def _int_option(name: str, value: object, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} expected an integer from {low} to {high}, got {value!r} instead.")
    return int(value)


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
    cache: dict = field(default_factory=dict)  # e1RM arrays and session bests (see _sessions)


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted codes (-1 for NA) and uniques; object arrays hash about 2x faster than str.

    Logs list an athlete's (and an exercise's) rows together, so runs of equal values are
    long: when they are, only the first value of each run is hashed (2-4x faster on 1M rows).
    Comparing with ``pd.NA`` raises, so a column holding NA takes the plain path.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = pd.factorize(column, sort=True)
        return codes, pd.Index(uniques, dtype=object)
    values = column.to_numpy(object)
    try:
        short = len(values) < 4096 or bool(np.mean(values[1:4096] != values[:4095]) > 0.5)
        change = None if short else np.flatnonzero(values[1:] != values[:-1]) + 1
    except (TypeError, ValueError):  # pd.NA (or an exotic value) cannot be compared
        change = None
    if change is None or len(change) > len(values) // 2:
        codes, uniques = pd.factorize(values, sort=True)
    else:
        heads = np.r_[0, change]
        head_codes, uniques = pd.factorize(values[heads], sort=True)
        codes = np.repeat(head_codes, np.diff(np.r_[heads, len(values)]))
    return codes, pd.Index(uniques, dtype=object)


class _Prepared:
    """One ``sets`` frame and the intermediates computed from it, each once (module docstring).

    Every accessor computes on first use and keeps the result, so the order of calls does not
    matter and an error (missing column, dates that are not datetime64) is raised by the first
    analysis that needs the value, with that analysis' name. The arrays handed out are shared
    between analyses: read them, never write into them. ``sets`` is not copied; it must not
    change while the object is in use (the object lives for one public call).
    """

    def __init__(self, sets: pd.DataFrame) -> None:
        self.sets = sets
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value stored under ``key``, made by ``make()`` the first time."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """Sorted integer codes of ``column`` (-1 for NA) and its unique values (object)."""
        return self.memo(("codes", column), lambda: _factorize(self.sets[column]))

    def days(self, func: str) -> tuple[np.ndarray, np.ndarray]:
        """Day numbers of ``date`` and the mask of dated rows (:func:`periods.day_numbers`)."""
        return self.memo("days", lambda: day_numbers(self.sets[DATE], func=func))

    def floats(self, column: str) -> np.ndarray:
        """``column`` as float64 with NaN for NA."""
        return self.memo(("floats", column), lambda: _as_float(self.sets[column]))

    def warmup(self) -> np.ndarray:
        """True for warm-up sets (NA is a working set)."""
        return self.memo("warmup", lambda: self.sets[WARMUP].fillna(False).to_numpy(dtype=bool))

    def log(self, *, use_rpe: bool, func: str) -> _Log:
        """The working-set log, with the ``rpe`` column or without it (then ``rpe`` is None)."""
        base = self.memo("log", lambda: _encode(self, func=func))
        rpe = self.floats(RPE) if use_rpe else None
        return self.memo(("log", use_rpe), lambda: replace(base, rpe=rpe, cache={}))


def _encode(prep: _Prepared, *, func: str) -> _Log:
    sets = prep.sets
    (a, a_uni), (e, e_uni), (s, s_uni) = (prep.codes(c) for c in (ATHLETE, EXERCISE, SIDE))
    day, dated = prep.days(func)
    keep = ~prep.warmup() & dated
    keep &= (a >= 0) & (e >= 0) & (s >= 0)
    extra = {
        c: prep.floats(c) if c in sets else np.full(len(sets), np.nan)
        for c in (DURATION_S, DISTANCE_M)
    }
    load = prep.floats(LOAD_KG)
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
    reps = prep.floats(REPS)
    return _Log(a, e, s, (a_uni, e_uni, s_uni), day, load, reps, None, extra, keep, info)


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
    Without ``rows`` the result is kept in ``log.cache``: callers read it, never change it.
    """
    if rows is not None:
        return _session_bests(log, kind, formula, max_reps, end_day, rows)
    key = ("sessions", kind, formula, max_reps, end_day)
    if key not in log.cache:
        log.cache[key] = _session_bests(log, kind, formula, max_reps, end_day, None)
    return log.cache[key]


def _set_e1rm(log: _Log, formula: str, max_reps: int) -> tuple[np.ndarray, ...]:
    """(e1RM with load > 0, chart used, formula e1RM) of every row, computed once per log."""
    if (formula, max_reps) not in log.cache:
        e1rm, chart, rank = _e1rm(log.load, log.reps, log.rpe, formula, max_reps)
        log.cache[formula, max_reps] = (np.where(log.load > 0, e1rm, np.nan), chart, rank)
    return log.cache[formula, max_reps]


def _session_bests(
    log: _Log,
    kind: Kind,
    formula: str,
    max_reps: int,
    end_day: int | None,
    rows: np.ndarray | None,
) -> _Sessions:
    keep = log.keep if rows is None else log.keep & rows
    if end_day is not None:
        keep = keep & (log.day <= end_day)
    # the best set is chosen by the formula (exact reps), not by RPE ratings (see Session best)
    e1rm, chart, rank = _set_e1rm(log, formula, max_reps)
    metric_of_e = log.info[METRIC].to_numpy(dtype=object)
    if kind == "auto":  # each exercise's metric, by integer code (_AUTO order)
        code = np.searchsorted(_AUTO, metric_of_e).astype(np.int8)
        metric = code[np.maximum(log.e, 0)] if len(code) else np.zeros(len(log.e), np.int8)
        value = np.full(len(metric), np.nan)
        sources = {E1RM_KG: e1rm, REPS: log.reps, **log.extra}
        for i, name in enumerate(_AUTO):
            if (code == i).any():
                np.copyto(value, sources[name], where=metric == i)
        first = value.copy()
        np.copyto(first, rank, where=metric == _AUTO_E1RM)
        del metric
    else:
        value = {
            "e1rm": e1rm,
            "reps": log.reps,
            "duration": log.extra[DURATION_S],
            "volume": log.reps * log.load,
        }[kind]
        first = rank if kind == "e1rm" else value
    keep = keep & ~np.isnan(value)  # a new array: log.keep is shared
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
    del series, day  # 1M-row logs: free each big temporary as soon as it is used
    order = np.argsort(key, kind="stable")  # sessions; best set = max value, then max load
    key_o, rows_o = key[order], idx[order]
    del key, idx, order
    starts = np.flatnonzero(np.r_[True, key_o[1:] != key_o[:-1]][: len(key_o)])
    n_sets = np.diff(np.r_[starts, len(rows_o)])
    # best set: highest (formula) value, then heavier, then rated, then closest to failure
    criteria = [first, log.load]
    if log.rpe is not None and kind in ("auto", "e1rm"):
        criteria.append(log.rpe)  # NaN lowest: a rated set first, then the highest RPE
    pick = rows_o[_first_max(starts, rows_o, *criteria)]
    best = value[pick]
    if kind == "volume" and len(starts):
        best = np.add.reduceat(value[rows_o], starts)
    series_s = key_o[starts] // span  # sorted: one run per series
    new = np.r_[True, series_s[1:] != series_s[:-1]][: len(series_s)]
    uniq, g = series_s[new], np.cumsum(new) - 1
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


def _first_max(starts: np.ndarray, rows: np.ndarray, *criteria: np.ndarray) -> np.ndarray:
    """Position in ``rows`` of the first row of each segment maximising ``criteria`` in order.

    ``starts`` splits ``rows`` into segments; ``criteria`` are per-row arrays (indexed by the
    values of ``rows``) compared as ``np.nan_to_num(nan=-inf)`` does (NaN lowest). A criterion
    on which every segment ties is skipped; the loop stops once each segment has one row left.
    """
    n = len(rows)
    if not len(starts):
        return starts
    seg = np.repeat(
        np.arange(len(starts), dtype=np.int32 if n < 2**31 else np.int64), np.diff(np.r_[starts, n])
    )
    cand = None  # rows still in the running (None: all)
    for crit in criteria:
        score = np.nan_to_num(crit[rows].astype(float, copy=False), copy=False, nan=-np.inf)
        if (score == score[starts][seg]).all():
            continue
        if cand is not None:
            np.copyto(score, -np.inf, where=~cand)
        best = score == np.maximum.reduceat(score, starts)[seg]
        cand = best if cand is None else cand & best
        if np.count_nonzero(cand) == len(starts):
            break
    win = np.arange(n) if cand is None else np.flatnonzero(cand)
    return win[np.r_[True, seg[win][1:] != seg[win][:-1]]]


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


def _boolean(values: np.ndarray, known: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Nullable boolean: ``values`` where ``known``, else NA."""
    out = np.asarray(values).astype(object)
    out[~np.asarray(known, dtype=bool)] = None
    return pd.array(out, dtype="boolean")

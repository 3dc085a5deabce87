"""Session bests: one best working set per athlete, exercise, side and session, and blocks.

:func:`sessions` reduces a :class:`analysis._engine.prepared.WorkingLog` to one best working
set per series and session (:class:`Sessions`), cached on the log; the block helpers label
day numbers with :mod:`analysis.periods` blocks. Definitions (session best, metric) are in
:mod:`analysis.progression`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis._engine.e1rm import e1rm_arrays
from analysis._engine.prepared import WorkingLog
from analysis._engine.stats import group_ids, stable_group_order
from analysis.columns import (
    ATHLETE,
    BLOCK,
    BLOCK_END,
    BLOCK_INDEX,
    BLOCK_START,
    DATE,
    DISTANCE_M,
    DURATION_S,
    E1RM_KG,
    EXERCISE,
    LOAD_KG,
    METRIC,
    REPS,
    SIDE,
)
from analysis.periods import blocks, days_to_datetime, label_blocks

# the metric codes of kind "auto" in session_bests: sorted, so np.searchsorted finds them
AUTO = np.array(sorted([E1RM_KG, REPS, DURATION_S, DISTANCE_M]), dtype=object)
AUTO_E1RM = int(np.searchsorted(AUTO, E1RM_KG))


# --- tables and blocks ---------------------------------------------------------------------
def dates(days: np.ndarray) -> np.ndarray:
    return days_to_datetime(np.asarray(days, dtype=np.int64))


def blocks_of(day, end_day: int, weeks: int, any_length: bool) -> tuple[np.ndarray, pd.DataFrame]:
    """``analysis.periods`` block_index per day (days are <= end) and the block table."""
    uniq, inverse = group_ids(np.asarray(day, dtype=np.int64))
    frame = pd.DataFrame({DATE: dates(uniq)})
    opts = {"weeks": weeks, "end": dates(np.array([end_day]))[0], "any_length": any_length}
    index = label_blocks(frame, **opts)[BLOCK_INDEX].to_numpy(dtype=np.int64, na_value=1)
    return index[inverse], blocks(frame, **opts).set_index(BLOCK_INDEX)


def block_columns(block: np.ndarray, table: pd.DataFrame) -> pd.DataFrame:
    rows = table.loc[block]
    return pd.DataFrame(
        {
            BLOCK_INDEX: pd.array(block, dtype="Int64"),
            BLOCK: pd.array(rows[BLOCK].to_numpy(), dtype="string"),
            "block_start": rows[BLOCK_START].to_numpy(),
            "block_end": rows[BLOCK_END].to_numpy(),
        }
    )


def new_frame(columns: dict[str, tuple[object, str]]) -> pd.DataFrame:
    """A new RangeIndex frame from ``name: (values, dtype)``; NaN becomes NA."""
    return pd.DataFrame({k: pd.array(v, dtype=d) for k, (v, d) in columns.items()})


@dataclass
class Sessions:
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


Kind = Literal["auto", "e1rm", "reps", "duration", "volume", "set_volume"]


def sessions(
    log: WorkingLog,
    *,
    kind: Kind,
    formula: str,
    max_reps: int,
    end_day: int | None = None,
    rows: np.ndarray | None = None,
) -> Sessions:
    """Best working set per athlete, exercise, side, date (and load for ``kind="reps"``).

    ``auto`` takes each exercise's metric; ``volume`` sums reps x load instead of a best.
    Without ``rows`` the result is kept in ``log.cache``: callers read it, never change it.
    """
    if rows is not None:
        return session_bests(log, kind, formula, max_reps, end_day, rows)
    key = ("sessions", kind, formula, max_reps, end_day)
    if key not in log.cache:
        log.cache[key] = session_bests(log, kind, formula, max_reps, end_day, None)
    return log.cache[key]


def set_e1rm_arrays(log: WorkingLog, formula: str, max_reps: int) -> tuple[np.ndarray, ...]:
    """(e1RM with load > 0, chart used, formula e1RM) of every row, computed once per log.

    One method per series (athlete, exercise, side): the RPE chart only where every working
    set of the series that can give an estimate has an RPE, the formula for the whole series
    otherwise, so a chart estimate is never compared with a formula estimate.
    """
    if (formula, max_reps) not in log.cache:
        e1rm, chart, rank = e1rm_arrays(
            log.load, log.reps, series_rpe(log, max_reps), formula, max_reps
        )
        log.cache[formula, max_reps] = (np.where(log.load > 0, e1rm, np.nan), chart, rank)
    return log.cache[formula, max_reps]


def series_rpe(log: WorkingLog, max_reps: int) -> np.ndarray | None:
    """``log.rpe`` where the row's series is fully rated (see :func:`set_e1rm_arrays`), else NaN."""
    if log.rpe is None:
        return None
    n_e, n_s = len(log.uniques[1]), len(log.uniques[2])
    series = (log.a.astype(np.int64) * n_e + log.e) * n_s + log.s
    estimable = log.keep & (log.load > 0) & (log.reps >= 1) & (log.reps <= max_reps)
    n_series = len(log.uniques[0]) * n_e * n_s
    if n_series <= 4 * len(series) + 1024:  # the codes themselves index a count (no sort)
        series = np.where(log.keep, series + 1, 0)  # 0: not a working set
        unrated = np.bincount(series, estimable & np.isnan(log.rpe), minlength=n_series + 1) > 0
        return np.where(unrated[series], np.nan, log.rpe)
    series = np.where(log.keep, series, -1)
    codes, inverse = np.unique(series, return_inverse=True)
    unrated = np.bincount(inverse, estimable & np.isnan(log.rpe), minlength=len(codes)) > 0
    return np.where(unrated[inverse], np.nan, log.rpe)


def session_bests(
    log: WorkingLog,
    kind: Kind,
    formula: str,
    max_reps: int,
    end_day: int | None,
    rows: np.ndarray | None,
) -> Sessions:
    keep = log.keep if rows is None else log.keep & rows
    if end_day is not None:
        keep = keep & (log.day <= end_day)
    # the best set is chosen by the formula (exact reps), not by RPE ratings (see Session best)
    e1rm, chart, rank = set_e1rm_arrays(log, formula, max_reps)
    metric_of_e = log.info[METRIC].to_numpy(dtype=object)
    if kind == "auto":  # each exercise's metric, by integer code (AUTO order)
        code = np.searchsorted(AUTO, metric_of_e).astype(np.int8)
        metric = code[np.maximum(log.e, 0)] if len(code) else np.zeros(len(log.e), np.int8)
        value = np.full(len(metric), np.nan)
        sources = {E1RM_KG: e1rm, REPS: log.reps, **log.extra}
        for i, name in enumerate(AUTO):
            if (code == i).any():
                np.copyto(value, sources[name], where=metric == i)
        first = value.copy()
        np.copyto(first, rank, where=metric == AUTO_E1RM)
        del metric
    else:
        value = {
            "e1rm": e1rm,
            "reps": log.reps,
            "duration": log.extra[DURATION_S],
            "volume": log.reps * log.load,
            "set_volume": log.reps * log.load,
        }[kind]
        first = rank if kind == "e1rm" else value
    keep = keep & ~np.isnan(value)  # a new array: log.keep is shared
    if kind == "reps":
        keep &= ~np.isnan(log.load)
    idx = np.flatnonzero(keep)
    (_, e_uni, s_uni) = log.uniques
    n_e, n_s = len(e_uni), len(s_uni)
    loads = np.array([1.0])
    if kind == "reps":  # sessions by (series, load, day); best set = max value, then max load
        day = log.day[idx]
        series = (log.a[idx].astype(np.int64) * n_e + log.e[idx]) * n_s + log.s[idx]
        l_code, loads = pd.factorize(log.load[idx], sort=True)
        series = series * len(loads) + l_code
        day0 = int(day.min()) if len(day) else 0
        span = int(day.max()) - day0 + 1 if len(day) else 1
        key = series * span + (day - day0)
        del series, day  # 1M-row logs: free each big temporary as soon as it is used
        order = stable_group_order(key)
        key_o, rows_o = key[order], idx[order]
        del key, idx, order
    else:  # the log's one (series, day, row) order and keys, filtered: no sort, no key to build
        base, base_key, span = series_day_keys(log)
        in_base = keep[base]
        rows_o, key_o = base[in_base], base_key[in_base]
        del idx, in_base
    starts = np.flatnonzero(np.r_[True, key_o[1:] != key_o[:-1]][: len(key_o)])
    n_sets = np.diff(np.r_[starts, len(rows_o)])
    # best set: highest (formula) value, then heavier, then rated, then closest to failure
    criteria = [first, log.load]
    if log.rpe is not None and kind in ("auto", "e1rm"):
        criteria.append(log.rpe)  # NaN lowest: a rated set first, then the highest RPE
    pick = rows_o[first_max(starts, rows_o, *criteria)]
    best = value[pick]
    if kind == "volume" and len(starts):
        best = np.add.reduceat(value[rows_o], starts)
    series_s = key_o[starts] // span  # sorted: one run per series
    new = np.r_[True, series_s[1:] != series_s[:-1]][: len(series_s)]
    uniq, g = series_s[new], np.cumsum(new) - 1
    rest = uniq // len(loads)
    a, e, s = rest // (n_e * n_s), (rest // n_s) % n_e, rest % n_s
    names = {
        "e1rm": E1RM_KG,
        "reps": REPS,
        "duration": DURATION_S,
        "volume": "volume_load_kg",
        "set_volume": "set_volume_kg",
    }
    groups = {
        ATHLETE: (log.uniques[0].take(a), "string"),
        EXERCISE: (e_uni.take(e), "string"),
        SIDE: (s_uni.take(s), "string"),
        METRIC: (metric_of_e[e] if kind == "auto" else np.full(len(e), names.get(kind)), "string"),
    }
    if kind == "reps":
        groups[LOAD_KG] = (loads[uniq % len(loads)], "Float64")
    return Sessions(
        new_frame(groups),
        g.astype(np.int64),
        log.day[pick],
        best,
        log.load[pick],
        log.reps[pick],
        n_sets,
        chart[pick],
        np.vstack([a, e, s]),
    )


def series_day_order(log: WorkingLog) -> np.ndarray:
    """Rows of ``log.keep`` in (series, day, row) order: one stable sort, kept in ``log.shared``.

    Any subset of these rows, filtered in this order, is in the order a stable sort of the
    subset by (series, day) gives, so each kind of session best reuses this one sort.
    """
    return series_day_keys(log)[0]


def series_day_keys(log: WorkingLog) -> tuple[np.ndarray, np.ndarray, int]:
    """:func:`series_day_order`, the (series, day) key of each of those rows (``series * span +
    day - first day``) and ``span``, computed once per log (``log.shared``)."""
    if "series_day_order" not in log.shared:  # the rows do not depend on the rpe variant
        idx = np.flatnonzero(log.keep)
        n_e, n_s = len(log.uniques[1]), len(log.uniques[2])
        day = log.day[idx]
        day0 = int(day.min()) if len(day) else 0
        span = int(day.max()) - day0 + 1 if len(day) else 1
        key = ((log.a[idx].astype(np.int64) * n_e + log.e[idx]) * n_s + log.s[idx]) * span + (day - day0)
        order = stable_group_order(key)
        log.shared["series_day_order"] = (idx[order], key[order], span)
    return log.shared["series_day_order"]


def first_max(starts: np.ndarray, rows: np.ndarray, *criteria: np.ndarray) -> np.ndarray:
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
        score = crit[rows].astype(float, copy=False)
        if not np.isfinite(score).all():  # NaN lowest (and infinities as nan_to_num maps them)
            score = np.nan_to_num(score, copy=False, nan=-np.inf)
        if cand is None:  # every row at its segment's max: every segment ties, skip
            best = score == np.maximum.reduceat(score, starts)[seg]
            if best.all():
                continue
            cand = best
        else:
            if (score == score[starts][seg]).all():
                continue
            np.copyto(score, -np.inf, where=~cand)
            cand &= score == np.maximum.reduceat(score, starts)[seg]
        if np.count_nonzero(cand) == len(starts):
            break
    win = np.arange(n) if cand is None else np.flatnonzero(cand)
    return win[np.r_[True, seg[win][1:] != seg[win][:-1]]]


def boolean_array(values: np.ndarray, known: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Nullable boolean: ``values`` where ``known``, else NA."""
    out = np.asarray(values).astype(object)
    out[~np.asarray(known, dtype=bool)] = None
    return pd.array(out, dtype="boolean")

"""Left/right pairs of single-leg lifts: per athlete, exercise and session, one metric for both
sides (definitions in :mod:`analysis.symmetry`, "Pairing" and "Metric per side")."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis._engine.e1rm import formula_key
from analysis._engine.options import check_sets, positive_int
from analysis._engine.prepared import Prepared, WorkingLog, bodyweight_at
from analysis._engine.sessions import Kind, Sessions, sessions
from analysis._engine.stats import stable_group_order
from analysis.columns import DURATION_S, E1RM_KG

LEFT, RIGHT = "left", "right"
#: The metrics a session's sides are compared on, in order of preference.
PAIR_METRICS = np.array([E1RM_KG, "reps", DURATION_S, "set_volume_kg"], dtype=object)


def side_pairs(log: WorkingLog, s: Sessions, span: int, by_load: bool):
    """(key, left, right, load) for sessions with both sides; key = (athlete, exercise, day)."""
    a, e, sd = s.codes[:, s.g]
    names = log.uniques[2].to_numpy(dtype=object)  # per side code
    day0 = log.day.min() if log.day.size else 0
    key = (a.astype(np.int64) * len(log.uniques[1]) + e) * span + (s.day - day0)
    load = np.full(len(key), np.nan)
    full = key
    if by_load:
        load = s.groups["load_kg"].to_numpy(dtype=float, na_value=np.nan)[s.g]
        codes, loads = pd.factorize(load, sort=True)
        full = key * max(len(loads), 1) + codes
    is_l, is_r = (names == LEFT)[sd], (names == RIGHT)[sd]
    _, li, ri = np.intersect1d(full[is_l], full[is_r], assume_unique=True, return_indices=True)
    lk, lv, rv, ld = key[is_l][li], s.value[is_l][li], s.value[is_r][ri], load[is_l][li]
    if by_load:  # keep the heaviest load done on both sides: last of each key (loads sorted)
        last = np.r_[lk[1:] != lk[:-1], True][: len(lk)]
        lk, lv, rv, ld = lk[last], lv[last], rv[last], ld[last]
    return lk, lv, rv, ld


def paired(
    prep: Prepared,
    func: str,
    formula,
    use_rpe: bool,
    max_reps: int,
    since_day: int | None = None,
    bodyweight: pd.DataFrame | None = None,
):
    """One row per athlete, exercise, session with both sides: arrays + log for decoding.

    Computed once per ``prep`` and options; the arrays are shared, never change them.
    ``since_day`` keeps the sessions of that day number and later only. With ``bodyweight``,
    body mass x the catalog's bodyweight fraction is added to the load of every set of an
    exercise that has a fraction, where the athlete's bodyweight is known on that day.
    """
    check_sets(prep.sets, func, use_rpe, (DURATION_S,))
    key, max_reps = formula_key(formula), positive_int("max_reps", max_reps)
    log = prep.log(use_rpe=use_rpe, func=func)
    if bodyweight is not None:
        log = prep.memo(
            ("system_load", use_rpe, id(bodyweight)), lambda: _with_body_mass(log, bodyweight, func)
        )
    return prep.memo(
        (
            "paired",
            use_rpe,
            key,
            max_reps,
            since_day,
            None if bodyweight is None else id(bodyweight),
        ),
        lambda: pairs(log, key, max_reps, since_day),
    )


def _with_body_mass(log: WorkingLog, bodyweight: pd.DataFrame, func: str) -> WorkingLog:
    """The log with load + bodyweight x fraction for exercises with a bodyweight fraction."""
    frac = np.nan_to_num(log.info["bodyweight_fraction"].to_numpy(dtype=float))[
        np.maximum(log.e, 0)
    ]
    need = (frac > 0) & log.keep
    load = log.load.copy()
    if need.any():
        bw = bodyweight_at(
            bodyweight, log.uniques[0].to_numpy(dtype=object), log.a[need], log.day[need], func
        )
        known = ~np.isnan(bw)
        rows = np.flatnonzero(need)[known]
        load[rows] = np.nan_to_num(load[rows]) + frac[rows] * bw[known]
    return replace(log, load=load, cache={})


def pairs(log: WorkingLog, key: str, max_reps: int, since_day: int | None):
    sided = np.isin(log.uniques[2].to_numpy(dtype=object), [LEFT, RIGHT])  # per side code
    rows = log.info["unilateral"].to_numpy(dtype=bool)[np.maximum(log.e, 0)]
    rows &= sided[np.maximum(log.s, 0)]
    if since_day is not None:
        rows &= log.day >= since_day
    day0 = log.day.min() if log.day.size else 0
    span = int(log.day.max() - day0 + 1) if log.day.size else 1
    parts = []
    kinds: tuple[Kind, ...] = ("e1rm", "reps", "duration", "set_volume")
    for priority, kind in enumerate(kinds):
        s = sessions(log, kind=kind, formula=key, max_reps=max_reps, rows=rows)
        k, lv, rv, ld = side_pairs(log, s, span, by_load=kind == "reps")
        parts.append((k, np.full(len(k), priority), lv, rv, ld))
        if len(k) and priority < len(kinds) - 1:
            # a session paired on this metric takes no lower one: drop its rows (a key's
            # pairs only depend on its own rows, so the rest are unchanged)
            cand = np.flatnonzero(rows)
            ae = log.a[cand].astype(np.int64) * len(log.uniques[1]) + log.e[cand]
            rows[cand[np.isin(ae * span + (log.day[cand] - day0), k)]] = False
    k, rank, lv, rv, ld = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = stable_group_order(k * 4 + rank)
    k, rank, lv, rv, ld = k[order], rank[order], lv[order], rv[order], ld[order]
    first = np.r_[True, k[1:] != k[:-1]][: len(k)]
    k, rank, lv, rv, ld = k[first], rank[first], lv[first], rv[first], ld[first]
    ae, day = k // span, k % span + day0
    n_e = len(log.uniques[1])
    return log, ae // n_e, ae % n_e, day, PAIR_METRICS[rank], lv, rv, ld

"""Weekly strength and pace metrics per athlete: the tidy table that correlations start from.

Definitions
-----------
Week
    ISO week, Monday start (:func:`analysis.periods.week_start`).
Weekly strength metrics (``kind = 'strength'``)
    ``<exercise>_e1rm_kg`` (bilateral) and ``<exercise>_<left|right>_e1rm_kg``: the week's best
    Epley e1RM, ``load_kg × (1 + reps / 30)``, over working sets with 1 to ``max_reps`` reps and
    a positive load (a 1-rep set is its own 1RM). ``<exercise>_asymmetry_pct``: ``100 × (right -
    left) / max(left, right)`` of that week's best e1RM per side, positive = right stronger.
    ``volume_load_kg``: Σ reps × load_kg over all working sets (kg·reps; both sides count).
Weekly pace metrics (``kind = 'pace'``)
    ``<run_type>_pace_s_per_km``: pooled pace (total time / total distance) of the week's runs of
    that type, s/km, **lower = faster**. ``best_vdot``: the week's best run VDOT (any type).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis._engine.defaults import MAX_REPS
from analysis._engine.frames import group_agg
from analysis.columns import (
    ATHLETE,
    BEST_VDOT,
    DATE,
    DISTANCE_KM,
    DURATION_S,
    EXERCISE,
    KIND,
    LOAD_KG,
    METRIC,
    REPS,
    RUN_TYPE,
    RUN_TYPES,
    SIDE,
    VALUE,
    VOLUME_LOAD_KG,
    WARMUP,
    WEEK_START,
    require_columns,
)
from analysis.pace import weekly_pace
from analysis.periods import week_start

__all__ = ["weekly_strength_pace"]



def _strength_metrics(
    sets: pd.DataFrame, *, lifts: Sequence[str] | None, max_reps: int
) -> pd.DataFrame:
    """Weekly strength metrics (athlete, week_start, metric, value).

    The one place coupled to how strength is computed: switch to analysis.progression.best_e1rm,
    analysis.symmetry.session_asymmetry and analysis.volume.weekly_volume here.
    """
    work = sets[~sets[WARMUP].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    reps = work[REPS].to_numpy(dtype=float, na_value=np.nan)
    load = work[LOAD_KG].to_numpy(dtype=float, na_value=np.nan)
    base = pd.DataFrame(
        {
            ATHLETE: work[ATHLETE].astype("string").to_numpy(),
            WEEK_START: week_start(work[DATE]).to_numpy(),
            EXERCISE: work[EXERCISE].astype("string").to_numpy(),
            SIDE: work[SIDE].astype("string").fillna("both").to_numpy(),
            "e1rm": np.where(reps == 1, load, load * (1 + reps / 30)),
            "tonnage": reps * load,
        }
    )
    ok = (reps >= 1) & (reps <= max_reps) & (load > 0)
    if lifts is not None:
        ok &= base[EXERCISE].isin(list(lifts)).to_numpy()
    keys = [ATHLETE, WEEK_START, EXERCISE, SIDE]
    best = group_agg(base[ok], keys, e1rm=("e1rm", "max"))
    side = best[SIDE].to_numpy(dtype=object)
    side_part = np.where(side == "both", "", "_" + best[SIDE].astype(str).to_numpy(dtype=object))
    e1rm = best.assign(**{METRIC: best[EXERCISE].astype(str) + side_part + "_e1rm_kg"})
    # left and right of one athlete, week and exercise are neighbours in ``best`` (sorted by
    # side: both < left < right): their pairs, without a pivot table (~5 ms on any frame)
    same = np.ones(max(len(best) - 1, 0), dtype=bool)
    for k in (ATHLETE, WEEK_START, EXERCISE):
        values = best[k].to_numpy()
        same &= values[1:] == values[:-1]
    left = np.flatnonzero(same & (side[:-1] == "left") & (side[1:] == "right"))
    sided = best.iloc[left][[ATHLETE, WEEK_START, EXERCISE]].reset_index(drop=True)
    lv, rv = best["e1rm"].to_numpy()[left], best["e1rm"].to_numpy()[left + 1]
    asym = sided.assign(
        e1rm=100 * (rv - lv) / np.maximum(lv, rv),
        **{METRIC: sided[EXERCISE].astype(str) + "_asymmetry_pct"},
    )
    volume = group_agg(
        base[np.isfinite(base["tonnage"].to_numpy())], [ATHLETE, WEEK_START], e1rm=("tonnage", "sum")
    ).assign(**{METRIC: VOLUME_LOAD_KG})
    cols = [ATHLETE, WEEK_START, METRIC, "e1rm"]
    out = pd.concat([e1rm[cols], asym[cols], volume[cols]], ignore_index=True)
    return out.rename(columns={"e1rm": VALUE})


def _pace_metrics(
    runs: pd.DataFrame, *, run_types: Sequence[str], long_factor: float
) -> pd.DataFrame:
    """Weekly pace metrics (athlete, week_start, metric, value)."""
    typed = weekly_pace(runs, by_type=True, long_factor=long_factor)
    typed = typed[typed[RUN_TYPE].isin(list(run_types))]
    pace = typed.assign(
        **{METRIC: typed[RUN_TYPE] + "_pace_s_per_km", VALUE: typed["pooled_pace_s_per_km"]}
    )
    pooled = weekly_pace(runs, by_type=False, long_factor=long_factor)
    vdot = pooled.assign(**{METRIC: BEST_VDOT, VALUE: pooled["best_vdot"]})
    cols = [ATHLETE, WEEK_START, METRIC, VALUE]
    return pd.concat([pace[cols], vdot[cols]], ignore_index=True)


def weekly_strength_pace(
    sets: pd.DataFrame,
    runs: pd.DataFrame,
    *,
    lifts: Sequence[str] | None = None,
    pace_run_types: Sequence[str] = ("easy",),
    max_reps: int = MAX_REPS,
    long_factor: float = 1.5,
) -> pd.DataFrame:
    """Weekly strength and pace metrics per athlete, in one long (tidy) table.

    Parameters
    ----------
    sets : pandas.DataFrame
        The canonical ``sets`` table; needs ``athlete, date, exercise, side, reps, load_kg,
        warmup``.
    runs : pandas.DataFrame
        The canonical ``runs`` table; needs ``athlete, date, distance_km, duration_s``.
    lifts : sequence of str or None, default=None
        Exercises (catalog keys) that get e1RM and asymmetry metrics; ``None`` for every
        exercise with an estimate.
    pace_run_types : sequence of str, default=("easy",)
        Run types that get a ``<run_type>_pace_s_per_km`` metric.
    max_reps : int, default=12
        Sets with more reps give no e1RM.
    long_factor : float, default=1.5
        Run-type inference, see :func:`analysis.pace.run_paces`.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``athlete, week_start, kind, metric``, columns: ``athlete``; ``week_start``
        (Monday, datetime64[us]); ``metric`` (name with unit suffix, see the module docstring:
        kg, %, kg·reps, s/km, ml/kg/min); ``value`` (Float64); ``kind`` ('pace' or 'strength').
        Weeks without data for a metric have no row.

    Raises
    ------
    MissingColumnsError
        If ``sets`` or ``runs`` lacks a required column.
    ValueError
        If a lift is not in ``sets``, a run type is unknown or ``max_reps`` is not a whole
        number from 1 to 30.

    Notes
    -----
    Metric definitions (Epley e1RM, signed asymmetry, volume load, pooled pace, VDOT) are in the
    module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": ["ana"], "date": pd.to_datetime(["2025-03-04"]), "exercise": ["back_squat"],
    ...                      "side": ["both"], "reps": [5], "load_kg": [60.0], "warmup": [False]})
    >>> runs = pd.DataFrame({"athlete": ["ana"], "date": pd.to_datetime(["2025-03-05"]),
    ...                      "distance_km": [8.0], "duration_s": [2800.0], "run_type": ["easy"]})
    >>> weekly_strength_pace(sets, runs)[["metric", "value", "kind"]].round(1)
                   metric  value      kind
    0           best_vdot   32.8      pace
    1  easy_pace_s_per_km  350.0      pace
    2  back_squat_e1rm_kg   70.0  strength
    3      volume_load_kg  300.0  strength
    """
    func = "weekly_strength_pace"
    require_columns(sets, [ATHLETE, DATE, EXERCISE, SIDE, REPS, LOAD_KG, WARMUP], func=func)
    require_columns(
        runs, [ATHLETE, DATE, DISTANCE_KM, DURATION_S], func=func,
        hint="Load logs with analysis.read_logs() and pass log.runs.",
    )  # fmt: skip
    if isinstance(max_reps, bool) or not isinstance(max_reps, int) or not 1 <= max_reps <= 30:
        raise ValueError(f"{func}() expected max_reps from 1 to 30, got {max_reps!r} instead.")
    if isinstance(pace_run_types, str):
        pace_run_types = (pace_run_types,)
    bad = [t for t in pace_run_types if t not in RUN_TYPES]
    if bad:
        raise ValueError(
            f"{func}() expected pace_run_types from {list(RUN_TYPES)}, got {bad} instead."
        )
    if lifts is not None:
        lifts = [lifts] if isinstance(lifts, str) else list(lifts)
        absent = sorted(set(lifts) - set(sets[EXERCISE].dropna().astype(str)))
        if absent:
            raise ValueError(
                f"{func}() expected lifts that occur in sets, got {absent} instead "
                "(use catalog keys such as 'back_squat')."
            )
    strength = _strength_metrics(sets, lifts=lifts, max_reps=max_reps).assign(kind="strength")
    pace = _pace_metrics(runs, run_types=pace_run_types, long_factor=long_factor).assign(
        kind="pace"
    )
    out = pd.concat([strength, pace], ignore_index=True)
    out = out[out[VALUE].notna()].sort_values([ATHLETE, WEEK_START, KIND, METRIC], kind="stable")
    return pd.DataFrame(
        {
            ATHLETE: pd.array(out[ATHLETE].to_numpy(), dtype="string"),
            WEEK_START: out[WEEK_START].astype("datetime64[us]").to_numpy(),
            METRIC: pd.array(out[METRIC].astype(str).to_numpy(), dtype="string"),
            VALUE: pd.array(out[VALUE].to_numpy(dtype=float), dtype="Float64"),
            KIND: pd.array(out[KIND].to_numpy(), dtype="string"),
        }
    )

"""Left-right verdicts: which side is weaker, by how much, and whether the gap is closing.

Definitions
-----------
Session gap
    Per single-leg exercise and session with both sides, ``asymmetry_pct`` of
    :mod:`analysis.symmetry` (+ means the right side is stronger), on the first metric both
    sides have: e1RM, reps at a matched load, hold, or the best set's reps x load (set against
    set, never total volume). With ``bodyweight``, body mass x the catalog's bodyweight
    fraction is added to the load of lifts that have one (a step-up with 10 kg dumbbells moves
    about 66 kg, not 10).
Weaker side
    The side that is weaker *consistently*: the 95 % CI of the current block's 20 % trimmed
    mean gap (Yuen; one odd session barely moves it; with fewer than 4 df the SD is never below
    5 percentage points, and the CI is never narrower than the log's resolution) excludes 0,
    and the gap is at least that resolution (one plate step or one rep at the lift's typical
    set, as % of the stronger side). Then ``status`` is ``imbalanced``; otherwise ``balanced``
    and ``weaker_side`` is ``none``. ``consistency`` is the share of sessions in which the
    named side was weaker.
Gap
    ``gap_pct``: the trimmed mean gap toward the weaker side (>= 0), with ``ci_low``,
    ``ci_high``.
    ``previous_gap_pct``: the previous block's mean gap in the same direction.
Trend
    The change of the gap (toward the side weaker in the block where the gap was larger) from
    the previous block to the current one, with the n-aware CI of :mod:`analysis._engine.progress`
    and the resolution floor: ``closing`` when the CI is below 0, ``widening`` when above,
    ``stable`` otherwise; ``not enough data`` with fewer than ``min_sessions`` paired sessions
    in either block.
Threshold
    ``over_threshold`` (mean gap >= ``threshold_pct``, default 10 %) is a secondary flag; the
    10-15 % thresholds in the literature lack prospective support (Parkinson et al. 2021).
    Nothing here labels injury risk.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.defaults import ASYMMETRY_THRESHOLD_PCT, MAX_REPS, MIN_SESSIONS
from analysis._engine.e1rm import formula_key
from analysis._engine.frames import named_agg
from analysis._engine.options import int_option, resolve_end_day
from analysis._engine.pairs import paired
from analysis._engine.prepared import prepare
from analysis._engine.progress import MIN_NOISE_DF, block_change, session_table
from analysis._engine.stats import t_quantile
from analysis.columns import (
    ATHLETE,
    BODYWEIGHT_KG,
    CI_HIGH,
    CI_LOW,
    DATE,
    DURATION_S,
    E1RM_KG,
    EXERCISE,
    METRIC,
    NOT_ENOUGH_DATA,
    STATUS,
    require_columns,
)
from analysis.periods import monday_of
from analysis.symmetry import asymmetry_pct

BALANCED, IMBALANCED = "balanced", "imbalanced"
CLOSING, WIDENING, STABLE = "closing", "widening", "stable"
#: Prior SD of a session's left-right gap, percentage points (test-retest CVs of 3.7-13.7 %,
#: Bishop et al. 2019, domain.md section 4), used with fewer than 4 degrees of freedom.
PRIOR_GAP_SD = 5.0
ASYMMETRY_STATUS_COLUMNS = (
    ATHLETE,
    EXERCISE,
    METRIC,
    "weaker_side",
    "gap_pct",
    CI_LOW,
    CI_HIGH,
    "previous_gap_pct",
    "resolution_pct",
    "consistency",
    "n_sessions",
    "n_previous",
    STATUS,
    "trend",
    "trend_change_pct",
    "trend_ci_low",
    "trend_ci_high",
    "over_threshold",
    "evidence",
)


def asymmetry_status(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end: Any = None,
    bodyweight: pd.DataFrame | None = None,
    formula: str = "epley",
    max_reps: int = MAX_REPS,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    min_sessions: int = MIN_SESSIONS,
) -> pd.DataFrame:
    """One verdict per athlete and single-leg exercise trained in the current block.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets``.
    weeks : int, default=4
        Block length in ISO weeks: the current block against the one before.
    end : date-like, default=None
        Last day of the current block; default the last logged date.
    bodyweight : DataFrame, default=None
        ``log.bodyweight``: adds body mass to the load of lifts with a bodyweight fraction.
    formula : str, default="epley"
        e1RM equation.
    max_reps : int, default=12
        No e1RM above this many reps.
    threshold_pct : float, default=10.0
        The secondary flag ``over_threshold``.
    min_sessions : int, default=3
        Fewer paired sessions in the current block give ``not enough data``.

    Returns
    -------
    DataFrame
        Sorted by ``athlete, exercise``: ``athlete``, ``exercise``, ``metric`` (of the
        current block's sessions, or ``mixed``), ``weaker_side`` (``left``, ``right``,
        ``none``), ``gap_pct`` (%, toward the weaker side), ``ci_low``, ``ci_high`` (95 %),
        ``previous_gap_pct`` (%), ``resolution_pct`` (%), ``consistency`` (0-1),
        ``n_sessions`` (paired sessions this block), ``n_previous``, ``status`` (``balanced``,
        ``imbalanced``, ``not enough data``), ``trend`` (``closing``, ``widening``,
        ``stable``, ``not enough data``), ``trend_change_pct``, ``trend_ci_low``,
        ``trend_ci_high`` (percentage points), ``over_threshold`` (boolean) and ``evidence``.

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Bad ``weeks``, ``end``, ``formula``, ``max_reps`` or ``min_sessions``.

    Notes
    -----
    Session gap, weaker side, gap, trend and threshold are defined in the module docstring.

    Examples
    --------
    >>> days = pd.date_range("2026-10-27", periods=8, freq="3D12h").normalize().repeat(2)
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": days, "exercise": "single_leg_rdl",
    ...     "side": ["left", "right"] * 8, "reps": 8, "load_kg": [30.0, 26.0] * 8,
    ...     "duration_s": np.nan, "rpe": np.nan, "warmup": False})
    >>> asymmetry_status(sets)[["weaker_side", "gap_pct", "status", "trend"]].round(1)
      weaker_side  gap_pct      status            trend
    0       right     13.3  imbalanced  not enough data
    """
    func = "asymmetry_status"
    weeks = int_option("weeks", weeks, 1, 52)
    min_sessions = int_option("min_sessions", min_sessions, 2, 1000)
    if bodyweight is not None:
        require_columns(bodyweight, [ATHLETE, DATE, BODYWEIGHT_KG], func=func, hint="Pass log.bodyweight.")
    prep = prepare(sets)
    log, a, e, day, metric, lv, rv, _ = paired(
        prep, func, formula, False, max_reps, None, bodyweight
    )
    end_day = resolve_end_day(end, log.day[log.keep], func)
    gap = asymmetry_pct(lv, rv)
    keep = ~np.isnan(gap) & (day <= end_day)
    a, e, day, metric, gap = a[keep], e[keep], day[keep], metric[keep], gap[keep]
    if not len(gap):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ASYMMETRY_STATUS_COLUMNS})
    cur_start = int(monday_of(np.int64(end_day))) - 7 * (weeks - 1)
    block = np.where(day >= cur_start, 1, np.where(day >= cur_start - 7 * weeks, 0, -1))
    key = a.astype(np.int64) * len(log.uniques[1]) + e
    codes, gi = np.unique(key, return_inverse=True)
    n = len(codes)
    res = _resolution_pct(prep, codes, len(log.uniques[1]), metric, gi, n, formula, max_reps, end_day)
    out = _verdicts(gap, gi, block, n, min_sessions, threshold_pct, res)
    in_cur = pd.DataFrame({"g": gi[block == 1], "m": metric[block == 1]}).drop_duplicates()
    kinds = in_cur.groupby("g")["m"].agg(["first", "size"]).reindex(range(n))
    cur_metric = kinds["first"].where(kinds["size"] == 1, "mixed")
    frame = pd.DataFrame(
        {
            ATHLETE: pd.array(log.uniques[0].take(codes // len(log.uniques[1])), dtype="string"),
            EXERCISE: pd.array(log.uniques[1].take(codes % len(log.uniques[1])), dtype="string"),
            METRIC: pd.array(cur_metric.to_numpy(dtype=object), dtype="string"),
            **out,
        }
    )
    frame = frame[frame["n_sessions"].to_numpy() > 0].reset_index(drop=True)
    frame["evidence"] = pd.array(_evidence(frame), dtype="string")
    return frame.sort_values([ATHLETE, EXERCISE], kind="stable").reset_index(drop=True)


def _verdicts(gap, gi, block, n, min_sessions, threshold_pct, res) -> dict[str, Any]:
    cur = block == 1
    n_cur = np.bincount(gi[cur], minlength=n)
    n_prev = np.bincount(gi[block == 0], minlength=n)
    mean, half = _trimmed_mean_ci(gap[cur], gi[cur], n)
    half = np.fmax(half, res / 2)  # never finer than the log's rounding
    enough = n_cur >= min_sessions
    real = enough & (np.abs(mean) - half > 0) & (np.abs(mean) >= res)
    sign = np.sign(mean)  # + : right stronger, left weaker
    weaker = np.where(real, np.where(sign > 0, "left", "right"), "none")
    oriented = np.where(sign >= 0, 1.0, -1.0)
    agree = np.bincount(gi[cur], (np.sign(gap[cur]) == oriented[gi[cur]]) * 1.0, minlength=n)
    consistency = np.where(n_cur > 0, agree / np.maximum(n_cur, 1), np.nan)
    # trend: the gap toward the side weaker in the block where it was larger
    prev_mean = np.bincount(gi[block == 0], gap[block == 0], minlength=n) / np.maximum(n_prev, 1)
    toward = np.where(np.abs(prev_mean) > np.abs(mean), np.sign(prev_mean), sign)
    toward = np.where(toward == 0, 1.0, toward)
    b = np.where(block >= 0, block, -1)
    trend = block_change(
        gap * toward[gi], gi, b, np.zeros(len(gap), dtype=np.int64), n,
        prior_sd=np.full(n, PRIOR_GAP_SD), resolution=res,
    )  # fmt: skip
    both = enough & (n_prev >= min_sessions)
    trend_word = np.where(
        both, np.select([trend["clear"] == -1, trend["clear"] == 1], [CLOSING, WIDENING], STABLE),
        NOT_ENOUGH_DATA,
    )  # fmt: skip
    status = np.where(enough, np.where(real, IMBALANCED, BALANCED), NOT_ENOUGH_DATA)
    known = enough

    def num(values: np.ndarray, mask: np.ndarray = known) -> Any:
        return pd.array(np.where(mask, values, np.nan), dtype="Float64")

    return {
        "weaker_side": pd.array(np.where(enough, weaker, "none"), dtype="string"),
        "gap_pct": num(np.abs(mean)),
        CI_LOW: num(np.abs(mean) - half),
        CI_HIGH: num(np.abs(mean) + half),
        "previous_gap_pct": num(prev_mean * oriented, n_prev > 0),
        "resolution_pct": num(res, np.ones(n, dtype=bool)),
        "consistency": num(consistency),
        "n_sessions": pd.array(n_cur, dtype="Int64"),
        "n_previous": pd.array(n_prev, dtype="Int64"),
        STATUS: pd.array(status, dtype="string"),
        "trend": pd.array(trend_word, dtype="string"),
        "trend_change_pct": num(trend["change"], both),
        "trend_ci_low": num(trend["ci_low"], both),
        "trend_ci_high": num(trend["ci_high"], both),
        "over_threshold": pd.array(
            np.where(known, np.abs(mean) >= threshold_pct, None), dtype="boolean"
        ),
    }


def _trimmed_mean_ci(gap: np.ndarray, gi: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """20 % trimmed mean per group and the half-width of its 95 % CI (Yuen 1974).

    One odd session moves a trimmed mean far less than a plain mean (Wilcox, *Introduction to
    Robust Estimation and Hypothesis Testing*, 4th ed., 2017, section 4.3). SE =
    ``s_w / ((1 - 2 x 0.2) sqrt(n))`` with ``s_w`` the 20 % winsorized SD; t with ``h - 1``
    df, ``h`` the values kept. With fewer than 4 df the SD is never below
    :data:`PRIOR_GAP_SD`.
    """
    order = np.lexsort((gap, gi))
    g, v = gi[order], gap[order]
    counts = np.bincount(g, minlength=n)
    start = np.cumsum(counts) - counts
    rank = np.arange(len(v)) - start[g]
    cut = np.floor(0.2 * counts).astype(np.int64)
    lo_val = v[np.minimum(start + cut, np.maximum(start + counts - 1, 0))][g] if len(v) else v
    hi_val = v[np.maximum(start + counts - 1 - cut, 0)][g] if len(v) else v
    kept = (rank >= cut[g]) & (rank < (counts - cut)[g])
    h = counts - 2 * cut
    with np.errstate(invalid="ignore", divide="ignore"):
        tmean = np.bincount(g[kept], v[kept], minlength=n) / h
        wins = np.clip(v, lo_val, hi_val)
        wmean = np.bincount(g, wins, minlength=n) / counts
        wvar = np.bincount(g, (wins - wmean[g]) ** 2, minlength=n) / np.maximum(counts - 1, 1)
        df = np.maximum(h - 1, 0)
        sd = np.sqrt(wvar)
        sd = np.where(df >= MIN_NOISE_DF, sd, np.fmax(sd, PRIOR_GAP_SD))
        se = sd / ((1 - 2 * 0.2) * np.sqrt(np.maximum(counts, 1)))
        half = t_quantile(0.975, np.maximum(df, 1)) * se
    return np.where(counts > 0, tmean, np.nan), half


def _resolution_pct(prep, codes, n_e, metric, gi, n, formula, max_reps, end_day) -> np.ndarray:
    """The smallest gap the log can show, % of the stronger side, per athlete and exercise.

    One plate step (the lift's smallest load difference) or one rep, whichever is smaller, at
    the lift's typical set: ``min(step / load, 1 / (30 + reps))`` for an e1RM (Epley),
    ``1 / reps`` for reps, ``hold step / hold`` for holds, ``min(step / load, 1 / reps)`` for
    a set's reps x load.
    """
    table = session_table(prep, formula=formula_key(formula), max_reps=max_reps, end_day=end_day,
                          func="asymmetry_status")  # fmt: skip
    series, f = table.series, table.frame
    pair_key = series["a"].to_numpy(dtype=np.int64) * n_e + series["e"].to_numpy()
    typical = f.groupby("g")[["top_load", "reps_at_top", "hold"]].median()
    s = series.assign(k=pair_key).join(typical, on="g")
    per = named_agg(
        s.groupby("k"), step=("load_step", "min"), hstep=("hold_step", "min"), load=("top_load", "median"),
        reps=("reps_at_top", "median"), hold=("hold", "median"),
    ).reindex(codes)  # fmt: skip
    reps = np.clip(per["reps"].to_numpy(), 1, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        step_share = per["step"].to_numpy() / per["load"].to_numpy()
        by_metric = {
            E1RM_KG: np.fmin(step_share, 1 / (30 + reps)),
            "reps": 1 / reps,
            DURATION_S: per["hstep"].to_numpy() / per["hold"].to_numpy(),
            "set_volume_kg": np.fmin(step_share, 1 / reps),
        }
    counts = pd.DataFrame({"g": gi, "m": metric}).value_counts().reset_index()
    counts = counts.sort_values(["g", "count"], ascending=[True, False], kind="stable")
    first = counts.drop_duplicates("g").set_index("g")["m"].reindex(range(n))
    out = np.full(n, np.nan)
    for name, values in by_metric.items():
        sel = (first == name).to_numpy()
        out[sel] = values[sel]
    return np.where(np.isfinite(out), 100 * out, 100 / 30)


def _evidence(frame: pd.DataFrame) -> list[str]:
    lines = []
    for r in frame.itertuples(index=False):
        parts = [f"{r.n_sessions} paired sessions this block, {r.n_previous} in the previous"]
        if pd.notna(r.gap_pct):
            parts.append(
                f"mean gap {r.gap_pct:.1f} % (95 % CI {r.ci_low:.1f} to {r.ci_high:.1f}; "
                f"smallest the log shows {r.resolution_pct:.1f} %), on {r.metric}"
            )
            parts.append(f"the same side weaker in {r.consistency:.0%} of sessions")
        if pd.notna(r.trend_change_pct):
            parts.append(
                f"gap change {r.trend_change_pct:+.1f} points (95 % CI {r.trend_ci_low:+.1f} "
                f"to {r.trend_ci_high:+.1f})"
            )
        lines.append("; ".join(parts))
    return lines

"""Left-right symmetry of unilateral lifts: pairing, asymmetry %, LSI, direction, noise.

Definitions (used by every function here)
-----------------------------------------
Pairing
    Working sets of catalog-unilateral exercises logged with side ``left`` and ``right`` are
    paired per athlete, exercise and session (date). Sessions with one side only are left out.
Metric per side
    The first that exists on both sides: best e1RM (``e1rm_kg``, load > 0, see
    :mod:`analysis.progression`); else best reps at a matched load (``reps``: the heaviest
    load done on both sides, bodyweight = 0 kg included); else the longest hold
    (``duration_s``); else the best set's reps x load (``set_volume_kg``: set against set, so
    a side that did more sets at a lighter load is not "stronger"). e1RM ignores
    RPE by default (``use_rpe=False``): RIR is judged to about +-1 rep (domain.md section 2),
    so a chart estimate on one side and a formula on the other would not be comparable.
Asymmetry
    ``asymmetry_pct = 100 * (right - left) / max(left, right)``. The sign is fixed: positive
    means the right side is stronger; it is never re-referenced to a dominant limb. The
    magnitude ``|asymmetry_pct|`` is Bishop's percentage difference for unilateral tests
    (Bishop et al., Strength Cond J 2018;40(4):1-6); direction is reported on its own
    (``stronger``, ``direction``) because it can flip between sessions (Bishop et al. 2022).
    NaN when either side is missing or both are 0 (domain.md section 4).
LSI
    Limb symmetry index ``lsi_pct = 100 * min(left, right) / max(left, right)``.
Block
    As in :mod:`analysis.periods` (``weeks`` ISO weeks ending with the week of ``end``).
Noise
    ``typical_error_pct``: SD of successive session differences of ``asymmetry_pct`` in the
    block / sqrt(2) (Hopkins 2000), described here. Which side is weaker, whether the gap is
    real and whether it is closing are judged in one place, with the uncertainty of block means:
    :func:`analysis.reassessment.asymmetry_status`.
Threshold
    ``over_threshold`` (``|mean asymmetry| >= threshold_pct``, default 10 %) is a secondary
    flag: 10-15 % thresholds in the literature lack prospective support (Parkinson et al. 2021).
    Nothing here labels injury risk.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.defaults import ASYMMETRY_THRESHOLD_PCT, MAX_REPS, MIN_SESSIONS
from analysis._engine.e1rm import Formula
from analysis._engine.options import (
    int_option,
    resolve_end_day,
)
from analysis._engine.pairs import paired
from analysis._engine.prepared import prepare
from analysis._engine.sessions import (
    block_columns,
    blocks_of,
    boolean_array,
    dates,
)
from analysis._engine.stats import typical_error
from analysis.columns import (
    ASYMMETRY_PCT,
    ATHLETE,
    DATE,
    EXERCISE,
    LSI_PCT,
    METRIC,
    NOT_ENOUGH_DATA,
    STATUS,
    STRONGER,
    float_values,
    require_columns,
)
from analysis.periods import day_number, parse_day

__all__ = ["asymmetry_pct", "block_asymmetry", "lsi_pct", "session_asymmetry", "stronger_side"]

LEFT, RIGHT = "left", "right"


def _shape_like(result: np.ndarray, *inputs: Any, name: str) -> Any:
    series = next((x for x in inputs if isinstance(x, pd.Series)), None)
    if series is not None:
        return pd.Series(np.broadcast_to(result, series.shape), index=series.index, name=name)
    if all(np.ndim(x) == 0 for x in inputs):
        return np.asarray(result).item()
    return result


def _lr(left, right) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lv, rv = float_values(left), float_values(right)
    top = np.fmax(lv, rv)
    top = np.where(np.isnan(lv) | np.isnan(rv) | ~(top > 0), np.nan, top)
    return lv, rv, top


def asymmetry_pct(left, right):
    """Signed percentage difference, ``100 * (right - left) / max(left, right)``.

    Parameters
    ----------
    left, right : float, array-like or Series
        The same metric on each side (aligned by position).

    Returns
    -------
    float, ndarray or Series
        Percent; positive = right stronger. NaN when either side is missing or both are 0.
        A float for scalars, a Series named ``asymmetry_pct`` when an input is a Series.

    Notes
    -----
    Magnitude = Bishop's percentage difference (domain.md section 4); see the module docstring.

    Examples
    --------
    >>> asymmetry_pct(80, 100)
    20.0
    >>> asymmetry_pct([100, 0], [80, 0])
    array([-20.,  nan])
    """
    lv, rv, top = _lr(left, right)
    with np.errstate(all="ignore"):
        return _shape_like(100 * ((rv - lv) / top), left, right, name=ASYMMETRY_PCT)


def lsi_pct(left, right):
    """Limb symmetry index, ``100 * min(left, right) / max(left, right)``.

    Parameters
    ----------
    left, right : float, array-like or Series
        The same metric on each side.

    Returns
    -------
    float, ndarray or Series
        Percent (100 = equal); NaN when either side is missing or both are 0.

    Examples
    --------
    >>> lsi_pct(80, 100)
    80.0
    """
    lv, rv, top = _lr(left, right)
    with np.errstate(all="ignore"):
        return _shape_like(100 * (np.fmin(lv, rv) / top), left, right, name=LSI_PCT)


def stronger_side(left, right):
    """``"left"``, ``"right"`` or ``"equal"`` (None where the asymmetry is undefined).

    Parameters
    ----------
    left, right : float, array-like or Series
        The same metric on each side.

    Returns
    -------
    str, None, ndarray of object or Series of string
        The stronger side by the fixed sign convention (+ = right).

    Examples
    --------
    >>> stronger_side([80, 100, 5], [100, 80, 5]).tolist()
    ['right', 'left', 'equal']
    """
    lv, rv, top = _lr(left, right)
    side = np.where(rv > lv, RIGHT, np.where(lv > rv, LEFT, "equal")).astype(object)
    side = np.where(np.isnan(top), None, side)
    out = _shape_like(side, left, right, name=STRONGER)
    return out.astype("string") if isinstance(out, pd.Series) else out


def session_asymmetry(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = False,
    max_reps: int = MAX_REPS,
    bodyweight: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Left vs right per athlete, unilateral exercise and session.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    formula : str, default="epley"
        e1RM equation (:data:`analysis.progression.FORMULAS`).
    use_rpe : bool, default=False
        Use the RTS chart for sets with an RPE (see the module docstring for the default).
    max_reps : int, default=12
        No e1RM above this many reps.
    bodyweight : DataFrame, default=None
        ``log.bodyweight``: body mass x the catalog's bodyweight fraction is added to the load
        of a lift that has one (as :func:`analysis.reassessment.asymmetry_status` does).

    Returns
    -------
    DataFrame
        Sorted by ``athlete, exercise, date``: ``athlete``, ``exercise``, ``date``, ``metric``
        (``e1rm_kg``, ``reps``, ``duration_s`` or ``set_volume_kg``: the unit of ``left`` and
        ``right``), ``left``, ``right``, ``matched_load_kg`` (kg, for ``reps`` only),
        ``asymmetry_pct`` (%, + = right stronger), ``lsi_pct`` (%) and ``stronger``
        (``left``, ``right`` or ``equal``).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Unknown ``formula`` or bad ``max_reps``.

    Notes
    -----
    Pairing, the metric order and the formulas are defined in the module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "A", "date": pd.to_datetime(["2026-09-01"] * 2),
    ...     "exercise": "bulgarian_split_squat", "side": ["left", "right"], "reps": 1,
    ...     "load_kg": [80.0, 100.0], "rpe": float("nan"), "duration_s": float("nan"),
    ...     "warmup": False})
    >>> session_asymmetry(sets)[["metric", "left", "right", "asymmetry_pct", "lsi_pct"]]
        metric  left  right  asymmetry_pct  lsi_pct
    0  e1rm_kg  80.0  100.0           20.0     80.0
    """
    if bodyweight is not None:
        require_columns(bodyweight, [ATHLETE, DATE, "bodyweight_kg"], func="session_asymmetry",
                        hint="Pass log.bodyweight.")  # fmt: skip
    log, a, e, day, metric, lv, rv, ld = paired(
        prepare(sets), "session_asymmetry", formula, use_rpe, max_reps, None, bodyweight
    )
    return pd.DataFrame(
        {
            ATHLETE: pd.array(log.uniques[0].take(a), dtype="string"),
            EXERCISE: pd.array(log.uniques[1].take(e), dtype="string"),
            DATE: dates(day),
            METRIC: pd.array(metric, dtype="string"),
            LEFT: pd.array(lv, dtype="Float64"),
            RIGHT: pd.array(rv, dtype="Float64"),
            "matched_load_kg": pd.array(ld, dtype="Float64"),
            ASYMMETRY_PCT: pd.array(asymmetry_pct(lv, rv), dtype="Float64"),
            LSI_PCT: pd.array(lsi_pct(lv, rv), dtype="Float64"),
            STRONGER: pd.array(stronger_side(lv, rv), dtype="string"),
        }
    )


def block_asymmetry(
    sets: pd.DataFrame,
    *,
    weeks: int = 4,
    end=None,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    min_sessions: int = MIN_SESSIONS,
    formula: Formula | str = "epley",
    use_rpe: bool = False,
    max_reps: int = MAX_REPS,
    any_length: bool = False,
    start=None,
    bodyweight: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Asymmetry per athlete, unilateral exercise and block, judged against its own noise.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table.
    weeks : int, default=4
        Block length in ISO weeks (4, 5 or 6).
    end : date-like, default=None
        End of the current block; default the last logged date. Later sessions are ignored.
    threshold_pct : float, default=10.0
        Secondary flag: ``|mean asymmetry| >= threshold_pct``.
    min_sessions : int, default=3
        Fewer paired sessions give status ``"not enough data"`` and no numbers.
    formula : str, default="epley"
        e1RM equation (:data:`analysis.progression.FORMULAS`).
    use_rpe : bool, default=False
        Use the RTS chart for sets with an RPE.
    max_reps : int, default=12
        No e1RM above this many reps.
    any_length : bool, default=False
        Accept any block length from 1 to 52 weeks (as in :mod:`analysis.periods`).
    start : date-like, default=None
        Leave out sessions before this day (pass a block start to keep that block and the
        later ones); the oldest block kept has no ``change_vs_previous_pct``.
    bodyweight : DataFrame, default=None
        ``log.bodyweight``: body mass x the catalog's bodyweight fraction is added to the load
        of a lift that has one, as :func:`session_asymmetry` does.

    Returns
    -------
    DataFrame
        One row per athlete, exercise and block with paired sessions, sorted in that order:
        ``athlete``, ``exercise``, ``block_index`` (0 current, -1 previous...), ``block``,
        ``block_start``, ``block_end`` (dates), ``metric`` (the session metric, or ``mixed``),
        ``n_sessions``, ``asymmetry_pct`` (%, mean signed; + = right), ``magnitude_pct`` (%,
        mean of ``|asymmetry_pct|``), ``lsi_pct`` (%, mean), ``direction`` (side stronger in
        more sessions: ``left``, ``right`` or ``equal``), ``direction_consistency`` (share of
        sessions, 0-1, in which that side was stronger), ``typical_error_pct`` (%),
        ``change_vs_previous_pct`` (percentage points vs the previous block's mean),
        ``over_threshold`` (boolean)
        and ``status`` (``"ok"`` or ``"not enough data"``).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Bad ``weeks``, ``end``, ``threshold_pct``, ``min_sessions``, ``formula``, ``max_reps``.

    Notes
    -----
    Noise and the threshold are defined in the module docstring; the verdicts on a gap and
    its trend are :func:`analysis.reassessment.asymmetry_status`. A change needs ``min_sessions`` in both blocks.

    Examples
    --------
    >>> days = pd.to_datetime(["2026-11-03", "2026-11-10", "2026-11-17"]).repeat(2)
    >>> sets = pd.DataFrame({"athlete": "A", "date": days, "exercise": "single_leg_rdl",
    ...     "side": ["left", "right"] * 3, "reps": 1, "load_kg": [80.0, 100, 90, 100, 85, 100],
    ...     "rpe": float("nan"), "duration_s": float("nan"), "warmup": False})
    >>> block_asymmetry(sets)[["n_sessions", "asymmetry_pct", "direction", "status"]]
       n_sessions  asymmetry_pct direction status
    0           3           15.0     right     ok
    """
    if isinstance(threshold_pct, bool) or not isinstance(threshold_pct, int | float):
        raise ValueError(f"threshold_pct expected a number, got {threshold_pct!r} instead.")
    if not 0 <= threshold_pct <= 100:
        raise ValueError(f"threshold_pct expected 0 to 100, got {threshold_pct!r} instead.")
    min_sessions = int_option("min_sessions", min_sessions, 2, 1000)
    since_day = (
        None if start is None else day_number(parse_day(start, "start", func="block_asymmetry"))
    )
    if bodyweight is not None:
        require_columns(bodyweight, [ATHLETE, DATE, "bodyweight_kg"], func="block_asymmetry",
                        hint="Pass log.bodyweight.")  # fmt: skip
    log, a, e, day, metric, lv, rv, _ = paired(
        prepare(sets), "block_asymmetry", formula, use_rpe, max_reps, since_day, bodyweight
    )
    end_day = resolve_end_day(end, log.day[log.keep], "block_asymmetry")
    asym = asymmetry_pct(lv, rv)
    keep = ~np.isnan(asym) & (day <= end_day)
    a, e, day, metric, asym, lsi = (
        a[keep],
        e[keep],
        day[keep],
        metric[keep],
        asym[keep],
        lsi_pct(lv, rv)[keep],
    )
    block, table = blocks_of(day, end_day, weeks, any_length)
    ae = a.astype(np.int64) * len(log.uniques[1]) + e
    new = np.r_[True, (ae[1:] != ae[:-1]) | (block[1:] != block[:-1])][: len(ae)]
    starts = np.flatnonzero(new)
    gb, m = np.cumsum(new) - 1, len(starts)
    n = np.diff(np.r_[starts, len(gb)])

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(gb, values, minlength=m) / np.maximum(n, 1)

    n_right = np.bincount(gb, asym > 0, minlength=m)
    n_left = np.bincount(gb, asym < 0, minlength=m)
    direction = np.where(n_right > n_left, RIGHT, np.where(n_left > n_right, LEFT, "equal"))
    first_metric = metric[starts] if m else metric[:0]
    same = np.bincount(gb, metric == first_metric[gb], minlength=m) == n
    te = typical_error(gb, asym, m)
    ok = n >= min_sessions
    g_ae, b = ae[starts], block[starts]
    prev = np.r_[False, (g_ae[1:] == g_ae[:-1]) & (b[1:] == b[:-1] + 1) & ok[:-1]][:m] & ok
    prev_i = np.maximum(np.arange(m) - 1, 0)
    level = mean(asym)
    change = np.where(prev, level - level[prev_i], np.nan)

    def masked(values: np.ndarray, dtype: str = "Float64") -> pd.api.extensions.ExtensionArray:
        out = np.asarray(values).astype(object)
        out[~ok] = None
        return pd.array(out, dtype=dtype)

    out = pd.DataFrame(
        {
            ATHLETE: pd.array(log.uniques[0].take(a[starts]), dtype="string"),
            EXERCISE: pd.array(log.uniques[1].take(e[starts]), dtype="string"),
        }
    )
    out = pd.concat([out, block_columns(b, table)], axis=1)
    return out.assign(
        **{
            METRIC: pd.array(np.where(same, first_metric, "mixed"), dtype="string"),
            "n_sessions": pd.array(n, dtype="Int64"),
            ASYMMETRY_PCT: masked(level),
            "magnitude_pct": masked(mean(np.abs(asym))),
            LSI_PCT: masked(mean(lsi)),
            "direction": masked(direction.astype(object), "string"),
            "direction_consistency": masked(np.maximum(n_right, n_left) / np.maximum(n, 1)),
            "typical_error_pct": masked(te),
            "change_vs_previous_pct": pd.array(change, dtype="Float64"),
            "over_threshold": boolean_array(np.abs(level) >= threshold_pct, ok),
            STATUS: pd.array(np.where(ok, "ok", NOT_ENOUGH_DATA), dtype="string"),
        }
    )

"""e1RM: the seven 1RM equations, the RTS RPE chart, and the e1RM of every working set.

Definitions (used here and by :mod:`analysis.progression` and :mod:`analysis.symmetry`)
-----------------------------------------------------------------------------------------
Working set
    A set whose ``warmup`` is not True. Only working sets enter these analyses.
e1RM
    Estimated one-repetition maximum of a set with load ``w`` (kg) and ``r`` reps, by one of
    seven published equations (LeSuer et al., JSCR 1997;11(4):211-213; domain.md section 1):
    Epley ``w(1 + r/30)`` (default), Brzycki ``36w/(37 - r)``, Lander
    ``100w/(101.3 - 2.67123r)``, Lombardi ``w r^0.10``, Mayhew
    ``100w/(52.2 + 41.9 e^(-0.055r))``, O'Conner ``w(1 + 0.025r)``, Wathan
    ``100w/(48.8 + 53.8 e^(-0.075r))``. Aliases: ``mcglothin`` = lander, ``wathen`` =
    wathan, ``oconnor`` = oconner.
1-rep rule
    A 1-rep set is its own 1RM (e1RM = w) for every formula; the RPE chart gives the same at
    RPE 10 (100 %). Pass ``single_rep_is_1rm=False`` to :func:`estimate_1rm` for the raw
    equations (Epley gives 1.033 w at r = 1).
RPE
    With an RPE, the RTS %1RM chart (Tuchscherer 2008; domain.md section 2) replaces the
    formula: effective reps to failure ``n = reps + (10 - RPE)`` index one sequence in half
    steps, ``100, 97.8, 95.5, ..., 57.2`` for n = 1, 1.5, ..., 16 (linear interpolation
    between half steps) and ``e1RM = w / (pct / 100)``. The chart covers RPE 6-10 only; a
    set logged below RPE 6 (or above 10) gives no estimate, because no equation assumes a set
    that far from failure (RIR error > 2 reps, Hackett et al. JSCR 2017). Sets without RPE use
    the formula.
Valid range
    No estimate (NaN) above ``max_reps`` (default 12) reps, below 1 rep, for a missing or
    negative load, and in the table functions for load 0 (bodyweight sets have no e1RM).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis.columns import (
    ATHLETE,
    DATE,
    EXERCISE,
    LOAD_KG,
    REPS,
    RPE,
    SET_INDEX,
    SIDE,
    WARMUP,
    require_columns,
)

__all__ = ["FORMULAS", "RTS_CHART_PCT", "estimate_1rm", "set_e1rm"]

E1RM_KG = "e1rm_kg"
METHOD = "method"

Formula = Literal["epley", "brzycki", "lander", "lombardi", "mayhew", "oconner", "wathan"]

_EQUATIONS = {
    "epley": lambda w, r: w * (1 + r / 30),
    "brzycki": lambda w, r: w * 36 / (37 - r),
    "lander": lambda w, r: 100 * w / (101.3 - 2.67123 * r),
    "lombardi": lambda w, r: w * r**0.10,
    "mayhew": lambda w, r: 100 * w / (52.2 + 41.9 * np.exp(-0.055 * r)),
    "oconner": lambda w, r: w * (1 + 0.025 * r),
    "wathan": lambda w, r: 100 * w / (48.8 + 53.8 * np.exp(-0.075 * r)),
}
#: Accepted formula names (aliases: mcglothin, wathen, oconnor).
FORMULAS = tuple(_EQUATIONS)
_ALIASES = {"mcglothin": "lander", "wathen": "wathan", "oconnor": "oconner"}
#: RTS %1RM chart, indexed by effective reps n = 1, 1.5, ..., 16.
# fmt: off
RTS_CHART_PCT = (100.0, 97.8, 95.5, 93.9, 92.2, 90.7, 89.2, 87.8, 86.3, 85.0, 83.7, 82.4,
                 81.1, 79.9, 78.6, 77.4, 76.2, 75.1, 73.9, 72.3, 70.7, 69.4, 68.0, 66.7,
                 65.3, 64.0, 62.6, 61.3, 59.9, 58.6, 57.2)
# fmt: on
_RTS_N = np.arange(1.0, 16.5, 0.5)
_RTS_PCT = np.array(RTS_CHART_PCT)


# --- option checks ------------------------------------------------------------------------------
def _formula(name: object) -> str:
    key = str(name).strip().lower().replace("'", "") if isinstance(name, str) else None
    key = _ALIASES.get(key, key) if key else key
    if key not in _EQUATIONS:
        raise ValueError(
            f"formula expected one of {sorted(FORMULAS)} (aliases {sorted(_ALIASES)}), "
            f"got {name!r} instead."
        )
    return key


def _positive_int(name: str, value: object, high: int = 30) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= high:
        raise ValueError(f"{name} expected an integer from 1 to {high}, got {value!r} instead.")
    return int(value)


# --- e1RM core ----------------------------------------------------------------------------------
def _as_float(x: object) -> np.ndarray:
    if isinstance(x, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return x.to_numpy(dtype=float, na_value=np.nan)
    if x is None or x is pd.NA:
        return np.asarray(np.nan)
    return np.asarray(x, dtype=float)


def _chart_pct(n: np.ndarray) -> np.ndarray:
    """RTS %1RM at effective reps ``n`` (1-16): ``np.interp`` on the chart, which at the chart's
    own half steps (nearly every logged set) is the chart value itself, looked up directly."""
    n = np.asarray(n, dtype=float)
    if n.ndim == 0:
        return np.interp(n, _RTS_N, RTS_CHART_PCT)
    steps = n * 2 - 2  # 0, 1, ..., 30 on the chart's half steps
    index = np.clip(np.nan_to_num(steps), 0, len(RTS_CHART_PCT) - 1).astype(np.int64)
    pct = _RTS_PCT[index]
    off = index != steps
    if off.any():
        pct[off] = np.interp(n[off], _RTS_N, RTS_CHART_PCT)
    return pct


def _e1rm(w, r, rpe, formula: str, max_reps: int, single: bool = True):
    """Return (e1RM, chart-used mask, formula-only e1RM); float inputs that broadcast."""
    valid = (r >= 1) & (r <= max_reps) & (w >= 0)
    with np.errstate(all="ignore"):
        base = _EQUATIONS[formula](w, r)
        if single:
            base = np.where(r == 1, w, base)
        base = np.where(valid, base, np.nan)
        if rpe is None:
            return base, np.zeros(np.shape(base), dtype=bool), base
        n = r + (10 - rpe)
        chart = valid & (rpe >= 6) & (rpe <= 10) & (n <= 16)
        pct = _chart_pct(np.where(chart, n, 1.0))
        est = np.where(chart, w / (pct / 100), np.where(np.isnan(rpe), base, np.nan))
    return est, chart, base


def estimate_1rm(
    load_kg,
    reps,
    *,
    formula: Formula | str = "epley",
    rpe=None,
    max_reps: int = 12,
    single_rep_is_1rm: bool = True,
):
    """Estimated 1RM of a set (or of arrays of sets).

    Parameters
    ----------
    load_kg : float, array-like or Series
        Load lifted. Any unit works; the result is in the same unit.
    reps : float, array-like or Series
        Repetitions completed (to failure, unless ``rpe`` says otherwise).
    formula : str, default="epley"
        One of :data:`FORMULAS` or an alias (``mcglothin``, ``wathen``, ``oconnor``).
    rpe : float, array-like, Series or None, default=None
        RPE per set; where given (6-10) the RTS chart replaces the formula; NaN uses the formula.
    max_reps : int, default=12
        No estimate above this many reps (1-30).
    single_rep_is_1rm : bool, default=True
        A 1-rep set is its own 1RM. False gives the raw equation at r = 1.

    Returns
    -------
    float, ndarray or Series
        e1RM in the unit of ``load_kg``: a float for scalar inputs, else an array of the
        broadcast shape (a float Series named ``e1rm_kg`` when an input is a Series; inputs are
        aligned by position). NaN where no estimate exists (see the module definitions).

    Raises
    ------
    ValueError
        Unknown ``formula`` (the message lists the accepted names) or bad ``max_reps``.

    Notes
    -----
    Equations, the 1-rep rule and the RTS chart are defined in the module docstring
    (sources: LeSuer et al. 1997; Tuchscherer 2008; domain.md sections 1-2).

    Examples
    --------
    >>> round(estimate_1rm(100, 5), 2)
    116.67
    >>> round(estimate_1rm(100, 5, rpe=8), 1)
    123.3
    >>> estimate_1rm([100, 100], [1, 13], formula="brzycki")
    array([100.,  nan])
    """
    key = _formula(formula)
    max_reps = _positive_int("max_reps", max_reps)
    inputs = [load_kg, reps] + ([] if rpe is None else [rpe])
    w, r = _as_float(load_kg), _as_float(reps)
    p = None if rpe is None else _as_float(rpe)
    est = _e1rm(w, r, p, key, max_reps, single_rep_is_1rm)[0]
    series = next((x for x in inputs if isinstance(x, pd.Series)), None)
    if series is not None:
        return pd.Series(np.broadcast_to(est, series.shape), index=series.index, name=E1RM_KG)
    if all(np.ndim(x) == 0 for x in inputs):
        return float(est)
    return est


# --- per-set table ---------------------------------------------------------------------------
_BASE = (ATHLETE, DATE, EXERCISE, SIDE, REPS, LOAD_KG, WARMUP)


def _check(sets: pd.DataFrame, func: str, use_rpe: bool, extra: tuple[str, ...] = ()) -> None:
    require_columns(sets, [*_BASE, *extra, *([RPE] if use_rpe else [])], func=func)


def set_e1rm(
    sets: pd.DataFrame,
    *,
    formula: Formula | str = "epley",
    use_rpe: bool = True,
    max_reps: int = 12,
) -> pd.DataFrame:
    """e1RM of every working set.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` table (``analysis.read_logs(...).sets``).
    formula : str, default="epley"
        e1RM equation, see :data:`FORMULAS`.
    use_rpe : bool, default=True
        Use the RTS chart for sets with an RPE (needs the ``rpe`` column).
    max_reps : int, default=12
        No estimate above this many reps.

    Returns
    -------
    DataFrame
        One row per working set, in input order: ``athlete``, ``date``, ``exercise``,
        ``side``, ``set_index``, ``load_kg`` (kg), ``reps``, ``e1rm_kg`` (kg; NA when no
        estimate, e.g. bodyweight or > max_reps) and ``method`` (the formula name or
        ``rpe_chart``; NA with no estimate).

    Raises
    ------
    MissingColumnsError
        A required column is missing.
    ValueError
        Unknown ``formula`` or bad ``max_reps``.

    Notes
    -----
    e1RM, the 1-rep rule, the RPE chart and load 0 are defined in the module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": ["A"], "date": pd.to_datetime(["2026-09-01"]),
    ...     "exercise": ["back_squat"], "side": ["both"], "set_index": [1], "reps": [5],
    ...     "load_kg": [100.0], "rpe": [8.0], "warmup": [False]})
    >>> set_e1rm(sets)[["e1rm_kg", "method"]].round(1)
       e1rm_kg     method
    0    123.3  rpe_chart
    """
    _check(sets, "set_e1rm", use_rpe, (SET_INDEX,))
    key, max_reps = _formula(formula), _positive_int("max_reps", max_reps)
    work = sets.loc[~sets[WARMUP].fillna(False).astype(bool)]
    load = _as_float(work[LOAD_KG])
    est, chart, _ = _e1rm(
        load, _as_float(work[REPS]), _as_float(work[RPE]) if use_rpe else None, key, max_reps
    )
    est[~(load > 0)] = np.nan
    method = np.where(chart, "rpe_chart", key).astype(object)
    method[np.isnan(est)] = None
    out = work[[ATHLETE, DATE, EXERCISE, SIDE, SET_INDEX, LOAD_KG, REPS]].reset_index(drop=True)
    return out.assign(
        **{E1RM_KG: pd.array(est, dtype="Float64"), METHOD: pd.array(method, dtype="string")}
    )

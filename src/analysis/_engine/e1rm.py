"""e1RM formulas: the seven 1RM equations and the RTS RPE chart, on numbers and arrays.

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

from analysis._engine.defaults import MAX_REPS
from analysis._engine.options import positive_int
from analysis.columns import E1RM_KG, float_values

Formula = Literal["epley", "brzycki", "lander", "lombardi", "mayhew", "oconner", "wathan"]

EQUATIONS = {
    "epley": lambda w, r: w * (1 + r / 30),
    "brzycki": lambda w, r: w * 36 / (37 - r),
    "lander": lambda w, r: 100 * w / (101.3 - 2.67123 * r),
    "lombardi": lambda w, r: w * r**0.10,
    "mayhew": lambda w, r: 100 * w / (52.2 + 41.9 * np.exp(-0.055 * r)),
    "oconner": lambda w, r: w * (1 + 0.025 * r),
    "wathan": lambda w, r: 100 * w / (48.8 + 53.8 * np.exp(-0.075 * r)),
}
#: Accepted formula names (aliases: mcglothin, wathen, oconnor).
FORMULAS = tuple(EQUATIONS)
ALIASES = {"mcglothin": "lander", "wathen": "wathan", "oconnor": "oconner"}
#: RTS %1RM chart, indexed by effective reps n = 1, 1.5, ..., 16.
# fmt: off
RTS_CHART_PCT = (100.0, 97.8, 95.5, 93.9, 92.2, 90.7, 89.2, 87.8, 86.3, 85.0, 83.7, 82.4,
                 81.1, 79.9, 78.6, 77.4, 76.2, 75.1, 73.9, 72.3, 70.7, 69.4, 68.0, 66.7,
                 65.3, 64.0, 62.6, 61.3, 59.9, 58.6, 57.2)
# fmt: on
RTS_N = np.arange(1.0, 16.5, 0.5)
RTS_PCT = np.array(RTS_CHART_PCT)


def formula_key(name: object) -> str:
    """The canonical formula name of ``name`` (aliases resolved); ValueError when unknown."""
    key = str(name).strip().lower().replace("'", "") if isinstance(name, str) else None
    key = ALIASES.get(key, key) if key else key
    if key not in EQUATIONS:
        raise ValueError(
            f"formula expected one of {sorted(FORMULAS)} (aliases {sorted(ALIASES)}), "
            f"got {name!r} instead."
        )
    return key


def chart_pct(n: np.ndarray) -> np.ndarray:
    """RTS %1RM at effective reps ``n`` (1-16): ``np.interp`` on the chart, which at the chart's
    own half steps (nearly every logged set) is the chart value itself, looked up directly."""
    n = np.asarray(n, dtype=float)
    if n.ndim == 0:
        return np.interp(n, RTS_N, RTS_CHART_PCT)
    steps = n * 2 - 2  # 0, 1, ..., 30 on the chart's half steps
    index = np.clip(np.nan_to_num(steps), 0, len(RTS_CHART_PCT) - 1).astype(np.int64)
    pct = RTS_PCT[index]
    off = index != steps
    if off.any():
        pct[off] = np.interp(n[off], RTS_N, RTS_CHART_PCT)
    return pct


def e1rm_arrays(w, r, rpe, formula: str, max_reps: int, single: bool = True):
    """Return (e1RM, chart-used mask, formula-only e1RM); float inputs that broadcast."""
    valid = (r >= 1) & (r <= max_reps) & (w >= 0)
    with np.errstate(all="ignore"):
        base = EQUATIONS[formula](w, r)
        if single:
            base = np.where(r == 1, w, base)
        base = np.where(valid, base, np.nan)
        if rpe is None:
            return base, np.zeros(np.shape(base), dtype=bool), base
        n = r + (10 - rpe)
        chart = valid & (rpe >= 6) & (rpe <= 10) & (n <= 16)
        pct = chart_pct(np.where(chart, n, 1.0))
        est = np.where(chart, w / (pct / 100), np.where(np.isnan(rpe), base, np.nan))
    return est, chart, base


def estimate_1rm(
    load_kg,
    reps,
    *,
    formula: Formula | str = "epley",
    rpe=None,
    max_reps: int = MAX_REPS,
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
    key = formula_key(formula)
    max_reps = positive_int("max_reps", max_reps)
    inputs = [load_kg, reps] + ([] if rpe is None else [rpe])
    w, r = float_values(load_kg), float_values(reps)
    p = None if rpe is None else float_values(rpe)
    est = e1rm_arrays(w, r, p, key, max_reps, single_rep_is_1rm)[0]
    series = next((x for x in inputs if isinstance(x, pd.Series)), None)
    if series is not None:
        return pd.Series(np.broadcast_to(est, series.shape), index=series.index, name=E1RM_KG)
    if all(np.ndim(x) == 0 for x in inputs):
        return float(est)
    return est

"""Acute and chronic load per day, and the opt-in acute:chronic ratio (ACWR).

Both work on the zero-filled daily load series ("Daily load" in :mod:`analysis.workload`), which
is built here and shared with weekly load and monotony there; :mod:`analysis.workload`
re-exports :func:`acute_chronic_load` and :func:`acwr`.

Definitions
-----------
Acute and chronic load (AU per day)
    ``ewma`` (Williams et al., BJSM 2017;51(3):209–210): EWMA_t = λ·load_t + (1 − λ)·EWMA_{t−1},
    λ = 2/(N + 1), N = 7 (acute, λ = 0.25) and 28 (chronic, λ ≈ 0.069), on the zero-filled daily
    series from the athlete's first session day. Seed: EWMA on day 1 = day 1's load (as the R
    package *ACWR*), or 0 before day 1 with ``seed="zero"``. ``rolling`` (uncoupled; Windt &
    Gabbett, BJSM 2019): acute = mean daily load of the last 7 days (today included), chronic =
    mean daily load of the 21 days before those 7, NA until the window is full.
Acute:chronic ratio (opt-in, :func:`acwr`)
    acute / chronic, shown only from the 28th day of an athlete's series (warm-up) and only when
    chronic ≥ ``min_chronic`` (guard against a ratio on chronic ≈ 0). It is a descriptive
    rescaling of acute load: its link with injury is disputed (Impellizzeri et al., IJSPP
    2020;15(6):907–913; Lolli et al., BJSM 2019;53:921), so no zones and no risk labels are given.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis._engine.daily import daily_loads, run_starts, zero_filled
from analysis.columns import (
    ACUTE,
    ACWR,
    ATHLETE,
    CHRONIC,
    DATE,
    DAY,
    LOAD_AU,
    METHOD,
    NOT_ENOUGH_DATA,
    OK,
    STATUS,
    float_values,
)
from analysis.periods import days_to_datetime


def _check_choice(value: Any, name: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r} instead."
        )


def acute_chronic_load(
    loads: pd.DataFrame,
    *,
    method: Literal["ewma", "rolling"] = "ewma",
    seed: Literal["first", "zero"] = "first",
) -> pd.DataFrame:
    """Acute (7-day) and chronic (28-day) load per athlete and day, as two separate series.

    Parameters
    ----------
    loads : DataFrame
        ``athlete, date, load_au`` (from :func:`session_load`).
    method : {"ewma", "rolling"}, default="ewma"
        Exponentially weighted (λ = 2/(N + 1)) or uncoupled rolling means.
    seed : {"first", "zero"}, default="first"
        EWMA start value: day 1's load, or 0 before day 1. Ignored by ``rolling``.

    Returns
    -------
    DataFrame
        One row per athlete and calendar day from the athlete's first to last session day
        (rest days included as 0), sorted:

        - ``athlete`` (string), ``date`` (datetime64[us])
        - ``day`` (Int64): 1 on the athlete's first session day
        - ``load_au`` (Float64, AU): daily load
        - ``acute_au_per_day`` (Float64, AU/day): EWMA N = 7, or mean of the last 7 days
        - ``chronic_au_per_day`` (Float64, AU/day): EWMA N = 28, or mean of the 21 days before
          the last 7 (NA until day 28)
        - ``method`` (string): ``ewma_seed_first``, ``ewma_seed_zero`` or ``rolling_uncoupled``

    Raises
    ------
    MissingColumnsError
        If ``athlete``, ``date`` or ``load_au`` is missing.
    ValueError
        If ``method`` or ``seed`` is not an accepted value.

    Notes
    -----
    EWMA after Williams et al. (2017), seeds as the R package *ACWR*; rolling uncoupled after
    Windt & Gabbett (2019); see the module docstring.

    Examples
    --------
    >>> loads = pd.DataFrame({"athlete": "ann", "load_au": [400.0, 400.0],
    ...     "date": pd.to_datetime(["2024-03-04", "2024-03-05"])})
    >>> acute_chronic_load(loads)["acute_au_per_day"].tolist()
    [400.0, 400.0]
    >>> acute_chronic_load(loads, seed="zero")["acute_au_per_day"].tolist()
    [100.0, 175.0]
    """
    _check_choice(method, "method", ("ewma", "rolling"))
    _check_choice(seed, "seed", ("first", "zero"))
    daily = daily_loads(loads, "acute_chronic_load")
    span = daily.groupby("a")["day"].agg(["min", "max"])
    filled = zero_filled(daily, span["min"].to_numpy(), span["max"].to_numpy())
    a = filled["a"].to_numpy()
    start = run_starts(a)
    t = np.arange(a.size) - np.maximum.accumulate(np.where(start, np.arange(a.size), 0))
    x = pd.Series(filled[LOAD_AU].to_numpy(dtype="float64"))
    by = pd.Series(a)
    if method == "ewma":
        first_load = x.to_numpy()[np.maximum.accumulate(np.where(start, np.arange(a.size), 0))]
        smooth = []
        for n in (7, 28):
            lam = 2.0 / (n + 1)
            y = x.groupby(by).ewm(alpha=lam, adjust=False).mean().to_numpy()
            if seed == "zero":
                y = y - (1 - lam) ** (t + 1) * first_load
            smooth.append(y)
        acute, chronic = smooth
        label = f"ewma_seed_{seed}"
    else:
        acute = x.groupby(by).rolling(7, min_periods=7).mean().to_numpy()
        prior = x.groupby(by).shift(7)
        chronic = prior.groupby(by).rolling(21, min_periods=21).mean().to_numpy()
        label = "rolling_uncoupled"
    return pd.DataFrame(
        {
            ATHLETE: pd.array(daily.attrs["athletes"][a], dtype="string"),
            DATE: days_to_datetime(filled["day"].to_numpy()),
            DAY: pd.array(t + 1, dtype="Int64"),
            LOAD_AU: pd.array(x.to_numpy(), dtype="Float64"),
            ACUTE: pd.array(acute, dtype="Float64"),
            CHRONIC: pd.array(chronic, dtype="Float64"),
            METHOD: pd.array(np.full(a.size, label), dtype="string"),
        }
    )


def acwr(
    loads: pd.DataFrame,
    *,
    method: Literal["ewma", "rolling"] = "ewma",
    seed: Literal["first", "zero"] = "first",
    warmup_days: int = 28,
    min_chronic: float = 1.0,
) -> pd.DataFrame:
    """Opt-in acute:chronic workload ratio, a descriptive number with no zones.

    Parameters
    ----------
    loads : DataFrame
        ``athlete, date, load_au`` (from :func:`session_load`).
    method : {"ewma", "rolling"}, default="ewma"
        As in :func:`acute_chronic_load`.
    seed : {"first", "zero"}, default="first"
        As in :func:`acute_chronic_load`.
    warmup_days : int, default=28
        First day of an athlete's series with a ratio; at least 28.
    min_chronic : float, default=1.0
        Chronic load (AU/day) below which no ratio is given.

    Returns
    -------
    DataFrame
        The columns of :func:`acute_chronic_load`, then:

        - ``acwr`` (Float64, dimensionless): acute / chronic, NA unless ``status`` is ``ok``
        - ``status`` (string): ``ok``, ``not enough data`` (before ``warmup_days`` or no
          chronic value yet) or ``chronic load near zero``

    Raises
    ------
    MissingColumnsError
        If ``athlete``, ``date`` or ``load_au`` is missing.
    ValueError
        If an option is not an accepted value.

    Notes
    -----
    Definitions, warm-up and the chronic ≈ 0 guard in the module docstring. The ratio only
    rescales acute load; it is not an injury-risk measure and no zones are drawn.

    Examples
    --------
    >>> loads = pd.DataFrame({"athlete": "ann", "load_au": 300.0,
    ...     "date": pd.date_range("2024-03-04", periods=30, freq="D")})
    >>> out = acwr(loads)
    >>> out["status"].iloc[[26, 27]].tolist(), float(out["acwr"].iloc[27])
    (['not enough data', 'ok'], 1.0)
    """
    isint = isinstance(warmup_days, int | np.integer) and not isinstance(warmup_days, bool)
    if not isint or warmup_days < 28:
        raise ValueError(
            f"warmup_days must be an integer of at least 28, got {warmup_days!r} instead."
        )
    if not isinstance(min_chronic, int | float | np.number) or not min_chronic > 0:
        raise ValueError(f"min_chronic must be a positive number, got {min_chronic!r} instead.")
    out = acute_chronic_load(loads, method=method, seed=seed)
    acute = float_values(out[ACUTE])
    chronic = float_values(out[CHRONIC])
    day = out[DAY].to_numpy(dtype="int64")
    ready = (day >= warmup_days) & ~np.isnan(acute) & ~np.isnan(chronic)
    small = ready & (chronic < min_chronic)
    shown = ready & ~small
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(shown, acute / chronic, np.nan)
    status = np.where(shown, OK, NOT_ENOUGH_DATA).astype(object)
    status[small] = "chronic load near zero"
    out[ACWR] = pd.array(ratio, dtype="Float64")
    out[STATUS] = pd.array(status, dtype="string")
    return out

"""Daily load series shared by :mod:`analysis.workload` and :mod:`analysis.acwr`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.columns import ATHLETE, DATE, LOAD_AU, SESSIONS, float_values, require_columns
from analysis.periods import day_numbers

#: Session load column of :func:`analysis.workload.session_load`.
#: Sessions per day.


def run_starts(codes: np.ndarray) -> np.ndarray:
    """True on the first row of each run of equal codes (rows sorted by code)."""
    return np.concatenate(([True], codes[1:] != codes[:-1]))[: codes.size]


def daily_loads(loads: pd.DataFrame, func: str) -> pd.DataFrame:
    """Σ load per (athlete code, day) with session counts; athlete labels in ``attrs``."""
    require_columns(loads, [ATHLETE, DATE, LOAD_AU], func=func, hint="Compute session loads with analysis.workload.session_load(sets).")
    days, valid = day_numbers(loads[DATE], func=func)
    codes, athletes = pd.factorize(loads[ATHLETE], sort=True)
    load = float_values(loads[LOAD_AU])
    keep = valid & (codes >= 0)
    frame = pd.DataFrame(
        {
            "a": codes[keep],
            "day": days[keep],
            LOAD_AU: np.nan_to_num(load[keep]),
            "unknown": np.isnan(load[keep]).astype("int64"),
        }
    )
    grouped = frame.groupby(["a", "day"], sort=True)
    daily = grouped[[LOAD_AU, "unknown"]].sum().reset_index()
    daily[SESSIONS] = grouped.size().to_numpy()
    daily.attrs["athletes"] = np.asarray(athletes, dtype=object)
    return daily


def zero_filled(daily: pd.DataFrame, first: np.ndarray, last: np.ndarray) -> pd.DataFrame:
    """Zero-filled daily series per athlete code from ``first`` to ``last`` day (inclusive)."""
    n = last - first + 1
    a = np.repeat(np.arange(n.size), n)
    day = np.repeat(first, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    grid = pd.MultiIndex.from_arrays([a, day], names=["a", "day"])
    filled = daily.set_index(["a", "day"]).reindex(grid, fill_value=0).reset_index()
    filled.attrs = daily.attrs
    return filled

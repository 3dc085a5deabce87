"""Shared drawing conventions of the liftpace plots: styles, labels and input checks.

Helpers for the plot modules, not an analysis API.

Nothing here computes a statistic. The plot modules (:mod:`analysis.plots`,
:mod:`analysis.plots.running`, :mod:`analysis.plots.squad`) use these helpers so that every
chart reads the same way:

Greyscale
    Every series differs by marker and line style as well as by colour (Okabe-Ito palette,
    readable by colour-blind readers); stacked bars differ by hatch.
Units
    Axis labels carry the unit in parentheses: ``e1RM (kg)``, ``pace (min:s per km)``.
Pace
    Seconds per km everywhere in the data; ``m:ss`` only on the axis
    (:func:`analysis.running.format_pace`), with faster (lower) paces at the top.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from analysis.columns import ATHLETE, require_columns
from analysis.running import format_pace

__all__ = [
    "HATCHES",
    "METRIC_MARKERS",
    "PALETTE",
    "RUN_TYPE_STYLES",
    "SIDE_STYLES",
    "check_frame",
    "date_axis",
    "days",
    "get_ax",
    "is_pace",
    "metric_label",
    "no_data",
    "one_athlete",
    "pace_axis",
    "pick",
]

#: Okabe-Ito colours (Okabe & Ito 2008), safe for colour-blind readers.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
#: Hatches that keep stacked bars apart in greyscale.
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "--", "oo")

#: Line style per side: left and right differ in marker AND line style, not only colour.
SIDE_STYLES: dict[str, dict[str, Any]] = {
    "left": {"color": PALETTE[0], "marker": "o", "linestyle": "-"},
    # open squares: a right point on top of an equal left point leaves the left one visible
    "right": {"color": PALETTE[1], "marker": "s", "linestyle": "--", "markerfacecolor": "none"},
    "both": {"color": PALETTE[6], "marker": "^", "linestyle": ":"},
}
#: Line style per run type.
RUN_TYPE_STYLES: dict[str, dict[str, Any]] = {
    "easy": {"color": PALETTE[0], "marker": "o", "linestyle": "-"},
    "long": {"color": PALETTE[2], "marker": "s", "linestyle": "--"},
    "tempo": {"color": PALETTE[1], "marker": "^", "linestyle": "-."},
    "interval": {"color": PALETTE[3], "marker": "D", "linestyle": ":"},
    "race": {"color": PALETTE[6], "marker": "*", "linestyle": "-"},
    "other": {"color": PALETTE[4], "marker": "x", "linestyle": "--"},
    "all": {"color": PALETTE[6], "marker": "o", "linestyle": "-"},
}
#: Marker per asymmetry metric (the basis of a session's asymmetry can change between blocks).
METRIC_MARKERS: dict[str, tuple[str, str]] = {
    "e1rm_kg": ("o", "by e1RM"),
    "reps": ("s", "by reps at matched load"),
    "duration_s": ("^", "by hold time"),
    "set_volume_kg": ("D", "by set volume"),
}

_LABELS = {
    "volume_load_kg": "volume load (kg)",
    "bodyweight_volume_kg": "bodyweight volume (kg)",
    "sets": "sets",
    "working_sets": "working sets",
    "hard_sets": "hard sets",
    "rpe_sets": "sets with RPE",
    "reps": "reps",
    "bodyweight_reps": "bodyweight reps",
    "hold_s": "hold time (s)",
    "sessions": "sessions",
    "best_vdot": "best VDOT (ml/kg/min)",
    "change_pct": "change (%)",
    "e1rm_kg": "e1RM (kg)",
    "asymmetry_pct": "asymmetry (%), + = right stronger",
    "mean_pace_s_per_km": "mean pace (min:s per km)",
    "pooled_pace_s_per_km": "pace (min:s per km)",
    "pace_s_per_km": "pace (min:s per km)",
}
_SUFFIXES = (
    ("_left_e1rm_kg", " e1RM, left (kg)"),
    ("_right_e1rm_kg", " e1RM, right (kg)"),
    ("_e1rm_kg", " e1RM (kg)"),
    ("_asymmetry_pct", " asymmetry (%), + = right stronger"),
    ("_pace_s_per_km", " pace (min:s per km)"),
    ("_kg_per_week", " (kg per week)"),
    ("_pct", " (%)"),
    ("_kg", " (kg)"),
    ("_s", " (s)"),
)


def metric_label(metric: str) -> str:
    """Axis label with unit for a column or weekly metric name.

    Examples
    --------
    >>> metric_label("goblet_squat_e1rm_kg"), metric_label("easy_pace_s_per_km")
    ('goblet squat e1RM (kg)', 'easy pace (min:s per km)')
    """
    if metric in _LABELS:
        return _LABELS[metric]
    for suffix, words in _SUFFIXES:
        if metric.endswith(suffix) and len(metric) > len(suffix):
            return metric.removesuffix(suffix).replace("_", " ") + words
    return metric.replace("_", " ")


def is_pace(metric: str) -> bool:
    """True for a pace column or metric in s/km."""
    return metric.endswith("pace_s_per_km")


def _pace_tick(value: float, _pos: Any = None) -> str:
    return format_pace(value) if np.isfinite(value) and value >= 0 else ""


def pace_axis(ax: Axes, axis: str = "y") -> None:
    """Format an axis of paces (s/km) as ``m:ss`` with faster (lower) values up or right."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(_pace_tick))
    if axis == "y" and not ax.yaxis_inverted():
        ax.invert_yaxis()
    elif axis == "x" and not ax.xaxis_inverted():
        ax.invert_xaxis()


def date_axis(ax: Axes) -> None:
    """Concise date ticks on the x axis."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def get_ax(ax: Axes | None, func: str) -> Axes:
    """The given Axes, or the current one (seaborn's convention for axes-level functions)."""
    if ax is None:
        import matplotlib.pyplot as plt  # only when no Axes is given: pyplot costs 0.4 s to import

        return plt.gca()
    if not isinstance(ax, Axes):
        raise TypeError(
            f"{func}() expected ax as a matplotlib Axes, got {type(ax).__name__} instead."
        )
    return ax


def check_frame(frame: Any, required: list[str], func: str, hint: str) -> None:
    """One entry check for every plot: a DataFrame with the columns it draws from."""
    require_columns(frame, required, func=func, hint=hint)


def one_athlete(frame: pd.DataFrame, athlete: str | None, func: str) -> pd.DataFrame:
    """Rows of one athlete: ``athlete`` when given, else the only athlete in ``frame``."""
    if ATHLETE not in frame.columns:
        if athlete is not None:
            raise ValueError(
                f"{func}() expected an 'athlete' column to select {athlete!r}, got none instead."
            )
        return frame
    names = frame[ATHLETE].astype("string")
    if athlete is not None:
        keep = (names == athlete).fillna(False).to_numpy(dtype=bool)
        if not keep.any() and len(frame):
            raise ValueError(
                f"{func}() expected athlete as one of {sorted(names.dropna().unique())}, got "
                f"{athlete!r} instead."
            )
        return frame[keep]
    unique = sorted(names.dropna().unique())
    if len(unique) > 1:
        raise ValueError(
            f"{func}() expected the rows of one athlete, got {len(unique)} athletes "
            f"({', '.join(unique)}) instead; pass athlete=."
        )
    return frame


def pick(frame: pd.DataFrame, column: str, value: str, func: str) -> pd.DataFrame:
    """Rows whose ``column`` equals ``value``; a clear error naming the values there are."""
    names = frame[column].astype("string")
    keep = (names == value).fillna(False).to_numpy(dtype=bool)
    if not keep.any():
        have = sorted(names.dropna().unique())
        raise ValueError(f"{func}() expected {column} as one of {have}, got {value!r} instead.")
    return frame[keep]



def days(series: pd.Series) -> np.ndarray:
    """datetime64[us] numpy values (NaT for NA)."""
    return pd.to_datetime(pd.Series(series)).to_numpy(dtype="datetime64[us]")


def no_data(ax: Axes, text: str) -> Axes:
    """Write a centred note on an empty Axes and return it."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.4")
    return ax

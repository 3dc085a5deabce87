"""Training-load plots: sessions per week against the target, weekly volume by group."""


from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.columns import float_values
from analysis.plots.style import (
    HATCHES,
    PALETTE,
    check_frame,
    date_axis,
    days,
    get_ax,
    metric_label,
    no_data,
    one_athlete,
)

if TYPE_CHECKING:
    pass

__all__ = ["plot_adherence", "plot_weekly_volume"]

_WEEK_START = "week_start"
_BAR_WIDTH = np.timedelta64(5, "D")
_SETS_HINT = "Pass the output of analysis.{0}() (or the matching Reassessment field)."
_BY = ("pattern", "exercise", "muscle", "side")


def plot_adherence(
    adherence: pd.DataFrame,
    *,
    target_per_week: int | None = None,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Sessions per week as bars, weeks below the target hatched, with the target line.

    Parameters
    ----------
    adherence : DataFrame
        Output of :func:`analysis.frequency.adherence` (``week_start, sessions``; ``athlete`` and
        ``target`` are used when present).
    target_per_week : int, default=None
        Sessions per week to draw; None takes the frame's ``target`` column (no line without
        one).
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        Bars at each ``week_start`` (height = sessions, count written on top), weeks below
        ``target`` hatched ``//``, a dashed target line; y label "sessions per week".

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If the frame holds several athletes and ``athlete`` is None, or the target is not
        one number.

    Notes
    -----
    A session is one athlete and date with a logged set; weeks are ISO weeks
    (:mod:`analysis.volume`). The comparison with the target is the analysis' own ``met``
    rule, ``sessions >= target``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"week_start": pd.to_datetime(["2026-11-02", "2026-11-09"]),
    ...     "sessions": [2, 1], "target": 2})
    >>> ax = plot_adherence(frame, ax=plt.figure().add_subplot())
    >>> [float(p.get_height()) for p in ax.patches], ax.get_ylabel()
    ([2.0, 1.0], 'sessions per week')
    """
    func = "plot_adherence"
    check_frame(adherence, [_WEEK_START, "sessions"], func, _SETS_HINT.format("frequency.adherence"))
    ax = get_ax(ax, func)
    frame = one_athlete(adherence, athlete, func)
    target = target_per_week
    if target is None and "target" in frame.columns:
        targets = frame["target"].dropna().unique()
        if len(targets) > 1:
            raise ValueError(
                f"{func}() expected one target per week in the frame, got {sorted(targets)} "
                "instead; pass target_per_week=."
            )
        target = int(targets[0]) if len(targets) else None
    ax.set_xlabel("week (Monday)")
    ax.set_ylabel("sessions per week")
    if frame.empty:
        return no_data(ax, "no weeks to show")
    x, n = days(frame[_WEEK_START]), float_values(frame["sessions"])
    below = n < target if target is not None else np.zeros(n.size, dtype=bool)
    for mask, color, hatch, label in (
        (~below, PALETTE[0], "", "target met"),
        (below, "0.75", "//", "below target"),
    ):
        if mask.any():
            bars = ax.bar(x[mask], n[mask], width=_BAR_WIDTH, color=color, hatch=hatch,
                          label=label, edgecolor="black")  # fmt: skip
            ax.bar_label(bars, fmt="%d", padding=2)
    if target is not None:
        ax.axhline(target, color="black", linestyle="--", label=f"target ({target} per week)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max(np.nanmax(n, initial=0), target or 0)
    ax.set_ylim(0, top * 1.3 + 1)
    date_axis(ax)
    ax.legend(loc="upper left", ncols=3, fontsize="small")
    return ax


def plot_weekly_volume(
    volume: pd.DataFrame,
    *,
    measure: str = "volume_load_kg",
    by: Literal["pattern", "exercise", "muscle", "side"] | None = None,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Weekly volume as bars stacked by pattern (or exercise, muscle, side).

    Parameters
    ----------
    volume : DataFrame
        Output of :func:`analysis.volume.weekly_volume` (``week_start``, ``measure`` and the
        ``by`` column when there is one).
    measure : str, default="volume_load_kg"
        Column to draw (``volume_load_kg``, ``sets``, ``hard_sets``, ``reps``, ``hold_s``...).
    by : {"pattern", "exercise", "muscle", "side"}, default=None
        Stacking column; None takes the first of those in the frame (no stacking without one).
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        One bar container per ``by`` value (sorted, label = the value in words) stacked at
        each ``week_start``; hatches and colours differ per value; y label from ``measure``
        with its unit (``volume load (kg)``).

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If ``by`` is not accepted, the frame holds several athletes without ``athlete``, or
        a week has two rows for one ``by`` value.

    Notes
    -----
    Volume load = Σ reps × load_kg over working sets, both sides added (McBride et al. 2009;
    :mod:`analysis.volume`). Bars stack the analysis' weekly values as given.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"week_start": pd.to_datetime(["2026-11-02"] * 2),
    ...     "pattern": ["hinge", "squat"], "volume_load_kg": [300.0, 500.0]})
    >>> ax = plot_weekly_volume(frame, ax=plt.figure().add_subplot())
    >>> [(float(p.get_y()), float(p.get_height())) for p in ax.patches], ax.get_ylabel()
    ([(0.0, 300.0), (300.0, 500.0)], 'volume load (kg)')
    """
    func = "plot_weekly_volume"
    if by is not None and by not in _BY:
        raise ValueError(f"{func}() expected by as one of {list(_BY)} or None, got {by!r} instead.")
    key: str | None = by
    if key is None:
        key = next((c for c in _BY if c in getattr(volume, "columns", ())), None)
    keys = [_WEEK_START, measure] + ([key] if key else [])
    check_frame(volume, keys, func, _SETS_HINT.format("volume.weekly_volume"))
    ax = get_ax(ax, func)
    frame = one_athlete(volume, athlete, func)
    ax.set_xlabel("week (Monday)")
    ax.set_ylabel(metric_label(measure))
    if frame.empty:
        return no_data(ax, "no sets logged")
    table = pd.DataFrame(
        {
            "week": days(frame[_WEEK_START]),
            "key": frame[key].astype("string").fillna("unknown") if key else measure,
            "value": float_values(frame[measure]),
        }
    )
    if table.duplicated(["week", "key"]).any():
        raise ValueError(
            f"{func}() expected one row per week and {key or 'athlete'}, got repeated rows "
            "instead (pass the output of weekly_volume for one athlete)."
        )
    weeks = pd.Index(np.unique(table["week"].to_numpy()))
    names = pd.Index(sorted(table["key"].unique()))
    grid = np.zeros((len(weeks), len(names)))  # a pattern not trained that week stacks 0
    grid[weeks.get_indexer(table["week"]), names.get_indexer(table["key"])] = np.nan_to_num(
        table["value"].to_numpy()
    )
    x = weeks.to_numpy(dtype="datetime64[us]")
    bottom = np.zeros(len(x))
    for i, name in enumerate(names):
        height = grid[:, i]
        ax.bar(
            x,
            height,
            bottom=bottom,
            width=_BAR_WIDTH,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[(i // len(PALETTE) + i) % len(HATCHES)],
            edgecolor="black",
            linewidth=0.5,
            label=str(name).replace("_", " "),
        )
        bottom = bottom + height
    date_axis(ax)
    ax.set_ylim(0, max(float(bottom.max(initial=0)), 1.0) * 1.4)
    if key:
        ax.legend(fontsize="x-small", loc="upper left", ncols=4)
    return ax

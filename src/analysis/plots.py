"""Plots of the reassessment: axes-level ``plot_*`` functions and :func:`reassessment_figure`.

Every ``plot_*(frame, *, ax=None, ...)`` draws one analysis output on one matplotlib Axes (the
current Axes when ``ax`` is None) and returns that Axes; :func:`reassessment_figure` composes
them for one athlete from a :class:`analysis.reassess.Reassessment`. Plots compute no
statistics: no means, no regression, no smoothing; block means, noise, fitted lines and
correlations come from the analyses. The library never calls ``plt.show``, ``savefig`` or
changes the global theme.

This module holds the training-load plots and the figure, and re-exports the others:
:mod:`analysis.plots_strength` (e1RM, asymmetry), :mod:`analysis.plots_running` (pace,
strength vs pace) and :mod:`analysis.plots_squad` (squad heatmap). Conventions shared by all
(:mod:`analysis.plots_style`):

Greyscale
    Series differ by marker and line style as well as colour (Okabe-Ito palette); stacked
    bars by hatch; bars below a target are hatched.
Units
    Axis labels name the unit: ``e1RM (kg)``, ``volume load (kg)``, ``pace (min:s per km)``.
Week and session
    ISO weeks, Monday start (``week_start``); a session is one athlete and date with a logged
    set (:mod:`analysis.volume`).
Volume load
    Σ reps × load_kg over working sets, both sides added (McBride et al. 2009).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.plots_running import plot_strength_pace, plot_weekly_pace
from analysis.plots_squad import plot_squad_heatmap
from analysis.plots_strength import plot_asymmetry, plot_e1rm
from analysis.plots_style import (
    HATCHES,
    PALETTE,
    check_frame,
    date_axis,
    days,
    floats,
    get_ax,
    metric_label,
    no_data,
    one_athlete,
)

if TYPE_CHECKING:
    from analysis.reassess import Reassessment

__all__ = [
    "plot_adherence",
    "plot_asymmetry",
    "plot_e1rm",
    "plot_squad_heatmap",
    "plot_strength_pace",
    "plot_weekly_pace",
    "plot_weekly_volume",
    "reassessment_figure",
]

_WEEK_START = "week_start"
_BAR_WIDTH = np.timedelta64(5, "D")
_SETS_HINT = "Pass the output of analysis.{0}() (or the matching Reassessment field)."
_BY = ("pattern", "exercise", "muscle", "side")


def plot_adherence(
    adherence: pd.DataFrame,
    *,
    target: int | None = None,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Sessions per week as bars, weeks below the target hatched, with the target line.

    Parameters
    ----------
    adherence : DataFrame
        Output of :func:`analysis.volume.adherence` (``week_start, sessions``; ``athlete`` and
        ``target`` are used when present).
    target : int, default=None
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
    check_frame(adherence, [_WEEK_START, "sessions"], func, _SETS_HINT.format("volume.adherence"))
    ax = get_ax(ax, func)
    frame = one_athlete(adherence, athlete, func)
    if target is None and "target" in frame.columns:
        targets = frame["target"].dropna().unique()
        if len(targets) > 1:
            raise ValueError(
                f"{func}() expected one target per week in the frame, got {sorted(targets)} "
                "instead; pass target=."
            )
        target = int(targets[0]) if len(targets) else None
    ax.set_xlabel("week (Monday)")
    ax.set_ylabel("sessions per week")
    if frame.empty:
        return no_data(ax, "no weeks to show")
    x, n = days(frame[_WEEK_START]), floats(frame["sessions"])
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
            "value": floats(frame[measure]),
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


def _first(candidates: Sequence[Any], available: set[str]) -> str | None:
    return next((str(c) for c in candidates if isinstance(c, str) and c in available), None)


def _frame(r: Any, name: str) -> pd.DataFrame | None:
    value = getattr(r, name, None)
    return value if isinstance(value, pd.DataFrame) else None


def _exercises_in(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or "exercise" not in frame.columns:
        return []
    return [str(x) for x in pd.unique(frame["exercise"].dropna().astype(str))]


def _choose(
    r: Any, exercises: Sequence[str] | None, data: str, ranked: tuple[str, ...]
) -> str | None:
    """The lift for a panel: the first of ``exercises`` with data, else the first named by an
    ``ok`` finding of the ``ranked`` topics (findings are ranked by the analysis), else the
    first in the analysis' block table, else the first in the data."""
    frame = _frame(r, data)
    available = set(_exercises_in(frame))
    if exercises is not None:
        return _first(list(exercises), available)
    findings = _frame(r, "findings")
    named: list[str] = []
    if findings is not None and {"topic", "exercise"} <= set(findings.columns):
        keep = findings["topic"].astype("string").isin(list(ranked)).fillna(False)
        if "status" in findings.columns:  # a "not enough data" finding has nothing to show
            keep &= (findings["status"].astype("string") == "ok").fillna(False)
        named = _exercises_in(findings[keep.to_numpy(dtype=bool)])
    blocks = _exercises_in(_frame(r, f"{data}_blocks"))
    return _first([*named, *blocks, *_exercises_in(frame)], available)


def reassessment_figure(
    r: Reassessment,
    *,
    exercises: Sequence[str] | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """One athlete's reassessment on one figure: adherence, volume, e1RM, asymmetry, pace.

    Parameters
    ----------
    r : Reassessment
        Output of :func:`analysis.reassess.reassess` for one athlete. Read: ``params``
        (``athlete``, ``weeks``, ``end``, ``threshold_pct``), ``blocks``, ``adherence``,
        ``volume``, ``e1rm``, ``e1rm_blocks``, ``asymmetry``, ``asymmetry_blocks``,
        ``weekly_pace``, ``findings``, ``strength_pace`` (weekly strength and pace table) and
        ``correlation`` (with ``series`` and ``fit_slope``/``fit_intercept``).
    exercises : sequence of str, default=None
        Lifts to show: the first with an e1RM gets the e1RM panel, the first with paired
        left-right sessions the asymmetry panel. None: the lifts the ranked findings with
        status ``ok`` name first (strength and stall findings for e1RM, asymmetry findings
        for asymmetry), else the first of the block tables.
    figsize : (float, float), default=None
        Inches; (12, 11.1) with runs, (12, 7.7) without.

    Returns
    -------
    Figure
        A pyplot figure (fixed margins, suptitle with athlete, block length and end)
        with a 2 × 2 grid: :func:`plot_adherence`, :func:`plot_weekly_volume`,
        :func:`plot_e1rm`, :func:`plot_asymmetry`; plus a third row when the athlete has runs:
        :func:`plot_weekly_pace` across the row, or beside :func:`plot_strength_pace` (the
        lag-0 levels correlation of the e1RM panel's lift with a pace, else the first with an
        r; its fitted line) when there is one. A panel without data says
        so. Close it with ``plt.close(fig)`` in scripts; in a notebook assign it
        (``fig = reassessment_figure(r)``) so it is shown once.

    Raises
    ------
    TypeError
        If ``r`` has no ``params`` mapping.
    MissingColumnsError
        If a frame lacks a column a panel draws.

    Notes
    -----
    Draws the frames as computed once by :func:`analysis.reassess.reassess`; no statistic is
    computed here (definitions in the plot modules' docstrings).
    """
    import matplotlib.pyplot as plt

    params = getattr(r, "params", None)
    if not isinstance(params, dict):
        raise TypeError(
            "reassessment_figure() expected a Reassessment with a params dict, got "
            f"{type(r).__name__} instead. Build it with analysis.reassess.reassess()."
        )
    athlete = params.get("athlete")
    pace = _frame(r, "weekly_pace")
    runs = pace is not None and not pace.empty
    rows = 3 if runs else 2
    width, height = figsize or (12.0, 3.4 * rows + 0.9)
    fig = plt.figure(figsize=(width, height))
    # fixed margins in inches: a constrained layout costs about 0.35 s more per figure
    grid = fig.add_gridspec(rows, 2, left=0.8 / width, right=1 - 0.2 / width, bottom=0.5 / height,
                            top=1 - 0.6 / height, hspace=0.38, wspace=0.2)  # fmt: skip
    end = params.get("end")
    end_text = f" ending {pd.Timestamp(end):%d %b %Y}" if end is not None else ""
    title = f"{athlete or 'athlete'}: {params.get('weeks', '?')}-week block{end_text}"
    fig.suptitle(title, y=1 - 0.15 / height)
    plot_adherence(r.adherence, athlete=athlete, ax=fig.add_subplot(grid[0, 0]))
    plot_weekly_volume(r.volume, athlete=athlete, ax=fig.add_subplot(grid[0, 1]))
    ax = fig.add_subplot(grid[1, 0])
    lift = strength_lift = _choose(r, exercises, "e1rm", ("strength", "stall"))
    if lift is None:
        no_data(ax, "no lift with an e1RM")
    else:
        plot_e1rm(r.e1rm, exercise=lift, blocks=_frame(r, "blocks"), athlete=athlete, ax=ax)
    ax = fig.add_subplot(grid[1, 1])
    lift = _choose(r, exercises, "asymmetry", ("asymmetry",))
    if lift is None:
        no_data(ax, "no left-right pairs logged")
    else:
        plot_asymmetry(r.asymmetry, exercise=lift, athlete=athlete, ax=ax,
                       asymmetry_blocks=_frame(r, "asymmetry_blocks"),
                       threshold_pct=params.get("threshold_pct", 10.0))  # fmt: skip
    if runs:
        row = _correlation_row(r, athlete, strength_lift)
        span = grid[2, :] if row is None else grid[2, 0]
        plot_weekly_pace(pace, athlete=athlete, ax=fig.add_subplot(span))
        if row is not None:
            fit = None
            if {"fit_slope", "fit_intercept"} <= set(row.index):
                line = (row["fit_slope"], row["fit_intercept"])
                fit = None if pd.isna(line[0]) or pd.isna(line[1]) else line
            plot_strength_pace(r.strength_pace, strength_metric=str(row["strength_metric"]),
                               pace_metric=str(row["pace_metric"]), correlation_row=row, fit=fit,
                               athlete=athlete, ax=fig.add_subplot(grid[2, 1]))  # fmt: skip
    return fig


def _correlation_row(r: Any, athlete: str | None, lift: str | None) -> pd.Series | None:
    """A level (not change) correlation at lag 0 for the weekly scatter: the first row of the
    e1RM panel's lift with a pace metric in s/km, else of that lift, else one with a pace
    metric, else the first row; None without the weekly table or such a row."""
    weekly, corr = _frame(r, "strength_pace"), _frame(r, "correlation")
    need = {"strength_metric", "pace_metric", "lag_weeks", "r"}
    if weekly is None or corr is None or not need <= set(corr.columns) or "metric" not in weekly:
        return None
    keep = (corr["lag_weeks"] == 0).fillna(False) & corr["r"].notna()
    if "series" in corr.columns:
        keep &= (corr["series"].astype("string") == "levels").fillna(False)
    if athlete is not None and "athlete" in corr.columns:
        keep &= (corr["athlete"].astype("string") == athlete).fillna(False)
    metrics = list(weekly["metric"].dropna().astype(str).unique())
    rows = corr[keep.to_numpy(dtype=bool)]
    rows = rows[rows["strength_metric"].isin(metrics) & rows["pace_metric"].isin(metrics)]
    strength = rows["strength_metric"].astype(str)
    own = strength.str.startswith(f"{lift}_") & strength.str.endswith("e1rm_kg")
    paced = rows["pace_metric"].astype(str).str.endswith("pace_s_per_km")
    for mask in (own & paced, own, paced):
        if mask.any():
            return rows[mask.to_numpy(dtype=bool)].iloc[0]
    return None if rows.empty else rows.iloc[0]

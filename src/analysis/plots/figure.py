"""The reassessment figure: one athlete's block on one page, composed of the axes-level plots."""


from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.running import plot_strength_pace, plot_weekly_pace
from analysis.plots.strength import plot_asymmetry, plot_e1rm
from analysis.plots.style import (
    no_data,
)
from analysis.plots.training import plot_adherence, plot_weekly_volume

if TYPE_CHECKING:
    from analysis.reassessment import Reassessment

__all__ = ["reassessment_figure"]

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
        Output of :func:`analysis.reassessment.reassess` for one athlete. Read: ``params``
        (``athlete``, ``weeks``, ``end``, ``threshold_pct``), ``blocks``, ``adherence``,
        ``volume``, ``e1rm``, ``asymmetry``, ``asymmetry_blocks``,
        ``weekly_pace``, ``findings``, ``strength_pace`` (weekly strength and pace table) and
        ``correlation`` (with ``series`` and ``fit_slope``/``fit_intercept``).
    exercises : sequence of str, default=None
        Lifts to show: the first with an e1RM gets the e1RM panel, the first with paired
        left-right sessions the asymmetry panel. None: the lifts the ranked findings with
        status ``ok`` name first (strength findings for e1RM, balance findings for
        asymmetry), else the first of the block tables.
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
    Draws the frames as computed once by :func:`analysis.reassessment.reassess`; no statistic is
    computed here (definitions in the plot modules' docstrings).
    """
    import matplotlib.pyplot as plt

    params = getattr(r, "params", None)
    if not isinstance(params, dict):
        raise TypeError(
            "reassessment_figure() expected a Reassessment with a params dict, got "
            f"{type(r).__name__} instead. Build it with analysis.reassessment.reassess()."
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
    lift = strength_lift = _choose(r, exercises, "e1rm", ("strength",))
    if lift is None:
        no_data(ax, "no lift with an e1RM")
    else:
        plot_e1rm(r.e1rm, exercise=lift, blocks=_frame(r, "blocks"), athlete=athlete, ax=ax)
    ax = fig.add_subplot(grid[1, 1])
    lift = _choose(r, exercises, "asymmetry", ("balance",))
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

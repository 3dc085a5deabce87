"""Running plots: weekly pace per run type, and weekly strength against pace.

Definitions
-----------
Pace
    Seconds per km (lower = faster); the axis shows ``m:ss`` (:func:`analysis.running.format_pace`)
    and is inverted so that faster is up. Weekly pooled pace = total time / total distance of
    the week's runs of a type (:func:`analysis.pace.weekly_pace`).
Strength vs pace
    Each point is one ISO week: the week's strength metric against the pace metric of the
    same week, or ``lag_weeks`` later (strength leading pace), as
    :func:`analysis.correlate.strength_pace_correlation` pairs them. r, its 95 % CI (Fisher
    z), n and method come from the correlation row; a line only from a given slope and
    intercept. Correlation is not causation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.columns import float_values
from analysis.plots.style import (
    PALETTE,
    RUN_TYPE_STYLES,
    check_frame,
    date_axis,
    days,
    get_ax,
    is_pace,
    metric_label,
    no_data,
    one_athlete,
    pace_axis,
)

__all__ = ["plot_strength_pace", "plot_weekly_pace"]

_WEEK_START = "week_start"
_WEEK = np.timedelta64(7, "D")


def plot_weekly_pace(
    weekly_pace: pd.DataFrame,
    *,
    pace: str = "pooled_pace_s_per_km",
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Weekly pace per run type, y axis in ``m:ss`` per km with faster paces up.

    Parameters
    ----------
    weekly_pace : DataFrame
        Output of :func:`analysis.pace.weekly_pace` (``week_start, run_type`` and ``pace``;
        ``athlete`` used when present).
    pace : str, default="pooled_pace_s_per_km"
        Pace column in s/km (``pooled_pace_s_per_km`` or ``mean_pace_s_per_km``).
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        One line per run type (easy, long, tempo, interval, race, other, all, in that order;
        label = run type) with its own marker and line style; y ticks as ``m:ss``, y axis
        inverted; y label "pace (min:s per km)".

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If ``pace`` is not a pace column, or the frame holds several athletes without
        ``athlete``.

    Notes
    -----
    Pace definitions are in the module docstring. Weeks without a run of a type have no point.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"week_start": pd.to_datetime(["2026-11-02", "2026-11-09"]),
    ...     "run_type": "easy", "pooled_pace_s_per_km": [330.0, 325.0]})
    >>> ax = plot_weekly_pace(frame, ax=plt.figure().add_subplot())
    >>> ax.yaxis.get_major_formatter()(330.0), bool(ax.yaxis_inverted())
    ('5:30', True)
    """
    func = "plot_weekly_pace"
    if not isinstance(pace, str) or not is_pace(pace):
        raise ValueError(
            f"{func}() expected pace as a column in s/km such as 'pooled_pace_s_per_km', got "
            f"{pace!r} instead."
        )
    check_frame(
        weekly_pace, [_WEEK_START, "run_type", pace], func,
        "Pass the output of analysis.pace.weekly_pace() (or Reassessment.weekly_pace).",
    )  # fmt: skip
    ax = get_ax(ax, func)
    frame = one_athlete(weekly_pace, athlete, func).sort_values(_WEEK_START, kind="stable")
    ax.set_xlabel("week (Monday)")
    ax.set_ylabel("pace (min:s per km)")
    pace_axis(ax)
    x, y = days(frame[_WEEK_START]), float_values(frame[pace])
    types = frame["run_type"].astype("string").fillna("other")
    order = [t for t in RUN_TYPE_STYLES if (types == t).any()]
    order += sorted(set(types) - set(order))
    for i, run_type in enumerate(order):
        mask = (types == run_type).to_numpy(dtype=bool) & ~np.isnan(y)
        style = RUN_TYPE_STYLES.get(run_type, {"color": PALETTE[i % len(PALETTE)], "marker": "v"})
        if mask.any():
            ax.plot(x[mask], y[mask], label=run_type, **style)
    if not ax.lines:
        return no_data(ax, "no runs with a pace")
    date_axis(ax)
    ax.legend(fontsize="small", title="run type")
    return ax


def _row(correlation_row: Any, func: str) -> Mapping[str, Any] | None:
    if correlation_row is None:
        return None
    if isinstance(correlation_row, pd.DataFrame):
        if len(correlation_row) != 1:
            raise ValueError(
                f"{func}() expected correlation_row as one row, got {len(correlation_row)} "
                "rows instead (select one strength metric, pace metric, lag and method)."
            )
        return correlation_row.iloc[0].to_dict()
    if isinstance(correlation_row, pd.Series | Mapping):
        return dict(correlation_row)
    raise TypeError(
        f"{func}() expected correlation_row as a Series, dict or one-row DataFrame, got "
        f"{type(correlation_row).__name__} instead."
    )


def _number(value: Any) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def correlation_text(row: Mapping[str, Any]) -> str:
    """Legend text for one correlation row: method, r, 95 % CI and n (or the verdict).

    Examples
    --------
    >>> correlation_text({"method": "pearson", "r": -0.81, "ci_low": -0.96, "ci_high": -0.31,
    ...     "n": 8, "lag_weeks": 0, "verdict": "association"})
    'Pearson r = -0.81 (95 % CI -0.96 to -0.31), n = 8'
    >>> correlation_text({"method": "spearman", "r": None, "n": 4, "verdict": "not enough data"})
    'Spearman: not enough data, n = 4'
    """
    method = str(row.get("method", "pearson")).capitalize()
    n = row.get("n")
    n_text = "n = ?" if n is None or pd.isna(n) else f"n = {int(n)}"
    lag = row.get("lag_weeks")
    lag_text = f", lag {int(lag)} wk" if lag is not None and not pd.isna(lag) and lag else ""
    r = _number(row.get("r"))
    if np.isnan(r):
        return f"{method}: {row.get('verdict', 'no estimate')}, {n_text}{lag_text}"
    lo, hi = _number(row.get("ci_low")), _number(row.get("ci_high"))
    ci = f" (95 % CI {lo:.2f} to {hi:.2f})" if not (np.isnan(lo) or np.isnan(hi)) else ""
    return f"{method} r = {r:.2f}{ci}, {n_text}{lag_text}"


def plot_strength_pace(
    weekly: pd.DataFrame,
    *,
    strength_metric: str,
    pace_metric: str,
    correlation_row: pd.Series | Mapping[str, Any] | pd.DataFrame | None = None,
    fit: tuple[float, float] | None = None,
    lag_weeks: int | None = None,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Scatter of a weekly strength metric against a weekly pace metric, with r, CI and n.

    Parameters
    ----------
    weekly : DataFrame
        Output of :func:`analysis.correlate.weekly_strength_pace` (``week_start, metric,
        value``; ``athlete`` used when present), e.g. ``Reassessment.strength_pace``.
    strength_metric, pace_metric : str
        Metric names in ``weekly`` (``goblet_squat_e1rm_kg``, ``easy_pace_s_per_km``...).
    correlation_row : Series, dict or one-row DataFrame, default=None
        A row of :func:`analysis.correlate.strength_pace_correlation` for these two metrics
        (levels, not ``changes=True``: a ``series`` column, as in ``Reassessment.correlation``,
        must say ``levels``); its method, r, 95 % CI, n and lag go in the legend.
    fit : (float, float), default=None
        ``(slope, intercept)`` of a line computed by an analysis, in pace units per strength
        unit; drawn across the points' x range. No line when None.
    lag_weeks : int, default=None
        Pair strength at week t with pace at week t + lag; None takes the row's
        ``lag_weeks`` (0 without a row).
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        Points (x = strength value, y = pace value of the paired week; label = the
        correlation text, e.g. "Pearson r = -0.81 (95 % CI -0.96 to -0.31), n = 8"), a dashed
        line for ``fit``; axis labels with units; a pace metric's axis in ``m:ss``, inverted.

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If a metric is not in ``weekly``, the row names other metrics or a series of changes,
        ``lag_weeks`` or ``fit`` is not accepted, or the frame holds several athletes without ``athlete``.
    TypeError
        If ``correlation_row`` is not a row.

    Notes
    -----
    Pairing and statistics are defined in the module docstring and in
    :mod:`analysis.correlate` (Fisher z CI, min n 6); nothing here is computed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> weekly = pd.DataFrame({"week_start": pd.to_datetime(["2026-11-02", "2026-11-09"] * 2),
    ...     "metric": ["goblet_squat_e1rm_kg"] * 2 + ["easy_pace_s_per_km"] * 2,
    ...     "value": [30.0, 32.0, 340.0, 335.0]})
    >>> ax = plot_strength_pace(weekly, strength_metric="goblet_squat_e1rm_kg",
    ...     pace_metric="easy_pace_s_per_km", ax=plt.figure().add_subplot())
    >>> ax.collections[0].get_offsets().tolist(), ax.get_xlabel()
    ([[30.0, 340.0], [32.0, 335.0]], 'goblet squat e1RM (kg)')
    """
    func = "plot_strength_pace"
    check_frame(
        weekly, [_WEEK_START, "metric", "value"], func,
        "Pass the output of analysis.correlate.weekly_strength_pace().",
    )  # fmt: skip
    row = _row(correlation_row, func)
    if row is not None and str(row.get("series", "levels")) != "levels":
        raise ValueError(
            f"{func}() expected a correlation_row of weekly levels (series 'levels'), got "
            f"series {row.get('series')!r} instead: the points are weekly levels."
        )
    for key, given in (("strength_metric", strength_metric), ("pace_metric", pace_metric)):
        if row is not None and key in row and str(row[key]) != given:
            raise ValueError(
                f"{func}() expected a correlation_row for {key} {given!r}, got {row[key]!r} instead."
            )
    if lag_weeks is None:
        lag = row.get("lag_weeks") if row is not None else None
        lag_weeks = 0 if lag is None or pd.isna(lag) else int(lag)
    if isinstance(lag_weeks, bool) or not isinstance(lag_weeks, int | np.integer) or lag_weeks < 0:
        raise ValueError(
            f"{func}() expected lag_weeks as whole weeks >= 0, got {lag_weeks!r} instead."
        )
    if fit is not None and (
        not isinstance(fit, tuple | list)
        or len(fit) != 2
        or not all(np.isfinite(_number(v)) for v in fit)
    ):
        raise ValueError(f"{func}() expected fit as (slope, intercept), got {fit!r} instead.")
    ax = get_ax(ax, func)
    frame = one_athlete(weekly, athlete, func)
    metrics = frame["metric"].astype("string")
    have = sorted(metrics.dropna().unique())
    for name in (strength_metric, pace_metric):
        if name not in have:
            raise ValueError(
                f"{func}() expected a metric of weekly in {have}, got {name!r} instead."
            )

    def series(name: str, shift: np.timedelta64) -> pd.DataFrame:
        rows = frame[(metrics == name).fillna(False).to_numpy(dtype=bool)]
        return pd.DataFrame({"week": days(rows[_WEEK_START]) - shift, name: float_values(rows["value"])})

    pairs = series(strength_metric, _WEEK * 0).merge(
        series(pace_metric, _WEEK * int(lag_weeks)), on="week", how="inner"
    ).dropna()  # fmt: skip
    x, y = pairs[strength_metric].to_numpy(), pairs[pace_metric].to_numpy()
    label = correlation_text(row) if row is not None else f"weeks, n = {len(pairs)}"
    ax.scatter(x, y, color=PALETTE[0], marker="o", edgecolors="black", label=label, zorder=3)
    ax.set_xlabel(metric_label(strength_metric))
    pace_label = metric_label(pace_metric)
    ax.set_ylabel(pace_label + (f", {lag_weeks} wk later" if lag_weeks else ""))
    for metric, axis in ((pace_metric, "y"), (strength_metric, "x")):
        if is_pace(metric):
            pace_axis(ax, axis)
    if fit is not None and len(x):
        slope, intercept = (float(v) for v in fit)
        xs = np.array([x.min(), x.max()])
        ax.plot(xs, intercept + slope * xs, color="black", linestyle="--", label="fitted line")
    if not len(x):
        return no_data(ax, "no weeks with both metrics")
    ax.legend(fontsize="small")
    return ax

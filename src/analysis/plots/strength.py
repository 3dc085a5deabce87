"""Strength plots: e1RM per session and side, and left-right asymmetry with its noise band.

Definitions
-----------
e1RM
    Epley ``load × (1 + reps / 30)`` by default, or the RTS chart for sets with RPE; a
    session's value is that of its best working set (:mod:`analysis.progression`).
Asymmetry sign
    ``asymmetry_pct = 100 × (right − left) / max(left, right)``: above zero the right side is
    stronger; its magnitude is Bishop's percentage difference (Bishop et al., Strength Cond J
    2018;40(4):1-6; :mod:`analysis.symmetry`).
Noise band
    Around each block's mean asymmetry: ± the athlete's typical error (SD of successive
    session differences / √2, Hopkins, Sports Med 2000;30:1-15), exactly as
    :func:`analysis.symmetry.block_asymmetry` reports it.
Threshold
    The ± 10 % lines are a secondary, configurable flag: such thresholds lack prospective
    support (Parkinson et al. 2021). Nothing here labels injury risk.
Blocks
    Reassessment blocks (:func:`analysis.periods.blocks`): every other block is shaded light
    grey, the current one included, and each is named on top.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.catalog import display_name
from analysis.columns import DATE, EXERCISE, SIDE, float_values
from analysis.plots.style import (
    METRIC_MARKERS,
    PALETTE,
    SIDE_STYLES,
    check_frame,
    date_axis,
    days,
    get_ax,
    no_data,
    one_athlete,
    pick,
)

__all__ = ["plot_asymmetry", "plot_e1rm"]

_HINT = "Pass the output of analysis.{0}() (or the matching Reassessment field)."
_ONE_DAY = np.timedelta64(1, "D")


def _shade_blocks(ax: Axes, blocks: pd.DataFrame | None, func: str) -> None:
    """Light grey spans for every other block (the current one shaded), labelled on top."""
    if blocks is None:
        return
    start = "block_start"
    end = "block_end"
    check_frame(blocks, ["block_index", "block", start, end], func, _HINT.format("periods.blocks"))
    index = float_values(blocks["block_index"])
    for i, lo, hi, name in zip(
        index, days(blocks[start]), days(blocks[end]), blocks["block"].astype(str), strict=True
    ):
        if np.isnan(i) or np.isnat(lo) or np.isnat(hi):
            continue
        if int(i) % 2 == 0:
            ax.axvspan(lo, hi + _ONE_DAY, color="0.9", zorder=0, linewidth=0)
        ax.text(
            lo,
            1.0,
            f" {name}",
            transform=ax.get_xaxis_transform(),
            va="top",
            fontsize="x-small",
            color="0.35",
        )


def plot_e1rm(
    e1rm: pd.DataFrame,
    *,
    exercise: str,
    blocks: pd.DataFrame | None = None,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Best e1RM per session over time, one line per side, blocks shaded.

    Parameters
    ----------
    e1rm : DataFrame
        Output of :func:`analysis.progression.best_e1rm` (``date, exercise, side, e1rm_kg``;
        ``athlete`` used when present), e.g. ``Reassessment.e1rm``.
    exercise : str
        Catalog key of the lift to draw.
    blocks : DataFrame, default=None
        Output of :func:`analysis.periods.blocks` (``block_index, block, start, end``); every
        other block is shaded light grey and each is named on top.
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        One line per side in the order left, right, both (label = side), each with its own
        marker and line style (left ``o -``, right open ``s --``, both ``^ :``); x = ``date``,
        y = ``e1rm_kg``; y label "e1RM (kg)"; title = the exercise's name.

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If ``exercise`` is not in the frame, or the frame holds several athletes without
        ``athlete``.

    Notes
    -----
    e1RM is Epley ``load × (1 + reps / 30)`` by default, or the RTS chart for sets with RPE;
    the session value is that of the best working set (:mod:`analysis.progression`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2026-11-02", "2026-11-05"] * 2),
    ...     "exercise": "single_leg_rdl", "side": ["left"] * 2 + ["right"] * 2,
    ...     "e1rm_kg": [40.0, 42.0, 45.0, 46.0]})
    >>> ax = plot_e1rm(frame, exercise="single_leg_rdl", ax=plt.figure().add_subplot())
    >>> [(ln.get_label(), ln.get_marker(), ln.get_ydata().tolist()) for ln in ax.lines]
    [('left', 'o', [40.0, 42.0]), ('right', 's', [45.0, 46.0])]
    """
    func = "plot_e1rm"
    check_frame(
        e1rm, [DATE, EXERCISE, SIDE, "e1rm_kg"], func, _HINT.format("progression.best_e1rm")
    )
    ax = get_ax(ax, func)
    frame = pick(one_athlete(e1rm, athlete, func), EXERCISE, exercise, func)
    _shade_blocks(ax, blocks, func)
    ax.set_xlabel("date")
    ax.set_ylabel("e1RM (kg)")
    ax.set_title(display_name(exercise))
    frame = frame.sort_values(DATE, kind="stable")
    y_all = float_values(frame["e1rm_kg"])
    sides = frame[SIDE].astype("string").fillna("")
    drawn = False
    for side, style in SIDE_STYLES.items():
        mask = (sides == side).to_numpy(dtype=bool) & ~np.isnan(y_all)
        if mask.any():
            ax.plot(days(frame[DATE])[mask], y_all[mask], label=side, **style)
            drawn = True
    if not drawn:
        return no_data(ax, "no e1RM estimates (bodyweight or > 12 reps)")
    date_axis(ax)
    ax.legend(fontsize="small")
    return ax


def plot_asymmetry(
    asymmetry: pd.DataFrame,
    *,
    exercise: str,
    asymmetry_blocks: pd.DataFrame | None = None,
    threshold_pct: float | None = 10.0,
    athlete: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Left-right asymmetry per session, with zero line, ± threshold and per-block noise band.

    Parameters
    ----------
    asymmetry : DataFrame
        Output of :func:`analysis.symmetry.session_asymmetry` (``date, exercise,
        asymmetry_pct``; ``metric`` and ``athlete`` used when present).
    exercise : str
        Catalog key of the unilateral lift to draw.
    asymmetry_blocks : DataFrame, default=None
        Output of :func:`analysis.symmetry.block_asymmetry`; each block with status ``ok``
        gets its mean as a solid segment and a shaded band of ± its typical error.
    threshold_pct : float or None, default=10.0
        Draw dashed lines at ± this value (the secondary flag); None for none.
    athlete : str, default=None
        The athlete to draw; needed only when the frame holds several.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        A grey line through the sessions' ``asymmetry_pct`` with one marker per session
        metric (``o`` e1RM, ``s`` reps at matched load, ``^`` hold, ``D`` volume), a zero
        line, dashed ± threshold lines, block means and noise bands; y label
        "asymmetry (%), + = right stronger".

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If ``exercise`` is not in the frame, ``threshold_pct`` is not accepted, or the frame
        holds several athletes without ``athlete``.

    Notes
    -----
    Sign, magnitude (Bishop's percentage difference) and typical error (Hopkins 2000) are
    defined in the module docstring and in :mod:`analysis.symmetry`. The 10 %
    threshold lacks prospective support (Parkinson et al. 2021); nothing here labels injury
    risk.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2026-11-02", "2026-11-05"]),
    ...     "exercise": "single_leg_rdl", "asymmetry_pct": [12.0, 8.0]})
    >>> ax = plot_asymmetry(frame, exercise="single_leg_rdl", ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist(), [float(ln.get_ydata()[0]) for ln in ax.lines[1:4]]
    ([12.0, 8.0], [0.0, 10.0, -10.0])
    """
    func = "plot_asymmetry"
    if threshold_pct is not None and (
        isinstance(threshold_pct, bool)
        or not isinstance(threshold_pct, int | float)
        or not 0 < threshold_pct <= 100
    ):
        raise ValueError(
            f"{func}() expected threshold_pct as a number in (0, 100] or None, got "
            f"{threshold_pct!r} instead."
        )
    check_frame(
        asymmetry,
        [DATE, EXERCISE, "asymmetry_pct"],
        func,
        _HINT.format("symmetry.session_asymmetry"),
    )
    ax = get_ax(ax, func)
    frame = pick(one_athlete(asymmetry, athlete, func), EXERCISE, exercise, func)
    frame = frame.sort_values(DATE, kind="stable")
    x, y = days(frame[DATE]), float_values(frame["asymmetry_pct"])
    ok = ~np.isnan(y) & ~np.isnat(x)
    ax.plot(x[ok], y[ok], color="0.5", linewidth=1, label="_sessions")
    ax.axhline(0.0, color="black", linewidth=0.8, label="_zero")
    if threshold_pct is not None:
        for level in (threshold_pct, -threshold_pct):
            ax.axhline(level, color="0.3", linestyle="--", linewidth=1, label="_threshold")
        ax.lines[-1].set_label(f"± {threshold_pct:g} % threshold")
    metrics = frame["metric"].astype("string").fillna("") if "metric" in frame.columns else None
    for key, (marker, words) in METRIC_MARKERS.items():
        mask = ok if metrics is None else ok & (metrics == key).to_numpy(dtype=bool)
        if mask.any():
            label = "asymmetry per session" if metrics is None else f"session, {words}"
            ax.plot(
                x[mask], y[mask], linestyle="none", marker=marker, color=PALETTE[0], label=label
            )
        if metrics is None:
            break
    if asymmetry_blocks is not None:
        _noise_bands(ax, asymmetry_blocks, exercise, athlete, func)
    ax.set_xlabel("date")
    ax.set_ylabel("asymmetry (%), + = right stronger")
    ax.set_title(display_name(exercise))
    if not ok.any():
        return no_data(ax, "no paired left-right sessions")
    date_axis(ax)
    ax.legend(fontsize="x-small")
    return ax


def _noise_bands(
    ax: Axes, blocks: pd.DataFrame, exercise: str, athlete: str | None, func: str
) -> None:
    column = "typical_error_pct"
    needed = [EXERCISE, "block_start", "block_end", "asymmetry_pct", column, "status"]
    check_frame(blocks, needed, func, _HINT.format("symmetry.block_asymmetry"))
    rows = one_athlete(blocks, athlete, func)
    rows = rows[(rows[EXERCISE].astype("string") == exercise).fillna(False).to_numpy(dtype=bool)]
    rows = rows[(rows["status"].astype("string") == "ok").fillna(False).to_numpy(dtype=bool)]
    words = "typical error"
    first_mean = first_band = True
    for lo, hi, mean, half in zip(
        days(rows["block_start"]),
        days(rows["block_end"]) + _ONE_DAY,
        float_values(rows["asymmetry_pct"]),
        float_values(rows[column]),
        strict=True,
    ):
        if np.isnan(mean):
            continue
        ax.plot([lo, hi], [mean, mean], color=PALETTE[1], linewidth=2, linestyle="-",
                label="block mean" if first_mean else "_block mean")  # fmt: skip
        first_mean = False
        if not np.isnan(half):
            ax.fill_between([lo, hi], mean - half, mean + half, color=PALETTE[1], alpha=0.2,
                            hatch="..", linewidth=0,
                            label=f"± {words}" if first_band else f"_± {words}")  # fmt: skip
            first_band = False

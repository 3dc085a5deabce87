"""The report's charts: one figure per area, each drawn from a Reassessment's own tables.

Figure-level functions return a matplotlib :class:`~matplotlib.figure.Figure` (or None when
there is nothing to show). They compute no statistics: block bounds, records, confidence
intervals and paces come from the analyses.

Conventions
-----------
Theme
    :func:`liftpace_theme` (:data:`THEME`: seaborn's ``ticks`` style at a compact scale, light
    grid) is applied only inside these functions; user text (exercise and athlete names) is never read as
    mathtext (``text.parse_math`` off).
Period
    Every panel of a report spans the same days (``window``): the two blocks the verdicts
    compare and the block before them, for context; the current block is shaded darker than the
    previous one.
Series
    Every series differs by marker or line style as well as colour; one fixed colour and hatch
    per movement pattern (:data:`PATTERN_COLORS`), per side and per run type in every report;
    paces in m:ss with faster paces up.

Why plain matplotlib
--------------------
The charts are drawn on a fixed grid of axes (:func:`panel_grid`) with ticks placed once
(:func:`week_ticks`), not with :class:`seaborn.FacetGrid` and ``tight_layout``: those measure
the figure by drawing it several times, about 1 s per report (30 s for a squad of 30). And
``import seaborn`` alone takes 1.4 s (it imports ``scipy.stats`` and ``pyplot``), more than a
whole report may take; so the theme is seaborn's style as data (:data:`THEME`), and seaborn's
long-form API stays in the notebooks, where the kernel pays the import once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from analysis.catalog import display_name
from analysis.columns import PATTERNS, float_values
from analysis.plots.style import (
    HATCHES,
    PALETTE,
    RUN_TYPE_STYLES,
    SIDE_STYLES,
    days,
    pace_axis,
)

__all__ = [
    "MAX_LIFT_PANELS",
    "PATTERN_COLORS",
    "PHASE_COLORS",
    "THEME",
    "association_chart",
    "balance_chart",
    "lift_chart",
    "liftpace_theme",
    "pace_chart",
    "panel_grid",
    "phase_chart",
    "phase_runs",
    "reused_figures",
    "volume_chart",
    "week_ticks",
    "window",
]

_PATTERN_ORDER = (*PATTERNS, "other")
#: One colour (and hatch) per movement pattern, the same in every report.
PATTERN_COLORS: dict[str, tuple[str, str]] = {
    p: (PALETTE[i % len(PALETTE)], HATCHES[(i // len(PALETTE)) % len(HATCHES)])
    for i, p in enumerate(_PATTERN_ORDER)
}
#: At most this many lifts get an e1RM panel (the rest are in the tables).
MAX_LIFT_PANELS = 6
_ONE_DAY = np.timedelta64(1, "D")
_CURRENT_SHADE, _PREVIOUS_SHADE = "0.90", "0.965"


#: The liftpace theme: seaborn's ``ticks`` style with a light grid and its ``notebook`` context
#: at 0.9 (values as ``seaborn.axes_style`` and ``seaborn.plotting_context`` return them),
#: right and top spines off, mathtext off, text kept as text in SVG.
THEME: dict[Any, Any] = {
    "figure.facecolor": "white", "axes.facecolor": "white", "axes.edgecolor": ".15",
    "axes.labelcolor": ".15", "text.color": ".15", "xtick.color": ".15", "ytick.color": ".15",
    "xtick.direction": "out", "ytick.direction": "out", "axes.axisbelow": True,
    "axes.grid": True, "grid.color": "0.92", "grid.linestyle": "-", "grid.linewidth": 0.9,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "axes.spines.right": False, "axes.spines.top": False, "xtick.top": False, "ytick.right": False,
    "axes.linewidth": 1.1, "lines.linewidth": 1.35, "lines.markersize": 5.4,
    "xtick.major.width": 1.1, "ytick.major.width": 1.1, "xtick.major.size": 5.4, "ytick.major.size": 5.4,
    "font.size": 9.7, "axes.labelsize": 9.7, "axes.titlesize": 9.7, "xtick.labelsize": 8.9,
    "ytick.labelsize": 8.9, "legend.fontsize": 8.9, "legend.title_fontsize": 9.7,
    "text.parse_math": False, "axes.titleweight": "bold", "axes.titlelocation": "left", "axes.titley": 1.0,
    "svg.fonttype": "none", "svg.hashsalt": "liftpace",
}  # fmt: skip


@contextlib.contextmanager
def liftpace_theme() -> Iterator[None]:
    """:data:`THEME` inside the block only (the caller's matplotlib settings are untouched).

    A process that set the theme for good (the report's workers) skips the copy and restore
    of every rcParam that a context costs.
    """
    params = mpl.rcParams
    if all(params[k] == v for k, v in THEME.items()):
        yield
        return
    with mpl.rc_context(THEME):
        yield


#: Blocks before the current one that a chart shows (the previous one, and one more for context).
BLOCKS_SHOWN = 2


def window(blocks: pd.DataFrame | None, dates: pd.Series) -> tuple[np.datetime64, np.datetime64]:
    """The days every panel spans: from :data:`BLOCKS_SHOWN` blocks before the current one to
    its end (exclusive end: the day after).

    Without a blocks table: the first to the last date of ``dates``.
    """
    if blocks is not None and len(blocks):
        shown = blocks[blocks["block_index"] >= -BLOCKS_SHOWN] if "block_index" in blocks else blocks
        lo = np.datetime64(pd.Timestamp(shown["block_start"].min()), "D")
        hi = np.datetime64(pd.Timestamp(blocks["block_end"].max()), "D")
    else:
        values = days(dates)
        lo, hi = np.datetime64(values.min(), "D"), np.datetime64(values.max(), "D")
    return lo, hi + _ONE_DAY


def week_ticks(ax: Axes, lo: np.datetime64, hi: np.datetime64, most: int = 5) -> None:
    """Ticks on Mondays, every 1, 2, 4 or 8 weeks (at most ``most``), labelled ``3 Aug``.

    Placed once from the window, so no date locator runs at draw time (a large share of a
    chart's cost).
    """
    first, last = np.asarray(lo).astype("datetime64[D]"), np.asarray(hi).astype("datetime64[D]")
    weekday = (first.astype(np.int64) - 4) % 7  # 0 = Monday
    monday = first + np.timedelta64(int((7 - weekday) % 7), "D")
    n_weeks = max(1, int((last - monday) / np.timedelta64(7, "D")) + 1)
    step = next((k for k in (1, 2, 4, 8, 13, 26) if n_weeks / k <= most), 52)
    # no tick in the last 3 days: its label would run past the panel's right edge
    n_ticks = max(0, int(np.ceil(((last - 2 * _ONE_DAY) - monday) / np.timedelta64(7 * step, "D"))))
    ticks = monday + np.arange(n_ticks) * np.timedelta64(7 * step, "D")
    numbers = mpl.dates.date2num(ticks)
    labels = {round(float(n), 3): f"{pd.Timestamp(t).day} {pd.Timestamp(t):%b}" for n, t in zip(numbers, ticks, strict=True)}
    ax.xaxis.set_major_locator(FixedLocator(numbers))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: labels.get(round(float(v), 3), "")))
    ax.set_xlim(*mpl.dates.date2num([lo, hi]))


_REUSE: dict[tuple, tuple[Figure, list[Axes]]] | None = None


@contextlib.contextmanager
def reused_figures() -> Iterator[None]:
    """Inside the block, :func:`panel_grid` hands out the same figure for the same layout.

    Creating an Axes (its spines, axis and ticks) is half of a small chart's cost; a report that
    saves each figure before drawing the next (:func:`analysis.report.figures.report_charts`)
    can reuse them. Outside the block every call makes a new figure, so a figure someone keeps
    never changes under them.
    """
    global _REUSE
    previous, _REUSE = _REUSE, {} if _REUSE is None else _REUSE
    try:
        yield
    finally:
        _REUSE = previous


def _emptied(fig: Figure, axes: list[Axes]) -> tuple[Figure, list[Axes]]:
    """The figure without anything drawn on it, ready to draw again."""
    fig.legends.clear()
    for ax in axes:
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts]:
            artist.remove()
        ax.containers.clear()
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
        ax.dataLim = Bbox.null()  # the next data sets the limits afresh, as on a new Axes
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
    return fig, axes


def panel_grid(
    n: int,
    *,
    columns: int,
    width: float = 3.0,
    height: float = 2.0,
    legend: int = 0,
    right: float = 0.15,
    left: float = 0.62,
    bottom: float = 0.3,
) -> tuple[Figure, list[Axes]]:
    """A figure of ``n`` panels in rows of ``columns``, laid out in fixed inches.

    Fixed margins (room for tick labels, a y label and a title) instead of ``tight_layout``
    or ``constrained_layout``, which draw the figure several times to measure it (module
    docstring). ``legend`` leaves a strip at the bottom for a figure legend of that many rows.
    Inside :func:`reused_figures` the same layout returns the same figure, emptied.
    """
    key = (n, columns, width, height, legend, right, left, bottom)
    if _REUSE is not None and key in _REUSE:
        return _emptied(*_REUSE[key])
    n_cols = max(1, min(columns, n))
    n_rows = int(np.ceil(n / n_cols))
    top, gap_w, gap_h = 0.3, 0.62, 0.5
    foot = 0.12 + 0.2 * legend if legend else 0.0
    fig_w = left + right + n_cols * width + (n_cols - 1) * gap_w
    fig_h = top + bottom + foot + n_rows * height + (n_rows - 1) * gap_h
    fig = Figure(figsize=(fig_w, fig_h))
    grid = fig.add_gridspec(
        n_rows, n_cols, left=left / fig_w, right=1 - right / fig_w, top=1 - top / fig_h,
        bottom=(bottom + foot) / fig_h, wspace=gap_w / width, hspace=gap_h / height,
    )  # fmt: skip
    axes = [fig.add_subplot(grid[i // n_cols, i % n_cols]) for i in range(n)]
    if _REUSE is not None:
        _REUSE[key] = (fig, axes)
    return fig, axes


def _block_spans(blocks: pd.DataFrame | None) -> list[tuple[float, float, str]]:
    """The previous and current blocks as ``(start, end, colour)`` in matplotlib's date numbers."""
    if blocks is None or blocks.empty:
        return []
    spans = []
    # columns, not itertuples: a namedtuple class per call is a chart's largest overhead here
    for block, start, end in zip(blocks["block"].tolist(), blocks["block_start"].tolist(),
                                 blocks["block_end"].tolist(), strict=True):  # fmt: skip
        if block not in ("current", "previous"):
            continue
        lo, hi = mpl.dates.date2num([pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)])
        spans.append((float(lo), float(hi), _CURRENT_SHADE if block == "current" else _PREVIOUS_SHADE))
    return spans


def _shade(ax: Axes, spans: list[tuple[float, float, str]]) -> None:
    """The blocks of :func:`_block_spans` shaded behind the data (computed once per chart)."""
    for lo, hi, shade in spans:
        ax.axvspan(lo, hi, color=shade, zorder=0, lw=0)


def _figure_legend(fig: Figure, axes: Sequence[Axes], columns: int = 6) -> None:
    """One legend under the panels with every label used in any of them."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    if handles:
        fig.legend(list(handles.values()), list(handles), loc="lower center",
                   ncols=min(columns, len(handles)), fontsize="small", frameon=False)  # fmt: skip


def lift_chart(
    e1rm: pd.DataFrame,
    *,
    blocks: pd.DataFrame | None = None,
    records: pd.DataFrame | None = None,
    exercises: Sequence[str] | None = None,
    columns: int = 3,
) -> Figure | None:
    """Every main lift's e1RM per session, one small panel per lift, sides apart, PRs marked.

    Parameters
    ----------
    e1rm : DataFrame
        :func:`analysis.progression.best_e1rm` of one athlete (``date, exercise, side,
        e1rm_kg``).
    blocks : DataFrame, default=None
        :func:`analysis.periods.blocks`: the window (module docstring), the current block
        shaded darker than the previous one.
    records : DataFrame, default=None
        :func:`analysis.progression.personal_records`; its ``e1rm_kg`` records in the window
        get a star.
    exercises : sequence of str, default=None
        Lifts to draw, in order; None: every lift with an e1RM in the window, most sessions
        first. At most :data:`MAX_LIFT_PANELS` are drawn.
    columns : int, default=3
        Panels per row.

    Returns
    -------
    Figure or None
        None when no lift has an e1RM in the window. Every panel spans the same days; each has
        its own y axis in kg.
    """
    lo, hi = window(blocks, e1rm["date"])
    when = days(e1rm["date"])
    data = e1rm[e1rm["e1rm_kg"].notna().to_numpy(dtype=bool) & (when >= lo) & (when < hi)]
    if data.empty:
        return None
    present = set(data["exercise"].astype(str))
    if exercises is None:
        exercises = data["exercise"].astype(str).value_counts(sort=True).index.tolist()
    exercises = [e for e in exercises if e in present][:MAX_LIFT_PANELS]
    if not exercises:
        return None
    sides = [s for s in ("both", "left", "right") if s in set(data["side"].astype(str))]
    prs = None
    if records is not None and not records.empty:
        pr_when = days(records["date"])
        prs = records[(records["record"] == "e1rm_kg").to_numpy(dtype=bool) & (pr_when >= lo) & (pr_when < hi)]
    # plain arrays, sorted by date once: a panel's lines are masks over them (a frame filter per
    # panel and side was a third of the chart's cost)
    data = data.sort_values("date", kind="stable")
    x, y = days(data["date"]), float_values(data["e1rm_kg"])
    lift, side_of = data["exercise"].astype(str).to_numpy(), data["side"].astype(str).to_numpy()
    if prs is not None:
        pr_x, pr_y, pr_lift = days(prs["date"]), float_values(prs["value"]), prs["exercise"].astype(str).to_numpy()
    spans = _block_spans(blocks)
    with liftpace_theme():
        fig, axes = panel_grid(len(exercises), columns=columns, legend=1)
        for ax, key in zip(axes, exercises, strict=True):
            _shade(ax, spans)
            of_lift = lift == key
            for side in sides:
                mask = of_lift & (side_of == side)
                if mask.any():
                    ax.plot(x[mask], y[mask], markersize=4,
                            linewidth=1.2, label=f"{side} side" if side != "both" else "both sides",
                            **SIDE_STYLES[side])  # fmt: skip
            if prs is not None:
                mine = pr_lift == key
                if mine.any():
                    ax.plot(pr_x[mine], pr_y[mine], linestyle="none",
                            marker="*", markersize=10, color=PALETTE[4], zorder=5,
                            markeredgecolor="black", markeredgewidth=0.5, label="new best")  # fmt: skip
            ax.set_title(display_name(key))
            ax.margins(y=0.12)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            week_ticks(ax, lo, hi, most=4)
        # every panel spans the same days: dates under the lowest panel of each column only, the
        # unit beside the first panel of each row only (fewer labels to read, and to draw)
        n_cols = max(1, min(columns, len(exercises)))
        for i, ax in enumerate(axes):
            ax.set_ylabel("e1RM (kg)" if i % n_cols == 0 else "")
            ax.tick_params(axis="x", labelbottom=i + n_cols >= len(exercises))
        _figure_legend(fig, axes)
    return fig


def volume_chart(volume: pd.DataFrame, *, blocks: pd.DataFrame | None = None) -> Figure | None:
    """Weekly volume load stacked by movement pattern, one fixed colour and hatch per pattern.

    Parameters
    ----------
    volume : DataFrame
        :func:`analysis.volume.weekly_volume` by pattern of one athlete.
    blocks : DataFrame, default=None
        :func:`analysis.periods.blocks`: the window and the shading (module docstring).

    Returns
    -------
    Figure or None
        None when nothing was lifted with a load in the window.
    """
    lo, hi = window(blocks, volume["week_start"])
    when = days(volume["week_start"])
    frame = volume[(float_values(volume["volume_load_kg"]) > 0) & (when >= lo) & (when < hi)]
    if frame.empty:
        return None
    # groupby-unstack: pivot_table's generality cost 7 ms per chart for the same table
    wide = frame.groupby(["week_start", "pattern"], observed=True)["volume_load_kg"].sum().unstack(fill_value=0.0)  # noqa: PD010
    present = [p for p in _PATTERN_ORDER if p in wide.columns]
    present += [p for p in wide.columns if p not in present]
    with liftpace_theme():
        fig, (ax,) = panel_grid(1, columns=1, width=5.4, height=2.3, right=1.45, left=0.85)
        _shade(ax, _block_spans(blocks))
        # bars centred on their week, 5 days wide: one collection of rectangles per pattern
        # (a Rectangle artist per bar costs a chart about 40 ms to build and draw)
        x = mpl.dates.date2num(days(pd.Series(wide.index)) + np.timedelta64(3, "D"))
        x0, x1 = x - 2.5, x + 2.5
        bottom = np.zeros(len(wide))
        for pattern in present:
            color, hatch = PATTERN_COLORS.get(str(pattern), (PALETTE[6], ""))
            values = wide[pattern].to_numpy(dtype=float)
            top = bottom + values
            bars = np.stack([np.column_stack([x0, bottom]), np.column_stack([x0, top]),
                             np.column_stack([x1, top]), np.column_stack([x1, bottom])], axis=1)  # fmt: skip
            ax.add_collection(PolyCollection(
                bars[values > 0], facecolors=color, edgecolors="white", linewidths=0.5, hatch=hatch or None,
                label=str(pattern).replace("_", " "),
            ), autolim=False)  # fmt: skip
            bottom = top
        ax.set_ylim(0, float(bottom.max()) * 1.08)
        ax.set_ylabel("volume load (kg / week)")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        week_ticks(ax, lo, hi)
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  reverse=True)  # fmt: skip
    return fig


def balance_chart(
    asymmetry: pd.DataFrame,
    *,
    status: pd.DataFrame,
    blocks: pd.DataFrame | None = None,
    threshold_pct: float = 10.0,
) -> Figure | None:
    """The left-right gap of each single-leg lift: sessions, this block's 95 % CI, the flag.

    One row per lift of ``status`` that has a gap this block: this block's sessions as small
    dots, the block's gap with its 95 % confidence interval as a bar (a band across the row),
    the previous block's gap as an open diamond, zero and the ± ``threshold_pct`` flag as lines.

    Parameters
    ----------
    asymmetry : DataFrame
        :func:`analysis.symmetry.session_asymmetry` of one athlete (+ = right stronger).
    status : DataFrame
        :func:`analysis.reassessment.asymmetry_status`: the gap and CI are toward the weaker
        side; drawn here on the signed scale (+ = right stronger).
    blocks : DataFrame, default=None
        :func:`analysis.periods.blocks`: the current block's sessions are the dots.
    threshold_pct : float, default=10.0
        The secondary flag, dashed at ± this value.

    Returns
    -------
    Figure or None
        None when no single-leg lift has a gap this block.
    """
    shown = status[status["gap_pct"].notna().to_numpy(dtype=bool)]
    if shown.empty:
        return None
    start = None
    if blocks is not None and (blocks["block"] == "current").any():
        start = pd.Timestamp(blocks.loc[blocks["block"] == "current", "block_start"].iloc[0])
    here = asymmetry if start is None else asymmetry[asymmetry["date"] >= start]
    names = [display_name(e) for e in shown["exercise"].astype(str)]
    with liftpace_theme():
        left = 0.35 + 0.075 * max(len(n) for n in names)  # room for the longest lift name
        fig, (ax,) = panel_grid(1, columns=1, width=4.6, height=0.42 * len(shown) + 0.5,
                                left=left, right=0.3, legend=2, bottom=0.55)  # fmt: skip
        widest = threshold_pct * 1.5
        for i, row in enumerate(shown.itertuples()):
            y = len(shown) - 1 - i
            sessions = float_values(here.loc[here["exercise"] == row.exercise, "asymmetry_pct"])
            sessions = sessions[~np.isnan(sessions)]
            sign = _sign(row, sessions)
            jitter = (np.arange(len(sessions)) % 5 - 2) * 0.05
            ax.plot(sessions, y + jitter, linestyle="none", marker="o", markersize=3,
                    color="0.55", label="one session this block")  # fmt: skip
            gap = sign * float(row.gap_pct)
            if pd.notna(row.ci_low):
                lo, hi = sorted((sign * float(row.ci_low), sign * float(row.ci_high)))
                ax.fill_betweenx([y - 0.22, y + 0.22], lo, hi, color=PALETTE[0], alpha=0.25,
                                 linewidth=0, label="95 % CI of this block's gap")  # fmt: skip
                widest = max(widest, abs(lo), abs(hi))
            ax.plot([gap], [y], marker="o", markersize=7, color=PALETTE[0], linestyle="none",
                    label="this block's gap")  # fmt: skip
            if pd.notna(row.previous_gap_pct):
                prev = sign * float(row.previous_gap_pct)
                ax.plot([prev], [y], marker="D", markersize=6, markerfacecolor="none",
                        markeredgecolor=PALETTE[1], linestyle="none",
                        label="previous block's gap")  # fmt: skip
                widest = max(widest, abs(prev))
            if len(sessions):
                widest = max(widest, float(np.abs(sessions).max()))
        ax.axvline(0, color="0.3", linewidth=0.8)
        for x in (-threshold_pct, threshold_pct):
            ax.axvline(x, color="0.3", linewidth=0.8, linestyle="--",
                       label=f"± {threshold_pct:g} % flag")  # fmt: skip
        ax.set_yticks(range(len(shown)), names[::-1])
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.set_xlim(-widest * 1.08, widest * 1.08)
        ax.set_xlabel("gap (%): ← left stronger | right stronger →")
        ax.grid(axis="y", visible=False)
        _figure_legend(fig, [ax], columns=3)
    return fig


def _sign(row: Any, sessions: np.ndarray) -> float:
    """+1 when the gap points to a stronger right side, -1 for a stronger left side."""
    weaker = row.weaker_side
    if weaker == "right":
        return -1.0
    if weaker == "left":
        return 1.0
    return 1.0 if len(sessions) == 0 or np.nanmean(sessions) >= 0 else -1.0


def pace_chart(weekly_pace: pd.DataFrame, *, blocks: pd.DataFrame | None = None) -> Figure | None:
    """Weekly pace per run type, faster up, in m:ss per km.

    Parameters
    ----------
    weekly_pace : DataFrame
        :func:`analysis.pace.weekly_pace` by run type of one athlete.
    blocks : DataFrame, default=None
        :func:`analysis.periods.blocks`: the window and the shading (module docstring).

    Returns
    -------
    Figure or None
        None without a run with a pace in the window.
    """
    lo, hi = window(blocks, weekly_pace["week_start"])
    when = days(weekly_pace["week_start"])
    pace = float_values(weekly_pace["pooled_pace_s_per_km"])
    keep = ~np.isnan(pace) & (when >= lo) & (when < hi)
    if not keep.any():
        return None
    frame = weekly_pace[keep].sort_values("week_start")
    types = frame["run_type"].astype("string").fillna("other")
    order = [t for t in RUN_TYPE_STYLES if (types == t).any()]
    order += sorted(set(types) - set(order))
    with liftpace_theme():
        fig, (ax,) = panel_grid(1, columns=1, width=5.4, height=2.3, right=1.45)
        _shade(ax, _block_spans(blocks))
        x = days(frame["week_start"]) + np.timedelta64(3, "D")
        y = float_values(frame["pooled_pace_s_per_km"])
        for i, run_type in enumerate(order):
            mask = (types == run_type).to_numpy(dtype=bool)
            style = RUN_TYPE_STYLES.get(run_type, {"color": PALETTE[i % len(PALETTE)], "marker": "v"})
            ax.plot(x[mask], y[mask], markersize=4, linewidth=1.2, label=str(run_type), **style)
        ax.margins(y=0.12)
        ax.set_ylabel("pace (min:s / km)")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        pace_axis(ax)
        week_ticks(ax, lo, hi)
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


def association_chart(
    strength_pace: pd.DataFrame, correlation: pd.DataFrame, *, most: int = 2
) -> Figure | None:
    """The weeks behind each clear strength-pace association: one scatter per pair.

    Drawn only for the pairs :func:`analysis.correlate.strength_pace_correlation` calls an
    ``association`` (week-to-week changes, lag 0); nothing to show otherwise.

    Parameters
    ----------
    strength_pace : DataFrame
        :func:`analysis.weekly_metrics.weekly_strength_pace` of one athlete.
    correlation : DataFrame
        :func:`analysis.correlate.strength_pace_correlation` of the same weeks.
    most : int, default=2
        At most this many pairs, strongest first.

    Returns
    -------
    Figure or None
        x: the week's change in the strength metric; y: the week's change in pace (s/km,
        faster up); the panel title gives r, its 95 % CI and the weeks counted.
    """
    from analysis.correlate import weekly_changes
    from analysis.plots.style import metric_label

    clear = correlation[
        (correlation["verdict"] == "association").fillna(False).to_numpy(dtype=bool)
        & (correlation["series"] == "changes").to_numpy(dtype=bool)
        & (correlation["lag_weeks"] == 0).to_numpy(dtype=bool)
    ]
    if clear.empty or strength_pace.empty:
        return None
    clear = clear.reindex(clear["r"].abs().sort_values(ascending=False).index).head(most)
    changes = weekly_changes(strength_pace)
    with liftpace_theme():
        fig, axes = panel_grid(len(clear), columns=2, width=3.2, height=2.4, bottom=0.55, left=0.8)
        for ax, row in zip(axes, clear.itertuples(), strict=True):
            s = changes[changes["metric"] == row.strength_metric].set_index("week_start")["value"]
            p = changes[changes["metric"] == row.pace_metric].set_index("week_start")["value"]
            both = pd.concat({"s": s, "p": p}, axis=1, join="inner")
            ax.plot(float_values(both["s"]), float_values(both["p"]), linestyle="none", marker="o",
                    markersize=5, color=PALETTE[0])  # fmt: skip
            ax.axhline(0, color="0.5", linewidth=0.8)
            ax.axvline(0, color="0.5", linewidth=0.8)
            ax.invert_yaxis()  # faster (a negative change in s/km) up
            ax.set_xlabel("change in " + metric_label(str(row.strength_metric)), fontsize="small")
            ax.set_ylabel("change in pace (s/km), faster ↑", fontsize="small")
            ax.set_title(f"r = {row.r:.2f} (95 % CI {row.ci_low:.2f} to {row.ci_high:.2f}), "
                         f"{row.n} weeks", fontsize="small")  # fmt: skip
    return fig


#: One colour per phase, the same in every report (light: text is drawn on them).
PHASE_COLORS: dict[str, str] = {"foundation": "#CFE3F2", "strength": "#F6D9C4", "power": "#D5EEDF"}


def phase_runs(phase_weeks: pd.DataFrame) -> pd.DataFrame:
    """Consecutive weeks of one phase as ``phase, start, end`` (end exclusive), in order."""
    if phase_weeks.empty:
        return pd.DataFrame(columns=["phase", "phase_source", "start", "end"])
    frame = phase_weeks.sort_values("week_start")
    new = (frame["phase"] != frame["phase"].shift()).fillna(True).to_numpy(dtype=bool)
    run = np.cumsum(new)
    grouped = frame.groupby(run, sort=True)
    out = pd.DataFrame({
        "phase": grouped["phase"].first().to_numpy(),
        "phase_source": grouped["phase_source"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed").to_numpy(),  # noqa: PD101
        "start": grouped["week_start"].min().to_numpy(),
        "end": (grouped["week_start"].max() + pd.Timedelta(days=7)).to_numpy(),
    })  # fmt: skip
    return out


def phase_chart(phase_weeks: pd.DataFrame, *, blocks: pd.DataFrame | None = None) -> Figure | None:
    """The plan's phases on a timeline, the two blocks compared marked.

    Parameters
    ----------
    phase_weeks : DataFrame
        :func:`analysis.phases.phase_timeline` of one athlete.
    blocks : DataFrame, default=None
        :func:`analysis.periods.blocks`: the window (module docstring) and the blocks' edges.

    Returns
    -------
    Figure or None
        None without a phase in the window. Inferred phases are hatched.
    """
    if phase_weeks.empty:
        return None
    lo, hi = window(blocks, phase_weeks["week_start"])
    runs = phase_runs(phase_weeks)
    runs = runs[(runs["end"] > pd.Timestamp(lo)) & (runs["start"] < pd.Timestamp(hi))]
    if runs.empty:
        return None
    with liftpace_theme():
        fig, (ax,) = panel_grid(1, columns=1, width=5.4, height=0.55, right=1.45, bottom=0.3)
        for r in runs.itertuples(index=False):
            start, end = max(pd.Timestamp(r.start), pd.Timestamp(lo)), min(pd.Timestamp(r.end), pd.Timestamp(hi))
            x0, x1 = mpl.dates.date2num([start, end])
            ax.axvspan(x0, x1, facecolor=PHASE_COLORS.get(str(r.phase), "0.9"), edgecolor="white", lw=0,
                       hatch="//" if r.phase_source == "inferred" else None)  # fmt: skip
            label = str(r.phase) + (" (inferred)" if r.phase_source == "inferred" else "")
            ax.text((x0 + x1) / 2, 0.5, label, ha="center", va="center", fontsize="small",
                    transform=ax.get_xaxis_transform())  # fmt: skip
        if blocks is not None and len(blocks):
            for row in blocks[blocks["block"].isin(["previous", "current"])].itertuples():
                ax.axvline(mpl.dates.date2num(pd.Timestamp(row.block_start)), color="0.25", lw=1.2)
        ax.set_yticks([])
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        week_ticks(ax, lo, hi)
    return fig

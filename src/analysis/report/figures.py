"""The report's charts as self-contained images, each with a real alt text.

Every chart of :mod:`analysis.plots.charts` is saved as SVG (crisp at any zoom and in print,
text kept as text) and embedded as a ``data:`` URI, so the HTML file needs nothing from the
network. The alt text says what the chart shows for this athlete (the first and last value of
each series, the gaps, the paces), from the same tables as the chart.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.catalog import display_name
from analysis.plots.charts import (
    association_chart,
    balance_chart,
    lift_chart,
    liftpace_theme,
    pace_chart,
    phase_chart,
    phase_runs,
    reused_figures,
    volume_chart,
    window,
)
from analysis.running import format_pace

__all__ = ["Chart", "association_charts", "drawn_charts", "report_charts", "svg_uri"]


@dataclass
class Chart:
    """One chart of a report: its area, title, the image as a data URI, alt text, caption."""

    area: str
    title: str
    uri: str
    alt: str
    caption: str


def svg_uri(fig: Figure) -> str:
    """The figure as an SVG ``data:`` URI (mathtext off: user text stays text).

    The SVG has no date and a fixed hash salt, so the same data gives the same bytes.
    """
    buffer = io.BytesIO()
    with liftpace_theme():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _day(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def _listing(names: list[str]) -> str:
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _span(r: Any) -> str:
    lo, hi = window(r.blocks, r.e1rm["date"] if len(r.e1rm) else pd.Series([r.params["end"]]))
    return f"from {_day(lo)} to {_day(hi - np.timedelta64(1, 'D'))}"


def _first_last(frame: pd.DataFrame, value: str, fmt: Any) -> str:
    ordered = frame.sort_values("date" if "date" in frame else "week_start")
    values = ordered[value].dropna()
    if values.empty:
        return ""
    return f"{fmt(values.iloc[0])} to {fmt(values.iloc[-1])}"


def _kg(v: float) -> str:
    return f"{v:.0f} kg"


def _lift_alt(r: Any, e1rm: pd.DataFrame, exercises: list[str]) -> str:
    # one sort and one grouping for every lift and side (a filter per lift and side cost 20 ms)
    ordered = e1rm.sort_values("date", kind="stable")
    keys = [ordered["exercise"].astype(str), ordered["side"].astype(str)]
    ends = ordered.groupby(keys, sort=False)["e1rm_kg"].agg(["first", "last"])
    first_last = dict(zip(ends.index, zip(ends["first"], ends["last"], strict=True), strict=True))
    parts = []
    for key in exercises:
        sides = []
        for side in ("both", "left", "right"):
            if (key, side) in first_last:
                first, last = first_last[key, side]
                label = "" if side == "both" else f"{side} "
                sides.append(label + ("" if pd.isna(first) else f"{_kg(first)} to {_kg(last)}"))
        parts.append(f"{display_name(key)} {', '.join(sides)}")
    return (
        f"Line charts of the estimated one-rep max (e1RM) per session {_span(r)}, one panel per "
        f"lift, left and right sides apart: {'; '.join(parts)}. Stars mark new bests; the "
        "current block is shaded."
    )


def report_charts(r: Any) -> list[Chart]:
    """The charts of one athlete's report, in order; a chart with nothing to show is left out.

    Each figure is saved as soon as it is drawn, so figures are reused
    (:func:`analysis.plots.charts.reused_figures`).

    Parameters
    ----------
    r : Reassessment
        One athlete's reassessment.

    Returns
    -------
    list of Chart
        The phases on a timeline (Programme), e1RM small multiples (Strength), weekly volume by
        pattern (Volume), the left-right gap
        per single-leg lift (Single-leg balance), weekly pace by run type (Running) and, only
        for a clear association, the weeks behind it (Strength and pace).
    """
    with reused_figures():
        return _charts(r) + association_charts(r)


def drawn_charts(tables: Any) -> list[Chart]:
    """Every chart of :func:`report_charts` but the strength-pace association, from
    :func:`analysis.reassessment.chart_tables` (or a reassessment): a report's drawing process
    draws these before the whole reassessment is there; :func:`association_charts` follows."""
    with reused_figures():
        return _charts(tables)


def _charts(r: Any) -> list[Chart]:
    charts: list[Chart] = []
    fig = phase_chart(r.phase_weeks, blocks=r.blocks)
    if fig is not None:
        runs = phase_runs(r.phase_weeks)
        spans = "; ".join(
            f"{p.phase} from {_day(p.start)} to {_day(p.end - pd.Timedelta(days=1))}"
            + (" (inferred from the sets)" if p.phase_source == "inferred" else "")
            for p in runs.itertuples(index=False)
        )
        hatched = (runs["phase_source"] == "inferred").any()
        charts.append(Chart(
            "Programme", "Phases of the plan", svg_uri(fig),
            f"Timeline of the training phases: {spans}; vertical lines mark the start of the "
            "previous and the current block.",
            "Foundation (bodyweight and form), strength (load and single-leg work), power "
            "(plyometrics, strength held)."
            + (" Hatched: inferred from the sets, not from a plan." if hatched else ""),
        ))  # fmt: skip
    lifts = r.lift_status
    judged_on_e1rm = lifts[lifts["metric"] == "e1rm_kg"]
    # the lifts that matter first: a stall or a regression, then progress, then the rest
    rank = {"stalled": 0, "regressing": 0, "progressing": 1, "holding": 2}
    order = (
        judged_on_e1rm.assign(_rank=judged_on_e1rm["status"].map(rank).fillna(3),
                              _n=judged_on_e1rm["n_current"].astype(float))
        .sort_values(["_rank", "_n"], ascending=[True, False], kind="stable")["exercise"]
        .astype(str).drop_duplicates().tolist()
    )  # fmt: skip
    fig = lift_chart(r.e1rm, blocks=r.blocks, records=r.records, exercises=order or None)
    if fig is not None:
        drawn = [ax.get_title(loc="left") for ax in fig.axes]
        keys = [k for k in (order or r.e1rm["exercise"].astype(str).unique().tolist())
                if display_name(k) in drawn]  # fmt: skip
        charts.append(Chart(
            "Strength", "e1RM per session", svg_uri(fig), _lift_alt(r, r.e1rm, keys),
            "Estimated one-rep max (e1RM) of each session's best set, by the Epley formula. "
            "The darker band is this block, the lighter one the block before; a star is a new "
            "best. Lifts judged on reps, sets or hold time are in the table.",
        ))  # fmt: skip
    fig = volume_chart(r.volume, blocks=r.blocks)
    if fig is not None:
        cur = r.block_volume[(r.block_volume["pattern"] == "all")
                             & (r.block_volume["measure"] == "volume_load_kg")]  # fmt: skip
        trend = ""
        if len(cur) and pd.notna(cur["previous"].iloc[0]) and pd.notna(cur["current"].iloc[0]):
            trend = (f" The weekly mean went from {cur['previous'].iloc[0]:,.0f} kg in the previous "
                     f"block to {cur['current'].iloc[0]:,.0f} kg in this one.")  # fmt: skip
        patterns = [str(p).replace("_", " ") for p in
                    r.volume.loc[r.volume["volume_load_kg"] > 0, "pattern"].dropna().unique()]  # fmt: skip
        charts.append(Chart(
            "Volume", "Weekly volume by movement pattern", svg_uri(fig),
            f"Stacked bar chart of weekly volume load in kg {_span(r)}, by movement pattern "
            f"({_listing(patterns)}).{trend}",
            "Sets x reps x load per week, stacked by movement pattern; a pattern has the same "
            "colour and hatching in every report.",
        ))  # fmt: skip
    threshold = float(r.params.get("threshold_pct", 10.0))
    fig = balance_chart(r.asymmetry, status=r.asymmetry_status, blocks=r.blocks, threshold_pct=threshold)
    if fig is not None:
        shown = r.asymmetry_status[r.asymmetry_status["gap_pct"].notna()]
        gaps = []
        for row in shown.itertuples():
            side = "no weaker side" if row.weaker_side == "none" else f"{row.weaker_side} weaker"
            ci = "" if pd.isna(row.ci_low) else f" (95 % CI {row.ci_low:.0f} to {row.ci_high:.0f} %)"
            gaps.append(f"{display_name(row.exercise)} {row.gap_pct:.0f} %{ci}, {side}")
        charts.append(Chart(
            "Single-leg balance", "Left-right gap per single-leg lift", svg_uri(fig),
            f"Dot chart of the left-right gap in percent this block, one row per single-leg lift, "
            f"with each session, the block's 95 % confidence interval, the previous block's gap "
            f"and dashed lines at plus and minus {threshold:g} %: {'; '.join(gaps)}.",
            "Gap = 100 x (stronger - weaker) / stronger side, per session with both legs logged; "
            "right of zero the right leg is stronger. A side is called weaker only when the "
            f"band (95 % CI) stays clear of zero; the {threshold:g} % lines are a secondary flag.",
        ))  # fmt: skip
    fig = pace_chart(r.weekly_pace, blocks=r.blocks)
    if fig is not None:
        kinds = []
        for run_type, part in r.weekly_pace.groupby("run_type", observed=True, sort=True):
            text = _first_last(part, "pooled_pace_s_per_km", lambda v: f"{format_pace(float(v))} /km")
            if text:
                kinds.append(f"{run_type} {text}")
        charts.append(Chart(
            "Running", "Weekly pace by run type", svg_uri(fig),
            f"Line chart of weekly pace in minutes and seconds per km {_span(r)}, faster paces "
            f"higher: {'; '.join(kinds)}.",
            "Total time / total distance per week and run type; faster is up.",
        ))  # fmt: skip
    return charts


def association_charts(r: Any) -> list[Chart]:
    """The last chart of :func:`report_charts`, only for a clear strength-pace association."""
    charts: list[Chart] = []
    fig = association_chart(r.strength_pace, r.correlation)
    if fig is not None:
        charts.append(Chart(
            "Strength and pace", "Weeks behind an association", svg_uri(fig),
            "Scatter plots of week-to-week changes in a strength measure against changes in "
            "pace, one point per week, for each association found.",
            "Each point is a week: its change in strength against its change in pace. An "
            "association is not a cause; both can follow a third thing (a training camp, "
            "illness, the season).",
        ))  # fmt: skip
    return charts

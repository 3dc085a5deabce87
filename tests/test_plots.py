"""Tests for analysis.plots: assert on the data drawn (lines, bars, labels), never on images."""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.errors import MissingColumnsError
from analysis.plots import (
    plot_adherence,
    plot_asymmetry,
    plot_e1rm,
    plot_squad_heatmap,
    plot_strength_pace,
    plot_weekly_pace,
    plot_weekly_volume,
    reassessment_figure,
)
from analysis.plots.running import correlation_text
from analysis.plots.style import metric_label

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_logs" / "coach_workbook.xlsx"
MON = pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"])


def new_ax() -> Axes:
    return plt.figure().add_subplot()


def dates(values) -> list[np.datetime64]:
    return list(np.asarray(values, dtype="datetime64[D]"))


def legend_texts(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def labelled(ax: Axes, label: str):
    return [ln for ln in ax.lines if ln.get_label() == label]


# --- adherence -------------------------------------------------------------------------------
def adherence_frame(sessions=(2, 1, 0), target=2) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 3, dtype="string"),
            "week_start": MON,
            "sessions": pd.array(list(sessions), dtype="Int64"),
            "target": pd.array([target] * 3, dtype="Int64"),
            "met": pd.array([s >= target for s in sessions], dtype="boolean"),
        }
    )


def test_adherence_bars_target_line_and_hatch_below_target():
    ax = plot_adherence(adherence_frame(), ax=new_ax())
    bars = sorted(ax.patches, key=lambda p: p.get_x())
    assert [b.get_height() for b in bars] == [2.0, 1.0, 0.0]
    # weeks below the target are hatched (greyscale), the week that met it is not
    assert [bool(b.get_hatch()) for b in bars] == [False, True, True]
    (target,) = labelled(ax, "target (2 per week)")
    assert list(target.get_ydata()) == [2, 2]
    assert target.get_linestyle() == "--"
    assert ax.get_ylabel() == "sessions per week"
    assert ax.get_xlabel() == "week (Monday)"
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0"]  # counts on the bars
    assert legend_texts(ax) == ["target (2 per week)", "target met", "below target"]


def test_adherence_explicit_target_overrides_frame():
    ax = plot_adherence(adherence_frame(), target_per_week=1, ax=new_ax())
    bars = sorted(ax.patches, key=lambda p: p.get_x())
    assert [bool(b.get_hatch()) for b in bars] == [False, False, True]
    assert labelled(ax, "target (1 per week)")


def test_adherence_uses_current_axes_and_does_not_mutate():
    frame = adherence_frame()
    before = frame.copy()
    ax = plt.figure().add_subplot()
    assert plot_adherence(frame) is ax
    pd.testing.assert_frame_equal(frame, before)


def test_adherence_errors():
    two = pd.concat([adherence_frame(), adherence_frame().assign(athlete="Ben")])
    with pytest.raises(ValueError, match=r"expected the rows of one athlete, got 2 athletes"):
        plot_adherence(two, ax=new_ax())
    with pytest.raises(ValueError, match=r"expected athlete as one of \['Ann', 'Ben'\], got 'Cy'"):
        plot_adherence(two, athlete="Cy", ax=new_ax())
    assert [p.get_height() for p in plot_adherence(two, athlete="Ben", ax=new_ax()).patches]
    mixed = adherence_frame().assign(target=pd.array([2, 3, 2], dtype="Int64"))
    with pytest.raises(ValueError, match=r"expected one target per week in the frame"):
        plot_adherence(mixed, ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"plot_adherence\(\) expected columns"):
        plot_adherence(adherence_frame().drop(columns="sessions"), ax=new_ax())
    with pytest.raises(TypeError, match=r"expected ax as a matplotlib Axes, got str instead"):
        plot_adherence(adherence_frame(), ax="left")


# --- weekly volume ---------------------------------------------------------------------------
def volume_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 3, dtype="string"),
            "week_start": MON[[0, 0, 1]],
            "pattern": pd.array(["squat", "hinge", "squat"], dtype="string"),
            "sets": pd.array([6, 4, 6], dtype="Int64"),
            "volume_load_kg": pd.array([500.0, 300.0, 550.0], dtype="Float64"),
        }
    )


def test_weekly_volume_stacks_patterns_with_zero_for_missing_weeks():
    ax = plot_weekly_volume(volume_frame(), ax=new_ax())
    hinge, squat = ax.containers  # sorted pattern names
    assert [p.get_height() for p in hinge] == [300.0, 0.0]
    assert [p.get_y() for p in squat] == [300.0, 0.0]
    assert [p.get_height() for p in squat] == [500.0, 550.0]
    assert hinge.get_label() == "hinge"
    assert squat.get_label() == "squat"
    assert hinge[0].get_hatch() != squat[0].get_hatch()  # greyscale: hatch differs
    assert ax.get_ylabel() == "volume load (kg)"
    assert legend_texts(ax) == ["hinge", "squat"]


def test_weekly_volume_other_measure_and_no_grouping():
    ax = plot_weekly_volume(volume_frame(), measure="sets", ax=new_ax())
    assert ax.get_ylabel() == "sets"
    totals = volume_frame().drop(columns="pattern").iloc[[0, 2]]
    ax = plot_weekly_volume(totals, ax=new_ax())
    assert [p.get_height() for p in ax.patches] == [500.0, 550.0]
    assert ax.get_legend() is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["squat", "hinge", "calf"]),
                          st.floats(0, 5000)), min_size=1, max_size=12,
                unique_by=lambda t: t[:2]))  # fmt: skip
def test_weekly_volume_bar_tops_are_the_weekly_totals(rows):
    frame = pd.DataFrame(rows, columns=["week", "pattern", "volume_load_kg"])
    frame["week_start"] = pd.Timestamp("2026-11-02") + pd.to_timedelta(7 * frame["week"], unit="D")
    ax = plot_weekly_volume(frame.drop(columns="week"), ax=new_ax())
    tops: dict[float, float] = {}
    for p in ax.patches:
        tops[p.get_x()] = max(tops.get(p.get_x(), 0.0), p.get_y() + p.get_height())
    expected = frame.groupby("week")["volume_load_kg"].sum().to_numpy()
    np.testing.assert_allclose([tops[x] for x in sorted(tops)], expected, rtol=1e-9, atol=1e-9)
    plt.close("all")


def test_weekly_volume_errors():
    with pytest.raises(ValueError, match=r"expected by as one of \['pattern'"):
        plot_weekly_volume(volume_frame(), by="week", ax=new_ax())
    doubled = pd.concat([volume_frame(), volume_frame()])
    with pytest.raises(ValueError, match=r"expected one row per week and pattern, got repeated"):
        plot_weekly_volume(doubled, ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"missing \['hold_s'\]"):
        plot_weekly_volume(volume_frame(), measure="hold_s", ax=new_ax())


# --- e1RM ------------------------------------------------------------------------------------
def e1rm_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 5, dtype="string"),
            "date": pd.to_datetime(
                ["2026-11-03", "2026-11-10", "2026-11-03", "2026-11-10", "2026-11-03"]
            ),
            "exercise": pd.array(["single_leg_rdl"] * 4 + ["back_squat"], dtype="string"),
            "side": pd.array(["left", "left", "right", "right", "both"], dtype="string"),
            "e1rm_kg": pd.array([40.0, 42.0, 45.0, None, 100.0], dtype="Float64"),
        }
    )


def blocks_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "block_index": pd.array([-2, -1, 0], dtype="Int64"),
            "block": pd.array(["block_-2", "previous", "current"], dtype="string"),
            "block_start": pd.to_datetime(["2026-09-07", "2026-10-05", "2026-11-02"]),
            "block_end": pd.to_datetime(["2026-10-04", "2026-11-01", "2026-11-22"]),
        }
    )


def test_e1rm_one_line_per_side_with_distinct_marker_and_linestyle():
    ax = plot_e1rm(e1rm_frame(), exercise="single_leg_rdl", ax=new_ax())
    left, right = ax.lines
    assert left.get_label() == "left"
    assert right.get_label() == "right"
    assert dates(left.get_xdata()) == dates(["2026-11-03", "2026-11-10"])
    assert list(left.get_ydata()) == [40.0, 42.0]
    assert list(right.get_ydata()) == [45.0]  # NA e1RM is not drawn
    # readable in greyscale: left and right differ in marker AND line style, not only colour
    assert left.get_marker() != right.get_marker()
    assert left.get_linestyle() != right.get_linestyle()
    assert ax.get_ylabel() == "e1RM (kg)"
    assert ax.get_title() == "Single-leg Romanian deadlift"
    assert legend_texts(ax) == ["left", "right"]


def test_e1rm_blocks_shaded_every_other_block_and_named():
    ax = plot_e1rm(e1rm_frame(), exercise="back_squat", blocks=blocks_frame(), ax=new_ax())
    spans = ax.patches  # axvspan rectangles: block_-2 and current
    assert len(spans) == 2
    assert [t.get_text().strip() for t in ax.texts] == ["block_-2", "previous", "current"]
    (line,) = ax.lines
    assert line.get_label() == "both"
    assert list(line.get_ydata()) == [100.0]


def test_e1rm_errors():
    with pytest.raises(
        ValueError,
        match=r"expected exercise as one of \['back_squat', 'single_leg_rdl'\], got 'deadlift'",
    ):
        plot_e1rm(e1rm_frame(), exercise="deadlift", ax=new_ax())
    two = pd.concat([e1rm_frame(), e1rm_frame().assign(athlete="Ben")])
    with pytest.raises(ValueError, match=r"got 2 athletes \(Ann, Ben\) instead; pass athlete="):
        plot_e1rm(two, exercise="back_squat", ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"plot_e1rm\(\) expected columns"):
        plot_e1rm(e1rm_frame().drop(columns="side"), exercise="back_squat", ax=new_ax())
    bad_blocks = blocks_frame().drop(columns="block")
    with pytest.raises(MissingColumnsError, match=r"missing \['block'\]"):
        plot_e1rm(e1rm_frame(), exercise="back_squat", blocks=bad_blocks, ax=new_ax())


# --- asymmetry -------------------------------------------------------------------------------
def asymmetry_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 4, dtype="string"),
            "exercise": pd.array(["single_leg_rdl"] * 4, dtype="string"),
            "date": pd.to_datetime(["2026-10-06", "2026-10-13", "2026-11-03", "2026-11-10"]),
            "metric": pd.array(["reps", "reps", "e1rm_kg", "e1rm_kg"], dtype="string"),
            "asymmetry_pct": pd.array([14.0, 12.0, 6.0, 4.0], dtype="Float64"),
        }
    )


def asymmetry_blocks_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 3, dtype="string"),
            "exercise": pd.array(["single_leg_rdl"] * 3, dtype="string"),
            "block_index": pd.array([-2, -1, 0], dtype="Int64"),
            "block": pd.array(["block_-2", "previous", "current"], dtype="string"),
            "block_start": pd.to_datetime(["2026-09-07", "2026-10-05", "2026-11-02"]),
            "block_end": pd.to_datetime(["2026-10-04", "2026-11-01", "2026-11-22"]),
            "n_sessions": pd.array([1, 2, 2], dtype="Int64"),
            "asymmetry_pct": pd.array([None, 13.0, 5.0], dtype="Float64"),
            "typical_error_pct": pd.array([None, 1.0, 1.5], dtype="Float64"),
            "status": pd.array(["not enough data", "ok", "ok"], dtype="string"),
        }
    )


def test_asymmetry_sessions_zero_threshold_and_markers_per_metric():
    ax = plot_asymmetry(asymmetry_frame(), exercise="single_leg_rdl", ax=new_ax())
    sessions = ax.lines[0]
    assert list(sessions.get_ydata()) == [14.0, 12.0, 6.0, 4.0]
    assert [list(ln.get_ydata()) for ln in ax.lines[1:4]] == [[0, 0], [10.0, 10.0], [-10.0, -10.0]]
    assert [ln.get_linestyle() for ln in ax.lines[2:4]] == ["--", "--"]
    (by_e1rm,) = labelled(ax, "session, by e1RM")
    (by_reps,) = labelled(ax, "session, by reps at matched load")
    assert list(by_e1rm.get_ydata()) == [6.0, 4.0]
    assert list(by_reps.get_ydata()) == [14.0, 12.0]
    assert by_e1rm.get_marker() != by_reps.get_marker()
    assert ax.get_ylabel() == "asymmetry (%), + = right stronger"
    assert "± 10 % threshold" in legend_texts(ax)


def test_asymmetry_noise_band_is_block_mean_plus_minus_typical_error():
    ax = plot_asymmetry(asymmetry_frame(), exercise="single_leg_rdl",
                        asymmetry_blocks=asymmetry_blocks_frame(), ax=new_ax())  # fmt: skip
    means = [ln for ln in ax.lines if ln.get_label().endswith("block mean")]
    # block_-2 has too few sessions: no mean, no band
    assert [list(ln.get_ydata()) for ln in means] == [[13.0, 13.0], [5.0, 5.0]]
    assert dates(means[1].get_xdata()) == dates(["2026-11-02", "2026-11-23"])
    bands = [c for c in ax.collections if "typical error" in c.get_label()]
    extents = [(v[:, 1].min(), v[:, 1].max()) for v in (b.get_paths()[0].vertices for b in bands)]
    assert extents == [(12.0, 14.0), (3.5, 6.5)]
    assert "± typical error" in legend_texts(ax)
    assert "block mean" in legend_texts(ax)


def test_asymmetry_without_threshold_has_no_dashed_lines():
    ax = plot_asymmetry(asymmetry_frame(), exercise="single_leg_rdl", threshold_pct=None,
                        asymmetry_blocks=asymmetry_blocks_frame(), ax=new_ax())  # fmt: skip
    assert not [ln for ln in ax.lines if ln.get_linestyle() == "--"]


def test_asymmetry_errors():
    frame = asymmetry_frame()
    with pytest.raises(
        ValueError, match=r"expected threshold_pct as a number in \(0, 100\] or None, got -5"
    ):
        plot_asymmetry(frame, exercise="single_leg_rdl", threshold_pct=-5, ax=new_ax())
    with pytest.raises(
        ValueError, match=r"expected exercise as one of \['single_leg_rdl'\], got 'step_up'"
    ):
        plot_asymmetry(frame, exercise="step_up", ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"missing \['typical_error_pct'\]"):
        plot_asymmetry(frame, exercise="single_leg_rdl", ax=new_ax(),
                       asymmetry_blocks=asymmetry_blocks_frame().drop(columns="typical_error_pct"))  # fmt: skip


# --- weekly pace -----------------------------------------------------------------------------
def pace_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 4, dtype="string"),
            "week_start": MON[[0, 0, 1, 1]],
            "run_type": pd.array(["easy", "tempo", "easy", "tempo"], dtype="string"),
            "pooled_pace_s_per_km": pd.array([330.0, 290.0, 325.0, 285.5], dtype="Float64"),
        }
    )


def test_weekly_pace_lines_per_type_mss_ticks_inverted():
    ax = plot_weekly_pace(pace_frame(), ax=new_ax())
    easy, tempo = ax.lines
    assert (easy.get_label(), tempo.get_label()) == ("easy", "tempo")
    assert list(easy.get_ydata()) == [330.0, 325.0]
    assert list(tempo.get_ydata()) == [290.0, 285.5]
    assert easy.get_marker() != tempo.get_marker()
    assert easy.get_linestyle() != tempo.get_linestyle()
    assert ax.yaxis_inverted()  # faster (lower s/km) is up
    assert ax.get_ylabel() == "pace (min:s per km)"
    ax.set_yticks([285.0, 300.0, 330.0])
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["4:45", "5:00", "5:30"]


def test_weekly_pace_errors():
    with pytest.raises(ValueError, match=r"expected pace as a column in s/km .* got 'runs'"):
        plot_weekly_pace(pace_frame(), pace="runs", ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"missing \['mean_pace_s_per_km'\]"):
        plot_weekly_pace(pace_frame(), pace="mean_pace_s_per_km", ax=new_ax())


# --- strength vs pace ------------------------------------------------------------------------
def weekly_frame() -> pd.DataFrame:
    weeks = list(MON) * 2
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann"] * 6, dtype="string"),
            "week_start": weeks,
            "metric": pd.array(
                ["goblet_squat_e1rm_kg"] * 3 + ["easy_pace_s_per_km"] * 3, dtype="string"
            ),
            "value": pd.array([30.0, 32.0, 34.0, 340.0, 335.0, 331.0], dtype="Float64"),
            "kind": pd.array(["strength"] * 3 + ["pace"] * 3, dtype="string"),
        }
    )


def corr_row(**changes) -> pd.Series:
    row = {
        "athlete": "Ann", "strength_metric": "goblet_squat_e1rm_kg",
        "pace_metric": "easy_pace_s_per_km", "lag_weeks": 0, "method": "pearson", "n": 8,
        "r": -0.81, "ci_low": -0.96, "ci_high": -0.24, "verdict": "association",
        "series": "levels",
    }  # fmt: skip
    return pd.Series(row | changes)


def test_strength_pace_points_legend_and_given_fit():
    ax = plot_strength_pace(weekly_frame(), strength_metric="goblet_squat_e1rm_kg",
                            pace_metric="easy_pace_s_per_km", correlation_row=corr_row(),
                            fit=(-2.0, 400.0), ax=new_ax())  # fmt: skip
    points = ax.collections[0].get_offsets()
    assert points.tolist() == [[30.0, 340.0], [32.0, 335.0], [34.0, 331.0]]
    texts = legend_texts(ax)
    assert texts[0] == "Pearson r = -0.81 (95 % CI -0.96 to -0.24), n = 8"
    assert "r = " in texts[0]
    assert "n = " in texts[0]
    (fit,) = labelled(ax, "fitted line")
    assert list(fit.get_xdata()) == [30.0, 34.0]
    assert list(fit.get_ydata()) == [340.0, 332.0]
    assert ax.get_xlabel() == "goblet squat e1RM (kg)"
    assert ax.get_ylabel() == "easy pace (min:s per km)"
    assert ax.yaxis_inverted()


def test_strength_pace_lag_pairs_later_pace_week():
    ax = plot_strength_pace(weekly_frame(), strength_metric="goblet_squat_e1rm_kg",
                            pace_metric="easy_pace_s_per_km",
                            correlation_row=corr_row(lag_weeks=1, n=2), ax=new_ax())  # fmt: skip
    assert ax.collections[0].get_offsets().tolist() == [[30.0, 335.0], [32.0, 331.0]]
    assert legend_texts(ax)[0].endswith("n = 2, lag 1 wk")
    assert ax.get_ylabel() == "easy pace (min:s per km), 1 wk later"


def test_strength_pace_without_row_and_not_enough_data_text():
    ax = plot_strength_pace(weekly_frame(), strength_metric="goblet_squat_e1rm_kg",
                            pace_metric="easy_pace_s_per_km", ax=new_ax())  # fmt: skip
    assert legend_texts(ax) == ["weeks, n = 3"]
    row = corr_row(r=None, ci_low=None, ci_high=None, n=3, verdict="not enough data")
    assert correlation_text(row) == "Pearson: not enough data, n = 3"


def test_strength_pace_errors():
    kw = {"strength_metric": "goblet_squat_e1rm_kg", "pace_metric": "easy_pace_s_per_km"}
    weekly = weekly_frame()
    with pytest.raises(
        ValueError,
        match=r"expected a correlation_row for pace_metric 'easy_pace_s_per_km', got 'best_vdot'",
    ):
        plot_strength_pace(
            weekly, correlation_row=corr_row(pace_metric="best_vdot"), ax=new_ax(), **kw
        )
    with pytest.raises(
        ValueError, match=r"expected a correlation_row of weekly levels .* got series 'changes'"
    ):
        plot_strength_pace(weekly, correlation_row=corr_row(series="changes"), ax=new_ax(), **kw)
    with pytest.raises(ValueError, match=r"expected correlation_row as one row, got 2 rows"):
        plot_strength_pace(
            weekly, correlation_row=pd.DataFrame([corr_row()] * 2), ax=new_ax(), **kw
        )
    with pytest.raises(
        TypeError,
        match=r"expected correlation_row as a Series, dict or one-row DataFrame, got list",
    ):
        plot_strength_pace(weekly, correlation_row=[1], ax=new_ax(), **kw)
    with pytest.raises(ValueError, match=r"expected fit as \(slope, intercept\), got \(1.0,\)"):
        plot_strength_pace(weekly, fit=(1.0,), ax=new_ax(), **kw)
    with pytest.raises(ValueError, match=r"expected lag_weeks as whole weeks >= 0, got -1"):
        plot_strength_pace(weekly, lag_weeks=-1, ax=new_ax(), **kw)
    with pytest.raises(ValueError, match=r"expected a metric of weekly in .*, got 'best_vdot'"):
        plot_strength_pace(
            weekly, strength_metric="goblet_squat_e1rm_kg", pace_metric="best_vdot", ax=new_ax()
        )
    with pytest.raises(MissingColumnsError, match=r"plot_strength_pace\(\) expected columns"):
        plot_strength_pace(weekly.drop(columns="value"), ax=new_ax(), **kw)


# --- squad heatmap ---------------------------------------------------------------------------
def squad_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "athlete": pd.array(["Ann", "Ann", "Ben", "Ben"], dtype="string"),
            "metric": pd.array(["goblet_squat_e1rm_kg", "easy_pace_s_per_km"] * 2, dtype="string"),
            "change_pct": pd.array([10.0, -2.0, 5.0, 3.0], dtype="Float64"),
            "status": pd.array(["ok", "ok", "ok", "not enough data"], dtype="string"),
        }
    )


def test_squad_heatmap_values_centred_norm_and_na_cells():
    ax = plot_squad_heatmap(squad_frame(), ax=new_ax())
    (image,) = ax.images
    data = image.get_array()
    assert data.mask.tolist() == [[False, False], [False, True]]  # status not ok -> n/a
    assert data.filled(np.nan)[0].tolist() == [10.0, -2.0]
    assert (image.norm.vmin, image.norm.vmax) == (-10.0, 10.0)  # centred at 0
    assert [t.get_text() for t in ax.texts] == ["+10.0", "-2.0", "+5.0", "n/a"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ann", "Ben"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "goblet squat e1RM (kg)",
        "easy pace (min:s per km)",
    ]
    assert len(ax.patches) == 1
    assert ax.patches[0].get_hatch() == "//"
    assert len(ax.figure.axes) == 2  # colour bar
    assert ax.figure.axes[1].get_ylabel() == "change (%)"


def test_squad_heatmap_metric_selection_and_errors():
    ax = plot_squad_heatmap(
        squad_frame(), metrics=["easy_pace_s_per_km"], colorbar=False, ax=new_ax()
    )
    assert [t.get_text() for t in ax.texts] == ["-2.0", "n/a"]
    with pytest.raises(ValueError, match=r"expected metrics from .*, got \['vdot'\] instead"):
        plot_squad_heatmap(squad_frame(), metrics=["vdot"], ax=new_ax())
    with pytest.raises(
        ValueError, match=r"expected one row per athlete and metric, got repeated rows"
    ):
        plot_squad_heatmap(pd.concat([squad_frame(), squad_frame()]), ax=new_ax())
    with pytest.raises(MissingColumnsError, match=r"missing \['change_pct'\]"):
        plot_squad_heatmap(squad_frame().drop(columns="change_pct"), ax=new_ax())


def test_empty_inputs_draw_a_note_instead_of_failing():
    ax = plot_adherence(adherence_frame().iloc[:0], ax=new_ax())
    assert [t.get_text() for t in ax.texts] == ["no weeks to show"]
    ax = plot_weekly_pace(pace_frame().iloc[:0], ax=new_ax())
    assert [t.get_text() for t in ax.texts] == ["no runs with a pace"]
    ax.figure.canvas.draw()  # the m:ss formatter copes with an empty, default-limited axis
    bodyweight = e1rm_frame().assign(e1rm_kg=pd.array([None] * 5, dtype="Float64"))
    ax = plot_e1rm(bodyweight, exercise="back_squat", ax=new_ax())
    assert ax.texts[-1].get_text().startswith("no e1RM estimates")
    assert not ax.lines


def test_metric_labels_carry_units():
    assert metric_label("volume_load_kg_per_week") == "volume load (kg per week)"
    assert metric_label("single_leg_rdl_left_e1rm_kg") == "single leg rdl e1RM, left (kg)"
    assert metric_label("best_vdot") == "best VDOT (ml/kg/min)"
    assert metric_label("hold_s") == "hold time (s)"


def test_plots_leave_global_state_alone():
    before = dict(mpl.rcParams)
    n_figures = len(plt.get_fignums())
    plot_e1rm(e1rm_frame(), exercise="single_leg_rdl", ax=new_ax())
    plot_weekly_pace(pace_frame(), ax=new_ax())
    plot_squad_heatmap(squad_frame(), ax=new_ax())
    assert dict(mpl.rcParams) == before
    assert len(plt.get_fignums()) == n_figures + 3  # only the figures the test made


def test_each_plot_draws_100_rows_quickly():
    days = pd.date_range("2026-01-05", periods=50, freq="3D")
    e1rm = pd.DataFrame({"date": days.repeat(2), "exercise": "single_leg_rdl",
                         "side": ["left", "right"] * 50, "e1rm_kg": np.linspace(40, 60, 100)})  # fmt: skip
    weeks = pd.date_range("2026-01-05", periods=20, freq="7D")
    volume = pd.DataFrame({"week_start": weeks.repeat(5), "pattern": ["squat", "hinge", "lunge", "calf", "core"] * 20,
                           "volume_load_kg": np.linspace(100, 900, 100)})  # fmt: skip
    asym = pd.DataFrame({"date": pd.date_range("2026-01-05", periods=100, freq="2D"),
                         "exercise": "single_leg_rdl", "asymmetry_pct": np.linspace(-12, 12, 100)})  # fmt: skip
    pace = pd.DataFrame({"week_start": weeks.repeat(5), "run_type": ["easy", "long", "tempo", "interval", "race"] * 20,
                         "pooled_pace_s_per_km": np.linspace(250, 400, 100)})  # fmt: skip
    calls = [
        lambda ax: plot_e1rm(e1rm, exercise="single_leg_rdl", ax=ax),
        lambda ax: plot_weekly_volume(volume, ax=ax),
        lambda ax: plot_asymmetry(asym, exercise="single_leg_rdl", ax=ax),
        lambda ax: plot_weekly_pace(pace, ax=ax),
    ]
    for call in calls:
        ax = new_ax()
        start = time.process_time()  # CPU time: other processes on a busy machine do not count
        call(ax)
        ax.figure.canvas.draw()
        # budget 0.3 s; the bound leaves room for a slow CI machine
        assert time.process_time() - start < 1.0


# --- the composed figure ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def ana():
    from analysis import read_logs
    from analysis.reassessment import reassess

    log = read_logs(SAMPLE)
    return log, reassess(log.sets, log.runs, athlete="Ana Lopez", end="2026-11-22")


def test_reassessment_figure_on_the_sample_athlete(ana):
    _, r = ana
    fig = reassessment_figure(r)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "Ana Lopez: 4-week block ending 22 Nov 2026"
    axes = fig.axes
    assert len(axes) == 6
    assert [ax.get_ylabel() for ax in axes] == [
        "sessions per week", "volume load (kg)", "e1RM (kg)",
        "asymmetry (%), + = right stronger", "pace (min:s per km)", "easy pace (min:s per km)",
    ]  # fmt: skip
    # the lifts the ranked findings name first: Ana's planted Bulgarian split squat imbalance
    assert axes[2].get_title() == axes[3].get_title() == "Bulgarian split squat"
    left, right = labelled(axes[2], "left")[0], labelled(axes[2], "right")[0]
    assert left.get_marker() != right.get_marker()
    assert left.get_linestyle() != right.get_linestyle()
    assert any(t.startswith("Pearson r = ") and "n = " in t for t in legend_texts(axes[5]))
    assert labelled(axes[5], "fitted line")


def test_reassessment_figure_without_runs_and_chosen_exercises(ana):
    from analysis.reassessment import reassess

    log, _ = ana
    r = reassess(log.sets, None, athlete="Ana Lopez", end="2026-11-22")
    fig = reassessment_figure(r, exercises=["goblet_squat", "single_leg_rdl"])
    assert len(fig.axes) == 4
    assert fig.axes[2].get_title() == "Goblet squat"
    assert fig.axes[3].get_title() == "Single-leg Romanian deadlift"
    fig = reassessment_figure(r, exercises=["goblet_squat"])
    assert [t.get_text() for t in fig.axes[3].texts] == ["no left-right pairs logged"]
    with pytest.raises(TypeError, match=r"expected a Reassessment with a params dict, got dict"):
        reassessment_figure({"params": {}})

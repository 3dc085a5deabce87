"""Tests for analysis.correlate: weekly table, lagged correlations, Holm, rmcorr golden values."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.correlate import (
    CORRELATION_COLUMNS,
    _holm,
    strength_pace_correlation,
)
from analysis.errors import MissingColumnsError
from analysis.rmcorr import rm_corr
from analysis.running import vdot
from analysis.weekly_metrics import weekly_strength_pace

DATA = Path(__file__).parent / "data"
Z = 1.959963984540054


def _sets(rows: list[tuple]) -> pd.DataFrame:
    """Sets from (date, exercise, side, reps, load_kg, warmup) tuples for athlete 'ana'."""
    date, exercise, side, reps, load, warmup = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "athlete": pd.array(["ana"] * len(rows), dtype="string"),
            "date": pd.to_datetime(list(date)).astype("datetime64[us]"),
            "exercise": pd.array(exercise, dtype="string"),
            "side": pd.array(side, dtype="string"),
            "reps": pd.array(reps, dtype="Int64"),
            "load_kg": pd.array(load, dtype="Float64"),
            "warmup": pd.array(warmup, dtype="boolean"),
        }
    )


def _run_frame(rows: list[tuple]) -> pd.DataFrame:
    """Runs from (date, distance_km, duration_s, run_type) tuples for athlete 'ana'."""
    date, dist, dur, kind = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "athlete": pd.array(["ana"] * len(rows), dtype="string"),
            "date": pd.to_datetime(list(date)).astype("datetime64[us]"),
            "distance_km": pd.array(dist, dtype="Float64"),
            "duration_s": pd.array(dur, dtype="Float64"),
            "run_type": pd.array(kind, dtype="string"),
        }
    )


def _weekly(x: list[float | None], y: list[float | None], *, athlete: str = "ana",
            x_name: str = "back_squat_e1rm_kg", y_name: str = "easy_pace_s_per_km") -> pd.DataFrame:  # fmt: skip
    """Weekly long table from two weekly series starting Monday 2025-01-06 (None = no row)."""
    weeks = pd.date_range("2025-01-06", periods=max(len(x), len(y)), freq="7D")
    rows = [
        (athlete, w, x_name, v, "strength") for w, v in zip(weeks, x, strict=False) if v is not None
    ]
    rows += [
        (athlete, w, y_name, v, "pace") for w, v in zip(weeks, y, strict=False) if v is not None
    ]
    return pd.DataFrame(rows, columns=["athlete", "week_start", "metric", "value", "kind"])


# --- weekly_strength_pace --------------------------------------------------------------------


def test_weekly_strength_pace_hand_computed():
    sets = _sets(
        [
            ("2025-03-04", "back_squat", "both", 5, 100.0, True),  # warm-up: ignored
            ("2025-03-04", "back_squat", "both", 5, 60.0, False),  # 60 x (1 + 5/30) = 70
            ("2025-03-06", "back_squat", "both", 1, 75.0, False),  # 1 rep: its own 1RM, 75
            ("2025-03-06", "back_squat", "both", 15, 40.0, False),  # > 12 reps: no e1RM, volume 600
            ("2025-03-06", "bulgarian_split_squat", "left", 10, 36.0, False),  # 36 x 4/3 = 48
            ("2025-03-06", "bulgarian_split_squat", "right", 10, 30.0, False),  # 40
            ("2025-03-11", "plank", "both", None, 0.0, False),  # a hold: no reps, no volume
            ("2025-03-11", "back_squat", "both", 3, 90.0, False),  # 90 x 1.1 = 99
        ]
    )
    runs = _run_frame(
        [
            ("2025-03-03", 10.0, 3000.0, "easy"),
            ("2025-03-05", 5.0, 1600.0, "easy"),
            ("2025-03-07", 8.0, 1920.0, "tempo"),
            ("2025-03-12", 6.0, 1980.0, "easy"),
        ]
    )
    before = sets.copy()
    out = weekly_strength_pace(sets, runs)
    pd.testing.assert_frame_equal(sets, before)
    w1, w2 = pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-10")
    rows = [
        (w1, "best_vdot", vdot(8000, 1920), "pace"),
        (w1, "easy_pace_s_per_km", 4600 / 15, "pace"),  # pooled: 4600 s / 15 km
        (w1, "back_squat_e1rm_kg", 75.0, "strength"),
        (w1, "bulgarian_split_squat_asymmetry_pct", 100 * (40 - 48) / 48, "strength"),
        (w1, "bulgarian_split_squat_left_e1rm_kg", 48.0, "strength"),
        (w1, "bulgarian_split_squat_right_e1rm_kg", 40.0, "strength"),
        (w1, "volume_load_kg", 300 + 75 + 600 + 360 + 300, "strength"),
        (w2, "best_vdot", vdot(6000, 1980), "pace"),
        (w2, "easy_pace_s_per_km", 330.0, "pace"),
        (w2, "back_squat_e1rm_kg", 99.0, "strength"),
        (w2, "volume_load_kg", 270.0, "strength"),
    ]
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ana"] * len(rows), dtype="string"),
            "week_start": pd.to_datetime([r[0] for r in rows]).astype("datetime64[us]"),
            "metric": pd.array([r[1] for r in rows], dtype="string"),
            "value": pd.array([r[2] for r in rows], dtype="Float64"),
            "kind": pd.array([r[3] for r in rows], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(out, expected)


def test_weekly_strength_pace_lifts_and_run_types():
    sets = _sets([("2025-03-04", "back_squat", "both", 5, 60.0, False),
                  ("2025-03-04", "deadlift", "both", 5, 90.0, False)])  # fmt: skip
    runs = _run_frame([("2025-03-03", 10.0, 3000.0, "easy"), ("2025-03-05", 8.0, 1920.0, "tempo")])
    out = weekly_strength_pace(sets, runs, lifts=["deadlift"], pace_run_types=["easy", "tempo"])
    assert out["metric"].tolist() == [
        "best_vdot", "easy_pace_s_per_km", "tempo_pace_s_per_km", "deadlift_e1rm_kg", "volume_load_kg",
    ]  # fmt: skip


def test_weekly_strength_pace_errors():
    sets = _sets([("2025-03-04", "back_squat", "both", 5, 60.0, False)])
    runs = _run_frame([("2025-03-03", 10.0, 3000.0, "easy")])
    with pytest.raises(
        MissingColumnsError,
        match=r"weekly_strength_pace\(\) expected columns .*missing \['warmup'\]",
    ):
        weekly_strength_pace(sets.drop(columns="warmup"), runs)
    with pytest.raises(MissingColumnsError, match=r"missing \['duration_s'\].*pass log.runs"):
        weekly_strength_pace(sets, runs.drop(columns="duration_s"))
    with pytest.raises(
        ValueError, match=r"expected lifts that occur in sets, got \['bak_squat'\] instead"
    ):
        weekly_strength_pace(sets, runs, lifts=["bak_squat"])
    with pytest.raises(ValueError, match=r"expected pace_run_types from .*got \['jog'\] instead"):
        weekly_strength_pace(sets, runs, pace_run_types="jog")
    with pytest.raises(ValueError, match=r"expected max_reps from 1 to 30, got 0 instead"):
        weekly_strength_pace(sets, runs, max_reps=0)


# --- strength_pace_correlation ---------------------------------------------------------------


def test_correlation_hand_computed_frame():
    # x = 1..6, y = 1,3,2,5,4,6: Sxy = 15.5, Sxx = Syy = 17.5 -> r = 0.885714 (ranks = values,
    # so Spearman is the same). Lag-1 autocorrelations: x 8.75 / 17.5 = 0.5, y 1.75 / 17.5 =
    # 0.1, so n_eff = 6 (1 - 0.05) / (1 + 0.05); Holm over the two tests of the athlete.
    out = strength_pace_correlation(
        _weekly([1, 2, 3, 4, 5, 6], [1, 3, 2, 5, 4, 6]), lags=[0], forms="levels"
    )
    r = 15.5 / 17.5
    n_eff = 6 * 0.95 / 1.05
    lo, hi = (
        math.tanh(math.atanh(r) - Z / math.sqrt(n_eff - 3)),
        math.tanh(math.atanh(r) + Z / math.sqrt(n_eff - 3)),
    )
    p = 2 * stats.t.sf(r * math.sqrt((n_eff - 2) / (1 - r * r)), n_eff - 2)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ana"] * 2, dtype="string"),
            "series": pd.array(["levels"] * 2, dtype="string"),
            "strength_metric": pd.array(["back_squat_e1rm_kg"] * 2, dtype="string"),
            "pace_metric": pd.array(["easy_pace_s_per_km"] * 2, dtype="string"),
            "lag_weeks": pd.array([0, 0], dtype="Int64"),
            "method": pd.array(["pearson", "spearman"], dtype="string"),
            "n": pd.array([6, 6], dtype="Int64"),
            "n_eff": pd.array([n_eff] * 2, dtype="Float64"),
            "r": pd.array([r, r], dtype="Float64"),
            "ci_low": pd.array([lo, lo], dtype="Float64"),
            "ci_high": pd.array([hi, hi], dtype="Float64"),
            "p_value": pd.array([p, p], dtype="Float64"),
            "p_adjusted": pd.array([2 * p, 2 * p], dtype="Float64"),
            "verdict": pd.array(["no clear association"] * 2, dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(out.drop(columns="reading"), expected, atol=1e-9)
    assert tuple(out.columns) == CORRELATION_COLUMNS
    assert out["reading"][0] == (
        "No clear association between weekly back squat e1RM and easy pace (Pearson r = 0.89, "
        f"95 % CI {lo:.2f} to {hi:.2f}, n = 6, p = {2 * p:.3f} after adjusting for every test "
        "run); with n = 6, only strong associations could show up."
    )


def test_correlation_matches_scipy_with_gaps_and_lags():
    rng = np.random.default_rng(7)
    x = list(80 + np.arange(12) + rng.normal(0, 1, 12))
    y = list(330 - 1.5 * np.arange(12) + rng.normal(0, 3, 12))
    x[3], y[8] = None, None  # missing weeks stay missing
    out = strength_pace_correlation(_weekly(x, y), forms="levels")
    s = pd.Series(x, dtype=float).dropna()
    pc = pd.Series(y, dtype=float).dropna()
    for lag in range(5):
        shifted = pc.copy()
        shifted.index = shifted.index - lag  # pace of week t + lag paired with strength week t
        both = pd.concat([s, shifted], axis=1, join="inner")
        ref = stats.pearsonr(both[0], both[1])
        row = out[(out["lag_weeks"] == lag) & (out["method"] == "pearson")].iloc[0]
        assert row["n"] == len(both)
        assert row["r"] == pytest.approx(ref.statistic)
        # scipy's t test and Fisher CI with the effective n in place of n
        n_eff = float(row["n_eff"])
        assert n_eff <= len(both)
        t_stat = ref.statistic * math.sqrt((n_eff - 2) / (1 - ref.statistic**2))
        assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(t_stat), n_eff - 2), rel=1e-2)
        rho = stats.spearmanr(both[0], both[1])
        row = out[(out["lag_weeks"] == lag) & (out["method"] == "spearman")].iloc[0]
        assert row["r"] == pytest.approx(rho.statistic)
    # n by hand: strength weeks {0..11} - {3}, pace weeks {0..11} - {8}
    assert out.loc[out["method"] == "pearson", "n"].tolist() == [10, 9, 8, 7, 6]


def test_holm_by_hand():
    # m = 3: 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06; NA not counted
    p = pd.Series([0.04, 0.01, np.nan, 0.03, 0.5])
    groups = [pd.Series(["a", "a", "a", "a", "b"])]
    np.testing.assert_allclose(_holm(p, groups), [0.06, 0.03, np.nan, 0.06, 0.5])


def test_correlation_holm_across_lags():
    out = strength_pace_correlation(
        _weekly(list(range(10)), [5, 3, 4, 1, 2, 0, 1, -1, -2, -4]), method="pearson",
        forms="levels",
    )
    p = out["p_value"].to_numpy(dtype=float)
    order = np.argsort(p)
    adjusted = np.maximum.accumulate(np.minimum(p[order] * (5 - np.arange(5)), 1))
    np.testing.assert_allclose(out["p_adjusted"].to_numpy(dtype=float)[order], adjusted)


def test_correlation_not_enough_data_and_no_variation():
    out = strength_pace_correlation(
        _weekly([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]), lags=[0], method="pearson", forms="levels"
    )
    row = out.iloc[0]
    assert (row["n"], row["verdict"]) == (5, "not enough data")
    assert pd.isna(row["r"])
    assert pd.isna(row["ci_low"])
    assert pd.isna(row["p_adjusted"])
    assert row["reading"] == (
        "Not enough data: 5 paired weeks of back squat e1RM and easy pace, fewer than the 6 needed."
    )
    flat = strength_pace_correlation(
        _weekly([80] * 6, [1, 2, 3, 4, 5, 6]), lags=[1], method="pearson", forms="levels"
    )
    assert flat["verdict"].tolist() == ["not enough data"]  # only 5 pairs at lag 1
    flat = strength_pace_correlation(
        _weekly([80] * 6, [1, 2, 3, 4, 5, 6]), lags=[0], method="pearson", forms="levels"
    )
    assert flat["verdict"].tolist() == ["no variation"]
    assert pd.isna(flat["r"][0])


def test_correlation_pairs_without_overlap_still_get_a_row():
    weekly = pd.concat([_weekly([1] * 6, [None] * 6), _weekly([None] * 6, [None] * 8 + [1] * 6)])
    out = strength_pace_correlation(weekly, lags=[0, 1], method="spearman")
    assert out["n"].tolist() == [0, 0]
    assert out["verdict"].tolist() == ["not enough data"] * 2


def test_correlation_changes_by_hand():
    # levels x: 1, 2, 4, 7, 11, 16, 22, 29 -> changes 1, 2, 3, 4, 5, 6, 7 (7 weeks)
    # levels y: 300, 298, 295, 291, 286, 280, 273, 265 -> changes -2, -3, ..., -8
    weekly = _weekly([1, 2, 4, 7, 11, 16, 22, 29], [300, 298, 295, 291, 286, 280, 273, 265])
    out = strength_pace_correlation(weekly, lags=[0], method="pearson", forms="changes")
    assert (out["n"][0], out["r"][0]) == (7, pytest.approx(-1.0))
    assert out["reading"][0].startswith(
        "Weeks with a larger rise in back squat e1RM than the week before tended to have a larger "
        "improvement (drop in s/km) in easy pace (Pearson r = -1.00"
    )
    gap = _weekly([1, 2, None, 7, 11, 16, 22, 29], [300, 298, 295, 291, 286, 280, 273, 265])
    out = strength_pace_correlation(gap, lags=[0], method="pearson", forms="changes")
    assert out["n"][0] == 5  # the changes into and out of the missing week are missing
    every_other = _weekly([1, None, 3, None, 5, None, 7], [9, None, 7, None, 5, None, 3])
    out = strength_pace_correlation(every_other, lags=[0], method="pearson", forms="changes")
    assert (out["n"][0], out["verdict"][0]) == (0, "not enough data")
    assert out["reading"][0].startswith("Not enough data: 0 paired week-to-week changes")


def test_correlation_reading_for_vdot_and_lag():
    weekly = _weekly([1, 2, 3, 4, 5, 6, 7], [None, 40, 41, 42, 43, 44, 45, 46], y_name="best_vdot")
    out = strength_pace_correlation(weekly, lags=[1], method="pearson", forms="levels")
    assert out["reading"][0].startswith(
        "Weeks with a higher back squat e1RM tended to be followed 1 week later by a higher best VDOT"
    )
    assert "causes" in out["reading"][0]


def test_correlation_metric_selection_and_athletes():
    weekly = pd.concat([_weekly([1, 2, 3, 4, 5, 6], [3, 1, 2, 6, 5, 4]),
                        _weekly([1, 2, 3, 4, 5, 6], [3, 1, 2, 6, 5, 4], athlete="bo")])  # fmt: skip
    out = strength_pace_correlation(weekly, strength_metrics=["back_squat_e1rm_kg"], lags=[0])
    assert out["athlete"].tolist() == ["ana", "ana", "bo", "bo"]
    assert out["method"].tolist() == ["pearson", "spearman"] * 2
    assert isinstance(out.index, pd.RangeIndex)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "kendall"}, r"expected method 'pearson' and/or 'spearman', got 'kendall'"),
        ({"lags": [-1]}, r"expected lags as whole weeks >= 0, got \[-1\] instead"),
        ({"lags": [0.5]}, r"expected lags as whole weeks >= 0"),
        ({"min_n": 5}, r"expected min_n as a whole number >= 6, got 5 instead"),
        (
            {"strength_metrics": ["squat"]},
            r"expected strength metrics from \['back_squat_e1rm_kg'\], got \['squat'\]",
        ),
        (
            {"pace_metrics": "vdot"},
            r"expected pace metrics from \['easy_pace_s_per_km'\], got \['vdot'\]",
        ),
    ],
)
def test_correlation_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        strength_pace_correlation(_weekly([1, 2, 3], [1, 2, 3]), **kwargs)


def test_correlation_rejects_bad_tables():
    weekly = _weekly([1, 2, 3], [1, 2, 3])
    with pytest.raises(MissingColumnsError, match=r"missing \['kind'\].*weekly_strength_pace"):
        strength_pace_correlation(weekly.drop(columns="kind"))
    with pytest.raises(ValueError, match=r"expected kind 'strength' or 'pace', got \['speed'\]"):
        strength_pace_correlation(weekly.assign(kind="speed"))
    with pytest.raises(
        ValueError, match=r"expected one value per athlete, week_start and metric, got 1 duplicate"
    ):
        strength_pace_correlation(pd.concat([weekly, weekly.iloc[:1]]))


weekly_values = st.lists(
    st.one_of(st.none(), st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 2))),
    min_size=8,
    max_size=16,
)


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@settings(max_examples=50, deadline=None)
@given(weekly_values, weekly_values, st.floats(0.1, 20), st.floats(-100, 100))
def test_r_unchanged_by_positive_linear_rescaling(x, y, scale, shift):
    base = strength_pace_correlation(_weekly(x, y))
    rescaled = strength_pace_correlation(
        _weekly([None if v is None else v * scale + shift for v in x], y)
    )
    assert base["n"].tolist() == rescaled["n"].tolist()
    assert base["verdict"].tolist() == rescaled["verdict"].tolist()
    ok = (base["verdict"].isin(["association", "no clear association"])
          & rescaled["verdict"].isin(["association", "no clear association"])).to_numpy()  # fmt: skip
    np.testing.assert_allclose(
        base["r"].to_numpy(dtype=float)[ok], rescaled["r"].to_numpy(dtype=float)[ok], atol=1e-7
    )


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@settings(max_examples=50, deadline=None)
@given(weekly_values, weekly_values, st.integers(1, 4))
def test_lag_shifts_pairs_by_exactly_the_lag(x, y, lag):
    # pace moved k weeks later and correlated at lag k == the original at lag 0
    assume(any(v is not None for v in x))
    at_zero = strength_pace_correlation(_weekly(x, y), lags=[0])
    moved = strength_pace_correlation(_weekly(x, [None] * lag + y), lags=[lag])
    assert moved["n"].tolist() == at_zero["n"].tolist()
    pd.testing.assert_series_equal(moved["r"], at_zero["r"])


# --- rm_corr ---------------------------------------------------------------------------------


def test_rm_corr_bland_altman_golden():
    # Bland JM, Altman DG. Calculating correlation coefficients with repeated observations:
    # Part 1 - correlation within subjects. BMJ 1995;310:446 (pH and PaCO2, 8 subjects, 47 obs);
    # R rmcorr / pingouin: r = -0.5067697, df = 38, p = 0.0008471, 95 % CI [-0.71, -0.23]
    frame = pd.read_csv(DATA / "bland_altman_1995_ph_paco2.csv")
    out = rm_corr(frame, x="pH", y="PacO2", subject="Subject")
    row = out.iloc[0]
    assert row["r"] == pytest.approx(-0.5067697, abs=1e-7)
    assert row["dof"] == 38
    assert row["p_value"] == pytest.approx(0.0008471, abs=1e-7)
    assert (round(row["ci_low"], 2), round(row["ci_high"], 2)) == (-0.71, -0.23)
    assert (row["n_subjects"], row["n"], row["method"], row["verdict"]) == (
        8,
        47,
        "rmcorr",
        "association",
    )
    assert list(out.columns) == [
        "r",
        "dof",
        "p_value",
        "ci_low",
        "ci_high",
        "n_subjects",
        "n",
        "method",
        "verdict",
    ]


def test_rm_corr_equals_pearson_of_centred_values_by_hand():
    # within-subject centred x: -1, 0, 1 for each of 3 subjects; y: -1.5, 0.5, 1 / -1, 0, 1 / -2, 0, 2
    frame = pd.DataFrame(
        {"s": list("aaabbbccc"), "x": [1, 2, 3] * 3, "y": [10, 12, 12.5, 20, 21, 22, 5, 7, 9]}
    )
    out = rm_corr(frame, x="x", y="y", subject="s")
    sxy, sxx, syy = 2.5 + 2 + 4, 6.0, (1.5**2 + 0.5**2 + 1) + 2 + 8
    assert out["r"][0] == pytest.approx(sxy / math.sqrt(sxx * syy))
    assert out["dof"][0] == 9 - 3 - 1


def test_rm_corr_not_enough_subjects_and_errors():
    frame = pd.DataFrame({"s": list("aaabbb"), "x": [1, 2, 3] * 2, "y": [1, 3, 2, 4, 6, 5]})
    out = rm_corr(frame, x="x", y="y", subject="s")
    assert (out["verdict"][0], out["n_subjects"][0]) == ("not enough data", 2)
    assert pd.isna(out["r"][0])
    assert pd.isna(out["p_value"][0])
    with pytest.raises(
        MissingColumnsError, match=r"rm_corr\(\) expected columns .*missing \['z'\]"
    ):
        rm_corr(frame, x="x", y="z", subject="s")
    with pytest.raises(TypeError, match=r"rm_corr\(\) expected a numeric column 'x', got dtype"):
        rm_corr(frame.assign(x=["fast"] * 6), x="x", y="y", subject="s")

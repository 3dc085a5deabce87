"""Tests for the seeded simulator of athletes with planted truth (analysis.sample.simulate)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from analysis import columns as C
from analysis.catalog import exercise_info
from analysis.progression import estimate_1rm
from analysis.sample import sim_lifts as simulate_lifts
from analysis.sample import sim_runs as simulate_runs
from analysis.sample import simulate
from analysis.sample.sim_lifts import step_kg
from analysis.sample.simulate import (
    ASYMMETRY_SCENARIOS,
    LIFT_SCENARIOS,
    SCENARIOS,
    STRENGTH_PACE_SCENARIOS,
    simulate_asymmetry,
    simulate_lift,
    simulate_squad,
    simulate_strength_pace,
)

CATALOG = exercise_info().set_index("exercise")
STATUSES = {"progressing", "holding", "stalled", "regressing", "not enough data"}


def run(scenario: str, seed: int = 0, **kw):
    """(sets, runs or None, truth) of any scenario."""
    if scenario in LIFT_SCENARIOS:
        sets, truth = simulate_lift(scenario, seed=seed, **kw)
        return sets, None, truth
    if scenario in ASYMMETRY_SCENARIOS:
        sets, truth = simulate_asymmetry(scenario, seed=seed, **kw)
        return sets, None, truth
    return simulate_strength_pace(scenario, seed=seed, **kw)


def working(sets: pd.DataFrame) -> pd.DataFrame:
    return sets[~sets["warmup"]]


def slope_per_week(dates: pd.Series, values) -> float:
    weeks = (dates - dates.iloc[0]).dt.days.to_numpy() / 7
    return float(np.polyfit(weeks, np.asarray(values, dtype=float), 1)[0])


def test_docstring_examples():
    for module in (simulate, simulate_lifts, simulate_runs):
        assert doctest.testmod(module).failed == 0


def test_scenario_names():
    assert len(SCENARIOS) == len(set(SCENARIOS)) == 21
    assert SCENARIOS == LIFT_SCENARIOS + ASYMMETRY_SCENARIOS + STRENGTH_PACE_SCENARIOS
    assert "identical_loads" in LIFT_SCENARIOS
    assert "volume_only" in ASYMMETRY_SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_gives_canonical_realistic_sets(scenario):
    sets, runs, truth = run(scenario, seed=11)
    assert dict(sets.dtypes.astype(str)) == C.SETS
    if runs is not None:
        assert dict(runs.dtypes.astype(str)) == C.RUNS
    assert truth["scenario"] == scenario
    assert truth["athlete"] == "Sim"
    assert truth["exercise"] in CATALOG.index
    # days at midnight, within the simulated weeks, which end on a Sunday
    assert (sets["date"] == sets["date"].dt.normalize()).all()
    assert truth["end"].day_name() == "Sunday"
    assert truth["start"].day_name() == "Monday"
    assert sets["date"].between(truth["start"], truth["end"]).all()
    # catalog keys, sides by laterality, set_index 1..n per athlete/date/exercise/side
    assert set(sets["exercise"]) <= set(CATALOG.index)
    unilateral = CATALOG.loc[sets["exercise"], "unilateral"].to_numpy()
    assert (np.where(unilateral, sets["side"] != "both", sets["side"] == "both")).all()
    keys = ["athlete", "date", "exercise", "side"]
    rank = sets.groupby(keys).cumcount() + 1
    assert (sets["set_index"] == rank).all()
    # integer reps; loads on the plate grid; RPE in half points
    reps = sets["reps"].dropna()
    assert (reps >= 1).all()
    assert (reps == reps.round()).all()
    for exercise, load in sets.groupby("exercise")["load_kg"]:
        assert np.allclose(load % step_kg(exercise), 0) or (load == 0).all()
    rpe = sets["rpe"].dropna()
    assert rpe.between(5, 10).all()
    assert (rpe * 2 == (rpe * 2).round()).all()
    assert sets["rpe"][sets["warmup"]].isna().all()
    # warm-ups: first row of the lift that day, lighter than its working sets
    warm = sets[sets["warmup"]]
    assert (warm["set_index"] == 1).all()
    lightest = working(sets).groupby(keys)["load_kg"].min()
    assert (warm.set_index(keys)["load_kg"] < lightest.reindex(warm.set_index(keys).index)).all()
    per_session = working(sets).groupby(["date", "side"]).size()
    assert per_session.min() >= 2
    assert per_session.max() <= 6
    if CATALOG.loc[truth["exercise"], "load_type"] == "external" and scenario != "volume_only":
        assert 0.5 < warm["date"].nunique() / sets["date"].nunique() < 1


def test_holds_and_bodyweight_lifts():
    sets, truth = simulate_lift("hold_up", seed=2)
    assert sets["reps"].isna().all()
    assert (sets["load_kg"] == 0).all()
    assert (sets["duration_s"] % 5 == 0).all()
    assert sets["duration_s"].min() >= 35
    assert sets["duration_s"].max() <= 85
    first, last = sets.groupby("date")["duration_s"].median().iloc[[0, -1]]
    assert first <= 50
    assert last >= 70
    assert truth["metric"] == "hold"
    assert truth["true_change_per_week_s"] > 0
    sets, truth = simulate_lift("bodyweight_foundation", seed=2)
    assert (sets["load_kg"] == 0).all()
    assert not sets["warmup"].any()
    assert slope_per_week(sets["date"], sets["reps"]) > 0.4
    assert truth["exercise"] in ("bodyweight_squat", "glute_bridge")


def test_same_seed_same_frames_and_truth():
    for scenario in ("capacity_noisy", "right_weaker_12", "coupled_changes"):
        a, b = run(scenario, seed=5), run(scenario, seed=5)
        pd.testing.assert_frame_equal(a[0], b[0])
        if a[1] is not None:
            pd.testing.assert_frame_equal(a[1], b[1])
        pd.testing.assert_frame_equal(a[2]["sessions"], b[2]["sessions"])
        assert {k: v for k, v in a[2].items() if not isinstance(v, pd.DataFrame)} == {
            k: v for k, v in b[2].items() if not isinstance(v, pd.DataFrame)
        }
        assert not run(scenario, seed=6)[0].equals(a[0])


@pytest.mark.parametrize(
    ("scenario", "gain"),
    [("capacity_noisy", 1.0), ("falling", -1.5), ("heavy_light", 2.5), ("linear", None)],
)
def test_true_e1rm_slope_is_the_planted_one(scenario, gain):
    slopes, planted = [], []
    for seed in range(40):
        _sets, truth = simulate_lift(scenario, seed=seed)
        ss = truth["sessions"]
        assert slope_per_week(ss["date"], ss["true_e1rm_kg"]) == pytest.approx(
            truth["true_change_per_week_kg"]
        )
        slopes.append(slope_per_week(ss["date"], ss["daily_e1rm_kg"]))
        planted.append(truth["true_change_per_week_kg"])
    if gain is not None:
        assert planted[0] == gain
    # the day-to-day noise averages out over athletes
    assert np.mean(slopes) == pytest.approx(np.mean(planted), abs=0.15)


def test_day_to_day_noise_has_the_planted_cv():
    ratios = []
    for seed in range(20):
        _, truth = simulate_lift("flat", seed=seed)
        ss = truth["sessions"]
        ratios.append(np.log(ss["daily_e1rm_kg"] / ss["true_e1rm_kg"]))
    assert np.std(np.concatenate(ratios)) == pytest.approx(0.03, abs=0.004)


def test_rpe_is_the_reps_in_reserve_of_the_daily_e1rm():
    errors, rpe_days, no_rpe_days = [], [], []
    for seed in range(20):
        sets, truth = simulate_lift("capacity_noisy", seed=seed)
        w = working(sets).dropna(subset=["rpe"])
        chart = estimate_1rm(
            w["load_kg"].to_numpy(float), w["reps"].to_numpy(float), rpe=w["rpe"].to_numpy(float)
        )
        daily = truth["sessions"].set_index("date")["daily_e1rm_kg"].reindex(w["date"])
        errors.append(chart / daily.to_numpy() - 1)
        share = working(sets)["rpe"].notna().mean()
        assert 0.3 < share < 0.7  # about half the sets
        _, truth = simulate_lift("rpe_mixed", seed=seed)
        mixed, _ = simulate_lift("rpe_mixed", seed=seed)
        logged = working(mixed).groupby("date")["rpe"].apply(lambda r: r.notna().all())
        none = working(mixed).groupby("date")["rpe"].apply(lambda r: r.isna().all())
        assert (logged | none).all()  # RPE on whole sessions or not at all
        current = logged.index >= truth["current_block_start"]
        rpe_days.append(logged[current].mean())
        no_rpe_days.append(logged[~current].mean())
    errors = np.concatenate(errors)
    assert abs(np.nanmean(errors)) < 0.01
    assert np.nanstd(errors) < 0.04
    assert np.mean(rpe_days) > 0.6
    assert np.mean(no_rpe_days) < 0.4


def test_fixed_prescriptions():
    sets, truth = simulate_lift("flat", seed=3)
    w = working(sets)
    assert w["load_kg"].nunique() == 1
    assert truth["true_change_per_week_kg"] == 0
    assert (w["reps"] == 8).mean() > 0.6
    assert w["reps"].between(6, 9).all()
    assert truth["expected_status"] == "stalled"
    assert truth["stalled_since_week"] == 1
    sets, truth = simulate_lift("sets_up", seed=3)
    per_day = working(sets).groupby("date").size()
    assert per_day.iloc[0] == 3
    assert per_day.iloc[-1] == 6
    assert per_day.is_monotonic_increasing
    assert working(sets)["load_kg"].nunique() == 1
    assert truth["metric"] == "sets"
    sets, truth = simulate_lift("reps_up", seed=3)
    prescribed = truth["sessions"]["target"]
    assert prescribed.iloc[0] == 8
    assert prescribed.iloc[-1] == 13
    assert working(sets)["load_kg"].nunique() == 1
    sets, truth = simulate_lift("linear", seed=3)
    loads = working(sets).groupby("date")["load_kg"].max()
    assert loads.is_monotonic_increasing
    assert set(np.diff(loads.unique())) == {2.5}
    assert 1.5 <= truth["weeks_per_step"] <= 2.0
    sets, truth = simulate_lift("heavy_light", seed=3)
    assert set(working(sets)["reps"]) <= {3, 4, 5, 6, 9, 10, 11}
    assert truth["heavy_pct"] > truth["light_pct"]


def test_deload_week_is_in_the_truth():
    kinds = set()
    for seed in range(8):
        _sets, truth = simulate_lift("deload", seed=seed)
        assert truth["deload_week"] in (8, 9)
        kinds.add(truth["deload_kind"])
        ss = truth["sessions"]
        deload, before = ss[ss["week"] == truth["deload_week"]], ss[ss["week"] < 8]
        if truth["deload_kind"] == "sets":
            assert (deload["n_sets"] == 2).all()
            assert (before["n_sets"] == 4).all()
        else:
            assert (deload["load_kg"] < 0.7 * before["load_kg"].max()).all()
    assert kinds == {"load", "sets"}


def test_identical_loads_and_new_lift():
    sets, truth = simulate_lift("identical_loads", seed=4)
    w = working(sets)
    days = w["date"].drop_duplicates()
    previous = days[(days >= truth["previous_block_start"]) & (days < truth["current_block_start"])]
    assert len(previous) == 3
    assert days.min() >= truth["previous_block_start"]
    assert w["load_kg"].nunique() == 1
    short = w[w["reps"] != 8]
    assert len(short) == 1
    assert short["date"].iloc[0] == truth["blip_date"]
    assert set(truth["acceptable_statuses"]) == {"not enough data", "holding", "stalled"}
    sets, truth = simulate_lift("new_lift", seed=4)
    assert sets["date"].min() >= truth["current_block_start"]
    assert truth["first_week"] == 9
    assert truth["not_started_weeks"] == tuple(range(1, 9))
    assert truth["expected_status"] in STATUSES


def test_asymmetry_truth_is_the_planted_gap():
    _sets, truth = simulate_asymmetry("right_weaker_12", seed=1)
    assert truth["weaker_side"] == "right"
    assert truth["true_gap_pct"] == pytest.approx(12)
    assert truth["true_asymmetry_pct"] == pytest.approx(-12)
    ss = truth["sessions"].pivot(index="date", columns="side", values="true_e1rm_kg")
    gap = 100 * (1 - ss.min(axis=1) / ss.max(axis=1))
    assert np.allclose(gap, 12)
    odd = ss.loc[truth["odd_session_date"]]
    assert odd["left"] < odd["right"]
    assert (ss.drop(truth["odd_session_date"]).eval("right < left")).all()
    _, truth = simulate_asymmetry("closing_15_to_5", seed=1)
    assert truth["weaker_side"] == "left"
    assert truth["expected_trend"] == "closing"
    left = truth["sessions"].query("side == 'left'")
    assert left["gap_pct"].iloc[0] == pytest.approx(15, abs=0.2)
    assert left["gap_pct"].iloc[-1] == pytest.approx(5, abs=0.2)
    assert truth["true_gap_pct_previous"] > truth["true_gap_pct"] > 5
    _, truth = simulate_asymmetry("symmetric", seed=1)
    assert truth["weaker_side"] == "none"
    assert truth["true_gap_pct"] == 0
    assert truth["expected_status"] == "balanced"


def test_logged_gap_shows_the_weaker_side():
    gaps = []
    for seed in range(20):
        sets, _truth = simulate_asymmetry("right_weaker_12", seed=seed)
        w = working(sets)
        e1rm = estimate_1rm(w["load_kg"].to_numpy(float), w["reps"].to_numpy(float))
        best = w.assign(e1rm=e1rm).groupby(["date", "side"])["e1rm"].max().unstack()
        gaps.append((100 * (1 - best["right"] / best["left"])).median())
    assert np.median(gaps) == pytest.approx(12, abs=3)


def test_volume_only_and_bodyweight_loaded():
    sets, truth = simulate_asymmetry("volume_only", seed=2)
    w = working(sets)
    by_side = w.groupby("side").agg(load=("load_kg", "max"), reps=("reps", "median"))
    n_sets = w.groupby(["date", "side"]).size().unstack()
    assert by_side.loc["left", "load"] < by_side.loc["right", "load"]
    assert (n_sets["left"] == 3).all()
    assert (n_sets["right"] == 2).all()
    assert by_side["reps"].tolist() == [20, 20]
    assert truth["weaker_side"] == "left"
    sets, truth = simulate_asymmetry("bodyweight_loaded", seed=2)
    assert truth["exercise"] == "step_up"
    assert 55 <= truth["bodyweight_kg"] <= 78
    assert truth["bodyweight_fraction"] == 0.8
    assert truth["weaker_side"] in ("left", "right")
    w = working(sets)
    reps = w.groupby("side")["reps"].mean()
    assert reps[truth["weaker_side"]] < reps.drop(truth["weaker_side"]).iloc[0]


def test_strength_pace_runs_and_planted_correlation():
    _sets, runs, truth = simulate_strength_pace("independent_trends", seed=1)
    per_week = runs.groupby(runs["date"].dt.to_period("W")).size()
    assert per_week.between(3, 4).all()
    assert len(per_week) == 12
    assert set(runs["run_type"]) == {"easy", "tempo", "long"}
    assert np.allclose(runs["pace_s_per_km"], runs["duration_s"] / runs["distance_km"])
    weekly = truth["weekly"]
    assert slope_per_week(weekly["week_start"], weekly["true_e1rm_kg"]) == pytest.approx(1, abs=0.5)
    assert not truth["expected_association"]
    coupled = [simulate_strength_pace("coupled_changes", seed=s)[2] for s in range(30)]
    assert all(t["expected_association"] and t["true_r_changes"] == -0.6 for t in coupled)
    assert np.mean([t["realised_r_changes"] for t in coupled]) == pytest.approx(-0.6, abs=0.12)
    alone = [simulate_strength_pace("independent_noise", seed=s)[2] for s in range(30)]
    assert np.mean([t["realised_r_changes"] for t in alone]) == pytest.approx(0, abs=0.15)


def test_squad_mixed_and_mid_block_start():
    sets, runs, truth = simulate_squad(26, "mixed", seed=9)
    assert runs is None
    assert dict(sets.dtypes.astype(str)) == C.SETS
    assert sorted(truth["scenario"].unique()) == sorted(LIFT_SCENARIOS)
    assert truth["athlete"].tolist()[:2] == ["Sim 001", "Sim 002"]
    assert set(truth["expected_status"]) <= STATUSES
    assert (sets["source_row"] == np.arange(len(sets)) + 2).all()
    sets, runs, truth = simulate_squad(12, "flat", seed=9, mid_block_start=True)
    for row in truth.itertuples():
        first = sets.loc[sets["athlete"] == row.athlete, "date"].min()
        assert first >= row.start + pd.Timedelta(weeks=row.first_week - 1)
        assert row.not_started_weeks == tuple(range(1, row.first_week))
        assert row.first_week in (6, 7, 10, 11)
        if row.first_week > 8:
            assert row.expected_status == "not enough data"
        assert "not enough data" in row.acceptable_statuses
    sets, runs, truth = simulate_squad(3, "coupled_changes", seed=9)
    assert dict(runs.dtypes.astype(str)) == C.RUNS
    assert runs["athlete"].nunique() == 3
    assert "weekly" not in truth
    assert len(truth) == 3
    _, _, truth = simulate_squad(2, "right_weaker_12", seed=9)
    assert truth["weaker_side"].tolist() == ["right", "right"]


def test_unilateral_lift_scenario_has_both_sides():
    sets, truth = simulate_lift("flat", seed=1, exercise="bulgarian_split_squat")
    assert truth["side"] == ("left", "right")
    assert (sets.groupby("side").size().loc[["left", "right"]].nunique()) == 1
    _, _, table = simulate_squad(1, "flat", seed=1)
    assert table["side"].tolist() == ["both"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate_lift("nope", seed=1), "expected scenario in"),
        (lambda: simulate_lift("linear", seed="1"), "integer seed"),
        (lambda: simulate_lift("linear", seed=1, weeks=4), "weeks from 8"),
        (lambda: simulate_lift("linear", seed=1, exercise="plank"), "external exercise"),
        (lambda: simulate_lift("hold_up", seed=1, exercise="squatz"), "catalog key"),
        (lambda: simulate_asymmetry("symmetric", seed=1, exercise="back_squat"), "single-leg"),
        (lambda: simulate_lift("linear", seed=1, first_week=13), "first_week"),
        (lambda: simulate_squad(0, "flat", seed=1), "positive integer n"),
    ],
)
def test_bad_arguments_raise_one_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()

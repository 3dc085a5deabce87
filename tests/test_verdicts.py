"""The verdicts of a reassessment, one hand-made log per way they used to mislead (issue 14).

Each test names the failure it pins. Dates: blocks of 4 weeks ending Sunday 22 Nov 2026
(current block 26 Oct - 22 Nov, previous 28 Sep - 25 Oct); sessions on Tuesdays and Fridays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import columns as C
from analysis import reassess
from analysis.reassessment import asymmetry_status, lift_status
from analysis.weekly_metrics import weekly_strength_pace

END = "2026-11-22"
FIRST_TUE = pd.Timestamp("2026-08-04")


def sessions(weeks: int, start: pd.Timestamp = FIRST_TUE, end: str = END) -> list[pd.Timestamp]:
    """Tuesdays and Fridays from ``start`` for ``weeks`` weeks, up to ``end``."""
    days = []
    for w in range(weeks):
        for d in (0, 3):
            day = start + pd.Timedelta(days=7 * w + d)
            if day <= pd.Timestamp(end):
                days.append(day)
    return days


def lift(days, loads, reps, *, exercise="back_squat", side="both", sets=3, rpe=None,
         athlete="Ann", duration=None) -> pd.DataFrame:  # fmt: skip
    """``sets`` working sets per session at ``loads[i]`` x ``reps[i]`` (scalars broadcast)."""
    n = len(days)
    loads, reps = np.broadcast_to(loads, n), np.broadcast_to(reps, n)
    sets_n = np.broadcast_to(sets, n)
    rpes = np.broadcast_to(np.nan if rpe is None else rpe, n)
    holds = np.broadcast_to(np.nan if duration is None else duration, n)
    rows = [
        {"date": d, "load_kg": float(w), "reps": r, "set_index": k + 1, "rpe": p,
         "duration_s": h}
        for d, w, r, s, p, h in zip(days, loads, reps, sets_n, rpes, holds, strict=True)
        for k in range(int(s))
    ]  # fmt: skip
    frame = pd.DataFrame(rows).assign(
        athlete=athlete, exercise=exercise, exercise_raw=exercise, side=side, warmup=False
    )
    return C.conform(frame, C.SETS)


def status_of(sets: pd.DataFrame, **kw) -> pd.Series:
    out = lift_status(sets, end=kw.pop("end", END), **kw)
    assert len(out) == 1, out
    return out.iloc[0]


# --- lift status ----------------------------------------------------------------------------------


def test_steady_small_steps_are_progress_not_a_stall() -> None:
    # a real Strong bench went 77.6 -> 171.9 kg e1RM in small steps and was "not gone up for
    # 269 weeks": a gain had to beat every earlier session by the typical error
    days = sessions(16)
    loads = 60 + 2.5 * (np.arange(len(days)) // 3)  # +2.5 kg every 1.5 weeks
    row = status_of(lift(days, loads, 5))
    assert row["status"] == "progressing"
    assert row["weeks_since_progress"] < 3


def test_a_deload_week_pauses_the_clock_and_is_reported() -> None:
    days = sessions(16)
    loads = 60 + 2.5 * (np.arange(len(days)) // 4)
    deload_week = [i for i, d in enumerate(days) if pd.Timestamp("2026-11-09") <= d < pd.Timestamp("2026-11-16")]
    sets = lift(days, np.where(np.isin(np.arange(len(days)), deload_week), loads * 0.6, loads), 5)
    row = status_of(sets)
    assert row["status"] == "progressing"
    assert row["deload_weeks"] == 1
    assert "deload week" in row["evidence"]


def test_heavy_and_light_days_are_compared_like_with_like() -> None:
    # "within the noise of 47.5 kg": the best of mixed sessions hides a rise on both days
    days = sessions(16)
    week = np.array([(d - FIRST_TUE).days // 7 for d in days])
    heavy = np.arange(len(days)) % 2 == 0
    loads = np.where(heavy, 80 + 2.5 * week, 55 + 2.5 * week)
    reps = np.where(heavy, 5, 10)
    row = status_of(lift(days, loads, reps))
    assert row["status"] == "progressing"


def test_more_sets_at_one_load_is_progress() -> None:
    days = sessions(16)
    n_sets = 3 + np.arange(len(days)) // 8  # 3 -> 4 -> 5 sets
    row = status_of(lift(days, 40.0, 10, sets=n_sets))
    assert row["status"] == "progressing"
    assert row["metric"] == "sets"


def test_a_lift_has_one_status_and_one_finding() -> None:
    # "has not gone up for 5 weeks" and "rose 4.4 kg, more than the noise" in one report
    days = sessions(16)
    loads = np.r_[60 + 2.5 * (np.arange(16) // 2), np.full(len(days) - 16, 77.5)]
    r = reassess(lift(days, loads, 5), athlete="Ann", end=END)
    found = r.findings[r.findings["topic"] == "strength"]
    assert len(found) == 1
    assert len(r.lift_status) == 1


def test_one_e1rm_method_per_lift_no_fake_drop() -> None:
    # sessions with an RPE used the chart, the others Epley: a fake 4.3 kg drop
    days = sessions(16)
    rpe = np.where(np.arange(len(days)) % 3 == 0, 8.0, np.nan)  # RPE on some sessions only
    row = status_of(lift(days, 100.0, 5, rpe=rpe))
    assert row["method"] == "epley"
    assert row["status"] in ("stalled", "holding")


def test_a_zero_noise_estimate_never_makes_a_change_real() -> None:
    # identical prescribed loads: SD 0 made any change "real"; one rep less once is not a drop
    days = sessions(6, start=pd.Timestamp("2026-10-13"))
    reps = np.full(len(days), 8)
    reps[-2] = 7
    row = status_of(lift(days, 40.0, reps, sets=1))
    assert row["status"] != "regressing"
    assert row["ci_high"] - row["ci_low"] > 0  # never a zero-width CI


def test_block_uncertainty_shrinks_with_n() -> None:
    # the same spread of session loads, with twice the sessions: a narrower CI
    days = sessions(16)
    pattern = np.array([97.5, 100.0, 102.5, 100.0])
    many = status_of(lift(days, np.resize(pattern, len(days)), 5))
    few = status_of(lift(days[::2], np.resize(pattern[[0, 2]], len(days[::2])), 5))
    assert few["n_current"] < many["n_current"]
    assert (many["ci_high"] - many["ci_low"]) < (few["ci_high"] - few["ci_low"])


def test_a_lift_new_this_block_or_without_an_e1rm_still_gets_a_status_and_a_finding() -> None:
    # a bodyweight foundation phase or a new lift got no finding at all
    days = sessions(16)
    bodyweight = lift(days, 0.0, 10 + np.arange(len(days)) // 4, exercise="bodyweight_squat")
    new = lift([d for d in days if d >= pd.Timestamp("2026-10-26")], 40.0, 8, exercise="hip_thrust")
    r = reassess(pd.concat([bodyweight, new], ignore_index=True), athlete="Ann", end=END)
    status = r.lift_status.set_index("exercise")["status"]
    assert status["bodyweight_squat"] == "progressing"
    assert status["hip_thrust"] == "not enough data"
    named = set(r.findings["exercise"].dropna())
    assert {"bodyweight_squat", "hip_thrust"} <= named


def test_flat_lift_trained_regularly_is_stalled_with_the_date_of_its_last_best() -> None:
    days = sessions(16)
    loads = np.r_[50 + 2.5 * (np.arange(8) // 2), np.full(len(days) - 8, 57.5)]
    row = status_of(lift(days, loads, 8))
    assert row["status"] == "stalled"
    assert row["weeks_since_progress"] >= 3
    assert pd.Timestamp(row["last_progress"]) < pd.Timestamp("2026-10-26")


def test_falling_lift_is_regressing() -> None:
    days = sessions(16)
    loads = 80 - 2.5 * (np.arange(len(days)) // 3)
    assert status_of(lift(days, loads, 5))["status"] == "regressing"


# --- left-right status ----------------------------------------------------------------------------


def single_leg(days, left, right, reps=8, *, exercise="bulgarian_split_squat", sets=3):
    return pd.concat(
        [lift(days, left, reps, exercise=exercise, side="left", sets=sets),
         lift(days, right, reps, exercise=exercise, side="right", sets=sets)],
        ignore_index=True,
    )  # fmt: skip


def test_weaker_side_is_the_consistently_weaker_one_despite_one_odd_session() -> None:
    # the sign of the mean named the side, so one odd session flipped it ("left stronger in 3 of 4")
    days = sessions(16)
    right = np.full(len(days), 22.0)
    left = np.full(len(days), 26.0)
    left[-1] = 14.0  # one odd session: the left side much weaker that day
    row = asymmetry_status(single_leg(days, left, right), end=END).iloc[0]
    assert row["weaker_side"] == "right"
    assert row["consistency"] == pytest.approx(7 / 8)
    assert row["ci_low"] < row["gap_pct"] < row["ci_high"]


def test_volume_fallback_compares_set_against_set_not_set_count() -> None:
    # 3 x 20 @ 10 kg vs 2 x 20 @ 12 kg: the 10 kg side was "stronger" by total volume
    days = sessions(16)
    sets = pd.concat(
        [lift(days, 10.0, 20, exercise="reverse_lunge", side="left", sets=3),
         lift(days, 12.0, 20, exercise="reverse_lunge", side="right", sets=2)],
        ignore_index=True,
    )  # fmt: skip
    row = asymmetry_status(sets, end=END).iloc[0]
    assert row["metric"] == "set_volume_kg"
    assert row["weaker_side"] == "left"


def test_body_mass_is_added_to_loaded_bodyweight_single_leg_lifts() -> None:
    days = sessions(16)
    sets = single_leg(days, 10.0, 12.0, exercise="step_up")
    bw = pd.DataFrame({"athlete": ["Ann"], "date": [pd.Timestamp("2026-08-01")], "bodyweight_kg": [70.0]})
    without = asymmetry_status(sets, end=END).iloc[0]
    with_bw = asymmetry_status(sets, end=END, bodyweight=bw).iloc[0]
    assert without["gap_pct"] == pytest.approx(100 * 2 / 12, rel=1e-6)
    # 10 + 0.8 x 70 = 66 kg against 68 kg
    assert with_bw["gap_pct"] == pytest.approx(100 * 2 / 68, rel=1e-6)


def test_a_closing_gap_is_found_with_block_means_not_a_single_session_threshold() -> None:
    # the MDC95 of one session applied to block means ignored n: a true 8-point drop was
    # found 10-23 % of the time
    days = sessions(16)
    prev = np.array(days) < pd.Timestamp("2026-10-26")
    right = np.full(len(days), 50.0)
    left = np.where(prev, 44.0, 48.0)  # 12 % -> 4 %
    rng = np.random.default_rng(1)
    left = left + rng.choice([-1.0, 0.0, 1.0], len(days))
    row = asymmetry_status(single_leg(days, left, right), end=END).iloc[0]
    assert row["trend"] == "closing"
    assert row["trend_ci_high"] < 0


def test_symmetric_sides_are_balanced() -> None:
    days = sessions(16)
    rng = np.random.default_rng(2)
    left = 30 + rng.choice([-2.0, 0.0, 2.0], len(days))
    right = 30 + rng.choice([-2.0, 0.0, 2.0], len(days))
    row = asymmetry_status(single_leg(days, left, right), end=END).iloc[0]
    assert (row["status"], row["weaker_side"]) == ("balanced", "none")


# --- strength and pace, adherence -----------------------------------------------------------------


def runs_frame(days, paces, athlete="Ann") -> pd.DataFrame:
    frame = pd.DataFrame(
        {"athlete": athlete, "date": days, "distance_km": 8.0, "run_type": "easy",
         "duration_s": 8.0 * np.asarray(paces)}
    )  # fmt: skip
    return C.conform(frame, C.RUNS)


def test_independent_trending_strength_and_pace_are_not_called_associated() -> None:
    # levels led: all five sample athletes showed r = -0.73 to -0.93 with nothing planted
    days = sessions(16)
    rng = np.random.default_rng(4)
    sets = lift(days, 60 + 2.5 * (np.arange(len(days)) // 3), 5)
    run_days = [d + pd.Timedelta(days=1) for d in days]
    runs = runs_frame(run_days, 360 - 1.0 * np.arange(len(days)) + rng.normal(0, 4, len(days)))
    r = reassess(sets, runs, athlete="Ann", end=END)
    corr = r.correlation
    levels = corr[(corr["series"] == "levels") & corr["r"].notna()]
    assert (levels["r"] < -0.5).any()  # the shared trend is there in the levels ...
    assert not (r.findings["topic"].eq("correlation") & r.findings["finding"].str.startswith("Weeks with")).any()
    assert (corr["n_eff"] <= corr["n"]).all()
    assert weekly_strength_pace(sets, runs)["metric"].nunique() >= 2


def test_weeks_before_the_first_session_are_not_started_not_missed() -> None:
    # an athlete who starts mid-block was told the weeks before the first session were missed
    days = sessions(4, start=pd.Timestamp("2026-11-03"))
    r = reassess(lift(days, 40.0, 8), athlete="Ann", end=END)
    adh = r.adherence
    assert adh["week_start"].min() == pd.Timestamp("2026-11-02")
    text = " ".join(r.findings["finding"])
    assert "26 Oct" not in text
    assert "below the target" not in text


# --- options, purity, empty input ---------------------------------------------------------------


def test_lift_status_option_errors_are_pinned() -> None:
    sets = lift(sessions(4), 40.0, 8)
    with pytest.raises(ValueError, match=r"lift_status\(\) expected end to be a date such as"):
        lift_status(sets, end="soon")
    with pytest.raises(ValueError, match=r"stall_weeks expected a positive number of weeks, got 0"):
        lift_status(sets, stall_weeks=0)
    with pytest.raises(ValueError, match=r"min_sessions expected an integer from 1 to 1000"):
        lift_status(sets, min_sessions=0)
    with pytest.raises(ValueError, match=r"formula expected one of"):
        lift_status(sets, formula="nope")
    with pytest.raises(TypeError, match=r"lift_status\(\) expected a pandas DataFrame, got list"):
        lift_status([1, 2])


def test_verdicts_do_not_change_their_input_and_handle_empty_logs() -> None:
    sets = single_leg(sessions(16), 20.0, 22.0)
    before = sets.copy(deep=True)
    lift_status(sets, end=END)
    asymmetry_status(sets, end=END)
    pd.testing.assert_frame_equal(sets, before)
    assert lift_status(C.empty(C.SETS)).empty
    assert asymmetry_status(C.empty(C.SETS)).empty

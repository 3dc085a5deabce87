"""Next-block outlook (analysis.outlook): planted histories whose outcome we know.

Every lift here is logged as one single-rep set a week, so the session e1RM is the load and
the weekly best is that load (a 1-rep set is its own 1RM).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from analysis.columns import NOT_ENOUGH_HISTORY, NOT_RECENT, OUTLOOK, RUNS, SETS, empty
from analysis.errors import MissingColumnsError
from analysis.outlook import lift_outlook, race_outlook
from analysis.running import format_pace, riegel_time, vdot

LIFT_COLUMNS = [
    "athlete", "exercise", "side", "current_kg", "expected_kg", "pi_low_kg", "pi_high_kg",
    "level", "horizon_weeks", "history_weeks", "n_sessions", "backtest_n", "backtest_coverage",
    "method", "status", "evidence",
]  # fmt: skip
RACE_COLUMNS = [
    "athlete", "distance_km", "current_time_s", "expected_time_s", "pi_low_s", "pi_high_s",
    "level", "horizon_weeks", "history_weeks", "n_runs", "backtest_n", "backtest_coverage",
    "method", "status", "evidence",
]  # fmt: skip
HALF_M = 21_097.5


def weekly_singles(
    loads, *, start="2026-03-02", athlete="A", exercise="back_squat"
) -> pd.DataFrame:
    """One single (1 rep) a week, on the Monday, at each load."""
    loads = np.asarray(loads, dtype=float)
    return pd.DataFrame(
        {
            "athlete": athlete,
            "date": pd.date_range(start, periods=len(loads), freq="7D"),
            "exercise": exercise,
            "side": "both",
            "reps": 1,
            "load_kg": loads,
            "rpe": np.nan,
            "warmup": False,
        }
    )


# --- 1. backtest coverage on a planted history --------------------------------------------------


def test_backtest_coverage_is_the_hand_count_on_a_planted_history() -> None:
    # Weeks w = 0..12 (week 12 holds the end): 100 + w kg, except +3 kg in week 7 (110) and
    # -10 kg in week 12 (102). Horizon 4, lookback 8: origin o needs 4 weekly bests in
    # w = o-7..o, so the checked origins are o = 3..8, outcomes w = 7..12 (backtest_n = 6).
    # Load step 1 kg, so no interval is narrower than 1 kg.
    # o=3..6: lines through perfect points, no errors known yet: expected 100 + o + 4 +- 0.5.
    #   o=3 expects 107, week 7 was 110: MISSED. o=4, 5, 6 expect 108, 109, 110: held.
    # o=7: window w = 0..7 with 110 last: 21 pair slopes of 1, 7 above, median 1; intercept
    #   median(y) - median(x) = 103.5 - 3.5 = 100, so 111 expected; s = sqrt(9 / 6), the fit's
    #   80 % interval +- t(6) s sqrt(1 + 1/8 + 7.5^2/42) = +-2.77; one error known (+3), too few
    #   for its own interval: 108.2-113.8, week 11 was 111: held.
    # o=8: window w = 1..8: slope 1, intercept 104.5 - 4.5 = 100, 112 expected; errors known
    #   +3 and 0: mean 1.5 +- t(1) sd sqrt(1.5) = +-8.0 is wider than the fit's +-2.77:
    #   105.5-121.5, week 12 was 102: MISSED.
    # Held 4 of 6.
    loads = 100.0 + np.arange(13)
    loads[7] += 3
    loads[12] -= 10
    out = lift_outlook(weekly_singles(loads))
    assert out["backtest_n"].tolist() == [6]
    assert out["backtest_coverage"].tolist() == [pytest.approx(4 / 6, abs=1e-3)]
    assert out["status"].tolist() == [OUTLOOK]
    assert "4 of 6 earlier 4-week outlooks held" in out["evidence"][0]

    # Ending a week earlier leaves out the outcome of o=8 (week 12): held 4 of 5.
    before = lift_outlook(weekly_singles(loads), end="2026-05-24")
    assert before["backtest_n"].tolist() == [5]
    assert before["backtest_coverage"].tolist() == [0.8]


def test_a_perfect_line_gives_the_line_and_a_one_step_interval() -> None:
    out = lift_outlook(weekly_singles(80.0 + np.arange(14)))
    row = out.iloc[0]
    assert (row["current_kg"], row["expected_kg"]) == (93.0, 97.0)
    assert (row["pi_low_kg"], row["pi_high_kg"]) == (96.5, 97.5)  # one 1 kg load step wide
    assert (row["backtest_n"], row["backtest_coverage"]) == (7, 1.0)
    assert row["method"] == "theil_sen_t"
    assert row["evidence"] == (
        "Back squat: about 97 kg at the end of the next block (week of 2026-06-29; 80 % "
        "interval 96.5-97.5 kg), if the last 8 weeks' trend (+1 kg/week) continues; 7 of 7 "
        "earlier 4-week outlooks held."
    )


@pytest.fixture(scope="module")
def squad() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """400 athletes, 40 weeks of history each: a linear trend plus Gaussian noise of SD 1 or 4 kg.

    Returns the outlook, the held-out outcome (week 43, four weeks after the end), each
    athlete's noise SD, and the sets.
    """
    rng = np.random.default_rng(19)
    athletes, history, horizon = 400, 40, 4
    sd = np.where(np.arange(athletes) % 2, 4.0, 1.0)
    slope = rng.uniform(-0.5, 1.5, athletes)
    w = np.arange(history + horizon)
    truth = 100 + slope[:, None] * w + rng.normal(0, 1, (athletes, len(w))) * sd[:, None]
    days = pd.date_range("2025-01-06", periods=history, freq="7D")
    sets = pd.DataFrame(
        {
            "athlete": np.repeat([f"A{i:03d}" for i in range(athletes)], history),
            "date": np.tile(days, athletes),
            "exercise": "back_squat",
            "side": "both",
            "reps": 1,
            "load_kg": np.round(truth[:, :history], 2).ravel(),
            "rpe": np.nan,
            "warmup": False,
        }
    )
    return lift_outlook(sets), truth[:, history - 1 + horizon], sd, sets


def test_simulated_coverage_is_near_the_nominal_level(squad) -> None:
    out, future, _, _ = squad
    assert (out["status"] == OUTLOOK).all()
    assert (out["method"] == "theil_sen_conformal").all()  # 26 earlier errors each
    low, high = out["pi_low_kg"].to_numpy(float), out["pi_high_kg"].to_numpy(float)
    held = (low <= future) & (future <= high)
    # Split-conformal ranks 2 and 25 of 26 errors hold with probability 23/27 = 0.85 >= 0.8;
    # binomial SE on 400 athletes is 0.02. Tolerance: 0.1 around the nominal 0.8.
    assert abs(held.mean() - 0.8) <= 0.1
    # the athletes' own backtests say the same
    assert abs(out["backtest_coverage"].mean() - 0.8) <= 0.1
    assert (out["backtest_n"] >= 30).all()


def test_intervals_are_wider_for_noisier_athletes(squad) -> None:
    out, _, sd, _ = squad
    width = (out["pi_high_kg"] - out["pi_low_kg"]).to_numpy(float)
    quiet, noisy = width[sd == 1.0], width[sd == 4.0]
    # the width follows the noise (SD 4 vs 1), not a constant band
    assert 3.0 < np.median(noisy) / np.median(quiet) < 5.0
    assert np.median(quiet) < np.percentile(noisy, 5)


def test_a_higher_level_gives_a_wider_interval(squad) -> None:
    _, _, _, sets = squad
    some = sets[sets["athlete"] < "A040"]
    width = {}
    for level in (0.5, 0.8, 0.95):
        out = lift_outlook(some, level=level)
        width[level] = (out["pi_high_kg"] - out["pi_low_kg"]).to_numpy(float)
    assert (width[0.5] <= width[0.8]).all()
    assert (width[0.8] <= width[0.95]).all()
    assert np.median(width[0.95]) > 1.3 * np.median(width[0.8])


def test_only_the_weekly_best_session_counts() -> None:
    best = weekly_singles(100.0 + np.arange(14))
    lighter = weekly_singles(90.0 + np.arange(14), start="2026-03-04")  # the Wednesday after
    both = lift_outlook(pd.concat([best, lighter], ignore_index=True))
    alone = lift_outlook(best)
    assert both["n_sessions"].tolist() == [28]
    pd.testing.assert_frame_equal(both.drop(columns="n_sessions"), alone.drop(columns="n_sessions"))


def test_outlook_ignores_data_after_end(squad) -> None:
    _, _, _, sets = squad
    some = sets[sets["athlete"].isin(["A000", "A001"])]
    cut = lift_outlook(some, end="2025-09-28")
    early = lift_outlook(some[some["date"] <= "2025-09-28"])
    pd.testing.assert_frame_equal(cut, early)


def test_each_series_is_the_same_alone_or_in_a_squad() -> None:
    # series of different lengths and ends, so the calibration windows differ in size
    rng = np.random.default_rng(5)
    parts = [
        weekly_singles(100 + np.arange(30) + rng.normal(0, 2, 30), athlete="A"),
        weekly_singles(
            60 + 0.5 * np.arange(12) + rng.normal(0, 1, 12), athlete="B", start="2026-06-08"
        ),
        weekly_singles(
            80 + rng.normal(0, 3, 20), athlete="C", exercise="deadlift", start="2026-04-27"
        ),
    ]
    end = "2026-09-27"
    squad = lift_outlook(pd.concat(parts, ignore_index=True), end=end)
    alone = pd.concat([lift_outlook(part, end=end) for part in parts], ignore_index=True)
    pd.testing.assert_frame_equal(squad, alone)
    assert squad["backtest_n"].tolist() == [23, 5, 13]  # outcome weeks 7 on of 30, 12, 20 weeks


# --- 2. withheld -------------------------------------------------------------------------------


def test_withheld_below_the_minimum_history() -> None:
    sets = weekly_singles(100.0 + np.arange(7))  # 7 weeks < 8, and 0 checks
    out = lift_outlook(sets)
    row = out.iloc[0]
    assert row["status"] == NOT_ENOUGH_HISTORY
    assert row[["current_kg", "expected_kg", "pi_low_kg", "pi_high_kg"]].isna().all()
    assert pd.isna(row["method"])
    assert (row["history_weeks"], row["n_sessions"], row["backtest_n"]) == (7, 7, 0)
    assert pd.isna(row["backtest_coverage"])
    assert row["evidence"] == (
        "Back squat: no outlook yet, 7 weeks of history and 0 earlier outlooks to check "
        "(an outlook needs 8 weeks and 3 checks)."
    )
    # 9 weeks are enough weeks but give 2 checks (origins 3 and 4): still withheld, ...
    assert lift_outlook(weekly_singles(100.0 + np.arange(9)))["status"].tolist() == [
        NOT_ENOUGH_HISTORY
    ]
    # ... 10 weeks give 3 checks: an outlook; and the minimums are options
    assert lift_outlook(weekly_singles(100.0 + np.arange(10)))["status"].tolist() == [OUTLOOK]
    relaxed = lift_outlook(sets, min_history_weeks=4, min_backtest=1, weeks=2)
    assert relaxed["status"].tolist() == [OUTLOOK]


def test_withheld_when_not_recent() -> None:
    squat = weekly_singles(100.0 + np.arange(20))
    # the deadlift goes on 5 weeks after the last squat, so the end is 5 weeks later
    deadlift = weekly_singles(150.0 + np.arange(25), exercise="deadlift")
    out = lift_outlook(pd.concat([squat, deadlift], ignore_index=True))
    assert out["exercise"].tolist() == ["back_squat", "deadlift"]
    assert out["status"].tolist() == [NOT_RECENT, OUTLOOK]
    assert out.loc[0, ["expected_kg", "pi_low_kg", "pi_high_kg"]].isna().all()
    assert (
        out["evidence"][0]
        == "Back squat: no outlook, not trained in the last 4 weeks (last on 2026-07-13)."
    )
    # 3 weeks without: still within a 4-week block, so an outlook
    shorter = pd.concat([squat, deadlift.iloc[:23]], ignore_index=True)
    assert lift_outlook(shorter)["status"].tolist() == [OUTLOOK, OUTLOOK]


# --- 3. race outlook ----------------------------------------------------------------------------


def time_at(vdot_value: float, distance_m: float) -> float:
    return brentq(lambda s: vdot(distance_m, s) - vdot_value, 0.1 * distance_m, 0.6 * distance_m)


@pytest.fixture(scope="module")
def vdot_50() -> tuple[pd.DataFrame, float]:
    """A 10 km run a week for 12 weeks, each at VDOT 50 exactly, and its time."""
    t10 = time_at(50.0, 10_000)
    runs = pd.DataFrame(
        {
            "athlete": "R",
            "date": pd.date_range("2026-03-03", periods=12, freq="7D"),
            "distance_km": 10.0,
            "duration_s": t10,
        }
    )
    return race_outlook(runs), t10


def test_constant_vdot_gives_daniels_times(vdot_50) -> None:
    out, _ = vdot_50
    assert out["distance_km"].tolist() == [5.0, 10.0, 21.0975]
    assert (out["status"] == OUTLOOK).all()
    expected = out["expected_time_s"].to_numpy(float)
    # the formula's own inverse at VDOT 50 (to the 0.1 s the column is rounded to) ...
    formula = [time_at(50.0, d) for d in (5_000, 10_000, HALF_M)]
    np.testing.assert_allclose(expected, formula, atol=0.1)
    np.testing.assert_allclose(out["current_time_s"].to_numpy(float), formula, atol=0.1)
    # ... and Daniels' published table (19:57, 41:21, 1:31:35), which the formula reproduces to
    # about a second at 5 and 10 km and 4 s at the half (reference/domain.md)
    assert (np.abs(expected - [1197, 2481, 5495]) <= [1.5, 1.5, 5.0]).all()
    # a flat trend: the interval is one VDOT decimal (0.1) wide around the time, faster end first
    low, high = out["pi_low_s"].to_numpy(float), out["pi_high_s"].to_numpy(float)
    assert (low < expected).all()
    assert (expected < high).all()
    assert (high - low < 0.01 * expected).all()
    assert out["backtest_coverage"].tolist() == [1.0] * 3
    assert out["n_runs"].tolist() == [12] * 3


def test_race_evidence_gives_riegel_from_the_best_recent_run(vdot_50) -> None:
    out, t10 = vdot_50
    riegel = [riegel_time(t10, 10_000, d) for d in (5_000, 10_000, HALF_M)]
    for line, name, time, predicted in zip(
        out["evidence"],
        ["5 km", "10 km", "Half marathon"],
        out["expected_time_s"],
        riegel,
        strict=True,
    ):
        assert line.startswith(f"{name}: about {format_pace(time)} at the end of the next block")
        assert (
            f"Riegel from the best run of the last 4 weeks (10 km in {format_pace(t10)}) gives {format_pace(predicted)} today"
            in line
        )
        assert "VDOT (50.0 now, +0.00/week)" in line
    assert format_pace(riegel[2]) == "1:31:11"  # Riegel's half from a VDOT-50 10 km


def test_race_intervals_follow_the_runner_s_noise() -> None:
    rng = np.random.default_rng(7)
    weeks = 40
    frames = []
    for name, sd in (("Steady", 0.3), ("Erratic", 1.5)):
        target = 45 + 0.05 * np.arange(weeks) + rng.normal(0, sd, weeks)
        frames.append(
            pd.DataFrame(
                {
                    "athlete": name,
                    "date": pd.date_range("2026-01-06", periods=weeks, freq="7D"),
                    "distance_km": 10.0,
                    "duration_s": [time_at(v, 10_000) for v in target],
                }
            )
        )
    out = race_outlook(pd.concat(frames, ignore_index=True), distances_km=(10,))
    assert out["athlete"].tolist() == ["Erratic", "Steady"]
    assert (out["method"] == "theil_sen_conformal").all()
    width = (out["pi_high_s"] - out["pi_low_s"]).to_numpy(float)
    assert width[0] > 3 * width[1]


def test_race_outlook_withheld() -> None:
    runs = pd.DataFrame(
        {
            "athlete": ["Early", "Early", "New", "New"],
            "date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-03-02", "2026-03-09"]),
            "distance_km": 5.0,
            "duration_s": 1500.0,
        }
    )
    out = race_outlook(runs, distances_km=(5,))
    assert out["athlete"].tolist() == ["Early", "New"]
    assert out["status"].tolist() == [NOT_RECENT, NOT_ENOUGH_HISTORY]
    assert out[["current_time_s", "expected_time_s", "pi_low_s", "pi_high_s"]].isna().all().all()
    assert out["evidence"].tolist() == [
        "5 km: no outlook, no run with a VDOT in the last 4 weeks (last in the week of 2026-01-12).",
        "5 km: no outlook yet, 2 weeks of history and 0 earlier outlooks to check "
        "(an outlook needs 8 weeks and 3 checks).",
    ]


# --- 4. argument errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"weeks": 0},
            r"lift_outlook\(\) expected weeks to be an integer from 1 to 12, got 0 instead",
        ),
        ({"weeks": 2.5}, r"expected weeks to be an integer from 1 to 12, got 2.5 instead"),
        (
            {"level": 1.0},
            r"lift_outlook\(\) expected level to be a number from 0.5 to 0.99, got 1.0",
        ),
        ({"level": "80%"}, r"expected level to be a number from 0.5 to 0.99, got '80%'"),
        ({"lookback_weeks": 3}, r"expected lookback_weeks to be an integer from 4 to 52, got 3"),
        ({"backtest_weeks": 0}, r"expected backtest_weeks to be an integer from 4 to 520, got 0"),
        ({"min_history_weeks": 0}, r"expected min_history_weeks to be an integer from 1 to 104"),
        ({"min_backtest": True}, r"expected min_backtest to be an integer from 1 to 100, got True"),
        ({"end": "yesterday"}, r"lift_outlook\(\) expected end to be a date"),
        ({"formula": "nope"}, r"formula expected one of \['brzycki', 'epley'"),
    ],
)
def test_lift_outlook_argument_errors(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        lift_outlook(weekly_singles([100.0, 101.0]), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weeks": 13}, r"race_outlook\(\) expected weeks to be an integer from 1 to 12, got 13"),
        (
            {"distances_km": (5, -1)},
            r"race_outlook\(\) expected distances_km to be positive numbers of km, got \(5, -1\)",
        ),
        ({"distances_km": ()}, r"expected distances_km to be positive numbers of km, got \(\)"),
        ({"distances_km": "5k"}, r"expected distances_km to be positive numbers of km, got '5k'"),
        ({"level": 0.3}, r"race_outlook\(\) expected level to be a number from 0.5 to 0.99"),
    ],
)
def test_race_outlook_argument_errors(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        race_outlook(empty(RUNS), **kwargs)


def test_missing_columns_and_text_dates() -> None:
    with pytest.raises(
        MissingColumnsError, match=r"lift_outlook\(\) expected columns .* pass log.sets"
    ):
        lift_outlook(pd.DataFrame({"athlete": ["A"]}))
    with pytest.raises(
        MissingColumnsError, match=r"race_outlook\(\) expected columns .* pass log.runs"
    ):
        race_outlook(pd.DataFrame({"athlete": ["A"]}))
    runs = pd.DataFrame(
        {"athlete": ["A"], "date": ["2026-01-01"], "distance_km": [5.0], "duration_s": [1200.0]}
    )
    with pytest.raises(TypeError, match=r"race_outlook\(\) expected a datetime64 column 'date'"):
        race_outlook(runs)


# --- 5. empty input -----------------------------------------------------------------------------


def dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {col: str(dtype) for col, dtype in frame.dtypes.items()}


def test_empty_input_keeps_columns_and_dtypes() -> None:
    lifts = lift_outlook(empty(SETS))
    assert lifts.empty
    assert lifts.columns.tolist() == LIFT_COLUMNS
    full = lift_outlook(weekly_singles(100.0 + np.arange(14)))
    assert dtypes(lifts) == dtypes(full)
    assert dtypes(full) == {
        **dict.fromkeys(["athlete", "exercise", "side"], "string"),
        **dict.fromkeys(
            ["current_kg", "expected_kg", "pi_low_kg", "pi_high_kg", "level"], "Float64"
        ),
        **dict.fromkeys(["horizon_weeks", "history_weeks", "n_sessions", "backtest_n"], "Int64"),
        "backtest_coverage": "Float64",
        **dict.fromkeys(["method", "status", "evidence"], "string"),
    }
    races = race_outlook(empty(RUNS))
    assert races.empty
    assert races.columns.tolist() == RACE_COLUMNS
    runs = pd.DataFrame({"athlete": "R", "date": pd.date_range("2026-03-03", periods=12, freq="7D"),
                         "distance_km": 10.0, "duration_s": 2500.0})  # fmt: skip
    assert dtypes(races) == dtypes(race_outlook(runs))
    # warm-ups only: no working set, no row
    warm = weekly_singles(100.0 + np.arange(14)).assign(warmup=True)
    assert dtypes(lift_outlook(warm)) == dtypes(full)
    assert lift_outlook(warm).empty


def test_does_not_change_the_callers_frame() -> None:
    sets = weekly_singles(100.0 + np.arange(14))
    before = sets.copy()
    lift_outlook(sets)
    pd.testing.assert_frame_equal(sets, before)

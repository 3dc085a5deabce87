"""Test days: hand-built batteries with planted changes (analysis.testdays)."""

import numpy as np
import pandas as pd
import pytest

from analysis import columns as C
from analysis.errors import MissingColumnsError
from analysis.loaders.tests import TEST_NAMES
from analysis.testdays import ASSUMED_CV_PCT, TESTS, test_changes, tests_from_sets

DAY1, DAY2, DAY3 = "2026-09-01", "2026-10-01", "2026-11-01"


def battery(rows: list[tuple]) -> pd.DataFrame:
    """A tests table from (athlete, date, test, side, value) tuples."""
    frame = pd.DataFrame(rows, columns=["athlete", "date", "test", "side", "value"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def one(out: pd.DataFrame, **match) -> pd.Series:
    hit = np.logical_and.reduce([out[k].eq(v).to_numpy() for k, v in match.items()])
    assert hit.sum() == 1, out
    return out[hit].iloc[0]


def test_the_battery_is_the_loaders_list_of_tests() -> None:
    assert set(TESTS) == set(TEST_NAMES)
    for key, (_, unit) in TEST_NAMES.items():
        assert TESTS[key].unit == unit


def test_two_tests_a_change_larger_than_the_mdc_is_better() -> None:
    # CMJ: published CV 3 % of 30 cm = 0.9 cm; MDC95 = 1.96 * sqrt(2) * 0.9 = 2.495 cm < 4 cm
    out = test_changes(battery([("Ana", DAY1, "countermovement_jump", "both", 30.0),
                                ("Ana", DAY2, "countermovement_jump", "both", 34.0)]))
    expected = C.conform(pd.DataFrame({
        "athlete": ["Ana"], "test": ["countermovement_jump"], "side": ["both"], "unit": ["cm"],
        "better": ["higher"], "n_tests": [2], "previous_date": pd.to_datetime([DAY1]),
        "current_date": pd.to_datetime([DAY2]), "previous": [30.0], "current": [34.0], "change": [4.0],
        "change_pct": [13.33], "swc": [1.0], "typical_error": [0.9], "mdc95": [2.495],
        "noise_source": ["published"], "verdict": ["better"], "status": ["ok"],
        "evidence": ["Countermovement jump: 34 cm on 2026-10-01, up 4 cm from 30 cm on 2026-09-01, more than "
                     "the 2 cm two tests can differ by chance (published test-retest noise): better."],
    }), dict(zip(out.columns, map(str, out.dtypes), strict=True)))
    pd.testing.assert_frame_equal(out, expected)


def test_two_tests_a_change_smaller_than_the_mdc_is_no_clear_change() -> None:
    out = test_changes(battery([("Ana", DAY1, "countermovement_jump", "both", 30.0),
                                ("Ana", DAY2, "countermovement_jump", "both", 32.0)]))
    row = out.iloc[0]
    assert row["change"] == 2.0
    assert row["mdc95"] == pytest.approx(2.495)
    assert row["verdict"] == "no clear change"
    assert "within the 2 cm two tests can differ by chance" in row["evidence"]


@pytest.mark.parametrize(("after", "verdict", "words"), [
    (1400.0, "better", "100 s faster than 25:00"),  # lower: lower is better
    (1600.0, "worse", "100 s slower than 25:00"),
    (1480.0, "no clear change", "20 s faster than 25:00"),
])
def test_a_time_trial_is_better_when_lower(after, verdict, words) -> None:
    # 5 km: CV 1.5 % of 1500 s = 22.5 s; MDC95 = 62.4 s; SWC = 0.3 x TE (solo performance)
    out = test_changes(battery([("Ben", DAY1, "time_trial_5k", "both", 1500.0),
                                ("Ben", DAY2, "time_trial_5k", "both", after)]))
    row = out.iloc[0]
    assert (row["better"], row["typical_error"], row["mdc95"], row["swc"]) == ("lower", 22.5, 62.367, 6.75)
    assert row["verdict"] == verdict
    assert words in row["evidence"]


def test_one_test_is_not_enough_tests() -> None:
    out = test_changes(battery([("Ana", DAY1, "wall_sit", "both", 90.0)]))
    row = out.iloc[0]
    assert (row["verdict"], row["status"], row["n_tests"]) == ("not enough tests", "not enough data", 1)
    assert pd.isna(row["previous"])
    assert pd.isna(row["change"])
    assert pd.isna(row["previous_date"])
    assert row["noise_source"] == "assumed"
    assert row["typical_error"] == pytest.approx(ASSUMED_CV_PCT * 0.9)
    assert row["evidence"] == "Wall sit hold: 90 s on 2026-09-01, the only test so far; a second test will show the change."


def test_two_and_one_test_in_one_battery_per_side() -> None:
    # hop: published TE 5 cm, MDC95 13.9 cm. Left +15 cm (better), right +2 cm (no clear change);
    # calf raise tested once on the left only
    out = test_changes(battery([
        ("Ana", DAY1, "single_leg_hop", "left", 150.0), ("Ana", DAY1, "single_leg_hop", "right", 150.0),
        ("Ana", DAY2, "single_leg_hop", "left", 165.0), ("Ana", DAY2, "single_leg_hop", "right", 152.0),
        ("Ana", DAY2, "single_leg_calf_raise", "left", 25.0),
    ]))
    assert out[["test", "side", "verdict"]].to_numpy().tolist() == [
        ["single_leg_calf_raise", "left", "not enough tests"],
        ["single_leg_hop", "left", "better"],
        ["single_leg_hop", "right", "no clear change"],
    ]
    left = one(out, test="single_leg_hop", side="left")
    assert left["evidence"].startswith("Left single-leg hop for distance: 165 cm on 2026-10-01, up 15 cm")


def test_own_repeats_replace_the_published_noise() -> None:
    # calf raise 20, 22, 30 reps: differences 2 and 8, SD 4.243, own TE 3.0, MDC95 8.3 > 8: no clear change;
    # with the published TE (2.3 reps, MDC95 6.4) the same +8 reps is better
    rows = battery([("Ana", d, "single_leg_calf_raise", "right", v)
                    for d, v in ((DAY1, 20.0), (DAY2, 22.0), (DAY3, 30.0))])
    own = test_changes(rows).iloc[0]
    assert (own["noise_source"], own["typical_error"], own["n_tests"]) == ("own repeats", 3.0, 3)
    assert own["mdc95"] == pytest.approx(8.315, abs=2e-3)
    assert (own["previous"], own["current"], own["verdict"]) == (22.0, 30.0, "no clear change")
    assert "from the athlete's own repeated tests" in own["evidence"]
    published = test_changes(rows, own_noise_tests=4).iloc[0]
    assert (published["noise_source"], published["typical_error"]) == ("published", 2.3)
    assert published["verdict"] == "better"


def test_swc_is_a_fifth_of_the_between_athlete_sd_with_three_athletes() -> None:
    rows = battery([(a, DAY1, "countermovement_jump", "both", v)
                    for a, v in (("Ana", 30.0), ("Ben", 35.0), ("Cy", 40.0))])
    out = test_changes(rows)
    assert out["swc"].tolist() == [1.0, 1.0, 1.0]  # 0.2 x SD 5 cm
    two = test_changes(rows.iloc[:2])
    assert two["swc"].tolist() == [1.0, 1.0]  # 0.3 x TE (0.9 or 1.05 cm), floored at 1 cm


def test_the_best_trial_of_a_day_counts_and_end_limits_the_tests() -> None:
    out = test_changes(battery([
        ("Ana", DAY1, "single_leg_squat", "left", 8.0), ("Ana", DAY1, "single_leg_squat", "left", 10.0),
        ("Ana", DAY2, "single_leg_squat", "left", 16.0),
        ("Ben", DAY1, "time_trial_5k", "both", 1500.0), ("Ben", DAY1, "time_trial_5k", "both", 1490.0),
        ("Ben", DAY3, "time_trial_5k", "both", 1200.0),
    ]), end=DAY2)
    squat = one(out, test="single_leg_squat")
    assert (squat["previous"], squat["current"], squat["n_tests"]) == (10.0, 16.0, 2)
    trial = one(out, test="time_trial_5k")
    assert (trial["current"], trial["n_tests"], trial["verdict"]) == (1490.0, 1, "not enough tests")


def test_evidence_stays_at_the_logs_resolution_and_never_speaks_of_risk() -> None:
    out = test_changes(battery([("Ana", DAY1, "single_leg_squat", "left", 10.0),
                                ("Ana", DAY2, "single_leg_squat", "left", 10.4),
                                ("Ana", DAY1, "side_plank", "right", 60.0),
                                ("Ana", DAY2, "side_plank", "right", 60.3)]))
    assert out["mdc95"].min() >= 1.0
    assert out["swc"].min() >= 1.0
    assert "the same as 10 reps" in one(out, test="single_leg_squat")["evidence"]
    assert "the same as 60 s" in one(out, test="side_plank")["evidence"]
    assert not out["evidence"].str.contains("risk|injur", case=False).any()


def test_an_empty_table_and_missing_columns() -> None:
    assert test_changes(battery([])).empty
    with pytest.raises(MissingColumnsError, match=r"test_changes\(\) expected columns .*missing \['test'\].*read_tests"):
        test_changes(pd.DataFrame({"athlete": [], "date": [], "side": [], "value": []}))


def test_tests_from_sets_takes_sets_marked_as_tests() -> None:
    sets = pd.DataFrame({
        "athlete": ["Ana"] * 5,
        "date": pd.to_datetime([DAY1] * 5),
        "exercise": ["single_leg_calf_raise", "single_leg_calf_raise", "single_leg_calf_raise", "wall_sit",
                     "goblet_squat"],
        "exercise_raw": ["SL calf raise test", "SL calf raise test", "SL calf raise", "Wall sit - test",
                         "Goblet squat test"],
        "side": ["left", "left", "left", "both", "both"],
        "reps": [5.0, 24.0, 15.0, np.nan, 10.0],
        "duration_s": [np.nan, np.nan, np.nan, 95.0, np.nan],
        "warmup": [True, False, False, False, False],
        "source_file": "log.csv", "source_sheet": pd.NA, "source_row": [2, 3, 4, 5, 6],
    })
    out = tests_from_sets(sets)
    assert out.columns.tolist() == list(C.TEST_RESULTS)
    assert out[["test", "side", "value", "unit", "source_row"]].to_numpy().tolist() == [
        ["single_leg_calf_raise", "left", 24.0, "reps", 3],
        ["wall_sit", "both", 95.0, "s", 5],
    ]
    assert test_changes(out)["verdict"].tolist() == ["not enough tests", "not enough tests"]


def test_own_noise_below_the_study_is_never_trusted() -> None:
    # 16, 17, 18 reps: equal differences, own SD 0 (1 rep at the log's resolution); the assumed
    # 10 % of 17 reps (1.7) is larger, so it stays: +1 rep is no clear change
    rows = battery([("Ana", d, "single_leg_squat", "right", v) for d, v in ((DAY1, 16.0), (DAY2, 17.0), (DAY3, 18.0))])
    row = test_changes(rows).iloc[0]
    assert (row["noise_source"], row["typical_error"], row["verdict"]) == ("assumed", 1.7, "no clear change")
    assert row["mdc95"] == pytest.approx(1.96 * 2**0.5 * 1.7, abs=1e-3)
    # erratic days (10, 18, 12): the own TE (SD of +8, -6 over sqrt 2 = 7 reps) is larger and used
    rows = battery([("Ana", d, "single_leg_squat", "right", v) for d, v in ((DAY1, 10.0), (DAY2, 18.0), (DAY3, 12.0))])
    row = test_changes(rows).iloc[0]
    assert row["noise_source"] == "own repeats"
    assert row["typical_error"] == pytest.approx(7.0)
    assert row["verdict"] == "no clear change"

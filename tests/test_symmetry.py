"""Tests for analysis.symmetry: asymmetry %, LSI, session pairing and block judgements."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.columns import SETS, conform, empty
from analysis.errors import MissingColumnsError
from analysis.symmetry import (
    asymmetry_pct,
    block_asymmetry,
    lsi_pct,
    session_asymmetry,
    stronger_side,
)

Z = 1.959963984540054


def make_sets(rows: list[dict]) -> pd.DataFrame:
    defaults = {"athlete": "A", "side": "both", "set_index": 1, "warmup": False}
    frame = pd.DataFrame([defaults | row for row in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["exercise_raw"] = frame["exercise"]
    return conform(frame, SETS)


def pair(date: str, exercise: str, left: dict, right: dict) -> list[dict]:
    base = {"date": date, "exercise": exercise}
    return [base | {"side": "left"} | left, base | {"side": "right"} | right]


def one_rep(date: str, exercise: str, left: float, right: float) -> list[dict]:
    """A 1-rep set per side: the e1RM is the load (1-rep rule)."""
    return pair(date, exercise, {"reps": 1, "load_kg": left}, {"reps": 1, "load_kg": right})


# --- formulas ---------------------------------------------------------------------------------
def test_worked_example_right_100_left_80():
    assert asymmetry_pct(80, 100) == pytest.approx(20.0)
    assert asymmetry_pct(100, 80) == pytest.approx(-20.0)
    assert lsi_pct(80, 100) == pytest.approx(80.0)
    assert stronger_side(80, 100) == "right"
    assert isinstance(asymmetry_pct(80, 100), float)


def test_undefined_cases_are_nan():
    got = asymmetry_pct([0, np.nan, 10, 0], [0, 10, np.nan, 5])
    assert np.isnan(got[:3]).all()
    assert got[3] == pytest.approx(100.0)
    assert np.isnan(lsi_pct(0, 0))
    assert stronger_side([0, 5], [0, 5]).tolist() == [None, "equal"]


def test_series_in_series_out():
    left = pd.Series(pd.array([80.0, None], dtype="Float64"), index=[3, 4])
    got = asymmetry_pct(left, pd.Series([100.0, 50.0], index=[3, 4]))
    pd.testing.assert_series_equal(
        got, pd.Series([20.0, np.nan], index=[3, 4], name="asymmetry_pct")
    )
    sides = stronger_side(left, pd.Series([100.0, 50.0], index=[3, 4]))
    pd.testing.assert_series_equal(
        sides, pd.Series(["right", None], index=[3, 4], name="stronger", dtype="string")
    )


values = st.floats(0, 500, allow_nan=False)


@settings(max_examples=200)
@given(values, values)
def test_swapping_sides_negates_asymmetry(left, right):
    a, b = asymmetry_pct(left, right), asymmetry_pct(right, left)
    if math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == -b
        assert -100 <= a <= 100
        assert abs(a) == pytest.approx(100 - lsi_pct(left, right))
        assert lsi_pct(left, right) == lsi_pct(right, left)


# --- session_asymmetry ------------------------------------------------------------------------
def test_session_asymmetry_metric_order():
    d = "2026-09-01"
    rows = one_rep(d, "bulgarian_split_squat", 80.0, 100.0)  # e1RM
    rows += pair(
        d, "single_leg_rdl", {"reps": 12, "load_kg": 0.0}, {"reps": 14, "load_kg": 0.0}
    )  # bodyweight: reps at 0 kg
    rows += [
        {
            "date": d,
            "exercise": "single_leg_rdl",
            "side": "left",
            "reps": 10,
            "load_kg": 0.0,
            "set_index": 2,
        }
    ]
    rows += pair(d, "step_up", {"reps": 13, "load_kg": 20.0}, {"reps": 14, "load_kg": 20.0})
    rows += pair(
        d,
        "step_up",
        {"reps": 15, "load_kg": 10.0, "set_index": 2},
        {"reps": 16, "load_kg": 10.0, "set_index": 2},
    )  # > 12 reps: no e1RM
    rows += pair(
        d, "side_plank", {"load_kg": 0.0, "duration_s": 40.0}, {"load_kg": 0.0, "duration_s": 30.0}
    )
    rows += pair(
        d, "reverse_lunge", {"reps": 15, "load_kg": 10.0}, {"reps": 15, "load_kg": 12.0}
    )  # no matched load: the best set's reps x load
    rows += one_rep("2026-09-04", "single_leg_rdl", 50.0, 50.0)
    rows += [
        {
            "date": "2026-09-04",
            "exercise": "bulgarian_split_squat",
            "side": "left",
            "reps": 1,
            "load_kg": 80.0,
        }
    ]  # one side only: no pair
    rows += [{"date": d, "exercise": "back_squat", "reps": 5, "load_kg": 100.0}]
    sets = make_sets(rows)
    before = sets.copy(deep=True)
    got = session_asymmetry(sets)
    pd.testing.assert_frame_equal(sets, before)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 6, dtype="string"),
            "exercise": pd.array(
                [
                    "bulgarian_split_squat",
                    "reverse_lunge",
                    "side_plank",
                    "single_leg_rdl",
                    "single_leg_rdl",
                    "step_up",
                ],
                dtype="string",
            ),
            "date": pd.to_datetime([d] * 4 + ["2026-09-04", d]).astype("datetime64[us]"),
            "metric": pd.array(
                ["e1rm_kg", "set_volume_kg", "duration_s", "reps", "e1rm_kg", "reps"],
                dtype="string",
            ),
            "left": pd.array([80.0, 150.0, 40.0, 12.0, 50.0, 13.0], dtype="Float64"),
            "right": pd.array([100.0, 180.0, 30.0, 14.0, 50.0, 14.0], dtype="Float64"),
            "matched_load_kg": pd.array([None, None, None, 0.0, None, 20.0], dtype="Float64"),
            "asymmetry_pct": pd.array(
                [20.0, 100 * 30 / 180, -25.0, 100 * 2 / 14, 0.0, 100 / 14], dtype="Float64"
            ),
            "lsi_pct": pd.array(
                [80.0, 100 * 150 / 180, 75.0, 100 * 12 / 14, 100.0, 100 * 13 / 14], dtype="Float64"
            ),
            "stronger": pd.array(
                ["right", "right", "left", "right", "equal", "right"], dtype="string"
            ),
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


sides_strategy = st.lists(
    st.tuples(
        st.integers(0, 20),  # day
        st.sampled_from(["bulgarian_split_squat", "single_leg_rdl", "side_plank"]),
        st.sampled_from(["left", "right"]),
        st.one_of(st.none(), st.integers(1, 15)),
        st.sampled_from([0.0, 10.0, 20.0, 22.5]),
        st.one_of(st.none(), st.sampled_from([20.0, 35.0])),
    ),
    min_size=1,
    max_size=30,
)


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@settings(max_examples=50, deadline=None)
@given(sides_strategy)
def test_swapping_sides_in_the_log_negates_every_session(rows):
    def frame(swap: bool) -> pd.DataFrame:
        flip = {"left": "right", "right": "left"}
        return make_sets(
            [
                {
                    "date": pd.Timestamp("2026-09-01") + pd.Timedelta(days=day),
                    "exercise": ex,
                    "side": flip[side] if swap else side,
                    "reps": reps,
                    "load_kg": load,
                    "duration_s": dur,
                    "set_index": i + 1,
                }
                for i, (day, ex, side, reps, load, dur) in enumerate(rows)
            ]
        )

    sets = frame(swap=False)
    before = sets.copy(deep=True)
    got, swapped = session_asymmetry(sets), session_asymmetry(frame(swap=True))
    pd.testing.assert_frame_equal(sets, before)
    pd.testing.assert_series_equal(got["asymmetry_pct"], -swapped["asymmetry_pct"])
    pd.testing.assert_series_equal(got["left"], swapped["right"], check_names=False)
    pd.testing.assert_series_equal(got["lsi_pct"], swapped["lsi_pct"])
    block_asymmetry(sets, end="2026-09-21")
    pd.testing.assert_frame_equal(sets, before)


# --- block_asymmetry --------------------------------------------------------------------------
def test_block_asymmetry_hand_example():
    rows = []
    # single_leg_rdl, right 100: block -1 left 80, 85, 80 (+20, +15, +20); block 0 left 90, 95,
    # 90, 95 (+10, +5, +10, +5)
    for day, left in zip(
        [
            "2026-10-06",
            "2026-10-13",
            "2026-10-20",
            "2026-10-27",
            "2026-11-03",
            "2026-11-10",
            "2026-11-17",
        ],
        [80, 85, 80, 90, 95, 90, 95],
        strict=True,
    ):
        rows += one_rep(day, "single_leg_rdl", float(left), 100.0)
    # bulgarian split squat, block 0: +10, +10, -10, +10 (the direction flips once)
    for day, (left, right) in zip(
        ["2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17"],
        [(90, 100), (90, 100), (100, 90), (90, 100)],
        strict=True,
    ):
        rows += one_rep(day, "bulgarian_split_squat", float(left), float(right))
    rows += one_rep("2026-11-10", "step_up", 50.0, 50.0)
    rows += one_rep("2026-11-17", "step_up", 50.0, 50.0)
    rows += one_rep("2026-11-24", "step_up", 10.0, 50.0)  # after end: ignored
    got = block_asymmetry(make_sets(rows), end="2026-11-22")
    te_prev, te_cur = 5.0, math.sqrt(50 / 3)  # SD of (-5, +5) and of (-5, +5, -5), / sqrt(2)
    na = None
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 4, dtype="string"),
            "exercise": pd.array(
                ["bulgarian_split_squat", "single_leg_rdl", "single_leg_rdl", "step_up"],
                dtype="string",
            ),
            "block_index": pd.array([0, -1, 0, 0], dtype="Int64"),
            "block": pd.array(["current", "previous", "current", "current"], dtype="string"),
            "block_start": pd.to_datetime(
                ["2026-10-26", "2026-09-28", "2026-10-26", "2026-10-26"]
            ).astype("datetime64[us]"),
            "block_end": pd.to_datetime(
                ["2026-11-22", "2026-10-25", "2026-11-22", "2026-11-22"]
            ).astype("datetime64[us]"),
            "metric": pd.array(["e1rm_kg"] * 4, dtype="string"),
            "n_sessions": pd.array([4, 3, 4, 2], dtype="Int64"),
            "asymmetry_pct": pd.array([5.0, 55 / 3, 7.5, na], dtype="Float64"),
            "magnitude_pct": pd.array([10.0, 55 / 3, 7.5, na], dtype="Float64"),
            "lsi_pct": pd.array([90.0, 245 / 3, 92.5, na], dtype="Float64"),
            "direction": pd.array(["right", "right", "right", na], dtype="string"),
            "direction_consistency": pd.array([0.75, 1.0, 1.0, na], dtype="Float64"),
            "typical_error_pct": pd.array(
                [20 / math.sqrt(2), te_prev, te_cur, na], dtype="Float64"
            ),
            "change_vs_previous_pct": pd.array([na, na, 7.5 - 55 / 3, na], dtype="Float64"),
            "over_threshold": pd.array([False, True, False, na], dtype="boolean"),
            "status": pd.array(["ok", "ok", "ok", "not enough data"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_block_asymmetry_change_and_threshold_option():
    rows = []
    days = pd.date_range("2026-09-29", periods=8, freq="7D").strftime("%Y-%m-%d")
    for day, left in zip(days, [85, 86, 85, 86, 97, 98, 97, 98], strict=True):
        rows += one_rep(day, "single_leg_rdl", float(left), 100.0)
    got = block_asymmetry(make_sets(rows), threshold_pct=3)
    assert got["change_vs_previous_pct"].tolist()[1] == pytest.approx(-12.0)
    assert got["over_threshold"].tolist() == [True, False]


@pytest.mark.parametrize("func", [session_asymmetry, block_asymmetry])
def test_missing_columns_message(func):
    sets = make_sets(one_rep("2026-09-01", "single_leg_rdl", 80.0, 100.0))
    name = func.__name__
    with pytest.raises(
        MissingColumnsError,
        match=rf"^{name}\(\) expected columns \[.*\], "
        r"missing \['side'\] \(got \[.*\]\)\. Load logs with "
        r"analysis\.read_logs\(\) and pass log\.sets\.$",
    ):
        func(sets.drop(columns="side"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threshold_pct": -1}, r"threshold_pct expected 0 to 100, got -1 instead\."),
        ({"threshold_pct": "ten"}, r"threshold_pct expected a number, got 'ten' instead\."),
        ({"min_sessions": 1}, r"min_sessions expected an integer from 2 to 1000, got 1 instead"),
        ({"weeks": 8}, r"weeks must be 4, 5 or 6, got 8 instead"),
        ({"end": "later"}, r"expected end to be a date such as '2026-11-22', got 'later' instead\."),
        ({"formula": "x"}, r"formula expected one of \['brzycki'"),
    ],
)
def test_block_asymmetry_option_errors(options, message):
    sets = make_sets(one_rep("2026-09-01", "single_leg_rdl", 80.0, 100.0))
    with pytest.raises(ValueError, match=message):
        block_asymmetry(sets, **options)


@pytest.mark.parametrize("func", [session_asymmetry, block_asymmetry])
def test_empty_input_gives_empty_output(func):
    out = func(empty(SETS))
    assert len(out) == 0
    assert isinstance(out.index, pd.RangeIndex)

"""Tests for analysis.progression: e1RM formulas, session bests, trends and PRs (lift status: test_verdicts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.columns import SETS, conform, empty
from analysis.errors import MissingColumnsError
from analysis.progression import (
    FORMULAS,
    best_e1rm,
    e1rm_trend,
    estimate_1rm,
    personal_records,
    set_e1rm,
)

# domain.md section 1, worked values for w = 100 (the 1-rep column is the raw equation)
WORKED = {
    "epley": (103.33, 110.00, 116.67, 126.67, 133.33, 140.00),
    "brzycki": (100.00, 105.88, 112.50, 124.14, 133.33, 144.00),
    "lander": (101.39, 107.20, 113.71, 125.11, 134.07, 144.41),
    "lombardi": (100.00, 111.61, 117.46, 123.11, 125.89, 128.21),
    "mayhew": (108.86, 113.99, 119.01, 126.29, 130.93, 135.40),
    "oconner": (102.50, 107.50, 112.50, 120.00, 125.00, 130.00),
    "wathan": (101.30, 108.98, 116.58, 127.67, 134.75, 141.50),
}
REPS = (1, 3, 5, 8, 10, 12)


def make_sets(rows: list[dict]) -> pd.DataFrame:
    """Canonical sets from short dicts: defaults athlete A, side both, working set, no RPE."""
    defaults = {"athlete": "A", "side": "both", "set_index": 1, "warmup": False}
    frame = pd.DataFrame([defaults | row for row in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["exercise_raw"] = frame["exercise"]
    return conform(frame, SETS)


def weekly(exercise: str, values: list[float], start: str = "2026-09-01", **extra) -> list[dict]:
    """One 1-rep set a week (e1RM = load by the 1-rep rule)."""
    days = pd.date_range(start, periods=len(values), freq="7D")
    return [
        {"date": d, "exercise": exercise, "reps": 1, "load_kg": v, **extra}
        for d, v in zip(days, values, strict=True)
    ]


# --- estimate_1rm -----------------------------------------------------------------------------
@pytest.mark.parametrize("formula", sorted(WORKED))
def test_worked_table_every_formula(formula):
    expected = WORKED[formula]
    raw = estimate_1rm(100, list(REPS), formula=formula, single_rep_is_1rm=False)
    np.testing.assert_allclose(raw, expected, atol=0.005)
    # the 1-rep rule changes only the 1-rep column
    ruled = estimate_1rm(100, list(REPS), formula=formula)
    np.testing.assert_allclose(ruled, (100.0, *expected[1:]), atol=0.005)


def test_five_rep_spot_values():
    got = {f: round(estimate_1rm(100, 5, formula=f), 2) for f in FORMULAS}
    assert got == {
        "epley": 116.67,
        "brzycki": 112.50,
        "lander": 113.71,
        "lombardi": 117.46,
        "mayhew": 119.01,
        "oconner": 112.50,
        "wathan": 116.58,
    }


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("mcglothin", "lander"),
        ("wathen", "wathan"),
        ("oconnor", "oconner"),
        ("O'Conner", "oconner"),
        ("Epley", "epley"),
    ],
)
def test_formula_aliases(alias, name):
    assert estimate_1rm(100, 5, formula=alias) == estimate_1rm(100, 5, formula=name)


def test_rpe_examples():
    assert round(estimate_1rm(100, 5, rpe=8), 1) == 123.3
    assert round(estimate_1rm(100, 5, rpe=9), 1) == 119.5
    assert round(estimate_1rm(200, 4, rpe=10)) == 224  # lb in, lb out
    assert estimate_1rm(100, 1, rpe=10) == 100.0  # 1-rep rule and RPE 10 agree
    assert estimate_1rm(100, 1, rpe=9) == pytest.approx(100 / 0.955)
    # half-way between n = 7 (81.1 %) and n = 7.5 (79.9 %)
    assert estimate_1rm(100, 5, rpe=7.75) == pytest.approx(100 / 0.805)


def test_rpe_missing_uses_formula_and_low_rpe_gives_nothing():
    got = estimate_1rm([100, 100, 100], [5, 5, 5], rpe=[np.nan, 5.5, 11])
    assert got[0] == pytest.approx(116.6667, abs=1e-4)
    assert np.isnan(got[1:]).all()


def test_no_estimate_outside_valid_range():
    got = estimate_1rm([100, 100, 100, np.nan, -5, 100], [12, 13, 0, 5, 5, 15], max_reps=12)
    assert got[0] == pytest.approx(140.0)
    assert np.isnan(got[1:5]).all()
    assert estimate_1rm(100, 15, max_reps=15) == pytest.approx(150.0)


def test_return_types_follow_inputs():
    assert isinstance(estimate_1rm(100, 5), float)
    arr = estimate_1rm(np.array([[100.0], [50.0]]), 5)
    assert isinstance(arr, np.ndarray)
    assert arr.shape == (2, 1)
    series = pd.Series(pd.array([5, None], dtype="Int64"), index=[10, 11])
    out = estimate_1rm(pd.Series([60.0, 60.0], index=[10, 11]), series)
    expected = pd.Series([70.0, np.nan], index=[10, 11], name="e1rm_kg")
    pd.testing.assert_series_equal(out, expected)


def test_unknown_formula_lists_accepted_names():
    with pytest.raises(
        ValueError,
        match=r"formula expected one of \['brzycki', 'epley', "
        r"'lander', 'lombardi', 'mayhew', 'oconner', 'wathan'\] \(aliases "
        r"\['mcglothin', 'oconnor', 'wathen'\]\), got 'bogus' instead\.",
    ):
        estimate_1rm(100, 5, formula="bogus")


@pytest.mark.parametrize("bad", [0, 31, 2.5, True])
def test_bad_max_reps(bad):
    with pytest.raises(ValueError, match=r"max_reps expected an integer from 1 to 30, got"):
        estimate_1rm(100, 5, max_reps=bad)


@settings(max_examples=60, deadline=None)
@given(
    formula=st.sampled_from(FORMULAS),
    w=st.floats(1, 400),
    dw=st.floats(0.5, 100),
    r=st.integers(1, 11),
    dr=st.integers(1, 11),
    rpe=st.sampled_from([None, 6.0, 7.5, 8.0, 9.5, 10.0]),
)
def test_e1rm_grows_with_load_and_reps(formula, w, dw, r, dr, rpe):
    r2 = min(r + dr, 12)
    base = estimate_1rm(w, r, formula=formula, rpe=rpe)
    assert estimate_1rm(w + dw, r, formula=formula, rpe=rpe) > base
    if r2 > r:
        assert estimate_1rm(w, r2, formula=formula, rpe=rpe) > base


# --- Theil-Sen against scipy ------------------------------------------------------------------


# --- set_e1rm / best_e1rm ---------------------------------------------------------------------
def test_set_e1rm_hand_example():
    sets = make_sets(
        [
            {
                "date": "2026-09-01",
                "exercise": "back_squat",
                "reps": 5,
                "load_kg": 60.0,
                "warmup": True,
            },
            {
                "date": "2026-09-01",
                "exercise": "back_squat",
                "reps": 5,
                "load_kg": 100.0,
                "rpe": 8.0,
                "set_index": 2,
            },
            {
                "date": "2026-09-01",
                "exercise": "back_squat",
                "reps": 13,
                "load_kg": 50.0,
                "set_index": 3,
            },
            {"date": "2026-09-01", "exercise": "bodyweight_squat", "reps": 15, "load_kg": 0.0},
            {"date": "2026-09-01", "exercise": "goblet_squat", "reps": 10, "load_kg": 24.0},
        ]
    )
    before = sets.copy(deep=True)
    got = set_e1rm(sets)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 4, dtype="string"),
            "date": pd.to_datetime(["2026-09-01"] * 4).astype("datetime64[us]"),
            "exercise": pd.array(
                ["back_squat", "back_squat", "bodyweight_squat", "goblet_squat"], dtype="string"
            ),
            "side": pd.array(["both"] * 4, dtype="string"),
            "set_index": pd.array([2, 3, 1, 1], dtype="Int64"),
            "load_kg": pd.array([100.0, 50.0, 0.0, 24.0], dtype="Float64"),
            "reps": pd.array([5, 13, 15, 10], dtype="Float64"),
            "e1rm_kg": pd.array([100 / 0.811, None, None, 32.0], dtype="Float64"),
            "method": pd.array(["rpe_chart", None, None, "epley"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(sets, before)
    assert set_e1rm(sets, use_rpe=False)["e1rm_kg"].iloc[0] == pytest.approx(116.6667, 1e-4)


def test_best_e1rm_per_session_and_side():
    sets = make_sets(
        [
            {
                "date": "2026-09-01",
                "exercise": "step_up",
                "side": "left",
                "reps": 10,
                "load_kg": 15.0,
            },
            {
                "date": "2026-09-01",
                "exercise": "step_up",
                "side": "left",
                "reps": 5,
                "load_kg": 20.0,
                "set_index": 2,
            },  # 23.33 beats 15 x 10 = 20.0
            {
                "date": "2026-09-01",
                "exercise": "step_up",
                "side": "right",
                "reps": 3,
                "load_kg": 30.0,
            },
            {
                "date": "2026-09-01",
                "exercise": "step_up",
                "side": "right",
                "reps": 6,
                "load_kg": 27.5,
                "set_index": 2,
            },  # same e1RM 33.0 as 30 x 3: the heavier set wins
            {"date": "2026-08-25", "exercise": "back_squat", "reps": 1, "load_kg": 90.0},
        ]
    )
    got = best_e1rm(sets)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 3, dtype="string"),
            "date": pd.to_datetime(["2026-08-25", "2026-09-01", "2026-09-01"]).astype(
                "datetime64[us]"
            ),
            "exercise": pd.array(["back_squat", "step_up", "step_up"], dtype="string"),
            "side": pd.array(["both", "left", "right"], dtype="string"),
            "e1rm_kg": pd.array([90.0, 70 / 3, 33.0], dtype="Float64"),
            "best_load_kg": pd.array([90.0, 20.0, 30.0], dtype="Float64"),
            "best_reps": pd.array([1, 5, 3], dtype="Float64"),
            "n_sets": pd.array([1, 2, 2], dtype="Int64"),
            "method": pd.array(["epley"] * 3, dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


# --- e1rm_trend ---------------------------------------------------------------------------------
def test_e1rm_trend_hand_example():
    days = ["2026-09-29", "2026-10-06", "2026-10-13", "2026-10-27", "2026-11-03", "2026-11-10"]
    loads = [100.0, 102.0, 104.0, 105.0, 108.0, 110.0]
    rows = [
        {"date": d, "exercise": "back_squat", "reps": 1, "load_kg": w}
        for d, w in zip(days, loads, strict=True)
    ]
    rows += [
        {"date": d, "exercise": "plank", "reps": None, "load_kg": 0.0, "duration_s": s}
        for d, s in (("2026-11-03", 60.0), ("2026-11-10", 70.0))
    ]
    got = e1rm_trend(make_sets(rows), end="2026-11-22")
    # diffs 2, 2, 1, 3, 2: SD = sqrt(0.5), typical error = 0.5
    na = None
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 3, dtype="string"),
            "exercise": pd.array(["back_squat", "back_squat", "plank"], dtype="string"),
            "side": pd.array(["both"] * 3, dtype="string"),
            "block_index": pd.array([-1, 0, 0], dtype="Int64"),
            "block": pd.array(["previous", "current", "current"], dtype="string"),
            "block_start": pd.to_datetime(["2026-09-28", "2026-10-26", "2026-10-26"]).astype(
                "datetime64[us]"
            ),
            "block_end": pd.to_datetime(["2026-10-25", "2026-11-22", "2026-11-22"]).astype(
                "datetime64[us]"
            ),
            "metric": pd.array(["e1rm_kg", "e1rm_kg", "duration_s"], dtype="string"),
            "n_sessions": pd.array([3, 3, 2], dtype="Int64"),
            "value": pd.array([102.0, 323 / 3, na], dtype="Float64"),
            "best_value": pd.array([104.0, 110.0, na], dtype="Float64"),
            "slope_per_week": pd.array([2.0, 2.5, na], dtype="Float64"),
            "ci_low": pd.array([2.0, 2.0, na], dtype="Float64"),
            "ci_high": pd.array([2.0, 3.0, na], dtype="Float64"),
            "change_vs_previous": pd.array([na, 323 / 3 - 102, na], dtype="Float64"),
            "typical_error": pd.array([0.5, 0.5, na], dtype="Float64"),
            "method": pd.array(["theil_sen"] * 3, dtype="string"),
            "status": pd.array(["ok", "ok", "not enough data"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_e1rm_trend_robust_to_one_odd_session():
    # 4 sessions rising 1 kg a week, one typo'd session at 150 kg: the slope stays 1 kg/week
    rows = weekly("back_squat", [100.0, 101.0, 150.0, 103.0, 104.0], start="2026-10-27")
    got = e1rm_trend(make_sets(rows), weeks=6)
    assert got["slope_per_week"].tolist() == [1.0]


def test_e1rm_trend_ignores_sessions_after_end_and_checks_weeks():
    rows = weekly("back_squat", [100.0, 101.0, 102.0, 200.0], start="2026-11-02")
    got = e1rm_trend(make_sets(rows), end="2026-11-16")
    assert got["n_sessions"].tolist() == [3]
    assert got["best_value"].tolist() == [102.0]
    with pytest.raises(ValueError, match=r"weeks must be 4, 5 or 6, got 3 instead"):
        e1rm_trend(make_sets(rows), weeks=3)
    assert len(e1rm_trend(make_sets(rows), weeks=3, any_length=True)) == 2


# --- personal_records -------------------------------------------------------------------------
def test_personal_records_hand_example():
    rows = [
        {"date": "2026-09-01", "exercise": "back_squat", "reps": 5, "load_kg": 100.0},
        {"date": "2026-09-08", "exercise": "back_squat", "reps": 6, "load_kg": 100.0},
        {"date": "2026-09-15", "exercise": "back_squat", "reps": 5, "load_kg": 105.0},
        {"date": "2026-09-22", "exercise": "back_squat", "reps": 6, "load_kg": 100.0},
        {"date": "2026-09-01", "exercise": "plank", "load_kg": 0.0, "duration_s": 60.0},
        {"date": "2026-09-08", "exercise": "plank", "load_kg": 0.0, "duration_s": 75.0},
        {"date": "2026-09-01", "exercise": "bodyweight_squat", "reps": 15, "load_kg": 0.0},
        {"date": "2026-09-08", "exercise": "bodyweight_squat", "reps": 18, "load_kg": 0.0},
    ]
    got = personal_records(make_sets(rows))
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["A"] * 5, dtype="string"),
            "exercise": pd.array(
                ["back_squat"] * 3 + ["bodyweight_squat", "plank"], dtype="string"
            ),
            "side": pd.array(["both"] * 5, dtype="string"),
            "date": pd.to_datetime(
                ["2026-09-08", "2026-09-08", "2026-09-15", "2026-09-08", "2026-09-08"]
            ).astype("datetime64[us]"),
            "record": pd.array(
                ["e1rm_kg", "reps_at_load", "e1rm_kg", "reps_at_load", "duration_s"], dtype="string"
            ),
            "load_kg": pd.array([100.0, 100.0, 105.0, 0.0, 0.0], dtype="Float64"),
            "reps": pd.array([6, 6, 5, 18, None], dtype="Float64"),
            "value": pd.array([120.0, 6.0, 122.5, 18.0, 75.0], dtype="Float64"),
            "previous_value": pd.array([350 / 3, 5.0, 120.0, 15.0, 60.0], dtype="Float64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


# --- errors, purity, empty input --------------------------------------------------------------
TABLE_FUNCS = [set_e1rm, best_e1rm, e1rm_trend, personal_records]


@pytest.mark.parametrize("func", TABLE_FUNCS)
def test_missing_columns_message(func):
    sets = make_sets(weekly("back_squat", [100.0])).drop(columns=["rpe", "load_kg"])
    name = func.__name__
    with pytest.raises(
        MissingColumnsError,
        match=rf"^{name}\(\) expected columns \[.*\], "
        r"missing \['load_kg', 'rpe'\] \(got \[.*\]\)\. Load logs with "
        r"analysis\.read_logs\(\) and pass log\.sets\.$",
    ):
        func(sets)


def test_rpe_column_not_needed_without_use_rpe():
    sets = make_sets(weekly("back_squat", [100.0])).drop(columns=["rpe"])
    assert set_e1rm(sets, use_rpe=False)["e1rm_kg"].tolist() == [100.0]


@pytest.mark.parametrize("func", [e1rm_trend])
def test_option_errors(func):
    sets = make_sets(weekly("back_squat", [100.0, 101.0]))
    with pytest.raises(
        ValueError,
        match=r"expected end to be a date such as '2026-11-22', "
        r"got 'soon' instead\.",
    ):
        func(sets, end="soon")
    with pytest.raises(
        ValueError,
        match=r"min_sessions expected an integer from 2 to 1000, "
        r"got 1 instead\.",
    ):
        func(sets, min_sessions=1)
    with pytest.raises(ValueError, match=r"formula expected one of"):
        func(sets, formula="nope")


def test_dates_must_be_datetime():
    sets = make_sets(weekly("back_squat", [100.0]))
    sets["date"] = sets["date"].astype(str)
    with pytest.raises(TypeError, match=r"best_e1rm\(\) expected a datetime64 column 'date'"):
        best_e1rm(sets)


def test_not_a_frame():
    with pytest.raises(TypeError, match=r"e1rm_trend\(\) expected a pandas DataFrame, got list"):
        e1rm_trend([1, 2])


@pytest.mark.parametrize("func", TABLE_FUNCS)
def test_empty_input_gives_empty_output(func):
    out = func(empty(SETS))
    assert len(out) == 0
    assert isinstance(out.index, pd.RangeIndex)


sets_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "athlete": st.sampled_from(["A", "B"]),
            "day": st.integers(0, 60),
            "exercise": st.sampled_from(["back_squat", "single_leg_rdl", "plank", "glute_bridge"]),
            "side": st.sampled_from(["both", "left", "right"]),
            "reps": st.one_of(st.none(), st.integers(0, 15)),
            "load_kg": st.one_of(st.none(), st.sampled_from([0.0, 20.0, 22.5, 60.0])),
            "rpe": st.one_of(st.none(), st.sampled_from([5.0, 7.0, 8.5, 10.0])),
            "duration_s": st.one_of(st.none(), st.sampled_from([30.0, 45.0])),
            "warmup": st.booleans(),
        }
    ),
    min_size=1,
    max_size=40,
)


def build(rows: list[dict]) -> pd.DataFrame:
    for row in rows:
        row["date"] = pd.Timestamp("2026-09-01") + pd.Timedelta(days=row.pop("day"))
    return make_sets(rows)


@settings(max_examples=40, deadline=None)
@given(sets_strategy)
def test_no_function_mutates_its_input(rows):
    sets = build(rows)
    before = sets.copy(deep=True)
    for func in TABLE_FUNCS:
        out = func(sets)
        assert isinstance(out.index, pd.RangeIndex)
    pd.testing.assert_frame_equal(sets, before)


def test_best_set_is_picked_by_load_and_reps_then_rpe():
    rated = [
        # same load and reps: the rated set closest to failure (RPE 8) gives the e1RM
        {"date": "2026-09-01", "exercise": "goblet_squat", "reps": 10, "load_kg": 26.0, "rpe": 7.0},
        {"date": "2026-09-01", "exercise": "goblet_squat", "reps": 10, "load_kg": 26.0,
         "rpe": 8.0, "set_index": 2},
        # a heavier set with a lower Epley e1RM loses even with a generous RPE
        {"date": "2026-09-04", "exercise": "goblet_squat", "reps": 10, "load_kg": 26.0, "rpe": 9.0},
        {"date": "2026-09-04", "exercise": "goblet_squat", "reps": 3, "load_kg": 28.0,
         "rpe": 6.0, "set_index": 2},
    ]  # fmt: skip
    got = best_e1rm(make_sets(rated))
    assert got["e1rm_kg"].tolist() == pytest.approx([26 / 0.68, 26 / 0.707])
    assert got["method"].tolist() == ["rpe_chart", "rpe_chart"]
    assert got["n_sets"].tolist() == [2, 2]


def test_one_e1rm_method_per_lift_series():
    # one unrated set makes the whole series use the formula: no fake drop between sessions
    rows = [
        {"date": "2026-09-01", "exercise": "goblet_squat", "reps": 10, "load_kg": 26.0, "rpe": 8.0},
        {"date": "2026-09-04", "exercise": "goblet_squat", "reps": 10, "load_kg": 26.0},
        {"date": "2026-09-01", "exercise": "back_squat", "reps": 5, "load_kg": 100.0, "rpe": 8.0},
    ]
    got = best_e1rm(make_sets(rows))
    squat = got[got["exercise"] == "goblet_squat"]
    assert squat["e1rm_kg"].tolist() == pytest.approx([26 * (1 + 10 / 30)] * 2)
    assert squat["method"].tolist() == ["epley", "epley"]
    assert got.loc[got["exercise"] == "back_squat", "method"].tolist() == ["rpe_chart"]

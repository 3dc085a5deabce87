"""Tests for analysis.workload: session load, weekly load, monotony, strain, acute/chronic load."""

from __future__ import annotations

import copy
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.acwr import acute_chronic_load, acwr
from analysis.columns import SETS, conform
from analysis.errors import MissingColumnsError
from analysis.workload import monotony, session_load, weekly_load


def _squats(*dates: str, athlete: str = "ann", reps: int = 5, load: float = 100.0) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "athlete": athlete,
            "date": pd.to_datetime(list(dates)),
            "exercise": "back_squat",
            "side": "both",
            "set_index": 1,
            "reps": reps,
            "load_kg": load,
            "warmup": False,
        }
    )
    return conform(frame, SETS)


def _loads(values: list[float | None], start: str = "2024-03-04", athlete: str = "ann"):
    return pd.DataFrame(
        {
            "athlete": athlete,
            "date": pd.date_range(start, periods=len(values), freq="D"),
            "load_au": pd.array(values, dtype="Float64"),
        }
    )


def _srpe(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["athlete", "date", "session_rpe", "duration_min"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame


# --- session_load -------------------------------------------------------------------------------


def test_session_load_foster_example_rpe_7_for_60_minutes_is_420_au():
    out = session_load(_squats("2024-03-04"), sessions=_srpe([("ann", "2024-03-04", 7, 60)]))
    assert out["load_au"].tolist() == [420.0]
    assert out["load_method"].tolist() == ["session_rpe"]


def test_session_load_falls_back_to_volume_load_and_keeps_sessions_without_sets():
    sets = _squats("2024-03-04", "2024-03-06")  # 5 x 100 kg = 500 kg each
    srpe = _srpe(
        [
            ("ann", "2024-03-04 07:00", 7, 60),  # two entries on one day add up:
            ("ann", "2024-03-04 18:00", 5, 30),  # 420 + 150 = 570 AU over 90 min
            ("ann", "2024-03-08", 4, 45),  # no sets that day: 180 AU
            ("ann", "2024-03-06", None, 40),  # no RPE: falls back to volume load
        ]
    )
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ann"] * 3, dtype="string"),
            "date": pd.to_datetime(["2024-03-04", "2024-03-06", "2024-03-08"]).astype(
                "datetime64[us]"
            ),
            "week_start": pd.to_datetime(["2024-03-04"] * 3).astype("datetime64[us]"),
            "session_rpe": pd.array([570 / 90, None, 4.0], dtype="Float64"),
            "duration_min": pd.array([90.0, None, 45.0], dtype="Float64"),
            "volume_load_kg": pd.array([500.0, 500.0, None], dtype="Float64"),
            "load_au": pd.array([570.0, 500.0, 180.0], dtype="Float64"),
            "load_method": pd.array(["session_rpe", "volume_load", "session_rpe"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(session_load(sets, sessions=srpe), expected)


def test_session_load_without_sessions_is_volume_load():
    out = session_load(_squats("2024-03-04", athlete="bob", reps=3, load=120.0))
    assert out["load_au"].tolist() == [360.0]
    assert out["load_method"].tolist() == ["volume_load"]
    assert out["session_rpe"].isna().all()


def test_session_load_rejects_rpe_off_the_cr10_scale():
    with pytest.raises(
        ValueError,
        match=r"expected session_rpe on the CR-10 scale \(0-10\), got 12 instead \(athlete 'ann', date 2024-03-04\)",
    ):
        session_load(_squats("2024-03-04"), sessions=_srpe([("ann", "2024-03-04", 12.0, 60)]))


def test_session_load_rejects_negative_duration():
    with pytest.raises(ValueError, match=r"expected duration_min of 0 minutes or more, got -5"):
        session_load(_squats("2024-03-04"), sessions=_srpe([("ann", "2024-03-04", 5, -5)]))


def test_session_load_sessions_missing_columns_message():
    srpe = _srpe([("ann", "2024-03-04", 7, 60)]).drop(columns="duration_min")
    with pytest.raises(
        MissingColumnsError, match=r"missing \['duration_min'\].*Pass a sessions frame"
    ):
        session_load(_squats("2024-03-04"), sessions=srpe)


def test_session_load_sets_missing_columns_message():
    with pytest.raises(MissingColumnsError, match=r"session_summary\(\) expected columns"):
        session_load(pd.DataFrame({"athlete": ["ann"]}))


# --- weekly_load --------------------------------------------------------------------------------


def test_weekly_load_includes_empty_weeks_and_reports_methods():
    loads = pd.DataFrame(
        {
            "athlete": ["ann", "ann", "ann", "ann"],
            "date": pd.to_datetime(["2024-03-04", "2024-03-07", "2024-03-20", "2024-03-21"]),
            "load_au": pd.array([420.0, 300.0, 500.0, None], dtype="Float64"),
            "load_method": ["session_rpe", "volume_load", "volume_load", "volume_load"],
        }
    )
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ann"] * 3, dtype="string"),
            "week_start": pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"]).astype(
                "datetime64[us]"
            ),
            "sessions": pd.array([2, 0, 2], dtype="Int64"),
            "sessions_without_load": pd.array([0, 0, 1], dtype="Int64"),
            "load_au": pd.array([720.0, 0.0, 500.0], dtype="Float64"),
            "load_change_au": pd.array([None, -720.0, 500.0], dtype="Float64"),
            "load_method": pd.array(["mixed", None, "volume_load"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(weekly_load(loads), expected)


def test_weekly_load_missing_columns_message():
    with pytest.raises(
        MissingColumnsError,
        match=r"weekly_load\(\) expected columns \['athlete', 'date', 'load_au'\].*session_load",
    ):
        weekly_load(pd.DataFrame({"athlete": ["ann"], "date": pd.to_datetime(["2024-03-04"])}))


# --- monotony -----------------------------------------------------------------------------------


def test_monotony_three_equal_days_and_four_rest_days():
    # loads a, 0, a, 0, a, 0, 0: mean 3a/7, population SD a·√12/7, monotony √(3/4)
    loads = _loads([400.0, None, 400.0, None, 400.0]).dropna()
    out = monotony(loads)
    assert out["n_days"].tolist() == [7]
    assert out["load_au"].tolist() == [1200.0]
    assert math.isclose(out["mean_daily_au"][0], 1200 / 7)
    assert math.isclose(out["sd_daily_au"][0], 400 * math.sqrt(12) / 7)
    assert math.isclose(out["monotony"][0], math.sqrt(3 / 4))
    assert math.isclose(out["strain_au"][0], 1200 * math.sqrt(3 / 4))
    assert out["status"].tolist() == ["ok"]
    assert out["method"].tolist() == ["mean/SD of 7 daily loads, ddof=0"]


def test_monotony_sample_sd():
    # sample SD: a·√(12/42) → monotony = (3/7)/√(12/42) = √(18/28)
    loads = _loads([400.0, None, 400.0, None, 400.0]).dropna()
    assert math.isclose(monotony(loads, ddof=1)["monotony"][0], math.sqrt(18 / 28))


def test_monotony_sums_sessions_of_a_day_and_spans_whole_weeks():
    loads = pd.DataFrame(
        {
            "athlete": "ann",
            "date": pd.to_datetime(["2024-03-06", "2024-03-06", "2024-03-14"]),
            "load_au": [100.0, 300.0, 400.0],
        }
    )
    out = monotony(loads)
    assert out["week_start"].dt.strftime("%m-%d").tolist() == ["03-04", "03-11"]
    assert out["load_au"].tolist() == [400.0, 400.0]
    assert math.isclose(out["monotony"][0], math.sqrt(1 / 6))


def test_monotony_undefined_when_sd_is_zero():
    same = _loads([300.0] * 7)  # Monday to Sunday, the same load every day
    empty_week = pd.concat([_loads([300.0]), _loads([200.0], start="2024-03-18")])
    out = monotony(same)
    assert out["monotony"].isna().all()
    assert out["strain_au"].isna().all()
    assert out["status"].tolist() == ["no day-to-day variation (SD 0)"]
    gap = monotony(empty_week)
    assert gap["status"].tolist() == ["ok", "no load", "ok"]
    assert gap["monotony"].isna().tolist() == [False, True, False]
    assert not np.isinf(gap["monotony"].to_numpy(dtype=float, na_value=np.nan)).any()


@pytest.mark.parametrize("ddof", [2, -1, True, 0.5])
def test_monotony_rejects_other_ddof(ddof):
    with pytest.raises(ValueError, match=r"ddof must be 0 or 1, got .* instead"):
        monotony(_loads([1.0]), ddof=ddof)


# --- acute and chronic load ---------------------------------------------------------------------


def test_ewma_hand_values_first_day_seed():
    # acute λ = 2/8 = 0.25, chronic λ = 2/29; loads 100, 0, 200
    out = acute_chronic_load(_loads([100.0, None, 200.0]).dropna())
    assert out["day"].tolist() == [1, 2, 3]
    assert out["load_au"].tolist() == [100.0, 0.0, 200.0]
    np.testing.assert_allclose(out["acute_au_per_day"].to_numpy(float), [100.0, 75.0, 106.25])
    c2 = 100 * 27 / 29
    np.testing.assert_allclose(
        out["chronic_au_per_day"].to_numpy(float), [100.0, c2, 200 * 2 / 29 + c2 * 27 / 29]
    )
    assert out["method"].unique().tolist() == ["ewma_seed_first"]


def test_ewma_hand_values_zero_seed():
    out = acute_chronic_load(_loads([100.0, None, 200.0]).dropna(), seed="zero")
    np.testing.assert_allclose(out["acute_au_per_day"].to_numpy(float), [25.0, 18.75, 64.0625])
    assert out["method"].unique().tolist() == ["ewma_seed_zero"]


def test_rolling_uncoupled_hand_values():
    # days 1-21: 100 AU, days 22-28: 200 AU, day 29: 0 AU
    loads = pd.concat([_loads([100.0] * 21 + [200.0] * 7 + [0.0]), _loads([50.0], athlete="bob")])
    out = acute_chronic_load(loads, method="rolling")
    ann = out[out["athlete"] == "ann"]
    assert ann["acute_au_per_day"].isna().sum() == 6
    assert ann["chronic_au_per_day"].isna().sum() == 27
    assert ann["acute_au_per_day"].iloc[27] == 200.0
    assert ann["chronic_au_per_day"].iloc[27] == 100.0
    assert math.isclose(ann["acute_au_per_day"].iloc[28], 1200 / 7)
    assert math.isclose(ann["chronic_au_per_day"].iloc[28], 2200 / 21)
    ratio = acwr(loads, method="rolling")
    assert ratio.loc[ratio["athlete"] == "ann", "acwr"].iloc[27] == 2.0
    assert ratio.loc[ratio["athlete"] == "bob", "status"].tolist() == ["not enough data"]


def test_acwr_warm_up_and_chronic_near_zero_guard():
    loads = _loads([0.0] * 27 + [0.5, 10.0])
    out = acwr(loads)
    assert out["status"].iloc[:27].eq("not enough data").all()
    assert out["acwr"].iloc[:27].isna().all()
    assert out["status"].iloc[27] == "chronic load near zero"  # chronic 0.5·2/29 ≈ 0.03 AU/day
    assert out["status"].iloc[28] == "chronic load near zero"
    relaxed = acwr(loads, min_chronic=0.01, warmup_days=29)
    assert relaxed["status"].iloc[27:].tolist() == ["not enough data", "ok"]
    assert relaxed["acwr"].iloc[28] > 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "coupled"}, "method must be one of 'ewma', 'rolling', got 'coupled' instead"),
        ({"seed": "mean"}, "seed must be one of 'first', 'zero', got 'mean' instead"),
        ({"warmup_days": 7}, "warmup_days must be an integer of at least 28, got 7 instead"),
        ({"min_chronic": 0}, "min_chronic must be a positive number, got 0 instead"),
    ],
)
def test_acwr_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        acwr(_loads([1.0]), **kwargs)


def test_acute_chronic_missing_columns_message():
    with pytest.raises(
        MissingColumnsError,
        match=r"acute_chronic_load\(\) expected columns .*missing \['load_au'\]",
    ):
        acute_chronic_load(_loads([1.0]).drop(columns="load_au"))


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ann", "bob"]),
            st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 3, 31)),
            st.one_of(st.none(), st.floats(0, 1000)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_property_load_functions_do_not_mutate_and_conserve_load(rows):
    loads = pd.DataFrame(rows, columns=["athlete", "date", "load_au"])
    loads["date"] = pd.to_datetime(loads["date"])
    before = copy.deepcopy(loads)
    total = float(loads["load_au"].sum())
    weekly = weekly_load(loads)
    assert math.isclose(float(weekly["load_au"].sum()), total, rel_tol=1e-9, abs_tol=1e-6)
    assert int(weekly["sessions"].sum()) == len(loads)
    mono = monotony(loads)
    assert math.isclose(float(mono["load_au"].sum()), total, rel_tol=1e-9, abs_tol=1e-6)
    assert (mono["monotony"].dropna() >= 0).all()
    daily = acute_chronic_load(loads)
    assert math.isclose(float(daily["load_au"].sum()), total, rel_tol=1e-9, abs_tol=1e-6)
    shown = acwr(loads)
    assert (shown.loc[shown["status"] == "ok", "day"] >= 28).all()
    pd.testing.assert_frame_equal(loads, before)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=10))
def test_property_session_load_does_not_mutate_sets(reps):
    sets = _squats(*[f"2024-03-{d + 1:02d}" for d in range(len(reps))])
    sets["reps"] = pd.array(reps, dtype="Int64")
    before = copy.deepcopy(sets)
    out = session_load(sets)
    assert out["load_au"].sum() == 100.0 * sum(reps)
    pd.testing.assert_frame_equal(sets, before)

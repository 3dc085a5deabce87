"""Tests for analysis.volume: weekly volume, session summary, adherence.

The hand example (``_week_sets``) used throughout, athlete ann:

Mon 2024-03-04
  back_squat (both)  set 1 warm-up 5 x 60 kg; set 2 5 x 100 @ RPE 8; set 3 5 x 100 @ RPE 6.5
  bulgarian_split_squat  set 1 L 8 x 20 @ 7, R 8 x 20 (no RPE); set 2 L 8 x 20 @ 8, R 8 x 20 @ 9;
                         set 3 L 8 x 20 only (no partner)
  plank  set 1 45 s, set 2 30 s (no reps)
  glute_bridge  set 1 10 reps at 0 kg
Thu 2024-03-07
  glute_bridge  sets 1-2 12 reps at 0 kg
  back_squat  set 1 5 x 100 @ 7
Mon 2024-03-11
  bulgarian_split_squat  set 1 L 10 x 0 kg, R 10 x 0 kg @ 6

Week of 2024-03-04, by hand:
  sets 12 = back squat 4 + BSS 3 (two pairs + one single left set) + plank 2 + glute bridge 3;
  working 11; hard (RPE >= 7) 4 = squat @8, squat @7, BSS pair 1 (7), BSS pair 2 (9);
  rpe_sets 5 = three squat sets + two BSS pairs; reps 89 = squat 15 + BSS 40 + bridge 34;
  volume load 2300 kg = squat 3 x 500 + BSS 5 x 8 x 20; hold 75 s; bodyweight reps 34.
Week of 2024-03-11: 1 set (a pair), reps 20, bodyweight reps 20 (BSS at 0 kg), rpe_sets 1.
With bodyweight 60 kg from 2024-03-05 and 70 kg from 2024-03-10:
  week 1 adds 24 x 60 x 0.6 = 864 kg (the 03-04 bridge set has no known bodyweight yet);
  week 2 adds 20 x 70 x 0.8 = 1120 kg.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.columns import SETS, conform, empty
from analysis.errors import MissingColumnsError
from analysis.frequency import adherence
from analysis.volume import session_summary, weekly_volume

TEST_CATALOG = pd.DataFrame(
    {
        "exercise": ["back_squat", "bulgarian_split_squat", "glute_bridge", "plank"],
        "name": ["Back squat", "Bulgarian split squat", "Glute bridge", "Plank"],
        "pattern": ["squat", "lunge", "bridge", "core"],
        "unilateral": [False, True, False, False],
        "load_type": ["external", "external", "bodyweight", "time"],
        "muscles": ["quadriceps;glutes", "quadriceps;glutes", "glutes;hamstrings", "abdominals"],
        "bodyweight_fraction": pd.array([None, 0.8, 0.6, None], dtype="Float64"),
        "aliases": ["", "BSS", "", ""],
    }
)
WEEK1 = pd.Timestamp("2024-03-04")
WEEK2 = pd.Timestamp("2024-03-11")


def _sets(rows: list[tuple], athlete: str = "ann") -> pd.DataFrame:
    cols = [
        "date",
        "exercise",
        "side",
        "set_index",
        "reps",
        "load_kg",
        "duration_s",
        "rpe",
        "warmup",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["athlete"] = athlete
    return conform(frame, SETS)


def _week_sets() -> pd.DataFrame:
    n = None
    return _sets(
        [
            ("2024-03-04", "back_squat", "both", 1, 5, 60.0, n, n, True),
            ("2024-03-04", "back_squat", "both", 2, 5, 100.0, n, 8.0, False),
            ("2024-03-04", "back_squat", "both", 3, 5, 100.0, n, 6.5, False),
            ("2024-03-04", "bulgarian_split_squat", "left", 1, 8, 20.0, n, 7.0, False),
            ("2024-03-04", "bulgarian_split_squat", "right", 1, 8, 20.0, n, n, False),
            ("2024-03-04", "bulgarian_split_squat", "left", 2, 8, 20.0, n, 8.0, False),
            ("2024-03-04", "bulgarian_split_squat", "right", 2, 8, 20.0, n, 9.0, False),
            ("2024-03-04", "bulgarian_split_squat", "left", 3, 8, 20.0, n, n, False),
            ("2024-03-04", "plank", "both", 1, n, 0.0, 45.0, n, False),
            ("2024-03-04", "plank", "both", 2, n, 0.0, 30.0, n, False),
            ("2024-03-04", "glute_bridge", "both", 1, 10, 0.0, n, n, False),
            ("2024-03-07", "glute_bridge", "both", 1, 12, 0.0, n, n, False),
            ("2024-03-07", "glute_bridge", "both", 2, 12, 0.0, n, n, False),
            ("2024-03-07", "back_squat", "both", 1, 5, 100.0, n, 7.0, False),
            ("2024-03-11", "bulgarian_split_squat", "left", 1, 10, 0.0, n, n, False),
            ("2024-03-11", "bulgarian_split_squat", "right", 1, 10, 0.0, n, 6.0, False),
        ]
    )


def _expected(keys: dict, **measures: list) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            k: pd.array(v, dtype="string") if k not in ("week_start", "date") else v
            for k, v in keys.items()
        }
    )
    for name in ("week_start", "date"):
        if name in out:
            out[name] = pd.to_datetime(out[name]).astype("datetime64[us]")
    for name, values in measures.items():
        kind = "Float64" if name.endswith(("_kg", "_s")) else "Int64"
        out[name] = pd.array(values, dtype=kind)
    return out


BODYWEIGHT = pd.DataFrame(
    {
        "athlete": ["ann", "ann", "bob"],
        "date": pd.to_datetime(["2024-03-05", "2024-03-10", "2024-01-01"]),
        "bodyweight_kg": [60.0, 70.0, 100.0],
    }
)


# --- weekly_volume ------------------------------------------------------------------------------


def test_weekly_volume_total_hand_example():
    expected = _expected(
        {"athlete": ["ann", "ann"], "week_start": [WEEK1, WEEK2]},
        sessions=[2, 1],
        sets=[12, 1],
        working_sets=[11, 1],
        hard_sets=[4, 0],
        rpe_sets=[5, 1],
        reps=[89, 20],
        volume_load_kg=[2300.0, 0.0],
        bodyweight_volume_kg=[0.0, 0.0],
        hold_s=[75.0, 0.0],
        bodyweight_reps=[34, 20],
    )
    pd.testing.assert_frame_equal(weekly_volume(_week_sets(), catalog=TEST_CATALOG), expected)


def test_weekly_volume_adds_latest_bodyweight_times_fraction_to_bodyweight_sets():
    out = weekly_volume(_week_sets(), bodyweight=BODYWEIGHT, catalog=TEST_CATALOG)
    assert out["bodyweight_volume_kg"].tolist() == [864.0, 1120.0]
    assert out["volume_load_kg"].tolist() == [2300.0 + 864.0, 1120.0]


def test_weekly_volume_by_side_counts_each_side_on_its_own():
    expected = _expected(
        {
            "athlete": ["ann"] * 5,
            "week_start": [WEEK1, WEEK1, WEEK1, WEEK2, WEEK2],
            "side": ["both", "left", "right", "left", "right"],
        },
        sessions=[2, 1, 1, 1, 1],
        sets=[9, 3, 2, 1, 1],
        working_sets=[8, 3, 2, 1, 1],
        hard_sets=[2, 2, 1, 0, 0],
        rpe_sets=[3, 2, 1, 0, 1],
        reps=[49, 24, 16, 10, 10],
        volume_load_kg=[1500.0, 480.0, 320.0, 0.0, 0.0],
        bodyweight_volume_kg=[0.0] * 5,
        hold_s=[75.0, 0.0, 0.0, 0.0, 0.0],
        bodyweight_reps=[34, 0, 0, 10, 10],
    )
    pd.testing.assert_frame_equal(
        weekly_volume(_week_sets(), by="side", catalog=TEST_CATALOG), expected
    )


def test_weekly_volume_by_exercise():
    expected = _expected(
        {
            "athlete": ["ann"] * 5,
            "week_start": [WEEK1] * 4 + [WEEK2],
            "exercise": [
                "back_squat",
                "bulgarian_split_squat",
                "glute_bridge",
                "plank",
                "bulgarian_split_squat",
            ],
        },
        sessions=[2, 1, 2, 1, 1],
        sets=[4, 3, 3, 2, 1],
        working_sets=[3, 3, 3, 2, 1],
        hard_sets=[2, 2, 0, 0, 0],
        rpe_sets=[3, 2, 0, 0, 1],
        reps=[15, 40, 34, 0, 20],
        volume_load_kg=[1500.0, 800.0, 0.0, 0.0, 0.0],
        bodyweight_volume_kg=[0.0] * 5,
        hold_s=[0.0, 0.0, 0.0, 75.0, 0.0],
        bodyweight_reps=[0, 0, 34, 0, 20],
    )
    pd.testing.assert_frame_equal(
        weekly_volume(_week_sets(), by="exercise", catalog=TEST_CATALOG), expected
    )


def test_weekly_volume_by_pattern():
    out = weekly_volume(_week_sets(), by="pattern", catalog=TEST_CATALOG)
    week1 = out[out["week_start"] == WEEK1]
    assert week1["pattern"].tolist() == ["bridge", "core", "lunge", "squat"]
    assert week1["sets"].tolist() == [3, 2, 3, 4]
    assert week1["sessions"].tolist() == [2, 1, 1, 2]


def test_weekly_volume_by_muscle_counts_a_set_for_each_primary_muscle():
    out = weekly_volume(_week_sets(), by="muscle", catalog=TEST_CATALOG)
    week1 = out[out["week_start"] == WEEK1].reset_index(drop=True)
    expected = _expected(
        {
            "athlete": ["ann"] * 4,
            "week_start": [WEEK1] * 4,
            "muscle": ["abdominals", "glutes", "hamstrings", "quadriceps"],
        },
        sessions=[1, 2, 2, 2],
        sets=[2, 10, 3, 7],
        working_sets=[2, 9, 3, 6],
        hard_sets=[0, 4, 0, 4],
        rpe_sets=[0, 5, 0, 5],
        reps=[0, 89, 34, 55],
        volume_load_kg=[0.0, 2300.0, 0.0, 2300.0],
        bodyweight_volume_kg=[0.0] * 4,
        hold_s=[75.0, 0.0, 0.0, 0.0],
        bodyweight_reps=[0, 34, 34, 0],
    )
    pd.testing.assert_frame_equal(week1, expected)


def test_weekly_volume_by_muscle_ignores_blank_and_repeated_muscles():
    catalog = TEST_CATALOG.assign(
        muscles=["quadriceps; glutes;quadriceps;", "quadriceps;glutes", "glutes", ";"]
    )
    out = weekly_volume(_week_sets(), by="muscle", catalog=catalog)
    week1 = out[out["week_start"] == WEEK1]
    assert week1["muscle"].tolist() == ["glutes", "other", "quadriceps"]
    assert week1["sets"].tolist() == [10, 2, 7]


def test_weekly_volume_unknown_exercise_is_grouped_as_other():
    n = None
    sets = _sets([("2024-03-04", "zercher_hop", "both", 1, 6, 0.0, n, n, False)])
    assert weekly_volume(sets, by="pattern")["pattern"].tolist() == ["other"]
    assert weekly_volume(sets, by="muscle")["muscle"].tolist() == ["other"]
    assert weekly_volume(sets)["bodyweight_reps"].tolist() == [6]


def test_weekly_volume_separates_athletes_and_ignores_rows_without_date():
    n = None
    ann = _sets([("2024-03-04", "back_squat", "both", 1, 5, 100.0, n, n, False)])
    bob = _sets(
        [
            ("2024-03-05", "back_squat", "both", 1, 3, 120.0, n, n, False),
            (None, "back_squat", "both", 2, 3, 120.0, n, n, False),
        ],
        athlete="bob",
    )
    out = weekly_volume(pd.concat([bob, ann]))
    assert out["athlete"].tolist() == ["ann", "bob"]
    assert out["volume_load_kg"].tolist() == [500.0, 360.0]


def test_weekly_volume_accepts_category_and_object_keys():
    sets = _week_sets()
    expected = weekly_volume(sets, by="side", catalog=TEST_CATALOG)
    for dtype in ("category", object):
        keyed = sets.astype({"athlete": dtype, "exercise": dtype, "side": dtype})
        out = weekly_volume(keyed, by="side", catalog=TEST_CATALOG)
        pd.testing.assert_frame_equal(out, expected)


def test_weekly_volume_missing_side_counts_as_both():
    n = None
    sets = _sets(
        [
            ("2024-03-04", "back_squat", n, 1, 5, 100.0, n, n, False),
            ("2024-03-04", "bulgarian_split_squat", "left", 1, 8, 20.0, n, n, False),
        ]
    )
    out = weekly_volume(sets, by="side", catalog=TEST_CATALOG)
    assert out["side"].tolist() == ["both", "left"]
    assert out["volume_load_kg"].tolist() == [500.0, 160.0]


def test_weekly_volume_of_no_sets_is_an_empty_frame_with_the_columns():
    out = weekly_volume(empty(SETS), by="exercise")
    assert list(out.columns) == [
        "athlete",
        "week_start",
        "exercise",
        "sessions",
        "sets",
        "working_sets",
        "hard_sets",
        "rpe_sets",
        "reps",
        "volume_load_kg",
        "bodyweight_volume_kg",
        "hold_s",
        "bodyweight_reps",
    ]
    assert len(out) == 0


def test_weekly_volume_missing_columns_message():
    sets = _week_sets().drop(columns=["warmup", "rpe"])
    with pytest.raises(
        MissingColumnsError,
        match=r"weekly_volume\(\) expected columns .*, missing \['rpe', 'warmup'\]",
    ):
        weekly_volume(sets)


def test_weekly_volume_bodyweight_missing_column_message():
    with pytest.raises(
        MissingColumnsError, match=r"missing \['bodyweight_kg'\].*Pass a bodyweight frame"
    ):
        weekly_volume(_week_sets(), bodyweight=BODYWEIGHT.drop(columns="bodyweight_kg"))


def test_weekly_volume_rejects_unknown_by():
    with pytest.raises(ValueError, match=r"by must be one of .*, got 'week' instead"):
        weekly_volume(_week_sets(), by="week")


@pytest.mark.parametrize("value", [0, 11, "7", True])
def test_weekly_volume_rejects_hard_rpe_out_of_range(value):
    with pytest.raises(ValueError, match=r"hard_rpe must be a number from 1 to 10, got .* instead"):
        weekly_volume(_week_sets(), hard_rpe=value)


def test_weekly_volume_rejects_text_dates():
    sets = _week_sets().assign(date="2024-03-04")
    with pytest.raises(TypeError, match=r"weekly_volume\(\) expected a datetime64 column 'date'"):
        weekly_volume(sets)


def test_hard_rpe_threshold_is_a_parameter():
    out = weekly_volume(_week_sets(), hard_rpe=8.5, catalog=TEST_CATALOG)
    assert out["hard_sets"].tolist() == [1, 0]  # only the BSS pair with RPE 9


# --- session_summary ----------------------------------------------------------------------------


def test_session_summary_hand_example():
    expected = _expected(
        {
            "athlete": ["ann"] * 3,
            "date": ["2024-03-04", "2024-03-07", "2024-03-11"],
            "week_start": [WEEK1, WEEK1, WEEK2],
        },
        exercises=[4, 2, 1],
        sets=[9, 3, 1],
        working_sets=[8, 3, 1],
        hard_sets=[3, 1, 0],
        rpe_sets=[4, 1, 1],
        reps=[60, 29, 20],
        volume_load_kg=[1800.0, 500.0, 1120.0],
        bodyweight_volume_kg=[0.0, 0.0, 1120.0],
        hold_s=[75.0, 0.0, 0.0],
        bodyweight_reps=[10, 24, 20],
    )
    expected.loc[1, ["volume_load_kg", "bodyweight_volume_kg"]] = [500.0 + 864.0, 864.0]
    out = session_summary(_week_sets(), bodyweight=BODYWEIGHT, catalog=TEST_CATALOG)
    pd.testing.assert_frame_equal(out, expected)


def test_session_summary_missing_columns_message():
    with pytest.raises(MissingColumnsError, match=r"session_summary\(\) expected columns"):
        session_summary(pd.DataFrame({"athlete": ["ann"]}))


# --- adherence ----------------------------------------------------------------------------------


def _sessions(athlete: str, *dates: str) -> pd.DataFrame:
    return pd.DataFrame({"athlete": athlete, "date": pd.to_datetime(list(dates))})


def test_adherence_shows_a_missed_week_as_zero():
    sets = pd.concat(
        [
            _sessions("ann", "2024-03-04", "2024-03-04", "2024-03-07", "2024-03-20"),
            _sessions("bob", "2024-03-12"),
        ]
    )
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ann", "ann", "ann", "bob"], dtype="string"),
            "week_start": pd.to_datetime(
                ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-11"]
            ).astype("datetime64[us]"),
            "sessions": pd.array([2, 0, 1, 1], dtype="Int64"),
            "target": pd.array([2, 2, 2, 2], dtype="Int64"),
            "met": pd.array([True, False, False, False], dtype="boolean"),
        }
    )
    out = adherence(sets)
    pd.testing.assert_frame_equal(out, expected)
    # the one-liner for "below two sessions a week in the weeks with missed sessions":
    assert out.loc[out["week_start"] == "2024-03-11", "sessions"].lt(2).all()


def test_adherence_counts_from_each_athletes_first_logged_week():
    # start/end bound the weeks, but weeks before an athlete's first session are not started,
    # not missed (bob starts a week after ann)
    sets = pd.concat([_sessions("ann", "2024-03-05"), _sessions("bob", "2024-03-12")])
    out = adherence(sets, target_per_week=1, start="2024-03-01", end="2024-03-24")
    assert out["athlete"].tolist() == ["ann", "ann", "ann", "bob", "bob"]
    assert out["week_start"].dt.strftime("%m-%d").tolist() == [
        "03-04", "03-11", "03-18", "03-11", "03-18"
    ]  # fmt: skip
    assert out["sessions"].tolist() == [1, 0, 0, 1, 0]
    assert out["met"].tolist() == [True, False, False, True, False]


@pytest.mark.parametrize("target", [0, -1, 2.5, True])
def test_adherence_rejects_a_target_that_is_not_a_positive_integer(target):
    with pytest.raises(ValueError, match=r"target_per_week must be a positive integer, got .*"):
        adherence(_sessions("ann", "2024-03-05"), target_per_week=target)


def test_adherence_rejects_a_start_that_is_not_a_date():
    with pytest.raises(ValueError, match=r"adherence\(\) expected start to be a date such as '2026-11-22', got 'x'"):
        adherence(_sessions("ann", "2024-03-05"), start="x")


def test_adherence_missing_columns_message():
    with pytest.raises(
        MissingColumnsError, match=r"adherence\(\) expected columns \['athlete', 'date'\]"
    ):
        adherence(pd.DataFrame({"date": pd.to_datetime(["2024-03-05"])}))


# --- properties ---------------------------------------------------------------------------------

_EXERCISES = ["back_squat", "bulgarian_split_squat", "glute_bridge", "plank"]
_row = st.tuples(
    st.sampled_from(["ann", "bob"]),
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 2, 29)),
    st.sampled_from(_EXERCISES),
    st.sampled_from(["both", "left", "right"]),
    st.integers(1, 3),
    st.one_of(st.none(), st.integers(0, 15)),
    st.one_of(st.none(), st.integers(0, 80).map(lambda x: x * 2.5)),
    st.one_of(st.none(), st.sampled_from([20.0, 45.0])),
    st.one_of(st.none(), st.sampled_from([6.0, 7.0, 9.5])),
    st.booleans(),
)


def _random_sets(rows: list[tuple]) -> pd.DataFrame:
    cols = ["athlete", "date", "exercise", "side", "set_index", "reps", "load_kg", "duration_s"]
    frame = pd.DataFrame(rows, columns=[*cols, "rpe", "warmup"])
    frame["date"] = pd.to_datetime(frame["date"])
    return conform(frame, SETS)


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_row, min_size=1, max_size=40))
def test_property_weekly_sums_equal_total_volume_load_of_working_sets(rows):
    sets = _random_sets(rows)
    before = copy.deepcopy(sets)
    lifted = ~sets["warmup"] & (sets["exercise"] != "plank")  # plank is a time exercise
    total = float((sets["reps"] * sets["load_kg"])[lifted].sum())
    reps = int(sets.loc[lifted, "reps"].sum())
    for by in (None, "exercise", "pattern", "side"):
        out = weekly_volume(sets, by=by, catalog=TEST_CATALOG)
        assert np.isclose(float(out["volume_load_kg"].sum()), total)
        assert int(out["reps"].sum()) == reps
        assert (out["volume_load_kg"] >= 0).all()
        assert (out["hard_sets"] <= out["rpe_sets"]).all()
        assert (out["rpe_sets"] <= out["working_sets"]).all()
        assert (out["working_sets"] <= out["sets"]).all()
    summary = session_summary(sets, catalog=TEST_CATALOG)
    assert np.isclose(float(summary["volume_load_kg"].sum()), total)
    by_side = weekly_volume(sets, by="side", catalog=TEST_CATALOG)["sets"].sum()
    assert by_side == len(sets) >= weekly_volume(sets, catalog=TEST_CATALOG)["sets"].sum()
    adherence(sets)
    pd.testing.assert_frame_equal(sets, before)


@settings(max_examples=30, deadline=None)
@given(st.lists(_row, min_size=1, max_size=30))
def test_property_adherence_counts_every_session_once(rows):
    sets = _random_sets(rows)
    out = adherence(sets)
    assert int(out["sessions"].sum()) == len(sets[["athlete", "date"]].drop_duplicates())
    weeks = out.groupby("athlete")["week_start"].agg(["min", "max", "size"])
    assert ((weeks["max"] - weeks["min"]).dt.days // 7 + 1 == weeks["size"]).all()


@pytest.mark.parametrize("big", [False, True])
def test_pair_order_matches_lexsort_with_and_without_a_combined_key(big):
    from analysis.volume import _pair_order

    rng = np.random.default_rng(1)
    keys = [rng.integers(0, 3, 50), rng.integers(0, 4, 50), rng.integers(0, 2, 50)]
    if big:  # spans whose product passes 2**62 take the lexsort path
        keys.append(rng.integers(0, 2**40, 50))
        keys.append(rng.integers(0, 2**30, 50))
    order = _pair_order(keys)
    expected = np.lexsort(keys)
    for k in keys:
        np.testing.assert_array_equal(k[order], k[expected])


@pytest.mark.parametrize("big", [False, True])
def test_pair_runs_sorts_like_lexsort_and_marks_equal_keys(big):
    from analysis.volume import _pair_runs

    rng = np.random.default_rng(2)
    keys = (rng.integers(0, 2, 80), rng.integers(0, 3, 80), rng.integers(0, 2, 80).astype(bool))
    if big:  # spans whose product passes 2**62 take the lexsort path (no combined key)
        keys = (rng.integers(0, 2**40, 80), *keys, rng.integers(0, 2**30, 80))
    rows = np.flatnonzero(rng.random(80) < 0.7)
    last = rng.random(rows.size) < 0.5
    unit, order = _pair_runs(keys, rows, last)
    columns = [k[rows] for k in keys]
    expected = np.lexsort([last, *reversed(columns)])
    for column in (*columns, last):
        np.testing.assert_array_equal(column[order], column[expected])
    if big:
        assert unit is None
    else:  # equal combined key <=> equal on every key
        same = np.all([c[order][1:] == c[order][:-1] for c in columns], axis=0)
        np.testing.assert_array_equal(unit[1:] == unit[:-1], same)


@pytest.mark.parametrize(
    "dates",
    [
        ["2024-03-04", "2024-03-04", "2024-03-05", "2024-03-07"],  # few days: bitmap path
        ["2024-03-04", "2027-03-04", "2027-03-04", "2024-03-04"],  # years apart: np.unique
    ],
)
def test_adherence_counts_each_session_once_on_both_paths(dates):
    from analysis.frequency import _distinct_days

    a = np.array([0, 0, 1, 1] * 2)
    day = pd.to_datetime(dates * 2).to_numpy().astype("datetime64[D]").view("int64")
    got = _distinct_days(a, day)
    expected = (
        pd.DataFrame({"a": a, "day": day}).drop_duplicates().sort_values(["a", "day"])
    ).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    sets = pd.DataFrame(
        {"athlete": np.where(a == 0, "ann", "bob"), "date": pd.to_datetime(dates * 2)}
    )
    assert int(adherence(sets)["sessions"].sum()) == len(expected)


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("shuffled", [False, True])
def test_sums_equal_a_plain_groupby(wide, shuffled):
    from analysis.volume import _sums

    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "a": np.repeat(rng.integers(0, 4, n // 20), 20),  # runs, as logs list them
            "day": np.repeat(rng.integers(-5, 40, n // 4), 4) * (2**55 if wide else 1),
            "ex": rng.integers(0, 3, n),
            "kg": rng.random(n) * 100,
            "hard": rng.random(n) < 0.3,
        }
    )
    if shuffled:  # groups no longer in runs: pandas takes its other summation path
        frame = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    # wide: the keys do not fit one int64 (spans 4 x 45 x 2**55 x 3), so the plain groupby runs
    keys, measures = ["a", "day", "ex"], ["kg", "hard"]
    expected = frame.groupby(keys, sort=False)[measures].sum().reset_index()
    pd.testing.assert_frame_equal(_sums(frame, keys, measures), expected, check_exact=True)

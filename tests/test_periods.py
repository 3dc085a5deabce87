"""Tests for analysis.periods: ISO weeks and reassessment blocks."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import MissingColumnsError
from analysis.periods import blocks, label_blocks, week_start


def _dates(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), format="ISO8601"), dtype="datetime64[us]")


# --- week_start ---------------------------------------------------------------------------------


def test_week_start_is_the_monday_of_the_iso_week():
    dates = _dates(
        "2024-03-27",  # Wednesday
        "2024-03-31 18:30",  # Sunday evening: still the week of Monday 25 March
        "2024-04-01",  # Monday: its own week start
        "2021-01-03",  # Sunday of ISO week 2020-W53
        None,
    )
    dates.index = [10, 11, 12, 13, 14]
    expected = pd.Series(
        _dates("2024-03-25", "2024-03-25", "2024-04-01", "2020-12-28", None).to_numpy(),
        index=[10, 11, 12, 13, 14],
        name="week_start",
    )
    pd.testing.assert_series_equal(week_start(dates), expected)


def test_week_start_uses_the_local_day_of_aware_dates():
    dates = pd.Series(pd.to_datetime(["2024-03-31 23:30"]).tz_localize("Europe/Berlin"))
    assert week_start(dates).tolist() == [pd.Timestamp("2024-03-25")]


def test_week_start_rejects_a_list():
    with pytest.raises(TypeError, match="expected a pandas Series, got list instead"):
        week_start(["2024-03-27"])


def test_week_start_rejects_text_dates():
    with pytest.raises(TypeError, match=r"expected a datetime64 column 'date', got dtype"):
        week_start(pd.Series(["2024-03-27"], name="date"))


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_week_start_property_monday_within_the_week(day):
    stamp = pd.Timestamp(day)
    start = week_start(pd.Series([stamp]))[0]
    assert start.day_of_week == 0
    assert start <= stamp < start + pd.Timedelta(days=7)
    assert start.isocalendar()[:2] == stamp.isocalendar()[:2]


# --- blocks -------------------------------------------------------------------------------------


def test_blocks_hand_example_four_weeks():
    # end = Wednesday 2024-03-27 (ISO week 13): current = weeks 10-13, previous = weeks 6-9,
    # block -2 = weeks 2-5 (8 Jan - 4 Feb) holds the 2024-01-10 row.
    frame = pd.DataFrame({"date": _dates("2024-01-10", "2024-02-20", "2024-03-04", "2024-03-27")})
    expected = pd.DataFrame(
        {
            "block_index": pd.array([-2, -1, 0], dtype="Int64"),
            "block": pd.array(["block_-2", "previous", "current"], dtype="string"),
            "block_start": _dates("2024-01-08", "2024-02-05", "2024-03-04").to_numpy(),
            "block_end": _dates("2024-02-04", "2024-03-03", "2024-03-27").to_numpy(),
            "weeks": pd.array([4, 4, 4], dtype="Int64"),
            "n_rows": pd.array([1, 1, 2], dtype="Int64"),
        }
    )
    pd.testing.assert_frame_equal(blocks(frame), expected)


def test_blocks_explicit_end_six_weeks_excludes_later_rows():
    frame = pd.DataFrame({"when": _dates("2024-03-01", "2024-03-10", "2024-03-11")})
    out = blocks(frame, weeks=6, end="2024-03-10", date_col="when")
    # week of 2024-03-10 (a Sunday) starts 2024-03-04; 6 weeks back: 2024-01-29.
    assert out["block"].tolist() == ["previous", "current"]
    assert out["block_start"].tolist() == [pd.Timestamp("2023-12-18"), pd.Timestamp("2024-01-29")]
    assert out["block_end"].tolist() == [pd.Timestamp("2024-01-28"), pd.Timestamp("2024-03-10")]
    assert out["n_rows"].tolist() == [0, 2]


def test_blocks_always_has_previous_and_current_even_without_rows():
    empty = pd.DataFrame({"date": pd.Series([], dtype="datetime64[us]")})
    out = blocks(empty, weeks=5, end=pd.Timestamp("2024-03-27 17:00"))
    assert out["block_index"].tolist() == [-1, 0]
    assert out["n_rows"].tolist() == [0, 0]
    assert out["block_start"].tolist() == [pd.Timestamp("2024-01-22"), pd.Timestamp("2024-02-26")]


def test_blocks_without_dates_and_without_end_is_an_error():
    empty = pd.DataFrame({"date": pd.Series([], dtype="datetime64[us]")})
    with pytest.raises(ValueError, match="expected at least one dated row or an explicit end"):
        blocks(empty)


@pytest.mark.parametrize("weeks", [3, 7, 4.0, True, "4"])
def test_blocks_rejects_lengths_other_than_4_5_6(weeks):
    frame = pd.DataFrame({"date": _dates("2024-03-27")})
    with pytest.raises(ValueError, match=r"weeks must be 4, 5 or 6, got .* instead"):
        blocks(frame, weeks=weeks)


def test_blocks_message_for_three_weeks():
    frame = pd.DataFrame({"date": _dates("2024-03-27")})
    with pytest.raises(ValueError, match="weeks must be 4, 5 or 6, got 3 instead"):
        label_blocks(frame, weeks=3)


def test_blocks_any_length_accepts_one_to_52_weeks():
    frame = pd.DataFrame({"date": _dates("2024-03-20", "2024-03-27")})
    out = blocks(frame, weeks=1, any_length=True)
    assert out["block_start"].tolist() == [pd.Timestamp("2024-03-18"), pd.Timestamp("2024-03-25")]
    with pytest.raises(ValueError, match="expected weeks to be an integer from 1 to 52, got 53"):
        blocks(frame, weeks=53, any_length=True)


def test_blocks_rejects_an_end_that_is_not_a_date():
    frame = pd.DataFrame({"date": _dates("2024-03-27")})
    with pytest.raises(ValueError, match="expected end to be a date such as '2026-11-22', got 'soon' instead"):
        blocks(frame, end="soon")


def test_blocks_missing_date_column():
    with pytest.raises(MissingColumnsError, match=r"blocks\(\) expected columns \['date'\]"):
        blocks(pd.DataFrame({"day": [1]}))


# --- label_blocks -------------------------------------------------------------------------------


def test_label_blocks_adds_week_and_block_and_leaves_rows_after_end_unlabelled():
    frame = pd.DataFrame(
        {
            "date": _dates("2024-02-20", "2024-03-27", "2024-03-28", None).to_numpy(),
            "reps": [5, 6, 7, 8],
        },
        index=[7, 8, 9, 10],
    )
    before = frame.copy(deep=True)
    out = label_blocks(frame, end="2024-03-27")
    expected = pd.DataFrame(
        {
            "date": _dates("2024-02-20", "2024-03-27", "2024-03-28", None).to_numpy(),
            "reps": [5, 6, 7, 8],
            "week_start": _dates("2024-02-19", "2024-03-25", "2024-03-25", None).to_numpy(),
            "block_index": pd.array([-1, 0, None, None], dtype="Int64"),
            "block": pd.array(["previous", "current", None, None], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(out, expected)
    pd.testing.assert_frame_equal(frame, before)


def test_label_blocks_replaces_existing_label_columns():
    frame = pd.DataFrame({"date": _dates("2024-03-27"), "block": ["old"], "week_start": [1]})
    out = label_blocks(frame)
    assert list(out.columns) == ["date", "week_start", "block_index", "block"]
    assert out["block"].tolist() == ["current"]


def test_label_blocks_missing_column_message():
    with pytest.raises(MissingColumnsError, match=r"label_blocks\(\) expected columns \['start'\]"):
        label_blocks(pd.DataFrame({"date": _dates("2024-03-27")}), date_col="start")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2024, 12, 31)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([4, 5, 6]),
    st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2024, 12, 31)),
)
def test_label_blocks_property_rows_fall_inside_their_block(days, weeks, end):
    frame = pd.DataFrame({"date": pd.to_datetime(days).astype("datetime64[us]")})
    before = copy.deepcopy(frame)
    labelled = label_blocks(frame, weeks=weeks, end=end)
    table = blocks(frame, weeks=weeks, end=end).set_index("block_index")
    pd.testing.assert_frame_equal(frame, before)
    inside = labelled["block_index"].notna()
    assert (labelled.loc[~inside, "date"] > pd.Timestamp(end)).all()
    for date, index, label in labelled.loc[inside, ["date", "block_index", "block"]].itertuples(
        index=False
    ):
        assert table.loc[index, "block_start"] <= date <= table.loc[index, "block_end"]
        assert table.loc[index, "block"] == label
    counts = labelled["block_index"].value_counts()
    assert table["n_rows"].sum() == int(inside.sum())
    for index, n in counts.items():
        assert table.loc[index, "n_rows"] == n
    assert np.all(np.diff(table["block_start"].to_numpy()) == np.timedelta64(7 * weeks, "D"))

"""Tests for analysis.pace: formulas against published values, tables against hand-built frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.errors import MissingColumnsError
from analysis.pace import pace_trend, pace_trends, run_paces, weekly_pace
from analysis.running import format_pace, grade_adjusted_pace, riegel_time, vdot

MILE_M = 1609.344


def _runs(rows: list[tuple], **extra: list) -> pd.DataFrame:
    """Runs frame from (athlete, date, distance_km, duration_s) tuples."""
    athlete, date, dist, dur = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "athlete": pd.array(athlete, dtype="string"),
            "date": pd.to_datetime(list(date), format="ISO8601").astype("datetime64[us]"),
            "distance_km": pd.array(dist, dtype="Float64"),
            "duration_s": pd.array(dur, dtype="Float64"),
            **extra,
        }
    )


def _secs(text: str) -> int:
    return sum(int(part) * 60**i for i, part in enumerate(reversed(text.split(":"))))


# --- VDOT ------------------------------------------------------------------------------------


def test_vdot_daniels_gilbert_published_example():
    # domain.md §6: 10 km in 40:00 -> VO2 47.4645, %max 0.9137614, VDOT 51.944
    assert vdot(10_000, 40 * 60) == pytest.approx(47.4645 / 0.9137614, abs=1e-4)
    assert round(vdot(10_000, 40 * 60), 1) == 51.9
    assert isinstance(vdot(10_000, 2400), float)


# Daniels' Running Formula 3rd ed., Table 5.1 (domain.md §6): the formula is within ±0.07 VDOT.
VDOT_TABLE = {
    30: ("30:40", "63:46", "2:21:04", "4:49:17"),
    40: ("24:08", "50:03", "1:50:59", "3:49:45"),
    45: ("21:50", "45:16", "1:40:20", "3:28:26"),
    50: ("19:57", "41:21", "1:31:35", "3:10:49"),
    55: ("18:22", "38:06", "1:24:18", "2:56:01"),
    60: ("17:03", "35:22", "1:18:09", "2:43:25"),
    70: ("14:55", "31:00", "1:08:21", "2:23:10"),
}
DISTANCES_M = (5_000, 10_000, 21_097.5, 42_195)


@pytest.mark.parametrize(
    ("expected", "distance_m", "time"),
    [(v, d, t) for v, times in VDOT_TABLE.items() for d, t in zip(DISTANCES_M, times, strict=True)],
)
def test_vdot_matches_daniels_table_within_tolerance(expected, distance_m, time):
    assert vdot(distance_m, _secs(time)) == pytest.approx(expected, abs=0.07)


def test_vdot_5k_1957_is_about_50():
    assert vdot(5_000, _secs("19:57")) == pytest.approx(50, abs=0.05)


def test_vdot_vectorised_with_missing_and_invalid_values():
    out = vdot(pd.array([10_000, 0, None, 10_000], dtype="Float64"), [2400, 2400, 2400, -1])
    assert out[0] == pytest.approx(51.944, abs=1e-3)
    assert np.isnan(out[1:]).all()
    assert np.isnan(vdot(100, 3600))  # walking pace: VO2 < 0, outside the formula
    assert np.isnan(vdot(None, 2400))


def test_vdot_rejects_text():
    with pytest.raises(TypeError, match=r"vdot\(\) expected numbers for distance_m, got '10k'"):
        vdot("10k", 2400)


# --- Riegel ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target_m", "expected"),
    [(10_000, "41:42"), (21_097.5, "1:32:00"), (42_195, "3:11:49")],
)
def test_riegel_from_5k_in_20_minutes(target_m, expected):
    # domain.md §6 [C]: 5 km 20:00 -> 10 km 41:42, half 1:32:00, marathon 3:11:49
    assert format_pace(riegel_time(20 * 60, 5_000, target_m)) == expected


def test_riegel_doubling_factor_and_exponent():
    assert riegel_time(100.0, 1.0, 2.0) == pytest.approx(100 * 2**1.06)  # x 2.0849
    assert riegel_time(100.0, 1.0, 2.0, exponent=1.0) == 200.0
    out = riegel_time([1200, None], [5000, 5000], 10_000)
    assert out[0] == pytest.approx(2501.918, abs=1e-3)
    assert np.isnan(out[1])


@pytest.mark.parametrize("exponent", [0, -1.06, "1.06", True])
def test_riegel_rejects_bad_exponent(exponent):
    with pytest.raises(ValueError, match=r"riegel_time\(\) expected a positive exponent"):
        riegel_time(1200, 5000, 10_000, exponent=exponent)


# --- grade-adjusted pace ---------------------------------------------------------------------


def test_grade_adjusted_pace_minetti_loop_by_hand():
    # 10 km with 500 m gain: g = 500 / 5000 = 0.1; Cr(0.1) = 5.968214, Cr(-0.1) = 2.151706
    factor = (5.968214 + 2.151706) / 2 / 3.6
    assert grade_adjusted_pace(300.0, 10.0, 500.0) == pytest.approx(300 / factor, abs=1e-6)
    assert grade_adjusted_pace(300.0, 10.0, 0.0) == 300.0
    out = grade_adjusted_pace([300, 300, 300], [10, 1, 10], [np.nan, 300, -5])
    assert np.isnan(out).all()  # no elevation; g = 0.6 > 0.45; negative gain


# --- format_pace -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(59.6, "1:00"), (59.4, "0:59"), (299.5, "5:00"), (0, "0:00"), (305, "5:05"),
     (3599.6, "1:00:00"), (11_509.3, "3:11:49"), (None, "–"), (np.nan, "–"), (pd.NA, "–")],
)  # fmt: skip
def test_format_pace(seconds, text):
    assert format_pace(seconds) == text


@pytest.mark.parametrize("seconds", [-1, np.inf])
def test_format_pace_rejects_negative_and_infinite(seconds):
    with pytest.raises(ValueError, match=r"format_pace\(\) expected a finite number of seconds"):
        format_pace(seconds)


# --- run_paces -------------------------------------------------------------------------------


def test_run_paces_hand_built_frame():
    runs = _runs(
        [
            ("bo", "2025-03-02", 10.0, 2400.0),
            ("ana", "2025-03-09", 12.0, 3900.0),
            ("ana", "2025-03-03", 5.0, 1500.0),
            ("ana", "2025-03-05", 6.0, 1800.0),
            ("ana", "2025-03-07", 0.0, 100.0),
            ("ana", "2025-03-08", 8.0, 2400.0),
        ],
        run_type=pd.array([None, None, "Easy", "Long run", None, "parkrun"], dtype="string"),
        avg_hr_bpm=pd.array([150, 140, 150, None, None, 170], dtype="Float64"),
        elevation_gain_m=pd.array([None, 0, None, None, None, 400], dtype="Float64"),
    )
    before = runs.copy()
    out = run_paces(runs)
    pd.testing.assert_frame_equal(runs, before)  # input untouched
    # ana's median distance over runs with a distance: median(12, 5, 6, 8) = 7 -> long at >= 10.5
    expected = _runs(
        [
            ("ana", "2025-03-03", 5.0, 1500.0),
            ("ana", "2025-03-05", 6.0, 1800.0),
            ("ana", "2025-03-07", 0.0, 100.0),
            ("ana", "2025-03-08", 8.0, 2400.0),
            ("ana", "2025-03-09", 12.0, 3900.0),
            ("bo", "2025-03-02", 10.0, 2400.0),
        ],
        run_type=pd.array(["easy", "long", "easy", "race", "long", "easy"], dtype="string"),
        avg_hr_bpm=pd.array([150, None, None, 170, 140, 150], dtype="Float64"),
        elevation_gain_m=pd.array([None, None, None, 400, 0, None], dtype="Float64"),
    )
    expected["pace_s_per_km"] = pd.array([300, 300, None, 300, 325, 240], dtype="Float64")
    expected["run_type_source"] = pd.array(
        ["label", "label", "pace and heart rate", "label", "pace and heart rate",
         "pace and heart rate"], dtype="string"
    )  # fmt: skip
    expected["vdot"] = pd.array(
        [vdot(5000, 1500), vdot(6000, 1800), None, vdot(8000, 2400), vdot(12_000, 3900), 51.944083],
        dtype="Float64",
    )
    # 8 km, 400 m gain: g = 0.1 -> 300 / 1.127756 = 266.01; no gain -> pace itself
    expected["gap_s_per_km"] = pd.array(
        [None, None, None, 300 * 3.6 / ((5.968214 + 2.151706) / 2), 325, None], dtype="Float64"
    )
    # 5 km in 25 min = 200 m/min at 150 bpm = 1.3333 m/beat; 8 km in 40 min at 170 -> 200/170
    expected["efficiency_m_per_beat"] = pd.array(
        [200 / 150, None, None, 200 / 170, (12_000 / 65) / 140, 250 / 150], dtype="Float64"
    )
    pd.testing.assert_frame_equal(out, expected, atol=1e-5)


def test_run_paces_names_and_labels_with_keywords():
    runs = _runs(
        [("ana", f"2025-03-0{d}", 5.0, 1500.0) for d in range(1, 8)],
        run_type=pd.array(["Threshold", None, None, None, "other", "xyz", None], dtype="string"),
        name=["", "6x800m track", "Morning Run", "Sunday long run", "Race day", "easy jog", None],
    )
    out = run_paces(runs, name_column="name")
    assert out["run_type"].tolist() == [
        "tempo",
        "interval",
        "easy",
        "long",
        "other",
        "easy",
        "easy",
    ]
    assert out["run_type_source"].tolist() == [
        "label", "name", "pace and heart rate", "name", "label", "name", "pace and heart rate"
    ]  # fmt: skip


def test_generic_titles_are_typed_by_the_athletes_own_pace_and_heart_rate():
    # Garmin's default title says nothing; a 4:40 /km run at 170 bpm among 5:30 runs at 140 bpm
    # is a hard run, not an easy one
    easy = [("ana", f"2025-03-{d:02d}", 8.0, 8 * 330.0) for d in (1, 3, 5, 8, 10, 12)]
    runs = _runs(
        [*easy, ("ana", "2025-03-14", 8.0, 8 * 280.0), ("ana", "2025-03-15", 8.0, 8 * 328.0)],
        run_type=pd.array(["Bristol Running"] * 8, dtype="string"),
        avg_hr_bpm=pd.array([140, 141, 139, 142, 140, 138, 170, 168], dtype="Float64"),
    )
    out = run_paces(runs)
    assert out["run_type"].tolist() == ["easy"] * 6 + ["tempo", "tempo"]
    assert set(out["run_type_source"]) == {"pace and heart rate"}


def test_implausible_paces_are_left_out_of_pace_statistics():
    # 5 km "in 5 minutes" (a run left recording in a car, or a unit error) gets no pace
    runs = _runs(
        [("ana", "2025-03-03", 5.0, 300.0), ("ana", "2025-03-05", 5.0, 1500.0),
         ("ana", "2025-03-07", 1.0, 4000.0)],
        run_type=pd.array(["easy"] * 3, dtype="string"),
    )  # fmt: skip
    out = run_paces(runs)
    assert out["pace_s_per_km"].isna().tolist() == [True, False, True]
    week = weekly_pace(runs)
    assert week["runs"].tolist() == [1]
    assert week["mean_pace_s_per_km"].tolist() == [300.0]


def test_run_paces_missing_columns_message():
    with pytest.raises(
        MissingColumnsError,
        match=r"run_paces\(\) expected columns \['athlete', 'date', 'distance_km', 'duration_s'\], "
        r"missing \['duration_s'\].*pass log.runs",
    ):
        run_paces(
            pd.DataFrame(
                {"athlete": ["a"], "date": [pd.Timestamp("2025-01-01")], "distance_km": [5.0]}
            )
        )


def test_run_paces_rejects_text_distances():
    runs = _runs([("a", "2025-01-01", 5.0, 1500.0)]).astype({"distance_km": object})
    runs.loc[0, "distance_km"] = "5 km"
    with pytest.raises(
        TypeError, match=r"run_paces\(\) expected numbers for distance_km, got dtype object"
    ):
        run_paces(runs)


def test_run_paces_missing_name_column():
    with pytest.raises(MissingColumnsError, match=r"missing \['title'\]"):
        run_paces(_runs([("a", "2025-01-01", 5.0, 1500.0)]), name_column="title")


@pytest.mark.parametrize("factor", [1.0, 0.5, "2", True])
def test_run_paces_rejects_bad_long_factor(factor):
    with pytest.raises(
        ValueError, match=r"run_paces\(\) expected long_factor > 1 \(default 1.5\), got"
    ):
        run_paces(_runs([("a", "2025-01-01", 5.0, 1500.0)]), long_factor=factor)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(100, 2_600), st.floats(150.0, 720.0)),  # hundredths of a mile, s/km
        min_size=1,
        max_size=12,
    )
)
def test_pace_from_km_and_mile_files_agree(rows):
    # a km file (Strava-style distance in whole metres) and the same runs exported in miles
    # (2 decimals), converted with 1.609344 km/mile as a loader does
    miles = np.array([r[0] for r in rows]) / 100
    true_km = miles * MILE_M / 1000
    duration = np.round(true_km * np.array([r[1] for r in rows]))
    dates = pd.date_range("2025-01-06", periods=len(rows), freq="D")
    km_file = _runs(
        [
            ("a", d, round(k * 1000) / 1000, t)
            for d, k, t in zip(dates, true_km, duration, strict=True)
        ]
    )
    mile_file = _runs(
        [("a", d, m * 1.609344, t) for d, m, t in zip(dates, miles, duration, strict=True)]
    )
    a = run_paces(km_file)["pace_s_per_km"].to_numpy(dtype=float)
    b = run_paces(mile_file)["pace_s_per_km"].to_numpy(dtype=float)
    assert np.abs(a - b).max() <= 0.5


# --- weekly_pace -----------------------------------------------------------------------------


def _week_runs() -> pd.DataFrame:
    return _runs(
        [
            ("ana", "2025-03-03", 5.0, 1500.0),  # Mon, easy, 300 s/km
            ("ana", "2025-03-05", 10.0, 3300.0),  # Wed, easy, 330 s/km
            ("ana", "2025-03-09 18:00", 8.0, 2000.0),  # Sun evening, tempo, 250 s/km
            ("ana", "2025-03-10", 6.0, 1800.0),  # next Monday, easy
            ("ana", "2025-03-11", 0.0, 600.0),  # no distance: left out
        ],
        run_type=pd.array(["easy", "easy", "tempo", "easy", "easy"], dtype="string"),
    )


def test_weekly_pace_by_type_hand_computed():
    out = weekly_pace(_week_runs())
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ana"] * 3, dtype="string"),
            "week_start": pd.to_datetime(["2025-03-03", "2025-03-03", "2025-03-10"]).astype(
                "datetime64[us]"
            ),
            "run_type": pd.array(["easy", "tempo", "easy"], dtype="string"),
            "runs": pd.array([2, 1, 1], dtype="Int64"),
            "distance_km": pd.array([15.0, 8.0, 6.0], dtype="Float64"),
            "duration_s": pd.array([4800.0, 2000.0, 1800.0], dtype="Float64"),
            # mean of run paces (300 + 330) / 2; pooled 4800 / 15
            "mean_pace_s_per_km": pd.array([315.0, 250.0, 300.0], dtype="Float64"),
            "pooled_pace_s_per_km": pd.array([320.0, 250.0, 300.0], dtype="Float64"),
            "best_vdot": pd.array(
                [vdot(5000, 1500), vdot(8000, 2000), vdot(6000, 1800)], dtype="Float64"
            ),
        }
    )
    pd.testing.assert_frame_equal(out, expected)


def test_weekly_pace_all_types_pooled():
    out = weekly_pace(_week_runs(), by_type=False)
    assert out["run_type"].tolist() == ["all", "all"]
    assert out["runs"].tolist() == [3, 1]
    assert out["pooled_pace_s_per_km"].tolist() == [6800 / 23, 300.0]
    assert out["mean_pace_s_per_km"].tolist() == [pytest.approx(880 / 3), 300.0]
    assert isinstance(out.index, pd.RangeIndex)


def test_weekly_pace_missing_columns():
    with pytest.raises(MissingColumnsError, match=r"weekly_pace\(\) expected columns"):
        weekly_pace(pd.DataFrame({"athlete": ["a"]}))


# --- pace_trend ------------------------------------------------------------------------------


def _trend_runs(paces: list[float], dates: list[str]) -> pd.DataFrame:
    return _runs(
        [("ana", d, 10.0, p * 10) for p, d in zip(paces, dates, strict=True)],
        run_type=["easy"] * len(paces),
    )


def test_pace_trend_exact_line_is_faster():
    runs = _trend_runs(
        [330, 328, 326, 324], ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]
    )
    out = pace_trend(runs)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["ana", "ana"], dtype="string"),
            "block_index": pd.array([-1, 0], dtype="Int64"),
            "block": pd.array(["previous", "current"], dtype="string"),
            "block_start": pd.to_datetime(["2025-02-03", "2025-03-03"]).astype("datetime64[us]"),
            "block_end": pd.to_datetime(["2025-03-02", "2025-03-24"]).astype("datetime64[us]"),
            "run_type": pd.array(["easy", "easy"], dtype="string"),
            "n": pd.array([0, 4], dtype="Int64"),
            "method": pd.array(["ols", "ols"], dtype="string"),
            "mean_pace_s_per_km": pd.array([None, 327.0], dtype="Float64"),
            "slope_s_per_km_per_week": pd.array([None, -2.0], dtype="Float64"),
            "ci_low": pd.array([None, -2.0], dtype="Float64"),
            "ci_high": pd.array([None, -2.0], dtype="Float64"),
            "verdict": pd.array(["not enough data", "faster"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(out, expected, atol=1e-9)


def test_pace_trend_noisy_block_against_hand_values_and_linregress():
    # x = 0, 1, 2, 3 weeks; y = 300, 302, 298, 300: Sxy = -2, Sxx = 5 -> slope -0.4
    # residual variance (8 - 0.8) / 2 = 3.6; SE = sqrt(3.6 / 5); t(0.975, 2) = 4.302653
    dates = ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]
    prev = ["2025-02-03", "2025-02-10", "2025-02-17"]
    runs = _trend_runs([310, 309, 308, 300, 302, 298, 300], prev + dates)
    out = pace_trend(runs)
    current = out.iloc[1]
    half = 4.302653 * math.sqrt(3.6 / 5)
    assert current["slope_s_per_km_per_week"] == pytest.approx(-0.4)
    assert current["ci_low"] == pytest.approx(-0.4 - half, abs=1e-5)
    assert current["ci_high"] == pytest.approx(-0.4 + half, abs=1e-5)
    assert current["verdict"] == "no clear change"
    fit = stats.linregress([0, 1, 2, 3], [300, 302, 298, 300])
    assert current["slope_s_per_km_per_week"] == pytest.approx(fit.slope)
    previous = out.iloc[0]
    assert (previous["n"], previous["verdict"]) == (3, "not enough data")
    assert pd.isna(previous["slope_s_per_km_per_week"])


def test_pace_trend_end_all_types_and_slower():
    runs = _trend_runs(
        [300, 301, 302, 303, 250],
        ["2025-03-03", "2025-03-05", "2025-03-07", "2025-03-09", "2025-03-20"],
    )
    out = pace_trend(runs, end="2025-03-09", run_type=None)
    last = out.iloc[-1]
    assert (last["n"], last["run_type"], last["verdict"]) == (4, "all", "slower")
    assert last["slope_s_per_km_per_week"] == pytest.approx(3.5)  # 1 s/km every 2 days
    assert pace_trend(runs, run_type="race").empty


def test_pace_trend_rejects_bad_options():
    runs = _trend_runs([300], ["2025-03-03"])
    with pytest.raises(ValueError, match=r"pace_trend\(\) expected run_type to be one of"):
        pace_trend(runs, run_type="jog")
    with pytest.raises(ValueError, match=r"weeks must be 4, 5 or 6, got 3 instead"):
        pace_trend(runs, weeks=3)
    with pytest.raises(ValueError, match=r"expected end to be a date such as '2026-11-22', got 'soon' instead"):
        pace_trend(runs, end="soon")
    with pytest.raises(MissingColumnsError, match=r"pace_trend\(\) expected columns"):
        pace_trend(runs.drop(columns="date"))


@pytest.mark.parametrize(("end", "weeks"), [("2026-11-22", 4), ("2026-06-03", 6)])
def test_pace_trends_is_pace_trend_per_type(end: str, weeks: int) -> None:
    from analysis.sample import generate_squad

    _, runs = generate_squad(athletes=6, weeks=30, seed=3)
    types = ["easy", "interval", "long", "race", "tempo", "other"]
    want = pd.concat(
        [pace_trend(runs, weeks=weeks, end=end, run_type=t) for t in types], ignore_index=True
    )
    pd.testing.assert_frame_equal(pace_trends(runs, weeks=weeks, end=end, run_types=types), want)
    with pytest.raises(ValueError, match="run_type"):
        pace_trends(runs, end=end, run_types=["jog"])

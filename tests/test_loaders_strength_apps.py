"""Strong, Hevy and FitNotes readers: fixtures in tests/fixtures/apps (see make_fixtures.py)."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import LogFormatError, read_logs
from analysis.cli import main
from analysis.loaders.hevy import parse_hevy_dates

APPS = Path(__file__).parent / "fixtures" / "apps"
LB = 0.45359237  # kg per lb
CARDIO = "cardio in a strength export"

#: file -> (format printed by `liftpace check`, read_logs options, rows read, sets, skipped,
#: rows dropped with a problem)
MANIFEST: dict[str, tuple[str, dict, int, int, dict[str, int], set[int]]] = {
    "strong_classic_lb.csv": ("Strong (classic CSV export)", {"weight_unit": "lb"}, 21, 17, {"rest timer": 2, CARDIO: 2}, set()),
    "strong_classic_nonotes.csv": ("Strong (classic CSV export, no notes columns)", {}, 9, 7, {"rest timer": 1, CARDIO: 1}, set()),
    "strong_workout_number.csv": ("Strong (Workout # export)", {}, 10, 9, {CARDIO: 1}, set()),
    "strong_workout_number_lbs.csv": ("Strong (Workout # export)", {}, 3, 2, {CARDIO: 1}, set()),
    "strong_2019_semicolon.csv": ("Strong (2019-2020 semicolon export)", {}, 7, 6, {CARDIO: 1}, set()),
    "strong_defects.csv": ("Strong (classic CSV export)", {"weight_unit": "kg"}, 11, 5, {"blank": 1}, {3, 4, 9, 11, 12}),
    "hevy_kg_miles.csv": ("Hevy (CSV export)", {}, 16, 14, {CARDIO: 2}, set()),
    "hevy_lbs_km.csv": ("Hevy (CSV export)", {}, 5, 4, {CARDIO: 1}, set()),
    "hevy_german.csv": ("Hevy (CSV export)", {}, 3, 3, {}, set()),
    "hevy_defects.csv": ("Hevy (CSV export)", {}, 5, 2, {}, {2, 3, 5}),
    "fitnotes_current.csv": ("FitNotes (current export)", {}, 13, 12, {CARDIO: 1}, set()),
    "fitnotes_2025_no_comment.csv": ("FitNotes (2025 export, no comment column)", {}, 6, 5, {CARDIO: 1}, set()),
    "fitnotes_legacy_lbs.csv": ("FitNotes (legacy export)", {}, 6, 5, {CARDIO: 1}, set()),
    "fitnotes_defects.csv": ("FitNotes (current export)", {}, 5, 2, {}, {2, 4, 5}),
    "strong_fr.csv": ("Strong (classic CSV export, French header)", {}, 8, 7, {CARDIO: 1}, set()),
    "strong_pt.csv": ("Strong (classic CSV export, Portuguese header)", {}, 5, 5, {}, set()),
    "strong_zh.csv": ("Strong (classic CSV export, header in another language read by position)", {}, 3, 3, {}, set()),
    "strong_2016.csv": ("Strong (2016-2017 export)", {}, 6, 6, {}, set()),
    "hevy_notes_and_holds.csv": ("Hevy (CSV export)", {}, 10, 10, {}, set()),
    "fitnotes_sides.csv": ("FitNotes (current export)", {}, 5, 5, {}, set()),
    "fitbod_workout_export.csv": ("Fitbod (workout export)", {"timezone": "Europe/London"}, 13, 11, {"blank": 1, CARDIO: 1}, set()),
    "fitbod_pounds_2021.csv": ("Fitbod (workout export)", {"timezone": "Europe/London"}, 4, 4, {}, set()),
    "fitbod_2019.csv": ("Fitbod (2019 workout export)", {}, 3, 3, {}, set()),
}  # fmt: skip
#: Files written like the real export with CRLF line ends / with a final newline.
CRLF = {"strong_fr.csv", "strong_2016.csv"}
FINAL_NEWLINE = {"strong_2019_semicolon.csv", "fitnotes_legacy_lbs.csv", "fitbod_2019.csv", *CRLF}


def _load(name: str, **extra: object):
    return read_logs(APPS / name, **{**MANIFEST[name][1], **extra})


def summary(sets: pd.DataFrame) -> pd.DataFrame:
    """Per date, exercise and side: working sets, volume (reps x load_kg) and hold seconds."""
    work = sets[~sets["warmup"].astype(bool)]
    frame = pd.DataFrame(
        {
            "date": work["date"].dt.strftime("%Y-%m-%d"),
            "exercise": work["exercise"].astype(str),
            "side": work["side"].astype(str),
            "working_sets": 1,
            "volume_kg": work["reps"].astype(float).fillna(0) * work["load_kg"].astype(float),
            "hold_s": work["duration_s"].astype(float).fillna(0),
        }
    )
    out = frame.groupby(["date", "exercise", "side"], as_index=False).sum()
    return out.sort_values(["date", "exercise", "side"]).reset_index(drop=True)


def expected(rows: list[tuple]) -> pd.DataFrame:
    cols = ["date", "exercise", "side", "working_sets", "volume_kg", "hold_s"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"working_sets": "int64", "volume_kg": float, "hold_s": float})


def problems(rows: list[tuple]) -> pd.DataFrame:
    """Expected ``source_row, column, value, action`` of a problems table."""
    frame = pd.DataFrame(rows, columns=["source_row", "column", "value", "action"])
    return frame.astype(
        {"source_row": "Int64", "column": "string", "value": "string", "action": "string"}
    )


PROBLEM_COLS = ["source_row", "column", "value", "action"]


# --- fixtures: bytes and accounting ---------------------------------------------------------------


def test_fixtures_are_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("make_fixtures", APPS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.all_fixtures()
    assert set(written) == set(MANIFEST)
    for name, data in written.items():
        assert (APPS / name).read_bytes() == data, name


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_fixture_bytes_are_shaped_like_the_real_export(name):
    data = (APPS / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in data) == (name in CRLF)
    assert data.endswith(b"\n") == (name in FINAL_NEWLINE)
    if name.startswith("fitbod") and name != "fitbod_2019.csv":  # never quoted, blanks before numbers
        assert b'"' not in data
        assert b",Back Squat, 5," in data
    if name == "strong_workout_number.csv":  # every field quoted, ';'
        assert all(
            line.startswith('"') and line.endswith('"') for line in data.decode().splitlines()
        )


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_row_is_accounted_for(name):
    fmt, _, rows_read, n_sets, skipped, dropped = MANIFEST[name]
    log = _load(name)
    info = log.files[0]
    assert info["format"] == fmt
    assert info["rows_read"] == rows_read
    assert info["skipped"] == skipped
    assert len(log.sets) == n_sets
    set_rows = set(log.sets["source_row"].astype(int))
    dropped_rows = set(
        log.problems.loc[log.problems["action"] == "dropped", "source_row"].astype(int)
    )
    assert dropped_rows == dropped
    assert not set_rows & dropped_rows
    assert rows_read == len(set_rows) + len(dropped_rows) + sum(skipped.values())
    assert log.runs.empty  # cardio in a strength export is skipped, not a run
    assert (log.sets["athlete"] == name.removesuffix(".csv")).all()
    assert log.sets["date"].is_monotonic_increasing  # oldest first (Hevy is re-sorted)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_liftpace_check_names_the_format(name, capsys):
    fmt, options = MANIFEST[name][:2]
    argv = ["check", str(APPS / name)]
    if "weight_unit" in options:
        argv += ["--weight-unit", options["weight_unit"]]
    if "timezone" in options:
        argv += ["--timezone", options["timezone"]]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{name}: {fmt} - {MANIFEST[name][3]} sets" in out


# --- Strong -----------------------------------------------------------------------------------


def test_strong_classic_lb_numbers():
    log = _load("strong_classic_lb.csv")
    want = expected(
        [
            # W is a warm-up (excluded), D a working drop set; 149.99999999999997 lb -> 150 lb
            ("2025-09-02", "back_squat", "both", 3, (135 * 5 + 150 * 5 + 115 * 8) * LB, 0),
            # sides from the custom names "(Left)" / "(Right)"
            ("2025-09-02", "bulgarian_split_squat", "left", 1, 20 * 6 * LB, 0),
            ("2025-09-02", "bulgarian_split_squat", "right", 1, 20 * 6 * LB, 0),
            ("2025-09-02", "plank", "both", 1, 0, 45),
            # "Left leg" on the block's first row, carried down; F (failure) is a working set
            ("2025-09-02", "single_leg_rdl", "left", 3, (25 * 8 + 25 * 8 + 25 * 6) * LB, 0),
            ("2025-09-09", "back_squat", "both", 2, 155 * 5 * 2 * LB, 0),
            ("2025-09-09", "hip_thrust", "both", 1, 75 * 10 * LB, 0),
            ("2025-09-09", "plank", "both", 1, 0, 60),
            ("2025-09-09", "single_leg_rdl", "right", 2, 30 * 8 * 2 * LB, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-9)
    assert log.sets["warmup"].sum() == 2
    # 149.99999999999997 lb is rounded to 150.0 lb before conversion, 74.99999999999999 to 75.0
    by_row = log.sets.set_index("source_row")
    assert by_row.loc[5, "load_kg"] == pytest.approx(150 * LB, abs=1e-12)
    hold = log.sets[log.sets["exercise"] == "plank"]
    assert hold["reps"].isna().all()
    assert hold["load_kg"].eq(0).all()
    assert by_row.loc[20, "exercise_raw"] == "Hip Thrust (Barbell)"  # trailing space trimmed
    assert by_row.loc[[14, 15, 17], "side"].tolist() == ["both"] * 3  # "Right knee a bit sore"
    assert log.sets["rpe"].dropna().tolist() == [8.0, 8.5]
    assert log.problems.empty


def test_strong_classic_without_unit_reads_kg_and_says_so():
    log = read_logs(APPS / "strong_classic_lb.csv")
    note = log.problems
    assert len(note) == 1
    assert note[["source_row", "column", "action"]].iloc[0].tolist() == [2, "Weight", "kept"]
    assert "weight_unit='lb' / --weight-unit lb" in note["problem"].item()
    assert log.sets.loc[log.sets["source_row"] == 3, "load_kg"].item() == 135.0


def test_strong_nonotes_and_workout_number_numbers():
    log = _load("strong_classic_nonotes.csv")
    want = expected(
        [
            ("2024-11-04", "goblet_squat", "both", 2, 24 * 10 * 2, 0),
            ("2024-11-04", "step_up", "both", 2, 12.5 * 8 * 2, 0),  # no side anywhere
            ("2024-11-04", "wall_sit", "both", 1, 0, 60),
            ("2024-11-06", "goblet_squat", "both", 2, 26 * 10 * 2, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want)
    assert log.problems[["source_row", "column", "action"]].values.tolist() == [
        [2, "Weight", "kept"],  # unit assumed
        [5, "Side", "kept"],  # single-leg exercise without a side
    ]

    log = _load("strong_workout_number.csv")
    want = expected(
        [
            ("2025-09-02", "back_squat", "both", 2, 60 * 5 + 62.5 * 5, 0),
            ("2025-09-02", "plank", "both", 1, 0, 45),
            ("2025-09-02", "walking_lunge", "both", 1, 0, 0),  # 20 m, no reps
            ("2025-09-05", "side_plank", "left", 1, 0, 30),  # each row's own note
            ("2025-09-05", "side_plank", "right", 1, 0, 30),
            ("2025-09-09", "back_squat", "both", 2, 65 * 5 * 2, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want)
    lunge = log.sets[log.sets["exercise"] == "walking_lunge"]
    assert lunge[["distance_m", "load_kg"]].values.tolist() == [[20.0, 10.0]]

    log = _load("strong_workout_number_lbs.csv")
    assert summary(log.sets)["volume_kg"].item() == pytest.approx(225 * 5 * 2 * LB)


def test_strong_2019_per_row_units():
    log = _load("strong_2019_semicolon.csv")
    want = expected(
        [
            ("2019-01-11", "deadlift", "both", 3, 20 * 5 + 60 * 5 + 100 * 3, 0),
            ("2019-01-11", "plank", "both", 1, 0, 60),
            ("2019-01-11", "standing_calf_raise", "both", 1, 135 * 12 * LB, 0),  # lbs row
            ("2019-01-14", "goblet_squat", "both", 1, 16 * 10, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-9)
    assert log.problems.empty  # units on every row: nothing assumed


def test_strong_defects_are_reported_with_row_and_column():
    log = _load("strong_defects.csv")
    want = problems(
        [
            (2, "Weight", "102,5", "fixed"),
            (3, "Date", "not a date", "dropped"),
            (4, "Weight", "heavy", "dropped"),
            (6, "Set Order", "X", "kept"),
            (6, "RPE", "11", "fixed"),
            (7, "Reps", "0.0", "kept"),
            (8, "Weight", "Pull Up (Assisted)", "kept"),
            (9, None, "13 fields", "dropped"),
            (11, "Weight", "1500.0", "dropped"),
            (12, "Exercise Name", None, "dropped"),
        ]
    )
    pd.testing.assert_frame_equal(log.problems[PROBLEM_COLS], want)
    where = log.problems["source_row"].astype(int).astype(str) + log.problems["column"].fillna("")
    text = dict(zip(where, log.problems["problem"], strict=True))
    assert "decimal comma" in text["2Weight"]
    assert "missed attempt" in text["7Reps"]  # 0 reps with a load: kept, as in every reader
    assert "assistance, not load" in text["8Weight"]
    assert "13 fields where the header has 12" in text["9"]
    assert "over 600 kg" in text["11Weight"]
    assert log.sets["load_kg"].tolist() == [102.5, 100.0, 100.0, 100.0, 0.0]  # assisted load is 0
    assert log.sets["reps"].tolist()[:4] == [5.0, 5.5, 5.0, 0.0]  # a half rep kept, a missed attempt 0
    assert log.sets["rpe"].isna().all()


# --- Hevy -------------------------------------------------------------------------------------


def test_hevy_kg_miles_numbers_and_order():
    log = _load("hevy_kg_miles.csv")
    want = expected(
        [
            ("2025-09-02", "back_squat", "both", 2, 60 * 5 + 50 * 8, 0),  # warm-up out, dropset in
            ("2025-09-02", "bulgarian_split_squat", "left", 2, 11.34 * 6 * 2, 0),  # "Left leg"
            ("2025-09-02", "bulgarian_split_squat", "right", 1, 11.34 * 6, 0),  # "right side"
            ("2025-09-02", "plank", "both", 1, 0, 45),
            ("2025-09-09", "assisted_pull_up", "both", 1, 0, 0),  # assistance is not load
            ("2025-09-09", "romanian_deadlift", "both", 2, 70 * 8 + 70 * 7, 0),  # failure counts
            ("2025-09-09", "single_leg_calf_raise", "left", 2, 0, 0),  # notes "L"
            ("2025-09-09", "single_leg_calf_raise", "right", 1, 0, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-12)
    # newest workout first in the file -> oldest first, sets in their order within a workout
    assert log.sets["source_row"].tolist() == [10, 11, 12, 13, 14, 15, 16, 2, 3, 4, 5, 6, 7, 8]
    assert log.sets["set_index"].tolist()[:3] == [1, 2, 3]  # Hevy's 0-based index renumbered
    assert log.sets["rpe"].dropna().tolist() == [8.0, 8.0, 9.5]
    rdl = log.sets[log.sets["exercise"] == "romanian_deadlift"]
    assert rdl["duration_s"].isna().all()  # duration_seconds 0 on strength rows means none
    assert log.problems[["source_row", "column", "action"]].values.tolist() == [
        [8, "weight_kg", "kept"],
    ]
    assert "load set to 0 on 1 set" in log.problems["problem"].iloc[0]


def test_hevy_pounds_and_german_months():
    log = _load("hevy_lbs_km.csv")
    want = expected(
        [
            ("2026-03-31", "goblet_squat", "both", 1, 50 * 10 * LB, 0),
            ("2026-04-07", "glute_bridge", "both", 1, 0, 0),  # empty weight = bodyweight
            ("2026-04-07", "hip_thrust", "both", 2, 185 * 10 * 2 * LB, 0),  # 185.00000000000003
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-9)
    log = _load("hevy_german.csv")
    assert log.sets["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-07-25",
        "2026-07-25",
        "2026-07-28",
    ]
    assert log.sets["load_kg"].tolist() == [18.0, 18.0, 20.0]


def test_hevy_defects_are_reported_with_row_and_column():
    log = _load("hevy_defects.csv")
    want = problems(
        [
            (2, "start_time", "3 julio 2026, 09:00", "dropped"),
            (3, "start_time", "30 Feb 2026, 09:00", "dropped"),
            (4, "set_type", "cluster", "kept"),
            (5, "weight_kg", "sixty", "dropped"),
            (6, "rpe", "11", "fixed"),
        ]
    )
    pd.testing.assert_frame_equal(log.problems[PROBLEM_COLS], want)
    assert "month name 'julio' not recognised" in log.problems["problem"].iloc[0]
    assert "no such date" in log.problems["problem"].iloc[1]


def test_parse_hevy_dates():
    raw = pd.Series(["7 Apr 2026, 10:14", "7 Apr 2026, 10:14 PM", "3 févr. 2026, 09:05", "12 Mär 2026, 07:00",
                     "2026-04-07 10:14:00", "", "yesterday", "25 Juli 2026, 14:21"])  # fmt: skip
    p = parse_hevy_dates(raw)
    assert p.value.dt.strftime("%Y-%m-%d %H:%M").fillna("-").tolist() == [
        "2026-04-07 10:14", "2026-04-07 22:14", "2026-02-03 09:05", "2026-03-12 07:00",
        "2026-04-07 10:14", "-", "-", "2026-07-25 14:21",
    ]  # fmt: skip
    assert p.bad.tolist() == [False] * 6 + [True, False]
    assert p.reason.iloc[6].startswith("not a Hevy date")


# --- FitNotes ---------------------------------------------------------------------------------


def test_fitnotes_current_numbers():
    log = _load("fitnotes_current.csv")
    want = expected(
        [
            ("2025-09-09", "back_squat", "both", 2, 60 * 5 * 2, 0),  # "warm up" excluded
            ("2025-09-09", "bulgarian_split_squat", "left", 2, 9 * 6 * 2, 0),  # comment "L"
            ("2025-09-09", "bulgarian_split_squat", "right", 2, 9 * 8 * 2, 0),
            ("2025-09-09", "plank", "both", 1, 0, 45),  # 0:00:45
            ("2025-09-09", "single_leg_calf_raise", "left", 1, 0, 0),
            ("2025-09-11", "romanian_deadlift", "both", 2, 135 * 8 * 2 * LB, 0),  # lbs rows
            ("2025-09-11", "split_squat", "right", 1, 10 * 8, 0),  # repaired name
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-9)
    assert (
        log.sets.loc[log.sets["source_row"] == 14, "exercise_raw"].item()
        == "Split Squat (Dumbbell, Each Side)"
    )
    fix = log.problems
    assert fix[["source_row", "column", "value", "action"]].values.tolist() == [
        [14, "Exercise", "Split Squat (Dumbbell, Each Side)", "fixed"]
    ]
    assert "11 fields instead of 10" in fix["problem"].item()


def test_fitnotes_2025_and_legacy_numbers():
    log = _load("fitnotes_2025_no_comment.csv")
    want = expected(
        [
            ("2025-04-29", "dumbbell_shoulder_press", "both", 2, 80, 0),  # (Each Side, Dumbbells)
            ("2025-04-29", "goblet_squat", "both", 1, 200, 0),
            ("2025-04-29", "reverse_lunge", "both", 1, 96, 0),
            ("2025-05-01", "goblet_squat", "both", 1, 225, 0),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want)
    fixed = log.problems[log.problems["action"] == "fixed"]
    assert fixed[["source_row", "column"]].values.tolist() == [[r, "Exercise"] for r in (2, 3, 4)]

    log = _load("fitnotes_legacy_lbs.csv")
    want = expected(
        [
            ("2017-06-23", "back_squat", "both", 2, 135 * 5 * 2 * LB, 0),
            ("2017-06-23", "push_up", "both", 1, 0, 0),
            ("2017-12-27", "back_squat", "both", 1, 155 * 5 * LB, 0),
            ("2017-12-27", "plank", "both", 1, 0, 45),
        ]
    )
    pd.testing.assert_frame_equal(summary(log.sets), want, check_exact=False, rtol=1e-9)


def test_fitnotes_defects_are_reported_with_row_and_column():
    log = _load("fitnotes_defects.csv")
    want = problems(
        [
            (2, "Weight Unit", "stone", "dropped"),
            (4, "Time", "forever", "kept"),
            (4, "Reps", None, "dropped"),
            (5, None, "5 fields", "dropped"),
        ]
    )
    pd.testing.assert_frame_equal(log.problems[PROBLEM_COLS], want)
    assert "not a weight unit" in log.problems["problem"].iloc[0]
    assert "5 fields where the header has 10" in log.problems["problem"].iloc[3]
    assert log.sets["warmup"].tolist() == [False, True]  # comment "wu"


# --- together, errors, properties -------------------------------------------------------------


def test_strong_export_and_coach_csv_load_together(tmp_path):
    coach = tmp_path / "coach_sam.csv"
    coach.write_text(
        "Date,Exercise,Side,Sets,Reps,Weight (kg)\n"
        "2024-11-05,Single-leg RDL,L,3,8,12\n"
        "2024-11-05,Single-leg RDL,R,3,8,12\n",
        encoding="utf-8",
    )
    log = read_logs(APPS / "strong_classic_nonotes.csv", coach, athlete="Sam")
    assert log.athletes == ["Sam"]
    assert [f["format"] for f in log.files] == [
        "Strong (classic CSV export, no notes columns)",
        "strength log (CSV)",
    ]
    assert len(log.sets) == 7 + 6
    got = summary(log.sets)
    rdl = got[got["exercise"] == "single_leg_rdl"][["side", "working_sets", "volume_kg"]]
    assert rdl.values.tolist() == [["left", 3, 288.0], ["right", 3, 288.0]]
    assert got.loc[got["exercise"] == "goblet_squat", "volume_kg"].sum() == 1000.0
    assert sorted(log.sets["date"].dt.strftime("%Y-%m-%d").unique()) == [
        "2024-11-04",
        "2024-11-05",
        "2024-11-06",
    ]


def test_one_enormous_cell_is_read_and_its_name_cut(tmp_path):
    # a 200,000-character exercise name (a pasted cell) must not refuse the file
    path = tmp_path / "strong.csv"
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
    path.write_text(
        header + '\n2025-09-02 18:14:55,"Lower A",1h,"' + "x" * 200_000 + '",1,1,1,0,0,,,',
        encoding="utf-8",
    )
    log = read_logs(path)
    assert len(log.sets) == 1
    assert len(log.sets["exercise_raw"].iloc[0]) == 200
    cut = log.problems[log.problems["problem"].str.contains("longer than 200 characters")]
    assert cut[["source_row", "action"]].values.tolist() == [[2, "fixed"]]


_KINDS = {
    "set": '"Squat (Barbell)",1,100.0,5.0,0,0.0,,,',
    "warmup": '"Squat (Barbell)",W,40.0,10.0,0,0.0,,,',
    "hold": '"Plank",1,0,0.0,0,45.0,,,',
    "rest": '"Squat (Barbell)",Rest Timer,0,0.0,0,120.0,,,',
    "cardio": '"Running",1,0,0.0,3.1,1200.0,,,',
    "bad_weight": '"Squat (Barbell)",2,lots,5.0,0,0.0,,,',
    "no_work": '"Squat (Barbell)",3,0,0.0,0,0.0,,,',
    "missed": '"Squat (Barbell)",4,140.0,0.0,0,0.0,,,',
}


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@settings(max_examples=40, deadline=None)
@given(kinds=st.lists(st.sampled_from([*_KINDS, "blank"]), min_size=1, max_size=25))
def test_strong_rows_are_always_accounted_for(kinds):
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
    lines = [header] + [
        "" if k == "blank" else '2025-09-02 18:14:55,"A",1h,' + _KINDS[k] for k in kinds
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "strong.csv"
        path.write_bytes(("\n".join(lines) + "\n").encode())  # final newline: blank lines are rows
        log = read_logs(path, weight_unit="kg")
    info = log.files[0]
    count = {k: kinds.count(k) for k in [*_KINDS, "blank"]}
    assert info["rows_read"] == len(kinds)
    assert len(log.sets) == count["set"] + count["warmup"] + count["hold"] + count["missed"]
    assert info["skipped"] == {
        r: n
        for r, n in (
            ("blank", count["blank"]),
            ("rest timer", count["rest"]),
            (CARDIO, count["cardio"]),
        )
        if n
    }
    dropped = log.problems[log.problems["action"] == "dropped"]
    assert len(dropped) == count["bad_weight"] + count["no_work"]
    missed = log.problems["problem"].str.contains("missed attempt")
    assert int(missed.sum()) == count["missed"] == int((log.sets["reps"] == 0).sum())
    assert int(log.sets["warmup"].sum()) == count["warmup"]


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(
        st.lists(_WORD, min_size=1, max_size=4).map(lambda w: "Lift " + ", ".join(w)),
        min_size=1,
        max_size=8,
    )
)
@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_fitnotes_commas_in_names_are_rejoined(names):
    lines = ["Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time"]
    lines += [f"2025-04-29,{n},Legs,8.0,kgs,5,,," for n in names]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fitnotes.csv"
        path.write_bytes("\n".join(lines).encode())
        log = read_logs(path)
    assert log.sets["exercise_raw"].tolist() == names
    fixed = log.problems[
        (log.problems["action"] == "fixed") & (log.problems["column"] == "Exercise")
    ]
    assert fixed["source_row"].astype(int).tolist() == [
        i + 2 for i, n in enumerate(names) if "," in n
    ]


# --- Strong in other languages and the 2016 export (issue 15) ----------------------------------


def _rows(log) -> list[tuple]:
    s = log.sets
    return list(zip(s["exercise"], s["side"], s["reps"].astype(object).where(s["reps"].notna(), None),
                    s["load_kg"].astype(float), s["warmup"].astype(bool), strict=True))


def test_strong_french_header():
    log = _load("strong_fr.csv")
    assert _rows(log) == [
        ("back_squat", "both", 5.0, 60.0, False),
        ("back_squat", "both", 5.0, 62.5, False),
        ("bulgarian_split_squat", "left", 8.0, 10.0, False),  # "jambe gauche"
        ("bulgarian_split_squat", "left", 8.0, 10.0, False),  # carried down the block
        ("bulgarian_split_squat", "right", 8.0, 10.0, False),  # "jambe droite"
        ("plank", "both", None, 0.0, False),
        ("dumbbell_bench_press", "both", 10.0, 14.0, False),  # "épaule droite ...": not a side
    ]
    assert log.sets["rpe"].dropna().tolist() == [8.0]
    # problems name the column as the file writes it
    assert log.problems[["source_row", "column", "action"]].values.tolist() == [[2, "Poids", "kept"]]


def test_strong_portuguese_header_and_warmup_letter():
    log = _load("strong_pt.csv")
    assert _rows(log) == [
        ("back_squat", "both", 8.0, 40.0, True),  # "A": aquecimento
        ("back_squat", "both", 5.0, 70.0, False),
        ("back_squat", "both", 5.0, 70.0, False),
        ("step_up", "left", 10.0, 12.0, False),  # "perna esquerda"
        ("step_up", "right", 10.0, 12.0, False),  # "perna direita"
    ]


def test_strong_header_in_an_unknown_language_is_read_by_position():
    log = _load("strong_zh.csv")
    assert _rows(log) == [
        ("back_squat", "both", 10.0, 20.0, True),
        ("back_squat", "both", 5.0, 50.0, False),
        ("romanian_deadlift", "both", 8.0, 60.0, False),
    ]
    first = log.problems.iloc[0]
    assert (first["source_row"], first["action"]) == (1, "kept")
    assert "read by their place in Strong's export" in first["problem"]
    assert "日期, 锻炼名称, 时长, 运动名称" in first["problem"]


def test_an_unknown_header_that_is_not_strong_shaped_is_not_claimed(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c,d,e,f,g,h,i,j,k,l\n" + ",".join(["x"] * 12) + "\n")
    with pytest.raises(LogFormatError, match=r"other\.csv: no training log found"):
        read_logs(path)


def test_strong_2016_export():
    log = _load("strong_2016.csv")
    assert _rows(log) == [
        ("back_squat", "both", 5.0, 70.0, False),  # Set Order 0
        ("back_squat", "both", 5.0, 70.0, False),
        ("back_squat", "both", 4.5, 72.5, False),  # a half rep
        ("plank", "both", None, 0.0, False),  # 0 reps, 60 s: a hold
        ("deadlift", "both", 5.0, 100.0, False),
        ("deadlift", "both", 0.0, 110.0, False),  # a missed attempt
    ]
    assert log.sets["duration_s"].dropna().tolist() == [60.0]
    assert not log.problems["problem"].str.contains("does not say kg or lb").any()  # the column is "kg"

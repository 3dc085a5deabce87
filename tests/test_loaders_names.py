"""Exercise names, sides and odd sets read the same way in every format (issue 15).

Fixtures: tests/fixtures/apps (make_fixtures.py: ``hevy_more``, ``fitnotes_more``) and small
coach CSVs written here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import catalog as cat
from analysis import read_logs
from analysis.columns import PATTERNS, SETS
from analysis.loaders import values as V

APPS = Path(__file__).parent / "fixtures" / "apps"


def _table(log) -> list[tuple]:
    s = log.sets
    return list(zip(s["exercise"], s["side"], s["reps"].astype(object).where(s["reps"].notna(), None),
                    s["load_kg"].astype(object).where(s["load_kg"].notna(), None),
                    s["duration_s"].astype(object).where(s["duration_s"].notna(), None),
                    s["warmup"].astype(bool), strict=True))


# --- the catalog knows the common gym lifts --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "pattern"),
    [
        ("Bench Press (Barbell)", "bench_press", "upper_push"),  # Strong / Hevy: equipment in brackets
        ("Barbell Bench Press", "bench_press", "upper_push"),  # Fitbod: equipment first
        ("Bench Press (Dumbbell)", "dumbbell_bench_press", "upper_push"),  # equipment matters up top
        ("Incline Bench Press (Dumbbell)", "incline_dumbbell_press", "upper_push"),
        ("Overhead Press (Barbell)", "overhead_press", "upper_push"),
        ("Overhead Press (Each Side, Dumbbells)", "dumbbell_shoulder_press", "upper_push"),  # FitNotes
        ("Triceps Rope Pushdown", "triceps_pushdown", "upper_push"),
        ("Dumbbell Kickbacks", "triceps_kickback", "upper_push"),  # a plural
        ("Push Up", "push_up", "upper_push"),
        ("Lat Pulldown (Cable)", "lat_pulldown", "upper_pull"),
        ("Wide Grip Lat Pulldown", "lat_pulldown", "upper_pull"),
        ("Pull Up", "pull_up", "upper_pull"),
        ("Pull Up (Assisted)", "assisted_pull_up", "upper_pull"),
        ("Dumbbell Row", "dumbbell_row", "upper_pull"),
        ("Seated Cable Row - V Grip (Cable)", "cable_row", "upper_pull"),
        ("Hammer Curls", "hammer_curl", "upper_pull"),
        ("Bicep Curl (Dumbbell)", "dumbbell_curl", "upper_pull"),
        ("Leg Press (Machine)", "leg_press", "squat"),
        ("Machine Leg Press", "leg_press", "squat"),
        ("Dumbbell Curtsy Lunge", "curtsy_lunge", "lunge"),  # equipment dropped for lower-body keys
        ("Barbell Lunge", "forward_lunge", "lunge"),
        ("Calf Press (Machine)", "calf_press", "calf"),
        ("Hip Adduction (Machine)", "hip_adduction_machine", "other"),
        ("Back Extension (Weighted Hyperextension)", "back_extension", "hinge"),
        ("Cable Crunch", "weighted_crunch", "core"),
        ("Warm Up", "warm_up", "other"),
        ("Single Leg Extensions", "single_leg_extension", "knee"),
        ("Contralateral Split Squat", "split_squat", "lunge"),
        ("Wall Sit 1:00", "wall_sit", "squat"),
    ],
)
def test_common_gym_exercises_resolve(raw, key, pattern):
    out = cat.resolve_exercises(pd.Series([raw]))
    assert (out.loc[0, "exercise"], bool(out.loc[0, "known"])) == (key, True)
    info = cat.exercise_info().set_index("exercise")
    assert info.loc[key, "pattern"] == pattern


def test_new_patterns_are_registered():
    assert {"upper_push", "upper_pull", "carry", "other"} <= set(PATTERNS)
    assert set(cat.load_catalog()["pattern"]) <= set(PATTERNS)


#: The exercise names found in three or more of 14 real strength exports (Strong, Hevy, Fitbod,
#: FitNotes; 64,109 set rows), cardio left out: the names people really log.
REAL_NAMES = [
    "Pull Up", "Squat (Barbell)", "Bench Press (Barbell)", "Dumbbell Row", "Leg Extension (Machine)",
    "Lat Pulldown (Cable)", "Seated Leg Curl (Machine)", "Pull Up (Assisted)", "Push Up",
    "Bicep Curl (Dumbbell)", "Triceps Extension (Cable)", "Concentration Curl", "Hammer Curl (Dumbbell)",
    "Lateral Raise (Dumbbell)", "Bent Over Row (Barbell)", "Chest Press (Machine)",
    "Incline Bench Press (Barbell)", "Bulgarian Split Squat", "Plank", "Preacher Curl (Barbell)",
    "Barbell Curl", "Triceps Pushdown", "Incline Bench Press (Dumbbell)", "Lat Pulldown",
    "Bench Press (Dumbbell)", "Cable Crunch", "Bicep Curl (Cable)", "Lying Leg Curl (Machine)",
    "Crunch (Machine)", "Skullcrusher (Barbell)", "Seated Row (Machine)", "Chin Up", "Chest Fly (Dumbbell)",
    "Lat Pulldown (Machine)", "Decline Push Up", "Barbell Bench Press", "Calf Press (Machine)",
    "Dumbbell Kickbacks", "Dumbbell Bicep Curl", "Lateral Raise (Cable)", "Shoulder Press (Dumbbell)",
    "Dumbbell Incline Bench Press", "Leg Press (Machine)", "Hammer Curls", "Dumbbell Bent Over Row",
    "Hip Abduction (Machine)", "Back Extension (Weighted Hyperextension)", "Cable Row",
    "Rear Delt Reverse Fly (Machine)", "Squat (Smith Machine)", "Dumbbell Skullcrusher",
    "Iso-Lateral Row (Machine)", "Shrug (Dumbbell)", "Seated Shoulder Press (Machine)",
    "Hip Adduction (Machine)", "Romanian Deadlift", "Leg Press", "Deadlift (Barbell)", "Dumbbell Lunge",
    "Seated Dumbbell Curl", "Romanian Deadlift (Barbell)", "Hammer Curl (Cable)", "EZ Bar Biceps Curl",
    "Reverse Crunch", "Seated Incline Curl (Dumbbell)", "Chest Dip", "Standing Calf Raise (Dumbbell)",
    "Hip Thrust (Machine)", "Step Up", "Dead Bug", "Overhead Press (Barbell)", "Triceps Rope Pushdown",
    "Bent Over Barbell Row", "Machine Shoulder Press", "Deadlift", "Dumbbell Fly", "Butterfly (Pec Deck)",
    "Dumbbell Bench Press", "Leg Extension", "Dumbbell Shoulder Press", "Leg Raise", "Dip",
    "Seated Cable Row - V Grip (Cable)", "Triceps Extension (Dumbbell)", "Dumbbell Lateral Raise",
    "Dumbbell Front Raise", "Dumbbell Tricep Extension", "Chest Supported Incline Row (Dumbbell)",
    "Dumbbell Rear Delt Raise", "Single Arm Lateral Raise (Cable)", "Dumbbell Floor Press",
    "Seated Palms Up Wrist Curl", "Cable Fly Crossovers", "Sit Up", "Leg Pull-In", "Crunches",
    "Reverse Barbell Curl", "Dumbbell Shrug", "Front Squat", "Seated Cable Row - Bar Grip",
    "Decline Crunch (Weighted)", "Leg Press Horizontal (Machine)", "Dumbbell Squat",
    "Rear Delt Reverse Fly (Cable)", "Dumbbell Romanian Deadlift", "Zottman Curl", "Back Extensions",
    "Iso-Lateral Chest Press (Machine)", "Superman", "Single Arm Overhead Press", "Bicep Curl (Machine)",
    "Barbell Hip Thrust", "Incline Dumbbell Curl", "Chest Dip (Assisted)", "Arnold Dumbbell Press",
    "Face Pull", "Triceps Kickback (Cable)", "Tricep Push Up", "Barbell Glute Bridge", "Bicycle Crunch",
    "Calf Extension (Machine)", "Reverse Fly Single Arm (Cable)", "Hip Thrust (Barbell)",
    "Cross Body Hammer Curl", "Pike Push Up", "Low Cable Fly Crossovers", "Russian Twist",
    "Side Laterals to Front Raise", "Single Leg Glute Bridge", "Incline Hammer Curl", "Hip Thrust",
    "Lat Pulldown - Close Grip (Cable)", "Seated Calf Raise", "Single Leg Romanian Deadlift", "Power Clean",
    "Bench Dip", "Preacher Curl (Dumbbell)", "Scissor Crossover Kick", "Lying Hamstrings Curl",
    "Dumbbell Squat To Shoulder Press", "Bicep Curl (Barbell)", "Single Leg Kickback", "Dead Hang",
    "Decline Crunch", "Arnold Press (Dumbbell)", "Scissor Kick", "Dumbbell Step Up", "Triceps Dip (Assisted)",
    "Incline Chest Press (Machine)", "Seated Dumbbell Rear Delt Raise", "Oblique Crunch",
    "Seated Dip Machine", "Seated Leg Curl", "Chest Fly (Machine)", "Side Bridge", "V-Bar Pulldown",
    "Incline Dumbbell Row", "Preacher Curl (Machine)", "Flutter Kicks", "Hanging Knee Raise",
    "Rope Straight Arm Pulldown", "Diamond Push Up", "Single Leg Standing Calf Raise", "Crunch",
    "Chin Up (Assisted)",
]


def test_the_names_of_real_exports_are_recognised():
    out = cat.resolve_exercises(pd.Series(REAL_NAMES))
    unknown = [n for n, k in zip(REAL_NAMES, out["known"], strict=True) if not k]
    assert unknown == []


def test_side_inside_a_bracketed_list():
    assert cat.split_side("Bulgarian Split Squat (Left Leg, Dumbbells)") == ("Bulgarian Split Squat (Dumbbells)", "left")
    assert cat.split_side("Lunge (Dumbbells, R)") == ("Lunge (Dumbbells)", "right")
    assert cat.split_side("Curl (Left, Right)") == ("Curl (Left, Right)", None)  # both: no side


def test_single_leg_words_and_assistance():
    assert [cat.looks_single_leg(n) for n in ("SL Hop", "Single-leg wall sit", "Leg press")] == [True, True, False]
    got = cat.takes_assistance(pd.Series(["Dip", "Back Squat", "Chin Up (Assisted)", "Zercher hop"]))
    assert got.tolist() == [True, False, True, True]


# --- sides come from names and from notes of single-leg lifts only ---------------------------------


def test_hevy_notes_sides_warmup_half_reps_and_holds():
    log = read_logs(APPS / "hevy_notes_and_holds.csv")
    assert _table(log) == [
        ("warm_up", "both", None, 0.0, 300.0, True),  # Hevy's "Warm Up" is a warm-up
        ("bench_press", "both", 7.5, 60.0, None, False),  # half rep kept; "Right shoulder pain" no side
        ("bench_press", "both", 7.0, 60.0, None, False),
        ("pull_up", "both", 6.0, 0.0, None, False),  # "left arm started giving in": no side
        ("assisted_pull_up", "both", 8.0, 0.0, None, False),  # -20: assistance, load 0
        ("single_leg_extension", "left", 12.0, 25.0, None, False),
        ("single_leg_extension", "right", 10.0, 25.0, None, False),
        ("split_squat", "right", 8.0, 16.0, None, False),  # Contralateral Split Squat is single-leg
        ("wall_sit", "both", None, 0.0, 60.0, False),  # "Wall Sit 1:00": a 60 s hold
        ("back_squat", "both", 0.0, 100.0, None, False),  # missed attempt kept with 0 reps
    ]
    text = dict(zip(log.problems["source_row"].astype(int), log.problems["problem"], strict=True))
    assert text[6].startswith("negative weight read as assistance")
    assert "missed attempt" in text[11]
    assert text[10] == "hold time written in the exercise name: read as a 60 s hold of 'wall_sit'"


def test_fitnotes_side_in_a_name_with_unquoted_commas():
    log = read_logs(APPS / "fitnotes_sides.csv")
    assert _table(log) == [
        ("bulgarian_split_squat", "left", 8.0, 12.0, None, False),
        ("bulgarian_split_squat", "left", 8.0, 12.0, None, False),
        ("bulgarian_split_squat", "right", 7.0, 12.0, None, False),
        ("bench_press", "both", 5.0, 60.0, None, False),  # "right shoulder tight": not a side
        ("wall_sit", "both", None, 0.0, 60.0, False),  # no reps and no time: the name's 1:00
    ]
    assert not (log.problems["action"] == "dropped").any()


def test_notes_side_unknown_exercises_only_when_the_name_says_single_leg(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Exercise,Reps,Weight,Notes\n"
        "2025-09-01,Zercher hop,5,20,right\n"  # unknown, two-legged for all we know: no side
        "2025-09-01,Single Leg Zercher hop,5,20,right\n"  # unknown, but single-leg by its name
        "2025-09-01,Bench Press,5,60,right on the edge of 140\n"  # a bench press has no side
    )
    log = read_logs(path, weight_unit="kg")
    assert log.sets["side"].tolist() == ["both", "right", "both"]


def test_unknown_exercise_is_listed_once_per_file_with_its_count(tmp_path):
    path = tmp_path / "log.csv"
    rows = ["Date,Exercise,Reps,Weight"] + ["2025-09-01,Zercher hop,5,20"] * 4 + ["2025-09-02,Zercher hop,5,20"]
    path.write_text("\n".join(rows) + "\n")
    log = read_logs(path, weight_unit="kg")
    unknown = log.problems[log.problems["column"] == "Exercise"]
    assert unknown[["source_row", "value"]].values.tolist() == [[2, "Zercher hop"]]
    assert unknown["problem"].iloc[0].startswith("exercise not in the catalog (5 sets); kept as 'zercher_hop'")


# --- odd sets: half reps, 0 reps, negative loads, holds typed as reps ------------------------------


def test_reps_are_float_so_half_reps_are_kept():
    assert SETS["reps"] == "Float64"
    p = V.parse_reps(pd.Series(["7.5", 7.5, "3x7.5", "8/7.5", "7.3"]))
    assert p.reps_list.tolist() == [(7.5,), (7.5,), (7.5, 7.5, 7.5), (8, 7.5), ()]
    assert p.bad.tolist() == [False, False, False, False, True]


def test_coach_log_holds_zero_reps_and_negative_loads(tmp_path):
    path = tmp_path / "coach.csv"
    path.write_text(
        "Date,Exercise,Sets x Reps,Weight,Seconds\n"
        "2025-09-01,Plank,3 x 45,,\n"  # 2: three holds of 45 s
        "2025-09-01,Wall sit,2 x 60,,\n"  # 3
        "2025-09-01,Back squat,1x0,140,\n"  # 4: a missed attempt
        "2025-09-01,Pull up,1x8,-20,\n"  # 5: assistance
        "2025-09-01,Back squat,1x5,-20,\n"  # 6: a negative load on a loaded lift
        "2025-09-01,Side plank,0,,30\n"  # 7: 0 reps with a time is a hold
        "2025-09-01,Glute bridge,0,,\n"  # 8: nothing done
        "2025-09-01,Back squat,2x7.5,100,\n"  # 9: half reps
    )
    log = read_logs(path, weight_unit="kg")
    assert log.files[0]["format"] == "strength log (CSV)"
    got = log.sets.groupby("source_row").agg(exercise=("exercise", "first"), n=("reps", "size"),
                                             reps=("reps", "first"), load=("load_kg", "first"),
                                             secs=("duration_s", "first"))
    assert got["n"].to_dict() == {2: 3, 3: 2, 4: 1, 5: 1, 7: 1, 9: 2}
    assert got["secs"].astype(object).where(got["secs"].notna(), None).to_dict() == {
        2: 45.0, 3: 60.0, 4: None, 5: None, 7: 30.0, 9: None}
    assert got["reps"].astype(object).where(got["reps"].notna(), None).to_dict() == {
        2: None, 3: None, 4: 0.0, 5: 8.0, 7: None, 9: 7.5}
    assert got.loc[5, "load"] == 0.0
    said = log.problems.groupby("source_row")[["action", "problem"]].agg(list)
    assert said.loc[2, "problem"] == ["a timed exercise: read as 3 holds of 45 s"]  # one note, not two
    assert V.MISSED_ATTEMPT in said.loc[4, "problem"]
    assert "negative weight read as assistance (an assisted machine or band); load set to 0 on 1 set" in said.loc[5, "problem"]
    assert ("dropped", "negative weight on a loaded lift") in zip(said.loc[6, "action"], said.loc[6, "problem"], strict=True)
    assert said.loc[8, "action"] == ["dropped"]


@pytest.mark.parametrize("header", ["Sets x Reps", "Sets/Reps", "Sets & Reps", "Prescription", "Scheme"])
def test_sets_x_reps_headers_are_recognised(tmp_path, header):
    path = tmp_path / "log.csv"
    path.write_text(f"Date,Exercise,{header},Weight\n2025-09-01,Goblet squat,3x10,16\n")
    log = read_logs(path, weight_unit="kg")
    assert len(log.sets) == 3
    assert log.sets["reps"].tolist() == [10.0, 10.0, 10.0]


def test_zero_reps_read_the_same_in_every_format(tmp_path):
    """A loaded 0-rep set is kept with a ``kept`` problem in Strong, Hevy, FitNotes, Fitbod and coach logs."""
    files = {
        "strong.csv": "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
                      '2025-09-01 18:00:00,"A",1h,"Deadlift (Barbell)",1,180.0,0,0,0,,,\n',
        "hevy.csv": '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
                    '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
                    '"A","1 Sep 2025, 18:00","1 Sep 2025, 19:00","","Deadlift (Barbell)",,"",0,"normal",180,0,,,\n',
        "fitnotes.csv": "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"
                        '2025-09-01,Deadlift,Back,180.0,kgs,0,,,,""\n',
        "fitbod.csv": "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier\n"
                      "2025-09-01 18:00:00 +0000,Deadlift, 0,180.0,0.0,0.0,0.0,0.0,false,, 1.0\n",
        "coach.csv": "Date,Exercise,Reps,Weight\n2025-09-01,Deadlift,0,180\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        log = read_logs(path, weight_unit="kg", timezone="UTC")
        assert log.sets["reps"].tolist() == [0.0], name
        assert log.problems.loc[log.problems["action"] == "kept", "problem"].tolist()[-1:] == [V.MISSED_ATTEMPT], name

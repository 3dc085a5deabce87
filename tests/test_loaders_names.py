"""Exercise names and sides read the same way in every format (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import catalog as cat
from analysis import read_logs
from analysis.columns import PATTERNS

APPS = Path(__file__).parent / "fixtures" / "apps"
COUNTS = Path("/tmp/research/exercise_counts.tsv")


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


@pytest.mark.skipif(not COUNTS.exists(), reason="research counts of real exports not on this machine")
def test_most_real_sets_are_recognised():
    """Of 64,109 set rows in 14 real strength exports, the catalog names nearly all (not cardio)."""
    counts = pd.read_csv(COUNTS, sep="\t")
    known = cat.resolve_exercises(counts["name"])["known"].astype(bool)
    cardio = counts["name"].str.lower().str.contains("cycling|running|walking|treadmill|stair|hiking|rowing|aerobics")
    share = counts.loc[known, "sets"].sum() / counts.loc[~cardio, "sets"].sum()
    assert share > 0.95


def test_side_inside_a_bracketed_list():
    assert cat.split_side("Bulgarian Split Squat (Left Leg, Dumbbells)") == ("Bulgarian Split Squat (Dumbbells)", "left")
    assert cat.split_side("Lunge (Dumbbells, R)") == ("Lunge (Dumbbells)", "right")
    assert cat.split_side("Curl (Left, Right)") == ("Curl (Left, Right)", None)  # both: no side


def test_single_leg_words_and_assistance():
    assert [cat.looks_single_leg(n) for n in ("SL Hop", "Single-leg wall sit", "Leg press")] == [True, True, False]
    got = cat.takes_assistance(pd.Series(["Dip", "Back Squat", "Chin Up (Assisted)", "Zercher hop"]))
    assert got.tolist() == [True, False, True, True]


# --- sides come from names and from notes of single-leg lifts only ---------------------------------


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

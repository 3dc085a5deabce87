"""Fitbod WorkoutExport.csv: fixtures in tests/fixtures/apps (see make_fixtures.py, ``fitbod()``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import read_logs
from analysis.loaders.fitbod import fitbod_kg

APPS = Path(__file__).parent / "fixtures" / "apps"
LB = 0.45359237
LONDON = "Europe/London"


def _sets(log) -> list[tuple]:
    s = log.sets
    return list(
        zip(
            s["date"].dt.strftime("%Y-%m-%d"),
            s["exercise"],
            s["side"],
            s["reps"].astype(object).where(s["reps"].notna(), None),
            s["load_kg"].astype(float).round(3),
            s["duration_s"].astype(object).where(s["duration_s"].notna(), None),
            s["warmup"].astype(bool),
            s["source_row"].astype(int),
            strict=True,
        )
    )


def test_metric_export_by_hand():
    log = read_logs(APPS / "fitbod_workout_export.csv", timezone=LONDON)
    assert log.files[0]["format"] == "Fitbod (workout export)"
    # newest workout first in the file -> oldest first. 23:30 UTC on 09-04 is 00:30 on 09-05 in London.
    assert _sets(log) == [
        ("2025-09-01", "single_leg_rdl", "both", 10.0, 16.0, None, False, 12),
        ("2025-09-01", "pull_up", "both", 6.0, 0.0, None, False, 13),
        ("2025-09-01", "wall_sit", "both", None, 0.0, 60.0, False, 14),  # 0 reps + a duration: a hold
        ("2025-09-05", "back_squat", "both", 8.0, 40.0, None, True, 2),  # isWarmup true
        ("2025-09-05", "back_squat", "both", 5.0, 80.0, None, False, 3),
        ("2025-09-05", "back_squat", "both", 5.0, 82.5, None, False, 4),
        ("2025-09-05", "back_squat", "both", 0.0, 90.0, None, False, 5),  # a missed attempt, kept
        ("2025-09-05", "bulgarian_split_squat", "left", 8.0, 12.0, None, False, 6),  # "left leg, slow"
        ("2025-09-05", "bulgarian_split_squat", "left", 8.0, 12.0, None, False, 7),
        ("2025-09-05", "plank", "both", None, 0.0, 45.0, False, 8),
        ("2025-09-05", "bench_press", "both", 5.0, 60.0, None, False, 9),  # "Right shoulder pain": no side
    ]
    assert log.files[0]["skipped"] == {"blank": 1, "cardio in a strength export": 1}
    p = log.problems
    assert p[["source_row", "column", "action"]].values.tolist() == [
        [5, "Reps", "kept"],
        [6, "Note", "fixed"],
        [7, "Note", "fixed"],
        [12, "Side", "kept"],
    ]
    assert "missed attempt" in p["problem"].iloc[0]
    assert p["value"].iloc[1] == "left leg, slow"  # the unquoted comma joined back into Note


def test_warmups_are_not_working_sets():
    log = read_logs(APPS / "fitbod_workout_export.csv", timezone=LONDON)
    squat = log.sets[log.sets["exercise"] == "back_squat"]
    assert squat["warmup"].tolist() == [True, False, False, False]


def test_machine_zone_is_named_once(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    log = read_logs(APPS / "fitbod_workout_export.csv")
    zone = log.problems[log.problems["problem"].str.contains("converted to local time")]
    assert zone[["source_row", "column", "value"]].values.tolist() == [[2, "Date", "Europe/Paris"]]
    assert log.sets["date"].dt.strftime("%Y-%m-%d").max() == "2025-09-05"


def test_pounds_user_weights_are_exact_pounds():
    log = read_logs(APPS / "fitbod_pounds_2021.csv", timezone=LONDON)
    assert log.sets["load_kg"].astype(float).tolist() == pytest.approx([135 * LB, 135 * LB, 50 * LB, 45 * LB], abs=1e-6)
    assert log.sets["exercise"].tolist() == ["back_squat", "back_squat", "dumbbell_row", "bench_press"]
    assert log.sets["warmup"].tolist() == [False, False, False, True]
    assert log.problems.empty


def test_2019_export():
    log = read_logs(APPS / "fitbod_2019.csv")
    assert log.files[0]["format"] == "Fitbod (2019 workout export)"
    assert log.sets["load_kg"].astype(float).round(3).tolist() == [round(135 * LB, 3), round(45 * LB, 3), round(35 * LB, 3)]
    assert log.sets["warmup"].tolist() == [False, True, False]  # TRUE / empty


def test_fitbod_kg_keeps_metric_weights():
    kg = pd.Series([62.5, 100.0, 20.0, 0.0, 135 / 2.20462, 22.5])
    assert fitbod_kg(kg).tolist() == pytest.approx([62.5, 100.0, 20.0, 0.0, 135 * LB, 22.5])


def test_bug_report_is_gone(tmp_path):
    """The zone-aware dates once failed in the generic reader ("Cannot use .astype ...")."""
    path = tmp_path / "WorkoutExport.csv"
    path.write_text(
        "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier\n"
        "2021-01-17 22:14:35 +0000,Goblet Squat, 10,16.0,0.0,0.0,0.0,0.0,false,, 1.0"
    )
    log = read_logs(path, timezone="UTC")
    assert len(log.sets) == 1
    assert log.sets["date"].iloc[0] == pd.Timestamp("2021-01-17")

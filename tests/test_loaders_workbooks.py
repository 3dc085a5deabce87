"""Coach workbooks with a sheet per session, set cells, loads as % of 1RM, and programmes (issue 15).

Fixtures: tests/fixtures/workbooks (see make_workbooks.py).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from analysis import read_logs, reassess
from analysis.cli import main
from analysis.loaders.plan import PLAN_COLUMNS, find_plan
from analysis.loaders.programme import read_programme

BOOKS = Path(__file__).parent / "fixtures" / "workbooks"
_spec = importlib.util.spec_from_file_location("make_workbooks", BOOKS / "make_workbooks.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

#: fixture -> (format `liftpace check` names, sets, skipped rows)
MANIFEST = {
    "sessions_paired.xlsx": ("coach workbook, a sheet per session", 17,
                             {"blank": 1, "not a log: sheet '08.09.2025'": 1}),
    "training_days.xlsx": ("coach workbook, a sheet per session", 21,
                           {"above header": 2, "1RM table (for % of 1RM loads)": 2}),
    "set_cells.xlsx": ("coach workbook, one cell per set (reps x weight)", 9, {}),
    "programme_ppl.xlsx": ("training programme (exercises without dates)", 0, {"programme (no dates)": 8}),
    "programme_days.csv": ("training programme (exercises without dates)", 0, {"programme (no dates)": 4}),
    "sets_x_reps.xlsx": ("coach workbook", 8, {}),
    "programme_text.xlsx": ("training programme (exercises without dates)", 0, {"programme (no dates)": 4}),
}


def _sets(log) -> list[tuple]:
    s = log.sets
    return list(zip(s["date"].dt.strftime("%Y-%m-%d"), s["exercise"], s["side"],
                    s["reps"].astype(object).where(s["reps"].notna(), None),
                    s["load_kg"].astype(object).where(s["load_kg"].notna(), None),
                    s["duration_s"].astype(object).where(s["duration_s"].notna(), None),
                    s["source_sheet"], s["source_row"].astype(int), strict=True))


def test_fixture_files_equal_the_generator():
    written = make.all_fixtures()
    assert set(written) == set(MANIFEST)
    for name, data in written.items():
        assert (BOOKS / name).read_bytes() == data, f"{name}: re-run make_workbooks.py"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_check_names_the_format_and_counts(name, capsys):
    fmt, n_sets, skipped = MANIFEST[name]
    log = read_logs(BOOKS / name, weight_unit="kg")
    assert log.files[0]["format"] == fmt
    assert len(log.sets) == n_sets
    assert log.files[0]["skipped"] == skipped
    code = main(["check", str(BOOKS / name), "--weight-unit", "kg"])
    assert code == (1 if n_sets == 0 else 0)  # a programme alone is not a log: never "exit 0, 0 sets"
    assert f"{name}: {fmt} - {n_sets} sets" in capsys.readouterr().out


def test_sheet_per_session_with_paired_columns():
    log = read_logs(BOOKS / "sessions_paired.xlsx", weight_unit="kg")
    assert log.athletes == ["sessions_paired"]  # sheets named by dates are sessions, not athletes
    assert _sets(log)[:9] == [
        ("2025-09-01", "bench_press", "both", 15.0, 20.0, None, "01.09.2025", 2),
        ("2025-09-01", "dip", "both", 8.0, 0.0, None, "01.09.2025", 2),
        ("2025-09-01", "bench_press", "both", 10.0, 40.0, None, "01.09.2025", 3),
        ("2025-09-01", "dip", "both", 7.0, 0.0, None, "01.09.2025", 3),
        ("2025-09-01", "bench_press", "both", 8.0, 50.0, None, "01.09.2025", 4),
        ("2025-09-01", "dip", "both", 6.0, 5.0, None, "01.09.2025", 4),
        ("2025-09-01", "bench_press", "both", 5.0, 55.0, None, "01.09.2025", 5),
        ("2025-09-01", "bench_press", "both", 0.0, 57.5, None, "01.09.2025", 6),  # missed attempt
        ("2025-09-03", "back_squat", "both", 10.0, 40.0, None, "03.09.2025", 2),
    ]
    assert log.sets["reps"].iloc[-1] == 6.5  # a half rep on row 6
    assert log.bodyweight["bodyweight_kg"].tolist() == [74.5, 74.8]
    missed = log.problems[log.problems["problem"].str.contains("missed attempt")]
    # a problem names the sheet's own row and the header of the cell
    assert missed[["source_sheet", "source_row", "column", "value"]].values.tolist() == [
        ["01.09.2025", 6, "Bench press, count", "0"]]


def test_sheet_per_training_day_header_in_row_2_and_loads_as_share_of_1rm():
    log = read_logs(BOOKS / "training_days.xlsx", weight_unit="kg")
    squat = log.sets[log.sets["exercise"] == "back_squat"]
    assert squat.groupby("source_sheet")["load_kg"].first().to_dict() == {"2025-09-01": 96.0, "2025-09-04": 102.0}
    rdl = log.sets[log.sets["exercise"] == "romanian_deadlift"]
    assert rdl["load_kg"].unique().tolist() == [70.0]  # "70%" of 100 kg
    plank = log.sets[log.sets["exercise"] == "plank"]
    assert plank["duration_s"].tolist() == [45.0, 45.0, 45.0]  # 3 x 45 in the Reps column
    step = log.sets[log.sets["exercise"] == "step_up"]
    assert step["load_kg"].isna().all()
    assert sorted(step["side"].tolist()) == ["left"] * 3 + ["right"] * 3  # "8/leg": both sides
    kept = log.problems[log.problems["action"] == "kept"]["problem"].tolist()
    assert any("no 1RM for 'Step up'" in t for t in kept)
    assert log.sets["date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2025-09-01", "2025-09-04"]


def test_headerless_set_cells():
    log = read_logs(BOOKS / "set_cells.xlsx", weight_unit="lb")
    lb = 0.45359237
    rows = [(d, e, r, round(w / lb, 1), row) for d, e, _, r, w, _, _, row in _sets(log)]
    assert rows == [
        ("2025-09-01", "back_squat", 5.0, 175.0, 2), ("2025-09-01", "back_squat", 5.0, 175.0, 2),
        ("2025-09-01", "back_squat", 3.0, 185.0, 2), ("2025-09-01", "bench_press", 5.0, 135.0, 3),
        ("2025-09-01", "bench_press", 5.0, 135.0, 3), ("2025-09-03", "deadlift", 5.0, 225.0, 6),
        ("2025-09-03", "deadlift", 8.0, 185.0, 6),  # "185x8": weight first
        ("2025-09-03", "back_squat", 5.0, 180.0, 7), ("2025-09-03", "back_squat", 5.0, 180.0, 7),
    ]
    bad = log.problems[log.problems["action"] == "dropped"]
    assert bad[["source_row", "column", "value"]].values.tolist() == [[7, "column D", "heavy"]]


def test_programme_is_said_in_one_line(capsys):
    assert main(["check", str(BOOKS / "programme_ppl.xlsx")]) == 1
    out = capsys.readouterr().out
    assert out.count("training programme") == 2  # the file line and the one problem line
    assert "no date column" not in out
    assert "Problems: 1 (1 kept)" in out


def test_programme_is_offered_as_the_plan(tmp_path):
    log_csv = tmp_path / "log.csv"
    log_csv.write_text("Date,Exercise,Sets,Reps,Weight\n2025-09-02,Back Squat,4,5,100\n2025-09-09,Back Squat,3,5,100\n"
                       "2025-09-16,Back Squat,4,5,95\n2025-09-23,Back Squat,4,5,100\n")
    plan = find_plan([BOOKS / "programme_ppl.xlsx", log_csv])  # program start: the first logged date
    assert list(plan.columns) == list(PLAN_COLUMNS)
    first = plan[plan["week"] == 1]
    assert first["exercise"].tolist() == ["bench_press", "overhead_press", "push_up", "pull_up", "dumbbell_row",
                                         "back_squat", "bulgarian_split_squat", "plank"]
    assert first["week_start"].unique().tolist() == [pd.Timestamp("2025-09-01")]
    squat = first.set_index("exercise").loc["back_squat"]
    assert (squat["sets"], squat["reps"], squat["load_kg"]) == (4, 5, 100.0)
    assert first.set_index("exercise").loc["plank", "duration_s"] == 45.0
    assert first.set_index("exercise").loc["bench_press", "note"] == "rep range: its lower end planned"
    log = read_logs(log_csv, weight_unit="kg")
    r = reassess(log.sets, athlete="log", plan=plan, weeks=4)
    done = r.plan_vs_done
    squat_weeks = done[done["exercise"] == "back_squat"]
    assert squat_weeks["status"].tolist() == ["as planned", "fewer sets", "lighter", "as planned"]


def test_read_programme_needs_a_programme(tmp_path):
    with pytest.raises(Exception, match=r"sets_x_reps\.xlsx: expected a programme"):
        read_programme(BOOKS / "sets_x_reps.xlsx", program_start="2025-09-01")


def test_day_labels_are_not_dates():
    log = read_logs(BOOKS / "programme_days.csv")
    assert log.sets.empty
    assert not (log.problems["action"] == "dropped").any()  # "Mon" is a day label, not a bad date


def test_programme_written_as_text_is_recognised():
    log = read_logs(BOOKS / "programme_text.xlsx")
    assert len(log.problems) == 1
    assert log.problems["problem"].iloc[0].startswith(
        "a training programme written as text, not a log: 8 cells of the form 'exercise 3 x 8-12'")

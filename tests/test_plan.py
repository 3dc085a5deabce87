"""Tests for analysis.loaders.plan (the Plan sheet) and the planned-vs-done table of reassess."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.plan import PLAN_COLUMNS, find_plan, read_plan
from analysis.reassessment import reassess

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_logs" / "coach_workbook.xlsx"


def workbook(tmp_path: Path, rows: list[list], *, title: str = "Plan", name="plan.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Log"
    book.active.append(["Date", "Exercise", "Reps", "Weight (kg)"])
    book.active.append([pd.Timestamp("2026-09-02").to_pydatetime(), "Goblet squat", 10, 16])
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / name)
    return tmp_path / name


def test_read_plan_cells(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["Block plan"],
            ["Exercise", "Week 1", "Week 2", "Notes"],
            ["Goblet Squat", "3 x 12 @ 12kg", "3 x 8-10 @ 14 kg", "keep it easy"],
            ["BSS", "2x13 @ BW", None],
            ["Plank", "3x30s", "2 x 45 s"],
            ["Box jump", "3x6", "rest"],
        ],
    )
    plan = read_plan(path, program_start="2026-09-03")
    monday = pd.Timestamp("2026-08-31")
    expected = pd.DataFrame(
        {
            "athlete": pd.array([pd.NA] * 7, dtype="string"),
            "week": pd.array([1, 2, 1, 1, 2, 1, 2], dtype="Int64"),
            "week_start": pd.Series(
                [monday + pd.Timedelta(weeks=w - 1) for w in (1, 2, 1, 1, 2, 1, 2)],
                dtype="datetime64[us]",
            ),
            "program_start": pd.Series([monday] * 7, dtype="datetime64[us]"),
            "exercise": pd.array(
                ["goblet_squat"] * 2 + ["bulgarian_split_squat"] + ["plank"] * 2 + ["box_jump"] * 2,
                dtype="string",
            ),
            "exercise_raw": pd.array(
                ["Goblet Squat"] * 2 + ["BSS"] + ["Plank"] * 2 + ["Box jump"] * 2, dtype="string"
            ),
            "sets": pd.array([3, 3, 2, 3, 2, 3, pd.NA], dtype="Int64"),
            "reps": pd.array([12, 8, 13, pd.NA, pd.NA, 6, pd.NA], dtype="Int64"),
            "load_kg": pd.array([12.0, 14.0, 0.0, pd.NA, pd.NA, pd.NA, pd.NA], dtype="Float64"),
            "duration_s": pd.array(
                [pd.NA, pd.NA, pd.NA, 30.0, 45.0, pd.NA, pd.NA], dtype="Float64"
            ),
            "note": pd.array(
                [pd.NA] * 6 + ["not a prescription (expected e.g. 3x10 @ 20kg, 3x12 @ BW, 3x30s)"],
                dtype="string",
            ),
            "phase": pd.array([pd.NA] * 7, dtype="string"),
            "source_file": pd.array(["plan.xlsx"] * 7, dtype="string"),
            "source_sheet": pd.array(["Plan"] * 7, dtype="string"),
            "source_row": pd.array([3, 3, 4, 5, 5, 6, 6], dtype="Int64"),
        }
    )
    pd.testing.assert_frame_equal(plan, expected)
    assert dict(plan.dtypes.astype(str)) == PLAN_COLUMNS


def test_read_plan_phase_row(tmp_path: Path) -> None:
    """A Phase row names each week's phase; a blank (merged) cell carries the name on."""
    path = workbook(
        tmp_path,
        [
            ["Exercise", "Week 1", "Week 2", "Week 3", "Week 4"],
            ["Phase", "Phase 1 - Base", None, "Strength", "Peak / power"],
            ["Goblet Squat", "3x12 @ BW", "3x12 @ BW", "3x8 @ 16kg", "3x6 @ 20kg"],
        ],
    )
    plan = read_plan(path, program_start="2026-08-31")
    assert plan["exercise"].tolist() == ["goblet_squat"] * 4
    assert plan["phase"].tolist() == ["foundation", "foundation", "strength", "power"]
    assert plan["source_row"].tolist() == [3] * 4  # the row as Excel shows it, after the phase row


def test_read_plan_sample_workbook_starts_on_first_logged_monday() -> None:
    plan = read_plan(SAMPLE)
    assert plan["program_start"].unique().tolist() == [pd.Timestamp("2026-08-31")]
    first = plan.iloc[0]
    assert (first["exercise"], first["week"], first["sets"], first["reps"], first["load_kg"]) == (
        "goblet_squat", 1, 3, 12, 12.0,
    )  # fmt: skip
    assert plan["note"].isna().all()
    assert plan["week"].max() == 12
    assert set(plan["source_sheet"]) == {"Plan"}


def test_find_plan(tmp_path: Path) -> None:
    csv = tmp_path / "runs.csv"
    csv.write_text("date,distance\n2026-09-01,5\n")
    none = find_plan([csv, tmp_path / "missing.xlsx"])
    assert none.empty
    assert list(none.columns) == list(PLAN_COLUMNS)
    no_plan = workbook(tmp_path, [["x"]], title="Notes", name="noplan.xlsx")
    assert find_plan(no_plan).empty
    path = workbook(tmp_path, [["Exercise", "Week 1"], ["Plank", "3x30s"]], title="Program")
    assert find_plan([csv, no_plan, path], program_start="2026-09-01")["sets"].tolist() == [3]


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([["Exercise", "Week 1"]], {"sheet": "Nope"}, r"expected a sheet named like Plan or Program, got sheets \['Log', 'Plan'\]"),
        ([["Exercise", "Monday"], ["Plank", "3x30s"]], {}, r"sheet 'Plan': expected week columns such as 'Week 1', got \['Exercise', 'Monday'\]"),
    ],
)  # fmt: skip
def test_read_plan_format_errors(tmp_path: Path, rows, kwargs, message) -> None:
    with pytest.raises(LogFormatError, match=message):
        read_plan(workbook(tmp_path, rows), program_start="2026-09-01", **kwargs)


def test_read_plan_other_errors(tmp_path: Path) -> None:
    csv = tmp_path / "plan.csv"
    csv.write_text("Exercise,Week 1\n")
    with pytest.raises(LogFormatError, match=r"plan.csv: expected an existing workbook"):
        read_plan(csv)
    path = workbook(tmp_path, [["Exercise", "Week 1"], ["Plank", "3x30s"]])
    with pytest.raises(ValueError, match="expected program_start to be a date such as '2026-11-22', got 'soon' instead"):
        read_plan(path, program_start="soon")
    book = openpyxl.Workbook()
    book.active.title = "Plan"
    book.active.append(["Exercise", "Week 1"])
    book.save(tmp_path / "bare.xlsx")
    with pytest.raises(LogFormatError, match=r"expected logged dates to place 'Week 1'"):
        read_plan(tmp_path / "bare.xlsx")


def test_plan_vs_done_statuses() -> None:
    """Week of 2 Nov: squat as planned, RDL lighter, step-up fewer sets, plank missed, lunge extra."""
    day = pd.Timestamp("2026-11-03")
    rows = [(day, "goblet_squat", "both", 10, 20.0)] * 3
    rows += [(day, "romanian_deadlift", "both", 10, 30.0)] * 3
    rows += [(day, "step_up", side, 10, 16.0) for side in ("left", "right")]  # one pair = 1 set
    rows += [(day, "walking_lunge", "both", 10, 10.0)]
    sets = pd.DataFrame(rows, columns=["date", "exercise", "side", "reps", "load_kg"])
    sets = sets.assign(athlete="Ann", warmup=False, exercise_raw=sets["exercise"])
    sets["set_index"] = sets.groupby(["exercise", "side"]).cumcount() + 1
    sets = C.conform(sets, C.SETS)
    plan = pd.DataFrame(
        {
            "week": [10] * 4,
            "program_start": pd.Timestamp("2026-08-31"),
            "exercise": ["goblet_squat", "romanian_deadlift", "step_up", "plank"],
            "sets": [3, 3, 3, 3],
            "reps": [10, 10, 10, None],
            "load_kg": [20.0, 34.0, 16.0, None],
            "duration_s": [None, None, None, 45.0],
        }
    )
    r = reassess(sets, athlete="Ann", end="2026-11-08", plan=plan)
    got = r.plan_vs_done.set_index("exercise")["status"].to_dict()
    assert got == {
        "goblet_squat": "as planned",
        "plank": "missed",
        "romanian_deadlift": "lighter",
        "step_up": "fewer sets",
        "walking_lunge": "not in plan",
    }
    row = r.plan_vs_done.set_index("exercise").loc["step_up"]
    assert (row["sessions"], row["sets_per_session"], row["top_load_kg"]) == (1, 1.0, 16.0)
    plan_findings = r.findings[r.findings["metric"] == "plan"]["finding"].tolist()
    assert plan_findings == [
        "1 of 4 planned exercise-weeks were not done in this block (plank).",
        "2 of 4 planned exercise-weeks were done with fewer sets or a lighter load than planned.",
    ]


def test_sample_plan_vs_done_for_chloe() -> None:
    from analysis import read_logs

    log = read_logs(SAMPLE)
    plan = read_plan(SAMPLE, program_start="2026-08-31")
    r = reassess(log.sets, log.runs, athlete="Chloe Dubois", end="2026-11-22", plan=plan)
    missed = r.plan_vs_done[r.plan_vs_done["status"] == "missed"]
    assert set(missed["week_start"].dt.strftime("%Y-%m-%d")) >= {"2026-11-09"}  # week 11: none
    top = r.findings[r.findings["metric"] == "plan"].iloc[0]
    assert top["severity"] == "attention"
    assert top["finding"].startswith("12 of 36 planned exercise-weeks were not done")

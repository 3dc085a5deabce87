"""Reading a coach's Tests sheet (analysis.loaders.tests) and keeping it out of the training log."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

import analysis
from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders.tests import find_tests, read_tests
from analysis.testdays import test_changes

LONG = [
    ["Squad tests - autumn"],
    [],
    ["Athlete", "Date", "Test", "Side", "Result", "Unit"],
    ["Ana", dt.date(2026, 9, 1), "Single-leg squat", "L", 14, "reps"],
    [None, None, "Single-leg squat", "R", "12 reps", None],
    [None, None, "Countermovement jump", None, "32,5 cm", None],
    [None, None, "5 km time trial", None, "24:10", None],
    ["Ana", dt.date(2026, 10, 6), "Single-leg squat", "L", 20, "reps"],
    [None, None, "Single-leg squat", "R", 13, "reps"],
    [None, None, "CMJ", None, 33, "cm"],
    [None, None, "5 km time trial", None, "23:05", None],
]


def workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_long_tests_sheet(tmp_path) -> None:
    path = workbook(tmp_path / "coach.xlsx", {"Ana": [["Date", "Exercise", "Reps"]], "Tests": LONG})
    tests, problems = read_tests(path)
    assert tests.columns.tolist() == list(C.TEST_RESULTS)
    got = tests[["test", "side", "value", "unit", "source_row"]].astype(object)
    assert got.assign(date=tests["date"].dt.strftime("%m-%d"))[["date", *got.columns]].to_numpy().tolist() == [
        ["09-01", "single_leg_squat", "left", 14.0, "reps", 4],
        ["09-01", "single_leg_squat", "right", 12.0, "reps", 5],
        ["09-01", "countermovement_jump", "both", 32.5, "cm", 6],
        ["09-01", "time_trial_5k", "both", 1450.0, "s", 7],
        ["10-06", "single_leg_squat", "left", 20.0, "reps", 8],
        ["10-06", "single_leg_squat", "right", 13.0, "reps", 9],
        ["10-06", "countermovement_jump", "both", 33.0, "cm", 10],
        ["10-06", "time_trial_5k", "both", 1385.0, "s", 11],
    ]
    assert (tests["source_sheet"] == "Tests").all()
    assert set(problems["action"]) == {"fixed"}  # blank athlete and date cells carried down, a decimal comma
    assert "decimal comma" in problems.loc[problems["source_row"].eq(6), "problem"].iloc[0]
    # the sample question: left squat +6 reps is clear, right +1 is not, 65 s faster over 5 km is clear
    out = test_changes(tests).set_index(["test", "side"])["verdict"]
    assert out.to_dict() == {
        ("countermovement_jump", "both"): "no clear change",
        ("single_leg_squat", "left"): "better",
        ("single_leg_squat", "right"): "no clear change",
        ("time_trial_5k", "both"): "better",
    }


def test_a_wide_tests_sheet_with_left_and_right_columns(tmp_path) -> None:
    rows = [
        ["Athlete", "Date", "Test", "Left", "Right", "Unit"],
        ["Ben", "2026-09-01", "Single-leg hop", "1.52 m", 148, "cm"],
        ["Ben", "2026-09-01", "Calf raise to failure", 25, 22, None],
        ["Ben", "2026-09-01", "Wall sit", dt.time(1, 45), None, None],  # Excel's h:mm reading of 1:45
    ]
    tests, problems = read_tests(workbook(tmp_path / "wide.xlsx", {"Test days": rows}))
    assert tests[["test", "side", "value"]].to_numpy().tolist() == [
        ["single_leg_hop", "left", 152.0], ["single_leg_hop", "right", 148.0],
        ["single_leg_calf_raise", "left", 25.0], ["single_leg_calf_raise", "right", 22.0],
        ["wall_sit", "both", 105.0],
    ]
    fixed = problems[problems["action"] == "fixed"]
    assert fixed["problem"].tolist() == [
        "m converted to cm", "Excel read this as hours:minutes (1:45); read as minutes:seconds (1:45)",
    ]


def test_bad_cells_are_reported_with_file_sheet_row_column_and_value(tmp_path) -> None:
    rows = [
        ["Athlete", "Date", "Test", "Side", "Result"],
        ["Cy", "2026-13-01", "CMJ", None, 30],
        ["Cy", "2026-09-01", "Calf raise", "L", "abc"],
        ["Cy", "2026-09-01", "CMJ", None, "300 cm"],
        ["Cy", "2026-09-01", "Single-leg hop", "up", 150],
        ["Cy", "2026-09-01", "Wall sit", None, "20 furlongs"],
        ["Cy", "2026-09-01", "Single-leg hop", "L", "45 s"],
        ["Cy", "2026-09-01", "Wall sit", None, None],
        ["Cy", "2026-09-01", "CMJ", None, 31],
    ]
    tests, problems = read_tests(workbook(tmp_path / "bad.xlsx", {"Tests": rows}))
    assert tests[["test", "value", "source_row"]].to_numpy().tolist() == [["countermovement_jump", 31.0, 9]]
    dropped = problems[problems["action"] == "dropped"]
    assert (dropped["source_file"] == "bad.xlsx").all()
    assert (dropped["source_sheet"] == "Tests").all()
    got = dropped[["source_row", "column", "value"]].astype(object).to_numpy().tolist()
    assert got == [
        [2, "Date", "2026-13-01"], [3, "Result", "abc"], [4, "Result", "300 cm"], [5, "Side", "up"],
        [6, "Result", "20 furlongs"], [7, "Result", "45 s"], [8, "Result", pd.NA],
    ]
    reasons = dropped["problem"].tolist()
    assert reasons[1].startswith("not a result")
    assert reasons[2].startswith("implausible for countermovement jump (expected 5 to 120 cm)")
    assert reasons[4].startswith("unit furlongs not read")
    assert reasons[5] == "a result in s does not fit single-leg hop (measured in cm)"
    assert reasons[6] == "no result on this row"


def test_a_tests_csv_and_an_unknown_test(tmp_path) -> None:
    path = tmp_path / "dev_tests.csv"
    path.write_text("Date,Test,Result\n2026-09-01,Plank (front),90 s\n2026-10-01,Plank (front),2 min\n",
                    encoding="utf-8")
    tests, problems = read_tests(path)
    assert tests[["athlete", "test", "value", "unit"]].to_numpy().tolist() == [
        ["dev_tests", "plank_front", 90.0, "s"], ["dev_tests", "plank_front", 120.0, "s"],
    ]
    assert tests["source_sheet"].isna().all()
    assert problems["action"].tolist() == ["kept", "kept", "fixed", "kept"]  # the unknown test once a row
    assert problems["problem"].iloc[0].startswith("no Athlete column; every row read as athlete 'dev_tests'")


def test_a_workbook_without_a_tests_sheet(tmp_path) -> None:
    path = workbook(tmp_path / "log.xlsx", {"Ana": [["Date", "Exercise", "Reps"]]})
    with pytest.raises(LogFormatError, match=r"log\.xlsx: expected a sheet named like Tests or Test days, got sheets \['Ana'\] instead"):
        read_tests(path)
    tests, problems = find_tests([path, tmp_path / "runs.csv"])
    assert tests.empty
    assert problems.empty


def test_a_tests_sheet_without_a_date_column(tmp_path) -> None:
    path = workbook(tmp_path / "nodate.xlsx", {"Tests": [["Athlete", "Test", "Result"], ["Ana", "CMJ", 30]]})
    with pytest.raises(LogFormatError, match=r"expected a header with Date, Test and Result .* got \['Athlete', 'Test', 'Result'\] instead"):
        read_tests(path)


def test_read_logs_counts_the_tests_sheet_rows_and_find_tests_reads_them(tmp_path) -> None:
    log_rows = [["Athlete", "Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)"],
                ["Ana", dt.date(2026, 9, 1), "Goblet squat", None, 1, 10, 16]]
    path = workbook(tmp_path / "coach.xlsx", {"Log": log_rows, "Tests": LONG})
    log = analysis.read_logs(path)
    assert log.sets["exercise"].tolist() == ["goblet_squat"]
    assert log.problems.empty
    assert log.files[0]["skipped"] == {"test results: sheet 'Tests' (read by find_tests)": 10}  # non-blank rows
    tests, _ = find_tests([tmp_path / "elsewhere.csv", path])
    assert len(tests) == 8


def test_a_sheet_named_tests_that_is_a_training_log_stays_a_log(tmp_path) -> None:
    rows = [["Athlete", "Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)"],
            ["Ana", dt.date(2026, 9, 1), "Goblet squat", None, 1, 10, 16]]
    log = analysis.read_logs(workbook(tmp_path / "coach.xlsx", {"Testing": rows}))
    assert log.sets["exercise"].tolist() == ["goblet_squat"]

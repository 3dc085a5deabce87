"""Damaged or odd cells and rows (issue 15): impossible dates, zero dates, rows pasted with another
separator, Excel error cells, a Garmin export cut off, paces and heart rates no one runs at, and what
`liftpace check` says when nothing loads. Files are written here from the fixtures' real layouts.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from analysis import read_logs
from analysis.cli import main
from analysis.loaders import values as V

APPS = Path(__file__).parent / "fixtures" / "apps"
BOOKS = Path(__file__).parent / "fixtures" / "workbooks"


def _problems(log) -> list[tuple]:
    p = log.problems.astype(object).where(log.problems.notna(), None)
    return list(zip(p["source_row"], p["column"], p["value"], p["action"], strict=True))


def test_iso_date_that_does_not_exist_is_dropped_not_read_as_13_january(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date,Exercise,Reps,Weight\n2025-09-01,Back squat,5,100\n2025-13-01,Back squat,5,100\n")
    log = read_logs(path, weight_unit="kg")
    assert log.sets["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-09-01"]
    row = log.problems.iloc[0]
    assert (row["source_row"], row["value"], row["action"]) == (3, "2025-13-01", "dropped")
    assert row["problem"].startswith("no such date")
    p, _ = V.parse_dates(__import__("pandas").Series(["2025-02-30", "2025-13-01", "13/01/2025"]))
    assert p.bad.tolist() == [True, True, False]


def test_zero_dates_are_flagged(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date,Exercise,Reps,Weight\n1970-01-01,Back squat,5,100\n1899-12-30,Back squat,5,100\n")
    log = read_logs(path, weight_unit="kg")
    assert len(log.sets) == 2
    flagged = log.problems[log.problems["action"] == "kept"].set_index("source_row")["problem"]
    assert flagged[2].startswith("date is 1970-01-01, the zero of Unix time stamps")
    assert flagged[3] == "date is before 1970; kept: check the year"


def test_rows_pasted_with_another_separator_are_read_and_reported(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date,Exercise,Reps,Weight\n2025-09-01,Back squat,5,100\n2025-09-02;Back squat;5;105\n"
                    "2025-09-03\tGoblet squat\t10\t20\n")
    log = read_logs(path, weight_unit="kg")
    assert log.sets["load_kg"].tolist() == [100.0, 105.0, 20.0]
    assert [(r, a) for r, _, _, a in _problems(log)] == [(3, "kept"), (4, "kept")]
    assert "separates its values with ';' where the file uses ','" in log.problems["problem"].iloc[0]


def test_a_strong_row_pasted_with_semicolons(tmp_path):
    lines = (APPS / "strong_classic_nonotes.csv").read_text().split("\n")[:3]
    lines.append('2024-11-04 07:30:00;"Legs";52m;"Goblet Squat";3;24.0;10.0;0;0.0;')
    path = tmp_path / "strong.csv"
    path.write_text("\n".join(lines))
    log = read_logs(path, weight_unit="kg")
    assert len(log.sets) == 3
    assert (4, None, None, "fixed") in _problems(log)


def test_nul_characters_in_cells(tmp_path):
    """A few damaged cells deep in the file: the rows load, with the cleaned row noted."""
    rows = ["Date,Exercise,Reps,Weight"] + ["2025-09-01,Back squat,5,100"] * 300
    rows[250] = "2025-09-01,Back\x00 squat,5,100"
    path = tmp_path / "log.csv"
    path.write_bytes("\n".join(rows).encode())
    log = read_logs(path, weight_unit="kg")
    assert len(log.sets) == 300
    assert "NUL characters removed" in log.problems["problem"].iloc[0]


def test_excel_error_cells_are_reported_per_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    for row in (["Date", "Exercise", "Reps", "Weight"], ["2025-09-01", "Back squat", 5, 100],
                ["2025-09-01", "#N/A", 5, 100], ["#REF!", "Back squat", 5, 100], ["2025-09-01", "Back squat", 5, "#VALUE!"]):
        ws.append(row)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    log = read_logs(path, weight_unit="kg")
    assert log.sets["source_row"].tolist() == [2, 5]  # the #REF! date is not carried down from row 2
    assert log.sets["load_kg"].isna().tolist() == [False, True]
    got = sorted((r, c, v, a) for r, c, v, a in _problems(log) if v and v.startswith("#"))
    assert got == [(3, "Exercise", "#N/A", "dropped"), (4, "Date", "#REF!", "dropped"), (5, "Weight", "#VALUE!", "kept")]


def test_garmin_export_whose_last_row_is_cut_off(tmp_path):
    lines = (APPS / "garmin_activities_2026.csv").read_text().splitlines()
    path = tmp_path / "Activities.csv"
    path.write_text("\n".join([*lines[:-1], lines[-1][:70]]))  # the oldest run, cut mid-cell
    log = read_logs(path, distance_unit="km")
    assert len(log.runs) == 5  # six runs in the file, the cut one dropped
    cut = log.problems[log.problems["source_row"] == 11]
    assert cut[["column", "action"]].values.tolist() == [["Activity Type", "dropped"]]
    assert cut["problem"].iloc[0].startswith("row cut off or damaged")
    f = log.files[0]
    assert f["rows_read"] == len(log.runs) + int((log.problems["action"] == "dropped").sum()) + sum(f["skipped"].values())


def test_pace_and_heart_rate_no_one_runs_at(tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text("Date,Distance (km),Duration,Pace,Avg HR\n2025-09-01,5,,5:99,150\n2025-09-02,10,50:00,5:00,400\n")
    log = read_logs(path)
    assert _problems(log) == [(2, "Pace", "5:99", "kept"), (2, "Duration", None, "dropped"),
                              (3, "Avg HR", "400", "kept")]
    assert log.runs["avg_hr_bpm"].isna().all()
    text = dict(zip(log.problems["column"], log.problems["problem"], strict=True))
    assert text["Pace"] == "not a time: seconds (or minutes after hours) run from 0 to 59"
    assert text["Avg HR"] == "average heart rate outside 25-250 bpm; left empty"


def test_garmin_and_strava_heart_rate_outside_bounds(tmp_path):
    g = (APPS / "garmin_activities_2026.csv").read_text().replace('"00:44:00","150"', '"00:44:00","400"')
    (tmp_path / "Activities.csv").write_text(g)
    log = read_logs(tmp_path / "Activities.csv", distance_unit="km")
    assert [(r, c, v) for r, c, v, _ in _problems(log) if c == "Avg HR"] == [(3, "Avg HR", "400")]
    s = (APPS / "strava_activities.csv").read_text().replace(",152.3,", ",352.3,")
    (tmp_path / "activities.csv").write_text(s)
    log = read_logs(tmp_path / "activities.csv", timezone="UTC")
    assert [(r, c, v) for r, c, v, _ in _problems(log) if c == "Average Heart Rate"] == [(2, "Average Heart Rate", "352.3")]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("strava_ride_type1.gpx", "strava_ride_type1.gpx: nothing loaded (1 not a run: Ride (Strava type 1))"),
        ("route_no_times.gpx", "route_no_times.gpx: nothing loaded (no time stamps"),
    ],
)
def test_when_nothing_loads_the_message_names_the_file(name, said, capsys):
    assert main(["check", str(APPS / name), "--json", "--timezone", "UTC"]) == 1
    assert json.loads(capsys.readouterr().out)["error"].startswith(said)


def test_treadmill_tcx_without_distance_names_the_file(tmp_path, capsys):
    data = (APPS / "garmin_treadmill.tcx").read_text()
    import re

    path = tmp_path / "treadmill.tcx"
    path.write_text(re.sub(r"<DistanceMeters>[^<]*</DistanceMeters>", "<DistanceMeters>0.0</DistanceMeters>", data))
    assert main(["check", str(path), "--json", "--timezone", "UTC"]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "treadmill.tcx: nothing loaded (zero distance: no GPS points and no distance recorded)"


def test_check_json_per_file_sets_add_up_when_rows_repeat(tmp_path, capsys):
    path = tmp_path / "log.csv"
    path.write_text("Date,Exercise,Set,Reps,Weight\n2025-09-01,Back squat,1,5,100\n2025-09-01,Back squat,2,5,100\n"
                    "2025-09-01,Back squat,2,5,100\n")
    assert main(["check", str(path), str(APPS / "strong_fr.csv"), "--json", "--weight-unit", "kg"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sum(f["sets"] for f in out["files"]) == out["sets"] == 9
    assert out["files"][0]["removed"] == {"repeated row (counted once)": 1}
    assert out["files"][0]["skipped"] == {}

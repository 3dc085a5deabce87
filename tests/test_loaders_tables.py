"""Generic and coach logs: layouts, values, problems, accounting, and every error path."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import LogFormatError, read_logs
from analysis import columns as C
from analysis.cli import main
from analysis.loaders import values as V


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- error paths: each message pinned -------------------------------------------------------


def test_missing_file_message(tmp_path):
    with pytest.raises(LogFormatError, match=r"nope\.csv: no such file\."):
        read_logs(tmp_path / "nope.csv")


def test_empty_file_message(tmp_path):
    p = write_csv(tmp_path / "empty.csv", "")
    with pytest.raises(LogFormatError, match=r"empty\.csv: the file is empty \(0 bytes\)\."):
        read_logs(p)


def test_blank_lines_only_message(tmp_path):
    p = write_csv(tmp_path / "blank.csv", "\n\n  \n")
    with pytest.raises(
        LogFormatError, match=r"blank\.csv: the file is empty \(only blank lines\)\."
    ):
        read_logs(p)


def test_unknown_extension_message(tmp_path):
    p = tmp_path / "log.docx"
    p.write_bytes(b"hello")
    with pytest.raises(
        LogFormatError, match=r"log\.docx: unknown file type '\.docx'; liftpace reads .*\.csv"
    ):
        read_logs(p)


def test_no_log_header_message(tmp_path):
    p = write_csv(tmp_path / "shopping.csv", "item,price\nmilk,1\n")
    with pytest.raises(
        LogFormatError,
        match=r"shopping\.csv: no training log found: no sheet has a header naming a strength log",
    ):
        read_logs(p)


def test_a_table_without_a_date_column_is_a_programme_said_once(tmp_path):
    p = write_csv(tmp_path / "nodate.csv", "Exercise,Reps,Weight\nBack squat,5,80\nGoblet squat,10,20\n")
    log = read_logs(p)
    assert log.sets.empty
    assert log.files[0]["format"] == "training programme (exercises without dates)"
    assert log.files[0]["skipped"] == {"programme (no dates)": 2}
    assert len(log.problems) == 1  # one line for the file, never one per row
    row = log.problems.iloc[0]
    assert row["action"] == "kept"
    assert row["problem"].startswith("a training programme, not a log: 2 exercise rows with sets and reps")


def test_unreadable_workbook_message(tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(
        LogFormatError,
        match=r"broken\.xlsx: could not be read as a workbook \(.*\)\. liftpace reads \.xlsx",
    ):
        read_logs(p)


def test_option_errors_are_pinned(tmp_path):
    p = write_csv(tmp_path / "a.csv", "Date,Exercise,Reps\n2026-09-01,Squat,5\n")
    with pytest.raises(
        ValueError, match=r"weight_unit must be 'kg', 'lb' or None, got 'stone' instead"
    ):
        read_logs(p, weight_unit="stone")
    with pytest.raises(
        ValueError,
        match=r"timezone must be an IANA name like 'Europe/London', got 'Mars/Base' instead",
    ):
        read_logs(p, timezone="Mars/Base")
    with pytest.raises(ValueError, match=r"read_logs\(\) expected at least one path, got none"):
        read_logs()


def test_errors_report_keeps_other_files(tmp_path):
    good = write_csv(
        tmp_path / "good.csv", "Date,Exercise,Reps,Weight (kg)\n2026-09-01,Back squat,5,80\n"
    )
    log = read_logs(good, tmp_path / "missing.csv", errors="report")
    assert len(log.sets) == 1
    assert log.problems["problem"].str.contains("missing.csv: no such file").any()


# --- value parsers ----------------------------------------------------------------------------


def test_parse_weight_spellings():
    p = V.parse_weight(
        pd.Series(
            ["62.5", "62,5", "62.5kg", "10 kg", "135 lb", "BW", "BW+10", "", None, "heavy", 40]
        )
    )
    assert p.value.round(2).tolist()[:7] == [62.5, 62.5, 62.5, 10.0, 61.24, 0.0, 10.0]
    assert p.value.isna().tolist()[7:10] == [True, True, True]
    assert p.value.iloc[10] == 40.0
    assert p.bad.tolist() == [False] * 9 + [True, False]
    assert p.fixed.tolist()[:5] == [False, True, True, True, True]


def test_parse_weight_lb_default():
    p = V.parse_weight(pd.Series([100, "100", "100 kg"]), unit="lb")
    assert p.value.round(3).tolist() == [45.359, 45.359, 100.0]


def test_parse_reps_spellings():
    p = V.parse_reps(
        pd.Series(
            [
                "8",
                8.0,
                "8/8/6",
                "10/leg",
                "10 each",
                "45s",
                "1:00",
                "3x10",
                "3 x 10 @ 40kg",
                "3x8-10",
                "abc",
                8.3,
                7.5,
            ]
        )
    )
    assert p.reps_list.tolist() == [
        (8,),
        (8,),
        (8, 8, 6),
        (10,),
        (10,),
        (),
        (),
        (10, 10, 10),
        (10, 10, 10),
        (8, 8, 8),
        (),
        (),
        (7.5,),  # a half rep is kept
    ]
    assert p.duration_s.tolist()[5:7] == [45.0, 60.0]
    assert p.per_side.tolist()[3:5] == [True, True]
    assert p.load.iloc[8] == "40kg"
    assert p.bad.tolist()[-3:] == [True, True, False]
    assert p.reason.iloc[-2] == "reps must be a whole or half number (8, 7.5) of 0 or more"


def test_parse_duration_and_distance():
    assert V.parse_duration(
        pd.Series(["0:50:30", "50:30", "45s", "1h 6m", "45 min", dt.time(0, 50, 30)])
    ).value.tolist() == [3030.0, 3030.0, 45.0, 3960.0, 2700.0, 3030.0]
    assert V.parse_duration(pd.Series([50]), number_unit="min").value.tolist() == [3000.0]
    d = V.parse_distance(pd.Series(["14,1", "10 km", "6.2 mi", "5000 m", 8, "far"]))
    assert d.value.round(3).tolist()[:5] == [14.1, 10.0, 9.978, 5.0, 8.0]
    assert d.bad.tolist() == [False] * 5 + [True]


@pytest.mark.parametrize(
    ("values", "expected", "note"),
    [
        (["25/09/2026", "03/09/2026"], ["2026-09-25", "2026-09-03"], None),
        (["09/25/2026", "09/03/2026"], ["2026-09-25", "2026-09-03"], None),
        (["03/09/2026"], ["2026-09-03"], "day-first or month-first"),
        (["2026-09-03", "3 Sep 2026"], ["2026-09-03", "2026-09-03"], None),
    ],
)
def test_parse_dates_decides_order_per_column(values, expected, note):
    parsed, got_note = V.parse_dates(pd.Series(values, dtype=object))
    assert parsed.value.dt.strftime("%Y-%m-%d").tolist() == expected
    assert (got_note is None) == (note is None)
    if note:
        assert note in got_note


def test_parse_dates_reads_a_written_utc_offset_as_the_time_written():
    # a cell with an offset used to stop the whole file (pandas refuses tz-aware and mixed
    # offsets in one naive column); the fuzz test found it with a damaged date
    parsed, _ = V.parse_dates(
        pd.Series(["2026-09-02T06:05:14Z", "2026-09-03 18:58+02:00", "2026-09-04", "Sep 5 2026 07:00 +0200"],
                  dtype=object)
    )
    assert parsed.value.dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2026-09-02 06:05", "2026-09-03 18:58", "2026-09-04 00:00", "2026-09-05 07:00",
    ]
    assert not parsed.bad.any()


def test_impossible_date_is_dropped(tmp_path):
    p = write_csv(
        tmp_path / "d.csv",
        "Date,Exercise,Reps,Weight (kg)\n31/02/2026,Back squat,5,80\n25/02/2026,Back squat,5,80\n",
    )
    log = read_logs(p)
    assert len(log.sets) == 1
    bad = log.problems[log.problems["action"] == "dropped"].iloc[0]
    assert (bad["source_row"], bad["column"], bad["value"]) == (2, "Date", "31/02/2026")


# --- layouts ----------------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ana Lopez"
    ws.append(["Ana Lopez - block 3"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Exercise", "Date", "Side", "Reps", "Weight (kg)", "Notes"])  # header in row 3
    ws.append(["Goblet squat", dt.datetime(2026, 9, 1), None, 10, 16, "warm-up"])
    ws.append(["Goblet squat", dt.datetime(2026, 9, 1), None, "8/8/6", "20kg", None])
    ws.append(["BSS", dt.datetime(2026, 9, 1), "L", 8, 10, None])
    ws.append(["BSS", dt.datetime(2026, 9, 1), "R", 8, 12, None])
    ws.append([None, None, None, None, None, None])
    ws.append(["Week 2"])
    ws.append(["Plank", "08/09/2026", None, "45s", "BW", None])
    ws.append(["TOTAL", None, None, None, 58, None])
    runs = wb.create_sheet("Runs")
    runs.append(["Athlete", "Date", "Type", "Distance (km)", "Duration", "Avg HR"])
    runs.append(["Ana Lopez ", dt.datetime(2026, 9, 2), "Easy", "14,1", "1:20:30", 141])
    runs.append(["Ana Lopez", dt.datetime(2026, 9, 4), "Tempo", 8, "40:00", None])
    runs.append(["Ana Lopez", dt.datetime(2026, 9, 5), "Easy", 0, "10:00", None])
    bw = wb.create_sheet("Bodyweight")
    bw.append(["Athlete", "Date", "Bodyweight (kg)"])
    bw.append(["Ana Lopez", dt.datetime(2026, 9, 1), 58.4])
    notes = wb.create_sheet("Notes")
    notes.append(["Remember the hip mobility drills."])
    plan = wb.create_sheet("Plan")
    plan.append(["Exercise", "Week 1", "Week 2"])
    plan.append(["Goblet squat", "3x10 @ 16kg", "3x10 @ 18kg"])
    wb.save(path)
    return path


def test_coach_workbook_layout(tmp_path):
    log = read_logs(make_workbook(tmp_path / "coach.xlsx"))
    s = log.sets
    assert s[C.ATHLETE].unique().tolist() == ["Ana Lopez"]
    assert s[C.EXERCISE].tolist() == ["goblet_squat"] * 4 + ["bulgarian_split_squat"] * 2 + [
        "plank"
    ]
    assert s[C.REPS].tolist()[:4] == [10, 8, 8, 6]
    assert s[C.SET_INDEX].tolist() == [1, 2, 3, 4, 1, 1, 1]
    assert s[C.WARMUP].tolist() == [True] + [False] * 6
    assert s[C.SIDE].tolist() == ["both"] * 4 + ["left", "right", "both"]
    assert s[C.LOAD_KG].tolist() == [16.0, 20.0, 20.0, 20.0, 10.0, 12.0, 0.0]
    assert s[C.DURATION_S].iloc[-1] == 45.0
    assert s[C.SOURCE_ROW].tolist() == [4, 5, 5, 5, 6, 7, 10]
    assert s[C.DATE].iloc[-1] == pd.Timestamp("2026-09-08")
    assert log.runs[C.ATHLETE].tolist() == ["Ana Lopez", "Ana Lopez"]
    assert log.runs[C.DISTANCE_KM].tolist() == [14.1, 8.0]
    assert log.runs[C.PACE_S_PER_KM].round(1).tolist() == [342.6, 300.0]
    assert log.runs[C.RUN_TYPE].tolist() == ["easy", "tempo"]
    assert log.bodyweight[C.BODYWEIGHT_KG].tolist() == [58.4]
    skipped = log.files[0]["skipped"]
    assert skipped == {
        "above header": 2,
        "blank": 1,
        "title or section": 1,
        "total": 1,
        "not a log: sheet 'Notes'": 1,
        "not a log: sheet 'Plan'": 2,
    }
    zero = log.problems[log.problems["problem"] == "zero or negative distance"]
    assert zero[["source_sheet", "source_row", "column"]].values.tolist() == [
        ["Runs", 4, "Distance (km)"]
    ]
    for col in C.SETS:
        assert str(log.sets[col].dtype) == C.SETS[col]


def test_long_csv_with_sets_column_and_per_leg(tmp_path):
    p = write_csv(
        tmp_path / "sam.csv",
        "Date,Exercise,Side,Sets,Reps,Weight (kg),RPE\n"
        "2026-09-01,Back Squat,,3,5,80,8\n"
        "2026-09-01,SL RDL,,2,10/leg,12,\n"
        "2026-09-03,Step-up right leg,,1,12,10,\n",
    )
    log = read_logs(p)
    s = log.sets
    assert s[C.ATHLETE].unique().tolist() == ["sam"]
    assert len(s) == 3 + 4 + 1
    rdl = s[s[C.EXERCISE] == "single_leg_rdl"]
    assert rdl.groupby(C.SIDE)[C.REPS].sum().to_dict() == {"left": 20, "right": 20}
    assert s.loc[s[C.EXERCISE] == "step_up", C.SIDE].tolist() == ["right"]
    assert read_logs(p, athlete="Sam Runner").sets[C.ATHLETE].unique().tolist() == ["Sam Runner"]


def test_set_notation_in_one_cell(tmp_path):
    p = write_csv(tmp_path / "n.csv", "Date,Exercise,Reps\n2026-09-01,Goblet squat,3 x 10 @ 40kg\n")
    s = read_logs(p).sets
    assert s[[C.REPS, C.LOAD_KG]].values.tolist() == [[10, 40.0]] * 3


def test_unknown_exercise_kept_and_reported(tmp_path):
    p = write_csv(
        tmp_path / "u.csv",
        "Date,Exercise,Reps,Weight (kg)\n2026-09-01,Zercher hop,5,20\n2026-09-02,Zercher hop,5,20\n",
    )
    log = read_logs(p)
    assert log.sets[C.EXERCISE].tolist() == ["zercher_hop", "zercher_hop"]
    prob = log.problems[log.problems["column"] == "Exercise"]
    assert len(prob) == 1
    assert prob.iloc[0]["action"] == "kept"
    assert prob.iloc[0]["value"] == "Zercher hop"


def test_weight_unit_note_when_file_is_silent(tmp_path):
    p = write_csv(tmp_path / "w.csv", "Date,Exercise,Reps,Weight\n2026-09-01,Back squat,5,100\n")
    log = read_logs(p)
    assert log.sets[C.LOAD_KG].tolist() == [100.0]
    assert log.problems["problem"].str.contains("weights read as kg").any()
    log_lb = read_logs(p, weight_unit="lb")
    assert log_lb.sets[C.LOAD_KG].round(2).tolist() == [45.36]
    assert not log_lb.problems["problem"].str.contains("weights read as kg").any()


# --- properties -------------------------------------------------------------------------------

EXERCISES = ["Back squat", "Goblet squat", "BSS", "RDL", "Hip thrust", "Step-up", "Plank"]
row_strategy = st.fixed_dictionaries(
    {
        "day": st.integers(0, 60),
        "exercise": st.sampled_from(EXERCISES),
        "side": st.sampled_from(["", "L", "R"]),
        "reps": st.integers(1, 20),
        "load": st.integers(0, 400).map(lambda x: x / 2),
    }
)


def _render(rows, *, order, unit, title_rows, blank_every):
    header = {
        "date": "Date",
        "exercise": "Exercise",
        "side": "Side",
        "reps": "Reps",
        "load": f"Weight ({unit})",
    }
    lines = [f"Training log {i}" for i in range(title_rows)]
    lines.append(",".join(header[c] for c in order))
    start = dt.date(2026, 1, 5)
    for i, r in enumerate(rows):
        if blank_every and i and i % blank_every == 0:
            lines.append("," * (len(order) - 1))
        load = r["load"] if unit == "kg" else round(r["load"] / V.LB_TO_KG, 6)
        cells = {
            "date": (start + dt.timedelta(days=r["day"])).isoformat(),
            "exercise": r["exercise"],
            "side": r["side"],
            "reps": str(r["reps"]),
            "load": str(load),
        }
        lines.append(",".join(cells[c] for c in order))
    return "\n".join(lines) + "\n"


def _key(log):
    s = log.sets
    return (
        s[[C.DATE, C.EXERCISE, C.SIDE, C.REPS, C.LOAD_KG]]
        .sort_values([C.DATE, C.EXERCISE, C.SIDE, C.REPS, C.LOAD_KG])
        .reset_index(drop=True)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=30),
    perm=st.permutations(["date", "exercise", "side", "reps", "load"]),
    title_rows=st.integers(0, 3),
    blank_every=st.integers(0, 5),
)
@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_layout_changes_nothing_and_every_row_is_accounted_for(
    tmp_path, rows, perm, title_rows, blank_every
):
    base = write_csv(
        tmp_path / "base.csv",
        _render(
            rows,
            order=["date", "exercise", "side", "reps", "load"],
            unit="kg",
            title_rows=0,
            blank_every=0,
        ),
    )
    other = write_csv(
        tmp_path / "other.csv",
        _render(rows, order=list(perm), unit="kg", title_rows=title_rows, blank_every=blank_every),
    )
    a, b = read_logs(base), read_logs(other)
    pd.testing.assert_frame_equal(_key(a), _key(b))
    # accounting: rows below the header = rows in sets + dropped rows + skipped rows below header
    f = b.files[0]
    in_sets = b.sets[C.SOURCE_ROW].nunique()
    dropped = b.problems.loc[
        (b.problems["action"] == "dropped") & b.problems[C.SOURCE_ROW].notna(), C.SOURCE_ROW
    ].nunique()
    below = sum(n for r, n in f["skipped"].items() if r != "above header")
    assert f["rows_read"] == in_sets + dropped + below
    assert (
        f["rows_read"] == len(rows) + (len(rows) - 1) // blank_every if blank_every else len(rows)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
@given(rows=st.lists(row_strategy, min_size=1, max_size=20))
def test_same_data_in_kg_and_lb_gives_same_load(tmp_path, rows):
    kg = read_logs(
        write_csv(
            tmp_path / "kg.csv",
            _render(
                rows,
                order=["date", "exercise", "side", "reps", "load"],
                unit="kg",
                title_rows=0,
                blank_every=0,
            ),
        )
    )
    lb = read_logs(
        write_csv(
            tmp_path / "lb.csv",
            _render(
                rows,
                order=["date", "exercise", "side", "reps", "load"],
                unit="lbs",
                title_rows=0,
                blank_every=0,
            ),
        )
    )
    diff = (kg.sets[C.LOAD_KG].astype(float) - lb.sets[C.LOAD_KG].astype(float)).abs()
    assert (diff <= 0.01).all()


# --- CLI --------------------------------------------------------------------------------------


def test_check_json_object(tmp_path, capsys):
    p = make_workbook(tmp_path / "coach.xlsx")
    assert main(["check", str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"files", "sets", "runs", "problems", "athletes", "first_date", "last_date"}
    assert set(out["files"][0]) == {"path", "format", "sets", "runs", "problems", "skipped", "removed"}
    assert out["files"][0]["format"] == "coach workbook"
    assert out["athletes"] == ["Ana Lopez"]
    assert (out["first_date"], out["last_date"]) == ("2026-09-01", "2026-09-08")
    assert set(out["problems"][0]) == {
        "source_file",
        "source_sheet",
        "source_row",
        "column",
        "value",
        "problem",
        "action",
    }


def test_check_exit_codes(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.csv")]) == 1
    assert "missing.csv: NOT LOADED" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "missing.csv"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"].endswith("missing.csv: no such file.")
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["check", "x.csv", "--weight-unit", "stone"])
    assert exc.value.code == 2


def test_header_unit_wins_over_option_with_a_note(tmp_path):
    p = write_csv(tmp_path / "kg.csv", "Date,Exercise,Reps,Weight (kg)\n2026-09-01,Back squat,5,100\n")
    log = read_logs(p, weight_unit="lb")
    assert log.sets[C.LOAD_KG].tolist() == [100.0]
    note = log.problems.iloc[0]
    assert (note["column"], note["action"]) == ("Weight (kg)", "kept")
    assert note["problem"] == "the header says kg; weight_unit='lb' not applied to this column"


def test_notes_give_a_side_only_to_single_leg_exercises(tmp_path):
    p = write_csv(tmp_path / "n.csv", "Date,Exercise,Reps,Weight (kg),Notes\n"
                  "2026-09-01,Back squat,5,100,right knee a bit sore\n"
                  "2026-09-01,Bulgarian split squat,8,20,left leg\n")
    assert read_logs(p).sets[C.SIDE].tolist() == ["both", "left"]

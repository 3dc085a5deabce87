"""Sheets of one layout (a sheet per athlete) read as one stacked table: the same sets, runs,
problems and accounting as reading them one by one (issues 17 and 20)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import read_logs
from analysis.loaders import table_files, tables

HEADER = ["Date", "Exercise", "Sets", "Reps", "Weight", "RPE", "Side", "Notes"]


def _athlete_rows(k: int, *, text_date: bool = False, carried: bool = False, assisted: bool = False,
                  pct: bool = False) -> list[list[object]]:
    day = dt.datetime(2026, 9, 1 + k)
    rows: list[list[object]] = [["Squad log", None], [], HEADER]
    rows += [
        [day, "Back Squat", 3, 5, 100 + k, 8, None, None],
        [day, "Back Squat", None, "8/8/6", "62,5", 7, None, "warm-up"],
        [None, None, None, None, None, None, None, None],
        ["Week 2", None, None, None, None, None, None, None],
        [day + dt.timedelta(days=7), "Bench Press", None, "abc", 60, 8, None, None],
        [day + dt.timedelta(days=7), "Bench Press", None, 5, -20, 12, None, None],
        [day + dt.timedelta(days=7), "Split Squat", None, "10/leg", 20, None, None, None],
        [day + dt.timedelta(days=7), "Lunge", None, 8, "20kg", None, "L", None],
        [day + dt.timedelta(days=7), "Plank", None, 45, None, None, None, None],
        HEADER,
        [day + dt.timedelta(days=8), "Deadlift", "3x", 5, 140, None, "sideways", None],
        [day + dt.timedelta(days=8), "Total", None, None, 1000, None, None, None],
        [day + dt.timedelta(days=9), "Pull-up", 2, 0, None, None, None, None],
        [day + dt.timedelta(days=9), "Row", 2, 0, 50, None, None, None],
    ]
    if text_date:
        rows[3][0] = "04/09/2026"
    if carried:
        rows[4][0] = None
    if assisted:
        rows[-1][1:5] = ["Assisted Pull-up", 3, 8, 20]
    if pct:
        rows[-1][4] = "80%"
    return rows


def _write(path: Path, n: int, **kw: bool) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k in range(n):
        ws = wb.create_sheet(f"Athlete {k}")
        for row in _athlete_rows(k, **(kw if k == 1 else {})):
            ws.append(row)
    runs = wb.create_sheet("Runs")
    runs.append(["Date", "Distance (km)", "Duration"])
    runs.append([dt.datetime(2026, 9, 3), 10, "50:00"])
    wb.save(path)
    return path


def _frames(log) -> list[pd.DataFrame]:
    return [log.sets, log.runs, log.bodyweight, log.problems]


@pytest.mark.parametrize(("kw", "read_stacked"), [({}, [True]), ({"text_date": True}, [False, True]),
                                                   ({"carried": True}, [False, True]),
                                                   ({"assisted": True}, [False, True]), ({"pct": True}, [False, True])])
def test_stacked_sheets_read_as_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kw: dict,
                                           read_stacked: list[bool]) -> None:
    """Row problems of stacked sheets go to their sheets in the order of one sheet at a time; a sheet
    with a text date (day- or month-first is decided per sheet) or a date carried down (noted once per
    sheet) is read on its own, and the other three together again."""
    path = _write(tmp_path / "squad.xlsx", 4, **kw)
    calls: list[bool] = []
    real = tables._read_stack

    def spy(book, group):
        calls.append(False)
        out = real(book, group)
        calls[-1] = len(out) == len(group)
        return out

    monkeypatch.setattr(tables, "_read_stack", spy)
    table_files.clear_workbook_cache()
    stacked = read_logs(path, errors="report")
    assert calls == read_stacked
    monkeypatch.setattr(tables, "MIN_STACK", 10**9)
    table_files.clear_workbook_cache()
    alone = read_logs(path, errors="report")
    for a, b in zip(_frames(stacked), _frames(alone), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert stacked.files == alone.files
    assert len(stacked.problems) > 10
    # problems name the sheet and the row of the sheet
    bad = stacked.problems[stacked.problems["value"] == "abc"]
    assert bad["source_sheet"].tolist() == [f"Athlete {k}" for k in range(4)]
    assert bad["source_row"].tolist() == [8] * 4
    assert sorted(stacked.sets["athlete"].unique()) == [f"Athlete {k}" for k in range(4)]


_POOL: list[object] = [
    None, "", "abc", "80%", -20, "3x10", "10/leg", "#N/A", "62,5", "20kg", 0, "8/8/6", "Week 3", "Total",
    "Assisted Pull-up", "Plank", 45, "45s", "1:00", 12, 900, "04/09/2026", "2026-09-05", "Mon", "L", "sideways",
    "warm-up", "W", 2.5, 7.5, dt.datetime(2026, 9, 9), "Back Squat",
]


def _random_book(path: Path, seed: int) -> Path:
    """Athlete sheets of two layouts (and a runs sheet) with random slips, blanks and header repeats."""
    import random

    rng = random.Random(seed)
    layouts = (HEADER, ["Date", "Exercise", "Reps", "Weight (lb)", "Duration"])
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k in range(rng.randint(2, 7)):
        if rng.random() < 0.15:
            ws = wb.create_sheet(f"Runs {k}")
            ws.append(["Date", "Distance (km)", "Duration"])
            ws.append([dt.datetime(2026, 9, 3), 10, "50:00"])
            continue
        header = layouts[rng.random() < 0.25]
        ws = wb.create_sheet(f"{rng.choice(['Ana', 'Ben', 'Chloe', 'Dev'])} {k}")
        for row in [["Title", None]] * rng.randint(0, 2) + [header]:
            ws.append(row)
        for i in range(rng.randint(0, 25)):
            row = [dt.datetime(2026, 9, 1 + k, 0, 0) + dt.timedelta(days=i // 4),
                   rng.choice(["Back Squat", "Bench Press", "Row", "Plank", "Lunge"])]
            row += [rng.choice([None, 3, 5, "8", 60, 100]) for _ in header[2:]]
            if rng.random() < 0.08:
                row[rng.randrange(len(row))] = rng.choice(_POOL)
            if rng.random() < 0.05:
                row = [None] * len(header)
            if rng.random() < 0.03:
                row = list(header)
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("seed", range(12))
def test_random_squads_read_stacked_as_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Random squads (two layouts, runs sheets between, slips of every kind): stacked or not, the same
    tables, problems and accounting."""
    path = _random_book(tmp_path / f"squad{seed}.xlsx", seed)
    table_files.clear_workbook_cache()
    stacked = read_logs(path, errors="report")
    monkeypatch.setattr(tables, "MIN_STACK", 10**9)
    table_files.clear_workbook_cache()
    alone = read_logs(path, errors="report")
    for a, b in zip(_frames(stacked), _frames(alone), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert stacked.files == alone.files

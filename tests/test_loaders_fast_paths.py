"""The loaders' fast paths give what the slow ones give (issue 17).

* :func:`analysis.loaders.csv_records.records`: the C parser's grid and the field count of each
  record from the bytes, equal to :mod:`csv`'s rows, or None (read record by record).
* :func:`analysis.loaders.table_files.read_workbook`: one scan and one parse per workbook content,
  shared by ``read_logs``, ``find_plan`` and ``find_tests``; a changed file is read again.
* A column of ``dd/mm/yyyy`` dates is one counted ``fixed`` note, not one per row.
"""

import csv
import datetime as dt
import io
import random
from pathlib import Path

import openpyxl
import pytest

import analysis
from analysis.loaders import table_files
from analysis.loaders.csv_records import records
from analysis.loaders.plan import find_plan
from analysis.loaders.tests import find_tests


def _csv_rows(text: str, delim: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))


@pytest.mark.parametrize("delim", [",", ";", "\t"])
def test_records_match_csv_reader_or_decline(delim) -> None:
    rng = random.Random(17)
    alphabet = ["a", "b", delim, '"', "\n", "\r\n", " ", "1", "é"]
    fast = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        got = records(text, delim)
        if got is None:
            continue
        fast += 1
        grid, counts = got
        rows = _csv_rows(text, delim)
        assert counts.tolist() == [len(r) for r in rows], repr(text)
        width = grid.shape[1]
        assert grid.astype(object).values.tolist() == [r + [""] * (width - len(r)) for r in rows], repr(text)
    assert fast > 300  # regular files do take the fast path


@pytest.mark.parametrize("text", ['a,b\nx"y,2\n', 'a,b\n"open,2\n', "a,b\n1,2\r3,4\n", "a,b\n1,\x002\n"])
def test_records_decline_what_csv_reads_differently(text) -> None:
    assert records(text, ",") is None


def test_app_export_rows_with_a_wrong_field_count_are_still_reported(tmp_path) -> None:
    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    good = "2026-09-01 07:00:00,Legs,50m,Squat (Barbell),1,100,5,0,0,,,\n"
    rows = [good] * 70 + ["2026-09-01 07:00:00,Legs,50m,Squat (Barbell),2,100,5,0,0\n"] + [good] * 5
    path = tmp_path / "strong.csv"
    path.write_text(head + "".join(rows), encoding="utf-8")
    log = analysis.read_logs(path, weight_unit="kg")
    bad = log.problems[log.problems["action"] == "dropped"]
    assert bad["source_row"].tolist() == [72]
    assert "fields where the header has 12" in bad["problem"].iloc[0]
    assert len(log.sets) == 75


def _coach_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Athlete", "Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)"])
    ws.append(["Ana", dt.date(2026, 9, 1), "Goblet squat", None, 1, 10, 16])
    tests = wb.create_sheet("Tests")
    tests.append(["Athlete", "Date", "Test", "Side", "Result", "Unit"])
    tests.append(["Ana", dt.date(2026, 9, 1), "CMJ", None, 30, "cm"])
    wb.save(path)
    return path


def test_a_workbook_is_scanned_and_parsed_once_per_content(tmp_path, monkeypatch) -> None:
    table_files.clear_workbook_cache()
    calls = []
    real = table_files.inspect_workbook
    monkeypatch.setattr(table_files, "inspect_workbook", lambda p, d, *rest: calls.append(p) or real(p, d, *rest))
    path = _coach_book(tmp_path / "coach.xlsx")
    log = analysis.read_logs(path)
    find_plan([path])
    tests, _ = find_tests([path])
    assert len(log.sets) == 1
    assert len(tests) == 1
    assert len(calls) == 1  # the guards ran once, for all three
    ws_book = openpyxl.load_workbook(path)
    ws_book["Log"].append(["Ana", dt.date(2026, 9, 2), "Goblet squat", None, 1, 10, 18])
    ws_book.save(path)
    assert len(analysis.read_logs(path).sets) == 2  # a changed file is read again
    assert len(calls) == 2


def test_cached_grids_are_copies(tmp_path) -> None:
    table_files.clear_workbook_cache()
    path = _coach_book(tmp_path / "coach.xlsx")
    data = path.read_bytes()
    first, _ = table_files.read_workbook(path, data)
    first["Log"].iloc[1, 0] = "changed"
    again, _ = table_files.read_workbook(path, data)
    assert again["Log"].iloc[1, 0] == "Ana"


def test_day_first_text_dates_are_one_counted_note(tmp_path) -> None:
    lines = ["Athlete,Date,Exercise,Set,Reps,Weight (kg)"]
    lines += [f"Ana,{d:02d}/09/2026,Back squat,1,5,80" for d in range(1, 29)]
    path = tmp_path / "coach.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = analysis.read_logs(path)
    assert len(log.sets) == 28
    dates = log.problems[log.problems["column"] == "Date"]
    assert len(dates) == 1
    row = dates.iloc[0]
    assert (row["action"], row["source_row"], row["value"]) == ("fixed", 2, "01/09/2026")
    assert row["problem"].startswith("date typed as text; read day-first")
    assert "28 cells of this column" in row["problem"]


def test_as_text_small_columns_match_the_pandas_path() -> None:
    """as_text reads a few hundred cells in plain Python: the same text as the pandas path, cell by
    cell, over the cell types workbooks and CSVs give (and the types it leaves to pandas)."""
    import datetime as dt
    import decimal
    import random

    import numpy as np
    import pandas as pd

    from analysis.loaders import values as V

    rng = random.Random(17)
    pool: list[object] = [
        None, np.nan, pd.NA, pd.NaT, "", "  ", "--", " N/A ", "nan", "None", "-", "x", " 8 ", "8/8/6", "62,5kg",
        "\u00a0pad\u00a0", "\x1ctab\x1f", "Ünïcode ", 0, 1, -3, 2**53 - 1, 2**53, 2**60, 10**20, 0.0, -0.0, 1.0,
        1.5, 0.1, 1e20, 1e-7, float("inf"), float("-inf"), np.float64(2.0), np.float64(2.25), np.int64(7),
        np.float32(0.5), np.int32(3), True, False, np.bool_(True), dt.datetime(2026, 9, 1, 6, 30),
        pd.Timestamp("2026-09-01"), dt.date(2026, 1, 2), dt.time(6, 30), dt.timedelta(seconds=95),
        pd.Timedelta(minutes=3), decimal.Decimal("1.5"), b"bytes",
    ]
    for _ in range(300):
        cells = pd.Series([rng.choice(pool) for _ in range(rng.randint(0, 40))], dtype=object)
        fast = V.as_text(cells)
        slow = V._as_text_frame(cells)
        pd.testing.assert_series_equal(fast, slow)


def test_parse_duration_small_columns_match_the_pandas_path() -> None:
    """parse_duration reads a few hundred cells in plain Python: the same seconds, bad cells and
    reasons as the pandas path on random durations, clocks, words, numbers and Excel time cells."""
    import datetime as dt
    import random

    import numpy as np
    import pandas as pd

    from analysis.loaders import values as V

    rng = random.Random(20)
    pool: list[object] = [
        None, np.nan, "", " -- ", "n/a", 0, 45, 90.5, -3, 1e16, float("inf"), True, np.float64(12.0), np.float32(1.5),
        dt.time(0, 50, 30), dt.timedelta(minutes=3), pd.Timedelta(seconds=7), dt.datetime(1899, 12, 30, 0, 45),
        dt.datetime(2026, 1, 1), "mİn", "1 mİn", "ＡＢ",
    ]
    bits = ["0", "5", "9", "12", "45", "59", "60", "75", "99", "1.5", "2,5", ":", ":", " ", "h", "hr", "m", "min",
            "mins", "'", "s", "sec", "''", '"', "x", "-", "e3", "inf", "nan", "H", "MIN", "1_0", "."]
    taken = 0
    for _ in range(150):
        cells = [rng.choice(pool) if rng.random() < 0.15 else "".join(rng.choice(bits) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 30))]
        col = pd.Series(cells, dtype=object)
        taken += V._durations_small(col, 1.0) is not None
        for unit, scale in (("s", 1.0), ("min", 60.0)):
            fast = V.parse_duration(col, number_unit=unit)
            slow = V._durations_frame(col, scale)
            for name in ("value", "bad", "fixed", "reason"):
                pd.testing.assert_series_equal(getattr(fast, name), getattr(slow, name), check_names=False)
    assert taken > 50  # the plain path was tested, not only its way out


def test_programme_reader_takes_coded_csv_grids(tmp_path: Path) -> None:
    """The CSV grid comes coded (categorical) from the table reader; the programme reader sets and
    reduces cells. Fuzzed mutants found both failing: a header with no rows, a range of reps."""
    from analysis.loaders.plan import find_plan
    from analysis.loaders.programme import programme_rows

    empty = tmp_path / "header_only.csv"
    empty.write_text("Date,Exercise,Reps,Weight(kg)\n\n", encoding="utf-8")
    assert programme_rows(empty).empty
    assert find_plan([empty]).empty
    plan = tmp_path / "programme.csv"
    plan.write_text("Exercise,Sets,Reps,Weight\nBack squat,3,8-10,60\nWalking lunge,3,10,20\n", encoding="utf-8")
    rows = programme_rows(plan)
    assert rows["exercise_raw"].tolist() == ["Back squat", "Walking lunge"]
    assert rows["reps"].tolist() == [8, 10]


def test_name_columns_coded_and_decoded_as_astype_does() -> None:
    """``_as_category`` (on distinct cells) is ``astype("string").astype("category")``, and
    ``_decoded`` (categories taken in Arrow) is ``astype("string")`` of a coded column."""
    import numpy as np
    import pandas as pd

    from analysis.loaders.finalize import _decoded
    from analysis.loaders.log import _as_category

    rng = random.Random(5)
    cells = ["b.csv", "a.csv", None, "é", "a.csv ", float("nan"), "Z", ""]
    for n in (0, 1, 7, 300):
        col = pd.Series([rng.choice(cells) for _ in range(n)], dtype=object, name="source_file")
        want = col.astype("string").astype("category")
        got = _as_category(col)
        pd.testing.assert_series_equal(got, want)
        frame = pd.DataFrame({"source_file": got, "reps": np.arange(n, dtype=float)})
        decoded = _decoded(frame.copy(), {"source_file": "string", "reps": "Float64"})
        pd.testing.assert_series_equal(decoded["source_file"], want.astype("string"))

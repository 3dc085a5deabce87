"""Large xlsx sheets read by column (fastexcel) give the very grids pandas' per-cell read gives."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from analysis.loaders import table_files, workbook_fast
from analysis.loaders.workbook_scan import _sheet_by_tags, xlsx_sheet


def _pandas(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine", dtype=object)


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, check_index_type=True,
                                      check_column_type=True)
        for col in a[name].columns:  # each cell its own type, as pandas made it
            for u, v in zip(a[name][col].tolist(), b[name][col].tolist(), strict=True):
                assert type(u) is type(v), (name, col, u, v)
                assert u == v or (isinstance(u, float) and math.isnan(u) and math.isnan(v)), (name, col, u, v)


def _book(rows: list[list], *, extra=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws["B1"] = "Coach log 2026"  # a title above the table, a blank row, then the header
    ws.append([])
    for row in rows:
        ws.append(row)
    if extra:
        extra(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read(data: bytes, monkeypatch) -> tuple[dict[str, pd.DataFrame], list[str]]:
    used: list[str] = []
    real = workbook_fast._join

    def join(top, above, reader, name):
        out = real(top, above, reader, name)
        used.append(name)
        return out

    monkeypatch.setattr(workbook_fast, "_join", join)
    table_files.clear_workbook_cache()
    sheets, _ = table_files.read_workbook(table_files.Path("log.xlsx"), data)
    return sheets, used


def _rows(n: int) -> list[list]:
    rows: list[list] = [["Athlete", "Date", "Exercise", "Reps", "Weight (kg)", "Done", "Rest"]]
    for i in range(n):
        rows.append([f"Athlete {i % 3}" if i % 17 else "NA", dt.datetime(2026, 1, 1) + dt.timedelta(days=i // 5, hours=i % 2),
                     "Squat" if i % 7 else None, 5 + i % 3, 60 + (i % 4) * 2.5 if i % 11 else None, i % 2 == 0,
                     dt.timedelta(minutes=2, seconds=i % 60)])
    return rows


def test_a_large_typed_sheet_is_read_by_column_and_matches_pandas(monkeypatch) -> None:
    data = _book(_rows(300))
    sheets, used = _read(data, monkeypatch)
    assert used == ["Log"]
    _same(sheets, _pandas(data))


def test_a_mixed_column_below_the_top_rows_is_read_by_pandas(monkeypatch) -> None:
    rows = _rows(300)
    rows[200][3] = "8/8/6"  # text beside the numbers: each cell keeps its own type
    data = _book(rows)
    sheets, used = _read(data, monkeypatch)
    assert used == []
    _same(sheets, _pandas(data))


@pytest.mark.parametrize("value", [dt.time(0, 45), 2.0**70, dt.datetime(1900, 1, 3)])
def test_cells_pandas_makes_otherwise_send_the_sheet_to_pandas(monkeypatch, value) -> None:
    rows = [[*r, value] for r in _rows(100)]  # times of day, a number past int64, a date before 1904
    data = _book(rows)
    sheets, used = _read(data, monkeypatch)
    assert used == []
    _same(sheets, _pandas(data))


def test_small_sheets_and_several_sheets(monkeypatch) -> None:
    def more(wb):
        small = wb.create_sheet("Notes")
        small.append(["only a note"])
        big = wb.create_sheet("Runs")
        big["D5"] = "Runs"
        for i in range(80):
            big.append([None, None, None, f"Run {i}", 5.0 + i / 10, dt.datetime(2026, 2, 1) + dt.timedelta(days=i)])
        wb.create_sheet("Empty")

    data = _book(_rows(60), extra=more)
    sheets, used = _read(data, monkeypatch)
    assert used == ["Log", "Runs"]
    _same(sheets, _pandas(data))


def _sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_the_scan_fast_path_gives_the_extent_of_the_full_reading() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 30  # a <cols> element before sheetData
    ws["A1"] = "x"
    ws["AB7"] = 3
    ws["C20000"] = "far"
    buf = io.BytesIO()
    wb.save(buf)
    xml = _sheet_xml(buf.getvalue())
    assert b"<cols>" in xml or b"<col " in xml
    ext = xlsx_sheet(xml, "sheet1.xml", 10**6)
    assert ext.refs is not None  # the numpy path
    full = _sheet_by_tags(xml, "sheet1.xml", ext.cells)
    assert (ext.rows, ext.cols) == (full.rows, full.cols) == (20000, 28)


def test_the_scan_counts_cells_outside_sheet_data_and_rich_text_the_long_way() -> None:
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr>'
           b'<t>red</t></r></is></c></row></sheetData></worksheet>')
    ext = xlsx_sheet(xml, "sheet1.xml", 10**6)
    assert ext.refs is None
    assert (ext.rows, ext.cols, ext.cells) == (1, 1, 1)
    xml = b'<worksheet><c r="XFD1048576"><v>1</v></c><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    ext = xlsx_sheet(xml, "sheet1.xml", 10**6)
    assert ext.refs is None
    assert (ext.rows, ext.cols) == (1048576, 16384)  # as before: never less than calamine


def test_without_fastexcel_every_sheet_is_read_by_pandas(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "fastexcel", None)  # fastexcel and pyarrow are optional
    data = _book(_rows(100))
    sheets, used = _read(data, monkeypatch)
    assert used == []
    _same(sheets, _pandas(data))

"""Tests for analysis.report: slugs, the Excel writer, parts, pages, safe writes, rendering."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import read_logs, reassess, report
from analysis.errors import LiftpaceError
from analysis.reassessment import reassess_squad
from analysis.report.html import plain_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "sample_logs"
WORKBOOK = SAMPLES / "coach_workbook.xlsx"


@pytest.fixture(scope="module")
def coach_log():
    return read_logs(WORKBOOK)


@pytest.fixture(scope="module")
def ana(coach_log):
    mine = coach_log.for_athlete("Ana Lopez")
    return reassess(mine.sets, mine.runs, athlete="Ana Lopez", weeks=4, bodyweight=mine.bodyweight,
                    problems=mine.problems)


# --- slug -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana Lopez", "ana-lopez"),
        ("Ana López", "ana-lopez"),
        ("  Ben   O'Neil ", "ben-o-neil"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Users\\Zoë", "c-users-zoe"),
        ("Ærø Łódź Straße", "aero-lodz-strasse"),
        ("Ana 🏃 ✓", "ana"),
        ("x" * 100, "x" * 80),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert report.slug(name) == expected


def test_slug_without_ascii_letters_is_stable_hash() -> None:
    assert re.fullmatch(r"athlete-[0-9a-f]{8}", report.slug("北京"))
    assert report.slug("北京") == report.slug("北京") != report.slug("上海")


# --- write_excel ------------------------------------------------------------------------------

EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "#N/A", "plain"]


def _table() -> pd.DataFrame:
    n = len(EVIL)
    return pd.DataFrame(
        {
            "athlete": pd.array(EVIL, dtype="string"),
            "sets_n": pd.array([3, None, 5, 6, 7, 8, 9, 10], dtype="Int64"),
            "load_kg": pd.array([40.5, None, np.nan, np.inf, 1.0, 2.0, 3.0, 4.0], dtype="Float64"),
            "date": pd.to_datetime(["2024-05-01"] * (n - 1) + [None]).astype("datetime64[us]"),
            "warmup": pd.array([True, False, None, True, True, True, True, True], "boolean"),
            "mixed": pd.Series([1, 2.5, "=1+2", None, date(2024, 5, 2), True, pd.NA, "ok"]),
        }
    )


def _cells(ws):
    return [cell for row in ws.iter_rows() for cell in row]


def test_write_excel_round_trip(tmp_path: Path) -> None:
    out = report.write_excel({"weekly": _table()}, tmp_path / "sub" / "a.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["weekly", "About"]
    ws = book["weekly"]
    assert ws.freeze_panes == "A2"
    header = ws[1]
    assert [c.value for c in header] == ["athlete", "sets_n", "load_kg", "date", "warmup", "mixed"]
    assert all(c.font.bold and c.fill.fgColor.rgb == "00DDEBF7" for c in header)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\nx",  # XML turns a bare CR into LF on reading; the ' is what matters
        "#N/A",
        "plain",
    ]
    assert [r[1] for r in rows] == [3, None, 5, 6, 7, 8, 9, 10]
    assert [r[2] for r in rows] == [40.5, None, None, None, 1, 2, 3, 4]
    assert rows[0][3] == datetime(2024, 5, 1)
    assert rows[-1][3] is None
    assert ws["D2"].is_date
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert [r[4] for r in rows] == [True, False, None, True, True, True, True, True]
    assert [r[5] for r in rows] == [1, 2.5, "'=1+2", None, datetime(2024, 5, 2), True, None, "ok"]
    assert isinstance(rows[0][1], int)
    assert isinstance(rows[0][2], float)
    for cell in _cells(ws):
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    assert ws["A8"].data_type == "s"  # "#N/A" text, not an error cell


def test_write_excel_widths_and_datetimes(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "note": ["x" * 100],
            "a": [1],
            "start": pd.to_datetime(["2024-05-01 07:30"]).tz_localize("Europe/Madrid"),
        }
    )
    ws = openpyxl.load_workbook(report.write_excel({"t": frame}, tmp_path / "w.xlsx"))["t"]
    assert ws.column_dimensions["A"].width == 50
    assert ws.column_dimensions["B"].width == 3  # "a" and "1": 1 character + 2
    assert ws["C2"].value == datetime(2024, 5, 1, 7, 30)  # local wall time kept
    assert ws["C2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_write_excel_about_sheet_and_sheet_names(tmp_path: Path) -> None:
    long = "a" * 40
    sheets = {long: pd.DataFrame(), long + "b": pd.DataFrame(), "About": pd.DataFrame()}
    sheets["x/y:z"] = pd.DataFrame({"v": [1]})
    params = {"paths": ["/d/a.csv", "-b.csv"], "athlete": "=Ana", "weeks": 4, "end": None}
    book = openpyxl.load_workbook(
        report.write_excel(sheets, tmp_path / "s.xlsx", parameters=params)
    )
    assert book.sheetnames == ["a" * 31, "a" * 27 + " (2)", "About (2)", "x_y_z", "About"]
    about = [[c.value for c in row] for row in book["About"].iter_rows()]
    assert about[0] == ["item", "value"]
    assert about[1][0] == "liftpace version"
    assert about[2][0] == "generated at"
    assert datetime.fromisoformat(about[2][1]).tzinfo is not None
    assert about[3:] == [
        ["paths", "/d/a.csv; -b.csv"],
        ["athlete", "'=Ana"],
        ["weeks", 4],
        ["end", None],
    ]


def test_write_excel_rejects_non_frames(tmp_path: Path) -> None:
    with pytest.raises(
        LiftpaceError, match=r"expected a pandas DataFrame for sheet 'x', got list instead"
    ):
        report.write_excel({"x": [1, 2]}, tmp_path / "x.xlsx")  # type: ignore[dict-item]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=20))
def test_write_excel_text_never_becomes_a_formula(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("prop") / "p.xlsx"
    frame = pd.DataFrame({"name": pd.array([text], dtype="string")})
    cell = openpyxl.load_workbook(report.write_excel({"t": frame}, path))["t"]["A2"]
    clean = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
    expected = "'" + clean if clean.startswith(("=", "+", "-", "@", "\t", "\r")) else clean
    expected = expected.replace("\r\n", "\n").replace("\r", "\n")  # XML line-end handling
    assert cell.value == (expected or None)
    assert cell.data_type == ("s" if expected else "n")


def test_write_excel_all_empty_numeric_column(tmp_path):
    import openpyxl
    import pandas as pd

    from analysis.report import write_excel

    frame = pd.DataFrame({"source_row": pd.array([], dtype="Int64"), "value": pd.array([], dtype="Float64")})
    nan_only = pd.DataFrame({"x": pd.array([pd.NA, pd.NA], dtype="Float64")})
    path = write_excel({"Empty": frame, "NaN": nan_only}, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["Empty"][1]] == ["source_row", "value"]
    assert [c.value for c in book["NaN"][1]] == ["x"]
    assert all(cell.value is None for row in book["NaN"].iter_rows(min_row=2) for cell in row)


# --- people's sheets and the athlete workbook --------------------------------------------------


def test_people_sheet_labels_and_formats() -> None:
    frame = pd.DataFrame({
        "athlete": ["Ana"], "gap_pct": [5.8189], "mean_pace_current_s_per_km": [365.33],
        "change_s_per_km": [-7.2], "n_sessions": pd.array([8], dtype="Int64"),
    })  # fmt: skip
    sheet = report.people_sheet(frame)
    assert "Athlete" not in sheet.frame.columns  # one athlete per workbook: named on Summary
    pace = next(c for c in sheet.frame.columns if "pace" in c.lower() and "change" not in c.lower())
    assert sheet.formats[pace] == "[m]:ss"
    assert sheet.frame[pace].iloc[0] == pytest.approx(365.33 / 86400)
    assert sheet.formats["Gap (%)"] == "0.0"


def test_athlete_workbook_opens_on_summary(tmp_path: Path, ana) -> None:
    path = report.write_excel(report.athlete_workbook(ana), tmp_path / "a.xlsx", parameters=ana.params)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[-1] == "About"
    assert book.active.title == "Summary"
    for name in ("Strength", "Single-leg balance", "Consistency", "Volume", "Running", "Findings",
                 "Data quality"):  # fmt: skip
        assert name in book.sheetnames
    summary = book["Summary"]
    assert summary["B2"].value == "Ana Lopez"
    assert summary["C2"].alignment.wrap_text
    strength = book["Strength"]
    assert strength.freeze_panes == "A2"
    assert strength.auto_filter.ref.startswith("A1:")
    header = [c.value for c in strength[1]]
    assert "Exercise" in header
    assert "Status" in header
    col = header.index("Current block") + 1
    assert strength.cell(row=2, column=col).number_format == "0.0"
    running = book["Running"]
    header = [c.value for c in running[1]]
    pace = next(i for i, h in enumerate(header, start=1) if h and h.startswith("Mean pace current"))
    assert running.cell(row=2, column=pace).number_format == "[m]:ss"


# --- parts, pages -------------------------------------------------------------------------------


def test_parts_first_screen(ana) -> None:
    from analysis.report.parts import report_parts

    parts = report_parts(ana)
    assert parts.athlete == "Ana Lopez"
    assert parts.period == "26 Oct – 22 Nov 2026"
    assert parts.weeks == 4
    assert [a.name for a in parts.areas] == ["Strength", "Single-leg balance", "Consistency", "Running"]
    assert {a.symbol for a in parts.areas} <= {"!", "▲", "●", "?"}
    assert 3 <= len(parts.key_findings) <= 5
    assert parts.suggestions[-1].startswith("Reassess in 4-6 weeks")
    strength = parts.tables["Strength"]
    assert "index" not in strength.columns
    assert not strength.isna().any().any()
    assert not any("_" in c for c in strength.columns)


def test_plain_text_keeps_text_as_text() -> None:
    assert plain_text("Ana\x1b[31m\u202eevil\udcff") == "Ana\ufffd[31m\ufffdevil\ufffd"
    assert plain_text(3) == 3


def test_page_is_self_contained_and_escaped(ana) -> None:
    from analysis.report.figures import report_charts
    from analysis.report.html import page
    from analysis.report.parts import report_parts

    charts = report_charts(ana)
    html = page(report_parts(ana, charts=charts))
    assert html.startswith("<!doctype html>")
    assert "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "default-src 'none'" in html
    assert html.count("data:image/svg+xml;base64,") == len(charts) >= 3
    for c in charts:
        assert c.alt
        assert "No description" not in c.alt
        assert f'alt="{c.alt}' in html.replace("&#39;", "'")
    assert "Ana Lopez" in html
    assert "<th scope=\"col\">Lift</th>" in html
    assert "<NA>" not in html
    assert "nan" not in re.sub(r"<[^>]+>", " ", html).split()


# --- matching names, safe writes ---------------------------------------------------------------


def test_match_athlete() -> None:
    assert report.match_athlete("ANA LOPEZ", ["Ana Lopez", "Ben"]) == "Ana Lopez"
    with pytest.raises(LiftpaceError, match=r"did you mean 'Ana Lopez'\?"):
        report.match_athlete("Ana Lopes", ["Ana Lopez", "Ben"])
    with pytest.raises(LiftpaceError, match=r"no athlete 'Zed' in the files \(athletes: Ana Lopez, Ben\)"):
        report.match_athlete("Zed", ["Ana Lopez", "Ben"])


def test_write_files_replaces_a_symlink_never_follows_it(tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.html").symlink_to(outside)
    report.write_files(folder, {"a.html": lambda p: p.write_text("report")})
    assert outside.read_text() == "keep me"
    assert not (folder / "a.html").is_symlink()
    assert (folder / "a.html").read_text() == "report"


def test_write_files_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("old")

    def boom(path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(LiftpaceError, match=r"could not write to .*: No space left on device"):
        report.write_files(tmp_path, {"a.html": lambda p: p.write_text("new"), "a.xlsx": boom})
    assert (tmp_path / "a.html").read_text() == "old"  # the pair is written together or not at all
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]  # no temporary files left


@pytest.mark.parametrize("name", ["../x.html", "sub/x.html", "", ".."])
def test_write_files_stays_in_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(LiftpaceError, match="plain file name"):
        report.write_files(tmp_path, {name: lambda p: p.write_text("x")})


# --- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"athlete": ""}, "expected an athlete name"),
        ({"athlete": "Ana Lopez", "weeks": 3}, "expected weeks to be 4, 5 or 6, got 3 instead"),
        ({"athlete": "Ana Lopez", "end": "22/11/2026"}, "end"),
        ({"athlete": "Nobody"}, "no athlete 'Nobody' in the files"),
        ({"athlete": "ana lopes"}, "did you mean 'Ana Lopez'"),
    ],
)
def test_render_report_argument_errors(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(LiftpaceError, match=re.escape(message)):
        report.render_report([WORKBOOK], out=tmp_path, **kwargs)
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".html", ".xlsx")]


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_render_report_matches_case_and_writes_the_pair(tmp_path: Path) -> None:
    html, xlsx = report.render_report([WORKBOOK], athlete="ana LOPEZ", weeks=4, out=tmp_path)
    assert (html.name, xlsx.name) == ("ana-lopez-2026-11-22.html", "ana-lopez-2026-11-22.xlsx")
    page = html.read_text(encoding="utf-8")
    assert "<h1>Ana Lopez</h1>" in page
    assert "Bulgarian split squat: the left-right gap closed (from 9 % to 3 %" in page
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_reassess_squad_equals_reassess_per_athlete(coach_log) -> None:
    squad = reassess_squad(coach_log.sets, coach_log.runs, weeks=5, bodyweight=coach_log.bodyweight)
    assert list(squad) == ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel"]
    for name, r in squad.items():
        one = reassess(coach_log.sets, coach_log.runs, athlete=name, weeks=5, end=r.params["end"],
                       bodyweight=coach_log.bodyweight)  # fmt: skip
        assert one.params == r.params
        for field in one.__dataclass_fields__:
            if field != "params":
                pd.testing.assert_frame_equal(getattr(one, field), getattr(r, field), check_dtype=False,
                                              check_categorical=False, obj=f"{name}.{field}")  # fmt: skip


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_render_squad_goes_on_when_one_athlete_fails(tmp_path: Path, monkeypatch) -> None:
    from analysis.report import figures

    real = figures.report_charts

    def charts(r):
        if r.params["athlete"] == "Ben Carter":
            raise RuntimeError("planted failure")
        return real(r)

    monkeypatch.setattr(figures, "report_charts", charts)
    done = report.render_squad([WORKBOOK], out=tmp_path, jobs=1, progress=False)
    assert set(done.athletes) == {"Ana Lopez", "Chloe Dubois", "Dev Patel"}
    assert done.failures == {"Ben Carter": "RuntimeError: planted failure"}
    index = done.index.read_text(encoding="utf-8")
    assert "Ben Carter: the report could not be written (RuntimeError: planted failure)." in index
    assert not (tmp_path / "ben-carter-2026-11-22.html").exists()


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_render_squad_in_workers_matches_one_process(tmp_path: Path) -> None:
    import gc

    assert gc.get_freeze_count() == 0
    one = report.render_squad([WORKBOOK], out=tmp_path / "one", jobs=1, progress=False)
    two = report.render_squad([WORKBOOK], out=tmp_path / "two", jobs=2, progress=False)
    assert gc.get_freeze_count() == 0  # frozen for the workers' fork only: given back as it was
    assert [p.name for p in one.paths] == [p.name for p in two.paths]
    for a, b in zip(one.paths, two.paths, strict=True):
        if a.suffix == ".html":
            strip = lambda t: re.sub(r"Made with liftpace .*? on [^.]*\.", "", t)  # noqa: E731
            assert strip(a.read_text(encoding="utf-8")) == strip(b.read_text(encoding="utf-8"))


def _stamp_free(text: str) -> str:
    return re.sub(r"Made with liftpace .*? on [^.]*\.", "", text)


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {name: [tuple(c.value for c in row) for row in book[name].iter_rows()]
            for name in book.sheetnames if name != "About"}  # fmt: skip


@pytest.mark.slow  # two reports, one with a forked worker
def test_render_report_with_a_page_worker_matches_one_process(tmp_path: Path) -> None:
    one = report.render_report([WORKBOOK], athlete="Ana Lopez", out=tmp_path / "one", jobs=1)
    two = report.render_report([WORKBOOK], athlete="Ana Lopez", out=tmp_path / "two", jobs=2)
    assert [p.name for p in one] == [p.name for p in two] == ["ana-lopez-2026-11-22.html", "ana-lopez-2026-11-22.xlsx"]
    assert _stamp_free(one[0].read_text(encoding="utf-8")) == _stamp_free(two[0].read_text(encoding="utf-8"))
    assert _sheet_values(one[1]) == _sheet_values(two[1])


@pytest.mark.slow
def test_render_report_draws_itself_when_the_page_worker_dies(tmp_path: Path, monkeypatch) -> None:
    import os

    from analysis.report import render

    parent, real = os.getpid(), render._page

    def page(r, files):
        if os.getpid() != parent:
            os._exit(3)  # the worker dies mid-task (killed, out of memory)
        return real(r, files)

    monkeypatch.setattr(render, "_page", page)
    html, xlsx = report.render_report([WORKBOOK], athlete="Ana Lopez", out=tmp_path, jobs=2)
    assert "Ana Lopez" in html.read_text(encoding="utf-8")
    assert xlsx.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana-lopez-2026-11-22.html", "ana-lopez-2026-11-22.xlsx"]


def test_render_report_rejects_a_bad_jobs_value(tmp_path: Path) -> None:
    with pytest.raises(LiftpaceError, match="expected jobs to be an integer >= 1, got 0 instead"):
        report.render_report([WORKBOOK], athlete="Ana Lopez", out=tmp_path, jobs=0)


@pytest.mark.slow
def test_render_report_raises_the_drawing_error_from_the_page_worker(tmp_path: Path, monkeypatch) -> None:
    from analysis.report import figures

    def charts(r):
        raise LiftpaceError("planted failure in the charts")

    # the charts drawn early (from chart_tables) and those drawn with the page both go through _charts:
    # the early failure is left to the page, which draws anew and raises it
    monkeypatch.setattr(figures, "_charts", charts)
    with pytest.raises(LiftpaceError, match="planted failure in the charts"):
        report.render_report([WORKBOOK], athlete="Ana Lopez", out=tmp_path, jobs=2)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def _report_inputs(athlete: str):
    from analysis.loaders.plan import find_plan
    from analysis.report import render

    mine = read_logs(WORKBOOK).for_athlete(athlete)
    plan = find_plan([WORKBOOK], program_start=mine.sets["date"].min())
    tests, _ = render._tests([str(WORKBOOK)])
    inputs = {"sets": mine.sets, "runs": mine.runs, "athlete": athlete, "weeks": 4, "end": None,
              "bodyweight": mine.bodyweight, "plan": plan, "phases": None}  # fmt: skip
    return mine, plan, tests, inputs


@pytest.mark.parametrize("athlete", ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel"])
def test_chart_tables_are_the_reassessments_tables(athlete: str) -> None:
    from analysis.reassessment import chart_tables

    mine, plan, tests, inputs = _report_inputs(athlete)
    r = reassess(mine.sets, mine.runs, athlete=athlete, bodyweight=mine.bodyweight, plan=plan, tests=tests)
    early = chart_tables(**inputs)
    for name, frame in vars(early).items():
        if name == "params":
            assert {k: v for k, v in frame.items() if k != "target_per_week"} == \
                {k: v for k, v in r.params.items() if k != "target_per_week"}
        else:
            pd.testing.assert_frame_equal(frame, getattr(r, name), obj=name)


def test_a_page_takes_the_charts_drawn_early_for_its_block_only(monkeypatch) -> None:
    from analysis.report import figures, render

    mine, plan, tests, inputs = _report_inputs("Ana Lopez")
    r = reassess(mine.sets, mine.runs, athlete="Ana Lopez", bodyweight=mine.bodyweight, plan=plan, tests=tests)
    whole = render._page(r, ["coach_workbook.xlsx"])  # every chart drawn from the reassessment
    render._draw_early(inputs)
    assert len(render._EARLY) == 1
    assert render._EARLY[0][0] == render._chart_key(r.params)

    def fail(r):
        raise AssertionError("the page drew the charts again")

    monkeypatch.setattr(figures, "report_charts", fail)
    assert _stamp_free(render._page(r, ["coach_workbook.xlsx"])) == _stamp_free(whole)
    assert render._EARLY == []  # taken once
    # charts drawn early for another block are not used: the page draws its own
    render._draw_early({**inputs, "weeks": 5})
    with pytest.raises(AssertionError, match="drew the charts again"):
        render._page(r, ["coach_workbook.xlsx"])
    assert render._EARLY == []


def test_reports_get_the_mode_a_new_file_gets(tmp_path: Path) -> None:
    """Written through a private temporary file (0600), the reports still get 0666 less the umask."""
    import os
    import stat

    mask = os.umask(0o022)
    os.umask(mask)
    paths = report.write_files(tmp_path, {"a.html": lambda p: p.write_text("x"), "b.xlsx": lambda p: p.write_bytes(b"y")})
    assert [stat.S_IMODE(p.stat().st_mode) for p in paths] == [0o666 & ~mask] * 2

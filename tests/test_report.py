"""Tests for analysis.report: notebook execution, offline HTML, Excel export, rendering."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import report
from analysis.errors import LiftpaceError
from analysis.report import render

FIXTURE = Path(__file__).parent / "data" / "report_fixture.ipynb"
SECRET = "fixture_secret_variable_xyzzy"  # a name that only appears in the fixture's code


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("athlete,date\nAna,2024-05-01\n")
    return path


# --- slug, html_escape_text, record_metadata, notebook_path -----------------------------------


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


def test_html_escape_text() -> None:
    text = report.html_escape_text('<b>Ana</b>\n# *x* $y$ & "q"')
    assert text == r"&lt;b&gt;Ana&lt;/b&gt; \# \*x\* \$y\$ &amp; &quot;q&quot;"
    assert report.html_escape_text(42) == "42"


def test_record_metadata_outside_kernel_does_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    report.record_metadata(end="2024-05-26", athletes=["Ana"])
    assert capsys.readouterr().out == ""


def test_record_metadata_rejects_non_json() -> None:
    with pytest.raises(LiftpaceError, match=r"expected JSON values to record, got \{'end': "):
        report.record_metadata(end=date(2024, 5, 26))


def test_notebook_path_finds_the_packaged_notebooks() -> None:
    path = report.notebook_path("01_reassessment")
    assert path.is_file()
    assert path.parent.name == "notebooks"
    assert report.notebook_path("01_reassessment.ipynb") == path
    with pytest.raises(
        LiftpaceError, match=r"expected one of \['01_reassessment.ipynb', .*\] in .*, got 'nope'"
    ):
        report.notebook_path("nope")


def test_run_notebook_missing_file(tmp_path: Path) -> None:
    with pytest.raises(
        LiftpaceError, match=r"expected a notebook file, got '.*none.ipynb' instead"
    ):
        report.run_notebook(tmp_path / "none.ipynb", {})


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
    assert book.sheetnames == ["About", "weekly"]
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
    assert book.sheetnames == ["About", "a" * 31, "a" * 27 + " (2)", "About (2)", "x_y_z"]
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


# --- argument checks and orchestration (no kernel) --------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"paths": []}, r"expected at least one log file, got none instead"),
        ({"paths": ["nope.csv"]}, r"expected existing log files, got missing \['.*nope.csv'\]"),
        ({"weeks": 3}, r"expected weeks to be 4, 5 or 6, got 3 instead"),
        ({"weeks": True}, r"expected weeks to be 4, 5 or 6, got True instead"),
        ({"end": "26/05/2024"}, r"expected end to be a date such as '2026-11-22', got '26/05/2024' instead"),
        ({"athlete": " "}, r"expected an athlete name, got ' ' instead"),
    ],
)
def test_render_report_argument_errors(log: Path, kwargs: dict, message: str) -> None:
    args = {"paths": [log], "athlete": "Ana", "notebook": FIXTURE} | kwargs
    with pytest.raises(LiftpaceError, match=message):
        report.render_report(args.pop("paths"), **args)


def test_render_squad_jobs_error(log: Path) -> None:
    with pytest.raises(LiftpaceError, match=r"expected jobs to be an integer >= 1, got 0 instead"):
        report.render_squad([log], jobs=0, notebook=FIXTURE, squad_notebook=FIXTURE)


def _fake_nb(**record) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(metadata={"liftpace": record})


@pytest.mark.parametrize(
    ("record", "write", "message"),
    [
        ({}, True, r"did not record its end date; expected a call analysis.report.record_metadata"),
        ({"end": "2024-05-26"}, False, r"did not write the Excel summary to excel_out"),
    ],
)
def test_render_contract_errors_leave_no_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: dict, write: bool, message: str
) -> None:
    def fake_run(notebook, parameters, **kwargs):
        if write:
            Path(parameters["excel_out"]).write_bytes(b"x")
        return _fake_nb(**record)

    monkeypatch.setattr(render, "run_notebook", fake_run)
    with pytest.raises(LiftpaceError, match=message):
        render._render(FIXTURE, {"end": None}, out=tmp_path, stem="ana", title="t")
    assert list(tmp_path.iterdir()) == []


def _fake_render(athletes):
    def fake(notebook, parameters, *, out, stem, title):
        if parameters.get("athlete") == "Carl":
            raise LiftpaceError("boom")
        return out / f"{stem}.html", out / f"{stem}.xlsx", _fake_nb(end="2024-05-26", **athletes)

    return fake


def test_render_squad_order_and_slug_collisions(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {"athletes": ["Ana López", "Ana Lopez", "Squad"]}
    monkeypatch.setattr(render, "_render", _fake_render(names))
    files = report.render_squad(
        [log], out=tmp_path, jobs=1, progress=False, notebook=FIXTURE, squad_notebook=FIXTURE
    )
    stems = ["squad", "ana-lopez", "ana-lopez-2", "squad-2"]
    assert files == [tmp_path / f"{s}.{ext}" for s in stems for ext in ("html", "xlsx")]


def test_render_squad_threads_keep_order(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"A{i}" for i in range(6)]
    monkeypatch.setattr(render, "_render", _fake_render({"athletes": names}))
    files = report.render_squad(
        [log], out=tmp_path, jobs=3, progress=False, notebook=FIXTURE, squad_notebook=FIXTURE
    )
    assert [f.name for f in files[2::2]] == [f"a{i}.html" for i in range(6)]


def test_render_squad_collects_failures(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "_render", _fake_render({"athletes": ["Ana", "Carl", "Ben"]}))
    with pytest.raises(
        LiftpaceError,
        match=r"1 of 3 athlete reports failed \(the others are in .*\):\n- Carl: boom$",
    ):
        report.render_squad(
            [log], out=tmp_path, jobs=1, progress=False, notebook=FIXTURE, squad_notebook=FIXTURE
        )


def test_render_squad_needs_athletes(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "_render", _fake_render({}))
    with pytest.raises(LiftpaceError, match=r"did not record its athletes; .* got None instead"):
        report.render_squad(
            [log], out=tmp_path, progress=False, notebook=FIXTURE, squad_notebook=FIXTURE
        )


# --- kernel-starting tests --------------------------------------------------------------------

ATHLETE = "Ana <b>López</b>"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    out = tmp_path_factory.mktemp("reports")
    log = out / "log.csv"
    log.write_text("athlete\nAna\n")
    html_path, xlsx_path = report.render_report(
        [log], athlete=ATHLETE, weeks=5, end="2024-06-30", out=out, notebook=FIXTURE
    )
    return html_path, xlsx_path, html_path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.xdist_group("rendered")  # one worker renders the fixture once
def test_render_report_files(rendered: tuple[Path, Path, str]) -> None:
    html_path, xlsx_path, _ = rendered
    assert html_path.name == "ana-b-lopez-b-2024-06-30.html"
    assert xlsx_path == html_path.with_suffix(".xlsx")
    assert sorted(p.name for p in html_path.parent.iterdir()) == sorted(
        ["log.csv", html_path.name, xlsx_path.name]
    )  # no pending Excel file left behind
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["About", "weekly"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert (about["athlete"], about["weeks"], about["end"]) == (ATHLETE, 5, "2024-06-30")
    assert [c.value for c in book["weekly"]["B"]] == ["sets_n", 9, 12, 10]


@pytest.mark.slow
@pytest.mark.xdist_group("rendered")  # one worker renders the fixture once
def test_render_report_html_is_offline_and_hides_code(rendered: tuple[Path, Path, str]) -> None:
    page = rendered[2]
    assert SECRET not in page
    assert "record_metadata" not in page
    assert re.search(r'<img [^>]*src="data:image/png;base64,', page)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)=[\"']?(https?:)?//", page)
    assert "fixture stdout kept" in page
    for dropped in ("fixture stderr noise", "fixture removed output", "fixture removed cell"):
        assert dropped not in page
    assert "Ana &lt;b&gt;López&lt;/b&gt;" in page
    assert "<b>López</b>" not in page
    assert "5 weeks to 2024-06-30" in page
    assert "<title>liftpace: Ana &lt;b&gt;López&lt;/b&gt;, 2024-06-30</title>" in page


@pytest.mark.slow
def test_run_notebook_failing_cell() -> None:
    with pytest.raises(
        LiftpaceError,
        match=r"^notebook report_fixture\.ipynb failed in cell 10 \('time\.sleep\(sleep_s\)'\): "
        r"ValueError: fixture failure requested$",
    ):
        report.run_notebook(FIXTURE, {"fail": True})


@pytest.mark.slow
def test_run_notebook_timeout() -> None:
    with pytest.raises(
        LiftpaceError, match=r"report_fixture\.ipynb: a cell ran longer than the 1 s limit"
    ):
        report.run_notebook(FIXTURE, {"sleep_s": 30}, timeout=1)


def test_run_notebook_unknown_kernel() -> None:
    with pytest.raises(
        LiftpaceError, match=r"expected an installed Jupyter kernel, got kernel_name='no-such-k'"
    ):
        report.run_notebook(FIXTURE, {}, kernel_name="no-such-k")


@pytest.mark.slow
def test_run_notebook_uses_this_python_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a user-level "python3" kernelspec pointing elsewhere must not be picked up
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    out = tmp_path / "executed.ipynb"
    cwd = Path.cwd()
    nb = report.run_notebook(FIXTURE, {"athlete": "Ben"}, out_ipynb=out)
    saved = nbformat.read(out, as_version=4)
    for book in (nb, saved):
        assert book.metadata["liftpace"] == {
            "end": "2024-05-26",
            "athletes": ["Ana López", "Ben Ng"],
        }
        outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
        assert not any(report.METADATA_MIME in o.get("data", {}) for o in outputs)
    stdout = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert sys.executable in stdout.splitlines()
    assert str(FIXTURE.parent.resolve()) in stdout.splitlines()  # kernel cwd: notebook folder
    assert Path.cwd() == cwd  # ... without changing ours


@pytest.mark.slow
def test_render_squad_two_jobs(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = report.render_squad(
        [log], out=tmp_path / "out", jobs=2, notebook=FIXTURE, squad_notebook=FIXTURE
    )
    stems = ["squad", "ana-lopez", "ben-ng"]
    out = (tmp_path / "out").resolve()
    assert files == [out / f"{s}-2024-05-26.{ext}" for s in stems for ext in ("html", "xlsx")]
    assert all(f.is_file() for f in files)
    assert "Ben Ng" in files[4].read_text(encoding="utf-8")
    assert "3/3" in capsys.readouterr().err


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

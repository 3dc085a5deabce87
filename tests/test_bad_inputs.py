"""Bad input never crashes, never loses a row, never runs (issue 9).

The corpus in ``tests/bad_inputs/`` (written by ``make_corpus.py``; files over ~1 MB are written
into a temporary folder here) is loaded case by case, and each case is held to its hand-written
expectation in ``expectations.json``: exit code of ``liftpace check``, sets and runs kept, and
every problem row (file, sheet, row, column, action, text). On top of that, for every case:

* ``read_logs(errors="report")`` never raises, and every row is accounted for;
* ``liftpace check`` (in process, text and JSON) exits 0 or 1 and prints no traceback;
* a few hostile files go through the real ``liftpace`` executable in a subprocess, whose peak
  memory and time are measured;
* reports escape user text and Excel exports neutralise formula-like cells.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import LogFormatError, read_logs
from analysis import columns as C
from analysis.cli import main
from analysis.loaders.base import escape_controls
from analysis.report import write_excel

pytestmark = pytest.mark.slow  # the hostile-file corpus: about a minute of work: in make test, not in make test-fast

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))
IDS = [c["name"] for c in CASES]


def _params(cases: list[dict]) -> list:
    """Cases as pytest params; a case exposing a reported reader bug is a strict xfail until fixed."""
    return [
        pytest.param(
            c,
            id=c["name"],
            marks=[pytest.mark.xfail(strict=True, reason=c["known_bug"])] if c["known_bug"] else [],
        )
        for c in cases
    ]


LIFTPACE = Path(sys.executable).with_name("liftpace")


def _corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large_dir(tmp_path_factory) -> Path:
    """The corpus files too big to commit (a 5 MB line, a 5 MB cell, a 2 GB zip bomb)."""
    out = tmp_path_factory.mktemp("large")
    module = _corpus_module()
    for case in module.CASES:
        if case.large:
            for name, make in case.files.items():
                (out / name).write_bytes(make())
    return out


def _paths(case: dict, large_dir: Path) -> list[Path]:
    folder = large_dir if case["large"] else CORPUS
    return [folder / p for p in case["paths"]]


def _key(file, sheet, row, column, action) -> tuple:
    none = lambda v: None if v is None or pd.isna(v) else v  # noqa: E731
    return (file, none(sheet), None if none(row) is None else int(row), none(column), action)


# --- the corpus itself -------------------------------------------------------------------------


def test_corpus_is_current_and_big_enough(tmp_path):
    module = _corpus_module()
    written = module.build(tmp_path)
    for path in written:
        assert (CORPUS / path.name).read_bytes() == path.read_bytes(), (
            f"re-run make_corpus.py: {path.name}"
        )
    assert module.expectations() == CASES, "re-run make_corpus.py: expectations.json"
    assert len(CASES) >= 50
    assert all(c["exit"] in (0, 1) for c in CASES)


# --- read_logs: what is kept, what is reported, nothing lost -----------------------------------


@pytest.mark.parametrize("case", _params(CASES))
def test_read_logs_keeps_and_reports_as_expected(case, large_dir):
    paths = _paths(case, large_dir)
    log = read_logs(*paths, errors="report", **case["options"])  # never raises
    assert (len(log.sets), len(log.runs)) == (case["sets"], case["runs"])
    if case["athletes"] is not None:
        assert log.athletes == sorted(case["athletes"])
    got = [
        (_key(r.source_file, r.source_sheet, r.source_row, r.column, r.action), r.problem)
        for r in log.problems.astype(object).itertuples(index=False)
    ]
    expected = [
        (_key(p["file"], p["sheet"], p["row"], p["column"], p["action"]), p["text"])
        for p in case["problems"]
    ]
    if case["error"]:
        expected.append((_key(case["paths"][0], None, None, None, "dropped"), None))
    assert Counter(k for k, _ in got) == Counter(k for k, _ in expected)
    for key, text in expected:
        texts = [t for k, t in got if k == key]
        if text is None:
            assert any(re.search(case["error"], t) for t in texts), (case["error"], texts)
        else:
            assert any(text in t for t in texts), (text, texts)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_row_is_accounted_for(case, large_dir):
    log = read_logs(*_paths(case, large_dir), errors="report", **case["options"])
    for f in log.files:
        if f.get("duplicate_of"):  # a repeated file is not read at all
            assert (f["rows_read"], f["sets"], f["runs"]) == (0, 0, 0)
            continue
        name = Path(f["path"]).name
        rows_in_tables = sum(
            frame[frame[C.SOURCE_FILE] == name]
            .groupby([C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False)
            .ngroups
            for frame in (log.sets, log.runs, log.bodyweight)
        )
        probs = log.problems
        dropped = probs[
            (probs[C.SOURCE_FILE] == name)
            & (probs["action"] == "dropped")
            & probs[C.SOURCE_ROW].notna()
        ]
        n_dropped = dropped.groupby([C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False).ngroups
        skipped = sum(
            n
            for r, n in f["skipped"].items()
            if r != "above header" and not r.startswith("not a log")
        )
        assert f["rows_read"] == rows_in_tables + n_dropped + skipped, f


@pytest.mark.parametrize("case", _params([c for c in CASES if c["error"] and len(c["paths"]) == 1]))
def test_unreadable_file_raises_its_message(case, large_dir):
    with pytest.raises(LogFormatError, match=case["error"]):
        read_logs(*_paths(case, large_dir), **case["options"])


# --- liftpace check: exit codes, no traceback, names file, sheet, row, column, value ---------------


def _flags(options: dict) -> list[str]:
    """read_logs options as liftpace check flags."""
    return [arg for key, value in options.items() for arg in (f"--{key}", value)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_exit_code_and_output(case, large_dir, capsys):
    paths = [str(p) for p in _paths(case, large_dir)] + _flags(case["options"])
    assert main(["check", *paths, "--json"]) == case["exit"]
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    report = json.loads(out.out)
    assert len(report["problems"]) == len(case["problems"]) + bool(case["error"])
    if case["exit"] == 1:
        assert "error" in report
    assert main(["check", *paths, "--max-problems", "1000"]) == case["exit"]
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert not TERMINAL_CONTROLS.search(out.out + out.err), "text from a file printed unescaped"
    for p in report["problems"]:
        where = escape_controls(p["source_file"])
        if p["source_sheet"] is not None:
            where += f", sheet '{escape_controls(p['source_sheet'])}'"
        if p["source_row"] is not None:
            where += f", row {p['source_row']}"
        if p["column"] is not None:
            where += f", column '{escape_controls(p['column'])}'"
        if p["value"] is not None:
            where += f", value '{escape_controls(p['value'])}'"
        assert f"  {where}: " in out.out


#: What a terminal acts on: C0 controls but the line feed, DEL and C1 controls, bidi overrides.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def test_check_usage_errors_exit_2(capsys):
    for argv in (["check"], ["check", "x.csv", "--weight-unit", "stone"], ["nonsense"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


# --- hostile files through the real executable: time and memory --------------------------------

HOSTILE = [
    "zip_bomb_2gb.xlsx",
    "zip_liar.xlsx",
    "far_cell.xlsx",
    "ods_repeat_bomb.ods",
    "billion_laughs.xlsx",
    "gzip_bomb.gpx.gz",
    "enormous_line.csv",
]


def _run_measured(argv: list[str], tmp_path: Path) -> tuple[int, str, str, float, float]:
    """Run a command; return exit code, stdout, stderr, seconds and its own peak RSS in MB."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    start = time.perf_counter()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(
            argv,
            stdout=fo,
            stderr=fe,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30)),
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, out.read_text(), err.read_text(), seconds, usage.ru_maxrss / 1024


@pytest.mark.skipif(not LIFTPACE.exists(), reason="the liftpace console script is not installed")
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_refused_fast_in_bounded_memory(name, large_dir, tmp_path):
    case = next(c for c in CASES if c["name"] == name)
    path = _paths(case, large_dir)[0]
    code, out, err, seconds, rss_mb = _run_measured([str(LIFTPACE), "check", str(path)], tmp_path)
    assert code == case["exit"], (out, err)
    assert "Traceback" not in out + err
    assert path.name in out
    assert seconds < 10, seconds
    assert rss_mb < 500, rss_mb


#: Files that made calamine (or a run-file parser) abort the interpreter, run for minutes or take
#: gigabytes before the guards of issue 16; all refused together in one process.
BOMBS = [
    "lowercase_ref.xlsx",
    "cells_without_r.xlsx",
    "eight_digit_row.xlsx",
    "u32_row.xlsx",
    "unbound_prefix.xlsx",
    "duplicate_part.xlsx",
    "case_folded_part.xlsx",
    "shared_strings_count.xlsx",
    "sheet_entries_50000.xlsx",
    "sheets_4990.xlsx",
    "ods_unbound_prefix.ods",
    "ods_other_namespace.ods",
    "xls_dimensions.xls",
    "xls_far_cell.xls",
    "xls_dir_loop.xls",
    "xls_sheets_300.xls",
    "csv_1m_lines.csv",
    "gpx_points.gpx.gz",
    "fit_messages.fit.gz",
]


@pytest.mark.skipif(not LIFTPACE.exists(), reason="the liftpace console script is not installed")
def test_bombs_are_refused_and_the_process_survives_to_load_the_others(large_dir, tmp_path):
    """One `liftpace check` of every bomb between two good files, under a 4 GB address-space
    limit: the process ends normally, each bomb is refused with its message, the good files load,
    in well under the 20 s and 2 GB promised per hostile file."""
    cases = {c["name"]: c for c in CASES}
    bombs = [_paths(cases[name], large_dir)[0] for name in BOMBS]
    good = [CORPUS / "utf8_bom.csv", CORPUS / "good.xls"]
    code, out, err, seconds, rss_mb = _run_measured(
        [str(LIFTPACE), "check", str(good[0]), *map(str, bombs), str(good[1])], tmp_path
    )
    assert code == 0, (out, err)
    assert "panicked" not in err
    assert "Traceback" not in out + err
    assert "utf8_bom.csv: strength log (CSV) - 2 sets" in out
    assert "good.xls: coach workbook - 2 sets" in out
    for name, path in zip(BOMBS, bombs, strict=True):
        line = next(x for x in out.splitlines() if x.startswith(f"{path.name}: "))
        assert "NOT LOADED" in line, line
        assert re.search(cases[name]["error"], line), (cases[name]["error"], line)
    assert seconds < 20, seconds  # about 2 s measured
    assert rss_mb < 500, rss_mb  # about 185 MB measured


@pytest.mark.parametrize("name", ["lowercase_ref.xlsx", "xls_dimensions.xls"])
def test_calamine_alone_would_abort_on_these(name, tmp_path):
    """The bombs are real: calamine, given one of them without the guards, does not come back
    (it aborts the interpreter allocating the range; run under a 2 GB limit)."""
    code = (
        "import pandas as pd, sys\n"
        f"pd.read_excel({str(CORPUS / name)!r}, sheet_name=None, header=None, engine='calamine')\n"
        "print('read')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30)),
    )
    assert "read" not in proc.stdout
    assert proc.returncode != 0


def test_files_over_the_size_limit_are_never_hashed(tmp_path, monkeypatch):
    """Two equal-size files over 200 MB (sparse, so the test writes nothing) are refused by their
    size without being read: the content comparison never runs on them."""
    from analysis.loaders import accounting

    paths = []
    for name in ("a.csv", "b.csv"):
        path = tmp_path / name
        with path.open("wb") as fh:
            fh.truncate(250 * 2**20)
        paths.append(path)
    monkeypatch.setattr(accounting.hashlib, "sha256", lambda: pytest.fail("a file over the limit was hashed"))
    log = read_logs(*paths, errors="report")
    assert [f["error"] for f in log.files] == [
        f"{p.name}: 262 MB is over liftpace's limit of 210 MB per file." for p in paths
    ]


def test_find_plan_goes_through_the_guards(tmp_path):
    """A CSV named .xlsx, a cut-off workbook and refused bombs do not fail find_plan (read_logs
    reports them); a plan further on is still found."""
    from analysis.loaders.plan import find_plan

    paths = [CORPUS / n for n in ("csv_as.xlsx", "truncated.xlsx", "lowercase_ref.xlsx", "xls_dimensions.xls",
                                  "corrupt_sheet.xlsx", "sheet_entries_50000.xlsx")]
    assert find_plan(paths).empty
    plan = tmp_path / "plan.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Plan"
    workbook.active.append(["Exercise", "Week 1"])
    workbook.active.append(["Plank", "3x30s"])
    workbook.save(plan)
    found = find_plan([*paths, plan], program_start="2026-09-01")
    assert found["exercise"].tolist() == ["plank"]


def test_check_escapes_a_hostile_file_name(tmp_path, capsys):
    """A file name with ESC, BEL and CR (retitle the terminal, overwrite the line) is printed escaped."""
    path = tmp_path / "log\x1b]0;pwned\x07\r.csv"
    path.write_bytes((CORPUS / "utf8_bom.csv").read_bytes())
    assert main(["check", str(path)]) == 0
    text = capsys.readouterr().out
    assert "log\\x1b]0;pwned\\x07\\x0d.csv: strength log (CSV)" in text
    assert not TERMINAL_CONTROLS.search(text)
    assert main(["check", str(path), "--json"]) == 0
    text = capsys.readouterr().out
    assert not TERMINAL_CONTROLS.search(text)
    assert json.loads(text)["files"][0]["path"] == str(path)


def _random_sheet(rng) -> bytes:
    """A small sheet written the ways writers (and attackers) write them: rows with or without
    r=, cells with upper- or lower-case r= or none, empty and self-closing cells, gaps."""
    rows, row_no = [], 0
    for _ in range(rng.randint(1, 8)):
        row_no += rng.randint(1, 4)
        attr = f' r="{row_no}"' if rng.random() < 0.6 else ""
        cells, col = [], 0
        for _ in range(rng.randint(0, 6)):
            col += rng.randint(1, 3)
            letters = "".join(chr(64 + d) for d in _letters(col))
            ref = rng.choice([f' r="{letters}{row_no}"', f' r="{letters.lower()}{row_no}"', ""])
            kind = rng.random()
            if kind < 0.2:
                cells.append(f"<c{ref}/>")
            elif kind < 0.3:
                cells.append(f"<c{ref}></c>")
            else:
                cells.append(f"<c{ref}><v>{rng.randint(0, 9)}</v></c>")
        rows.append(f"<row{attr}>{''.join(cells)}</row>")
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(rows) + "</sheetData></worksheet>").encode()


def _letters(col: int) -> list[int]:
    out = []
    while col:
        col, rem = divmod(col - 1, 26)
        out.append(rem + 1)
    return out[::-1]


def test_the_sheet_scan_never_sees_less_than_calamine_builds():
    """On 300 random small sheets (both scan paths), the range the guard computes covers the range
    calamine actually builds: the emulation of calamine's cell placement is conservative."""
    import random

    import python_calamine

    from analysis.loaders.workbook_scan import xlsx_sheet

    module = _corpus_module()
    rng = random.Random(16)
    for _ in range(300):
        xml = _random_sheet(rng)
        ours = xlsx_sheet(xml, "sheet1.xml", 10**6)
        book = module.rezip(module.good_xlsx(), {"xl/worksheets/sheet1.xml": xml})
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_index(0)
        if sheet.end is not None:
            assert (ours.rows, ours.cols) >= (sheet.end[0] + 1, 0), xml
            assert ours.rows >= sheet.end[0] + 1, xml
            assert ours.cols >= sheet.end[1] + 1, xml


def test_the_limits_documented_are_the_limits_enforced():
    from analysis.loaders.guards import limits_table

    doc = (CORPUS.parents[1] / "docs" / "bad_files.md").read_text(encoding="utf-8")
    assert limits_table() in doc, "paste analysis.loaders.guards.limits_table() into docs/bad_files.md"


@pytest.mark.skipif(not LIFTPACE.exists(), reason="the liftpace console script is not installed")
def test_subprocess_check_of_a_good_and_a_bad_file_together(tmp_path):
    good = CORPUS / "utf8_bom.csv"
    bad = CORPUS / "encrypted.xlsx"
    code, out, err, _, _ = _run_measured([str(LIFTPACE), "check", str(good), str(bad)], tmp_path)
    assert code == 0, err
    assert "encrypted.xlsx: NOT LOADED - encrypted.xlsx: is password-protected" in out
    assert "Traceback" not in out + err


@pytest.mark.skipif(not LIFTPACE.exists(), reason="the liftpace console script is not installed")
def test_output_pipe_closed_early_is_not_a_traceback(tmp_path):
    rows = ["Date,Exercise,Reps,Weight (kg)"] + [
        f"2026-09-01,Back squat,five,{i}" for i in range(5000)
    ]
    path = tmp_path / "many_problems.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    err = tmp_path / "err.txt"
    with (
        err.open("wb") as fe,
        subprocess.Popen(
            [str(LIFTPACE), "check", str(path), "--max-problems", "5000"],
            stdout=subprocess.PIPE,
            stderr=fe,
        ) as proc,
    ):
        proc.stdout.readline()  # like `| head -1`
        proc.stdout.close()
        assert proc.wait(timeout=30) == 141
    assert "Traceback" not in err.read_text()


# --- nothing from a file is ever evaluated or rendered live ---------------------------------------


def test_html_report_escapes_user_text(tmp_path):
    path = CORPUS / "html_script.csv"
    log = read_logs(path)
    assert "<script>alert('x')</script>" in log.athletes  # kept verbatim: it is data
    from analysis.report import render_squad

    done = render_squad([path], out=tmp_path, jobs=1, progress=False)
    for page in [done.index, *(p for pair in done.athletes.values() for p in pair if p.suffix == ".html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text
        assert "<b>" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in done.index.read_text(encoding="utf-8")


def test_excel_export_neutralises_formula_like_cells(tmp_path):
    log = read_logs(CORPUS / "formula_injection.csv")
    notes = ["@SUM(1+1)", "-2+3", "=1+1"]
    frame = pd.DataFrame({"athlete": log.athletes, "note": notes})
    out = write_excel({"athletes": frame}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(out)["athletes"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.value.startswith("'") for c in cells)
    assert {c.value[1:] for c in cells} == set(log.athletes) | set(notes)

"""``liftpace report`` and ``liftpace squad`` end to end on the sample coach workbook.

Every test here runs the report notebooks in a Jupyter kernel: all are ``slow``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "data" / "sample_logs" / "coach_workbook.xlsx"
ATHLETES = ("ana-lopez", "ben-carter", "chloe-dubois", "dev-patel")

pytestmark = pytest.mark.slow


def cells(path: Path, sheet: str) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for row in book[sheet].iter_rows(values_only=True) for v in row if v is not None]


@pytest.fixture(scope="module")
def squad_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("squad")
    assert main(["squad", str(WORKBOOK), "--out", str(out)]) == 0
    return out


def test_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(WORKBOOK), "--athlete", "Ana Lopez", "--out", str(tmp_path)])
    assert code == 0
    html, xlsx = tmp_path / "ana-lopez-2026-11-22.html", tmp_path / "ana-lopez-2026-11-22.xlsx"
    captured = capsys.readouterr()
    assert f"wrote {html}" in captured.out
    assert captured.err == ""  # no kernel chatter, no progress bar outside a terminal
    page = html.read_text(encoding="utf-8")
    assert "Bulgarian split squat: the left-right gap closed (from 9 % to 3 %" in page
    assert page.count("data:image/svg+xml;base64,") >= 3
    assert "<script" not in page
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:3] == ["Summary", "Strength", "Single-leg balance"]
    assert "Data quality" in book.sheetnames
    assert "Plan vs done" in book.sheetnames
    findings = cells(xlsx, "Findings")
    assert any(c.startswith("Bulgarian split squat: the left-right gap closed") for c in findings)
    assert "Ana Lopez" in cells(xlsx, "Summary")


def test_report_command_unknown_athlete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(WORKBOOK), "--athlete", "Ana Lopes", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "liftpace: no athlete 'Ana Lopes' in the files; did you mean 'Ana Lopez'? "
        "(athletes: Ana Lopez, Ben Carter, Chloe Dubois, Dev Patel)\n"
    )
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.xdist_group("squad_out")  # one worker renders the squad once for both tests
def test_squad_command_files(squad_out: Path) -> None:
    names = sorted(p.name for p in squad_out.iterdir())
    expected = ["index.html", "squad-2026-11-22.xlsx"]
    expected += [f"{a}-2026-11-22.{ext}" for a in ATHLETES for ext in ("html", "xlsx")]
    assert names == sorted(expected)  # no temporary files left behind


@pytest.mark.xdist_group("squad_out")
def test_squad_command_content(squad_out: Path) -> None:
    page = (squad_out / "index.html").read_text(encoding="utf-8")
    assert '<a href="ben-carter-2026-11-22.html">Ben Carter</a>' in page
    assert "stalled: Goblet squat" in page
    book = openpyxl.load_workbook(squad_out / "squad-2026-11-22.xlsx", read_only=True)
    assert book.sheetnames[0] == "Triage"
    first = next(book["Triage"].iter_rows(min_row=2, values_only=True))
    assert first[:3] == (1, "Ben Carter", "stalled: Goblet squat")
    ben = cells(squad_out / "ben-carter-2026-11-22.xlsx", "Findings")
    assert (
        "Goblet squat: no new best for 6 weeks (last on 6 Oct) though trained 8 times this block, "
        "and the stall began before the power phase."
        in ben
    )
    chloe = (squad_out / "chloe-dubois-2026-11-22.html").read_text(encoding="utf-8")
    assert "2 of 4 weeks below the target of 2 sessions (weeks of 2 Nov and 9 Nov)." in chloe


def test_report_command_runner_exports(tmp_path: Path) -> None:
    """A runner's own CSV exports name no athlete: the report names them --athlete."""
    strength, runs = (WORKBOOK.parent / n for n in ("runner_strength.csv", "runner_runs.csv"))
    args = ["report", str(strength), str(runs), "--athlete", "Sam Runner", "--out", str(tmp_path)]
    assert main(args) == 0
    xlsx = tmp_path / "sam-runner-2026-11-22.xlsx"
    running = cells(xlsx, "Running")
    assert "easy" in running
    assert "No runs were logged, so pace was not assessed." not in cells(xlsx, "Findings")
    assert "Sam Runner" in cells(xlsx, "Summary")


def test_console_script_exits_with_mains_code_after_freezing_the_collector(tmp_path, monkeypatch):
    """``liftpace`` (cli.run) exits with main's code; the imports are frozen before the work, and
    everything before exit (the interpreter's last collection is skipped); the collector runs."""
    import gc

    import analysis.cli as cli

    frozen = []
    monkeypatch.setattr(cli.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["liftpace", "report", str(tmp_path / "missing.csv"), "--athlete", "x"])
    with pytest.raises(SystemExit) as done:
        cli.run()
    assert done.value.code == cli.EXIT_UNUSABLE
    assert frozen == [True, True]
    assert gc.isenabled()


def test_import_analysis_is_light_and_its_names_load_on_first_use():
    """``import analysis`` imports no pandas (cli.run imports it with the collector paused);
    the package's names and submodules still load on first use; a wrong name is an AttributeError."""
    code = (
        "import sys, analysis\n"
        "assert 'pandas' not in sys.modules\n"
        "from analysis import read_logs, reassess, Reassessment, TrainingLog\n"
        "assert read_logs.__module__ == 'analysis.loaders.log'\n"
        "assert analysis.volume.__name__ == 'analysis.volume'\n"
        "try:\n    analysis.not_a_name\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "module 'analysis' has no attribute 'not_a_name'"

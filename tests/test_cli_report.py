"""``liftpace report`` and ``liftpace squad`` end to end on the sample coach workbook.

Every test here runs the report notebooks in a Jupyter kernel: all are ``slow``.
"""

from __future__ import annotations

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
    assert main(["squad", str(WORKBOOK), "--out", str(out), "--jobs", "2"]) == 0
    return out


def test_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(WORKBOOK), "--athlete", "Ana Lopez", "--out", str(tmp_path)])
    assert code == 0
    html, xlsx = tmp_path / "ana-lopez-2026-11-22.html", tmp_path / "ana-lopez-2026-11-22.xlsx"
    assert f"wrote {html}" in capsys.readouterr().out
    page = html.read_text(encoding="utf-8")
    assert "Left Bulgarian split squat is 3 % behind the right, down from 10 %" in page
    assert page.count("data:image/png;base64,") >= 1
    assert "<script src" not in page
    assert "reassess.reassess(" not in page
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:3] == ["About", "Findings", "Strength"]
    assert "Data quality" in book.sheetnames
    assert "Plan vs done" in book.sheetnames
    findings = cells(xlsx, "Findings")
    assert any(c.startswith("Left Bulgarian split squat is 3 % behind the right") for c in findings)
    assert "Ana Lopez" in cells(xlsx, "About")


def test_report_command_unknown_athlete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(WORKBOOK), "--athlete", "Nobody", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "expected an athlete with logged sets, got 'Nobody' instead" in err
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.xdist_group("squad_out")  # one worker renders the squad once for both tests
def test_squad_command_files(squad_out: Path) -> None:
    names = sorted(p.name for p in squad_out.iterdir() if not p.name.startswith("."))
    expected = ["squad-2026-11-22.html", "squad-2026-11-22.xlsx"]
    expected += [f"{a}-2026-11-22.{ext}" for a in ATHLETES for ext in ("html", "xlsx")]
    assert names == sorted(expected)


@pytest.mark.xdist_group("squad_out")
def test_squad_command_content(squad_out: Path) -> None:
    page = (squad_out / "squad-2026-11-22.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "Goblet squat has not gone up for 5 weeks" in page
    summary = cells(squad_out / "squad-2026-11-22.xlsx", "Summary")
    assert "sessions_per_week" in summary
    ben = cells(squad_out / "ben-carter-2026-11-22.xlsx", "Findings")
    assert "Goblet squat has not gone up for 5 weeks (best 39.0 kg e1RM; noise 1.4 kg)." in ben
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
    assert "Sam Runner" in running
    assert "No runs were logged, so pace was not assessed." not in cells(xlsx, "Findings")

"""Each athlete's report holds that athlete alone; a file that names no one goes to no one.

The fixture is built by script from the sample set: the messy coach workbook (planted
data-quality problems on several athletes' sheets) cut to three athletes, plus the runner's
run export, which names no athlete, saved as ``Activities.csv``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from analysis import read_logs, report
from analysis.cli import main
from analysis.loaders.scope import owners

pytestmark = pytest.mark.slow  # renders whole squads: in make test, not in make test-fast

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"
ATHLETES = ("Ana Lopez", "Ben Carter", "Chloe Dubois")
DROPPED = "Dev Patel"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("squad-files")
    book = openpyxl.load_workbook(SAMPLES / "coach_workbook_messy.xlsx")
    del book[DROPPED]
    for name in ("Runs", "Bodyweight"):
        ws = book[name]
        gone = [r for r in range(ws.max_row, 1, -1) if str(ws.cell(r, 1).value or "").strip() == DROPPED]
        for r in gone:  # bottom up, so row numbers stay valid
            ws.delete_rows(r)
    workbook = folder / "squad.xlsx"
    book.save(workbook)
    runs = folder / "Activities.csv"
    shutil.copy(SAMPLES / "runner_runs.csv", runs)
    return workbook, runs


def _html_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)  # fmt: skip


def _others(name: str) -> list[str]:
    others = [a for a in ATHLETES if a != name]
    return others + [a.split()[1] for a in others]  # full names and surnames


def test_squad_reports_hold_one_athlete_each(files: tuple[Path, Path], tmp_path: Path) -> None:
    workbook, runs = files
    done = report.render_squad([workbook, runs], out=tmp_path, progress=False)
    assert sorted(done.athletes) == list(ATHLETES)  # no phantom "Activities" athlete
    assert not done.failures
    assert not list(tmp_path.glob("activities*"))
    for name, (html, xlsx) in done.athletes.items():
        for text in (_html_text(html), _xlsx_text(xlsx)):
            assert name in text
            leaked = [o for o in _others(name) if o in text]
            assert not leaked, f"{html.name} names {leaked}"
            assert "Activities.csv" not in text  # the unassigned file is no one's
    index = _html_text(done.index)
    assert "Activities.csv names no athlete: 36 runs given to no one" in index
    assert done.unassigned
    assert "Activities.csv=NAME" in done.unassigned[0]


def test_each_athlete_gets_their_own_problem_rows_only(files: tuple[Path, Path], tmp_path: Path) -> None:
    workbook, runs = files
    log = read_logs(workbook, runs, unnamed="unassigned")
    owner = owners(log)
    assert owner.notna().any()
    assert owner.dropna().nunique() >= 2
    done = report.render_squad([workbook, runs], out=tmp_path, progress=False)
    for name, (_, xlsx) in done.athletes.items():
        sheet = openpyxl.load_workbook(xlsx, read_only=True)["Data quality"]
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
        assert len(rows) == int((owner == name).sum())
        sheets = {r[1] for r in rows if r[1]}
        assert sheets <= {name, "Runs", "Bodyweight"}


def test_a_file_assigned_on_the_command_line_goes_to_that_athlete(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook, runs = files
    code = main(["squad", str(workbook), f"{runs}=ben carter", "--out", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "names no athlete" not in out.err
    names = sorted(p.name for p in tmp_path.glob("*.html"))
    assert names == ["ana-lopez-2026-11-22.html", "ben-carter-2026-11-22.html",
                     "chloe-dubois-2026-11-22.html", "index.html"]  # fmt: skip
    ben = _xlsx_text(tmp_path / "ben-carter-2026-11-22.xlsx")
    ana = _xlsx_text(tmp_path / "ana-lopez-2026-11-22.xlsx")
    assert "Activities.csv" in ben
    assert "Activities.csv" not in ana

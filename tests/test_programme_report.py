"""Issue 19 end to end: the sample squad's reports show the four programme parts (phases on a
timeline, test days, the next-block outlook, run-lift spacing), and the squad agrees with each
athlete's own reassessment on the test days."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import read_logs
from analysis.loaders.tests import find_tests
from analysis.reassessment import reassess, reassess_squad
from analysis.report import render_squad

pytestmark = pytest.mark.slow  # renders the sample squad: in make test, not in make test-fast

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "data" / "sample_logs" / "coach_workbook.xlsx"


@pytest.fixture(scope="module")
def squad_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("squad")
    render_squad([WORKBOOK], out=out, progress=False, jobs=1)
    return out


@pytest.mark.xdist_group("programme_squad")
def test_ana_report_shows_the_four_parts(squad_out: Path) -> None:
    html = (squad_out / "ana-lopez-2026-11-22.html").read_text(encoding="utf-8")
    assert "phase: <strong>power (from the plan)</strong>" in html
    assert 'alt="Timeline of the training phases: foundation from 31 Aug 2026' in html
    assert 'id="test-days"' in html
    assert "Single-leg squat to failure (left)" in html
    assert "5 km time trial: 23:00 on 2026-11-21, 70 s faster than 24:10" in html
    assert 'id="next-block"' in html
    assert "An outlook, not a promise" in html
    assert "Hard runs (tempo, interval, long, race) within a day of a heavy leg session" in html
    assert "tempo on 29 Oct" in html
    book = openpyxl.load_workbook(squad_out / "ana-lopez-2026-11-22.xlsx", read_only=True)
    assert {"Programme", "Test days", "Next block"} <= set(book.sheetnames)


@pytest.mark.xdist_group("programme_squad")
def test_squad_page_has_test_days(squad_out: Path) -> None:
    html = (squad_out / "index.html").read_text(encoding="utf-8")
    assert ">Test days<" in html
    chloe = (squad_out / "chloe-dubois-2026-11-22.html").read_text(encoding="utf-8")
    assert "One test day so far" in chloe
    assert "Ana Lopez" not in chloe  # test days of others never reach an athlete's report


def test_squad_and_athlete_agree_on_test_days() -> None:
    log = read_logs(WORKBOOK)
    tests, problems = find_tests([WORKBOOK])
    assert problems.empty
    everyone = reassess_squad(log.sets, log.runs, bodyweight=log.bodyweight, tests=tests)
    for name, r in everyone.items():
        mine = log.for_athlete(name)
        own = reassess(mine.sets, mine.runs, athlete=name, bodyweight=mine.bodyweight, tests=tests,
                       end=r.params["end"])  # fmt: skip
        pd.testing.assert_frame_equal(r.test_days, own.test_days)
        pd.testing.assert_frame_equal(r.findings, own.findings)
    verdicts = everyone["Ana Lopez"].test_days.set_index(["test", "side"])["verdict"]
    assert verdicts[("single_leg_squat", "left")] == "better"
    assert verdicts[("single_leg_squat", "right")] == "no clear change"
    assert verdicts[("time_trial_5k", "both")] == "better"
    assert set(everyone["Ben Carter"].test_days["verdict"]) == {"no clear change"}
    assert set(everyone["Chloe Dubois"].test_days["verdict"]) == {"not enough tests"}
    assert (everyone["Ana Lopez"].outlook["status"] == "outlook").any()

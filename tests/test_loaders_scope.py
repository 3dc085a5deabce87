"""Whose rows and problems: per-file athletes, unassigned files, TrainingLog.for_athlete."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import read_logs
from analysis.loaders.log import UNASSIGNED, split_assignments
from analysis.loaders.scope import files_by_athlete, owners

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"
MESSY, RUNS = SAMPLES / "coach_workbook_messy.xlsx", SAMPLES / "runner_runs.csv"


def test_a_file_that_names_no_one_is_unassigned() -> None:
    log = read_logs(MESSY, RUNS, unnamed="unassigned")
    assert log.athletes == ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel"]
    assert (log.runs["athlete"] == UNASSIGNED).sum() == 36
    assert [f["unassigned"] for f in log.files] == [{}, {"runs": 36}]
    note = log.problems[log.problems["source_file"] == "runner_runs.csv"]
    assert note["problem"].tolist() == [
        "names no athlete: 36 runs given to no one; say whose file it is with runner_runs.csv=NAME"
    ]
    assert owners(log)[note.index].isna().all()  # no one's


def test_per_file_athlete_wins() -> None:
    log = read_logs(MESSY, RUNS, athletes={str(RUNS): "Ben Carter"}, unnamed="unassigned")
    ben = log.runs[log.runs["athlete"] == "Ben Carter"]
    assert set(ben["source_file"]) == {"coach_workbook_messy.xlsx", "runner_runs.csv"}
    assert (log.runs["athlete"] == UNASSIGNED).sum() == 0
    assert files_by_athlete(log)["Ben Carter"] == {"coach_workbook_messy.xlsx", "runner_runs.csv"}


def test_default_still_names_by_file_stem() -> None:
    assert "runner_runs" in read_logs(RUNS).athletes


def test_for_athlete_keeps_only_their_problems() -> None:
    log = read_logs(MESSY)
    owner = owners(log)
    for name in log.athletes:
        mine = log.for_athlete(name)
        assert len(mine.problems) == int((owner == name).sum())
        assert set(mine.sets["athlete"]) == {name}
        assert set(mine.problems["source_sheet"].dropna()) <= {name, "Runs", "Bodyweight"}
    assert (owner.notna()).sum() > 0


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["a.csv=Mia"], (["a.csv"], {"a.csv": "Mia"})),
        (["a=b.csv=Mia Lund"], (["a=b.csv"], {"a=b.csv": "Mia Lund"})),
        (["a.csv="], (["a.csv="], {})),
    ],
)
def test_split_assignments(items, expected) -> None:
    assert split_assignments(items) == expected


def test_split_assignments_prefers_an_existing_file(tmp_path: Path) -> None:
    odd = tmp_path / "x=y.csv"
    odd.write_text("x")
    assert split_assignments([str(odd)]) == ([str(odd)], {})

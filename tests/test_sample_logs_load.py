"""Loader tests driven by data/sample_logs/manifest.json: every sample file loads as listed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from analysis import columns as C
from analysis import read_logs
from analysis.cli import main
from analysis.loaders.tests import find_tests
from analysis.testdays import test_changes

pytestmark = pytest.mark.slow  # loads every committed sample: in make test, not in make test-fast

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
FILES = MANIFEST["files"]


def _load(entry):
    return read_logs(SAMPLES / entry["path"], **entry.get("options", {}))


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_rows_athletes_and_dates(entry):
    log = _load(entry)
    assert len(log.sets) == entry["rows"]["sets"]
    assert len(log.runs) == entry["rows"]["runs"]
    assert len(log.bodyweight) == entry["rows"]["bodyweight"]
    assert log.athletes == sorted(entry["athletes"])
    dates = list(log.sets[C.DATE]) + list(log.runs[C.DATE])
    assert min(dates).strftime("%Y-%m-%d") == entry["first_date"]
    assert max(dates).strftime("%Y-%m-%d") == entry["last_date"]


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_listed_problems_and_nothing_else(entry):
    log = _load(entry)
    expected = Counter(
        (p["sheet"], p["row"], p["column"], p["action"])
        for p in entry["problems"]
        if p["action"] in ("dropped", "fixed", "kept")
    )
    got = Counter(
        (r.source_sheet, int(r.source_row), r.column, r.action)
        for r in log.problems.astype(object).itertuples(index=False)
    )
    assert got == expected
    for p in entry["problems"]:
        if p["action"] == "trimmed":
            table = log.runs if p["sheet"] == "Runs" else log.sets
            assert p["value"].strip() in set(table[C.ATHLETE])
            assert p["value"] not in set(table[C.ATHLETE])


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_every_row_is_accounted_for(entry):
    log = _load(entry)
    f = log.files[0]
    rows_in_tables = sum(
        frame.groupby([C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False).ngroups
        for frame in (log.sets, log.runs, log.bodyweight)
        if len(frame)
    )
    dropped = log.problems[(log.problems["action"] == "dropped") & log.problems[C.SOURCE_ROW].notna()]
    n_dropped = dropped.groupby([C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False).ngroups
    below_header = sum(n for reason, n in f["skipped"].items()
                       if reason != "above header" and not reason.startswith(("not a log", "test results")))
    assert f["rows_read"] == rows_in_tables + n_dropped + below_header
    for sheet in entry["skipped"]:
        assert f"not a log: sheet '{sheet}'" in f["skipped"]
    if "tests" in entry:  # the Tests sheet: its header and result rows counted as test results, not sets
        name = entry["tests"]["sheet"]
        assert f["skipped"][f"test results: sheet '{name}' (read by find_tests)"] == entry["tests"]["rows"] + 1
        assert not (log.sets[C.SOURCE_SHEET] == name).any()


@pytest.mark.parametrize("entry", [f for f in FILES if "tests" in f], ids=lambda f: f["path"])
def test_the_tests_sheet_reads_as_the_manifest_says(entry):
    tests, problems = find_tests([SAMPLES / entry["path"]])
    assert problems.empty
    assert len(tests) == entry["tests"]["rows"]
    assert sorted(tests[C.ATHLETE].unique()) == sorted(entry["tests"]["athletes"])
    assert sorted(f"{d:%Y-%m-%d}" for d in tests[C.DATE].unique()) == sorted(entry["tests"]["test_days"].values())
    changes = test_changes(tests).set_index([C.ATHLETE, "test", C.SIDE])
    for fact in entry["tests"]["planted"]:
        if fact["test"] is None:  # every test of the athlete
            assert set(changes.loc[fact["athlete"], "verdict"]) == {fact["verdict"]}, fact
        else:
            row = changes.loc[(fact["athlete"], fact["test"], fact["side"])]
            assert row["verdict"] == fact["verdict"], fact
            assert (row["previous"], row["current"]) == tuple(fact["values"][-2:])


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_check_json_names_format(entry, capsys):
    args = ["check", str(SAMPLES / entry["path"]), "--json"]
    if "athlete" in entry.get("options", {}):
        args += ["--athlete", entry["options"]["athlete"]]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"files", "sets", "runs", "problems", "athletes", "first_date", "last_date"}
    assert out["sets"] == entry["rows"]["sets"]
    assert out["runs"] == entry["rows"]["runs"]
    assert out["files"][0]["format"]
    assert (out["first_date"], out["last_date"]) == (entry["first_date"], entry["last_date"])
    assert len(out["problems"]) == sum(p["action"] in ("dropped", "fixed", "kept") for p in entry["problems"])


def test_runner_files_load_together_as_one_athlete():
    log = read_logs(SAMPLES / "runner_strength.csv", SAMPLES / "runner_runs.csv", athlete="Sam Runner")
    assert log.athletes == ["Sam Runner"]
    assert len(log.sets) > 0
    assert len(log.runs) > 0

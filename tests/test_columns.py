"""The vocabulary: every column name liftpace returns is registered once in columns.py."""

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import (
    acwr,
    columns,
    correlate,
    frequency,
    outlook,
    pace,
    periods,
    progression,
    symmetry,
    testdays,
    volume,
    weekly_metrics,
    workload,
)
from analysis.loaders.tests import find_tests

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"


def test_register_has_one_row_per_name_and_every_constant() -> None:
    info = columns.column_info()
    assert not info["name"].duplicated().any()
    assert (info["label"].str.len() > 0).all()
    assert (info["meaning"].str.len() > 0).all()
    source = Path(columns.__file__).read_text(encoding="utf-8")
    section = source[source.index("# --- derived columns") : source.index("# --- status and")]
    constants = re.findall(r'^[A-Z][A-Z0-9_]* = "([a-z0-9_]+)"$', section, re.M)
    assert set(constants) <= set(info["name"])
    canonical = {*columns.SETS, *columns.RUNS, *columns.BODYWEIGHT, *columns.PROBLEMS}
    assert canonical <= set(info["name"])


@pytest.fixture(scope="module")
def outputs() -> dict[str, pd.DataFrame]:
    log = analysis.read_logs(SAMPLES / "coach_workbook.xlsx")
    s, r = log.sets, log.runs
    loads = workload.session_load(s)
    weekly = weekly_metrics.weekly_strength_pace(s, r)
    out = {
        "weekly_volume": volume.weekly_volume(s, by="pattern"),
        "session_summary": volume.session_summary(s),
        "adherence": frequency.adherence(s),
        "set_e1rm": progression.set_e1rm(s),
        "best_e1rm": progression.best_e1rm(s),
        "e1rm_trend": progression.e1rm_trend(s),
        "personal_records": progression.personal_records(s),
        "session_asymmetry": symmetry.session_asymmetry(s),
        "block_asymmetry": symmetry.block_asymmetry(s),
        "run_paces": pace.run_paces(r),
        "weekly_pace": pace.weekly_pace(r),
        "pace_trend": pace.pace_trend(r),
        "weekly_strength_pace": weekly,
        "strength_pace_correlation": correlate.strength_pace_correlation(weekly),
        "session_load": loads,
        "weekly_load": workload.weekly_load(loads),
        "monotony": workload.monotony(loads),
        "acute_chronic_load": acwr.acute_chronic_load(loads),
        "acwr": acwr.acwr(loads),
        "blocks": periods.blocks(s),
        "squad_summary": analysis.squad_summary(s, r),
        "lift_outlook": outlook.lift_outlook(s),
        "race_outlook": outlook.race_outlook(r),
    }
    tests, _ = find_tests([SAMPLES / "coach_workbook.xlsx"])
    out["tests"] = tests
    out["tests_from_sets"] = testdays.tests_from_sets(s)
    out["test_changes"] = testdays.test_changes(tests)
    r = analysis.reassess(s, r, athlete="Ana Lopez", bodyweight=log.bodyweight)
    for field in dataclasses.fields(r):
        value = getattr(r, field.name)
        if isinstance(value, pd.DataFrame):
            out[f"Reassessment.{field.name}"] = value
    return out


def test_every_output_column_is_registered(outputs) -> None:
    known = set(columns.column_info()["name"])
    unknown = {
        f"{name}.{col}" for name, frame in outputs.items() for col in frame.columns
        if col not in known
    }  # fmt: skip
    assert not unknown, f"columns missing from src/analysis/data/columns.csv: {sorted(unknown)}"


def test_output_columns_are_snake_case_ascii(outputs) -> None:
    for name, frame in outputs.items():
        for col in frame.columns:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", col), f"{name}: {col!r}"

"""Tests for the deterministic sample logs (analysis.sample and its helper modules)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import columns as C
from analysis.catalog import exercise_info, resolve_exercises
from analysis.loaders.plan import find_plan
from analysis.loaders.tests import read_tests
from analysis.sample import (
    ATHLETES,
    FIRST_MONDAY,
    RUNNER,
    generate_block,
    generate_runner,
    generate_squad,
    planted_facts,
    squad_rows,
    write_samples,
    write_squad,
)
from analysis.sample.battery import TEST_DAYS, expected_tests
from analysis.sample.plan import RUNNER_NAMES, WORKBOOK_NAMES, body_load

pytestmark = pytest.mark.slow  # writes and reloads every sample file: in make test, not in make test-fast

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "sample_logs"


@pytest.fixture(scope="module")
def block():
    return generate_block()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    write_samples(out)
    return out


def _week(dates: pd.Series) -> pd.Series:
    return (dates - FIRST_MONDAY).dt.days // 7 + 1


def _assert_schema(frame: pd.DataFrame, schema: dict) -> None:
    assert list(frame.columns) == list(schema)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        c: str(pd.Series(dtype=t).dtype) for c, t in schema.items()
    }
    assert isinstance(frame.index, pd.RangeIndex)


# --- determinism and schema -------------------------------------------------------------------


def test_block_is_deterministic(block):
    again = generate_block(seed=42)
    for got, expected in zip(again, block, strict=True):
        pd.testing.assert_frame_equal(got, expected)
    other = generate_block(seed=7)[0]
    assert not other["rpe"].equals(block[0]["rpe"])


def test_runner_and_squad_are_deterministic():
    for got, expected in zip(generate_runner(), generate_runner(), strict=True):
        pd.testing.assert_frame_equal(got, expected)
    first = generate_squad(athletes=2, weeks=3, seed=1)
    second = generate_squad(athletes=2, weeks=3, seed=1)
    for got, expected in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_frames_follow_the_canonical_schema(block):
    sets, runs, bodyweight = block
    r_sets, r_runs = generate_runner()
    q_sets, q_runs = generate_squad(athletes=2, weeks=2)
    for frame in (sets, r_sets, q_sets):
        _assert_schema(frame, C.SETS)
        assert set(frame["side"]) <= set(C.SIDES)
    for frame in (runs, r_runs, q_runs):
        _assert_schema(frame, C.RUNS)
        assert set(frame["run_type"]) <= set(C.RUN_TYPES)
    _assert_schema(bodyweight, C.BODYWEIGHT)


def test_sample_exercises_are_catalog_keys_and_names_resolve(block):
    keys = set(exercise_info()["exercise"])
    assert set(block[0]["exercise"]) <= keys
    for names in (WORKBOOK_NAMES, RUNNER_NAMES):
        out = resolve_exercises(pd.Series(list(names.values())))
        assert out["exercise"].tolist() == list(names)
        assert out["known"].all()


# --- the committed block ----------------------------------------------------------------------


def test_block_dates_and_sides(block):
    sets, runs, bodyweight = block
    assert set(sets["date"].dt.day_of_week) == {1, 4}  # Tuesday, Friday
    assert sets["date"].min() == pd.Timestamp("2026-09-01")
    assert runs["date"].max().normalize() == pd.Timestamp("2026-11-22")
    uni = exercise_info().set_index("exercise")["unilateral"]
    sided = sets["exercise"].map(uni).astype(bool)
    assert set(sets.loc[sided, "side"]) == {"left", "right"}
    assert set(sets.loc[~sided, "side"]) == {"both"}
    counts = sets[sided].groupby(["athlete", "date", "exercise", "side"]).size().unstack()
    assert (counts["left"] == counts["right"]).all()
    assert len(bodyweight) == 4 * 6


def test_block_values(block):
    sets = block[0]
    holds = sets["exercise"].isin(["plank", "side_plank", "wall_sit"])
    assert sets.loc[holds, "reps"].isna().all()
    assert (sets.loc[holds, "duration_s"] > 0).all()
    assert sets.loc[~holds, "reps"].notna().all()
    assert (sets["load_kg"] >= 0).all()
    warm = sets["warmup"].astype(bool)
    assert set(sets.loc[warm, "exercise"]) == {"goblet_squat"}
    sessions = sets[["athlete", "date"]].drop_duplicates()
    assert 0.2 < warm.sum() / len(sessions) < 0.6
    lifts = sets[~warm & ~holds]
    assert 0.6 < lifts["rpe"].notna().mean() < 0.85
    assert sets.groupby(["athlete", "date"])["exercise"].nunique().between(5, 6).all()


def test_ana_right_side_gap_narrows(block):
    work = block[0][~block[0]["warmup"].astype(bool)]
    ana = work[work["athlete"] == "Ana Lopez"].copy()
    ana["week"] = _week(ana["date"])
    for key in ("bulgarian_split_squat", "single_leg_rdl"):
        # what the leg moves: load plus the catalog's share of body mass; reps in weeks 1-4
        load = ana["load_kg"].astype(float) + body_load("Ana Lopez", key)
        reps = ana["reps"].astype(float)
        loaded = (ana["load_kg"] > 0) & (ana["week"] > 4)
        ana["metric"] = np.where(loaded, load * (1 + reps / 30), reps)
        best = ana[ana["exercise"] == key].pivot_table(
            index=["week", "date"], columns="side", values="metric", aggfunc="max"
        )
        pct = 100 * (best["right"] - best["left"]) / best.max(axis=1)
        weeks = pct.index.get_level_values("week")
        means = [pct[(weeks - 1) // 4 == phase].mean() for phase in range(3)]
        assert (pct > 0).all()
        assert means == pytest.approx([15, 9, 3], abs=2.0)  # reps rounded: 12 -> 10 is 16.7 %
        assert means[0] > means[1] > means[2]
    # other athletes train both sides alike
    others = work[work["athlete"] != "Ana Lopez"]
    sided = others[others["side"] != "both"]
    per_side = sided.groupby(["athlete", "date", "exercise", "set_index", "side"])["load_kg"]
    assert (per_side.first().unstack().nunique(axis=1) == 1).all()


def test_ben_goblet_squat_stalls_from_week_7(block):
    sets = block[0]
    ben = sets[
        (sets["athlete"] == "Ben Carter")
        & (sets["exercise"] == "goblet_squat")
        & ~sets["warmup"].astype(bool)
    ]
    week = _week(ben["date"])
    e1rm = ben["load_kg"].astype(float) * (1 + ben["reps"].astype(float) / 30)
    best = e1rm.groupby(week).max()
    assert best.loc[1:6].is_monotonic_increasing
    assert best.loc[6] > 1.4 * best.loc[1]
    for weeks in ((7, 8), (9, 12)):  # one load per rep scheme, no e1RM gain
        late = ben[(week >= weeks[0]) & (week <= weeks[1])]
        assert late["load_kg"].nunique() == 1
        assert late["reps"].nunique() == 1
    assert best.loc[7:12].max() <= best.loc[6]


@pytest.mark.parametrize(
    ("athlete", "per_week"),
    [
        ("Chloe Dubois", [2, 2, 1, 2, 2, 2, 1, 2, 2, 1, 0, 2]),
        ("Dev Patel", [2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2]),
        ("Ana Lopez", [2] * 12),
    ],
)
def test_sessions_per_week(block, athlete, per_week):
    dates = block[0].loc[block[0]["athlete"] == athlete, "date"].drop_duplicates()
    counts = _week(dates).value_counts().reindex(range(1, 13), fill_value=0)
    assert counts.tolist() == per_week


def test_dev_progresses_steadily(block):
    sets = block[0]
    dev = sets[
        (sets["athlete"] == "Dev Patel")
        & (sets["exercise"] == "goblet_squat")
        & ~sets["warmup"].astype(bool)
    ]
    e1rm = dev["load_kg"].astype(float) * (1 + dev["reps"].astype(float) / 30)
    per_fortnight = e1rm.groupby((_week(dev["date"]) - 1) // 2).max()
    assert per_fortnight.is_monotonic_increasing
    assert per_fortnight.nunique() == 6


def test_runs_paces_and_structure(block):
    runs = block[1].assign(week=lambda f: _week(f["date"]))
    per_week = runs.groupby(["athlete", "week"]).size()
    assert per_week.between(3, 4).all()
    assert set(runs.loc[runs["run_type"] == "long", "date"].dt.day_of_week) == {6}
    first = runs[runs["week"] == 1].groupby("run_type")["pace_s_per_km"]
    assert first.min()["easy"] >= 330
    assert first.max()["easy"] <= 400
    assert first.min()["tempo"] >= 270
    assert first.max()["tempo"] <= 330
    pace = runs.pivot_table(index="athlete", columns="run_type", values="pace_s_per_km")
    assert ((pace["long"] - pace["easy"]).between(5, 25)).all()
    for _, frame in runs[runs["run_type"] == "easy"].groupby("athlete"):
        slope = np.polyfit(frame["week"], frame["pace_s_per_km"].astype(float), 1)[0]
        assert -3 < slope < -0.3
    duration = runs["duration_s"] / runs["distance_km"]
    assert np.allclose(duration, runs["pace_s_per_km"])


def test_planted_facts_match_the_frames(block):
    facts = planted_facts(block[0])
    ana = [f for f in facts if f["athlete"] == "Ana Lopez"]
    assert [f["target_asymmetry_pct"] for f in ana] == [15.0, 9.0, 3.0] * 2
    for fact in ana:
        assert fact["asymmetry_pct_mean"] == pytest.approx(fact["target_asymmetry_pct"], abs=2.0)
    stall = [f for f in facts if f["athlete"] == "Ben Carter"][1]
    assert len(stall["load_kg"]) == len(stall["reps"]) == 2  # 3 x 10, then 3 x 8 at the same e1RM


# --- files ------------------------------------------------------------------------------------


def test_files_are_byte_stable(written, tmp_path):
    again = write_samples(tmp_path)
    assert [p.name for p in again] == [
        "coach_workbook.xlsx",
        "coach_workbook_messy.xlsx",
        "runner_strength.csv",
        "runner_runs.csv",
        "manifest.json",
        "README.md",
    ]
    for path in again:
        assert path.read_bytes() == (written / path.name).read_bytes(), path.name


def test_workbook_cells_match_the_frames(written, block):
    sets, runs, bodyweight = block
    book = pd.read_excel(
        written / "coach_workbook.xlsx", sheet_name=None, header=None, engine="calamine"
    )
    assert list(book) == [*ATHLETES, "Runs", "Bodyweight", "Notes", "Plan", "Tests"]
    for athlete in ATHLETES:
        sheet = book[athlete]
        assert sheet.iloc[3].tolist() == [
            "Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)", "RPE", "Notes"
        ]  # fmt: skip
        mine = sets[sets["athlete"] == athlete]
        cells = sheet.iloc[mine["source_row"].to_numpy() - 1]
        assert cells[1].tolist() == mine["exercise_raw"].tolist()
        assert pd.to_datetime(cells[0]).tolist() == mine["date"].tolist()
        bw = cells[5] == "BW"
        assert bw.tolist() == (mine["load_kg"] == 0).tolist()
        assert np.allclose(cells.loc[~bw, 5].astype(float), mine.loc[~bw.to_numpy(), "load_kg"])
        blank = sheet.index.difference(cells.index).difference(range(4))
        assert sheet.loc[blank].isna().all(axis=None)
        assert len(blank) == mine["date"].dt.isocalendar().week.nunique() - 1
    assert len(book["Runs"]) - 1 == len(runs)
    assert (book["Runs"].iloc[1:, 0] == runs["athlete"].to_numpy()).all()
    assert len(book["Bodyweight"]) - 1 == len(bodyweight)


def test_messy_workbook_defects_are_where_the_manifest_says(written):
    manifest = json.loads((written / "manifest.json").read_text())
    files = {f["path"]: f for f in manifest["files"]}
    messy = files["coach_workbook_messy.xlsx"]
    clean = files["coach_workbook.xlsx"]
    assert messy["rows"]["sets"] == clean["rows"]["sets"] - 2 + 1
    book = pd.read_excel(
        written / "coach_workbook_messy.xlsx", sheet_name=None, header=None, engine="calamine"
    )
    actions = {}
    for problem in messy["problems"]:
        sheet = book[problem["sheet"]]
        row = sheet.iloc[problem["row"] - 1]
        actions.setdefault(problem["value"], set()).add(problem["action"])
        if problem["column"] is None:
            assert row.isna().all()
            continue
        header = sheet.iloc[3 if problem["sheet"] in ATHLETES else 0].tolist()
        cell = row.iloc[header.index(problem["column"])]
        assert str(cell) == problem["value"] or float(cell) == float(problem["value"])
    assert actions == {
        "62.5kg": {"fixed"},
        "04/09/2026": {"fixed", "kept"},
        "": {"skipped"},
        "abc": {"dropped"},
        "12,5": {"fixed"},
        "-20": {"dropped"},
        "Zercher hop": {"kept"},
        "8/8/6": {"fixed"},
        "14,3": {"fixed"},
        "Ana Lopez ": {"trimmed"},
    }
    assert sum(p["action"] == "skipped" for p in messy["problems"]) == 2


def test_runner_csvs(written):
    sets, runs = generate_runner()
    long = pd.read_csv(written / "runner_strength.csv", keep_default_na=False)
    assert list(long.columns) == [
        "Date", "Exercise", "Side", "Sets", "Reps", "Weight (kg)", "RPE", "Notes"
    ]  # fmt: skip
    assert long["Sets"].sum() == len(sets)
    assert set(long["Side"]) == {"", "left", "right"}
    assert long["Reps"].dtype.kind == "i"
    assert (sets["athlete"] == RUNNER).all()
    assert sets["source_row"].max() == len(long) + 1
    out = pd.read_csv(written / "runner_runs.csv")
    assert list(out.columns) == [
        "Date", "Type", "Distance (km)", "Duration", "Avg HR", "Elevation gain (m)"
    ]  # fmt: skip
    assert len(out) == len(runs) == 36
    assert out["Duration"].str.fullmatch(r"(\d:)?\d\d:\d\d").all()


def test_manifest_counts_and_options(written, block):
    manifest = json.loads((written / "manifest.json").read_text())
    files = {f["path"]: f for f in manifest["files"]}
    sets, runs, bodyweight = block
    assert files["coach_workbook.xlsx"]["rows"] == {
        "sets": len(sets),
        "runs": len(runs),
        "bodyweight": len(bodyweight),
    }
    assert files["coach_workbook.xlsx"]["skipped"] == ["Notes", "Plan"]
    assert files["coach_workbook.xlsx"]["first_date"] == "2026-09-01"
    assert files["coach_workbook.xlsx"]["last_date"] == "2026-11-22"
    assert files["runner_strength.csv"]["options"] == {"athlete": RUNNER}
    assert files["runner_runs.csv"]["format"] == "runs_csv"


@pytest.mark.skipif(
    not (COMMITTED / "manifest.json").exists(), reason="data/sample_logs not generated"
)
def test_committed_samples_are_current(written):
    for name in ("manifest.json", "runner_strength.csv", "runner_runs.csv", "README.md"):
        assert (COMMITTED / name).read_bytes() == (written / name).read_bytes(), name
    for name in ("coach_workbook.xlsx", "coach_workbook_messy.xlsx"):
        got = pd.read_excel(COMMITTED / name, sheet_name=None, header=None, engine="calamine")
        fresh = pd.read_excel(written / name, sheet_name=None, header=None, engine="calamine")
        assert list(got) == list(fresh)
        for sheet in got:
            pd.testing.assert_frame_equal(got[sheet], fresh[sheet])


# --- squads -----------------------------------------------------------------------------------


def test_squad_row_count_formula():
    # per session 2 bilateral + 5 unilateral (x2 sides) exercises = 12 rows per set, + 1 warm-up;
    # weeks 0..3 have 3, 4, 5, 3 sets: 37 + 49 + 61 + 37 = 184 rows per athlete-session slot
    assert squad_rows(3, 4) == 3 * 2 * 184 == 1104
    assert squad_rows(100, 104) == 1_016_800
    sets, runs = generate_squad(athletes=3, weeks=4)
    assert len(sets) == 1104
    assert sets["athlete"].nunique() == 3
    assert sets["date"].max() == pd.Timestamp("2026-11-20")  # Friday of the week of end
    assert sets["date"].min() == pd.Timestamp("2026-10-27")
    assert sets["warmup"].sum() == 3 * 4 * 2
    assert runs.groupby(["athlete", runs["date"].dt.isocalendar().week]).size().between(3, 4).all()
    assert (sets["source_row"] == np.arange(len(sets)) + 2).all()


@settings(max_examples=15, deadline=None)
@given(athletes=st.integers(1, 3), weeks=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_squad_invariants(athletes, weeks, seed):
    sets, _ = generate_squad(athletes=athletes, weeks=weeks, seed=seed)
    assert len(sets) == squad_rows(athletes, weeks)
    keys = ["athlete", "date", "exercise", "side"]
    expected = sets.groupby(keys, sort=False).cumcount() + 1
    assert (sets["set_index"].to_numpy() == expected.to_numpy()).all()
    assert (sets["load_kg"] >= 0).all()
    assert sets["rpe"].dropna().between(5, 10).all()
    sided = sets[sets["side"] != "both"].groupby(["athlete", "date", "exercise", "side"]).size()
    assert (sided.unstack()["left"] == sided.unstack()["right"]).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"athletes": 0, "weeks": 4}, r"expected positive integers .* got athletes=0, weeks=4"),
        ({"athletes": 2, "weeks": 1.5}, r"got athletes=2, weeks=1\.5 instead"),
    ],
)
def test_generate_squad_rejects_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        generate_squad(**kwargs)


def test_write_squad_files(tmp_path):
    paths = write_squad(tmp_path, athletes=1, weeks=2, xlsx_rows=10)
    assert [p.name for p in paths] == ["squad_sets.csv", "squad_runs.csv", "squad_sets.xlsx"]
    sets, runs = generate_squad(athletes=1, weeks=2)
    assert len(pd.read_csv(paths[1])) == len(runs)
    text = pd.read_csv(paths[0], keep_default_na=False)
    assert list(text.columns) == list(C.SETS)
    assert text["date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    assert len(text) == len(sets)
    run_text = pd.read_csv(paths[1])
    assert list(run_text.columns) == list(C.RUNS)
    assert run_text["date"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    book = pd.read_excel(paths[2], sheet_name=None, engine="calamine")
    assert list(book) == ["sets"]
    assert list(book["sets"].columns) == list(C.SETS)
    assert len(book["sets"]) == 10
    assert book["sets"]["exercise"].tolist() == sets["exercise"].head(10).tolist()


def test_write_squad_rejects_bad_xlsx_rows(tmp_path):
    with pytest.raises(
        ValueError, match=r"expected xlsx_rows to be None or an integer >= 0, got -1"
    ):
        write_squad(tmp_path, athletes=1, weeks=1, xlsx_rows=-1)


# --- plan phases and test days -------------------------------------------------------------------


def test_the_plan_names_a_phase_per_week(written):
    plan = find_plan([written / "coach_workbook.xlsx"])
    phases = plan.groupby("week")["phase"].unique().map(list).to_dict()
    assert phases == {w: [["foundation", "strength", "power"][(w - 1) // 4]] for w in range(1, 13)}
    assert plan.loc[plan["week"] == 1, "week_start"].iloc[0] == FIRST_MONDAY  # the sample's block week 1


def test_the_tests_sheet_holds_a_test_day_per_phase(written):
    tests, problems = read_tests(written / "coach_workbook.xlsx")
    assert problems.empty
    pd.testing.assert_frame_equal(tests, expected_tests("coach_workbook.xlsx"))
    assert {f"{d:%Y-%m-%d}" for d in tests["date"]} == {f"{d:%Y-%m-%d}" for d in TEST_DAYS.values()}
    for phase, day in TEST_DAYS.items():  # each test day is the Saturday ending its phase
        week = (day - FIRST_MONDAY).days // 7 + 1
        assert day.day_of_week == 5
        assert week == {"foundation": 4, "strength": 8, "power": 12}[phase]
    per_athlete = tests.groupby("athlete")["date"].nunique().to_dict()
    assert per_athlete == {"Ana Lopez": 3, "Ben Carter": 3, "Chloe Dubois": 1, "Dev Patel": 3}

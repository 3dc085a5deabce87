"""Tests for analysis.reassess and analysis.reassessment.findings: hand-built logs, then the sample squad."""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import columns as C
from analysis import read_logs
from analysis._engine import defaults
from analysis.errors import MissingColumnsError
from analysis.frequency import adherence
from analysis.loaders.quality import data_quality_tables
from analysis.progression import best_e1rm, e1rm_trend, stalls
from analysis.reassessment import (
    Reassessment,
    reassess,
    resolve_end,
    squad_findings,
    squad_summary,
)
from analysis.reassessment.blocks import e1rm_blocks, squad_metrics
from analysis.reassessment.core import squad_tables
from analysis.reassessment.findings import FINDING_COLUMNS, build_findings
from analysis.report import findings_markdown, report_tables
from analysis.symmetry import block_asymmetry, session_asymmetry
from analysis.volume import weekly_volume

END = "2026-11-22"  # a Sunday: current block 26 Oct - 22 Nov, previous 28 Sep - 25 Oct
PREV_TUE = pd.Timestamp("2026-09-29")
CUR_TUE = pd.Timestamp("2026-10-27")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_logs" / "coach_workbook.xlsx"


def make_sets(rows: list[tuple], athlete: str = "Ann") -> pd.DataFrame:
    """Rows of (date, exercise, side, reps, load_kg[, duration_s]) -> canonical sets."""
    frame = pd.DataFrame(
        [(*r, None) if len(r) == 5 else r for r in rows],
        columns=["date", "exercise", "side", "reps", "load_kg", "duration_s"],
    )
    frame["athlete"] = athlete
    frame["set_index"] = frame.groupby(["date", "exercise", "side"]).cumcount() + 1
    frame["warmup"] = False
    frame["exercise_raw"] = frame["exercise"]
    return C.conform(frame, C.SETS)


def make_runs(rows: list[tuple], athlete: str = "Ann") -> pd.DataFrame:
    """Rows of (date, pace_s_per_km, run_type) -> canonical runs of 10 km."""
    frame = pd.DataFrame(rows, columns=["date", "pace", "run_type"])
    out = pd.DataFrame(
        {
            "athlete": athlete,
            "date": pd.to_datetime(frame["date"]),
            "distance_km": 10.0,
            "duration_s": 10.0 * frame["pace"],
            "pace_s_per_km": frame["pace"].astype(float),
            "run_type": frame["run_type"],
        }
    )
    return C.conform(out, C.RUNS)


def weekly(start: pd.Timestamp, n: int, step: int = 7) -> list[pd.Timestamp]:
    return [start + pd.Timedelta(days=step * i) for i in range(n)]


def findings_of(sets, runs=None, **kw) -> pd.DataFrame:
    return reassess(sets, runs, athlete=kw.pop("athlete", "Ann"), end=END, **kw).findings


def sentences(found: pd.DataFrame, topic: str) -> list[str]:
    return found.loc[found["topic"] == topic, "finding"].tolist()


def two_sessions_a_week(exercise="goblet_squat", load=20.0, weeks=8, skip=()) -> list[tuple]:
    rows = []
    for i, day in enumerate(weekly(PREV_TUE, weeks)):
        for j, d in enumerate((day, day + pd.Timedelta(days=3))):
            if (i, j) not in skip:
                rows.append((d, exercise, "both", 10, load))
    return rows


# --- adherence ------------------------------------------------------------------------------


def test_adherence_weeks_below_target_sentence() -> None:
    skip = {(5, 1), (6, 0), (6, 1)}  # current weeks 2 (2 Nov): 1 session, 3 (9 Nov): 0
    found = findings_of(make_sets(two_sessions_a_week(skip=skip)))
    first = found.iloc[0]
    assert (first["topic"], first["severity"], first["rank"]) == ("adherence", "attention", 1)
    assert first["finding"] == (
        "2 of 4 weeks below the target of 2 sessions (weeks of 2 Nov and 9 Nov)."
    )
    assert first["evidence"].startswith("sessions per complete week: 2, 1, 0, 2; target 2")
    assert first["n"] == 4


def test_adherence_all_met_and_partial_week_not_judged() -> None:
    found = findings_of(make_sets(two_sessions_a_week()))
    assert sentences(found, "adherence") == [
        "All 4 weeks met the target of 2 sessions (8 sessions)."
    ]
    # end on a Wednesday: the last week is incomplete and not judged
    rows = two_sessions_a_week()[:-1]
    r = reassess(make_sets(rows), athlete="Ann", end="2026-11-18")
    assert sentences(r.findings, "adherence") == [
        "All 3 weeks met the target of 2 sessions (6 sessions)."
    ]
    assert r.adherence["complete"].tolist() == [True] * 7 + [False]


# --- stalls ---------------------------------------------------------------------------------


def test_stall_of_a_loaded_lift_but_not_of_fixed_prescriptions() -> None:
    loads = [20.0, 22.0, 24.0] + [24.0] * 13  # gains until the 3rd session, then flat
    days = weekly(PREV_TUE, 16, step=3)[:16]
    rows = [(d, "goblet_squat", "both", 10, w) for d, w in zip(days, loads, strict=True)]
    rows += [(d, "box_jump", "both", 6, 0.0) for d in days]
    rows += [(d, "wall_sit", "both", None, 0.0, 45.0) for d in days]
    found = findings_of(make_sets(rows))
    stall = found[found["topic"] == "stall"]
    assert stall["exercise"].tolist() == ["goblet_squat"]
    # best = 24 x (1 + 10/30) = 32.0 kg; last gain 5 Oct, last session 13 Nov -> 5.6 weeks;
    # noise: differences 2.67, 2.67 and 13 zeros have SD 0.938, TE = 0.938 / sqrt2 = 0.66 kg
    assert stall["finding"].iloc[0] == (
        "Goblet squat has not gone up for 5 weeks (best 32.0 kg e1RM; noise 0.7 kg)."
    )
    assert stall["severity"].iloc[0] == "attention"


# --- asymmetry ------------------------------------------------------------------------------


def asym_rows(exercise: str, prev_left: list[float], cur_left: list[float]) -> list[tuple]:
    """1-rep sets (e1RM = load): right side 100 kg, left as given, one session a week."""
    rows = []
    for days, lefts in ((weekly(PREV_TUE, 3), prev_left), (weekly(CUR_TUE, 3), cur_left)):
        for d, left in zip(days, lefts, strict=True):
            rows += [(d, exercise, "left", 1, left), (d, exercise, "right", 1, 100.0)]
    return rows


def test_asymmetry_narrowing_beyond_noise() -> None:
    # previous 20 % every session (TE 0); current 6, 4, 5 % -> TE = sd(-2, 1)/sqrt2 = 1.5
    # MDC95 = 1.96 * sqrt2 * sqrt((0 + 1.5^2) / 2) = 1.96 * 1.5 = 2.94
    rows = asym_rows("bulgarian_split_squat", [80, 80, 80], [94, 96, 95])
    found = findings_of(make_sets(rows))
    hit = found[(found["topic"] == "asymmetry") & (found["exercise"] == "bulgarian_split_squat")]
    assert hit["finding"].tolist() == [
        "Left Bulgarian split squat is 5 % behind the right, down from 20 %: a real change "
        "(larger than the session-to-session noise of 2.9 %)."
    ]
    assert hit["severity"].tolist() == ["progress"]
    assert hit["evidence"].iloc[0].startswith("3 paired sessions (right stronger in 3)")


def test_asymmetry_over_threshold_and_growing_is_attention() -> None:
    rows = asym_rows("single_leg_rdl", [95, 95, 95], [85, 84, 86])
    found = findings_of(make_sets(rows))
    hit = found[found["topic"] == "asymmetry"]
    assert hit["finding"].tolist() == [
        "Left single-leg Romanian deadlift is 15 % behind the right (above the 10 % flag), up "
        "from 5 %: a real change (larger than the session-to-session noise of 2.9 %)."
    ]
    assert hit["severity"].tolist() == ["attention"]
    # one session a week also misses the adherence target, and the right side is flat (a
    # stall): attention findings ranked by topic
    assert found.loc[found["topic"] == "asymmetry", "rank"].tolist() == [3]


def test_asymmetry_sign_flip_names_the_other_side() -> None:
    # right weaker now: right 100 vs left 110 -> -9.1 %; previously left 80 (right stronger)
    rows = [
        r if r[2] == "right" else (*r[:4], 80.0) for r in asym_rows("step_up", [80] * 3, [80] * 3)
    ]
    rows = (
        rows[:6]
        + [(d, "step_up", "left", 1, 110.0) for d in weekly(CUR_TUE, 3)]
        + [(d, "step_up", "right", 1, 100.0) for d in weekly(CUR_TUE, 3)]
    )
    found = findings_of(make_sets(rows))
    text = sentences(found, "asymmetry")[0]
    assert text.startswith("Right step-up is 9 % behind the left; in the previous block the right")


def test_asymmetry_not_enough_sessions() -> None:
    rows = asym_rows("single_leg_rdl", [80, 80, 80], [95, 95, 95])[:-2]  # 2 current sessions
    found = findings_of(make_sets(rows))
    hit = found[found["topic"] == "asymmetry"]
    assert hit["finding"].tolist() == [
        "Not enough data to judge the single-leg Romanian deadlift asymmetry (2 sessions in "
        "the block; 3 needed)."
    ]
    assert hit["status"].tolist() == ["not enough data"]
    assert found["status"].iloc[-1] == "not enough data"  # ranked after the ok findings


def test_quiet_single_leg_exercises_in_one_line() -> None:
    rows = asym_rows("step_up", [100] * 3, [100] * 3) + asym_rows("split_squat", [99] * 3, [99] * 3)
    found = findings_of(make_sets(rows))
    assert sentences(found, "asymmetry") == [
        "Left and right were within 10 % on 2 single-leg exercises (split squat and step-up), "
        "with no change beyond the noise."
    ]


# --- strength -------------------------------------------------------------------------------


def squat_rows(prev: list[float], cur: list[float]) -> list[tuple]:
    days = weekly(PREV_TUE, 3) + weekly(CUR_TUE, 3)
    return [(d, "back_squat", "both", 1, w) for d, w in zip(days, prev + cur, strict=True)]


def test_strength_change_beyond_noise_and_e1rm_blocks_frame() -> None:
    # session values 100,100,100,110,110,110: successive differences 0,0,10,0,0 have
    # SD sqrt(20), TE = sqrt(10) = 3.162; MDC95 = 1.96 * sqrt2 * 3.162 = 8.77
    r = reassess(make_sets(squat_rows([100.0] * 3, [110.0] * 3)), athlete="Ann", end=END)
    assert sentences(r.findings, "strength") == [
        "Back squat e1RM rose 10.0 kg (+10 %, 100.0 -> 110.0 kg): more than the "
        "session-to-session noise (8.8 kg)."
    ]
    te = np.sqrt(10.0)
    expected = pd.DataFrame(
        {
            "athlete": pd.array(["Ann"], dtype="string"),
            "exercise": pd.array(["back_squat"], dtype="string"),
            "side": pd.array(["both"], dtype="string"),
            "previous_e1rm_kg": pd.array([100.0], dtype="Float64"),
            "current_e1rm_kg": pd.array([110.0], dtype="Float64"),
            "change_kg": pd.array([10.0], dtype="Float64"),
            "change_pct": pd.array([10.0], dtype="Float64"),
            "typical_error_kg": pd.array([te], dtype="Float64"),
            "mdc95_kg": pd.array([1.959963984540054 * np.sqrt(2) * te], dtype="Float64"),
            "change_exceeds_noise": pd.array([True], dtype="boolean"),
            "n_sessions_previous": pd.array([3], dtype="Int64"),
            "n_sessions": pd.array([3], dtype="Int64"),
            "slope_kg_per_week": pd.array([0.0], dtype="Float64"),
            "slope_ci_low": pd.array([0.0], dtype="Float64"),
            "slope_ci_high": pd.array([0.0], dtype="Float64"),
            "trained": pd.array(["both blocks"], dtype="string"),
            "status": pd.array(["ok"], dtype="string"),
        }
    )
    pd.testing.assert_frame_equal(r.e1rm_blocks, expected)


def test_strength_within_noise_and_not_enough_data() -> None:
    found = findings_of(make_sets(squat_rows([100.0, 104.0, 100.0], [102.0, 98.0, 102.0])))
    # differences 4, -4, 2, -4, 4: SD 4.10, TE 2.90 kg, MDC95 8.03 kg
    assert sentences(found, "strength") == [
        "Back squat e1RM 101.3 -> 100.7 kg (-0.7 kg): within the session-to-session noise "
        "(8.0 kg), so no clear change."
    ]
    found = findings_of(make_sets(squat_rows([100.0] * 3, [110.0] * 3)[:-1]))
    assert sentences(found, "strength") == [
        "Not enough data to compare the back squat e1RM between blocks (3 and 2 sessions; "
        "3 needed in each)."
    ]


# --- running --------------------------------------------------------------------------------


def runs_rows(prev: list[float], cur: list[float]) -> list[tuple]:
    days = weekly(PREV_TUE + pd.Timedelta(days=1), len(prev)) + weekly(
        CUR_TUE + pd.Timedelta(days=1), len(cur)
    )
    return [(d, p, "easy") for d, p in zip(days, prev + cur, strict=True)]


def test_pace_improvement_with_welch_ci() -> None:
    # means 360 and 350, variances 4 and 4: SE = sqrt(8/3), df = 4, t = 2.776 -> CI -14.5..-5.5
    sets = make_sets(squat_rows([100.0] * 3, [100.0] * 3))
    r = reassess(sets, make_runs(runs_rows([360, 362, 358], [350, 352, 348])), athlete="Ann",
                 end=END)  # fmt: skip
    row = r.pace_blocks.iloc[0]
    assert (row["runs_previous"], row["runs_current"], row["verdict"]) == (3, 3, "faster")
    assert row["change_s_per_km"] == pytest.approx(-10.0)
    half = 2.7764451051977987 * np.sqrt(8 / 3)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(-10 - half), pytest.approx(-10 + half))
    assert sentences(r.findings, "running") == [
        "Easy pace improved by 10 s/km (6:00 -> 5:50 /km, n = 3 and 3 runs)."
    ]


def test_pace_not_enough_runs_and_no_runs() -> None:
    sets = make_sets(squat_rows([100.0] * 3, [100.0] * 3))
    found = findings_of(sets, make_runs(runs_rows([360, 362], [350, 352, 348])))
    assert sentences(found, "running") == [
        "Not enough data to compare easy pace (2 and 3 runs; 3 needed in each block)."
    ]
    assert sentences(findings_of(sets), "running") == [
        "No runs were logged, so pace was not assessed."
    ]


# --- data, ranking, frame shape ---------------------------------------------------------------


def test_data_finding_and_columns() -> None:
    problems = C.conform(
        pd.DataFrame({"source_file": ["a.csv"] * 3, "action": ["dropped", "fixed", "fixed"]}),
        C.PROBLEMS,
    )
    found = findings_of(make_sets(squat_rows([100.0] * 3, [110.0] * 3)), problems=problems)
    assert tuple(found.columns) == FINDING_COLUMNS
    assert sentences(found, "data") == [
        "3 values in the logs could not be taken as written (1 dropped, 2 fixed); the data "
        "quality notebook lists each one."
    ]
    assert found["rank"].tolist() == list(range(1, len(found) + 1))
    order = {"attention": 0, "progress": 1, "info": 2}
    assert found["severity"].map(order).is_monotonic_increasing


def test_reassessment_tables_and_report_tables() -> None:
    r = reassess(make_sets(squat_rows([100.0] * 3, [110.0] * 3)), athlete="Ann", end=END)
    assert isinstance(r, Reassessment)
    assert r.params["current_start"] == "2026-10-26"
    assert r.params["previous_start"] == "2026-09-28"
    assert repr(r).startswith("Reassessment('Ann', 4 weeks ending 2026-11-22")
    for name in ("blocks", "adherence", "volume", "block_volume", "e1rm", "asymmetry", "runs"):
        assert isinstance(getattr(r, name).index, pd.RangeIndex)
    volume = r.block_volume[r.block_volume["pattern"] == "all"].set_index("measure")
    # 3 sets of 1 x 100 kg in 4 weeks, then 3 x 110 kg in 4 weeks
    assert volume.loc["volume_load_kg", "previous"] == pytest.approx(300 / 4)
    assert volume.loc["volume_load_kg", "current"] == pytest.approx(330 / 4)
    assert volume.loc["volume_load_kg", "change_pct"] == pytest.approx(10.0)
    assert list(report_tables(r)) == [
        "Findings", "Strength", "Asymmetry", "Volume", "Adherence", "Running", "Correlation",
        "Data quality",
    ]  # fmt: skip


def test_findings_markdown_escapes_user_text() -> None:
    frame = pd.DataFrame(
        {"rank": [1, 1], "severity": ["info", "attention"], "athlete": ["A*", "<B>"],
         "finding": ["x_y.", "z"], "evidence": ["n = 1", "e"]}
    )  # fmt: skip
    text = findings_markdown(frame)
    assert "#### A\\*" in text
    assert "#### &lt;B&gt;" in text
    assert "x\\_y\\." in text
    with pytest.raises(TypeError, match="expected a Reassessment or a findings DataFrame, got int"):
        findings_markdown(3)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"athlete": "Zed"}, r"expected an athlete with logged sets, got 'Zed' instead \(athletes"),
        ({"weeks": 3}, r"expected weeks to be 4, 5 or 6, got 3 instead"),
        ({"target_per_week": 0}, r"expected target_per_week to be a positive integer, got 0"),
        ({"threshold_pct": "10"}, r"expected threshold_pct to be a number from 0 to 100"),
        ({"end": "soon"}, r"expected end to be a date such as '2026-11-22', got 'soon' instead"),
        (
            {"plan": pd.DataFrame({"exercise": ["x"], "sets": [3]})},
            r"expected a plan with a week_start",
        ),
    ],
)
def test_reassess_errors(kwargs: dict, message: str) -> None:
    args = {"athlete": "Ann"} | kwargs
    with pytest.raises(ValueError, match=message):
        reassess(make_sets(squat_rows([100.0] * 3, [110.0] * 3)), **args)


def test_missing_columns_and_other_errors() -> None:
    sets = make_sets(squat_rows([100.0] * 3, [110.0] * 3))
    with pytest.raises(
        MissingColumnsError, match=r"reassess\(\) expected columns .*missing \['rpe'\]"
    ):
        reassess(sets.drop(columns="rpe"), athlete="Ann")
    with pytest.raises(MissingColumnsError, match=r"missing \['distance_km'\].*Pass log.runs"):
        reassess(sets, pd.DataFrame({"athlete": [], "date": [], "duration_s": []}), athlete="Ann")
    with pytest.raises(ValueError, match="expected top to be a positive integer, got 0 instead"):
        squad_findings(sets, top=0)
    with pytest.raises(ValueError, match="expected logged sets for the squad, got an empty"):
        squad_summary(sets.iloc[:0])
    with pytest.raises(TypeError, match="report_tables\\(\\) expected a Reassessment"):
        report_tables(sets)
    with pytest.raises(ValueError, match="expected at least one dated set or run"):
        resolve_end(sets.iloc[:0])
    with pytest.raises(TypeError, match="data_quality_tables\\(\\) expected a TrainingLog"):
        data_quality_tables(sets)


def test_build_findings_is_pure() -> None:
    sets = make_sets(squat_rows([100.0] * 3, [110.0] * 3))
    before = sets.copy()
    r = reassess(sets, athlete="Ann", end=END)
    pd.testing.assert_frame_equal(sets, before)
    tables = {k: getattr(r, k) for k in ("adherence", "plan_vs_done", "stalls",
              "asymmetry_blocks", "e1rm_blocks", "pace_blocks", "correlation", "problems")}  # fmt: skip
    again = build_findings(tables, r.params, runs_given=False)
    pd.testing.assert_frame_equal(again, r.findings)


# --- the sample squad -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def squad_log():
    return read_logs(SAMPLE)


@pytest.fixture(scope="module")
def squad4(squad_log):
    return squad_findings(squad_log.sets, squad_log.runs, end=END, top=50)


def of(found: pd.DataFrame, athlete: str) -> pd.DataFrame:
    return found[found["athlete"] == athlete]


def test_sample_ana_imbalance_and_its_narrowing(squad4) -> None:
    ana = of(squad4, "Ana Lopez")
    for exercise, name in (("bulgarian_split_squat", "Bulgarian split squat"),
                           ("single_leg_rdl", "single-leg Romanian deadlift")):  # fmt: skip
        row = ana[(ana["topic"] == "asymmetry") & (ana["exercise"] == exercise)]
        assert len(row) == 1
        text = row["finding"].iloc[0]
        assert text.startswith(f"Left {name} is ")
        assert "behind the right, down from" in text
        assert "a real change" in text
        assert row["severity"].iloc[0] == "progress"
    assert ana["rank"].iloc[0] == 1
    assert ana["topic"].iloc[0] == "asymmetry"


def test_sample_ben_stall_and_chloe_missed_sessions(squad4) -> None:
    ben = of(squad4, "Ben Carter")
    assert ben["finding"].iloc[0] == (
        "Goblet squat has not gone up for 5 weeks (best 39.0 kg e1RM; noise 1.4 kg)."
    )
    chloe = of(squad4, "Chloe Dubois")
    assert chloe["finding"].iloc[0] == (
        "2 of 4 weeks below the target of 2 sessions (weeks of 2 Nov and 9 Nov)."
    )
    assert (chloe["status"] == "not enough data").any()  # short data says so
    assert not of(squad4, "Dev Patel")["severity"].eq("attention").any()
    stalled = squad4.loc[squad4["topic"] == "stall", "exercise"]
    assert not stalled.isin(["box_jump", "wall_sit", "plank", "side_plank"]).any()


def test_sample_six_week_blocks(squad_log) -> None:
    found = squad_findings(squad_log.sets, squad_log.runs, weeks=6, end=END, top=50)
    chloe = of(found, "Chloe Dubois")
    assert chloe["finding"].iloc[0] == (
        "3 of 6 weeks below the target of 2 sessions (weeks of 12 Oct, 2 Nov and 9 Nov)."
    )
    ana = of(found, "Ana Lopez")
    narrowing = ana[(ana["topic"] == "asymmetry") & (ana["severity"] == "progress")]
    assert set(narrowing["exercise"]) == {"bulgarian_split_squat", "single_leg_rdl"}


def test_sample_reassess_and_squad_summary(squad_log) -> None:
    r = reassess(
        squad_log.sets, squad_log.runs, athlete="Ana Lopez", bodyweight=squad_log.bodyweight
    )
    assert r.params["end"] == END  # the Sunday long run is the last logged date
    corr = r.correlation
    assert set(corr["series"]) == {"levels", "changes"}
    levels = corr[(corr["series"] == "levels") & corr["r"].notna()]
    assert levels["fit_slope"].notna().all()
    assert corr.loc[corr["series"] == "changes", "fit_slope"].isna().all()
    summary = squad_summary(squad_log.sets, squad_log.runs, end=END)
    assert list(summary.columns) == [
        "athlete", "metric", "previous", "current", "change", "change_pct", "n_previous",
        "n_current", "status",
    ]  # fmt: skip
    chloe = summary[
        (summary["athlete"] == "Chloe Dubois") & (summary["metric"] == "sessions_per_week")
    ]
    assert chloe[["previous", "current"]].to_numpy().tolist() == [[1.75, 1.25]]
    ana = summary[(summary["athlete"] == "Ana Lopez")].set_index("metric")
    assert (
        ana.loc["bulgarian_split_squat_asymmetry_pct", "current"]
        < ana.loc["bulgarian_split_squat_asymmetry_pct", "previous"]
    )


# --- shared work (issue 10): one encoding per call, the same tables as the public functions ---


def test_reassess_tables_equal_the_public_functions(squad_log) -> None:
    """Sharing one encoded log changes nothing: each table is its public function's result."""
    log = squad_log
    r = reassess(log.sets, log.runs, athlete="Ana Lopez", bodyweight=log.bodyweight)
    mine = log.sets[log.sets["athlete"] == "Ana Lopez"].reset_index(drop=True)
    bw = log.bodyweight[log.bodyweight["athlete"] == "Ana Lopez"]
    end = r.params["end"]
    eq = pd.testing.assert_frame_equal
    eq(r.volume, weekly_volume(mine, by="pattern", bodyweight=bw))
    eq(r.e1rm, best_e1rm(mine))
    eq(r.e1rm_blocks, e1rm_blocks(e1rm_trend(mine, end=end)))
    eq(r.stalls.drop(columns=["loaded", "in_current_block", "reportable"]), stalls(mine, end=end))
    eq(r.asymmetry, session_asymmetry(mine))
    eq(r.asymmetry_blocks, block_asymmetry(mine, end=end))
    adh = adherence(mine, start=r.params["previous_start"], end=end)
    eq(r.adherence.drop(columns=["block", "complete"]), adh)


@pytest.mark.parametrize("call", ["squad_summary", "squad_findings", "reassess"])
def test_one_call_encodes_the_sets_once(squad_log, monkeypatch, call) -> None:
    from analysis._engine import prepared, sessions

    seen: Counter[str] = Counter()

    def counting(name: str, func):
        def wrapper(*args, **kwargs):
            seen[args[1] if name == "session_bests" else name] += 1  # session bests: by kind
            return func(*args, **kwargs)

        return wrapper

    for module, name in ((prepared, "factorize"), (prepared, "encode"), (sessions, "session_bests")):
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    sets, runs = squad_log.sets, squad_log.runs
    if call == "reassess":
        reassess(sets, runs, athlete="Ana Lopez")
    else:
        {"squad_summary": squad_summary, "squad_findings": squad_findings}[call](sets, runs)
    # athlete, exercise and side are hashed once; e1rm_trend and stalls share the session
    # bests ("auto"); the left/right pairs (e1rm, reps, duration, volume) are made once for
    # session_asymmetry and block_asymmetry; best_e1rm adds its own "e1rm" bests
    per_set_e1rm = 1 if call == "squad_summary" else 2
    assert seen == Counter(
        {"factorize": 3, "encode": 1, "auto": 1, "e1rm": per_set_e1rm, "reps": 1,
         "duration": 1, "volume": 1}
    )  # fmt: skip


def test_reassess_passes_the_public_defaults() -> None:
    def default(func, name: str):
        return inspect.signature(func).parameters[name].default

    for func in (e1rm_trend, stalls, best_e1rm, session_asymmetry, block_asymmetry):
        assert default(func, "max_reps") == defaults.MAX_REPS
    assert default(stalls, "min_weeks") == defaults.STALL_WEEKS
    assert default(weekly_volume, "hard_rpe") == defaults.HARD_RPE
    assert default(reassess, "target_per_week") == defaults.TARGET_PER_WEEK


def _long_log(athlete: str, offset: float) -> pd.DataFrame:
    """13 weeks of two sessions (25 Aug - 20 Nov): squat, a single-leg lift, plank, and
    tyre_drag (not in the catalog): loaded before the previous block, then reps with a
    duration and no load, so its inferred load type (external) needs the early rows."""
    rows: list[tuple] = []
    for i, day in enumerate(weekly(pd.Timestamp("2026-08-25"), 13)):
        for j, d in enumerate((day, day + pd.Timedelta(days=3))):
            load = 60.0 + offset + 1.5 * i + j
            rows += [(d, "back_squat", "both", 5, load), (d, "back_squat", "both", 5, load - 5)]
            left = 20.0 + i % 3
            rows += [(d, "bulgarian_split_squat", "left", 8, left)]
            rows += [(d, "bulgarian_split_squat", "right", 8, left + 2 + offset * (j - 0.5))]
            rows += [(d, "plank", "both", None, 0.0, 45.0)]
            drag = (
                (d, "tyre_drag", "both", 10, 40.0)
                if i < 5
                else (d, "tyre_drag", "both", 20, None, 30.0)
            )
            rows.append(drag)
    return make_sets(rows, athlete)


def test_squad_summary_reads_two_blocks_yet_equals_the_full_tables() -> None:
    sets = pd.concat([_long_log("Ann", 0.0), _long_log("Bo", 3.0)], ignore_index=True)
    since = pd.Timestamp("2026-09-28")  # the previous block's Monday
    eq = pd.testing.assert_frame_equal
    full = weekly_volume(sets, by="pattern")
    part = weekly_volume(sets, by="pattern", start=since)
    eq(part, full[full["week_start"] >= since].reset_index(drop=True))
    other = part[part["pattern"] == "other"]
    assert (other["reps"] > 0).all()  # inferred external from the early rows: not a hold
    assert (other["hold_s"] == 0).all()

    opts = {"weeks": 4, "end": END, "formula": "epley", "max_reps": 12, "min_sessions": 3}
    full = e1rm_trend(sets, **opts)
    part = e1rm_trend(sets, start=since, **opts)
    kept = full[full["block_index"] >= -1].reset_index(drop=True)
    kept.loc[kept["block_index"] == -1, ["change_vs_previous", "change_exceeds_noise"]] = pd.NA
    eq(part, kept)

    full = block_asymmetry(sets, **opts)
    part = block_asymmetry(sets, start=since, **opts)
    kept = full[full["block_index"] >= -1].reset_index(drop=True)
    changes = ["change_vs_previous_pct", "mdc95_pct", "change_exceeds_noise"]
    kept.loc[kept["block_index"] == -1, changes] = pd.NA
    eq(part, kept)

    tables, params = squad_tables(
        sets, None, weeks=4, end=END, bodyweight=None, plan=None, target_per_week=2,
        threshold_pct=10.0, formula="epley",
    )  # fmt: skip
    start, end = pd.Timestamp(params["current_start"]), pd.Timestamp(END)
    expected = squad_metrics(tables, weeks=4, current_weeks=((end - start).days + 1) / 7)
    eq(squad_summary(sets, end=END), expected)
    assert expected["metric"].str.endswith("_asymmetry_pct").any()

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
from analysis.progression import best_e1rm, e1rm_trend
from analysis.reassessment import (
    Reassessment,
    asymmetry_status,
    lift_status,
    reassess,
    resolve_end,
    squad_findings,
    squad_summary,
)
from analysis.reassessment.blocks import squad_metrics
from analysis.reassessment.core import squad_tables
from analysis.reassessment.findings import FINDING_COLUMNS, build_findings
from analysis.report import report_tables
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
    assert (first["topic"], first["severity"], first["rank"]) == ("consistency", "attention", 1)
    assert first["finding"] == (
        "2 of 4 weeks below the target of 2 sessions (weeks of 2 Nov and 9 Nov)."
    )
    assert first["evidence"].startswith("sessions per complete week: 2, 1, 0, 2; target 2")
    assert first["n"] == 4


def test_adherence_all_met_and_partial_week_not_judged() -> None:
    found = findings_of(make_sets(two_sessions_a_week()))
    assert sentences(found, "consistency") == [
        "All 4 weeks met the target of 2 sessions (8 sessions)."
    ]
    # end on a Wednesday: the last week is incomplete and not judged
    rows = two_sessions_a_week()[:-1]
    r = reassess(make_sets(rows), athlete="Ann", end="2026-11-18")
    assert sentences(r.findings, "consistency") == [
        "All 3 weeks met the target of 2 sessions (6 sessions)."
    ]
    assert r.adherence["complete"].tolist() == [True] * 7 + [False]


# --- strength: one finding per lift status ---------------------------------------------------


def test_stall_finding_reads_the_lift_status() -> None:
    loads = [20.0, 22.0, 24.0, 24.0] + [24.0] * 12  # gains until the 4th session, then flat
    days = weekly(PREV_TUE, 16, step=3)[:16]
    rows = [(d, "goblet_squat", "both", 10, w) for d, w in zip(days, loads, strict=True)]
    r = reassess(make_sets(rows), athlete="Ann", end=END)
    status = r.lift_status.iloc[0]
    assert status["status"] == "stalled"
    stall = r.findings[r.findings["topic"] == "strength"]
    weeks = int(np.floor(float(status["weeks_since_progress"])))
    last = pd.Timestamp(status["last_progress"])
    assert stall["finding"].tolist() == [
        f"Goblet squat: no new best for {weeks} weeks (last on {last.day} {last:%b}) though "
        f"trained {int(status['n_current'])} times this block."
    ]
    assert stall["severity"].tolist() == ["attention"]
    assert stall["evidence"].iloc[0] == status["evidence"]


def squat_rows(prev: list[float], cur: list[float]) -> list[tuple]:
    days = weekly(PREV_TUE, 3) + weekly(CUR_TUE, 3)
    return [(d, "back_squat", "both", 1, w) for d, w in zip(days, prev + cur, strict=True)]


def test_strength_change_with_its_ci_in_plain_words() -> None:
    # 1-rep sets: e1RM = load; 100 x 3 then 110 x 3: the within-block SD is 0, so with 4 df
    # the CI is the rounding of one plate step (10 kg here): +10 +- 5
    r = reassess(make_sets(squat_rows([100.0] * 3, [110.0] * 3)), athlete="Ann", end=END)
    row = r.lift_status.iloc[0]
    assert (row["status"], row["metric"], row["previous"], row["current"]) == (
        "progressing", "e1rm_kg", 100.0, 110.0
    )  # fmt: skip
    text = sentences(r.findings, "strength")
    assert text == [
        f"Back squat: e1RM up 10.0 kg on the previous block (95 % CI {row['ci_low']:+.1f} to "
        f"{row['ci_high']:+.1f} kg)."
    ]
    assert row["ci_low"] > 0


def test_no_clear_change_and_not_enough_data() -> None:
    found = findings_of(make_sets(squat_rows([100.0, 104.0, 100.0], [102.0, 98.0, 102.0])))
    assert sentences(found, "strength") == ["No clear change, and not yet a stall: Back squat."]
    found = findings_of(make_sets(squat_rows([100.0] * 3, [110.0] * 3)[:-1]))
    assert sentences(found, "strength") == [
        "Back squat: not enough sessions to judge progress (2 this block, 3 in the previous)."
    ]


# --- left-right balance: one finding per asymmetry status ---------------------------------------


def asym_rows(exercise: str, prev_left: list[float], cur_left: list[float]) -> list[tuple]:
    """1-rep sets (e1RM = load): right side 100 kg, left as given, twice a week."""
    rows = []
    for days, lefts in ((weekly(PREV_TUE, 8, step=3)[:8], prev_left), (weekly(CUR_TUE, 8, step=3)[:8], cur_left)):
        for d, left in zip(days, lefts, strict=True):
            rows += [(d, exercise, "left", 1, left), (d, exercise, "right", 1, 100.0)]
    return rows


def test_an_imbalance_that_is_closing_is_progress() -> None:
    rows = asym_rows("bulgarian_split_squat", [80, 81, 80, 79, 80, 81, 80, 79],
                     [90, 91, 90, 89, 90, 91, 90, 89])  # fmt: skip
    r = reassess(make_sets(rows), athlete="Ann", end=END)
    row = r.asymmetry_status.iloc[0]
    assert (row["weaker_side"], row["status"], row["trend"]) == ("left", "imbalanced", "closing")
    hit = r.findings[r.findings["topic"] == "balance"]
    assert hit["severity"].tolist() == ["progress"]
    assert hit["finding"].iloc[0].startswith("Bulgarian split squat: left leg 10 % weaker (95 % CI")
    assert "the gap is closing (it was 20 %)" in hit["finding"].iloc[0]


def test_a_widening_imbalance_is_attention() -> None:
    rows = asym_rows("single_leg_rdl", [95] * 8, [85, 84, 86, 85, 85, 84, 86, 85])
    r = reassess(make_sets(rows), athlete="Ann", end=END)
    hit = r.findings[r.findings["topic"] == "balance"]
    assert hit["severity"].tolist() == ["attention"]
    assert "left leg 15 % weaker" in hit["finding"].iloc[0]
    assert "the gap is widening (it was 5 %)" in hit["finding"].iloc[0]


def test_balance_not_enough_sessions_and_quiet_exercises_in_one_line() -> None:
    few = asym_rows("single_leg_rdl", [80] * 8, [95] * 8)[:-12]  # 2 current sessions
    even = asym_rows("step_up", [100] * 8, [100] * 8) + asym_rows("split_squat", [99] * 8, [99] * 8)
    found = findings_of(make_sets(few + even))
    assert sentences(found, "balance") == [
        "No clear left-right difference: Split squat and Step-up.",
        "Not enough sessions with both legs logged to judge left-right balance: Single-leg "
        "Romanian deadlift.",
    ]
    assert found["status"].iloc[-1] == "not enough data"  # ranked after the ok findings


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
        "quality section lists each one."
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
        "Summary", "Strength", "Single-leg balance", "Consistency", "Volume", "Running",
        "Strength and pace", "Programme", "Next block", "Findings", "Data quality",
    ]  # fmt: skip
    for name in ("outlook", "race_outlook", "phases", "spacing"):
        assert isinstance(getattr(r, name).index, pd.RangeIndex)


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
    with pytest.raises(TypeError, match="athlete_workbook\\(\\) expected a Reassessment"):
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
    tables = {k: getattr(r, k) for k in ("adherence", "plan_vs_done", "lift_status",
              "asymmetry_status", "pace_blocks", "correlation", "problems", "phases",
              "block_volume", "spacing")}  # fmt: skip
    again = build_findings(tables, r.params, runs_given=False)
    pd.testing.assert_frame_equal(again, r.findings)


# --- the sample squad -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def squad_log():
    return read_logs(SAMPLE)


@pytest.fixture(scope="module")
def squad4(squad_log):
    return squad_findings(
        squad_log.sets, squad_log.runs, end=END, top=50, bodyweight=squad_log.bodyweight
    )


def of(found: pd.DataFrame, athlete: str) -> pd.DataFrame:
    return found[found["athlete"] == athlete]


def test_sample_ana_imbalance_and_its_narrowing(squad4) -> None:
    ana = of(squad4, "Ana Lopez")
    for exercise, name in (("bulgarian_split_squat", "Bulgarian split squat"),
                           ("single_leg_rdl", "Single-leg Romanian deadlift")):  # fmt: skip
        row = ana[(ana["topic"] == "balance") & (ana["exercise"] == exercise)]
        assert len(row) == 1
        text = row["finding"].iloc[0]
        assert text.startswith(f"{name}: ")
        assert "closing" in text or "closed" in text
        assert row["severity"].iloc[0] == "progress"


def test_sample_ben_stall_and_chloe_missed_sessions(squad4) -> None:
    ben = of(squad4, "Ben Carter")
    assert ben["finding"].iloc[0] == (
        "Goblet squat: no new best for 6 weeks (last on 6 Oct) though trained 8 times this block, "
        "and the stall began before the power phase."
    )
    chloe = of(squad4, "Chloe Dubois")
    assert chloe["finding"].iloc[0] == (
        "2 of 4 weeks below the target of 2 sessions (weeks of 2 Nov and 9 Nov)."
    )
    assert (chloe["status"] == "not enough data").any()  # short data says so
    assert not of(squad4, "Dev Patel")["severity"].eq("attention").any()
    stalled = squad4.loc[squad4["finding"].str.contains("no new best"), "exercise"]
    assert stalled.tolist() == ["goblet_squat"]


def test_sample_six_week_blocks(squad_log) -> None:
    found = squad_findings(
        squad_log.sets, squad_log.runs, weeks=6, end=END, top=50, bodyweight=squad_log.bodyweight
    )
    chloe = of(found, "Chloe Dubois")
    assert chloe["finding"].iloc[0] == (
        "3 of 6 weeks below the target of 2 sessions (weeks of 12 Oct, 2 Nov and 9 Nov)."
    )
    ana = of(found, "Ana Lopez")
    narrowing = ana[(ana["topic"] == "balance") & (ana["severity"] == "progress")]
    assert "bulgarian_split_squat" in set(narrowing["exercise"])


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
        ana.loc["bulgarian_split_squat_gap_pct", "current"]
        < ana.loc["bulgarian_split_squat_gap_pct", "previous"]
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
    aims = ["phase", "needs_attention"]  # the programme's reading of the statuses
    eq(r.lift_status.drop(columns=aims), lift_status(mine, end=end))
    eq(r.asymmetry_status, asymmetry_status(mine, end=end, bodyweight=bw))
    eq(r.asymmetry, session_asymmetry(mine, bodyweight=bw))  # the sessions behind the status
    eq(r.asymmetry_blocks, block_asymmetry(mine, end=end, bodyweight=bw))
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
    # athlete, exercise and side are hashed once (and the names as written, once, for the
    # test days the findings read); the left/right pairs (e1rm, reps, duration, set volume)
    # are made once for asymmetry_status, session_asymmetry and block_asymmetry; best_e1rm
    # adds its own "e1rm" bests, personal_records (the report's stars) its "reps" at a load and
    # "auto" bests over every lift; squad_findings computes only the tables its findings read
    full = call == "reassess"
    assert seen == Counter(
        {"factorize": 3 + (call != "squad_summary"), "encode": 1, "e1rm": 1 + full,
         "reps": 1 + full, "duration": 1, "set_volume": 1, "auto": int(full)}
    )  # fmt: skip


def test_reassess_passes_the_public_defaults() -> None:
    def default(func, name: str):
        return inspect.signature(func).parameters[name].default

    for func in (e1rm_trend, lift_status, best_e1rm, session_asymmetry, block_asymmetry):
        assert default(func, "max_reps") == defaults.MAX_REPS
    assert default(lift_status, "stall_weeks") == defaults.STALL_WEEKS
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
    kept.loc[kept["block_index"] == -1, ["change_vs_previous"]] = pd.NA
    eq(part, kept)

    full = block_asymmetry(sets, **opts)
    part = block_asymmetry(sets, start=since, **opts)
    kept = full[full["block_index"] >= -1].reset_index(drop=True)
    changes = ["change_vs_previous_pct"]
    kept.loc[kept["block_index"] == -1, changes] = pd.NA
    eq(part, kept)

    tables, params = squad_tables(
        sets, None, weeks=4, end=END, bodyweight=None, plan=None, target_per_week=2,
        threshold_pct=10.0, formula="epley",
    )  # fmt: skip
    start, end = pd.Timestamp(params["current_start"]), pd.Timestamp(END)
    expected = squad_metrics(tables, weeks=4, current_weeks=((end - start).days + 1) / 7)
    eq(squad_summary(sets, end=END), expected)
    assert expected["metric"].str.endswith("_gap_pct").any()


@pytest.mark.parametrize("gap_weeks", [0, 2])
def test_squad_findings_reads_the_same_tables_as_the_full_reassessment(gap_weeks: int) -> None:
    """squad_findings computes only what its findings read; they are those of every table,
    also for an athlete who skipped the first weeks of the previous block (block volume counts
    weeks from the athlete's first logged week, long before)."""
    from analysis.sample import generate_squad

    sets, runs = generate_squad(athletes=4, weeks=20, seed=11)
    end = pd.Timestamp(sets["date"].max()).normalize()
    prev_start = end - pd.Timedelta(days=end.day_of_week) - pd.Timedelta(weeks=7)
    first = sorted(sets["athlete"].unique())[0]
    gap = (sets["athlete"] == first) & (sets["date"] >= prev_start)
    gap &= sets["date"] < prev_start + pd.Timedelta(weeks=gap_weeks)
    sets = sets[~gap.to_numpy(dtype=bool)].reset_index(drop=True)
    options = {"weeks": 4, "end": None, "bodyweight": None, "plan": None, "target_per_week": 2,
               "threshold_pct": 10.0, "formula": "epley"}  # fmt: skip
    tables, params = squad_tables(sets, runs, **options)
    tables["problems"] = C.empty(C.PROBLEMS)
    want = build_findings(tables, params, runs_given=True)
    got = squad_findings(sets, runs, top=10_000)
    pd.testing.assert_frame_equal(got, want[want["rank"] <= 10_000].reset_index(drop=True))
    lean, _ = squad_tables(sets, runs, findings_only=True, **options)
    for key in ("adherence", "block_volume", "lift_status", "asymmetry_status", "pace_blocks",
                "phases", "spacing", "test_days", "plan_vs_done"):  # fmt: skip
        pd.testing.assert_frame_equal(lean[key], tables[key], obj=key)
    # the squad page's summary reads the same block volume as each athlete's report
    summary, _ = squad_tables(sets, runs, summary_only=True, **options)
    for key in ("adherence", "block_volume", "lift_status", "asymmetry_status", "pace_blocks"):
        pd.testing.assert_frame_equal(summary[key], tables[key], obj=f"summary {key}")

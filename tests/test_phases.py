"""Phases (given, planned, inferred) and run-lift spacing, on hand-built logs with planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import reassess
from analysis.periods import blocks
from analysis.phases import block_phases, parse_phases, phase_name, phase_timeline
from analysis.spacing import heavy_sessions, run_lift_spacing

MONDAY = pd.Timestamp("2026-08-31")


def week_sets(athlete: str, week: int, kind: str) -> list[dict]:
    """Two sessions of one week: bodyweight work, loaded work, or loaded plus jumps."""
    rows = []
    for day in (1, 4):  # Tuesday and Friday
        date = MONDAY + pd.Timedelta(weeks=week, days=day)
        load = 0.0 if kind == "foundation" else 40.0 + 2.5 * week
        for i in range(3):
            rows.append({"athlete": athlete, "date": date, "exercise": "goblet_squat", "side": "both",
                         "set_index": i + 1, "reps": 10, "load_kg": load, "duration_s": np.nan,
                         "rpe": np.nan, "warmup": False})  # fmt: skip
            rows.append({"athlete": athlete, "date": date, "exercise": "plank", "side": "both",
                         "set_index": i + 1, "reps": pd.NA, "load_kg": 0.0, "duration_s": 45.0,
                         "rpe": np.nan, "warmup": False})  # fmt: skip
            if kind == "power":
                rows.append({"athlete": athlete, "date": date, "exercise": "box_jump", "side": "both",
                             "set_index": i + 1, "reps": 5, "load_kg": 0.0, "duration_s": np.nan,
                             "rpe": np.nan, "warmup": False})  # fmt: skip
    return rows


def plan_of(athlete: str = "Ann", kinds=("foundation",) * 4 + ("strength",) * 4 + ("power",) * 4) -> pd.DataFrame:
    rows = [r for week, kind in enumerate(kinds) for r in week_sets(athlete, week, kind)]
    frame = pd.DataFrame(rows)
    frame["reps"] = frame["reps"].astype("Int64")
    return frame


def test_phase_names() -> None:
    assert [phase_name(t) for t in ("Base", "Phase 2 - Strength", "PLYOMETRICS", "max strength", "taper", None)] == [
        "foundation", "strength", "power", "strength", None, None]  # fmt: skip
    with pytest.raises(ValueError, match="expected a phase among foundation, strength, power, got 'taper'"):
        parse_phases("2026-09-01=taper")
    with pytest.raises(ValueError, match="expected phases as DATE=PHASE"):
        parse_phases("2026-09-01")


def test_inferred_phases_follow_the_planted_plan() -> None:
    timeline = phase_timeline(plan_of())
    assert timeline["phase"].tolist() == ["foundation"] * 4 + ["strength"] * 4 + ["power"] * 4
    assert set(timeline["phase_source"]) == {"inferred"}


def test_one_odd_week_does_not_flip_the_phase() -> None:
    kinds = ("foundation",) * 4 + ("strength", "strength", "foundation", "strength") + ("power",) * 4
    timeline = phase_timeline(plan_of(kinds=kinds))  # week 7 a deload on bodyweight only
    assert timeline["phase"].tolist()[4:8] == ["strength"] * 4


def test_given_phases_win_and_planned_phases_next() -> None:
    sets = plan_of()
    plan = pd.DataFrame({"athlete": pd.array([pd.NA] * 3, dtype="string"),
                         "week_start": [MONDAY + pd.Timedelta(weeks=w) for w in (0, 1, 2)],
                         "phase": ["Base", "Base", "Build"]})  # fmt: skip
    timeline = phase_timeline(sets, plan=plan, phases={"2026-09-14": "strength"})
    assert timeline["phase_source"].tolist()[:4] == ["plan", "plan", "given", "given"]
    assert timeline["phase"].tolist()[:4] == ["foundation", "foundation", "strength", "strength"]


def test_block_phase_is_the_majority_of_its_weeks() -> None:
    sets = plan_of()
    table = blocks(sets, weeks=4, end="2026-11-22")
    phases = block_phases(phase_timeline(sets), table)
    assert phases.set_index("block_index")["phase"].to_dict() == {-2: "foundation", -1: "strength", 0: "power"}
    assert (phases["weeks_in_phase"] == 4).all()


def test_reassessment_judges_a_stall_by_the_phase() -> None:
    """A lift that stops in the power phase is 'held'; one that stopped before it still counts."""
    sets = plan_of()
    # held: goblet squat load frozen from the first week of a given power phase
    frozen = sets.copy()
    late = frozen["date"] >= MONDAY + pd.Timedelta(weeks=5)
    frozen.loc[late & (frozen["exercise"] == "goblet_squat"), "load_kg"] = 40.0 + 2.5 * 5
    given = {"2026-08-31": "foundation", "2026-09-28": "strength", "2026-10-05": "power"}
    r = reassess(frozen, athlete="Ann", weeks=4, end="2026-11-22", phases=given)
    assert r.params["phase"] == "power"
    assert r.params["phase_source"] == "given"
    squat = r.lift_status.set_index("exercise").loc["goblet_squat"]
    assert squat["status"] == "stalled"
    assert not bool(squat["needs_attention"])
    text = r.findings[r.findings["exercise"] == "goblet_squat"]["finding"].iloc[0]
    assert "expected in the power phase" in text
    # the inferred phase of the same plan is power too
    r = reassess(sets, athlete="Ann", weeks=4, end="2026-11-22")
    assert (r.params["phase"], r.params["phase_source"]) == ("power", "inferred")
    # stopped before: load frozen from week 5 (the strength phase)
    early = sets.copy()
    mid = early["date"] >= MONDAY + pd.Timedelta(weeks=5)
    early.loc[mid & (early["exercise"] == "goblet_squat"), "load_kg"] = 40.0 + 2.5 * 4
    r = reassess(early, athlete="Ann", weeks=4, end="2026-11-22")
    squat = r.lift_status.set_index("exercise").loc["goblet_squat"]
    assert squat["status"] == "stalled"
    assert bool(squat["needs_attention"])
    phase_line = r.findings[r.findings["topic"] == "programme"]["finding"].iloc[0]
    assert phase_line.startswith("This block is in the power phase (inferred from the sets)")


def test_spacing_finds_the_planted_days() -> None:
    sets = plan_of()
    sets["rpe"] = 8.5  # every set hard: every session heavy
    heavy = heavy_sessions(sets)
    assert len(heavy) == 24  # two sessions a week for 12 weeks
    runs = pd.DataFrame({
        "athlete": "Ann",
        "date": pd.to_datetime(["2026-09-02", "2026-09-04", "2026-09-06", "2026-09-08", "2026-09-09"]),
        "run_type": ["interval", "tempo", "long", "easy", "race"],
    })  # fmt: skip
    found = run_lift_spacing(sets, runs)
    # Tue 1 Sep and Fri 4 Sep sessions: interval Wed 2 Sep (day after), tempo Fri 4 Sep (same
    # day); long Sun 6 Sep is two days after; the easy run never counts; race Wed 9 Sep (day
    # after Tue 8 Sep)
    assert found[["run_date", "run_type", "days_apart"]].astype(str).values.tolist() == [
        ["2026-09-02", "interval", "-1"], ["2026-09-04", "tempo", "0"], ["2026-09-09", "race", "-1"]]  # fmt: skip


def test_bodyweight_work_without_rpe_is_never_heavy() -> None:
    assert heavy_sessions(plan_of(kinds=("foundation",) * 4)).empty


def test_phases_option_is_checked_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["report", "missing.csv", "--athlete", "Ann", "--phases", "2026-09-01=foundation,2026-10-13=taper"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--phases" in err
    assert "expected a phase among foundation, strength, power, got 'taper' instead" in err


def test_render_report_names_given_phases(tmp_path) -> None:
    from analysis.report import render_report

    log = tmp_path / "ann.csv"
    plan_of().to_csv(log, index=False)
    html, _ = render_report([log], athlete="Ann", out=tmp_path / "out", end="2026-11-22",
                            phases="2026-08-31=foundation,2026-09-28=strength,2026-10-26=power")
    text = html.read_text(encoding="utf-8")
    assert "This block is in the power phase (as given)" in text
    assert "inferred from the sets" not in text

"""The analyses find what the sample logs plant (data/sample_logs/manifest.json, "planted").

Issue 5: Ana's right-stronger imbalance on the Bulgarian split squat and single-leg RDL narrows
block by block; Ben's goblet squat stalls from week 7; Chloe misses sessions in weeks 3, 7,
10 and 11. Issue 6: every athlete has a weekly pace table, a pace trend and a correlation
table with n and CI, "not enough data" where it applies, and rm_corr runs across the squad.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import (
    correlate,
    frequency,
    pace,
    read_logs,
    rmcorr,
    symmetry,
    weekly_metrics,
)
from analysis.reassessment import asymmetry_status, lift_status

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"
END = "2026-11-22"
ATHLETES = ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel"]
WEEK = {w: pd.Timestamp("2026-08-31") + pd.Timedelta(weeks=w - 1) for w in range(1, 13)}


@pytest.fixture(scope="module")
def log():
    return read_logs(SAMPLES / "coach_workbook.xlsx")


@pytest.mark.parametrize("exercise", ["bulgarian_split_squat", "single_leg_rdl"])
def test_ana_right_stronger_imbalance_narrows_block_by_block(log, exercise):
    # planted on what the leg moves (load plus body mass): the verdict is given the bodyweight
    blocks = symmetry.block_asymmetry(log.sets, weeks=4, end=END)
    ana = blocks[(blocks["athlete"] == "Ana Lopez") & (blocks["exercise"] == exercise)].set_index("block_index")
    assert (ana.loc[[-2, -1, 0], "asymmetry_pct"].astype(float) > 0).all()  # + = right stronger
    status = asymmetry_status(log.sets, weeks=4, end=END, bodyweight=log.bodyweight)
    row = status[(status["athlete"] == "Ana Lopez") & (status["exercise"] == exercise)].iloc[0]
    assert row["previous_gap_pct"] == pytest.approx(9, abs=1)
    assert row["gap_pct"] == pytest.approx(3, abs=1)
    assert row["trend"] == "closing"


def test_other_athletes_have_no_planted_imbalance(log):
    status = asymmetry_status(log.sets, weeks=4, end=END, bodyweight=log.bodyweight)
    others = status[status["athlete"] != "Ana Lopez"]
    assert (others["status"] != "imbalanced").all()
    assert not others["over_threshold"].astype("boolean").fillna(False).any()


def test_ben_goblet_squat_stalls_from_week_7(log):
    status = lift_status(log.sets, end=END)
    goblet = status[status["exercise"] == "goblet_squat"].set_index("athlete")
    assert goblet.loc["Ben Carter", "status"] == "stalled"
    assert goblet.loc["Ben Carter", "last_progress"] < WEEK[7]
    assert goblet.loc["Ben Carter", "weeks_since_progress"] >= 5
    assert (goblet.drop(index="Ben Carter")["status"] == "progressing").all()


def test_adherence_below_two_in_the_missed_weeks(log):
    weekly = frequency.adherence(log.sets, target_per_week=2)
    chloe = weekly[weekly["athlete"] == "Chloe Dubois"].set_index("week_start")["sessions"]
    missed = [WEEK[w] for w in (3, 7, 10, 11)]
    assert (chloe.loc[missed] < 2).all()
    assert chloe.loc[WEEK[11]] == 0  # a week with no session still shows, as 0
    assert (chloe.drop(index=missed) >= 2).all()
    dev = weekly[weekly["athlete"] == "Dev Patel"].set_index("week_start")["sessions"]
    assert dev.loc[WEEK[6]] == 1


def test_each_athlete_has_weekly_pace_and_a_pace_trend(log):
    weekly = pace.weekly_pace(log.runs)
    trend = pace.pace_trend(log.runs, weeks=4, end=END)
    for athlete in ATHLETES:
        w = weekly[weekly["athlete"] == athlete]
        assert set(w["run_type"]) == {"easy", "tempo", "long"}
        assert w["week_start"].nunique() == 12
        t = trend[trend["athlete"] == athlete].set_index("block_index")
        assert {"n", "slope_s_per_km_per_week", "ci_low", "ci_high", "verdict"} <= set(t.columns)
        # paces improve a little: the current block's easy pace is faster than two blocks ago
        assert t.loc[0, "mean_pace_s_per_km"] < t.loc[-2, "mean_pace_s_per_km"]


def test_correlation_table_per_athlete_with_n_ci_and_not_enough_data(log):
    weekly = weekly_metrics.weekly_strength_pace(log.sets, log.runs)
    table = correlate.strength_pace_correlation(weekly)
    assert set(table["athlete"]) == set(ATHLETES)
    judged = table[table["verdict"].isin(["association", "no clear association"])]
    assert (judged["n"] >= 6).all()
    assert judged[["r", "ci_low", "ci_high"]].notna().all().all()
    assert ((judged["ci_low"] <= judged["r"]) & (judged["r"] <= judged["ci_high"])).all()
    short = table[table["verdict"] == "not enough data"]
    assert len(short) > 0  # hip thrusts exist only in weeks 9-12
    assert (short["n"] < 6).all()
    assert short["r"].isna().all()
    # never a causal claim: "cause" appears only in the disclaimer
    claims = table["reading"].str.replace("not evidence that one causes the other", "", regex=False)
    assert not claims.str.contains(r"\bcaus", regex=True).any()


def test_rm_corr_across_the_sample_squad(log):
    weekly = weekly_metrics.weekly_strength_pace(log.sets, log.runs)
    wide = weekly.pivot_table(index=["athlete", "week_start"], columns="metric", values="value").reset_index()
    both = wide.dropna(subset=["goblet_squat_e1rm_kg", "easy_pace_s_per_km"])
    out = rmcorr.rm_corr(both, x="goblet_squat_e1rm_kg", y="easy_pace_s_per_km", subject="athlete")
    row = out.iloc[0]
    assert row["n_subjects"] == 4
    assert row["dof"] == row["n"] - 4 - 1
    assert row["ci_low"] <= row["r"] <= row["ci_high"]

"""Benchmark pace and strength-pace correlation analyses at squad scale.

100 athletes over two years: about 3.5 runs per week (about 36k runs) and a weekly strength
table (6 strength metrics per athlete-week) joined with the weekly pace metrics. Each analysis
is timed as the median of 3 runs and printed next to a bare-pandas floor on the same rows
(a groupby of weekly mean pace for the pace analyses; per-athlete lag-0 ``corr`` of two pivoted
columns for the correlation analyses), with the ratio figure / floor.

Run: ``.venv/bin/python benchmarks/bench_pace_correlate.py``
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import median_time as _median_min
from _common import squad

from analysis.correlate import rm_corr, strength_pace_correlation
from analysis.pace import pace_trend, run_paces, weekly_pace

ATHLETES = 100
WEEKS = 104
STRENGTH = (
    "back_squat_e1rm_kg",
    "romanian_deadlift_e1rm_kg",
    "bulgarian_split_squat_left_e1rm_kg",
    "bulgarian_split_squat_right_e1rm_kg",
    "bulgarian_split_squat_asymmetry_pct",
    "volume_load_kg",
)


def weekly_table(rng: np.random.Generator, runs: pd.DataFrame) -> pd.DataFrame:
    pace = weekly_pace(runs, by_type=True)
    easy = pace[pace["run_type"] == "easy"]
    pace_rows = pd.DataFrame(
        {
            "athlete": easy["athlete"],
            "week_start": easy["week_start"],
            "metric": "easy_pace_s_per_km",
            "value": easy["pooled_pace_s_per_km"],
            "kind": "pace",
        }
    )
    # synthetic weekly strength metrics for the same athletes and weeks as the generated runs
    athletes = easy["athlete"].unique()
    weeks = np.sort(easy["week_start"].unique())
    grid = pd.MultiIndex.from_product(
        [athletes, weeks, STRENGTH], names=["athlete", "week_start", "metric"]
    ).to_frame(index=False)
    trend = np.tile(np.repeat(np.arange(len(weeks)), len(STRENGTH)), len(athletes))
    grid["value"] = 80 + 0.3 * trend + rng.normal(0, 3, len(grid))
    grid["kind"] = "strength"
    grid = grid[rng.random(len(grid)) > 0.15]  # missed sessions: weeks without a value
    out = pd.concat([grid, pace_rows], ignore_index=True)
    return out.astype(
        {"athlete": "string", "metric": "string", "kind": "string", "value": "Float64"}
    )


def median_time(func, repeat: int = 3) -> float:
    return _median_min(func, repeat)[0]


def floor_weekly_mean_pace(runs: pd.DataFrame) -> pd.Series:
    pace = runs["duration_s"] / runs["distance_km"]
    week = runs["date"].dt.normalize() - pd.to_timedelta(runs["date"].dt.day_of_week, unit="D")
    return pace.groupby([runs["athlete"], week]).mean()


def floor_lag0_corr(weekly: pd.DataFrame) -> pd.DataFrame:
    wide = weekly.pivot_table(index=["athlete", "week_start"], columns="metric", values="value")
    return wide[["back_squat_e1rm_kg", "easy_pace_s_per_km"]].astype(float).groupby(level=0).corr()


def main() -> None:
    rng = np.random.default_rng(2024)
    runs = squad(ATHLETES, WEEKS)[1]
    weekly = weekly_table(rng, runs)
    wide = weekly.pivot_table(
        index=["athlete", "week_start"], columns="metric", values="value"
    ).reset_index()
    print(f"{len(runs):,} runs, {len(weekly):,} weekly rows, {ATHLETES} athletes, {WEEKS} weeks")

    pace_floor = median_time(lambda: floor_weekly_mean_pace(runs))
    corr_floor = median_time(lambda: floor_lag0_corr(weekly))
    cases = [
        ("run_paces", lambda: run_paces(runs), pace_floor),
        ("weekly_pace(by_type=True)", lambda: weekly_pace(runs), pace_floor),
        ("pace_trend(run_type='easy')", lambda: pace_trend(runs), pace_floor),
        ("strength_pace_correlation (6x1 metrics, lags 0-4, 2 methods)",
         lambda: strength_pace_correlation(weekly), corr_floor),
        ("strength_pace_correlation(changes=True)",
         lambda: strength_pace_correlation(weekly, changes=True), corr_floor),
        ("rm_corr(back squat e1RM, easy pace)",
         lambda: rm_corr(wide, x="back_squat_e1rm_kg", y="easy_pace_s_per_km", subject="athlete"),
         corr_floor),
    ]  # fmt: skip
    print(f"floor: groupby weekly mean pace        {pace_floor * 1000:8.1f} ms")
    print(f"floor: pivot + per-athlete lag-0 corr  {corr_floor * 1000:8.1f} ms")
    print(f"{'analysis':<64} {'median ms':>10} {'floor ms':>9} {'ratio':>7}")
    for name, func, floor in cases:
        figure = median_time(func)
        print(f"{name:<64} {figure * 1000:10.1f} {floor * 1000:9.1f} {figure / floor:7.1f}")
    out = strength_pace_correlation(weekly)
    print(f"correlation rows: {len(out):,}; verdicts: {out['verdict'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()

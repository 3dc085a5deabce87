"""Benchmark the strength-volume analyses on ~1,000,000 synthetic sets (not a test).

Builds a log in memory with numpy: 100 athletes x 104 weeks x 2 sessions (Monday, Thursday) x 48
rows (6 of 9 bilateral exercises and 3 of 6 unilateral ones with left and right rows, 4 sets
each), then times each analysis (median of 3) next to a bare pandas groupby on the same rows:
the weekly sum of reps x load_kg by athlete, ISO week and exercise. The baseline is the floor;
the target is every strength analysis <= 2 s and <= 5 x the floor.

Run: ``.venv/bin/python benchmarks/bench_strength_volume.py [--athletes 100 --weeks 104]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.columns import SETS, conform
from analysis.periods import label_blocks
from analysis.volume import adherence, session_summary, weekly_volume
from analysis.workload import acute_chronic_load, acwr, monotony, session_load, weekly_load

BILATERAL = [
    "back_squat",
    "goblet_squat",
    "front_squat",
    "romanian_deadlift",
    "deadlift",
    "hip_thrust",
    "glute_bridge",
    "plank",
    "box_jump",
]
UNILATERAL = [
    "bulgarian_split_squat",
    "single_leg_rdl",
    "step_up",
    "split_squat",
    "reverse_lunge",
    "single_leg_calf_raise",
]
BODYWEIGHT_ONLY = {"glute_bridge", "box_jump", "single_leg_calf_raise", "plank"}
SETS_PER_EXERCISE = 4


def synthetic_sets(athletes: int, weeks: int, seed: int = 0) -> pd.DataFrame:
    """About ``athletes * weeks * 96`` canonical set rows, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n_sessions = athletes * weeks * 2
    athlete = np.repeat(np.arange(athletes), weeks * 2)
    session_day = np.tile(np.repeat(np.arange(weeks) * 7, 2) + np.tile([0, 3], weeks), athletes)
    # 6 of 9 bilateral and 3 of 6 unilateral exercises per session, chosen at random
    bil = np.argsort(rng.random((n_sessions, len(BILATERAL))), axis=1)[:, :6]
    uni = np.argsort(rng.random((n_sessions, len(UNILATERAL))), axis=1)[:, :3] + len(BILATERAL)
    names = np.array(BILATERAL + UNILATERAL, dtype=object)
    # rows: bilateral: 6 exercises x 4 sets; unilateral: 3 exercises x 4 sets x 2 sides
    bil_rows = np.repeat(bil, SETS_PER_EXERCISE, axis=1)  # (sessions, 24)
    uni_rows = np.repeat(uni, SETS_PER_EXERCISE * 2, axis=1)  # (sessions, 24)
    ex = np.concatenate([bil_rows, uni_rows], axis=1).ravel()
    per = bil_rows.shape[1] + uni_rows.shape[1]
    set_index = np.concatenate(
        [
            np.tile(np.arange(1, SETS_PER_EXERCISE + 1), 6),
            np.tile(np.repeat(np.arange(1, SETS_PER_EXERCISE + 1), 2), 3),
        ]
    )
    side = np.concatenate([np.full(24, "both"), np.tile(["left", "right"], 12)]).astype(object)
    n = ex.size
    sess = np.repeat(np.arange(n_sessions), per)
    exercise = names[ex]
    reps = rng.integers(1, 13, n).astype(float)
    one_rm = 40.0 + 60.0 * rng.random(athletes)[athlete[sess]] + 0.1 * (session_day[sess] // 7)
    load = np.round(one_rm / (1 + reps / 30) * rng.uniform(0.75, 0.95, n) / 2.5) * 2.5
    bodyweight_only = np.isin(exercise, list(BODYWEIGHT_ONLY))
    load[bodyweight_only] = 0.0
    is_plank = exercise == "plank"
    reps[is_plank] = np.nan
    duration = np.where(is_plank, rng.integers(30, 61, n), np.nan)
    rpe = rng.integers(12, 21, n) / 2.0
    rpe[rng.random(n) < 0.12] = np.nan
    idx = np.tile(set_index, n_sessions)
    frame = pd.DataFrame(
        {
            "athlete": np.char.add("athlete_", athlete[sess].astype(str)).astype(object),
            "date": np.datetime64("2023-01-02") + session_day[sess].astype("timedelta64[D]"),
            "exercise": exercise,
            "exercise_raw": exercise,
            "side": np.tile(side, n_sessions),
            "set_index": idx,
            "reps": reps,
            "load_kg": load,
            "duration_s": duration,
            "rpe": rpe,
            "warmup": (idx == 1) & ~bodyweight_only & (np.tile(side, n_sessions) == "both"),
        }
    )
    return conform(frame, SETS)


def baseline(sets: pd.DataFrame) -> pd.Series:
    """The floor: weekly Σ reps × load_kg by athlete, ISO week, exercise, in bare pandas."""
    week = sets["date"] - pd.to_timedelta(sets["date"].dt.day_of_week, unit="D")
    tonnage = sets["reps"] * sets["load_kg"]
    return tonnage.groupby([sets["athlete"], week, sets["exercise"]]).sum()


def median_time(func: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args()

    start = time.perf_counter()
    sets = synthetic_sets(args.athletes, args.weeks)
    built = time.perf_counter() - start
    sided = sets["side"].isin(["left", "right"]).mean()
    print(
        f"{len(sets):,} sets, {sets['athlete'].nunique()} athletes, "
        f"{sets['exercise'].nunique()} exercises, {sided:.0%} L/R rows (built in {built:.1f} s)"
    )
    floor, floor_min = median_time(lambda: baseline(sets))
    loads = session_load(sets)
    cases: list[tuple[str, Callable[[], object], bool]] = [
        ("label_blocks(sets)", lambda: label_blocks(sets), True),
        ("weekly_volume(sets)", lambda: weekly_volume(sets), True),
        ("weekly_volume(by='exercise')", lambda: weekly_volume(sets, by="exercise"), True),
        ("weekly_volume(by='pattern')", lambda: weekly_volume(sets, by="pattern"), True),
        ("weekly_volume(by='muscle')", lambda: weekly_volume(sets, by="muscle"), True),
        ("weekly_volume(by='side')", lambda: weekly_volume(sets, by="side"), True),
        ("session_summary(sets)", lambda: session_summary(sets), True),
        ("adherence(sets)", lambda: adherence(sets), True),
        ("session_load(sets)", lambda: session_load(sets), True),
        (f"weekly_load({len(loads):,} sessions)", lambda: weekly_load(loads), False),
        ("monotony(sessions)", lambda: monotony(loads), False),
        ("acute_chronic_load(sessions)", lambda: acute_chronic_load(loads), False),
        ("acwr(sessions, rolling)", lambda: acwr(loads, method="rolling"), False),
    ]
    print(f"\nfloor: bare groupby weekly reps*load = {floor:.3f} s (min {floor_min:.3f} s)\n")
    header = f"{'analysis':<34} {'median s':>9} {'min s':>7} {'floor s':>8} {'ratio':>6}  target"
    print(header)
    print("-" * len(header))
    failed = []
    for name, func, on_sets in cases:
        med, low = median_time(func)
        ratio = med / floor
        ok = med <= 2.0 and (ratio <= 5.0 or not on_sets)
        verdict = "ok" if ok else "MISSED"
        if not on_sets:
            verdict += " (session-level input, ratio for reference)"
        if not ok:
            failed.append(name)
        print(f"{name:<34} {med:>9.3f} {low:>7.3f} {floor:>8.3f} {ratio:>6.2f}  {verdict}")
    print("\ntarget: <= 2 s and <= 5 x floor for every analysis on the sets table")
    if len(sets) < 500_000:
        print("(small run: fixed per-call overheads dominate; the target is set for ~1M sets)")
    print("all met" if not failed else f"missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

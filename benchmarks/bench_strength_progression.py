"""Benchmark: progression and symmetry analyses on ~1,000,000 synthetic sets.

Run: ``.venv/bin/python benchmarks/bench_strength_progression.py [--athletes 100 --weeks 104]``

Builds the sets in memory with numpy (100 athletes x 104 weeks x 2 sessions x ~51 sets; 15
exercises, 6 of them unilateral with a left and a right row per set; reps 1-12; RPE with 12 %
missing; 5 % warm-ups), times each analysis (median of 3) and a bare pandas baseline on the same
rows (best Epley e1RM per athlete, exercise and date by groupby max), and prints the figure,
the floor (baseline) and the ratio. Targets: <= 2 s per analysis and <= 5x the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis import progression, symmetry
from analysis.columns import SETS, conform

BILATERAL = [
    "back_squat",
    "goblet_squat",
    "front_squat",
    "romanian_deadlift",
    "deadlift",
    "hip_thrust",
    "standing_calf_raise",
    "plank",
    "box_jump",
]
UNILATERAL = [
    "bulgarian_split_squat",
    "single_leg_rdl",
    "step_up",
    "reverse_lunge",
    "single_leg_calf_raise",
    "side_plank",
]
TIMED = {"plank", "side_plank"}
BODYWEIGHT = {"box_jump"}


def synthetic_sets(athletes: int = 100, weeks: int = 104, seed: int = 42) -> pd.DataFrame:
    """Canonical ``sets`` rows, vectorised (no Python loop per set)."""
    rng = np.random.default_rng(seed)
    exercises = np.array(BILATERAL + UNILATERAL)
    uni = np.isin(exercises, UNILATERAL)
    sessions = athletes * weeks * 2
    # sets per exercise per session: bilateral 2-4, unilateral 1-3 (each with L and R rows)
    n_sets = np.where(
        uni,
        rng.integers(1, 4, (sessions, len(exercises))),
        rng.integers(2, 5, (sessions, len(exercises))),
    )
    rows_per = n_sets * np.where(uni, 2, 1)
    flat = rows_per.ravel()
    session = np.repeat(np.repeat(np.arange(sessions), len(exercises)), flat)
    ex = np.repeat(np.tile(np.arange(len(exercises)), sessions), flat)
    n = len(session)
    within = np.arange(n) - np.repeat(np.cumsum(flat) - flat, flat)
    sided = uni[ex]
    side = np.where(sided, np.where(within % 2 == 0, "left", "right"), "both")
    set_index = np.where(sided, within // 2, within) + 1
    athlete = session // (weeks * 2)
    week = (session // 2) % weeks
    day = np.datetime64("2024-12-02") + (week * 7 + (session % 2) * 3).astype("timedelta64[D]")
    reps = rng.integers(1, 13, n)
    base = 40 + 60 * rng.random((athletes, len(exercises)))
    one_rm = base[athlete, ex] * (1 + 0.003 * week) * np.where(side == "right", 1.05, 1.0)
    load = np.round(one_rm / (1 + reps / 30) / 2.5) * 2.5
    name = exercises[ex]
    timed, bw = np.isin(name, list(TIMED)), np.isin(name, list(BODYWEIGHT))
    load = np.where(timed | bw, 0.0, load)
    rpe = np.round(rng.uniform(6, 10, n) * 2) / 2
    frame = pd.DataFrame(
        {
            "athlete": np.char.add("athlete_", np.char.zfill(athlete.astype(str), 3)),
            "date": day.astype("datetime64[us]"),
            "exercise": name,
            "exercise_raw": name,
            "side": side,
            "set_index": set_index,
            "reps": pd.array(np.where(timed, np.nan, reps), dtype="Float64").astype("Int64"),
            "load_kg": load,
            "duration_s": np.where(timed, 20.0 + 5 * reps, np.nan),
            "rpe": np.where(rng.random(n) < 0.12, np.nan, rpe),
            "warmup": rng.random(n) < 0.05,
            "source_file": "synthetic",
            "source_row": np.arange(n) + 2,
        }
    )
    return conform(frame, SETS)


def baseline(sets: pd.DataFrame) -> pd.Series:
    e1rm = sets["load_kg"] * (1 + sets["reps"] / 30)
    return e1rm.groupby([sets["athlete"], sets["exercise"], sets["date"]]).max()


def median_time(func: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args()
    start = time.perf_counter()
    sets = synthetic_sets(args.athletes, args.weeks)
    print(f"built {len(sets):,} sets in {time.perf_counter() - start:.2f} s")
    floor = median_time(lambda: baseline(sets))
    cases = {
        "set_e1rm": lambda: progression.set_e1rm(sets),
        "best_e1rm": lambda: progression.best_e1rm(sets),
        "e1rm_trend": lambda: progression.e1rm_trend(sets),
        "stalls": lambda: progression.stalls(sets),
        "personal_records": lambda: progression.personal_records(sets),
        "session_asymmetry": lambda: symmetry.session_asymmetry(sets),
        "block_asymmetry": lambda: symmetry.block_asymmetry(sets),
    }
    print(f"{'analysis':<20}{'rows out':>10}{'median s':>10}{'floor s':>10}{'ratio':>8}")
    print(
        f"{'baseline groupby':<20}{len(baseline(sets)):>10,}{floor:>10.3f}{floor:>10.3f}{1:>8.1f}"
    )
    total = 0.0
    for label, func in cases.items():
        seconds = median_time(func)
        total += seconds
        rows = len(func())
        print(f"{label:<20}{rows:>10,}{seconds:>10.3f}{floor:>10.3f}{seconds / floor:>8.1f}")
    print(f"{'total':<20}{'':>10}{total:>10.3f}")


if __name__ == "__main__":
    main()

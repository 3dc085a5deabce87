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
import time

import pandas as pd
from _common import median_time as _median_min
from _common import squad

from analysis import progression, symmetry

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


def median_time(func, repeat: int = 3) -> float:
    return _median_min(func, repeat)[0]


def baseline(sets: pd.DataFrame) -> pd.Series:
    e1rm = sets["load_kg"] * (1 + sets["reps"] / 30)
    return e1rm.groupby([sets["athlete"], sets["exercise"], sets["date"]]).max()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args()
    start = time.perf_counter()
    sets = squad(args.athletes, args.weeks)[0]
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

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
import time
from collections.abc import Callable

import pandas as pd
from _common import median_time, squad

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


def baseline(sets: pd.DataFrame) -> pd.Series:
    """The floor: weekly Σ reps × load_kg by athlete, ISO week, exercise, in bare pandas."""
    week = sets["date"] - pd.to_timedelta(sets["date"].dt.day_of_week, unit="D")
    tonnage = sets["reps"] * sets["load_kg"]
    return tonnage.groupby([sets["athlete"], week, sets["exercise"]]).sum()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args()

    start = time.perf_counter()
    sets = squad(args.athletes, args.weeks)[0]
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

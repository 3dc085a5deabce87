"""The verdict simulation study at size: rates of each planted truth, beside the issue's targets.

Run: ``.venv/bin/python benchmarks/bench_verdicts.py [--athletes 500]``

Two sessions a week over 12 weeks (:mod:`analysis.sample.simulate`), reassessed on the last
day. Every scenario is judged with 6-week blocks (the two blocks cover the 12-week log: the
study the tests run, with more athletes) and with 4-week blocks (the default reassessment,
whose shorter blocks have less power: reported, not targeted). Each line prints the measured
rate, the target and whether it holds; the exit status is 1 when a 6-week target misses.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from analysis.reassessment import asymmetry_status, lift_status
from analysis.reassessment.blocks import correlation_table
from analysis.sample.simulate import simulate_squad

END = "2026-11-22"
# (scenario, what is measured, target, at least (True) or at most (False))
LIFT_TARGETS = [
    ("linear", "stalled", 0.05, False), ("linear", "progressing", 0.90, True),
    ("capacity_noisy", "stalled", 0.05, False), ("capacity_noisy", "progressing", 0.70, True),
    ("sets_up", "stalled", 0.05, False),
    ("reps_up", "stalled", 0.05, False), ("reps_up", "progressing", 0.90, True),
    ("deload", "stalled", 0.05, False),
    ("heavy_light", "stalled", 0.05, False), ("heavy_light", "progressing", 0.90, True),
    ("flat", "stalled", 0.90, True),
    ("falling", "regressing", 0.70, True), ("falling", "progressing", 0.05, False),
]  # fmt: skip
SIDE_TARGETS = [
    ("right_weaker_12", "weaker_side", "right", 0.95, True),
    ("symmetric", "status", "imbalanced", 0.05, False),
    ("closing_15_to_5", "trend", "closing", 0.80, True),
]


def _line(label: str, rate: float, target: float, at_least: bool, weeks: int) -> bool:
    ok = rate >= target if at_least else rate <= target
    sign = ">=" if at_least else "<="
    verdict = ("holds" if ok else "MISSES") if weeks == 6 else "(reported)"
    print(f"  {label:45s} weeks={weeks}  {rate:6.1%}  target {sign} {target:.0%}  {verdict}")
    return ok or weeks != 6


def main(n: int) -> int:
    ok = True
    start = time.perf_counter()
    print(f"Lift status ({n} athletes per scenario)")
    cache: dict[str, tuple] = {}
    for scenario, status, target, at_least in LIFT_TARGETS:
        sets, _, truth = cache.setdefault(scenario, simulate_squad(n, scenario, seed=101))
        for weeks in (6, 4):
            got = truth.merge(lift_status(sets, weeks=weeks, end=END), on=["athlete", "exercise", "side"])
            rate = float((got["status"] == status).mean())
            ok &= _line(f"{scenario}: {status}", rate, target, at_least, weeks)
    print(f"Left-right status ({n} athletes per scenario)")
    for scenario, column, value, target, at_least in SIDE_TARGETS:
        sets, _, truth = simulate_squad(n, scenario, seed=102)
        truth = truth.drop_duplicates("athlete").drop(columns=["weaker_side"])
        for weeks in (6, 4):
            got = truth.merge(asymmetry_status(sets, weeks=weeks, end=END), on=["athlete", "exercise"])
            rate = float((got[column] == value).mean())
            ok &= _line(f"{scenario}: {column} {value}", rate, target, at_least, weeks)
    print(f"Strength and pace ({n} athletes)")
    sets, runs, truth = simulate_squad(n, "independent_trends", seed=103)
    for weeks in (6, 4):
        _, corr = correlation_table(sets, runs, lift_status(sets, weeks=weeks, end=END))
        hits = corr[(corr["series"] == "changes") & (corr["verdict"] == "association")]
        rate = hits["athlete"].nunique() / len(truth)
        ok &= _line("independent trends: associated (changes)", rate, 0.10, False, weeks)
        levels = corr[(corr["series"] == "levels") & (corr["verdict"] == "association")]
        print(f"  {'  (levels, context only, never a finding)':45s} weeks={weeks}  "
              f"{levels['athlete'].nunique() / len(truth):6.1%}")  # fmt: skip
    print(f"study took {time.perf_counter() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=500)
    pd.set_option("display.width", 120)
    sys.exit(main(parser.parse_args().athletes))

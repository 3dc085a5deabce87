"""All analyses including the verdicts at 1M sets, each beside the floor, measured in one run (issue 17).

Run: ``.venv/bin/python benchmarks/bench_analyses.py [--repeat 3] [--src DIR ...]``. Reads the canonical
squad that ``benchmarks/bench_scale.py`` generates (``liftpace sample --athletes 100 --weeks 104`` into
``benchmarks/data/``) once with ``read_logs``, then times, median of ``--repeat``:

* the floor: a bare groupby, weekly tonnage per athlete, week and exercise, on the same frame (exactly
  ``bench_scale.py``'s baseline);
* each analysis of ``bench_scale.all_analyses`` (the same calls, in the same order) and all of them together;
* the peak memory of a fresh process that loads the files and runs every analysis, with the peak after the
  load alone, so the analyses' own increment is seen.

``--src`` runs the same measurement in a child process per source tree (``PYTHONPATH=DIR``), alternating,
so a before/after comparison is one run on one machine load: e.g. ``--src /tmp/base/src --src src``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def steps(sets, runs):
    """``bench_scale.all_analyses``, one named step each (same calls, same order)."""
    from analysis import (
        frequency,
        pace,
        progression,
        squad_findings,
        squad_summary,
        symmetry,
        volume,
        workload,
    )

    return [
        ("weekly_volume", lambda: volume.weekly_volume(sets, by="pattern")),
        ("adherence", lambda: frequency.adherence(sets)),
        ("e1rm_trend", lambda: progression.e1rm_trend(sets)),
        ("personal_records", lambda: progression.personal_records(sets)),
        ("block_asymmetry", lambda: symmetry.block_asymmetry(sets)),
        ("weekly_load", lambda: workload.weekly_load(workload.session_load(sets))),
        ("weekly_pace", lambda: pace.weekly_pace(runs)),
        ("pace_trend", lambda: pace.pace_trend(runs)),
        ("squad_summary", lambda: squad_summary(sets, runs)),
        ("squad_findings", lambda: squad_findings(sets, runs)),
    ]


def load():
    import analysis

    log = analysis.read_logs(DATA / "squad_sets.csv", DATA / "squad_runs.csv")
    return log.sets, log.runs


def measure(repeat: int) -> dict:
    from analysis.periods import week_start

    sets, runs = load()

    def baseline() -> None:
        frame = sets.assign(week=week_start(sets["date"]), tonnage=sets["reps"] * sets["load_kg"])
        frame.groupby(["athlete", "week", "exercise"], observed=True)["tonnage"].sum()

    named = steps(sets, runs)
    times: dict[str, list[float]] = {"floor": []} | {name: [] for name, _ in named} | {"all": []}
    for _ in range(repeat):
        start = time.perf_counter()
        baseline()
        times["floor"].append(time.perf_counter() - start)
        total = 0.0
        for name, func in named:
            start = time.perf_counter()
            func()
            took = time.perf_counter() - start
            times[name].append(took)
            total += took
        times["all"].append(total)
    return {
        "sets": len(sets),
        "runs": len(runs),
        "median": {k: statistics.median(v) for k, v in times.items()},
        "load": os.getloadavg()[0],
    }


def peak() -> dict:
    from analysis import frequency  # noqa: F401  (imports counted in the load's peak, as in bench_scale)

    sets, runs = load()
    after_load = peak_mb()
    rss_load = rss_mb()
    for _, func in steps(sets, runs):
        func()
    return {"after_load": after_load, "rss_after_load": rss_load, "peak": peak_mb()}


def child(src: str, flag: str, repeat: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
    out = subprocess.run([sys.executable, __file__, flag, "--repeat", str(repeat)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", action="append", help="source tree (PYTHONPATH) to measure; repeatable")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the --src trees this many times")
    parser.add_argument("--child-measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-peak", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-peak", action="store_true")
    args = parser.parse_args()
    if args.child_measure:
        print(json.dumps(measure(args.repeat)))
        return 0
    if args.child_peak:
        print(json.dumps(peak()))
        return 0
    srcs = args.src or [str(HERE.parent / "src")]
    print(f"load average at start: {os.getloadavg()}", flush=True)
    results: dict[str, list[dict]] = {s: [] for s in srcs}
    for _ in range(args.rounds):
        for src in srcs:
            results[src].append(child(src, "--child-measure", args.repeat))
    peaks = {} if args.no_peak else {src: child(src, "--child-peak", 1) for src in srcs}
    print(f"load average at end: {os.getloadavg()}")
    for src in srcs:
        print(f"\n== {src}  ({results[src][0]['sets']:,} sets + {results[src][0]['runs']:,} runs)")
        for r, res in enumerate(results[src]):
            m = res["median"]
            floor = m["floor"]
            print(f"  round {r + 1}, load {res['load']:.2f}, median of {args.repeat}")
            for name, value in m.items():
                ratio = "" if name == "floor" else f"{value / floor:7.1f}x floor"
                print(f"    {name:<18} {value:7.3f} s  {ratio}")
        if src in peaks:
            p = peaks[src]
            print(f"  peak memory: load + all analyses {p['peak']:.0f} MB; after load {p['after_load']:.0f} MB "
                  f"(RSS {p['rss_after_load']:.0f} MB); analyses' increment {p['peak'] - p['after_load']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

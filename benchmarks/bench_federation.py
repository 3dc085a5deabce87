"""A federation's squad: in-process pandas against ``--engine dask`` on this machine (issue 18).

Generates a federation (``--athletes`` athletes x ``--weeks`` weeks, two strength sessions and
3-4 runs a week, :func:`analysis.sample.generate_squad` per club) written as many files, one
sets CSV and one runs CSV per club of ``--club-size`` athletes, into ``benchmarks/data/`` (once;
git ignores it). Then each engine runs in a fresh process, so its peak memory is its own:

* ``pandas``: what ``liftpace squad`` does in one process: :func:`analysis.read_logs` of every
  file, :func:`analysis.reassessment.reassess_squad`, the squad tables gathered (triage rows,
  the squad workbook's sheets); with ``--reports`` :func:`analysis.report.render_squad` instead.
* ``dask``: :func:`analysis.report.dask_engine.squad_on_dask` on a LocalCluster of
  ``--workers`` single-threaded worker processes: read (one task per file), partition (the one
  shuffle by athlete), reassess (``map_partitions``; report files too with ``--reports``),
  gather (the squad page and workbook on the client).

Printed: athletes per second, seconds per stage, peak memory (the pandas process; each Dask
worker and the client). The default run is small (200 athletes x 52 weeks, tables only);
issue 18's figure is ``--athletes 10000 --weeks 52``; reports are optional (``--reports``), at
about a second per athlete per core.

Run: ``python benchmarks/bench_federation.py [--athletes N] [--weeks W] [--engines pandas,dask]
[--workers 2] [--shuffle auto|always|never] [--reports] [--json results.json]``. The club files
group their athletes, so ``auto`` takes the shuffle-free path; ``always`` measures the one shuffle.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return math.nan


def federation(athletes: int, weeks: int, club_size: int) -> list[Path]:
    """The federation's files (written once): ``club_NNN_sets.csv`` and ``club_NNN_runs.csv``."""
    import numpy as np
    import pandas as pd

    from analysis.sample import generate_squad

    folder = DATA / f"federation_{athletes}x{weeks}_{club_size}"
    clubs = math.ceil(athletes / club_size)
    files = [folder / f"club_{c:03d}_{kind}.csv" for c in range(1, clubs + 1) for kind in ("sets", "runs")]
    if all(f.exists() for f in files):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    for c in range(1, clubs + 1):
        size = min(club_size, athletes - (c - 1) * club_size)
        sets, runs = generate_squad(athletes=size, weeks=weeks, seed=c)
        for frame, kind, fmt in ((sets, "sets", "%Y-%m-%d"), (runs, "runs", "%Y-%m-%d %H:%M:%S")):
            out = frame.drop(columns=["source_file", "source_sheet", "source_row"])
            out["athlete"] = f"Club {c:03d} " + out["athlete"].astype(str)
            out["date"] = out["date"].dt.strftime(fmt)
            for col in out.columns:  # plain numbers and empty cells, as an app writes them
                if isinstance(out[col].dtype, pd.Float64Dtype | pd.Int64Dtype | pd.BooleanDtype):
                    out[col] = out[col].astype(object).where(out[col].notna(), np.nan)
            tmp = folder / f".club_{c:03d}_{kind}.csv.partial"
            out.to_csv(tmp, index=False, lineterminator="\n")
            tmp.replace(folder / f"club_{c:03d}_{kind}.csv")
    return files


def run_pandas(files: list[str], reports: bool, out: str) -> dict:
    """The in-process squad, stage by stage (or render_squad whole, with reports)."""
    from analysis import read_logs, report
    from analysis.loaders.plan import find_plan
    from analysis.loaders.scope import owners
    from analysis.reassessment import reassess_squad
    from analysis.report.excel import squad_workbook
    from analysis.report.parts import report_areas
    from analysis.report.squad import squad_parts, triage_table

    times = {}
    if reports:
        start = time.perf_counter()
        done = report.render_squad(files, out=out, progress=False)
        times["total"] = time.perf_counter() - start
        return {"times": times, "athletes": len(done.athletes), "peak_mb": {"process": peak_mb()}}
    start = time.perf_counter()
    log = read_logs(*files, errors="report", unnamed="unassigned")
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    owner = owners(log)
    names = sorted(log.sets["athlete"].unique())
    problems = {n: log.problems[(owner == n).fillna(False).to_numpy(dtype=bool)] for n in names}
    plan = find_plan(files, program_start=log.sets["date"].min())
    all_r = reassess_squad(log.sets, log.runs, bodyweight=log.bodyweight, plan=plan, problems=problems)
    times["reassess"] = time.perf_counter() - start
    start = time.perf_counter()
    areas = {n: report_areas(r) for n, r in all_r.items()}
    squad = squad_parts(all_r, areas, {}, problems=log.problems[owner.isna().to_numpy(dtype=bool)])
    squad_workbook(triage_table(squad), all_r, log.problems)
    times["gather"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return {"times": times, "athletes": len(all_r), "sets": len(log.sets), "peak_mb": {"process": peak_mb()}}


def run_dask(files: list[str], reports: bool, out: str, workers: int, shuffle: str = "auto") -> dict:
    from analysis.report.dask_engine import connect, squad_on_dask

    start = time.perf_counter()
    client = connect(workers=workers)
    started = time.perf_counter() - start
    try:
        done = squad_on_dask(files, client=client, out=out if reports else None,
                             shuffle={"auto": None, "always": True, "never": False}[shuffle])
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    times = {"cluster start": started, **done.timings}
    times["total"] = started + sum(v for k, v in done.timings.items() if k != "partition_seconds_sum")
    peaks = {f"worker {i}": v for i, v in enumerate(done.worker_peak_mb.values())}
    return {"times": times, "athletes": len(done.tables["params"]), "partitions": done.partitions,
            "shuffled": done.shuffled,
            "sets": int(done.tables["params"]["n_sets"].sum()), "peak_mb": {**peaks, "client": peak_mb()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--club-size", type=int, default=100)
    parser.add_argument("--engines", default="pandas,dask")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--shuffle", choices=["auto", "always", "never"], default="auto",
                        help="dask: shuffle by athlete (auto: only when the files do not group the athletes)")
    parser.add_argument("--reports", action="store_true", help="write every athlete's report files too")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one engine, in this (fresh) process
    args = parser.parse_args()
    files = [str(f) for f in federation(args.athletes, args.weeks, args.club_size)]
    if args.run:
        with tempfile.TemporaryDirectory() as out:
            result = (run_pandas(files, args.reports, out) if args.run == "pandas"
                      else run_dask(files, args.reports, out, args.workers, args.shuffle))
        print(json.dumps(result))
        return
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    print(f"federation: {args.athletes} athletes x {args.weeks} weeks, {len(files)} files, {size:.0f} MB of CSV; "
          f"reports {'written' if args.reports else 'not written (tables only)'}; {os.cpu_count()} cores")
    results = {}
    for engine in args.engines.split(","):
        cmd = [sys.executable, __file__, "--run", engine, "--athletes", str(args.athletes), "--weeks", str(args.weeks),
               "--club-size", str(args.club_size), "--workers", str(args.workers), "--shuffle", args.shuffle, *(["--reports"] if args.reports else [])]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode:
            print(f"{engine}: failed after {wall:.0f} s\n{proc.stderr[-2000:]}")
            results[engine] = {"error": proc.stderr[-2000:], "wall_s": wall}
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["wall_s"] = wall
        results[engine] = r
        rate = r["athletes"] / r["times"]["total"]
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["times"].items() if k != "total")
        peaks = ", ".join(f"{k} {v:.0f} MB" for k, v in r["peak_mb"].items())
        how = f", {r['partitions']} partitions, {'one shuffle' if r['shuffled'] else 'no shuffle'}" if "shuffled" in r else ""
        print(f"{engine}{how}: {r['athletes']} athletes in {r['times']['total']:.1f} s = {rate:.1f} athletes/s "
              f"(process wall {wall:.1f} s, imports included)\n  stages: {stages}\n  peak memory: {peaks}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results},
                                        indent=2))


if __name__ == "__main__":
    main()

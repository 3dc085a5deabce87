"""Speed at a club's scale: every figure next to its floor, measured in one run.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_scale.py``). Generates the logs with
``liftpace sample --athletes 100 --weeks 104 --xlsx-rows 100000`` into ``benchmarks/data/``
(once; git ignores it), then measures, median of ``--repeat`` runs each:

* ``read_logs`` on the 1,000,000-row canonical CSV against a bare ``pandas.read_csv`` of the
  same file (target: ratio <= 1.5);
* ``read_logs`` on the 100,000-row xlsx against bare ``pandas.read_excel(engine="calamine")``
  (target <= 1.3) and against ``engine="openpyxl"`` (target: at least 5x faster);
* all analyses on the 1,000,000 sets against a bare groupby baseline (weekly tonnage per
  athlete, week and exercise) on the same frame (target: <= 3 s and <= 5x);
* every reader family at club scale on the layouts people have (issue 17; files written by
  ``benchmarks/layouts.py`` from the same squad): a coach's CSV (``Athlete, Date, Exercise, Side, Set,
  Reps, Weight (kg), RPE``, 999,999 rows, the most a CSV read cell by cell may have) against
  ``pandas.read_csv`` of the same file (target <= 2x); the same layout as a 100,000-row xlsx, one sheet
  and a sheet per athlete, against ``fastexcel`` reading the same sheets into pandas (target <= 1.5x);
  Strong, Hevy, FitNotes and Fitbod exports (999,999 sets) and Garmin and Strava activity exports
  (100,000 runs) against ``read_csv`` (target <= 2x), each with the least pandas itself needs for the
  same file (``least_loaders.py``: typed columns, names as categories, sorted, duplicates found);
* peak memory of a fresh process that loads the 1,000,000 sets and runs every analysis
  (target <= 500 MB); of one per reader family's file, beside the bare reader's (target <= 500 MB);
  and of one that loads the coach CSV at a quarter and at all of its rows (linear in rows);
* one athlete's HTML + Excel report (target < 10 s) and a squad of 30 (target < 60 s).

Each figure is printed beside its floor so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parent


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    ``VmHWM`` from /proc (reset when a process starts a new program); ``ru_maxrss`` where there is
    no /proc. On Linux ``ru_maxrss`` survives fork and exec, so a child started by a big parent
    would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ensure_data(athletes: int, weeks: int) -> dict[str, Path]:
    paths = {"csv": DATA / "squad_sets.csv", "runs": DATA / "squad_runs.csv", "xlsx": DATA / "squad_sets.xlsx"}
    stamp = DATA / "params.json"
    want = {"athletes": athletes, "weeks": weeks, "xlsx_rows": 100_000, "layouts": LAYOUTS_VERSION}
    if all(p.exists() for p in paths.values()) and stamp.exists() and json.loads(stamp.read_text()) == want:
        return paths
    DATA.mkdir(exist_ok=True)
    print(f"generating {athletes} athletes x {weeks} weeks into {DATA} ...", flush=True)
    subprocess.run([sys.executable, "-m", "analysis.cli", "sample", "--out", str(DATA), "--athletes", str(athletes),
                    "--weeks", str(weeks), "--xlsx-rows", "100000"], check=True, stdout=subprocess.DEVNULL)
    print(f"writing every app's and a coach's layout into {DATA / 'layouts'} ...", flush=True)
    subprocess.run([sys.executable, str(HERE / "layouts.py"), str(DATA / "layouts")], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(json.dumps(want))
    return paths


#: Bumped when benchmarks/layouts.py writes different files, so they are written again.
LAYOUTS_VERSION = 1
LAYOUT = DATA / "layouts"


def uncached_read(path: Path):
    """``read_logs`` with the loaders' workbook cache cleared first: a workbook read afresh, not the
    repeat of a read a report's plan and tests readers share."""
    import analysis
    from analysis.loaders.table_files import clear_workbook_cache

    clear_workbook_cache()
    return analysis.read_logs(path)


def fastexcel_floor(path: Path) -> None:
    """The xlsx floor: fastexcel (calamine into Arrow) reading every sheet of the same bytes into pandas."""
    import fastexcel

    book = fastexcel.read_excel(path.read_bytes())
    for name in book.sheet_names:
        book.load_sheet(name).to_pandas()


def all_analyses(sets, runs):
    """Every analysis a reassessment of the whole club runs, once."""
    from analysis import frequency, pace, progression, symmetry, volume, workload

    volume.weekly_volume(sets, by="pattern")
    frequency.adherence(sets)
    progression.e1rm_trend(sets)
    progression.personal_records(sets)
    symmetry.block_asymmetry(sets)
    workload.weekly_load(workload.session_load(sets))
    pace.weekly_pace(runs)
    pace.pace_trend(runs)
    # the verdicts: every athlete's block comparison and findings (this called a module that no longer
    # exists, ``analysis.reassess``, inside ``except ImportError``, so the squad step was silently skipped)
    from analysis import squad_findings, squad_summary

    squad_summary(sets, runs)
    squad_findings(sets, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--peak-read-csv", metavar="CSV", help="(internal) bare read_csv, print peak RSS in MB")
    parser.add_argument("--peak-only", nargs=2, metavar=("SETS_CSV", "RUNS_CSV"),
                        help="(internal) load the files, run every analysis, print peak RSS in MB")
    parser.add_argument("--peak-load", metavar="FILE", help="(internal) read_logs(FILE), print peak RSS in MB")
    parser.add_argument("--peak-fastexcel", metavar="XLSX", help="(internal) bare fastexcel read, print peak RSS in MB")
    parser.add_argument("--peak-import", action="store_true", help="(internal) import analysis, print peak RSS in MB")
    parser.add_argument("--only-readers", action="store_true", help="only the reader families (issue 17)")
    args = parser.parse_args()
    if args.peak_read_csv:
        import pandas as pd

        pd.read_csv(args.peak_read_csv)
        print(f"{peak_mb():.0f}")
        return 0
    if args.peak_fastexcel:
        fastexcel_floor(Path(args.peak_fastexcel))
        print(f"{peak_mb():.0f}")
        return 0
    if args.peak_import:
        import analysis

        print(f"{peak_mb():.0f}")
        return 0
    if args.peak_load:
        import analysis

        analysis.read_logs(args.peak_load)
        print(f"{peak_mb():.0f}")
        return 0
    if args.peak_only:
        import analysis

        log = analysis.read_logs(*args.peak_only)
        all_analyses(log.sets, log.runs)
        print(f"{peak_mb():.0f}")
        return 0

    import pandas as pd

    import analysis

    paths = ensure_data(args.athletes, args.weeks)
    rows: list[tuple[str, float, str, float | None, str]] = []

    def add(name: str, value: float, floor_name: str, floor: float | None, target: str, ok: bool) -> None:
        ratio = value / floor if floor else None
        rows.append((name, value, floor_name, floor, target, ratio, ok))
        r = f"{ratio:5.2f}x" if ratio is not None else "   -  "
        fl = f"{floor:7.3f} s" if floor is not None else "      -  "
        print(f"{name:<42} {value:8.3f} s   floor {floor_name:<34} {fl}   {r}   target {target:<22} {'ok' if ok else 'MISSED'}", flush=True)

    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}, "
          f"{__import__('os').cpu_count()} cores, repeat {args.repeat}\n")

    if Path("/proc/loadavg").exists():
        print("load average (1, 5, 15 min) at start:", " ".join(Path("/proc/loadavg").read_text().split()[:3]), "\n")
    reader_families(add, rows, args.repeat)
    if args.only_readers:
        return summary(rows)
    bare_csv = timed(lambda: pd.read_csv(paths["csv"]), args.repeat)
    ours_csv = timed(lambda: analysis.read_logs(paths["csv"]), args.repeat)
    add("read_logs, 1M-row canonical CSV", ours_csv, "pandas.read_csv", bare_csv, "ratio <= 1.5", ours_csv / bare_csv <= 1.5)

    bare_xlsx = timed(lambda: pd.read_excel(paths["xlsx"], engine="calamine"), args.repeat)
    ours_xlsx = timed(lambda: uncached_read(paths["xlsx"]), args.repeat)  # a fresh read, not the cache
    add("read_logs, 100k-row xlsx", ours_xlsx, "read_excel(engine='calamine')", bare_xlsx, "ratio <= 1.3", ours_xlsx / bare_xlsx <= 1.3)
    openpyxl_xlsx = timed(lambda: pd.read_excel(paths["xlsx"], engine="openpyxl"), 1)
    add("read_logs, 100k-row xlsx vs openpyxl", ours_xlsx, "read_excel(engine='openpyxl')", openpyxl_xlsx,
        ">= 5x faster", openpyxl_xlsx / ours_xlsx >= 5)

    log = analysis.read_logs(paths["csv"], paths["runs"])
    sets, runs = log.sets, log.runs
    from analysis.periods import week_start

    def baseline() -> None:
        frame = sets.assign(week=week_start(sets["date"]), tonnage=sets["reps"] * sets["load_kg"])
        frame.groupby(["athlete", "week", "exercise"], observed=True)["tonnage"].sum()

    bare_group = timed(baseline, args.repeat)
    ours_all = timed(lambda: all_analyses(sets, runs), args.repeat)
    add(f"all analyses, {len(sets):,} sets + {len(runs):,} runs", ours_all, "groupby weekly tonnage", bare_group,
        "<= 3 s and ratio <= 5", ours_all <= 3 and ours_all / bare_group <= 5)

    out = subprocess.run([sys.executable, __file__, "--peak-only", str(paths["csv"]), str(paths["runs"])], check=True,
                         capture_output=True, text=True).stdout.split()
    peak = float(out[-1])
    bare_peak = subprocess.run([sys.executable, __file__, "--peak-read-csv", str(paths["csv"])],
                               check=True, capture_output=True, text=True).stdout.split()[-1]
    rows.append(("peak memory, load + all analyses (MB)", peak, "read_csv alone (MB)", float(bare_peak), "<= 500 MB",
                 None, peak <= 500))
    print(f"{'peak memory, load + all analyses':<42} {peak:8.0f} MB  floor {'read_csv alone':<34} {float(bare_peak):7.0f} MB"
          f"             target {'<= 500 MB':<22} {'ok' if peak <= 500 else 'MISSED'}", flush=True)

    if not args.skip_reports:
        from analysis import report

        sample = ROOT / "data" / "sample_logs" / "coach_workbook.xlsx"
        with tempfile.TemporaryDirectory() as tmp:
            one = timed(lambda: report.render_report([sample], athlete="Ana Lopez", out=tmp), 1)
            add("one athlete's report (HTML + xlsx)", one, "-", None, "< 10 s", one < 10)
            squad_csv = Path(tmp) / "squad30.csv"
            sub = sets[sets["athlete"].isin(sorted(sets["athlete"].unique())[:30])]
            sub = sub[sub["date"] >= sub["date"].max() - pd.Timedelta(weeks=12)]
            sub.to_csv(squad_csv, index=False)
            squad = timed(lambda: report.render_squad([squad_csv], out=tmp, progress=False), 1)
            add("squad of 30 (reports + overview)", squad, "-", None, "< 60 s", squad < 60)

    return summary(rows)


def summary(rows: list) -> int:
    missed = [r[0] for r in rows if not r[-1]]
    if Path("/proc/loadavg").exists():
        print("\nload average (1, 5, 15 min) at end:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    print("\nall targets met" if not missed else f"\ntargets missed: {', '.join(missed)}")
    return 0


def _peak(*args: str) -> float:
    """Peak resident memory in MB of a fresh process running this script with ``args``."""
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def family_peak(rows: list, label: str, path: Path, floor_flag: str, floor_name: str) -> None:
    """Peak memory of ``read_logs`` on one reader family's file, beside the bare reader's (issue 17)."""
    peak, floor = _peak("--peak-load", str(path)), _peak(floor_flag, str(path))
    rows.append((f"peak memory, {label} (MB)", peak, f"{floor_name} (MB)", floor, "<= 500 MB", None, peak <= 500))
    print(f"{'  peak memory':<42} {peak:8.0f} MB  floor {floor_name:<34} {floor:7.0f} MB             target "
          f"{'<= 500 MB':<22} {'ok' if peak <= 500 else 'MISSED'}", flush=True)


def reader_families(add, rows: list, repeat: int) -> None:
    """Each reader family on its club-scale file, each beside its floor measured just before it."""
    import least_loaders
    import pandas as pd

    import analysis

    for key, label in [("coach_sets.csv", "coach layout CSV"), ("strong.csv", "Strong export"),
                       ("hevy.csv", "Hevy export"), ("fitnotes.csv", "FitNotes export"), ("fitbod.csv", "Fitbod export"),
                       ("garmin.csv", "Garmin activities"), ("strava.csv", "Strava activities")]:
        path = LAYOUT / key
        n = sum(1 for _ in path.open("rb")) - 1
        bare = timed(lambda path=path: pd.read_csv(path), repeat)
        ours = timed(lambda path=path: analysis.read_logs(path), repeat)
        add(f"read_logs, {label} ({n:,} rows)", ours, "pandas.read_csv", bare, "ratio <= 2", ours / bare <= 2)
        low = timed(lambda path=path, key=key: least_loaders.least(path, least_loaders.SPECS[key]), repeat)
        print(f"{'  least with pandas (least_loaders.py)':<42} {low:8.2f} s  = {low / bare:.1f}x read_csv", flush=True)
        family_peak(rows, label, path, "--peak-read-csv", "read_csv alone")
    for key, label in [("coach_sets.xlsx", "coach xlsx, one sheet"), ("coach_per_athlete.xlsx", "coach xlsx, sheet per athlete")]:
        path = LAYOUT / key
        bare = timed(lambda path=path: fastexcel_floor(path), repeat)
        ours = timed(lambda path=path: uncached_read(path), repeat)
        add(f"read_logs, {label} (100,000 rows)", ours, "fastexcel -> pandas", bare, "ratio <= 1.5", ours / bare <= 1.5)
        family_peak(rows, label, path, "--peak-fastexcel", "fastexcel alone")
    coach = LAYOUT / "coach_sets.csv"
    with tempfile.TemporaryDirectory() as tmp:
        quarter = Path(tmp) / "coach_quarter.csv"
        with coach.open() as src, quarter.open("w") as dst:
            for i, line in enumerate(src):
                if i > 250_000:
                    break
                dst.write(line)
        peaks = {}
        for name, path in [("250k", quarter), ("1M", coach)]:
            out = subprocess.run([sys.executable, __file__, "--peak-load", str(path)], check=True,
                                 capture_output=True, text=True).stdout.split()
            peaks[name] = float(out[-1])
        bare = subprocess.run([sys.executable, __file__, "--peak-read-csv", str(coach)], check=True,
                              capture_output=True, text=True).stdout.split()[-1]
    import_mb = float(subprocess.run([sys.executable, __file__, "--peak-import"], check=True, capture_output=True,
                                     text=True).stdout.split()[-1])
    slope = (peaks["1M"] - peaks["250k"]) / 750
    linear = peaks["1M"] <= 500 and peaks["1M"] - import_mb <= 4.5 * max(peaks["250k"] - import_mb, 1)
    rows.append(("peak memory, coach CSV load (MB)", peaks["1M"], "read_csv alone (MB)", float(bare), "<= 500 MB, linear",
                 None, linear))
    print(f"{'peak memory, coach CSV load 1M rows':<42} {peaks['1M']:8.0f} MB  floor {'read_csv alone':<34} "
          f"{float(bare):7.0f} MB             target {'<= 500 MB, linear':<22} {'ok' if linear else 'MISSED'}\n"
          f"{'  at 250k rows':<42} {peaks['250k']:8.0f} MB  (after imports: {import_mb:.0f} MB; "
          f"{slope * 1000:.0f} MB per 1M rows)", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

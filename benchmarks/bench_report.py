"""Report speed: one athlete's report and a 30-athlete squad beside a trivial papermill run.

The floor is what the old reports paid before doing any work: a papermill run of a notebook
with a parameters cell and one line. Each figure is measured in the same run, alternating with
the floor, as the user meets it (a fresh ``liftpace`` process, imports included, beside a fresh
``papermill`` process) and warm (``render_report``/``render_squad`` called again in this process,
beside ``papermill.execute_notebook`` called again in this process).

Targets (issue 20): one report at most 1x the floor, a squad of 30 at most 5x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"one report": 1.0, "squad of 30": 5.0}


def _trivial(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })  # fmt: skip
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("x + 1")]
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    return path


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    took = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return took


def _line(label: str, took: float, floor: float, target: float | None) -> bool:
    ratio = took / floor
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  MISSED (target {target:g}x)")
    print(f"  {label:38s} {took:6.2f} s   floor {floor:5.2f} s   {ratio:5.2f}x{verdict}")
    return target is None or ratio <= target


def main(repeat: int) -> int:
    from analysis.sample import write_club_workbook, write_samples

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_samples(folder / "samples")
        club = write_club_workbook(folder / "club30.xlsx", athletes=30)
        trivial = _trivial(folder)
        bin_ = Path(sys.executable).parent
        floor_cmd = [str(bin_ / "papermill"), "--no-progress-bar", "-k", "python3", str(trivial), str(folder / "out.ipynb")]
        report_cmd = [str(bin_ / "liftpace"), "report", str(folder / "samples" / "coach_workbook.xlsx"),
                      "--athlete", "Ana Lopez", "--out", str(folder / "r1")]  # fmt: skip
        squad_cmd = [str(bin_ / "liftpace"), "squad", str(club), "--out", str(folder / "r30")]
        _wall(floor_cmd)  # first runs warm the disk cache and matplotlib's font cache
        _wall(report_cmd)
        floors, reports, squads = [], [], []
        for _ in range(repeat):
            floors.append(_wall(floor_cmd))
            reports.append(_wall(report_cmd))
            floors.append(_wall(floor_cmd))
            squads.append(_wall(squad_cmd))
        floor = statistics.median(floors)
        print(f"As the user meets it: fresh processes, imports included (median of {repeat}; "
              f"{os.cpu_count()} cores)")
        ok &= _line("liftpace report (one athlete)", statistics.median(reports), floor, TARGETS["one report"])
        ok &= _line("liftpace squad (30 athletes)", statistics.median(squads), floor, TARGETS["squad of 30"])

        import papermill

        from analysis.report import render_report, render_squad

        def floor_warm() -> float:
            start = time.perf_counter()
            papermill.execute_notebook(str(trivial), str(folder / "out.ipynb"), progress_bar=False,
                                       log_output=False, kernel_name="python3")  # fmt: skip
            return time.perf_counter() - start

        def timed(func) -> float:
            start = time.perf_counter()
            func()
            return time.perf_counter() - start

        workbook = folder / "samples" / "coach_workbook.xlsx"
        floor_warm()
        render_report([workbook], athlete="Ana Lopez", out=folder / "w1")
        warm_floors, warm_reports, warm_squads = [], [], []
        for _ in range(repeat):
            warm_floors.append(floor_warm())
            warm_reports.append(timed(lambda: render_report([workbook], athlete="Ana Lopez", out=folder / "w1")))
            warm_floors.append(floor_warm())
            warm_squads.append(timed(lambda: render_squad([club], out=folder / "w30", progress=False)))
        wfloor = statistics.median(warm_floors)
        print(f"Warm: called again in this process (median of {repeat})")
        _line("render_report (one athlete)", statistics.median(warm_reports), wfloor, None)
        _line("render_squad (30 athletes)", statistics.median(warm_squads), wfloor, None)
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    sys.exit(main(parser.parse_args().repeat))

"""Report speed: one athlete's report and a 30-athlete squad beside a trivial papermill run.

The floor is what the old reports paid before doing any work: a papermill run of a notebook
with a parameters cell and one line. Each figure is measured in the same run, alternating with
the floor, as the user meets it (a fresh ``liftpace`` process, imports included, beside a fresh
``papermill`` process) and warm (``render_report``/``render_squad`` called again in this process,
beside ``papermill.execute_notebook`` called again in this process).

Targets (issue 20): one report at most 1x the floor, a squad of 30 at most 5x. Beside the wall
times: the CPU seconds of each command's whole process tree (its workers included), the cores it
kept busy, and the most CPU its target allows on this machine's cores (the target's seconds times
the cores): a command that needs more CPU than that cannot meet its target here, however its work
is spread.
"""

from __future__ import annotations

import argparse
import base64
import os
import resource
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


#: Both commands run as a user's Python runs them: bytecode cached (a sandbox may set
#: PYTHONDONTWRITEBYTECODE, which recompiles liftpace's modules in every process).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONWARNINGS": "ignore"}


#: CPU seconds (user + system) of each command's whole process tree, by the command's text
CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wall(cmd: list[str]) -> float:
    """Wall seconds of ``cmd``; its CPU seconds, workers included, go to :data:`CPU`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    took = time.perf_counter() - start
    CPU.setdefault(" ".join(cmd), []).append(_children_cpu() - cpu)
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
        spec = _least_spec(folder / "samples" / "coach_workbook.xlsx", "Ana Lopez", folder / "least.json")
        least_cmd = [sys.executable, str(Path(__file__).with_name("least_report.py")),
                     str(folder / "samples" / "coach_workbook.xlsx"), str(spec), str(folder)]  # fmt: skip
        _wall(floor_cmd)  # first runs warm the disk cache and matplotlib's font cache
        _wall(report_cmd)
        _wall(least_cmd)
        floors, reports, squads, leasts = [], [], [], []
        for _ in range(repeat):
            floors.append(_wall(floor_cmd))
            reports.append(_wall(report_cmd))
            leasts.append(_wall(least_cmd))
            floors.append(_wall(floor_cmd))
            squads.append(_wall(squad_cmd))
        floor = statistics.median(floors)
        print(f"As the user meets it: fresh processes, imports included (median of {repeat}; "
              f"{os.cpu_count()} cores)")
        ok &= _line("liftpace report (one athlete)", statistics.median(reports), floor, TARGETS["one report"])
        _line("least one report with these libraries", statistics.median(leasts), floor, None)
        print("    (least_report.py: Python, pandas, a calamine read of every sheet, then the same "
              "charts as empty panels in a forked process and the same cells by openpyxl without styles)")
        ok &= _line("liftpace squad (30 athletes)", statistics.median(squads), floor, TARGETS["squad of 30"])
        _cpu_lines([("liftpace report", report_cmd, reports, TARGETS["one report"]),
                    ("least one report", least_cmd, leasts, None),
                    ("liftpace squad", squad_cmd, squads, TARGETS["squad of 30"])], floor)  # fmt: skip

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
        _breakdown(club)
    return 0 if ok else 1


def _cpu_lines(rows: list[tuple[str, list[str], list[float], float | None]], floor: float) -> None:
    """CPU against wall: how many cores each command kept busy, and how much CPU its target allows
    on these cores (``rows``: label, command, its wall times, its target or None)."""
    cores = os.cpu_count() or 1
    print(f"  CPU seconds of the whole process tree (workers included), median; {cores} cores:")
    for label, cmd, walls, target in rows:
        cpu, wall = statistics.median(CPU[" ".join(cmd)][-len(walls):]), statistics.median(walls)
        allows = "" if target is None else (
            f"; {target:g}x the floor leaves {target * floor:.2f} s, at most {target * floor * cores:.2f} s of CPU")
        print(f"    {label:36s} {cpu:6.2f} s CPU over {wall:5.2f} s: {cpu / wall:.1f} cores busy{allows}")


def _breakdown(club: Path) -> None:
    """Where a squad's time goes, stage by stage, in this process (CPU seconds, one core)."""
    import io

    import matplotlib as mpl
    from matplotlib.figure import Figure

    from analysis.loaders.plan import find_plan
    from analysis.plots.charts import THEME, reused_figures
    from analysis.reassessment import reassess_squad
    from analysis.report import render
    from analysis.report.excel import athlete_workbook, write_excel
    from analysis.report.figures import report_charts
    from analysis.report.html import page
    from analysis.report.parts import report_parts

    def cpu(func):
        start = time.process_time()
        out = func()
        return out, time.process_time() - start

    from analysis.loaders.table_files import clear_workbook_cache

    clear_workbook_cache()  # the runs above read this workbook: time a fresh read
    items = [str(club)]
    log, t_read = cpu(lambda: render._read(items))
    _, t_plan = cpu(lambda: (find_plan(items, program_start=log.sets["date"].min()), render._tests(items)))
    squad, t_judge = cpu(lambda: reassess_squad(log.sets, log.runs, weeks=4, bodyweight=log.bodyweight))
    t_charts = t_page = t_xlsx = t_bare_xlsx = chart_floor = 0.0
    panels = 0
    mpl.rcParams.update(THEME)
    with tempfile.TemporaryDirectory() as tmp, reused_figures():
        for r in squad.values():
            charts, took = cpu(lambda r=r: report_charts(r))
            t_charts += took
            counts = [base64.b64decode(c.uri.split(",", 1)[1]).count(b'id="axes_') for c in charts]
            panels += sum(counts)
            chart_floor += sum(_empty_figure(k) for k in counts)
            _, took = cpu(lambda r=r, charts=charts: page(report_parts(r, charts=charts, files=items)))
            t_page += took
            sheets = athlete_workbook(r)
            _, took = cpu(lambda sheets=sheets: write_excel(sheets, Path(tmp) / "a.xlsx"))
            t_xlsx += took
            _, took = cpu(lambda sheets=sheets: _bare_openpyxl(sheets, Path(tmp) / "b.xlsx"))
            t_bare_xlsx += took

    def floor_figure() -> float:  # matplotlib's least: one empty panel saved as SVG
        fig = Figure(figsize=(6, 3))
        fig.add_subplot().plot([0, 1], [0, 1])
        start = time.process_time()
        fig.savefig(io.BytesIO(), format="svg")
        return time.process_time() - start

    floor_figure()
    empty = statistics.median(floor_figure() for _ in range(9))
    n = len(squad)
    print(f"Where a squad of {n} spends its time (CPU seconds in one process; the report's workers share "
          "the drawing and the Excel files over the cores)")
    for label, took in (("read the club workbook", t_read), ("plan and test days", t_plan),
                        ("judge (reassess_squad)", t_judge), ("charts", t_charts),
                        ("page (parts + HTML)", t_page), ("Excel files", t_xlsx)):  # fmt: skip
        print(f"  {label:38s} {took:6.2f} s" + (f"   {took / n * 1000:5.0f} ms per athlete" if label in (
            "charts", "page (parts + HTML)", "Excel files") else ""))  # fmt: skip
    print(f"  {'matplotlib floor: one empty panel as SVG':38s} {empty * 1000:6.0f} ms")
    # the libraries' least for what a squad draws and writes: each chart as a figure of as many
    # empty panels, saved as SVG, and its cells written by openpyxl with no styles, over the cores
    # after the serial part
    cores = os.cpu_count() or 1
    per_athlete = (chart_floor + t_bare_xlsx) / n
    least = t_read + t_plan + t_judge + per_athlete * n / cores
    print(f"  {'matplotlib floor: same panels, empty':38s} {chart_floor:6.2f} s   {chart_floor / n * 1000:5.0f} ms per "
          f"athlete ({panels / n:.1f} panels)")
    print(f"  {'openpyxl floor: same cells, no styles':38s} {t_bare_xlsx:6.2f} s   {t_bare_xlsx / n * 1000:5.0f} ms per athlete")
    print(f"  {'least squad with these libraries':38s} {least:6.2f} s   (serial part + {per_athlete * 1000:.0f} ms "
          f"per athlete over {cores} cores, imports not counted)")


def _least_spec(workbook: Path, athlete: str, path: Path) -> Path:
    """What ``least_report.py`` draws and writes: the panels of each of this athlete's charts and
    the cells of their Excel file as plain values, from the real report."""
    import json

    from analysis.loaders.plan import find_plan
    from analysis.reassessment import reassess
    from analysis.report import render
    from analysis.report.excel import athlete_workbook
    from analysis.report.figures import report_charts
    from analysis.report.parts import report_parts

    items = [str(workbook)]
    mine = render._read(items).for_athlete(athlete)
    plan = find_plan(items, program_start=mine.sets["date"].min())
    tests, _ = render._tests(items)
    r = reassess(mine.sets, mine.runs, athlete=athlete, weeks=4, bodyweight=mine.bodyweight, plan=plan,
                 problems=mine.problems, tests=tests)  # fmt: skip
    panels = [base64.b64decode(c.uri.split(",", 1)[1]).count(b'id="axes_') for c in report_charts(r)]
    sheets = {}
    for title, sheet in athlete_workbook(r, report_parts(r, files=items)).items():
        frame = sheet.frame
        rows = frame.astype(object).where(frame.notna(), None).values.tolist()
        sheets[title] = [[str(c) for c in frame.columns]] + [
            [v if isinstance(v, str | int | float | bool) or v is None else str(v) for v in row] for row in rows
        ]
    path.write_text(json.dumps({"panels": panels, "sheets": sheets}), encoding="utf-8")
    return path


_EMPTY: dict[int, float] = {}


def _empty_figure(panels: int) -> float:
    """CPU seconds to save a figure of ``panels`` empty panels (rows of 3) as SVG; median of 5."""
    if panels not in _EMPTY:
        import io

        from matplotlib.figure import Figure

        def once() -> float:
            fig = Figure(figsize=(10, 2.4 * ((panels + 2) // 3)))
            for i in range(panels):
                fig.add_subplot((panels + 2) // 3, min(3, panels), i + 1)
            start = time.process_time()
            fig.savefig(io.BytesIO(), format="svg")
            return time.process_time() - start

        once()
        _EMPTY[panels] = statistics.median(once() for _ in range(5))
    return _EMPTY[panels]


def _bare_openpyxl(sheets: dict, path: Path) -> None:
    """openpyxl's least for a workbook: the same cells as plain values, no styles or widths."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, sheet in sheets.items():
        ws = book.create_sheet(title[:31])
        frame = sheet.frame
        ws.append([str(c) for c in frame.columns])
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            ws.append([v if isinstance(v, str | int | float | bool) or v is None else str(v) for v in row])
    book.save(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    sys.exit(main(parser.parse_args().repeat))

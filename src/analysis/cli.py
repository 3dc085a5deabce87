"""The ``liftpace`` command: ``check``, ``report``, ``squad`` and ``sample``.

Exit codes: 0 success (problems allowed), 1 the input could not be used, 2 usage error
(141 when the output pipe was closed early, e.g. ``liftpace check x.xlsx | head``).
A user error prints one message naming the file; never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NoReturn

from analysis.errors import LiftpaceError

EXIT_OK, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a tool whose reader went away


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"liftpace: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _add_load_options(p: argparse.ArgumentParser, *, assign: bool = False) -> None:
    if assign:
        p.add_argument("paths", nargs="+", metavar="PATH[=ATHLETE]",
                       help="log files: CSV, xlsx, app exports, GPX/TCX/FIT; PATH=ATHLETE says whose a "
                            "file is when it names no athlete (e.g. Activities.csv=Mia)")
    else:
        p.add_argument("paths", nargs="+", metavar="PATH", help="log files: CSV, xlsx, app exports, GPX/TCX/FIT")
    p.add_argument("--weight-unit", choices=["kg", "lb"], help="unit of weights where the file does not say")
    p.add_argument("--distance-unit", choices=["km", "mi"], help="unit of run distances where the file does not say")
    p.add_argument("--timezone", metavar="TZ", help="IANA zone for UTC sources, e.g. Europe/London")
    p.add_argument("--dayfirst", action=argparse.BooleanOptionalAction, default=None,
                   help="read ambiguous 03/09/2026 dates day-first (default: decided per file)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="liftpace", description="Reassess a runner's strength training from their logs.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="show what loaded and what did not, row by row",
                       description="Load the files and print, per file, the format recognised, sets, runs, "
                                   "athletes, dates, and every problem with its file, sheet, row, column and value.")
    _add_load_options(c)
    c.add_argument("--athlete", help="athlete of files that name none (default: the file name)")
    c.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    c.add_argument("--max-problems", type=int, default=50, metavar="N", help="problems listed in the summary (default 50)")

    r = sub.add_parser("report", help="write one athlete's HTML and Excel reassessment",
                       description="Reassess one athlete and write DIR/<athlete>-<end>.html and .xlsx. "
                                   "Files that name no athlete are read as the athlete's.")
    _add_load_options(r, assign=True)
    r.add_argument("--athlete", required=True, help="the athlete to report on (case does not matter)")
    r.add_argument("--weeks", type=int, choices=[4, 5, 6], default=4, help="block length in weeks (default 4)")
    r.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the block (default: last logged date)")
    r.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    r.add_argument("--phases", metavar="DATE=PHASE,...", type=_phases_option,
                   help="the plan's phases by start date, e.g. 2026-09-01=foundation,2026-10-13=strength,"
                        "2026-11-24=power (default: the Plan sheet's Phase row, else inferred from the sets)")

    s = sub.add_parser("squad", help="write every athlete's report and the squad page",
                       description="Reports for all athletes in the files over the same blocks, plus "
                                   "DIR/index.html (who needs attention first) and the squad's Excel file. "
                                   "A file that names no athlete is given to no one unless PATH=ATHLETE says whose it is.")
    _add_load_options(s, assign=True)
    s.add_argument("--weeks", type=int, choices=[4, 5, 6], default=4, help="block length in weeks (default 4)")
    s.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the block (default: last logged date)")
    s.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    s.add_argument("--phases", metavar="DATE=PHASE,...", type=_phases_option,
                   help="the plan's phases by start date, e.g. 2026-09-01=foundation,2026-10-13=strength,"
                        "2026-11-24=power (default: the Plan sheet's Phase row, else inferred from the sets)")
    s.add_argument("--engine", choices=["pandas", "dask"], default="pandas",
                   help="pandas: in this process (default); dask: files and athletes spread over a Dask "
                        "cluster (pip install 'liftpace[scale]')")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running Dask scheduler (tcp://host:8786); default: a local "
                        "cluster sized to this machine")

    g = sub.add_parser("sample", help="write the sample logs (or big generated logs for benchmarks)",
                       description="Without --athletes/--weeks: the committed sample set (coach workbook, runner "
                                   "CSVs, a messy workbook, manifest). With them: a generated squad as canonical "
                                   "squad_sets.csv and squad_runs.csv.")
    g.add_argument("--out", required=True, metavar="DIR", help="output folder")
    g.add_argument("--athletes", type=int, help="athletes in a generated squad (e.g. 100)")
    g.add_argument("--weeks", type=int, help="weeks in a generated squad (e.g. 104)")
    g.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    g.add_argument("--xlsx-rows", type=int, help="also write the first N sets as squad_sets.xlsx")
    return parser


def _version() -> str:
    from analysis import __version__

    return f"liftpace {__version__}"


def _load(args: argparse.Namespace, *, errors: Literal["raise", "report"] = "report"):
    from analysis import read_logs

    return read_logs(*args.paths, weight_unit=args.weight_unit, distance_unit=args.distance_unit,
                     timezone=args.timezone, athlete=getattr(args, "athlete", None) if args.command == "check" else None,
                     dayfirst=args.dayfirst, errors=errors)


def _tty(value: object) -> str:
    """Text from a file, safe to print: control and bidi characters escaped (``\\x1b``)."""
    from analysis.loaders.base import escape_controls

    return escape_controls(str(value))


#: Characters JSON leaves as they are but a terminal acts on (C1 controls, bidi overrides).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json(obj: object) -> str:
    """``obj`` as JSON for a terminal: json escapes C0 controls; the other unsafe ones too."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _fmt_date(ts) -> str | None:
    import pandas as pd

    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _check(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import catalog

    log = _load(args)
    usable = len(log.sets) + len(log.runs) + len(log.bodyweight)
    dates = pd.concat([log.sets["date"], log.runs["date"]]).dropna()
    first, last = (_fmt_date(dates.min()), _fmt_date(dates.max())) if len(dates) else (None, None)
    files = [{"path": f["path"], "format": f["format"], "sets": f["sets"], "runs": f["runs"],
              "problems": f["problems"], "skipped": f["skipped"], "removed": f.get("removed", {})}
             for f in log.files]
    problems = log.problems.astype(object).where(log.problems.notna(), None).to_dict(orient="records")
    for p in problems:
        if p["source_row"] is not None:
            p["source_row"] = int(p["source_row"])
    if args.json:
        if usable == 0:
            msg = "; ".join(_nothing_loaded(log))
            print(_json({"error": msg, "files": files, "problems": problems}))
            return EXIT_UNUSABLE
        print(_json({"files": files, "sets": len(log.sets), "runs": len(log.runs), "problems": problems,
                     "athletes": log.athletes, "first_date": first, "last_date": last}))
        return EXIT_OK
    out = sys.stdout
    for f in log.files:  # every piece of text from a file goes through _tty
        name = _tty(Path(f["path"]).name)
        if f["error"]:
            print(f"{name}: NOT LOADED - {_tty(f['error'])}", file=out)
            continue
        skipped = ", ".join(f"{n} {_tty(r)}" for r, n in f["skipped"].items()) or "none"
        removed = "".join(f"; {n} sets removed: {_tty(r)}" for r, n in f.get("removed", {}).items())
        print(f"{name}: {_tty(f['format'])} - {f['sets']} sets, {f['runs']} runs, "
              f"{f['problems']} problems; skipped rows: {skipped}{removed}", file=out)
    if usable == 0:
        # a programme's own problem line says what it is: no second line for it
        errored = {Path(f["path"]).name for f in log.files if f.get("error")}  # said on their own line above
        lines = [line for line in _nothing_loaded(log)
                 if ": a training programme (" not in line and line.split(": ", 1)[0] not in errored]
        print("Nothing usable could be loaded" + (":" if lines else "."), file=out)
        for line in lines:
            print(f"  {line}", file=out)
        _print_problems(log.problems, args.max_problems)
        return EXIT_UNUSABLE
    print(f"\nAthletes: {', '.join(_tty(a) for a in log.athletes)}", file=out)
    print(f"Dates: {first} to {last}", file=out)
    if len(log.sets):
        info = catalog.attach_info(log.sets[["exercise", "side", "load_kg", "duration_s"]])
        by_pattern = info.groupby("pattern")["exercise"].agg(lambda s: ", ".join(sorted(s.unique())))
        print("Exercises by pattern:", file=out)
        for pattern, names in by_pattern.items():
            print(f"  {_tty(pattern)}: {_tty(names)}", file=out)
    _print_problems(log.problems, args.max_problems)
    return EXIT_OK


def _nothing_loaded(log) -> list[str]:
    """Why each file gave nothing, one line per file, each naming it: its error, else what its rows
    were (skipped classes) and the first thing dropped or noted."""
    lines = []
    for f in log.files:
        name = Path(f["path"]).name
        if f.get("error"):
            message = str(f["error"])
            lines.append(message if message.startswith(name) else f"{name}: {message}")
            continue
        if f["sets"] or f["runs"] or f.get("bodyweight"):
            continue
        if f["skipped"].get("programme (no dates)"):
            lines.append(f"{name}: a training programme ({f['skipped']['programme (no dates)']} exercise rows without "
                         "dates), not a log of training done; it is offered as the plan (find_plan)")
            continue
        why = [f"{n} {reason}" for reason, n in f["skipped"].items()]
        mine = log.problems[log.problems["source_file"] == name]
        for action in ("dropped", "kept"):
            first = mine[mine["action"] == action]
            if len(first) and not why:
                why.append(str(first["problem"].iloc[0]))
        lines.append(f"{name}: nothing loaded ({'; '.join(why) or 'no rows'})")
    return lines or ["no sets, runs or bodyweight could be loaded from the files"]


def _print_problems(problems, limit: int) -> None:
    if problems.empty:
        print("\nNo problems.")
        return
    counts = problems["action"].value_counts().to_dict()
    print(f"\nProblems: {len(problems)} ({', '.join(f'{n} {a}' for a, n in counts.items())})")
    import pandas as pd

    for row in problems.head(limit).astype(object).itertuples(index=False):
        where = _tty(row.source_file)
        if not pd.isna(row.source_sheet):
            where += f", sheet '{_tty(row.source_sheet)}'"
        if not pd.isna(row.source_row):
            where += f", row {row.source_row}"
        col = "" if pd.isna(row.column) else f", column '{_tty(row.column)}'"
        val = "" if pd.isna(row.value) else f", value '{_tty(row.value)}'"
        print(f"  {where}{col}{val}: {_tty(row.problem)} [{row.action}]")
    if len(problems) > limit:
        print(f"  ... and {len(problems) - limit} more (use --json for all of them)")


def _phases_option(text: str) -> str:
    """``--phases`` checked while the arguments are parsed: a bad one is a usage error (exit 2)."""
    from analysis.phases import parse_phases

    try:
        parse_phases(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _report_options(args: argparse.Namespace) -> dict:
    from analysis.loaders.log import split_assignments

    paths, athletes = split_assignments(args.paths)
    return {"paths": paths, "athletes": athletes, "weeks": args.weeks, "end": args.end, "out": args.out,
            "weight_unit": args.weight_unit, "distance_unit": args.distance_unit, "timezone": args.timezone,
            "dayfirst": args.dayfirst, "phases": args.phases}


def _shown(path: Path) -> str:
    return os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _report(args: argparse.Namespace) -> int:
    from analysis import report

    html, xlsx = report.render_report(athlete=args.athlete, **_report_options(args))
    print(f"wrote {_shown(html)}\nwrote {_shown(xlsx)}")
    return EXIT_OK


def _squad(args: argparse.Namespace) -> int:
    from analysis import report

    if args.engine == "dask":  # Dask is imported only here
        from analysis.report.dask_engine import render_squad_dask

        done = render_squad_dask(scheduler=args.scheduler, **_report_options(args))
    else:
        done = report.render_squad(progress=sys.stderr.isatty(), **_report_options(args))
    for p in done.paths:
        print(f"wrote {_shown(p)}")
    for line in done.unassigned:
        print(f"liftpace: {_plain(line)}", file=sys.stderr)
    for name, message in done.failures.items():
        print(f"liftpace: no report for {_plain(name)}: {_plain(message)}", file=sys.stderr)
    return EXIT_UNUSABLE if done.failures else EXIT_OK


def _sample(args: argparse.Namespace) -> int:
    from analysis import sample

    out = Path(args.out)
    if args.athletes is None and args.weeks is None:
        written = sample.write_samples(out, seed=args.seed)
    else:
        written = sample.write_squad(out, athletes=args.athletes or 100, weeks=args.weeks or 104,
                                     seed=args.seed, xlsx_rows=args.xlsx_rows)
    for p in written:
        print(f"wrote {p}")
    return EXIT_OK


def _plain(text: str) -> str:
    """A message for the terminal: each line through :func:`_tty`, the line breaks kept."""
    return "\n".join(_tty(line) for line in text.split("\n"))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``liftpace`` console script."""
    for stream in (sys.stdout, sys.stderr):  # a name the terminal cannot show is escaped, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "scheduler", None) and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    handlers = {"check": _check, "report": _report, "squad": _squad, "sample": _sample}
    try:
        return handlers[args.command](args)
    except LiftpaceError as exc:
        print(f"liftpace: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_UNUSABLE
    except ValueError as exc:  # bad option values reaching the API
        print(f"liftpace: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if args.command == "sample":
            raise
        # people run these on files they do not trust: one line, never a traceback
        first = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(
            f"liftpace: unexpected error in {args.command} ({type(exc).__name__}: {_plain(first)}). This is a bug "
            "in liftpace; please report it together with the files.",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE


def run() -> NoReturn:
    """The ``liftpace`` command: :func:`main` with the imported modules out of the garbage
    collector's reach, and exit without the interpreter's last collection.

    Python's cyclic collector walks every object it tracks: pandas, pyarrow and scipy's
    modules are ~200k of them. They are imported here with the collector paused (it ran ~30
    times over them while they were made: 60-70 ms of every command's start; ``import
    analysis`` imports no pandas, so they are made here), then :func:`gc.freeze` moves them
    out of its reach (a report's collections went 60-75 -> 15 ms, and a forked worker's
    collections no longer touch, and so copy, the pages of those objects), and again before
    exit (the interpreter's last collection took 0.1-0.2 s after the files were written and
    closed).
    Frozen objects are still released and ``atexit`` handlers still run. :func:`main` alone is
    what tests and callers use: it freezes nothing.
    """
    gc.disable()
    try:  # what every command uses; objects made by imports live as long as the process
        import analysis.loaders
        import analysis.reassessment  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()

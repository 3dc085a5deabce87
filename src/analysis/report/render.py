"""``liftpace report`` and ``liftpace squad``: reports rendered in this process, written safely.

One athlete (:func:`render_report`) or a whole squad (:func:`render_squad`): the logs are read
once, every table is computed once (:func:`analysis.reassessment.reassess_squad` for a squad),
and each athlete's HTML page and Excel file are rendered from their
:class:`~analysis.reassessment.Reassessment` (:mod:`.parts`, :mod:`.figures`, :mod:`.html`,
:mod:`.excel`). No notebook kernel is started.

Privacy
    Each athlete's files hold that athlete's rows alone: their sets, runs and bodyweight, and
    only the problem rows traced to them (:meth:`analysis.TrainingLog.for_athlete`). In a
    squad, a file that names no athlete is read as no one's unless the command says whose it
    is (``Activities.csv=Mia``); the squad page says so.
Writes
    Every file is written to a new temporary file in the output folder and renamed over the
    target, so a reader never sees half a report and a planted symlink at the target is
    replaced, never followed. An athlete's HTML and Excel file are renamed together after
    both were written. File names are slugs (:func:`slug`) and stay in the output folder.
Failures
    One athlete's failure never stops the squad: the others are written, the squad page and
    the return value list the failure in one line.
One report on two cores
    :func:`render_report` forks one worker before reading (where there are two cores and
    ``fork``). The worker imports matplotlib, the charts and Jinja2 and warms up (templates
    compiled, fonts and the SVG backend loaded) while this process reads the logs and judges
    the block. As soon as the plan is read, this process sends the worker the athlete's rows:
    the worker computes the tables the charts draw
    (:func:`analysis.reassessment.chart_tables`, the same calls as the reassessment) and draws
    them while this process computes the whole reassessment; then the worker adds the
    strength-pace chart if there is one and renders the page while this process writes the
    Excel file. matplotlib is never imported here. A worker that dies or cannot
    take the task leaves the drawing to this process; an error of the drawing is raised as
    in one process. The files are the same either way (tested).
Squads on every core
    :func:`render_squad` judges the whole squad here, then forks workers that inherit the
    reassessments and draw and write each athlete's files while this process builds the squad
    page (verdict strips, triage) and its workbook; when the last athlete is done only the
    links to the reports that were written are filled in and the two files written.
The garbage collector and forked workers
    What a worker inherits is frozen for its fork (:func:`gc.freeze`, CPython's advice for
    ``fork`` without ``exec``; given back after the fork unless the process had frozen objects
    already, as the ``liftpace`` command has), and a worker's imports and warm-up run with the
    collector paused and are frozen after: a collection in a worker walked, and so copied, every
    page of the logs and the reassessments, and the first athlete's drawing spent 0.15 s in
    collections. Squad of 30 A/B: 9.25 -> 8.8 s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import LiftpaceError, LogFormatError
from analysis.periods import parse_day

__all__ = [
    "SquadReport",
    "match_athlete",
    "render_report",
    "render_squad",
    "slug",
    "write_files",
]

_LETTERS = str.maketrans(  # letters NFKD does not decompose to ASCII
    dict(zip("ßæÆøØœŒłŁđĐðÐþÞı", "ss ae AE o O oe OE l L d D d D th TH i".split(), strict=True))
)


def slug(name: str) -> str:
    """A safe, lower-case ASCII file stem for a name ("Ana López" -> "ana-lopez").

    Accents are folded, anything else that is not a letter or digit (path separators too)
    becomes one ``-``; a name with no ASCII letters gets ``athlete-`` and a stable hash.

    Parameters
    ----------
    name : str
        Athlete (or squad) name.

    Returns
    -------
    str
        At most 80 characters of ``[a-z0-9-]``.

    Examples
    --------
    >>> slug("Ana López"), slug("../x/Ben  O'Neil")
    ('ana-lopez', 'x-ben-o-neil')
    """
    folded = unicodedata.normalize("NFKD", str(name).translate(_LETTERS))
    folded = folded.encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:80].strip("-")
    if not stem:
        digest = hashlib.sha1(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        stem = "athlete-" + digest
    return stem


# --- arguments ----------------------------------------------------------------------------------


def _weeks(weeks: Any) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or not 4 <= weeks <= 6:
        raise LiftpaceError(f"expected weeks to be 4, 5 or 6, got {weeks!r} instead")
    return int(weeks)


def _iso_day(end: str | date | None) -> str | None:
    if end is None:
        return None
    try:
        return parse_day(end, "end").strftime("%Y-%m-%d")
    except ValueError as exc:
        raise LiftpaceError(str(exc)) from None


def _paths(paths: str | Path | Iterable[str | Path]) -> list[str]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise LiftpaceError("expected at least one log file, got none instead")
    missing = [str(p) for p in items if not Path(p).expanduser().exists()]
    if missing:
        raise LiftpaceError(f"expected existing log files, got missing {missing} instead")
    return [str(Path(p).expanduser()) for p in items]


def match_athlete(given: str, names: Iterable[str]) -> str:
    """The athlete ``given`` means: an exact name, else the one name equal ignoring case.

    Raises
    ------
    LiftpaceError
        One line naming the closest names ("did you mean") and every athlete in the files.

    Examples
    --------
    >>> match_athlete("ana lopez", ["Ana Lopez", "Ben Carter"])
    'Ana Lopez'
    >>> match_athlete("Ana Lopes", ["Ana Lopez", "Ben Carter"])
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: no athlete 'Ana Lopes' in the files; did you mean 'Ana Lopez'? (athletes: Ana Lopez, Ben Carter)
    """
    known = sorted(set(names))
    if given in known:
        return given
    folded = [n for n in known if n.casefold() == given.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    close = difflib.get_close_matches(given.casefold(), [n.casefold() for n in known], n=2, cutoff=0.6)
    by_fold = {n.casefold(): n for n in known}
    hint = ""
    if close:
        hint = "; did you mean " + " or ".join(repr(by_fold[c]) for c in close) + "?"
    listed = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    raise LiftpaceError(f"no athlete {given!r} in the files{hint} (athletes: {listed or 'none'})")


# --- safe writes --------------------------------------------------------------------------------


def _folder(out: str | Path) -> Path:
    folder = Path(out).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LiftpaceError(f"could not create the output folder {folder}: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise LiftpaceError(f"expected an output folder, got {folder} which is not a folder")
    return folder.resolve()


def write_files(folder: Path, files: Mapping[str, Callable[[Path], Any]]) -> list[Path]:
    """Write several files into ``folder`` atomically, together (module docstring, Writes).

    Parameters
    ----------
    folder : pathlib.Path
        The output folder (exists).
    files : mapping of str to callable
        File name (a plain name: no folder part) -> function that writes the file's content
        to the path it is given.

    Returns
    -------
    list of pathlib.Path
        The targets, in order.

    Raises
    ------
    LiftpaceError
        A name that is not a plain file name, or a write that failed (one line; nothing is
        left behind and no target was replaced).
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for name, write in files.items():
            if Path(name).name != name or name in ("", ".", ".."):
                raise LiftpaceError(f"expected a plain file name for an output, got {name!r} instead")
            target = folder / name
            if target.is_dir() and not target.is_symlink():
                raise LiftpaceError(f"could not write {target}: a folder of that name is in the way")
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
            os.close(fd)
            temps.append((Path(tmp_name), target))
            write(Path(tmp_name))
            Path(tmp_name).chmod(_FILE_MODE)  # mkstemp's 0600 would keep the report from its readers
        for tmp, target in temps:
            tmp.replace(target)  # replaces a symlink itself, never what it points to
    except OSError as exc:
        raise LiftpaceError(f"could not write to {folder}: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
    return [target for _, target in temps]


def _file_mode() -> int:
    """The mode a new file gets here (0666 less the umask), as ``open`` would give it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8", errors="replace")

    return write


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def _excel_writer(sheets: Mapping[str, Any], parameters: Mapping[str, Any]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        from analysis.report.excel import write_excel

        write_excel(sheets, path, parameters=parameters)

    return write


# --- one athlete --------------------------------------------------------------------------------


def _about(r: Any, files: Iterable[str]) -> dict[str, Any]:
    p = r.params
    keep = ("athlete", "weeks", "end", "previous_start", "current_start", "target_per_week",
            "threshold_pct", "formula")  # fmt: skip
    return {**{k: p[k] for k in keep if k in p}, "files": sorted({Path(f).name for f in files})}


def _read(paths: list[str], **options: Any) -> Any:
    from analysis import read_logs

    return read_logs(*paths, errors="report", **options)


def render_report(
    paths: str | Path | Iterable[str | Path],
    *,
    athlete: str,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    weight_unit: str | None = None,
    distance_unit: str | None = None,
    timezone: str | None = None,
    dayfirst: bool | None = None,
    athletes: Mapping[str, str] | None = None,
    phases: str | Mapping[Any, str] | None = None,
    jobs: int | None = None,
) -> tuple[Path, Path]:
    """Render one athlete's reassessment: ``out/<slug>-<end>.html`` and ``.xlsx``.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (must exist). Files that name no athlete (a runner's app exports) are read
        as ``athlete``'s.
    athlete : str
        The athlete, as in the logs; matched ignoring case (:func:`match_athlete`).
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block, ``YYYY-MM-DD``; None: the athlete's last logged date.
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    weight_unit, distance_unit, timezone, dayfirst : default=None
        Passed to :func:`analysis.read_logs`.
    athletes : mapping of str to str, default=None
        Per-file athletes (``{"Activities.csv": "Mia"}``), as ``read_logs(athletes=)``.
    phases : str or mapping, default=None
        The plan's phases by start date (``"2026-09-01=foundation,2026-10-13=strength"``,
        :func:`analysis.phases.parse_phases`); None: from the Plan sheet's Phase row, else
        inferred from the sets and said so.
    jobs : int, default=None
        2: a forked process imports the drawing stack while this one reads and judges, then
        draws the charts and the page while this one writes the Excel file (module docstring,
        One report on two cores); 1: all in this process. None: 2 where there are two cores
        and ``fork``, else 1.

    Returns
    -------
    tuple of pathlib.Path
        The HTML report and the Excel file.

    Raises
    ------
    LiftpaceError
        Bad arguments (no or missing files, weeks not 4-6, end not YYYY-MM-DD, empty
        athlete), an athlete not in the files (with "did you mean"), an athlete without
        strength sets, or a write that failed.

    Examples
    --------
    >>> render_report([], athlete="Ana Lopez")
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected at least one log file, got none instead
    """
    if not isinstance(athlete, str) or not athlete.strip():
        raise LiftpaceError(f"expected an athlete name, got {athlete!r} instead")
    items, n_weeks, end_day = _paths(paths), _weeks(weeks), _iso_day(end)
    given_phases = _phases(phases)
    folder = _folder(out)
    given = athlete.strip()
    with _page_worker(_jobs(jobs, 2)) as draw:
        return _report(draw, folder, items, given, athletes, n_weeks, end_day, given_phases,
                       {"weight_unit": weight_unit, "distance_unit": distance_unit, "timezone": timezone,
                        "dayfirst": dayfirst})  # fmt: skip


def _report(draw: _Pages, folder: Path, items: list[str], given: str,
            athletes: Mapping[str, str] | None, n_weeks: int, end_day: str | None, given_phases: Any,
            options: dict[str, Any]) -> tuple[Path, Path]:  # fmt: skip
    from analysis.loaders.plan import find_plan
    from analysis.reassessment import reassess

    log = _read(items, athlete=given, athletes=athletes, **options)
    merged = _merge_case(log, [given, *(athletes or {}).values()])
    name = merged.get(given) or match_athlete(given, log.athletes)
    with_sets = sorted(log.sets["athlete"].dropna().unique())
    if name not in with_sets:
        raise LiftpaceError(f"{name!r} has no strength sets in these files, so there is nothing to reassess"
                            + (f" (athletes with sets: {', '.join(with_sets)})" if with_sets else ""))  # fmt: skip
    mine = log.for_athlete(name)
    plan = find_plan(items, program_start=mine.sets["date"].min()) if len(mine.sets) else None
    # the charts' tables need the plan, not the test days: the worker starts on them now
    draw.start({"sets": mine.sets, "runs": mine.runs, "athlete": name, "weeks": n_weeks, "end": end_day,
                "bodyweight": mine.bodyweight, "plan": plan, "phases": given_phases})  # fmt: skip
    tests, _ = _tests(items)
    try:
        r = reassess(mine.sets, mine.runs, athlete=name, weeks=n_weeks, end=end_day,
                     bodyweight=mine.bodyweight, plan=plan, problems=mine.problems,
                     phases=given_phases, tests=tests)  # fmt: skip
    except ValueError as exc:
        raise LiftpaceError(str(exc)) from None
    from analysis.report.excel import athlete_workbook
    from analysis.report.parts import report_parts

    files = [Path(f["path"]).name for f in mine.files]
    html = draw(r, files)  # the charts and the page, in the worker when there is one
    end = r.params["end"]
    xlsx_path, html_path = write_files(folder, {  # the Excel file first: it is written while the worker draws
        f"{slug(name)}-{end}.xlsx": _excel_writer(athlete_workbook(r, report_parts(r, files=files)), _about(r, files)),
        f"{slug(name)}-{end}.html": lambda path: _text_writer(html())(path),
    })  # fmt: skip
    return html_path, xlsx_path


def _page(r: Any, files: list[str]) -> str:
    """One athlete's HTML page: the charts (those drawn early for this very block, if any), the
    parts, the template."""
    from analysis.report.figures import association_charts, report_charts
    from analysis.report.html import page
    from analysis.report.parts import report_parts

    early, _EARLY[:] = _EARLY[:1], []
    if early and early[0][0] == _chart_key(r.params):
        charts = early[0][1] + association_charts(r)
    else:
        charts = report_charts(r)
    return page(report_parts(r, charts=charts, files=files))


#: In a page worker: ``(key, charts)`` drawn from :func:`analysis.reassessment.chart_tables` for
#: the page that follows (:func:`_draw_early`); the page takes them if its block is the same.
_EARLY: list[tuple[tuple, list]] = []


def _chart_key(params: Mapping[str, Any]) -> tuple:
    """What the charts depend on among a reassessment's params: the same for the early tables."""
    return tuple(params.get(k) for k in ("athlete", "weeks", "end", "previous_start", "current_start",
                                          "threshold_pct", "formula", "n_sets", "n_runs", "phase"))


def _draw_early(inputs: dict[str, Any]) -> None:
    """In the page worker, while the first process judges: the charts' tables and the charts.
    Any error leaves the page to draw every chart from the reassessment, as without this step."""
    from analysis.reassessment import chart_tables
    from analysis.report.figures import drawn_charts

    _EARLY.clear()
    try:
        tables = chart_tables(**inputs)
        _EARLY.append((_chart_key(tables.params), drawn_charts(tables)))
    except Exception:  # the first process's reassessment reports the same error, or draws anew
        _EARLY.clear()


def _page_or_error(r: Any, files: list[str]) -> tuple[bool, Any]:
    """In the worker: ``(True, page)``, or ``(False, error)`` for the caller to raise as its own."""
    try:
        return True, _page(r, files)
    except Exception as exc:
        try:
            pickle.dumps(exc)
        except Exception:
            exc = LiftpaceError(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}")
        return False, exc


def _warm_worker() -> None:
    """A worker (one report's, or each of a squad's) imports the drawing stack (matplotlib, the
    charts, Jinja2) on start and warms it up (:func:`_warm_page`).

    matplotlib is imported here only: the parent never pays for it. The worker is this
    package's own process: its imports and warm-up run with the garbage collector paused and
    are frozen after (:func:`gc.freeze`), so the drawing's collections never walk them.
    """
    import gc

    gc.disable()  # what the warm-up makes lives as long as the worker: no collection over it
    try:
        import matplotlib

        matplotlib.use("Agg")  # the worker never touches a GUI backend
        _worker_start()
        import analysis.report.figures
        import analysis.report.parts  # noqa: F401

        _warm_page()
    finally:
        gc.freeze()
        gc.enable()


def _warm_page() -> None:
    """What a process pays once, before its first page: the templates compiled, the stylesheet
    read, and one themed chart drawn and saved as SVG (the SVG backend, the fonts and their
    metrics loaded). A page worker does this while the reassessment is still being computed;
    it took a third of the first page's time."""
    from matplotlib.figure import Figure

    from analysis.report.figures import svg_uri
    from analysis.report.html import warm_templates

    warm_templates()
    fig = Figure(figsize=(3.0, 2.0))  # not a reused figure: nothing of it reaches a report
    ax = fig.add_subplot()
    ax.plot([0.0, 1.0], [0.0, 1.0], marker="o", label="left side")
    ax.set_title("Warm-up")
    ax.set_ylabel("e1RM (kg)")
    fig.legend(loc="lower center", frameon=False)
    svg_uri(fig)


class _Pages:
    """The page of one report: ``start(inputs)`` lets a worker draw the charts early (from the
    inputs of :func:`analysis.reassessment.chart_tables`); ``draw(r, files)`` starts the page of
    ``r`` and returns a function that waits for it. Without a worker both run here, in order."""

    def __init__(self, pool: Any = None) -> None:
        self.pool = pool

    def start(self, inputs: dict[str, Any]) -> None:
        if self.pool is None:
            return  # one process: the page draws every chart from the reassessment
        from concurrent.futures.process import BrokenProcessPool

        try:
            self.pool.submit(_draw_early, inputs)
        except (BrokenProcessPool, RuntimeError, OSError, pickle.PicklingError):
            pass  # the page draws every chart

    def __call__(self, r: Any, files: list[str]) -> Callable[[], str]:
        if self.pool is None:
            return lambda: _page(r, files)
        from concurrent.futures.process import BrokenProcessPool

        try:
            future = self.pool.submit(_page_or_error, r, files)
        except (BrokenProcessPool, RuntimeError, OSError):
            return lambda: _page(r, files)

        def wait() -> str:
            try:
                ok, value = future.result()
            except Exception:  # the worker, not the drawing, failed (died, could not pickle)
                return _page(r, files)
            if not ok:
                raise value
            return value

        return wait


@contextlib.contextmanager
def _page_worker(jobs: int) -> Iterator[_Pages]:
    """The pages of a report (:class:`_Pages`), drawn in a forked worker with ``jobs`` 2.

    The worker starts now and imports the drawing stack while the caller reads and judges; the
    charts and the page are drawn there. A worker that dies or cannot start leaves the drawing
    to this process; an error of the drawing itself is raised here, as in one process.
    """
    if jobs < 2:
        yield _Pages()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_warm_worker)  # fmt: skip
    try:
        pool.submit(int)  # starts the worker: its imports run while this process reads
        yield _Pages(pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _tests(items: list[str]) -> tuple[Any, Any]:
    """The test days of the first workbook with a Tests sheet, and their problems; a workbook the
    guards refuse is reported by ``read_logs``, so here it gives no tests."""
    from analysis.loaders.tests import find_tests

    try:
        return find_tests(items)
    except LogFormatError:
        return None, None


def _phases(phases: str | Mapping[Any, str] | None) -> str | Mapping[Any, str] | None:
    """Given phases checked before any work: a bad date or phase word is one clear message."""
    from analysis.phases import parse_phases

    if phases is None or (isinstance(phases, str) and not phases.strip()):
        return None
    try:
        parse_phases(phases)
    except ValueError as exc:
        raise LiftpaceError(f"phases: {exc}") from None
    return phases


def _merge_case(log: Any, given: Iterable[str]) -> dict[str, str]:
    """Rows named as typed (``ana lopez``) become the files' spelling (``Ana Lopez``).

    Only when exactly one other athlete in the files has the same name ignoring case.
    Returns ``{typed: files' spelling}`` for the names it merged.
    """
    merged: dict[str, str] = {}
    names = log.athletes
    for typed in {str(g).strip() for g in given if g}:
        twins = [n for n in names if n != typed and n.casefold() == typed.casefold()]
        if len(twins) == 1:
            merged[typed] = twins[0]
            for frame in (log.sets, log.runs, log.bodyweight):
                frame.loc[(frame["athlete"] == typed).fillna(False).to_numpy(dtype=bool), "athlete"] = twins[0]
    return merged


# --- a squad ------------------------------------------------------------------------------------


@dataclass
class SquadReport:
    """What :func:`render_squad` wrote: the squad page and file, each athlete's two files."""

    index: Path
    xlsx: Path
    athletes: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    unassigned: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [self.index, self.xlsx, *(p for pair in self.athletes.values() for p in pair)]


def _stems(names: Iterable[str]) -> dict[str, str]:
    stems: dict[str, str] = {}
    used = {"index", "squad"}
    for name in names:
        stem, k = slug(name), 1
        while (stem if k == 1 else f"{stem}-{k}") in used:
            k += 1
        stems[name] = stem if k == 1 else f"{stem}-{k}"
        used.add(stems[name])
    return stems


def render_squad(
    paths: str | Path | Iterable[str | Path],
    *,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    progress: bool = True,
    weight_unit: str | None = None,
    distance_unit: str | None = None,
    timezone: str | None = None,
    dayfirst: bool | None = None,
    athletes: Mapping[str, str] | None = None,
    jobs: int | None = None,
    phases: str | Mapping[Any, str] | None = None,
) -> SquadReport:
    """Render every athlete's report and the squad page, in this process, over the same blocks.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (must exist).
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block for everyone; None: the squad's last logged date.
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    progress : bool, default=True
        A progress bar on stderr naming the athlete being rendered.
    weight_unit, distance_unit, timezone, dayfirst : default=None
        Passed to :func:`analysis.read_logs`.
    athletes : mapping of str to str, default=None
        Per-file athletes (``{"Activities.csv": "Mia"}``). Rows of any other file that names
        no athlete are no one's: counted on the squad page, in no report.
    jobs : int, default=None
        Athletes' reports drawn at once, in forked worker processes (the tables are computed
        once, before); None: one per CPU core, at most 8; 1: in this process.
    phases : str or mapping, default=None
        The phases of everyone's plan by start date, as in :func:`render_report`.

    Returns
    -------
    SquadReport
        ``index.html`` and ``squad-<end>.xlsx``, then ``<athlete>-<end>.html`` and ``.xlsx``
        per athlete with strength sets (slugs that collide get ``-2``, ``-3``), the failures
        (athlete -> one line) and the unassigned files.

    Raises
    ------
    LiftpaceError
        Bad arguments, no strength sets in any file, or the squad page could not be written.
        An athlete's failure is not raised: it is in ``failures`` and on the squad page.

    Examples
    --------
    >>> render_squad(["coach.xlsx"], weeks=3)
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected existing log files, got missing ['coach.xlsx'] instead
    """
    from analysis.loaders.plan import find_plan
    from analysis.loaders.scope import files_by_athlete, owners
    from analysis.reassessment import reassess_squad
    from analysis.report.excel import excel_bytes, squad_workbook
    from analysis.report.html import render_page
    from analysis.report.parts import problems_table, report_areas
    from analysis.report.squad import squad_parts, triage_table

    items, n_weeks, end_day = _paths(paths), _weeks(weeks), _iso_day(end)
    given_phases = _phases(phases)
    folder = _folder(out)
    log = _read(items, athletes=athletes, unnamed="unassigned", weight_unit=weight_unit,
                distance_unit=distance_unit, timezone=timezone, dayfirst=dayfirst)  # fmt: skip
    _merge_case(log, list((athletes or {}).values()))
    named = log.sets[(log.sets["athlete"] != "").fillna(False).to_numpy(dtype=bool)]
    if named.empty:
        raise LiftpaceError("no strength sets of a named athlete in these files, so there is no squad to "
                            "reassess" + _unassigned_hint(log))  # fmt: skip
    runs = log.runs[(log.runs["athlete"] != "").fillna(False).to_numpy(dtype=bool)]
    owner = owners(log)
    names = sorted(named["athlete"].unique())
    problems = {n: log.problems[(owner == n).fillna(False).to_numpy(dtype=bool)] for n in names}
    plan = find_plan(items, program_start=named["date"].min())
    tests, test_problems = _tests(items)
    try:
        all_r = reassess_squad(named, runs, weeks=n_weeks, end=end_day, bodyweight=log.bodyweight,
                               plan=plan, problems=problems, phases=given_phases, tests=tests)  # fmt: skip
    except ValueError as exc:
        raise LiftpaceError(str(exc)) from None
    stems = _stems(all_r)
    files_by = files_by_athlete(log)
    jobs_ = _jobs(jobs, len(all_r))
    written: dict[str, tuple[Path, Path]] = {}
    failures: dict[str, str] = {}
    work = [(name, stems[name], sorted(files_by.get(name, ()))) for name in all_r]
    end_text = next(iter(all_r.values())).params["end"]
    planned = {n: f"{stems[n]}-{end_text}.html" for n in all_r}
    shared = log.problems[owner.isna().to_numpy(dtype=bool)]
    shared_all = log.problems
    if test_problems is not None and len(test_problems):  # a Tests sheet is the coach's: the squad page
        import pandas as pd

        shared = pd.concat([shared, test_problems], ignore_index=True)
        shared_all = pd.concat([log.problems, test_problems], ignore_index=True)
    unassigned = _unassigned_lines(log)
    about = {"weeks": n_weeks, "end": end_text, "files": sorted({Path(p).name for p in items})}
    done: dict[str, Any] = {}

    def squad_page() -> None:  # while the workers draw: all of the squad page but its links
        areas = {name: report_areas(r) for name, r in all_r.items()}  # the verdict strips
        squad = squad_parts(all_r, areas, planned, unassigned=unassigned, problems=shared)
        done["squad"] = squad
        done["xlsx"] = excel_bytes(squad_workbook(triage_table(squad), all_r, shared_all), about)
        done["problems"] = problems_table(shared)

    bar = _progress(len(work), progress)
    for name, paths_, error in _render_all(all_r, work, folder, jobs_, squad_page):
        bar.set_postfix_str(_bar_name(name), refresh=False)
        if error is None:
            written[name] = paths_
        else:
            failures[name] = error
        bar.update(1)
    bar.close()
    written = {name: written[name] for name in all_r if name in written}
    without = [f"{n}: runs only, no strength sets, so no report." for n in sorted(set(runs["athlete"]) - set(all_r))]
    without += [f"{n}: the report could not be written ({msg})." for n, msg in sorted(failures.items())]
    # the page as planned, linking only the reports that were written
    squad = dataclasses.replace(
        done["squad"], without_report=without,
        rows=[dataclasses.replace(row, href=written[row.athlete][0].name if row.athlete in written else None)
              for row in done["squad"].rows],
    )  # fmt: skip
    html = render_page("squad.html.j2", title=squad.title, s=squad, problems_table=done["problems"])
    index, xlsx = write_files(folder, {
        "index.html": _text_writer(html),
        f"squad-{end_text}.xlsx": _bytes_writer(done["xlsx"]),
    })  # fmt: skip
    return SquadReport(index, xlsx, written, failures, unassigned)


_SQUAD: dict[str, Any] = {}  # the squad's reassessments, shared with forked workers
_WORKER = contextlib.ExitStack()  # what a worker process keeps open for its lifetime


def _jobs(jobs: int | None, n: int) -> int:
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise LiftpaceError(f"expected jobs to be an integer >= 1, got {jobs!r} instead")
    if sys.platform == "win32" or "fork" not in _start_methods():
        return 1  # workers read the reassessments they inherit: fork only
    return max(1, min(jobs, n))


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    """A worker draws only the report's charts: their theme for good, no context per chart."""
    import matplotlib as mpl

    from analysis.plots.charts import THEME, reused_figures

    mpl.rcParams.update(THEME)
    _WORKER.enter_context(reused_figures())  # this process only saves figures: reuse them


def _render_one(name: str, stem: str, files: list[str], folder: Path) -> tuple[str, tuple[Path, Path] | None, str | None]:
    """One athlete's files; any error becomes one line (module docstring, Failures)."""
    from analysis.report.figures import report_charts
    from analysis.report.html import page
    from analysis.report.parts import report_parts

    r = _SQUAD[name]
    try:
        parts = report_parts(r, charts=report_charts(r), files=files)
        return name, _write_athlete(folder, stem, r, parts, files, page), None
    except Exception as exc:  # one athlete's failure never stops the squad
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        return name, None, f"{type(exc).__name__}: {first}" if not isinstance(exc, LiftpaceError) else first


def _render_all(all_r: Mapping[str, Any], work: list[tuple[str, str, list[str]]], folder: Path, jobs: int,
                meanwhile: Callable[[], None]):
    """Yield ``(name, paths, error)`` per athlete as each is done; ``meanwhile`` runs once
    in this process while the workers draw."""
    _SQUAD.clear()
    _SQUAD.update(all_r)
    try:
        if jobs == 1:
            from analysis.plots.charts import reused_figures

            meanwhile()
            with reused_figures():
                for name, stem, files in work:
                    yield _render_one(name, stem, files, folder)
            return
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        import matplotlib

        matplotlib.use("Agg")  # workers never touch a GUI backend
        context = multiprocessing.get_context("fork")
        # what the workers inherit (the logs, every reassessment) out of their collectors' reach:
        # a collection there walked, and so copied, every page of it (CPython's advice for fork);
        # a process that froze nothing before gets it back as it was once the workers are forked
        thaw = not gc.get_freeze_count()
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_worker) as pool:
                futures = {pool.submit(_render_one, name, stem, files, folder): name for name, stem, files in work}
                if thaw:
                    gc.unfreeze()
                    thaw = False
                meanwhile()
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        yield futures[future], None, "the worker process stopped (out of memory?)"
        finally:
            if thaw:
                gc.unfreeze()
    finally:
        _SQUAD.clear()


def _write_athlete(folder: Path, stem: str, r: Any, parts: Any, files: list[str], page: Callable) -> tuple[Path, Path]:
    from analysis.report.excel import athlete_workbook

    end = r.params["end"]
    names = [Path(f).name for f in files]
    html_path, xlsx_path = write_files(folder, {
        f"{stem}-{end}.html": _text_writer(page(parts)),
        f"{stem}-{end}.xlsx": _excel_writer(athlete_workbook(r, parts), _about(r, names)),
    })  # fmt: skip
    return html_path, xlsx_path


def _unassigned_lines(log: Any) -> list[str]:
    lines = []
    for f in log.files:
        counts = f.get("unassigned") or {}
        if counts:
            name = Path(f["path"]).name
            what = ", ".join(f"{n} {t}" for t, n in counts.items())
            lines.append(f"{name} names no athlete: {what} given to no one. Say whose it is: "
                         f"liftpace squad ... {name}=NAME")  # fmt: skip
    return lines


def _unassigned_hint(log: Any) -> str:
    lines = _unassigned_lines(log)
    return ("; " + "; ".join(lines)) if lines else ""


def _bar_name(name: str) -> str:
    from analysis.report.html import plain_text

    return str(plain_text(name))[:40]


class _NoBar:
    def set_postfix_str(self, *_: Any, **__: Any) -> None: ...
    def update(self, *_: Any) -> None: ...
    def close(self) -> None: ...


def _progress(total: int, show: bool) -> Any:
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="liftpace squad", unit="athlete", file=sys.stderr, leave=False)

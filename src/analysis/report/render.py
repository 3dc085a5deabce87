"""Reports: render a reassessment or a squad overview as offline HTML plus an Excel summary.

``liftpace report`` and ``liftpace squad`` run the repository's notebooks with papermill and
turn each executed notebook into a self-contained HTML page (no code, no network resources,
charts embedded as base64 PNG) next to an Excel workbook the notebook itself writes.
Running and exporting notebooks (definitions: :mod:`analysis.report.notebook`) and writing the workbook
(:mod:`analysis.report.excel`) live in their own modules; their public names are re-exported here.

Notebook contract
-----------------
The cell tagged ``parameters`` of ``01_reassessment.ipynb`` defines ``paths`` (list of str,
absolute), ``athlete`` (str), ``weeks`` (int, 4-6), ``end`` (``"YYYY-MM-DD"`` or None: the
notebook resolves it, by default the last logged date), ``weight_unit`` and ``timezone`` (str or
None, passed to the loaders) and ``excel_out`` (str or None: when set, the notebook calls
:func:`write_excel` with its tables to that path, so the numbers are computed once).
``02_squad_overview.ipynb`` takes the same names except ``athlete``. Each notebook calls
:func:`record_metadata` with ``end=`` (the resolved block end, ``"YYYY-MM-DD"``); the squad
notebook also passes ``athletes=`` (the list of athlete names to report on). The record ends up
in ``nb.metadata["liftpace"]``, never in the HTML ("Metadata record" in :mod:`analysis.report.notebook`).
"""

from __future__ import annotations

import asyncio
import re
import sys
import unicodedata
import uuid
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.errors import LiftpaceError
from analysis.periods import parse_day
from analysis.report.notebook import (
    notebook_path,
    notebook_to_html,
    run_notebook,
)

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["REPORT_NOTEBOOK", "SQUAD_NOTEBOOK", "render_report", "render_squad", "slug"]

REPORT_NOTEBOOK = "01_reassessment.ipynb"
SQUAD_NOTEBOOK = "02_squad_overview.ipynb"

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
        import hashlib

        stem = "athlete-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    return stem


# --- rendering --------------------------------------------------------------------------------


def _parameters(
    paths: str | Path | Iterable[str | Path], *, weeks: int, end: str | date | None, **rest: Any
) -> dict[str, Any]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise LiftpaceError("expected at least one log file, got none instead")
    resolved = [Path(p).expanduser().resolve() for p in items]
    missing = [str(p) for p in resolved if not p.exists()]
    if missing:
        raise LiftpaceError(f"expected existing log files, got missing {missing} instead")
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or not 4 <= weeks <= 6:
        raise LiftpaceError(f"expected weeks to be 4, 5 or 6, got {weeks!r} instead")
    return {"paths": [str(p) for p in resolved], "weeks": int(weeks), "end": _iso_day(end), **rest}


def _iso_day(end: str | date | None) -> str | None:
    if end is None:
        return None
    try:
        return parse_day(end, "end").strftime("%Y-%m-%d")
    except ValueError as exc:
        raise LiftpaceError(str(exc)) from None


def _render(
    notebook: Path, parameters: dict[str, Any], *, out: Path, stem: str, title: str
) -> tuple[Path, Path, NotebookNode]:
    """Run one notebook; write ``out/<stem>-<end>.html`` and ``.xlsx``."""
    out = out.expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    pending = out / f".{stem}-{uuid.uuid4().hex[:8]}.partial.xlsx"
    try:
        nb = run_notebook(notebook, {**parameters, "excel_out": str(pending)})
        recorded = nb.metadata.get("liftpace", {}).get("end")
        if parameters["end"] is None and recorded is None:
            raise LiftpaceError(
                f"notebook {notebook.name} did not record its end date; expected a call "
                "analysis.report.record_metadata(end='YYYY-MM-DD')"
            )
        end = parameters["end"] or _iso_day(recorded)
        if not pending.is_file():
            raise LiftpaceError(
                f"notebook {notebook.name} did not write the Excel summary to excel_out"
            )
        html_path = notebook_to_html(nb, out / f"{stem}-{end}.html", title=f"{title}, {end}")
        xlsx_path = pending.replace(out / f"{stem}-{end}.xlsx")
    finally:
        pending.unlink(missing_ok=True)
    return html_path, xlsx_path, nb


def render_report(
    paths: str | Path | Iterable[str | Path],
    *,
    athlete: str,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    weight_unit: str | None = None,
    timezone: str | None = None,
    notebook: str | Path | None = None,
) -> tuple[Path, Path]:
    """Render one athlete's reassessment: ``out/<slug>-<end>.html`` and ``.xlsx``.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (made absolute; must exist).
    athlete : str
        Athlete name as in the logs.
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block, ``YYYY-MM-DD``; None: the notebook decides (last logged date).
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    weight_unit, timezone : str, default=None
        Passed to the notebook's loaders.
    notebook : str or pathlib.Path, default=None
        Notebook to run; None: the repository's :data:`REPORT_NOTEBOOK`.

    Returns
    -------
    tuple of pathlib.Path
        The HTML report and the Excel summary.

    Raises
    ------
    LiftpaceError
        On bad arguments (no or missing files, weeks not 4-6, end not YYYY-MM-DD, empty
        athlete), a failing notebook, or a notebook that breaks the contract (module docstring).

    Examples
    --------
    Usage (it runs the report notebook in a kernel, so it is not run as a doctest)::

        html_path, xlsx_path = render_report(["log.csv"], athlete="Ana Lopez")
        # .../reports/ana-lopez-2024-05-26.html and .../reports/ana-lopez-2024-05-26.xlsx

    Arguments are checked before any notebook runs:

    >>> render_report([], athlete="Ana Lopez")
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected at least one log file, got none instead
    """
    if not isinstance(athlete, str) or not athlete.strip():
        raise LiftpaceError(f"expected an athlete name, got {athlete!r} instead")
    params = _parameters(
        paths, weeks=weeks, end=end, athlete=athlete, weight_unit=weight_unit, timezone=timezone
    )
    nb_file = Path(notebook) if notebook is not None else notebook_path(REPORT_NOTEBOOK)
    html_path, xlsx_path, _ = _render(
        nb_file, params, out=Path(out), stem=slug(athlete), title=f"liftpace: {athlete}"
    )
    return html_path, xlsx_path


def render_squad(
    paths: str | Path | Iterable[str | Path],
    *,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    jobs: int = 2,
    progress: bool = True,
    weight_unit: str | None = None,
    timezone: str | None = None,
    notebook: str | Path | None = None,
    squad_notebook: str | Path | None = None,
) -> list[Path]:
    """Render the squad overview and one report per athlete, ``jobs`` reports at a time.

    The squad notebook runs first and records ``end`` and ``athletes``; every athlete's report
    then uses that same ``end``, so all files describe the same block.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (made absolute; must exist).
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block; None: the squad notebook decides.
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    jobs : int, default=2
        Athlete reports rendered at once. Each report runs in its own kernel process, driven
        from a thread of this process; 1 renders them in turn.
    progress : bool, default=True
        Show a tqdm progress bar on stderr.
    weight_unit, timezone : str, default=None
        Passed to the notebooks' loaders.
    notebook, squad_notebook : str or pathlib.Path, default=None
        Notebooks to run; None: :data:`REPORT_NOTEBOOK` and :data:`SQUAD_NOTEBOOK`.

    Returns
    -------
    list of pathlib.Path
        ``squad-<end>.html``, ``squad-<end>.xlsx``, then each athlete's HTML and Excel file in
        the recorded athlete order (slugs that collide get ``-2``, ``-3``).

    Raises
    ------
    LiftpaceError
        As :func:`render_report`; ``jobs`` below 1; a squad notebook that records no
        ``athletes`` list; after all reports ran, if any athlete's report failed (the message
        lists each failure; the other files are written).

    Examples
    --------
    Usage (it runs the notebooks in kernels, so it is not run as a doctest)::

        files = render_squad(["coach.xlsx"], weeks=6)
        # squad-<end>.html, squad-<end>.xlsx, then <athlete>-<end>.html and .xlsx per athlete

    Arguments are checked before any notebook runs:

    >>> render_squad(["coach.xlsx"], jobs=0)
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected jobs to be an integer >= 1, got 0 instead
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise LiftpaceError(f"expected jobs to be an integer >= 1, got {jobs!r} instead")
    from tqdm import tqdm

    params = _parameters(paths, weeks=weeks, end=end, weight_unit=weight_unit, timezone=timezone)
    out_dir = Path(out).expanduser().resolve()
    report_nb = Path(notebook) if notebook is not None else notebook_path(REPORT_NOTEBOOK)
    squad_nb = Path(squad_notebook) if squad_notebook is not None else notebook_path(SQUAD_NOTEBOOK)
    with tqdm(
        total=1, desc="liftpace squad", unit="report", file=sys.stderr, disable=not progress
    ) as bar:
        squad_html, squad_xlsx, nb = _render(
            squad_nb, params, out=out_dir, stem="squad", title="liftpace: squad"
        )
        bar.update(1)
        record = nb.metadata.get("liftpace", {})
        athletes = record.get("athletes")
        if not isinstance(athletes, list) or not all(isinstance(a, str) for a in athletes):
            raise LiftpaceError(
                f"notebook {squad_nb.name} did not record its athletes; expected a call "
                f"analysis.report.record_metadata(athletes=[...]), got {athletes!r} instead"
            )
        each = {**params, "end": params["end"] or _iso_day(record.get("end"))}
        stems, used = [], {"squad"}
        for name in athletes:
            stem, k = slug(name), 1
            while (stem if k == 1 else f"{stem}-{k}") in used:
                k += 1
            stems.append(stem if k == 1 else f"{stem}-{k}")
            used.add(stems[-1])
        bar.total = 1 + len(athletes)
        bar.refresh()
        results: dict[int, tuple[Path, Path]] = {}
        failures: dict[int, str] = {}
        # threads, not processes: each report's kernel is its own process, so `jobs` kernels
        # run on `jobs` cores while the threads only relay messages and write files
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="liftpace-report") as pool:
            futures = {
                pool.submit(
                    _render_in_thread,
                    report_nb,
                    {**each, "athlete": name},
                    out=out_dir,
                    stem=stem,
                    title=f"liftpace: {name}",
                ): i
                for i, (name, stem) in enumerate(zip(athletes, stems, strict=True))
            }
            for future in as_completed(futures):
                try:
                    results[futures[future]] = future.result()[:2]
                except LiftpaceError as exc:
                    failures[futures[future]] = str(exc)
                bar.update(1)
    if failures:
        lines = "\n".join(f"- {athletes[i]}: {msg}" for i, msg in sorted(failures.items()))
        raise LiftpaceError(
            f"{len(failures)} of {len(athletes)} athlete reports failed "
            f"(the others are in {out_dir}):\n{lines}"
        )
    return [squad_html, squad_xlsx, *(f for i in range(len(athletes)) for f in results[i])]


def _render_in_thread(
    notebook: Path, parameters: dict[str, Any], *, out: Path, stem: str, title: str
) -> tuple[Path, Path, NotebookNode]:
    """:func:`_render` in a worker thread, closing the event loop jupyter_core opens there."""
    try:
        return _render(notebook, parameters, out=out, stem=stem, title=title)
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:  # this thread never got one
                loop = None
        if loop is not None and not loop.is_running():
            loop.close()
            asyncio.set_event_loop(None)

"""The squad's work cut into pure pieces: one file's rows, and one group of athletes' status rows.

An engine that runs the squad on many machines (:mod:`analysis.report.dask_engine`, or Spark's
``groupBy("athlete").applyInPandas``) needs every step as a function of plain frames with a
declared output schema. This module holds them; it imports no engine.

Steps
    :func:`read_one_file`
        One file, read by :func:`analysis.read_logs` exactly as a squad reads it
        (``unnamed="unassigned"``), its tables in the canonical schemas (:data:`INPUT_SCHEMAS`),
        each problem row with its owner in ``athlete`` (:func:`analysis.loaders.scope.owners`:
        ownership is decided within a file, so one file at a time gives the same owners) and a
        ``row_order`` that keeps the files' order through a shuffle.
    :func:`squad_rows`
        The rows of one or many athletes (any group, typically one partition), reassessed with
        the squad's ``end`` by :func:`analysis.reassessment.reassess_squad` (which gives each
        athlete the same result alone or in any group), optionally their two report files
        written, and returned as the status rows the squad page and workbook read
        (:data:`TABLES`, ``params`` and ``reports``), each in its declared schema
        (:func:`output_schemas`).
    :func:`stand_ins`
        On the side that gathers: the status rows as one object per athlete with the attributes
        the squad page reads, so :func:`analysis.report.squad.squad_parts` and
        :func:`analysis.report.excel.squad_workbook` run unchanged.

Across files
    ``read_logs`` also checks files against each other. Repeated files are found before any
    file is read (:func:`analysis.loaders.accounting.repeated_files`); the same run in two files
    (a FIT and its TCX) is one athlete's rows, so :func:`squad_rows` drops it per athlete. Not
    repeated per file: a whole file whose sets are exactly another file's (a CSV re-saved as a
    workbook), and ``set_index`` numbering that continues from one file into another for the
    same athlete, day and exercise (only for sources that do not number their sets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C

__all__ = [
    "INPUT_SCHEMAS",
    "OWNER",
    "PARAMS",
    "REPORTS",
    "ROW_ORDER",
    "TABLES",
    "output_schemas",
    "read_one_file",
    "squad_rows",
    "stand_ins",
]

#: The per-athlete status tables of the squad page and workbook (``Reassessment`` attributes).
TABLES = ("lift_status", "asymmetry_status", "adherence", "pace_blocks", "test_days", "findings")
#: A problem row's owner (NA: a shared file's row, shown on the squad page only).
OWNER = C.ATHLETE
#: File number x 2**32 + row: the files' order, kept through a shuffle.
ROW_ORDER = "row_order"
#: The input tables, as :func:`read_one_file` returns them.
INPUT_SCHEMAS: dict[str, dict[str, str]] = {
    "sets": {**C.SETS, ROW_ORDER: "int64"},
    "runs": {**C.RUNS, ROW_ORDER: "int64"},
    "bodyweight": {**C.BODYWEIGHT, ROW_ORDER: "int64"},
    "problems": {**C.PROBLEMS, OWNER: "string", ROW_ORDER: "int64"},
}
#: ``Reassessment.params`` as one row per athlete.
PARAMS: dict[str, str] = {
    "athlete": "string", "weeks": "int64", "end": "string", "previous_start": "string",
    "previous_end": "string", "current_start": "string", "target_per_week": "int64",
    "threshold_pct": "float64", "formula": "string", "min_sessions": "int64", "n_sets": "int64",
    "n_runs": "int64", "phase": "string", "phase_source": "string",
}  # fmt: skip
#: What was written per athlete: the report's two files, or the one-line reason it was not.
REPORTS: dict[str, str] = {"athlete": "string", "html": "string", "xlsx": "string", "error": "string"}
_FILE_SHIFT = 2**32


def read_one_file(path: str, number: int, *, athlete: str | None = None, **options: Any) -> dict[str, Any]:
    """One file's canonical tables, read as ``liftpace squad`` reads it (module docstring).

    Parameters
    ----------
    path : str
        The log file.
    number : int
        Its position among the squad's files (``row_order`` keeps the files' order).
    athlete : str, default=None
        Whose the file is when it names no athlete (``PATH=ATHLETE``); None: no one's.
    **options
        ``weight_unit``, ``distance_unit``, ``timezone``, ``dayfirst`` of :func:`analysis.read_logs`.

    Returns
    -------
    dict
        ``sets``, ``runs``, ``bodyweight``, ``problems`` (:data:`INPUT_SCHEMAS`), ``files``
        (the log's ``files`` entries) and ``has_plan`` (the file holds a plan sheet or a
        programme: :func:`analysis.loaders.plan.find_plan` would take it).
    """
    from analysis.loaders import read_logs
    from analysis.loaders.scope import owners

    log = read_logs(path, errors="report", unnamed="unassigned", athletes={path: athlete} if athlete else None,
                    **options)  # fmt: skip
    problems = log.problems.assign(**{OWNER: owners(log)})
    out: dict[str, Any] = {"files": log.files, "has_plan": _has_plan(path)}
    for name, frame in (("sets", log.sets), ("runs", log.runs), ("bodyweight", log.bodyweight),
                        ("problems", problems)):  # fmt: skip
        frame = frame.assign(**{ROW_ORDER: number * _FILE_SHIFT + np.arange(len(frame), dtype=np.int64)})
        out[name] = C.conform(frame, INPUT_SCHEMAS[name])
    return out


def _has_plan(path: str) -> bool:
    """Whether :func:`~analysis.loaders.plan.find_plan` finds a plan in this file alone (its check
    parses every CSV, so it runs here, once per file, where the file is read)."""
    from analysis.errors import LogFormatError
    from analysis.loaders.plan import find_plan

    try:  # any start places a programme's weeks; only whether there is one matters here
        return not find_plan([path], program_start=pd.Timestamp("2000-01-03")).empty
    except LogFormatError:
        return False


@cache
def output_schemas() -> dict[str, dict[str, str]]:
    """The declared schema (column -> dtype) of every table :func:`squad_rows` returns.

    :data:`TABLES` take their columns and dtypes from a reassessment of a small generated
    athlete who has every table filled (strength, single-leg, runs), so the schema is the code's
    own; ``params`` is :data:`PARAMS` and ``reports`` :data:`REPORTS`.
    """
    from analysis.reassessment import reassess_squad
    from analysis.sample import generate_squad

    sets, runs = generate_squad(athletes=1, weeks=10, seed=1)
    r = next(iter(reassess_squad(sets, runs).values()))
    out = {name: {str(c): str(t) for c, t in getattr(r, name).dtypes.items()} for name in TABLES}
    return {**out, "params": PARAMS, "reports": REPORTS}


def _conformed(frame: pd.DataFrame, schema: Mapping[str, str]) -> pd.DataFrame:
    out = frame.reindex(columns=list(schema)).reset_index(drop=True)
    return out.astype(dict(schema)) if len(out) else pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})


def _by_athlete(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the files' order, the athlete a column again (a shuffle made it the index)."""
    if frame.index.name == C.ATHLETE:
        frame = frame.reset_index()
    return frame.sort_values(ROW_ORDER, kind="stable").reset_index(drop=True)


def squad_rows(
    sets: pd.DataFrame,
    runs: pd.DataFrame,
    bodyweight: pd.DataFrame,
    problems: pd.DataFrame,
    *,
    weeks: int,
    end: str,
    plan: pd.DataFrame | None = None,
    stems: Mapping[str, str] | None = None,
    out: str | Path | None = None,
    schemas: Mapping[str, Mapping[str, str]] | None = None,
    phases: Any = None,
    tests: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The squad's status rows of the athletes in ``sets`` (module docstring, Steps).

    Parameters
    ----------
    sets, runs, bodyweight, problems : DataFrame
        Those athletes' rows from every file (:data:`INPUT_SCHEMAS`; ``athlete`` a column or
        the index), ``problems`` owned by them.
    weeks : int
        Block length, 4-6.
    end : str
        The squad's block end, ``YYYY-MM-DD`` (one end for everyone).
    plan : DataFrame, default=None
        The squad's plan (:func:`analysis.loaders.plan.find_plan`).
    stems : mapping of str to str, default=None
        Athlete -> report file stem, chosen over the whole squad; needed with ``out``.
    out : str or pathlib.Path, default=None
        Folder to write each athlete's HTML and Excel report into; None writes nothing.
    schemas : mapping, default=None
        :func:`output_schemas`, when the caller has it (it costs a small reassessment).
    phases, tests : default=None
        As for :func:`analysis.reassessment.reassess_squad`: the given phases, and the whole
        squad's test days (the smallest worthwhile change reads the squad's spread).

    Returns
    -------
    dict of str to DataFrame
        :data:`TABLES` (every athlete's rows, athletes sorted), ``params`` (one row per
        athlete) and ``reports`` (one row per athlete: the files written, or ``error``), in
        :func:`output_schemas`.
    """
    from analysis.loaders.accounting import drop_twin_runs
    from analysis.reassessment import reassess_squad

    schemas = schemas or output_schemas()
    sets, runs, bodyweight, problems = (_by_athlete(f) for f in (sets, runs, bodyweight, problems))
    if sets.empty:
        return {name: _conformed(pd.DataFrame(), schema) for name, schema in schemas.items()}
    if runs[C.SOURCE_FILE].drop_duplicates().size > 1:  # the same run in two files: one athlete's rows
        twins: list[pd.DataFrame] = []
        order, before = runs.drop_duplicates(C.SOURCE_FILE)[C.SOURCE_FILE], runs
        runs = drop_twin_runs(runs, [{"path": f, "runs": 0} for f in order], twins)
        if twins:
            found = pd.concat(twins, ignore_index=True)
            rows = found.merge(before[[C.SOURCE_FILE, C.SOURCE_ROW, C.ATHLETE]].drop_duplicates(),
                               how="left", on=[C.SOURCE_FILE, C.SOURCE_ROW])  # fmt: skip
            problems = pd.concat([problems, rows.assign(**{ROW_ORDER: problems[ROW_ORDER].max() + 1})],
                                 ignore_index=True)  # fmt: skip
    own = {str(name): frame[list(C.PROBLEMS)].reset_index(drop=True)
           for name, frame in problems.groupby(OWNER, sort=False)}  # fmt: skip
    canon = [C.conform(f, schema) for f, schema in ((sets, C.SETS), (runs, C.RUNS), (bodyweight, C.BODYWEIGHT))]
    all_r = reassess_squad(canon[0], canon[1], weeks=weeks, end=end, bodyweight=canon[2], plan=plan, problems=own,
                           phases=phases, tests=tests)  # fmt: skip
    tables = {name: pd.concat([getattr(r, name) for r in all_r.values()], ignore_index=True) for name in TABLES}
    tables["params"] = pd.DataFrame([{k: r.params.get(k) for k in PARAMS} for r in all_r.values()])
    tables["reports"] = _write_reports(all_r, [sets, runs, bodyweight], stems or {}, out)
    return {name: _conformed(tables[name], schemas[name]) for name in schemas}


def _write_reports(all_r: Mapping[str, Any], frames: Sequence[pd.DataFrame], stems: Mapping[str, str],
                   out: str | Path | None) -> pd.DataFrame:
    """Each athlete's two report files (as ``liftpace squad`` writes them); one row per athlete."""
    rows = [{"athlete": name} for name in all_r]
    if out is None:
        return pd.DataFrame(rows, columns=list(REPORTS))
    from analysis.plots.charts import reused_figures
    from analysis.report.figures import report_charts
    from analysis.report.html import page
    from analysis.report.parts import report_parts
    from analysis.report.render import _write_athlete

    folder = Path(out)
    files = pd.concat([f[[C.ATHLETE, C.SOURCE_FILE]] for f in frames], ignore_index=True).dropna()
    files_of = files.drop_duplicates().groupby(C.ATHLETE)[C.SOURCE_FILE].agg(lambda s: sorted(set(s)))
    with reused_figures():
        for row, (name, r) in zip(rows, all_r.items(), strict=True):
            mine = list(files_of.get(name, []))
            try:
                parts = report_parts(r, charts=report_charts(r), files=mine)
                html, xlsx = _write_athlete(folder, stems[name], r, parts, mine, page)
                row.update(html=str(html), xlsx=str(xlsx))
            except Exception as exc:  # one athlete's failure never stops the squad (render.py)
                row["error"] = _one_line(exc)
    return pd.DataFrame(rows, columns=list(REPORTS))


def _one_line(exc: Exception) -> str:
    from analysis.errors import LiftpaceError

    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return first if isinstance(exc, LiftpaceError) else f"{type(exc).__name__}: {first}"


def stand_ins(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Per athlete, an object with ``params`` and :data:`TABLES` as the gathered rows give them.

    What :func:`analysis.report.squad.squad_parts`, :func:`analysis.report.parts.report_areas`
    and :func:`analysis.report.excel.squad_workbook` read of a ``Reassessment``, sorted by
    athlete.
    """
    params = tables["params"].astype(object).where(tables["params"].notna(), None)
    out: dict[str, Any] = {}
    split = {name: tables[name].groupby(C.ATHLETE, sort=False).indices for name in TABLES}
    for row in params.to_dict(orient="records"):
        name = str(row["athlete"])
        own = {t: tables[t].iloc[split[t].get(name, [])].reset_index(drop=True) for t in TABLES}
        out[name] = SimpleNamespace(params=_python(row), **own)
    return dict(sorted(out.items()))


def _python(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}

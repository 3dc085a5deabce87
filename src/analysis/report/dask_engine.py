"""``liftpace squad --engine dask``: the same squad, its files and athletes spread over a Dask cluster.

The work is the in-process squad's (:func:`analysis.report.render_squad`), cut by
:mod:`analysis.report.per_athlete` into pure pieces and run where Dask puts them:

1. **Read**: one task per file (:func:`~analysis.report.per_athlete.read_one_file`); the results
   stay on the workers, the client gets each file's names, dates and counts.
2. **Partition once**: the sets, runs, bodyweight and owned problems become Dask frames
   (``from_delayed``) and are indexed on ``athlete`` with one set of divisions, so a
   partition of each holds the same athletes (contiguous in name order, about
   ``partition_sets`` sets per partition).
3. **Reassess**: ``map_partitions`` of :func:`~analysis.report.per_athlete.squad_rows` with the
   squad's one ``end`` and plan and a declared ``meta``: each partition's athletes reassessed
   and, with ``out``, their HTML and Excel reports written (the folder must be one every
   worker writes to: the machine's disk for a LocalCluster, shared storage on a cluster).
4. **Gather**: the status tables (:data:`~analysis.report.per_athlete.TABLES`, ``params``,
   ``reports``) come back to the client, which writes the squad page and the squad's workbook as
   the in-process squad does.

Dask is imported here only, and this module only when the engine is asked for, so
``import analysis`` and the default ``liftpace squad`` do not pay for it.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from analysis import columns as C
from analysis.errors import LiftpaceError
from analysis.report.per_athlete import (
    INPUT_SCHEMAS,
    OWNER,
    ROW_ORDER,
    output_schemas,
    read_one_file,
    squad_rows,
    stand_ins,
)
from analysis.report.render import (
    SquadReport,
    _excel_writer,
    _folder,
    _iso_day,
    _paths,
    _phases,
    _stems,
    _tests,
    _text_writer,
    _unassigned_lines,
    _weeks,
    write_files,
)

__all__ = ["DaskSquad", "connect", "render_squad_dask", "squad_on_dask"]

#: About this many sets per partition (a partition is reassessed in one task: ~40 MB in, ~1-2 s).
PARTITION_SETS = 250_000
INSTALL = "the dask engine needs dask and distributed: pip install 'liftpace[scale]'"


@dataclass
class DaskSquad:
    """What :func:`squad_on_dask` computed and wrote.

    Attributes
    ----------
    tables : dict of str to DataFrame
        :data:`~analysis.report.per_athlete.TABLES`, ``params`` and ``reports`` of every athlete
        with strength sets, sorted by athlete (the schemas of
        :func:`~analysis.report.per_athlete.output_schemas`), and ``triage``: the squad's
        triage table for people (:func:`analysis.report.squad.triage_table`, ranked).
    problems : DataFrame
        Every problem row of the files, with its owner in ``athlete`` (NA: a shared file's).
    report : SquadReport or None
        The squad page, workbook and reports, when ``out`` was given.
    timings : dict of str to float
        Seconds: ``read`` (every file, one task each), ``partition`` (the shuffle by athlete),
        ``reassess`` (every partition, report files included with ``out``), ``gather`` (the
        squad page and workbook on the client).
    partitions : int
        Partitions by athlete.
    shuffled : bool
        Whether the rows were shuffled by athlete (False: the files already grouped them).
    worker_peak_mb : dict of str to float
        Each worker process's peak resident memory (``VmHWM``; NaN where there is no /proc).
    """

    tables: dict[str, pd.DataFrame]
    problems: pd.DataFrame
    report: SquadReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    partitions: int = 0
    shuffled: bool = True
    worker_peak_mb: dict[str, float] = field(default_factory=dict)


def connect(scheduler: str | None = None, *, workers: int | None = None, processes: bool = True) -> Any:
    """A ``distributed.Client``: to ``scheduler`` when given, else to a new LocalCluster.

    Parameters
    ----------
    scheduler : str, default=None
        Address of a running Dask scheduler (``tcp://host:8786``).
    workers : int, default=None
        Workers of the LocalCluster (one thread each: report charts are drawn with
        matplotlib, which is not thread-safe); None: one per CPU core.
    processes : bool, default=True
        LocalCluster workers as processes (False: threads of this process, for small tests).

    Raises
    ------
    LiftpaceError
        Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise LiftpaceError(INSTALL) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise LiftpaceError(f"could not connect to the Dask scheduler at {scheduler}: {first}") from None
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes, dashboard_address=":0",  # any free port: clusters side by side
                           silence_logs=logging.ERROR)  # fmt: skip
    return Client(cluster)


def render_squad_dask(
    paths: str | Path | Iterable[str | Path],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    **options: Any,
) -> SquadReport:
    """:func:`analysis.report.render_squad` on Dask: the same files written (``liftpace squad --engine dask``).

    Parameters
    ----------
    paths, weeks, end, out
        As for :func:`analysis.report.render_squad`.
    scheduler : str, default=None
        Address of a running Dask scheduler; None: a LocalCluster for this call, sized to the
        machine (:func:`connect`), closed at the end.
    workers : int, default=None
        Workers of that LocalCluster (None: one per CPU core).
    **options
        ``weight_unit``, ``distance_unit``, ``timezone``, ``dayfirst``, ``athletes``,
        ``partition_sets``, ``athletes_per_partition`` of :func:`squad_on_dask`.

    Returns
    -------
    SquadReport

    Raises
    ------
    LiftpaceError
        As :func:`analysis.report.render_squad`; Dask not installed; the scheduler unreachable.

    Examples
    --------
    >>> render_squad_dask(["coach.xlsx"])
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected existing log files, got missing ['coach.xlsx'] instead
    """
    _paths(paths), _weeks(weeks), _iso_day(end)  # bad arguments fail before a cluster starts
    client = connect(scheduler, workers=workers)
    cluster = None if scheduler else client.cluster
    try:
        done = squad_on_dask(paths, client=client, weeks=weeks, end=end, out=out, **options)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    assert done.report is not None  # out is a folder
    return done.report


def _summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """What the client needs of one file's tables: names, dates, counts (small)."""
    sets, runs = result["sets"], result["runs"]
    named_sets = sets[(sets[C.ATHLETE] != "").fillna(False).to_numpy(dtype=bool)]
    named_runs = runs[(runs[C.ATHLETE] != "").fillna(False).to_numpy(dtype=bool)]
    names = pd.concat([sets[C.ATHLETE], runs[C.ATHLETE], result["bodyweight"][C.ATHLETE]]).dropna().unique()
    return {
        "files": result["files"],
        "has_plan": result["has_plan"],
        "set_athletes": named_sets[C.ATHLETE].value_counts().to_dict(),
        "run_athletes": sorted(named_runs[C.ATHLETE].dropna().unique()),
        "names": sorted(str(n) for n in names if n != ""),
        "first_set": named_sets[C.DATE].min(),
        "last": pd.concat([named_sets[C.DATE], named_runs[C.DATE]]).max(),
    }


def _table(result: Mapping[str, Any], name: str, renamed: Mapping[str, str]) -> pd.DataFrame:
    frame = result[name]
    if renamed:
        frame = frame.assign(**{C.ATHLETE: frame[C.ATHLETE].replace(dict(renamed))})
    return frame


def _partition(sets: pd.DataFrame, runs: pd.DataFrame, bodyweight: pd.DataFrame, problems: pd.DataFrame,
               roster: pd.DataFrame, *, weeks: int, end: str, plan: pd.DataFrame | None,
               out: str | None, schemas: Mapping[str, Mapping[str, str]], phases: Any = None,
               tests: pd.DataFrame | None = None) -> pd.DataFrame:
    """One partition's status tables, in one cell indexed by the partition's first athlete."""
    start = time.perf_counter()
    stems = dict(zip(roster.index.astype(str), roster["stem"].astype(str), strict=True))
    tables = squad_rows(sets, runs, bodyweight, problems, weeks=weeks, end=end, plan=plan, stems=stems, out=out,
                        schemas=schemas, phases=phases, tests=tests)
    tables["timing"] = pd.DataFrame({"athletes": [len(roster)], "seconds": [time.perf_counter() - start]})
    first = roster.index[:1].astype("string") if len(roster) else pd.Index([""], dtype="string")
    return pd.DataFrame({"tables": [tables]}, index=first.rename(C.ATHLETE))


def _pick(part: pd.DataFrame, name: str, schema: Mapping[str, str]) -> pd.DataFrame:
    frames = [tables[name] for tables in part["tables"]]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})
    return pd.concat(frames, ignore_index=True)


def _peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return math.nan


def squad_on_dask(
    paths: str | Path | Iterable[str | Path],
    *,
    client: Any,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path | None = "reports",
    weight_unit: str | None = None,
    distance_unit: str | None = None,
    timezone: str | None = None,
    dayfirst: bool | None = None,
    athletes: Mapping[str, str] | None = None,
    partition_sets: int = PARTITION_SETS,
    athletes_per_partition: int | None = None,
    shuffle: bool | None = None,
    phases: Any = None,
) -> DaskSquad:
    """The squad's reassessment on a Dask cluster (module docstring); with ``out``, its files.

    Parameters
    ----------
    paths, weeks, end, weight_unit, distance_unit, timezone, dayfirst, athletes
        As for :func:`analysis.report.render_squad`.
    client : distributed.Client
        The cluster to run on (:func:`connect`).
    out : str or pathlib.Path, default="reports"
        Output folder of the reports, the squad page and workbook; None: the tables only.
    partition_sets : int, default=250000
        About this many sets per partition (never fewer than one athlete), and at most the
        squad's sets / (2 x workers), so every worker gets work.
    athletes_per_partition : int, default=None
        This many athletes per partition instead (the last may hold one more); implies the shuffle.
    phases : str or mapping, default=None
        As for :func:`analysis.report.render_squad`.
    shuffle : bool, default=None
        Shuffle the rows by athlete (one ``set_index``). None: only when the files do not
        already group them: when a group of files that share athletes (a club's sets and runs
        files, or one runner's exports) holds more than ``4 * partition_sets`` sets. Without the
        shuffle, each partition is a few whole groups of files, read where they were read.

    Returns
    -------
    DaskSquad

    Raises
    ------
    LiftpaceError
        As :func:`analysis.report.render_squad`.
    """
    import dask.dataframe as dd

    from analysis.loaders.accounting import REPEATED_FILE, repeated_files
    from analysis.loaders.plan import find_plan

    timings: dict[str, float] = {}
    items, n_weeks, end_day = _paths(paths), _weeks(weeks), _iso_day(end)
    folder = _folder(out) if out is not None else None
    given = {str(k): str(v).strip() for k, v in (athletes or {}).items()}
    given.update({str(Path(k)): v for k, v in list(given.items())})
    options = {"weight_unit": weight_unit, "distance_unit": distance_unit, "timezone": timezone, "dayfirst": dayfirst}

    # 1. read: one task per file, results kept on the workers
    start = time.perf_counter()
    repeated = repeated_files([Path(p) for p in items]) if len(items) > 1 else {}
    read = [i for i in range(len(items)) if i not in repeated]
    futures = [client.submit(read_one_file, items[i], i, athlete=given.get(items[i]) or given.get(str(Path(items[i]))),
                             pure=False, **options) for i in read]  # fmt: skip
    summaries = dict(zip(read, client.gather(client.map(_summary, futures)), strict=True))
    timings["read"] = time.perf_counter() - start

    files, extra_problems = [], []
    for i in range(len(items)):
        if i in repeated:
            first, how = repeated[i]
            name = Path(items[i]).name
            files.append({"path": items[i], "format": f"same file as {first} (read once)", "sets": 0, "runs": 0,
                          "bodyweight": 0, "problems": 1, "skipped": {}, "rows_read": 0, "error": None})
            extra_problems.append({C.SOURCE_FILE: name, "problem": REPEATED_FILE.format(first=first, how=how),
                                   "action": "dropped", ROW_ORDER: i * 2**32})  # fmt: skip
        else:
            files.extend(summaries[i]["files"])
    renamed = _case_merges([n for s in summaries.values() for n in s["names"]], given.values())
    counts: dict[str, int] = {}
    for s in summaries.values():
        for name, n in s["set_athletes"].items():
            counts[renamed.get(name, name)] = counts.get(renamed.get(name, name), 0) + int(n)
    log_files = SimpleNamespace(files=files)
    if not counts:
        lines = _unassigned_lines(log_files)
        raise LiftpaceError("no strength sets of a named athlete in these files, so there is no squad to "
                            "reassess" + (("; " + "; ".join(lines)) if lines else ""))  # fmt: skip
    names = sorted(counts)
    run_names = {renamed.get(n, n) for s in summaries.values() for n in s["run_athletes"]}
    first_set = min(s["first_set"] for s in summaries.values() if pd.notna(s["first_set"]))
    if end_day is None:
        end_day = pd.Timestamp(max(s["last"] for s in summaries.values() if pd.notna(s["last"]))).strftime("%Y-%m-%d")
    plan = find_plan([items[i] for i in read if summaries[i]["has_plan"]], program_start=first_set)
    tests, test_problems = _tests(items)  # a Tests sheet is small: read once here, sent to every partition
    given_phases = _phases(phases)
    stems = _stems(names)

    # 2. partition once by athlete: the files already do it (no shuffle), or one shuffle, the
    # same divisions for every table
    start = time.perf_counter()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    partition_sets = min(partition_sets, max(1, sum(counts.values()) // (2 * workers)))  # 2 per worker at least
    per_part = athletes_per_partition or max(1, round(partition_sets / (sum(counts.values()) / len(names))))
    groups = _file_groups({i: s["names"] for i, s in summaries.items()}, renamed, counts, partition_sets)
    if shuffle is None:
        shuffle = max(g["sets"] for g in groups) > 4 * partition_sets or athletes_per_partition is not None
    position = {i: k for k, i in enumerate(read)}
    problems = _problems(client, futures, extra_problems, renamed)  # small: every file's, in order
    if test_problems is not None and len(test_problems):  # the Tests sheet's: the coach's, on the squad page
        problems = pd.concat([problems, C.conform(test_problems.assign(**{OWNER: pd.NA, ROW_ORDER: 2**62}),
                                                  INPUT_SCHEMAS["problems"])], ignore_index=True)
    if shuffle:  # shuffled once and kept; the files' own copies are let go
        frames, n_parts = _shuffled(futures, renamed, names, stems, per_part)
        frames = dict(zip(frames, client.persist(list(frames.values())), strict=True))
        _wait(client, list(frames.values()))
        _release(futures)
    else:  # each partition concatenates its files' results where the reassessment runs
        frames, n_parts = _by_files(futures, position, groups, renamed, stems)
    timings["partition"] = time.perf_counter() - start

    # 3. reassess each partition (and write its athletes' reports)
    start = time.perf_counter()
    schemas = output_schemas()
    meta = pd.DataFrame({"tables": pd.Series(dtype=object)}, index=pd.Index([], dtype="string", name=C.ATHLETE))
    done = dd.map_partitions(_partition, frames["sets"], frames["runs"], frames["bodyweight"], frames["problems"],
                             frames["roster"], weeks=n_weeks, end=end_day, plan=plan, phases=given_phases, tests=tests,
                             out=None if folder is None else str(folder), schemas=schemas, meta=meta,
                             align_dataframes=False)  # the tables' partitions hold the same athletes
    picks = {name: done.map_partitions(_pick, name, schema, meta=C.empty(schema))
             for name, schema in [*schemas.items(), ("timing", {"athletes": "int64", "seconds": "float64"})]}
    computed = client.gather(client.compute(list(picks.values())))  # one graph: each partition runs once
    tables = {name: frame.reset_index(drop=True) for name, frame in zip(picks, computed, strict=True)}
    timings["reassess"] = time.perf_counter() - start
    timings["partition_seconds_sum"] = float(tables.pop("timing")["seconds"].sum())

    # 4. gather: the squad page and workbook on the client
    start = time.perf_counter()
    result = DaskSquad(tables=tables, problems=problems, partitions=n_parts, shuffled=bool(shuffle))
    result.report, tables["triage"] = _squad_page(folder, tables, problems, files=log_files, items=items,
                                                  weeks=n_weeks, run_names=run_names)  # fmt: skip
    timings["gather"] = time.perf_counter() - start
    result.timings = timings
    result.worker_peak_mb = {str(k): float(v) for k, v in client.run(_peak_mb).items()}
    if not shuffle:
        _release(futures)
    return result


def _release(futures: list[Any]) -> None:
    for f in futures:
        f.release()


def _file_groups(names: Mapping[int, list[str]], renamed: Mapping[str, str], counts: Mapping[str, int],
                 partition_sets: float) -> list[dict[str, Any]]:
    """Files that share an athlete, grouped (union-find), then packed in name order into
    partitions of about ``partition_sets`` sets: ``[{"files": [...], "athletes": set, "sets": n}]``."""
    parent = {i: i for i in names}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_file: dict[str, int] = {}
    for i, file_names in names.items():
        for name in file_names:
            name = renamed.get(name, name)
            if name in first_file:
                parent[root(i)] = root(first_file[name])
            else:
                first_file[name] = i
    comps: dict[int, dict[str, Any]] = {}
    for i, file_names in names.items():
        comp = comps.setdefault(root(i), {"files": [], "athletes": set(), "sets": 0})
        comp["files"].append(i)
        comp["athletes"].update(renamed.get(n, n) for n in file_names if renamed.get(n, n) in counts)
    packed: list[dict[str, Any]] = []
    for comp in sorted((c for c in comps.values() if c["athletes"]), key=lambda c: min(c["athletes"])):
        comp["sets"] = sum(counts[n] for n in comp["athletes"])
        if packed and packed[-1]["sets"] + comp["sets"] <= partition_sets:
            packed[-1]["files"] += comp["files"]
            packed[-1]["athletes"] |= comp["athletes"]
            packed[-1]["sets"] += comp["sets"]
        else:
            packed.append(comp)
    return packed


def _shuffled(futures: list[Any], renamed: Mapping[str, str], names: list[str], stems: Mapping[str, str],
              per_part: int) -> tuple[dict[str, Any], int]:
    """The four tables indexed on athlete (one shuffle each), with one set of divisions."""
    import dask
    import dask.dataframe as dd

    divisions = (*names[::per_part], names[-1]) if len(names) > 1 else (names[0], names[0])
    divisions = tuple(dict.fromkeys(divisions)) if len(names) > 1 else divisions
    wanted = set(names)
    frames = {}
    for table in ("sets", "runs", "bodyweight", "problems"):
        parts = [dask.delayed(_table)(f, table, renamed) for f in futures]
        frame = dd.from_delayed(parts, meta=C.empty(INPUT_SCHEMAS[table]), verify_meta=False)
        frame = frame[frame[C.ATHLETE].isin(wanted)]
        frames[table] = frame.set_index(C.ATHLETE, divisions=divisions)
    frames["roster"] = dd.from_pandas(_roster(names, stems), npartitions=1, sort=True).repartition(divisions=divisions)
    return frames, len(divisions) - 1


def _by_files(futures: list[Any], position: Mapping[int, int], groups: list[dict[str, Any]],
              renamed: Mapping[str, str], stems: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """The four tables with one partition per group of files: each group's rows where they were read."""
    import dask
    import dask.dataframe as dd

    frames = {}
    for table in ("sets", "runs", "bodyweight", "problems"):
        parts = [dask.delayed(_joined)([futures[position[i]] for i in g["files"]], table, renamed, g["athletes"])
                 for g in groups]  # fmt: skip
        frames[table] = dd.from_delayed(parts, meta=C.empty(INPUT_SCHEMAS[table]), verify_meta=False)
    rosters = [_roster(sorted(g["athletes"]), stems) for g in groups]
    frames["roster"] = dd.from_delayed([dask.delayed(r) for r in rosters], meta=rosters[0].iloc[:0], verify_meta=False)
    return frames, len(groups)


def _joined(results: list[Mapping[str, Any]], table: str, renamed: Mapping[str, str], athletes: set[str]) -> pd.DataFrame:
    frame = pd.concat([_table(r, table, renamed) for r in results], ignore_index=True)
    return frame[frame[C.ATHLETE].isin(athletes).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)


def _roster(names: list[str], stems: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"stem": pd.array([stems[n] for n in names], dtype="string")},
                        index=pd.Index(names, dtype="string", name=C.ATHLETE))  # fmt: skip


def _wait(client: Any, collections: list[Any]) -> None:
    from distributed import wait

    wait(collections)


def _problems(client: Any, futures: list[Any], extra: list[dict[str, Any]], renamed: Mapping[str, str]) -> pd.DataFrame:
    """Every problem row in the files' order, with its owner."""
    parts = client.gather([client.submit(_table, f, "problems", renamed, pure=False) for f in futures])
    if extra:
        parts.append(C.conform(pd.DataFrame(extra), INPUT_SCHEMAS["problems"]))
    frame = pd.concat(parts, ignore_index=True) if parts else C.empty(INPUT_SCHEMAS["problems"])
    return frame.sort_values(ROW_ORDER, kind="stable").reset_index(drop=True)


def _case_merges(names: Iterable[str], typed: Iterable[str]) -> dict[str, str]:
    """Rows named as typed on the command line (``ana lopez``) -> the files' spelling, when exactly
    one other athlete in the files has that name ignoring case (as the in-process squad does)."""
    known = sorted(set(names))
    merged: dict[str, str] = {}
    for name in {str(t).strip() for t in typed if t}:
        twins = [n for n in known if n != name and n.casefold() == name.casefold()]
        if len(twins) == 1:
            merged[name] = twins[0]
    return merged


def _squad_page(folder: Path | None, tables: Mapping[str, pd.DataFrame], problems: pd.DataFrame, *, files: Any,
                items: list[str], weeks: int, run_names: set[str]) -> tuple[SquadReport | None, pd.DataFrame]:
    """The triage and, with a folder, ``index.html`` and the squad's workbook written from the gathered
    tables (as render_squad writes them)."""
    from analysis.report.excel import squad_workbook
    from analysis.report.html import render_page
    from analysis.report.parts import problems_table, report_areas
    from analysis.report.squad import squad_parts, triage_table

    all_r = stand_ins(tables)
    areas = {name: report_areas(r) for name, r in all_r.items()}
    reports = tables["reports"].set_index("athlete")
    written = {str(n): (Path(row.html), Path(row.xlsx)) for n, row in reports.iterrows() if pd.notna(row.html)}
    failures = {str(n): str(row.error) for n, row in reports.iterrows() if pd.notna(row.error)}
    unassigned = _unassigned_lines(files)
    shared = problems[problems[OWNER].isna().to_numpy(dtype=bool)][list(C.PROBLEMS)].reset_index(drop=True)
    everything = problems[list(C.PROBLEMS)].reset_index(drop=True)
    end_text = next(iter(all_r.values())).params["end"]
    triage = triage_table(squad_parts(all_r, areas, {}, unassigned=unassigned, problems=shared))  # no links
    sheets = squad_workbook(triage, all_r, everything)
    if folder is None:
        return None, triage
    without = [f"{n}: runs only, no strength sets, so no report." for n in sorted(run_names - set(all_r))]
    without += [f"{n}: the report could not be written ({msg})." for n, msg in sorted(failures.items())]
    links = {n: written[n][0].name for n in written}
    squad = squad_parts(all_r, areas, links, unassigned=unassigned, without_report=without, problems=shared)
    html = render_page("squad.html.j2", title=squad.title, s=squad, problems_table=problems_table(shared))
    index, xlsx = write_files(folder, {
        "index.html": _text_writer(html),
        f"squad-{end_text}.xlsx": _excel_writer(sheets, {"weeks": weeks, "end": end_text,
                                                         "files": sorted({Path(p).name for p in items})}),
    })  # fmt: skip
    return SquadReport(index, xlsx, written, failures, unassigned), triage

"""Loaders: the only code that reads files.

:func:`read_logs` detects each file's format from its content, reads it with the matching
reader, and returns one :class:`TrainingLog` with canonical ``sets``, ``runs``,
``bodyweight`` and ``problems`` tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import canonical as _canonical  # noqa: F401  (liftpace's own CSVs)
from analysis.loaders import tables as _tables  # noqa: F401  (coach logs, CSV and workbooks)

# isort: split
# app-export readers
from analysis.loaders import fit as _fit  # noqa: F401
from analysis.loaders import fitbod as _fitbod  # noqa: F401
from analysis.loaders import fitnotes as _fitnotes  # noqa: F401
from analysis.loaders import garmin as _garmin  # noqa: F401
from analysis.loaders import gpsfiles as _gpsfiles  # noqa: F401
from analysis.loaders import hevy as _hevy  # noqa: F401
from analysis.loaders import strava as _strava  # noqa: F401
from analysis.loaders import strong as _strong  # noqa: F401
from analysis.loaders.accounting import (
    REPEATED_FILE,
    clean_names,
    drop_repeated_sets,
    drop_twin_runs,
    drop_twin_sets,
    note_odd_dates,
    repeated_files,
)
from analysis.loaders.base import (
    NOBODY,
    FileResult,
    Options,
    problem_frame,
    read_file,
)
from analysis.loaders.finalize import finalize_sets, note_zero_dates
from analysis.loaders.memory import malloc_pool, release_freed

__all__ = ["UNASSIGNED", "TrainingLog", "read_logs", "split_assignments"]

#: The athlete of rows from a file that names no athlete, read with ``unnamed="unassigned"``.
UNASSIGNED = ""
_SENTINEL = NOBODY  # what readers write for such rows; becomes UNASSIGNED in add()

@dataclass
class TrainingLog:
    """Everything loaded from a set of files.

    Attributes
    ----------
    sets, runs, bodyweight, problems : DataFrame
        The canonical tables (columns in :mod:`analysis.columns`).
    files : list of dict
        Per file: ``path``, ``format``, ``sets`` (after the checks across files), ``runs``,
        ``bodyweight``, ``problems``, ``skipped`` ({reason: rows}), ``removed`` ({reason: sets}:
        sets removed as repeats of an earlier row, so the files' ``sets`` add up to the log's),
        ``rows_read``, ``error`` (None or the message) and ``unassigned`` ({table: rows} of rows
        that name no athlete, read with ``unnamed="unassigned"``; empty otherwise).
    """

    sets: pd.DataFrame
    runs: pd.DataFrame
    bodyweight: pd.DataFrame
    problems: pd.DataFrame
    files: list[dict] = field(default_factory=list)

    @property
    def athletes(self) -> list[str]:
        """Athletes with any sets, runs or bodyweight, sorted (unassigned rows are no one's)."""
        names = pd.concat([self.sets[C.ATHLETE], self.runs[C.ATHLETE], self.bodyweight[C.ATHLETE]])
        return sorted(n for n in names.dropna().unique().tolist() if n != UNASSIGNED)

    def for_athlete(self, athlete: str) -> TrainingLog:
        """The same log restricted to one athlete: their rows, problems and files only.

        A problem belongs to the athlete when it names one of their rows (file, sheet and row),
        or when its file and sheet hold no one else's rows (:func:`analysis.loaders.scope.owners`).
        Problems about shared files that cannot be traced to one athlete are left out, so the
        result never holds another athlete's data.
        """
        from analysis.loaders.scope import files_of, owners

        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[(frame[C.ATHLETE] == athlete).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)

        mine = (owners(self) == athlete).fillna(False).to_numpy(dtype=bool)
        problems = self.problems[mine].reset_index(drop=True)
        names = files_of(self, athlete)
        files = [f for f in self.files if Path(f["path"]).name in names]
        return TrainingLog(pick(self.sets), pick(self.runs), pick(self.bodyweight), problems, files)

    def __repr__(self) -> str:
        return (f"TrainingLog({len(self.sets)} sets, {len(self.runs)} runs, "
                f"{len(self.athletes)} athletes, {len(self.problems)} problems)")


def read_logs(
    *paths: str | Path,
    weight_unit: Literal["kg", "lb"] | None = None,
    distance_unit: Literal["km", "mi"] | None = None,
    timezone: str | None = None,
    athlete: str | None = None,
    dayfirst: bool | None = None,
    catalog: pd.DataFrame | None = None,
    errors: Literal["raise", "report"] = "raise",
    athletes: Mapping[str | Path, str] | None = None,
    unnamed: Literal["file name", "unassigned"] = "file name",
) -> TrainingLog:
    """Read training logs into one canonical :class:`TrainingLog`.

    Parameters
    ----------
    *paths : str or Path
        CSV, xlsx/xlsm/xls/ods, GPX, TCX or FIT files, in any mix (coach workbooks and app
        exports of the same athlete load together).
    weight_unit : {"kg", "lb"}, default=None
        Unit of weights where the file does not say. None: from the file (header, cell or
        per-row unit), else kg with a note in ``problems``. A unit the file states (``Weight
        (kg)``, ``weight_lbs``, a ``kgs`` cell) always wins; when it disagrees with this option
        a ``kept`` note says so.
    distance_unit : {"km", "mi"}, default=None
        Unit of run distances where the file does not say (Garmin exports follow the
        account setting). None: from the file, else km.
    timezone : str, default=None
        IANA zone (``"Europe/London"``) to convert UTC sources (Strava, GPX, TCX, FIT) to local
        dates. None: the machine's local zone.
    athlete : str, default=None
        The athlete of files and sheets that name none (app exports, run files, a single-sheet
        log without an athlete column). None: the file name's stem. An athlete column, or the
        sheet names of a workbook with a sheet per athlete, always win.
    dayfirst : bool, default=None
        Read ambiguous ``03/09/2026`` dates as day-first (True) or month-first (False).
        None: decided per file from its values, day-first when nothing decides it (noted).
    catalog : DataFrame, default=None
        An exercise catalog from :func:`analysis.catalog.load_catalog`.
    errors : {"raise", "report"}, default="raise"
        What a file that cannot be read at all does: raise :class:`LogFormatError`, or
        become a ``dropped`` problem row (the other files still load).
    athletes : mapping of path to str, default=None
        The athlete of each listed file's rows that name none (``{"Activities.csv": "Mia"}``;
        keys as given in ``paths``); wins over ``athlete`` for those files.
    unnamed : {"file name", "unassigned"}, default="file name"
        Rows that name no athlete, in a file neither ``athlete`` nor ``athletes`` names:
        ``"file name"`` reads them as the file name's stem; ``"unassigned"`` gives them the
        athlete :data:`UNASSIGNED` (``""``, left out of ``.athletes``), counts them in the
        file's ``unassigned`` entry and adds one ``kept`` problem per file saying so (a squad
        must never give one athlete's file to everyone, or invent an athlete named after it).

    Returns
    -------
    TrainingLog
        ``.sets``, ``.runs``, ``.bodyweight``, ``.problems`` and ``.files``.

    Raises
    ------
    LogFormatError
        A file is missing, empty, of an unknown type or format, or unreadable
        (``errors="raise"``).
    """
    _check_options(weight_unit=weight_unit, distance_unit=distance_unit, timezone=timezone, errors=errors,
                   n_paths=len(paths))
    if unnamed not in ("file name", "unassigned"):
        raise ValueError(f"unnamed must be 'file name' or 'unassigned', got {unnamed!r} instead")
    options = Options(weight_unit=weight_unit, distance_unit=distance_unit, timezone=timezone,
                      athlete=athlete, dayfirst=dayfirst)
    given = {str(k): str(v).strip() for k, v in (athletes or {}).items()}
    given.update({str(Path(k)): v for k, v in list(given.items())})
    loading = _Loading()
    with malloc_pool():  # what loading frees goes back to the system (analysis.loaders.memory)
        first_of = repeated_files([Path(p) for p in paths]) if len(paths) > 1 else {}
        for i, p in enumerate(paths):
            path = Path(p)
            if i in first_of:  # the same file (by path or content) given again: read once
                loading.repeated(path, *first_of[i])
                continue
            name = given.get(str(p)) or given.get(str(path))
            here = options
            if name:
                here = replace(options, athlete=name)
            elif athlete is None and unnamed == "unassigned":
                here = replace(options, athlete=_SENTINEL)
            try:
                res = read_file(path, here)
            except LogFormatError as exc:
                if errors == "raise":
                    raise
                loading.unreadable(path, exc)
                continue
            loading.add(path, res)
        return loading.log(catalog)


def _check_options(*, weight_unit: object, distance_unit: object, timezone: str | None, errors: object,
                   n_paths: int) -> None:
    """Raise ValueError for an option :func:`read_logs` does not accept, or no paths."""
    if weight_unit not in (None, "kg", "lb"):
        raise ValueError(f"weight_unit must be 'kg', 'lb' or None, got {weight_unit!r} instead")
    if distance_unit not in (None, "km", "mi"):
        raise ValueError(f"distance_unit must be 'km', 'mi' or None, got {distance_unit!r} instead")
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r} instead")
    if not n_paths:
        raise ValueError("read_logs() expected at least one path, got none")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone must be an IANA name like 'Europe/London', got {timezone!r} instead") from None


@dataclass
class _Loading:
    """What :func:`read_logs` gathers file by file, before the checks across files."""

    pre_sets: list[pd.DataFrame] = field(default_factory=list)
    runs: list[pd.DataFrame] = field(default_factory=list)
    bodyweight: list[pd.DataFrame] = field(default_factory=list)
    problems: list[pd.DataFrame] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    def _note(self, path: Path, text: str) -> None:
        self.problems.append(problem_frame(source_file=path.name, source_sheet=None, source_row=None, column=None,
                                           value=None, problem=text, action="dropped"))

    def repeated(self, path: Path, first: str, how: str) -> None:
        """A file given again: one ``dropped`` problem, nothing read."""
        self._note(path, REPEATED_FILE.format(first=first, how=how))
        self.files.append({"path": str(path), "format": f"same file as {first} (read once)", "sets": 0, "runs": 0,
                           "bodyweight": 0, "problems": 1, "skipped": {}, "rows_read": 0, "error": None,
                           "duplicate_of": first})

    def unreadable(self, path: Path, exc: LogFormatError) -> None:
        """A file that could not be read (``errors="report"``): one ``dropped`` problem with the message."""
        self._note(path, str(exc))
        self.files.append({"path": str(path), "format": None, "sets": 0, "runs": 0, "bodyweight": 0,
                           "problems": 1, "skipped": {}, "rows_read": 0, "error": str(exc)})

    def add(self, path: Path, res: FileResult) -> None:
        """One file's tables and problems."""
        n_before = len(self.problems)
        self.problems.extend(res.problems)
        unassigned: dict[str, int] = {}
        for table, frame, into in (("sets", res.sets, self.pre_sets), ("runs", res.runs, self.runs),
                                   ("bodyweight", res.bodyweight, self.bodyweight)):
            if frame is None:
                continue
            if C.ATHLETE in frame and len(frame):
                nobody = _is_sentinel(frame[C.ATHLETE])
                if nobody.any():
                    names = frame[C.ATHLETE].astype("string")
                    frame = frame.copy()
                    frame[C.ATHLETE] = names.mask(nobody, UNASSIGNED)
                    unassigned[table] = int(nobody.sum())
            into.append(frame)
        if unassigned:
            counts = ", ".join(f"{n} {t}" for t, n in unassigned.items())
            self.problems.append(problem_frame(
                source_file=path.name, source_sheet=None, source_row=None, column=None, value=None,
                problem=(f"names no athlete: {counts} given to no one; say whose file it is "
                         f"with {path.name}=NAME"),
                action="kept"))  # fmt: skip
        self.files.append({"path": str(path), "format": res.format,
                           "sets": 0 if res.sets is None else len(res.sets),
                           "runs": 0 if res.runs is None else len(res.runs),
                           "bodyweight": 0 if res.bodyweight is None else len(res.bodyweight),
                           "problems": sum(len(f) for f in self.problems[n_before:]),
                           "skipped": dict(Counter(res.skipped)), "rows_read": res.rows_read, "error": None,
                           "unassigned": unassigned})

    def log(self, catalog: pd.DataFrame | None) -> TrainingLog:
        """The canonical tables, after the checks across files (names, the same data in another form,
        repeated rows, odd dates)."""
        problems = self.problems
        release_freed(sum(len(f) for f in self.pre_sets))  # what the readers freed: the checks start from their rows
        pre = _encoded(pd.concat(self.pre_sets, ignore_index=True)) if self.pre_sets else None
        if pre is not None:
            pre = clean_names(pre, (C.ATHLETE, C.EXERCISE_RAW), problems)
            pre = drop_twin_sets(pre, self.files, problems)
            pre = drop_repeated_sets(pre, problems)
            release_freed(len(pre))  # the checks' hashes of every row
        sets, more = finalize_sets(pre, catalog=catalog)
        problems.extend(more)
        runs = C.conform(pd.concat(self.runs, ignore_index=True), C.RUNS) if self.runs else C.empty(C.RUNS)
        bws = (C.conform(pd.concat(self.bodyweight, ignore_index=True), C.BODYWEIGHT) if self.bodyweight
               else C.empty(C.BODYWEIGHT))
        runs = clean_names(runs, (C.ATHLETE,), problems)
        runs = drop_twin_runs(runs, self.files, problems)
        bws = clean_names(bws, (C.ATHLETE,), problems)
        for frame in (sets, runs, bws):
            note_odd_dates(frame, problems)
            note_zero_dates(frame, problems)
        self._count_final_sets(sets)
        probs = [p for p in problems if not p.empty]
        prob_df = C.conform(pd.concat(probs, ignore_index=True), C.PROBLEMS) if probs else C.empty(C.PROBLEMS)
        if not prob_df.empty:  # problems per file, after the checks across files
            counts = prob_df[C.SOURCE_FILE].value_counts()
            for f in self.files:
                f["problems"] = int(counts.get(Path(f["path"]).name, 0))
        release_freed(len(sets))  # what the checks freed: the analyses start from the log's own rows
        return TrainingLog(sets=sets, runs=runs, bodyweight=bws, problems=prob_df, files=self.files)


    def _count_final_sets(self, sets: pd.DataFrame) -> None:
        """Per file, the sets left after the checks across files, and the sets removed as repeats
        counted in ``removed`` (each row also has its ``dropped`` problem): the files' sets add up
        to the log's."""
        names = [Path(f["path"]).name for f in self.files]
        for f in self.files:
            f.setdefault("removed", {})
        if len(set(names)) != len(names):  # two files of one name: the counts cannot be told apart
            return
        final = sets[C.SOURCE_FILE].value_counts() if len(sets) else pd.Series(dtype="int64")
        for f, name in zip(self.files, names, strict=True):
            n = int(final.get(name, 0))
            if f["sets"] > n:
                f["removed"][REPEATED_ROWS] = f["sets"] - n
            f["sets"] = n


#: The class of the sets removed as repeats of an earlier row of the same file (``files[i]["removed"]``).
REPEATED_ROWS = "repeated row (counted once)"


def _is_sentinel(names: pd.Series) -> pd.Series:
    """Per row: is the athlete the readers' "no one" (:data:`_SENTINEL`)? A coded column is
    compared on its categories: no million strings made to find none."""
    if isinstance(names.dtype, pd.CategoricalDtype):
        cats = pd.Series(names.cat.categories).astype("string")
        hit = np.append((cats == _SENTINEL).fillna(False).to_numpy(dtype=bool), False)
        return pd.Series(hit[names.cat.codes.to_numpy()], index=names.index)  # code -1: the False at the end
    return (names.astype("string") == _SENTINEL).fillna(False)


def _encoded(pre: pd.DataFrame) -> pd.DataFrame:
    """Pre-sets with their name columns as categories.

    Name columns repeat a few dozen values over up to millions of rows: encoded once, every
    check after works on integer codes; :func:`analysis.columns.conform` returns them as strings.
    """
    for col in (C.ATHLETE, C.EXERCISE_RAW, C.SIDE, C.SOURCE_FILE, C.SOURCE_SHEET, "notes"):
        if col in pre and not isinstance(pre[col].dtype, pd.CategoricalDtype):
            pre[col] = _as_category(pre[col])
    return pre


def _as_category(col: pd.Series) -> pd.Series:
    """``col.astype("string").astype("category")``, converted on the column's distinct cells: the
    same categories (the distinct texts, sorted) and codes, without a million cells made strings
    first (a file name repeated on every row)."""
    try:
        codes, uniques = pd.factorize(col)
    except TypeError:  # unhashable cells (never from the readers)
        return col.astype("string").astype("category")
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype("string").astype("category")
    ranks = distinct.cat.codes.to_numpy()
    full = np.where(codes < 0, -1, ranks[np.maximum(codes, 0)]) if len(ranks) else np.full(len(codes), -1)
    return pd.Series(pd.Categorical.from_codes(full, dtype=distinct.dtype), index=col.index, name=col.name)


def split_assignments(items: list[str]) -> tuple[list[str], dict[str, str]]:
    """``PATH=NAME`` arguments -> (paths, {path: athlete}); other items are plain paths.

    An item that exists as a file is a path even when it holds ``=``; otherwise the text
    before the last ``=`` is the path and the rest the athlete.

    Examples
    --------
    >>> split_assignments(["coach.xlsx", "Activities.csv=Mia Lund"])
    (['coach.xlsx', 'Activities.csv'], {'Activities.csv': 'Mia Lund'})
    """
    paths: list[str] = []
    names: dict[str, str] = {}
    for item in items:
        text = str(item)
        if "=" in text and not Path(text).exists():
            path, _, name = text.rpartition("=")
            if path and name.strip():
                paths.append(path)
                names[path] = name.strip()
                continue
        paths.append(text)
    return paths, names

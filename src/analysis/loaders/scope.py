"""Whose is it: the athlete each problem row and each file belongs to.

A report goes to one athlete, so it may hold that athlete's rows alone. Problems carry no
athlete column (``problems`` is about files and rows), so ownership is traced:

1. A problem that names a row (file, sheet, row) of the canonical tables belongs to the
   athlete of that row.
2. Otherwise, a problem whose file and sheet hold rows of exactly one athlete belongs to that
   athlete (a runner's own export, a sheet per athlete); a file-level note (no sheet) needs the
   whole file to be one athlete's.
3. Anything else (a dropped row of a shared sheet, a note about a shared workbook) belongs to
   no one: it is shown on the squad page, never in an athlete's report.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd

from analysis import columns as C


class TrainingLog(Protocol):
    """What ownership reads of :class:`analysis.loaders.log.TrainingLog` (which calls this module)."""

    sets: pd.DataFrame
    runs: pd.DataFrame
    bodyweight: pd.DataFrame
    problems: pd.DataFrame
    files: list[dict[str, Any]]

__all__ = ["files_by_athlete", "files_of", "owners"]

_KEY = [C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]


def _rows(log: TrainingLog) -> pd.DataFrame:
    """Distinct (file, sheet, row, athlete) of every canonical row, with text keys."""
    parts = [f[[*_KEY, C.ATHLETE]] for f in (log.sets, log.runs, log.bodyweight) if len(f)]
    if not parts:
        return pd.DataFrame(columns=[*_KEY, C.ATHLETE], dtype=object)
    rows = pd.concat(parts, ignore_index=True).drop_duplicates()
    return _keyed(rows)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["f"] = frame[C.SOURCE_FILE].astype("string").fillna("").to_numpy(dtype=object)
    out["s"] = frame[C.SOURCE_SHEET].astype("string").fillna("").to_numpy(dtype=object)
    out["r"] = pd.array(frame[C.SOURCE_ROW], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
    if C.ATHLETE in frame:
        out["a"] = frame[C.ATHLETE].astype("string").to_numpy(dtype=object)
    return out


def _only(rows: pd.DataFrame, by: list[str]) -> pd.Series:
    """Per group of ``by``: its athlete when it has exactly one, else None."""
    grouped = rows.groupby(by, sort=False)["a"]
    first, count = grouped.first(), grouped.nunique()
    only = first.astype(object).where(count.to_numpy() == 1, None)
    if not isinstance(only.index, pd.MultiIndex):
        only.index = pd.MultiIndex.from_arrays([only.index], names=by)
    return only


def owners(log: TrainingLog) -> pd.Series:
    """The athlete each row of ``log.problems`` belongs to, or NA (module docstring).

    Returns
    -------
    Series
        Aligned with ``log.problems`` (same index), dtype ``string``.
    """
    problems = log.problems
    if problems.empty:
        return pd.Series(pd.array([], dtype="string"), index=problems.index)
    rows = _rows(log)
    keys = _keyed(problems)
    # 1. the athlete of the named row (a row expanded into sets has one athlete)
    by_row = _only(rows, ["f", "s", "r"])
    named = pd.MultiIndex.from_frame(keys[["f", "s", "r"]])
    who = pd.Series(by_row.reindex(named).to_numpy(dtype=object), index=problems.index)
    # 2. the only athlete of the sheet (or of the file, for a note that names no sheet)
    per_sheet = _only(rows, ["f", "s"])
    per_file = _only(rows, ["f"])
    sheet_owner = per_sheet.reindex(pd.MultiIndex.from_frame(keys[["f", "s"]])).to_numpy(dtype=object)
    file_owner = per_file.reindex(pd.MultiIndex.from_frame(keys[["f"]])).to_numpy(dtype=object)
    fallback = np.where(keys["s"].to_numpy(dtype=object) == "", file_owner, sheet_owner)
    who = who.where(who.notna(), pd.Series(fallback, index=problems.index))
    out = pd.array(who.where(who.notna(), None).tolist(), dtype="string")
    # the unassigned rows of a squad are no one's
    out[(pd.Series(out) == "").fillna(False).to_numpy(dtype=bool)] = pd.NA
    return pd.Series(out, index=problems.index)


def files_of(log: TrainingLog, athlete: str) -> set[str]:
    """File names (as in ``source_file``) that hold any row of ``athlete``."""
    rows = _rows(log)
    return set(rows.loc[(rows["a"] == athlete).to_numpy(dtype=bool), "f"].tolist())


def files_by_athlete(log: TrainingLog) -> dict[str, set[str]]:
    """Athlete -> the file names (as in ``source_file``) that hold any of their rows."""
    rows = _rows(log)
    return {str(a): set(part["f"]) for a, part in rows.groupby("a", sort=True)}

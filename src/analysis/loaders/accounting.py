"""The checks :func:`~analysis.loaders.read_logs` runs across files, on every format's rows.

* **Repeated files**: a path given twice, or two files with the same bytes, are read once
  (:func:`repeated_files`).
* **Repeated rows**: a row of a file and sheet that repeats an earlier one, its set number
  included, is counted once (:func:`drop_repeated_sets`).
* **Names**: athlete and exercise names lose control characters and are cut to
  :data:`MAX_NAME_CHARS` (:func:`clean_names`, ``fixed``).
* **Odd dates**: a row dated after tomorrow or before 1970 is kept with a note
  (:func:`note_odd_dates`, ``kept``).
* **The same data in another form** is counted once (:func:`drop_twin_sets`,
  :func:`drop_twin_runs`), the later file's copy dropped with a note naming both files:

  - *sets*: a file whose sets are exactly another file's (same athlete, date, exercise, side,
    reps, load, time, distance, RPE and warm-up flag, as a multiset, whatever the order of the
    rows): a CSV re-saved with CRLF, a BOM or ``;``, or as a workbook. Its rows are counted as
    skipped (``same sets as 'first.csv'``) and one ``dropped`` problem names both files.
    Overlapping exports that are not wholly the same are not merged.
  - *runs*: a run of the same athlete in another file that starts within
    :data:`TWIN_RUN_SECONDS` and whose distance is within :data:`TWIN_RUN_DISTANCE` of it: a GPX
    and its ``.gz``, a FIT and its TCX, a Strava ``activities.csv`` row and its activity file
    (given the same ``athlete``). One ``dropped`` problem per run names the file and row kept.

Each appends its problem rows, grouped by file and sheet, to the ``problems`` list it is given.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.loaders.base import problem_frame, problems_by_file
from analysis.loaders.guards import MAX_FILE_BYTES, MAX_NAME_CHARS
from analysis.loaders.table_sets import SOURCE_SET

__all__ = [
    "MAX_NAME_CHARS",
    "REPEATED_FILE",
    "TWIN_RUN",
    "TWIN_RUN_DISTANCE",
    "TWIN_RUN_SECONDS",
    "TWIN_SETS",
    "clean_names",
    "drop_repeated_sets",
    "drop_twin_runs",
    "drop_twin_sets",
    "note_odd_dates",
    "repeated_files",
]

#: Problem texts of the checks :func:`read_logs` runs on every format's rows.
REPEATED_FILE = "the same file as '{first}' was given twice ({how}); read once"
REPEATED_ROW = ("repeats row {row} (same athlete, date, exercise, side, set number and values); "
                "counted once")
FUTURE_DATE = "date is in the future (after tomorrow); kept: check the year"
EARLY_DATE = "date is before 1970; kept: check the year"
CONTROL_CHARS = "control characters (tabs, line breaks, terminal codes) removed from the name"
LONG_NAME = "name longer than {n} characters; cut to {n}"
TWIN_SETS = ("holds the same sets as '{first}' (the same log in another form: re-saved with other line ends, "
             "encoding or separator, or as a workbook); counted once")
TWIN_RUN = ("the same run as '{first}' row {row} (starts within a minute, distance within {pct:g} %): the same "
            "activity in another form; counted once")
#: Two runs of one athlete from different files are one run when they start this close (seconds)...
TWIN_RUN_SECONDS = 60
#: ... and their distances differ by at most this fraction (apps recompute GPS distance: 1-3 %).
TWIN_RUN_DISTANCE = 0.03
#: The columns that make two sets the same set.
_SET_CONTENT = (C.ATHLETE, C.DATE, C.EXERCISE_RAW, C.SIDE, C.REPS, C.LOAD_KG, C.DURATION_S, C.DISTANCE_M, C.RPE,
                C.WARMUP)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LABELS = {C.ATHLETE: "Athlete", C.EXERCISE_RAW: "Exercise", C.DATE: "Date"}


def repeated_files(paths: list[Path]) -> dict[int, tuple[str, str]]:
    """Positions of paths that repeat an earlier one: ``{i: (first file's name, "same path" | "same content")}``.

    Content is compared by SHA-256, only between files of equal size, and only for files within
    the size limit (a bigger file is refused before anything reads it).
    """
    out: dict[int, tuple[str, str]] = {}
    seen: dict[Path, Path] = {}
    sizes: dict[int, list[int]] = {}
    for i, path in enumerate(paths):
        if not path.is_file():
            continue
        key = path.resolve()
        if key in seen:
            out[i] = (seen[key].name, "same path")
            continue
        seen[key] = path
        size = path.stat().st_size
        if size <= MAX_FILE_BYTES:  # a bigger file is refused unread: never hash it
            sizes.setdefault(size, []).append(i)
    for group in sizes.values():
        if len(group) < 2:
            continue
        digests: dict[str, Path] = {}
        for i in group:
            digest = hashlib.sha256()
            try:
                with paths[i].open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
            except OSError:  # unreadable: reading it will say so
                continue
            first = digests.setdefault(digest.hexdigest(), paths[i])
            if first is not paths[i]:
                out[i] = (first.name, "same content")
    return out


def _problems_by_row(frame: pd.DataFrame, mask: pd.Series, problems: list, *, column: str,
                     value: pd.Series, problem: pd.Series | str, action: str) -> None:
    """Problem rows for ``frame[mask]``, one per source row (a row expanded to several sets once)."""
    picked = frame.loc[mask, [C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]].assign(_value=value, _problem=problem)
    picked = picked.drop_duplicates([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW])
    problems_by_file(picked, problems, column=column, value=picked["_value"], problem=picked["_problem"],
                     action=action)


def clean_names(frame: pd.DataFrame, cols: tuple[str, ...], problems: list) -> pd.DataFrame:
    """Names without control characters and at most :data:`MAX_NAME_CHARS` long (``fixed``).

    Text is never interpreted, but a terminal acts on escape codes, a line break splits a name
    in two, and a 10,000-character "name" is a pasted cell, not a name.
    """
    for col in cols:
        if col not in frame or frame.empty:
            continue
        odd = [str(u) for u in frame[col].dropna().unique() if _CONTROL.search(str(u)) or len(str(u)) > MAX_NAME_CHARS]
        if not odd:
            continue
        names = frame[col].astype("string")
        clean = {u: (" ".join(_CONTROL.sub(" ", u).split()) or "(no name)")[:MAX_NAME_CHARS] for u in odd}
        texts = {u: CONTROL_CHARS if _CONTROL.search(u) else LONG_NAME.format(n=MAX_NAME_CHARS) for u in odd}
        mask = names.isin(odd)
        _problems_by_row(frame, mask, problems, column=_LABELS.get(col, col), value=names[mask],
                 problem=names[mask].map(texts), action="fixed")
        frame = frame.copy()
        frame[col] = names.mask(mask, names[mask].map(clean))
    return frame


def drop_repeated_sets(pre: pd.DataFrame, problems: list) -> pd.DataFrame:
    """Drop source rows that repeat an earlier row of the same file and sheet, set number included.

    Identical sets are normal (3 x 10 at 40 kg is three identical rows), so rows are repeats only
    when the source numbers its sets (a ``Set`` column, or ``set_index``) and the number matches
    too. A row that expands to several sets is a repeat only when all its sets are.
    """
    number = pre[C.SET_INDEX] if C.SET_INDEX in pre else pre.get(SOURCE_SET)
    if number is None:
        return pre
    number = pd.to_numeric(number, errors="coerce")
    numbered = number.notna().to_numpy()
    if not numbered.any():
        return pre
    frame = pre if numbered.all() else pre[numbered]
    # cheap first pass: a repeat shares file, sheet, athlete, date, exercise, side and set number
    narrow = [c for c in (C.SOURCE_FILE, C.SOURCE_SHEET, C.ATHLETE, C.DATE, C.EXERCISE_RAW, C.SIDE) if c in frame]
    keyed = frame[narrow].assign(_number=number[numbered].to_numpy())
    candidates = keyed.duplicated(keep=False).to_numpy()
    if not candidates.any():
        return pre
    values = [c for c in (C.REPS, C.LOAD_KG, C.DURATION_S, C.DISTANCE_M, C.RPE, C.WARMUP) if c in frame]
    cand = keyed[candidates].join(frame.loc[candidates, [*values, C.SOURCE_ROW]])
    cand["_row"] = cand.pop(C.SOURCE_ROW).astype("Int64")
    # the sets one row expands to ("3x10") are not each other's repeats
    cand["_within"] = cand.groupby([*narrow, "_number", "_row"], dropna=False, sort=False).cumcount()
    group_cols = [*narrow, "_number", *values, "_within"]
    cand["_repeat"] = cand.duplicated(subset=group_cols, keep="first")
    cand["_first"] = cand.groupby(group_cols, dropna=False, sort=False)["_row"].transform("first")
    row_key = [C.SOURCE_FILE, C.SOURCE_SHEET, "_row"]
    rep = cand[cand["_repeat"]].groupby(row_key, dropna=False, sort=False).agg(
        _k=("_repeat", "size"), _first=("_first", "min"), _firsts=("_first", "nunique"))
    if rep.empty:
        return pre
    rows_of = frame[frame[C.SOURCE_ROW].isin(rep.index.get_level_values("_row"))]
    n_sets = rows_of.groupby([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW], dropna=False, sort=False).size()
    n_sets.index = n_sets.index.set_names(row_key)
    rep = rep.join(n_sets.rename("_n"))
    rep = rep[(rep["_k"] == rep["_n"]) & (rep["_firsts"] == 1)].reset_index()
    if rep.empty:
        return pre
    drop = pre.set_index([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]).index.isin(
        pd.MultiIndex.from_frame(rep[[C.SOURCE_FILE, C.SOURCE_SHEET, "_row"]]))
    texts = rep["_first"].map(lambda r: REPEATED_ROW.format(row=r))
    problems_by_file(rep.rename(columns={"_row": C.SOURCE_ROW}), problems, column=None, value=None, problem=texts,
                     action="dropped")
    return pre[~drop].reset_index(drop=True)


def note_odd_dates(frame: pd.DataFrame, problems: list) -> None:
    """A ``kept`` problem per row dated after tomorrow or before 1970 (a mistyped year)."""
    if frame.empty:
        return
    dates = frame[C.DATE]
    after_tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=2)
    future = (dates >= after_tomorrow).fillna(False)
    early = (dates < pd.Timestamp("1970-01-01")).fillna(False)
    for mask, text in ((future, FUTURE_DATE), (early, EARLY_DATE)):
        if mask.any():
            _problems_by_row(frame, mask, problems, column="Date", value=dates[mask].dt.strftime("%Y-%m-%d"),
                     problem=text, action="kept")


def _order(files: list[dict]) -> dict[str, int]:
    """File name -> position among the files given (the first of two copies is kept)."""
    order: dict[str, int] = {}
    for i, f in enumerate(files):
        order.setdefault(Path(f["path"]).name, i)
    return order


def drop_twin_sets(pre: pd.DataFrame, files: list[dict], problems: list) -> pd.DataFrame:
    """Drop the sets of a file whose sets are exactly an earlier file's (see the module docstring).

    The file's rows are counted as skipped in its ``files`` entry (``same sets as 'x'``) and one
    ``dropped`` problem names both files.
    """
    if pre.empty:
        return pre
    names = pre[C.SOURCE_FILE].astype("string")
    counts = names.value_counts()
    same_size = counts[counts.duplicated(keep=False)]
    if same_size.empty:
        return pre
    order = _order(files)
    digests: dict[tuple[int, bytes], str] = {}
    twins: dict[str, str] = {}
    for name in sorted(same_size.index, key=lambda n: order.get(n, len(order))):
        rows = pre[(names == name).to_numpy()]
        content = pd.DataFrame({c: _canonical(rows[c]) for c in _SET_CONTENT if c in rows})
        hashes = np.sort(pd.util.hash_pandas_object(content, index=False).to_numpy())
        key = (len(rows), hashlib.sha256(hashes.tobytes()).digest())
        first = digests.setdefault(key, name)
        if first != name:
            twins[name] = first
    if not twins:
        return pre
    drop = names.isin(list(twins)).to_numpy()
    for f in files:
        name = Path(f["path"]).name
        if name in twins:
            rows = pre.loc[(names == name).to_numpy(), [C.SOURCE_SHEET, C.SOURCE_ROW]]
            n = len(rows.drop_duplicates())
            f["sets"] = 0
            f["skipped"] = {**f["skipped"], f"same sets as '{twins[name]}'": n}
            f["twin_of"] = twins[name]
            problems.append(problem_frame(source_file=name, source_sheet=None, source_row=None, column=None,
                                          value=None, problem=TWIN_SETS.format(first=twins[name]), action="dropped"))
    return pre[~drop].reset_index(drop=True)


def _canonical(col: pd.Series) -> pd.Series:
    """A content column in one dtype whatever the reader (numbers rounded past float noise)."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.astype("boolean")
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col.astype("datetime64[us]")
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.astype("Float64").round(6)
    return col.astype("string").str.strip()


def drop_twin_runs(runs: pd.DataFrame, files: list[dict], problems: list) -> pd.DataFrame:
    """Drop a run that is an earlier file's run in another form (see the module docstring)."""
    if runs.empty or runs[C.SOURCE_FILE].nunique() < 2:
        return runs
    order = _order(files)
    frame = runs.assign(_pos=runs[C.SOURCE_FILE].map(order).fillna(len(order)).astype(int),
                        _i=np.arange(len(runs))).sort_values([C.ATHLETE, C.DATE, "_pos"], kind="stable")
    athlete = frame[C.ATHLETE].astype("string").fillna("").to_numpy()
    start = frame[C.DATE].to_numpy(dtype="datetime64[s]").astype("int64")
    km = frame[C.DISTANCE_KM].astype(float).to_numpy()
    pos = frame["_pos"].to_numpy()
    drop: dict[int, tuple[str, int]] = {}  # frame position -> (file kept, its row)
    for i in range(len(frame)):
        if i in drop:
            continue
        j = i + 1
        while j < len(frame) and athlete[j] == athlete[i] and start[j] - start[i] <= TWIN_RUN_SECONDS:
            if (j not in drop and pos[j] != pos[i]
                    and abs(km[j] - km[i]) <= TWIN_RUN_DISTANCE * max(km[i], km[j])):
                later, kept = (j, i) if pos[j] > pos[i] else (i, j)
                drop[later] = (frame[C.SOURCE_FILE].iloc[kept], int(frame[C.SOURCE_ROW].iloc[kept]))
                if later == i:
                    break
            j += 1
    if not drop:
        return runs
    gone = frame.iloc[sorted(drop)]
    texts = pd.Series([TWIN_RUN.format(first=f, row=r, pct=100 * TWIN_RUN_DISTANCE) for f, r in
                       (drop[k] for k in sorted(drop))], index=gone.index)
    problems_by_file(gone, problems, column=None, value=None, problem=texts, action="dropped")
    for f in files:
        n = int((gone[C.SOURCE_FILE] == Path(f["path"]).name).sum())
        if n:
            f["runs"] -= n
    keep = np.ones(len(runs), dtype=bool)
    keep[gone["_i"].to_numpy()] = False
    return runs[keep].reset_index(drop=True)

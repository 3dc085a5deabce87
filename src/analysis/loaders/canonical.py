"""liftpace's own canonical CSVs (``sets`` and ``runs`` columns by name): the fast path.

A CSV whose header carries the canonical column names (``athlete, date, exercise, side, reps,
load_kg`` ... or ``athlete, date, distance_km, duration_s`` ...) is read with pandas' C parser
and validated column by column; nothing is parsed cell by cell. Other columns are ignored.
Bad values are reported like every other format's (file, row, column, value), and the row is
dropped when it cannot be used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.base import FileResult, Options, Problems, Reader, Sniff, register

SETS_KEYS = {C.ATHLETE, C.DATE, C.EXERCISE, C.REPS, C.LOAD_KG}
RUNS_KEYS = {C.ATHLETE, C.DATE, C.DISTANCE_KM, C.DURATION_S}
_NUMERIC_SETS = (C.SET_INDEX, C.REPS, C.LOAD_KG, C.DURATION_S, C.DISTANCE_M, C.RPE)
_NUMERIC_RUNS = (C.DISTANCE_KM, C.DURATION_S, C.PACE_S_PER_KM, C.AVG_HR_BPM, C.ELEVATION_GAIN_M)


def _kind(sniff: Sniff) -> str | None:
    if not sniff.header or sniff.delimiter != ",":
        return None
    names = set(sniff.header)
    if SETS_KEYS <= names:
        return "sets"
    if RUNS_KEYS <= names:
        return "runs"
    return None


def _detect(sniff: Sniff) -> bool:
    return _kind(sniff) is not None


def _numeric(frame: pd.DataFrame, cols, problems: Problems) -> pd.Series:
    """Coerce columns to float; report text that is not a number; return the bad-row mask."""
    bad_any = pd.Series(False, index=frame.index)
    for col in cols:
        if col not in frame:
            continue
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s.dtype):
            continue
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna() & s.notna() & (s.astype("string").str.strip() != "")
        if bad.any():
            problems.add_where(bad, col, s.astype("string"), f"not a number in {col}", "dropped")
            bad_any |= bad
        frame[col] = num
    return bad_any


def canonical_kind(names: list[object]) -> str | None:
    """``"sets"`` or ``"runs"`` when a header carries the canonical column names, else None."""
    found = {str(n).strip() for n in names}
    if SETS_KEYS <= found:
        return "sets"
    if RUNS_KEYS <= found:
        return "runs"
    return None


def from_frame(frame: pd.DataFrame, *, kind: str, result: FileResult, file: str, sheet: str | None,
               rows: pd.Series, options: Options) -> pd.DataFrame:
    """Validate a frame with canonical column names; return the rows that can be used.

    Shared by the CSV fast path and canonical sheets in workbooks. Bad values go to
    ``result.problems``; the returned frame carries ``source_*``.
    """
    problems = Problems(result, file, sheet, rows=rows)
    keep = ~_numeric(frame, _NUMERIC_SETS if kind == "sets" else _NUMERIC_RUNS, problems)
    raw_dates = frame[C.DATE]
    if pd.api.types.is_datetime64_any_dtype(raw_dates.dtype):
        dates = raw_dates
    elif isinstance(raw_dates.dtype, pd.CategoricalDtype):  # the CSV's dates: each distinct one read once
        distinct = V.wall_times(pd.Series(raw_dates.cat.categories, dtype="string"), format="ISO8601")
        at = raw_dates.cat.codes.to_numpy()
        dates = pd.Series(np.append(distinct.to_numpy(), np.datetime64("NaT", "us"))[at], index=raw_dates.index)
    else:
        # ISO dates; a UTC offset (Z, +02:00) is dropped, the time read as written (as every reader does)
        dates = V.wall_times(raw_dates.astype("string"), format="ISO8601")
    bad_date = dates.isna()
    if bad_date.any():
        problems.add_where(bad_date, C.DATE, raw_dates.astype("string"), "not an ISO date (YYYY-MM-DD)", "dropped")
    keep &= ~bad_date
    frame[C.DATE] = dates
    if options.athlete:  # names only the rows that name no one
        frame[C.ATHLETE] = frame[C.ATHLETE].fillna(options.athlete)
    for col in (C.ATHLETE, C.EXERCISE, C.EXERCISE_RAW, C.SIDE, C.RUN_TYPE):
        if col in frame and frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    if kind == "sets":
        if C.SIDE in frame:
            side_bad = ~frame[C.SIDE].isin(C.SIDES) & frame[C.SIDE].notna()
            if side_bad.any():
                problems.add_where(side_bad, C.SIDE, frame[C.SIDE],
                                   "side must be left, right or both; read from the name or notes", "kept")
                frame.loc[side_bad, C.SIDE] = pd.NA
        neg = (frame[C.LOAD_KG] < 0) | (frame[C.REPS] < 0)
        if neg.any():  # (the loads as text only then: a million floats written out took 0.3 s)
            problems.add_where(neg, C.LOAD_KG, frame[C.LOAD_KG].astype("string"), "negative load or reps", "dropped")
        keep &= ~neg
        if C.EXERCISE_RAW not in frame:
            frame[C.EXERCISE_RAW] = frame[C.EXERCISE]
        if C.WARMUP in frame and frame[C.WARMUP].dtype == object:
            frame[C.WARMUP] = frame[C.WARMUP].astype("string").str.lower().map(
                {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False})
    else:
        zero = ~(frame[C.DISTANCE_KM] > 0)
        if zero.any():
            problems.add_where(zero, C.DISTANCE_KM, frame[C.DISTANCE_KM].astype("string"),
                               "zero, negative or missing distance", "dropped")
        keep &= ~zero
        frame[C.PACE_S_PER_KM] = frame[C.DURATION_S] / frame[C.DISTANCE_KM]
    frame[C.SOURCE_FILE] = file
    frame[C.SOURCE_SHEET] = sheet
    frame[C.SOURCE_ROW] = rows
    return frame[keep.to_numpy()] if not keep.all() else frame


def _read(path: Path, sniff: Sniff, options: Options) -> FileResult:
    kind = _kind(sniff)
    assert kind is not None  # detect() said so
    schema = C.SETS if kind == "sets" else C.RUNS
    wanted = [c for c in (sniff.header or []) if c in schema]
    # text columns as categories straight from the C parser: names repeat over many rows, and
    # every later step (name checks, catalog lookup) then works on codes; conform() returns strings
    str_cols = {c: "category" for c in wanted if schema[c] == "string" or c == C.DATE}  # dates repeat too
    frame = pd.read_csv(path, usecols=wanted, dtype=str_cols, encoding="utf-8-sig", keep_default_na=True)
    result = FileResult(path=str(path), format=f"liftpace canonical {kind} (CSV)", rows_read=len(frame))
    rows = pd.Series(np.arange(2, len(frame) + 2), index=frame.index)
    out = from_frame(frame, kind=kind, result=result, file=path.name, sheet=None, rows=rows, options=options)
    if kind == "sets":
        result.sets = out
    else:
        result.runs = out
    return result


register(Reader(name="canonical", label="liftpace canonical CSV", detect=_detect, read=_read, priority=10))

"""The values of a coach log's data rows, one reading step per field; runs and bodyweight.

:mod:`analysis.loaders.tables` finds a table (its header, fields and data rows) in a CSV or a
sheet; :func:`~analysis.loaders.table_sets.read_sets`, :func:`read_runs` and
:func:`read_bodyweight` read its values column by column with :class:`Rows`. Each step
parses one field with :mod:`analysis.loaders.values`, reports what it could not take as
written (file, sheet, row, column as the header spells it, value) and drops the rows it cannot
use, so every data row ends as one or more sets, a run, a measurement or a ``dropped``
problem.

Cell spellings: :mod:`analysis.loaders.values`. Layouts and row accounting:
:mod:`analysis.loaders.tables`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.base import FileResult, Options, Problems
from analysis.running import format_pace

__all__ = ["HR_OUTSIDE", "Rows", "Sheet", "StackedSheet", "Unstack", "default_athlete", "read_bodyweight", "read_runs"]

#: The problem of an average heart rate no one runs at (a typing or unit error).
HR_OUTSIDE = "average heart rate outside {:g}-{:g} bpm; left empty".format(*C.BOUNDS[C.AVG_HR_BPM])

_LABEL_FIELDS = {
    "Date": "date", "Exercise": "exercise", "Side": "side", "Sets": "sets", "Reps": "reps",
    "Weight": "weight", "RPE": "rpe", "RIR": "rir", "Duration": "duration", "Distance": "distance",
    "Pace": "pace", "Avg HR": "avg_hr", "Elevation": "elevation", "Bodyweight": "bodyweight",
}  # fmt: skip


class Sheet(Problems):
    """The problems of one sheet (or CSV) being read.

    Problems name a column by its header text as the user typed it (``Weight (kg)``): the
    reading code names the field (``Weight``) and :meth:`add` swaps in the header's text.
    """

    def __init__(self, path: Path, sheet: str | None, result: FileResult, names: dict[str, str] | None = None) -> None:
        super().__init__(result, path.name, sheet)
        self.path = path
        self.names = names or {}

    def add(self, rows, column, value, problem, action) -> None:
        field = _LABEL_FIELDS.get(column) if column is not None else None
        if field == "bodyweight" and "bodyweight" not in self.names:
            field = "weight"
        column = self.names.get(field, column) if field else column
        super().add(rows, column, value, problem, action)

    def note_parsed(self, parsed: V.Parsed, rows: pd.Series, raw: pd.Series, column: str, *, bad_action: str = "dropped") -> None:
        """The cells a parser could not read (``bad_action``) or read not as written (``fixed``)."""
        if parsed.bad.any():
            self.add(rows[parsed.bad], column, raw[parsed.bad], parsed.reason[parsed.bad], bad_action)
        if parsed.fixed.any():
            self.add(rows[parsed.fixed], column, raw[parsed.fixed], parsed.reason[parsed.fixed], "fixed")

    def note_fixed_once(self, parsed: V.Parsed, rows: pd.Series, raw: pd.Series, column: str, *,
                        bad_action: str = "dropped") -> None:
        """As :meth:`note_parsed`, but the cells read not as written (``fixed``) are one counted note
        per reason, on the first row read so: a column of a million ``dd/mm/yyyy`` dates is one
        thing to tell a coach, not a million. The unreadable cells are still noted row by row."""
        if parsed.bad.any():
            self.add(rows[parsed.bad], column, raw[parsed.bad], parsed.reason[parsed.bad], bad_action)
        fixed = parsed.fixed & ~parsed.bad
        if not fixed.any():
            return
        reasons = parsed.reason[fixed]
        counts = reasons.value_counts(dropna=False)
        first = reasons[~reasons.duplicated()]
        why = pd.Series([_counted(str(t), int(counts[t])) for t in first], index=first.index, dtype=object)
        self.add(rows[first.index], column, raw[first.index], why, "fixed")

    def note_fixed_once_coded(self, codes: np.ndarray, parsed: V.Parsed, rows: pd.Series, raw: pd.Series,
                              column: str, *, bad_action: str = "dropped") -> None:
        """:meth:`note_fixed_once` of a parse made on a column's distinct cells (``parsed``, one
        entry per distinct cell; ``codes``, each row's cell, from :func:`~analysis.loaders.values.parse_on_codes`):
        the reasons are counted by code, never written out for every row (50 MB of "date typed as
        text" for a million dates)."""
        bad_u = parsed.bad.to_numpy(dtype=bool)
        bad = bad_u[codes]
        if bad.any():
            at = np.flatnonzero(bad)
            self.add(rows.iloc[at], column, raw.iloc[at],
                     pd.Series(parsed.reason.array.take(codes[at]), index=rows.index[at]), bad_action)
        fixed = (parsed.fixed.to_numpy(dtype=bool) & ~bad_u)[codes]
        if not fixed.any():
            return
        at = np.flatnonzero(fixed)
        # the reasons of the fixed rows, as value_counts and duplicated over them would see them
        reason_id, reasons = pd.factorize(parsed.reason.to_numpy(dtype=object, na_value=pd.NA), use_na_sentinel=False)
        ids = reason_id[codes[at]]
        counts = np.bincount(ids, minlength=len(reasons))
        _, first = np.unique(ids, return_index=True)
        first = np.sort(first)
        labels = rows.index[at[first]]
        why = pd.Series([_counted(str(reasons[ids[k]]), int(counts[ids[k]])) for k in first], index=labels, dtype=object)
        self.add(rows.loc[labels], column, raw.loc[labels], why, "fixed")

    def row_numbers(self, body: pd.DataFrame) -> pd.Series:
        """The sheet row number (1-based) of each row of ``body`` (its index is the 0-based sheet row)."""
        return pd.Series(body.index + 1, index=body.index, dtype="Int64")

    def first_rows(self, rows: pd.Series, mask: pd.Series | None = None) -> pd.Series:
        """The first of ``rows``: where a note said once per sheet goes (none when ``mask`` has no hit)."""
        if mask is not None and not mask.any():
            return rows.iloc[:0]
        return rows.iloc[:1]


class Unstack(Exception):
    """Sheets read together (:class:`StackedSheet`) hit something said once per sheet: read them one by one.

    ``sheets`` are the positions of the sheets that say it (None: not known, all of them).
    """

    def __init__(self, why: object, sheets: np.ndarray | None = None) -> None:
        super().__init__(why)
        self.sheets = sheets


class StackedSheet(Sheet):
    """The problems of several sheets of one layout read as one stacked table.

    The stacked body's index is 0..n-1; ``sheet_of`` gives each row's sheet (its position in
    ``sheets``) and ``rows`` its row number in that sheet. Problems of rows are collected here
    and handed to each sheet by :meth:`per_sheet`, in the order one sheet at a time would have
    made them. What one sheet says once (a counted note, a note of the whole sheet) is not
    split: it raises :class:`Unstack`, and the caller reads the sheets one by one.
    """

    def __init__(self, path: Path, sheets: list[str], sheet_of: np.ndarray, rows: np.ndarray,
                 names: dict[str, str] | None = None) -> None:
        super().__init__(path, None, FileResult(path=str(path), format=""), names)
        self.sheets, self.sheet_of, self.row_of = sheets, sheet_of, rows
        self.athletes: list[str] = list(sheets)  # the athlete of each sheet (set by the caller)
        self.labels: list[np.ndarray] = []

    def add(self, rows, column, value, problem, action) -> None:
        if not isinstance(rows, pd.Series):
            raise Unstack(problem)  # a note of the whole sheet: which one is not known
        if rows.empty:
            return
        self.labels.append(rows.index.to_numpy())
        super().add(rows, column, value, problem, action)

    def note_fixed_once(self, parsed: V.Parsed, rows: pd.Series, raw: pd.Series, column: str, *,
                        bad_action: str = "dropped") -> None:
        if (fixed := parsed.fixed & ~parsed.bad).any():
            raise self.leave_out("counted once per sheet", fixed)
        super().note_fixed_once(parsed, rows, raw, column, bad_action=bad_action)

    def note_fixed_once_coded(self, codes: np.ndarray, parsed: V.Parsed, rows: pd.Series, raw: pd.Series,
                              column: str, *, bad_action: str = "dropped") -> None:
        fixed = (parsed.fixed.to_numpy(dtype=bool) & ~parsed.bad.to_numpy(dtype=bool))[codes]
        if fixed.any():
            raise self.leave_out("counted once per sheet", pd.Series(fixed, index=rows.index))
        super().note_fixed_once_coded(codes, parsed, rows, raw, column, bad_action=bad_action)

    def leave_out(self, why: str, mask: pd.Series) -> Unstack:
        """The :class:`Unstack` of the sheets of the rows of ``mask`` (a boolean Series over the body)."""
        return Unstack(why, np.unique(self.sheet_of[mask.index.to_numpy()[np.asarray(mask, dtype=bool)]]))

    def row_numbers(self, body: pd.DataFrame) -> pd.Series:
        return pd.Series(self.row_of[body.index.to_numpy()], index=body.index, dtype="Int64")

    def first_rows(self, rows: pd.Series, mask: pd.Series | None = None) -> pd.Series:
        at = self.sheet_of[rows.index.to_numpy()]
        first = np.r_[True, at[1:] != at[:-1]] if len(at) else np.zeros(0, dtype=bool)
        if mask is not None:  # sheets with a hit only
            hit = np.zeros(len(self.sheets), dtype=bool)
            hit[at[np.asarray(mask, dtype=bool)]] = True
            first &= hit[at]
        return rows[first]

    def per_sheet(self) -> dict[int, pd.DataFrame]:
        """The problems collected, split by sheet (position -> frame, with the sheet's name)."""
        frames = self.result.problems
        if not frames:
            return {}
        at = self.sheet_of[np.concatenate(self.labels)]
        allp = pd.concat(frames, ignore_index=True)
        order = np.argsort(at, kind="stable")
        at = at[order]
        allp = allp.take(order)
        cuts = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
        out = {}
        for k, start in enumerate(cuts):
            stop = cuts[k + 1] if k + 1 < len(cuts) else len(at)
            part = allp.iloc[start:stop].reset_index(drop=True)
            part[C.SOURCE_SHEET] = pd.array([self.sheets[at[start]]] * len(part), dtype=part[C.SOURCE_SHEET].dtype)
            out[int(at[start])] = part
        return out


def _counted(reason: str, n: int) -> str:
    """A ``fixed`` note said once for ``n`` cells (the note's row is the first of them)."""
    return reason if n == 1 else f"{reason} ({n:,} cells of this column, this row the first)"


class Rows:
    """The data rows of one table while they are read: cells by field, and the rows still kept."""

    def __init__(self, sh: Sheet, body: pd.DataFrame, fields: dict) -> None:
        self.sh, self.body, self.fields = sh, body, fields
        self.rows = sh.row_numbers(body)
        self.keep = pd.Series(True, index=body.index)
        self._none: pd.Series | None = None

    def col(self, field: str) -> pd.Series:
        """The cells of ``field`` (all missing when the table has no such column)."""
        if field in self.fields:
            return self.body[self.fields[field][0]]
        if self._none is None:  # a coded column of missing cells: its parsers cost one cell, not a million
            none = pd.Categorical.from_codes(np.full(len(self.body), -1, dtype=np.int8),
                                             dtype=pd.CategoricalDtype(pd.Index([], dtype=object)))
            self._none = pd.Series(none, index=self.body.index)
        return self._none

    def unit(self, field: str) -> str | None:
        """The unit the header wrote for ``field`` (``Weight (kg)``), else None."""
        return self.fields.get(field, (None, None))[1]

    def drop(self, mask: pd.Series, column: str, value: pd.Series | None, problem: pd.Series | str) -> None:
        """Drop the rows of ``mask``; each one still kept gets a ``dropped`` problem."""
        hit = mask & self.keep
        if hit.any():
            self.sh.add(self.rows[hit], column, None if value is None else value[hit],
                        problem[hit] if isinstance(problem, pd.Series) else problem, "dropped")
        self.keep = self.keep & ~mask

    def first_rows(self, mask: pd.Series | None = None) -> pd.Series:
        """The first row of each sheet (with a hit in ``mask``): where a note said once per sheet goes."""
        return self.sh.first_rows(self.rows, mask)

    def note_dates(self, raw: pd.Series, parsed: V.Parsed, note: str | None) -> None:
        """One ``kept`` note per table when text dates could be read either way round."""
        if note and parsed.first_ambiguous is not None:
            if isinstance(self.sh, StackedSheet):
                raise Unstack(note)  # the first such cell of each sheet
            at = parsed.first_ambiguous
            self.sh.add(self.rows.loc[[at]], "Date", raw.loc[[at]], note, "kept")

    def athletes(self, athlete: str | None, idx: pd.Index, options: Options) -> np.ndarray:
        """The athlete of the rows ``idx``: the athlete column, else ``athlete``; blank: the default."""
        if "athlete" in self.fields and athlete is None:
            names = V.as_text(self.col("athlete"))[idx]
        else:
            names = pd.Series(athlete, index=idx)
        return names.fillna(default_athlete(self.sh, options)).to_numpy()


def default_athlete(sh: Sheet, options: Options) -> str:
    """Who a row without an athlete belongs to: the ``athlete`` option, else the file's stem."""
    return (options.athlete or "").strip() or sh.path.stem


# --- runs ----------------------------------------------------------------------------------------


def read_runs(sh: Sheet, body: pd.DataFrame, fields: dict, athlete: str | None, options: Options) -> pd.DataFrame | None:
    """Runs from the data rows of a runs table (distance with a duration or a pace)."""
    r = Rows(sh, body, fields)
    if "date" not in fields:
        sh.add(r.rows, "Date", None, "no date column in a runs table; rows dropped", "dropped")
        return None
    raw_date = r.col("date")
    parsed_date, note = V.parse_dates(raw_date, dayfirst=options.dayfirst)
    r.note_dates(raw_date, parsed_date, note)
    sh.note_fixed_once(parsed_date, r.rows, raw_date, "Date")
    missing_date = V.is_blank(raw_date)
    if missing_date.any():
        sh.add(r.rows[missing_date], "Date", None, "no date", "dropped")
    r.keep = r.keep & ~parsed_date.bad & ~missing_date
    d_unit = r.unit("distance") or options.distance_unit or "km"
    km, secs = _distance_and_time(r, d_unit)
    pace = secs / km
    fastest, slowest = C.BOUNDS[C.PACE_S_PER_KM]
    absurd = r.keep & ((pace < fastest) | (pace > slowest))
    if absurd.any():
        sh.add(r.rows[absurd], "Duration", r.col("duration")[absurd],
               f"pace outside {format_pace(fastest)}-{format_pace(slowest)} per km; check distance and time units", "kept")
    run_type_raw = V.as_text(r.col("run_type")).str.lower().str.strip()
    run_type = C.run_type_of(run_type_raw)
    run_type = run_type.mask(run_type.isna() & run_type_raw.notna(), "other")
    hr = V.parse_number(r.col("avg_hr"), what="heart rate")
    sh.note_parsed(hr, r.rows, r.col("avg_hr"), "Avg HR", bad_action="kept")
    low, high = C.BOUNDS[C.AVG_HR_BPM]
    odd_hr = r.keep & ((hr.value < low) | (hr.value > high)).fillna(False).astype(bool)
    if odd_hr.any():
        sh.add(r.rows[odd_hr], "Avg HR", r.col("avg_hr")[odd_hr], HR_OUTSIDE, "kept")
        hr = V.Parsed(hr.value.mask(odd_hr), hr.bad, hr.fixed, hr.reason)
    elev = V.parse_number(r.col("elevation"), what="elevation")
    sh.note_parsed(elev, r.rows, r.col("elevation"), "Elevation", bad_action="kept")
    idx = body.index[r.keep.to_numpy()]
    if len(idx) == 0:
        return None
    return pd.DataFrame(
        {
            C.ATHLETE: r.athletes(athlete, idx, options),
            C.DATE: parsed_date.value[idx].to_numpy(),
            C.DISTANCE_KM: km[idx].to_numpy(),
            C.DURATION_S: secs[idx].to_numpy(),
            C.PACE_S_PER_KM: pace[idx].to_numpy(),
            C.RUN_TYPE: run_type[idx].to_numpy(),
            C.AVG_HR_BPM: hr.value[idx].to_numpy(),
            C.ELEVATION_GAIN_M: elev.value[idx].to_numpy(),
            C.SOURCE_FILE: sh.source_file,
            C.SOURCE_SHEET: sh.source_sheet,
            C.SOURCE_ROW: r.rows[idx].to_numpy(),
        }
    )


def _distance_and_time(r: Rows, d_unit: str) -> tuple[pd.Series, pd.Series]:
    """Distance in km and duration in s (worked out from a pace where missing); runs without
    a positive distance or a duration are dropped."""
    raw_dist = r.col("distance")
    dist = V.parse_distance(raw_dist, unit=d_unit)
    r.sh.note_parsed(dist, r.rows, raw_dist, "Distance")
    r.keep = r.keep & ~dist.bad
    km = dist.value.astype(float)
    raw_dur = r.col("duration")
    dur = V.parse_duration(raw_dur, number_unit={"s": "s", "h": "h"}.get(r.unit("duration") or "", "min"))
    r.sh.note_parsed(dur, r.rows, raw_dur, "Duration")
    r.keep = r.keep & ~dur.bad
    secs = dur.value.astype(float)
    if "pace" in r.fields:
        raw_pace = r.col("pace")
        pace_p = V.parse_duration(raw_pace, number_unit="min")
        r.sh.note_parsed(pace_p, r.rows, raw_pace, "Pace", bad_action="kept")
        p_unit = r.unit("pace") or ("min/mi" if d_unit == "mi" else "min/km")
        pace_s = pace_p.value.astype(float) / (V.MILE_TO_KM if p_unit == "min/mi" else 1.0)
        derive = secs.isna() & pace_s.notna() & (km > 0)
        if derive.any():
            secs = secs.where(~derive, pace_s * km)
            r.sh.add(r.rows[derive & r.keep], "Duration", None, "duration worked out from pace x distance", "fixed")
    r.drop(km.isna(), "Distance", None, "no distance")
    r.drop(km <= 0, "Distance", raw_dist, "zero or negative distance")
    r.drop(secs.isna(), "Duration", None, "no duration or pace")
    return km, secs


# --- bodyweight ----------------------------------------------------------------------------------


def read_bodyweight(sh: Sheet, body: pd.DataFrame, fields: dict, athlete: str | None,
                    options: Options) -> pd.DataFrame | None:
    """Bodyweight measurements from the data rows of a bodyweight table."""
    r = Rows(sh, body, fields)
    rows = r.rows
    field = "bodyweight" if "bodyweight" in fields else "weight"
    unit = options.weight_unit or fields[field][1] or "kg"
    raw_date = r.col("date")
    parsed_date, _ = V.parse_dates(raw_date, dayfirst=options.dayfirst)
    sh.note_fixed_once(parsed_date, rows, raw_date, "Date")
    raw_w = r.col(field)
    w = V.parse_weight(raw_w, unit=unit)
    sh.note_parsed(w, rows, raw_w, "Bodyweight")
    lightest, heaviest = C.BOUNDS[C.BODYWEIGHT_KG]
    kg = w.value.fillna(lightest)  # no value: not implausible
    implausible = (kg < lightest) | (kg > heaviest)
    sh.add(rows[implausible & ~w.bad], "Bodyweight", raw_w[implausible & ~w.bad],
           f"implausible bodyweight (expected {lightest:g}-{heaviest:g} kg)", "dropped")
    no_date = V.is_blank(raw_date)
    sh.add(rows[no_date], "Date", None, "no date", "dropped")
    keep = ~parsed_date.bad & ~w.bad & ~implausible & ~no_date & w.value.notna()
    sh.add(rows[w.value.isna() & ~w.bad & ~no_date], "Bodyweight", None, "no bodyweight", "dropped")
    idx = body.index[keep.to_numpy()]
    if len(idx) == 0:
        return None
    return pd.DataFrame(
        {
            C.ATHLETE: r.athletes(athlete, idx, options),
            C.DATE: parsed_date.value[idx].dt.normalize().to_numpy(),
            C.BODYWEIGHT_KG: w.value[idx].to_numpy(),
            C.SOURCE_FILE: sh.source_file,
            C.SOURCE_SHEET: sh.source_sheet,
            C.SOURCE_ROW: rows[idx].to_numpy(),
        }
    )

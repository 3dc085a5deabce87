"""The sets of a coach log's strength table: one reading step per field, then one row per set.

:func:`read_sets` reads the data rows :mod:`analysis.loaders.tables` found, field by field
(dates carried down a session, weight unit, loads, reps, holds and distances, sides, RPE,
warm-ups, set counts), then expands ``3x10`` and ``8/8/6`` to one row per set and splits
``10/leg`` without a side into a left and a right set. Each step reports what it could not take
as written and drops the rows it cannot use (:class:`~analysis.loaders.table_rows.Rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import catalog as cat
from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.base import RPE_OUTSIDE, TOO_HEAVY, Options, map_distinct
from analysis.loaders.table_rows import Rows, Sheet, StackedSheet, default_athlete

__all__ = ["SOURCE_SET", "read_sets"]

#: Pre-sets column: the set number written in a ``Set`` column (NA when none); used to tell a
#: repeated row from a repeated set (see :func:`analysis.loaders.read_logs`).
SOURCE_SET = "source_set"

_WARMUP_MARK = r"w|wu|warm.?up|warm"
_WARMUP_NOTE = r"\bwarm.?up\b|\bwarmup\b|^w/u$|\bwu\b"
_YES = ["true", "yes", "y", "1", "x", "w"]


def read_sets(sh: Sheet, body: pd.DataFrame, fields: dict, athlete: str | None, options: Options,
              date_state: dict, *, maxes: dict | None = None) -> pd.DataFrame | None:
    """Pre-sets from the data rows of a strength table: one row per set (``3x10`` and ``8/8/6``
    expanded, ``10/leg`` without a side split into a left and a right set).

    ``athlete`` is None when the table has an athlete column. ``date_state`` carries the last
    date of a sheet into the next table of the same file (a date written once per session).
    ``maxes`` (catalog key -> (1RM kg, where)) turns loads written as % of 1RM into kg.
    """
    r = Rows(sh, body, fields)
    if "date" not in fields:
        sh.add(r.rows, "Date", None, "no date column (expected Date, Day or Session date); rows dropped", "dropped")
        return None
    dates = _session_dates(r, options, date_state)
    # exercise names as codes into their texts (as_text of each distinct cell): a million names are
    # checked on their few distinct texts; the steps that need them row by row get them as text
    exercise_raw = pd.Series(V.text_codes(r.col("exercise")), index=r.body.index)
    r.drop(exercise_raw.isna(), "Exercise", None, "no exercise name")
    unit = _weight_unit(r, options)
    weight = _weights(r, unit)
    reps, lists = _reps(r)
    load_kg = _assisted(r, _pct_loads(r, _notation_loads(weight, reps, unit), exercise_raw, maxes or {}), exercise_raw)
    del weight
    holds = _timed_reps(r, reps, exercise_raw)
    fixed = reps.fixed & r.keep & ~holds  # parse_reps never marks a bad cell fixed
    if fixed.any():
        r.sh.add(r.rows[fixed], "Reps", r.col("reps")[fixed], reps.reason[fixed], "fixed")
    del holds, fixed
    duration_s, distance_m = _work(r, reps, lists)
    _zero_reps(r, reps, lists, load_kg, duration_s, distance_m)
    side_codes, side_uniq = V.parse_on_codes(V.parse_side, r.col("side"))
    side = V.broadcast(side_uniq, side_codes, r.body.index)
    sh.note_parsed(side, r.rows, r.col("side"), "Side", bad_action="kept")
    if not isinstance(sh, StackedSheet):
        del side  # the frame takes the sides by code
    rpe = _rpe(r)
    # the Set column's numbers, read on its distinct cells (to_numeric over a million texts: 0.25 s)
    set_col = V.per_cell(r.col("set"), lambda u: pd.to_numeric(V.as_text(u).str.lower(), errors="coerce"))
    warm = _warmups(r)
    n_listed = lists.per_row(reps.reps_list, len).to_numpy()
    counts = _set_counts(r, n_listed)
    expanded = _expand(r, counts, lists, reps.reps_list, n_listed)
    if expanded is None:
        return None
    src, reps_vals = expanded
    per_side = reps.per_side
    del reps, lists, expanded, counts, n_listed
    by_column = "athlete" in fields and athlete is None
    at = r.body.index.get_indexer(src)  # positions of the sets' rows
    if isinstance(sh, StackedSheet):  # sheets read together: each row's sheet and athlete
        return _stacked_frame(sh, r, at, src, dates, side, reps_vals, load_kg, duration_s, distance_m, rpe, warm,
                              per_side, set_col)
    frame = pd.DataFrame(
        {  # name columns as codes (read_logs encodes them so anyway): no million strings; every other
            # column taken by position from its parsed column, numbers kept as numbers (never boxed)
            C.ATHLETE: V.text_codes(r.col("athlete")).take(at) if by_column else _repeated(athlete, len(at)),
            C.DATE: dates.to_numpy()[at],
            C.EXERCISE_RAW: exercise_raw.array.take(at),
            C.SIDE: _sides(side_uniq.value, side_codes[at]),
            C.REPS: reps_vals,
            C.LOAD_KG: load_kg.array.take(at),
            C.DURATION_S: duration_s.array.take(at),
            C.DISTANCE_M: distance_m.array.take(at),
            C.RPE: rpe.to_numpy()[at],
            C.WARMUP: warm.to_numpy()[at],
            "notes": V.text_codes(r.col("notes")).take(at),
            "per_side": per_side.to_numpy()[at],
            SOURCE_SET: set_col.to_numpy(dtype=float, na_value=np.nan)[at],
            C.SOURCE_FILE: _repeated(sh.source_file, len(at)),
            C.SOURCE_SHEET: _repeated(sh.source_sheet, len(at)),
            C.SOURCE_ROW: r.rows.to_numpy()[at],
        }
    )
    if by_column:
        no_ath = frame[C.ATHLETE].isna()
        if no_ath.any():
            who = default_athlete(sh, options)
            names = frame[C.ATHLETE]
            if who not in names.cat.categories:
                names = names.cat.add_categories([who])
            frame[C.ATHLETE] = names.fillna(who)
    return _one_set_per_side(frame)


def _stacked_frame(sh: StackedSheet, r: Rows, at: np.ndarray, src: pd.Index, dates: pd.Series, side: V.Parsed,
                   reps_vals: object, load_kg: pd.Series, duration_s: pd.Series, distance_m: pd.Series,
                   rpe: pd.Series, warm: pd.Series, per_side: pd.Series, set_col: pd.Series) -> pd.DataFrame:
    """:func:`read_sets`' frame of sheets read together: athlete and sheet per row, as the frames of
    the sheets one by one would be once concatenated (names as text, not codes), sorted by sheet;
    the temporary column ``_sheet`` is each set's sheet position."""
    sheet_at = sh.sheet_of[src.to_numpy()]
    frame = pd.DataFrame(
        {
            C.ATHLETE: np.asarray(sh.athletes, dtype=object)[sheet_at],
            C.DATE: dates[src].to_numpy(),
            C.EXERCISE_RAW: np.asarray(V.text_codes(r.col("exercise")).take(at), dtype=object),
            C.SIDE: side.value[src].to_numpy(),
            C.REPS: reps_vals,
            C.LOAD_KG: load_kg[src].to_numpy(),
            C.DURATION_S: duration_s[src].to_numpy(),
            C.DISTANCE_M: distance_m[src].to_numpy(),
            C.RPE: rpe[src].to_numpy(),
            C.WARMUP: warm[src].to_numpy(),
            "notes": np.asarray(V.text_codes(r.col("notes")).take(at), dtype=object),
            "per_side": per_side[src].to_numpy(),
            SOURCE_SET: set_col[src].to_numpy(dtype=float, na_value=np.nan),
            C.SOURCE_FILE: np.full(len(at), sh.source_file, dtype=object),
            C.SOURCE_SHEET: np.asarray(sh.sheets, dtype=object)[sheet_at],
            C.SOURCE_ROW: r.rows[src].to_numpy(),
            "_sheet": sheet_at,
        }
    )
    both = frame["per_side"] & frame[C.SIDE].isna()
    if both.any():  # as _one_set_per_side, sheet by sheet
        left = frame[both].assign(**{C.SIDE: "left"})
        right = frame[both].assign(**{C.SIDE: "right"})
        frame = pd.concat([frame[~both], left, right]).sort_values(["_sheet", C.SOURCE_ROW, C.SIDE], kind="stable")
    return frame.drop(columns="per_side").reset_index(drop=True)


def _sides(values: pd.Series, codes: np.ndarray) -> pd.Categorical:
    """The sides of the sets as :func:`analysis.loaders.log._encoded` codes them (categories: the
    sides present, sorted), from the side of each distinct cell (``values``) and each set's cell code."""
    cats = values.astype("category")
    ranks = np.append(cats.cat.codes.to_numpy(), -1)  # a code past the cells (none here) is missing
    out = pd.Categorical.from_codes(ranks[codes], dtype=cats.dtype)
    return out.remove_unused_categories()


def _by_name(names: pd.Series, func) -> np.ndarray:
    """Per row: ``func`` (``string`` Series -> bool Series) of its coded name, a missing name read as
    ``""``; run on the names' categories only."""
    cats = pd.Series(np.append(names.cat.categories.to_numpy(dtype=object), ""), dtype="string")
    hit = np.asarray(func(cats).fillna(False).to_numpy(dtype=bool))
    codes = names.cat.codes.to_numpy()
    return hit[np.where(codes < 0, len(cats) - 1, codes)]


def _repeated(value: str | None, n: int) -> pd.Categorical:
    """``value`` on ``n`` rows as a categorical (missing when None)."""
    cats = pd.Index([] if value is None else [value], dtype="string")
    return pd.Categorical.from_codes(np.full(n, -1 if value is None else 0, dtype=np.int8), dtype=pd.CategoricalDtype(cats))


def _session_dates(r: Rows, options: Options, date_state: dict) -> pd.Series:
    """Dates, carried down from a session's first row when left blank below it (noted once)."""
    raw_date = r.col("date")
    codes, (per_cell, note) = V.parse_on_codes(V.parse_dates, raw_date, dayfirst=options.dayfirst)
    parsed_date = V.broadcast(V.Parsed(per_cell.value, per_cell.bad, per_cell.fixed, per_cell.bad,
                                       per_cell.first_ambiguous), codes, raw_date.index)  # reasons: by code only
    r.note_dates(raw_date, parsed_date, note)
    r.sh.note_fixed_once_coded(codes, per_cell, r.rows, raw_date, "Date")
    r.keep = r.keep & ~parsed_date.bad
    dates = parsed_date.value
    del parsed_date
    blank_date = V.is_blank(raw_date)
    if blank_date.any():
        if isinstance(r.sh, StackedSheet):
            raise r.sh.leave_out("dates carried down: noted once per sheet", blank_date)
        carried = dates.where(~blank_date).ffill()
        first = date_state.get("last")
        if first is not None:
            carried = carried.fillna(first)
        n_carried = int((blank_date & carried.notna()).sum())
        if n_carried:
            first_row = r.rows[blank_date & carried.notna()].iloc[0]
            r.sh.add([first_row], "Date", None,
                     f"date left blank on {n_carried} rows; each carried down from the last date above it", "fixed")
        no_date = blank_date & carried.isna()
        if no_date.any():  # blank cells are never bad dates, so these rows are all still kept
            r.sh.add(r.rows[no_date], "Date", None, "no date on this row or above it", "dropped")
            r.keep = r.keep & ~no_date
        dates = carried
    if dates.notna().any():
        date_state["last"] = dates.dropna().iloc[-1]
        if isinstance(r.sh, StackedSheet):  # each sheet's last date, as one sheet at a time leaves it
            known = dates.notna().to_numpy()
            at = r.sh.sheet_of[dates.index.to_numpy()[known]]
            last = np.flatnonzero(np.r_[at[1:] != at[:-1], True])
            date_state["per_sheet"] = dict(zip(at[last].tolist(), dates[known].iloc[last], strict=True))
    return dates


def _weight_unit(r: Rows, options: Options) -> str:
    """The unit of bare weights: the header's (it wins over the option), the option, else kg (noted)."""
    w_unit = r.unit("weight")
    if w_unit in ("kg", "lb"):
        if options.weight_unit and options.weight_unit != w_unit:
            r.sh.add(r.first_rows(), "Weight", None,
                     f"the header says {w_unit}; weight_unit={options.weight_unit!r} not applied to this column",
                     "kept")
        return w_unit
    if options.weight_unit:
        return options.weight_unit
    if "weight" in r.fields and not (blank := V.is_blank(r.col("weight"))).all():
        r.sh.add(r.first_rows(~blank), "Weight", None,
                 "the file does not say kg or lb; weights read as kg (pass weight_unit='lb' if they are pounds)",
                 "kept")
    return "kg"


_PCT = r"\s*\d+(?:[.,]\d+)?\s*%\s*"


def _pct_cells(raw: pd.Series) -> pd.Series:
    """True for cells written as a share of 1RM (``80%``)."""
    return V.per_cell(raw, lambda u: V.as_text(u).str.fullmatch(_PCT).fillna(False).astype(bool)).astype(bool)


def _pct_loads(r: Rows, load_kg: pd.Series, exercise_raw: pd.Series, maxes: dict) -> pd.Series:
    """Loads written as a share of 1RM (a ``%1RM`` column, or ``80%`` in the Weight column): that
    share of the exercise's 1RM from a table of maxes (``fixed``, once per sheet and exercise), else
    NA with one ``kept`` problem per sheet and exercise."""
    in_weight = _pct_cells(r.col("weight"))
    if "pct_1rm" not in r.fields and not in_weight.any():
        return load_kg
    raw = r.col("pct_1rm") if "pct_1rm" in r.fields else pd.Series(None, index=r.body.index, dtype=object)
    raw = raw.where(~in_weight, r.col("weight"))
    text = V.as_text(raw)
    written = text.notna() & load_kg.isna()
    if not written.any():
        return load_kg
    if isinstance(r.sh, StackedSheet):
        raise r.sh.leave_out("loads as % of 1RM: noted once per sheet and exercise", written)
    exercise_raw = exercise_raw.astype("string")
    number = pd.to_numeric(text.str.replace("%", "", regex=False).str.replace(",", ".", regex=False).str.strip(),
                           errors="coerce")
    share = number.where(text.str.contains("%", regex=False).fillna(False) | (number > 1.5), number * 100) / 100
    names = exercise_raw.fillna("")
    uniq = pd.Series(pd.unique(names))
    key = names.map(dict(zip(uniq, cat.resolve_exercises(uniq)["exercise"], strict=True)))
    one_rm = map_distinct(key, lambda k: maxes.get(k, (np.nan, ""))[0]).astype(float)
    kg = (share * one_rm).round(2)
    column = "Weight" if in_weight.any() and "pct_1rm" not in r.fields else "pct_1rm"
    label = r.sh.names.get("pct_1rm", column) if column == "pct_1rm" else "Weight"
    for name, rows in written[written & r.keep].groupby(names[written & r.keep], sort=False):
        first = rows.index[:1]
        k = key[first].iloc[0]
        if k in maxes:
            why = f"load written as a share of 1RM: {share[first].iloc[0]:.0%} of {maxes[k][0]:g} kg ({maxes[k][1]})"
            r.sh.add(r.rows[first], label, raw[first], why, "fixed")
        else:
            why = (f"load written as a share of 1RM, and no 1RM for {name!r} (add a sheet with Exercise and 1RM); "
                   f"load left empty on {len(rows)} {'row' if len(rows) == 1 else 'rows'}")
            r.sh.add(r.rows[first], label, raw[first], why, "kept")
    return load_kg.mask(written, kg.astype("Float64"))


def _weights(r: Rows, unit: str) -> V.Parsed:
    """Loads in kg; unreadable and implausible ones dropped (negative ones: :func:`_assisted`;
    ``80%``: :func:`_pct_loads`)."""
    raw_weight = r.col("weight")
    raw_weight = raw_weight.where(~_pct_cells(raw_weight))
    weight = V.parse_weight(raw_weight, unit=unit)
    r.sh.note_parsed(weight, r.rows, raw_weight, "Weight")
    r.keep = r.keep & ~weight.bad
    r.drop(weight.value.fillna(0) > C.BOUNDS[C.LOAD_KG][1], "Weight", raw_weight, TOO_HEAVY)
    return weight


def _assisted(r: Rows, load_kg: pd.Series, exercise_raw: pd.Series) -> pd.Series:
    """Assistance is not load, as in every reader: the weight of an "assisted" exercise, or a negative
    weight on an exercise that may be assisted, becomes load 0 with one ``kept`` note per exercise;
    a negative weight on a loaded lift is dropped."""
    value = load_kg.astype("Float64")
    negative = (value < 0).fillna(False).astype(bool)
    if not (negative.any() or _by_name(exercise_raw, lambda t: t.str.contains("assist", case=False)).any()):
        return value
    names = exercise_raw.astype("string").fillna("")
    named = names.str.contains("assist", case=False).astype(bool)
    uniq = pd.Series(pd.unique(names))
    may = names.map(dict(zip(uniq, cat.takes_assistance(uniq), strict=True))).astype(bool)
    r.drop(negative & ~may, "Weight", r.col("weight"), "negative weight on a loaded lift")
    assisted = ((named & (value != 0).fillna(False)) | (negative & may)) & r.keep
    if assisted.any():
        if isinstance(r.sh, StackedSheet):
            raise r.sh.leave_out("assistance: noted once per sheet and exercise", assisted)
        for _name, rows in names[assisted].groupby(names[assisted], sort=False):
            neg = bool(negative[rows.index].any())
            r.sh.add(r.rows[rows.index[:1]], "Weight", r.col("weight")[rows.index[:1]],
                     V.assistance(len(rows), neg), "kept")
    return value.mask(assisted, 0.0)


def _reps(r: Rows) -> tuple[V.ParsedReps, _Lists]:
    """Reps per set; unreadable and implausible cells dropped (zero reps: :func:`_zero_reps`)."""
    raw_reps = r.col("reps")
    codes, per_cell = V.parse_on_codes(V.parse_reps, raw_reps)
    reps = V.broadcast(per_cell, codes, raw_reps.index)
    lists = _Lists(reps.reps_list, codes, per_cell.reps_list)
    r.drop(reps.bad, "Reps", raw_reps, reps.reason)
    most = C.BOUNDS[C.REPS][1]
    too_many = lists.per_row(reps.reps_list, lambda t: max(t) if t else 0) > most
    r.drop(too_many, "Reps", raw_reps, f"implausible reps (over {most:g})")
    return reps, lists


#: Fewest seconds a number in the Reps column of a timed exercise is read as (a 3 is 3 holds).
MIN_HOLD_S = 5


def _timed_reps(r: Rows, reps: V.ParsedReps, exercise_raw: pd.Series) -> pd.Series:
    """``Plank | 3 x 45`` (or ``45``) in the Reps column of a timed catalog exercise (plank, wall
    sit) is 3 holds of 45 s when the row gives no time: the reps become the hold's seconds
    (``fixed``). Returns the rows read so."""
    if "duration" in r.fields and not V.is_blank(r.col("duration")).all():
        timed_col = ~V.is_blank(r.col("duration"))
    else:
        timed_col = pd.Series(False, index=r.body.index)
    timed = _by_name(exercise_raw, lambda t: cat.resolve_exercises(t)["exercise"].map(
        lambda k: cat.load_types().get(str(k)) == "time").astype(bool))
    if not timed.any():  # no row names a timed exercise
        return pd.Series(False, index=r.body.index)
    names = exercise_raw.astype("string").fillna("")
    uniq = pd.Series(pd.unique(names))
    timed_names = {n for n, k in zip(uniq, cat.resolve_exercises(uniq)["exercise"], strict=True)
                   if cat.load_types().get(str(k)) == "time"}
    if not timed_names:
        return pd.Series(False, index=r.body.index)
    timed = names.isin(timed_names)
    secs = map_distinct(reps.reps_list, lambda t: t[0] if t and len(set(t)) == 1 else None)
    hold = timed & ~timed_col & secs.notna() & (secs.fillna(0).astype(float) >= MIN_HOLD_S) & r.keep
    if not hold.any():
        return hold
    raw = r.col("reps")
    n = map_distinct(reps.reps_list[hold], len)
    why = [f"a timed exercise: read as {f'{k} holds' if k > 1 else 'a hold'} of {v:g} s" for k, v in
           zip(n, secs[hold].astype(float), strict=True)]
    r.sh.add(r.rows[hold], "Reps", raw[hold], pd.Series(why, index=n.index), "fixed")
    reps.duration_s = reps.duration_s.mask(hold, secs[hold].astype(float))
    reps.sets = reps.sets.mask(hold, n.astype("Int64"))
    reps.reps_list = reps.reps_list.mask(hold, map_distinct(n, lambda k: (None,) * k))
    return hold


def _zero_reps(r: Rows, reps: V.ParsedReps, lists: _Lists, load_kg: pd.Series, duration_s: pd.Series,
               distance_m: pd.Series) -> None:
    """Sets of 0 reps, read as in every format: with a time or distance a hold (reps NA); with a
    load a missed attempt (kept, 0 reps, :data:`values.MISSED_ATTEMPT`); with nothing, dropped."""
    zero = lists.per_row(reps.reps_list, lambda t: bool(t) and all(v == 0 for v in t)).astype(bool) & r.keep
    if not zero.any():
        return
    timed = duration_s.notna() | distance_m.notna()
    reps.reps_list = reps.reps_list.mask(zero & timed, map_distinct(reps.reps_list[zero & timed], lambda t: (None,) * len(t)))
    missed = zero & ~timed & (load_kg.fillna(0) > 0).astype(bool)
    if missed.any():
        r.sh.add(r.rows[missed], "Reps", r.col("reps")[missed], V.MISSED_ATTEMPT, "kept")
    r.drop(zero & ~timed & ~missed, "Reps", r.col("reps"), "0 reps and no load, time or distance: nothing done")


def _notation_loads(weight: V.Parsed, reps: V.ParsedReps, unit: str) -> pd.Series:
    """Loads, with the load written in ``3 x 10 @ 40kg`` where the weight column is empty."""
    from_notation = reps.load.notna() & weight.value.isna()
    load_kg = weight.value.copy()
    if from_notation.any():
        load_kg[from_notation] = V.parse_weight(reps.load[from_notation].astype(object), unit=unit).value
    return load_kg


def _work(r: Rows, reps: V.ParsedReps, lists: _Lists) -> tuple[pd.Series, pd.Series]:
    """Hold seconds and distance in m; a row with no reps, time or distance is dropped."""
    raw_dur = r.col("duration")
    duration = V.parse_duration(raw_dur, number_unit={"min": "min", "h": "h"}.get(r.unit("duration") or "", "s"))
    r.sh.note_parsed(duration, r.rows, raw_dur, "Duration", bad_action="kept")
    duration_s = duration.value.where(duration.value.notna(), reps.duration_s)
    raw_dist = r.col("distance")
    dist = V.parse_distance(raw_dist, unit=r.unit("distance") or "m")
    r.sh.note_parsed(dist, r.rows, raw_dist, "Distance", bad_action="kept")
    distance_m = dist.value * 1000.0
    no_work = (lists.per_row(reps.reps_list, len) == 0) & duration_s.isna() & distance_m.isna()
    if no_work.any():  # a hold time written in the name counts ("Wall Sit 1:00", read by finalize)
        names = V.as_text(r.col("exercise")).fillna("")
        uniq = pd.Series(pd.unique(names[no_work]))
        no_work &= ~names.map(dict(zip(uniq, cat.seconds_in_name(uniq).notna(), strict=True))).fillna(False).astype(bool)
    r.drop(no_work, "Reps", r.col("reps"), "no reps, time or distance on this row")
    return duration_s, distance_m


def _rpe(r: Rows) -> pd.Series:
    """RPE from an RPE column, else 10 - RIR; values outside the RPE bounds left empty."""
    rpe = pd.Series(np.nan, index=r.body.index)
    if "rpe" in r.fields:
        p = V.parse_number(r.col("rpe"), what="RPE")
        r.sh.note_parsed(p, r.rows, r.col("rpe"), "RPE", bad_action="kept")
        rpe = p.value.astype(float)
    elif "rir" in r.fields:
        p = V.parse_number(r.col("rir"), what="RIR")
        r.sh.note_parsed(p, r.rows, r.col("rir"), "RIR", bad_action="kept")
        rpe = 10.0 - p.value.astype(float)
    low, high = C.BOUNDS[C.RPE]
    out_of_range = rpe.notna() & ((rpe < low) | (rpe > high))
    if out_of_range.any():
        r.sh.add(r.rows[out_of_range & r.keep], "RPE", rpe[out_of_range & r.keep], RPE_OUTSIDE, "fixed")
        rpe = rpe.where(~out_of_range)
    return rpe


def _warmups(r: Rows) -> pd.Series:
    """Warm-up sets: a ``W`` set marker, a warm-up note, or a yes in a warm-up column."""
    warm = V.per_cell(r.col("set"), lambda u: V.as_text(u).str.lower().str.fullmatch(_WARMUP_MARK).fillna(False)).astype(bool)
    warm |= V.per_cell(r.col("notes"), lambda u: V.as_text(u).str.contains(_WARMUP_NOTE, case=False, regex=True)
                       .fillna(False)).astype(bool)
    if "warmup" in r.fields:
        warm |= V.per_cell(r.col("warmup"), lambda u: V.as_text(u).str.lower().isin(_YES).fillna(False)).astype(bool)
    return warm


def _set_counts(r: Rows, n_listed: np.ndarray) -> pd.Series:
    """Sets per row: the ``Sets`` column (1 when empty), or the number of set-by-set reps written."""
    raw_sets = r.col("sets")
    n_sets = V.parse_number(raw_sets, what="set count")
    r.drop(n_sets.bad, "Sets", raw_sets, "not a set count")
    count = n_sets.value.astype(float)
    fewest, most = C.BOUNDS["sets"]
    odd = count.notna() & ~((count >= fewest) & (count <= most) & (count == count.round())) & r.keep
    r.drop(odd, "Sets", raw_sets, f"not a plausible set count (expected {fewest:g}-{most:g})")
    sets_n = count.where(~odd).fillna(1).clip(lower=fewest, upper=most).round().astype(int)
    counts = pd.Series(np.where(n_listed > 1, n_listed, sets_n.to_numpy()), index=r.body.index)
    listed = pd.Series(n_listed > 1, index=r.body.index)
    mismatch = listed & n_sets.value.notna() & (n_sets.value.fillna(0).astype(float) != counts) & r.keep
    if mismatch.any():
        r.sh.add(r.rows[mismatch], "Sets", raw_sets[mismatch], "Sets disagrees with the set-by-set reps; used the reps", "fixed")
    return counts


def _expand(r: Rows, counts: pd.Series, lists: _Lists, reps_lists: pd.Series,
            n_listed: np.ndarray) -> tuple[pd.Index, pd.api.extensions.ExtensionArray] | None:
    """One entry per set of the kept rows: its source row label and its reps (None: no row kept).

    Vectorised: ``np.repeat`` over the per-row set counts, each set's reps taken from its row's
    distinct cell; only rows written set by set (``8/8/6``) are visited one by one for their reps.
    """
    kept = np.flatnonzero(r.keep.to_numpy())
    if len(kept) == 0:
        return None
    rep_counts = counts.to_numpy()[kept]
    pos = np.repeat(kept, rep_counts)  # each set's row, by position
    within = np.arange(len(pos)) - np.repeat(np.cumsum(rep_counts) - rep_counts, rep_counts)
    src = r.body.index[pos]
    dtype = C.SETS[C.REPS]
    if not len(pos):
        return src, pd.array([], dtype=dtype)
    multi = np.flatnonzero(n_listed[pos] > 1)  # only rows written as "8/8/6"
    if reps_lists is lists.series:  # the lists as parsed: each set's first reps by its cell's code
        cells = lists.distinct.to_numpy()
        firsts = pd.array(np.array([t[0] if t else None for t in cells] or [None], dtype=object), dtype=dtype)
        codes = lists.codes[pos]
        reps = firsts.take(codes)
        if len(multi):
            reps[multi] = pd.array(np.array([cells[codes[i]][within[i]] for i in multi], dtype=object), dtype=dtype)
        return src, reps
    src_lists = reps_lists.to_numpy()[pos]
    reps_arr = map_distinct(pd.Series(src_lists), lambda t: t[0] if t else None).to_numpy(dtype=object)
    for i in multi:
        reps_arr[i] = src_lists[i][within[i]]
    return src, pd.array(reps_arr, dtype=dtype)


@dataclass
class _Lists:
    """The reps lists of a table's rows as codes into the lists of its distinct cells, valid while
    ``series`` (the parsed ``reps_list``) is the Series asked about: a function of the lists is
    then run once per distinct cell, not hashed over a million tuples (:func:`map_distinct`)."""

    series: pd.Series
    codes: np.ndarray
    distinct: pd.Series

    def per_row(self, lists: pd.Series, func) -> pd.Series:
        if lists is not self.series:  # changed since (holds, zero reps): cell by distinct cell
            return map_distinct(lists, func)
        out = pd.Series([func(t) for t in self.distinct], dtype=object).map(lambda v: v)
        return pd.Series(out.array.take(self.codes), index=lists.index, name=lists.name)


def _one_set_per_side(frame: pd.DataFrame) -> pd.DataFrame:
    """``10/leg`` with no side: one set for each side, the left one first."""
    both = frame["per_side"] & frame[C.SIDE].isna()
    if both.any():
        left = frame[both].assign(**{C.SIDE: "left"})
        right = frame[both].assign(**{C.SIDE: "right"})
        frame = pd.concat([frame[~both], left, right]).sort_values([C.SOURCE_ROW, C.SIDE], kind="stable")
    return frame.drop(columns="per_side").reset_index(drop=True)

"""Turn readers' pre-sets into canonical ``sets``: one rule for every format.

* ``exercise``: the catalog key of ``exercise_raw`` (aliases, a side written in the name
  removed); an unknown name is kept under its normalised form and reported once per file and
  name, with the number of its sets, with action ``kept``.
* ``side``: the side column when the source has one; else a side written in the exercise name
  (``Bulgarian Split Squat (Left)``, ``(Left Leg, Dumbbells)``); else one named in the set's
  notes (``Left leg``), but only for single-leg exercises: catalog exercises marked unilateral,
  or unknown names that say so (``Single Leg ...``); "Right shoulder pain" on a bench press is
  not a side. Else ``both``. A unilateral exercise left at ``both`` is reported once per file
  and exercise: it counts for volume but not for the left-right comparison.
* A hold time written after the name (``Wall Sit 1:00``) is the set's ``duration_s`` when the
  row has none (reps of 0 or 1 become NA: a hold), reported once per file and name (``fixed``).
* ``warmup``: also True for the catalog's ``warm_up`` exercise (Hevy's "Warm Up", 300 s).
* ``set_index``: 1-based order within athlete, date, exercise and side, in the source's order
  of performance (warm-ups included).
* ``date``: the session day (time of day dropped).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import catalog as cat
from analysis import columns as C
from analysis.loaders import values as V
from analysis.loaders.base import problems_by_file


def on_uniques(values: pd.Series, func) -> pd.Series:
    """Apply a Series -> Series function to the unique values only, then broadcast back.

    Log columns repeat a handful of names over millions of rows; this keeps string work
    proportional to the number of distinct names.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    as_text = values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype)
    mapped = func(pd.Series(np.asarray(uniques, dtype=object) if as_text else uniques,
                            dtype="string" if as_text else values.dtype))
    arr = pd.array(mapped.to_numpy(), dtype=mapped.dtype).take(codes, allow_fill=True)
    return pd.Series(arr, index=values.index, name=values.name)


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each cell's code (-1: missing) and the distinct cells as text (``string``), as
    :func:`on_uniques` sees them: a coded column costs its categories, not its rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    as_text = values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype)
    return codes, pd.Series(np.asarray(uniques, dtype=object) if as_text else uniques,
                            dtype="string" if as_text else values.dtype)


def _recoded(codes: np.ndarray, values: pd.Series, index: pd.Index, name: str) -> pd.Series:
    """The column whose cell of code ``k`` is ``values[k]`` (``string``; -1 missing), kept coded:
    the categories are the distinct values (two codes of one value merged)."""
    vcodes, vuniq = pd.factorize(values.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    full = np.append(vcodes, -1)[codes]  # code -1 takes the -1 at the end
    cats = pd.Index(np.asarray(vuniq, dtype=object), dtype="string")
    return pd.Series(pd.Categorical.from_codes(full, dtype=pd.CategoricalDtype(cats)), index=index, name=name)


def _per_row(codes: np.ndarray, values: np.ndarray, missing: object) -> np.ndarray:
    """``values[code]`` per row, ``missing`` where the code is -1."""
    return np.append(values, np.asarray([missing], dtype=values.dtype))[codes]


def _text(col: pd.Series) -> pd.Series:
    """A few rows of a coded name column as ``string`` (what the problems of those rows show)."""
    return col.astype("string")


def finalize_sets(pre: pd.DataFrame, *, catalog: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Canonical sets and the problems found while resolving names and sides.

    Names, exercises and sides are worked out on the distinct cells of the coded name columns
    (:func:`analysis.loaders.log._encoded`) and kept coded to the end (:func:`_decoded`): a
    million sets never become a million strings before the canonical table is built.
    """
    problems: list[pd.DataFrame] = []
    if pre is None or pre.empty:
        return C.empty(C.SETS), problems
    if not isinstance(pre.index, pd.RangeIndex) or pre.index.start != 0:
        pre = pre.reset_index(drop=True)
    index = pre.index
    # `pre` is the loaders' own concatenation: columns are replaced in place, never copied
    codes, names = _distinct(pre[C.ATHLETE])
    pre[C.ATHLETE] = _recoded(codes, names.str.strip(), index, C.ATHLETE)
    codes, names = _distinct(pre[C.EXERCISE_RAW])
    pre[C.EXERCISE_RAW] = raw = _recoded(codes, names.str.strip(), index, C.EXERCISE_RAW)
    ex_codes = raw.cat.codes.to_numpy()
    ex_names = pd.Series(raw.cat.categories, dtype="string")
    res = cat.resolve_exercises(ex_names, catalog=catalog)  # each distinct name once
    exercise = _recoded(ex_codes, res["exercise"], index, C.EXERCISE)
    known = _per_row(ex_codes, res["known"].to_numpy(dtype=bool), False)

    # sides as codes into one vocabulary: the side column's, the names', the notes' and "both"
    vocab: dict[str, int] = {}

    def ids(values: pd.Series) -> np.ndarray:
        return np.array([-1 if v is None else vocab.setdefault(v, len(vocab))
                         for v in values.to_numpy(dtype=object, na_value=None)], dtype=np.int64)

    if C.SIDE in pre:
        s_codes, s_vals = _distinct(pre[C.SIDE])
        side = _per_row(s_codes, ids(s_vals), -1)
    else:
        side = np.full(len(pre), -1, dtype=np.int64)
    name_side = _per_row(ex_codes, ids(res["name_side"]), -1)
    left, right = vocab.setdefault("left", len(vocab)), vocab.setdefault("right", len(vocab))
    conflict = ((side == left) | (side == right)) & (name_side >= 0) & (side != name_side)
    if conflict.any():
        first = pre[conflict].drop_duplicates([C.SOURCE_FILE, C.EXERCISE_RAW])
        problems_by_file(first, problems, column="Side", value=_text(first[C.EXERCISE_RAW]),
                         problem="the side column and the side in the exercise name disagree; used the side column",
                         action="kept")
    side = np.where(side >= 0, side, name_side)
    info = cat.exercise_info(catalog).set_index("exercise")
    key_codes = exercise.cat.codes.to_numpy()
    keys = pd.Series(exercise.cat.categories, dtype="string")
    in_catalog_u = keys.map(info["unilateral"]).astype("boolean")
    unilateral = _per_row(key_codes, in_catalog_u.fillna(False).to_numpy(dtype=bool), False)
    if "notes" in pre:
        # a note names a side only for single-leg exercises: "right knee sore" on a back squat,
        # "right shoulder pain" on a bench press are not right-side sets
        n_codes, notes = _distinct(pre["notes"])
        from_notes = _per_row(n_codes, ids(V.side_from_notes(notes)), -1)
        says_single = ex_names.map(cat.looks_single_leg).astype("boolean").fillna(False).to_numpy(dtype=bool)
        not_in_catalog = _per_row(key_codes, in_catalog_u.isna().to_numpy(dtype=bool), True)
        may_be_sided = unilateral | (not_in_catalog & _per_row(ex_codes, says_single, False))
        side = np.where((side >= 0) | ~may_be_sided, side, from_notes)
    unsided = (side < 0) & unilateral
    if unsided.any():
        picked = pre.loc[unsided, [C.SOURCE_FILE, C.SOURCE_SHEET, C.EXERCISE_RAW, C.SOURCE_ROW]]
        picked[C.EXERCISE_RAW] = _text(picked[C.EXERCISE_RAW])
        grp = picked.groupby([C.SOURCE_FILE, C.SOURCE_SHEET, C.EXERCISE_RAW], dropna=False, sort=False)
        firsts = grp[C.SOURCE_ROW].min().reset_index()
        counts = pd.Series(grp.size().to_numpy(), index=firsts.index)
        problems_by_file(
            firsts, problems, column="Side", value=firsts[C.EXERCISE_RAW],
            problem=counts.map(lambda n: f"single-leg exercise with no side on {n} sets; counted for volume, not for left-right comparison"),
            action="kept")
    side = np.where(side >= 0, side, vocab.setdefault("both", len(vocab)))

    unknown = ~known
    if unknown.any():  # once per file and name, whatever the sheet, with its number of sets
        picked = pre.loc[unknown, [C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW, C.EXERCISE_RAW]]
        picked[C.EXERCISE_RAW] = _text(picked[C.EXERCISE_RAW])
        grp = picked.assign(_ex=_text(exercise[unknown])).groupby(
            [C.SOURCE_FILE, C.EXERCISE_RAW], sort=False, observed=True, dropna=False)
        first = grp.head(1).assign(_n=grp[C.SOURCE_ROW].transform("size"))
        problems_by_file(
            first, problems, column="Exercise", value=first[C.EXERCISE_RAW],
            problem=[f"exercise not in the catalog ({n} {'set' if n == 1 else 'sets'}); kept as '{k}' "
                     "(add it to a catalog CSV to give it a pattern)" for k, n in zip(first["_ex"], first["_n"], strict=True)],
            action="kept")
    _holds_in_names(pre, exercise, catalog, problems)

    out = pre
    out[C.EXERCISE] = exercise
    out[C.SIDE] = pd.Categorical.from_codes(side, dtype=pd.CategoricalDtype(pd.Index(list(vocab), dtype="string")))
    dates = out[C.DATE] if pd.api.types.is_datetime64_any_dtype(out[C.DATE].dtype) else pd.to_datetime(out[C.DATE])
    out[C.DATE] = dates.dt.normalize()
    if C.WARMUP in out:
        out[C.WARMUP] = out[C.WARMUP].astype("boolean").fillna(False)
    else:
        out[C.WARMUP] = False
    warm_up = keys == WARM_UP
    out[C.WARMUP] = out[C.WARMUP] | _per_row(key_codes, warm_up.fillna(False).to_numpy(dtype=bool), False)
    given = pd.to_numeric(out[C.SET_INDEX], errors="coerce") if C.SET_INDEX in out else None
    if given is not None and bool((given >= 1).all()):
        out[C.SET_INDEX] = given  # a source that numbers its sets (liftpace's canonical CSV) keeps its numbers
    else:
        order = _order_within(out, [C.ATHLETE, C.DATE, C.EXERCISE, C.SIDE]) + 1
        out[C.SET_INDEX] = order if given is None else given.where(given.notna() & (given >= 1), order)
    return C.conform(_decoded(out, C.SETS), C.SETS), problems


def _order_within(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """``frame.groupby(keys, sort=False, dropna=False).cumcount()``: each row's place among the rows
    of its key values (missing values a key of their own), from one integer key made of the
    columns' codes: the groupby of four columns combined and sorted a million keys (0.3 s)."""
    key = np.zeros(len(frame), dtype=np.int64)
    span = 1
    for name in keys:
        col = frame[name]
        codes = col.cat.codes.to_numpy() if isinstance(col.dtype, pd.CategoricalDtype) else pd.factorize(col)[0]
        n = int(codes.max(initial=-1)) + 2  # -1 (missing) becomes 0
        if span * n >= 2**62:  # too many combinations for one integer: pandas' own way
            return frame.groupby(keys, sort=False, dropna=False, observed=True).cumcount()
        key = key * n + (codes.astype(np.int64) + 1)
        span *= n
    ids = pd.factorize(key)[0]
    return pd.Series(ids, index=frame.index).groupby(ids, sort=False).cumcount()


def _decoded(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """Coded text columns (the names :func:`analysis.loaders.log._encoded` codes) as ``string``
    columns, their categories taken by code in Arrow: what ``astype("string")`` in
    :func:`analysis.columns.conform` gives, which converted each row through a Python object
    (0.4-0.7 s for the file names of a million sets)."""
    for name, dtype in schema.items():
        if dtype != "string" or name not in frame or not isinstance(frame[name].dtype, pd.CategoricalDtype):
            continue
        col = frame[name]
        cats = col.cat.categories
        if not pd.api.types.is_string_dtype(cats.dtype) or cats.dtype == object:
            continue  # categories of other cells: conform converts them as before
        text = pd.array(cats, dtype="string").take(col.cat.codes.to_numpy(), allow_fill=True)
        frame[name] = pd.Series(text, index=col.index, name=name)
    return frame


#: The catalog key of a warm-up logged as an exercise (Hevy's "Warm Up"): its sets are warm-ups.
WARM_UP = "warm_up"


def _holds_in_names(pre: pd.DataFrame, exercise: pd.Series, catalog: pd.DataFrame | None,
                    problems: list[pd.DataFrame]) -> None:
    """``Wall Sit 1:00``: the time in the name becomes the set's duration where the row has none."""
    secs = on_uniques(pre[C.EXERCISE_RAW], lambda s: cat.seconds_in_name(s, catalog=catalog))
    if not secs.notna().any():
        return
    duration = pre[C.DURATION_S].astype("Float64") if C.DURATION_S in pre else pd.Series(pd.NA, index=pre.index, dtype="Float64")
    fill = secs.notna() & duration.isna()
    if not fill.any():
        return
    pre[C.DURATION_S] = duration.mask(fill, secs)
    if C.REPS in pre:
        reps = pre[C.REPS]
        pre[C.REPS] = reps.mask(fill & (reps.isna() | (reps <= 1)).fillna(True))
    first = pre[fill].assign(_ex=exercise[fill], _s=secs[fill]).drop_duplicates([C.SOURCE_FILE, C.EXERCISE_RAW])
    problems_by_file(
        first, problems, column="Exercise", value=first[C.EXERCISE_RAW],
        problem=[f"hold time written in the exercise name: read as a {s:g} s hold of '{k}'"
                 for k, s in zip(first["_ex"], first["_s"], strict=True)],
        action="fixed")


#: The zero of Unix time stamps: a date of 1970-01-01 is usually a missing date written as 0.
ZERO_DATE = "date is 1970-01-01, the zero of Unix time stamps (a missing date written as 0?); kept: check it"


def note_zero_dates(frame: pd.DataFrame, problems: list[pd.DataFrame]) -> None:
    """A ``kept`` problem per source row dated 1970-01-01 (as rows before 1970, such as Excel's zero
    date 1899-12-30, are flagged by :func:`analysis.loaders.accounting.note_odd_dates`)."""
    if frame.empty:
        return
    zero = (frame[C.DATE].dt.normalize() == pd.Timestamp("1970-01-01")).fillna(False).to_numpy(dtype=bool)
    if not zero.any():
        return
    picked = frame.loc[zero, [C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW]].drop_duplicates()
    problems_by_file(picked, problems, column="Date", value=pd.Series("1970-01-01", index=picked.index),
                     problem=ZERO_DATE, action="kept")

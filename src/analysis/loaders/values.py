"""Vectorised parsers for values as people type them into training logs.

Every parser takes a Series of raw cells (strings from CSV, or Python objects from xlsx:
floats, ints, datetimes, times, None) and returns canonical values plus masks that say which
cells were *fixed* (read, but not as written: ``62.5kg``, ``62,5``), which were *bad* (could
not be read) and why. Parsers never loop over rows in Python: they work with pandas string
methods and regular expressions on the whole column, and with Python only over unique values
where a column needs it.

Accepted spellings
------------------
weight
    ``62.5``, ``62,5`` (decimal comma), ``62.5kg``, ``10 kg``, ``135 lb``, ``135lbs``,
    ``BW`` / ``bodyweight`` (load 0), ``BW+10`` (10 kg external on top of bodyweight).
reps
    ``8``, ``8.0``, ``7.5`` (a half rep), ``8/8/6`` (set by set: one set each), ``10/leg``, ``10 each``,
    ``10 per side`` (per side), ``45s``, ``45 sec``, ``1:00`` (a hold: duration, no reps),
    ``3x10``, ``3 x 10 @ 40kg`` (sets x reps @ load in one cell).
duration
    seconds as a number (or minutes, by the column's unit), ``0:50:30``, ``50:30``,
    ``45s``, ``1h 6m``, ``45 min``, Excel time cells.
distance
    ``14.1``, ``14,1``, ``10 km``, ``6.2 mi``, ``5000 m``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

LB_TO_KG = 0.45359237
MILE_TO_KM = 1.609344

_NUM = r"[+-]?[0-9]+(?:[.,][0-9]+)?"

#: The problem texts every reader uses for the same thing, so a set reads the same way in every format.
MISSED_ATTEMPT = ("zero reps with a load: a missed attempt; kept as a set with 0 reps "
                  "(no volume, no e1RM)")
REPS_NOT_A_COUNT = "reps must be a whole or half number (8, 7.5) of 0 or more"


def assistance(n_sets: int, negative: bool) -> str:
    """The ``kept`` note of an exercise whose weight is assistance (load set to 0).

    Examples
    --------
    >>> assistance(3, False)
    'assisted exercise: the weight is the assistance, not load; load set to 0 on 3 sets'
    """
    what = ("negative weight read as assistance (an assisted machine or band)" if negative
            else "assisted exercise: the weight is the assistance, not load")
    return f"{what}; load set to 0 on {n_sets} {'set' if n_sets == 1 else 'sets'}"


@dataclass
class Parsed:
    """Result of a vectorised parse: values and per-cell notes.

    ``value`` is the parsed column; ``bad`` marks cells that could not be read (with the reason
    in ``reason``); ``fixed`` marks cells read but not as written (reason in ``reason`` too).
    """

    value: pd.Series
    bad: pd.Series
    fixed: pd.Series
    reason: pd.Series
    first_ambiguous: object = None  # index label of the first cell read by a default rule


def _take(values: object, codes: np.ndarray, index: pd.Index) -> object:
    """Broadcast a per-unique result back to every row (Series keep their dtype)."""
    if isinstance(values, pd.Series):
        return pd.Series(values.array.take(codes), index=index, name=values.name)
    return values


def _coded_reasons(reasons: object, codes: np.ndarray, index: pd.Index) -> object:
    """A parser's reasons, broadcast from its distinct cells as codes into the distinct reasons (a
    categorical of ``string`` categories): readers only ever pick the reasons of the rows they
    note (``reason[bad]``), and a million rows of ``date typed as text; read day-first
    (dd/mm/yyyy)`` written out were 50 MB."""
    if not isinstance(reasons, pd.Series) or not pd.api.types.is_string_dtype(reasons.dtype) \
            or isinstance(reasons.dtype, pd.CategoricalDtype):
        return _take(reasons, codes, index)
    rcodes, distinct = pd.factorize(reasons.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    cats = pd.CategoricalDtype(pd.Index(np.asarray(distinct, dtype=object), dtype="string"))
    return pd.Series(pd.Categorical.from_codes(rcodes[codes] if len(codes) else rcodes[:0], dtype=cats),
                     index=index, name=reasons.name)


def is_coded(raw: object) -> bool:
    """True for a column of cells kept as codes into its distinct cells (see :func:`coded`)."""
    return isinstance(raw, pd.Series) and isinstance(raw.dtype, pd.CategoricalDtype)


def coded(raw: pd.Series) -> pd.Series:
    """A column of cells as codes into its distinct cells (a categorical of object cells).

    A loader factorizes each grid column once: every parser, blank check and per-value function
    after it (:func:`on_unique_cells`, :func:`is_blank`, :func:`~analysis.loaders.base.map_distinct`)
    then works on the codes and the few distinct cells instead of factorizing a million cells
    again. Missing cells (None, NaN) become the categorical's missing code. Cells are kept as they
    are (str, float, datetime ...); columns of another dtype are returned unchanged.
    """
    if is_coded(raw) or not (raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype)):
        return raw
    try:
        codes, uniques = pd.factorize(raw.to_numpy(dtype=object))
    except TypeError:  # unhashable cells (never from our readers): left as they are
        return raw
    cats = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats)), index=raw.index, name=raw.name)


def coded_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text (object) column of ``frame`` as :func:`coded`."""
    if frame.empty:
        return frame
    return pd.DataFrame({c: coded(col) for c, col in frame.items()}, index=frame.index).set_axis(frame.columns, axis=1)


def _uncoded(raw: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes and distinct cells (object, a trailing NaN for the missing code) of a coded column."""
    codes = raw.cat.codes.to_numpy()
    cats = raw.cat.categories
    uniq = np.empty(len(cats) + 1, dtype=object)
    uniq[: len(cats)] = cats.to_numpy(dtype=object)
    uniq[len(cats)] = np.nan
    codes = np.where(codes < 0, len(cats), codes)
    return codes, pd.Series(uniq, dtype=object)


def _factorize(raw: pd.Series) -> tuple[np.ndarray, pd.Series]:
    if is_coded(raw):
        return _uncoded(raw)
    arr = raw.to_numpy(dtype=object) if raw.dtype == object else raw
    try:
        codes, uniques = pd.factorize(arr, use_na_sentinel=False)
    except TypeError:  # unhashable cells (never from our readers): no shortcut
        return np.arange(len(raw)), raw.reset_index(drop=True)
    uniq = pd.Series(uniques, dtype=raw.dtype if raw.dtype != object else object)
    return codes, uniq


def on_unique_cells(func):
    """Run a column parser on the column's distinct cells only, then broadcast back.

    Training logs repeat a few dozen names, weights and dates over thousands of rows, so
    string work proportional to distinct values keeps the loaders fast. Results may be a
    Series, a :class:`Parsed`/:class:`ParsedReps`, or a tuple whose first item is one of those.
    """

    @functools.wraps(func)
    def wrapper(raw: pd.Series, *args, **kwargs):
        if not isinstance(raw, pd.Series) or (len(raw) < 64 and not is_coded(raw)):
            return func(raw, *args, **kwargs)
        codes, uniq = _factorize(raw)
        if len(uniq) > 0.6 * len(raw) and not is_coded(raw):
            return func(raw, *args, **kwargs)
        out = func(uniq, *args, **kwargs)
        return _broadcast(out, codes, raw.index)

    return wrapper


def parse_on_codes(parser, raw: pd.Series, *args, **kwargs) -> tuple[np.ndarray, Any]:
    """A parser decorated with :func:`on_unique_cells`, run on the distinct cells of ``raw`` and not
    broadcast: each cell's code and the parser's result per distinct cell. A reader builds its
    columns by taking from these by code (:func:`broadcast` gives what ``parser(raw)`` gives)."""
    codes, uniq = _factorize(raw)
    return codes, parser.__wrapped__(uniq, *args, **kwargs)


def broadcast(out: object, codes: np.ndarray, index: pd.Index) -> Any:
    """A per-distinct-cell result (:func:`parse_on_codes`) for every cell of a column of ``index``."""
    return _broadcast(out, codes, index)


def _broadcast(out: object, codes: np.ndarray, index: pd.Index) -> object:
    if isinstance(out, tuple):
        return tuple(_broadcast(o, codes, index) for o in out)
    if isinstance(out, pd.Series):
        return _take(out, codes, index)
    if isinstance(out, (Parsed, ParsedReps)):
        changes: dict[str, Any] = {f.name: (_coded_reasons if f.name == "reason" else _take)(getattr(out, f.name), codes, index)
                                   for f in fields(out)}
        first = getattr(out, "first_ambiguous", None)
        if first is not None:
            hits = np.flatnonzero(codes == first)
            changes["first_ambiguous"] = index[hits[0]] if len(hits) else None
        return replace(out, **changes)
    return out


def text_codes(raw: pd.Series) -> pd.Categorical:
    """:func:`as_text` of a column as a categorical (``string`` categories, missing where blank),
    computed on the distinct cells: a name column of a million rows stays a million small codes
    instead of a million strings (the form :func:`analysis.loaders.log.read_logs` encodes names in)."""
    codes, uniq = _factorize(raw)
    text = as_text(uniq) if len(uniq) else pd.Series([], dtype="string")
    tcodes, tcats = pd.factorize(text.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    return pd.Categorical.from_codes(tcodes[codes] if len(codes) else np.array([], dtype=np.intp),
                                     dtype=pd.CategoricalDtype(pd.Index(tcats, dtype="string")))


def per_cell(raw: pd.Series, func) -> pd.Series:
    """``func`` (a Series -> Series function of cells) run on the column's distinct cells only and
    broadcast back: string methods and regexes over a coded column cost its distinct cells, not its
    rows."""
    return on_unique_cells(func)(raw)


_BLANK_WORDS = frozenset({"", "--", "nan", "none", "n/a", "na", "-"})


def is_blank(raw: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, NaT or whitespace-only text (or ``--``, ``n/a``)."""
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw.dtype) and not is_coded(raw):
        return raw.isna()
    codes, uniq = _factorize(raw)
    ublank = np.fromiter(
        (v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT
         or (isinstance(v, str) and v.strip().lower() in _BLANK_WORDS) for v in uniq),
        dtype=bool, count=len(uniq),
    )
    return pd.Series(ublank[codes], index=raw.index)


@on_unique_cells
def as_text(raw: pd.Series) -> pd.Series:
    """Cells as stripped strings (NA where blank). Whole floats lose their ``.0``."""
    if raw.dtype == object and len(raw) <= SMALL_COLUMN:
        text = _texts_small(raw.to_numpy())
        if text is not None:
            return pd.Series(pd.array(text, dtype="string"), index=raw.index, name=raw.name)
    return _as_text_frame(raw)


#: Columns (distinct cells, mostly) up to this length are read value by value in plain Python: a
#: list comprehension over a few hundred cells costs less than the fixed cost of a dozen pandas ops.
SMALL_COLUMN = 4096

_NUMBER_TYPES = (int, float, np.integer, np.floating)
#: Cell types the plain-Python path knows how pandas writes as text (``str(cell)``); any other
#: (bytes, a Decimal, a huge int ...) takes the pandas path.
_PLAIN_TYPES = frozenset({str, float, int, bool, np.float64, np.int64, dt.datetime, dt.date, dt.time,
                          dt.timedelta, pd.Timestamp, pd.Timedelta, type(None)})


def _texts_small(cells: np.ndarray) -> list[str | None] | None:
    """:func:`as_text` of a few cells as a list (None for NA), or None when a cell is of a type the
    pandas path alone knows how to write."""
    out: list[str | None] = []
    for v in cells:
        kind = type(v)
        if kind not in _PLAIN_TYPES and v is not pd.NA and v is not pd.NaT:
            return None
        if v is None or v is pd.NA or v is pd.NaT:
            out.append(None)
        elif kind is str:
            t = v.strip()
            out.append(None if t.lower() in _BLANK_WORDS else t)
        elif kind is bool:
            out.append(str(v))
        elif isinstance(v, _NUMBER_TYPES):
            if v != v:
                out.append(None)
            elif isinstance(v, int) and abs(v) >= 2**53:
                return None
            elif abs(number := float(v)) < 2**53 and number == np.floor(number):
                out.append(str(int(number)))
            else:
                out.append(str(v).strip())
        else:
            out.append(str(v).strip())
    return out


def _as_text_frame(raw: pd.Series) -> pd.Series:
    """:func:`as_text` with pandas string methods (any length, any cell type)."""
    out = raw.copy()
    is_num = raw.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)) if raw.dtype == object else pd.Series(pd.api.types.is_numeric_dtype(raw.dtype), index=raw.index)
    text = out.astype("string").str.strip()
    if is_num.any():
        nums = pd.to_numeric(raw[is_num], errors="coerce")
        whole = nums.notna() & (nums.abs() < 2**53) & (nums == np.floor(nums))  # not inf or beyond int64
        text.loc[whole[whole].index] = nums[whole].astype("int64").astype("string")
    return text.mask(is_blank(raw))


def _numeric_cells(raw: pd.Series) -> pd.Series:
    """Numbers already typed as numbers (xlsx) -> float; everything else NaN."""
    if raw.dtype != object:
        return _finite(pd.to_numeric(raw, errors="coerce").astype(float))
    is_num = raw.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    return _finite(pd.to_numeric(raw.where(is_num), errors="coerce").astype(float))


#: Largest number a cell may hold; beyond it (``inf``, ``1e309``, ``1e300``) no count, weight or
#: time is meant, and arithmetic on it would overflow.
MAX_CELL_NUMBER = 1e15


def _finite(values: pd.Series) -> pd.Series:
    """NaN for numbers beyond :data:`MAX_CELL_NUMBER` (and infinities): they are not numbers people log."""
    with np.errstate(invalid="ignore"):
        return values.where(~(np.abs(values.to_numpy()) > MAX_CELL_NUMBER))


def _to_float(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ``12.5`` / ``12,5`` text; return floats and a mask of decimal-comma cells."""
    comma = text.str.fullmatch(r"[+-]?[0-9]+,[0-9]+").fillna(False)
    thousands = text.str.fullmatch(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?").fillna(False) & ~comma
    cleaned = text.where(~comma, text.str.replace(",", ".", regex=False))
    cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
    return _finite(pd.to_numeric(cleaned, errors="coerce").astype(float)), comma


def _empty_reason(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="string")


@on_unique_cells
def parse_number(raw: pd.Series, *, what: str = "number") -> Parsed:
    """Parse plain numbers (``12``, ``12.5``, ``12,5``, ``"1,234"``, ``'-16``)."""
    num = _numeric_cells(raw)
    text = as_text(raw).str.lstrip("'")
    parsed, comma = _to_float(text)
    value = num.where(num.notna(), parsed)
    blank = is_blank(raw)
    bad = value.isna() & ~blank
    reason = _empty_reason(raw.index)
    reason[bad] = f"not a {what}"
    fixed = comma & ~bad
    reason[fixed] = "decimal comma read as a decimal point"
    return Parsed(value.astype("Float64"), bad, fixed, reason)


_WEIGHT_RE = re.compile(
    rf"^(?P<bw>bw|bodyweight|body weight|body-weight|b\.w\.)?\s*(?:\+\s*)?"
    rf"(?P<num>{_NUM})?\s*(?P<unit>kgs?|kilos?|kilograms?|lbs?|pounds?|#)?$",
    re.I,
)


@on_unique_cells
def parse_weight(raw: pd.Series, *, unit: str = "kg") -> Parsed:
    """Parse load cells to kg.

    Returns ``value`` in kg (Float64; 0 for bodyweight) and, in ``Parsed.fixed``, cells whose
    text needed reading (unit written in the cell, decimal comma). ``unit`` is the unit of
    bare numbers (``"kg"`` or ``"lb"``).

    Examples
    --------
    >>> p = parse_weight(pd.Series(["62.5", "62,5", "62.5kg", "135 lb", "BW", "BW+10", "heavy"]))
    >>> p.value.round(2).tolist()
    [62.5, 62.5, 62.5, 61.24, 0.0, 10.0, <NA>]
    >>> p.bad.tolist()
    [False, False, False, False, False, False, True]
    """
    factor_default = LB_TO_KG if unit == "lb" else 1.0
    num = _numeric_cells(raw)
    text = as_text(raw).str.lower().str.lstrip("'")
    parts = text.str.extract(_WEIGHT_RE)
    has_num = parts["num"].notna()
    numbers, comma = _to_float(parts["num"].astype("string"))
    is_bw = parts["bw"].notna()
    unit_txt = parts["unit"].astype("string").str.lower()
    in_lb = unit_txt.str.startswith(("lb", "pound", "#")).fillna(False)
    in_kg = unit_txt.str.startswith("k").fillna(False)
    factor = pd.Series(factor_default, index=raw.index).mask(in_lb, LB_TO_KG).mask(in_kg, 1.0)
    from_text = (numbers * factor).where(has_num, np.where(is_bw, 0.0, np.nan))
    value = (num * factor_default).where(num.notna(), from_text)
    blank = is_blank(raw)
    matched = parts.notna().any(axis=1) & (has_num | is_bw)
    bad = ~blank & num.isna() & ~matched.fillna(False)
    value = value.where(~bad)
    reason = _empty_reason(raw.index)
    reason[bad] = "not a weight (expected e.g. 62.5, 62.5kg, 135 lb, BW, BW+10)"
    unit_written = unit_txt.notna() & num.isna() & ~bad
    fixed = (comma & ~bad) | unit_written
    reason[unit_written] = "unit written in the cell; converted to kg"
    reason[comma & ~bad] = "decimal comma read as a decimal point"
    out = pd.Series(value, index=raw.index).round(3).astype("Float64")
    return Parsed(out, bad, fixed, reason)


_DUR_HMS = re.compile(r"^(?:(?P<h>[0-9]+):)?(?P<m>[0-9]{1,2}):(?P<s>[0-9]{1,2}(?:[.,][0-9]+)?)$")
_DUR_WORDS = re.compile(
    r"^(?:(?P<h>[0-9]+(?:[.,][0-9]+)?)\s*(?:h|hr|hrs|hours?))?\s*"
    r"(?:(?P<m>[0-9]+(?:[.,][0-9]+)?)\s*(?:m|min|mins|minutes?|'))?\s*"
    r"(?:(?P<s>[0-9]+(?:[.,][0-9]+)?)\s*(?:s|sec|secs|seconds?|\"|''))?$",
    re.I,
)


def _cell_seconds(value: object) -> float:
    """Seconds from an Excel-typed cell (time, timedelta, datetime at 1899-12-30/31)."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds()
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if isinstance(value, dt.datetime) and value.year in (1899, 1900):
        base = dt.datetime(1899, 12, 30)
        return (value - base).total_seconds()
    return np.nan


@on_unique_cells
def parse_duration(raw: pd.Series, *, number_unit: str = "s") -> Parsed:
    """Parse durations to seconds (Float64).

    ``number_unit`` says what a bare number means: ``"s"``, ``"min"`` or ``"h"``.
    ``h:mm:ss`` and ``mm:ss`` text, ``45s``, ``1h 6m``, ``45 min`` and Excel time cells are read
    whatever ``number_unit`` is.

    Examples
    --------
    >>> parse_duration(pd.Series(["0:50:30", "50:30", "45s", "1h 6m", "90", "5:99"])).value.tolist()
    [3030.0, 3030.0, 45.0, 3960.0, 90.0, <NA>]
    """
    scale = {"s": 1.0, "min": 60.0, "h": 3600.0}[number_unit]
    if raw.dtype == object and len(raw) <= SMALL_COLUMN:
        small = _durations_small(raw, scale)
        if small is not None:
            return small
    return _durations_frame(raw, scale)


_NOT_A_DURATION = "not a duration (expected e.g. 0:50:30, 50:30, 45s, 1h 6m)"
_NOT_A_CLOCK = "not a time: seconds (or minutes after hours) run from 0 to 59"


def _numbers_as_pandas(texts: list[str | None]) -> np.ndarray:
    """``pd.to_numeric`` of text cells as the column-wise path calls it (a ``string`` column), as floats."""
    out = pd.to_numeric(pd.Series(texts, dtype="string"), errors="coerce")
    return pd.Series(out).astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _durations_small(raw: pd.Series, scale: float) -> Parsed | None:
    """:func:`parse_duration` of a few cells in plain Python (the regexes per cell, the numbers through
    one ``pd.to_numeric`` each, as the column-wise path reads them); None when a cell's text is not
    ASCII (pandas lowers text as Arrow does) or of a type only the column-wise path reads."""
    cells = raw.to_numpy()
    texts = _texts_small(cells)
    if texts is None or any(t is not None and not t.isascii() for t in texts):
        return None
    n = len(cells)
    lows = [None if t is None else t.lower().replace(",", ".") for t in texts]
    hms = [None if t is None else _DUR_HMS.search(t) for t in lows]
    words = [None if t is None else _DUR_WORDS.search(t) for t in lows]
    groups = [m[g] if m is not None else None for m in hms for g in ("h", "m", "s")]
    groups += [m[g] if m is not None else None for m in words for g in ("h", "m", "s")]
    nums = _numbers_as_pandas(groups + lows)
    hms_n, words_n, plain = nums[: 3 * n].reshape(n, 3), nums[3 * n: 6 * n].reshape(n, 3), nums[6 * n:] * scale
    value = np.full(n, np.nan)
    out_of_range = np.zeros(n, dtype=bool)
    for i, v in enumerate(cells):
        got = np.nan
        if isinstance(v, _NUMBER_TYPES) and not isinstance(v, bool):
            f = float(v)
            got = f * scale if not abs(f) > MAX_CELL_NUMBER else np.nan
        if got != got:
            got = _cell_seconds(v)
        h, m, sec = hms_n[i]
        clock_ok = sec < 60 and (m < 60 or h != h)
        out_of_range[i] = sec == sec and not clock_ok
        if got != got and clock_ok:
            got = (0.0 if h != h else h) * 3600 + m * 60 + sec
        if got != got and words[i] is not None and not np.isnan(words_n[i]).all():
            wh, wm, ws = np.nan_to_num(words_n[i], nan=0.0)
            got = wh * 3600 + wm * 60 + ws
        if got != got:
            got = plain[i]
        value[i] = np.nan if out_of_range[i] else got
    blank = np.array([t is None for t in texts], dtype=bool)
    bad = np.isnan(value) & ~blank
    reason = [(_NOT_A_CLOCK if late else _NOT_A_DURATION) if b else None
              for b, late in zip(bad.tolist(), out_of_range.tolist(), strict=True)]
    idx = raw.index
    return Parsed(pd.Series(value, index=idx).astype("Float64"), pd.Series(bad, index=idx),
                  pd.Series(False, index=idx), pd.Series(reason, index=idx, dtype="string"))


def _durations_frame(raw: pd.Series, scale: float) -> Parsed:
    """:func:`parse_duration` with pandas string methods (any length, any cell)."""
    num = _numeric_cells(raw)
    value = num * scale
    if raw.dtype == object:
        typed = raw.map(_cell_seconds).astype(float)
        value = value.where(value.notna(), typed)
    text = as_text(raw).str.lower().str.replace(",", ".", regex=False)
    hms = text.str.extract(_DUR_HMS).apply(pd.to_numeric, errors="coerce")
    # "5:99" is no time: seconds run to 59 (and minutes too after hours); "75:30" is 75 minutes
    clock_ok = (hms["s"] < 60) & ((hms["m"] < 60) | hms["h"].isna())
    out_of_range = hms["s"].notna() & ~clock_ok
    hms = hms.where(clock_ok)
    from_hms = hms["h"].fillna(0) * 3600 + hms["m"] * 60 + hms["s"]
    words = text.str.extract(_DUR_WORDS).apply(pd.to_numeric, errors="coerce")
    any_word = words.notna().any(axis=1)
    from_words = (words["h"].fillna(0) * 3600 + words["m"].fillna(0) * 60 + words["s"].fillna(0)).where(any_word)
    plain = pd.to_numeric(text, errors="coerce") * scale
    value = value.where(value.notna(), from_hms).where(lambda v: v.notna(), from_words).where(lambda v: v.notna(), plain)
    value = value.mask(out_of_range)
    blank = is_blank(raw)
    bad = value.isna() & ~blank
    reason = _empty_reason(raw.index)
    reason[bad] = _NOT_A_DURATION
    reason[bad & out_of_range] = _NOT_A_CLOCK
    return Parsed(value.astype("Float64"), bad, pd.Series(False, index=raw.index), reason)


_DIST_RE = re.compile(rf"^(?P<num>{_NUM})\s*(?P<unit>km|k|kms|mi|mile|miles|m|meters?|metres?)?$", re.I)


@on_unique_cells
def parse_distance(raw: pd.Series, *, unit: str = "km") -> Parsed:
    """Parse distances to kilometres. ``unit`` is the unit of bare numbers (km, mi or m).

    Examples
    --------
    >>> parse_distance(pd.Series(["14,1", "10 km", "6.2 mi", "5000 m", 8])).value.round(3).tolist()
    [14.1, 10.0, 9.978, 5.0, 8.0]
    """
    to_km = {"km": 1.0, "k": 1.0, "kms": 1.0, "mi": MILE_TO_KM, "mile": MILE_TO_KM, "miles": MILE_TO_KM,
             "m": 0.001, "meter": 0.001, "meters": 0.001, "metre": 0.001, "metres": 0.001}
    default = to_km[unit]
    num = _numeric_cells(raw)
    text = as_text(raw).str.lower()
    parts = text.str.extract(_DIST_RE)
    numbers, comma = _to_float(parts["num"].astype("string"))
    unit_txt = parts["unit"].astype("string")
    factor = unit_txt.map(to_km, na_action="ignore").astype(float).fillna(default)
    value = (num * default).where(num.notna(), numbers * factor)
    blank = is_blank(raw)
    bad = value.isna() & ~blank
    reason = _empty_reason(raw.index)
    reason[bad] = "not a distance (expected e.g. 10.2, 10 km, 6.2 mi)"
    fixed = (comma | unit_txt.notna()) & num.isna() & ~bad
    reason[fixed & comma] = "decimal comma read as a decimal point"
    reason[fixed & ~comma] = "unit written in the cell; converted to km"
    return Parsed(value.astype("Float64"), bad, fixed.fillna(False), reason)


_SETS_RE = re.compile(
    r"^(?P<sets>[0-9]{1,2})\s*[x×*]\s*(?P<reps>[0-9]{1,6}(?:[.,]5)?(?:\s*[-–]\s*[0-9]{1,6})?(?:\s*/\s*[0-9]{1,6}){0,49})"
    r"(?P<per>\s*(?:/\s*(?:leg|side)|each(?:\s+(?:leg|side))?|per\s+(?:leg|side)|e/?s|ea))?"
    r"(?:\s*@\s*(?P<load>.+))?$",
    re.I,
)
_REPS_RE = re.compile(
    r"^(?P<reps>[0-9]{1,6}(?:\.0+|[.,]5)?(?:\s*/\s*[0-9]{1,6}(?:[.,]5)?){0,49})"
    r"(?P<per>\s*(?:/\s*(?:leg|side)|each(?:\s+(?:leg|side))?|per\s+(?:leg|side)|e/?s|ea|x\s*2))?$",
    re.I,
)


def _put_tuples(target: pd.Series, mask: pd.Series, values: list[tuple] | np.ndarray) -> None:
    """``target[mask] = values`` keeping each value a tuple (pandas may turn a list of equal-length
    tuples into a 2-D array and store rows of it); ``values`` may be a 1-D object array of tuples."""
    if isinstance(values, np.ndarray):
        boxed = values
    else:
        boxed = np.empty(len(values), dtype=object)
        for k, v in enumerate(values):  # element by element: numpy would make a 2-D array of them
            boxed[k] = v
    target.iloc[np.flatnonzero(np.asarray(mask, dtype=bool))] = boxed


@dataclass
class ParsedReps:
    """Reps parsed from one column.

    ``reps_list``: per cell a tuple of reps per set (``8/8/6`` -> (8, 8, 6)), empty for holds.
    ``duration_s``: hold seconds where the cell was a hold. ``sets``: sets count from ``3x10``
    notation (NA otherwise). ``load``: raw load text from ``3 x 10 @ 40kg`` (NA otherwise).
    ``per_side``: the cell said ``/leg``, ``each`` or ``per side``.
    """

    reps_list: pd.Series
    duration_s: pd.Series
    sets: pd.Series
    load: pd.Series
    per_side: pd.Series
    bad: pd.Series
    fixed: pd.Series
    reason: pd.Series


@on_unique_cells
def parse_reps(raw: pd.Series) -> ParsedReps:
    """Parse rep cells (see the module docstring for the spellings).

    Examples
    --------
    >>> p = parse_reps(pd.Series(["8", "8/8/6", "10/leg", "45s", "3 x 10 @ 40kg", "lots"]))
    >>> p.reps_list.tolist()
    [(8,), (8, 8, 6), (10,), (), (10, 10, 10), ()]
    >>> p.duration_s.tolist()
    [<NA>, <NA>, <NA>, 45.0, <NA>, <NA>]
    >>> p.bad.tolist()
    [False, False, False, False, False, True]
    """
    idx = raw.index
    num = _numeric_cells(raw)
    text = as_text(raw).str.lower()
    blank = is_blank(raw)
    reps_list = pd.Series([()] * len(raw), index=idx, dtype=object)
    sets = pd.Series(pd.NA, index=idx, dtype="Int64")
    load = pd.Series(pd.NA, index=idx, dtype="string")
    per_side = pd.Series(False, index=idx)
    duration = pd.Series(np.nan, index=idx)  # hold seconds
    fixed = pd.Series(False, index=idx)
    reason = _empty_reason(idx)

    huge = num.notna() & ~(num.abs() < 1e6)  # inf too: not a count anyone typed
    whole = num.notna() & ~huge & (num * 2 == np.floor(num * 2)) & (num >= 0)  # half reps kept
    if whole.any():  # one tuple per distinct count, taken for every row
        codes, counts = pd.factorize(num[whole].to_numpy(dtype=float))
        ones = np.empty(len(counts), dtype=object)
        for k, v in enumerate(counts):
            ones[k] = (_count(v),)
        _put_tuples(reps_list, whole, ones[codes])
    frac = num.notna() & ~whole & ~huge

    simple = text.str.extract(_REPS_RE)
    ok_simple = simple["reps"].notna() & num.isna()
    if ok_simple.any():
        uniq = {t: tuple(_count(float(x.replace(",", "."))) for x in re.split(r"\s*/\s*", t))
                for t in simple.loc[ok_simple, "reps"].unique()}
        keys = simple.loc[ok_simple, "reps"]
        codes, ukeys = pd.factorize(keys.to_numpy(dtype=object))
        tuples = np.empty(len(ukeys), dtype=object)
        for i, k in enumerate(ukeys):  # per distinct cell
            tuples[i] = uniq[k]
        _put_tuples(reps_list, ok_simple, tuples[codes])
        per_side |= simple["per"].notna() & ok_simple
        multi = ok_simple & simple["reps"].str.contains("/", regex=False).fillna(False)
        fixed |= multi
        reason[multi] = "set-by-set reps expanded to one row per set"

    notation = text.str.extract(_SETS_RE)
    ok_not = notation["sets"].notna() & num.isna() & ~ok_simple
    if ok_not.any():
        n_sets = pd.to_numeric(notation.loc[ok_not, "sets"]).astype(int)
        _put_tuples(reps_list, ok_not,
                    [_expand_sets(n, t) for n, t in zip(n_sets, notation.loc[ok_not, "reps"], strict=True)])
        sets[ok_not] = n_sets.to_numpy()
        load[ok_not] = notation.loc[ok_not, "load"].astype("string")
        per_side |= notation["per"].notna() & ok_not
        ranged = ok_not & notation["reps"].str.contains(r"[-–]", regex=True).fillna(False)
        fixed |= ok_not
        reason[ok_not] = "sets x reps notation expanded to one row per set"
        reason[ranged] = "rep range read as its lower end"

    rest = ~blank & num.isna() & ~ok_simple & ~ok_not
    if rest.any():
        duration[rest.to_numpy()] = _hold_seconds(raw[rest], text[rest]).to_numpy()
    bad = ~blank & ~whole & ~ok_simple & ~ok_not & pd.Series(duration, index=idx).isna()
    bad |= frac
    reason[bad] = "not a rep count (expected e.g. 8, 8/8/6, 10/leg, 45s, 3x10)"
    reason[frac] = REPS_NOT_A_COUNT
    return ParsedReps(
        reps_list=reps_list,
        duration_s=pd.Series(duration, index=idx).astype("Float64"),
        sets=sets,
        load=load,
        per_side=per_side,
        bad=bad,
        fixed=fixed & ~bad,
        reason=reason,
    )


def _count(value: float) -> float | int:
    """A rep count as written: an int when whole, a float for a half rep (7.5)."""
    return int(value) if value == int(value) else float(value)


def _expand_sets(n: int, reps: str) -> tuple[float | int, ...]:
    """The reps of each set of ``n x reps`` (``3x10`` -> 10, 10, 10; ``3x8-10`` -> 8, 8, 8)."""
    parts = re.split(r"\s*/\s*", reps)
    if len(parts) > 1:
        return tuple(int(p) for p in parts)
    low = _count(float(re.split(r"\s*[-–]\s*", parts[0])[0].replace(",", ".")))  # "8-10" -> the low end
    return (low,) * n


def _hold_seconds(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Seconds of the cells written as a time (``45s``, ``1:00``, ``2 min``), NaN elsewhere."""
    secs = parse_duration(raw).value.astype(float)
    looks_time = text.str.contains(r"(?:[0-9]\s*(?:s|sec|secs|seconds|min|mins)$)|:", regex=True).fillna(False)
    return secs.where(secs.notna() & looks_time)


_SIDE_VALUES = {
    "l": "left", "left": "left", "lt": "left", "left leg": "left", "left side": "left", "links": "left",
    "r": "right", "right": "right", "rt": "right", "right leg": "right", "right side": "right", "rechts": "right",
    "b": "both", "both": "both", "bilateral": "both", "l+r": "both", "l/r": "both", "each": "both",
    "both legs": "both", "both sides": "both",
}


@on_unique_cells
def parse_side(raw: pd.Series) -> Parsed:
    """Parse side cells to ``left``/``right``/``both`` (NA when blank)."""
    text = as_text(raw).str.lower().str.replace(r"\s+", " ", regex=True)
    value = text.map(_SIDE_VALUES, na_action="ignore").astype("string")
    blank = is_blank(raw)
    bad = value.isna() & ~blank
    reason = _empty_reason(raw.index)
    reason[bad] = "not a side (expected L, R, left, right, both or B)"
    return Parsed(value, bad, pd.Series(False, index=raw.index), reason)


_LEFT_NOTE = r"\bleft\b|\bl\s+(?:leg|side)\b|^l\s*[-:,.]|\b(?:gauche|esquerda|izquierda|sinistra|links)\b"
_RIGHT_NOTE = r"\bright\b|\br\s+(?:leg|side)\b|^r\s*[-:,.]|\b(?:droite|direita|derecha|destra|rechts)\b"


@on_unique_cells
def side_from_notes(notes: pd.Series) -> pd.Series:
    """``left``/``right`` when a note names one side only (``L``, ``Left leg``, ``left side``).

    A note naming both sides, or neither, gives NA. Single letters count only when the note
    is that letter alone or the letter followed by ``leg``/``side``. The words for a left or
    right leg in French, Portuguese, Spanish, Italian and German count too (``jambe gauche``,
    ``perna direita``, ``links``): apps keep notes in the athlete's language.

    Examples
    --------
    >>> side_from_notes(pd.Series(["Left leg", "R", "left side, felt good", "L and R", "", None, "Rest"])).tolist()
    ['left', 'right', 'left', <NA>, <NA>, <NA>, <NA>]
    >>> side_from_notes(pd.Series(["jambe gauche", "perna direita"])).tolist()
    ['left', 'right']
    """
    text = notes.astype("string").str.strip().str.lower()
    bare = text.map({"l": "left", "r": "right", "lt": "left", "rt": "right"}, na_action="ignore")
    has_left = text.str.contains(_LEFT_NOTE, regex=True).fillna(False)
    has_right = text.str.contains(_RIGHT_NOTE, regex=True).fillna(False)
    words = pd.Series(pd.NA, index=notes.index, dtype="string")
    words[has_left & ~has_right] = "left"
    words[has_right & ~has_left] = "right"
    return bare.astype("string").where(bare.notna(), words)


def wall_times(text: pd.Series, **kwargs: Any) -> pd.Series:
    """``pd.to_datetime`` of text cells as naive ``datetime64[us]`` (NaT where unreadable).

    A UTC offset written in a cell (``2026-09-02T06:05:14Z``, ``+02:00``) is dropped: the
    time is read as written, like every other time in a log. Cells with different offsets
    are read one at a time (pandas refuses to mix them in one column).
    """
    try:
        out = pd.to_datetime(text, errors="coerce", **kwargs)
    except ValueError:  # "Mixed timezones detected"
        out = pd.Series([_wall_time(pd.to_datetime(v, errors="coerce", **kwargs)) for v in text],
                        index=text.index, dtype="datetime64[us]")
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_localize(None)
    return out.astype("datetime64[us]")


def _wall_time(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_localize(None) if not pd.isna(stamp) and stamp.tzinfo is not None else stamp


@on_unique_cells
def parse_dates(raw: pd.Series, *, dayfirst: bool | None = None) -> tuple[Parsed, str | None]:
    """Parse date cells, deciding day-first or month-first once for the whole column.

    Real dates (xlsx date cells, datetimes) are taken as they are. Text dates may be ISO
    (``2026-09-03``), ``dd/mm/yyyy`` or ``mm/dd/yyyy`` (also with ``.`` or ``-``), or
    ``3 Sep 2026`` / ``Sep 3, 2026``. For slashed dates the order is decided from the column's
    values: a first part above 12 means day-first, a second part above 12 means month-first.
    When no value decides it, ``dayfirst`` (default day-first) is used and a note is returned.

    Returns the parsed dates (datetime64[us], time of day kept) and a note (or None).

    Examples
    --------
    >>> p, note = parse_dates(pd.Series(["2026-09-03", "25/09/2026", "03/09/2026"]))
    >>> p.value.dt.strftime("%Y-%m-%d").tolist(), note
    (['2026-09-03', '2026-09-25', '2026-09-03'], None)
    >>> parse_dates(pd.Series(["2025-13-01"]))[0].bad.tolist()  # not 13 January
    [True]
    """
    idx = raw.index
    blank = is_blank(raw)
    value = pd.Series(pd.NaT, index=idx, dtype="datetime64[us]")
    if raw.dtype.kind == "M":
        value = raw.astype("datetime64[us]")
        text = pd.Series(pd.NA, index=idx, dtype="string")
    else:
        typed_mask = raw.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))) if raw.dtype == object else pd.Series(False, index=idx)
        if typed_mask.any():
            value[typed_mask] = pd.to_datetime(raw[typed_mask].map(lambda v: pd.Timestamp(v)), errors="coerce").astype("datetime64[us]")
        text = as_text(raw.where(~typed_mask)).str.strip()
    note = None
    first_ambiguous = None
    fixed = pd.Series(False, index=idx)
    text_reason = _empty_reason(idx)
    todo = text.notna() & value.isna()
    if todo.any():
        t = text[todo]
        iso = wall_times(t, format="ISO8601")
        value[todo] = iso
        t = t[iso.isna()]
        # year first but not a real date (2025-13-01): never re-read day-first as 13 January
        no_such = t.str.match(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[ T].*)?$").fillna(False).astype(bool)
        text_reason[no_such[no_such].index] = "no such date (month or day out of range; the dates read year-month-day)"
        t = t[~no_such]
        slashed = t.str.extract(r"^(?P<a>[0-9]{1,2})[/.\-](?P<b>[0-9]{1,2})[/.\-](?P<y>[0-9]{2,4})(?P<rest>[ T].*)?$")
        okm = slashed["a"].notna()
        if okm.any():
            a = pd.to_numeric(slashed.loc[okm, "a"])
            b = pd.to_numeric(slashed.loc[okm, "b"])
            day_first_evidence = bool((a > 12).any())
            month_first_evidence = bool((b > 12).any())
            if day_first_evidence and not month_first_evidence:
                use_dayfirst = True
            elif month_first_evidence and not day_first_evidence:
                use_dayfirst = False
            else:
                use_dayfirst = True if dayfirst is None else dayfirst
                if dayfirst is None and not day_first_evidence:
                    note = "text dates in this column could be day-first or month-first; read as day-first (dd/mm/yyyy); pass dayfirst=False (--no-dayfirst) if they are month-first"
                    first_ambiguous = a.index[0]
                elif day_first_evidence and month_first_evidence:
                    note = "dates mix day-first and month-first; read as day-first, impossible ones dropped"
            y = pd.to_numeric(slashed.loc[okm, "y"])
            y = y.where(y >= 100, y + 2000)
            d, m = (a, b) if use_dayfirst else (b, a)
            parts = pd.DataFrame({"year": y, "month": m, "day": d})
            made = pd.to_datetime(parts, errors="coerce")
            rest = slashed.loc[okm, "rest"].str.strip()
            has_time = rest.notna() & (rest != "")
            if has_time.any():
                tod = pd.to_timedelta(rest[has_time].where(rest[has_time].str.count(":") == 2, rest[has_time] + ":00"), errors="coerce")
                made[has_time] = made[has_time] + tod
            value[made.index] = made.astype("datetime64[us]")
            fixed[made.index[made.notna()]] = True
            order = "day-first (dd/mm/yyyy)" if use_dayfirst else "month-first (mm/dd/yyyy)"
            text_reason[made.index[made.notna()]] = f"date typed as text; read {order}"
        remaining = t[~okm]
        if len(remaining):
            words = wall_times(remaining, format="mixed", dayfirst=True)
            value[words.index] = words
            fixed[words.index[words.notna()]] = True
            text_reason[words.index[words.notna()]] = "date typed as text; read as written"
    bad = value.isna() & ~blank
    reason = text_reason.copy()
    reason[bad & reason.isna()] = "not a date (expected e.g. 2026-09-03, 03/09/2026 or an Excel date)"
    return Parsed(value, bad, fixed & ~bad, reason, first_ambiguous=first_ambiguous), note

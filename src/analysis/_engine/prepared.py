"""One encoding of a ``sets`` table, shared by every analysis that reads it.

:class:`Prepared` wraps a canonical ``sets`` frame and computes, each once and on first use,
integer codes per athlete, exercise and side, day numbers, float arrays and the working-set
log (:class:`WorkingLog`: the working sets and the catalog metric per exercise). Every
public analysis asks :func:`prepare` for the object of the frame it is given; inside
:func:`sharing` (the reassessment opens one) the same frame gets the same object, so codes,
e1RMs, session bests and left/right pairs are computed once for all the analyses.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.catalog import attach_info
from analysis.columns import (
    ATHLETE,
    BODYWEIGHT_KG,
    DATE,
    DISTANCE_M,
    DURATION_S,
    E1RM_KG,
    EXERCISE,
    LOAD_KG,
    METRIC,
    REPS,
    RPE,
    SIDE,
    WARMUP,
    float_values,
    require_columns,
)
from analysis.periods import day_numbers

#: Progression metric per catalog load type.
METRIC_OF = {
    "external": E1RM_KG,
    "bodyweight": REPS,
    "band": REPS,
    "time": DURATION_S,
    "distance": DISTANCE_M,
}

@dataclass
class WorkingLog:
    """Working sets encoded once: sorted integer codes and float arrays (one entry per row)."""

    a: np.ndarray
    e: np.ndarray
    s: np.ndarray
    uniques: tuple[pd.Index, pd.Index, pd.Index]
    day: np.ndarray
    load: np.ndarray
    reps: np.ndarray
    rpe: np.ndarray | None
    extra: dict[str, np.ndarray]  # duration_s, distance_m (NaN when the column is absent)
    keep: np.ndarray  # working set with athlete, exercise, side and date
    info: pd.DataFrame  # per exercise code: metric, unilateral, bodyweight_fraction
    cache: dict = field(default_factory=dict)  # e1RM arrays and session bests (see _sessions)
    shared: dict = field(default_factory=dict)  # kept by every variant (rpe or not): row orders


def arrow_codes(values: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Sorted int64 codes (-1 for NA) and uniques (object) of an Arrow-backed string column.

    Arrow's own dictionary encoding (C++, no Python objects per row) then a sort of the few
    distinct values: 5-7x faster than ``pd.factorize`` on 1M Arrow strings, which converts
    every row to a Python ``str`` first. None when ``values`` is not Arrow-backed text.
    """
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "storage", None) != "pyarrow" and not isinstance(dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa  # only here: a column held by Arrow means pyarrow is installed

    if isinstance(dtype, pd.ArrowDtype) and not (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    ):
        return None
    source = values.array if isinstance(values, pd.Series | pd.Index) else values
    held = source.__arrow_array__() if hasattr(source, "__arrow_array__") else None
    hit = _ENCODED.get(id(held)) if held is not None else None
    if hit is not None and hit[0] is held:  # the same immutable Arrow data: the same codes
        _ENCODED.move_to_end(id(held))
        return hit[1], hit[2]
    arr = pa.array(source)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    encoded = arr.dictionary_encode()
    uniques = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(uniques) + 1, dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    rank[-1] = -1  # NA: index -1 picks this
    idx = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    codes, uniques = rank[idx], uniques[order]
    codes.setflags(write=False)  # shared by every analysis of the same column: read only
    uniques.setflags(write=False)
    if held is not None:
        _ENCODED[id(held)] = (held, codes, uniques)  # the entry holds the array: its id stays its own
        while len(_ENCODED) > _ENCODED_MAX:
            _ENCODED.popitem(last=False)
    return codes, uniques


#: Encodings of the last Arrow-backed text columns, by the identity of their (immutable) Arrow
#: data: a column read by several analyses in a row (a notebook, the reassessment, the benchmark)
#: is encoded once. Pandas hands out the same Arrow object for a column and its copy-on-write
#: views; any change to the column makes new Arrow data, hence a new entry.
_ENCODED: OrderedDict[int, tuple[Any, np.ndarray, np.ndarray]] = OrderedDict()
_ENCODED_MAX = 8


def sorted_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sorted integer codes (−1 for NA) and the unique values as an object array."""
    fast = arrow_codes(series)
    if fast is not None:
        return fast
    values: Any = series
    if getattr(series.dtype, "storage", None) == "python":  # plain objects hash faster
        values = np.asarray(series.array, dtype=object)
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


def factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted codes (-1 for NA) and uniques; object arrays hash about 2x faster than str.

    Arrow-backed text is encoded by Arrow (:func:`arrow_codes`). Otherwise: logs list an
    athlete's (and an exercise's) rows together, so runs of equal values are
    long: when they are, only the first value of each run is hashed (2-4x faster on 1M rows).
    Comparing with ``pd.NA`` raises, so a column holding NA takes the plain path.
    """
    fast = arrow_codes(column)
    if fast is not None:
        return fast[0], pd.Index(fast[1], dtype=object)
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = pd.factorize(column, sort=True)
        return codes, pd.Index(uniques, dtype=object)
    values = column.to_numpy(object)
    try:
        short = len(values) < 4096 or bool(np.mean(values[1:4096] != values[:4095]) > 0.5)
        change = None if short else np.flatnonzero(values[1:] != values[:-1]) + 1
    except (TypeError, ValueError):  # pd.NA (or an exotic value) cannot be compared
        change = None
    if change is None or len(change) > len(values) // 2:
        codes, uniques = pd.factorize(values, sort=True)
    else:
        heads = np.r_[0, change]
        head_codes, uniques = pd.factorize(values[heads], sort=True)
        codes = np.repeat(head_codes, np.diff(np.r_[heads, len(values)]))
    return codes, pd.Index(uniques, dtype=object)


class Prepared:
    """One ``sets`` frame and the intermediates computed from it, each once (module docstring).

    Every accessor computes on first use and keeps the result, so the order of calls does not
    matter and an error (missing column, dates that are not datetime64) is raised by the first
    analysis that needs the value, with that analysis' name. The arrays handed out are shared
    between analyses: read them, never write into them. ``sets`` is not copied; it must not
    change while the object is in use (the object lives for one public call).
    """

    def __init__(self, sets: pd.DataFrame) -> None:
        self.sets = sets
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value stored under ``key``, made by ``make()`` the first time."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """Sorted integer codes of ``column`` (-1 for NA) and its unique values (object)."""
        return self.memo(("codes", column), lambda: factorize(self.sets[column]))

    def days(self, func: str) -> tuple[np.ndarray, np.ndarray]:
        """Day numbers of ``date`` and the mask of dated rows (:func:`periods.day_numbers`)."""
        return self.memo("days", lambda: day_numbers(self.sets[DATE], func=func))

    def floats(self, column: str) -> np.ndarray:
        """``column`` as float64 with NaN for NA."""
        return self.memo(("floats", column), lambda: float_values(self.sets[column]))

    def warmup(self) -> np.ndarray:
        """True for warm-up sets (NA is a working set)."""
        return self.memo("warmup", lambda: self.sets[WARMUP].fillna(False).to_numpy(dtype=bool))

    def log(self, *, use_rpe: bool, func: str) -> WorkingLog:
        """The working-set log, with the ``rpe`` column or without it (then ``rpe`` is None)."""
        base = self.memo("log", lambda: encode(self, func=func))
        rpe = self.floats(RPE) if use_rpe else None
        return self.memo(("log", use_rpe), lambda: replace(base, rpe=rpe, cache={}))


def encode(prep: Prepared, *, func: str) -> WorkingLog:
    sets = prep.sets
    (a, a_uni), (e, e_uni), (s, s_uni) = (prep.codes(c) for c in (ATHLETE, EXERCISE, SIDE))
    day, dated = prep.days(func)
    keep = ~prep.warmup() & dated
    keep &= (a >= 0) & (e >= 0) & (s >= 0)
    extra = {
        c: prep.floats(c) if c in sets else np.full(len(sets), np.nan)
        for c in (DURATION_S, DISTANCE_M)
    }
    load = prep.floats(LOAD_KG)
    # catalog info per exercise; unknown exercises summarised as attach_info expects
    n = len(e_uni)
    sided = np.isin(s_uni.to_numpy(dtype=object), ["left", "right"])[np.maximum(s, 0)]
    summary = pd.DataFrame(
        {
            EXERCISE: e_uni.astype(str),
            SIDE: np.where(np.bincount(e[keep & sided], minlength=n) > 0, "left", "both"),
            LOAD_KG: np.where(np.bincount(e[keep & (load > 0)], minlength=n) > 0, 1.0, np.nan),
            DURATION_S: np.where(
                np.bincount(e[keep & ~np.isnan(extra[DURATION_S])], minlength=n) > 0, 1.0, np.nan
            ),
        }
    )
    info = attach_info(summary)
    info = pd.DataFrame(
        {
            METRIC: info["load_type"].map(METRIC_OF).fillna(E1RM_KG).to_numpy(dtype=object),
            "unilateral": info["unilateral"].to_numpy(dtype=bool),
            "bodyweight_fraction": float_values(info["bodyweight_fraction"]),
        }
    )
    reps = prep.floats(REPS)
    return WorkingLog(a, e, s, (a_uni, e_uni, s_uni), day, load, reps, None, extra, keep, info)


_SHARED: ContextVar[Prepared | None] = ContextVar("liftpace_shared_sets", default=None)


def prepare(sets: pd.DataFrame) -> Prepared:
    """The :class:`Prepared` of ``sets``: the shared one inside :func:`sharing`, else new."""
    shared = _SHARED.get()
    if shared is not None and shared.sets is sets:
        return shared
    return Prepared(sets)


@contextmanager
def sharing(sets: pd.DataFrame) -> Iterator[Prepared]:
    """Within the block, every analysis given this very frame shares one :class:`Prepared`.

    The frame must not change inside the block (the encoding is computed once).
    """
    token = _SHARED.set(Prepared(sets))
    try:
        yield _SHARED.get()  # type: ignore[misc]
    finally:
        _SHARED.reset(token)


BODYWEIGHT_HINT = "Pass a bodyweight frame such as log.bodyweight (athlete, date, bodyweight_kg)."


def bodyweight_at(
    bodyweight: pd.DataFrame, athletes: np.ndarray, a: np.ndarray, day: np.ndarray, func: str
) -> np.ndarray:
    """Latest bodyweight on or before each (athlete code, day); NaN when none is known."""
    require_columns(bodyweight, [ATHLETE, DATE, BODYWEIGHT_KG], func=func, hint=BODYWEIGHT_HINT)
    bw_days, bw_valid = day_numbers(bodyweight[DATE], func=func)
    bw_a = pd.Index(athletes).get_indexer(bodyweight[ATHLETE].astype(object))
    kg = float_values(bodyweight[BODYWEIGHT_KG])
    keep = bw_valid & (bw_a >= 0) & (kg > 0)
    right = pd.DataFrame({"a": bw_a[keep], "day": bw_days[keep], "bw": kg[keep]})
    left = pd.DataFrame({"a": a, "day": day, "pos": np.arange(a.size)})
    merged = pd.merge_asof(
        left.sort_values("day", kind="stable"),
        right.sort_values("day", kind="stable"),
        on="day",
        by="a",
        direction="backward",
    )
    out = np.full(a.size, np.nan)
    out[merged["pos"].to_numpy()] = merged["bw"].to_numpy(dtype="float64", na_value=np.nan)
    return out

"""pandas idioms with less fixed cost on the small frames of one athlete.

A one-athlete reassessment runs some thirty analyses on frames of tens to hundreds of rows,
where pandas' fixed cost per call, not the rows, is the time. The helpers here give the same
frames as the idiom they replace, through the same kernels (so the same floating-point sums).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.typing import DataFrameGroupBy


def named_agg(grouped: DataFrameGroupBy, **spec: tuple[str, str]) -> pd.DataFrame:
    """``grouped.agg(**spec)``: named aggregation, e.g. ``n=("pace", "size")``.

    The same frame (index, column order, dtypes and values), one kernel call per function
    over all its columns: pandas' named aggregation spends about 6 ms of Python per call
    re-parsing the spec and aligning one column at a time, most of a small frame's time. The
    functions are the groupby methods (``size``, ``sum``, ``mean``, ``var``, ``max``...), each
    with its defaults, so the numbers come from the same cython kernels.
    """
    by_func: dict[str, list[str]] = {}
    for column, func in spec.values():
        cols = by_func.setdefault(func, [])
        if column not in cols:
            cols.append(column)
    results: dict[str, Any] = {}
    index = None
    for func, cols in by_func.items():
        res = grouped.size() if func == "size" else getattr(grouped[cols], func)()
        results[func] = res
        index = res.index if index is None else index
    assert index is not None, "named_agg() expected at least one aggregation"
    out = {
        name: (results[func] if func == "size" else results[func][column]).array
        for name, (column, func) in spec.items()
    }
    return pd.DataFrame(out, index=index)


def group_agg(frame: pd.DataFrame, keys: list[str], *, sort: bool = True, **spec: tuple[str, str]) -> pd.DataFrame:
    """``frame.groupby(keys, sort=sort).agg(**spec).reset_index()``, grouped by one int64 code.

    The same frame (key columns first, RangeIndex). pandas groups by several key columns
    through a MultiIndex, about 1.5 ms on any size of frame; here each key is factorized
    (sorted, as groupby does), the codes are combined into one int64 key in the same order, and
    the key columns are read back from the codes. Rows with a missing key are left out (as
    ``dropna=True``). Categorical keys, and keys too many for one int64, go the ordinary way.
    """
    codes, uniques = zip(*(_sorted_codes(frame[k]) for k in keys), strict=True)
    categorical = any(isinstance(frame[k].dtype, pd.CategoricalDtype) for k in keys)
    if categorical or np.prod([max(len(u), 1) for u in uniques], dtype=float) >= 2.0**62:
        return named_agg(frame.groupby(keys, sort=sort, observed=True), **spec).reset_index()
    combined = np.zeros(len(frame), dtype=np.int64)
    missing = np.zeros(len(frame), dtype=bool)
    for code, unique in zip(codes, uniques, strict=True):
        combined = combined * max(len(unique), 1) + code
        missing |= code < 0
    keep = ~missing
    # one grouped Series per column (selecting columns of a DataFrameGroupBy costs more than
    # the aggregation on a small frame)
    grouped = {column: pd.Series(frame[column].array[keep]).groupby(combined[keep], sort=sort)
               for column in dict.fromkeys(column for column, _ in spec.values())}  # fmt: skip
    results = {name: getattr(grouped[column], func)() for name, (column, func) in spec.items()}
    key = next(iter(results.values())).index.to_numpy(dtype=np.int64)
    columns: dict[str, Any] = {}
    for k, unique in reversed(list(zip(keys, uniques, strict=True))):
        width = max(len(unique), 1)
        columns[k] = unique.take(key % width)
        key = key // width
    return pd.DataFrame({**{k: columns[k] for k in keys}, **{name: res.array for name, res in results.items()}})


def _sorted_codes(column: pd.Series) -> tuple[np.ndarray, Any]:
    """``pd.factorize(column, sort=True)``; text columns by their Python strings (factorizing
    Arrow strings costs ~0.1 ms more per column), the uniques back in the column's dtype."""
    if isinstance(column.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(column.to_numpy(dtype=object), sort=True)
        return codes, pd.array(uniques, dtype=column.dtype)
    return pd.factorize(column, sort=True)

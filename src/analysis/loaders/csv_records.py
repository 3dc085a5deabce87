"""Reading a CSV's records with pandas' C parser, and each record's field count from the bytes.

The row accounting of the app readers needs each record's number of fields as written (a row with
a field too many or too few is reported, not read), which pandas' parser does not give: it pads
short rows. :func:`records` counts the separators outside quotes of every record on the bytes
(numpy, no loop per row) and lets the C parser read the cells, for files whose quoting is regular
(every quote opens or closes a field, or is doubled inside one); anything else (a stray quote,
a quote never closed, a lone carriage return, NUL characters) returns None, and the caller reads
the file record by record with :mod:`csv` as before.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

__all__ = ["records"]

_QUOTE, _LF, _CR = 34, 10, 13


def field_counts(raw: bytes, delim: str) -> np.ndarray | None:
    """Fields per record (0 for an empty line), as :func:`csv.reader` would split ``raw``; None when
    the quoting is not regular enough to count without reading (see the module docstring)."""
    b = np.frombuffer(raw, dtype=np.uint8)
    d = ord(delim)
    q = np.flatnonzero(b == _QUOTE)
    if len(q) % 2:
        return None  # a quote never closed
    cr = np.flatnonzero(b == _CR)
    if len(cr) and ((cr + 1 >= len(b)).any() or (b[np.minimum(cr + 1, len(b) - 1)] != _LF).any()):
        return None  # a carriage return alone ends a record for csv, not for this count
    if len(q):
        k = np.arange(len(q))
        prev = b[np.maximum(q - 1, 0)]
        nxt = b[np.minimum(q + 1, len(b) - 1)]
        opening = k % 2 == 0
        pair_before = np.zeros(len(q), dtype=bool)
        pair_before[1:] = q[1:] == q[:-1] + 1
        pair_after = np.zeros(len(q), dtype=bool)
        pair_after[:-1] = q[:-1] + 1 == q[1:]
        ok_open = (q == 0) | (prev == d) | (prev == _LF) | pair_before
        ok_close = (q == len(b) - 1) | (nxt == d) | (nxt == _LF) | (nxt == _CR) | pair_after
        if not np.where(opening, ok_open, ok_close).all():
            return None  # a quote inside a field: csv keeps it as text; read record by record
    delims = np.flatnonzero(b == d)
    ends = np.flatnonzero(b == _LF)
    if len(q):  # line ends inside quotes are text
        ends = ends[np.searchsorted(q, ends) % 2 == 0]
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(b)]])
    if stops[-1] == starts[-1]:  # the text ends with a line end: no record after it
        starts, stops = starts[:-1], stops[:-1]
    n_delims = np.searchsorted(delims, stops) - np.searchsorted(delims, starts)
    if len(q):  # separators inside quotes are text: counted per quoted span, taken off its record
        # (a quarter of the searches of looking every separator up among the quotes: an export
        # quoting every field has 15M separators and 4M quotes per 100 MB)
        opens, closes = q[0::2], q[1::2]
        inside = np.searchsorted(delims, closes) - np.searchsorted(delims, opens)
        record = np.searchsorted(starts, opens, side="right") - 1
        n_delims = n_delims - np.bincount(record, weights=inside, minlength=len(starts)).astype(np.int64)
    length = stops - starts - (b[np.maximum(stops - 1, 0)] == _CR) * (stops > starts)
    return np.where(length == 0, 0, n_delims + 1).astype(np.int64)


def records(text: str, delim: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Every record of ``text`` as a grid of text cells (short rows padded with ``""``) and each
    record's field count; None when the file must be read record by record.

    Each column is coded (a categorical of ``str`` cells, object categories in no particular
    order): the parser hashes the cells itself, so a million rows never become ten million Python
    strings, and every per-value step after it (:func:`~analysis.loaders.base.map_distinct`) runs
    on the distinct cells. Object categories keep Python's string methods (``str.strip``) where a
    column's cells are compared as they were.
    """
    if len(delim) != 1 or delim in '"\r\n' or "\x00" in text or not text:
        return None
    raw = text.encode("utf-8", "surrogatepass")
    counts = field_counts(raw, delim)
    if counts is None or not len(counts):
        return None
    width = int(counts.max())
    if width < 1:
        return None
    args = {"sep": delim, "header": None, "names": range(width), "na_filter": False, "skip_blank_lines": False,
            "engine": "c", "quotechar": '"', "doublequote": True, "index_col": False, "encoding": "utf-8",
            "encoding_errors": "surrogatepass"}
    try:
        grid = pd.read_csv(io.BytesIO(raw), dtype="category", **args)
        if not all(_text_categories(col) for _, col in grid.items()):
            # the parser turned a column's categories into numbers ("1.0" -> 1.0): the text is lost,
            # so this file is read as text cells (a column of numbers without a header cell)
            grid = pd.read_csv(io.BytesIO(raw), dtype=object, **args)
            if len(grid) == len(counts) and (counts < width).any():  # short rows: empty cells, as csv pads them
                grid = grid.fillna("")
        else:
            grid = pd.DataFrame({c: _object_coded(col) for c, col in grid.items()}, index=grid.index)
    except (ValueError, pd.errors.ParserError, UnicodeError):
        return None
    if len(grid) != len(counts):
        return None
    return grid, counts


def _text_categories(col: pd.Series) -> bool:
    """Whether a column the parser coded kept its cells' text as categories."""
    cats = col.cat.categories
    return pd.api.types.is_string_dtype(cats.dtype) and all(isinstance(c, str) for c in cats[:1])


def _object_coded(col: pd.Series) -> pd.Series:
    """A coded column of the parser as codes into object (Python ``str``) categories; a field
    missing from a short row is an empty cell, as :mod:`csv` pads it."""
    cats = col.cat.categories.to_numpy(dtype=object)
    codes = col.cat.codes.to_numpy()
    if (codes < 0).any():
        blank = np.flatnonzero(cats == "")
        if not len(blank):
            cats = np.append(cats, "")
            blank = np.array([len(cats) - 1])
        codes = np.where(codes < 0, blank[0], codes)
    dtype = pd.CategoricalDtype(pd.Index(cats, dtype=object))
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=col.index, name=col.name)

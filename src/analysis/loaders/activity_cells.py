"""The cells of an activities export (Garmin, Strava): read once by pandas' C parser, which types
the number columns itself; a column's text is read only where it is shown.

Why: reading every cell as text (``dtype=str``) made 2.6 million Python strings and then Arrow
strings for a 100,000-run Garmin export, ten times a plain ``read_csv``, only for most of them to be
parsed back into numbers. Most columns of these exports are numbers, so the C parser reads the
file as it would by default (``na_filter=False``: no cell becomes NaN, an empty cell keeps its
column text) and:

* a column it types ``int64`` or ``float64`` holds exactly the numbers ``pd.to_numeric`` gives
  its cells' text: both parse with pandas' own ``precise_xstrtod`` (and its integer parser, whose
  values are exact as floats), both skip spaces around the digits and read ``inf``; a cell they
  cannot read (``"1,150"``, ``'-16``, ``--``, an empty cell) leaves the whole column text. Such a
  column has no blank cell.
* any other column (text, ``bool``, ``uint64``) is read as the text cells it was before.
* the text of a typed column (a problem row shows the cell as written, ``0.00``; a title that
  is all numbers) is read when asked for, that column alone, in a second pass of the parser.

Numbers and blank checks on text columns run on the distinct cells (:func:`per_distinct`):
exports repeat the same distances, heart rates and durations.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["ActivityCells", "per_distinct"]

_TYPED = (np.dtype(np.int64), np.dtype(np.float64))
#: How both passes read the file: no cell becomes NaN, blank lines stay rows (they are counted),
#: one pass over the whole file (a column typed in one chunk and text in the next would mix).
_ARGS = {"na_filter": False, "skip_blank_lines": False, "low_memory": False, "encoding": "utf-8",
         "encoding_errors": "surrogatepass"}


def per_distinct(text: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``func(text)`` (a Series -> Series of the same length, cell by cell) run on the distinct cells
    of ``text`` only and broadcast back by code; the same values and dtype as ``func(text)``."""
    codes, uniq = pd.factorize(text, use_na_sentinel=False)
    if len(uniq) > 0.5 * len(text):
        return func(text)
    out = func(pd.Series(uniq, dtype=text.dtype))
    return pd.Series(out.array.take(codes), index=text.index, name=text.name)


class ActivityCells:
    """An export's cells by column name: numbers where the parser typed them, text on demand.

    ``text`` is the decoded file and ``read_args`` the ``read_csv`` arguments that read it
    (header, names); :meth:`read` returns None when the parser refuses the file (the caller reads
    it record by record) and raises nothing else.
    """

    def __init__(self, frame: pd.DataFrame, source: bytes | None, read_args: dict) -> None:
        self.frame, self._source, self._args = frame, source, read_args
        self.columns = list(frame.columns)
        self.index = frame.index
        self._text: dict[str, pd.Series] = {}

    @classmethod
    def read(cls, text: str, **read_args) -> ActivityCells:
        # the parser reads UTF-8 bytes; a StringIO of the text costs a copy and an encode per chunk
        raw = text.encode("utf-8", "surrogatepass")
        frame = pd.read_csv(io.BytesIO(raw), **_ARGS, **read_args)
        if not isinstance(frame.index, pd.RangeIndex):
            # rows with more fields than the header: pandas silently makes their first cells an
            # index and shifts every column; the caller reads such a file record by record and
            # reports those rows
            raise ValueError("rows with more fields than the header")
        return cls(frame, raw, read_args)

    @classmethod
    def of_text(cls, frame: pd.DataFrame) -> ActivityCells:
        """Cells already read as text (the record-by-record path)."""
        return cls(frame.astype("str"), None, {})

    def __len__(self) -> int:
        return len(self.frame)

    def __contains__(self, column: str) -> bool:
        return column in self.frame.columns

    def rename(self, names: list[str]) -> None:
        self.frame.columns = names
        self.columns = names
        self._text.clear()

    def is_typed(self, column: str) -> bool:
        return self.frame[column].dtype in _TYPED

    def number(self, column: str) -> pd.Series | None:
        """The column's numbers when the parser typed it, else None (read its text)."""
        col = self.frame[column]
        return col if col.dtype in _TYPED else None

    def text(self, column: str) -> pd.Series:
        """The column's cells as written (``str``), as ``read_csv(dtype=str, na_filter=False)`` gives them."""
        col = self.frame[column]
        if col.dtype == "str":
            return col
        if column not in self._text:
            if self._source is None:
                self._text[column] = col.astype("str")
            else:  # a typed column: read again as text
                cells = self._column_text(self._source, self.columns.index(column))
                self._text[column] = pd.Series(cells.to_numpy(), index=self.index, name=column, dtype="str")
        return self._text[column]

    def _column_text(self, source: bytes, pos: int) -> pd.Series:
        """Column ``pos`` read again as text: that column alone, or the whole file should pandas'
        ``usecols`` refuse what the whole read took (it refused a fuzzed Garmin export)."""
        try:
            again = pd.read_csv(io.BytesIO(source), **_ARGS, dtype=str, usecols=[pos], **self._args)
        except (ValueError, pd.errors.ParserError):
            again = None
        if again is not None and again.shape == (len(self.index), 1):
            return again.iloc[:, 0]
        whole = pd.read_csv(io.BytesIO(source), **_ARGS, dtype=str, **self._args)
        return whole.iloc[:, pos]

    def get(self, column: str) -> pd.Series | None:
        return self.text(column) if column in self else None

    def blank_rows(self) -> pd.Series:
        """True for rows whose every cell is empty or spaces (a typed column has no such cell)."""
        if any(dtype in _TYPED for dtype in self.frame.dtypes):
            return pd.Series(False, index=self.index)
        blank = np.ones(len(self.frame), dtype=bool)
        for name in self.columns:
            col = self.frame[name]
            if col.dtype != "str":
                col = self.text(name)
            blank &= per_distinct(col, lambda s: s.str.strip() == "").to_numpy(dtype=bool)
        return pd.Series(blank, index=self.index)

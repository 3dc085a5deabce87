"""ISO weeks and the 4–6-week reassessment blocks.

Definitions
-----------
Week
    The ISO week, Monday to Sunday. ``week_start`` is the Monday of the week at 00:00, a
    ``datetime64`` value. Dates are taken as local calendar days: a time of day is ignored and a
    time-zone-aware date uses its local wall-clock day.
Block
    The reassessment window. Given ``weeks`` (4, 5 or 6; default 4) and an ``end`` date (default:
    the last logged date), the *current* block (``block_index`` 0) is made of the ``weeks`` ISO
    weeks that end with the ISO week containing ``end``. It starts on the Monday ``weeks - 1``
    weeks before the Monday of ``end``'s week, and it ends on ``end`` itself: rows dated after
    ``end`` are in no block (``block_index`` NA), even when they fall in the same ISO week.
    Older blocks tile backwards, week-aligned and without gaps: block −1 (*previous*) is the
    ``weeks`` full ISO weeks (Monday to Sunday) just before the current block, block −2 the ones
    before that, and so on. Labels are ``"current"``, ``"previous"``, then ``"block_-2"``,
    ``"block_-3"``...

    Example: ``weeks=4`` and ``end`` = Wednesday 2024-03-27 (ISO week 13). The current block is
    Monday 2024-03-04 to Wednesday 2024-03-27 (weeks 10–13); the previous block is Monday
    2024-02-05 to Sunday 2024-03-03 (weeks 6–9).

Sources: ISO 8601 week numbering; the 4–6-week reassessment cadence is a team convention
(``reference/domain.md`` §8), so any length from 1 to 52 weeks is accepted with
``any_length=True``.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypeVar

import numpy as np
import pandas as pd

from analysis.columns import (
    BLOCK,
    BLOCK_END,
    BLOCK_INDEX,
    BLOCK_START,
    CURRENT,
    DATE,
    N_ROWS,
    PREVIOUS,
    WEEK_START,
    WEEKS,
    require_columns,
)

#: Labels of the two blocks a reassessment compares.

_US = "datetime64[us]"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T].*)?$")
_Days = TypeVar("_Days", np.ndarray, np.int64)


def parse_day(value: Any, name: str, *, func: str | None = None) -> pd.Timestamp:
    """A date option as a day: midnight, no time zone (its local wall-clock day).

    The one parser of date options (``end``, ``start``...), with one message format. Text
    must be ISO (``2026-11-22``, a time may follow): ``03/05/2026`` is refused, not guessed.

    Raises
    ------
    ValueError
        ``value`` is not a date; the message names the option and the function.

    Examples
    --------
    >>> parse_day("2026-11-22 18:30", "end")
    Timestamp('2026-11-22 00:00:00')
    >>> parse_day("03/05/2026", "end", func="reassess")
    Traceback (most recent call last):
    ...
    ValueError: reassess() expected end to be a date such as '2026-11-22', got '03/05/2026' instead.
    """
    stamp: Any = pd.NaT
    if not isinstance(value, str) or _ISO_DAY.match(value.strip()):
        try:
            stamp = pd.Timestamp(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            stamp = pd.NaT
    if pd.isna(stamp):
        where = f"{func}() expected" if func else "expected"
        raise ValueError(
            f"{where} {name} to be a date such as '2026-11-22', got {value!r} instead."
        )
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def day_number(day: pd.Timestamp) -> int:
    """Days since 1970-01-01 of a day (as :func:`parse_day` returns it)."""
    return int(np.datetime64(day.date(), "D").astype(np.int64))


def day_numbers(dates: pd.Series, *, func: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (days since 1970-01-01 as int64, mask of non-missing dates) for a date Series.

    Shared by the analysis modules so that every one of them counts days and weeks the same way.
    """
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise TypeError(
            f"{func}() expected a datetime64 column {dates.name!r}, got dtype {dates.dtype} "
            "instead. Parse it with pd.to_datetime() or load logs with analysis.read_logs()."
        )
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    arr = dates.to_numpy().astype("datetime64[D]")
    valid = ~np.isnat(arr)
    days = arr.view("int64").copy()
    days[~valid] = 0
    return days, valid


def monday_of(days: _Days) -> _Days:
    """Day number of the Monday of the ISO week of each day number (1970-01-01 was a Thursday)."""
    return days - (days + 3) % 7


def days_to_datetime(days: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Day numbers to ``datetime64[us]`` at midnight; NaT where ``valid`` is False."""
    out = np.asarray(days, dtype="int64").astype("datetime64[D]").astype(_US)
    if valid is not None:
        out[~valid] = np.datetime64("NaT")
    return out


def week_start(dates: pd.Series) -> pd.Series:
    """Monday 00:00 of the ISO week of each date.

    Parameters
    ----------
    dates : Series of datetime64
        Naive or time-zone-aware dates; NaT stays NaT.

    Returns
    -------
    Series of datetime64[us]
        Named ``week_start``, same index as ``dates``.

    Raises
    ------
    TypeError
        If ``dates`` is not a datetime64 Series.

    Notes
    -----
    ISO week, Monday start (ISO 8601); see the module docstring.

    Examples
    --------
    >>> week_start(pd.Series(pd.to_datetime(["2024-03-27", "2024-03-31", "2024-04-01"]))).dt.day_name().tolist()
    ['Monday', 'Monday', 'Monday']
    >>> str(week_start(pd.Series(pd.to_datetime(["2024-03-31 18:30"])))[0].date())
    '2024-03-25'
    """
    if not isinstance(dates, pd.Series):
        raise TypeError(
            f"week_start() expected a pandas Series, got {type(dates).__name__} instead."
        )
    days, valid = day_numbers(dates, func="week_start")
    return pd.Series(days_to_datetime(monday_of(days), valid), index=dates.index, name=WEEK_START)


def _check_weeks(weeks: Any, any_length: bool, func: str) -> int:
    is_int = isinstance(weeks, int | np.integer) and not isinstance(weeks, bool)
    if any_length:
        if not is_int or not 1 <= weeks <= 52:
            raise ValueError(
                f"{func}() expected weeks to be an integer from 1 to 52, got {weeks!r} instead."
            )
    elif not is_int or weeks not in (4, 5, 6):
        raise ValueError(
            f"weeks must be 4, 5 or 6, got {weeks!r} instead "
            "(pass any_length=True for another block length)."
        )
    return int(weeks)


def _end_day(end: Any, days: np.ndarray, valid: np.ndarray, func: str) -> int:
    if end is None:
        if not valid.any():
            raise ValueError(
                f"{func}() expected at least one dated row or an explicit end date, "
                "got no dated rows instead."
            )
        return int(days[valid].max())
    return day_number(parse_day(end, "end", func=func))


def _block_index(days: np.ndarray, end_day: int, weeks: int) -> np.ndarray:
    """Block index (0 current, −1 previous...) of each day; positive where the day is after end."""
    offset = (monday_of(days) - monday_of(np.int64(end_day))) // 7  # ISO weeks relative to end's
    index = -((-offset) // weeks)
    return np.where(days > end_day, 1, index)


def _label(index: np.ndarray) -> np.ndarray:
    """Block labels (object array) for block indices <= 0; built once per distinct block."""
    if index.size == 0:
        return np.array([], dtype=object)
    oldest = int(index.min())
    names = np.array([f"block_{i}" for i in range(oldest, 1)], dtype=object)
    names[-1] = CURRENT
    if names.size > 1:
        names[-2] = PREVIOUS
    return names[index - oldest]


def _frame_days(frame: pd.DataFrame, date_col: str, func: str) -> tuple[np.ndarray, np.ndarray]:
    require_columns(frame, [date_col], func=func)
    return day_numbers(frame[date_col], func=func)


def blocks(
    frame: pd.DataFrame,
    *,
    weeks: int = 4,
    end: Any = None,
    date_col: str = DATE,
    any_length: bool = False,
) -> pd.DataFrame:
    """The reassessment blocks covering a frame's dates, oldest first.

    Parameters
    ----------
    frame : DataFrame
        Any table with a datetime64 ``date_col`` (sets, runs...).
    weeks : int, default=4
        Block length in ISO weeks: 4, 5 or 6 (1 to 52 with ``any_length=True``).
    end : date-like, default=None
        Last day of the current block; the last logged date when None.
    date_col : str, default="date"
        The date column.
    any_length : bool, default=False
        Accept any block length from 1 to 52 weeks.

    Returns
    -------
    DataFrame
        One row per block, from the oldest block holding a dated row on or before ``end`` to the
        current one, and always at least the previous and the current block:

        - ``block_index`` (Int64): 0 current, −1 previous, −2...
        - ``block`` (string): ``current``, ``previous``, ``block_-2``...
        - ``start``, ``end`` (datetime64[us]): first and last day of the block, inclusive.
        - ``weeks`` (Int64): ISO weeks in the block.
        - ``n_rows`` (Int64): rows of ``frame`` dated in the block (0 for an empty block).

    Raises
    ------
    MissingColumnsError
        If ``date_col`` is missing.
    TypeError
        If ``date_col`` is not datetime64.
    ValueError
        If ``weeks`` is out of range, ``end`` is not a date, or there is no date at all.

    Notes
    -----
    The block definition is in the module docstring: the current block is the ``weeks`` ISO
    weeks ending with the week that contains ``end`` (and it stops at ``end``); older blocks tile
    backwards week-aligned.

    Examples
    --------
    >>> sets = pd.DataFrame({"date": pd.to_datetime(["2024-02-20", "2024-03-27"])})
    >>> out = blocks(sets)
    >>> out[["block", "block_start", "block_end", "n_rows"]].astype(str).values.tolist()
    [['previous', '2024-02-05', '2024-03-03', '1'], ['current', '2024-03-04', '2024-03-27', '1']]
    """
    weeks = _check_weeks(weeks, any_length, "blocks")
    days, valid = _frame_days(frame, date_col, "blocks")
    end_day = _end_day(end, days, valid, "blocks")
    index = _block_index(days[valid], end_day, weeks)
    index = index[index <= 0]
    oldest = min(int(index.min()) if index.size else 0, -1)
    block_index = np.arange(oldest, 1, dtype="int64")
    end_monday = monday_of(np.int64(end_day))
    start = end_monday + 7 * (block_index * weeks - (weeks - 1))
    stop = np.where(block_index == 0, end_day, end_monday + 7 * block_index * weeks + 6)
    counts = np.bincount(index - oldest, minlength=block_index.size) if index.size else 0
    return pd.DataFrame(
        {
            BLOCK_INDEX: pd.array(block_index, dtype="Int64"),
            BLOCK: pd.array(_label(block_index), dtype="string"),
            BLOCK_START: days_to_datetime(start),
            BLOCK_END: days_to_datetime(stop),
            WEEKS: pd.array(np.full(block_index.size, weeks), dtype="Int64"),
            N_ROWS: pd.array(np.zeros(block_index.size, dtype="int64") + counts, dtype="Int64"),
        }
    )


def label_blocks(
    frame: pd.DataFrame,
    *,
    weeks: int = 4,
    end: Any = None,
    date_col: str = DATE,
    any_length: bool = False,
) -> pd.DataFrame:
    """A copy of ``frame`` with its ISO week and reassessment block.

    Parameters
    ----------
    frame : DataFrame
        Any table with a datetime64 ``date_col``.
    weeks : int, default=4
        Block length in ISO weeks: 4, 5 or 6 (1 to 52 with ``any_length=True``).
    end : date-like, default=None
        Last day of the current block; the last logged date when None.
    date_col : str, default="date"
        The date column.
    any_length : bool, default=False
        Accept any block length from 1 to 52 weeks.

    Returns
    -------
    DataFrame
        The columns of ``frame`` (same order and values, RangeIndex) followed by (replacing any
        existing column of the same name):

        - ``week_start`` (datetime64[us]): Monday of the row's ISO week.
        - ``block_index`` (Int64): 0 current, −1 previous...; NA after ``end`` or without date.
        - ``block`` (string): ``current``, ``previous``, ``block_-2``...; NA likewise.

    Raises
    ------
    MissingColumnsError
        If ``date_col`` is missing.
    TypeError
        If ``date_col`` is not datetime64.
    ValueError
        If ``weeks`` is out of range, ``end`` is not a date, or there is no date at all.

    Notes
    -----
    Week and block are defined in the module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"date": pd.to_datetime(["2024-02-20", "2024-03-27", "2024-03-28"])})
    >>> label_blocks(sets, end="2024-03-27")["block"].tolist()
    ['previous', 'current', <NA>]
    """
    weeks = _check_weeks(weeks, any_length, "label_blocks")
    days, valid = _frame_days(frame, date_col, "label_blocks")
    end_day = _end_day(end, days, valid, "label_blocks")
    index = _block_index(days, end_day, weeks)
    inside = valid & (index <= 0)
    out = frame.drop(columns=[WEEK_START, BLOCK_INDEX, BLOCK], errors="ignore").reset_index(
        drop=True
    )
    out[WEEK_START] = days_to_datetime(monday_of(days), valid)
    out[BLOCK_INDEX] = pd.arrays.IntegerArray(np.where(inside, index, 0), ~inside)
    labels = _label(np.where(inside, index, 0))
    labels[~inside] = None
    out[BLOCK] = pd.array(labels, dtype="string")
    return out


#: The phases, in the order a plan runs them.
PHASES: Final = ("foundation", "strength", "power")
_ALIASES = {
    "foundation": "foundation", "base": "foundation", "prep": "foundation", "preparation": "foundation",
    "anatomical adaptation": "foundation", "general": "foundation", "form": "foundation",
    "strength": "strength", "build": "strength", "max strength": "strength", "hypertrophy": "strength",
    "power": "power", "plyometric": "power", "plyometrics": "power", "peak": "power", "speed": "power",
    "maintenance": "power",
}  # fmt: skip


def phase_name(text: Any) -> str | None:
    """A phase from a coach's word for it ("Base", "Phase 2 - Strength"); None if unknown.

    Examples
    --------
    >>> phase_name("Phase 1: Foundation"), phase_name("BUILD"), phase_name("taper")
    ('foundation', 'strength', None)
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return None
    words = re.sub(r"[^a-z ]+", " ", str(text).lower()).split()
    for n in (2, 1):  # "max strength" before "strength"
        for i in range(len(words) - n + 1):
            hit = _ALIASES.get(" ".join(words[i : i + n]))
            if hit:
                return hit
    return None

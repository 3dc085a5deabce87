"""Training frequency: sessions per ISO week against a target (adherence), missed weeks as 0.

Session and week are as defined in :mod:`analysis.volume`.

Definitions
-----------
Adherence
    Per athlete and ISO week, the sessions logged (distinct dates with at least one set) against
    the planned sessions per week; the week is met when sessions >= target. Weeks without a
    session are reported with 0, from the athlete's first logged week on: weeks before it are
    "not started" and left out, never counted as missed. Two to three sessions a week is the range studied in runners
    (Blagrove et al., Sports Med 2018;48:1117–1149); the default target of 2 is a team convention.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.defaults import TARGET_PER_WEEK
from analysis._engine.prepared import prepare
from analysis.columns import ATHLETE, DATE, MET, SESSIONS, TARGET, WEEK_START, require_columns
from analysis.periods import day_number, days_to_datetime, monday_of, parse_day


def adherence(
    sets: pd.DataFrame,
    *,
    target_per_week: int = TARGET_PER_WEEK,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Sessions per ISO week against a target, with missed weeks as 0.

    Parameters
    ----------
    sets : DataFrame
        Any table with ``athlete`` and a datetime64 ``date`` (normally canonical ``sets``).
    target_per_week : int, default=2
        Planned sessions per week (2–3 a week is the range studied in runners, Blagrove et al.,
        Sports Med 2018;48:1117–1149; the default is a team convention).
    start, end : date-like, default=None
        Weeks to report for every athlete: from the week of ``start`` (or the athlete's first
        logged week, if later) to the week of ``end``. When None, from each athlete's first to
        last logged week.

    Returns
    -------
    DataFrame
        One row per athlete and ISO week in the range, sorted, weeks without a session
        included:

        - ``athlete`` (string), ``week_start`` (datetime64[us])
        - ``sessions`` (Int64): distinct dates with at least one logged set (warm-ups count)
        - ``target`` (Int64): ``target_per_week``
        - ``met`` (boolean): ``sessions >= target``

    Raises
    ------
    MissingColumnsError
        If ``athlete`` or ``date`` is missing.
    TypeError
        If ``date`` is not datetime64.
    ValueError
        If ``target_per_week`` is not a positive integer or ``start``/``end`` is not a date.

    Notes
    -----
    A session is one (athlete, date); weeks are ISO weeks (module docstring).

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "ann",
    ...     "date": pd.to_datetime(["2024-03-04", "2024-03-07", "2024-03-19"])})
    >>> adherence(sets)[["sessions", "met"]].values.tolist()
    [[2, True], [0, False], [1, False]]
    """
    require_columns(sets, [ATHLETE, DATE], func="adherence")
    prep = prepare(sets)
    if (
        not isinstance(target_per_week, int | np.integer)
        or isinstance(target_per_week, bool)
        or target_per_week < 1
    ):
        raise ValueError(
            f"target_per_week must be a positive integer, got {target_per_week!r} instead."
        )
    day, valid = prep.days("adherence")
    a, uniques = prep.codes(ATHLETE)
    athletes = uniques.to_numpy(dtype=object)
    keep = valid & (a >= 0)
    sessions = _distinct_days(a[keep], day[keep])
    sessions["week"] = monday_of(sessions["day"].to_numpy())
    counts = sessions.groupby(["a", "week"]).size()
    span = sessions.groupby("a")["week"].agg(["min", "max"])
    lo = span["min"].to_numpy()
    hi = span["max"].to_numpy()
    if start is not None:
        first = monday_of(np.int64(day_number(parse_day(start, "start", func="adherence"))))
        lo = np.maximum(lo, first)  # weeks before the first logged one: not started
    if end is not None:
        hi = np.full_like(hi, monday_of(np.int64(day_number(parse_day(end, "end", func="adherence")))))
    n_weeks = np.clip((hi - lo) // 7 + 1, 0, None)
    athlete = np.repeat(span.index.to_numpy(), n_weeks)
    offset = np.arange(n_weeks.sum()) - np.repeat(np.cumsum(n_weeks) - n_weeks, n_weeks)
    week = np.repeat(lo, n_weeks) + 7 * offset
    grid = pd.MultiIndex.from_arrays([athlete, week], names=["a", "week"])
    n = counts.reindex(grid, fill_value=0).to_numpy()
    return pd.DataFrame(
        {
            ATHLETE: pd.array(athletes[athlete], dtype="string"),
            WEEK_START: days_to_datetime(week),
            SESSIONS: pd.array(n, dtype="Int64"),
            TARGET: pd.array(np.full(n.size, target_per_week), dtype="Int64"),
            MET: pd.array(n >= target_per_week, dtype="boolean"),
        }
    )


def _distinct_days(a: np.ndarray, day: np.ndarray) -> pd.DataFrame:
    """The distinct (athlete code, day) pairs, sorted: one row per session."""
    if not a.size:
        return pd.DataFrame({"a": a.astype(np.int64), "day": day.astype(np.int64)})
    low = int(day.min())
    span = int(day.max()) - low + 1
    key = a.astype(np.int64) * span + (day - low)
    size = (int(a.max()) + 1) * span
    if size <= 8 * a.size:  # a bitmap of every (athlete, day): one pass, no sort
        seen = np.zeros(size, dtype=bool)
        seen[key] = True
        key = np.flatnonzero(seen)
    else:
        key = np.unique(key)
    return pd.DataFrame({"a": key // span, "day": key % span + low})

"""Option checks and value coercions shared by the analyses (one message format each)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.columns import (
    ATHLETE,
    DATE,
    EXERCISE,
    LOAD_KG,
    REPS,
    RPE,
    SIDE,
    WARMUP,
    require_columns,
)
from analysis.periods import day_number, parse_day


def positive_int(name: str, value: object, high: int = 30) -> int:
    """``value`` as an int from 1 to ``high``; ValueError naming ``name`` otherwise."""
    return int_option(name, value, 1, high)


def int_option(name: str, value: object, low: int, high: int) -> int:
    """``value`` as an int from ``low`` to ``high``; ValueError naming ``name`` otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} expected an integer from {low} to {high}, got {value!r} instead.")
    return int(value)


def resolve_end_day(end: object, days: np.ndarray, func: str | None = None) -> int:
    """``end`` as a day number; default the last logged date (1970-01-01 for no dates)."""
    if end is None:
        return int(days.max()) if days.size else 0
    return day_number(parse_day(end, "end", func=func))


_SET_COLUMNS = (ATHLETE, DATE, EXERCISE, SIDE, REPS, LOAD_KG, WARMUP)


def check_sets(sets: pd.DataFrame, func: str, use_rpe: bool, extra: tuple[str, ...] = ()) -> None:
    """The columns a strength analysis reads (``rpe`` only when it is used) are in ``sets``."""
    require_columns(sets, [*_SET_COLUMNS, *extra, *([RPE] if use_rpe else [])], func=func)

"""Shared by the benchmark scripts: the squad they measure and how they time it.

Every script measures liftpace's own generated logs (``analysis.sample.generate_squad``, the
same data ``liftpace sample --athletes 100 --weeks 104`` writes), so figures are comparable
across scripts.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import cache

import pandas as pd


@cache
def squad(athletes: int = 100, weeks: int = 104, seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical ``sets`` and ``runs`` of a generated squad (~1M sets at 100 x 104)."""
    from analysis.sample import generate_squad

    return generate_squad(athletes=athletes, weeks=weeks, seed=seed)


def median_time(func: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Median and minimum wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)

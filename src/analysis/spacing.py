"""Run-lift spacing: hard runs within a day of a heavy lower-body session.

Runners are told to put strength sessions on easy-run days ("hard days hard, easy days
easy") and to keep a heavy leg day away from an interval session. This module lists, per
block, the hard runs that fell on the same day as, or the day before or after, a heavy
lower-body strength session, as a planning note. It is never labelled injury risk, and it
says nothing about cause: the pairs are simply there to plan around.

Definitions
-----------
Hard run
    A run of type ``tempo``, ``interval``, ``long`` or ``race`` (:func:`analysis.pace.run_paces`
    types runs without a label by pace and heart rate).
Heavy session
    A day with at least :data:`HEAVY_SETS` hard working sets of lower-body work: a set with an
    RPE of :data:`HEAVY_RPE` or more (two reps or fewer in reserve), or a loaded set whose e1RM
    is at least :data:`HEAVY_SHARE` of that lift's (and side's) best e1RM up to that day (Epley;
    sets of up to 12 reps), or a plyometric set (jumps and hops are hard by design).
    Bodyweight sets without an RPE are not heavy.
Within a day
    The logs hold days, not clock times, so "within 24 h" is read as the same day or the day
    before or after (``days_apart`` -1, 0 or 1, the session's day minus the run's).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from analysis.catalog import attach_info
from analysis.columns import ATHLETE, DATE, RPE, WARMUP, require_columns
from analysis.periods import parse_day
from analysis.progression import set_e1rm

__all__ = ["HARD_RUN_TYPES", "HEAVY_RPE", "HEAVY_SETS", "HEAVY_SHARE", "heavy_sessions", "run_lift_spacing"]

HARD_RUN_TYPES: Final = ("tempo", "interval", "long", "race")
HEAVY_SETS: Final = 3
HEAVY_SHARE: Final = 0.8
HEAVY_RPE: Final = 8.0
SPACING_COLUMNS: Final = ("athlete", "run_date", "run_type", "session_date", "days_apart", "heavy_sets")


def heavy_sessions(sets: pd.DataFrame) -> pd.DataFrame:
    """The heavy lower-body sessions of each athlete (module docstring).

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets``.

    Returns
    -------
    DataFrame
        ``athlete``, ``date`` (the session's day), ``heavy_sets`` (count), sorted.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-02"] * 3),
    ...     "exercise": "back_squat", "side": "both", "set_index": [1, 2, 3], "reps": 5,
    ...     "load_kg": 80.0, "duration_s": None, "rpe": [7.0, 8.0, 8.5], "warmup": False})
    >>> heavy_sessions(sets)
      athlete       date  heavy_sets
    0     Ann 2026-11-02           3
    """
    require_columns(sets, [ATHLETE, DATE, "exercise", "side", "reps", "load_kg", RPE, WARMUP],
                    func="heavy_sessions")  # fmt: skip
    work = sets[~sets[WARMUP].fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
    if work.empty:
        return pd.DataFrame({ATHLETE: pd.array([], dtype="string"), DATE: pd.Series(dtype="datetime64[us]"),
                             "heavy_sets": pd.array([], dtype="Int64")})  # fmt: skip
    e1rm = set_e1rm(work, use_rpe=False)["e1rm_kg"].to_numpy(dtype=float, na_value=np.nan)
    info = attach_info(work[[ATHLETE, DATE, "exercise", "side", "load_kg", "duration_s"]])
    # integer codes, not text, as sort and group keys (the running best only needs each lift's sets in
    # date order; sorting 1M strings took seconds)
    codes = {k: pd.factorize(work[k])[0] for k in (ATHLETE, "exercise", "side")}
    order = np.lexsort((work[DATE].to_numpy(), codes["side"], codes["exercise"], codes[ATHLETE]))
    keyed = pd.DataFrame({"a": codes[ATHLETE][order], "e": codes["exercise"][order], "s": codes["side"][order],
                          "v": e1rm[order]})  # fmt: skip
    best = keyed.groupby(["a", "e", "s"], sort=False)["v"].cummax().to_numpy()
    best_to_date = np.empty_like(best)
    best_to_date[order] = best
    rpe = work[RPE].to_numpy(dtype=float, na_value=np.nan)
    loaded = work["load_kg"].to_numpy(dtype=float, na_value=np.nan) > 0
    heavy = (rpe >= HEAVY_RPE) | (loaded & (e1rm >= HEAVY_SHARE * best_to_date))
    heavy |= (info["pattern"] == "plyometric").to_numpy(dtype=bool)
    frame = pd.DataFrame({ATHLETE: work[ATHLETE].to_numpy(), DATE: work[DATE].dt.normalize().to_numpy(),
                          "hard": heavy})  # fmt: skip
    per_day = frame.groupby([ATHLETE, DATE], sort=True)["hard"].sum().rename("heavy_sets").reset_index()
    out = per_day[per_day["heavy_sets"] >= HEAVY_SETS].reset_index(drop=True)
    return out.astype({ATHLETE: "string", "heavy_sets": "Int64"})


def run_lift_spacing(
    sets: pd.DataFrame, runs: pd.DataFrame, *, start: object = None, end: object = None
) -> pd.DataFrame:
    """Hard runs within a day of a heavy lower-body session (module docstring).

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets``.
    runs : DataFrame
        :func:`analysis.pace.run_paces` (typed runs) or canonical ``runs`` with ``run_type``.
    start, end : date-like, default=None
        Only runs from ``start`` to ``end`` (inclusive).

    Returns
    -------
    DataFrame
        One row per hard run and heavy session within a day: ``athlete``, ``run_date``,
        ``run_type``, ``session_date``, ``days_apart`` (session day minus run day: -1 the day
        before the run, 0 the same day, 1 the day after), ``heavy_sets``; sorted by athlete and
        run date.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-02"] * 3),
    ...     "exercise": "back_squat", "side": "both", "set_index": [1, 2, 3], "reps": 5,
    ...     "load_kg": 80.0, "duration_s": None, "rpe": 8.0, "warmup": False})
    >>> runs = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-03", "2026-11-05"]),
    ...     "run_type": ["interval", "interval"]})
    >>> run_lift_spacing(sets, runs)[["run_date", "run_type", "session_date", "days_apart"]]
        run_date  run_type session_date  days_apart
    0 2026-11-03  interval   2026-11-02          -1
    """
    require_columns(runs, [ATHLETE, DATE, "run_type"], func="run_lift_spacing",
                    hint="Pass analysis.pace.run_paces(runs).")  # fmt: skip
    hard = runs[runs["run_type"].isin(list(HARD_RUN_TYPES)).fillna(False).to_numpy(dtype=bool)]
    day = hard[DATE].dt.normalize()
    keep = np.ones(len(hard), dtype=bool)
    if start is not None:
        keep &= (day >= parse_day(start, "start", func="run_lift_spacing")).to_numpy()
    if end is not None:
        keep &= (day <= parse_day(end, "end", func="run_lift_spacing")).to_numpy()
    hard = pd.DataFrame({ATHLETE: hard[ATHLETE].to_numpy()[keep], "run_date": day.to_numpy()[keep],
                         "run_type": hard["run_type"].to_numpy()[keep]})  # fmt: skip
    sessions = heavy_sessions(sets).rename(columns={DATE: "session_date"})
    pairs = []
    for shift in (-1, 0, 1):  # three joins on exact days: vectorised
        near = hard.assign(session_date=hard["run_date"] + pd.Timedelta(days=shift))
        hit = near.merge(sessions, on=[ATHLETE, "session_date"], how="inner")
        pairs.append(hit.assign(days_apart=shift))
    out = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=list(SPACING_COLUMNS))
    out = out.astype({ATHLETE: "string", "run_type": "string", "days_apart": "Int64", "heavy_sets": "Int64"})
    for col in ("run_date", "session_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[us]")
    return out[list(SPACING_COLUMNS)].sort_values([ATHLETE, "run_date", "days_apart"], kind="stable").reset_index(drop=True)

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

from analysis._engine.defaults import MAX_REPS
from analysis._engine.prepared import prepare
from analysis._engine.sessions import set_e1rm_arrays
from analysis._engine.stats import group_ids, stable_group_order
from analysis.catalog import exercise_info
from analysis.columns import ATHLETE, DATE, EXERCISE, LOAD_KG, RPE, SIDE, WARMUP, require_columns
from analysis.periods import days_to_datetime, parse_day

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
    prep = prepare(sets)  # the shared encoding: integer codes and day numbers, no text per row
    work = ~prep.warmup()
    a, a_uni = prep.codes(ATHLETE)
    day, dated = prep.days("heavy_sessions")
    out_dtype = sets[DATE].dtype if isinstance(sets[DATE].dtype, np.dtype) else np.dtype("datetime64[us]")
    if not work.any():
        return pd.DataFrame({ATHLETE: pd.array([], dtype="string"), DATE: pd.Series(dtype=out_dtype),
                             "heavy_sets": pd.array([], dtype="Int64")})  # fmt: skip
    e, e_uni = prep.codes(EXERCISE)
    s, s_uni = prep.codes(SIDE)
    log = prep.log(use_rpe=False, func="heavy_sessions")
    e1rm = set_e1rm_arrays(log, "epley", MAX_REPS)[0]  # set_e1rm(use_rpe=False): Epley, load > 0
    # the running best of each lift (athlete, exercise, side; NA is a value of its own) in date
    # order, ties in row order; a set without a date comes after every dated one
    idx = np.flatnonzero(work)
    lift = ((a[idx] + 1) * (len(e_uni) + 1) + e[idx] + 1) * (len(s_uni) + 1) + s[idx] + 1
    when = sets[DATE].to_numpy().astype("datetime64[us]").view(np.int64)[idx]
    when = np.where(when == np.iinfo(np.int64).min, np.iinfo(np.int64).max, when)  # NaT last
    order = stable_group_order(lift)
    lift_o, when_o = lift[order], when[order]
    if ((np.diff(when_o) < 0) & (lift_o[1:] == lift_o[:-1])).any():  # not in date order already
        order = np.lexsort((when, lift))
        lift_o = lift[order]
    best = pd.Series(e1rm[idx][order]).groupby(lift_o, sort=False).cummax().to_numpy()
    best_to_date = np.empty_like(best)
    best_to_date[order] = best
    rpe = prep.floats(RPE)[idx]
    loaded = prep.floats(LOAD_KG)[idx] > 0
    heavy = (rpe >= HEAVY_RPE) | (loaded & (e1rm[idx] >= HEAVY_SHARE * best_to_date))
    pattern = exercise_info().set_index(EXERCISE)["pattern"]
    plyo = (pattern.reindex(pd.Index(e_uni, dtype=object)) == "plyometric").to_numpy(dtype=bool)
    heavy |= np.append(plyo, False)[e[idx]]  # code -1 (no exercise) is not plyometric
    # heavy sets per athlete and day (rows without an athlete or a date are not sessions)
    named = (a[idx] >= 0) & dated[idx]
    ad, hd = a[idx][named], heavy[named]
    d = day[idx][named]
    if not len(d):
        return pd.DataFrame({ATHLETE: pd.array([], dtype="string"), DATE: pd.Series(dtype=out_dtype),
                             "heavy_sets": pd.array([], dtype="Int64")})  # fmt: skip
    d0, span = int(d.min()), int(d.max()) - int(d.min()) + 1
    uniq, group = group_ids(ad * span + (d - d0))
    count = np.bincount(group, hd, minlength=len(uniq)).astype(np.int64)
    hit = count >= HEAVY_SETS
    return pd.DataFrame({
        ATHLETE: pd.array(np.asarray(a_uni, dtype=object)[uniq[hit] // span], dtype="string"),
        DATE: days_to_datetime(uniq[hit] % span + d0).astype(out_dtype),
        "heavy_sets": pd.array(count[hit], dtype="Int64"),
    })  # fmt: skip


def _near(hard: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Each hard run joined with the heavy session (one per athlete and day) of the day before,
    the same day and the day after: the rows of three inner joins on exact days, in their
    order (the day before first, each in the runs' order), with ``days_apart``.

    On naive dates the joins are lookups of one integer (athlete, day) key (three merges cost
    ~8 ms on any size of frame); other dates go through the merges.
    """
    naive = all(isinstance(f[c].dtype, np.dtype) and f[c].dtype.kind == "M"
                for f, c in ((hard, "run_date"), (sessions, "session_date")))  # fmt: skip
    if not naive:
        pairs = []
        for shift in (-1, 0, 1):
            near = hard.assign(session_date=hard["run_date"] + pd.Timedelta(days=shift))
            hit = near.merge(sessions, on=[ATHLETE, "session_date"], how="inner")
            pairs.append(hit.assign(days_apart=shift))
        return pd.concat(pairs, ignore_index=True)
    names = np.concatenate([hard[ATHLETE].to_numpy(dtype=object), sessions[ATHLETE].to_numpy(dtype=object)])
    who = pd.factorize(names)[0]
    run_who, ses_who = who[: len(hard)], who[len(hard) :]
    run_day = hard["run_date"].to_numpy(dtype="datetime64[D]")
    ok = (run_who >= 0) & ~np.isnat(run_day)
    run_day = np.where(ok, run_day.astype(np.int64), 0)
    ses_day = sessions["session_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    low = min(int(ses_day.min()) if len(ses_day) else 0, int(run_day.min()) if len(run_day) else 0) - 1
    span = max(int(ses_day.max()) if len(ses_day) else 0, int(run_day.max()) if len(run_day) else 0) + 2 - low
    ses_key = ses_who.astype(np.int64) * span + (ses_day - low)
    order = np.argsort(ses_key, kind="stable")
    run_rows, ses_rows, shifts = [], [], []
    for shift in (-1, 0, 1):
        want = run_who.astype(np.int64) * span + (run_day + shift - low)
        at = np.minimum(np.searchsorted(ses_key[order], want), max(len(order) - 1, 0))
        hit = ok & (ses_key[order][at] == want) if len(order) else np.zeros(len(want), dtype=bool)
        run_rows.append(np.flatnonzero(hit))
        ses_rows.append(order[at[hit]])
        shifts.append(np.full(int(hit.sum()), shift, dtype=np.int64))
    r, k = np.concatenate(run_rows), np.concatenate(ses_rows)
    return pd.DataFrame({
        ATHLETE: hard[ATHLETE].to_numpy()[r], "run_date": hard["run_date"].to_numpy()[r],
        "run_type": hard["run_type"].to_numpy()[r], "session_date": sessions["session_date"].to_numpy()[k],
        "heavy_sets": sessions["heavy_sets"].array.take(k), "days_apart": np.concatenate(shifts),
    })  # fmt: skip


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
    out = _near(hard, sessions)
    out = out.astype({ATHLETE: "string", "run_type": "string", "days_apart": "Int64", "heavy_sets": "Int64"})
    for col in ("run_date", "session_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[us]")
    return out[list(SPACING_COLUMNS)].sort_values([ATHLETE, "run_date", "days_apart"], kind="stable").reset_index(drop=True)

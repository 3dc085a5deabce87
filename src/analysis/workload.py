"""Training load: session load, weekly load, monotony and strain.

Definitions
-----------
Session load (``load_au``)
    Session-RPE load, Foster et al. (JSCR 2001;15(1):109–115): CR-10 session RPE × session
    duration in minutes, in arbitrary units (AU); RPE 7 × 60 min = 420 AU. It needs an optional
    ``sessions`` frame with ``athlete, date, session_rpe, duration_min`` (several rows on one
    day are added up: Σ RPE × min). A session without both falls back to its volume load
    (Σ reps × load_kg of working sets, :mod:`analysis.volume`), a number in kg used as AU.
    ``load_method`` (``session_rpe`` or ``volume_load``) says which one each session got; the
    two scales differ by orders of magnitude, so compare loads of one method only (weekly
    outputs say ``mixed`` when a week has both).
Daily load
    Σ session loads of a calendar day. Days without a session are rest days with load 0
    (zero-fill), also in monotony, acute and chronic load. A session with unknown load (NA)
    counts as 0 and is reported in ``sessions_without_load``.
Weekly load
    Σ daily load over an ISO week (Monday–Sunday).
Monotony and strain
    Foster (MSSE 1998;30(7):1164–1168): monotony = mean / SD of the 7 daily loads of an ISO week,
    rest days as 0; SD with ``ddof`` (default 0, population SD; the source does not say).
    Strain = weekly load × monotony. When SD is 0 (no load, or the same load every day)
    monotony and strain are NaN with a ``status``, not infinity. "Monotony > 2" is practitioner
    lore, not a validated cut-off; no cut-off is applied here.
Acute and chronic load, acute:chronic ratio
    Defined in :mod:`analysis.acwr` (:func:`~analysis.acwr.acute_chronic_load`, :func:`~analysis.acwr.acwr`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._engine.daily import daily_loads, run_starts, zero_filled
from analysis.columns import (
    ATHLETE,
    DATE,
    DURATION_MIN,
    LOAD_AU,
    LOAD_CHANGE_AU,
    LOAD_METHOD,
    MEAN_DAILY_AU,
    METHOD,
    MONOTONY,
    N_DAYS,
    OK,
    SD_DAILY_AU,
    SESSION_RPE,
    SESSIONS,
    SESSIONS_WITHOUT_LOAD,
    STATUS,
    STRAIN_AU,
    VOLUME_LOAD_KG,
    WEEK_START,
    float_values,
    require_columns,
)
from analysis.periods import day_numbers, days_to_datetime, monday_of
from analysis.volume import session_summary

_SESSIONS_HINT = "Pass a sessions frame with athlete, date, session_rpe and duration_min."


def session_load(
    sets: pd.DataFrame,
    *,
    sessions: pd.DataFrame | None = None,
    bodyweight: pd.DataFrame | None = None,
    catalog: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load of each session: session RPE × minutes where logged, else volume load.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (as for :func:`analysis.volume.weekly_volume`).
    sessions : DataFrame, default=None
        ``athlete, date, session_rpe`` (CR-10, 0–10) ``, duration_min`` (min). Sessions here
        without sets are included.
    bodyweight : DataFrame, default=None
        ``athlete, date, bodyweight_kg``, for the volume load of bodyweight sets.
    catalog : DataFrame, default=None
        Exercise catalog; the built-in one when None.

    Returns
    -------
    DataFrame
        One row per session, sorted by athlete and date:

        - ``athlete`` (string), ``date`` (datetime64[us], day), ``week_start`` (datetime64[us])
        - ``session_rpe`` (Float64, CR-10): duration-weighted when a day has several entries
        - ``duration_min`` (Float64, min)
        - ``volume_load_kg`` (Float64, kg): NA for a session with no sets
        - ``load_au`` (Float64, AU): RPE × min, else volume load
        - ``load_method`` (string): ``session_rpe`` or ``volume_load``

    Raises
    ------
    MissingColumnsError
        If ``sets`` or ``sessions`` lacks a column.
    ValueError
        If a session RPE is outside 0–10 or a duration is negative.

    Notes
    -----
    Session-RPE load (Foster et al. 2001) and the fallback are defined in the module docstring.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "ann", "date": pd.to_datetime(["2024-03-04", "2024-03-07"]),
    ...     "exercise": "back_squat", "side": "both", "set_index": 1, "reps": 5,
    ...     "load_kg": 100.0, "duration_s": None, "rpe": None, "warmup": False})
    >>> srpe = pd.DataFrame({"athlete": ["ann"], "date": pd.to_datetime(["2024-03-04"]),
    ...     "session_rpe": [7.0], "duration_min": [60.0]})
    >>> session_load(sets, sessions=srpe)[["load_au", "load_method"]].values.tolist()
    [[420.0, 'session_rpe'], [500.0, 'volume_load']]
    """
    summary = session_summary(sets, bodyweight=bodyweight, catalog=catalog)
    out = summary[[ATHLETE, DATE, VOLUME_LOAD_KG]]
    if sessions is None:
        srpe = pd.DataFrame(
            {
                ATHLETE: pd.array([], dtype="string"),
                DATE: np.array([], dtype="datetime64[us]"),
                "rpe_min": np.array([], dtype=float),
                DURATION_MIN: np.array([], dtype=float),
            }
        )
    else:
        srpe = _session_rpe(sessions)
    out = out.merge(srpe, on=[ATHLETE, DATE], how="outer").sort_values([ATHLETE, DATE])
    out = out.reset_index(drop=True)
    rpe_min = float_values(out["rpe_min"])
    minutes = float_values(out[DURATION_MIN])
    has = ~np.isnan(rpe_min)
    with np.errstate(invalid="ignore", divide="ignore"):
        rpe = np.where(minutes > 0, rpe_min / minutes, np.nan)
    load = np.where(has, rpe_min, float_values(out[VOLUME_LOAD_KG]))
    days, _ = day_numbers(out[DATE], func="session_load")
    return pd.DataFrame(
        {
            ATHLETE: out[ATHLETE].astype("string"),
            DATE: out[DATE].astype("datetime64[us]"),
            WEEK_START: days_to_datetime(monday_of(days)),
            SESSION_RPE: pd.array(np.where(has, rpe, np.nan), dtype="Float64"),
            DURATION_MIN: pd.array(np.where(has, minutes, np.nan), dtype="Float64"),
            VOLUME_LOAD_KG: out[VOLUME_LOAD_KG].astype("Float64"),
            LOAD_AU: pd.array(load, dtype="Float64"),
            LOAD_METHOD: pd.array(np.where(has, "session_rpe", "volume_load"), dtype="string"),
        }
    )


def _session_rpe(sessions: pd.DataFrame) -> pd.DataFrame:
    require_columns(
        sessions,
        [ATHLETE, DATE, SESSION_RPE, DURATION_MIN],
        func="session_load",
        hint=_SESSIONS_HINT,
    )
    days, valid = day_numbers(sessions[DATE], func="session_load")
    rpe = float_values(sessions[SESSION_RPE])
    minutes = float_values(sessions[DURATION_MIN])
    for values, bad, what in (
        (rpe, (rpe < 0) | (rpe > 10), "session_rpe on the CR-10 scale (0-10)"),
        (minutes, minutes < 0, "duration_min of 0 minutes or more"),
    ):
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            day = np.datetime64(int(days[i]), "D") if valid[i] else "unknown"
            raise ValueError(
                f"session_load() expected {what}, got {values[i]:g} instead "
                f"(athlete {sessions[ATHLETE].iloc[i]!r}, date {day})."
            )
    keep = valid & sessions[ATHLETE].notna().to_numpy() & ~np.isnan(rpe) & ~np.isnan(minutes)
    frame = pd.DataFrame(
        {
            ATHLETE: sessions[ATHLETE].astype("string").to_numpy()[keep],
            DATE: days_to_datetime(days[keep]),
            "rpe_min": (rpe * minutes)[keep],
            DURATION_MIN: minutes[keep],
        }
    )
    frame[ATHLETE] = frame[ATHLETE].astype("string")
    return frame.groupby([ATHLETE, DATE], as_index=False, sort=True).sum()


def _weekly_calendar(loads: pd.DataFrame, func: str) -> pd.DataFrame:
    daily = daily_loads(loads, func)
    span = daily.groupby("a")["day"].agg(["min", "max"])
    first = monday_of(span["min"].to_numpy())
    last = monday_of(span["max"].to_numpy()) + 6
    filled = zero_filled(daily, first, last)
    filled["week"] = monday_of(filled["day"].to_numpy())
    return filled


def weekly_load(loads: pd.DataFrame) -> pd.DataFrame:
    """Weekly load per athlete, weeks without a session included as 0.

    Parameters
    ----------
    loads : DataFrame
        ``athlete, date, load_au`` (from :func:`session_load`); ``load_method`` is read when
        present.

    Returns
    -------
    DataFrame
        One row per athlete and ISO week from the athlete's first to last session week:

        - ``athlete`` (string), ``week_start`` (datetime64[us])
        - ``sessions`` (Int64): rows of ``loads`` in the week
        - ``sessions_without_load`` (Int64): of which with NA ``load_au`` (counted as 0)
        - ``load_au`` (Float64, AU): Σ daily load
        - ``load_change_au`` (Float64, AU): minus the previous week's load (NA in the first week)
        - ``load_method`` (string): ``session_rpe``, ``volume_load``, ``mixed``, or NA

    Raises
    ------
    MissingColumnsError
        If ``loads`` lacks ``athlete``, ``date`` or ``load_au``.

    Notes
    -----
    Weekly load and the methods are defined in the module docstring.

    Examples
    --------
    >>> loads = pd.DataFrame({"athlete": "ann", "load_au": [420.0, 300.0],
    ...     "date": pd.to_datetime(["2024-03-04", "2024-03-20"])})
    >>> weekly_load(loads)[["load_au", "load_change_au"]].astype(object).values.tolist()
    [[420.0, <NA>], [0.0, -420.0], [300.0, 300.0]]
    """
    filled = _weekly_calendar(loads, "weekly_load")
    grouped = filled.groupby(["a", "week"], sort=True)
    weekly = grouped[[LOAD_AU, "unknown", SESSIONS]].sum()
    a = weekly.index.get_level_values("a").to_numpy()
    week = weekly.index.get_level_values("week").to_numpy()
    total = weekly[LOAD_AU].to_numpy()
    change = total - np.concatenate(([np.nan], total[:-1]))
    change[run_starts(a)] = np.nan
    method = pd.array([pd.NA] * len(weekly), dtype="string")
    if LOAD_METHOD in loads.columns:
        days, valid = day_numbers(loads[DATE], func="weekly_load")
        codes = pd.Index(filled.attrs["athletes"]).get_indexer(loads[ATHLETE].astype(object))
        ok = valid & (codes >= 0) & loads[LOAD_METHOD].notna().to_numpy()
        tags = pd.DataFrame(
            {"a": codes[ok], "week": monday_of(days[ok]), "m": loads[LOAD_METHOD].to_numpy()[ok]}
        )
        per = tags.drop_duplicates().groupby(["a", "week"])["m"].agg(["first", "size"])
        per = per["first"].where(per["size"] == 1, "mixed")
        method = per.reindex(weekly.index).astype("string").array
    return pd.DataFrame(
        {
            ATHLETE: pd.array(filled.attrs["athletes"][a], dtype="string"),
            WEEK_START: days_to_datetime(week),
            SESSIONS: pd.array(weekly[SESSIONS].to_numpy(), dtype="Int64"),
            SESSIONS_WITHOUT_LOAD: pd.array(weekly["unknown"].to_numpy(), dtype="Int64"),
            LOAD_AU: pd.array(total, dtype="Float64"),
            LOAD_CHANGE_AU: pd.array(change, dtype="Float64"),
            LOAD_METHOD: method,
        }
    )


def monotony(daily_loads: pd.DataFrame, *, ddof: int = 0) -> pd.DataFrame:
    """Weekly monotony and strain from the 7 daily loads of each ISO week.

    Parameters
    ----------
    daily_loads : DataFrame
        ``athlete, date, load_au``: session or daily loads (from :func:`session_load`); several
        rows on one day are added up and days without a row are rest days (0).
    ddof : {0, 1}, default=0
        Delta degrees of freedom of the SD: 0 population SD, 1 sample SD.

    Returns
    -------
    DataFrame
        One row per athlete and ISO week from the athlete's first to last session week:

        - ``athlete`` (string), ``week_start`` (datetime64[us])
        - ``n_days`` (Int64): days in the calculation, always 7
        - ``load_au`` (Float64, AU): weekly load
        - ``mean_daily_au``, ``sd_daily_au`` (Float64, AU): mean and SD of the 7 daily loads
        - ``monotony`` (Float64, dimensionless): mean / SD; NaN when SD is 0
        - ``strain_au`` (Float64, AU): weekly load × monotony; NaN when monotony is
        - ``status`` (string): ``ok``, ``no load`` or ``no day-to-day variation (SD 0)``
        - ``method`` (string): e.g. ``mean/SD of 7 daily loads, ddof=0``

    Raises
    ------
    MissingColumnsError
        If ``athlete``, ``date`` or ``load_au`` is missing.
    ValueError
        If ``ddof`` is not 0 or 1.

    Notes
    -----
    Monotony and strain after Foster (1998), computed on 7 daily totals with rest days as 0;
    see the module docstring. No cut-off is applied.

    Examples
    --------
    Three days of 400 AU and four rest days: monotony = √(3/4) ≈ 0.866.

    >>> loads = pd.DataFrame({"athlete": "ann", "load_au": 400.0,
    ...     "date": pd.to_datetime(["2024-03-04", "2024-03-06", "2024-03-08"])})
    >>> out = monotony(loads)
    >>> round(float(out["monotony"][0]), 3), round(float(out["strain_au"][0]), 1)
    (0.866, 1039.2)
    """
    if isinstance(ddof, bool) or ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 or 1, got {ddof!r} instead.")
    filled = _weekly_calendar(daily_loads, "monotony")
    x = filled[LOAD_AU].to_numpy(dtype="float64").reshape(-1, 7)
    a = filled["a"].to_numpy()[::7]
    week = filled["week"].to_numpy()[::7]
    total = x.sum(axis=1)
    mean = x.mean(axis=1)
    sd = x.std(axis=1, ddof=ddof)
    flat = np.isclose(sd, 0.0, rtol=0.0, atol=1e-12 * np.maximum(np.abs(mean), 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(flat, np.nan, mean / sd)
    status = np.where(flat, "no day-to-day variation (SD 0)", OK).astype(object)
    status[total == 0] = "no load"
    return pd.DataFrame(
        {
            ATHLETE: pd.array(filled.attrs["athletes"][a], dtype="string"),
            WEEK_START: days_to_datetime(week),
            N_DAYS: pd.array(np.full(a.size, 7), dtype="Int64"),
            LOAD_AU: pd.array(total, dtype="Float64"),
            MEAN_DAILY_AU: pd.array(mean, dtype="Float64"),
            SD_DAILY_AU: pd.array(sd, dtype="Float64"),
            MONOTONY: pd.array(mono, dtype="Float64"),
            STRAIN_AU: pd.array(total * mono, dtype="Float64"),
            STATUS: pd.array(status, dtype="string"),
            METHOD: pd.array(
                np.full(a.size, f"mean/SD of 7 daily loads, ddof={ddof}"), dtype="string"
            ),
        }
    )

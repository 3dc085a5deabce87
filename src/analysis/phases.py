"""Training phases: which phase of the runner's plan each week (and each block) belongs to.

Runners are given a 12-week plan in three phases: **foundation** (bodyweight and form, higher
reps and holds, 4-6 weeks), **strength** (added load and single-leg work, 6-8 weeks) and
**power** (plyometrics, strength maintained). A block is judged by its phase's aim, so the
reassessment needs to know the phase.

Sources, first found wins per athlete
--------------------------------------
given
    ``phases=`` (``{"2026-09-01": "foundation", "2026-10-13": "strength"}`` or the text
    ``"2026-09-01=foundation,2026-10-13=strength"``): each phase runs from its date to the
    next one's.
plan
    A plan's ``phase`` column (a ``Phase`` or ``Block`` row or column of the coach's Plan
    sheet, :func:`analysis.loaders.plan.read_plan`), per week.
inferred
    From the week's working sets (a practitioner convention, not an evidence-based rule;
    thresholds in :data:`INFERENCE`): **power** when plyometric sets are at least 8 % of the
    week's sets; otherwise **foundation** when fewer than half the sets carry an external
    load (bodyweight and holds); otherwise **strength**. A 3-week rolling majority smooths
    single odd weeks (a deload, a missed session); a tie keeps the week's own phase.

A block's phase is the phase of most of its weeks (ties: the later phase); ``phase_source``
says where it came from, and an inferred phase is reported as inferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from analysis._engine.prepared import prepare
from analysis._engine.stats import group_ids
from analysis.catalog import exercise_info
from analysis.columns import ATHLETE, DATE, EXERCISE, LOAD_KG, WARMUP, require_columns
from analysis.periods import PHASES, days_to_datetime, monday_of, parse_day, phase_name

__all__ = ["INFERENCE", "PHASES", "block_phases", "parse_phases", "phase_timeline"]

#: Inference thresholds (module docstring): share of plyometric sets for power, share of loaded
#: sets below which a week is foundation, weeks in the rolling majority.
INFERENCE: Final = {"power_plyometric_share": 0.08, "foundation_loaded_share": 0.5, "smooth_weeks": 3}
PHASE_COLUMNS: Final = ("athlete", "week_start", "phase", "phase_source")
def parse_phases(phases: str | Mapping[Any, str]) -> pd.DataFrame:
    """Given phases as ``start, phase`` rows, sorted.

    Parameters
    ----------
    phases : str or mapping
        ``"2026-09-01=foundation,2026-10-13=strength"`` or ``{date: phase}``.

    Returns
    -------
    DataFrame
        ``start`` (Monday of the date's week) and ``phase``.

    Raises
    ------
    ValueError
        A date that is not ``YYYY-MM-DD`` or a phase that is not one of :data:`PHASES`.

    Examples
    --------
    >>> parse_phases("2026-09-01=foundation, 2026-10-13=Strength")
           start       phase
    0 2026-08-31  foundation
    1 2026-10-12    strength
    """
    if isinstance(phases, str):
        pairs = []
        for item in filter(None, (p.strip() for p in phases.split(","))):
            day, sep, name = item.partition("=")
            if not sep:
                raise ValueError(
                    f"expected phases as DATE=PHASE, e.g. 2026-09-01=foundation, got {item!r} instead"
                )
            pairs.append((day.strip(), name.strip()))
    else:
        pairs = [(str(k), str(v)) for k, v in phases.items()]
    rows = []
    for day, name in pairs:
        phase = phase_name(name)
        if phase is None:
            raise ValueError(f"expected a phase among {', '.join(PHASES)}, got {name!r} instead")
        start = parse_day(day, "phases")
        rows.append((start - pd.Timedelta(days=start.day_of_week), phase))
    return pd.DataFrame(rows, columns=["start", "phase"]).sort_values("start", kind="stable").reset_index(drop=True)


def _inferred(sets: pd.DataFrame) -> pd.DataFrame:
    """The inferred phase of every (athlete, week) with working sets, sorted by athlete and week.

    On the shared encoding of ``sets`` (integer codes, day numbers): the week's shares are
    counts per group and the rolling majority looks one group back and one ahead within the
    athlete, as ``rolling(3, center=True, min_periods=1)`` over the athlete's weeks does.
    """
    prep = prepare(sets)
    a, a_uni = prep.codes(ATHLETE)
    e, e_uni = prep.codes(EXERCISE)
    day, dated = prep.days("phase_timeline")
    keep = ~prep.warmup() & dated & (a >= 0)
    if not keep.any():
        return pd.DataFrame(columns=list(PHASE_COLUMNS))
    pattern = exercise_info().set_index(EXERCISE)["pattern"]
    plyo_e = (pattern.reindex(pd.Index(e_uni, dtype=object)) == "plyometric").to_numpy(dtype=bool)
    idx = np.flatnonzero(keep)
    plyo = np.append(plyo_e, False)[e[idx]]  # code -1 (no exercise) is not plyometric
    loaded = prep.floats(LOAD_KG)[idx] > 0  # NaN is not loaded
    week = monday_of(day[idx])
    w0 = int(week.min())
    key = a[idx] * ((int(week.max()) - w0) // 7 + 1) + (week - w0) // 7
    uniq, group = group_ids(key)
    n = np.bincount(group, minlength=len(uniq))
    plyo_share = np.bincount(group, plyo, minlength=len(uniq)) / n
    loaded_share = np.bincount(group, loaded, minlength=len(uniq)) / n
    code = np.where(
        plyo_share >= INFERENCE["power_plyometric_share"], 2,
        np.where(loaded_share < INFERENCE["foundation_loaded_share"], 0, 1),
    )  # fmt: skip
    # rolling majority over k weeks (the athlete's logged weeks, centred, as pandas' rolling(k,
    # center=True, min_periods=1): offsets -(k // 2) to (k - 1) // 2); a tie keeps the week's own
    # phase, then the later phase
    k = int(INFERENCE["smooth_weeks"])
    g_ath = uniq // ((int(week.max()) - w0) // 7 + 1)
    votes = np.zeros((len(uniq), 3))
    votes[np.arange(len(uniq)), code] = 1.0
    smooth = votes.copy()
    for o in range(-(k // 2), (k - 1) // 2 + 1):  # neighbours within the athlete's weeks
        if o > 0:
            same = g_ath[o:] == g_ath[:-o]
            smooth[:-o][same] += votes[o:][same]
        elif o < 0:
            same = g_ath[:o] == g_ath[-o:]
            smooth[-o:][same] += votes[:o][same]
    tie_break = 0.01 * votes + np.array([0.0, 0.001, 0.002])
    code = np.argmax(smooth + tie_break, axis=1)
    w_day = w0 + (uniq % ((int(week.max()) - w0) // 7 + 1)) * 7
    return pd.DataFrame({
        ATHLETE: np.asarray(a_uni, dtype=object)[g_ath],
        "week_start": days_to_datetime(w_day),
        "phase": np.asarray(PHASES, dtype=object)[code],
        "phase_source": "inferred",
    })  # fmt: skip


def phase_timeline(
    sets: pd.DataFrame,
    *,
    plan: pd.DataFrame | None = None,
    phases: str | Mapping[Any, str] | None = None,
) -> pd.DataFrame:
    """The phase of every week each athlete trained, and where it came from.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets``.
    plan : DataFrame, default=None
        :func:`analysis.loaders.plan.read_plan`; its ``phase`` column, when it has one, gives
        the phase of its weeks (for every athlete, or per athlete when the plan names one).
    phases : str or mapping, default=None
        Given phases (:func:`parse_phases`), for every athlete; wins over the plan.

    Returns
    -------
    DataFrame
        ``athlete``, ``week_start`` (Monday), ``phase`` (:data:`PHASES`), ``phase_source``
        (``given``, ``plan`` or ``inferred``), sorted by athlete and week. Weeks without a
        given or planned phase are inferred (module docstring).

    Examples
    --------
    >>> days = pd.to_datetime(["2026-09-01", "2026-09-08", "2026-10-13"])
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": days, "exercise": "back_squat",
    ...     "side": "both", "reps": 10, "load_kg": [0.0, 0.0, 60.0], "duration_s": None,
    ...     "warmup": False})
    >>> phase_timeline(sets, phases="2026-10-12=strength")[["week_start", "phase", "phase_source"]]
      week_start       phase phase_source
    0 2026-08-31  foundation     inferred
    1 2026-09-07  foundation     inferred
    2 2026-10-12    strength        given
    """
    require_columns(sets, [ATHLETE, DATE, "exercise", "side", LOAD_KG, "duration_s", WARMUP],
                    func="phase_timeline")  # fmt: skip
    out = _inferred(sets)
    if plan is not None and "phase" in plan.columns and plan["phase"].notna().any():
        planned = plan[plan["phase"].notna()][["athlete", "week_start", "phase"]].drop_duplicates()
        planned = planned.assign(phase=planned["phase"].map(phase_name)).dropna(subset=["phase"])
        everyone = planned[planned["athlete"].isna()].drop(columns="athlete").drop_duplicates("week_start")
        named = planned[planned["athlete"].notna()].drop_duplicates([ "athlete", "week_start"])
        out = out.merge(everyone.rename(columns={"phase": "_all"}), on="week_start", how="left")
        out = out.merge(named.rename(columns={"phase": "_own"}), on=["athlete", "week_start"], how="left")
        chosen = out["_own"].fillna(out["_all"])
        out["phase_source"] = np.where(chosen.notna(), "plan", out["phase_source"])
        out["phase"] = chosen.fillna(out["phase"])
        out = out.drop(columns=["_all", "_own"])
    if phases is not None:
        given = parse_phases(phases)
        if len(given):
            idx = np.searchsorted(given["start"].to_numpy(), out["week_start"].to_numpy(), side="right") - 1
            hit = idx >= 0
            out.loc[hit, "phase"] = given["phase"].to_numpy()[idx[hit]]
            out.loc[hit, "phase_source"] = "given"
    out = out.astype({"athlete": "string", "phase": "string", "phase_source": "string"})
    out["week_start"] = pd.to_datetime(out["week_start"]).astype("datetime64[us]")
    return out[list(PHASE_COLUMNS)].sort_values(["athlete", "week_start"], kind="stable").reset_index(drop=True)


def block_phases(timeline: pd.DataFrame, blocks: pd.DataFrame) -> pd.DataFrame:
    """The phase of each block: the phase of most of its weeks (ties: the later phase).

    Parameters
    ----------
    timeline : DataFrame
        :func:`phase_timeline` of one or more athletes.
    blocks : DataFrame
        :func:`analysis.periods.blocks` (``block_index``, ``block_start``, ``block_end``).

    Returns
    -------
    DataFrame
        ``athlete``, ``block_index``, ``phase``, ``phase_source`` (``mixed`` when the weeks'
        sources differ), ``weeks_in_phase`` (of the block's trained weeks).
    """
    if timeline.empty or blocks.empty:
        return pd.DataFrame(columns=["athlete", "block_index", "phase", "phase_source", "weeks_in_phase"])
    starts = blocks["block_start"].to_numpy(dtype="datetime64[us]")
    ends = blocks["block_end"].to_numpy(dtype="datetime64[us]")
    weeks = timeline["week_start"].to_numpy(dtype="datetime64[us]")
    pos = np.searchsorted(starts, weeks, side="right") - 1
    inside = (pos >= 0) & (weeks <= ends[np.clip(pos, 0, None)])
    frame = timeline[inside].assign(block_index=blocks["block_index"].to_numpy()[pos[inside]])
    if frame.empty:
        return pd.DataFrame(columns=["athlete", "block_index", "phase", "phase_source", "weeks_in_phase"])
    frame = frame.assign(rank=frame["phase"].map({p: i for i, p in enumerate(PHASES)}))
    counts = frame.groupby(["athlete", "block_index", "phase", "rank"], observed=True).size().rename("n").reset_index()
    counts = counts.sort_values(["athlete", "block_index", "n", "rank"], ascending=[True, True, False, False])
    best = counts.drop_duplicates(["athlete", "block_index"])
    grouped = frame.groupby(["athlete", "block_index"], observed=True)["phase_source"]
    sources = grouped.first().where(grouped.nunique() == 1, "mixed")  # noqa: PD101  (per group)
    out = best.merge(sources.rename("phase_source").reset_index(), on=["athlete", "block_index"])
    out = out.rename(columns={"n": "weeks_in_phase"})[["athlete", "block_index", "phase", "phase_source", "weeks_in_phase"]]
    return out.reset_index(drop=True)

"""Block-versus-block reassessment of one athlete or a squad: tables computed once, then findings.

:func:`reassess` runs every analysis once for one athlete and returns a frozen
:class:`Reassessment` of tidy frames that the plots, the notebooks and the Excel summary all
re-use; :func:`squad_summary` and :func:`squad_findings` do the same for every athlete at once.
The plain-language findings are built in :mod:`analysis.reassessment.findings`.

Definitions
-----------
Block
    As in :mod:`analysis.periods`: the *current* block is the ``weeks`` ISO weeks (4-6) ending
    with the week that holds ``end``, and it stops at ``end``; the *previous* block is the
    ``weeks`` full ISO weeks before it.
End
    Default: the athlete's last logged date, sets or runs (for a squad, the squad's last date).
    Every table uses this one resolved day, so all of them describe the same blocks.
Lift status and left-right status
    One verdict per lift and side (:func:`analysis.reassessment.lift_status`: progressing,
    holding, stalled, regressing, not enough data) and per single-leg exercise
    (:func:`analysis.reassessment.asymmetry_status`: which side is weaker, whether the gap is
    real, closing or widening). Their definitions are in :mod:`analysis.reassessment.verdicts`
    and :mod:`analysis.reassessment.balance`; the findings are read off them.
Block volume
    Weekly means: the block's total over working sets divided by its length in weeks from the
    athlete's first logged week on (weeks before it are "not started", not zero); the current
    block counts its days up to ``end`` / 7, so a block cut mid-week is not under-counted.
Adherence
    Sessions per ISO week against ``target_per_week`` (:func:`analysis.frequency.adherence`),
    from the athlete's first logged week (earlier weeks are not started, not missed); a week is
    *complete* when its Sunday is on or before ``end``, and only complete weeks are judged.
Pace change
    Per run type, the mean run pace of the current block minus the previous block's, with a
    Welch 95 % CI (t with Welch-Satterthwaite df); "faster" when the whole CI is below 0,
    "slower" when above, "no clear change" otherwise; fewer than :data:`MIN_RUNS` runs in either
    block gives "not enough data". Pooled pace (total time / total distance) is reported too,
    and the within-block trend is :func:`analysis.pace.pace_trend` (OLS with a t CI).
Strength-pace correlation
    :func:`analysis.correlate.strength_pace_correlation`, Pearson, lags 0-2 weeks, on
    week-to-week changes (the evidence) and weekly levels (context), with the effective n of
    autocorrelated series and one adjustment over every test of the athlete, for the weekly
    e1RM of the main bilateral lifts and the weekly volume load against easy pace. Runs with an
    implausible pace are left out (:func:`analysis.pace.run_paces`). ``fit_slope`` and
    ``fit_intercept`` are the least-squares line of pace on strength over the same paired weeks,
    for drawing only. An association is never a cause.
Planned vs done
    Per athlete, ISO week and exercise of the two blocks: the plan's sets x reps @ load (per
    session) against the working sets done. ``status`` is ``missed`` (planned, no session),
    ``fewer sets`` (fewer working sets per session than planned; a left-right pair is one set),
    ``lighter`` (top load more than 0.25 kg under the planned load), ``as planned``, or ``not in
    plan`` (done, not planned that week). A plan row without an athlete applies to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.defaults import (
    ASYMMETRY_THRESHOLD_PCT,
    HARD_RPE,
    MAX_REPS,
    MIN_RUNS,
    MIN_SESSIONS,
    TARGET_PER_WEEK,
)
from analysis._engine.prepared import prepare, sharing
from analysis.columns import (
    ATHLETE,
    BLOCK_END,
    BLOCK_INDEX,
    BLOCK_START,
    DATE,
    EXERCISE,
    PROBLEMS,
    RUNS,
    TEST_RESULTS,
    WEEK_START,
    conform,
    empty,
    require_columns,
)
from analysis.correlate import CORRELATION_COLUMNS
from analysis.frequency import adherence
from analysis.outlook import lift_outlook, race_outlook
from analysis.pace import run_paces, sharing_runs, weekly_pace
from analysis.periods import blocks, days_to_datetime, monday_of, parse_day
from analysis.phases import block_phases, phase_timeline
from analysis.progression import best_e1rm, personal_records
from analysis.reassessment.balance import asymmetry_status
from analysis.reassessment.blocks import (
    block_volume,
    correlation_table,
    label_weeks,
    pace_blocks,
    plan_vs_done,
    squad_metrics,
)
from analysis.reassessment.findings import build_findings
from analysis.reassessment.programme import lift_aims
from analysis.reassessment.verdicts import lift_status
from analysis.spacing import run_lift_spacing
from analysis.symmetry import block_asymmetry, session_asymmetry
from analysis.testdays import test_changes, tests_from_sets
from analysis.volume import weekly_volume

#: Columns of ``sets`` and ``runs`` that a reassessment reads.
SETS_REQUIRED = (
    "athlete",
    "date",
    "exercise",
    "side",
    "set_index",
    "reps",
    "load_kg",
    "duration_s",
    "rpe",
    "warmup",
)
RUNS_REQUIRED = ("athlete", "date", "distance_km", "duration_s")

__all__ = [
    "MIN_RUNS",
    "Reassessment",
    "chart_tables",
    "reassess",
    "reassess_squad",
    "resolve_end",
    "squad_findings",
    "squad_summary",
]


@dataclass(frozen=True)
class Reassessment:
    """Every table of one athlete's reassessment, computed once (see :func:`reassess`).

    Attributes
    ----------
    params : dict
        ``athlete``, ``weeks``, ``end``, ``previous_start``, ``previous_end``,
        ``current_start`` (``YYYY-MM-DD`` strings), ``target_per_week``, ``threshold_pct``,
        ``formula``, ``min_sessions``, ``n_sets``, ``n_runs``, ``phase`` and ``phase_source``
        (the current block's; None when unknown).
    blocks, adherence, volume, block_volume, e1rm, records, lift_status, asymmetry,
    asymmetry_blocks,
    asymmetry_status, runs, weekly_pace, pace_blocks, vdot, strength_pace, correlation,
    plan_vs_done, phase_weeks, phases, spacing, test_days, outlook, race_outlook, problems,
    findings : DataFrame
        Described in the Returns section of :func:`reassess`.
    """

    params: dict[str, Any]
    blocks: pd.DataFrame
    adherence: pd.DataFrame
    volume: pd.DataFrame
    block_volume: pd.DataFrame
    e1rm: pd.DataFrame
    records: pd.DataFrame
    lift_status: pd.DataFrame
    asymmetry: pd.DataFrame
    asymmetry_blocks: pd.DataFrame
    asymmetry_status: pd.DataFrame
    runs: pd.DataFrame
    weekly_pace: pd.DataFrame
    pace_blocks: pd.DataFrame
    vdot: pd.DataFrame
    strength_pace: pd.DataFrame
    correlation: pd.DataFrame
    plan_vs_done: pd.DataFrame
    phase_weeks: pd.DataFrame
    phases: pd.DataFrame
    spacing: pd.DataFrame
    test_days: pd.DataFrame
    outlook: pd.DataFrame
    race_outlook: pd.DataFrame
    problems: pd.DataFrame
    findings: pd.DataFrame

    def __repr__(self) -> str:
        p = self.params
        return (
            f"Reassessment({p['athlete']!r}, {p['weeks']} weeks ending {p['end']}: "
            f"{len(self.findings)} findings)"
        )


def resolve_end(sets: pd.DataFrame, runs: pd.DataFrame | None = None, *, end: Any = None) -> str:
    """The block end a reassessment uses: ``end`` itself, else the last logged date.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (``date`` is read).
    runs : DataFrame, default=None
        Canonical ``runs``; its dates count too.
    end : date-like, default=None
        An explicit end (returned as a day).

    Returns
    -------
    str
        ``YYYY-MM-DD``.

    Raises
    ------
    MissingColumnsError
        If ``sets`` (or ``runs``) has no ``date`` column.
    ValueError
        If ``end`` is not a date, or there is no dated row at all.

    Examples
    --------
    >>> sets = pd.DataFrame({"date": pd.to_datetime(["2026-11-17"])})
    >>> runs = pd.DataFrame({"date": pd.to_datetime(["2026-11-22 07:30"])})
    >>> resolve_end(sets, runs), resolve_end(sets, end="2026-11-20")
    ('2026-11-22', '2026-11-20')
    """
    require_columns(sets, [DATE], func="resolve_end")
    if end is not None:
        return parse_day(end, "end", func="resolve_end").strftime("%Y-%m-%d")
    dates = [sets[DATE]]
    if runs is not None:
        require_columns(runs, [DATE], func="resolve_end", hint="Pass log.runs.")
        dates.append(runs[DATE])
    last = pd.concat([pd.Series(d.to_numpy(), dtype="datetime64[us]") for d in dates]).max()
    if pd.isna(last):
        raise ValueError(
            "expected at least one dated set or run, or an explicit end, got none instead."
        )
    return pd.Timestamp(last).normalize().strftime("%Y-%m-%d")


def _check_options(weeks: Any, target_per_week: Any, threshold_pct: Any) -> None:
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or weeks not in (4, 5, 6):
        raise ValueError(f"expected weeks to be 4, 5 or 6, got {weeks!r} instead.")
    if (
        isinstance(target_per_week, bool)
        or not isinstance(target_per_week, int | np.integer)
        or target_per_week < 1
    ):
        raise ValueError(
            f"expected target_per_week to be a positive integer, got {target_per_week!r} instead."
        )
    if (
        isinstance(threshold_pct, bool)
        or not isinstance(threshold_pct, int | float)
        or not 0 < threshold_pct <= 100
    ):
        raise ValueError(
            f"expected threshold_pct to be a number from 0 to 100, got {threshold_pct!r} instead."
        )


def _upto(frame: pd.DataFrame, end: pd.Timestamp, col: str = DATE) -> pd.DataFrame:
    """Rows dated on or before ``end`` (the whole day), RangeIndex; no copy when all are."""
    keep = (frame[col] < end + pd.Timedelta(days=1)).fillna(False).to_numpy(dtype=bool)
    if keep.all():
        return frame.reset_index(drop=True)  # copy-on-write: shares the columns
    return frame[keep].reset_index(drop=True)


def _day_number(day: pd.Timestamp) -> int:
    return int(np.datetime64(day.date(), "D").astype(np.int64))


def _tables(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None,
    *,
    weeks: int,
    end: pd.Timestamp,
    bodyweight: pd.DataFrame | None,
    plan: pd.DataFrame | None,
    target_per_week: int,
    threshold_pct: float,
    formula: str,
    correlation: bool = True,
    summary_only: bool = False,
    findings_only: bool = False,
    charts_only: bool = False,
    phases: Any = None,
    tests: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Every reassessment table for the athletes in ``sets`` (one or many), up to ``end``.

    Every table comes from the public analysis that documents it, called inside one
    :func:`analysis._engine.prepared.sharing` scope: the sets are encoded once, so codes, e1RMs,
    session bests and left/right pairs are shared, not recomputed. ``summary_only`` stops after the tables :func:`squad_summary` reads
    (blocks, adherence, block_volume, e1rm_blocks, asymmetry_blocks, pace_blocks);
    ``findings_only`` stops after the tables :func:`~analysis.reassessment.findings.build_findings`
    reads (:func:`squad_findings` returns nothing else: the outlooks, records, e1RM and asymmetry
    series and weekly paces are not computed); ``charts_only`` computes the tables the report's
    charts read but the strength-pace association (:func:`chart_tables`), by the same calls.
    """
    sets = _upto(sets, end)
    runs = empty(RUNS) if runs is None else _upto(runs, end)
    table = blocks(sets, weeks=weeks, end=end)
    bounds = table.set_index(BLOCK_INDEX)
    prev_start, cur_start = bounds.loc[-1, BLOCK_START], bounds.loc[0, BLOCK_START]
    span = {"previous_start": prev_start, "current_start": cur_start, "end": end}
    # the summary reads the previous and current blocks only: volume and asymmetry are
    # block-local, and the e1RM trend keeps its noise over every session (e1rm_trend's start)
    since = prev_start if summary_only or findings_only else None
    with sharing(sets), sharing_runs():  # one encoding of the sets, one of the runs' paces
        timeline = phase_timeline(sets, plan=plan, phases=phases)
        phase_table = block_phases(timeline, table)
        lifts = lift_aims(
            lift_status(sets, weeks=weeks, end=end, formula=formula, max_reps=MAX_REPS), phase_table,
            timeline,
        )
        balance = asymmetry_status(
            sets,
            weeks=weeks,
            end=end,
            bodyweight=bodyweight,
            formula=formula,
            max_reps=MAX_REPS,
            threshold_pct=threshold_pct,
        )
        volume = weekly_volume(
            sets, by="pattern", bodyweight=bodyweight, hard_rpe=HARD_RPE, start=since
        )
        if charts_only:  # the same calls as below, nothing the charts do not read
            return {
                "blocks": table,
                "phase_weeks": timeline,
                "phases": phase_table,
                "lift_status": lifts,
                "asymmetry_status": balance,
                "volume": volume,
                "block_volume": block_volume(volume, span, weeks=weeks, first=None),
                **_series_tables(sets, runs, formula=formula, bodyweight=bodyweight),
            }
        adh = adherence(sets, target_per_week=target_per_week, start=prev_start, end=end)
        paced = run_paces(runs)
        summary = {
            "blocks": table,
            "adherence": label_weeks(adh, span),
            # block volume counts weeks from the athlete's first logged week: with the volume cut
            # at the previous block (summary, findings) that week is read off the sets, or it
            # would move for an athlete who skipped the block's first weeks and the squad page
            # would disagree with the athlete's report
            "block_volume": block_volume(
                volume, span, weeks=weeks, first=_first_weeks(sets) if since is not None else None
            ),
            "lift_status": lifts,
            "asymmetry_status": balance,
            "pace_blocks": pace_blocks(paced, span, weeks=weeks),
        }
        if summary_only:
            return summary
        if correlation:
            strength_pace, corr = correlation_table(sets, runs, lifts)
        elif findings_only:  # no correlation: no finding reads one (0.3 s of pandas on empty frames)
            strength_pace, corr = None, pd.DataFrame(columns=list(CORRELATION_COLUMNS))
        else:
            strength_pace, corr = correlation_table(sets.iloc[:0], runs.iloc[:0], lifts.iloc[:0])
        if findings_only:  # what build_findings reads, nothing more: the same findings
            return {
                **summary,
                "correlation": corr,
                "volume": volume,  # from the previous block on
                "plan_vs_done": plan_vs_done(plan, sets, span),
                "phase_weeks": timeline,
                "phases": phase_table,
                "spacing": _spacing(sets, paced, span),
                "test_days": test_changes(_test_results(sets, tests, end), end=end),
            }
        vdot = weekly_pace(runs, by_type=False)[[ATHLETE, WEEK_START, "runs", "best_vdot"]]
        series = _series_tables(sets, runs, formula=formula, bodyweight=bodyweight)
        return {
            "blocks": table,
            "adherence": summary["adherence"],
            "volume": volume,
            "block_volume": summary["block_volume"],
            "e1rm": series["e1rm"],
            "records": series["records"],
            "lift_status": lifts,
            "asymmetry": series["asymmetry"],
            "asymmetry_blocks": block_asymmetry(
                sets,
                weeks=weeks,
                end=end,
                threshold_pct=threshold_pct,
                min_sessions=MIN_SESSIONS,
                formula=formula,
                use_rpe=False,
                max_reps=MAX_REPS,
                bodyweight=bodyweight,
            ),
            "asymmetry_status": balance,
            "runs": paced,
            "weekly_pace": series["weekly_pace"],
            "pace_blocks": summary["pace_blocks"],
            "vdot": vdot.reset_index(drop=True),
            "strength_pace": strength_pace,
            "correlation": corr,
            "plan_vs_done": plan_vs_done(plan, sets, span),
            "phase_weeks": timeline,
            "phases": phase_table,
            "spacing": _spacing(sets, paced, span),
            "test_days": test_changes(_test_results(sets, tests, end), end=end),
            "outlook": lift_outlook(sets, weeks=weeks, end=end, formula=formula, max_reps=MAX_REPS),
            "race_outlook": race_outlook(runs, weeks=weeks, end=end),
        }


def _series_tables(sets: pd.DataFrame, runs: pd.DataFrame, *, formula: str,
                   bodyweight: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The per-session series the charts draw: e1RM, records, left-right gaps, weekly paces."""
    return {
        "e1rm": best_e1rm(sets, formula=formula, max_reps=MAX_REPS),
        "records": personal_records(sets, formula=formula, max_reps=MAX_REPS),
        "asymmetry": session_asymmetry(
            sets, formula=formula, use_rpe=False, max_reps=MAX_REPS, bodyweight=bodyweight
        ),
        "weekly_pace": weekly_pace(runs),
    }


def _first_weeks(sets: pd.DataFrame) -> pd.Series:
    """Monday of each athlete's first logged week: the first week of
    ``weekly_volume(sets, by="pattern")`` (rows with a date, an athlete and an exercise)."""
    prep = prepare(sets)
    (a, athletes), (e, _) = prep.codes(ATHLETE), prep.codes(EXERCISE)
    day, dated = prep.days("squad_findings")
    keep = dated & (a >= 0) & (e >= 0)
    first = np.full(len(athletes), np.iinfo(np.int64).max)
    np.minimum.at(first, a[keep], day[keep])
    seen = first < np.iinfo(np.int64).max
    weeks = days_to_datetime(monday_of(first[seen]))
    return pd.Series(weeks, index=pd.Index(np.asarray(athletes, dtype=object)[seen], name=ATHLETE))


def _test_results(sets: pd.DataFrame, tests: pd.DataFrame | None, end: pd.Timestamp) -> pd.DataFrame:
    """The test days given (up to ``end``) and those logged as sets marked as tests."""
    # sets marked as tests are found by the name as written, which hand-made sets may lack
    from_sets = tests_from_sets(sets) if "exercise_raw" in sets.columns else empty(TEST_RESULTS)
    if tests is None or tests.empty:
        return from_sets
    given = conform(tests[(tests[DATE] <= end).fillna(False).to_numpy(dtype=bool)], TEST_RESULTS)
    return pd.concat([given, from_sets], ignore_index=True) if len(from_sets) else given.reset_index(drop=True)


def _spacing(sets: pd.DataFrame, paced: pd.DataFrame, span: dict[str, Any]) -> pd.DataFrame:
    """Hard runs within a day of a heavy session, previous and current block, with ``block``."""
    pairs = run_lift_spacing(sets, paced, start=span["previous_start"], end=span["end"])
    current = (pairs["run_date"] >= span["current_start"]).to_numpy(dtype=bool)
    pairs.insert(1, "block", pd.array(np.where(current, "current", "previous"), dtype="string"))
    return pairs


def reassess(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    athlete: str,
    weeks: int = 4,
    end: Any = None,
    bodyweight: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
    problems: pd.DataFrame | None = None,
    target_per_week: int = TARGET_PER_WEEK,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    formula: str = "epley",
    phases: Any = None,
    tests: pd.DataFrame | None = None,
) -> Reassessment:
    """Reassess one athlete: the current block against the previous one, every table once.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` (any athletes; only ``athlete``'s rows are used).
    runs : DataFrame, default=None
        Canonical ``runs``; None or empty skips the running tables.
    athlete : str
        The athlete, as written in the logs.
    weeks : {4, 5, 6}, default=4
        Block length in ISO weeks.
    end : date-like, default=None
        Last day of the current block; default the athlete's last logged date.
    bodyweight : DataFrame, default=None
        ``log.bodyweight``; adds body mass to bodyweight sets in the volume tables.
    plan : DataFrame, default=None
        A plan from :func:`analysis.loaders.plan.read_plan`; enables ``plan_vs_done``.
    problems : DataFrame, default=None
        ``log.problems``; kept for the data-quality sheet and summarised in one finding.
    target_per_week : int, default=2
        Planned strength sessions per week (2-3 is the range studied in runners).
    threshold_pct : float, default=10.0
        Secondary asymmetry flag, % (10-15 % in the literature, without prospective support).
    formula : str, default="epley"
        e1RM equation (:data:`analysis.progression.FORMULAS`).
    phases : str or mapping, default=None
        The plan's phases by start date (:func:`analysis.phases.parse_phases`); wins over the
        plan's ``phase`` column; weeks with neither are inferred (:mod:`analysis.phases`).
    tests : DataFrame, default=None
        Test-day results (:data:`analysis.columns.TEST_RESULTS`, from
        :func:`analysis.loaders.tests.find_tests`); sets marked as tests in the strength log
        are added (:func:`analysis.testdays.tests_from_sets`). Pass the squad's: only
        ``athlete``'s rows are judged and kept, the others give the between-athlete spread of
        the smallest worthwhile change (so the squad and the athlete's report agree).

    Returns
    -------
    Reassessment
        Frozen dataclass of tidy frames (RangeIndex), each sorted by its keys:

        - ``blocks``: :func:`analysis.periods.blocks` of the athlete's sets.
        - ``adherence``: :func:`analysis.frequency.adherence` over the previous and current
          blocks, plus ``block`` (``previous``/``current``) and ``complete`` (boolean).
        - ``volume``: :func:`analysis.volume.weekly_volume` by pattern, every week up to end.
        - ``block_volume``: ``athlete, pattern`` (``all`` = every pattern), ``measure``
          (``sets``, ``reps``, ``volume_load_kg``, ``hold_s``), ``unit`` (per week),
          ``previous``, ``current`` (weekly means), ``change`` (current - previous, same unit),
          ``change_pct`` (%, NA when previous is 0).
        - ``e1rm``: :func:`analysis.progression.best_e1rm` per session (for plots).
        - ``records``: :func:`analysis.progression.personal_records` (for plots).
        - ``lift_status``: :func:`analysis.reassessment.lift_status`, one row per lift and side
          trained in the current block.
        - ``asymmetry``: :func:`analysis.symmetry.session_asymmetry` (for plots).
        - ``asymmetry_blocks``: :func:`analysis.symmetry.block_asymmetry` (for plots).
        - ``asymmetry_status``: :func:`analysis.reassessment.asymmetry_status`.
        - ``runs``: :func:`analysis.pace.run_paces`; ``weekly_pace``:
          :func:`analysis.pace.weekly_pace` by run type; ``vdot``: ``athlete, week_start,
          runs, best_vdot`` (ml/kg/min) per week.
        - ``pace_blocks``: per athlete and run type: ``runs_previous``, ``runs_current``,
          ``distance_km_previous``, ``distance_km_current`` (km),
          ``mean_pace_previous_s_per_km``, ``mean_pace_current_s_per_km``,
          ``pooled_pace_previous_s_per_km``, ``pooled_pace_current_s_per_km`` (s/km),
          ``change_s_per_km`` (mean pace change, negative = faster), ``ci_low``, ``ci_high``
          (Welch 95 % CI), ``method`` (``welch_t``), ``verdict`` (``faster``, ``slower``, ``no
          clear change``, ``not enough data``), ``slope_s_per_km_per_week``, ``slope_ci_low``,
          ``slope_ci_high``, ``slope_n``, ``slope_verdict`` (current block,
          :func:`analysis.pace.pace_trend`) and ``status``.
        - ``strength_pace``: the weekly long table of
          :func:`analysis.correlate.weekly_strength_pace` that was correlated.
        - ``correlation``: :data:`analysis.correlate.CORRELATION_COLUMNS` plus ``fit_slope``
          (s/km per metric unit) and ``fit_intercept`` (s/km) for the levels rows.
        - ``plan_vs_done`` (empty without a plan): ``athlete, week_start, block, exercise``,
          ``planned_sets``, ``planned_reps``, ``planned_load_kg`` (kg), ``planned_hold_s`` (s),
          ``sessions``, ``sets_per_session``, ``reps_per_set`` (median), ``top_load_kg`` (kg),
          ``longest_hold_s`` (s), ``status`` (module docstring).
        - ``phase_weeks``: :func:`analysis.phases.phase_timeline`; ``phases``:
          :func:`analysis.phases.block_phases` (the current block is ``block_index`` 0).
        - ``spacing``: :func:`analysis.spacing.run_lift_spacing` over the previous and current
          blocks, with ``block`` (``previous``/``current``).
        - ``test_days``: :func:`analysis.testdays.test_changes` of the test days given and
          those logged as sets marked as tests, up to ``end``.
        - ``outlook``: :func:`analysis.outlook.lift_outlook` for the next block (``weeks`` on
          from ``end``); ``race_outlook``: :func:`analysis.outlook.race_outlook`. Outlooks, not
          promises: each with its prediction interval and its backtest on the athlete's history.
        - ``problems``: the ``problems`` passed in (canonical columns), or empty.
        - ``findings``: see :func:`analysis.reassessment.findings.build_findings`.

    Raises
    ------
    MissingColumnsError
        If ``sets`` or ``runs`` lacks a canonical column.
    ValueError
        If the athlete has no sets, or ``weeks``, ``end``, ``target_per_week``,
        ``threshold_pct`` or ``formula`` is not valid.

    Notes
    -----
    Blocks, end, the statuses, adherence and pace change are defined in the module docstring;
    nothing here claims a cause or labels injury risk.

    Examples
    --------
    >>> days = pd.to_datetime(["2026-10-06", "2026-10-13", "2026-10-20", "2026-11-03",
    ...     "2026-11-10", "2026-11-17"])
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": days, "exercise": "back_squat",
    ...     "side": "both", "set_index": 1, "reps": 5, "load_kg": [60.0, 60, 60, 70, 70, 70],
    ...     "duration_s": None, "rpe": None, "warmup": False})
    >>> r = reassess(sets, athlete="Ann", end="2026-11-22")
    >>> r.lift_status[["exercise", "status", "metric", "previous", "current"]].round(1)
         exercise       status   metric  previous  current
    0  back_squat  progressing  e1rm_kg      70.0     81.7
    """
    _require(sets, runs)
    _check_options(weeks, target_per_week, threshold_pct)
    mine, their_runs, end_day, bw = _athlete_inputs(sets, runs, athlete=athlete, end=end, bodyweight=bodyweight)
    tables = _tables(
        mine.reset_index(drop=True),
        their_runs,
        weeks=int(weeks),
        end=end_day,
        bodyweight=bw,
        plan=plan,
        target_per_week=int(target_per_week),
        threshold_pct=float(threshold_pct),
        formula=formula,
        phases=phases,
        tests=tests,  # every athlete's: the smallest worthwhile change reads the squad's spread
    )
    mine_only = (tables["test_days"][ATHLETE] == athlete).fillna(False).to_numpy(dtype=bool)
    tables["test_days"] = tables["test_days"][mine_only].reset_index(drop=True)
    params = _params(
        tables["blocks"], athlete=str(athlete), weeks=int(weeks), end=end_day,
        target_per_week=int(target_per_week), threshold_pct=float(threshold_pct),
        formula=str(formula), n_sets=len(mine), n_runs=0 if their_runs is None else len(their_runs),
        phases=tables["phases"],
    )  # fmt: skip
    probs = empty(PROBLEMS) if problems is None else problems.reset_index(drop=True)
    tables["problems"] = probs
    tables["findings"] = build_findings(tables, params, runs_given=params["n_runs"] > 0)
    return Reassessment(params=params, **tables)


def _require(sets: pd.DataFrame, runs: pd.DataFrame | None) -> None:
    require_columns(sets, SETS_REQUIRED, func="reassess")
    if runs is not None:
        require_columns(runs, RUNS_REQUIRED, func="reassess", hint="Pass log.runs.")


def _athlete_inputs(sets: pd.DataFrame, runs: pd.DataFrame | None, *, athlete: str, end: Any,
                    bodyweight: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.Timestamp, Any]:
    """The athlete's sets, runs and bodyweight, and the block's last day (:func:`reassess`)."""
    mine = sets[(sets[ATHLETE] == athlete).fillna(False).to_numpy(dtype=bool)]
    if mine.empty:
        known = sorted(sets[ATHLETE].dropna().astype(str).unique())
        raise ValueError(
            f"reassess() expected an athlete with logged sets, got {athlete!r} instead "
            f"(athletes with sets: {known})."
        )
    their_runs = None
    if runs is not None:
        their_runs = runs[(runs[ATHLETE] == athlete).fillna(False).to_numpy(dtype=bool)]
    end_day = parse_day(resolve_end(mine, their_runs, end=end), "end", func="reassess")
    bw = bodyweight
    if bw is not None:
        require_columns(
            bw, [ATHLETE, DATE, "bodyweight_kg"], func="reassess", hint="Pass log.bodyweight."
        )
        bw = bw[(bw[ATHLETE] == athlete).fillna(False).to_numpy(dtype=bool)]
    return mine, their_runs, end_day, bw


def chart_tables(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    athlete: str,
    weeks: int = 4,
    end: Any = None,
    bodyweight: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    formula: str = "epley",
    phases: Any = None,
) -> SimpleNamespace:
    """The tables of :func:`reassess` that the report's charts draw, by the same calls, without
    the rest (the strength-pace association, findings, outlooks, tests, spacing, plan vs done).

    A report's drawing process computes these while the first process computes the whole
    reassessment, so the charts start before it ends; the tables are equal to the
    reassessment's (the same functions on the same rows).

    Returns
    -------
    types.SimpleNamespace
        ``params`` as :attr:`Reassessment.params` (without ``n_runs``/``n_sets`` meaning
        anything but the rows given), ``blocks``, ``phase_weeks``, ``phases``, ``lift_status``,
        ``asymmetry_status``, ``volume``, ``block_volume``, ``e1rm``, ``records``,
        ``asymmetry``, ``weekly_pace``.
    """
    _require(sets, runs)
    _check_options(weeks, TARGET_PER_WEEK, threshold_pct)
    mine, their_runs, end_day, bw = _athlete_inputs(sets, runs, athlete=athlete, end=end, bodyweight=bodyweight)
    tables = _tables(
        mine.reset_index(drop=True), their_runs, weeks=int(weeks), end=end_day, bodyweight=bw, plan=plan,
        target_per_week=TARGET_PER_WEEK, threshold_pct=float(threshold_pct), formula=formula,
        charts_only=True, phases=phases,
    )  # fmt: skip
    params = _params(
        tables["blocks"], athlete=str(athlete), weeks=int(weeks), end=end_day, target_per_week=TARGET_PER_WEEK,
        threshold_pct=float(threshold_pct), formula=str(formula), n_sets=len(mine),
        n_runs=0 if their_runs is None else len(their_runs), phases=tables["phases"],
    )  # fmt: skip
    return SimpleNamespace(params=params, **tables)


def _params(table: pd.DataFrame, *, athlete: str, weeks: int, end: pd.Timestamp, target_per_week: int,
            threshold_pct: float, formula: str, n_sets: int, n_runs: int,
            phases: pd.DataFrame | None = None) -> dict[str, Any]:
    """``Reassessment.params``: the options, the blocks' dates as ISO text, the current phase."""
    bounds = table.set_index(BLOCK_INDEX)
    phase = source = None
    if phases is not None:
        now = phases[(phases["block_index"] == 0) & (phases[ATHLETE] == athlete)]
        if len(now):
            phase, source = str(now["phase"].iloc[0]), str(now["phase_source"].iloc[0])
    iso = "%Y-%m-%d"
    return {
        "athlete": athlete,
        "weeks": weeks,
        "end": end.strftime(iso),
        "previous_start": bounds.loc[-1, BLOCK_START].strftime(iso),
        "previous_end": bounds.loc[-1, BLOCK_END].strftime(iso),
        "current_start": bounds.loc[0, BLOCK_START].strftime(iso),
        "target_per_week": target_per_week,
        "threshold_pct": threshold_pct,
        "formula": formula,
        "min_sessions": MIN_SESSIONS,
        "n_sets": n_sets,
        "n_runs": n_runs,
        "phase": phase,
        "phase_source": source,
    }


def reassess_squad(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    weeks: int = 4,
    end: Any = None,
    bodyweight: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
    problems: dict[str, pd.DataFrame] | None = None,
    target_per_week: int = TARGET_PER_WEEK,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    formula: str = "epley",
    phases: Any = None,
    tests: pd.DataFrame | None = None,
) -> dict[str, Reassessment]:
    """Reassess every athlete with sets over the same blocks, each table computed once.

    The same result as calling :func:`reassess` for each athlete with the squad's ``end``
    (tested), at the cost of about one call: every analysis runs once on the whole squad
    and its tables are split by athlete.

    Parameters
    ----------
    sets, runs, weeks, bodyweight, plan, target_per_week, threshold_pct, formula, phases
        As for :func:`reassess`, for every athlete at once.
    end : date-like, default=None
        Last day of the current block for everyone; default the squad's last logged date.
    problems : dict of str to DataFrame, default=None
        Each athlete's own problems rows (:meth:`analysis.TrainingLog.for_athlete`); an
        athlete not in it gets none.

    Returns
    -------
    dict of str to Reassessment
        By athlete name, sorted.

    Raises
    ------
    MissingColumnsError
        If ``sets`` or ``runs`` lacks a canonical column.
    ValueError
        If there are no sets, or an option is not valid.
    """
    tables, _ = squad_tables(
        sets, runs, weeks=weeks, end=end, bodyweight=bodyweight, plan=plan,
        target_per_week=target_per_week, threshold_pct=threshold_pct, formula=formula,
        correlation=True, phases=phases, tests=tests,
    )  # fmt: skip
    end_day = parse_day(resolve_end(sets, runs, end=end), "end", func="reassess_squad")
    upto = _upto(sets, end_day)
    names = sorted(upto[ATHLETE].dropna().astype(str).unique())
    run_counts = {} if runs is None else runs[ATHLETE].value_counts().to_dict()
    set_rows = upto.groupby(ATHLETE, sort=False, observed=True).indices
    parts = {
        key: (frame, frame.groupby(ATHLETE, sort=False, observed=True).indices)
        for key, frame in tables.items()
        if isinstance(frame, pd.DataFrame) and ATHLETE in frame.columns
    }
    own_problems = [
        frame.assign(**{ATHLETE: name}) for name, frame in (problems or {}).items() if len(frame)
    ]
    tables["problems"] = (
        pd.concat(own_problems, ignore_index=True) if own_problems else empty(PROBLEMS).assign(**{ATHLETE: ""})
    )
    common = {"target_per_week": int(target_per_week), "threshold_pct": float(threshold_pct),
              "current_start": tables["blocks"].set_index(BLOCK_INDEX).loc[0, BLOCK_START]}  # fmt: skip
    with_runs = [n for n in names if run_counts.get(n, 0) > 0]
    found = build_findings(tables, common, runs_given=with_runs)
    parts["findings"] = (found, found.groupby(ATHLETE, sort=False, observed=True).indices)
    out: dict[str, Reassessment] = {}
    for name in names:
        own = {
            key: frame.iloc[idx.get(name, [])].reset_index(drop=True)
            for key, (frame, idx) in parts.items()
        }
        mine = upto.iloc[set_rows[name]]
        own["blocks"] = blocks(mine, weeks=int(weeks), end=end_day)
        params = _params(
            own["blocks"], athlete=name, weeks=int(weeks), end=end_day,
            target_per_week=int(target_per_week), threshold_pct=float(threshold_pct),
            formula=str(formula), n_sets=int((sets[ATHLETE] == name).sum()),
            n_runs=int(run_counts.get(name, 0)), phases=own["phases"],
        )  # fmt: skip
        own["problems"] = (problems or {}).get(name, empty(PROBLEMS)).reset_index(drop=True)
        out[name] = Reassessment(params=params, **own)
    return out


def squad_tables(
    sets,
    runs,
    *,
    weeks,
    end,
    bodyweight,
    plan,
    target_per_week,
    threshold_pct,
    formula,
    summary_only=False,
    findings_only=False,
    correlation=False,
    phases=None,
    tests=None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    require_columns(sets, SETS_REQUIRED, func="squad_summary")
    if runs is not None:
        require_columns(runs, RUNS_REQUIRED, func="squad_summary", hint="Pass log.runs.")
    _check_options(weeks, target_per_week, threshold_pct)
    if sets.empty:
        raise ValueError("expected logged sets for the squad, got an empty sets table instead.")
    end_day = parse_day(resolve_end(sets, runs, end=end), "end", func="squad_summary")
    tables = _tables(
        sets,
        runs,
        weeks=int(weeks),
        end=end_day,
        bodyweight=bodyweight,
        plan=plan,
        target_per_week=int(target_per_week),
        threshold_pct=float(threshold_pct),
        formula=formula,
        correlation=correlation,
        summary_only=summary_only,
        findings_only=findings_only,
        phases=phases,
        tests=tests,
    )
    params = {
        "weeks": int(weeks),
        "end": end_day.strftime("%Y-%m-%d"),
        "current_start": tables["blocks"].set_index(BLOCK_INDEX).loc[0, BLOCK_START],
        "target_per_week": int(target_per_week),
        "threshold_pct": float(threshold_pct),
        "min_sessions": MIN_SESSIONS,
    }
    return tables, params


def squad_summary(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    weeks: int = 4,
    end: Any = None,
    bodyweight: pd.DataFrame | None = None,
    target_per_week: int = TARGET_PER_WEEK,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    formula: str = "epley",
) -> pd.DataFrame:
    """One row per athlete and metric, previous vs current block, for the squad heatmap.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets`` of every athlete.
    runs : DataFrame, default=None
        Canonical ``runs``.
    weeks : {4, 5, 6}, default=4
        Block length in ISO weeks.
    end : date-like, default=None
        Last day of the current block; default the squad's last logged date (one end for all).
    bodyweight : DataFrame, default=None
        ``log.bodyweight``.
    target_per_week : int, default=2
        Planned sessions per week.
    threshold_pct : float, default=10.0
        Secondary asymmetry flag, %.
    formula : str, default="epley"
        e1RM equation.

    Returns
    -------
    DataFrame
        Athletes with sets, sorted by ``athlete`` then metric: ``athlete``; ``metric``:
        ``sessions_per_week`` (complete weeks), ``volume_load_kg_per_week``,
        ``<lift>_e1rm_kg`` (main bilateral lifts, kg), ``<exercise>_asymmetry_pct``
        (magnitude ``|asymmetry_pct|``, %), ``<run_type>_pace_s_per_km`` (mean run pace, s/km,
        lower = faster); ``previous``, ``current`` (the metric's unit); ``change`` (current -
        previous); ``change_pct`` (% of previous; NA when previous is 0 or missing);
        ``n_previous``, ``n_current`` (weeks, sessions or runs behind each value);
        ``status`` (``ok`` or ``not enough data``, then previous/current are NA).

    Raises
    ------
    MissingColumnsError
        If a canonical column is missing.
    ValueError
        If there are no sets or an option is not valid.

    Notes
    -----
    Each value comes from the same tables as :func:`reassess` (module docstring), computed
    for all athletes at once with a common ``end``.

    Examples
    --------
    >>> days = pd.to_datetime(["2026-10-06", "2026-10-13", "2026-10-20", "2026-11-03",
    ...     "2026-11-10", "2026-11-17"])
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": days, "exercise": "back_squat",
    ...     "side": "both", "set_index": 1, "reps": 5, "load_kg": [60.0, 60, 60, 70, 70, 70],
    ...     "duration_s": None, "rpe": None, "warmup": False})
    >>> out = squad_summary(sets, end="2026-11-22")
    >>> out[["metric", "previous", "current", "status"]].round(1)
                        metric  previous  current status
    0       back_squat_e1rm_kg      70.0     81.7     ok
    1        sessions_per_week       1.0      0.8     ok
    2  volume_load_kg_per_week     300.0    262.5     ok
    """
    tables, params = squad_tables(
        sets,
        runs,
        weeks=weeks,
        end=end,
        bodyweight=bodyweight,
        plan=None,
        target_per_week=target_per_week,
        threshold_pct=threshold_pct,
        formula=formula,
        summary_only=True,
    )
    end_day = pd.Timestamp(params["end"])
    start = tables["blocks"].set_index(BLOCK_INDEX).loc[0, BLOCK_START]
    return squad_metrics(
        tables, weeks=params["weeks"], current_weeks=((end_day - start).days + 1) / 7
    )


def squad_findings(
    sets: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    weeks: int = 4,
    end: Any = None,
    top: int = 3,
    bodyweight: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
    target_per_week: int = TARGET_PER_WEEK,
    threshold_pct: float = ASYMMETRY_THRESHOLD_PCT,
    formula: str = "epley",
) -> pd.DataFrame:
    """The ``top`` findings of every athlete (strength-pace correlations are left out).

    Parameters
    ----------
    sets, runs, weeks, end, bodyweight, target_per_week, threshold_pct, formula
        As for :func:`squad_summary`.
    top : int, default=3
        Findings kept per athlete (by rank).
    plan : DataFrame, default=None
        A plan from :func:`analysis.loaders.plan.read_plan`.

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.reassessment.findings.build_findings`, ranked per athlete, ``rank``
        at most ``top``, sorted by athlete and rank.

    Raises
    ------
    MissingColumnsError
        If a canonical column is missing.
    ValueError
        If there are no sets, ``top`` is not a positive integer, or an option is not valid.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-17"]),
    ...     "exercise": "back_squat", "side": "both", "set_index": 1, "reps": 5,
    ...     "load_kg": 60.0, "duration_s": None, "rpe": None, "warmup": False})
    >>> squad_findings(sets, end="2026-11-22", top=1)["finding"].tolist()
    ['1 of 1 week below the target of 2 sessions (week of 16 Nov).']
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"expected top to be a positive integer, got {top!r} instead.")
    tables, params = squad_tables(
        sets,
        runs,
        weeks=weeks,
        end=end,
        bodyweight=bodyweight,
        plan=plan,
        target_per_week=target_per_week,
        threshold_pct=threshold_pct,
        formula=formula,
        findings_only=True,
    )
    tables["problems"] = empty(PROBLEMS)
    found = build_findings(tables, params, runs_given=runs is not None and not runs.empty)
    return found[found["rank"] <= top].reset_index(drop=True)

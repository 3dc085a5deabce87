"""Seeded athletes with planted truth, as canonical frames, for simulation studies of the verdicts.

Each function returns canonical ``sets`` (and ``runs``) frames, exactly
:data:`analysis.columns.SETS` and :data:`analysis.columns.RUNS`, plus ``truth``: what a correct
reassessment should conclude (``expected_status`` and ``acceptable_statuses`` of
``lift_status``; ``weaker_side``, ``true_gap_pct`` and ``expected_trend`` of
``asymmetry_status``; ``expected_association`` of the strength-pace correlation) and a
``sessions`` (or ``weekly``) frame of the planted values.

Calendar
    ``weeks`` ISO weeks (default 12) from the Monday of ``start``, ending on a Sunday; sessions
    on Tue/Fri (1 a week: Wed; 3: Mon/Wed/Fri), each moved a day with probability ``jitter``.
    Dates are days (midnight). The truth's blocks are the last 4 weeks (current) and the 4
    before (previous), the blocks a default reassessment at the last logged date compares.
Model of a loaded lift
    The true e1RM ``T(t)`` follows the scenario; the day's e1RM is ``D = T exp(e)``,
    ``e ~ N(0, noise)``. At load ``L`` working set ``j`` (1-based) can go to failure at
    ``F = 30 (D / L - 1) - 0.5 (j - 1)`` reps (Epley inverted; half a rep lost per set done).
    Prescribed sets: the athlete does the prescribed ``r`` reps, fewer (``floor(F)``, at most 2
    short) when ``F < r``, one more when the day is a rep above trend. Capacity sets: the athlete
    chooses the load (70-85 % of ``D``, rounded) and stops ``rir`` (1-3) reps short of failure,
    ``round(F - rir + N(0, 0.5))`` (SD 0.4 per session, 0.3 per set). RPE, when logged, is
    ``10 - (F - reps)`` rounded to 0.5 and clipped to 5-10: the reps in reserve of the true
    daily e1RM (Epley; the RTS chart's e1RM of such a set is within about 1.5 % of ``D`` up to
    10 effective reps). Bodyweight reps and holds
    use a capacity in reps or seconds (5 s steps) the same way. Loads sit on the plate grid
    (2.5 kg barbell and machine lifts, 2 kg dumbbells and kettlebells); 80 % of sessions log a
    lighter warm-up set (half the load) before the working sets of a loaded lift.
Noise defaults (``noise=None``)
    Day-to-day e1RM CV 0.03 (0.035 in ``capacity_noisy``, 0 in ``identical_loads``): the 2-4 %
    of repeated 1RM tests. Bodyweight rep capacity CV 0.05 and hold time CV 0.08: reps and
    time to failure vary more than a 1RM. Asymmetry: side-specific CV 0.025 on top of a shared
    0.02, i.e. about 3.5 % on a session's left-right difference, the low end of the 3.7-13.7 %
    of Bishop et al. 2019 (domain.md section 4). Runs: 6 s/km per run around the week's level.

Scenarios (:data:`SCENARIOS`)
-----------------------------
:func:`simulate_lift`: ``linear`` (+1 plate step every 1.5-2 weeks, 3x5 or 3x8),
``capacity_noisy`` (``T`` +1 kg/week, load and reps by capacity), ``sets_up`` (3 -> 6 sets),
``reps_up`` (8 -> 13 reps at one load), ``deload`` (linear, 4 sets, a deload week 8 or 9: load
-40 % or 2 sets), ``heavy_light`` (3x5 at 82 % and 3x10 at 65 % of ``T``, ``T`` +2.5 kg/week),
``flat`` (same load and reps, ``T`` constant), ``falling`` (``T`` -1.5 kg/week, capacity
style), ``rpe_mixed`` (flat, RPE on 25 % of the sessions before the current block, 75 % in it),
``identical_loads`` (no noise, starts in the previous block with 3 sessions there, one missed
rep in the current block), ``new_lift`` (first trained in the current block, +1 step a week),
``bodyweight_foundation`` (12 -> 20 reps, load 0), ``hold_up`` (45 -> 75 s, reps NA).
:func:`simulate_asymmetry`: ``right_weaker_12`` (right 12 % weaker, one session the other way),
``symmetric``, ``closing_15_to_5`` (left weaker, 15 % -> 5 %), ``volume_only`` (left 15 %
weaker: one more set of 20 at a lighter load), ``bodyweight_loaded`` (step-up with dumbbells,
10 % gap in load + 0.8 bodyweight). Single-leg lifts are logged with one load for both sides
(reps differ) or a load per side (same reps), drawn per athlete (``style``).
:func:`simulate_strength_pace`: ``independent_trends``, ``independent_noise``,
``coupled_changes`` (weekly changes correlated ``coupling``, default -0.6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.sample.sim_lifts import (
    ASYMMETRY_SCENARIOS,
    BLOCK_WEEKS,
    LIFT_SCENARIOS,
    SETS_FILE,
    Part,
    asymmetry_athlete,
    catalog_row,
    lift_athlete,
)
from analysis.sample.sim_runs import (
    COUPLING,
    RUNS_FILE,
    STRENGTH_PACE_SCENARIOS,
    strength_pace_athlete,
)

__all__ = [
    "ASYMMETRY_SCENARIOS",
    "LIFT_SCENARIOS",
    "SCENARIOS",
    "STRENGTH_PACE_SCENARIOS",
    "simulate_asymmetry",
    "simulate_lift",
    "simulate_squad",
    "simulate_strength_pace",
]

#: Every scenario name, in the order of the module docstring.
SCENARIOS: tuple[str, ...] = LIFT_SCENARIOS + ASYMMETRY_SCENARIOS + STRENGTH_PACE_SCENARIOS
START = "2026-08-31"


def _check(func: str, scenario: str, names: tuple[str, ...], seed: object, **kw: Any) -> None:
    if scenario not in names:
        raise ValueError(f"{func}() expected scenario in {list(names)}, got {scenario!r} instead.")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"{func}() expected an integer seed, got {seed!r} instead.")
    weeks, per_week, first = kw["weeks"], kw["sessions_per_week"], kw["first_week"]
    if not (isinstance(weeks, int) and 2 * BLOCK_WEEKS <= weeks <= 104):
        raise ValueError(f"{func}() expected weeks from 8 to 104, got {weeks!r} instead.")
    if per_week not in (1, 2, 3):
        raise ValueError(f"{func}() expected sessions_per_week 1, 2 or 3, got {per_week!r}.")
    if first is not None and not (isinstance(first, int) and 1 <= first <= weeks):
        raise ValueError(f"{func}() expected first_week from 1 to {weeks}, got {first!r}.")
    if kw["noise"] is not None and not 0 <= kw["noise"] < 0.5:
        raise ValueError(f"{func}() expected noise from 0 to 0.5, got {kw['noise']!r}.")


def _sets_frame(parts: list[Part]) -> pd.DataFrame:
    sizes = [len(cols[C.DATE]) for _, _, cols in parts]
    out: dict[str, Any] = {
        name: np.concatenate([cols[name] for _, _, cols in parts]) for name in parts[0][2]
    }
    out[C.DATE] = out[C.DATE].astype("datetime64[us]")
    out[C.ATHLETE] = np.repeat([a for a, _, _ in parts], sizes)
    out[C.EXERCISE] = np.repeat([e for _, e, _ in parts], sizes)
    out[C.EXERCISE_RAW] = np.repeat([catalog_row(e)["name"] for _, e, _ in parts], sizes)
    out[C.SOURCE_FILE] = SETS_FILE
    out[C.SOURCE_ROW] = np.arange(sum(sizes)) + 2
    return C.conform(pd.DataFrame(out), C.SETS)


def _runs_frame(parts: list[tuple[str, dict[str, Any]]]) -> pd.DataFrame:
    sizes = [len(cols[C.DATE]) for _, cols in parts]
    out = {name: np.concatenate([cols[name] for _, cols in parts]) for name in parts[0][1]}
    frame = pd.DataFrame(out).assign(athlete=np.repeat([a for a, _ in parts], sizes))
    frame = frame.assign(source_file=RUNS_FILE, source_row=np.arange(len(frame)) + 2)
    return C.conform(frame, C.RUNS)


def simulate_lift(
    scenario: str,
    *,
    seed: int,
    athlete: str = "Sim",
    start: str = START,
    weeks: int = 12,
    sessions_per_week: int = 2,
    exercise: str | None = None,
    noise: float | None = None,
    rpe_share: float | tuple[float, float] | None = None,
    jitter: float = 0.1,
    first_week: int | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Canonical sets of one athlete doing one planted lift scenario; returns (sets, truth).

    Parameters
    ----------
    scenario : str
        One of :data:`LIFT_SCENARIOS` (see the module docstring for what each plants).
    seed : int
        Seed of ``numpy.random.default_rng``: the same seed gives equal frames and truth.
    athlete : str, default="Sim"
        The ``athlete`` of every row.
    start : str, default="2026-08-31"
        A date in the first week (the simulation starts on its Monday).
    weeks : int, default=12
        ISO weeks simulated (8-104); the last ends on a Sunday.
    sessions_per_week : int, default=2
        1, 2 or 3 sessions a week.
    exercise : str, optional
        Catalog key; default per scenario (``back_squat``, ``romanian_deadlift``,
        ``goblet_squat``, ``hip_thrust``; ``bodyweight_squat`` or ``glute_bridge``; ``plank`` or
        ``wall_sit``). A single-leg lift gets a left and a right row per set, legs alike.
    noise : float, optional
        Day-to-day CV of the true capacity (e1RM, bodyweight reps or hold time); ``None`` is
        the scenario's realistic default (module docstring).
    rpe_share : float or (float, float), optional
        Chance that a working set has an RPE; a pair is the chance that a session has RPE
        before and in the current block. Default per scenario: 0.5 in ``capacity_noisy``,
        ``deload``, ``heavy_light`` and ``falling``, (0.25, 0.75) in ``rpe_mixed``, else 0.
    jitter : float, default=0.1
        Chance that a session is moved one day.
    first_week : int, optional
        First week (1-based) the athlete logs; earlier weeks are "not started".

    Returns
    -------
    sets : DataFrame
        Columns and dtypes exactly :data:`analysis.columns.SETS`.
    truth : dict
        ``athlete, scenario, exercise, side`` (``"both"``, or ``("left", "right")``),
        ``metric`` (``load``, ``e1rm``, ``sets``, ``reps`` or ``hold``), ``expected_status``,
        ``acceptable_statuses``, ``true_change_per_week_kg`` (true e1RM, NaN without load),
        ``true_change_per_week_reps``, ``true_change_per_week_s``, ``true_e1rm_start_kg``,
        ``true_e1rm_end_kg``, ``deload_week`` and ``deload_kind``, ``stalled_since_week``,
        ``first_week``, ``not_started_weeks``, block starts, ``noise_cv``, scenario extras
        (``weeks_per_step``, ``rir``, ``heavy_pct``, ``blip_date``...) and ``sessions``: one
        row per session with ``true_e1rm_kg`` (trend), ``daily_e1rm_kg``, ``true_capacity``
        (reps or seconds to failure at trend), ``load_kg``, ``n_sets``, ``target``.

    Raises
    ------
    ValueError
        For an unknown scenario, a bad seed, weeks, sessions_per_week, first_week or noise, or
        an exercise whose load type does not fit the scenario.

    Examples
    --------
    >>> sets, truth = simulate_lift("linear", seed=1)
    >>> truth["expected_status"], truth["exercise"], sets["date"].max().day_name()
    ('progressing', 'back_squat', 'Friday')
    >>> bool((sets["load_kg"] % 2.5 == 0).all())
    True
    """
    _check("simulate_lift", scenario, LIFT_SCENARIOS, seed, weeks=weeks, noise=noise,
           sessions_per_week=sessions_per_week, first_week=first_week)  # fmt: skip
    part, truth = lift_athlete(
        np.random.default_rng(seed), scenario, athlete, start=start, weeks=weeks,
        sessions_per_week=sessions_per_week, exercise=exercise, noise=noise,
        rpe_share=rpe_share, jitter=jitter, first_week=first_week,
    )  # fmt: skip
    return _sets_frame([part]), truth


def simulate_asymmetry(
    scenario: str,
    *,
    seed: int,
    athlete: str = "Sim",
    start: str = START,
    weeks: int = 12,
    sessions_per_week: int = 2,
    exercise: str | None = None,
    noise: float | None = None,
    rpe_share: float | tuple[float, float] | None = None,
    jitter: float = 0.1,
    first_week: int | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Canonical sets of one single-leg lift with a planted left-right gap; returns (sets, truth).

    Parameters
    ----------
    scenario : str
        One of :data:`ASYMMETRY_SCENARIOS`.
    seed, athlete, start, weeks, sessions_per_week, rpe_share, jitter, first_week
        As in :func:`simulate_lift` (``rpe_share`` default 0).
    exercise : str, optional
        A single-leg external-load catalog key; default ``bulgarian_split_squat``
        (``single_leg_rdl`` in ``volume_only``, ``step_up`` in ``bodyweight_loaded``).
    noise : float, optional
        Side-specific day-to-day e1RM CV (default 0.025), on top of a shared 0.02.

    Returns
    -------
    sets : DataFrame
        Columns exactly :data:`analysis.columns.SETS`; a left and a right row per set.
    truth : dict
        ``weaker_side`` (``left``, ``right``, ``none``), ``true_gap_pct`` (Bishop's percentage
        difference of the true e1RMs, mean over the current block), ``true_gap_pct_previous``,
        ``true_asymmetry_pct`` (signed, + = right stronger), ``true_gap_pct_start`` and
        ``_end``, ``logged_gap_pct`` (the gap of the Epley e1RMs of the external load at the
        reps done on trend, before noise), ``expected_status``, ``acceptable_statuses``,
        ``expected_trend``, ``acceptable_trends``, ``style`` (``same_load``,
        ``per_side_load``, ``volume``), ``odd_session_date``, ``bodyweight_kg`` and
        ``bodyweight_fraction`` (``bodyweight_loaded``: the true e1RM is of load + fraction x
        bodyweight), ``first_week`` and ``sessions`` (per session and side: ``true_e1rm_kg``,
        ``daily_e1rm_kg``, ``load_kg``, ``gap_pct``).

    Examples
    --------
    >>> sets, truth = simulate_asymmetry("right_weaker_12", seed=3)
    >>> truth["weaker_side"], truth["true_gap_pct"], sorted(sets["side"].unique())
    ('right', 12.0, ['left', 'right'])
    """
    _check("simulate_asymmetry", scenario, ASYMMETRY_SCENARIOS, seed, weeks=weeks, noise=noise,
           sessions_per_week=sessions_per_week, first_week=first_week)  # fmt: skip
    part, truth = asymmetry_athlete(
        np.random.default_rng(seed), scenario, athlete, start=start, weeks=weeks,
        sessions_per_week=sessions_per_week, exercise=exercise, noise=noise,
        rpe_share=rpe_share, jitter=jitter, first_week=first_week,
    )  # fmt: skip
    return _sets_frame([part]), truth


def simulate_strength_pace(
    scenario: str,
    *,
    seed: int,
    athlete: str = "Sim",
    start: str = START,
    weeks: int = 12,
    sessions_per_week: int = 2,
    noise: float | None = None,
    pace_noise: float | None = None,
    coupling: float = COUPLING,
    rpe_share: float | tuple[float, float] | None = None,
    jitter: float = 0.1,
    first_week: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """A back squat and 3-4 runs a week with planted weekly truths; returns (sets, runs, truth).

    Parameters
    ----------
    scenario : str
        One of :data:`STRENGTH_PACE_SCENARIOS`: ``independent_trends`` (true e1RM +1 kg/week,
        easy pace -1.5 s/km/week, independent weekly fluctuations of SD 1.5 kg and 3 s/km),
        ``independent_noise`` (no trends, the same fluctuations) or ``coupled_changes``
        (weekly changes of SD 2 kg and 4 s/km, correlated ``coupling``).
    seed, athlete, start, weeks, sessions_per_week, rpe_share, jitter, first_week
        As in :func:`simulate_lift` (``first_week`` delays the lift only).
    noise : float, optional
        Day-to-day e1RM CV (default 0.03); the squat is logged capacity-style.
    pace_noise : float, optional
        SD (s/km) of one run's pace around the week's true level (default 6).
    coupling : float, default=-0.6
        Correlation of the true weekly changes in ``coupled_changes`` (stronger, faster).

    Returns
    -------
    sets, runs : DataFrame
        Exactly :data:`analysis.columns.SETS` and :data:`analysis.columns.RUNS`; runs are easy
        (Wed, Sat in about half the weeks), tempo (Thu) and long (Sun), with a start time.
    truth : dict
        ``expected_association``, ``true_r_changes``, ``realised_r_changes`` and
        ``realised_r_levels`` (of the true weekly series), the two trends, ``lag_weeks``
        (0), ``pace_noise_s_per_km``, ``sessions`` and ``weekly`` (``week_start``,
        ``true_e1rm_kg``, ``true_easy_pace_s_per_km``).

    Examples
    --------
    >>> sets, runs, truth = simulate_strength_pace("coupled_changes", seed=0)
    >>> truth["expected_association"], sorted(runs["run_type"].unique())
    (True, ['easy', 'long', 'tempo'])
    """
    _check("simulate_strength_pace", scenario, STRENGTH_PACE_SCENARIOS, seed, weeks=weeks,
           noise=noise, sessions_per_week=sessions_per_week, first_week=first_week)  # fmt: skip
    sets, run, truth = strength_pace_athlete(
        np.random.default_rng(seed), scenario, athlete, start=start, weeks=weeks,
        sessions_per_week=sessions_per_week, noise=noise, pace_noise=pace_noise,
        coupling=coupling, rpe_share=rpe_share, jitter=jitter, first_week=first_week,
    )  # fmt: skip
    return _sets_frame([sets]), _runs_frame([run]), truth


def simulate_squad(
    n: int,
    scenario: str,
    *,
    seed: int,
    start: str = START,
    weeks: int = 12,
    sessions_per_week: int = 2,
    noise: float | None = None,
    jitter: float = 0.1,
    mid_block_start: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """``n`` athletes ``Sim 001``, ``Sim 002``... of one scenario, for rate estimates.

    Parameters
    ----------
    n : int
        Number of athletes.
    scenario : str
        A name in :data:`SCENARIOS`, or ``"mixed"``: the lift scenarios in turn (athlete ``i``
        does ``LIFT_SCENARIOS[i % 13]``).
    seed : int
        Athlete ``i`` (0-based) draws from ``numpy.random.default_rng([seed, i])``.
    start, weeks, sessions_per_week, noise, jitter
        As in the single-athlete functions.
    mid_block_start : bool, default=False
        Each athlete starts in the middle of the previous block or of the current one (first
        week drawn from weeks ``weeks-6, weeks-5, weeks-2, weeks-1``); the truth lists the
        weeks before as ``not_started_weeks`` and widens the expectations (a start in the
        current block expects "not enough data").

    Returns
    -------
    sets : DataFrame
        All athletes' sets, exactly :data:`analysis.columns.SETS`.
    runs : DataFrame or None
        All runs for a strength-pace scenario, else None.
    truth : DataFrame
        One row per athlete (and side, for a single-leg lift in a lift scenario): the scalar
        and tuple entries of each athlete's truth (not the ``sessions``/``weekly`` frames).

    Examples
    --------
    >>> sets, runs, truth = simulate_squad(3, "mixed", seed=7)
    >>> truth[["athlete", "scenario"]].to_numpy().tolist()
    [['Sim 001', 'linear'], ['Sim 002', 'capacity_noisy'], ['Sim 003', 'sets_up']]
    >>> runs is None, sets["athlete"].nunique()
    (True, 3)
    """
    names = (*SCENARIOS, "mixed")
    _check("simulate_squad", scenario, names, seed, weeks=weeks, noise=noise,
           sessions_per_week=sessions_per_week, first_week=None)  # fmt: skip
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"simulate_squad() expected a positive integer n, got {n!r} instead.")
    width = max(3, len(str(n)))
    parts, run_parts, truths = [], [], []
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        kind = LIFT_SCENARIOS[i % len(LIFT_SCENARIOS)] if scenario == "mixed" else scenario
        first = int(rng.choice([weeks - 6, weeks - 5, weeks - 2, weeks - 1]))
        kw: dict[str, Any] = dict(
            start=start, weeks=weeks, sessions_per_week=sessions_per_week, noise=noise,
            jitter=jitter, first_week=first if mid_block_start else None,
        )  # fmt: skip
        athlete = f"Sim {i + 1:0{width}d}"
        if kind in STRENGTH_PACE_SCENARIOS:
            part, run, truth = strength_pace_athlete(rng, kind, athlete, **kw)
            run_parts.append(run)
        elif kind in ASYMMETRY_SCENARIOS:
            part, truth = asymmetry_athlete(rng, kind, athlete, **kw)
        else:
            part, truth = lift_athlete(rng, kind, athlete, **kw)
        parts.append(part)
        truths.append({k: v for k, v in truth.items() if not isinstance(v, pd.DataFrame)})
    table = pd.DataFrame(truths)
    if "side" in table and table["side"].map(lambda s: isinstance(s, tuple)).any():
        table = table.explode("side", ignore_index=True)
    return _sets_frame(parts), _runs_frame(run_parts) if run_parts else None, table

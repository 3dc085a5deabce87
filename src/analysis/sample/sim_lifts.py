"""Engine of :mod:`analysis.sample.simulate`: calendar, set rendering and the planted lift scenarios.

The model (capacity, fixed and free reps, RPE) is described in :mod:`analysis.sample.simulate`.
Everything here works on numpy arrays; :mod:`analysis.sample.simulate` builds the canonical frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.catalog import exercise_info

SETS_FILE = "simulated_sets.csv"
Part = tuple[str, str, dict[str, np.ndarray]]  # athlete, exercise, rendered set columns
BLOCK_WEEKS = 4  # the reassessment block the truth refers to (DESIGN.md default)
FATIGUE_REPS = 0.5  # reps to failure lost per working set already done
RIR_NOISE = (0.4, 0.3)  # SD (reps) of where a free-rep set stops: per session, per set
WARMUP_SHARE = 0.8  # share of sessions whose first exercise has a logged warm-up set
SESSION_DAYS = {1: (2,), 2: (1, 4), 3: (0, 2, 4)}  # days after Monday
# barbell and machine lifts load in 2.5 kg steps; dumbbells and kettlebells in 2 kg steps
BARBELL = frozenset(
    "back_squat front_squat box_squat romanian_deadlift deadlift sumo_deadlift "
    "trap_bar_deadlift good_morning hip_thrust leg_press single_leg_press "
    "standing_calf_raise seated_calf_raise leg_curl leg_extension hip_abduction_machine".split()
)
# typical true 1RM (kg) of a trained 60-75 kg runner; other external lifts use 40
BASE_E1RM = {
    "back_squat": 90.0, "front_squat": 70.0, "romanian_deadlift": 85.0, "deadlift": 110.0,
    "trap_bar_deadlift": 110.0, "hip_thrust": 110.0, "goblet_squat": 40.0,
    "bulgarian_split_squat": 45.0, "split_squat": 50.0, "single_leg_rdl": 35.0, "step_up": 40.0,
}  # fmt: skip


def step_kg(exercise: str) -> float:
    """Plate step of ``exercise``: 2.5 kg for barbell and machine lifts, else 2 kg."""
    return 2.5 if exercise in BARBELL else 2.0


def snap(load: Any, step: float) -> np.ndarray:
    """Round loads to the plate grid, never below one step."""
    return np.maximum(np.round(np.asarray(load, dtype=float) / step) * step, step)


def epley_reps(e1rm: Any, load: Any) -> np.ndarray:
    """Reps to failure at ``load`` for a daily 1RM ``e1rm`` (Epley inverted)."""
    return 30.0 * (np.asarray(e1rm, dtype=float) / np.asarray(load, dtype=float) - 1.0)


def catalog_row(exercise: str) -> pd.Series:
    """The catalog row of ``exercise`` (ValueError for an unknown key)."""
    info = exercise_info().set_index("exercise")
    if exercise not in info.index:
        raise ValueError(
            f"exercise expected a catalog key such as 'back_squat', got {exercise!r} instead."
        )
    return info.loc[exercise]


@dataclass
class Calendar:
    """Training sessions: one entry per session, in date order."""

    day: np.ndarray  # datetime64[D]
    week: np.ndarray  # 0-based week of the simulation
    slot: np.ndarray  # 0-based session of the week
    t: np.ndarray  # weeks since the first Monday (float)
    monday: np.datetime64
    weeks: int


def calendar(
    rng: np.random.Generator, start: str, weeks: int, per_week: int, jitter: float
) -> Calendar:
    """Sessions on fixed weekdays (Tue/Fri for 2 a week); a session moves a day with ``jitter``."""
    stamp = pd.Timestamp(start).normalize()
    monday = np.datetime64((stamp - pd.Timedelta(days=stamp.day_of_week)).date(), "D")
    base = np.array(SESSION_DAYS[per_week])
    days = np.tile(base, (weeks, 1))
    moved = days + np.where(rng.random(days.shape) < jitter, rng.choice([-1, 1], days.shape), 0)
    moved = np.clip(moved, 0, 6)
    for i in range(1, per_week):  # two sessions never share a day
        clash = moved[:, i] <= moved[:, i - 1]
        moved[clash, i], moved[clash, i - 1] = base[i], base[i - 1]
    week = np.repeat(np.arange(weeks), per_week)
    dow = moved.ravel()
    return Calendar(
        day=monday + 7 * week + dow,
        week=week,
        slot=np.tile(np.arange(per_week), weeks),
        t=week + dow / 7.0,
        monday=monday,
        weeks=weeks,
    )


@dataclass
class Plan:
    """What an athlete set out to do, one entry per session and side, and what they could do.

    ``cap`` is the capacity on the first working set that day (reps to failure at ``load``, or
    hold seconds to failure); ``cap_trend`` the same at the athlete's true trend (no daily
    noise). Fixed entries do ``target`` reps unless the set fails (capacity below target) or the
    day is a good one (capacity a ``unit`` above trend: one more); free entries stop ``rir``
    reps short of failure.
    """

    day: np.ndarray
    week: np.ndarray
    side: np.ndarray
    n_sets: np.ndarray
    load: np.ndarray
    target: np.ndarray
    cap: np.ndarray
    cap_trend: np.ndarray
    free: Any = False
    rir: Any = 2.0
    warm: Any = False
    rpe_p: Any = 0.0
    unit: float = 1.0
    fatigue: float = FATIGUE_REPS
    hold: bool = False

    def arrays(self) -> dict[str, np.ndarray]:
        n = self.day.size
        names = ("n_sets", "load", "target", "cap", "cap_trend", "free", "rir", "warm", "rpe_p")
        return {k: np.broadcast_to(np.asarray(getattr(self, k)), (n,)) for k in names}


def render(plan: Plan, rng: np.random.Generator, step: float) -> dict[str, np.ndarray]:
    """Logged sets of a plan: warm-up row first, then the working sets, per entry."""
    a = plan.arrays()
    warm = a["warm"].astype(bool)
    n_rows = a["n_sets"].astype(int) + warm
    e = np.repeat(np.arange(plan.day.size), n_rows)
    pos = np.arange(e.size) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    is_warm = warm[e] & (pos == 0)
    j = pos - warm[e]
    u, target = plan.unit, a["target"][e].astype(float)
    cap = a["cap"][e] - plan.fatigue * j
    surplus = a["cap"][e] - a["cap_trend"][e] - plan.fatigue * j
    failed = np.maximum(np.floor(cap / u) * u, np.maximum(target - 2 * u, u))
    fixed = np.where(cap < target, failed, np.where(surplus >= u, target + u, target))
    stop = rng.normal(0, RIR_NOISE[0], plan.day.size)[e] + rng.normal(0, RIR_NOISE[1], e.size)
    free = np.maximum(np.round((cap - a["rir"][e] + stop) / u) * u, u)
    done = np.where(a["free"][e], free, fixed)
    load = a["load"][e].astype(float)
    warm_load = snap(load / 2, step) if step else load
    done = np.where(is_warm, np.where(target > 0, np.minimum(target + 3, 10), 8), done)
    load = np.where(is_warm, np.minimum(warm_load, load), load)
    rpe = np.clip(np.round(2 * (10 - (cap - done))) / 2, 5, 10)
    logged = ~is_warm & (rng.random(e.size) < a["rpe_p"][e]) & (load > 0) & (not plan.hold)
    side_rank = np.select([plan.side == "left", plan.side == "right"], [0, 1], 2)[e]
    order = np.lexsort((side_rank, pos, plan.day[e]))
    return {
        C.DATE: plan.day[e][order],
        C.SIDE: plan.side[e][order],
        C.SET_INDEX: pos[order] + 1,
        C.REPS: np.where(plan.hold, np.nan, done)[order],
        C.LOAD_KG: load[order],
        C.DURATION_S: np.where(plan.hold, done, np.nan)[order],
        C.RPE: np.where(logged, rpe, np.nan)[order],
        C.WARMUP: is_warm[order],
    }


def rpe_probability(
    rng: np.random.Generator, cal: Calendar, share: float | tuple[float, float]
) -> np.ndarray:
    """RPE chance: a float is per set, a pair (before, in the current block) per session."""
    if isinstance(share, tuple):
        current = cal.week >= cal.weeks - BLOCK_WEEKS
        p = np.where(current, share[1], share[0])
        return (rng.random(cal.day.size) < p).astype(float)
    return np.full(cal.day.size, float(share))


def truth_base(scenario: str, exercise: str, cal: Calendar, noise: float) -> dict[str, Any]:
    """Keys every single-athlete truth has: calendar, blocks and noise."""
    end = cal.monday + 7 * cal.weeks - 1
    return {
        "scenario": scenario,
        "exercise": exercise,
        "start": pd.Timestamp(cal.monday),
        "end": pd.Timestamp(end),
        "weeks": cal.weeks,
        "previous_block_start": pd.Timestamp(cal.monday + 7 * (cal.weeks - 2 * BLOCK_WEEKS)),
        "current_block_start": pd.Timestamp(cal.monday + 7 * (cal.weeks - BLOCK_WEEKS)),
        "noise_cv": float(noise),
    }


def check_exercise(func: str, exercise: str, load_type: str, unilateral: bool | None) -> None:
    row = catalog_row(exercise)
    if row["load_type"] != load_type or unilateral not in (None, bool(row["unilateral"])):
        kind = {None: "", True: "single-leg ", False: ""}[unilateral]
        raise ValueError(
            f"{func}() expected a {kind}{load_type} exercise for this scenario, "
            f"got {exercise!r} ({row['load_type']}) instead."
        )


def start_at(plan: Plan, sessions: pd.DataFrame, first_week: int | None):
    if first_week is None:
        return plan, sessions
    keep = sessions["week"].to_numpy() >= first_week
    return take(plan, plan.week >= first_week - 1), sessions[keep].reset_index(drop=True)


def widen(truth: dict[str, Any], first: int, weeks: int, key: str = "status") -> None:
    """Widen the expectations of an athlete whose first logged week is ``first``."""
    truth["first_week"], truth["not_started_weeks"] = first, tuple(range(1, first))
    if first > weeks - BLOCK_WEEKS:  # nothing logged in the previous block
        truth[f"expected_{key}"] = "not enough data"
    if first > weeks - 2 * BLOCK_WEEKS + 1:
        plural = f"acceptable_{key}es" if key == "status" else f"acceptable_{key}s"
        truth[plural] = tuple(dict.fromkeys(("not enough data", *truth[plural])))


# scenario: expected status, acceptable statuses, metric progress is judged on
LIFT_EXPECTED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "linear": ("progressing", ("progressing",), "load"),
    "capacity_noisy": ("progressing", ("progressing",), "e1rm"),
    "sets_up": ("progressing", ("progressing",), "sets"),
    "reps_up": ("progressing", ("progressing",), "reps"),
    "deload": ("progressing", ("progressing",), "load"),
    "heavy_light": ("progressing", ("progressing",), "e1rm"),
    "flat": ("stalled", ("stalled",), "e1rm"),
    "falling": ("regressing", ("regressing",), "e1rm"),
    "rpe_mixed": ("stalled", ("holding", "stalled"), "e1rm"),
    # identical prescribed loads for 7 weeks: no change may be called real from a zero noise
    # estimate; by the runners' rule (progress every 2-3 weeks) it is a stall
    "identical_loads": ("stalled", ("not enough data", "holding", "stalled"), "e1rm"),
    "new_lift": ("not enough data", ("not enough data", "progressing"), "load"),
    "bodyweight_foundation": ("progressing", ("progressing",), "reps"),
    "hold_up": ("progressing", ("progressing",), "hold"),
}
LIFT_SCENARIOS = tuple(LIFT_EXPECTED)
# scenario: default exercise (or choices), noise CV, RPE share (a pair: per session, by block)
LIFT_DEFAULTS: dict[str, tuple[str | tuple[str, ...], float, float | tuple[float, float]]] = {
    "linear": ("back_squat", 0.03, 0.0), "capacity_noisy": ("romanian_deadlift", 0.035, 0.5),
    "sets_up": ("goblet_squat", 0.03, 0.0), "reps_up": ("goblet_squat", 0.03, 0.0),
    "deload": ("back_squat", 0.03, 0.5), "heavy_light": ("back_squat", 0.03, 0.5),
    "flat": ("romanian_deadlift", 0.03, 0.0), "falling": ("back_squat", 0.03, 0.5),
    "rpe_mixed": ("back_squat", 0.03, (0.25, 0.75)), "identical_loads": ("goblet_squat", 0.0, 0.0),
    "new_lift": ("hip_thrust", 0.03, 0.0),
    "bodyweight_foundation": (("bodyweight_squat", "glute_bridge"), 0.05, 0.0),
    "hold_up": (("plank", "wall_sit"), 0.08, 0.0),
}  # fmt: skip
HEAVY_PCT, LIGHT_PCT = 0.82, 0.65  # heavy_light: share of the true trend 1RM per day


def build_lift(
    rng: np.random.Generator,
    scenario: str,
    cal: Calendar,
    exercise: str,
    noise: float,
    rpe_p: np.ndarray,
) -> tuple[Plan, dict[str, Any], pd.DataFrame]:
    """Plan, truth and per-session truth of one planted lift scenario (bilateral entries)."""
    n, weeks, t, week = cal.day.size, cal.weeks, cal.t, cal.week
    step = step_kg(exercise)
    base = BASE_E1RM.get(exercise, 40.0) * rng.lognormal(0, 0.15)
    k = float(rng.choice([1.5, 2.0, 2.5]))  # reps in reserve the program leaves at the trend
    truth: dict[str, Any] = {"deload_week": None, "deload_kind": None, "stalled_since_week": None}
    n_sets = np.full(n, 3)
    free, rir, unit, fatigue, hold = False, k, 1.0, FATIGUE_REPS, False
    gain = 0.0  # true e1RM change, kg per week
    if scenario in ("linear", "deload", "new_lift", "rpe_mixed", "flat", "identical_loads"):
        reps = {"linear": int(rng.choice([5, 8])), "deload": 5, "rpe_mixed": 5}.get(scenario, 8)
        factor = 1 + (reps + k) / 30
        load0 = float(snap(base / factor, step))
        progress = scenario in ("linear", "deload")
        interval = rng.uniform(1.5, 2.0) if progress else {"new_lift": 1.0}.get(scenario, np.inf)
        t0 = float(weeks - BLOCK_WEEKS) if scenario == "new_lift" else 0.0
        load = load0 + step * np.floor(np.maximum(t - t0, 0) / interval)
        trend = (load0 + step * np.maximum(t - t0, 0) / interval) * factor
        gain = step / interval * factor
        target = np.full(n, reps)
        if progress:
            truth["weeks_per_step"] = float(interval)
        if scenario == "deload":
            n_sets[:] = 4
            dw = weeks - BLOCK_WEEKS - 1 + int(rng.integers(0, 2))
            kind = str(rng.choice(["load", "sets"]))
            in_dw = week == dw
            load = np.where(in_dw & (kind == "load"), snap(0.6 * load, step), load)
            n_sets[in_dw & (kind == "sets")] = 2
            truth.update(deload_week=dw + 1, deload_kind=kind)
        if scenario in ("flat", "rpe_mixed"):
            truth["stalled_since_week"] = 1
    elif scenario in ("capacity_noisy", "falling"):
        gain = 1.0 if scenario == "capacity_noisy" else -1.5
        trend = base * (1.15 if gain < 0 else 1.0) + gain * t
        free, rir = True, float(rng.integers(1, 4))
        n_sets[:] = int(rng.choice([3, 4]))
        target = np.zeros(n)
        truth["rir"] = rir
    elif scenario in ("sets_up", "reps_up"):
        k = 3.0 if scenario == "sets_up" else k
        reps0 = 10 if scenario == "sets_up" else 8
        load = np.full(n, float(snap(base / (1 + (reps0 + k) / 30), step)))
        if scenario == "sets_up":
            n_sets = 3 + (week * 4) // weeks
            target, trend = np.full(n, reps0), load * (1 + (reps0 + k) / 30)
        else:
            target = reps0 + week // 2
            trend = load * (1 + (reps0 + t / 2 + k) / 30)
            gain = load[0] / 60
            truth["true_change_per_week_reps"] = 0.5
    elif scenario == "heavy_light":
        gain = 2.5
        trend = base + gain * t
        heavy = cal.slot % 2 == 0
        load = snap(np.where(heavy, HEAVY_PCT, LIGHT_PCT) * trend, step)
        target = np.where(heavy, 5, 10)
        truth.update(heavy_pct=HEAVY_PCT, light_pct=LIGHT_PCT)
    else:  # bodyweight_foundation, hold_up: capacity in reps or seconds, no load
        hold = scenario == "hold_up"
        lo, hi, reserve = (45.0, 75.0, 15.0) if hold else (12.0, 20.0, 5.0)
        unit, fatigue = (5.0, 3.0) if hold else (1.0, FATIGUE_REPS)
        target = lo + unit * np.round((hi - lo) / unit * week / (weeks - 1))
        cap_trend = lo + (hi - lo) * t / (weeks - 1) + reserve
        cap = cap_trend * np.exp(rng.normal(0, noise, n))
        load = np.zeros(n)
        key = "true_change_per_week_s" if hold else "true_change_per_week_reps"
        truth[key] = (hi - lo) / (weeks - 1)
        trend = np.full(n, np.nan)
    if np.isfinite(trend).all():
        daily = trend * np.exp(rng.normal(0, noise, n))
        if free:
            pct = np.clip(rng.uniform(0.72, 0.80) + rng.normal(0, 0.025, n), 0.70, 0.85)
            load = snap(daily * pct, step)
        cap, cap_trend = epley_reps(daily, load), epley_reps(trend, load)
    else:
        daily = trend
    keep = np.ones(n, dtype=bool)
    if scenario == "identical_loads":
        first = weeks - 2 * BLOCK_WEEKS
        previous = np.flatnonzero((week >= first) & (week < weeks - BLOCK_WEEKS))
        keep = (week >= weeks - BLOCK_WEEKS) | np.isin(
            np.arange(n), rng.choice(previous, 3, replace=False)
        )
        blip = int(rng.choice(np.flatnonzero(week >= weeks - BLOCK_WEEKS)))
        cap[blip] = target[blip] + fatigue * (n_sets[blip] - 1) - 0.5  # last set one rep short
        truth["blip_date"] = pd.Timestamp(cal.day[blip])
    elif scenario == "new_lift":
        keep = week >= weeks - BLOCK_WEEKS
    loaded = bool((load > 0).any())
    plan = Plan(
        day=cal.day,
        week=week,
        side=np.full(n, "both", dtype=object),
        n_sets=n_sets,
        load=load,
        target=target,
        cap=cap,
        cap_trend=cap_trend,
        free=free,
        rir=rir,
        warm=loaded & (rng.random(n) < WARMUP_SHARE),
        rpe_p=rpe_p,
        unit=unit,
        fatigue=fatigue,
        hold=hold,
    )
    plan = take(plan, keep)
    sessions = pd.DataFrame(
        {
            "date": cal.day[keep].astype("datetime64[us]"),
            "week": week[keep] + 1,
            "true_e1rm_kg": trend[keep],
            "daily_e1rm_kg": daily[keep],
            "true_capacity": cap_trend[keep],
            "load_kg": load[keep],
            "n_sets": n_sets[keep],
            "target": target[keep],
        }
    )
    truth["true_change_per_week_kg"] = float(gain) if loaded else np.nan
    truth.setdefault("true_change_per_week_reps", 0.0 if not hold else np.nan)
    truth.setdefault("true_change_per_week_s", np.nan)
    return plan, truth, sessions


def take(plan: Plan, index: np.ndarray) -> Plan:
    """The entries of ``plan`` at ``index`` (a boolean mask or positions)."""
    n = plan.day.size
    return Plan(
        **{
            name: np.broadcast_to(np.asarray(value), (n,))[index] if np.ndim(value) else value
            for name, value in vars(plan).items()
        }
    )


def lift_athlete(
    rng: np.random.Generator, scenario: str, athlete: str, *, start: str, weeks: int,
    sessions_per_week: int, exercise: str | None = None, noise: float | None = None,
    rpe_share: float | tuple[float, float] | None = None, jitter: float = 0.1,
    first_week: int | None = None,
) -> tuple[Part, dict[str, Any]]:  # fmt: skip
    """Rendered sets and truth of one athlete of a lift scenario."""
    default_exercise, default_noise, default_share = LIFT_DEFAULTS[scenario]
    pick = isinstance(default_exercise, tuple)  # drawn even when given: same later draws
    drawn = str(rng.choice(default_exercise)) if pick else str(default_exercise)
    exercise = drawn if exercise is None else exercise
    load_type = {"bodyweight_foundation": "bodyweight", "hold_up": "time"}.get(scenario, "external")
    check_exercise("simulate_lift", exercise, load_type, None)
    noise = default_noise if noise is None else float(noise)
    cal = calendar(rng, start, weeks, sessions_per_week, jitter)
    rpe_p = rpe_probability(rng, cal, default_share if rpe_share is None else rpe_share)
    plan, built, sessions = build_lift(rng, scenario, cal, exercise, noise, rpe_p)
    side: str | tuple[str, str] = "both"
    if bool(catalog_row(exercise)["unilateral"]):  # both legs alike, a left and a right row
        side = ("left", "right")
        plan = take(plan, np.repeat(np.arange(plan.day.size), 2))
        plan.side = np.tile(np.array(side, dtype=object), plan.day.size // 2)
    plan, sessions = start_at(plan, sessions, first_week)
    expected, acceptable, metric = LIFT_EXPECTED[scenario]
    truth = {"athlete": athlete, **truth_base(scenario, exercise, cal, noise), "side": side}
    truth.update(metric=metric, expected_status=expected, acceptable_statuses=acceptable)
    truth.update(built)
    first = int(sessions["week"].iloc[0])
    truth.update(first_week=first, not_started_weeks=tuple(range(1, first)))
    if first_week is not None:
        widen(truth, first, weeks)
    if truth["deload_week"] is not None and truth["deload_week"] < first:
        truth["deload_week"] = truth["deload_kind"] = None
    truth.update(
        true_e1rm_start_kg=float(sessions["true_e1rm_kg"].iloc[0]),
        true_e1rm_end_kg=float(sessions["true_e1rm_kg"].iloc[-1]),
        sessions=sessions,
    )
    return (athlete, exercise, render(plan, rng, step_kg(exercise))), truth


# scenario: exercise, weaker side (None = drawn), gap at week 1 and at the last week, expected
# status, acceptable statuses, expected trend, acceptable trends
ASYMMETRY_EXPECTED: dict[str, tuple[Any, ...]] = {
    "right_weaker_12": ("bulgarian_split_squat", "right", 0.12, 0.12, "imbalanced",
                        ("imbalanced",), "stable", ("stable",)),
    "symmetric": ("bulgarian_split_squat", "none", 0.0, 0.0, "balanced", ("balanced",), "stable",
                  ("stable",)),
    "closing_15_to_5": ("bulgarian_split_squat", "left", 0.15, 0.05, "imbalanced",
                        ("imbalanced", "balanced"), "closing", ("closing",)),
    "volume_only": ("single_leg_rdl", "left", 0.15, 0.15, "imbalanced", ("imbalanced",),
                    "stable", ("stable",)),
    "bodyweight_loaded": ("step_up", None, 0.10, 0.10, "imbalanced", ("imbalanced",), "stable",
                          ("stable",)),
}  # fmt: skip
ASYMMETRY_SCENARIOS = tuple(ASYMMETRY_EXPECTED)
SHARED_CV = 0.02  # daily form shared by both legs; the side-specific part is ``noise``
ASYMMETRY_NOISE = 0.025


def build_asymmetry(
    rng: np.random.Generator,
    scenario: str,
    cal: Calendar,
    exercise: str,
    noise: float,
    rpe_p: np.ndarray,
) -> tuple[Plan, dict[str, Any], pd.DataFrame]:
    """Plan (a left and a right entry per session), truth and per-side session truth."""
    _, weaker, g0, g1, status, statuses, trend_word, trends = ASYMMETRY_EXPECTED[scenario]
    weaker = weaker or str(rng.choice(["left", "right"]))
    n, t, step = cal.day.size, cal.t, step_kg(exercise)
    bw, frac = 0.0, 0.0
    if scenario == "bodyweight_loaded":
        bw = float(np.round(rng.uniform(55, 78), 1))
        frac = float(catalog_row(exercise)["bodyweight_fraction"])
    gap = g0 + (g1 - g0) * np.clip(t / (cal.weeks - 1), 0, 1)
    strong = (BASE_E1RM.get(exercise, 40.0) + frac * bw) * rng.lognormal(0, 0.15) * (1 + 0.005 * t)
    left_weak = np.full(n, weaker == "left")
    odd = None
    if scenario == "right_weaker_12":
        odd = int(rng.integers(n // 4, 3 * n // 4))
        left_weak[odd] = True
    trend = np.where(left_weak, [strong * (1 - gap), strong], [strong, strong * (1 - gap)])
    daily = trend * np.exp(rng.normal(0, SHARED_CV, n) + rng.normal(0, noise, (2, n)))
    style = {"volume_only": "volume", "bodyweight_loaded": "same_load"}.get(
        scenario, str(rng.choice(["same_load", "per_side_load"]))
    )
    rir = float(rng.integers(1, 4))
    n_sets = np.full((2, n), 3)
    free, target, warm = style == "same_load", np.zeros((2, n)), rng.random(n) < WARMUP_SHARE
    if style == "same_load":
        load = np.broadcast_to(snap(0.75 * trend.mean(axis=0) - frac * bw, step), (2, n))
    elif style == "per_side_load":
        load, target[:] = snap(trend / (1 + (8 + rir) / 30), step), 8
    else:  # the weaker side does one more set at a lighter load, 20 reps a set
        load, target[:], warm = snap(trend / (1 + 23 / 30), step), 20, np.zeros(n, dtype=bool)
        w = 0 if weaker == "left" else 1
        load[w] = np.minimum(load[w], load[1 - w] - step)
        n_sets[1 - w] = 2
    system = load + frac * bw
    cap, cap_trend = epley_reps(daily, system), epley_reps(trend, system)
    plan = Plan(
        day=np.concatenate([cal.day, cal.day]),
        week=np.concatenate([cal.week, cal.week]),
        side=np.repeat(np.array(["left", "right"], dtype=object), n),
        n_sets=n_sets.ravel(),
        load=load.ravel(),
        target=target.ravel(),
        cap=cap.ravel(),
        cap_trend=cap_trend.ravel(),
        free=free,
        rir=rir,
        warm=np.tile(warm, 2),
        rpe_p=np.tile(rpe_p, 2),
    )
    sign = {"left": 1.0, "right": -1.0, "none": 0.0}[weaker]
    reps_trend = np.maximum(cap_trend - rir, 1) if free else target
    external = load * (1 + reps_trend / 30)
    truth: dict[str, Any] = {
        "weaker_side": weaker if g0 or g1 else "none",
        "true_gap_pct_start": 100 * g0,
        "true_gap_pct_end": 100 * g1,
        "expected_status": status,
        "acceptable_statuses": statuses,
        "expected_trend": trend_word,
        "acceptable_trends": trends,
        "style": style,
        "odd_session_date": None if odd is None else pd.Timestamp(cal.day[odd]),
        "bodyweight_kg": bw or np.nan,
        "bodyweight_fraction": frac or np.nan,
        "shared_noise_cv": SHARED_CV,
    }
    sessions = pd.DataFrame(
        {
            "date": np.tile(cal.day, 2).astype("datetime64[us]"),
            "week": np.tile(cal.week, 2) + 1,
            "side": plan.side,
            "true_e1rm_kg": trend.ravel(),
            "daily_e1rm_kg": daily.ravel(),
            "load_kg": load.ravel(),
            "n_sets": n_sets.ravel(),
            "gap_pct": np.tile(100 * gap * np.where(left_weak, 1, -1) * sign, 2),
            "external_gap_pct": np.tile(100 * (1 - external.min(0) / external.max(0)), 2),
        }
    )
    return plan, truth, sessions


def asymmetry_athlete(
    rng: np.random.Generator, scenario: str, athlete: str, *, start: str, weeks: int,
    sessions_per_week: int, exercise: str | None = None, noise: float | None = None,
    rpe_share: float | tuple[float, float] | None = None, jitter: float = 0.1,
    first_week: int | None = None,
) -> tuple[Part, dict[str, Any]]:  # fmt: skip
    """Rendered sets and truth of one athlete of an asymmetry scenario."""
    exercise = exercise or ASYMMETRY_EXPECTED[scenario][0]
    check_exercise("simulate_asymmetry", exercise, "external", True)
    noise = ASYMMETRY_NOISE if noise is None else float(noise)
    cal = calendar(rng, start, weeks, sessions_per_week, jitter)
    rpe_p = rpe_probability(rng, cal, 0.0 if rpe_share is None else rpe_share)
    plan, built, sessions = build_asymmetry(rng, scenario, cal, exercise, noise, rpe_p)
    plan, sessions = start_at(plan, sessions, first_week)
    truth = {"athlete": athlete, **truth_base(scenario, exercise, cal, noise), **built}
    left = sessions[sessions["side"] == "left"]
    usual = left[left["date"] != built["odd_session_date"]] if built["odd_session_date"] else left
    current = usual["week"] > weeks - BLOCK_WEEKS
    previous = ~current & (usual["week"] > weeks - 2 * BLOCK_WEEKS)
    sign = {"left": 1, "right": -1, "none": 0}[truth["weaker_side"]]
    truth.update(
        true_gap_pct=float(usual.loc[current, "gap_pct"].mean()),
        true_gap_pct_previous=float(usual.loc[previous, "gap_pct"].mean()),
        true_asymmetry_pct=sign * float(usual.loc[current, "gap_pct"].mean()),
        logged_gap_pct=float(usual.loc[current, "external_gap_pct"].mean()),
    )
    first = int(sessions["week"].iloc[0])
    truth.update(first_week=first, not_started_weeks=tuple(range(1, first)), sessions=sessions)
    if first_week is not None:
        widen(truth, first, weeks)
        widen(truth, first, weeks, key="trend")
    return (athlete, exercise, render(plan, rng, step_kg(exercise))), truth

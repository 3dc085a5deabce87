"""Strength-and-pace scenarios of :mod:`analysis.sample.simulate`: weekly truths, the lift, the runs.

The weekly true levels of strength (e1RM, kg) and easy pace (s/km) are planted first; the lift
is logged capacity-style from the strength level (:mod:`analysis.sample.sim_lifts`) and the runs
from the pace level. See :mod:`analysis.sample.simulate` for the scenarios and the noise defaults.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.sample.sim_lifts import (
    BASE_E1RM,
    WARMUP_SHARE,
    Calendar,
    Part,
    Plan,
    calendar,
    epley_reps,
    render,
    rpe_probability,
    snap,
    start_at,
    step_kg,
    truth_base,
)

RUNS_FILE = "simulated_runs.csv"
# scenario: (strength trend kg/week, easy-pace trend s/km/week, coupled weekly changes)
STRENGTH_PACE: dict[str, tuple[float, float, bool]] = {
    "independent_trends": (1.0, -1.5, False),
    "independent_noise": (0.0, 0.0, False),
    "coupled_changes": (0.0, 0.0, True),
}
STRENGTH_PACE_SCENARIOS = tuple(STRENGTH_PACE)
LEVEL_SD = (1.5, 3.0)  # weekly fluctuation of the true levels: kg, s/km (independent scenarios)
CHANGE_SD = (2.0, 4.0)  # SD of the true weekly changes: kg, s/km (coupled scenario)
COUPLING = -0.6  # correlation of the weekly changes in coupled_changes
PACE_NOISE = 6.0  # SD (s/km) of one run's pace around the athlete's true level that week
RUN_SLOTS = ((2, "easy"), (3, "tempo"), (5, "easy"), (6, "long"))  # the Saturday run is optional


def weekly_truth(
    rng: np.random.Generator, scenario: str, weeks: int, coupling: float
) -> tuple[np.ndarray, np.ndarray]:
    """True weekly e1RM (kg) and easy pace (s/km) of one athlete."""
    trend_s, trend_p, coupled = STRENGTH_PACE[scenario]
    s0 = BASE_E1RM["back_squat"] * rng.lognormal(0, 0.15)
    p0 = rng.uniform(330, 400)
    w = np.arange(weeks)
    if coupled:
        cov = np.array([[1.0, coupling], [coupling, 1.0]]) * np.outer(CHANGE_SD, CHANGE_SD)
        change = rng.multivariate_normal([trend_s, trend_p], cov, weeks - 1)
        steps = np.vstack([[0.0, 0.0], change]).cumsum(axis=0)
        return s0 + steps[:, 0], p0 + steps[:, 1]
    z = rng.normal(0, 1, (2, weeks))
    return s0 + trend_s * w + LEVEL_SD[0] * z[0], p0 + trend_p * w + LEVEL_SD[1] * z[1]


def strength_plan(
    rng: np.random.Generator, cal: Calendar, level: np.ndarray, noise: float, rpe_p: np.ndarray
) -> tuple[Plan, pd.DataFrame]:
    """Back squat logged capacity-style (load from the daily e1RM, reps to a fixed RIR)."""
    n, step = cal.day.size, step_kg("back_squat")
    trend = level[cal.week]
    daily = trend * np.exp(rng.normal(0, noise, n))
    pct = np.clip(rng.uniform(0.72, 0.80) + rng.normal(0, 0.025, n), 0.70, 0.85)
    load = snap(daily * pct, step)
    plan = Plan(
        day=cal.day,
        week=cal.week,
        side=np.full(n, "both", dtype=object),
        n_sets=np.full(n, 3),
        load=load,
        target=np.zeros(n),
        cap=epley_reps(daily, load),
        cap_trend=epley_reps(trend, load),
        free=True,
        rir=float(rng.integers(1, 4)),
        warm=rng.random(n) < WARMUP_SHARE,
        rpe_p=rpe_p,
    )
    sessions = pd.DataFrame(
        {
            "date": cal.day.astype("datetime64[us]"),
            "week": cal.week + 1,
            "true_e1rm_kg": trend,
            "daily_e1rm_kg": daily,
            "load_kg": load,
        }
    )
    return plan, sessions


def runs(
    rng: np.random.Generator, monday: np.datetime64, pace: np.ndarray, pace_noise: float
) -> dict[str, Any]:
    """Runs columns: easy Wed, tempo Thu, easy Sat (half the weeks), long Sun."""
    weeks = pace.size
    week = np.repeat(np.arange(weeks), len(RUN_SLOTS))
    slot = np.tile(np.arange(len(RUN_SLOTS)), weeks)
    keep = (slot != 2) | (rng.random(week.size) < 0.5)
    week, slot = week[keep], slot[keep]
    n = week.size
    kind = np.array([k for _, k in RUN_SLOTS], dtype=object)[slot]
    day = np.array([d for d, _ in RUN_SLOTS])[slot]
    offset = np.select([kind == "tempo", kind == "long"], [-rng.uniform(50, 65), 15.0], 0.0)
    s_per_km = pace[week] + offset + rng.normal(0, pace_noise, n)
    distance = np.round(
        np.select(
            [kind == "tempo", kind == "long"],
            [rng.uniform(6, 9, n), 12 + 0.4 * week + rng.uniform(-1, 1, n)],
            rng.uniform(6, 10, n),
        ),
        1,
    )
    duration = np.round(distance * s_per_km)
    minutes = np.where(kind == "long", 480 + rng.integers(0, 90, n), rng.integers(360, 1140, n))
    start = (monday.astype("datetime64[m]") + (7 * week + day) * 1440 + minutes).astype(
        "datetime64[us]"
    )
    hr = np.select([kind == "tempo", kind == "long"], [168.0, 149.0], 145.0) + rng.normal(0, 3, n)
    return {
        C.DATE: start,
        C.DISTANCE_KM: distance,
        C.DURATION_S: duration,
        C.PACE_S_PER_KM: duration / distance,
        C.RUN_TYPE: kind,
        C.AVG_HR_BPM: np.round(hr),
        C.ELEVATION_GAIN_M: rng.integers(10, 200, n).astype(float),
    }


def strength_pace_truth(
    scenario: str, monday: np.datetime64, strength: np.ndarray, pace: np.ndarray, coupling: float
) -> dict[str, Any]:
    """What a correct correlation of weekly strength and easy pace should conclude."""
    trend_s, trend_p, coupled = STRENGTH_PACE[scenario]
    ds, dp = np.diff(strength), np.diff(pace)
    weekly = pd.DataFrame(
        {
            "week_start": (monday + 7 * np.arange(strength.size)).astype("datetime64[us]"),
            "true_e1rm_kg": strength,
            "true_easy_pace_s_per_km": pace,
        }
    )
    return {
        "exercise": "back_squat",
        "run_type": "easy",
        "expected_association": coupled,
        "true_r_changes": coupling if coupled else 0.0,
        "realised_r_changes": float(np.corrcoef(ds, dp)[0, 1]),
        "realised_r_levels": float(np.corrcoef(strength, pace)[0, 1]),
        "strength_trend_kg_per_week": trend_s,
        "easy_pace_trend_s_per_km_per_week": trend_p,
        "lag_weeks": 0,
        "weekly": weekly,
    }


def strength_pace_athlete(
    rng: np.random.Generator, scenario: str, athlete: str, *, start: str, weeks: int,
    sessions_per_week: int, noise: float | None = None, pace_noise: float | None = None,
    coupling: float = COUPLING, rpe_share: float | tuple[float, float] | None = None,
    jitter: float = 0.1, first_week: int | None = None,
) -> tuple[Part, tuple[str, dict[str, Any]], dict[str, Any]]:  # fmt: skip
    """Rendered sets, runs and truth of one athlete of a strength-pace scenario."""
    if not -1 < coupling < 1:
        raise ValueError(f"simulate_strength_pace() expected -1 < coupling < 1, got {coupling!r}.")
    noise = 0.03 if noise is None else float(noise)
    pace_noise = PACE_NOISE if pace_noise is None else float(pace_noise)
    cal = calendar(rng, start, weeks, sessions_per_week, jitter)
    strength, pace = weekly_truth(rng, scenario, weeks, coupling)
    rpe_p = rpe_probability(rng, cal, 0.0 if rpe_share is None else rpe_share)
    plan, sessions = strength_plan(rng, cal, strength, noise, rpe_p)
    plan, sessions = start_at(plan, sessions, first_week)
    truth = {"athlete": athlete, **truth_base(scenario, "back_squat", cal, noise)}
    truth.update(strength_pace_truth(scenario, cal.monday, strength, pace, coupling))
    first = int(sessions["week"].iloc[0])
    truth.update(
        pace_noise_s_per_km=pace_noise,
        first_week=first,
        not_started_weeks=tuple(range(1, first)),
        sessions=sessions,
    )
    sets = (athlete, "back_squat", render(plan, rng, step_kg("back_squat")))
    return sets, (athlete, runs(rng, cal.monday, pace, pace_noise)), truth

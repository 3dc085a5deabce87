"""The sample training block: plan, planted facts and the frames behind ``data/sample_logs/``.

Everything is seeded with ``numpy.random.default_rng(seed)``: the same seed gives equal frames
and files with equal cell values (the workbooks are also byte-stable: fixed document
properties and zip timestamps).

The committed sample set
------------------------
Twelve ISO weeks (Monday start) ending Sunday 2026-11-22, block week 1 starting Monday
2026-08-31. Strength sessions on Tuesdays and Fridays follow the team's phased runner plan
(a practitioner convention, domain.md section 8 [U]): weeks 1-4 foundation (2-3 x 12-15,
mostly bodyweight), weeks 5-8 strength (3 x 10-12), weeks 9-12 "power" (3 x 8-10). Loads
step up every 2 weeks. ``goblet_squat`` is the loaded squat of every phase;
``bulgarian_split_squat`` (bodyweight in weeks 1-4, then loaded) and ``single_leg_rdl`` (light
load from week 1) are in every phase. Runs: easy (Wed, some Sat), tempo (Thu), long (Sun); paces improve about 1-2 s/km a
week.

Planted facts (also written to ``manifest.json`` under ``planted``, with measured values):

- Ana Lopez: right side stronger on ``bulgarian_split_squat`` and ``single_leg_rdl``, the gap
  narrowing by phase: ``asymmetry_pct`` about +15 (weeks 1-4: reps at equal load), +9 (weeks
  5-8) and +3 (weeks 9-12), on what the leg moves (the load plus the catalog's bodyweight
  fraction of her body mass). The left-side load (or reps) is the
  right-side value reduced by the gap; rep noise hits both sides alike, so the best set per
  side carries the gap (up to 0.5 kg rounding).
- Ben Carter: ``goblet_squat`` e1RM rises in weeks 1-6, then stalls in weeks 7-12 (the load of
  weeks 5-6 every session; in weeks 9-12 the 3 x 8 at the load of the same e1RM).
- Chloe Dubois: one session in weeks 3, 7 and 10; none in week 11.
- Dev Patel: steady progression; misses the Friday session of week 6.

Definitions: ``asymmetry_pct = 100 * (right - left) / max(left, right)`` (DESIGN.md, Bishop's
percentage difference with + = right); e1RM = Epley ``load_kg * (1 + reps / 30)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis.catalog import exercise_info

FIRST_MONDAY = pd.Timestamp("2026-08-31")
WEEKS = 12
SESSION_DAYS = (1, 4)  # days after Monday: Tuesday, Friday
ATHLETES = ("Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel")
RUNNER = "Sam Runner"
WORKBOOK, MESSY = "coach_workbook.xlsx", "coach_workbook_messy.xlsx"
RUNNER_SETS, RUNNER_RUNS = "runner_strength.csv", "runner_runs.csv"
HEADER_ROW = 4  # athlete sheets: title, subtitle, blank, header

# fmt: off
WORKBOOK_NAMES = {
    "goblet_squat": "Goblet Squat", "bulgarian_split_squat": "Bulgarian Split Squat",
    "single_leg_rdl": "Single Leg RDL", "glute_bridge": "Glute Bridge",
    "single_leg_calf_raise": "Single Leg Calf Raise", "plank": "Plank",
    "bodyweight_squat": "Bodyweight Squat", "clamshell": "Clamshell", "side_plank": "Side Plank",
    "romanian_deadlift": "Romanian Deadlift", "step_up": "Step Up",
    "standing_calf_raise": "Standing Calf Raise", "walking_lunge": "Walking Lunge",
    "hip_thrust": "Hip Thrust", "box_jump": "Box Jump", "wall_sit": "Wall Sit",
    "single_leg_squat": "Single Leg Squat",
}
# coach shorthand, as a runner types it (runner_strength.csv)
RUNNER_NAMES = {
    "goblet_squat": "KB goblet squat", "bulgarian_split_squat": "BSS",
    "single_leg_rdl": "SL RDL", "glute_bridge": "Glute bridge",
    "single_leg_calf_raise": "SL calf raise", "bodyweight_squat": "Air squat",
    "clamshell": "Clamshells", "romanian_deadlift": "RDL", "step_up": "Step-up",
    "standing_calf_raise": "Calf raise", "walking_lunge": "Walking lunges",
    "hip_thrust": "Hip thrust", "box_jump": "Box jumps", "single_leg_squat": "SL squat",
}
# fmt: on
# (exercise, sets, reps or hold seconds, kind); a pair = value in the 1st / 2nd fortnight
# fmt: off
PROGRAM = {
    1: (
        (("goblet_squat", 3, 12, "load"), ("bulgarian_split_squat", 2, (13, 14), "bw"),
         ("single_leg_rdl", 2, 12, "load"), ("glute_bridge", 3, 15, "bw"),
         ("single_leg_calf_raise", 3, 15, "bw"), ("plank", 3, (30, 45), "hold")),
        (("goblet_squat", 3, 12, "load"), ("bulgarian_split_squat", 2, (13, 14), "bw"),
         ("single_leg_rdl", 2, 12, "load"), ("bodyweight_squat", 2, 15, "bw"),
         ("clamshell", 2, 15, "bw"), ("side_plank", 2, 30, "hold")),
    ),
    2: (
        (("goblet_squat", 3, 10, "load"), ("romanian_deadlift", 3, 10, "load"),
         ("bulgarian_split_squat", 3, 10, "load"), ("single_leg_calf_raise", 3, 12, "bw"),
         ("plank", 3, 45, "hold")),
        (("goblet_squat", 3, 10, "load"), ("single_leg_rdl", 3, 10, "load"),
         ("step_up", 3, 10, "load"), ("bulgarian_split_squat", 3, 10, "load"),
         ("standing_calf_raise", 3, 12, "load"), ("side_plank", 2, 40, "hold")),
    ),
    3: (
        (("goblet_squat", 3, 8, "load"), ("walking_lunge", 3, 10, "load"),
         ("hip_thrust", 3, 8, "load"), ("bulgarian_split_squat", 3, 8, "load"),
         ("box_jump", 3, 6, "bw"), ("wall_sit", 2, 45, "hold")),
        (("goblet_squat", 3, 8, "load"), ("single_leg_rdl", 3, 8, "load"),
         ("single_leg_squat", 3, 8, "bw"), ("hip_thrust", 3, 8, "load"),
         ("box_jump", 3, 6, "bw"), ("side_plank", 2, 45, "hold")),
    ),
}
# fmt: on
# reference load (kg) per 2-week step (weeks 1-2, 3-4, ..., 11-12), scaled per athlete
REF_LOAD = {
    "goblet_squat": (12, 14, 18, 20, 24, 26),
    "single_leg_rdl": (10, 12, 16, 18, 20, 22),
    "bulgarian_split_squat": (0, 0, 20, 22, 24, 26),
    "romanian_deadlift": (0, 0, 30, 34, 0, 0),
    "step_up": (0, 0, 16, 18, 0, 0),
    "standing_calf_raise": (0, 0, 30, 34, 0, 0),
    "walking_lunge": (0, 0, 0, 0, 20, 22),
    "hip_thrust": (0, 0, 0, 0, 55, 62.5),
}
ANA_GAP = {1: 0.15, 2: 0.09, 3: 0.03}  # target asymmetry_pct / 100 per phase
ANA_GAP_EXERCISES = ("bulgarian_split_squat", "single_leg_rdl")
# athlete -> load scale, bodyweight kg, easy and tempo pace (s/km) in week 1
_PROFILES = {
    "Ana Lopez": (1.0, 58.0, 370, 310),
    "Ben Carter": (1.3, 74.0, 358, 300),
    "Chloe Dubois": (0.9, 62.0, 388, 318),
    "Dev Patel": (1.2, 70.0, 352, 302),
    RUNNER: (1.1, 66.0, 362, 305),
}
# (week, session 0 = Tue / 1 = Fri) not trained
_MISSED = {
    "Chloe Dubois": {(3, 1), (7, 1), (10, 1), (11, 0), (11, 1)},
    "Dev Patel": {(6, 1)},
}
STALL = ("Ben Carter", "goblet_squat", 7)  # athlete, exercise, first stalled week
_REPS_886 = ("Dev Patel", 9, 0, "hip_thrust")  # athlete, week, session, exercise: 8/8/6
_RUN_SLOTS = ((2, "easy"), (3, "tempo"), (5, "easy"), (6, "long"))  # Saturday easy is optional


def _half(x: float) -> float:
    """Round to the nearest 0.5 kg."""
    return float(np.round(x * 2) / 2)


def _right_load(athlete: str, key: str, week: int) -> float:
    scale = _PROFILES[athlete][0]
    if (athlete, key) == STALL[:2] and week >= STALL[2]:
        # the load of weeks 5-6 (3 x 10) from week 7 on; the 3 x 8 of weeks 9-12 at the load
        # of the same e1RM: no gain
        load = _half(REF_LOAD[key][2] * scale)
        if week >= 9:
            return float(np.floor(load * (1 + 10 / 30) / (1 + 8 / 30) * 2) / 2)
        return load
    return _half(REF_LOAD[key][(week - 1) // 2] * scale)


def body_load(athlete: str, key: str) -> float:
    """The share of body mass a set of ``key`` moves (catalog fraction x profile bodyweight)."""
    fraction = exercise_info().set_index("exercise").loc[key, "bodyweight_fraction"]
    return float(np.nan_to_num(fraction)) * _PROFILES[athlete][1]


def _exercise_sets(
    athlete: str,
    week: int,
    session: int,
    order: int,
    item: tuple,
    rng: np.random.Generator,
    *,
    unilateral: bool,
    per_set: bool,
) -> pd.DataFrame:
    """Rows of one exercise in one session: set 1 left, set 1 right, set 2 left..."""
    key, n_sets, dose, kind = item
    phase = (week - 1) // 4 + 1
    dose = dose[((week - 1) // 2) % 2] if isinstance(dose, tuple) else dose
    sides = np.array(["left", "right"] if unilateral else ["both"])
    set_no = np.repeat(np.arange(1, n_sets + 1), len(sides))
    side = np.tile(sides, n_sets)
    right_load = _right_load(athlete, key, week) if kind == "load" else 0.0
    load = np.full(set_no.size, right_load)
    reps = np.full(set_no.size, float(dose) if kind != "hold" else np.nan)
    gap = ANA_GAP[phase] if athlete == "Ana Lopez" and key in ANA_GAP_EXERCISES else 0.0
    if gap and kind == "load" and phase > 1:  # in what the leg moves: load plus body mass
        body = body_load(athlete, key)
        load[side == "left"] = _half((right_load + body) * (1 - gap) - body)
    elif gap:
        reps[side == "left"] = np.round(dose * (1 - gap))
    stalled = (athlete, key) == STALL[:2] and week >= STALL[2]
    if per_set and kind == "load" and n_sets >= 3 and not stalled and rng.random() < 0.25:
        reps[set_no == n_sets] -= 1  # a tired last set, on both sides alike
    if per_set:
        rpe = (
            6.0
            + 0.5 * phase
            + 0.5 * (set_no - 1)
            + rng.choice([-0.5, 0, 0, 0.5], n_sets)[set_no - 1]
        )
        rpe[np.repeat(rng.random(n_sets) >= 0.75, len(sides))] = np.nan
    else:
        rpe = np.full(set_no.size, 6.5 + 0.5 * phase if rng.random() < 0.75 else np.nan)
    if kind == "hold":
        rpe[:] = np.nan
    if (athlete, week, session, key) == _REPS_886 and per_set:
        reps, rpe = np.array([8.0, 8.0, 6.0]), np.full(3, np.nan)
    frame = pd.DataFrame(
        {
            "set_index": set_no,
            "side": side,
            "reps": reps,
            "load_kg": load,
            "duration_s": float(dose) if kind == "hold" else np.nan,
            "rpe": np.clip(rpe, 5, 10),
            "warmup": False,
        }
    )
    if order == 0 and kind == "load" and rng.random() < 0.4:
        warm = pd.DataFrame(
            {
                "set_index": [1],
                "side": ["both"],
                "reps": [8.0],
                "load_kg": [_half(right_load / 2)],
                "duration_s": [np.nan],
                "rpe": [np.nan],
                "warmup": [True],
            }
        )
        frame = pd.concat([warm, frame.assign(set_index=frame["set_index"] + 1)])
    return frame.assign(exercise=key)


def _athlete_sets(
    athlete: str, rng: np.random.Generator, *, per_set: bool, names: dict[str, str]
) -> pd.DataFrame:
    uni = exercise_info().set_index("exercise")["unilateral"]
    parts = []
    for week in range(1, WEEKS + 1):
        for session, day in enumerate(SESSION_DAYS):
            if (week, session) in _MISSED.get(athlete, ()):
                continue
            date = FIRST_MONDAY + pd.Timedelta(days=7 * (week - 1) + day)
            for order, item in enumerate(PROGRAM[(week - 1) // 4 + 1][session]):
                if not per_set and item[3] == "hold":
                    continue  # the long CSV has integer reps only
                part = _exercise_sets(
                    athlete,
                    week,
                    session,
                    order,
                    item,
                    rng,
                    unilateral=bool(uni[item[0]]),
                    per_set=per_set,
                )
                parts.append(part.assign(date=date, week=week, order=order))
    out = pd.concat(parts, ignore_index=True).assign(athlete=athlete)
    out["exercise_raw"] = out["exercise"].map(names)
    return out


def _athlete_runs(athlete: str, rng: np.random.Generator, *, saturday: bool) -> pd.DataFrame:
    _, _, easy, tempo = _PROFILES[athlete]
    week = np.repeat(np.arange(1, WEEKS + 1), len(_RUN_SLOTS))
    slot = np.tile(np.arange(len(_RUN_SLOTS)), WEEKS)
    keep = (slot != 2) | ((rng.random(week.size) < 0.5) & saturday)
    week, slot = week[keep], slot[keep]
    kind = np.array([t for _, t in _RUN_SLOTS])[slot]
    day = np.array([d for d, _ in _RUN_SLOTS])[slot]
    n = week.size
    rate = rng.uniform(1.0, 2.0)
    base = np.select([kind == "tempo", kind == "long"], [tempo, easy + 15], easy)
    pace = base - rate * (week - 1) + rng.normal(0, 4, n)
    distance = np.round(
        np.select(
            [kind == "tempo", kind == "long"],
            [rng.uniform(6, 8, n), 12 + 0.5 * (week - 1) + rng.uniform(-1, 1, n)],
            rng.uniform(6, 10, n),
        ),
        1,
    )
    duration = np.round(distance * pace)
    minutes = np.where(
        kind == "long",
        8 * 60 + rng.integers(0, 90, n),
        rng.choice([6, 7, 12, 17, 18], n) * 60 + rng.integers(0, 60, n),
    )
    start = (
        FIRST_MONDAY
        + pd.to_timedelta(7 * (week - 1) + day, unit="D")
        + pd.to_timedelta(minutes, unit="min")
    )
    hr = np.select([kind == "tempo", kind == "long"], [168, 149], 145) + rng.normal(0, 3, n)
    elevation = np.select(
        [kind == "tempo", kind == "long"],
        [rng.integers(10, 50, n), rng.integers(80, 200, n)],
        rng.integers(20, 90, n),
    )
    return pd.DataFrame(
        {
            "athlete": athlete,
            "date": start,
            "distance_km": distance,
            "duration_s": duration,
            "pace_s_per_km": duration / distance,
            "run_type": kind,
            "avg_hr_bpm": np.round(hr),
            "elevation_gain_m": elevation.astype(float),
        }
    )


def _bodyweight(athlete: str, rng: np.random.Generator) -> pd.DataFrame:
    weeks = np.arange(1, WEEKS + 1, 2)
    value = _PROFILES[athlete][1] - 0.1 * np.arange(weeks.size) + rng.normal(0, 0.3, weeks.size)
    dates = FIRST_MONDAY + pd.to_timedelta(7 * (weeks - 1) + SESSION_DAYS[0], unit="D")
    return pd.DataFrame({"athlete": athlete, "date": dates, "bodyweight_kg": np.round(value, 1)})


def _with_source(frame: pd.DataFrame, file: str, sheet: str | None, rows) -> pd.DataFrame:
    return frame.assign(source_file=file, source_sheet=sheet, source_row=rows)


def generate_block(*, seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Build the four-athlete 12-week block written to ``coach_workbook.xlsx``.

    Parameters
    ----------
    seed : int, default=42
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    sets : DataFrame
        Columns exactly :data:`analysis.columns.SETS`, in sheet order; ``source_row`` is the
        row Excel shows in the athlete's sheet (header in row 4, a blank row between weeks).
    runs : DataFrame
        Columns :data:`analysis.columns.RUNS`, sheet ``Runs`` (header in row 1), sorted by date.
    bodyweight : DataFrame
        Columns :data:`analysis.columns.BODYWEIGHT`, sheet ``Bodyweight``, every 2 weeks.

    Notes
    -----
    The plan and planted facts are in the module docstring. Bodyweight sets have
    ``load_kg`` 0; holds have ``reps`` NA and ``duration_s`` set.

    Examples
    --------
    >>> sets, runs, bodyweight = generate_block()
    >>> sorted(sets["athlete"].unique()) == sorted(ATHLETES)
    True
    """
    sets, runs, weights = [], [], []
    for i, athlete in enumerate(ATHLETES):
        frame = _athlete_sets(
            athlete, np.random.default_rng([seed, i, 1]), per_set=True, names=WORKBOOK_NAMES
        )
        week_rank = frame["week"].rank(method="dense").astype(int) - 1
        rows = HEADER_ROW + 1 + np.arange(len(frame)) + week_rank.to_numpy()
        sets.append(_with_source(frame, WORKBOOK, athlete, rows))
        runs.append(_athlete_runs(athlete, np.random.default_rng([seed, i, 2]), saturday=True))
        weights.append(_bodyweight(athlete, np.random.default_rng([seed, i, 3])))
    run = pd.concat(runs).sort_values(["date", "athlete"], kind="stable")
    weight = pd.concat(weights).sort_values(["date", "athlete"], kind="stable")
    return (
        C.conform(pd.concat(sets), C.SETS),
        C.conform(_with_source(run, WORKBOOK, "Runs", np.arange(len(run)) + 2), C.RUNS),
        C.conform(
            _with_source(weight, WORKBOOK, "Bodyweight", np.arange(len(weight)) + 2), C.BODYWEIGHT
        ),
    )


def generate_runner(*, seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build Sam Runner's block written to ``runner_strength.csv`` and ``runner_runs.csv``.

    Parameters
    ----------
    seed : int, default=42
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    sets : DataFrame
        Columns :data:`analysis.columns.SETS`, one row per set in file order; the sets of one
        CSV row (its ``Sets`` count) share ``source_row`` (header = row 1). No holds.
    runs : DataFrame
        Columns :data:`analysis.columns.RUNS`, three runs a week.

    Examples
    --------
    >>> sets, runs = generate_runner()
    >>> runs.groupby(runs["date"].dt.isocalendar().week).size().unique().tolist()
    [3]
    """
    sets = _athlete_sets(
        RUNNER, np.random.default_rng([seed, 9, 1]), per_set=False, names=RUNNER_NAMES
    )
    # file order: one row per (session, exercise, side, warm-up); its sets follow
    sets = sets.sort_values(
        ["date", "order", "warmup", "side", "set_index"],
        ascending=[True, True, False, True, True],
        kind="stable",
    )
    line = (
        sets[["date", "order", "warmup", "side"]]
        .ne(sets[["date", "order", "warmup", "side"]].shift())
        .any(axis=1)
        .cumsum()
    )
    sets = _with_source(sets, RUNNER_SETS, None, line.to_numpy() + 1)
    runs = _athlete_runs(RUNNER, np.random.default_rng([seed, 9, 2]), saturday=False)
    runs = _with_source(runs, RUNNER_RUNS, None, np.arange(len(runs)) + 2)
    return C.conform(sets, C.SETS), C.conform(runs, C.RUNS)

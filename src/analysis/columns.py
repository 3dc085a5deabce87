"""Canonical column names, dtypes and allowed values: the one source of truth.

Every table that crosses a module boundary uses these names. Column names are public API:
snake_case ASCII, the unit as a suffix (``load_kg``, ``pace_s_per_km``), one spelling per
concept.

Tables
------
sets
    One row per performed set (see :data:`SETS`).
runs
    One row per run (see :data:`RUNS`).
bodyweight
    One row per bodyweight measurement (see :data:`BODYWEIGHT`).
problems
    One row per thing a loader could not take as it was (see :data:`PROBLEMS`).

Definitions
-----------
side
    ``left``, ``right`` or ``both`` (a bilateral set). Unilateral reps are per side.
source_row
    The 1-based row number a person sees in the spreadsheet or text file (header = row 1 of a
    CSV whose header is its first line).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from analysis.errors import MissingColumnsError

# --- names ------------------------------------------------------------------------------------
ATHLETE = "athlete"
DATE = "date"
EXERCISE = "exercise"
EXERCISE_RAW = "exercise_raw"
SIDE = "side"
SET_INDEX = "set_index"
REPS = "reps"
LOAD_KG = "load_kg"
DURATION_S = "duration_s"
DISTANCE_M = "distance_m"
RPE = "rpe"
WARMUP = "warmup"
SOURCE_FILE = "source_file"
SOURCE_SHEET = "source_sheet"
SOURCE_ROW = "source_row"
DISTANCE_KM = "distance_km"
PACE_S_PER_KM = "pace_s_per_km"
RUN_TYPE = "run_type"
AVG_HR_BPM = "avg_hr_bpm"
ELEVATION_GAIN_M = "elevation_gain_m"
BODYWEIGHT_KG = "bodyweight_kg"

SOURCE = (SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW)

# --- derived columns: the outputs of the analyses ------------------------------------------------
# Every column an analysis or the reassessment returns is named here, once (see DERIVED).
# keys and periods
WEEK_START = "week_start"
BLOCK = "block"
BLOCK_INDEX = "block_index"
BLOCK_START = "block_start"
BLOCK_END = "block_end"
WEEKS = "weeks"
N_ROWS = "n_rows"
DAY = "day"
# what a row measures and how
METRIC = "metric"
VALUE = "value"
KIND = "kind"
METHOD = "method"
STATUS = "status"
VERDICT = "verdict"
# strength
E1RM_KG = "e1rm_kg"
PATTERN = "pattern"
MUSCLE = "muscle"
SESSIONS = "sessions"
EXERCISES = "exercises"
SETS_N = "sets"
WORKING_SETS = "working_sets"
HARD_SETS = "hard_sets"
RPE_SETS = "rpe_sets"
VOLUME_LOAD_KG = "volume_load_kg"
BODYWEIGHT_VOLUME_KG = "bodyweight_volume_kg"
HOLD_S = "hold_s"
BODYWEIGHT_REPS = "bodyweight_reps"
TARGET = "target"
MET = "met"
N_SESSIONS = "n_sessions"
ASYMMETRY_PCT = "asymmetry_pct"
LSI_PCT = "lsi_pct"
STRONGER = "stronger"
# uncertainty: one spelling each (a unit suffix where the unit is fixed)
CI_LOW = "ci_low"
CI_HIGH = "ci_high"
TYPICAL_ERROR = "typical_error"
# running
RUN_TYPE_SOURCE = "run_type_source"
VDOT = "vdot"
BEST_VDOT = "best_vdot"
GAP_S_PER_KM = "gap_s_per_km"
EFFICIENCY_M_PER_BEAT = "efficiency_m_per_beat"
# training load
LOAD_AU = "load_au"
SESSION_RPE = "session_rpe"
DURATION_MIN = "duration_min"
LOAD_METHOD = "load_method"
SESSIONS_WITHOUT_LOAD = "sessions_without_load"
LOAD_CHANGE_AU = "load_change_au"
N_DAYS = "n_days"
MEAN_DAILY_AU = "mean_daily_au"
SD_DAILY_AU = "sd_daily_au"
MONOTONY = "monotony"
STRAIN_AU = "strain_au"
ACUTE = "acute_au_per_day"
CHRONIC = "chronic_au_per_day"
ACWR = "acwr"
# next-block outlook (analysis.outlook)
CURRENT_KG = "current_kg"
EXPECTED_KG = "expected_kg"
PI_LOW_KG = "pi_low_kg"
PI_HIGH_KG = "pi_high_kg"
CURRENT_TIME_S = "current_time_s"
EXPECTED_TIME_S = "expected_time_s"
PI_LOW_S = "pi_low_s"
PI_HIGH_S = "pi_high_s"
LEVEL = "level"
HORIZON_WEEKS = "horizon_weeks"
HISTORY_WEEKS = "history_weeks"
N_RUNS = "n_runs"
BACKTEST_N = "backtest_n"
BACKTEST_COVERAGE = "backtest_coverage"
EVIDENCE = "evidence"

# test days (analysis.testdays)
TEST = "test"
TEST_RAW = "test_raw"
N_TESTS = "n_tests"
PREVIOUS_DATE = "previous_date"
CURRENT_DATE = "current_date"
BETTER_DIRECTION = "better"
SWC = "swc"
MDC95 = "mdc95"
NOISE_SOURCE = "noise_source"

# --- status and verdict words -------------------------------------------------------------------
OK = "ok"
NOT_ENOUGH_DATA = "not enough data"
NOT_RECENT = "not recent"
CURRENT = "current"
PREVIOUS = "previous"
FASTER = "faster"
SLOWER = "slower"
NO_CLEAR_CHANGE = "no clear change"
ASSOCIATION = "association"
NO_CLEAR_ASSOCIATION = "no clear association"
NO_VARIATION = "no variation"
OUTLOOK = "outlook"
NOT_ENOUGH_HISTORY = "not enough history"
BETTER = "better"
WORSE = "worse"
NOT_ENOUGH_TESTS = "not enough tests"
OWN_REPEATS = "own repeats"
PUBLISHED = "published"
ASSUMED = "assumed"

#: ``sets``: column -> pandas dtype, in canonical order.
SETS: dict[str, str] = {
    ATHLETE: "string",
    DATE: "datetime64[us]",
    EXERCISE: "string",
    EXERCISE_RAW: "string",
    SIDE: "string",
    SET_INDEX: "Int64",
    REPS: "Float64",
    LOAD_KG: "Float64",
    DURATION_S: "Float64",
    DISTANCE_M: "Float64",
    RPE: "Float64",
    WARMUP: "boolean",
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
}

#: ``runs``: column -> dtype.
RUNS: dict[str, str] = {
    ATHLETE: "string",
    DATE: "datetime64[us]",
    DISTANCE_KM: "Float64",
    DURATION_S: "Float64",
    PACE_S_PER_KM: "Float64",
    RUN_TYPE: "string",
    AVG_HR_BPM: "Float64",
    ELEVATION_GAIN_M: "Float64",
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
}

#: ``bodyweight``: column -> dtype.
BODYWEIGHT: dict[str, str] = {
    ATHLETE: "string",
    DATE: "datetime64[us]",
    BODYWEIGHT_KG: "Float64",
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
}

#: A plan (:func:`analysis.loaders.plan.read_plan`): column -> dtype. One row per planned exercise
#: and week; ``phase`` is the week's phase from the Plan sheet (NA when it names none).
PLAN: dict[str, str] = {
    ATHLETE: "string",
    "week": "Int64",
    "week_start": "datetime64[us]",
    "program_start": "datetime64[us]",
    EXERCISE: "string",
    "exercise_raw": "string",
    "sets": "Int64",
    REPS: "Int64",
    LOAD_KG: "Float64",
    DURATION_S: "Float64",
    "note": "string",
    "phase": "string",
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
}

#: Test results (:func:`analysis.loaders.tests.read_tests`): column -> dtype. One row per athlete,
#: test day, test and side; ``value`` in ``unit`` (``reps``, ``s``, ``cm`` or ``m``).
TEST_RESULTS: dict[str, str] = {
    ATHLETE: "string",
    DATE: "datetime64[us]",
    "test": "string",
    "test_raw": "string",
    SIDE: "string",
    "value": "Float64",
    "unit": "string",
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
}

#: ``problems``: column -> dtype. ``action`` is one of :data:`ACTIONS`.
PROBLEMS: dict[str, str] = {
    SOURCE_FILE: "string",
    SOURCE_SHEET: "string",
    SOURCE_ROW: "Int64",
    "column": "string",
    "value": "string",
    "problem": "string",
    "action": "string",
}

#: Units of every measured column, for reports and axis labels.
UNITS: dict[str, str] = {
    LOAD_KG: "kg",
    DURATION_S: "s",
    DISTANCE_M: "m",
    DISTANCE_KM: "km",
    PACE_S_PER_KM: "s/km",
    AVG_HR_BPM: "beats/min",
    ELEVATION_GAIN_M: "m",
    BODYWEIGHT_KG: "kg",
    RPE: "CR-10",
}

SIDES = ("left", "right", "both")
RUN_TYPES = ("easy", "tempo", "interval", "long", "race", "other")

#: The words that name a run type, in priority order (the first type that matches wins, so
#: "Tempo 3x2km" is an interval and "Long easy run" is long). Regular expressions, matched
#: case-insensitively anywhere in a label or an activity title; the one list of them.
RUN_TYPE_WORDS: dict[str, str] = {
    "race": r"\brace\b|\bparkrun\b|\btime[ -]?trial\b|\btt\b|\bcompetition\b",
    "interval": r"\bintervals?\b|\brepeats?\b|\breps\b|\bfartlek\b|\btrack\b|\bvo2|\bhills?\b"
    r"|\d+\s*[x×]\s*\d+",
    "tempo": r"\btempo\b|\bthreshold\b|\bcruise\b|\blt\b|\bprogression\b",
    "long": r"\blong\b|\blsr\b",
    "easy": r"\beasy\b|\brecovery\b|\bjog\b|\bshake ?out\b|\baerobic\b|\bbase\b|\bsteady\b",
    "other": r"^\s*other\s*$",
}
#: One-letter codes coaches type in a run-type column (a whole cell, not a word in a title).
RUN_TYPE_LETTERS: dict[str, str] = {"e": "easy", "t": "tempo", "i": "interval", "l": "long"}

#: Plausible values: outside ``[low, high]`` a value is taken as a typing or unit error
#: (the loaders drop it with a problem; the analyses leave flagged runs out of pace statistics).
BOUNDS: dict[str, tuple[float, float]] = {
    LOAD_KG: (0.0, 600.0),  # above the deadlift world record
    REPS: (0.0, 200.0),
    "sets": (1.0, 50.0),  # sets written in one cell ("60 x 10" is not 60 sets)
    PACE_S_PER_KM: (100.0, 1800.0),  # 1:40 to 30:00 per km
    BODYWEIGHT_KG: (25.0, 250.0),
    AVG_HR_BPM: (25.0, 250.0),
    RPE: (1.0, 10.0),
}
ACTIONS = ("dropped", "fixed", "kept")
PATTERNS = (
    "squat",
    "hinge",
    "lunge",
    "step",
    "bridge",
    "calf",
    "hip_abduction",
    "core",
    "plyometric",
    "knee",
    "upper_push",
    "upper_pull",
    "carry",
    "other",
)
LOAD_TYPES = ("external", "bodyweight", "band", "time", "distance")


@cache
def column_info() -> pd.DataFrame:
    """Every column name of liftpace's tables, with its unit, a label for people and its meaning.

    The register of names (``data/columns.csv``): the canonical tables' columns and every
    column an analysis or the reassessment returns. Reports use ``label`` and ``unit``.

    Returns
    -------
    DataFrame
        ``name, unit, label, meaning`` (strings; ``unit`` empty for words and counts).

    Examples
    --------
    >>> info = column_info().set_index("name")
    >>> info.loc["e1rm_kg", "label"], info.loc["pace_s_per_km", "unit"]
    ('e1RM (kg)', 's/km')
    """
    return _column_register().copy()


@functools.cache
def _column_register() -> pd.DataFrame:
    path = resources.files("analysis") / "data" / "columns.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype="string", keep_default_na=False)


def float_values(values: object, *, name: str = "values", func: str | None = None) -> np.ndarray:
    """``values`` as a float64 numpy array, NaN for NA: the one numeric coercion of liftpace.

    Accepts a Series, Index, extension array, sequence or scalar of numbers (nullable
    ``Int64``/``Float64``/``boolean`` included). ``name`` and ``func`` name the input in the
    error message.

    Raises
    ------
    TypeError
        ``values`` holds something that is not a number.

    Examples
    --------
    >>> float_values(pd.array([1, None], dtype="Int64"))
    array([ 1., nan])
    >>> float_values(["a"], name="time_s", func="vdot")
    Traceback (most recent call last):
    ...
    TypeError: vdot() expected numbers for time_s, got ['a'] instead.
    """
    where = f"{func}() expected" if func else "expected"
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        try:
            return values.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise TypeError(
                f"{where} numbers for {name}, got dtype {values.dtype} instead."
            ) from None
    if values is None or (np.ndim(values) == 0 and pd.isna(values)):  # type: ignore[arg-type]
        return np.asarray(np.nan)
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{where} numbers for {name}, got {values!r} instead.") from None


def run_type_of(text: pd.Series) -> pd.Series:
    """The run type named by free text (a label or an activity title), NA when none.

    A canonical type or a one-letter code (:data:`RUN_TYPE_LETTERS`) as the whole cell, else
    the first type of :data:`RUN_TYPE_WORDS` whose words appear. The work runs once per
    distinct text, then maps back to the rows.

    Examples
    --------
    >>> run_type_of(pd.Series(["Long Run", "Tempo 3x2km", "Parkrun", "Morning Run", "E", None])).tolist()
    ['long', 'interval', 'race', <NA>, 'easy', <NA>]
    """
    codes, uniques = pd.factorize(pd.Series(text, dtype="string"))
    words = pd.Series(uniques, dtype="string").str.strip().str.lower()
    found = words.where(words.isin(RUN_TYPES))
    found = found.fillna(words.map(RUN_TYPE_LETTERS))
    for run_type, pattern in RUN_TYPE_WORDS.items():
        hit = words.str.contains(pattern, regex=True, case=False).fillna(False).astype(bool)
        found = found.mask(found.isna() & hit, run_type)
    values = np.append(found.to_numpy(dtype=object, na_value=None), [None])[codes]
    return pd.Series(pd.array(values, dtype="string"), index=text.index)


def empty(schema: Mapping[str, str]) -> pd.DataFrame:
    """Return an empty frame with the columns and dtypes of ``schema``."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})


def conform(frame: pd.DataFrame, schema: Mapping[str, str]) -> pd.DataFrame:
    """Return ``frame`` with exactly the columns of ``schema``, in order, with its dtypes.

    Missing columns are added as all-NA; extra columns are dropped. The index is reset.
    """
    out = {}
    n = len(frame)
    for name, dtype in schema.items():
        if name in frame.columns:
            col = frame[name]
            if str(col.dtype) == dtype:
                pass
            elif dtype.startswith("datetime64"):
                col = pd.to_datetime(col).astype(dtype)
            else:
                col = col.astype(dtype)
            out[name] = col.array
        elif dtype.startswith("datetime64"):
            out[name] = pd.array(np.full(n, np.datetime64("NaT"), dtype=dtype))
        else:
            out[name] = pd.array([pd.NA] * n, dtype=dtype)
    return pd.DataFrame(out, copy=False)


def require_columns(
    frame: pd.DataFrame, required: Iterable[str], *, func: str, hint: str | None = None
) -> None:
    """Raise :class:`MissingColumnsError` unless ``frame`` has every column in ``required``.

    One helper and one message format for every analysis function.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"reps": [5]}), ["reps", "load_kg"], func="weekly_volume")
    Traceback (most recent call last):
    ...
    analysis.errors.MissingColumnsError: weekly_volume() expected columns ['load_kg', 'reps'], missing ['load_kg'] (got ['reps']). Load logs with analysis.read_logs() and pass log.sets.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{func}() expected a pandas DataFrame, got {type(frame).__name__} instead."
        )
    required = list(required)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        hint = hint or "Load logs with analysis.read_logs() and pass log.sets."
        raise MissingColumnsError(
            f"{func}() expected columns {sorted(required)}, missing {sorted(missing)} "
            f"(got {sorted(map(str, frame.columns))}). {hint}",
            missing=missing,
        )

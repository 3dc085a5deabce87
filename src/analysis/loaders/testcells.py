"""The cells of a tests table: known tests, their units and plausible results, and result cells read.

Private helpers of :mod:`analysis.loaders.tests` (the spellings are documented there), vectorised
over the distinct cells of a column.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.loaders import values as V

__all__ = [
    "BILATERAL_TESTS",
    "LABELS",
    "LENGTH_CM",
    "LONGEST_S",
    "TEST_BOUNDS",
    "TEST_NAMES",
    "UNITS",
    "UNIT_HELP",
    "expected_range",
    "hm",
    "ms",
    "parse_results",
    "side_in_name",
    "test_keys",
    "unit_of",
]

#: Known tests: key -> (regular expression matched case-insensitively in the name, unit). The
#: first match wins. :data:`analysis.testdays.TESTS` describes the same tests for the analysis.
TEST_NAMES: dict[str, tuple[str, str]] = {
    "time_trial_5k": (r"\b5\s*(?:k|km|kms)\b|\b5[ ,.]?000\s*m\b|parkrun", "s"),
    "countermovement_jump": (r"\bcmj\b|counter[\s-]*movement|vertical\s*jump|jump\s*height", "cm"),
    "single_leg_hop": (r"^(?!.*(?:triple|cross|side|\b6\s*m\b|timed)).*\bhops?\b", "cm"),
    "side_plank": (r"side[\s-]*(?:plank|bridge)", "s"),
    "wall_sit": (r"wall[\s-]*(?:sit|squat)", "s"),
    "single_leg_calf_raise": (r"calf[\s-]*raise|heel[\s-]*(?:raise|rise)", "reps"),
    "step_up": (r"step[\s-]*ups?\b", "reps"),
    "single_leg_squat": (
        r"(?:single|one|1)[\s-]*leg(?:ged)?[\s-]*(?:box[\s-]*)?squat|\bsl[\s-]*squat|pistol"
        r"|skater[\s-]*squat",
        "reps",
    ),
}

#: Known tests done on both legs at once: a result in a Left or Right column alone is ``both``.
BILATERAL_TESTS = ("time_trial_5k", "countermovement_jump", "wall_sit")

#: Plausible results of the known tests, in their unit: outside, a row is dropped.
TEST_BOUNDS: dict[str, tuple[float, float]] = {
    "time_trial_5k": (600.0, 5400.0),  # 10:00 to 90:00
    "countermovement_jump": (5.0, 120.0),
    "single_leg_hop": (10.0, 400.0),
    "side_plank": (1.0, 1800.0),
    "wall_sit": (1.0, 1800.0),
    "single_leg_calf_raise": (0.0, 500.0),
    "step_up": (0.0, 500.0),
    "single_leg_squat": (0.0, 500.0),
}
#: Longest time a test in seconds that is not known may take (Excel h:mm cells above it read as m:ss).
LONGEST_S = 5400.0

#: unit word -> (canonical unit, factor to it)
UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("rep", "reps", "repetition", "repetitions", "x"), ("reps", 1.0)),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), ("s", 1.0)),
    **dict.fromkeys(("mm:ss", "m:ss", "min:sec", "min:s", "h:mm:ss", "hh:mm:ss", "time"), ("s", 1.0)),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), ("s", 60.0)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), ("s", 3600.0)),
    **dict.fromkeys(("cm", "cms", "centimetre", "centimetres", "centimeter", "centimeters"), ("cm", 1.0)),
    **dict.fromkeys(("mm", "millimetre", "millimetres", "millimeter", "millimeters"), ("cm", 0.1)),
    **dict.fromkeys(("in", "inch", "inches"), ("cm", 2.54)),
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters"), ("m", 1.0)),
    **dict.fromkeys(("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"), ("m", 1000.0)),
}
LENGTH_CM = {"cm": 1.0, "m": 100.0}  # cm per unit, for converting between the two length units
UNIT_HELP = "expected reps, s, min, cm, mm, in, m or km"
_NUM_UNIT = re.compile(r"^(?P<num>[+-]?\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+(?::[a-z]+)*)?\.?$")
_FILLER = re.compile(r"\s*(?:hold|held|total|each(?:\s+(?:leg|side))?|per\s+(?:leg|side)|/\s*(?:leg|side))\.?\s*$")
_CLOCK_UNIT = re.compile(r"\s*(?:min|mins|minutes|m:ss|mm:ss|h:mm:ss)\.?\s*$")
_SIDE_WORDS = re.compile(r"\(\s*(?:l|r|lt|rt|left|right)\s*\)|\b(?:left|right)(?:\s+(?:leg|side))?\b|[\s-]+(?:l|r)\s*$", re.I)
_LEFT_WORDS = r"\(\s*(?:l|lt|left)\s*\)|\bleft\b|[\s-]l\s*$"
_RIGHT_WORDS = r"\(\s*(?:r|rt|right)\s*\)|\bright\b|[\s-]r\s*$"
_BAD_RESULT = "not a result (expected e.g. 14, 14 reps, 32.5 cm, 1:45, 24:10)"


def test_keys(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The key of each test name and whether it is a known test (:data:`TEST_NAMES`).

    Side words (``(L)``, ``left``, a trailing ``R``) are left out of the key; a name that is not
    known is keyed by its words, ``_``-joined.

    Examples
    --------
    >>> keys, known = test_keys(pd.Series(["CMJ", "SL hop (R)", "Plank (front)", "5k TT"]))
    >>> keys.tolist(), known.tolist()
    (['countermovement_jump', 'single_leg_hop', 'plank_front', 'time_trial_5k'], [True, True, False, True])
    """
    codes, uniq = pd.factorize(pd.Series(names, dtype="string").str.strip(), use_na_sentinel=True)
    words = pd.Series(uniq, dtype="string").str.lower()
    key = pd.Series(pd.NA, index=words.index, dtype="string")
    for name, (pattern, _) in TEST_NAMES.items():
        hit = words.str.contains(pattern, regex=True, case=False).fillna(False).astype(bool)
        key = key.mask(key.isna() & hit, name)
    known = key.notna()
    slug = (words.str.replace(_SIDE_WORDS, " ", regex=True).str.replace(r"[^0-9a-z]+", "_", regex=True)
            .str.strip("_").replace("", "test"))
    key = key.fillna(slug)
    take = np.where(codes < 0, len(uniq), codes)
    keys = np.append(key.to_numpy(dtype=object, na_value=None), [None])[take]
    flags = np.append(known.to_numpy(dtype=bool), [False])[take]
    return (pd.Series(pd.array(keys, dtype="string"), index=names.index),
            pd.Series(flags, index=names.index))




def unit_of(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Canonical unit, factor and a bad mask of Unit cells (NA unit where blank)."""
    words = V.as_text(text).str.lower().str.strip().str.rstrip(".").str.replace(" ", "", regex=False)
    unit = words.map({w: u for w, (u, _) in UNITS.items()}).astype("string")
    factor = words.map({w: f for w, (_, f) in UNITS.items()}).astype(float)
    return unit, factor, words.notna() & unit.isna()


@V.on_unique_cells
def parse_results(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Value, unit (NA when the cell names none), factor to the unit, Excel-time flag, bad reason
    and fixed reason of each result cell."""
    idx = raw.index
    is_obj = raw.dtype == object
    typed_num = raw.map(lambda v: isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)) \
        if is_obj else pd.Series(pd.api.types.is_numeric_dtype(raw.dtype), index=idx)
    typed_time = raw.map(lambda v: hasattr(v, "hour") or hasattr(v, "total_seconds")) if is_obj \
        else pd.Series(False, index=idx)
    value = pd.to_numeric(raw.where(typed_num), errors="coerce").astype(float)
    unit = pd.Series(pd.NA, index=idx, dtype="string")
    factor = pd.Series(1.0, index=idx)
    bad = pd.Series(pd.NA, index=idx, dtype="string")
    fixed = pd.Series(pd.NA, index=idx, dtype="string")
    if typed_time.any():
        secs = V.parse_duration(raw[typed_time]).value.astype(float).round(2)
        value[typed_time] = secs
        unit[typed_time] = "s"
        bad[typed_time & value.isna()] = "a date, not a result"
    text = V.as_text(raw.where(~typed_num & ~typed_time)).str.lower().str.lstrip("'").str.strip()
    text = text.str.replace(_FILLER, "", regex=True)
    clock = text.str.contains(":", regex=False).fillna(False).astype(bool)
    if clock.any():
        secs = V.parse_duration(text[clock].str.replace(_CLOCK_UNIT, "", regex=True)).value.astype(float)
        value[clock] = secs
        unit[clock] = "s"
    rest = text.notna() & ~clock
    parts = text.where(rest).str.extract(_NUM_UNIT)
    numbered = parts["num"].notna()
    if numbered.any():
        comma = parts["num"].str.contains(",", regex=False).fillna(False).astype(bool)
        nums = pd.to_numeric(parts["num"].str.replace(",", ".", regex=False), errors="coerce")
        words = parts["unit"]
        found = words.map(lambda w: UNITS.get(w) if isinstance(w, str) else None)
        unknown = numbered & words.notna() & found.isna()
        value[numbered & ~unknown] = nums[numbered & ~unknown]
        has_unit = numbered & found.notna()
        unit[has_unit] = [f[0] for f in found[has_unit]]
        factor[has_unit] = [f[1] for f in found[has_unit]]
        bad[unknown] = "unit " + words[unknown].astype(str) + f" not read ({UNIT_HELP})"
        fixed[numbered & comma & ~unknown] = "decimal comma read as a decimal point"
    worded = rest & ~numbered
    if worded.any():  # 1 min 45 s, 45", 24'10"
        secs = V.parse_duration(text[worded]).value.astype(float)
        value[worded] = secs
        unit[worded] = unit[worded].mask(secs.notna(), "s")
    blank = V.is_blank(raw)
    bad = bad.mask(value.isna() & bad.isna() & ~blank, _BAD_RESULT)
    return value, unit, factor, typed_time, bad, fixed


LABELS = {
    "time_trial_5k": "5 km time trial",
    "countermovement_jump": "countermovement jump",
    "single_leg_hop": "single-leg hop",
    "side_plank": "side plank",
    "wall_sit": "wall sit",
    "single_leg_calf_raise": "single-leg calf raise",
    "step_up": "step-up",
    "single_leg_squat": "single-leg squat",
}


def side_in_name(names: pd.Series) -> pd.Series:
    """``left``/``right`` when a test name names one side (``Hop (L)``, ``Calf raise left``), else NA."""
    words = names.astype("string").str.lower()
    left = words.str.contains(_LEFT_WORDS, regex=True).fillna(False).astype(bool)
    right = words.str.contains(_RIGHT_WORDS, regex=True).fillna(False).astype(bool)
    out = pd.Series(pd.NA, index=names.index, dtype="string")
    return out.mask(left & ~right, "left").mask(right & ~left, "right")


def expected_range(key: str) -> str:
    low, high = TEST_BOUNDS[key]
    unit = TEST_NAMES[key][1]
    if unit == "s" and high > 600:
        return f"{ms(low)} to {ms(high)}"
    return f"{low:g} to {high:g} {unit}"


def ms(seconds: float) -> str:
    minutes, secs = divmod(round(float(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def hm(hours: float) -> str:
    h, m = divmod(round(float(hours) * 60), 60)
    return f"{h}:{m:02d}"


test_keys.__test__ = False  # type: ignore[attr-defined]  # not a pytest test

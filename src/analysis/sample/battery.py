"""The sample's test days: the ``Tests`` sheet of the coach workbook, one test day per phase.

The squad tests on the Saturday ending each phase of the plan (:mod:`analysis.sample.plan`):
2026-09-26 (end of foundation, week 4), 2026-10-24 (strength, week 8) and 2026-11-21 (power,
week 12). Ana Lopez, Ben Carter and Dev Patel test every time; Chloe Dubois, travelling, tests
only at the end of the power phase.

The battery: single-leg squat to failure and single-leg calf raise to failure per side, a
side-plank hold per side, a single-leg hop for distance per side, a countermovement jump and a
5 km time trial. Planted (manifest ``tests.planted``):

- Ana Lopez improves clearly on her weak left side: single-leg squat 10, 14, 19 reps (right 16,
  17, 18: no clear change), and her 5 km time trial falls from 24:50 to 23:00 (70 s in the last block: more than two tests differ by chance).
- Ben Carter, whose goblet squat stalls, shows no clear change on any test.
- Chloe Dubois has one test day: not enough tests.

Layout (long): ``Athlete | Date | Test | Side | Result | Unit``, header in row 1; ``L``/``R``
sides, blank for the jump and the time trial; time-trial results as ``m:ss`` text.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import columns as C
from analysis.sample.plan import FIRST_MONDAY

__all__ = ["TESTS_HEADER", "TESTS_SHEET", "TEST_DAYS", "planted_tests", "tests_rows"]

TESTS_SHEET = "Tests"
TESTS_HEADER = ["Athlete", "Date", "Test", "Side", "Result", "Unit"]
#: phase -> test day (the Saturday of the phase's last week)
TEST_DAYS: dict[str, pd.Timestamp] = {
    phase: FIRST_MONDAY + pd.Timedelta(weeks=week - 1, days=5)
    for phase, week in (("foundation", 4), ("strength", 8), ("power", 12))
}
# (name on the sheet, side or None, unit, key of the test)
_BATTERY = (
    ("Single-leg squat", "L", "reps", "single_leg_squat"),
    ("Single-leg squat", "R", "reps", "single_leg_squat"),
    ("Single-leg calf raise", "L", "reps", "single_leg_calf_raise"),
    ("Single-leg calf raise", "R", "reps", "single_leg_calf_raise"),
    ("Side plank", "L", "s", "side_plank"),
    ("Side plank", "R", "s", "side_plank"),
    ("Single-leg hop", "L", "cm", "single_leg_hop"),
    ("Single-leg hop", "R", "cm", "single_leg_hop"),
    ("Countermovement jump", None, "cm", "countermovement_jump"),
    ("5 km time trial", None, "s", "time_trial_5k"),
)
# athlete -> results per test day, in _BATTERY order (None: not tested that day)
# fmt: off
_RESULTS: dict[str, tuple[tuple[float, ...] | None, ...]] = {
    "Ana Lopez": (
        (10, 16, 22, 24, 45, 50, 138, 150, 27.5, 1490),
        (14, 17, 25, 26, 52, 55, 144, 152, 28.5, 1450),
        (19, 18, 28, 28, 60, 62, 151, 155, 30.0, 1380),
    ),
    "Ben Carter": (
        (15, 15, 30, 29, 70, 68, 172, 175, 35.0, 1360),
        (16, 15, 31, 30, 72, 70, 174, 174, 36.0, 1350),
        (15, 16, 30, 31, 71, 71, 173, 176, 35.5, 1355),
    ),
    "Chloe Dubois": (None, None, (12, 13, 24, 25, 55, 52, 140, 143, 29.0, 1540)),
    "Dev Patel": (
        (14, 15, 26, 27, 60, 62, 160, 165, 33.0, 1400),
        (16, 17, 28, 29, 66, 67, 166, 168, 34.0, 1388),
        (18, 18, 30, 31, 72, 73, 170, 173, 35.0, 1372),
    ),
}
# fmt: on


def _mmss(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def tests_rows() -> list[list]:
    """The Tests sheet: the header, then a row per athlete, test day, test and side."""
    rows: list[list] = [list(TESTS_HEADER)]
    for athlete, days in _RESULTS.items():
        for day, results in zip(TEST_DAYS.values(), days, strict=True):
            if results is None:
                continue
            for (name, side, unit, key), value in zip(_BATTERY, results, strict=True):
                result = _mmss(value) if key == "time_trial_5k" else (int(value) if float(value).is_integer() else value)
                rows.append([athlete, dt.date(day.year, day.month, day.day), name, side, result,
                             "mm:ss" if key == "time_trial_5k" else unit])
    return rows


def expected_tests(file: str) -> pd.DataFrame:
    """The tests table :func:`analysis.loaders.tests.read_tests` should read from the sheet."""
    rows = tests_rows()[1:]
    keys = {name: key for name, _, _, key in _BATTERY}
    frame = pd.DataFrame(rows, columns=TESTS_HEADER)
    value = [float(v.split(":")[0]) * 60 + float(v.split(":")[1]) if isinstance(v, str) else float(v)
             for v in frame["Result"]]
    out = pd.DataFrame({
        C.ATHLETE: frame["Athlete"], C.DATE: pd.to_datetime(frame["Date"]), "test": frame["Test"].map(keys),
        "test_raw": frame["Test"], C.SIDE: frame["Side"].map({"L": "left", "R": "right"}).fillna("both"),
        C.VALUE: value, "unit": frame["Unit"].replace({"mm:ss": "s"}), C.SOURCE_FILE: file,
        C.SOURCE_SHEET: TESTS_SHEET, C.SOURCE_ROW: range(2, len(rows) + 2),
    })
    return C.conform(out, C.TEST_RESULTS)


def planted_tests() -> dict:
    """The manifest's ``tests`` entry: the sheet, its rows, the test days and the planted changes."""
    return {
        "sheet": TESTS_SHEET,
        "rows": len(tests_rows()) - 1,
        "athletes": list(_RESULTS),
        "test_days": {phase: f"{day:%Y-%m-%d}" for phase, day in TEST_DAYS.items()},
        "planted": [
            {"athlete": "Ana Lopez", "test": "single_leg_squat", "side": "left", "values": [10, 14, 19],
             "verdict": "better"},
            {"athlete": "Ana Lopez", "test": "single_leg_squat", "side": "right", "values": [16, 17, 18],
             "verdict": "no clear change"},
            {"athlete": "Ana Lopez", "test": "time_trial_5k", "side": "both", "values": [1490, 1450, 1380],
             "verdict": "better"},
            {"athlete": "Ben Carter", "test": None, "side": None, "values": None, "verdict": "no clear change"},
            {"athlete": "Chloe Dubois", "test": None, "side": None, "values": None, "verdict": "not enough tests"},
        ],
    }

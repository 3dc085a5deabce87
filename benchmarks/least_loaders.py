"""The least a loader can do with pandas, per reader family (issue 17).

``bench_scale.py`` prints this beside each reader's figure and its ``read_csv`` floor. For each
layout it does what every loader must do at the least, and nothing of liftpace's own work:
``pandas.read_csv`` of the file, then the date parsed with its one known format, the numbers
typed, the names kept as categories with their labels normalised once, the rows sorted by
athlete (where the file names one) and date, and exact duplicate sets found. No sniffing, no
checks of units, sides or names, no accounting of rows, no problems table. When this least is
already above a target, no loader that does those things can meet the target with pandas.

Run alone: ``python benchmarks/least_loaders.py [KEY ...]`` prints each least beside read_csv.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

LAYOUT = Path(__file__).resolve().parent / "data" / "layouts"

#: Per layout: the date column and its format, number columns, name columns, a duration column
#: written as h:mm:ss (Garmin), and the columns that identify a set (for the duplicate check).
SPECS: dict[str, dict] = {
    "coach_sets.csv": {"date": ("Date", "%d/%m/%Y"), "numbers": ["Set", "Reps", "Weight (kg)", "RPE"],
                       "names": ["Athlete", "Exercise", "Side"], "athlete": "Athlete"},
    "strong.csv": {"date": ("Date", "%Y-%m-%d %H:%M:%S"), "numbers": ["Weight", "Reps", "Distance", "Seconds", "RPE"],
                   "names": ["Workout Name", "Exercise Name", "Set Order"]},
    "hevy.csv": {"date": ("start_time", "%d %b %Y, %H:%M"), "numbers": ["weight_kg", "reps", "set_index", "rpe"],
                 "names": ["title", "exercise_title", "set_type"]},
    "fitnotes.csv": {"date": ("Date", "%Y-%m-%d"), "numbers": ["Weight", "Reps"],
                     "names": ["Exercise", "Category", "Weight Unit"]},
    "fitbod.csv": {"date": ("Date", "%Y-%m-%d %H:%M:%S %z"), "numbers": ["Reps", "Weight(kg)", "Duration(s)"],
                   "names": ["Exercise", "isWarmup"]},
    "garmin.csv": {"date": ("Date", "%Y-%m-%d %H:%M:%S"), "numbers": ["Distance"], "names": ["Activity Type"],
                   "duration": "Time"},
    "strava.csv": {"date": ("Activity Date", "%b %d, %Y, %I:%M:%S %p"), "numbers": ["Elapsed Time", "Distance"],
                   "names": ["Activity Type"]},
}


def least(path: Path, spec: dict) -> pd.DataFrame:
    """The least canonical table of ``path`` (module docstring)."""
    frame = pd.read_csv(path)
    out = {}
    column, fmt = spec["date"]
    out["date"] = pd.to_datetime(frame[column], format=fmt, errors="coerce")
    for column in spec["numbers"]:
        out[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in spec["names"]:
        names = frame[column].astype("category")
        labels = [str(c).strip().lower().replace(" ", "_") for c in names.cat.categories]
        out[column] = names.cat.rename_categories(labels) if len(set(labels)) == len(labels) else names
    if "duration" in spec:
        out[spec["duration"]] = pd.to_timedelta(frame[spec["duration"]], errors="coerce").dt.total_seconds()
    table = pd.DataFrame(out)
    keys = [spec["athlete"], "date"] if "athlete" in spec else ["date"]
    table = table.sort_values(keys, kind="stable", ignore_index=True)
    table.duplicated()
    return table


def timed(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


if __name__ == "__main__":
    for key in sys.argv[1:] or list(SPECS):
        path = LAYOUT / key
        bare = timed(lambda path=path: pd.read_csv(path))
        took = timed(lambda path=path, key=key: least(path, SPECS[key]))
        print(f"{key:16s} read_csv {bare:5.2f} s   least {took:5.2f} s   {took / bare:4.1f}x")

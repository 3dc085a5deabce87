"""Club-scale files in the layouts people really have, for ``bench_scale.py`` (issue 17).

All are written from the generated squad (``analysis.sample.generate_squad``, the data
``liftpace sample --athletes 100 --weeks 104`` writes), so every reader family reads the same sets:

* ``coach_sets.csv``: a coach's columns ``Athlete, Date, Exercise, Side, Set, Reps, Weight (kg), RPE``
  (dates ``DD/MM/YYYY``, exercise display names, sides ``L``/``R`` or empty), 999,999 sets;
* ``coach_sets.xlsx``: the first ``xlsx_rows`` rows of the same table (dates as Excel dates), one sheet;
* ``coach_per_athlete.xlsx``: the same rows, one sheet per athlete (no athlete column);
* ``strong.csv``: Strong's classic export (``Date,Workout Name,Duration,Exercise Name,Set Order,...``);
* ``hevy.csv``: Hevy's export (``title,start_time,end_time,...,weight_kg,reps,...``);
* ``fitnotes.csv``, ``fitbod.csv``: the other two strength apps, same sets;
* ``garmin.csv``, ``strava.csv``: ``runs`` activity exports (Garmin Connect's English header, Strava's
  ``activities.csv``), the squad's runs repeated with shifted dates up to ``runs`` rows.

Run: ``python benchmarks/layouts.py OUT_DIR`` (``bench_scale.py`` calls :func:`write_layouts`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

#: Data rows of each text file: with the header, liftpace's limit of 1,000,000 lines for a CSV read
#: cell by cell (``MAX_TEXT_LINES`` in :mod:`analysis.loaders.guards`).
TEXT_ROWS = 999_999
COACH_COLUMNS = ["Athlete", "Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)", "RPE"]


def _num(col: pd.Series) -> np.ndarray:
    return col.to_numpy(dtype=float, na_value=np.nan)


def coach_frame(sets: pd.DataFrame, *, text_dates: bool = True) -> pd.DataFrame:
    side = sets["side"].astype(str).map({"left": "L", "right": "R", "both": ""})
    return pd.DataFrame({
        "Athlete": sets["athlete"].astype("category"),
        "Date": sets["date"].dt.strftime("%d/%m/%Y") if text_dates else sets["date"],
        "Exercise": sets["exercise_raw"].astype("category"),
        "Side": side.astype("category"),
        "Set": _num(sets["set_index"]).astype(int),
        "Reps": _num(sets["reps"]),
        "Weight (kg)": _num(sets["load_kg"]),
        "RPE": _num(sets["rpe"]),
    })


def _workout_names(sets: pd.DataFrame) -> pd.Series:
    return pd.Series(np.where(sets["date"].dt.day_of_week.to_numpy() % 2 == 0, "Legs A", "Legs B"), index=sets.index)


def strong_frame(sets: pd.DataFrame) -> pd.DataFrame:
    warm = sets["warmup"].to_numpy(dtype=bool, na_value=False)
    order = np.where(warm, "W", _num(sets["set_index"]).astype(int).astype(str))
    name = sets["exercise_raw"].astype(str) + sets["side"].astype(str).map({"left": " (Left)", "right": " (Right)", "both": ""})
    return pd.DataFrame({
        "Date": (sets["date"] + pd.Timedelta(hours=7, minutes=30)).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Workout Name": _workout_names(sets), "Duration": "52m", "Exercise Name": name.astype("category"),
        "Set Order": order, "Weight": _num(sets["load_kg"]), "Reps": _num(sets["reps"]), "Distance": 0,
        "Seconds": 0.0, "RPE": _num(sets["rpe"]),
    })


def hevy_frame(sets: pd.DataFrame) -> pd.DataFrame:
    warm = sets["warmup"].to_numpy(dtype=bool, na_value=False)
    day = sets["date"] + pd.Timedelta(hours=18, minutes=5)
    name = sets["exercise_raw"].astype(str) + sets["side"].astype(str).map({"left": " (Left)", "right": " (Right)", "both": ""})
    return pd.DataFrame({
        "title": _workout_names(sets), "start_time": day.dt.strftime("%-d %b %Y, %H:%M"),
        "end_time": (day + pd.Timedelta(minutes=57)).dt.strftime("%-d %b %Y, %H:%M"), "description": "",
        "exercise_title": name.astype("category"), "superset_id": np.nan, "exercise_notes": "",
        "set_index": _num(sets["set_index"]).astype(int) - 1, "set_type": np.where(warm, "warmup", "normal"),
        "weight_kg": _num(sets["load_kg"]), "reps": _num(sets["reps"]), "distance_km": np.nan,
        "duration_seconds": 0, "rpe": _num(sets["rpe"]),
    })


def fitnotes_frame(sets: pd.DataFrame) -> pd.DataFrame:
    side = sets["side"].astype(str).map({"left": "left leg", "right": "right leg", "both": ""})
    return pd.DataFrame({
        "Date": sets["date"].dt.strftime("%Y-%m-%d"), "Exercise": sets["exercise_raw"].astype("category"),
        "Category": "Legs", "Weight": _num(sets["load_kg"]), "Weight Unit": "kgs", "Reps": _num(sets["reps"]),
        "Distance": "", "Distance Unit": "", "Time": "", "Comment": side.astype("category"),
    })


def fitbod_frame(sets: pd.DataFrame) -> pd.DataFrame:
    warm = sets["warmup"].to_numpy(dtype=bool, na_value=False)
    name = sets["exercise_raw"].astype(str) + sets["side"].astype(str).map({"left": " (Left)", "right": " (Right)", "both": ""})
    return pd.DataFrame({
        "Date": (sets["date"] + pd.Timedelta(hours=7)).dt.strftime("%Y-%m-%d %H:%M:%S +0000"),
        "Exercise": name.astype("category"), "Reps": _num(sets["reps"]), "Weight(kg)": _num(sets["load_kg"]),
        "Duration(s)": 0.0, "Distance(m)": 0.0, "Incline": 0.0, "Resistance": 0.0,
        "isWarmup": np.where(warm, "true", "false"), "Note": "", "multiplier": 1.0,
    })


def _many_runs(runs: pd.DataFrame, n: int) -> pd.DataFrame:
    """``runs`` repeated, each copy one day later, cut at ``n`` rows."""
    copies = -(-n // len(runs))
    parts = [runs.assign(date=runs["date"] + pd.Timedelta(days=i) + pd.Timedelta(minutes=7 * i)) for i in range(copies)]
    return pd.concat(parts, ignore_index=True).iloc[:n]


def _hms(seconds: np.ndarray) -> np.ndarray:
    s = np.round(seconds).astype(int)
    h, m, sec = s // 3600, s // 60 % 60, s % 60
    return np.char.add(np.char.add(np.char.add(np.char.zfill(h.astype(str), 2), ":"),
                                   np.char.add(np.char.zfill(m.astype(str), 2), ":")), np.char.zfill(sec.astype(str), 2))


def garmin_frame(runs: pd.DataFrame) -> pd.DataFrame:
    dur = _num(runs["duration_s"])
    pace = _num(runs["pace_s_per_km"])
    pace_txt = np.char.add(np.char.add((pace // 60).astype(int).astype(str), ":"),
                           np.char.zfill((pace % 60).astype(int).astype(str), 2))
    hr = _num(runs["avg_hr_bpm"])
    return pd.DataFrame({
        "Activity Type": "Running", "Date": runs["date"].dt.strftime("%Y-%m-%d %H:%M:%S"), "Favorite": "false",
        "Title": "Leeds Running", "Distance": np.char.mod("%.2f", _num(runs["distance_km"])), "Calories": "500",
        "Time": _hms(dur), "Avg HR": np.where(np.isnan(hr), "--", np.char.mod("%.0f", np.nan_to_num(hr))),
        "Max HR": "175", "Aerobic TE": "3.1", "Avg Run Cadence": "170", "Max Run Cadence": "181",
        "Avg Pace": pace_txt, "Best Pace": "4:50", "Total Ascent": np.char.mod("%.0f", _num(runs["elevation_gain_m"])),
        "Total Descent": "49", "Avg Stride Length": "1.07", "Training Stress Score®": "0.0", "Steps": "7,477",
        "Decompression": "No", "Best Lap Time": "00:05:12.8", "Number of Laps": "8", "Moving Time": _hms(dur),
        "Elapsed Time": _hms(dur + 30), "Min Elevation": "61", "Max Elevation": "97",
    })


def strava_frame(runs: pd.DataFrame) -> pd.DataFrame:
    dur = _num(runs["duration_s"])
    km = _num(runs["distance_km"])
    hr = _num(runs["avg_hr_bpm"])
    n = len(runs)
    return pd.DataFrame({
        "Activity ID": np.arange(n, dtype=np.int64) + 15_600_000_001,
        "Activity Date": runs["date"].dt.strftime("%b %-d, %Y, %-I:%M:%S %p"), "Activity Name": "Morning Run",
        "Activity Type": "Run", "Activity Description": "", "Elapsed Time": dur.astype(int), "Distance": np.round(km, 2),
        "Max Heart Rate": "", "Relative Effort": "", "Commute": "false", "Activity Gear": "Nike Pegasus 41",
        "Moving Time": dur - 20, "Distance ": np.round(km * 1000, 1), "Elevation Gain": _num(runs["elevation_gain_m"]),
        "Average Heart Rate": hr,
    }).rename(columns={"Distance ": "Distance"})


def write_layouts(out: Path, sets: pd.DataFrame, runs: pd.DataFrame, *, xlsx_rows: int = 100_000,
                  n_runs: int = 100_000) -> dict[str, Path]:
    """Write every layout into ``out``; returns name -> path."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    sets = sets.iloc[:TEXT_ROWS]
    coach = coach_frame(sets)
    for name, frame in [("coach_csv", coach), ("strong", strong_frame(sets)), ("hevy", hevy_frame(sets)),
                        ("fitnotes", fitnotes_frame(sets)), ("fitbod", fitbod_frame(sets))]:
        path = out / ("coach_sets.csv" if name == "coach_csv" else f"{name}.csv")
        frame.to_csv(path, index=False)
        paths[name] = path
    many = _many_runs(runs, n_runs)
    for name, frame in [("garmin", garmin_frame(many)), ("strava", strava_frame(many))]:
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths[name] = path
    head = coach_frame(sets.iloc[:xlsx_rows], text_dates=False)  # a coach's Excel holds dates, not text
    paths["coach_xlsx"] = _write_xlsx(out / "coach_sets.xlsx", {"Sets": head})
    per = {str(a): g.drop(columns="Athlete") for a, g in head.groupby("Athlete", observed=True, sort=False)}
    paths["coach_per_athlete"] = _write_xlsx(out / "coach_per_athlete.xlsx", per)
    return paths


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        ws = book.create_sheet(name[:31])
        ws.append(list(frame.columns))
        cols = [c.astype(object).where(c.notna() & (c.astype(str) != ""), None).tolist() for _, c in frame.items()]
        for row in zip(*cols, strict=True):
            ws.append(row)
    book.save(path)
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import squad

    s, r = squad()
    for key, p in write_layouts(Path(sys.argv[1]), s, r).items():
        print(key, p, f"{p.stat().st_size / 1e6:.1f} MB")

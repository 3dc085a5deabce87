"""Render the :func:`analysis.sample.plan.generate_block` frames as a coach's workbook.

Layout of ``coach_workbook.xlsx``: one sheet per athlete (row 1 a title merged over A1:H1,
row 2 a subtitle, row 3 blank, row 4 the header ``Date | Exercise | Side | Set | Reps |
Weight (kg) | RPE | Notes``, then one row per set with a blank row between weeks; ``L``/``R``
sides, ``BW`` for bodyweight, ``45s`` for holds, ``warm-up`` in Notes), then ``Runs``,
``Bodyweight``, ``Notes`` (free text), ``Plan`` (wide, not a log: a row per exercise, a column
per week, and a ``Phase`` row under the header naming Foundation, Strength and Power where each
starts) and ``Tests`` (the test days, :mod:`analysis.sample.battery`; read by
:func:`analysis.loaders.tests.find_tests`, counted as test results by ``read_logs``).

``coach_workbook_messy.xlsx`` holds the same data with planted defects: a weight typed as
text (``62.5kg``), decimal commas (weight and run distance), ``8/8/6`` set-by-set reps in one
row, a ``dd/mm/yyyy`` text date, a negative weight, an unknown exercise, ``abc`` reps, two
extra blank rows and a trailing space in an athlete name.

Private helpers of :func:`analysis.sample.write_samples`: each sheet is first built as a list
of rows (lists of cell values, row 1 first), so the messy workbook can plant its defects by
editing rows and still report the row number Excel shows for each defect.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Font

from analysis.sample.battery import TESTS_SHEET, tests_rows
from analysis.sample.plan import PROGRAM, REF_LOAD, WORKBOOK_NAMES

COACH = "Jo Smith"
SET_HEADER = ["Date", "Exercise", "Side", "Set", "Reps", "Weight (kg)", "RPE", "Notes"]
RUN_HEADER = [
    "Athlete",
    "Date",
    "Type",
    "Distance (km)",
    "Duration",
    "Avg HR",
    "Elevation gain (m)",
]
BW_HEADER = ["Athlete", "Date", "Bodyweight (kg)"]
PHASES = ("Foundation", "Strength", "Power")  # the Plan sheet's Phase row, weeks 1-4, 5-8, 9-12
FIXED_TIME = dt.datetime(2026, 11, 22, 12, 0, 0)  # document properties and zip entry times

_NOTES = (
    f"Block notes (coach: {COACH})",
    None,
    "Goal: single-leg strength and stiffness for a 10 km race in late November. Two sessions "
    "a week, never the day before the tempo run.",
    None,
    "Progress the load every 2-3 weeks when every set is done at RPE 8 or less. Log both "
    "sides on single-leg lifts, left first.",
    None,
    "Ana: right leg clearly stronger on split squats at the start; same reps both sides, "
    "lighter load on the left if needed.",
    None,
    "Chloe: travelling in weeks 7, 10 and 11; do the Tuesday session when possible.",
)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def duration_text(seconds: float) -> str:
    """Format seconds as ``h:mm:ss`` from one hour, else ``mm:ss``.

    Examples
    --------
    >>> duration_text(3607), duration_text(2201), duration_text(65)
    ('1:00:07', '36:41', '01:05')
    """
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _athlete_rows(sets: pd.DataFrame) -> list[list]:
    """One athlete's sheet: title, subtitle, blank, header, then a row per set at source_row."""
    athlete = sets["athlete"].iloc[0]
    rows: list[list] = [[None] * len(SET_HEADER) for _ in range(int(sets["source_row"].max()))]
    rows[0][0] = f"{athlete} - 12-week strength block (coach: {COACH})"
    rows[1][0] = "Runner: 10 km goal, 2 sessions/week"
    rows[3] = list(SET_HEADER)
    load = sets["load_kg"].to_numpy(dtype=float, na_value=np.nan)
    reps = sets["reps"].to_numpy(dtype=float, na_value=np.nan)
    hold = sets["duration_s"].to_numpy(dtype=float, na_value=np.nan)
    rpe = sets["rpe"].to_numpy(dtype=float, na_value=np.nan)
    cells = zip(
        sets["source_row"],
        sets["date"].dt.date,
        sets["exercise_raw"],
        sets["side"].map({"left": "L", "right": "R", "both": None}),
        sets["set_index"],
        reps,
        hold,
        load,
        rpe,
        sets["warmup"],
        strict=True,
    )
    for row, date, name, side, set_no, rep, secs, kg, effort, warm in cells:
        rows[row - 1] = [
            date,
            name,
            side,
            int(set_no),
            f"{secs:.0f}s" if np.isnan(rep) else int(rep),
            "BW" if kg == 0 else _num(kg),
            None if np.isnan(effort) else _num(effort),
            "warm-up" if warm else None,
        ]
    return rows


def _runs_rows(runs: pd.DataFrame) -> list[list]:
    cells = zip(
        runs["athlete"],
        runs["date"].dt.to_pydatetime(),
        runs["run_type"].str.capitalize(),
        runs["distance_km"].astype(float),
        runs["duration_s"].astype(float).map(duration_text),
        runs["avg_hr_bpm"].astype(float),
        runs["elevation_gain_m"].astype(float),
        strict=True,
    )
    return [list(RUN_HEADER)] + [
        [a, d, t, _num(km), dur, int(hr), int(el)] for a, d, t, km, dur, hr, el in cells
    ]


def _bodyweight_rows(bodyweight: pd.DataFrame) -> list[list]:
    cells = zip(
        bodyweight["athlete"],
        bodyweight["date"].dt.date,
        bodyweight["bodyweight_kg"].astype(float),
        strict=True,
    )
    return [list(BW_HEADER)] + [[a, d, _num(kg)] for a, d, kg in cells]


def _plan_rows() -> list[list]:
    """Wide plan: one row per exercise, one column per week, cells like ``3 x 10 @ 16kg``."""
    keys = list(
        dict.fromkeys(item[0] for phase in PROGRAM.values() for day in phase for item in day)
    )
    rows: list[list] = [["Exercise", *[f"Week {w}" for w in range(1, 13)]]]
    # the phase of each week under the header: named where it starts, blank while it lasts
    rows.append(["Phase", *[PHASES[(w - 1) // 4] if (w - 1) % 4 == 0 else None for w in range(1, 13)]])
    for key in keys:
        cells: list[str | None] = []
        for week in range(1, 13):
            items = [i for day in PROGRAM[(week - 1) // 4 + 1] for i in day if i[0] == key]
            if not items:
                cells.append(None)
                continue
            _, n_sets, dose, kind = items[0]
            dose = dose[((week - 1) // 2) % 2] if isinstance(dose, tuple) else dose
            load = REF_LOAD.get(key, (0,) * 6)[(week - 1) // 2]
            cells.append(
                f"{n_sets}x{dose}s"
                if kind == "hold"
                else f"{n_sets} x {dose} @ {load:g}kg"
                if kind == "load" and load
                else f"{n_sets}x{dose} @ BW"
            )
        rows.append([WORKBOOK_NAMES[key], *cells])
    return rows


def _sheets(sets, runs, bodyweight) -> dict[str, list[list]]:
    sheets = {name: _athlete_rows(frame) for name, frame in sets.groupby("athlete", sort=False)}
    sheets["Runs"] = _runs_rows(runs)
    sheets["Bodyweight"] = _bodyweight_rows(bodyweight)
    sheets["Notes"] = [[text] for text in _NOTES]
    sheets["Plan"] = _plan_rows()
    sheets[TESTS_SHEET] = tests_rows()
    return sheets


def _save(path: Path, sheets: dict[str, list[list]], athletes: list[str]) -> None:
    """Write the sheets with openpyxl, then re-zip with fixed times so bytes are stable."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
        if name in athletes:
            ws.merge_cells("A1:H1")
            ws.merge_cells("A2:H2")
            ws["A1"].font = Font(bold=True, size=13)
            for c in range(1, len(SET_HEADER) + 1):
                ws.cell(4, c).font = Font(bold=True)
            for col, width in zip("ABCDEFGH", (12, 24, 6, 5, 7, 12, 6, 10), strict=True):
                ws.column_dimensions[col].width = width
        elif name == "Notes":
            ws.column_dimensions["A"].width = 100
        else:
            for c in range(1, len(rows[0]) + 1):
                ws.cell(1, c).font = Font(bold=True)
            ws.column_dimensions["A"].width = 22 if name == "Plan" else 14
            ws.column_dimensions["B"].width = 17
            if name == TESTS_SHEET:
                ws.column_dimensions["C"].width = 22
    wb.properties.creator = f"{COACH} (liftpace sample)"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)


def write_coach_workbook(path, sets, runs, bodyweight) -> None:
    """Write ``coach_workbook.xlsx`` from :func:`analysis.sample.generate_block` frames."""
    _save(
        Path(path),
        _sheets(sets, runs, bodyweight),
        list(sets["athlete"].unique()),
    )


class _Editor:
    """Edit sheet rows while tracking where each planted defect ends up."""

    def __init__(self, sheets: dict[str, list[list]]) -> None:
        self.sheets = sheets
        self.tags: dict[str, list] = {name: [None] * len(rows) for name, rows in sheets.items()}
        self.problems: list[dict] = []

    def _tag(self, sheet, index, column, value, action, problem) -> None:
        self.tags[sheet][index] = len(self.problems)
        self.problems.append(
            {
                "sheet": sheet,
                "row": None,
                "column": column,
                "value": value,
                "action": action,
                "problem": problem,
            }
        )

    def set(self, sheet, row, column, value, action, problem) -> None:
        header = SET_HEADER if self.sheets[sheet][3] == SET_HEADER else self.sheets[sheet][0]
        self.sheets[sheet][row - 1][header.index(column)] = value
        self._tag(sheet, row - 1, column, str(value), action, problem)

    def insert(self, sheet, row, values, column, value, action, problem) -> None:
        self.sheets[sheet].insert(row - 1, values)
        self.tags[sheet].insert(row - 1, None)
        self._tag(sheet, row - 1, column, value, action, problem)

    def delete(self, sheet, row) -> None:
        del self.sheets[sheet][row - 1]
        del self.tags[sheet][row - 1]

    def finish(self) -> list[dict]:
        for _sheet, tags in self.tags.items():
            for index, tag in enumerate(tags):
                if tag is not None:
                    self.problems[tag]["row"] = index + 1
        order = {name: i for i, name in enumerate(self.sheets)}
        return sorted(self.problems, key=lambda p: (order[p["sheet"]], p["row"]))


def write_messy_workbook(path, sets, runs, bodyweight):
    """Write ``coach_workbook_messy.xlsx``: the clean data with planted defects.

    Returns the defects (sheet, row as Excel shows it, column header, value, action, problem)
    and the change in the expected number of sets (dropped rows, added rows).
    """
    sheets = _sheets(sets, runs, bodyweight)
    ed = _Editor(sheets)
    work = sets.assign(week=(sets["date"] - sets["date"].min()).dt.days // 7 + 1)
    work = work[~work["warmup"].astype(bool)]

    def rows_of(athlete, **match) -> pd.Series:
        sel = work["athlete"] == athlete
        for col, val in match.items():
            sel &= work[col] == val
        return work.loc[sel, "source_row"].astype(int)

    ana = rows_of("Ana Lopez", exercise="hip_thrust", week=11).iloc[0]
    kg = float(
        work.loc[work["source_row"].eq(ana) & work["athlete"].eq("Ana Lopez"), "load_kg"].iloc[0]
    )
    ed.set("Ana Lopez", ana, "Weight (kg)", f"{kg:g}kg", "fixed", "weight typed as text")
    chloe = work[work["athlete"] == "Chloe Dubois"]
    half = chloe[(chloe["load_kg"] % 1 == 0.5)].iloc[0]
    ed.set(
        "Chloe Dubois",
        int(half["source_row"]),
        "Weight (kg)",
        f"{half['load_kg']:.1f}".replace(".", ","),
        "fixed",
        "decimal comma in a number",
    )
    twenty = chloe[chloe["load_kg"] == 20]
    neg = (twenty if len(twenty) else chloe[chloe["load_kg"] > 0]).iloc[0]
    ed.set(
        "Chloe Dubois",
        int(neg["source_row"]),
        "Weight (kg)",
        -_num(neg["load_kg"]),
        "dropped",
        "negative weight",
    )
    abc = rows_of("Chloe Dubois", exercise="glute_bridge", week=2, set_index=2).iloc[0]
    ed.set("Chloe Dubois", abc, "Reps", "abc", "dropped", "reps are not a number")
    ben_fri = work.loc[(work["athlete"] == "Ben Carter") & (work["week"] == 1)]
    first_fri = ben_fri[ben_fri["date"] == ben_fri["date"].max()].iloc[0]
    ed.set(
        "Ben Carter",
        int(first_fri["source_row"]),
        "Date",
        f"{first_fri['date']:%d/%m/%Y}",
        "fixed",
        "date typed as text (dd/mm/yyyy)",
    )
    # structural edits, bottom of each sheet first so earlier row numbers stay valid
    every = sets.assign(week=(sets["date"] - sets["date"].min()).dt.days // 7 + 1)
    week7 = int(
        every.loc[every["athlete"].eq("Ben Carter") & every["week"].eq(7), "source_row"].min()
    )
    for _ in range(2):
        ed.insert(
            "Ben Carter",
            week7 - 1,
            [None] * len(SET_HEADER),
            None,
            "",
            "skipped",
            "extra blank row",
        )
    dev = work[
        work["athlete"].eq("Dev Patel") & work["exercise"].eq("hip_thrust") & work["week"].eq(9)
    ].iloc[:3]
    dev886 = dev["source_row"].astype(int).tolist()
    text = "/".join(dev["reps"].astype(int).astype(str))
    ed.set(
        "Dev Patel",
        dev886[0],
        "Reps",
        text,
        "fixed",
        "set-by-set reps in one row (3 sets, Set cell empty)",
    )
    sheets["Dev Patel"][dev886[0] - 1][SET_HEADER.index("Set")] = None
    for row in sorted(dev886[1:], reverse=True):
        ed.delete("Dev Patel", row)
    last8 = int(rows_of("Dev Patel", week=8).max())
    day8 = sheets["Dev Patel"][last8 - 1][0]
    ed.insert(
        "Dev Patel",
        last8 + 1,
        [day8, "Zercher hop", None, 1, 10, "BW", None, None],
        "Exercise",
        "Zercher hop",
        "kept",
        "exercise not in the catalog",
    )
    long_runs = runs[
        (runs["run_type"] == "long")
        & (runs["distance_km"] >= 14)
        & ((runs["distance_km"] * 10).round() % 10 != 0)
    ]
    run = long_runs.iloc[0]
    ed.set(
        "Runs",
        int(run["source_row"]),
        "Distance (km)",
        f"{run['distance_km']:.1f}".replace(".", ","),
        "fixed",
        "decimal comma in a number",
    )
    ana_run = runs[runs["athlete"] == "Ana Lopez"].iloc[0]
    ed.set(
        "Runs",
        int(ana_run["source_row"]),
        "Athlete",
        "Ana Lopez ",
        "trimmed",
        "trailing space in the athlete name",
    )
    _save(Path(path), sheets, list(sets["athlete"].unique()))
    problems = ed.finish()
    # a dd/mm text date with both parts <= 12 is also read by a default rule: one kept note
    text_date = next(p for p in problems if p["column"] == "Date")
    problems.append({**text_date, "action": "kept", "problem": "text dates could be day-first or month-first"})
    order = {name: i for i, name in enumerate(sheets)}
    problems.sort(key=lambda p: (order[p["sheet"]], p["row"], p["action"]))
    return problems, 1 - 2  # Zercher hop kept; negative weight and 'abc' rows dropped

"""The committed sample set: write it, with its manifest and planted facts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.sample.battery import planted_tests
from analysis.sample.plan import (
    ANA_GAP,
    ANA_GAP_EXERCISES,
    ATHLETES,
    FIRST_MONDAY,
    MESSY,
    RUNNER,
    RUNNER_RUNS,
    RUNNER_SETS,
    STALL,
    WEEKS,
    WORKBOOK,
    body_load,
    generate_block,
    generate_runner,
)
from analysis.sample.workbook import (
    duration_text,
    write_coach_workbook,
    write_messy_workbook,
)

__all__ = ["planted_facts", "write_samples"]


def _e1rm(sets: pd.DataFrame) -> pd.Series:
    load = sets["load_kg"].to_numpy(dtype=float, na_value=np.nan)
    reps = sets["reps"].to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(load * (1 + reps / 30), index=sets.index)


def _block_week(dates: pd.Series) -> pd.Series:
    return (dates - FIRST_MONDAY).dt.days // 7 + 1


def planted_facts(sets: pd.DataFrame) -> list[dict]:
    """Measure the planted facts in the :func:`generate_block` sets (manifest ``planted``).

    Parameters
    ----------
    sets : DataFrame
        The ``sets`` frame of :func:`generate_block`.

    Returns
    -------
    list of dict
        One fact per entry: ``athlete``, ``exercise`` (or None), ``weeks`` (first and last
        block week), ``what`` (plain words) and the measured values: for Ana's lifts
        ``target_asymmetry_pct``, ``asymmetry_pct_mean`` (%, mean over sessions of
        100 (R - L) / max(L, R) on the best set per side: Epley e1RM, or reps when the load
        is bodyweight) and ``sessions``; for Ben ``weekly_best_e1rm_kg`` (kg) and the stalled
        ``load_kg`` / ``reps``; for Chloe and Dev ``sessions_per_week``.

    Examples
    --------
    >>> facts = planted_facts(generate_block()[0])
    >>> [f["target_asymmetry_pct"] for f in facts[:3]]
    [15.0, 9.0, 3.0]
    """
    work = sets.loc[~sets["warmup"].astype(bool)].assign(
        week=_block_week(sets["date"]), e1rm=_e1rm(sets)
    )
    facts = []
    ana = work[work["athlete"] == "Ana Lopez"].copy()
    ana["metric"] = np.nan
    for key in ANA_GAP_EXERCISES:  # e1RM of load plus body mass, or reps when bodyweight
        rows = (ana["exercise"] == key).to_numpy()
        part = ana[rows]
        system = part["load_kg"].astype(float) + body_load("Ana Lopez", key)
        e1rm = system * (1 + part["reps"].astype(float) / 30)
        phase1 = (part["week"] <= 4).to_numpy()
        ana.loc[rows, "metric"] = np.where(
            (part["load_kg"] > 0).to_numpy() & ~phase1, e1rm, part["reps"].astype(float)
        )
    for key in ANA_GAP_EXERCISES:
        best = ana[ana["exercise"] == key].pivot_table(
            index=["week", "date"], columns="side", values="metric", aggfunc="max"
        )
        pct = 100 * (best["right"] - best["left"]) / best[["left", "right"]].max(axis=1)
        for phase, gap in ANA_GAP.items():
            weeks = [4 * phase - 3, 4 * phase]
            sel = pct[pct.index.get_level_values("week").isin(range(weeks[0], weeks[1] + 1))]
            facts.append(
                {
                    "athlete": "Ana Lopez",
                    "exercise": key,
                    "weeks": weeks,
                    "what": f"right side stronger: asymmetry_pct about +{100 * gap:.0f} "
                    "(best e1RM of load plus body mass per side and session; reps at equal "
                    "load when bodyweight)",
                    "target_asymmetry_pct": round(100 * gap, 1),
                    "asymmetry_pct_mean": round(float(sel.mean()), 2),
                    "sessions": len(sel),
                }
            )
    ben = work[(work["athlete"] == STALL[0]) & (work["exercise"] == STALL[1])]
    weekly = ben.groupby("week")["e1rm"].max().round(2)
    stalled = ben[ben["week"] >= STALL[2]]
    facts += [
        {
            "athlete": STALL[0],
            "exercise": STALL[1],
            "weeks": [1, STALL[2] - 1],
            "what": "best e1RM (Epley) rises every 2 weeks",
            "weekly_best_e1rm_kg": weekly.loc[1 : STALL[2] - 1].tolist(),
        },
        {
            "athlete": STALL[0],
            "exercise": STALL[1],
            "weeks": [STALL[2], WEEKS],
            "what": "stall: the same load every session, no e1RM gain",
            "load_kg": sorted(stalled["load_kg"].unique().tolist()),
            "reps": sorted(int(r) for r in stalled["reps"].dropna().unique()),
            "weekly_best_e1rm_kg": weekly.loc[STALL[2] : WEEKS].tolist(),
        },
    ]
    for athlete in ("Chloe Dubois", "Dev Patel"):
        dates = sets.loc[sets["athlete"] == athlete, "date"].drop_duplicates()
        counts = _block_week(dates).value_counts()
        per_week = counts.reindex(range(1, WEEKS + 1), fill_value=0)
        what = (
            "missed sessions: 1 session in weeks 3, 7, 10 and none in week 11"
            if athlete == "Chloe Dubois"
            else "clean, steadily progressing; misses the Friday session of week 6"
        )
        facts.append(
            {
                "athlete": athlete,
                "exercise": None,
                "weeks": [1, WEEKS],
                "what": what,
                "sessions_per_week": per_week.tolist(),
            }
        )
    return facts


_FIRST = ("Ana", "Ben", "Chloe", "Dev", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kira", "Leo")
_LAST = ("Lopez", "Carter", "Dubois", "Patel", "Novak", "Berg", "Rossi", "Okafor", "Silva", "Kim")


def write_club_workbook(path: str | Path, *, athletes: int = 30, seed: int = 42) -> Path:
    """A coach workbook of ``athletes`` athletes (a sheet each, runs and bodyweight sheets).

    The four-athlete block of :func:`analysis.sample.generate_block` drawn with successive
    seeds, its athletes renamed (``Eva Novak``, ``Finn Berg``...): realistic per-athlete logs at
    a squad's size, for the report benchmark and tests.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` to write.
    athletes : int, default=30
        Number of athletes, 1 to 120.
    seed : int, default=42
        The first seed.

    Returns
    -------
    Path
        ``path``.
    """
    if isinstance(athletes, bool) or not isinstance(athletes, int) or not 1 <= athletes <= len(_FIRST) * len(_LAST):
        raise ValueError(f"expected athletes from 1 to {len(_FIRST) * len(_LAST)}, got {athletes!r} instead")
    names = [f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST) + i) % len(_LAST)]}" for i in range(athletes)]
    parts: list[list[pd.DataFrame]] = [[], [], []]
    k = 0
    while k < athletes:
        block = generate_block(seed=seed + k)
        originals = sorted(block[0]["athlete"].unique())
        rename = {a: names[k + i] for i, a in enumerate(originals) if k + i < athletes}
        for frame, into in zip(block, parts, strict=True):
            mine = frame[frame["athlete"].isin(list(rename))]
            into.append(mine.assign(athlete=mine["athlete"].map(rename)))
        k += len(rename)
    sets, runs, bodyweight = (pd.concat(p, ignore_index=True) for p in parts)
    write_coach_workbook(Path(path), sets, runs, bodyweight)
    return Path(path)


def write_samples(out_dir: str | Path, *, seed: int = 42) -> list[Path]:
    """Write the committed sample set (workbooks, CSVs, manifest, README) to ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Output folder, created when missing; existing sample files are overwritten.
    seed : int, default=42
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    list of Path
        The files written: ``coach_workbook.xlsx``, ``coach_workbook_messy.xlsx``,
        ``runner_strength.csv``, ``runner_runs.csv``, ``manifest.json``, ``README.md``.

    Notes
    -----
    ``manifest.json`` lists per file: ``path``, ``format`` (``coach_workbook``,
    ``long_csv``, ``runs_csv``), ``athletes``, ``first_date``, ``last_date``, ``rows``
    (expected ``sets``, ``runs``, ``bodyweight`` rows after loading, counted from what was
    written), ``skipped`` (sheets that are not logs), ``tests`` (workbooks: the Tests sheet, its
    result rows, the test day of each phase and the planted changes, :mod:`analysis.sample.battery`),
    ``problems`` (planted defects: sheet,
    row as Excel shows it, column header, value, action, problem), ``planted``
    (:func:`planted_facts`) and ``options`` for the loader.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_samples(tmp)][:2]
    ['coach_workbook.xlsx', 'coach_workbook_messy.xlsx']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sets, runs, bodyweight = generate_block(seed=seed)
    r_sets, r_runs = generate_runner(seed=seed)
    write_coach_workbook(out / WORKBOOK, sets, runs, bodyweight)
    problems, delta = write_messy_workbook(out / MESSY, sets, runs, bodyweight)
    _write_runner_csvs(out / RUNNER_SETS, out / RUNNER_RUNS, r_sets, r_runs)

    def span(*frames: pd.DataFrame) -> dict:
        dates = pd.concat([f["date"] for f in frames])
        return {"first_date": f"{dates.min():%Y-%m-%d}", "last_date": f"{dates.max():%Y-%m-%d}"}

    book = {"format": "coach_workbook", "athletes": list(ATHLETES), **span(sets, runs, bodyweight)}
    rows = {"sets": len(sets), "runs": len(runs), "bodyweight": len(bodyweight)}
    files = [
        {
            "path": WORKBOOK,
            **book,
            "rows": rows,
            "skipped": ["Notes", "Plan"],
            "tests": planted_tests(),
            "problems": [],
            "planted": planted_facts(sets),
            "options": {},
        },
        {
            "path": MESSY,
            **book,
            "rows": {**rows, "sets": rows["sets"] + delta},
            "skipped": ["Notes", "Plan"],
            "tests": planted_tests(),
            "problems": problems,
            "planted": [],
            "same_data_as": WORKBOOK,
            "options": {},
        },
        {
            "path": RUNNER_SETS,
            "format": "long_csv",
            "athletes": [RUNNER],
            **span(r_sets),
            "rows": {"sets": len(r_sets), "runs": 0, "bodyweight": 0},
            "skipped": [],
            "problems": [],
            "planted": [],
            "options": {"athlete": RUNNER},
        },
        {
            "path": RUNNER_RUNS,
            "format": "runs_csv",
            "athletes": [RUNNER],
            **span(r_runs),
            "rows": {"sets": 0, "runs": len(r_runs), "bodyweight": 0},
            "skipped": [],
            "problems": [],
            "planted": [],
            "options": {"athlete": RUNNER},
        },
    ]
    manifest = {
        "generator": f"analysis.sample.write_samples(seed={seed})",
        "notes": "rows = expected rows of the canonical tables after loading (a Sets=3 row or "
        "'8/8/6' gives 3 sets; warm-ups are sets). problems[].action: dropped/fixed/kept are "
        "expected rows of the problems table; 'skipped' rows are counted blank rows and "
        "'trimmed' values are trimmed silently. Row numbers are as Excel shows them.",
        "files": files,
    }
    paths = [out / f["path"] for f in files]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_README, encoding="utf-8")
    return [*paths, out / "manifest.json", out / "README.md"]


def _write_runner_csvs(sets_path, runs_path, sets: pd.DataFrame, runs: pd.DataFrame) -> None:
    """Write ``runner_strength.csv`` (a row per exercise and side, ``Sets``) and the runs CSV.

    No athlete column: the loader takes the athlete from its ``athlete=`` option.
    """
    rows = sets.groupby("source_row", sort=True)
    first = rows.first()
    long = pd.DataFrame(
        {
            "Date": first["date"].dt.strftime("%Y-%m-%d"),
            "Exercise": first["exercise_raw"],
            "Side": first["side"].replace({"both": ""}),
            "Sets": rows.size(),
            "Reps": first["reps"].astype(int),
            "Weight (kg)": first["load_kg"].astype(float).map("{:g}".format),
            "RPE": first["rpe"].astype(float).map(lambda v: "" if np.isnan(v) else f"{v:g}"),
            "Notes": np.where(first["warmup"].astype(bool), "warm-up", ""),
        }
    )
    long.to_csv(sets_path, index=False, lineterminator="\n")
    out = pd.DataFrame(
        {
            "Date": runs["date"].dt.strftime("%Y-%m-%d %H:%M"),
            "Type": runs["run_type"].str.capitalize(),
            "Distance (km)": runs["distance_km"].astype(float).map("{:.1f}".format),
            "Duration": runs["duration_s"].astype(float).map(duration_text),
            "Avg HR": runs["avg_hr_bpm"].astype(int),
            "Elevation gain (m)": runs["elevation_gain_m"].astype(int),
        }
    )
    out.to_csv(runs_path, index=False, lineterminator="\n")


_README = """\
# Sample logs

Small, deterministic training logs in the layouts liftpace reads. Generated by
`analysis.sample.write_samples` (seed 42); regenerate with

    liftpace sample --out data/sample_logs

Twelve weeks (Monday 2026-08-31 to Sunday 2026-11-22), strength on Tuesdays and Fridays.

| file | what |
|---|---|
| `coach_workbook.xlsx` | a coach's workbook: one sheet per athlete (Ana Lopez, Ben Carter, Chloe Dubois, Dev Patel; title rows, header in row 4, one row per set, `L`/`R` sides, `BW`, `45s` holds), plus `Runs`, `Bodyweight`, two sheets that are not logs (`Notes`, and `Plan`: a row per exercise, a column per week, and a `Phase` row naming Foundation (weeks 1-4), Strength (5-8) and Power (9-12)), and `Tests`: the test days (one per phase), which `read_logs` counts as test results and `analysis.loaders.tests.find_tests` reads |
| `coach_workbook_messy.xlsx` | the same data with realistic defects (text weights, decimal commas, `8/8/6`, a text date, a negative weight, an unknown exercise, `abc` reps, extra blank rows, a trailing space) |
| `runner_strength.csv` | one runner's strength log, one row per exercise and side with a `Sets` column; no athlete column (use `athlete="Sam Runner"`) |
| `runner_runs.csv` | the same runner's runs (`mm:ss` / `h:mm:ss` durations) |
| `manifest.json` | per file: format, athletes, date range, expected row counts after loading (`rows`), loader `options`, the Tests sheet (`tests`: rows, test days, planted changes), the planted defects (`problems`: sheet, row as Excel shows it, column, value, action) and the planted facts (`planted`, with measured values) |

In `problems`, actions `dropped`, `fixed` and `kept` are expected rows of the loader's problems
table; `skipped` rows are blank rows the loader counts, and `trimmed` values are trimmed silently.

Planted facts: Ana Lopez's right side is stronger on the Bulgarian split squat and single-leg
RDL with a gap that narrows (about 15 %, 9 %, 3 % by phase, on the load plus body mass); Ben
Carter's goblet squat stalls from week 7 (weeks 7-12); Chloe Dubois misses sessions (weeks 3, 7,
10, 11); Dev Patel progresses steadily.

Test days: Saturdays 2026-09-26, 2026-10-24 and 2026-11-21, ending the foundation, strength and
power phases (single-leg squat and calf raise to failure per side, side plank per side,
single-leg hop per side, countermovement jump, 5 km time trial). Ana Lopez's weak left leg
improves clearly on the single-leg squat (10, 14, 19 reps; right 16, 17, 18: no clear change) and
her 5 km falls from 24:50 to 23:00; Ben Carter shows no clear change on any test; Dev Patel tests
every phase; Chloe Dubois tests only once (not enough tests).
"""

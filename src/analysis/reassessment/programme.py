"""The programme around a block: its phase and aim, and run-lift spacing.

A block is judged by its phase's aim (:mod:`analysis.phases`):

foundation
    Reps, holds and sessions: bodyweight and form work. A lift judged on load or e1RM that
    stalls is not a concern here.
strength
    Load and single-leg balance: every verdict counts as it is.
power
    Jump and plyometric volume, with strength held: a stall is what maintenance looks like.

Definitions
-----------
``needs_attention``
    A lift whose status asks the coach to act in this phase: ``regressing`` always;
    ``stalled`` in the strength phase, in foundation when judged on reps, sets or holds, and in
    power when the stall began before the power phase did (the last new best came before it:
    the lift stopped while load was still the aim). The verdict strip and the findings both
    read this column, so they cannot disagree.
Spacing
    :func:`analysis.spacing.run_lift_spacing` over the current and previous blocks: a planning
    note next to the usual advice (strength on easy-run days), never an injury risk.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from analysis.columns import ATHLETE
from analysis.testdays import TESTS

__all__ = ["AIMS", "lift_aims", "programme_rows", "test_name", "test_rows"]

#: What each phase is judged on, in words for people.
AIMS: Final = {
    "foundation": "reps, holds and sessions (bodyweight and form work)",
    "strength": "load and single-leg balance",
    "power": "jump and plyometric volume, with strength held",
}
_LOAD_METRICS = ("e1rm_kg", "load_kg")


def phase_starts(timeline: pd.DataFrame) -> pd.Series:
    """Per athlete, the first week of the run of weeks in their latest phase."""
    if timeline.empty:
        return pd.Series(dtype="datetime64[us]")
    ordered = timeline.sort_values([ATHLETE, "week_start"], kind="stable")
    previous = ordered.groupby(ATHLETE, sort=False)["phase"].shift()
    changed = (ordered["phase"] != previous).fillna(True).to_numpy(dtype=bool)
    runs = ordered[changed]
    return runs.groupby(ATHLETE, sort=False)["week_start"].last()


def lift_aims(lifts: pd.DataFrame, phases: pd.DataFrame, timeline: pd.DataFrame | None = None) -> pd.DataFrame:
    """``lifts`` with ``phase`` (the current block's, NA unknown) and ``needs_attention``.

    Parameters
    ----------
    lifts : DataFrame
        :func:`analysis.reassessment.lift_status`.
    phases : DataFrame
        :func:`analysis.phases.block_phases`; the row with ``block_index`` 0 is the current block.
    timeline : DataFrame, default=None
        :func:`analysis.phases.phase_timeline`: when the current phase began (for a stall in
        the power phase).

    Returns
    -------
    DataFrame
        A copy with ``phase`` (string) and ``needs_attention`` (boolean) (module docstring).
    """
    current = phases[phases["block_index"] == 0].set_index(ATHLETE)["phase"] if len(phases) else pd.Series(dtype=object)
    phase = lifts[ATHLETE].map(current).astype("string")
    status = lifts["status"].astype(str).to_numpy()
    metric = lifts["metric"].astype(str).to_numpy()
    in_power = (phase == "power").fillna(False).to_numpy(dtype=bool)
    if timeline is not None and len(timeline):
        began = lifts[ATHLETE].map(phase_starts(timeline))
        last = pd.to_datetime(lifts["last_progress"])
        before = (last < began).fillna(False).to_numpy(dtype=bool)
        in_power &= ~before  # a stall that began before the power phase still counts
    foundation_load = (phase == "foundation").fillna(False).to_numpy(dtype=bool) & np.isin(metric, _LOAD_METRICS)
    stalled_counts = (status == "stalled") & ~in_power & ~foundation_load
    out = lifts.copy()
    out["phase"] = phase
    out["needs_attention"] = pd.array((status == "regressing") | stalled_counts, dtype="boolean")
    return out


def by_athlete(athletes: pd.Series) -> list[tuple[str, np.ndarray]]:
    """(athlete, row positions) per athlete, sorted by name, no missing name: what
    ``groupby(ATHLETE, sort=True)`` iterates, read once into arrays (no frame per group)."""
    codes, names = pd.factorize(athletes, sort=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    return [(str(n), order[bounds[i]:bounds[i + 1]]) for i, n in enumerate(names)]


def _day(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b}"


def programme_rows(tables: dict[str, pd.DataFrame], row: Any) -> list[dict[str, Any]]:
    """Findings of the programme topic, through ``row`` (the findings' row builder).

    Per athlete: the current block's phase and what it is judged on (info; "inferred" said
    when it is); in the power phase, the change in plyometric sets a week (info); the hard
    runs within a day of a heavy session this block (info, a planning note).
    """
    out: list[dict[str, Any]] = []
    phases = tables.get("phases")
    if phases is not None and len(phases):
        for r in phases[phases["block_index"] == 0].itertuples(index=False):
            how = {"inferred": "inferred from the sets", "plan": "from the plan", "given": "as given"}.get(
                str(r.phase_source), "from the plan and the sets")
            text = f"This block is in the {r.phase} phase ({how}): judged on {AIMS[str(r.phase)]}."
            evidence = f"{int(r.weeks_in_phase)} of the block's trained weeks in the {r.phase} phase"
            out.append(row("programme", "info", r.athlete, text, evidence, int(r.weeks_in_phase)))
        volume = tables.get("block_volume")
        power = phases[(phases["block_index"] == 0) & (phases["phase"] == "power")]
        if volume is not None and len(power):
            plyo = volume[(volume["pattern"] == "plyometric") & (volume["measure"] == "sets")]
            for r in plyo[plyo[ATHLETE].isin(power[ATHLETE])].itertuples(index=False):
                before, now = float(np.nan_to_num(r.previous)), float(np.nan_to_num(r.current))
                text = f"Plyometric work: {now:.1f} sets a week this block (previous block {before:.1f})."
                out.append(row("programme", "info", r.athlete, text, "block volume, plyometric pattern", 0))
    spacing = tables.get("spacing")
    if spacing is not None and len(spacing):
        current = spacing[(spacing["block"] == "current").fillna(False).to_numpy(dtype=bool)]
        run_date = current["run_date"].to_numpy()
        run_type = current["run_type"].to_numpy(dtype=object)
        for athlete, at in by_athlete(current[ATHLETE]):  # arrays per athlete, no frame each
            _, first = np.unique(run_date[at], return_index=True)
            runs = at[np.sort(first)]  # drop_duplicates("run_date"): first of each, in order
            days = ", ".join(_day(d) for d in run_date[runs[:4]]) + (" ..." if len(runs) > 4 else "")
            kinds = ", ".join(sorted({str(k) for k in run_type[runs]}))
            text = (f"{len(runs)} hard run{'s' if len(runs) != 1 else ''} ({kinds}) this block fell within a "
                    f"day of a heavy leg session ({days}); the usual advice is strength on easy-run days.")
            evidence = "hard runs: tempo, interval, long, race; heavy session: 3+ hard working sets"
            out.append(row("programme", "info", athlete, text, evidence, len(runs)))
    return out


def test_rows(tables: dict[str, pd.DataFrame], row: Any) -> list[dict[str, Any]]:
    """Findings of the tests topic, through ``row`` (the findings' row builder).

    Per athlete, from ``test_days`` (:func:`analysis.testdays.test_changes`): each test and side
    clearly better (progress) or worse (attention) than the test day before, in the words of its
    evidence; the tests with no clear change in one info line; tests done once in one info line.
    """
    out: list[dict[str, Any]] = []
    days = tables.get("test_days")
    if days is None or days.empty:
        return out
    for athlete, part in days.groupby(ATHLETE, sort=True, observed=True):
        for verdict, severity in (("better", "progress"), ("worse", "attention")):
            for r in part[part["verdict"] == verdict].itertuples(index=False):
                out.append(row("tests", severity, athlete, str(r.evidence), _test_method(r), int(r.n_tests)))
        same = part[part["verdict"] == "no clear change"]
        if len(same):
            names = sorted({test_name(r.test, r.side) for r in same.itertuples(index=False)})
            listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            text = f"Test day of {_day(same['current_date'].max())}: no clear change on {listed}."
            evidence = "each change within the MDC95 or the smallest worthwhile change (tests table)"
            out.append(row("tests", "info", athlete, text, evidence, int(same["n_tests"].min())))
        once = part[part["verdict"] == "not enough tests"]
        if len(once):
            tests = sorted({test_name(r.test, None) for r in once.itertuples(index=False)})
            text = (f"One test day so far for {', '.join(tests[:6])}{' and more' if len(tests) > 6 else ''}: "
                    "the next test day gives the first comparison.")
            out.append(row("tests", "info", athlete, text, "a change needs two test days", 1,
                           status="not enough data"))  # fmt: skip
    return out


def test_name(test: Any, side: Any) -> str:
    """A test as people say it: ``Single-leg hop for distance (left)``."""
    item = TESTS.get(str(test))
    name = item.label if item is not None else str(test).replace("_", " ")
    name = name[:1].upper() + name[1:]
    return f"{name} ({side})" if side in ("left", "right") else name


def _test_method(r: Any) -> str:
    return (f"{int(r.n_tests)} test days; change {r.change:+g} against MDC95 {r.mdc95:g} and SWC {r.swc:g} "
            f"{r.unit} (noise: {r.noise_source})")

"""The squad's page: who needs attention first, and what got better or worse.

Read off the athletes' :class:`~analysis.reassessment.Reassessment` s and their report
parts; nothing here computes a statistic.

Triage
    Athletes ranked by what needs attention: 3 points per stalled or regressing lift, 2 per
    widening left-right gap, per run type that got slower and per test (and side) clearly worse
    than the test day before, 1 per other imbalance and per complete week below the session
    target; ties by name. Each row says why, in words.
Better or worse
    One row per athlete, one column per area and per lift most of the squad trains: better
    (progressing, a gap closing, faster, on target, a test better), worse (stalled or regressing,
    a gap widening, slower, below target, a test worse), no clear change, or not enough data; each cell carries a
    symbol and a word as well as its colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.catalog import display_name

__all__ = ["Cell", "SquadParts", "squad_parts", "triage_table"]

#: Cell state -> (symbol, word); the CSS class is the state.
CELL_STATES = {
    "better": ("▲", "better"),
    "worse": ("▼", "worse"),
    "same": ("●", "same"),
    "unknown": ("?", "too few"),
    "none": ("", "not trained"),
}
_LIFT_STATE = {"progressing": "better", "stalled": "worse", "regressing": "worse", "holding": "same"}
_AREA_STATE = {"attention": "worse", "progress": "better", "steady": "same", "unknown": "unknown"}


@dataclass
class Cell:
    """One cell of the better-or-worse table."""

    state: str
    note: str = ""

    @property
    def symbol(self) -> str:
        return CELL_STATES[self.state][0]

    @property
    def word(self) -> str:
        return CELL_STATES[self.state][1]


@dataclass
class Row:
    """One athlete in the squad page."""

    athlete: str
    href: str | None
    score: int
    reasons: list[str]
    areas: list[Any]
    cells: list[Cell]


@dataclass
class SquadParts:
    """Everything the squad page shows."""

    title: str
    period: str
    previous_period: str
    weeks: int
    rows: list[Row]
    columns: list[str]
    unassigned: list[str] = field(default_factory=list)
    without_report: list[str] = field(default_factory=list)
    problems: pd.DataFrame | None = None
    problems_note: str = ""


def _lift_rows(r: Any) -> list[tuple[str, str, str, bool | None]]:
    """``(exercise, side, status, needs_attention)`` per row of ``lift_status``, as plain values
    (``None`` for a missing ``needs_attention``; ``True`` when the column is absent).

    The squad page looks these up per lift and athlete; filtering the whole table (about 20
    columns) each time was most of the squad page's time.
    """
    lifts = r.lift_status
    n = len(lifts)
    attention: list[Any] = [True] * n
    if "needs_attention" in lifts:
        flags = lifts["needs_attention"]
        attention = [None if m else bool(v) for v, m in zip(flags.tolist(), flags.isna().tolist(), strict=True)]
    return list(zip(lifts["exercise"].astype(str).tolist(), lifts["side"].astype(str).tolist(),
                    lifts["status"].astype(str).tolist(), attention, strict=True))  # fmt: skip


def _reasons(r: Any, lifts: list[tuple[str, str, str, bool | None]]) -> tuple[int, list[str]]:
    score, reasons = 0, []
    for word in ("stalled", "regressing"):
        hits = [e for e, _side, status, attention in lifts if status == word and attention]
        if hits:
            score += 3 * len(hits)
            names = sorted({display_name(e) for e in hits})
            reasons.append(f"{word}: {', '.join(names)}")
    sides = r.asymmetry_status
    weak = sides[sides["status"] == "imbalanced"]
    for row in weak.itertuples():
        widening = row.trend == "widening"
        score += 2 if widening else (0 if row.trend == "closing" else 1)
        if row.trend != "closing":
            reasons.append(f"{row.weaker_side} leg {row.gap_pct:.0f} % weaker on "
                           f"{display_name(row.exercise)}{' (widening)' if widening else ''}")  # fmt: skip
    adh = r.adherence
    weeks = adh[(adh["block"] == "current").fillna(False) & adh["complete"].fillna(False)]
    low = int((~weeks["met"].fillna(False).astype(bool)).sum()) if len(weeks) else 0
    if low:
        score += low
        reasons.append(f"{low} of {len(weeks)} weeks below {r.params['target_per_week']} sessions")
    days = getattr(r, "test_days", None)
    worse = days[days["verdict"] == "worse"] if days is not None and len(days) else None
    if worse is not None and len(worse):
        from analysis.reassessment.programme import test_name

        score += 2 * len(worse)
        reasons.append("worse on test: " + ", ".join(sorted({test_name(t, sd) for t, sd in
                                                              zip(worse["test"], worse["side"], strict=True)})))
    slower = r.pace_blocks[r.pace_blocks["verdict"] == "slower"] if len(r.pace_blocks) else r.pace_blocks
    if len(slower):
        score += 2 * len(slower)
        reasons.append("slower " + ", ".join(slower["run_type"].astype(str)) + " pace")
    return score, reasons


def _common_lifts(reassessments: Mapping[str, Any], most: int = 8) -> list[str]:
    """Lifts at least half the squad trains this block, most athletes first."""
    counts: dict[str, int] = {}
    for r in reassessments.values():
        for e in set(r.lift_status["exercise"].astype(str)):
            counts[e] = counts.get(e, 0) + 1
    half = max(1, (len(reassessments) + 1) // 2)
    common = [e for e, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= half]
    return common[:most]


def _lift_cell(lifts: list[tuple[str, str, str, bool | None]], exercise: str) -> Cell:
    rows = [row for row in lifts if row[0] == exercise]
    if not rows:
        return Cell("none")
    # a stall the verdict does not flag (needs_attention False) reads as "same"; missing flags count
    states = [("same" if status == "stalled" and attention is False else _LIFT_STATE.get(status, "unknown"))
              for _e, _side, status, attention in rows]  # fmt: skip
    for state in ("worse", "better", "same"):
        if state in states:
            sides = [side for (_e, side, _s, _a), st in zip(rows, states, strict=True) if st == state and side != "both"]
            return Cell(state, f"{' and '.join(sides)} side" if 0 < len(sides) < len(rows) else "")
    return Cell("unknown")


def _test_cell(r: Any) -> Cell:
    """The athlete's latest test day: worse on any test, else better on any, else no change."""
    days = getattr(r, "test_days", None)
    if days is None or days.empty:
        return Cell("none", "no tests")
    verdicts = days["verdict"].astype(str)
    for word, state in (("worse", "worse"), ("better", "better")):
        n = int((verdicts == word).sum())
        if n:
            return Cell(state, f"{n} of {len(days)} {word}")
    if (verdicts == "no clear change").any():
        return Cell("same", "no clear change")
    return Cell("unknown", "one test day")


def squad_parts(
    reassessments: Mapping[str, Any],
    areas: Mapping[str, list[Any]],
    links: Mapping[str, str],
    *,
    unassigned: Sequence[str] = (),
    without_report: Sequence[str] = (),
    problems: pd.DataFrame | None = None,
) -> SquadParts:
    """The squad page's parts (module docstring).

    Parameters
    ----------
    reassessments : mapping of str to Reassessment
        By athlete, all over the same blocks.
    areas : mapping of str to list of Area
        :func:`analysis.report.parts.report_areas` per athlete (their verdict strips).
    links : mapping of str to str
        Athlete -> file name of their report (relative link); an athlete without one is not
        linked.
    unassigned : sequence of str
        Sentences about files that name no athlete.
    without_report : sequence of str
        Sentences about athletes who got no report, and why.
    problems : DataFrame, default=None
        The data-quality rows no single athlete owns (shared files).

    Returns
    -------
    SquadParts
    """
    from analysis.report.parts import block_dates

    first = next(iter(reassessments.values()))
    p = first.params
    lifts = _common_lifts(reassessments)
    tested = any(len(getattr(r, "test_days", ())) for r in reassessments.values())
    columns = [*(a.name for a in next(iter(areas.values()))), *(["Test days"] if tested else []),
               *(display_name(e) for e in lifts)]  # fmt: skip
    rows = []
    for name, r in reassessments.items():
        narrow = _lift_rows(r)
        score, reasons = _reasons(r, narrow)
        strip = areas[name]
        cells = [Cell(_AREA_STATE[a.state], a.word) for a in strip]
        cells += [_test_cell(r)] if tested else []
        cells += [_lift_cell(narrow, e) for e in lifts]
        rows.append(Row(name, links.get(name), score, reasons, strip, cells))
    rows.sort(key=lambda row: (-row.score, row.athlete.casefold()))
    n = 0 if problems is None else len(problems)
    period, previous_period = block_dates(p)
    return SquadParts(
        title=f"Squad reassessment, {period}",
        period=period,
        previous_period=previous_period,
        weeks=int(p["weeks"]),
        rows=rows,
        columns=columns,
        unassigned=list(unassigned),
        without_report=list(without_report),
        problems=problems,
        problems_note=(f"{n} data-quality rows about shared files could not be traced to one "
                       "athlete; they are listed here and in the squad's Excel file, never in an "
                       "athlete's report.") if n else "",
    )


def triage_table(squad: SquadParts) -> pd.DataFrame:
    """The triage as a people's table: rank, athlete, what needs attention, one column per area."""
    rows = []
    for i, row in enumerate(squad.rows, start=1):
        rows.append([i, row.athlete, "; ".join(row.reasons) or "nothing",
                     *(f"{a.symbol} {a.word}: {a.sentence}" for a in row.areas)])  # fmt: skip
    names = [a.name for a in squad.rows[0].areas] if squad.rows else []
    return pd.DataFrame(rows, columns=["Rank", "Athlete", "Needs attention", *names])

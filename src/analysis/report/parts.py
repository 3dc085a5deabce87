"""The parts of a reassessment report, for people: read off a :class:`Reassessment` once.

The HTML report, the Excel summary and the notebook's rich display all show these parts, so the
runner in JupyterLab and the coach's file say the same thing. Nothing here computes a
statistic: every word comes from a status table of the reassessment.

Parts
-----
Header
    Athlete, the block's dates and length, the previous block's dates, the phase when known.
Verdict strip
    One line per area (strength, single-leg balance, consistency, running): a state
    (``attention``, ``progress``, ``steady``, ``unknown``), a symbol that differs by shape as well
    as colour (``!``, ``▲``, ``●``, ``?``), a status word and one sentence.
Key findings
    The first :data:`KEY_FINDINGS` findings by rank (attention, then progress, then the rest),
    each with its evidence.
Next block
    Suggestions derived from the statuses and the programming rules runners are given (progress
    volume or weight every 2-3 weeks; extra single-leg sets for the weaker side; two sessions a
    week; reassess in 4-6 weeks), worded as suggestions.
Tables
    The status tables with people's column names, units, rounding, paces as m:ss and "–" for a
    missing value (:func:`people_table`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.catalog import display_name
from analysis.running import format_pace

KEY_FINDINGS = 5
MISSING = "–"
#: Area state -> (symbol, CSS class); the symbol's shape carries the meaning without colour.
STATES = {
    "attention": ("!", "attention"),
    "progress": ("▲", "progress"),
    "steady": ("●", "steady"),
    "unknown": ("?", "unknown"),
}
STATE_WORDS = {
    "attention": "Needs attention",
    "progress": "Progress",
    "steady": "Steady",
    "unknown": "Cannot tell yet",
}
AREAS = ("Strength", "Single-leg balance", "Consistency", "Running")
#: Tag of a finding by severity.
SEVERITY_LABELS = {"attention": "attention", "progress": "progress", "info": "note"}
#: Rows of the data-quality table shown in a report (all of them are in the Excel file).
PROBLEM_ROWS = 200
REASSESS_AFTER_WEEKS = (4, 6)


@dataclass
class Area:
    """One line of the verdict strip."""

    name: str
    state: str
    word: str
    sentence: str

    @property
    def symbol(self) -> str:
        return STATES[self.state][0]

    @property
    def state_words(self) -> str:
        """The state in words, for screen readers (the symbol is decoration)."""
        return STATE_WORDS[self.state]


@dataclass
class Item:
    """One finding for people: severity, its tag, the sentence, the evidence behind it."""

    severity: str
    label: str
    text: str
    evidence: str


@dataclass
class Section:
    """One area of the report body: its charts, a sentence on how to read it, its table."""

    id: str
    title: str
    charts: list[Any]
    intro: str
    table: pd.DataFrame
    numeric: tuple[str, ...] = ()
    empty: str = "Nothing to show."


@dataclass
class DataQuality:
    """The athlete's data-quality rows, summarised."""

    summary: str
    files: str
    table: pd.DataFrame
    more: str = ""


@dataclass
class Parts:
    """Everything a report shows, in order (module docstring)."""

    athlete: str
    title: str
    period: str
    previous_period: str
    weeks: int
    end: pd.Timestamp
    end_text: str
    phase: str | None
    areas: list[Area]
    key_findings: list[Item]
    other_findings: list[Item]
    suggestions: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    data_quality: DataQuality | None = None
    settings: str = ""


def _day(value: Any, year: bool = False) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b}" + (f" {stamp:%Y}" if year else "")


def _names(frame: pd.DataFrame, *, side: bool = True, limit: int = 3) -> str:
    """Display names of a frame's lifts; both sides of a lift named once, as the lift."""
    names: list[str] = []
    sides = frame["side"].astype(str).tolist() if side and "side" in frame else [""] * len(frame)
    exercises = frame["exercise"].astype(str).tolist()
    per_lift: dict[str, set[str]] = {}
    for e, sd in zip(exercises, sides, strict=True):
        per_lift.setdefault(e, set()).add(sd)
    for e in per_lift:
        got = per_lift[e]
        if not side or {"left", "right"} <= got or got <= {"both", ""}:
            names.append(display_name(e))
        else:
            names.extend(display_name(e, sd) for sd in sorted(got))
    shown = names[:limit] + ([f"{len(names) - limit} more"] if len(names) > limit else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


# --- verdict strip ----------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """First letter up, a full stop at the end; names inside keep their case."""
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _concern(lifts: pd.DataFrame) -> np.ndarray:
    """Lifts that need attention in this phase (the ``needs_attention`` column when present)."""
    if "needs_attention" in lifts.columns:
        return lifts["needs_attention"].fillna(False).to_numpy(dtype=bool)
    return lifts["status"].isin(["stalled", "regressing"]).to_numpy(dtype=bool)


def strength_area(lifts: pd.DataFrame) -> Area:
    name = AREAS[0]
    if lifts.empty:
        return Area(name, "unknown", "No lifts", "No strength sets were logged in this block.")
    status = lifts["status"]
    bad = lifts[_concern(lifts)]
    up = lifts[status == "progressing"]
    judged = lifts[status != "not enough data"]
    if len(bad):
        words = []
        for word in ("stalled", "regressing"):
            part = bad[bad["status"] == word]
            if len(part):
                words.append(f"{word}: {_names(part)}")
        return Area(name, "attention", "Needs attention", _sentence("; ".join(words)))
    held = lifts[(status == "stalled") & ~_concern(lifts)]
    note = ""
    if len(held):
        phase = str(held["phase"].iloc[0]) if "phase" in held else ""
        note = f" {_names(held)} held, as the {phase} phase intends."
    if len(up):
        n_up, n_judged = up["exercise"].nunique(), judged["exercise"].nunique()
        return Area(
            name, "progress", "Progressing",
            f"{n_up} of {n_judged} lifts judged went up ({_names(up)}).{note}",
        )  # fmt: skip
    if len(judged):
        return Area(name, "steady", "Holding", ("No clear change, and no stall yet." if not note else note.strip()))
    return Area(name, "unknown", "Not enough data", "Too few sessions to judge the lifts yet.")


def balance_area(sides: pd.DataFrame) -> Area:
    name = AREAS[1]
    if sides.empty:
        return Area(name, "unknown", "No single-leg lifts", "No single-leg lift had both legs logged.")
    judged = sides[sides["status"] != "not enough data"]
    weak = judged[judged["status"] == "imbalanced"]
    closing = judged[judged["trend"] == "closing"]
    if len(weak):
        parts = [
            f"{r.weaker_side} leg {r.gap_pct:.0f} % weaker on {display_name(r.exercise)}"
            + (" (closing)" if r.trend == "closing" else " (widening)" if r.trend == "widening" else "")
            for r in weak.itertuples()
        ]
        state = "progress" if (weak["trend"] == "closing").all() else "attention"
        word = "Gap closing" if state == "progress" else "Imbalance"
        return Area(name, state, word, _sentence("; ".join(parts)))
    if len(closing):
        return Area(name, "progress", "Gap closed", f"No clear difference now on {_names(closing, side=False)}; the gap has closed.")
    if len(judged):
        return Area(name, "steady", "Balanced", f"No clear left-right difference on {len(judged)} single-leg lifts.")
    return Area(name, "unknown", "Not enough data", "Too few sessions with both legs logged.")


def consistency_area(adherence: pd.DataFrame, target: int) -> Area:
    name = AREAS[2]
    weeks = adherence[(adherence["block"] == "current").fillna(False) & adherence["complete"].fillna(False)]
    if weeks.empty:
        return Area(name, "unknown", "Not enough data", "No complete week in this block yet.")
    low = weeks[~weeks["met"].fillna(False).astype(bool)]
    if len(low):
        return Area(
            name, "attention", "Below target",
            f"{len(low)} of {len(weeks)} weeks had fewer than {target} sessions "
            f"(weeks of {', '.join(_day(d) for d in low['week_start'])}).",
        )  # fmt: skip
    return Area(name, "steady", "On target", f"All {len(weeks)} weeks had {target} or more sessions.")


def running_area(pace_blocks: pd.DataFrame, runs_logged: bool) -> Area:
    name = AREAS[3]
    if not runs_logged:
        return Area(name, "unknown", "No runs", "No runs were logged, so pace was not assessed.")
    judged = pace_blocks[pace_blocks["status"] == "ok"]
    if judged.empty:
        return Area(name, "unknown", "Not enough data", "Too few runs of one type in each block to compare pace.")
    slower = judged[judged["verdict"] == "slower"]
    faster = judged[judged["verdict"] == "faster"]
    if len(slower):
        return Area(name, "attention", "Slower", f"{_types(slower)} pace slower than in the previous block.")
    if len(faster):
        return Area(name, "progress", "Faster", f"{_types(faster)} pace faster than in the previous block.")
    return Area(name, "steady", "No clear change", "Pace per run type within the noise of the previous block.")


def _types(frame: pd.DataFrame) -> str:
    kinds = [str(t).capitalize() if i == 0 else str(t) for i, t in enumerate(frame["run_type"])]
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]


# --- next block -------------------------------------------------------------------------------


def suggestions(r: Any) -> list[str]:
    """What to try in the next block, from the statuses (module docstring); never a diagnosis."""
    out: list[str] = []
    lifts = r.lift_status
    stalled = lifts[(lifts["status"] == "stalled") & _concern(lifts)]
    if len(stalled):
        out.append(
            f"{_names(stalled)}: change one thing for the next 2-3 weeks: one more set, one or "
            "two more reps a set, or the next load step (runners are told to progress volume or "
            "weight every 2-3 weeks)."
        )
    regressing = lifts[lifts["status"] == "regressing"]
    if len(regressing):
        out.append(
            f"{_names(regressing)}: went down this block. Hold the load and rebuild the reps, and "
            "look at what else changed (running load, sleep, missed sessions) before adding weight."
        )
    up = lifts[lifts["status"] == "progressing"]
    if len(up):
        out.append(
            f"{_names(up)}: keep progressing: the next step in 2-3 weeks, when the current sets "
            "feel solid."
        )
    new = lifts[(lifts["status"] == "not enough data") & (lifts["n_previous"] == 0)]
    if len(new):
        out.append(f"{_names(new)}: new this block; keep logging them so the next reassessment can judge them.")
    sides = r.asymmetry_status
    weak = sides[sides["status"] == "imbalanced"]
    for row in weak.itertuples():
        out.append(
            f"{display_name(row.exercise)}: consider an extra set for the {row.weaker_side} leg "
            "(start with the weaker side and match the reps on the other)."
        )
    adh = r.adherence
    cur = adh[(adh["block"] == "current").fillna(False) & adh["complete"].fillna(False)]
    target = int(r.params["target_per_week"])
    if len(cur) and not cur["met"].fillna(False).all():
        out.append(
            f"Aim for {target} strength sessions every week; on easy-run days they fit best "
            "(hard days hard, easy days easy)."
        )
    spacing = r.spacing[r.spacing["block"] == "current"] if len(r.spacing) else r.spacing
    if len(spacing):
        n = spacing["run_date"].nunique()
        out.append(
            f"Consider moving the heavy leg sessions to easy-run days: {n} hard run{'s' if n != 1 else ''} "
            "this block fell within a day of one (hard days hard, easy days easy)."
        )
    phase = r.params.get("phase")
    if phase == "foundation":
        out.append("Foundation phase: when reps and holds feel solid, the next step is added load (the strength phase).")
    elif phase == "power":
        out.append("Power phase: keep the strength lifts at their current level and build jump and plyometric work.")
    lo, hi = REASSESS_AFTER_WEEKS
    end = pd.Timestamp(r.params["end"])
    out.append(
        f"Reassess in {lo}-{hi} weeks (between {_day(end + pd.Timedelta(weeks=lo), True)} and "
        f"{_day(end + pd.Timedelta(weeks=hi), True)})."
    )
    return out


# --- tables for people --------------------------------------------------------------------------


#: Between a number and its unit: a no-break space, so a narrow table column wraps between the
#: two ends of a range ("-10.4 to" / "16.1 %"), never between a number and its unit.
NBSP = "\u00a0"


def fmt_number(value: Any, digits: int = 1, unit: str = "", signed: bool = False) -> str:
    """A number for people: rounded, with its unit after a no-break space; "–" when missing.

    Examples
    --------
    >>> fmt_number(28.21413363222001, 1, "kg"), fmt_number(None), fmt_number(3.0, 1, "kg", signed=True)
    ('28.2\xa0kg', '–', '+3.0\xa0kg')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return MISSING
    number = float(value)
    text = f"{number:+.{digits}f}" if signed else f"{number:.{digits}f}"
    return f"{text}{NBSP}{unit}" if unit.strip() else text


def fmt_pace(value: Any) -> str:
    """Seconds per km as ``m:ss /km``; "–" when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return MISSING
    return f"{format_pace(float(value))}{NBSP}/km"


def fmt_ci(low: Any, high: Any, digits: int = 1, unit: str = "", signed: bool = True) -> str:
    """A range for people (``+1.9 to +5.4 kg``; unsigned: ``-10.4 to 16.1 %``); "–" when missing."""
    if any(v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) for v in (low, high)):
        return MISSING
    sign = "+" if signed else ""
    text = f"{float(low):{sign}.{digits}f} to {float(high):{sign}.{digits}f}"
    return f"{text}{NBSP}{unit}" if unit.strip() else text


_UNIT = {"e1rm_kg": "kg", "load_kg": "kg", "reps": "reps", "sets": "sets", "duration_s": "s"}
_JUDGED_ON = {"e1rm_kg": "e1RM", "load_kg": "top load", "reps": "reps a set", "sets": "sets a session", "duration_s": "hold"}


def _status_word(status: Any, concern: Any = None, phase: Any = None) -> str:
    if str(status) == "stalled" and concern is False:
        return f"● held ({phase} phase)"
    return {
        "progressing": "▲ progressing", "stalled": "! stalled", "regressing": "! regressing",
        "holding": "● holding", "not enough data": "? not enough data",
        "imbalanced": "! imbalanced", "balanced": "● balanced",
    }.get(str(status), str(status))  # fmt: skip


def people_table(frame: pd.DataFrame, columns: Sequence[tuple[str, Callable[[Any], str]]]) -> pd.DataFrame:
    """A frame of strings for people: one column per ``(label, row -> text)``; no index."""
    rows = [[func(row) for _, func in columns] for row in frame.itertuples(index=False)]
    return pd.DataFrame(rows, columns=[label for label, _ in columns], dtype=object)


_STATUS_ORDER = {"stalled": 0, "regressing": 0, "progressing": 1, "holding": 2, "not enough data": 3}


def strength_table(lifts: pd.DataFrame) -> pd.DataFrame:
    """One row per lift and side: stalls and regressions first, then progress, then the rest."""
    order = lifts["status"].astype(str).map(_STATUS_ORDER).fillna(4)
    lifts = lifts.assign(_o=order.to_numpy()).sort_values(["_o", "exercise", "side"], kind="stable")
    return people_table(
        lifts,
        [
            ("Lift", lambda r: display_name(r.exercise, r.side)),
            ("Status", lambda r: _status_word(r.status, getattr(r, "needs_attention", None), getattr(r, "phase", None))),
            ("Judged on", lambda r: _JUDGED_ON.get(r.metric, r.metric)),
            ("Previous block", lambda r: fmt_number(r.previous, 1, _UNIT.get(r.metric, ""))),
            ("This block", lambda r: fmt_number(r.current, 1, _UNIT.get(r.metric, ""))),
            ("Change", lambda r: fmt_number(r.change, 1, _UNIT.get(r.metric, ""), signed=True)),
            ("95 % CI", lambda r: fmt_ci(r.ci_low, r.ci_high, 1, _UNIT.get(r.metric, ""))),
            ("Sessions", lambda r: f"{r.n_current} ({r.n_previous} before)"),
            ("Last new best", lambda r: MISSING if pd.isna(r.last_progress) else _day(r.last_progress)),
        ],
    )


def balance_table(sides: pd.DataFrame) -> pd.DataFrame:
    return people_table(
        sides,
        [
            ("Exercise", lambda r: display_name(r.exercise)),
            ("Status", lambda r: _status_word(r.status)),
            ("Weaker side", lambda r: MISSING if r.weaker_side == "none" else str(r.weaker_side)),
            ("Gap this block", lambda r: fmt_number(r.gap_pct, 1, "%")),
            ("95 % CI", lambda r: fmt_ci(r.ci_low, r.ci_high, 1, "%", signed=False)),
            ("Gap before", lambda r: fmt_number(r.previous_gap_pct, 1, "%")),
            ("Trend", lambda r: str(r.trend)),
            ("Paired sessions", lambda r: f"{r.n_sessions} ({r.n_previous} before)"),
        ],
    )


def consistency_table(adherence: pd.DataFrame) -> pd.DataFrame:
    frame = adherence[adherence["block"].notna()]
    return people_table(
        frame,
        [
            ("Week of", lambda r: _day(r.week_start, True)),
            ("Block", lambda r: str(r.block)),
            ("Sessions", lambda r: str(r.sessions)),
            ("Target", lambda r: str(r.target)),
            ("Met", lambda r: "yes" if bool(r.met) else ("no" if bool(r.complete) else "week not over")),
        ],
    )


def running_table(pace_blocks: pd.DataFrame) -> pd.DataFrame:
    return people_table(
        pace_blocks,
        [
            ("Run type", lambda r: str(r.run_type)),
            ("Previous block", lambda r: fmt_pace(r.mean_pace_previous_s_per_km)),
            ("This block", lambda r: fmt_pace(r.mean_pace_current_s_per_km)),
            ("Change", lambda r: fmt_number(r.change_s_per_km, 0, "s/km", signed=True)),
            ("95 % CI", lambda r: fmt_ci(r.ci_low, r.ci_high, 0, "s/km")),
            ("Verdict", lambda r: str(r.verdict)),
            ("Runs", lambda r: f"{r.runs_current} ({r.runs_previous} before)"),
        ],
    )


def volume_table(block_volume: pd.DataFrame) -> pd.DataFrame:
    """One row per movement pattern: sets, volume load and hold time a week, before and now."""
    frame = block_volume.set_index(["pattern", "measure"])
    patterns = [p for p in block_volume["pattern"].astype(str).drop_duplicates() if p != "all"]
    rows = []
    for pattern in ["all", *patterns]:
        cells = [("all patterns" if pattern == "all" else pattern.replace("_", " "))]
        shown = False
        for measure, unit, digits in (("sets", "", 1), ("volume_load_kg", " kg", 0), ("hold_s", " s", 0)):
            if (pattern, measure) not in frame.index:
                cells.append(MISSING)
                continue
            row = frame.loc[(pattern, measure)]
            before, now = row["previous"], row["current"]
            if (pd.isna(before) or before == 0) and (pd.isna(now) or now == 0):
                cells.append(MISSING)
                continue
            shown = True
            change = "" if pd.isna(row["change_pct"]) else f" ({row['change_pct']:+.0f} %)"
            cells.append(f"{fmt_number(before, digits)} → {fmt_number(now, digits)}{unit}{change}")
        if shown:
            rows.append(cells)
    return pd.DataFrame(rows, columns=["Pattern", "Sets a week", "Volume load a week", "Hold time a week"],
                        dtype=object)  # fmt: skip


def correlation_table(corr: pd.DataFrame) -> pd.DataFrame:
    shown = corr[(corr["series"] == "changes") & (corr["lag_weeks"] == 0)]
    return people_table(
        shown,
        [
            ("Strength measure", lambda r: str(r.strength_metric).replace("_e1rm_kg", " e1RM").replace("_", " ")),
            ("Pace", lambda r: str(r.pace_metric).replace("_pace_s_per_km", " pace").replace("_", " ")),
            ("Weeks", lambda r: str(r.n)),
            ("r", lambda r: fmt_number(r.r, 2)),
            ("95 % CI", lambda r: fmt_ci(r.ci_low, r.ci_high, 2)),
            ("Reading", lambda r: str(r.verdict)),
        ],
    )


def spacing_table(spacing: pd.DataFrame) -> pd.DataFrame:
    when = {-1: "the day before the run", 0: "the same day", 1: "the day after the run"}
    frame = spacing[spacing["block"] == "current"] if len(spacing) else spacing
    return people_table(
        frame,
        [
            ("Hard run", lambda r: f"{r.run_type!s} on {_day(r.run_date)}"),
            ("Heavy leg session", lambda r: f"{_day(r.session_date)}, {when.get(int(r.days_apart), '')}"),
            ("Heavy sets", lambda r: str(r.heavy_sets)),
        ],
    )


def _clock(seconds: Any) -> str:
    """Seconds as a race time: ``23:34``, ``1:48:23``; "–" when missing."""
    if seconds is None or seconds is pd.NA or (isinstance(seconds, float) and np.isnan(seconds)):
        return MISSING
    total = round(float(seconds))
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _held(r: Any) -> str:
    if r.status != "outlook" or pd.isna(r.backtest_n) or not int(r.backtest_n):
        return MISSING
    return f"{round(float(r.backtest_coverage) * int(r.backtest_n))} of {int(r.backtest_n)}"


def test_days_table(days: pd.DataFrame) -> pd.DataFrame:
    """One row per test and side: the last two test days, the change, the noise and the verdict."""
    from analysis.reassessment.programme import test_name

    order = days["verdict"].astype(str).map({"worse": 0, "better": 1, "no clear change": 2}).fillna(3)
    frame = days.assign(_o=order.to_numpy()).sort_values(["_o", "test", "side"], kind="stable") if len(days) else days
    word = {"better": "▲ better", "worse": "! worse", "no clear change": "● no clear change",
            "not enough tests": "? not enough tests"}
    return people_table(
        frame,
        [
            ("Test", lambda r: test_name(r.test, r.side)),
            ("Verdict", lambda r: word.get(str(r.verdict), str(r.verdict))),
            ("Previous", lambda r: MISSING if pd.isna(r.previous) else f"{_test_value(r.previous, r.unit)} ({_day(r.previous_date)})"),
            ("Latest", lambda r: f"{_test_value(r.current, r.unit)} ({_day(r.current_date)})"),
            ("Change", lambda r: MISSING if pd.isna(r.change) else _test_value(r.change, r.unit, signed=True)),
            ("MDC95", lambda r: _test_value(r.mdc95, r.unit)),
            ("Noise from", lambda r: str(r.noise_source)),
            ("Test days", lambda r: str(r.n_tests)),
        ],
    )


def _test_value(value: Any, unit: Any, signed: bool = False) -> str:
    if unit == "s" and abs(float(value)) >= 100:
        sign = ("+" if value > 0 else "-") if signed else ""
        return sign + _clock(abs(float(value)))
    digits = 0 if float(value) == round(float(value)) else 1
    return fmt_number(value, digits, str(unit), signed=signed)


def outlook_table(outlook: pd.DataFrame, lifts: pd.DataFrame) -> pd.DataFrame:
    """The next block's e1RM outlook of the lifts trained this block (withheld ones say why)."""
    trained = set(zip(lifts["exercise"].astype(str), lifts["side"].astype(str), strict=True))
    keep = [(e, s) in trained and st != "not recent" for e, s, st in
            zip(outlook["exercise"].astype(str), outlook["side"].astype(str), outlook["status"].astype(str), strict=True)]  # fmt: skip
    frame = outlook[np.asarray(keep, dtype=bool)] if len(outlook) else outlook
    return people_table(
        frame,
        [
            ("Lift", lambda r: display_name(r.exercise, r.side)),
            ("e1RM now", lambda r: fmt_number(r.current_kg, 1, "kg")),
            ("End of next block", lambda r: fmt_number(r.expected_kg, 1, "kg") if r.status == "outlook" else str(r.status)),
            ("80 % interval", lambda r: fmt_ci(r.pi_low_kg, r.pi_high_kg, 1, "kg", signed=False)),
            ("Earlier outlooks held", _held),
        ],
    )


def race_table(races: pd.DataFrame) -> pd.DataFrame:
    """The next block's race-time outlook per distance."""
    names = {5.0: "5 km", 10.0: "10 km", 21.0975: "Half marathon", 42.195: "Marathon"}
    return people_table(
        races,
        [
            ("Distance", lambda r: names.get(round(float(r.distance_km), 4), f"{float(r.distance_km):g} km")),
            ("Now", lambda r: _clock(r.current_time_s)),
            ("End of next block", lambda r: _clock(r.expected_time_s) if r.status == "outlook" else str(r.status)),
            ("80 % interval", lambda r: MISSING if pd.isna(r.pi_low_s) else f"{_clock(r.pi_low_s)} to {_clock(r.pi_high_s)}"),
            ("Earlier outlooks held", _held),
        ],
    )


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    return people_table(
        problems,
        [
            ("File", lambda r: MISSING if pd.isna(r.source_file) else str(r.source_file).replace("\\", "/").rsplit("/", 1)[-1]),
            ("Sheet", lambda r: MISSING if pd.isna(r.source_sheet) else str(r.source_sheet)),
            ("Row", lambda r: MISSING if pd.isna(r.source_row) else str(r.source_row)),
            ("Column", lambda r: MISSING if pd.isna(r.column) else str(r.column)),
            ("Value", lambda r: MISSING if pd.isna(r.value) else str(r.value)),
            ("What", lambda r: str(r.problem)),
            ("Done", lambda r: str(r.action)),
        ],
    )


# --- findings for people ----------------------------------------------------------------------


def _side_free(text: str) -> tuple[str, str] | None:
    """``("Left", rest)`` for a finding about one side of a lift, else None."""
    for word in ("Left ", "Right "):
        if text.startswith(word):
            return word.strip(), text[len(word):]
    return None


def finding_items(findings: pd.DataFrame) -> list[Item]:
    """Findings as :class:`Item` s, the two sides of a lift in one line when they say the same.

    ``Left X: e1RM up 4.9 kg...`` and ``Right X: e1RM up 4.9 kg...`` become ``X, both legs
    alike: e1RM up 4.9 kg...`` with both evidence lines; anything else stays as it is.
    """
    items: list[Item] = []
    rows = list(findings[["severity", "finding", "evidence", "exercise"]].itertuples(index=False))
    used = [False] * len(rows)
    for i, row in enumerate(rows):
        if used[i]:
            continue
        used[i] = True
        text, evidence = str(row.finding), "" if pd.isna(row.evidence) else str(row.evidence)
        split = _side_free(text)
        if split is not None:
            for j in range(i + 1, len(rows)):
                other = rows[j]
                twin = _side_free(str(other.finding))
                if (not used[j] and twin is not None and twin[0] != split[0] and twin[1] == split[1]
                        and other.severity == row.severity and other.exercise == row.exercise):  # fmt: skip
                    used[j] = True
                    name, _, rest = split[1].partition(": ")
                    text = f"{name[:1].upper()}{name[1:]}, both legs alike: {rest}"
                    evidence = f"{split[0]}: {evidence} {twin[0]}: {other.evidence}"
                    break
        items.append(Item(str(row.severity), SEVERITY_LABELS.get(str(row.severity), "note"), text, evidence))
    return items


def key_and_other(findings: pd.DataFrame) -> tuple[list[Item], list[Item]]:
    """The 3-5 findings that matter (attention, then progress), and every other one."""
    items = finding_items(findings)
    key = [it for it in items if it.severity in ("attention", "progress")][:KEY_FINDINGS]
    if len(key) < 3:
        rest = [it for it in items if it not in key and "not enough" not in it.text.lower()]
        key += rest[: 3 - len(key)]
    return key, [it for it in items if it not in key]


# --- data quality -------------------------------------------------------------------------------


def data_quality(problems: pd.DataFrame, files: Sequence[str] = ()) -> DataQuality:
    """The athlete's data-quality rows for people (only rows already scoped to the athlete)."""
    n = len(problems)
    counts = problems["action"].value_counts() if n else pd.Series(dtype=int)
    words = {"dropped": "not used", "fixed": "read after a fix", "kept": "used, with a note"}
    summary = "no problems" if not n else f"{n} row{'s' if n != 1 else ''}: " + ", ".join(
        f"{int(c)} {words.get(str(a), str(a))}" for a, c in counts.items()
    )
    names = sorted({str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in files})
    listed = ("Files read for this athlete: " + ", ".join(names) + ".") if names else ""
    more = ""
    if n > PROBLEM_ROWS:
        more = f"The first {PROBLEM_ROWS} rows are shown; the Excel file lists all {n}."
    return DataQuality(summary, listed, problems_table(problems.head(PROBLEM_ROWS)), more)


# --- methods and glossary -----------------------------------------------------------------------

METHODS: tuple[tuple[str, str], ...] = (
    ("Blocks",
     "The current block is the last 4-6 whole weeks (Monday to Sunday) up to the block's end; the "
     "previous block is the same number of weeks before it. Every statement compares the two."),
    ("Lift status",
     "Each lift and side is judged on what runners are told progress is: more load at the same "
     "reps, more reps at a load, more sets, longer holds or a higher estimated one-rep max "
     "(e1RM, Epley formula). The change between blocks has a 95 % confidence interval from the "
     "session-to-session noise of this athlete's own log, never finer than the log's smallest "
     "step (one plate or one rep). Progressing or regressing: the interval excludes no change. "
     "Stalled: trained regularly, no new best for the stall window and no upward trend since the "
     "last best. Not enough data: fewer than 3 sessions in a block."),
    ("Left-right balance",
     "Per session with both legs logged, the gap = 100 x (stronger - weaker) / stronger side, on "
     "e1RM (body mass added for bodyweight lifts), reps at a matched load, hold time or set "
     "volume. A side is called weaker only when the 95 % CI of the block's mean gap (20 % "
     "trimmed mean) excludes zero. The 10 % line is a secondary flag from the literature, "
     "without prospective support; nothing here is an injury risk."),
    ("Consistency",
     "Strength sessions (days with at least one logged set) per week against the target; weeks "
     "not yet over are not judged."),
    ("Running pace",
     "Per run type, the mean pace of this block's runs against the previous block's, with a "
     "Welch 95 % CI; runs without a type are typed by pace and heart rate. Implausible paces "
     "are left out."),
    ("Strength and pace",
     "Week-to-week changes in strength and in pace, Pearson correlation with the effective "
     "number of weeks after autocorrelation, Holm-adjusted across every test made for this "
     "athlete. An association is never a cause."),
)

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("e1RM", "Estimated one-rep max: the heaviest single repetition a set suggests, from its "
             "load and reps (Epley: load x (1 + reps / 30)). Used to compare sets of different reps."),
    ("95 % CI", "95 % confidence interval: the range the true change most likely lies in, given "
                "how much this athlete's sessions vary. When it includes zero, the log cannot "
                "tell the change from day-to-day noise."),
    ("Noise", "How much the same lift varies from session to session with no real change (the "
              "typical error). A change smaller than the noise is not called a change."),
    ("Smallest real step", "The smallest change the log can show: one load step (e.g. 2.5 kg) "
                           "or one rep. No change smaller than this is reported."),
    ("Stalled", "Trained regularly for the stall window with no new best and no upward trend."),
    ("Not enough data", "Too few sessions or runs in a block to judge; keep logging."),
    ("Weaker side", "The leg whose gap stays on one side of zero across the block's sessions "
                    "(the 95 % CI excludes zero)."),
    ("Volume load", "Sets x reps x load, in kg, summed per week."),
    ("Association", "Two measures that moved together from week to week. Not a cause: both can "
                    "follow something else."),
)


# --- the whole report ---------------------------------------------------------------------------

_NUMERIC = {
    "Programme": ("Heavy sets",),
    "Strength": ("Previous block", "This block", "Change", "95 % CI", "Sessions"),
    "Single-leg balance": ("Gap this block", "95 % CI", "Gap before", "Paired sessions"),
    "Consistency": ("Sessions", "Target"),
    "Running": ("Previous block", "This block", "Change", "95 % CI", "Runs"),
    "Volume": ("Sets a week", "Volume load a week", "Hold time a week"),
    "Strength and pace": ("Weeks", "r", "95 % CI"),
    "Test days": ("Previous", "Latest", "Change", "MDC95", "Test days"),
    "Next block": ("e1RM now", "End of next block", "80 % interval", "Earlier outlooks held"),
    "Race outlook": ("Now", "End of next block", "80 % interval", "Earlier outlooks held"),
}
_INTRO = {
    "Programme": "Hard runs (tempo, interval, long, race) within a day of a heavy leg session this "
                 "block: a planning note. The usual advice is strength on easy-run days (hard days "
                 "hard, easy days easy).",
    "Strength": "One row per lift and side trained this block: what it was judged on, the two "
                "blocks' means, the change and its 95 % CI.",
    "Single-leg balance": "The weaker side is named only when the 95 % CI of the gap excludes "
                          "zero; the trend compares the gap with the previous block.",
    "Consistency": "Strength sessions per week against the target.",
    "Running": "Mean pace per run type; a negative change is faster.",
    "Volume": "Weekly means per movement pattern, previous block → this block (change).",
    "Strength and pace": "Week-to-week changes at the same week; an association is not a cause.",
    "Test days": "The coach's test battery, the latest test day against the one before, per test "
                 "and side. Better or worse only when the change is larger than two tests differ by "
                 "chance (MDC95: from the athlete's own repeated tests, or a published test-retest "
                 "study) and than the smallest worthwhile change.",
    "Next block": "An outlook, not a promise: where each lift's last 8 weeks point at the end of "
                  "the next block if the trend continues, with an 80 % prediction interval taken "
                  "from how far this athlete's own earlier outlooks landed; 'held' counts the "
                  "earlier outlooks whose interval held what happened.",
    "Race outlook": "Race times the trend of the weekly best runs (their VDOT) points to at the end "
                    "of the next block, with the same kind of interval. Training runs understate "
                    "race fitness, so a race run flat out is usually faster.",
}


def block_dates(params: dict[str, Any]) -> tuple[str, str]:
    """``("26 Oct – 22 Nov 2026", "28 Sep – 25 Oct 2026")``: this block and the one before."""
    end = pd.Timestamp(params["end"])
    cur, prev = pd.Timestamp(params["current_start"]), pd.Timestamp(params["previous_start"])
    prev_end = pd.Timestamp(params["previous_end"])
    return f"{_day(cur)} – {_day(end, True)}", f"{_day(prev)} – {_day(prev_end, True)}"


def _phase_text(params: dict[str, Any]) -> str | None:
    phase = params.get("phase")
    if not phase:
        return None
    how = {"inferred": " (inferred from the sets)", "plan": " (from the plan)", "given": ""}
    return f"{phase}{how.get(str(params.get('phase_source')), '')}"


def report_areas(r: Any) -> list[Area]:
    """The verdict strip of one athlete's report: strength, balance, consistency, running."""
    p = r.params
    return [
        strength_area(r.lift_status),
        balance_area(r.asymmetry_status),
        consistency_area(r.adherence, int(p["target_per_week"])),
        running_area(r.pace_blocks, p.get("n_runs", 0) > 0),
    ]


def report_parts(
    r: Any,
    *,
    phase: str | None = None,
    charts: Sequence[Any] = (),
    files: Sequence[str] = (),
) -> Parts:
    """The parts of one athlete's report (module docstring).

    Parameters
    ----------
    r : Reassessment
        From :func:`analysis.reassess`, for one athlete (its ``problems`` already that
        athlete's own).
    phase : str, default=None
        The training phase of the current block, when known.
    charts : sequence of Chart, default=()
        From :func:`analysis.report.figures.report_charts`, placed in their areas.
    files : sequence of str, default=()
        The files this athlete's rows came from (named in the data-quality section).

    Returns
    -------
    Parts
    """
    p = r.params
    end = pd.Timestamp(p["end"])
    key, other = key_and_other(r.findings)
    areas = report_areas(r)
    tables = {
        "Strength": strength_table(r.lift_status),
        "Single-leg balance": balance_table(r.asymmetry_status),
        "Consistency": consistency_table(r.adherence),
        "Running": running_table(r.pace_blocks),
        "Volume": volume_table(r.block_volume),
        "Strength and pace": correlation_table(r.correlation),
        "Data quality": problems_table(r.problems),
        "Programme": spacing_table(r.spacing),
        "Test days": test_days_table(r.test_days),
        "Next block": outlook_table(r.outlook, r.lift_status),
        "Race outlook": race_table(r.race_outlook),
    }
    by_area: dict[str, list[Any]] = {}
    for c in charts:
        by_area.setdefault(c.area, []).append(c)
    sections = []
    for name in ("Programme", "Strength", "Single-leg balance", "Volume", "Consistency", "Running",
                 "Test days", "Strength and pace", "Next block", "Race outlook"):  # fmt: skip
        table = tables[name]
        if name in ("Running", "Race outlook") and not p.get("n_runs", 0):
            continue
        if name in ("Test days", "Next block", "Race outlook") and table.empty:
            continue
        if name == "Strength and pace" and table.empty and name not in by_area:
            continue
        sections.append(Section(
            id=name.lower().replace(" ", "-"), title=name, charts=by_area.get(name, []),
            intro=_INTRO[name], table=table, numeric=_NUMERIC[name],
            empty="No hard run fell within a day of a heavy leg session this block." if name == "Programme" else "Nothing to show.",
        ))  # fmt: skip
    period, previous_period = block_dates(p)
    settings = (f"target {p['target_per_week']} sessions a week, "
                f"{p['threshold_pct']:g} % left-right flag, e1RM by {p['formula']}")  # fmt: skip
    return Parts(
        athlete=str(p["athlete"]),
        title=f"{p['athlete']}: strength reassessment, {period}",
        period=period,
        previous_period=previous_period,
        weeks=int(p["weeks"]),
        end=end,
        end_text=_day(end, True),
        phase=phase or _phase_text(p),
        areas=areas,
        key_findings=key,
        other_findings=other,
        suggestions=suggestions(r),
        tables=tables,
        sections=sections,
        data_quality=data_quality(r.problems, files),
        settings=settings,
    )

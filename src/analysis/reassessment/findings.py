"""Plain-language findings of a reassessment: one sentence each, ranked, with their evidence.

Definitions
-----------
Finding
    One row: ``rank``, ``topic`` (``adherence``, ``strength``, ``stall``, ``asymmetry``,
    ``running``, ``correlation``, ``data``), ``severity`` (``attention``, ``progress``,
    ``info``), ``athlete``, ``exercise`` and ``metric`` (NA where not relevant), ``finding``
    (ONE plain sentence), ``evidence`` (sessions, n, noise, CI, method), ``n`` and ``status``
    (``ok`` or ``not enough data``: then the sentence says so instead of guessing).
Rules (tables from :func:`analysis.reassessment.reassess`; definitions there)
    - adherence: complete weeks of the current block below ``target_per_week`` (attention), or
      all met (info); planned exercise-weeks not done (attention) when a plan is given.
    - stall: only loaded main lifts (e1RM metric) trained in the current block with no gain
      beyond the noise for 3+ weeks (:func:`analysis.progression.stalls`; attention). Box
      jumps, wall sits, planks and other fixed prescriptions are never stalls.
    - asymmetry: per unilateral exercise in the current block: over ``threshold_pct``
      (attention), growing beyond MDC95 (attention), narrowing beyond MDC95 (progress),
      fewer than 3 paired sessions (not enough data); the rest in one info line.
    - strength: main lift e1RM change beyond MDC95 (up: progress, down: attention), else within
      the noise (info); not enough sessions in a block says so.
    - running: mean pace change per run type with a Welch 95 % CI: faster (progress), slower or
      no clear change (info); too few runs says so.
    - correlation: lag-0 levels associations (info, with the week-to-week change check); else
      one line saying none was clear or there were too few weeks. Never a cause.
    - data: rows the loaders could not take as they were (info).
Ranking
    Severity (attention, progress, info), then ``ok`` before ``not enough data``, then topic in
    the order above, then exercise; ``rank`` counts from 1 per athlete. Nothing here claims a
    cause or labels injury risk.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.catalog import display_name
from analysis.columns import ATHLETE, NOT_ENOUGH_DATA
from analysis.running import format_pace

__all__ = ["FINDING_COLUMNS", "build_findings"]

FINDING_COLUMNS = (
    "rank",
    "topic",
    "severity",
    "athlete",
    "exercise",
    "metric",
    "finding",
    "evidence",
    "n",
    "status",
)
TOPICS = ("adherence", "stall", "asymmetry", "strength", "running", "correlation", "data")
SEVERITIES = ("attention", "progress", "info")
MAX_ASSOCIATIONS = 2
def _day(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _s(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _row(
    topic, severity, athlete, finding, evidence, n, *, exercise=None, metric=None, status="ok"
) -> dict[str, Any]:
    return {
        "topic": topic,
        "severity": severity,
        "athlete": athlete,
        "exercise": exercise,
        "metric": metric,
        "finding": finding,
        "evidence": evidence,
        "n": n,
        "status": status,
    }


def _adherence(adh: pd.DataFrame, params: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    cur = adh[(adh["block"] == "current").fillna(False)]
    for athlete, grp in cur.groupby(ATHLETE, sort=True):
        weeks = grp[grp["complete"].fillna(False).to_numpy(dtype=bool)]
        target = params["target_per_week"]
        sessions = weeks["sessions"].astype(int).tolist()
        evidence = (
            f"sessions per complete week: {', '.join(map(str, sessions)) or 'none'}; "
            f"target {target}; block from {_day(params['current_start'])}"
        )
        if weeks.empty:
            rows.append(
                _row(
                    "adherence",
                    "info",
                    athlete,
                    "Not enough data to judge adherence "
                    "(no complete week in the current block yet).",
                    evidence,
                    0,
                    metric="sessions",
                    status=NOT_ENOUGH_DATA,
                )
            )
            continue
        low = weeks[~weeks["met"].fillna(False).to_numpy(dtype=bool)]
        if len(low):
            days = _join([_day(d) for d in low["week_start"]])
            text = (
                f"{len(low)} of {_s(len(weeks), 'week')} below the target of "
                f"{_s(target, 'session')} (week{'s' if len(low) > 1 else ''} of {days})."
            )
            rows.append(
                _row(
                    "adherence", "attention", athlete, text, evidence, len(weeks), metric="sessions"
                )
            )
        else:
            text = (
                f"All {_s(len(weeks), 'week')} met the target of {_s(target, 'session')} "
                f"({sum(sessions)} sessions)."
            )
            rows.append(
                _row("adherence", "info", athlete, text, evidence, len(weeks), metric="sessions")
            )
    return rows


def _plan(pvd: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    cur = pvd[(pvd["block"] == "current").fillna(False) & (pvd["status"] != "not in plan")]
    for athlete, grp in cur.groupby(ATHLETE, sort=True):
        missed = grp[grp["status"] == "missed"]
        short = grp[grp["status"].isin(["fewer sets", "lighter"])]
        evidence = (
            f"{len(grp)} planned exercise-weeks: {len(missed)} missed, "
            f"{len(short)} with fewer sets or a lighter load, "
            f"{int((grp['status'] == 'as planned').sum())} as planned"
        )
        if len(missed):
            names = sorted({display_name(e, mid_sentence=True) for e in missed["exercise"]})
            listed = _join(names[:3] + ([f"{len(names) - 3} more"] if len(names) > 3 else []))
            text = (
                f"{len(missed)} of {len(grp)} planned exercise-weeks were not done in this "
                f"block ({listed})."
            )
            rows.append(
                _row("adherence", "attention", athlete, text, evidence, len(grp), metric="plan")
            )
        else:
            text = f"Every one of the {len(grp)} planned exercise-weeks of this block was trained."
            rows.append(_row("adherence", "info", athlete, text, evidence, len(grp), metric="plan"))
        if len(short):
            text = (
                f"{len(short)} of {len(grp)} planned exercise-weeks were done with fewer sets "
                "or a lighter load than planned."
            )
            rows.append(_row("adherence", "info", athlete, text, evidence, len(grp), metric="plan"))
    return rows


def _stalls(st: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    hits = st[st["reportable"].fillna(False).to_numpy(dtype=bool)]
    for (athlete, exercise), grp in hits.groupby([ATHLETE, "exercise"], sort=True):
        sides = grp["side"].tolist()
        who = display_name(exercise, sides[0] if len(sides) == 1 else None)
        if set(sides) == {"left", "right"}:
            who += " (left and right)"
        weeks = int(np.floor(grp["weeks_stalled"].astype(float).min()))
        best, noise = float(grp["best_value"].max()), float(grp["typical_error"].max())
        text = (
            f"{who} has not gone up for {weeks} weeks (best {best:.1f} kg e1RM; "
            f"noise {noise:.1f} kg)."
        )
        n = int(grp["n_sessions"].max())
        evidence = (
            f"{n} sessions; last gain {_day(grp['since'].min())}; a gain beats every "
            "earlier session by more than the typical error"
        )
        rows.append(
            _row(
                "stall",
                "attention",
                athlete,
                text,
                evidence,
                n,
                exercise=exercise,
                metric="e1rm_kg",
            )
        )
    return rows


def _asymmetry(ab: pd.DataFrame, threshold: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    quiet: dict[str, list[str]] = {}
    cur = ab[(ab["block_index"] == 0).fillna(False)]
    prev = ab[(ab["block_index"] == -1).fillna(False)].set_index([ATHLETE, "exercise"])
    for r in cur.itertuples(index=False):
        name = display_name(r.exercise, mid_sentence=True)
        if r.status != "ok":
            text = (
                f"Not enough data to judge the {name} asymmetry "
                f"({_s(int(r.n_sessions), 'session')} in the block; 3 needed)."
            )
            rows.append(
                _row(
                    "asymmetry",
                    "info",
                    r.athlete,
                    text,
                    "paired left-right sessions",
                    int(r.n_sessions),
                    exercise=r.exercise,
                    metric="asymmetry_pct",
                    status=NOT_ENOUGH_DATA,
                )
            )
            continue
        level, mdc = float(r.asymmetry_pct), r.mdc95_pct
        before = (
            prev.loc[(r.athlete, r.exercise)] if (r.athlete, r.exercise) in prev.index else None
        )
        prev_level = (
            None
            if before is None or pd.isna(before["asymmetry_pct"])
            else float(before["asymmetry_pct"])
        )
        over = abs(level) >= threshold
        real = bool(r.change_exceeds_noise) if pd.notna(r.change_exceeds_noise) else False
        growing = real and prev_level is not None and abs(level) > abs(prev_level)
        narrowing = real and prev_level is not None and abs(level) < abs(prev_level)
        if not (over or real) or level == 0:
            quiet.setdefault(r.athlete, []).append(name)
            continue
        weak, strong = ("left", "right") if level > 0 else ("right", "left")
        text = f"{display_name(r.exercise, weak)} is {abs(level):.0f} % behind the {strong}"
        text += f" (above the {threshold:g} % flag)" if over else ""
        if prev_level is not None and np.sign(prev_level) * np.sign(level) < 0:
            text += f"; in the previous block the {weak} was {abs(prev_level):.0f} % stronger"
        elif prev_level is not None:
            text += (
                f", {'down' if abs(level) < abs(prev_level) else 'up'} from {abs(prev_level):.0f} %"
            )
        if pd.notna(mdc):
            text += (
                f": a real change (larger than the session-to-session noise of {mdc:.1f} %)."
                if real
                else f": within the session-to-session noise of {mdc:.1f} %."
            )
        else:
            text += f" over {_s(int(r.n_sessions), 'session')}."
        consistent = round(float(r.direction_consistency) * int(r.n_sessions))
        evidence = (
            f"{r.n_sessions} paired sessions ({r.direction} stronger in {consistent}); "
            f"metric {r.metric}; typical error {float(r.typical_error_pct):.1f} %"
            + (f", MDC95 {mdc:.1f} %" if pd.notna(mdc) else "")
            + "; asymmetry = 100 (right - left) / max"
        )
        severity = "attention" if over or growing else "progress" if narrowing else "info"
        rows.append(
            _row(
                "asymmetry",
                severity,
                r.athlete,
                text,
                evidence,
                int(r.n_sessions),
                exercise=r.exercise,
                metric="asymmetry_pct",
            )
        )
    reported = {row["athlete"] for row in rows if row["status"] == "ok"}
    for athlete, names in quiet.items():
        what = ("other " if athlete in reported else "") + "single-leg exercise"
        text = (
            f"Left and right were within {threshold:g} % on {_s(len(names), what)} "
            f"({_join(sorted(names))}), with no change beyond the noise."
        )
        rows.append(
            _row(
                "asymmetry",
                "info",
                athlete,
                text,
                "current block, paired sessions",
                len(names),
                metric="asymmetry_pct",
            )
        )
    return rows


def _strength(eb: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    both = eb[(eb["trained"] == "both blocks").fillna(False)]
    for r in both.itertuples(index=False):
        who = display_name(r.exercise, r.side)
        n = int(r.n_sessions)
        if r.status != "ok":
            text = (
                f"Not enough data to compare the {display_name(r.exercise, r.side, mid_sentence=True)} e1RM between blocks "
                f"({r.n_sessions_previous} and {r.n_sessions} sessions; 3 needed in each)."
            )
            rows.append(
                _row(
                    "strength",
                    "info",
                    r.athlete,
                    text,
                    "session-best e1RM",
                    n,
                    exercise=r.exercise,
                    metric="e1rm_kg",
                    status=NOT_ENOUGH_DATA,
                )
            )
            continue
        prev, cur, change, mdc = (
            float(r.previous_e1rm_kg),
            float(r.current_e1rm_kg),
            float(r.change_kg),
            float(r.mdc95_kg),
        )
        evidence = (
            f"mean session-best e1RM, {r.n_sessions_previous} and {r.n_sessions} sessions; "
            f"typical error {float(r.typical_error_kg):.1f} kg, MDC95 {mdc:.1f} kg"
        )
        if pd.notna(r.change_exceeds_noise) and bool(r.change_exceeds_noise):
            verb, severity = ("rose", "progress") if change > 0 else ("fell", "attention")
            text = (
                f"{who} e1RM {verb} {abs(change):.1f} kg ({float(r.change_pct):+.0f} %, "
                f"{prev:.1f} -> {cur:.1f} kg): more than the session-to-session noise "
                f"({mdc:.1f} kg)."
            )
        else:
            severity = "info"
            text = (
                f"{who} e1RM {prev:.1f} -> {cur:.1f} kg ({change:+.1f} kg): within the "
                f"session-to-session noise ({mdc:.1f} kg), so no clear change."
            )
        rows.append(
            _row(
                "strength",
                severity,
                r.athlete,
                text,
                evidence,
                n,
                exercise=r.exercise,
                metric="e1rm_kg",
            )
        )
    return rows


def _running(pb: pd.DataFrame, athletes: list[str], runs_given: bool) -> list[dict[str, Any]]:
    rows = []
    if not runs_given:
        for athlete in athletes:
            rows.append(
                _row(
                    "running",
                    "info",
                    athlete,
                    "No runs were logged, so pace was not assessed.",
                    "runs table empty",
                    0,
                    status=NOT_ENOUGH_DATA,
                )
            )
        return rows
    for r in pb.itertuples(index=False):
        kind = str(r.run_type).capitalize()
        n1, n2 = int(r.runs_previous), int(r.runs_current)
        metric = f"{r.run_type}_pace_s_per_km"
        if r.status != "ok":
            text = (
                f"Not enough data to compare {r.run_type} pace ({n1} and {n2} runs; "
                f"3 needed in each block)."
            )
            rows.append(
                _row(
                    "running",
                    "info",
                    r.athlete,
                    text,
                    "runs per block",
                    n1 + n2,
                    metric=metric,
                    status=NOT_ENOUGH_DATA,
                )
            )
            continue
        p, c, d = (
            float(r.mean_pace_previous_s_per_km),
            float(r.mean_pace_current_s_per_km),
            float(r.change_s_per_km),
        )
        paces = f"{format_pace(p)} -> {format_pace(c)} /km, n = {n1} and {n2} runs"
        ci = f"95 % CI of the change {float(r.ci_low):+.0f} to {float(r.ci_high):+.0f} s/km"
        evidence = f"mean run pace; {ci} (Welch t)"
        if pd.notna(r.slope_s_per_km_per_week):
            evidence += (
                f"; trend this block {float(r.slope_s_per_km_per_week):+.1f} s/km per "
                f"week ({r.slope_verdict})"
            )
        if r.verdict == "faster":
            text, severity = f"{kind} pace improved by {abs(d):.0f} s/km ({paces}).", "progress"
        elif r.verdict == "slower":
            text, severity = f"{kind} pace slowed by {abs(d):.0f} s/km ({paces}).", "info"
        else:
            text, severity = f"{kind} pace showed no clear change ({paces}; {ci}).", "info"
        rows.append(_row("running", severity, r.athlete, text, evidence, n1 + n2, metric=metric))
    return rows


def _correlation(corr: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    levels = corr[(corr["series"] == "levels") & (corr["lag_weeks"] == 0)]
    changes = corr[(corr["series"] == "changes") & (corr["lag_weeks"] == 0)]
    changes = changes.set_index(["athlete", "strength_metric", "pace_metric"])
    for athlete, grp in levels.groupby(ATHLETE, sort=True):
        hits = grp[grp["verdict"] == "association"]
        hits = hits.reindex(hits["r"].abs().sort_values(ascending=False).index)[:MAX_ASSOCIATIONS]
        for r in hits.itertuples(index=False):
            key = (athlete, r.strength_metric, r.pace_metric)
            check = changes.loc[key] if key in changes.index else None
            evidence = (
                f"Pearson r = {r.r:.2f}, 95 % CI {r.ci_low:.2f} to {r.ci_high:.2f}, n = {r.n} weeks"
            )
            if check is not None:
                evidence += f"; week-to-week changes: {check['verdict']}" + (
                    f" (r = {check['r']:.2f})" if pd.notna(check["r"]) else ""
                )
            rows.append(
                _row(
                    "correlation",
                    "info",
                    athlete,
                    str(r.reading),
                    evidence,
                    int(r.n),
                    metric=r.strength_metric,
                )
            )
        if hits.empty:
            n = int(grp["n"].max())
            if (grp["verdict"] == NOT_ENOUGH_DATA).all():
                text = (
                    f"Not enough data to relate weekly strength to easy pace ({n} paired "
                    "weeks; 6 needed)."
                )
                rows.append(
                    _row(
                        "correlation", "info", athlete, text, "Pearson, lag 0", n, status=NOT_ENOUGH_DATA
                    )
                )
            else:
                text = (
                    f"No clear association between weekly strength and easy pace "
                    f"({len(grp)} lifts or measures checked, up to {n} weeks)."
                )
                rows.append(
                    _row(
                        "correlation",
                        "info",
                        athlete,
                        text,
                        "Pearson, lag 0, Holm-adjusted across lags",
                        n,
                    )
                )
    return rows


def _data(problems: pd.DataFrame, athletes: list[str]) -> list[dict[str, Any]]:
    if problems.empty:
        return []
    counts = problems["action"].value_counts()
    parts = [f"{int(counts[a])} {a}" for a in ("dropped", "fixed", "kept") if a in counts]
    text = (
        f"{_s(len(problems), 'value')} in the logs could not be taken as written "
        f"({', '.join(parts)}); the data quality notebook lists each one."
    )
    return [_row("data", "info", a, text, "loader problems table", len(problems)) for a in athletes]


def build_findings(
    tables: dict[str, pd.DataFrame], params: dict[str, Any], *, runs_given: bool = True
) -> pd.DataFrame:
    """Ranked plain-language findings from the tables of a reassessment (one or many athletes).

    Parameters
    ----------
    tables : dict of str to DataFrame
        The tables of :func:`analysis.reassessment.reassess` (``adherence``, ``plan_vs_done``,
        ``stalls``, ``asymmetry_blocks``, ``e1rm_blocks``, ``pace_blocks``, ``correlation``,
        ``problems``).
    params : dict
        ``target_per_week``, ``threshold_pct`` and ``current_start``.
    runs_given : bool, default=True
        False adds a "no runs logged" line per athlete instead of pace findings.

    Returns
    -------
    DataFrame
        Columns :data:`FINDING_COLUMNS`: ``rank`` (Int64, from 1 per athlete), ``topic``,
        ``severity``, ``athlete``, ``exercise``, ``metric``, ``finding``, ``evidence``
        (string), ``n`` (Int64: weeks, sessions, runs or values behind the finding),
        ``status`` (``ok`` or ``not enough data``); sorted by athlete and rank.

    Notes
    -----
    Rules and ranking are in the module docstring.

    Examples
    --------
    >>> from analysis.reassessment import reassess
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-17"]),
    ...     "exercise": "back_squat", "side": "both", "set_index": 1, "reps": 5,
    ...     "load_kg": 60.0, "duration_s": None, "rpe": None, "warmup": False})
    >>> reassess(sets, athlete="Ann", end="2026-11-22").findings["finding"].tolist()
    ['4 of 4 weeks below the target of 2 sessions (weeks of 26 Oct, 2 Nov, 9 Nov and 16 Nov).', 'No runs were logged, so pace was not assessed.']
    """
    athletes = sorted(tables["adherence"][ATHLETE].dropna().astype(str).unique())
    threshold = float(params.get("threshold_pct", 10.0))
    rows = [
        *_adherence(tables["adherence"], params),
        *_plan(tables["plan_vs_done"]),
        *_stalls(tables["stalls"]),
        *_asymmetry(tables["asymmetry_blocks"], threshold),
        *_strength(tables["e1rm_blocks"]),
        *_running(tables["pace_blocks"], athletes, runs_given),
        *_correlation(tables["correlation"]),
        *_data(tables["problems"], athletes),
    ]
    frame = pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c != "rank"])
    order = pd.DataFrame(
        {
            "a": frame["athlete"].astype(str),
            "s": frame["severity"].map({s: i for i, s in enumerate(SEVERITIES)}),
            "d": (frame["status"] != "ok").astype(int),
            "t": frame["topic"].map({t: i for i, t in enumerate(TOPICS)}),
            "e": frame["exercise"].fillna("").astype(str),
        }
    )
    frame = frame.loc[order.sort_values(["a", "s", "d", "t", "e"], kind="stable").index]
    rank = frame.groupby("athlete", sort=False).cumcount().to_numpy() + 1
    out = frame.reset_index(drop=True).astype(
        {c: "string" for c in FINDING_COLUMNS if c not in ("rank", "n")}
    )
    out.insert(0, "rank", pd.array(rank, dtype="Int64"))
    out["n"] = out["n"].astype("Int64")
    return out

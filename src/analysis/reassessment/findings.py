"""Plain-language findings of a reassessment: one sentence each, ranked, with their evidence.

Every sentence is read off one row of a status table (the lift status, the left-right status,
the pace comparison per run type, adherence, the correlation), so two findings can never
contradict each other: a lift that is "up 5 kg" is not also "not going up".

Definitions
-----------
Finding
    One row: ``rank``, ``topic`` (:data:`TOPICS`), ``severity`` (``attention``, ``progress``,
    ``info``), ``athlete``, ``exercise`` and ``metric`` (NA where not relevant), ``finding``
    (ONE plain sentence), ``evidence`` (sessions, n, CI, method), ``n`` and ``status``
    (``ok`` or ``not enough data``: then the sentence says so instead of guessing).
Rules (tables from :func:`analysis.reassessment.reassess`; definitions there)
    - consistency: complete weeks of the current block below ``target_per_week`` (attention),
      or all met (info); weeks before the athlete's first logged week are not counted; planned
      exercise-weeks not done (attention) when a plan is given.
    - strength: one per lift and side of :func:`analysis.reassessment.lift_status`:
      ``progressing`` (progress), ``stalled`` and ``regressing`` (attention); ``holding``
      lifts in one info line; ``not enough data`` (info, new lifts named as new).
    - balance: one per single-leg exercise of
      :func:`analysis.reassessment.asymmetry_status`: ``imbalanced`` (attention; progress
      when the gap is closing), a gap that closed (progress); balanced exercises in one info
      line; too few paired sessions in one info line.
    - running: the pace comparison per run type (faster: progress; slower: attention; no clear
      change: info), with too few runs saying so.
    - programme: the current block's phase and what it is judged on, plyometric volume in the
      power phase, hard runs within a day of a heavy leg session (info;
      :mod:`analysis.reassessment.programme`). A stall that the phase intends (strength held
      in power, load in foundation) is info, not attention.
    - tests: per test and side of the test days (:func:`analysis.testdays.test_changes`),
      clearly better (progress) or worse (attention) than the test day before; no clear change
      and tests done once in one info line each.
    - correlation: associations of week-to-week changes only, after the adjustment for every
      test run (info, at most two); else one line saying none was clear or there were too few
      weeks. Never a cause.
    - data: rows the loaders could not take as they were (info).
Ranking
    Severity (attention, progress, info), then ``ok`` before ``not enough data``, then topic in
    the order above, then exercise; ``rank`` counts from 1 per athlete. Nothing here claims a
    cause or labels injury risk.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from analysis.catalog import display_name
from analysis.columns import ATHLETE, NOT_ENOUGH_DATA
from analysis.reassessment.balance import BALANCED, CLOSING, IMBALANCED, WIDENING
from analysis.reassessment.programme import AIMS, by_athlete, programme_rows, test_rows
from analysis.reassessment.verdicts import HOLDING, PROGRESSING, REGRESSING, STALLED
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
TOPICS = ("consistency", "strength", "balance", "tests", "running", "programme", "correlation", "data")
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
    complete_all = cur["complete"].fillna(False).to_numpy(dtype=bool)
    met_all = cur["met"].fillna(False).to_numpy(dtype=bool)
    sessions_all = cur["sessions"].to_numpy(dtype=object)
    week_all = cur["week_start"].to_numpy()
    target = params["target_per_week"]
    for athlete, at in by_athlete(cur[ATHLETE]):
        weeks = at[complete_all[at]]
        sessions = [int(x) for x in sessions_all[weeks]]
        evidence = (
            f"sessions per complete week: {', '.join(map(str, sessions)) or 'none'}; "
            f"target {target}; block from {_day(params['current_start'])}"
        )
        if not len(weeks):
            rows.append(
                _row(
                    "consistency",
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
        low = weeks[~met_all[weeks]]
        if len(low):
            days = _join([_day(d) for d in week_all[low]])
            text = (
                f"{len(low)} of {_s(len(weeks), 'week')} below the target of "
                f"{_s(target, 'session')} (week{'s' if len(low) > 1 else ''} of {days})."
            )
            rows.append(
                _row(
                    "consistency", "attention", athlete, text, evidence, len(weeks), metric="sessions"
                )
            )
        else:
            text = (
                f"All {_s(len(weeks), 'week')} met the target of {_s(target, 'session')} "
                f"({sum(sessions)} sessions)."
            )
            rows.append(
                _row("consistency", "info", athlete, text, evidence, len(weeks), metric="sessions")
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
                _row("consistency", "attention", athlete, text, evidence, len(grp), metric="plan")
            )
        else:
            text = f"Every one of the {len(grp)} planned exercise-weeks of this block was trained."
            rows.append(_row("consistency", "info", athlete, text, evidence, len(grp), metric="plan"))
        if len(short):
            text = (
                f"{len(short)} of {len(grp)} planned exercise-weeks were done with fewer sets "
                "or a lighter load than planned."
            )
            rows.append(_row("consistency", "info", athlete, text, evidence, len(grp), metric="plan"))
    return rows


_CHANGE_WORDS = {
    "e1rm_kg": ("e1RM", "kg"),
    "load_kg": ("top load", "kg"),
    "reps": ("reps a set", "reps"),
    "sets": ("sets a session", "sets"),
    "duration_s": ("hold", "s"),
}


def _change_text(metric: str, change: float, lo: float, hi: float) -> str:
    word, unit = _CHANGE_WORDS.get(metric, (metric, ""))
    way = "up" if change > 0 else "down"
    return (
        f"{word} {way} {abs(change):.1f} {unit} on the previous block "
        f"(95 % CI {lo:+.1f} to {hi:+.1f} {unit})"
    )


def _lifts(status: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in status.itertuples(index=False):
        who = display_name(r.exercise, r.side)
        n = int(r.n_current)
        base = {"exercise": r.exercise, "metric": r.metric}
        if r.status == PROGRESSING:
            text = f"{who}: {_change_text(r.metric, r.change, r.ci_low, r.ci_high)}."
            rows.append(_row("strength", "progress", r.athlete, text, r.evidence, n, **base))
        elif r.status == REGRESSING:
            text = f"{who}: {_change_text(r.metric, r.change, r.ci_low, r.ci_high)}."
            rows.append(_row("strength", "attention", r.athlete, text, r.evidence, n, **base))
        elif r.status == STALLED:
            weeks = int(np.floor(float(r.weeks_since_progress)))
            text = (
                f"{who}: no new best for {weeks} weeks (last on {_day(r.last_progress)}) "
                f"though trained {n} times this block."
            )
            concern = bool(getattr(r, "needs_attention", True))
            if not concern:  # the phase's aim is not this lift's load (programme module)
                text = text[:-1] + f"; expected in the {r.phase} phase, judged on {AIMS[str(r.phase)]}."
            elif getattr(r, "phase", None) == "power":
                text = text[:-1] + ", and the stall began before the power phase."
            rows.append(_row("strength", "attention" if concern else "info", r.athlete, text, r.evidence, n,
                             **base))  # fmt: skip
        elif r.status == NOT_ENOUGH_DATA:
            if int(r.n_previous) == 0 and n > 0:
                text = (
                    f"{who} is new this block ({_s(n, 'session')}): too soon to judge its "
                    "progress."
                )
            else:
                text = (
                    f"{who}: not enough sessions to judge progress ({n} this block, "
                    f"{int(r.n_previous)} in the previous)."
                )
            rows.append(
                _row("strength", "info", r.athlete, text, r.evidence, n, status=NOT_ENOUGH_DATA,
                     **base)
            )  # fmt: skip
    holding = status[(status["status"] == HOLDING).fillna(False).to_numpy(dtype=bool)]
    exercise, side, lines = (holding[c].to_numpy(dtype=object) for c in ("exercise", "side", "evidence"))
    sessions = holding["n_current"].fillna(0).to_numpy(dtype=np.int64)  # sum() skips NA
    for athlete, at in by_athlete(holding[ATHLETE]):  # arrays per athlete, no frame each
        names = [display_name(e, s) for e, s in zip(exercise[at], side[at], strict=True)]
        text = f"No clear change, and not yet a stall: {_join(names)}."
        evidence = "; ".join(f"{n}: {e}" for n, e in zip(names, lines[at], strict=True))
        rows.append(_row("strength", "info", athlete, text, evidence, int(sessions[at].sum())))
    return rows


def _balance(status: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    quiet: dict[tuple[str, str], list[Any]] = {}
    for r in status.itertuples(index=False):
        who = display_name(r.exercise)
        n = int(r.n_sessions)
        base = {"exercise": r.exercise, "metric": "gap_pct"}
        if r.status == IMBALANCED:
            side = f"{r.weaker_side} leg"
            text = (
                f"{who}: {side} {r.gap_pct:.0f} % weaker (95 % CI {r.ci_low:.0f} to "
                f"{r.ci_high:.0f} %), weaker in {round(r.consistency * n)} of {n} sessions"
            )
            severity = "attention"
            if r.trend == CLOSING:
                text += f"; the gap is closing (it was {r.previous_gap_pct:.0f} %)"
                severity = "progress"
            elif r.trend == WIDENING:
                text += f"; the gap is widening (it was {r.previous_gap_pct:.0f} %)"
            rows.append(_row("balance", severity, r.athlete, text + ".", r.evidence, n, **base))
        elif r.status == BALANCED and r.trend == CLOSING:
            text = (
                f"{who}: the left-right gap closed (from {r.previous_gap_pct:.0f} % to "
                f"{r.gap_pct:.0f} %, no clear difference now)."
            )
            rows.append(_row("balance", "progress", r.athlete, text, r.evidence, n, **base))
        else:
            quiet.setdefault((r.athlete, r.status), []).append(r)
    for (athlete, state), group in sorted(quiet.items()):
        names = _join([display_name(r.exercise) for r in group])
        evidence = "; ".join(f"{display_name(r.exercise)}: {r.evidence}" for r in group)
        n = sum(int(r.n_sessions) for r in group)
        if state == BALANCED:
            text = f"No clear left-right difference: {names}."
            rows.append(_row("balance", "info", athlete, text, evidence, n))
        else:
            text = f"Not enough sessions with both legs logged to judge left-right balance: {names}."
            rows.append(_row("balance", "info", athlete, text, evidence, n, status=NOT_ENOUGH_DATA))
    return rows


def _running(pb: pd.DataFrame, athletes: list[str], runs_given: bool | Collection[str]) -> list[dict[str, Any]]:
    rows = []
    with_runs = set(athletes) if runs_given is True else set() if runs_given is False else set(runs_given)
    for athlete in athletes:
        if athlete not in with_runs:
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
    for r in pb[pb[ATHLETE].isin(list(with_runs))].itertuples(index=False):
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
            text, severity = f"{kind} pace slowed by {abs(d):.0f} s/km ({paces}).", "attention"
        else:
            text, severity = f"{kind} pace showed no clear change ({paces}; {ci}).", "info"
        rows.append(_row("running", severity, r.athlete, text, evidence, n1 + n2, metric=metric))
    return rows


def _correlation(corr: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for athlete, grp in corr.groupby(ATHLETE, sort=True):
        changes = grp[grp["series"] == "changes"]
        hits = changes[changes["verdict"] == "association"]
        hits = hits.reindex(hits["r"].abs().sort_values(ascending=False).index)[:MAX_ASSOCIATIONS]
        for r in hits.itertuples(index=False):
            evidence = (
                f"Pearson r = {r.r:.2f} of week-to-week changes, 95 % CI {r.ci_low:.2f} to "
                f"{r.ci_high:.2f}, n = {r.n} weeks ({r.n_eff:.1f} effective), adjusted p = "
                f"{r.p_adjusted:.3f} over {int(grp['p_value'].notna().sum())} tests"
            )
            rows.append(
                _row("correlation", "info", athlete, str(r.reading), evidence, int(r.n),
                     metric=r.strength_metric)
            )  # fmt: skip
        if not hits.empty:
            continue
        n = int(changes["n"].max()) if len(changes) else 0
        if changes.empty or (changes["verdict"] == NOT_ENOUGH_DATA).all():
            text = (
                f"Not enough data to relate week-to-week strength to easy pace ({n} paired weeks; "
                "6 needed)."
            )
            rows.append(_row("correlation", "info", athlete, text, "Pearson, changes", n,
                             status=NOT_ENOUGH_DATA))  # fmt: skip
        else:
            tests = int(grp["p_value"].notna().sum())
            text = (
                "No clear link between week-to-week changes in strength and in easy pace "
                f"(up to {n} weeks)."
            )
            evidence = f"Pearson on week-to-week changes, lags 0-2 weeks, adjusted over {tests} tests"
            rows.append(_row("correlation", "info", athlete, text, evidence, n))
    return rows


def _data(problems: pd.DataFrame, athletes: list[str]) -> list[dict[str, Any]]:
    """One line per athlete on their problems (all of them, or by an ``athlete`` column)."""
    rows = []
    for a in athletes:
        own = problems[problems[ATHLETE] == a] if ATHLETE in problems.columns else problems
        if own.empty:
            continue
        counts = own["action"].value_counts()
        parts = [f"{int(counts[k])} {k}" for k in ("dropped", "fixed", "kept") if k in counts]
        text = (
            f"{_s(len(own), 'value')} in the logs could not be taken as written "
            f"({', '.join(parts)}); the data quality section lists each one."
        )
        rows.append(_row("data", "info", a, text, "loader problems table", len(own)))
    return rows


def build_findings(
    tables: dict[str, pd.DataFrame], params: dict[str, Any], *, runs_given: bool | Collection[str] = True
) -> pd.DataFrame:
    """Ranked plain-language findings from the tables of a reassessment (one or many athletes).

    Parameters
    ----------
    tables : dict of str to DataFrame
        The tables of :func:`analysis.reassessment.reassess` (``adherence``, ``plan_vs_done``,
        ``lift_status``, ``asymmetry_status``, ``pace_blocks``, ``correlation``, ``problems``;
        problems with an ``athlete`` column are counted per athlete, else for everyone).
    params : dict
        ``target_per_week``, ``threshold_pct`` and ``current_start``.
    runs_given : bool or collection of str, default=True
        False adds a "no runs logged" line per athlete instead of pace findings; a collection
        names the athletes who logged runs (the others get that line).

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
    ['1 of 1 week below the target of 2 sessions (week of 16 Nov).', 'This block is in the strength phase (inferred from the sets): judged on load and single-leg balance.', 'Back squat is new this block (1 session): too soon to judge its progress.', 'No runs were logged, so pace was not assessed.']
    """
    athletes = sorted(tables["adherence"][ATHLETE].dropna().astype(str).unique())
    rows = [
        *_adherence(tables["adherence"], params),
        *_plan(tables["plan_vs_done"]),
        *_lifts(tables["lift_status"]),
        *_balance(tables["asymmetry_status"]),
        *_running(tables["pace_blocks"], athletes, runs_given),
        *programme_rows(tables, _row),
        *test_rows(tables, _row),
        *_correlation(tables["correlation"]),
        *_data(tables["problems"], athletes),
    ]
    frame = pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c != "rank"])
    # sorted by athlete, severity, data status, topic and exercise (a stable lexsort of codes:
    # a five-column sort_values costs ~3 ms on a few dozen rows); unknown words sort last
    def code(values: pd.Series, sort: bool = True) -> np.ndarray:
        codes, uniques = pd.factorize(values, sort=sort)
        return np.where(codes < 0, len(uniques), codes)

    keys = (
        code(frame["exercise"].fillna("").astype(str)),
        np.asarray([TOPICS.index(t) if t in TOPICS else len(TOPICS) for t in frame["topic"]]),
        (frame["status"] != "ok").to_numpy(dtype=int),
        np.asarray([SEVERITIES.index(v) if v in SEVERITIES else len(SEVERITIES) for v in frame["severity"]]),
        code(frame["athlete"].astype(str)),
    )
    order = np.lexsort(keys) if len(frame) else np.zeros(0, dtype=np.int64)
    frame = frame.iloc[order]
    athlete = keys[-1][order]
    # rank from 1 within each athlete (the rows of an athlete are adjacent now)
    starts = np.r_[0, np.flatnonzero(athlete[1:] != athlete[:-1]) + 1] if len(frame) else np.zeros(0, np.int64)
    rank = np.arange(len(frame)) - np.repeat(starts, np.diff(np.r_[starts, len(frame)])) + 1
    if frame["athlete"].isna().any():  # never from the rules; a groupby's ranks, as before
        rank = frame.groupby("athlete", sort=False).cumcount().to_numpy() + 1
    out = frame.reset_index(drop=True).astype(
        {c: "string" for c in FINDING_COLUMNS if c not in ("rank", "n")}
    )
    out.insert(0, "rank", pd.array(rank, dtype="Int64"))
    out["n"] = out["n"].astype("Int64")
    return out

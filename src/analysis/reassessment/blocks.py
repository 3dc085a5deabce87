"""Internal: the previous-vs-current block tables behind :func:`analysis.reassessment.reassess`.

Their columns, and the definitions they follow (block, main lift, change against noise, pace
change, planned vs done), are documented in :mod:`analysis.reassessment`; the functions here are
private helpers shared by :func:`~analysis.reassessment.reassess`, the squad functions and
:mod:`analysis.reassessment.findings`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis._engine.frames import group_agg
from analysis._engine.stats import t_quantile
from analysis.columns import (
    ATHLETE,
    BLOCK_INDEX,
    DATE,
    DISTANCE_KM,
    DURATION_S,
    NOT_ENOUGH_DATA,
    PACE_S_PER_KM,
    RUN_TYPE,
    WEEK_START,
    float_values,
    require_columns,
)
from analysis.correlate import strength_pace_correlation
from analysis.pace import paced_trends
from analysis.periods import week_start
from analysis.reassessment.fit import fit_lines
from analysis.volume import weekly_volume
from analysis.weekly_metrics import weekly_strength_pace

#: Fewest runs of a type in each block for a pace comparison (Welch needs 2; 3 is our floor).
MIN_RUNS = 3


_PREVIOUS, _CURRENT = "previous", "current"
_VOLUME_UNITS = {
    "sets": "sets/week",
    "reps": "reps/week",
    "volume_load_kg": "kg/week",
    "hold_s": "s/week",
}
LAGS = (0, 1, 2)
PLAN_COLUMNS = (
    "athlete",
    "week_start",
    "block",
    "exercise",
    "planned_sets",
    "planned_reps",
    "planned_load_kg",
    "planned_hold_s",
    "sessions",
    "sets_per_session",
    "reps_per_set",
    "top_load_kg",
    "longest_hold_s",
    "status",
)



def block_of(dates: pd.Series, span: dict[str, Any]) -> np.ndarray:
    """``'previous'``, ``'current'`` or None for each date (whole days up to ``end``)."""
    d = pd.Series(dates).to_numpy(dtype="datetime64[us]")
    stop = np.datetime64(span["end"] + pd.Timedelta(days=1), "us")
    cur = (d >= np.datetime64(span["current_start"], "us")) & (d < stop)
    prev = (d >= np.datetime64(span["previous_start"], "us")) & ~cur & (d < stop)
    out = np.full(d.shape, None, dtype=object)
    out[prev], out[cur] = _PREVIOUS, _CURRENT
    return out


def label_weeks(adh: pd.DataFrame, span: dict[str, Any]) -> pd.DataFrame:
    out = adh.copy()
    out.insert(2, "block", pd.array(block_of(out[WEEK_START], span), dtype="string"))
    complete = (out[WEEK_START] + pd.Timedelta(days=6)) <= span["end"]
    out["complete"] = pd.array(complete.to_numpy(dtype=bool), dtype="boolean")
    return out


def _wide(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Previous and current values side by side (suffixes ``_p``, ``_c``), sorted by keys.

    An outer join of the two blocks on ``keys`` (one row per key in either, NaN where a block
    has none; the keys are unique per block), done on codes: a merge and a sort cost ~5 ms on
    any size of frame. Values come back as float64 (their readers take floats).
    """
    block = frame["block"].to_numpy(dtype=object)
    rows = np.flatnonzero((block == _PREVIOUS) | (block == _CURRENT))
    combined = np.zeros(len(rows), dtype=np.int64)
    uniques = []
    for k in keys:  # sorted codes: the combined key sorts as the keys do
        code, unique = pd.factorize(frame[k].iloc[rows], sort=True)
        combined = combined * max(len(unique), 1) + code
        uniques.append(unique)
    seen, slot = np.unique(combined, return_inverse=True)
    out: dict[str, Any] = {}
    rest = seen
    for k, unique in reversed(list(zip(keys, uniques, strict=True))):
        width = max(len(unique), 1)
        out[k] = unique.take(rest % width)
        rest = rest // width
    out = {k: out[k] for k in keys}
    for suffix, which in (("_p", _PREVIOUS), ("_c", _CURRENT)):
        here = block[rows] == which
        for v in values:
            column = np.full(len(seen), np.nan)
            column[slot[here]] = float_values(frame[v].iloc[rows[here]])
            out[v + suffix] = column
    return pd.DataFrame(out)


def _pct(change: np.ndarray, base: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base != 0, 100.0 * change / np.abs(base), np.nan)


def block_volume(
    volume: pd.DataFrame, span: dict[str, Any], *, weeks: int, first: pd.Series | None = None
) -> pd.DataFrame:
    """Weekly means per block, counting weeks from the athlete's first logged week.

    ``first``: that week per athlete (index: athlete) when ``volume`` does not start there;
    default the first week of ``volume``.
    """
    measures = list(_VOLUME_UNITS)
    if first is None:
        first = volume.groupby(ATHLETE, sort=True)[WEEK_START].min()
    v = volume.assign(block=block_of(volume[WEEK_START], span))
    v = v[v["block"].notna()]
    v = v.assign(**{m: float_values(v[m]) for m in measures})
    sums: dict[str, Any] = {m: (m, "sum") for m in measures}
    per = group_agg(v, [ATHLETE, "pattern", "block"], **sums)
    total = group_agg(v, [ATHLETE, "block"], **sums)
    wide = _block_sums_wide(per, total, measures)
    began = first.reindex(wide[ATHLETE].to_numpy()).to_numpy(dtype="datetime64[us]")
    prev_from = np.maximum(began, np.datetime64(span["previous_start"], "us"))
    cur_from = np.maximum(began, np.datetime64(span["current_start"], "us"))
    day = np.timedelta64(1, "D")
    prev_weeks = np.clip((np.datetime64(span["current_start"], "us") - prev_from) / day / 7, 0, weeks)
    cur_weeks = np.clip((np.datetime64(span["end"], "us") - cur_from) / day / 7 + 1 / 7, 0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        prev = np.where(prev_weeks > 0, np.nan_to_num(float_values(wide["value_p"])) / prev_weeks, np.nan)
        cur = np.where(cur_weeks > 0, np.nan_to_num(float_values(wide["value_c"])) / cur_weeks, np.nan)
    idx = np.arange(len(wide))  # sorted by athlete, pattern and the measures' order already
    return pd.DataFrame(
        {
            ATHLETE: pd.array(wide[ATHLETE].to_numpy(), dtype="string"),
            "pattern": pd.array(wide["pattern"].to_numpy(), dtype="string"),
            "measure": pd.array(wide["measure"].to_numpy(), dtype="string"),
            "unit": pd.array(wide["measure"].map(_VOLUME_UNITS).to_numpy(), dtype="string"),
            "previous": pd.array(prev[idx], dtype="Float64"),
            "current": pd.array(cur[idx], dtype="Float64"),
            "change": pd.array(cur[idx] - prev[idx], dtype="Float64"),
            "change_pct": pd.array(_pct(cur[idx] - prev[idx], prev[idx]), dtype="Float64"),
        }
    )


def pace_blocks(paced: pd.DataFrame, span: dict[str, Any], *, weeks: int) -> pd.DataFrame:
    p = paced[paced[PACE_S_PER_KM].notna().to_numpy(dtype=bool)]
    p = pd.DataFrame(
        {
            ATHLETE: p[ATHLETE].astype("string").to_numpy(),
            RUN_TYPE: p[RUN_TYPE].astype("string").to_numpy(),
            "block": block_of(p[DATE], span),
            "pace": float_values(p[PACE_S_PER_KM]),
            "dist": float_values(p[DISTANCE_KM]),
            "dur": float_values(p[DURATION_S]),
        }
    )
    p = p[p["block"].notna()]
    g = group_agg(
        p,
        [ATHLETE, RUN_TYPE, "block"],
        n=("pace", "size"),
        dist=("dist", "sum"),
        dur=("dur", "sum"),
        mean=("pace", "mean"),
        var=("pace", "var"),
    )
    w = _wide(g, [ATHLETE, RUN_TYPE], ["n", "dist", "dur", "mean", "var"])
    n1, n2 = np.nan_to_num(float_values(w["n_p"])), np.nan_to_num(float_values(w["n_c"]))
    m1, m2 = float_values(w["mean_p"]), float_values(w["mean_c"])
    v1, v2 = float_values(w["var_p"]), float_values(w["var_c"])
    enough = (n1 >= MIN_RUNS) & (n2 >= MIN_RUNS)
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = v1 / n1, v2 / n2
        se2 = a + b
        df = se2**2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        half = np.where(se2 > 0, t_quantile(0.975, df) * np.sqrt(se2), 0.0)
    diff = np.where(enough, m2 - m1, np.nan)
    lo, hi = diff - half, diff + half
    verdict = np.select(
        [~enough, hi < 0, lo > 0], [NOT_ENOUGH_DATA, "faster", "slower"], "no clear change"
    )
    trend = _pace_trends(paced, sorted(set(w[RUN_TYPE].dropna())), span, weeks)
    w = w.merge(trend, on=[ATHLETE, RUN_TYPE], how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled_p = float_values(w["dur_p"]) / float_values(w["dist_p"])
        pooled_c = float_values(w["dur_c"]) / float_values(w["dist_c"])
    return pd.DataFrame(
        {
            ATHLETE: w[ATHLETE].astype("string"),
            RUN_TYPE: w[RUN_TYPE].astype("string"),
            "runs_previous": pd.array(n1.astype("int64"), dtype="Int64"),
            "runs_current": pd.array(n2.astype("int64"), dtype="Int64"),
            "distance_km_previous": pd.array(np.nan_to_num(float_values(w["dist_p"])), dtype="Float64"),
            "distance_km_current": pd.array(np.nan_to_num(float_values(w["dist_c"])), dtype="Float64"),
            "mean_pace_previous_s_per_km": pd.array(m1, dtype="Float64"),
            "mean_pace_current_s_per_km": pd.array(m2, dtype="Float64"),
            "pooled_pace_previous_s_per_km": pd.array(pooled_p, dtype="Float64"),
            "pooled_pace_current_s_per_km": pd.array(pooled_c, dtype="Float64"),
            "change_s_per_km": pd.array(diff, dtype="Float64"),
            "ci_low": pd.array(lo, dtype="Float64"),
            "ci_high": pd.array(hi, dtype="Float64"),
            "method": pd.array(np.full(len(w), "welch_t", dtype=object), dtype="string"),
            "verdict": pd.array(verdict, dtype="string"),
            "slope_s_per_km_per_week": w["slope_s_per_km_per_week"].astype("Float64"),
            "slope_ci_low": w["slope_ci_low"].astype("Float64"),
            "slope_ci_high": w["slope_ci_high"].astype("Float64"),
            "slope_n": w["slope_n"].astype("Int64"),
            "slope_verdict": w["slope_verdict"].astype("string"),
            "status": pd.array(np.where(enough, "ok", NOT_ENOUGH_DATA), dtype="string"),
        }
    )


def _block_sums_wide(per: pd.DataFrame, total: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """Each (athlete, pattern) with volume in either block, and (athlete, ``all``) from the
    totals, once per measure: ``value_p`` and ``value_c`` the block sums (NaN for a block
    without it). Sorted by athlete, pattern (as text) and the measures' order: the rows of a
    melt, a previous/current join and a sort, on codes (~6 ms of pandas on a small frame)."""
    athlete = np.concatenate([per[ATHLETE].to_numpy(dtype=object), total[ATHLETE].to_numpy(dtype=object)])
    pattern = np.concatenate([per["pattern"].to_numpy(dtype=object), np.full(len(total), "all", dtype=object)])
    block = np.concatenate([per["block"].to_numpy(dtype=object), total["block"].to_numpy(dtype=object)])
    values = np.concatenate([np.column_stack([float_values(t[m]) for m in measures]).reshape(len(t), len(measures))
                             for t in (per, total)])  # fmt: skip
    a_code, athletes = pd.factorize(athlete, sort=True)
    p_code, patterns = pd.factorize(pattern, sort=True)
    n_p = max(len(patterns), 1)
    seen, slot = np.unique(a_code.astype(np.int64) * n_p + p_code, return_inverse=True)
    out: dict[str, Any] = {
        ATHLETE: np.repeat(np.asarray(athletes, dtype=object)[seen // n_p], len(measures)),
        "pattern": np.repeat(np.asarray(patterns, dtype=object)[seen % n_p], len(measures)),
        "measure": np.tile(np.asarray(measures, dtype=object), len(seen)),
    }
    for suffix, which in (("_p", _PREVIOUS), ("_c", _CURRENT)):
        here = block == which
        grid = np.full((len(seen), len(measures)), np.nan)
        grid[slot[here]] = values[here]
        out["value" + suffix] = grid.ravel()
    return pd.DataFrame(out)


def _pace_trends(paced: pd.DataFrame, types: list[str], span: dict[str, Any], weeks: int):
    """Current-block OLS pace trend per athlete and run type (:func:`analysis.pace.pace_trends`)."""
    cols = [
        ATHLETE,
        RUN_TYPE,
        "slope_s_per_km_per_week",
        "slope_ci_low",
        "slope_ci_high",
        "slope_n",
        "slope_verdict",
    ]
    # a current-block row only reads the runs of its block, and its grid starts at the previous
    # block at the latest: the runs from the previous block on give the same rows
    dates = pd.Series(paced[DATE]).to_numpy(dtype="datetime64[us]")
    recent = dates >= np.datetime64(span["previous_start"], "us")
    keep = [ATHLETE, DATE, DISTANCE_KM, DURATION_S, RUN_TYPE, PACE_S_PER_KM]
    paced = paced.loc[recent, keep].reset_index(drop=True)
    if not types:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    # pace_trend per type, in one pass (pace_trends: the same rows, type after type)
    t = paced_trends(paced, weeks=weeks, end=span["end"], run_types=types)
    t = t[(t[BLOCK_INDEX] == 0).fillna(False)]
    out = t.rename(
        columns={
            "ci_low": "slope_ci_low",
            "ci_high": "slope_ci_high",
            "n": "slope_n",
            "verdict": "slope_verdict",
        }
    )[cols].reset_index(drop=True)
    return out.astype({ATHLETE: object, RUN_TYPE: object})


def correlation_table(
    sets: pd.DataFrame, runs: pd.DataFrame, lifts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strength (main bilateral lifts' weekly e1RM, weekly volume load) against easy pace.

    Week-to-week changes are the evidence, levels the context; one call, so the adjustment
    for multiple tests covers every metric, lag and form of the athlete.
    """
    weekly = weekly_strength_pace(sets, runs)
    main = lifts.loc[
        (lifts["side"] == "both").fillna(False) & (lifts["metric"] == "e1rm_kg").fillna(False),
        "exercise",
    ]
    strength = {f"{lift}_e1rm_kg" for lift in main} | {"volume_load_kg"}
    metric = weekly["metric"].astype(str)
    keep = ((weekly["kind"] == "pace") & (metric == "easy_pace_s_per_km")) | (
        (weekly["kind"] == "strength") & metric.isin(strength)
    )
    weekly = weekly[keep.fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
    corr = strength_pace_correlation(
        weekly, lags=LAGS, method="pearson", forms=("changes", "levels")
    )
    return weekly, fit_lines(corr, weekly)


def plan_vs_done(plan: pd.DataFrame | None, sets: pd.DataFrame, span: dict[str, Any]):
    """Planned vs done per athlete, week and exercise in the previous and current blocks."""
    if plan is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PLAN_COLUMNS})
    p = _plan_rows(plan, sets)
    work = sets[~sets["warmup"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    done = weekly_volume(work, by="exercise")[[ATHLETE, WEEK_START, "exercise", "sessions", "sets"]]
    keys = [ATHLETE, WEEK_START, "exercise"]
    extra = group_agg(
        pd.DataFrame(
            {
                ATHLETE: work[ATHLETE].to_numpy(),
                WEEK_START: week_start(work[DATE]).to_numpy(),
                "exercise": work["exercise"].to_numpy(),
                "load": float_values(work["load_kg"]),
                "reps": float_values(work["reps"]),
                "hold": float_values(work["duration_s"]),
            }
        ),
        keys,
        sort=False,
        top_load_kg=("load", "max"),
        reps_per_set=("reps", "median"),
        longest_hold_s=("hold", "max"),
    )
    both = _outer(p, done, extra, keys)
    both["block"] = block_of(both[WEEK_START], span)
    both = both[both["block"].notna()]
    sessions = np.nan_to_num(float_values(both["sessions"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_session = float_values(both["sets"]) / sessions
    load_p, top = float_values(both["planned_load_kg"]), float_values(both["top_load_kg"])
    status = np.select(
        [
            ~both["planned"].to_numpy(dtype=bool),
            sessions == 0,
            per_session < float_values(both["planned_sets"]),
            top < load_p - 0.25,
        ],
        ["not in plan", "missed", "fewer sets", "lighter"],
        "as planned",
    )
    return pd.DataFrame(
        {
            ATHLETE: pd.array(both[ATHLETE].to_numpy(), dtype="string"),
            WEEK_START: both[WEEK_START].to_numpy(dtype="datetime64[us]"),
            "block": pd.array(both["block"].to_numpy(), dtype="string"),
            "exercise": pd.array(both["exercise"].to_numpy(), dtype="string"),
            "planned_sets": _ints(both["planned_sets"]),
            "planned_reps": _ints(both["planned_reps"]),
            "planned_load_kg": pd.array(load_p, dtype="Float64"),
            "planned_hold_s": pd.array(float_values(both["planned_hold_s"]), dtype="Float64"),
            "sessions": pd.array(sessions.astype("int64"), dtype="Int64"),
            "sets_per_session": pd.array(per_session, dtype="Float64"),
            "reps_per_set": pd.array(float_values(both["reps_per_set"]), dtype="Float64"),
            "top_load_kg": pd.array(top, dtype="Float64"),
            "longest_hold_s": pd.array(float_values(both["longest_hold_s"]), dtype="Float64"),
            "status": pd.array(status, dtype="string"),
        }
    ).reset_index(drop=True)


def _outer(plan: pd.DataFrame, done: pd.DataFrame, extra: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The plan's rows and the done rows side by side: one row per key in either, sorted by the
    keys, ``planned`` False for a key only done (an outer join; the extra columns of each done
    row by a left join). On sorted codes: two merges cost ~8 ms on any size of frame.

    The keys are unique in each table (a plan row per athlete, week and exercise; done rows are
    groups); values come back as float64 (their readers take floats).
    """
    tables = (plan, done, extra)
    starts = np.cumsum([0, *(len(t) for t in tables)])
    combined = np.zeros(starts[-1], dtype=np.int64)
    uniques = []
    for k in keys:  # sorted codes, dense after each key: the combined key sorts as the keys do
        code, unique = pd.factorize(np.concatenate([t[k].to_numpy(dtype=object) for t in tables]), sort=True)
        combined = np.unique(combined * max(len(unique), 1) + code, return_inverse=True)[1].astype(np.int64)
        uniques.append(unique)
    # rows: every plan key and every done key (the extra rows only add columns to done keys)
    seen, slot = np.unique(combined[: starts[2]], return_inverse=True)
    extra_slot = np.searchsorted(seen, combined[starts[2] :])
    out: dict[str, Any] = {}
    values_at = {k: np.concatenate([t[k].to_numpy(dtype=object) for t in tables[:2]]) for k in keys}
    first_row = np.full(len(seen), -1)
    first_row[slot[::-1]] = np.arange(len(slot))[::-1]
    for k in keys:
        out[k] = values_at[k][first_row]
    out[WEEK_START] = out[WEEK_START].astype("datetime64[us]")
    out["planned"] = np.zeros(len(seen), dtype=bool)
    out["planned"][slot[: starts[1]]] = True
    for table, rows, columns in ((plan, slot[: starts[1]], plan.columns.difference(keys, sort=False)),
                                 (done, slot[starts[1] :], ["sessions", "sets"])):  # fmt: skip
        for c in columns:
            column = np.full(len(seen), np.nan)
            column[rows] = float_values(table[c])
            out[c] = column
    inside = (extra_slot < len(seen)) & (seen[np.minimum(extra_slot, max(len(seen) - 1, 0))] == combined[starts[2] :]) \
        if len(seen) else np.zeros(len(extra), dtype=bool)
    done_keys = np.zeros(len(seen), dtype=bool)
    done_keys[slot[starts[1] :]] = True
    for c in ("top_load_kg", "reps_per_set", "longest_hold_s"):
        column = np.full(len(seen), np.nan)
        at = extra_slot[inside]
        keep = done_keys[at]
        column[at[keep]] = float_values(extra[c])[inside][keep]
        out[c] = column
    return pd.DataFrame(out)


def _ints(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    floats = float_values(values)
    out = pd.array(np.where(np.isnan(floats), 0, floats).astype("int64"), dtype="Int64")
    out[np.isnan(floats)] = pd.NA
    return out


def _plan_rows(plan: pd.DataFrame, sets: pd.DataFrame) -> pd.DataFrame:
    """The plan with a week_start per row and one row per athlete (NA athlete = everyone)."""
    hint = "Read it with analysis.loaders.plan.read_plan()."
    require_columns(plan, ["exercise", "sets"], func="reassess", hint=hint)
    if "week_start" in plan.columns:
        starts = pd.to_datetime(plan["week_start"])
    elif {"week", "program_start"} <= set(plan.columns):
        weeks = float_values(pd.to_numeric(plan["week"]))
        starts = pd.to_datetime(plan["program_start"]) + pd.to_timedelta(7 * (weeks - 1), "D")
    else:
        raise ValueError(
            "reassess() expected a plan with a week_start column, or week and program_start, "
            f"got columns {sorted(map(str, plan.columns))} instead. {hint}"
        )

    def column(name: str) -> np.ndarray:
        return float_values(plan[name]) if name in plan.columns else np.full(len(plan), np.nan)

    who = plan[ATHLETE] if ATHLETE in plan.columns else pd.Series(pd.NA, index=plan.index)
    p = pd.DataFrame(
        {
            ATHLETE: who.astype("string").to_numpy(dtype=object, na_value=None),
            WEEK_START: week_start(pd.Series(starts.to_numpy(), dtype="datetime64[us]")).to_numpy(),
            "exercise": plan["exercise"].astype("string").to_numpy(dtype=object, na_value=None),
            "planned_sets": column("sets"),
            "planned_reps": column("reps"),
            "planned_load_kg": column("load_kg"),
            "planned_hold_s": column("duration_s"),
        }
    )
    names = sets[ATHLETE].dropna().astype(str).unique()
    everyone = (
        p[p[ATHLETE].isna()]
        .drop(columns=ATHLETE)
        .merge(pd.DataFrame({ATHLETE: names}, dtype=object), how="cross")
    )
    p = pd.concat([p[p[ATHLETE].notna()], everyone], ignore_index=True)
    p = p[p[WEEK_START].notna() & p["exercise"].notna()]
    # one row per athlete, week and exercise (a plan listing an exercise twice keeps the first)
    return p.drop_duplicates([ATHLETE, WEEK_START, "exercise"])[
        [ATHLETE, WEEK_START, "exercise", *p.columns[3:]]
    ]


def squad_metrics(tables: dict[str, Any], *, weeks: int, current_weeks: float) -> pd.DataFrame:
    """squad_summary rows (see analysis.reassessment.squad_summary) from multi-athlete tables."""
    parts = []
    adh = tables["adherence"]
    judged = adh[(adh["complete"] | (adh["block"] == _PREVIOUS)).fillna(False)]
    judged = judged.assign(s=float_values(judged["sessions"]))
    g = judged.groupby([ATHLETE, "block"], sort=True)["s"].agg(["mean", "size"]).reset_index()
    w = _wide(g, [ATHLETE], ["mean", "size"])
    parts.append(_metric_rows(w, "sessions_per_week", "mean", "size"))
    vol = tables["block_volume"]
    vol = vol[(vol["pattern"] == "all") & (vol["measure"] == "volume_load_kg")]
    parts.append(
        pd.DataFrame(
            {
                ATHLETE: vol[ATHLETE].to_numpy(),
                "metric": "volume_load_kg_per_week",
                "previous": float_values(vol["previous"]),
                "current": float_values(vol["current"]),
                "n_previous": weeks,
                "n_current": np.ceil(current_weeks),
            }
        )
    )
    lifts = tables["lift_status"]
    lifts = lifts[(lifts["side"] == "both").fillna(False)]
    parts.append(
        pd.DataFrame(
            {
                ATHLETE: lifts[ATHLETE].to_numpy(),
                "metric": (lifts["exercise"].astype(str) + "_" + lifts["metric"].astype(str)).to_numpy(),
                "previous": float_values(lifts["previous"]),
                "current": float_values(lifts["current"]),
                "n_previous": float_values(lifts["n_previous"]),
                "n_current": float_values(lifts["n_current"]),
            }
        )
    )
    a = tables["asymmetry_status"]
    parts.append(
        pd.DataFrame(
            {
                ATHLETE: a[ATHLETE].to_numpy(),
                "metric": (a["exercise"].astype(str) + "_gap_pct").to_numpy(),
                "previous": float_values(a["previous_gap_pct"]),
                "current": float_values(a["gap_pct"]),
                "n_previous": float_values(a["n_previous"]),
                "n_current": float_values(a["n_sessions"]),
            }
        )
    )
    pb = tables["pace_blocks"]
    parts.append(
        pd.DataFrame(
            {
                ATHLETE: pb[ATHLETE].to_numpy(),
                "metric": (pb[RUN_TYPE].astype(str) + "_pace_s_per_km").to_numpy(),
                "previous": np.where(
                    pb["status"] == "ok", float_values(pb["mean_pace_previous_s_per_km"]), np.nan
                ),
                "current": np.where(
                    pb["status"] == "ok", float_values(pb["mean_pace_current_s_per_km"]), np.nan
                ),
                "n_previous": float_values(pb["runs_previous"]),
                "n_current": float_values(pb["runs_current"]),
            }
        )
    )
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out = out.sort_values([ATHLETE, "metric"], kind="stable").reset_index(drop=True)
    prev, cur = float_values(out["previous"]), float_values(out["current"])
    ok = ~np.isnan(prev) & ~np.isnan(cur)
    return pd.DataFrame(
        {
            ATHLETE: pd.array(out[ATHLETE].to_numpy(), dtype="string"),
            "metric": pd.array(out["metric"].to_numpy(), dtype="string"),
            "previous": pd.array(prev, dtype="Float64"),
            "current": pd.array(cur, dtype="Float64"),
            "change": pd.array(cur - prev, dtype="Float64"),
            "change_pct": pd.array(_pct(cur - prev, prev), dtype="Float64"),
            "n_previous": _ints(out["n_previous"]),
            "n_current": _ints(out["n_current"]),
            "status": pd.array(np.where(ok, "ok", NOT_ENOUGH_DATA), dtype="string"),
        }
    )


def _metric_rows(w: pd.DataFrame, metric: str | None, value: str, n: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            ATHLETE: w[ATHLETE].to_numpy(),
            "metric": metric if metric is not None else w["metric"].to_numpy(),
            "previous": float_values(w[f"{value}_p"]),
            "current": float_values(w[f"{value}_c"]),
            "n_previous": np.nan_to_num(float_values(w[f"{n}_p"])),
            "n_current": np.nan_to_num(float_values(w[f"{n}_c"])),
        }
    )

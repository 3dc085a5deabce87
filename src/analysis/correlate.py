"""Strength and pace, week by week: a tidy weekly table and lagged correlations.

Definitions
-----------
Week and the weekly strength and pace metrics: see :mod:`analysis.weekly_metrics`.
Lagged correlation
    Per athlete, strength at ISO week t against pace at week t + k (k = ``lag_weeks``, strength
    leading pace). Pairs are matched by calendar week: a missing week stays missing, it is never
    closed up by shifting rows. With ``changes=True`` both series become week-to-week changes
    (value minus the value of the calendar week before; NA when that week is missing).
Statistics
    Pearson r, and Spearman rho (Pearson r of the average ranks within each athlete, metric pair
    and lag). 95 % CI by Fisher z, ``tanh(atanh(r) ± 1.96 / √(n - 3))``; for Spearman the same SE
    as pingouin (Bonett & Wright 2000 would widen it). Two-sided p from Student's t with n - 2 df,
    as scipy's ``pearsonr``/``spearmanr``, but with the *effective* n: weekly series are
    autocorrelated, so n is reduced to ``n_eff = n (1 - rx ry) / (1 + rx ry)`` (Bartlett;
    rx, ry the lag-1 autocorrelations of the paired series, counted only when their product is
    positive; domain.md section 7) for the t test and the Fisher CI. Holm's step-down correction
    across every test run for the athlete in one call: all metric pairs, lags, methods and
    forms (``p_adjusted``); an association is named only when the adjusted p is below 0.05.
    Below ``min_n`` pairs (at least
    :data:`MIN_N` = 6 weeks, domain.md §7: a single athlete's weeks only support "large and
    consistent") the verdict is "not enough data" and r, CI and p are NA. Correlation is not
    causation, and two trending series correlate spuriously: week-to-week changes are the
    default evidence, levels secondary.
Repeated-measures correlation
    Defined in :mod:`analysis.rmcorr` (:func:`~analysis.rmcorr.rm_corr`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import pandas as pd

from analysis._engine.stats import Z, t_sf
from analysis.columns import (
    ATHLETE,
    BEST_VDOT,
    KIND,
    METRIC,
    VALUE,
    VOLUME_LOAD_KG,
    WEEK_START,
    float_values,
    require_columns,
)
from analysis.rmcorr import ALPHA

MIN_N: Final = 6
CORRELATION_COLUMNS: Final = (
    "athlete", "series", "strength_metric", "pace_metric", "lag_weeks", "method", "n", "n_eff",
    "r", "ci_low", "ci_high", "p_value", "p_adjusted", "verdict", "reading",
)  # fmt: skip
FORMS: Final = ("changes", "levels")
_METHODS = ("pearson", "spearman")
_WEEKLY_HINT = "Build it with analysis.correlate.weekly_strength_pace(sets, runs)."
_WEEK = np.timedelta64(7, "D")


def _changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Value minus the value of the calendar week before (same athlete and metric); drop if absent.

    The rows of ``frame`` that have that week, in their order (RangeIndex), with ``v`` replaced:
    what an inner merge with the table shifted by a week gives, found on sorted integer keys
    (a merge is ~3 ms on any size of frame). ``a`` and ``m`` may be codes or names; ``w`` is a
    day number. With a repeated (athlete, metric, week) the merge itself decides.
    """
    a = pd.factorize(frame["a"].to_numpy())[0]
    m, names = pd.factorize(frame["m"].to_numpy())
    w = frame["w"].to_numpy(dtype=np.int64)
    if not len(w):
        return frame.reset_index(drop=True)
    low, span = int(w.min()), int(w.max()) - int(w.min()) + 1
    key = None
    if (a.max() + 1.0) * max(len(names), 1) * span < 2.0**62 and (a >= 0).all() and (m >= 0).all():
        key = (a.astype(np.int64) * max(len(names), 1) + m) * span + (w - low)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
    if key is None or (sorted_key[1:] == sorted_key[:-1]).any():  # NaT or missing names, repeats
        prev = frame[["a", "m", "w", "v"]].assign(w=frame["w"] + 7)
        merged = frame.merge(prev, on=["a", "m", "w"], how="inner", suffixes=("", "_prev"))
        return merged.assign(v=merged["v"] - merged["v_prev"]).drop(columns=["v_prev"])
    at = np.minimum(np.searchsorted(sorted_key, key - 7), len(key) - 1)
    has = (w - 7 >= low) & (sorted_key[at] == key - 7)
    v = frame["v"].to_numpy(dtype=float)
    out = frame.iloc[np.flatnonzero(has)].reset_index(drop=True)
    out["v"] = v[has] - v[order[at[has]]]
    return out


def weekly_changes(weekly: pd.DataFrame) -> pd.DataFrame:
    """Each weekly value minus the value of the calendar week before: the ``changes`` series.

    The same definition :func:`strength_pace_correlation` correlates by default; reports use it
    to draw the weeks behind an association.

    Parameters
    ----------
    weekly : DataFrame
        :func:`analysis.weekly_metrics.weekly_strength_pace` (``athlete, week_start, metric,
        value``; other columns kept).

    Returns
    -------
    DataFrame
        The rows that have a value the week before, ``value`` replaced by the change (same
        unit), sorted by ``athlete, metric, week_start``.

    Examples
    --------
    >>> weekly = pd.DataFrame({"athlete": "A", "metric": "m", "value": [10.0, 12.0, 11.0],
    ...     "week_start": pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-23"])})
    >>> weekly_changes(weekly)[["week_start", "value"]]
      week_start  value
    0 2026-11-09    2.0
    """
    require_columns(weekly, [ATHLETE, WEEK_START, METRIC, VALUE], func="weekly_changes",
                    hint=_WEEKLY_HINT)  # fmt: skip
    day = weekly[WEEK_START].to_numpy(dtype="datetime64[D]").astype(np.int64)
    frame = pd.DataFrame({"a": weekly[ATHLETE].to_numpy(), "m": weekly[METRIC].to_numpy(),
                          "w": day, "v": float_values(weekly[VALUE]),
                          "i": np.arange(len(weekly))})  # fmt: skip
    changed = _changes(frame)
    out = weekly.iloc[changed["i"].to_numpy()].copy()
    out[VALUE] = changed["v"].to_numpy()
    return out.sort_values([ATHLETE, METRIC, WEEK_START], kind="stable").reset_index(drop=True)


def _pick(
    frame: pd.DataFrame, metrics: pd.Index, wanted: Iterable[str] | None, kind: str
) -> pd.DataFrame:
    """Rows of one kind (and of the wanted metrics), as ``a, w, m, v``."""
    part = frame[frame["k"] == kind]
    names = metrics.to_numpy()[np.unique(part["m"].to_numpy())]
    if wanted is not None:
        wanted = [wanted] if isinstance(wanted, str) else list(wanted)
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            raise ValueError(
                f"strength_pace_correlation() expected {kind} metrics from {sorted(names)}, "
                f"got {unknown} instead."
            )
        part = part[part["m"].isin(metrics.get_indexer(wanted))]
    return part[["a", "w", "m", "v"]]


def _holm(p: pd.Series, groups: list[pd.Series]) -> np.ndarray:
    """Holm step-down adjusted p-values within groups (NA p-values are not counted)."""
    frame = pd.DataFrame({"p": p, **{f"g{i}": g for i, g in enumerate(groups)}})
    keys = [f"g{i}" for i in range(len(groups))]
    valid = frame[frame["p"].notna()].sort_values([*keys, "p"], kind="stable")
    grouped = valid.groupby(keys, sort=False)
    m = grouped["p"].transform("size")
    step = ((m - grouped.cumcount()) * valid["p"]).clip(upper=1.0)
    adjusted = step.groupby([valid[k] for k in keys], sort=False).cummax()
    return adjusted.reindex(frame.index).to_numpy(dtype=float)


def _label(metric: str) -> str:
    if metric == VOLUME_LOAD_KG:
        return "weekly volume load"
    if metric == BEST_VDOT:
        return "best VDOT"
    for side in ("left", "right"):
        if metric.endswith(f"_{side}_e1rm_kg"):
            return metric.removesuffix(f"_{side}_e1rm_kg").replace("_", " ") + f" e1RM ({side})"
    for suffix, words in (
        ("_e1rm_kg", " e1RM"),
        ("_asymmetry_pct", " asymmetry (+ = right stronger)"),
        ("_pace_s_per_km", " pace"),
    ):
        if metric.endswith(suffix):
            return metric.removesuffix(suffix).replace("_", " ") + words
    return metric.replace("_", " ")


def _reading(
    x: str, y: str, lag: int, method: str, n: int, r: float, lo: float, hi: float,
    p: float, verdict: str, *, changes: bool, min_n: int,
) -> str:  # fmt: skip
    xl, yl = _label(x), _label(y)
    later = "" if lag == 0 else f" {lag} week{'s' if lag > 1 else ''} later"
    if verdict == "not enough data":
        what = "week-to-week changes" if changes else "weeks"
        return (
            f"Not enough data: {n} paired {what} of {xl} and {yl}{later}, "
            f"fewer than the {min_n} needed."
        )
    if verdict == "no variation":
        return f"No correlation computed: {xl} or {yl} did not vary over the {n} paired weeks."
    ptxt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    stat = (
        f"{method.capitalize()} r = {r:.2f}, 95 % CI {lo:.2f} to {hi:.2f}, n = {n}, "
        f"{ptxt} after adjusting for every test run"
    )
    if verdict == "no clear association":
        xs = f"week-to-week changes in {xl}" if changes else f"weekly {xl}"
        ys = f"changes in {yl}" if changes else yl
        return (
            f"No clear association between {xs} and {ys}{later} ({stat}); with n = {n}, "
            "only strong associations could show up."
        )
    up = r > 0
    if y.endswith("_s_per_km"):  # lower = faster
        if changes:
            ys = (
                f"a larger slowing of {yl}"
                if up
                else f"a larger improvement (drop in s/km) in {yl}"
            )
        else:
            ys = f"slower {yl}" if up else f"faster {yl}"
    elif changes:
        ys = f"a larger {'rise' if up else 'fall'} in {yl}"
    else:
        ys = f"a {'higher' if up else 'lower'} {yl}"
    xs = f"a larger rise in {xl} than the week before" if changes else f"a higher {xl}"
    when = "have" if lag == 0 else f"be followed{later} by"
    return (
        f"Weeks with {xs} tended to {when} {ys} ({stat}); this is an association, "
        "not evidence that one causes the other."
    )


def strength_pace_correlation(
    weekly: pd.DataFrame,
    *,
    strength_metrics: Iterable[str] | None = None,
    pace_metrics: Iterable[str] | None = None,
    lags: Iterable[int] = range(0, 5),
    method: str | Sequence[str] = ("pearson", "spearman"),
    forms: str | Sequence[str] = ("changes",),
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """Per-athlete lagged correlations of weekly strength metrics with weekly pace metrics.

    Parameters
    ----------
    weekly : pandas.DataFrame
        Long weekly table from :func:`weekly_strength_pace` (``athlete, week_start, metric,
        value, kind``), one value per athlete, week and metric.
    strength_metrics, pace_metrics : iterable of str or None, default=None
        Metrics to correlate; ``None`` for all of that kind.
    lags : iterable of int, default=range(0, 5)
        Lags in weeks, >= 0: strength at week t with pace at week t + lag.
    method : str or sequence of str, default=("pearson", "spearman")
        ``'pearson'`` and/or ``'spearman'``.
    forms : str or sequence of str, default=("changes",)
        ``'changes'`` (week-to-week changes, the default evidence: trends shared by two series
        cancel out) and/or ``'levels'`` (weekly values, secondary: two trending series
        correlate whatever their link).
    min_n : int, default=6
        Minimum paired weeks (at least 6); fewer gives "not enough data".

    Returns
    -------
    pandas.DataFrame
        One row per athlete, series form, strength metric, pace metric (both present for the
        athlete), lag and method, sorted in that order, with exactly
        :data:`CORRELATION_COLUMNS`: ``athlete``, ``series`` (``changes`` or ``levels``),
        ``strength_metric``, ``pace_metric``, ``lag_weeks`` (Int64, weeks); ``method``; ``n``
        (paired weeks); ``n_eff`` (effective n after autocorrelation); ``r`` (unitless);
        ``ci_low``, ``ci_high`` (95 % CI); ``p_value`` (two-sided); ``p_adjusted`` (Holm across
        every test of the athlete in this call); ``verdict`` ('association', 'no clear
        association' at adjusted p >= 0.05, 'not enough data', 'no variation'); ``reading``
        (one plain-language sentence; never a causal claim). r, CI and p are NA unless the
        verdict is an association or no clear association.

    Raises
    ------
    MissingColumnsError
        If ``weekly`` lacks a required column.
    ValueError
        If a metric, lag, method, ``min_n`` or ``kind`` value is not valid, or a week has two
        values for one metric.

    Notes
    -----
    Definitions (lag pairing by calendar week, Fisher z CI, Holm) are in the module docstring.
    For a pace metric in s/km a negative r means higher strength goes with *faster* running.

    Examples
    --------
    >>> weeks = pd.date_range("2025-01-06", periods=6, freq="7D")
    >>> weekly = pd.DataFrame({"athlete": "ana", "week_start": list(weeks) * 2,
    ...     "metric": ["back_squat_e1rm_kg"] * 6 + ["easy_pace_s_per_km"] * 6,
    ...     "value": [80, 82, 84, 85, 88, 90, 330, 331, 325, 322, 320, 318], "kind": ["strength"] * 6 + ["pace"] * 6})
    >>> out = strength_pace_correlation(weekly, lags=[0], method="pearson", forms="levels")
    >>> out[["n", "n_eff", "r", "verdict"]].round(2)
       n  n_eff     r               verdict
    0  6    4.0 -0.95  no clear association
    """
    func = "strength_pace_correlation"
    require_columns(
        weekly, [ATHLETE, WEEK_START, METRIC, VALUE, KIND], func=func, hint=_WEEKLY_HINT
    )
    methods = [method] if isinstance(method, str) else list(method)
    if not methods or any(m not in _METHODS for m in methods) or len(set(methods)) < len(methods):
        raise ValueError(
            f"{func}() expected method 'pearson' and/or 'spearman', got {method!r} instead."
        )
    form_list = [forms] if isinstance(forms, str) else list(forms)
    if not form_list or any(f not in FORMS for f in form_list) or len(set(form_list)) < len(form_list):
        raise ValueError(
            f"{func}() expected forms 'changes' and/or 'levels', got {forms!r} instead."
        )
    lag_list = list(lags)
    if not lag_list or any(
        isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0 for k in lag_list
    ):
        raise ValueError(f"{func}() expected lags as whole weeks >= 0, got {lag_list!r} instead.")
    lag_list = sorted({int(k) for k in lag_list})
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < MIN_N:
        raise ValueError(
            f"{func}() expected min_n as a whole number >= {MIN_N}, got {min_n!r} instead."
        )
    kinds = set(weekly[KIND].dropna().astype(str)) - {"strength", "pace"}
    if kinds:
        raise ValueError(
            f"{func}() expected kind 'strength' or 'pace', got {sorted(kinds)} instead."
        )
    # integer codes (sorted, so code order is name order); weeks as day numbers
    athlete_codes, athletes = pd.factorize(weekly[ATHLETE].astype("string"), sort=True)
    metric_codes, metrics = pd.factorize(weekly[METRIC].astype("string"), sort=True)
    days = pd.to_datetime(weekly[WEEK_START]).to_numpy().astype("datetime64[D]")
    frame = pd.DataFrame(
        {
            "a": athlete_codes,
            "w": days.view("int64"),
            "m": metric_codes,
            "v": weekly[VALUE].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
            "k": weekly[KIND].astype("string").to_numpy(dtype=object, na_value=""),
        }
    )
    frame = frame[(frame["a"] >= 0) & (frame["m"] >= 0) & ~np.isnat(days)]
    dup = int(frame.duplicated(["a", "w", "m"]).sum())
    if dup:
        raise ValueError(
            f"{func}() expected one value per athlete, week_start and metric, got {dup} duplicate "
            "rows instead."
        )
    frame = frame[np.isfinite(frame["v"].to_numpy())]
    strength = _pick(frame, metrics, strength_metrics, "strength")
    pace = _pick(frame, metrics, pace_metrics, "pace")

    # the full grid: every metric pair an athlete has, at every lag and method
    n_m, n_lag, n_method = max(len(metrics), 1), len(lag_list), len(methods)
    grid = _grid(strength, pace, n_m, n_lag * n_method, n_method)
    results = []
    for form in form_list:
        s_part, p_part = (strength, pace) if form == "levels" else (_changes(strength), _changes(pace))
        res = _correlate(s_part, p_part, grid, lag_list, methods, n_m)
        res[ATHLETE] = athletes.to_numpy()[grid["a"]] if len(grid) else []
        res["series"] = form
        res["strength_metric"] = metrics.to_numpy()[grid["s"]] if len(grid) else []
        res["pace_metric"] = metrics.to_numpy()[grid["p"]] if len(grid) else []
        res["lag_weeks"] = np.asarray(lag_list, dtype="int64")[grid["li"]]
        res["method"] = np.asarray(methods, dtype=object)[grid["mi"]]
        results.append(res)
    return _finish(pd.concat(results, ignore_index=True), min_n=min_n, forms=form_list)


def _grid(strength: pd.DataFrame, pace: pd.DataFrame, n_m: int, n_cells: int, n_method: int) -> pd.DataFrame:
    """Every (athlete ``a``, strength metric ``s``, pace metric ``p``) an athlete has, times
    every lag ``li`` and method ``mi``, sorted by them (a join and two cross joins, on codes)."""
    sa = np.unique(strength["a"].to_numpy(dtype=np.int64) * n_m + strength["m"].to_numpy(dtype=np.int64))
    pa = np.unique(pace["a"].to_numpy(dtype=np.int64) * n_m + pace["m"].to_numpy(dtype=np.int64))
    s_a, p_a = sa // n_m, pa // n_m
    lo = np.searchsorted(p_a, s_a, "left")
    count = np.searchsorted(p_a, s_a, "right") - lo
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    s_row, p_row = np.repeat(np.arange(len(sa)), count), np.repeat(lo, count) + within
    cell = np.tile(np.arange(n_cells), len(s_row))
    s_row, p_row = np.repeat(s_row, n_cells), np.repeat(p_row, n_cells)
    return pd.DataFrame({"a": s_a[s_row], "s": sa[s_row] % n_m, "p": pa[p_row] % n_m,
                         "li": cell // n_method, "mi": cell % n_method})  # fmt: skip


def _correlate(strength, pace, grid, lag_list, methods, n_m) -> pd.DataFrame:
    """Centred sums (and lag-1 autocorrelations) per row of ``grid``."""
    n_lag, n_method = len(lag_list), len(methods)
    # pairs: strength week t with pace week t + lag, matched on calendar weeks (day numbers)
    shifted = pd.concat(
        [pace.assign(w=pace["w"] - 7 * k, li=i) for i, k in enumerate(lag_list)], ignore_index=True
    )
    pairs = strength.rename(columns={"m": "s", "v": "x"}).merge(
        shifted.rename(columns={"m": "p", "v": "y"}), on=["a", "w"]
    )
    key = ((pairs["a"] * n_m + pairs["s"]) * n_m + pairs["p"]) * n_lag + pairs["li"]
    parts = []
    for mi, name in enumerate(methods):  # at most two passes
        x, y = pairs["x"], pairs["y"]
        if name == "spearman":  # average ranks within athlete, metric pair and lag
            x, y = x.groupby(key).rank(), y.groupby(key).rank()
        parts.append(pd.DataFrame({"g": key * n_method + mi, "w": pairs["w"], "x": x, "y": y}))
    both = pd.concat(parts, ignore_index=True)
    sums = _centred_sums(both)
    grid_key = (((grid["a"] * n_m + grid["s"]) * n_m + grid["p"]) * n_lag + grid["li"]) * n_method
    return sums.reindex(grid_key + grid["mi"]).reset_index(drop=True)


def _centred_sums(both: pd.DataFrame) -> pd.DataFrame:
    """Per group ``g``: n, centred sums of squares and products, and min/max of x and y."""
    ids, uniques = pd.factorize(both["g"])
    x, y = both["x"].to_numpy(dtype=float), both["y"].to_numpy(dtype=float)
    n = np.bincount(ids, minlength=len(uniques)).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dx = x - (np.bincount(ids, x, len(uniques)) / n)[ids]
        dy = y - (np.bincount(ids, y, len(uniques)) / n)[ids]
    # min and max per group, NaN skipped (as a groupby min/max; exact, so numpy's)
    spread = {}
    for name, v in (("x", x), ("y", y)):
        lo, hi = np.full(len(uniques), np.nan), np.full(len(uniques), np.nan)
        np.fmin.at(lo, ids, v)
        np.fmax.at(hi, ids, v)
        spread[f"{name}_lo"], spread[f"{name}_hi"] = lo, hi
    # lag-1 autocorrelation over consecutive paired weeks (rows sorted by group and week)
    order = np.lexsort((both["w"].to_numpy(), ids))
    io, wo = ids[order], both["w"].to_numpy()[order]
    nxt = (io[1:] == io[:-1]) & (wo[1:] - wo[:-1] == 7)
    lag_x = np.bincount(io[1:][nxt], dx[order][1:][nxt] * dx[order][:-1][nxt], len(uniques))
    lag_y = np.bincount(io[1:][nxt], dy[order][1:][nxt] * dy[order][:-1][nxt], len(uniques))
    sxx = np.bincount(ids, dx * dx, len(uniques))
    syy = np.bincount(ids, dy * dy, len(uniques))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = (lag_x / sxx) * (lag_y / syy)
    return pd.DataFrame(
        {
            "n": n,
            "rho": rho,
            "sxx": sxx,
            "syy": syy,
            "sxy": np.bincount(ids, dx * dy, len(uniques)),
            **{c: spread[c] for c in ("x_lo", "x_hi", "y_lo", "y_hi")},
        },
        index=pd.Index(uniques, name="g"),
    )


def _finish(res: pd.DataFrame, *, min_n: int, forms: list[str]) -> pd.DataFrame:
    order = pd.Series(res["series"]).map({f: i for i, f in enumerate(forms)})
    res = res.assign(_o=order.to_numpy()).sort_values(
        [ATHLETE, "_o", "strength_metric", "pace_metric", "lag_weeks", "method"], kind="stable"
    ).reset_index(drop=True)
    n = res["n"].fillna(0).to_numpy(dtype=float)
    rho = np.nan_to_num(res["rho"].to_numpy(dtype=float))
    n_eff = np.where(rho > 0, n * (1 - rho) / (1 + rho), n)
    n_eff = np.clip(n_eff, np.minimum(n, 4), n)
    sxx, syy, sxy = (res[c].to_numpy(dtype=float) for c in ("sxx", "syy", "sxy"))
    scale = np.sqrt(sxx * syy)
    enough = n >= min_n
    varies = ((res["x_hi"] > res["x_lo"]) & (res["y_hi"] > res["y_lo"])).to_numpy(dtype=bool)
    ok = enough & varies
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(ok, np.clip(sxy / scale, -1.0, 1.0), np.nan)
        z, se = np.arctanh(r), 1.0 / np.sqrt(np.maximum(n_eff - 3, 1))
        lo, hi = np.tanh(z - Z * se), np.tanh(z + Z * se)
        t = r * np.sqrt((n_eff - 2) / (1 - r * r))
        p = np.where(ok, 2 * t_sf(np.abs(t), np.maximum(n_eff - 2, 1)), np.nan)
    p = np.where(ok & (np.abs(r) == 1), 0.0, p)
    p_adj = _holm(pd.Series(p), [res[ATHLETE]])
    verdict = np.select(
        [~enough, ~varies, p_adj < ALPHA],
        ["not enough data", "no variation", "association"],
        "no clear association",
    )
    reading = [
        _reading(*row[:-1], changes=row[-1] == "changes", min_n=min_n)
        for row in zip(
            res["strength_metric"], res["pace_metric"], res["lag_weeks"], res["method"].astype(str),
            n.astype(int), r, lo, hi, p_adj, verdict, res["series"], strict=True,
        )
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "athlete": pd.array(res[ATHLETE].to_numpy(), dtype="string"),
            "series": pd.array(res["series"].to_numpy(), dtype="string"),
            "strength_metric": pd.array(res["strength_metric"].to_numpy(), dtype="string"),
            "pace_metric": pd.array(res["pace_metric"].to_numpy(), dtype="string"),
            "lag_weeks": pd.array(res["lag_weeks"].to_numpy(), dtype="Int64"),
            "method": pd.array(res["method"].astype(str).to_numpy(), dtype="string"),
            "n": pd.array(n.astype("int64"), dtype="Int64"),
            "n_eff": pd.array(np.where(n > 0, n_eff, np.nan), dtype="Float64"),
            "r": pd.array(r, dtype="Float64"),
            "ci_low": pd.array(np.where(ok, lo, np.nan), dtype="Float64"),
            "ci_high": pd.array(np.where(ok, hi, np.nan), dtype="Float64"),
            "p_value": pd.array(p, dtype="Float64"),
            "p_adjusted": pd.array(p_adj, dtype="Float64"),
            "verdict": pd.array(verdict, dtype="string"),
            "reading": pd.array(reading, dtype="string"),
        }
    )

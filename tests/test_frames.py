"""The small-frame helpers give exactly the frames of the pandas idioms they replace.

``analysis._engine.frames`` (named and grouped aggregation on one integer key), the
correlation's week-to-week changes and the strength-pace fit lines are written on codes for
speed (issue 17); each is checked here against the plain pandas it stands for, to the last bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis._engine.frames import group_agg, named_agg
from analysis.columns import ATHLETE, WEEK_START, float_values
from analysis.correlate import strength_pace_correlation, weekly_changes
from analysis.reassessment.fit import fit_lines
from analysis.sample import generate_squad
from analysis.weekly_metrics import weekly_strength_pace

SPEC = {"runs": ("p", "size"), "d": ("d", "sum"), "m": ("p", "mean"), "b": ("u", "max"),
        "v": ("p", "var"), "md": ("d", "median")}  # fmt: skip


def _frame(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": pd.array(rng.choice(["x", "yy", "b", None], n), dtype="string"),
            "w": (pd.Timestamp("2026-01-05") + pd.to_timedelta(rng.integers(0, 10, n) * 7, "D")).astype(
                "datetime64[us]"
            ),
            "o": np.array(rng.choice(["previous", "current"], n), dtype=object),
            "s": pd.Series(rng.choice(["Ana", "ana", "Émile", None], n), dtype="str").to_numpy(),
            "t": rng.integers(0, 3, n),
            "bi": pd.array(rng.integers(-3, 1, n), dtype="Int64"),
            "c": pd.Categorical(rng.choice(["k", "l"], n), categories=["k", "l", "unused"]),
            "p": np.where(rng.random(n) < 0.2, np.nan, rng.random(n)),
            "d": rng.random(n),
            "u": pd.array(rng.random(n), dtype="Float64"),
        },
        index=np.arange(n) * 3,
    )
    if n > 3:
        frame.iloc[2, 1] = pd.NaT
        frame.iloc[3, 2] = None
    return frame


@pytest.mark.parametrize("n", [0, 1, 7, 300])
@pytest.mark.parametrize(
    "keys", [["a", "w", "o"], ["t", "a", "bi"], ["a", "o"], ["w"], ["o", "t"], ["c", "a"], ["s", "w"]]
)
@pytest.mark.parametrize("sort", [True, False])
def test_group_agg_is_groupby_agg(n, keys, sort):
    frame = _frame(n)
    expected = frame.groupby(keys, sort=sort, observed=True).agg(**SPEC).reset_index()
    pd.testing.assert_frame_equal(group_agg(frame, keys, sort=sort, **SPEC), expected, check_exact=True)
    grouped = frame.groupby(keys, sort=sort, observed=True)
    pd.testing.assert_frame_equal(named_agg(grouped, **SPEC), grouped.agg(**SPEC), check_exact=True)


def _fit_by_merges(corr: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """The fit lines as two merges and a groupby on the four keys (the definition)."""
    keys = [ATHLETE, "strength_metric", "pace_metric", "lag_weeks"]
    want = corr[(corr["series"] == "levels").fillna(False) & corr["r"].notna()][keys]
    x = weekly.rename(columns={"metric": "strength_metric", "value": "x"})
    y = weekly.rename(columns={"metric": "pace_metric", "value": "y", WEEK_START: "wy"})
    pairs = want.merge(x[[ATHLETE, WEEK_START, "strength_metric", "x"]], on=keys[:2])
    pairs["wy"] = pairs[WEEK_START] + pd.to_timedelta(7 * pairs["lag_weeks"].astype("int64"), "D")
    pairs = pairs.merge(y[[ATHLETE, "wy", "pace_metric", "y"]], on=[ATHLETE, "pace_metric", "wy"])
    pairs = pairs.assign(x=float_values(pairs["x"]), y=float_values(pairs["y"]))
    grouped = pairs.groupby(keys, sort=False)
    dx = pairs["x"] - grouped["x"].transform("mean")
    dy = pairs["y"] - grouped["y"].transform("mean")
    sums = pairs.assign(sxy=dx * dy, sxx=dx * dx).groupby(keys, sort=False).agg(
        sxy=("sxy", "sum"), sxx=("sxx", "sum"), mx=("x", "mean"), my=("y", "mean"))  # fmt: skip
    slope = sums["sxy"] / sums["sxx"].where(sums["sxx"] > 0)
    fit = pd.DataFrame({"fit_slope": slope, "fit_intercept": sums["my"] - slope * sums["mx"]})
    levels = (corr["series"] == "levels").fillna(False).to_numpy(dtype=bool)
    index = pd.MultiIndex.from_frame(corr[keys].astype(object))
    out = corr.copy()
    for name in ("fit_slope", "fit_intercept"):
        values = fit[name].reindex(index).to_numpy(dtype=float) if len(fit) else np.full(len(corr), np.nan)
        out[name] = pd.array(np.where(levels, values, np.nan), dtype="Float64")
    return out


@pytest.fixture(scope="module")
def weekly() -> pd.DataFrame:
    sets, runs = generate_squad(athletes=4, weeks=24, seed=3)
    return weekly_strength_pace(sets, runs)


@pytest.mark.parametrize("method", ["pearson", ["pearson", "spearman"]])
@pytest.mark.parametrize("part", ["all", "shuffled", "none"])
def test_fit_lines_and_changes_are_the_merges(weekly, method, part):
    w = {"all": weekly, "shuffled": weekly.sample(frac=0.7, random_state=1).reset_index(drop=True),
         "none": weekly.iloc[:0]}[part]  # fmt: skip
    corr = strength_pace_correlation(w, lags=(0, 1, 2), method=method, forms=("changes", "levels"))
    pd.testing.assert_frame_equal(fit_lines(corr, w), _fit_by_merges(corr, w), check_exact=True)
    # the changes: an inner merge with the table shifted by a week, in the table's order
    changed = weekly_changes(w)
    frame = pd.DataFrame({ATHLETE: w[ATHLETE].to_numpy(), "m": w["metric"].to_numpy(),
                          "d": w[WEEK_START].to_numpy(dtype="datetime64[D]").astype(np.int64),
                          "v": float_values(w["value"])})  # fmt: skip
    merged = frame.merge(frame.assign(d=frame["d"] + 7), on=[ATHLETE, "m", "d"], suffixes=("", "_prev"))
    assert len(changed) == len(merged)
    np.testing.assert_array_equal(np.sort(changed["value"].to_numpy(dtype=float)),
                                  np.sort((merged["v"] - merged["v_prev"]).to_numpy()))  # fmt: skip

"""Running pace: pace per run, run types, weekly pace, pace trend, efficiency.

Definitions
-----------
Pace
    Seconds per kilometre, ``pace_s_per_km = duration_s / distance_km``, a float everywhere;
    lower is faster. ``m:ss`` only for display (:func:`format_pace`). Runs without a positive
    distance and duration have no pace (NA), and so do runs whose pace is outside the plausible
    1:40-30:00 /km (:data:`analysis.columns.BOUNDS`: a GPS glitch, a unit error, a run left
    recording): they are kept as runs but left out of every pace statistic.
Week
    ISO week, Monday start; ``week_start`` is that Monday (midnight).
Block
    As in :mod:`analysis.periods`: ``weeks`` ISO weeks (4–6) ending with the week that holds
    ``end`` (default: the last run in the frame) and stopping at ``end``; block_index 0
    ("current"), -1 ("previous") and so on, tiled backwards.
Run type
    The source's label when it names a type (``easy``, ``tempo``, ``interval``, ``long``,
    ``race``, ``other``, or free text such as "Long run", "Tempo Tuesday", "6x800 m", "parkrun";
    ``run_type_source = 'label'``), through :func:`analysis.columns.run_type_of`. Otherwise,
    from keywords in an optional name column (``'name'``), else inferred from the athlete's own
    runs (``'pace and heart rate'``): ``tempo`` when the run is at least 8 % faster than the
    athlete's median pace, or its average heart rate at least 8 beats (and 1.5 MAD) above the
    athlete's median; then ``long`` when the distance is at least ``long_factor`` (1.5) × the
    athlete's median run distance; else ``easy``. Generic titles ("Bristol Running") say
    nothing, so a tempo run at 4:40 /km and 170 bpm is not averaged into easy pace.
Mean and pooled pace
    mean = mean of the run paces (every run counts once); pooled = total time / total distance
    (every kilometre counts once, so long runs weigh more). Both are reported.
Pace trend
    OLS slope of run pace on time within a block, in s/km per week, with a 95 % t-interval
    (df = n - 2). **Negative = getting faster.** Fewer than :data:`MIN_TREND_RUNS` runs, or all
    runs on one day, gives "not enough data".
VDOT, Riegel, grade-adjusted pace
    Defined with their formulas in :mod:`analysis.running`.
Efficiency
    Distance per heartbeat: ``efficiency_m_per_beat = speed (m/min) / avg_hr_bpm``; higher means
    more metres for each beat. It depends on heat, terrain and fatigue as much as on fitness.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, Final

import numpy as np
import pandas as pd

from analysis._engine.frames import group_agg
from analysis._engine.stats import t_quantile
from analysis.columns import (
    ATHLETE,
    AVG_HR_BPM,
    BLOCK,
    BLOCK_END,
    BLOCK_INDEX,
    BLOCK_START,
    BOUNDS,
    DATE,
    DISTANCE_KM,
    DURATION_S,
    EFFICIENCY_M_PER_BEAT,
    ELEVATION_GAIN_M,
    FASTER,
    GAP_S_PER_KM,
    NO_CLEAR_CHANGE,
    NOT_ENOUGH_DATA,
    PACE_S_PER_KM,
    RUN_TYPE,
    RUN_TYPE_SOURCE,
    RUN_TYPES,
    SLOWER,
    VDOT,
    WEEK_START,
    float_values,
    require_columns,
    run_type_of,
)
from analysis.periods import blocks, label_blocks, week_start
from analysis.running import grade_adjusted_pace, vdot

MIN_TREND_RUNS: Final = 4
#: Keyword patterns for run types in labels and names, in precedence order.
_RUNS_REQUIRED = (ATHLETE, DATE, DISTANCE_KM, DURATION_S)
_RUNS_HINT = "Load logs with analysis.read_logs() and pass log.runs."


#: A run at least this much faster than the athlete's median pace is a hard (tempo) run.
HARD_PACE_SHARE = 0.92
#: ... or with an average heart rate this many beats (and 1.5 MAD) above the athlete's median.
HARD_HR_BPM = 8.0


def _effort_types(athlete, dist, pace, hr, long_factor) -> np.ndarray:
    """``tempo``, ``long`` or ``easy`` from the athlete's own pace, heart rate and distance."""
    frame = pd.DataFrame({"a": athlete, "d": np.where(dist > 0, dist, np.nan), "p": pace, "h": hr})
    grp = frame.groupby("a", sort=False)
    med_d, med_p, med_h = (grp[c].transform("median").to_numpy() for c in ("d", "p", "h"))
    mad_h = (frame["h"] - med_h).abs().groupby(frame["a"]).transform("median").to_numpy()
    fast = pace <= HARD_PACE_SHARE * med_p
    hot = hr >= med_h + np.fmax(HARD_HR_BPM, 1.5 * np.nan_to_num(mad_h))
    long = dist >= long_factor * med_d
    return np.select([fast | hot, long], ["tempo", "long"], "easy")


_SHARED_RUNS: ContextVar[dict[tuple[Any, ...], tuple[pd.DataFrame, pd.DataFrame]] | None] = ContextVar(
    "_SHARED_RUNS", default=None
)


@contextlib.contextmanager
def sharing_runs() -> Iterator[None]:
    """Within the block, :func:`run_paces` and :func:`weekly_pace` compute once per runs frame.

    A reassessment asks for the same frame's paces about ten times (blocks, trends, weekly
    pace, the strength-pace weeks, the race outlook); each is a sort, a groupby and a text
    match. The frames given must not change inside the block (as
    :func:`analysis._engine.prepared.sharing`). Each caller gets its own shallow copy
    (copy-on-write: a caller's change never reaches another).
    """
    token = _SHARED_RUNS.set({})
    try:
        yield
    finally:
        _SHARED_RUNS.reset(token)


def _shared(key: tuple[Any, ...], runs: pd.DataFrame, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    memo = _SHARED_RUNS.get()
    if memo is None:
        return make()
    key = (id(runs), *key)
    hit = memo.get(key)
    if hit is None or hit[0] is not runs:  # the frame is kept, so its id is not reused
        hit = memo[key] = (runs, make())
    return hit[1].copy(deep=False)


def run_paces(
    runs: pd.DataFrame, *, long_factor: float = 1.5, name_column: str | None = None
) -> pd.DataFrame:
    """Pace, run type, VDOT, grade-adjusted pace and efficiency per run.

    Parameters
    ----------
    runs : pandas.DataFrame
        The canonical ``runs`` table; needs ``athlete, date, distance_km, duration_s``.
        ``run_type``, ``avg_hr_bpm`` and ``elevation_gain_m`` are used when present.
    long_factor : float, default=1.5
        An unlabelled run is ``long`` at ``distance_km >= long_factor ×`` the athlete's median.
    name_column : str or None, default=None
        A free-text column (e.g. an activity name) searched for run-type keywords when the run
        has no usable label.

    Returns
    -------
    pandas.DataFrame
        The input columns, sorted by athlete and date, with ``pace_s_per_km`` (s/km) recomputed
        (NA when implausible) and ``run_type`` filled, then ``run_type_source`` ('label',
        'name' or 'pace and heart rate'), ``vdot`` (ml/kg/min), ``gap_s_per_km`` (s/km, approximate, NA without elevation) and
        ``efficiency_m_per_beat`` (m per heartbeat, NA without heart rate).

    Raises
    ------
    MissingColumnsError
        If a required column (or ``name_column``) is missing.
    ValueError
        If ``long_factor`` is not a number greater than 1.

    Notes
    -----
    Run-type rules and efficiency are defined in the module docstring, VDOT and GAP in
    :mod:`analysis.running`.

    Examples
    --------
    >>> runs = pd.DataFrame({"athlete": ["ana"] * 3, "date": pd.to_datetime(["2025-03-03", "2025-03-05", "2025-03-09"]),
    ...                      "distance_km": [5.0, 5.0, 10.0], "duration_s": [1500.0, 1200.0, 3300.0],
    ...                      "run_type": [None, "Tempo", None]})
    >>> run_paces(runs)[["pace_s_per_km", "run_type", "run_type_source"]]
       pace_s_per_km run_type      run_type_source
    0          300.0     easy  pace and heart rate
    1          240.0    tempo                label
    2          330.0     long  pace and heart rate
    """
    return _shared(("run_paces", long_factor, name_column), runs,
                   lambda: _run_paces(runs, long_factor=long_factor, name_column=name_column))


def _run_paces(runs: pd.DataFrame, *, long_factor: float, name_column: str | None) -> pd.DataFrame:
    required = [*_RUNS_REQUIRED, *([name_column] if name_column else [])]
    require_columns(runs, required, func="run_paces", hint=_RUNS_HINT)
    if (
        isinstance(long_factor, bool)
        or not isinstance(long_factor, int | float)
        or not long_factor > 1
    ):
        raise ValueError(
            f"run_paces() expected long_factor > 1 (default 1.5), got {long_factor!r} instead."
        )
    out = runs.sort_values([ATHLETE, DATE], kind="stable").reset_index(drop=True)
    dist = float_values(out[DISTANCE_KM], name=DISTANCE_KM, func="run_paces")
    dur = float_values(out[DURATION_S], name=DURATION_S, func="run_paces")
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where((dist > 0) & (dur > 0), dur / dist, np.nan)
    low, high = BOUNDS[PACE_S_PER_KM]
    pace = np.where((pace >= low) & (pace <= high), pace, np.nan)  # implausible: no pace

    label = out[RUN_TYPE] if RUN_TYPE in out.columns else pd.Series(pd.NA, index=out.index)
    from_label = run_type_of(label)
    from_name = (
        run_type_of(out[name_column])
        if name_column
        else pd.Series(pd.NA, index=out.index, dtype="string")
    )
    hr = (
        float_values(out[AVG_HR_BPM], name=AVG_HR_BPM, func="run_paces")
        if AVG_HR_BPM in out.columns
        else np.full(len(out), np.nan)
    )
    by_effort = _effort_types(out[ATHLETE].to_numpy(), dist, pace, hr, long_factor)
    inferred = from_name.fillna(pd.Series(by_effort, index=out.index, dtype="string"))

    out[PACE_S_PER_KM] = pd.array(pace, dtype="Float64")
    out[RUN_TYPE] = from_label.fillna(inferred).astype("string")
    out[RUN_TYPE_SOURCE] = pd.Series(
        np.select(
            [from_label.notna().to_numpy(), from_name.notna().to_numpy()],
            ["label", "name"],
            "pace and heart rate",
        ),
        dtype="string",
    )
    out[VDOT] = pd.array(vdot(dist * 1000.0, dur), dtype="Float64")
    gain = out[ELEVATION_GAIN_M] if ELEVATION_GAIN_M in out.columns else np.nan
    out[GAP_S_PER_KM] = pd.array(grade_adjusted_pace(pace, dist, gain), dtype="Float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = np.where((hr > 0) & np.isfinite(pace), (1000.0 / pace) * 60.0 / hr, np.nan)
    out[EFFICIENCY_M_PER_BEAT] = pd.array(eff, dtype="Float64")
    return out


def weekly_pace(
    runs: pd.DataFrame,
    *,
    by_type: bool = True,
    long_factor: float = 1.5,
    name_column: str | None = None,
) -> pd.DataFrame:
    """Runs, distance, time, mean and pooled pace and best VDOT per athlete, ISO week and run type.

    Parameters
    ----------
    runs : pandas.DataFrame
        The canonical ``runs`` table (see :func:`run_paces`).
    by_type : bool, default=True
        One row per run type; ``False`` pools all runs into ``run_type = 'all'``.
    long_factor : float, default=1.5
        Passed to :func:`run_paces` for run-type inference.
    name_column : str or None, default=None
        Passed to :func:`run_paces`.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``athlete, week_start, run_type``, columns: ``athlete``; ``week_start``
        (Monday, datetime64[us]); ``run_type``; ``runs`` (count of runs with a pace);
        ``distance_km`` (km); ``duration_s`` (s); ``mean_pace_s_per_km`` (mean of run paces, s/km);
        ``pooled_pace_s_per_km`` (total time / total distance, s/km); ``best_vdot`` (highest run
        VDOT, ml/kg/min).

    Raises
    ------
    MissingColumnsError
        If a required column is missing.

    Notes
    -----
    Runs without a positive distance and duration are left out (they keep an NA pace in
    :func:`run_paces`). Mean pace weighs every run once, pooled pace every kilometre once.

    Examples
    --------
    >>> runs = pd.DataFrame({"athlete": ["ana", "ana"], "date": pd.to_datetime(["2025-03-04", "2025-03-06"]),
    ...                      "distance_km": [5.0, 10.0], "duration_s": [1500.0, 3600.0]})
    >>> weekly_pace(runs, by_type=False)[["runs", "mean_pace_s_per_km", "pooled_pace_s_per_km"]]
       runs  mean_pace_s_per_km  pooled_pace_s_per_km
    0     2               330.0                 340.0
    """
    return _shared(("weekly_pace", by_type, long_factor, name_column), runs,
                   lambda: _weekly_pace(runs, by_type=by_type, long_factor=long_factor, name_column=name_column))


def _weekly_pace(runs: pd.DataFrame, *, by_type: bool, long_factor: float, name_column: str | None) -> pd.DataFrame:
    require_columns(runs, _RUNS_REQUIRED, func="weekly_pace", hint=_RUNS_HINT)
    paced = run_paces(runs, long_factor=long_factor, name_column=name_column)
    paced = paced[paced[PACE_S_PER_KM].notna()]
    frame = pd.DataFrame(
        {
            ATHLETE: paced[ATHLETE].astype("string"),
            WEEK_START: week_start(paced[DATE]),
            RUN_TYPE: paced[RUN_TYPE]
            if by_type
            else pd.Series("all", index=paced.index, dtype="string"),
            "pace": paced[PACE_S_PER_KM].to_numpy(dtype=float, na_value=np.nan),
            "dist": paced[DISTANCE_KM].to_numpy(dtype=float, na_value=np.nan),
            "dur": paced[DURATION_S].to_numpy(dtype=float, na_value=np.nan),
            "vdot": paced[VDOT].to_numpy(dtype=float, na_value=np.nan),
        }
    )
    agg = group_agg(
        frame,
        [ATHLETE, WEEK_START, RUN_TYPE],
        runs=("pace", "size"),
        distance_km=("dist", "sum"),
        duration_s=("dur", "sum"),
        mean_pace_s_per_km=("pace", "mean"),
        best_vdot=("vdot", "max"),
    )
    return pd.DataFrame(
        {
            ATHLETE: agg[ATHLETE].astype("string"),
            WEEK_START: agg[WEEK_START].astype("datetime64[us]"),
            RUN_TYPE: agg[RUN_TYPE].astype("string"),
            "runs": agg["runs"].astype("Int64"),
            DISTANCE_KM: agg[DISTANCE_KM].astype("Float64"),
            DURATION_S: agg[DURATION_S].astype("Float64"),
            "mean_pace_s_per_km": agg["mean_pace_s_per_km"].astype("Float64"),
            "pooled_pace_s_per_km": (agg[DURATION_S] / agg[DISTANCE_KM]).astype("Float64"),
            "best_vdot": agg["best_vdot"].astype("Float64"),
        }
    )


def pace_trend(
    runs: pd.DataFrame,
    *,
    weeks: int = 4,
    end: Any = None,
    run_type: str | None = "easy",
    long_factor: float = 1.5,
) -> pd.DataFrame:
    """Pace trend per athlete and block: OLS slope of run pace in s/km per week, with a 95 % CI.

    Parameters
    ----------
    runs : pandas.DataFrame
        The canonical ``runs`` table (see :func:`run_paces`).
    weeks : int, default=4
        Block length in ISO weeks: 4, 5 or 6 (see :mod:`analysis.periods`).
    end : date-like or None, default=None
        Last day of the current block; default the last run date in ``runs``. Later runs are
        ignored.
    run_type : str or None, default="easy"
        Only runs of this type (after inference); ``None`` for all runs (``run_type = 'all'``).
    long_factor : float, default=1.5
        Passed to :func:`run_paces`.

    Returns
    -------
    pandas.DataFrame
        One row per athlete and block, from the athlete's oldest block with a run of the type
        (at the latest the previous block) to the current block, sorted by ``athlete,
        block_index``: ``athlete``; ``block_index`` (Int64, 0 current, -1 previous...);
        ``block`` ('current', 'previous', 'block_-2'...); ``start``, ``end`` (first and last day,
        datetime64[us]); ``run_type``; ``n`` (runs); ``method`` ('ols'); ``mean_pace_s_per_km``
        (s/km); ``slope_s_per_km_per_week`` (s/km per week, negative = getting faster);
        ``ci_low``, ``ci_high`` (95 % CI of the slope, s/km per week); ``verdict`` ('faster',
        'slower', 'no clear change' or 'not enough data'). Empty when no run is left.

    Raises
    ------
    MissingColumnsError
        If a required column is missing.
    ValueError
        If ``weeks``, ``end`` or ``run_type`` is not valid.

    Notes
    -----
    Ordinary least squares of each run's pace on its day within the block (in weeks), every run
    weighted once; the CI uses Student's t with n - 2 df. The verdict is 'faster' when the whole
    CI is below 0, 'slower' when above, and 'not enough data' below :data:`MIN_TREND_RUNS` runs or
    when all runs fall on one day (slope and CI NA). Blocks: :mod:`analysis.periods`.

    Examples
    --------
    >>> runs = pd.DataFrame({"athlete": ["ana"] * 4, "date": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]),
    ...                      "distance_km": [10.0] * 4, "duration_s": [3300.0, 3280.0, 3260.0, 3240.0]})
    >>> pace_trend(runs)[["block", "n", "slope_s_per_km_per_week", "verdict"]]
          block  n  slope_s_per_km_per_week          verdict
    0  previous  0                     <NA>  not enough data
    1   current  4                     -2.0           faster
    """
    require_columns(runs, _RUNS_REQUIRED, func="pace_trend", hint=_RUNS_HINT)
    if run_type is not None and run_type not in RUN_TYPES:
        raise ValueError(
            f"pace_trend() expected run_type to be one of {list(RUN_TYPES)} or None, got {run_type!r} instead."
        )
    paced = run_paces(runs, long_factor=long_factor)
    keep = paced[PACE_S_PER_KM].notna() & paced[DATE].notna()
    if run_type is not None:
        keep &= (paced[RUN_TYPE] == run_type).fillna(False)
    if not keep.any():
        return _trend_frame(pd.DataFrame(columns=_TREND_SUMS), run_type)
    table = blocks(paced, weeks=weeks, end=end)
    labelled = label_blocks(paced[keep], weeks=weeks, end=end)
    labelled = labelled[labelled[BLOCK_INDEX].notna()]
    frame = pd.DataFrame(
        {
            ATHLETE: labelled[ATHLETE].astype("string"),
            BLOCK_INDEX: labelled[BLOCK_INDEX].astype("int64"),
            "y": labelled[PACE_S_PER_KM].to_numpy(dtype=float, na_value=np.nan),
        }
    )
    starts = table.set_index(BLOCK_INDEX)[BLOCK_START]
    block_start = starts.reindex(frame[BLOCK_INDEX].to_numpy()).to_numpy()
    frame["x"] = (labelled[DATE].dt.normalize().to_numpy() - block_start) / np.timedelta64(7, "D")

    # athlete x block grid: oldest block with a run (at the latest the previous one) to current
    first = np.minimum(frame.groupby(ATHLETE, sort=True)[BLOCK_INDEX].min(), -1)
    counts = -first.to_numpy() + 1
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    grid = pd.DataFrame(
        {
            ATHLETE: np.repeat(first.index.to_numpy(), counts),
            BLOCK_INDEX: np.repeat(first.to_numpy(), counts) + offsets,
        }
    )
    res = _block_sums(frame, grid, table, [ATHLETE, BLOCK_INDEX])
    return _trend_frame(res, run_type)


def pace_trends(
    runs: pd.DataFrame,
    *,
    run_types: list[str],
    end: Any,
    weeks: int = 4,
    long_factor: float = 1.5,
) -> pd.DataFrame:
    """:func:`pace_trend` of several run types at once, for one given ``end``.

    The rows of ``pace_trend(runs, weeks=weeks, end=end, run_type=t)`` for each ``t`` of
    ``run_types`` in that order, concatenated (RangeIndex), from one :func:`run_paces` pass and
    one grouping by run type, athlete and block instead of one call per type (each group's
    sums are the same numbers). ``end`` is required: every type shares the blocks.

    Raises
    ------
    MissingColumnsError
        If a required column is missing.
    ValueError
        If ``weeks``, ``end`` or a run type is not valid.
    """
    require_columns(runs, _RUNS_REQUIRED, func="pace_trend", hint=_RUNS_HINT)
    for run_type in run_types:
        if run_type not in RUN_TYPES:
            raise ValueError(
                f"pace_trend() expected run_type to be one of {list(RUN_TYPES)} or None, got {run_type!r} instead."
            )
    if end is None:
        raise ValueError("pace_trends() expected an end date, got None instead.")
    return paced_trends(run_paces(runs, long_factor=long_factor), run_types=run_types, end=end, weeks=weeks)


def paced_trends(paced: pd.DataFrame, *, run_types: list[str], end: Any, weeks: int) -> pd.DataFrame:
    """:func:`pace_trends` of runs already paced by :func:`run_paces` (checked by the caller).

    A reassessment passes a slice of its paced runs: pacing them again gives the same paces and
    run types (the types are labels by then), so it is not done again.
    """
    names = np.asarray(run_types, dtype=object)
    type_code = pd.Index(names).get_indexer(paced[RUN_TYPE].astype(object).fillna("").to_numpy())
    keep = (paced[PACE_S_PER_KM].notna() & paced[DATE].notna()).to_numpy(dtype=bool) & (type_code >= 0)
    if not keep.any():
        return _trend_frame(pd.DataFrame(columns=_TREND_SUMS), names[:0])
    table = blocks(paced, weeks=weeks, end=end)
    labelled = label_blocks(paced[keep], weeks=weeks, end=end)
    inside = labelled[BLOCK_INDEX].notna().to_numpy(dtype=bool)
    labelled = labelled[inside]
    frame = pd.DataFrame(
        {
            "t": type_code[keep][inside],
            ATHLETE: labelled[ATHLETE].astype("string"),
            BLOCK_INDEX: labelled[BLOCK_INDEX].astype("int64"),
            "y": labelled[PACE_S_PER_KM].to_numpy(dtype=float, na_value=np.nan),
        }
    )
    starts = table.set_index(BLOCK_INDEX)[BLOCK_START]
    block_start = starts.reindex(frame[BLOCK_INDEX].to_numpy()).to_numpy()
    frame["x"] = (labelled[DATE].dt.normalize().to_numpy() - block_start) / np.timedelta64(7, "D")

    # per type and athlete: oldest block with a run (at the latest the previous one) to current
    oldest = group_agg(frame, ["t", ATHLETE], first=(BLOCK_INDEX, "min"))
    first = np.minimum(oldest["first"].to_numpy(), -1)
    counts = -first + 1
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    grid = pd.DataFrame(
        {
            "t": np.repeat(oldest["t"].to_numpy(), counts),
            ATHLETE: np.repeat(oldest[ATHLETE].to_numpy(), counts),
            BLOCK_INDEX: np.repeat(first, counts) + offsets,
        }
    )
    res = _block_sums(frame, grid, table, ["t", ATHLETE, BLOCK_INDEX])
    return _trend_frame(res, names[res["t"].to_numpy()])


def _block_sums(frame: pd.DataFrame, grid: pd.DataFrame, table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The OLS sums of pace ``y`` on time ``x`` per ``keys`` (n, mean, centred sxx, sxy, syy) on
    every row of ``grid``, with the block's name and dates: what :func:`_trend_frame` reads.

    A groupby on ``keys`` and two left merges, done on one integer code per key combination
    (shared by the rows and the grid): the same numbers (pandas' group mean and sum kernels,
    rows in the same order), without ~10 ms of multi-key grouping and merging per call.
    """
    n_grid = len(grid)
    code = np.zeros(n_grid + len(frame), dtype=np.int64)
    missing = np.zeros(len(code), dtype=bool)
    for k in keys:  # dense after each key, so the combined code never overflows
        part, uniques = pd.factorize(np.concatenate([grid[k].to_numpy(dtype=object), frame[k].to_numpy(dtype=object)]))
        missing |= part < 0  # a row without a key is in no group (as groupby's dropna)
        code = pd.factorize(code * max(len(uniques), 1) + part)[0]
    n_codes = int(code.max()) + 1 if len(code) else 0
    grid_code, row_code = code[:n_grid], code[n_grid:][~missing[n_grid:]]
    x = pd.Series(frame["x"].to_numpy(dtype=float)[~missing[n_grid:]])
    y = pd.Series(frame["y"].to_numpy(dtype=float)[~missing[n_grid:]])
    by = y.groupby(row_code)
    dx = x - x.groupby(row_code).transform("mean")
    dy = y - by.transform("mean")
    sums = {"n": by.size(), "mean": by.mean(), "sxx": (dx * dx).groupby(row_code).sum(),
            "sxy": (dx * dy).groupby(row_code).sum(), "syy": (dy * dy).groupby(row_code).sum()}  # fmt: skip
    res = {k: grid[k].to_numpy() for k in keys}
    for name, values in sums.items():  # NaN where the grid's block has no run (a left merge)
        column = np.full(n_codes, np.nan)
        column[values.index.to_numpy(dtype=np.int64)] = values.to_numpy(dtype=float)
        res[name] = column[grid_code]
    block_row = pd.Index(table[BLOCK_INDEX].to_numpy(dtype=np.int64)).get_indexer(
        grid[BLOCK_INDEX].to_numpy(dtype=np.int64)
    )
    found = block_row >= 0
    res[BLOCK] = np.where(found, table[BLOCK].to_numpy(dtype=object)[block_row], None)
    for name in (BLOCK_START, BLOCK_END):
        dates = table[name].to_numpy(dtype="datetime64[us]")[block_row]
        res[name] = np.where(found, dates, np.datetime64("NaT"))
    return pd.DataFrame(res)


_TREND_SUMS = [
    ATHLETE,
    BLOCK_INDEX,
    BLOCK,
    BLOCK_START,
    BLOCK_END,
    "n",
    "mean",
    "sxx",
    "sxy",
    "syy",
]


def _trend_frame(res: pd.DataFrame, run_type: str | np.ndarray | None) -> pd.DataFrame:
    """OLS slope, t-interval and verdict from per-group centred sums (:data:`_TREND_SUMS`)."""
    n = res["n"].fillna(0).to_numpy(dtype=float)
    sxx, sxy, syy = (res[c].to_numpy(dtype=float) for c in ("sxx", "sxy", "syy"))
    enough = (n >= MIN_TREND_RUNS) & (sxx > 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(enough, sxy / sxx, np.nan)
        resid = np.maximum(syy - slope * sxy, 0.0) / (n - 2)
        half = t_quantile(0.975, np.maximum(n - 2, 1)) * np.sqrt(resid / sxx)
    low, high = np.where(enough, slope - half, np.nan), np.where(enough, slope + half, np.nan)
    verdict = np.select(
        [~enough, high < 0, low > 0], [NOT_ENOUGH_DATA, FASTER, SLOWER], NO_CLEAR_CHANGE
    )
    idx = pd.RangeIndex(len(res))
    return pd.DataFrame(
        {
            ATHLETE: pd.Series(res[ATHLETE].to_numpy(), index=idx, dtype="string"),
            BLOCK_INDEX: pd.Series(res[BLOCK_INDEX].to_numpy(), index=idx, dtype="Int64"),
            BLOCK: pd.Series(res[BLOCK].to_numpy(), index=idx, dtype="string"),
            BLOCK_START: pd.Series(res[BLOCK_START].to_numpy(), index=idx, dtype="datetime64[us]"),
            BLOCK_END: pd.Series(res[BLOCK_END].to_numpy(), index=idx, dtype="datetime64[us]"),
            RUN_TYPE: pd.Series(
                run_type if isinstance(run_type, np.ndarray) else (run_type or "all"), index=idx, dtype="string"
            ),
            "n": pd.array(n.astype("int64"), dtype="Int64"),
            "method": pd.Series("ols", index=idx, dtype="string"),
            "mean_pace_s_per_km": pd.array(res["mean"].to_numpy(dtype=float), dtype="Float64"),
            "slope_s_per_km_per_week": pd.array(slope, dtype="Float64"),
            "ci_low": pd.array(low, dtype="Float64"),
            "ci_high": pd.array(high, dtype="Float64"),
            "verdict": pd.Series(verdict, index=idx, dtype="string"),
        }
    )

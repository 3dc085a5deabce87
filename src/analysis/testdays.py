"""Test days: the coach's reassessment battery, and whether each result changed beyond the noise.

A coach retests a small battery at the end of each phase: single-leg squats and single-leg calf
raises to failure per side, a wall sit or side-plank hold, a single-leg hop for distance, a
countermovement jump and a 5 km time trial. The results come from a Tests sheet
(:func:`analysis.loaders.tests.read_tests`) or from sessions marked as tests in the strength log
(:func:`tests_from_sets`). :func:`test_changes` compares each athlete's last two tests per test
and side.

Definitions
-----------
Result of a test day
    The best result of the day (the highest, or the lowest for a test where lower is better),
    when several trials are logged.
Typical error (TE)
    The published TE of :data:`TESTS` (``published``; a CV is taken of the previous result); a
    test without a verified published value uses :data:`ASSUMED_CV_PCT` (``assumed``). The
    athlete's own, ``SD(consecutive differences) / sqrt(2)`` over their test days (Hopkins,
    "Measures of reliability in sports medicine and science", Sports Med 2000;30:1-15), replaces
    it when they have at least :data:`OWN_NOISE_TESTS` test days and it is the larger
    (``own repeats``): a test-retest study measures noise alone, while a few test days of an
    athlete who improves steadily give a small SD by chance, so the smaller is never trusted.
    Never below the log's resolution.
Minimal detectable change (MDC95)
    ``1.96 * sqrt(2) * TE`` (Weir, J Strength Cond Res 2005;19:231-240): a change smaller than
    this is within the noise of two single tests 95 % of the time.
Smallest worthwhile change (SWC)
    ``0.2 x`` the between-athlete SD of the test and side (each athlete's first result) when at
    least :data:`SWC_MIN_ATHLETES` athletes have it, else ``0.3 x TE``: Hopkins, "How to interpret
    changes in an athletic performance test", Sportscience 2004;8:1-7, gives 0.2 of the
    between-athlete SD as the default for fitness tests and 0.3 of the within-athlete variation
    for solo performance (always used for the 5 km time trial).
Floors
    SWC and MDC95 are never below the resolution of the log (:data:`RESOLUTION`: 1 rep, 1 s,
    1 cm, 0.01 m), and the evidence rounds to it.
Verdict
    ``not enough tests`` below two test days; ``better`` or ``worse`` when the change is larger
    than both the MDC95 and the SWC in the test's good or bad direction; else ``no clear change``.

Published typical errors (checked against the papers' abstracts)
------------------------------------------------------------------
- Countermovement jump height: within-subject CV 2.4-4.6 % across seven jump tests, CMJ at the
  low end (Markovic et al., J Strength Cond Res 2004;18:551-555): approximately 3 %.
- Single-leg hop for distance: SEM 4.6-17.7 cm for four single-leg distance hops, a month apart
  (Ross et al., J Strength Cond Res 2002;16(4)); the single hop is the shortest, so approximately
  5 cm.
- Single-leg heel rise to fatigue: 95 % limits of agreement about +-6.3 repetitions a week apart
  (Hebert-Losier et al., Physiotherapy 2017, doi:10.1016/j.physio.2017.03.002), so
  TE = 6.3 / 1.96 / sqrt(2), approximately 2.3 reps.
- Side bridge (side plank) hold: TE 10.95 s a week apart (Juan-Recio et al., Biology
  2022;11:1043): approximately 11 s.
- 5 km time trial: CV 1.5 % in trained runners (Fisher et al., J Hum Kinet 2017;57:139-146).
- Single-leg squat and step-up reps to failure and the wall sit: no published value verified;
  :data:`ASSUMED_CV_PCT`.

The evidence is a plain sentence for a coach about the test result; it never speaks of injury
risk.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

import numpy as np
import pandas as pd

from analysis import columns as C
from analysis._engine.prepared import prepare
from analysis.loaders.tests import test_keys
from analysis.periods import parse_day

__all__ = [
    "ASSUMED_CV_PCT",
    "OWN_NOISE_TESTS",
    "RESOLUTION",
    "SWC_MIN_ATHLETES",
    "TESTS",
    "BatteryItem",
    "test_changes",
    "tests_from_sets",
]


class BatteryItem(NamedTuple):
    """One test of the battery: how it reads and how noisy one result is."""

    label: str
    unit: Literal["reps", "s", "cm", "m"]
    better: Literal["higher", "lower"]
    sided: bool
    cv_pct: float  # published typical error as a CV (% of the result), NaN when given absolute
    te: float  # published typical error in ``unit``, NaN when given as a CV or unknown


_NAN = float("nan")
#: The battery: test key (the keys of :data:`analysis.loaders.tests.TEST_NAMES`) -> :class:`BatteryItem`.
TESTS: Final[dict[str, BatteryItem]] = {
    "single_leg_squat": BatteryItem("single-leg squat to failure", "reps", "higher", True, _NAN, _NAN),
    "single_leg_calf_raise": BatteryItem("single-leg calf raise to failure", "reps", "higher", True, _NAN, 2.3),
    "step_up": BatteryItem("step-ups to failure", "reps", "higher", True, _NAN, _NAN),
    "wall_sit": BatteryItem("wall sit hold", "s", "higher", False, _NAN, _NAN),
    "side_plank": BatteryItem("side-plank hold", "s", "higher", True, _NAN, 11.0),
    "single_leg_hop": BatteryItem("single-leg hop for distance", "cm", "higher", True, _NAN, 5.0),
    "countermovement_jump": BatteryItem("countermovement jump", "cm", "higher", False, 3.0, _NAN),
    "time_trial_5k": BatteryItem("5 km time trial", "s", "lower", False, 1.5, _NAN),
}

ASSUMED_CV_PCT: Final = 10.0
OWN_NOISE_TESTS: Final = 3
SWC_MIN_ATHLETES: Final = 3
RESOLUTION: Final[dict[str, float]] = {"reps": 1.0, "s": 1.0, "cm": 1.0, "m": 0.01}

BETTER, WORSE, NOT_ENOUGH_TESTS = C.BETTER, C.WORSE, C.NOT_ENOUGH_TESTS
OWN_REPEATS, PUBLISHED, ASSUMED = C.OWN_REPEATS, C.PUBLISHED, C.ASSUMED

_KEYS = (C.ATHLETE, "test", C.SIDE)
_OUT: Final[dict[str, str]] = {
    C.ATHLETE: "string", "test": "string", C.SIDE: "string", "unit": "string", "better": "string",
    "n_tests": "Int64", "previous_date": "datetime64[us]", "current_date": "datetime64[us]",
    "previous": "Float64", "current": "Float64", "change": "Float64", "change_pct": "Float64",
    "swc": "Float64", C.TYPICAL_ERROR: "Float64", "mdc95": "Float64", "noise_source": "string",
    C.VERDICT: "string", C.STATUS: "string", "evidence": "string",
}
_SIDE_WORDS = {"left": "left ", "right": "right ", "both": ""}


def tests_from_sets(sets: pd.DataFrame) -> pd.DataFrame:
    """Test results logged as training sets: sessions marked as tests in the strength log.

    A working set is a test when its name as written (``exercise_raw``) has the word ``test``
    (``SL calf raise test``, ``Wall sit - test``) and names a test of :data:`TESTS`, by
    :func:`analysis.loaders.tests.test_keys` on the name or by the catalog key (``exercise``).
    Its result is the reps (reps tests), the hold (``duration_s``, timed tests) or the distance
    (``distance_m``, in cm for the hop); a set without the test's measure is left out.

    Parameters
    ----------
    sets : DataFrame
        Canonical ``sets``.

    Returns
    -------
    DataFrame
        The tests table of :data:`analysis.columns.TEST_RESULTS` (``test_raw`` the name as
        logged, ``source_*`` the set's), in the order of ``sets``.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": ["Ana"] * 2, "date": pd.to_datetime(["2026-09-01"] * 2),
    ...     "exercise": ["single_leg_calf_raise"] * 2, "exercise_raw": ["Calf raise test", "Calf raise"],
    ...     "side": ["left", "left"], "reps": [25.0, 15.0], "warmup": [False, False]})
    >>> tests_from_sets(sets)[["test", "side", "value", "unit"]]
                        test  side  value  unit
    0  single_leg_calf_raise  left   25.0  reps
    """
    C.require_columns(sets, [C.ATHLETE, C.DATE, C.EXERCISE, C.EXERCISE_RAW, C.SIDE], func="tests_from_sets")
    # the word "test" is looked for once per distinct name, then only the marked rows are read
    codes, names = prepare(sets).codes(C.EXERCISE_RAW)
    word = pd.Series(names, dtype=object).astype("string")
    word = word.str.contains(r"\btests?\b", case=False, regex=True).fillna(False).to_numpy(dtype=bool)
    marked = np.append(word, False)[codes]  # code -1 (no name) is not a test
    if C.WARMUP in sets:
        marked &= ~sets[C.WARMUP].astype("boolean").fillna(False).to_numpy(dtype=bool)
    sets = sets[marked]
    raw = sets[C.EXERCISE_RAW].astype("string")
    marked = np.ones(len(sets), dtype=bool)
    keys, known = test_keys(raw)
    exercise = sets[C.EXERCISE].astype("string")
    key = keys.where(known, exercise.where(exercise.isin(list(TESTS))))
    unit = key.map({k: t.unit for k, t in TESTS.items()}).astype("string")
    numbers = {
        "reps": C.REPS, "s": C.DURATION_S, "cm": C.DISTANCE_M, "m": C.DISTANCE_M,
    }
    value = pd.Series(np.nan, index=sets.index)
    for name, column in numbers.items():
        if column in sets:
            scale = 100.0 if name == "cm" else 1.0
            here = (unit == name).fillna(False).to_numpy(dtype=bool)
            value[here] = C.float_values(sets[column])[here] * scale
    take = marked & key.notna().to_numpy(dtype=bool) & ~np.isnan(value.to_numpy())
    out = pd.DataFrame({
        C.ATHLETE: sets[C.ATHLETE], C.DATE: pd.to_datetime(sets[C.DATE]).dt.normalize(), "test": key,
        "test_raw": raw, C.SIDE: sets[C.SIDE], C.VALUE: value, "unit": unit,
        **{c: sets[c] for c in C.SOURCE if c in sets},
    })
    return C.conform(out[take], C.TEST_RESULTS)


tests_from_sets.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _day_bests(tests: pd.DataFrame, higher: np.ndarray) -> pd.DataFrame:
    """One row per athlete, test, side and day: the day's best result."""
    frame = tests.assign(_score=np.where(higher, 1.0, -1.0) * tests[C.VALUE].to_numpy(dtype=float))
    frame = frame.sort_values([*_KEYS, C.DATE, "_score"], ascending=[True] * 4 + [False], kind="stable")
    return frame.drop_duplicates([*_KEYS, C.DATE], keep="first").reset_index(drop=True)


def _own_te(days: pd.DataFrame) -> pd.Series:
    """The athlete's own TE per test and side: SD of consecutive differences / sqrt(2)."""
    diff = days.groupby(list(_KEYS), sort=False)[C.VALUE].diff()
    sd = diff.groupby([days[k] for k in _KEYS], sort=False).std(ddof=1)
    return (sd / np.sqrt(2.0)).rename("own_te")


def test_changes(
    tests: pd.DataFrame,
    *,
    end: object = None,  # noqa: PT028  (a function named for its quantity, not a pytest test)
    own_noise_tests: int = OWN_NOISE_TESTS,  # noqa: PT028
) -> pd.DataFrame:
    """The change between each athlete's last two tests, per test and side, judged against noise.

    Parameters
    ----------
    tests : DataFrame
        A tests table (:data:`analysis.columns.TEST_RESULTS`): from
        :func:`analysis.loaders.tests.read_tests`, :func:`analysis.loaders.tests.find_tests` or
        :func:`tests_from_sets`.
    end : date-like, default=None
        Only tests on or before this day count; default all.
    own_noise_tests : int, default=3
        Test days from which the athlete's own typical error replaces the published one.

    Returns
    -------
    DataFrame
        One row per athlete, test and side, sorted by them: ``athlete``, ``test``, ``side``,
        ``unit``, ``better`` (``higher`` or ``lower``), ``n_tests`` (test days), ``previous_date``,
        ``current_date`` (the last two test days), ``previous``, ``current`` (their results, in
        ``unit``), ``change`` (current minus previous), ``change_pct`` (% of previous), ``swc``,
        ``typical_error``, ``mdc95`` (in ``unit``), ``noise_source`` (``own repeats``,
        ``published`` or ``assumed``), ``verdict`` (``better``, ``worse``, ``no clear change`` or
        ``not enough tests``), ``status`` (``ok`` or ``not enough data``) and ``evidence`` (one
        sentence). With one test day, the previous and change columns are NA.

    Raises
    ------
    MissingColumnsError
        If ``tests`` lacks athlete, date, test, side or value.

    Notes
    -----
    Definitions and published values are in the module docstring. A test not in :data:`TESTS`
    is judged with higher as better and :data:`ASSUMED_CV_PCT`, unless its own repeats give a TE.

    Examples
    --------
    >>> tests = pd.DataFrame({"athlete": "Ana", "test": "countermovement_jump", "side": "both",
    ...     "date": pd.to_datetime(["2026-09-01", "2026-10-01"]), "value": [30.0, 34.0], "unit": "cm"})
    >>> out = test_changes(tests)
    >>> out[["change", "typical_error", "mdc95", "verdict"]]
       change  typical_error  mdc95 verdict
    0     4.0            0.9  2.495  better
    >>> print(out.loc[0, "evidence"])
    Countermovement jump: 34 cm on 2026-10-01, up 4 cm from 30 cm on 2026-09-01, more than the 2 cm two tests can differ by chance (published test-retest noise): better.
    """
    C.require_columns(tests, [C.ATHLETE, C.DATE, "test", C.SIDE, C.VALUE], func="test_changes",
                      hint="Read test results with analysis.loaders.tests.read_tests() or tests_from_sets().")
    frame = tests[[*_KEYS, C.DATE, C.VALUE, *(["unit"] if "unit" in tests else [])]].copy()
    frame[C.DATE] = pd.to_datetime(frame[C.DATE]).dt.normalize()
    frame[C.VALUE] = C.float_values(frame[C.VALUE], name="value", func="test_changes")
    frame = frame[frame[C.VALUE].notna() & frame[C.DATE].notna() & frame["test"].notna()]
    if end is not None:
        frame = frame[frame[C.DATE] <= parse_day(end, "end", func="test_changes")]
    if frame.empty:
        return C.empty(_OUT)
    lower = {k for k, t in TESTS.items() if t.better == "lower"}
    higher = ~frame["test"].isin(list(lower)).to_numpy(dtype=bool)
    days = _day_bests(frame, higher)
    own = _own_te(days)
    g = days.groupby(list(_KEYS), sort=True)
    last = g.tail(1).set_index(list(_KEYS))
    prev = g.nth(-2).set_index(list(_KEYS)) if len(days) else last.iloc[:0]
    out = pd.DataFrame(index=last.index)
    out["n_tests"] = g.size()
    out["current_date"], out["current"] = last[C.DATE], last[C.VALUE]
    out["previous_date"] = prev[C.DATE].reindex(out.index)
    out["previous"] = prev[C.VALUE].reindex(out.index)
    known = [TESTS.get(k) for k in out.index.get_level_values("test")]
    unit_given = last["unit"] if "unit" in last else pd.Series(pd.NA, index=last.index)
    out["unit"] = [t.unit if t is not None else u for t, u in zip(known, unit_given, strict=True)]
    out["better"] = ["lower" if t is not None and t.better == "lower" else "higher" for t in known]
    cv = np.array([t.cv_pct if t is not None else _NAN for t in known], dtype=float)
    abs_te = np.array([t.te if t is not None else _NAN for t in known], dtype=float)
    out = _judge(out, own, cv, abs_te, own_noise_tests, days)
    out = out.reset_index()
    out["evidence"] = _evidence(out)
    return C.conform(out, _OUT)


test_changes.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _judge(out: pd.DataFrame, own: pd.Series, cv: np.ndarray, abs_te: np.ndarray, own_noise_tests: int,
           days: pd.DataFrame) -> pd.DataFrame:
    """Noise, SWC, MDC95 and the verdict of each row of ``out`` (indexed by athlete, test, side)."""
    n = out["n_tests"].to_numpy(dtype=int)
    prev = out["previous"].to_numpy(dtype=float)
    cur = out["current"].to_numpy(dtype=float)
    res = out["unit"].map(RESOLUTION).fillna(1.0).to_numpy(dtype=float)
    own_te = own.reindex(out.index).to_numpy(dtype=float)
    base = np.where(np.isnan(prev), cur, prev)
    published = np.where(np.isnan(abs_te), cv * base / 100.0, abs_te)
    own_te = np.maximum(own_te, res)  # steady progress gives equal differences: SD 0 is not credible
    study = np.where(np.isnan(published), ASSUMED_CV_PCT * base / 100.0, published)
    # the athlete's own TE replaces the study's only when larger: a few test days of an athlete who
    # improves steadily give a small SD by chance, and a test-retest study measures noise alone
    use_own = (n >= own_noise_tests) & np.isfinite(own_te) & (own_te > study)
    te = np.where(use_own, own_te, study)
    out["noise_source"] = np.where(use_own, OWN_REPEATS, np.where(np.isnan(published), ASSUMED, PUBLISHED))
    out[C.TYPICAL_ERROR] = np.round(te, 3)
    out["mdc95"] = np.round(np.maximum(1.96 * np.sqrt(2.0) * te, res), 3)
    # SWC: 0.2 x between-athlete SD of first results (>= SWC_MIN_ATHLETES athletes), else 0.3 x TE
    first = days.drop_duplicates(list(_KEYS), keep="first")
    spread = first.groupby(["test", C.SIDE])[C.VALUE].agg(["std", "count"])
    keys = pd.MultiIndex.from_arrays([out.index.get_level_values("test"), out.index.get_level_values(C.SIDE)])
    sd = spread["std"].reindex(keys).to_numpy(dtype=float)
    count = spread["count"].reindex(keys).fillna(0).to_numpy(dtype=int)
    solo = (out["better"] == "lower").to_numpy() | out.index.get_level_values("test").isin(["time_trial_5k"])
    between = (count >= SWC_MIN_ATHLETES) & np.isfinite(sd) & ~solo
    out["swc"] = np.round(np.maximum(np.where(between, 0.2 * sd, 0.3 * te), res), 3)
    change = cur - prev
    out["change"] = change
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.round(np.where(prev != 0, 100.0 * change / prev, np.nan), 2)
    gain = np.where(out["better"].to_numpy() == "lower", -change, change)
    clear = np.abs(change) > np.maximum(out["mdc95"].to_numpy(dtype=float), out["swc"].to_numpy(dtype=float))
    enough = n >= 2
    out[C.VERDICT] = np.where(~enough, NOT_ENOUGH_TESTS,
                              np.where(clear & (gain > 0), BETTER, np.where(clear, WORSE, C.NO_CLEAR_CHANGE)))
    out[C.STATUS] = np.where(enough, C.OK, C.NOT_ENOUGH_DATA)
    return out


def _amount(value: float, unit: str) -> str:
    """A result at the log's resolution: ``24:10`` for a time trial's seconds, ``12 reps``, ``152 cm``."""
    if unit == "s" and abs(value) >= 600:
        minutes, secs = divmod(round(abs(value)), 60)
        return f"{'-' if value < 0 else ''}{minutes}:{secs:02d}"
    if unit == "m":
        return f"{value:.2f} m"
    n = round(value)
    if unit == "reps":
        return f"{n} rep" if abs(n) == 1 else f"{n} reps"
    return f"{n} {unit}" if isinstance(unit, str) else f"{n}"


def _evidence(out: pd.DataFrame) -> list[str]:
    """One sentence per row (the module docstring's numbers, at the log's resolution)."""
    texts = []
    for row in out.itertuples(index=False):
        info = TESTS.get(row.test)
        label = info.label if info is not None else str(row.test).replace("_", " ")
        side = _SIDE_WORDS.get(row.side, f"{row.side} ")
        name = f"{side}{label}"
        name = name[0].upper() + name[1:]
        unit = row.unit if isinstance(row.unit, str) else ""
        now = f"{_amount(row.current, unit)} on {row.current_date:%Y-%m-%d}"
        if row.verdict == NOT_ENOUGH_TESTS:
            texts.append(f"{name}: {now}, the only test so far; a second test will show the change.")
            continue
        change = row.change
        shown = _amount(abs(change), unit)
        if shown in {"0 reps", "0 s", "0 cm", "0:00", "0.00 m"}:
            moved = "the same as"
        elif row.better == "lower":  # a time: lower is faster
            moved = f"{shown} {'slower' if change > 0 else 'faster'} than"
        else:
            moved = f"{'up' if change > 0 else 'down'} {shown} from"
        then = f"{_amount(row.previous, unit)} on {row.previous_date:%Y-%m-%d}"
        noise = {OWN_REPEATS: "from the athlete's own repeated tests", PUBLISHED: "published test-retest noise",
                 ASSUMED: f"assumed noise of {ASSUMED_CV_PCT:g} %"}[row.noise_source]
        limit = _amount(max(row.mdc95, row.swc), unit)
        if row.verdict == C.NO_CLEAR_CHANGE:
            texts.append(f"{name}: {now}, {moved} {then}, within the {limit} two tests can differ by "
                         f"chance ({noise}): no clear change.")
        else:
            texts.append(f"{name}: {now}, {moved} {then}, more than the {limit} two tests can differ by "
                         f"chance ({noise}): {row.verdict}.")
    return texts

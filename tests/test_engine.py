"""Tests for the private engine the analyses share (analysis._engine)."""

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import theilslopes

from analysis._engine.e1rm import RTS_CHART_PCT, RTS_N, chart_pct
from analysis._engine.prepared import factorize
from analysis._engine.sessions import first_max
from analysis._engine.stats import theil_sen


# --- fast paths give the plain results --------------------------------------------------------
@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["b", "b", "b", "a", "a", "c"] * 1000, dtype="string"),  # long runs
        pd.Series(["left", "right"] * 3000, dtype="string"),  # no runs: plain path
        pd.Series(["b", "b", pd.NA, "a"] * 1500, dtype="string"),  # NA cannot be compared
        pd.Series(["x", None, None, "y", np.nan, "x"] * 1000, dtype=object),
        pd.Series(pd.Categorical(["b", "a", "b"] * 2000, categories=["b", "a"])),
        pd.Series(["z", "y", "y"], dtype="string"),  # short
        pd.Series([], dtype="string"),
    ],
)
def test_factorize_matches_pandas(values):
    codes, uniques = factorize(values)
    plain = values if isinstance(values.dtype, pd.CategoricalDtype) else values.to_numpy(object)
    expected_codes, expected_uniques = pd.factorize(plain, sort=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert list(uniques) == list(expected_uniques)


def _first_max_by_hand(starts, rows, criteria):
    """The first row of each segment with the lexicographically largest criteria."""
    out = []
    for lo, hi in pairwise([*starts, len(rows)]):
        keys = [
            tuple(np.nan_to_num(float(c[rows[p]]), nan=-np.inf) for c in criteria)
            for p in range(lo, hi)
        ]
        out.append(lo + keys.index(max(keys)))
    return out


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=12),
    st.lists(
        st.lists(
            st.sampled_from([np.nan, -np.inf, 0.0, 1.0, 2.0, np.inf]), min_size=60, max_size=60
        ),
        min_size=1,
        max_size=3,
    ),
    st.randoms(use_true_random=False),
)
def test_first_max_matches_a_plain_loop(sizes, columns, rnd):
    starts = np.cumsum([0, *sizes[:-1]])
    rows = np.array(rnd.sample(range(60), sum(sizes)))
    criteria = [np.array(c) for c in columns]
    got = first_max(starts, rows, *criteria)
    assert got.tolist() == _first_max_by_hand(starts, rows, criteria)


def test_rpe_chart_lookup_equals_interpolation():
    n = np.r_[np.arange(1, 16.5, 0.5), 1.25, 3.7, 15.99, 16.0, 1.0, np.nan, 0.5, 17.0]
    expected = np.interp(n, RTS_N, RTS_CHART_PCT)
    np.testing.assert_array_equal(chart_pct(n), expected)
    assert chart_pct(np.float64(7.25)) == np.interp(7.25, RTS_N, RTS_CHART_PCT)  # 0-d


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 60), st.integers(0, 6)), min_size=1, max_size=12),
        min_size=1,
        max_size=5,
    )
)
def test_vectorised_theil_sen_matches_scipy(groups):
    gid, xs, ys = [], [], []
    for g, points in enumerate(groups):
        days = sorted({d for d, _ in points})
        gid += [g] * len(days)
        xs += [d / 7 for d in days]
        ys += [points[i % len(points)][1] * 2.5 for i in range(len(days))]
    gid, x, y = np.array(gid), np.array(xs), np.array(ys)
    got = theil_sen(gid, x, y, len(groups))
    for g in range(len(groups)):
        sel = gid == g
        if sel.sum() < 2:
            assert np.isnan(got[:, g]).all()
            continue
        res = theilslopes(y[sel], x[sel])
        np.testing.assert_allclose(got[:, g], [res.slope, res.low_slope, res.high_slope])


def test_t_and_z_from_scipy_special_match_scipy_stats() -> None:
    """The quantiles come from scipy.special (no scipy.stats import); the values are the same."""
    import numpy as np
    from scipy import stats as scipy_stats

    from analysis._engine.stats import Z, t_quantile, t_sf

    df = np.array([1, 2, 3, 5, 8, 13, 30, 120, 1e6])
    np.testing.assert_allclose(t_quantile(0.975, df), scipy_stats.t.ppf(0.975, df), rtol=1e-12)
    t = np.array([0.0, 0.5, 1.96, 3.0, 10.0])
    np.testing.assert_allclose(t_sf(t, 7), scipy_stats.t.sf(t, 7), rtol=1e-12)
    assert scipy_stats.norm.ppf(0.975) == pytest.approx(Z, rel=1e-15)


def test_arrow_text_is_encoded_once_and_again_after_a_change() -> None:
    pytest.importorskip("pyarrow")
    from analysis._engine.prepared import factorize

    names = pd.Series(["b", "a", None, "b", "c"] * 2000, dtype="string[pyarrow]")
    codes, uniques = factorize(names)
    assert list(uniques) == ["a", "b", "c"]
    assert codes[:5].tolist() == [1, 0, -1, 1, 2]
    again, _ = factorize(names.reset_index(drop=True))  # a copy-on-write view: the same data
    assert again is codes
    assert not codes.flags.writeable
    changed = names.copy()
    changed.iloc[0] = "a"  # new Arrow data: encoded again
    codes2, uniques2 = factorize(changed)
    assert codes2[0] == 0
    assert codes2[1:].tolist() == codes[1:].tolist()
    assert codes[0] == 1
    assert list(uniques2) == ["a", "b", "c"]


def test_numpy_modules_scipy_touches_load_only_when_used():
    """scipy.special's import would run numpy.f2py and numpy.testing (lazy.py); they stay
    unloaded after importing liftpace, and work as usual the first time they are used."""
    import subprocess
    import sys

    code = (
        "import sys, analysis.cli\n"
        "assert 'numpy.f2py.crackfortran' not in sys.modules, 'f2py ran'\n"
        "assert 'numpy.testing._private.utils' not in sys.modules, 'numpy.testing ran'\n"
        "import numpy.testing as nt\n"
        "nt.assert_allclose([1.0], [1.0])\n"
        "import numpy\n"
        "assert callable(numpy.f2py.run_main)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

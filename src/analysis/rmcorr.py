"""Repeated-measures correlation (rmcorr): one within-athlete association across athletes.

Used on the weekly tables of :mod:`analysis.correlate`, which re-exports :func:`rm_corr`.

Definitions
-----------
Repeated-measures correlation
    Bakdash & Marusich (Front Psychol 2017;8:456): the common within-subject slope of ``y ~ subject
    + x``; ``r_rm = sign(β) √(SS_x / (SS_x + SS_err))``, ``df = N - k - 1``, CI by Fisher z with
    ``SE = 1 / √(df - 1)`` (current R rmcorr and pingouin). At least 3 subjects.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from analysis._engine.stats import Z, t_sf
from analysis.columns import require_columns

#: Two-sided significance level of the verdicts, here and in :mod:`analysis.correlate`.
ALPHA: Final = 0.05


def rm_corr(frame: pd.DataFrame, *, x: str, y: str, subject: str) -> pd.DataFrame:
    """Repeated-measures correlation (Bakdash & Marusich 2017) of ``x`` and ``y`` across subjects.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table, one row per observation (e.g. per athlete and week).
    x, y : str
        Numeric columns to correlate.
    subject : str
        Column identifying the subject (athlete).

    Returns
    -------
    pandas.DataFrame
        One row: ``r`` (r_rm, unitless); ``dof`` (Int64, N - k - 1); ``p_value`` (two-sided);
        ``ci_low``, ``ci_high`` (95 % CI); ``n_subjects`` (k); ``n`` (N observations with both
        values); ``method`` ('rmcorr'); ``verdict`` ('association', 'no clear association' at
        p >= 0.05, 'not enough data' below 3 subjects or dof < 3, 'no variation'). r, CI and p are
        NA unless the verdict is an association or no clear association.

    Raises
    ------
    MissingColumnsError
        If a named column is missing.
    TypeError
        If ``x`` or ``y`` is not numeric.

    Notes
    -----
    ``r_rm = sign(β) √(SS_x / (SS_x + SS_err))`` from ``y ~ subject + x``, which equals the
    correlation of the within-subject-centred values; ``df = N - k - 1``; p from Student's t;
    CI by Fisher z with SE = 1/√(df - 1) (R rmcorr >= 0.5, pingouin). Bland & Altman's pH/PaCO2
    data (BMJ 1995;310:446) give r = -0.507, df = 38, p = 0.000847, CI [-0.71, -0.23].

    Examples
    --------
    >>> frame = pd.DataFrame({"athlete": list("aaabbbccc"), "x": [1, 2, 3, 1, 2, 3, 1, 2, 3],
    ...                       "y": [10, 12, 13, 20, 21, 23, 5, 7, 8]})
    >>> rm_corr(frame, x="x", y="y", subject="athlete")[["r", "dof", "n_subjects", "verdict"]].round(3)
           r  dof  n_subjects      verdict
    0  0.982    5           3  association
    """
    require_columns(
        frame,
        [subject, x, y],
        func="rm_corr",
        hint="Pass a long table with one row per observation.",
    )
    vals = {}
    for name in (x, y):
        try:
            vals[name] = (
                pd.to_numeric(frame[name]).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            )
        except (TypeError, ValueError):
            raise TypeError(
                f"rm_corr() expected a numeric column {name!r}, got dtype {frame[name].dtype} instead."
            ) from None
    data = pd.DataFrame({"s": frame[subject].to_numpy(), "x": vals[x], "y": vals[y]})
    data = data[np.isfinite(data["x"]) & np.isfinite(data["y"]) & data["s"].notna()]
    g = data.groupby("s", sort=False)
    dx, dy = data["x"] - g["x"].transform("mean"), data["y"] - g["y"].transform("mean")
    n, k = len(data), data["s"].nunique()
    dof = n - k - 1
    sxx, syy, sxy = float((dx * dx).sum()), float((dy * dy).sum()), float((dx * dy).sum())
    enough = k >= 3 and dof >= 3
    varies = bool((g["x"].max() > g["x"].min()).any() and (g["y"].max() > g["y"].min()).any())
    r = lo = hi = p = np.nan
    if enough and varies:
        r = float(np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            z, se = np.arctanh(r), 1.0 / np.sqrt(dof - 1)
            lo, hi = float(np.tanh(z - Z * se)), float(np.tanh(z + Z * se))
            t = r * np.sqrt(dof / (1 - r * r))
        p = 0.0 if abs(r) == 1 else float(2 * t_sf(abs(t), dof))
    verdict = (
        "not enough data" if not enough else "no variation" if not varies
        else "association" if p < ALPHA else "no clear association"
    )  # fmt: skip
    return pd.DataFrame(
        {
            "r": pd.array([r], dtype="Float64"),
            "dof": pd.array([max(dof, 0)], dtype="Int64"),
            "p_value": pd.array([p], dtype="Float64"),
            "ci_low": pd.array([lo], dtype="Float64"),
            "ci_high": pd.array([hi], dtype="Float64"),
            "n_subjects": pd.array([k], dtype="Int64"),
            "n": pd.array([n], dtype="Int64"),
            "method": pd.array(["rmcorr"], dtype="string"),
            "verdict": pd.array([verdict], dtype="string"),
        }
    )

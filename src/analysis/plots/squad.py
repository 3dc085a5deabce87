"""The squad overview heatmap: athletes × metrics, coloured by change, every cell annotated.

Definitions
-----------
Cell
    One row of :func:`analysis.reassessment.squad_summary` (athlete, metric): its ``value``
    column, by default ``change_pct`` (current block vs previous block, %).
Colour
    A diverging colormap centred at 0 with limits ± the largest magnitude shown, so equal
    changes up and down get equally strong colours. The colour shows the sign of the number,
    not good or bad: a faster pace is a negative change in s/km. The annotation carries the
    sign, so the chart also reads in greyscale.
Missing
    A cell with no value (NA, or a status other than ``ok``) is hatched grey and says
    ``n/a``; it is never coloured as 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from analysis.columns import float_values
from analysis.plots.style import check_frame, get_ax, metric_label, no_data

__all__ = ["NA_TEXT", "plot_squad_heatmap"]

#: Annotation of a cell without a value.
NA_TEXT = "n/a"


def _short(metric: str) -> str:
    return metric_label(metric).replace("(%), + = right stronger", "(%)")


def plot_squad_heatmap(
    squad_summary: pd.DataFrame,
    *,
    value: str = "change_pct",
    metrics: Sequence[str] | None = None,
    cmap: str = "RdBu",
    colorbar: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of athletes (rows) × metrics (columns), annotated, NA cells marked.

    Parameters
    ----------
    squad_summary : DataFrame
        Output of :func:`analysis.reassessment.squad_summary` (``athlete, metric`` and
        ``value``; ``status`` used when present: a status other than ``ok`` shows as n/a).
    value : str, default="change_pct"
        Column to colour and write in the cells.
    metrics : sequence of str, default=None
        Metrics to show, in this order; None shows every metric in order of first appearance.
    cmap : str, default="RdBu"
        A diverging matplotlib colormap name.
    colorbar : bool, default=True
        Add a colour bar labelled with ``value`` and its unit.
    ax : Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    Axes
        An image of ``len(athletes) × len(metrics)`` (athletes in order of first appearance), symmetric colour limits ± max ``|value|``, one text per cell (``+12.5``
        or ``n/a``), hatched rectangles on n/a cells, tick labels athlete names and metric
        labels with units.

    Raises
    ------
    MissingColumnsError
        If a column it draws is missing.
    ValueError
        If an athlete and metric appear in more than one row, or a metric of ``metrics`` is
        not in the frame.

    Notes
    -----
    Colour and missing-cell rules are in the module docstring.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"athlete": ["Ana", "Ana", "Ben"], "metric": ["e1rm_kg", "asymmetry_pct", "e1rm_kg"],
    ...     "change_pct": [5.0, None, -2.5]})
    >>> ax = plot_squad_heatmap(frame, colorbar=False, ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.texts]
    ['+5.0', 'n/a', '-2.5', 'n/a']
    """
    func = "plot_squad_heatmap"
    check_frame(
        squad_summary, ["athlete", "metric", value], func,
        "Pass the output of analysis.reassessment.squad_summary().",
    )  # fmt: skip
    ax = get_ax(ax, func)
    frame = squad_summary
    keys = pd.DataFrame(
        {
            "athlete": frame["athlete"].astype("string").fillna("unknown"),
            "metric": frame["metric"].astype("string").fillna("unknown"),
        }
    )
    if keys.duplicated().any():
        raise ValueError(
            f"{func}() expected one row per athlete and metric, got repeated rows instead "
            f"(first: {tuple(keys[keys.duplicated()].iloc[0])})."
        )
    if frame.empty:
        return no_data(ax, "no athletes to show")
    values = float_values(frame[value])
    if "status" in frame.columns:
        ok = (frame["status"].astype("string") == "ok").fillna(False).to_numpy(dtype=bool)
        values = np.where(ok, values, np.nan)
    athletes = list(pd.unique(keys["athlete"]))
    present = list(pd.unique(keys["metric"]))
    if metrics is None:
        metrics = present
    else:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        absent = [m for m in metrics if m not in present]
        if absent or not metrics:
            raise ValueError(
                f"{func}() expected metrics from {present}, got {absent or metrics} instead."
            )
    grid = np.full((len(athletes), len(metrics)), np.nan)
    rows = pd.Index(athletes).get_indexer(keys["athlete"])
    cols = pd.Index(metrics).get_indexer(keys["metric"])
    shown = cols >= 0
    grid[rows[shown], cols[shown]] = values[shown]
    finite = np.isfinite(grid)
    half = float(np.abs(grid[finite]).max()) if finite.any() else 1.0
    half = half if half > 0 else 1.0
    norm = Normalize(vmin=-half, vmax=half)
    image = ax.imshow(
        np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest"
    )
    for i, j in np.ndindex(grid.shape):
        cell = grid[i, j]
        if np.isfinite(cell):
            strong = abs(cell) / half > 0.6
            ax.text(j, i, f"{cell:+.1f}", ha="center", va="center",
                    color="white" if strong else "black", fontsize="small")  # fmt: skip
        else:
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="0.9", hatch="//",
                                   edgecolor="0.6", linewidth=0))  # fmt: skip
            ax.text(j, i, NA_TEXT, ha="center", va="center", color="0.3", fontsize="small")
    labels = [_short(m) for m in metrics]
    ax.set_xticks(range(len(metrics)), labels, fontsize="small", rotation=35, ha="right",
                  rotation_mode="anchor")  # fmt: skip
    ax.set_yticks(range(len(athletes)), athletes)
    ax.set_xlabel("metric")
    ax.set_ylabel("athlete")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=metric_label(value))
    return ax

"""Plots of the reassessment: axes-level ``plot_*`` functions and :func:`reassessment_figure`.

Every ``plot_*(frame, *, ax=None, ...)`` draws one analysis output on one matplotlib Axes (the
current Axes when ``ax`` is None) and returns that Axes; :func:`reassessment_figure` composes
them for one athlete from a :class:`analysis.reassessment.Reassessment`. Plots compute no
statistics: no means, no regression, no smoothing; block means, noise, fitted lines and
correlations come from the analyses. The library never calls ``plt.show``, ``savefig`` or
changes the global theme.

Modules: :mod:`.training` (sessions per week, weekly volume), :mod:`.strength` (e1RM,
asymmetry), :mod:`.running` (pace, strength vs pace), :mod:`.squad` (squad heatmap),
:mod:`.figure` (the reassessment figure). Conventions shared by all (:mod:`.style`):

Greyscale
    Series differ by marker and line style as well as colour (Okabe-Ito palette); stacked
    bars by hatch; bars below a target are hatched.
Units
    Axis labels name the unit: ``e1RM (kg)``, ``volume load (kg)``, ``pace (min:s per km)``.
Week and session
    ISO weeks, Monday start (``week_start``); a session is one athlete and date with a logged
    set (:mod:`analysis.volume`).
Volume load
    Σ reps × load_kg over working sets, both sides added (McBride et al. 2009).
"""

from analysis.plots.figure import reassessment_figure
from analysis.plots.running import plot_strength_pace, plot_weekly_pace
from analysis.plots.squad import plot_squad_heatmap
from analysis.plots.strength import plot_asymmetry, plot_e1rm
from analysis.plots.training import plot_adherence, plot_weekly_volume

__all__ = [
    "plot_adherence",
    "plot_asymmetry",
    "plot_e1rm",
    "plot_squad_heatmap",
    "plot_strength_pace",
    "plot_weekly_pace",
    "plot_weekly_volume",
    "reassessment_figure",
]

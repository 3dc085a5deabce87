"""The reassessment: block tables, verdicts and findings of one athlete or a squad.

:func:`reassess` runs every analysis once for one athlete and returns a frozen
:class:`Reassessment` (:func:`chart_tables`: the tables its charts draw, alone); :func:`reassess_squad` returns one per athlete of a squad with every
table computed once; :func:`squad_summary` and :func:`squad_findings` give the squad's overview. Definitions are in :mod:`analysis.reassessment.core`; the verdicts in
:mod:`.verdicts` (:func:`lift_status`) and :mod:`.balance` (:func:`asymmetry_status`); the
previous-vs-current block tables in :mod:`.blocks`; the plain-language findings in
:mod:`.findings`.
"""

from analysis.reassessment.balance import asymmetry_status
from analysis.reassessment.core import (
    Reassessment,
    chart_tables,
    reassess,
    reassess_squad,
    resolve_end,
    squad_findings,
    squad_summary,
)
from analysis.reassessment.verdicts import lift_status

__all__ = [
    "Reassessment",
    "asymmetry_status",
    "chart_tables",
    "lift_status",
    "reassess",
    "reassess_squad",
    "resolve_end",
    "squad_findings",
    "squad_summary",
]

"""The reassessment: block tables, verdicts and findings of one athlete or a squad.

:func:`reassess` runs every analysis once for one athlete and returns a frozen
:class:`Reassessment`; :func:`squad_summary` and :func:`squad_findings` do the same for every
athlete at once. Definitions are in :mod:`analysis.reassessment.core`; the previous-vs-current
block tables in :mod:`.blocks`; the plain-language findings in :mod:`.findings`.
"""

from analysis.reassessment.core import (
    Reassessment,
    reassess,
    resolve_end,
    squad_findings,
    squad_summary,
)

__all__ = ["Reassessment", "reassess", "resolve_end", "squad_findings", "squad_summary"]

"""liftpace: the 4-6-week reassessment of a runner's lower-body strength training.

Load logs with :func:`read_logs`, reassess one athlete with :func:`reassess` (or a squad with
:func:`squad_summary` and :func:`squad_findings`); the analyses behind it are one module per
quantity (:mod:`analysis.volume`, :mod:`analysis.frequency`, :mod:`analysis.progression`,
:mod:`analysis.symmetry`, :mod:`analysis.pace`, :mod:`analysis.correlate`...), the plots in
:mod:`analysis.plots` and the reports in :mod:`analysis.report`.
"""

from analysis.errors import LiftpaceError, LogFormatError, MissingColumnsError
from analysis.loaders import TrainingLog, read_logs
from analysis.reassessment import (
    Reassessment,
    reassess,
    resolve_end,
    squad_findings,
    squad_summary,
)

__version__ = "0.1.0"

__all__ = [
    "LiftpaceError",
    "LogFormatError",
    "MissingColumnsError",
    "Reassessment",
    "TrainingLog",
    "__version__",
    "read_logs",
    "reassess",
    "resolve_end",
    "squad_findings",
    "squad_summary",
]

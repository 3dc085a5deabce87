"""liftpace: the 4-6-week reassessment of a runner's lower-body strength training.

Load logs with :func:`read_logs`; analyse ``log.sets`` and ``log.runs`` with the functions of
:mod:`analysis.volume`, :mod:`analysis.progression`, :mod:`analysis.symmetry`,
:mod:`analysis.pace`, :mod:`analysis.correlate` and :mod:`analysis.reassess`.
"""

from analysis.errors import LiftpaceError, LogFormatError, LogValidationError, MissingColumnsError
from analysis.loaders import TrainingLog, read_logs

__version__ = "0.1.0"

__all__ = [
    "LiftpaceError",
    "LogFormatError",
    "LogValidationError",
    "MissingColumnsError",
    "TrainingLog",
    "__version__",
    "read_logs",
]

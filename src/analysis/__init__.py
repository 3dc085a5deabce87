"""liftpace: the 4-6-week reassessment of a runner's lower-body strength training.

Load logs with :func:`read_logs`, reassess one athlete with :func:`reassess` (or a squad with
:func:`squad_summary` and :func:`squad_findings`); the analyses behind it are one module per
quantity (:mod:`analysis.volume`, :mod:`analysis.frequency`, :mod:`analysis.progression`,
:mod:`analysis.symmetry`, :mod:`analysis.pace`, :mod:`analysis.correlate`...), the plots in
:mod:`analysis.plots` and the reports in :mod:`analysis.report`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from analysis.errors import LiftpaceError, LogFormatError, MissingColumnsError

if TYPE_CHECKING:
    from analysis.loaders import TrainingLog, read_logs
    from analysis.reassessment import (
        Reassessment,
        reassess,
        resolve_end,
        squad_findings,
        squad_summary,
    )

__version__ = "0.1.0"

#: Names imported on first use (the scientific Python ecosystem's SPEC 1, lazy loading):
#: ``import analysis`` alone imports no pandas, so the ``liftpace`` command can import it with
#: the garbage collector paused (:func:`analysis.cli.run`).
_LAZY = {
    "TrainingLog": "analysis.loaders", "read_logs": "analysis.loaders",
    "Reassessment": "analysis.reassessment", "reassess": "analysis.reassessment",
    "resolve_end": "analysis.reassessment", "squad_findings": "analysis.reassessment",
    "squad_summary": "analysis.reassessment",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """A name of :data:`_LAZY` from its module, or a submodule (``analysis.volume``), on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name.isidentifier() and not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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

"""Deterministic sample training logs: the committed files in ``data/sample_logs/`` and squads.

Everything is seeded with ``numpy.random.default_rng(seed)``: the same seed gives equal frames
and files with equal cell values (the workbooks are also byte-stable).

- :func:`write_samples` writes the committed sample set (12 weeks, four athletes in a coach's
  workbook, a clean and a messy copy, one runner's CSVs, ``manifest.json``, ``README.md``);
  the plan and the planted facts are documented in :mod:`analysis.sample.plan`, the workbook
  layout in :mod:`analysis.sample.workbook`.
- :func:`generate_squad` / :func:`write_squad` build about 1M sets for benchmarks
  (:mod:`analysis.sample.squad`).
"""

from analysis.sample.logs import planted_facts, write_club_workbook, write_samples
from analysis.sample.plan import ATHLETES, FIRST_MONDAY, RUNNER, generate_block, generate_runner
from analysis.sample.squad import generate_squad, squad_rows, write_squad

__all__ = [
    "ATHLETES",
    "FIRST_MONDAY",
    "RUNNER",
    "generate_block",
    "generate_runner",
    "generate_squad",
    "planted_facts",
    "squad_rows",
    "write_club_workbook",
    "write_samples",
    "write_squad",
]

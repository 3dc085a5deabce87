"""Reports: one athlete's reassessment, or a squad's, as an HTML page a coach sends and an Excel file.

* :mod:`.render`: ``liftpace report`` and ``liftpace squad`` (:func:`render_report`,
  :func:`render_squad`), rendered in this process and written atomically.
* :mod:`.parts`: what a report says, read off a Reassessment once (verdict strip, findings,
  suggestions, tables for people); the notebooks show the same parts.
* :mod:`.figures`: the charts as SVG with alt texts; :mod:`.html`: the Jinja2 pages;
  :mod:`.squad`: the squad page's triage and better-or-worse table.
* :mod:`.excel`: the formula-safe Excel writer and the workbooks of an athlete and a squad.
* :mod:`.display`: the same parts as rich displays for notebooks (:func:`summary`,
  :func:`charts`, :func:`tables`, :func:`squad`).
* :mod:`.notebook`: where the notebooks are, and running one headless.
"""

from analysis.report.display import Display, charts, squad, summary, tables
from analysis.report.excel import (
    ABOUT_SHEET,
    Sheet,
    athlete_workbook,
    excel_safe,
    people_sheet,
    report_tables,
    squad_workbook,
    write_excel,
)
from analysis.report.notebook import notebook_path, run_notebook
from analysis.report.render import (
    SquadReport,
    match_athlete,
    render_report,
    render_squad,
    slug,
    write_files,
)

__all__ = [
    "ABOUT_SHEET",
    "Display",
    "Sheet",
    "SquadReport",
    "athlete_workbook",
    "charts",
    "excel_safe",
    "match_athlete",
    "notebook_path",
    "people_sheet",
    "render_report",
    "render_squad",
    "report_tables",
    "run_notebook",
    "slug",
    "squad",
    "squad_workbook",
    "summary",
    "tables",
    "write_excel",
    "write_files",
]

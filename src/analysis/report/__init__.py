"""Reports: a reassessment or a squad overview as offline HTML plus an Excel summary.

* :mod:`.render`: ``liftpace report`` and ``liftpace squad`` (:func:`render_report`,
  :func:`render_squad`).
* :mod:`.notebook`: run a notebook with parameters, record metadata, export offline HTML;
  notebook display helpers (:func:`findings_markdown`).
* :mod:`.excel`: the formula-safe Excel writer and the sheets of a reassessment.
"""

from analysis.report.excel import ABOUT_SHEET, excel_safe, report_tables, write_excel
from analysis.report.notebook import (
    METADATA_MIME,
    findings_markdown,
    html_escape_text,
    notebook_path,
    notebook_to_html,
    record_metadata,
    run_notebook,
)
from analysis.report.render import (
    REPORT_NOTEBOOK,
    SQUAD_NOTEBOOK,
    render_report,
    render_squad,
    slug,
)

__all__ = [
    "ABOUT_SHEET",
    "METADATA_MIME",
    "REPORT_NOTEBOOK",
    "SQUAD_NOTEBOOK",
    "excel_safe",
    "findings_markdown",
    "html_escape_text",
    "notebook_path",
    "notebook_to_html",
    "record_metadata",
    "render_report",
    "render_squad",
    "report_tables",
    "run_notebook",
    "slug",
    "write_excel",
]

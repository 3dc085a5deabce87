"""What a notebook shows: the report's own parts, as rich displays.

``report.summary(r)``, ``report.charts(r)`` and ``report.squad(...)`` return objects that
JupyterLab draws as HTML (``_repr_html_``) from the same parts, templates and charts as the
HTML report, so the runner in JupyterLab and the coach's file say the same thing. Each also
has a plain-text form for a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Display", "charts", "squad", "summary", "tables"]


@dataclass
class Display:
    """HTML for a notebook, text for a terminal."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def summary(r: Any, *, phase: str | None = None) -> Display:
    """The first screen of the report: verdict strip, the findings that matter, suggestions."""
    from analysis.report.html import render_page
    from analysis.report.parts import report_parts

    parts = report_parts(r, phase=phase)
    html = render_page("summary.html.j2", title=parts.title, p=parts)
    lines = [parts.title, *(f"{a.symbol} {a.name}: {a.word}. {a.sentence}" for a in parts.areas), "",
             *(f"- {it.text}" for it in parts.key_findings), "", *(f"> {s}" for s in parts.suggestions)]  # fmt: skip
    return Display(html, "\n".join(lines))


def charts(r: Any) -> Display:
    """The report's charts (SVG, with their alt texts and captions)."""
    from analysis.report.figures import report_charts
    from analysis.report.html import render_page

    found = report_charts(r)
    html = render_page("charts.html.j2", title="charts", charts=found)
    return Display(html, "\n".join(f"{c.title}: {c.alt}" for c in found) or "Nothing to chart yet.")


def tables(r: Any) -> dict[str, pd.DataFrame]:
    """The report's tables for people (display names, units, m:ss, "–" for missing)."""
    from analysis.report.parts import report_parts

    return report_parts(r).tables


def squad(reassessments: Mapping[str, Any], *, unassigned: list[str] | None = None) -> Display:
    """The squad page's triage and better-or-worse table, from every athlete's reassessment."""
    from analysis.report.html import render_page
    from analysis.report.parts import report_areas
    from analysis.report.squad import squad_parts, triage_table

    areas = {name: report_areas(r) for name, r in reassessments.items()}
    s = squad_parts(reassessments, areas, {}, unassigned=unassigned or [])
    html = render_page("squad_summary.html.j2", title=s.title, s=s)
    return Display(html, triage_table(s).to_string(index=False))

"""The report notebooks: structure (no outputs, one parameters cell, only package calls) and
execution with papermill on the sample logs, with injected parameters."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import nbformat
import openpyxl
import pytest

from analysis.report import run_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SAMPLES = ROOT / "data" / "sample_logs"
CONTRACT = {"paths", "athlete", "weeks", "end", "weight_unit", "timezone", "excel_out"}
EXTRA = {"01_reassessment": {"phases"}}  # parameters one notebook adds to the shared contract
MAX_CALLS = 3


def test_the_three_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_reassessment.ipynb", "02_squad_overview.ipynb", "03_data_quality.ipynb",
    ]  # fmt: skip


def package_names(imports_cell: str) -> set[str]:
    """Names the imports cell binds from the analysis package."""
    names = set()
    for node in ast.walk(ast.parse(imports_cell)):
        if isinstance(node, ast.Import):
            names |= {
                a.asname or a.name.split(".")[0]
                for a in node.names
                if a.name.startswith("analysis")
            }
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
            names |= {a.asname or a.name for a in node.names}
    return names


def root_name(func: ast.expr) -> str | None:
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = nb.cells
    assert cells[0].cell_type == "markdown"
    assert cells[0].source.startswith("# ")
    code = [c for c in cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "committed with outputs"
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert code[1] is tagged[0], "the imports cell, then the parameters cell"
    assigned = {t.id for n in ast.parse(tagged[0].source).body for t in n.targets}
    assert assigned == CONTRACT | EXTRA.get(path.stem, set())
    imports = ast.parse(code[0].source).body
    assert all(isinstance(n, ast.Import | ast.ImportFrom) for n in imports), "ONE imports cell"
    package = package_names(code[0].source)
    for cell in code[2:]:
        tree = ast.parse(cell.source)
        banned = [n for n in ast.walk(tree) if isinstance(
            n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.For | ast.While
            | ast.Lambda | ast.ListComp | ast.Import | ast.ImportFrom)]  # fmt: skip
        assert not banned, f"{path.name}: no def/class/loops/imports in cells: {cell.source!r}"
        calls = [
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and root_name(n.func) in package
        ]
        assert len(calls) <= MAX_CALLS, cell.source
    # sections: every code cell after the parameters is followed by a markdown reading
    after = cells[cells.index(tagged[0]) + 1 :]
    for here, following in itertools.pairwise(after):
        if here.cell_type == "code":
            assert following.cell_type == "markdown", here.source


def sheet_text(path: Path, sheet: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = book[sheet].iter_rows(values_only=True)
    return "\n".join(" | ".join("" if v is None else str(v) for v in row) for row in rows)


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts += [str(v) for k, v in out.get("data", {}).items() if k.startswith("text/")]
            parts.append(out.get("text", ""))
    return "\n".join(parts)


@pytest.mark.slow
def test_reassessment_notebook_six_weeks_for_chloe(tmp_path: Path) -> None:
    xlsx = tmp_path / "chloe.xlsx"
    nb = run_notebook(
        ROOT / "notebooks" / "01_reassessment.ipynb",
        {
            "paths": [str(SAMPLES / "coach_workbook.xlsx")],
            "athlete": "Chloe Dubois",
            "weeks": 6,
            "end": "2026-11-22",
            "excel_out": str(xlsx),
        },
    )
    text = outputs_text(nb)
    assert "Chloe Dubois: strength reassessment, 12 Oct – 22 Nov 2026" in text
    assert "Consistency: Below target" in text  # the same verdict strip as the report
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]  # fmt: skip
    assert any("data:image/svg+xml;base64," in h for h in html)  # the report's charts
    assert any('class="verdict' in h for h in html)
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[-1] == "About"
    assert "Plan vs done" in book.sheetnames
    assert "athlete | Chloe Dubois" in sheet_text(xlsx, "About")
    assert "3 of 6 weeks below the target" in sheet_text(xlsx, "Findings")


@pytest.mark.slow
def test_squad_notebook_triage(tmp_path: Path) -> None:
    xlsx = tmp_path / "squad.xlsx"
    nb = run_notebook(
        ROOT / "notebooks" / "02_squad_overview.ipynb",
        {"paths": [str(SAMPLES / "coach_workbook.xlsx")], "weeks": 4, "excel_out": str(xlsx)},
    )
    text = outputs_text(nb)
    assert "stalled: Goblet squat" in text
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames == ["Summary", "About"]
    assert "Chloe Dubois | sessions_per_week | 1.75 | 1.25" in sheet_text(xlsx, "Summary")


@pytest.mark.slow
def test_data_quality_notebook_lists_problems(tmp_path: Path) -> None:
    xlsx = tmp_path / "quality.xlsx"
    nb = run_notebook(
        ROOT / "notebooks" / "03_data_quality.ipynb",
        {
            "paths": [str(SAMPLES / "coach_workbook_messy.xlsx"), str(SAMPLES / "runner_runs.csv")],
            "excel_out": str(xlsx),
        },
    )
    assert "unit written in the cell; converted to kg" in outputs_text(nb)
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames == [
        "Files", "Problem summary", "Problems", "About",
    ]  # fmt: skip
    files = sheet_text(xlsx, "Files")
    assert "coach_workbook_messy.xlsx" in files
    assert "runner_runs.csv" in files

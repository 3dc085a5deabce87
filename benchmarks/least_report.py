"""The libraries' least for one athlete's report, as a fresh process (issue 20).

``bench_report.py`` runs this beside ``liftpace report`` and the papermill floor. It does what
the report cannot do without, with nothing of liftpace's own: start Python, import pandas,
read every sheet of the workbook with calamine, and then, split over two processes as the
report is, save figures of the same number of empty panels as SVG (a process forked at the
start imports matplotlib meanwhile) and write the same cells with openpyxl and no styles.
No checks, no judging, no data in the charts, no page. If this least is near the floor,
the one-report target leaves liftpace no time for its own work.

Run: ``python benchmarks/least_report.py WORKBOOK SPEC.json OUT_FOLDER`` where ``SPEC.json`` holds
``{"panels": [panels per chart], "sheets": {title: [[header...], [row...], ...]}}`` (written by
``bench_report.py`` from the real report of the same athlete).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path


def _draw(panels: list[int]) -> None:
    from matplotlib.figure import Figure

    for k in panels:
        fig = Figure(figsize=(10, 2.4 * ((k + 2) // 3)))
        for i in range(k):
            fig.add_subplot((k + 2) // 3, min(3, k), i + 1)
        fig.savefig(io.BytesIO(), format="svg")


def main(workbook: str, spec_path: str, out: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    child = os.fork() if hasattr(os, "fork") else None
    if child == 0:  # the drawing process, as the report's page worker
        _draw(spec["panels"])
        os._exit(0)
    import pandas as pd

    pd.read_excel(workbook, sheet_name=None, header=None, engine="calamine")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in spec["sheets"].items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    book.save(Path(out) / "least.xlsx")
    if child is None:
        _draw(spec["panels"])
    else:
        os.waitpid(child, 0)


if __name__ == "__main__":
    main(*sys.argv[1:4])

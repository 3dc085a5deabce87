"""Names from files are text everywhere: in the pages, the charts, the Excel files, the terminal.

A crafted log names its athletes and exercises with HTML, a URL (markdown would autolink it),
matplotlib mathtext, a right-to-left override and a terminal escape; another log has a file
name that is not UTF-8. The squad renders every athlete, and nothing is interpreted.
"""

from __future__ import annotations

import base64
import os
import re
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis import report
from analysis.cli import main

NAMES = {
    "html": "<script>alert(1)</script> Kim",
    "url": "http://evil.example/x",
    "math": "$\\alpha$ Runner",
    "rtl": "Rex \u202egnp.exe",
}
EXERCISE = "$x^2$ squat"  # not in the catalog: kept as written, and drawn as a chart title


def _log(path: Path, athletes: list[str]) -> Path:
    days = pd.date_range("2026-08-31", periods=16, freq="3D12h").normalize()
    rows = []
    for a, name in enumerate(athletes):
        for i, day in enumerate(days):
            for exercise in ("Goblet squat", EXERCISE):
                rows.append({"athlete": name, "date": day.date(), "exercise": exercise, "side": "both",
                             "set_index": 1, "reps": 8, "load_kg": 20.0 + a + 2.5 * (i // 4)})  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _svgs(html: str) -> list[str]:
    return [base64.b64decode(m).decode("utf-8") for m in re.findall(r'data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)', html)]


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_hostile_names_stay_text(tmp_path: Path) -> None:
    log = _log(tmp_path / "squad.csv", list(NAMES.values()))
    done = report.render_squad([log], out=tmp_path / "out", jobs=1, progress=False)
    assert not done.failures
    assert len(done.athletes) == len(NAMES)
    index = done.index.read_text(encoding="utf-8")
    assert "<script>alert" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kim" in index
    assert 'href="http://evil' not in index  # a URL in a name is never a link
    assert "\u202e" not in index  # the override is replaced, not obeyed
    for _name, (html_path, xlsx_path) in done.athletes.items():
        page = html_path.read_text(encoding="utf-8")
        assert "<script" not in page
        assert "href=" not in page.replace('href="#', "")  # no link at all in a report
        svgs = _svgs(page)
        assert svgs
        assert any("X 2 squat" in svg for svg in svgs)  # an unknown lift keeps a plain key
        cells = [c.value for ws in openpyxl.load_workbook(xlsx_path) for row in ws.iter_rows() for c in row]
        assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [p.name for pair in done.athletes.values() for p in pair] + ["index.html", done.xlsx.name]
    )  # every file inside the output folder, named by its slug


def test_charts_never_typeset_mathtext() -> None:
    from analysis.plots.charts import lift_chart
    from analysis.report.figures import svg_uri

    e1rm = pd.DataFrame({"date": pd.to_datetime(["2026-11-02", "2026-11-09"]), "exercise": "$x^2$",
                         "side": "both", "e1rm_kg": [50.0, 52.5]})  # fmt: skip
    svg = base64.b64decode(svg_uri(lift_chart(e1rm)).split(",", 1)[1]).decode("utf-8")
    assert "$x^2$" in svg  # drawn as the text it is


@pytest.mark.skipif(sys.platform != "linux", reason="non-UTF-8 file names need a byte file system")
def test_non_utf8_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9-log.csv"
    path = Path(os.fsdecode(raw))
    _log(path, ["Zoe Bell"])
    assert main(["squad", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out
    assert "zoe-bell" in out
    page = (tmp_path / "out" / "zoe-bell-2026-10-22.html").read_text(encoding="utf-8")
    assert "caf\ufffd-log.csv" in page  # shown with a replacement character, not a crash


def test_terminal_escapes_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _log(tmp_path / "x.csv", ["Ana"])
    code = main(["report", str(log), "--athlete", "An\x1b]0;pwned\x07a", "--out", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert err.count("\n") == 1  # one line


def test_squad_of_only_unassigned_files_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "Activities.csv"
    runs.write_text("Date,Type,Distance (km),Duration\n2026-09-02,Easy,9.3,56:01\n", encoding="utf-8")
    assert main(["squad", str(runs), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "no strength sets of a named athlete" in err
    assert "Activities.csv=NAME" in err
    assert not (tmp_path / "out" / "activities.html").exists()
    assert np.isfinite(1.0)

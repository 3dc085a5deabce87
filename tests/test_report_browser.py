"""The HTML report and the squad page in headless Chromium: screenshots, the DOM, print to PDF.

Needs the Debian package ``chromium``. Without it the test is skipped, unless the environment
variable ``CI`` is set (``.ci/run`` installs it), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest

from analysis import report

WORKBOOK = Path(__file__).resolve().parents[1] / "data" / "sample_logs" / "coach_workbook.xlsx"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Page(HTMLParser):
    """Collect images' attributes, links, verdict areas and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.image_attrs: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.areas: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.image_attrs.append(found)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if "verdict" in (found.get("class") or "").split() and found.get("data-area"):
            self.areas.append(found["data-area"] or "")
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; CI must install it (see .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium) - browser check skipped")
    return found


def _run(browser: str, tmp: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={tmp / name}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="module")
def squad(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("reports")
    return report.render_squad([WORKBOOK], out=out, progress=False)


def _images(dom: str) -> list[dict[str, str | None]]:
    parsed = _Page()
    parsed.feed(dom)
    return parsed.image_attrs


@pytest.mark.slow
def test_report_and_index_in_chromium(tmp_path: Path, squad) -> None:
    browser = _chromium()
    page, _ = squad.athletes["Ana Lopez"]
    for path, size in ((page, (1200, 3000)), (squad.index, (1200, 1400))):
        url = path.resolve().as_uri()
        shot = tmp_path / f"{path.stem}.png"
        _run(browser, tmp_path, f"shot-{path.stem}", f"--screenshot={shot}",
             f"--window-size={size[0]},{size[1]}", url)  # fmt: skip
        pixels = matplotlib.image.imread(shot)
        assert pixels.shape[:2] == (size[1], size[0])
        assert pixels[..., :3].std() > 0.02  # not a blank page
    dom = _run(browser, tmp_path, "dom-report", "--dump-dom", page.resolve().as_uri()).stdout
    parsed = _Page()
    parsed.feed(dom)
    text = " ".join(parsed.text)
    assert "Ana Lopez" in text
    assert "26 Oct – 22 Nov 2026" in text
    assert parsed.areas == ["Strength", "Single-leg balance", "Consistency", "Running"]
    assert len(parsed.image_attrs) >= 3
    for attrs in parsed.image_attrs:
        src, alt = attrs.get("src") or "", attrs.get("alt") or ""
        assert src.startswith("data:image/svg+xml;base64,")
        assert len(alt) > 60
        assert "No description" not in alt
    for word in ("Traceback", "Exception", "<NA>", "NaN"):
        assert word not in text
    index = _run(browser, tmp_path, "dom-index", "--dump-dom", squad.index.resolve().as_uri()).stdout
    parsed = _Page()
    parsed.feed(index)
    text = " ".join(parsed.text)
    assert "Who needs attention first" in text
    assert parsed.links[:1] == ["ben-carter-2026-11-22.html"]  # the stall ranks first


@pytest.mark.slow
def test_report_prints_to_a4_pdf(tmp_path: Path, squad) -> None:
    browser = _chromium()
    page, _ = squad.athletes["Chloe Dubois"]
    pdf = tmp_path / "report.pdf"
    _run(browser, tmp_path, "pdf", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.resolve().as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", data)
    assert len(boxes) >= 3  # clean pages, not one endless sheet
    for width, height in boxes:
        assert abs(float(width) - 595.3) < 1.5
        assert abs(float(height) - 841.9) < 1.5

"""The HTML report in headless Chromium: every chart renders, no error text, nothing remote.

Needs the Debian package ``chromium``. Without it the test is skipped, unless the environment
variable ``CI`` is set (``.ci/run`` installs it), where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest

from analysis import report

FIXTURE = Path(__file__).parent / "data" / "report_fixture.ipynb"
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
    """Collect ``<img>`` sources and the visible text (not scripts or styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
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


@pytest.mark.slow
def test_report_renders_in_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    log = tmp_path / "log.csv"
    log.write_text("athlete\nAna\n")
    page, _ = report.render_report(
        [log], athlete="Ana López", out=tmp_path / "reports", notebook=FIXTURE
    )
    url = page.resolve().as_uri()
    shot = tmp_path / "shot.png"
    _run(browser, tmp_path, "profile-shot", f"--screenshot={shot}", "--window-size=1200,3000", url)
    dom = _run(browser, tmp_path, "profile-dom", "--dump-dom", url).stdout

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (3000, 1200)
    assert pixels[..., :3].std() > 0.02  # not a blank page

    parsed = _Page()
    parsed.feed(dom)
    assert len(parsed.images) == 1  # the fixture draws one chart
    for src in parsed.images:
        assert src.startswith("data:image/png;base64,")
        chart = matplotlib.image.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        assert chart.shape[0] > 100
        assert chart[..., :3].std() > 0.02  # the chart has content
    text = " ".join(parsed.text)
    assert "Reassessment: Ana López, 4 weeks to 2024-05-26" in text
    for word in ("Traceback", "Error", "Exception"):
        assert word not in text

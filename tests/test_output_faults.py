"""Output faults (issue 16): a write that fails is one line naming the path and the cause, exit 1,
and nothing half-written under a final name; a symlink in ``--out`` is replaced, never followed.

Each case runs ``liftpace report`` in a fresh process on the committed sample logs, with the fault
made for real: a file-size limit (``RLIMIT_FSIZE``, what a full disk or a quota looks like to the
writer: ``EFBIG``/``ENOSPC`` from ``write``), an output folder that cannot be created, a read-only
folder, and a symlink planted at the report's final name.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fresh liftpace process per fault: in make test, not in make test-fast

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "sample_logs"
LOGS = [str(SAMPLES / "runner_strength.csv"), str(SAMPLES / "runner_runs.csv")]
STEM = "sam-runner-2026-11-22"


def liftpace(out: Path, *, fsize: int | None = None, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # in the child, before exec: a real file-size limit
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", "report", *LOGS, "--athlete", "Sam Runner", "--out", str(out)],
        capture_output=True, text=True, preexec_fn=limit, timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **({"TMPDIR": str(tmp)} if tmp else {})},
    )  # fmt: skip


def assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[0].startswith("liftpace: ")
    for word in words:
        assert word in lines[0]


def test_file_size_limit_leaves_nothing_under_a_final_name(tmp_path: Path) -> None:
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    done = liftpace(out, fsize=20_000, tmp=tmp)  # the reports are far larger
    assert_one_line_error(done, "could not write to", str(out), "too large")
    assert sorted(p.name for p in out.iterdir()) == []  # no pair half-written, no temporary file left
    assert sorted(p.name for p in tmp.iterdir()) == []  # nor the Excel writer's sheet streams


def test_output_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = liftpace(blocker / "reports")
    assert_one_line_error(done, "could not create the output folder", str(blocker / "reports"))
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        done = liftpace(out)
        assert_one_line_error(done, "could not write to", str(out), "ermission denied")
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o755)


def test_symlink_at_the_final_name_is_replaced_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    (out / f"{STEM}.html").symlink_to(outside)
    (out / f"{STEM}.xlsx").symlink_to(outside)
    done = liftpace(out)
    assert done.returncode == 0, done.stderr
    assert outside.read_text() == "keep me"
    for suffix in (".html", ".xlsx"):
        written = out / f"{STEM}{suffix}"
        assert written.is_file()
        assert not written.is_symlink()
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.html", f"{STEM}.xlsx"]

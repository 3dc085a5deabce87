"""The wheel renders a report: build it, install it into a fresh venv, run ``liftpace report``.

The notebooks the reports run ship inside the package (``src/analysis/notebooks`` is a symlink to
``notebooks/``; ``pyproject.toml`` lists ``notebooks/*.ipynb`` as package data), so an installed
wheel must work away from a source checkout. The fresh venv has no access to this environment's
site-packages, so the editable install of the checkout cannot stand in for the wheel; the test
checks that ``analysis`` is imported from the new venv. Dependencies come through pip as usual
(its cache makes the second run faster); without an index to install them from, the test is
skipped and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "sample_logs"
NOTEBOOK = "analysis/notebooks/01_reassessment.ipynb"
CATALOG = "analysis/data/exercises.csv"
# what pip prints when it cannot reach or find a dependency: then the test skips
OFFLINE = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)
# the checkout's top-level folders a wheel build does not need: caches, venvs, outputs, tests
NOT_COPIED = {".git", "build", "dist", "reports", "tests", "benchmarks", "data", "docs"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {
        n
        for n in names
        if (top and (n in NOT_COPIED or n.startswith(".venv")))
        or n in ("__pycache__", ".hypothesis")
        or n.endswith((".egg-info", "_cache"))
    }


def _run(args: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **kwargs
    )


def _clean_env() -> dict[str, str]:
    """This process's environment without anything that points Python at this checkout."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _skip_if_offline(proc: subprocess.CompletedProcess[str], what: str) -> None:
    if proc.returncode == 0:
        return
    lines = [ln for ln in proc.stderr.splitlines() if any(s in ln for s in OFFLINE)]
    if lines:
        pytest.skip(f"{what}: pip cannot get a dependency without a package index: {lines[0]}")
    pytest.fail(f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the checkout (no build/ or egg-info left in the tree)."""
    src = tmp_path_factory.mktemp("source") / "liftpace"
    shutil.copytree(ROOT, src, symlinks=True, ignore=_ignore)
    assert (src / "src" / "analysis" / "notebooks").is_symlink()
    out = tmp_path_factory.mktemp("wheel")
    args = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, src]
    _skip_if_offline(_run(args, env=_clean_env()), "building the wheel")
    (found,) = out.glob("liftpace-*.whl")
    return found


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")  # one worker builds the wheel once for both tests
def test_wheel_holds_the_notebooks_and_the_catalog(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {NOTEBOOK, CATALOG, "analysis/py.typed"} <= names
        assert {f"analysis/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")} <= (
            names
        )
        info = zf.getinfo(NOTEBOOK)
        assert not stat.S_ISLNK(info.external_attr >> 16), "the notebook is a symlink in the wheel"
        data = zf.read(NOTEBOOK)
        assert data == (ROOT / "notebooks" / "01_reassessment.ipynb").read_bytes()
        assert json.loads(data)["cells"]
        assert zf.read(CATALOG) == (ROOT / "src" / CATALOG).read_bytes()
        assert not [n for n in names if n.startswith(("tests/", "notebooks/", "data/"))]


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")
def test_wheel_in_a_fresh_venv_renders_a_report(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    venv = tmp_path_factory.mktemp("venv") / "env"
    # `python -m venv` from inside a venv builds on the base interpreter (sys._base_executable),
    # and without --system-site-packages: nothing of this environment is visible in the new one
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], env=_clean_env())
    assert made.returncode == 0, made.stderr
    cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in cfg
    assert f"home = {Path(sys._base_executable).parent}" in cfg
    python = venv / "bin" / "python"
    # this environment's pip installs into the new venv (--python): no ensurepip, and no
    # byte-compiling of every dependency (only what the report imports gets compiled): 4x faster
    pip = [sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check"]
    install = _run([*pip, "install", "--quiet", "--no-compile", wheel], env=_clean_env())
    _skip_if_offline(install, "installing the wheel into a fresh venv")

    away = tmp_path_factory.mktemp("elsewhere")  # not the checkout: no src/ or notebooks/ near
    assert ROOT not in away.parents
    env = _clean_env()
    where = _run([python, "-c", "import analysis; print(analysis.__file__)"], cwd=away, env=env)
    assert where.returncode == 0, where.stderr
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env=env)
    module = Path(where.stdout.strip())
    assert module.is_relative_to(Path(site.stdout.strip())), module
    assert module.is_relative_to(venv), module
    assert not module.is_relative_to(ROOT), module

    out = away / "reports"
    logs = [SAMPLES / "runner_strength.csv", SAMPLES / "runner_runs.csv"]
    args = ["report", *logs, "--athlete", "Sam Runner", "--out", out]
    report = _run([venv / "bin" / "liftpace", *args], cwd=away, env=env, timeout=600)
    assert report.returncode == 0, report.stdout + report.stderr
    html, xlsx = sorted(out.glob("sam-runner-*.html")), sorted(out.glob("sam-runner-*.xlsx"))
    assert len(html) == 1, sorted(out.iterdir())
    assert len(xlsx) == 1, sorted(out.iterdir())
    assert "Sam Runner" in html[0].read_text(encoding="utf-8")
    assert f"wrote {html[0]}" in report.stdout, report.stdout

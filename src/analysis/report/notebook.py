"""liftpace's notebooks: where they are, and running one with parameters.

Reports do not run notebooks (:mod:`analysis.report.render` renders them in process); the
notebooks show the same parts to a runner in JupyterLab. :func:`run_notebook` executes one
headless, for tests and for people who script their notebooks; it needs the ``lab`` extra
(papermill and ipykernel).

Execution
    Each notebook runs in its own ipykernel started with this interpreter (``sys.executable``),
    whatever kernelspecs are installed, with the notebook's folder as working directory (as in
    JupyterLab); all paths passed in should be absolute.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import LiftpaceError

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["notebook_path", "run_notebook"]

def notebook_path(name: str) -> Path:
    """Path of one of liftpace's notebooks, shipped inside the package.

    The notebooks live in the repository's ``notebooks/`` folder; the package's ``notebooks``
    entry points there in a source checkout and holds copies in an installed wheel, so
    ``liftpace report`` works either way.

    Parameters
    ----------
    name : str
        File name, with or without ``.ipynb`` (e.g. ``"01_reassessment"``).

    Returns
    -------
    pathlib.Path
        Absolute path of the notebook file.

    Raises
    ------
    LiftpaceError
        If the notebook is not there.

    Examples
    --------
    >>> notebook_path("01_reassessment").name
    '01_reassessment.ipynb'
    >>> notebook_path("no_such_notebook")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected one of ['01_reassessment.ipynb', ...] in ..., got 'no_such_notebook' instead
    """
    folder = Path(str(resources.files("analysis") / "notebooks"))
    if not folder.is_dir():
        raise LiftpaceError(
            f"liftpace's notebooks are missing from the installation; looked in {folder}"
        )
    path = folder / (name if name.endswith(".ipynb") else f"{name}.ipynb")
    if not path.is_file():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        raise LiftpaceError(f"expected one of {found} in {folder}, got {name!r} instead")
    return path


@functools.cache
def _this_python_kernel_manager() -> type:
    """An AsyncKernelManager that always starts ipykernel with ``sys.executable``."""
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisPythonKernelManager(AsyncKernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self) -> str:
            # CurveZMQ keys when available: private traffic and no plain-TCP warning on stderr
            return "auto" if zmq.has("curve") else "disabled"

        @property
        def kernel_spec(self) -> KernelSpec:
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return self._kernel_spec

    return ThisPythonKernelManager


def run_notebook(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    *,
    out_ipynb: str | Path | None = None,
    timeout: float = 300,
    kernel_name: str | None = None,
) -> NotebookNode:
    """Execute a notebook with papermill, injecting ``parameters`` after its ``parameters`` cell.

    Parameters
    ----------
    notebook : str or pathlib.Path
        The ``.ipynb`` file; it runs with its own folder as working directory.
    parameters : mapping
        Values papermill can write as Python literals (str, int, float, bool, None, lists, dicts).
    out_ipynb : str or pathlib.Path, default=None
        Where to save the executed notebook (also saved when a cell fails); None: not saved.
    timeout : float, default=300
        Seconds one cell may run.
    kernel_name : str, default=None
        None runs ipykernel with this Python interpreter, ignoring installed kernelspecs;
        a name uses that installed kernelspec.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (also written to ``out_ipynb`` when given).

    Raises
    ------
    LiftpaceError
        If the notebook is missing, a cell raises (the message names the notebook, the cell and
        the exception's last line), a cell exceeds ``timeout``, the kernel dies or is unknown.

    Examples
    --------
    Usage (it starts a kernel, so it is not run as a doctest)::

        nb = run_notebook("notebooks/01_reassessment.ipynb", {"athlete": "Ana Lopez"})

    A missing notebook fails before any kernel starts:

    >>> run_notebook("no_such_notebook.ipynb", {})
    Traceback (most recent call last):
    ...
    analysis.errors.LiftpaceError: expected a notebook file, got 'no_such_notebook.ipynb' instead (not found)
    """
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    path = Path(notebook).resolve()
    if not path.is_file():
        raise LiftpaceError(f"expected a notebook file, got {str(notebook)!r} instead (not found)")
    engine: dict[str, Any] = {}
    if kernel_name is None:
        engine["kernel_manager_class"] = _this_python_kernel_manager()
    try:
        nb = papermill.execute_notebook(
            str(path),
            None if out_ipynb is None else str(out_ipynb),
            parameters=dict(parameters),
            kernel_name=kernel_name or "python3",
            language="python",
            progress_bar=False,
            log_output=False,
            # the kernel's working directory, without papermill's process-wide chdir (threads)
            resources={"metadata": {"path": str(path.parent)}},
            execution_timeout=timeout,
            **engine,
        )
    except papermill.PapermillExecutionError as exc:
        original = nbformat.read(path, as_version=4).cells
        index = next((i for i, c in enumerate(original) if c.source == exc.source), None)
        where = "the injected parameters cell" if index is None else f"cell {index + 1}"
        first = next((ln.strip() for ln in exc.source.splitlines() if ln.strip()), "")
        last = _strip_ansi(f"{exc.ename}: {exc.evalue}".strip())
        raise LiftpaceError(f"notebook {path.name} failed in {where} ({first!r}): {last}") from exc
    except CellTimeoutError as exc:
        raise LiftpaceError(
            f"notebook {path.name}: a cell ran longer than the {timeout:g} s limit (timeout=)"
        ) from exc
    except DeadKernelError as exc:
        raise LiftpaceError(f"notebook {path.name}: the kernel died (out of memory?)") from exc
    except NoSuchKernel as exc:
        raise LiftpaceError(
            f"expected an installed Jupyter kernel, got kernel_name={kernel_name!r} instead; "
            f"leave kernel_name unset to run with this Python ({sys.executable})"
        ) from exc
    return nb


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)

"""Notebooks: run one with parameters, record metadata from inside it, export it as offline HTML.

:mod:`analysis.report` builds ``liftpace report`` and ``liftpace squad`` on these functions
(its module docstring holds the notebook contract); they are re-exported there.

Definitions
-----------
Execution
    Each notebook runs in its own ipykernel started with this interpreter (``sys.executable``),
    whatever kernelspecs are installed, with the notebook's folder as working directory (as in
    JupyterLab); all paths passed in are absolute.
Metadata record
    :func:`record_metadata` writes a display output of MIME type :data:`METADATA_MIME`;
    :func:`run_notebook` moves it into ``nb.metadata["liftpace"]`` and deletes the output, so it
    never reaches the HTML.
Self-contained HTML
    nbconvert's ``lab`` template without the require.js, MathJax, mermaid and widget
    ``<script src=...>`` blocks (so LaTeX in markdown is not typeset); code cells, prompts,
    stderr streams and cells tagged ``remove-cell`` (outputs tagged ``remove-output``) removed.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.errors import LiftpaceError

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "METADATA_MIME",
    "findings_markdown",
    "html_escape_text",
    "notebook_path",
    "notebook_to_html",
    "record_metadata",
    "run_notebook",
]

#: MIME type of the display output written by :func:`record_metadata`.
METADATA_MIME = "application/vnd.liftpace.metadata+json"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_REMOTE_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>.*?</script\s*>"
    r"|<(?:link|img|iframe)\b[^>]*\b(?:href|src)\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
"""


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
        The executed notebook; :func:`record_metadata` values are in ``nb.metadata["liftpace"]``.

    Raises
    ------
    LiftpaceError
        If the notebook is missing, a cell raises (the message names the notebook, the cell and
        the exception's last line), a cell exceeds ``timeout``, the kernel dies or is unknown.

    Examples
    --------
    Usage (it starts a kernel, so it is not run as a doctest)::

        nb = run_notebook("report_fixture.ipynb", {"athlete": "Ana"})
        nb.metadata["liftpace"]  # what the notebook recorded, e.g. {'end': '2024-05-26'}

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
    _collect_metadata(nb)
    if out_ipynb is not None:
        nbformat.write(nb, str(out_ipynb))
    return nb


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _collect_metadata(nb: NotebookNode) -> None:
    """Move :data:`METADATA_MIME` outputs into ``nb.metadata["liftpace"]`` (in place)."""
    record = nb.metadata.setdefault("liftpace", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if METADATA_MIME in output.get("data", {}):
                record.update(output["data"][METADATA_MIME])
            else:
                kept.append(output)
        cell.outputs = kept


def record_metadata(**values: Any) -> None:
    """Record report metadata (e.g. ``end="2024-05-26"``) from inside a report notebook.

    Outside a Jupyter kernel it does nothing.

    Parameters
    ----------
    **values
        JSON-serialisable values; :func:`run_notebook` merges them into
        ``nb.metadata["liftpace"]``.

    Raises
    ------
    LiftpaceError
        If a value is not JSON-serialisable.

    Examples
    --------
    >>> record_metadata(end="2024-05-26", athletes=["Ana Lopez"])
    """
    try:
        json.dumps(values, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise LiftpaceError(f"expected JSON values to record, got {values!r} instead") from exc
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    if InteractiveShell.initialized():
        display({"text/plain": "", METADATA_MIME: values}, raw=True)


def html_escape_text(s: object) -> str:
    """Escape user text (athlete names, file names) for a notebook's markdown output.

    HTML metacharacters become entities and markdown/math metacharacters get a backslash, so
    the text shows literally; whitespace runs (newlines too) become one space.

    Parameters
    ----------
    s : object
        The text; non-strings are converted with ``str``.

    Returns
    -------
    str
        Text safe to put inside markdown.

    Examples
    --------
    >>> print(html_escape_text("<b>Ana</b> *x*"))
    &lt;b&gt;Ana&lt;/b&gt; \\*x\\*
    """
    one_line = " ".join(str(s).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", one_line), quote=True)


def notebook_to_html(nb: NotebookNode, out_html: str | Path, *, title: str) -> Path:
    """Write an executed notebook as a self-contained, offline HTML page without code.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (not modified).
    out_html : str or pathlib.Path
        Output file; its folder is created.
    title : str
        The page ``<title>`` (escaped by nbconvert).

    Returns
    -------
    pathlib.Path
        ``out_html``.

    Notes
    -----
    See "Self-contained HTML" in the module docstring. Images in outputs stay base64 PNG;
    markdown images are embedded (``embed_images=True``).

    Examples
    --------
    >>> import nbformat, tempfile
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hi")])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = notebook_to_html(nb, Path(tmp) / "hi.html", title="Hi").read_text()
    >>> "<script src" in page
    False
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.output_type == "stream" and o.get("name") == "stderr")
                and METADATA_MIME not in o.get("data", {})
            ]
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file="liftpace_report.html.j2",
        extra_loaders=[DictLoader({"liftpace_report.html.j2": _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    out = Path(out_html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_REMOTE_TAG.sub("", body), encoding="utf-8")
    return out


def findings_markdown(findings: Any) -> str:
    """Findings as a numbered markdown list, user text escaped (for ``IPython.display.Markdown``).

    Parameters
    ----------
    findings : Reassessment or DataFrame
        A :class:`analysis.reassessment.Reassessment` or a findings frame (several athletes give
        one heading each).

    Returns
    -------
    str
        Markdown: ``1. **attention** - sentence`` with the evidence in italics under it.

    Raises
    ------
    TypeError
        If ``findings`` is neither.

    Examples
    --------
    >>> f = pd.DataFrame({"rank": [1], "severity": ["info"], "athlete": ["Ann <b>"],
    ...     "finding": ["All 4 weeks met the target."], "evidence": ["n = 4"]})
    >>> print(findings_markdown(f))
    1. **info**: All 4 weeks met the target\\. *(n = 4)*
    """
    frame = getattr(findings, "findings", findings)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "findings_markdown() expected a Reassessment or a findings DataFrame, "
            f"got {type(findings).__name__} instead."
        )
    if frame.empty:
        return "*No findings.*"
    many = len(set(frame["athlete"])) > 1
    lines: list[str] = []
    for athlete, grp in frame.groupby("athlete", sort=False):
        if many:
            lines += ["", f"#### {html_escape_text(athlete)}", ""]
        for r in grp.itertuples(index=False):
            lines.append(
                f"{r.rank}. **{r.severity}**: {html_escape_text(r.finding)} "
                f"*({html_escape_text(r.evidence)})*"
            )
    return "\n".join(lines).strip("\n")

"""Reports: run a notebook with parameters, export it as offline HTML, write the Excel summary.

``liftpace report`` and ``liftpace squad`` run the repository's notebooks with papermill and
turn each executed notebook into a self-contained HTML page (no code, no network resources,
charts embedded as base64 PNG) next to an Excel workbook the notebook itself writes.

Notebook contract
-----------------
The cell tagged ``parameters`` of ``01_reassessment.ipynb`` defines ``paths`` (list of str,
absolute), ``athlete`` (str), ``weeks`` (int, 4-6), ``end`` (``"YYYY-MM-DD"`` or None: the
notebook resolves it, by default the last logged date), ``weight_unit`` and ``timezone`` (str or
None, passed to the loaders) and ``excel_out`` (str or None: when set, the notebook calls
:func:`write_excel` with its tables to that path, so the numbers are computed once).
``02_squad_overview.ipynb`` takes the same names except ``athlete``. Each notebook calls
:func:`record_metadata` with ``end=`` (the resolved block end, ``"YYYY-MM-DD"``); the squad
notebook also passes ``athletes=`` (the list of athlete names to report on). The record is a
display output of MIME type :data:`METADATA_MIME`; :func:`run_notebook` moves it into
``nb.metadata["liftpace"]`` and deletes the output, so it never reaches the HTML.

Definitions
-----------
Execution
    Each notebook runs in its own ipykernel started with this interpreter (``sys.executable``),
    whatever kernelspecs are installed, with the notebook's folder as working directory (as in
    JupyterLab); all paths passed in are absolute.
Self-contained HTML
    nbconvert's ``lab`` template without the require.js, MathJax, mermaid and widget
    ``<script src=...>`` blocks (so LaTeX in markdown is not typeset); code cells, prompts,
    stderr streams and cells tagged ``remove-cell`` (outputs tagged ``remove-output``) removed.
Formula injection
    A text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or CR is prefixed with ``'`` and
    stored as an Excel string (OWASP "CSV injection" guidance), so it is never a formula.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import html
import json
import re
import sys
import unicodedata
import uuid
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date, datetime
from importlib import metadata as _importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.errors import LiftpaceError

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = [
    "ABOUT_SHEET",
    "METADATA_MIME",
    "REPORT_NOTEBOOK",
    "SQUAD_NOTEBOOK",
    "html_escape_text",
    "notebook_path",
    "notebook_to_html",
    "record_metadata",
    "render_report",
    "render_squad",
    "run_notebook",
    "slug",
    "write_excel",
]

REPORT_NOTEBOOK = "01_reassessment.ipynb"
SQUAD_NOTEBOOK = "02_squad_overview.ipynb"
#: MIME type of the display output written by :func:`record_metadata`.
METADATA_MIME = "application/vnd.liftpace.metadata+json"
#: Name of the first sheet of every workbook: liftpace version, time, parameters.
ABOUT_SHEET = "About"
ABOUT_COLUMNS = ("item", "value")

_LETTERS = str.maketrans(  # letters NFKD does not decompose to ASCII
    dict(zip("ßæÆøØœŒłŁđĐðÐþÞı", "ss ae AE o O oe OE l L d D d D th TH i".split(), strict=True))
)
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl's
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
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
    """Path of one of the repository's notebooks (``notebooks/`` next to ``src/``).

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
        If the ``notebooks/`` folder or the notebook is not there.

    Examples
    --------
    >>> notebook_path("01_reassessment").name  # doctest: +SKIP
    '01_reassessment.ipynb'
    """
    folder = Path(__file__).resolve().parents[2] / "notebooks"
    if not folder.is_dir():
        raise LiftpaceError(
            f"reports need the liftpace source checkout's notebooks/ folder; looked in {folder}"
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
    >>> nb = run_notebook("report_fixture.ipynb", {"athlete": "Ana"})  # doctest: +SKIP
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


def slug(name: str) -> str:
    """A safe, lower-case ASCII file stem for a name ("Ana López" -> "ana-lopez").

    Accents are folded, anything else that is not a letter or digit (path separators too)
    becomes one ``-``; a name with no ASCII letters gets ``athlete-`` and a stable hash.

    Parameters
    ----------
    name : str
        Athlete (or squad) name.

    Returns
    -------
    str
        At most 80 characters of ``[a-z0-9-]``.

    Examples
    --------
    >>> slug("Ana López"), slug("../x/Ben  O'Neil")
    ('ana-lopez', 'x-ben-o-neil')
    """
    folded = unicodedata.normalize("NFKD", str(name).translate(_LETTERS))
    folded = folded.encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:80].strip("-")
    if not stem:
        import hashlib

        stem = "athlete-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    return stem


# --- Excel ------------------------------------------------------------------------------------


def write_excel(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """Write tables to an .xlsx workbook for people: one formatted sheet per table.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name -> table, written in order (columns only; the index is not written).
    path : str or pathlib.Path
        Output file; its folder is created.
    parameters : mapping, default=None
        Report parameters listed on the ``About`` sheet.

    Returns
    -------
    pathlib.Path
        ``path``. The first sheet, ``About``, has columns ``item`` and ``value``:
        ``liftpace version``, ``generated at`` (local time, ISO 8601) and one row per parameter.

    Raises
    ------
    LiftpaceError
        If a sheet's value is not a DataFrame.

    Notes
    -----
    Bold, filled header row; panes frozen below it (``A2``); column widths from the content
    (at most 50). Numbers stay numbers, booleans booleans; NA, NaN and infinities become empty
    cells; datetimes become Excel dates (``yyyy-mm-dd``, or with ``hh:mm:ss`` when a column has
    times; time zones dropped, local wall time kept). Sheet names lose ``[]:*?/\\``, are cut to
    31 characters and de-duplicated (``name (2)``). Every text cell is protected against formula
    injection (module docstring) and control characters are removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_excel({"weekly": pd.DataFrame({"sets": [3, 4]})}, Path(tmp) / "a.xlsx")
    ...     import openpyxl
    ...     openpyxl.load_workbook(out).sheetnames
    ['About', 'weekly']
    """
    from openpyxl import Workbook

    for name, frame in sheets.items():
        if not isinstance(frame, pd.DataFrame):
            raise LiftpaceError(
                f"expected a pandas DataFrame for sheet {name!r}, got {type(frame).__name__} instead"
            )
    try:
        version = _importlib_metadata.version("liftpace")
    except _importlib_metadata.PackageNotFoundError:
        version = "unknown"
    about = [("liftpace version", version), ("generated at", _now())]
    about += [(str(k), _about_value(v)) for k, v in (parameters or {}).items()]
    tables = {ABOUT_SHEET: pd.DataFrame(about, columns=list(ABOUT_COLUMNS), dtype=object)}
    used = {ABOUT_SHEET.lower()}
    for name, frame in sheets.items():
        title = _sheet_name(str(name), used)
        used.add(title.lower())
        tables[title] = frame
    book = Workbook(write_only=True)
    for title, frame in tables.items():
        _write_sheet(book.create_sheet(title), frame)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _about_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    title, k = base[:31], 1
    while title.lower() in used:
        k += 1
        suffix = f" ({k})"
        title = base[: 31 - len(suffix)] + suffix
    return title


def _safe_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)[:32766]
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_sheet(ws: WriteOnlyWorksheet, frame: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    def text_cell(text: str, **style: Any) -> WriteOnlyCell | None:
        safe = _safe_text(text)
        if not safe:
            return None  # an empty string is an empty cell
        cell = WriteOnlyCell(ws, value=safe)
        cell.data_type = "s"  # never a formula or an error code
        for key, val in style.items():
            setattr(cell, key, val)
        return cell

    headers = ["_".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    columns = []
    for j, header in enumerate(headers):
        values, width, fmt = _excel_values(frame.iloc[:, j])
        columns.append(values)
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(len(header), width) + 2, 50)
        if fmt is not None:  # dates: one styled cell per value
            columns[-1] = [v if v is None else WriteOnlyCell(ws, value=v) for v in values]
            for cell in columns[-1]:
                if cell is not None:
                    cell.number_format = fmt
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ws.append([text_cell(h, font=bold, fill=fill) for h in headers])
    for row in zip(*columns, strict=True):
        ws.append([text_cell(v) if isinstance(v, str) else v for v in row])


def _excel_values(col: pd.Series) -> tuple[list[Any], int, str | None]:
    """Column -> (python values with None for missing, display width, date number format)."""
    if pd.api.types.is_bool_dtype(col):
        values = col.astype(object).where(col.notna(), None).tolist()
        return values, 5, None
    if pd.api.types.is_numeric_dtype(col):
        arr = col.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(arr)
        if pd.api.types.is_integer_dtype(col):
            values = col.astype(object).where(col.notna(), None).tolist()
        else:
            values = arr.tolist()
        values = [v if ok else None for v, ok in zip(values, finite.tolist(), strict=True)]
        shown = pd.Series(arr[finite]).map("{:.10g}".format).str.len()
        return values, int(shown.max()) if len(shown) else 0, None
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        col = col.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(col):
        present = col.dropna()
        dated = bool((present == present.dt.normalize()).all())
        values = col.to_numpy(dtype="datetime64[us]").astype(object).tolist()
        values = [None if v is None else (v.date() if dated else v) for v in values]
        return values, 10 if dated else 19, "yyyy-mm-dd" if dated else "yyyy-mm-dd hh:mm:ss"
    values = [_object_value(v) for v in col.astype(object).tolist()]
    shown = [len(v) if isinstance(v, str) else len(str(v)) for v in values if v is not None]
    return values, max(shown, default=0), None


def _object_value(value: Any) -> Any:
    """One value of a text/object column -> a value openpyxl writes as number, date or text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return str(value)


# --- rendering --------------------------------------------------------------------------------


def _parameters(
    paths: str | Path | Iterable[str | Path], *, weeks: int, end: str | date | None, **rest: Any
) -> dict[str, Any]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise LiftpaceError("expected at least one log file, got none instead")
    resolved = [Path(p).expanduser().resolve() for p in items]
    missing = [str(p) for p in resolved if not p.exists()]
    if missing:
        raise LiftpaceError(f"expected existing log files, got missing {missing} instead")
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or not 4 <= weeks <= 6:
        raise LiftpaceError(f"expected weeks to be 4, 5 or 6, got {weeks!r} instead")
    return {"paths": [str(p) for p in resolved], "weeks": int(weeks), "end": _iso_day(end), **rest}


def _iso_day(end: str | date | None) -> str | None:
    if end is None:
        return None
    if isinstance(end, date):
        return end.strftime("%Y-%m-%d")
    try:
        return datetime.strptime(str(end), "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise LiftpaceError(f"expected end as YYYY-MM-DD, got {end!r} instead") from None


def _render(
    notebook: Path, parameters: dict[str, Any], *, out: Path, stem: str, title: str
) -> tuple[Path, Path, NotebookNode]:
    """Run one notebook; write ``out/<stem>-<end>.html`` and ``.xlsx``."""
    out = out.expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    pending = out / f".{stem}-{uuid.uuid4().hex[:8]}.partial.xlsx"
    try:
        nb = run_notebook(notebook, {**parameters, "excel_out": str(pending)})
        recorded = nb.metadata.get("liftpace", {}).get("end")
        if parameters["end"] is None and recorded is None:
            raise LiftpaceError(
                f"notebook {notebook.name} did not record its end date; expected a call "
                "analysis.report.record_metadata(end='YYYY-MM-DD')"
            )
        end = parameters["end"] or _iso_day(recorded)
        if not pending.is_file():
            raise LiftpaceError(
                f"notebook {notebook.name} did not write the Excel summary to excel_out"
            )
        html_path = notebook_to_html(nb, out / f"{stem}-{end}.html", title=f"{title}, {end}")
        xlsx_path = pending.replace(out / f"{stem}-{end}.xlsx")
    finally:
        pending.unlink(missing_ok=True)
    return html_path, xlsx_path, nb


def render_report(
    paths: str | Path | Iterable[str | Path],
    *,
    athlete: str,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    weight_unit: str | None = None,
    timezone: str | None = None,
    notebook: str | Path | None = None,
) -> tuple[Path, Path]:
    """Render one athlete's reassessment: ``out/<slug>-<end>.html`` and ``.xlsx``.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (made absolute; must exist).
    athlete : str
        Athlete name as in the logs.
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block, ``YYYY-MM-DD``; None: the notebook decides (last logged date).
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    weight_unit, timezone : str, default=None
        Passed to the notebook's loaders.
    notebook : str or pathlib.Path, default=None
        Notebook to run; None: the repository's :data:`REPORT_NOTEBOOK`.

    Returns
    -------
    tuple of pathlib.Path
        The HTML report and the Excel summary.

    Raises
    ------
    LiftpaceError
        On bad arguments (no or missing files, weeks not 4-6, end not YYYY-MM-DD, empty
        athlete), a failing notebook, or a notebook that breaks the contract (module docstring).

    Examples
    --------
    >>> render_report(["log.csv"], athlete="Ana Lopez")  # doctest: +SKIP
    (PosixPath('reports/ana-lopez-2024-05-26.html'), PosixPath('reports/ana-lopez-2024-05-26.xlsx'))
    """
    if not isinstance(athlete, str) or not athlete.strip():
        raise LiftpaceError(f"expected an athlete name, got {athlete!r} instead")
    params = _parameters(
        paths, weeks=weeks, end=end, athlete=athlete, weight_unit=weight_unit, timezone=timezone
    )
    nb_file = Path(notebook) if notebook is not None else notebook_path(REPORT_NOTEBOOK)
    html_path, xlsx_path, _ = _render(
        nb_file, params, out=Path(out), stem=slug(athlete), title=f"liftpace: {athlete}"
    )
    return html_path, xlsx_path


def render_squad(
    paths: str | Path | Iterable[str | Path],
    *,
    weeks: int = 4,
    end: str | date | None = None,
    out: str | Path = "reports",
    jobs: int = 2,
    progress: bool = True,
    weight_unit: str | None = None,
    timezone: str | None = None,
    notebook: str | Path | None = None,
    squad_notebook: str | Path | None = None,
) -> list[Path]:
    """Render the squad overview and one report per athlete, ``jobs`` reports at a time.

    The squad notebook runs first and records ``end`` and ``athletes``; every athlete's report
    then uses that same ``end``, so all files describe the same block.

    Parameters
    ----------
    paths : str, pathlib.Path or iterable of them
        Log files (made absolute; must exist).
    weeks : {4, 5, 6}, default=4
        Block length in weeks.
    end : str or datetime.date, default=None
        Last day of the block; None: the squad notebook decides.
    out : str or pathlib.Path, default="reports"
        Output folder (created).
    jobs : int, default=2
        Athlete reports rendered at once. Each report runs in its own kernel process, driven
        from a thread of this process; 1 renders them in turn.
    progress : bool, default=True
        Show a tqdm progress bar on stderr.
    weight_unit, timezone : str, default=None
        Passed to the notebooks' loaders.
    notebook, squad_notebook : str or pathlib.Path, default=None
        Notebooks to run; None: :data:`REPORT_NOTEBOOK` and :data:`SQUAD_NOTEBOOK`.

    Returns
    -------
    list of pathlib.Path
        ``squad-<end>.html``, ``squad-<end>.xlsx``, then each athlete's HTML and Excel file in
        the recorded athlete order (slugs that collide get ``-2``, ``-3``).

    Raises
    ------
    LiftpaceError
        As :func:`render_report`; ``jobs`` below 1; a squad notebook that records no
        ``athletes`` list; after all reports ran, if any athlete's report failed (the message
        lists each failure; the other files are written).

    Examples
    --------
    >>> render_squad(["coach.xlsx"], weeks=6)  # doctest: +SKIP
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise LiftpaceError(f"expected jobs to be an integer >= 1, got {jobs!r} instead")
    from tqdm import tqdm

    params = _parameters(paths, weeks=weeks, end=end, weight_unit=weight_unit, timezone=timezone)
    out_dir = Path(out).expanduser().resolve()
    report_nb = Path(notebook) if notebook is not None else notebook_path(REPORT_NOTEBOOK)
    squad_nb = Path(squad_notebook) if squad_notebook is not None else notebook_path(SQUAD_NOTEBOOK)
    with tqdm(
        total=1, desc="liftpace squad", unit="report", file=sys.stderr, disable=not progress
    ) as bar:
        squad_html, squad_xlsx, nb = _render(
            squad_nb, params, out=out_dir, stem="squad", title="liftpace: squad"
        )
        bar.update(1)
        record = nb.metadata.get("liftpace", {})
        athletes = record.get("athletes")
        if not isinstance(athletes, list) or not all(isinstance(a, str) for a in athletes):
            raise LiftpaceError(
                f"notebook {squad_nb.name} did not record its athletes; expected a call "
                f"analysis.report.record_metadata(athletes=[...]), got {athletes!r} instead"
            )
        each = {**params, "end": params["end"] or _iso_day(record.get("end"))}
        stems, used = [], {"squad"}
        for name in athletes:
            stem, k = slug(name), 1
            while (stem if k == 1 else f"{stem}-{k}") in used:
                k += 1
            stems.append(stem if k == 1 else f"{stem}-{k}")
            used.add(stems[-1])
        bar.total = 1 + len(athletes)
        bar.refresh()
        results: dict[int, tuple[Path, Path]] = {}
        failures: dict[int, str] = {}
        # threads, not processes: each report's kernel is its own process, so `jobs` kernels
        # run on `jobs` cores while the threads only relay messages and write files
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="liftpace-report") as pool:
            futures = {
                pool.submit(
                    _render_in_thread,
                    report_nb,
                    {**each, "athlete": name},
                    out=out_dir,
                    stem=stem,
                    title=f"liftpace: {name}",
                ): i
                for i, (name, stem) in enumerate(zip(athletes, stems, strict=True))
            }
            for future in as_completed(futures):
                try:
                    results[futures[future]] = future.result()[:2]
                except LiftpaceError as exc:
                    failures[futures[future]] = str(exc)
                bar.update(1)
    if failures:
        lines = "\n".join(f"- {athletes[i]}: {msg}" for i, msg in sorted(failures.items()))
        raise LiftpaceError(
            f"{len(failures)} of {len(athletes)} athlete reports failed "
            f"(the others are in {out_dir}):\n{lines}"
        )
    return [squad_html, squad_xlsx, *(f for i in range(len(athletes)) for f in results[i])]


def _render_in_thread(
    notebook: Path, parameters: dict[str, Any], *, out: Path, stem: str, title: str
) -> tuple[Path, Path, NotebookNode]:
    """:func:`_render` in a worker thread, closing the event loop jupyter_core opens there."""
    try:
        return _render(notebook, parameters, out=out, stem=stem, title=title)
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:  # this thread never got one
                loop = None
        if loop is not None and not loop.is_running():
            loop.close()
            asyncio.set_event_loop(None)

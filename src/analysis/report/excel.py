"""Excel summary: write analysis tables to a formatted .xlsx workbook for people.

The report notebooks call :func:`write_excel` with their tables (``excel_out``, see
:mod:`analysis.report`, which re-exports it), so the numbers are computed once.

Definitions
-----------
Formula injection
    A text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or CR is prefixed with ``'`` and
    stored as an Excel string (OWASP "CSV injection" guidance), so it is never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from importlib import metadata as _importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.errors import LiftpaceError
from analysis.reassessment import Reassessment

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["ABOUT_COLUMNS", "ABOUT_SHEET", "excel_safe", "report_tables", "write_excel"]

#: Name of the first sheet of every workbook: liftpace version, time, parameters.
ABOUT_SHEET = "About"
ABOUT_COLUMNS = ("item", "value")

_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl's
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


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
        tables[title] = excel_safe(frame)
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
        # an all-empty numeric column (e.g. no problems) has no width to measure
        width = max((len(f"{v:.10g}") for v in arr[finite]), default=0)
        return values, width, None
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


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose numeric columns without any value are object columns of NA.

    :func:`analysis.report.excel.write_excel` cannot size a numeric column that has no finite value
    (an empty problems table, an all-NA CI); values and column order are unchanged.

    Examples
    --------
    >>> excel_safe(pd.DataFrame({"row": pd.array([], dtype="Int64")})).dtypes.tolist()
    [dtype('O')]
    """
    empty_numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and not np.isfinite(frame[c].to_numpy(dtype=float, na_value=np.nan)).any()
    ]
    return frame.astype(dict.fromkeys(empty_numeric, object)) if empty_numeric else frame.copy()


def report_tables(r: Reassessment) -> dict[str, pd.DataFrame]:
    """The sheets of the Excel summary of a reassessment, in order.

    Parameters
    ----------
    r : Reassessment
        From :func:`analysis.reassessment.reassess`.

    Returns
    -------
    dict of str to DataFrame
        ``Findings``, ``Strength`` (``lift_status``), ``Asymmetry`` (``asymmetry_status``), ``Volume`` (``block_volume``), ``Adherence``,
        ``Running`` (``pace_blocks``), ``Correlation``, ``Plan vs done`` (only with a plan)
        and ``Data quality`` (``problems``). Columns as in :func:`analysis.reassessment.reassess`.

    Raises
    ------
    TypeError
        If ``r`` is not a :class:`Reassessment`.

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-17"]),
    ...     "exercise": "back_squat", "side": "both", "set_index": 1, "reps": 5,
    ...     "load_kg": 60.0, "duration_s": None, "rpe": None, "warmup": False})
    >>> from analysis import reassess
    >>> list(report_tables(reassess(sets, athlete="Ann")))
    ['Findings', 'Strength', 'Asymmetry', 'Volume', 'Adherence', 'Running', 'Correlation', 'Data quality']
    """
    if not isinstance(r, Reassessment):
        raise TypeError(
            f"report_tables() expected a Reassessment from reassess(), got {type(r).__name__} instead."
        )
    sheets = {
        "Findings": r.findings,
        "Strength": r.lift_status,
        "Asymmetry": r.asymmetry_status,
        "Volume": r.block_volume,
        "Adherence": r.adherence,
        "Running": r.pace_blocks,
        "Correlation": r.correlation,
    }
    if not r.plan_vs_done.empty:
        sheets["Plan vs done"] = r.plan_vs_done
    sheets["Data quality"] = r.problems
    return sheets

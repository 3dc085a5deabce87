"""Excel files for people: any tables as a formatted workbook, and a reassessment's workbook.

:func:`write_excel` writes tables (or :class:`Sheet` s with number formats) one sheet each, the
``About`` sheet last, so the workbook opens on the first table. :func:`athlete_workbook` gives
the sheets of one athlete's report (Summary first, one sheet per area) and
:func:`squad_workbook` those of a squad.

Definitions
-----------
Formula injection
    A text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or CR is prefixed with ``'`` and
    stored as an Excel string (OWASP "CSV injection" guidance), so it is never a formula.
People's columns
    Column headers are the labels of the column register (:func:`analysis.columns.column_info`);
    numbers keep their full value with a display format by unit (kg and % ``0.0``, counts
    ``0``, r ``0.00``); paces in s/km become Excel times shown as ``m:ss``.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Mapping
from copy import copy
from dataclasses import dataclass, field
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

__all__ = [
    "ABOUT_COLUMNS",
    "ABOUT_SHEET",
    "Sheet",
    "athlete_workbook",
    "excel_bytes",
    "excel_safe",
    "people_sheet",
    "report_tables",
    "squad_workbook",
    "write_excel",
]

#: Name of the first sheet of every workbook: liftpace version, time, parameters.
ABOUT_SHEET = "About"
ABOUT_COLUMNS = ("item", "value")

_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl's
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Sheet:
    """A table with how to show it: number formats, wrapped columns, widths, a filter.

    ``formats`` maps a column to an Excel number format (``"0.0"``, ``"m:ss"``); ``wrap``
    columns wrap their text at ``widths`` (default 60) characters; ``filter`` adds an
    AutoFilter over the table.
    """

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    wrap: tuple[str, ...] = ()
    widths: dict[str, float] = field(default_factory=dict)
    filter: bool = True


def write_excel(
    sheets: Mapping[str, pd.DataFrame | Sheet],
    path: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """Write tables to an .xlsx workbook for people: one formatted sheet per table.

    Parameters
    ----------
    sheets : mapping of str to DataFrame or Sheet
        Sheet name -> table, written in order (columns only; the index is not written); a
        :class:`Sheet` adds number formats, wrapped columns and widths.
    path : str or pathlib.Path
        Output file; its folder is created.
    parameters : mapping, default=None
        Report parameters listed on the ``About`` sheet.

    Returns
    -------
    pathlib.Path
        ``path``. The last sheet, ``About``, has columns ``item`` and ``value``:
        ``liftpace version``, ``generated at`` (local time, ISO 8601) and one row per parameter.
        The workbook opens on the first sheet.

    Raises
    ------
    LiftpaceError
        If a sheet's value is not a DataFrame.

    Notes
    -----
    Bold, filled header row; panes frozen below it (``A2``); an AutoFilter over each table;
    column widths from the content (at most 50, wrapped columns at their width). Numbers stay numbers, booleans booleans; NA, NaN and infinities become empty
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
    ['weekly', 'About']
    """
    out = Path(path)

    def save(book: Any) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)

    _write_book(sheets, parameters, save)
    return out


def _write_book(sheets: Mapping[str, pd.DataFrame | Sheet], parameters: Mapping[str, Any] | None,
                save: Callable[[Any], None]) -> None:
    """Build the workbook of :func:`write_excel` and hand it to ``save``; a failed build or save
    leaves no temporary file behind (:func:`_discard`)."""
    from openpyxl import Workbook

    for name, frame in sheets.items():
        if not isinstance(frame, pd.DataFrame | Sheet):
            raise LiftpaceError(
                f"expected a pandas DataFrame for sheet {name!r}, got {type(frame).__name__} instead"
            )
    try:
        version = _importlib_metadata.version("liftpace")
    except _importlib_metadata.PackageNotFoundError:
        version = "unknown"
    about = [("liftpace version", version), ("generated at", _now())]
    about += [(str(k), _about_value(v)) for k, v in (parameters or {}).items()]
    tables: dict[str, Sheet] = {}
    used = {ABOUT_SHEET.lower()}
    for name, item in sheets.items():
        title = _sheet_name(str(name), used)
        used.add(title.lower())
        sheet = item if isinstance(item, Sheet) else Sheet(item)
        tables[title] = Sheet(excel_safe(sheet.frame), sheet.formats, sheet.wrap, sheet.widths, sheet.filter)
    about_frame = pd.DataFrame(about, columns=list(ABOUT_COLUMNS), dtype=object)
    tables[ABOUT_SHEET] = Sheet(about_frame, wrap=("value",), widths={"value": 80}, filter=False)
    book = Workbook(write_only=True)
    try:
        for title, sheet in tables.items():
            _write_sheet(book.create_sheet(title), sheet)
        save(book)
    except BaseException:
        _discard(book)
        raise


def excel_bytes(sheets: Mapping[str, pd.DataFrame | Sheet], parameters: Mapping[str, Any] | None = None) -> bytes:
    """:func:`write_excel` into memory: the workbook's bytes, to be written later with others.

    Examples
    --------
    >>> excel_bytes({"weekly": pd.DataFrame({"sets": [3, 4]})})[:2]
    b'PK'
    """
    buffer = io.BytesIO()
    _write_book(sheets, parameters, lambda book: book.save(buffer))
    return buffer.getvalue()


def _discard(book: Any) -> None:
    """After a failed write (a full disk): close each sheet's stream and remove its temporary file.

    openpyxl streams a write-only sheet through a generator into a temporary file; left to the
    garbage collector after a failed write, each generator prints "Exception ignored" to stderr
    and its temporary file stays behind.
    """
    import contextlib

    for ws in book.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
            ws._rows = None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.xf.close()
            with contextlib.suppress(Exception):
                Path(writer.out).unlink()


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
    text = _SURROGATE.sub("\ufffd", _ILLEGAL_XML.sub("", text))[:32766]
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = sheet.frame

    styles: dict[tuple[Any, ...], Any] = {}

    def styled(cell: WriteOnlyCell, **style: Any) -> WriteOnlyCell:
        # Setting a style registers it in the workbook's style tables by hashing it: ~20 us per
        # attribute per cell. Each distinct style is registered once and its index array copied.
        key = tuple(sorted((k, v if isinstance(v, str) else id(v)) for k, v in style.items()))
        if key not in styles:
            for name, val in style.items():
                setattr(cell, name, val)
            styles[key] = copy(cell._style)
        else:
            cell._style = copy(styles[key])
        return cell

    def text_cell(text: str, **style: Any) -> WriteOnlyCell | None:
        safe = _safe_text(text)
        if not safe:
            return None  # an empty string is an empty cell
        cell = WriteOnlyCell(ws, value=safe)
        cell.data_type = "s"  # never a formula or an error code
        return styled(cell, **style) if style else cell

    headers = ["_".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    columns = []
    for j, header in enumerate(headers):
        values, measured, fmt = _excel_values(frame.iloc[:, j])
        fmt = sheet.formats.get(header, fmt)
        wrapped = header in sheet.wrap
        if header in sheet.widths or wrapped:
            width = float(sheet.widths.get(header, 60))
        else:
            width = float(min(max(len(header), measured) + 2, 50))
        ws.column_dimensions[get_column_letter(j + 1)].width = width
        if fmt is not None or wrapped:  # one styled cell per value
            cells: list[Any] = []
            for v in values:
                if v is None:
                    cells.append(None)
                    continue
                cell = text_cell(v) if isinstance(v, str) else WriteOnlyCell(ws, value=v)
                if cell is not None:
                    if fmt is not None and not isinstance(v, str):
                        styled(cell, number_format=fmt, alignment=wrap if wrapped else top)
                    else:
                        styled(cell, alignment=wrap if wrapped else top)
                cells.append(cell)
            values = cells
        columns.append(values)
    ws.freeze_panes = "A2"
    if sheet.filter and len(headers):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(frame), 1) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ws.append([text_cell(h, font=bold, fill=fill, alignment=wrap) for h in headers])
    for row in zip(*columns, strict=True):
        ws.append([text_cell(v) if isinstance(v, str) else v for v in row])


def _excel_values(col: pd.Series) -> tuple[list[Any], int, str | None]:
    """Column -> (python values with None for missing, display width, date number format)."""
    # plain lists and numpy masks: pandas' where/astype cost more than the cells of a report's sheet
    if pd.api.types.is_bool_dtype(col):
        missing = col.isna().to_numpy(dtype=bool).tolist()
        flags: list[Any] = [None if m else bool(v) for v, m in zip(col.tolist(), missing, strict=True)]
        return flags, 5, None
    if pd.api.types.is_numeric_dtype(col):
        arr = col.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(arr)
        values: list[Any]
        if pd.api.types.is_integer_dtype(col):
            values = [int(v) if ok else None for v, ok in zip(col.tolist(), finite.tolist(), strict=True)]
        else:
            values = [v if ok else None for v, ok in zip(arr.tolist(), finite.tolist(), strict=True)]
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
    # copy-on-write: a shallow copy never shares a change with the caller's frame
    return frame.astype(dict.fromkeys(empty_numeric, object)) if empty_numeric else frame.copy(deep=False)


_PACE_TIME = "[m]:ss"
_DROP = ("athlete",)  # one athlete per workbook: the name is on the Summary sheet


def _format_for(name: str, unit: str, dtype: Any) -> str | None:
    """The Excel number format of a register column (module docstring)."""
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    if _is_pace(name, unit):
        return _PACE_TIME
    if pd.api.types.is_integer_dtype(dtype):
        return "0"
    if name in ("r", "ci_low", "ci_high") and unit == "":
        return "0.00" if name == "r" else "0.0"
    if name.startswith("p_"):
        return "0.000"
    if unit in ("s/km", "s/km per week"):
        return "+0;-0;0"
    return "0.0"


def _is_pace(name: str, unit: str) -> bool:
    return unit == "s/km" and "pace" in name and not name.startswith(("change", "slope"))


def people_sheet(
    frame: pd.DataFrame, *, wrap: tuple[str, ...] = ("evidence", "finding", "reading", "problem"),
    drop: tuple[str, ...] = _DROP, labels: Mapping[str, str] | None = None,
) -> Sheet:
    """A table with people's headers and number formats from the column register.

    Parameters
    ----------
    frame : DataFrame
        Any liftpace table (its columns should be in :func:`analysis.columns.column_info`;
        others keep their name).
    wrap : tuple of str
        Columns (by name) whose text wraps.
    drop : tuple of str
        Columns left out.
    labels : mapping of str to str, default=None
        Headers for columns whose register label means something else in this table (a test's
        ``previous`` is the previous test, not the previous block).

    Returns
    -------
    Sheet
        Paces in s/km as Excel times (``m:ss``); headers are the register's labels.

    Examples
    --------
    >>> sheet = people_sheet(pd.DataFrame({"gap_pct": [5.81], "mean_pace_current_s_per_km": [365.3]}))
    >>> list(sheet.frame.columns), sheet.formats["Mean pace current (/km)"]
    (['Gap (%)', 'Mean pace current (/km)'], '[m]:ss')
    """
    register = _register()
    out = frame.drop(columns=[c for c in drop if c in frame.columns])
    given = dict(labels or {})
    labels, formats, wrapped = {}, {}, []
    used: set[str] = set()
    for col in out.columns:
        name = str(col)
        unit, label = register.get(name, ("", name))
        label = given.get(name) or label
        if label in used:
            label = f"{label} ({name})"
        used.add(label)
        labels[col] = label
        fmt = _format_for(name, unit, out[col].dtype)
        if fmt is not None:
            formats[label] = fmt
        if name in wrap:
            wrapped.append(label)
        if _is_pace(name, unit):
            out[col] = out[col].astype("Float64") / 86400.0  # Excel times are fractions of a day
    out = out.rename(columns=labels)
    return Sheet(out, formats=formats, wrap=tuple(wrapped))


@functools.cache
def _register() -> dict[str, tuple[str, str]]:
    """Column name -> (unit, label) from the register: a dict, looked up for every column."""
    from analysis.columns import column_info

    info = column_info()
    return dict(zip(info["name"], zip(info["unit"], info["label"], strict=True), strict=True))


def _summary_sheet(parts: Any) -> Sheet:
    rows = [
        ("Athlete", parts.athlete, f"This block: {parts.period} ({parts.weeks} weeks), compared "
                                   f"with {parts.previous_period}."),
    ]
    if parts.phase:
        rows.append(("Phase", parts.phase, ""))
    rows += [("Verdict: " + a.name, f"{a.symbol} {a.word}", a.sentence) for a in parts.areas]
    rows += [("What matters", it.label, f"{it.text} Evidence: {it.evidence}") for it in parts.key_findings]
    rows += [("Next block", "suggestion", text) for text in parts.suggestions]
    frame = pd.DataFrame(rows, columns=["Part", "What", "Details"], dtype=object)
    return Sheet(frame, wrap=("What", "Details"), widths={"Part": 26, "What": 28, "Details": 100},
                 filter=False)  # fmt: skip


def athlete_workbook(r: Reassessment, parts: Any | None = None) -> dict[str, Sheet]:
    """The sheets of one athlete's Excel file, Summary first, one sheet per area.

    Parameters
    ----------
    r : Reassessment
        One athlete's reassessment (its ``problems`` already that athlete's own).
    parts : Parts, default=None
        :func:`analysis.report.parts.report_parts` of ``r``; built when None.

    Returns
    -------
    dict of str to Sheet
        ``Summary`` (verdicts, the findings that matter, suggestions), ``Strength``,
        ``Single-leg balance``, ``Consistency``, ``Volume``, ``Running``, ``Strength and pace``,
        ``Plan vs done`` (with a plan), ``Programme`` (the blocks' phases), ``Run-lift
        spacing`` (when a hard run fell near a heavy session), ``Test days`` (with tests),
        ``Next block`` (the lifts' outlook), ``Race outlook`` (with runs), ``Findings`` (all), ``Data quality``.

    Raises
    ------
    TypeError
        If ``r`` is not a :class:`Reassessment`.
    """
    if not isinstance(r, Reassessment):
        raise TypeError(
            f"athlete_workbook() expected a Reassessment from reassess(), got {type(r).__name__} instead."
        )
    if parts is None:
        from analysis.report.parts import report_parts

        parts = report_parts(r)
    corr = r.correlation[r.correlation["lag_weeks"] == 0] if len(r.correlation) else r.correlation
    sheets = {
        "Summary": _summary_sheet(parts),
        "Strength": people_sheet(r.lift_status),
        "Single-leg balance": people_sheet(r.asymmetry_status),
        "Consistency": people_sheet(r.adherence),
        "Volume": people_sheet(r.block_volume),
        "Running": people_sheet(r.pace_blocks),
        "Strength and pace": people_sheet(corr),
    }
    if not r.plan_vs_done.empty:
        sheets["Plan vs done"] = people_sheet(r.plan_vs_done)
    sheets["Programme"] = people_sheet(r.phases)
    if not r.spacing.empty:
        sheets["Run-lift spacing"] = people_sheet(r.spacing)
    if not r.test_days.empty:
        sheets["Test days"] = people_sheet(r.test_days, labels={
            "previous": "Previous test", "current": "Latest test", "change": "Change",
            "change_pct": "Change (%)", "previous_date": "Previous test day", "current_date": "Latest test day",
        })  # fmt: skip
    sheets["Next block"] = people_sheet(r.outlook)
    if not r.race_outlook.empty:
        sheets["Race outlook"] = people_sheet(r.race_outlook)
    sheets["Findings"] = people_sheet(r.findings)
    sheets["Data quality"] = people_sheet(r.problems)
    return sheets


def report_tables(r: Reassessment) -> dict[str, pd.DataFrame]:
    """The raw tables of a reassessment by sheet name (for notebooks that want the frames).

    Examples
    --------
    >>> sets = pd.DataFrame({"athlete": "Ann", "date": pd.to_datetime(["2026-11-17"]),
    ...     "exercise": "back_squat", "side": "both", "set_index": 1, "reps": 5,
    ...     "load_kg": 60.0, "duration_s": None, "rpe": None, "warmup": False})
    >>> from analysis import reassess
    >>> list(report_tables(reassess(sets, athlete="Ann")))[:3]
    ['Summary', 'Strength', 'Single-leg balance']
    """
    return {name: sheet.frame for name, sheet in athlete_workbook(r).items()}


def squad_workbook(
    triage: pd.DataFrame, reassessments: Mapping[str, Reassessment], problems: pd.DataFrame
) -> dict[str, Sheet]:
    """The sheets of the squad's Excel file: the triage, then every athlete's status tables.

    Parameters
    ----------
    triage : DataFrame
        The squad's triage table for people (:func:`analysis.report.squad.triage_table`).
    reassessments : mapping of str to Reassessment
        Every athlete's reassessment.
    problems : DataFrame
        Every problem of the squad's files (the squad file is the coach's own).

    Returns
    -------
    dict of str to Sheet
        ``Triage``, ``Strength``, ``Single-leg balance``, ``Consistency``, ``Running``,
        ``Findings``, ``Data quality``; the status sheets keep an ``Athlete`` column.
    """
    def joined(attr: str) -> pd.DataFrame:
        frames = [getattr(r, attr) for r in reassessments.values() if len(getattr(r, attr))]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    sheets = {"Triage": Sheet(triage, wrap=tuple(c for c in triage.columns if c != "Athlete"),
                              widths={c: 40 for c in triage.columns if c != "Athlete"})}  # fmt: skip
    for name, attr in (("Strength", "lift_status"), ("Single-leg balance", "asymmetry_status"),
                       ("Consistency", "adherence"), ("Running", "pace_blocks"), ("Findings", "findings")):
        sheets[name] = people_sheet(joined(attr), drop=())
    sheets["Data quality"] = people_sheet(problems, drop=())
    return sheets

"""Files to grids: a CSV's rows or a workbook's sheets as cells, for :mod:`analysis.loaders.tables`.

:func:`csv_grid` decodes a CSV, finds its delimiter and reads its rows, noting the rows it could
not read as written (a quote never closed, NUL characters, over-long lines). :func:`read_workbook`
reads every sheet of a workbook with calamine after the guards of
:func:`~analysis.loaders.guards.inspect_workbook`. :func:`raise_empty` gives the clearer error of
an empty workbook or a header without rows.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import LogFormatError
from analysis.loaders.base import decode, sniff_delimiter
from analysis.loaders.guards import WorkbookScan, inspect_workbook

__all__ = ["MAX_COLUMNS", "WORKBOOK_SUFFIXES", "csv_grid", "raise_empty", "read_workbook"]

#: Widest CSV row read; longer rows (a damaged line, a 5 MB line of commas) are cut and reported.
MAX_COLUMNS = 512
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def csv_grid(path: Path, data: bytes) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The CSV grid and ``(row, problem)`` notes for rows read not quite as written."""
    text, _ = decode(data, path=path)
    delim = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise LogFormatError(f"{path.name}: not a readable CSV file ({exc}).", path=str(path)) from None
    notes: list[tuple[int, str]] = []
    # a quote opened and never closed swallows the rest of the file into one cell: read that cell
    # to the end of its line only, and the lines after it as rows again
    tail = text
    while rows and rows[-1] and "\n" in rows[-1][-1] and tail.count('"') % 2 == 1:
        head, tail = rows[-1][-1].split("\n", 1)
        rows[-1] = [*rows[-1][:-1], *head.rstrip("\r").split(delim)]  # the quote read as a typo
        notes.append((len(rows), "a quote opened in this row is never closed; the cell was read to the end of "
                                 "its line and the lines after it as rows"))
        rows.extend(csv.reader(io.StringIO(tail, newline=""), delimiter=delim))
    if "\x00" in text:  # NUL characters inside a text file: a damaged file; removed, never silently
        for i, r in enumerate(rows):
            if any("\x00" in c for c in r):
                rows[i] = [c.replace("\x00", "") for c in r]
                notes.append((i + 1, "NUL characters removed from this row (the file looks damaged); check its values"))
    lengths = [len(r) for r in rows]
    width = max(lengths, default=0)
    if width > MAX_COLUMNS:
        for i, n in enumerate(lengths):
            if n > MAX_COLUMNS:
                rows[i] = rows[i][:MAX_COLUMNS]
                notes.append((i + 1, f"row has {n:,} fields; only the first {MAX_COLUMNS} were read (a damaged line?)"))
        width = MAX_COLUMNS
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    if len(rows) < text.count("\n") and lengths:  # some cells hold line breaks: any holding rows?
        need = max(2, Counter(lengths).most_common(1)[0][0] - 2)
        for col in grid.columns:
            multi = grid[col].str.contains("\n", regex=False).to_numpy(dtype=bool, na_value=False)
            for pos in np.flatnonzero(multi):
                lines = str(rows[pos][col]).splitlines()[1:]
                if sum(line.count(delim) >= need for line in lines):
                    notes.append((int(pos) + 1, f"a cell in this row runs over {len(lines) + 1} lines and holds "
                                              "text that looks like rows of the file (a quote left open?); "
                                              "those rows were not read: close the quote and load it again"))
    return grid, notes


def read_workbook(path: Path, data: bytes) -> tuple[dict[str, pd.DataFrame], WorkbookScan]:
    """Grids of every sheet, after :func:`~analysis.loaders.base.inspect_workbook` passed the file."""
    scan = inspect_workbook(path, data)
    source = path if path.suffix.lower() in WORKBOOK_SUFFIXES else io.BytesIO(data)
    try:
        sheets = pd.read_excel(source, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        msg = type(exc).__name__ + (f": {str(exc).splitlines()[0]}" if str(exc).strip() else "")
        if "xml" in msg.lower():
            hint = ("liftpace reads .xlsx, .xlsm, .xls and .ods workbooks that open in Excel; a part of this "
                    "one is damaged (cut off or edited by hand): open it in Excel, which can repair it, and "
                    "save a copy")
        elif "password" in msg.lower() or "encrypt" in msg.lower():
            hint = ("liftpace cannot open password-protected files: open it in Excel, remove the password "
                    "and save")
        elif "entity" in msg.lower():
            hint = "it uses XML entities, which Excel never writes: save it again from Excel"
        else:
            hint = ("liftpace reads .xlsx, .xlsm, .xls and .ods workbooks that open in Excel; a "
                    "password-protected file must be saved without its password first")
        raise LogFormatError(
            f"{path.name}: could not be read as a workbook ({msg[:200]}). {hint}.", path=str(path)
        ) from None
    return sheets, scan



def raise_empty(path: Path, grids: dict) -> None:
    """A clearer error than "no training log found" for empty workbooks and header-only files."""
    if grids and all(g.dropna(how="all").empty for g in grids.values()):
        raise LogFormatError(f"{path.name}: every sheet is empty; nothing to load.", path=str(path))
    for name, grid in grids.items():
        grid = grid.dropna(axis=1, how="all")
        grid.columns = range(grid.shape[1])
        from analysis.loaders.tables import find_header

        pos, fields, kind = find_header(grid)
        if kind is not None:
            where = f"sheet {name!r} has" if name is not None else "has"
            names = ", ".join(str(grid.iloc[pos, p]).strip() for p, _ in fields.values())
            raise LogFormatError(f"{path.name}: {where} a log header ({names}) but no rows under it; nothing to load.",
                                 path=str(path))

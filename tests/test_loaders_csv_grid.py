"""The CSV grid read by Arrow from the file's bytes is the grid the C parser reads from its text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.loaders import table_files as T
from analysis.loaders.base import decode, sniff_delimiter
from analysis.loaders.memory import release_freed


def _c_parser_grid(data: bytes) -> pd.DataFrame | None:
    text, _ = decode(data, path=Path("x.csv"))
    return T._clean_grid(text, sniff_delimiter(text))


SAME = {
    "lf": b"Date,Exercise,Reps\n2026-01-01,Squat,5\n2026-01-02,Bench,8\n",
    "crlf, no last newline": b"Date,Exercise,Reps\r\n2026-01-01,Squat,5\r\n2026-01-02,Bench,8",
    "lone cr": b"Date,Exercise,Reps\r2026-01-01,Squat,5\r2026-01-02,Bench,8\r",
    "trailing delimiter": b"Date,Exercise,Reps,\n2026-01-01,Squat,5,\n2026-01-02,Bench,8,\n",
    "semicolons, empty cells": b"Date;Exercise;Reps;Weight\n01/02/2026;Squat;;60,5\n;Bench;8;\n",
    "tabs, spaces kept": b"Date\tExercise\tReps\n 2026-01-01 \t Squat\t5 \n",
    "utf-8 with bom": "\ufeffDate,Exercise,Reps\n2026-01-01,Sentadilla búlgara,5\n2026-01-01,Жим,5\n".encode(),
    "quote-like characters": b"Date,Exercise,Reps\n2026-01-01,Squat 'paused',5\n2026-01-01,Row \\ x,5\n",
    "a row of empty cells": b"Date,Exercise,Reps\n,,\n2026-01-01,Squat,5\n",
    "repeated values in later rows": b"A,B,C\n" + b"".join(b"x%d,y%d,z\n" % (i % 7, i % 3) for i in range(200)),
}


@pytest.mark.parametrize("name", list(SAME))
def test_arrow_grid_is_the_c_parsers(name: str) -> None:
    data = SAME[name]
    grid = T._arrow_grid(data)
    assert grid is not None
    pd.testing.assert_frame_equal(grid, _c_parser_grid(data), check_exact=True)
    # categories in order of first appearance, as union_categoricals of the parser's chunks gives
    assert grid[0].cat.categories.tolist() == list(dict.fromkeys(grid[0].astype(object)))


LEFT = {
    "a quote": b'Date,Exercise,Reps\n2026-01-01,"Squat, back",5\n',
    "a blank line": b"Date,Exercise,Reps\n2026-01-01,Squat,5\n\n2026-01-02,Bench,8\n",
    "a blank line of crlf": b"Date,Exercise,Reps\r\n2026-01-01,Squat,5\r\n\r\n2026-01-02,Bench,8\r\n",
    "a blank last line": b"Date,Exercise,Reps\n2026-01-01,Squat,5\n\n",
    "a blank first line": b"\nDate,Exercise,Reps\n2026-01-01,Squat,5\n",
    "a short row": b"Date,Exercise,Reps\n2026-01-01,Squat\n",
    "a long row": b"Date,Exercise,Reps\n2026-01-01,Squat,5,extra\n",
    "cp1252 bytes": "Date,Exercise,Reps\n2026-01-01,Sentadilla búlgara,5\n".encode("cp1252"),
    "utf-16": "Date,Exercise,Reps\n2026-01-01,Squat,5\n".encode("utf-16"),
    "a NUL": b"Date,Exercise,Reps\n2026-01-01,Squat\x00,5\n",
    "two columns": b"Date,Exercise\n2026-01-01,Squat\n",
    "a row pasted with semicolons": b"Date,Exercise,Reps\n2026-01-01;Squat;5\n2026-01-02,Bench,8\n",
}


@pytest.mark.parametrize("name", list(LEFT))
def test_arrow_grid_leaves_files_it_is_not_sure_of(name: str) -> None:
    """Files the C parser reads otherwise, or that need notes, are read as before (row by row or
    by the C parser), and csv_grid gives the same grid and notes either way."""
    data = LEFT[name]
    assert T._arrow_grid(data) is None
    if name not in ("a NUL",):
        grid, _ = T.csv_grid(Path("x.csv"), data)
        assert len(grid) >= 2


def test_release_freed_is_harmless() -> None:
    release_freed(0)  # small: nothing done
    release_freed(10**6)  # big: Arrow's pool and malloc trimmed, nothing else changes


def test_order_within_is_groupby_cumcount() -> None:
    from analysis.loaders.finalize import _order_within

    rng = np.random.default_rng(3)
    n = 2000
    frame = pd.DataFrame({
        "a": pd.Categorical(rng.choice(["x", "y", None], n)),
        "d": pd.to_datetime(rng.choice(["2026-01-01", "2026-01-02", None], n)),
        "e": pd.Series(rng.choice(["s", "t", "u"], n), dtype="string").mask(rng.random(n) < 0.1),
        "s": pd.Categorical(rng.choice(["left", "right", "both"], n), categories=["both", "left", "right", "x"]),
    })
    want = frame.groupby(["a", "d", "e", "s"], sort=False, dropna=False, observed=True).cumcount()
    pd.testing.assert_series_equal(_order_within(frame, ["a", "d", "e", "s"]), want)


def test_without_pyarrow_the_c_parser_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow is pandas' choice, not a liftpace dependency: without it the grid is the C parser's."""
    import sys

    from analysis.loaders.memory import malloc_pool

    data = SAME["lf"]
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    assert T._arrow_grid(data) is None
    grid, notes = T.csv_grid(Path("x.csv"), data)
    assert notes == []
    pd.testing.assert_frame_equal(grid, _c_parser_grid(data))
    with malloc_pool():
        release_freed(10**6)

"""What the strength-app readers (Strong, Hevy, FitNotes) share: one CSV, every row accounted for.

:class:`AppCsv` reads an app-export CSV as text columns indexed by ``source_row`` (the file's
line number; header = row 1) and keeps the row accounting: every data row becomes a set, is
skipped under a named reason (:data:`SKIP_BLANK`, :data:`SKIP_HEADER`, :data:`SKIP_CARDIO`,
:data:`SKIP_REST`), or is dropped with a problem naming its row and column. Its value methods
(numbers, dates, reps, RPE, loads) parse column-wise and report the cells they could not read.
Each reader's module docstring says how its app's columns are read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import catalog as cat
from analysis import columns as C
from analysis.errors import LogFormatError
from analysis.loaders import values as V
from analysis.loaders.base import (
    RPE_OUTSIDE,
    TOO_HEAVY,
    FileResult,
    Options,
    Problems,
    Sniff,
    decode,
    map_distinct,
)
from analysis.loaders.csv_records import records
from analysis.loaders.table_files import resplit_rows

# --- shared by the strength-app readers (strong, hevy, fitnotes) -------------------------------

SKIP_BLANK = "blank"
SKIP_HEADER = "header repeat"
SKIP_CARDIO = "cardio in a strength export"
SKIP_REST = "rest timer"

#: Exercise names (brackets removed, normalised) that are cardio, not strength sets.
CARDIO_NAMES = frozenset(
    {
        "running", "run", "jogging", "jog", "treadmill", "cycling", "cycle", "bike", "biking",
        "indoor cycling", "stationary bike", "spinning", "spin bike", "rowing", "rowing machine",
        "rower", "row erg", "elliptical", "elliptical trainer", "cross trainer", "walking", "walk",
        "incline walk", "hiking", "hike", "swimming", "swim", "stair climber", "stair machine",
        "stairmaster", "stepmill", "skiing", "ski erg", "skierg", "jump rope", "skipping",
        "aerobics", "climbing", "air bike", "assault bike", "cardio", "stair stepper", "stairs",
        "cycling stationary", "stationary cycling", "indoor bike", "elliptical machine",
    }
)  # fmt: skip
_BRACKETS = re.compile(r"[\(\[][^\)\]]*[\)\]]")


def header_names(sniff: Sniff) -> set[str]:
    """The header fields of a sniffed CSV, lower case, re-split on ``;`` when sniffing missed it."""
    fields = sniff.header or []
    if len(fields) == 1 and ";" in fields[0]:
        fields = [f.strip().strip('"').strip() for f in fields[0].split(";")]
    return {f.strip().lower() for f in fields}


def per_unique(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``func`` applied once per distinct value, mapped back (app columns repeat a lot)."""
    return map_distinct(values, func)


def is_cardio(names: pd.Series, distance: pd.Series) -> pd.Series:
    """True for cardio rows: a cardio exercise name, or a distance on a non-catalog exercise."""
    coded = _name_codes(names)
    if coded is not None:  # each distinct name looked at once and taken by code
        codes, uniq = coded
        cardio = np.array([cat.normalise_name(_BRACKETS.sub(" ", n)) in CARDIO_NAMES for n in uniq], dtype=bool)
        known = cat.resolve_exercises(uniq)["known"].to_numpy(dtype=bool)
        by_name, named = pd.Series(cardio[codes], index=names.index), pd.Series(known[codes], index=names.index)
        return by_name | ((distance.fillna(0) > 0) & ~named)
    by_name = per_unique(names, lambda n: cat.normalise_name(_BRACKETS.sub(" ", n)) in CARDIO_NAMES)
    uniq = pd.Series(pd.unique(names))
    known = dict(zip(uniq, cat.resolve_exercises(uniq)["known"], strict=True))
    return by_name.astype(bool) | ((distance.fillna(0) > 0) & ~names.map(known).astype(bool))


def _name_codes(names: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """Codes of a text column's names and its distinct names (in order of appearance, as
    ``pd.Series(pd.unique(names))``): one factorize, where looking a million names up in a dict
    hashed every row again. None for a column with missing names or of another dtype."""
    if names.dtype != object or names.isna().any():
        return None
    codes, uniques = pd.factorize(names)
    return codes, pd.Series(uniques.to_numpy())


def to_kg(values: pd.Series, in_lb: pd.Series, *, kg_decimals: int = 3) -> pd.Series:
    """Weights to kg: pounds rounded to 0.1 lb, then converted; kg rounded to ``kg_decimals``."""
    num = values.astype(float)
    return num.round(kg_decimals).where(~in_lb.to_numpy(dtype=bool), num.round(1) * V.LB_TO_KG)


def _bilateral(names: pd.Series) -> pd.Series:
    """True for names the catalog knows as two-legged exercises."""
    uniq = pd.Series(pd.unique(names))
    resolved = cat.resolve_exercises(uniq)
    unilateral = cat.exercise_info().set_index("exercise")["unilateral"]
    both = resolved["known"] & ~resolved["exercise"].map(unilateral).astype("boolean").fillna(False)
    return names.map(dict(zip(uniq, both, strict=True))).astype(bool)


def _bilateral_by_code(names: pd.Series) -> pd.Series:
    """:func:`_bilateral` looked up once per distinct name and taken by code."""
    coded = _name_codes(names)
    if coded is None:
        return _bilateral(names)
    codes, uniq = coded
    both = _bilateral(uniq).to_numpy(dtype=bool)
    return pd.Series(both[codes], index=names.index)


def _plain_numbers(cells: pd.Series) -> pd.Series:
    """Cells that pandas reads as numbers, as float; NaN for the rest, empty cells, and numbers
    beyond :data:`values.MAX_CELL_NUMBER` ("inf", "1e309": not a number people log)."""
    value = pd.to_numeric(cells.where(cells != ""), errors="coerce").astype(float)
    return value.where(~(np.abs(value) > V.MAX_CELL_NUMBER))


def _stripped(cells: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """A grid column's cells stripped, as Python strings (object), and the same cells coded (codes
    into the distinct stripped cells; None when the grid was read row by row).

    On a coded grid column the distinct cells are stripped and taken by code with numpy: the same
    strings, without building the column as Arrow strings and converting it back. The coded form
    lets :meth:`AppCsv.number` parse the distinct cells without factorizing a million strings again.
    """
    if V.is_coded(cells):
        cats = cells.cat.categories.to_numpy(dtype=object)
        codes = cells.cat.codes.to_numpy()
        if len(cats) and not (codes < 0).any():
            stripped = np.array([c.strip() for c in cats], dtype=object)
            text = pd.Series(stripped[codes], index=cells.index, name=cells.name, dtype=object)
            scodes, distinct = pd.factorize(stripped)  # " 5" and "5" are one cell once stripped
            kind = pd.CategoricalDtype(pd.Index(np.asarray(distinct, dtype=object), dtype=object))
            coded = pd.Series(pd.Categorical.from_codes(scodes[codes], dtype=kind), index=cells.index, name=cells.name)
            return text, coded
    return per_unique(cells, str.strip).astype(object), None


def _clean_header(cells: list[str]) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip().strip('"').strip() for h in cells]


def _row_grid(text: str, delim: str, path: Path, fmt: str) -> tuple[int, list[str], pd.DataFrame, np.ndarray, list]:
    """Header row, header, data grid, field counts and re-split rows, read record by record."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise LogFormatError(
            f"{path.name}: expected a {fmt} CSV file, got text the CSV parser cannot read "
            f"instead ({exc}); export the file from the app again.",
            path=str(path),
        ) from None
    hpos = next(i for i, r in enumerate(records) if any(c.strip() for c in r))
    header = _clean_header(records[hpos])
    data = records[hpos + 1 :]
    pasted = resplit_rows(data, delim, first=hpos + 2)  # rows pasted with ';' or tabs
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    width = int(max(len(header), lengths.max(initial=0)))
    for i in np.flatnonzero(lengths != width):  # only ragged rows (blank lines, stray commas)
        data[i] = data[i] + [""] * (width - int(lengths[i]))
    return hpos, header, pd.DataFrame(data, columns=range(width), dtype=object), lengths, pasted


def _fast_grid(text: str, delim: str) -> tuple[int, list[str], pd.DataFrame, np.ndarray, list] | None:
    """:func:`_row_grid` by pandas' C parser (:func:`~analysis.loaders.csv_records.records`), for a
    file whose short rows hold no other separator (nothing for ``resplit_rows`` to re-split); None
    otherwise."""
    got = records(text, delim)
    if got is None:
        return None
    grid, counts = got
    cells = grid.to_numpy(dtype=object) if len(grid) <= 64 else None
    nonblank = [i for i in range(min(len(grid), 64))
                if any(str(c).strip() for c in (cells[i] if cells is not None else grid.iloc[i].tolist())[: counts[i]])]
    if not nonblank:
        return None
    hpos = nonblank[0]
    header = _clean_header([str(c) for c in grid.iloc[hpos].tolist()[: counts[hpos]]])
    data, lengths = grid.iloc[hpos + 1:], counts[hpos + 1:]
    short = np.flatnonzero(lengths <= 2)
    if len(short):  # a row pasted with another separator is re-split by the record-by-record path
        others = [o for o in (";", "\t", ",") if o != delim]
        text_cells = data.iloc[short, : min(2, data.shape[1])].astype(str)
        if any(text_cells[c].str.contains(o, regex=False).any() for c in text_cells.columns for o in others):
            return None
    width = max(len(header), int(lengths.max(initial=0)))
    if data.shape[1] != width:  # as wide as the header and the widest data row, as csv's rows
        data = data.reindex(columns=range(width), fill_value="")
    return hpos, header, data.reset_index(drop=True), lengths, []


class AppCsv:
    """One app-export CSV as text columns indexed by ``source_row``, with the row accounting.

    Every data row ends as *alive* (becomes a set), *skipped* under a named reason, or
    *dropped* with at least one ``dropped`` problem naming its row and column. Values are
    parsed column-wise: pandas' C parsers first, the lenient parsers of
    :mod:`~analysis.loaders.values` only for the cells those could not read.
    """

    def __init__(self, path: Path, fmt: str, options: Options) -> None:
        self.path, self.options = path, options
        self.athlete = (options.athlete or "").strip() or path.stem
        self.result = FileResult(path=str(path), format=fmt)
        self.problems = Problems(self.result, path.name)
        text, _ = decode(path.read_bytes(), path=path)
        first = text.lstrip().partition("\n")[0]
        self.delimiter = ";" if first.count(";") > first.count(",") else ","
        fast = _fast_grid(text, self.delimiter)
        if fast is not None:  # pandas' C parser, each record's field count from the bytes
            hpos, self.header, grid, lengths, pasted = fast
        else:
            hpos, self.header, grid, lengths, pasted = _row_grid(text, self.delimiter, path, fmt)
        self._lower = [h.lower() for h in self.header]
        self.result.rows_read = len(grid)
        width = grid.shape[1]
        self.grid = grid
        self.grid.index = pd.RangeIndex(hpos + 2, hpos + 2 + len(grid))
        index = self.grid.index
        self.rows = pd.Series(index, index=index, dtype="Int64")
        self.n_fields = pd.Series(lengths, index=index)
        self.reason = pd.Series(pd.NA, index=index, dtype="string")
        self.dropped = pd.Series(False, index=index)
        self.broken = pd.Series(False, index=index)  # wrong field count: values not checked
        self._cols: dict[str, pd.Series] = {}
        self._coded: dict[str, pd.Series | None] = {}  # the same columns coded (see _stripped)
        # blank rows and repeated headers, checked in full only where the first cell says so
        first_cell = per_unique(self.grid[0], lambda v: v.strip().lower())
        for row, text in pasted:
            self.problems.add([row], None, None, text, "fixed")
        for reason, maybe, ok in (
            (SKIP_BLANK, first_cell == "", lambda c, _n: c.str.strip() == ""),
            (
                SKIP_HEADER,
                first_cell == self._lower[0],
                lambda c, n: c.str.strip().str.lower() == n,
            ),
        ):
            sub = self.grid[maybe.to_numpy()]
            names = self._lower + [""] * (width - len(self._lower))
            full = pd.concat([ok(sub[i], names[i]) for i in range(width)], axis=1).all(axis=1)
            self.skip(full.reindex(index, fill_value=False), reason)

    # accounting ---------------------------------------------------------------------------------
    @property
    def alive(self) -> pd.Series:
        return self.reason.isna() & ~self.dropped

    @property
    def live(self) -> pd.Series:
        """Rows not skipped and well formed (possibly dropped): their values are checked."""
        return self.reason.isna() & ~self.broken

    def skip(self, mask: pd.Series, reason: str) -> None:
        m = mask.fillna(False).astype(bool) & self.alive
        if m.any():
            self.reason[m] = reason
            self.result.skipped[reason] += int(m.sum())

    def problem(
        self, mask: pd.Series, column: str | None, value: object, problem: object, action: str
    ) -> None:
        m = mask.fillna(False).astype(bool) & self.live
        if not m.any():
            return
        val = value.reindex(m.index)[m] if isinstance(value, pd.Series) else value
        if isinstance(val, pd.Series):
            val = val.where(val.astype(str) != "")  # an empty cell has no value to show
        why = problem.reindex(m.index)[m] if isinstance(problem, pd.Series) else problem
        self.problems.add(self.rows[m], column, val, why, action)
        if action == "dropped":
            self.dropped |= m

    def note_parsed(
        self, parsed: V.Parsed, raw: pd.Series, column: str, *, bad_action: str = "dropped"
    ) -> None:
        self.problem(parsed.bad, column, raw, parsed.reason, bad_action)
        self.problem(parsed.fixed & ~parsed.bad, column, raw, parsed.reason, "fixed")

    def check_width(self) -> None:
        """Drop rows whose field count differs from the header's (a stray quote or separator)."""
        n = len(self.header)
        bad = (self.n_fields != n) & self.live
        k = self.n_fields[bad].astype(str)
        why = (
            "row has "
            + k
            + f" fields where the header has {n}; a separator or quote is out of place"
        )
        self.problem(bad, None, k + " fields", why, "dropped")
        self.broken |= bad

    def rejoin_surplus(self, pos: int, column: str) -> None:
        """Re-join the surplus fields of too-long rows into field ``pos`` (an unquoted comma).

        The other fields are anchored at both ends: the ``pos`` fields before it and the
        fields after it keep their places counted from the right-hand end.
        """
        n, width = len(self.header), self.grid.shape[1]
        extra = (self.n_fields > n) & self.live
        if not extra.any():
            return
        self.grid = self.grid.astype(object)  # new cells are set below (a coded column has only its own)
        rows = []
        for cells, k in zip(
            self.grid[extra].to_numpy().tolist(), self.n_fields[extra], strict=True
        ):
            joined = self.delimiter.join(cells[pos : pos + k - n + 1])  # only the broken rows
            rows.append([*cells[:pos], joined, *cells[pos + k - n + 1 : k]] + [""] * (width - n))
        self.grid.loc[extra] = pd.DataFrame(
            rows, index=extra[extra].index, columns=self.grid.columns
        )
        self.problem(
            extra, column, self.grid.loc[extra, pos].str.strip(),
            f"the {column.lower()} contains '{self.delimiter}' but was not quoted, so the row had "
            + self.n_fields[extra].astype(str)
            + f" fields instead of {n}; the extra fields were joined back into {column}",
            "fixed",
        )  # fmt: skip
        self.n_fields[extra] = n

    def col(self, name: str) -> pd.Series:
        """Column ``name`` (case-insensitive) as stripped text; "" everywhere when absent."""
        if name not in self._cols:
            if name in self._lower:  # object dtype even with no rows, so .str always works
                self._cols[name], self._coded[name] = _stripped(self.grid[self._lower.index(name)])
            else:
                self._cols[name] = pd.Series("", index=self.grid.index, dtype=object)
        return self._cols[name]

    def coded(self, raw: pd.Series) -> pd.Series:
        """``raw`` coded when it is a column :meth:`col` returned and has a coded form, else ``raw``:
        for parsers that run once per distinct cell (:func:`~analysis.loaders.values.per_cell`)."""
        for name, text in self._cols.items():
            if text is raw and self._coded.get(name) is not None:
                return self._coded[name]
        return raw

    def has(self, name: str) -> bool:
        return name in self._lower

    def rename(self, names: list[str]) -> None:
        """Look columns up by ``names`` (lower case, by position) instead of the header as written:
        a localized header read under the English names. Problems keep naming the written header."""
        self._lower = [n.strip().lower() for n in names] + self._lower[len(names):]
        self._cols.clear()
        self._coded.clear()

    def label(self, name: str) -> str:
        """The header cell as written for the column looked up as ``name`` (``Réps`` for ``reps``)."""
        if name in self._lower and self._lower.index(name) < len(self.header):
            return self.header[self._lower.index(name)]
        return name.title() if name != "rpe" else "RPE"

    def note_unit_assumed(self, column: str) -> None:
        """One ``kept`` problem on the first data row: weights read as kg (the file does not say)."""
        first = self.alive[self.alive]
        if len(first):
            self.problems.add(
                [int(first.index[0])], column, None,
                "the file does not say kg or lb; weights read as kg "
                "(pass weight_unit='lb' / --weight-unit lb if they are pounds)", "kept",
            )  # fmt: skip

    # shared value handling ----------------------------------------------------------------------
    def number(
        self, raw: pd.Series, column: str, *, what: str, bad_action: str = "dropped"
    ) -> pd.Series:
        """Numbers as float (NaN when blank); unreadable cells reported with ``bad_action``."""
        coded = self.coded(raw)
        value = V.per_cell(coded, _plain_numbers).astype(float)  # once per distinct cell
        slow = value.isna() & V.per_cell(coded, lambda u: u != "").astype(bool)
        if slow.any():  # "102,5", "1,234", "'-16" or text
            p = V.parse_number(raw[slow], what=what)
            self.note_parsed(p, raw[slow], column, bad_action=bad_action)
            value[slow] = p.value.astype(float)
        return value

    def dates(self, raw: pd.Series, column: str, fmt: str) -> pd.Series:
        """Dates in the app's own ``fmt``; other spellings through :func:`values.parse_dates`."""
        value = pd.to_datetime(raw, format=fmt, errors="coerce").astype("datetime64[us]")
        slow = value.isna() & (raw != "")
        if slow.any():
            p, note = V.parse_dates(raw[slow], dayfirst=self.options.dayfirst)
            self.note_parsed(p, raw[slow], column)
            value[slow] = p.value
            if note:
                self.problem(self.rows == self.rows[slow].min(), column, None, note, "kept")
        self.problem((raw == "") & self.alive, column, None, "no date", "dropped")
        return value

    def reps(self, raw: pd.Series, column: str) -> pd.Series:
        """Reps as float (``10.0`` -> 10, a half rep ``7.5`` kept); NA when blank; 0 kept (see
        :meth:`zero_reps`); other fractions and negative counts dropped."""
        value = self.number(raw, column, what="rep count")
        bad = value.notna() & ((value * 2 != np.floor(value * 2)) | (value < 0))
        self.problem(bad, column, raw, V.REPS_NOT_A_COUNT, "dropped")
        return value.where(~bad)

    def zero_reps(self, reps: pd.Series, load: pd.Series, seconds: pd.Series, distance: pd.Series,
                  raw: pd.Series, column: str) -> pd.Series:
        """Sets of 0 reps, read the same way in every format (:data:`values.MISSED_ATTEMPT`).

        With a time or a distance: a hold or a carry (reps NA). With a load and nothing else: a
        missed attempt, kept with 0 reps and a ``kept`` problem. With nothing at all: reps NA,
        so :meth:`no_work` drops the row.
        """
        zero = reps.eq(0).fillna(False).astype(bool)
        timed = seconds.notna() | distance.notna()
        missed = zero & ~timed & (load.fillna(0) > 0) & self.alive
        self.problem(missed, column, raw, V.MISSED_ATTEMPT, "kept")
        return reps.mask(zero & ~missed)

    def positive(self, raw: pd.Series, column: str, *, what: str) -> pd.Series:
        """A number that only counts when above 0 (seconds, distance); bad cells kept as NA."""
        value = self.number(raw, column, what=what, bad_action="kept")
        return value.where(value > 0)

    def rpe(self, raw: pd.Series, column: str) -> pd.Series:
        value = self.number(raw, column, what="RPE", bad_action="kept")
        low, high = C.BOUNDS[C.RPE]
        out = value.notna() & ((value < low) | (value > high))
        self.problem(out, column, raw, RPE_OUTSIDE, "fixed")
        return value.where(~out)

    def loads(self, kg: pd.Series, raw: pd.Series, column: str, exercise: pd.Series) -> pd.Series:
        """Checked loads (see :func:`values.assistance`): the weight of an assisted exercise, and a
        negative weight on an exercise that may be assisted, is assistance: load 0 with one ``kept``
        problem per exercise. A negative weight on a loaded lift is dropped; the ``load_kg`` bound too."""
        value = kg.astype(float).fillna(0.0)
        coded = _name_codes(exercise)
        if coded is not None:  # each distinct name looked at once and taken by code
            codes, uniq = coded
            said = np.array(["assist" in n.lower() for n in uniq], dtype=bool)
            named = pd.Series(said[codes], index=exercise.index)
            may = pd.Series(np.asarray(cat.takes_assistance(uniq), dtype=bool)[codes], index=exercise.index)
        else:
            uniq = pd.Series(pd.unique(exercise))
            named = per_unique(exercise, lambda n: "assist" in n.lower()).astype(bool)
            may = exercise.map(dict(zip(uniq, cat.takes_assistance(uniq), strict=True))).astype(bool)
        assisted = ((named & (value != 0)) | (may & (value < 0))) & self.live
        counts = exercise[assisted].value_counts()
        first = assisted & ~exercise.where(assisted).duplicated()
        negative = exercise[first].map(exercise[assisted & (value < 0)].value_counts()).fillna(0) > 0
        why = pd.Series([V.assistance(int(n), neg) for n, neg in zip(exercise[first].map(counts), negative, strict=True)],
                        index=exercise[first].index, dtype=object)
        self.problem(first, column, exercise, why, "kept")
        value = value.where(~assisted, 0.0)
        self.problem(value < 0, column, raw, "negative weight on a loaded lift", "dropped")
        self.problem(value > C.BOUNDS[C.LOAD_KG][1], column, raw, TOO_HEAVY, "dropped")
        return value

    def no_work(
        self, reps: pd.Series, duration: pd.Series, distance: pd.Series, raw: pd.Series, column: str,
        exercise: pd.Series,
    ) -> None:
        """Drop rows with no reps, time or distance (a hold time written in the name counts:
        ``Wall Sit 1:00``, read by :mod:`~analysis.loaders.finalize`)."""
        nothing = reps.isna() & duration.isna() & distance.isna() & self.alive
        if nothing.any():
            uniq = pd.Series(pd.unique(exercise[nothing]))
            timed = exercise.map(dict(zip(uniq, cat.seconds_in_name(uniq).notna(), strict=True)))
            nothing &= ~timed.fillna(False).astype(bool)
        self.problem(nothing, column, raw, "no reps, time or distance on this row", "dropped")

    def finish(self, frame: dict[str, pd.Series], *, sort_by_date: bool = False) -> FileResult:
        """Build the pre-sets from per-row Series (alive rows only) and close the accounting."""
        keep = self.alive
        out = pd.DataFrame({k: v[keep] for k, v in frame.items()})
        out.insert(0, C.ATHLETE, self.athlete)
        out[C.SIDE] = pd.Series(pd.NA, index=out.index, dtype="string")  # from names and notes
        out[C.SOURCE_FILE] = self.path.name
        out[C.SOURCE_SHEET] = None
        out[C.SOURCE_ROW] = out.index.astype("int64")
        if (
            "notes" in out
        ):  # "right knee sore" on a squat is not a side: notes only for single-leg work
            out["notes"] = out["notes"].where(~_bilateral_by_code(out[C.EXERCISE_RAW]))
        if sort_by_date:
            out = out.sort_values(C.DATE, kind="stable")
        self.result.skipped = Counter({k: v for k, v in self.result.skipped.items() if v})
        if self.result.problems:  # one frame per file, in row order
            probs = pd.concat(self.result.problems, ignore_index=True)
            self.result.problems = [
                probs.sort_values(C.SOURCE_ROW, kind="stable").reset_index(drop=True)
            ]
        self.result.sets = out.reset_index(drop=True) if len(out) else None
        return self.result

"""Exercise catalog: canonical keys, aliases, movement pattern, laterality, load type, muscles.

The catalog ships as package data (``analysis/data/exercises.csv``) with one row per exercise:

``exercise``
    canonical key, snake_case (``bulgarian_split_squat``).
``name``
    display name (``Bulgarian split squat``).
``pattern``
    movement pattern, one of :data:`analysis.columns.PATTERNS`.
``unilateral``
    ``True`` when each side is trained on its own (sides are paired for asymmetry).
``load_type``
    one of :data:`analysis.columns.LOAD_TYPES`: how the exercise is loaded and progressed
    (``external`` by load, ``bodyweight`` and ``band`` by reps, ``time`` by seconds,
    ``distance`` by metres).
``muscles``
    primary muscles, ``;``-separated.
``bodyweight_fraction``
    share of body mass moved in a bodyweight rep (used only when bodyweight is known).
``aliases``
    ``|``-separated names as coaches and apps write them.

Names are matched after normalisation (:func:`normalise_name`): lower case, side markers and
equipment brackets removed where they are not part of an alias, punctuation to spaces.
A user catalog (same columns) is merged over the built-in one with :func:`load_catalog`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from analysis.errors import LogFormatError

CATALOG_COLUMNS = (
    "exercise",
    "name",
    "pattern",
    "unilateral",
    "load_type",
    "muscles",
    "bodyweight_fraction",
    "aliases",
)

# Side written inside an exercise name: "(Left)", "- L", "L ", "left leg", "RIGHT SIDE"...
_SIDE_WORD = r"(?P<side>left|right|l|r|lt|rt|links|rechts)"
_SIDE_PATTERNS = [
    # bracketed anywhere: "Bulgarian Split Squat (Left)", "(L leg)", "[R]"
    re.compile(rf"[\(\[]\s*{_SIDE_WORD}(?:\s+(?:leg|side|foot|hand|arm))?\s*[\)\]]", re.I),
    # trailing after a separator: "BSS - L", "Step up – right", "SL RDL / R", "lunge, left"
    re.compile(rf"\s*[-–—/:,]\s*{_SIDE_WORD}(?:\s+(?:leg|side|foot))?\s*$", re.I),
    # trailing words "left leg", "right side"
    re.compile(rf"\s+{_SIDE_WORD}\s+(?:leg|side|foot)\s*$", re.I),
    # leading "Left ", "L " (only full words left/right, or L/R followed by a space)
    re.compile(r"^\s*(?P<side>left|right)(?:\s+(?:leg|side))?\s+", re.I),
    re.compile(r"^\s*(?P<side>l|r)\s+(?=\w{3,})", re.I),
    # trailing full word: "Bulgarian split squat left"
    re.compile(r"\s+(?P<side>left|right)\s*$", re.I),
    # trailing bare letter: "SL calf raise R"
    re.compile(r"\s+(?P<side>l|r)\s*$", re.I),
]
_SIDE_MAP = {
    "left": "left", "l": "left", "lt": "left", "links": "left",
    "right": "right", "r": "right", "rt": "right", "rechts": "right",
}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_name(name: str) -> str:
    """Normalise an exercise name for matching: lower case, ASCII words, single spaces.

    Examples
    --------
    >>> normalise_name("  Squat (Barbell) ")
    'squat barbell'
    >>> normalise_name("Single-Leg RDL")
    'single leg rdl'
    """
    text = str(name).strip().lower().replace("’", "'").replace("'", "")
    return _NON_ALNUM.sub(" ", text).strip()


def split_side(name: str) -> tuple[str, str | None]:
    """Split a side marker out of an exercise name.

    Returns the name without the marker and ``"left"``, ``"right"`` or ``None``.

    Examples
    --------
    >>> split_side("Bulgarian Split Squat (Left)")
    ('Bulgarian Split Squat', 'left')
    >>> split_side("BSS - R")
    ('BSS', 'right')
    >>> split_side("Step-up right leg")
    ('Step-up', 'right')
    >>> split_side("Romanian deadlift")
    ('Romanian deadlift', None)
    """
    text = str(name).strip()
    for pattern in _SIDE_PATTERNS:
        match = pattern.search(text)
        if match:
            rest = (text[: match.start()] + " " + text[match.end():]).strip()
            if rest:
                return re.sub(r"\s{2,}", " ", rest), _SIDE_MAP[match.group("side").lower()]
    return text, None


def _read_catalog_csv(source: Path | str | IO[str], *, label: str) -> pd.DataFrame:
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, comment="#")
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in ("exercise", "pattern", "unilateral", "load_type") if c not in frame]
    if missing:
        raise LogFormatError(
            f"{label}: an exercise catalog needs columns {list(CATALOG_COLUMNS)}; "
            f"missing {missing} (found {list(frame.columns)}).",
            path=str(source),
        )
    for col in CATALOG_COLUMNS:
        if col not in frame:
            frame[col] = ""
    frame = frame[list(CATALOG_COLUMNS)].copy()
    frame["exercise"] = frame["exercise"].str.strip()
    frame["name"] = frame["name"].where(
        frame["name"].str.strip() != "", frame["exercise"].str.replace("_", " ").str.capitalize()
    )
    frame["unilateral"] = frame["unilateral"].str.strip().str.lower().isin(["true", "yes", "1", "y"])
    frac = pd.to_numeric(frame["bodyweight_fraction"].replace("", pd.NA), errors="coerce")
    frame["bodyweight_fraction"] = frac.astype("Float64")
    return frame


@cache
def _builtin() -> pd.DataFrame:
    resource = files("analysis") / "data" / "exercises.csv"
    with resource.open("r", encoding="utf-8") as fh:
        return _read_catalog_csv(fh, label="built-in catalog")


def load_catalog(extra: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the exercise catalog, with a user catalog merged over the built-in one.

    Parameters
    ----------
    extra : path or DataFrame, default=None
        A CSV (or frame) with the columns of the built-in catalog. Its rows replace built-in
        rows with the same ``exercise`` key and add new ones.

    Returns
    -------
    DataFrame
        One row per exercise: ``exercise, name, pattern, unilateral, load_type, muscles,
        bodyweight_fraction, aliases``.
    """
    base = _builtin()
    if extra is None:
        return base.copy()
    if isinstance(extra, pd.DataFrame):
        user = _read_catalog_csv(
            pd.io.common.StringIO(extra.astype(str).to_csv(index=False)), label="user catalog"
        )
    else:
        user = _read_catalog_csv(Path(extra), label=str(extra))
    merged = pd.concat([base[~base["exercise"].isin(user["exercise"])], user])
    return merged.reset_index(drop=True)


def _alias_table(catalog: pd.DataFrame) -> dict[str, str]:
    table: dict[str, str] = {}
    for key, name, aliases in catalog[["exercise", "name", "aliases"]].itertuples(index=False):
        for alias in [key, key.replace("_", " "), name, *str(aliases).split("|")]:
            norm = normalise_name(alias)
            if norm:
                table.setdefault(norm, key)
    return table


@cache
def _builtin_aliases() -> dict[str, str]:
    return _alias_table(_builtin())


def resolve_exercises(
    raw: pd.Series, *, catalog: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Map raw exercise names to catalog keys and sides written in the name.

    Works on the unique names only, so it costs the same for 10 rows or 10 million.

    Parameters
    ----------
    raw : Series of str
        Exercise names as written in the source.
    catalog : DataFrame, default=None
        From :func:`load_catalog`; the built-in catalog when None.

    Returns
    -------
    DataFrame
        Same index as ``raw``: ``exercise`` (catalog key, or the normalised raw name with
        spaces as underscores when unknown), ``name_side`` (``left``/``right`` written in the
        name, else NA) and ``known`` (bool).

    Examples
    --------
    >>> out = resolve_exercises(pd.Series(["BSS - L", "Squat (Barbell)", "Zercher hop"]))
    >>> out["exercise"].tolist()
    ['bulgarian_split_squat', 'back_squat', 'zercher_hop']
    >>> out["name_side"].tolist()
    ['left', <NA>, <NA>]
    """
    aliases = _builtin_aliases() if catalog is None else _alias_table(catalog)
    values = raw.astype("string")
    uniques = values.dropna().unique()  # names repeat: resolve each distinct name once
    rows = {}
    for name in uniques:
        norm = normalise_name(name)
        if norm in aliases:
            rows[name] = (aliases[norm], pd.NA, True)
            continue
        stripped, side = split_side(name)
        norm2 = normalise_name(stripped)
        key = aliases.get(norm2)
        if key is None:
            # drop a trailing equipment bracket: "Step Up (Dumbbell)" -> "step up"
            norm3 = normalise_name(re.sub(r"\s*[\(\[][^\)\]]*[\)\]]\s*$", "", stripped))
            key = aliases.get(norm3)
        if key is not None:
            rows[name] = (key, side if side else pd.NA, True)
        else:
            fallback = norm2.replace(" ", "_") or norm.replace(" ", "_") or "unnamed"
            rows[name] = (fallback, side if side else pd.NA, False)
    lookup = pd.DataFrame.from_dict(
        rows, orient="index", columns=["exercise", "name_side", "known"]
    ) if rows else pd.DataFrame(columns=["exercise", "name_side", "known"])
    codes, uniq_vals = pd.factorize(values, use_na_sentinel=True)
    looked = lookup.reindex(uniq_vals)
    out = pd.DataFrame(index=raw.index)
    out["exercise"] = pd.array(looked["exercise"].to_numpy(), dtype="string").take(codes, allow_fill=True)
    out["name_side"] = pd.array(looked["name_side"].to_numpy(), dtype="string").take(codes, allow_fill=True)
    known = looked["known"].fillna(False).to_numpy(dtype=bool)
    out["known"] = np.where(codes >= 0, known[codes], False) if len(known) else False
    return out


def exercise_info(catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Catalog attributes keyed by ``exercise`` for joining onto sets.

    Returns
    -------
    DataFrame
        ``exercise, name, pattern, unilateral, load_type, muscles, bodyweight_fraction``.
    """
    cat = _builtin() if catalog is None else catalog
    return cat.drop(columns="aliases").reset_index(drop=True)


@cache
def _display_names() -> dict[str, str]:
    cat = _builtin()
    return dict(zip(cat["exercise"].astype(str), cat["name"].astype(str), strict=True))


#: First words kept capitalised mid-sentence ("left Bulgarian split squat").
_PROPER = frozenset(
    {
        "Bulgarian",
        "Romanian",
        "Copenhagen",
        "Nordic",
        "Spanish",
        "Cossack",
        "Pallof",
        "Zercher",
        "Jefferson",
        "Turkish",
        "Russian",
    }
)


def display_name(exercise: object, side: object = None, *, mid_sentence: bool = False) -> str:
    """The name people read: the catalog name, else the key in words; ``side`` prefixes it.

    Parameters
    ----------
    exercise : str
        A catalog key (or any exercise name as loaded).
    side : {"left", "right", None}, default=None
        A side to name before the exercise (``both`` and None name none).
    mid_sentence : bool, default=False
        Lower-case the first letter, unless the first word is a proper noun ("Bulgarian").

    Examples
    --------
    >>> display_name("bulgarian_split_squat"), display_name("sled_push")
    ('Bulgarian split squat', 'Sled push')
    >>> display_name("bulgarian_split_squat", "left"), display_name("goblet_squat", "right")
    ('Left Bulgarian split squat', 'Right goblet squat')
    >>> display_name("goblet_squat", mid_sentence=True)
    'goblet squat'
    """
    key = str(exercise)
    name = _display_names().get(key) or key.replace("_", " ").capitalize()
    if side in ("left", "right"):
        name = f"{str(side).capitalize()} {_lower_first(name)}"
    return _lower_first(name) if mid_sentence else name


def _lower_first(text: str) -> str:
    return text if text.split(" ", 1)[0] in _PROPER else text[:1].lower() + text[1:]


def attach_info(sets: pd.DataFrame, *, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``sets`` with ``pattern, unilateral, load_type, muscles, bodyweight_fraction``.

    Exercises not in the catalog get pattern ``"other"``, ``unilateral`` True when any of their
    rows has a ``left`` or ``right`` side, load type ``external`` when any load is logged, else
    ``bodyweight`` (or ``time`` when only durations are logged).
    """
    info = exercise_info(catalog).drop(columns="name")
    out = sets.merge(info, on="exercise", how="left")
    unknown = out["pattern"].isna()
    if unknown.any():
        grp = out.loc[unknown].groupby("exercise", observed=True)
        sided = grp["side"].agg(lambda s: s.isin(["left", "right"]).any())
        loaded = grp["load_kg"].agg(lambda s: (s.fillna(0) > 0).any())
        timed = grp["duration_s"].agg(lambda s: s.notna().any()) if "duration_s" in out else None
        ex = out.loc[unknown, "exercise"]
        out.loc[unknown, "pattern"] = "other"
        out.loc[unknown, "unilateral"] = ex.map(sided).fillna(False).to_numpy()
        lt = ex.map(loaded).map({True: "external", False: "bodyweight"})
        if timed is not None:
            lt = lt.where(~(ex.map(timed).fillna(False) & (lt == "bodyweight")), "time")
        out.loc[unknown, "load_type"] = lt.to_numpy()
    out["unilateral"] = out["unilateral"].astype(bool)
    return out

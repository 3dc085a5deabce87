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
    >>> split_side("Bulgarian Split Squat (Left Leg, Dumbbells)")
    ('Bulgarian Split Squat (Dumbbells)', 'left')
    """
    text = str(name).strip()
    listed = _side_in_bracket_list(text)
    if listed is not None:
        return listed
    for pattern in _SIDE_PATTERNS:
        match = pattern.search(text)
        if match:
            rest = (text[: match.start()] + " " + text[match.end():]).strip()
            if rest:
                return re.sub(r"\s{2,}", " ", rest), _SIDE_MAP[match.group("side").lower()]
    return text, None


_BRACKET = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_SIDE_ITEM = re.compile(rf"^\s*{_SIDE_WORD}(?:\s+(?:leg|side|foot|hand|arm))?\s*$", re.I)


def _side_in_bracket_list(text: str) -> tuple[str, str] | None:
    """A side written as one item of a bracketed list: ``(Left Leg, Dumbbells)`` -> ``(Dumbbells)``, left."""
    for match in _BRACKET.finditer(text):
        items = match.group(1).split(",")
        if len(items) < 2:
            continue
        hits = [i for i, item in enumerate(items) if _SIDE_ITEM.match(item)]
        if len(hits) != 1:
            continue
        found = _SIDE_ITEM.match(items[hits[0]])
        assert found is not None  # matched just above
        rest = ", ".join(item.strip() for i, item in enumerate(items) if i != hits[0])
        return f"{text[: match.start()]}({rest}){text[match.end():]}".strip(), _SIDE_MAP[found.group("side").lower()]
    return None


# --- matching a name to a catalog key ----------------------------------------------------------
#: Words in brackets that qualify how a lift is logged, not which lift it is ("(Each Side)").
_QUALIFIERS = frozenset({"each side", "per side", "each", "with bar", "both sides", "per hand", "each hand",
                         "per arm", "each arm", "per leg", "each leg", "easy cable", "body turn"})
#: Equipment words written before a name (Fitbod: "Dumbbell Bench Press") or in brackets (Strong, Hevy).
_EQUIPMENT = ("smith machine", "ez bar", "trap bar", "hex bar", "barbell", "bb", "dumbbells", "dumbbell", "db",
              "kettlebells", "kettlebell", "kb", "cable", "machine", "band", "banded", "bodyweight", "weighted",
              "plate", "landmine")
_LEADING_EQUIPMENT = re.compile(rf"^(?:{'|'.join(_EQUIPMENT)})\s+(?=\S)")
_TRAILING_EQUIPMENT = re.compile(rf"(?<=\S)\s+(?:{'|'.join(_EQUIPMENT)})$")
#: Patterns whose catalog keys do not tell equipment apart (a dumbbell and a barbell RDL are one
#: lift for a runner's reassessment); upper-body keys do, so their names keep their equipment.
_EQUIPMENT_FREE = frozenset({"squat", "hinge", "lunge", "step", "bridge", "calf", "hip_abduction", "core",
                             "plyometric", "knee"})
#: A hold time written after the name: "Wall Sit 1:00", "Plank 45s", "Dead Hang 30 sec".
_TIME_IN_NAME = re.compile(r"\s+(?:(?P<m>\d{1,2}):(?P<s>[0-5]\d)|(?P<n>\d{1,3})\s*(?:s|sec|secs|seconds))\s*$", re.I)
_PLURALS = (("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("ies", "y"), ("s", ""))


def _singular(norm: str) -> str:
    """The name with its last word singular ("hammer curls" -> "hammer curl")."""
    head, _, last = norm.rpartition(" ")
    for plural, single in _PLURALS:
        if last.endswith(plural) and len(last) > len(plural) + 2 and not last.endswith(("ss", "us")):
            return f"{head} {last[: -len(plural)] + single}".strip()
    return norm


def _candidates(text: str) -> list[tuple[str, bool]]:
    """Normalised spellings to look up, most literal first; True marks spellings with equipment removed."""
    out: list[tuple[str, bool]] = []
    rest = _BRACKET.sub(" ", text)
    items = [normalise_name(i) for m in _BRACKET.finditer(text) for i in m.group(1).split(",")]
    items = [i for i in items if i and i not in _QUALIFIERS]
    spellings = [normalise_name(text)]
    if items:
        spellings += [normalise_name(f"{i} {rest}") for i in items]  # equipment first: "dumbbell bench press"
        spellings += [normalise_name(f"{rest} {' '.join(items)}")]
    spellings.append(normalise_name(rest))
    for norm in dict.fromkeys(s for s in spellings if s):
        out += [(norm, False), (_singular(norm), False)]
        if norm.startswith(("barbell ", "bb ")):  # a barbell is the default: "Barbell Curl" is a curl
            out.append((norm.split(" ", 1)[1], False))
        for bare in (_LEADING_EQUIPMENT.sub("", norm), _TRAILING_EQUIPMENT.sub("", norm)):
            if bare != norm:
                out += [(bare, True), (_singular(bare), True)]
    return out


def _lookup(name: str, aliases: dict[str, str], free: frozenset[str]) -> tuple[str | None, str | None]:
    """``(catalog key or None, side written in the name or None)`` of one raw name."""
    norm = normalise_name(name)
    if norm in aliases:
        return aliases[norm], None
    stripped, side = split_side(name)
    timed = _TIME_IN_NAME.search(stripped)
    texts = [stripped] + ([stripped[: timed.start()]] if timed else [])
    for text in texts:
        for cand, bare in _candidates(text):
            key = aliases.get(cand)
            if key is not None and (not bare or key in free):
                return key, side
    return None, side


def seconds_in_name(raw: pd.Series, *, catalog: pd.DataFrame | None = None) -> pd.Series:
    """Hold seconds written after a catalog exercise's name (``Wall Sit 1:00`` -> 60), else NA.

    Examples
    --------
    >>> seconds_in_name(pd.Series(["Wall Sit 1:00", "Plank 45s", "Wall Sit", "Zercher hop 30s"])).tolist()
    [60.0, 45.0, <NA>, <NA>]
    """
    aliases = _builtin_aliases() if catalog is None else _alias_table(catalog)
    free = _free_keys(catalog)
    found: dict[str, float] = {}
    for name in raw.dropna().astype(str).unique():
        stripped, _ = split_side(name)
        timed = _TIME_IN_NAME.search(stripped)
        if timed is None or normalise_name(name) in aliases:
            continue
        if _lookup(stripped[: timed.start()], aliases, free)[0] is not None:
            found[name] = float(int(timed["m"]) * 60 + int(timed["s"]) if timed["m"] else int(timed["n"]))
    return raw.map(found).astype("Float64")


def takes_assistance(raw: pd.Series, *, catalog: pd.DataFrame | None = None) -> pd.Series:
    """True where a weight may be assistance rather than load: an "assisted" name, a bodyweight,
    band or timed catalog exercise, or a name not in the catalog (False for loaded lifts).

    Examples
    --------
    >>> takes_assistance(pd.Series(["Pull Up", "Dip (Assisted)", "Back Squat", "Zercher hop"])).tolist()
    [True, True, False, True]
    """
    resolved = resolve_exercises(raw, catalog=catalog)
    load_type = resolved["exercise"].map(load_types(catalog))
    named = raw.astype("string").str.contains("assist", case=False).fillna(False).astype(bool)
    loose = load_type.isin(["bodyweight", "band", "time"]) | ~resolved["known"].astype(bool)
    return (named | loose).astype(bool)


@cache
def _builtin_load_types() -> dict[str, str]:
    return dict(zip(_builtin()["exercise"], _builtin()["load_type"], strict=True))


def load_types(catalog: pd.DataFrame | None = None) -> dict[str, str]:
    """``{exercise key: load type}`` of the catalog (the built-in one, cached, when None)."""
    if catalog is None:
        return _builtin_load_types()
    return dict(zip(catalog["exercise"], catalog["load_type"], strict=True))


_SINGLE_LEG_WORDS = re.compile(r"\b(?:single leg|one leg|1 leg|sl|unilateral|single legged)\b")


def looks_single_leg(name: object) -> bool:
    """True when a name says it is done one leg at a time ("Single Leg Kickback", "SL ...").

    Examples
    --------
    >>> looks_single_leg("Single-Leg Box Squat"), looks_single_leg("Bench Press")
    (True, False)
    """
    return bool(_SINGLE_LEG_WORDS.search(normalise_name(str(name))))


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


@cache
def _builtin_free() -> frozenset[str]:
    return _free_table(_builtin())


def _free_table(catalog: pd.DataFrame) -> frozenset[str]:
    return frozenset(catalog.loc[catalog["pattern"].isin(_EQUIPMENT_FREE), "exercise"])


def _free_keys(catalog: pd.DataFrame | None) -> frozenset[str]:
    """Keys that a name with its equipment word removed may resolve to."""
    return _builtin_free() if catalog is None else _free_table(catalog)


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
    free = _free_keys(catalog)
    values = raw.astype("string")
    uniques = values.dropna().unique()  # names repeat: resolve each distinct name once
    rows = {}
    for name in uniques:
        key, side = _lookup(name, aliases, free)
        if key is not None:
            rows[name] = (key, side if side else pd.NA, True)
        else:
            norm2 = normalise_name(split_side(name)[0])
            fallback = norm2.replace(" ", "_") or normalise_name(name).replace(" ", "_") or "unnamed"
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

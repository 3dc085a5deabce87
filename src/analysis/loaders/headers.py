"""Header aliases: how coaches and apps name the columns of a log, mapped to our fields.

Matching ignores case, punctuation and a unit written in brackets or as the last word
(``Weight (kg)``, ``Distance km``): the unit is kept and used to read the values.
"""

from __future__ import annotations

import re

#: field -> header spellings (normalised: lower case, words separated by one space).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "session date", "workout date", "datum", "fecha", "date time", "start time", "start"),
    "athlete": ("athlete", "name", "client", "runner", "athlete name", "player", "member"),
    "exercise": ("exercise", "movement", "lift", "exercise name", "exercise title", "exercises"),
    "side": ("side", "leg", "limb", "l r", "left right", "sides"),
    "sets": ("sets", "no of sets", "number of sets", "# sets", "#sets", "n sets", "set count"),
    "set": ("set", "set no", "set number", "set order", "set #", "set#", "set index", "set nr"),
    "reps": ("reps", "repetitions", "rep", "reps per set", "reps side", "reps per side", "reps leg",
             # sets x reps in one column ("3x10", "3 x 8-10 @ 40kg")
             "sets x reps", "set x reps", "sets reps", "set reps", "sets and reps", "setsxreps", "setsreps",
             "sets x reps x weight", "prescription", "scheme", "rep scheme", "set rep scheme", "sets reps scheme",
             "volume sets x reps"),
    "weight": ("weight", "load", "weight kg", "load kg", "kg", "lbs", "lb", "resistance", "external load"),
    "rpe": ("rpe", "effort", "session rpe"),
    "rir": ("rir", "reps in reserve"),
    "notes": ("notes", "note", "comment", "comments", "remarks"),
    "duration": ("duration", "time", "seconds", "secs", "hold", "hold time", "moving time", "elapsed time", "total time", "run time"),
    "distance": ("distance", "dist", "km", "miles", "run distance"),
    "pace": ("pace", "avg pace", "average pace", "pace per km", "pace km", "pace mi"),
    "run_type": ("type", "run type", "session type", "workout type", "run", "kind"),
    "avg_hr": ("avg hr", "hr", "heart rate", "average heart rate", "avg heart rate", "mean hr", "avg hr bpm"),
    "elevation": ("elevation gain", "elevation", "ascent", "total ascent", "elev gain", "climb", "vert"),
    "bodyweight": ("bodyweight", "body weight", "bw", "body mass", "weigh in", "bodyweight kg"),
    "warmup": ("warmup", "warm up", "is warmup", "warm-up", "iswarmup"),
    # a load written as a share of the athlete's 1RM ("%1RM", "% of 1RM", "Intensity"; see header_key)
    "pct_1rm": ("intensity", "percent 1rm", "pct 1rm", "percentage of 1rm", "percent of 1rm", "1rm percent"),
    # the 1RM itself, in a table of maxes (Exercise | 1RM)
    "one_rm": ("1rm", "1 rm", "one rep max", "max", "1rm kg", "training max", "tm", "max kg", "best 1rm", "e1rm"),
}

_LOOKUP = {alias: field for field, names in ALIASES.items() for alias in names}
_UNIT_WORDS = {
    "kg": "kg", "kgs": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb", "pounds": "lb",
    "km": "km", "kms": "km", "mi": "mi", "miles": "mi", "mile": "mi", "m": "m", "meters": "m", "metres": "m",
    "s": "s", "sec": "s", "secs": "s", "seconds": "s", "min": "min", "mins": "min", "minutes": "min",
    "h": "h", "hrs": "h", "hours": "h", "bpm": "bpm", "min km": "min/km", "min mi": "min/mi",
    "min/km": "min/km", "min/mi": "min/mi", "/km": "min/km", "/mi": "min/mi", "hh:mm:ss": "hms", "h:mm:ss": "hms",
    "mm:ss": "hms",
}


def header_key(text: object) -> tuple[str | None, str | None]:
    """Map one header cell to ``(field, unit)``; ``(None, None)`` when it is not ours.

    Examples
    --------
    >>> header_key("Weight (kg)")
    ('weight', 'kg')
    >>> header_key("lbs")
    ('weight', 'lb')
    >>> header_key("Distance (mi)")
    ('distance', 'mi')
    >>> header_key("Pace (min/km)")
    ('pace', 'min/km')
    >>> header_key("Colour")
    (None, None)
    """
    if text is None:
        return None, None
    raw = str(text).strip().lower()
    if not raw or raw == "nan":
        return None, None
    if "%" in raw and (raw.strip() == "%" or re.search(r"\d?\s*rm\b|max|intensity|load", raw)):
        return "pct_1rm", None  # "%1RM", "% of 1RM", "Load (%)"
    unit = None
    m = re.search(r"[\(\[]([^\)\]]*)[\)\]]", raw)
    if m:
        unit = _UNIT_WORDS.get(m.group(1).strip().replace(" ", ""), _UNIT_WORDS.get(m.group(1).strip()))
        raw = (raw[: m.start()] + " " + raw[m.end():]).strip()
    base = re.sub(r"[^0-9a-z#]+", " ", raw).strip()
    if base in _LOOKUP:
        field = _LOOKUP[base]
        if field == "weight" and base in ("kg", "lbs", "lb"):
            unit = unit or _UNIT_WORDS[base]
        if field == "distance" and base in ("km", "miles"):
            unit = unit or _UNIT_WORDS[base]
        return field, unit
    words = base.split(" ")
    if len(words) > 1 and words[-1] in _UNIT_WORDS:
        found = _LOOKUP.get(" ".join(words[:-1]))
        if found:
            return found, unit or _UNIT_WORDS[words[-1]]
    if len(words) > 2 and " ".join(words[-2:]) in _UNIT_WORDS:
        found = _LOOKUP.get(" ".join(words[:-2]))
        if found:
            return found, unit or _UNIT_WORDS[" ".join(words[-2:])]
    return None, None


def map_header(cells: list[object]) -> dict[str, tuple[int, str | None]]:
    """Map a header row to ``{field: (column position, unit)}``; first match of a field wins."""
    found: dict[str, tuple[int, str | None]] = {}
    for pos, cell in enumerate(cells):
        field, unit = header_key(cell)
        if field and field not in found:
            found[field] = (pos, unit)
    return found


def table_kind(fields: dict[str, tuple[int, str | None]]) -> str | None:
    """What a header describes: ``"sets"``, ``"runs"``, ``"bodyweight"``, ``"maxes"`` (each exercise's
    1RM, for loads written as % of 1RM) or None (not a log)."""
    has = set(fields)
    if "exercise" in has and has & {"reps", "weight", "sets", "duration", "pct_1rm"}:
        return "sets"
    if "exercise" in has and "one_rm" in has:
        return "maxes"
    if "distance" in has and has & {"duration", "pace"} and "exercise" not in has:
        return "runs"
    if "bodyweight" in has and "date" in has:
        return "bodyweight"
    if "weight" in has and "date" in has and not has & {"exercise", "reps", "distance"}:
        return "bodyweight"
    return None

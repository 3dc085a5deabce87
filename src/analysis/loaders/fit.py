"""FIT activity files from watches, plain or gzipped (Strava archives).

Each running ``session`` message is one run; the ``set`` messages of a watch strength activity
are sets (:mod:`analysis.loaders.fit_strength`), so runs and strength from one watch load into
one log. Detection is by content: ``.FIT`` at bytes 8-11. Gzip, local time and ``source_row``
are defined in :mod:`analysis.loaders.runs_common`.

A file that breaks off in the middle (the Strava Android app writes such files: fitdecode stops
with "local message 11 not defined") keeps what was decoded before the break, with a ``kept``
problem naming the byte; only a file with nothing usable before it is refused.

What each run gets
------------------
date
    Local start: session ``start_time``.
distance_km
    ``total_distance``.
duration_s
    ``total_moving_time``, else ``total_timer_time``, else ``total_elapsed_time``.
avg_hr_bpm
    ``avg_heart_rate``.
elevation_gain_m
    ``total_ascent``.
run_type
    NA (a FIT file has no title).

A FIT file without a ``session`` message is summarised from its ``record`` messages (first
time, last distance, elapsed time, mean heart rate, smoothed ascent) with a ``kept`` problem.
Only sport ``running`` is a run; other sports are skipped and counted.

Times in FIT files are UTC. They become local with ``timezone``; without it, the file's
``activity.local_timestamp`` (the watch's zone) is used, else the machine's zone.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd

from analysis.errors import LogFormatError
from analysis.loaders.base import FileResult, Options, Reader, Sniff, register
from analysis.loaders.fit_strength import strength_sets
from analysis.loaders.guards import check_fit
from analysis.loaders.runs_common import (
    RunCollector,
    content_head,
    elevation_gain_m,
    file_error,
    read_payload,
)

__all__ = ["read_fit"]

FIT_LABEL = "FIT activity (.fit)"
STRENGTH_LABEL = "Garmin FIT strength activity (.fit)"


def _fit_messages(data: bytes, path: Path, out: RunCollector) -> dict[str, list[dict]]:
    """session, record, activity, sport and set messages as dicts; a CRC mismatch is a kept
    problem, and so is a file that breaks off after something usable was read."""
    import fitdecode

    def collect(check: fitdecode.CrcCheck) -> dict[str, list[dict]]:
        msgs: dict[str, list[dict]] = {"session": [], "record": [], "activity": [], "sport": [], "set": [],
                                        "workout_step": []}
        reader = fitdecode.FitReader(
            io.BytesIO(data), check_crc=check, error_handling=fitdecode.ErrorHandling.IGNORE
        )
        try:
            with reader as fit:
                for frame in fit:
                    if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name in msgs:
                        msgs[frame.name].append({f.name: f.value for f in frame.fields})
        except fitdecode.FitCRCError:
            raise
        except fitdecode.FitParseError as exc:  # a damaged tail: keep what came before it
            if not (msgs["session"] or msgs["record"] or msgs["set"]):
                raise
            text = (f"the file breaks off ({exc}); the messages before the break were read: "
                    f"{len(msgs['session'])} session, {len(msgs['record'])} records, {len(msgs['set'])} sets")
            out.problems.add(None, None, None, text, "kept")
        return msgs

    try:
        try:
            return collect(fitdecode.CrcCheck.RAISE)
        except fitdecode.FitCRCError:
            text = "the FIT checksum does not match (file damaged or cut short); read what could be read"
            out.problems.add(None, None, None, text, "kept")
            return collect(fitdecode.CrcCheck.READONLY)
    except LogFormatError:
        raise
    except Exception as exc:
        # fitdecode raises FitError, and plain TypeError/ValueError/struct.error/AssertionError on
        # corrupt field definitions (a field size that does not fit its type): the file is unreadable
        raise file_error(path, f"not a readable FIT file ({str(exc) or type(exc).__name__}).") from None


def _num(msg: dict, *names: str) -> float:
    """The first of ``names`` holding a positive number, else NaN."""
    for n in names:
        v = msg.get(n)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
            return float(v)
    return math.nan


def read_fit(path: str | Path, options: Options | None = None) -> FileResult:
    """Read a FIT activity (plain or gzipped): one run per running ``session`` message.

    Parameters
    ----------
    path : str or Path
        A ``.fit`` or ``.fit.gz`` file.
    options : Options, default=None
        ``timezone`` (None: the watch's ``local_timestamp``, else the machine's zone) and
        ``athlete`` as for :func:`analysis.loaders.gpsfiles.read_gpx`.

    Returns
    -------
    FileResult
        ``runs`` with the canonical run columns (see
        :func:`analysis.loaders.gpsfiles.read_gpx`; duration_s is moving time, else timer time,
        in s; run_type NA); ``skipped`` counts other sports.

    Raises
    ------
    LogFormatError
        A FIT file that cannot be decoded, or a bad gzip.

    Examples
    --------
    >>> import tempfile
    >>> cut = Path(tempfile.mkdtemp()) / "cut.fit"
    >>> _ = cut.write_bytes(b"\\x0e\\x20\\x00\\x00\\x00\\x00\\x00\\x00.FIT\\x00\\x00")  # a header, nothing else
    >>> read_fit(cut)
    Traceback (most recent call last):
    ...
    analysis.errors.LogFormatError: cut.fit: not a readable FIT file (expected 2 bytes, got 0 @ 14).
    """
    path = Path(path)
    data = read_payload(path)
    check_fit(path, data)  # messages counted before fitdecode decodes any (about 30,000 a second)
    out = RunCollector(path, FIT_LABEL, options or Options(), "start_time")
    msgs = _fit_messages(data, path, out)
    offset = _watch_offset(msgs["activity"])
    athlete = (out.options.athlete or "").strip() or _stem(path)
    sets = strength_sets(msgs["set"], path.name, athlete, out.options, offset, out.result, out.problems)
    if sets is not None:
        out.result.sets = sets
        out.result.format = STRENGTH_LABEL
    if msgs["session"]:
        _add_sessions(out, msgs["session"], strength=bool(msgs["set"]))
    elif msgs["record"]:
        out.time_column = "timestamp"
        _add_record_summary(out, msgs)
    elif not msgs["set"]:
        out.time_column = "timestamp"
        out.result.rows_read += 1
        text = "no session and no record messages: nothing recorded"
        if msgs["workout_step"]:  # a workout made in Garmin Connect and sent to the watch
            text = (f"a planned workout ({len(msgs['workout_step'])} steps), not a recorded activity: load the FIT "
                    "of the activity the watch recorded when it was done")
        out.problems.add(1, "session", None, text, "dropped")
    return out.finish(offset)


def _stem(path: Path) -> str:
    name = path.name
    for ext in (".gz", ".fit"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return name


def _watch_offset(activities: list[dict]) -> dt.timedelta | None:
    """The watch's UTC offset (``local_timestamp - timestamp`` of the activity message), else None."""
    offset = None
    for act in activities:
        ts, local = act.get("timestamp"), act.get("local_timestamp")
        if isinstance(ts, dt.datetime) and isinstance(local, dt.datetime):
            offset = local.replace(tzinfo=None) - ts.replace(tzinfo=None)
    return offset


def _add_sessions(out: RunCollector, sessions: list[dict], *, strength: bool = False) -> None:
    """One run per running session; other sports counted as skipped (a strength session whose
    sets were read is not: its sets are its rows)."""
    for i, s in enumerate(sessions, start=1):
        if str(s.get("sport")) != "running":
            if not (strength and str(s.get("sport")) in ("training", "fitness_equipment")):
                out.skip(s.get("sport", "(no sport)"))
            continue
        secs = _num(s, "total_moving_time", "total_timer_time", "total_elapsed_time")
        ascent = (
            float(s["total_ascent"]) if isinstance(s.get("total_ascent"), (int, float)) else math.nan
        )
        start = s.get("start_time") or s.get("timestamp")
        out.add(i, start, _num(s, "total_distance") / 1000.0, secs, _num(s, "avg_heart_rate"), ascent, None)


def _add_record_summary(out: RunCollector, msgs: dict[str, list[dict]]) -> None:
    """A file without a session message: one run summarised from its records (noted as ``kept``)."""
    rec = pd.DataFrame(msgs["record"])
    sport = next((m["sport"] for m in msgs["sport"] if m.get("sport") is not None), None)
    if sport is not None and str(sport) != "running":
        out.skip(sport)
        return
    col = rec.reindex(
        columns=["timestamp", "distance", "heart_rate", "enhanced_altitude", "altitude"]
    )
    times = pd.to_datetime(col["timestamp"], utc=True).dropna()
    num = col.drop(columns="timestamp").apply(pd.to_numeric, errors="coerce")
    alt = num["enhanced_altitude"].where(num["enhanced_altitude"].notna(), num["altitude"])
    guess = "" if sport else ", sport unknown: taken as a run"
    text = f"no session message; summary worked out from the records (duration is elapsed time{guess})"
    out.problems.add(1, "session", None, text, "kept")
    secs = (times.max() - times.min()).total_seconds() if len(times) > 1 else math.nan
    start = times.min() if len(times) else None
    out.add(
        1,
        start,
        num["distance"].max() / 1000.0,
        secs,
        num["heart_rate"].mean(),
        elevation_gain_m(alt),
        None,
    )


# --- registration ----------------------------------------------------------------------------


def _is_fit(sniff: Sniff) -> bool:
    head = content_head(sniff.head)
    return len(head) >= 12 and head[8:12] == b".FIT" and head[0] in (12, 14)


register(Reader("fit", FIT_LABEL, _is_fit, lambda path, sniff, opts: read_fit(path, opts), 20))

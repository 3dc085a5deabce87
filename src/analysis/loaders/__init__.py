"""Loaders: files -> :class:`TrainingLog`; the only code that opens input files.

:func:`read_logs` detects each file's format from its content, reads it with the matching
reader and returns one :class:`TrainingLog` with the canonical ``sets``, ``runs``,
``bodyweight`` and ``problems`` tables (:mod:`analysis.columns`).

Where things are
----------------
* :mod:`.log`: :func:`read_logs`, :class:`TrainingLog`; :mod:`.accounting`: the checks across
  files every format goes through (repeated files and rows, odd dates, name cleaning).
* :mod:`.base`: the reader registry, detection, text decoding, the problems collector;
  :mod:`.guards`: what a file really is, and workbook safety scans.
* :mod:`.values`, :mod:`.headers`: value parsers (``62,5``, ``3 x 10 @ 40kg``, dates) and
  header aliases.
* :mod:`.tables`: coach spreadsheets (CSV and workbooks), whose rows :mod:`.table_sets` and
  :mod:`.table_rows` (runs, bodyweight) read; :mod:`.canonical`: liftpace's own columns;
  :mod:`.finalize`: names, sides and set numbers for every format.
* One module per app or file family: :mod:`.strong`, :mod:`.hevy`, :mod:`.fitnotes`
  (on :mod:`.apps`), :mod:`.garmin`, :mod:`.strava` (on :mod:`.runs_common`),
  :mod:`.gpsfiles` (GPX, TCX), :mod:`.fit`.
* :mod:`.plan`: a coach's Plan sheet; :mod:`.quality`: the data-quality tables of a log.
"""

from analysis.loaders.log import TrainingLog, read_logs

__all__ = ["TrainingLog", "read_logs"]

"""Private machinery the public analyses share (like seaborn's ``_core``); plain names inside.

* :mod:`.options`: option checks and value coercions, one message format.
* :mod:`.e1rm`: the seven 1RM equations and the RTS RPE chart, on arrays.
* :mod:`.prepared`: one encoding of a ``sets`` table (:class:`~.prepared.Prepared`), shared by
  every analysis inside :func:`~.prepared.sharing`.
* :mod:`.sessions`: session bests per athlete, exercise, side and date; block labels.
* :mod:`.stats`: z, typical error, Theil-Sen with Sen's CI.
* :mod:`.frames`: named and grouped aggregation with less of pandas' fixed cost (one
  athlete's small frames), the same frames as ``groupby().agg()``.

Nothing here is public API: import the analyses (``analysis.progression`` ...) instead.
"""

"""The data-quality tables of a loaded log: what each file gave, and every problem."""

from __future__ import annotations

import pandas as pd

from analysis.loaders.log import TrainingLog

__all__ = ["data_quality_tables"]


def data_quality_tables(log: TrainingLog) -> dict[str, pd.DataFrame]:
    """What loaded from each file, and every problem, for the data-quality notebook and sheet.

    Parameters
    ----------
    log : TrainingLog
        From :func:`analysis.read_logs`.

    Returns
    -------
    dict of str to DataFrame
        ``Files``: ``file, format, sets, runs, bodyweight, problems, skipped`` (skipped row
        classes, text), ``error``; ``Problem summary``: ``problem, action, rows`` (count,
        most frequent first); ``Problems``: the canonical problems table.

    Raises
    ------
    TypeError
        If ``log`` has no ``files`` and ``problems``.

    Examples
    --------
    >>> from analysis import columns as C
    >>> log = TrainingLog(C.empty(C.SETS), C.empty(C.RUNS), C.empty(C.BODYWEIGHT), C.empty(C.PROBLEMS))
    >>> list(data_quality_tables(log))
    ['Files', 'Problem summary', 'Problems']
    """
    if not hasattr(log, "files") or not hasattr(log, "problems"):
        raise TypeError(
            f"data_quality_tables() expected a TrainingLog from read_logs(), got {type(log).__name__} instead."
        )
    files = pd.DataFrame(
        {
            "file": [str(f["path"]).replace("\\", "/").rsplit("/", 1)[-1] for f in log.files],
            "format": [f.get("format") for f in log.files],
            **{
                k: [int(f.get(k, 0)) for f in log.files]
                for k in ("sets", "runs", "bodyweight", "problems")
            },
            "skipped": [
                "; ".join(f"{k}: {v}" for k, v in (f.get("skipped") or {}).items())
                for f in log.files
            ],
            "error": [f.get("error") for f in log.files],
        }
    )
    problems = log.problems.reset_index(drop=True)
    summary = (
        problems.groupby(["problem", "action"], sort=False, dropna=False)
        .size()
        .rename("rows")
        .reset_index()
        .sort_values("rows", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    tables = {"Files": files, "Problem summary": summary, "Problems": problems}
    return tables

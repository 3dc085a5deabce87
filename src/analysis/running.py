"""Running formulas on numbers and arrays: VDOT, Riegel's time prediction, grade-adjusted pace.

Per-run and weekly tables built on them are in :mod:`analysis.pace`. Pace is in seconds per kilometre (s/km), lower is
faster; :func:`format_pace` turns seconds into ``m:ss`` for display.

Definitions
-----------
VDOT
    Daniels & Gilbert (*Oxygen Power*, 1979; Daniels' Running Formula, 3rd ed. 2014), with v in
    m/min and t in min: ``VO2 = -4.60 + 0.182258 v + 0.000104 v²``, ``%max = 0.8 + 0.1894393
    e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)``, ``VDOT = VO2 / %max``. From a race it
    estimates fitness; from a training run it only gives the VDOT that effort corresponds to
    (a lower bound). NA when VO2 <= 0 (walking speeds).
Riegel
    ``T2 = T1 (D2 / D1) ** 1.06`` (Riegel, American Scientist 1981;69:285–290), meant for about
    3.5–230 min.
Grade-adjusted pace (approximate)
    Minetti et al. (J Appl Physiol 2002;93:1039–1046) energy cost of running ``Cr(i) = 155.4i⁵
    - 30.4i⁴ - 43.3i³ + 46.3i² + 19.5i + 3.6`` J/kg/m. We only have the total elevation gain of a
    run, so we assume a loop (start = finish): half the distance climbs at ``g = gain /
    (distance / 2)`` and half descends at ``-g``; ``gap = pace × Cr(0) / mean(Cr(g), Cr(-g))``.
    Real routes mix gradients, so this is an approximation, and NA beyond Minetti's ±0.45 range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.columns import float_values


def _out(result: np.ndarray) -> float | np.ndarray:
    return float(result) if result.ndim == 0 else result


def vdot(distance_m: Any, time_s: Any) -> float | np.ndarray:
    """Daniels–Gilbert VDOT of covering ``distance_m`` in ``time_s``.

    Parameters
    ----------
    distance_m : float or array-like
        Distance in metres.
    time_s : float or array-like
        Time in seconds (broadcast against ``distance_m``).

    Returns
    -------
    float or numpy.ndarray
        VDOT in ml/kg/min (a float for scalar input); nan where a distance or time is missing or
        not positive, or the speed is below the formula's range (VO2 <= 0).

    Raises
    ------
    TypeError
        If an input is not numeric.

    Notes
    -----
    ``VDOT = VO2(v) / %VO2max(t)``, see the module docstring (Daniels & Gilbert 1979). Published
    example: 10 km in 40:00 gives VO2 47.4645, %max 0.9137614, VDOT 51.944. The formula matches
    Daniels' Table 5.1 within ±0.07 VDOT.

    Examples
    --------
    >>> round(vdot(10_000, 40 * 60), 2)
    51.94
    """
    d = float_values(distance_m, name="distance_m", func="vdot")
    t = float_values(time_s, name="time_s", func="vdot")
    with np.errstate(divide="ignore", invalid="ignore"):
        t_min = t / 60.0
        v = d / t_min
        vo2 = -4.60 + 0.182258 * v + 0.000104 * v**2
        pct = 0.8 + 0.1894393 * np.exp(-0.012778 * t_min) + 0.2989558 * np.exp(-0.1932605 * t_min)
        out = np.where((d > 0) & (t > 0) & (vo2 > 0), vo2 / pct, np.nan)
    return _out(np.asarray(out, dtype=float))


def riegel_time(
    time_s: Any, distance_m: Any, target_distance_m: Any, *, exponent: float = 1.06
) -> float | np.ndarray:
    """Riegel's predicted time over ``target_distance_m`` from a performance ``time_s`` over ``distance_m``.

    Parameters
    ----------
    time_s : float or array-like
        Known time in seconds.
    distance_m : float or array-like
        Known distance in metres.
    target_distance_m : float or array-like
        Distance to predict, in metres.
    exponent : float, default=1.06
        Fatigue exponent (Riegel 1981).

    Returns
    -------
    float or numpy.ndarray
        Predicted time in seconds; nan where an input is missing or not positive.

    Raises
    ------
    ValueError
        If ``exponent`` is not a positive number.
    TypeError
        If an input is not numeric.

    Notes
    -----
    ``T2 = T1 (D2 / D1) ** exponent`` (Riegel PS, American Scientist 1981;69:285–290), intended
    for about 3.5–230 min. 5 km in 20:00 gives 10 km 41:42, half 1:32:00, marathon 3:11:49.

    Examples
    --------
    >>> format_pace(riegel_time(20 * 60, 5_000, 10_000))
    '41:42'
    """
    if isinstance(exponent, bool) or not isinstance(exponent, int | float) or not exponent > 0:
        raise ValueError(
            f"riegel_time() expected a positive exponent (Riegel's is 1.06), got {exponent!r} instead."
        )
    t = float_values(time_s, name="time_s", func="riegel_time")
    d1 = float_values(distance_m, name="distance_m", func="riegel_time")
    d2 = float_values(target_distance_m, name="target_distance_m", func="riegel_time")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where((t > 0) & (d1 > 0) & (d2 > 0), t * (d2 / d1) ** exponent, np.nan)
    return _out(np.asarray(out, dtype=float))


def _minetti_cr(i: np.ndarray) -> np.ndarray:
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6


def grade_adjusted_pace(
    pace_s_per_km: Any, distance_km: Any, elevation_gain_m: Any
) -> float | np.ndarray:
    """Approximate flat-equivalent pace from a run's total elevation gain (Minetti, loop assumption).

    Parameters
    ----------
    pace_s_per_km : float or array-like
        Actual pace in s/km.
    distance_km : float or array-like
        Run distance in km.
    elevation_gain_m : float or array-like
        Total elevation gain in metres.

    Returns
    -------
    float or numpy.ndarray
        Grade-adjusted pace in s/km (approximate); nan where an input is missing, the distance is
        not positive, the gain is negative, or the gradient leaves Minetti's ±0.45 range.

    Raises
    ------
    TypeError
        If an input is not numeric.

    Notes
    -----
    Half the run climbs at ``g = gain / (distance / 2)`` and half descends at ``-g``;
    ``gap = pace × Cr(0) / mean(Cr(g), Cr(-g))`` with Minetti et al.'s (2002) ``Cr``. A 10 km loop
    with 500 m gain (g = 0.1): mean(5.968, 2.152) / 3.6 = 1.1278, so 5:00/km becomes about 4:26/km.

    Examples
    --------
    >>> round(grade_adjusted_pace(300.0, 10.0, 500.0), 1)
    266.0
    """
    pace = float_values(pace_s_per_km, name="pace_s_per_km", func="grade_adjusted_pace")
    d = float_values(distance_km, name="distance_km", func="grade_adjusted_pace")
    gain = float_values(elevation_gain_m, name="elevation_gain_m", func="grade_adjusted_pace")
    with np.errstate(divide="ignore", invalid="ignore"):
        g = gain / (d * 1000.0 / 2.0)
        factor = (_minetti_cr(g) + _minetti_cr(-g)) / 2.0 / _minetti_cr(np.zeros_like(g))
        ok = (pace > 0) & (d > 0) & (gain >= 0) & (g <= 0.45)
        out = np.where(ok, pace / factor, np.nan)
    return _out(np.asarray(out, dtype=float))


def format_pace(seconds: float | None) -> str:
    """Format seconds (per km, or a duration) as ``m:ss``, or ``h:mm:ss`` from one hour.

    Parameters
    ----------
    seconds : float or None
        Seconds; rounded to the nearest whole second (halves up) before splitting, so 59.6 s is
        ``'1:00'``, never ``'0:60'``.

    Returns
    -------
    str
        ``'m:ss'`` (``'h:mm:ss'`` at 3600 s or more), or ``'–'`` for a missing value.

    Raises
    ------
    ValueError
        If ``seconds`` is negative or infinite.

    Examples
    --------
    >>> format_pace(59.6), format_pace(305.2), format_pace(5520)
    ('1:00', '5:05', '1:32:00')
    """
    if seconds is None or pd.isna(seconds):
        return "–"
    value = float(seconds)
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"format_pace() expected a finite number of seconds >= 0, got {seconds!r} instead."
        )
    total = int(np.floor(value + 0.5))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

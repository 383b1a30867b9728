"""The tail functions the pooling code needs, straight from ``scipy.special``.

``scipy.stats`` takes about half a second to import (its distribution classes and their
docstrings), and every review build pays it: each ``evidence`` command that pools and every
notebook kernel. The pooling code needs five tail functions and one robust scale; scipy.stats
computes those with the same ``scipy.special`` calls used here
(``scipy/stats/_continuous_distns.py``: ``_norm_sf`` = ``ndtr(-x)``, ``_norm_isf`` =
``-ndtri(q)``, ``t_gen._sf`` = ``stdtr(df, -x)``, ``t_gen._isf`` = ``-stdtrit(df, q)``,
``chi2_gen._sf`` = ``chdtrc(df, x)``), so the numbers are the same to the last bit for the
arguments the code passes (finite x, 0 < q < 1, df > 0). The call sites keep scipy.stats'
spelling (``stats.norm.isf(q)``), imported as ``from . import _dist as stats``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["norm", "t", "chi2", "median_abs_deviation"]


class norm:  # noqa: N801 - scipy.stats' name
    """Standard normal tails."""

    @staticmethod
    def sf(x):
        return special.ndtr(-np.asarray(x, dtype=float))[()]

    @staticmethod
    def isf(q):
        return -special.ndtri(np.asarray(q, dtype=float))[()]


class t:  # noqa: N801
    """Student t tails with ``df`` degrees of freedom."""

    @staticmethod
    def sf(x, df):
        return special.stdtr(df, -np.asarray(x, dtype=float))[()]

    @staticmethod
    def isf(q, df):
        return -special.stdtrit(df, np.asarray(q, dtype=float))[()]


class chi2:  # noqa: N801
    """Chi-squared upper tail with ``df`` degrees of freedom."""

    @staticmethod
    def sf(x, df):
        return special.chdtrc(df, np.asarray(x, dtype=float))[()]


def median_abs_deviation(x, *, scale: str = "normal") -> float:
    """``scipy.stats.median_abs_deviation(x, scale="normal")``: MAD / Phi^-1(3/4)."""
    if scale != "normal":
        raise ValueError(f"scale must be 'normal'; got {scale!r}")
    x = np.asarray(x, dtype=float)
    med = np.median(x)
    return float(np.median(np.abs(x - med)) / special.ndtri(0.75))

"""The results of pooling: :class:`MetaResult` and :class:`EggerResult`, frozen dataclasses.

Part of :mod:`evidence.meta` (which re-exports every name here). A result
explains itself as statsmodels' does: :meth:`MetaResult.conf_int`,
:meth:`MetaResult.test_homogeneity` (a named tuple), :meth:`MetaResult.summary_frame`
(a labelled DataFrame) and :meth:`MetaResult.to_dict` (the ``evidence meta``
JSON object, exactly :data:`CONTRACT_KEYS`). Values on the analysis scale (log
for ratios) and on the natural scale are named apart; a value that is not
finite is refused when the result is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence.errors import NonFiniteError
from evidence.meta_model import LEVEL

#: Keys of the ``evidence meta`` JSON object, in the contract's order.
CONTRACT_KEYS = (
    "k", "measure", "method", "hksj", "estimate", "ci_low", "ci_high", "yi", "se", "tau2",
    "i2", "h2", "q", "q_df", "q_p", "pi_low", "pi_high",
)

#: tau2 and I2 below this are reported as 0 (to_dict, summary_frame): rounding residue
ZERO_BELOW = 1e-10


class Interval(NamedTuple):
    """A confidence or prediction interval."""

    low: float
    high: float


class Homogeneity(NamedTuple):
    """Cochran's Q test of homogeneity."""

    q: float
    df: int
    pvalue: float


# ----------------------------------------------------------------------------------------------
# results


def _readonly(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _zero_tiny(x: float) -> float:
    """0.0 for a value below :data:`ZERO_BELOW` in size (rounding residue), else ``x``."""
    return 0.0 if abs(x) < ZERO_BELOW else float(x)


def _py(x):
    """A JSON-ready Python value: float/int, None for missing or non-finite values."""
    if x is None or isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    return x if math.isfinite(x) else None


def _check_finite(result) -> None:
    """Refuse a result with a reported value that is not finite (it would print as null)."""
    analysis = {"yi": result.yi, "se": result.se, "ci_low": result.ci.low,
                "ci_high": result.ci.high, "tau2": result.tau2, "i2": result.i2, "h2": result.h2,
                "q": result.q, "q_p": result.q_p}
    if result.pi is not None:
        analysis.update(pi_low=result.pi.low, pi_high=result.pi.high)
    bad = [name for name, x in analysis.items() if not math.isfinite(x)]
    if bad:
        raise NonFiniteError(
            f"the pooled result is not a finite number ({', '.join(bad)}); the input is too "
            f"extreme for double precision: check the units and the scale of yi and vi"
        )
    natural = {"estimate": result.estimate, "ci_low": result.ci_low, "ci_high": result.ci_high,
               "pi_low": result.pi_low, "pi_high": result.pi_high}
    bad = [name for name, x in natural.items() if x is not None and not math.isfinite(x)]
    if bad:
        raise NonFiniteError(
            f"exp() of the pooled value overflows ({', '.join(bad)} from yi = {result.yi:.6g}, "
            f"interval {result.ci.low:.6g} to {result.ci.high:.6g} on the log scale): "
            f"the ratio is too large to represent; "
            + ("with transf 'exp' yi must be on the log scale: check the input, or use transf "
               "'none'" if result.transf == "exp" else "check the input")
        )


@dataclass(frozen=True, eq=False)
class MetaResult:
    """A pooled estimate with its heterogeneity statistics.

    Values named ``yi``, ``se``, ``ci`` and ``pi`` are on the analysis scale
    (log for RR and OR); :attr:`estimate`, :attr:`ci_low`, :attr:`ci_high`,
    :attr:`pi_low` and :attr:`pi_high` are on the natural scale (exponentiated
    for RR, OR, and for GENERIC with ``transf="exp"``).

    Attributes
    ----------
    measure, method : str
        As given (upper case); ``method`` is one of FE, MH, DL, REML, PM.
    hksj : bool
        Whether the Hartung-Knapp-Sidik-Jonkman adjustment was used.
    transf : str
        ``"exp"`` or ``"none"``.
    k : int
        Number of studies.
    yi, se : float
        Pooled value and its standard error.
    stat : float
        Test statistic of ``yi = 0``: z, or t on :attr:`df` degrees of freedom.
    df : int or None
        Degrees of freedom of the t distribution (HKSJ), else None.
    pvalue : float
        Two-sided p-value of ``stat``.
    ci : Interval
        Confidence interval of ``yi`` (95%).
    tau2 : float
        Between-study variance (0 for FE and MH, as metafor reports it).
    i2, h2 : float
        I^2 (percent) and H^2. Random effects: metafor's definition
        ``100 tau2 / (tau2 + vt)`` with the typical within-study variance
        ``vt = (k - 1) / tr(P)``; FE and MH: ``100 (Q - df) / Q`` (at least 0)
        and ``Q / df``.
    q, q_df, q_p : float, int, float
        Cochran's Q, its degrees of freedom and p-value.
    pi : Interval or None
        95% prediction interval of a new study's true effect (random effects
        only), as metafor's ``predict``: t on k-1 df with HKSJ, else normal.
    studies : tuple of str
        Study labels.
    study_yi, study_vi : ndarray
        Study effect sizes and sampling variances (escalc's values).
    weights : ndarray
        Study weights in percent (inverse variance, or Mantel-Haenszel).
    counts : tuple of ndarray or None
        ``(events_t, n_t, events_c, n_c)`` for MH (needed to refit), else None.
    """

    measure: str
    method: str
    hksj: bool
    transf: str
    k: int
    yi: float
    se: float
    stat: float
    df: int | None
    pvalue: float
    ci: Interval
    tau2: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi: Interval | None
    studies: tuple[str, ...] = field(repr=False)
    study_yi: np.ndarray = field(repr=False)
    study_vi: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    counts: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    def __post_init__(self):
        _check_finite(self)

    # -- scales ---------------------------------------------------------------------------------
    @property
    def log_scale(self) -> bool:
        """True when the analysis scale is the log of the natural scale."""
        return self.measure in ("RR", "OR") or self.transf == "exp"

    def _natural(self, x):
        if x is None:
            return None
        if not self.log_scale:
            return float(x)
        with np.errstate(over="ignore"):
            return float(np.exp(x))

    @property
    def estimate(self) -> float:
        """Pooled estimate on the natural scale."""
        return self._natural(self.yi)

    @property
    def ci_low(self) -> float:
        return self._natural(self.ci.low)

    @property
    def ci_high(self) -> float:
        return self._natural(self.ci.high)

    @property
    def pi_low(self) -> float | None:
        return None if self.pi is None else self._natural(self.pi.low)

    @property
    def pi_high(self) -> float | None:
        return None if self.pi is None else self._natural(self.pi.high)

    @property
    def stat_name(self) -> str:
        """``"t"`` with HKSJ, else ``"z"``."""
        return "z" if self.df is None else "t"

    # -- explaining itself ----------------------------------------------------------------------
    def conf_int(self, *, natural: bool = False) -> Interval:
        """95% confidence interval of the pooled value (analysis or natural scale)."""
        return Interval(self.ci_low, self.ci_high) if natural else self.ci

    def test_homogeneity(self) -> Homogeneity:
        """Cochran's Q test: ``Homogeneity(q, df, pvalue)``."""
        return Homogeneity(self.q, self.q_df, self.q_p)

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence meta`` JSON object: exactly :data:`CONTRACT_KEYS`.

        ``estimate``, ``ci_low``, ``ci_high``, ``pi_low`` and ``pi_high`` are on
        the natural scale; ``yi`` and ``se`` on the analysis scale; ``pi_low``
        and ``pi_high`` are None for FE and MH, whose ``tau2`` is 0 (as metafor
        reports it). ``tau2`` and ``i2`` below :data:`ZERO_BELOW` (1e-10) are
        reported as 0: at that size they are rounding residue of an estimate
        that is 0, and ``3.2e-17`` would read as a number. A value that is not finite (only in degenerate cases)
        becomes None, so the dict is valid JSON.
        """
        values = {
            "k": self.k, "measure": self.measure, "method": self.method, "hksj": self.hksj,
            "estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "yi": self.yi, "se": self.se, "tau2": _zero_tiny(self.tau2),
            "i2": _zero_tiny(self.i2), "h2": self.h2,
            "q": self.q, "q_df": self.q_df, "q_p": self.q_p,
            "pi_low": self.pi_low, "pi_high": self.pi_high,
        }
        return {key: _py(values[key]) for key in CONTRACT_KEYS}

    def summary_frame(self) -> pd.DataFrame:
        """Studies and the pooled result as a labelled DataFrame.

        Returns
        -------
        DataFrame
            One row per study, then one row labelled ``pooled (METHOD)``.
            Columns: ``kind`` ("study" or "pooled"), ``yi``, ``se``,
            ``yi_ci_low``, ``yi_ci_high`` (analysis scale; 95% normal
            intervals for studies), ``estimate``, ``ci_low``, ``ci_high``
            (natural scale), ``pi_low``, ``pi_high`` (pooled row, random
            effects only), ``weight`` (percent), ``tau2`` and ``i2`` (pooled
            row; below :data:`ZERO_BELOW` shown as 0). ``frame.attrs`` holds
            ``measure``, ``method``, ``hksj``, ``transf`` and ``log_scale``.
        """
        z = stats.norm.isf((1 - LEVEL) / 2)
        se = np.sqrt(self.study_vi)
        lo, hi = self.study_yi - z * se, self.study_yi + z * se
        nat = np.exp if self.log_scale else (lambda x: np.asarray(x, dtype=float))
        label = f"pooled ({self.method}{', HKSJ' if self.hksj else ''})"
        frame = pd.DataFrame(
            {
                "kind": ["study"] * self.k + ["pooled"],
                "yi": np.append(self.study_yi, self.yi),
                "se": np.append(se, self.se),
                "yi_ci_low": np.append(lo, self.ci.low),
                "yi_ci_high": np.append(hi, self.ci.high),
                "estimate": nat(np.append(self.study_yi, self.yi)),
                "ci_low": nat(np.append(lo, self.ci.low)),
                "ci_high": nat(np.append(hi, self.ci.high)),
                "pi_low": [np.nan] * self.k + [np.nan if self.pi is None else self.pi_low],
                "pi_high": [np.nan] * self.k + [np.nan if self.pi is None else self.pi_high],
                "weight": np.append(self.weights, 100.0),
                "tau2": [np.nan] * self.k + [_zero_tiny(self.tau2)],
                "i2": [np.nan] * self.k + [_zero_tiny(self.i2)],
            },
            index=pd.Index(list(self.studies) + [label], name="study"),
        )
        frame.attrs.update(measure=self.measure, method=self.method, hksj=self.hksj,
                           transf=self.transf, log_scale=self.log_scale)
        return frame


@dataclass(frozen=True)
class EggerResult:
    """Egger's regression test for funnel-plot asymmetry (metafor's ``regtest``).

    Attributes
    ----------
    k : int
        Number of studies.
    method : str
        Model used for the regression (FE for FE and MH results).
    hksj : bool
        Whether the t test with HKSJ standard errors was used.
    stat : float
        z (or t on ``df`` degrees of freedom) for the coefficient of the
        standard error; the test statistic of the asymmetry test.
    df : int or None
        ``k - 2`` with HKSJ, else None.
    pvalue : float
        Two-sided p-value.
    slope, slope_se : float
        Coefficient of the standard error and its standard error.
    tau2 : float
        Residual heterogeneity of the regression (0 for FE).
    limit : float
        Intercept: the limit estimate as the standard error goes to 0
        (analysis scale).
    limit_ci : Interval
        Its 95% confidence interval (analysis scale).
    """

    k: int
    method: str
    hksj: bool
    stat: float
    df: int | None
    pvalue: float
    slope: float
    slope_se: float
    tau2: float
    limit: float
    limit_ci: Interval

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields (interval as ``limit_ci_low``/``limit_ci_high``)."""
        return {
            "k": self.k, "method": self.method, "hksj": self.hksj, "stat": _py(self.stat),
            "df": _py(self.df), "pvalue": _py(self.pvalue), "slope": _py(self.slope),
            "slope_se": _py(self.slope_se), "tau2": _py(self.tau2), "limit": _py(self.limit),
            "limit_ci_low": _py(self.limit_ci.low), "limit_ci_high": _py(self.limit_ci.high),
        }

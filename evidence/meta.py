"""Pooling of study effects: fixed effect, Mantel-Haenszel and random effects.

Numbers agree with R metafor 3.8 run to full convergence
(``control=list(threshold=1e-12, tol=1e-12, maxiter=10000)``): ``rma`` for the
inverse-variance models, ``rma.mh`` for Mantel-Haenszel, ``predict`` for the
prediction interval, ``leave1out`` and ``regtest``. ``tests/test_meta.py``
checks this against numbers computed in R (``tests/r/metafor_reference.R``).

Entry points
------------
:func:`meta_analysis`
    Pool a table of studies given in the contract's columns.
:func:`combine_effects`
    Pool effect sizes and variances (FE, DL, REML, PM).
:func:`mantel_haenszel`
    Pool 2x2 tables with the Mantel-Haenszel method.
:func:`meta_from_csv`
    Read a CSV file and return the ``evidence meta`` JSON object as a dict.
:func:`leave_one_out`, :func:`egger_test`
    Sensitivity analysis and funnel-plot asymmetry test on a pooled result.
:func:`tau2_dl`, :func:`tau2_reml`, :func:`tau2_pm`
    The between-study variance estimators, also for meta-regression.

Options are keyword-only strings, checked against their allowed values
(case-insensitive); an unknown value raises :class:`ValueError` naming the
option and its values. Impossible data raise
:class:`evidence.errors.DataError`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence import effects
from evidence._csv import read_csv_rows, sniff_delimiter
from evidence.errors import DataError, EvidenceError, NonFiniteError

__all__ = [
    "METHODS",
    "MEASURES",
    "TRANSFS",
    "CONTRACT_KEYS",
    "Interval",
    "Homogeneity",
    "NonFiniteError",
    "MetaResult",
    "EggerResult",
    "tau2_dl",
    "tau2_reml",
    "tau2_pm",
    "combine_effects",
    "mantel_haenszel",
    "meta_analysis",
    "read_meta_csv",
    "meta_from_csv",
    "leave_one_out",
    "egger_test",
]

METHODS = ("FE", "MH", "DL", "REML", "PM")
MEASURES = effects.MEASURES
TRANSFS = ("exp", "none")
RANDOM_METHODS = ("DL", "REML", "PM")

#: Keys of the ``evidence meta`` JSON object, in the contract's order.
CONTRACT_KEYS = (
    "k", "measure", "method", "hksj", "estimate", "ci_low", "ci_high", "yi", "se", "tau2",
    "i2", "h2", "q", "q_df", "q_p", "pi_low", "pi_high",
)

LEVEL = 0.95
#: tau2 and I2 below this are reported as 0 (to_dict, summary_frame): rounding residue
ZERO_BELOW = 1e-10
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
TOL = 1e-12  # convergence of REML (change in tau2) and of the Paule-Mandel root
MAXITER = 10000
EGGER_MIN_K = 10


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
# options


def _option(name: str, value: Any, allowed: Sequence[str]) -> str:
    if isinstance(value, str):
        for a in allowed:
            if value.strip().upper() == a.upper():
                return a
    raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(f"{name} must be True or False; got {value!r}")


def _options(measure, method, hksj, transf):
    measure = _option("measure", measure, MEASURES)
    method = _option("method", method, METHODS)
    hksj = _flag("hksj", hksj)
    transf = _option("transf", transf, TRANSFS)
    if method == "MH" and measure not in effects.BINARY_MEASURES:
        raise ValueError(
            f"method 'MH' (Mantel-Haenszel) needs a binary measure "
            f"({', '.join(effects.BINARY_MEASURES)}); got measure {measure!r}"
        )
    if method == "MH" and hksj:
        raise ValueError(
            "hksj=True is not available with method 'MH' (metafor's rma.mh has no knha test); "
            "use method 'FE', 'DL', 'REML' or 'PM'"
        )
    if transf == "exp" and measure != "GENERIC":
        raise ValueError(
            f"transf 'exp' is only for measure 'GENERIC' (yi given on the log scale); "
            f"measure {measure!r} is reported on its natural scale already: use transf 'none'"
        )
    return measure, method, hksj, transf


# ----------------------------------------------------------------------------------------------
# tau2 estimators (general design matrix X, as metafor's rma.uni)


def _rank(X) -> int:
    """Rank of the model matrix; a single column has rank 1 unless it is all zero."""
    if X.shape[1] == 1:
        return int(np.any(X != 0))
    return int(np.linalg.matrix_rank(X))


def _design(yi, vi, X):
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    if X is None:
        X = np.ones((y.size, 1))
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if not (y.ndim == 1 and v.shape == y.shape and X.shape[0] == y.size):
        raise DataError(f"yi, vi and X do not match: shapes {y.shape}, {v.shape}, {X.shape}")
    if X.shape[0] < X.shape[1] or _rank(X) < X.shape[1]:
        raise DataError(
            f"the model matrix ({X.shape[0]} studies x {X.shape[1]} columns) is not of full rank"
        )
    return y, v, X


def _cross(A, B) -> np.ndarray:
    """``A'B`` for k x p matrices, summed by einsum rather than BLAS.

    With k in the 100,000s a threaded BLAS (OpenBLAS) spreads this small
    product over threads that wait for each other on a busy machine, which
    made one pooling step 10x slower; a plain loop over k is as fast alone
    and stays fast under load.
    """
    return np.einsum("ij,ik->jk", A, B)


class _WLS(NamedTuple):
    """Weighted least squares pieces of ``P = W - W X (X'WX)^-1 X'W``, as vectors.

    Nothing here is k x k: memory and time grow linearly with the number of
    studies k (the model matrix has k rows and p, a handful, columns).
    """

    w: np.ndarray       # weights (k)
    X: np.ndarray       # model matrix (k x p)
    inv: np.ndarray     # (X'WX)^-1 (p x p)
    beta: np.ndarray    # (X'WX)^-1 X'Wy (p)
    resid: np.ndarray   # y - X beta (k)

    def quad(self) -> float:
        """``y'Py = sum(w (y - X beta)^2)``."""
        return float(np.sum(self.w * self.resid**2))

    def py(self) -> np.ndarray:
        """``Py = W (y - X beta)``."""
        return self.w * self.resid

    def trace(self) -> float:
        """``tr(P) = sum(w) - tr((X'WX)^-1 X'W^2X)``."""
        w, X = self.w, self.X
        return float(np.sum(w) - np.sum(self.inv * _cross(X, X * (w**2)[:, None])))

    def diag(self) -> np.ndarray:
        """``diag(P) = w - w^2 h`` with ``h_i = x_i' (X'WX)^-1 x_i``."""
        h = np.einsum("ij,jk,ik->i", self.X, self.inv, self.X)
        return self.w - self.w**2 * h

    def trace_pp(self) -> float:
        """``tr(PP) = sum(w^2) - 2 tr(A X'W^3X) + tr(A B A B)``, ``A = (X'WX)^-1``, ``B = X'W^2X``."""
        w, X, A = self.w, self.X, self.inv
        B = _cross(X, X * (w**2)[:, None])
        C = _cross(X, X * (w**3)[:, None])
        AB = A @ B
        return float(np.sum(w**2) - 2 * np.sum(A * C) + np.sum(AB * AB.T))


def _wls(y, w, X) -> _WLS:
    """Weighted least squares fit of y on X with weights w (vector forms only)."""
    WX = X * w[:, None]
    inv = np.linalg.inv(_cross(X, WX))
    beta = inv @ np.einsum("ij,i->j", WX, y)
    return _WLS(w, X, inv, beta, y - np.einsum("ij,j->i", X, beta))


def tau2_dl(yi, vi, X=None):
    """DerSimonian-Laird (method of moments) estimate of tau^2.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    X : array_like, optional
        Model matrix (k x p) for meta-regression; default a column of ones.

    Returns
    -------
    float
        ``max(0, (Q - (k - p)) / tr(P))`` with ``Q = y'Py`` and
        ``P = W - W X (X'WX)^-1 X'W``, ``W = diag(1/vi)``; 0 when ``k <= p``.

    Notes
    -----
    For the intercept-only model ``tr(P) = sum(w) - sum(w^2)/sum(w)``, the
    familiar DerSimonian-Laird denominator.

    References
    ----------
    DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials.
    Controlled Clinical Trials, 7(3), 177-188.
    """
    y, v, X = _design(yi, vi, X)
    k, p = X.shape
    if k <= p:
        return 0.0
    fit = _wls(y, 1 / v, X)
    return max(0.0, (fit.quad() - (k - p)) / fit.trace())


def _reml_loglik(y, v, X, tau2):
    w = 1 / (v + tau2)
    fit = _wls(y, w, X)
    rss = fit.quad()
    k, p = X.shape
    _, logdet = np.linalg.slogdet(_cross(X, X * w[:, None]))
    return (-0.5 * (k - p) * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2))
            - 0.5 * logdet - 0.5 * rss)


def tau2_reml(yi, vi, X=None, *, tol=TOL, maxiter=MAXITER):
    """Restricted maximum-likelihood estimate of tau^2 by Fisher scoring.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    X : array_like, optional
        Model matrix (k x p); default a column of ones.
    tol : float
        Stop when an update changes tau^2 by at most ``tol * max(1, tau2)``
        (default 1e-12: absolute for tau^2 up to 1, relative above, where an
        absolute 1e-12 would be below floating-point resolution).
    maxiter : int
        Maximum number of Fisher scoring steps.

    Returns
    -------
    float
        The REML estimate, ``>= 0``.

    Raises
    ------
    EvidenceError
        If the iteration does not converge within ``maxiter`` steps.

    Notes
    -----
    As metafor's ``rma.uni``: the iteration starts at the Hedges (HE)
    estimate truncated at 0 and updates
    ``tau2 += (y'PPy - tr(P)) / tr(PP)``, halving a step that would go below 0.
    After convergence the restricted log-likelihood at the estimate is compared
    with its value at 0, and 0 is taken if that is higher (metafor's
    ``ll0check``).

    References
    ----------
    Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance
    estimators in the random-effects model. Journal of Educational and
    Behavioral Statistics, 30(3), 261-293.

    Raudenbush, S. W. (2009). Analyzing effect sizes: Random-effects models.
    In The handbook of research synthesis and meta-analysis (2nd ed.).
    """
    y, v, X = _design(yi, vi, X)
    k, p = X.shape
    if k <= p:
        return 0.0
    # Hedges (HE) starting value, as metafor
    ols = _wls(y, np.ones(k), X)
    tau2 = max(0.0, (ols.quad() - float(np.sum(ols.diag() * v))) / (k - p))
    for _ in range(maxiter):
        fit = _wls(y, 1 / (v + tau2), X)
        Py = fit.py()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            adj = float(np.float64(np.sum(Py * Py) - fit.trace()) / fit.trace_pp())
        if not np.isfinite(adj):
            adj = 0.0
        while tau2 + adj < 0:
            adj /= 2
        new = tau2 + adj
        change = abs(new - tau2)
        tau2 = new
        if change <= tol * max(1.0, tau2):
            break
    else:
        raise EvidenceError(
            f"REML (Fisher scoring) did not converge in {maxiter} steps; try method 'DL' or 'PM'"
        )
    if tau2 > tol and _reml_loglik(y, v, X, 0.0) - _reml_loglik(y, v, X, tau2) > tol:
        tau2 = 0.0
    return max(0.0, tau2)


def tau2_pm(yi, vi, X=None, *, tol=TOL, maxiter=MAXITER):
    """Paule-Mandel estimate of tau^2 (root of the generalised Q statistic).

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    X : array_like, optional
        Model matrix (k x p); default a column of ones.
    tol : float
        Absolute tolerance of the root (default 1e-12).
    maxiter : int
        Maximum number of iterations of the root search.

    Returns
    -------
    float
        The tau^2 at which ``Q(tau2) = y'P(tau2)y`` equals ``k - p``; 0 when
        ``Q(0) < k - p``.

    Notes
    -----
    ``Q(tau2)`` decreases in tau^2, so the root is bracketed between 0 and an
    upper bound (metafor's ``tau2.max``, doubled until it brackets) and found
    with Brent's method, as metafor's ``uniroot`` does.

    References
    ----------
    Paule, R. C., & Mandel, J. (1982). Consensus values and weighting
    factors. Journal of Research of the National Bureau of Standards, 87(5),
    377-385.

    Viechtbauer, W., et al. (2015). A comparison of procedures to test for
    moderators in mixed-effects meta-regression models. Psychological
    Methods, 20(3), 360-374.
    """
    y, v, X = _design(yi, vi, X)
    k, p = X.shape
    if k <= p:
        return 0.0
    target = k - p

    def excess(t):
        return _wls(y, 1 / (v + t), X).quad() - target

    if excess(0.0) < 0:
        return 0.0
    mad = stats.median_abs_deviation(y, scale="normal")
    upper = max(100.0, 10 * mad**2)
    for _ in range(200):
        if excess(upper) <= 0:
            break
        upper *= 2
    else:
        raise EvidenceError("Paule-Mandel: could not bracket the root of Q(tau2) = k - p")
    from scipy import optimize  # here: only Paule-Mandel needs it

    root = optimize.brentq(excess, 0.0, upper, xtol=tol, rtol=4 * np.finfo(float).eps,
                           maxiter=maxiter)
    return max(0.0, float(root))


_TAU2 = {"DL": tau2_dl, "REML": tau2_reml, "PM": tau2_pm}


# ----------------------------------------------------------------------------------------------
# model fitting


class _Fit(NamedTuple):
    beta: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    tau2: float
    ddf: int | None
    weights: np.ndarray
    q: float
    q_df: int
    q_p: float
    i2: float
    h2: float


def _heterogeneity(y, v, X, tau2, fixed):
    """Q, its df and p-value, I2 and H2 as metafor's rma.uni."""
    k, p = X.shape
    if k <= p:
        return 0.0, 0, 1.0, 0.0, 1.0
    fe = _wls(y, 1 / v, X)
    q = max(0.0, fe.quad())
    df = k - p
    q_p = float(stats.chi2.sf(q, df))
    if fixed:
        i2 = max(0.0, 100 * (q - df) / q) if q > 0 else 0.0
        h2 = q / df
    else:
        vt = df / fe.trace()  # "typical" within-study variance
        i2 = 100 * tau2 / (vt + tau2)
        h2 = tau2 / vt + 1
    return q, df, q_p, i2, h2


def _fit(yi, vi, X, method, knha, level=LEVEL):
    """Fit the model; refuse input whose arithmetic overflows double precision.

    Every overflow, division by zero or invalid operation inside the fit raises
    (numpy's ``errstate``) and becomes a :class:`NonFiniteError` naming the
    ranges of yi and vi, instead of NaN or inf flowing into the result.
    """
    y, v, X = _design(yi, vi, X)
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return _fit_checked(y, v, X, method, knha, level)
    except (FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError) as exc:
        raise NonFiniteError(
            f"cannot pool these studies: {_what(exc)} in double precision "
            f"({_ranges(y, v)}); effect sizes and variances this extreme are not plausible: "
            f"check the units and the scale of the input"
        ) from None


def _what(exc) -> str:
    text = str(exc).lower()
    if "overflow" in text:
        return "the arithmetic overflows"
    if "divide" in text or "division" in text:
        return "a division by zero occurs"
    if "singular" in text:
        return "the weights degenerate (singular matrix)"
    return "the arithmetic breaks down"


def _ranges(y, v) -> str:
    return (f"yi from {np.min(y):.6g} to {np.max(y):.6g}, "
            f"vi from {np.min(v):.6g} to {np.max(v):.6g}")


def _fit_checked(y, v, X, method, knha, level):
    k, p = X.shape
    if knha and k - p < 1:
        raise DataError(
            f"the Hartung-Knapp-Sidik-Jonkman method needs more studies than coefficients "
            f"(k = {k}, p = {p})"
        )
    tau2 = 0.0 if method == "FE" else _TAU2[method](y, v, X)
    w = 1 / (v + tau2)
    wls = _wls(y, w, X)
    beta = wls.beta
    vb = wls.inv
    ddf = None
    if knha:
        rss = wls.quad()
        s2w = 0.0 if rss <= np.finfo(float).eps else rss / (k - p)
        vb = s2w * vb
        ddf = k - p
    se = np.sqrt(np.diag(vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = beta / se
    if ddf is not None:
        pval = 2 * stats.t.sf(np.abs(stat), ddf)
        crit = stats.t.isf((1 - level) / 2, ddf)
    else:
        pval = 2 * stats.norm.sf(np.abs(stat))
        crit = stats.norm.isf((1 - level) / 2)
    q, q_df, q_p, i2, h2 = _heterogeneity(y, v, X, tau2, method == "FE")
    return _Fit(beta, se, stat, pval, beta - crit * se, beta + crit * se, tau2, ddf,
                100 * w / w.sum(), q, q_df, q_p, i2, h2)


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


# ----------------------------------------------------------------------------------------------
# pooling


def _labels(studies, k):
    if studies is None:
        return tuple(str(i + 1) for i in range(k))
    labels = tuple(str(s) for s in studies)
    if len(labels) != k:
        raise DataError(f"{len(labels)} study labels for {k} studies")
    return labels


def _raise_problems(problems, labels):
    if problems:
        i, reason = problems[0]
        raise DataError(f"study {labels[i]!r} (position {i}): {reason}; correct the input data")


def combine_effects(yi, vi, *, method="REML", hksj=False, measure="GENERIC", transf="none",
                    studies=None) -> MetaResult:
    """Pool effect sizes by inverse variance: fixed effect or random effects.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes (analysis scale: log for ratios) and sampling variances.
    method : {"FE", "DL", "REML", "PM"}
        Fixed effect (inverse variance), or random effects with the
        DerSimonian-Laird, restricted maximum-likelihood or Paule-Mandel
        estimator of tau^2.
    hksj : bool
        Use the Hartung-Knapp-Sidik-Jonkman standard error with a t
        distribution on k-1 df (metafor's ``test="knha"``).
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
        Label of the effect measure; RR and OR are reported exponentiated.
    transf : {"none", "exp"}
        ``"exp"`` (GENERIC only) reports the estimate and intervals
        exponentiated.
    studies : sequence of str, optional
        Study labels (default "1", "2", ...).

    Returns
    -------
    MetaResult

    Notes
    -----
    Weights are ``1 / (vi + tau2)`` (tau2 = 0 for FE); the pooled value is the
    weighted mean with variance ``1 / sum(w)``. With HKSJ that variance is
    multiplied by ``sum(w (yi - mu)^2) / (k - 1)``, without truncation, as
    metafor's ``test="knha"``. The prediction interval is
    ``mu +/- crit * sqrt(se^2 + tau2)`` with ``crit`` from t(k-1) under HKSJ
    and the normal distribution otherwise (metafor's ``predict``).

    References
    ----------
    DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials.
    Controlled Clinical Trials, 7(3), 177-188.

    Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance
    estimators in the random-effects model. Journal of Educational and
    Behavioral Statistics, 30(3), 261-293.

    Paule, R. C., & Mandel, J. (1982). Consensus values and weighting
    factors. Journal of Research of the National Bureau of Standards, 87(5),
    377-385.

    Hartung, J., & Knapp, G. (2001). On tests of the overall treatment effect
    in meta-analysis with normally distributed responses. Statistics in
    Medicine, 20(12), 1771-1782.

    Sidik, K., & Jonkman, J. N. (2002). A simple confidence interval for
    meta-analysis. Statistics in Medicine, 21(21), 3153-3159.

    Higgins, J. P. T., Thompson, S. G., & Spiegelhalter, D. J. (2009). A
    re-evaluation of random-effects meta-analysis. Journal of the Royal
    Statistical Society A, 172(1), 137-159.
    """
    measure = _option("measure", measure, MEASURES)
    method = _option("method", method, METHODS)
    hksj = _flag("hksj", hksj)
    transf = _option("transf", transf, TRANSFS)
    if method == "MH":
        raise ValueError("method 'MH' pools 2x2 tables: use mantel_haenszel() or meta_analysis()")
    if transf == "exp" and measure != "GENERIC":
        raise ValueError(f"transf 'exp' is only for measure 'GENERIC'; got measure {measure!r}")
    y, v = effects._as_float_arrays(yi, vi)
    labels = _labels(studies, y.size)
    if y.size < 1:
        raise DataError("no studies to pool (k = 0); at least one is needed")
    _raise_problems(effects.generic_problems(y, v), labels)
    fit = _fit(y, v, None, method, hksj)
    random = method in RANDOM_METHODS
    pi = None
    if random:
        crit = stats.t.isf((1 - LEVEL) / 2, fit.ddf) if hksj else stats.norm.isf((1 - LEVEL) / 2)
        half = crit * math.sqrt(fit.se[0] ** 2 + fit.tau2)
        pi = Interval(float(fit.beta[0] - half), float(fit.beta[0] + half))
    return MetaResult(
        measure=measure, method=method, hksj=hksj, transf=transf, k=int(y.size),
        yi=float(fit.beta[0]), se=float(fit.se[0]), stat=float(fit.stat[0]), df=fit.ddf,
        pvalue=float(fit.pval[0]), ci=Interval(float(fit.ci_lb[0]), float(fit.ci_ub[0])),
        tau2=float(fit.tau2), i2=float(fit.i2), h2=float(fit.h2), q=float(fit.q),
        q_df=int(fit.q_df), q_p=float(fit.q_p), pi=pi, studies=labels,
        study_yi=_readonly(y), study_vi=_readonly(v), weights=_readonly(fit.weights),
    )


_MH_NAMES = {"OR": "odds ratio", "RR": "risk ratio", "RD": "risk difference"}


def _raise_mh_degenerate(measure, ai, n1, ci, n2, var):
    """Refuse a Mantel-Haenszel estimate whose variance is 0 (or not a positive number).

    When every study has no events in both arms, or events in every
    participant of both arms, the MH risk difference (and, with some events,
    the MH risk ratio) is exactly 0 (1) with variance 0: metafor 3.8's
    ``rma.mh`` then reports that value with ``se = 0``, a zero-width interval
    ``[0, 0]`` and ``zval = pval = NaN``. An interval of zero width from
    studies without any contrast would read as certainty, so it is refused.
    """
    name = _MH_NAMES[measure]
    uninformative = ((ai == 0) & (ci == 0)) | ((ai == n1) & (ci == n2))
    if np.all(uninformative):
        raise DataError(
            f"the Mantel-Haenszel {name} has no confidence interval: every study has either no "
            f"events in both arms or events in every participant of both arms, so the pooled "
            f"{name} is exactly {0 if measure == 'RD' else 1} with standard error 0 (metafor's "
            f"rma.mh reports a zero-width interval and no test); use method 'FE' or a "
            f"random-effects method (they add 1/2 to zero cells), or report the studies unpooled"
        )
    raise DataError(
        f"the Mantel-Haenszel {name} has a variance that is not a positive number ({var!r}); "
        f"use method 'FE' or a random-effects method"
    )


def _mh_core(ai, n1, ci, n2, measure):
    """The Mantel-Haenszel estimate, its variance and Cochran's Q (see mantel_haenszel)."""
    bi, di = n1 - ai, n2 - ci
    N = n1 + n2
    if measure == "OR":
        Ri, Si = ai * di / N, bi * ci / N
        R, S = Ri.sum(), Si.sum()
        if R == 0 or S == 0:
            raise DataError(
                "the Mantel-Haenszel odds ratio is undefined: every study has a zero in "
                + ("events_t * (n_c - events_c)" if R == 0 else "(n_t - events_t) * events_c")
                + "; use method 'FE' or a random-effects method (they use the 1/2 correction)"
            )
        Pi, Qi = (ai + di) / N, (bi + ci) / N
        beta = math.log(R / S)
        var = 0.5 * (np.sum(Pi * Ri) / R**2 + np.sum(Pi * Si + Qi * Ri) / (R * S)
                     + np.sum(Qi * Si) / S**2)
        wi = Si
    elif measure == "RR":
        R, S = np.sum(ai * n2 / N), np.sum(ci * n1 / N)
        if ai.sum() == 0 or ci.sum() == 0:
            raise DataError(
                "the Mantel-Haenszel risk ratio is undefined: no events in the "
                + ("treatment" if ai.sum() == 0 else "control")
                + " arm of any study; use method 'FE' or a random-effects method"
            )
        beta = math.log(R / S)
        var = np.sum((n1 / N) * (n2 / N) * (ai + ci) - (ai / N) * ci) / (R * S)
        wi = ci * n1 / N
    else:  # RD
        wi = n1 * n2 / N
        beta = float(np.sum(ai * (n2 / N) - ci * (n1 / N)) / wi.sum())
        var = (
            beta * np.sum(ci * (n1 / N) ** 2 - ai * (n2 / N) ** 2
                          + (n1 / N) * (n2 / N) * (n2 - n1) / 2)
            + np.sum(ai * (n2 - ci) / N + ci * (n1 - ai) / N) / 2
        ) / wi.sum() ** 2
    if not (math.isfinite(var) and var > 0):
        _raise_mh_degenerate(measure, ai, n1, ci, n2, var)
    se = math.sqrt(var)
    z = beta / se
    crit = stats.norm.isf((1 - LEVEL) / 2)
    yi, vi = effects.effect_sizes(
        {"events_t": ai, "n_t": n1, "events_c": ci, "n_c": n2}, measure=measure
    )
    k = ai.size
    if k > 1:
        q = max(0.0, float(np.sum((yi - beta) ** 2 / vi)))
        q_df = k - 1
        q_p = float(stats.chi2.sf(q, q_df))
        i2 = max(0.0, 100 * (q - q_df) / q) if q > 0 else 0.0
        h2 = q / q_df
    else:
        q, q_df, q_p, i2, h2 = 0.0, 0, 1.0, 0.0, 1.0
    return beta, se, z, crit, yi, vi, k, q, q_df, q_p, i2, h2, wi


def mantel_haenszel(events_t, n_t, events_c, n_c, *, measure="OR", studies=None) -> MetaResult:
    """Mantel-Haenszel pooling of 2x2 tables, as metafor's ``rma.mh``.

    Parameters
    ----------
    events_t, n_t, events_c, n_c : array_like
        Events and group sizes in the treatment and control arms.
    measure : {"OR", "RR", "RD"}
        Effect measure.
    studies : sequence of str, optional
        Study labels.

    Returns
    -------
    MetaResult
        ``method="MH"``, ``tau2 = 0``, no prediction interval.

    Raises
    ------
    DataError
        For impossible counts; when the pooled OR or RR is undefined (no
        events in one arm of every study, or, for the OR, a zero product in
        every study); or when its variance is 0: every study has no events
        in both arms, or events in every participant of both arms (RD and
        RR; metafor's ``rma.mh`` returns 0 with ``se = 0`` and a zero-width
        interval there).

    Notes
    -----
    The pooled value uses the raw counts, without any zero-cell correction,
    and includes every study (double-zero studies too, which matters for the
    RD). Variances: Robins, Breslow & Greenland (1986) for the log OR,
    Greenland & Robins (1985) for the log RR, and for the RD the estimator of
    Sato, Greenland & Robins (1989) that metafor uses, valid for sparse and
    large strata alike. Cochran's Q compares the study-level values of
    :mod:`evidence.effects` (with their 1/2 correction, double-zero studies
    kept) with the MH estimate: ``Q = sum((yi - mu)^2 / vi)`` on k-1 df;
    ``I2 = max(0, 100 (Q - (k-1)) / Q)``, ``H2 = Q / (k-1)``. This is
    ``rma.mh(..., drop00=FALSE)``; metafor's default ``drop00=TRUE`` leaves
    double-zero studies out of Q (but not out of the pooled value).

    References
    ----------
    Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of
    data from retrospective studies of disease. Journal of the National
    Cancer Institute, 22(4), 719-748.

    Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the
    Mantel-Haenszel variance consistent in both sparse data and large-strata
    limiting models. Biometrics, 42(2), 311-323.

    Greenland, S., & Robins, J. M. (1985). Estimation of a common effect
    parameter from sparse follow-up data. Biometrics, 41(1), 55-68.

    Sato, T., Greenland, S., & Robins, J. M. (1989). On the variance
    estimator for the Mantel-Haenszel risk difference. Biometrics, 45(4),
    1323-1324.
    """
    measure = _option("measure", measure, effects.BINARY_MEASURES)
    ai, n1, ci, n2 = effects._as_float_arrays(events_t, n_t, events_c, n_c)
    labels = _labels(studies, ai.size)
    if ai.size < 1:
        raise DataError("no studies to pool (k = 0); at least one is needed")
    _raise_problems(effects.binary_problems(ai, n1, ci, n2), labels)
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            beta, se, z, crit, yi, vi, k, q, q_df, q_p, i2, h2, wi = _mh_core(
                ai, n1, ci, n2, measure)
    except (FloatingPointError, ZeroDivisionError, OverflowError) as exc:
        raise NonFiniteError(
            f"cannot pool these 2x2 tables: {_what(exc)} in double precision (group sizes up "
            f"to {max(np.max(n1), np.max(n2)):.6g}); check the counts"
        ) from None
    counts = tuple(_readonly(a) for a in (ai, n1, ci, n2))
    return MetaResult(
        measure=measure, method="MH", hksj=False, transf="none", k=int(k), yi=float(beta),
        se=se, stat=float(z), df=None, pvalue=float(2 * stats.norm.sf(abs(z))),
        ci=Interval(float(beta - crit * se), float(beta + crit * se)), tau2=0.0, i2=float(i2),
        h2=float(h2), q=q, q_df=int(q_df), q_p=q_p, pi=None, studies=labels,
        study_yi=_readonly(yi), study_vi=_readonly(vi),
        weights=_readonly(100 * wi / wi.sum()), counts=counts,
    )


def _problems(columns: Mapping[str, np.ndarray], measure: str):
    cols = [columns[c] for c in effects.COLUMNS[measure][1:]]
    if measure in effects.BINARY_MEASURES:
        return effects.binary_problems(*cols)
    if measure in effects.CONTINUOUS_MEASURES:
        return effects.continuous_problems(*cols, measure=measure)
    return effects.generic_problems(*cols)


def meta_analysis(data, *, measure, method, hksj=False, transf="none") -> MetaResult:
    """Pool a table of studies given in the ``evidence meta`` contract's columns.

    Parameters
    ----------
    data : DataFrame or mapping of column name to sequence
        Binary measures: ``events_t, n_t, events_c, n_c``; MD and SMD:
        ``mean_t, sd_t, n_t, mean_c, sd_c, n_c``; GENERIC: ``yi, vi`` (yi on
        the analysis scale, log for ratios). An optional ``study`` column gives
        the labels.
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
        Effect measure (see :mod:`evidence.effects`).
    method : {"FE", "MH", "DL", "REML", "PM"}
        FE (inverse variance), MH (Mantel-Haenszel, binary measures only) or
        random effects with the DL, REML or PM estimator of tau^2.
    hksj : bool
        Hartung-Knapp-Sidik-Jonkman interval (not with MH).
    transf : {"none", "exp"}
        ``"exp"`` (GENERIC only): report the estimate and intervals
        exponentiated.

    Returns
    -------
    MetaResult

    Raises
    ------
    ValueError
        For an unknown option value or a combination the contract excludes.
    DataError
        For missing columns, impossible values, or no studies.

    See Also
    --------
    combine_effects, mantel_haenszel, meta_from_csv
    """
    measure, method, hksj, transf = _options(measure, method, hksj, transf)
    needed = effects.COLUMNS[measure][1:]
    missing = [c for c in needed if c not in data]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; measure {measure} needs "
            f"{', '.join(effects.COLUMNS[measure])}"
        )
    columns = {c: np.atleast_1d(np.asarray(data[c], dtype=float)) for c in needed}
    k = columns[needed[0]].size
    if k < 1:
        raise DataError("no studies to pool (k = 0); at least one is needed")
    labels = _labels(data["study"] if "study" in data else None, k)
    _raise_problems(_problems(columns, measure), labels)
    if method == "MH":
        return mantel_haenszel(*(columns[c] for c in needed), measure=measure, studies=labels)
    with np.errstate(all="ignore"):  # overflow is reported below, by study
        yi, vi = effects.effect_sizes(columns, measure=measure)
    usable = np.isfinite(yi) & np.isfinite(vi) & (vi > 0)
    if not usable.all():
        i = int(np.flatnonzero(~usable)[0])
        raise NonFiniteError(
            f"study {labels[i]!r} (position {i}): its effect size and variance are not finite "
            f"positive numbers in double precision (yi = {yi[i]:.6g}, vi = {vi[i]:.6g}); the "
            f"values are too extreme: check the units and the scale of the input"
        )
    return combine_effects(yi, vi, method=method, hksj=hksj, measure=measure, transf=transf,
                           studies=labels)


# ----------------------------------------------------------------------------------------------
# CSV input


def read_meta_csv(path: str | PathLike, *, measure) -> pd.DataFrame:
    """Read and check a CSV file of studies for ``evidence meta``.

    Parameters
    ----------
    path : str or path-like
        CSV file with a header row; comma-separated, or semicolon-separated
        as Dutch Excel saves it (detected from the header line), where numbers
        may have a decimal comma (``0,25``). Columns (others are ignored): binary
        ``study,events_t,n_t,events_c,n_c``; continuous
        ``study,mean_t,sd_t,n_t,mean_c,sd_c,n_c``; GENERIC ``study,yi,vi``.
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
        Decides which columns are needed.

    Returns
    -------
    DataFrame
        The needed columns, numbers as floats, indexed by ``row``: the row
        number a spreadsheet shows (header = row 1). Blank rows are skipped
        (and still counted); an empty ``study`` becomes ``"row N"``.

    Raises
    ------
    DataError
        With the file name, the row number and the reason, for: a missing
        column, an empty or non-numeric value, a value that is not finite,
        a number with a point in a semicolon-separated file with decimal
        commas (a thousands separator?),
        events > n, negative counts, n <= 0, sd <= 0, vi <= 0 (and, for SMD,
        n_t + n_c < 4); also when there are no study rows (k < 1) or the file
        cannot be read.
    """
    measure = _option("measure", measure, MEASURES)
    columns = effects.COLUMNS[measure]
    path = Path(path)
    delimiter = sniff_delimiter(path)
    records = read_csv_rows(path, expected=columns, delimiter=delimiter)
    header = [h.strip() for h in records[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            f"{path}, row 1: missing column(s) {', '.join(missing)}; measure {measure} needs "
            f"the columns {','.join(columns)}"
        )
    where = {c: header.index(c) for c in columns}
    numeric = [where[c] for c in columns[1:]]
    decimal_comma = delimiter == ";" and any(
        _DECIMAL_COMMA.fullmatch(record[j].strip())
        for record in records[1:] for j in numeric if j < len(record)
    )
    rows, numbers = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {}
        for c in columns:
            j = where[c]
            cell = record[j].strip() if j < len(record) else ""
            if c == "study":
                row[c] = cell or f"row {number}"
                continue
            if cell == "":
                raise DataError(
                    f"{path}, row {number}: {c} is empty; every row needs a number there"
                )
            if decimal_comma:
                if "." in cell:
                    raise DataError(
                        f"{path}, row {number}: {c} is {cell!r}, with a point, in a "
                        f"semicolon-separated file with decimal commas (Dutch Excel): is the "
                        f"point a thousands separator? Write the number without it"
                    )
                cell = cell.replace(",", ".")
            try:
                row[c] = float(cell)
            except ValueError:
                raise DataError(f"{path}, row {number}: {c} is not a number ({cell!r})") from None
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise DataError(f"{path}: no study rows (k = 0); at least one study is needed")
    frame = pd.DataFrame(rows, columns=list(columns), index=pd.Index(numbers, name="row"))
    problems = _problems({c: frame[c].to_numpy() for c in columns[1:]}, measure)
    if problems:
        i, reason = problems[0]
        raise DataError(f"{path}, row {numbers[i]}: {reason}")
    return frame


def meta_from_csv(path: str | PathLike, *, measure, method, hksj=False, transf="none") -> dict:
    """Pool the studies of a CSV file: the ``evidence meta`` command as a function.

    Parameters
    ----------
    path : str or path-like
        CSV file as :func:`read_meta_csv` describes.
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
    method : {"FE", "MH", "DL", "REML", "PM"}
    hksj : bool
        Hartung-Knapp-Sidik-Jonkman interval (t on k-1 df); not with MH.
    transf : {"none", "exp"}
        ``"exp"`` only for GENERIC.

    Returns
    -------
    dict
        Exactly the contract's keys (:data:`CONTRACT_KEYS`), JSON-ready.

    Raises
    ------
    ValueError
        For a bad option (checked before the file is read).
    DataError
        For an unreadable file or an impossible row (its number is given).
    """
    measure, method, hksj, transf = _options(measure, method, hksj, transf)
    frame = read_meta_csv(path, measure=measure)
    return meta_analysis(frame, measure=measure, method=method, hksj=hksj,
                         transf=transf).to_dict()


# ----------------------------------------------------------------------------------------------
# sensitivity and small-study effects


def _refit(result: MetaResult, keep: np.ndarray) -> MetaResult:
    studies = tuple(s for s, kept in zip(result.studies, keep) if kept)
    if result.method == "MH":
        counts = [np.asarray(a)[keep] for a in result.counts]
        return mantel_haenszel(*counts, measure=result.measure, studies=studies)
    return combine_effects(
        np.asarray(result.study_yi)[keep], np.asarray(result.study_vi)[keep], method=result.method,
        hksj=result.hksj, measure=result.measure, transf=result.transf, studies=studies,
    )


def leave_one_out(result: MetaResult) -> pd.DataFrame:
    """Refit the model once without each study (metafor's ``leave1out``).

    Parameters
    ----------
    result : MetaResult
        A pooled result; it is refitted with the same measure, method, HKSJ
        setting and transformation.

    Returns
    -------
    DataFrame
        One row per omitted study (index ``omitted``), with columns ``k``,
        ``yi``, ``se``, ``stat``, ``pvalue``, ``yi_ci_low``, ``yi_ci_high``
        (analysis scale), ``estimate``, ``ci_low``, ``ci_high``, ``tau2``,
        ``i2``, ``h2``, ``q``, ``q_df``, ``q_p``, ``pi_low``, ``pi_high``
        (natural scale, NaN for FE and MH). A refit that is undefined (an MH
        estimate without events in one arm) gives a row of NaN.

    Raises
    ------
    DataError
        If the result has fewer than 2 studies.

    References
    ----------
    Viechtbauer, W., & Cheung, M. W.-L. (2010). Outlier and influence
    diagnostics for meta-analysis. Research Synthesis Methods, 1(2), 112-125.
    """
    if result.k < 2:
        raise DataError(f"leave-one-out needs at least 2 studies (k = {result.k})")
    rows = []
    for i in range(result.k):
        keep = np.ones(result.k, dtype=bool)
        keep[i] = False
        try:
            fit = _refit(result, keep)
        except DataError:
            rows.append({"k": result.k - 1})
            continue
        rows.append({
            "k": fit.k, "yi": fit.yi, "se": fit.se, "stat": fit.stat, "pvalue": fit.pvalue,
            "yi_ci_low": fit.ci.low, "yi_ci_high": fit.ci.high, "estimate": fit.estimate,
            "ci_low": fit.ci_low, "ci_high": fit.ci_high, "tau2": fit.tau2, "i2": fit.i2,
            "h2": fit.h2, "q": fit.q, "q_df": fit.q_df, "q_p": fit.q_p,
            "pi_low": fit.pi_low, "pi_high": fit.pi_high,
        })
    columns = ["k", "yi", "se", "stat", "pvalue", "yi_ci_low", "yi_ci_high", "estimate", "ci_low",
               "ci_high", "tau2", "i2", "h2", "q", "q_df", "q_p", "pi_low", "pi_high"]
    frame = pd.DataFrame(rows, columns=columns, index=pd.Index(result.studies, name="omitted"))
    return frame.astype({c: float for c in columns if c not in ("k",)})


def egger_test(result: MetaResult) -> EggerResult:
    """Egger's regression test for funnel-plot asymmetry.

    Parameters
    ----------
    result : MetaResult
        A pooled result with at least 10 studies.

    Returns
    -------
    EggerResult

    Raises
    ------
    DataError
        (a ValueError) when ``k < 10``: the test has too little power to be
        meaningful with fewer studies (Cochrane Handbook, section 13.3.5.4).

    Notes
    -----
    As metafor's ``regtest`` with its defaults (``model="rma"``,
    ``predictor="sei"``): the model of ``result`` is refitted as a
    meta-regression with the study standard errors ``sqrt(vi)`` as moderator,
    using the same tau^2 estimator (FE for FE and for MH results, whose
    study-level ``yi`` and ``vi`` are used) and the same test (z, or t on k-2
    df with HKSJ). The test statistic is that of the moderator's coefficient;
    the intercept is the limit estimate as the standard error goes to 0.

    References
    ----------
    Egger, M., Davey Smith, G., Schneider, M., & Minder, C. (1997). Bias in
    meta-analysis detected by a simple, graphical test. BMJ, 315(7109),
    629-634.

    Sterne, J. A. C., & Egger, M. (2005). Regression methods to detect
    publication and other bias in meta-analysis. In Publication bias in
    meta-analysis (pp. 99-110). Wiley.
    """
    if result.k < EGGER_MIN_K:
        raise DataError(
            f"Egger's test needs at least {EGGER_MIN_K} studies (k = {result.k}); with fewer the "
            f"test is too weak to tell asymmetry from chance"
        )
    method = "FE" if result.method in ("FE", "MH") else result.method
    sei = np.sqrt(result.study_vi)
    X = np.column_stack([np.ones(result.k), sei])
    fit = _fit(result.study_yi, result.study_vi, X, method, result.hksj)
    return EggerResult(
        k=result.k, method=method, hksj=result.hksj, stat=float(fit.stat[1]), df=fit.ddf,
        pvalue=float(fit.pval[1]), slope=float(fit.beta[1]), slope_se=float(fit.se[1]),
        tau2=float(fit.tau2), limit=float(fit.beta[0]),
        limit_ci=Interval(float(fit.ci_lb[0]), float(fit.ci_ub[0])),
    )

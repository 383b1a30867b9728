"""The inverse-variance model, as metafor's ``rma.uni``: the tau² estimators and the fit.

Part of :mod:`evidence.meta` (which re-exports every name here). The
between-study variance tau² is estimated by DerSimonian-Laird
(:func:`tau2_dl`), restricted maximum likelihood (:func:`tau2_reml`) or
Paule-Mandel (:func:`tau2_pm`), for a general model matrix X (meta-regression;
a column of ones pools). The fit (``_fit``) weights the studies by
``1 / (vi + tau2)``, tests the coefficients with z or, with the
Hartung-Knapp-Sidik-Jonkman adjustment, with t on k - p df, and computes
Cochran's Q, I² and H² as metafor does. Nothing is k x k: memory and time grow
linearly with the number of studies.

Arithmetic that overflows double precision is refused with
:class:`evidence.errors.NonFiniteError` instead of flowing into a result as NaN
or inf.

The methods' references are in the docstrings of the estimators and of
:func:`evidence.meta.combine_effects`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence.errors import DataError, EvidenceError, NonFiniteError

LEVEL = 0.95
TOL = 1e-12  # convergence of REML (change in tau2) and of the Paule-Mandel root
MAXITER = 10000


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

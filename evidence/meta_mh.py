"""Mantel-Haenszel pooling of 2x2 tables (OR, RR, RD), as metafor's ``rma.mh``.

Part of :mod:`evidence.meta` (which re-exports every name here). The pooled
value uses the raw counts, without a zero-cell correction; its
variance is Robins-Breslow-Greenland's (log OR), Greenland-Robins' (log RR)
or Sato-Greenland-Robins' (RD); Cochran's Q compares the study-level values of
:mod:`evidence.effects` with the pooled one. A pooled value that is undefined,
or whose interval would have zero width, is refused with a
:class:`evidence.errors.DataError` that says why and what to use instead.

The methods' references are in the docstring of :func:`mantel_haenszel`.
"""

from __future__ import annotations

import math

import numpy as np

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence import effects
from evidence.errors import DataError, NonFiniteError
from evidence.meta_input import _labels, _option, _raise_problems
from evidence.meta_model import LEVEL, _what
from evidence.meta_results import Interval, MetaResult, _readonly


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

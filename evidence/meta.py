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

Where each concept lives
------------------------
This module is the public door: every name of its parts is importable from
``evidence.meta``, as before the split. It holds the entry points that pool and what is done with
a pooled result (leave-one-out, Egger's test); the rest lives in

- :mod:`evidence.meta_input`: options, study labels, impossible values, the CSV file;
- :mod:`evidence.meta_model`: the tau² estimators and the inverse-variance fit
  (Wald or HKSJ test, Q, I², H²);
- :mod:`evidence.meta_results`: :class:`MetaResult` and :class:`EggerResult`;
- :mod:`evidence.meta_mh`: Mantel-Haenszel pooling of 2x2 tables.

Options are keyword-only strings, checked against their allowed values
(case-insensitive); an unknown value raises :class:`ValueError` naming the
option and its values. Impossible data raise
:class:`evidence.errors.DataError`.
"""

from __future__ import annotations

import math
from os import PathLike

import numpy as np
import pandas as pd

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence import effects
from evidence.errors import DataError, EvidenceError, NonFiniteError  # noqa: F401
# re-exported: evidence.meta is the door to every name its parts define
from evidence.meta_input import (MEASURES, METHODS, RANDOM_METHODS, TRANSFS, _DECIMAL_COMMA,  # noqa: F401
                                 _flag, _labels, _option, _options, _problems, _raise_problems,
                                 read_meta_csv)
from evidence.meta_mh import _MH_NAMES, _mh_core, _raise_mh_degenerate, mantel_haenszel  # noqa: F401
from evidence.meta_model import (LEVEL, MAXITER, TOL, _TAU2, _WLS, _cross, _design, _fit,  # noqa: F401
                                 _fit_checked, _Fit, _heterogeneity, _rank, _ranges, _reml_loglik, _what,
                                 _wls, tau2_dl, tau2_pm, tau2_reml)
from evidence.meta_results import (CONTRACT_KEYS, ZERO_BELOW, EggerResult, Homogeneity,  # noqa: F401
                                   Interval, MetaResult, _check_finite, _py, _readonly, _zero_tiny)

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

EGGER_MIN_K = 10


# ----------------------------------------------------------------------------------------------
# pooling


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

"""Study-level effect sizes and their sampling variances.

Flat numeric functions in the manner of ``statsmodels.stats.meta_analysis``:
each takes arrays (one element per study) and returns ``(yi, vi)``, the effect
sizes on the analysis scale and their sampling variances, as two float arrays.
Pooling is a separate step (:mod:`evidence.meta`).

The values are those of R metafor's ``escalc`` with its defaults:

- ``RR``: log risk ratio; ``OR``: log odds ratio; ``RD``: risk difference with
  the large-sample variance (``vtype="LS"``).
- Zero cells: 1/2 is added to all four cells of a study that has a zero in any
  cell; studies with no events (or only events) in both arms are kept
  (``add=1/2, to="only0", drop00=FALSE``).
- ``MD``: raw mean difference with unequal group variances (``vtype="LS"``).
- ``SMD``: Hedges' g, the standardised mean difference with the exact bias
  correction (gamma functions) and the large-sample variance (``vtype="LS"``).

Input that no study can have (negative counts, more events than patients,
non-positive group sizes, standard deviations or variances, values that are
not finite numbers) raises :class:`evidence.errors.DataError`, naming the
study's 0-based position. :func:`evidence.meta.read_meta_csv` checks a file
row by row first, so its errors name the spreadsheet row instead.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy import special

from evidence import _dist as stats  # scipy.stats' tail functions without its import time
from evidence.errors import DataError
from evidence.vocab import BINARY_MEASURES, CONTINUOUS_MEASURES, POOLING_MEASURES

__all__ = [
    "BINARY_MEASURES",
    "CONTINUOUS_MEASURES",
    "MEASURES",
    "COLUMNS",
    "log_risk_ratio",
    "log_odds_ratio",
    "risk_difference",
    "mean_difference",
    "hedges_g",
    "hedges_correction",
    "generic",
    "effect_sizes",
    "from_ci",
    "check_ci",
    "binary_problems",
    "continuous_problems",
    "generic_problems",
]

MEASURES = POOLING_MEASURES

#: Input columns for each measure, as the ``evidence meta`` contract names them.
COLUMNS = {
    **{m: ("study", "events_t", "n_t", "events_c", "n_c") for m in BINARY_MEASURES},
    **{
        m: ("study", "mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c")
        for m in CONTINUOUS_MEASURES
    },
    "GENERIC": ("study", "yi", "vi"),
}

_ADD = 0.5  # escalc's default `add` with to="only0"


# ----------------------------------------------------------------------------------------------
# validation


def _as_float_arrays(*arrays: Sequence[float]) -> list[np.ndarray]:
    out = [np.atleast_1d(np.asarray(a, dtype=float)) for a in arrays]
    sizes = {a.shape for a in out}
    if len(sizes) != 1 or out[0].ndim != 1:
        raise DataError(
            "the input arrays must be one-dimensional and of equal length; "
            f"got shapes {sorted(sizes)}"
        )
    return out


def _fmt(x: float) -> str:
    return f"{x:g}"


def _nonfinite(names: Sequence[str], arrays: Sequence[np.ndarray], i: int) -> str | None:
    for name, a in zip(names, arrays):
        if not np.isfinite(a[i]):
            return f"{name} is not a finite number ({a[i]!r})"
    return None


def binary_problems(events_t, n_t, events_c, n_c) -> list[tuple[int, str]]:
    """List the studies whose 2x2 counts are impossible.

    Parameters
    ----------
    events_t, n_t, events_c, n_c : array_like
        Events and group sizes in the treatment and control arms.

    Returns
    -------
    list of (int, str)
        ``(position, reason)`` for every impossible study, in order; empty when
        the counts are usable.
    """
    names = ("events_t", "n_t", "events_c", "n_c")
    arrays = _as_float_arrays(events_t, n_t, events_c, n_c)
    et, nt, ec, nc = arrays
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(np.stack(arrays)).all(axis=0)
        bad |= (nt <= 0) | (nc <= 0) | (et < 0) | (ec < 0) | (et > nt) | (ec > nc)
    problems = []
    for i in np.flatnonzero(bad):  # only the impossible rows are looked at one by one
        i = int(i)
        reason = _nonfinite(names, arrays, i)
        if reason is None:
            for ev, n, arm in ((et, nt, "t"), (ec, nc, "c")):
                if n[i] <= 0:
                    reason = f"n_{arm} must be > 0 (got {_fmt(n[i])})"
                elif ev[i] < 0:
                    reason = f"events_{arm} is negative ({_fmt(ev[i])})"
                elif ev[i] > n[i]:
                    reason = f"events_{arm} ({_fmt(ev[i])}) is larger than n_{arm} ({_fmt(n[i])})"
                if reason is not None:
                    break
        if reason is not None:
            problems.append((i, reason))
    return problems


def continuous_problems(
    mean_t, sd_t, n_t, mean_c, sd_c, n_c, *, measure="MD"
) -> list[tuple[int, str]]:
    """List the studies whose means, SDs or group sizes are impossible.

    Parameters
    ----------
    mean_t, sd_t, n_t, mean_c, sd_c, n_c : array_like
        Mean, standard deviation and size of the treatment and control groups.
    measure : {"MD", "SMD"}
        ``"SMD"`` also needs ``n_t + n_c >= 4`` for the bias correction.

    Returns
    -------
    list of (int, str)
        ``(position, reason)`` for every impossible study; empty if none.
    """
    names = ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c")
    arrays = _as_float_arrays(mean_t, sd_t, n_t, mean_c, sd_c, n_c)
    _, st, nt, _, sc, nc = arrays
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(np.stack(arrays)).all(axis=0)
        bad |= (nt <= 0) | (nc <= 0) | (st <= 0) | (sc <= 0)
        if measure == "SMD":
            bad |= nt + nc - 2 <= 1
    problems = []
    for i in np.flatnonzero(bad):  # only the impossible rows are looked at one by one
        i = int(i)
        reason = _nonfinite(names, arrays, i)
        if reason is None:
            for name, a in (("n_t", nt), ("n_c", nc), ("sd_t", st), ("sd_c", sc)):
                if a[i] <= 0:
                    reason = f"{name} must be > 0 (got {_fmt(a[i])})"
                    break
        if reason is None and measure == "SMD" and nt[i] + nc[i] - 2 <= 1:
            reason = (
                f"SMD needs n_t + n_c >= 4 for the bias correction "
                f"(got {_fmt(nt[i])} + {_fmt(nc[i])})"
            )
        if reason is not None:
            problems.append((i, reason))
    return problems


def generic_problems(yi, vi) -> list[tuple[int, str]]:
    """List the studies whose effect size or variance is unusable.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes (analysis scale) and sampling variances.

    Returns
    -------
    list of (int, str)
        ``(position, reason)``: non-finite values, or ``vi <= 0``.
    """
    arrays = _as_float_arrays(yi, vi)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(np.stack(arrays)).all(axis=0) | (arrays[1] <= 0)
    problems = []
    for i in np.flatnonzero(bad):  # only the impossible rows are looked at one by one
        i = int(i)
        reason = _nonfinite(("yi", "vi"), arrays, i)
        if reason is None and arrays[1][i] <= 0:
            reason = f"vi must be > 0 (got {_fmt(arrays[1][i])})"
        if reason is not None:
            problems.append((i, reason))
    return problems


def _raise_first(problems: list[tuple[int, str]]) -> None:
    if problems:
        i, reason = problems[0]
        more = f" ({len(problems) - 1} more impossible studies)" if len(problems) > 1 else ""
        raise DataError(f"study at position {i} (0-based): {reason}{more}; correct the input data")


# ----------------------------------------------------------------------------------------------
# binary outcomes


def _cells(events_t, n_t, events_c, n_c):
    """2x2 cells after escalc's zero-cell correction (add 1/2 to studies with a zero cell)."""
    _raise_first(binary_problems(events_t, n_t, events_c, n_c))
    ai, n1, ci, n2 = _as_float_arrays(events_t, n_t, events_c, n_c)
    bi, di = n1 - ai, n2 - ci
    zero = (ai == 0) | (bi == 0) | (ci == 0) | (di == 0)
    add = np.where(zero, _ADD, 0.0)
    return ai + add, bi + add, ci + add, di + add


def log_risk_ratio(events_t, n_t, events_c, n_c):
    """Log risk ratio and its large-sample variance, as metafor's ``escalc(measure="RR")``.

    Parameters
    ----------
    events_t, n_t : array_like
        Events and group size in the treatment arm, one value per study.
    events_c, n_c : array_like
        Events and group size in the control arm.

    Returns
    -------
    yi : ndarray
        ``log((a/n1) / (c/n2))``.
    vi : ndarray
        ``1/a - 1/n1 + 1/c - 1/n2``.

    Notes
    -----
    Studies with a zero in any of the four cells get 1/2 added to every cell
    (so ``n1`` and ``n2`` grow by 1); studies with no events in either arm are
    kept, and contribute ``yi = 0`` (``escalc``'s ``add=1/2, to="only0",
    drop00=FALSE``). The variance is the delta-method variance of the log risk
    ratio.

    References
    ----------
    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
    package. Journal of Statistical Software, 36(3), 1-48.

    Greenland, S., & Robins, J. M. (1985). Estimation of a common effect
    parameter from sparse follow-up data. Biometrics, 41(1), 55-68.
    """
    a, b, c, d = _cells(events_t, n_t, events_c, n_c)
    n1, n2 = a + b, c + d
    yi = np.log(a / n1) - np.log(c / n2)
    vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    return yi, vi


def log_odds_ratio(events_t, n_t, events_c, n_c):
    """Log odds ratio and its Woolf variance, as metafor's ``escalc(measure="OR")``.

    Parameters
    ----------
    events_t, n_t, events_c, n_c : array_like
        Events and group sizes in the treatment and control arms.

    Returns
    -------
    yi : ndarray
        ``log(a d / (b c))``.
    vi : ndarray
        ``1/a + 1/b + 1/c + 1/d``.

    Notes
    -----
    Zero cells as in :func:`log_risk_ratio` (1/2 added to every cell of a study
    with a zero cell; double-zero studies kept).

    References
    ----------
    Woolf, B. (1955). On estimating the relation between blood group and
    disease. Annals of Human Genetics, 19(4), 251-253.

    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
    package. Journal of Statistical Software, 36(3), 1-48.
    """
    a, b, c, d = _cells(events_t, n_t, events_c, n_c)
    p1, p2 = a / (a + b), c / (c + d)
    yi = np.log(p1 / (1 - p1)) - np.log(p2 / (1 - p2))
    vi = 1 / a + 1 / b + 1 / c + 1 / d
    return yi, vi


def risk_difference(events_t, n_t, events_c, n_c):
    """Risk difference and its large-sample variance, as ``escalc(measure="RD")``.

    Parameters
    ----------
    events_t, n_t, events_c, n_c : array_like
        Events and group sizes in the treatment and control arms.

    Returns
    -------
    yi : ndarray
        ``p1 - p2``.
    vi : ndarray
        ``p1 (1 - p1) / n1 + p2 (1 - p2) / n2`` (``vtype="LS"``).

    Notes
    -----
    escalc applies its zero-cell correction to the risk difference as well, so
    a study with a zero cell gets 1/2 added to every cell before ``p1``, ``p2``
    and the variance are computed. Without it a study with 0 or all events in
    both arms would have variance 0.

    References
    ----------
    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
    package. Journal of Statistical Software, 36(3), 1-48.
    """
    a, b, c, d = _cells(events_t, n_t, events_c, n_c)
    n1, n2 = a + b, c + d
    p1, p2 = a / n1, c / n2
    return p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2


# ----------------------------------------------------------------------------------------------
# continuous outcomes


def mean_difference(mean_t, sd_t, n_t, mean_c, sd_c, n_c):
    """Raw mean difference and its variance, as ``escalc(measure="MD")``.

    Parameters
    ----------
    mean_t, sd_t, n_t : array_like
        Mean, standard deviation and size of the treatment group.
    mean_c, sd_c, n_c : array_like
        The same for the control group.

    Returns
    -------
    yi : ndarray
        ``mean_t - mean_c``.
    vi : ndarray
        ``sd_t**2 / n_t + sd_c**2 / n_c`` (no equal-variance assumption).

    References
    ----------
    Borenstein, M. (2009). Effect sizes for continuous data. In H. Cooper,
    L. V. Hedges, & J. C. Valentine (Eds.), The handbook of research synthesis
    and meta-analysis (2nd ed., pp. 221-235). Russell Sage Foundation.
    """
    _raise_first(continuous_problems(mean_t, sd_t, n_t, mean_c, sd_c, n_c, measure="MD"))
    m1, s1, n1, m2, s2, n2 = _as_float_arrays(mean_t, sd_t, n_t, mean_c, sd_c, n_c)
    return m1 - m2, s1**2 / n1 + s2**2 / n2


def hedges_correction(df):
    """Exact small-sample bias correction of the standardised mean difference.

    Parameters
    ----------
    df : array_like
        Degrees of freedom, ``n_t + n_c - 2``; must be > 1.

    Returns
    -------
    ndarray
        ``c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, computed on the log
        scale as metafor's ``.cmicalc`` does.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect
    size and related estimators. Journal of Educational Statistics, 6(2),
    107-128.
    """
    m = np.asarray(df, dtype=float)
    return np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))


def hedges_g(mean_t, sd_t, n_t, mean_c, sd_c, n_c):
    """Hedges' g and its large-sample variance, as ``escalc(measure="SMD")``.

    Parameters
    ----------
    mean_t, sd_t, n_t : array_like
        Mean, standard deviation and size of the treatment group.
    mean_c, sd_c, n_c : array_like
        The same for the control group.

    Returns
    -------
    yi : ndarray
        ``g = c(m) (mean_t - mean_c) / s_pooled`` with ``m = n_t + n_c - 2``
        and :func:`hedges_correction` ``c(m)``.
    vi : ndarray
        ``1/n_t + 1/n_c + g**2 / (2 (n_t + n_c))`` (escalc's default
        ``vtype="LS"``, which uses the corrected ``g``).

    Notes
    -----
    The pooled standard deviation is
    ``sqrt(((n_t - 1) sd_t**2 + (n_c - 1) sd_c**2) / m)``. The correction uses
    the exact gamma-function form, not the approximation
    ``1 - 3 / (4 m - 1)``.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect
    size and related estimators. Journal of Educational Statistics, 6(2),
    107-128.

    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
    package. Journal of Statistical Software, 36(3), 1-48.
    """
    _raise_first(continuous_problems(mean_t, sd_t, n_t, mean_c, sd_c, n_c, measure="SMD"))
    m1, s1, n1, m2, s2, n2 = _as_float_arrays(mean_t, sd_t, n_t, mean_c, sd_c, n_c)
    m = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / m)
    yi = hedges_correction(m) * (m1 - m2) / sp
    vi = 1 / n1 + 1 / n2 + yi**2 / (2 * (n1 + n2))
    return yi, vi


# ----------------------------------------------------------------------------------------------
# generic input


def generic(yi, vi):
    """Pass effect sizes and variances through, after checking them.

    Parameters
    ----------
    yi : array_like
        Effect sizes on the analysis scale (log scale for ratio measures).
    vi : array_like
        Their sampling variances; must be > 0.

    Returns
    -------
    yi, vi : ndarray
        Float copies of the input.
    """
    _raise_first(generic_problems(yi, vi))
    y, v = _as_float_arrays(yi, vi)
    return y.copy(), v.copy()


def _check_scale(scale: str) -> str:
    if scale not in ("log", "identity"):
        raise ValueError(f"scale must be one of 'log', 'identity'; got {scale!r}")
    return scale


def _ci_problems(estimate, ci_low, ci_high, scale: str) -> list[tuple[int, str]]:
    names = ("estimate", "ci_low", "ci_high")
    arrays = _as_float_arrays(estimate, ci_low, ci_high)
    est, lo, hi = arrays
    problems = []
    for i in range(est.size):
        reason = _nonfinite(names, arrays, i)
        if reason is None and scale == "log" and min(est[i], lo[i], hi[i]) <= 0:
            reason = (
                f"a ratio and its interval must be > 0 "
                f"(got {_fmt(est[i])} [{_fmt(lo[i])}, {_fmt(hi[i])}])"
            )
        if reason is None and not lo[i] < hi[i]:
            reason = f"ci_low ({_fmt(lo[i])}) must be smaller than ci_high ({_fmt(hi[i])})"
        if reason is None and not lo[i] <= est[i] <= hi[i]:
            reason = (
                f"the interval [{_fmt(lo[i])}, {_fmt(hi[i])}] does not contain "
                f"the estimate {_fmt(est[i])}"
            )
        if reason is not None:
            problems.append((i, reason))
    return problems


def check_ci(estimate, ci_low, ci_high, *, scale="log"):
    """Check estimates with confidence intervals before converting them.

    Parameters
    ----------
    estimate, ci_low, ci_high : array_like
        Point estimates and interval bounds on the natural scale.
    scale : {"log", "identity"}
        ``"log"`` for ratio measures (RR, OR, HR): every value must be > 0.

    Returns
    -------
    list of (int, str)
        ``(position, reason)`` for each unusable study: a non-finite value, a
        non-positive ratio, ``ci_low >= ci_high``, or an interval that does not
        contain its estimate. Empty when everything is usable.
    """
    return _ci_problems(estimate, ci_low, ci_high, _check_scale(scale))


def from_ci(estimate, ci_low, ci_high, *, scale="log", level=0.95):
    """Effect size and variance from an estimate with its confidence interval.

    Parameters
    ----------
    estimate, ci_low, ci_high : array_like
        Point estimates and interval bounds on the natural scale.
    scale : {"log", "identity"}
        Analysis scale: ``"log"`` for ratio measures (RR, OR, HR), whose
        intervals are symmetric on the log scale; ``"identity"`` for
        differences.
    level : float
        Confidence level of the interval, default 0.95.

    Returns
    -------
    yi : ndarray
        ``log(estimate)`` (or ``estimate``).
    vi : ndarray
        ``se**2`` with ``se = (log(ci_high) - log(ci_low)) / (2 z)``,
        ``z = Phi^-1(1 - (1 - level)/2)`` (1.959964... for 95%).

    Raises
    ------
    DataError
        For the problems :func:`check_ci` lists.

    Notes
    -----
    This is the Wald back-calculation (Cochrane Handbook, section 6.3). The
    standard error comes from the width of the interval, so an interval that
    was rounded asymmetrically around the estimate still gives a usable
    variance.

    References
    ----------
    Higgins, J. P. T., Li, T., & Deeks, J. J. (2023). Chapter 6: Choosing
    effect measures and computing estimates of effect. In Cochrane Handbook
    for Systematic Reviews of Interventions, version 6.4.
    """
    scale = _check_scale(scale)
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (exclusive); got {level!r}")
    _raise_first(_ci_problems(estimate, ci_low, ci_high, scale))
    est, lo, hi = _as_float_arrays(estimate, ci_low, ci_high)
    if scale == "log":
        est, lo, hi = np.log(est), np.log(lo), np.log(hi)
    z = stats.norm.isf((1 - level) / 2)
    se = (hi - lo) / (2 * z)
    return est, se**2


# ----------------------------------------------------------------------------------------------
# dispatcher


def effect_sizes(data: Mapping[str, Sequence[float]], *, measure: str):
    """Effect sizes and variances for any of the contract's measures.

    Parameters
    ----------
    data : mapping or DataFrame
        Columns named as in :data:`COLUMNS` for ``measure`` (``study`` is not
        needed here).
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
        The effect measure.

    Returns
    -------
    yi, vi : ndarray
        As the measure's own function returns them.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    cols = [data[c] for c in COLUMNS[measure][1:]]
    func = {
        "RR": log_risk_ratio,
        "OR": log_odds_ratio,
        "RD": risk_difference,
        "MD": mean_difference,
        "SMD": hedges_g,
        "GENERIC": generic,
    }[measure]
    return func(*cols)

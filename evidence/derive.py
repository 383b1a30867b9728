"""Effect estimates derived from what an abstract gives: an estimate with its P value, or
percentages with group sizes (Cochrane Handbook chapter 6).

A null result reported as "33% vs 27% (p = 0.18)" weighs in a pool like a
positive one only when it has an estimate and an interval. These pure
functions derive them the way a Cochrane review would, so that
``data/effects.csv`` can hold the derived rows with their working in
``source``:

- :func:`ci_from_p`: the standard error from an estimate and its exact
  two-sided P value (Handbook 6.3.1 for differences; 6.3.2 for ratios, on
  the log scale), then the 95% interval;
- :func:`counts_from_percentages`: events from a percentage and the group
  size (Handbook 6.4.2: number = percentage x group size, rounded);
- :func:`rr_from_percentages`: a risk ratio with its interval from two
  percentages and two group sizes (Handbook 6.4.1, with the counts above).

A P value given only as a bound ("p < 0.05") or as "NS" is not an exact P
value: the functions refuse it (:class:`~evidence.errors.DataError`), and the
result stays in ``null_results.csv``.

References
----------
Higgins, J. P. T., Li, T., & Deeks, J. J. (2023). Chapter 6: Choosing effect
measures and computing estimates of effect. In Cochrane Handbook for
Systematic Reviews of Interventions, version 6.4. Sections 6.3.1, 6.3.2,
6.4.1, 6.4.2, 6.5.2.3.

Altman, D. G., & Bland, J. M. (2011). How to obtain the confidence interval
from a P value. BMJ, 343, d2090.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import effects
from .errors import DataError

__all__ = ["Derived", "z_from_p", "ci_from_p", "counts_from_percentages",
           "rr_from_percentages", "DISTRIBUTIONS"]

#: Reference distributions for the P value: ``"normal"`` (z test) or ``"t"`` (t test, with
#: ``df`` degrees of freedom).
DISTRIBUTIONS = ("normal", "t")
_Z95 = stats.norm.isf(0.025)


@dataclass(frozen=True)
class Derived:
    """An effect estimate derived from reported numbers.

    Attributes
    ----------
    estimate, ci_low, ci_high : float
        Natural scale (a ratio as a ratio), 95% interval.
    se : float
        Standard error on the analysis scale (log scale for ratios).
    method : str
        How it was derived, in words, with the Handbook section (for the
        ``source`` note of the extraction table).
    events_t, n_t, events_c, n_c : int or None
        The counts used, for results derived from percentages.
    """

    estimate: float
    ci_low: float
    ci_high: float
    se: float
    method: str
    events_t: int | None = None
    n_t: int | None = None
    events_c: int | None = None
    n_c: int | None = None

    def to_dict(self) -> dict:
        """The fields as a dict."""
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "se": self.se, "method": self.method, "events_t": self.events_t,
                "n_t": self.n_t, "events_c": self.events_c, "n_c": self.n_c}

    def rounded(self, digits: int = 2) -> tuple[float, float, float]:
        """``(estimate, ci_low, ci_high)`` rounded as the extraction table stores them."""
        return (round(self.estimate, digits), round(self.ci_low, digits),
                round(self.ci_high, digits))


def z_from_p(p: float, *, distribution: str = "normal", df: float | None = None) -> float:
    """The test statistic of an exact two-sided P value.

    Parameters
    ----------
    p : float
        Two-sided P value, 0 < p < 1, as reported (exact, not a bound).
    distribution : {"normal", "t"}
        The test's reference distribution; ``"t"`` needs ``df`` (for two
        groups, n_t + n_c - 2).
    df : float, optional
        Degrees of freedom of the t distribution.

    Returns
    -------
    float
        ``Phi^-1(1 - p/2)`` or the t quantile with ``df``.

    Raises
    ------
    ValueError
        For an unknown distribution, or ``"t"`` without ``df``.
    DataError
        For a P value outside (0, 1).

    References
    ----------
    Cochrane Handbook v6.4, section 6.3.1 ("the Z value that corresponds to a P value of
    0.008 is Z = 2.652") and 6.5.2.3 (t with n_E + n_C - 2 degrees of freedom).
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}; "
                         f"got {distribution!r}")
    p = float(p)
    if not (0 < p < 1) or not math.isfinite(p):
        raise DataError(f"a P value must lie strictly between 0 and 1 (got {p!r}); a bound "
                        "such as 'p < 0.05' is not an exact P value")
    if distribution == "t":
        if df is None or not df > 0:
            raise ValueError("distribution 't' needs df > 0 (n_t + n_c - 2 for two groups)")
        return float(stats.t.isf(p / 2, df))
    return float(stats.norm.isf(p / 2))


def ci_from_p(estimate: float, p: float, *, ratio: bool = False,
              distribution: str = "normal", df: float | None = None) -> Derived:
    """A 95% interval from an estimate and its exact two-sided P value.

    Parameters
    ----------
    estimate : float
        The reported estimate on its natural scale (a ratio as a ratio).
    p : float
        The exact two-sided P value of that estimate.
    ratio : bool
        True for a ratio measure (RR, OR, HR): derived on the log scale.
    distribution, df
        As :func:`z_from_p`.

    Returns
    -------
    Derived
        ``se = |estimate| / z`` (log scale for ratios) and ``estimate +/- 1.96 se``.

    Raises
    ------
    DataError
        For a P value outside (0, 1), a ratio <= 0, or an estimate of exactly no effect
        (0, or 1 for a ratio), whose SE a P value cannot give.

    Notes
    -----
    The SE assumes the P value came from a test of the same estimate (Wald z or t); a P
    value from another test (chi-squared on the counts, a model with covariates) gives an
    approximate interval, which the ``source`` note must say.

    References
    ----------
    Cochrane Handbook v6.4, sections 6.3.1 (difference measures) and 6.3.2 (ratio
    measures: "first calculate ... intervention effect estimate = ln RR").
    """
    estimate = float(estimate)
    if ratio and not estimate > 0:
        raise DataError(f"a ratio must be > 0 (got {estimate!r})")
    y = math.log(estimate) if ratio else estimate
    if y == 0:
        raise DataError("an estimate of exactly no effect has no SE to recover from its "
                        "P value")
    z = z_from_p(p, distribution=distribution, df=df)
    se = abs(y) / z
    lo, hi = y - _Z95 * se, y + _Z95 * se
    section = "6.3.2" if ratio else "6.3.1"
    what = "t" if distribution == "t" else "z"
    scale = "ln " if ratio else ""
    method = (f"CI derived from the estimate and its exact P = {p:g} (Cochrane Handbook v6.4 "
              f"{section}): {what} = {z:.4f}, SE of the {scale}estimate = {abs(y):.4g} / "
              f"{z:.4f} = {se:.4f}")
    if ratio:
        lo, hi = math.exp(lo), math.exp(hi)
    return Derived(estimate, float(lo), float(hi), float(se), method)


def counts_from_percentages(percent: float, n: int) -> int:
    """Events from a reported percentage and the group size, rounded to a whole number.

    Parameters
    ----------
    percent : float
        The percentage with the event (0-100).
    n : int
        The group size it refers to.

    Returns
    -------
    int
        ``percent / 100 * n`` rounded to the nearest whole number, halves up (31.5 -> 32),
        as a reviewer rounds by hand; a percentage reported to whole numbers has that much
        slack anyway.

    References
    ----------
    Cochrane Handbook v6.4, section 6.4.2 (numbers of events from percentages and group
    sizes).
    """
    if not 0 <= percent <= 100 or not math.isfinite(percent):
        raise DataError(f"a percentage lies between 0 and 100 (got {percent!r})")
    if n != int(n) or n < 1:
        raise DataError(f"a group size is a whole number >= 1 (got {n!r})")
    exact = round(percent * int(n) / 100.0, 9)  # 35% of 90 is 31.5, not 31.499999999999996
    return int(math.floor(exact + 0.5))


def rr_from_percentages(percent_t: float, n_t: int, percent_c: float, n_c: int) -> Derived:
    """A risk ratio and its 95% interval from two percentages and two group sizes.

    Parameters
    ----------
    percent_t, n_t : float, int
        Percentage with the event and size of the acupuncture group.
    percent_c, n_c : float, int
        The same for the control group.

    Returns
    -------
    Derived
        RR, its Wald interval on the log scale and the counts used (metafor's
        ``escalc(measure="RR")`` on them: 1/2 added to every cell when one is zero).

    References
    ----------
    Cochrane Handbook v6.4, sections 6.4.1 (risk ratio and its SE) and 6.4.2 (counts from
    percentages).
    """
    a, c = counts_from_percentages(percent_t, n_t), counts_from_percentages(percent_c, n_c)
    yi, vi = effects.log_risk_ratio([a], [int(n_t)], [c], [int(n_c)])
    y, se = float(yi[0]), float(np.sqrt(vi[0]))
    method = (f"RR from counts derived from percentages x group sizes (Cochrane Handbook v6.4 "
              f"6.4.2): {percent_t:g}% of {int(n_t)} = {a}, {percent_c:g}% of {int(n_c)} = {c}; "
              f"SE of ln RR = {se:.4f} (6.4.1)")
    return Derived(math.exp(y), math.exp(y - _Z95 * se), math.exp(y + _Z95 * se), se, method,
                   a, int(n_t), c, int(n_c))

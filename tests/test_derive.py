"""Tests of evidence.derive: estimates from P values and percentages (Cochrane Handbook ch. 6).

The reference numbers are the Cochrane Handbook's own worked examples, not this project's
output:
- Handbook v6.4 section 6.3.1 (and v5.1 section 7.7.7.2): "the Z value that corresponds to a
  P value of 0.008 is Z = 2.652".
- Handbook v6.4 section 6.5.2.3 (v5.1 7.7.3.3): a P value of 0.008 from a t test comparing
  groups of 25 and 22 gives t = 2.78 with 45 degrees of freedom; a mean difference of 3.8 then
  has SE = 3.8 / 2.78 = 1.37.
- Handbook v6.4 section 6.4.1: SE of ln RR = sqrt(1/a - 1/n1 + 1/c - 1/n2).
"""

from __future__ import annotations

import math

import pytest

from evidence.derive import ci_from_p, counts_from_percentages, rr_from_percentages, z_from_p
from evidence.errors import DataError


def test_handbook_z_for_p_0_008():
    # Cochrane Handbook 6.3.1: P = 0.008 -> Z = 2.652
    assert z_from_p(0.008) == pytest.approx(2.652, abs=5e-4)


def test_handbook_t_example_se_of_a_mean_difference():
    # Cochrane Handbook 6.5.2.3: P = 0.008, groups of 25 and 22 (45 df): t = 2.78,
    # SE = 3.8 / 2.78 = 1.37
    t = z_from_p(0.008, distribution="t", df=25 + 22 - 2)
    assert t == pytest.approx(2.78, abs=5e-3)
    d = ci_from_p(3.8, 0.008, distribution="t", df=45)
    assert d.se == pytest.approx(1.37, abs=5e-3)
    assert (d.ci_low, d.ci_high) == (pytest.approx(3.8 - 1.959964 * d.se),
                                     pytest.approx(3.8 + 1.959964 * d.se))


def test_p_to_ci_round_trip_and_sign():
    # A CI derived from P must give back that P: z = |est| / SE
    d = ci_from_p(-0.12, 0.63)
    assert d.ci_low < -0.12 < d.ci_high and d.ci_high > 0
    assert d.rounded() == (-0.12, -0.61, 0.37)  # Fang 2024's stored interval (issue 9)
    assert 2 * (1 - 0.5 * (1 + math.erf(0.12 / d.se / math.sqrt(2)))) == pytest.approx(0.63)


def test_ratio_on_the_log_scale():
    # Handbook 6.3.2: ratio measures are derived on the log scale, so the interval is
    # symmetric around ln RR, not around RR
    d = ci_from_p(33 / 27, 0.18, ratio=True)
    assert math.log(d.ci_high) - math.log(d.estimate) == pytest.approx(
        math.log(d.estimate) - math.log(d.ci_low))
    assert d.rounded() == (1.22, 0.91, 1.64)
    assert "6.3.2" in d.method


@pytest.mark.parametrize("p", [0, 1, -0.1, 1.5, float("nan")])
def test_p_must_be_exact_and_inside_0_1(p):
    with pytest.raises(DataError, match="P value"):
        ci_from_p(1.0, p)


def test_no_effect_and_bad_options_are_refused():
    with pytest.raises(DataError, match="no effect"):
        ci_from_p(0.0, 0.5)
    with pytest.raises(DataError, match="ratio"):
        ci_from_p(-1.0, 0.5, ratio=True)
    with pytest.raises(ValueError, match="distribution"):
        ci_from_p(1.0, 0.5, distribution="chi2")
    with pytest.raises(ValueError, match="df"):
        z_from_p(0.5, distribution="t")


def test_counts_from_percentages_round_half_up():
    # Handbook 6.4.2: events = percentage x group size, rounded
    assert counts_from_percentages(35, 90) == 32  # 31.5, not 31 (binary 31.4999...)
    assert counts_from_percentages(46, 90) == 41  # 41.4
    assert counts_from_percentages(4, 90) == 4  # 3.6
    with pytest.raises(DataError):
        counts_from_percentages(101, 90)
    with pytest.raises(DataError):
        counts_from_percentages(50, 0)


def test_rr_from_percentages_matches_the_handbook_formula():
    d = rr_from_percentages(46, 90, 35, 90)
    a, n1, c, n2 = 41, 90, 32, 90
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)  # Handbook 6.4.1
    assert (d.events_t, d.n_t, d.events_c, d.n_c) == (a, n1, c, n2)
    assert d.estimate == pytest.approx((a / n1) / (c / n2))
    assert d.se == pytest.approx(se)
    assert d.ci_low == pytest.approx(math.exp(math.log(41 / 32) - 1.959964 * se), rel=1e-6)
    assert d.to_dict()["events_t"] == 41

"""Tests of evidence.analyses as a library: effect sizes, scales, timepoints and pool_studies.

The review's pooled results are the analysis plan's summary-of-findings rows (tests/test_pooled.py,
tests/test_grade.py, tests/test_synthesis.py); these tests check the row-level rules those rows
use. Pooled numbers are recomputed here by hand from the numbers of ``data/effects.csv`` (rows
quoted in the comments), with the textbook formulas, not taken from the function under test:

- standard error from a 95% CI: se = (high - low) / (2 * 1.959964)
  (Cochrane Handbook 6.3.1);
- inverse-variance weights w = 1 / (se^2 + tau2), pooled = sum(w y) / sum(w),
  se(pooled) = 1 / sqrt(sum(w)), CI = pooled -/+ 1.959964 se (Handbook 10.3);
- DerSimonian-Laird: Q = sum(w0 (y - pooled_FE)^2),
  tau2 = max(0, (Q - (k - 1)) / (sum(w0) - sum(w0^2) / sum(w0)));
- REML with two studies: the restricted likelihood is that of the single contrast
  d = y1 - y2 ~ N(0, v1 + v2 + 2 tau2), maximised at tau2 = max(0, (d^2 - v1 - v2) / 2).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import DATA, SNAPSHOT

from evidence.analyses import (
    measure_family,
    pool_studies,
    row_effect,
    row_scale,
    timepoint_weeks,
)
from evidence.extraction import read_effects_table, snapshot_pmids

Z = 1.959963984540054


@pytest.fixture(scope="module")
def table():
    return read_effects_table(DATA / "effects.csv", pmids=snapshot_pmids(SNAPSHOT))


def _row(table, study, outcomes):
    rows = table[(table["study"] == study) & (table["comparison"] == "acupuncture_vs_sham")
                 & table["outcome"].isin(outcomes)]
    return rows.iloc[0]


def _effects(table, studies, outcomes):
    """yi, vi of the shipped rows, through row_effect (the function grade.py pools with)."""
    out = [row_effect(_row(table, s, outcomes)) for s in studies]
    assert all(how == "estimate and 95% CI" for _, _, how in out)
    return [y for y, _, _ in out], [v for _, v, _ in out]


def _se(low, high):
    return (high - low) / (2 * Z)


def _pool(y, v, tau2=0.0):
    w = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    return mu, mu - Z * se, mu + Z * se


def _dl(y, v):
    w = [1 / vi for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y))
    return max(0.0, (q - (len(y) - 1)) / (sum(w) - sum(wi**2 for wi in w) / sum(w))), q


# ----------------------------------------------------------------------------------------------
# pool_studies, recomputed by hand


def test_headache_days_two_trials_reml_is_the_fixed_effect(table):
    # effects.csv: Melchart 2005 vs sham, headache_days, GENERIC_MD -0.6 (-2.6, 1.5);
    #              Endres 2007 vs sham, headache_days, GENERIC_MD -1.8 (-3.0, -0.6)
    y, v = _effects(table, ["Melchart 2005", "Endres 2007"], ["headache_days"])
    assert y == [-0.6, -1.8]
    assert v == [pytest.approx(_se(-2.6, 1.5) ** 2), pytest.approx(_se(-3.0, -0.6) ** 2)]
    tau2, q = _dl(y, v)
    assert q < 1 and tau2 == 0  # Q = 0.98 < k - 1: no excess heterogeneity
    # REML for two studies: (d^2 - v1 - v2) / 2 = (1.44 - 1.094 - 0.375) / 2 < 0 -> 0
    assert (y[0] - y[1]) ** 2 - v[0] - v[1] < 0
    mu, low, high = _pool(y, v)  # tau2 = 0: the fixed-effect mean, -1.494 (-2.529, -0.458)
    pool = pool_studies(y, v, studies=["Melchart 2005", "Endres 2007"], measure="MD")
    r = pool.random
    assert pool.show_pooled and r.k == 2 and r.method == "REML"
    assert r.tau2 == 0.0 and r.i2 == 0.0
    assert (r.estimate, r.ci_low, r.ci_high) == (pytest.approx(mu, abs=1e-9),
                                                 pytest.approx(low, abs=1e-9),
                                                 pytest.approx(high, abs=1e-9))
    assert r.q == pytest.approx(q, rel=1e-9)
    assert pool.fixed.estimate == pytest.approx(mu, abs=1e-9)
    # k = 2: the fixed effect is reported beside the random effects (issue 9)
    assert any(n.startswith("Rests on two trials") and "Fixed effect -1.49" in n for n in pool.notes)
    assert any(n.startswith("HKSJ interval") for n in pool.notes)


def test_neck_pain_two_trials_reml_by_hand_and_no_diamond(table):
    # effects.csv: White 2004 vs sham, pain_intensity (VAS mm), -6.3 (-11.3, -1.4);
    #              Vas 2006 vs sham, motion_related_pain (VAS 0-100 mm), -28.1 (-34.7, -21.4)
    y, v = _effects(table, ["White 2004", "Vas 2006"], ["pain_intensity", "motion_related_pain"])
    tau2 = max(0.0, ((y[0] - y[1]) ** 2 - v[0] - v[1]) / 2)  # = 228.67
    mu, low, high = _pool(y, v, tau2)
    pool = pool_studies(y, v, studies=["White 2004", "Vas 2006"], measure="MD")
    r = pool.random
    assert r.tau2 == pytest.approx(tau2, rel=1e-8)
    assert (r.estimate, r.ci_low, r.ci_high) == (pytest.approx(mu, rel=1e-8),
                                                 pytest.approx(low, rel=1e-8),
                                                 pytest.approx(high, rel=1e-8))
    # I2 > 75% with k < 5: computed, but the studies are shown without a pooled estimate
    assert r.i2 > 90 and not pool.show_pooled
    assert any(n.startswith("I2 = 96% with 2 studies") for n in pool.notes)
    # the fixed effect beside it is the plain inverse-variance mean
    assert pool.fixed.estimate == pytest.approx(_pool(y, v)[0], rel=1e-9) and pool.fixed.tau2 == 0


def test_dersimonian_laird_by_hand(table):
    y, v = _effects(table, ["White 2004", "Vas 2006"], ["pain_intensity", "motion_related_pain"])
    tau2, q = _dl(y, v)
    mu, low, high = _pool(y, v, tau2)
    r = pool_studies(y, v, studies=["a", "b"], measure="MD", method="DL").random
    assert r.tau2 == pytest.approx(tau2, rel=1e-9)
    assert r.q == pytest.approx(q, rel=1e-9)
    assert (r.estimate, r.ci_low, r.ci_high) == (
        pytest.approx(mu, rel=1e-9), pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))


def test_pool_options_are_checked():
    with pytest.raises(ValueError, match="method"):
        pool_studies([0.1, 0.2], [0.01, 0.02], studies=["a", "b"], measure="MD", method="ML")
    with pytest.raises(ValueError, match="at least two studies"):
        pool_studies([0.1], [0.01], studies=["a"], measure="MD")


# ----------------------------------------------------------------------------------------------
# rows: effect sizes, scales, timepoints


def test_arm_data_give_escalcs_mean_difference():
    row = pd.Series({"measure": "MD", "mean_t": 30.0, "sd_t": 10.0, "n_t": 50.0, "mean_c": 40.0,
                     "sd_c": 12.0, "n_c": 50.0, "estimate": None, "ci_low": None, "ci_high": None})
    yi, vi, how = row_effect(row)
    # metafor escalc("MD"): yi = m1 - m2, vi = sd1^2/n1 + sd2^2/n2
    assert yi == pytest.approx(-10) and vi == pytest.approx(100 / 50 + 144 / 50)
    assert how == "arm data"
    none = row_effect(pd.Series({"measure": "GENERIC_MD", "estimate": -1.0, "ci_low": None,
                                 "ci_high": None}))
    assert math.isnan(none[0]) and none[2] == "no arm data or CI"


def test_ratio_from_ci_is_on_the_log_scale():
    yi, vi, _ = row_effect(pd.Series({"measure": "GENERIC_RR", "estimate": 1.3, "ci_low": 1.13,
                                      "ci_high": 1.5}))
    assert yi == pytest.approx(math.log(1.3))
    assert vi == pytest.approx(((math.log(1.5) - math.log(1.13)) / (2 * Z)) ** 2)


def test_timepoints_and_scales():
    assert timepoint_weeks("weeks_9_to_12") == (12.0, False)
    assert timepoint_weeks("3_months")[0] == pytest.approx(13.0)
    assert timepoint_weeks("1_week_post_treatment") == (1.0, True)
    assert timepoint_weeks("not_stated") == (None, False)
    row = {"measure": "GENERIC_MD", "outcome": "pain_intensity", "estimate": -6.3,
           "source": 'RESULTS: "in favor of acupuncture (6.3 mm [95% CI, 1.4 to 11.3 mm])" '
                     '[VAS, adjusted]'}
    assert row_scale(row, {"pain_intensity": ("pain", True)}) == "pain (mm)"
    assert row_scale({**row, "measure": "GENERIC_RR"}) == "log risk ratio"


def test_measure_families():
    assert [measure_family(m) for m in ("GENERIC_MD", "MD", "SMD", "GENERIC_RR", "GENERIC_OR")] == [
        "MD", "MD", "SMD", "RR", "OR"]
    assert measure_family("WMD") == "WMD"  # outside the table's measures: as it is

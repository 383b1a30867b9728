"""evidence._dist gives scipy.stats' numbers without importing scipy.stats (issue 17, item 6).

The reference is scipy.stats itself: the same tails, bit for bit, over a grid of the arguments
the pooling code passes (finite statistics, 0 < q < 1, df > 0).
"""

import numpy as np
import pytest
from scipy import stats

from evidence import _dist

X = np.concatenate([np.linspace(-40, 40, 161), [0.0, 1e-12, -1e-12, 1.959963984540054]])
Q = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 101), [0.025, 0.05, 0.1, 1e-300]])
DF = [0.5, 1, 2, 3, 7.5, 30, 1e6]


def test_normal_tails_equal_scipy_stats():
    assert all(_dist.norm.sf(x) == stats.norm.sf(x) for x in X)
    assert all(_dist.norm.isf(q) == stats.norm.isf(q) for q in Q)
    assert np.array_equal(_dist.norm.sf(X), stats.norm.sf(X))


@pytest.mark.parametrize("df", DF)
def test_t_and_chi2_tails_equal_scipy_stats(df):
    assert all(_dist.t.sf(x, df) == stats.t.sf(x, df) for x in X)
    assert all(_dist.t.isf(q, df) == stats.t.isf(q, df) for q in Q)
    assert all(_dist.chi2.sf(x, df) == stats.chi2.sf(x, df) for x in X if x > 0)


def test_median_abs_deviation_equals_scipy_stats():
    y = np.random.default_rng(7).normal(size=57)
    assert _dist.median_abs_deviation(y) == pytest.approx(stats.median_abs_deviation(y, scale="normal"), rel=1e-15)
    with pytest.raises(ValueError):
        _dist.median_abs_deviation(y, scale="raw")

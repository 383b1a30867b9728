"""evidence.meta at large k: memory linear in the number of studies (issue 10, item 5).

The old code built ``P = diag(w) - W X (X'WX)^-1 X'W`` as a k x k matrix: 74.5 GiB
asked for at k = 100,000, 3.3 GB and 42 s for REML at k = 10,000. These tests count
the bytes numpy allocates (tracemalloc sees numpy's buffers), not seconds; the
timings are in ``benchmarks/meta.py`` (``make bench``).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose

from evidence import meta

K = 4_000
# a generous linear budget: 60 vectors of k floats (a k x k matrix would be 4,000 of them)
BUDGET = 60 * K * 8


def _studies(k, seed=7):
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.5, k)
    yi = rng.normal(0.2, np.sqrt(vi + 0.05))
    return yi, vi


def _peak_bytes(func, *args, **kwargs):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        func(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("method", ["FE", "DL", "REML", "PM"])
def test_pooling_allocates_memory_linear_in_k(method):
    yi, vi = _studies(K)
    peak = _peak_bytes(meta.combine_effects, yi, vi, method=method)
    assert peak < BUDGET, f"{method}: {peak / 1e6:.1f} MB allocated for k = {K}"


def test_meta_regression_allocates_memory_linear_in_k():
    yi, vi = _studies(K)
    result = meta.combine_effects(yi, vi, method="REML")
    peak = _peak_bytes(meta.egger_test, result)
    assert peak < BUDGET, f"egger_test: {peak / 1e6:.1f} MB allocated for k = {K}"


def test_vector_forms_equal_the_matrix_forms():
    # P = W - W X (X'WX)^-1 X'W built densely (small k), against the vector forms
    rng = np.random.default_rng(3)
    k = 40
    X = np.column_stack([np.ones(k), rng.normal(size=k), rng.uniform(size=k)])
    y = rng.normal(size=k)
    w = rng.uniform(0.5, 30, size=k)
    W = np.diag(w)
    P = W - W @ X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
    fit = meta._wls(y, w, X)
    assert_allclose(fit.quad(), y @ P @ y, rtol=1e-12)
    assert_allclose(fit.py(), P @ y, rtol=1e-10, atol=1e-12)
    assert_allclose(fit.trace(), np.trace(P), rtol=1e-12)
    assert_allclose(fit.diag(), np.diag(P), rtol=1e-10)
    assert_allclose(fit.trace_pp(), np.sum(P * P), rtol=1e-10)


def test_large_k_pools_and_finds_the_true_tau2():
    # 100,000 simulated studies with true tau2 = 0.05 and mean 0.2: every estimator is close
    yi, vi = _studies(100_000)
    for method in ("DL", "REML", "PM"):
        res = meta.combine_effects(yi, vi, method=method)
        assert abs(res.tau2 - 0.05) < 0.005, (method, res.tau2)
        assert abs(res.yi - 0.2) < 0.01, (method, res.yi)

"""Figure content of evidence.plots, asserted through the data drawn (not pixels)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evidence import meta, plots  # noqa: E402


def _data(name):
    path = Path(__file__).with_name("results_metafor.py")
    spec = importlib.util.spec_from_file_location("results_metafor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATA[name]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    found += [a for a in ax.lines if a.get_gid() == gid and a not in found]
    return found


def test_forest_plot_random_effects():
    data = _data("bcg")
    res = meta.meta_analysis(data, measure="RR", method="REML")
    fig, ax = plt.subplots()
    out = plots.forest_plot(res, ax=ax)
    assert out is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == data["study"] + ["pooled (REML)", "95% prediction interval"]
    (studies,) = _by_gid(ax, "studies")
    offsets = studies.get_offsets()
    assert len(offsets) == res.k == 13
    assert_allclose(offsets[:, 0], np.exp(res.study_yi))
    sizes = studies.get_sizes()
    assert np.argmax(sizes) == np.argmax(res.weights)
    (diamond,) = _by_gid(ax, "pooled")
    xy = diamond.get_xy()
    assert_allclose(xy[:4, 0], [res.ci_low, res.estimate, res.ci_high, res.estimate])
    assert_allclose(xy[:4, 1], [0.0, 0.3, 0.0, -0.3])
    (pi,) = _by_gid(ax, "prediction_interval")
    assert_allclose(pi.get_xdata(), [res.pi_low, res.pi_high])
    assert_allclose(pi.get_ydata(), [-1.0, -1.0])  # its own labelled row under the diamond
    assert ax.get_xscale() == "log"
    (null,) = _by_gid(ax, "no_effect")
    assert_allclose(null.get_xdata(), [1.0, 1.0])


def _texts(ax, gid):
    return sorted(((t.get_position()[1], t.get_text()) for t in ax.texts if t.get_gid() == gid),
                  key=lambda p: -p[0])


def test_forest_plot_prints_estimate_ci_and_weight_columns():
    # metafor: forest(rma(yi, vi, data=dat.bcg RR, method="REML")) prints "estimate [CI]" and the
    # weights at the right; here the numbers come from the result, row by row
    data = _data("bcg")
    res = meta.meta_analysis(data, measure="RR", method="REML")
    ax = plots.forest_plot(res)
    rows = _texts(ax, "estimate_ci")
    assert [y for y, _ in rows] == list(range(res.k, 0, -1)) + [0.0, -1.0]
    first = f"{np.exp(res.study_yi[0]):.2f} [{np.exp(res.study_yi[0] - 1.959963984540054 * np.sqrt(res.study_vi[0])):.2f}"
    assert rows[0][1].startswith(first)
    assert rows[-2][1] == f"{res.estimate:.2f} [{res.ci_low:.2f}, {res.ci_high:.2f}]"
    assert rows[-1][1] == f"[{res.pi_low:.2f}, {res.pi_high:.2f}]"
    weights = _texts(ax, "weight")
    assert len(weights) == res.k + 1
    assert [w for _, w in weights[:-1]] == [f"{w:.1f}%" for w in res.weights]
    assert weights[-1][1] == "100.0%"
    headers = [t.get_text() for t in ax.texts if t.get_gid() == "column_header"]
    assert headers == ["risk ratio [95% CI]", "weight"]  # measures in words (issue 11)
    assert ax.get_xlabel() == "risk ratio (95% CI)"


def test_forest_plot_fixed_effect_from_frame_has_no_prediction_interval():
    data = _data("normand")
    res = meta.meta_analysis(data, measure="MD", method="FE")
    ax = plots.forest_plot(res.summary_frame())
    assert len([t for t in ax.get_yticklabels()]) == res.k + 1
    assert _by_gid(ax, "prediction_interval") == []
    (diamond,) = _by_gid(ax, "pooled")
    assert_allclose(diamond.get_xy()[1], [res.yi, 0.3])
    assert ax.get_xscale() == "linear"


def test_funnel_plot():
    data = _data("bcg")
    res = meta.meta_analysis(data, measure="OR", method="DL")
    ax = plots.funnel_plot(res)
    (studies,) = _by_gid(ax, "studies")
    assert_allclose(studies.get_offsets(), np.column_stack([res.study_yi, np.sqrt(res.study_vi)]))
    (centre,) = _by_gid(ax, "pooled")
    assert_allclose(centre.get_xdata(), [res.yi, res.yi])
    low, high = ax.get_ylim()
    assert low > high == 0.0  # inverted: precise studies on top
    assert math.isclose(low, 1.05 * np.sqrt(res.study_vi).max())


def test_plot_module_imports_no_matplotlib_at_import_time():
    import subprocess
    import sys

    code = ("import sys, evidence.plots, evidence.meta, evidence.effects; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                              "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.stdout.strip() == "False"
    assert out.stderr == ""

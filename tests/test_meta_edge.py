"""evidence.meta on degenerate and extreme input (issue 10, items 4 and 6).

Every case ends in a result with finite numbers or in a DataError (an EvidenceError)
that says why; never a ZeroDivisionError, never a result with NaN or inf (which the
JSON output would print as null).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from evidence import meta
from evidence.errors import DataError, EvidenceError

from cli_runner import run_cli

# Made-up sets: every study double-zero, every study double-full, and a mix of both.
ZERO = {"events_t": [0, 0, 0], "n_t": [10, 20, 15], "events_c": [0, 0, 0], "n_c": [12, 18, 15]}
FULL = {"events_t": [10, 20, 15], "n_t": [10, 20, 15], "events_c": [12, 18, 15],
        "n_c": [12, 18, 15]}
MIXED = {"events_t": [0, 20, 15], "n_t": [10, 20, 15], "events_c": [0, 18, 15],
         "n_c": [12, 18, 15]}

# What metafor 3.8-1 (R 4.2.2) returns for these, computed with
#   rma.mh(measure=M, ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=d, drop00=FALSE)
# zero, RR and OR / full, OR: beta, se, zval, pval, ci.lb, ci.ub, QE, I2 all NA (no warning)
# zero, RD / full, RD / full, RR: beta = 0, se = 0, zval = NaN, pval = NaN,
#   ci.lb = ci.ub = 0 (a zero-width interval), QE = 0.00976..., I2 = 0
# We refuse both kinds with a DataError that says why (the second would read as certainty).


@pytest.mark.parametrize("data, measure, reason", [
    (ZERO, "RD", "no events in both arms or events in every participant"),
    (FULL, "RD", "no events in both arms or events in every participant"),
    (MIXED, "RD", "no events in both arms or events in every participant"),
    (FULL, "RR", "no events in both arms or events in every participant"),
    (MIXED, "RR", "no events in both arms or events in every participant"),
    (ZERO, "RR", "risk ratio is undefined"),
    (ZERO, "OR", "odds ratio is undefined"),
    (FULL, "OR", "odds ratio is undefined"),
])
def test_mantel_haenszel_without_contrast_is_a_clear_data_error(data, measure, reason):
    with pytest.raises(DataError, match=reason):
        meta.meta_analysis(data, measure=measure, method="MH")


@pytest.mark.parametrize("data", [ZERO, FULL, MIXED])
@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
@pytest.mark.parametrize("method", ["FE", "DL", "REML", "PM"])
def test_inverse_variance_methods_pool_double_zero_and_double_full_studies(data, measure, method):
    # escalc's 1/2 correction makes every study usable (drop00=FALSE): finite results
    out = meta.meta_analysis(data, measure=measure, method=method).to_dict()
    assert all(v is not None for k, v in out.items() if k not in ("pi_low", "pi_high"))


def test_mantel_haenszel_with_one_informative_study_still_pools():
    data = {key: list(values) for key, values in ZERO.items()}
    data["events_t"][0], data["events_c"][0] = 3, 1
    res = meta.meta_analysis(data, measure="RD", method="MH")
    assert math.isfinite(res.se) and res.se > 0


def test_mh_degenerate_from_the_command_line_is_one_line_exit_2(tmp_path):
    # kept as a real process: `evidence meta`'s end-to-end test (a separate process's exit code and
    # stderr); the other meta command lines run in the test process (tests/cli_runner.py)
    path = tmp_path / "zero.csv"
    path.write_text("study,events_t,n_t,events_c,n_c\nA,0,10,0,12\nB,0,20,0,18\n")
    proc = subprocess.run([sys.executable, "-m", "evidence", "meta", "--input", str(path),
                           "--measure", "RD", "--method", "MH"], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "risk difference has no confidence interval" in proc.stderr


# ----------------------------------------------------------------------------------------------
# extreme finite input (item 6): a clear NonFiniteError, exit 2 with one line, never null


EXTREME = [
    ("a,0.1,1e-320\nb,0.2,0.1", "none", "overflows in double precision"),  # 1/vi overflows
    ("a,0.1,1e-320\nb,0.2,1e-320", "none", "overflows in double precision"),
    ("a,1e308,0.1\nb,-1e308,0.1", "none", "double precision"),
    ("a,1e308,0.1\nb,1e308,0.1", "none", "double precision"),
    ("a,800,0.1\nb,801,0.1", "exp", "exp() of the pooled value overflows"),
    ("a,0.1,1e308\nb,0.2,1e308", "exp", "exp() of the pooled value overflows"),
    ("a,0.1,1e-20\nb,0.2,1", "none", "division by zero"),
]


def _columns(rows):
    cells = [row.split(",") for row in rows.split("\n")]
    return {"study": [c[0] for c in cells], "yi": [float(c[1]) for c in cells],
            "vi": [float(c[2]) for c in cells]}


@pytest.mark.parametrize("rows, transf, message", EXTREME)
@pytest.mark.parametrize("method", ["FE", "DL", "REML", "PM"])
def test_extreme_generic_input_is_a_non_finite_error(rows, transf, message, method):
    if method == "FE" and rows.startswith("a,0.1,1e-20"):
        pytest.skip("FE needs no tau2: 1e-20 against 1 pools fine")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way either
        with pytest.raises(meta.NonFiniteError, match=re.escape(message)):
            meta.meta_analysis(_columns(rows), measure="GENERIC", method=method, transf=transf)


@pytest.mark.parametrize("rows, transf, message", EXTREME)
def test_extreme_generic_input_exits_2_with_one_line(tmp_path, rows, transf, message):
    path = tmp_path / "extreme.csv"
    path.write_text(f"study,yi,vi\n{rows}\n")
    proc = run_cli("meta", "--input", str(path), "--measure", "GENERIC", "--method", "REML",
                   "--transf", transf)
    assert proc.returncode == 2, proc.stdout
    assert proc.stdout == ""  # in particular no {"estimate": null, ...}
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr  # no traceback, no RuntimeWarning
    assert message in lines[0]


@pytest.mark.parametrize("data, measure", [
    ({"mean_t": [1e308, 1], "sd_t": [1, 1], "n_t": [10, 10], "mean_c": [-1e308, 0],
      "sd_c": [1, 1], "n_c": [10, 10]}, "MD"),
    ({"mean_t": [1, 1], "sd_t": [1e-200, 1], "n_t": [10, 10], "mean_c": [0, 0],
      "sd_c": [1e-200, 1], "n_c": [10, 10]}, "SMD"),
])
def test_effect_size_overflow_names_the_study(data, measure):
    data = {"study": ["Huge", "Fine"], **data}
    with pytest.raises(meta.NonFiniteError, match="study 'Huge'"):
        meta.meta_analysis(data, measure=measure, method="DL")


def test_mantel_haenszel_overflow_is_a_non_finite_error():
    with pytest.raises(meta.NonFiniteError, match="double precision"):
        meta.mantel_haenszel([1e307, 5], [1e308, 10], [1, 2], [1e308, 10], measure="RR")


def test_non_finite_error_is_an_evidence_error():
    assert issubclass(meta.NonFiniteError, EvidenceError)
    assert issubclass(meta.NonFiniteError, DataError)


def test_ordinary_fits_are_unchanged_by_the_finiteness_guard():
    # vi spanning 8 orders of magnitude is still ordinary double-precision arithmetic
    yi = np.array([0.1, 0.5, -0.2, 0.3])
    vi = np.array([1e-4, 0.02, 0.5, 1e4])
    for method in ("FE", "DL", "REML", "PM"):
        out = meta.combine_effects(yi, vi, method=method, measure="GENERIC", transf="exp")
        nulls = [k for k, v in out.to_dict().items() if v is None]
        assert nulls == (["pi_low", "pi_high"] if method == "FE" else []), method
        json.dumps(out.to_dict(), allow_nan=False)

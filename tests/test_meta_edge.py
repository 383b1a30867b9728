"""evidence.meta on degenerate and extreme input (issue 10, items 4 and 6).

Every case ends in a result with finite numbers or in a DataError (an EvidenceError)
that says why; never a ZeroDivisionError, never a result with NaN or inf (which the
JSON output would print as null).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from evidence import meta
from evidence.errors import DataError, EvidenceError

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
    path = tmp_path / "zero.csv"
    path.write_text("study,events_t,n_t,events_c,n_c\nA,0,10,0,12\nB,0,20,0,18\n")
    proc = subprocess.run([sys.executable, "-m", "evidence", "meta", "--input", str(path),
                           "--measure", "RD", "--method", "MH"], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "risk difference has no confidence interval" in proc.stderr

"""`evidence meta` as the contract says: every key, exit 2 with row and reason on bad CSV."""

import json
import math

import pytest

from cli_runner import run_cli
from results_metafor import DATA, FITS

KEYS = {"k", "measure", "method", "hksj", "estimate", "ci_low", "ci_high", "yi", "se", "tau2", "i2",
        "h2", "q", "q_df", "q_p", "pi_low", "pi_high"}


def run(*args):
    # in this process (tests/cli_runner.py); the real process: test_meta_edge's MH test
    return run_cli("meta", *args)


@pytest.fixture
def bcg_csv(tmp_path):
    bcg = DATA["bcg"]  # metadat::dat.bcg, as stored with the metafor references
    path = tmp_path / "bcg.csv"
    path.write_text("study,events_t,n_t,events_c,n_c\n" + "".join(
        f"{s},{a},{b},{c},{d}\n" for s, a, b, c, d in
        zip(bcg["study"], bcg["events_t"], bcg["n_t"], bcg["events_c"], bcg["n_c"])))
    return path


@pytest.mark.parametrize("method, hksj", [("REML", False), ("DL", True), ("PM", False), ("FE", False)])
def test_meta_json_has_every_contract_key_and_matches_metafor(bcg_csv, method, hksj):
    args = ["--input", str(bcg_csv), "--measure", "RR", "--method", method] + (["--hksj"] if hksj else [])
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == KEYS
    # the R call is in the comment above FITS[...] in tests/results_metafor.py
    ref = FITS[("bcg", "RR", method, hksj)]
    assert out["yi"] == pytest.approx(ref["estimate"], rel=1e-6)
    assert out["se"] == pytest.approx(ref["se"], rel=1e-6)
    assert out["tau2"] == pytest.approx(ref["tau2"], rel=1e-6, abs=1e-9)
    assert out["i2"] == pytest.approx(ref["I2"], rel=1e-6, abs=1e-9)
    assert out["q"] == pytest.approx(ref["QE"], rel=1e-6)
    assert out["estimate"] == pytest.approx(math.exp(ref["estimate"]), rel=1e-6)
    assert out["ci_low"] == pytest.approx(math.exp(ref["ci_lb"]), rel=1e-6)
    assert out["ci_high"] == pytest.approx(math.exp(ref["ci_ub"]), rel=1e-6)
    if method == "FE":
        assert out["pi_low"] is None
    else:
        assert out["pi_low"] == pytest.approx(math.exp(ref["pi_lb"]), rel=1e-6)


def test_mh_has_null_prediction_interval(bcg_csv):
    out = json.loads(run("--input", str(bcg_csv), "--measure", "OR", "--method", "MH").stdout)
    assert out["pi_low"] is None and out["pi_high"] is None and out["method"] == "MH"


@pytest.mark.parametrize("body, message", [
    ("study,events_t,n_t,events_c,n_c\nA,5,4,1,10\n", "row 2: events_t (5) is larger than n_t (4)"),
    ("study,events_t,n_t,events_c,n_c\nA,1,10,1,10\nB,x,10,1,10\n", "row 3"),
    ("study,yi\nA,0.1\n", "missing column"),
])
def test_bad_csv_exit_2_with_row_and_reason(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    measure = "GENERIC" if "yi" in body else "RR"
    proc = run("--input", str(path), "--measure", measure, "--method", "DL")
    assert proc.returncode == 2
    assert message in proc.stderr and str(path) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_options_exit_2(bcg_csv):
    assert run("--input", str(bcg_csv), "--measure", "HR", "--method", "DL").returncode == 2
    proc = run("--input", str(bcg_csv), "--measure", "MD", "--method", "MH")
    assert proc.returncode == 2 and "MH" in proc.stderr
    proc = run("--input", "nope.csv", "--measure", "RR", "--method", "DL")
    assert proc.returncode == 2 and "nope.csv: no such file" in proc.stderr


def test_a_folder_given_as_input_file_is_named_as_a_folder(tmp_path):
    # before: "no such file" for a folder that exists, which misleads the user
    proc = run("--input", str(tmp_path), "--measure", "RR", "--method", "DL")
    assert proc.returncode == 2 and "is a folder, not a CSV file" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = run_cli("cite-check", str(tmp_path))
    assert proc.returncode == 2 and "is a folder, not a reference list" in proc.stderr
    assert "Traceback" not in proc.stderr

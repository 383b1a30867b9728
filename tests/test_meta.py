"""Tests of evidence.effects and evidence.meta against R metafor 3.8-1.

The reference numbers are in ``tests/results_metafor.py``, made by
``tests/r/metafor_reference.R`` (each block carries the R call that produced it),
with every iterative estimator run to full convergence
(``control=list(threshold=1e-12, tol=1e-12, maxiter=10000)``). R is not needed
to run these tests.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evidence import effects, meta
from evidence.errors import DataError, EvidenceError


def _load_results():
    path = Path(__file__).with_name("results_metafor.py")
    spec = importlib.util.spec_from_file_location("results_metafor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


R = _load_results()
TOL = dict(rtol=1e-6, atol=1e-9)

FIT_KEYS = sorted(R.FITS, key=str)
L1O_KEYS = sorted(R.LEAVE1OUT, key=str)
REGTEST_KEYS = sorted(R.REGTEST, key=str)
ESCALC_KEYS = sorted(R.ESCALC, key=str)


def _fit(key):
    dataset, measure, method, knha = key
    return meta.meta_analysis(R.DATA[dataset], measure=measure, method=method, hksj=knha)


def _ids(keys):
    return ["-".join(str(part) for part in key).replace("True", "knha").replace("False", "z")
            for key in keys]


# ----------------------------------------------------------------------------------------------
# effect sizes: escalc


@pytest.mark.parametrize("key", ESCALC_KEYS, ids=_ids(ESCALC_KEYS))
def test_effect_sizes_match_escalc(key):
    dataset, measure = key
    yi, vi = effects.effect_sizes(R.DATA[dataset], measure=measure)
    assert_allclose(yi, R.ESCALC[key]["yi"], **TOL)
    assert_allclose(vi, R.ESCALC[key]["vi"], **TOL)


def test_named_effect_functions_match_escalc():
    d = R.DATA["zeros"]
    cols = (d["events_t"], d["n_t"], d["events_c"], d["n_c"])
    for func, measure in ((effects.log_risk_ratio, "RR"), (effects.log_odds_ratio, "OR"),
                          (effects.risk_difference, "RD")):
        yi, vi = func(*cols)
        assert_allclose(yi, R.ESCALC[("zeros", measure)]["yi"], **TOL)
        assert_allclose(vi, R.ESCALC[("zeros", measure)]["vi"], **TOL)
    n = R.DATA["normand"]
    cols = (n["mean_t"], n["sd_t"], n["n_t"], n["mean_c"], n["sd_c"], n["n_c"])
    yi, vi = effects.hedges_g(*cols)
    assert_allclose(yi, R.ESCALC[("normand", "SMD")]["yi"], **TOL)
    assert_allclose(vi, R.ESCALC[("normand", "SMD")]["vi"], **TOL)
    yi, vi = effects.mean_difference(*cols)
    assert_allclose(yi, R.ESCALC[("normand", "MD")]["yi"], **TOL)
    assert_allclose(vi, R.ESCALC[("normand", "MD")]["vi"], **TOL)


def test_zero_cells_get_one_half_and_double_zero_is_kept():
    # study D (0/25 vs 0/24): 1/2 in every cell, log RR = log((0.5/26) / (0.5/25))
    yi, vi = effects.log_risk_ratio([0], [25], [0], [24])
    assert_allclose(yi, [math.log((0.5 / 26) / (0.5 / 25))])
    assert_allclose(vi, [1 / 0.5 - 1 / 26 + 1 / 0.5 - 1 / 25])
    # a study without a zero cell is left alone
    yi, _ = effects.log_odds_ratio([12], [50], [20], [50])
    assert_allclose(yi, [math.log(12 * 30 / (38 * 20))])


def test_hedges_correction_is_the_exact_gamma_form():
    m = np.array([2.0, 10.0, 100.0])
    exact = np.array([math.gamma(x / 2) / (math.sqrt(x / 2) * math.gamma((x - 1) / 2)) for x in m])
    assert_allclose(effects.hedges_correction(m), exact, rtol=1e-13)
    assert_allclose(effects.hedges_correction(1000.0), 1 - 3 / (4 * 1000 - 1), rtol=1e-6)


def test_generic_passes_through():
    yi, vi = effects.generic([0.1, -0.2], [0.01, 0.02])
    assert_allclose(yi, [0.1, -0.2])
    assert_allclose(vi, [0.01, 0.02])


@pytest.mark.parametrize(
    "func, args, reason",
    [
        (effects.log_risk_ratio, ([12], [10], [1], [10]), "events_t (12) is larger than n_t (10)"),
        (effects.log_odds_ratio, ([1], [10], [-1], [10]), "events_c is negative"),
        (effects.risk_difference, ([0], [0], [1], [10]), "n_t must be > 0"),
        (effects.mean_difference, ([1], [0], [10], [2], [1], [10]), "sd_t must be > 0"),
        (effects.hedges_g, ([1], [1], [2], [2], [1], [1]), "n_t + n_c >= 4"),
        (effects.generic, ([0.1], [0.0]), "vi must be > 0"),
        (effects.generic, ([np.nan], [0.1]), "yi is not a finite number"),
    ],
)
def test_effect_functions_refuse_impossible_studies(func, args, reason):
    with pytest.raises(DataError, match="position 0") as info:
        func(*args)
    assert reason in str(info.value)


# ----------------------------------------------------------------------------------------------
# estimate with confidence interval -> (yi, vi)


def test_from_ci_matches_the_wald_back_calculation():
    d = R.DATA["hackshaw"]
    yi, vi = effects.from_ci(d["or"], d["or_lb"], d["or_ub"], scale="log")
    assert_allclose(yi, R.CONVERSIONS["hackshaw"]["yi"], **TOL)
    assert_allclose(vi, R.CONVERSIONS["hackshaw"]["vi"], **TOL)


def test_from_ci_identity_scale_uses_1_959964():
    yi, vi = effects.from_ci([2.0], [1.0], [3.0], scale="identity")
    assert_allclose(yi, [2.0])
    assert_allclose(np.sqrt(vi), [2.0 / (2 * 1.959963984540054)], rtol=1e-12)


@pytest.mark.parametrize(
    "est, lo, hi, scale, reason",
    [
        (2.0, 0.5, 1.5, "log", "does not contain the estimate"),
        (0.0, -1.0, 1.0, "log", "must be > 0"),
        (1.0, 1.5, 0.5, "log", "must be smaller than"),
        (1.0, 1.0, 1.0, "identity", "must be smaller than"),
        (np.inf, 1.0, 2.0, "identity", "not a finite number"),
    ],
)
def test_ci_validator(est, lo, hi, scale, reason):
    problems = effects.check_ci([1.2, est], [1.0, lo], [1.5, hi], scale=scale)
    assert [i for i, _ in problems] == [1]
    assert reason in problems[0][1]
    with pytest.raises(DataError, match="position 1"):
        effects.from_ci([1.2, est], [1.0, lo], [1.5, hi], scale=scale)


def test_from_ci_refuses_unknown_scale():
    with pytest.raises(ValueError, match="scale must be one of 'log', 'identity'"):
        effects.from_ci([1.0], [0.5], [2.0], scale="ratio")


# ----------------------------------------------------------------------------------------------
# pooled estimates: rma / rma.mh / predict


@pytest.mark.parametrize("key", FIT_KEYS, ids=_ids(FIT_KEYS))
def test_pooled_results_match_metafor(key):
    ref = R.FITS[key]
    res = _fit(key)
    assert res.k == ref["k"]
    assert_allclose(res.yi, ref["estimate"], **TOL)
    assert_allclose(res.se, ref["se"], **TOL)
    assert_allclose(res.stat, ref["zval"], **TOL)
    assert_allclose(res.pvalue, ref["pval"], **TOL)
    assert_allclose(res.ci, (ref["ci_lb"], ref["ci_ub"]), **TOL)
    assert_allclose(res.tau2, ref["tau2"], **TOL)
    assert_allclose(res.i2, ref["I2"], **TOL)
    assert_allclose(res.h2, ref["H2"], **TOL)
    assert_allclose(res.q, ref["QE"], **TOL)
    assert_allclose(res.q_p, ref["QEp"], **TOL)
    assert res.q_df == ref["k"] - 1
    assert_allclose(res.weights, ref["weights"], **TOL)
    if math.isnan(ref["ddf"]):
        assert res.df is None and res.stat_name == "z"
    else:
        assert res.df == ref["ddf"] and res.stat_name == "t"
    if "pi_lb" in ref:
        assert_allclose(res.pi, (ref["pi_lb"], ref["pi_ub"]), **TOL)
    else:
        assert res.pi is None


@pytest.mark.parametrize("key", FIT_KEYS, ids=_ids(FIT_KEYS))
def test_to_dict_has_exactly_the_contract_keys_on_the_natural_scale(key):
    ref = R.FITS[key]
    dataset, measure, method, knha = key
    out = _fit(key).to_dict()
    assert list(out) == list(meta.CONTRACT_KEYS)
    json.dumps(out, allow_nan=False)
    assert (out["k"], out["measure"], out["method"]) == (ref["k"], measure, method)
    assert out["hksj"] is knha
    back = np.exp if measure in ("RR", "OR") else (lambda x: x)
    assert_allclose(out["estimate"], back(ref["estimate"]), **TOL)
    assert_allclose([out["ci_low"], out["ci_high"]],
                    back(np.array([ref["ci_lb"], ref["ci_ub"]])), **TOL)
    assert_allclose([out["yi"], out["se"]], [ref["estimate"], ref["se"]], **TOL)
    assert_allclose([out["tau2"], out["i2"], out["h2"], out["q"], out["q_p"]],
                    [ref["tau2"], ref["I2"], ref["H2"], ref["QE"], ref["QEp"]], **TOL)
    assert out["q_df"] == ref["k"] - 1
    if method in ("FE", "MH"):
        assert out["pi_low"] is None and out["pi_high"] is None
    else:
        assert_allclose([out["pi_low"], out["pi_high"]],
                        back(np.array([ref["pi_lb"], ref["pi_ub"]])), **TOL)


def test_transf_exp_matches_predict_with_transf_exp():
    ref = R.TRANSF_EXP
    res = meta.meta_analysis(R.DATA["hackshaw"], measure="GENERIC", method="REML", transf="exp")
    out = res.to_dict()
    keys = ["estimate", "ci_low", "ci_high", "pi_low", "pi_high"]
    assert_allclose([out[key] for key in keys],
                    [ref["pred"], ref["ci_lb"], ref["ci_ub"], ref["pi_lb"], ref["pi_ub"]], **TOL)
    plain = meta.meta_analysis(R.DATA["hackshaw"], measure="GENERIC", method="REML").to_dict()
    assert_allclose(plain["estimate"], math.log(ref["pred"]), **TOL)


def test_combine_effects_equals_meta_analysis_on_escalc_values():
    yi, vi = (R.ESCALC[("bcg", "RR")][c] for c in ("yi", "vi"))
    res = meta.combine_effects(yi, vi, method="PM", hksj=True, measure="RR")
    assert_allclose(res.yi, R.FITS[("bcg", "RR", "PM", True)]["estimate"], **TOL)


def test_tau2_functions_match_metafor():
    yi, vi = (R.ESCALC[("bcg", "OR")][c] for c in ("yi", "vi"))
    for func, method in ((meta.tau2_dl, "DL"), (meta.tau2_reml, "REML"), (meta.tau2_pm, "PM")):
        assert_allclose(func(yi, vi), R.FITS[("bcg", "OR", method, False)]["tau2"], **TOL)


def test_summary_frame_is_labelled():
    res = _fit(("bcg", "RR", "REML", False))
    frame = res.summary_frame()
    assert list(frame.index[:-1]) == R.DATA["bcg"]["study"]
    assert frame.index[-1] == "pooled (REML)"
    assert list(frame["kind"]) == ["study"] * 13 + ["pooled"]
    assert_allclose(frame["yi"].iloc[:-1], R.ESCALC[("bcg", "RR")]["yi"], **TOL)
    pooled = R.FITS[("bcg", "RR", "REML", False)]["estimate"]
    assert_allclose(frame["estimate"].iloc[-1], math.exp(pooled), **TOL)
    assert_allclose(frame["weight"].iloc[:-1].sum(), 100.0)
    assert frame.attrs["log_scale"] is True
    homogeneity = res.test_homogeneity()
    assert homogeneity.df == 12 and homogeneity.q == res.q
    assert res.conf_int(natural=True) == (res.ci_low, res.ci_high)


def test_result_is_frozen():
    res = _fit(("bcg", "RR", "FE", False))
    with pytest.raises(AttributeError):
        res.yi = 0.0
    with pytest.raises(ValueError):
        res.study_yi[0] = 0.0


def test_single_study_follows_metafor_conventions():
    res = meta.meta_analysis({"study": ["only"], "yi": [0.3], "vi": [0.04]},
                             measure="GENERIC", method="REML")
    observed = (res.k, res.tau2, res.q, res.q_df, res.q_p, res.i2, res.h2)
    assert observed == (1, 0.0, 0.0, 0, 1.0, 0.0, 1.0)
    assert_allclose(res.ci, (0.3 - 1.959963984540054 * 0.2, 0.3 + 1.959963984540054 * 0.2))
    with pytest.raises(DataError, match="Hartung-Knapp"):
        meta.meta_analysis({"yi": [0.3], "vi": [0.04]}, measure="GENERIC", method="DL", hksj=True)


def test_mantel_haenszel_undefined_estimate_is_a_data_error():
    data = {"events_t": [0, 0], "n_t": [10, 12], "events_c": [3, 1], "n_c": [10, 11]}
    with pytest.raises(DataError, match="risk ratio is undefined"):
        meta.meta_analysis(data, measure="RR", method="MH")
    with pytest.raises(DataError, match="odds ratio is undefined"):
        meta.meta_analysis(data, measure="OR", method="MH")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-3, 3), st.floats(0.001, 2.0)), min_size=2, max_size=12
    )
)
def test_random_effects_properties(studies):
    yi = np.array([s[0] for s in studies])
    vi = np.array([s[1] for s in studies])
    for method in ("DL", "REML", "PM"):
        res = meta.combine_effects(yi, vi, method=method)
        assert res.tau2 >= 0
        assert yi.min() - 1e-9 <= res.yi <= yi.max() + 1e-9
        assert 0 <= res.i2 < 100
        assert res.pi.low <= res.ci.low + 1e-12 and res.ci.high <= res.pi.high + 1e-12
    pm = meta.combine_effects(yi, vi, method="PM")
    if pm.tau2 > 0:  # the Paule-Mandel root: generalised Q equals k - 1
        w = 1 / (vi + pm.tau2)
        mu = np.sum(w * yi) / w.sum()
        assert_allclose(np.sum(w * (yi - mu) ** 2), yi.size - 1, rtol=1e-8)


# ----------------------------------------------------------------------------------------------
# leave-one-out: leave1out


@pytest.mark.parametrize("key", L1O_KEYS, ids=_ids(L1O_KEYS))
def test_leave_one_out_matches_leave1out(key):
    ref = R.LEAVE1OUT[key]
    frame = meta.leave_one_out(_fit(key))
    assert list(frame.index) == R.DATA[key[0]]["study"]
    assert (frame["k"] == len(R.DATA[key[0]]["study"]) - 1).all()
    pairs = {"estimate": "yi", "se": "se", "stat": "stat", "pval": "pvalue", "ci_lb": "yi_ci_low",
             "ci_ub": "yi_ci_high", "Q": "q", "Qp": "q_p", "I2": "i2", "H2": "h2", "tau2": "tau2"}
    for r_name, name in pairs.items():
        if r_name in ref:
            assert_allclose(frame[name].to_numpy(), ref[r_name], **TOL, err_msg=name)


def test_leave_one_out_needs_two_studies():
    res = meta.meta_analysis({"yi": [0.3], "vi": [0.04]}, measure="GENERIC", method="FE")
    with pytest.raises(DataError, match="at least 2 studies"):
        meta.leave_one_out(res)


# ----------------------------------------------------------------------------------------------
# Egger's test: regtest


@pytest.mark.parametrize("key", REGTEST_KEYS, ids=_ids(REGTEST_KEYS))
def test_egger_matches_regtest(key):
    ref = R.REGTEST[key]
    egger = meta.egger_test(_fit(key))
    assert_allclose(egger.stat, ref["stat"], **TOL)
    assert_allclose(egger.pvalue, ref["pval"], **TOL)
    assert_allclose(egger.limit, ref["est"], **TOL)
    assert_allclose(egger.limit_ci, (ref["ci_lb"], ref["ci_ub"]), **TOL)
    assert_allclose([egger.slope, egger.slope_se, egger.tau2],
                    [ref["slope"], ref["slope_se"], ref["tau2"]], **TOL)
    if math.isnan(ref["ddf"]):
        assert egger.df is None
    else:
        assert egger.df == ref["ddf"]


@pytest.mark.parametrize("dataset, measure", [("normand", "SMD"), ("zeros", "OR")])
def test_egger_refuses_fewer_than_10_studies(dataset, measure):
    res = meta.meta_analysis(R.DATA[dataset], measure=measure, method="REML")
    with pytest.raises(ValueError, match=r"at least 10 studies \(k = \d\)"):
        meta.egger_test(res)


# ----------------------------------------------------------------------------------------------
# options


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(measure="HR", method="FE"),
         "measure must be one of 'RR', 'OR', 'RD', 'MD', 'SMD', 'GENERIC'; got 'HR'"),
        (dict(measure="RR", method="SJ"), "method must be one of 'FE', 'MH', 'DL', 'REML', 'PM'"),
        (dict(measure="RR", method="DL", transf="log"), "transf must be one of 'exp', 'none'"),
        (dict(measure="RR", method="DL", hksj="yes"), "hksj must be True or False"),
        (dict(measure="MD", method="MH"), "method 'MH' .* needs a binary measure"),
        (dict(measure="RR", method="MH", hksj=True),
         "hksj=True is not available with method 'MH'"),
        (dict(measure="RR", method="DL", transf="exp"),
         "transf 'exp' is only for measure 'GENERIC'"),
    ],
)
def test_bad_options_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        meta.meta_analysis(R.DATA["bcg"], **kwargs)
    assert not isinstance(info.value, EvidenceError)


def test_options_are_case_insensitive():
    res = meta.meta_analysis(R.DATA["bcg"], measure="rr", method="reml")
    assert (res.measure, res.method) == ("RR", "REML")


# ----------------------------------------------------------------------------------------------
# CSV input


def _write(path, header, rows):
    lines = [",".join(header)] + [",".join(str(x) for x in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BINARY_HEADER = ["study", "events_t", "n_t", "events_c", "n_c"]
CONT_HEADER = ["study", "mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c"]


def _normand_rows():
    d = R.DATA["normand"]
    return [list(row) for row in zip(*(d[c] for c in CONT_HEADER))]


def _bcg_rows():
    d = R.DATA["bcg"]
    return [[s.replace(",", ";"), a, b, c, e] for s, a, b, c, e in
            zip(d["study"], d["events_t"], d["n_t"], d["events_c"], d["n_c"])]


@pytest.mark.parametrize(
    "method, knha", [("FE", False), ("MH", False), ("DL", True), ("REML", False), ("PM", True)]
)
def test_meta_from_csv_matches_metafor(tmp_path, method, knha):
    path = _write(tmp_path / "bcg.csv", BINARY_HEADER, _bcg_rows())
    out = meta.meta_from_csv(path, measure="OR", method=method, hksj=knha)
    ref = R.FITS[("bcg", "OR", method, knha)]
    assert list(out) == list(meta.CONTRACT_KEYS)
    assert_allclose([out["yi"], out["se"], out["tau2"], out["q"]],
                    [ref["estimate"], ref["se"], ref["tau2"], ref["QE"]], **TOL)
    assert_allclose(out["ci_low"], math.exp(ref["ci_lb"]), **TOL)


def test_meta_from_csv_continuous_and_generic(tmp_path):
    rows = _normand_rows()
    path = _write(tmp_path / "n.csv", CONT_HEADER, rows)
    out = meta.meta_from_csv(path, measure="SMD", method="REML")
    assert_allclose(out["estimate"], R.FITS[("normand", "SMD", "REML", False)]["estimate"], **TOL)
    h = R.DATA["hackshaw"]
    path = _write(tmp_path / "h.csv", ["study", "yi", "vi"],
                  [(s, repr(y), repr(v)) for s, y, v in zip(h["study"], h["yi"], h["vi"])])
    out = meta.meta_from_csv(path, measure="GENERIC", method="REML", transf="exp")
    assert_allclose(out["estimate"], R.TRANSF_EXP["pred"], **TOL)


def test_read_meta_csv_counts_rows_like_a_spreadsheet(tmp_path):
    path = tmp_path / "gaps.csv"
    # every row has the header's cells (a ragged row is refused: evidence._csv, issue 15)
    text = "\ufeffstudy,yi,vi,note\nA,0.1,0.01,x\n\n,0.2,0.02,\nC,0.3,0.03,\n"
    path.write_text(text, encoding="utf-8")
    frame = meta.read_meta_csv(path, measure="GENERIC")
    assert list(frame.index) == [2, 4, 5]
    assert list(frame["study"]) == ["A", "row 4", "C"]
    assert list(frame.columns) == ["study", "yi", "vi"]


BAD_BINARY = [
    ("events_t", "abc", "events_t is not a number ('abc')"),
    ("n_c", "", "n_c is empty"),
    ("events_t", "999999", "events_t (999999) is larger than n_t"),
    ("events_c", "-1", "events_c is negative (-1)"),
    ("n_t", "0", "n_t must be > 0 (got 0)"),
    ("n_c", "-5", "n_c must be > 0 (got -5)"),
    ("events_c", "nan", "events_c is not a finite number"),
]


@pytest.mark.parametrize("column, value, reason", BAD_BINARY)
@pytest.mark.parametrize("bad_index", [0, 6])
def test_impossible_binary_row_names_the_row(tmp_path, column, value, reason, bad_index):
    rows = _bcg_rows()
    rows[bad_index][BINARY_HEADER.index(column)] = value
    path = _write(tmp_path / "bad.csv", BINARY_HEADER, rows)
    with pytest.raises(DataError) as info:
        meta.meta_from_csv(path, measure="RR", method="DL")
    message = str(info.value)
    assert f"row {bad_index + 2}:" in message
    assert reason in message
    assert "bad.csv" in message


@pytest.mark.parametrize(
    "column, value, reason",
    [("sd_t", "0", "sd_t must be > 0 (got 0)"), ("sd_c", "-2", "sd_c must be > 0"),
     ("n_t", "0", "n_t must be > 0"), ("mean_c", "x", "mean_c is not a number")],
)
def test_impossible_continuous_row_names_the_row(tmp_path, column, value, reason):
    rows = _normand_rows()
    rows[3][CONT_HEADER.index(column)] = value
    path = _write(tmp_path / "cont.csv", CONT_HEADER, rows)
    with pytest.raises(DataError, match=re.escape(f"row 5: {reason}")):
        meta.meta_from_csv(path, measure="MD", method="FE")


@pytest.mark.parametrize(
    "value, reason",
    [("0", "vi must be > 0 (got 0)"), ("-0.1", "vi must be > 0"),
     ("inf", "vi is not a finite number")],
)
def test_impossible_generic_row_names_the_row(tmp_path, value, reason):
    path = _write(tmp_path / "g.csv", ["study", "yi", "vi"], [("a", 0.1, 0.01), ("b", 0.2, value)])
    with pytest.raises(DataError, match=re.escape(f"row 3: {reason}")):
        meta.meta_from_csv(path, measure="GENERIC", method="REML")


def test_missing_column_is_a_data_error(tmp_path):
    path = _write(tmp_path / "m.csv", ["study", "events_t", "n_t", "events_c"], [("a", 1, 10, 2)])
    with pytest.raises(DataError, match="row 1: missing column.* n_c"):
        meta.meta_from_csv(path, measure="OR", method="FE")


def test_short_row_is_a_data_error(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("study,yi,vi\na,0.1,0.01\nb,0.2\n", encoding="utf-8")
    # a row with fewer cells than the header is refused as such, with its number (issue 15)
    with pytest.raises(DataError, match="row 3: 2 cells, the header has 3"):
        meta.meta_from_csv(path, measure="GENERIC", method="FE")
    path.write_text("study,yi,vi\na,0.1,0.01\nb,0.2,\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 3: vi is empty"):
        meta.meta_from_csv(path, measure="GENERIC", method="FE")


def test_no_studies_is_a_data_error(tmp_path):
    path = _write(tmp_path / "empty.csv", ["study", "yi", "vi"], [])
    with pytest.raises(DataError, match=r"k = 0"):
        meta.meta_from_csv(path, measure="GENERIC", method="FE")
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="the file is empty"):
        meta.meta_from_csv(nothing, measure="GENERIC", method="FE")
    with pytest.raises(DataError, match="k = 0"):
        meta.meta_analysis(pd.DataFrame({"yi": [], "vi": []}), measure="GENERIC", method="FE")


def test_unreadable_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        meta.meta_from_csv(tmp_path / "absent.csv", measure="GENERIC", method="FE")


def test_options_are_checked_before_the_file_is_read(tmp_path):
    with pytest.raises(ValueError, match="method 'MH'"):
        meta.meta_from_csv(tmp_path / "absent.csv", measure="SMD", method="MH")
    with pytest.raises(ValueError, match="transf 'exp' is only for measure 'GENERIC'"):
        meta.meta_from_csv(tmp_path / "absent.csv", measure="OR", method="FE", transf="exp")

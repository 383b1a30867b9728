"""Tests of the analysis plan (evidence.plan) and the plan-driven synthesis (evidence.synthesis,
evidence.grade with a plan): issue 14.

Numbers from outside the project: the inverse-variance formulas of the Cochrane Handbook
(version 6.4, section 10.3.1; DerSimonian-Laird tau2, section 10.10.4.1) computed by hand below,
and evidence.meta, which equals R metafor 3.8 (tests/test_meta.py, tests/results_metafor.py).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from conftest import DATA
from test_grade import MIDS, domain, effects, trial

from evidence import grade, review
from evidence.errors import DataError
from evidence.grade import summary_of_findings
from evidence.meta import combine_effects
from evidence.plan import parse_plan

PLAN_TEXT = (DATA / "analysis_plan.yaml").read_text(encoding="utf-8")
PLAN = parse_plan(PLAN_TEXT)
Z = 1.959963984540054


def se_of(lo, hi):
    return (hi - lo) / (2 * Z)


@pytest.fixture(scope="module")
def shipped():
    return review.load_sof()


def row_of(sof, comparison, condition, outcome, timepoint):
    rows = [r for r in sof.rows if (r.comparison, r.condition, r.outcome, r.timepoint)
            == (comparison, condition, outcome, timepoint) and not r.is_review]
    assert len(rows) == 1, rows
    return rows[0]


# -- the plan file -----------------------------------------------------------------------------


def test_shipped_plan_places_every_outcome_code_of_the_data():
    plan = review.load_plan()
    assert [d.code for d in plan.domains][:4] == ["pain_intensity", "disability",
                                                   "headache_frequency", "responders"]
    # Back and Neck Group windows (Furlan 2015) and Linde 2016's main window
    assert plan.window_of("neck_pain", 5).code == "short_term"
    assert plan.window_of("neck_pain", 0).code == "end_of_treatment"
    assert plan.window_of("neck_pain", 13).code == "short_term"
    assert plan.window_of("neck_pain", 26).code == "intermediate_3_to_12_months"
    assert plan.window_of("neck_pain", 52).code == "long_term_12_months_or_more"
    assert plan.window_of("tension_type_headache", 12).code == "months_3_to_4"
    assert plan.window_of("tension_type_headache", None).code == "months_3_to_4"
    assert "three to four months after randomisation" in plan.window_sources[
        "tension_type_headache"]
    assert "26208232" in plan.window_sources["neck_pain"]
    assert not plan.summary_frame().empty


@pytest.mark.parametrize("old, new, message", [
    ("outcomes: [pain_intensity, motion_related_pain, headache_intensity]",
     "outcomes: [pain_intensity, motion_related_pain, headache_intensity, headache_days]",
     "domain headache_frequency: outcome 'headache_days' is already in domain pain_intensity"),
    ("weeks: [0, 13], closed: right}", "weeks: [0, 14], closed: right}",
     "windows short_term and intermediate_3_to_12_months of neck_pain: overlap"),
    ("weeks: [0, 13], closed: right}", "weeks: [0, 13], closed: both}",
     "windows end_of_treatment and short_term of neck_pain: overlap"),
    ("weeks: [8, 17.4], closed: right}", "weeks: [8, -3], closed: right}",
     "window months_3_to_4 of tension_type_headache: high must be a number >= 0"),
    ("weeks: [8, 17.4], closed: right}", "weeks: [8, many], closed: right}",
     "window months_3_to_4 of tension_type_headache: high must be a number >= 0"),
    ("unstated: short_term", "unstated: next_year",
     "windows of neck_pain: unstated must name one of its windows"),
    ("pick_rule: [primary,", "pick_rule: [loudest, primary,",
     "pick_rule: unknown key 'loudest'"),
    ("kind: without_crossover}", "kind: without_luck}",
     "sensitivity without_crossover: kind must be one of"),
])
def test_bad_plan_entries_are_refused_in_one_line_naming_file_and_entry(old, new, message):
    assert old in PLAN_TEXT
    with pytest.raises(DataError) as err:
        parse_plan(PLAN_TEXT.replace(old, new, 1), path="analysis_plan.yaml")
    text = str(err.value)
    assert text.startswith("analysis_plan.yaml: ") and message in text and "\n" not in text


def test_an_outcome_code_the_plan_does_not_place_is_refused():
    with pytest.raises(DataError, match=r"analysis_plan.yaml: outcome neck_wobble: used in the "
                       r"extraction tables but in no domain"):
        parse_plan(PLAN_TEXT, path="analysis_plan.yaml", outcomes=["pain_intensity",
                                                                   "neck_wobble"])


def test_plan_that_is_not_yaml_or_not_a_mapping_is_refused():
    with pytest.raises(DataError, match="analysis_plan.yaml: .*not valid YAML"):
        parse_plan("domains: [unclosed", path="analysis_plan.yaml")
    with pytest.raises(DataError, match="analysis_plan.yaml: file: must be a mapping"):
        parse_plan("- a list", path="analysis_plan.yaml")


def test_cli_sof_refuses_a_bad_plan_in_one_line(tmp_path):
    # kept as a real process: `evidence sof`'s end-to-end test (a separate process's exit code and
    # stderr); the other sof command lines run in the test process (tests/cli_runner.py)
    for f in DATA.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "analysis_plan.yaml").write_text(
        PLAN_TEXT.replace("weeks: [0, 13], closed: right}", "weeks: [0, 14], closed: right}"))
    env = {"EVIDENCE_DATA": str(tmp_path), "EVIDENCE_SNAPSHOT": str(DATA / "pubmed"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "evidence", "sof"], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "analysis_plan.yaml" in done.stderr and "overlap" in done.stderr


# -- pooling within domains and windows --------------------------------------------------------


def test_neck_sham_pain_short_term_pools_vas_2006_with_white_2004(shipped):
    # Vas 2006 (motion-related pain VAS, 1 week after treatment), White 2004 (pain VAS, weeks
    # 1-5) and Cameron 2011 (pain at 3 months, cm, its CI derived from P = 0.05 by the data
    # corrections of issue 14) answer one question: pain intensity at short term, on 0-100.
    row = row_of(shipped, "acupuncture_vs_sham", "neck_pain", "pain_intensity", "short_term")
    assert row.table == "main" and row.k_studies == 3
    assert set(row.study_ids) == {"vas2006", "white2004", "cameron2011"}
    # study estimates as extracted (effects.csv): Vas -28.1 (-34.7 to -21.4), White -6.3
    # (-11.3 to -1.4), Cameron -0.9 cm (-1.80 to 0.00) = -9 mm (-18 to 0); REML as metafor
    # (evidence.meta equals it)
    yi = np.array([-28.1, -6.3, -9.0])
    vi = np.array([se_of(-34.7, -21.4), se_of(-11.3, -1.4), se_of(-18.0, 0.0)]) ** 2
    fit = combine_effects(yi, vi, method="REML")
    assert row.i2 == pytest.approx(fit.i2, rel=1e-9) and row.i2 > 75
    assert row.tau2 == pytest.approx(fit.tau2, rel=1e-9)
    assert row.pi_low == pytest.approx(fit.pi_low, rel=1e-9)
    assert row.pi_high == pytest.approx(fit.pi_high, rel=1e-9)
    # by hand: I2 of the random-effects model, tau2 / (tau2 + typical within-study variance)
    w = 1 / vi
    vt = (len(w) - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w ** 2))
    assert row.i2 == pytest.approx(100 * row.tau2 / (row.tau2 + vt), rel=1e-9)
    # I2 > 75% with k < 5: no diamond, heterogeneity kept
    assert row.estimate is None and row.source == "trials, not pooled"
    d = row.to_dict()
    assert d["i2"] is not None and d["tau2"] is not None and d["pi_low"] is not None


def test_dersimonian_laird_by_hand_matches_the_pooled_row():
    # Cochrane Handbook 10.10.4.1: tau2_DL = max(0, (Q - df) / (sum w - sum w^2 / sum w))
    rows = effects(trial("a2001", -28.1, -34.7, -21.4, 123), trial("b2002", -6.3, -11.3, -1.4, 135),
                   trial("c2003", -12.0, -20.0, -4.0, 200))
    row = summary_of_findings(rows, None, None, None, MIDS, method="DL", plan=PLAN).rows[0]
    yi = np.array([-28.1, -6.3, -12.0])
    vi = np.array([se_of(-34.7, -21.4), se_of(-11.3, -1.4), se_of(-20.0, -4.0)]) ** 2
    w = 1 / vi
    fe = np.sum(w * yi) / np.sum(w)
    q = float(np.sum(w * (yi - fe) ** 2))
    tau2 = max(0.0, (q - 2) / (np.sum(w) - np.sum(w ** 2) / np.sum(w)))
    assert row.tau2 == pytest.approx(tau2, rel=1e-9)
    assert row.i2 == pytest.approx(100 * (q - 2) / q, rel=1e-9)   # DL: I2 = (Q - df) / Q
    assert row.k_studies == 3


def test_tth_sham_headache_days_pools_melchart_2005_with_endres_2007(shipped):
    row = row_of(shipped, "acupuncture_vs_sham", "tension_type_headache", "headache_frequency",
                 "months_3_to_4")
    assert row.table == "main" and set(row.study_ids) == {"melchart2005", "endres2007"}
    # by hand, inverse variance (Cochrane Handbook 10.3.1): Melchart -0.6 (-2.6 to 1.5),
    # Endres -1.8 (-3.0 to -0.6), as extracted; Q < df so tau2 = 0 and RE = FE
    yi = np.array([-0.6, -1.8])
    w = 1 / np.array([se_of(-2.6, 1.5), se_of(-3.0, -0.6)]) ** 2
    fe = np.sum(w * yi) / np.sum(w)
    se = 1 / math.sqrt(np.sum(w))
    assert row.estimate == pytest.approx(fe, abs=1e-6)          # -1.49
    assert row.ci_low == pytest.approx(fe - Z * se, abs=1e-6)   # -2.53
    assert row.ci_high == pytest.approx(fe + Z * se, abs=1e-6)  # -0.46
    assert row.tau2 == pytest.approx(0.0, abs=1e-10) and row.i2 == pytest.approx(0.0, abs=1e-8)
    # Endres' timepoint is not stated: placed by the plan's written rule, said in a footnote,
    # and a sensitivity analysis leaves it out
    assert any("Endres 2007: timepoint not stated" in f for f in row.footnotes)
    sens = {s["analysis"]: s for s in row.sensitivity}
    alone = sens["without_unstated_timepoint"]
    assert alone["k_studies"] == 1 and alone["study_ids"] == ["melchart2005"]
    assert alone["estimate"] == pytest.approx(-0.6) and alone["certainty"] in grade.CERTAINTIES


def test_a_study_counts_once_and_the_pick_rule_takes_the_timepoint_nearest_the_centre():
    # Ho 2017-like: one study at 2 and at 6 weeks, both primary: short term (0, 13] has its
    # centre at 6.5 weeks, so the 6-week result is used and the other is footnoted
    rows = effects(trial("ho2017", -5.75, -9.48, -2.03, 154, timepoint="2_weeks"),
                   trial("ho2017", -8.65, -12.13, -5.16, 154, timepoint="6_weeks"))
    row = summary_of_findings(rows, None, None, None, MIDS, plan=PLAN).rows[0]
    assert row.k_studies == 1 and row.estimate == pytest.approx(-8.65)
    assert any("not used: same study" in f and "6 weeks" in f for f in row.footnotes)
    # the primary endpoint comes before the timepoint
    rows = effects(trial("x2001", -5.0, -9.0, -1.0, 154, timepoint="2_weeks"),
                   trial("x2001", -8.0, -12.0, -4.0, 154, timepoint="6_weeks",
                         endpoint="secondary"))
    row = summary_of_findings(rows, None, None, None, MIDS, plan=PLAN).rows[0]
    assert row.estimate == pytest.approx(-5.0)


def test_pain_in_cm_is_put_on_the_0_to_100_scale_and_pools_with_mm():
    rows = effects(trial("a2001", -10.0, -16.0, -4.0, 300),
                   trial("b2002", -0.8, -1.4, -0.2, 300,
                         source='RESULTS: "quote" [VAS 0-10 cm]'))
    row = summary_of_findings(rows, None, None, None, MIDS, plan=PLAN).rows[0]
    yi = np.array([-10.0, -8.0])
    vi = np.array([se_of(-16.0, -4.0), se_of(-14.0, -2.0)]) ** 2
    fit = combine_effects(yi, vi, method="REML")
    assert row.k_studies == 2 and row.estimate == pytest.approx(fit.estimate, rel=1e-9)
    assert "on a 0-100 scale" in row.absolute


def test_main_table_has_at_most_seven_outcomes_per_comparison_and_condition(shipped):
    main = [r for r in shipped.rows if r.table == "main"]
    assert main
    for key in {(r.comparison, r.condition) for r in main}:
        assert sum((r.comparison, r.condition) == key for r in main) <= grade.MAIN_OUTCOMES
    # surrogates, single sessions, results without numbers and reviews are further results
    for r in shipped.rows:
        if (r.timepoint == "immediate_post_session" or r.is_review
                or r.source == "reported without usable numbers"
                or r.outcome in PLAN.further):
            assert r.table == "further", r


def test_synthetic_plan_keeps_seven_and_sends_the_rest_to_further():
    rows = []
    for i in range(12):
        rows.append(trial(f"s{i:02d}", -10 - i, -20 - i, -i, 300,
                          timepoint=["end_of_treatment", "4_weeks", "26_weeks", "60_weeks"][i % 4],
                          outcome=["pain_intensity", "neck_pain_disability", "quality_of_life"]
                          [i % 3], source='RESULTS: "q" [NPQ, VAS 0-100 mm]'))
    sof = summary_of_findings(effects(*rows), None, None, None, MIDS, plan=PLAN)
    main = [r for r in sof.rows if r.table == "main"]
    assert len(main) == 7 and len(sof.rows) > 7
    text = grade.sof_text(sof, fmt="json")
    assert len(json.loads(text)) == 7
    assert len(json.loads(grade.sof_text(sof, fmt="json", all=True))) == len(sof.rows)


# -- GRADE rules -------------------------------------------------------------------------------


def test_a_ci_inside_plus_minus_mid_is_not_downgraded_for_imprecision():
    # a precise null (Fang 2024 shape on a 0-100 scale: -1.2 mm, -6.1 to 3.7, MID 10 mm):
    # GRADE guidance 34 (Zeng 2022)
    row = summary_of_findings(effects(trial("a2001", -1.2, -6.1, 3.7, 800)), None, None, None,
                              MIDS, plan=PLAN).rows[0]
    imp = domain(row, "imprecision")
    assert imp.levels == 0 and "within +/- the MID" in imp.reason
    # crossing one threshold: 1 level; both: 2 levels
    one = summary_of_findings(effects(trial("a2001", -8, -14, -2, 800)), None, None, None,
                              MIDS, plan=PLAN).rows[0]
    assert domain(one, "imprecision").levels == 1
    both = summary_of_findings(effects(trial("a2001", -1, -14, 12, 800)), None, None, None,
                               MIDS, plan=PLAN).rows[0]
    assert domain(both, "imprecision").levels == 2


def test_the_shipped_fang_2024_precise_null_is_not_downgraded_for_imprecision(shipped):
    fang = [r for r in shipped.rows if r.study_ids == ("fang2024",)
            and r.estimate == pytest.approx(-0.12)]
    assert fang and domain(fang[0], "imprecision").levels == 0


def test_no_row_loses_two_levels_for_one_missing_number(shipped):
    # an unknown participant count is said, never punished; so no row loses a level for it
    for r in shipped.rows:
        imp = domain(r, "imprecision")
        if r.participants is None and r.estimate is not None:
            # a level lost here comes from the CI crossing a threshold, never from the count
            assert imp.levels == 0 or "crosses" in imp.reason, (r.question, imp.reason)
            assert ("not downgraded for a missing number" in imp.reason
                    or imp.reason.startswith("as rated by the review")), (r.question, imp.reason)
            assert "fewer than the optimal information size" not in imp.reason
    row = summary_of_findings(effects(trial("a2001", -20, -25, -15)), None, None, None, MIDS,
                              plan=PLAN).rows[0]
    assert domain(row, "imprecision").levels == 0 and row.participants is None


def test_risk_of_bias_footnote_names_each_domain_with_its_own_judgement(shipped):
    row = row_of(shipped, "acupuncture_vs_sham", "neck_pain", "pain_intensity", "short_term")
    reason = domain(row, "risk_of_bias").reason
    assert "white2004: overall" in reason
    assert "randomisation process: some concerns" in reason
    assert "(randomisation process, deviations" not in reason


def test_a_mixed_comparator_lowers_certainty_once_in_indirectness_not_also_in_rob():
    frame = pd.DataFrame([{
        "study_id": "irn2002", "outcome": "*", "d1": "some_concerns", "d1_support": "x",
        "d2": "low", "d2_support": "x", "d3": "low", "d3_support": "x", "d4": "some_concerns",
        "d4_support": "x", "d5": "high", "d5_support": "x", "overall": "high",
        "overall_support": "x", "basis": "abstract"}])
    rows = effects(trial("irn2002", -11.2, -16.7, -5.7, 36, comparison="acupuncture_vs_mixed"))
    row = summary_of_findings(rows, None, frame, None, MIDS, plan=PLAN).rows[0]
    assert domain(row, "indirectness").levels == 1
    rob = domain(row, "risk_of_bias")
    assert rob.levels == 1 and "set aside here, rated under indirectness" in rob.reason


def test_sensitivity_entries_carry_the_keys_the_verdicts_read(shipped):
    keys = {"analysis", "k_studies", "estimate", "ci_low", "ci_high", "certainty"}
    entries = [s for r in shipped.rows for s in r.sensitivity]
    assert entries and all(keys <= set(s) for s in entries)
    assert {s["analysis"] for s in entries} >= {"without_high_risk",
                                                 "without_unstated_timepoint"}


def test_sham_type_subgroups_split_penetrating_from_non_penetrating():
    rows = effects(trial("melchart2005", -0.6, -2.6, 1.5, 270), trial("vas2006", -8, -14, -2, 123),
                   trial("endres2007", -1.8, -3.0, -0.6, 409))
    row = summary_of_findings(rows, None, None, None, MIDS, plan=PLAN).rows[0]
    sens = {s["analysis"]: s for s in row.sensitivity}
    assert sens["penetrating_sham"]["study_ids"] == ["melchart2005", "endres2007"]
    assert sens["non_penetrating_sham"]["study_ids"] == ["vas2006"]
    assert "waiting_list_only" not in sens   # a usual-care subgroup does not apply to sham


def test_cli_sof_all_adds_the_further_results_and_pooled_rows_carry_heterogeneity(tmp_path):
    env = {"EVIDENCE_DATA": str(DATA), "EVIDENCE_SNAPSHOT": str(DATA / "pubmed"),
           "PATH": "/usr/bin:/bin"}
    main = json.loads(run_cli("sof", env=env, check=True).stdout)
    full = json.loads(run_cli("sof", "--all", env=env, check=True).stdout)
    assert 0 < len(main) < len(full) and all(r["table"] == "main" for r in main)
    pooled = [r for r in main if r["k_studies"] and r["k_studies"] >= 2]
    assert pooled and all({"i2", "tau2", "pi_low", "pi_high", "study_ids", "pmids"} <= set(r)
                          for r in pooled)
    md = run_cli("sof", "--format", "md", "--all", env=env, check=True).stdout
    assert "acupuncture_vs_sham" not in md and "p = <" not in md
    # every footnote is cited by a row of its table (no orphan footnotes)
    for block in md.split("\n## ")[1:]:
        numbers = [int(line.split(".")[0]) for line in block.splitlines()
                   if line[:1].isdigit()]
        cited = {int(n) for line in block.splitlines() if line.startswith("|")
                 for part in line.split("\\[")[1:] for n in part.split("\\]")[0].split(", ")}
        assert set(numbers) == cited
    csv_text = run_cli("sof", "--format", "csv", env=env, check=True).stdout
    import io
    frame = pd.read_csv(io.StringIO(csv_text))
    for column in ("comparison", "condition", "outcome", "timepoint", "certainty"):
        assert not frame[column].astype(str).str.contains("_").any(), column


def test_different_instruments_with_arm_data_pool_as_smd_and_re_express():
    # two disability results on different instruments (NPQ, NDI), each with arm means and SDs:
    # Hedges' g by hand (exact correction c(m) = G(m/2) / (sqrt(m/2) G((m-1)/2)); Hedges 1981)
    arms = [(30.0, 12.0, 60, 36.0, 13.0, 60), (14.0, 6.0, 80, 16.5, 6.5, 80)]
    rows = effects(
        trial("a2001", None, None, None, 120, outcome="neck_pain_disability", measure="MD",
              mean_t=30.0, sd_t=12.0, n_t=60, mean_c=36.0, sd_c=13.0, n_c=60,
              source='RESULTS: "q" [NPQ, lower is better]'),
        trial("b2002", None, None, None, 160, outcome="neck_pain_disability", measure="MD",
              mean_t=14.0, sd_t=6.0, n_t=80, mean_c=16.5, sd_c=6.5, n_c=80,
              source='RESULTS: "q" [NDI, lower is better]'))
    row = summary_of_findings(rows, None, None, None, MIDS, plan=PLAN).rows[0]
    g, v = [], []
    for m1, s1, n1, m2, s2, n2 in arms:
        m = n1 + n2 - 2
        c = math.exp(math.lgamma(m / 2) - math.lgamma((m - 1) / 2)) / math.sqrt(m / 2)
        sp = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / m)
        g.append(c * (m1 - m2) / sp)
        v.append(1 / n1 + 1 / n2 + g[-1] ** 2 / (2 * (n1 + n2)))
    fit = combine_effects(np.array(g), np.array(v), method="REML")
    assert row.measure == "SMD" and row.k_studies == 2
    assert row.estimate == pytest.approx(fit.estimate, rel=1e-9)
    assert row.ci_low == pytest.approx(fit.ci_low, rel=1e-9)
    assert any("Hedges' g" in f for f in row.footnotes)
    # a plan domain with a typical SD re-expresses the SMD on that scale (Handbook 15.5.3.2)
    text = PLAN_TEXT.replace(
        "    scale: instrument\n    source: \"Furlan 2015, Spine 40(21):1660-73 (PMID 26208232): "
        "disability",
        "    scale: instrument\n    reexpress_sd: 10\n    reexpress_scale: the NPQ (0-100)\n"
        "    reexpress_source: made up for this test\n    source: \"Furlan 2015, Spine "
        "40(21):1660-73 (PMID 26208232): disability", 1)
    assert text != PLAN_TEXT
    row = summary_of_findings(rows, None, None, None, MIDS, plan=parse_plan(text)).rows[0]
    assert f"{abs(fit.estimate * 10):.1f} points lower" in row.absolute
    assert "on the NPQ (0-100)" in row.absolute and "re-expressed" in row.absolute

"""Tests of evidence.grade: GRADE certainty and the summary-of-findings rows (issue 9).

The extraction rows are built here (made-up trials unless a source is named), so each rule is
tested on its own; numbers from outside the project are R metafor's (tests/results_metafor.py).
"""

from __future__ import annotations

import ast
import json
import math
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from conftest import DATA, REPO

from evidence import grade
from evidence.extraction import COLUMNS, STUDY_COLUMNS
from evidence.grade import Downgrade, SofRow, SummaryOfFindings, summary_of_findings
from evidence.meta import combine_effects
from evidence.rob import COLUMNS as ROB_COLUMNS
from results_metafor import DATA as R_DATA
from results_metafor import FITS, REGTEST

MIDS = pd.DataFrame([
    {"outcome": "pain_intensity", "scale": "VAS 0-100", "match": "", "mid": 10.0, "unit": "mm",
     "text": "10 mm on a 0-100 scale", "source": "Ostelo 2008"},
    {"outcome": "headache_days", "scale": "days", "match": "", "mid": math.nan, "unit": "",
     "text": "no accepted MID in headache days", "source": "Bendtsen 2010"},
])


def effects(*rows) -> pd.DataFrame:
    """An extraction table as read_effects_table returns it."""
    base = {c: "" for c in COLUMNS + STUDY_COLUMNS}
    numeric = ("events_t", "n_t", "events_c", "n_c", "mean_t", "sd_t", "mean_c", "sd_c",
               "estimate", "ci_low", "ci_high", "n_randomised", "k_studies")
    out = []
    for r in rows:
        row = dict(base, comparison="acupuncture_vs_sham", condition="neck_pain",
                   outcome="pain_intensity", timepoint="4_weeks", measure="GENERIC_MD",
                   intervention="manual_acupuncture", endpoint="primary",
                   source='RESULTS: "quote" [VAS 0-100 mm]')
        row.update(r)
        row.setdefault("pmid", "1")
        out.append(row)
    frame = pd.DataFrame(out, columns=list(COLUMNS + STUDY_COLUMNS))
    for c in numeric:
        frame[c] = pd.to_numeric(frame[c].replace("", np.nan)).astype(float)
    frame.index = pd.Index(range(2, 2 + len(frame)), name="row")
    return frame


def trial(study_id, est, lo, hi, n=None, **kw):
    row = dict(study=study_id.title(), study_id=study_id, pmid=str(zlib.crc32(study_id.encode())),
               estimate=est, ci_low=lo, ci_high=hi, n_randomised=n, n_source="x" if n else "")
    row.update(kw)
    return row


def rob(*rows) -> pd.DataFrame:
    out = []
    for study_id, overall in rows:
        d = {c: "not reported in the abstract" for c in ROB_COLUMNS}
        d.update(study_id=study_id, outcome="*", basis="abstract", overall=overall,
                 d1=overall, d2="low", d3="low", d4="low", d5="low")
        out.append(d)
    frame = pd.DataFrame(out, columns=list(ROB_COLUMNS))
    frame["abstract_only"] = True
    return frame


def only(sof: SummaryOfFindings) -> SofRow:
    assert len(sof.rows) == 1, [r.question for r in sof.rows]
    return sof.rows[0]


def trial_row(sof: SummaryOfFindings) -> SofRow:
    """The one row from trials' numbers (a null result at another timepoint has its own row)."""
    rows = [r for r in sof.rows if r.source != "reported without usable numbers"]
    assert len(rows) == 1
    return rows[0]


def domain(row: SofRow, name: str) -> Downgrade:
    return next(d for d in row.downgrades if d.domain == name)


# -- the API the claims helper codes against --------------------------------------------------

def test_row_dict_has_the_contract_keys_and_downgrades_with_reasons():
    sof = summary_of_findings(effects(trial("a2001", -12, -20, -4, 300),
                                      trial("b2002", -14, -22, -6, 300)),
                              None, rob(("a2001", "low"), ("b2002", "low")), None, MIDS)
    d = only(sof).to_dict()
    for key in ("question", "comparison", "outcome", "timepoint", "k_studies", "participants",
                "measure", "estimate", "ci_low", "ci_high", "absolute", "mid", "certainty",
                "downgrades"):
        assert key in d
    assert [g["domain"] for g in d["downgrades"]] == list(grade.DOMAINS_GRADE)
    assert all(g["reason"] for g in d["downgrades"])
    json.dumps(sof.to_dict())  # JSON-ready
    assert d["question"] == "Acupuncture vs sham for neck pain"
    frame = sof.summary_frame()
    assert list(frame.columns) == list(grade.FRAME_COLUMNS)


def test_select_filters_by_condition_comparison_outcome_and_months():
    sof = summary_of_findings(effects(
        trial("a2001", -12, -20, -4, 100, timepoint="3_months"),
        trial("b2002", -12, -20, -4, 100, timepoint="12_months"),
        trial("c2003", -1, -2, -0.5, 100, comparison="acupuncture_vs_usual_care",
              outcome="headache_days", condition="tension_type_headache",
              timepoint="not_stated")), None, None, None, MIDS)
    assert len(sof.select(conditions=["neck_pain"])) == 2
    assert [r.timepoint for r in sof.select(timepoint_months=(2, 6))] == ["3_months"]
    assert sof.select(comparisons="acupuncture_vs_usual_care")[0].outcome == "headache_days"
    with pytest.raises(ValueError):
        sof.select(timepoint_months=(1,))


# -- studies, not reports; participants from the table only -----------------------------------

def test_two_reports_of_one_study_count_once():
    # Two rows of the same study (e.g. a main report and its secondary analysis): one study.
    sof = summary_of_findings(effects(trial("a2001", -12, -20, -4, 100, study="A 2001"),
                                      trial("a2001", -10, -18, -2, 100, study="A 2001 (IPD)")),
                              None, None, None, MIDS)
    row = only(sof)
    assert row.k_studies == 1 and row.participants == 100
    assert row.estimate == -12  # the study's own label before a qualified one
    assert row.source == "one trial"


def test_study_table_maps_reports_when_the_row_has_no_study_id():
    studies = pd.DataFrame({"study_id": ["vickers2004", "vickers2004"],
                            "pmid": ["15023828", "15023830"], "role": ["main", "economic"],
                            "note": ["", ""]})
    frame = effects(dict(study="Vickers 2004", pmid="15023828", estimate=-4.6, ci_low=-7,
                         ci_high=-2.2),
                    dict(study="Wonderling 2004", pmid="15023830", estimate=-4, ci_low=-7,
                         ci_high=-1))
    row = only(summary_of_findings(frame, studies, None, None, MIDS))
    assert row.k_studies == 1 and row.study_ids == ("vickers2004",)
    assert row.pmids == ("15023828",)  # the study's main report


def test_unknown_participants_stay_unknown_and_are_said():
    row = only(summary_of_findings(effects(trial("a2001", -12, -20, -4, 100),
                                           trial("b2002", -14, -22, -6, None)),
                                   None, None, None, MIDS))
    assert row.participants is None
    assert any("not reported in the abstract for b2002" in f for f in row.footnotes)
    assert "participants not reported" in domain(row, "imprecision").reason


def test_salter_2006_is_24_participants_from_the_extraction_table():
    # Salter 2006 (PMID 17156464): a pilot of 24 patients; the old regex read "230000".
    row = only(summary_of_findings(effects(trial("salter2006", -5, -15, 5, 24,
                                                 pmid="17156464")), None, None, None, MIDS))
    assert row.participants == 24


def test_shipped_tables_give_salter_2006_24_wherever_it_appears(shipped):
    # Wherever PMID 17156464 (Salter 2006, 24 patients) appears in the shipped extraction
    # table or in a SoF row, its participants are 24 (or unknown), never a regex's 230000.
    table = pd.read_csv(DATA / "effects.csv", dtype=str)
    salter = table[table["pmid"] == "17156464"]
    assert all(float(n) == 24 for n in salter["n_randomised"].dropna())
    for r in shipped.rows:
        if r.pmids == ("17156464",):
            assert r.participants in (None, 24)
    studies = pd.read_csv(DATA / "studies.csv", dtype=str)
    assert "17156464" in set(studies["pmid"])  # the record is in the snapshot's study table


def _counts_participants(pattern: str) -> bool:
    """A regex source that reads a number followed by patients/participants."""
    return "\\d" in pattern and bool(re.search(r"patients|participants|subjects", pattern))


def test_the_participant_pattern_check_catches_the_old_claims_regex():
    # The pattern claims._participants used before issue 9 (Salter 2006 read as 230000).
    old = (r"(?<!per )\b(\d{1,3}(?:[ ,\u2009\u00a0]\d{3})+|\d+)\s+(?:patients|participants|"
           r"subjects|people)\b")
    assert _counts_participants(old)
    assert not _counts_participants(r"\b(patients|participants) were (randomi[sz]ed)")


def test_no_module_reads_participant_numbers_from_abstract_text():
    # Participants come only from n_randomised (issue 9). claims.py is rewritten by the claims
    # helper (its _participants goes; checked in its own tests); miner_rules.py's pattern only
    # REJECTS "120 patients" as a confidence interval, it counts nothing; plain.py's patterns
    # translate the workbook's own generated sentences into Dutch ("412 participants, fewer than
    # the optimal information size ..."), never a record's text (plain() is not applied to quotes).
    allowed = {"claims.py", "miner_rules.py", "plain.py"}
    for path in sorted((REPO / "evidence").glob("*.py")):
        if path.name in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                assert "participants" not in node.name, f"{path.name}: {node.name}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not _counts_participants(node.value), f"{path.name}: {node.value!r}"


def test_no_participant_count_is_read_from_abstract_text_by_grade():
    # A source quote that mentions 230000 patients does not change participants (unknown here).
    row = only(summary_of_findings(effects(trial(
        "salter2006", -5, -15, 5, None, source='RESULTS: "230000 patients" [VAS 0-100 mm]')),
        None, None, None, MIDS))
    assert row.participants is None


# -- pooling rules ----------------------------------------------------------------------------

def test_two_trials_pool_with_reml_and_report_fixed_effect_and_hksj():
    rows = effects(trial("a2001", -12, -20, -4, 300), trial("b2002", -4, -9, 1, 300))
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    se = np.array([16, 10]) / (2 * 1.959963984540054)
    ref = combine_effects([-12, -4], se ** 2, method="REML")
    assert row.estimate == pytest.approx(ref.estimate)
    assert (row.ci_low, row.ci_high) == pytest.approx((ref.ci_low, ref.ci_high))
    assert row.source == "pooled from trials" and row.k_studies == 2
    assert any("Rests on two trials" in f and "Fixed effect" in f for f in row.footnotes)
    assert any("HKSJ interval" in f for f in row.footnotes)


def test_different_timepoints_are_different_rows_and_never_pool():
    rows = effects(trial("a2001", -12, -20, -4, 300, timepoint="4_weeks"),
                   trial("b2002", -4, -9, 1, 300, timepoint="6_months"))
    sof = summary_of_findings(rows, None, None, None, MIDS)
    assert [r.k_studies for r in sof.rows] == [1, 1]


def test_considerable_heterogeneity_with_few_studies_shows_no_estimate():
    # I2 > 75% with k < 5: the studies without a diamond.
    rows = effects(trial("a2001", -30, -35, -25, 300), trial("b2002", 2, -3, 7, 300))
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    assert row.estimate is None and row.ci_low is None
    assert row.source == "trials, not pooled"
    assert any("without a pooled estimate" in f for f in row.footnotes)
    inc = domain(row, "inconsistency")
    # considerable I2 with estimates on both sides of the null: very serious
    assert inc.levels == 2 and "I2 = 99%" in inc.reason and "both sides" in inc.reason
    # one concern lowers certainty once: the disagreement is inconsistency, not also imprecision
    assert domain(row, "imprecision").levels == 0
    assert "rated once, under inconsistency" in domain(row, "imprecision").reason


def test_mean_differences_in_mm_and_cm_do_not_pool():
    rows = effects(trial("a2001", -12, -20, -4, 300, source='R: "12 mm" [VAS, mm]'),
                   trial("b2002", -1.2, -2, -0.4, 300, source='R: "1.2 cm" [VAS, cm]'))
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    assert row.estimate is None


def test_review_rows_are_their_own_rows_never_pooled_with_trials():
    rows = effects(trial("a2001", -12, -20, -4, 300),
                   dict(study="Fang 2024 (SR)", study_id="fang2024", pmid="38856887",
                        estimate=-18.13, ci_low=-30.18, ci_high=-6.07, k_studies=5))
    sof = summary_of_findings(rows, None, None, None, MIDS)
    assert len(sof.rows) == 2
    review = next(r for r in sof.rows if r.is_review)
    assert review.source == "systematic review fang2024 as reported"
    assert review.k_studies == 5 and review.estimate == -18.13
    assert "not reported in the abstract" in domain(review, "risk_of_bias").reason
    trial_row = next(r for r in sof.rows if not r.is_review)
    assert trial_row.k_studies == 1 and trial_row.estimate == -12


def test_a_review_that_does_not_state_its_number_of_studies_has_k_unknown_not_zero():
    # Fang 2024's abstract gives pooled results without the number of trials behind each:
    # the row must say "not stated", never claim that zero studies stand behind an estimate.
    rows = effects(dict(study="Fang 2024 (SR)", study_id="fang2024", pmid="38856887",
                        estimate=-18.13, ci_low=-30.18, ci_high=-6.07))
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    assert row.k_studies is None and row.to_dict()["k_studies"] is None
    assert "Number of studies in this pooled result not stated in the abstract." in row.footnotes
    sof = summary_of_findings(rows, None, None, None, MIDS)
    text = grade.sof_text(sof, fmt="md")
    assert "| not stated (" in text and "| 0 (" not in text
    assert sof.summary_frame()["k_studies"].isna().all()


# -- the five domains -------------------------------------------------------------------------

def test_risk_of_bias_by_share_of_information():
    rows = effects(trial("a2001", -12, -20, -4, 300), trial("b2002", -14, -22, -6, 300))
    high = only(summary_of_findings(rows, None, rob(("a2001", "high"), ("b2002", "high")),
                                    None, MIDS))
    assert domain(high, "risk_of_bias").levels == 2
    assert "Judged from abstracts only" in domain(high, "risk_of_bias").reason
    low = only(summary_of_findings(rows, None, rob(("a2001", "low"), ("b2002", "low")),
                                   None, MIDS))
    assert domain(low, "risk_of_bias").levels == 0
    missing = only(summary_of_findings(rows, None, rob(("a2001", "low")), None, MIDS))
    # b2002 has no RoB row: not assessable, counted as some concerns (50% of the weight here)
    assert domain(missing, "risk_of_bias").levels == 1
    assert "no RoB 2 judgement for b2002: not assessable" in domain(missing, "risk_of_bias").reason


def test_inconsistency_is_not_significance_counting():
    # One significant and one non-significant trial with nearly the same estimate: I2 = 0,
    # both on the same side: not inconsistent (the old rule called this inconsistent).
    rows = effects(trial("a2001", -12, -20, -4, 300), trial("b2002", -11, -25, 3, 300))
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    assert domain(row, "inconsistency").levels == 0


def test_a_null_result_of_another_study_counts_for_inconsistency():
    nulls = pd.DataFrame([{"study_id": "endres2007", "pmid": "17955168",
                           "comparison": "acupuncture_vs_sham", "condition": "neck_pain",
                           "outcome": "pain_intensity", "timepoint": "6_months",
                           "direction": "no_difference", "p": "0.18", "endpoint": "primary",
                           "source": "RESULTS: \"...\""}])
    row = trial_row(summary_of_findings(effects(trial("a2001", -12, -20, -4, 300)), None, None,
                                   nulls, MIDS))
    inc = domain(row, "inconsistency")
    assert inc.levels == 1 and "endres2007 at 6 months" in inc.reason
    assert any("p = 0.18" in f for f in row.footnotes)
    # inconsistency is judged between studies only (GRADE guidelines 7; issue 14): the same
    # study's null result at another timepoint (Endres 2007: the primary responder endpoint
    # at 6 months, p = 0.18, beside its positive IHS responders) is a conflict inside one
    # trial and does not count; nor at the same timepoint
    own = trial_row(summary_of_findings(effects(trial("endres2007", -12, -20, -4, 300)), None,
                                   None, nulls, MIDS))
    assert domain(own, "inconsistency").levels == 0
    same_time = nulls.assign(timepoint="4_weeks")
    own = trial_row(summary_of_findings(effects(trial("endres2007", -12, -20, -4, 300)), None,
                                   None, same_time, MIDS))
    assert domain(own, "inconsistency").levels == 0


def test_a_question_answered_only_without_numbers_gets_a_row_without_estimate():
    nulls = pd.DataFrame([{"study_id": s, "pmid": p, "comparison": "acupuncture_vs_sham",
                           "condition": "tension_type_headache", "outcome": "headache_frequency",
                           "timepoint": "end_of_treatment", "direction": d, "p": "",
                           "endpoint": "not_stated", "source": 'RESULTS: "..."'}
                          for s, p, d in (("karst2001", "11531895", "no_difference"),
                                          ("x2001", "2", "favours_acupuncture"))])
    sof = summary_of_findings(effects(trial("a2001", -12, -20, -4, 300)), None, None, nulls,
                              MIDS)
    row = next(r for r in sof.rows if r.source == "reported without usable numbers")
    assert row.estimate is None and row.k_studies == 2 and row.participants is None
    assert domain(row, "imprecision").levels == 2
    assert domain(row, "inconsistency").levels == 1
    assert "karst2001 (PMID 11531895): no difference" in row.absolute


def test_indirectness_dry_needling_and_mixed_comparator():
    row = only(summary_of_findings(effects(trial("irnich2002", -11.2, -16.7, -5.7, 36,
                                                 intervention="dry_needling",
                                                 comparison="acupuncture_vs_mixed")),
                                   None, None, None, MIDS))
    ind = domain(row, "indirectness")
    assert ind.levels == 1 and "dry needling" in ind.reason and "comparator" in ind.reason
    direct = only(summary_of_findings(effects(trial("a2001", -12, -20, -4, 300)), None, None,
                                      None, MIDS))
    assert domain(direct, "indirectness").levels == 0


def test_imprecision_against_null_mid_and_information_size():
    # CI from 15 mm benefit to 12 mm harm: crosses the null and both MIDs: 2 levels.
    wide = only(summary_of_findings(effects(trial("a2001", -1.5, -15, 12, 1000)), None, None,
                                    None, MIDS))
    assert domain(wide, "imprecision").levels == 2
    # Whole CI beyond the 10 mm MID and 1000 participants: not imprecise.
    tight = only(summary_of_findings(effects(trial("a2001", -20, -25, -15, 1000)), None, None,
                                     None, MIDS))
    assert domain(tight, "imprecision").levels == 0
    # The same CI from 120 participants: optimal information size (~400) not met.
    small = only(summary_of_findings(effects(trial("a2001", -20, -25, -15, 120)), None, None,
                                     None, MIDS))
    imp = domain(small, "imprecision")
    assert imp.levels == 1 and "optimal information size" in imp.reason
    assert "10 mm" in small.mid and "Ostelo 2008" in small.mid


def test_publication_bias_egger_with_ten_or_more_studies_matches_metafor():
    # metadat::dat.bcg (13 trials), RR, REML; metafor regtest p = 0.4218 (results_metafor.py).
    bcg = R_DATA["bcg"]
    rows = effects(*[dict(study=s, study_id=f"s{i}", pmid=str(i + 1), measure="RR",
                          outcome="tb_cases", condition="other", events_t=a, n_t=b,
                          events_c=c, n_c=d, n_randomised=b + d, n_source="x",
                          source="")
                     for i, (s, a, b, c, d) in enumerate(zip(bcg["study"], bcg["events_t"],
                                                             bcg["n_t"], bcg["events_c"],
                                                             bcg["n_c"]))])
    row = only(summary_of_findings(rows, None, None, None, MIDS))
    assert row.k_studies == 13
    assert math.log(row.estimate) == pytest.approx(FITS[("bcg", "RR", "REML", False)]["estimate"],
                                                   rel=1e-6)
    pb = domain(row, "publication_bias")
    p = REGTEST[("bcg", "RR", "REML", False)]["pval"]
    assert f"p = {p:.3f}" in pb.reason and pb.levels == 0
    assert "per 100 (control risk" in row.absolute  # control-arm risk known from events


def test_publication_bias_not_assessable_below_ten_studies():
    rows = effects(trial("a2001", -12, -20, -4, 300), trial("b2002", -14, -22, -6, 300))
    pb = domain(only(summary_of_findings(rows, None, None, None, MIDS)), "publication_bias")
    assert pb.levels == 0 and "not assessable, k < 10" in pb.reason
    assert "small-study signal" in pb.reason


def test_certainty_floor_and_non_randomised_start():
    labels = pd.DataFrame({"pmid": ["77"], "design": ["non_randomised_trial"]})
    row = only(summary_of_findings(effects(trial("witt2006", -5, -15, 5, 24, pmid="77",
                                                 intervention="dry_needling",
                                                 condition="other")),
                                   None, rob(("witt2006", "high")), None, MIDS, labels=labels))
    assert row.certainty == "very_low"
    assert any("starts at low" in f for f in row.footnotes)
    rct = only(summary_of_findings(effects(trial("a2001", -20, -25, -15, 1000)), None,
                                   rob(("a2001", "low")), None, MIDS))
    assert rct.certainty == "high"


# -- absolute effects -------------------------------------------------------------------------

def test_absolute_effects_in_words():
    rd = only(summary_of_findings(effects(trial("endres2007", 0.12, 0.02, 0.21, 409,
                                                measure="RD", outcome="responder_50pct",
                                                condition="tension_type_headache")),
                                  None, None, None, MIDS))
    assert rd.absolute == "12 more responders per 100 (2 more to 21 more)"
    rr = only(summary_of_findings(effects(trial("kang2023", 1.3, 1.13, 1.5, 400,
                                                measure="GENERIC_RR", outcome="responder_rate")),
                                  None, None, None, MIDS))
    assert "control-arm risk not reported" in rr.absolute
    days = only(summary_of_findings(effects(trial("melchart2005", -1.5, -2.5, -0.5, 100,
                                                  outcome="headache_days")),
                                    None, None, None, MIDS))
    assert days.absolute == "1.5 fewer headache days (2.5 fewer to 0.5 fewer)"
    assert days.mid.startswith("no accepted MID in headache days")
    cm = only(summary_of_findings(effects(trial("a2001", -1.2, -2, -0.4, 100,
                                                source='R: "1.2 cm" [VAS, cm]')),
                                  None, None, None, MIDS))
    assert cm.absolute == "12 mm lower on a 0-100 scale (20 lower to 4 lower)"


# -- output -----------------------------------------------------------------------------------

def test_sof_text_formats():
    sof = summary_of_findings(effects(trial("a2001", -12, -20, -4, 300)), None, None, None, MIDS)
    rows = json.loads(grade.sof_text(sof, fmt="json"))
    assert rows[0]["downgrades"][0].keys() == {"domain", "levels", "reason"}
    csv_text = grade.sof_text(sof, fmt="csv")
    assert csv_text.splitlines()[0].startswith("question,comparison,condition,outcome")
    md = grade.sof_text(sof, fmt="md")
    assert "## Acupuncture vs sham for neck pain" in md and "| pain intensity |" in md
    with pytest.raises(ValueError):
        grade.sof_text(sof, fmt="xml")


def test_method_is_validated():
    with pytest.raises(ValueError, match="method"):
        summary_of_findings(effects(trial("a2001", -12, -20, -4, 300)), None, None, None, MIDS,
                            method="XX")


def test_shipped_mids_file_reads():
    from evidence._csv import read_csv_rows

    mids = grade.parse_mids(read_csv_rows(DATA / "mids.csv", expected=grade.MID_COLUMNS))
    pain = mids[mids["outcome"] == "pain_intensity"].iloc[0]
    assert pain["mid"] == 10 and "Ostelo" in pain["source"]
    npq = mids[(mids["outcome"] == "neck_pain_disability") & (mids["match"] == "npq")].iloc[0]
    assert math.isnan(npq["mid"]) and "no accepted MID" in npq["text"]


# -- the shipped review ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    from evidence.review import load_sof
    from evidence.settings import load_settings

    return load_sof(load_settings(environ={"EVIDENCE_DATA": str(DATA),
                                           "EVIDENCE_SNAPSHOT": str(DATA / "pubmed")}))


def test_shipped_sof_rules_hold(shipped):
    for r in shipped.rows:
        assert r.certainty in grade.CERTAINTIES
        assert all(d.reason for d in r.downgrades) and len(r.downgrades) == 5
        if r.is_review:  # never pooled with trials, not RoB-2 rated
            assert "as reported by the review" in domain(r, "risk_of_bias").reason
        else:
            assert len(set(r.study_ids)) == r.k_studies  # studies counted once
        if "17156464" in r.pmids:
            assert r.participants in (None, 24) or r.k_studies > 1
    # sham and usual care are rated apart
    assert {r.comparison for r in shipped.select(conditions="neck_pain")} >= {
        "acupuncture_vs_sham", "acupuncture_vs_usual_care"}
    # Irnich 2002's -11.2 mm is against dry needling and sham combined (issue 9)
    irnich = [r for r in shipped.rows if "irnich2002" in r.study_ids and r.estimate == -11.2]
    assert irnich and irnich[0].comparison == "acupuncture_vs_mixed"


def test_cli_sof_json_keys_and_exit_codes(tmp_path):
    env = {"EVIDENCE_DATA": str(DATA), "EVIDENCE_SNAPSHOT": str(DATA / "pubmed"),
           "PATH": "/usr/bin:/bin"}
    done = run_cli("sof", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    keys = {"question", "comparison", "outcome", "timepoint", "k_studies", "participants",
            "measure", "estimate", "ci_low", "ci_high", "absolute", "mid", "certainty",
            "downgrades"}
    assert rows and all(keys <= set(r) for r in rows)
    assert all({"domain", "reason"} <= set(d) for r in rows for d in r["downgrades"])
    out = tmp_path / "sof.md"
    done = run_cli("sof", "--format", "md", "--out", str(out), env=env)
    assert done.returncode == 0 and out.read_text().startswith("# Summary of findings")
    bad = dict(env, EVIDENCE_DATA=str(tmp_path))
    done = run_cli("sof", env=bad)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "effects.csv" in done.stderr


def test_summary_frame_kinds(shipped):
    every = shipped.summary_frame()
    parts = [shipped.summary_frame(kind=k) for k in ("trials", "narrative", "reviews")]
    assert sum(len(p) for p in parts) == len(every)
    assert parts[2]["source"].str.startswith("systematic review").all()
    assert (parts[1]["source"] == "reported without usable numbers").all()
    with pytest.raises(ValueError, match="kind"):
        shipped.summary_frame(kind="some")

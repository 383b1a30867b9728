"""Verdict rules on hand-made summary-of-findings rows, and the claims file itself."""

import dataclasses
import json

import pandas as pd
import pytest

from evidence.claims import (
    CERTAINTIES,
    DECIDERS,
    KINDS,
    VERDICTS,
    Claim,
    Decision,
    Part,
    Quote,
    assess_claims,
    load_claims,
    load_sessions,
    row_direction,
)
from evidence.errors import DataError
from evidence.grade import Downgrade, SofRow
from evidence.texts import CLAIM_RULES, CLAIM_TEXTS, claim_absolute, claim_text

from conftest import DATA

ARTICLE = DATA / "article" / "nekpijn-hoofdpijn.txt"
CONTRACT_IDS = ["tth_frequency", "neck_pain_function", "durable_effects", "early_relief", "course_6_8",
                "safety", "endorphins", "neuroplasticity", "balance_method"]


def claim(**kw):
    base = dict(id="c", quotes=(Quote("7", "x"),), claim_en="x", kind="efficacy", hedged=False, specific=None,
                designs=("systematic_review", "rct"), conditions=("neck_pain",), cues=(), indirect=(), query="q",
                sof_conditions=("neck_pain",), sof_comparisons=("acupuncture_vs_sham", "acupuncture_vs_usual_care"))
    base.update(kw)
    return Claim(**base)


def row(pmid="1", *, certainty="moderate", estimate=-15.0, ci=(-20.0, -11.0), measure="MD",
        outcome="pain_intensity", comparison="acupuncture_vs_sham", condition="neck_pain", timepoint="8_weeks",
        k=2, participants=300, absolute=None, study=None, mid="10 mm on a 0-100 scale"):
    """A SoF row; by default an important benefit (15 mm, CI 11 to 20 mm, against an MID of 10 mm)."""
    if absolute is None:
        absolute = "no difference" if estimate is None else (
            f"{abs(estimate):g} mm {'lower' if estimate < 0 else 'higher'} on a 0-100 scale "
            f"({abs(ci[0]):g} lower to {abs(ci[1]):g} {'lower' if ci[1] < 0 else 'higher'})")
    return SofRow(
        question="q", condition=condition, comparison=comparison, outcome=outcome, timepoint=timepoint,
        k_studies=k, participants=participants, measure=measure, estimate=estimate,
        ci_low=None if estimate is None else ci[0], ci_high=None if estimate is None else ci[1],
        absolute=absolute, mid=mid, certainty=certainty,
        downgrades=(Downgrade("risk_of_bias", 1, "abstract only"), Downgrade("imprecision", 0, "fine")),
        study_ids=(study or f"study{pmid}",), pmids=(pmid,), source="pooled from trials")


def records(*rows):
    """rows: (pmid, title, abstract, abstract_complete)"""
    return pd.DataFrame([{"pmid": p, "title": t, "abstract": a, "year": 2020, "first_author": f"Author{p} A",
                          "abstract_complete": c, "abstract_sections": []} for p, t, a, c in rows])


def studies(*rows):
    return pd.DataFrame([{"pmid": p, "design": d, "condition": c, "comparator": ""} for p, d, c in rows])


RCTS = records(("1", "RCT 1", "neck", True), ("2", "RCT 2", "neck", True), ("3", "RCT 3", "neck", True))
RCT_STUDIES = studies(("1", "rct", "neck_pain"), ("2", "rct", "neck_pain"), ("3", "rct", "neck_pain"))


def one(c, sof, rec=RCTS, stu=RCT_STUDIES, sessions=None):
    return assess_claims(rec, stu, sof, [c], sessions=sessions).verdicts[0]


# -- direction of a row -----------------------------------------------------------------------------
@pytest.mark.parametrize("measure, estimate, ci, outcome, expected", [
    ("MD", -8, (-12, -4), "pain_intensity", "benefit"),
    ("MD", -2, (-6, 2), "pain_intensity", "no_difference"),
    ("RR", 1.5, (1.2, 1.9), "responder_50pct", "benefit"),
    ("RR", 0.7, (0.5, 0.9), "responder_50pct", "harm"),
    # GENERIC_OR is a ratio measure: no effect is 1, not 0 (the old rule judged it against 0)
    ("GENERIC_OR", 1.3, (0.9, 1.8), "responder_50pct", "no_difference"),
    ("GENERIC_OR", 0.7, (0.5, 0.9), "headache_days", "benefit"),
    ("OR", 0.7, (0.5, 0.9), "headache_days", "benefit"),
    ("GENERIC_RR", 1.3, (0.9, 1.8), "responder_rate", "no_difference"),
])
def test_row_direction_uses_one_ratio_vocabulary(measure, estimate, ci, outcome, expected):
    assert row_direction(row(measure=measure, estimate=estimate, ci=ci, outcome=outcome)) == expected


def test_unpooled_row_has_no_direction():
    assert row_direction(row(estimate=None)) == "not_pooled"


def reported(pmid, said, **kw):
    return dataclasses.replace(row(pmid, estimate=None, certainty="very_low", participants=None, **kw),
                               source="reported without usable numbers", measure="none",
                               absolute=f"no numbers usable for an absolute effect; reported: {said}")


@pytest.mark.parametrize("said, expected", [
    ("white2000 (PMID 11128820): no difference", "no_difference"),
    ("birch1998 (PMID 9758075): favours acupuncture, p = <.05", "benefit"),
    ("cameron2011 (PMID 21494196): no difference; ho2017 (PMID 28715459): favours acupuncture", "mixed"),
    ("x2000 (PMID 1): favours control", "harm"),
])
def test_results_reported_without_numbers_take_the_reported_direction(said, expected):
    assert row_direction(reported("1", said)) == expected


def test_reported_only_rows_are_described_not_called_unpooled():
    r = reported("9758075", "birch1998 (PMID 9758075): favours acupuncture, p = <.05")
    v = one(claim(hedged=True), [r])
    assert "reported without usable numbers: birch1998 (favours acupuncture, p = <.05)" in v.summary_en
    assert "gerapporteerd zonder bruikbare getallen: birch1998 (in het voordeel van acupunctuur" in v.summary_nl
    assert (v.verdict, v.certainty) == ("overstated", "very_low")  # a benefit at very low certainty only


def test_generic_or_direction_decides_the_verdict():
    # OR 0.7 (0.5-0.9) on headache days favours acupuncture; judged against 0 it looked harmful
    c = claim(conditions=("tension_type_headache",), sof_conditions=("tension_type_headache",), hedged=True)
    v = one(c, [row(measure="GENERIC_OR", estimate=0.7, ci=(0.5, 0.9), outcome="headache_days",
                    condition="tension_type_headache")])
    assert v.verdict == "supported"


# -- efficacy --------------------------------------------------------------------------------------
@pytest.mark.parametrize("hedged, certainty, verdict", [
    (False, "high", "supported"), (False, "moderate", "supported"), (False, "low", "supported_with_caveats"),
    (True, "low", "supported"), (True, "very_low", "overstated"), (False, "very_low", "overstated"),
])
def test_efficacy_benefit_against_the_wording(hedged, certainty, verdict):
    v = one(claim(hedged=hedged), [row(certainty=certainty), row("2", certainty=certainty)])
    assert (v.verdict, v.certainty) == (verdict, certainty)


def test_efficacy_rests_on_the_best_evidence_not_on_counting():
    # two low-certainty "significant" rows do not outweigh one moderate null row
    rows = [row("1", certainty="moderate", estimate=-1, ci=(-4, 2)),
            row("2", certainty="low"), row("3", certainty="low")]
    v = one(claim(hedged=True), rows)
    assert (v.verdict, v.certainty) == ("not_supported", "moderate")
    assert v.pmids[0] == "1"  # the row it rests on is cited first


def test_efficacy_mixed_best_rows_have_caveats():
    rows = [row("1", certainty="moderate"), row("2", certainty="moderate", estimate=-1, ci=(-4, 2),
                                                  comparison="acupuncture_vs_usual_care")]
    v = one(claim(), rows)
    assert (v.verdict, v.certainty) == ("supported_with_caveats", "moderate")


def test_mixed_rows_at_very_low_certainty_are_overstated_not_better_than_all_benefit():
    rows = [row("1", certainty="very_low"), row("2", certainty="very_low", estimate=-1, ci=(-4, 2))]
    assert one(claim(hedged=True), rows).verdict == "overstated"


# -- magnitude: the MID, not "the CI excludes zero" (issue 14, items 4 and 7) ------------------------------
def test_an_effect_below_the_mid_overstates_an_unhedged_claim_and_needs_slightly_in_a_hedged_one():
    # 6 mm (1 to 11): a benefit, but below the 10 mm MID
    small = [row("1", estimate=-6.0, ci=(-11.0, -1.0)), row("2", estimate=-6.0, ci=(-11.0, -1.0))]
    unhedged = one(claim(), small)
    assert (unhedged.verdict, unhedged.certainty) == ("overstated", "moderate")
    assert "smaller than the minimal important difference" in unhedged.summary_en
    assert "kleiner dan het minimaal belangrijke verschil" in unhedged.summary_nl
    assert unhedged.suggestion_en.startswith("Acupuncture probably reduces pain intensity slightly compared with sham")
    assert unhedged.suggestion_nl.startswith("Acupunctuur vermindert waarschijnlijk enigszins de pijnintensiteit")
    hedged = one(claim(hedged=True), small)
    assert (hedged.verdict, hedged.certainty) == ("supported_with_caveats", "moderate")
    assert hedged.suggestion_en == hedged.suggestion_nl == ""  # only overstated and unsupported claims get one


def test_a_ci_inside_the_mid_is_little_or_no_difference_even_when_it_excludes_zero():
    # 3 mm (1 to 5) excludes no effect but lies wholly within ±10 mm: the old rule called it a benefit
    v = one(claim(hedged=True), [row(estimate=-3.0, ci=(-5.0, -1.0), certainty="high")])
    assert (v.verdict, v.certainty) == ("not_supported", "high")
    assert v.statement_en == ("Acupuncture results in little or no difference in pain intensity compared with sham "
                              "(neck pain, 8 weeks).")
    assert v.statement_nl.startswith("Acupunctuur geeft weinig of geen verschil in de pijnintensiteit")
    assert v.suggestion_en == v.statement_en


def test_an_imprecise_row_counts_by_its_point_estimate_at_its_certainty():
    # GRADE guidelines 26: the statement follows the point estimate; the width of the CI is in the
    # certainty. 15 mm (2 worse to 30 better) at low certainty: "may reduce", which a hedged claim says.
    wide = row(estimate=-15.0, ci=(-30.0, 2.0), certainty="low")
    v = one(claim(hedged=True), [wide])
    assert (v.verdict, v.certainty) == ("supported", "low")
    assert v.statement_en.startswith("Acupuncture may reduce pain intensity compared with sham")
    assert v.to_dict()["sof_rows"][0]["magnitude"] == "imprecise"
    # a point estimate below the MID with the same width: "may result in little or no difference"
    narrow_point = one(claim(hedged=True), [row(estimate=-4.0, ci=(-19.0, 11.0), certainty="low")])
    assert narrow_point.verdict == "not_supported"
    assert narrow_point.statement_en.startswith("Acupuncture may result in little or no difference")


# -- nulls weigh like positives (issue 14, items 4 and 6) ----------------------------------------------
def test_a_null_row_of_equal_certainty_changes_the_verdict():
    positive = row("1", certainty="moderate")
    alone = one(claim(), [positive])
    assert alone.verdict == "supported"
    null = row("2", certainty="moderate", estimate=-1.0, ci=(-6.0, 4.0))
    both = one(claim(), [positive, null])
    assert (both.verdict, both.certainty) == ("supported_with_caveats", "moderate")
    # both sides are reported
    assert "An important benefit" in both.summary_en and "Little or no difference" in both.summary_en
    assert "Acupuncture probably results in little or no difference" in both.statement_en
    assert "Acupuncture probably reduces pain intensity" in both.statement_en


def test_a_null_result_without_numbers_counts_beside_the_best_rows_of_its_question():
    # a null reported without numbers loses two levels for imprecision (no interval); it still counts
    positive = row("1", certainty="moderate", timepoint="6_weeks")
    null = reported("2", "white2004 (PMID 2): no difference", timepoint="12_weeks")
    assert null.certainty == "very_low"
    v = one(claim(), [positive, null])
    assert (v.verdict, v.certainty) == ("supported_with_caveats", "moderate")
    assert v.best_rows == (positive, null) and v.to_dict()["sof_rows"][1]["rests_on"] is True
    assert "Results reported without usable numbers count beside the best rows" in v.summary_en
    # a null of another question (another outcome) does not
    other = reported("3", "x2004 (PMID 3): no difference", outcome="neck_pain_disability")
    assert one(claim(), [positive, other]).verdict == "supported"


# -- sensitivity analyses (issue 14, build 3) ------------------------------------------------------------
def test_a_verdict_that_changes_under_a_sensitivity_analysis_says_so():
    base = row("1", certainty="moderate")
    r = dataclasses.replace(base, sensitivity=(
        {"analysis": "without_high_risk_of_bias", "k_studies": 1, "estimate": -4.0, "ci_low": -9.0, "ci_high": 1.0,
         "certainty": "low"},
        {"analysis": "without_crossover", "k_studies": 2, "estimate": -16.0, "ci_low": -21.0, "ci_high": -12.0,
         "certainty": "moderate"}))
    v = one(claim(), [r])
    assert v.verdict == "supported"
    assert [dict(x) for x in v.sensitivity] == [
        {"analysis": "without_high_risk_of_bias", "verdict": "not_supported", "certainty": "low", "changes": True},
        {"analysis": "without_crossover", "verdict": "supported", "certainty": "moderate", "changes": False}]
    assert ("Under the sensitivity analysis without trials at high risk of bias the verdict would be 'not supported' "
            "(low certainty).") in v.summary_en
    assert "zonder trials met een hoog risico op vertekening zou het oordeel 'niet onderbouwd' zijn" in v.summary_nl
    assert "without crossover" not in v.summary_en  # unchanged: listed in JSON, not in the summary
    assert v.to_dict()["sensitivity"][1]["changes"] is False


def test_a_sensitivity_analysis_that_leaves_no_study_drops_the_row():
    base = row("1", certainty="moderate")
    gone = dataclasses.replace(base, sensitivity=(
        {"analysis": "without_crossover", "k_studies": 0, "estimate": None, "ci_low": None, "ci_high": None,
         "certainty": None},))
    v = one(claim(), [gone, row("2", certainty="low", estimate=-2.0, ci=(-5.0, 1.0))])
    assert v.verdict == "supported"
    assert [dict(x) for x in v.sensitivity] == [
        {"analysis": "without_crossover", "verdict": "not_supported", "certainty": "low", "changes": True}]
    assert "Under the sensitivity analysis without crossover trials the verdict would be 'not supported'" in \
        v.summary_en


def test_rows_without_sensitivity_give_none():
    assert one(claim(), [row()]).sensitivity == ()


def test_review_row_without_a_study_count_says_so():
    v = one(claim(), [row(k=0), row("2")])
    assert "number of studies not stated" in v.summary_en and "0 studies" not in v.summary_en


def test_rows_of_other_conditions_comparisons_and_outcomes_do_not_count():
    c = claim(sof_outcomes=("pain_intensity",))
    rows = [row("1", condition="tension_type_headache"), row("2", comparison="acupuncture_vs_active"),
            row("3", outcome="cervical_range_of_motion")]
    v = one(c, rows)
    assert v.sof_rows == () and v.verdict == "not_supported" and "No summary-of-findings row" in v.summary_en
    assert v.suggestion_en.startswith("No study in the evidence reviewed tests this claim directly")


def test_summary_gives_absolute_effects_participants_and_downgrades():
    r = row(measure="RR", estimate=1.3, ci=(1.1, 1.5), outcome="responder_50pct",
            absolute="9 more per 100 (control risk 27 per 100) (3 more to 15 more)")
    v = one(claim(), [r, row("2")])
    assert "9 more per 100 (control risk 27 per 100) (3 more to 15 more)" in v.summary_en
    assert "300 participants" in v.summary_en and "risk of bias" in v.summary_en
    assert "imprecision" not in v.summary_en  # considered, not downgraded
    nl = v.summary_nl
    assert "9 meer (3 meer tot 15 meer) per 100 (risico in de controlegroep 27 per 100)" in nl
    assert "deelnemers" in nl and "risico op vertekening" in nl and "zekerheid matig" in nl
    for english in ("more", "participants", "versus sham", "certainty", "downgraded", "control risk"):
        assert english not in nl


def test_unknown_participants_are_said_so():
    v = one(claim(), [row(participants=None), row("2")])
    assert "participants not known for every study" in v.summary_en


def test_no_supported_without_sr_or_rct():
    rec = records(("2", "Cohort", "neck", True), ("3", "Cohort", "neck", True))
    stu = studies(("2", "observational", "neck_pain"), ("3", "non_randomised_trial", "neck_pain"))
    v = one(claim(designs=("observational", "non_randomised_trial")), [row("2"), row("3")], rec, stu)
    assert v.verdict == "supported_with_caveats" and "No systematic review or RCT" in v.summary_en


# -- durability ------------------------------------------------------------------------------------
DURABLE = dict(kind="durability", hedged=True, specific="months", conditions=("neck_pain", "tension_type_headache"),
               sof_conditions=("neck_pain", "tension_type_headache"))


def test_durability_from_short_term_rows_is_overstated():
    v = one(claim(**DURABLE), [row(timepoint="4_weeks")])
    assert v.verdict == "overstated" and "Only short-term benefits" in v.summary_en


def test_durability_one_part_per_condition():
    long_neck = row("1", timepoint="6_months")
    short_tth = row("2", timepoint="weeks_9_to_12", condition="tension_type_headache", outcome="headache_days")
    long_tth = row("3", timepoint="20_to_25_weeks", condition="tension_type_headache", outcome="headache_days",
                   certainty="low")
    v = one(claim(**DURABLE), [long_neck, short_tth])
    assert v.verdict == "supported_with_caveats"
    assert {p.id: p.verdict for p in v.parts} == {"neck_pain": "supported", "tension_type_headache": "overstated"}
    neck = v.to_dict()["parts"][0]
    assert neck["statement_en"] == "Acupuncture probably reduces pain intensity compared with sham (neck pain, 6 months)."
    assert neck["sof_rows"][0]["magnitude"] == "important_benefit" and neck["sof_rows"][0]["statement_nl"]
    both = one(claim(**DURABLE), [long_neck, long_tth])
    assert (both.verdict, both.certainty) == ("supported", "low")  # the lower of the two parts


def test_durability_without_any_benefit_is_not_supported():
    v = one(claim(**DURABLE), [row(timepoint="6_months", estimate=-1, ci=(-4, 2))])
    assert v.verdict == "not_supported"


# -- timing ----------------------------------------------------------------------------------------
EARLY = dict(kind="timing", specific="relief after sessions 1-2", sof_timepoints="early",
             sof_comparisons=("acupuncture_vs_sham", "acupuncture_vs_mixed"),
             parts=(Part("many_people", "4", "proportion"), Part("some_patients", "10", "effect")))


def test_early_relief_fires_on_a_single_session_trial():
    # Irnich 2002: one session, crossover, immediate effect against dry needling and sham combined
    irnich = row("12237186", comparison="acupuncture_vs_mixed", outcome="motion_related_pain",
                 timepoint="immediate_post_session", certainty="low", k=1, participants=36, study="irnich2002")
    rec = records(("12237186", "Immediate effects", "treated once", True))
    stu = studies(("12237186", "rct", "neck_pain"))
    v = one(claim(**EARLY), [irnich], rec, stu)
    parts = {p.id: (p.verdict, p.certainty) for p in v.parts}
    assert parts == {"some_patients": ("supported", "low"), "many_people": ("overstated", "low")}
    assert (v.verdict, v.certainty) == ("overstated", "low")  # the stricter part
    assert "Tested after one or two sessions: Author12237186 2020" in v.summary_en and "No study in the snapshot measures" not in v.summary_en
    assert v.pmids == ("12237186",)


def test_early_relief_counts_a_trial_of_one_or_two_sessions_whatever_its_timepoint_code():
    r = row("7", timepoint="end_of_treatment", certainty="moderate")
    assert one(claim(**EARLY), [r], sessions={"7": 2}).parts[1].verdict == "supported"
    assert one(claim(**EARLY), [r], sessions={"7": 8}).sof_rows == ()


def test_early_relief_many_people_needs_responders():
    r = row("1", timepoint="immediate_post_session", measure="RR", estimate=1.4, ci=(1.1, 1.8),
            outcome="responder_50pct", certainty="moderate")
    v = one(claim(**EARLY), [r])
    assert {p.id: p.verdict for p in v.parts} == {"many_people": "supported", "some_patients": "supported"}


def test_early_relief_without_rows_is_overstated_very_low():
    rec = records(("1", "RCT", "immediate relief", True))
    v = one(claim(**EARLY, cues=("immediate",)), [row("1", timepoint="8_weeks")], rec, studies(("1", "rct", "neck_pain")))
    assert (v.verdict, v.certainty) == ("overstated", "very_low")
    assert "No study in the snapshot measures the effect after one or two sessions" in v.summary_en


# -- dose ------------------------------------------------------------------------------------------
def test_course_counts_sessions_over_all_trials():
    c = claim(kind="dose", specific="6-8 sessions", sessions=(6, 8), sof_conditions=(),
              conditions=("neck_pain", "tension_type_headache"), cues=("sessions",))
    rec = records(*[(p, "Trial", "sessions", True) for p in "12345"])
    stu = studies(("1", "rct", "neck_pain"), ("2", "rct", "neck_pain"), ("3", "rct", "tension_type_headache"),
                  ("4", "non_randomised_trial", "neck_pain"), ("5", "rct", "other"))
    v = one(c, [], rec, stu, sessions={"1": 5, "2": 20, "3": 12, "4": 6, "5": 1})
    assert (v.verdict, v.certainty) == ("overstated", "very_low")
    # trial 5 is of another condition; the four others (5, 6, 12, 20) span 5-20, one of them inside 6-8
    assert "range from 5 to 20 sessions (median 9); 1 of them within 6-8 sessions" in v.summary_en
    assert "read from 4 of 4 trial abstracts" in v.summary_en
    # the wording the evidence supports: the courses used, and that no length has been tested
    assert v.suggestion_en.startswith("In the trials a course had 5 to 20 sessions (median 9); no study has compared")
    assert v.suggestion_nl.startswith("In de onderzoeken bestond een behandelreeks uit 5 tot 20 sessies (mediaan 9)")
    assert v.statement_en == ""  # no summary-of-findings row


def test_shipped_sessions_file_is_verbatim():
    from evidence.review import load_records

    sessions = load_sessions(DATA / "sessions.csv")
    assert sessions["12237186"] == 1 and sessions["35732505"] == 20 and min(sessions.values()) == 1
    recs = load_records(progress="off").set_index("pmid")
    table = pd.read_csv(DATA / "sessions.csv", dtype=str, keep_default_na=False)
    for r in table.itertuples():
        if r.sessions:
            quote = r.source.split(': "', 1)[1].rstrip('"')
            assert quote in recs.at[r.pmid, "abstract"], r.study_id


def test_bad_sessions_file_is_refused(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text('study_id,pmid,sessions,source\nx,1,six,"M: ""six sessions"""\n', encoding="utf-8")
    with pytest.raises(DataError, match="row 2: sessions must be a positive integer"):
        load_sessions(path)


# -- design-hierarchy kinds ---------------------------------------------------------------------------
def test_safety_from_a_review_of_prospective_studies_is_supported_without_rct():
    c = claim(kind="safety", hedged=True, designs=("systematic_review", "observational"), sof_conditions=(),
              conditions=("other",), cues=("adverse",), cues_in="title")
    rec = records(("1", "Adverse events: a review", "", False), ("2", "Adverse events: survey", "", True),
                  ("3", "Trial of acupuncture", "adverse events were mild", True))
    stu = studies(("1", "systematic_review", "other"), ("2", "observational", "other"), ("3", "rct", "other"))
    v = one(c, [], rec, stu)
    assert (v.verdict, v.certainty) == ("supported", "moderate")
    assert v.pmids == ("1", "2") and v.cut_short == ("1",) and "cut short" in v.summary_en
    survey_only = one(c, [], rec.iloc[1:], stu.iloc[1:])
    assert (survey_only.verdict, survey_only.certainty) == ("supported_with_caveats", "low")


def test_cited_designs_are_translated():
    c = claim(kind="mechanism", designs=("mechanistic",), conditions=("other",), sof_conditions=(),
              cues=("endorphin",), indirect=("opioid",))
    v = one(c, [], records(("1", "Opioid review", "opioid", True)), studies(("1", "narrative_review", "other")))
    assert "Author1 2020 (narrative review; PMID 1)" in v.summary_en
    assert "Author1 2020 (narratieve review; PMID 1)" in v.summary_nl


def test_mechanism_is_capped_and_narrative_only_is_very_low():
    c = claim(kind="mechanism", designs=("mechanistic", "narrative_review"), conditions=("other",),
              sof_conditions=(), cues=("endorphin",))
    rec = records(("1", "Acupuncture and endorphins", "endorphin release", True),
                  ("2", "fMRI study", "endorphin and connectivity", True))
    stu = studies(("1", "narrative_review", "other"), ("2", "mechanistic", "other"))
    both = one(c, [], rec, stu)
    assert (both.verdict, both.certainty) == ("supported_with_caveats", "low")
    assert "cannot support a clinical claim" in both.summary_en
    review_only = one(c, [], rec.iloc[:1], stu.iloc[:1])
    assert (review_only.verdict, review_only.certainty) == ("supported_with_caveats", "very_low")


def test_method_only_indirect_is_not_supported_and_nothing_is_no_evidence():
    c = claim(kind="method", specific="faster", sof_conditions=(), indirect=("distant points",),
              cues=("balance method",))
    rec = records(("1", "Acupuncture at distant points", "neck", True))
    v = one(c, [], rec, studies(("1", "rct", "neck_pain")))
    assert (v.verdict, v.certainty, v.pmids) == ("not_supported", "very_low", ("1",))
    assert v.suggestion_nl == "Of deze methode sneller verlichting geeft dan andere acupunctuur, is niet onderzocht."
    nothing = one(c, [], records(("1", "Knee", "knee", True)), studies(("1", "rct", "other")))
    assert (nothing.verdict, nothing.certainty, nothing.pmids) == ("no_evidence", None, ())
    assert nothing.suggestion_en == ""  # no evidence: nothing to reword from


def test_method_from_a_case_series_is_overstated():
    c = claim(kind="method", specific="faster", sof_conditions=(), designs=("case_report", "rct"),
              cues=("balance method",))
    v = one(c, [], records(("1", "The balance method", "x", True)), studies(("1", "case_report", "neck_pain")))
    assert (v.verdict, v.certainty) == ("overstated", "very_low")


def test_every_kind_has_one_rule_returning_a_frozen_decision():
    assert set(DECIDERS) == set(KINDS)
    d = Decision("supported", "high", "r")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.verdict = "overstated"


def test_every_verdict_and_certainty_is_reached_by_the_tests_above():
    # kept true by the parametrised tests: supported, supported_with_caveats, overstated,
    # not_supported, no_evidence; high, moderate, low, very_low
    assert set(VERDICTS) == {"supported", "supported_with_caveats", "overstated", "not_supported", "no_evidence"}
    assert set(CERTAINTIES) == {"high", "moderate", "low", "very_low"}


# -- serialisation and texts ------------------------------------------------------------------------
def test_to_dict_keeps_the_contract_and_adds_sof_rows_and_dutch():
    v = one(claim(), [row(), row("2")])
    d = v.to_dict()
    assert {"id", "claim_nl", "claim_en", "verdict", "certainty", "pmids", "summary_en"} <= set(d)
    assert d["sof_rows"][0]["downgrades"][0] == {"domain": "risk_of_bias", "levels": 1, "reason": "abstract only"}
    assert d["summary_nl"] == v.summary("nl") and d["parts"] == []
    # the fields the report reads by name (issue 17 item 1)
    for key in ("statement_en", "statement_nl", "suggestion_en", "suggestion_nl", "sensitivity"):
        assert key in d
    assert d["statement_en"] == v.statement_en and d["statement_en"].startswith("Acupuncture probably reduces")
    assert {"magnitude", "statement_en", "statement_nl", "rests_on"} <= set(d["sof_rows"][0])
    assert d["sof_rows"][0]["magnitude"] == "important_benefit"
    json.dumps(d)
    with pytest.raises(ValueError, match="lang"):
        v.summary("de")


def test_texts_have_the_same_keys_in_both_languages():
    assert set(CLAIM_TEXTS["en"]) == set(CLAIM_TEXTS["nl"])
    assert len(CLAIM_RULES["en"]["rules"]) == len(CLAIM_RULES["nl"]["rules"])
    assert claim_text("participants", "nl", n="1,234") == "1,234 deelnemers"
    # the forms evidence/grade.py writes
    assert claim_absolute("1.5 fewer headache days (2.5 fewer to 0.5 fewer)", "nl") == \
        "1,5 minder (2,5 minder tot 0,5 minder) hoofdpijndagen"
    assert claim_absolute("12.3 lower points on the neck pain disability scale (13.4 lower to 0.1 higher)", "nl") == \
        "12,3 lager (13,4 lager tot 0,1 hoger) punten op de schaal voor nekpijn en beperkingen"
    assert claim_absolute("9 more per 100 (control risk 27 per 100) (3 more to 15 more)", "nl") == \
        "9 meer (3 meer tot 15 meer) per 100 (risico in de controlegroep 27 per 100)"
    assert claim_absolute("SMD -0.79 (-1.13 to -0.46) in standard deviations; no re-expression on a familiar "
                          "scale", "nl") == \
        "SMD \u22120,79 (\u22121,13 tot \u22120,46) in standaarddeviaties; niet omgerekend naar een bekende schaal"
    assert claim_absolute("11.2 mm lower on a 0-100 scale (16.7 lower to 5.7 lower)", "nl") == \
        "11,2 mm lager op een schaal van 0-100 (16,7 lager tot 5,7 lager)"
    assert claim_absolute("6.1 points lower on the neck pain disability scale (8.2 lower to 0.1 higher)", "nl") == \
        "6,1 punten lager op de schaal voor nekpijn en beperkingen (8,2 lager tot 0,1 hoger)"
    assert claim_absolute("no difference on the trial's pain scale (unit not stated) (0.6 lower to 0.4 higher)",
                          "nl") == "geen verschil op de pijnschaal van de trial (eenheid niet vermeld) (0,6 lager tot 0,4 hoger)"
    assert claim_absolute("something new", "nl") == "something new"


# -- the shipped claims file ---------------------------------------------------------------------
def test_claims_file_has_the_contract_ids_and_verbatim_quotes():
    claims = load_claims(DATA / "claims.yaml", article=ARTICLE)
    assert [c.id for c in claims] == CONTRACT_IDS
    by_id = {c.id: c for c in claims}
    assert len(by_id["durable_effects"].quotes) == 2 and len(by_id["early_relief"].quotes) == 2
    assert {q.section for q in by_id["early_relief"].quotes} == {"4", "10"}
    assert [p.id for p in by_id["early_relief"].parts] == ["many_people", "some_patients"]
    assert by_id["course_6_8"].sessions == (6, 8)
    for cid in ("tth_frequency", "neck_pain_function", "durable_effects", "early_relief"):
        assert by_id[cid].uses_sof, cid
    for cid in ("course_6_8", "safety", "endorphins", "neuroplasticity", "balance_method"):
        assert not by_id[cid].uses_sof, cid


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("{kind: efficacy", "{kind: wishful", 1), "asserts.kind 'wishful'"),
    (lambda t: t.replace("designs: [systematic_review, rct]", "designs: [systematic_review, anecdote]", 1), "anecdote"),
    (lambda t: t.replace("- id: neck_pain_function", "- id: tth_frequency", 1), "appears twice"),
    (lambda t: t.replace("mogelijk frequentie", "zeker frequentie", 1), "quote not found verbatim"),
    (lambda t: t.replace("cues: []", "cues: ['(unclosed']", 1), "not a valid regular expression"),
    (lambda t: t.replace("timepoints: long_term", "timepoints: forever", 1), "sof.timepoints 'forever'"),
    (lambda t: t.replace("comparisons: [acupuncture_vs_sham,", "comparisons: [acupuncture_vs_magic,", 1),
     "acupuncture_vs_magic"),
    (lambda t: t.replace("asks: proportion", "asks: vibes", 1), "asks must be"),
    (lambda t: t.replace("    cues: []", "    outcomes: [x]\n    cues: []", 1), "unknown field.*evidence.outcomes"),
])
def test_bad_claims_file_is_refused_with_the_claim_named(tmp_path, mutate, message):
    path = tmp_path / "claims.yaml"
    path.write_text(mutate((DATA / "claims.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_claims(path, article=ARTICLE)

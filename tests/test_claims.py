"""Verdict rules on small hand-made evidence sets, and the claims file itself."""


import pandas as pd
import pytest

from evidence.claims import (
    CERTAINTIES,
    VERDICTS,
    Claim,
    Quote,
    assess_claims,
    load_claims,
)
from evidence.errors import DataError

from conftest import DATA

ARTICLE = DATA / "article" / "nekpijn-hoofdpijn.txt"
CONTRACT_IDS = ["tth_frequency", "neck_pain_function", "durable_effects", "early_relief", "course_6_8",
                "safety", "endorphins", "neuroplasticity", "balance_method"]


def claim(**kw):
    base = dict(id="c", quotes=(Quote("7", "x"),), claim_en="x", kind="efficacy", hedged=False, specific=None,
                designs=("systematic_review", "rct"), conditions=("neck_pain",),
                comparisons=("acupuncture_vs_sham", "acupuncture_vs_usual_care"), outcomes=(), cues=(),
                indirect=(), query="q")
    base.update(kw)
    return Claim(**base)


def records(*rows):
    """rows: (pmid, title, abstract, abstract_complete)"""
    return pd.DataFrame([{"pmid": p, "title": t, "abstract": a, "year": 2020, "first_author": f"Author{p} A",
                          "abstract_complete": c} for p, t, a, c in rows])


def studies(*rows):
    return pd.DataFrame([{"pmid": p, "design": d, "condition": c, "comparator": ""} for p, d, c in rows])


def effects(*rows):
    cols = ["pmid", "study", "comparison", "condition", "outcome", "timepoint", "measure", "estimate",
            "ci_low", "ci_high"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def one(c, rec, stu, eff=None):
    return assess_claims(rec, stu, eff, [c]).verdicts[0]


BIG = "In 1200 patients with chronic neck pain"


def test_no_evidence_when_nothing_relevant():
    v = one(claim(), records(("1", "Knee trial", "Knee osteoarthritis", True)),
            studies(("1", "rct", "other")))
    assert v.verdict == "no_evidence" and v.certainty is None and v.pmids == ()


def test_only_indirect_gives_not_supported_very_low():
    c = claim(kind="method", specific="faster", indirect=("distant points",), cues=("balance method",))
    v = one(c, records(("1", "Acupuncture at distant points", "neck", True)), studies(("1", "rct", "neck_pain")))
    assert (v.verdict, v.certainty, v.pmids) == ("not_supported", "very_low", ("1",))


def test_only_indirect_with_a_specific_figure_is_overstated():
    c = claim(kind="timing", specific="after 1-2 sessions", indirect=("migraine",))
    v = one(c, records(("1", "Migraine trial", "migraine", True)), studies(("1", "rct", "other")))
    assert (v.verdict, v.certainty) == ("overstated", "very_low")


def test_consistent_favourable_trials_are_supported_high():
    rec = records(("1", "SR", BIG, True), ("2", "RCT", BIG, True), ("3", "RCT", BIG, True))
    stu = studies(("1", "systematic_review", "neck_pain"), ("2", "rct", "neck_pain"), ("3", "rct", "neck_pain"))
    eff = effects(("1", "A (SR)", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "SMD", -0.4, -0.6, -0.2),
                  ("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4),
                  ("3", "C", "acupuncture_vs_usual_care", "neck_pain", "responder_50pct", "8_weeks", "GENERIC_RR", 1.5, 1.2, 1.9))
    v = one(claim(), rec, stu, eff)
    assert (v.verdict, v.certainty, v.downgrades) == ("supported", "high", ())
    assert v.pmids[0] == "1"  # systematic review first


def test_each_downgrade_is_applied():
    # small, not sham-controlled, inconsistent, few participants
    rec = records(("2", "RCT", "40 patients", True), ("3", "RCT", "30 patients", True))
    stu = studies(("2", "rct", "neck_pain"), ("3", "rct", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_usual_care", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4),
                  ("3", "C", "acupuncture_vs_usual_care", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -2, -6, 2))
    v = one(claim(), rec, stu, eff)
    assert v.certainty == "very_low"
    text = " | ".join(v.downgrades)
    assert "risk of bias (no sham-controlled estimate)" in text
    assert "inconsistency (1 of 2 estimates favourable)" in text
    assert "imprecision (70 participants)" in text
    assert v.verdict == "supported_with_caveats"  # favourable, but not consistent


def test_small_trials_downgrade_and_single_estimate_imprecision():
    rec = records(("2", "RCT", "40 patients", True))
    stu = studies(("2", "rct", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4))
    v = one(claim(), rec, stu, eff)
    assert any("small trials, median n = 40" in d for d in v.downgrades)
    assert any("fewer than two estimates" in d for d in v.downgrades)


def test_nothing_favourable_is_not_supported():
    rec = records(("2", "RCT", BIG, True))
    stu = studies(("2", "rct", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -1, -4, 2),
                  ("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "26_weeks", "GENERIC_MD", 0, -3, 3))
    assert one(claim(), rec, stu, eff).verdict == "not_supported"


def test_polarity_of_higher_is_better_outcomes():
    # fewer responders with acupuncture is against it, even though the ratio is "below 1"
    rec = records(("2", "RCT", BIG, True))
    stu = studies(("2", "rct", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_sham", "neck_pain", "responder_50pct", "8_weeks", "GENERIC_RR", 0.7, 0.5, 0.9))
    v = one(claim(), rec, stu, eff)
    assert v.verdict == "not_supported" and v.evidence[0].effects[0].direction == "against"


def test_no_supported_without_sr_or_rct():
    c = claim(designs=("observational", "non_randomised_trial"))
    rec = records(("2", "Cohort", BIG, True), ("3", "Cohort", BIG, True))
    stu = studies(("2", "observational", "neck_pain"), ("3", "non_randomised_trial", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4),
                  ("3", "C", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4))
    v = one(c, rec, stu, eff)
    assert v.verdict == "supported_with_caveats" and v.certainty in ("low", "very_low")


def test_durability_from_short_term_data_is_overstated():
    c = claim(kind="durability", hedged=True, specific="months", conditions=("neck_pain", "tension_type_headache"))
    rec = records(("2", "RCT", BIG, True))
    stu = studies(("2", "rct", "neck_pain"))
    eff = effects(("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "4_weeks", "GENERIC_MD", -8, -12, -4))
    v = one(c, rec, stu, eff)
    assert v.verdict == "overstated" and "Only short-term results" in v.summary_en


def test_durability_in_one_of_two_conditions_has_caveats_and_in_both_is_supported():
    c = claim(kind="durability", hedged=True, specific="months", conditions=("neck_pain", "tension_type_headache"))
    rec = records(("2", "RCT", BIG, True), ("3", "RCT", BIG, True))
    stu = studies(("2", "rct", "neck_pain"), ("3", "rct", "tension_type_headache"))
    long_neck = ("2", "B", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "6_months", "GENERIC_MD", -8, -12, -4)
    short_tth = ("3", "C", "acupuncture_vs_sham", "tension_type_headache", "headache_days", "8_weeks", "GENERIC_MD", -2, -3, -1)
    long_tth = ("3", "C", "acupuncture_vs_sham", "tension_type_headache", "headache_days", "weeks_20_to_25", "GENERIC_MD", -2, -3, -1)
    v = one(c, rec, stu, effects(long_neck, short_tth))
    assert v.verdict == "supported_with_caveats" and "tension-type-headache" in v.summary_en
    assert one(c, rec, stu, effects(long_neck, long_tth)).verdict == "supported"


def test_specific_figure_not_tested_is_overstated_and_downgraded():
    c = claim(kind="dose", specific="6-8 sessions", conditions=("chronic_pain",), cues=("number of sessions",))
    rec = records(("2", "IPD", "number of sessions was associated with outcome in 17922 patients", True))
    stu = studies(("2", "systematic_review", "chronic_pain"))
    v = one(c, rec, stu)
    assert v.verdict == "overstated"
    assert any("no study tests the stated figure" in d for d in v.downgrades)


def test_safety_from_large_surveys_is_supported_without_rct():
    c = claim(kind="safety", hedged=True, designs=("systematic_review", "observational"),
              conditions=("other",), cues=("adverse",), cues_in="title")
    rec = records(("1", "Adverse events: survey of 32 000 consultations", "", False),
                  ("2", "Adverse events: survey of 34 000 treatments", "", False),
                  ("3", "Trial of acupuncture", "adverse events were mild", True))
    stu = studies(("1", "observational", "other"), ("2", "observational", "other"), ("3", "rct", "other"))
    v = one(c, rec, stu)
    assert (v.verdict, v.certainty) == ("supported", "moderate")
    assert v.pmids == ("1", "2")  # the trial mentions adverse events only in its abstract
    assert v.cut_short == ("1", "2") and "cut short" in v.summary_en


def test_mechanism_is_capped_and_narrative_only_is_downgraded():
    c = claim(kind="mechanism", designs=("mechanistic", "narrative_review"), conditions=("other",),
              cues=("endorphin",))
    rec = records(("1", "Acupuncture and endorphins", "endorphin release", True),
                  ("2", "fMRI study", "endorphin and connectivity in 30 patients", True))
    stu = studies(("1", "narrative_review", "other"), ("2", "mechanistic", "other"))
    both = one(c, rec, stu)
    assert (both.verdict, both.certainty) == ("supported_with_caveats", "low")
    review_only = one(c, rec.iloc[:1], stu.iloc[:1])
    assert (review_only.verdict, review_only.certainty) == ("supported_with_caveats", "very_low")


def test_dutch_summary_keeps_evidence_text():
    rec = records(("2", "RCT", BIG, False))
    stu = studies(("2", "rct", "neck_pain"))
    eff = effects(("2", "Trial 2020", "acupuncture_vs_sham", "neck_pain", "pain_intensity", "8_weeks", "GENERIC_MD", -8, -12, -4))
    v = one(claim(), rec, stu, eff)
    nl = v.summary("nl")
    assert "Tegenover schijnacupunctuur" in nl and "Trial 2020: pain intensity MD" in nl
    assert "afgekapt" in nl and "Versus sham" not in nl
    with pytest.raises(ValueError, match="lang"):
        v.summary("de")


def test_every_verdict_is_reachable_by_these_rules():
    # the tests above reach each verdict; keep that true if a test is removed
    seen = {"no_evidence", "not_supported", "overstated", "supported", "supported_with_caveats"}
    assert seen == set(VERDICTS) and set(CERTAINTIES) == {"high", "moderate", "low", "very_low"}


# -- the shipped claims file ---------------------------------------------------------------------
def test_claims_file_has_the_contract_ids_and_verbatim_quotes():
    claims = load_claims(DATA / "claims.yaml", article=ARTICLE)
    assert [c.id for c in claims] == CONTRACT_IDS
    by_id = {c.id: c for c in claims}
    assert len(by_id["durable_effects"].quotes) == 2 and len(by_id["early_relief"].quotes) == 2
    assert {q.section for q in by_id["early_relief"].quotes} == {"4", "10"}


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("{kind: efficacy", "{kind: wishful", 1), "asserts.kind 'wishful'"),
    (lambda t: t.replace("designs: [systematic_review, rct]", "designs: [systematic_review, anecdote]", 1), "anecdote"),
    (lambda t: t.replace("- id: neck_pain_function", "- id: tth_frequency", 1), "appears twice"),
    (lambda t: t.replace("mogelijk frequentie", "zeker frequentie", 1), "quote not found verbatim"),
    (lambda t: t.replace("cues: []", "cues: ['(unclosed']", 1), "not a valid regular expression"),
])
def test_bad_claims_file_is_refused_with_the_claim_named(tmp_path, mutate, message):
    path = tmp_path / "claims.yaml"
    path.write_text(mutate((DATA / "claims.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_claims(path, article=ARTICLE)

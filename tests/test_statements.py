"""Sizes of effects against the MID and GRADE's informative statements, on constructed rows.

The statement table is GRADE guidelines 26 (Santesso N et al., J Clin Epidemiol 2020;119:126-135,
Table 3): by certainty (high, moderate, low, very low) and size (an important effect, a small
important effect, little or no difference), "reduces" / "probably reduces" / "may reduce",
"... slightly", "results in little or no difference", "the evidence is very uncertain about the
effect of". The numbers of the anchor rows are published ones (sources in comments).
"""

import dataclasses
import math

import pytest

from evidence.grade import Downgrade, SofRow
from evidence.statements import MAGNITUDES, informative_statement, magnitude, reestimate, statement_size
from evidence.texts import CLAIM_TEXTS, statement_sentence

PAIN_MID = "10 mm on a 0-100 scale (between groups; within-patient minimal important change 15 mm or 30%)"
RR_MID = ("responder = at least 50% reduction of headache days (IHS) (source: Bendtsen 2010); no accepted MID for "
          "responder rate; imprecision judged against a relative change of 25% (RR 0.75 / 1.25, GRADE guidelines 6)")
SMD_MID = "SMD 0.2 (small effect; Cohen 1988), the GRADE default for standardised differences (GRADE guidelines 6)"


def sof(estimate, low, high, *, measure="MD", outcome="pain_intensity", certainty="low", mid=PAIN_MID,
        absolute=None, source="pooled from trials", comparison="acupuncture_vs_sham", condition="neck_pain",
        timepoint="weeks_1_to_5"):
    if absolute is None and measure == "MD" and estimate is not None:
        def one(x):
            return f"{abs(x):g} {'lower' if x < 0 else 'higher'}"
        absolute = (f"{abs(estimate):g} mm {'lower' if estimate < 0 else 'higher'} on a 0-100 scale "
                    f"({one(low)} to {one(high)})")
    return SofRow(question="q", condition=condition, comparison=comparison, outcome=outcome, timepoint=timepoint,
                  k_studies=2, participants=400, measure=measure, estimate=estimate, ci_low=low, ci_high=high,
                  absolute=absolute or "", mid=mid, certainty=certainty,
                  downgrades=(Downgrade("risk_of_bias", 0, "low"),), study_ids=("s1",), pmids=("1",), source=source)


# -- sizes against the MID ----------------------------------------------------------------------------
@pytest.mark.parametrize("args, kw, expected", [
    # mean differences on a 0-100 scale, MID 10 mm (data/mids.csv)
    ((-28.1, -34.7, -21.4), {}, "important_benefit"),       # Vas 2006, motion-related pain vs sham
    ((-6.3, -11.3, -1.4), {}, "small_benefit"),              # White 2004: below the MID, CI reaches it
    ((-1.0, -6.5, 4.5), {}, "little_or_no_difference"),      # Irnich 2002 vs sham: CI inside ±10 mm
    ((-8.0, -20.0, 4.0), {}, "imprecise"),                   # CI includes no effect and an important one
    ((6.0, 1.0, 11.0), {}, "possible_harm"),                 # more pain
    ((-6.3, -11.3, -1.4), {"mid": "MID 10 mm on a 0-100 scale"}, "small_benefit"),  # the number, wherever it is
    ((-6.3, -11.3, -1.4), {"mid": "no accepted MID for this scale (0-100 points)"}, "benefit_size_unknown"),
    # a result in cm: the SoF row restates it in mm (Yuan 2015: -0.58 cm, -0.94 to -0.22), inside ±1 cm
    ((-0.58, -0.94, -0.22), {"absolute": "5.8 mm lower on a 0-100 scale (9.4 lower to 2.2 lower)"},
     "little_or_no_difference"),
    # Fang 2024 (issue 14): -0.12 cm (-0.61 to 0.37), MID 1 cm: a precise null
    ((-0.12, -0.61, 0.37), {"absolute": "1.2 mm lower on a 0-100 scale (6.1 lower to 3.7 higher)"},
     "little_or_no_difference"),
    # the same numbers without a unit: the MID cannot be applied, judged against the null
    ((-0.12, -0.61, 0.37), {"absolute": "0.1 points lower on the trial's pain scale (unit not stated) "
                                        "(0.6 lower to 0.4 higher)"}, "no_clear_difference"),
    # no accepted MID (headache days, Bendtsen 2010): the null is the threshold
    ((-1.8, -3.0, -0.6), {"outcome": "headache_days", "mid": "no accepted MID in headache days",
                          "absolute": "1.8 fewer headache days (3 fewer to 0.6 fewer)"}, "benefit_size_unknown"),
    ((-0.6, -2.6, 1.5), {"outcome": "headache_days", "mid": "no accepted MID in headache days",
                         "absolute": "0.6 fewer headache days (2.6 fewer to 1.5 more)"}, "no_clear_difference"),
    # ratios against RR 0.75 / 1.25; responders: higher is better
    # Kang 2023 (PMID 37234488): responders vs sham RR 1.30 (1.13 to 1.50)
    ((1.30, 1.13, 1.50), {"measure": "RR", "outcome": "responder_rate", "mid": RR_MID}, "important_benefit"),
    ((1.19, 1.08, 1.30), {"measure": "RR", "outcome": "responder_rate", "mid": RR_MID}, "small_benefit"),
    ((1.05, 0.90, 1.20), {"measure": "RR", "outcome": "responder_rate", "mid": RR_MID}, "little_or_no_difference"),
    ((0.70, 0.55, 0.90), {"measure": "RR", "outcome": "responder_rate", "mid": RR_MID}, "possible_harm"),
    ((1.30, 0.60, 2.80), {"measure": "GENERIC_RR", "outcome": "responder_rate", "mid": RR_MID}, "imprecise"),
    # an RR for an outcome where lower is better: 0.70 is a benefit
    ((0.70, 0.60, 0.79), {"measure": "OR", "outcome": "headache_days", "mid": ""}, "important_benefit"),
    # SMD against 0.2: Trinh 2016 (Cochrane CD004870) pain vs sham short term -0.23 (-0.40 to -0.07)
    ((-0.23, -0.40, -0.07), {"measure": "SMD", "mid": SMD_MID}, "important_benefit"),
    ((-0.16, -0.25, -0.07), {"measure": "SMD", "mid": SMD_MID}, "small_benefit"),
    ((-0.12, -0.19, -0.05), {"measure": "SMD", "mid": SMD_MID}, "little_or_no_difference"),
    # a risk difference in responders has no accepted MID
    ((0.12, 0.02, 0.21), {"measure": "RD", "outcome": "responder_50pct", "mid": RR_MID}, "benefit_size_unknown"),
])
def test_magnitude_against_the_mid(args, kw, expected):
    assert magnitude(sof(*args, **kw)).category == expected


def test_rows_without_numbers_take_their_studies_direction():
    def reported(said):
        return dataclasses.replace(sof(None, None, None, measure="none", mid="not applicable (no estimate)",
                                       absolute="no numbers usable for an absolute effect; reported: " + said),
                                   source="reported without usable numbers")
    assert magnitude(reported("white2000 (PMID 11128820): no difference")).category == "no_clear_difference"
    assert magnitude(reported("birch1998 (PMID 9758075): favours acupuncture, p = <.05")).category == \
        "benefit_size_unknown"
    assert magnitude(reported("a (PMID 1): no difference; b (PMID 2): favours acupuncture")).category == "mixed"
    assert magnitude(reported("x (PMID 1): favours control")).category == "possible_harm"
    assert magnitude(sof(None, None, None)).category == "not_estimable"


def test_every_category_is_reached():
    seen = {magnitude(sof(*a, **k)).category for a, k in [
        ((-28, -34, -21), {}), ((-6, -11, -1), {}), ((-1, -6, 4), {}), ((-8, -20, 4), {}), ((6, 1, 11), {}),
        ((-1.8, -3, -0.6), {"mid": "no accepted MID"}), ((-0.6, -2.6, 1.5), {"mid": "no accepted MID"}),
        ((None, None, None), {})]}
    assert seen | {"mixed"} == set(MAGNITUDES)


def test_a_reestimate_keeps_the_rows_unit():
    # a cm row re-estimated under a sensitivity analysis is judged in mm as the row was
    row = sof(-0.58, -0.94, -0.22, absolute="5.8 mm lower on a 0-100 scale (9.4 lower to 2.2 lower)",
              certainty="moderate")
    again = reestimate(row, {"analysis": "without_high_risk_of_bias", "estimate": -1.5, "ci_low": -2.0,
                             "ci_high": -1.1, "certainty": "low", "k_studies": 1})
    assert (again.estimate, again.certainty, again.k_studies) == (-1.5, "low", 1)
    mag = magnitude(again)
    assert mag.category == "important_benefit" and math.isclose(mag.point, 15.0)


def test_a_reestimate_of_a_plain_object_row():
    from types import SimpleNamespace
    row = SimpleNamespace(**{k: getattr(sof(-15.0, -20.0, -11.0), k) for k in ("measure", "outcome", "estimate",
                                                                                 "ci_low", "ci_high", "mid",
                                                                                 "absolute", "source", "certainty")})
    again = reestimate(row, {"estimate": -5.0, "ci_low": -11.0, "ci_high": -1.0, "certainty": "bogus"})
    assert (again.estimate, again.certainty) == (-5.0, "low")  # an unknown certainty is not taken
    assert magnitude(again).category == "small_benefit" and row.estimate == -15.0


# -- the statement table: every cell ------------------------------------------------------------------
# Santesso 2020, Table 3; Dutch as the brief words it ("vermindert", "vermindert waarschijnlijk",
# "vermindert mogelijk (enigszins)", "weinig of geen verschil", "het bewijs is zeer onzeker").
CELLS = {
    ("high", "effect"): ("Acupuncture reduces pain intensity compared with sham",
                         "Acupunctuur vermindert de pijnintensiteit, vergeleken met schijnacupunctuur"),
    ("high", "slight"): ("Acupuncture reduces pain intensity slightly compared with sham",
                         "Acupunctuur vermindert enigszins de pijnintensiteit, vergeleken met schijnacupunctuur"),
    ("high", "none"): ("Acupuncture results in little or no difference in pain intensity compared with sham",
                       "Acupunctuur geeft weinig of geen verschil in de pijnintensiteit, vergeleken met "
                       "schijnacupunctuur"),
    ("moderate", "effect"): ("Acupuncture probably reduces pain intensity compared with sham",
                             "Acupunctuur vermindert waarschijnlijk de pijnintensiteit, vergeleken met "
                             "schijnacupunctuur"),
    ("moderate", "slight"): ("Acupuncture probably reduces pain intensity slightly compared with sham",
                             "Acupunctuur vermindert waarschijnlijk enigszins de pijnintensiteit, vergeleken met "
                             "schijnacupunctuur"),
    ("moderate", "none"): ("Acupuncture probably results in little or no difference in pain intensity compared "
                           "with sham",
                           "Acupunctuur geeft waarschijnlijk weinig of geen verschil in de pijnintensiteit, "
                           "vergeleken met schijnacupunctuur"),
    ("low", "effect"): ("Acupuncture may reduce pain intensity compared with sham",
                        "Acupunctuur vermindert mogelijk de pijnintensiteit, vergeleken met schijnacupunctuur"),
    ("low", "slight"): ("Acupuncture may reduce pain intensity slightly compared with sham",
                        "Acupunctuur vermindert mogelijk enigszins de pijnintensiteit, vergeleken met "
                        "schijnacupunctuur"),
    ("low", "none"): ("Acupuncture may result in little or no difference in pain intensity compared with sham",
                      "Acupunctuur geeft mogelijk weinig of geen verschil in de pijnintensiteit, vergeleken met "
                      "schijnacupunctuur"),
}
VERY_UNCERTAIN = ("The evidence is very uncertain about the effect of acupuncture on pain intensity compared "
                  "with sham",
                  "Het bewijs is zeer onzeker over het effect van acupunctuur op de pijnintensiteit, vergeleken "
                  "met schijnacupunctuur")
#: Rows of each size: an important benefit, a benefit below the MID, a CI inside ±MID.
SIZED = {"effect": (-28.1, -34.7, -21.4), "slight": (-6.3, -11.3, -1.4), "none": (-1.0, -6.5, 4.5)}


@pytest.mark.parametrize("certainty", ["high", "moderate", "low", "very_low"])
@pytest.mark.parametrize("size", ["effect", "slight", "none"])
def test_every_cell_of_the_statement_table(certainty, size):
    row = sof(*SIZED[size], certainty=certainty)
    assert statement_size(row) == size
    en, nl = VERY_UNCERTAIN if certainty == "very_low" else CELLS[(certainty, size)]
    assert informative_statement(row, "en") == en + " (neck pain, weeks 1 to 5)."
    assert informative_statement(row, "nl") == nl + " (nekpijn, week 1 tot 5)."


def test_the_verb_follows_the_estimate_not_the_benefit():
    # Kang 2023 (PMID 37234488): responders RR 1.30 (1.13 to 1.50), moderate certainty in the review
    more = sof(1.30, 1.13, 1.50, measure="RR", outcome="responder_rate", mid=RR_MID, certainty="moderate",
               condition="tension_type_headache", timepoint="end_of_treatment")
    assert informative_statement(more, "en").startswith("Acupuncture probably increases the number of responders")
    assert informative_statement(more, "nl").startswith("Acupunctuur verhoogt waarschijnlijk het aantal responders")
    worse = sof(6.0, 1.0, 11.0, certainty="low")  # more pain, below the MID
    assert informative_statement(worse, "en").startswith("Acupuncture may increase pain intensity slightly")
    assert informative_statement(worse, "nl").startswith("Acupunctuur verhoogt mogelijk enigszins de pijnintensiteit")


def test_statement_sentence_refuses_unknown_values():
    with pytest.raises(ValueError, match="certainty"):
        statement_sentence("certain", "effect", "reduce")
    with pytest.raises(ValueError, match="size"):
        statement_sentence("low", "large", "reduce")
    with pytest.raises(ValueError, match="direction"):
        statement_sentence("low", "effect", "improve")
    with pytest.raises(ValueError, match="lang"):
        statement_sentence("low", "effect", "reduce", lang="de")


def test_no_estimate_is_said_so_at_any_certainty():
    row = sof(None, None, None, certainty="moderate")
    assert informative_statement(row, "en").startswith("The studies' results give no single estimate of the "
                                                       "effect of acupuncture on pain intensity")
    assert informative_statement(row, "nl").startswith("De resultaten van de studies geven geen gezamenlijke "
                                                       "schatting")


def test_size_texts_exist_for_every_category_in_both_languages():
    for lang in ("en", "nl"):
        for category in MAGNITUDES:
            assert CLAIM_TEXTS[lang]["size_" + category]

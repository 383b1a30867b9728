"""Issue 14: GRADE for the reviews' pooled results (evidence.review_certainty and the review rows
of evidence.grade).

Anchors from outside the project: Kang 2023 (PMID 37234488) rates acupuncture vs sham for
tension-type headache responders "moderate certainty" (RR 1.30, 1.13 to 1.50; 3 RCTs; I2 = 2%);
Vickers 2012 (PMID 22965186) analysed 17,922 patients and reports SMD 0.55 (0.51 to 0.58) vs no
acupuncture for back and neck pain. GRADE guidance 34 (Zeng 2022, J Clin Epidemiol 150:216-224):
a CI that crosses no threshold is not rated down for imprecision; an unknown participant count is
said, not punished.
"""

from __future__ import annotations

import math

import pytest
from conftest import DATA, SNAPSHOT

from evidence.review_certainty import imprecision_against_thresholds, judge_review


@pytest.fixture(scope="module")
def sof():
    from evidence.review import load_sof
    from evidence.settings import load_settings

    return load_sof(load_settings(environ={"EVIDENCE_DATA": str(DATA),
                                           "EVIDENCE_SNAPSHOT": str(SNAPSHOT)}))


def _domain(row, name):
    return next(d for d in row.downgrades if d.domain == name)


def _row(sof, study, **where):
    rows = [r for r in sof.rows if r.is_review and r.study_ids == (study,)
            and all(getattr(r, k) == v for k, v in where.items())]
    assert len(rows) == 1, (study, where, len(rows))
    return rows[0]


def test_kang_2023_row_carries_the_reviews_moderate_rating(sof):
    row = _row(sof, "kang2023", outcome="responder_rate")
    assert (row.estimate, row.ci_low, row.ci_high) == (1.30, 1.13, 1.50)
    assert row.certainty == "moderate"
    assert sum(d.levels for d in row.downgrades) == 0
    assert "review's own rating: moderate" in " ".join(row.footnotes)
    # its 2,742 participants are of all 30 RCTs, not of this 3-RCT result: unknown, said
    assert row.participants is None and row.k_studies == 3
    assert any("2,742" in f and "3 of its trials" in f for f in row.footnotes)


def test_vickers_2012_shows_its_participants_and_no_imprecision_downgrade(sof):
    row = _row(sof, "vickers2012", comparison="acupuncture_vs_usual_care", condition="chronic_pain",
               estimate=-0.55)
    assert row.participants == 17922
    assert _domain(row, "imprecision").levels == 0
    assert "beyond the MID" in _domain(row, "imprecision").reason
    assert any("17,922" in f and "whole dataset" in f for f in row.footnotes)


def test_no_review_row_loses_two_levels_for_a_short_abstract(sof):
    for row in sof.rows:
        if not row.is_review:
            continue
        # missing numbers (risk-of-bias result, I2, participants) lower certainty at most once:
        # only the unreported risk-of-bias result costs a level
        inconsistency, imprecision = _domain(row, "inconsistency"), _domain(row, "imprecision")
        if "no I2 stated" in inconsistency.reason:
            assert inconsistency.levels == 0
        if imprecision.levels:  # from the CI against the thresholds, never from an unknown n
            assert imprecision.reason.startswith("the CI "), row
        assert "participants not reported" not in imprecision.reason
        assert "not punished" in imprecision.reason or "as rated by the review" in \
            imprecision.reason or "upper bound" in imprecision.reason


def test_a_stated_rating_is_kept_unless_a_written_departure_lowers_it(sof):
    # Yuan 2015 (PMID 25710765): "We found moderate evidence that acupuncture was more effective
    # than sham-acupuncture ... for CNP ..., CLBP ..., and acute LBP"
    neck = _row(sof, "yuan2015", condition="neck_pain")
    assert neck.certainty == "moderate"
    back = _row(sof, "yuan2015", condition="chronic_pain")
    assert back.certainty == "low"
    reason = _domain(back, "indirectness").reason
    assert _domain(back, "indirectness").levels == 1
    assert reason.startswith("departure from the review's own rating (moderate)")


def test_precise_null_is_not_downgraded_for_imprecision(sof):
    # Fang 2024: MD -0.12 (-0.61 to 0.37) vs sham, inside +/- the MID
    row = _row(sof, "fang2024", comparison="acupuncture_vs_sham", outcome="pain_intensity")
    assert _domain(row, "imprecision").levels == 0
    assert "within +/- the MID" in _domain(row, "imprecision").reason


@pytest.mark.parametrize("low, high, threshold, sign, levels", [
    (-0.58, -0.51, 0.2, -1, 0),   # SMD wholly beyond -0.2: precise benefit
    (-0.33, -0.13, 0.2, -1, 1),   # crosses the MID: important and trivial benefit
    (-0.61, 0.37, 1.0, -1, 0),    # wholly inside +/- MID: precise little or no difference
    (-7.49, 1.64, 1.0, -1, 2),    # important benefit and important harm
    (-0.5, 0.3, None, -1, 1),     # no MID: judged against the null
    (0.12, 0.41, math.log(1.25), 1, 1),  # RR 1.13 to 1.50 crosses RR 1.25
])
def test_imprecision_thresholds_follow_grade_guidance_34(low, high, threshold, sign, levels):
    assert imprecision_against_thresholds(low, high, threshold, benefit_sign=sign)[0] == levels


def test_judge_review_from_what_it_reports():
    base = {"k_studies": 5.0, "review_trials": 20.0}
    # nothing reported: one level for the unknown risk of bias, nothing else
    j = judge_review(base, low=-0.6, high=-0.5, threshold=0.2, benefit_sign=-1)
    assert j.start == 4 and j.stated is None
    levels = {d: n for d, n, _ in j.domains}
    assert levels == {"risk_of_bias": 1, "inconsistency": 0, "imprecision": 0,
                      "publication_bias": 0}
    # an I2 of 60% and a summary at high risk are judged
    j = judge_review({**base, "review_i2": 60.0, "review_rob": "high",
                      "review_source": 'R: "x"'}, low=-0.6, high=-0.5, threshold=0.2,
                     benefit_sign=-1)
    assert {d: n for d, n, _ in j.domains}["inconsistency"] == 1
    assert {d: n for d, n, _ in j.domains}["risk_of_bias"] == 2
    # a whole review under the information size cannot hold enough for this result
    j = judge_review({**base, "review_participants": 120.0, "review_trials": 5.0}, low=-0.6,
                     high=-0.5, threshold=0.2, benefit_sign=-1)
    assert {d: n for d, n, _ in j.domains}["imprecision"] == 1 and j.participants == 120
    # a stated rating is the start, and the review's domains are not judged again
    j = judge_review({**base, "review_certainty": "low"}, low=-0.6, high=0.6, threshold=0.2,
                     benefit_sign=-1)
    assert j.start == 2 and all(n == 0 for _, n, _ in j.domains)
    assert "would rate down 2 levels" in dict((d, r) for d, _, r in j.domains)["imprecision"]
    with pytest.raises(ValueError, match="review_certainty"):
        judge_review({"review_certainty": "strong"}, low=0, high=1, threshold=None,
                     benefit_sign=1)
    assert judge_review(base, low=-0.6, high=-0.5, threshold=0.2,
                        benefit_sign=-1).to_dict()["start"] == 4

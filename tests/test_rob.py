"""Tests of evidence.rob: the RoB 2 table and its validator (row numbers in errors)."""

from __future__ import annotations

import pytest

from evidence.errors import DataError
from evidence.rob import COLUMNS, NOT_REPORTED, overall_judgement, parse_rob, rob_for


def row(**kw):
    d = {c: NOT_REPORTED for c in COLUMNS}
    d.update(study_id="white2004", outcome="*", d1="low", d2="low", d3="low", d4="low",
             d5="low", overall="low", basis="abstract",
             d1_support='METHODS: "randomised, computer-generated"')
    d.update(kw)
    return [d[c] for c in COLUMNS]


def table(*body):
    return [list(COLUMNS)] + list(body)


@pytest.mark.parametrize("domains, allowed", [
    # Sterne et al. 2019 (BMJ 366:l4898), RoB 2 overall judgement
    (("low",) * 5, ("low",)),
    (("low", "low", "high", "low", "low"), ("high",)),
    (("low", "some_concerns", "low", "low", "low"), ("some_concerns",)),
    (("no_information", "low", "low", "low", "low"), ("some_concerns",)),
    (("some_concerns", "no_information", "low", "low", "low"), ("some_concerns", "high")),
])
def test_overall_judgement_follows_rob2(domains, allowed):
    assert overall_judgement(domains) == allowed


def test_parse_flags_abstract_only_and_finds_star_rows():
    frame = parse_rob(table(row(), row(study_id="vas2006", outcome="motion_related_pain",
                                       basis="full_text")))
    assert list(frame.index) == [2, 3]
    assert frame["abstract_only"].tolist() == [True, False]
    assert rob_for(frame, "white2004", "pain_intensity")["outcome"] == "*"
    assert rob_for(frame, "vas2006", "motion_related_pain")["basis"] == "full_text"
    assert rob_for(frame, "vas2006", "other") is None


@pytest.mark.parametrize("bad, message", [
    (dict(overall="high"), "row 3: overall 'high' does not follow the RoB 2 algorithm"),
    (dict(d3="high", overall="some_concerns"), "row 3: overall 'some_concerns' does not follow"),
    (dict(d2="unclear"), "row 3: d2 (deviations from intended interventions) is 'unclear'"),
    (dict(d4_support="blinded"), "row 3: d4_support must be a verbatim quote"),
    (dict(basis="guess"), "row 3: basis is 'guess'"),
    (dict(study_id="white2004"), "row 3: study white2004, outcome * and comparison * are already rated in row 2"),
    (dict(d5=""), "row 3: d5 is empty"),
])
def test_bad_rows_name_the_row_and_reason(bad, message):
    other = row(study_id="vas2006")
    with pytest.raises(DataError) as info:
        parse_rob(table(row(), row(**dict(dict(study_id="vas2006"), **bad)) if "study_id" not in bad
                        else row(**bad)), path="risk_of_bias.csv")
    assert "risk_of_bias.csv, " in str(info.value) and message in str(info.value)
    del other


def test_optional_comparison_column_picks_the_comparisons_own_row():
    header = list(COLUMNS) + ["comparison"]
    frame = parse_rob([header, row() + ["acupuncture_vs_sham"],
                       row(d4="high", overall="high") + ["acupuncture_vs_mixed"]])
    assert rob_for(frame, "white2004", "x", "acupuncture_vs_mixed")["overall"] == "high"
    assert rob_for(frame, "white2004", "x", "acupuncture_vs_sham")["overall"] == "low"
    assert rob_for(frame, "white2004", "x", "acupuncture_vs_usual_care") is None


def test_unknown_study_and_missing_column():
    with pytest.raises(DataError, match="row 2: study_id 'x2001' is not in data/studies.csv"):
        parse_rob(table(row(study_id="x2001")), study_ids={"white2004"})
    with pytest.raises(DataError, match="row 1: missing column"):
        parse_rob([["study_id"], ["white2004"]])


# -- issue 14: RoB 2's crossover variant and the corrected judgements --------------------------

def test_crossover_domain_joins_the_overall_algorithm():
    # RoB 2 for crossover trials (Higgins, Li & Sterne 2021): domain S, period and carryover
    from evidence.rob import CROSSOVER_COLUMNS, NOT_APPLICABLE

    header = list(COLUMNS) + ["comparison"] + list(CROSSOVER_COLUMNS)
    parallel = row() + ["*", "not_applicable", NOT_APPLICABLE]
    frame = parse_rob([header, parallel])
    assert frame.loc[2, "ds"] == "not_applicable"
    # a high domain S makes the overall high, as any other domain
    crossover = row(study_id="irnich2002", overall="low") + [
        "*", "high", '(unlabelled): "crossover trial"']
    with pytest.raises(DataError, match="row 3: overall 'low' does not follow the RoB 2 algorithm "
                                        "for domains low, low, low, low, low, high"):
        parse_rob([header, parallel, crossover])
    with pytest.raises(DataError, match="row 2: ds_support must be"):
        parse_rob([header, row() + ["*", "some_concerns", NOT_APPLICABLE]])
    with pytest.raises(DataError, match="row 2: ds .* is 'maybe'"):
        parse_rob([header, row() + ["*", "maybe", '(unlabelled): "x"']])
    with pytest.raises(DataError, match="row 1: the crossover domain needs both columns"):
        parse_rob([list(COLUMNS) + ["ds"], row() + ["not_applicable"]])
    # a table without the columns reads as before: every row parallel
    assert parse_rob(table(row())).loc[2, "ds"] == "not_applicable"


def test_shipped_corrections_vas_irnich_endres():
    from conftest import DATA

    from evidence.review import load_rob
    from evidence.settings import load_settings

    rob = load_rob(load_settings(environ={"EVIDENCE_DATA": str(DATA),
                                          "EVIDENCE_SNAPSHOT": str(DATA / "pubmed")}))
    vas = rob_for(rob, "vas2006", "motion_related_pain")
    # "a single blind prospective study": who was blinded is not said -> some concerns
    assert vas["d2"] == "some_concerns" and "single blind" in vas["d2_support"]
    endres = rob_for(rob, "endres2007", "responder_50pct")
    # "In the intent-to-treat analysis (all 409 patients)" -> missing outcome data low
    assert endres["d3"] == "low" and "all 409 patients" in endres["d3_support"]
    irnich = rob_for(rob, "irnich2002", "motion_related_pain")
    # crossover: domain S judged; the combined control is indirectness (GRADE), not d5
    assert irnich["ds"] == "some_concerns" and "carry-over" in irnich["ds_support"]
    assert irnich["d5"] == "no_information" and "indirectness" in irnich["d5_support"]
    assert irnich["overall"] == "some_concerns"
    assert (rob.loc[rob["study_id"] != "irnich2002", "ds"] == "not_applicable").all()

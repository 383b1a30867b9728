"""Deduplication, eligibility screening and the PRISMA 2020 counts and flow diagram.

Expected values are worked out by hand from small frames written here, from
the criteria in data/eligibility.yaml, and from the PRISMA 2020 arithmetic
(identified - duplicates = screened; screened - excluded = included).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evidence import designs, screening  # noqa: E402
from evidence.errors import DataError  # noqa: E402
from evidence.records import read_records  # noqa: E402

from conftest import DATA, SNAPSHOT  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def records():
    return read_records(SNAPSHOT / "records.xml")


@pytest.fixture(scope="module")
def criteria():
    return screening.load_criteria(DATA / "eligibility.yaml")


def _frame(rows):
    cols = ["pmid", "doi", "title", "abstract", "publication_types", "mesh_terms", "keywords",
            "language", "year"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


# ---------------------------------------------------------------------------------- criteria


def test_criteria_file(criteria):
    assert set(criteria.design_questions) == {"systematic_review", "rct", "non_randomised_trial",
                                              "observational"}
    assert set(criteria.design_questions) | set(criteria.design_reasons) == set(designs.DESIGNS)
    assert criteria.design_questions["observational"] == ("safety",)
    effectiveness = criteria.questions["effectiveness"]
    assert {"tension_type_headache", "neck_pain", "both"} <= set(effectiveness.conditions)
    assert "other" not in effectiveness.conditions
    assert criteria.questions["safety"].conditions is None and criteria.questions["safety"].topic
    assert "eng" in criteria.languages and criteria.humans_only
    table = criteria.summary_frame()
    assert table.loc["protocol", "exclusion_reason"] and not table.loc["protocol", "eligible"]


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("[tension_type_headache, neck_pain, both, chronic_pain]",
                         "[tension_type_headache, migraine]"), "'migraine' is not one of"),
    (lambda t: t.replace("observational: [safety]", "observational: [harms]"),
     "designs.observational names question 'harms'"),
    (lambda t: t.replace("  guideline: \"guideline: recommendations, not primary evidence\"\n", ""),
     "designs.guideline is missing"),
    (lambda t: t + "\n  : : [\n", "not valid YAML"),
    (lambda t: t.replace("humans_only: true", "humans_only: maybe"), "must be true or false"),
])
def test_criteria_errors_name_the_problem(tmp_path, edit, message):
    text = (DATA / "eligibility.yaml").read_text(encoding="utf-8")
    path = tmp_path / "eligibility.yaml"
    path.write_text(edit(text), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    with pytest.raises(DataError, match=message):
        screening.load_criteria(path)


# ---------------------------------------------------------------------------------- deduplication


def test_normalise_doi():
    assert screening.normalise_doi(" https://doi.org/10.1136/BMJ.X ") == "10.1136/bmj.x"
    assert screening.normalise_doi("doi: 10.1/A") == "10.1/a"
    assert screening.normalise_doi(None) == ""


def test_deduplicate_by_pmid_and_doi_across_searches():
    q1 = _frame([("1", "10.1/X", "a", "", "", "", "", "eng", 2001),
                 ("2", "", "b", "", "", "", "", "eng", 2002)])
    q2 = _frame([("1", "", "a again", "", "", "", "", "eng", 2001),      # same PMID as q1 #1
                 ("3", "https://doi.org/10.1/x", "c", "", "", "", "", "eng", 2003),  # same DOI
                 ("4", "10.9/d", "d", "", "", "", "", "eng", 2004)])
    q3 = _frame([("5", "10.9/D", "e", "", "", "", "", "eng", 2005),       # DOI of #4
                 ("", "", "no ids", "", "", "", "", "eng", 2006),
                 ("", "", "no ids", "", "", "", "", "eng", 2006)])         # never merged
    result = screening.deduplicate([("q1", q1), ("q2", q2), ("q3", q3)])
    assert result.identified == 8
    assert result.identified_by_source == (("q1", 2), ("q2", 3), ("q3", 3))
    assert result.duplicates_removed == 3
    assert result.records["pmid"].tolist() == ["1", "2", "4", "", ""]
    assert result.records["queries"].tolist() == ["q1; q2", "q1", "q2; q3", "q3", "q3"]
    dup = result.duplicates.set_index("pmid")
    assert dup.loc["3", "matched_on"] == "doi" and dup.loc["3", "kept_pmid"] == "1"
    assert dup.loc["1", "matched_on"] == "pmid" and dup.loc["5", "kept_pmid"] == "4"
    summary = result.summary_frame()["n"]
    assert summary["identified (all searches)"] == 8 and summary["unique records"] == 5

    stacked = pd.concat([q1.assign(query="q1"), q2.assign(query="q2"), q3.assign(query="q3")])
    again = screening.deduplicate(stacked)
    assert again.records["pmid"].tolist() == result.records["pmid"].tolist()
    assert again.identified_by_source == result.identified_by_source


def test_deduplicate_links_through_a_third_record():
    # A and C share nothing, but B shares A's PMID and C's DOI: all three are one record.
    frame = _frame([("1", "10.5/a", "A", "", "", "", "", "eng", 2000),
                    ("2", "10.5/c", "C", "", "", "", "", "eng", 2000),
                    ("1", "10.5/C", "B", "", "", "", "", "eng", 2000)]).assign(query="q")
    result = screening.deduplicate(frame)
    assert result.records["title"].tolist() == ["A"]
    assert dict(zip(result.duplicates["pmid"], result.duplicates["matched_on"])) == {
        "2": "linked", "1": "pmid"}


def test_deduplicate_input_errors(records):
    with pytest.raises(DataError, match="no 'query' column"):
        screening.deduplicate(records)
    with pytest.raises(DataError, match="same name"):
        screening.deduplicate([("a", records), ("a", records)])
    with pytest.raises(DataError, match="pair"):
        screening.deduplicate([records])


# ---------------------------------------------------------------------------------- screening


def test_snapshot_screening_gives_a_reason_for_every_exclusion(records, criteria):
    result = screening.screen(records, criteria=criteria)
    d = result.decisions
    assert len(d) == len(records) and d["pmid"].tolist() == records["pmid"].tolist()
    assert (d.loc[~d["included"], "reason"].str.len() > 0).all()
    assert (d.loc[d["included"], "reason"] == "").all()
    assert (d.loc[d["included"], "questions"].str.len() > 0).all()
    assert set(d.loc[d["included"], "design"]) <= set(criteria.design_questions)
    eff = d[d["included"] & (d["questions"] == "effectiveness")]
    assert set(eff["condition"]) <= set(criteria.questions["effectiveness"].conditions)
    assert int(result.reasons().sum()) == len(result.excluded)
    # every protocol and narrative review of the labelled snapshot is excluded for its design
    labels = designs.load_labels(DATA / "labels.csv").set_index("pmid")
    for pmid in labels.index[labels["design"].isin(["protocol", "narrative_review"])]:
        row = d.set_index("pmid").loc[pmid]
        assert not row["included"] and row["reason"] == criteria.design_reasons[row["design"]]


def test_screening_rules_on_new_records(criteria):
    frame = _frame([
        ("11", "", "Acupuncture for neck pain: a randomised sham-controlled trial", "", "", "", "",
         "chi", 2010),
        ("12", "", "Electroacupuncture in rats with neck muscle pain", "Rats were needled.", "",
         "Animals", "", "eng", 2011),
        ("13", "", "Adverse events after acupuncture: a prospective survey", "", "", "", "",
         "eng", 2012),
        ("14", "", "Acupuncture use in a national cohort", "A cohort of 5000 adults.", "", "", "",
         "eng", 2013),
        ("15", "", "Acupuncture for tension-type headache: study protocol for a randomised trial",
         "", "", "", "", "eng", 2014),
        ("16", "", "Acupuncture for migraine: a systematic review", "", "", "", "", "eng", 2015),
        ("17", "", "Acupuncture for whiplash: a randomised trial", "", "", "", "", "ger", 2016),
    ])
    result = screening.screen(frame, criteria=criteria).decisions.set_index("pmid")
    assert result.loc["11", "reason"] == f"{criteria.language_reason} (chi)"
    assert result.loc["12", "reason"] == criteria.participants_reason
    assert result.loc["13", "included"] and result.loc["13", "questions"] == "safety"
    assert result.loc["14", "reason"] == criteria.questions["safety"].reason
    assert result.loc["15", "reason"] == criteria.design_reasons["protocol"]
    assert result.loc["16", "reason"] == f"{criteria.questions['effectiveness'].reason} (other)"
    assert result.loc["17", "included"] and result.loc["17", "questions"] == "effectiveness"


def test_screen_uses_a_given_classification(records, criteria):
    classified = designs.classify(records, columns="detail")
    flipped = classified.assign(design="protocol")
    result = screening.screen(records, criteria=criteria, classified=flipped)
    assert not result.decisions["included"].any()
    with pytest.raises(DataError, match="no row for PMID"):
        screening.screen(records, criteria=criteria, classified=classified.iloc[1:])


# ---------------------------------------------------------------------------------- PRISMA


def test_prisma_counts_add_up(records, criteria):
    dedup = screening.deduplicate([("search A", records), ("search B", records.head(10))])
    result = screening.screen(dedup.records, criteria=criteria)
    counts = screening.prisma_counts(dedup, result, source_label="PubMed, searched 2026-01-01")
    assert counts.identified == len(records) + 10
    assert counts.identified_by_source == (("search A", len(records)), ("search B", 10))
    assert counts.duplicates_removed == 10
    assert counts.screened == len(records)
    assert counts.included + counts.excluded == counts.screened
    assert counts.included == int(result.decisions["included"].sum())
    assert sum(n for _, n in counts.excluded_by_reason) == counts.excluded
    assert sum(n for _, n in counts.included_by_design) == counts.included
    frame = counts.summary_frame()
    assert frame.iloc[0]["item"] == "PubMed, searched 2026-01-01"
    assert frame.iloc[0]["n"] == counts.identified
    assert set(frame["stage"]) == {"identification", "screening", "included"}


def test_prisma_counts_refuse_inconsistent_numbers():
    good = dict(source_label="x", identified=10, identified_by_source=(("x", 10),),
                duplicates_removed=2, screened=8, excluded=3, excluded_by_reason=(("r", 3),),
                included=5, included_by_design=(("rct", 5),))
    screening.PrismaCounts(**good)
    with pytest.raises(ValueError, match="!= screened"):
        screening.PrismaCounts(**{**good, "screened": 9})
    with pytest.raises(ValueError, match="!= included"):
        screening.PrismaCounts(**{**good, "included": 4, "included_by_design": (("rct", 4),)})
    with pytest.raises(ValueError, match="reasons"):
        screening.PrismaCounts(**{**good, "excluded_by_reason": (("r", 2),)})
    with pytest.raises(ValueError, match="source_label"):
        screening.PrismaCounts(**{**good, "source_label": " "})


def _texts(ax):
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def test_prisma_flow_diagram_shows_the_numbers(records, criteria):
    dedup = screening.deduplicate([("snapshot", records)])
    result = screening.screen(dedup.records, criteria=criteria)
    counts = screening.prisma_counts(dedup, result, source_label=screening.SNAPSHOT_SOURCE_LABEL)
    fig, given = plt.subplots()
    ax = screening.prisma_flow(counts, ax=given)
    assert ax is given
    texts = _texts(ax)
    assert texts["box:identified"].startswith(screening.SNAPSHOT_SOURCE_LABEL)
    assert f"(n = {len(records)})" in texts["box:identified"]
    assert "(n = 0)" in texts["box:duplicates"]
    assert f"(n = {counts.screened})" in texts["box:screened"]
    assert f"(n = {counts.excluded})" in texts["box:excluded"]
    for reason, n in counts.excluded_by_reason:
        assert f"{reason}: {n}" in texts["box:excluded"]
    assert f"(n = {counts.included})" in texts["box:included"]
    arrows = sorted(a.get_gid() for a in ax.texts if (a.get_gid() or "").startswith("arrow:"))
    assert arrows == ["arrow:identified->duplicates", "arrow:identified->screened",
                      "arrow:screened->excluded", "arrow:screened->included"]
    # arrows point downwards / rightwards, between the boxes
    for a in ax.texts:
        if (a.get_gid() or "").startswith("arrow:"):
            (x0, y0), (x1, y1) = a.xyann, a.xy
            assert (x1 > x0 and y1 == y0) or (y1 < y0 and x1 == x0)
    # no two boxes overlap, even on a small default-size Axes
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts
             if (t.get_gid() or "").startswith("box:")]
    assert len(boxes) == 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_prisma_flow_makes_its_own_figure_and_lists_sources():
    counts = screening.PrismaCounts(
        source_label="PubMed searches", identified=7, identified_by_source=(("A", 4), ("B", 3)),
        duplicates_removed=1, screened=6, excluded=2, excluded_by_reason=(("r", 2),), included=4,
        included_by_design=(("rct", 4),))
    ax = screening.prisma_flow(counts)
    assert "A: 4" in _texts(ax)["box:identified"] and "B: 3" in _texts(ax)["box:identified"]
    with pytest.raises(ValueError, match="source_label"):
        screening.prisma_counts(None, None, source_label="")

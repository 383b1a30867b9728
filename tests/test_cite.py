"""Citations: Vancouver text, links, and RIS / BibTeX / CSL-JSON exports read back by outside parsers.

The expected Vancouver strings below were written by hand from the rules of
Citing Medicine (Patrias K. Citing Medicine: The NLM Style Guide for Authors,
Editors, and Publishers. 2nd ed. Bethesda (MD): National Library of Medicine
(US); 2007. https://www.ncbi.nlm.nih.gov/books/NBK7256/), chapter 1
(journals: "Author AA, Author BB. Title of article. Abbreviated journal
title. Year;Volume(Issue):Pages.", with pages as MEDLINE abbreviates them,
e.g. 248-55; an organization among the authors set off by semicolons; a
journal without volumes written "2009;(1):CD007587"; a non-English article's
language after the pages) and chapter 2 (books: "Author. Title of chapter.
In: Title of book. Place: Publisher; Year."; "[place unknown]" when the place
is not known), with the ICMJE sample references' limit of six authors then
"et al." (https://www.nlm.nih.gov/bsd/uniform_requirements.html) and
PubMed's "NLM" citation tail for identifiers ("doi: 10.x. PMID: n; PMCID:
PMCn."). They were not produced by running the code.

The exports are parsed back with PyPI parsers (rispy for RIS, bibtexparser 2
for BibTeX) and CSL-JSON is validated with jsonschema against
``tests/fixtures/csl/csl-data-minimal.json``, a hand-written schema (see its
``$comment``) restating the official csl-data.json rules for the variables
written; the official schema file is not shipped with the tests.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pandas as pd
import pytest

from evidence import cite
from evidence.records import parse_records, read_records

from conftest import FIXTURES, SNAPSHOT

HANDMADE = FIXTURES / "handmade"


@pytest.fixture(scope="module")
def records():
    return read_records(SNAPSHOT / "records.xml")


def _row(frame, pmid):
    hit = frame[frame["pmid"] == pmid]
    assert len(hit) == 1, pmid
    return hit.iloc[0]


def _fixture(name):
    return parse_records(HANDMADE / f"{name}.xml")


# -- Vancouver ----------------------------------------------------------------------
VANCOUVER = {
    # two authors, complete list; pages abbreviated as MEDLINE gives them
    "9758075": "Birch S, Jamison RN. Controlled trial of Japanese acupuncture for chronic myofascial "
               "neck pain: assessment of specific and nonspecific effects of treatment. Clin J Pain. "
               "1998;14(3):248-55. doi: 10.1097/00002508-199809000-00012. PMID: 9758075.",
    # eight authors: the first six, then et al.; a PMC id
    "15023828": "Vickers AJ, Rees RW, Zollman CE, McCarney R, Smith CM, Ellis N, et al. Acupuncture for "
                "chronic headache in primary care: large, pragmatic, randomised trial. BMJ. "
                "2004;328(7442):744. doi: 10.1136/bmj.38029.421863.EB. PMID: 15023828; PMCID: PMC381326.",
    # exactly six authors: no et al.; Cochrane Database Syst Rev has no volume
    "19160338": "Linde K, Allais G, Brinkhaus B, Manheimer E, Vickers A, White AR. Acupuncture for "
                "tension-type headache. Cochrane Database Syst Rev. 2009;(1):CD007587. "
                "doi: 10.1002/14651858.CD007587. PMID: 19160338; PMCID: PMC3099266.",
    # author list incomplete in the snapshot: et al. after the one listed author
    "11128820": "White A, et al. Acupuncture for episodic tension-type headache: a multicentre "
                "randomized controlled trial. Cephalalgia. 2000;20(7):632-7. "
                "doi: 10.1111/j.1468-2982.2000.00097.x. PMID: 11128820. "
                "[Incomplete citation: author list cut short]",
    # incomplete list, no volume, issue or pages in the record
    "12237186": "Irnich D, et al. Immediate effects of dry needling and acupuncture at distant points in "
                "chronic neck pain: results of a randomized, double-blind, sham-controlled crossover "
                "trial. Pain. 2002. doi: 10.1016/s0304-3959(02)00062-3. PMID: 12237186. "
                "[Incomplete citation: author list cut short; no volume or pages]",
    # a title ending in "?" takes no full stop; no ISO abbreviation: the full journal title;
    # the record's full last page (807-812) written as NLM does (807-12)
    "20842006": "Ceccherelli F, Gioioso L, Casale R, Gagliardi G, Ori C. Neck pain treatment with "
                "acupuncture: does the number of needles matter? Clinical Journal of Pain. "
                "2010;26(9):807-12. doi: 10.1097/AJP.0b013e3181e375c9. PMID: 20842006.",
    # a volume without an issue
    "17156464": "Salter GC, Roman M, Bland MJ, MacPherson H. Acupuncture for chronic neck pain: a pilot "
                "for a randomised controlled trial. BMC Musculoskelet Disord. 2006;7:99. "
                "doi: 10.1186/1471-2474-7-99. PMID: 17156464; PMCID: PMC1713236.",
}


@pytest.mark.parametrize("pmid", sorted(VANCOUVER))
def test_vancouver_snapshot_records(records, pmid):
    assert cite.vancouver(_row(records, pmid)) == VANCOUVER[pmid]


def test_vancouver_full_date_keeps_month(records):
    text = cite.vancouver(_row(records, "9758075"), date="full")
    assert "Clin J Pain. 1998 Sep;14(3):248-55." in text


def test_vancouver_bad_date_option(records):
    with pytest.raises(ValueError, match="date must be 'year' or 'full'"):
        cite.vancouver(_row(records, "9758075"), date="month")


def test_vancouver_collective_authors_set_off_by_semicolons():
    row = _fixture("collective_mixed_authors").iloc[0]
    assert cite.vancouver(row) == (
        "Vickers AJ; Example Acupuncture Trialists' Collaboration; van der Berg K; EXAMPLE Study Group. "
        "Individual patient data meta-analysis of acupuncture for chronic pain. Ex Trials J. "
        "2021;20(3):e100. doi: 10.5555/extj.2021.100. PMID: 99000003."
    )


def test_vancouver_non_english_article_names_its_language():
    row = _row(_fixture("non_ascii"), "99000009")
    assert cite.vancouver(row) == (
        "Wang L, Chen XM. [Electroacupuncture at Zusanli (ST 36) for postoperative ileus: a randomized "
        "controlled trial]. Zhongguo Zhen Jiu Ex. 2016;36(5):449-53. Chinese. PMID: 99000009."
    )


def test_vancouver_book_chapter():
    row = _fixture("book_article").iloc[0]
    assert cite.vancouver(row) == (
        "Doe JQ, Roe R. Fictional Example Syndrome Type 1. In: GeneReviews®. [place unknown]: "
        "University of Washington, Seattle; 1993. PMID: 99000001."
    )
    with_place = row.copy()
    with_place["publisher_place"] = "Seattle (WA)"
    assert "In: GeneReviews®. Seattle (WA): University of Washington, Seattle; 1993." in cite.vancouver(with_place)


def test_vancouver_more_than_six_authors_even_when_list_incomplete():
    row = {"authors": "; ".join(f"Author{i} A" for i in range(1, 9)), "authors_complete": False,
           "title": "T", "journal_iso": "J", "year": 2020, "pmid": "1"}
    assert cite.vancouver(row).startswith(
        "Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, Author6 A, et al. T. J. 2020. PMID: 1.")


def test_vancouver_of_a_plain_dict_with_missing_values():
    row = {"pmid": "5", "title": "Only a title", "authors": None, "year": pd.NA, "journal_iso": float("nan")}
    assert cite.vancouver(row) == ("Only a title. [date unknown]. PMID: 5. "
                                   "[Incomplete citation: no authors; no journal; no volume or pages]")


# -- links and pages ------------------------------------------------------------------
def test_links(records):
    assert cite.links(_row(records, "15023828")) == {
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/15023828/",
        "doi": "https://doi.org/10.1136/bmj.38029.421863.EB",
        "pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC381326/",
    }
    no_pmc_no_doi = cite.links(_row(records, "16781068"))
    assert no_pmc_no_doi == {"pubmed": "https://pubmed.ncbi.nlm.nih.gov/16781068/", "doi": None, "pmc": None}
    # parentheses are legal in a URL; "#", "?", "<", ">" and spaces are not
    assert cite.links(_row(records, "12237186"))["doi"] == "https://doi.org/10.1016/s0304-3959(02)00062-3"
    odd = cite.links({"pmid": "1", "doi": "10.5555/a#b?c<d> e"})
    assert odd["doi"] == "https://doi.org/10.5555/a%23b%3Fc%3Cd%3E%20e"


@pytest.mark.parametrize("pages, expected", [
    ("248-55", ("248", "255")),
    ("632-7", ("632", "637")),
    ("2038-47", ("2038", "2047")),
    ("98-106", ("98", "106")),
    ("485-486", ("485", "486")),
    ("E1659-65", ("E1659", "E1665")),
    ("e1560-e1569", ("e1560", "e1569")),
    ("S26-32", ("S26", "S32")),
    ("744", ("744", "")),
    ("CD007587", ("CD007587", "")),
    ("e77438", ("e77438", "")),
    ("1-5, 10-12", ("1", "5")),
    ("", ("", "")),
])
def test_page_range(pages, expected):
    assert cite.page_range(pages) == expected


# NLM's own examples: MEDLINE Indexing Manual, chapter 10 (Pagination),
# https://www.nlm.nih.gov/mesh/indman/chapter_10.html -- "12-19 is typed 12-9, 21-30 is typed
# 21-30, 304-310 is typed 304-10, 645-648 is typed 645-8, 1199-1205 is typed 1199-205", and
# "34-6, 87-91, 110-2" for non-sequential pages. Citing Medicine (NBK7256, chapter 1, Pagination)
# gives the same rule: "123-35" for pages 123 to 135.
@pytest.mark.parametrize("pages, expected", [
    ("12-19", "12-9"), ("21-30", "21-30"), ("304-310", "304-10"), ("645-648", "645-8"),
    ("1199-1205", "1199-205"), ("123-135", "123-35"), ("1021-1029", "1021-9"), ("123-145", "123-45"),
    # already in NLM form: unchanged
    ("248-55", "248-55"), ("34-6, 87-91, 110-2", "34-6, 87-91, 110-2"), ("98-106", "98-106"),
    # a list of full ranges, each elided
    ("34-36, 87-91", "34-6, 87-91"),
    ("e1560-e1569", "e1560-9"), ("S26-32", "S26-32"), ("744", "744"), ("CD007587", "CD007587"),
    ("", ""),
])
def test_nlm_pages(pages, expected):
    assert cite.nlm_pages(pages) == expected


def test_vancouver_elides_pages_the_record_gives_in_full():
    row = {"authors": "Smith A", "title": "T", "journal_iso": "J", "year": 2001, "volume": "3",
           "pages": "1021-1029", "pmid": "1"}
    assert cite.vancouver(row) == "Smith A. T. J. 2001;3:1021-9. PMID: 1."


@pytest.mark.parametrize("extra, missing", [
    ({}, ()),
    ({"authors_complete": False}, ("authors",)),
    ({"authors": ""}, ("authors",)),
    ({"journal_iso": "", "journal": ""}, ("journal",)),
    ({"volume": "", "pages": ""}, ("volume or pages",)),
])
def test_incomplete_citations_are_named(extra, missing):
    row = {"authors": "Smith A", "title": "T", "journal_iso": "J", "year": 2001, "volume": "3",
           "pages": "5-9", "pmid": "1"} | extra
    assert cite.incomplete(row) == missing
    text = cite.vancouver(row)
    assert ("[Incomplete citation:" in text) == bool(missing)
    assert "[Incomplete citation" not in cite.vancouver(row, flag=False)


# -- RIS ----------------------------------------------------------------------------
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - ")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_ris_parses_back_with_rispy(records, newline):
    import rispy  # dev extra: the parse-back check must run, not skip
    text = cite.to_ris(records, newline=newline)
    lines = text.split(newline)
    assert all(RIS_LINE.match(line) for line in lines if line), "every non-blank line is 'TAG  - value'"
    assert "\r" not in text.replace("\r\n", "") and (newline == "\r\n" or "\r" not in text)
    assert text.count("ER  - ") == len(records) and lines[0] == "TY  - JOUR"
    entries = rispy.loads(text)
    assert len(entries) == len(records)
    by_an = {e["accession_number"]: e for e in entries}
    assert set(by_an) == set(records["pmid"])
    birch = by_an["9758075"]
    assert birch["type_of_reference"] == "JOUR"
    assert birch["authors"] == ["Birch, S.", "Jamison, R. N."]
    assert birch["title"].startswith("Controlled trial of Japanese acupuncture")
    assert birch["secondary_title"] == "The Clinical journal of pain"
    assert birch["journal_name"] == "Clin J Pain"
    assert (birch["year"], birch["volume"], birch["number"]) == ("1998", "14", "3")
    assert (birch["start_page"], birch["end_page"]) == ("248", "255")
    assert birch["doi"] == "10.1097/00002508-199809000-00012"
    assert birch["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/9758075/"]
    assert birch["abstract"].startswith("OBJECTIVE: This article examines")
    assert "\n" not in birch["abstract"]
    assert by_an["21494196"]["end_page"] == "E1665"
    assert "end_page" not in by_an["15023828"]  # a single page: SP only


def test_ris_book_and_collective_names():
    import rispy  # dev extra: the parse-back check must run, not skip
    frame = pd.concat([_fixture("book_article"), _fixture("collective_mixed_authors")], ignore_index=True)
    book, article = rispy.loads(cite.to_ris(frame))
    assert book["type_of_reference"] == "CHAP"
    assert book["secondary_title"] == "GeneReviews®" and book["publisher"] == "University of Washington, Seattle"
    assert article["authors"] == [
        "Vickers, A. J.", "Example Acupuncture Trialists' Collaboration", "van der Berg, K.", "EXAMPLE Study Group"]


def test_ris_bad_newline(records):
    with pytest.raises(ValueError, match="newline"):
        cite.to_ris(records, newline="\r")


# -- BibTeX -------------------------------------------------------------------------
def _parse_bibtex(text):
    import bibtexparser  # dev extra (>= 2.0)
    from bibtexparser import middlewares as m

    library = bibtexparser.parse_string(
        text, append_middleware=[m.LatexDecodingMiddleware(), m.SeparateCoAuthors(), m.SplitNameParts()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_bibtex_parses_back_with_bibtexparser(records):
    text = cite.to_bibtex(records)
    library = _parse_bibtex(text)
    assert len(library.entries) == len(records)
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys)
    birch = library.entries[0]
    assert birch.key == "birch1998controlled" and birch.entry_type == "article"
    assert [(n.last, n.first) for n in birch["author"]] == [(["Birch"], ["S."]), (["Jamison"], ["R.", "N."])]
    assert birch["title"] == (
        "Controlled trial of Japanese acupuncture for chronic myofascial neck pain: "
        "assessment of specific and nonspecific effects of treatment")
    assert birch["journal"] == "The Clinical journal of pain" and birch["shortjournal"] == "Clin J Pain"
    assert (birch["year"], birch["volume"], birch["number"]) == ("1998", "14", "3")
    assert "pages = {248--255}" in text and birch["pages"] == "248–255"  # "--" decodes to an en dash
    assert birch["doi"] == "10.1097/00002508-199809000-00012" and birch["pmid"] == "9758075"
    # capitals that matter are brace-protected in the file
    assert "title = {Controlled trial of {Japanese} acupuncture" in text
    # UTF-8 kept, and an ASCII key
    baumler = next(e for e in library.entries if e["pmid"] == "34489268")
    assert baumler.key == "baumler2021acupuncture"
    assert baumler["author"][0].last == ["Bäumler"] and baumler["author"][2].last == ["Stübinger"]
    # "%" in the abstract is escaped in the file and decoded back
    assert r"9.31\% (95\% CI" in text and "9.31% (95% CI" in baumler["abstract"]
    # an incomplete author list ends with "and others"
    white = next(e for e in library.entries if e["pmid"] == "11128820")
    assert white.fields_dict["author"].value[-1].last == ["others"]


@pytest.mark.parametrize("title, braces", [
    (r"Costs & effects: 50% of {needles} at $5, #1 item_a ~ b^2 \ c", r"\{needles\}"),
    ("An unpaired } brace and { another", r"\textbraceright{} brace and \textbraceleft{}"),
])
def test_bibtex_escapes_special_characters(title, braces):
    row = {"pmid": "1", "title": title, "authors": "Doe J", "year": 2020, "journal": "J & K", "journal_iso": "J K"}
    text = cite.to_bibtex([row])
    for char in "&%$#_":
        if char in title:
            assert "\\" + char in text
    if "~" in title:
        assert r"\textasciitilde{}" in text and r"\textasciicircum{}" in text and r"\textbackslash{}" in text
    assert braces in text
    assert r"journal = {J \& K}" in text
    # BibTeX counts every brace: each field's braces must pair up
    assert text.count("{") == text.count("}")
    entry = _parse_bibtex(text).entries[0]
    decoded = entry["title"].replace("\u02c6", "^")  # pylatexenc reads \textasciicircum{} as U+02C6
    if braces.startswith(r"\{"):
        assert " ".join(decoded.split()) == " ".join(title.split())
    assert entry["journal"] == "J & K"


def test_bibtex_keys_unique_and_collective_names_braced():
    rows = [
        {"pmid": "1", "title": "The trial of needles", "authors": "Birch S", "year": 1998},
        {"pmid": "2", "title": "Trial of moxa", "authors": "Birch S", "year": 1998},
        {"pmid": "3", "title": "Trial three", "authors": "Birch S", "year": 1998},
        {"pmid": "4", "title": "Trials and tribulations", "authors": "EXAMPLE Study Group; Doe J", "year": None},
    ]
    assert cite.bibtex_keys(rows) == ["birch1998trial", "birch1998triala", "birch1998trialb", "examplendtrials"]
    text = cite.to_bibtex(rows)
    assert "author = {{EXAMPLE Study Group} and Doe, J.}" in text
    entries = _parse_bibtex(text).entries
    assert [e.key for e in entries] == cite.bibtex_keys(rows)
    assert len(entries[3]["author"]) == 2  # the group is one name, not split at its spaces


def test_bibtex_book_chapter():
    entry = _parse_bibtex(cite.to_bibtex(_fixture("book_article"))).entries[0]
    assert entry.entry_type == "incollection"
    assert entry["booktitle"] == "GeneReviews®" and entry["publisher"] == "University of Washington, Seattle"


# -- CSL-JSON -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def csl_schema():
    schema = json.loads((FIXTURES / "csl" / "csl-data-minimal.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def test_csl_json_validates_and_carries_the_fields(records, csl_schema):
    items = cite.to_csl_json(records)
    jsonschema.validate(items, csl_schema)
    assert len({i["id"] for i in items}) == len(items)
    birch = items[0]
    assert birch == {
        "id": "birch1998controlled",
        "type": "article-journal",
        "title": records.iloc[0]["title"],
        "author": [{"family": "Birch", "given": "S."}, {"family": "Jamison", "given": "R. N."}],
        "issued": {"date-parts": [[1998, 9]]},
        "container-title": "The Clinical journal of pain",
        "container-title-short": "Clin J Pain",
        "volume": "14",
        "issue": "3",
        "page": "248-255",
        "DOI": "10.1097/00002508-199809000-00012",
        "PMID": "9758075",
        "URL": "https://pubmed.ncbi.nlm.nih.gov/9758075/",
        "abstract": records.iloc[0]["abstract"],
    }
    linde = next(i for i in items if i["PMID"] == "19160338")
    assert linde["issued"] == {"date-parts": [[2009, 1, 21]]} and linde["PMCID"] == "PMC3099266"
    assert "volume" not in linde


def test_csl_json_collective_names_books_and_string_writer(csl_schema):
    frame = pd.concat([_fixture(n) for n in ("collective_mixed_authors", "book_article", "forename_no_initials")],
                      ignore_index=True)
    items = json.loads(cite.to_csl_json_string(frame))
    jsonschema.validate(items, csl_schema)
    assert items[0]["author"] == [
        {"family": "Vickers", "given": "A. J."}, {"literal": "Example Acupuncture Trialists' Collaboration"},
        {"family": "van der Berg", "given": "K."}, {"literal": "EXAMPLE Study Group"}]
    assert items[1]["type"] == "chapter" and items[1]["container-title"] == "GeneReviews®"
    assert items[1]["publisher"] == "University of Washington, Seattle"
    assert {"family": "Plato"} in items[2]["author"]


def test_csl_json_rejects_unknown_keys_in_test_schema(records, csl_schema):
    item = dict(cite.to_csl_json(records.iloc[:1])[0], journal="x")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([item], csl_schema)


# -- export ---------------------------------------------------------------------------
def test_export_formats_and_bad_option(records):
    few = records.iloc[:2]
    assert cite.export(few, "ris").startswith("TY  - JOUR")
    assert cite.export(few, "bib").startswith("@article{birch1998controlled,")
    assert json.loads(cite.export(few, "csl-json"))[0]["PMID"] == "9758075"
    assert cite.export(few, "vancouver").splitlines()[0] == "1. " + VANCOUVER["9758075"]
    with pytest.raises(ValueError, match="fmt must be one of ris, bibtex, csl-json, vancouver, got 'endnote'"):
        cite.export(few, "endnote")

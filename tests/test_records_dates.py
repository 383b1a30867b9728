"""Dates in efetch XML are validated (issue 10, item 10): an impossible one refuses the record."""

import pytest

from evidence.errors import ParseError
from evidence.records import parse_records


def doc(pub_date: str, article_date: str = "", pmid: str = "11") -> bytes:
    return (f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal>"
            f"<JournalIssue><PubDate>{pub_date}</PubDate></JournalIssue><Title>J</Title></Journal>"
            f"<ArticleTitle>T</ArticleTitle>{article_date}</Article></MedlineCitation></PubmedArticle>"
            "</PubmedArticleSet>").encode()


def test_a_23_digit_year_is_refused_naming_the_record():
    with pytest.raises(ParseError, match=r"record 1 \(PMID 11\): PubDate <Year>1{20}\.\.\. \(23 characters\)"
                                         r"</Year> is not a four-digit year"):
        parse_records(doc("<Year>" + "1" * 23 + "</Year>"))


@pytest.mark.parametrize("pub_date, message", [
    ("<Year>2020</Year><Month>13</Month>", r"PubDate <Month>13</Month> is not a month"),
    ("<Year>2020</Year><Month>0</Month>", r"PubDate <Month>0</Month> is not a month"),
    ("<Year>2020</Year><Month>Jan</Month><Day>32</Day>", r"PubDate <Day>32</Day> is not a day"),
    ("<Year>20x0</Year>", r"PubDate <Year>20x0</Year> is not a four-digit year"),
    ("<Year>٢٠٢٠</Year>", r"is not a four-digit year"),  # Arabic-Indic digits pass str.isdigit
])
def test_impossible_pub_dates_are_refused(pub_date, message):
    with pytest.raises(ParseError, match=message):
        parse_records(doc(pub_date))


@pytest.mark.parametrize("article_date, message", [
    ("<ArticleDate><Year>2020</Year><Month>13</Month><Day>01</Day></ArticleDate>", r"<Month>13</Month> is not a month"),
    ("<ArticleDate><Year>2021</Year><Month>02</Month><Day>29</Day></ArticleDate>", r"ArticleDate 2021-02-29 is not a date"),
])
def test_impossible_article_dates_are_refused_not_stored(article_date, message):
    with pytest.raises(ParseError, match=message):
        parse_records(doc("<Year>2020</Year>", article_date))


def test_possible_dates_are_kept():
    frame = parse_records(doc("<Year>2020</Year><Month>Feb</Month><Day>29</Day>",
                              "<ArticleDate><Year>2020</Year><Month>02</Month><Day>29</Day></ArticleDate>"))
    assert frame.loc[0, "year"] == 2020 and frame.loc[0, "pub_date"] == "2020 Feb 29"
    assert frame.loc[0, "article_date"] == "2020-02-29"
    assert parse_records(doc("<MedlineDate>1998 Dec-1999 Jan</MedlineDate>")).loc[0, "year"] == 1998
    assert parse_records(doc("")).loc[0, "year"] is __import__("pandas").NA


def test_a_pmid_twice_in_one_answer_is_refused_naming_it():
    # decided: refuse, not de-duplicate (which copy is right cannot be told from the file)
    def record(pmid):
        one = doc("<Year>2020</Year>", pmid=pmid)
        return one[one.index(b"<PubmedArticle>"):one.index(b"</PubmedArticleSet>")]

    body = b"<PubmedArticleSet>" + record("11") + record("12") + record("11") + b"</PubmedArticleSet>"
    with pytest.raises(ParseError, match=r"PMID 11 appears twice \(records 1 and 3\)"):
        parse_records(body)
    # the same PMID in two separate answers (batches) is not this error
    one = doc("<Year>2020</Year>", pmid="11")
    assert list(parse_records([one, one])["pmid"]) == ["11", "11"]

"""The parser on real NCBI answers (from Biopython's test files) and on hand-made shapes they lack.

Expected values sit beside the fixtures in expected.json; each folder's README
says where the files come from (tests/fixtures/ncbi: Biopython 1.88 sdist,
Tests/Entrez; tests/fixtures/handmade: written for this project).
"""

import json

import pytest

from evidence.errors import ParseError
from evidence.pubmed import _parse_esearch
from evidence.records import parse_records

from conftest import FIXTURES


def cases():
    for folder in ("ncbi", "handmade"):
        expected = json.loads((FIXTURES / folder / "expected.json").read_text(encoding="utf-8"))
        for name, records in expected.items():
            yield pytest.param(FIXTURES / folder / name, records, id=f"{folder}/{name}")


@pytest.mark.parametrize("path, records", list(cases()))
def test_fixture_parses_as_expected(path, records):
    if not isinstance(records, list):  # a file expected to fail
        with pytest.raises(ParseError, match=rf"{path.name}: malformed XML at line \d+, column \d+"):
            parse_records(path)
        return
    frame = parse_records(path)
    assert list(frame["pmid"]) == [r["pmid"] for r in records]
    for row, exp in zip(frame.itertuples(), records):
        assert row.title == exp["title"]
        assert str(row.year) == str(exp["year"])
        assert row.authors == exp["authors"]
        assert row.doi == exp["doi"]
        assert row.record_type == {"article": "journal_article", "book": "book_article"}[exp["kind"]]
        assert [(s["label"], s["text"]) for s in row.abstract_sections] == [tuple(x) for x in exp["abstract"]]
        joined = "\n\n".join(f"{label}: {text}" if label else text for label, text in exp["abstract"])
        assert row.abstract == joined


def test_medline_date_gives_first_year():
    frame = parse_records(FIXTURES / "handmade" / "medline_date.xml")
    assert frame.loc[0, "year"] == 1998 and frame.loc[0, "pub_date"] == "1998 Dec-1999 Jan"


def test_book_and_article_in_one_answer():
    frame = parse_records(FIXTURES / "handmade" / "mixed_set.xml")
    assert sorted(frame["record_type"]) == ["book_article", "journal_article"]


def test_mathml_and_markup_become_plain_text():
    for name in ("mathml.xml", "inline_markup.xml"):
        frame = parse_records(FIXTURES / "handmade" / name)
        text = " ".join(frame["title"]) + " ".join(frame["abstract"])
        assert not any(tag in text for tag in ("<i>", "<sup>", "<sub>", "<b>", "mml", "<math"))
        assert "Ca2+" in text or "V O 2" in text


@pytest.mark.parametrize("name, count, ids", [
    ("esearch1.xml", None, None),
    ("esearch2.xml", None, None),
    ("esearch3.xml", None, None),
])
def test_real_esearch_answers_are_read(name, count, ids):
    body = (FIXTURES / "ncbi" / name).read_bytes()
    fields, found, messages = _parse_esearch(body, name)
    assert int(fields["Count"]) >= len(found) > 0
    assert all(i.isdigit() for i in found)


def test_real_esearch_error_list_is_reported():
    body = (FIXTURES / "ncbi" / "esearch8.xml").read_bytes()
    fields, found, messages = _parse_esearch(body, "esearch8")
    assert fields["Count"] == "0" and found == []
    assert any(m.startswith("PhraseNotFound") for m in messages)

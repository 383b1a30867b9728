"""The safe-parse layer bounds memory and refuses what it cannot read rightly (issue 15, items 11-13).

Each limit is a module constant of ``evidence._xml`` (documented in the README); the tests
cross the real limits where that is cheap and lower them (monkeypatch) where it is not.
"""

import gzip

import pytest

import evidence._xml as xml_module
from evidence.errors import ParseError, RefusedInputError
from evidence.pubmed import normalise_pmids
from evidence.records import parse_records

from fake_eutils import EFETCH_HEAD, FakeEutils

HEAD = EFETCH_HEAD.encode()


def efetch(*records: bytes) -> bytes:
    return HEAD + b"<PubmedArticleSet>\n" + b"\n".join(records) + b"\n</PubmedArticleSet>\n"


def record(pmid: str, **kw) -> bytes:
    return FakeEutils.make_record(pmid, title=kw.pop("title", "t"), year=2001, **kw)


def test_an_unknown_encoding_in_a_file_is_one_clean_error(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="X-EVIL-9"?>\n<PubmedArticleSet></PubmedArticleSet>\n')
    with pytest.raises(RefusedInputError, match=rf"^{path}: the XML declares the encoding 'X-EVIL-9'"):
        parse_records(path)


def test_a_gzip_bomb_with_a_giant_text_node_stops_at_the_text_limit(tmp_path):
    # 20 MiB of text in one AbstractText (the limit is 16 MiB); 1 GiB would be refused at the same byte
    giant = b"a" * (20 * 2**20)
    body = efetch(record("1").replace(b"Synthetic abstract.", giant))
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(body))
    assert path.stat().st_size < 2**20
    with pytest.raises(RefusedInputError, match=rf"^{path}: more than 16,777,216 bytes of XML with no element ending"):
        parse_records(path)


def test_gzipped_whitespace_inside_the_root_stops_at_the_text_limit(tmp_path):
    path = tmp_path / "spaces.xml.gz"
    path.write_bytes(gzip.compress(HEAD + b"<PubmedArticleSet>" + b" " * (17 * 2**20) + b"</PubmedArticleSet>"))
    with pytest.raises(RefusedInputError, match="no element ending"):
        parse_records(path)


def test_a_giant_attribute_value_stops_at_the_text_limit():
    body = efetch(record("1").replace(b'Status="MEDLINE"', b'Status="' + b"x" * (17 * 2**20) + b'"'))
    with pytest.raises(RefusedInputError, match="no element ending"):
        parse_records(body)


def test_many_records_are_not_a_text_node():
    # 3,000 small records in one answer: elements end all the time, nothing is refused
    body = efetch(*(record(str(1000 + i)) for i in range(3000)))
    assert len(parse_records(body)) == 3000


def test_the_total_input_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xml_module, "MAX_XML_BYTES", 200_000)
    body = efetch(*(record(str(1000 + i)) for i in range(300)))
    assert len(body) > 200_000
    path = tmp_path / "big.xml.gz"
    path.write_bytes(gzip.compress(body))
    with pytest.raises(RefusedInputError, match=rf"^{path}: more than 200,000 bytes of XML \(after decompression\)"):
        parse_records(path)


def test_a_namespaced_root_is_refused_not_read_as_empty(tmp_path):
    for root in (b'<PubmedArticleSet xmlns="urn:x">', b'<p:PubmedArticleSet xmlns:p="urn:x">'):
        close = b"</PubmedArticleSet>" if b"p:" not in root else b"</p:PubmedArticleSet>"
        path = tmp_path / "ns.xml"
        path.write_bytes(HEAD + root + record("1") + close)
        with pytest.raises(RefusedInputError, match=rf"^{path}: the root element <(p:)?PubmedArticleSet> is in an XML namespace"):
            parse_records(path)


def test_a_namespace_inside_a_record_is_still_read():
    # MathML in abstracts carries its namespace (Biopython's Tests/Entrez/pubmed4.xml has such records)
    math = b'Effect <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi></mml:math>.'
    frame = parse_records(efetch(record("1").replace(b"Synthetic abstract.", math)))
    assert list(frame["pmid"]) == ["1"]


def test_superscript_digits_are_not_a_pmid():
    with pytest.raises(ParseError, match=r"has no valid PMID \('¹²³'\)"):
        parse_records(efetch(record("¹²³")))
    with pytest.raises(ValueError, match="not a PMID"):
        normalise_pmids(["¹²³"])
    with pytest.raises(ValueError, match="not a PMID"):
        normalise_pmids(["٣"])  # Arabic-Indic three: int() would read it as 3


def test_leading_zeros_are_the_same_pmid():
    # documented: 0009758075 is read as 9758075, so the two are one PMID (and twice is refused)
    assert list(parse_records(efetch(record("0009758075")))["pmid"]) == ["9758075"]
    with pytest.raises(ParseError, match="PMID 9758075 appears twice"):
        parse_records(efetch(record("0009758075"), record("9758075")))
    assert normalise_pmids("0009758075,9758075") == ["9758075"]


def test_a_large_record_of_small_elements_is_not_a_text_node(monkeypatch):
    # The records stream reports no element ends while records complete in every chunk; a record
    # longer than a chunk turns them on, so a big record whose elements end all the time is read
    # (limit lowered: 64 KiB of authors in one record against a 16 KiB text limit)...
    monkeypatch.setattr(xml_module, "MAX_TEXT_BYTES", 16 * 2**10)
    authors = b"".join(b"<Author><LastName>N%d</LastName><Initials>A</Initials></Author>" % i for i in range(1200))
    big = record("1").replace(b'<AuthorList CompleteYN="Y">', b'<AuthorList CompleteYN="Y">' + authors)
    assert len(big) > 4 * xml_module.CHUNK  # several chunks, and 4x the lowered limit
    rows = parse_records(efetch(big, record("2")))
    assert list(rows["pmid"]) == ["1", "2"] and rows["authors"][0].count("; ") == 1200
    # ...while the same limit still stops a giant text node inside a record, or between records
    giant = record("1").replace(b"Synthetic abstract.", b"a" * (100 * 2**10))  # checked per 16 KiB chunk
    with pytest.raises(RefusedInputError, match="more than 16,384 bytes of XML with no element ending"):
        parse_records(efetch(record("3"), giant))
    with pytest.raises(RefusedInputError, match="no element ending"):
        parse_records(efetch(record("3"), b" " * (100 * 2**10), record("4")))


def test_records_are_read_the_same_whatever_the_chunk_size():
    body = efetch(*(record(str(1000 + i), title=f"title {i}") for i in range(40)))
    expected = [(elem.tag, elem.findtext("MedlineCitation/PMID")) for _, elem in xml_module.iter_children(body)
                if elem is not None]
    assert len(expected) == 40
    for chunk in (1, 7, 100, 1000, 2**20):
        got = [(elem.tag, elem.findtext("MedlineCitation/PMID"))
               for _, elem in xml_module.iter_children(body, chunk=chunk) if elem is not None]
        assert got == expected, chunk


def test_records_are_the_roots_children():
    # PubMed's DTD puts records directly under PubmedArticleSet, and so does the snapshot's
    # record_spans; DeleteCitation is skipped, a record wrapped in something else is refused
    body = efetch(record("1"), b"<DeleteCitation><PMID>5</PMID></DeleteCitation>")
    assert list(parse_records(body)["pmid"]) == ["1"]
    with pytest.raises(ParseError, match=r"a <PubmedArticle> inside <Wrapper>, not directly under <PubmedArticleSet>"):
        parse_records(efetch(record("1"), b"<Wrapper>" + record("2") + b"</Wrapper>"))

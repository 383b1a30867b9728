"""Property tests: generated and mutated efetch XML gives records or a clear EvidenceError."""

from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.errors import EvidenceError
from evidence.records import iter_records

from conftest import SNAPSHOT

# Text that XML 1.0 can carry: no control characters or surrogates.
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=0, max_size=40,
)
words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12)


@st.composite
def records(draw):
    pmid = str(draw(st.integers(min_value=1, max_value=99_999_999)))
    title = draw(xml_text)
    markup = draw(st.sampled_from(["", "i", "sup", "sub", "b"]))
    extra = draw(words)
    title_xml = escape(title) + (f"<{markup}>{escape(extra)}</{markup}>" if markup else "")
    year = draw(st.one_of(st.integers(1800, 2099).map(lambda y: f"<Year>{y}</Year>"),
                          st.integers(1800, 2098).map(lambda y: f"<MedlineDate>{y} Dec-{y + 1} Jan</MedlineDate>")))
    authors = draw(st.lists(st.tuples(words, words), max_size=4))
    sections = draw(st.lists(st.tuples(st.one_of(st.just(""), words), xml_text), max_size=3))
    author_xml = "".join(f"<Author><LastName>{escape(last)}</LastName><ForeName>{escape(fore)}</ForeName></Author>"
                         for last, fore in authors)
    abstract_xml = "".join(
        f'<AbstractText Label="{escape(label)}">{escape(text)}</AbstractText>' if label
        else f"<AbstractText>{escape(text)}</AbstractText>" for label, text in sections)
    xml = (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
           f"<PubDate>{year}</PubDate></JournalIssue><Title>J</Title></Journal>"
           f"<ArticleTitle>{title_xml}</ArticleTitle><Abstract>{abstract_xml}</Abstract>"
           f"<AuthorList>{author_xml}</AuthorList></Article></MedlineCitation></PubmedArticle>")
    expected = {
        "pmid": str(int(pmid)),
        "title": " ".join((title + (extra if markup else "")).split()),
        "authors": "; ".join(f"{' '.join(last.split())} {fore[0].upper()}".strip() for last, fore in authors),
        "n_sections": sum(1 for _, text in sections if text.strip()),
    }
    return xml, expected


@given(st.lists(records(), min_size=0, max_size=5))
def test_generated_records_parse_to_what_was_written(recs):
    body = ("<?xml version='1.0' encoding='UTF-8'?><PubmedArticleSet>"
            + "".join(x for x, _ in recs) + "</PubmedArticleSet>").encode("utf-8")
    rows = list(iter_records(body))
    assert len(rows) == len(recs)
    for row, (_, exp) in zip(rows, recs):
        assert row["pmid"] == exp["pmid"]
        assert row["title"] == exp["title"]
        assert row["authors"] == exp["authors"]
        assert len(row["abstract_sections"]) == exp["n_sections"]
        assert 1800 <= row["year"] <= 2099


SEED = (SNAPSHOT / "records.xml").read_bytes()[:20_000] + b"</PubmedArticleSet>"


@st.composite
def mutations(draw):
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "flip", "truncate", "dup"]))
        pos = draw(st.integers(0, len(data) - 1))
        if kind == "delete":
            del data[pos: pos + draw(st.integers(1, 50))]
        elif kind == "insert":
            data[pos:pos] = draw(st.sampled_from([b"<", b">", b"&", b"&amp;", b"<i>", b"</i>", b"\x00",
                                                  b"<!ENTITY x 'y'>", b"]]>", b"\xff\xfe", b"<PMID>", b"\"'"]))
        elif kind == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[pos:]
        else:
            data[pos:pos] = data[pos: pos + draw(st.integers(1, 400))]
        if not data:
            break
    return bytes(data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_xml_gives_records_or_a_clear_error(body):
    try:
        rows = list(iter_records(body))
    except EvidenceError as exc:
        assert str(exc)  # a message, never an empty error
        return
    for row in rows:
        assert row["pmid"].isdigit()
        assert isinstance(row["title"], str) and isinstance(row["abstract"], str)

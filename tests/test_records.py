"""The records parser on the shipped snapshot and on hostile or broken XML."""

import csv
import gzip
import io
import json
import subprocess
import sys
import tracemalloc

import pytest

from evidence.errors import EvidenceError, ParseError
from evidence.records import COLUMNS, iter_records, parse_records, pmids_in, read_provenance, read_records

from cli_runner import run_cli
from conftest import SNAPSHOT

CONTRACT_COLUMNS = ["pmid", "title", "abstract", "journal", "journal_iso", "year", "authors", "doi",
                    "pmcid", "publication_types", "mesh_terms", "keywords", "language"]
SNAPSHOT_XML = SNAPSHOT / "records.xml"


@pytest.fixture(scope="module")
def snapshot_frame():
    return read_records(SNAPSHOT_XML)


def test_snapshot_has_every_record_with_contract_columns(snapshot_frame):
    frame = snapshot_frame
    assert list(frame.columns[:13]) == CONTRACT_COLUMNS
    assert len(frame) == 45
    assert frame["pmid"].is_unique
    assert list(frame["pmid"]) == pmids_in(SNAPSHOT_XML.read_bytes())
    assert frame["title"].str.len().min() > 10
    assert frame["year"].between(1990, 2026).all()
    assert str(frame["year"].dtype) == "Int64"


def test_first_snapshot_record_as_published(snapshot_frame):
    # Values as on https://pubmed.ncbi.nlm.nih.gov/9758075/ (see data/pubmed/PROVENANCE.md)
    row = snapshot_frame.iloc[0]
    assert row.pmid == "9758075"
    assert row.title.startswith("Controlled trial of Japanese acupuncture for chronic myofascial neck pain")
    assert row.journal == "The Clinical journal of pain" and row.journal_iso == "Clin J Pain"
    assert row.year == 1998 and row.volume == "14" and row.issue == "3" and row.pages == "248-55"
    assert row.doi == "10.1097/00002508-199809000-00012"
    assert row.authors.startswith("Birch S")
    assert row.abstract.startswith("OBJECTIVE: This article examines the specific and nonspecific effects")
    assert "\n\nDESIGN: Forty-six patients were randomly assigned" in row.abstract
    assert [s["label"] for s in row.abstract_sections] == ["OBJECTIVE", "DESIGN", "OUTCOME MEASURES", "RESULTS"]
    assert row.abstract_sections[1]["category"] == "METHODS"


def test_provenance_flags_are_attached(snapshot_frame):
    flags = read_provenance(SNAPSHOT / "provenance.csv")
    assert set(flags) == set(snapshot_frame["pmid"])
    for row in snapshot_frame.itertuples():
        assert bool(row.abstract_complete) is flags[row.pmid]["abstract_complete"]
        assert bool(row.authors_complete) is flags[row.pmid]["authors_complete"]
    no_abstract = snapshot_frame[snapshot_frame["abstract"] == ""]
    assert sorted(no_abstract["pmid"]) == ["11532840", "11532841"]  # PROVENANCE.md says so
    assert not no_abstract["abstract_complete"].any()


def test_snapshot_records_cli_prints_every_record():
    out = run_cli("records", "--xml", str(SNAPSHOT_XML), "--format", "csv", check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["pmid"] for r in rows] == pmids_in(SNAPSHOT_XML.read_bytes())
    assert json.loads(rows[0]["abstract_sections"])[0]["label"] == "OBJECTIVE"


def test_records_cli_json_and_out(tmp_path):
    target = tmp_path / "records.json"
    run_cli("records", "--xml", str(SNAPSHOT_XML), "--format", "json", "--out", str(target), check=True)
    data = json.loads(target.read_text())
    assert len(data) == 45 and data[0]["year"] == 1998
    assert data[3]["abstract_complete"] is False


@pytest.mark.parametrize("args, expected", [
    (["--xml", "does-not-exist.xml"], "does-not-exist.xml: no such file"),
    (["--xml", "."], "is a folder"),
])
def test_records_cli_bad_input_is_one_line_exit_2(args, expected):
    proc = run_cli("records", *args)
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_records_cli_malformed_xml(tmp_path):
    # kept as a real process: the end-to-end test of the XML commands (records, classify, mine: a
    # separate process's exit code and stderr); their other command lines run in the test process
    # (tests/cli_runner.py)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(SNAPSHOT_XML.read_bytes()[:5000])
    proc = subprocess.run([sys.executable, "-m", "evidence", "records", "--xml", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert f"{bad}: malformed XML at line" in proc.stderr and "column" in proc.stderr
    assert proc.stdout == ""  # nothing partial


def test_gzip_gives_the_same_table(tmp_path, snapshot_frame):
    gz = tmp_path / "records.xml.gz"
    gz.write_bytes(gzip.compress(SNAPSHOT_XML.read_bytes()))
    frame = parse_records(gz)
    assert frame.drop(columns=["abstract_sections", "affiliations", "mesh"]).equals(
        snapshot_frame[list(COLUMNS)].drop(columns=["abstract_sections", "affiliations", "mesh"]))


def test_several_batches_are_read_in_order():
    body = SNAPSHOT_XML.read_bytes()
    frame = parse_records([body, body])
    assert len(frame) == 90


def test_truncated_document_raises_with_position():
    body = SNAPSHOT_XML.read_bytes()
    with pytest.raises(ParseError, match=r"<bytes>: malformed XML at line \d+, column \d+"):
        list(iter_records(body[: len(body) // 2]))


def test_wrong_root_is_named():
    with pytest.raises(ParseError, match="root element is <eSearchResult>"):
        parse_records(b"<eSearchResult><Count>0</Count></eSearchResult>")


def test_record_without_pmid_is_refused():
    xml = b"<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>x</ArticleTitle>" \
          b"</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    with pytest.raises(ParseError, match="record 1 .* has no valid PMID"):
        parse_records(xml)


def test_empty_input():
    with pytest.raises(ParseError):
        parse_records(b"")


# -- hostile XML ------------------------------------------------------------------
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""


def test_entity_bomb_is_refused_without_expanding(no_network):
    tracemalloc.start()
    with pytest.raises(ParseError, match=r"line 3, column \d+: the document declares an entity \('lol'\)"):
        parse_records(BILLION_LAUGHS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000


@pytest.mark.parametrize("decl", [
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    b'<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">',
    b'<!ENTITY % pe SYSTEM "http://127.0.0.1:9/evil.dtd"> %pe;',
    b'<!ENTITY harmless "just text">',
])
def test_any_entity_declaration_is_refused(decl, no_network):
    xml = b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [' + decl + b']>' \
          b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>" \
          b"<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    with pytest.raises(ParseError, match="declares an entity"):
        parse_records(xml)


def test_external_dtd_is_never_fetched(no_network):
    # A real PubMed answer names its DTD on NCBI's server; parsing must not fetch it
    # (no_network turns any socket into a test failure).
    xml = (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN"'
           b' "http://127.0.0.1:9/pubmed_250101.dtd">\n'
           b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
           b"<ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    assert list(parse_records(xml)["pmid"]) == ["7"]


def test_undefined_entity_is_a_clear_error():
    xml = b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>" \
          b"<ArticleTitle>&nope;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    with pytest.raises(ParseError, match="undefined entity"):
        parse_records(xml)


def test_parse_errors_are_evidence_errors():
    assert issubclass(ParseError, EvidenceError)

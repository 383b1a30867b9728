"""Tests of the fake E-utilities server itself, driven through plain Bio.Entrez,
and of the XML fixtures under tests/fixtures/{ncbi,handmade}.

Nothing here leaves 127.0.0.1: ``redirect_entrez`` refuses every URL that is
not NCBI's E-utilities prefix, and rewrites that prefix to the fake server.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from Bio import Entrez
from Bio.Entrez.Parser import CorruptedXMLError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_eutils import (  # noqa: E402
    NCBI_EUTILS_PREFIX,
    FakeEutils,
    OutboundRequestBlocked,
    redirect_entrez,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NCBI = FIXTURES / "ncbi"
HANDMADE = FIXTURES / "handmade"


@pytest.fixture
def entrez():
    """Bio.Entrez configured for tests; global settings restored afterwards.

    A dummy api_key lowers Biopython's own limiter from 0.37 s to 0.1 s
    between calls, which keeps this suite fast.
    """
    saved = (Entrez.email, Entrez.max_tries, Entrez.api_key, Entrez.sleep_between_tries)
    Entrez.email = "test@example.org"
    Entrez.max_tries = 1
    Entrez.api_key = "test-key"
    Entrez.sleep_between_tries = 0
    yield Entrez
    Entrez.email, Entrez.max_tries, Entrez.api_key, Entrez.sleep_between_tries = saved


@pytest.fixture
def small(entrez):
    with FakeEutils.synthetic(45) as fake, redirect_entrez(fake):
        yield fake


def _pmids(records) -> list[str]:
    return [str(a["MedlineCitation"]["PMID"]) for a in records["PubmedArticle"]]


# --------------------------------------------------------------------------
# esearch / efetch
# --------------------------------------------------------------------------


def test_esearch_history_then_efetch_pages(small):
    res = Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture", usehistory="y"))
    assert res["Count"] == "45"
    assert res["RetMax"] == "20" and len(res["IdList"]) == 20  # NCBI's default retmax
    assert res["QueryKey"] == "1" and res["WebEnv"].startswith("MCID_")
    assert res["QueryTranslation"] == '"acupuncture"[All Fields]'

    got: list[str] = []
    for start in range(0, 45, 20):
        handle = Entrez.efetch(
            db="pubmed",
            retmode="xml",
            WebEnv=res["WebEnv"],
            query_key=res["QueryKey"],
            retstart=start,
            retmax=20,
        )
        assert handle.headers.get_content_type() == "text/xml"
        got += _pmids(Entrez.read(handle))
    assert got == [str(1_000_000 + i) for i in range(45)]
    assert small.history(res["WebEnv"], 1) == got

    # A second search in the same WebEnv gets query_key 2.
    res2 = Entrez.read(
        Entrez.esearch(db="pubmed", term="acupuncture", usehistory="y", WebEnv=res["WebEnv"], retmax=0)
    )
    assert (res2["WebEnv"], res2["QueryKey"], res2["IdList"]) == (res["WebEnv"], "2", [])

    # Every request was recorded, with the parameters Bio.Entrez sent.
    paths = [path for _, path, _ in small.arrivals]
    assert paths == ["/entrez/eutils/esearch.fcgi"] + ["/entrez/eutils/efetch.fcgi"] * 3 + [
        "/entrez/eutils/esearch.fcgi"
    ]
    first = small.arrivals[0][2]
    assert first["email"] == "test@example.org" and first["tool"] == "biopython"
    assert first["usehistory"] == "y" and first["api_key"] == "test-key"


def test_esearch_answer_is_shaped_like_ncbi(small):
    raw = Entrez.esearch(db="pubmed", term="acupuncture", retstart=40, retmax=10, usehistory="y").read()
    text = raw.decode("utf-8")
    assert text.startswith(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC '
        '"-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
    )
    root = ET.fromstring(raw)
    assert [child.tag for child in root] == [
        "Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "IdList", "TranslationSet", "QueryTranslation",
    ]  # fmt: skip
    assert [e.text for e in root.find("IdList")] == [str(1_000_000 + i) for i in range(40, 45)]
    assert root.findtext("RetMax") == "5" and root.findtext("RetStart") == "40"


def test_efetch_by_id_omits_unknown_and_dropped(small):
    small.drop = {"1000003"}
    handle = Entrez.efetch(db="pubmed", id="1000001,999,1000003,1000002,1000001", retmode="xml")
    raw = handle.read()
    assert raw.startswith(
        b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        b"<PubmedArticleSet>"
    )
    from io import BytesIO

    assert _pmids(Entrez.read(BytesIO(raw))) == ["1000001", "1000002"]


def test_efetch_many_ids_uses_post(entrez):
    with FakeEutils.synthetic(250) as fake, redirect_entrez(fake):
        ids = [str(1_000_000 + i) for i in range(250)]
        records = Entrez.read(Entrez.efetch(db="pubmed", id=",".join(ids), retmode="xml"))
    assert _pmids(records) == ids
    (params,) = fake.requests_to("efetch.fcgi")
    assert params["id"].split(",") == ids and params["retmode"] == "xml"
    assert Entrez._build_request("https://x/efetch.fcgi", {"id": ids}).method == "POST"


def test_efetch_history_errors(small):
    with pytest.raises(urllib.error.HTTPError) as info:
        Entrez.efetch(db="pubmed", WebEnv="MCID_nope", query_key=1, retmode="xml")
    assert info.value.code == 400
    assert b"Unable to obtain query #1" in info.value.read()


def test_mindate_maxdate_filter(entrez):
    fake = FakeEutils.synthetic(350, start_year=1990, end_year=2024)  # 10 a year
    with fake, redirect_entrez(fake):
        res = Entrez.read(
            Entrez.esearch(db="pubmed", term="acupuncture", mindate="2000", maxdate="2001/06", datetype="pdat", retmax=100)
        )
    expected = [p for p, d in fake.dates.items() if "2000/01/01" <= d <= "2001/06/30"]
    assert 10 < len(expected) < 20
    assert res["IdList"] == expected and res["Count"] == str(len(expected))
    assert res["QueryTranslation"].endswith("AND 2000/01/01:2001/06/30[Date - Publication]")


def test_synthetic_records_are_valid_and_dated(entrez):
    fake = FakeEutils.synthetic(3, term="neck pain", start_year=2001, end_year=2003)
    assert fake.searches == {"neck pain": ["1000000", "1000001", "1000002"]}
    assert [fake.dates[p][:4] for p in fake.searches["neck pain"]] == ["2001", "2002", "2003"]
    from io import BytesIO

    doc = b"<?xml version='1.0' ?>\n" + (
        b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    ) + b"<PubmedArticleSet>" + b"".join(fake.records.values()) + b"</PubmedArticleSet>"
    parsed = Entrez.read(BytesIO(doc), validate=True)
    art = parsed["PubmedArticle"][1]["MedlineCitation"]["Article"]
    assert str(art["ArticleTitle"]) == "Synthetic neck pain study 1."
    assert art["Journal"]["JournalIssue"]["PubDate"]["Year"] == "2002"


# --------------------------------------------------------------------------
# the 10,000 cap of PubMed's esearch
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big():
    fake = FakeEutils.synthetic(25_000)
    with fake:
        yield fake


def test_cap_10000(big, entrez):
    big.arrivals.clear()
    with redirect_entrez(big):
        res = Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture", retmax=100_000, usehistory="y"))
        assert res["Count"] == "25000"
        assert len(res["IdList"]) == 10_000 and res["RetMax"] == "10000"
        assert res["IdList"][-1] == str(1_000_000 + 9_999)
        assert res["WarningList"]["OutputMessage"] == ["Restrictions achieved. start and count adjusted to 0, 10000"]
        # The history store keeps every id, so efetch can page past the cap.
        assert len(big.history(res["WebEnv"], res["QueryKey"])) == 25_000
        tail = Entrez.read(
            Entrez.efetch(db="pubmed", WebEnv=res["WebEnv"], query_key=res["QueryKey"], retstart=24_990, retmax=50)
        )
        assert _pmids(tail) == [str(1_000_000 + i) for i in range(24_990, 25_000)]

        near = Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture", retstart=9_990, retmax=100))
        assert near["RetStart"] == "9990" and len(near["IdList"]) == 10

        with pytest.raises(RuntimeError, match="'retstart' cannot be larger than 9999"):
            Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture", retstart=10_000))
    raw_error = None
    with urllib.request.urlopen(big.base_url + "esearch.fcgi?db=pubmed&term=acupuncture&retstart=12000") as resp:
        raw_error = resp.read()
    assert b"<eSearchResult><ERROR>Search Backend failed" in raw_error


def test_cap_is_adjustable_to_pubmeds_9999():
    fake = FakeEutils.synthetic(10_050)
    fake.RETRIEVAL_CAP = 9_999
    with fake:
        url = fake.base_url + "esearch.fcgi?db=pubmed&term=acupuncture&retmax=20000"
        root = ET.fromstring(urllib.request.urlopen(url).read())
    assert len(root.find("IdList")) == 9_999


# --------------------------------------------------------------------------
# errors in the answer
# --------------------------------------------------------------------------


def test_unknown_term_error_list(small):
    res = Entrez.read(Entrez.esearch(db="pubmed", term="nosuchthingxyz"))
    assert res["Count"] == "0" and res["IdList"] == []
    assert res["ErrorList"]["PhraseNotFound"] == ["nosuchthingxyz"]
    assert res["WarningList"]["OutputMessage"] == ["No items found."]
    assert res["QueryTranslation"] == "(nosuchthingxyz[All Fields])"


def test_bad_field_error_list(small):
    res = Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture[badfield]"))
    assert res["Count"] == "0"
    assert res["ErrorList"]["FieldNotFound"] == ["badfield"]


def test_real_esearch_fixture_has_same_shape_as_fake_not_found(small):
    raw = Entrez.esearch(db="pubmed", term="abcXYZ").read()
    real = (NCBI / "esearch8.xml").read_bytes()
    assert ET.fromstring(raw).find("ErrorList").find("PhraseNotFound").text == "abcXYZ"
    assert [c.tag for c in ET.fromstring(raw)] == [c.tag for c in ET.fromstring(real)]


# --------------------------------------------------------------------------
# fault injection
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, body",
    [
        (429, b'{"error":"API rate limit exceeded"}'),
        (400, b'{"error":"bad request"}'),
        (500, None),
        (502, None),
        (503, None),
    ],
)
def test_status_faults(small, code, body):
    small.inject(("status", code))
    with pytest.raises(urllib.error.HTTPError) as info:
        Entrez.esearch(db="pubmed", term="acupuncture")
    assert info.value.code == code
    if body is not None:
        assert info.value.read() == body
    # consumed: the next request is answered normally
    assert Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture"))["Count"] == "45"
    assert len(small.arrivals) == 2 and not small.faults


def test_faults_are_consumed_in_order(small):
    small.inject(("status", 503), ("status", 429))
    small.faults.append(("status", 502))
    codes = []
    for _ in range(3):
        with pytest.raises(urllib.error.HTTPError) as info:
            Entrez.esearch(db="pubmed", term="acupuncture")
        codes.append(info.value.code)
    assert codes == [503, 429, 502]
    assert len(small.arrivals) == 3


def test_biopython_retries_through_a_429(small):
    Entrez.max_tries = 2
    small.inject(("status", 429))
    assert Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture"))["Count"] == "45"
    assert len(small.arrivals) == 2


def test_truncate_gives_incomplete_read(small):
    small.inject(("truncate", 100))
    handle = Entrez.efetch(db="pubmed", id="1000000,1000001", retmode="xml")
    assert int(handle.headers["Content-Length"]) > 100
    with pytest.raises(http.client.IncompleteRead) as info:
        handle.read()
    assert len(info.value.partial) == 100


def test_truncate_seen_through_entrez_read(small):
    # Bio.Entrez.read reads in blocks (HTTPResponse.read(amt)), which returns
    # a short read at EOF instead of raising IncompleteRead: the parser then
    # fails on the cut XML. Only a whole-body read() raises IncompleteRead.
    small.inject(("truncate", 300))
    handle = Entrez.efetch(db="pubmed", id="1000000", retmode="xml")
    with pytest.raises(CorruptedXMLError):
        Entrez.read(handle)


def test_truncate_chunked_gives_short_complete_body(small):
    full = Entrez.efetch(db="pubmed", id="1000000,1000001", retmode="xml").read()
    small.inject(("truncate_chunked", 250))
    handle = Entrez.efetch(db="pubmed", id="1000000,1000001", retmode="xml")
    assert handle.headers.get("Content-Length") is None
    short = handle.read()  # no exception: the connection close ends the body
    assert short == full[:250]
    small.inject(("truncate_chunked", 250))
    with pytest.raises(CorruptedXMLError):
        Entrez.read(Entrez.efetch(db="pubmed", id="1000000,1000001", retmode="xml"))


def test_delay_fault(small):
    small.inject(("delay", 0.4))
    t0 = time.monotonic()
    res = Entrez.read(Entrez.esearch(db="pubmed", term="acupuncture"))
    assert time.monotonic() - t0 >= 0.4
    assert res["Count"] == "45"


def test_disconnect_fault(small):
    small.inject(("disconnect",))
    with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError, ConnectionError)):
        Entrez.esearch(db="pubmed", term="acupuncture")


def test_inject_rejects_unknown_kind():
    fake = FakeEutils({})
    with pytest.raises(ValueError):
        fake.inject(("explode", 1))


def test_server_is_quiet(small, capfd):
    small.inject(("status", 500), ("truncate", 10), ("disconnect",))
    for _ in range(3):
        try:
            Entrez.efetch(db="pubmed", id="1000000").read()
        except Exception:
            pass
    Entrez.esearch(db="pubmed", term="acupuncture").read()
    with urllib.request.urlopen(small.base_url + "esearch.fcgi?term=acupuncture") as resp:
        resp.read()
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# --------------------------------------------------------------------------
# arrivals and the rate-window helper
# --------------------------------------------------------------------------


def test_max_arrivals_in_window_closed_interval():
    fake = FakeEutils({})
    for t in (0.0, 0.5, 1.0, 1.01, 2.5, 2.6, 2.7, 3.5):
        fake.arrivals.append((t, "/x", {}))
    assert fake.max_arrivals_in_window(1.0) == 4  # 2.5, 2.6, 2.7, 3.5 (3.5 - 2.5 == 1.0)
    assert fake.max_arrivals_in_window(0.5) == 3  # 0.5, 1.0, 1.01 or 2.5..2.7
    assert fake.max_arrivals_in_window(0.0) == 1
    assert FakeEutils({}).max_arrivals_in_window() == 0


def test_arrivals_include_faulted_and_record_time(small):
    small.inject(("status", 500))
    t0 = time.monotonic()
    with pytest.raises(urllib.error.HTTPError):
        Entrez.esearch(db="pubmed", term="acupuncture")
    Entrez.esearch(db="pubmed", term="acupuncture").read()
    (t1, p1, q1), (t2, p2, q2) = list(small.arrivals)
    assert t0 <= t1 <= t2 <= time.monotonic()
    assert p1 == p2 == "/entrez/eutils/esearch.fcgi" and q1["term"] == "acupuncture"
    assert small.max_arrivals_in_window(60.0) == 2


# --------------------------------------------------------------------------
# redirect_entrez
# --------------------------------------------------------------------------


def test_redirect_refuses_other_urls_and_restores(entrez):
    original = Entrez.urlopen
    Entrez._open.previous = 12345.0
    with FakeEutils({}) as fake, redirect_entrez(fake):
        assert Entrez._open.previous == 0
        assert Entrez.urlopen is not original
        with pytest.raises(OutboundRequestBlocked):
            Entrez.urlopen(urllib.request.Request("https://example.org/entrez/eutils/esearch.fcgi"))
        with pytest.raises(OutboundRequestBlocked):
            Entrez.urlopen(NCBI_EUTILS_PREFIX.replace("https", "http") + "esearch.fcgi")
        import Bio.Entrez.Parser

        with pytest.raises(OutboundRequestBlocked):
            Bio.Entrez.Parser.urlopen("https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd")
        # a plain string URL with NCBI's prefix is rewritten too
        with Entrez.urlopen(NCBI_EUTILS_PREFIX + "esearch.fcgi?db=pubmed&term=x") as resp:
            assert b"PhraseNotFound" in resp.read()
        assert fake.base_url.startswith("http://127.0.0.1:") and fake.base_url.endswith("/entrez/eutils/")
    assert Entrez.urlopen is original


def test_server_stops_on_exit():
    with FakeEutils({}) as fake:
        url = fake.base_url + "esearch.fcgi?term=x"
        urllib.request.urlopen(url).read()
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(url, timeout=2).read()


# --------------------------------------------------------------------------
# the fixtures: real NCBI answers and hand-made ones
# --------------------------------------------------------------------------


def _plain(elem) -> str:
    return " ".join("".join(elem.itertext()).split()) if elem is not None else ""


def _initials(forename: str) -> str:
    return "".join(part[0].upper() for part in re.split(r"[\s\-]+", forename) if part)


def reference_extract(path: Path) -> list[dict]:
    """The README's rules, written out: title, year, authors, doi, abstract sections."""
    out = []
    for item in ET.parse(path).getroot():
        if item.tag == "PubmedArticle":
            cit = item.find("MedlineCitation")
            art = cit.find("Article")
            title = _plain(art.find("ArticleTitle"))
            pubdate = art.find("Journal/JournalIssue/PubDate")
            lists = [art.find("AuthorList")]
            elocs = art.findall("ELocationID")
            ids = item.findall("PubmedData/ArticleIdList/ArticleId")
            abstract = art.find("Abstract")
            kind, pmid = "article", cit.findtext("PMID")
        elif item.tag == "PubmedBookArticle":
            doc = item.find("BookDocument")
            title = _plain(doc.find("ArticleTitle")) or _plain(doc.find("Book/BookTitle"))
            pubdate = doc.find("Book/PubDate")
            lists = [al for al in doc.findall("AuthorList") if al.get("Type") != "editors"]
            elocs = doc.findall("Book/ELocationID")
            ids = item.findall("PubmedBookData/ArticleIdList/ArticleId")
            abstract = doc.find("Abstract")
            kind, pmid = "book", doc.findtext("PMID")
        else:
            continue
        year = re.search(r"\d{4}", _plain(pubdate))
        authors = []
        for al in lists:
            for a in al.findall("Author") if al is not None else []:
                if a.find("CollectiveName") is not None:
                    authors.append(_plain(a.find("CollectiveName")))
                    continue
                last = a.findtext("LastName", "").strip()
                ini = (a.findtext("Initials") or "").strip() or _initials(a.findtext("ForeName") or "")
                authors.append(f"{last} {ini}".strip())
        doi = next((e.text.strip() for e in elocs if e.get("EIdType") == "doi"), "") or next(
            (e.text.strip() for e in ids if e.get("IdType") == "doi"), ""
        )
        sections = [
            [t.get("Label") or "", _plain(t)] for t in (abstract.findall("AbstractText") if abstract is not None else [])
        ]
        out.append(
            {
                "pmid": pmid.strip(),
                "kind": kind,
                "title": title,
                "year": year.group(0) if year else "",
                "authors": "; ".join(authors),
                "doi": doi,
                "abstract": sections,
            }
        )
    return out


EXPECTED = {
    "ncbi": json.loads((NCBI / "expected.json").read_text("utf-8")),
    "handmade": json.loads((HANDMADE / "expected.json").read_text("utf-8")),
}
EFETCH_FIXTURES = [("ncbi", n) for n in sorted(EXPECTED["ncbi"])] + [
    ("handmade", n) for n in sorted(EXPECTED["handmade"]) if n != "malformed_truncated.xml"
]


def test_every_fixture_has_an_expectation():
    assert sorted(EXPECTED["ncbi"]) == sorted(p.name for p in NCBI.glob("pubmed*.xml"))
    assert sorted(EXPECTED["handmade"]) == sorted(p.name for p in HANDMADE.glob("*.xml"))
    for folder in (NCBI, HANDMADE):
        readme = (folder / "README.md").read_text("utf-8")
        for xml in folder.glob("*.xml"):
            assert f"`{xml.name}`" in readme, f"{xml.name} is not described in {folder}/README.md"


@pytest.mark.parametrize("folder, name", EFETCH_FIXTURES)
def test_fixture_matches_expected_and_dtd(folder, name):
    path = FIXTURES / folder / name
    assert reference_extract(path) == EXPECTED[folder][name]
    with path.open("rb") as handle:
        parsed = Entrez.read(handle, validate=True)  # local DTDs only (redirect not needed)
    n_articles = sum(1 for r in EXPECTED[folder][name] if r["kind"] == "article")
    assert len(parsed["PubmedArticle"]) == n_articles
    assert len(parsed["PubmedBookArticle"]) == len(EXPECTED[folder][name]) - n_articles


def test_handmade_expectations_spelled_out():
    """A few values written by hand, independent of the extractor above."""
    by_name = {n: {r["pmid"]: r for r in recs} for n, recs in EXPECTED["handmade"].items() if recs != "error"}
    book = by_name["book_article.xml"]["99000001"]
    assert (book["kind"], book["title"], book["year"], book["authors"], book["doi"]) == (
        "book", "Fictional Example Syndrome Type 1", "1993", "Doe JQ; Roe R", "",
    )  # fmt: skip
    assert by_name["medline_date.xml"]["99000002"]["year"] == "1998"
    assert by_name["collective_mixed_authors.xml"]["99000003"]["authors"] == (
        "Vickers AJ; Example Acupuncture Trialists' Collaboration; van der Berg K; EXAMPLE Study Group"
    )
    assert by_name["forename_no_initials.xml"]["99000004"]["authors"] == "Nakamura H; Picard JL; Plato; Curie M"
    assert by_name["inline_markup.xml"]["99000006"]["title"] == (
        "Effect of Helicobacter pylori eradication on CO2 output and Ca2+ levels: a randomized trial."
    )
    assert by_name["mathml.xml"]["99000007"]["title"] == "Estimating R2 in small samples."
    assert by_name["non_ascii.xml"]["99000008"]["authors"] == "Müller J; Lefèvre É; Zhang W"
    assert "足三里" in by_name["non_ascii.xml"]["99000009"]["abstract"][0][1]
    nodoi = by_name["no_doi_no_abstract.xml"]["99000010"]
    assert (nodoi["doi"], nodoi["abstract"]) == ("", [])
    labels = [label for label, _ in by_name["structured_abstract.xml"]["99000005"]["abstract"]]
    assert labels == ["", "BACKGROUND", "METHODS", "RESULTS", "", "CONCLUSIONS"]


def test_malformed_fixture_fails_to_parse():
    path = HANDMADE / "malformed_truncated.xml"
    assert EXPECTED["handmade"]["malformed_truncated.xml"] == "error"
    with pytest.raises(ET.ParseError):
        ET.parse(path)
    with path.open("rb") as handle, pytest.raises(CorruptedXMLError):
        Entrez.read(handle)


def test_real_records_served_by_the_fake(entrez):
    """The real NCBI records and the hand-made ones round-trip through the fake."""
    records: dict[str, bytes] = {}
    for folder, name in EFETCH_FIXTURES:
        text = (FIXTURES / folder / name).read_bytes()
        for m in re.finditer(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", text, re.S):
            pmid = re.search(rb"<PMID[^>]*>(\d+)</PMID>", m.group(0)).group(1).decode()
            records[pmid] = m.group(0)
    with FakeEutils(records, {"fixtures": list(records)}) as fake, redirect_entrez(fake):
        res = Entrez.read(Entrez.esearch(db="pubmed", term="fixtures", usehistory="y", retmax=0))
        parsed = Entrez.read(
            Entrez.efetch(db="pubmed", WebEnv=res["WebEnv"], query_key=res["QueryKey"], retmax=500),
            validate=True,
        )
    got = _pmids(parsed) + [str(b["BookDocument"]["PMID"]) for b in parsed["PubmedBookArticle"]]
    assert sorted(got) == sorted(records) and int(res["Count"]) == len(records)


# -- the network faults of issue 15 -----------------------------------------------------------------
def test_the_huge_fault_pads_a_valid_answer_and_the_body_and_redirect_faults_answer_as_told():
    import urllib.error

    from fake_eutils import FakeEutils

    with FakeEutils.synthetic(2) as fake:
        url = fake.base_url + "efetch.fcgi?db=pubmed&id=1000001&retmode=xml"
        fake.inject(("huge", 300_000), ("body", b"<x/>"), ("redirect", "http://example.invalid/"))
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = resp.read()
        assert len(body) == 300_000 and b"<PMID Version=\"1\">1000001</PMID>" in body
        ET.fromstring(body)  # still well-formed
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == b"<x/>"
        opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                                  {"redirect_request": lambda *a: None}))
        with pytest.raises(urllib.error.HTTPError) as info:
            opener.open(url, timeout=10)
        assert info.value.code == 302 and info.value.headers["Location"] == "http://example.invalid/"

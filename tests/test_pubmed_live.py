"""The live path (record/live modes) against the fake E-utilities server on 127.0.0.1.

``redirect_entrez`` points the client's E-utilities URL (``evidence.pubmed.EUTILS_URL``)
and Bio.Entrez's opener at the fake (a test concern: the package keeps NCBI's real URLs). Retry waits are injected, so
nothing here sleeps for backoff; the rate limit always runs on the real clock.
"""

import json
import math
import warnings

import pytest

from evidence.errors import (
    IncompleteFetchError,
    NCBIRequestError,
    NCBIUnavailableError,
    ReplayMissError,
    SearchTermError,
)
from evidence.pubmed import ESEARCH_MAX, EvidenceWarning, PubMed
from evidence.records import parse_records
from evidence.settings import Settings
from evidence.snapshot import Snapshot

from fake_eutils import FakeEutils, redirect_entrez

EMAIL = "tester@example.org"
KEY = "0123456789abcdef0123456789abcdef0123"


def client(tmp_path, mode="live", api_key=None, **kw):
    settings = Settings(mode=mode, email=EMAIL, api_key=api_key, snapshot_dir=tmp_path / "snap")
    waits = []
    kw.setdefault("retry_sleep", waits.append)
    return PubMed(settings, progress="off", **kw), waits


def endpoint(fake, name):
    return [a for a in fake.arrivals.snapshot() if a[1].endswith(name)]


def test_search_with_history_then_fetch_in_batches(tmp_path):
    with FakeEutils.synthetic(1200, term="acupuncture") as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path)
        result = pm.search("acupuncture")
        assert result.count == 1200 and len(result.pmids) == 1200
        assert len(endpoint(fake, "esearch.fcgi")) == 1  # one esearch when count <= 10,000
        params = endpoint(fake, "esearch.fcgi")[0][2]
        assert params["usehistory"] == "y" and params["retmax"] == str(ESEARCH_MAX)
        assert params["email"] == EMAIL and params["tool"].startswith("evidence-workbook")
        bodies = pm.fetch(result, batch=500)
    efetches = endpoint(fake, "efetch.fcgi")
    assert len(bodies) == len(efetches) == math.ceil(1200 / 500)
    assert all("WebEnv" in p and p["query_key"] for _, _, p in efetches)
    assert [p["retstart"] for _, _, p in efetches] == ["0", "500", "1000"]
    frame = parse_records(bodies)
    assert list(frame["pmid"]) == list(result.pmids)


def test_more_than_9999_hits_are_split_by_date(tmp_path):
    fake = FakeEutils.synthetic(25_000, term="acupuncture", start_year=1990, end_year=2024)
    fake.RETRIEVAL_CAP = 9_999  # what PubMed really returns (see evidence.pubmed.ESEARCH_MAX)
    with fake, redirect_entrez(fake):
        pm, _ = client(tmp_path)
        result = pm.search("acupuncture", mindate="1990", maxdate="2024")
    assert result.count == 25_000
    assert len(result.pmids) == 25_000 == len(set(result.pmids))
    assert set(result.pmids) == set(fake.searches["acupuncture"])
    assert len(result.slices) >= 3 and all(s.count <= ESEARCH_MAX for s in result.slices)
    # one esearch for the whole range, then one per slice tried
    searches = endpoint(fake, "esearch.fcgi")
    assert all(p["datetype"] == "pdat" for _, _, p in searches[1:])
    assert result.summary_frame()["count"].sum() == 25_000


def test_transient_failures_are_retried_with_backoff(tmp_path):
    with FakeEutils.synthetic(30) as fake, redirect_entrez(fake):
        pm, waits = client(tmp_path, backoff=0.5)
        fake.inject(("status", 429), ("status", 500), ("status", 503), ("status", 502))
        result = pm.search("acupuncture")
        fake.inject(("status", 500), ("disconnect",))
        bodies = pm.fetch(result)
    assert result.count == 30
    assert waits == [0.5, 1.0, 2.0, 4.0, 0.5, 1.0]
    assert len(endpoint(fake, "esearch.fcgi")) == 5 and len(endpoint(fake, "efetch.fcgi")) == 3
    assert len(parse_records(bodies)) == 30


def test_persistent_failure_gives_up_with_a_clear_error(tmp_path):
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        pm, waits = client(tmp_path, mode="record", max_tries=3)
        fake.inject(*[("status", 503)] * 3)
        with pytest.raises(NCBIUnavailableError, match=r"after 3 tries; last failure: HTTP 503"):
            pm.search("acupuncture")
    assert len(waits) == 2
    assert not (tmp_path / "snap").exists()  # nothing written


def test_client_error_is_raised_at_once(tmp_path):
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        pm, waits = client(tmp_path)
        fake.inject(("status", 400))
        with pytest.raises(NCBIRequestError, match=r"HTTP 400 .*bad request.*not retried"):
            pm.search("acupuncture")
    assert waits == [] and len(fake.arrivals.snapshot()) == 1


@pytest.mark.parametrize("fault", [("truncate", 300), ("truncate_chunked", 300)])
def test_truncated_body_is_refused_and_never_stored(tmp_path, fault):
    with FakeEutils.synthetic(10) as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path, mode="record", max_tries=1)
        fake.inject(fault)
        with pytest.raises(NCBIUnavailableError):
            pm.fetch([str(1_000_000 + i) for i in range(10)])
        assert Snapshot(tmp_path / "snap").entries() == []
        assert not list((tmp_path / "snap").rglob("*.xml"))
        # with retries the next, whole answer is stored
        pm, waits = client(tmp_path, mode="record", max_tries=2)
        fake.inject(fault)
        (body,) = pm.fetch([str(1_000_000 + i) for i in range(10)])
    assert len(waits) == 1
    (entry,) = Snapshot(tmp_path / "snap").entries()
    assert entry.records == 10 and (tmp_path / "snap" / entry.file).read_bytes() == body


def test_missing_records_are_listed_and_nothing_stored(tmp_path):
    with FakeEutils.synthetic(12) as fake, redirect_entrez(fake):
        fake.drop = {"1000003", "1000007"}
        pm, _ = client(tmp_path, mode="record")
        with pytest.raises(IncompleteFetchError, match=r"2 PMID\(s\) asked for were not returned: 1000003, 1000007"):
            pm.fetch([str(1_000_000 + i) for i in range(12)])
        # in batches, the first incomplete batch stops the fetch before anything is stored
        with pytest.raises(IncompleteFetchError, match=r"1 PMID\(s\) asked for were not returned: 1000003\."):
            pm.fetch([str(1_000_000 + i) for i in range(12)], batch=6)
    assert Snapshot(tmp_path / "snap").entries() == []


def test_record_keeps_the_key_out_of_the_snapshot(tmp_path):
    with FakeEutils.synthetic(40) as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path, mode="record", api_key=KEY)
        result = pm.search("acupuncture", mindate="1990", maxdate="2024")
        bodies = pm.fetch(result, batch=15)
        sent = fake.arrivals.snapshot()
    assert all(p.get("api_key") == KEY for _, _, p in sent)  # the key goes to NCBI ...
    snap_dir = tmp_path / "snap"
    stored = "".join(p.read_text(errors="replace") for p in snap_dir.rglob("*") if p.is_file())
    assert KEY not in stored and EMAIL not in stored  # ... and nowhere else
    manifest = json.loads((snap_dir / "manifest.json").read_text())
    assert [e["utility"] for e in manifest["entries"].values()] == ["esearch"] + ["efetch"] * 3
    assert all(e["origin"] == "ncbi" and e["retrieved_at"] for e in manifest["entries"].values())
    # and replay gives back the same answers without the server
    pm, _ = client(tmp_path, mode="replay")
    replayed = pm.search("acupuncture", mindate="1990", maxdate="2024")
    assert replayed == result
    assert pm.fetch(replayed, batch=15) == bodies


def test_replay_answers_from_the_recording_with_sockets_forbidden(tmp_path, no_network):
    # sockets are forbidden here, so the recording is made from the fake's answer directly
    fake = FakeEutils.synthetic(20)
    esearch_params = {"db": "pubmed", "term": "acupuncture", "retmax": ESEARCH_MAX, "usehistory": "y"}
    status, _, body = fake._answer("/entrez/eutils/esearch.fcgi", {k: str(v) for k, v in esearch_params.items()})
    assert status == 200
    snap = Snapshot(tmp_path / "snap")
    snap.put("esearch", esearch_params, body, records=20)
    pm, _ = client(tmp_path, mode="replay")
    result = pm.search("acupuncture")
    assert result.count == 20
    with pytest.raises(ReplayMissError, match="efetch.*EVIDENCE_MODE=record"):
        pm.fetch(result)
    with pytest.raises(ReplayMissError, match="--term 'neck pain'"):
        pm.search("neck pain")


def test_live_mode_writes_nothing(tmp_path):
    with FakeEutils.synthetic(8) as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path, mode="live")
        pm.fetch(pm.search("acupuncture"))
    assert not (tmp_path / "snap").exists()


def test_unknown_term_is_named(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path)
        with pytest.raises(SearchTermError, match=r"'acupunctre'.*PhraseNotFound: acupunctre"):
            pm.search("acupunctre")
        with pytest.raises(SearchTermError, match="FieldNotFound: badfield"):
            pm.search("acupuncture[badfield]")


def test_warnings_from_esearch_are_shown(tmp_path):
    fake = FakeEutils.synthetic(3)
    fake.searches["acupuncture OR zzqx"] = list(fake.searches["acupuncture"])
    with fake, redirect_entrez(fake):
        pm, _ = client(tmp_path)
        fake.inject()  # no fault
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = pm.search("acupuncture OR zzqx")
    # the fake answers a known term without warnings; the client must not invent any
    assert result.count == 3 and not [w for w in caught if issubclass(w.category, EvidenceWarning)]


@pytest.mark.parametrize("api_key, limit, n", [(None, 3, 10), (KEY, 10, 24)])
def test_rate_limit_is_respected_at_the_server(tmp_path, api_key, limit, n):
    with FakeEutils.synthetic(n) as fake, redirect_entrez(fake):
        pm, _ = client(tmp_path, api_key=api_key)
        for i in range(n):
            pm.fetch([str(1_000_000 + i)])
    assert len(fake.arrivals.snapshot()) == n
    assert fake.max_arrivals_in_window(1.0) <= limit


def test_bad_fetch_options(tmp_path):
    pm, _ = client(tmp_path)
    with pytest.raises(ValueError, match="batch must be"):
        pm.fetch(["1"], batch=0)
    with pytest.raises(ValueError, match="'12a' is not a PMID"):
        pm.fetch(["1", "12a"])
    with pytest.raises(ValueError, match="both mindate and maxdate"):
        pm.search("x", mindate="2000")
    with pytest.raises(ValueError, match="datetype"):
        pm.search("x", datetype="year")


def test_ecitmatch_through_the_door_and_recorded(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.citations[("clin j pain", "1998", "14", "248", "birch")] = "9758075"
        pm, _ = client(tmp_path, mode="record")
        got = pm.ecitmatch([
            {"journal": "Clin J Pain", "year": 1998, "volume": "14", "first_page": "248", "author": "Birch"},
            {"journal": "Nowhere J", "year": 2001, "volume": "1", "first_page": "1", "author": "Nobody"},
        ])
        sent = endpoint(fake, "ecitmatch.cgi")
    assert got == ["9758075", None]
    assert len(sent) == 1 and sent[0][2]["email"] == EMAIL
    # replayed from the snapshot afterwards, without the server
    pm, _ = client(tmp_path, mode="replay")
    assert pm.ecitmatch([{"journal": "Clin J Pain", "year": 1998, "volume": "14", "first_page": "248",
                          "author": "Birch"},
                         {"journal": "Nowhere J", "year": 2001, "volume": "1", "first_page": "1",
                          "author": "Nobody"}]) == ["9758075", None]

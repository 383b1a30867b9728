"""Bounded time and memory, and NCBI's host only, on the live path (issue 15, items 5, 7, 9, 11-13).

Every request here goes to the fake E-utilities server on 127.0.0.1, whose base URL is
the client's configured host (``redirect_entrez`` points ``evidence.pubmed.EUTILS_URL``
at it). Timeouts are set small per client so the faults (a stalled server, a body that
drips a byte at a time) cost a second, not minutes; no test asserts a duration.
"""

import pytest

from evidence.errors import (
    IncompleteFetchError,
    NCBIError,
    NCBIRequestError,
    NCBIUnavailableError,
    RefusedInputError,
)
from evidence.pubmed import PubMed
from evidence.settings import Settings
from evidence.snapshot import Snapshot

from fake_eutils import EFETCH_HEAD, ESEARCH_HEAD, FakeEutils, redirect_entrez

EMAIL = "me@secret.example"
KEY = "SECRET0123456789abcdef0123456789ab"


def client(tmp_path, mode="record", **kw):
    settings = Settings(mode=mode, email=EMAIL, api_key=kw.pop("api_key", None), snapshot_dir=tmp_path / "snap")
    waits = []
    kw.setdefault("retry_sleep", waits.append)
    return PubMed(settings, progress="off", **kw), waits


def stored(tmp_path):
    folder = tmp_path / "snap"
    return Snapshot(folder).entries() if (folder / "manifest.json").exists() else []


# -- item 5: redirects only to the configured host ------------------------------------------
def test_a_redirect_to_another_host_is_refused_and_nothing_is_stored(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        # localhost is the same machine but not the configured host (127.0.0.1): not followed
        elsewhere = f"http://localhost:{fake.port}/entrez/eutils/efetch.fcgi?db=pubmed&id=1000001&retmode=xml"
        fake.inject(("redirect", elsewhere))
        pm, waits = client(tmp_path)
        with pytest.raises(NCBIRequestError, match=r"redirected to http://localhost:\d+/.*not 127\.0\.0\.1:\d+ over http"):
            pm.fetch(["1000001"])
        assert len(fake.arrivals.snapshot()) == 1 and waits == []  # not followed, not retried
    assert stored(tmp_path) == []


def test_a_redirect_to_another_scheme_is_refused(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("redirect", f"https://127.0.0.1:{fake.port}/entrez/eutils/efetch.fcgi?id=1000001"))
        pm, _ = client(tmp_path)
        with pytest.raises(NCBIRequestError, match="only redirects to that host are followed"):
            pm.fetch(["1000001"])


def test_a_redirect_within_the_host_is_followed(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("redirect", "/entrez/eutils/efetch.fcgi?db=pubmed&id=1000001&retmode=xml"))
        pm, _ = client(tmp_path)
        (body,) = pm.fetch(["1000001"])
    assert b"<PMID" in body and len(stored(tmp_path)) == 1


def test_the_default_host_is_ncbi_over_https():
    import evidence.pubmed as pubmed

    assert pubmed.EUTILS_URL == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/" or pubmed.EUTILS_URL.startswith("http://127.0.0.1:")


# -- item 9: timeouts -----------------------------------------------------------------------
def test_a_stalled_server_times_out_and_is_retried(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("stall", 5))
        pm, waits = client(tmp_path, read_timeout=0.3, max_tries=2)
        (body,) = pm.fetch(["1000001"])
    assert b"1000001" in body and len(waits) == 1


def test_a_server_that_never_answers_gives_one_clean_error(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("stall", 5), ("stall", 5))
        pm, _ = client(tmp_path, read_timeout=0.3, max_tries=2)
        with pytest.raises(NCBIUnavailableError, match="after 2 tries; last failure: .*timed out"):
            pm.fetch(["1000001"])
    assert stored(tmp_path) == []


def test_a_body_dripping_past_the_deadline_is_a_timeout_and_retried(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("drip", 0.01))  # ~2 KB at 100 bytes/s: 20 s, far past the 0.5 s deadline
        pm, waits = client(tmp_path, answer_deadline=0.5, max_tries=2)
        (body,) = pm.fetch(["1000001"])
    assert b"1000001" in body and len(waits) == 1


def test_limits_are_validated():
    for bad in (0, -1, float("nan"), float("inf"), "5", True):
        with pytest.raises(ValueError, match="read_timeout must be a positive number"):
            PubMed(Settings(), read_timeout=bad)
    with pytest.raises(ValueError, match="eutils_url"):
        PubMed(Settings(), eutils_url="ftp://example.org/")


# -- item 12: the largest answer --------------------------------------------------------------
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_answer_over_the_size_limit_is_refused_not_retried_not_stored(tmp_path, chunked):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("huge", 3 * 2**20, chunked))
        pm, waits = client(tmp_path, max_answer_bytes=2**20)
        with pytest.raises(NCBIError, match=r"larger than 1,048,576 bytes .*refused, nothing was stored"):
            pm.fetch(["1000001"])
        assert len(fake.arrivals.snapshot()) == 1 and waits == []
    assert stored(tmp_path) == []


# -- item 11: an unknown encoding in a live answer ------------------------------------------------
def test_a_live_answer_in_an_unknown_encoding_is_refused_once(tmp_path):
    body = b'<?xml version="1.0" encoding="X-EVIL-9"?>\n<PubmedArticleSet></PubmedArticleSet>\n'
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("body", body))
        pm, waits = client(tmp_path)
        with pytest.raises(RefusedInputError, match="efetch.*encoding 'X-EVIL-9'.*not retried"):
            pm.fetch(["1000001"])
        assert len(fake.arrivals.snapshot()) == 1 and waits == []
    assert stored(tmp_path) == []


# -- item 13: an esearch answer is checked before it is stored -------------------------------------
def test_an_esearch_count_that_disagrees_with_its_ids_is_never_stored(tmp_path):
    body = (ESEARCH_HEAD + "<eSearchResult><Count>5</Count><RetMax>2</RetMax><RetStart>0</RetStart>"
            "<QueryKey>1</QueryKey><WebEnv>W</WebEnv><IdList><Id>1000001</Id><Id>1000002</Id></IdList>"
            "<QueryTranslation>x</QueryTranslation></eSearchResult>\n").encode()
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.inject(("body", body))
        pm, _ = client(tmp_path)
        with pytest.raises(IncompleteFetchError, match="counted 5 records but returned 2 PMIDs"):
            pm.search("acupuncture")
    assert stored(tmp_path) == []


# -- item 7: secrets echoed as character references --------------------------------------------------
def test_secrets_echoed_as_character_references_are_redacted(tmp_path):
    key_refs = "&#83;" + KEY[1:10] + "".join(f"&#x{ord(c):x};" for c in KEY[10:])
    mail_refs = "me&#64;secret.example and ME&amp;#64;SECRET.EXAMPLE and me&commat;secret.example"
    record = FakeEutils.make_record("1000001", title="t", year=2001).replace(
        b"<ArticleTitle>t</ArticleTitle>", f"<ArticleTitle>echo {key_refs} {mail_refs}</ArticleTitle>".encode())
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.records["1000001"] = record
        pm, _ = client(tmp_path, api_key=KEY)
        (body,) = pm.fetch(["1000001"])
    from evidence.records import parse_records

    title = parse_records([body])["title"][0]
    assert title == "echo [redacted] [redacted] and [redacted] and [redacted]"
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "snap").rglob("*.xml"))
    assert b"&#83;" not in on_disk and b"&#64;" not in on_disk and b"[redacted]" in on_disk
    assert body.startswith(EFETCH_HEAD.encode())


# -- item 14: a failed `fetch --term` prints one line ------------------------------------------------------
def test_a_failed_fetch_after_a_search_prints_one_line(tmp_path, env, capsys):
    from evidence import cli

    env.setenv("EVIDENCE_MODE", "live")
    env.setenv("NCBI_EMAIL", EMAIL)
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        fake.inject(("delay", 0), ("status", 400))  # the esearch answers, the efetch is refused
        code = cli.main(["fetch", "--term", "acupuncture"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "NCBI refused efetch" in err, err


def test_a_successful_fetch_after_a_search_still_says_how_pubmed_read_the_query(tmp_path, env, capsys):
    from evidence import cli

    env.setenv("EVIDENCE_MODE", "live")
    env.setenv("NCBI_EMAIL", EMAIL)
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        assert cli.main(["fetch", "--term", "acupuncture"]) == 0
    err = capsys.readouterr().err
    assert "PubMed read the query as: \"acupuncture\"[All Fields]" in err and "efetch: 5 records" in err


@pytest.mark.parametrize("echo", [
    "me&commat;secret.example",          # a named reference only (no numeric one in the text)
    "me%40secret.example",               # percent-encoded
    "ME&#X40;Secret.Example",            # hexadecimal, other case
    "m&#101;&#64;secret&period;example",  # mixed
    "me&amp;#64;secret.example",         # escaped once more
])
def test_redact_decodes_every_reference_form(echo):
    from evidence.errors import redact

    assert redact(f"<t>echo {echo} end</t>", [KEY, EMAIL]) == "<t>echo [redacted] end</t>"
    assert redact("an ordinary 50% &amp; text", [KEY, EMAIL]) == "an ordinary 50% &amp; text"

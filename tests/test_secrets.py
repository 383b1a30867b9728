"""The API key and the e-mail never reach a message, a log line or a stored byte (issue 10, item 1).

NCBI echoes an invalid key in its 4xx body; the fake server on 127.0.0.1 is made
to do the same, so these tests see what a user would see.
"""

import pytest

from evidence import cli
from evidence.errors import NCBIRequestError, NCBIUnavailableError, clean_line, redact
from evidence.pubmed import PubMed
from evidence.settings import Settings
from evidence.snapshot import Snapshot

from fake_eutils import FakeEutils, redirect_entrez

EMAIL = "tester@example.org"
KEY = "0123456789abcdef0123456789abcdef0123"
ECHO = f'{{"error":"API key invalid","api-key":"{KEY}","request":"?email=tester%40example.org&api_key={KEY.upper()}"}}'


def client(tmp_path, mode="live", **kw):
    settings = Settings(mode=mode, email=EMAIL, api_key=KEY, snapshot_dir=tmp_path / "snap")
    return PubMed(settings, progress="off", retry_sleep=lambda s: None, **kw)


def assert_no_secret(text):
    assert KEY not in text and KEY.upper() not in text
    assert EMAIL not in text and "tester%40example.org" not in text


def test_a_4xx_body_echoing_the_key_is_redacted(tmp_path):
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        fake.inject(("status", 400, ECHO))
        with pytest.raises(NCBIRequestError) as info:
            client(tmp_path).fetch(["1000001"])
    message = str(info.value)
    assert "HTTP 400" in message and "API key invalid" in message and "[redacted]" in message
    assert_no_secret(message)


def test_a_5xx_reason_echoing_the_key_is_redacted_in_the_last_failure(tmp_path):
    with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
        fake.inject(("status", 500, ECHO), ("status", 503, ECHO))
        with pytest.raises(NCBIUnavailableError) as info:
            client(tmp_path, max_tries=2).fetch(["1000001"])
    assert_no_secret(str(info.value))


def test_an_answer_carrying_the_key_is_stored_and_returned_without_it(tmp_path):
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        fake.records["1000001"] = FakeEutils.make_record("1000001", title=f"echo {KEY} {EMAIL}", year=2001)
        (body,) = client(tmp_path, mode="record").fetch(["1000001", "1000002"])
    assert_no_secret(body.decode())
    stored = b"".join(p.read_bytes() for p in (tmp_path / "snap").rglob("*") if p.is_file())
    assert_no_secret(stored.decode())
    assert b"echo [redacted] [redacted]" in body
    # the stored copy replays (its checksum is of the redacted bytes)
    replay = PubMed(Settings(mode="replay", snapshot_dir=tmp_path / "snap"), progress="off")
    assert replay.fetch(["1000001", "1000002"]) == [body]


def test_cli_error_line_has_no_secret_even_from_an_unredacted_error(env, capsys, monkeypatch):
    env.setenv("NCBI_API_KEY", KEY)
    env.setenv("NCBI_EMAIL", EMAIL)

    def leak(args):
        raise NCBIRequestError(f"refused: key={KEY} mail={EMAIL}")

    monkeypatch.setattr(cli, "_cmd_records", leak)
    assert cli.main(["records", "--xml", "x.xml"]) == 2
    err = capsys.readouterr().err
    assert_no_secret(err)
    assert err.count("\n") == 1 and "[redacted]" in err


def test_redact_ignores_empty_and_tiny_secrets():
    assert redact("a@b key", [None, "", "a"]) == "a@b key"
    assert redact("x me%40ex.org y", ["me@ex.org"]) == "x [redacted] y"


def test_clean_line_strips_ansi_and_progress_bars():
    raw = ("\x1b[0;31mValueError\x1b[0m: bad\r\nevidence run (replay):  40%|####      | 2/5 "
           "[00:03<00:05,  1.2s/notebook]\r\n\x1b[1mnext\x1b[0m")
    assert clean_line(raw) == "ValueError: bad next"

import hashlib
import json
import os

import pytest

from evidence.errors import ChecksumError, ReplayMissError, SnapshotError
from evidence.records import pmids_in
from evidence.snapshot import Snapshot, atomic_write, canonical_params, request_key

from conftest import SNAPSHOT


def test_shipped_manifest_describes_the_seed():
    snap = Snapshot(SNAPSHOT)
    (entry,) = snap.entries()
    assert entry.utility == "efetch" and entry.origin == "assembled"
    assert entry.file == "records.xml"
    body = (SNAPSHOT / "records.xml").read_bytes()
    assert entry.sha256 == hashlib.sha256(body).hexdigest()
    assert entry.records == 45 == len(pmids_in(body))
    assert snap.seed_pmids() == pmids_in(body)
    # the shared copy is the source: same bytes
    assert (SNAPSHOT / "PROVENANCE.md").exists() and (SNAPSHOT / "provenance.csv").exists()


def test_key_ignores_identity_and_order():
    a = request_key("esearch", {"db": "pubmed", "term": "x", "email": "a@b.c", "api_key": "K", "tool": "t"})
    b = request_key("esearch", {"term": "x", "db": "pubmed"})
    assert a == b
    assert a != request_key("efetch", {"term": "x", "db": "pubmed"})
    assert canonical_params({"id": ["1", "2"], "retmax": 5, "x": None}) == {"id": "1,2", "retmax": "5"}


def test_put_and_get_round_trip_without_identity(tmp_path):
    snap = Snapshot(tmp_path / "snap")
    params = {"db": "pubmed", "term": "neck pain", "email": "me@example.org", "api_key": "SECRETKEY123"}
    entry = snap.put("esearch", params, b"<eSearchResult/>", records=0)
    assert snap.get("esearch", params) == b"<eSearchResult/>"
    assert ("esearch", params) in snap
    text = (tmp_path / "snap" / "manifest.json").read_text()
    assert "SECRETKEY123" not in text and "me@example.org" not in text
    stored = json.loads(text)["entries"][entry.key]
    assert set(stored) >= {"utility", "parameters", "retrieved_at", "origin", "sha256", "records"}
    assert stored["parameters"] == {"db": "pubmed", "term": "neck pain"}


def test_replay_miss_names_request_and_command(tmp_path):
    snap = Snapshot(tmp_path)
    with pytest.raises(ReplayMissError) as info:
        snap.get("esearch", {"db": "pubmed", "term": "acupuncture AND neck pain", "retmax": 10000})
    message = str(info.value)
    assert "esearch?db=pubmed&retmax=10000&term=acupuncture AND neck pain" in message
    assert "EVIDENCE_MODE=record" in message and "--term 'acupuncture AND neck pain'" in message


def test_checksum_mismatch_names_the_file(snapshot_copy):
    snap = Snapshot(snapshot_copy)
    pmids = snap.seed_pmids()
    target = snapshot_copy / "records.xml"
    target.write_bytes(target.read_bytes().replace(b"Japanese", b"Javanese", 1))
    with pytest.raises(ChecksumError, match=r"records\.xml: sha256 .* does not match"):
        snap.get("efetch", {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"})


def test_missing_file_and_broken_manifest(snapshot_copy):
    snap = Snapshot(snapshot_copy)
    pmids = snap.seed_pmids()
    (snapshot_copy / "records.xml").unlink()
    with pytest.raises(SnapshotError, match="records.xml: listed in manifest.json but cannot be read"):
        snap.get("efetch", {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"})
    (snapshot_copy / "manifest.json").write_text("{not json")
    with pytest.raises(SnapshotError, match="manifest.json: the snapshot manifest cannot be read"):
        snap.entries()


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "answer.xml"
    atomic_write(target, b"old")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.xml"]  # no temp file left


def test_failed_body_write_leaves_manifest_untouched(tmp_path, monkeypatch):
    snap = Snapshot(tmp_path)
    snap.put("esearch", {"term": "a"}, b"<a/>")
    before = (tmp_path / "manifest.json").read_bytes()
    real_replace = os.replace
    calls = []

    def crash_on_body(src, dst):
        calls.append(dst)
        if str(dst).endswith(".xml"):
            raise OSError("interrupted")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_body)
    with pytest.raises(OSError):
        snap.put("esearch", {"term": "b"}, b"<b/>")
    assert (tmp_path / "manifest.json").read_bytes() == before
    assert len(snap.entries()) == 1


def test_summary_frame_lists_entries():
    frame = Snapshot(SNAPSHOT).summary_frame()
    assert list(frame["origin"]) == ["assembled"]
    assert frame.loc[0, "parameters"] == "db=pubmed&id=<45 PMIDs>&retmode=xml"

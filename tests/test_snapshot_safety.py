"""The snapshot keeps what it holds and reads only its own regular files (issue 15, items 1, 6, 11-14).

Live answers come from the fake E-utilities server on 127.0.0.1 (``redirect_entrez``).
"""

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import evidence.snapshot as snapshot_module
from evidence.errors import ParseError, SnapshotError
from evidence.pubmed import PubMed
from evidence.settings import REPO_ROOT, Settings
from evidence.snapshot import Snapshot, atomic_write, request_key

from cli_runner import run_cli
from fake_eutils import FakeEutils, redirect_entrez

SHIPPED = REPO_ROOT / "data" / "pubmed"
SEED_KEY = "efetch-5ad8aa04d0b669bc8cd4"


def copy_of_shipped(tmp_path) -> Path:
    folder = tmp_path / "snap"
    shutil.copytree(SHIPPED, folder)
    return folder


def claims_json(snapshot: Path) -> list:
    env = dict(os.environ, EVIDENCE_SNAPSHOT=str(snapshot), EVIDENCE_MODE="replay")
    proc = run_cli("claims", env=env, cwd=REPO_ROOT, timeout=300)  # in this process (tests/cli_runner.py)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# -- item 1: the README's re-record step keeps the seed ------------------------------------------
def test_recording_the_seeds_request_live_keeps_the_assembled_seed(tmp_path):
    folder = copy_of_shipped(tmp_path)
    before_manifest = json.loads((folder / "manifest.json").read_text())
    before_file = (folder / "records.xml").read_bytes()
    seed = Snapshot(folder).seed_pmids()
    assert len(seed) == 45
    # NCBI's answer differs from the assembled one (its own titles, full indexing, ...)
    records = {p: FakeEutils.make_record(p, title=f"Live title {p}.", year=2001) for p in seed}
    with FakeEutils(records) as fake, redirect_entrez(fake):
        pm = PubMed(Settings(mode="record", email="t@example.org", snapshot_dir=folder), progress="off")
        (body,) = pm.fetch(seed, batch=500)
        assert request_key("efetch", fake.requests_to("efetch.fcgi")[0]) == SEED_KEY  # the seed's own request
    after = json.loads((folder / "manifest.json").read_text())["entries"]
    assert after[SEED_KEY] == before_manifest["entries"][SEED_KEY]
    assert (folder / "records.xml").read_bytes() == before_file
    beside = after[f"{SEED_KEY}.ncbi"]
    assert beside["origin"] == "ncbi" and "differs from the assembled entry" in beside["note"]
    assert (folder / beside["file"]).read_bytes() == body
    assert Snapshot(folder).seed_pmids() == seed
    # replay still answers the seed's request with the seed, and the claims are those of the shipped snapshot
    replay = PubMed(Settings(snapshot_dir=folder), progress="off")
    assert replay.fetch(seed, batch=500) == [before_file]
    assert claims_json(folder) == claims_json(SHIPPED)


def test_an_identical_answer_of_another_origin_is_not_stored_twice(tmp_path):
    snap = Snapshot(tmp_path)
    first = snap.put("efetch", {"id": "1"}, b"<a/>", origin="assembled", records=1)
    again = snap.put("efetch", {"id": "1"}, b"<a/>", origin="ncbi", records=1)
    assert again == first and [e.key for e in snap.entries()] == [first.key]


def test_the_same_origin_still_re_records(tmp_path):
    snap = Snapshot(tmp_path)
    snap.put("efetch", {"id": "1"}, b"<a/>", origin="ncbi")
    snap.put("efetch", {"id": "1"}, b"<b/>", origin="ncbi")
    assert [e.origin for e in snap.entries()] == ["ncbi"] and snap.get("efetch", {"id": "1"}) == b"<b/>"


# -- item 6 and 11: symlinks and special files --------------------------------------------------------
def test_a_stored_file_linked_outside_the_snapshot_is_refused(tmp_path):
    folder = copy_of_shipped(tmp_path)
    outside = tmp_path / "outside.xml"
    shutil.copy(folder / "records.xml", outside)  # same bytes: the checksum alone would pass
    (folder / "records.xml").unlink()
    (folder / "records.xml").symlink_to(outside)
    with pytest.raises(SnapshotError, match=r"records.xml: listed in manifest.json but resolves to .*outside.xml, "
                                            r"outside the snapshot folder"):
        Snapshot(folder).get("efetch", {"id": "9758075"})


@pytest.mark.parametrize("name", ["records.xml", "manifest.json"])
def test_a_stored_file_linked_to_dev_zero_is_refused(tmp_path, name):
    folder = copy_of_shipped(tmp_path)
    (folder / name).unlink()
    (folder / name).symlink_to("/dev/zero")
    with pytest.raises(SnapshotError, match=rf"{name}: .*resolves to /dev/zero, outside the snapshot"):
        Snapshot(folder).get("efetch", {"id": "9758075"})


def test_a_fifo_inside_the_snapshot_is_refused_without_blocking(tmp_path):
    folder = copy_of_shipped(tmp_path)
    (folder / "records.xml").unlink()
    os.mkfifo(folder / "records.xml")
    with pytest.raises(SnapshotError, match=r"records.xml: .*is not a regular file"):
        Snapshot(folder).get("efetch", {"id": "9758075"})


def test_a_link_within_the_snapshot_is_read(tmp_path):
    folder = copy_of_shipped(tmp_path)
    (folder / "records.xml").rename(folder / "real.xml")
    (folder / "records.xml").symlink_to("real.xml")
    assert b"<PMID" in Snapshot(folder).get("efetch", {"id": "9758075"})


def test_an_oversized_manifest_is_refused(tmp_path, monkeypatch):
    folder = copy_of_shipped(tmp_path)
    monkeypatch.setattr(snapshot_module, "MAX_MANIFEST_BYTES", 100)
    with pytest.raises(SnapshotError, match=r"manifest.json: the snapshot manifest holds \d[\d,]* bytes, more than the 100"):
        Snapshot(folder).entries()


def test_writing_into_a_linked_answer_folder_outside_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "efetch").symlink_to(outside)
    with pytest.raises(SnapshotError, match="outside the snapshot folder"):
        Snapshot(folder).put("efetch", {"id": "1"}, b"<a/>")
    assert list(outside.iterdir()) == []


# -- item 14: a full disk names the file ----------------------------------------------------------------
def test_a_full_disk_names_the_file_and_keeps_the_snapshot(tmp_path, monkeypatch):
    snap = Snapshot(tmp_path)
    snap.put("efetch", {"id": "1"}, b"<a/>")
    before = (tmp_path / "manifest.json").read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as info:
        atomic_write(tmp_path / "x.csv", b"data")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(tmp_path / "x.csv")
    with pytest.raises(SnapshotError, match=r"efetch/efetch-\w+\.xml: cannot be written \(No space left on device\)"):
        snap.put("efetch", {"id": "2"}, b"<b/>")
    assert (tmp_path / "manifest.json").read_bytes() == before
    assert not list(tmp_path.rglob("*.tmp")) and not (tmp_path / "x.csv").exists()


# -- item 14: a stored answer's XML error names the file --------------------------------------------------
def test_a_malformed_stored_answer_is_named_by_its_file(tmp_path):
    body = b'<?xml version="1.0"?>\n<eSearchResult><Count>1</Count><IdList><Id>11</Id></IdList>'
    params = {"db": "pubmed", "term": "x", "retmax": 9999, "usehistory": "y"}
    Snapshot(tmp_path).put("esearch", params, body, origin="ncbi")
    key = request_key("esearch", params)
    with pytest.raises(ParseError, match=rf"^{tmp_path}/esearch/{key}.xml: malformed XML at line 2"):
        PubMed(Settings(snapshot_dir=tmp_path), progress="off").search("x")


def test_a_stored_answer_in_an_unknown_encoding_is_refused_by_file(tmp_path):
    body = b'<?xml version="1.0" encoding="X-EVIL-9"?>\n<PubmedArticleSet></PubmedArticleSet>\n'
    Snapshot(tmp_path).put("efetch", {"db": "pubmed", "id": "11", "retmode": "xml"}, body, origin="ncbi")
    with pytest.raises(ParseError, match=r"efetch-\w+\.xml: .*the XML declares the encoding 'X-EVIL-9'"):
        PubMed(Settings(snapshot_dir=tmp_path), progress="off").fetch(["11"])
    with pytest.raises(ParseError, match=r"efetch-\w+\.xml: .*the XML declares the encoding 'X-EVIL-9'"):
        PubMed(Settings(snapshot_dir=tmp_path), progress="off").fetch(["12"])  # assembled: record_spans


def test_a_pmid_with_leading_zeros_is_answered_from_the_snapshot(tmp_path):
    record = FakeEutils.make_record("0009758075", title="t", year=2001)
    body = b'<?xml version="1.0"?>\n<PubmedArticleSet>' + record + b"</PubmedArticleSet>\n"
    Snapshot(tmp_path).put("efetch", {"db": "pubmed", "id": "1,2", "retmode": "xml"}, body, origin="import")
    (answer,) = PubMed(Settings(snapshot_dir=tmp_path), progress="off").fetch(["9758075"])
    assert b"<PMID Version=\"1\">0009758075</PMID>" in answer


def test_an_origin_is_a_word_because_it_names_the_file_beside(tmp_path):
    snap = Snapshot(tmp_path)
    snap.put("efetch", {"id": "1"}, b"<a/>", origin="assembled")
    for bad in ("../x", "a/b", "", "NCBI", "x" * 40):
        with pytest.raises(ValueError, match="origin must be a short lower-case word"):
            snap.put("efetch", {"id": "1"}, b"<b/>", origin=bad)
    assert [e.origin for e in snap.entries()] == ["assembled"]


def test_an_identical_answer_keeps_its_entry_byte_identical_but_a_damaged_file_is_restored(tmp_path):
    snap = Snapshot(tmp_path)
    snap.put("efetch", {"id": "1"}, b"<a/>", origin="import", retrieved_at="2026-01-01T00:00:00+00:00")
    before = (tmp_path / "manifest.json").read_bytes()
    snap.put("efetch", {"id": "1"}, b"<a/>", origin="import")  # re-importing the same answer adds nothing
    assert (tmp_path / "manifest.json").read_bytes() == before
    (entry,) = snap.entries()
    (tmp_path / entry.file).write_bytes(b"<damaged/>")
    snap.put("efetch", {"id": "1"}, b"<a/>", origin="import")  # the same answer again restores the file
    assert snap.get("efetch", {"id": "1"}) == b"<a/>"

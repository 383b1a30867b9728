"""Snapshot robustness (issue 10, items 2, 3, 9) and replay per record (issue 11, item 10)."""

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evidence.errors import ParseError, ReplayMissError, SnapshotError
from evidence.pubmed import PubMed
from evidence.records import parse_records
from evidence.review import load_records
from evidence.settings import Settings
from evidence.snapshot import Snapshot, request_key

from conftest import SNAPSHOT
from fake_eutils import FakeEutils, redirect_entrez

TESTS = Path(__file__).resolve().parent
KEY = "0123456789abcdef0123456789abcdef0123"

# One recording process: efetch of the PMIDs given, one request per PMID, into the snapshot given,
# against the fake server whose base URL is given (redirect_entrez needs only .base_url).
CHILD = textwrap.dedent("""
    import sys, types
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from fake_eutils import redirect_entrez
    from evidence.pubmed import PubMed
    from evidence.settings import Settings
    base_url, folder, pmids = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
    settings = Settings(mode="record", email="t@example.org", api_key={key!r}, snapshot_dir=folder)
    with redirect_entrez(types.SimpleNamespace(base_url=base_url)):
        PubMed(settings, progress="off").fetch(pmids, batch=1)
""").format(tests=str(TESTS), key=KEY)


def test_two_processes_recording_into_one_snapshot_keep_every_entry(tmp_path):
    folder = tmp_path / "snap"
    with FakeEutils.synthetic(40) as fake:
        pmids = sorted(fake.records)
        halves = [pmids[:20], pmids[20:]]
        procs = [subprocess.Popen([sys.executable, "-c", CHILD, fake.base_url, str(folder), ",".join(h)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for h in halves]
        results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    entries = Snapshot(folder).entries()
    assert len(entries) == 40
    # and every record replays, one request per PMID as recorded
    replay = PubMed(Settings(mode="replay", snapshot_dir=folder), progress="off")
    assert len(parse_records(replay.fetch(pmids, batch=1))) == 40


PUTTER = textwrap.dedent("""
    import sys
    from evidence.snapshot import Snapshot
    snap, name = Snapshot(sys.argv[1]), sys.argv[2]
    for i in range(150):
        snap.put("esearch", {"db": "pubmed", "term": f"{name} {i}"}, f"<{name}{i}/>".encode(), records=0)
""")


def test_concurrent_writers_never_lose_an_entry(tmp_path):
    # the read-modify-write of the manifest, hammered from three processes at once
    procs = [subprocess.Popen([sys.executable, "-c", PUTTER, str(tmp_path), name], stderr=subprocess.PIPE, text=True)
             for name in ("a", "b", "c")]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    snap = Snapshot(tmp_path)
    assert len(snap.entries()) == 450
    assert snap.get("esearch", {"db": "pubmed", "term": "b 149"}) == b"<b149/>"
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_stray_temporary_file_is_removed_by_the_next_write(tmp_path):
    snap = Snapshot(tmp_path)
    snap.put("esearch", {"term": "a"}, b"<a/>")
    # what a writer killed between mkstemp and rename leaves behind
    strays = [tmp_path / ".manifest.json.k1ll3d.tmp", tmp_path / "esearch" / ".esearch-x.xml.abc123.tmp"]
    for stray in strays:
        stray.write_bytes(b"half")
    snap.put("esearch", {"term": "b"}, b"<b/>")
    assert not any(p.exists() for p in strays)
    assert len(snap.entries()) == 2


def test_record_mode_refuses_a_read_only_snapshot_before_fetching(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").write_bytes(b"")
    except OSError:
        pass
    else:  # root ignores permission bits: use a folder on a read-only file system instead
        (folder / "probe").unlink()
        folder = Path("/sys/kernel/evidence-snapshot")
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        with pytest.raises(SnapshotError, match="not writable .*nothing was fetched"):
            PubMed(Settings(mode="record", email="t@example.org", snapshot_dir=folder), progress="off")
        assert fake.arrivals.snapshot() == []


def test_record_mode_refuses_a_snapshot_path_under_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(SnapshotError, match="cannot be created: .*f is a file"):
        PubMed(Settings(mode="record", email="t@example.org", snapshot_dir=tmp_path / "f" / "snap"))


# -- item 3: empty, missing and odd snapshots -----------------------------------
def test_an_empty_snapshot_folder_is_an_empty_review(tmp_path, no_network):
    frame = load_records(settings=Settings(snapshot_dir=tmp_path))
    assert len(frame) == 0
    assert {"pmid", "abstract_complete", "authors_complete"} <= set(frame.columns)


def test_a_missing_snapshot_folder_is_named(tmp_path, no_network):
    with pytest.raises(SnapshotError, match=r"nowhere: no such snapshot folder; set EVIDENCE_SNAPSHOT"):
        load_records(settings=Settings(snapshot_dir=tmp_path / "nowhere"))


def test_a_snapshot_path_that_is_a_file_is_named(tmp_path, no_network):
    (tmp_path / "f").write_text("x")
    with pytest.raises(SnapshotError, match="the snapshot path is a file, not a folder"):
        load_records(settings=Settings(snapshot_dir=tmp_path / "f"))


def test_files_without_a_manifest_are_not_an_empty_snapshot(tmp_path, no_network):
    (tmp_path / "records.xml").write_bytes((SNAPSHOT / "records.xml").read_bytes())
    with pytest.raises(SnapshotError, match="has files but no manifest.json"):
        load_records(settings=Settings(snapshot_dir=tmp_path))


def test_zero_article_xml_beside_provenance_gives_an_empty_table(tmp_path):
    from evidence.records import read_records

    (tmp_path / "records.xml").write_bytes(b"<PubmedArticleSet></PubmedArticleSet>")
    (tmp_path / "provenance.csv").write_bytes((SNAPSHOT / "provenance.csv").read_bytes())
    frame = read_records(tmp_path / "records.xml")
    assert len(frame) == 0 and "abstract_complete" in frame.columns


# -- item 9: manifest entries are validated ---------------------------------------
BODY = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>11</PMID><Article>"
        b"<ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")


def write_manifest(folder: Path, body=BODY, key="efetch-x", **override):
    folder.mkdir(exist_ok=True)
    (folder / "a.xml").write_bytes(body)
    entry = {"file": "a.xml", "utility": "efetch", "parameters": {"db": "pubmed", "id": "11", "retmode": "xml"},
             "retrieved_at": "2026-01-01", "origin": "assembled", "sha256": hashlib.sha256(body).hexdigest(),
             "records": 1}
    entry.update(override)
    entry = {k: v for k, v in entry.items() if v is not ...}
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "entries": {key: entry}}))
    return Snapshot(folder)


@pytest.mark.parametrize("override, message", [
    ({"file": 5}, r"file=5 has the wrong type"),
    ({"records": "many"}, r"records='many' has the wrong type"),
    ({"records": True}, r"records=True has the wrong type"),
    ({"parameters": ["id"]}, r"parameters=\['id'\] has the wrong type"),
    ({"parameters": {"id": 11}}, r"parameters must map names to strings"),
    ({"sha256": ...}, r"the field 'sha256' is missing"),
    ({"sha256": "abc"}, r"sha256 'abc' is not 64 hex digits"),
    ({"utility": "elink"}, r"utility 'elink' is not one of"),
    ({"colour": "red"}, r"unknown field\(s\) 'colour'"),
    ({"file": "/etc/passwd"}, r"file '/etc/passwd' is not a path inside the snapshot folder"),
    ({"file": "../../../etc/passwd"}, r"file '../../../etc/passwd' is not a path inside"),
    ({"file": "efetch/../../x.xml"}, r"file 'efetch/../../x.xml' is not a path inside"),
])
def test_a_bad_manifest_entry_is_refused_with_its_field(tmp_path, override, message):
    snap = write_manifest(tmp_path / "snap", **override)
    with pytest.raises(SnapshotError, match=r"manifest.json: entry efetch-x: " + message):
        snap.get("efetch", {"db": "pubmed", "id": "11", "retmode": "xml"})


def test_a_manifest_whose_entry_is_not_an_object_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 1, "entries": {"k": "text"}}))
    with pytest.raises(SnapshotError, match="entry 'k' is not an object"):
        Snapshot(tmp_path).entries()


PARAMS_11 = {"db": "pubmed", "id": "11", "retmode": "xml"}


def test_a_valid_hand_written_entry_still_reads(tmp_path):
    snap = write_manifest(tmp_path / "snap", key=request_key("efetch", PARAMS_11))
    assert snap.get("efetch", PARAMS_11) == BODY


# -- issue 11 item 10: replay per record ------------------------------------------------
def test_any_subset_of_held_pmids_replays_from_the_stored_records(env, no_network):
    seed = Snapshot(SNAPSHOT).seed_pmids()
    wanted = [seed[7], seed[0], seed[30]]
    bodies = PubMed(Settings(), progress="off").fetch(wanted)
    frame = parse_records(bodies)
    assert list(frame["pmid"]) == wanted
    whole = parse_records(SNAPSHOT / "records.xml").set_index("pmid")
    for column in ("title", "abstract", "authors", "journal", "year", "doi"):
        assert list(frame[column]) == list(whole.loc[wanted, column])
    # the stored bytes of each record, unchanged
    stored = (SNAPSHOT / "records.xml").read_bytes()
    start = bodies[0].index(b"<PubmedArticle>")
    assert bodies[0][start:bodies[0].index(b"</PubmedArticle>") + 16] in stored


def test_records_recorded_in_separate_requests_replay_together(tmp_path, no_network):
    folder = tmp_path / "snap"
    snap = Snapshot(folder)
    for pmid in ("21", "22"):
        body = BODY.replace(b"<PMID>11</PMID>", f"<PMID>{pmid}</PMID>".encode())
        snap.put("efetch", {"db": "pubmed", "id": pmid, "retmode": "xml"}, body, records=1)
    replay = PubMed(Settings(snapshot_dir=folder), progress="off")
    assert list(parse_records(replay.fetch(["22", "21"]))["pmid"]) == ["22", "21"]
    with pytest.raises(ReplayMissError, match=r"holds no record of PMID 23, 24\. .*--pmids 23,24"):
        replay.fetch(["21", "23", "24"])


def test_per_record_replay_still_checks_the_checksum(snapshot_copy, no_network):
    target = snapshot_copy / "records.xml"
    target.write_bytes(target.read_bytes().replace(b"Japanese", b"Javanese", 1))
    with pytest.raises(SnapshotError, match=r"records\.xml: sha256"):
        PubMed(Settings(snapshot_dir=snapshot_copy), progress="off").fetch(["9758075"])


def test_a_replayed_answer_with_a_pmid_twice_is_refused(tmp_path, no_network):
    record = BODY[BODY.index(b"<PubmedArticle>"):BODY.index(b"</PubmedArticleSet>")]
    body = BODY.replace(b"</PubmedArticleSet>", record + b"</PubmedArticleSet>")
    snap = write_manifest(tmp_path / "snap", body=body, key=request_key("efetch", PARAMS_11))
    with pytest.raises(ParseError, match=r"PMID 11 appears twice \(records 1 and 2\)"):
        PubMed(Settings(snapshot_dir=snap.folder), progress="off").fetch(["11"])


def test_replay_from_a_missing_folder_says_the_folder_is_missing(tmp_path, no_network):
    with pytest.raises(ReplayMissError, match=r"replay: no such snapshot folder .*nowhere; set EVIDENCE_SNAPSHOT"):
        PubMed(Settings(snapshot_dir=tmp_path / "nowhere"), progress="off").fetch(["9758075"])


def test_a_first_write_killed_before_the_manifest_does_not_block_the_next(tmp_path):
    # the body of the very first answer was renamed into place, then the process died
    (tmp_path / "efetch").mkdir()
    (tmp_path / "efetch" / "efetch-orphan.xml").write_bytes(b"<PubmedArticleSet/>")
    (tmp_path / ".manifest.json.x1.tmp").write_bytes(b"{")
    snap = Snapshot(tmp_path)
    assert snap.entries() == []
    snap.put("esearch", {"term": "a"}, b"<a/>")
    assert len(snap.entries()) == 1 and not (tmp_path / ".manifest.json.x1.tmp").exists()


def test_a_live_answer_with_a_pmid_twice_is_retried_then_refused_and_not_stored(tmp_path):
    from evidence.errors import NCBIUnavailableError

    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        pmid = sorted(fake.records)[0]
        fake.records[pmid] = fake.records[pmid] + b"\n" + fake.records[pmid]
        settings = Settings(mode="record", email="t@example.org", snapshot_dir=tmp_path / "snap")
        with pytest.raises(NCBIUnavailableError, match=rf"PMID {pmid} appears twice"):
            PubMed(settings, progress="off", max_tries=2, retry_sleep=lambda s: None).fetch([pmid])
    assert Snapshot(tmp_path / "snap").entries() == []

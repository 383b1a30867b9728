"""Replay mode: the review's records come from the snapshot and no socket is ever opened."""

import subprocess
import sys

import pytest

from evidence.errors import ReplayMissError
from evidence.pubmed import PubMed, search
from evidence.review import load_records, review_pmids
from evidence.settings import load_settings

from cli_runner import run_cli
from conftest import SNAPSHOT


def test_review_records_replay_with_sockets_forbidden(env, no_network):
    frame = load_records()
    assert len(frame) == 45
    assert list(frame["pmid"]) == review_pmids()
    assert frame["abstract_complete"].notna().all()


def test_search_without_recording_is_a_replay_miss(env, no_network):
    with pytest.raises(ReplayMissError) as info:
        search("acupuncture AND tension-type headache")
    message = str(info.value)
    assert "esearch?db=pubmed" in message and "term=acupuncture AND tension-type headache" in message
    assert "EVIDENCE_MODE=record NCBI_EMAIL=you@example.org evidence fetch --term" in message


def test_fetch_of_pmids_outside_the_snapshot_is_a_miss(env, no_network):
    # 9758075 is held; only the PMID that is not is named, with the command that records it
    with pytest.raises(ReplayMissError, match=r"holds no record of PMID 1\. .*evidence fetch --pmids 1$"):
        PubMed(load_settings()).fetch(["9758075", "1"])


def test_changed_snapshot_file_is_caught_in_replay(env, snapshot_copy, no_network):
    env.setenv("EVIDENCE_SNAPSHOT", str(snapshot_copy))
    (snapshot_copy / "records.xml").write_bytes((SNAPSHOT / "records.xml").read_bytes() + b"\n")
    with pytest.raises(Exception, match="records.xml: sha256"):
        load_records()


def test_cli_fetch_replay_miss_exit_2(env):
    # kept as a real process: `evidence fetch`'s end-to-end test (a separate process's exit code
    # and stderr); the other fetch command lines run in the test process (tests/cli_runner.py)
    proc = subprocess.run([sys.executable, "-m", "evidence", "fetch", "--term", "neck pain"],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2
    assert proc.stderr.startswith("evidence fetch: replay: the snapshot")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_live_mode_without_email_exit_2(env):
    proc = run_cli("fetch", "--term", "neck pain", env={"PATH": "/usr/bin:/bin", "EVIDENCE_MODE": "record"})
    assert proc.returncode == 2
    assert "NCBI_EMAIL" in proc.stderr


def test_cli_fetch_pmids_in_replay_writes_table(env, tmp_path):
    out = tmp_path / "t.csv"
    proc = run_cli("fetch", "--pmids", ",".join(review_pmids()), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "efetch: 45 records in 1 batch(es) (replay)" in proc.stderr
    assert out.read_text().count("\n") > 45


def test_import_has_no_side_effects():
    code = ("import sys, evidence; "
            "assert 'Bio.Entrez' not in sys.modules and 'pandas' not in sys.modules, sorted(sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


def test_only_pubmed_imports_bio_entrez():
    from pathlib import Path

    pkg = Path(__file__).resolve().parent.parent / "evidence"
    importers = sorted(p.name for p in pkg.glob("*.py") if "Bio import Entrez" in p.read_text()
                       or "import Bio.Entrez" in p.read_text() or "from Bio.Entrez" in p.read_text())
    assert importers == ["pubmed.py"]


def test_help_everywhere():
    for args in ([], ["records"], ["fetch"], ["run"]):
        proc = run_cli(*args, "--help")
        assert proc.returncode == 0 and "usage: evidence" in proc.stdout


ESEARCH_WITH_WARNING = b"""<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult><Count>2</Count><RetMax>2</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey>
<WebEnv>MCID_test</WebEnv><IdList><Id>9758075</Id><Id>11128820</Id></IdList>
<TranslationSet/><QueryTranslation>acupuncture[All Fields]</QueryTranslation>
<ErrorList><PhraseNotFound>zzqx</PhraseNotFound></ErrorList>
<WarningList><OutputMessage>Quoted phrase not found.</OutputMessage></WarningList>
</eSearchResult>
"""


def test_esearch_warning_list_is_a_warning_naming_the_term(env, tmp_path, no_network):
    # the shape of a real answer whose query partly failed (see tests/fixtures/ncbi/esearch8.xml)
    from evidence.pubmed import ESEARCH_MAX, EvidenceWarning
    from evidence.snapshot import Snapshot

    snap = Snapshot(tmp_path)
    snap.put("esearch", {"db": "pubmed", "term": "acupuncture zzqx", "retmax": ESEARCH_MAX, "usehistory": "y"},
             ESEARCH_WITH_WARNING, records=2)
    env.setenv("EVIDENCE_SNAPSHOT", str(tmp_path))
    with pytest.warns(EvidenceWarning) as caught:
        result = search("acupuncture zzqx")
    messages = [str(w.message) for w in caught]
    assert "esearch 'acupuncture zzqx': PhraseNotFound: zzqx" in messages
    assert "esearch 'acupuncture zzqx': Quoted phrase not found." in messages
    assert result.pmids == ("9758075", "11128820") and result.query_translation == "acupuncture[All Fields]"

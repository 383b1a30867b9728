"""evidence update --file: PubMed text (MEDLINE) and XML imports into a copy of the snapshot.

Real NCBI output: Biopython's Tests/Medline files (tests/fixtures/ncbi/medline/, real records
saved from PubMed) and the snapshot's records written out in the PubMed format.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SNAPSHOT
from evidence import review
from evidence.cli import main
from evidence.errors import ParseError, SnapshotError
from evidence.medline import parse_medline, to_medline
from evidence.records import parse_records
from evidence.snapshot import Snapshot
from evidence.update import (import_bytes, import_file, imported_only_pmids, record_fingerprint,
                             snapshot_records)

MEDLINE = FIXTURES / "ncbi" / "medline"
#: left out of the copy: included records with no extracted effects (an RCT of TTH vs sham,
#: an RCT of neck pain vs usual care, a Cochrane review of TTH)
LEFT_OUT = ["35732505", "17156464", "27092807"]


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def held():
    return parse_records((SNAPSHOT / "records.xml").read_bytes())


@pytest.fixture
def copy(tmp_path):
    """A copy of the review that lacks LEFT_OUT."""
    return review.copy_review(tmp_path / "copy", without=LEFT_OUT)


# -- the format ---------------------------------------------------------------------------------
def test_biopython_medline_files_parse_to_the_values_written_in_them():
    one = parse_medline((MEDLINE / "pubmed_result1.txt").read_bytes())
    row = one.iloc[0]
    # values as written in the file's PMID, TI, AU, DP, TA, PT and MH lines
    assert (row.pmid, row.title, row.authors, row.year) == ("12230038", "The Bio* toolkits--a brief overview.",
                                                            "Mangalam H", 2002)
    assert row.journal_iso == "Brief Bioinform" and row.journal == "Briefings in bioinformatics"
    assert row.publication_types == "Journal Article" and row.doi == ""
    assert row.mesh_major == "Computational Biology; Programming Languages; Software"
    assert row.abstract.startswith("Bioinformatics research is often difficult") and "\n" not in row.abstract
    two = parse_medline((MEDLINE / "pubmed_result2.txt").read_bytes())
    assert two.pmid.tolist() == ["16403221", "16377612", "14871861", "14630660"]
    assert two.doi.tolist()[:3] == ["10.1186/1471-2105-7-10", "10.1093/bioinformatics/btk021",
                                    "10.1093/bioinformatics/bth078"]
    assert two.authors[0] == "Casbon JA; Crooks GE; Saqi MA" and two.article_date[0] == "2006-01-10"
    three = parse_medline((MEDLINE / "pubmed_result3.txt").read_bytes())
    assert three.doi[0] == "10.1118/1.4748329"
    assert not one.retracted.any() and not two.retracted.any()


def test_snapshot_records_survive_the_pubmed_format_round_trip(held):
    back = parse_medline(to_medline(held))
    norm = lambda v: " ".join(str(v).split())  # noqa: E731
    for a, b in zip(held.to_dict("records"), back.to_dict("records")):
        for column in ("pmid", "title", "abstract", "publication_types", "authors", "doi", "year",
                       "journal", "mesh_terms", "mesh_major", "language", "pages", "volume"):
            assert norm(a[column]) == norm(b[column]), (a["pmid"], column)
        assert record_fingerprint(a) == record_fingerprint(b)


# -- the import ---------------------------------------------------------------------------------
def test_a_pubmed_text_import_adds_exactly_the_missing_pmids_and_rewrites_nothing(copy, held, no_network):
    snap = Snapshot(copy.snapshot_dir)
    before = hashes(copy.snapshot_dir)
    old_entries = json.loads((copy.snapshot_dir / "manifest.json").read_text())["entries"]
    rows = held[held.pmid.isin(LEFT_OUT + ["9758075", "11128820"])]  # three missing, two held
    body = to_medline(rows)
    path = copy.snapshot_dir.parent / "saved.txt"
    path.write_bytes(body)
    result = import_file(snap, path, today="2026-12-05")
    assert sorted(result.new) == sorted(LEFT_OUT)
    assert sorted(result.unchanged) == ["11128820", "9758075"] and not result.changed
    after = hashes(copy.snapshot_dir)
    assert {k: v for k, v in after.items() if k in before and k != "manifest.json"} == \
        {k: v for k, v in before.items() if k != "manifest.json"}
    stored = f"import/{hashlib.sha256(body).hexdigest()}.txt"
    assert set(after) - set(before) == {stored} and (copy.snapshot_dir / stored).read_bytes() == body
    entries = json.loads((copy.snapshot_dir / "manifest.json").read_text())["entries"]
    assert {k: entries[k] for k in old_entries} == old_entries
    new = [e for k, e in entries.items() if k not in old_entries]
    assert len(new) == 1 and new[0]["origin"] == "import" and new[0]["retrieved_at"] == "2026-12-05"
    assert new[0]["sha256"] == hashlib.sha256(body).hexdigest()
    # the second import of the same file adds nothing
    again = import_file(snap, path)
    assert again.already_imported and hashes(copy.snapshot_dir) == after
    # the review's records table holds them through the usual loader; no study rows asked for yet
    records = review.load_records(settings=copy)
    assert set(LEFT_OUT) <= set(records.pmid) and len(records) == len(held)
    assert imported_only_pmids(snap) == set(LEFT_OUT)
    review.load_studies(copy)  # does not ask for study rows of the imported records


def test_an_xml_import_adds_exactly_the_missing_pmids(copy, held, no_network):
    body = Snapshot(SNAPSHOT).assemble(LEFT_OUT[:2])
    before = hashes(copy.snapshot_dir)
    result = import_bytes(Snapshot(copy.snapshot_dir), body, name="saved.xml")
    assert sorted(result.new) == sorted(LEFT_OUT[:2]) and result.format == "xml"
    assert result.entry.file == f"import/{hashlib.sha256(body).hexdigest()}.xml"
    records = review.load_records(settings=copy)
    assert set(LEFT_OUT[:2]) <= set(records.pmid) and LEFT_OUT[2] not in set(records.pmid)
    after = hashes(copy.snapshot_dir)
    assert all(after[k] == v for k, v in before.items() if k != "manifest.json")


def test_a_changed_held_record_is_reported_and_its_new_version_is_used(copy, held, no_network):
    row = held[held.pmid == "11128820"].copy()
    row["title"] = "Acupuncture for episodic tension-type headache: a corrected title"
    result = import_bytes(Snapshot(copy.snapshot_dir), to_medline(row), name="x.txt")
    assert result.changed == ("11128820",) and result.rows[0]["fields"] == "title"
    records = review.load_records(settings=copy)
    assert records.set_index("pmid").loc["11128820", "title"].endswith("a corrected title")


def test_a_retracted_publication_is_flagged(copy, held, no_network):
    text = to_medline(held[held.pmid == "11128820"]).replace(
        b"PT  - ", b"PT  - Retracted Publication\nPT  - ", 1)
    result = import_bytes(Snapshot(copy.snapshot_dir), text, name="x.txt")
    assert result.retracted == ("11128820",) and result.changed == ("11128820",)
    assert result.rows[0]["fields"] == "publication_types"
    assert review.load_records(settings=copy).set_index("pmid").loc["11128820", "retracted"]


def test_a_retraction_notice_flags_the_record_it_names(copy, held, no_network):
    notice = (b"PMID- 99999991\nDP  - 2026 Dec\nTI  - Retraction notice to: a trial.\nPT  - "
              b"Retraction of Publication\nROF - White AR, et al. Trial. 2000. PMID: 11128820\nSO  - X. 2026.\n")
    result = import_bytes(Snapshot(copy.snapshot_dir), notice, name="notice.txt")
    assert set(result.retracted) == {"11128820"} and result.new == ("99999991",)
    records = review.load_records(settings=copy).set_index("pmid")
    assert records.loc["11128820", "retracted"] and not records.loc["99999991", "retracted"]
    assert len(snapshot_records(Snapshot(copy.snapshot_dir))) == len(held) - len(LEFT_OUT) + 1


# -- bad input: one line, nothing changed -------------------------------------------------------
REAL = (MEDLINE / "pubmed_result2.txt").read_bytes()
BAD = {
    "neither format": (b"Title,Authors\nAcupuncture,Smith\n", "neither the PubMed text format"),
    "no PMID": (REAL.replace(b"PMID- 16377612\n", b"", 1), "has no PMID line"),
    "PMID twice, different content": (
        REAL + b"\n" + REAL.split(b"\n\n")[1].replace(b"GenomeDiagram", b"GenomeDiagrams") + b"\n", "given twice"),
    "truncated": (REAL[: len(REAL) // 2], "cut short"),
    "truncated mid-record": (REAL[: REAL.index(b"SO  - ", 2000)], "cut short"),
    "XML cut short": (Snapshot(SNAPSHOT).assemble(["9758075"])[:-40], "malformed XML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_with_one_line_and_change_nothing(case, snapshot_copy, tmp_path, capsys, env):
    body, message = BAD[case]
    before = hashes(snapshot_copy)
    with pytest.raises(ParseError, match=message):
        import_bytes(Snapshot(snapshot_copy), body, name="bad")
    path = tmp_path / "bad.txt"
    path.write_bytes(body)
    env.setenv("EVIDENCE_SNAPSHOT", str(snapshot_copy))
    assert main(["update", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "bad.txt" in err
    assert hashes(snapshot_copy) == before


def test_the_same_pmid_twice_with_the_same_content_is_kept_once():
    one = REAL.split(b"\n\n")[1] + b"\n"
    assert parse_medline(one + b"\n" + one).pmid.tolist() == ["16377612"]


def test_an_import_into_a_read_only_snapshot_changes_nothing(snapshot_copy, tmp_path, capsys, env):
    path = tmp_path / "new.txt"
    path.write_bytes(REAL)
    before = hashes(snapshot_copy)
    if subprocess.run(["chattr", "+i", str(snapshot_copy)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available to make a folder read-only for root")
    try:
        env.setenv("EVIDENCE_SNAPSHOT", str(snapshot_copy))
        assert main(["update", "--file", str(path)]) == 2
        err = capsys.readouterr().err
        assert "not writable" in err and err.count("\n") == 1
        with pytest.raises(SnapshotError, match="not writable"):
            import_file(Snapshot(snapshot_copy), path)
    finally:
        subprocess.run(["chattr", "-i", str(snapshot_copy)], check=True)
    assert hashes(snapshot_copy) == before


def test_the_cli_imports_and_prints_each_record_status(copy, held, capsys, env):
    env.setenv("EVIDENCE_SNAPSHOT", str(copy.snapshot_dir))
    env.setenv("EVIDENCE_DATA", str(copy.data_dir))
    path = copy.snapshot_dir.parent / "saved.txt"
    path.write_bytes(to_medline(held[held.pmid.isin(LEFT_OUT)]))
    assert main(["update", "--file", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(out["new"]) == sorted(LEFT_OUT) and out["stored"].startswith("import/")
    # the queue's suggestions are refreshed in the data folder, never in the snapshot
    suggested = (copy.data_dir / "suggested_effects.csv").read_text()
    assert suggested.startswith("pmid,measure,value,ci_low,ci_high,ci_level,p,start,end,quote,")
    env.setenv("EVIDENCE_SNAPSHOT", str(copy.snapshot_dir))
    assert main(["update", "--file", str(MEDLINE / "pubmed_result2.txt"), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["new"] == ["16403221", "16377612", "14871861", "14630660"]
    assert main(["update", "--file", str(MEDLINE / "pubmed_result2.txt")]) == 0
    assert "already imported" in capsys.readouterr().err




# -- live update against the fake E-utilities server on 127.0.0.1 ------------------------------
TERM = "acupuncture AND neck pain"


def _recorded_search(folder: Path) -> None:
    """A search recorded on 2026-11-01 (an esearch entry as record mode stores it)."""
    body = (b'<?xml version="1.0" ?><eSearchResult><Count>1</Count><RetMax>1</RetMax><RetStart>0</RetStart>'
            b"<IdList><Id>9758075</Id></IdList><TranslationSet/><QueryTranslation>x</QueryTranslation>"
            b"</eSearchResult>")
    Snapshot(folder).put("esearch", {"db": "pubmed", "term": TERM, "retmax": 9999, "usehistory": "y"}, body,
                         origin="ncbi", records=1, retrieved_at="2026-11-01T10:00:00+00:00")


def test_a_live_update_reruns_the_recorded_search_from_its_last_date_and_fetches_only_new_pmids(snapshot_copy):
    from fake_eutils import FakeEutils, redirect_entrez

    from evidence.pubmed import PubMed
    from evidence.settings import Settings
    from evidence.update import live_update

    _recorded_search(snapshot_copy)
    new = ["39000001", "39000002"]
    records = {p: FakeEutils.make_record(p, title=f"Acupuncture for neck pain {p}", year=2026, month=11)
               for p in new + ["39000003"]}
    records["9758075"] = FakeEutils.make_record("9758075", title="held", year=1998)
    # 39000003 entered PubMed before the last run: the edat range leaves it out
    dates = {"39000001": "2026/11/15", "39000002": "2026/12/01", "39000003": "2026/10/01", "9758075": "2026/11/20"}
    fake = FakeEutils(records, {TERM: ["9758075", *new, "39000003"]}, dates)
    before = hashes(snapshot_copy)
    old_entries = json.loads((snapshot_copy / "manifest.json").read_text())["entries"]
    settings = Settings(mode="record", email="t@example.org", snapshot_dir=snapshot_copy)
    with fake, redirect_entrez(fake):
        result = live_update(PubMed(settings, progress="off", retry_sleep=lambda s: None), today="2026/12/05")
        search = fake.requests_to("esearch.fcgi")[-1]
        fetched = [p for r in fake.requests_to("efetch.fcgi") for p in r["id"].split(",")]
    assert (search["datetype"], search["mindate"], search["maxdate"]) == ("edat", "2026/11/01", "2026/12/05")
    assert result.new == tuple(new) and sorted(fetched) == new  # the held PMID is not fetched again
    entries = json.loads((snapshot_copy / "manifest.json").read_text())["entries"]
    assert {k: entries[k] for k in old_entries} == old_entries
    after = hashes(snapshot_copy)
    assert all(after[k] == v for k, v in before.items() if k != "manifest.json")
    added = [e for k, e in entries.items() if k not in old_entries]
    assert sorted(e["origin"] for e in added) == ["ncbi", "update"]
    # replay serves the new records in the review's records table; they wait for study rows
    table = review.load_records(settings=Settings(mode="replay", snapshot_dir=snapshot_copy))
    assert set(new) <= set(table.pmid)
    assert imported_only_pmids(Snapshot(snapshot_copy)) == set(new)
    # a second update the same day finds nothing new and rewrites nothing
    again_before = hashes(snapshot_copy)
    with fake, redirect_entrez(fake):
        again = live_update(PubMed(settings, progress="off"), today="2026/12/05")
    assert again.new == () and again.stored == ()
    after_again = hashes(snapshot_copy)
    assert all(after_again[k] == v for k, v in again_before.items() if k != "manifest.json")
    assert not [k for k in after_again if k not in again_before and not k.startswith("esearch/")]


def test_a_live_update_in_replay_mode_or_without_searches_says_what_to_do(snapshot_copy, capsys, env):
    env.setenv("EVIDENCE_SNAPSHOT", str(snapshot_copy))
    assert main(["update"]) == 2
    assert "EVIDENCE_MODE=record" in capsys.readouterr().err
    env.setenv("EVIDENCE_MODE", "live")
    env.setenv("NCBI_EMAIL", "t@example.org")
    assert main(["update"]) == 2  # the shipped snapshot holds no recorded search
    assert "no recorded search" in capsys.readouterr().err

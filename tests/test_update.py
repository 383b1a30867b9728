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


def test_update_without_file_says_what_to_do(capsys, env):
    env.setenv("EVIDENCE_MODE", "replay")
    assert main(["update"]) == 2
    assert "--file" in capsys.readouterr().err

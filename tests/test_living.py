"""Living review after an import: retracted studies out with a warning, the triage queue,
pending_studies per claim, review.json and evidence diff.

The update rehearsed here: a copy of the review without three included records that have no
extraction yet (an RCT of TTH vs sham, an RCT of neck pain, the 2016 Cochrane TTH review), then
those real records written out in the PubMed format and imported, together with Irnich 2002
(PMID 12237186, six effect rows) marked "Retracted Publication" IN THE COPY ONLY (a test
variant: the real record is not retracted).
"""

from __future__ import annotations

import json

import pytest

from evidence import review
from evidence.cli import main
from evidence.diff import diff_reviews, read_state, review_state
from evidence.errors import DataError
from evidence.medline import to_medline
from evidence.report import render_claims
from evidence.snapshot import Snapshot
from evidence.triage import suggested_csv, suggested_effects
from evidence.update import import_bytes

LEFT_OUT = ["35732505", "17156464", "27092807"]
RETRACTED = "12237186"  # Irnich 2002, study irnich2002


@pytest.fixture(scope="module")
def living(tmp_path_factory):
    folder = tmp_path_factory.mktemp("living")
    settings = review.copy_review(folder / "copy", without=LEFT_OUT)
    before = review.build_review(settings)
    records = review.load_records()
    body = to_medline(records[records.pmid.isin(LEFT_OUT + [RETRACTED])])
    body = body.replace(f"PMID- {RETRACTED}\n".encode(), f"PMID- {RETRACTED}\nPT  - Retracted Publication\n".encode())
    result = import_bytes(Snapshot(settings.snapshot_dir), body, name="update.txt")
    after = review.build_review(settings)
    return {"settings": settings, "before": before, "after": after, "result": result, "folder": folder}


def test_the_import_reports_three_new_and_one_retracted(living):
    result = living["result"]
    assert sorted(result.new) == sorted(LEFT_OUT)
    assert result.changed == (RETRACTED,) and result.retracted == (RETRACTED,)


def test_a_retracted_study_leaves_every_pool_sof_row_and_verdict(living):
    before, after = living["before"], living["after"]
    assert (before.effects["study_id"] == "irnich2002").sum() == 6  # data/effects.csv
    assert not (after.effects["study_id"] == "irnich2002").any()
    assert any("irnich2002" in r.study_ids for r in before.sof.rows)
    assert not any("irnich2002" in r.study_ids for r in after.sof.rows)
    assert all(RETRACTED not in v.pmids for v in after.claims)
    assert [(w.study_id, w.pmid, w.effects) for w in after.warnings] == [("irnich2002", RETRACTED, 6)]
    warned = [v for v in after.claims if v.warnings]
    assert warned and all("irnich2002 (PMID 12237186) is retracted" in str(v.warnings[0]) for v in warned)
    # the warning reaches the neck-pain claims, not the tension-type headache one
    ids = {v.id for v in warned}
    assert "neck_pain_function" in ids and "tth_frequency" not in ids


def test_the_warning_and_pending_studies_show_in_every_format(living):
    after = living["after"]
    data = json.loads(render_claims(after.claims, after.records, fmt="json"))
    by_id = {c["id"]: c for c in data}
    assert all(isinstance(c["pending_studies"], int) and isinstance(c["warnings"], list) for c in data)
    assert by_id["neck_pain_function"]["warnings"][0].startswith("irnich2002 (PMID 12237186) is retracted")
    n = by_id["tth_frequency"]["pending_studies"]
    assert n == 2  # zheng2022 (RCT, TTH, sham) and linde2016 (Cochrane review of TTH)
    md = render_claims(after.claims, after.records, fmt="md")
    assert f"{n} eligible studies not yet extracted" in md and "irnich2002 (PMID 12237186) is retracted" in md
    en = render_claims(after.claims, after.records, fmt="html", lang="en")
    nl = render_claims(after.claims, after.records, fmt="html", lang="nl")
    assert f"{n} eligible studies not yet extracted" in en
    assert f"{n} geschikte studies nog niet geëxtraheerd" in nl and "is teruggetrokken" in nl


def test_before_the_import_no_claim_has_pending_studies(living):
    before = living["before"]
    assert len(before.queue) == 0 and all(v.pending_studies == 0 and not v.warnings for v in before.claims)


def test_the_queue_lists_included_records_without_a_study_row(living):
    items = living["after"].queue.items.set_index("pmid")
    assert set(items.index) == set(LEFT_OUT)
    assert items.loc["35732505", "needs"] == "study row; extraction; RoB 2"
    assert items.loc["27092807", "needs"] == "study row; extraction"


def test_suggested_rows_carry_the_quote_offsets_and_status():
    records = review.load_records()
    kang = records[records.pmid == "37234488"]
    rows = suggested_effects(kang, confidence=0.9)
    # Kang 2023's abstract: "RR 1.30 (1.13 to 1.50)" (field notes: the published anchor)
    hit = rows[(rows.measure == "RR") & (rows.value == 1.30)].iloc[0]
    assert (hit.ci_low, hit.ci_high, hit.status, hit.miner_confidence) == (1.13, 1.50, "suggested", 0.9)
    assert kang.abstract.iloc[0][hit.start:hit.end] == hit.quote


def test_suggested_csv_neutralises_formula_cells_but_not_numbers():
    import pandas as pd

    rows = pd.DataFrame([{"pmid": "1", "measure": "MD", "value": -1.5, "ci_low": -2.0, "ci_high": -1.0,
                          "ci_level": 95.0, "p": None, "start": 0, "end": 9, "quote": "=HYPERLINK(\"x\")",
                          "miner_confidence": 0.9, "status": "suggested"}])
    text = suggested_csv(rows)
    assert "'=HYPERLINK" in text and ",-1.5,-2,-1," in text


def test_diff_lists_new_and_changed_records_and_changed_results(living):
    old = review_state(living["before"], date="2026-12-01")
    new = review_state(living["after"], date="2026-12-05")
    changes = diff_reviews(old, new)
    records = {r["pmid"]: r for r in changes.records}
    assert {p for p, r in records.items() if r["status"] == "new"} == set(LEFT_OUT)
    assert records["35732505"]["design"] == "rct" and records["35732505"]["screening"] == "included"
    assert records[RETRACTED]["status"] == "changed" and "retracted" in records[RETRACTED]["fields"]
    # Irnich 2002 is the only study vs a mixed (dry needling + sham) control: its retraction
    # removes that summary-of-findings row
    assert any(s["key"].startswith("acupuncture_vs_mixed | neck_pain") and s["old"] is not None
               and s["new"] is None for s in changes.sof)
    assert all(s["old"] is not None for s in changes.sof)
    verdicts = {v["id"]: v for v in changes.verdicts}
    assert verdicts["tth_frequency"]["old"]["pending_studies"] == 0
    assert verdicts["tth_frequency"]["new"]["pending_studies"] == 2
    assert diff_reviews(new, new).empty
    removed = diff_reviews(new, old).records
    assert {r["pmid"] for r in removed if r["status"] == "removed"} == set(LEFT_OUT)


def test_diff_renders_escaped_markdown_and_html(living):
    old = review_state(living["before"], date="2026-12-01")
    new = review_state(living["after"], date="2026-12-05")
    new["records"][0] = dict(new["records"][0], pmid="1", title="<script>alert(1)</script> | *x*")
    changes = diff_reviews(old, new)
    page = changes.render("html")
    assert "<script>" not in page and "&lt;script&gt;" in page and "What changed since 2026-12-01" in page
    md = changes.render("md")
    assert "\\<script\\>" in md and "\\| \\*x\\*" in md
    assert json.loads(changes.render("json"))["records"][0]["pmid"] == "1"


def test_review_json_and_the_diff_command(living, tmp_path, capsys):
    from evidence.run import write_review_json

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    write_review_json(old, living["before"], date="2026-12-01")
    write_review_json(new, living["after"], date="2026-12-05")
    state = read_state(new)
    assert {r["pmid"] for r in state["records"]} >= set(LEFT_OUT) and state["date"] == "2026-12-05"
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["pmid"] for r in out["records"] if r["status"] == "new"} == set(LEFT_OUT)
    assert main(["diff", str(old), str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "review.json" in err
    (tmp_path / "bad.json").write_text('{"format": 1, "records": [{"pmid": 5}], "pooled": [], "sof": [], '
                                       '"verdicts": []}')
    with pytest.raises(DataError, match="needs a text 'pmid'"):
        read_state(tmp_path / "bad.json")


def test_the_report_gets_a_what_changed_section(living, tmp_path):
    from evidence.run import write_report

    old = review_state(living["before"], date="2026-12-01")
    index = write_report(tmp_path / "report", living["after"], since=old)
    page = index.read_text(encoding="utf-8")
    assert page.count('<section id="changes">') == 1 and "What changed since 2026-12-01" in page
    assert page.index('id="changes"') < page.index('id="coverage"')
    assert (tmp_path / "report" / "review.json").exists()

"""`evidence claims` end to end on the snapshot: the contract's JSON, the HTML and Markdown reports."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from conftest import DATA

IDS = ["tth_frequency", "neck_pain_function", "durable_effects", "early_relief", "course_6_8", "safety",
       "endorphins", "neuroplasticity", "balance_method"]


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "evidence", "claims", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def claims_json():
    return json.loads(run("--format", "json"))


def test_json_has_nine_claims_with_contract_fields(claims_json):
    assert [c["id"] for c in claims_json] == IDS
    for c in claims_json:
        # the contract's fields, plus the SoF rows the verdict is judged on, the Dutch summary and parts
        assert set(c) == {"id", "claim_nl", "claim_en", "verdict", "certainty", "pmids", "summary_en",
                          "summary_nl", "sof_rows", "parts"}
        assert c["verdict"] in {"supported", "supported_with_caveats", "overstated", "not_supported", "no_evidence"}
        assert c["certainty"] in {"high", "moderate", "low", "very_low", None}
        assert (c["certainty"] is None) == (c["verdict"] == "no_evidence")
        assert all(p.isdigit() for p in c["pmids"]) and c["summary_en"]


def test_no_claim_is_supported_without_an_sr_or_rct_among_its_citations(claims_json):
    labels = pd.read_csv(DATA / "labels.csv", dtype=str, keep_default_na=False).set_index("pmid")
    for c in claims_json:
        if c["verdict"] == "supported":
            designs = {labels.at[p, "design"] for p in c["pmids"]}
            assert designs & {"systematic_review", "rct"}, c["id"]


def test_cited_pmids_are_snapshot_records_and_cut_abstracts_are_flagged(claims_json):
    prov = pd.read_csv(DATA / "pubmed" / "provenance.csv", dtype=str).set_index("pmid")
    for c in claims_json:
        cut = [p for p in c["pmids"] if prov.at[p, "abstract_complete"] == "false"]
        for p in cut:
            assert re.search(rf"cut short in the snapshot.*\b{p}\b", c["summary_en"]), (c["id"], p)
        if not cut:
            assert "cut short" not in c["summary_en"]


def test_summaries_carry_absolute_effects_and_participants_from_the_sof_rows(claims_json):
    by_id = {c["id"]: c for c in claims_json}
    for cid in ("tth_frequency", "neck_pain_function", "durable_effects", "early_relief"):
        rows = by_id[cid]["sof_rows"]
        assert rows, cid
        assert rows[0]["absolute"] in by_id[cid]["summary_en"], cid
        for r in rows:
            assert {"question", "comparison", "outcome", "timepoint", "certainty", "downgrades"} <= set(r)
            if r["participants"]:
                assert f"{r['participants']:,} participants" in by_id[cid]["summary_en"] or len(rows) > 6
    assert not any(c["sof_rows"] for c in claims_json if c["id"] in ("safety", "endorphins", "neuroplasticity",
                                                                     "balance_method", "course_6_8"))


def test_certainty_is_the_certainty_of_the_rows_a_verdict_rests_on(claims_json):
    for c in claims_json:
        if c["sof_rows"] and c["id"] != "durable_effects":
            assert c["certainty"] in {r["certainty"] for r in c["sof_rows"]}, c["id"]


def test_early_relief_rests_on_irnich_2002_and_has_two_parts(claims_json):
    early = {c["id"]: c for c in claims_json}["early_relief"]
    assert early["pmids"][0] == "12237186"
    assert any(r["timepoint"] == "immediate_post_session" for r in early["sof_rows"])
    assert [p["id"] for p in early["parts"]] == ["many_people", "some_patients"]
    assert "No study in the snapshot measures" not in early["summary_en"]


def test_course_counts_the_sessions_of_all_trials(claims_json):
    course = {c["id"]: c for c in claims_json}["course_6_8"]
    assert re.search(r"range from 1 to 20 sessions", course["summary_en"])


class _Loads(HTMLParser):
    """Collects every attribute that would make a browser fetch something."""

    def __init__(self):
        super().__init__()
        self.loads = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "srcset", "poster", "data"):
            if attrs.get(name):
                self.loads.append((tag, name, attrs[name]))
        if tag == "link" and attrs.get("href"):
            self.loads.append((tag, "href", attrs["href"]))


def test_html_is_self_contained(tmp_path):
    out = tmp_path / "claims.html"
    run("--format", "html", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    parser = _Loads()
    parser.feed(text)
    assert parser.loads == []
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    assert "<script" not in text.lower()
    # one section per claim, colour-coded verdicts, reference exports embedded
    for claim_id in IDS:
        assert f'id="{claim_id}"' in text
    assert text.count('class="badge verdict-') >= 2 * len(IDS)
    for name in ("references.ris", "references.bib", "references.json"):
        assert f'download="{name}" href="data:' in text
    assert "https://pubmed.ncbi.nlm.nih.gov/18499526/" in text


def test_dutch_report_translates_labels_not_evidence(tmp_path):
    out = tmp_path / "claims.md"
    run("--format", "md", "--lang", "nl", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "onderbouwd" in text and "Zekerheid" in text
    assert "## Hoe de oordelen tot stand komen" in text and "Samenvatting van bevindingen achter het oordeel" in text
    assert "Systematische reviews concluderen" in text  # the article's words
    assert "Controlled trial of Japanese acupuncture" in text or "Acupuncture for" in text  # titles as published


def test_markdown_lists_vancouver_references(tmp_path):
    text = run("--format", "md")
    assert re.search(r"^1\. .+\. PMID: \d+", text, flags=re.M)


def test_bad_options_exit_2():
    proc = subprocess.run([sys.executable, "-m", "evidence", "claims", "--lang", "de"], capture_output=True, text=True)
    assert proc.returncode == 2 and "--lang" in proc.stderr


def test_reports_explain_how_verdicts_are_made_and_show_the_sof_rows(tmp_path):
    text = run("--format", "md")
    assert "## How verdicts are made" in text and "significant results plays no part" in text
    assert text.count("**Summary of findings behind the verdict.**") == len(IDS)
    page = tmp_path / "claims.html"
    run("--format", "html", "--out", str(page))
    html_text = page.read_text(encoding="utf-8")
    assert 'id="how-verdicts-are-made"' in html_text and html_text.count('<table class="sof">') == 4


def test_dutch_html_has_no_english_claim_text(tmp_path):
    claims = json.loads(run("--format", "json"))
    page = tmp_path / "claims.html"
    run("--format", "html", "--lang", "nl", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    for c in claims:
        assert c["claim_en"] not in text, c["id"]
        assert c["summary_en"][:60] not in text, c["id"]
    assert "In het Engels" not in text
    # what the workbook writes (the reasons and the SoF tables), not the evidence quoted as published
    written = " ".join(re.findall(r"<p><strong>Waarom\.</strong>.*?</p>|<table class=\"sof\">.*?</table>", text))
    assert written.count("<table") == 4
    written = re.sub(r"&quot;.*?&quot;", "", written)  # sentences quoted from abstracts stay as published
    written = written.replace("data/sessions.csv", "")  # a file name
    for english in ("certainty", "participants", "downgraded for", "versus sham", " lower", " fewer",
                    "standard deviations", "not stated", "sessions", "FAQ: 4-8", "mechanistic;",
                    "narrative review"):
        assert english not in written, english

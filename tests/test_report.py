"""`evidence claims` end to end on the snapshot: the contract's JSON, the HTML and Markdown reports."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from cli_runner import run_cli
from conftest import DATA

IDS = ["tth_frequency", "neck_pain_function", "durable_effects", "early_relief", "course_6_8", "safety",
       "endorphins", "neuroplasticity", "balance_method"]


def run(*args):
    # in this process (tests/cli_runner.py); test_bad_options_exit_2 below starts a real one
    proc = run_cli("claims", *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def claims_json():
    return json.loads(run("--format", "json"))


# each page the command writes, made once for the tests that read it (the same command line)
@pytest.fixture(scope="module")
def claims_md():
    return run("--format", "md")


@pytest.fixture(scope="module")
def claims_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("claims-en") / "claims.html"
    run("--format", "html", "--out", str(out))
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claims_html_nl(tmp_path_factory):
    out = tmp_path_factory.mktemp("claims-nl") / "claims.html"
    run("--format", "html", "--lang", "nl", "--out", str(out))
    return out.read_text(encoding="utf-8")


def test_json_has_nine_claims_with_contract_fields(claims_json):
    assert [c["id"] for c in claims_json] == IDS
    for c in claims_json:
        # the contract's fields (pending_studies: living review), plus the SoF rows the verdict is
        # judged on, the Dutch summary and parts, GRADE's informative statements, the suggested
        # rewording and the sensitivity analyses (issue 14), and the retraction warnings (issue 16)
        assert set(c) == {"id", "claim_nl", "claim_en", "verdict", "certainty", "pmids", "summary_en",
                          "summary_nl", "sof_rows", "parts", "statement_en", "statement_nl", "suggestion_en",
                          "suggestion_nl", "sensitivity", "pending_studies", "warnings"}
        assert bool(c["suggestion_nl"]) == (c["verdict"] in ("overstated", "not_supported"))
        assert c["pending_studies"] == 0 and c["warnings"] == []  # the shipped snapshot: nothing queued
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


def test_html_is_self_contained(claims_html):
    text = claims_html
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


def test_markdown_lists_vancouver_references(claims_md):
    text = claims_md
    assert re.search(r"^1\. .+\. PMID: \d+", text, flags=re.M)


def test_bad_options_exit_2():
    proc = subprocess.run([sys.executable, "-m", "evidence", "claims", "--lang", "de"], capture_output=True, text=True)
    assert proc.returncode == 2 and "--lang" in proc.stderr


# -- the report page as `evidence run` writes it (issue 11, items 6-8) ----------------------------
class _Refs(HTMLParser):
    """Every src/href of the page, and the text of each heading."""

    def __init__(self):
        super().__init__()
        self.refs, self.images, self.headings, self._heading = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "poster", "data"):
            if attrs.get(name):
                self.refs.append((tag, name, attrs[name]))
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None


def _points_outside_the_page(value: str) -> bool:
    return not value.startswith(("data:", "#", "https://", "http://", "mailto:"))


@pytest.fixture(scope="module")
def index_alone(tmp_path_factory, workbook_run):
    """reports/index.html as `evidence run` writes it (the session's run, conftest.py), copied alone
    into an empty folder."""
    out = workbook_run.out
    written = {"figures": sorted((out / "figures").glob("*.png"))}
    alone = tmp_path_factory.mktemp("elsewhere") / "index.html"
    alone.write_bytes((out / "index.html").read_bytes())
    return alone.read_text(encoding="utf-8"), written


def test_index_copied_alone_embeds_every_figure(index_alone):
    import base64

    text, written = index_alone
    page = _Refs()
    page.feed(text)
    assert len(page.images) == len(written["figures"]) >= 5  # forest plots, PRISMA flow, evidence map
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing points at a file next to the page: it still works on its own
    assert [r for r in page.refs if _points_outside_the_page(r[2])] == []
    assert "tables/" not in [r[2] for r in page.refs]
    for name in ("screening.csv", "analyses.csv", "claims.csv"):
        assert f'download="{name}" href="data:text/csv' in text


def test_index_has_per_claim_reference_downloads(index_alone, claims_json):
    from urllib.parse import unquote

    text, _ = index_alone
    for claim in claims_json:
        if not claim["pmids"]:
            continue
        m = re.search(rf'download="{claim["id"]}\.ris" href="data:[^,]*,([^"]*)"', text)
        assert m, claim["id"]
        ris = unquote(m.group(1))
        assert ris.count("ER  -") >= 1
        assert set(re.findall(r"^AN  - (\d+)", ris, flags=re.M)) <= set(claim["pmids"])
        assert f'download="{claim["id"]}.bib"' in text


def test_index_labels_are_words_not_codes(index_alone):
    text, _ = index_alone
    page = _Refs()
    page.feed(text)
    for claim_id in IDS:
        assert claim_id not in page.headings
        assert not any(h.startswith(claim_id) for h in page.headings)
    for code in ("systematic_review", "tension_type_headache", "acupuncture_vs_sham", "weeks_9_to_12",
                 "headache_days"):
        assert f">{code}<" not in text and f"{code}," not in text.replace("_", "_"), code
    assert "randomised controlled trial" in text
    # the summary-of-findings table gives outcome and timepoint in their own cells, in words
    # (since issue 14 the rows are the analysis plan's domains x windows)
    assert "<td>headache frequency</td>" in text
    assert "<td>after treatment (3 to 4 months)</td>" in text
    for code in ("months_3_to_4", "short_term", "headache_frequency"):
        assert f">{code}<" not in text, code


def test_incomplete_citations_are_flagged_in_the_report(index_alone):
    text, _ = index_alone
    # 11128820: the snapshot's author list of White 2000 is cut short (authors_complete false)
    m = re.search(r"<li data-pmid=\"11128820\">White A, et al\. Acupuncture for episodic[^<]*PMID: 11128820\.(.*?)</li>",
                  text)
    assert m and "Incomplete citation: author list cut short" in m.group(1)


# English UI texts that must not appear on the Dutch page (headings, column names, labels)
ENGLISH_UI = ["Verdicts", "Claim", "Certainty", "References to cite", "The article says", "In English",
              "Why", "Evidence", "Design", "What this check covers", "All cited references",
              "supported, with caveats", "not supported", "no evidence found", "overstated", "moderate",
              "very low", "systematic review", "randomised controlled trial", "headache days",
              "tension-type headache", "neck pain", "end of treatment", "time not stated",
              "abstract cut short", "assembled from public pages", "Incomplete citation", "Generated"]


def test_dutch_html_has_no_english_ui_text(claims_html_nl):
    text = claims_html_nl
    # the claims' summaries are the claims module's (translated there); the UI is checked here
    text = re.sub(r"<p><strong>Waarom\.</strong>.*?</p>", "", text, flags=re.S)
    text = re.sub(r'<span class="muted">[^<]*</span></td>', "", text)  # the records' titles as published
    text = re.sub(r"<ol class=\"refs\">.*?</ol>", "", text, flags=re.S)  # references (Citing Medicine)
    text = re.sub(r"<code>.*?</code>", "", text, flags=re.S)  # PubMed queries
    text = re.sub(r"<blockquote.*?</blockquote>", "", text, flags=re.S)
    found = [w for w in ENGLISH_UI if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    assert found == []
    page = _Refs()
    page.feed(claims_html_nl)
    assert "Referenties om over te nemen" in page.headings and "Spanningshoofdpijn: minder vaak en minder hevig" in " ".join(page.headings)
    assert not any(h.split()[0] in IDS for h in page.headings if h)
    assert "gerandomiseerde gecontroleerde studie" in text
    assert "<td>hoofdpijnfrequentie</td>" in text
    assert "<td>na de behandeling (3 tot 4 maanden)</td>" in text
    assert "Onvolledige referentie: auteurslijst afgekapt" in claims_html_nl


def test_reports_explain_how_verdicts_are_made_and_show_the_sof_rows(claims_md, claims_html):
    text = claims_md
    assert "## How verdicts are made" in text and "significant results plays no part" in text
    assert text.count("**Summary of findings behind the verdict.**") == len(IDS)
    html_text = claims_html
    assert 'id="how-verdicts-are-made"' in html_text and html_text.count('<table class="sof">') == 4


def test_dutch_html_has_no_english_claim_text(claims_json, claims_html_nl):
    text = claims_html_nl
    for c in claims_json:
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


def test_every_timepoint_of_the_data_reads_as_dutch_words():
    # found by reading the Dutch page: "up tot 3 maanden", "9 days na de behandeling"
    import csv

    from evidence.texts import claim_timepoint

    codes = set()
    for name in ("effects.csv", "null_results.csv"):
        with open(DATA / name, newline="", encoding="utf-8") as handle:
            codes |= {row["timepoint"] for row in csv.DictReader(handle)}
    assert "up_to_3_months" in codes and "9_days_post_treatment" in codes
    for code in sorted(codes):
        dutch = claim_timepoint(code, "nl")
        english = [w for w in ("up", "post", "days", "years", "weeks", "months", "treatment", "_")
                   if re.search(rf"(?<!-)\b{w}\b", dutch) or (w == "_" and w in dutch)]  # "follow-up" is Dutch
        assert not english, (code, dutch)
        assert "post" not in claim_timepoint(code, "en"), code

"""Hostile records and data files cannot inject script, formulas or terminal codes (issue 15, items 3, 4, 8).

The records of a copy of the snapshot get titles and author names with markup, a ``javascript:``
link, spreadsheet formulas and Markdown table breakers; every output is then produced through
the command line's ``main`` in this process (``tests/cli_runner.py``: a child's streams, exit code
and environment, without a new interpreter per call) and checked.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from evidence.escape import csv_cell, html_attr, html_text, md_escape, safe_url, terminal_text
from evidence.frames import csv_text
from evidence.settings import load_settings

from cli_runner import run_cli
from fake_eutils import FakeEutils, redirect_entrez

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "data" / "pubmed"

TITLE = ('=HYPERLINK("http://evil.example","click")<script>alert(1)</script> '
         '[x](javascript:alert(2)) <img src=x onerror=alert(3)> `code` | pipe')
AUTHOR = "@SUM(1+1)|<b onmouseover=alert(4)>Evil</b>"


def _evidence(*argv, env=None, timeout=180):
    full = dict(os.environ, EVIDENCE_MODE="replay", **(env or {}))
    return run_cli(*argv, env=full, cwd=REPO, timeout=timeout)


@pytest.fixture(scope="module")
def hostile_snapshot(tmp_path_factory):
    """The shipped snapshot with every title and every author's last name made hostile."""
    folder = tmp_path_factory.mktemp("hostile") / "pubmed"
    shutil.copytree(SNAPSHOT, folder)
    xml = (folder / "records.xml").read_text(encoding="utf-8")
    xml = re.sub(r"<ArticleTitle>[^<]*</ArticleTitle>",
                 lambda m: f"<ArticleTitle>{html.escape(TITLE, quote=False)}</ArticleTitle>", xml)
    xml = re.sub(r"<LastName>[^<]*</LastName>",
                 lambda m: f"<LastName>{html.escape(AUTHOR, quote=False)}</LastName>", xml)
    body = xml.encode("utf-8")
    (folder / "records.xml").write_bytes(body)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["entries"].values():
        if entry["file"] == "records.xml":
            entry["sha256"] = hashlib.sha256(body).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]


def _assert_no_script(page: str) -> None:
    parser = _Elements()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags or all(k != "onerror" for t, k, v in parser.attrs if t == "img")
    assert not [k for t, k, v in parser.attrs if k.startswith("on")]
    assert not [v for t, k, v in parser.attrs if k in ("href", "src") and v.strip().lower().startswith(
        ("javascript:", "vbscript:"))]
    assert "b" not in parser.tags


# ---------------------------------------------------------------------------------------------
# the functions


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("-0.5", "-0.5"), ("-1e-3", "-1e-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("\uff1d1+1", "'\uff1d1+1"), ("plain text", "plain text"), ("", ""),
])
def test_csv_cell_follows_the_owasp_rule_and_keeps_plain_numbers(value, expected):
    # OWASP CSV Injection: prefix ' to cells starting with = + - @ tab CR
    assert csv_cell(value) == expected


def test_csv_cell_keeps_numbers_as_numbers():
    assert csv_cell(-3) == -3 and csv_cell(-0.25) == -0.25 and csv_cell(None) == ""


def test_csv_text_neutralises_text_columns_only():
    frame = pd.DataFrame({"title": ["=HYPERLINK(\"x\")", "ok"], "estimate": [-1.5, 2.0], "pmid": ["1", "2"]})
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[1] == ["'=HYPERLINK(\"x\")", "-1.5", "1"]


def test_md_escape_makes_markup_literal():
    text = md_escape("# <script>x</script> | [a](javascript:b) `c` *d*\n> quoted")
    assert "<" not in text and "\n" not in text
    assert text.startswith("\\#") and "\\|" in text and "\\[a\\]" in text and "\\`c\\`" in text
    assert md_escape("- item").startswith("\\-") and md_escape("12. item").startswith("12\\.")


def test_html_functions_escape_text_and_attribute_contexts():
    assert html_text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert html_attr('x" onclick="y\n') == "x&quot; onclick=&quot;y&#10;"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x"):
        assert safe_url(bad) == "#"
    assert safe_url("https://doi.org/10.1/x") == "https://doi.org/10.1/x" and safe_url("#claim") == "#claim"


def test_terminal_text_strips_escapes_and_line_breaks():
    text = terminal_text("ok\x1b[2J\x1b]0;pwned\x07\r\nevidence fetch: fake line\x9b31m\u202eevil\x00")
    assert text == "ok evidence fetch: fake lineevil"


# ---------------------------------------------------------------------------------------------
# through the command line


def test_claims_markdown_copies_no_record_html(hostile_snapshot):
    proc = _evidence("claims", "--format", "md", env={"EVIDENCE_SNAPSHOT": str(hostile_snapshot)})
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout
    assert "<script" not in md and "<img" not in md and "<b " not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # no link: the bracket is escaped
    # a | in an author name does not add a cell: every row of the evidence tables has 4 cells
    for line in md.splitlines():
        if line.startswith("| [") and "pubmed.ncbi" in line:
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            assert len(cells) == 4, line
    # rendered by a Markdown renderer that lets raw HTML through (as many CMSs do): no script
    import mistune  # nbconvert's Markdown renderer

    _assert_no_script(mistune.create_markdown(escape=False, plugins=["table"])(md))


def test_claims_html_escapes_every_record_field(hostile_snapshot, tmp_path):
    out = tmp_path / "claims.html"
    proc = _evidence("claims", "--format", "html", "--out", str(out),
                     env={"EVIDENCE_SNAPSHOT": str(hostile_snapshot)})
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    _assert_no_script(page)
    assert html.escape(TITLE, quote=True).split("&lt;script")[0][:20] in page  # shown as text


@pytest.mark.parametrize("argv", [
    ["records", "--xml", "{snap}/records.xml", "--format", "csv"],
    ["fetch", "--pmids", "9758075,11128820", "--out", "{tmp}/fetched.csv"],
])
def test_csv_outputs_hold_no_formula_cells(hostile_snapshot, tmp_path, argv):
    argv = [a.format(snap=hostile_snapshot, tmp=tmp_path) for a in argv]
    proc = _evidence(*argv, env={"EVIDENCE_SNAPSHOT": str(hostile_snapshot)})
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "fetched.csv").read_text(encoding="utf-8") if "--out" in argv else proc.stdout
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert any(TITLE in c for c in cells)  # the title is there, neutralised
    assert not [c for c in cells if c.lstrip(" ").startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not re.fullmatch(r"-[0-9.eE+-]+", c)]


def test_report_tables_hold_no_formula_cells(hostile_snapshot, tmp_path):
    """The report's tables/*.csv and their data: links in index.html (evidence.run's writers)."""
    from evidence.review import build_review
    from evidence.run import write_report

    # in this process (the writers are what is tested; a subprocess only added its imports)
    settings = load_settings(environ={"EVIDENCE_MODE": "replay", "EVIDENCE_SNAPSHOT": str(hostile_snapshot)})
    write_report(tmp_path, build_review(settings))
    for table in (tmp_path / "tables").glob("*.csv"):
        cells = [c for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8"))) for c in row]
        assert not [c for c in cells if c.lstrip(" ").startswith(("=", "@", "\t", "\r"))], table.name
    records = (tmp_path / "tables" / "records.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in records
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    _assert_no_script(page)
    embedded = [unquote(m) for m in re.findall(r'href="data:text/csv;charset=utf-8,([^"]*)"', page)]
    assert len(embedded) == len(list((tmp_path / "tables").glob("*.csv")))
    for text in embedded:  # the copies inside index.html are neutralised too
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not [c for c in cells if c.lstrip(" ").startswith(("=", "@", "\t", "\r"))]


def test_cite_check_table_prints_no_terminal_codes(tmp_path):
    refs = tmp_path / "refs.txt"
    refs.write_text("Birch S \x1b[2J\x1b]0;owned\x07 Controlled trial of Japanese acupuncture\r"
                    "evidence fetch: fake\u202e. Clin J Pain. 1998.\nPMID: 9758075\x1b[31m\n", encoding="utf-8")
    proc = _evidence("cite-check", str(refs))
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", proc.stdout)
    assert not [line for line in proc.stdout.splitlines() if line.startswith("evidence fetch:")]


def test_error_lines_carry_no_control_characters(tmp_path):
    bad = tmp_path / "x\x1b[31m\rfake\x07\x08\x9b2J.xml"
    proc = _evidence("records", "--xml", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", proc.stderr)


def test_fetch_prints_the_query_translation_on_one_line(tmp_path):
    """A QueryTranslation with a line break (fake E-utilities on 127.0.0.1) prints no fake line."""
    term = "acupuncture\nevidence fetch: FAKE line\rinjected"
    env = dict(os.environ, EVIDENCE_MODE="live", NCBI_EMAIL="probe@example.org")
    with FakeEutils.synthetic(3, term=term) as fake, redirect_entrez(fake):
        proc = run_cli("fetch", "--term", term, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert [line for line in lines if line.startswith("esearch:")]
    assert not [line for line in lines if line.startswith(("evidence fetch:", "injected"))], lines
    assert "\r" not in proc.stderr


def test_report_escapes_a_claim_id_in_anchors_even_past_the_loader():
    """Defence in depth: were a hostile id to reach the report (the loader refuses it), the
    HTML anchor href="#..." and id="..." and the Markdown anchor stay escaped."""
    from dataclasses import replace

    from evidence.claims import ClaimsReport
    from evidence.report import claims_html, claims_markdown
    from evidence.review import check_claims, load_records

    records = load_records()
    report = check_claims(records=records)
    evil = 'x"><script>alert(1)</script><a href="'
    hostile = ClaimsReport(verdicts=(replace(report.verdicts[0], id=evil, query="`q` <b>q</b>"),))
    page = claims_html(hostile, records)
    _assert_no_script(page)
    assert f'href="#{html_attr(evil)}"' in page and f'id="{html_attr(evil)}"' in page
    md = claims_markdown(hostile, records)
    assert "<script" not in md and "<b>" not in md


def test_sof_markdown_escapes_the_data_files(tmp_path):
    """``evidence sof --format md`` copies effects.csv's source: no markup, no extra cell."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("pubmed"))
    path = data / "effects.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = rows[0].index("source")
    for row in rows[1:]:
        row[column] = "<script>alert(1)</script> | [x](javascript:y) " + row[column]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    proc = _evidence("sof", "--format", "md", env={"EVIDENCE_DATA": str(data)})
    assert proc.returncode == 0, proc.stderr
    assert "<script" not in proc.stdout and not re.search(r"(?<!\\)\]\(javascript:", proc.stdout)
    table = [line for line in proc.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert table and {len(re.split(r"(?<!\\)\|", line.strip())) for line in table} == {10}

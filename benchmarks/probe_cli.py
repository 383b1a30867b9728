"""Bad-input probe of the ``evidence`` command line (issue 10).

Runs each case as a subprocess and sorts the outcome:

* clean  - a bad input: exit 2, exactly one line on stderr, no "Traceback", no
           ANSI code, and no secret in the output
* ok     - a valid edge case (an empty snapshot, a zero-record file): exit 0
* trace  - a "Traceback" on stderr
* hang   - no answer within the case's time limit
* wrong  - a bad input accepted with exit 0, or a case's own check failed (a wrong result)
* loss   - a case's own check found data lost or a stale report left looking complete
* other  - anything else (wrong exit code, several lines, a leaked API key)

Nothing here reaches the internet: every case runs with ``https_proxy`` and
``http_proxy`` pointing at a closed port on 127.0.0.1, the only live cases talk
to the fake E-utilities server of ``tests/fake_eutils.py`` on 127.0.0.1, and
the no-loopback case runs in a private network namespace (``unshare -n``,
skipped where that is not allowed).

Usage (from the repository root)::

    .venv/bin/python benchmarks/probe_cli.py [--repo PATH] [--verbose]

``--repo`` probes another checkout with its own ``.venv`` (e.g. to measure
the numbers before a fix); ``--python`` gives the interpreter for a checkout
without one (a git worktree), which is then put first on ``PYTHONPATH``::

    git worktree add /tmp/probe-base 3f72256
    .venv/bin/python benchmarks/probe_cli.py --repo /tmp/probe-base --python .venv/bin/python
the numbers before a fix; without a ``.venv`` there, ``--python`` or this
interpreter runs it, with ``PYTHONPATH`` set to the checkout). The issue-15
network/snapshot/XML cases (``net_cases``) also report hangs, leaks, data loss
and wrong results with exit 0 on a line of their own.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
KEY = "0123456789abcdef0123456789abcdef0123"
EMAIL = "probe@example.org"
TIMEOUT = 120

HEAD = b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'


def article(pmid: str, year: str = "2020", article_date: str = "") -> bytes:
    return (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
            f"<PubDate><Year>{year}</Year></PubDate></JournalIssue><Title>J</Title></Journal>"
            f"<ArticleTitle>T {pmid}</ArticleTitle>{article_date}</Article></MedlineCitation>"
            f"</PubmedArticle>").encode()


def xml(*records: bytes) -> bytes:
    return HEAD + b"<PubmedArticleSet>\n" + b"\n".join(records) + b"\n</PubmedArticleSet>\n"


def manifest(entries: dict) -> str:
    return json.dumps({"format": 1, "entries": entries})


def put_entry(folder: Path, body: bytes, ids: str, name: str = "a.xml", key: str = "efetch-x", **over) -> None:
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(body)
    entry = {"file": name, "utility": "efetch", "parameters": {"db": "pubmed", "id": ids, "retmode": "xml"},
             "retrieved_at": "2026-01-01", "origin": "assembled",
             "sha256": hashlib.sha256(body).hexdigest(), "records": ids.count(",") + 1}
    entry.update(over)
    (folder / "manifest.json").write_text(manifest({key: entry}))


def _request_key(utility: str, params: dict) -> str:
    """evidence.snapshot.request_key, restated so the probe runs against any checkout."""
    import hashlib

    text = json.dumps([utility, dict(sorted(params.items()))], sort_keys=True, separators=(",", ":"))
    return f"{utility}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}"


def cases(tmp: Path, repo: Path) -> list[dict]:
    """Each case: name, argv (after `evidence`), env (extra), stdin-free."""
    snap = repo / "data" / "pubmed"
    out: list[dict] = []

    def case(name, argv, env=None, wrap=None, expect="error"):
        out.append({"name": name, "argv": argv, "env": env or {}, "wrap": wrap, "expect": expect})

    d = tmp / "adir"
    d.mkdir()
    a_file = tmp / "afile.txt"
    a_file.write_text("x")
    good = tmp / "good.xml"
    good.write_bytes(xml(article("11"), article("12")))
    # --- item 8: file errors --------------------------------------------------
    case("records --out is a folder", ["records", "--xml", str(good), "--out", str(d)])
    case("records --out in a missing folder", ["records", "--xml", str(good), "--out", str(tmp / "no" / "x.csv")])
    case("records --out under a file", ["records", "--xml", str(good), "--out", str(a_file / "x.csv")])
    case("fetch --out is a folder", ["fetch", "--pmids", "9758075", "--out", str(d)])
    case("fetch --out in a missing folder", ["fetch", "--pmids", "9758075", "--out", str(tmp / "no" / "x.csv")])
    case("claims --out is a folder", ["claims", "--out", str(d)])
    case("run --out is a file", ["run", "--out", str(a_file)])
    case("run --out under a file", ["run", "--out", str(a_file / "sub")])
    case("record mode, read-only snapshot", ["fetch", "--pmids", "9758075"],
         {"EVIDENCE_MODE": "record", "NCBI_EMAIL": EMAIL, "EVIDENCE_SNAPSHOT": "/sys/kernel/evidence-snap"})
    case("record mode, snapshot under a file", ["fetch", "--pmids", "9758075"],
         {"EVIDENCE_MODE": "record", "NCBI_EMAIL": EMAIL, "EVIDENCE_SNAPSHOT": str(a_file / "snap")})
    # --- item 3: empty / missing / odd snapshots ------------------------------
    empty = tmp / "empty-snap"
    empty.mkdir()
    missing = tmp / "missing-snap"
    nomanifest = tmp / "nomanifest"
    nomanifest.mkdir()
    shutil.copy(snap / "records.xml", nomanifest / "records.xml")
    for label, folder in (("empty", empty), ("missing", missing), ("a file", a_file),
                          ("no manifest.json", nomanifest)):
        env = {"EVIDENCE_SNAPSHOT": str(folder)}
        ok = "ok" if label == "empty" else "error"  # an empty snapshot is a valid empty review
        case(f"fetch, {label} snapshot", ["fetch", "--pmids", "9758075"], env)
        # claims: even an empty snapshot is an error while the review's extraction table
        # (data/effects.csv) cites records it does not hold: a number must trace to a record
        case(f"claims, {label} snapshot", ["claims"], env)
        case(f"cite-check, {label} snapshot", ["cite-check", str(a_file)], env, expect=ok)
    zero = tmp / "zero" / "records.xml"
    zero.parent.mkdir()
    zero.write_bytes(xml())
    shutil.copy(snap / "provenance.csv", zero.parent / "provenance.csv")
    case("records of a zero-article XML beside provenance.csv", ["records", "--xml", str(zero)], expect="ok")
    # --- item 9: manifest entries ---------------------------------------------
    body = xml(article("11"))
    for label, over in (("file is a number", {"file": 5}), ("records is text", {"records": "many"}),
                        ("parameters is a list", {"parameters": ["id"]}),
                        ("sha256 missing", {"sha256": None}), ("unknown field", {"colour": "red"}),
                        ("absolute file", {"file": "/etc/passwd"}), ("file escapes", {"file": "../../../etc/passwd"})):
        folder = tmp / f"m-{label.replace(' ', '-')}"
        put_entry(folder, body, "11", **over)
        case(f"manifest: {label}", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-entries-list"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "entries": []}))
    case("manifest: entries is a list", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-entry-string"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "entries": {"k": "text"}}))
    case("manifest: an entry is a string", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    # --- item 10: dates ------------------------------------------------------------
    big = tmp / "year.xml"
    big.write_bytes(xml(article("11", year="1" * 23)))
    case("records: 23-digit Year", ["records", "--xml", str(big)])
    case("classify: 23-digit Year", ["classify", "--xml", str(big)])
    month = tmp / "month.xml"
    month.write_bytes(xml(article("11", article_date="<ArticleDate><Year>2020</Year><Month>13</Month>"
                                                      "<Day>01</Day></ArticleDate>")))
    case("records: ArticleDate month 13", ["records", "--xml", str(month)])
    # --- item 12: options and files -----------------------------------------------
    for value in ("abc", "2020/13", "99999999999999999999999"):
        case(f"fetch --mindate {value}", ["fetch", "--term", "neck pain", "--mindate", value, "--maxdate", "2024"])
    case("fetch --batch 0", ["fetch", "--pmids", "9758075", "--batch", "0"])
    case("fetch --batch abc", ["fetch", "--pmids", "9758075", "--batch", "abc"])
    case("fetch --pmids abc", ["fetch", "--pmids", "abc"])
    dup = tmp / "dup-snap"
    # under the request's own key, so replay answers with exactly these bytes
    put_entry(dup, xml(article("11"), article("11")), "11", key=_request_key("efetch", {"db": "pubmed", "id": "11", "retmode": "xml"}))
    case("fetch: efetch answer with a PMID twice", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(dup)})
    for label, content in (("empty file", b""), ("binary", os.urandom(2000)), ("not XML", b"hello"),
                           ("wrong root", b"<eSearchResult/>"), ("truncated", xml(article("11"))[:-40]),
                           ("bad gzip", b"\x1f\x8b" + b"\x00" * 40),
                           ("entity bomb", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet>&a;</PubmedArticleSet>')):
        f = tmp / f"bad-{label.replace(' ', '-')}.xml"
        f.write_bytes(content)
        case(f"records --xml {label}", ["records", "--xml", str(f)])
    gz = tmp / "trunc.xml.gz"
    gz.write_bytes(gzip.compress(xml(article("11")))[:-10])
    case("records --xml truncated gzip", ["records", "--xml", str(gz)])
    case("records --xml a folder", ["records", "--xml", str(d)])
    case("records --xml missing", ["records", "--xml", str(tmp / "nope.xml")])
    case("mine --xml missing", ["mine", "--xml", str(tmp / "nope.xml")])
    case("cite-check a folder", ["cite-check", str(d)])
    case("cite-check missing", ["cite-check", str(tmp / "nope.txt")])
    case("meta --input missing", ["meta", "--input", str(tmp / "nope.csv"), "--measure", "RR", "--method", "FE"])
    case("meta --input a folder", ["meta", "--input", str(d), "--measure", "RR", "--method", "FE"])
    case("EVIDENCE_MODE=bogus", ["fetch", "--pmids", "9758075"], {"EVIDENCE_MODE": "bogus"})
    case("EVIDENCE_SNAPSHOT relative", ["fetch", "--pmids", "9758075"], {"EVIDENCE_SNAPSHOT": "data/pubmed"})
    case("NCBI_EMAIL without @", ["fetch", "--pmids", "9758075"], {"EVIDENCE_MODE": "live", "NCBI_EMAIL": "nobody"})
    case("replay: PMID not in the snapshot", ["fetch", "--pmids", "1"])
    case("fetch --pmids empty", ["fetch", "--pmids", ""])
    case("fetch --pmids ,,", ["fetch", "--pmids", ",,"])
    case("fetch --term empty", ["fetch", "--term", " "])
    case("fetch --batch 99999", ["fetch", "--pmids", "9758075", "--batch", "99999"])
    case("fetch --mindate after --maxdate", ["fetch", "--term", "x", "--mindate", "2024", "--maxdate", "2020"])
    case("fetch --mindate without --maxdate", ["fetch", "--term", "x", "--mindate", "2020"])
    case("records --format xml", ["records", "--xml", str(good), "--format", "xml"])
    case("EVIDENCE_MODE=record without NCBI_EMAIL", ["fetch", "--pmids", "9758075"], {"EVIDENCE_MODE": "record"})
    folder = tmp / "m-manifest-folder"
    (folder / "manifest.json").mkdir(parents=True)
    case("manifest.json is a folder", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-format-2"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"format": 2, "entries": {}}))
    case("manifest format 2", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-not-json"
    folder.mkdir()
    (folder / "manifest.json").write_bytes(b"\xff\xfe{")
    case("manifest is not JSON", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-listed-missing"
    put_entry(folder, body, "11")
    (folder / "a.xml").unlink()
    case("manifest lists a missing file", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "m-changed"
    put_entry(folder, body, "11")
    (folder / "a.xml").write_bytes(body + b" ")
    case("stored file changed (checksum)", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    case("replay: any held PMID answers offline", ["fetch", "--pmids", "11128820,9758075"], expect="ok")
    for command in ("classify", "mine"):
        case(f"{command} of a zero-article XML", [command, "--xml", str(zero)], expect="ok")
    twice = tmp / "twice.xml"
    twice.write_bytes(xml(article("11"), article("12"), article("11")))
    case("records --xml with a PMID twice", ["records", "--xml", str(twice)])
    out.extend(issue15_data_and_output_cases(tmp, repo))
    case("fetch --pmids in batches (replay, assembled per record)",
         ["fetch", "--pmids", "9758075,11128820,11531895", "--batch", "1"], expect="ok")
    # --- item 1: the key echoed in a 4xx body (fake server on 127.0.0.1) --------------
    wrap = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(repo / 'tests')!r})
        from fake_eutils import FakeEutils, redirect_entrez
        from evidence.cli import main
        with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
            fake.inject(("status", 400, '{{"error":"API key invalid","api-key":"{KEY}","email":"{EMAIL}"}}'))
            code = main(sys.argv[1:])
        sys.exit(code)
    """)
    case("4xx body echoes the API key", ["fetch", "--pmids", "1000001"],
         {"EVIDENCE_MODE": "live", "NCBI_EMAIL": EMAIL, "NCBI_API_KEY": KEY}, wrap=wrap)
    # --- item 11: no loopback ------------------------------------------------------
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        case("run without loopback (unshare -n)", ["run", "--out", str(tmp / "reports")], wrap="unshare")
    return out


# ------------------------------------------------------------------------------------------------
# issue 15, engineer "safe": data files, outputs and YAML (items 2, 3, 4, 8, 10, 11, 13, 14)

_KILLED_RUN = """
# a killed `evidence run` over an earlier report: the earlier report must stay whole, and a
# rerun must leave no temporary file (exit 0: fine; exit 3: stale/mixed report; exit 4: leftovers)
import os, signal, subprocess, sys, time, pathlib
out = pathlib.Path(sys.argv[1])
for name in ("index.html", "notebooks/01-search.html", "tables/records.csv"):
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    (out / name).write_text("OLD " + name)
before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
# the child: notebooks returned as stored (no kernel), a pause before index.html; the rest is real
child = '''
import sys, time, pathlib, nbformat
from evidence import run
marker = pathlib.Path(sys.argv[2])
real = run.write_index
def paused(folder, review, **kw):
    if sys.argv[3] == "pause":
        marker.write_text("x"); time.sleep(600)
    return real(folder, review, **kw)
run.execute_notebook = lambda path, **kw: nbformat.read(path, as_version=4)
run.write_index = paused
run.run_workbook(pathlib.Path(sys.argv[1]), progress=False)
'''
marker = out.parent / "marker"
proc = subprocess.Popen([sys.executable, "-c", child, str(out), str(marker), "pause"])
for _ in range(1800):
    if marker.exists() or proc.poll() is not None:
        break
    time.sleep(0.1)
os.kill(proc.pid, signal.SIGKILL)
proc.wait()
after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
if after != before:
    print("stale report: files of the killed run beside the earlier index.html", file=sys.stderr)
    sys.exit(3)
subprocess.run([sys.executable, "-c", child, str(out), str(marker), "go"], check=True, capture_output=True)
left = [p.name for p in out.parent.iterdir() if p.name.startswith(".")]
left += [str(p) for p in out.rglob("*.tmp")]
if left:
    print(f"leftovers after a rerun: {left}", file=sys.stderr)
    sys.exit(4)
"""


def issue15_data_and_output_cases(tmp: Path, repo: Path) -> list[dict]:
    """Hostile data files (claims.yaml, the CSV tables), hostile records in every output, a
    killed run. Each bad input must be one clean line naming the file (and row or claim);
    each output case checks its output itself."""
    import csv
    import hashlib
    import html
    import io
    import re

    out: list[dict] = []
    counter = iter(range(1000))

    def data_copy(edit) -> Path:
        folder = tmp / f"safe-data-{next(counter)}"
        shutil.copytree(repo / "data", folder, ignore=shutil.ignore_patterns("pubmed"))
        edit(folder)
        return folder

    def names(*parts):
        def check(proc):
            if proc.returncode == 2 and not all(p in proc.stderr for p in parts):
                return "other", f"the message does not name {' and '.join(parts)}"
            return None
        return check

    def bad_data(name, argv, edit, *parts, timeout=TIMEOUT):
        env = {"EVIDENCE_DATA": str(data_copy(edit))}
        out.append({"name": f"safe: {name}", "argv": argv, "env": env, "wrap": None, "expect": "error",
                    "check": names(*parts), "timeout": timeout, "limit_as": 3 * 2**30})

    def replace(file, old, new):
        def edit(folder):
            path = folder / file
            path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        return edit

    def cell(file, row, column, value):
        def edit(folder):
            path = folder / file
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            rows[row - 1][rows[0].index(column)] = value
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            path.write_text(buffer.getvalue(), encoding="utf-8")
        return edit

    def raw(file, transform):
        def edit(folder):
            (folder / file).write_bytes(transform((folder / file).read_bytes()))
        return edit

    # item 10: a catastrophic-backtracking cue (the issue's exact pattern)
    bad_data("cue (\\w+\\s?)+[$]", ["claims"],
             replace("claims.yaml", "cues: ['endorphin',", r"cues: ['(\w+\s?)+[$]', 'endorphin',"),
             "claims.yaml", "endorphins", "cues", timeout=60)

    # item 11: YAML
    def oops(folder):
        path = folder / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("- id: safety")
        quotes = text[text.index("  quotes:", start):text.index("  claim_en:", start)]
        path.write_text(text.replace(quotes, '  quotes: "oops"\n', 1), encoding="utf-8")

    bad_data('claims.yaml quotes: "oops"', ["claims"], oops, "claims.yaml", "safety", "quotes")
    # the billion laughs in YAML: 10 lists of 9 aliases each, inside a claim's query
    levels = ["&a [x, x, x, x, x, x, x, x, x]"] + [
        f"&{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)]
    bomb = ("- id: bomb\n  quotes: [{section: '7', text: t}]\n  claim_en: c\n  asserts: {kind: efficacy}\n"
            "  evidence: {}\n  query: [" + ", ".join(levels) + "]\n")
    bad_data("claims.yaml alias bomb", ["claims"], raw("claims.yaml", lambda b: bomb.encode()), "claims.yaml",
             timeout=60)
    bad_data("claims.yaml duplicate key", ["claims"],
             replace("claims.yaml", "  claim_en: >-\n    Systematic reviews conclude",
                     "  query: duplicate\n  claim_en: >-\n    Systematic reviews conclude"),
             "claims.yaml", "duplicate key 'query'")
    # item 3 (a claim id reaching the HTML) and the id pattern
    bad_data("claim id with markup", ["claims", "--format", "html"],
             replace("claims.yaml", "- id: tth_frequency", '- id: "tth\\"><img src=x onerror=alert(1)>"'),
             "claims.yaml", "[a-z0-9_]+")
    # item 13: ranges, one line naming file and row
    bad_data("effects.csv ci_high 1e308", ["sof"], cell("effects.csv", 12, "ci_high", "1e308"),
             "effects.csv", "row 12", "ci_high")
    bad_data("effects.csv estimate -1e308", ["sof"], cell("effects.csv", 12, "estimate", "-1e308"),
             "effects.csv", "row 12", "estimate")
    bad_data("mids.csv unknown outcome", ["sof"], cell("mids.csv", 2, "outcome", "pain_intensty"),
             "mids.csv", "row 2", "outcome")
    bad_data("mids.csv mid 1e-320", ["sof"], cell("mids.csv", 2, "mid", "1e-320"), "mids.csv", "row 2", "mid")
    for value in ("1.5", "-0.01", "abc"):
        bad_data(f"null_results.csv p {value}", ["sof"], cell("null_results.csv", 3, "p", value),
                 "null_results.csv", "row 3", "p ")
    bad_data("sessions.csv ragged row", ["claims"],
             raw("sessions.csv", lambda b: b + b"melchart2005,15888517\n"), "sessions.csv", "row 23")
    bad_data("effects.csv NUL byte", ["sof"],
             raw("effects.csv", lambda b: b.replace(b"acupuncture_vs_sham", b"acupuncture\x00_vs_sham", 1)),
             "effects.csv", "row ", "NUL")
    # item 14: encodings
    bad_data("sessions.csv UTF-16", ["claims"],
             raw("sessions.csv", lambda b: b.decode("utf-8").encode("utf-16")), "sessions.csv", "UTF-16")
    bad_data("sessions.csv session count \u00b2", ["claims"], cell("sessions.csv", 5, "sessions", "\u00b2"),
             "sessions.csv", "row 5")
    out.append({"name": "safe: sessions.csv with a UTF-8 BOM", "argv": ["claims"], "wrap": None, "expect": "ok",
                "env": {"EVIDENCE_DATA": str(data_copy(raw("sessions.csv", lambda b: b"\xef\xbb\xbf" + b)))}})

    # items 3, 4, 8: hostile records in every output
    snap = tmp / "safe-hostile-snapshot"
    shutil.copytree(repo / "data" / "pubmed", snap)
    title = ('=HYPERLINK("http://evil.example","x")<script>alert(1)</script> [x](javascript:alert(2)) '
             '<img src=x onerror=alert(3)>')
    author = "@SUM(1+1)|<b onmouseover=alert(4)>Evil</b>"
    xml_text = (snap / "records.xml").read_text(encoding="utf-8")
    xml_text = re.sub(r"<ArticleTitle>[^<]*</ArticleTitle>",
                      lambda m: f"<ArticleTitle>{html.escape(title, quote=False)}</ArticleTitle>", xml_text)
    xml_text = re.sub(r"<LastName>[^<]*</LastName>",
                      lambda m: f"<LastName>{html.escape(author, quote=False)}</LastName>", xml_text)
    body = xml_text.encode("utf-8")
    (snap / "records.xml").write_bytes(body)
    manifest_data = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest_data["entries"].values():
        if entry["file"] == "records.xml":
            entry["sha256"] = hashlib.sha256(body).hexdigest()
    (snap / "manifest.json").write_text(json.dumps(manifest_data), encoding="utf-8")
    hostile = {"EVIDENCE_SNAPSHOT": str(snap)}

    def no_markup(text):
        if re.search(r"<(script|img|b)\b", text):
            return "wrong", "record markup copied into the output"
        if re.search(r"(?<!\\)\]\(javascript:", text):
            return "wrong", "a javascript: link"
        return None

    def no_formula(text):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        bad = [c for c in cells if c.lstrip(" ").startswith(("=", "@", "+", "\t", "\r"))
               or (c.startswith("-") and not re.fullmatch(r"-[0-9.eE+-]+", c))]
        return ("wrong", f"{len(bad)} formula cells, e.g. {bad[0][:30]!r}") if bad else None

    def output_case(name, argv, check):
        out.append({"name": f"safe: {name}", "argv": argv, "env": hostile, "wrap": None, "expect": "ok",
                    "check": lambda p: check(p) if p.returncode == 0 else None})

    output_case("claims --format md, hostile records", ["claims", "--format", "md"],
                lambda p: no_markup(p.stdout))
    page = tmp / "safe-claims.html"
    output_case("claims --format html, hostile records", ["claims", "--format", "html", "--out", str(page)],
                lambda p: ("wrong", "record markup or a javascript: link in the page")
                if re.search(r'<(script|img|b)\b|href="\s*javascript:', page.read_text(encoding="utf-8"))
                else None)
    output_case("records --format csv, hostile records",
                ["records", "--xml", str(snap / "records.xml"), "--format", "csv"], lambda p: no_formula(p.stdout))
    fetched = tmp / "safe-fetched.csv"
    output_case("fetch --out, hostile records", ["fetch", "--pmids", "9758075,11128820", "--out", str(fetched)],
                lambda p: no_formula(fetched.read_text(encoding="utf-8")))
    refs = tmp / "safe-refs.txt"
    refs.write_text("Birch S \x1b[2J\x1b]0;owned\x07 Controlled trial\r\nevidence fetch: fake\x9b31m\n",
                    encoding="utf-8")
    output_case("cite-check echoes no terminal codes", ["cite-check", str(refs)],
                lambda p: ("wrong", "control characters reach the terminal")
                if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", p.stdout + p.stderr) else None)
    # item 2: a killed run over an earlier report
    report = tmp / "safe-report" / "reports"
    report.parent.mkdir()
    out.append({"name": "safe: SIGKILL during run --out over an earlier report", "argv": [str(report)],
                "env": {}, "wrap": _KILLED_RUN, "expect": "ok", "timeout": 400,
                "check": lambda p: ("loss", p.stderr.strip().splitlines()[-1]) if p.returncode in (3, 4) else None})
    return out




# ==================================================================================================
# Issue 15, network / snapshot / XML block (engineer "net"): re-record, redirects, timeouts, answer
# size, symlinks and special files, character-reference secrets, encodings, text-node and gzip bombs,
# namespaced roots, PMID digits. Each case may carry a `check` (after the run: None, or one of
# "data loss", "leak", "wrong" to report what went wrong even with a clean exit), a `timeout` and a
# memory cap (`memory`, bytes of address space: the old code's MemoryError cases stay a traceback
# instead of taking the machine's memory). Live cases talk only to the fake server on 127.0.0.1,
# imported from this probe's own checkout (HERE/tests), so --repo can probe an older checkout.
# ==================================================================================================
NET_MEMORY = 4 * 2**30
NET_SECRET_KEY = "SECRET0123456789abcdef0123456789ab"
NET_SECRET_MAIL = "me@secret.example"


def _net_wrap(body: str) -> str:
    """A script that runs `evidence <argv>` in-process against the fake server; `body` sets it up."""
    return textwrap.dedent("""
        import sys
        sys.path.insert(0, {tests!r})
        import evidence.pubmed as pubmed
        from fake_eutils import EFETCH_HEAD, ESEARCH_HEAD, FakeEutils, redirect_entrez
        from evidence.cli import main
        # small limits where the checkout has them (older checkouts ignore these names)
        pubmed.READ_TIMEOUT, pubmed.ANSWER_DEADLINE, pubmed.MAX_ANSWER_BYTES = 2.0, 3.0, 2**20
        with FakeEutils.synthetic(5) as fake, redirect_entrez(fake):
    """).format(tests=str(HERE / "tests")) + textwrap.indent(textwrap.dedent(body), "    ") + textwrap.dedent("""
            code = main(sys.argv[1:])
        sys.exit(code)
    """)


def _gzip_stream(path: Path, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(head)
        block = filler * (2**20 // len(filler))
        left = size
        while left > 0:
            out.write(block[:left])
            left -= len(block)
        out.write(tail)


def _entries(folder: Path) -> dict:
    try:
        return json.loads((folder / "manifest.json").read_text())["entries"]
    except (OSError, ValueError, KeyError):
        return {}


def net_cases(tmp: Path, repo: Path) -> list[dict]:
    import hashlib

    snap = repo / "data" / "pubmed"
    out: list[dict] = []
    live = {"EVIDENCE_MODE": "live", "NCBI_EMAIL": NET_SECRET_MAIL}

    def case(name, argv, env=None, wrap=None, expect="error", check=None, timeout=60):
        out.append({"name": f"net: {name}", "argv": argv, "env": env or {}, "wrap": wrap, "expect": expect,
                    "check": check, "timeout": timeout, "memory": NET_MEMORY, "block": "net"})

    def record_into(folder: Path) -> dict:
        return {"EVIDENCE_MODE": "record", "NCBI_EMAIL": NET_SECRET_MAIL, "EVIDENCE_SNAPSHOT": str(folder)}

    def nothing_stored(folder: Path):
        return lambda proc: "wrong" if _entries(folder) else None

    # -- item 1: the README's re-record step over a copy of the shipped snapshot -------------------
    copy = tmp / "net-rerecord"
    shutil.copytree(snap, copy)
    seed_key, seed_entry = next((k, v) for k, v in _entries(copy).items() if v["origin"] == "assembled")
    seed_file = (copy / seed_entry["file"]).read_bytes()
    seed = seed_entry["parameters"]["id"]

    def seed_kept(proc):
        entry = _entries(copy).get(seed_key)
        same = entry == seed_entry and (copy / seed_entry["file"]).read_bytes() == seed_file
        return None if same else "data loss"

    case("record the seed's request live over a copy of the shipped snapshot", ["fetch", "--pmids", seed],
         record_into(copy), expect="ok", check=seed_kept, timeout=120,
         wrap=_net_wrap(f"fake.records.update({{p: FakeEutils.make_record(p, title='Live ' + p, year=2001) "
                        f"for p in {seed!r}.split(',')}})"))
    reference: dict = {}

    def same_claims(proc):
        if "pmids" not in reference:
            ref = subprocess.run([sys.executable if not (repo / ".venv").exists() else str(repo / ".venv/bin/python"),
                                  "-m", "evidence", "claims"], capture_output=True, text=True, cwd=repo,
                                 env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(repo)})
            reference["pmids"] = [c["pmids"] for c in json.loads(ref.stdout or "[]")]
        try:
            got = [c["pmids"] for c in json.loads(proc.stdout)]
        except ValueError:
            return "wrong"
        return None if got == reference["pmids"] else "wrong"

    case("replay claims after the re-record cites the seed's PMIDs", ["claims"],
         {"EVIDENCE_SNAPSHOT": str(copy)}, expect="ok", check=same_claims, timeout=120)
    # -- item 5: an off-host redirect ------------------------------------------------------------------
    folder = tmp / "net-redirect"
    case("302 to another host", ["fetch", "--pmids", "1000001"], record_into(folder), check=nothing_stored(folder),
         wrap=_net_wrap('fake.inject(("redirect", f"http://localhost:{fake.port}/entrez/eutils/efetch.fcgi'
                        '?db=pubmed&id=1000001&retmode=xml"))'))
    # -- item 9: a stalled server, a slow drip -------------------------------------------------------------
    case("a stalled server", ["fetch", "--pmids", "1000001"], live, timeout=60,
         wrap=_net_wrap('fake.inject(*[("stall", 200)] * 5)'))
    case("a body dripping one byte a second", ["fetch", "--pmids", "1000001"], live, timeout=60,
         wrap=_net_wrap('fake.inject(*[("drip", 1.0)] * 5)'))
    # -- item 12: a huge live answer (5 MiB against a limit of 1 MiB set above) -----------------------------
    folder = tmp / "net-huge"
    case("a 5 MiB answer over a 1 MiB limit", ["fetch", "--pmids", "1000001"], record_into(folder),
         check=nothing_stored(folder), wrap=_net_wrap('fake.inject(("huge", 5 * 2**20))'))
    # -- item 11: an unknown encoding: a live answer, a file, a stored answer -------------------------------
    evil = b'<?xml version="1.0" encoding="X-EVIL-9"?>\n<PubmedArticleSet></PubmedArticleSet>\n'
    folder = tmp / "net-evil-live"
    case("live answer in encoding X-EVIL-9", ["fetch", "--pmids", "1000001"], record_into(folder),
         check=nothing_stored(folder), wrap=_net_wrap(f'fake.inject(("body", {evil!r}))'))
    f = tmp / "net-evil.xml"
    f.write_bytes(evil)
    case("records --xml in encoding X-EVIL-9", ["records", "--xml", str(f)])
    folder = tmp / "net-evil-snap"
    put_entry(folder, evil, "11", key=_request_key("efetch", {"db": "pubmed", "id": "11", "retmode": "xml"}))
    case("stored answer in encoding X-EVIL-9", ["fetch", "--pmids", "11"], {"EVIDENCE_SNAPSHOT": str(folder)})
    # -- item 13: an esearch answer whose Count disagrees with its IDs ----------------------------------------
    folder = tmp / "net-count"
    bad_count = ("ESEARCH_HEAD + '<eSearchResult><Count>5</Count><RetMax>2</RetMax><RetStart>0</RetStart>"
                 "<QueryKey>1</QueryKey><WebEnv>W</WebEnv><IdList><Id>1000001</Id><Id>1000002</Id></IdList>"
                 "<QueryTranslation>x</QueryTranslation></eSearchResult>'")
    case("esearch Count 5 with 2 IDs", ["fetch", "--term", "acupuncture"], record_into(folder),
         check=nothing_stored(folder), wrap=_net_wrap(f'fake.inject(("body", ({bad_count}).encode()))'))
    # -- item 7: secrets echoed as character references, into the --out CSV -----------------------------------
    csv_out = tmp / "net-secrets.csv"
    refs = "&#83;" + NET_SECRET_KEY[1:10] + "".join(f"&#x{ord(c):x};" for c in NET_SECRET_KEY[10:])
    title = f"echo {refs} me&#64;secret.example"

    def no_secret(proc):
        try:
            text = csv_out.read_text()
        except OSError:
            return "wrong"
        import html
        plain = html.unescape(html.unescape(text))
        return "leak" if NET_SECRET_KEY in plain or NET_SECRET_MAIL in plain else None

    case("API key and e-mail echoed as character references", ["fetch", "--pmids", "1000001", "--out", str(csv_out)],
         dict(live, NCBI_API_KEY=NET_SECRET_KEY), expect="ok", check=no_secret,
         wrap=_net_wrap(f'fake.records["1000001"] = FakeEutils.make_record("1000001", title="t", year=2001)'
                        f'.replace(b"<ArticleTitle>t<", b"<ArticleTitle>" + {title.encode()!r} + b"<")'))
    # -- items 11, 12: bombs (generated streaming; the probe never holds them in memory) ------------------------
    f = tmp / "net-textnode.xml.gz"
    _gzip_stream(f, HEAD + b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
                 b"<ArticleTitle>", b"a", 2**30, b"</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
                 b"</PubmedArticleSet>")
    case(f"a {f.stat().st_size // 1000} kB .xml.gz holding a 1 GiB text node", ["records", "--xml", str(f)],
         timeout=120)
    f = tmp / "net-spaces.xml.gz"
    _gzip_stream(f, HEAD + b"<PubmedArticleSet>", b" ", 2 * 2**30, b"</PubmedArticleSet>")
    case(f"{f.stat().st_size // 1000} kB of gzipped whitespace (2 GiB)", ["records", "--xml", str(f)], timeout=120)
    # -- item 6 and 11: symlinks and special files in the snapshot --------------------------------------------
    for label, target in (("records.xml linked to /dev/zero", "records.xml"),
                          ("manifest.json linked to /dev/zero", "manifest.json")):
        folder = tmp / f"net-{target}-zero"
        shutil.copytree(snap, folder)
        (folder / target).unlink()
        (folder / target).symlink_to("/dev/zero")
        case(label, ["fetch", "--pmids", "9758075"], {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "net-outside"
    shutil.copytree(snap, folder)
    outside = tmp / "net-outside-records.xml"
    (folder / "records.xml").rename(outside)
    (folder / "records.xml").symlink_to(outside)
    case("records.xml linked to a file outside the snapshot", ["fetch", "--pmids", "9758075"],
         {"EVIDENCE_SNAPSHOT": str(folder)})
    folder = tmp / "net-fifo"
    shutil.copytree(snap, folder)
    (folder / "records.xml").unlink()
    os.mkfifo(folder / "records.xml")
    case("records.xml is a FIFO", ["fetch", "--pmids", "9758075"], {"EVIDENCE_SNAPSHOT": str(folder)}, timeout=20)
    # -- item 13: namespaced root, superscript digits, leading zeros ------------------------------------------------
    f = tmp / "net-ns.xml"
    f.write_bytes(HEAD + b'<PubmedArticleSet xmlns="urn:x">' + article("11") + b"</PubmedArticleSet>\n")
    case("records --xml with a namespaced root", ["records", "--xml", str(f)])
    f = tmp / "net-superscript.xml"
    f.write_bytes(xml(article("¹²³")))
    case("records --xml with PMID ¹²³", ["records", "--xml", str(f)])
    case("fetch --pmids ¹²³", ["fetch", "--pmids", "¹²³"])
    f = tmp / "net-zeros.xml"
    f.write_bytes(xml(article("0009758075"), article("9758075")))
    case("records --xml with PMIDs 0009758075 and 9758075", ["records", "--xml", str(f)])
    # -- item 14: messages -----------------------------------------------------------------------------------------
    case("a failed fetch --term (efetch refused)", ["fetch", "--term", "acupuncture"], live,
         wrap=_net_wrap('fake.inject(("delay", 0), ("status", 400))'))
    folder = tmp / "net-badstored"
    body = b'<?xml version="1.0"?>\n<eSearchResult><Count>1</Count><IdList><Id>11</Id></IdList>'
    params = {"db": "pubmed", "retmax": "9999", "term": "x", "usehistory": "y"}
    put_entry(folder, body, "11", name="s.xml", key=_request_key("esearch", params), utility="esearch",
              parameters=params, origin="ncbi", sha256=hashlib.sha256(body).hexdigest())
    case("a malformed stored esearch answer", ["fetch", "--term", "x"], {"EVIDENCE_SNAPSHOT": str(folder)},
         check=lambda proc: None if "s.xml" in proc.stderr and "<bytes>" not in proc.stderr else "wrong")
    return out


def _net_verdict(c: dict, kind: str, code: int | None, err: str, proc) -> str:
    """What an issue-15 case found: ok, clean, trace, hang, leak, data loss, wrong (exit 0), other."""
    if code is None:
        return "hang"
    if kind == "trace":
        return "trace"
    found = c["check"](proc) if c.get("check") and proc is not None else None
    if found:
        return found
    if kind in ("clean", "ok"):
        return kind
    if code == 0:
        return "wrong"
    return "leak" if NET_SECRET_KEY in err or NET_SECRET_MAIL in err else "other"


def _cap_memory(limit: int):
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_case(c: dict, python: str, repo: Path, env_base: dict) -> tuple[str, int | None, str]:
    env = dict(env_base, **c["env"])
    # an address-space cap, so a memory bomb fails instead of swapping ("memory": the net block's name)
    limit = c.get("limit_as") or c.get("memory")

    def cap():  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    if c["wrap"] == "unshare":
        cmd = ["unshare", "-n", python, "-m", "evidence", *c["argv"]]
    elif c["wrap"]:
        cmd = [python, "-c", c["wrap"], *c["argv"]]
    else:
        cmd = [python, "-m", "evidence", *c["argv"]]
    timeout = c.get("timeout", TIMEOUT)
    c["proc"] = None
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=repo, timeout=timeout,
                              preexec_fn=cap if limit else None)
    except subprocess.TimeoutExpired:
        return "hang", None, f"(no answer in {timeout} s)"
    c["proc"] = proc
    err = proc.stderr
    leaked = KEY in err or KEY in proc.stdout or EMAIL in err
    problem = c["check"](proc) if c.get("check") else None
    if "Traceback" in err or "MemoryError" in err:
        kind = "trace"
    elif problem:
        kind, err = problem[0], f"{err.strip()} [{problem[1]}]"
    elif c["expect"] == "ok":
        kind = "ok" if proc.returncode == 0 else "other"
    elif proc.returncode == 0:
        kind = "wrong"
    elif proc.returncode == 2 and len(err.strip().splitlines()) == 1 and not leaked and "\x1b" not in err:
        kind = "clean"
    else:
        kind = "other"
    return kind, proc.returncode, err


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(HERE), help="checkout to probe (with its .venv)")
    parser.add_argument("--verbose", action="store_true", help="print every case's outcome")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--python", default="", help="interpreter (default: the checkout's .venv, else this one); "
                        "the checkout is put first on PYTHONPATH")
    args = parser.parse_args()
    repo = Path(args.repo).resolve()
    python = args.python or str(repo / ".venv" / "bin" / "python")
    if not Path(python).exists():
        python = sys.executable
    env_base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
                # no case may reach the internet: any proxied request ends at a closed local port
                "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
                "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
                "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
                "PYTHONPATH": str(repo)}
    counts = {"clean": 0, "ok": 0, "trace": 0, "hang": 0, "wrong": 0, "loss": 0, "leak": 0, "other": 0}
    with tempfile.TemporaryDirectory(prefix="evidence-probe-") as tmp:
        todo = [c for c in cases(Path(tmp), repo) + net_cases(Path(tmp), repo) if args.only in c["name"]]
        net: dict[str, int] = {}
        for c in todo:
            kind, code, err = run_case(c, python, repo, env_base)
            if c.get("block") == "net":
                verdict = _net_verdict(c, kind, code, err, c.get("proc"))
                net[verdict] = net.get(verdict, 0) + 1
                kind = {"data loss": "loss"}.get(verdict, verdict)
            counts[kind] += 1
            if args.verbose or kind not in ("clean", "ok"):
                last = err.strip().splitlines()[-1] if err.strip() else ""
                tag = f" ({verdict})" if c.get("block") == "net" and kind == "other" else ""
                print(f"[{kind:5}] exit {code}: {c['name']}{tag}: {last[:220]}")
    errors = sum(c["expect"] == "error" for c in todo)
    print(f"cases: {len(todo)} ({errors} bad inputs, {len(todo) - errors} valid edge cases)  "
          f"clean errors: {counts['clean']}  valid cases ok: {counts['ok']}  tracebacks: {counts['trace']}  "
          f"hangs: {counts['hang']}  wrong results (exit 0): {counts['wrong']}  data loss/stale: "
          f"{counts['loss']}  leaks: {counts['leak']}  other: {counts['other']}")
    if net:
        print("issue-15 network/snapshot/XML block: " + "  ".join(
            f"{k}: {net.get(k, 0)}" for k in ("clean", "ok", "trace", "hang", "leak", "data loss", "wrong", "other")))
    return 0 if not any(counts[k] for k in ("trace", "hang", "wrong", "loss", "leak", "other")) else 1


if __name__ == "__main__":
    sys.exit(main())

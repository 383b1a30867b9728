"""Reference-list check (docs/contracts.md, "Reference-list check: evidence cite-check").

The reference lines are written by hand: Vancouver lines follow Citing
Medicine (see tests/test_cite.py), APA lines the APA Publication Manual, 7th
edition ("Author, A. A., & Author, B. B. (Year). Title. Journal, Volume(Issue),
pages. https://doi.org/..."), with the values of the snapshot's records.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pandas as pd
import pytest

from evidence import citecheck
from evidence.review import check_reference_file, cite_check_file
from evidence.citecheck import (
    CheckResult,
    check_references,
    default_resolver,
    format_csv,
    format_json,
    format_table,
    live_resolver,
    parse_reference,
    results_frame,
)
from evidence.errors import DataError, EvidenceError
from evidence.records import read_records
from evidence.settings import Settings

from cli_runner import run_cli
from conftest import FIXTURES, SNAPSHOT

BIRCH_VANCOUVER = (
    "Birch S, Jamison RN. Controlled trial of Japanese acupuncture for chronic myofascial neck pain: "
    "assessment of specific and nonspecific effects of treatment. Clin J Pain. 1998 Sep;14(3):248-55."
)
BIRCH_APA = (
    "Birch, S., & Jamison, R. N. (1998). Controlled trial of Japanese acupuncture for chronic myofascial "
    "neck pain: Assessment of specific and nonspecific effects of treatment. The Clinical Journal of Pain, "
    "14(3), 248–255. https://doi.org/10.1097/00002508-199809000-00012"
)
VICKERS = ("{first} AJ, Rees RW, Zollman CE, McCarney R, Smith CM, Ellis N, et al. Acupuncture for chronic "
           "headache in primary care: large, pragmatic, randomised trial. BMJ. {year};328(7442):744.")

REFERENCE_FILE = "\n".join([
    "# reference list for the cite-check tests",                    # 1  comment
    "9758075",                                                       # 2  PMID in the snapshot
    "10.1016/S0304-3959(02)00062-3",                                 # 3  DOI, upper case
    "https://doi.org/10.1136/BMJ.38029.421863.EB",                   # 4  DOI with prefix, other case
    "",                                                              # 5  blank
    BIRCH_VANCOUVER,                                                 # 6  correct Vancouver
    BIRCH_APA,                                                       # 7  correct APA
    VICKERS.format(first="Vickers", year=2005),                      # 8  wrong year
    VICKERS.format(first="Smith", year=2004),                        # 9  wrong first author
    "Hartley P, Okafor N. Needling the moon: a lunar-cycle randomised trial of acupuncture for "
    "chronic neck pain. J Imag Med. 2019;7(2):101-9.",              # 10 made up
    "99999999",                                                      # 11 PMID outside the snapshot
    "   # an indented comment",                                      # 12 comment
    "Ceccherelli F, Gioioso L, Casale R, Gagliardi G, Ori C. Neck pain treatment with acupuncture: does "
    "the number of needles matter? Clin J Pain. 2010;26(9):807-12.",  # 13 ISO abbreviation vs full title
    "White A, Hayhoe S, Hart A, Ernst E. Adverse events following acupuncture: prospective survey of "
    "32 000 consultations with doctors and physiotherapists. Cephalalgia. 2001;323(7311):485-6.",  # 14 journal
    "Linde K, Allais G. Acupuncture for migraine prophylaxis. Cochrane Database Syst Rev. 2009;(1):"
    "CD007587. PMID: 19160338.",                                     # 15 PMID with a wrong title
    "doi:10.1002/14651858.cd007587",                                 # 16 doi: prefix, lower case
])

EXPECTED = [
    # line, status, pmid, mismatches
    (2, "ok", "9758075", []),
    (3, "ok", "12237186", []),
    (4, "ok", "15023828", []),
    (6, "ok", "9758075", []),
    (7, "ok", "9758075", []),
    (8, "mismatch", "15023828", ["year"]),
    (9, "mismatch", "15023828", ["first_author"]),
    (10, "not_found", None, []),
    (11, "not_found", None, []),
    (13, "ok", "20842006", []),
    (14, "mismatch", "11532840", ["journal"]),
    (15, "mismatch", "19160338", ["title"]),
    (16, "ok", "19160338", []),
]


@pytest.fixture(scope="module")
def records():
    return read_records(SNAPSHOT / "records.xml")


@pytest.fixture
def reference_file(tmp_path):
    path = tmp_path / "references.txt"
    path.write_text(REFERENCE_FILE + "\n", encoding="utf-8")
    return path


def _summary(results):
    return [(r.line, r.status, r.pmid, list(r.mismatches)) for r in results]


def test_reference_file_against_snapshot_records(records, reference_file):
    results = check_references(reference_file, records=records)
    assert _summary(results) == EXPECTED
    lines = REFERENCE_FILE.split("\n")
    assert all(r.input == lines[r.line - 1].strip() for r in results)


def test_default_records_are_the_snapshot_and_no_socket_is_opened(env, no_network, reference_file):
    # records=None: the snapshot's records, read in replay mode; PMID 99999999 is not_found
    _, results = check_reference_file(reference_file)
    assert _summary(results) == EXPECTED


def test_live_settings_still_read_the_snapshot_without_network(env, no_network, reference_file,
                                                               monkeypatch):
    live = Settings(mode="live", email="test@example.org")
    monkeypatch.setattr("evidence.review.default_resolver", lambda settings: None)  # snapshot only
    # the records are the snapshot's, read in replay whatever the mode
    _, results = check_reference_file(reference_file, settings=live)
    assert _summary(results) == EXPECTED


def test_lines_as_list_or_text(records):
    assert _summary(check_references(["", "9758075"], records=records)) == [(2, "ok", "9758075", [])]
    assert _summary(check_references("# c\n9758075\n", records=records)) == [(2, "ok", "9758075", [])]


# -- constructed records: ambiguity and retraction -----------------------------------------
def _frame(rows):
    base = {"pmid": "", "title": "", "journal": "Journal of Examples", "journal_iso": "J Ex", "year": 2020,
            "first_author": "Doe J", "authors": "Doe J", "doi": "", "pmcid": "",
            "publication_types": "Journal Article", "retracted": False}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_two_records_that_fit_equally_are_ambiguous():
    title = "Acupuncture for chronic neck pain: a randomised trial"
    frame = _frame([{"pmid": "90000001", "title": title}, {"pmid": "90000002", "title": title},
                    {"pmid": "90000003", "title": title, "year": 2015}])
    [result] = check_references([f"Doe J. {title}. J Ex. 2020;1(1):1-9."], records=frame)
    assert result.status == "ambiguous" and result.pmid is None and result.mismatches == ()
    assert result.candidates == ("90000001", "90000002")
    # the year tells them apart from the third; a different year picks it alone
    [third] = check_references([f"Doe J. {title}. J Ex. 2015;1(1):1-9."], records=frame)
    assert (third.status, third.pmid) == ("ok", "90000003")


def test_two_records_with_one_doi_are_ambiguous():
    frame = _frame([{"pmid": "1", "title": "First", "doi": "10.5555/X"},
                    {"pmid": "2", "title": "Second", "doi": "10.5555/x"}])
    [result] = check_references(["10.5555/x"], records=frame)
    assert result.status == "ambiguous" and result.candidates == ("1", "2")


def test_retracted_record():
    frame = _frame([{"pmid": "90000010", "title": "Acupuncture cures tension-type headache forever",
                     "publication_types": "Journal Article; Retracted Publication"}])
    results = check_references([
        "90000010",
        "Doe J. Acupuncture cures tension-type headache forever. J Ex. 2020;3:1-2.",
        "Roe J. Acupuncture cures tension-type headache forever. J Ex. 2019;3:1-2.",
    ], records=frame)
    assert _summary(results) == [
        (1, "retracted", "90000010", []),
        (2, "retracted", "90000010", []),
        (3, "retracted", "90000010", ["year", "first_author"]),  # mismatches still named
    ]


# -- parsing lines ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, style, pmid, doi", [
    ("9758075", "pmid", "9758075", None),
    ("PMID: 9758075", "pmid", "9758075", None),
    ("https://pubmed.ncbi.nlm.nih.gov/9758075/", "pmid", "9758075", None),
    ("10.1097/00002508-199809000-00012", "doi", None, "10.1097/00002508-199809000-00012"),
    ("DOI: 10.1016/S0304-3959(02)00062-3", "doi", None, "10.1016/s0304-3959(02)00062-3"),
    ("https://dx.doi.org/10.1016%2FS0304-3959(02)00062-3", "doi", None, "10.1016/s0304-3959(02)00062-3"),
    ("Pain. 2002. doi: 10.1016/s0304-3959(02)00062-3. PMID: 12237186.", None, "12237186",
     "10.1016/s0304-3959(02)00062-3"),
])
def test_parse_identifiers(text, style, pmid, doi):
    ref = parse_reference(text)
    assert (ref.pmid, ref.doi) == (pmid, doi)
    if style:
        assert ref.style == style


def test_parse_vancouver_and_apa():
    v = parse_reference("3. " + BIRCH_VANCOUVER)
    assert (v.style, v.first_author, v.year, v.journal, v.volume, v.issue, v.pages) == (
        "vancouver", "Birch", 1998, "Clin J Pain", "14", "3", "248-55")
    assert v.title.startswith("Controlled trial") and v.title.endswith("effects of treatment")
    a = parse_reference(BIRCH_APA)
    assert (a.style, a.first_author, a.year, a.journal, a.volume, a.issue) == (
        "apa", "Birch", 1998, "The Clinical Journal of Pain", "14", "3")
    assert a.doi == "10.1097/00002508-199809000-00012"


def test_free_text_without_a_readable_title_is_matched_inside_the_text(records):
    [r] = check_references(
        ["Ceccherelli et al 2010 neck pain treatment with acupuncture, does the number of needles matter"],
        records=records)
    assert (r.status, r.pmid) == ("ok", "20842006")


def test_question_mark_inside_a_title_without_journal(records):
    # the record has no journal: the second half of the title is read as a "journal" at first
    [r] = check_references(["Chen YJ, Chen CT, Liu JY, Shimizu Bassi G, Yang YQ. What Is the Appropriate "
                            "Acupuncture Treatment Schedule for Chronic Pain? Review and Analysis of "
                            "Randomized Controlled Trials. 2019."], records=records)
    assert (r.status, r.pmid, r.mismatches) == ("ok", "31316572", ())


# -- live resolution (interface only; no network) ------------------------------------------------
class FakeClient:
    """Stands in for PubMed with the interface live_resolver expects; records every call."""

    def __init__(self, ecitmatch=True):
        self.calls = []
        self.body = (FIXTURES / "handmade" / "medline_date.xml").read_bytes()
        if not ecitmatch:
            self.ecitmatch = None

    def ecitmatch(self, citations):
        self.calls.append(("ecitmatch", citations))
        return ["99000002" if c["author"] == "Smith" else None for c in citations]

    def search(self, term):
        self.calls.append(("search", term))

        class Result:
            pmids = ("99000002",) if "needling" in term or "exacu" in term else ()
        return Result()

    def fetch(self, pmids):
        self.calls.append(("fetch", list(pmids)))
        return [self.body] if list(pmids) == ["99000002"] else []


SMITH = ("Smith AB. Acupuncture for chronic low back pain: a pilot comparison of two needling schedules. "
         "J Ex Acupunct Res. 1998;12(6):401-9.")


def test_live_resolver_ecitmatch(records, no_network):
    client = FakeClient()
    [r] = check_references([SMITH], records=records, resolver=live_resolver(client))
    assert (r.status, r.pmid, r.mismatches) == ("ok", "99000002", ())
    assert client.calls[0] == ("ecitmatch", [{"journal": "J Ex Acupunct Res", "year": "1998", "volume": "12",
                                              "first_page": "401", "author": "Smith", "key": "1"}])
    assert client.calls[1] == ("fetch", ["99000002"])


def test_live_resolver_title_search_and_doi(records, no_network):
    client = FakeClient(ecitmatch=False)
    [r] = check_references([SMITH.replace("1998", "1999")], records=records, resolver=live_resolver(client))
    assert (r.status, r.pmid, r.mismatches) == ("mismatch", "99000002", ("year",))
    kind, term = client.calls[0]
    assert kind == "search" and "needling[ti]" in term and '"Smith"[1au]' in term and "for[ti]" not in term and "1999[dp]" in term
    client = FakeClient(ecitmatch=False)
    [d] = check_references(["10.5555/EXACU.1998.401"], records=records, resolver=live_resolver(client))
    assert (d.status, d.pmid) == ("ok", "99000002")
    assert client.calls[0] == ("search", "10.5555/exacu.1998.401[aid]")


def test_live_resolver_not_consulted_when_snapshot_resolves(records):
    client = FakeClient()
    check_references(["9758075", BIRCH_VANCOUVER], records=records, resolver=live_resolver(client))
    assert client.calls == []


def test_live_resolver_nothing_found(records):
    client = FakeClient()
    [r] = check_references(["Nobody X. Nothing at all about anything. J Void. 2001;1:1-2."],
                           records=records, resolver=live_resolver(client))
    assert r.status == "not_found"


def test_default_resolver_is_none_in_replay(env):
    assert default_resolver(Settings()) is None
    assert callable(default_resolver(Settings(mode="live", email="test@example.org")))


# -- output ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def results(records):
    return check_references(REFERENCE_FILE, records=records)


def test_json_has_exactly_the_contract_keys(results):
    data = json.loads(format_json(results))
    # the contract's keys first, then the values behind each mismatch and the note (issue 11, item 9)
    assert [tuple(d) for d in data] == [("line", "input", "status", "pmid", "mismatches",
                                         "mismatch_values", "note")] * len(results)
    assert [(d["line"], d["status"], d["pmid"], d["mismatches"]) for d in data] == EXPECTED
    assert all(d["status"] in citecheck.STATUSES for d in data)
    assert all(set(d["mismatches"]) <= set(citecheck.FIELDS) for d in data)


def test_csv_output(results):
    rows = list(csv.DictReader(io.StringIO(format_csv(results))))
    assert list(rows[0]) == ["line", "input", "status", "pmid", "mismatches", "record", "note"]
    assert [(int(r["line"]), r["status"], r["pmid"] or None, r["mismatches"].split("; ") if r["mismatches"] else [])
            for r in rows] == EXPECTED
    assert rows[4]["input"] == BIRCH_APA  # commas and quotes survive


def test_table_output_is_aligned(results):
    text = format_table(results, width=40)
    lines = text.splitlines()
    header, rule = lines[0], lines[1]
    starts = [i for i, c in enumerate(header) if c != " " and (i == 0 or header[i - 1] == " ")]
    assert header.split() == ["line", "status", "pmid", "mismatches", "record", "input"]
    for line in lines[2:2 + len(results)]:
        assert line[starts[1] - 2:starts[1]] == "  "  # columns start at the same place on every row
        assert len(line) <= len(rule)
    assert set(rule.replace(" ", "")) == {"-"}
    assert lines[-1] == "13 references: 7 ok, 4 mismatch, 2 not_found"
    ambiguous = [CheckResult(1, "x", "ambiguous", None, (), ("1", "2"))]
    assert "?1|2" in format_table(ambiguous)


def test_results_frame(results):
    frame = results_frame(results)
    assert list(frame.columns) == ["line", "input", "status", "pmid", "mismatches", "candidates", "record", "note"]
    assert frame["line"].tolist() == [e[0] for e in EXPECTED]
    assert frame.loc[frame["line"] == 8, "mismatches"].item() == "year"


def test_cite_check_file_formats(env, no_network, reference_file):
    assert json.loads(cite_check_file(reference_file, fmt="json"))[0] == {
        "line": 2, "input": "9758075", "status": "ok", "pmid": "9758075", "mismatches": [],
        "mismatch_values": {}, "note": ""}
    assert cite_check_file(reference_file, fmt="csv").startswith("line,input,status,pmid,mismatches,record,note\n")
    assert cite_check_file(reference_file).splitlines()[0].split() == [
        "line", "status", "pmid", "mismatches", "record", "input"]


def test_cite_check_file_bad_input(env, tmp_path):
    with pytest.raises(ValueError, match=r"fmt \(--format\) must be one of table, csv, json, got 'xml'"):
        cite_check_file(tmp_path / "x.txt", fmt="xml")
    with pytest.raises(DataError, match="missing.txt: cannot be read") as info:
        cite_check_file(tmp_path / "missing.txt")
    assert isinstance(info.value, EvidenceError)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Bäumler P. Title. BMJ Open. 2021;11:e1.".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        check_references(latin, records=pd.DataFrame())


def test_bad_options(records):
    with pytest.raises(ValueError, match="title_threshold"):
        check_references(["1"], records=records, title_threshold=0)
    with pytest.raises(TypeError, match="resolver"):
        check_references(["1"], records=records, resolver="ecitmatch")


# -- what a mismatch is, and where a missing record may be (issue 11, item 9) ---------------------
def test_mismatch_shows_the_records_value(results):
    by_line = {r.line: r for r in results}
    # line 8 says 2005; Vickers 2004 (PMID 15023828) was published in 2004
    assert by_line[8].mismatch_values == (("year", "2005", "2004"),)
    assert by_line[9].mismatch_values == (("first_author", "Smith", "Vickers"),)
    data = {d["line"]: d for d in json.loads(format_json(results))}
    assert data[8]["mismatch_values"] == {"year": {"reference": "2005", "record": "2004"}}
    rows = {int(r["line"]): r for r in csv.DictReader(io.StringIO(format_csv(results)))}
    assert rows[8]["record"] == "year 2004"
    table = format_table(results, width=40)
    assert any(line.lstrip().startswith("8 ") and "year 2004" in line for line in table.splitlines())


def test_not_found_in_replay_says_check_live_not_made_up(results):
    missing = [r for r in results if r.status == "not_found"]
    assert [r.line for r in missing] == [10, 11]
    for r in missing:
        assert r.note.startswith("not in the snapshot; check live")
        assert "made up" not in r.note and "fabricat" not in r.note
    table = format_table(results)
    assert "line 11: not in the snapshot; check live" in table
    assert "line 8:" not in table  # notes only where there is one


def test_not_found_after_a_live_lookup_says_so(records):
    (result,) = check_references(["99999999"], records=records, resolver=lambda ref: pd.DataFrame())
    assert result.status == "not_found" and result.note == citecheck.NOT_IN_PUBMED


# -- CSV formula injection (issue 10, item 12) ------------------------------------------------
@pytest.mark.parametrize("line", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=HYPERLINK(\"x\")"])
def test_csv_cells_never_start_a_formula(records, line):
    results = check_references([line], records=records)
    rows = list(csv.reader(io.StringIO(format_csv(results))))
    cell = rows[1][1]
    # OWASP: a leading single quote makes the spreadsheet show the cell as text
    assert cell == "'" + line.strip()
    for row in rows[1:]:
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)


def test_csv_keeps_ordinary_cells(results):
    rows = list(csv.DictReader(io.StringIO(format_csv(results))))
    assert rows[4]["input"] == BIRCH_APA and rows[0]["input"] == "9758075"


# -- long lines and matching cost (issue 10, item 7) ---------------------------------------------
def test_a_very_long_line_is_refused_at_once_naming_the_line(tmp_path, records):
    import time

    path = tmp_path / "pasted.txt"
    path.write_text("9758075\n" + "acupuncture neck pain trial 2004 " * 150_000 + "\n", encoding="utf-8")  # ~5 MB, stripped
    started = time.perf_counter()
    with pytest.raises(DataError, match=r"pasted\.txt: line 2 is 4,949,999 characters long; a reference is at most"):
        check_references(path, records=records)
    assert time.perf_counter() - started < 5  # difflib over the line took hours


def test_cli_long_line_is_one_clear_error(tmp_path):
    # kept as a real process: `evidence cite-check`'s end-to-end test (a separate process's exit
    # code and stderr); the other cite-check command lines run in the test process (tests/cli_runner.py)
    import subprocess
    import sys

    path = tmp_path / "pasted.txt"
    path.write_text("x" * 10_000 + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "evidence", "cite-check", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert "line 1 is 10,000 characters long" in proc.stderr and "Traceback" not in proc.stderr


def test_a_line_at_the_cap_is_checked(records):
    line = ("Birch S, Jamison RN. Controlled trial of Japanese acupuncture for chronic myofascial neck pain: "
            "assessment of specific and nonspecific effects of treatment. Clin J Pain. 1998;14(3):248-55. ")
    line = (line + "Note " * 2000)[:citecheck.MAX_LINE_CHARS]
    (result,) = check_references([line], records=records)
    assert result.pmid == "9758075"


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402


@hsettings(derandomize=True, deadline=None, max_examples=400)
@given(needle=st.text(alphabet="abcdefgh ", min_size=8, max_size=40),
       edits=st.lists(st.tuples(st.integers(0, 39), st.sampled_from("xyz")), max_size=4),
       prefix=st.text(alphabet="abcdefgh xyz", max_size=20), suffix=st.text(alphabet="abcdefgh xyz", max_size=20),
       threshold=st.sampled_from([0.85, 0.9, 0.95]))
def test_trigram_prefilter_never_rules_out_a_match(needle, edits, prefix, suffix, threshold):
    # the hay holds the needle with a few characters changed: often a match, sometimes not. The
    # prefilter is exact: whenever difflib finds a stretch at the threshold, the prefilter lets it through
    copy = list(needle)
    for position, char in edits:
        copy[position % len(copy)] = char
    hay = prefix + "".join(copy) + suffix
    if len(needle) >= len(hay):
        return
    if citecheck._partial_similarity(needle, hay) >= threshold:
        assert citecheck._may_reach(citecheck._trigrams(needle), set(citecheck._trigrams(hay)), len(needle),
                                    threshold)


# -- --strict (issue 11, item 9) ---------------------------------------------------------------
def _cite_check(*args):
    return run_cli("cite-check", *args, timeout=120,
                   env={k: v for k, v in os.environ.items() if k not in ("EVIDENCE_MODE", "NCBI_API_KEY")})


def test_strict_exits_1_on_mismatch_or_not_found(reference_file, tmp_path):
    assert _cite_check(str(reference_file)).returncode == 0
    proc = _cite_check(str(reference_file), "--strict")
    assert proc.returncode == 1 and "mismatch" in proc.stdout  # the report is still printed
    clean = tmp_path / "clean.txt"
    clean.write_text("9758075\n" + BIRCH_VANCOUVER + "\n", encoding="utf-8")
    assert _cite_check(str(clean), "--strict").returncode == 0
    missing = tmp_path / "missing.txt"
    missing.write_text("99999999\n", encoding="utf-8")
    assert _cite_check(str(missing), "--strict", "--format", "json").returncode == 1

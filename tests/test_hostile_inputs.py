"""Author-edited data files: bounded, typed, in range, refused with one line naming file and row
(issue 15, items 10, 11, 13 and 14).

Each case edits a copy of ``data/`` (``EVIDENCE_DATA``); the key cases go through the command
line's ``main`` (exit 2, one line on stderr, no traceback; in this process, ``tests/cli_runner.py``),
the others through the loaders of :mod:`evidence.review` that the command line calls.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from evidence import review
from evidence._csv import read_csv_rows
from evidence._yaml import load_yaml
from evidence.errors import DataError
from evidence.saferegex import regex_problem
from evidence.settings import load_settings

from cli_runner import run_cli

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture
def data(tmp_path):
    """A copy of the review's data files (without the snapshot, which stays the repo's)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("pubmed"))
    return folder


def _settings(folder: Path):
    return load_settings(environ={"EVIDENCE_DATA": str(folder)})


def _cli(folder: Path, *argv, timeout=90):
    env = dict(os.environ, EVIDENCE_MODE="replay", EVIDENCE_DATA=str(folder))
    env.pop("EVIDENCE_SNAPSHOT", None)
    # timeout: a hang fails, not a speed test; an unexpected exception is raised here, not printed
    proc = run_cli(*argv, env=env, cwd=REPO, timeout=timeout)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row as a spreadsheet shows it: header = 1) of a CSV file."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# item 10: catastrophic backtracking


def test_the_issue_cue_is_refused_at_load_with_the_claim_and_field(data):
    _replace(data / "claims.yaml", "cues: ['endorphin',", r"cues: ['(\w+\s?)+[$]', 'endorphin',")
    err = _cli(data, "claims")
    assert "endorphins: evidence.cues:" in err and "nested quantifier" in err


@pytest.mark.parametrize("pattern, problem", [
    (r"(a|ab)*c", "alternation inside a repeated group"), (r"(x+x+)+y", "nested quantifier"),
    (r"(.*a){12}", "nested quantifier"), (r".*a.*b.*c", "more than 1 quantifier"), (r"(a)\1", "backreferences"),
])
def test_regex_rule_refuses_backtracking_shapes(pattern, problem):
    assert problem in regex_problem(pattern)


def test_the_review_cues_pass_the_rule():
    for claim in review.load_claims():
        for cue in claim.cues + claim.indirect:
            assert regex_problem(cue) is None, cue


# ---------------------------------------------------------------------------------------------
# item 11: claims.yaml types, aliases, duplicate keys; eligibility.yaml


def test_quotes_as_text_is_one_line_naming_claim_and_field(data):
    text = (data / "claims.yaml").read_text(encoding="utf-8")
    start = text.index("- id: safety")
    block_end = text.index("  claim_en:", start)
    quotes = text[text.index("  quotes:", start):block_end]
    (data / "claims.yaml").write_text(text.replace(quotes, '  quotes: "oops"\n', 1), encoding="utf-8")
    err = _cli(data, "claims")
    assert "safety: quotes must be a list of {section, text}" in err


@pytest.mark.parametrize("edit, message", [
    (("asserts: {kind: efficacy, hedged: true, specific: null}", "asserts: {kind: efficacy, hedged: [1], specific: null}"),
     "tth_frequency: asserts.hedged must be true or false"),
    (("asserts: {kind: efficacy, hedged: true, specific: null}", "asserts: 5"),
     "tth_frequency: asserts must be a mapping (key: value), got int"),
    (("query: ", "query: [a, b]\n  x_query: "), "tth_frequency: query must be text, got list"),
    (("cues: []", "cues: [5]"), "evidence.cues must be a list of regular expressions (text)"),
    (("- id: tth_frequency", '- id: "tth<img src=x onerror=alert(1)>"'), "must match [a-z0-9_]+"),
    (("- id: tth_frequency", "- id: TTH-Frequency"), "must match [a-z0-9_]+"),
])
def test_claims_fields_are_type_checked(data, edit, message):
    _replace(data / "claims.yaml", *edit)
    with pytest.raises(DataError) as caught:
        review.load_claims(_settings(data))
    assert message in str(caught.value) and "claims.yaml" in str(caught.value)


def test_yaml_alias_bomb_is_refused_before_it_expands(data):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    (data / "claims.yaml").write_text(bomb, encoding="utf-8")
    err = _cli(data, "claims")
    assert re.search(r"claims\.yaml, line 1: anchor &a \(anchors and aliases are not allowed", err)


def test_duplicate_keys_are_refused_with_the_key_and_line(data):
    _replace(data / "claims.yaml", "  claim_en: >-\n    Systematic reviews conclude",
             "  query: duplicate\n  claim_en: >-\n    Systematic reviews conclude")
    with pytest.raises(DataError, match=r"claims\.yaml, line \d+: duplicate key 'query' \(first on line \d+\)"):
        review.load_claims(_settings(data))


def test_eligibility_yaml_goes_through_the_same_loader(data):
    path = data / "eligibility.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nlanguages: {include: any}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"eligibility\.yaml, line \d+: duplicate key 'languages'"):
        review.load_criteria(_settings(data))


def test_load_yaml_bounds_size_and_depth(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 1_000_001)
    with pytest.raises(DataError, match="larger than 1,000,000 bytes"):
        load_yaml(big)
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 50 + "]" * 50)
    with pytest.raises(DataError, match="nested deeper than 20 levels"):
        load_yaml(deep)


# ---------------------------------------------------------------------------------------------
# item 13: plausible ranges, one line naming file and row


def test_effects_ci_of_1e308_is_out_of_range(data):
    _set_cell(data / "effects.csv", 12, "ci_high", "1e308")
    err = _cli(data, "sof")
    assert re.search(r"effects\.csv, row 12: ci_high 1e\+308 is out of range \(plausible: -100000 to 100000\)", err)


@pytest.mark.parametrize("column, value", [("estimate", "-1e308"), ("ci_low", "-1e308"), ("n_t", "1e9"),
                                           ("mean_t", "1e300")])
def test_effects_numbers_beyond_their_range(data, column, value):
    _set_cell(data / "effects.csv", 5, column, value)
    with pytest.raises(DataError, match=rf"effects\.csv, row 5: {column} \S+ is out of range"):
        review.load_effects(_settings(data))


def test_effects_ratio_beyond_its_measure_range(data):
    from evidence.extraction import check_effects_row

    row = {"pmid": "9758075", "study": "x", "comparison": "acupuncture_vs_sham", "condition": "neck_pain",
           "outcome": "o", "timepoint": "t", "measure": "GENERIC_RR", "estimate": 2.0, "ci_low": 1.0,
           "ci_high": 50_000.0}
    assert "ci_high 50000 is out of range (a plausible GENERIC_RR: 0.0001 to 10000)" in check_effects_row(row)


def test_mids_with_an_unknown_outcome_is_refused(data):
    _set_cell(data / "mids.csv", 2, "outcome", "pain_intensty")
    err = _cli(data, "sof")
    assert "mids.csv, row 2: outcome 'pain_intensty' is not an outcome of the extraction table" in err


def test_mid_of_1e_320_is_out_of_range(data):
    _set_cell(data / "mids.csv", 2, "mid", "1e-320")
    with pytest.raises(DataError, match=r"mids\.csv, row 2: mid 9\.99989e-321 is out of range"):
        review.load_sof(_settings(data))


@pytest.mark.parametrize("value", ["1.5", "-0.01", "abc", "<", "p=0.5"])
def test_null_results_p_outside_0_1_is_refused(data, value):
    _set_cell(data / "null_results.csv", 3, "p", value)
    with pytest.raises(DataError, match=rf"null_results\.csv, row 3: p {re.escape(repr(value))} is out of range"):
        review.load_null_results(_settings(data))


@pytest.mark.parametrize("value", ["<.05", "0.007", "<=0.04", "= 0.5", "1", ""])
def test_null_results_p_as_abstracts_give_it_passes(data, value):
    _set_cell(data / "null_results.csv", 3, "p", value)
    assert len(review.load_null_results(_settings(data))) > 0


# ---------------------------------------------------------------------------------------------
# sessions.csv and the one CSV reader (items 13 and 14)


def test_a_ragged_sessions_row_is_refused_not_skipped(data):
    path = data / "sessions.csv"
    path.write_text(path.read_text(encoding="utf-8") + "melchart2005,15888517\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"sessions\.csv, row \d+: 2 cells, the header has 4"):
        review.load_sessions(_settings(data))


def test_a_bom_in_sessions_csv_is_accepted(data):
    path = data / "sessions.csv"
    plain = review.load_sessions(_settings(data))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert review.load_sessions(_settings(data)) == plain and plain


def test_a_superscript_session_count_names_file_and_row(data):
    _set_cell(data / "sessions.csv", 5, "sessions", "\u00b2")
    err = _cli(data, "claims")
    assert re.search(r"sessions\.csv, row 5: sessions must be a positive integer \(ASCII digits\) or empty, got '²'", err)


def test_sessions_beyond_range_and_bad_ids(data):
    _set_cell(data / "sessions.csv", 5, "sessions", "5000")
    with pytest.raises(DataError, match=r"sessions\.csv, row 5: sessions 5000 is out of range"):
        review.load_sessions(_settings(data))
    _set_cell(data / "sessions.csv", 5, "sessions", "1")
    _set_cell(data / "sessions.csv", 6, "study_id", "Bad Id")
    with pytest.raises(DataError, match=r"sessions\.csv, row 6: study_id 'Bad Id'"):
        review.load_sessions(_settings(data))


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_files_are_named(data, encoding, name):
    path = data / "studies.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(DataError, match=rf"studies\.csv: the file is {name} text; save it as UTF-8"):
        review.load_studies(_settings(data))


def test_a_nul_byte_in_a_cell_names_the_row(data):
    path = data / "effects.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[6] = lines[6].replace("acupuncture_vs_", "acupuncture\x00_vs_", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    err = _cli(data, "sof")
    assert "effects.csv, row 7: a NUL byte in a cell" in err


def test_not_utf8_names_the_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\n")
    with pytest.raises(DataError, match=r"t\.csv, row 3: not UTF-8 text \(byte 0xff\)"):
        read_csv_rows(path, expected=("a", "b"))

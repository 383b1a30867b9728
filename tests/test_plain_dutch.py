"""Every text the summary of findings generates reads in Dutch on the Dutch page (issue 17, item 2).

The downgrade reasons and footnotes of evidence/grade.py, evidence/review_certainty.py,
evidence/synthesis.py and evidence/analyses.py are written in English; :func:`evidence.plain.plain`
gives the Dutch page their Dutch. These tests run over today's whole summary of findings (the main
table and ``evidence sof --all``), so a new generated sentence without Dutch fails here.
"""

from __future__ import annotations

import re

import pytest

from evidence.plain import plain
from evidence.texts import CLAIM_ANALYSIS_LABELS, claim_label, claim_timepoint, ui_label

#: English words that are not also Dutch words ("of", "door", "test" and "interval" are both).
ENGLISH = re.compile(
    r"\b(the|and|with|without|at|not|participants|reported|judged|trials?|outcomes?|population|favours|stated|"
    r"some concerns|no information|overall|low|high|months?|weeks?|days?|review's|study's|studies'|estimates?|"
    r"pooled|abstracts?|certainty|rated|only|which|where|because|between|fewer|more|lower|higher|subgroup|"
    r"sham|treatment|after|post|effects|beside|used|same|rule|takes|placed|leaves|shown|summary)\b")


@pytest.fixture(scope="module")
def sof():
    from evidence.review import load_sof

    return load_sof()


@pytest.fixture(scope="module")
def plan():
    from evidence.review import load_plan

    return load_plan()


def _generated(sof):
    for row in sof:
        for d in row.downgrades:
            yield d.reason
        yield from row.footnotes
        yield row.question


def test_the_whole_sof_has_main_and_further_rows(sof):
    tables = {row.table for row in sof}
    assert tables == {"main", "further"}  # the test covers `evidence sof --all`, not only the main table


def test_every_downgrade_reason_footnote_and_question_reads_in_dutch(sof):
    seen, english = 0, {}
    for text in _generated(sof):
        dutch = plain(text, "nl")
        for m in ENGLISH.finditer(dutch):
            english.setdefault(m.group(0), dutch)
        assert not re.search(r"\d\.\d", dutch), dutch  # decimal commas
        assert "_" not in dutch and not re.search(r"\.(?:csv|yaml|py)\b", dutch), dutch
        seen += 1
    assert english == {}
    assert seen > 300


def test_the_english_texts_have_no_codes_or_file_names(sof):
    for text in _generated(sof):
        english = plain(text, "en")
        assert "_" not in english and not re.search(r"\.(?:csv|yaml|py)\b", english), english


def test_timepoints_and_outcomes_of_the_sof_in_dutch_words(sof):
    for row in sof:
        for words in (claim_timepoint(row.timepoint, "nl"), plain(ui_label("outcome", row.outcome, "nl"), "nl")):
            assert "_" not in words and not ENGLISH.search(words), (row.outcome, row.timepoint, words)
    # a free timepoint of a result without numbers ("9 days post treatment") in Dutch words
    assert plain("nabeta2002 (PMID 12594972) reported no difference at 9 days post treatment without "
                 "numbers usable for pooling.", "nl") == ("Nabeta 2002 (PMID 12594972) rapporteerde geen verschil "
                                                         "(9 dagen na de behandeling) zonder getallen die te "
                                                         "poolen zijn.")


def test_every_sensitivity_analysis_of_the_plan_has_english_and_dutch_words(plan, sof):
    codes = {s.code for s in plan.sensitivity}
    assert {"without_high_risk", "without_unstated_timepoint", "non_penetrating_sham"} <= codes
    for s in plan.sensitivity:
        assert CLAIM_ANALYSIS_LABELS["en"][s.code] == s.words  # the plan's own words
        dutch = plain(claim_label("analysis", s.code, "nl"), "nl")
        assert dutch != s.words and not ENGLISH.search(dutch), dutch
    used = {s["analysis"] for row in sof for s in row.sensitivity}
    assert used and used <= codes


def test_dutch_thousands_have_no_separator_and_quotes_stay_as_published():
    # "2,742" would read as 2.742 in Dutch
    assert "2742 deelnemers" in plain("Participants: the review states 2,742 participants in 30 trials; this "
                                      "result rests on 3 of its trials, and its own number is not in the abstract "
                                      "(unknown, said, not punished: GRADE guidance 34).", "nl")
    assert plain("RR 1,8 tot 0,123", "nl") == "RR 1,8 tot 0,123"  # Dutch decimals are left alone


def test_p_values_get_a_decimal_comma_and_words():
    assert plain("no difference (p = 0.18)", "nl") == "geen verschil (p = 0,18)"
    assert plain("favours acupuncture, p = <.05", "nl") == "in het voordeel van acupunctuur, p < 0,05"


def test_the_phrase_guard_changes_no_translation(sof, monkeypatch):
    # plain() tries a Dutch phrase only on texts holding its fixed words (a 15 s backtracking cost
    # otherwise). Every generated text, alone and all joined, must read the same with the guard off.
    import evidence.plain as plain_module

    texts = list(_generated(sof))
    texts += [" ".join(texts[i:i + 3]) for i in range(0, 60, 3)]  # texts that hold several phrases
    guarded = [plain(t, "nl") for t in texts]
    monkeypatch.setattr(plain_module, "_NL_PHRASES", [(p, r, "") for p, r, _ in plain_module._NL_PHRASES])
    monkeypatch.setattr(plain_module, "_NL_WORDS", [(p, r, "") for p, r, _ in plain_module._NL_WORDS])
    assert [plain(t, "nl") for t in texts] == guarded


def test_the_phrase_guard_is_the_fixed_words_of_the_pattern():
    from evidence.plain import _required_text

    assert _required_text(r"(.+?) \((.+?)\) not used: same study") == ") not used: same study"
    assert _required_text(r"\bparticipants\b") == "participants"
    assert _required_text(r"(?<=\d) to (?=\d)") == " to "
    assert _required_text(r"a|bcd") == ""  # an alternative: nothing is required
    assert _required_text(r"(?i)Not used") == ""  # case-insensitive: no fixed text
    assert _required_text(r"ab?c") == "a"  # an optional letter ends the run


def test_handbook_section_numbers_keep_their_points_in_dutch():
    # found by reading the Dutch page: "Cochrane Handbook 10,11 en 10,14", "Handbook 12,2,2,3"
    assert plain("(Cochrane Handbook 10.11 and 10.14) beside", "nl") == "(Cochrane Handbook 10.11 and 10.14) beside"
    assert plain("as Cochrane Handbook 12.2.2.3 says", "nl") == "as Cochrane Handbook 12.2.2.3 says"
    # a number after a section is still a number: decimal comma
    assert plain("GRADE Handbook 5.1 and MD 1.5", "nl").endswith("5.1 and MD 1,5")
    assert plain("MD -1.49 (-2.53 to -0.46)", "nl") == "MD -1,49 (-2,53 tot -0,46)"

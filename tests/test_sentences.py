"""One sentence splitter (issue 11, item 2): evidence.sentences, used by designs and claims."""

from pathlib import Path

from evidence.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def test_split_sentences_keeps_numbers_and_abbreviations_inside_a_sentence():
    text = ("Pain fell by 1.2 points (95% CI 0.4 to 2.0; p<0.05). 40 patients were randomised; "
            "Both arms improved! (Secondary) outcomes did not differ. et al. found no harm.")
    assert split_sentences(text) == [
        "Pain fell by 1.2 points (95% CI 0.4 to 2.0; p<0.05).", "40 patients were randomised;",
        "Both arms improved!", "(Secondary) outcomes did not differ. et al. found no harm."]


#: Modules split out of one concept's module: their code is checked with it (claims.py and grade.py were split).
_SPLIT = {"claims": ("claims", "claimsfile", "verdict_rules"), "grade": ("grade", "grade_domains", "mids",
                                                                          "grade_results", "grade_rows")}


def _source(name: str) -> str:
    """The source of module ``name`` and of every module split out of it."""
    return "\n".join((ROOT / "evidence" / f"{part}.py").read_text(encoding="utf-8")
                     for part in _SPLIT.get(name, (name,)))


def test_designs_and_claims_use_the_one_splitter():
    for name in ("designs", "claims"):
        source = _source(name)
        assert "split_sentences" in source
        assert r"(?<=[.;" not in source  # no private copy of the sentence regex


def test_one_timepoint_parser():
    """analyses.timepoint_weeks is the parser; months derive from it in one place, used by grade and
    claims (they each converted weeks to months themselves)."""
    from evidence.analyses import timepoint_months, timepoint_weeks

    assert timepoint_months("3_months") == timepoint_weeks("3_months")[0] * 12 / 52
    assert timepoint_months("weeks_9_to_12") is not None and timepoint_months("not_stated") is None
    for name in ("grade", "claims"):
        source = _source(name)
        assert "timepoint_months" in source and "12.0 / 52.0" not in source

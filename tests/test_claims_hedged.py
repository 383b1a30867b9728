"""Issue 14: every claim's `hedged` flag in data/claims.yaml follows the article's own Dutch words.

The rule (written in claims.yaml's header): a claim is hedged when every one of its quotes holds
a Dutch hedge word of possibility or limited scope; a claim the article also states without a
hedge is unhedged, because a reader of that sentence gets the plain assertion (GRADE guidelines
26, Santesso 2020: "may" statements go with low certainty, plain statements need moderate or
high). "vaak" (often) and "meestal" (usually) are generalisations, not hedges.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import DATA

#: Dutch hedge words of possibility or limited scope (the rule in claims.yaml's header).
HEDGES = ("kan", "kunnen", "mogelijk", "mogelijke", "misschien", "wellicht", "waarschijnlijk",
          "lijkt", "lijken", "sommige", "soms", "relatief")
_WORD = re.compile(r"\w+", re.UNICODE)

CLAIMS = yaml.safe_load((DATA / "claims.yaml").read_text(encoding="utf-8"))
ARTICLE = (DATA / "article" / "nekpijn-hoofdpijn.txt").read_text(encoding="utf-8")


def hedge_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w in HEDGES}


def hedged_by_the_article(claim: dict) -> bool:
    return all(hedge_words(q["text"]) for q in claim["quotes"])


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c["id"])
def test_hedged_flag_follows_the_articles_words(claim):
    for quote in claim["quotes"]:
        assert quote["text"] in ARTICLE  # the words judged are the article's
    assert claim["asserts"]["hedged"] is hedged_by_the_article(claim), (
        claim["id"], [(q["section"], sorted(hedge_words(q["text"]))) for q in claim["quotes"]])


def test_the_rule_reads_whole_words_and_mixed_quotes():
    assert hedge_words("effecten kunnen duurzaam zijn") == {"kunnen"}
    assert hedge_words("de kans op verlichting") == set()  # "kans" is not "kan"
    assert hedge_words("Vaak snellere verlichting; meestal 4-8 sessies") == set()
    mixed = {"quotes": [{"text": "laat duurzame effecten zien"},
                        {"text": "effecten kunnen duurzaam zijn"}]}
    assert not hedged_by_the_article(mixed)


def test_durable_effects_is_unhedged_as_section_2_says_it_plainly():
    claim = next(c for c in CLAIMS if c["id"] == "durable_effects")
    section_2 = next(q["text"] for q in claim["quotes"] if q["section"] == "2")
    assert section_2 == ("Recent onderzoek laat duurzame effecten zien bij chronische nekpijn en "
                         "spanningshoofdpijn.")
    assert hedge_words(section_2) == set() and claim["asserts"]["hedged"] is False

"""evidence.miner on a very long abstract (issue 10, item 12): linear work, same statements.

A 320 KB abstract took 8-28 s because every new statement was compared with every
statement found before it (and the sentence before each bracket was re-read from its
start). These tests count that work instead of timing it.
"""

from __future__ import annotations

import pytest

from evidence import miner, miner_rules

SIZE = 320_000

# repeated units, no sentence end: one 320 KB "sentence"; the counts were found by the
# quadratic version of the miner before the change and must not move
UNITS = [
    ("Pain fell by 1.2 points (95% CI 0.5 to 1.9) and the RR was 0.8 (0.6-0.9), p = 0.01; ",
     7619),
    ("95% CI 1.2 to 3.4, ", 16842),
    ("x 5 (4-6) y, ", 0),
    ("the MD was 3 days, 1 to 5 days (95% CI 2 to 4), ", 6667),
]


def _long(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


class _CountingList(list):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


@pytest.mark.parametrize("unit, count", UNITS)
def test_long_abstract_gives_the_same_statements(unit, count):
    found = miner.mine(_long(unit))
    assert len(found) == count
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))  # in order, no overlap


def test_found_statements_are_not_rescanned_for_each_new_one(monkeypatch):
    text = _long(UNITS[0][0])
    m = miner._Miner(text)
    _CountingList.walks = 0
    m.found = _CountingList()
    m.labelled()
    m.unlabelled()
    statements = m.finish()
    assert len(statements) == UNITS[0][1]
    # a few whole passes (sorting, the labelled list), not one per statement
    assert _CountingList.walks <= 5, _CountingList.walks


class _CountingPattern:
    """Wraps a compiled regex and counts the characters its searches read."""

    def __init__(self, pattern, counter):
        self._pattern, self._counter = pattern, counter

    def search(self, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else min(endpos, len(string))
        self._counter[0] += max(0, endpos - pos)
        return self._pattern.search(string, pos, endpos)

    def __getattr__(self, name):
        return getattr(self._pattern, name)


def test_a_long_sentence_is_read_about_once_for_effect_cues(monkeypatch):
    # one labelled CI, then 6,000 bracketed intervals in the same (endless) sentence:
    # each bracket asks whether the sentence speaks of an effect
    text = "RR 2.0 (95% CI 1.1 to 3.0); " + "x 5 (4-6) y, " * 6000
    read = [0]
    # the patterns are looked up in miner_rules, where the miner's rules live
    for name in ("_MEASURE_RE", "_DIFFERENCE_CUES", "_LABEL"):
        monkeypatch.setattr(miner_rules, name, _CountingPattern(getattr(miner_rules, name), read))
    found = miner.mine(text)
    assert len(found) == 6001  # what the quadratic version found
    assert 0 < read[0] < 50 * len(text), read[0]  # 0: the counting patterns were not used

"""One sentence splitter for abstracts (designs' arm and method sentences, claims' key sentences).

A sentence ends at ``.``, ``;``, ``!`` or ``?`` followed by white space and a
capital, a digit or an opening parenthesis -- so "p<0.05" and "et al." inside a
sentence and "95% CI 1.2 to 3.4" do not end it. Pure functions, no state.
"""

from __future__ import annotations

import re

__all__ = ["SENTENCE_BREAK", "split_sentences"]

#: Where one sentence ends and the next begins (the white space between them).
SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(0-9])")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each as written (no white space trimmed inside).

    Examples
    --------
    >>> split_sentences("Pain fell (p<0.05). 40 patients; Both arms improved.")
    ['Pain fell (p<0.05).', '40 patients;', 'Both arms improved.']
    """
    return SENTENCE_BREAK.split(text)

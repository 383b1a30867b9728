"""What a reader of the report pages must find, read from the HTML: shared by the unit tests
(tests/test_report_cards.py, on the HTML string) and the browser test (tests/test_browser.py).

Issue 17: one card per claim, every PMID named in a claim's "Why" in its reference list and its
RIS file, every figure embedded, no code name of the vocabularies in the text people read.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

from evidence import vocab

#: The codes people must never read: every vocabulary word with an underscore (evidence/vocab.py;
#: its code lists, not its identifier patterns).
CODE_NAMES = sorted({c for name in vocab.__all__ if isinstance(getattr(vocab, name), (tuple, list, frozenset))
                     for c in getattr(vocab, name) if isinstance(c, str) and "_" in c})
#: A PMID as the generated texts name one (7 or 8 digits; counts of people are shorter).
PMID = re.compile(r"(?<![\d.,])\d{7,8}(?![\d.,])")


def report_pages(out: Path) -> dict[str, Path]:
    """{lang: page} of a report folder as ``evidence run`` writes it (the session's run:
    ``workbook_run`` in conftest.py)."""
    from evidence.run import INDEX_PAGES

    return {lang: out / name for lang, name in INDEX_PAGES.items()}


def cards(page: str) -> dict[str, str]:
    """{claim id: the card's HTML} in page order."""
    return dict(re.findall(r'<section class="claim" id="([^"]+)">(.*?)</section>', page, flags=re.S))


def why_text(card: str) -> str:
    match = re.search(r'<details class="why"><summary>[^<]*</summary>(.*?)</details>', card, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def reference_pmids(card: str) -> list[str]:
    """The PMIDs of the card's reference list, in order."""
    refs = re.search(r'<ol class="refs">(.*?)</ol>', card, flags=re.S)
    return re.findall(r'<li data-pmid="(\d+)"', refs.group(1)) if refs else []


def ris_pmids(card: str, claim_id: str) -> list[str]:
    """The PMIDs (``AN`` tags) of the card's RIS download."""
    match = re.search(rf'download="{re.escape(claim_id)}\.ris" href="data:[^,]*,([^"]*)"', card)
    if not match:
        return []
    return re.findall(r"^AN  - (\d+)", unquote(html.unescape(match.group(1))), flags=re.M)


def visible_text(page: str) -> str:
    """The page's text as a reader sees it with every fold opened: no tags, attributes or styles."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def codes_in(text: str) -> list[str]:
    return [c for c in CODE_NAMES if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]

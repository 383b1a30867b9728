"""A row of the records table read for citing: columns, author names, pages, completeness, links.

The pieces every citation format shares: a column read as text whatever
holds it (a pandas Series, a dict; missing values as ``""``), the author
list and a person's ``(family, initials)`` (:func:`split_name`; how a name
is told from a group's is in :mod:`evidence.cite`'s docstring), pages in
full and in NLM's short form (:func:`page_range`, :func:`nlm_pages`), what a
full citation lacks (:func:`incomplete`, :func:`incomplete_note`) and the
record's addresses (:func:`links`).
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterator
from urllib.parse import quote


PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"

_GROUP_WORDS = frozenset({
    "group", "groups", "collaboration", "collaborative", "collaborators", "investigators",
    "consortium", "committee", "society", "association", "network", "trialists", "team",
    "council", "organization", "organisation", "institute", "foundation", "working", "panel",
    "study", "trial", "members", "writing", "task", "force", "board", "centre", "center",
})


# -- reading a row -------------------------------------------------------------
def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError, TypeError):
        getter = getattr(row, "get", None)
        return getter(key) if getter is not None else None


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA (without importing pandas)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:  # pragma: no cover - floats always compare
        return False


def _s(row: Any, key: str) -> str:
    """The column as stripped text, "" when missing."""
    value = _get(row, key)
    if _missing(value):
        return ""
    return " ".join(str(value).split())


def _year(row: Any) -> int | None:
    value = _get(row, "year")
    if _missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flag(row: Any, key: str, default: bool) -> bool:
    value = _get(row, key)
    return default if _missing(value) else bool(value)


def _rows(frame: Any) -> Iterator[Any]:
    """Rows of a DataFrame (as Series) or of an iterable of mappings."""
    if hasattr(frame, "iterrows"):
        for _, row in frame.iterrows():
            yield row
    else:
        yield from frame


def _authors(row: Any) -> list[str]:
    text = _get(row, "authors")
    if _missing(text) or not str(text).strip():
        return []
    return [" ".join(a.split()) for a in str(text).split(";") if a.strip()]


def _authors_complete(row: Any) -> bool:
    """``authors_complete`` (snapshot provenance) if present, else the XML's ``CompleteYN``."""
    value = _get(row, "authors_complete")
    if _missing(value):
        return _flag(row, "authors_list_complete", True)
    return bool(value)


def split_name(name: str) -> tuple[str, str] | None:
    """A person's ``(family, initials)``, or ``None`` for a collective name.

    ``"Jamison RN"`` → ``("Jamison", "RN")``; ``"Plato"`` (a person known by
    one name) → ``("Plato", "")``; ``"EXAMPLE Study Group"`` → ``None``.
    """
    parts = name.split()
    if not parts or any(w.strip("'’,.()").lower() in _GROUP_WORDS for w in parts):
        return None
    if len(parts) == 1:
        return parts[0], ""
    initials = parts[-1]
    if not (1 <= len(initials) <= 3 and initials.isalpha() and initials.isupper()):
        return None
    return " ".join(parts[:-1]), initials


def _given(initials: str) -> str:
    """``"RN"`` → ``"R. N."``."""
    return " ".join(f"{c}." for c in initials)


# -- pages -------------------------------------------------------------------------
_RANGE = re.compile(r"^(?P<p1>[^\d\s-]*)(?P<n1>\d+)(?P<s1>[^\d\s-]*)\s*[-–—]+\s*"
                    r"(?P<p2>[^\d\s-]*)(?P<n2>\d+)(?P<s2>[^\d\s-]*)$")


def page_range(pages: str) -> tuple[str, str]:
    """First and last page of an NLM page string, the last one written out in full.

    MEDLINE abbreviates the last page ("248-55", "E1659-65"); RIS ``EP``,
    BibTeX and CSL want it whole ("255", "E1665"). Only the first range of a
    list ("1-5, 10-12") is used; a single page or an article number
    ("e77438", "CD007587") gives ``(page, "")``.

    Examples
    --------
    >>> page_range("248-55")
    ('248', '255')
    >>> page_range("e1560-e1569")
    ('e1560', 'e1569')
    >>> page_range("S26-32")
    ('S26', 'S32')
    """
    first = pages.split(",")[0].strip()
    m = _RANGE.match(first)
    if not m:
        return first, ""
    n1, n2 = m["n1"], m["n2"]
    if len(n2) < len(n1) and not m["p2"]:
        n2 = n1[: len(n1) - len(n2)] + n2
    return f"{m['p1']}{n1}{m['s1']}", f"{m['p2'] or m['p1']}{n2}{m['s2']}"


def _elide(first: str, last: str) -> str:
    """The digits of ``last`` that differ from ``first`` (both written out in full)."""
    if len(first) != len(last) or int(last) <= int(first):
        return last
    i = 0
    while i < len(last) - 1 and first[i] == last[i]:
        i += 1
    return last[i:]


def nlm_pages(pages: str) -> str:
    """Pages in NLM's form: the last page of a range keeps only the digits that change.

    MEDLINE and *Citing Medicine* write inclusive pages "clearly giving only
    the digits which change" [1]_: 12-19 → 12-9, 304-310 → 304-10,
    1199-1205 → 1199-205, 21-30 stays. Ranges already abbreviated, single
    pages, article numbers and lists of ranges ("34-6, 87-91") are kept in
    the same form; a letter prefix repeated on the last page ("e1560-e1569")
    is written once ("e1560-9").

    Examples
    --------
    >>> nlm_pages("1021-1029")
    '1021-9'
    >>> nlm_pages("123-145")
    '123-45'
    >>> nlm_pages("S26-32")
    'S26-32'

    References
    ----------
    .. [1] National Library of Medicine. MEDLINE Indexing Manual, chapter 10
       (Pagination). https://www.nlm.nih.gov/mesh/indman/chapter_10.html
    """
    out = []
    for part in pages.split(","):
        part = part.strip()
        m = _RANGE.match(part)
        if not m or (m["p2"] and m["p2"] != m["p1"]) or m["s1"] or m["s2"]:
            out.append(part)
            continue
        start, end = page_range(part)
        last = end[len(m["p1"]):]
        out.append(f"{start}-{_elide(m['n1'], last)}")
    return ", ".join(p for p in out if p)


def incomplete(row: Any) -> tuple[str, ...]:
    """What a full journal citation needs and the record lacks.

    Returns
    -------
    tuple of str
        Any of ``"authors"`` (no authors, or the author list is cut short in
        the snapshot: ``authors_complete`` False), ``"journal"``, ``"volume or
        pages"`` (neither a volume, an issue nor pages); empty for a
        complete record. Book records are not checked for a journal or pages.
    """
    missing = []
    if not _authors(row) or not _authors_complete(row):
        missing.append("authors")
    if _s(row, "record_type") != "book_article":
        if not (_s(row, "journal_iso") or _s(row, "journal")):
            missing.append("journal")
        if not (_s(row, "volume") or _s(row, "issue") or _s(row, "pages")):
            missing.append("volume or pages")
    return tuple(missing)


_INCOMPLETE_WORDS = {"authors": "author list cut short", "journal": "no journal",
                     "volume or pages": "no volume or pages"}


def incomplete_note(row: Any) -> str:
    """``"[Incomplete citation: ...]"`` naming what is missing, or ``""`` for a complete record."""
    missing = incomplete(row)
    if not missing:
        return ""
    words = [("no authors" if m == "authors" and not _authors(row) else _INCOMPLETE_WORDS[m]) for m in missing]
    return "[Incomplete citation: " + "; ".join(words) + "]"


def _full_pages(pages: str, dash: str = "-") -> str:
    start, end = page_range(pages)
    return f"{start}{dash}{end}" if end else start


# -- links ---------------------------------------------------------------------
def _doi_url(doi: str) -> str:
    # Characters a DOI may hold but a URL may not carry as they are (DOI
    # Handbook, 2.5.2.4): "%", '"', "#", "?", space, "<", ">", "{", "}", "^",
    # "[", "]", "`", "|", "\\" are percent-encoded; "/" and ":" stay.
    return DOI_URL.format(doi=quote(doi, safe="/:;()@!$&'*+,=-._~"))


def links(row: Any) -> dict[str, str | None]:
    """The record's addresses on the web.

    Parameters
    ----------
    row : row of the records table

    Returns
    -------
    dict
        ``pubmed`` (https://pubmed.ncbi.nlm.nih.gov/PMID/), ``doi``
        (https://doi.org/DOI, percent-encoded where a URL needs it) and
        ``pmc`` (https://pmc.ncbi.nlm.nih.gov/articles/PMCID/); ``None`` for
        an identifier the record lacks.
    """
    pmid, doi, pmcid = _s(row, "pmid"), _s(row, "doi"), _s(row, "pmcid")
    if pmcid and not pmcid.upper().startswith("PMC"):
        pmcid = f"PMC{pmcid}"
    return {
        "pubmed": PUBMED_URL.format(pmid=pmid) if pmid else None,
        "doi": _doi_url(doi) if doi else None,
        "pmc": PMC_URL.format(pmcid=pmcid.upper()) if pmcid else None,
    }

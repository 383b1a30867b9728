"""The Vancouver (NLM *Citing Medicine* / ICMJE) reference text of one record.

:func:`vancouver` writes a journal article as Citing Medicine chapter 1 and a
book or chapter as chapter 2, with the ICMJE limit of six authors; the
numbered references ([1], [2]) are those of :mod:`evidence.cite`.
"""

from __future__ import annotations

from typing import Any

from .cite_fields import (_authors, _authors_complete, _s, _year, incomplete_note, nlm_pages,
                          split_name)


#: ICMJE: list the first six authors, then "et al." ([2]).
MAX_AUTHORS = 6


# -- Vancouver -------------------------------------------------------------------
def _end(text: str, mark: str = ".") -> str:
    """Text ending with a full stop (or the ?/! it already ends with)."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + mark


def _vancouver_authors(row: Any) -> str:
    names = _authors(row)
    if not names:
        return ""
    more = len(names) > MAX_AUTHORS or not _authors_complete(row)
    names = names[:MAX_AUTHORS]
    text = names[0]
    for before, name in zip(names, names[1:]):
        # Citing Medicine: an organization among the authors is set off by semicolons
        group = split_name(before) is None or split_name(name) is None
        text += ("; " if group else ", ") + name
    if more:
        text += ", et al"
    return text + "."


def _vancouver_date(row: Any, date: str) -> str:
    year = _year(row)
    if date == "full" and _s(row, "pub_date"):
        return _s(row, "pub_date")
    return str(year) if year is not None else "[date unknown]"


def vancouver(row: Any, *, date: str = "year", flag: bool = True) -> str:
    """The Vancouver (NLM *Citing Medicine* / ICMJE) reference text of one record.

    Parameters
    ----------
    row : row of the records table
        Columns used: ``authors``, ``authors_complete`` (else
        ``authors_list_complete``), ``title``, ``journal_iso`` (else
        ``journal``), ``year``, ``volume``, ``issue``, ``pages``, ``doi``,
        ``pmid``, ``pmcid``, ``record_type``, ``book_title``, ``publisher``,
        and ``publisher_place`` when the table has it.
    date : {"year", "full"}
        ``"year"`` writes the year alone (``1998;14(3):248-55``); ``"full"``
        the publication date as PubMed wrote it (``1998 Sep;14(3):248-55``).
    flag : bool
        End the text of a record that lacks parts of a full citation with
        :func:`incomplete_note` (``[Incomplete citation: author list cut
        short; no volume or pages]``), so that it is not passed on as if it
        were whole.

    Returns
    -------
    str
        For a journal article::

            Authors. Title. Journal. Year;Volume(Issue):Pages. doi: DOI. PMID: n; PMCID: PMCn.

    Notes
    -----
    Journal articles follow Citing Medicine chapter 1 [1]_ with the ICMJE
    sample references' author limit [2]_: up to six authors ("Last FM,
    Last FM"), then "et al."; a record whose author list is incomplete in
    the snapshot (``authors_complete`` False) also ends its authors with
    "et al.". The title ends with a full stop unless it ends with "?" or
    "!". The journal is the NLM (ISO) abbreviation, without full stops, else
    the full title. Pages are written as NLM writes them (:func:`nlm_pages`:
    ``248-55``, also when the record has ``248-255``). Without
    a volume the issue stands alone (``2009;(1):CD007587``, Citing Medicine's
    form for journals without volumes). The identifiers follow PubMed's own
    "NLM" citation format: ``doi: 10....`` then ``PMID: n; PMCID: PMCn``.

    Book records (``record_type == "book_article"``) follow chapter 2: a
    chapter as ``Authors. Chapter title. In: Book title. Place: Publisher;
    Year.``; a whole book as ``Authors. Book title. Place: Publisher;
    Year.``. The records table has no place of publication, so
    ``[place unknown]`` (Citing Medicine's notation) stands in unless the
    row has a ``publisher_place``.

    References
    ----------
    .. [1] Patrias K. Citing Medicine. 2nd ed. Bethesda (MD): National
       Library of Medicine (US); 2007. Chapters 1 and 2.
    .. [2] ICMJE. Samples of Formatted References for Authors of Journal
       Articles. https://www.nlm.nih.gov/bsd/uniform_requirements.html
    """
    if date not in ("year", "full"):
        raise ValueError(f"date must be 'year' or 'full', got {date!r}")
    parts: list[str] = []
    authors = _vancouver_authors(row)
    if authors:
        parts.append(authors)
    title = _s(row, "title")
    if _s(row, "record_type") == "book_article":
        parts.extend(_vancouver_book(row, title))
    else:
        if title:
            parts.append(_end(title))
        journal = _s(row, "journal_iso") or _s(row, "journal")
        if journal:
            parts.append(_end(journal))
        volume, issue, pages = _s(row, "volume"), _s(row, "issue"), _s(row, "pages")
        source = _vancouver_date(row, date)
        if volume or issue:
            source += ";" + volume + (f"({issue})" if issue else "")
        if pages:
            source += ":" + nlm_pages(pages)
        parts.append(source + ".")
        language = _language_note(row)
        if language:
            parts.append(language + ".")
    doi, pmid, pmcid = _s(row, "doi"), _s(row, "pmid"), _s(row, "pmcid")
    if doi:
        parts.append(f"doi: {doi}.")
    ids = []
    if pmid:
        ids.append(f"PMID: {pmid}")
    if pmcid:
        ids.append(f"PMCID: {pmcid}")
    if ids:
        parts.append("; ".join(ids) + ".")
    note = incomplete_note(row) if flag else ""
    if note:
        parts.append(note)
    return " ".join(parts)


#: MARC language codes PubMed uses → the English names Citing Medicine writes
#: after the pages of an article not in English (Chapter 1, "Language").
_LANGUAGES = {
    "chi": "Chinese", "ger": "German", "fre": "French", "spa": "Spanish", "ita": "Italian",
    "jpn": "Japanese", "kor": "Korean", "rus": "Russian", "por": "Portuguese", "dut": "Dutch",
    "pol": "Polish", "swe": "Swedish", "dan": "Danish", "nor": "Norwegian", "fin": "Finnish",
    "tur": "Turkish", "per": "Persian", "heb": "Hebrew", "cze": "Czech", "hun": "Hungarian",
    "gre": "Greek, Modern", "ara": "Arabic",
}


def _language_note(row: Any) -> str:
    codes = [c.strip().lower() for c in _s(row, "language").split(";") if c.strip()]
    names = [_LANGUAGES.get(c, c) for c in codes if c != "eng"]
    return ", ".join(names)


def _vancouver_book(row: Any, title: str) -> list[str]:
    book = _s(row, "book_title")
    place = _s(row, "publisher_place") or "[place unknown]"
    publisher = _s(row, "publisher") or "[publisher unknown]"
    year = _year(row)
    imprint = f"{place}: {publisher}; {year if year is not None else '[date unknown]'}."
    volume = _s(row, "volume")
    out = []
    if book and title and title != book:
        out.append(_end(title))
        out.append(f"In: {_end(book)}")
    else:
        out.append(_end(book or title))
    if volume:
        out.append(f"Vol. {volume}.")
    out.append(imprint)
    return out

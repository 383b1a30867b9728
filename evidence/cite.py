"""Citations of records: Vancouver reference text, links, and RIS / BibTeX / CSL-JSON exports.

Everything here is a pure function of rows of the records table
(:func:`evidence.records.parse_records`, :func:`evidence.review.load_records`):
nothing is fetched, read or written.

- :func:`vancouver` - the NLM/ICMJE ("Vancouver") reference text of one record.
- :func:`links` - PubMed, DOI and PMC addresses of one record.
- :func:`to_ris`, :func:`to_bibtex`, :func:`to_csl_json` (and
  :func:`to_csl_json_string`) - a set of records in the three formats that
  reference managers such as Zotero import; :func:`export` picks one by name.

A row is anything with ``row[column]`` or ``row.get(column)``: a pandas
Series (``frame.iloc[i]``), a dict, a namedtuple's ``_asdict()``. Missing
values (``""``, ``None``, ``NaN``, ``pd.NA``) are left out of the output.

Author names
------------
The records table keeps each author as PubMed's "Last FM" (initials without
periods) or, for a group, the collective name as written. The exports need
family and given names apart, so a name is read as a person when its last
word is one to three capital letters (the initials) and no word is one that
names a group ("Group", "Collaboration", "Investigators", ...); anything else
is a collective name (CSL ``literal``, a brace-protected BibTeX name, an RIS
name without a comma). A person's initials become given names written
"R. N." in the exports.

References
----------
.. [1] Patrias K, Wendling D, technical editor. Citing Medicine: The NLM
   Style Guide for Authors, Editors, and Publishers [Internet]. 2nd ed.
   Bethesda (MD): National Library of Medicine (US); 2007-. Chapter 1
   (Journals) and Chapter 2 (Books). https://www.ncbi.nlm.nih.gov/books/NBK7256/
.. [2] International Committee of Medical Journal Editors. Samples of
   Formatted References for Authors of Journal Articles.
   https://www.nlm.nih.gov/bsd/uniform_requirements.html
.. [3] RIS format specification (Research Information Systems, 2012):
   tags ``TY`` ... ``ER``, each line ``TAG  - value``.
.. [4] Patashnik O. BibTeXing. 1988 (``btxdoc``): entry types, fields, names
   ("Last, First and ..."), ``and others``.
.. [5] Citation Style Language. CSL-JSON input schema ``csl-data.json``
   (citation-style-language/schema) and CSL 1.0.2 specification, Appendix IV
   (variables).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any, Iterator
from urllib.parse import quote

__all__ = [
    "FORMATS",
    "vancouver",
    "links",
    "page_range",
    "nlm_pages",
    "incomplete",
    "incomplete_note",
    "to_ris",
    "to_bibtex",
    "to_csl_json",
    "to_csl_json_string",
    "export",
    "bibtex_keys",
    "split_name",
]

#: Output formats of :func:`export`.
FORMATS = ("ris", "bibtex", "csl-json", "vancouver")

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"

#: ICMJE: list the first six authors, then "et al." ([2]).
MAX_AUTHORS = 6

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_GROUP_WORDS = frozenset({
    "group", "groups", "collaboration", "collaborative", "collaborators", "investigators",
    "consortium", "committee", "society", "association", "network", "trialists", "team",
    "council", "organization", "organisation", "institute", "foundation", "working", "panel",
    "study", "trial", "members", "writing", "task", "force", "board", "centre", "center",
})
_KEY_STOPWORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "for", "and", "or", "to", "with", "at", "by", "from",
    "is", "are", "does", "do", "what", "how", "why", "when", "which", "who", "its", "as",
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


# -- RIS --------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(text.split())


def _ris_name(name: str) -> str:
    person = split_name(name)
    return f"{person[0]}, {_given(person[1])}" if person and person[1] else name


def to_ris(frame: Any, *, newline: str = "\n") -> str:
    """The records as an RIS file (text).

    Parameters
    ----------
    frame : DataFrame or iterable of rows
        Rows of the records table.
    newline : {"\\n", "\\r\\n"}
        Line ending: LF, or CRLF as the original RIS specification writes.

    Returns
    -------
    str
        One reference per record, separated by a blank line; each starts
        with ``TY  - JOUR`` (``CHAP`` or ``BOOK`` for book records) and ends
        with ``ER  - ``. Tags used: ``TY``, ``AU`` (one per author, "Family,
        G. N." or the collective name), ``TI``, ``T2`` (journal, or the book
        of a chapter), ``JO`` (ISO abbreviation), ``PY``, ``VL``, ``IS``,
        ``SP``/``EP`` (last page written out in full), ``PB``/``CY`` (books),
        ``DO``, ``AN`` (the PMID), ``UR`` (PubMed address), ``AB``, ``ER``.

    Notes
    -----
    RIS has no continuation lines, so every value is folded onto one line
    (the abstract's section breaks become spaces). The text is Unicode;
    write it as UTF-8.
    """
    if newline not in ("\n", "\r\n"):
        raise ValueError(f"newline must be '\\n' or '\\r\\n', got {newline!r}")
    blocks = []
    for row in _rows(frame):
        lines: list[tuple[str, str]] = []

        def add(tag: str, value: str) -> None:
            value = _one_line(value)
            if value:
                lines.append((tag, value))

        book = _s(row, "record_type") == "book_article"
        title, book_title = _s(row, "title"), _s(row, "book_title")
        chapter = book and book_title and title and title != book_title
        lines.append(("TY", "CHAP" if chapter else "BOOK" if book else "JOUR"))
        for name in _authors(row):
            add("AU", _ris_name(name))
        add("TI", title or book_title)
        if book:
            if chapter:
                add("T2", book_title)
            add("PB", _s(row, "publisher"))
            add("CY", _s(row, "publisher_place"))
        else:
            add("T2", _s(row, "journal"))
            add("JO", _s(row, "journal_iso"))
        year = _year(row)
        add("PY", str(year) if year is not None else "")
        add("VL", _s(row, "volume"))
        add("IS", _s(row, "issue"))
        start, end = page_range(_s(row, "pages"))
        add("SP", start)
        add("EP", end)
        add("DO", _s(row, "doi"))
        add("AN", _s(row, "pmid"))
        add("UR", links(row)["pubmed"] or "")
        add("AB", _s(row, "abstract"))
        lines.append(("ER", ""))
        blocks.append(newline.join(f"{tag}  - {value}" for tag, value in lines))
    return (newline * 2).join(blocks) + (newline if blocks else "")


# -- BibTeX -----------------------------------------------------------------------
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("[" + re.escape("".join(_BIBTEX_SPECIAL)) + "]")


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _bib_escape(text: str, braces: bool | None = None) -> str:
    # BibTeX counts every brace in a field, escaped or not: \{ and \} are safe
    # only when the text's braces pair up; otherwise they are written as
    # \textbraceleft{} / \textbraceright{}, whose own braces are balanced.
    text = _one_line(text)
    if braces is None:
        braces = _balanced(text)
    return _BIBTEX_SPECIAL_RE.sub(
        lambda m: "\\" + m.group() if braces and m.group() in "{}" else _BIBTEX_SPECIAL[m.group()], text)


def _bib_title(text: str) -> str:
    """Escape a title and brace-protect words whose capitals must survive a style.

    BibTeX styles lower-case titles; a word with a capital other than the
    title's (or a subtitle's) first letter - "Japanese", "BMJ", "fMRI" - is
    wrapped in braces so it keeps its case.
    """
    out = []
    sentence_start = True
    braces = _balanced(text)
    for token in _one_line(text).split(" "):
        escaped = _bib_escape(token, braces)
        letters = [c for c in token if c.isalpha()]
        caps = [c for c in letters[1:] if c.isupper()]
        protect = bool(caps) or (not sentence_start and letters and letters[0].isupper())
        out.append("{" + escaped + "}" if protect else escaped)
        sentence_start = token.endswith((":", ".", "?", "!"))
    return " ".join(out)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _key_base(row: Any) -> str:
    authors = _authors(row)
    if authors:
        person = split_name(authors[0])
        family = person[0] if person else authors[0].split()[0]
        # a multi-word family name ("van der Berg", "Shimizu Bassi") keeps all its words
        name = _ascii_word(family) or "anon"
    else:
        name = "anon"
    year = _year(row)
    words = re.findall(r"[^\W_]+", _s(row, "title") or _s(row, "book_title"))
    word = next((w for w in (_ascii_word(w) for w in words) if w and w not in _KEY_STOPWORDS), "")
    return f"{name}{year if year is not None else 'nd'}{word}"


def bibtex_keys(frame: Any) -> list[str]:
    """Citation keys, one per row, unique within the set: ``birch1998controlled``.

    The key is the first author's family name, the year and the title's
    first word that is not a stop word, in lower-case ASCII. When several
    rows share a key, the second gets ``a``, the third ``b`` and so on.
    """
    keys: list[str] = []
    used: set[str] = set()
    for row in _rows(frame):
        base = key = _key_base(row)
        n = 0
        while key in used:
            key = base + _suffix(n)
            n += 1
        used.add(key)
        keys.append(key)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("a") + r) + letters
    return letters


def _bib_name(name: str) -> str:
    person = split_name(name)
    if person and person[1]:
        return f"{_bib_escape(person[0])}, {_given(person[1])}"
    if person:
        return _bib_escape(person[0])
    return "{" + _bib_escape(name) + "}"  # a group: one name, never split on "and"


def to_bibtex(frame: Any) -> str:
    """The records as a BibTeX file (UTF-8 text).

    Parameters
    ----------
    frame : DataFrame or iterable of rows
        Rows of the records table.

    Returns
    -------
    str
        One ``@article`` per journal record (``@incollection`` for a book
        chapter, ``@book`` for a whole book), keyed by :func:`bibtex_keys`.
        Fields: ``author`` ("Family, G. N." joined by ``and``; a group in
        braces; ``and others`` when the list is incomplete), ``title``,
        ``journal`` (full title, else the abbreviation), ``shortjournal``
        (ISO abbreviation, biblatex's name for it), ``year``, ``volume``,
        ``number``, ``pages`` (``248--255``), ``doi``, ``pmid``, ``pmcid``,
        ``url`` (PubMed), ``abstract``; ``booktitle``, ``publisher``,
        ``address`` for books.

    Notes
    -----
    Values are brace-delimited. LaTeX's special characters are escaped
    (``\\&``, ``\\%``, ``\\$``, ``\\#``, ``\\_``, ``\\textasciitilde{}``,
    ``\\textasciicircum{}``, ``\\textbackslash{}``, and braces as
    ``\\textbraceleft{}``/``\\textbraceright{}`` so that every field's braces
    stay balanced); other characters are kept as UTF-8, which biber,
    ``bibtex8`` and Zotero read. Title words whose capitals matter are
    brace-protected.
    """
    entries = []
    frame_rows = list(_rows(frame))
    for key, row in zip(bibtex_keys(frame_rows), frame_rows):
        book = _s(row, "record_type") == "book_article"
        title, book_title = _s(row, "title"), _s(row, "book_title")
        chapter = book and book_title and title and title != book_title
        kind = "incollection" if chapter else "book" if book else "article"
        fields: list[tuple[str, str]] = []
        names = _authors(row)
        if names:
            author = " and ".join(_bib_name(n) for n in names)
            if not _authors_complete(row):
                author += " and others"
            fields.append(("author", author))
        fields.append(("title", _bib_title(title or book_title)))
        if book:
            if chapter:
                fields.append(("booktitle", _bib_title(book_title)))
            fields.append(("publisher", _bib_escape(_s(row, "publisher"))))
            fields.append(("address", _bib_escape(_s(row, "publisher_place"))))
        else:
            fields.append(("journal", _bib_escape(_s(row, "journal") or _s(row, "journal_iso"))))
            fields.append(("shortjournal", _bib_escape(_s(row, "journal_iso"))))
        year = _year(row)
        fields.append(("year", str(year) if year is not None else ""))
        fields.append(("volume", _bib_escape(_s(row, "volume"))))
        fields.append(("number", _bib_escape(_s(row, "issue"))))
        fields.append(("pages", _bib_escape(_full_pages(_s(row, "pages"), "--"))))
        fields.append(("doi", _bib_escape(_s(row, "doi"))))
        fields.append(("pmid", _s(row, "pmid")))
        fields.append(("pmcid", _s(row, "pmcid")))
        fields.append(("url", links(row)["pubmed"] or ""))
        fields.append(("abstract", _bib_escape(_s(row, "abstract"))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


# -- CSL-JSON ---------------------------------------------------------------------
_PUB_DATE = re.compile(r"^(\d{4})(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2}))?)?$")


def _date_parts(row: Any) -> list[int] | None:
    year = _year(row)
    if year is None:
        return None
    m = _PUB_DATE.match(_s(row, "pub_date"))
    if m and int(m[1]) == year and m[2] and m[2].lower() in _MONTHS:
        parts = [year, _MONTHS[m[2].lower()]]
        if m[3]:
            parts.append(int(m[3]))
        return parts
    return [year]


def _csl_name(name: str) -> dict[str, str]:
    person = split_name(name)
    if person is None:
        return {"literal": name}
    return {"family": person[0], "given": _given(person[1])} if person[1] else {"family": person[0]}


def to_csl_json(frame: Any) -> list[dict]:
    """The records as CSL-JSON items (a list of dicts, ready for :func:`json.dumps`).

    Parameters
    ----------
    frame : DataFrame or iterable of rows
        Rows of the records table.

    Returns
    -------
    list of dict
        One item per record: ``id`` (the :func:`bibtex_keys` key),
        ``type`` (``article-journal``; ``chapter`` or ``book`` for book
        records), ``title``, ``author`` (``{"family", "given"}``, or
        ``{"literal"}`` for a group), ``issued`` (``{"date-parts": [[y, m,
        d]]}``, month and day when PubMed gives them), ``container-title``,
        ``container-title-short``, ``volume``, ``issue``, ``page`` (last page
        in full), ``DOI``, ``PMID``, ``PMCID``, ``URL`` (PubMed),
        ``abstract``; ``publisher`` and ``publisher-place`` for books. Keys
        without a value are left out; every key is a variable of the
        CSL-JSON schema ``csl-data.json``.
    """
    items = []
    frame_rows = list(_rows(frame))
    for key, row in zip(bibtex_keys(frame_rows), frame_rows):
        book = _s(row, "record_type") == "book_article"
        title, book_title = _s(row, "title"), _s(row, "book_title")
        chapter = book and book_title and title and title != book_title
        item: dict[str, Any] = {
            "id": key,
            "type": "chapter" if chapter else "book" if book else "article-journal",
        }

        def put(name: str, value: Any) -> None:
            if value not in ("", None, []):
                item[name] = value

        put("title", title or book_title)
        put("author", [_csl_name(n) for n in _authors(row)])
        parts = _date_parts(row)
        if parts:
            item["issued"] = {"date-parts": [parts]}
        if book:
            if chapter:
                put("container-title", book_title)
            put("publisher", _s(row, "publisher"))
            put("publisher-place", _s(row, "publisher_place"))
        else:
            put("container-title", _s(row, "journal"))
            put("container-title-short", _s(row, "journal_iso"))
        put("volume", _s(row, "volume"))
        put("issue", _s(row, "issue"))
        put("page", _full_pages(_s(row, "pages")))
        put("DOI", _s(row, "doi"))
        put("PMID", _s(row, "pmid"))
        put("PMCID", _s(row, "pmcid"))
        put("URL", links(row)["pubmed"])
        abstract = _get(row, "abstract")
        put("abstract", "" if _missing(abstract) else str(abstract).strip())
        items.append(item)
    return items


def to_csl_json_string(frame: Any, *, indent: int | None = 2) -> str:
    """:func:`to_csl_json` as JSON text (UTF-8 characters kept, not escaped)."""
    return json.dumps(to_csl_json(frame), indent=indent, ensure_ascii=False) + "\n"


def export(frame: Any, fmt: str = "ris") -> str:
    """The records in one of :data:`FORMATS`, as text.

    Parameters
    ----------
    frame : DataFrame or iterable of rows
    fmt : {"ris", "bibtex", "csl-json", "vancouver"}
        ``"bib"`` and ``"csl"``/``"json"`` are accepted as aliases.
        ``"vancouver"`` gives one numbered reference a line.
    """
    aliases = {"bib": "bibtex", "csl": "csl-json", "json": "csl-json", "csljson": "csl-json"}
    name = aliases.get(str(fmt).lower(), str(fmt).lower())
    if name not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if name == "ris":
        return to_ris(frame)
    if name == "bibtex":
        return to_bibtex(frame)
    if name == "csl-json":
        return to_csl_json_string(frame)
    return "".join(f"{i}. {vancouver(row)}\n" for i, row in enumerate(_rows(frame), start=1))

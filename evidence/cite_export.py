"""A set of records as the files reference managers import: RIS, BibTeX, CSL-JSON.

:func:`to_ris`, :func:`to_bibtex` (keys from :func:`bibtex_keys`),
:func:`to_csl_json` and :func:`to_csl_json_string`; each format's rules are
in its function's docstring, the specifications ([3]-[5]) in
:mod:`evidence.cite`'s References.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from .cite_fields import (_authors, _authors_complete, _full_pages, _get, _given, _missing, _rows,
                          _s, _year, links, page_range, split_name)


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_KEY_STOPWORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "for", "and", "or", "to", "with", "at", "by", "from",
    "is", "are", "does", "do", "what", "how", "why", "when", "which", "who", "its", "as",
})


# -- RIS --------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(text.split())


def _ris_name(name: str) -> str:
    person = split_name(name)
    return f"{person[0]}, {_given(person[1])}" if person and person[1] else name


#: Each format's name for :func:`_work`'s kinds and venue fields.
_RIS_VENUE = {"container": "T2", "container_short": "JO", "publisher": "PB", "place": "CY"}
_CSL_VENUE = {"container": "container-title", "container_short": "container-title-short",
              "publisher": "publisher", "place": "publisher-place"}
_BIB_VENUE = {"container": "booktitle", "publisher": "publisher", "place": "address"}  # books only
_BIB_KIND = {"chapter": "incollection", "book": "book", "article": "article"}


def _work(row: Any) -> tuple[str, str, list[tuple[str, str]]]:
    """What a record is and where it appeared, as every export format reads it.

    Returns ``(kind, title, venue)``: kind is ``chapter`` (a book record whose title differs
    from its book's), ``book`` or ``article``; the title (the book's for a whole book); the
    venue as ``(field, value)`` pairs in order: the container (a chapter's book, an article's
    journal), the journal's short title, a book's publisher and place.
    """
    book = _s(row, "record_type") == "book_article"
    title, book_title = _s(row, "title"), _s(row, "book_title")
    if not book:
        return "article", title or book_title, [("container", _s(row, "journal")),
                                                ("container_short", _s(row, "journal_iso"))]
    chapter = bool(book_title and title and title != book_title)
    venue = [("container", book_title)] if chapter else []
    venue += [("publisher", _s(row, "publisher")), ("place", _s(row, "publisher_place"))]
    return ("chapter" if chapter else "book"), title or book_title, venue


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

        kind, title, venue = _work(row)
        lines.append(("TY", {"chapter": "CHAP", "book": "BOOK", "article": "JOUR"}[kind]))
        for name in _authors(row):
            add("AU", _ris_name(name))
        add("TI", title)
        for field, value in venue:
            add(_RIS_VENUE[field], value)
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
        kind, title, venue = _work(row)
        fields: list[tuple[str, str]] = []
        names = _authors(row)
        if names:
            author = " and ".join(_bib_name(n) for n in names)
            if not _authors_complete(row):
                author += " and others"
            fields.append(("author", author))
        fields.append(("title", _bib_title(title)))
        if kind != "article":
            fields += [(_BIB_VENUE[field], (_bib_title if field == "container" else _bib_escape)(value))
                       for field, value in venue]
        else:  # a journal's full name, or its short one where PubMed gives only that
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
        entries.append(f"@{_BIB_KIND[kind]}{{{key},\n{body}\n}}\n")
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
        kind, title, venue = _work(row)
        item: dict[str, Any] = {
            "id": key,
            "type": {"chapter": "chapter", "book": "book", "article": "article-journal"}[kind],
        }

        def put(name: str, value: Any) -> None:
            if value not in ("", None, []):
                item[name] = value

        put("title", title)
        put("author", [_csl_name(n) for n in _authors(row)])
        parts = _date_parts(row)
        if parts:
            item["issued"] = {"date-parts": [parts]}
        for field, value in venue:
            put(_CSL_VENUE[field], value)
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

"""PubMed efetch XML → the tidy records table.

Parsing is pure: it takes bytes or a file and returns rows; it never touches
the network or the snapshot. It streams (``XMLPullParser``, the engine under
``xml.etree.ElementTree.iterparse``), clearing each record once read, so a
50,000-record file is read in flat memory. ``Bio.Entrez.parse`` is not used:
it refuses a ``PubmedArticleSet`` and would download DTDs (field notes).

The columns follow ``docs/contracts.md`` (``evidence records``); the extra
ones are listed in :data:`COLUMNS`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gc
import re
from pathlib import Path
from itertools import islice
from operator import itemgetter
from typing import Iterable, Iterator
import xml.etree.ElementTree as ET

from ._xml import Source, iter_children
from .errors import ParseError

__all__ = [
    "COLUMNS",
    "LIST_COLUMNS",
    "iter_records",
    "parse_records",
    "read_records",
    "pmids_in",
    "attach_provenance",
    "read_provenance",
    "completeness",
]

#: Columns of the records table, in order. The first fifteen are the contract's.
COLUMNS = (
    "pmid", "title", "abstract", "journal", "journal_iso", "year", "authors",
    "doi", "pmcid", "publication_types", "mesh_terms", "keywords", "language",
    # extras
    "record_type",          # journal_article | book_article
    "first_author",         # "Last FM" of the first author, or the collective name
    "volume", "issue", "pages",
    "pub_date",             # the PubDate as written ("1998 Sep", "1998 Dec-1999 Jan")
    "article_date",         # electronic publication date, ISO (YYYY-MM-DD), or ""
    "mesh_major",           # descriptors flagged major topic (descriptor or qualifier)
    "retracted",            # "Retracted Publication" type or a RetractionIn link
    "authors_list_complete",  # AuthorList/@CompleteYN != "N"
    "book_title", "publisher",
    "abstract_sections",    # list of {"label", "category", "text"}
    "affiliations",         # list of distinct affiliation strings
    "mesh",                 # list of {"descriptor", "major", "qualifiers"}
)
#: Columns holding lists (serialised as JSON in CSV output).
LIST_COLUMNS = ("abstract_sections", "affiliations", "mesh")

_YEAR = re.compile(r"\b(1[6-9]\d\d|2\d\d\d)\b")
_RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle"})
_BATCH = 64  # records parsed per pause of the garbage collector (see _gc_paused)
_LONG = 100  # characters from which _fold checks ASCII text without isprintable()


def _fold(text: str) -> str:
    """``" ".join(text.split())``, without the split and join when there is nothing to fold."""
    # Most PubMed text is already folded: no space at either end, no double space, and no
    # other whitespace. isprintable() is False for every whitespace character but the ASCII
    # space (tabs, newlines, NBSP, the Unicode spaces), so it settles the rest exactly; but it
    # looks up every character (about 2 ns each), so for long ASCII text (abstracts) one memchr
    # per ASCII whitespace character that str.split() splits on is cheaper (a quarter of the time).
    if text[0] == " " or text[-1] == " " or "  " in text:
        return " ".join(text.split())
    if len(text) < _LONG or not text.isascii():
        if text.isprintable():
            return text
    elif not ("\n" in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
              or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text):
        return text
    return " ".join(text.split())


def _text(elem: ET.Element | None) -> str:
    """All text inside ``elem`` (inline markup and MathML flattened), whitespace folded."""
    if elem is None:
        return ""
    text = "".join(elem.itertext()) if len(elem) else elem.text
    if not text:
        return ""
    # _fold's first case inlined: most texts are short and folded (a call less, 15 per record)
    if len(text) < _LONG and text[0] != " " and text[-1] != " " and "  " not in text and text.isprintable():
        return text
    return _fold(text)


def _initials(fore: str) -> str:
    # the first letter of each part between whitespace, hyphens and dots; str.split() splits on
    # the same whitespace as re's \s (a regex here cost three times as much)
    return "".join([p[0].upper() for p in fore.replace(".", " ").replace("-", " ").split()])


def _authors(author_list: ET.Element | None) -> tuple[list[str], list[str], bool]:
    names: list[str] = []
    affiliations: list[str] = []
    if author_list is None:
        return names, affiliations, True
    complete = author_list.get("CompleteYN", "Y") != "N"
    # one pass over each Author's children: ElementPath lookups cost more than the XML
    for author in author_list.findall("Author"):
        if author.get("ValidYN") == "N":
            continue
        last = initials = fore = collective = None
        for child in author:
            tag = child.tag
            if tag == "LastName":
                last = child.text
            elif tag == "Initials":
                initials = child.text
            elif tag == "ForeName":
                fore = child.text
            elif tag == "CollectiveName":
                collective = _text(child)
            elif tag == "AffiliationInfo":
                text = _text(child.find("Affiliation"))
                if text and text not in affiliations:
                    affiliations.append(text)
        if collective is not None:
            name = collective
        else:  # "Last FM": the last name folded, initials stripped or made from the fore name
            if initials:
                initials = initials.strip()
            if not initials and fore:
                initials = _initials(fore)
            if last and not last.isalpha():  # most last names are one word of letters
                last = _fold(last)
            name = (f"{last} {initials}" if initials else last) if last else (initials or "")
        if name:
            names.append(name)
    return names, affiliations, complete


def _children(elem: ET.Element | None, parent: str, tag: str) -> list[ET.Element]:
    """``elem.findall(f"{parent}/{tag}")`` without ElementPath's Python-level machinery."""
    if elem is None:
        return []
    holder = elem.find(parent)
    return holder.findall(tag) if holder is not None else []


def _abstract(abstract: ET.Element | None) -> tuple[str, list[dict]]:
    sections: list[dict] = []
    if abstract is None:
        return "", sections
    parts: list[str] = []
    for node in abstract.findall("AbstractText"):
        text = _text(node)
        if not text:
            continue
        label = (node.get("Label") or "").strip()
        sections.append({"label": label, "category": node.get("NlmCategory", ""), "text": text})
        parts.append(f"{label}: {text}" if label else text)
    return "\n\n".join(parts), sections


def _month_day(month: str | None, day: str | None, where: str) -> None:
    """Refuse an impossible numeric month or day (13, 0, 32): it is not stored."""
    month, day = (month or "").strip(), (day or "").strip()
    if month.isdigit() and not 1 <= int(month) <= 12:
        raise ValueError(f"{where} <Month>{month[:20]}</Month> is not a month (1-12)")
    if day.isdigit() and not 1 <= int(day) <= 31:
        raise ValueError(f"{where} <Day>{day[:20]}</Day> is not a day of a month")


def _year(text: str | None, where: str) -> int | None:
    year = (text or "").strip()
    if not year:
        return None
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        shown = year if len(year) <= 20 else f"{year[:20]}... ({len(year)} characters)"
        raise ValueError(f"{where} <Year>{shown}</Year> is not a four-digit year")
    return int(year)


def _pub_date(date: ET.Element | None) -> tuple[int | None, str]:
    if date is None:
        return None, ""
    medline = date.findtext("MedlineDate")
    if medline:
        match = _YEAR.search(medline)
        return (int(match.group(1)) if match else None), medline.strip()
    written = date.findtext("Year")
    year = _year(written, "PubDate")
    written = (written or "").strip()
    month, day = date.findtext("Month"), date.findtext("Day")
    if month or day:
        _month_day(month, day, "PubDate")
        written = " ".join([x for x in (written, month, day) if x]).strip()
    return year, written


def _iso_date(date: ET.Element | None) -> str:
    if date is None:
        return ""
    y, m, d = date.findtext("Year"), date.findtext("Month"), date.findtext("Day")
    year = _year(y, "ArticleDate")
    _month_day(m, d, "ArticleDate")
    if not (year and m and d and m.strip().isdigit() and d.strip().isdigit()):
        return ""
    try:
        return _dt.date(year, int(m), int(d)).isoformat()
    except ValueError as exc:
        raise ValueError(f"ArticleDate {y}-{m}-{d} is not a date ({exc})") from None


def _mesh(heading_list: ET.Element | None) -> tuple[list[str], list[str], list[dict]]:
    terms: list[str] = []
    major: list[str] = []
    mesh: list[dict] = []
    if heading_list is None:
        return terms, major, mesh
    for heading in heading_list.findall("MeshHeading"):
        desc = heading.find("DescriptorName")
        name = _text(desc)
        if not name:
            continue
        quals = heading.findall("QualifierName")
        is_major = (desc.get("MajorTopicYN") == "Y") or any(q.get("MajorTopicYN") == "Y" for q in quals)
        mesh.append({"descriptor": name, "major": is_major, "qualifiers": [_text(q) for q in quals]})
        if name not in terms:
            terms.append(name)
        if is_major and name not in major:
            major.append(name)
    return terms, major, mesh


def _ids(id_list: ET.Element | None) -> dict[str, str]:
    ids: dict[str, str] = {}
    if id_list is not None:
        for node in id_list.findall("ArticleId"):
            kind = node.get("IdType", "")
            if kind and kind not in ids and node.text:
                ids[kind] = node.text.strip()
    return ids


def _journal_article(record: ET.Element) -> dict:
    # Each element is looked up once with a plain tag (C code); _pub_date runs before
    # _iso_date, so a record with two bad dates names the PubDate.
    citation = record.find("MedlineCitation")
    if citation is None:
        raise ValueError("PubmedArticle without MedlineCitation")
    article = citation.find("Article")
    if article is None:
        raise ValueError("MedlineCitation without Article")
    pmid = _text(citation.find("PMID"))
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    if issue is not None:
        year, written = _pub_date(issue.find("PubDate"))
        volume, issue_no = _text(issue.find("Volume")), _text(issue.find("Issue"))
    else:
        year, written, volume, issue_no = None, "", "", ""
    authors, affiliations, complete = _authors(article.find("AuthorList"))
    abstract, sections = _abstract(article.find("Abstract"))
    terms, major, mesh = _mesh(citation.find("MeshHeadingList"))
    data = record.find("PubmedData")
    ids = _ids(data.find("ArticleIdList") if data is not None else None)
    doi = ids.get("doi", "")
    if not doi:
        for loc in article.findall("ELocationID"):
            if loc.get("EIdType") == "doi" and loc.text:
                doi = loc.text.strip()
                break
    pub_types = [_text(p) for p in _children(article, "PublicationTypeList", "PublicationType")]
    retracted = "Retracted Publication" in pub_types
    if not retracted:
        for c in _children(citation, "CommentsCorrectionsList", "CommentsCorrections"):
            if c.get("RefType") == "RetractionIn":
                retracted = True
                break
    pagination = article.find("Pagination")
    pages = ""
    if pagination is not None:
        pages = _text(pagination.find("MedlinePgn"))
        if not pages:
            start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
            pages = f"{start}-{end}" if start and end else start
    article_date = article.find("ArticleDate")
    return {
        "pmid": pmid,
        "title": _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle")),
        "abstract": abstract,
        "journal": _text(journal.find("Title")) if journal is not None else "",
        "journal_iso": _text(journal.find("ISOAbbreviation")) if journal is not None else "",
        "year": year,
        "authors": "; ".join(authors),
        "doi": doi,
        "pmcid": ids.get("pmc", ""),
        "publication_types": "; ".join(pub_types),
        "mesh_terms": "; ".join(terms),
        "keywords": "; ".join([k for k in map(_text, _children(citation, "KeywordList", "Keyword")) if k]),
        "language": "; ".join([_text(lang) for lang in article.findall("Language")]),
        "record_type": "journal_article",
        "first_author": authors[0] if authors else "",
        "volume": volume,
        "issue": issue_no,
        "pages": pages,
        "pub_date": written,
        "article_date": _iso_date(article_date) if article_date is not None else "",
        "mesh_major": "; ".join(major),
        "retracted": retracted,
        "authors_list_complete": complete,
        "book_title": "",
        "publisher": "",
        "abstract_sections": sections,
        "affiliations": affiliations,
        "mesh": mesh,
    }


def _book_article(record: ET.Element) -> dict:
    doc = record.find("BookDocument")
    if doc is None:
        raise ValueError("PubmedBookArticle without BookDocument")
    book = doc.find("Book")
    pmid = _text(doc.find("PMID"))
    author_list = None
    for candidate in doc.iterfind("AuthorList"):
        if candidate.get("Type", "authors") == "authors":
            author_list = candidate
            break
    if author_list is None and book is not None:
        for candidate in book.iterfind("AuthorList"):
            if candidate.get("Type", "authors") == "authors":
                author_list = candidate
                break
    authors, affiliations, complete = _authors(author_list)
    abstract, sections = _abstract(doc.find("Abstract"))
    year, written = _pub_date(book.find("PubDate") if book is not None else None)
    ids = _ids(doc.find("ArticleIdList"))
    ids.update({k: v for k, v in _ids(record.find("PubmedBookData/ArticleIdList")).items() if k not in ids})
    book_title = _text(book.find("BookTitle")) if book is not None else ""
    pub_types = [_text(p) for p in doc.iterfind("PublicationType")]
    return {
        "pmid": pmid,
        "title": _text(doc.find("ArticleTitle")) or book_title,
        "abstract": abstract,
        "journal": "",
        "journal_iso": "",
        "year": year,
        "authors": "; ".join(authors),
        "doi": ids.get("doi", ""),
        "pmcid": ids.get("pmc", ""),
        "publication_types": "; ".join(pub_types),
        "mesh_terms": "",
        "keywords": "; ".join(_text(k) for k in doc.iterfind("KeywordList/Keyword") if _text(k)),
        "language": "; ".join(_text(lang) for lang in doc.iterfind("Language")),
        "record_type": "book_article",
        "first_author": authors[0] if authors else "",
        "volume": _text(book.find("Volume")) if book is not None else "",
        "issue": "",
        "pages": "",
        "pub_date": written,
        "article_date": "",
        "mesh_major": "",
        "retracted": "Retracted Publication" in pub_types,
        "authors_list_complete": complete,
        "book_title": book_title,
        "publisher": _text(book.find("Publisher/PublisherName")) if book is not None else "",
        "abstract_sections": sections,
        "affiliations": affiliations,
        "mesh": [],
    }


def _check_root(root_tag: str, name: str) -> None:
    if not root_tag:
        raise ParseError(f"{name}: no XML root element (the file is empty or not XML); expected a "
                         "PubMed efetch answer (db=pubmed, retmode=xml)")
    if root_tag != "PubmedArticleSet":
        raise ParseError(
            f"{name}: the root element is <{root_tag or '?'}>, not <PubmedArticleSet>; "
            "expected a PubMed efetch answer (db=pubmed, retmode=xml)"
        )


def _sources(source: Source | Iterable[bytes]) -> list:
    if isinstance(source, (list, tuple)):
        return list(source)
    return [source]


def _name(source, index: int, count: int) -> str:
    if isinstance(source, (bytes, bytearray)):
        return f"<efetch answer {index + 1} of {count}>" if count > 1 else "<efetch answer>"
    return str(getattr(source, "name", source))


def iter_records(source: Source | Iterable[bytes]) -> Iterator[dict]:
    """Yield one dict per ``PubmedArticle``/``PubmedBookArticle``, streaming.

    Parameters
    ----------
    source : path, bytes, binary file, or list of them
        A PubMed efetch answer (``.xml`` or ``.xml.gz``); a list (e.g. the
        batches :func:`evidence.pubmed.fetch` returns) is read in order.

    Raises
    ------
    ParseError
        Malformed XML (with the source's name, line and column), a root other
        than ``PubmedArticleSet``, a record without a PMID, a PMID twice in
        one source, an impossible date, or a document that declares entities.
    """
    sources = _sources(source)
    for index, src in enumerate(sources):
        rows = _source_rows(src, _name(src, index, len(sources)))
        while True:
            with _gc_paused():  # the parser's own work, a few records at a time
                batch = list(islice(rows, _BATCH))
            if not batch:
                break
            yield from batch


class _gc_paused:
    """Pause the cyclic garbage collector while the parser builds and reads a few records.

    A record is some sixty Elements and a dict of lists: allocations that set off the
    collector's scans again and again (Elements hold no cycles; cleared records are freed by
    reference counting). The pause covers the parser's own work on ``_BATCH`` records, never
    the caller's: the allocations counted meanwhile set off one scan when it ends instead of
    one every few hundred allocations. Restores the collector's previous state.
    """

    __slots__ = ("enabled",)

    def __enter__(self):
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.enabled:
            gc.enable()


def _source_rows(src, name: str) -> Iterator[dict]:
    """The rows of one source, checked (see :func:`iter_records`)."""
    count = 0
    last_pmid = None
    seen: dict[str, int] = {}
    for root_tag, elem in iter_children(src):
        if elem is None:
            _check_root(root_tag, name)
            continue
        if elem.tag not in _RECORD_TAGS:
            # DeleteCitation; records count only as children of the root, where PubMed's DTD
            # puts them and where the snapshot's record_spans finds them. One wrapped in
            # something else is refused rather than skipped without a word.
            wrapped = next((e for e in elem.iter() if e.tag in _RECORD_TAGS), None)
            if wrapped is not None:
                raise ParseError(f"{name}: a <{wrapped.tag}> inside <{elem.tag}>, not directly under "
                                 "<PubmedArticleSet> where an efetch answer holds its records; refused")
            continue
        count += 1
        try:
            row = _journal_article(elem) if elem.tag == "PubmedArticle" else _book_article(elem)
        except (ValueError, AttributeError) as exc:
            pmid = _text(elem.find("MedlineCitation/PMID")) or _text(elem.find("BookDocument/PMID"))
            which = f"PMID {pmid}" if pmid.isdigit() else f"after PMID {last_pmid}"
            raise ParseError(f"{name}: record {count} ({which}): {exc}; the record is refused") from None
        finally:
            elem.clear()
        pmid = row["pmid"]
        if pmid[:1] == "0":  # 0009758075 is PMID 9758075 (leading zeros dropped, README)
            row["pmid"] = pmid = pmid.lstrip("0")
        if not (pmid.isascii() and pmid.isdigit()):  # isdigit() alone accepts "¹²³"
            raise ParseError(
                f"{name}: record {count} (after PMID {last_pmid}) has no valid PMID "
                f"({row['pmid']!r})"
            )
        if row["pmid"] in seen:
            # refused, not de-duplicated: which copy is right cannot be told from the file
            raise ParseError(
                f"{name}: PMID {row['pmid']} appears twice (records {seen[row['pmid']]} and {count}); "
                "an efetch answer holds each record once. Fetch it again, or remove the copy"
            )
        seen[row["pmid"]] = count
        last_pmid = row["pmid"]
        yield row


def pmids_in(body: bytes) -> list[str]:
    """The PMIDs of the records in one efetch answer, in order (validates the XML)."""
    return [row["pmid"] for row in iter_records(body)]


def parse_records(source: Source | Iterable[bytes], *, progress: bool = False):
    """Parse efetch XML into the records table (a pandas DataFrame).

    Either every record is returned or an error is raised: nothing partial.
    See :func:`iter_records` for ``source`` and errors, :data:`COLUMNS` for
    the columns.
    """
    import pandas as pd  # here, not at the top: the streaming parse needs no pandas (half a second to import)

    rows: Iterable[dict] = iter_records(source)
    if progress:
        # here, not at the top: in a kernel without ipywidgets tqdm.auto warns on stderr on import
        from tqdm.auto import tqdm

        rows = tqdm(rows, desc="parsing records", unit="rec")
    # the table grows by a few containers per record: without the pause the collector rescans
    # all of it again and again (about 20% of the time at 10,000 records)
    with _gc_paused():
        # one C call per row takes its values in column order; the rows are turned into column
        # lists at the end (much cheaper than DataFrame(list of dicts))
        values = list(map(itemgetter(*COLUMNS), rows))
        columns = {name: list(column) for name, column in zip(COLUMNS, zip(*values))} if values else {
            name: [] for name in COLUMNS}
        del values
    if columns["pmid"]:
        frame = pd.DataFrame(columns)
    else:  # no records: text columns stay text (object), as they are with records
        frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in COLUMNS})
    frame["year"] = pd.array(columns["year"], dtype="Int64")
    return frame


_PROVENANCE_FLAGS = ("abstract_complete", "authors_complete", "has_publication_types")


def read_provenance(path: str | Path) -> dict[str, dict[str, bool]]:
    """Read a snapshot's ``provenance.csv``: PMID → its completeness flags."""
    path = Path(path)
    out: dict[str, dict[str, bool]] = {}
    try:
        handle = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"{path}: cannot be read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = {"pmid", *_PROVENANCE_FLAGS} - set(reader.fieldnames or ())
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            flags = {}
            for flag in _PROVENANCE_FLAGS:
                value = row[flag].strip().lower()
                if value not in ("true", "false"):
                    raise ParseError(f"{path}: row {line}: {flag}={row[flag]!r} is not true/false")
                flags[flag] = value == "true"
            out[row["pmid"].strip()] = flags
    return out


def attach_provenance(frame, provenance: str | Path | dict | None):
    """Add ``abstract_complete`` and ``authors_complete`` to a records table.

    Records listed in the provenance file take its flags (an assembled
    snapshot's abstracts may be cut short). Other records came whole from
    NCBI: complete when they have an abstract, unknown (<NA>) when not.
    """
    import pandas as pd

    flags = provenance if isinstance(provenance, dict) else (
        read_provenance(provenance) if provenance is not None else {}
    )
    frame = frame.copy()
    has_abstract = frame["abstract"].fillna("").astype(str).str.len() > 0
    abstract_complete = [
        flags[p]["abstract_complete"] if p in flags else (True if has else pd.NA)
        for p, has in zip(frame["pmid"], has_abstract)
    ]
    authors_complete = [
        flags[p]["authors_complete"] if p in flags else bool(c)
        for p, c in zip(frame["pmid"], frame["authors_list_complete"])
    ]
    frame["abstract_complete"] = pd.array(abstract_complete, dtype="boolean")
    frame["authors_complete"] = pd.array(authors_complete, dtype="boolean")
    return frame


def read_records(path: str | Path, *, provenance: str | Path | None = "auto", progress: bool = False):
    """Parse an efetch file and attach its snapshot provenance when present.

    ``provenance="auto"`` uses a ``provenance.csv`` beside the file, if any;
    ``None`` skips it.
    """
    frame = parse_records(path, progress=progress)
    if provenance == "auto":
        candidate = Path(path).with_name("provenance.csv")
        provenance = candidate if candidate.exists() else None
    if provenance is not None:
        frame = attach_provenance(frame, provenance)
    return frame


#: Fields whose completeness the workbook reports.
_COMPLETENESS_FIELDS = ("title", "abstract", "authors", "journal", "year", "doi", "pmcid",
                        "publication_types", "mesh_terms", "keywords", "language")


def completeness(frame):
    """How complete each field is: records with a value, and the percentage.

    ``publication_types`` counts as filled only when it says more than the
    ``Journal Article`` every record carries; for snapshot records
    ``abstract_complete`` and ``authors_complete`` (from provenance) are
    reported as well.

    Returns
    -------
    DataFrame
        field, filled, records, percent.
    """
    import pandas as pd

    n = len(frame)
    rows = []
    for name in _COMPLETENESS_FIELDS:
        column = frame[name]
        if name == "publication_types":
            filled = column.map(lambda v: bool(v) and v != "Journal Article").sum()
        elif name == "year":
            filled = column.notna().sum()
        else:
            filled = (column.fillna("").astype(str).str.len() > 0).sum()
        rows.append((name, int(filled)))
    for name in ("abstract_complete", "authors_complete"):
        if name in frame:
            rows.append((name, int(frame[name].fillna(False).astype(bool).sum())))
    out = pd.DataFrame(rows, columns=["field", "filled"])
    out["records"] = n
    out["percent"] = (100 * out["filled"] / n).round(1) if n else 0.0
    return out

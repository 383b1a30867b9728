"""The "PubMed" text format (MEDLINE tags) ↔ the records table.

The PubMed website saves records in this format (Save → Format: PubMed); it is
also E-utilities' ``efetch rettype=medline retmode=text``. Each record is a
block of ``TAG - value`` lines (continuation lines indented by six spaces),
records separated by a blank line. Parsing is pure and goes through
Biopython's :mod:`Bio.Medline` (a parser only: :mod:`evidence.pubmed` stays
the one door to NCBI); :func:`parse_medline` maps each record onto the
columns of :data:`evidence.records.COLUMNS`, so imported records enter the
same records table as the XML ones.

What the format lacks, and how each column is filled:

==========================  ==================================================
column                      from
==========================  ==================================================
pmid, title, abstract       PMID, TI (or BTI for a book), AB
journal, journal_iso        JT, TA (NLM's title abbreviation, which is
                            the ISO abbreviation for most journals)
year, pub_date              DP (the first four-digit year; DP as written)
authors, first_author       AU ("Last FM"), then CN (collective names) at
                            the end: the format does not keep their order
doi, pmcid                  AID/LID ending in ``[doi]``; PMC
publication_types           PT
mesh_terms, mesh_major,     MH ("*" marks a major topic, "/" a qualifier)
mesh
keywords, language          OT, LA
volume, issue, pages        VI, IP, PG
article_date                DEP (YYYYMMDD) as an ISO date
retracted                   PT "Retracted Publication" or a RIN line
authors_list_complete       True: the format has no CompleteYN flag (unknown)
book_title, publisher       BTI, PB
abstract_sections           one section without label: the format runs a
                            structured abstract's sections into one paragraph
                            ("BACKGROUND: ... METHODS: ..."), so the
                            ``abstract`` text differs from the XML's only in
                            the blank lines between sections
affiliations                AD, each once
==========================  ==================================================

:func:`to_medline` writes records-table rows back in this format (the
fields above), so snapshot records can be exported and re-imported.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Iterable

import pandas as pd

from .errors import ParseError

__all__ = ["looks_like_medline", "medline_records", "parse_medline", "parse_medline_with_notices",
           "retraction_targets", "to_medline"]

_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9 ]{1,3}- ")
_YEAR = re.compile(r"\b(1[6-9]\d\d|2\d\d\d)\b")
_PMID_IN = re.compile(r"PMID:\s*(\d{1,9})")
#: PubMed's text format ends every record with its SO (source) line; a record without it was cut.
LAST_TAG = "SO"


def looks_like_medline(body: bytes) -> bool:
    """Whether ``body`` starts like the PubMed text format (its first tag line is ``PMID-``)."""
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:64]
    return text.startswith(b"PMID-")


def _decode(body: bytes, name: str) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{name}: not UTF-8 text at byte {exc.start}; save the file again from PubMed "
                         "(Format: PubMed)") from None


def medline_records(body: bytes, *, name: str = "<PubMed text>") -> list[dict]:
    """The records of a PubMed-format file as Bio.Medline dicts, checked.

    Raises
    ------
    ParseError
        Not the PubMed format, a record without a PMID, a record cut short
        (no ``SO`` line, or the file does not end with a line break), or a
        PMID given twice with different content. A PMID given twice with
        the same content is kept once.
    """
    from Bio import Medline  # a parser only; imported here so `import evidence` stays light

    if not looks_like_medline(body):
        raise ParseError(f"{name}: not the PubMed text format (the first line is not 'PMID- ...')")
    text = _decode(body, name)
    if not text.endswith("\n"):
        raise ParseError(f"{name}: the file does not end with a line break: it looks cut short "
                         "(truncated); save it again from PubMed")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.startswith("      ") and not _TAG_LINE.match(line):
            raise ParseError(f"{name}, line {number}: {line[:40]!r} is not a 'TAG - value' line of the "
                             "PubMed text format")
    out: list[dict] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(Medline.parse(io.StringIO(text)), start=1):
        pmid = str(record.get("PMID", "")).strip()
        if not pmid:
            after = f" (after PMID {out[-1]['PMID']})" if out else ""
            raise ParseError(f"{name}: record {number}{after} has no PMID line; the file is refused")
        if not pmid.isdigit() or len(pmid) > 9:
            raise ParseError(f"{name}: record {number}: PMID {pmid[:20]!r} is not a PubMed identifier")
        if LAST_TAG not in record:
            raise ParseError(f"{name}: record {number} (PMID {pmid}) has no {LAST_TAG} line: it is cut short "
                             "(truncated); save the file again from PubMed")
        plain = dict(record)
        if pmid in seen:
            if out[seen[pmid]] != plain:
                raise ParseError(f"{name}: PMID {pmid} is given twice (records {seen[pmid] + 1} and {number}) "
                                 "with different content; which one is right cannot be told: remove one")
            continue
        seen[pmid] = len(out)
        out.append(plain)
    if not out:
        raise ParseError(f"{name}: no records in the PubMed text file")
    return out


def _list(record: dict, tag: str) -> list[str]:
    value = record.get(tag, [])
    values = [value] if isinstance(value, str) else list(value)
    return [" ".join(v.split()) for v in values if v and v.strip()]


def _one(record: dict, tag: str) -> str:
    value = record.get(tag, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split())


def _doi(record: dict) -> str:
    for tag in ("AID", "LID"):
        for value in _list(record, tag):
            if value.endswith("[doi]"):
                return value[: -len("[doi]")].strip()
    return ""


def _article_date(record: dict) -> str:
    dep = _one(record, "DEP")
    if len(dep) == 8 and dep.isdigit():
        try:
            return _dt.date(int(dep[:4]), int(dep[4:6]), int(dep[6:])).isoformat()
        except ValueError:
            return ""
    return ""


def _mesh(record: dict) -> tuple[list[str], list[str], list[dict]]:
    terms, major, mesh = [], [], []
    for heading in _list(record, "MH"):
        parts = heading.split("/")
        desc = parts[0]
        is_major = any(p.startswith("*") for p in parts)
        name = desc.lstrip("*").strip()
        if not name:
            continue
        mesh.append({"descriptor": name, "major": is_major,
                     "qualifiers": [q.lstrip("*").strip() for q in parts[1:]]})
        if name not in terms:
            terms.append(name)
        if is_major and name not in major:
            major.append(name)
    return terms, major, mesh


def _row(record: dict) -> dict:
    authors = _list(record, "AU") + _list(record, "CN")
    pub_types = _list(record, "PT")
    terms, major, mesh = _mesh(record)
    abstract = _one(record, "AB")
    written = _one(record, "DP")
    match = _YEAR.search(written)
    affiliations: list[str] = []
    for text in _list(record, "AD"):
        if text not in affiliations:
            affiliations.append(text)
    book = _one(record, "BTI")
    return {
        "pmid": _one(record, "PMID"),
        "title": _one(record, "TI") or book,
        "abstract": abstract,
        "journal": _one(record, "JT"),
        "journal_iso": _one(record, "TA"),
        "year": int(match.group(1)) if match else None,
        "authors": "; ".join(authors),
        "doi": _doi(record),
        "pmcid": _one(record, "PMC"),
        "publication_types": "; ".join(pub_types),
        "mesh_terms": "; ".join(terms),
        "keywords": "; ".join(_list(record, "OT")),
        "language": "; ".join(_list(record, "LA")),
        "record_type": "book_article" if book and not _one(record, "JT") else "journal_article",
        "first_author": authors[0] if authors else "",
        "volume": _one(record, "VI"),
        "issue": _one(record, "IP"),
        "pages": _one(record, "PG"),
        "pub_date": written,
        "article_date": _article_date(record),
        "mesh_major": "; ".join(major),
        "retracted": "Retracted Publication" in pub_types or bool(_list(record, "RIN")),
        "authors_list_complete": True,
        "book_title": book,
        "publisher": _one(record, "PB"),
        "abstract_sections": [{"label": "", "category": "", "text": abstract}] if abstract else [],
        "affiliations": affiliations,
        "mesh": mesh,
    }


def parse_medline(body: bytes, *, name: str = "<PubMed text>") -> pd.DataFrame:
    """Parse a PubMed-format (MEDLINE) file into the records table.

    Parameters
    ----------
    body : bytes
        The file as saved from PubMed (UTF-8).
    name : str
        How error messages name the file.

    Returns
    -------
    DataFrame
        The columns of :data:`evidence.records.COLUMNS` (see the module's
        table for what each comes from and what the format lacks).

    Raises
    ------
    ParseError
        See :func:`medline_records`.
    """
    return parse_medline_with_notices(body, name=name)[0]


def parse_medline_with_notices(body: bytes, *, name: str = "<PubMed text>"
                               ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """:func:`parse_medline` and :func:`retraction_targets` from one pass over the file."""
    from .records import COLUMNS

    records = medline_records(body, name=name)
    rows = [_row(r) for r in records]
    frame = pd.DataFrame({c: [r[c] for r in rows] for c in COLUMNS})
    frame["year"] = pd.array([r["year"] for r in rows], dtype="Int64")
    return frame, _notices(records)


def _notices(records: list[dict]) -> dict[str, list[str]]:
    out = {}
    for record in records:
        targets = [m for text in _list(record, "ROF") for m in _PMID_IN.findall(text)]
        if targets:
            out[_one(record, "PMID")] = targets
    return out


def retraction_targets(body: bytes, *, name: str = "<PubMed text>") -> dict[str, list[str]]:
    """PMID of each retraction notice in the file → the PMIDs it retracts (``ROF`` lines)."""
    return _notices(medline_records(body, name=name))


def _field(tag: str, value: str, width: int = 82) -> list[str]:
    """``TAG - value`` wrapped as PubMed wraps it (continuation lines indented by six spaces)."""
    words = " ".join(str(value).split()).split(" ")
    lines, current = [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width - 6:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [f"{tag:<4}- {lines[0]}"] + [f"      {line}" for line in lines[1:]]


def _split(value) -> list[str]:
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


def to_medline(records: pd.DataFrame | Iterable[dict]) -> bytes:
    """Records-table rows in the PubMed text format (UTF-8), one block per record.

    Writes the fields the module's table lists (``PMID``, ``DP``, ``TI``,
    ``AB``, ``AU``, ``LA``, ``PT``, ``TA``, ``JT``, ``MH``, ``OT``,
    ``AID [doi]``, ``PMC``, ``VI``, ``IP``, ``PG``, ``SO``); a structured
    abstract's sections are run into one paragraph, as PubMed does.
    Collective names are written as ``AU`` lines (the table does not tell
    them apart from persons).
    """
    rows = records.to_dict("records") if isinstance(records, pd.DataFrame) else list(records)
    blocks = []
    for row in rows:
        lines = [f"PMID- {row['pmid']}"]
        simple = (("VI", "volume"), ("IP", "issue"), ("DP", "pub_date"), ("TI", "title"),
                  ("PG", "pages"), ("AB", "abstract"))
        for tag, column in simple:
            if str(row.get(column) or "").strip():
                lines += _field(tag, row[column])
        lines += [f"AU  - {a}" for a in _split(row.get("authors"))]
        lines += [f"LA  - {x}" for x in _split(row.get("language"))]
        lines += [f"PT  - {x}" for x in _split(row.get("publication_types"))]
        for tag, column in (("TA", "journal_iso"), ("JT", "journal")):
            if str(row.get(column) or "").strip():
                lines += _field(tag, row[column])
        major = set(_split(row.get("mesh_major")))
        lines += [f"MH  - {'*' if m in major else ''}{m}" for m in _split(row.get("mesh_terms"))]
        lines += [f"OT  - {x}" for x in _split(row.get("keywords"))]
        if str(row.get("doi") or "").strip():
            lines.append(f"AID - {row['doi']} [doi]")
        if str(row.get("pmcid") or "").strip():
            lines.append(f"PMC - {row['pmcid']}")
        volume = f";{row['volume']}" if str(row.get("volume") or "").strip() else ""
        issue = f"({row['issue']})" if str(row.get("issue") or "").strip() else ""
        pages = f":{row['pages']}" if str(row.get("pages") or "").strip() else ""
        source = f"{row.get('journal_iso') or row.get('journal') or ''}. {row.get('pub_date') or ''}" \
                 f"{volume}{issue}{pages}."
        lines += _field("SO", source)
        blocks.append("\n".join(lines))
    return ("\n" + "\n\n".join(blocks) + "\n").encode("utf-8")

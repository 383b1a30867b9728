"""Reading one line of a reference list: what a reference says.

:func:`parse_reference` reads a line -- a PMID, a DOI, or citation text in
Vancouver or APA style -- into a :class:`Reference`: its identifiers, first
author, year, title, journal, volume, issue and pages. This is the reading
half of steps 1 and 2 of "How a line is resolved" in :mod:`evidence.citecheck`;
:mod:`evidence.citecheck_match` resolves what is read here to a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .cite_fields import split_name


# -- one reference --------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """What one line of a reference list says.

    Attributes
    ----------
    text : str
        The line as given (stripped).
    style : str
        ``"pmid"`` or ``"doi"`` (the line is only an identifier), ``"apa"``,
        ``"vancouver"``, or ``"text"`` (citation text in neither shape).
    pmid, doi, pmcid : str or None
        Identifiers found on the line.
    first_author : str or None
        Family name of the first author (or a group's name).
    year : int or None
    title, journal, volume, issue, pages : str or None
    """

    text: str
    style: str
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    first_author: str | None = None
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None


# -- reading a line ----------------------------------------------------------------
_PMID_LINE = re.compile(
    r"^(?:pmid\s*:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?"
    r"(\d{1,9})/?\.?$", re.IGNORECASE)
_DOI_LINE = re.compile(r"^(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_PUBMED_URL_IN_TEXT = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b", re.IGNORECASE)
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMCID_IN_TEXT = re.compile(r"\b(PMC\d+)\b", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)])\s+")
_YEAR = r"(?:1[6-9]|20)\d\d"
_APA = re.compile(
    rf"^(?P<authors>[^()]*?)\s*\((?P<year>{_YEAR})[a-z]?(?:,[^)]*)?\)\s*\.?\s*(?P<rest>.*)$")
_APA_SOURCE = re.compile(
    r"^(?P<journal>.+?),\s*(?P<volume>\d[\w-]*)?\s*(?:\((?P<issue>[^)]*)\))?\s*(?:,\s*(?P<pages>[A-Za-z]*\d[\w–-]*))?")
_SENTENCE_END = re.compile(r"(?<![Ee]t al)(?<=[.?!])\s+")
_VANCOUVER_DATE = re.compile(rf"^(?P<year>{_YEAR})\b")
_JOURNAL_DATE = re.compile(rf"^(?P<journal>.*?\D)\s+(?P<year>{_YEAR})\b(?P<after>.*)$")
_VOLUME = re.compile(r";\s*(?P<volume>[^(:;\s]*)\s*(?:\((?P<issue>[^)]*)\))?\s*(?::\s*(?P<pages>[^\s.;,]+))?")


def _clean_doi(doi: str) -> str:
    doi = unquote(doi).strip().rstrip(".,;")
    # a closing parenthesis belongs to the DOI only if the DOI opened one
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;")
    return doi.lower()


def _strip_identifiers(text: str) -> str:
    """The citation text without its identifier tail (doi, PMID, PMCID, addresses)."""
    cut = re.search(r"(?:\bdoi\s*:|https?://|\bPMID\s*:?\s*\d|\bPMCID\s*:|\bAvailable from\b|"
                    r"\bPubMed\b\s*PMID)", text, re.IGNORECASE)
    return text[: cut.start()].strip() if cut else text.strip()


def _family(author: str) -> str | None:
    """Family name from an author as written: "Birch S", "Birch, S.", "World Health Organization"."""
    author = re.sub(r"\bet al\.?$", "", author).strip(" ,.;&")
    if not author:
        return None
    if "," in author:
        return author.split(",")[0].strip() or None
    person = split_name(author.replace(".", ""))
    return person[0] if person else author


def _parse_apa(text: str, m: re.Match) -> dict:
    authors = m["authors"].strip()
    out: dict[str, Any] = {"year": int(m["year"]), "style": "apa"}
    if authors:
        out["first_author"] = _family(re.split(r",\s*&|\s&\s|;", authors)[0])
    rest = _strip_identifiers(m["rest"])
    pieces = _SENTENCE_END.split(rest, maxsplit=1)
    title = pieces[0].strip()
    out["title"] = title.rstrip(".") if title else None
    if len(pieces) > 1:
        source = pieces[1].strip().rstrip(".")
        s = _APA_SOURCE.match(source)
        if s and (s["volume"] or s["pages"]):
            out.update(journal=s["journal"].strip(), volume=s["volume"], issue=s["issue"], pages=s["pages"])
        elif source:
            out["journal"] = source
    return out


def _parse_vancouver(text: str) -> dict | None:
    body = _strip_identifiers(text)
    segments = [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]
    if len(segments) < 2:
        return None
    out: dict[str, Any] = {"style": "vancouver"}
    date_at = None
    for i in range(2, len(segments)):
        if _VANCOUVER_DATE.match(segments[i]):
            date_at = i
            break
    if date_at is not None:
        journal = segments[date_at - 1].rstrip(".")
        date = segments[date_at]
        title_segments = segments[1:date_at - 1]
    else:
        # "Journal 1998;14:248-55" - journal and date in one segment
        for i in range(len(segments) - 1, 1, -1):
            j = _JOURNAL_DATE.match(segments[i])
            if j:
                journal, date = j["journal"].strip(" ."), f"{j['year']}{j['after']}"
                title_segments = segments[1:i]
                date_at = i
                break
        else:
            return None
    if not title_segments:
        # no journal after all: "Authors. Title. 2019."
        title_segments, journal = [journal], None
    out["year"] = int(_VANCOUVER_DATE.match(date)["year"])
    v = _VOLUME.search(date)
    if v:
        out.update(volume=v["volume"] or None, issue=v["issue"], pages=v["pages"])
    out["journal"] = journal or None
    out["title"] = ". ".join(title_segments).rstrip(".") or None
    out["first_author"] = _family(re.split(r"[,;]", segments[0])[0])
    return out


def parse_reference(text: str) -> Reference:
    """Read one line of a reference list: identifiers and what the citation says.

    Parameters
    ----------
    text : str
        A PMID, a DOI, or citation text (Vancouver or APA); a leading list
        number ("12.", "[12]") is ignored.

    Returns
    -------
    Reference
    """
    text = " ".join(str(text).split())
    body = _NUMBERING.sub("", text)
    m = _PMID_LINE.match(body)
    if m:
        return Reference(text=text, style="pmid", pmid=str(int(m[1])))
    m = _DOI_LINE.match(unquote(body))
    if m:
        return Reference(text=text, style="doi", doi=_clean_doi(m[1]))
    found: dict[str, Any] = {}
    pm = _PMID_IN_TEXT.search(body) or _PUBMED_URL_IN_TEXT.search(body)
    if pm:
        found["pmid"] = str(int(pm[1]))
    doi = _DOI_IN_TEXT.search(body)
    if doi:
        found["doi"] = _clean_doi(doi[1])
    pmc = _PMCID_IN_TEXT.search(body)
    if pmc:
        found["pmcid"] = pmc[1].upper()
    apa = _APA.match(body)
    fields = _parse_apa(body, apa) if apa else _parse_vancouver(body)
    if fields is None:
        year = re.search(rf"\b({_YEAR})\b", _strip_identifiers(body))
        fields = {"style": "text", "year": int(year[1]) if year else None}
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    fields = {k: (v or None) if k != "year" else v for k, v in fields.items()}
    return Reference(text=text, **{**fields, **found})

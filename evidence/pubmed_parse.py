"""What the PubMed client reads: PMIDs, dates, the ESearch answer and the search result.

One concept of :mod:`evidence.pubmed` (its door, which re-exports every name
defined here; NCBI's E-utilities documentation is cited there): the result
types of a search (:class:`SearchSlice`, :class:`SearchResult`), PMIDs
normalised (:func:`normalise_pmids`), the dates of a search range, and an
``eSearchResult`` answer read and checked. Pure functions of their
arguments: no network, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

import pandas as pd

from ._xml import iter_elements
from .errors import NCBIError, ParseError


_DATE_FLOOR = date(1781, 1, 1)  # PubMed's oldest records are from 1781
_DATETYPES = ("pdat", "edat", "mdat", "crdt")


class EvidenceWarning(UserWarning):
    """Something to know about an answer that is not an error (an ESearch WarningList)."""


@dataclass(frozen=True)
class SearchSlice:
    """One ESearch request's answer: a date range of the search and its PMIDs."""

    mindate: str | None
    maxdate: str | None
    count: int
    pmids: tuple[str, ...]
    webenv: str | None
    query_key: str | None


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found.

    Attributes
    ----------
    term : str
        The query as sent.
    count : int
        NCBI's count of matching records.
    pmids : tuple of str
        Every matching PMID (all of them, however many slices it took).
    query_translation : str
        How PubMed read the query (``QueryTranslation``).
    slices : tuple of SearchSlice
        The ESearch requests made: one, or one per publication-date slice.
    warnings : tuple of str
        ESearch's warnings and non-fatal errors, as text.
    """

    term: str
    count: int
    pmids: tuple[str, ...]
    query_translation: str
    slices: tuple[SearchSlice, ...]
    datetype: str = "pdat"
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.pmids)

    def summary_frame(self):
        """One row per ESearch slice: dates, count, PMIDs returned, history key."""
        return pd.DataFrame(
            [
                {
                    "mindate": s.mindate or "", "maxdate": s.maxdate or "", "count": s.count,
                    "pmids_returned": len(s.pmids), "query_key": s.query_key or "",
                }
                for s in self.slices
            ],
            columns=["mindate", "maxdate", "count", "pmids_returned", "query_key"],
        )


def _is_pmid(text: str) -> bool:
    """ASCII digits, not all zeros (``str.isdigit`` alone accepts ``¹²³`` and ``٣``)."""
    return text.isascii() and text.isdigit() and text.strip("0") != ""


def normalise_pmids(pmids: Iterable[object]) -> list[str]:
    """PMIDs as strings of ASCII digits without leading zeros, duplicates removed, order kept.

    ``0009758075`` and ``9758075`` are the same PMID (given once, as ``9758075``).

    Raises
    ------
    ValueError
        For an item that is not a PMID, naming it.
    """
    if isinstance(pmids, (str, int)):
        pmids = str(pmids).split(",")
    out: list[str] = []
    seen: set[str] = set()
    for item in pmids:
        text = str(item).strip()
        if not (text.isascii() and text.isdigit()) or int(text) <= 0:
            raise ValueError(f"{item!r} is not a PMID (a positive whole number in ASCII digits)")
        text = str(int(text))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


_ESEARCH_TAGS = frozenset({
    "Id", "Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "QueryTranslation", "ERROR",
    "PhraseNotFound", "FieldNotFound", "PhraseIgnored", "QuotedPhraseNotFound", "OutputMessage",
})


def _parse_esearch(body: bytes, term: str) -> tuple[dict, list[str], list[str]]:
    """Read an eSearchResult: (fields, ids, messages). Raises on its ERROR element."""
    fields: dict[str, str] = {}
    ids: list[str] = []
    errors: list[str] = []
    notes: list[str] = []
    root = None
    for root_tag, elem in iter_elements(body, _ESEARCH_TAGS):
        if elem is None:
            root = root_tag
            continue
        tag = elem.tag
        if tag == "Id":
            ids.append((elem.text or "").strip())
        elif tag in ("Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "QueryTranslation", "ERROR"):
            # the first Count is the search's; later ones belong to TranslationStack terms
            fields.setdefault(tag, (elem.text or "").strip())
        elif tag in ("PhraseNotFound", "FieldNotFound", "PhraseIgnored", "QuotedPhraseNotFound"):
            errors.append(f"{tag}: {(elem.text or '').strip()}")
        elif tag == "OutputMessage":
            notes.append((elem.text or "").strip())
    if root != "eSearchResult":
        raise ParseError(f"esearch answer for {term!r}: root element <{root}>, not <eSearchResult>")
    if "ERROR" in fields:
        raise NCBIError(f"esearch for {term!r}: NCBI reported an error: {fields['ERROR']}")
    if "Count" not in fields:
        raise ParseError(f"esearch answer for {term!r} has no Count")
    return fields, ids, errors + notes


def _fmt(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def _parse_date(text: str, *, end: bool, name: str = "date") -> date:
    """A YYYY, YYYY/MM or YYYY/MM/DD date as the first (or, with ``end``, last) day it covers."""
    pieces = str(text).strip().replace("-", "/").split("/")
    shape = (len(pieces[0]) == 4 and all(len(p) in (1, 2) for p in pieces[1:]))
    if not (1 <= len(pieces) <= 3 and shape and all(p.isascii() and p.isdigit() for p in pieces)):
        raise ValueError(f"{name} {text!r} is not a date: give YYYY, YYYY/MM or YYYY/MM/DD")
    parts = [int(p) for p in pieces]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    try:
        if len(parts) > 2:
            return date(year, month, parts[2])
        if not end:
            return date(year, month, 1)
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return nxt - timedelta(days=1)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{name} {text!r} is not a date: {exc}") from None

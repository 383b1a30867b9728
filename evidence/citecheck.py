"""Reference-list check: does each reference in a list point to a real PubMed record, correctly?

``evidence cite-check FILE`` (``docs/contracts.md``, "Reference-list check")
reads one reference a line - a PMID, a DOI, or free citation text in
Vancouver or APA style - resolves each to a PubMed record and says, per line,
whether the reference agrees with the record:

======================  ====================================================
status                  meaning
======================  ====================================================
``ok``                  resolved, and nothing the line says disagrees
``mismatch``            resolved; ``mismatches`` names the fields that
                        disagree (``year``, ``journal``, ``first_author``,
                        ``title``)
``not_found``           no record fits
``ambiguous``           several records fit equally well
``retracted``           resolved to a retracted record
======================  ====================================================

How a line is resolved
----------------------
1. **Identifiers first.** A PMID (``9758075``, ``PMID: 9758075``, a PubMed
   address) or a DOI (any case, bare, ``doi:`` or ``https://doi.org/``), on
   its own or inside the citation text, is looked up in the records.
2. **Then the citation text.** The line is read as APA ("Birch, S., &
   Jamison, R. N. (1998). Title. Journal, 14(3), 248-255.") or Vancouver
   ("Birch S, Jamison RN. Title. Clin J Pain. 1998;14(3):248-55.") for its
   first author, year, title and journal; every record is scored by the
   similarity of its title to the line's (:class:`difflib.SequenceMatcher`
   on lower-case letters and digits), with agreement of first author, year
   and journal breaking ties. A record fits when the titles agree
   (similarity at least ``title_threshold``), or when they are close (at
   least 0.75) and the first author and the year both agree.
3. **Then the resolver**, when one is given and steps 1-2 found nothing:
   a callable that looks the reference up elsewhere (in the live modes,
   E-utilities: :func:`live_resolver`) and returns candidate records, which
   are scored exactly as in steps 1-2.

In replay mode (the default) the records are the snapshot's and there is no
resolver: a reference to a record outside the snapshot is ``not_found``, and
no socket is opened.

After resolving, the fields the line states are compared with the record's:
the year (the record's publication year or its electronic-publication year),
the journal (the ISO abbreviation or the full title, ignoring case,
punctuation and a leading "The"; an abbreviation also matches the full title
word by word, "Clin J Pain" ~ "Clinical Journal of Pain"), the first
author's family name (accents and case ignored) and the title (similarity
below ``title_threshold``). A line that gives only an identifier has nothing
to disagree with.

Where each concept lives
------------------------
This module is the public door: every name of its parts is importable from
``evidence.citecheck``, as before the split. It holds the entry points
(:func:`check_references` and the reading of the list, :func:`live_resolver`,
:func:`default_resolver`); the rest lives in

- :mod:`evidence.citecheck_parse`: :class:`Reference` and
  :func:`parse_reference`, reading one line;
- :mod:`evidence.citecheck_match`: resolving a reference to a record and
  comparing their fields;
- :mod:`evidence.citecheck_results`: :class:`CheckResult` and the output
  (JSON, CSV, table, :func:`results_frame`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .errors import DataError, IncompleteFetchError, SearchTermError
from .pubmed import PubMed
from .records import parse_records
# re-exported: evidence.citecheck is the door to every name its parts define
from .cite_fields import _missing, split_name  # noqa: F401
from .citecheck_match import (CLOSE_TITLE, _JOURNAL_STOP, NOT_IN_PUBMED,  # noqa: F401
                              NOT_IN_SNAPSHOT, _TIE, TITLE_THRESHOLD, _abbreviates, _author_agrees,
                              _best, _Fit, _fold, _given_value, _Index, _is_retracted,
                              _journal_agrees, _journal_forms, _may_reach, _mismatches, _Outcome,
                              _partial_similarity, _record_family, _record_value, _records_list,
                              _resolve, _result, _score, _title_similarity, _TitleMatcher,
                              _trigrams, _year_agrees)
from .citecheck_parse import (_APA, _APA_SOURCE, _DOI_IN_TEXT, _DOI_LINE,  # noqa: F401
                              _JOURNAL_DATE, _NUMBERING, _PMCID_IN_TEXT, _PMID_IN_TEXT, _PMID_LINE,
                              _PUBMED_URL_IN_TEXT, _SENTENCE_END, _VANCOUVER_DATE, _VOLUME, _YEAR,
                              _clean_doi, _family, _parse_apa, parse_reference, _parse_vancouver,
                              Reference, _strip_identifiers)
from .citecheck_results import (EXTRA_COLUMNS, FIELDS, JSON_KEYS, OUTPUT_FORMATS,  # noqa: F401
                                STATUSES, STRICT_FAILURES, CheckResult, format_csv, format_json,
                                format_table, results_frame)

__all__ = [
    "STATUSES",
    "FIELDS",
    "OUTPUT_FORMATS",
    "Reference",
    "CheckResult",
    "parse_reference",
    "check_references",
    "results_frame",
    "format_table",
    "format_csv",
    "format_json",
    "STRICT_FAILURES",
    "live_resolver",
    "default_resolver",
]

Resolver = Callable[["Reference"], Any]


# -- reading the list ---------------------------------------------------------------
#: The longest line read as a reference (characters). A reference with 30 authors and a long
#: title has about 1,000; a longer line is not one reference (a whole document pasted on one
#: line, a binary file), and matching it would take minutes.
MAX_LINE_CHARS = 5_000

def _lines(lines_or_path: Any) -> list[tuple[int, str]]:
    """(line number, text) of each reference: blank lines and ``#`` comments skipped."""
    if isinstance(lines_or_path, str) and ("\n" in lines_or_path or "\r" in lines_or_path):
        raw = lines_or_path.split("\n")
    elif isinstance(lines_or_path, (str, os.PathLike)):
        path = Path(lines_or_path)
        try:
            # split on "\n" only (not str.splitlines' form feeds, U+2028, ...), so
            # line numbers are the ones an editor shows
            raw = path.read_text(encoding="utf-8-sig").split("\n")
        except OSError as exc:
            raise DataError(
                f"{path}: cannot be read ({exc.strerror}); give a text file with one reference a line"
            ) from None
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    else:
        raw = [str(line) for line in lines_or_path]
    where = f"{lines_or_path}: " if isinstance(lines_or_path, (str, os.PathLike)) and not (
        isinstance(lines_or_path, str) and ("\n" in lines_or_path or "\r" in lines_or_path)) else ""
    out = []
    for number, line in enumerate(raw, start=1):
        text = line.strip()
        if len(text) > MAX_LINE_CHARS:
            raise DataError(
                f"{where}line {number} is {len(text):,} characters long; a reference is at most "
                f"{MAX_LINE_CHARS:,}: give one reference a line (is this a reference list?)")
        if text and not text.startswith("#"):
            out.append((number, text))
    return out


def check_references(
    lines_or_path: Any,
    *,
    records: Any,
    resolver: Resolver | None = None,
    title_threshold: float = TITLE_THRESHOLD,
) -> list[CheckResult]:
    """Resolve each reference of a list to a PubMed record and compare them.

    Parameters
    ----------
    lines_or_path : str, path, or iterable of str
        A file with one reference a line (a ``str`` or path-like); text
        holding line breaks; or the lines themselves. Blank lines and lines
        starting with ``#`` are skipped, but line numbers count them.
    records : DataFrame
        The records table to resolve against (the snapshot's:
        :func:`evidence.review.check_reference_file` reads them in replay,
        so that step never opens a socket).
    resolver : callable, optional
        ``resolver(reference) -> DataFrame | None``: candidate records for a
        :class:`Reference` that ``records`` does not hold (e.g.
        :func:`live_resolver`). None (the default) resolves against
        ``records`` only.
    title_threshold : float
        Title similarity (0-1) at or above which two titles count as the
        same; below it a resolved reference has a ``title`` mismatch.

    Returns
    -------
    list of CheckResult
        One per reference, in file order.

    Raises
    ------
    DataError
        The file cannot be read or is not UTF-8.
    """
    if not 0 < title_threshold <= 1:
        raise ValueError(f"title_threshold must be in (0, 1], got {title_threshold!r}")
    if resolver is not None and not callable(resolver):
        raise TypeError("resolver must be a callable taking a Reference and returning records")
    lines = _lines(lines_or_path)
    index = _Index(_records_list(records))
    results = []
    for number, text in lines:
        ref = parse_reference(text)
        outcome = _resolve(ref, index, title_threshold)
        if outcome.status == "not_found" and resolver is not None:
            found = resolver(ref)
            extra = _records_list(found) if found is not None else []
            if extra:
                outcome = _resolve(ref, _Index(extra), title_threshold)
        results.append(_result(number, text, ref, outcome, title_threshold, live=resolver is not None))
    return results


# -- live resolution ----------------------------------------------------------------
#: Words left out of a title search (PubMed ignores most of them anyway).
_SEARCH_STOP = frozenset({"and", "the", "for", "with", "not", "from", "are", "was", "were", "its", "into"})


def live_resolver(client: Any, *, max_candidates: int = 20) -> Resolver:
    """A resolver that looks references up through E-utilities.

    Parameters
    ----------
    client : PubMed-like
        Needs ``search(term) -> SearchResult`` (``.pmids``) and ``fetch(pmids)
        -> list of efetch answers`` (:class:`evidence.pubmed.PubMed` has
        both). Uses ``ecitmatch(citations) -> list of (PMID or None)`` when
        the client has it: one dict per citation with keys ``journal``,
        ``year``, ``volume``, ``first_page``, ``author``, ``key`` (the fields
        of ECitMatch's ``bdata`` line
        ``journal|year|volume|first_page|author|key|``).
    max_candidates : int
        At most this many PMIDs of a title search are fetched and scored.

    Returns
    -------
    callable
        ``resolver(reference) -> DataFrame`` of candidate records (empty when
        nothing was found), for :func:`check_references`.

    Notes
    -----
    Order: the PMID as given; a DOI (``DOI[aid]``); ECitMatch when the line
    gives journal, year, volume, first page and first author; then a title
    search (up to ten title words, with first author and year when given).
    Records E-utilities does not return (deleted PMIDs) count as not found.
    """
    if max_candidates < 1:
        raise ValueError(f"max_candidates must be at least 1, got {max_candidates}")

    def search(term: str) -> list[str]:
        try:
            return list(client.search(term).pmids)[:max_candidates]
        except SearchTermError:
            return []

    def resolve(ref: Reference):
        pmids: list[str] = []
        if ref.pmid:
            pmids = [ref.pmid]
        if not pmids and ref.doi:
            pmids = search(f"{ref.doi}[aid]")
        ecitmatch = getattr(client, "ecitmatch", None)
        if not pmids and ecitmatch is not None and all(
                (ref.journal, ref.year, ref.volume, ref.pages, ref.first_author)):
            first_page = re.split(r"[-–]", ref.pages)[0]
            got = ecitmatch([{"journal": ref.journal, "year": str(ref.year), "volume": ref.volume,
                              "first_page": first_page, "author": ref.first_author, "key": "1"}])
            pmids = [p for p in got if p]
        if not pmids and ref.title:
            words = [w for w in _fold(ref.title).split() if len(w) > 2 and w not in _SEARCH_STOP][:10]
            terms = [f"{w}[ti]" for w in words]
            if ref.first_author:
                terms.append(f'"{ref.first_author}"[1au]')
            if ref.year:
                terms.append(f"{ref.year}[dp]")
            if words:
                pmids = search(" AND ".join(terms))
        if not pmids:
            return pd.DataFrame()
        try:
            return parse_records(client.fetch(pmids))
        except IncompleteFetchError:
            return pd.DataFrame()

    return resolve


def default_resolver(settings: Any) -> Resolver | None:
    """The resolver the command line uses: none in replay, E-utilities in the live modes.

    ``settings`` is a :class:`evidence.settings.Settings` (mode, e-mail, snapshot).
    """
    if settings.mode == "replay":
        return None
    return live_resolver(PubMed(settings, progress="off"))

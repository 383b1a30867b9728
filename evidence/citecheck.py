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
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import unquote

import pandas as pd

from .cite import _missing, split_name
from .errors import DataError, IncompleteFetchError, SearchTermError
from .escape import csv_cell, terminal_text
from .pubmed import PubMed
from .records import parse_records

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

#: The statuses of the contract, exactly.
STATUSES = ("ok", "mismatch", "not_found", "ambiguous", "retracted")
#: The fields a reference can disagree on, in the order they are reported.
FIELDS = ("year", "journal", "first_author", "title")
#: Output formats of :func:`evidence.review.cite_check_file`.
OUTPUT_FORMATS = ("table", "csv", "json")
#: Keys of one result in the JSON output, exactly (the contract's).
JSON_KEYS = ("line", "input", "status", "pmid", "mismatches")

#: Title similarity at or above which two titles are the same title.
TITLE_THRESHOLD = 0.9
#: Title similarity at or above which a record fits when first author and year agree.
CLOSE_TITLE = 0.75
_TIE = 1e-9

Resolver = Callable[["Reference"], Any]


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


@dataclass(frozen=True)
class CheckResult:
    """The check of one line of a reference list.

    Attributes
    ----------
    line : int
        1-based line number in the file.
    input : str
        The line's text (surrounding whitespace removed).
    status : str
        One of :data:`STATUSES`.
    pmid : str or None
        The record the line resolved to; ``None`` when not found or ambiguous.
    mismatches : tuple of str
        Fields (of :data:`FIELDS`) on which the line disagrees with the record.
    candidates : tuple of str
        For ``ambiguous``: the PMIDs that fit equally well (not part of the
        JSON/CSV output, whose keys are the contract's).
    mismatch_values : tuple of (field, reference's value, record's value)
        For each mismatch, what the line says and what the record says
        (``("year", "2008", "2007")``), so that the author can correct it.
    note : str
        A hint for the reader: for ``not_found`` in replay mode, that the
        record is not in the snapshot and a live check may find it.
    """

    line: int
    input: str
    status: str
    pmid: str | None = None
    mismatches: tuple[str, ...] = ()
    candidates: tuple[str, ...] = field(default=())
    mismatch_values: tuple[tuple[str, str, str], ...] = field(default=())
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The contract's object (``line``, ``input``, ``status``, ``pmid``, ``mismatches``), then
        ``mismatch_values`` (field -> ``{"reference": ..., "record": ...}``) and ``note``."""
        return {"line": self.line, "input": self.input, "status": self.status,
                "pmid": self.pmid, "mismatches": list(self.mismatches),
                "mismatch_values": {f: {"reference": given, "record": theirs}
                                    for f, given, theirs in self.mismatch_values},
                "note": self.note}

    def record_text(self) -> str:
        """The record's values for the mismatched fields: ``year 2007; journal Clin J Pain``."""
        return "; ".join(f"{f} {theirs}" for f, _, theirs in self.mismatch_values)


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


# -- comparing -------------------------------------------------------------------
def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits, single-spaced: for comparisons."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _title_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _trigrams(text: str) -> list[str]:
    return [text[i:i + 3] for i in range(len(text) - 2)]


def _may_reach(needle_trigrams: Sequence[str], hay_trigrams: set[str], n: int, threshold: float) -> bool:
    """False only when no same-length stretch of the hay can be ``threshold``-similar to the needle.

    Notes
    -----
    For two strings of length ``n``, SequenceMatcher's ratio is ``M / n``
    with ``M`` matched characters in matching blocks. Ratio ``t`` leaves at
    most ``(1 - t) n`` characters unmatched on each side, so there are at
    most ``2 (1 - t) n + 1`` blocks, and a block of ``b`` characters holds
    ``b - 2`` of the needle's trigrams, all present in the stretch. So at
    least ``(5t - 4) n - 2`` of the needle's trigram positions occur in the
    hay's trigrams; fewer rule the record out without running difflib
    (linear time instead of difflib's quadratic worst case).
    """
    need = (5 * threshold - 4) * n - 2
    if need <= 0:
        return True
    found = sum(t in hay_trigrams for t in needle_trigrams)
    return found >= need


def _partial_similarity(needle: str, hay: str) -> float:
    """Best similarity of ``needle`` with a same-length stretch of ``hay``."""
    if not needle or not hay:
        return 0.0
    if len(needle) >= len(hay):
        return _title_similarity(needle, hay)
    best = 0.0
    for a, b, size in SequenceMatcher(None, needle, hay, autojunk=False).get_matching_blocks():
        if not size:
            continue
        start = max(0, min(b - a, len(hay) - len(needle)))
        best = max(best, _title_similarity(needle, hay[start:start + len(needle)]))
        if best >= 0.999:
            break
    return best


_JOURNAL_STOP = frozenset({"the", "of", "and", "for", "in", "on", "la", "de", "der", "und", "et"})


def _journal_forms(name: str) -> set[str]:
    folded = _fold(name)
    forms = {folded, re.sub(r"^the ", "", folded)}
    bare = re.sub(r"\([^)]*\)", " ", name)  # "Spine (Phila Pa 1976)" -> "Spine"
    forms.add(_fold(bare))
    return {f for f in forms if f}


def _abbreviates(abbrev: str, full: str) -> bool:
    """Each word of ``abbrev`` begins the matching word of ``full`` (stop words skipped)."""
    a = [w for w in _fold(abbrev).split() if w not in _JOURNAL_STOP]
    f = [w for w in _fold(re.sub(r"\([^)]*\)", " ", full)).split() if w not in _JOURNAL_STOP]
    return bool(a) and len(a) == len(f) and all(y.startswith(x) for x, y in zip(a, f))


def _journal_agrees(given: str, record: Mapping[str, Any]) -> bool | None:
    names = [n for n in (record.get("journal_iso"), record.get("journal")) if n]
    if not names:
        return None
    mine = _journal_forms(given)
    if any(mine & _journal_forms(n) for n in names):
        return True
    return any(_abbreviates(given, n) or _abbreviates(n, given) for n in names)


def _record_family(first_author: str) -> str:
    person = split_name(first_author)
    return person[0] if person else first_author


def _author_agrees(given: str, record: Mapping[str, Any]) -> bool | None:
    first = record.get("first_author") or ""
    if not first:
        return None
    return _fold(given).replace(" ", "") == _fold(_record_family(first)).replace(" ", "")


def _year_agrees(given: int, record: Mapping[str, Any]) -> bool | None:
    years = set()
    if record.get("year") is not None:
        years.add(int(record["year"]))
    electronic = str(record.get("article_date") or "")[:4]
    if electronic.isdigit():
        years.add(int(electronic))
    if not years:
        return None
    return given in years


def _is_retracted(record: Mapping[str, Any]) -> bool:
    types = [t.strip() for t in str(record.get("publication_types") or "").split(";")]
    return "Retracted Publication" in types or bool(record.get("retracted"))


def _records_list(frame: Any) -> list[dict]:
    """Rows as plain dicts, missing values (NaN, NA, None) as None, PMIDs as text."""
    if frame is None:
        return []
    rows = frame.to_dict("records") if hasattr(frame, "to_dict") else [dict(r) for r in frame]
    out = []
    for row in rows:
        clean = {key: None if _missing(value) else value for key, value in row.items()}
        clean["pmid"] = str(clean.get("pmid") or "").strip()
        out.append(clean)
    return out


class _Index:
    """The records, prepared once for many lookups."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records
        self.by_pmid: dict[str, list[dict]] = {}
        self.by_doi: dict[str, list[dict]] = {}
        self.by_pmcid: dict[str, list[dict]] = {}
        for rec in records:
            self.by_pmid.setdefault(rec["pmid"], []).append(rec)
            if rec.get("doi"):
                self.by_doi.setdefault(str(rec["doi"]).strip().lower(), []).append(rec)
            if rec.get("pmcid"):
                self.by_pmcid.setdefault(str(rec["pmcid"]).strip().upper(), []).append(rec)
        self.titles = [_fold(rec.get("title") or rec.get("book_title") or "") for rec in records]


@dataclass(frozen=True)
class _Outcome:
    status: str  # "resolved" | "not_found" | "ambiguous"
    record: dict | None = None
    candidates: tuple[str, ...] = ()
    title_similarity: float | None = None
    journal_in_title: bool = False


@dataclass(frozen=True)
class _Fit:
    score: float
    similarity: float | None  # None: the line states no title to compare
    record: dict
    journal_in_title: bool = False


def _score(ref: Reference, record: dict, similarity: float, journal: str | None) -> float:
    score = similarity
    if ref.first_author and _author_agrees(ref.first_author, record):
        score += 0.1
    if ref.year is not None and _year_agrees(ref.year, record):
        score += 0.1
    if journal and _journal_agrees(journal, record):
        score += 0.05
    return score


def _best(fits: list[_Fit]) -> _Outcome:
    """The best fit; several records with the same best score are ambiguous."""
    if not fits:
        return _Outcome("not_found")
    top = max(f.score for f in fits)
    winners = [f for f in fits if top - f.score <= _TIE]
    pmids = tuple(dict.fromkeys(f.record["pmid"] for f in winners))
    if len(pmids) > 1:
        return _Outcome("ambiguous", candidates=pmids)
    win = winners[0]
    return _Outcome("resolved", win.record, title_similarity=win.similarity,
                    journal_in_title=win.journal_in_title)


class _TitleMatcher:
    """Similarity of a record's title to the line's title.

    A Vancouver title with a "?" or "." inside ("...for Chronic Pain? Review
    and ...") can be split so that its second part is read as the journal;
    the title plus that "journal" is tried too, and when it fits better the
    journal is taken as part of the title (and not compared).
    """

    def __init__(self, ref: Reference) -> None:
        self.variants: list[tuple[SequenceMatcher, bool]] = []
        if ref.title:
            forms = [(_fold(ref.title), False)]
            if ref.journal and ref.style == "vancouver":
                forms.append((_fold(f"{ref.title} {ref.journal}"), True))
            for text, swallowed in forms:
                matcher = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(text)
                self.variants.append((matcher, swallowed))

    def __bool__(self) -> bool:
        return bool(self.variants)

    def __call__(self, title: str, floor: float = 0.0) -> tuple[float, bool]:
        best, swallowed = 0.0, False
        for matcher, joined in self.variants:
            matcher.set_seq1(title)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            sim = matcher.ratio()
            if sim > best:
                best, swallowed = sim, joined
        return best, swallowed


def _resolve(ref: Reference, index: _Index, title_threshold: float) -> _Outcome:
    titles = _TitleMatcher(ref)
    # 1. identifiers
    for hits in (
        index.by_pmid.get(ref.pmid, []) if ref.pmid else [],
        index.by_doi.get(ref.doi, []) if ref.doi else [],
        index.by_pmcid.get(ref.pmcid, []) if ref.pmcid else [],
    ):
        if hits:
            fits = []
            for rec in hits:
                sim, swallowed = titles(_fold(rec.get("title") or "")) if titles else (0.0, False)
                journal = None if swallowed else ref.journal
                fits.append(_Fit(_score(ref, rec, sim, journal), sim if titles else None, rec, swallowed))
            return _best(fits)
    if ref.style in ("pmid", "doi"):
        return _Outcome("not_found")
    # 2. the citation text
    hay = _fold(_strip_identifiers(_NUMBERING.sub("", ref.text)))
    hay_trigrams = set(_trigrams(hay)) if not titles else set()
    fits = []
    for rec, title in zip(index.records, index.titles):
        if not title:
            continue
        author_ok = bool(ref.first_author) and _author_agrees(ref.first_author, rec) is True
        year_ok = ref.year is not None and _year_agrees(ref.year, rec) is True
        if titles:
            sim, swallowed = titles(title, CLOSE_TITLE)
            fits_here = sim >= title_threshold or (sim >= CLOSE_TITLE and author_ok and year_ok)
        else:
            # no title could be read: look for the record's title inside the text,
            # and ask that the first author or the year agree as well
            if not (author_ok or year_ok) or (len(title) < len(hay) and not _may_reach(
                    _trigrams(title), hay_trigrams, len(title), title_threshold)):
                continue
            sim, swallowed = _partial_similarity(title, hay), False
            fits_here = sim >= title_threshold
        if fits_here:
            journal = None if swallowed else ref.journal
            fits.append(_Fit(_score(ref, rec, sim, journal), sim if titles else None, rec, swallowed))
    return _best(fits)


def _mismatches(ref: Reference, outcome: _Outcome, title_threshold: float) -> tuple[str, ...]:
    record, similarity = outcome.record, outcome.title_similarity
    out = []
    if ref.year is not None and _year_agrees(ref.year, record) is False:
        out.append("year")
    if ref.journal and not outcome.journal_in_title and _journal_agrees(ref.journal, record) is False:
        out.append("journal")
    if ref.first_author and _author_agrees(ref.first_author, record) is False:
        out.append("first_author")
    if ref.title and similarity is not None and similarity < title_threshold:
        out.append("title")
    return tuple(out)


def _record_value(name: str, record: Mapping[str, Any]) -> str:
    """The record's value of a compared field, as text."""
    if name == "year":
        years = [str(record["year"])] if record.get("year") is not None else []
        electronic = str(record.get("article_date") or "")[:4]
        if electronic.isdigit() and electronic not in years:
            years.append(f"{electronic} (online)")
        return " or ".join(years)
    if name == "journal":
        return str(record.get("journal_iso") or record.get("journal") or "")
    if name == "first_author":
        return _record_family(str(record.get("first_author") or ""))
    return str(record.get("title") or record.get("book_title") or "")


def _given_value(name: str, ref: Reference) -> str:
    value = {"year": ref.year, "journal": ref.journal, "first_author": ref.first_author, "title": ref.title}[name]
    return "" if value is None else str(value)


#: The note on a ``not_found`` line when only the snapshot was searched.
NOT_IN_SNAPSHOT = "not in the snapshot; check live (EVIDENCE_MODE=live evidence cite-check FILE)"
#: The note on a ``not_found`` line when PubMed was searched as well.
NOT_IN_PUBMED = "not found in the snapshot or PubMed; check the reference's identifiers and title"


def _result(number: int, text: str, ref: Reference, outcome: _Outcome, title_threshold: float,
            *, live: bool = False) -> CheckResult:
    if outcome.status == "ambiguous":
        return CheckResult(number, text, "ambiguous", None, (), outcome.candidates)
    if outcome.status != "resolved":
        return CheckResult(number, text, "not_found", note=NOT_IN_PUBMED if live else NOT_IN_SNAPSHOT)
    record = outcome.record
    mismatches = _mismatches(ref, outcome, title_threshold)
    status = "retracted" if _is_retracted(record) else "mismatch" if mismatches else "ok"
    values = tuple((m, _given_value(m, ref), _record_value(m, record)) for m in mismatches)
    return CheckResult(number, text, status, record["pmid"], mismatches, mismatch_values=values)


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


# -- output ------------------------------------------------------------------------
#: Columns the CSV and the results frame add after the contract's keys.
EXTRA_COLUMNS = ("record", "note")


def results_frame(results: Sequence[CheckResult]):
    """The results as a DataFrame: ``line``, ``input``, ``status``, ``pmid``, ``mismatches``
    ("; "-joined), ``candidates`` ("; "-joined), ``record`` (the record's values of the
    mismatched fields, :meth:`CheckResult.record_text`) and ``note``."""
    frame = pd.DataFrame(
        {
            "line": [r.line for r in results],
            "input": [r.input for r in results],
            "status": [r.status for r in results],
            "pmid": [r.pmid for r in results],
            "mismatches": ["; ".join(r.mismatches) for r in results],
            "candidates": ["; ".join(r.candidates) for r in results],
            "record": [r.record_text() for r in results],
            "note": [r.note for r in results],
        },
        columns=["line", "input", "status", "pmid", "mismatches", "candidates", *EXTRA_COLUMNS],
    )
    frame["line"] = frame["line"].astype("int64")
    return frame


def format_json(results: Sequence[CheckResult]) -> str:
    """The contract's JSON: a list with one object per reference: the keys :data:`JSON_KEYS`,
    then ``mismatch_values`` and ``note`` (:meth:`CheckResult.to_dict`)."""
    return json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False) + "\n"


def format_csv(results: Sequence[CheckResult]) -> str:
    """CSV with the JSON's columns, then ``record`` and ``note``; ``mismatches`` "; "-joined,
    ``pmid`` empty when none. Cells that a spreadsheet would run as a formula are neutralised
    (:func:`evidence.escape.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((*JSON_KEYS, *EXTRA_COLUMNS))
    for r in results:
        writer.writerow([csv_cell(v) for v in (r.line, r.input, r.status, r.pmid or "", "; ".join(r.mismatches),
                                            r.record_text(), r.note)])
    return buffer.getvalue()


def format_table(results: Sequence[CheckResult], *, width: int = 60) -> str:
    """An aligned plain-text table for a terminal, with notes and a one-line summary below it.

    Parameters
    ----------
    results : sequence of CheckResult
    width : int
        The ``input`` column is cut to this many characters (with "…").

    Notes
    -----
    The ``record`` column gives the record's value of each mismatched field
    (``year 2007``); a ``not_found`` line gets its note under the table.
    """
    if width < 10:
        raise ValueError(f"width must be at least 10, got {width}")
    header = ["line", "status", "pmid", "mismatches", "record", "input"]
    rows = []
    for r in results:
        # terminal_text: no escape codes or line breaks from the input reach the terminal;
        # split/join: a tab or run of spaces would break the columns
        text = " ".join(terminal_text(r.input).split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        pmid = r.pmid or ("?" + "|".join(r.candidates) if r.candidates else "-")
        record = " ".join(terminal_text(r.record_text()).split())
        record = record if len(record) <= width else record[: width - 1] + "…"
        rows.append([str(r.line), r.status, pmid, ", ".join(r.mismatches) or "-", record or "-", text])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {0}

    def fmt(row: list[str]) -> str:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()

    lines = [fmt(header), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in rows]
    notes = [f"line {r.line}: {terminal_text(r.note)}" for r in results if r.note]
    if notes:
        lines += [""] + notes
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append("")
    lines.append(f"{len(results)} reference{'s' if len(results) != 1 else ''}" + (f": {summary}" if summary else ""))
    return "\n".join(lines) + "\n"


#: Statuses that make ``evidence cite-check --strict`` exit 1.
STRICT_FAILURES = ("mismatch", "not_found")

"""Resolving a reference to a record, and comparing what the two say.

Steps 1 and 2 of "How a line is resolved" in :mod:`evidence.citecheck`, and
the comparison after it: the records indexed once by PMID, DOI and PMCID;
titles scored with :class:`difflib.SequenceMatcher` (a trigram count first
rules out, in linear time, records whose title cannot be in the text); the
year, journal, first author and title of a resolved line compared with the
record's; one line's :class:`~evidence.citecheck_results.CheckResult` made
from the outcome.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Mapping, Sequence

from .cite_fields import _missing, split_name
from .citecheck_parse import _NUMBERING, Reference, _strip_identifiers
from .citecheck_results import CheckResult


#: Title similarity at or above which two titles are the same title.
TITLE_THRESHOLD = 0.9
#: Title similarity at or above which a record fits when first author and year agree.
CLOSE_TITLE = 0.75
_TIE = 1e-9


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

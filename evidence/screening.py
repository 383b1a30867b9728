"""Screening: deduplicate search results, apply the eligibility criteria, count for PRISMA.

The steps, one function each:

1. :func:`deduplicate` -- records from several searches become one set of unique
   records: two records are the same when they share a PMID or a DOI (case and
   ``https://doi.org/`` ignored), also through a third record.
2. :func:`screen` -- each unique record is classified (:mod:`evidence.designs`)
   and checked against the criteria in ``data/eligibility.yaml``
   (:func:`load_criteria`); every exclusion gets a reason.
3. :func:`prisma_counts` -- the PRISMA 2020 flow numbers (identified,
   duplicates removed, screened, excluded with reasons, included), drawn by
   :func:`evidence.plots.prisma_flow`.

In replay mode no recorded search exists, so the records "identified" are the
assembled snapshot's records and the flow diagram must say so: pass
``source_label=SNAPSHOT_SOURCE_LABEL``. A record-mode run passes the searches'
own names and counts.

Screening here is on titles, abstracts and indexing only. The PRISMA stages
for full reports (sought, not retrieved, assessed for eligibility) are not
reached; the counts say "records", never "reports".

References
----------
Page, M. J., McKenzie, J. E., Bossuyt, P. M., et al. (2021). The PRISMA 2020
statement: an updated guideline for reporting systematic reviews. BMJ, 372, n71.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ._yaml import load_yaml
from . import designs as _designs
from .errors import DataError
from .plots import prisma_flow as _draw

__all__ = [
    "SNAPSHOT_SOURCE_LABEL",
    "Criteria",
    "Question",
    "Deduplication",
    "Screening",
    "PrismaCounts",
    "load_criteria",
    "normalise_doi",
    "deduplicate",
    "screen",
    "prisma_counts",
    "prisma_flow",
]

#: What the "identified" box says in replay mode: there is no recorded search to count.
SNAPSHOT_SOURCE_LABEL = "Records in the assembled snapshot (no recorded search)"

_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


# ----------------------------------------------------------------------------------------------
# criteria


@dataclass(frozen=True)
class Question:
    """One review question: which conditions (and topic) a record must have.

    Attributes
    ----------
    name : str
    description : str
    conditions : tuple of str or None
        Eligible conditions; None means any condition.
    topic : tuple of str
        Regular expressions; when given, one must match the title or keywords.
    reason : str
        Exclusion reason for a record that fails this question.
    """

    name: str
    description: str
    conditions: tuple[str, ...] | None
    topic: tuple[str, ...]
    reason: str

    def accepts(self, condition: str, subject: str) -> bool:
        """Whether a record with this condition and title+keywords text answers the question."""
        if self.conditions is not None and condition not in self.conditions:
            return False
        return not self.topic or any(re.search(p, subject, re.IGNORECASE) for p in self.topic)


@dataclass(frozen=True)
class Criteria:
    """The eligibility criteria, as read from ``eligibility.yaml``.

    Attributes
    ----------
    languages : tuple of str or None
        PubMed language codes that pass; None: every language.
    language_reason : str
    humans_only : bool
    participants_reason : str
    design_questions : dict
        Design -> tuple of question names it can answer (eligible designs).
    design_reasons : dict
        Design -> exclusion reason (ineligible designs).
    questions : dict
        Question name -> :class:`Question`.
    source : str
        The file the criteria came from.
    """

    languages: tuple[str, ...] | None
    language_reason: str
    humans_only: bool
    participants_reason: str
    design_questions: Mapping[str, tuple[str, ...]]
    design_reasons: Mapping[str, str]
    questions: Mapping[str, Question]
    source: str

    def summary_frame(self):
        """One row per design: eligible or not, its questions, or its exclusion reason."""
        rows = []
        for design in _designs.DESIGNS:
            qs = self.design_questions.get(design, ())
            rows.append({"design": design, "eligible": bool(qs), "questions": ", ".join(qs),
                         "exclusion_reason": self.design_reasons.get(design, "")})
        return pd.DataFrame(rows).set_index("design")


def _require(mapping: Any, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise DataError(f"{where}: missing {key!r}")
    return mapping[key]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: expected a non-empty text, got {value!r}")
    return value.strip()


def load_criteria(path: str | Path) -> Criteria:
    """Read and check the eligibility criteria.

    Parameters
    ----------
    path : str or Path
        A YAML file in the layout of ``data/eligibility.yaml`` (the review's:
        :func:`evidence.review.load_criteria`).

    Returns
    -------
    Criteria

    Raises
    ------
    DataError
        When the file is missing, not YAML, or names a design, condition or
        question that does not exist (the message names the key).
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such eligibility file")
    raw = load_yaml(path)  # no aliases, no duplicate keys, bounded size (evidence._yaml)
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected a mapping at the top level")
    where = str(path)

    langs = _require(raw, "languages", where)
    include = _require(langs, "include", f"{where}: languages")
    if include in (None, "any"):
        languages = None
    elif isinstance(include, list) and all(isinstance(x, str) for x in include):
        languages = tuple(x.strip().lower() for x in include)
    else:
        raise DataError(f"{where}: languages.include must be a list of language codes or 'any'")
    language_reason = _text(_require(langs, "reason", f"{where}: languages"),
                            f"{where}: languages.reason")

    part = _require(raw, "participants", where)
    humans_only = _require(part, "humans_only", f"{where}: participants")
    if not isinstance(humans_only, bool):
        raise DataError(f"{where}: participants.humans_only must be true or false")
    participants_reason = _text(_require(part, "reason", f"{where}: participants"),
                                f"{where}: participants.reason")

    raw_questions = _require(raw, "questions", where)
    if not isinstance(raw_questions, dict) or not raw_questions:
        raise DataError(f"{where}: questions must be a mapping of at least one question")
    questions: dict[str, Question] = {}
    for name, q in raw_questions.items():
        qwhere = f"{where}: questions.{name}"
        conditions = _require(q, "conditions", qwhere)
        if conditions == "any":
            conds = None
        elif isinstance(conditions, list) and conditions:
            bad = [c for c in conditions if c not in _designs.CONDITIONS]
            if bad:
                raise DataError(f"{qwhere}.conditions: {bad[0]!r} is not one of "
                                f"{', '.join(_designs.CONDITIONS)}")
            conds = tuple(conditions)
        else:
            raise DataError(f"{qwhere}.conditions must be a list of conditions or 'any'")
        topic = q.get("topic") or []
        if not isinstance(topic, list) or not all(isinstance(t, str) for t in topic):
            raise DataError(f"{qwhere}.topic must be a list of regular expressions")
        for pattern in topic:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DataError(
                    f"{qwhere}.topic: {pattern!r} is not a regular expression ({exc})") from None
        questions[str(name)] = Question(
            name=str(name), description=str(q.get("description", "")).strip(), conditions=conds,
            topic=tuple(topic), reason=_text(_require(q, "reason", qwhere), f"{qwhere}.reason"))

    raw_designs = _require(raw, "designs", where)
    design_questions: dict[str, tuple[str, ...]] = {}
    design_reasons: dict[str, str] = {}
    for design in _designs.DESIGNS:
        if not isinstance(raw_designs, dict) or design not in raw_designs:
            raise DataError(f"{where}: designs.{design} is missing (give its questions or the "
                            "reason it is excluded)")
        value = raw_designs[design]
        if isinstance(value, list):
            unknown = [q for q in value if q not in questions]
            if unknown or not value:
                raise DataError(f"{where}: designs.{design} names question "
                                f"{(unknown or ['(none)'])[0]!r}; questions are "
                                f"{', '.join(questions)}")
            design_questions[design] = tuple(value)
        else:
            design_reasons[design] = _text(value, f"{where}: designs.{design}")
    extra = set(raw_designs) - set(_designs.DESIGNS)
    if extra:
        raise DataError(f"{where}: designs.{sorted(extra)[0]} is not a design; designs are "
                        f"{', '.join(_designs.DESIGNS)}")
    return Criteria(languages=languages, language_reason=language_reason,
                    humans_only=humans_only, participants_reason=participants_reason,
                    design_questions=design_questions, design_reasons=design_reasons,
                    questions=questions, source=where)


# ----------------------------------------------------------------------------------------------
# deduplication


def normalise_doi(doi: Any) -> str:
    """A DOI as a comparison key: trimmed, lower case, without ``https://doi.org/`` or ``doi:``."""
    text = _designs._str(doi).strip()
    return _DOI_PREFIX.sub("", text).strip().lower()


@dataclass(frozen=True, eq=False)
class Deduplication:
    """Unique records from several searches.

    Attributes
    ----------
    records : pandas.DataFrame
        One row per unique record (the first occurrence, in search order),
        with ``queries``: the searches that found it, "; "-joined.
    identified : int
        Records in all searches together, before deduplication.
    identified_by_source : tuple of (str, int)
        Records per search, in the order given.
    duplicates : pandas.DataFrame
        One row per record removed: ``query``, ``pmid``, ``doi``,
        ``kept_pmid`` (the record it duplicates), ``matched_on``
        (``pmid``, ``doi``, or ``linked`` when joined through a third record).
    """

    records: Any
    identified: int
    identified_by_source: tuple[tuple[str, int], ...]
    duplicates: Any

    @property
    def duplicates_removed(self) -> int:
        """Number of records removed as duplicates."""
        return len(self.duplicates)

    def summary_frame(self):
        """Records per search, the total, duplicates removed and unique records."""
        rows = [{"item": f"identified: {name}", "n": n} for name, n in self.identified_by_source]
        rows += [{"item": "identified (all searches)", "n": self.identified},
                 {"item": "duplicates removed", "n": self.duplicates_removed},
                 {"item": "unique records", "n": len(self.records)}]
        return pd.DataFrame(rows).set_index("item")


def _stack(results):
    """One frame with a ``query`` column, and the search names in order."""
    if isinstance(results, pd.DataFrame):
        if "query" not in results.columns:
            raise DataError("the records frame has no 'query' column: pass a list of "
                            "(query_name, records) pairs, or add the column")
        frame = results.reset_index(drop=True)
        names = list(dict.fromkeys(frame["query"].astype(str)))
        return frame.assign(query=frame["query"].astype(str)), names
    parts, names = [], []
    for item in results:
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise DataError("each search result must be a (query_name, records_frame) pair")
        name, frame = item
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"search {name!r}: expected a records DataFrame, got "
                            f"{type(frame).__name__}")
        names.append(str(name))
        parts.append(frame.assign(query=str(name)))
    if len(set(names)) != len(names):
        raise DataError("two searches have the same name; names must be unique")
    if not parts:
        raise DataError("no search results given")
    return pd.concat(parts, ignore_index=True), names


def deduplicate(results) -> Deduplication:
    """Merge the records of several searches, removing duplicates by PMID and DOI.

    Parameters
    ----------
    results : list of (str, DataFrame) or DataFrame
        Each search's name and its records table, in the order the searches
        were run; or one concatenated table with a ``query`` column.

    Returns
    -------
    Deduplication

    Notes
    -----
    Two records are duplicates when their PMIDs are equal, or their DOIs are
    equal after :func:`normalise_doi`; the relation is closed transitively
    (A and C are duplicates when both match B). Of each group the first
    record in search order is kept. Records with neither PMID nor DOI are
    never merged.
    """
    frame, names = _stack(results)
    if "pmid" not in frame.columns:
        raise DataError("the records have no 'pmid' column")
    pmids = [_designs._str(p).strip() for p in frame["pmid"]]
    dois = [normalise_doi(d) for d in frame["doi"]] if "doi" in frame.columns else [""] * len(frame)
    parent = list(range(len(frame)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first: dict[tuple[str, str], int] = {}
    for i, (pmid, doi) in enumerate(zip(pmids, dois)):
        for key in (("pmid", pmid), ("doi", doi)):
            if key[1]:
                if key in first:
                    union(i, first[key])
                else:
                    first[key] = i

    roots = [find(i) for i in range(len(frame))]
    queries: dict[int, list[str]] = {}
    for i, root in enumerate(roots):
        queries.setdefault(root, [])
        if frame.at[i, "query"] not in queries[root]:
            queries[root].append(frame.at[i, "query"])
    keep = [i for i, root in enumerate(roots) if root == i]
    dup_rows = []
    for i, root in enumerate(roots):
        if root == i:
            continue
        if pmids[i] and pmids[i] == pmids[root]:
            how = "pmid"
        elif dois[i] and dois[i] == dois[root]:
            how = "doi"
        else:
            how = "linked"
        dup_rows.append({"query": frame.at[i, "query"], "pmid": pmids[i],
                         "doi": _designs._str(frame.at[i, "doi"]) if "doi" in frame.columns else "",
                         "kept_pmid": pmids[root], "matched_on": how})
    unique = frame.loc[keep].copy()
    unique["queries"] = ["; ".join(queries[i]) for i in keep]
    unique = unique.drop(columns=["query"]).reset_index(drop=True)
    counts = frame["query"].value_counts()
    by_source = tuple((name, int(counts.get(name, 0))) for name in names)
    duplicates = pd.DataFrame(dup_rows, columns=["query", "pmid", "doi", "kept_pmid", "matched_on"])
    return Deduplication(records=unique, identified=len(frame), identified_by_source=by_source,
                         duplicates=duplicates)


# ----------------------------------------------------------------------------------------------
# screening


@dataclass(frozen=True, eq=False)
class Screening:
    """Eligibility decisions, one per record.

    Attributes
    ----------
    decisions : pandas.DataFrame
        ``pmid, title, year, design, condition, comparator, included,
        questions, reason``: ``questions`` the questions an included record
        answers ("; "-joined), ``reason`` why an excluded record was excluded
        (empty for included records).
    criteria : Criteria
        The criteria applied.
    """

    decisions: Any
    criteria: Criteria

    @property
    def included(self):
        """Decisions of the included records."""
        return self.decisions[self.decisions["included"]].reset_index(drop=True)

    @property
    def excluded(self):
        """Decisions of the excluded records."""
        return self.decisions[~self.decisions["included"]].reset_index(drop=True)

    def reasons(self):
        """Exclusions per reason, most frequent first (ties in order of first appearance)."""
        excluded = self.excluded
        counts = excluded["reason"].value_counts(sort=False)
        order = sorted(counts.index, key=lambda r: (-counts[r], list(excluded["reason"]).index(r)))
        return counts.reindex(order).rename("n").rename_axis("reason")

    def summary_frame(self):
        """Screened, excluded (in total and per reason) and included records."""
        rows = [{"item": "records screened", "n": len(self.decisions)},
                {"item": "records excluded", "n": len(self.excluded)}]
        rows += [{"item": f"excluded: {reason}", "n": int(n)}
                 for reason, n in self.reasons().items()]
        rows.append({"item": "records included", "n": len(self.included)})
        return pd.DataFrame(rows).set_index("item")


def _languages(value: Any) -> list[str]:
    return [x.strip().lower() for x in re.split(r"[;,]", _designs._str(value)) if x.strip()]


def screen(records, *, criteria: Criteria | str | Path, classified=None) -> Screening:
    """Apply the eligibility criteria to every record, with a reason for each exclusion.

    Parameters
    ----------
    records : pandas.DataFrame
        Unique records (:attr:`Deduplication.records` or a records table).
    criteria : Criteria, str or Path
        The criteria or a YAML file (the review's: :func:`evidence.review.load_criteria`).
    classified : pandas.DataFrame, optional
        :func:`evidence.designs.classify` output for these records; computed
        when omitted.

    Returns
    -------
    Screening

    Notes
    -----
    Criteria are checked in the file's order: language, participants,
    design, then the questions the design can answer (condition and topic).
    The first one failed is the reason. A record whose design answers
    several questions is included when it meets any of them; when it meets
    none, the reason is that of the first question listed for its design.
    """
    if not isinstance(criteria, Criteria):
        criteria = load_criteria(criteria)
    if classified is None:
        classified = _designs.classify(records, columns="detail")
    by_pmid = classified.drop_duplicates("pmid").set_index("pmid")
    missing = [p for p in records["pmid"].astype(str) if p not in by_pmid.index]
    if missing:
        raise DataError(f"classified has no row for PMID {missing[0]}: classify these records")

    rows = []
    for rec in records.to_dict("records"):
        pmid = _designs._str(rec.get("pmid"))
        cls = by_pmid.loc[pmid]
        design, condition = cls["design"], cls["condition"]
        subject = "\n".join(_designs._str(rec.get(k)) for k in ("title", "keywords"))
        reason, answered = "", []
        langs = _languages(rec.get("language"))
        if criteria.languages is not None and langs and not set(langs) & set(criteria.languages):
            reason = f"{criteria.language_reason} ({', '.join(langs)})"
        elif criteria.humans_only and not _designs.studies_humans(rec):
            reason = criteria.participants_reason
        elif design not in criteria.design_questions:
            reason = criteria.design_reasons[design]
        else:
            names = criteria.design_questions[design]
            answered = [q for q in names if criteria.questions[q].accepts(condition, subject)]
            if not answered:
                first = criteria.questions[names[0]]
                reason = (f"{first.reason} ({condition})" if first.conditions is not None
                          and condition not in first.conditions else first.reason)
        rows.append({"pmid": pmid, "title": _designs._str(rec.get("title")),
                     "year": rec.get("year"), "design": design, "condition": condition,
                     "comparator": cls["comparator"], "included": not reason,
                     "questions": "; ".join(answered), "reason": reason})
    decisions = pd.DataFrame(rows, columns=["pmid", "title", "year", "design", "condition",
                                            "comparator", "included", "questions", "reason"])
    decisions["included"] = decisions["included"].astype(bool)
    return Screening(decisions=decisions, criteria=criteria)


# ----------------------------------------------------------------------------------------------
# PRISMA counts


@dataclass(frozen=True)
class PrismaCounts:
    """The numbers of a PRISMA 2020 flow diagram (title/abstract screening only).

    Attributes
    ----------
    source_label : str
        What the "identified" records are (e.g. :data:`SNAPSHOT_SOURCE_LABEL`
        in replay, the database and search date in record mode).
    identified : int
    identified_by_source : tuple of (str, int)
    duplicates_removed : int
    screened : int
    excluded : int
    excluded_by_reason : tuple of (str, int)
    included : int
    included_by_design : tuple of (str, int)

    Raises
    ------
    ValueError
        When the numbers do not add up (identified - duplicates = screened,
        screened - excluded = included, reasons sum to excluded).
    """

    source_label: str
    identified: int
    identified_by_source: tuple[tuple[str, int], ...]
    duplicates_removed: int
    screened: int
    excluded: int
    excluded_by_reason: tuple[tuple[str, int], ...]
    included: int
    included_by_design: tuple[tuple[str, int], ...]

    def __post_init__(self):
        if not isinstance(self.source_label, str) or not self.source_label.strip():
            raise ValueError("source_label must say what the identified records are; got "
                             f"{self.source_label!r}")
        if self.identified - self.duplicates_removed != self.screened:
            raise ValueError(f"identified ({self.identified}) - duplicates removed "
                             f"({self.duplicates_removed}) != screened ({self.screened})")
        if self.screened - self.excluded != self.included:
            raise ValueError(f"screened ({self.screened}) - excluded ({self.excluded}) != "
                             f"included ({self.included})")
        if sum(n for _, n in self.excluded_by_reason) != self.excluded:
            raise ValueError("the exclusion reasons do not add up to the records excluded")
        if sum(n for _, n in self.included_by_design) != self.included:
            raise ValueError("the designs of the included records do not add up to included")

    def summary_frame(self):
        """The flow's numbers as a table: ``stage``, ``item``, ``n``."""
        rows = [("identification", self.source_label, self.identified)]
        if len(self.identified_by_source) > 1:
            rows += [("identification", f"  {name}", n) for name, n in self.identified_by_source]
        rows += [("identification", "duplicate records removed", self.duplicates_removed),
                 ("screening", "records screened", self.screened),
                 ("screening", "records excluded", self.excluded)]
        rows += [("screening", f"  {reason}", n) for reason, n in self.excluded_by_reason]
        rows.append(("included", "records included", self.included))
        rows += [("included", f"  {design}", n) for design, n in self.included_by_design]
        return pd.DataFrame(rows, columns=["stage", "item", "n"])


def prisma_counts(dedup: Deduplication, screening: Screening, *, source_label: str) -> PrismaCounts:
    """The PRISMA 2020 numbers from a deduplication and a screening.

    Parameters
    ----------
    dedup : Deduplication
    screening : Screening
        The screening of ``dedup.records``.
    source_label : str
        What was identified. In replay mode use :data:`SNAPSHOT_SOURCE_LABEL`:
        the snapshot was assembled, not searched, and the box must not look
        like a database search.

    Returns
    -------
    PrismaCounts
    """
    if not isinstance(source_label, str) or not source_label.strip():
        raise ValueError("source_label must be a non-empty text saying what was identified, e.g. "
                         f"{SNAPSHOT_SOURCE_LABEL!r}")
    if len(screening.decisions) != len(dedup.records):
        raise DataError(f"the screening has {len(screening.decisions)} records but the "
                        f"deduplication kept {len(dedup.records)}: screen dedup.records")
    reasons = tuple((str(r), int(n)) for r, n in screening.reasons().items())
    included = screening.included
    by_design = tuple((d, int((included["design"] == d).sum())) for d in _designs.DESIGNS
                      if (included["design"] == d).any())
    return PrismaCounts(
        source_label=source_label.strip(), identified=dedup.identified,
        identified_by_source=dedup.identified_by_source,
        duplicates_removed=dedup.duplicates_removed, screened=len(screening.decisions),
        excluded=len(screening.excluded), excluded_by_reason=reasons, included=len(included),
        included_by_design=by_design)


def prisma_flow(counts: PrismaCounts, *, ax=None):
    """Draw the PRISMA flow diagram; see :func:`evidence.plots.prisma_flow`."""
    return _draw(counts, ax=ax)

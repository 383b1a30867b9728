"""Check the article's claims against the evidence: verdicts, certainty and citations.

The claims are data (``data/claims.yaml``). For the clinical claims the
verdict rests on the **summary of findings** (:mod:`evidence.grade`): the
rows whose condition, comparison, outcome and timepoint match the claim's
``sof`` block. The certainty of a verdict is the GRADE certainty of the
row(s) it rests on; counting significant results plays no part. Mechanism,
method and safety claims have no summary-of-findings rows: for them the
verdict follows the documented design hierarchy below. Every decision is a
:class:`Decision` (verdict, certainty, rule, the rows it rests on, per-part
verdicts, and the notes of its summary), made by one function per claim
kind.

Direction of a summary-of-findings row (:func:`row_direction`, for tables)
----------------------------------------------------------------------
A row shows a **benefit** when its confidence interval excludes no effect on
the side that is better for patients (lower pain, fewer headache days; more
responders, more range of motion: :data:`HIGHER_IS_BETTER`), **no
difference** when the interval includes no effect, **harm** otherwise, and
is **not pooled** when it has no estimate (e.g. I² > 75% with fewer than five
studies). A row of results reported without usable numbers
(``null_results.csv``) takes the direction its studies report (**mixed**
when they differ). No effect is 1 for the ratio measures
(:data:`evidence.extraction.RATIO_MEASURES`, one vocabulary for RR, OR and
their generic forms) and 0 otherwise.

Size of an effect: the MID, not "the CI excludes zero"
------------------------------------------------------
Each row's estimate and CI are judged against its minimal important
difference (:func:`evidence.statements.magnitude`; GRADE guidance 34, Zeng
2022; GRADE guidelines 6): an **important benefit** (the CI excludes no effect
and the point estimate reaches the MID), a **small benefit** (below the MID),
**little or no difference** (the whole CI inside ±MID, even when it excludes
zero), **imprecise** (the CI includes no effect and reaches beyond the MID;
it counts by its point estimate, as GRADE's statements do, its width being
in the certainty), **possible harm**; without an accepted MID the null is the
threshold and a benefit's importance is "not judged" (said in the summary).
Each row carries GRADE's informative statement (Santesso 2020;
:func:`evidence.statements.informative_statement`), and so does each verdict
(``statement_en``/``statement_nl``: the statements of the rows it rests on).

Best evidence, and nulls weighed like positives
-----------------------------------------------
The rows a verdict rests on (:func:`best_evidence`) are those of the highest
certainty **and** every row of results reported without usable numbers that
answers the same question (comparison x condition x outcome): such a row
loses two levels for imprecision because it has no interval, so ranking by
certainty alone would drop null results while positive ones, reported with
numbers, stay (Cochrane Handbook 12.2.2.3: count them by the direction of
their effect). A claim resting on a mix names both sides in its summary.

Verdict rules (by the claim's ``asserts.kind``)
-----------------------------------------------
efficacy
    On the rows the verdict rests on. None shows a benefit of any size:
    ``not_supported``. Otherwise, at very low certainty: ``overstated``
    (GRADE: "the evidence is very uncertain"). Only studies without numbers
    that disagree: ``supported_with_caveats``. Benefits, all below the MID:
    an unhedged claim is ``overstated`` (it asserts an effect that matters;
    GRADE would say "slightly"), a hedged one ``supported_with_caveats`` (its
    "may" is right, its missing "slightly" is the caveat). Every row an
    important benefit: ``supported`` when the certainty matches the claim's
    wording (GRADE guidelines 26: "may" is low certainty's word, so a hedged
    claim needs low certainty; an unhedged one, "reduces", moderate or high),
    ``supported_with_caveats`` when it is lower. Important benefits beside
    rows without one: ``supported_with_caveats``, both sides named.
    A verdict that changes under a sensitivity analysis of its rows (a SoF
    row's ``sensitivity``; Cochrane Handbook 10.14) says so in the summary.
durability
    The efficacy rule on the rows measured three months or more after
    randomisation, once per condition the claim names (``parts``, one per
    condition). Every condition ``supported`` → ``supported``; at least one
    supported (with or without caveats) → ``supported_with_caveats``;
    benefits only at shorter times, or long-term ones only at very low
    certainty or below the MID → ``overstated``; none → ``not_supported``.
    Certainty: the lowest certainty among the parts.
timing (early_relief)
    Rows measured right after a session (timepoint ``immediate...`` or
    ``...session...``) or from trials that gave one or two sessions
    (``data/sessions.csv``). Part ``some_patients`` (FAQ): the efficacy rule
    with the claim read as hedged. Part ``many_people`` (section 4): "many"
    is a claim about a proportion, so it needs a responder outcome; mean
    differences alone give ``overstated`` at their certainty. The claim's
    verdict is the stricter part's. No such row: ``overstated``, very low.
dose (course_6_8)
    Supported only by rows comparing courses of different lengths (the
    claim's ``sof`` block); with none, ``overstated`` at very low certainty
    (indirect), and the summary gives the session counts of all the trials
    of the claim's conditions (``data/sessions.csv``, each count with its
    verbatim source sentence).
safety
    Design hierarchy: incidence of adverse events comes from prospective
    cohorts and reviews of them, not RCTs. GRADE rates such incidence
    estimates from high (Iorio 2015); one level down because only
    abstracts were assessed. A systematic review among the direct evidence
    → ``supported``, moderate; otherwise ``supported_with_caveats``, low.
mechanism
    Mechanistic evidence cannot support a clinical claim: direct
    mechanistic or review evidence gives at most ``supported_with_caveats``,
    low certainty (very low when only narrative reviews, no primary study).
method (balance_method)
    Needs a trial comparing the method with other acupuncture: direct
    SR/RCT evidence → ``supported_with_caveats``, low; direct evidence of
    lower designs only → ``overstated``, very low.

Common rules: nothing relevant → ``no_evidence`` (certainty ``None``); only
indirect records (another method, condition or population: the claim's
``indirect`` cues) → ``not_supported`` (``overstated`` for a claim with a
specific figure), very low. No claim is ``supported`` without a systematic
review or RCT among its cited records, except safety.

Suggested rewording: an ``overstated`` or ``not_supported`` claim gets a
wording the evidence supports (``suggestion_nl``, ``suggestion_en``): the
informative statements of the rows its verdict rests on (GRADE guidelines 26
words findings for readers by certainty and size); a claim without rows gets
the plain fact (the trials' course lengths for a dose claim, "not studied"
for a method, "untested" otherwise).

Participants are never read from abstracts: they come from the summary of
findings (the extraction table's ``n_randomised``).

References
----------
Guyatt GH et al. GRADE: an emerging consensus on rating quality of evidence
and strength of recommendations. BMJ 2008;336:924-6.
Santesso N et al. GRADE guidelines 26: informative statements to
communicate the findings of systematic reviews of interventions. J Clin
Epidemiol 2020;119:126-35.
Zeng L et al. GRADE Guidance 34: update on rating imprecision using a
minimally contextualized approach. J Clin Epidemiol 2022;150:216-24.
Higgins JPT et al. (eds.). Cochrane Handbook for Systematic Reviews of
Interventions, version 6.4 (2023): 10.14 (sensitivity analyses) and 12.2.2.3
(vote counting by the direction of effect).
Iorio A et al. Use of GRADE for assessment of evidence about prognosis:
rating confidence in estimates of event rates in broad categories of
patients. BMJ 2015;350:h870.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd

from .claimsfile import (ID_PATTERN, KINDS, SESSION_COLUMNS, SESSIONS_RANGE, TIMEPOINT_SETS,  # noqa: F401
                         Claim, Part, Quote, load_claims, load_sessions)
from .designs import classify, load_labels
from .vocab import CERTAINTIES, HIGHER_IS_BETTER, VERDICTS
from .statements import REPORTED_ONLY, claim_statements, magnitude, reestimate, suggested_wording, verdict_group
from .texts import CLAIM_CERTAINTY_LABELS, CLAIM_LANGS, CLAIM_VERDICT_LABELS, claim_render
from .verdict_rules import (DECIDERS, EARLY_SESSIONS, LONG_TERM_MONTHS, Decision, Evidence,  # noqa: F401
                            PartVerdict, _Context, _decide, _DESIGN_RANK, _LEVEL, _row_dict, _rows_of, _select,
                            best_evidence, decide_dose, decide_durability, decide_efficacy, decide_mechanism,
                            decide_method, decide_safety, decide_timing, reported_results, row_direction,
                            row_statement)

__all__ = [
    "VERDICTS",
    "CERTAINTIES",
    "KINDS",
    "HIGHER_IS_BETTER",
    "Quote",
    "Part",
    "Claim",
    "Evidence",
    "PartVerdict",
    "Decision",
    "Verdict",
    "ClaimsReport",
    "load_claims",
    "load_sessions",
    "row_direction",
    "row_statement",
    "best_evidence",
    "verdict_group",
    "REPORTED_ONLY",
    "reported_results",
    "DECIDERS",
    "decide_efficacy",
    "decide_durability",
    "decide_timing",
    "decide_dose",
    "decide_safety",
    "decide_mechanism",
    "decide_method",
    "assess_claims",
    "study_table",
    "VERDICT_LABELS",
    "CERTAINTY_LABELS",
]



#: The verdict and certainty labels as shown to readers, per language (from :mod:`evidence.texts`).
VERDICT_LABELS = CLAIM_VERDICT_LABELS
CERTAINTY_LABELS = CLAIM_CERTAINTY_LABELS


# ----------------------------------------------------------------------------------------------
# verdicts


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim, with what it rests on and why."""

    id: str
    claim_nl: str
    claim_en: str
    kind: str
    verdict: str
    certainty: str | None
    pmids: tuple[str, ...]
    rule: str
    evidence: tuple[Evidence, ...]
    cut_short: tuple[str, ...]
    quotes: tuple[Quote, ...]
    query: str
    sof_rows: tuple = ()
    parts: tuple[PartVerdict, ...] = ()
    best_rows: tuple = ()
    statement_en: str = ""
    statement_nl: str = ""
    suggestion_en: str = ""
    suggestion_nl: str = ""
    sensitivity: tuple[Mapping[str, Any], ...] = ()
    _notes: tuple[tuple[str, Mapping[str, Any]], ...] = field(repr=False, default=())
    #: living review (evidence.triage): eligible studies not yet extracted that touch the claim,
    #: and warnings about retracted studies left out of its evidence
    pending_studies: int = 0
    warnings: tuple = ()

    def summary(self, lang: str = "en") -> str:
        """The summary in English (``"en"``) or Dutch (``"nl"``); evidence text stays as published."""
        if lang not in CLAIM_LANGS:
            raise ValueError(f"lang must be one of {', '.join(CLAIM_LANGS)}, got {lang!r}")
        return " ".join(_sentence(claim_render(key, params, lang)) for key, params in self._notes)

    @property
    def summary_en(self) -> str:
        return self.summary("en")

    @property
    def summary_nl(self) -> str:
        return self.summary("nl")

    def to_dict(self) -> dict:
        """The contract's object (id, claim_nl, claim_en, verdict, certainty, pmids, summary_en), plus
        ``summary_nl``, ``sof_rows`` (the rows matching the claim, each with its ``magnitude``,
        ``statement_en``, ``statement_nl`` and ``rests_on``: whether the verdict rests on it),
        ``parts`` (per-part verdicts), ``statement_en``/``statement_nl`` (GRADE's informative
        statements of the rows the verdict rests on), ``suggestion_en``/``suggestion_nl`` (a
        wording the evidence supports, for an overstated or unsupported claim; else empty) and
        ``sensitivity`` (the verdict under each sensitivity analysis of its rows)."""
        best = {id(r) for r in self.best_rows}
        return {
            "id": self.id,
            "claim_nl": self.claim_nl,
            "claim_en": self.claim_en,
            "verdict": self.verdict,
            "certainty": self.certainty,
            "pmids": list(self.pmids),
            "summary_en": self.summary_en,
            "summary_nl": self.summary_nl,
            "statement_en": self.statement_en,
            "statement_nl": self.statement_nl,
            "suggestion_en": self.suggestion_en,
            "suggestion_nl": self.suggestion_nl,
            "sof_rows": [{**_row_dict(r), **row_statement(r), "rests_on": id(r) in best} for r in self.sof_rows],
            "parts": [p.to_dict() for p in self.parts],
            "sensitivity": [dict(x) for x in self.sensitivity],
            "pending_studies": int(self.pending_studies),
            "warnings": [str(w) for w in self.warnings],
        }

    def evidence_frame(self):
        """One row per cited record: relation, design, condition, whether its abstract is whole."""
        return pd.DataFrame(
            [{"pmid": e.pmid, "relation": e.relation, "design": e.design, "condition": e.condition,
              "year": e.year, "first_author": e.first_author, "abstract_complete": e.abstract_complete,
              "title": e.title}
             for e in self.evidence],
            columns=["pmid", "relation", "design", "condition", "year", "first_author", "abstract_complete",
                     "title"])

    def sof_frame(self):
        """The summary-of-findings rows of this claim, one per line, with the size of each effect against
        its MID (:func:`evidence.statements.magnitude`) and whether the verdict rests on it."""
        columns = ["comparison", "outcome", "timepoint", "k_studies", "participants", "absolute", "certainty",
                   "direction", "size", "rests_on"]
        best = {id(r) for r in self.best_rows}
        return pd.DataFrame([{**{c: getattr(r, c) for c in columns[:-3]}, "direction": row_direction(r),
                              "size": magnitude(r).category, "rests_on": id(r) in best}
                             for r in self.sof_rows], columns=columns)


@dataclass(frozen=True)
class ClaimsReport:
    """The verdicts on all claims."""

    verdicts: tuple[Verdict, ...]

    def __iter__(self):
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def __getitem__(self, claim_id: str) -> Verdict:
        for v in self.verdicts:
            if v.id == claim_id:
                return v
        raise KeyError(claim_id)

    def to_dict(self) -> list[dict]:
        """The list ``evidence claims --format json`` prints."""
        return [v.to_dict() for v in self.verdicts]

    def summary_frame(self, lang: str = "en"):
        """One row per claim: id, verdict, certainty, cited PMIDs, rule, summary, GRADE's informative
        statement and the suggested rewording (empty unless overstated or not supported), in ``lang``."""
        if lang not in CLAIM_LANGS:
            raise ValueError(f"lang must be one of {', '.join(CLAIM_LANGS)}, got {lang!r}")
        return pd.DataFrame(
            [{"id": v.id, "verdict": v.verdict, "certainty": v.certainty,
              "pmids": ", ".join(v.pmids), "rule": v.rule, "summary": v.summary(lang),
              "statement": getattr(v, f"statement_{lang}"), "suggestion": getattr(v, f"suggestion_{lang}")}
             for v in self.verdicts],
            columns=["id", "verdict", "certainty", "pmids", "rule", "summary", "statement", "suggestion"])


# ----------------------------------------------------------------------------------------------
# records that bear on a claim

def study_table(records, *, labels=None):
    """Design, condition and comparator per record: reviewed labels where present, else the classifier.

    Parameters
    ----------
    records : DataFrame
        The records table.
    labels : DataFrame or path, optional
        Hand labels (``data/labels.csv``: pmid, design, condition, comparator),
        or the file (read by :func:`evidence.designs.load_labels`); none when omitted.

    Returns
    -------
    DataFrame
        pmid, design, condition, comparator, source (``reviewed`` or ``classifier``).
    """
    if labels is not None and not isinstance(labels, pd.DataFrame):
        labels = load_labels(labels)
    table = classify(records)[["pmid", "design", "condition", "comparator"]].copy()
    table["source"] = "classifier"
    if labels is not None and len(labels):
        reviewed = labels.set_index("pmid")
        for i, pmid in enumerate(table["pmid"]):
            if pmid in reviewed.index:
                for col in ("design", "condition", "comparator"):
                    table.iat[i, table.columns.get_loc(col)] = reviewed.at[pmid, col]
                table.iat[i, table.columns.get_loc("source")] = "reviewed"
    return table


def _evidence(pmid: str, relation: str, recs, info) -> Evidence | None:
    if pmid not in recs.index:
        return None
    rec = recs.loc[pmid]
    complete = rec.get("abstract_complete")
    year = rec.get("year")
    return Evidence(
        pmid=pmid, relation=relation,
        design=str(info.at[pmid, "design"]) if pmid in info.index else "other",
        condition=str(info.at[pmid, "condition"]) if pmid in info.index else "other",
        year=int(year) if year == year and year is not None else None,
        first_author=str(rec.get("first_author") or ""), title=str(rec["title"]),
        abstract_complete=None if complete is None or complete != complete else bool(complete))


def _gather(claim: Claim, records, studies, row_pmids: Sequence[str] = ()):
    """Direct and indirect records: the rows' reports first, then records matched by design, condition, cues."""
    info = studies.set_index("pmid")
    recs = records.set_index("pmid")
    cues = [re.compile(c, re.I) for c in claim.cues]
    indirect_cues = [re.compile(c, re.I) for c in claim.indirect]
    direct: list[Evidence] = []
    indirect: list[Evidence] = []
    for pmid in dict.fromkeys(str(p) for p in row_pmids):
        e = _evidence(pmid, "direct", recs, info)
        if e is not None:
            direct.append(e)
    seen = {e.pmid for e in direct}
    found: list[Evidence] = []
    for pmid in recs.index:
        if pmid not in info.index or pmid in seen:
            continue
        design, condition = info.at[pmid, "design"], info.at[pmid, "condition"]
        if design == "protocol":
            continue
        rec = recs.loc[pmid]
        text = str(rec["title"]) if claim.cues_in == "title" else f"{rec['title']} {rec['abstract']}"
        is_direct = design in claim.designs and condition in claim.conditions and (
            not cues or any(c.search(text) for c in cues))
        is_indirect = not is_direct and any(c.search(text) for c in indirect_cues) and design != "other"
        if is_direct:
            found.append(_evidence(pmid, "direct", recs, info))
        elif is_indirect:
            indirect.append(_evidence(pmid, "indirect", recs, info))

    def order(e: Evidence):
        return (_DESIGN_RANK.get(e.design, 99), e.abstract_complete is False, -(e.year or 0))

    return direct + sorted(found, key=order), sorted(indirect, key=order)


def assess_claims(records, studies, sof, claims: Sequence[Claim], *, sessions: Mapping[str, int] | None = None,
                  max_pmids: int | None = None) -> ClaimsReport:
    """Decide a verdict for each claim.

    Parameters
    ----------
    records : DataFrame
        The records table (with ``abstract_complete``).
    studies : DataFrame
        pmid, design, condition (:func:`study_table`).
    sof : SummaryOfFindings or sequence of SofRow or None
        The summary of findings (:func:`evidence.grade.summary_of_findings`).
    claims : sequence of Claim
    sessions : mapping, optional
        {pmid: planned sessions} (:func:`load_sessions`).
    max_pmids : int, optional
        At most this many PMIDs cited per claim (best evidence first); None (the default) cites
        every work the verdict rests on or names, so no reference is dropped silently.

    Returns
    -------
    ClaimsReport
    """
    rows = _rows_of(sof)
    sessions = dict(sessions or {})
    verdicts = []
    for claim in claims:
        selected = tuple(_select(claim, rows, sessions))
        row_pmids = [p for r in selected for p in r.pmids]
        direct, indirect = _gather(claim, records, studies, row_pmids)
        ctx = _Context(claim, selected, tuple(direct), tuple(indirect), sessions, studies, records)
        decision = _decide(ctx)
        notes = list(decision.notes)
        rested = [p for r in decision.rows for p in r.pmids]
        order = list(dict.fromkeys([*rested, *row_pmids, *(e.pmid for e in direct), *(e.pmid for e in indirect)]))
        if decision.verdict == "no_evidence":
            order = []
        by_pmid = {e.pmid: e for e in direct + indirect}
        cited = tuple(by_pmid[p] for p in order[:max_pmids] if p in by_pmid)
        if indirect and decision.rule != "only indirect evidence" and decision.verdict != "no_evidence":
            notes.append(("indirect_also", {"items": ("@list", tuple(e.cite() for e in indirect[:4]))}))
        cut = tuple(e.pmid for e in cited if e.abstract_complete is False)
        if cut:
            notes.append(("cut", {"items": ", ".join(cut)}))
        sensitivity = _sensitivity(ctx, decision)
        for s in sensitivity:
            if s["changes"]:
                notes.append(("sensitivity", {"analysis": ("@label", "analysis", s["analysis"]),
                                              "verdict": ("@label", "verdict", s["verdict"]),
                                              "certainty": ("@label", "certainty", s["certainty"])}))
        statement = {lang: " ".join(claim_statements(decision.rows, lang)) for lang in CLAIM_LANGS}
        suggestion = {lang: suggested_wording(decision.verdict, decision.rows, claim.kind, decision.notes, lang)
                      for lang in CLAIM_LANGS}
        verdicts.append(Verdict(
            id=claim.id, claim_nl=claim.claim_nl, claim_en=claim.claim_en, kind=claim.kind,
            verdict=decision.verdict, certainty=decision.certainty, pmids=tuple(e.pmid for e in cited),
            rule=decision.rule, evidence=cited, cut_short=cut, quotes=claim.quotes, query=claim.query,
            sof_rows=selected, parts=decision.parts, best_rows=decision.rows,
            statement_en=statement["en"], statement_nl=statement["nl"],
            suggestion_en=suggestion["en"], suggestion_nl=suggestion["nl"], sensitivity=sensitivity,
            _notes=tuple(notes)))
    return ClaimsReport(tuple(verdicts))


def _sensitivity(ctx: _Context, decision: Decision) -> tuple[dict, ...]:
    """The verdict under each sensitivity analysis the claim's rows carry (``sensitivity`` on a
    SoF row: a tuple of dicts with ``analysis``, ``k_studies``, ``estimate``, ``ci_low``,
    ``ci_high``, ``certainty``): the rows re-estimated under that analysis (left out when it
    leaves them no study), the others as they are, judged by the same rule. Cochrane Handbook
    10.14: a finding that changes under a sensitivity analysis is reported as less robust."""
    names: list[str] = []
    for row in ctx.rows:
        for item in getattr(row, "sensitivity", ()) or ():
            if isinstance(item, Mapping) and item.get("analysis") and item["analysis"] not in names:
                names.append(str(item["analysis"]))
    out = []
    for name in names:
        rows = [r for r in (_under(row, name) for row in ctx.rows) if r is not None]
        rows = sorted(rows, key=lambda r: (-_LEVEL.get(r.certainty, 0), r.comparison, r.outcome))
        alt = _decide(_Context(ctx.claim, tuple(rows), ctx.direct, ctx.indirect, ctx.sessions, ctx.studies,
                               ctx.records))
        out.append({"analysis": name, "verdict": alt.verdict, "certainty": alt.certainty,
                    "changes": (alt.verdict, alt.certainty) != (decision.verdict, decision.certainty)})
    return tuple(out)


def _under(row, analysis: str):
    """``row`` as re-estimated under one sensitivity analysis (unchanged when it has none; None when
    the analysis leaves no study in it)."""
    for item in getattr(row, "sensitivity", ()) or ():
        if isinstance(item, Mapping) and str(item.get("analysis")) == analysis:
            if item.get("k_studies") == 0:
                return None
            return reestimate(row, item)
    return row

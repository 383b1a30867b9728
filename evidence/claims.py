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
from statistics import median
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from .analyses import timepoint_months
from .claimsfile import (ID_PATTERN, KINDS, SESSION_COLUMNS, SESSIONS_RANGE, TIMEPOINT_SETS,  # noqa: F401
                         Claim, Part, Quote, load_claims, load_sessions)
from .designs import classify, load_labels
from .vocab import CERTAINTIES, HIGHER_IS_BETTER, RATIO_MEASURES, VERDICTS
from .sentences import split_sentences
from .statements import (REPORTED_ONLY, VERDICT_GROUPS, claim_statements, informative_statement, magnitude,
                         reestimate, reported_directions, suggested_wording, verdict_group)
from .texts import CLAIM_CERTAINTY_LABELS, CLAIM_LANGS, CLAIM_VERDICT_LABELS, claim_render

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


#: Outcomes where a larger value is better for the patient (all others: smaller is better).
_RESPONDER = re.compile(r"responder")
_DESIGN_RANK = {d: i for i, d in enumerate(
    ("systematic_review", "rct", "non_randomised_trial", "observational", "mechanistic",
     "case_report", "narrative_review", "guideline", "other", "protocol"))}
_CLINICAL = ("systematic_review", "rct")
_SHORT = {"systematic_review": "SR", "rct": "RCT", "non_randomised_trial": "non-randomised trial",
          "observational": "observational", "mechanistic": "mechanistic", "narrative_review": "narrative review",
          "case_report": "case report", "guideline": "guideline", "other": "other", "protocol": "protocol"}
_LEVEL = {"high": 4, "moderate": 3, "low": 2, "very_low": 1}
# stricter verdicts come later (used to pick the claim's verdict from its parts)
_STRICTNESS = {v: i for i, v in enumerate(("supported", "supported_with_caveats", "overstated", "not_supported",
                                           "no_evidence"))}
#: Long-term: measured this many months after randomisation or later.
LONG_TERM_MONTHS = 3.0
#: Early: a trial that gave at most this many sessions tests relief "after sessions 1-2".
EARLY_SESSIONS = 2

#: The verdict and certainty labels as shown to readers, per language (from :mod:`evidence.texts`).
VERDICT_LABELS = CLAIM_VERDICT_LABELS
CERTAINTY_LABELS = CLAIM_CERTAINTY_LABELS


# ----------------------------------------------------------------------------------------------
# evidence


@dataclass(frozen=True)
class Evidence:
    """A record cited for a claim (participants are in the summary-of-findings rows, not here)."""

    pmid: str
    relation: str  # direct | indirect
    design: str
    condition: str
    year: int | None
    first_author: str
    title: str
    abstract_complete: bool | None

    def label(self) -> str:
        return f"{self.first_author.split(' ')[0]} {self.year} ({_SHORT.get(self.design, self.design)}; PMID {self.pmid})"

    def cite(self) -> tuple:
        """The label as a text item rendered per language ("Han 2004 (narrative review; PMID ...)")."""
        return ("@cite", self.first_author.split(" ")[0], self.year, self.design, self.pmid)


def _is_ratio(measure: str) -> bool:
    return str(measure) in RATIO_MEASURES


_REPORTED_DIRECTION = {"favours acupuncture": "benefit", "no difference": "no_difference", "favours control": "harm"}


def reported_results(row) -> list[tuple[str, str, str | None]]:
    """(study, direction, p) of each result of a reported-only row, as the SoF row states them
    (:func:`evidence.statements.reported_directions`)."""
    return reported_directions(row)


def row_direction(row) -> str:
    """``benefit``, ``no_difference``, ``harm``, ``mixed`` or ``not_pooled`` for a summary-of-findings row.

    A row of results reported without usable numbers takes the direction
    the studies report (``mixed`` when they differ).

    Estimates are acupuncture minus (or over) control. No effect is 1 for
    ratio measures (:data:`evidence.extraction.RATIO_MEASURES`) and 0
    otherwise; whether higher is better follows the outcome
    (:data:`HIGHER_IS_BETTER`).
    """
    reported = {_REPORTED_DIRECTION[d] for _, d, _ in reported_results(row)}
    if reported:
        return reported.pop() if len(reported) == 1 else "mixed"
    lo, hi = getattr(row, "ci_low", None), getattr(row, "ci_high", None)
    if getattr(row, "estimate", None) is None or lo is None or hi is None or lo != lo or hi != hi:
        return "not_pooled"
    null = 1.0 if _is_ratio(row.measure) else 0.0
    better_high = str(row.outcome) in HIGHER_IS_BETTER
    if lo > null:
        return "benefit" if better_high else "harm"
    if hi < null:
        return "harm" if better_high else "benefit"
    return "no_difference"


def _months(timepoint: Any) -> float | None:
    """Months a timepoint code stands for (:func:`evidence.analyses.timepoint_months`), or None."""
    return timepoint_months(timepoint)


def _long_term(months: float | None) -> bool:
    return months is not None and months >= LONG_TERM_MONTHS - 1e-9


def _immediate(timepoint: Any) -> bool:
    """Measured right after a single session (the extraction table's ``immediate_post_session``)."""
    return "immediate" in str(timepoint).lower() or "session" in str(timepoint).lower()


def _rows_of(sof) -> tuple:
    if sof is None:
        return ()
    return tuple(getattr(sof, "rows", sof))


def _select(claim: Claim, rows: Sequence, sessions: Mapping[str, int]) -> list:
    """The summary-of-findings rows that match the claim's ``sof`` block."""
    if not claim.uses_sof:
        return []
    out = []
    for row in rows:
        if row.condition not in claim.sof_conditions:
            continue
        if claim.sof_comparisons and row.comparison not in claim.sof_comparisons:
            continue
        if claim.sof_outcomes and row.outcome not in claim.sof_outcomes:
            continue
        months = _months(row.timepoint)
        if claim.sof_timepoints == "long_term" and not _long_term(months):
            continue
        if claim.sof_timepoints == "early" and not _is_early(row, sessions):
            continue
        out.append(row)
    return sorted(out, key=lambda r: (-_LEVEL.get(r.certainty, 0), r.comparison, r.outcome))


def _is_early(row, sessions: Mapping[str, int]) -> bool:
    """Measured right after a session, or every study of the row gave one or two sessions."""
    if _immediate(row.timepoint):
        return True
    counts = [sessions.get(str(p)) for p in row.pmids]
    return bool(counts) and all(c is not None and c <= EARLY_SESSIONS for c in counts)


# ----------------------------------------------------------------------------------------------
# decisions


@dataclass(frozen=True)
class PartVerdict:
    """The verdict on one part of a claim (e.g. the article's section 4 and its FAQ)."""

    id: str
    verdict: str
    certainty: str | None
    rule: str
    rows: tuple = ()

    def to_dict(self) -> dict:
        """id, verdict, certainty, rule, the rows the part rests on (each with its size and GRADE
        statements) and the part's statements (``statement_en``, ``statement_nl``)."""
        return {"id": self.id, "verdict": self.verdict, "certainty": self.certainty, "rule": self.rule,
                "sof_rows": [{**_row_dict(r), **row_statement(r)} for r in self.rows],
                "statement_en": " ".join(claim_statements(self.rows, "en")),
                "statement_nl": " ".join(claim_statements(self.rows, "nl"))}


@dataclass(frozen=True)
class Decision:
    """What a rule decided for a claim, and why.

    Attributes
    ----------
    verdict, certainty : str
        The claim's verdict (for a claim with parts: the stricter part's, or
        as the kind's rule says) and its GRADE certainty (``None``: no evidence).
    rule : str
        Which rule decided, in words.
    rows : tuple of SofRow
        The summary-of-findings rows the verdict rests on (empty for kinds
        without rows).
    parts : tuple of PartVerdict
        Per-part verdicts, when the claim has parts.
    notes : tuple of (key, params)
        The summary, as text keys of :data:`evidence.texts.CLAIM_TEXTS` with
        their parameters (rendered per language).
    """

    verdict: str
    certainty: str | None
    rule: str
    rows: tuple = ()
    parts: tuple[PartVerdict, ...] = ()
    notes: tuple[tuple[str, Mapping[str, Any]], ...] = ()


@dataclass(frozen=True)
class _Context:
    claim: Claim
    rows: tuple  # the rows selected for the claim
    direct: tuple[Evidence, ...]
    indirect: tuple[Evidence, ...]
    sessions: Mapping[str, int]
    studies: Any
    records: Any


def _who(ctx: _Context, row) -> str:
    """The studies of a row as "Author Year" (several joined), from the records cited."""
    names = {e.pmid: f"{e.first_author.split(' ')[0]} {e.year}" for e in ctx.direct}
    return ", ".join(dict.fromkeys(names.get(str(p), str(p)) for p in row.pmids))


def _row_note(row, ctx: _Context) -> tuple[str, dict]:
    direction = row_direction(row)
    reported = reported_results(row)
    if reported:
        effect = ("@text", "row_reported", {"items": ("@list", tuple(("@reported", *r) for r in reported))})
    elif direction == "not_pooled":
        effect = ("@text", "row_not_pooled", {})
    else:
        effect = ("@absolute", row.absolute or "")
    k = int(row.k_studies or 0)
    downgrades = [d for d in row.downgrades if getattr(d, "levels", 1)]
    return ("row", {
        "outcome": ("@label", "outcome", row.outcome), "comparison": ("@label", "comparison", row.comparison),
        "condition": ("@label", "condition", row.condition), "timepoint": ("@timepoint", row.timepoint),
        "who": _who(ctx, row),
        "effect": effect, "studies": ("@text", "studies_1" if k == 1 else "studies_n", {"k": k}) if k
        else ("@text", "studies_unknown", {}),
        "participants": ("@text", "participants", {"n": f"{row.participants:,}"}) if row.participants
        else ("@text", "participants_unknown", {}),
        "size": "" if reported else ("@text", "sized", {"what": ("@text", "size_" + magnitude(row).category, {})}),
        "certainty": ("@label", "certainty", row.certainty),
        "downgrades": ("@text", "downgraded", {"items": ("@list", tuple(("@label", "domain", d.domain)
                                                                         for d in downgrades))})
        if downgrades else "",
    })


#: The notes of the efficacy rule that a claim with parts repeats (both sides of a mix).
_SIDE_NOTES = ("nulls_count", "side_important", "side_small", "side_none", "side_mixed", "no_mid")


def _question(row) -> tuple:
    return (row.comparison, row.condition, row.outcome)


def best_evidence(rows: Sequence) -> tuple:
    """The rows a verdict rests on: those of the highest certainty, and with them every row of
    results reported without usable numbers that answers the same question (comparison x
    condition x outcome), whatever its certainty.

    A result without numbers loses two levels for imprecision because it has no interval
    (:mod:`evidence.grade`), so ranking by certainty alone would drop most null results from
    "best evidence" while positive results, which abstracts report with numbers, stay: nulls
    would weigh less than positives. The Cochrane Handbook (section 12.2.2.3, synthesis
    without meta-analysis) counts such results by the direction of their effect; here they
    count beside the best rows of their question, as positives do.

    Null results with a derived estimate (from p values, percentages and n; Cochrane Handbook
    6.3 and 6.5) are rows with numbers and rank by their certainty like any other row. That is
    fair when :mod:`evidence.grade` rates imprecision by where the interval lies against the MID
    (GRADE guidance 34, issue 14 item 5), as it does for positives, rather than by whether it
    crosses the null.
    """
    if not rows:
        return ()
    top = max(_LEVEL.get(r.certainty, 1) for r in rows)
    best = [r for r in rows if _LEVEL.get(r.certainty, 1) == top]
    questions = {_question(r) for r in best}
    nulls = [r for r in rows if r not in best and reported_results(r) and _question(r) in questions]
    return tuple(best + nulls)


def _refs(ctx, rows) -> tuple:
    """Rows as "outcome comparison (timepoint; who)" items of a note."""
    return ("@list", tuple(("@text", "row_ref", {
        "outcome": ("@label", "outcome", r.outcome), "comparison": ("@label", "comparison", r.comparison),
        "timepoint": ("@timepoint", r.timepoint), "who": _who(ctx, r) if ctx is not None else ", ".join(r.study_ids)})
        for r in rows))


def _judge(rows: Sequence, *, hedged: bool, ctx: _Context | None = None) -> tuple[str, str | None, str, tuple, list]:
    """The efficacy rule on a set of rows: (verdict, certainty, rule, rows it rests on, notes)."""
    if not rows:
        return "no_evidence", None, "no matching row", (), []
    key = best_evidence(rows)
    top = max(_LEVEL.get(r.certainty, 1) for r in rows)
    certainty = CERTAINTIES[4 - top]
    groups = {g: [r for r in key if verdict_group(r) == g] for g in VERDICT_GROUPS}
    label = ("@label", "certainty", certainty)
    notes: list = [("rests_on", {"certainty": label})]
    extra = [r for r in key if _LEVEL.get(r.certainty, 1) != top]
    if extra:
        notes.append(("nulls_count", {"items": _refs(ctx, extra)}))
    if sum(bool(v) for v in groups.values()) > 1:  # a mix: both sides
        for g in VERDICT_GROUPS:
            if groups[g]:
                notes.append(("side_" + g, {"items": _refs(ctx, groups[g])}))
    unjudged = [r for r in key if magnitude(r).category == "benefit_size_unknown" and not reported_results(r)]
    if unjudged:
        notes.append(("no_mid", {"items": ("@list", tuple(dict.fromkeys(("@label", "outcome", r.outcome)
                                                                       for r in unjudged)))}))
    important, small, mixed = groups["important"], groups["small"], groups["mixed"]
    if not (important or small or mixed):
        notes.append(("no_benefit", {}))
        return "not_supported", certainty, "no best-evidence row shows a benefit", key, notes
    if top == 1:
        notes.append(("very_low", {}))
        return "overstated", certainty, "a benefit at very low certainty only", key, notes
    if not (important or small):
        notes.append(("mixed", {}))
        return "supported_with_caveats", certainty, "the best-evidence studies disagree", key, notes
    if not important:
        if hedged:
            notes.append(("below_mid_hedged", {}))
            return ("supported_with_caveats", certainty, "a benefit below the MID: the claim needs "
                    "'slightly'", key, notes)
        notes.append(("below_mid_unhedged", {}))
        return "overstated", certainty, "a benefit below the MID, claimed without a hedge", key, notes
    if len(important) == len(key):
        if top >= (2 if hedged else 3):
            if hedged:
                notes.append(("hedge_ok", {"certainty": label}))
            return ("supported", certainty, "every best-evidence row shows an important benefit at the certainty "
                    "the wording needs", key, notes)
        notes.append(("hedge_needs", {"certainty": label}))
        return ("supported_with_caveats", certainty, "an important benefit, at lower certainty than the wording "
                "needs", key, notes)
    notes.append(("mixed", {}))
    return ("supported_with_caveats", certainty, "some best-evidence rows show an important benefit, some not",
            key, notes)


def _without_rows(ctx: _Context) -> Decision | None:
    """The common rules when nothing direct bears on a claim."""
    if ctx.rows or ctx.direct:
        return None
    if not ctx.indirect:
        return Decision("no_evidence", None, "nothing relevant in the records", notes=(("none", {}),))
    verdict = "overstated" if ctx.claim.specific and ctx.claim.kind not in ("method", "mechanism") else "not_supported"
    return Decision(verdict, "very_low", "only indirect evidence",
                    notes=(("only_indirect", {"items": ("@list", tuple(e.cite() for e in ctx.indirect))}),))


def _no_rows(ctx: _Context) -> Decision:
    what = ", ".join(ctx.claim.sof_conditions)
    return Decision("not_supported", "very_low", "direct records but no summary-of-findings row",
                    notes=(("no_rows", {"what": what}),))


def decide_efficacy(ctx: _Context) -> Decision:
    """Efficacy: the best-evidence rows decide (see the module docstring)."""
    early = _without_rows(ctx)
    if early:
        return early
    if not ctx.rows:
        return _no_rows(ctx)
    verdict, certainty, rule, key, notes = _judge(ctx.rows, hedged=ctx.claim.hedged, ctx=ctx)
    return Decision(verdict, certainty, rule, key, notes=tuple([_row_note(r, ctx) for r in ctx.rows[:6]] + notes))


def decide_durability(ctx: _Context) -> Decision:
    """Durability: the efficacy rule on rows at >= 3 months, one part per condition."""
    early = _without_rows(ctx)
    if early:
        return early
    conditions = [c for c in ctx.claim.sof_conditions if c != "both"]
    long = [r for r in ctx.rows if _long_term(_months(r.timepoint))]
    notes: list = [_row_note(r, ctx) for r in long[:6]]
    parts, missing, side_notes = [], [], []
    for condition in conditions:
        rows = [r for r in long if r.condition in (condition, "both")]
        short = [r for r in ctx.rows if r.condition in (condition, "both") and r not in rows]
        if rows:
            verdict, certainty, rule, key, judged = _judge(rows, hedged=ctx.claim.hedged, ctx=ctx)
            side_notes.extend(n for n in judged if n[0] in _SIDE_NOTES)
        elif any(verdict_group(r) in ("important", "small") for r in short):
            top = max(_LEVEL.get(r.certainty, 1) for r in short)
            verdict, certainty, rule, key = "overstated", CERTAINTIES[4 - top], "only short-term benefits", ()
        else:
            verdict, certainty, rule, key = "no_evidence", None, "no row", ()
        if verdict not in ("supported", "supported_with_caveats"):
            missing.append(condition)
        parts.append(PartVerdict(condition, verdict, certainty, rule, key))
    if not parts:
        return _no_rows(ctx)
    for p in parts:
        notes.append(("part", {"label": ("@label", "part", p.id), "verdict": ("@label", "verdict", p.verdict),
                               "certainty": ("@label", "certainty", p.certainty)}))
    notes.extend({repr(n): n for n in side_notes}.values())
    if missing and len(missing) < len(parts):
        notes.append(("long_term_missing", {"items": ("@list", tuple(("@label", "condition", c) for c in missing))}))
    verdicts = [p.verdict for p in parts]
    judged = [p for p in parts if p.certainty is not None]
    certainty = min((p.certainty for p in judged), key=lambda c: _LEVEL[c]) if judged else None
    rows = tuple(r for p in parts for r in p.rows)
    if all(v == "supported" for v in verdicts):
        return Decision("supported", certainty, "a benefit at >= 3 months in every condition claimed", rows,
                        tuple(parts), tuple(notes))
    if any(v in ("supported", "supported_with_caveats") for v in verdicts):
        return Decision("supported_with_caveats", certainty, "a benefit at >= 3 months in some conditions, or at "
                        "lower certainty", rows, tuple(parts), tuple(notes))
    if any(p.rule == "only short-term benefits" for p in parts) or (
            not any(v == "overstated" for v in verdicts)
            and any(verdict_group(r) in ("important", "small") for r in ctx.rows)):
        notes.append(("short_only", {}))
        return Decision("overstated", certainty or "very_low", "only short-term benefits", rows, tuple(parts),
                        tuple(notes))
    if any(v == "overstated" for v in verdicts):
        return Decision("overstated", certainty or "very_low", "long-term benefits only at very low certainty "
                        "or below the MID", rows, tuple(parts), tuple(notes))
    return Decision("not_supported", certainty or "very_low", "no benefit at any time", rows, tuple(parts),
                    tuple(notes))


def decide_timing(ctx: _Context) -> Decision:
    """Timing (relief after sessions 1-2): rows measured after one or two sessions, one verdict per part."""
    early = _without_rows(ctx)
    if early:
        return early
    notes: list = [_row_note(r, ctx) for r in ctx.rows[:6]]
    part_specs = ctx.claim.parts or (Part("some_patients", asks="effect"),)
    parts = []
    if ctx.rows:
        notes.append(("early_trials", {"items": tuple(dict.fromkeys(_who(ctx, r) for r in ctx.rows))}))
    else:
        notes.append(("early_none", {}))
    for spec in part_specs:
        if not ctx.rows:
            parts.append(PartVerdict(spec.id, "overstated", "very_low", "no study measures relief after 1-2 sessions"))
            continue
        if spec.asks == "proportion":
            responders = [r for r in ctx.rows if _RESPONDER.search(str(r.outcome))]
            if responders:
                verdict, certainty, rule, key, _ = _judge(responders, hedged=False, ctx=ctx)
            else:
                top = max(_LEVEL.get(r.certainty, 1) for r in ctx.rows)
                verdict, certainty, rule = "overstated", CERTAINTIES[4 - top], "a proportion needs a responder outcome"
                key = tuple(r for r in ctx.rows if _LEVEL.get(r.certainty, 1) == top)
                notes.append(("early_many", {}))
        else:
            verdict, certainty, rule, key, _ = _judge(ctx.rows, hedged=True, ctx=ctx)
        parts.append(PartVerdict(spec.id, verdict, certainty, rule, key))
    for p in parts:
        notes.append(("part", {"label": ("@label", "part", p.id), "verdict": ("@label", "verdict", p.verdict),
                               "certainty": ("@label", "certainty", p.certainty)}))
    main = max(parts, key=lambda p: (_STRICTNESS[p.verdict], -_LEVEL.get(p.certainty or "", 0)))
    return Decision(main.verdict, main.certainty, f"stricter part ({main.id}): {main.rule}",
                    tuple(dict.fromkeys(r for p in parts for r in p.rows)), tuple(parts), tuple(notes))


def decide_dose(ctx: _Context) -> Decision:
    """Dose (a course of N sessions): only a comparison of course lengths tests it."""
    early = _without_rows(ctx)
    if early:
        return early
    notes: list = []
    if ctx.rows:
        verdict, certainty, rule, key, judged = _judge(ctx.rows, hedged=ctx.claim.hedged, ctx=ctx)
        return Decision(verdict, certainty, "a comparison of course lengths: " + rule, key,
                        notes=tuple([_row_note(r, ctx) for r in ctx.rows[:6]] + judged))
    trials = _trials(ctx)
    counts = [ctx.sessions[p] for p in trials if p in ctx.sessions]
    if counts:
        low, high = ctx.claim.sessions or (0, 0)
        notes.append(("sessions", {"k": len(counts), "n": len(trials), "low": min(counts), "high": max(counts),
                                   "median": ("@number", float(median(counts))),
                                   "inside": sum(low <= c <= high for c in counts),
                                   "claim": f"{low}-{high}" if ctx.claim.sessions else "?"}))
    figure = "{}-{}".format(*ctx.claim.sessions) if ctx.claim.sessions else (ctx.claim.specific or "?")
    notes.append(("dose_untested", {"figure": figure}))
    for e in [e for e in ctx.direct if e.design == "systematic_review"][:3]:
        for sentence in _key_sentences(ctx.records, e.pmid, ("sessions",), limit=1):
            notes.append(("dose_note", {"first_author": e.first_author.split(" ")[0], "year": e.year,
                                        "design": ("@label", "design", e.design), "sentence": sentence}))
    return Decision("overstated", "very_low", "no comparison of course lengths tests the figure", notes=tuple(notes))


def _trials(ctx: _Context) -> list[str]:
    """PMIDs of the trials (RCTs and non-randomised trials) of the claim's conditions."""
    if ctx.studies is None or not len(ctx.studies):
        return []
    table = ctx.studies
    mask = table["design"].isin(("rct", "non_randomised_trial")) & table["condition"].isin(ctx.claim.conditions)
    return [str(p) for p in table.loc[mask, "pmid"]]


def decide_safety(ctx: _Context) -> Decision:
    """Safety: design hierarchy (prospective cohorts and reviews of them)."""
    early = _without_rows(ctx)
    if early:
        return early
    notes: list = []
    reviews = [e for e in ctx.direct if e.design == "systematic_review"]
    risks = _key_sentences(ctx.records, (reviews or list(ctx.direct))[0].pmid,
                           ("per 10 000", "per 10,000", "per one million", "% ("), limit=2)
    if risks:
        notes.append(("safety_risks", {"items": ". ".join(risks)}))
    notes.append(("safety_rule", {}))
    if reviews:
        return Decision("supported", "moderate", "a systematic review of prospective studies", notes=tuple(notes))
    notes.append(("safety_no_sr", {}))
    return Decision("supported_with_caveats", "low", "prospective studies without a systematic review",
                    notes=tuple(notes))


def decide_mechanism(ctx: _Context) -> Decision:
    """Mechanism: cannot support a clinical claim; capped at supported_with_caveats."""
    early = _without_rows(ctx)
    if early:
        return early
    notes: list = [("mechanism_cap", {})]
    if any(e.design == "mechanistic" for e in ctx.direct):
        return Decision("supported_with_caveats", "low", "mechanistic evidence caps the verdict", notes=tuple(notes))
    notes.append(("mechanism_narrative", {}))
    return Decision("supported_with_caveats", "very_low", "narrative reviews only", notes=tuple(notes))


def decide_method(ctx: _Context) -> Decision:
    """Method: needs a trial comparing the method with other acupuncture."""
    early = _without_rows(ctx)
    if early:
        return early
    if any(e.design in _CLINICAL for e in ctx.direct):
        return Decision("supported_with_caveats", "low", "a trial or review of the method itself")
    return Decision("overstated", "very_low", "no trial of the method", notes=(("method_none", {}),))


#: One rule per claim kind.
DECIDERS: dict[str, Callable[[_Context], Decision]] = {
    "efficacy": decide_efficacy, "durability": decide_durability, "timing": decide_timing, "dose": decide_dose,
    "safety": decide_safety, "mechanism": decide_mechanism, "method": decide_method,
}


def _decide(ctx: _Context) -> Decision:
    """The verdict on one claim: the rule of its kind, then the SR/RCT guard."""
    decision = DECIDERS[ctx.claim.kind](ctx)
    if decision.verdict == "supported" and ctx.claim.kind != "safety":
        designs = {e.design for e in ctx.direct}
        if not designs & set(_CLINICAL):
            decision = Decision("supported_with_caveats", decision.certainty, "no SR or RCT among the evidence",
                                decision.rows, decision.parts, decision.notes + (("no_sr_rct", {}),))
    return decision


# ----------------------------------------------------------------------------------------------
# verdicts


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row_dict(row) -> dict:
    return row.to_dict() if hasattr(row, "to_dict") else dict(vars(row))


def row_statement(row) -> dict:
    """``magnitude`` (:func:`evidence.statements.magnitude`'s category), ``statement_en`` and
    ``statement_nl`` (GRADE's informative statement) of one summary-of-findings row."""
    mag = magnitude(row)
    return {"magnitude": mag.category, "statement_en": informative_statement(row, "en", mag=mag),
            "statement_nl": informative_statement(row, "nl", mag=mag)}


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


_PREFERRED = re.compile(r"^(RESULTS?|FINDINGS|MAIN RESULTS|CONCLUSIONS?|AUTHORS' CONCLUSIONS|INTERPRETATION)", re.I)
_SKIPPED = re.compile(r"^(BACKGROUND|OBJECTIVES?|AIMS?|PURPOSE|METHODS?|DESIGN|SETTING|PARTICIPANTS|"
                      r"DATA SOURCES|ELIGIBILITY|SEARCH|SELECTION|DATA (EXTRACTION|COLLECTION))", re.I)


def _key_sentences(records, pmid: str, needles: Sequence[str], *, limit: int = 1) -> list[str]:
    """Sentences of a record's results or conclusions that contain one of ``needles``.

    Labelled results and conclusions are read first; background, objectives
    and methods are skipped. Sentences are returned as published, without
    their final full stop.
    """
    rows = records.loc[records["pmid"] == pmid]
    if rows.empty:
        return []
    sections = rows.iloc[0].get("abstract_sections") or []
    if isinstance(sections, str) or not len(sections):
        sections = [{"label": "", "text": rows.iloc[0]["abstract"]}]
    ordered = [s for s in sections if _PREFERRED.match(s.get("label", ""))] + [
        s for s in sections if not _PREFERRED.match(s.get("label", "")) and not _SKIPPED.match(s.get("label", ""))]
    found: list[str] = []
    for section in ordered:
        for sentence in split_sentences(section["text"]):
            if any(n.lower() in sentence.lower() for n in needles):
                sentence = sentence.strip().rstrip(".")
                found.append(sentence if len(sentence) <= 400 else sentence[:397] + "...")
                if len(found) >= limit:
                    return found
    return found


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

"""The verdict rules: one function per claim kind, from summary-of-findings rows and cited records.

The rules, the direction and selection of summary-of-findings rows and the
best evidence a verdict rests on are documented in :mod:`evidence.claims`
(which re-exports every public name here); this module holds them, the
report objects and :func:`evidence.claims.assess_claims` stay there.

The guidance each rule follows (GRADE: Guyatt 2008, guidelines 26, guidance 34;
Cochrane Handbook 12.2.2.3; Iorio 2015 for incidence) is cited in full in the
:mod:`evidence.claims` docstring, with the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Any, Callable, Mapping, Sequence

from .analyses import timepoint_months
from .claimsfile import Claim, Part
from .sentences import split_sentences
from .statements import (VERDICT_GROUPS, claim_statements, informative_statement, magnitude, reported_directions,
                         verdict_group)
from .vocab import CERTAINTIES, HIGHER_IS_BETTER, RATIO_MEASURES

__all__ = ["LONG_TERM_MONTHS", "EARLY_SESSIONS", "Evidence", "PartVerdict", "Decision", "reported_results",
           "row_direction", "row_statement", "best_evidence", "DECIDERS", "decide_efficacy", "decide_durability",
           "decide_timing", "decide_dose", "decide_safety", "decide_mechanism", "decide_method"]

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


def _row_dict(row) -> dict:
    return row.to_dict() if hasattr(row, "to_dict") else dict(vars(row))


def row_statement(row) -> dict:
    """``magnitude`` (:func:`evidence.statements.magnitude`'s category), ``statement_en`` and
    ``statement_nl`` (GRADE's informative statement) of one summary-of-findings row."""
    mag = magnitude(row)
    return {"magnitude": mag.category, "statement_en": informative_statement(row, "en", mag=mag),
            "statement_nl": informative_statement(row, "nl", mag=mag)}


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

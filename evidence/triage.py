"""Living review, after an update: retracted studies out of the synthesis, new studies queued.

Two steps that :func:`evidence.review.build_review` runs between the records
and the summary of findings:

- :func:`drop_retracted`: a study whose main report is flagged retracted
  (publication type "Retracted Publication", a retraction link, or a
  retraction notice naming it; :mod:`evidence.update`) leaves every pool,
  summary-of-findings row and verdict: its rows of ``effects.csv`` and
  ``null_results.csv`` are set aside, and a :class:`RetractionWarning` says
  so. Cochrane Handbook v6.4 section 4.4.6 and MECIR C48: examine retraction
  notices; results of retracted reports are not used.
- :func:`triage_queue`: every record that screening includes and that has no
  row in ``studies.csv`` (a new study, not yet a person's work), with what it
  still needs (a study row, extraction, and a RoB 2 judgement for randomised
  trials: RoB 2 is for randomised trials, Handbook chapter 8) and the
  effect statements the miner finds in its abstract as *suggested* extraction
  rows (:func:`suggested_effects`). Suggestions are never read into pools or
  verdicts; a person copies a checked row into ``effects.csv``.

:func:`annotate_claims` then gives each claim ``pending_studies`` (queued
studies that touch its question, by condition, comparison and design) and
the retraction warnings that touch it, so an author sees the verdict may
change. Elliott 2017 (living systematic reviews) describes the workflow.

References
----------
Elliott JH, Synnot A, Turner T, et al. Living systematic review: 1. Introduction - the why,
what, when, and how. J Clin Epidemiol. 2017;91:23-30.
Higgins JPT, Thomas J, Chandler J, et al., eds. Cochrane Handbook for Systematic Reviews of
Interventions version 6.4. Cochrane; 2023 (sections 4.4.6 and 8.1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import Sequence

import pandas as pd

from .escape import csv_cell as neutral_cell  # the one formula rule (OWASP)

__all__ = ["RetractionWarning", "TriageQueue", "SUGGESTED_COLUMNS", "LIVING_TEXTS", "drop_retracted",
           "triage_queue", "suggested_effects", "suggested_csv", "claim_touches", "annotate_claims",
           "living_notes", "living_markdown", "living_html", "pending_frame"]

#: Columns of ``data/suggested_effects.csv``.
SUGGESTED_COLUMNS = ("pmid", "measure", "value", "ci_low", "ci_high", "ci_level", "p", "start", "end",
                     "quote", "miner_confidence", "status")
#: Designs judged with RoB 2 (randomised trials).
ROB2_DESIGNS = ("rct",)

#: The words the reports use, in English and Dutch.
LIVING_TEXTS = {
    "en": {
        "pending": "{n} eligible studies not yet extracted",
        "pending_one": "1 eligible study not yet extracted",
        "pending_note": "the verdict may change once they are extracted",
        "retracted": ("{study} (PMID {pmid}) is retracted: its {effects} effect row(s) and {nulls} result(s) "
                      "without numbers were left out of every pooled analysis, summary-of-findings row and "
                      "verdict (Cochrane Handbook 4.4.6)"),
    },
    "nl": {
        "pending": "{n} geschikte studies nog niet geëxtraheerd",
        "pending_one": "1 geschikte studie nog niet geëxtraheerd",
        "pending_note": "het oordeel kan veranderen zodra ze geëxtraheerd zijn",
        "retracted": ("{study} (PMID {pmid}) is teruggetrokken: de {effects} effectrij(en) en {nulls} "
                      "resultaat/resultaten zonder getallen zijn uit elke gepoolde analyse, elke "
                      "summary-of-findings-rij en elk oordeel gelaten (Cochrane Handbook 4.4.6)"),
    },
}


@dataclass(frozen=True)
class RetractionWarning:
    """A study left out of the synthesis because its main report is retracted."""

    study_id: str
    pmid: str
    effects: int
    null_results: int
    condition: str = ""
    comparator: str = ""
    design: str = ""

    def text(self, lang: str = "en") -> str:
        """The warning in English or Dutch."""
        if lang not in LIVING_TEXTS:
            raise ValueError(f"lang must be one of {', '.join(LIVING_TEXTS)}, got {lang!r}")
        return LIVING_TEXTS[lang]["retracted"].format(study=self.study_id, pmid=self.pmid,
                                                      effects=self.effects, nulls=self.null_results)

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self) -> dict:
        return {"study_id": self.study_id, "pmid": self.pmid, "effects": self.effects,
                "null_results": self.null_results, "text": self.text("en")}


def _retracted_pmids(records: pd.DataFrame) -> set[str]:
    if records is None or records.empty or "retracted" not in records:
        return set()
    flags = records["retracted"].fillna(False).astype(bool)
    return set(records.loc[flags, "pmid"].astype(str))


def drop_retracted(records: pd.DataFrame, effects: pd.DataFrame, null_results: pd.DataFrame,
                   studies: pd.DataFrame, *, labels: pd.DataFrame | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[RetractionWarning, ...]]:
    """Set aside the effects and null results of studies whose main report is retracted.

    Parameters
    ----------
    records : DataFrame
        The records table (``pmid``, ``retracted``).
    effects, null_results : DataFrame
        ``data/effects.csv`` and ``data/null_results.csv`` (both with ``study_id``).
    studies : DataFrame
        ``data/studies.csv`` (``study_id``, ``pmid``, ``role``).
    labels : DataFrame, optional
        Hand labels (condition, comparator) for the warnings' reach.

    Returns
    -------
    effects, null_results, warnings
        The tables without those studies' rows (unchanged objects when no
        study is retracted) and one warning per study left out.
    """
    retracted = _retracted_pmids(records)
    mains = studies[studies["role"] == "main"]
    gone = {sid: pmid for sid, pmid in zip(mains["study_id"], mains["pmid"].astype(str)) if pmid in retracted}
    if not gone:
        return effects, null_results, ()
    label = {} if labels is None else labels.set_index("pmid")[["design", "condition", "comparator"]].to_dict("index")
    warnings = []
    for sid, pmid in gone.items():
        n_eff = int((effects["study_id"] == sid).sum()) if "study_id" in effects else 0
        n_null = int((null_results["study_id"] == sid).sum()) if "study_id" in null_results else 0
        known = label.get(pmid, {})
        warnings.append(RetractionWarning(sid, pmid, n_eff, n_null, str(known.get("condition", "") or ""),
                                          str(known.get("comparator", "") or ""),
                                          str(known.get("design", "") or "")))
    keep_e = ~effects["study_id"].isin(gone) if "study_id" in effects else slice(None)
    keep_n = ~null_results["study_id"].isin(gone) if "study_id" in null_results else slice(None)
    return effects[keep_e], null_results[keep_n], tuple(warnings)


@dataclass(frozen=True)
class TriageQueue:
    """Included records without a study row: what each still needs, and the miner's suggestions.

    Attributes
    ----------
    items : DataFrame
        pmid, title, year, design, condition, comparator, needs ("; "-joined), suggested (number
        of suggested extraction rows).
    suggestions : DataFrame
        The suggested extraction rows (:data:`SUGGESTED_COLUMNS`), status ``suggested``.
    """

    items: pd.DataFrame
    suggestions: pd.DataFrame

    def __len__(self) -> int:
        return len(self.items)

    def summary_frame(self) -> pd.DataFrame:
        return self.items.copy()

    def to_dict(self) -> dict:
        from .frames import json_rows

        return {"items": json_rows(self.items), "suggestions": json_rows(self.suggestions)}


def suggested_effects(records: pd.DataFrame, *, confidence: float | None = None) -> pd.DataFrame:
    """The miner's effect statements in these records' abstracts, as suggested extraction rows.

    ``miner_confidence`` is the miner's precision on the hand-checked gold
    standard (``data/effect_statements.csv``): the share of its statements a
    person confirmed, the same for every row (the miner scores no single
    statement). ``quote`` is the matched span; ``start``/``end`` index the
    record's ``abstract``.
    """
    from .miner import mine_records

    mined = mine_records(records[["pmid", "abstract"]]) if len(records) else pd.DataFrame(
        columns=["pmid", "measure", "value", "ci_low", "ci_high", "ci_level", "p", "start", "end", "text"])
    out = mined.rename(columns={"text": "quote"})
    out["miner_confidence"] = float("nan") if confidence is None else round(float(confidence), 3)
    out["status"] = "suggested"
    return out.reindex(columns=list(SUGGESTED_COLUMNS)).reset_index(drop=True)


def suggested_csv(suggestions: pd.DataFrame) -> str:
    """The suggestions as CSV text; text cells neutralised against formula injection (OWASP)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUGGESTED_COLUMNS)
    numeric = {"value", "ci_low", "ci_high", "ci_level", "start", "end", "miner_confidence"}
    for row in suggestions.to_dict("records"):
        cells = []
        for column in SUGGESTED_COLUMNS:
            value = row.get(column)
            if value is None or (isinstance(value, float) and value != value):
                cells.append("")
            elif column in numeric:
                cells.append(f"{value:g}" if isinstance(value, float) else str(int(value)))
            else:
                cells.append(neutral_cell(value))
        writer.writerow(cells)
    return out.getvalue()


def triage_queue(included: pd.DataFrame, studies: pd.DataFrame, records: pd.DataFrame, *,
                 confidence: float | None = None) -> TriageQueue:
    """The records screening includes that have no row in ``studies.csv``.

    Parameters
    ----------
    included : DataFrame
        Screening's included records (pmid, title, year, design, condition, comparator).
    studies : DataFrame
        ``data/studies.csv``.
    records : DataFrame
        The records table (abstracts for the miner; ``retracted``: a retracted record is not queued).
    confidence : float, optional
        The miner's precision on the gold standard (see :func:`suggested_effects`).
    """
    held = set(studies["pmid"].astype(str))
    retracted = _retracted_pmids(records)
    queued = included[~included["pmid"].astype(str).isin(held | retracted)]
    columns = ["pmid", "title", "year", "design", "condition", "comparator"]
    items = queued.reindex(columns=columns).reset_index(drop=True)
    items["comparator"] = items["comparator"].fillna("")
    items["needs"] = ["study row; extraction; RoB 2" if d in ROB2_DESIGNS else "study row; extraction"
                      for d in items["design"]]
    suggestions = suggested_effects(records[records["pmid"].isin(set(items["pmid"]))], confidence=confidence)
    counts = suggestions["pmid"].value_counts()
    items["suggested"] = [int(counts.get(p, 0)) for p in items["pmid"]]
    return TriageQueue(items=items, suggestions=suggestions)


def claim_touches(claim, *, design: str | None, condition: str, comparator: str) -> bool:
    """Whether a study of this design, condition and comparator bears on the claim's question.

    Conditions: the claim's summary-of-findings conditions (or, without a
    ``sof`` block, its evidence conditions); a study of ``both`` conditions
    touches a claim about either. Comparison: a trial's comparator must be one of the claim's
    ``sof.comparisons`` (when it lists any); a review has no comparator and
    counts by condition. Design: one of the claim's evidence designs (not checked when
    ``design`` is None).

    Each queued record counts as one study: which reports belong to one study is
    known only once a person gives them rows in ``studies.csv``, so two reports of
    one new trial count twice until then (the count errs towards "may change").
    """
    conditions = set(claim.sof_conditions or claim.conditions)
    if condition == "both":
        hit = bool(conditions & {"tension_type_headache", "neck_pain", "both"})
    else:
        hit = condition in conditions
    if not hit or (design is not None and claim.designs and design not in claim.designs):
        return False
    if claim.sof_comparisons and comparator:
        return f"acupuncture_vs_{comparator}" in claim.sof_comparisons
    return True


def annotate_claims(report, claims: Sequence, queue: TriageQueue | None,
                    warnings: Sequence[RetractionWarning] = ()):
    """The claims report with ``pending_studies`` and ``warnings`` set on each verdict.

    A warning reaches a claim when its study's labelled condition touches the
    claim's conditions (:func:`claim_touches`; whatever the comparison, since a
    trial's results may sit under several comparisons; a study whose condition
    is unknown reaches every claim).
    """
    by_id = {c.id: c for c in claims}
    items = [] if queue is None else queue.items.to_dict("records")
    verdicts = []
    for v in report.verdicts:
        claim = by_id.get(v.id)
        if claim is None:
            verdicts.append(v)
            continue
        pending = sum(claim_touches(claim, design=i["design"], condition=i["condition"],
                                    comparator=i["comparator"] or "") for i in items)
        reach = [w for w in warnings
                 if not w.condition or claim_touches(claim, design=None, condition=w.condition, comparator="")]
        verdicts.append(replace(v, pending_studies=int(pending), warnings=tuple(reach)))
    return replace(report, verdicts=tuple(verdicts))


def living_notes(verdict, lang: str = "en") -> list[str]:
    """The lines a report shows under a claim: pending studies, retraction warnings (plain text)."""
    texts = LIVING_TEXTS[lang]
    lines = []
    n = getattr(verdict, "pending_studies", 0)
    if n:
        head = texts["pending_one"] if n == 1 else texts["pending"].format(n=n)
        lines.append(f"{head}: {texts['pending_note']}.")
    lines += [w.text(lang) if hasattr(w, "text") else str(w) for w in getattr(verdict, "warnings", ())]
    return lines


def pending_frame(report) -> pd.DataFrame:
    """One row per claim: id, verdict, certainty, pending_studies, warnings (their number)."""
    return pd.DataFrame([{"id": v.id, "verdict": v.verdict, "certainty": v.certainty,
                          "pending_studies": int(getattr(v, "pending_studies", 0)),
                          "warnings": len(getattr(v, "warnings", ()))} for v in report],
                        columns=["id", "verdict", "certainty", "pending_studies", "warnings"])


#: Markdown characters escaped in notes and tables (str.translate table).
MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def living_markdown(verdict, lang: str = "en") -> list[str]:
    """:func:`living_notes` as Markdown lines (escaped), each a bold-marked note; [] when none."""
    lines = [f"**⚠ {line.translate(MD_SPECIAL)}**" for line in living_notes(verdict, lang)]
    return [*lines, ""] if lines else []


def living_html(verdict, lang: str = "en") -> str:
    """:func:`living_notes` as HTML paragraphs (escaped, class ``cut``); "" when none."""
    import html

    return "".join(f'<p class="cut living">⚠ {html.escape(line)}</p>' for line in living_notes(verdict, lang))

"""The analysis plan's pooled results, and the systematic reviews' own results beside them.

A **pooled row** is a summary-of-findings row (:mod:`evidence.grade`, built with the analysis
plan ``data/analysis_plan.yaml``: one comparison x condition x outcome domain x time window,
one result per study by the plan's written rule) that combines two or more studies on one
scale, by inverse variance with random effects (REML; :func:`evidence.analyses.pool_studies`).
With I2 > 75% and fewer than five studies the row keeps its heterogeneity (I2, tau2) but shows
no estimate. These rows are the only pooled results the workbook shows: notebook 04, the forest
plots (:mod:`evidence.forests`), ``tables/analyses.csv``, ``review.json`` and ``evidence diff``.

:func:`pooled_rows` lists them, keyed stably by ``comparison | condition | domain | window |
measure`` (:func:`row_key`, the key ``review.json`` uses for every SoF row).
:func:`compare_with_reviews` sets each beside the pooled results that the snapshot's systematic
reviews report in their abstracts (the review rows of the extraction table, with the quoted
sentence) for the same comparison, condition and outcome domain (a review's outcome code is
placed in the plan's domain as a trial's is), and says why the numbers may differ: how many
trials they pooled, the measure, the unit, whether our estimate lies inside their CI, and
whether the time windows agree. A systematic review of the condition whose snapshot abstract is
cut short gets a row that says so; nothing is quoted from elsewhere.

References
----------
Deeks JJ, Higgins JPT, Altman DG (eds.). Chapter 10: Analysing data and undertaking
meta-analyses. In: Cochrane Handbook for Systematic Reviews of Interventions, version 6.4
(2023): 10.3 (a study counts once), 10.10.2 (no single summary when studies disagree too much),
10.10.4.3 (prediction intervals).

Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated guideline for
reporting systematic reviews. BMJ 2021;372:n71 (item 23a: interpret the results in the context
of other evidence).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analyses import measure_family
from .extraction import is_review_row
from .miner import mine
from .synthesis import place

__all__ = ["is_pooled", "row_key", "row_words", "PooledRows", "pooled_rows",
           "COMPARISON_COLUMNS", "compare_with_reviews"]

#: The fields of a SoF row that make its key (``review.json``, ``tables/analyses.csv``).
KEY_FIELDS = ("comparison", "condition", "outcome", "timepoint", "measure")


def is_pooled(row) -> bool:
    """True for a SoF row that combines two or more studies on one scale (every study has a
    random-effects weight), whether or not it shows a pooled estimate. Never a review's row."""
    return (not row.is_review and (row.k_studies or 0) >= 2 and len(row.studies) >= 2
            and all(s.get("weight") is not None for s in row.studies))


def row_key(row) -> str:
    """``comparison | condition | domain | window | measure`` of a SoF row (its stable key)."""
    return " | ".join(str(getattr(row, f)) for f in KEY_FIELDS)


def row_words(row) -> str:
    """The row in words: ``"Acupuncture vs sham for tension-type headache: headache days or
    frequency, after treatment (3 to 4 months), MD"`` (question, domain, window, measure)."""
    return (f"{row.question}: {row.outcome_words or row.outcome.replace('_', ' ')}, "
            f"{row.timepoint_words or row.timepoint.replace('_', ' ')}, {row.measure}")


def _clean(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _fmt(x) -> str:
    return "NA" if x is None or not np.isfinite(x) else f"{x:.2f}"


def _studies_text(row) -> str:
    return "; ".join(f"{s['study']}: {_fmt(s['estimate'])} ({_fmt(s['ci_low'])} to "
                     f"{_fmt(s['ci_high'])}), weight {s['weight']:.0f}%" for s in row.studies)


@dataclass(frozen=True)
class PooledRows:
    """The summary-of-findings rows that pool two or more studies (:func:`pooled_rows`).

    Attributes
    ----------
    rows : tuple of evidence.grade.SofRow
        In the SoF's order (main table first).
    """

    rows: tuple

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def keys(self) -> tuple[str, ...]:
        """:func:`row_key` of each row."""
        return tuple(row_key(r) for r in self.rows)

    def to_dict(self) -> list[dict]:
        """One dict per row: ``key``, ``question`` (in words, :func:`row_words`), ``comparison``,
        ``condition``, ``outcome`` (domain), ``timepoint`` (window), ``pooled`` (an estimate is
        shown), ``k``, ``measure``, ``estimate``, ``ci_low``, ``ci_high``, ``pi_low``,
        ``pi_high``, ``tau2``, ``i2`` (None where absent), ``certainty``, ``studies`` (each study
        with its estimate, 95% CI and weight), ``notes`` (the row's footnotes)."""
        return [{"key": row_key(r), "question": row_words(r), "comparison": r.comparison,
                 "condition": r.condition, "outcome": r.outcome, "timepoint": r.timepoint,
                 "pooled": r.estimate is not None, "k": int(r.k_studies), "measure": r.measure,
                 "estimate": _clean(r.estimate), "ci_low": _clean(r.ci_low),
                 "ci_high": _clean(r.ci_high), "pi_low": _clean(r.pi_low),
                 "pi_high": _clean(r.pi_high), "tau2": _clean(r.tau2), "i2": _clean(r.i2),
                 "certainty": r.certainty, "studies": _studies_text(r),
                 "notes": " | ".join(r.footnotes)} for r in self.rows]

    def summary_frame(self) -> pd.DataFrame:
        """One labelled row per pooled row (columns as :meth:`to_dict` without ``key``; NaN
        where absent), indexed by ``analysis`` (the key)."""
        columns = ["question", "comparison", "condition", "outcome", "timepoint", "pooled", "k",
                   "measure", "estimate", "ci_low", "ci_high", "pi_low", "pi_high", "tau2", "i2",
                   "certainty", "studies", "notes"]
        items = self.to_dict()
        frame = pd.DataFrame(items, columns=["key", *columns]).set_index("key")
        frame.index.name = "analysis"
        numbers = ["estimate", "ci_low", "ci_high", "pi_low", "pi_high", "tau2", "i2"]
        frame[numbers] = frame[numbers].astype(float)
        return frame


def pooled_rows(sof) -> PooledRows:
    """The analysis plan's pooled rows: every SoF row that combines two or more studies.

    Parameters
    ----------
    sof : evidence.grade.SummaryOfFindings or sequence of SofRow
        Built with the analysis plan (:func:`evidence.review.load_sof`).

    Returns
    -------
    PooledRows
    """
    return PooledRows(rows=tuple(r for r in getattr(sof, "rows", sof) if is_pooled(r)))


# ----------------------------------------------------------------------------------------------
# beside the systematic reviews

#: Columns of :func:`compare_with_reviews`.
COMPARISON_COLUMNS = ("analysis", "question", "ours", "review", "pmid", "abstract_complete",
                      "their_measure", "their_estimate", "their_ci_low", "their_ci_high",
                      "their_timepoint", "their_trials", "quote", "why_they_differ")
_TO_OURS = {("cm", "mm"): 10.0, ("mm", "cm"): 0.1}


def _ours(row) -> str:
    if row.estimate is not None:
        i2 = f", I2 = {row.i2:.0f}%" if row.i2 is not None else ""
        return (f"{row.measure} {_fmt(row.estimate)} ({_fmt(row.ci_low)} to "
                f"{_fmt(row.ci_high)}), k = {row.k_studies}{i2}")
    i2 = "NA" if row.i2 is None else f"{row.i2:.0f}"
    return f"no pooled estimate: I2 = {i2}% with {row.k_studies} studies"


def _trials(source: str) -> int | None:
    m = re.search(r"\b(\d+)\s+(?:trials|RCTs|studies|randomi[sz]ed)", source)
    return int(m.group(1)) if m else None


def _length_unit(text: str) -> str | None:
    m = re.search(r"\b(mm|cm)\b", text)
    return m.group(1) if m else None


def _window_sentence(row, rev: pd.Series, plan) -> str:
    """Whether the review's timepoint falls in the row's time window (the plan's windows)."""
    _domain, window, weeks, _unstated, _in_plan = place(rev["outcome"], rev["condition"],
                                                         rev["timepoint"], plan)
    ours = row.timepoint_words or row.timepoint
    if weeks is None:
        return (f"Their timepoint ({rev['timepoint']}) gives no time the plan's windows can "
                f"place; ours is {ours}.")
    if window == row.timepoint:
        return f"Same time window ({ours})."
    found = plan.window(str(rev["condition"]), window)
    theirs = found.words if found is not None else "outside the plan's windows"
    return f"Time windows differ (theirs {rev['timepoint']}: {theirs}; ours {ours})."


def _why(row, rev: pd.Series, plan) -> str:
    """A sentence on why our pooled row and the review's result differ."""
    n = _trials(str(rev["source"]))
    theirs = f"They pooled {n} trials" if n else "They pooled an unstated number of trials"
    names = ", ".join(str(s["study"]) for s in row.studies)
    if row.estimate is None:
        ours = (f"we combine what {row.k_studies} trial abstracts report ({names}) but show no "
                f"pooled estimate ({_ours(row).split(': ', 1)[1]}: too heterogeneous to summarise "
                "in one number)")
    else:
        ours = f"we pool only what {row.k_studies} trial abstracts report ({names})"
    parts = [f"{theirs} with the trials' full data; {ours}."]
    their_family = measure_family(str(rev["measure"]))
    if row.measure != their_family:
        parts.append(f"They report an {their_family}, we an {row.measure}: the numbers are on "
                     "different scales and cannot be compared directly.")
    elif row.estimate is not None and (pd.isna(rev["ci_low"]) or pd.isna(rev["ci_high"])):
        parts.append("Their abstract gives no 95% CI to set our estimate against.")
    elif row.estimate is not None:
        factor = 1.0
        our_unit = _length_unit(" ".join(str(s.get("scale", "")) for s in row.studies))
        their_unit = _length_unit(str(rev["source"]))
        if our_unit and their_unit and our_unit != their_unit:
            factor = _TO_OURS.get((their_unit, our_unit), 1.0)
            parts.append(f"They report in {their_unit}, we in {our_unit} "
                         f"({their_unit} x {factor:g}).")
        low, high = rev["ci_low"] * factor, rev["ci_high"] * factor
        inside = low <= row.estimate <= high
        overlap = row.ci_low <= high and low <= row.ci_high
        parts.append(f"Our estimate lies {'inside' if inside else 'outside'} their CI; the "
                     f"intervals {'overlap' if overlap else 'do not overlap'}.")
    parts.append(_window_sentence(row, rev, plan))
    return " ".join(parts)


def _cut_short(abstract: str) -> str:
    """Why a review whose snapshot abstract is cut short has no number to quote."""
    where = ("before any pooled result with a confidence interval" if not mine(abstract)
             else "; the part present gives no pooled result for this question")
    return (f"The snapshot's abstract of this review is cut short (abstract_complete = False)"
            f"{' ' if not where.startswith(';') else ''}{where}. Nothing is quoted from "
            "elsewhere; a live re-record with the full abstract would allow the comparison.")


def compare_with_reviews(sof, effects_frame: pd.DataFrame, records: pd.DataFrame,
                         labels: pd.DataFrame, plan) -> pd.DataFrame:
    """The plan's pooled rows beside the pooled results the snapshot's systematic reviews report.

    Parameters
    ----------
    sof : evidence.grade.SummaryOfFindings or sequence of SofRow
        Built with the analysis plan; only its pooled rows (:func:`pooled_rows`) are compared.
    effects_frame : DataFrame
        The extraction table; its review rows (:func:`evidence.extraction.is_review_row`)
        hold the reviews' pooled results with the quoted sentence in ``source``.
    records : DataFrame
        The records table with ``abstract_complete`` (:func:`evidence.review.load_records`).
    labels : DataFrame
        Hand labels with ``pmid, design, condition`` (:func:`evidence.review.load_labels`);
        used to find the systematic reviews of a condition that have no row for a question.
    plan : evidence.plan.AnalysisPlan
        Places each review result's outcome code in a domain and its timepoint in a window.

    Returns
    -------
    DataFrame
        One row per (pooled row, review result), columns :data:`COMPARISON_COLUMNS`:
        ``analysis`` names the pooled row in words (:func:`row_words`), ``question`` is its
        key (:func:`row_key`), ``ours`` its estimate or why there is none. A review result
        matches a pooled row with the same comparison and condition whose outcome code lies in
        the row's domain (any timepoint; ``why_they_differ`` says whether the time windows
        agree). A systematic review of the row's condition whose snapshot abstract is cut
        short (``abstract_complete`` False) and that gives no number for it gets a row that
        says so, with no numbers: nothing is quoted from elsewhere.
    """
    complete = dict(zip(records["pmid"].astype(str), records["abstract_complete"]))
    abstracts = dict(zip(records["pmid"].astype(str), records["abstract"]))
    names = {str(p): f"{str(a).split()[0] if str(a) else '?'} {y}"
             for p, a, y in zip(records["pmid"], records["first_author"], records["year"])}
    reviews = effects_frame[effects_frame["study"].map(is_review_row)]
    domains = reviews["outcome"].map(lambda o: (plan.domain_of(str(o)).code
                                                if plan.domain_of(str(o)) else str(o)))
    out = []
    for row in pooled_rows(sof):
        base = {"analysis": row_words(row), "question": row.question, "ours": _ours(row)}
        match = reviews[(reviews["comparison"] == row.comparison)
                        & (reviews["condition"] == row.condition) & (domains == row.outcome)]
        for _, rev in match.iterrows():
            out.append({**base, "review": rev["study"], "pmid": rev["pmid"],
                        "abstract_complete": complete.get(str(rev["pmid"]), pd.NA),
                        "their_measure": rev["measure"], "their_estimate": rev["estimate"],
                        "their_ci_low": rev["ci_low"], "their_ci_high": rev["ci_high"],
                        "their_timepoint": rev["timepoint"],
                        "their_trials": _trials(str(rev["source"])),
                        "quote": rev["source"], "why_they_differ": _why(row, rev, plan)})
        quoted = set(match["pmid"].astype(str))
        srs = labels[(labels["design"] == "systematic_review")
                     & (labels["condition"] == row.condition)]
        for pmid in srs["pmid"].astype(str):
            flag = complete.get(pmid, pd.NA)
            if pmid in quoted or pd.isna(flag) or bool(flag):
                continue
            out.append({**base, "review": names.get(pmid, pmid), "pmid": pmid,
                        "abstract_complete": False, "their_measure": None,
                        "their_estimate": np.nan, "their_ci_low": np.nan,
                        "their_ci_high": np.nan, "their_timepoint": None, "their_trials": None,
                        "quote": "", "why_they_differ": _cut_short(abstracts.get(pmid, ""))})
    return pd.DataFrame(out, columns=list(COMPARISON_COLUMNS))

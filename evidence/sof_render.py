"""The summary-of-findings rows as text: JSON (the contract's keys), CSV and Markdown.

:func:`sof_text` renders an :class:`evidence.grade.SummaryOfFindings`: the main table
(at most seven outcomes per comparison x condition, chosen by the analysis plan) or, with
``all=True``, the further results too. CSV and Markdown cells hold words, not codes
(:func:`evidence.texts.ui_label`); Markdown cells are escaped and every footnote is cited by a
row; CSV cells that a spreadsheet would read as a formula are neutralised.

References
----------
Guyatt GH, Oxman AD, Santesso N, et al. (2013). GRADE guidelines: 12. Preparing summary of
findings tables -- binary outcomes. J Clin Epidemiol, 66(2), 158-172.
"""

from __future__ import annotations

import json
from typing import Mapping

import pandas as pd

from .analyses import COMPARISON_WORDS
from .escape import md_escape
from .frames import csv_text
from .texts import ui_label

__all__ = ["SOF_FORMATS", "SOF_KEYS", "sof_text"]

#: Output formats of :func:`sof_text`.
SOF_FORMATS = ("json", "csv", "md")
#: Keys of a row in the ``evidence sof`` output, in order (the contract's keys, then the
#: heterogeneity of rows that combine studies, the table and the sensitivity analyses).
SOF_KEYS = ("question", "comparison", "condition", "outcome", "timepoint", "k_studies",
            "participants", "measure", "estimate", "ci_low", "ci_high", "absolute", "mid",
            "certainty", "downgrades", "source", "study_ids", "pmids", "footnotes",
            "i2", "tau2", "pi_low", "pi_high", "table", "sensitivity")
_DOMAIN_WORDS = {"risk_of_bias": "risk of bias", "inconsistency": "inconsistency",
                 "indirectness": "indirectness", "imprecision": "imprecision",
                 "publication_bias": "publication bias"}


def _cell(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x).replace("|", "/").replace("\n", " ")


def _md(x) -> str:
    """A Markdown table cell: escaped by the one Markdown escape (:func:`evidence.escape.md_escape`)."""
    return md_escape(_cell(x))


def _words_of(r) -> dict:
    """The row's codes in words (evidence.texts), for csv and md cells."""
    return {
        "comparison": ui_label("comparison", r.comparison) if r.comparison in
        ("acupuncture_vs_sham", "acupuncture_vs_usual_care", "acupuncture_vs_active")
        else f"acupuncture vs {COMPARISON_WORDS.get(r.comparison, r.comparison)}",
        "condition": ui_label("condition", r.condition),
        "outcome": r.outcome_words or ui_label("outcome", r.outcome),
        "timepoint": r.timepoint_words or ui_label("timepoint", r.timepoint),
        "certainty": ui_label("certainty", r.certainty),
    }


def _sensitivity_text(s: Mapping) -> str:
    if not s.get("k_studies"):
        return f"{s['words']}: no study left"
    est = ("no pooled estimate" if s.get("estimate") is None else
           f"{_cell(s['estimate'])} ({_cell(s['ci_low'])} to {_cell(s['ci_high'])})")
    return (f"{s['words']}: {s['k_studies']} {'study' if s['k_studies'] == 1 else 'studies'}, "
            f"{est}, certainty {ui_label('certainty', s.get('certainty'))}")


def sof_text(sof: SummaryOfFindings, *, fmt: str = "json", all: bool = False) -> str:
    """The summary-of-findings rows as text.

    Parameters
    ----------
    sof : SummaryOfFindings
    fmt : {"json", "csv", "md"}
        ``json``: a list of row objects (:meth:`SofRow.to_dict`, downgrades as
        ``[{domain, levels, reason}]``, codes as in the contract); ``csv``: one
        line per row with words, not codes, in the cells (downgrades as
        ``"risk of bias -1: reason"``), formula cells neutralised; ``md``: a
        Markdown table per question, escaped, with numbered footnotes that each
        row cites (no footnote without a mark).
    all : bool
        False: the main table only (at most :data:`evidence.synthesis.MAIN_OUTCOMES` outcomes per
        comparison x condition); True: the further results too.

    Returns
    -------
    str
    """
    if fmt not in SOF_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(SOF_FORMATS)}; got {fmt!r}")
    chosen = [r for r in sof.rows if all or r.table == "main"]
    if fmt == "json":
        rows = [{k: r.to_dict()[k] for k in SOF_KEYS} for r in chosen]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = []
        for r in chosen:
            d = {k: r.to_dict()[k] for k in SOF_KEYS}
            d.update(_words_of(r))
            d["downgrades"] = "; ".join(f"{_DOMAIN_WORDS[g.domain]} -{g.levels}: {g.reason}"
                                        for g in r.downgrades if g.levels) or "none"
            d["study_ids"] = ", ".join(r.study_ids)
            d["pmids"] = ", ".join(r.pmids)
            d["footnotes"] = " | ".join(r.footnotes)
            d["sensitivity"] = " | ".join(_sensitivity_text(s) for s in r.sensitivity)
            out.append(d)
        frame = pd.DataFrame(out, columns=list(SOF_KEYS))
        frame["participants"] = frame["participants"].astype("Int64")
        frame["k_studies"] = frame["k_studies"].astype("Int64")
        return csv_text(frame)  # the one CSV writer: formula cells neutralised (evidence.escape)
    lines = ["# Summary of findings (GRADE)" + ("" if all else ": main table"), ""]
    if not all:
        lines += ["At most seven patient-important outcomes per comparison and condition, "
                  "chosen by the analysis plan; `evidence sof --all` adds the further results "
                  "(surrogates, single sessions, results without numbers, other populations, "
                  "the systematic reviews as reported).", ""]
    for question in dict.fromkeys(r.question for r in chosen):
        lines += [f"## {_md(question)}", "",
                  "| outcome | timepoint | studies (participants) | relative / estimate (95% CI) "
                  "| absolute effect | MID | certainty | source |",
                  "|---|---|---|---|---|---|---|---|"]
        notes: list[str] = []
        for r in (x for x in chosen if x.question == question):
            marks = []

            def note(text: str) -> None:
                notes.append(text)
                marks.append(str(len(notes)))

            for g in r.downgrades:
                if g.levels:
                    note(f"{_DOMAIN_WORDS[g.domain]} (-{g.levels}): {g.reason}")
            for f in r.footnotes:
                note(f)
            for s in r.sensitivity:
                note("Sensitivity analysis, " + _sensitivity_text(s) + ".")
            if r.i2 is not None:
                pi = ("" if r.pi_low is None else
                      f"; 95% prediction interval {_cell(r.pi_low)} to {_cell(r.pi_high)}")
                note(f"Heterogeneity: I2 = {r.i2:.0f}%, tau2 = {r.tau2:.3g}{pi}.")
            words = _words_of(r)
            n = "not reported in the abstract" if r.participants is None else str(r.participants)
            est = ("not pooled" if r.estimate is None else
                   f"{r.measure} {_cell(r.estimate)} ({_cell(r.ci_low)} to {_cell(r.ci_high)})")
            cert = words["certainty"] + (f" [{', '.join(marks)}]" if marks else "")
            k = "not stated" if r.k_studies is None else r.k_studies
            lines.append(f"| {_md(words['outcome'])} | {_md(words['timepoint'])} | {k} ({n}) | "
                         f"{_md(est)} | {_md(r.absolute)} | {_md(r.mid)} | {_md(cert)} | "
                         f"{_md(r.source)} |")
        lines.append("")
        lines += [f"{i}. {_md(n)}" for i, n in enumerate(notes, start=1)]
        lines.append("")
    return "\n".join(lines)

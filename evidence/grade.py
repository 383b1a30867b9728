"""GRADE certainty and the summary-of-findings table, per question.

:func:`summary_of_findings` turns the extraction table (``effects.csv``), the
study table (``studies.csv``), the RoB 2 table (``risk_of_bias.csv``), the
results reported without numbers (``null_results.csv``) and the minimal
important differences (``mids.csv``) into GRADEpro-style rows
(:class:`SofRow`), one per comparison x condition x outcome x timepoint x
measure family. The rows' data come as arguments; only
:mod:`evidence.review` reads the files (:func:`evidence.review.load_sof`).

Rows
----
- **Trials, with the analysis plan** (``data/analysis_plan.yaml``,
  :mod:`evidence.plan`, :mod:`evidence.synthesis`; issue 14): rows of trials
  are grouped by comparison, condition, outcome DOMAIN, time WINDOW and
  measure family; each study (``study_id``) counts once by the plan's
  written pick rule; a result without a stated timepoint goes to the
  plan's window for it (footnoted; a sensitivity analysis leaves it out);
  pain in cm is put on 0-100; different instruments with arm SDs pool as
  SMD. Each row carries the plan's sensitivity and subgroup analyses that
  change its studies (``sensitivity``) and is in the main table (at most
  :data:`MAIN_OUTCOMES` per comparison x condition) or the further results.
- **Trials, without a plan**: grouped by comparison, condition, outcome
  code, timepoint code and measure family (nothing banded); within a group
  the study's own label before a qualified one, then arm data before an
  estimate, then the first in the table.
- **Pooling** (:func:`evidence.analyses.pool_studies`): k >= 2 on one scale
  gives a random-effects (REML) estimate with the fixed effect and the HKSJ
  interval in the footnotes; with I2 > 75% and k < 5 there is no estimate.
  Mean differences on different units (mm and cm) are not pooled.
- **Systematic reviews.** Each pooled result a review reports
  (:func:`evidence.extraction.is_review_row`) is its own row, source
  ``"systematic review <study_id> as reported"``, never pooled with trials
  and not rated with RoB 2.
- **Results without numbers** (``null_results.csv``) count for
  inconsistency of the question they share (other studies, or the same
  study at another timepoint); a question that only such results answer
  gets its own row with no estimate (source ``"reported without usable
  numbers"``, imprecision very serious).
- **Participants** are the sum of ``n_randomised`` of the extraction table,
  or None with a footnote when any study's number is not in the abstract;
  they are never read from abstract text.

Certainty
---------
Evidence from randomised trials starts at high, from non-randomised trials
at low (GRADE Handbook 5.1). Five domains can each lower it by 0, 1 or 2
levels (:class:`Downgrade`, every one with its reason); the floor is
very low.

- **Risk of bias**: from the RoB 2 table, by the share of the pooled weight
  (equal shares without a pool) from results at high risk and at some
  concerns: high risk >= 50% of the information: 2 levels; high plus some
  concerns >= 50%: 1 level. A result with no RoB row is not assessable and
  counts as some concerns (said in the reason). Judgements made from
  abstracts only are flagged in the reason.
- **Inconsistency**: I2 (>= 50%: substantial; > 75%: considerable), the
  prediction interval crossing the null when the CI does not (k >= 3),
  point estimates on both sides of the null or of the MID, and null
  results (``null_results.csv``) for the same comparison, condition and
  outcome from OTHER studies (a conflict inside one trial is not
  inconsistency). Never by counting significant results.
  Considerable I2 with estimates on both sides of the null: 2 levels; any
  signal: 1 level. One study: not assessable (not downgraded) unless a null
  result of another study disagrees.
- **Indirectness**: population (a condition other than tension-type
  headache or neck pain), intervention (dry needling, electroacupuncture or
  another technique for more than half of the information), comparator
  (a mixed reference), outcome (a surrogate such as range of motion), and
  the immediate effect of one session. One level for one or more concerns,
  two for three or more.
- **Imprecision** (GRADE guidance 34, Zeng 2022): the 95% CI against the
  thresholds +-MID (``mids.csv``; without an accepted MID: RR 0.75/1.25 for
  ratios, SMD 0.2, per GRADE guidance 6; else the null): inside +-MID: not
  downgraded (a precise small or null effect); crossing one threshold: 1
  level; both: 2. The optimal information size (about 400 participants) is
  checked only when no threshold is crossed and the participants are
  known; an unknown count is said, never punished. Studies not pooled
  because they disagree: rated once, under inconsistency.
- **One concern, one domain**: a concern another domain rates is set aside
  (:data:`RATED_ELSEWHERE`: a mixed comparator is indirectness, not also
  RoB 2 domain 5). The RoB footnote names each domain's own judgement.
- **Publication bias**: Egger's test when k >= 10 (:func:`evidence.meta.
  egger_test`, p < 0.10 downgrades 1); otherwise "not assessable, k < 10"
  with the small-study signal stated (the smallest study's estimate
  beyond the pooled one), not downgraded.

References
----------
Schünemann, H., Brożek, J., Guyatt, G., & Oxman, A. (eds.) (2013). GRADE
Handbook for grading quality of evidence and strength of recommendations.
The GRADE Working Group. Sections 5.1-5.2.

Guyatt, G. H., Oxman, A. D., Vist, G., et al. (2011). GRADE guidelines: 4.
Rating the quality of evidence -- study limitations (risk of bias). Journal
of Clinical Epidemiology, 64(4), 407-415.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 5.
Rating the quality of evidence -- publication bias. J Clin Epidemiol,
64(12), 1277-1282.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines 6.
Rating the quality of evidence -- imprecision. J Clin Epidemiol, 64(12),
1283-1293.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 7.
Rating the quality of evidence -- inconsistency. J Clin Epidemiol, 64(12),
1294-1302.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 8.
Rating the quality of evidence -- indirectness. J Clin Epidemiol, 64(12),
1303-1310.

Guyatt, G. H., Oxman, A. D., Santesso, N., et al. (2013). GRADE guidelines:
12. Preparing summary of findings tables -- binary outcomes. J Clin
Epidemiol, 66(2), 158-172.

Zeng, L., Brignardello-Petersen, R., Hultcrantz, M., et al. (2022). GRADE
Guidance 34: update on rating imprecision using a minimally contextualized
approach. J Clin Epidemiol, 150, 216-224.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np
import pandas as pd

from .analyses import COMPARISON_WORDS, CONDITION_WORDS, pool_studies, row_effect, row_scale
from .analyses import timepoint_months as months_of  # the method's argument is timepoint_months
from .extraction import is_review_row
from .effects import hedges_g
from .meta import EGGER_MIN_K
from .review_certainty import judge_review
from .rob import rob_for
from .sof_render import SOF_FORMATS, SOF_KEYS, sof_text
from .synthesis import (MAIN_OUTCOMES, assign, choose_main, pick_one_per_study, place,
                        sensitivity_sets)
from .texts import claim_timepoint
from .vocab import CERTAINTIES, NOT_ACUPUNCTURE_COMPARISONS
# the five GRADE domains and the MIDs live in their own modules; re-exported here unchanged
from .grade_domains import (DOMAINS_GRADE, OIS_CONTINUOUS, Downgrade, _benefit_sign, _certainty,
                            _imprecision, _inconsistency, _indirectness, _publication_bias,
                            _risk_of_bias)
from .grade_domains import RATED_ELSEWHERE, SURROGATE_OUTCOMES  # noqa: F401 (re-exported)
from .mids import (MID_COLUMNS, _PAIN, _RATIO, _absolute, _mid_for, _mid_text, _mid_value,
                   _threshold, _words, parse_mids)
from .mids import MID_RANGE, RR_THRESHOLD, SMD_THRESHOLD  # noqa: F401 (re-exported)

__all__ = [
    "DOMAINS_GRADE",
    "CERTAINTIES",
    "OIS_CONTINUOUS",
    "Downgrade",
    "SofRow",
    "SummaryOfFindings",
    "summary_of_findings",
    "question_text",
    "parse_mids",
    "MID_COLUMNS",
    "SOF_FORMATS",
    "SOF_KEYS",
    "MAIN_OUTCOMES",
    "sof_text",
]


_FAMILIES = {"MD": "MD", "GENERIC_MD": "MD", "SMD": "SMD", "RR": "RR", "GENERIC_RR": "RR",
             "OR": "OR", "GENERIC_OR": "OR", "RD": "RD"}
_COMPARISON_WORDS = {**COMPARISON_WORDS,
                     "acupuncture_vs_mixed": "a mixed control (several control treatments together)"}
_CONDITION_WORDS = CONDITION_WORDS
_NON_RANDOMISED = ("non_randomised_trial", "observational")


# ----------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class SofRow:
    """One row of a summary-of-findings table (GRADEpro style).

    Attributes
    ----------
    question : str
        E.g. ``"Acupuncture vs sham for tension-type headache"``.
    condition, comparison, outcome, timepoint : str
        As in the extraction table (timepoint codes are not banded).
    k_studies : int or None
        Studies (not reports); None when a review's abstract does not state how many
        studies its pooled result rests on (never shown as 0).
    participants : int or None
        Sum of ``n_randomised``; None when any study's number is unknown.
    measure : str
        MD, SMD, RR, OR, RD (trials' measure family), or the review's measure.
    estimate, ci_low, ci_high : float or None
        Natural scale; None when not pooled.
    absolute : str
        The absolute effect in words.
    mid : str
        The minimal important difference judged against, with its source.
    certainty : str
        One of :data:`CERTAINTIES`.
    downgrades : tuple of Downgrade
        One per GRADE domain, in :data:`DOMAINS_GRADE` order.
    study_ids, pmids : tuple of str
        The studies and their main reports' PMIDs, best evidence (largest
        weight) first.
    source : str
        ``"pooled from trials"``, ``"one trial"``, ``"trials, not pooled"``,
        ``"reported without usable numbers"`` (results of ``null_results.csv``
        for a question no trial row answers; no estimate) or
        ``"systematic review <study_id> as reported"``.
    footnotes : tuple of str
        What a reader must know (pooling notes, unknown participants, ...).
    i2, tau2, pi_low, pi_high : float or None
        Heterogeneity of a row that combines two or more studies (I2 in
        percent, tau2 on the analysis scale, the 95% prediction interval on
        the natural scale; None where not estimable or with one study). Kept
        when the studies are shown without a pooled estimate.
    table : str
        ``"main"`` (the main summary-of-findings table) or ``"further"``
        (surrogates, single sessions, results without numbers, other
        populations, reviews as reported: ``evidence sof --all``).
    sensitivity : tuple of dict
        The plan's sensitivity and subgroup analyses that change this row's
        studies, each ``{analysis, words, k_studies, study_ids, estimate,
        ci_low, ci_high, certainty}``.
    outcome_words, timepoint_words : str
        The outcome (domain) and timepoint (window) in words.
    studies : tuple of dict
        The results the row rests on, exactly as picked and pooled (one per study by the
        plan's rule, after any standardisation), in the pool's order: ``{study_id, study,
        outcome, pmid, estimate, ci_low, ci_high, weight, scale}``, estimate and 95% CI on the
        natural scale of :attr:`measure` (the common scale the pool used, e.g. 0-100 for
        pain), ``weight`` the random-effects weight in percent (None when nothing was
        pooled: one study, or results on different scales). Empty for narrative rows and
        the reviews' rows. The forest plots (:mod:`evidence.forests`) draw these.
    """

    question: str
    condition: str
    comparison: str
    outcome: str
    timepoint: str
    k_studies: int | None
    participants: int | None
    measure: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    absolute: str
    mid: str
    certainty: str
    downgrades: tuple[Downgrade, ...]
    study_ids: tuple[str, ...]
    pmids: tuple[str, ...]
    source: str
    footnotes: tuple[str, ...] = field(default=())
    i2: float | None = None
    tau2: float | None = None
    pi_low: float | None = None
    pi_high: float | None = None
    table: str = "main"
    sensitivity: tuple[dict, ...] = field(default=(), hash=False)
    outcome_words: str = ""
    timepoint_words: str = ""
    studies: tuple[dict, ...] = field(default=(), hash=False)

    @property
    def is_review(self) -> bool:
        """True for a systematic review's result as reported."""
        return self.source.startswith("systematic review")

    def to_dict(self) -> dict:
        """JSON-ready dict; ``downgrades`` as ``[{domain, levels, reason}]``."""
        return {
            "question": self.question, "condition": self.condition,
            "comparison": self.comparison, "outcome": self.outcome,
            "timepoint": self.timepoint, "k_studies": self.k_studies,
            "participants": self.participants, "measure": self.measure,
            "estimate": _clean(self.estimate), "ci_low": _clean(self.ci_low),
            "ci_high": _clean(self.ci_high), "absolute": self.absolute, "mid": self.mid,
            "certainty": self.certainty,
            "downgrades": [d.to_dict() for d in self.downgrades],
            "study_ids": list(self.study_ids), "pmids": list(self.pmids),
            "source": self.source, "footnotes": list(self.footnotes),
            "i2": _clean(self.i2), "tau2": _clean(self.tau2), "pi_low": _clean(self.pi_low),
            "pi_high": _clean(self.pi_high), "table": self.table,
            "sensitivity": [dict(s) for s in self.sensitivity],
            "studies": [{k: (_clean(v) if k in _STUDY_NUMBERS else v) for k, v in s.items()}
                        for s in self.studies],
        }


_STUDY_NUMBERS = ("estimate", "ci_low", "ci_high", "weight")
_Z95 = 1.959963984540054  # the normal 97.5% quantile, as evidence.meta uses it


def _study_results(picked: pd.DataFrame, family: str, weights, main_pmid) -> tuple[dict, ...]:
    """The picked results as :attr:`SofRow.studies` (natural scale; weights in percent or None)."""
    out = []
    for i, (_, r) in enumerate(picked.iterrows()):
        yi, se = float(r["_yi"]), math.sqrt(float(r["_vi"]))
        sid = str(r["_study_id"])
        out.append({"study_id": sid, "study": str(r["study"]), "outcome": str(r["outcome"]),
                    "pmid": main_pmid.get(sid, str(r["pmid"])),
                    "estimate": _natural(family, yi),
                    "ci_low": _natural(family, yi - _Z95 * se),
                    "ci_high": _natural(family, yi + _Z95 * se),
                    "weight": None if weights is None else float(weights[i]),
                    "scale": str(r["_scale"])})
    return tuple(out)


def _clean(x):
    """A finite float for JSON, without binary noise: 16.2 - 22.3 is -6.100000000000001 in
    floating point and is written -6.1 (12 significant digits, far beyond any estimate's
    precision); NaN and inf become None."""
    if x is None:
        return None
    x = float(x)
    return float(f"{x:.12g}") if math.isfinite(x) else None


#: Column order of :meth:`SummaryOfFindings.summary_frame`.
FRAME_COLUMNS = ("question", "comparison", "condition", "outcome", "timepoint", "k_studies",
                 "participants", "measure", "estimate", "ci_low", "ci_high", "absolute", "mid",
                 "certainty", "downgrades", "source", "study_ids", "pmids", "footnotes",
                 "i2", "tau2", "pi_low", "pi_high", "table")


#: Kinds of SoF rows (:meth:`SummaryOfFindings.summary_frame`).
ROW_KINDS = ("all", "trials", "narrative", "reviews", "main", "further")


def _kind(row: SofRow) -> str:
    if row.is_review:
        return "reviews"
    if row.source == "reported without usable numbers":
        return "narrative"
    return "trials"


@dataclass(frozen=True)
class SummaryOfFindings:
    """The summary-of-findings rows of the review.

    Attributes
    ----------
    rows : tuple of SofRow
        Trials' rows first (by condition, comparison, outcome, timepoint),
        then the systematic reviews' rows.
    """

    rows: tuple[SofRow, ...]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> list[dict]:
        """A list of :meth:`SofRow.to_dict`."""
        return [r.to_dict() for r in self.rows]

    def summary_frame(self, *, kind: str = "all") -> pd.DataFrame:
        """One row per SoF row (:data:`FRAME_COLUMNS`); downgrades as ``"domain (-n): reason"``
        joined by ``"; "`` (only the domains that lowered the certainty).

        Parameters
        ----------
        kind : {"all", "trials", "narrative", "reviews", "main", "further"}
            Every row, or only the rows from trials' numbers, from results reported
            without usable numbers, from systematic reviews as reported, of the main
            table or of the further results.
        """
        if kind not in ROW_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ROW_KINDS)}; got {kind!r}")
        out = []
        for r in self.rows:
            if kind in ("main", "further"):
                if r.table != kind:
                    continue
            elif kind != "all" and _kind(r) != kind:
                continue
            d = r.to_dict()
            d["downgrades"] = "; ".join(f"{g.domain} (-{g.levels}): {g.reason}"
                                        for g in r.downgrades if g.levels)
            d["study_ids"] = ", ".join(r.study_ids)
            d["pmids"] = ", ".join(r.pmids)
            d["footnotes"] = " | ".join(r.footnotes)
            out.append(d)
        frame = pd.DataFrame(out, columns=list(FRAME_COLUMNS))
        frame["participants"] = frame["participants"].astype("Int64")
        frame["k_studies"] = frame["k_studies"].astype("Int64")
        return frame

    def select(self, *, conditions=None, comparisons=None, outcomes=None,
               timepoint_months=None) -> tuple[SofRow, ...]:
        """The rows that match every filter given.

        Parameters
        ----------
        conditions, comparisons, outcomes : iterable of str, optional
            Allowed values (any when None).
        timepoint_months : tuple (low, high), optional
            Keep rows whose timepoint, in months after randomisation or
            after the end of treatment (:func:`evidence.analyses.
            timepoint_months`), lies in ``[low, high]``; rows whose
            timepoint gives no time (``not_stated``) are left out.
        """
        def ok(values, x):
            return values is None or x in set([values] if isinstance(values, str) else values)

        if timepoint_months is not None:
            if len(timepoint_months) != 2:
                raise ValueError("timepoint_months must be a (low, high) pair of months; got "
                                 f"{timepoint_months!r}")
        out = []
        for r in self.rows:
            if not (ok(conditions, r.condition) and ok(comparisons, r.comparison)
                    and ok(outcomes, r.outcome)):
                continue
            if timepoint_months is not None:
                months = months_of(r.timepoint)
                if months is None:
                    continue
                if not timepoint_months[0] <= months <= timepoint_months[1]:
                    continue
            out.append(r)
        return tuple(out)


# ----------------------------------------------------------------------------------------------
# helpers


def _study_ids(effects: pd.DataFrame, studies: pd.DataFrame | None) -> pd.Series:
    """The study of each row: its ``study_id`` column, else the study table's, else the PMID."""
    of = {}
    if studies is not None and not studies.empty:
        of = dict(zip(studies["pmid"].astype(str), studies["study_id"].astype(str)))
    given = effects["study_id"] if "study_id" in effects else pd.Series("", index=effects.index)
    out = []
    for pmid, sid in zip(effects["pmid"].astype(str), given.fillna("").astype(str)):
        out.append(sid if sid and sid != "nan" else of.get(pmid, f"pmid{pmid}"))
    return pd.Series(out, index=effects.index)


def _main_pmids(studies: pd.DataFrame | None) -> dict[str, str]:
    if studies is None or studies.empty:
        return {}
    main = studies[studies["role"] == "main"]
    return dict(zip(main["study_id"].astype(str), main["pmid"].astype(str)))


def _scale_key(row: Mapping) -> str:
    """What must agree for two mean differences to pool: the unit for pain outcomes (mm, cm),
    the instrument (first word of the reviewer's note, e.g. NPQ, NPAD) otherwise."""
    if row["outcome"] in _PAIN:
        return _unit_of(row) or "unit not stated"
    source = str(row.get("source", "") or "")
    note = source[source.rfind("[") + 1:].rstrip("]") if "[" in source else ""
    first = note.split(";")[0].split(",")[0].split("(")[0].strip()
    return first.split()[0] if first.split() else "instrument not stated"


def _unit_of(row: Mapping) -> str | None:
    scale = row_scale(row)
    if "(" in scale:
        unit = scale[scale.rfind("(") + 1:].rstrip(")")
        return None if unit == "unit not stated" else unit
    return None


# ----------------------------------------------------------------------------------------------
# building the rows


def question_text(comparison: str, condition: str) -> str:
    """``"Acupuncture vs sham for tension-type headache"``; a comparison whose experimental arm
    is not acupuncture (:data:`evidence.vocab.NOT_ACUPUNCTURE_COMPARISONS`) is never titled
    "Acupuncture vs ..." (``"Dry needling (not acupuncture) vs sham for neck pain"``)."""
    if comparison in NOT_ACUPUNCTURE_COMPARISONS:
        first, _, control = comparison.partition("_vs_")
        return (f"{first.replace('_', ' ').capitalize()} (not acupuncture) vs "
                f"{control.replace('_', ' ')} for {_CONDITION_WORDS.get(condition, condition)}")
    return (f"Acupuncture vs {_COMPARISON_WORDS.get(comparison, comparison)} for "
            f"{_CONDITION_WORDS.get(condition, condition)}")


def _prepare(effects: pd.DataFrame, studies) -> pd.DataFrame:
    frame = effects.copy()
    frame["_study_id"] = _study_ids(frame, studies)
    frame["_family"] = frame["measure"].map(_FAMILIES)
    frame["_review"] = frame["study"].map(is_review_row)
    effects_ = [row_effect(row) for _, row in frame.iterrows()]
    frame["_yi"] = [e[0] for e in effects_]
    frame["_vi"] = [e[1] for e in effects_]
    frame["_arms"] = [e[2] == "arm data" for e in effects_]
    frame["_base"] = ~frame["study"].astype(str).str.contains(r"\(", regex=True)
    frame["_intervention"] = (frame["intervention"].astype(str) if "intervention" in frame
                              else "")
    frame["_unit"] = [_unit_of(row) for _, row in frame.iterrows()]
    frame["_scale"] = [_scale_key(row) if fam == "MD" else fam
                       for (_, row), fam in zip(frame.iterrows(), frame["_family"])]
    return frame


def _n(row) -> int | None:
    x = row.get("n_randomised") if hasattr(row, "get") else None
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or pd.isna(x):
        return None
    return int(x)


def _control_risk(picked: pd.DataFrame) -> float | None:
    if not {"events_c", "n_c"} <= set(picked.columns):
        return None
    ev = picked["events_c"].astype(float)
    n = picked["n_c"].astype(float)
    ok = ev.notna() & n.notna() & (n > 0)
    if not ok.all() or ok.sum() == 0:
        return None
    return float(ev[ok].sum() / n[ok].sum())


def _natural(family: str, x: float) -> float:
    return math.exp(x) if family in _RATIO else x


def _trial_row(group: pd.DataFrame, key, *, rob, nulls, mids, main_pmid, design_of,
               method: str, plan=None) -> SofRow:
    """One SoF row from the rows of one question: one result per study (the plan's rule, or
    without a plan the study's own label, then arm data), graded; with a plan, the
    sensitivity and subgroup analyses that change its studies ride along."""
    comparison, condition, outcome, timepoint, family = key
    footnotes: list[str] = []
    if plan is not None:
        picked, notes = pick_one_per_study(group, plan)
        footnotes.extend(notes)
    else:
        order = group.sort_values(["_study_id", "_base", "_arms"], ascending=[True, False, False],
                                  kind="stable")
        picked = order.drop_duplicates("_study_id", keep="first")
        for i in order.index.difference(picked.index):
            footnotes.append(f"{group.loc[i, 'study']}: same study as another row of this "
                             "outcome; one result per study.")
    picked = picked[np.isfinite(picked["_yi"]) & np.isfinite(picked["_vi"])]
    if plan is not None:
        window = plan.window(condition, timepoint)
        for _, r in picked[picked["_unstated"].astype(bool)].iterrows():
            footnotes.append(
                f"{r['study']}: timepoint not stated in the abstract; placed in "
                f"{window.words if window else timepoint} by the plan's rule "
                f"({plan.unstated_reasons.get(condition, '')}); a sensitivity analysis leaves "
                "it out.")
    row = _graded(picked, key, footnotes, rob=rob, nulls=nulls, mids=mids, main_pmid=main_pmid,
                  design_of=design_of, method=method, plan=plan)
    if plan is None:
        return row
    sens = []
    for s, subset in sensitivity_sets(picked, plan, high_risk=lambda r: _high_risk(r, rob)):
        entry = {"analysis": s.code, "words": s.words, "k_studies": len(subset),
                 "study_ids": list(subset["_study_id"]), "estimate": None, "ci_low": None,
                 "ci_high": None, "certainty": None}
        if len(subset):
            sub = _graded(subset, key, [], rob=rob, nulls=nulls, mids=mids,
                          main_pmid=main_pmid, design_of=design_of, method=method, plan=plan)
            entry.update(estimate=_clean(sub.estimate), ci_low=_clean(sub.ci_low),
                         ci_high=_clean(sub.ci_high), certainty=sub.certainty)
        sens.append(entry)
    return replace(row, sensitivity=tuple(sens))


def _high_risk(row, rob) -> bool:
    judged = rob_for(rob, row["_study_id"], row["outcome"], row["comparison"]) \
        if rob is not None else None
    return judged is not None and str(judged["overall"]) == "high"


def _graded(picked: pd.DataFrame, key, footnotes: list[str], *, rob, nulls, mids, main_pmid,
            design_of, method: str, plan) -> SofRow:
    """Pool (when k >= 2 on one scale) and grade the picked results of one question."""
    comparison, condition, outcome, timepoint, family = key
    footnotes = list(footnotes)
    units = set(u for u in picked["_unit"] if u) if family == "MD" else set()
    scales = set(picked["_scale"])
    pool = None
    k = len(picked)
    domain_plan = plan.domain_of(str(picked["outcome"].iloc[0])) if plan is not None and k \
        else None
    if k >= 2 and len(scales) > 1 and family == "MD" and plan is not None:
        standardised = _standardised(picked)
        if standardised is not None:
            picked, family, scales = standardised, "SMD", {"SD units"}
            footnotes.append("Instruments differ: each study's standardised mean difference "
                             "(Hedges' g) from its arm means and SDs is pooled (Cochrane "
                             "Handbook 10.5.2).")
    if k >= 2 and len(scales) == 1:
        pool = pool_studies(picked["_yi"], picked["_vi"], studies=list(picked["_study_id"]),
                            measure=family, method=method)
        weights = np.asarray(pool.random.weights, dtype=float)
        footnotes.extend(pool.notes)
    else:
        weights = np.full(k, 1.0 / max(k, 1))
        if k >= 2:
            footnotes.append(f"Results on different scales or units "
                             f"({', '.join(sorted(map(str, scales)))}) are not pooled: the "
                             "abstracts give no standard deviations to standardise them (SMD, "
                             "Cochrane Handbook 10.5.2).")
    shown = pool is not None and pool.show_pooled
    reported = None
    if k == 1:
        only = picked.iloc[0]
        est_yi, ci = only["_yi"], (only["_yi"] - 1.959963984540054 * math.sqrt(only["_vi"]),
                                   only["_yi"] + 1.959963984540054 * math.sqrt(only["_vi"]))
        if all(pd.notna(only[c]) for c in ("estimate", "ci_low", "ci_high")) and \
                (plan is None or abs(float(only["estimate"]) - _natural(family, only["_yi"]))
                 < 1e-9):
            reported = (float(only["estimate"]), float(only["ci_low"]), float(only["ci_high"]))
        source = "one trial"
    elif shown:
        est_yi, ci = pool.random.yi, (pool.random.ci.low, pool.random.ci.high)
        source = "pooled from trials"
    else:
        est_yi, ci = None, None
        source = "trials, not pooled"
    if k >= 2 and not shown:
        footnotes.append("Studies: " + "; ".join(
            f"{sid}: {_natural(family, y):.2f} ({_natural(family, y - 1.96 * math.sqrt(v)):.2f} "
            f"to {_natural(family, y + 1.96 * math.sqrt(v)):.2f})"
            for sid, y, v in zip(picked["_study_id"], picked["_yi"], picked["_vi"])) + ".")
    # participants
    ns = [_n(r) for _, r in picked.iterrows()]
    unknown = [sid for sid, n in zip(picked["_study_id"], ns) if n is None]
    participants = None if unknown or not ns else int(sum(ns))
    if unknown:
        footnotes.append(f"Participants: not reported in the abstract for "
                         f"{', '.join(unknown)}; the total is unknown.")
    # MID (on the common scale when the plan converted the results)
    first = picked.iloc[0] if k else None
    mid = _mid_for(first, mids) if first is not None else None
    unit = next(iter(units)) if len(units) == 1 else (first["_unit"] if k else None)
    if plan is not None and family == "MD" and k:
        domain = plan.domain_of(str(first["outcome"]))
        if domain is not None and domain.scale == "unit" and unit in domain.convert:
            unit = next((u for u, f in domain.convert.items() if f == 1), unit)
    mid_value = _mid_value(mid, unit)
    threshold = _threshold(family, mid_value)
    direction = None
    if est_yi is not None:
        direction = 1 if _benefit_sign(outcome) * est_yi > 0 else -1
    elif k and plan is not None:
        sides = set(np.sign(_benefit_sign(outcome) * picked["_yi"].to_numpy(dtype=float)))
        direction = int(sides.pop()) if len(sides) == 1 and 0 not in sides else None
    # null results of OTHER studies for the same question: inconsistency is judged between
    # studies only (GRADE guidelines 7), never from a conflict inside one trial
    col_o, col_t = ("_domain", "_window") if plan is not None else ("outcome", "timepoint")
    if nulls is not None and not nulls.empty:
        same = nulls[(nulls["comparison"] == comparison) & (nulls["condition"] == condition)
                     & (nulls[col_o] == outcome)]
        if plan is not None:
            same = same[same[col_t] == timepoint]
        same = same[~same["study_id"].isin(set(picked["_study_id"]))]
    else:
        same = pd.DataFrame(columns=["study_id", "direction", "timepoint", "pmid", "p"])
    for _, nr in same.iterrows():
        p = str(nr.get("p", ""))
        footnotes.append(f"{nr['study_id']} (PMID {nr['pmid']}) reported "
                         f"{str(nr['direction']).replace('_', ' ')}"
                         f"{' (p ' + _p_words(p) + ')' if p not in ('', 'nan') else ''}"
                         f" at {claim_timepoint(nr['timepoint'], 'en')} without numbers usable "
                         "for pooling.")
    downgrades = (
        _risk_of_bias(picked, weights, rob),
        _inconsistency(picked, pool, family, outcome, threshold, same, direction),
        _indirectness(picked, weights, comparison, condition, outcome, timepoint),
        _imprecision(family, outcome, est_yi, ci, threshold, participants, k, False,
                     pooled=est_yi is not None,
                     not_pooled="heterogeneity" if pool is not None else "scales"),
        _publication_bias(pool, picked, outcome),
    )
    designs = [design_of.get(str(p), "rct") for p in picked["pmid"]]
    start = 2 if designs and all(d in _NON_RANDOMISED for d in designs) else 4
    if start == 2:
        footnotes.append("Non-randomised evidence: certainty starts at low.")
    certainty = _certainty(start, downgrades)
    estimate = ci_low = ci_high = None
    if est_yi is not None:
        estimate, ci_low, ci_high = reported or (_natural(family, est_yi),
                                                 _natural(family, ci[0]),
                                                 _natural(family, ci[1]))
    if plan is not None and family == "MD" and k:
        domain = plan.domain_of(str(first["outcome"]))
        if domain is not None and domain.scale == "unit" and len(scales) == 1 and \
                next(iter(scales)) == domain.common_scale:
            unit = next((u for u, f in domain.convert.items() if f == 1), unit)
    codes = set(picked["outcome"]) if k else set()
    abs_outcome = next(iter(codes)) if len(codes) == 1 and outcome not in _PAIN else outcome
    absolute = _absolute(family, abs_outcome, estimate, ci_low, ci_high, unit,
                         _control_risk(picked))
    if family == "SMD" and estimate is not None and domain_plan is not None and \
            domain_plan.reexpress_sd:
        sd = domain_plan.reexpress_sd
        again = _words(estimate * sd, ci_low * sd, ci_high * sd,
                       f"on {domain_plan.reexpress_scale}", more_is="higher", fewer_is="lower",
                       unit_first="points")
        absolute = (f"{absolute.split('; no re-expression')[0]}; re-expressed: {again} (SMD x "
                    f"a typical SD of {sd:g}; {domain_plan.reexpress_source}; Cochrane Handbook "
                    "15.5.3.2)")
    order_w = np.argsort(-weights, kind="stable")
    sids = tuple(picked["_study_id"].iloc[i] for i in order_w)
    pmids = tuple(main_pmid.get(s, str(picked["pmid"].iloc[i])) for s, i in zip(sids, order_w))
    het = {}
    if pool is not None:
        r = pool.random
        het = {"i2": r.i2, "tau2": r.tau2, "pi_low": r.pi_low, "pi_high": r.pi_high}
    return SofRow(
        question=question_text(comparison, condition), condition=condition,
        comparison=comparison, outcome=outcome, timepoint=timepoint, k_studies=k,
        participants=participants, measure=family, estimate=estimate, ci_low=ci_low,
        ci_high=ci_high, absolute=absolute, mid=_mid_text(mid, family, outcome),
        certainty=certainty, downgrades=downgrades, study_ids=sids, pmids=pmids,
        source=source, footnotes=tuple(footnotes), **het,
        studies=_study_results(picked, family, np.asarray(pool.random.weights, dtype=float)
                               if pool is not None else None, main_pmid),
    )


def _standardised(picked: pd.DataFrame) -> pd.DataFrame | None:
    """Hedges' g from arm data for every study (None when a study lacks means, SDs or sizes):
    mean differences on different instruments pool as SMD (Cochrane Handbook 10.5.2)."""
    arms = ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c")
    if not set(arms) <= set(picked.columns):
        return None
    values = picked[list(arms)].apply(pd.to_numeric, errors="coerce")
    if values.isna().any().any():
        return None
    yi, vi = hedges_g(*[values[c].to_numpy(dtype=float) for c in arms])
    return picked.assign(_yi=yi, _vi=vi, _scale="SD units")


def _p_words(p: str) -> str:
    """``"<.05"`` -> ``"< 0.05"``, ``"0.18"`` -> ``"= 0.18"`` (a p value in words)."""
    p = p.strip().replace(" ", "")
    m = re.match(r"^(<=|>=|<|>|=)?(0?\.\d+|\d+(?:\.\d+)?)$", p)
    if not m:
        return f"= {p}"
    op, num = m.group(1) or "=", m.group(2)
    if num.startswith("."):
        num = "0" + num
    return f"{op.replace('<=', '≤').replace('>=', '≥')} {num}"


def _narrative_row(group: pd.DataFrame, key, *, rob, main_pmid) -> SofRow:
    """Results reported without numbers usable for pooling (``null_results.csv``) for a
    question no trial row answers: a narrative row with no estimate (GRADE Handbook 5.2:
    certainty can be rated for a narrative synthesis)."""
    comparison, condition, outcome, timepoint = key
    group = group.drop_duplicates("study_id")
    k = len(group)
    directions = sorted(set(group["direction"]))
    said = "; ".join(f"{sid} (PMID {pm}): {str(d).replace('_', ' ')}"
                     + (f", p {_p_words(str(p))}" if str(p) not in ("", "nan") else "")
                     for sid, pm, d, p in zip(group["study_id"], group["pmid"],
                                              group["direction"], group["p"]))
    picked = pd.DataFrame({"_study_id": group["study_id"].tolist(), "outcome": outcome,
                           "comparison": comparison, "_intervention": ""})
    weights = np.full(k, 1.0 / k)
    if len(directions) > 1:
        inconsistency = Downgrade("inconsistency", 1, "the studies report different directions "
                                  f"({', '.join(d.replace('_', ' ') for d in directions)}).")
    elif k > 1:
        inconsistency = Downgrade("inconsistency", 0, "the studies report the same direction "
                                  f"({directions[0].replace('_', ' ')}); no estimates to compare.")
    else:
        inconsistency = Downgrade("inconsistency", 0, "not assessable with one study.")
    downgrades = (
        _risk_of_bias(picked, weights, rob),
        inconsistency,
        _indirectness(picked, weights, comparison, condition, outcome, timepoint),
        Downgrade("imprecision", 2, "no effect estimate or confidence interval reported (only "
                  "a direction or a p value): precision cannot be judged."),
        Downgrade("publication_bias", 0, f"not assessable, k < {EGGER_MIN_K}."),
    )
    sids = tuple(group["study_id"])
    return SofRow(
        question=question_text(comparison, condition), condition=condition,
        comparison=comparison, outcome=outcome, timepoint=timepoint, k_studies=k,
        participants=None, measure="none", estimate=None, ci_low=None, ci_high=None,
        absolute=f"no numbers usable for an absolute effect; reported: {said}",
        mid="not applicable (no estimate)", certainty=_certainty(4, downgrades),
        downgrades=downgrades, study_ids=sids,
        pmids=tuple(main_pmid.get(sid, str(pm)) for sid, pm in zip(sids, group["pmid"])),
        source="reported without usable numbers",
        footnotes=(f"Results reported without numbers usable for pooling "
                   f"(null_results.csv): {said}.",
                   "Participants: not taken from the abstracts' text; unknown."),
    )


def _review_row(row: pd.Series, *, nulls, mids, main_pmid) -> SofRow:
    """A systematic review's pooled result as reported: its own row, not RoB-2 rated.

    Certainty follows :func:`evidence.review_certainty.judge_review`: the review's own
    rating when it states one (a departure, only for indirectness to our question, is
    explained), otherwise what the review reports (its risk-of-bias summary, I2,
    participants), a short abstract counted once (GRADE guidance 34, Zeng 2022).
    """
    family = row["_family"]
    comparison, condition, outcome = row["comparison"], row["condition"], row["outcome"]
    sid = row["_study_id"]
    k = row.get("k_studies")
    k = int(k) if k is not None and pd.notna(k) else None
    footnotes = [f"Pooled result as reported in the abstract of {row['study']} (PMID "
                 f"{row['pmid']}); not pooled with the trials (the review includes some of "
                 "them)."]
    if not k:
        footnotes.append("Number of studies in this pooled result not stated in the abstract.")
    mid = _mid_for(row, mids)
    unit = row["_unit"]
    threshold = _threshold(family, _mid_value(mid, unit))
    est, lo, hi = float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])
    yi = row["_yi"]
    half = 1.959963984540054 * math.sqrt(row["_vi"])
    judged = judge_review(row, low=yi - half, high=yi + half, threshold=threshold,
                          benefit_sign=_benefit_sign(outcome))
    footnotes.extend(judged.footnotes)
    n = _n(row) if judged.participants is None else judged.participants
    domains = {d: Downgrade(d, levels, reason) for d, levels, reason in judged.domains}
    indirect = _indirectness(pd.DataFrame({"_intervention": [row["_intervention"]]}), np.ones(1),
                             comparison, condition, outcome, row["timepoint"])
    if judged.stated is not None and indirect.levels:
        indirect = Downgrade("indirectness", indirect.levels,
                             f"departure from the review's own rating "
                             f"({judged.stated.replace('_', ' ')}): our question differs from "
                             f"the review's. {indirect.reason}")
    downgrades = (domains["risk_of_bias"], domains["inconsistency"], indirect,
                  domains["imprecision"], domains["publication_bias"])
    return SofRow(
        question=question_text(comparison, condition), condition=condition,
        comparison=comparison, outcome=outcome, timepoint=row["timepoint"], k_studies=k,
        participants=n, measure=str(row["measure"]).replace("GENERIC_", ""), estimate=est,
        ci_low=lo, ci_high=hi,
        absolute=_absolute(family, outcome, est, lo, hi, unit, None),
        mid=_mid_text(mid, family, outcome), certainty=_certainty(judged.start, downgrades),
        downgrades=downgrades, study_ids=(sid,), pmids=(main_pmid.get(sid, str(row["pmid"])),),
        source=f"systematic review {sid} as reported", footnotes=tuple(footnotes),
    )


def summary_of_findings(effects: pd.DataFrame, studies: pd.DataFrame | None,
                        rob: pd.DataFrame | None, null_results: pd.DataFrame | None,
                        mids: pd.DataFrame | None, *, labels: pd.DataFrame | None = None,
                        method: str = "REML", plan=None) -> SummaryOfFindings:
    """GRADE each question and build the summary-of-findings rows.

    Parameters
    ----------
    effects : DataFrame
        The extraction table (:func:`evidence.extraction.read_effects_table`).
    studies : DataFrame or None
        The study table (:func:`evidence.studies.parse_studies`); maps
        reports to studies when a row has no ``study_id``.
    rob : DataFrame or None
        The RoB 2 table (:func:`evidence.rob.parse_rob`); None or empty
        makes risk of bias not assessable for every trial result.
    null_results : DataFrame or None
        :func:`evidence.extraction.parse_null_results`.
    mids : DataFrame or None
        ``outcome, scale, match, mid, unit, text, source`` (``data/mids.csv``).
    labels : DataFrame, optional
        ``pmid, design``: non-randomised trials start at low certainty;
        without labels every trial counts as randomised.
    method : {"REML", "DL", "PM"}
        tau2 estimator.
    plan : evidence.plan.AnalysisPlan, optional
        The analysis plan: rows become comparison x condition x outcome
        domain x time window (``outcome`` is the domain code, ``timepoint``
        the window code), one result per study by the plan's rule, with the
        plan's sensitivity analyses and at most :data:`MAIN_OUTCOMES` rows
        per comparison x condition in the main table. Without a plan every
        outcome and timepoint code is its own row (nothing is banded) and
        every row is in the main table.

    Returns
    -------
    SummaryOfFindings

    Notes
    -----
    The rules are in the module docstring.

    References
    ----------
    Schünemann H, Brożek J, Guyatt G, Oxman A (eds.). GRADE Handbook (2013),
    sections 5.1-5.2; Guyatt GH et al. GRADE guidelines 4-8 and 12, J Clin
    Epidemiol 2011-2013 (full list in the module docstring).
    """
    if method not in ("REML", "DL", "PM"):
        raise ValueError(f"method must be one of 'REML', 'DL', 'PM'; got {method!r}")
    frame = _prepare(effects, studies)
    nulls = null_results if null_results is not None else pd.DataFrame(
        columns=["study_id", "pmid", "comparison", "condition", "outcome", "timepoint",
                 "direction", "p", "endpoint", "source"])
    main_pmid = _main_pmids(studies)
    design_of = {}
    if labels is not None and "design" in labels:
        design_of = dict(zip(labels["pmid"].astype(str), labels["design"].astype(str)))
    rows: list[SofRow] = []
    trials = frame[~frame["_review"]]
    keys = ["comparison", "condition", "outcome", "timepoint", "_family"]
    null_keys = ["comparison", "condition", "outcome", "timepoint"]
    if plan is not None:
        trials = assign(trials, plan)
        keys = ["comparison", "condition", "_domain", "_window", "_family"]
        null_keys = ["comparison", "condition", "_domain", "_window"]
        nulls = nulls.copy()
        placed = [place(o, c, tp, plan) for o, c, tp in
                  zip(nulls["outcome"], nulls["condition"], nulls["timepoint"])]
        nulls["_domain"] = [x[0] for x in placed]
        nulls["_window"] = [x[1] for x in placed]
    for key, group in trials.groupby(keys, sort=True):
        rows.append(_trial_row(group, key, rob=rob, nulls=nulls, mids=mids,
                               main_pmid=main_pmid, design_of=design_of, method=method,
                               plan=plan))
    covered = {(r.comparison, r.condition, r.outcome, r.timepoint) for r in rows}
    if not nulls.empty:
        for key, group in nulls.groupby(null_keys, sort=True):
            if key not in covered:
                rows.append(_narrative_row(group, key, rob=rob, main_pmid=main_pmid))
    for _, row in frame[frame["_review"]].iterrows():
        if not all(pd.notna(row[c]) for c in ("estimate", "ci_low", "ci_high")):
            continue
        rows.append(_review_row(row, nulls=nulls, mids=mids, main_pmid=main_pmid))
    if plan is not None:
        rows = choose_main(rows, plan)
    return SummaryOfFindings(rows=tuple(rows))

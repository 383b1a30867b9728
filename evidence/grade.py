"""GRADE certainty and the summary-of-findings table, per question.

:func:`summary_of_findings` turns the extraction table (``effects.csv``), the
study table (``studies.csv``), the RoB 2 table (``risk_of_bias.csv``), the
results reported without numbers (``null_results.csv``) and the minimal
important differences (``mids.csv``) into GRADEpro-style rows
(:class:`SofRow`), one per comparison x condition x outcome x timepoint x
measure family. The rows' data come as arguments; only
:mod:`evidence.review` reads the files (:func:`evidence.review.load_sof`).
The result types are in :mod:`evidence.grade_results`, the building of one
row in :mod:`evidence.grade_rows`, the five domains in
:mod:`evidence.grade_domains` and the MIDs in :mod:`evidence.mids`; this
module is their door and re-exports every name they define.

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

from typing import Mapping

import pandas as pd

from .analyses import row_effect, row_scale
from .extraction import is_review_row
from .sof_render import SOF_FORMATS, SOF_KEYS, sof_text
from .synthesis import MAIN_OUTCOMES, assign, choose_main, place
from .vocab import CERTAINTIES
# the five GRADE domains, the MIDs, the result types and the building of one row live in their
# own modules; re-exported here unchanged (evidence.grade is the door to every name they define)
from .grade_domains import DOMAINS_GRADE, OIS_CONTINUOUS, Downgrade  # noqa: F401 (re-exported)
from .grade_domains import (RATED_ELSEWHERE, SURROGATE_OUTCOMES, _benefit_sign,  # noqa: F401
                            _certainty, _imprecision, _inconsistency, _indirectness,
                            _publication_bias, _risk_of_bias)
from .mids import (MID_COLUMNS, _PAIN, _RATIO, _absolute, _mid_for, _mid_text,  # noqa: F401
                   _mid_value, _threshold, _words, parse_mids)
from .mids import MID_RANGE, RR_THRESHOLD, SMD_THRESHOLD  # noqa: F401 (re-exported)
from .grade_results import (FRAME_COLUMNS, ROW_KINDS, _STUDY_NUMBERS, SofRow,  # noqa: F401
                            SummaryOfFindings, _clean, _kind)
from .grade_rows import (_COMPARISON_WORDS, _CONDITION_WORDS, _NON_RANDOMISED, _Z95,  # noqa: F401
                         _control_risk, _graded, _high_risk, _n, _narrative_row, _natural,
                         _p_words, _review_row, _standardised, _study_results, _trial_row,
                         question_text)

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

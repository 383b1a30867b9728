"""One summary-of-findings row built and graded: trials, narrative results, reviews.

One concept of :mod:`evidence.grade` (its door, which re-exports every name
defined here): from the rows of one question, pick one result per study,
pool them (:func:`evidence.analyses.pool_studies`), rate the five GRADE
domains (:mod:`evidence.grade_domains`) against the MIDs
(:mod:`evidence.mids`) and return a :class:`~evidence.grade_results.SofRow`;
results reported without numbers become a narrative row, a systematic
review's pooled result its own row. :func:`evidence.grade.summary_of_findings`
groups the table and calls these. The rules and their references (GRADE
Handbook, GRADE guidelines 4-8, 12 and 34) are in :mod:`evidence.grade`'s
docstring.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from .analyses import COMPARISON_WORDS, CONDITION_WORDS, pool_studies
from .effects import hedges_g
from .meta import EGGER_MIN_K
from .review_certainty import judge_review
from .rob import rob_for
from .synthesis import pick_one_per_study, sensitivity_sets
from .texts import claim_timepoint
from .vocab import NOT_ACUPUNCTURE_COMPARISONS
from .grade_domains import (Downgrade, _benefit_sign, _certainty, _imprecision, _inconsistency,
                            _indirectness, _publication_bias, _risk_of_bias)
from .grade_results import SofRow, _clean
from .mids import _PAIN, _RATIO, _absolute, _mid_for, _mid_text, _mid_value, _threshold, _words


_COMPARISON_WORDS = {**COMPARISON_WORDS,
                     "acupuncture_vs_mixed": "a mixed control (several control treatments together)"}
_CONDITION_WORDS = CONDITION_WORDS
_NON_RANDOMISED = ("non_randomised_trial", "observational")


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

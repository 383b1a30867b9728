"""The five GRADE domains of one summary-of-findings row, and its certainty.

Risk of bias (GRADE guidelines 4), inconsistency (7), indirectness (8),
imprecision (GRADE guidance 34) and publication bias (5), each judged as a
:class:`Downgrade` from the data passed in; :func:`_certainty` starts from
high (randomised) or low and takes the levels off. The rules are described in
:mod:`evidence.grade`, which builds the rows and re-exports these names.

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

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 7.
Rating the quality of evidence -- inconsistency. J Clin Epidemiol, 64(12),
1294-1302.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 8.
Rating the quality of evidence -- indirectness. J Clin Epidemiol, 64(12),
1303-1310.

Zeng, L., Brignardello-Petersen, R., Hultcrantz, M., et al. (2022). GRADE
Guidance 34: update on rating imprecision using a minimally contextualized
approach. J Clin Epidemiol, 150, 216-224.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from .analyses import CONDITION_WORDS as _CONDITION_WORDS
from .meta import EGGER_MIN_K, egger_test
from .review_certainty import OIS_PARTICIPANTS, imprecision_against_thresholds
from .rob import DOMAIN_NAMES, DOMAINS, overall_judgement, rob_for
from .texts import claim_timepoint
from .vocab import HIGHER_IS_BETTER

__all__ = ["DOMAINS_GRADE", "OIS_CONTINUOUS", "RATED_ELSEWHERE", "SURROGATE_OUTCOMES", "Downgrade"]


#: GRADE domains, in the order of a SoF table's footnotes.
DOMAINS_GRADE = ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                 "publication_bias")
#: Optimal information size for continuous outcomes (participants): one value for trials and
#: reviews (:data:`evidence.review_certainty.OIS_PARTICIPANTS`, GRADE guidelines 6).
OIS_CONTINUOUS = OIS_PARTICIPANTS
#: Outcomes that are surrogates or not the review's patient-important outcomes.
SURROGATE_OUTCOMES = ("cervical_range_of_motion", "xerostomia_inventory",
                      "constant_murley_score")
_DIRECT_CONDITIONS = ("tension_type_headache", "neck_pain", "both")
_INTERVENTION_WORDS = {"dry_needling": "dry needling", "electroacupuncture": "electroacupuncture",
                       "other": "another technique (laser, cupping, ...)"}


@dataclass(frozen=True)
class Downgrade:
    """One GRADE domain's judgement.

    Attributes
    ----------
    domain : str
        One of :data:`DOMAINS_GRADE`.
    levels : int
        0 (considered, not downgraded), 1 (serious) or 2 (very serious).
    reason : str
        Why, in words a reader can check.
    """

    domain: str
    levels: int
    reason: str

    def to_dict(self) -> dict:
        """``{domain, levels, reason}``."""
        return {"domain": self.domain, "levels": self.levels, "reason": self.reason}


def _benefit_sign(outcome: str) -> int:
    return 1 if outcome in HIGHER_IS_BETTER else -1


#: Concerns that another GRADE domain rates, so that one concern lowers certainty once, in one
#: domain (GRADE Handbook 5.2; Guyatt et al. 2011, GRADE guidelines 4 and 8): a combined (mixed)
#: comparator is rated under indirectness, so RoB 2 domain 5 (the model contrast against the
#: combined reference) is set aside in risk of bias for that comparison.
RATED_ELSEWHERE = {"acupuncture_vs_mixed": ("d5", "indirectness (the combined comparator)")}


def _judgement_words(code: str) -> str:
    return str(code).replace("_", " ")


def _risk_of_bias(picked: pd.DataFrame, weights: np.ndarray, rob: pd.DataFrame | None) -> Downgrade:
    """Risk of bias weighted by the share of information (GRADE guidelines 4).

    Each study is named with its overall RoB 2 judgement and each of the five
    domains with its own judgement (never a list that reads as if every
    named domain were high). A concern rated in another GRADE domain
    (:data:`RATED_ELSEWHERE`) is set aside here and the overall judgement
    is the least severe one the RoB 2 algorithm allows without it.
    """
    share = {"high": 0.0, "some_concerns": 0.0, "low": 0.0, "missing": 0.0}
    parts, abstract_only, missing = [], False, []
    for (_, row), w in zip(picked.iterrows(), weights):
        judged = (rob_for(rob, row["_study_id"], row["outcome"], row["comparison"])
                  if rob is not None else None)
        if judged is None:
            share["missing"] += w
            missing.append(row["_study_id"])
            continue
        domains = {d: str(judged[d]) for d in DOMAINS}
        overall = str(judged["overall"])
        aside = ""
        elsewhere = RATED_ELSEWHERE.get(str(row.get("comparison", "")))
        if elsewhere and domains[elsewhere[0]] != "low":
            domains[elsewhere[0]] = "low"
            overall = overall_judgement([domains[d] for d in DOMAINS])[0]
            aside = (f"; {DOMAIN_NAMES[elsewhere[0]]} set aside here, rated under "
                     f"{elsewhere[1]}: overall taken as {_judgement_words(overall)}")
        share[overall] += w
        abstract_only = abstract_only or str(judged["basis"]) == "abstract"
        each = ", ".join(f"{DOMAIN_NAMES[d]}: {_judgement_words(judged[d])}" for d in DOMAINS)
        parts.append(f"{row['_study_id']}: overall {_judgement_words(judged['overall'])} "
                     f"({each}{aside})")
    total = sum(share.values()) or 1.0
    high = share["high"] / total
    concerns = (share["some_concerns"] + share["missing"]) / total
    text = "; ".join(parts)
    if missing:
        text += ("; " if text else "") + (f"no RoB 2 judgement for {', '.join(missing)}: not "
                                         "assessable, counted as some concerns")
    flag = " Judged from abstracts only." if abstract_only else ""
    if high >= 0.5:
        return Downgrade("risk_of_bias", 2, f"{high:.0%} of the information from results at "
                         f"high risk of bias ({text}).{flag}")
    if high + concerns >= 0.5:
        return Downgrade("risk_of_bias", 1, f"{high + concerns:.0%} of the information from "
                         f"results at high risk or with some concerns ({text}).{flag}")
    return Downgrade("risk_of_bias", 0, f"most information from results at low risk of bias "
                     f"({text}).{flag}")


def _inconsistency(picked, pool, family, outcome, threshold, nulls: pd.DataFrame,
                   direction_of_effect: int | None) -> Downgrade:
    """Inconsistency from I2, the prediction interval and the point estimates (GRADE
    guidelines 7); never from counting significant results."""
    signals, reasons = [], []
    yi = picked["_yi"].to_numpy(dtype=float)
    k = len(picked)
    disagreeing = nulls
    if direction_of_effect is not None and not nulls.empty:
        wanted = "favours_acupuncture" if direction_of_effect > 0 else "favours_control"
        disagreeing = nulls[nulls["direction"] != wanted]
    null_text = ""
    if not disagreeing.empty:
        who = ", ".join(f"{sid} at {claim_timepoint(tp, 'en')}" for sid, tp in
                        sorted(set(zip(disagreeing["study_id"], disagreeing["timepoint"]))))
        n = len(disagreeing)
        null_text = (f"{n} result{'' if n == 1 else 's'} reported without usable numbers "
                     f"show{'s' if n == 1 else ''} no difference or the other direction ({who})")
    if k < 2:
        if null_text:
            return Downgrade("inconsistency", 1, f"one study with numbers; {null_text}.")
        return Downgrade("inconsistency", 0, "not assessable with one study; no conflicting "
                         "null result recorded.")
    both_null = bool((yi > 0).any() and (yi < 0).any())
    if both_null:
        signals.append("both")
        reasons.append("point estimates on both sides of the null")
    if threshold is not None and not both_null:
        beyond = np.abs(yi) >= threshold
        if beyond.any() and (~beyond).any():
            signals.append("mid")
            reasons.append("point estimates on both sides of the MID")
    i2 = pool.random.i2 if pool is not None else math.nan
    if math.isfinite(i2):
        if i2 > 75:
            signals.append("i2_considerable")
            reasons.append(f"I2 = {i2:.0f}% (considerable)")
        elif i2 >= 50:
            signals.append("i2")
            reasons.append(f"I2 = {i2:.0f}% (substantial)")
        else:
            reasons.append(f"I2 = {i2:.0f}%")
    if pool is not None and pool.random.pi is not None and k >= 3:
        r = pool.random
        ci_excl = r.ci.low > 0 or r.ci.high < 0
        pi_cross = r.pi.low < 0 < r.pi.high
        if ci_excl and pi_cross:
            signals.append("pi")
            reasons.append("the prediction interval crosses the null while the CI does not")
    if null_text:
        signals.append("null")
        reasons.append(null_text)
    if "i2_considerable" in signals and "both" in signals:
        levels = 2
    elif signals:
        levels = 1
    else:
        levels = 0
    return Downgrade("inconsistency", levels, "; ".join(reasons) + ".")


def _indirectness(picked, weights, comparison, condition, outcome, timepoint) -> Downgrade:
    """Indirectness of population, intervention, comparator and outcome (GRADE guidelines 8)."""
    concerns = []
    if condition not in _DIRECT_CONDITIONS:
        concerns.append(f"population: {_CONDITION_WORDS.get(condition, condition)}, not "
                        "tension-type headache or neck pain")
    interventions = picked["_intervention"].tolist()
    total = float(np.sum(weights)) or 1.0
    for kind, words in _INTERVENTION_WORDS.items():
        share = sum(w for w, i in zip(weights, interventions) if i == kind) / total
        if share > 0.5:
            concerns.append(f"intervention: {words} ({share:.0%} of the information)")
    if comparison == "acupuncture_vs_mixed":
        concerns.append("comparator: several control treatments combined (e.g. dry needling "
                        "and sham), not one comparison")
    if outcome in SURROGATE_OUTCOMES:
        concerns.append(f"outcome: {outcome.replace('_', ' ')} is a surrogate or not the "
                        "question's patient-important outcome")
    if timepoint == "immediate_post_session":
        concerns.append("timing: immediate effect of a single session, not of a course of "
                        "treatment")
    if not concerns:
        known = sorted(set(i for i in interventions if i and i != "nan"))
        what = f" (intervention: {', '.join(known)})" if known else \
            " (intervention form not recorded)"
        return Downgrade("indirectness", 0, "population, intervention, comparator and outcome "
                         f"match the question{what}.")
    levels = 2 if len(concerns) >= 3 else 1
    return Downgrade("indirectness", levels, "; ".join(concerns) + ".")


def _imprecision(family, outcome, est_yi, ci, threshold, participants, k, review: bool,
                 pooled: bool, *, not_pooled: str = "scales") -> Downgrade:
    """Imprecision against the MID (GRADE guidance 34, Zeng et al. 2022).

    The 95% CI is judged against the thresholds -MID and +MID (on the
    analysis scale; the null when there is no accepted MID): a CI entirely
    inside +-MID is precise about a small or no effect (not downgraded); a
    CI crossing one threshold loses 1 level, both thresholds 2. The optimal
    information size (about :data:`OIS_CONTINUOUS` participants) is checked
    only when the CI crosses no threshold and the participants are known; an
    unknown count is said, not punished (one missing number never costs a
    level). Without a pooled estimate: when the studies are not pooled
    because they disagree (``not_pooled="heterogeneity"``) that concern is
    rated once, under inconsistency; when they are on scales that cannot be
    combined, precision cannot be judged (1 level).

    References
    ----------
    Zeng L, Brignardello-Petersen R, Hultcrantz M, et al. (2022). GRADE
    Guidance 34: update on rating imprecision using a minimally contextualized
    approach. J Clin Epidemiol, 150, 216-224.
    """
    if not pooled:
        if not_pooled == "heterogeneity":
            return Downgrade("imprecision", 0, "no pooled estimate because the studies disagree: "
                             "that concern is rated once, under inconsistency; the studies' own "
                             "intervals are in the footnotes.")
        return Downgrade("imprecision", 1, "no pooled estimate (the studies' scales cannot be "
                         "combined): the precision of a summary cannot be judged; the studies' "
                         "intervals are shown instead.")
    low, high = ci
    # one rule for trials and reviews alike (GRADE guidance 34): how many thresholds the CI crosses
    levels, reason = imprecision_against_thresholds(low, high, threshold,
                                                    benefit_sign=_benefit_sign(outcome))
    reasons = [reason]
    if participants is None:
        reasons.append("participants not reported in the abstract(s): the optimal information "
                       "size was not checked (not downgraded for a missing number)")
    elif levels == 0 and participants < OIS_CONTINUOUS:
        what = ("continuous outcomes" if family in ("MD", "SMD") else
                "binary outcomes; events unknown, so participants used as a lower bound")
        reasons.append(f"{participants} participants, fewer than the optimal information size "
                       f"of about {OIS_CONTINUOUS} ({what})")
        levels = 1
    else:
        reasons.append(f"{participants} participants"
                       + (f" (optimal information size of about {OIS_CONTINUOUS} met)"
                          if participants >= OIS_CONTINUOUS else ""))
    return Downgrade("imprecision", min(2, levels), "; ".join(reasons) + ".")


def _publication_bias(pool, picked, outcome) -> Downgrade:
    """Publication bias: Egger when k >= 10, else not assessable (GRADE guidelines 5)."""
    k = len(picked)
    if pool is not None and k >= EGGER_MIN_K:
        egger = egger_test(pool.random)
        if egger.pvalue < 0.10:
            return Downgrade("publication_bias", 1, f"Egger's test p = {egger.pvalue:.3f} "
                             "(funnel-plot asymmetry).")
        return Downgrade("publication_bias", 0, f"Egger's test p = {egger.pvalue:.3f}: no "
                         "funnel-plot asymmetry detected.")
    text = f"not assessable, k < {EGGER_MIN_K} (Egger's test needs at least {EGGER_MIN_K})"
    if k >= 2 and pool is not None:
        vi = picked["_vi"].to_numpy(dtype=float)
        yi = picked["_yi"].to_numpy(dtype=float)
        sign = _benefit_sign(outcome)
        small = int(np.argmax(vi))
        larger = sign * yi[small] > sign * pool.random.yi
        text += (f"; small-study signal: the least precise study ({picked['_study_id'].iloc[small]}) "
                 f"shows a {'larger' if larger else 'smaller'} benefit than the pooled estimate")
    elif k == 1:
        text += "; one study"
    return Downgrade("publication_bias", 0, text + ".")


def _certainty(start: int, downgrades: Iterable[Downgrade]) -> str:
    level = max(1, start - sum(d.levels for d in downgrades))
    return {4: "high", 3: "moderate", 2: "low", 1: "very_low"}[level]

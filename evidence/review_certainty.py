"""GRADE for a systematic review's pooled result as its abstract reports it.

A review row of the extraction table (``effects.csv``, study ending in
``"(SR)"``) is never pooled with the trials and never rated with RoB 2 here;
its certainty comes from what the review itself says (the ``review_*``
columns, :data:`evidence.extraction.REVIEW_COLUMNS`). :func:`judge_review`
applies these rules, one per domain, each with the guidance it follows:

- **The review's own rating first.** A review that states its certainty for
  the result (``review_certainty``) starts from that rating; the review has
  already judged risk of bias, inconsistency, imprecision and publication
  bias for it, so those domains are not judged again (their reasons quote
  what the abstract says). A departure from the rating is made only where our
  question differs from the review's (indirectness, judged by the caller), and
  its reason says so (GRADE Handbook 5; Guyatt et al. 2011, GRADE guidelines
  1: the rating belongs to a body of evidence for one question).
- **Otherwise judged from what the review reports**, starting at high
  (randomised trials):

  - *risk of bias*: the review's summary of its trials (``review_rob``):
    low 0, some concerns 1, high 2 levels (GRADE guidelines 4: the risk of
    bias of the bulk of the information); when the abstract gives no result
    of the review's assessment, 1 level, "not reported".
  - *inconsistency*: the stated I2 (Cochrane Handbook 10.10.2): below 50% 0;
    50% or more 1 (the abstract gives no study estimates, so a second level
    for considerable heterogeneity cannot be justified); no I2 stated: not
    assessable, **not downgraded** (said).
  - *imprecision*: GRADE guidance 34 (Zeng 2022): the 95% CI against the
    thresholds of an important effect (the MID either side of the null; the
    null itself when there is no accepted MID). A CI that crosses neither
    threshold is not downgraded (a CI wholly inside +/- MID is a precise
    "little or no difference"; wholly beyond the MID a precise effect);
    crossing one threshold 1 level; crossing both 2. Information size only
    when the participants are known: a whole review with fewer than 400
    participants fails it; an unknown count is said, never punished.
  - *publication bias*: not assessable from an abstract; not downgraded.

- **A short abstract is counted once.** Of the numbers an abstract can leave
  out (the risk-of-bias result, I2, participants), only the missing risk-of-
  bias result lowers certainty, by one level, in one domain; the others are
  said in their domain's reason (GRADE guidance 34 for the information size).
- **Participants.** ``review_participants`` is the review's whole dataset; it
  is shown as the row's participants when the result does not say it rests
  on fewer trials than the review includes (``k_studies`` empty or equal to
  ``review_trials``), with a footnote that it is the whole review's count;
  otherwise the row's participants are unknown and the footnote gives the
  review's count.

References
----------
Zeng, L., Brignardello-Petersen, R., Hultcrantz, M., et al. (2022). GRADE
Guidance 34: update on rating imprecision using a minimally contextualized
approach. Journal of Clinical Epidemiology, 150, 216-224.

Guyatt, G. H., Oxman, A. D., Vist, G., et al. (2011). GRADE guidelines: 4.
Rating the quality of evidence -- study limitations (risk of bias). J Clin
Epidemiol, 64(4), 407-415.

Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines: 7.
Rating the quality of evidence -- inconsistency. J Clin Epidemiol, 64(12),
1294-1302.

Deeks, J. J., Higgins, J. P. T., & Altman, D. G. (2023). Chapter 10:
Analysing data and undertaking meta-analyses. In Cochrane Handbook for
Systematic Reviews of Interventions, version 6.4. Section 10.10.2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .vocab import CERTAINTIES

__all__ = ["ReviewJudgement", "judge_review", "LEVELS", "OIS_PARTICIPANTS"]

#: GRADE levels as numbers (high 4 ... very low 1).
LEVELS = {c: 4 - i for i, c in enumerate(CERTAINTIES)}
#: Information size below which even a whole review is too small (GRADE guidelines 6: about
#: 400 participants for a continuous outcome at 0.2 SD, alpha 0.05, power 0.8).
OIS_PARTICIPANTS = 400
_ROB_LEVELS = {"low": 0, "some_concerns": 1, "high": 2}
_ROB_WORDS = {"low": "low risk of bias", "some_concerns": "some concerns",
              "high": "high risk of bias"}


@dataclass(frozen=True)
class ReviewJudgement:
    """What a review's abstract supports, domain by domain.

    Attributes
    ----------
    start : int
        Starting level (4 high ... 1 very low): the review's own rating, or 4.
    stated : str or None
        The review's own certainty rating (one of :data:`evidence.vocab.CERTAINTIES`).
    domains : tuple of (str, int, str)
        ``(domain, levels, reason)`` for risk_of_bias, inconsistency, imprecision and
        publication_bias (indirectness is the question's, judged by the caller).
    participants : int or None
        The participants to show for the row (see the module docstring).
    footnotes : tuple of str
        What a reader must know.
    """

    start: int
    stated: str | None
    domains: tuple[tuple[str, int, str], ...]
    participants: int | None
    footnotes: tuple[str, ...]

    def to_dict(self) -> dict:
        """The fields as a dict (domains as ``{domain, levels, reason}``)."""
        return {"start": self.start, "stated": self.stated,
                "domains": [{"domain": d, "levels": n, "reason": r} for d, n, r in self.domains],
                "participants": self.participants, "footnotes": list(self.footnotes)}


def _number(x) -> float | None:
    if x is None or isinstance(x, str):
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _text(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x).strip()


def imprecision_against_thresholds(low: float, high: float, threshold: float | None, *,
                                   benefit_sign: int) -> tuple[int, str]:
    """GRADE guidance 34's rule: how many of the thresholds the 95% CI crosses.

    Parameters
    ----------
    low, high : float
        The CI on the analysis scale (log for ratios).
    threshold : float or None
        The MID on the analysis scale (> 0), or None: judged against the null.
    benefit_sign : int
        +1 when a higher value favours acupuncture, -1 when a lower one does.

    Returns
    -------
    (int, str)
        Levels (0, 1 or 2) and the reason in words.
    """
    b_low, b_high = sorted((benefit_sign * low, benefit_sign * high))
    if threshold is None or not threshold > 0:
        if b_low < 0 < b_high:
            return 1, "the CI crosses the null (no accepted MID to judge against)"
        return 0, "the CI excludes the null (no accepted MID to judge against)"
    crosses_benefit = b_low < threshold < b_high
    crosses_harm = b_low < -threshold < b_high
    if crosses_benefit and crosses_harm:
        return 2, "the CI includes both an important benefit and an important harm"
    if crosses_benefit:
        return 1, "the CI crosses the MID: it includes both an important benefit and a smaller one"
    if crosses_harm:
        return 1, "the CI crosses the MID on the side of harm"
    if b_low >= threshold:
        return 0, "the whole CI lies beyond the MID (a precise important effect)"
    if b_high <= -threshold:
        return 0, "the whole CI lies beyond the MID on the side of harm"
    return 0, "the whole CI lies within +/- the MID (a precise small or no difference)"


def judge_review(row: Mapping, *, low: float, high: float, threshold: float | None,
                 benefit_sign: int) -> ReviewJudgement:
    """Judge a review's pooled result from what its abstract states (module docstring).

    Parameters
    ----------
    row : mapping
        A review row of the extraction table, with the ``review_*`` columns
        (absent or empty ones count as "not stated") and ``k_studies``.
    low, high : float
        The result's 95% CI on the analysis scale (log for ratios).
    threshold : float or None
        The MID on the analysis scale, None without an accepted one.
    benefit_sign : int
        +1 when a higher value favours acupuncture, -1 otherwise.

    Returns
    -------
    ReviewJudgement

    References
    ----------
    Zeng et al. (2022), GRADE guidance 34; Guyatt et al. (2011), GRADE guidelines 4 and 7;
    Cochrane Handbook v6.4 section 10.10.2 (full list in the module docstring).
    """
    stated = _text(row.get("review_certainty")) or None
    if stated is not None and stated not in LEVELS:
        raise ValueError(f"review_certainty must be one of {', '.join(CERTAINTIES)}; "
                         f"got {stated!r}")
    rob = _text(row.get("review_rob"))
    i2 = _number(row.get("review_i2"))
    trials = _number(row.get("review_trials"))
    n_review = _number(row.get("review_participants"))
    k = _number(row.get("k_studies"))
    footnotes: list[str] = []

    # participants: the whole review's count, shown only when the result does not rest on fewer
    # trials than the review includes
    participants = None
    if n_review is not None:
        whole = f"{int(n_review):,} participants"
        of = f" in {int(trials)} trials" if trials is not None else ""
        if k is None or (trials is not None and k >= trials):
            participants = int(n_review)
            footnotes.append(f"Participants: {whole}{of}, as the review states for its whole "
                             "dataset (every comparison and condition it covers); the abstract "
                             "does not give this result's own number.")
        else:
            footnotes.append(f"Participants: the review states {whole}{of}; this result rests "
                             f"on {int(k)} of its trials, and its own number is not in the "
                             "abstract (unknown, said, not punished: GRADE guidance 34).")
    else:
        footnotes.append("Participants: not stated in the abstract (said, not punished: GRADE "
                         "guidance 34; not downgraded for a missing number).")

    said = []
    if rob:
        said.append(f"risk of bias: {_ROB_WORDS[rob]} for most of its trials")
    if i2 is not None:
        said.append(f"I2 = {i2:g}%")

    imp_levels, imp_reason = imprecision_against_thresholds(low, high, threshold,
                                                            benefit_sign=benefit_sign)
    if stated is not None:
        start = LEVELS[stated]
        footnotes.append(f"Certainty starts from the review's own rating: "
                         f"{stated.replace('_', ' ')} (its abstract's words are quoted in "
                         "the extraction table, with the rating system where the "
                         "abstract names it). A departure from it is explained in the domain "
                         "that makes it.")
        also = f" (the abstract says: {'; '.join(said)})" if said else ""
        check = (f"; for reference, {imp_reason} (GRADE guidance 34 would rate down "
                 f"{imp_levels} level{'s' if imp_levels != 1 else ''}), which the review's "
                 "rating already weighs; not counted again" if imp_levels else
                 f"; for reference, {imp_reason}")
        domains = (
            ("risk_of_bias", 0, f"as reported by the review, whose own rating "
                                f"({stated.replace('_', ' ')}) covers this domain{also}; not "
                                "judged again."),
            ("inconsistency", 0, f"as rated by the review{also}; not judged again."),
            ("imprecision", 0, f"as rated by the review{check}."),
            ("publication_bias", 0, "as rated by the review; not judged again."),
        )
        return ReviewJudgement(start, stated, domains, participants, tuple(footnotes))

    # no rating stated: judge from what the review reports, starting at high (RCTs)
    if rob:
        rob_domain = ("risk_of_bias", _ROB_LEVELS[rob],
                      f"as reported by the review: {_ROB_WORDS[rob]} for most of its trials "
                      "(GRADE guidelines 4: the bulk of the information).")
    else:
        rob_domain = ("risk_of_bias", 1,
                      "risk of bias as reported by the review: its assessment's result is not "
                      "reported in the abstract; not assessable, rated down once, here (the only "
                      "domain a short abstract lowers).")
    if k is not None and k < 2:
        inc = ("inconsistency", 0, "not assessable with one study.")
    elif i2 is None:
        inc = ("inconsistency", 0, "no I2 stated in the abstract for this result: not "
                                   "assessable; said, not downgraded (a short abstract is "
                                   "counted once, under risk of bias).")
    elif i2 >= 50:
        inc = ("inconsistency", 1, f"I2 = {i2:g}% as the review states: substantial "
                                   "heterogeneity (Cochrane Handbook 10.10.2); one level, as "
                                   "the study estimates are not in the abstract.")
    else:
        inc = ("inconsistency", 0, f"I2 = {i2:g}% as the review states: not important "
                                   "(Cochrane Handbook 10.10.2).")
    reasons = [imp_reason]
    if n_review is not None and n_review < OIS_PARTICIPANTS:
        reasons.append(f"the whole review has {int(n_review)} participants, fewer than the "
                       f"optimal information size of about {OIS_PARTICIPANTS}")
        imp_levels = max(imp_levels, 1)
    elif participants is None:
        reasons.append("this result's participants are not stated: information size not "
                       "judged (said, not punished: not downgraded for a missing number)")
    else:
        reasons.append("information size: the result's own participants are not stated "
                       "(the review's total is an upper bound), so it is not judged")
    domains = (
        rob_domain,
        inc,
        ("imprecision", imp_levels, "; ".join(reasons) + " (GRADE guidance 34)."),
        ("publication_bias", 0, "not assessable from the abstract; not downgraded."),
    )
    return ReviewJudgement(4, None, domains, participants, tuple(footnotes))

"""The review's vocabulary, in one place: the codes every table, module and report uses.

The values are those of ``docs/contracts.md`` where it names them (designs,
conditions, comparators, measures, verdicts, certainties); the modules import
them from here instead of keeping copies. Words for the codes (English and
Dutch) are in :mod:`evidence.texts`.
"""

from __future__ import annotations

import re

__all__ = [
    "STUDY_ID", "PMID",
    "DESIGNS", "CONDITIONS", "COMPARATORS", "TRIAL_DESIGNS", "COMPARISONS",
    "NOT_ACUPUNCTURE_COMPARISONS",
    "BINARY_MEASURES", "CONTINUOUS_MEASURES", "GENERIC_MEASURES", "TABLE_MEASURES",
    "RATIO_MEASURES", "POOLING_MEASURES", "MINED_MEASURES", "HIGHER_IS_BETTER",
    "VERDICTS", "CERTAINTIES", "CLAIM_KINDS",
]

# -- records (``evidence classify``) ------------------------------------------------------------
#: ``design`` (docs/contracts.md), in evidence-map order.
DESIGNS = ("systematic_review", "rct", "non_randomised_trial", "protocol", "observational",
           "narrative_review", "mechanistic", "case_report", "guideline", "other")
#: ``condition``.
CONDITIONS = ("tension_type_headache", "neck_pain", "both", "chronic_pain", "other")
#: ``comparator`` of trials and trial protocols; the empty string means "not a trial".
COMPARATORS = ("sham", "usual_care", "active", "mixed", "none")
#: Designs that carry a comparator (a protocol only when it is a trial protocol).
TRIAL_DESIGNS = ("rct", "non_randomised_trial", "protocol")

# -- effects (``data/effects.csv``, ``data/null_results.csv``) ---------------------------------
#: What the acupuncture arm was compared with; ``acupuncture_vs_mixed`` is a reference made of
#: several kinds of control together (e.g. dry needling and sham). ``dry_needling_vs_sham`` is
#: not acupuncture at all (issue 14): dry needling of trigger points against a sham, kept as its
#: own comparison so that it is never reported or pooled as acupuncture vs sham (indirect
#: evidence only; GRADE guidelines 8, indirectness of the intervention).
COMPARISONS = ("acupuncture_vs_sham", "acupuncture_vs_usual_care", "acupuncture_vs_active",
               "acupuncture_vs_mixed", "dry_needling_vs_sham")
#: Comparisons whose experimental arm is not acupuncture (never evidence for an acupuncture
#: claim; their questions are not titled "Acupuncture vs ...").
NOT_ACUPUNCTURE_COMPARISONS = ("dry_needling_vs_sham",)
#: Measures computed from two-by-two counts.
BINARY_MEASURES = ("RR", "OR", "RD")
#: Measures computed from means and SDs.
CONTINUOUS_MEASURES = ("MD", "SMD")
#: Measures of the extraction table given as an estimate with its interval.
GENERIC_MEASURES = ("GENERIC_MD", "GENERIC_RR", "GENERIC_OR")
#: Every measure of the extraction table.
TABLE_MEASURES = BINARY_MEASURES + CONTINUOUS_MEASURES + GENERIC_MEASURES
#: Measures reported as ratios (estimate and bounds > 0; pooled on the log scale).
RATIO_MEASURES = ("RR", "OR", "GENERIC_RR", "GENERIC_OR")
#: ``evidence meta --measure`` (docs/contracts.md): GENERIC takes yi, vi as given.
POOLING_MEASURES = BINARY_MEASURES + CONTINUOUS_MEASURES + ("GENERIC",)
#: ``evidence mine`` statement measures (docs/contracts.md).
MINED_MEASURES = ("RR", "OR", "HR", "RD", "SMD", "MD", "WMD", "other")
#: Outcomes where a higher value is better (a positive difference favours acupuncture).
HIGHER_IS_BETTER = ("constant_murley_score", "cervical_range_of_motion", "patient_global_change",
                    "physical_function", "responder_rate", "responder_50pct", "quality_of_life",
                    # the analysis plan's outcome domain of responder outcomes (pooled SoF rows)
                    "responders")

# -- claims (``evidence claims``) ---------------------------------------------------------------
#: ``verdict`` (docs/contracts.md), most favourable first.
VERDICTS = ("supported", "supported_with_caveats", "overstated", "not_supported", "no_evidence")
#: GRADE ``certainty``, highest first (``null`` when there is no evidence).
CERTAINTIES = ("high", "moderate", "low", "very_low")
#: What a claim asserts; one decision function each (:data:`evidence.claims.DECIDERS`).
CLAIM_KINDS = ("efficacy", "durability", "timing", "dose", "safety", "mechanism", "method")

# -- identifiers (every hand-made table; data READMEs) -----------------------------------------
#: A study id (studies.csv, effects.csv, risk_of_bias.csv, sessions.csv): a lowercase slug such
#: as ``melchart2005``; matched whole (``fullmatch``).
STUDY_ID = re.compile(r"[a-z][a-z0-9_]*")
#: A PMID as the tables hold it: ASCII digits without a leading zero (``str.isdigit`` would
#: accept superscripts), at most nine digits; matched whole.
PMID = re.compile(r"[1-9][0-9]{0,8}")

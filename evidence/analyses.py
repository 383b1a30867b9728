"""Pooling rules for trial results read from abstracts: effect sizes, scales, timepoints, pools.

The review's pooled results are the analysis plan's summary-of-findings rows
(:mod:`evidence.grade` with :mod:`evidence.synthesis`; listed by
:func:`evidence.pooled.pooled_rows`); this module holds the row-level rules
they use. Data come as arguments.

Rules
-----
- **Effect sizes** (:func:`row_effect`). Arm data give escalc's values
  (:mod:`evidence.effects`); an estimate with its 95% CI gives
  ``yi = estimate`` (log for ratios) and ``vi = ((high - low) / (2 z))^2``
  (:func:`evidence.effects.from_ci`; Cochrane Handbook 6.3.1).
- **Poolable scale** (:func:`row_scale`). Rows pool when their measures are of
  one family (:func:`measure_family`: MD with GENERIC_MD; SMD; RR with
  GENERIC_RR; OR with GENERIC_OR; RD) and, for mean differences, their scale
  is the same: the outcome's scale name plus the unit written after the
  estimate in the quoted sentence or named in the reviewer's note in
  ``source`` (``mm``, ``cm``, ...). Mean differences without standard
  deviations cannot be turned into SMDs.
- **Timepoints** (:func:`timepoint_weeks`): a timepoint code read in weeks,
  after randomisation or after the end of treatment.
- **Few or heterogeneous studies** (:func:`pool_studies`): with k = 2 the
  fixed effect is reported beside the random effects and the result says it
  rests on two trials; with I2 > 75% and k < 5 the studies are shown without
  a pooled estimate (no diamond); the HKSJ interval is always given. Pooling
  is by inverse variance, random effects with REML by default
  (:func:`evidence.meta.combine_effects`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from . import effects
from .meta import MetaResult, combine_effects

__all__ = [
    "COMPARISON_WORDS",
    "CONDITION_WORDS",
    "HETEROGENEITY_NO_DIAMOND",
    "Pool",
    "pool_studies",
    "row_effect",
    "measure_family",
    "timepoint_weeks",
    "timepoint_months",
    "row_scale",
]

#: I2 (percent) above which, with fewer than five studies, no pooled diamond is shown.
HETEROGENEITY_NO_DIAMOND = 75.0
_FEW_STUDIES = 5

_FAMILIES = {
    "MD": "MD", "GENERIC_MD": "MD", "SMD": "SMD", "RR": "RR", "GENERIC_RR": "RR",
    "OR": "OR", "GENERIC_OR": "OR", "RD": "RD",
}
_RATIO = ("RR", "OR")
_SINGLE_SESSION = "immediate_post_session"
_ARMS = {
    "MD": ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c"),
    "SMD": ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c"),
    "RR": ("events_t", "n_t", "events_c", "n_c"),
    "OR": ("events_t", "n_t", "events_c", "n_c"),
    "RD": ("events_t", "n_t", "events_c", "n_c"),
}
_ESCALC = {
    "MD": effects.mean_difference, "SMD": effects.hedges_g, "RR": effects.log_risk_ratio,
    "OR": effects.log_odds_ratio, "RD": effects.risk_difference,
}
_UNIT = re.compile(r"(percentage points|mm|cm|points?|degrees|days?)\b")
#: The comparisons and conditions in words, for the summary-of-findings questions (grade.py).
COMPARISON_WORDS = {
    "acupuncture_vs_sham": "sham", "acupuncture_vs_usual_care": "usual care",
    "acupuncture_vs_active": "an active treatment",
    "acupuncture_vs_mixed": "a mixed control",
    "dry_needling_vs_sham": "sham (dry needling, not acupuncture)",
}
CONDITION_WORDS = {
    "tension_type_headache": "tension-type headache", "neck_pain": "neck pain",
    "both": "tension-type headache and neck pain", "chronic_pain": "chronic pain",
    "other": "other conditions",
}


# ----------------------------------------------------------------------------------------------
# rows


def timepoint_months(timepoint) -> float | None:
    """Months a timepoint code stands for (:func:`timepoint_weeks` at 52 weeks a year), or None."""
    weeks, _ = timepoint_weeks(str(timepoint))
    return None if weeks is None else weeks * 12.0 / 52.0


def timepoint_weeks(timepoint: str) -> tuple[float | None, bool]:
    """Read a timepoint code of the extraction table.

    Parameters
    ----------
    timepoint : str
        E.g. ``"weeks_9_to_12"``, ``"3_months"``, ``"1_week_post_treatment"``,
        ``"end_of_treatment"``, ``"not_stated"``.

    Returns
    -------
    weeks : float or None
        The (latest) week the code names; 0 for the end of, or during,
        treatment and for an immediate post-session result; None when the code
        gives no time (``not_stated``, ``early_follow_up``).
    after_treatment : bool
        True when the weeks count from the end of treatment.
    """
    code = str(timepoint).strip().lower()
    after = "post_treatment" in code or code in ("end_of_treatment", _SINGLE_SESSION)
    if code in ("end_of_treatment", "during_treatment", _SINGLE_SESSION):
        return 0.0, True
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", code)]
    if not numbers:
        return None, after
    last = numbers[-1]
    if "month" in code:
        return last * 52.0 / 12.0, after
    if "year" in code:
        return last * 52.0, after
    if "week" in code:
        return last, after
    if "day" in code:
        return last / 7.0, after
    return None, after


def _unit(row: Mapping) -> str | None:
    """The unit of a row's estimate: written after it in the quote, else named in the note."""
    source = str(row.get("source", "") or "")
    estimate = row.get("estimate")
    if pd.notna(estimate):
        for quote in re.findall(r'"([^"]*)"', source):
            for m in re.finditer(rf"(\d+(?:\.\d+)?)\s?{_UNIT.pattern}", quote):
                if abs(float(m.group(1)) - abs(float(estimate))) < 1e-9:
                    return m.group(2)
    note = source[source.rfind("[") + 1:] if "[" in source else ""
    m = re.search(r"\b(mm|cm)\b", note)
    return m.group(1) if m else None


def row_scale(row: Mapping, outcomes: dict | None = None) -> str:
    """The scale a row's estimate is on, for deciding what pools.

    Parameters
    ----------
    row : mapping
        A row of the extraction table.
    outcomes : dict, optional
        Outcome code to ``(scale name, unit varies)``: codes with one scale name
        (and, where the unit varies between studies, one unit) pool as MD;
        ``(code, True)`` for a code it does not list (the default for every code).

    Returns
    -------
    str
        ``"SD units"`` for SMD, ``"risk difference"``, ``"log risk ratio"`` or
        ``"log odds ratio"`` for binary measures. For mean differences the
        scale name, followed, when the unit varies between studies (a pain
        VAS in mm or cm), by the unit written after the estimate in the
        quoted sentence of ``source`` or named (mm, cm) in the reviewer's
        note, e.g. ``"pain (mm)"``, or ``"pain (unit not stated)"``.
    """
    family = _FAMILIES[row["measure"]]
    if family == "SMD":
        return "SD units"
    if family == "RD":
        return "risk difference"
    if family in _RATIO:
        return {"RR": "log risk ratio", "OR": "log odds ratio"}[family]
    name, unit_varies = (outcomes or {}).get(row["outcome"], (row["outcome"], True))
    if not unit_varies:
        return name
    return f"{name} ({_unit(row) or 'unit not stated'})"


def _has(row, columns) -> bool:
    return all(pd.notna(row.get(c)) for c in columns)


def row_effect(row: Mapping) -> tuple[float, float, str]:
    """``yi``, ``vi`` and how they were obtained for one row of the extraction table.

    Arm data give escalc's values; an estimate with its 95% CI gives
    ``yi = estimate`` (log for ratios) and ``vi = ((high - low) / (2 z))^2``;
    NaN when the row has neither.
    """
    family = _FAMILIES[row["measure"]]
    arms = _ARMS.get(family)
    if arms is not None and row["measure"] in _ARMS and _has(row, arms):
        yi, vi = _ESCALC[family](*[[float(row[c])] for c in arms])
        return float(yi[0]), float(vi[0]), "arm data"
    if _has(row, ("estimate", "ci_low", "ci_high")):
        yi, vi = effects.from_ci([row["estimate"]], [row["ci_low"]], [row["ci_high"]],
                                 scale="log" if family in _RATIO else "identity")
        return float(yi[0]), float(vi[0]), "estimate and 95% CI"
    return math.nan, math.nan, "no arm data or CI"


def measure_family(measure: str) -> str:
    """The family a measure pools in (``GENERIC_MD`` -> ``MD``, ``GENERIC_RR`` -> ``RR``, ...);
    a measure outside the table's (``WMD``, ``HR``) is returned as it is."""
    return _FAMILIES.get(str(measure), str(measure))


@dataclass(frozen=True, eq=False)
class Pool:
    """A pooled result under the review's pooling rules.

    Attributes
    ----------
    random : MetaResult
        Random effects (REML by default), the main result.
    fixed : MetaResult
        Inverse-variance fixed effect, reported beside it (needed with k = 2).
    hksj : MetaResult
        Random effects with the Hartung-Knapp-Sidik-Jonkman interval.
    show_pooled : bool
        False when I2 > :data:`HETEROGENEITY_NO_DIAMOND` with fewer than five
        studies: the studies are shown without a pooled estimate (diamond).
    notes : tuple of str
        What a reader must know about the pool.
    """

    random: MetaResult
    fixed: MetaResult
    hksj: MetaResult
    show_pooled: bool
    notes: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        """Number of studies."""
        return self.random.k


def _num(x: float) -> str:
    return f"{x:.2f}"


def pool_studies(yi, vi, *, studies, measure: str, method: str = "REML") -> Pool:
    """Pool study effects and apply the review's pooling rules.

    Parameters
    ----------
    yi, vi : array-like
        Effect sizes (log scale for RR and OR) and their sampling variances,
        one per STUDY (not per report), at least two.
    studies : sequence of str
        Study labels.
    measure : str
        The measure family (``MD``, ``SMD``, ``RR``, ``OR``, ``RD``).
    method : {"REML", "DL", "PM"}
        tau2 estimator of the random-effects model.

    Returns
    -------
    Pool

    Notes
    -----
    Rules (issue 9): with k = 2 the fixed-effect result is reported beside
    the random-effects one and the result says it rests on two trials; with
    I2 > 75% and k < 5 the studies are shown without a pooled diamond
    (heterogeneity too large to summarise in one number from so few
    studies); the HKSJ interval is always computed and shown. Pooling
    across different outcome definitions (outcome codes or timepoints) is
    prevented by the caller, which groups rows by both.

    References
    ----------
    Deeks, J. J., Higgins, J. P. T., & Altman, D. G. (2023). Chapter 10
    (sections 10.10.2 and 10.10.4: identifying and incorporating
    heterogeneity). Cochrane Handbook for Systematic Reviews of
    Interventions, version 6.4.

    IntHout, J., Ioannidis, J. P. A., & Borm, G. F. (2014). The
    Hartung-Knapp-Sidik-Jonkman method for random effects meta-analysis is
    straightforward and considerably outperforms the standard
    DerSimonian-Laird method. BMC Medical Research Methodology, 14, 25.

    Bender, R., Friede, T., Koch, A., et al. (2018). Methods for evidence
    synthesis in the case of very few studies. Research Synthesis Methods,
    9(3), 382-392.
    """
    if method not in ("REML", "DL", "PM"):
        raise ValueError(f"method must be one of 'REML', 'DL', 'PM'; got {method!r}")
    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)
    if yi.size < 2:
        raise ValueError(f"a pool needs at least two studies; got {yi.size}")
    labels = list(studies)
    random = combine_effects(yi, vi, method=method, measure=measure, studies=labels)
    fixed = combine_effects(yi, vi, method="FE", measure=measure, studies=labels)
    knha = combine_effects(yi, vi, method=method, hksj=True, measure=measure, studies=labels)
    show = not (random.i2 > HETEROGENEITY_NO_DIAMOND and random.k < _FEW_STUDIES)
    notes = []
    if random.k == 2:
        notes.append(
            f"Rests on two trials: the between-study variance is barely estimable. Fixed "
            f"effect {_num(fixed.estimate)} ({_num(fixed.ci_low)} to {_num(fixed.ci_high)}) "
            f"beside random effects {_num(random.estimate)} ({_num(random.ci_low)} to "
            f"{_num(random.ci_high)}).")
    notes.append(f"HKSJ interval {_num(knha.ci_low)} to {_num(knha.ci_high)} (t on "
                 f"{random.k - 1} df).")
    if not show:
        notes.append(f"I2 = {random.i2:.0f}% with {random.k} studies: heterogeneity too large to "
                     "summarise in one number; the studies are shown without a pooled estimate.")
    return Pool(random=random, fixed=fixed, hksj=knha, show_pooled=show, notes=tuple(notes))



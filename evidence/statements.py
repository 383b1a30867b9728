"""The size of a summary-of-findings row's effect against its MID, and GRADE's informative statement.

A verdict on a clinical claim says more than "the confidence interval excludes
no effect": it says how large the effect is, judged against the minimal
important difference (MID) the row carries, and it says so in GRADE's words.

Size of an effect (:func:`magnitude`)
-------------------------------------
The estimate and its 95% CI are put on a **judging scale** and signed so that
a positive value is better for patients (:data:`evidence.vocab.HIGHER_IS_BETTER`
says which outcomes are better when higher):

- **ratio measures** (RR, OR and their generic forms): the log of the ratio;
  the thresholds are the relative ones the row's ``mid`` text carries
  ("RR 0.75 / 1.25", GRADE guidelines 6: a relative change of 25%), read as
  ``log(1.25)`` for an increase and ``-log(0.75)`` for a decrease. The control
  arms' risks are rarely in the abstracts, so the absolute effect per 100 is
  not used; a row that states no thresholds is judged against RR 0.75 / 1.25.
- **standardised mean differences**: the SMD, against the ``SMD 0.2`` of the
  row's ``mid`` text (GRADE's default for standardised differences).
- **mean differences**: against the first "<number> mm|cm|points" of the
  ``mid`` text ("10 mm on a 0-100 scale", "5 points on the 0-50 NDI"); a text
  that starts "no accepted MID" gives none. A pain row whose
  absolute effect is given on the 0-100 scale ("5.8 mm lower on a 0-100
  scale") is judged in mm, so a result in cm is converted the way the SoF
  row converted it; a row whose unit is not stated ("unit not stated") or
  whose ``mid`` gives no number ("no accepted MID") has **no threshold**.
- **risk differences** in responders: no accepted MID (``mids.csv``): no
  threshold.

With a threshold ``t`` (``t_benefit`` and ``t_harm`` for ratios):

- ``little_or_no_difference``: the whole CI lies inside (-t_harm, +t_benefit)
  (GRADE guidance 34: precise about no important effect);
- ``important_benefit``: the CI excludes no effect on the benefit side and the
  point estimate reaches the MID;
- ``small_benefit``: the CI excludes no effect on the benefit side, the point
  estimate is below the MID (and the CI is not inside ±MID);
- ``possible_harm``: the CI excludes no effect on the harm side;
- ``imprecise``: the CI includes no effect and reaches beyond a threshold.

Without a threshold the null is the threshold (GRADE's non-contextualised
approach): a CI that excludes no effect on the benefit side is
``benefit_size_unknown`` (the importance is not judged, and the summary says
so), on the harm side ``possible_harm``; a CI that includes no effect is
``no_clear_difference``. A row of results reported without usable numbers
(``null_results.csv``) takes its studies' direction: favours acupuncture
``benefit_size_unknown``, no difference ``no_clear_difference``, favours the
control ``possible_harm``, studies that disagree ``mixed``. A row without an
estimate (not pooled) is ``not_estimable``.

Informative statements (:func:`informative_statement`)
-----------------------------------------------------
GRADE guidelines 26 (Santesso 2020, Table 3) words a finding by its
certainty and the size of its point estimate; the width of the CI is already
in the certainty (imprecision). Sizes (:func:`statement_size`): ``effect``
(important_benefit, benefit_size_unknown, an imprecise or harmful point
estimate that reaches the threshold), ``slight`` (small_benefit, a harm below
the threshold), ``none`` (little_or_no_difference, no_clear_difference, an
imprecise point estimate below the threshold), ``unknown`` (mixed,
not_estimable). The verb follows the sign of the estimate on the outcome's own
scale ("reduces" pain, "increases" responders):

- high: "reduces" / "reduces ... slightly" / "results in little or no difference in";
- moderate: "probably reduces" / "probably reduces ... slightly" / "probably results in
  little or no difference in";
- low: "may reduce" / "may reduce ... slightly" / "may result in little or no difference in";
- very low, whatever the size: "the evidence is very uncertain about the effect of ...";
- size ``unknown`` (mixed, not estimable): "the studies' results give no single estimate of the
  effect of ...".

In Dutch: "vermindert", "vermindert waarschijnlijk", "vermindert mogelijk
(enigszins)", "geeft (waarschijnlijk / mogelijk) weinig of geen verschil",
"het bewijs is zeer onzeker over het effect van ...". The words live in
:data:`evidence.texts.STATEMENT_TEXTS`.

References
----------
Santesso N, Glenton C, Dahm P, et al. GRADE guidelines 26: informative
statements to communicate the findings of systematic reviews of
interventions. J Clin Epidemiol 2020;119:126-135.

Zeng L, Brignardello-Petersen R, Hultcrantz M, et al. GRADE Guidance 34:
update on rating imprecision using a minimally contextualized approach. J Clin
Epidemiol 2022;150:216-224.

Guyatt GH, Oxman AD, Kunz R, et al. GRADE guidelines 6. Rating the quality
of evidence -- imprecision. J Clin Epidemiol 2011;64(12):1283-1293.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Mapping, Sequence

from .texts import claim_render, claim_text, statement_sentence
from .vocab import HIGHER_IS_BETTER, RATIO_MEASURES

__all__ = [
    "MAGNITUDES",
    "STATEMENT_SIZES",
    "Magnitude",
    "magnitude",
    "statement_size",
    "informative_statement",
    "REPORTED_ONLY",
    "reported_directions",
    "reestimate",
    "VERDICT_GROUPS",
    "MAX_STATEMENTS",
    "verdict_group",
    "claim_statements",
    "suggested_wording",
]

#: The size categories of :func:`magnitude`.
MAGNITUDES = ("important_benefit", "small_benefit", "benefit_size_unknown", "little_or_no_difference",
              "no_clear_difference", "imprecise", "possible_harm", "mixed", "not_estimable")
#: The sizes of GRADE's informative statements (:func:`statement_size`).
STATEMENT_SIZES = ("effect", "slight", "none", "unknown")

#: The SoF ``source`` of results reported without usable numbers (null_results.csv).
REPORTED_ONLY = "reported without usable numbers"
_REPORTED = re.compile(r"(?P<study>[\w.-]+) \(PMID (?P<pmid>\d+)\): (?P<direction>favours acupuncture|"
                       r"favours control|no difference)(?:, p = (?P<p>[^;]+?))?(?=;|\.?$)")
_RR_THRESHOLDS = re.compile(r"RR (\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)")
_SMD_THRESHOLD = re.compile(r"\bSMD (\d+(?:\.\d+)?)")
_MD_THRESHOLD = re.compile(r"(?<![\d.-])(\d+(?:\.\d+)?) (mm|cm|points?)\b")
_NO_MID = re.compile(r"^\s*(no accepted MID|not applicable)", re.I)
# grade.py's absolute effect of a pain row on the 0-100 scale: "5.8 mm lower on a 0-100 scale (...)"
_MM_ABSOLUTE = re.compile(r"^(?:(\d+(?:\.\d+)?) mm (?:higher|lower)|no difference) on a 0-100 scale")
#: GRADE guidelines 6: a relative change of 25% when no MID is accepted for a ratio.
DEFAULT_RR = (0.75, 1.25)


def reported_directions(row) -> list[tuple[str, str, str | None]]:
    """(study, direction, p) of each result of a row reported without usable numbers."""
    if getattr(row, "source", "") != REPORTED_ONLY:
        return []
    text = str(getattr(row, "absolute", "")).split("reported: ", 1)[-1]
    return [(m.group("study"), m.group("direction"), m.group("p")) for m in _REPORTED.finditer(text)]


@dataclass(frozen=True)
class Magnitude:
    """The size of one row's effect against its MID.

    Attributes
    ----------
    category : str
        One of :data:`MAGNITUDES`.
    point, low, high : float or None
        Estimate and 95% CI on the judging scale, signed so that positive is
        better for patients (log scale for ratios; mm for pain on 0-100).
    t_benefit, t_harm : float or None
        The thresholds on that scale (None: no accepted MID, judged against the null).
    direction : str or None
        ``"reduce"`` or ``"increase"``: the sign of the estimate on the outcome's own
        scale (None without an estimate).
    size : str
        One of :data:`STATEMENT_SIZES`: the size an informative statement uses.
    """

    category: str
    point: float | None = None
    low: float | None = None
    high: float | None = None
    t_benefit: float | None = None
    t_harm: float | None = None
    direction: str | None = None
    size: str = "unknown"

    @property
    def side(self) -> str:
        """``benefit``, ``harm`` or ``none``: where the point estimate lies (for the verdict)."""
        if self.category in ("important_benefit", "small_benefit", "benefit_size_unknown"):
            return "benefit"
        if self.category == "possible_harm":
            return "harm"
        if self.category == "imprecise" and self.size == "effect":
            return "benefit" if (self.point or 0) > 0 else "harm"
        return "none"

    def to_dict(self) -> dict:
        """JSON-ready: category, size, direction, the judged values and thresholds."""
        return {"category": self.category, "size": self.size, "direction": self.direction,
                "point": self.point, "low": self.low, "high": self.high,
                "t_benefit": self.t_benefit, "t_harm": self.t_harm}


def _finite(*xs) -> bool:
    return all(x is not None and isinstance(x, (int, float)) and math.isfinite(x) for x in xs)


def _scale_factor(row) -> float | None:
    """For a mean difference in mm or cm on a 0-100 pain scale: the factor from the row's estimate
    to mm (1 or 10), read from its absolute effect; None when the absolute effect is not in mm."""
    match = _MM_ABSOLUTE.match(str(getattr(row, "absolute", "") or ""))
    est = getattr(row, "estimate", None)
    if not match or not _finite(est):
        return None
    shown = float(match.group(1)) if match.group(1) else 0.0
    if abs(est) < 1e-12:
        return 1.0
    return 10.0 if abs(shown - 10 * abs(est)) < abs(shown - abs(est)) else 1.0


def _thresholds(row) -> tuple[float | None, float | None, float, bool]:
    """(increase threshold, decrease threshold, factor, log scale) on the judging scale, or None
    thresholds when the row has no accepted MID."""
    measure = str(getattr(row, "measure", ""))
    mid = str(getattr(row, "mid", "") or "")
    if measure in RATIO_MEASURES:
        found = _RR_THRESHOLDS.search(mid)
        low, high = (float(found.group(1)), float(found.group(2))) if found else DEFAULT_RR
        return math.log(high), -math.log(low), 1.0, True
    if measure.replace("GENERIC_", "") == "SMD":
        found = _SMD_THRESHOLD.search(mid)
        value = float(found.group(1)) if found else None
        return value, value, 1.0, False
    if measure.replace("GENERIC_", "") in ("MD", "WMD"):
        found = None if _NO_MID.match(mid) else _MD_THRESHOLD.search(mid)
        if not found:
            return None, None, 1.0, False
        value, unit = float(found.group(1)), found.group(2)
        if "unit not stated" in str(getattr(row, "absolute", "")):
            return None, None, 1.0, False
        factor = 1.0
        if unit == "mm":
            factor = _scale_factor(row) or 1.0
        return value, value, factor, False
    return None, None, 1.0, False


def _size(category: str, point: float | None, t_benefit, t_harm) -> str:
    if category in ("important_benefit", "benefit_size_unknown"):
        return "effect"
    if category == "small_benefit":
        return "slight"
    if category in ("little_or_no_difference", "no_clear_difference"):
        return "none"
    if category == "possible_harm":
        if t_harm is None or point is None:
            return "effect"
        return "effect" if -point >= t_harm else "slight"
    if category == "imprecise":
        threshold = t_benefit if point >= 0 else t_harm
        return "effect" if threshold is not None and abs(point) >= threshold else "none"
    return "unknown"


def magnitude(row) -> Magnitude:
    """The size of a summary-of-findings row's effect against its MID (rules: module docstring).

    Parameters
    ----------
    row : SofRow
        Needs ``measure``, ``outcome``, ``estimate``, ``ci_low``, ``ci_high``, ``mid``,
        ``absolute`` and ``source``.

    Returns
    -------
    Magnitude
    """
    reported = {d for _, d, _ in reported_directions(row)}
    if reported:
        if len(reported) > 1:
            return Magnitude("mixed")
        only = reported.pop()
        category = {"favours acupuncture": "benefit_size_unknown", "no difference": "no_clear_difference",
                    "favours control": "possible_harm"}[only]
        better_high = str(getattr(row, "outcome", "")) in HIGHER_IS_BETTER
        direction = None
        if only != "no difference":
            direction = "increase" if (only == "favours acupuncture") == better_high else "reduce"
        return Magnitude(category, direction=direction, size=_size(category, None, None, None))
    est, lo, hi = (getattr(row, k, None) for k in ("estimate", "ci_low", "ci_high"))
    if not _finite(est, lo, hi):
        return Magnitude("not_estimable")
    t_up, t_down, factor, log = _thresholds(row)
    if log:
        if min(est, lo, hi) <= 0:
            return Magnitude("not_estimable")
        values = [math.log(x) for x in (est, lo, hi)]
        null = 1.0
    else:
        values = [x * factor for x in (est, lo, hi)]
        null = 0.0
    direction = "reduce" if est < null else "increase" if est > null else None
    sign = 1.0 if str(getattr(row, "outcome", "")) in HIGHER_IS_BETTER else -1.0
    point, a, b = (sign * v for v in values)
    low, high = min(a, b), max(a, b)
    t_benefit, t_harm = (t_up, t_down) if sign > 0 else (t_down, t_up)
    if t_benefit is None:
        if low > 0:
            category = "benefit_size_unknown"
        elif high < 0:
            category = "possible_harm"
        else:
            category = "no_clear_difference"
    elif low > -t_harm and high < t_benefit:
        category = "little_or_no_difference"
    elif low > 0:
        category = "important_benefit" if point >= t_benefit else "small_benefit"
    elif high < 0:
        category = "possible_harm"
    else:
        category = "imprecise"
    return Magnitude(category, point, low, high, t_benefit, t_harm, direction,
                     _size(category, point, t_benefit, t_harm))


def statement_size(row) -> str:
    """The size an informative statement uses for a row (one of :data:`STATEMENT_SIZES`)."""
    return magnitude(row).size


def informative_statement(row, lang: str = "en", *, mag: Magnitude | None = None,
                          certainty: str | None = None) -> str:
    """GRADE's informative statement for one summary-of-findings row, in English or Dutch.

    Parameters
    ----------
    row : SofRow
    lang : {"en", "nl"}
    mag : Magnitude, optional
        The row's size, when already judged (:func:`magnitude`).
    certainty : str, optional
        Overrides the row's certainty (a sensitivity analysis).

    Returns
    -------
    str
        E.g. "Acupuncture may reduce pain intensity slightly compared with sham (neck pain,
        weeks 1 to 5)." / "Acupunctuur vermindert mogelijk enigszins de pijnintensiteit,
        vergeleken met schijnacupunctuur (nekpijn, week 1 tot 5)."

    References
    ----------
    Santesso N et al. GRADE guidelines 26. J Clin Epidemiol 2020;119:126-135 (Table 3).
    """
    mag = mag or magnitude(row)
    return statement_sentence(certainty or getattr(row, "certainty", "very_low"), mag.size,
                              mag.direction or "reduce", outcome=getattr(row, "outcome", ""),
                              comparison=getattr(row, "comparison", ""), condition=getattr(row, "condition", ""),
                              timepoint=getattr(row, "timepoint", ""), lang=lang)


#: How a row's size counts in a verdict (:func:`verdict_group`).
VERDICT_GROUPS = ("important", "small", "none", "mixed")
#: At most this many informative statements per claim (one per side of a mix first).
MAX_STATEMENTS = 4


def verdict_group(row) -> str:
    """How a row counts in a verdict (:mod:`evidence.claims`): ``important`` (a benefit that
    reaches the MID, or whose importance cannot be judged), ``small`` (a benefit below the MID),
    ``mixed`` (studies without numbers that disagree) or ``none`` (little or no difference, no
    clear difference, an imprecise estimate below the MID, harm, no estimate)."""
    mag = magnitude(row)
    if mag.category == "mixed":
        return "mixed"
    if mag.side == "benefit":
        return "important" if mag.size == "effect" else "small"
    return "none"


def claim_statements(rows: Sequence, lang: str = "en", *, limit: int = MAX_STATEMENTS) -> list[str]:
    """GRADE's informative statements of the rows a verdict rests on: one of each side of a mix
    (:data:`VERDICT_GROUPS`) in turn, each sentence once, at most ``limit``."""
    by_group = {g: [r for r in rows if verdict_group(r) == g] for g in VERDICT_GROUPS}
    order: list = []
    while any(by_group.values()):
        for g in VERDICT_GROUPS:
            if by_group[g]:
                order.append(by_group[g].pop(0))
    return list(dict.fromkeys(informative_statement(r, lang) for r in order))[:limit]


def suggested_wording(verdict: str, rows: Sequence, kind: str, notes: Sequence = (), lang: str = "en") -> str:
    """A wording the evidence supports, for an ``overstated`` or ``not_supported`` claim (else "").

    Parameters
    ----------
    verdict : str
        The claim's verdict.
    rows : sequence of SofRow
        The rows the verdict rests on.
    kind : str
        The claim's kind (``dose``, ``method``, ...).
    notes : sequence of (key, params)
        The decision's notes: a dose claim's ``sessions`` note gives the trials' courses.
    lang : {"en", "nl"}

    Returns
    -------
    str
        With rows: GRADE's informative statements of those rows (:func:`claim_statements`;
        GRADE guidelines 26 words findings for readers). Without: for a dose claim the courses
        the trials used, for a method claim that it has not been compared, otherwise that the
        claim is untested.
    """
    if verdict not in ("overstated", "not_supported"):
        return ""
    if rows:
        return " ".join(claim_statements(rows, lang))
    if kind == "dose":
        courses = next((params for key, params in notes if key == "sessions"), None)
        if courses:
            return claim_render("suggest_dose", {k: courses[k] for k in ("low", "high", "median")}, lang)
        return claim_text("suggest_dose_none", lang)
    if kind == "method":
        return claim_text("suggest_method", lang)
    return claim_text("suggest_untested", lang)


def reestimate(row, analysis: Mapping[str, Any]):
    """``row`` with the numbers of one sensitivity analysis (a dict with ``estimate``, ``ci_low``,
    ``ci_high``, ``certainty`` and ``k_studies``, as :class:`evidence.grade.SofRow` carries them
    in ``sensitivity``).

    The absolute effect of a pain row on the 0-100 scale is restated from the new numbers with
    the row's own unit (mm or cm), so that :func:`magnitude` judges the re-estimate on the same
    scale; other absolute effects are kept (they do not enter the judgement).
    """
    changes: dict[str, Any] = {}
    for key in ("estimate", "ci_low", "ci_high"):
        value = analysis.get(key)
        changes[key] = float(value) if _finite(value) else None
    if analysis.get("certainty") in ("high", "moderate", "low", "very_low"):
        changes["certainty"] = analysis["certainty"]
    if isinstance(analysis.get("k_studies"), int):
        changes["k_studies"] = analysis["k_studies"]
    factor = _scale_factor(row)
    est = changes["estimate"]
    if factor is not None and est is not None:
        changes["absolute"] = (f"{abs(est) * factor:.1f} mm {'lower' if est < 0 else 'higher'} on a 0-100 scale "
                               "(sensitivity analysis)")
    if dataclasses.is_dataclass(row):
        return dataclasses.replace(row, **changes)
    return SimpleNamespace(**{**vars(row), **changes})

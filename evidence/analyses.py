"""The review's meta-analyses, built from the extraction table, and how they compare.

:func:`review_analyses` answers the review's questions (:data:`QUESTIONS`):
acupuncture versus sham and versus usual care, for tension-type headache
(responder rate; headache frequency) and for neck pain (pain intensity, short
term). A question is pooled wherever at least two primary studies (not the
systematic reviews' rows, see :func:`evidence.extraction.is_review_row`)
report the outcome on a poolable scale with one outcome definition (outcome
code and timepoint) and heterogeneity allows a summary; otherwise the studies
are shown with the reason there is no pool. GRADE certainty per question is
in :mod:`evidence.grade`. :func:`compare_with_reviews` sets the
results beside the pooled results the snapshot's systematic reviews report in
their abstracts.

Rules
-----
- **Rows.** A primary row belongs to a question when its comparison and
  condition are the question's and its outcome is one of the question's
  outcome codes. Rows whose timepoint is the immediate effect of a single
  session (``immediate_post_session``, crossover designs) are left out of the
  main analyses and pooled only in a sensitivity analysis that says so. For
  short-term questions, a row must have a timepoint up to
  :data:`SHORT_TERM_WEEKS` weeks (after randomisation, or after the end of
  treatment when the timepoint says ``post_treatment``); ``not_stated``
  timepoints are left out there.
- **One row per study.** Studies, not reports, are counted: when a study
  (``study_id`` of the extraction table, else the PMID) has several rows, the
  one kept is: the trial's own label before a qualified one (``Irnich 2002`` before
  ``Irnich 2002 (dry needling)``), then the earliest timepoint, then arm data
  before an estimate with CI, then the first in the table.
- **Poolable scale.** Rows pool when their measures are of one family (MD
  with GENERIC_MD; SMD; RR with GENERIC_RR; OR with GENERIC_OR; RD) and, for
  mean differences, their scale is the same: the question's scale name for
  the outcome plus the unit in the reviewer's note in ``source`` (``mm``,
  ``cm``, ``points``, ``days``, ...). Mean differences without standard
  deviations cannot be turned into SMDs, so MDs on different scales are not
  pooled.
- **Same outcome definition.** No pooled estimate across different outcome
  codes or timepoints: such studies are shown side by side without a pool
  (issue 9).
- **Few or heterogeneous studies** (:func:`pool_studies`): with k = 2 the
  fixed effect is reported beside the random effects and the result says it
  rests on two trials; with I2 > 75% and k < 5 the studies are shown without
  a pooled estimate (no diamond); the HKSJ interval is always given.
- **Effect sizes.** Arm data give escalc's values
  (:mod:`evidence.effects`); an estimate with its 95% CI gives
  ``yi = estimate`` (log for ratios) and ``vi = ((high - low) / (2 z))^2``
  (:func:`evidence.effects.from_ci`). Pooling is by inverse variance,
  random effects with REML by default (:func:`evidence.meta.combine_effects`).
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np
import pandas as pd

from . import effects
from .extraction import is_review_row
from .meta import MetaResult, combine_effects
from .miner import mine
from .plots import forest_plot

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "SHORT_TERM_WEEKS",
    "COMPARISON_WORDS",
    "CONDITION_WORDS",
    "HETEROGENEITY_NO_DIAMOND",
    "Pool",
    "pool_studies",
    "row_effect",
    "Question",
    "QUESTIONS",
    "Analysis",
    "timepoint_weeks",
    "timepoint_months",
    "row_scale",
    "review_analyses",
    "analyses_frame",
    "compare_with_reviews",
]

#: Upper limit of "short term", in weeks after randomisation or after treatment.
SHORT_TERM_WEEKS = 13.0
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
#: The comparisons and conditions in words, for the questions' titles (grade.py's too).
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


@dataclass(frozen=True)
class Question:
    """One question of the review.

    Attributes
    ----------
    key : str
        Short identifier (used for tables and figure names).
    comparison, condition : str
        As in the extraction table.
    outcome : str
        The outcome in words.
    outcomes : dict
        Outcome codes of the extraction table that answer it, each mapped to
        ``(scale name, unit varies)``: codes with the same scale name (and,
        where the unit varies between studies, the same unit) pool as MD.
    short_term : bool
        Keep only timepoints up to :data:`SHORT_TERM_WEEKS`.
    single_session : bool
        Also pool immediate effects of a single session (sensitivity analysis).
    """

    key: str
    comparison: str
    condition: str
    outcome: str
    outcomes: dict = field(hash=False)
    short_term: bool = False
    single_session: bool = False

    @property
    def text(self) -> str:
        """The question in words."""
        extra = " (sensitivity: with single-session crossover results)" if self.single_session \
            else ""
        return (f"Acupuncture vs {COMPARISON_WORDS.get(self.comparison, self.comparison)} "
                f"for {CONDITION_WORDS.get(self.condition, self.condition)}: "
                f"{self.outcome}{extra}")


_RESPONDERS = {"responder_rate": ("responders", False), "responder_50pct": ("responders", False)}
_FREQUENCY = {"headache_days": ("headache days", False),
              "headache_frequency": ("headache frequency", True)}
_PAIN = {"pain_intensity": ("pain", True), "motion_related_pain": ("pain", True)}

#: The review's questions, in the order of the report.
QUESTIONS = (
    Question("tth_sham_responders", "acupuncture_vs_sham", "tension_type_headache",
             "responder rate", _RESPONDERS),
    Question("tth_sham_frequency", "acupuncture_vs_sham", "tension_type_headache",
             "headache frequency", _FREQUENCY),
    Question("tth_usual_care_responders", "acupuncture_vs_usual_care", "tension_type_headache",
             "responder rate", _RESPONDERS),
    Question("tth_usual_care_frequency", "acupuncture_vs_usual_care", "tension_type_headache",
             "headache frequency", _FREQUENCY),
    Question("neck_sham_pain", "acupuncture_vs_sham", "neck_pain",
             "pain intensity, short term", _PAIN, short_term=True),
    Question("neck_sham_pain_with_crossover", "acupuncture_vs_sham", "neck_pain",
             "pain intensity, short term", _PAIN, short_term=True, single_session=True),
    Question("neck_usual_care_pain", "acupuncture_vs_usual_care", "neck_pain",
             "pain intensity, short term", _PAIN, short_term=True),
)


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
        Outcome code to ``(scale name, unit varies)`` (a :class:`Question`'s
        ``outcomes``); ``(code, True)`` for a code it does not list.

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


def _scale_note(row: Mapping) -> str:
    """The first clause of the reviewer's note: how the outcome was measured."""
    source = str(row.get("source", "") or "")
    note = source[source.rfind("[") + 1:].rstrip("]") if "[" in source else ""
    return note.split(";")[0].strip()


def _has(row, columns) -> bool:
    return all(pd.notna(row.get(c)) for c in columns)


def _effect(row) -> tuple[float, float, str]:
    """yi, vi and how they were obtained for one row."""
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


def _base_label(study: str) -> bool:
    return "(" not in str(study)


def row_effect(row: Mapping) -> tuple[float, float, str]:
    """``yi``, ``vi`` and how they were obtained for one row of the extraction table.

    Arm data give escalc's values; an estimate with its 95% CI gives
    ``yi = estimate`` (log for ratios) and ``vi = ((high - low) / (2 z))^2``;
    NaN when the row has neither.
    """
    return _effect(row)


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


# ----------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True, eq=False)
class Analysis:
    """One question of the review, pooled or not.

    Attributes
    ----------
    key, question, comparison, condition, outcome : str
        What was asked (see :class:`Question`).
    studies : DataFrame
        Every primary row that reports the outcome for this comparison and
        condition: ``study, pmid, outcome, timepoint, measure, scale, estimate,
        ci_low, ci_high, yi, vi, source_of_yi, included, note`` (``note`` says
        why a row was left out), and ``weight`` (percent) when pooled.
    result : MetaResult or None
        The pooled result, or None when there is no pool.
    reason : str
        Why it was pooled, or why not ("one study only", "outcomes on
        different scales", ...).
    notes : tuple of str
        Caveats a reader must know (differing timepoints, k = 2, ...).
    outcome_codes : tuple of str
        The outcome codes of the extraction table that answer the question.
    pool : Pool or None
        Random, fixed-effect and HKSJ results (:func:`pool_studies`) when two
        or more studies on one scale and outcome definition were combined,
        also when no estimate is shown (I2 > 75% with k < 5); None otherwise.
    """

    key: str
    question: str
    comparison: str
    condition: str
    outcome: str
    studies: pd.DataFrame = field(repr=False)
    result: MetaResult | None
    reason: str
    notes: tuple[str, ...] = ()
    outcome_codes: tuple[str, ...] = ()
    pool: Pool | None = field(default=None, repr=False)

    @property
    def pooled(self) -> bool:
        """True when a pooled result exists."""
        return self.result is not None

    @property
    def k(self) -> int:
        """Number of studies pooled, or of studies shown when there is no pool."""
        return self.result.k if self.result is not None else int(self.studies["included"].sum())

    def summary_frame(self) -> pd.DataFrame:
        """One labelled row: the question, the pooled numbers (or NaN) and the reason.

        Columns: ``question, comparison, condition, outcome, pooled, k, measure,
        method, estimate, ci_low, ci_high, pi_low, pi_high, tau2, i2, q, q_p,
        studies, reason, notes`` (natural scale; NaN without a pool), indexed
        by ``key``. ``studies`` lists each study included (pooled, or shown
        alone) with its estimate and 95% CI.
        """
        r = self.result
        included = self.studies.loc[self.studies["included"], "study"].tolist()
        row: dict[str, Any] = {
            "question": self.question, "comparison": self.comparison,
            "condition": self.condition, "outcome": self.outcome, "pooled": self.pooled,
            "k": self.k,
            "measure": (r.measure if r is not None else
                        (self.studies.loc[self.studies["included"], "measure"].iloc[0]
                         if included else None)),
            "method": r.method if r is not None else None,
            "estimate": r.estimate if r is not None else np.nan,
            "ci_low": r.ci_low if r is not None else np.nan,
            "ci_high": r.ci_high if r is not None else np.nan,
            "pi_low": r.pi_low if r is not None and r.pi is not None else np.nan,
            "pi_high": r.pi_high if r is not None and r.pi is not None else np.nan,
            "tau2": r.tau2 if r is not None else np.nan,
            "i2": r.i2 if r is not None else np.nan,
            "q": r.q if r is not None else np.nan,
            "q_p": r.q_p if r is not None else np.nan,
            "studies": "; ".join(
                f"{st}: {_fmt(e)} ({_fmt(lo)} to {_fmt(hi)})"
                for st, e, lo, hi in self.studies.loc[
                    self.studies["included"], ["study", "estimate", "ci_low", "ci_high"]
                ].itertuples(index=False)),
            "reason": self.reason,
            "notes": " ".join(self.notes),
        }
        return pd.DataFrame([row], index=pd.Index([self.key], name="analysis"))

    def plot_forest(self, *, ax: "Axes | None" = None) -> "Axes":
        """Forest plot (:func:`evidence.plots.forest_plot`): the studies and the pool.

        Without a pool the included studies are drawn alone. The question is
        the title.
        """
        if self.result is not None:
            ax = forest_plot(self.result, ax=ax)
        else:
            shown = self.studies[self.studies["included"]]
            if shown.empty:
                raise ValueError(f"analysis {self.key!r} has no study to plot ({self.reason})")
            frame = shown.set_index("study")[["estimate", "ci_low", "ci_high"]].assign(
                kind="study")
            frame.attrs.update(measure=shown["measure"].iloc[0],
                               log_scale=_FAMILIES[shown["measure"].iloc[0]] in _RATIO)
            ax = forest_plot(frame, ax=ax)
            # say on the figure why there is no diamond, so it travels with the picture
            ax.text(0.01, 0.02, "\n".join(textwrap.wrap(f"No pooled estimate: {self.reason}", 110)),
                    transform=ax.transAxes, fontsize="x-small", va="bottom", ha="left", color="0.3")
        ax.set_title(self.question, fontsize="medium")
        return ax


# ----------------------------------------------------------------------------------------------
# the analyses


def _candidates(effects_frame: pd.DataFrame, q: Question) -> pd.DataFrame:
    rows = effects_frame[
        (effects_frame["comparison"] == q.comparison)
        & (effects_frame["condition"] == q.condition)
        & effects_frame["outcome"].isin(list(q.outcomes))
        & ~effects_frame["study"].map(is_review_row)
    ]
    return rows.copy()


def _select(rows: pd.DataFrame, q: Question) -> pd.DataFrame:
    """Mark each row included or not, with the reason."""
    table = []
    for number, row in rows.iterrows():
        weeks, after = timepoint_weeks(row["timepoint"])
        note = ""
        if row["timepoint"] == _SINGLE_SESSION and not q.single_session:
            note = ("immediate effect of a single session (crossover trial): not pooled with "
                    "courses of treatment; see the sensitivity analysis")
        elif q.short_term and weeks is None:
            note = "timepoint not stated: cannot tell whether it is short term"
        elif q.short_term and weeks > SHORT_TERM_WEEKS:
            note = f"timepoint {row['timepoint']} is beyond {SHORT_TERM_WEEKS:g} weeks"
        yi, vi, how = _effect(row)
        if not note and not math.isfinite(yi):
            note = "abstract gives no arm data or CI"
        table.append({
            "row": number, "study": row["study"], "pmid": row["pmid"],
            "study_id": (str(row.get("study_id", "") or "") if str(row.get("study_id", "") or "")
                         not in ("", "nan") else f"pmid{row['pmid']}"),
            "outcome": row["outcome"], "timepoint": row["timepoint"],
            "measure": row["measure"], "scale": row_scale(row, q.outcomes),
            "estimate": row["estimate"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
            "yi": yi, "vi": vi, "source_of_yi": how, "included": not note, "note": note,
            "_weeks": math.inf if weeks is None else weeks, "_base": _base_label(row["study"]),
            "_arms": how == "arm data", "_note": _scale_note(row),
        })
    frame = pd.DataFrame(table, columns=[
        "row", "study", "pmid", "study_id", "outcome", "timepoint", "measure", "scale",
        "estimate", "ci_low", "ci_high", "yi", "vi", "source_of_yi", "included", "note",
        "_weeks", "_base", "_arms", "_note"])
    frame["included"] = frame["included"].astype(bool)
    # one row per study (not per report)
    for _, group in frame[frame["included"]].groupby("study_id", sort=False):
        if len(group) < 2:
            continue
        order = group.sort_values(["_base", "_weeks", "_arms", "row"],
                                  ascending=[False, True, False, True])
        keep = order.index[0]
        for i in order.index[1:]:
            frame.loc[i, "included"] = False
            frame.loc[i, "note"] = (f"same trial as {frame.loc[keep, 'study']} "
                                    f"({frame.loc[keep, 'timepoint']}): one row per study")
    # natural-scale estimate and CI for rows given as arm data
    for i in frame.index[frame["source_of_yi"] == "arm data"]:
        family = _FAMILIES[frame.loc[i, "measure"]]
        yi, se = frame.loc[i, "yi"], math.sqrt(frame.loc[i, "vi"])
        low, high = yi - 1.959963984540054 * se, yi + 1.959963984540054 * se
        if family in _RATIO:
            yi, low, high = math.exp(yi), math.exp(low), math.exp(high)
        frame.loc[i, ["estimate", "ci_low", "ci_high"]] = [yi, low, high]
    return frame.drop(columns=["_weeks", "_base", "_arms"])


def _analyse(effects_frame: pd.DataFrame, q: Question, *, method: str, hksj: bool) -> Analysis:
    rows = _candidates(effects_frame, q)
    studies = _select(rows, q)
    notes_of = studies.pop("_note")
    base = dict(key=q.key, question=q.text, comparison=q.comparison, condition=q.condition,
                outcome=q.outcome, outcome_codes=tuple(q.outcomes))
    included = studies[studies["included"]]
    if included.empty:
        if studies.empty:
            reason = ("no primary study in the extraction table reports this outcome for this "
                      "comparison (see data/effects_README.md, 'Not extracted')")
        else:
            reason = "no usable study: " + "; ".join(sorted(set(studies["note"])))
        return Analysis(studies=studies, result=None, reason=reason, **base)
    if len(included) == 1:
        only = included.iloc[0]
        return Analysis(studies=studies, result=None,
                        reason=f"one study only ({only['study']}, {only['scale']})", **base)
    scales = included["scale"]
    counts = scales.value_counts(sort=True)
    if counts.iloc[0] < 2:
        listed = "; ".join(f"{st}: {m}, {sc}" for st, m, sc in
                           zip(included["study"], included["measure"], scales))
        if included["measure"].map(_FAMILIES).nunique() > 1:
            reason = f"different effect measures ({listed})"
        else:
            reason = (f"outcomes on different scales ({listed}); mean differences without "
                      "SDs cannot be standardised")
        return Analysis(studies=studies, result=None, reason=reason, **base)
    scale = counts.index[0]  # the largest group of rows on one scale
    other = included.index[scales != scale]
    studies.loc[other, "included"] = False
    studies.loc[other, "note"] = f"on another scale than the pooled studies ({scale})"
    pool = studies[studies["included"]].assign(_note=notes_of)
    definitions = sorted(set(zip(pool["outcome"], pool["timepoint"])))
    if len(definitions) > 1:
        listed = "; ".join(f"{st}: {o} at {t}" for st, o, t in
                           zip(pool["study"], pool["outcome"], pool["timepoint"]))
        return Analysis(studies=studies, result=None,
                        reason=f"different outcome definitions ({listed}): no pooled estimate "
                               "across outcome codes or timepoints", **base)
    family = _FAMILIES[pool["measure"].iloc[0]]
    if method == "FE":
        result = combine_effects(pool["yi"].to_numpy(), pool["vi"].to_numpy(), method="FE",
                                 hksj=hksj, measure=family, studies=list(pool["study"]))
        combined = None
        notes = []
    else:
        combined = pool_studies(pool["yi"].to_numpy(), pool["vi"].to_numpy(),
                                studies=list(pool["study"]), measure=family, method=method)
        result = combined.hksj if hksj else combined.random
        notes = list(combined.notes)
    studies["weight"] = np.nan
    studies.loc[pool.index, "weight"] = result.weights
    if any(pool["source_of_yi"] != "arm data"):
        notes.append("Variances back-calculated from the reported 95% CIs.")
    measured = [f"{st}: {n}" for st, n in zip(pool["study"], pool["_note"]) if n]
    if measured:
        notes.append("As measured (reviewer's notes): " + "; ".join(measured) + ".")
    model = "fixed effect" if method == "FE" else f"random effects ({method})"
    if combined is not None and not combined.show_pooled:
        reason = (f"not pooled: I2 = {combined.random.i2:.0f}% with {combined.k} studies "
                  f"({scale}); heterogeneity too large to summarise, the studies are shown "
                  "without a pooled estimate")
        return Analysis(studies=studies, result=None, reason=reason, notes=tuple(notes),
                        pool=combined, **base)
    reason = (f"pooled: {result.k} studies report {q.outcome} vs "
              f"{COMPARISON_WORDS.get(q.comparison, q.comparison)} on one scale ({scale}); "
              f"inverse variance, {model}{', HKSJ interval' if hksj else ''}")
    return Analysis(studies=studies, result=result, reason=reason, notes=tuple(notes),
                    pool=combined, **base)


def review_analyses(effects_frame: pd.DataFrame, *, method: str = "REML",
                    hksj: bool = False, questions=QUESTIONS) -> list[Analysis]:
    """Answer the review's questions from the extraction table.

    Parameters
    ----------
    effects_frame : DataFrame
        The extraction table (:func:`evidence.review.load_effects`).
    method : {"REML", "DL", "PM", "FE"}
        Pooling model (keyword-only; see :func:`evidence.meta.combine_effects`).
    hksj : bool
        Hartung-Knapp-Sidik-Jonkman interval.
    questions : sequence of Question
        Default :data:`QUESTIONS`.

    Returns
    -------
    list of Analysis
        One per question, in order.

    Notes
    -----
    The rules for which rows enter a pool are in the module docstring. A
    pool needs two studies; with two, the between-study variance is poorly
    estimated, which each such analysis says in its ``notes``.

    References
    ----------
    Deeks, J. J., Higgins, J. P. T., & Altman, D. G. (2023). Chapter 10:
    Analysing data and undertaking meta-analyses. In Cochrane Handbook for
    Systematic Reviews of Interventions, version 6.4.

    Higgins, J. P. T., Li, T., & Deeks, J. J. (2023). Chapter 6: Choosing
    effect measures and computing estimates of effect (section 6.3.1:
    standard errors from confidence intervals). Ibid.

    Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance
    estimators in the random-effects model. Journal of Educational and
    Behavioral Statistics, 30(3), 261-293.
    """
    if method not in ("REML", "DL", "PM", "FE"):
        raise ValueError(f"method must be one of 'REML', 'DL', 'PM', 'FE'; got {method!r}")
    if not isinstance(hksj, bool):
        raise ValueError(f"hksj must be True or False; got {hksj!r}")
    return [_analyse(effects_frame, q, method=method, hksj=hksj) for q in questions]


def analyses_frame(analyses: list[Analysis]) -> pd.DataFrame:
    """The analyses' summary rows in one DataFrame (see :meth:`Analysis.summary_frame`)."""
    if not analyses:
        return pd.DataFrame()
    return pd.concat([a.summary_frame() for a in analyses])


# ----------------------------------------------------------------------------------------------
# comparison with the systematic reviews


def _fmt(x: float) -> str:
    return "NA" if x is None or not np.isfinite(x) else f"{x:.2f}"


def _ours(a: Analysis) -> str:
    if a.result is not None:
        r = a.result
        return (f"{r.measure} {_fmt(r.estimate)} "
                f"({_fmt(r.ci_low)} to {_fmt(r.ci_high)}), k = {r.k}")
    return f"not pooled: {a.reason}"


def _trials(source: str) -> int | None:
    m = re.search(r"\b(\d+)\s+(?:trials|RCTs|studies|randomi[sz]ed)", source)
    return int(m.group(1)) if m else None


def _length_unit(text: str) -> str | None:
    m = re.search(r"\b(mm|cm)\b", text)
    return m.group(1) if m else None


_TO_OURS = {("cm", "mm"): 10.0, ("mm", "cm"): 0.1}


def _why(a: Analysis, rev: pd.Series) -> str:
    """A sentence on why our result and the review's differ."""
    n = _trials(str(rev["source"]))
    theirs = f"they pooled {n} trials" if n else "they pooled an unstated number of trials"
    theirs += " with the trials' full data"
    included = a.studies[a.studies["included"]]
    if a.result is None:
        ours = (f"we have no pool ({a.reason}); the abstracts we extract from give too little "
                "for one")
        return f"{theirs[0].upper()}{theirs[1:]}; {ours}."
    ours = (f"we pool only what {a.result.k} trial abstracts report "
            f"({', '.join(included['study'])})")
    parts = [f"{theirs[0].upper()}{theirs[1:]}; {ours}."]
    our_family = _FAMILIES[included["measure"].iloc[0]]
    their_family = _FAMILIES[rev["measure"]]
    if our_family != their_family:
        parts.append(f"They report an {their_family}, we an {our_family}: the numbers are on "
                     "different scales and cannot be compared directly.")
    else:
        factor = 1.0
        our_unit = _length_unit(" ".join(included["scale"]))
        their_unit = _length_unit(str(rev["source"]))
        if our_unit and their_unit and our_unit != their_unit:
            factor = _TO_OURS.get((their_unit, our_unit), 1.0)
            parts.append(f"They report in {their_unit}, we in {our_unit} "
                         f"({their_unit} x {factor:g}).")
        low, high = rev["ci_low"] * factor, rev["ci_high"] * factor
        r = a.result
        inside = low <= r.estimate <= high
        overlap = r.ci_low <= high and low <= r.ci_high
        parts.append(f"Our estimate lies {'inside' if inside else 'outside'} their CI; the "
                     f"intervals {'overlap' if overlap else 'do not overlap'}.")
    if str(rev["timepoint"]) not in set(included["timepoint"]):
        parts.append(f"Timepoints differ (theirs {rev['timepoint']}; ours "
                     f"{', '.join(sorted(set(included['timepoint'])))}).")
    return " ".join(parts)


def _cut_short(abstract: str) -> str:
    """Why a review whose snapshot abstract is cut short has no number to quote."""
    where = ("before any pooled result with a confidence interval" if not mine(abstract)
             else "; the part present gives no pooled result for this question")
    return (f"The snapshot's abstract of this review is cut short (abstract_complete = False)"
            f"{' ' if not where.startswith(';') else ''}{where}. Nothing is quoted from "
            "elsewhere; a live re-record with the full abstract would allow the comparison.")


def compare_with_reviews(analyses: list[Analysis], effects_frame: pd.DataFrame,
                         records: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Our results beside the pooled results the snapshot's systematic reviews report.

    Parameters
    ----------
    analyses : list of Analysis
        From :func:`review_analyses`.
    effects_frame : DataFrame
        The extraction table; its review rows (study name with ``"(SR"``)
        hold the reviews' pooled results with the quoted sentence in
        ``source``.
    records : DataFrame
        The records table with ``abstract_complete``
        (:func:`evidence.review.load_records`).
    labels : DataFrame
        Hand labels with ``pmid, design, condition``
        (:func:`evidence.review.load_labels`);
        used to find the systematic reviews of a condition that have no row
        for a question.

    Returns
    -------
    DataFrame
        One row per (analysis, review result): ``analysis, question, ours,
        review, pmid, abstract_complete, their_measure, their_estimate,
        their_ci_low, their_ci_high, their_timepoint, their_trials, quote,
        why_they_differ``. A systematic review of the question's condition
        whose snapshot abstract is cut short (``abstract_complete`` False)
        and that gives no number for the question gets a row that says so,
        with no numbers: nothing is quoted from elsewhere.
    """
    complete = dict(zip(records["pmid"].astype(str), records["abstract_complete"]))
    abstracts = dict(zip(records["pmid"].astype(str), records["abstract"]))
    names = {str(p): f"{str(a).split()[0] if str(a) else '?'} {y}"
             for p, a, y in zip(records["pmid"], records["first_author"], records["year"])}
    reviews = effects_frame[effects_frame["study"].map(is_review_row)]
    rows = []
    for a in analyses:
        match = reviews[(reviews["comparison"] == a.comparison)
                        & (reviews["condition"] == a.condition)
                        & reviews["outcome"].isin(list(a.outcome_codes))]
        for _, rev in match.iterrows():
            rows.append({
                "analysis": a.key, "question": a.question, "ours": _ours(a),
                "review": rev["study"], "pmid": rev["pmid"],
                "abstract_complete": complete.get(str(rev["pmid"]), pd.NA),
                "their_measure": rev["measure"], "their_estimate": rev["estimate"],
                "their_ci_low": rev["ci_low"], "their_ci_high": rev["ci_high"],
                "their_timepoint": rev["timepoint"], "their_trials": _trials(str(rev["source"])),
                "quote": rev["source"], "why_they_differ": _why(a, rev),
            })
        quoted = set(match["pmid"])
        srs = labels[(labels["design"] == "systematic_review")
                     & (labels["condition"] == a.condition)]
        for pmid in srs["pmid"]:
            flag = complete.get(pmid, pd.NA)
            if pmid in quoted or pd.isna(flag) or bool(flag):
                continue
            rows.append({
                "analysis": a.key, "question": a.question, "ours": _ours(a),
                "review": names.get(pmid, pmid), "pmid": pmid, "abstract_complete": False,
                "their_measure": None, "their_estimate": np.nan, "their_ci_low": np.nan,
                "their_ci_high": np.nan, "their_timepoint": None, "their_trials": None,
                "quote": "", "why_they_differ": _cut_short(abstracts.get(pmid, "")),
            })
    columns = ["analysis", "question", "ours", "review", "pmid", "abstract_complete",
               "their_measure", "their_estimate", "their_ci_low", "their_ci_high",
               "their_timepoint", "their_trials", "quote", "why_they_differ"]
    return pd.DataFrame(rows, columns=columns)

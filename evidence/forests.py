"""Forest plots of the summary of findings' pooled rows, in words and in the reader's language.

One forest plot per row of the summary of findings (:mod:`evidence.grade`, built with the
analysis plan) that combines two or more studies on one scale: comparison x condition x
outcome domain x time window. The studies shown are exactly the results the pool used
(:attr:`evidence.grade.SofRow.studies`: one result per study by the plan's pick rule, on the
row's common scale, with their random-effects weights); nothing is selected again here.

:func:`plan_forests` lists them as :class:`Forest` (the data behind each figure), and
:func:`draw_forest` draws one with :func:`evidence.plots.forest_plot`: the question, outcome
domain and time window in words as the title, both sides of the line of no effect labelled with
what they favour (:func:`favours_labels`: "favours acupuncture" / "favours sham", in English or
Dutch), the pooled diamond and its 95% prediction interval only where the row has a pooled
estimate, and otherwise the reason in words ("I² = 92% with 3 studies: no pooled estimate").

References
----------
Deeks JJ, Higgins JPT, Altman DG (eds.). Chapter 10: Analysing data and undertaking
meta-analyses. In: Cochrane Handbook for Systematic Reviews of Interventions, version 6.4
(2023): 10.10.2 (no single summary when studies disagree too much), 10.10.4.3 (prediction
intervals), 10.2 (forest plots).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .plain import plain
from .plots import forest_plot
from .pooled import is_pooled
from .texts import figure_text, ui_label
from .vocab import COMPARATORS, HIGHER_IS_BETTER, RATIO_MEASURES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["favours_labels", "Forest", "plan_forests", "forest_of", "forest_name", "forest_caption",
           "draw_forest", "HIGHER_IS_BETTER_DOMAINS"]

#: Outcome domains of the analysis plan where more is better (more responders, better quality of
#: life): an estimate right of the line of no effect favours acupuncture.
HIGHER_IS_BETTER_DOMAINS = ("responders", "quality_of_life")
#: The plan's scale names (``data/analysis_plan.yaml``) -> :data:`evidence.texts.FIGURE_TEXTS` key.
_SCALE_TEXTS = {"SD units": "scale_sd", "headache days per 4 weeks": "scale_days_4_weeks",
                "headache days per year": "scale_days_year"}
_SEP = "__"  # between the codes in a figure's name (codes never hold two underscores in a row)


def favours_labels(comparison: str, outcome: str, *, lang: str = "en") -> tuple[str, str]:
    """What the left and the right side of a forest plot favour, in words.

    For an outcome where lower is better (pain, headache days) a difference below the line of
    no effect favours acupuncture; for one where higher is better
    (:data:`evidence.vocab.HIGHER_IS_BETTER`: responders, function; the plan's domains in
    :data:`HIGHER_IS_BETTER_DOMAINS`) the right side does. The control is the comparison's
    comparator in words ("sham", "usual care").
    """
    comparator = str(comparison).split("_vs_", 1)[-1]
    control = ui_label("comparator", comparator, lang) if comparator in COMPARATORS else \
        figure_text("control", lang)
    acupuncture = figure_text("favours_acupuncture", lang)
    other = figure_text("favours", lang, control=control)
    higher = outcome in HIGHER_IS_BETTER or outcome in HIGHER_IS_BETTER_DOMAINS
    return (other, acupuncture) if higher else (acupuncture, other)


@dataclass(frozen=True)
class Forest:
    """The data behind one forest plot (one pooled summary-of-findings row) in words.

    Attributes
    ----------
    name : str
        File and figure name (``forest_<comparison>__<condition>__<domain>__<window>``).
    title : str
        Condition, comparison, outcome domain and time window in words.
    comparison, condition, outcome, timepoint : str
        The SoF row's codes (domain and window).
    measure : str
        MD, SMD, RR, ...
    x_label : str
        The measure and its common scale in words, with "95% CI".
    studies : tuple of dict
        ``{label, estimate, ci_low, ci_high, weight}`` per study (weights in percent, summing to
        100), from :attr:`evidence.grade.SofRow.studies`.
    pooled : dict or None
        ``{label, estimate, ci_low, ci_high, pi_low, pi_high}`` when the row has a pooled
        estimate; None when it shows the studies only.
    i2, tau2 : float or None
    favours : (str, str)
        What the left and right side favour.
    note : str
        Under the plot: the heterogeneity (with a pooled estimate), or why there is none.
    lang : str
    """

    name: str
    title: str
    comparison: str
    condition: str
    outcome: str
    timepoint: str
    measure: str
    x_label: str
    studies: tuple[dict, ...]
    pooled: dict | None
    i2: float | None
    tau2: float | None
    favours: tuple[str, str]
    note: str
    lang: str = "en"

    @property
    def k(self) -> int:
        """Number of studies."""
        return len(self.studies)

    def summary_frame(self) -> pd.DataFrame:
        """One row per study then the pooled row (if any), indexed by label, as
        :func:`evidence.plots.forest_plot` takes it (``kind``, ``estimate``, ``ci_low``,
        ``ci_high``, ``weight``, ``pi_low``, ``pi_high``; attrs ``measure``, ``log_scale``)."""
        rows = [{"label": s["label"], "kind": "study", "estimate": s["estimate"], "ci_low": s["ci_low"],
                 "ci_high": s["ci_high"], "weight": s["weight"], "pi_low": math.nan, "pi_high": math.nan}
                for s in self.studies]
        if self.pooled is not None:
            p = self.pooled
            rows.append({"label": p["label"], "kind": "pooled", "estimate": p["estimate"],
                         "ci_low": p["ci_low"], "ci_high": p["ci_high"], "weight": 100.0,
                         "pi_low": _nan(p["pi_low"]), "pi_high": _nan(p["pi_high"])})
        frame = pd.DataFrame(rows).set_index("label")
        frame.index.name = "study"
        frame.attrs.update(measure=self.measure, log_scale=self.measure in RATIO_MEASURES)
        return frame

    def to_dict(self) -> dict:
        """JSON-ready dict of every field."""
        return {"name": self.name, "title": self.title, "comparison": self.comparison,
                "condition": self.condition, "outcome": self.outcome, "timepoint": self.timepoint,
                "measure": self.measure, "x_label": self.x_label, "k": self.k,
                "studies": [dict(s) for s in self.studies],
                "pooled": dict(self.pooled) if self.pooled is not None else None,
                "i2": self.i2, "tau2": self.tau2, "favours": list(self.favours), "note": self.note,
                "lang": self.lang}


def _nan(x) -> float:
    return math.nan if x is None else float(x)


def _number(x: float, digits: int, lang: str) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def forest_name(row) -> str:
    """The figure's name for a SoF row: ``forest_<comparison>__<condition>__<domain>__<window>``."""
    return "forest_" + _SEP.join((row.comparison, row.condition, row.outcome, row.timepoint))


def _title(comparison: str, condition: str, outcome: str, timepoint: str, lang: str) -> str:
    text = figure_text("forest_title", lang, condition=ui_label("condition", condition, lang),
                       comparison=ui_label("comparison", comparison, lang),
                       outcome=ui_label("outcome", outcome, lang),
                       window=ui_label("timepoint", timepoint, lang))
    return text[:1].upper() + text[1:]


def forest_caption(name: str, lang: str = "en") -> str | None:
    """The words for a figure named by :func:`forest_name`, or None when ``name`` is not one."""
    if not name.startswith("forest_"):
        return None
    parts = name[len("forest_"):].split(_SEP)
    return _title(*parts, lang) if len(parts) == 4 else None


def _scale_words(scale: str, lang: str) -> str:
    if scale.startswith("0-100"):
        return figure_text("scale_0_100", lang)
    if scale in _SCALE_TEXTS:
        return figure_text(_SCALE_TEXTS[scale], lang)
    return plain(scale, lang)


def forest_of(row, *, lang: str = "en") -> Forest:
    """The forest plot data of one SoF row that pools two or more studies.

    Parameters
    ----------
    row : evidence.grade.SofRow
        A row with two or more :attr:`~evidence.grade.SofRow.studies`, all weighted.
    lang : {"en", "nl"}

    Returns
    -------
    Forest

    Raises
    ------
    ValueError
        When the row does not combine two or more studies on one scale.
    """
    if not is_pooled(row):
        raise ValueError(f"SoF row {forest_name(row)!r} does not pool two or more studies on one scale")
    studies = tuple({"label": str(s["study"]), "estimate": float(s["estimate"]),
                     "ci_low": float(s["ci_low"]), "ci_high": float(s["ci_high"]),
                     "weight": float(s["weight"])} for s in row.studies)
    codes = {s.get("outcome") for s in row.studies}  # the studies' own outcome, else the domain
    favours = favours_labels(row.comparison, next(iter(codes)) if len(codes) == 1 and None not in codes
                             else row.outcome, lang=lang)
    pooled = None
    k = len(studies)
    i2 = None if row.i2 is None else float(row.i2)
    tau2 = None if row.tau2 is None else float(row.tau2)
    if row.estimate is not None:
        pooled = {"label": figure_text("pooled", lang), "estimate": float(row.estimate),
                  "ci_low": float(row.ci_low), "ci_high": float(row.ci_high),
                  "pi_low": None if row.pi_low is None else float(row.pi_low),
                  "pi_high": None if row.pi_high is None else float(row.pi_high)}
        note = figure_text("heterogeneity", lang, i2=_number(i2 or 0.0, 0, lang),
                           tau2=_number(tau2 or 0.0, 2, lang), k=k) if i2 is not None else ""
    else:  # a row that pools without an estimate: I2 > 75% with fewer than 5 studies
        note = figure_text("no_pool_heterogeneity", lang, i2=_number(i2 or 0.0, 0, lang), k=k)
    measure_words = ui_label("measure", row.measure, lang)
    scales = {str(s.get("scale", "")) for s in row.studies}
    scale = _scale_words(scales.pop(), lang) if len(scales) == 1 and row.measure not in RATIO_MEASURES \
        else ""
    x_label = f"{measure_words}{', ' + scale if scale else ''} ({figure_text('ci', lang)})"
    return Forest(name=forest_name(row),
                  title=_title(row.comparison, row.condition, row.outcome, row.timepoint, lang),
                  comparison=row.comparison, condition=row.condition, outcome=row.outcome,
                  timepoint=row.timepoint, measure=row.measure, x_label=x_label, studies=studies,
                  pooled=pooled, i2=i2, tau2=tau2, favours=favours, note=note, lang=lang)


def plan_forests(sof, *, lang: str = "en") -> list[Forest]:
    """A :class:`Forest` for every SoF row that combines two or more studies on one scale.

    Parameters
    ----------
    sof : evidence.grade.SummaryOfFindings or sequence of SofRow
        Built with the analysis plan (:func:`evidence.review.load_sof`).
    lang : {"en", "nl"}

    Returns
    -------
    list of Forest
        In the SoF's order (main table first). Rows whose studies are on different scales
        are not drawn (no common axis; their footnotes give each study's estimate).
    """
    return [forest_of(r, lang=lang) for r in getattr(sof, "rows", sof) if is_pooled(r)]


def draw_forest(forest: Forest, *, ax: "Axes | None" = None) -> "Axes":
    """Draw one :class:`Forest` (:func:`evidence.plots.forest_plot`) with its words.

    The title names the condition, comparison, outcome domain and time window; both sides of
    the line of no effect say what they favour (gids ``favours_left``, ``favours_right``); the
    diamond and the 95% prediction interval appear only with a pooled estimate, and the note
    under the plot gives the heterogeneity (gid ``heterogeneity``) or why no estimate is
    pooled (gid ``no_pool_reason``).

    Parameters
    ----------
    forest : Forest
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = forest_plot(forest.summary_frame(), ax=ax, lang=forest.lang, favours=forest.favours)
    ax.set_xlabel(forest.x_label)
    ax.set_title("\n".join(textwrap.wrap(forest.title, 80)), fontsize="medium")
    if forest.note:
        gid = "heterogeneity" if forest.pooled is not None else "no_pool_reason"
        ax.text(0.0, -0.22, "\n".join(textwrap.wrap(forest.note, 110)), transform=ax.transAxes,
                fontsize="x-small", va="top", ha="left", color="0.3", gid=gid)
    return ax

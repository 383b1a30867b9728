"""Forest plots of the review's questions, in words and in the reader's language.

:func:`analysis_forest` draws one question of :mod:`evidence.analyses` with
:func:`evidence.plots.forest_plot`: the question as the title, both sides of the line of no
effect labelled with what they favour (:func:`favours_labels`: "favours acupuncture" /
"favours sham", in English or Dutch), a diamond only where a pooled estimate is shown, and
otherwise the reason on the figure in plain words (:func:`evidence.plain.plain`), never codes.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .plain import plain
from .plots import forest_plot
from .texts import figure_text, ui_label
from .vocab import COMPARATORS, HIGHER_IS_BETTER, RATIO_MEASURES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["favours_labels", "analysis_forest"]


def favours_labels(comparison: str, outcome: str, *, lang: str = "en") -> tuple[str, str]:
    """What the left and the right side of a forest plot favour, in words.

    For an outcome where lower is better (pain, headache days) a difference below the line of
    no effect favours acupuncture; for one where higher is better
    (:data:`evidence.vocab.HIGHER_IS_BETTER`: responders, function) the right side does.
    The control is the comparison's comparator in words ("sham", "usual care").
    """
    comparator = str(comparison).split("_vs_", 1)[-1]
    control = ui_label("comparator", comparator, lang) if comparator in COMPARATORS else \
        figure_text("control", lang)
    acupuncture = figure_text("favours_acupuncture", lang)
    other = figure_text("favours", lang, control=control)
    return (other, acupuncture) if outcome in HIGHER_IS_BETTER else (acupuncture, other)


def analysis_forest(analysis, *, lang: str = "en", ax: "Axes | None" = None) -> "Axes":
    """Forest plot of one review question (:class:`evidence.analyses.Analysis`) in words.

    The question is the title, both sides of the line of no effect say what they favour
    (:func:`favours_labels`), and a diamond is drawn and mentioned only when a pooled
    estimate is shown; without one, the reason is written on the figure in ``lang``
    (:func:`evidence.plain.plain`: no codes).

    Parameters
    ----------
    analysis : evidence.analyses.Analysis
    lang : {"en", "nl"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    favours = favours_labels(analysis.comparison, analysis.outcome, lang=lang)
    if analysis.result is not None:
        ax = forest_plot(analysis.result, ax=ax, lang=lang, favours=favours)
    else:
        shown = analysis.studies[analysis.studies["included"]]
        if shown.empty:
            raise ValueError(f"analysis {analysis.key!r} has no study to plot ({analysis.reason})")
        frame = shown.set_index("study")[["estimate", "ci_low", "ci_high"]].assign(kind="study")
        measure = shown["measure"].iloc[0]
        frame.attrs.update(measure=measure, log_scale=measure in RATIO_MEASURES)
        ax = forest_plot(frame, ax=ax, lang=lang, favours=favours)
        reason = figure_text("no_pool", lang, reason=plain(analysis.reason, lang))
        ax.text(0.01, 0.02, "\n".join(textwrap.wrap(reason, 110)), transform=ax.transAxes, fontsize="x-small",
                va="bottom", ha="left", color="0.3", gid="no_pool_reason")
    ax.set_title(ui_label("question", analysis.key, lang), fontsize="medium")
    return ax

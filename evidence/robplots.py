"""Risk-of-bias figures as robvis draws them: a traffic-light plot and a weighted summary plot.

The layout follows robvis (McGuinness & Higgins 2021), the R package Cochrane reviews use for
RoB 2 figures: the traffic-light plot has one row per study result and one column per domain,
then the overall judgement, each cell a coloured circle with a symbol ("+" low, "-" some
concerns, "X" high, "?" no information) in robvis's RoB 2 colours; a crossover trial's extra
domain (period and carry-over effects, column ``ds``) gets its own column when the table has
one. The summary plot has one horizontal bar per domain (overall last), split into the share
of the information at each judgement, each study weighted (robvis's ``weighted = TRUE``).

Each figure has a data function behind it -- :func:`traffic_light_data`,
:func:`summary_data` -- so tests and notebooks check the numbers, not pixels. Plot functions
take ``ax=None`` and return the Axes; matplotlib is imported inside them.

References
----------
McGuinness, L. A., & Higgins, J. P. T. (2021). Risk-of-bias VISualization (robvis): An R
package and Shiny web app for visualizing risk-of-bias assessments. Research Synthesis
Methods, 12(1), 55-61.

Sterne, J. A. C., et al. (2019). RoB 2: a revised tool for assessing risk of bias in
randomised trials. BMJ, 366, l4898.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np
import pandas as pd

from .plain import STUDY_ID
from .texts import figure_text, ui_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["JUDGEMENT_ORDER", "ROB_COLOURS", "ROB_SYMBOLS", "rob_domains", "study_weights",
           "traffic_light_data", "summary_data", "traffic_light", "summary_plot"]

#: RoB 2 judgements from best to worst, as the summary plot stacks them (robvis's order).
JUDGEMENT_ORDER = ("low", "some_concerns", "high", "no_information")
#: robvis's RoB 2 colours (its default "cochrane" scheme): green, yellow, red, blue.
ROB_COLOURS = {"low": "#02C100", "some_concerns": "#E2DF07", "high": "#BF0000", "no_information": "#4EA1F7"}
#: robvis's symbols in the traffic-light circles.
ROB_SYMBOLS = {"low": "+", "some_concerns": "-", "high": "X", "no_information": "?"}
_DOMAIN_ORDER = ("d1", "ds", "d2", "d3", "d4", "d5")
#: A parallel-group trial's cell in the crossover domain (:data:`evidence.rob.NOT_APPLICABLE`):
#: left blank in the traffic-light plot and out of that domain's bar, as robvis does.
NOT_APPLICABLE = "not_applicable"


def rob_domains(rob: pd.DataFrame) -> list[str]:
    """The RoB 2 domain columns the table has, in RoB 2's order (``ds`` after ``d1`` when present)."""
    return [d for d in _DOMAIN_ORDER if d in rob.columns]


def _label(row, lang: str, several: bool) -> str:
    study = STUDY_ID.sub(lambda m: f"{m.group(1).capitalize()} {m.group(2)}{m.group(3)}", str(row["study_id"]))
    comparison = str(row.get("comparison", "*"))
    if several and comparison != "*":
        study += f" ({ui_label('comparison', comparison, lang)})"
    return study


def traffic_light_data(rob: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The judgements a traffic-light plot shows: one row per rated result, one column per domain.

    Parameters
    ----------
    rob : DataFrame
        The RoB 2 table (:func:`evidence.rob.parse_rob`): ``study_id``, ``d1`` ... ``d5``
        (``ds`` too for crossover trials, optional), ``overall``, optionally ``comparison``.
    lang : {"en", "nl"}
        Language of the row labels (a study rated per comparison names the comparison).

    Returns
    -------
    DataFrame
        Index: the study in words ("White 2004", "Melchart 2005 (acupuncture vs sham)"), in
        the table's order; columns: the domains present, then ``overall``; values: the
        judgement codes. ``attrs["study_id"]`` lists each row's study id.
    """
    domains = rob_domains(rob)
    if rob.empty:
        return pd.DataFrame(columns=domains + ["overall"])
    counts = rob["study_id"].value_counts()
    labels = [_label(r, lang, counts[r["study_id"]] > 1) for _, r in rob.iterrows()]
    frame = pd.DataFrame(rob[domains + ["overall"]].to_numpy(), index=pd.Index(labels, name="study"),
                         columns=domains + ["overall"])
    bad = sorted(set(frame.to_numpy().ravel()) - set(JUDGEMENT_ORDER) - {NOT_APPLICABLE})
    if bad:
        raise ValueError(f"unknown RoB 2 judgement {bad[0]!r}; use one of {', '.join(JUDGEMENT_ORDER)}")
    frame.attrs["study_id"] = list(rob["study_id"])
    return frame


def study_weights(effects: pd.DataFrame) -> dict[str, float]:
    """Each study's weight for the summary plot: the number of people it randomised.

    The largest ``n_randomised`` of the study's rows in the extraction table (the number
    randomised, read from its abstract with the sentence in ``n_source``); studies without one
    are left out (see :func:`summary_data` for how they are weighted).
    """
    if "n_randomised" not in effects or "study_id" not in effects:
        return {}
    n = pd.to_numeric(effects["n_randomised"], errors="coerce")
    known = effects.assign(_n=n).dropna(subset=["_n"])
    return {str(k): float(v) for k, v in known.groupby("study_id")["_n"].max().items() if v > 0}


def summary_data(rob: pd.DataFrame, *, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The summary plot's numbers: per domain, the percentage of the information at each judgement.

    Parameters
    ----------
    rob : DataFrame
        As for :func:`traffic_light_data`.
    weights : mapping, optional
        {study_id: weight} (:func:`study_weights`: people randomised). Each study counts once:
        a study rated in several rows (one per comparison) shares its weight equally among
        them. A study without a weight is weighted as the median study that has one (listed
        in ``attrs["imputed"]``). None: every study counts equally (robvis's unweighted plot).

    Returns
    -------
    DataFrame
        Index: the domains present, then ``overall``; columns: :data:`JUDGEMENT_ORDER`;
        values: percentages summing to 100 per row. ``attrs["weights"]`` holds each row's
        weight, ``attrs["weighted"]`` whether weights were used, ``attrs["imputed"]`` the
        studies weighted as the median.
    """
    domains = rob_domains(rob) + ["overall"]
    if rob.empty:
        return pd.DataFrame(0.0, index=pd.Index(domains, name="domain"), columns=list(JUDGEMENT_ORDER))
    ids = rob["study_id"].astype(str)
    imputed: list[str] = []
    if weights:
        known = {k: float(v) for k, v in weights.items() if v is not None and np.isfinite(v) and v > 0}
        median = float(np.median(list(known.values()))) if known else 1.0
        imputed = sorted(set(ids) - set(known))
        per_study = ids.map(lambda s: known.get(s, median)).to_numpy(dtype=float)
    else:
        per_study = np.ones(len(rob))
    share = per_study / ids.map(ids.value_counts()).to_numpy(dtype=float)  # a study counts once
    table = {}
    for domain in domains:
        column = rob[domain].to_numpy()
        applies = share[column != NOT_APPLICABLE].sum()  # the crossover domain: crossover trials only
        if applies > 0:
            table[domain] = [100.0 * share[column == j].sum() / applies for j in JUDGEMENT_ORDER]
    frame = pd.DataFrame.from_dict(table, orient="index", columns=list(JUDGEMENT_ORDER))
    frame.index.name = "domain"
    frame.attrs.update(weights=list(share), weighted=bool(weights), imputed=imputed)
    return frame


def _domain_label(domain: str, lang: str) -> str:
    return figure_text("rob_overall", lang) if domain == "overall" else domain.upper()


def traffic_light(rob: pd.DataFrame, *, ax: "Axes | None" = None, lang: str = "en") -> "Axes":
    """robvis's traffic-light plot: study results (rows) by domain (columns) and overall.

    Parameters
    ----------
    rob : DataFrame
        As for :func:`traffic_light_data`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (sized to the number of rows) is made when None.
    lang : {"en", "nl"}

    Returns
    -------
    matplotlib Axes
        One circle per cell (collection gid ``"judgements"``; its face colours are
        :data:`ROB_COLOURS` of :func:`traffic_light_data`'s cells, row by row), each with its
        symbol (texts gid ``"symbol"``); domain headers on top; the domains' names and the
        judgements' colours in the legend below.
    """
    data = traffic_light_data(rob, lang=lang)
    rows, cols = data.shape
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(7.5, 1.6 + 0.32 * max(rows, 1)))
    xs, ys = np.meshgrid(np.arange(cols), np.arange(rows))
    cells = data.to_numpy().ravel()
    shown = cells != NOT_APPLICABLE  # a parallel-group trial has no crossover-domain circle
    xs, ys, cells = xs.ravel()[shown], ys.ravel()[shown], cells[shown]
    colours = [ROB_COLOURS[j] for j in cells]
    ax.scatter(xs, ys, s=260, c=colours, edgecolors="0.25", linewidths=0.6, zorder=3,
               gid="judgements")
    for x, y, j in zip(xs, ys, cells):
        ax.text(x, y, ROB_SYMBOLS[j], ha="center", va="center", fontsize=8, fontweight="bold",
                color="black", zorder=4, gid="symbol")
    ax.axvline(cols - 1.5, color="0.6", linewidth=0.8)  # the overall column apart
    ax.set_xlim(-0.6, cols - 0.4)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks(range(cols))
    ax.set_xticklabels([_domain_label(d, lang) for d in data.columns], fontweight="bold")
    ax.xaxis.tick_top()
    ax.set_yticks(range(rows))
    ax.set_yticklabels(list(data.index), fontsize=8)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_facecolor("#f7f7f7")
    from matplotlib.lines import Line2D  # matplotlib only when drawing

    domains = [c for c in data.columns if c != "overall"]
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor=ROB_COLOURS[j],
                      markeredgecolor="0.25", label=f"{ROB_SYMBOLS[j]}  {figure_text(f'rob_{j}', lang)}")
               for j in JUDGEMENT_ORDER]
    names = "\n".join(f"{d.upper()}: {figure_text(f'rob_{d}', lang)}" for d in domains)
    ax.legend(handles=handles, title=figure_text("rob_judgement", lang), loc="upper left",
              bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8, title_fontsize=8)
    ax.text(1.03, 0.0, f"{figure_text('rob_domains', lang)}\n{names}", transform=ax.transAxes, va="bottom",
            ha="left", fontsize=7, gid="domain_names")
    ax.set_title(figure_text("rob_title", lang), fontsize=10, pad=22)
    return ax


def summary_plot(rob: pd.DataFrame, *, weights: Mapping[str, float] | None = None, ax: "Axes | None" = None,
                 lang: str = "en") -> "Axes":
    """robvis's summary plot: per domain, a 100% bar split by judgement (weighted by study).

    Parameters
    ----------
    rob : DataFrame
        As for :func:`traffic_light_data`.
    weights : mapping, optional
        As for :func:`summary_data`; None gives the unweighted plot.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.
    lang : {"en", "nl"}

    Returns
    -------
    matplotlib Axes
        One bar container per judgement (label: the judgement in words; each bar's gid
        ``"rob:<domain>:<judgement>"``, its width the percentage of :func:`summary_data`);
        domains top to bottom, overall last.
    """
    data = summary_data(rob, weights=weights)
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(8, 0.45 * len(data) + 1.6))
    y = np.arange(len(data))
    left = np.zeros(len(data))
    for judgement in JUDGEMENT_ORDER:
        widths = data[judgement].to_numpy(dtype=float)
        bars = ax.barh(y, widths, left=left, height=0.7, color=ROB_COLOURS[judgement], edgecolor="0.25",
                       linewidth=0.5, label=figure_text(f"rob_{judgement}", lang))
        for patch, domain in zip(bars, data.index):
            patch.set_gid(f"rob:{domain}:{judgement}")
        left = left + widths
    labels = [figure_text("rob_overall", lang) if d == "overall" else figure_text(f"rob_{d}", lang)
              for d in data.index]
    ax.set_yticks(y)
    ax.set_yticklabels([f"{lab[0].upper()}{lab[1:]}" for lab in labels], fontsize=8)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    label = figure_text("rob_share" if data.attrs.get("weighted") else "rob_share_unweighted", lang)
    if data.attrs.get("imputed"):
        label += "\n" + figure_text("rob_imputed", lang, k=len(data.attrs["imputed"]))
    ax.set_xlabel(label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False, fontsize=8)
    ax.set_title(figure_text("rob_summary", lang), fontsize=10)
    return ax

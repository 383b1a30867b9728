"""The evidence map: designs, conditions, comparators and years of the classified records.

One concept of :mod:`evidence.plots` (its door, which re-exports every name
defined here): a data function behind each figure --
:func:`design_condition_counts`, :func:`publication_year_counts`,
:func:`comparator_design_counts` -- so tests and notebooks check the numbers,
not pixels, and the figure drawn from it (``ax=None`` makes a new figure;
the Axes is returned). Input that is not :func:`evidence.designs.classify`
output is refused with a :class:`~evidence.errors.DataError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import designs
from .designs import TRIAL_DESIGNS
from .errors import DataError
from .texts import figure_text, ui_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


def _vocab():
    return designs.DESIGNS, designs.CONDITIONS, designs.COMPARATORS


def _checked(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{what} needs column(s) {', '.join(map(repr, missing))}: pass "
                        "evidence.designs.classify() output (merged with the records for 'year')")
    design_v, condition_v, comparator_v = _vocab()
    allowed = {"design": design_v, "condition": condition_v, "comparator": comparator_v + ("",)}
    for col in columns:
        if col in allowed:
            bad = sorted(set(frame[col].astype(str)) - set(allowed[col]))
            if bad:
                raise DataError(f"{what}: {col} {bad[0]!r} is not one of "
                                f"{', '.join(v for v in allowed[col] if v)}")
    return frame


def design_condition_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """Records per design (rows) and condition (columns): the evidence map's numbers.

    Parameters
    ----------
    classified : DataFrame
        :func:`evidence.designs.classify` output (``design``, ``condition``).

    Returns
    -------
    DataFrame
        Integer counts, every design and condition of the vocabularies in
        their order (zeros included), index named ``design``, columns
        ``condition``.
    """
    design_v, condition_v, _ = _vocab()
    frame = _checked(classified, ("design", "condition"), "design_condition_counts")
    table = pd.crosstab(frame["design"].astype(str), frame["condition"].astype(str))
    table = table.reindex(index=list(design_v), columns=list(condition_v), fill_value=0)
    table.index.name, table.columns.name = "design", "condition"
    return table.astype(int)


def design_condition_heatmap(classified: pd.DataFrame, *, ax: "Axes | None" = None, lang: str = "en") -> "Axes":
    """Heat map of records per design and condition, each cell annotated with its count.

    Parameters
    ----------
    classified : DataFrame
        As for :func:`design_condition_counts`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.

    Returns
    -------
    matplotlib Axes
        Rows (y tick labels) are designs, columns (x tick labels) conditions,
        in vocabulary order and in words (:func:`evidence.texts.ui_label`); the annotations are the counts of
        :func:`design_condition_counts`.
    """
    import seaborn as sns  # here, not at the top: seaborn imports pyplot

    counts = design_condition_counts(classified)
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(7.5, 5.5))
    sns.heatmap(counts, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5,
                linecolor="white", ax=ax)
    ax.set_xticklabels([ui_label("condition", c, lang) for c in counts.columns], rotation=30, ha="right")
    ax.set_yticklabels([ui_label("design", d, lang) for d in counts.index], rotation=0)
    ax.set_xlabel(figure_text("condition", lang))
    ax.set_ylabel(figure_text("design", lang))
    ax.set_title(figure_text("map_title", lang, n=int(counts.to_numpy().sum())))
    return ax


def publication_year_counts(records_with_design: pd.DataFrame) -> pd.DataFrame:
    """Records per publication year (rows) and design (columns).

    Parameters
    ----------
    records_with_design : DataFrame
        Records with ``year`` and ``design`` (the records table merged with
        :func:`evidence.designs.classify` on ``pmid``).

    Returns
    -------
    DataFrame
        Integer counts; every year from the first to the last (zeros
        included) as the index ``year``; the designs that occur, in vocabulary
        order, as columns. Records without a year are left out; their number
        is in ``attrs["no_year"]``.
    """
    design_v, _, _ = _vocab()
    frame = _checked(records_with_design, ("year", "design"), "publication_year_counts")
    years = pd.to_numeric(frame["year"], errors="coerce")
    dated = frame.assign(year=years).dropna(subset=["year"])
    present = [d for d in design_v if (dated["design"] == d).any()]
    if dated.empty:
        table = pd.DataFrame(columns=present, dtype=int)
    else:
        table = pd.crosstab(dated["year"].astype(int), dated["design"].astype(str))
        span = range(int(table.index.min()), int(table.index.max()) + 1)
        table = table.reindex(index=list(span), columns=present, fill_value=0)
    table.index.name, table.columns.name = "year", "design"
    table = table.astype(int)
    table.attrs["no_year"] = int(len(frame) - len(dated))
    return table


def _palette(designs_present):
    import seaborn as sns  # here, not at the top: seaborn imports pyplot

    design_v, _, _ = _vocab()
    colours = sns.color_palette("tab10", n_colors=len(design_v))
    return {d: colours[design_v.index(d)] for d in designs_present}


def publications_per_year(records_with_design: pd.DataFrame, *, ax: "Axes | None" = None,
                          lang: str = "en") -> "Axes":
    """Stacked bars: records per publication year, coloured by study design.

    Parameters
    ----------
    records_with_design : DataFrame
        As for :func:`publication_year_counts`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.

    Returns
    -------
    matplotlib Axes
        One bar container per design (``ax.containers``, its label the
        design in words; each bar's gid ``"design:<code>"``), a bar at each year of
        :func:`publication_year_counts`; the legend lists the designs.
    """
    counts = publication_year_counts(records_with_design)
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(9, 4.5))
    colours = _palette(list(counts.columns))
    bottom = np.zeros(len(counts))
    years = counts.index.to_numpy()
    for design in counts.columns:
        heights = counts[design].to_numpy()
        bars = ax.bar(years, heights, bottom=bottom, width=0.8, color=colours[design],
                      label=ui_label("design", design, lang), edgecolor="white", linewidth=0.5)
        for patch in bars:
            patch.set_gid(f"design:{design}")
        bottom = bottom + heights
    ax.set_xlabel(figure_text("year", lang))
    ax.set_ylabel(figure_text("records", lang))
    ax.set_title(figure_text("year_title", lang))
    if len(years):
        step = max(1, int(np.ceil(len(years) / 15)))
        ax.set_xticks(years[::step])
        ax.set_xticklabels([str(y) for y in years[::step]], rotation=90)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(counts.columns):
        ax.legend(title=figure_text("design", lang), fontsize=8, title_fontsize=8, frameon=False,
                  loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def comparator_design_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """Trials and trial protocols per comparator (rows) and design (columns).

    Parameters
    ----------
    classified : DataFrame
        :func:`evidence.designs.classify` output (``design``, ``comparator``).

    Returns
    -------
    DataFrame
        Integer counts of the records that have a comparator; every
        comparator of the vocabulary (zeros included) as the index
        ``comparator``; the trial designs that occur as columns.
    """
    _, _, comparator_v = _vocab()

    frame = _checked(classified, ("design", "comparator"), "comparator_design_counts")
    trials = frame[frame["comparator"].astype(str) != ""]
    present = [d for d in TRIAL_DESIGNS if (trials["design"] == d).any()]
    table = pd.crosstab(trials["comparator"].astype(str), trials["design"].astype(str))
    table = table.reindex(index=list(comparator_v), columns=present, fill_value=0)
    table.index.name, table.columns.name = "comparator", "design"
    return table.astype(int)


def comparator_counts(classified: pd.DataFrame, *, ax: "Axes | None" = None, lang: str = "en") -> "Axes":
    """Horizontal stacked bars: trials per comparator, coloured by design.

    Parameters
    ----------
    classified : DataFrame
        As for :func:`comparator_design_counts`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.

    Returns
    -------
    matplotlib Axes
        y tick labels are the comparators in words (vocabulary order, top to
        bottom); one bar container per design (its label the design in words;
        each bar's gid ``"design:<code>"``) whose widths are the counts of
        :func:`comparator_design_counts`.
    """
    counts = comparator_design_counts(classified)
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(6.5, 3.5))
    colours = _palette(list(counts.columns))
    y = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for design in counts.columns:
        widths = counts[design].to_numpy()
        bars = ax.barh(y, widths, left=left, height=0.7, color=colours[design],
                       label=ui_label("design", design, lang), edgecolor="white", linewidth=0.5)
        for patch in bars:
            patch.set_gid(f"design:{design}")
        left = left + widths
    ax.set_yticks(y)
    ax.set_yticklabels([ui_label("comparator", c, lang) for c in counts.index])
    ax.set_xlabel(figure_text("trials", lang))
    ax.set_ylabel(figure_text("comparator", lang))
    ax.set_title(figure_text("comparator_title", lang, n=int(counts.to_numpy().sum())))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if len(counts.columns):
        ax.legend(title=figure_text("design", lang), fontsize=8, title_fontsize=8, frameon=False)
    return ax

"""Figures of a meta-analysis: forest plot and funnel plot.

Both functions take ``ax=None`` (a new figure is made when it is None), draw
onto the Axes, and return it; they never call ``show()`` or save.
matplotlib and seaborn are imported inside the functions: pyplot chooses a
backend on import, and the data modules that import this one
(:mod:`evidence.screening`, :mod:`evidence.analyses`) stay free of matplotlib,
so importing them has no side effects.

What is drawn is kept findable by data, for tests and for notebooks: the study
rows are the y tick labels, the pooled diamond is the patch with gid
``"pooled"``, the prediction interval the line with gid
``"prediction_interval"``, study markers the collection with gid ``"studies"``.

The evidence map (study designs and conditions of the classified records) has
a data function behind each figure -- :func:`design_condition_counts`,
:func:`publication_year_counts`, :func:`comparator_design_counts` -- so tests
and notebooks check the numbers, not pixels. :func:`prisma_flow` draws the
PRISMA 2020 flow of :mod:`evidence.screening`. :func:`save_figure` is the one
way figures are written (atomically).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

from . import designs
from .designs import TRIAL_DESIGNS
from .errors import DataError
from .texts import figure_text, ui_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from evidence.meta import MetaResult

__all__ = [
    "forest_plot",
    "funnel_plot",
    "design_condition_counts",
    "design_condition_heatmap",
    "publication_year_counts",
    "publications_per_year",
    "comparator_design_counts",
    "comparator_counts",
    "prisma_flow",
    "save_figure",
]

Source = Union["MetaResult", pd.DataFrame]

_Z = 1.959963984540054  # 97.5% normal quantile: 95% intervals


def _frame(result_or_frame) -> pd.DataFrame:
    """The summary frame of a result, or a frame already in that layout."""
    if isinstance(result_or_frame, pd.DataFrame):
        frame = result_or_frame
    elif hasattr(result_or_frame, "summary_frame"):
        frame = result_or_frame.summary_frame()
    else:
        raise TypeError(
            f"expected a MetaResult or its summary_frame(); got {type(result_or_frame).__name__}"
        )
    if "kind" not in frame:
        frame = frame.assign(kind="study")
    return frame


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots()
    return ax


def forest_plot(result_or_frame: Source, *, ax: "Axes | None" = None, lang: str = "en",
                favours: tuple[str, str] | None = None) -> "Axes":
    """Forest plot: each study with its 95% CI, the pooled diamond and the PI.

    Parameters
    ----------
    result_or_frame : MetaResult or DataFrame
        A pooled result, or its :meth:`~evidence.meta.MetaResult.summary_frame`
        (or any frame indexed by study with columns ``estimate``, ``ci_low``,
        ``ci_high``, optionally ``weight``, ``kind`` -- ``"study"`` or
        ``"pooled"`` -- and ``pi_low``, ``pi_high`` on the pooled row).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.
    lang : {"en", "nl"}
        Language of the figure's words.
    favours : (str, str), optional
        What the left and the right of the line of no effect favour ("favours acupuncture",
        "favours sham"), written under the x axis (gids ``favours_left``, ``favours_right``).

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Values are on the natural scale; ratio measures (``frame.attrs
    ["log_scale"]``) get a logarithmic x axis with the line of no effect at 1,
    others at 0. Marker area is proportional to the study's weight (at least 4
    points squared, so that every study stays visible). The 95% prediction
    interval, when the result has one (random effects), is a line on its own
    row under the diamond, labelled "95% prediction interval". Right of the
    Axes, text columns give each row's estimate [95% CI] (gid ``"estimate_ci"``)
    and weight in percent (gid ``"weight"``), under bold headers (gid
    ``"column_header"``), as R metafor's ``forest()`` prints them.
    """
    frame = _frame(result_or_frame)
    ax = _axes(ax)
    log_scale = bool(frame.attrs.get("log_scale", False))
    studies = frame[frame["kind"] == "study"]
    pooled = frame[frame["kind"] == "pooled"]
    k = len(studies)
    y = np.arange(k, 0, -1, dtype=float)  # first study on top, pooled row at 0, PI row at -1

    est = studies["estimate"].to_numpy(dtype=float)
    lo = studies["ci_low"].to_numpy(dtype=float)
    hi = studies["ci_high"].to_numpy(dtype=float)
    ax.hlines(y, lo, hi, color="0.25", linewidth=1, gid="study_intervals")
    has_weight = "weight" in studies and np.isfinite(studies["weight"].to_numpy(dtype=float)).any()
    if has_weight:
        w = studies["weight"].to_numpy(dtype=float)
        sizes = np.maximum(300 * w / np.nanmax(w), 4.0) if np.nanmax(w) > 0 else np.full(k, 60.0)
    else:
        sizes = np.full(k, 60.0)
    ax.scatter(est, y, s=sizes, marker="s", color="0.25", zorder=3, gid="studies")

    labels = list(studies.index.astype(str))
    ticks = list(y)
    # the numbers beside the plot: one text per row, findable by gid
    columns = [(yy, e, l, h, (studies["weight"].iloc[i] if has_weight else None))
               for i, (yy, e, l, h) in enumerate(zip(y, est, lo, hi))]
    bottom = -1.0
    if len(pooled):
        from matplotlib.patches import Polygon  # matplotlib only when a figure is drawn

        row = pooled.iloc[0]
        diamond = Polygon(
            [(row["ci_low"], 0.0), (row["estimate"], 0.3), (row["ci_high"], 0.0),
             (row["estimate"], -0.3)],
            closed=True, facecolor="tab:blue", edgecolor="tab:blue", zorder=4, gid="pooled",
        )
        ax.add_patch(diamond)
        labels.append(str(pooled.index[0]))
        ticks.append(0.0)
        columns.append((0.0, row["estimate"], row["ci_low"], row["ci_high"], 100.0 if has_weight else None))
        if {"pi_low", "pi_high"} <= set(pooled.columns) and np.isfinite(row["pi_low"]):
            # its own labelled row under the pool, as R meta's forest() draws it
            ax.plot([row["pi_low"], row["pi_high"]], [-1.0, -1.0], color="tab:blue", linewidth=2,
                    solid_capstyle="butt", zorder=3, gid="prediction_interval",
                    label=figure_text("pi", lang))
            ax.plot([row["pi_low"], row["pi_high"]], [-1.0, -1.0], linestyle="none", marker="|",
                    markersize=8, color="tab:blue", zorder=3)
            labels.append(figure_text("pi", lang))
            ticks.append(-1.0)
            columns.append((-1.0, None, row["pi_low"], row["pi_high"], None))
            bottom = -2.0

    null = 1.0 if log_scale else 0.0
    ax.axvline(null, color="0.5", linestyle="--", linewidth=0.8, gid="no_effect")
    if log_scale:
        ax.set_xscale("log")
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(bottom, k + 1.0)
    measure = frame.attrs.get("measure")
    measure = ui_label("measure", measure, lang) if measure else None  # words, not GENERIC_MD
    ci = figure_text("ci", lang)
    ax.set_xlabel(f"{measure or figure_text('estimate', lang)} ({ci})")
    _forest_columns(ax, columns, measure=measure, weights=has_weight, top=k + 1.0, lang=lang)
    if favours:
        side = dict(transform=ax.transAxes, va="top", fontsize="small", color="0.25", style="italic")
        ax.text(0.0, -0.13, f"\u2190 {favours[0]}", ha="left", gid="favours_left", **side)
        ax.text(1.0, -0.13, f"{favours[1]} \u2192", ha="right", gid="favours_right", **side)
    return ax


def _number(x, lang: str = "en") -> str:
    text = "NA" if x is None or not np.isfinite(x) else f"{x:.2f}"
    return text.replace(".", ",") if lang == "nl" else text  # a decimal comma in Dutch


def _forest_columns(ax, rows, *, measure, weights: bool, top: float, lang: str = "en") -> None:
    """Estimate [95% CI] and weight as text columns right of the Axes (gids ``estimate_ci``, ``weight``)."""
    from matplotlib.transforms import blended_transform_factory  # matplotlib only when drawing

    where = blended_transform_factory(ax.transAxes, ax.transData)
    header = dict(transform=where, va="center", fontsize="small", fontweight="bold", gid="column_header")
    ax.text(1.03, top - 0.5, f"{measure or figure_text('estimate', lang)} [{figure_text('ci', lang)}]", ha="left",
            **header)
    if weights:
        ax.text(1.38, top - 0.5, figure_text("weight", lang), ha="right", **header)
    for yy, est, lo, hi, weight in rows:
        sep = "; " if lang == "nl" else ", "  # the bounds apart when the decimal sign is a comma
        bounds = f"[{_number(lo, lang)}{sep}{_number(hi, lang)}]"
        text = bounds if est is None else f"{_number(est, lang)} {bounds}"
        ax.text(1.03, yy, text, transform=where, ha="left", va="center", fontsize="small",
                family="monospace", gid="estimate_ci")
        if weights and weight is not None and np.isfinite(weight):
            ax.text(1.38, yy, f"{weight:.1f}%".replace(".", "," if lang == "nl" else "."), transform=where, ha="right", va="center",
                    fontsize="small", family="monospace", gid="weight")


def funnel_plot(result_or_frame: Source, *, ax: "Axes | None" = None) -> "Axes":
    """Funnel plot: study effect sizes against their standard errors.

    Parameters
    ----------
    result_or_frame : MetaResult or DataFrame
        A pooled result, or its summary frame (study rows need ``yi`` and
        ``se``; the pooled row, if any, gives the centre line).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    As metafor's ``funnel``: the analysis scale (log for ratios) on the x
    axis, the standard error on an inverted y axis (most precise studies on
    top), a vertical line at the pooled value and the pseudo 95% confidence
    region ``pooled +/- 1.96 se``.

    References
    ----------
    Sterne, J. A. C., & Egger, M. (2001). Funnel plots for detecting bias in
    meta-analysis: Guidelines on choice of axis. Journal of Clinical
    Epidemiology, 54(10), 1046-1055.
    """
    frame = _frame(result_or_frame)
    ax = _axes(ax)
    studies = frame[frame["kind"] == "study"]
    pooled = frame[frame["kind"] == "pooled"]
    yi = studies["yi"].to_numpy(dtype=float)
    se = studies["se"].to_numpy(dtype=float)
    if len(pooled):
        centre = float(pooled["yi"].iloc[0])
    else:  # a frame without its pooled row: the fixed-effect mean
        centre = float(np.average(yi, weights=1 / se**2))
    top = float(np.nanmax(se)) * 1.05 if len(se) else 1.0
    edge = np.array([0.0, top])
    ax.fill_betweenx(edge, centre - _Z * edge, centre + _Z * edge, color="0.93", gid="funnel")
    ax.plot(centre - _Z * edge, edge, color="0.5", linewidth=0.8, linestyle=":")
    ax.plot(centre + _Z * edge, edge, color="0.5", linewidth=0.8, linestyle=":")
    ax.axvline(centre, color="tab:blue", linewidth=1, gid="pooled")
    ax.scatter(yi, se, color="0.2", zorder=3, gid="studies")
    ax.set_ylim(top, 0.0)
    measure = frame.attrs.get("measure")
    log = frame.attrs.get("log_scale", False)
    name = f"log {measure}" if (log and measure and measure != "GENERIC") else (measure or "yi")
    ax.set_xlabel(name)
    ax.set_ylabel("standard error")
    return ax


# ----------------------------------------------------------------------------------------------
# evidence map: designs, conditions, comparators, years


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


# ----------------------------------------------------------------------------------------------
# PRISMA flow diagram


def _box_text(title: str, n: int, lines=()) -> str:
    text = f"{title}\n(n = {n})"
    if lines:
        text += "\n" + "\n".join(f"{label}: {k}" for label, k in lines)
    return text


def _renderer(fig):
    try:
        return fig.canvas.get_renderer()
    except AttributeError:  # pragma: no cover - a canvas without a renderer: draw once
        fig.canvas.draw()
        return fig.canvas.get_renderer()


def _extent(artist, renderer):
    """Pixel extent of a text's box (its bbox patch, padding included)."""
    artist.update_bbox_position_size(renderer)
    return artist.get_bbox_patch().get_window_extent(renderer)


_FLOW_LEFT = ("identified", "screened", "included")
_FLOW_RIGHT = ("duplicates", "excluded")
_FLOW_ROWS = (("identified", "duplicates"), ("screened", "excluded"), ("included",))
_FLOW_STAGES = ("identification", "screening", "included")


def _flow_layout(ax, artists, renderer, stages=("Identification", "Screening", "Included")):
    """Place the boxes (pixel arithmetic) so they never overlap; False if they do not fit.

    Two columns (the main flow, and the side boxes for removed records) and
    three rows; the column widths and row heights are those of the widest and
    tallest box, measured after rendering, with fixed gaps between them.
    """
    box = ax.bbox
    size = {name: _extent(a, renderer) for name, a in artists.items()}
    stage_w = 0.06 * box.width
    gap_x, gap_y, top = 0.06 * box.width, 0.07 * box.height, 0.09 * box.height
    left_w = max(size[n].width for n in _FLOW_LEFT)
    right_w = max(size[n].width for n in _FLOW_RIGHT)
    heights = [max(size[n].height for n in row) for row in _FLOW_ROWS]
    spare_x = box.width - (stage_w + left_w + gap_x + right_w)
    spare_y = box.height - (top + sum(heights) + 2 * gap_y)
    if spare_x < 0 or spare_y < 0:
        return False
    # spread the spare room: between the columns, and between the rows
    gap_x += spare_x * 0.6
    gap_y += spare_y / 2 * 0.8
    x_left = box.x0 + stage_w + spare_x * 0.2 + left_w / 2
    x_right = x_left + left_w / 2 + gap_x + right_w / 2
    y = box.y1 - top
    inverse = ax.transData.inverted()
    rows_y = []
    for row, height in zip(_FLOW_ROWS, heights):
        centre = y - height / 2
        rows_y.append(centre)
        for name in row:
            px = x_left if name in _FLOW_LEFT else x_right
            artists[name].set_position(tuple(inverse.transform((px, centre))))
        y -= height + gap_y
    for stage, words, centre in zip(_FLOW_STAGES, stages, rows_y):
        ax.text(*inverse.transform((box.x0 + stage_w / 2, centre)), words, rotation=90,
                ha="center", va="center", fontsize=9, fontweight="bold", color="0.3",
                gid=f"stage:{stage}")
    return True


def prisma_flow(counts, *, ax: "Axes | None" = None, lang: str = "en") -> "Axes":
    """PRISMA 2020 flow diagram of title/abstract screening: boxes, arrows, numbers.

    Parameters
    ----------
    counts : evidence.screening.PrismaCounts
        The numbers; its ``source_label`` is the first box's text (in replay:
        the assembled snapshot, not a search).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.
    lang : {"en", "nl"}
        Language of the boxes: designs and reasons in words, never codes.

    Returns
    -------
    matplotlib Axes
        Box texts carry gids ``box:identified``, ``box:duplicates``,
        ``box:screened``, ``box:excluded``, ``box:included``; arrows
        (annotations) ``arrow:<from>-><to>``; stage labels ``stage:<name>``.

    Notes
    -----
    The boxes are laid out from their rendered sizes, so they do not overlap
    whatever the Axes' size: the font shrinks (down to 4 points) until the
    diagram fits. Positions are fixed once drawn; resize the figure before
    calling, not after.

    References
    ----------
    Page, M. J., et al. (2021). The PRISMA 2020 statement: an updated guideline
    for reporting systematic reviews. BMJ, 372, n71.
    """
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at the top: pyplot picks a backend on import

        _, ax = plt.subplots(figsize=(10, 7.5))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_axis_off()
    main = dict(boxstyle="round,pad=0.6", facecolor="white", edgecolor="0.2", linewidth=1)
    side = dict(boxstyle="round,pad=0.6", facecolor="0.95", edgecolor="0.2", linewidth=1)
    from .plain import plain  # generated reasons in words

    sources = counts.identified_by_source if len(counts.identified_by_source) > 1 else ()
    sources = [(plain(s, lang), n) for s, n in sources]
    reasons = [(plain(r, lang), n) for r, n in counts.excluded_by_reason]
    by_design = [(ui_label("design", d, lang), n) for d, n in counts.included_by_design]
    source = plain(counts.source_label, lang) if lang == "en" else figure_text("identified", lang)
    texts = {
        "identified": (_box_text(source, counts.identified, sources), main),
        "duplicates": (_box_text(figure_text("duplicates", lang), counts.duplicates_removed), side),
        "screened": (_box_text(figure_text("screened", lang), counts.screened), main),
        "excluded": (_box_text(figure_text("excluded", lang), counts.excluded, reasons), side),
        "included": (_box_text(figure_text("included", lang), counts.included, by_design), main),
    }
    renderer = _renderer(ax.figure)
    for fontsize in (8, 7, 6, 5, 4):
        artists = {name: ax.text(5, 5, text, ha="center", va="center", fontsize=fontsize,
                                 bbox=style, gid=f"box:{name}")
                   for name, (text, style) in texts.items()}
        if _flow_layout(ax, artists, renderer, figure_text("stages", lang)) or fontsize == 4:
            break
        for artist in artists.values():
            artist.remove()
    inverse = ax.transData.inverted()
    edges = {}
    for name, artist in artists.items():
        ext = _extent(artist, renderer)
        (x0, y0), (x1, y1) = inverse.transform([(ext.x0, ext.y0), (ext.x1, ext.y1)])
        edges[name] = (x0, y0, x1, y1)

    def centre(name):
        return artists[name].get_position()

    arrow = dict(arrowstyle="-|>", color="0.2", linewidth=1.2, shrinkA=2, shrinkB=2)
    links = {
        ("identified", "screened"): ((centre("identified")[0], edges["identified"][1]),
                                     (centre("identified")[0], edges["screened"][3])),
        ("identified", "duplicates"): ((edges["identified"][2], centre("identified")[1]),
                                       (edges["duplicates"][0], centre("identified")[1])),
        ("screened", "excluded"): ((edges["screened"][2], centre("screened")[1]),
                                   (edges["excluded"][0], centre("screened")[1])),
        ("screened", "included"): ((centre("screened")[0], edges["screened"][1]),
                                   (centre("screened")[0], edges["included"][3])),
    }
    for (a, b), (start, end) in links.items():
        ax.annotate("", xy=end, xytext=start, arrowprops=arrow, gid=f"arrow:{a}->{b}")
    ax.set_title(figure_text("prisma_title", lang), fontsize=10)
    return ax


# ----------------------------------------------------------------------------------------------
# saving


def save_figure(ax_or_fig, path, *, dpi: int = 150):
    """Write a figure to ``path`` atomically (a temporary file in the same folder, then rename).

    Parameters
    ----------
    ax_or_fig : matplotlib Axes or Figure
    path : str or Path
        The file; its suffix (``.png``, ``.svg``, ``.pdf``) chooses the format.
        Missing parent folders are created.
    dpi : int
        Resolution for raster formats.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    A reader never sees a half-written file, and a failed save leaves an
    existing file untouched: the figure is written to a temporary file next
    to ``path`` and moved into place with :func:`os.replace`.
    """
    fig = getattr(ax_or_fig, "figure", None) if not hasattr(ax_or_fig, "savefig") else ax_or_fig
    if fig is None or not hasattr(fig, "savefig"):
        raise TypeError(f"expected a matplotlib Axes or Figure; got {type(ax_or_fig).__name__}")
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if not fmt:
        raise ValueError(f"path must end in a format suffix such as .png; got {str(path)!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight")
        # mkstemp makes the file private (0600); give it the mode a normal write would
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path

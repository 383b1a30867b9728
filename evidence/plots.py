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
way figures are written (atomically). The evidence map lives in
:mod:`evidence.plots_map` and the PRISMA flow in :mod:`evidence.plots_prisma`;
this module is their door and re-exports every name they define.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

from .texts import figure_text, ui_label
# the evidence map and the PRISMA flow live in their own modules; re-exported here unchanged
# (evidence.plots is the door to every name they define)
from .plots_map import (_checked, _palette, _vocab, comparator_counts,  # noqa: F401
                        comparator_design_counts, design_condition_counts,
                        design_condition_heatmap, publication_year_counts,
                        publications_per_year)
from .plots_prisma import (_FLOW_LEFT, _FLOW_RIGHT, _FLOW_ROWS, _FLOW_STAGES,  # noqa: F401
                           _box_text, _extent, _flow_layout, _renderer, prisma_flow)

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

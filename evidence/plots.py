"""Figures of a meta-analysis: forest plot and funnel plot.

Both functions take ``ax=None`` (a new figure is made when it is None), draw
onto the Axes, and return it; they never call ``show()`` or save. matplotlib is
imported inside the functions, so importing this module has no side effects
and does not choose a backend.

What is drawn is kept findable by data, for tests and for notebooks: the study
rows are the y tick labels, the pooled diamond is the patch with gid
``"pooled"``, the prediction interval the line with gid
``"prediction_interval"``, study markers the collection with gid ``"studies"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from evidence.meta import MetaResult

__all__ = ["forest_plot", "funnel_plot"]

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
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def forest_plot(result_or_frame: Source, *, ax: "Axes | None" = None) -> "Axes":
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

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Values are on the natural scale; ratio measures (``frame.attrs
    ["log_scale"]``) get a logarithmic x axis with the line of no effect at 1,
    others at 0. Marker area is proportional to the study's weight (at least 4
    points squared, so that every study stays visible). The
    prediction interval, when the result has one (random effects), is a line
    through the diamond.
    """
    frame = _frame(result_or_frame)
    ax = _axes(ax)
    log_scale = bool(frame.attrs.get("log_scale", False))
    studies = frame[frame["kind"] == "study"]
    pooled = frame[frame["kind"] == "pooled"]
    k = len(studies)
    y = np.arange(k, 0, -1, dtype=float)  # first study on top, pooled row at 0

    est = studies["estimate"].to_numpy(dtype=float)
    lo = studies["ci_low"].to_numpy(dtype=float)
    hi = studies["ci_high"].to_numpy(dtype=float)
    ax.hlines(y, lo, hi, color="0.25", linewidth=1, gid="study_intervals")
    if "weight" in studies:
        w = studies["weight"].to_numpy(dtype=float)
        sizes = np.maximum(300 * w / np.nanmax(w), 4.0) if np.nanmax(w) > 0 else np.full(k, 60.0)
    else:
        sizes = np.full(k, 60.0)
    ax.scatter(est, y, s=sizes, marker="s", color="0.25", zorder=3, gid="studies")

    labels = list(studies.index.astype(str))
    ticks = list(y)
    if len(pooled):
        from matplotlib.patches import Polygon

        row = pooled.iloc[0]
        diamond = Polygon(
            [(row["ci_low"], 0.0), (row["estimate"], 0.3), (row["ci_high"], 0.0),
             (row["estimate"], -0.3)],
            closed=True, facecolor="tab:blue", edgecolor="tab:blue", zorder=4, gid="pooled",
        )
        ax.add_patch(diamond)
        if {"pi_low", "pi_high"} <= set(pooled.columns) and np.isfinite(row["pi_low"]):
            ax.plot([row["pi_low"], row["pi_high"]], [0.0, 0.0], color="tab:blue", linewidth=1.5,
                    zorder=3, gid="prediction_interval", label="prediction interval")
        labels.append(str(pooled.index[0]))
        ticks.append(0.0)

    null = 1.0 if log_scale else 0.0
    ax.axvline(null, color="0.5", linestyle="--", linewidth=0.8, gid="no_effect")
    if log_scale:
        ax.set_xscale("log")
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(-1.0, k + 1.0)
    measure = frame.attrs.get("measure")
    ax.set_xlabel(f"{measure} (95% CI)" if measure else "estimate (95% CI)")
    return ax


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

"""The PRISMA 2020 flow diagram of :mod:`evidence.screening`'s counts.

One concept of :mod:`evidence.plots` (its door, which re-exports every name
defined here): :func:`prisma_flow` draws the boxes from their rendered sizes
so they never overlap (``ax=None`` makes a new figure; the Axes is
returned). Reference: Page et al. (2021), the PRISMA 2020 statement (in
:func:`prisma_flow`'s docstring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .texts import figure_text, ui_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


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

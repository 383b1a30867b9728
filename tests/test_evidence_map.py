"""Evidence-map figures, asserted through the data drawn (counts, labels, ticks), and save_figure.

Expected counts are worked out by hand from the small frames written here; the
snapshot test checks the figures against the labels in data/labels.csv (a
reviewer's, see data/labels_README.md).
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evidence import designs, plots  # noqa: E402
from evidence.errors import DataError  # noqa: E402
from evidence.texts import ui_label  # noqa: E402

from conftest import DATA  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def classified():
    # 6 records: 2 rct/neck (sham, usual care), 1 rct/TTH (sham), 1 protocol/TTH (mixed),
    # 1 systematic review/both, 1 mechanistic/other; years 2001, 2001, 2004, 2004, 2005, None
    return pd.DataFrame({
        "pmid": list("123456"),
        "design": ["rct", "rct", "rct", "protocol", "systematic_review", "mechanistic"],
        "condition": ["neck_pain", "neck_pain", "tension_type_headache", "tension_type_headache",
                      "both", "other"],
        "comparator": ["sham", "usual_care", "sham", "mixed", "", ""],
        "rule": ["r"] * 6,
        "year": [2001, 2001, 2004, 2004, 2005, None],
    })


def test_design_condition_counts(classified):
    counts = plots.design_condition_counts(classified)
    assert list(counts.index) == list(designs.DESIGNS)
    assert list(counts.columns) == list(designs.CONDITIONS)
    assert counts.loc["rct", "neck_pain"] == 2
    assert counts.loc["rct", "tension_type_headache"] == 1
    assert counts.loc["protocol", "tension_type_headache"] == 1
    assert counts.loc["systematic_review", "both"] == 1
    assert counts.loc["mechanistic", "other"] == 1
    assert counts.to_numpy().sum() == 6
    assert counts.loc["guideline"].sum() == 0


def test_design_condition_heatmap_draws_the_counts(classified):
    fig, given = plt.subplots()
    ax = plots.design_condition_heatmap(classified, ax=given)
    assert ax is given
    counts = plots.design_condition_counts(classified)
    # words, not codes (issue 11, item 6)
    assert [t.get_text() for t in ax.get_yticklabels()] == [ui_label("design", d) for d in designs.DESIGNS]
    assert [t.get_text() for t in ax.get_xticklabels()] == [ui_label("condition", c) for c in designs.CONDITIONS]
    assert ax.get_yticklabels()[1].get_text() == "randomised controlled trial"
    assert ax.get_xticklabels()[0].get_text() == "tension-type headache"
    annotations = [int(t.get_text()) for t in ax.texts]
    assert annotations == counts.to_numpy().ravel().tolist()  # row by row
    assert "n = 6" in ax.get_title()


def test_publication_year_counts(classified):
    counts = plots.publication_year_counts(classified)
    assert list(counts.index) == [2001, 2002, 2003, 2004, 2005]  # gaps filled with zeros
    assert list(counts.columns) == ["systematic_review", "rct", "protocol"]  # vocabulary order
    assert counts.loc[2001, "rct"] == 2 and counts.loc[2004, "rct"] == 1
    assert counts.loc[2004, "protocol"] == 1 and counts.loc[2005, "systematic_review"] == 1
    assert counts.loc[2002].sum() == 0
    assert counts.attrs["no_year"] == 1  # the mechanistic study has no year


def test_publications_per_year_bars(classified):
    ax = plots.publications_per_year(classified)
    counts = plots.publication_year_counts(classified)
    labels = [c.get_label() for c in ax.containers]
    assert labels == ["systematic review", "randomised controlled trial", "protocol"]
    for container, design in zip(ax.containers, counts.columns, strict=True):
        heights = [p.get_height() for p in container]
        xs = [p.get_x() + p.get_width() / 2 for p in container]
        assert heights == counts[design].tolist()
        assert np.allclose(xs, counts.index.to_numpy())
        assert {p.get_gid() for p in container} == {f"design:{design}"}
    # stacked: the top of each year's stack is that year's total
    tops = {}
    for container in ax.containers:
        for p in container:
            x = round(p.get_x() + p.get_width() / 2)
            tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert tops == counts.sum(axis=1).to_dict()


def test_comparator_counts(classified):
    counts = plots.comparator_design_counts(classified)
    assert list(counts.index) == list(designs.COMPARATORS)
    assert list(counts.columns) == ["rct", "protocol"]
    assert counts.loc["sham", "rct"] == 2 and counts.loc["usual_care", "rct"] == 1
    assert counts.loc["mixed", "protocol"] == 1 and counts.to_numpy().sum() == 4
    ax = plots.comparator_counts(classified)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "sham", "usual care", "active treatment", "mixed", "no control group"]
    widths = {c.get_label(): [p.get_width() for p in c] for c in ax.containers}
    assert widths == {ui_label("design", d): counts[d].tolist() for d in counts.columns}


def test_map_functions_check_their_input(classified):
    with pytest.raises(DataError, match="design 'cohort' is not one of"):
        plots.design_condition_counts(classified.assign(design="cohort"))
    with pytest.raises(DataError, match="'condition'"):
        plots.design_condition_counts(classified.drop(columns="condition"))
    with pytest.raises(DataError, match="'year'"):
        plots.publication_year_counts(classified.drop(columns="year"))


def test_snapshot_map_matches_the_labels():
    # the map of the reviewer's labels: every record counted once, in its labelled cell
    labels = designs.load_labels(DATA / "labels.csv")
    counts = plots.design_condition_counts(labels)
    assert counts.to_numpy().sum() == len(labels) == 45
    for (design, condition), n in labels.groupby(["design", "condition"]).size().items():
        assert counts.loc[design, condition] == n
    comp = plots.comparator_design_counts(labels)
    assert comp.to_numpy().sum() == int((labels["comparator"] != "").sum())


# ---------------------------------------------------------------------------------- save_figure


def test_save_figure_writes_atomically(tmp_path, classified):
    ax = plots.design_condition_heatmap(classified)
    path = plots.save_figure(ax, tmp_path / "figures" / "map.png")
    assert path == tmp_path / "figures" / "map.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.listdir(path.parent) == ["map.png"]  # no temporary file left behind
    assert (path.stat().st_mode & 0o777) == 0o644
    # a Figure works too, and overwrites
    before = path.stat().st_size
    fig, other = plt.subplots(figsize=(2, 2))
    other.plot([0, 1], [0, 1])
    plots.save_figure(fig, path)
    assert path.stat().st_size != before


def test_save_figure_failure_keeps_the_old_file(tmp_path, classified):
    path = tmp_path / "map.xyz"
    path.write_bytes(b"old")
    ax = plots.comparator_counts(classified)
    with pytest.raises(ValueError):
        plots.save_figure(ax, path)  # matplotlib knows no ".xyz" format
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["map.xyz"]
    with pytest.raises(ValueError, match="format suffix"):
        plots.save_figure(ax, tmp_path / "map")
    with pytest.raises(TypeError, match="Axes or Figure"):
        plots.save_figure("not a figure", tmp_path / "x.png")

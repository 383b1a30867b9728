"""Forest plots from the analysis plan's pooled summary-of-findings rows (issue 14, Build 2;
issue 17, item 3): the data behind each figure is the pool's own selection, in words."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from evidence import forests  # noqa: E402

from report_pages import codes_in  # noqa: E402

LANGS = ("en", "nl")
NECK = "forest_acupuncture_vs_sham__neck_pain__pain_intensity__short_term"
TTH = "forest_acupuncture_vs_sham__tension_type_headache__headache_frequency__months_3_to_4"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def sof():
    from evidence.review import load_sof
    from evidence.settings import load_settings

    return load_sof(load_settings(environ={}))


def _pooling_rows(sof):
    """SoF rows that combine two or more trials with numbers, read from the SoF's own fields."""
    return [r for r in sof.rows if not r.is_review and (r.k_studies or 0) >= 2
            and r.source in ("pooled from trials", "trials, not pooled")]


def test_one_forest_per_sof_row_that_pools(sof):
    rows = _pooling_rows(sof)
    drawn = forests.plan_forests(sof)
    assert [f.name for f in drawn] == [forests.forest_name(r) for r in rows]
    # the shipped plan pools neck pain vs sham at short term (White 2004, Vas 2006, Cameron 2011)
    # and tension-type headache vs sham, headache days after treatment (Melchart 2005, Endres 2007)
    assert {f.name: f.k for f in drawn} == {NECK: 3, TTH: 2}


@pytest.mark.parametrize("lang", LANGS)
def test_each_forest_shows_the_rows_studies_weights_and_diamond(sof, lang):
    by_name = {forests.forest_name(r): r for r in _pooling_rows(sof)}
    for f in forests.plan_forests(sof, lang=lang):
        row = by_name[f.name]
        # the studies the pool used, one per study, in the pool's order
        assert [s["label"] for s in f.studies] == [s["study"] for s in row.studies]
        assert sorted(s["study_id"] for s in row.studies) == sorted(row.study_ids)
        assert len({s["study_id"] for s in row.studies}) == row.k_studies == f.k
        assert math.isclose(sum(s["weight"] for s in f.studies), 100.0, abs_tol=1e-6)
        # diamond iff the row has a pooled estimate, and then it is the row's estimate
        assert (f.pooled is not None) == (row.estimate is not None)
        if f.pooled is not None:
            assert (f.pooled["estimate"], f.pooled["ci_low"], f.pooled["ci_high"]) == (
                row.estimate, row.ci_low, row.ci_high)
            assert (f.pooled["pi_low"], f.pooled["pi_high"]) == (row.pi_low, row.pi_high)
        frame = f.summary_frame()
        assert list(frame["kind"]) == ["study"] * f.k + (["pooled"] if f.pooled else [])


def test_study_numbers_are_the_pools_on_the_common_scale(sof):
    by_name = {f.name: f for f in forests.plan_forests(sof)}
    neck = {s["label"]: s for s in by_name[NECK].studies}
    # the abstracts' own numbers as issue 14 quotes them: Vas 2006 -28.1 mm, White 2004 -6.3 mm on a
    # 0-100 VAS vs sham
    assert neck["Vas 2006"]["estimate"] == pytest.approx(-28.1)
    assert neck["White 2004"]["estimate"] == pytest.approx(-6.3)
    assert by_name[NECK].x_label == "mean difference, 0-100 scale (95% CI)"
    # a row without a diamond lists each study's estimate in its footnote: the figure agrees
    row = next(r for r in sof.rows if forests.forest_name(r) == NECK)
    note = next(n for n in row.footnotes if n.startswith("Studies: "))
    listed = {sid: (float(e), float(lo), float(hi)) for sid, e, lo, hi in
              re.findall(r"(\w+): (-?[\d.]+) \((-?[\d.]+) to (-?[\d.]+)\)", note)}
    for s in row.studies:
        assert listed[s["study_id"]] == pytest.approx(
            (s["estimate"], s["ci_low"], s["ci_high"]), abs=0.006)


def test_weights_are_inverse_variance_with_the_rows_tau2(sof):
    # random-effects weights w_i = 1 / (v_i + tau2) (Cochrane Handbook 10.10.4.1), each v_i read
    # back from the study's 95% CI, and the pooled mean is their weighted average
    for f in forests.plan_forests(sof):
        v = [((s["ci_high"] - s["ci_low"]) / (2 * 1.959963984540054)) ** 2 for s in f.studies]
        w = [1.0 / (vi + f.tau2) for vi in v]
        expected = [100 * wi / sum(w) for wi in w]
        assert [s["weight"] for s in f.studies] == pytest.approx(expected, rel=1e-6)
        if f.pooled is not None:
            mean = sum(wi * s["estimate"] for wi, s in zip(w, f.studies)) / sum(w)
            assert f.pooled["estimate"] == pytest.approx(mean, rel=1e-6)


def test_neck_pain_row_has_no_diamond_and_says_why_in_both_languages(sof):
    en = {f.name: f for f in forests.plan_forests(sof)}[NECK]
    nl = {f.name: f for f in forests.plan_forests(sof, lang="nl")}[NECK]
    assert en.pooled is None and en.i2 > 75 and en.k < 5
    assert en.note.startswith(f"I\u00b2 = {en.i2:.0f}% with 3 studies: no pooled estimate")
    assert nl.note.startswith(f"I\u00b2 = {nl.i2:.0f}% bij 3 studies: geen gepoolde schatting")
    ax = forests.draw_forest(en)
    assert not [p for p in ax.patches if p.get_gid() == "pooled"]
    assert not [line for line in ax.lines if line.get_gid() == "prediction_interval"]


@pytest.mark.parametrize("lang,title,left,right", [
    ("en", "Tension-type headache, acupuncture vs sham: headache frequency, after treatment (3 to 4 months)",
     "favours acupuncture", "favours sham"),
    ("nl", "Spanningshoofdpijn, acupunctuur vs schijnbehandeling: hoofdpijnfrequentie, na de behandeling "
           "(3 tot 4 maanden)", "in het voordeel van acupunctuur", "in het voordeel van schijnbehandeling"),
])
def test_titles_and_sides_in_words(sof, lang, title, left, right):
    f = {f.name: f for f in forests.plan_forests(sof, lang=lang)}[TTH]
    assert f.title == title and f.favours == (left, right)
    assert forests.forest_caption(TTH, lang) == title
    ax = forests.draw_forest(f)
    assert [p for p in ax.patches if p.get_gid() == "pooled"]
    assert [line for line in ax.lines if line.get_gid() == "prediction_interval"]
    texts = [t.get_text() for t in ax.texts] + [ax.get_title(), ax.get_xlabel()]
    texts += [t.get_text() for t in ax.get_yticklabels()]
    shown = "\n".join(texts)
    assert codes_in(shown) == [] and "_" not in shown
    assert left in shown and right in shown


def test_higher_is_better_rows_put_acupuncture_on_the_right(sof):
    row = next(r for r in sof.rows if forests.forest_name(r) == TTH)
    studies = tuple(dict(s, outcome="responder_50pct") for s in row.studies)
    responders = replace(row, outcome="responders", measure="RR", studies=studies)
    f = forests.forest_of(responders)
    assert f.favours == ("favours sham", "favours acupuncture")
    assert f.summary_frame().attrs["log_scale"] is True
    assert "headache days" not in f.x_label  # a ratio has no scale


def test_a_row_that_does_not_pool_is_refused(sof):
    single = next(r for r in sof.rows if r.k_studies == 1 and r.studies)
    assert single.studies[0]["weight"] is None
    with pytest.raises(ValueError, match="does not pool"):
        forests.forest_of(single)
    assert forests.forest_caption("prisma_flow") is None

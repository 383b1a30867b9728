"""Words, never codes, on the figures and in generated text (issue 17, item 3), in both languages."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from evidence import forests, plots  # noqa: E402
from evidence.plain import plain  # noqa: E402

from report_pages import codes_in  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def review():
    from evidence.review import build_review
    from evidence.settings import load_settings

    return build_review(load_settings(environ={}))


def _texts(ax):
    found = [t.get_text() for t in ax.texts] + [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    legend = ax.get_legend()
    if legend is not None:
        found += [t.get_text() for t in legend.get_texts()]
    return "\n".join(found)


def _gid(ax, gid):
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


@pytest.mark.parametrize("comparison,outcome,left,right", [
    # lower is better (headache days): a difference below 0 favours acupuncture, on the left
    ("acupuncture_vs_sham", "headache_days", "favours acupuncture", "favours sham"),
    # higher is better (responders, evidence.vocab.HIGHER_IS_BETTER): acupuncture on the right
    ("acupuncture_vs_usual_care", "responder_50pct", "favours usual care", "favours acupuncture"),
])
def test_favours_labels_follow_the_outcomes_direction(comparison, outcome, left, right):
    assert forests.favours_labels(comparison, outcome) == (left, right)


def test_favours_labels_in_dutch():
    assert forests.favours_labels("acupuncture_vs_sham", "pain_intensity", lang="nl") == (
        "in het voordeel van acupunctuur", "in het voordeel van schijnbehandeling")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_forest_plots_of_the_review_are_in_words_with_both_sides_labelled(review, lang):
    drawn = forests.plan_forests(review.sof, lang=lang)
    assert drawn
    for forest in drawn:
        ax = forests.draw_forest(forest)
        text = _texts(ax)
        assert codes_in(text) == [] and "_" not in text, forest.name
        assert _gid(ax, "favours_left") and _gid(ax, "favours_right")
        pooled = [p for p in ax.patches if p.get_gid() == "pooled"]
        assert bool(pooled) == (forest.pooled is not None)
        diamond = "ruit" if lang == "nl" else "diamond"
        assert diamond not in text.lower()  # no caption speaks of a diamond
        assert bool(_gid(ax, "no_pool_reason")) == (forest.pooled is None)
        plt.close("all")


def test_forest_numbers_have_decimal_commas_in_dutch(review):
    forest = next(f for f in forests.plan_forests(review.sof, lang="nl") if f.pooled is not None)
    ax = forests.draw_forest(forest)
    numbers = _gid(ax, "estimate_ci") + _gid(ax, "weight")
    assert numbers and all("." not in n and "," in n for n in numbers)
    assert "Heterogeniteit: I\u00b2 = 0%, \u03c4\u00b2 = 0,00" in _gid(ax, "heterogeneity")[0]


@pytest.mark.parametrize("lang,rct", [("en", "randomised controlled trial: 19"),
                                      ("nl", "gerandomiseerde gecontroleerde studie: 19")])
def test_prisma_boxes_name_designs_and_reasons_in_words(review, lang, rct):
    ax = plots.prisma_flow(review.prisma, lang=lang)
    boxes = "\n".join(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("box:"))
    assert rct in boxes
    assert codes_in(boxes) == [] and "_" not in boxes
    if lang == "nl":
        assert "not a trial" not in boxes and "Uitgesloten publicaties" in boxes


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_evidence_map_figures_in_the_pages_language(review, lang):
    ax = plots.design_condition_heatmap(review.classified, lang=lang)
    assert ("aandoening" in ax.get_xlabel()) == (lang == "nl")
    assert codes_in(_texts(ax)) == []


@pytest.mark.parametrize("text,en,nl", [
    ("one study with numbers; 1 result reported without usable numbers shows no difference or the other "
     "direction (white2000 at up_to_3_months; null_results.csv).",
     "(White 2000 at up to 3 months).", "(White 2000 op tot 3 maanden)."),
    ("Results reported without numbers usable for pooling (null_results.csv): endres2007 (PMID 17955168): "
     "no difference, p = 0.18.", "Endres 2007 (PMID 17955168): no difference, p = 0.18.",
     "Endres 2007 (PMID 17955168): geen verschil, p = 0,18."),
    ("birch1998 (PMID 9758075) reported favours acupuncture (p = <.05) at end_of_treatment without numbers "
     "usable for pooling.", "(p < 0.05) at end of treatment", "(p < 0,05)"),
    ("The trials' courses (data/sessions.csv, read from 7 of 12 trial abstracts) range from 6 to 12 sessions.",
     "courses (read from 7 of 12", "courses (read from 7 of 12"),
])
def test_plain_turns_codes_files_and_p_values_into_words(text, en, nl):
    english = plain(text, "en")
    assert en in english and ".csv" not in english and "_" not in english
    dutch = plain(text, "nl")
    assert nl in dutch and ".csv" not in dutch and "_" not in dutch


def test_plain_leaves_no_english_in_the_dutch_downgrade_reasons(review):
    seen = 0
    for row in review.sof.rows if hasattr(review.sof, "rows") else review.sof:
        for d in row.downgrades:
            dutch = plain(d.reason, "nl")
            for english in (" the ", " participants", " not ", "Judged", " trial", " with ", "outcome", "population"):
                assert english not in f" {dutch}", (d.reason, dutch)
            seen += 1
        for note in row.footnotes:
            dutch = plain(note, "nl")
            for english in (" the ", "participants", "not reported", "same study", "reported", "favours"):
                assert english not in f" {dutch}", (note, dutch)
    assert seen > 20


def test_plain_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        plain("x", "de")

"""Tests of evidence.analyses: the review's pooled analyses and the comparison with reviews.

Pooled numbers are recomputed here by hand from the numbers of ``data/effects.csv``
(rows quoted in the comments), with the textbook formulas, not taken from the
function under test:

- standard error from a 95% CI: se = (high - low) / (2 * 1.959964)
  (Cochrane Handbook 6.3.1);
- inverse-variance weights w = 1 / (se^2 + tau2), pooled = sum(w y) / sum(w),
  se(pooled) = 1 / sqrt(sum(w)), CI = pooled -/+ 1.959964 se (Handbook 10.3);
- DerSimonian-Laird: Q = sum(w0 (y - pooled_FE)^2),
  tau2 = max(0, (Q - (k - 1)) / (sum(w0) - sum(w0^2) / sum(w0)));
- REML with two studies: the restricted likelihood is that of the single contrast
  d = y1 - y2 ~ N(0, v1 + v2 + 2 tau2), maximised at tau2 = max(0, (d^2 - v1 - v2) / 2).
"""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest
from conftest import DATA, SNAPSHOT

from evidence.analyses import (
    QUESTIONS,
    Analysis,
    Question,
    analyses_frame,
    compare_with_reviews,
    review_analyses,
    row_scale,
    timepoint_weeks,
)
from evidence.extraction import COLUMNS, read_effects_table, snapshot_pmids
from evidence.records import read_records

matplotlib.use("Agg")

Z = 1.959963984540054


@pytest.fixture(scope="module")
def table():
    return read_effects_table(DATA / "effects.csv", pmids=snapshot_pmids(SNAPSHOT))


@pytest.fixture(scope="module")
def analyses(table):
    return {a.key: a for a in review_analyses(table)}


@pytest.fixture(scope="module")
def same_definition(table):
    """The shipped rows with one outcome code and timepoint per question.

    Issue 9: the shipped trials of each question differ in outcome code or timepoint, so they
    are no longer pooled (see test_shipped_questions_are_not_pooled_across_definitions). To keep
    checking the pooling arithmetic by hand on the same numbers, the rows get one definition.
    """
    frame = table.copy()
    rows = frame["study"].isin(["Melchart 2005", "Endres 2007"]) & (
        frame["outcome"] == "headache_days")
    frame.loc[rows, "timepoint"] = "weeks_9_to_12"
    rows = frame["study"].isin(["White 2004", "Vas 2006"]) & (
        frame["outcome"].isin(["pain_intensity", "motion_related_pain"]))
    frame.loc[rows, ["outcome", "timepoint"]] = ["pain_intensity", "weeks_1_to_5"]
    return frame


@pytest.fixture(scope="module")
def pooled(same_definition):
    return {a.key: a for a in review_analyses(same_definition)}


@pytest.fixture(scope="module")
def records():
    return read_records(SNAPSHOT / "records.xml")


@pytest.fixture(scope="module")
def comparison(analyses, table, records):
    labels = pd.read_csv(DATA / "labels.csv", dtype=str)
    return compare_with_reviews(list(analyses.values()), table, records, labels)


def _se(low, high):
    return (high - low) / (2 * Z)


def _pool(y, v, tau2=0.0):
    w = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    return mu, mu - Z * se, mu + Z * se


def _dl(y, v):
    w = [1 / vi for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y))
    return max(0.0, (q - (len(y) - 1)) / (sum(w) - sum(wi**2 for wi in w) / sum(w))), q


# ----------------------------------------------------------------------------------------------
# the pooled analyses, recomputed by hand


def test_tth_sham_headache_days(pooled):
    # effects.csv: Melchart 2005 vs sham, headache_days, GENERIC_MD -0.6 (-2.6, 1.5);
    #              Endres 2007 vs sham, headache_days, GENERIC_MD -1.8 (-3.0, -0.6)
    y = [-0.6, -1.8]
    v = [_se(-2.6, 1.5) ** 2, _se(-3.0, -0.6) ** 2]
    tau2, q = _dl(y, v)
    assert q < 1 and tau2 == 0  # Q = 0.98 < k - 1: no excess heterogeneity
    # REML for two studies: (d^2 - v1 - v2) / 2 = (1.44 - 1.094 - 0.375) / 2 < 0 -> 0
    assert (y[0] - y[1]) ** 2 - v[0] - v[1] < 0
    mu, low, high = _pool(y, v)  # tau2 = 0: the fixed-effect mean, -1.494 (-2.529, -0.458)
    a = pooled["tth_sham_frequency"]
    assert a.pooled and a.result.k == 2 and a.result.measure == "MD"
    assert a.result.tau2 == 0.0 and a.result.i2 == 0.0
    assert a.result.estimate == pytest.approx(mu, abs=1e-9)
    assert (a.result.ci_low, a.result.ci_high) == (pytest.approx(low, abs=1e-9),
                                                   pytest.approx(high, abs=1e-9))
    assert a.result.q == pytest.approx(q, rel=1e-9)
    assert list(a.studies.loc[a.studies["included"], "study"]) == ["Melchart 2005", "Endres 2007"]
    # k = 2: the fixed effect is reported beside the random effects (issue 9)
    assert any(n.startswith("Rests on two trials") and "Fixed effect -1.49" in n for n in a.notes)
    assert any(n.startswith("HKSJ interval") for n in a.notes)


def test_neck_sham_pain_reml_two_studies(pooled):
    # effects.csv: White 2004 vs sham, pain_intensity (VAS mm), -6.3 (-11.3, -1.4);
    #              Vas 2006 vs sham, motion_related_pain (VAS 0-100 mm), -28.1 (-34.7, -21.4)
    y = [-6.3, -28.1]
    v = [_se(-11.3, -1.4) ** 2, _se(-34.7, -21.4) ** 2]
    tau2 = max(0.0, ((y[0] - y[1]) ** 2 - v[0] - v[1]) / 2)  # = 228.67
    mu, low, high = _pool(y, v, tau2)
    a = pooled["neck_sham_pain"]
    # Issue 9: I2 > 75% with k < 5: the two studies are shown without a pooled estimate; the
    # random-effects fit is still computed (a.pool) and equals the hand computation.
    assert not a.pooled and a.reason.startswith("not pooled: I2 = 96% with 2 studies")
    r = a.pool.random
    assert r.method == "REML" and r.k == 2
    assert r.tau2 == pytest.approx(tau2, rel=1e-8)
    assert r.estimate == pytest.approx(mu, rel=1e-8)
    assert r.ci_low == pytest.approx(low, rel=1e-8)
    assert r.ci_high == pytest.approx(high, rel=1e-8)
    assert r.i2 > 90
    # Irnich 2002 has no acupuncture vs sham pain result: its -11.2 mm row is vs dry needling
    # and sham combined (acupuncture_vs_mixed, issue 9) and its -1.0 mm row is dry needling,
    # not acupuncture, vs sham (dry_needling_vs_sham since issue 14)
    irnich = a.studies[a.studies["study"].str.startswith("Irnich")]
    assert irnich.empty


def test_neck_sham_pain_with_crossover_dl_by_hand(same_definition):
    # The sensitivity analysis "with single-session crossover results" used to add Irnich
    # 2002's dry needling vs sham row -1.0 (-6.5, 4.5) as if it were acupuncture vs sham.
    # Issue 14: dry needling is not acupuncture (comparison dry_needling_vs_sham), so it never
    # enters an acupuncture question; the analysis holds White 2004 and Vas 2006 only.
    y = [-6.3, -28.1]
    v = [_se(-11.3, -1.4) ** 2, _se(-34.7, -21.4) ** 2]
    tau2, q = _dl(y, v)
    mu, low, high = _pool(y, v, tau2)
    frame = same_definition.copy()
    rows = frame["study"].isin(["White 2004", "Vas 2006", "Irnich 2002 (dry needling)"]) & (
        frame["outcome"].isin(["pain_intensity", "motion_related_pain"]))
    frame.loc[rows, ["outcome", "timepoint"]] = ["pain_intensity", "immediate_post_session"]
    (a,) = review_analyses(frame, method="DL",
                           questions=[q_ for q_ in QUESTIONS
                                      if q_.key == "neck_sham_pain_with_crossover"])
    assert list(a.studies.loc[a.studies["included"], "study"]) == ["White 2004", "Vas 2006"]
    assert not a.studies["study"].str.contains("dry needling").any()
    r = a.pool.random  # I2 > 75% with 2 studies: computed, not shown as an estimate
    assert a.result is None and r.i2 > 75
    assert r.tau2 == pytest.approx(tau2, rel=1e-9)
    assert r.q == pytest.approx(q, rel=1e-9)
    assert (r.estimate, r.ci_low, r.ci_high) == (
        pytest.approx(mu, rel=1e-9), pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))


def test_fixed_effect_option(same_definition):
    (a,) = review_analyses(same_definition, method="FE",
                           questions=[q for q in QUESTIONS if q.key == "neck_sham_pain"])
    y = [-6.3, -28.1]
    v = [_se(-11.3, -1.4) ** 2, _se(-34.7, -21.4) ** 2]
    assert a.result.estimate == pytest.approx(_pool(y, v)[0], rel=1e-9)
    assert a.result.tau2 == 0


# ----------------------------------------------------------------------------------------------
# what is not pooled, and why


def test_not_pooled_questions_say_why(analyses):
    assert analyses["tth_sham_responders"].result is None
    # issue 14: Melchart 2005's responders (RR from percentages) and Endres 2007's primary
    # responders (RR derived from p) are at different timepoints
    assert analyses["tth_sham_responders"].reason.startswith("different outcome definitions "
                                                             "(Melchart 2005")
    assert analyses["tth_usual_care_frequency"].reason.startswith("one study only (Melchart 2005")
    # issue 14: Melchart 2005's responders vs waiting list (RR from percentages x group sizes)
    assert analyses["tth_usual_care_responders"].reason.startswith(
        "one study only (Melchart 2005")
    for key in ("neck_usual_care_pain",):
        assert analyses[key].result is None
        assert analyses[key].reason.startswith("no primary study")
        assert analyses[key].studies.empty


def test_review_rows_are_never_pooled(analyses):
    for a in analyses.values():
        assert not a.studies["study"].str.contains(r"\(SR").any()


def test_shipped_questions_are_not_pooled_across_definitions(analyses):
    # Issue 9: neck pain vs sham pooled pain over weeks 1-5 (White 2004) with maximum
    # motion-related pain one week after treatment (Vas 2006) at I2 = 96%; headache days vs sham
    # pooled weeks 9-12 (Melchart 2005) with an unstated timepoint (Endres 2007). Neither is one
    # outcome definition, so neither has a pooled estimate now.
    for key in ("tth_sham_frequency", "neck_sham_pain", "neck_sham_pain_with_crossover"):
        a = analyses[key]
        assert a.result is None and a.reason.startswith("different outcome definitions")
    assert "White 2004: pain_intensity at weeks_1_to_5" in analyses["neck_sham_pain"].reason


def test_summary_frames(analyses):
    frame = analyses_frame(list(analyses.values()))
    assert list(frame.index) == [q.key for q in QUESTIONS]
    # issue 9: no shipped question pools (different outcome definitions; see above)
    assert frame["pooled"].tolist() == [False] * 7
    assert frame.loc["tth_sham_frequency", "k"] == 2
    assert math.isnan(frame.loc["tth_sham_responders", "estimate"])
    assert "Endres 2007: 1.22 (0.91 to 1.64)" in frame.loc["tth_sham_responders", "studies"]
    assert "Melchart 2005: 1.28 (0.90 to 1.83)" in frame.loc["tth_sham_responders", "studies"]


def _synthetic(rows):
    base = {c: "" for c in COLUMNS}
    frame = pd.DataFrame([{**base, **r} for r in rows], columns=list(COLUMNS))
    for c in ("estimate", "ci_low", "ci_high", "mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c",
              "events_t", "events_c"):
        frame[c] = pd.to_numeric(frame[c])
    return frame


PAIN = Question("pain", "acupuncture_vs_sham", "neck_pain", "pain",
                {"pain_intensity": ("pain", True)}, short_term=True)


def _pain_row(study, pmid, estimate, low, high, note, **extra):
    return {"pmid": pmid, "study": study, "comparison": "acupuncture_vs_sham",
            "condition": "neck_pain", "outcome": "pain_intensity", "timepoint": "4_weeks",
            "measure": "GENERIC_MD", "estimate": estimate, "ci_low": low, "ci_high": high,
            "source": f'RESULTS: "..." [{note}]', **extra}


def test_different_scales_are_not_pooled():
    frame = _synthetic([_pain_row("A 2001", "1", -6, -10, -2, "VAS 0-100 mm"),
                        _pain_row("B 2002", "2", -0.6, -1.0, -0.2, "VAS 10 cm")])
    (a,) = review_analyses(frame, questions=[PAIN])
    assert a.result is None and a.reason.startswith("outcomes on different scales")
    assert set(a.studies["scale"]) == {"pain (mm)", "pain (cm)"}


def test_different_measures_are_not_pooled():
    frame = _synthetic([_pain_row("A 2001", "1", -6, -10, -2, "VAS mm"),
                        _pain_row("B 2002", "2", -0.4, -0.7, -0.1, "", measure="SMD")])
    (a,) = review_analyses(frame, questions=[PAIN])
    assert a.result is None and a.reason.startswith("different effect measures")


def test_row_selection_rules():
    frame = _synthetic([
        _pain_row("A 2001", "1", -6, -10, -2, "VAS mm"),
        _pain_row("A 2001", "1", -4, -9, 1, "VAS mm", timepoint="12_weeks"),  # later: dropped
        _pain_row("B 2002", "2", -3, -7, 1, "VAS mm", timepoint="6_months"),  # not short term
        _pain_row("C 2003", "3", -3, -7, 1, "VAS mm", timepoint="not_stated"),
        _pain_row("D 2004", "4", -8, -12, -4, "VAS mm"),
        _pain_row("E 2005 (SR)", "5", -5, -6, -4, "VAS mm"),  # a review: never a study
        _pain_row("F 2006", "6", -5, -9, -1, "VAS mm", comparison="acupuncture_vs_usual_care"),
    ])
    (a,) = review_analyses(frame, questions=[PAIN])
    shown = a.studies.set_index(["study", "timepoint"])
    assert list(a.studies.loc[a.studies["included"], "study"]) == ["A 2001", "D 2004"]
    assert "one row per study" in shown.loc[("A 2001", "12_weeks"), "note"]
    assert "beyond 13 weeks" in shown.loc[("B 2002", "6_months"), "note"]
    assert "not stated" in shown.loc[("C 2003", "not_stated"), "note"]
    assert "E 2005 (SR)" not in set(a.studies["study"]) and "F 2006" not in set(a.studies["study"])
    # arm data give escalc's mean difference
    arms = _synthetic([
        _pain_row("G", "7", None, None, None, "VAS mm", measure="MD", mean_t=30, sd_t=10,
                  n_t=50, mean_c=40, sd_c=12, n_c=50),
        _pain_row("H", "8", -6, -10, -2, "VAS mm"),
    ])
    (b,) = review_analyses(arms, questions=[PAIN], method="FE")
    g = b.studies.set_index("study").loc["G"]
    assert g["yi"] == pytest.approx(-10) and g["vi"] == pytest.approx(100 / 50 + 144 / 50)
    assert g["source_of_yi"] == "arm data"


def test_timepoints_and_scales():
    assert timepoint_weeks("weeks_9_to_12") == (12.0, False)
    assert timepoint_weeks("3_months")[0] == pytest.approx(13.0)
    assert timepoint_weeks("1_week_post_treatment") == (1.0, True)
    assert timepoint_weeks("not_stated") == (None, False)
    row = {"measure": "GENERIC_MD", "outcome": "pain_intensity", "estimate": -6.3,
           "source": 'RESULTS: "in favor of acupuncture (6.3 mm [95% CI, 1.4 to 11.3 mm])" '
                     '[VAS, adjusted]'}
    assert row_scale(row, {"pain_intensity": ("pain", True)}) == "pain (mm)"
    assert row_scale({**row, "measure": "GENERIC_RR"}) == "log risk ratio"


def test_options_are_checked(table):
    with pytest.raises(ValueError, match="method"):
        review_analyses(table, method="ML")
    with pytest.raises(ValueError, match="hksj"):
        review_analyses(table, hksj="yes")


def test_forest_plot_of_a_pooled_analysis(analyses, pooled):
    import matplotlib.pyplot as plt

    a = pooled["tth_sham_frequency"]
    ax = a.plot_forest()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Melchart 2005", "Endres 2007", "pooled (REML)", "95% prediction interval"]
    assert any(p.get_gid() == "pooled" for p in ax.patches)
    plt.close(ax.figure)
    ax = analyses["tth_usual_care_frequency"].plot_forest()  # a single study, no diamond
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Melchart 2005"]
    assert not any(p.get_gid() == "pooled" for p in ax.patches)
    plt.close(ax.figure)
    # I2 > 75% with k < 5: the studies without a diamond (issue 9)
    ax = pooled["neck_sham_pain"].plot_forest()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["White 2004", "Vas 2006"]
    assert not any(p.get_gid() == "pooled" for p in ax.patches)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="no study to plot"):
        analyses["neck_usual_care_pain"].plot_forest()


def test_analysis_is_frozen(analyses):
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        analyses["neck_sham_pain"].reason = "x"  # type: ignore[misc]
    assert isinstance(analyses["neck_sham_pain"], Analysis)


# ----------------------------------------------------------------------------------------------
# comparison with the systematic reviews


def test_cochrane_reviews_are_said_to_be_cut_short(comparison, records):
    complete = dict(zip(records["pmid"], records["abstract_complete"]))
    for pmid in ("19160338", "27092807"):
        assert not complete[pmid]
        rows = comparison[comparison["pmid"] == pmid]
        # every tension-type headache question mentions both Cochrane reviews
        assert set(rows["analysis"]) == {q.key for q in QUESTIONS
                                         if q.condition == "tension_type_headache"}
        assert rows["their_estimate"].isna().all() and (rows["quote"] == "").all()
        assert rows["why_they_differ"].str.contains("cut short").all()


def test_review_numbers_are_quoted_from_their_abstracts(comparison, records):
    abstracts = dict(zip(records["pmid"], records["abstract"]))
    quoted = comparison[comparison["quote"] != ""]
    assert set(quoted["review"]) == {"Kang 2023 (SR)", "Davis 2008 (SR)", "Yuan 2015 (SR)",
                                     "Fang 2024 (SR)"}
    for row in quoted.itertuples():
        for part in row.quote.split('"')[1::2]:  # the quoted passages of `source`
            for piece in part.split("..."):
                assert piece in abstracts[row.pmid]
        # the estimate is written in the quoted sentence (sign and unit aside)
        assert f"{abs(row.their_estimate):g}" in row.quote


def test_why_they_differ(comparison):
    davis = comparison[(comparison["analysis"] == "tth_sham_frequency")
                       & (comparison["their_timepoint"] == "20_to_25_weeks")].iloc[0]
    # Davis 2008: WMD -1.83 (-3.01 to -0.64) from 4 trials; ours is no longer pooled (issue 9:
    # Melchart 2005 and Endres 2007 report headache days at different timepoints)
    assert davis["their_trials"] == 4
    assert "They pooled 4 trials" in davis["why_they_differ"]
    assert "we have no pool (different outcome definitions" in davis["why_they_differ"]


def test_why_they_differ_when_we_pool(same_definition, records):
    # With one outcome definition per question (fixture same_definition; fixed effect so that
    # the neck-pain pool is shown despite I2 = 96%), the reasons compare the numbers.
    labels = pd.read_csv(DATA / "labels.csv", dtype=str)
    ours = review_analyses(same_definition, method="FE")
    comparison = compare_with_reviews(ours, same_definition, records, labels)
    kang = comparison[(comparison["analysis"] == "tth_sham_frequency")
                      & (comparison["review"] == "Kang 2023 (SR)")].iloc[0]
    assert "They report an SMD, we an MD" in kang["why_they_differ"]
    davis = comparison[(comparison["analysis"] == "tth_sham_frequency")
                       & (comparison["their_timepoint"] == "20_to_25_weeks")].iloc[0]
    # Davis 2008: WMD -1.83 (-3.01 to -0.64); ours (FE) -1.49 (-2.53 to -0.46)
    assert "inside their CI" in davis["why_they_differ"]
    yuan = comparison[(comparison["analysis"] == "neck_sham_pain")
                      & (comparison["review"] == "Yuan 2015 (SR)")].iloc[0]
    # Yuan 2015: MD -0.58 cm (-0.94, -0.22) on a 10 cm VAS = -5.8 mm (-9.4, -2.2);
    # ours (FE) -14.1 mm (-18.0, -10.1) lies outside, and the intervals do not overlap
    assert "cm x 10" in yuan["why_they_differ"]
    assert "outside their CI; the intervals do not overlap" in yuan["why_they_differ"]


def test_forest_plots_say_measure_in_words_and_why_there_is_no_diamond(analyses, pooled):
    # found by looking at reports/figures/forest_tth_sham_frequency.png: the axis said
    # "GENERIC_MD (95% CI)" and nothing said why the two trials were not pooled
    import matplotlib.pyplot as plt

    a = analyses["tth_sham_frequency"]
    assert a.result is None
    ax = a.plot_forest()
    assert ax.get_xlabel() == "mean difference (95% CI)"
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "GENERIC" not in texts and "mean difference [95% CI]" in texts
    assert "No pooled estimate: " + a.reason[:40] in texts.replace("\n", " ")
    plt.close(ax.figure)
    ax = pooled["tth_sham_frequency"].plot_forest()  # pooled: no such note
    assert "No pooled estimate" not in " ".join(t.get_text() for t in ax.texts)
    plt.close(ax.figure)

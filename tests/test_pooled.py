"""The analysis plan's pooled rows are the only pooled results: notebook 04, tables/analyses.csv,
review.json / evidence diff and the comparison with the systematic reviews (evidence.pooled).

Numbers recomputed by hand come from ``data/effects.csv`` (rows quoted in the comments); the
reviews' numbers are quoted from their abstracts in the snapshot.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from evidence import forests
from evidence.diff import POOLED_FIELDS, diff_reviews, read_state, review_state
from evidence.errors import DataError
from evidence.pooled import (COMPARISON_COLUMNS, compare_with_reviews, is_pooled, pooled_rows,
                             row_key, row_words)

Z = 1.959963984540054
NECK = "acupuncture_vs_sham | neck_pain | pain_intensity | short_term | MD"
TTH = "acupuncture_vs_sham | tension_type_headache | headache_frequency | months_3_to_4 | MD"
TTH_WORDS = ("Acupuncture vs sham for tension-type headache: headache days or frequency, after "
             "treatment (3 to 4 months), MD")
NECK_WORDS = "Acupuncture vs sham for neck pain: pain intensity, short term (up to 3 months), MD"


@pytest.fixture(scope="module")
def review():
    from evidence.review import build_review
    from evidence.settings import load_settings

    return build_review(load_settings(environ={}))


@pytest.fixture(scope="module")
def rows(review):
    return {row_key(r): r for r in pooled_rows(review.sof)}


@pytest.fixture(scope="module")
def plan(review):
    from evidence.review import load_plan

    return load_plan(review.settings, effects=review.effects)


def _compare(review, plan, sof):
    return compare_with_reviews(sof, review.effects, review.records, review.labels, plan)


# ----------------------------------------------------------------------------------------------
# the pooled rows


def test_the_shipped_plan_pools_two_rows(review, rows):
    assert list(rows) == [NECK, TTH]
    assert review.pooled.keys == (NECK, TTH)
    assert review.summary_frame().loc["analyses pooled", "n"] == 2
    # the same rows the forest plots draw, and the SoF rows of those keys
    assert [f.name for f in forests.plan_forests(review.sof)] == [
        "forest_" + "__".join(k.split(" | ")[:4]) for k in rows]


def test_headache_days_row_is_the_inverse_variance_mean_by_hand(rows):
    # effects.csv: Melchart 2005 vs sham, headache_days, weeks_9_to_12, -0.6 (-2.6, 1.5);
    #              Endres 2007 vs sham, headache_days, not_stated (placed in 3-4 months by the
    #              plan's unstated rule), -1.8 (-3.0, -0.6). Q = 0.98 < k - 1, so tau2 = 0 and
    #              the random-effects mean is the fixed-effect one (Cochrane Handbook 10.3).
    y = [-0.6, -1.8]
    w = [1 / ((1.5 + 2.6) / (2 * Z)) ** 2, 1 / ((3.0 - 0.6) / (2 * Z)) ** 2]
    mu = sum(a * b for a, b in zip(w, y)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    r = rows[TTH]
    assert r.k_studies == 2 and r.tau2 == 0 and r.i2 == 0
    assert (r.estimate, r.ci_low, r.ci_high) == (pytest.approx(mu, abs=1e-9),
                                                 pytest.approx(mu - Z * se, abs=1e-9),
                                                 pytest.approx(mu + Z * se, abs=1e-9))


def test_summary_frame_labels_each_row_by_its_key(review, rows):
    frame = review.pooled.summary_frame()
    assert frame.index.name == "analysis" and list(frame.index) == [NECK, TTH]
    assert frame.loc[TTH, "question"] == TTH_WORDS and frame.loc[NECK, "question"] == NECK_WORDS
    assert frame.loc[TTH, "pooled"] and frame.loc[TTH, "k"] == 2
    assert frame.loc[TTH, "estimate"] == pytest.approx(rows[TTH].estimate)
    # I2 = 92% with 3 studies: combined (heterogeneity, prediction interval) but no estimate
    neck = frame.loc[NECK]
    assert not neck["pooled"] and neck["k"] == 3 and math.isnan(neck["estimate"])
    assert neck["i2"] > 75 and neck["tau2"] > 0 and neck["pi_low"] < neck["pi_high"]
    assert neck["studies"].startswith("White 2004: -6.30 (-11.25 to -1.35), weight 35%")
    assert "without a pooled estimate" in neck["notes"]
    assert [d["key"] for d in review.pooled.to_dict()] == [NECK, TTH]


def test_only_rows_that_combine_studies_on_one_scale_are_pooled(rows):
    tth = rows[TTH]
    assert is_pooled(tth)
    one = replace(tth, k_studies=1, studies=tth.studies[:1])
    unweighted = replace(tth, studies=tuple(dict(s, weight=None) for s in tth.studies))
    a_review = replace(tth, source="systematic review davis2008 as reported")
    assert not any(is_pooled(r) for r in (one, unweighted, a_review))
    assert pooled_rows([one, tth, unweighted, a_review]).rows == (tth,)


# ----------------------------------------------------------------------------------------------
# beside the systematic reviews


def test_comparison_rows_name_the_plan_rows_in_words(review):
    c = review.comparison
    assert tuple(c.columns) == COMPARISON_COLUMNS
    assert set(c["analysis"]) == {TTH_WORDS, NECK_WORDS}
    assert set(c["question"]) == {"Acupuncture vs sham for tension-type headache",
                                  "Acupuncture vs sham for neck pain"}
    assert set(c.loc[c["analysis"] == TTH_WORDS, "ours"]) == {"MD -1.49 (-2.53 to -0.46), k = 2, I2 = 0%"}
    assert set(c.loc[c["analysis"] == NECK_WORDS, "ours"]) == {"no pooled estimate: I2 = 92% with 3 studies"}


def test_cochrane_reviews_are_said_to_be_cut_short(review):
    c = review.comparison
    complete = dict(zip(review.records["pmid"], review.records["abstract_complete"]))
    for pmid in ("19160338", "27092807"):  # Linde 2009 and Linde 2016 (Cochrane)
        assert not complete[pmid]
        found = c[c["pmid"] == pmid]
        assert set(found["analysis"]) == {TTH_WORDS}  # the tension-type headache row
        assert found["their_estimate"].isna().all() and (found["quote"] == "").all()
        assert found["why_they_differ"].str.contains("cut short").all()


def test_review_numbers_are_quoted_from_their_abstracts(review):
    abstracts = dict(zip(review.records["pmid"], review.records["abstract"]))
    quoted = review.comparison[review.comparison["quote"] != ""]
    assert set(quoted["review"]) == {"Davis 2008 (SR)", "Kang 2023 (SR)", "Yuan 2015 (SR)",
                                     "Fang 2024 (SR)"}
    for row in quoted.itertuples():
        for part in row.quote.split('"')[1::2]:  # the quoted passages of `source`
            for piece in part.split("..."):
                assert piece in abstracts[row.pmid]
        # the estimate is written in the quoted sentence (sign and unit aside)
        assert f"{abs(row.their_estimate):g}" in row.quote


def test_why_they_differ_compares_numbers_measures_and_windows(review):
    c = review.comparison.set_index(["analysis", "review", "their_timepoint"])
    # Davis 2008: WMD -1.83 (-3.01 to -0.64) from 4 trials at 20-25 weeks; ours -1.49 (-2.53 to -0.46)
    davis = c.loc[(TTH_WORDS, "Davis 2008 (SR)", "20_to_25_weeks"), "why_they_differ"]
    assert davis.startswith("They pooled 4 trials with the trials' full data; we pool only what 2 "
                            "trial abstracts report (Melchart 2005, Endres 2007).")
    assert "inside their CI; the intervals overlap" in davis
    assert ("Time windows differ (theirs 20_to_25_weeks: 5 to 6 months; ours after treatment "
            "(3 to 4 months))") in davis
    kang = c.loc[(TTH_WORDS, "Kang 2023 (SR)", "end_of_treatment"), "why_they_differ"]
    assert "They report an SMD, we an MD" in kang and "inside" not in kang
    # Fang 2024: at least 3 months after treatment, read as week 13: the short-term window
    fang = c.loc[(NECK_WORDS, "Fang 2024 (SR)", "at_least_3_months_post_treatment"), "why_they_differ"]
    assert "we combine what 3 trial abstracts report (White 2004, Vas 2006, Cameron 2011) but show " \
           "no pooled estimate (I2 = 92% with 3 studies" in fang
    assert fang.endswith("Same time window (short term (up to 3 months)).")


def test_why_they_differ_converts_their_unit_to_ours(review, plan, rows):
    # Yuan 2015: MD -0.58 cm (-0.94, -0.22) on a 10 cm VAS = -5.8 mm (-9.4, -2.2). Give the neck
    # row an estimate of -14.1 (-18.0 to -10.1) on the 0-100 scale: outside, no overlap; and
    # -6.0 (-8.0 to -4.0): inside, overlapping.
    for est, low, high, words in ((-14.1, -18.0, -10.1, "outside their CI; the intervals do not overlap"),
                                  (-6.0, -8.0, -4.0, "inside their CI; the intervals overlap")):
        neck = replace(rows[NECK], estimate=est, ci_low=low, ci_high=high)
        c = _compare(review, plan, [neck])
        yuan = c[c["review"] == "Yuan 2015 (SR)"].iloc[0]["why_they_differ"]
        assert "They report in cm, we in mm (cm x 10)." in yuan and words in yuan
        assert "Time windows differ (theirs end_of_treatment: immediately after treatment" in yuan


def test_a_review_result_without_a_ci_is_not_called_inside_or_outside(review, plan, rows):
    effects = review.effects.copy()
    davis = effects["study"].eq("Davis 2008 (SR)")
    effects.loc[davis, ["ci_low", "ci_high"]] = float("nan")
    c = compare_with_reviews([rows[TTH]], effects, review.records, review.labels, plan)
    why = c[c["review"] == "Davis 2008 (SR)"]["why_they_differ"]
    assert len(why) == 2 and why.str.contains("gives no 95% CI").all()
    assert not why.str.contains("inside|outside").any()


def test_no_pooled_row_no_comparison(review, plan, rows):
    one = replace(rows[TTH], k_studies=1, studies=rows[TTH].studies[:1])
    assert _compare(review, plan, [one]).empty


# ----------------------------------------------------------------------------------------------
# review.json and evidence diff


@pytest.fixture(scope="module")
def state(review):
    return review_state(review, date="2026-12-05")


def test_review_json_takes_the_pooled_estimates_from_the_plan(state, rows):
    assert state["pooled_from"] == "analysis_plan"
    assert [p["key"] for p in state["pooled"]] == [NECK, TTH]
    tth = state["pooled"][1]
    assert tth["question"] == TTH_WORDS
    assert {f: tth[f] for f in ("pooled", "k", "measure", "i2", "tau2")} == {
        "pooled": True, "k": 2, "measure": "MD", "i2": 0.0, "tau2": 0.0}
    assert tth["estimate"] == round(rows[TTH].estimate, 6)
    assert (tth["pi_low"], tth["pi_high"]) == (round(rows[TTH].pi_low, 6), round(rows[TTH].pi_high, 6))
    neck = state["pooled"][0]
    assert neck["pooled"] is False and neck["estimate"] is None and neck["k"] == 3
    assert neck["i2"] == round(rows[NECK].i2, 6)
    # each pooled estimate has the key of its summary-of-findings row
    assert {p["key"] for p in state["pooled"]} <= {s["key"] for s in state["sof"]}
    json.dumps(state)  # JSON-ready


def test_a_changed_pooled_estimate_is_listed_with_its_old_and_new_value(state):
    new = json.loads(json.dumps(state))
    new["pooled"][1]["estimate"] = -2.0
    changes = diff_reviews(state, new)
    assert [(p["key"], p["fields"]) for p in changes.pooled] == [(TTH, ["estimate"])]
    assert changes.pooled[0]["old"]["estimate"] == state["pooled"][1]["estimate"]
    assert changes.pooled[0]["new"]["estimate"] == -2.0
    assert changes.notes == () and not changes.sof and not changes.verdicts
    assert diff_reviews(state, state).empty and diff_reviews(state, state).notes == ()


# A pooled estimate as the previous code wrote it into review.json (reports/review.json of a run
# before the pooled estimates came from the plan): keyed by a fixed question, with `method`.
OLD_POOLED = [{"key": "tth_sham_frequency",
               "question": "Acupuncture vs sham for tension-type headache: headache frequency",
               "pooled": False, "k": 2, "measure": "GENERIC_MD", "method": None, "estimate": None,
               "ci_low": None, "ci_high": None, "i2": None}]


def test_an_old_review_json_diffs_as_removed_and_added_and_says_why(state, tmp_path):
    old = {k: v for k, v in json.loads(json.dumps(state)).items() if k != "pooled_from"}
    old["pooled"] = OLD_POOLED
    (tmp_path / "review.json").write_text(json.dumps(old), encoding="utf-8")
    old = read_state(tmp_path)  # an old file still reads
    changes = diff_reviews(old, state)
    by_key = {p["key"]: p for p in changes.pooled}
    assert list(by_key) == ["tth_sham_frequency", NECK, TTH]
    assert by_key["tth_sham_frequency"]["new"] is None
    assert by_key["tth_sham_frequency"]["old"]["k"] == 2
    assert by_key[TTH]["old"] is None and by_key[TTH]["fields"] == list(POOLED_FIELDS)
    # nothing else changed: the SoF and the verdicts are the same run's
    assert not changes.sof and not changes.verdicts and not changes.records
    (note,) = changes.notes
    assert "former fixed review questions before" in note and "analysis plan" in note
    assert "listed as removed" in note
    assert json.loads(changes.render("json"))["notes"] == [note]
    md = changes.render("md")
    assert note in md and "former fixed review questions" in changes.render("html")
    # an estimate added or removed is one line, not one per field
    assert "| tth\\_sham\\_frequency | removed | GENERIC\\_MD, k = 2, no pooled estimate | — |" in md
    assert md.count("tth\\_sham\\_frequency") == 1
    assert f"| added | — | MD {round(state['pooled'][1]['estimate'], 6)} (" in md
    # and the other way round
    assert "former fixed review questions now" in diff_reviews(state, old).notes[0]


def test_a_hostile_pooled_from_is_refused_or_escaped(state, tmp_path):
    bad = dict(json.loads(json.dumps(state)), pooled_from=["x"])
    (tmp_path / "review.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(DataError, match="pooled_from"):
        read_state(tmp_path)
    odd = dict(json.loads(json.dumps(state)), pooled_from="<script>|*x*")
    page = diff_reviews(odd, state).render("html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\\<script\\>" in diff_reviews(odd, state).render("md")


def test_words_and_keys_of_a_row(rows):
    assert row_key(rows[TTH]) == TTH and row_words(rows[TTH]) == TTH_WORDS

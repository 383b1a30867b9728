"""Tests of evidence.miner: effect statements with a confidence interval.

The snapshot test measures the miner against the hand-marked gold standard
``data/effect_statements.csv`` (see ``data/effect_statements_README.md``: marked by
a reviewer by reading the abstracts, not by a regex). The sentence tests are
written by hand for this file; each states the numbers a reader takes from it.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from cli_runner import run_cli
from conftest import DATA, SNAPSHOT

from evidence import miner
from evidence.miner import COLUMNS, Statement, mine, mine_records, mine_xml, miner_agreement
from evidence.records import read_records


@pytest.fixture(scope="module")
def records():
    return read_records(SNAPSHOT / "records.xml")


@pytest.fixture(scope="module")
def found(records):
    return mine_records(records)


@pytest.fixture(scope="module")
def gold():
    return miner.read_gold(DATA / "effect_statements.csv")


def one(text: str) -> Statement:
    found = mine(text)
    assert len(found) == 1, [s.text for s in found]
    return found[0]


# ----------------------------------------------------------------------------------------------
# against the gold standard


def test_precision_and_recall_floors(found, gold):
    agreement = miner_agreement(found, gold)
    assert agreement.precision >= 0.9, agreement.false_positives
    assert agreement.recall >= 0.8, agreement.false_negatives
    assert agreement.tp + agreement.fn == len(gold) == 53
    assert agreement.tp + agreement.fp == len(found)


def test_found_spans_are_the_text_of_the_abstract(found, records):
    abstracts = dict(zip(records["pmid"], records["abstract"]))
    for row in found.itertuples():
        assert abstracts[row.pmid][row.start:row.end] == row.text
        assert row.ci_low <= row.ci_high


def test_gold_standard_spans_are_the_text_of_the_abstract(gold, records):
    # guards the gold file and the offsets convention the agreement relies on
    abstracts = dict(zip(records["pmid"], records["abstract"]))
    for row in gold.itertuples():
        assert abstracts[row.pmid][row.start:row.end] == row.text


def test_no_statement_in_records_without_ci(found, records):
    # both Cochrane abstracts stop before their results; two records have no abstract
    for pmid in ("19160338", "27092807", "11532840", "11532841"):
        assert pmid in set(records["pmid"])
        assert pmid not in set(found["pmid"])


def test_mine_xml_gives_the_contract_columns():
    table = mine_xml(SNAPSHOT / "records.xml")
    assert tuple(table.columns) == COLUMNS
    assert table["pmid"].map(type).eq(str).all()
    assert set(table["measure"]) <= set(miner.MEASURES)
    assert (table["ci_level"] == 95).all()


# ----------------------------------------------------------------------------------------------
# the agreement function


def _frame(rows):
    return pd.DataFrame(rows, columns=["pmid", "start", "end", "measure", "value", "ci_low",
                                       "ci_high"])


def test_agreement_counts_by_hand():
    gold = _frame([
        ("1", 0, 10, "RR", 1.3, 1.1, 1.5),
        ("1", 20, 30, "MD", -2.0, -3.0, -1.0),
        ("2", 0, 10, "OR", 2.0, 1.5, 2.5),
        ("3", 5, 15, "SMD", float("nan"), 0.1, 0.3),  # no estimate given: not compared
    ])
    found = _frame([
        ("1", 2, 12, "RR", 1.3, 1.1, 1.5),        # overlaps, same numbers: match
        ("1", 20, 30, "MD", -2.0, -3.0, -1.1),    # a bound differs: no match
        ("2", 11, 20, "OR", 2.0, 1.5, 2.5),       # no overlap: no match
        ("3", 0, 6, "MD", 0.2, 0.1, 0.3),         # overlaps by one character: match
        ("4", 0, 10, "RR", 1.0, 0.5, 2.0),        # a PMID the gold does not have
    ])
    a = miner_agreement(found, gold)
    assert (a.tp, a.fp, a.fn) == (2, 3, 2)
    assert a.precision == pytest.approx(2 / 5)
    assert a.recall == pytest.approx(2 / 4)
    assert a.measure_agreement == pytest.approx(1 / 2)
    assert set(a.false_negatives["pmid"]) == {"1", "2"}
    frame = a.summary_frame()
    assert frame.loc["tp", "value"] == 2 and frame.loc["recall", "value"] == 0.5


def test_agreement_is_one_to_one():
    gold = _frame([("1", 0, 10, "RR", 1.3, 1.1, 1.5)])
    found = _frame([("1", 0, 10, "RR", 1.3, 1.1, 1.5), ("1", 5, 12, "RR", 1.3, 1.1, 1.5)])
    a = miner_agreement(found, gold)
    assert (a.tp, a.fp, a.fn) == (1, 1, 0)
    assert a.matches.loc[0, "found_start"] == 0  # the larger overlap wins


def test_agreement_missing_value_is_a_disagreement():
    gold = _frame([("1", 0, 10, "RR", 1.3, 1.1, 1.5)])
    found = _frame([("1", 0, 10, "RR", float("nan"), 1.1, 1.5)])
    assert miner_agreement(found, gold).tp == 0


# ----------------------------------------------------------------------------------------------
# minus signs and separators (docs/contracts.md, `evidence mine`)


@pytest.mark.parametrize("text, value, low, high", [
    # U+2212 minus inside a bracketed interval with a comma
    ("headache frequency [5 RCTs, SMD = \u22120.85, 95%CI (\u22121.58, \u22120.12)]",
     -0.85, -1.58, -0.12),
    # U+2212 minus, "to"
    ("the mean difference was \u22121.2 (95% CI \u22121.58 to \u22120.12)", -1.2, -1.58, -0.12),
    # square brackets, U+2212
    ("WMD \u22120.58 [\u22120.94, \u22120.22]", -0.58, -0.94, -0.22),
    # hyphen and one space before the number
    ("(SMD: - 0.79; 95% CI - 1.13 to - 0.46; p < 0.01)", -0.79, -1.13, -0.46),
    ("pain (MD - 0.30, 95% CI - 0.58 to - 0.08)", -0.30, -0.58, -0.08),
    # en dash as a minus (not preceded by a digit), bounds written high to low
    ("(adjusted difference = \u20135.8; 95% CI, \u20130.9 to \u201310.7; P = .02)",
     -5.8, -10.7, -0.9),
    # en dash between two numbers separates the bounds
    ("responders (RR 1.30, 95% CI 1.13\u20131.50)", 1.30, 1.13, 1.50),
    # hyphen between two numbers separates the bounds
    ("an odds ratio of 0.78 (95% CI 0.65-0.94)", 0.78, 0.65, 0.94),
    # hyphen separator followed by a negative bound
    ("MD -1.2 (95% CI -2.0--0.4)", -1.2, -2.0, -0.4),
    # comma between two numbers
    ("pain fell by 11.2 mm; 95% CI 5.7, 16.7; P = 0.00006", 11.2, 5.7, 16.7),
    ("reduction of 1.0 mm (95% CI -4.5, 6.5; P = 0.7)", 1.0, -4.5, 6.5),
    # semicolon between the bounds
    ("The pooled SMD was -0.45 [95% CI: -0.71; -0.19]", -0.45, -0.71, -0.19),
    # words are not signs: "fewer" keeps 1.8 positive
    ("headache days (1.8 fewer; 95% CI 0.6, 3.0; p=0.004)", 1.8, 0.6, 3.0),
    # an interval that does not contain its estimate is reported as written
    ("(MD: - 0.12; 95% CI - 0.06 to 0.36; p = 0.63)", -0.12, -0.06, 0.36),
    # raised decimal point (Lancet)
    ("adjusted odds ratio 1\u00b742 (95% CI 1\u00b710\u20131\u00b783)", 1.42, 1.10, 1.83),
])
def test_signs_and_separators(text, value, low, high):
    s = one(text)
    assert s.value == pytest.approx(value, abs=1e-12)
    assert (s.ci_low, s.ci_high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert text[s.start:s.end] == s.text


def test_reverse_order_gives_ascending_bounds():
    s = one("an adjusted difference of 4.0 (95% CI 6.5 to 1.5)")
    assert (s.ci_low, s.ci_high) == (1.5, 6.5)


# ----------------------------------------------------------------------------------------------
# labels, brackets, levels


@pytest.mark.parametrize("text, level", [
    ("risk ratio 1.19 (95% CI 1.08 to 1.30)", 95),
    ("risk ratio 1.19 (95% confidence interval 1.08 to 1.30)", 95),
    ("risk ratio 1.19, 95% confidence interval [CI]: 1.08, 1.30", 95),
    ("risk ratio 1.19 [95%CI: 1.08-1.30]", 95),
    ("risk ratio 1.19 (CI 1.08 to 1.30)", 95),
    ("risk ratio 1.19 (99% CI 1.08 to 1.30)", 99),
    ("risk ratio 1.19 (90% confidence interval 1.08 to 1.30)", 90),
    ("risk ratio 1.19 (CI 95% 1.08-1.30)", 95),
    ("RR = 1.19, 95%CI (1.08, 1.30)", 95),
    ("RR = 1.19 (1.08, 1.30), 95% confidence interval", 95),
])
def test_labels_and_levels(text, level):
    s = one(text)
    assert (s.value, s.ci_low, s.ci_high) == (1.19, 1.08, 1.30)
    assert s.ci_level == level
    assert s.measure == "RR"


def test_bare_ci_with_percentages():
    s = one("it demonstrated only a 12% (CI, 3% to 21%) difference between the groups")
    assert (s.value, s.ci_low, s.ci_high, s.ci_level) == (12, 3, 21, 95)
    assert s.text == "12% (CI, 3% to 21%)"
    assert s.measure == "other"


@pytest.mark.parametrize("text, span", [
    # closing bracket opened inside the span is included
    ("in favour (6.3 mm [95% CI, 1.4 to 11.3 mm]; P = 0.01)", "6.3 mm [95% CI, 1.4 to 11.3 mm]"),
    ("(28.1 (95% CI 21.4-34.7)).", "28.1 (95% CI 21.4-34.7)"),
    # a bracket opened before the span is not closed by it
    ("(1.7 points; 95% CI 1.0, 2.5)", "1.7 points; 95% CI 1.0, 2.5"),
    # P values and trial counts stay outside
    ("9.31% (95% CI 5.10% to 14.62%, 11 studies)", "9.31% (95% CI 5.10% to 14.62%"),
    # the span starts at a measure name joined by punctuation, "=", ":" or a bracketed
    # abbreviation, else at the estimate
    ("(risk ratio [RR]: 1.19, 95% CI: 1.08, 1.30)", "risk ratio [RR]: 1.19, 95% CI: 1.08, 1.30"),
    ("(mean difference (MD) = -0.58, 95% CI -0.94 to -0.22)",
     "mean difference (MD) = -0.58, 95% CI -0.94 to -0.22"),
    ("the adjusted difference between groups = 11.2; 95% CI, 3.0 to 19.3",
     "11.2; 95% CI, 3.0 to 19.3"),
    ("The hazard ratio was 0.75 (95% CI 0.60 to 0.94)", "0.75 (95% CI 0.60 to 0.94)"),
])
def test_span_convention(text, span):
    assert one(text).text == span


def test_interval_without_estimate():
    s = one("The 95% CI for the treatment effect was from 0.2 to 0.8.")
    assert s.value is None and (s.ci_low, s.ci_high) == (0.2, 0.8)


@pytest.mark.parametrize("text, p", [
    ("(11.2 mm; 95% CI 5.7, 16.7; P = 0.00006)", "0.00006"),
    ("(-8.65; 95% CI, -12.13 to -5.16; p<0.001, respectively)", "<0.001"),
    ("(11.2; 95% CI, 3.0 to 19.3; P = .008)", ".008"),
    ("(MD = -0.99 (-1.24, -0.73), p< 0.001)", "<0.001"),
    ("RR = 1.30, 95%CI (1.13, 1.50), I2 = 2%, p = 0.04", "0.04"),
    ("WMD, -2.93 [95% CI, -7.49 to 1.64]; 5 trials", None),
])
def test_p_values(text, p):
    assert one(text).p == p


def test_p_value_of_the_next_result_is_not_taken():
    found = mine("(OR 1.2, 95% CI 1.0 to 1.4) and a higher rate (45% vs 30%, p = 0.03)")
    assert len(found) == 1 and found[0].p is None


@pytest.mark.parametrize("text, measure", [
    ("RR 1.2 (95% CI 1.0 to 1.4)", "RR"),
    ("relative risk 1.2 (95% CI 1.0 to 1.4)", "RR"),
    ("OR 2.35 (95% CI 1.12-4.93)", "OR"),
    ("(per minor allele OR 1.33; 95% CI 1.12 to 1.59)", "OR"),
    ("ORQ4=4.76, 95% CI 1.53 to 14.82", "OR"),
    ("HR, 0.71; 95% CI, 0.58 to 0.87", "HR"),
    ("risk difference 12%, 95% CI: 2%-21%", "RD"),
    ("standardized mean difference = -0.47 (95% CI -0.77 to -0.17)", "SMD"),
    ("scores were 0.23 (95% CI, 0.13-0.33) and 0.16 (95% CI, 0.07-0.25) SDs lower", "SMD"),
    ("mean difference -1.1 (95% CI -1.6 to -0.6)", "MD"),
    ("pain was reduced by 6.3 mm (95% CI 1.4 to 11.3)", "MD"),
    ("weighted mean difference: -8.54 mm, 95% CI: -15.52, -1.57", "WMD"),
    ("AEs occurred in 9.31% (95% CI 5.10% to 14.62%) of patients", "other"),
    ("the rate was 1.01 (95% CI 0.23 to 2.33) per 10 000 patients", "other"),
])
def test_measures(text, measure):
    found = mine(text)
    assert found and {s.measure for s in found} == {measure}


# ----------------------------------------------------------------------------------------------
# intervals without a label


@pytest.mark.parametrize("text, value, low, high", [
    ("mean difference (MD) = -0.58 (-0.94, -0.22), 95% CI. For CLBP, MD = -0.99 (-1.24, -0.73).",
     -0.99, -1.24, -0.73),
    # BMJ style: the first CI is labelled, later ones are not
    ("difference 4.6 (95% CI 2.2 to 7.0). Patients had 22 fewer days of headache per year "
     "(8 to 38).", 22, 8, 38),
    # same form as the labelled CI earlier in the sentence
    ("(acupuncture v sham, 0.6 days, 95% CI -1.5 to 2.6 days; acupuncture v waiting list, "
     "5.7 days, 3.9 to 7.5 days)", 5.7, 3.9, 7.5),
])
def test_unlabelled_intervals_read_as_ci(text, value, low, high):
    found = mine(text)
    assert any((s.value, s.ci_low, s.ci_high) == (value, low, high) for s in found), found


def test_named_interval_without_label_needs_containment():
    assert mine("OR 2.1 (0.3, 0.9)") == []
    assert len(mine("OR 2.1 (1.3, 3.4)")) == 1


# ----------------------------------------------------------------------------------------------
# ranges that are not confidence intervals


LABELLED = " The mean difference was 1.2 points (95% CI 0.5 to 1.9)."


@pytest.mark.parametrize("text", [
    "Patients aged 18-65 years were included.",
    "Patients aged 18\u201365 years were included.",
    "135 patients 18 to 80 years of age took part.",
    "Pain was rated on a 0-10 VAS and on a visual analogue scale from 0 to 100 mm.",
    "Baseline pain was 6 (0-10) in both groups.",
    "Follow-up was 6-12 months.",
    "The median follow-up was 9 months (6-12 months).",
    "The mean age was 45 (18-65) years.",
    "Outcomes were assessed at weeks 9-12 and at 20-25 weeks.",
    "The trial ran from 2004 to 2007.",
    "Databases were searched (1966-2007).",
    "Trials had a median of 62 patients (range 10 to 1265).",
    "Chronic neck pain occurs in 10% - 30% of patients.",
    "Adverse events had an 8.5%-13.8% probability.",
    "Headache frequency was 4-5 days per month.",
])
def test_non_ci_ranges_are_not_statements(text):
    found = mine(text + LABELLED)
    assert [(s.value, s.ci_low, s.ci_high) for s in found] == [(1.2, 0.5, 1.9)]


@pytest.mark.parametrize("text", [
    "Pain fell from 6.1 to 3.2 points (p<0.001).",
    "Risk was lower with acupuncture (RR 0.8, p = 0.03).",
    "improved by 16.2 (SE: 0.4) to 38.3 (SE: 0.4), difference 12.3 (p<0.001)",
    "mean = \u221238%, standard deviation = 25%, p = 0.012",
    "Acupuncture was superior (r = 0.72-0.79; P < 0.001).",
    "",
])
def test_statements_without_ci_are_not_reported(text):
    assert mine(text) == []


def test_statement_is_frozen_with_the_contract_fields():
    s = one("RR 1.30 (95% CI 1.13 to 1.50)")
    assert [f.name for f in dataclasses.fields(Statement)] == [
        "measure", "value", "ci_low", "ci_high", "ci_level", "p", "start", "end", "text"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.value = 2.0  # type: ignore[misc]
    assert math.isclose(s.to_dict()["ci_high"], 1.5)


@pytest.mark.parametrize("text", [
    "Patients received 8 (6-10) sessions.",
    "Pain fell from 6.1 (5.8 to 6.4) to 3.2 (2.9 to 3.5) points.",
])
def test_descriptive_brackets_are_not_statements(text):
    found = mine(text + LABELLED)
    assert [(s.value, s.ci_low, s.ci_high) for s in found] == [(1.2, 0.5, 1.9)]


def test_mine_cli_contract_fields_and_offsets():
    import json

    from evidence.records import read_records

    out = run_cli("mine", "--xml", str(SNAPSHOT / "records.xml"), check=True).stdout
    found = json.loads(out)
    assert found and all(set(f) == {"pmid", "measure", "value", "ci_low", "ci_high", "ci_level", "p", "start",
                                    "end", "text"} for f in found)
    abstracts = read_records(SNAPSHOT / "records.xml").set_index("pmid")["abstract"]
    for f in found:
        assert abstracts[f["pmid"]][f["start"]:f["end"]] == f["text"]
        assert f["ci_low"] <= f["ci_high"]
        assert f["measure"] in {"RR", "OR", "HR", "RD", "SMD", "MD", "WMD", "other"}
    bad = run_cli("mine", "--xml", "missing.xml")
    assert bad.returncode == 2 and "missing.xml: no such file" in bad.stderr

"""Tests of evidence.extraction: the extraction table and its validator.

Each impossible row is written into a temporary CSV file; the error must name
the file, the row as a spreadsheet shows it (header = row 1) and the reason.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from conftest import DATA, SNAPSHOT

from evidence.errors import DataError, EvidenceError
from evidence.extraction import (
    COLUMNS,
    REVIEW_COLUMNS,
    STUDY_COLUMNS,
    is_review_row,
    read_effects_table,
    snapshot_pmids,
)

PMIDS = {"15611488", "17955168", "37234488", "15023828"}

GOOD = {
    "pmid": "15611488", "study": "White 2004", "comparison": "acupuncture_vs_sham",
    "condition": "neck_pain", "outcome": "pain_intensity", "timepoint": "weeks_1_to_5",
    "measure": "GENERIC_MD", "estimate": "-6.3", "ci_low": "-11.3", "ci_high": "-1.4",
    "source": "quote",
}
BINARY = {
    "pmid": "17955168", "study": "Endres 2007", "comparison": "acupuncture_vs_sham",
    "condition": "tension_type_headache", "outcome": "responder", "timepoint": "6_months",
    "measure": "RR", "events_t": "68", "n_t": "209", "events_c": "54", "n_c": "200",
}
CONTINUOUS = {
    "pmid": "15023828", "study": "Vickers 2004", "comparison": "acupuncture_vs_usual_care",
    "condition": "other", "outcome": "headache_score", "timepoint": "12_months",
    "measure": "MD", "mean_t": "16.2", "sd_t": "13.7", "n_t": "161", "mean_c": "22.3",
    "sd_c": "17.0", "n_c": "140",
}
RATIO = {
    "pmid": "37234488", "study": "Kang 2023 (SR)", "comparison": "acupuncture_vs_sham",
    "condition": "tension_type_headache", "outcome": "responder_rate",
    "timepoint": "end_of_treatment", "measure": "GENERIC_RR", "estimate": "1.30",
    "ci_low": "1.13", "ci_high": "1.50",
}


def write(tmp_path, *rows, header=COLUMNS):
    path = tmp_path / "effects.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(c, "") for c in header])
    return path


def test_shipped_table_reads_and_passes_the_validator():
    frame = read_effects_table(DATA / "effects.csv", pmids=snapshot_pmids(SNAPSHOT))
    # issue 9 appended the study columns (study_id, n_randomised, ...) after source, issue 14
    # the review columns (review_certainty, ...) after those
    assert tuple(frame.columns) == COLUMNS + STUDY_COLUMNS + REVIEW_COLUMNS
    # effects_README.md: 48 rows (issue 9 added Fang 2024 vs sham; issue 14 dropped Vickers
    # 2004's unadjusted MD and added Melchart 2005's two responder rows, Endres 2007's primary
    # responder RR and Cameron 2011's two pain rows, all derived)
    assert len(frame) == 48
    assert frame.index.name == "row" and frame.index[0] == 2
    assert frame["study"].map(is_review_row).sum() == 23  # 23 pooled results from reviews
    assert frame["pmid"].nunique() == 17  # from 17 records (Cameron 2011 since issue 14)
    # Fang 2024 vs sham pain at >= 3 months: issue 9 adds the null result the README used to
    # exclude, with the CI derived from the estimate and p (its printed CI cannot be right)
    fang = frame[(frame["pmid"] == "38856887") & (frame["comparison"] == "acupuncture_vs_sham")
                 & (frame["outcome"] == "pain_intensity")]
    assert len(fang) == 1
    row = fang.iloc[0]
    assert row["ci_low"] < 0 < row["ci_high"] and row["ci_low"] < row["estimate"]
    assert "p" in row["source"].lower()
    # every row names its study; Irnich 2002's -11.2 mm is vs dry needling and sham combined
    assert (frame["study_id"] != "").all()
    irnich = frame[(frame["pmid"] == "12237186") & (frame["estimate"] == -11.2)].iloc[0]
    assert irnich["comparison"] == "acupuncture_vs_mixed"


def test_review_loads_the_effects_from_the_settings_folders(env):
    from evidence.review import load_effects

    env.setenv("EVIDENCE_DATA", str(DATA))
    env.setenv("EVIDENCE_SNAPSHOT", str(SNAPSHOT))
    frame = load_effects()
    assert len(frame) == 48
    assert frame.attrs["path"] == str(DATA / "effects.csv")


def test_snapshot_pmids_are_the_45_seed_records():
    pmids = snapshot_pmids(SNAPSHOT)
    assert len(pmids) == 45
    assert {"19160338", "27092807", "38856887"} <= pmids


def test_snapshot_pmids_include_recorded_efetch_entries(snapshot_copy):
    from evidence.snapshot import Snapshot

    Snapshot(snapshot_copy).put("efetch", {"db": "pubmed", "id": "99999999", "retmode": "xml"},
                                b"<PubmedArticleSet/>", records=0)
    assert "99999999" in snapshot_pmids(snapshot_copy)


def test_good_rows_read(tmp_path):
    frame = read_effects_table(write(tmp_path, GOOD, BINARY, CONTINUOUS, RATIO), pmids=PMIDS)
    assert list(frame.index) == [2, 3, 4, 5]
    assert frame.loc[2, "estimate"] == -6.3
    assert pd.isna(frame.loc[2, "events_t"])
    assert frame.loc[3, "n_t"] == 209.0


@pytest.mark.parametrize("change, reason", [
    ({"events_t": "210"}, "events_t (210) is greater than n_t (209)"),
    ({"events_c": "-1"}, "events_c is negative"),
    ({"n_c": "-5"}, "n_c is negative"),
    ({"n_t": "0"}, "n_t is 0"),
    ({"events_t": "6.5"}, "events_t is not a whole number"),
    ({"n_c": ""}, "needs either events_t, n_t, events_c, n_c or estimate"),
    ({"events_t": "many"}, "events_t is not a number ('many')"),
])
def test_impossible_binary_rows(tmp_path, change, reason):
    path = write(tmp_path, GOOD, {**BINARY, **change})
    with pytest.raises(DataError) as err:
        read_effects_table(path, pmids=PMIDS)
    message = str(err.value)
    assert message.startswith(f"{path}, row 3: ")
    assert reason in message


@pytest.mark.parametrize("change, reason", [
    ({"sd_t": "0"}, "sd_t must be > 0"),
    ({"sd_c": "-2"}, "sd_c must be > 0"),
    ({"mean_c": ""}, "missing mean_c"),
])
def test_impossible_continuous_rows(tmp_path, change, reason):
    path = write(tmp_path, {**CONTINUOUS, **change})
    with pytest.raises(DataError, match=re.escape(reason)) as err:
        read_effects_table(path, pmids=PMIDS)
    assert f"{path}, row 2: " in str(err.value)


@pytest.mark.parametrize("row, change, reason", [
    # the interval does not contain the estimate (Fang 2024's "- 0.12; 95% CI - 0.06 to 0.36")
    (GOOD, {"estimate": "-0.12", "ci_low": "-0.06", "ci_high": "0.36"}, "does not contain"),
    (GOOD, {"ci_low": "-1.4", "ci_high": "-11.3"}, "ascending order"),
    (GOOD, {"ci_low": "-6.3", "ci_high": "-6.3"}, "no width"),
    (GOOD, {"ci_high": ""}, "ci_high missing"),
    (GOOD, {"estimate": "", "ci_low": "", "ci_high": ""}, "needs estimate, ci_low and ci_high"),
    # ratios and their bounds must be > 0
    (RATIO, {"estimate": "0", "ci_low": "-0.1", "ci_high": "1.5"}, "must be > 0"),
    (RATIO, {"ci_low": "-1.13"}, "must be > 0"),
    (RATIO, {"measure": "GENERIC_OR", "ci_low": "0"}, "must be > 0"),
    ({**BINARY, "measure": "OR", "estimate": "1.2", "ci_low": "0", "ci_high": "2"}, {},
     "must be > 0"),
    # RD as a proportion
    ({**BINARY, "measure": "RD", "estimate": "12", "ci_low": "2", "ci_high": "21"}, {},
     "between -1 and 1"),
])
def test_impossible_estimates(tmp_path, row, change, reason):
    path = write(tmp_path, {**row, **change})
    with pytest.raises(DataError, match=re.escape(reason)) as err:
        read_effects_table(path, pmids=PMIDS)
    assert f"{path}, row 2: " in str(err.value)


@pytest.mark.parametrize("change, reason", [
    ({"measure": "HR"}, "unknown measure 'HR'"),
    ({"measure": "md"}, "unknown measure 'md'"),
    ({"comparison": "acupuncture_vs_massage"}, "unknown comparison 'acupuncture_vs_massage'"),
    ({"condition": "migraine"}, "unknown condition 'migraine'"),
    ({"pmid": "12345678"}, "PMID 12345678 is not in the snapshot"),
    ({"pmid": "PMID:15611488"}, "not a PubMed identifier"),
    ({"outcome": ""}, "outcome is empty"),
    ({"estimate": "nan"}, "not a finite number"),
])
def test_impossible_labels(tmp_path, change, reason):
    path = write(tmp_path, {**GOOD, **change})
    with pytest.raises(DataError, match=re.escape(reason)):
        read_effects_table(path, pmids=PMIDS)


def test_row_numbers_count_blank_rows_and_multiline_quotes(tmp_path):
    path = tmp_path / "effects.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(COLUMNS)
        w.writerow([{**GOOD, "source": "a quote\nover two lines"}.get(c, "") for c in COLUMNS])
        w.writerow([""] * len(COLUMNS))
        w.writerow([{**GOOD, "study": "Other", "ci_low": "-5"}.get(c, "") for c in COLUMNS])
    with pytest.raises(DataError, match=r", row 4: the interval \[-5, -1.4\] does not contain"):
        read_effects_table(path, pmids=PMIDS)


def test_duplicate_result_is_refused(tmp_path):
    path = write(tmp_path, GOOD, BINARY, GOOD)
    with pytest.raises(DataError, match="row 4: the same study, .* as row 2"):
        read_effects_table(path, pmids=PMIDS)


def test_missing_column_names_row_1(tmp_path):
    header = [c for c in COLUMNS if c != "sd_c"]
    path = write(tmp_path, GOOD, header=header)
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) sd_c"):
        read_effects_table(path, pmids=PMIDS)


def test_unreadable_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read the file"):
        read_effects_table(tmp_path / "nope.csv", pmids=PMIDS)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(EvidenceError, match="the file is empty"):
        read_effects_table(empty, pmids=PMIDS)


def test_review_rows():
    assert is_review_row("Kang 2023 (SR)")
    assert is_review_row("Vickers 2012 (SR, back and neck pain)")
    assert not is_review_row("Irnich 2002 (dry needling)")
    assert not is_review_row("Melchart 2005")


# -- issue 9: the study columns and null_results.csv ------------------------------------------

FULL = COLUMNS + STUDY_COLUMNS
STUDY = {"study_id": "white2004", "n_randomised": "135", "n_source": 'METHODS: "135 patients"',
         "intervention": "manual_acupuncture", "endpoint": "primary"}


@pytest.mark.parametrize("change, message", [
    ({"study_id": ""}, "row 2: study_id '' must be the study's id"),
    ({"n_randomised": "13.5"}, "row 2: n_randomised must be a whole number"),
    ({"n_source": ""}, "row 2: n_randomised without n_source"),
    ({"n_randomised": ""}, "row 2: n_source without n_randomised"),
    ({"intervention": "needles"}, "row 2: unknown intervention 'needles'"),
    ({"endpoint": "main"}, "row 2: unknown endpoint 'main'"),
    ({"comparison": "acupuncture_vs_placebo"}, "unknown comparison"),
])
def test_study_columns_are_checked_with_row_numbers(tmp_path, change, message):
    path = write(tmp_path, {**GOOD, **STUDY, **change}, header=FULL)
    with pytest.raises(DataError) as info:
        read_effects_table(path, pmids=PMIDS)
    assert message in str(info.value) and str(path) in str(info.value)


def test_study_columns_read_and_mixed_comparison_allowed(tmp_path):
    path = write(tmp_path, {**GOOD, **STUDY, "comparison": "acupuncture_vs_mixed"}, header=FULL)
    frame = read_effects_table(path, pmids=PMIDS)
    assert frame.loc[2, "n_randomised"] == 135 and frame.loc[2, "study_id"] == "white2004"
    # the study columns come together
    with pytest.raises(DataError, match="row 1: missing column"):
        read_effects_table(write(tmp_path, {**GOOD, "study_id": "white2004"},
                                 header=COLUMNS + ("study_id",)), pmids=PMIDS)


def test_null_results_are_checked_with_row_numbers():
    from evidence.extraction import NULL_COLUMNS, parse_null_results

    good = {"study_id": "endres2007", "pmid": "17955168", "comparison": "acupuncture_vs_sham",
            "condition": "tension_type_headache", "outcome": "responder_50pct",
            "timepoint": "6_months", "direction": "no_difference", "p": "0.18",
            "endpoint": "primary", "source": 'RESULTS: "p = 0.18"'}
    rows = [list(NULL_COLUMNS), [good[c] for c in NULL_COLUMNS]]
    frame = parse_null_results(rows, pmids=PMIDS)
    assert frame.loc[2, "p"] == "0.18"
    bad = dict(good, direction="null")
    with pytest.raises(DataError, match="null_results.csv, row 3: unknown direction 'null'"):
        parse_null_results(rows + [[bad[c] for c in NULL_COLUMNS]], pmids=PMIDS)
    with pytest.raises(DataError, match="row 2: PMID 1 is not in the snapshot"):
        parse_null_results([rows[0], [dict(good, pmid="1")[c] for c in NULL_COLUMNS]],
                           pmids=PMIDS)


# -- issue 14: the review columns -------------------------------------------------------------

REVIEW_FULL = COLUMNS + STUDY_COLUMNS + REVIEW_COLUMNS
KANG = {**RATIO, "study_id": "kang2023", "intervention": "acupuncture_any",
        "endpoint": "not_stated", "k_studies": "3", "n_source": 'RESULTS: "[3 RCTs"',
        "review_certainty": "moderate", "review_i2": "2", "review_trials": "30",
        "review_participants": "2742", "review_rob": "some_concerns",
        "review_source": 'RESULTS: "I2 = 2%, moderate certainty"'}


@pytest.mark.parametrize("change, message", [
    ({"review_certainty": "strong"}, "row 2: unknown review_certainty 'strong'"),
    ({"review_rob": "unclear"}, "row 2: unknown review_rob 'unclear'"),
    ({"review_i2": "120"}, "row 2: review_i2 120 is out of range (plausible: 0 to 100)"),
    ({"review_i2": "-5"}, "row 2: review_i2 is a percentage between 0 and 100"),
    ({"review_trials": "2.5"}, "row 2: review_trials must be a whole number"),
    ({"review_trials": "2"}, "row 2: k_studies (3) is more than the review's trials (2)"),
    ({"review_source": ""}, "without review_source"),
    ({"study": "Kang 2023"}, "filled on a trial row"),
])
def test_review_columns_are_checked_with_row_numbers(tmp_path, change, message):
    path = write(tmp_path, {**KANG, **change}, header=REVIEW_FULL)
    with pytest.raises(DataError) as info:
        read_effects_table(path, pmids=PMIDS)
    assert message in str(info.value) and str(path) in str(info.value)


def test_review_columns_read_and_older_tables_still_read(tmp_path):
    frame = read_effects_table(write(tmp_path, KANG, header=REVIEW_FULL), pmids=PMIDS)
    assert frame.loc[2, "review_certainty"] == "moderate" and frame.loc[2, "review_i2"] == 2
    assert frame.loc[2, "review_participants"] == 2742
    # a table of the issue-9 format reads with the review columns empty
    older = read_effects_table(write(tmp_path, {**GOOD, **STUDY}, header=FULL), pmids=PMIDS)
    assert older.loc[2, "review_certainty"] == "" and pd.isna(older.loc[2, "review_i2"])
    # the review columns come after the study columns, all together
    with pytest.raises(DataError, match="row 1: missing column"):
        read_effects_table(write(tmp_path, KANG, header=FULL + ("review_certainty",)),
                           pmids=PMIDS)

"""Tests of evidence.studies: the study table (studies, not reports)."""

from __future__ import annotations

import pytest
from conftest import DATA, SNAPSHOT

from evidence._csv import read_csv_rows
from evidence.errors import DataError
from evidence.extraction import read_effects_table, snapshot_pmids
from evidence.studies import COLUMNS, count_studies, parse_studies

HEADER = list(COLUMNS)


def rows(*body):
    return [HEADER] + [list(r) for r in body]


GOOD = rows(("vickers2004", "15023828", "main", "trial"),
            ("vickers2004", "15023830", "economic", "Wonderling 2004: cost-effectiveness"),
            ("white2004", "15611488", "main", ""))


def test_parse_and_count_studies_not_reports():
    frame = parse_studies(GOOD)
    assert list(frame.index) == [2, 3, 4]
    # Wonderling 2004 is the economic evaluation of Vickers 2004: one study
    assert count_studies(["15023828", "15023830"], frame) == 1
    assert count_studies(["15023828", "15023830", "15611488"], frame) == 2
    assert count_studies(["99"], frame) == 1  # unknown PMID: its own study


@pytest.mark.parametrize("body, message", [
    ((("vickers2004", "15023828", "main", ""), ("vickers2004", "15023828", "economic", "")),
     "row 3: PMID 15023828 is already in row 2"),
    ((("vickers2004", "15023830", "economic", ""),), "row 2: study 'vickers2004' has no main"),
    ((("a2001", "1", "main", ""), ("a2001", "2", "main", "")), "2 main reports (rows 2, 3)"),
    ((("a2001", "1", "review", ""),), "row 2: unknown role 'review'"),
    ((("A 2001", "1", "main", ""),), "row 2: study_id 'A 2001' must be a lowercase slug"),
    ((("a2001", "x1", "main", ""),), "row 2: pmid 'x1' is not a PubMed identifier"),
    ((("a2001", "", "main", ""),), "row 2: pmid is empty"),
])
def test_bad_rows_name_the_row_and_reason(body, message):
    with pytest.raises(DataError, match="studies.csv, " if "row" in message else ""):
        parse_studies(rows(*body))
    with pytest.raises(DataError) as info:
        parse_studies(rows(*body))
    assert message in str(info.value)


def test_missing_column_and_missing_snapshot_pmid():
    with pytest.raises(DataError, match="row 1: missing column"):
        parse_studies([["study_id", "pmid"], ["a2001", "1"]])
    with pytest.raises(DataError, match="PMID.*2 have no row"):
        parse_studies(rows(("a2001", "1", "main", "")), pmids={"1", "2"})


def test_shipped_study_table_covers_the_snapshot_and_the_known_reports():
    frame = parse_studies(read_csv_rows(DATA / "studies.csv", expected=COLUMNS),
                          pmids=snapshot_pmids(SNAPSHOT))
    of = dict(zip(frame["pmid"], frame["study_id"]))
    role = dict(zip(frame["pmid"], frame["role"]))
    # issue 9: Wonderling 2004 is the economic evaluation of the Vickers 2004 trial
    assert of["15023830"] == of["15023828"] and role["15023830"] == "economic"
    # 24146995 is a meta-regression of the 22965186 IPD dataset
    assert of["24146995"] == of["22965186"]
    assert frame["study_id"].nunique() < len(frame)


def test_every_extraction_row_names_a_study_of_the_table():
    studies = parse_studies(read_csv_rows(DATA / "studies.csv", expected=COLUMNS))
    effects = read_effects_table(DATA / "effects.csv", pmids=snapshot_pmids(SNAPSHOT))
    assert set(effects["study_id"]) <= set(studies["study_id"])
    of = dict(zip(studies["pmid"], studies["study_id"]))
    assert all(of[p] == s for p, s in zip(effects["pmid"], effects["study_id"]))

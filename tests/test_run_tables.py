"""The report's tables as ``evidence run`` writes them (issue 11, item 5)."""

import pandas as pd
import pytest

from evidence.run import write_tables_and_figures
from evidence.settings import load_settings


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_tables_and_figures(out, settings=load_settings(environ={}))
    return out / "tables"


def test_screening_table_keeps_its_row_labels(written):
    frame = pd.read_csv(written / "screening.csv")
    # the labels were the frame's index: to_csv(index=False) dropped them, leaving bare counts
    assert frame.columns[0] == "item"
    assert "records screened" in frame["item"].tolist()


def test_analyses_table_keeps_the_analysis_keys(written):
    frame = pd.read_csv(written / "analyses.csv")
    assert frame.columns[0] == "analysis"
    assert "tth_sham_frequency" in frame["analysis"].tolist()
    assert frame["analysis"].is_unique


def test_plain_tables_get_no_index_column(written):
    records = pd.read_csv(written / "records.csv", dtype=str)
    assert records.columns[0] == "pmid"
    assert "index" not in records.columns

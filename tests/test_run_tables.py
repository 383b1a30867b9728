"""The report folder as ``evidence run`` writes it: tables, figures and index.html, from one
:func:`evidence.review.build_review` (issue 11, items 1 and 5).

The folder read here is the session's one real run (``workbook_run`` in conftest.py: every
notebook executed in a kernel), shared read-only with the other report tests."""

import pandas as pd
import pytest

from evidence import forests
from evidence.review import build_review
from evidence.settings import load_settings


@pytest.fixture(scope="module")
def review():
    return build_review(load_settings(environ={}))


@pytest.fixture(scope="module")
def report_folder(workbook_run):
    return workbook_run.out


@pytest.fixture(scope="module")
def written(report_folder):
    return report_folder / "tables"


def test_screening_table_keeps_its_row_labels(written):
    frame = pd.read_csv(written / "screening.csv")
    # the labels were the frame's index: to_csv(index=False) dropped them, leaving bare counts
    assert frame.columns[0] == "item"
    assert "records screened" in frame["item"].tolist()


def test_analyses_table_keeps_the_analysis_keys(written):
    frame = pd.read_csv(written / "analyses.csv")
    assert frame.columns[0] == "analysis"
    # the analysis plan's pooled rows, keyed comparison | condition | domain | window | measure
    assert "acupuncture_vs_sham | tension_type_headache | headache_frequency | months_3_to_4 | MD" in \
        frame["analysis"].tolist()
    assert frame["analysis"].is_unique


def test_plain_tables_get_no_index_column(written):
    records = pd.read_csv(written / "records.csv", dtype=str)
    assert records.columns[0] == "pmid"
    assert "index" not in records.columns


def test_every_table_and_figure_is_written_from_the_one_review(report_folder, review):
    tables = sorted(p.stem for p in (report_folder / "tables").glob("*.csv"))
    assert tables == sorted(["records", "designs", "screening", "prisma", "effects", "analyses",
                             "comparison_with_reviews", "claims", "summary_of_findings",
                             "sensitivity_analyses", "published_anchors"])
    figures = {p.stem for p in (report_folder / "figures").glob("*.png")}
    # one forest per SoF row that pools two or more studies (the analysis plan's pools)
    pooled = {f.name for f in forests.plan_forests(review.sof)}
    assert pooled, "the shipped effects pool at least one question"
    assert figures == {"design_condition_heatmap", "publications_per_year", "comparator_counts",
                       "prisma_flow", "rob_traffic_light", "rob_summary"} | pooled
    # the tables hold what the Review holds, not a second computation that could differ
    claims = pd.read_csv(report_folder / "tables" / "claims.csv", dtype=str)
    assert claims["verdict"].tolist() == [v.verdict for v in review.claims]
    records = pd.read_csv(report_folder / "tables" / "records.csv", dtype=str)
    assert records["pmid"].tolist() == review.records["pmid"].tolist()
    included = pd.read_csv(report_folder / "tables" / "screening.csv").set_index("item")
    assert included.loc["records included", "n"] == len(review.screening.included)


def test_index_page_names_every_claim(report_folder, review):
    page = (report_folder / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lstrip().lower().startswith("<!doctype html>")
    for verdict in review.claims:
        assert verdict.id in page


def test_review_summary_frame_counts_each_step(review):
    frame = review.summary_frame()
    assert frame.loc["records", "n"] == len(review.records)
    assert frame.loc["claims", "n"] == len(review.claims) == 9


@pytest.mark.slow
def test_run_workbook_end_to_end(workbook_run):
    """``evidence run`` in replay: every notebook executed and exported, then the report once."""
    from evidence.run import notebooks

    index = workbook_run.index  # what run_workbook returned
    assert index == workbook_run.out / "index.html" and index.is_file()
    exported = sorted(p.stem for p in (workbook_run.out / "notebooks").glob("*.html"))
    assert exported == [p.stem for p in notebooks()]
    assert len(list((workbook_run.out / "tables").glob("*.csv"))) == 11
    page = index.read_text(encoding="utf-8")
    assert all(f"{name}.html" in page for name in exported)

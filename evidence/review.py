"""The review's steps, one call each, shared by the notebooks, the CLI and ``evidence run``.

This is the one module that reads the settings and the data files
(``labels.csv``, ``effects.csv``, ``null_results.csv``, ``studies.csv``,
``risk_of_bias.csv``, ``mids.csv``, ``sessions.csv``, ``claims.yaml``,
``eligibility.yaml``, the snapshot's ``provenance.csv``) and chains the steps.
Every data file has one loader here, and each goes through its module's
validator. The domain modules take data as arguments and never import
:mod:`evidence.settings` or this module, so dependencies flow one way.
:func:`build_review` runs the whole chain once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import analyses, designs, screening
from ._csv import read_csv_rows
from .citecheck import (OUTPUT_FORMATS, CheckResult, check_references, default_resolver,
                        format_csv, format_json, format_table)
from .claims import Claim, ClaimsReport, assess_claims, study_table
from .claims import load_claims as parse_claims
from .claims import load_sessions as parse_sessions
from .errors import DataError, ReplayMissError
from .extraction import (NULL_COLUMNS, parse_null_results, read_effects_table,
                         snapshot_pmids)
from .grade import MID_COLUMNS, SummaryOfFindings, parse_mids, summary_of_findings
from .miner import read_gold
from .pubmed import PubMed
from .records import attach_provenance, parse_records
from .rob import COLUMNS as ROB_COLUMNS
from .rob import parse_rob
from .settings import Settings, load_settings
from .studies import COLUMNS as STUDY_COLUMNS
from .studies import parse_studies

__all__ = ["REVIEW_QUERY", "review_pmids", "load_records", "search_strategy", "search_log",
           "load_claims", "load_criteria", "load_effects", "load_effect_statements", "load_sessions",
           "load_studies", "load_rob", "load_null_results", "load_mids", "load_labels",
           "load_sof", "check_claims", "Review", "build_review", "check_reference_file",
           "cite_check_file"]

#: The review's main PubMed query (the claims' own queries are in data/claims.yaml).
REVIEW_QUERY = (
    '(acupuncture[tiab] OR acupuncture therapy[mh] OR electroacupuncture[tiab] OR "dry needling"[tiab]) '
    'AND ("tension-type headache"[tiab] OR tension-type headache[mh] OR "tension headache"[tiab] '
    'OR "neck pain"[tiab] OR neck pain[mh] OR whiplash[tiab] OR "chronic pain"[tiab])'
)


def review_pmids(settings: Settings | None = None) -> list[str]:
    """The PMIDs the review starts from in replay: the snapshot's assembled PMID list.

    The seed snapshot holds no recorded search (none may be made up), so a
    replay run starts from the PMIDs whose efetch answer was assembled.
    """
    settings = settings or load_settings()
    return PubMed(settings).snapshot.seed_pmids()


def load_records(pmids=None, *, settings: Settings | None = None, progress: str = "auto"):
    """Fetch (or replay) the records and return the tidy records table.

    Parameters
    ----------
    pmids : iterable of PMIDs or SearchResult, optional
        What to fetch; the snapshot's seed PMIDs when omitted.
    settings : Settings, optional
        Mode and folders; from the environment when omitted.
    progress : {"auto", "on", "off"}
        Progress bar for multi-batch fetches.

    Returns
    -------
    pandas.DataFrame
        One row per record (see :data:`evidence.records.COLUMNS`), with
        ``abstract_complete`` and ``authors_complete`` from the snapshot's
        ``provenance.csv``.
    """
    settings = settings or load_settings()
    client = PubMed(settings, progress=progress)
    if pmids is None:
        pmids = client.snapshot.seed_pmids()
    bodies = client.fetch(pmids)
    frame = parse_records(bodies)
    provenance = settings.snapshot_dir / "provenance.csv"
    return attach_provenance(frame, provenance if provenance.exists() else None)


def search_strategy(*, settings: Settings | None = None):
    """The searches of the review: the main query and each claim's query.

    Returns
    -------
    DataFrame
        name, term.
    """
    settings = settings or load_settings()
    rows = [{"name": "review", "term": REVIEW_QUERY}]
    rows += [{"name": f"claim:{c.id}", "term": c.query} for c in load_claims(settings)]
    return pd.DataFrame(rows, columns=["name", "term"])


def search_log(*, mindate: str | None = None, maxdate: str | None = None,
               settings: Settings | None = None):
    """Run (or replay) every search of the strategy and say what each found.

    In replay a search that was never recorded is reported as such (with
    the command that records it) instead of failing the whole log; in the
    live modes the searches go to NCBI (and are stored in record mode).

    Returns
    -------
    DataFrame
        name, term, status (``found``, ``not recorded``), count, pmids returned,
        query translation.
    """
    settings = settings or load_settings()
    client = PubMed(settings, progress="off")
    rows = []
    for item in search_strategy(settings=settings).itertuples():
        try:
            result = client.search(item.term, mindate=mindate, maxdate=maxdate)
        except ReplayMissError:
            rows.append({"name": item.name, "term": item.term, "status": "not recorded",
                         "count": pd.NA, "pmids": pd.NA, "translation": ""})
            continue
        rows.append({"name": item.name, "term": item.term, "status": "found", "count": result.count,
                     "pmids": len(result.pmids), "translation": result.query_translation})
    frame = pd.DataFrame(rows, columns=["name", "term", "status", "count", "pmids", "translation"])
    return frame.astype({"count": "Int64", "pmids": "Int64"})


# ----------------------------------------------------------------------------------------------
# the issue-9 tables: studies, risk of bias, null results, MIDs, summary of findings


def _data_file(settings: Settings, name: str, what: str) -> Path:
    path = settings.data_dir / name
    if not path.is_file():
        raise DataError(f"{path}: no such file; it holds {what} (see data/README files)")
    return path


def load_studies(settings: Settings | None = None, *, check_snapshot: bool = True):
    """The study table ``data/studies.csv`` (:func:`evidence.studies.parse_studies`).

    With ``check_snapshot`` every PMID of the snapshot must have a row.
    """
    settings = settings or load_settings()
    path = _data_file(settings, "studies.csv", "the study of each record")
    pmids = snapshot_pmids(settings.snapshot_dir) if check_snapshot else None
    return parse_studies(read_csv_rows(path, expected=STUDY_COLUMNS), path=str(path),
                         pmids=pmids)


def load_rob(settings: Settings | None = None, *, studies=None):
    """The RoB 2 table ``data/risk_of_bias.csv`` (:func:`evidence.rob.parse_rob`)."""
    settings = settings or load_settings()
    path = _data_file(settings, "risk_of_bias.csv", "the RoB 2 judgements")
    ids = set(studies["study_id"]) if studies is not None else None
    return parse_rob(read_csv_rows(path, expected=ROB_COLUMNS), path=str(path), study_ids=ids)


def load_null_results(settings: Settings | None = None):
    """``data/null_results.csv`` (:func:`evidence.extraction.parse_null_results`)."""
    settings = settings or load_settings()
    path = _data_file(settings, "null_results.csv", "results reported without usable numbers")
    return parse_null_results(read_csv_rows(path, expected=NULL_COLUMNS), path=str(path),
                              pmids=snapshot_pmids(settings.snapshot_dir))


def load_mids(settings: Settings | None = None, *, outcomes=None):
    """``data/mids.csv`` (:func:`evidence.grade.parse_mids`); with ``outcomes`` (the extraction
    table's outcome codes) a MID for an unknown outcome is refused."""
    settings = settings or load_settings()
    path = _data_file(settings, "mids.csv", "the minimal important differences")
    return parse_mids(read_csv_rows(path, expected=MID_COLUMNS), path=str(path), outcomes=outcomes)


def load_labels(settings: Settings | None = None) -> pd.DataFrame:
    """``data/labels.csv``, checked (:func:`evidence.designs.load_labels`): pmid, design,
    condition, comparator (``""`` when empty), reason, as strings."""
    settings = settings or load_settings()
    return designs.load_labels(_data_file(settings, "labels.csv", "the hand labels"))


def load_effects(settings: Settings | None = None) -> pd.DataFrame:
    """``data/effects.csv``, checked against the snapshot's PMIDs
    (:func:`evidence.extraction.read_effects_table`)."""
    settings = settings or load_settings()
    path = _data_file(settings, "effects.csv", "the extracted effects")
    return read_effects_table(path, pmids=snapshot_pmids(settings.snapshot_dir))


def load_claims(settings: Settings | None = None, *, article=None) -> tuple[Claim, ...]:
    """``data/claims.yaml`` (:func:`evidence.claims.load_claims`)."""
    settings = settings or load_settings()
    return parse_claims(_data_file(settings, "claims.yaml", "the article's claims"), article=article)


def load_criteria(settings: Settings | None = None) -> screening.Criteria:
    """``data/eligibility.yaml`` (:func:`evidence.screening.load_criteria`)."""
    settings = settings or load_settings()
    return screening.load_criteria(_data_file(settings, "eligibility.yaml", "the eligibility criteria"))


def load_sessions(settings: Settings | None = None) -> dict[str, int]:
    """``data/sessions.csv`` as {pmid: planned sessions} (:func:`evidence.claims.load_sessions`);
    empty when the file is absent."""
    settings = settings or load_settings()
    path = settings.data_dir / "sessions.csv"
    return parse_sessions(path) if path.exists() else {}


def load_effect_statements(settings: Settings | None = None) -> pd.DataFrame:
    """``data/effect_statements.csv``, the miner's gold standard (:func:`evidence.miner.read_gold`)."""
    settings = settings or load_settings()
    return read_gold(_data_file(settings, "effect_statements.csv", "the hand-checked effect statements"))


def load_sof(settings: Settings | None = None, *, effects: pd.DataFrame | None = None,
             labels: pd.DataFrame | None = None) -> SummaryOfFindings:
    """The summary-of-findings table from the data files (:func:`evidence.grade.
    summary_of_findings`): effects, studies, risk of bias, null results, MIDs and labels."""
    settings = settings or load_settings()
    effects = effects if effects is not None else load_effects(settings)
    labels = labels if labels is not None else load_labels(settings)
    studies = load_studies(settings)
    return summary_of_findings(effects, studies, load_rob(settings, studies=studies),
                               load_null_results(settings),
                               load_mids(settings, outcomes=set(effects["outcome"])),
                               labels=labels)


def check_claims(settings: Settings | None = None, *, records: pd.DataFrame | None = None,
                 sof: SummaryOfFindings | None = None,
                 labels: pd.DataFrame | None = None) -> ClaimsReport:
    """The whole check in the current mode: records, designs, summary of findings, claims → verdicts
    (:func:`evidence.claims.assess_claims`)."""
    settings = settings or load_settings()
    records = records if records is not None else load_records(settings=settings)
    labels = labels if labels is not None else _labels_if_present(settings)
    studies = study_table(records, labels=labels)
    sof = sof if sof is not None else load_sof(settings, labels=labels)
    return assess_claims(records, studies, sof, load_claims(settings),
                         sessions=load_sessions(settings))


def _labels_if_present(settings: Settings) -> pd.DataFrame | None:
    return load_labels(settings) if (settings.data_dir / "labels.csv").exists() else None


# ----------------------------------------------------------------------------------------------
# the whole chain, once


@dataclass(frozen=True)
class Review:
    """Every step of the review, computed once by :func:`build_review`.

    Attributes
    ----------
    settings : Settings
    records : DataFrame
        The records table (:func:`load_records`).
    classified : DataFrame
        Design, condition and comparator of each record (:func:`evidence.designs.classify`).
    labels : DataFrame
        The hand labels (:func:`load_labels`).
    deduplication : evidence.screening.Deduplication
    screening : evidence.screening.Screening
    prisma : evidence.screening.PrismaCounts
    effects : DataFrame
        The extraction table (:func:`load_effects`).
    analyses : tuple of evidence.analyses.Analysis
        One per review question (:func:`evidence.analyses.review_analyses`).
    comparison : DataFrame
        Our pools beside the systematic reviews' (:func:`evidence.analyses.compare_with_reviews`).
    sof : evidence.grade.SummaryOfFindings
    claims : evidence.claims.ClaimsReport
        The verdicts.
    """

    settings: Settings
    records: pd.DataFrame
    classified: pd.DataFrame
    labels: pd.DataFrame
    deduplication: screening.Deduplication
    screening: screening.Screening
    prisma: screening.PrismaCounts
    effects: pd.DataFrame
    analyses: tuple
    comparison: pd.DataFrame
    sof: SummaryOfFindings
    claims: ClaimsReport

    def summary_frame(self) -> pd.DataFrame:
        """How much each step holds: records, included, effect rows, pooled analyses, claims."""
        rows = [("records", len(self.records)),
                ("records included", len(self.screening.included)),
                ("effect rows", len(self.effects)),
                ("analyses pooled", sum(1 for a in self.analyses if a.k >= 2)),
                ("claims", len(self.claims.summary_frame()))]
        return pd.DataFrame(rows, columns=["step", "n"]).set_index("step")


def build_review(settings: Settings | None = None, *, records: pd.DataFrame | None = None,
                 progress: str = "off") -> Review:
    """Run the review's chain once: records → designs → screening → PRISMA → effects →
    analyses → summary of findings → claims.

    Parameters
    ----------
    settings : Settings, optional
        From the environment when omitted.
    records : DataFrame, optional
        The records table; :func:`load_records` when omitted.
    progress : {"auto", "on", "off"}
        Progress bar of the fetch.

    Returns
    -------
    Review
    """
    settings = settings or load_settings()
    records = records if records is not None else load_records(settings=settings, progress=progress)
    classified = designs.classify(records)
    labels = load_labels(settings)
    dedup = screening.deduplicate([("snapshot", records)])
    screened = screening.screen(dedup.records, classified=classified, criteria=load_criteria(settings))
    counts = screening.prisma_counts(dedup, screened, source_label=screening.SNAPSHOT_SOURCE_LABEL)
    effects = load_effects(settings)
    results = tuple(analyses.review_analyses(effects))
    comparison = analyses.compare_with_reviews(list(results), effects, records=records, labels=labels)
    sof = load_sof(settings, effects=effects, labels=labels)
    report = check_claims(settings, records=records, sof=sof, labels=labels)
    return Review(settings=settings, records=records, classified=classified, labels=labels,
                  deduplication=dedup, screening=screened, prisma=counts, effects=effects,
                  analyses=results, comparison=comparison, sof=sof, claims=report)


# ----------------------------------------------------------------------------------------------
# reference-list check


def check_reference_file(path: str | os.PathLike, *, fmt: str = "table",
                         settings: Settings | None = None,
                         records: pd.DataFrame | None = None) -> tuple[str, list[CheckResult]]:
    """Check a reference file: the report in ``fmt`` and the results behind it.

    The records come from the snapshot (read in replay whatever the mode, so
    this step never opens a socket); in the live modes, references the
    snapshot lacks are looked up through E-utilities
    (:func:`evidence.citecheck.default_resolver`). ``--strict`` decides on
    the results (any status in :data:`evidence.citecheck.STRICT_FAILURES`).
    """
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"fmt (--format) must be one of {', '.join(OUTPUT_FORMATS)}, got {fmt!r}")
    settings = settings or load_settings()
    if records is None:
        records = load_records(settings=replace(settings, mode="replay"), progress="off")
    results = check_references(path, records=records, resolver=default_resolver(settings))
    if fmt == "json":
        return format_json(results), results
    if fmt == "csv":
        return format_csv(results), results
    return format_table(results), results


def cite_check_file(path: str | os.PathLike, *, fmt: str = "table", settings: Settings | None = None,
                    records: pd.DataFrame | None = None) -> str:
    """``evidence cite-check FILE [--format json|csv|table]``: check a file, return the report.

    Parameters
    ----------
    path : str or path-like
        The reference list, one reference a line.
    fmt : {"table", "csv", "json"}
    settings : Settings, optional
        Mode and snapshot; from the environment when omitted. In replay mode
        the check uses the snapshot only; in the live modes, references the
        snapshot lacks are looked up through E-utilities.
    records : DataFrame, optional
        Records to resolve against instead of the snapshot's.

    Returns
    -------
    str
        The report, ending with a newline.

    Raises
    ------
    ValueError
        An unknown ``fmt``.
    DataError
        The file cannot be read.
    """
    return check_reference_file(path, fmt=fmt, settings=settings, records=records)[0]

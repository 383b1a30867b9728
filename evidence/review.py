"""The review's steps, one call each, shared by the notebooks and the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import read_csv_rows
from .errors import DataError
from .extraction import (NULL_COLUMNS, parse_null_results, read_effects_table,
                         snapshot_pmids)
from .grade import MID_COLUMNS, SummaryOfFindings, parse_mids, summary_of_findings
from .pubmed import PubMed
from .records import attach_provenance, parse_records
from .rob import COLUMNS as ROB_COLUMNS
from .rob import parse_rob
from .settings import Settings, load_settings
from .studies import COLUMNS as STUDY_COLUMNS
from .studies import parse_studies

__all__ = ["REVIEW_QUERY", "review_pmids", "load_records", "search_strategy", "search_log",
           "load_studies", "load_rob", "load_null_results", "load_mids", "load_labels",
           "load_sof"]

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
    import pandas as pd

    from .claims import load_claims

    settings = settings or load_settings()
    rows = [{"name": "review", "term": REVIEW_QUERY}]
    rows += [{"name": f"claim:{c.id}", "term": c.query}
             for c in load_claims(settings.data_dir / "claims.yaml")]
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
    import pandas as pd

    from .errors import ReplayMissError

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


def load_mids(settings: Settings | None = None):
    """``data/mids.csv`` (:func:`evidence.grade.parse_mids`)."""
    settings = settings or load_settings()
    path = _data_file(settings, "mids.csv", "the minimal important differences")
    return parse_mids(read_csv_rows(path, expected=MID_COLUMNS), path=str(path))


def load_labels(settings: Settings | None = None):
    """``data/labels.csv`` as strings (pmid, design, condition, comparator, reason)."""
    settings = settings or load_settings()
    path = _data_file(settings, "labels.csv", "the hand labels")
    rows = read_csv_rows(path, expected=("pmid", "design", "condition"))
    header = [h.strip() for h in rows[0]]
    return pd.DataFrame([r for r in rows[1:] if any(c.strip() for c in r)],
                        columns=header).astype(str)


def load_sof(settings: Settings | None = None) -> SummaryOfFindings:
    """The summary-of-findings table from the data files (:func:`evidence.grade.
    summary_of_findings`): effects, studies, risk of bias, null results, MIDs and labels."""
    settings = settings or load_settings()
    effects = read_effects_table(settings.data_dir / "effects.csv",
                                 pmids=snapshot_pmids(settings.snapshot_dir))
    studies = load_studies(settings)
    return summary_of_findings(effects, studies, load_rob(settings, studies=studies),
                               load_null_results(settings), load_mids(settings),
                               labels=load_labels(settings))

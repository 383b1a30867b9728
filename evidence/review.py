"""The review's steps, one call each, shared by the notebooks and the CLI."""

from __future__ import annotations

from .pubmed import PubMed
from .records import attach_provenance, parse_records
from .settings import Settings, load_settings

__all__ = ["REVIEW_QUERY", "review_pmids", "load_records", "search_strategy", "search_log"]

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

"""The review's steps, one call each, shared by the notebooks and the CLI."""

from __future__ import annotations

from .pubmed import PubMed
from .records import attach_provenance, parse_records
from .settings import Settings, load_settings

__all__ = ["review_pmids", "load_records"]


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

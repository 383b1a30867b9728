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

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import designs, screening
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
from .miner import mine_records, miner_agreement, read_gold
from .plan import AnalysisPlan, parse_plan
from .pooled import PooledRows, compare_with_reviews, pooled_rows
from .pubmed import PubMed
from .records import attach_provenance, parse_records
from .rob import COLUMNS as ROB_COLUMNS
from .rob import parse_rob
from .settings import Settings, load_settings
from .snapshot import Snapshot
from .studies import COLUMNS as STUDY_COLUMNS
from .studies import parse_studies
from .triage import TriageQueue, annotate_claims, drop_retracted, triage_queue
from .update import imported_only_pmids, with_imports

__all__ = ["REVIEW_QUERY", "review_pmids", "load_records", "search_strategy", "search_log",
           "load_claims", "load_criteria", "load_effects", "load_effect_statements", "load_sessions",
           "load_studies", "load_rob", "load_null_results", "load_mids", "load_labels",
           "load_sof", "load_plan", "check_claims", "Review", "build_review", "check_reference_file",
           "cite_check_file", "copy_review", "export_pubmed_text", "load_queue", "write_suggested_effects"]

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
    # records imported with `evidence update` join the table (the newest version of a record wins)
    frame = with_imports(parse_records(bodies), client.snapshot)
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
    if pmids is not None:  # imported records wait in the triage queue for their study row
        pmids -= imported_only_pmids(Snapshot(settings.snapshot_dir))
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


def load_plan(settings: Settings | None = None, *, effects: pd.DataFrame | None = None,
              null_results: pd.DataFrame | None = None) -> AnalysisPlan:
    """``data/analysis_plan.yaml`` (:func:`evidence.plan.parse_plan`), checked against the
    outcome codes of the extraction tables (every code must be placed)."""
    settings = settings or load_settings()
    path = _data_file(settings, "analysis_plan.yaml", "the analysis plan (domains, windows)")
    effects = effects if effects is not None else load_effects(settings)
    nulls = null_results if null_results is not None else load_null_results(settings)
    outcomes = set(effects["outcome"].astype(str)) | set(nulls["outcome"].astype(str))
    if path.stat().st_size > 1_000_000:
        raise DataError(f"{path}: file: larger than 1000000 bytes")
    return parse_plan(path.read_text(encoding="utf-8"), path=str(path), outcomes=outcomes)


def load_sof(settings: Settings | None = None, *, effects: pd.DataFrame | None = None,
             labels: pd.DataFrame | None = None, records: pd.DataFrame | None = None,
             null_results: pd.DataFrame | None = None) -> SummaryOfFindings:
    """The summary-of-findings table from the data files (:func:`evidence.grade.
    summary_of_findings`): effects, studies, risk of bias, null results, MIDs, labels and the
    analysis plan (domains x windows, one result per study, sensitivity analyses).

    With ``records``, studies whose main report is retracted are left out first
    (:func:`evidence.triage.drop_retracted`)."""
    settings = settings or load_settings()
    effects = effects if effects is not None else load_effects(settings)
    labels = labels if labels is not None else load_labels(settings)
    studies = load_studies(settings)
    null_results = null_results if null_results is not None else load_null_results(settings)
    plan = load_plan(settings, effects=effects, null_results=null_results)
    if records is not None:
        effects, null_results, _ = drop_retracted(records, effects, null_results, studies, labels=labels)
    return summary_of_findings(effects, studies, load_rob(settings, studies=studies),
                               null_results, load_mids(settings, outcomes=set(effects["outcome"])),
                               labels=labels, plan=plan)


def check_claims(settings: Settings | None = None, *, records: pd.DataFrame | None = None,
                 sof: SummaryOfFindings | None = None,
                 labels: pd.DataFrame | None = None, queue: TriageQueue | None = None,
                 warnings: tuple | None = None) -> ClaimsReport:
    """The whole check in the current mode: records, designs, summary of findings, claims → verdicts
    (:func:`evidence.claims.assess_claims`).

    Retracted records are not cited and their studies leave the summary of
    findings; each verdict carries ``pending_studies`` (the triage queue's
    studies that touch its question) and the retraction ``warnings`` that
    reach it (:func:`evidence.triage.annotate_claims`)."""
    settings = settings or load_settings()
    records = records if records is not None else load_records(settings=settings)
    labels = labels if labels is not None else _labels_if_present(settings)
    sof = sof if sof is not None else load_sof(settings, labels=labels, records=records)
    if warnings is None:
        studies_csv = load_studies(settings)
        warnings = drop_retracted(records, load_effects(settings), load_null_results(settings),
                                  studies_csv, labels=labels)[2]
    if queue is None:
        queue = load_queue(settings, records=records)
    cited = records[~records["pmid"].isin(_retracted(records))] if len(records) else records
    claims = load_claims(settings)
    report = assess_claims(cited, study_table(cited, labels=labels), sof, claims,
                           sessions=load_sessions(settings))
    return annotate_claims(report, claims, queue, warnings)


def _retracted(records: pd.DataFrame) -> set[str]:
    if "retracted" not in records:
        return set()
    return set(records.loc[records["retracted"].fillna(False).astype(bool), "pmid"])


def load_queue(settings: Settings | None = None, *, records: pd.DataFrame | None = None,
               screened: screening.Screening | None = None) -> TriageQueue:
    """The triage queue (:func:`evidence.triage.triage_queue`): included records without a row in
    ``studies.csv``, with the miner's suggested extraction rows. The miner's confidence is its
    precision on ``data/effect_statements.csv`` (none when that file is absent)."""
    settings = settings or load_settings()
    records = records if records is not None else load_records(settings=settings)
    if screened is None:
        dedup = screening.deduplicate([("snapshot", records)])
        screened = screening.screen(dedup.records, classified=designs.classify(dedup.records),
                                    criteria=load_criteria(settings))
    confidence = None
    if (settings.data_dir / "effect_statements.csv").exists() and len(records):
        confidence = miner_agreement(mine_records(records), load_effect_statements(settings)).precision
    return triage_queue(screened.included, load_studies(settings, check_snapshot=False), records,
                        confidence=confidence)


def write_suggested_effects(queue: TriageQueue, settings: Settings | None = None) -> Path:
    """Write ``data/suggested_effects.csv`` (atomically): the queue's suggested extraction rows.
    Never read back into pools or verdicts."""
    from .snapshot import atomic_write
    from .triage import suggested_csv

    settings = settings or load_settings()
    path = settings.data_dir / "suggested_effects.csv"
    atomic_write(path, suggested_csv(queue.suggestions).encode("utf-8"))
    return path


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
    pooled : evidence.pooled.PooledRows
        The analysis plan's pooled rows: the SoF rows that combine two or more studies
        (:func:`evidence.pooled.pooled_rows`).
    comparison : DataFrame
        Those rows beside the systematic reviews' own results
        (:func:`evidence.pooled.compare_with_reviews`).
    sof : evidence.grade.SummaryOfFindings
        Built with the analysis plan (:func:`load_sof`).
    claims : evidence.claims.ClaimsReport
        The verdicts (each with ``pending_studies`` and ``warnings``).
    queue : evidence.triage.TriageQueue
        Included records without a study row, with suggested extraction rows.
    warnings : tuple of evidence.triage.RetractionWarning
        Studies left out because their main report is retracted (``effects`` is without them).
    """

    settings: Settings
    records: pd.DataFrame
    classified: pd.DataFrame
    labels: pd.DataFrame
    deduplication: screening.Deduplication
    screening: screening.Screening
    prisma: screening.PrismaCounts
    effects: pd.DataFrame
    pooled: PooledRows
    comparison: pd.DataFrame
    sof: SummaryOfFindings
    claims: ClaimsReport
    queue: TriageQueue | None = None
    warnings: tuple = ()

    def summary_frame(self) -> pd.DataFrame:
        """How much each step holds: records, included, effect rows, pooled analyses (the
        analysis plan's rows that combine two or more studies), claims."""
        rows = [("records", len(self.records)),
                ("records included", len(self.screening.included)),
                ("effect rows", len(self.effects)),
                ("analyses pooled", len(self.pooled)),
                ("claims", len(self.claims.summary_frame()))]
        return pd.DataFrame(rows, columns=["step", "n"]).set_index("step")


def build_review(settings: Settings | None = None, *, records: pd.DataFrame | None = None,
                 progress: str = "off") -> Review:
    """Run the review's chain once: records → designs → screening → PRISMA → effects →
    summary of findings (the analysis plan's pools) → claims.

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
    studies = load_studies(settings)
    # a study whose main report is retracted leaves every pool, SoF row and verdict (triage.py)
    effects, nulls, warnings = drop_retracted(records, load_effects(settings), load_null_results(settings),
                                              studies, labels=labels)
    sof = load_sof(settings, effects=effects, labels=labels, null_results=nulls)
    plan = load_plan(settings, effects=effects, null_results=nulls)
    comparison = compare_with_reviews(sof, effects, records=records, labels=labels, plan=plan)
    queue = load_queue(settings, records=records, screened=screened)
    report = check_claims(settings, records=records, sof=sof, labels=labels, queue=queue, warnings=warnings)
    return Review(settings=settings, records=records, classified=classified, labels=labels,
                  deduplication=dedup, screening=screened, prisma=counts, effects=effects,
                  pooled=pooled_rows(sof), comparison=comparison, sof=sof, claims=report, queue=queue,
                  warnings=warnings)


# ----------------------------------------------------------------------------------------------
# living review: a copy of the review without some records (to rehearse an update)


def copy_review(dest: str | os.PathLike, *, without=(), settings: Settings | None = None) -> Settings:
    """Copy the snapshot and the data folder to ``dest``, leaving out the records ``without``.

    The copy is what the review looked like before those records were
    published: each recorded XML answer loses their bytes (its manifest
    entry's ``id``, ``sha256`` and ``records`` follow), and ``studies.csv``
    loses their rows. Records that have extracted effects, null results or
    risk-of-bias judgements cannot be left out (the copy would cite records
    it lacks). The original folders are only read.

    Returns
    -------
    Settings
        Replay settings pointing at ``dest/data`` and ``dest/data/pubmed``.
    """
    import csv
    import io
    import json
    import shutil

    from ._xml import record_spans
    from .snapshot import MANIFEST, atomic_write

    settings = settings or load_settings()
    drop = {str(p) for p in without}
    studies = load_studies(settings)
    blocked = set(load_effects(settings)["pmid"].astype(str)) | set(load_null_results(settings)["pmid"].astype(str))
    rob_ids = set(load_rob(settings, studies=studies)["study_id"])
    blocked |= {p for p, s in zip(studies["pmid"], studies["study_id"]) if s in rob_ids}
    if drop & blocked:
        raise DataError(f"copy_review: PMID(s) {', '.join(sorted(drop & blocked, key=int))} have extracted "
                        "effects, null results or RoB judgements; leave out records without them")
    dest = Path(dest)
    data, snap = dest / "data", dest / "data" / "pubmed"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("pubmed", ".*"))
    shutil.copytree(settings.snapshot_dir, snap, ignore=shutil.ignore_patterns(".*"))
    manifest = json.loads((snap / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["entries"].values():
        ids = [p for p in entry["parameters"].get("id", "").split(",") if p]
        if entry["utility"] != "efetch" or not drop & set(ids) or entry["parameters"].get("retmode") == "text":
            continue
        body = (snap / entry["file"]).read_bytes()
        kept, last = [], 0
        for pmid, start, end in record_spans(body, name=entry["file"]):
            if pmid in drop:
                kept.append(body[last:start])
                last = end
                while body[last:last + 1] in (b"\n", b"\r", b" "):
                    last += 1  # the line break after the record goes with it
        body = b"".join(kept) + body[last:]
        atomic_write(snap / entry["file"], body)
        entry["parameters"]["id"] = ",".join(p for p in ids if p not in drop)
        entry["records"] = len(ids) - len(drop & set(ids))
        entry["sha256"] = hashlib.sha256(body).hexdigest()
    atomic_write(snap / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    rows = read_csv_rows(data / "studies.csv", expected=STUDY_COLUMNS)
    out = io.StringIO()
    pmid_at = rows[0].index("pmid")
    csv.writer(out, lineterminator="\n").writerows(r for r in rows if not r or len(r) <= pmid_at
                                                   or r[pmid_at].strip() not in drop)
    atomic_write(data / "studies.csv", out.getvalue().encode("utf-8"))
    return Settings(mode="replay", snapshot_dir=snap, data_dir=data)


def export_pubmed_text(pmids, path: str | os.PathLike, *, settings: Settings | None = None) -> Path:
    """Write the snapshot's records ``pmids`` to ``path`` in the PubMed text format
    (:func:`evidence.medline.to_medline`), as a user would save them from PubMed (replay: no network)."""
    from .medline import to_medline
    from .snapshot import atomic_write

    settings = settings or load_settings()
    records = load_records(settings=replace(settings, mode="replay"))
    wanted = [str(p) for p in pmids]
    missing = sorted(set(wanted) - set(records["pmid"]))
    if missing:
        raise DataError(f"export_pubmed_text: the snapshot holds no record of PMID {', '.join(missing)}")
    rows = records.set_index("pmid").loc[wanted].reset_index()
    path = Path(path)
    atomic_write(path, to_medline(rows))
    return path


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

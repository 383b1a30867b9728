"""Living review: bring new PubMed records into the snapshot without touching what is there.

``evidence update --file FILE`` imports a file saved from the PubMed website,
in the "PubMed" text format (MEDLINE tags, :mod:`evidence.medline`) or as
PubMed XML (:mod:`evidence.records`). The file is stored as received under
``import/<sha256>.txt|xml`` in the snapshot, as a NEW manifest entry
(utility ``efetch``, origin ``import``, the date, its sha256 and PMIDs); the
existing entries and files are never rewritten (:meth:`evidence.snapshot.
Snapshot.put_import`). Importing the same file again adds nothing.

Each record of the file is compared with what the snapshot holds:

- ``new``: a PMID the snapshot lacked;
- ``changed``: a PMID it holds whose title, abstract or publication types
  differ (whitespace aside: the text format runs a structured abstract's
  sections into one paragraph);
- ``unchanged``: held and the same.

A record is flagged ``retracted`` when it carries the publication type
"Retracted Publication", a retraction link (``RetractionIn`` in XML, ``RIN``
in the text format), or when a retraction notice in the file names it
(``RetractionOf``/``ROF``): Cochrane Handbook v6.4 section 4.4.6 and MECIR C48
(examine retraction statements; retracted reports do not enter the synthesis).

:func:`with_imports` lays the imported records over a records table (the
newest version of a record wins), which is how the review's records table
(:func:`evidence.review.load_records`) includes them.

References
----------
Elliott JH, Synnot A, Turner T, et al. Living systematic review: 1. Introduction - the
why, what, when, and how. J Clin Epidemiol. 2017;91:23-30.
Lefebvre C, Glanville J, Briscoe S, et al. Chapter 4: Searching for and selecting studies.
In: Higgins JPT, et al., eds. Cochrane Handbook for Systematic Reviews of Interventions
version 6.4. Cochrane; 2023 (section 4.4.6, retracted publications).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._xml import iter_elements
from .errors import ParseError
from .medline import looks_like_medline, parse_medline_with_notices
from .records import parse_records
from .snapshot import Entry, Snapshot

__all__ = ["IMPORT_ORIGINS", "STATUSES", "ImportResult", "detect_format", "parse_import",
           "record_fingerprint", "snapshot_records", "with_imports", "imported_only_pmids",
           "import_file", "import_bytes", "SearchRerun", "LiveUpdate", "recorded_searches", "live_update"]

#: Origins of manifest entries that add records after the review's seed (the import and live updates).
IMPORT_ORIGINS = ("import", "update")
STATUSES = ("new", "changed", "unchanged")
#: The record fields whose change makes a held record ``changed``.
COMPARED = ("title", "abstract", "publication_types")


def detect_format(body: bytes, *, name: str = "<file>") -> str:
    """``"medline"`` (PubMed text format) or ``"xml"`` (PubMed XML); else a one-line ParseError."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if looks_like_medline(body):
        return "medline"
    if head.startswith(b"<?xml") or head.startswith(b"<!DOCTYPE") or head.startswith(b"<PubmedArticleSet"):
        return "xml"
    if not head:
        raise ParseError(f"{name}: the file is empty; expected the PubMed text format or PubMed XML")
    raise ParseError(f"{name}: neither the PubMed text format (first line 'PMID- ...') nor PubMed XML "
                     "(<PubmedArticleSet>); save the records from PubMed with Format: PubMed")


def _xml_retraction_targets(body: bytes, name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for _root, elem in iter_elements(body, {"PubmedArticle"}):
        if elem is None:
            continue
        pmid = (elem.findtext("MedlineCitation/PMID") or "").strip()
        targets = [(c.findtext("PMID") or "").strip()
                   for c in elem.iterfind("MedlineCitation/CommentsCorrectionsList/CommentsCorrections")
                   if c.get("RefType") == "RetractionOf"]
        targets = [t for t in targets if t.isdigit()]
        if pmid and targets:
            out[pmid] = targets
        elem.clear()
    return out


def parse_import(body: bytes, *, name: str = "<file>") -> tuple[str, pd.DataFrame, dict[str, list[str]]]:
    """Parse an import file: (format, records table, retraction notice PMID → PMIDs it retracts).

    Raises
    ------
    ParseError
        Neither format; a record without PMID; a PMID twice with different
        content (twice at all, in XML); a truncated file; no records.
    """
    fmt = detect_format(body, name=name)
    if fmt == "medline":
        return (fmt, *parse_medline_with_notices(body, name=name))
    try:
        frame = parse_records(body)
    except ParseError as exc:  # the XML parser names bytes generically: name the file instead
        text = str(exc)
        for generic in ("<efetch answer>", "<bytes>"):
            text = text.replace(generic, name)
        raise ParseError(text) from None
    if frame.empty:
        raise ParseError(f"{name}: no records in the PubMed XML file")
    return fmt, frame, _xml_retraction_targets(body, name)


def _norm(value) -> str:
    return " ".join(str(value if value is not None and value == value else "").split())


def record_fingerprint(row) -> str:
    """sha256 (first 16 hex digits) of a record's title, abstract and publication types,
    whitespace folded, so the same record in either format has the same fingerprint."""
    text = "\x1f".join(_norm(row[c]) for c in COMPARED)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _entry_frame(snapshot: Snapshot, entry: Entry) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    body = snapshot.read_entry(entry)
    name = str(snapshot.folder / entry.file)
    if entry.parameters.get("retmode") == "text":
        return parse_medline_with_notices(body, name=name)
    return parse_records(body), _xml_retraction_targets(body, name)


def _overlay(frame: pd.DataFrame, newer: list[pd.DataFrame], notices: dict[str, list[str]]) -> pd.DataFrame:
    """``frame`` with each newer table laid over it in order: a PMID's newest row wins, new PMIDs
    are appended; PMIDs named by a retraction notice are flagged ``retracted``."""
    parts = [frame] + [f for f in newer if not f.empty]
    if len(parts) > 1:
        combined = pd.concat(parts, ignore_index=True)
        order = list(dict.fromkeys(combined["pmid"]))
        combined = combined.drop_duplicates("pmid", keep="last").set_index("pmid").loc[order].reset_index()
        frame = combined[list(frame.columns)] if len(frame.columns) else combined
    targets = {t for ts in notices.values() for t in ts}
    if targets and not frame.empty:
        frame = frame.copy()
        frame["retracted"] = frame["retracted"].astype(bool) | frame["pmid"].isin(targets)
    return frame.reset_index(drop=True)


def with_imports(frame: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """The records table with the snapshot's imported records laid over it.

    Entries with origin ``import`` or ``update`` are read in manifest order;
    a record they hold replaces the row of the same PMID (the newest version
    wins: a later retraction counts) and records the table lacks are
    appended. Returns ``frame`` unchanged when there is nothing imported.
    """
    entries = [e for e in snapshot.entries() if e.utility == "efetch" and e.origin in IMPORT_ORIGINS]
    if not entries:
        return frame
    newer, notices = [], {}
    for entry in entries:
        part, found = _entry_frame(snapshot, entry)
        newer.append(part)
        notices.update(found)
    return _overlay(frame, newer, notices)


def snapshot_records(snapshot: Snapshot) -> pd.DataFrame:
    """Every record the snapshot holds, the newest version of each (manifest order)."""
    tables, notices = [], {}
    for entry in snapshot.entries():
        if entry.utility != "efetch":
            continue
        part, found = _entry_frame(snapshot, entry)
        tables.append(part)
        notices.update(found)
    if not tables:
        return parse_records(b'<?xml version="1.0"?><PubmedArticleSet></PubmedArticleSet>')
    return _overlay(tables[0], tables[1:], notices)


def imported_only_pmids(snapshot: Snapshot) -> set[str]:
    """PMIDs held only by imported or updated entries: new records not yet given a study row."""
    held, added = set(), set()
    for entry in snapshot.entries():
        if entry.utility != "efetch":
            continue
        ids = {p for p in entry.parameters.get("id", "").split(",") if p}
        (added if entry.origin in IMPORT_ORIGINS else held).update(ids)
    return added - held


@dataclass(frozen=True)
class ImportResult:
    """What an import brought: each record's status, retractions, and the manifest entry."""

    file: str
    sha256: str
    format: str
    rows: tuple[dict, ...]
    entry: Entry | None = None
    already_imported: bool = False
    notices: dict = field(default_factory=dict)

    def _pmids(self, status: str) -> tuple[str, ...]:
        return tuple(r["pmid"] for r in self.rows if r["status"] == status)

    @property
    def new(self) -> tuple[str, ...]:
        return self._pmids("new")

    @property
    def changed(self) -> tuple[str, ...]:
        return self._pmids("changed")

    @property
    def unchanged(self) -> tuple[str, ...]:
        return self._pmids("unchanged")

    @property
    def retracted(self) -> tuple[str, ...]:
        return tuple(r["pmid"] for r in self.rows if r["retracted"])

    def summary_frame(self) -> pd.DataFrame:
        """One row per record of the file: pmid, status, retracted, changed fields, title."""
        return pd.DataFrame(list(self.rows), columns=["pmid", "status", "retracted", "fields", "title"])

    def to_dict(self) -> dict:
        return {"file": self.file, "sha256": self.sha256, "format": self.format,
                "stored": None if self.entry is None else self.entry.file,
                "already_imported": self.already_imported,
                "new": list(self.new), "changed": list(self.changed), "unchanged": list(self.unchanged),
                "retracted": list(self.retracted), "records": [dict(r) for r in self.rows]}

    def message(self) -> str:
        """One line for the terminal."""
        if self.already_imported:
            return f"{self.file}: already imported (sha256 {self.sha256[:12]}...); nothing added"
        where = f"stored as {self.entry.file}" if self.entry is not None else "nothing new: not stored"
        retracted = f", {len(self.retracted)} retracted" if self.retracted else ""
        return (f"{self.file}: {len(self.rows)} records ({self.format}): {len(self.new)} new, "
                f"{len(self.changed)} changed, {len(self.unchanged)} unchanged{retracted}; {where}")


def import_bytes(snapshot: Snapshot, body: bytes, *, name: str = "<file>",
                 today: str | None = None) -> ImportResult:
    """Import a PubMed text or XML file's bytes into ``snapshot`` (see the module docstring).

    Parameters
    ----------
    snapshot : Snapshot
    body : bytes
        The file as received; stored unchanged.
    name : str
        The file's name, for messages and the manifest note (its folder is not stored).
    today : str, optional
        The import date (ISO, ``YYYY-MM-DD``); today (UTC) when omitted.

    Returns
    -------
    ImportResult

    Raises
    ------
    ParseError
        The file is refused (nothing is written).
    SnapshotError
        The snapshot is not writable or its manifest is broken (nothing is written).
    """
    digest = hashlib.sha256(body).hexdigest()
    entries = snapshot.entries()
    for entry in entries:  # checked first: a file already imported was read (and accepted) then
        if entry.origin == "import" and entry.parameters.get("import") == digest:
            fmt = "medline" if entry.parameters.get("retmode") == "text" else "xml"
            return ImportResult(file=name, sha256=digest, format=fmt, rows=(), entry=None,
                                already_imported=True)
    fmt, frame, notices = parse_import(body, name=name)
    held = snapshot_records(snapshot) if entries else None
    by_pmid = {} if held is None else {r["pmid"]: r for r in held.to_dict("records")}
    targets = {t for ts in notices.values() for t in ts}
    rows = []
    for row in frame.to_dict("records"):
        old = by_pmid.get(row["pmid"])
        if old is None:
            status, fields = "new", ""
        else:
            diff = [c for c in COMPARED if _norm(old[c]) != _norm(row[c])]
            status, fields = ("changed" if diff else "unchanged"), ", ".join(diff)
        rows.append({"pmid": row["pmid"], "status": status,
                     "retracted": bool(row["retracted"]) or row["pmid"] in targets,
                     "fields": fields, "title": _norm(row["title"])})
    for target in sorted(targets - set(frame["pmid"]), key=int):
        if target in by_pmid:  # a notice about a held record that the file does not carry itself
            rows.append({"pmid": target, "status": "unchanged", "retracted": True,
                         "fields": "retraction notice", "title": _norm(by_pmid[target]["title"])})
    entry = None
    if any(r["status"] != "unchanged" or r["retracted"] for r in rows):
        entry = snapshot.put_import(body, fmt=fmt, pmids=list(frame["pmid"]), sha256=digest,
                                    date=today or _dt.datetime.now(_dt.timezone.utc).date().isoformat(),
                                    name=Path(name).name)
    return ImportResult(file=name, sha256=digest, format=fmt, rows=tuple(rows), entry=entry,
                        notices=notices)


def import_file(snapshot: Snapshot, path: str | Path, *, today: str | None = None,
                max_bytes: int = 200 * 1024 * 1024) -> ImportResult:
    """Import the file at ``path`` (see :func:`import_bytes`); files over ``max_bytes`` are refused."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise ParseError(f"{path}: is a folder, not a PubMed file")
    if size > max_bytes:
        raise ParseError(f"{path}: {size:,} bytes is more than the {max_bytes:,} an import accepts; "
                         "split the file")
    snapshot.check_writable()  # before reading a large file: a read-only snapshot changes nothing
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot be read ({exc.strerror})") from None
    return import_bytes(snapshot, body, name=str(path), today=today)


# ----------------------------------------------------------------------------------------------
# live update: the recorded searches again, from the date of their last run


@dataclass(frozen=True)
class SearchRerun:
    """One recorded search run again from its last date (PubMed entry date, ``edat``)."""

    term: str
    mindate: str
    maxdate: str
    count: int
    new: tuple[str, ...]


@dataclass(frozen=True)
class LiveUpdate:
    """What a live update found and (in record mode) stored."""

    mode: str
    searches: tuple[SearchRerun, ...]
    stored: tuple[Entry, ...] = ()

    @property
    def new(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for s in self.searches for p in s.new))

    def summary_frame(self) -> pd.DataFrame:
        """One row per search: term, mindate, maxdate, found, new."""
        return pd.DataFrame([{"term": s.term, "mindate": s.mindate, "maxdate": s.maxdate, "found": s.count,
                              "new": len(s.new)} for s in self.searches],
                            columns=["term", "mindate", "maxdate", "found", "new"])

    def to_dict(self) -> dict:
        return {"mode": self.mode, "new": list(self.new),
                "searches": [{"term": s.term, "mindate": s.mindate, "maxdate": s.maxdate, "found": s.count,
                              "new": list(s.new)} for s in self.searches],
                "stored": [e.file for e in self.stored]}

    def message(self) -> str:
        where = f"; stored {len(self.stored)} new efetch answer(s)" if self.stored else (
            "; not stored (live mode)" if self.new and self.mode == "live" else "")
        return f"{len(self.searches)} recorded search(es) run again: {len(self.new)} new record(s){where}"


def recorded_searches(snapshot: Snapshot) -> list[tuple[str, str]]:
    """Each recorded search term with the date of its last run (``YYYY/MM/DD``, from ``retrieved_at``)."""
    last: dict[str, str] = {}
    for entry in snapshot.entries():
        term = entry.parameters.get("term")
        if entry.utility != "esearch" or not term:
            continue
        day = entry.retrieved_at[:10]
        try:
            _dt.date.fromisoformat(day)
        except ValueError:
            raise ParseError(f"{snapshot.manifest_path}: entry {entry.key}: retrieved_at "
                             f"{entry.retrieved_at!r} does not start with a date") from None
        last[term] = max(last.get(term, day), day)
    return [(term, day.replace("-", "/")) for term, day in last.items()]


def live_update(client, *, today: str | None = None, batch: int = 500) -> LiveUpdate:
    """Run each recorded search again from the date of its last run and fetch only the PMIDs the
    snapshot lacks.

    Parameters
    ----------
    client : evidence.pubmed.PubMed
        In ``record`` mode (answers stored: the searches as ordinary ``ncbi``
        entries, which date the next update; the new records as new ``efetch``
        entries with origin ``update``) or ``live`` mode (nothing written).
    today : str, optional
        The end of the date range (``YYYY/MM/DD``); today (UTC) when omitted.
    batch : int
        Records per efetch request.

    Notes
    -----
    The range is PubMed's entry date (``datetype=edat``) from the last run's
    date to today, both included, so a record that entered PubMed on the day
    of the last run is looked at again (and skipped when already held).
    Existing entries and files are never rewritten (:meth:`Snapshot.put`).
    """
    from dataclasses import replace as _replace

    from .errors import EvidenceError
    from .pubmed import ESEARCH_MAX, PubMed

    mode = client.settings.mode
    if mode == "replay":
        raise EvidenceError("update: re-running the recorded searches needs the network: set "
                            "EVIDENCE_MODE=record (stores the new records) or live (shows them only), "
                            "or import a file saved from PubMed with --file")
    snapshot = client.snapshot
    searches = recorded_searches(snapshot)
    if not searches:
        raise EvidenceError(f"update: the snapshot {snapshot.folder} holds no recorded search to run again; "
                            "record one (evidence fetch --term ...) or import a file with --file")
    today = today or _dt.datetime.now(_dt.timezone.utc).date().strftime("%Y/%m/%d")
    held = {p for e in snapshot.entries() if e.utility == "efetch"
            for p in e.parameters.get("id", "").split(",") if p}
    reruns, wanted = [], []
    live = PubMed(_replace(client.settings, mode="live"), max_tries=client.max_tries,
                  backoff=client.backoff, retry_sleep=client.retry_sleep, progress="off")
    for term, last in searches:
        params = {"db": "pubmed", "term": term, "retmax": ESEARCH_MAX, "usehistory": "y",
                  "datetype": "edat", "mindate": last, "maxdate": today}
        # the same search already recorded (a second update on one day): asked again without storing,
        # so the recorded answer stays as it is
        searcher = live if ("esearch", params) in snapshot else client
        result = searcher.search(term, mindate=last, maxdate=today, datetype="edat")
        new = tuple(p for p in result.pmids if p not in held and p not in wanted)
        wanted.extend(new)
        reruns.append(SearchRerun(term=term, mindate=last, maxdate=today, count=result.count, new=new))
    stored = []
    if wanted:
        # fetched without the client's own storing, so the entries carry origin "update"
        fetcher = live
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
        for start in range(0, len(wanted), batch):
            chunk = wanted[start:start + batch]
            body = fetcher.fetch(chunk, batch=len(chunk))[0]
            if mode == "record":
                stored.append(snapshot.put("efetch", {"db": "pubmed", "id": ",".join(chunk), "retmode": "xml"},
                                           body, origin="update", records=len(chunk), retrieved_at=now,
                                           note="evidence update: new since the recorded searches' last run"))
    return LiveUpdate(mode=mode, searches=tuple(reruns), stored=tuple(stored))

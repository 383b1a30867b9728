"""The PubMed client: the only module that imports ``Bio.Entrez``.

Two public verbs, :func:`search` and :func:`fetch`, and one door,
:meth:`PubMed._request`, through which every E-utilities request passes in
every mode:

``replay``
    the answer is read from the snapshot (checksum verified); nothing opens a
    socket, and a request the snapshot lacks raises :class:`ReplayMissError`
    naming the request and the command that records it. An efetch of PMIDs
    is answered from the stored records that hold them, whichever request
    recorded them, and checked and parsed like a live answer.
``record``
    the request (shaped by ``Bio.Entrez``, opened by the client itself with
    its timeouts and redirect rule) goes to NCBI; the answer is checked
    (well-formed XML, every PMID asked for present) and only then stored.
``live``
    as ``record``, without writing.

NCBI etiquette (https://www.ncbi.nlm.nih.gov/books/NBK25497/): ``tool`` and
``email`` go with every request, ``api_key`` when set; requests are spaced
so that no more than 3 (10 with a key) start in any one-second window;
network errors, 5xx, 429 and timeouts are retried with exponential backoff;
other 4xx answers are raised at once.

Bounded time and memory (the limits are module constants, documented in the
README): every request has a connect timeout (:data:`CONNECT_TIMEOUT`), a
timeout per read (:data:`READ_TIMEOUT`) and a deadline for the whole answer
(:data:`ANSWER_DEADLINE`, so a server that drips a byte at a time cannot hang
the client); an answer larger than :data:`MAX_ANSWER_BYTES` is refused before
it is stored. Redirects are followed only to the configured E-utilities host
(:data:`EUTILS_URL`: NCBI's own, over https); any other is refused.

Records are never lost silently: ESearch returns 20 IDs unless told
otherwise and never more than the first 10,000, so :func:`search` asks for
``retmax=10000`` and, when the count is larger, splits the query into
publication-date slices of at most 10,000 each; :func:`fetch` checks that
each batch holds exactly the PMIDs asked for and raises
:class:`IncompleteFetchError` listing the missing ones.

What answers are read into (PMIDs, dates, the ESearch answer, the result
types) is in :mod:`evidence.pubmed_parse`; how one request travels (rate
limit, timeouts, redirects, size) in :mod:`evidence.pubmed_transport`, which
only this module uses; both are re-exported here.
"""

from __future__ import annotations

import http.client
import math
import socket
import sys
import time
import warnings
from datetime import date, timedelta
from typing import Callable, Iterable, Mapping, Sequence
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from . import __version__
from .errors import (
    IncompleteFetchError,
    NCBIError,
    NCBIRequestError,
    NCBIUnavailableError,
    ParseError,
    RefusedInputError,
    SearchTermError,
    redact,
)
from .records import pmids_in
from .settings import Settings, load_settings
from .snapshot import MAX_FILE_BYTES, Snapshot, describe_request
# what an answer is read into, and how a request travels, live in their own modules (used by
# this one only: evidence.pubmed stays the one door to NCBI); re-exported here unchanged
from .pubmed_parse import (_DATE_FLOOR, _DATETYPES, _ESEARCH_TAGS, EvidenceWarning,  # noqa: F401
                           SearchResult, SearchSlice, _fmt, _is_pmid, _parse_date, _parse_esearch,
                           normalise_pmids)
from .pubmed_transport import (_THROTTLE, _HTTPConnection, _HTTPHandler,  # noqa: F401
                               _HTTPSConnection, _HTTPSHandler, _OffHostRedirect,
                               _SameHostRedirects, _Throttle, _TooLarge, _error_body, _opener,
                               _read_answer, _redact_bytes, _retry_after, _shown_url,
                               _with_read_timeout)

__all__ = [
    "ESEARCH_MAX",
    "EvidenceWarning",
    "SearchSlice",
    "SearchResult",
    "PubMed",
    "search",
    "fetch",
    "normalise_pmids",
]

#: PubMed's ESearch returns at most this many PMIDs of one result set. NCBI's
#: documentation says "the first 10,000"; the service itself refuses
#: ``retstart`` above 9998 ("For PubMed, ESearch can only retrieve the first
#: 9,999 records matching the query"), so slices are kept to 9,999.
ESEARCH_MAX = 9_999
TOOL = f"evidence-workbook/{__version__}"
#: Where requests go; redirects are followed only to this scheme and host.
EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
#: Seconds to open the connection (TCP and TLS).
CONNECT_TIMEOUT = 20.0
#: Seconds any one read of the answer may wait for data.
READ_TIMEOUT = 60.0
#: Seconds from sending the request to the last byte of the answer.
ANSWER_DEADLINE = 300.0
#: Largest answer accepted, in bytes (a 9,999-record efetch batch is about 40 MB); the
#: snapshot reads back stored answers up to the same size.
MAX_ANSWER_BYTES = MAX_FILE_BYTES
_CGI = {"esearch": "esearch.fcgi", "efetch": "efetch.fcgi", "ecitmatch": "ecitmatch.cgi"}


class PubMed:
    """A PubMed client in one of the three modes.

    Parameters
    ----------
    settings : Settings, optional
        Mode, e-mail, API key, snapshot folder; read from the environment when
        omitted (:func:`evidence.settings.load_settings`).
    max_tries : int
        Attempts per request in the live modes (first try included).
    backoff : float
        First retry wait in seconds; doubles each retry, capped at 60 s; a
        ``Retry-After`` header from NCBI wins when longer.
    retry_sleep : callable
        How to wait between retries (tests inject a recorder so they do not
        sleep for real). The rate limit always waits on the real clock.
    progress : {"auto", "on", "off"}
        Progress bar for multi-batch fetches: ``"auto"`` shows one when there
        is more than one batch.
    eutils_url : str, optional
        The E-utilities base URL (default :data:`EUTILS_URL`, NCBI's). Redirects
        are followed only to its scheme and host.
    connect_timeout, read_timeout, answer_deadline : float, optional
        Seconds; defaults :data:`CONNECT_TIMEOUT`, :data:`READ_TIMEOUT`,
        :data:`ANSWER_DEADLINE`. A timeout is a transient failure (retried).
    max_answer_bytes : int, optional
        Largest answer accepted (default :data:`MAX_ANSWER_BYTES`); a larger one
        is refused, not retried, and never stored.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        max_tries: int = 5,
        backoff: float = 1.0,
        retry_sleep: Callable[[float], None] = time.sleep,
        progress: str = "auto",
        eutils_url: str | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        answer_deadline: float | None = None,
        max_answer_bytes: int | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        if max_tries < 1:
            raise ValueError(f"max_tries must be at least 1, got {max_tries}")
        if progress not in ("auto", "on", "off"):
            raise ValueError(f"progress must be 'auto', 'on' or 'off', got {progress!r}")
        self.max_tries = max_tries
        self.backoff = backoff
        self.retry_sleep = retry_sleep
        self.progress = progress
        # None: the module's value when the request is made (tests point EUTILS_URL at a fake)
        self.eutils_url = eutils_url
        if eutils_url is not None and (urlsplit(eutils_url).scheme not in ("http", "https")
                                       or not eutils_url.endswith("/")):
            raise ValueError(f"eutils_url must be an http(s) URL ending in '/', got {eutils_url!r}")
        limits = {"connect_timeout": (connect_timeout, CONNECT_TIMEOUT),
                  "read_timeout": (read_timeout, READ_TIMEOUT),
                  "answer_deadline": (answer_deadline, ANSWER_DEADLINE),
                  "max_answer_bytes": (max_answer_bytes, MAX_ANSWER_BYTES)}
        for name, (value, default) in limits.items():
            value = default if value is None else value
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
            setattr(self, name, value)
        self.snapshot = Snapshot(self.settings.snapshot_dir)
        if self.settings.mode == "record":
            self.snapshot.check_writable()  # fail now, not after the first answer arrived

    def __repr__(self) -> str:
        return f"PubMed(mode={self.settings.mode!r}, snapshot={str(self.snapshot.folder)!r})"

    # -- the one door --------------------------------------------------------
    def _request(
        self,
        utility: str,
        params: dict,
        check: Callable[[bytes], int | None],
    ) -> bytes:
        """Answer one E-utilities request in the current mode.

        ``check(body)`` validates an answer and returns its record count; it
        raises :class:`ParseError` for a malformed (e.g. truncated) body,
        which in the live modes counts as a transient failure. Nothing is
        stored unless ``check`` passed.
        """
        if self.settings.mode == "replay":
            body = self.snapshot.get(utility, params)
            try:
                check(body)
            except ParseError as exc:  # name the stored file, not "<bytes>"
                text = str(exc).replace("<bytes>: ", "").replace("<efetch answer>: ", "")
                raise type(exc)(f"{self.snapshot.file_of(utility, params)}: {text}") from None
            return body
        body = self._live(utility, params, check)
        if self.settings.mode == "record":
            self.snapshot.put(utility, params, body, origin="ncbi", records=check(body))
        return body

    def _live(self, utility: str, params: dict, check: Callable[[bytes], int | None]) -> bytes:
        # Bio.Entrez shapes the request (parameters, GET or POST as NCBI asks); the client
        # opens it itself, for its timeouts, its answer-size limit and its redirect rule
        from Bio import Entrez  # the only import of Bio.Entrez in the package

        identity = {"tool": TOOL, "email": self.settings.email}
        if self.settings.api_key:
            identity["api_key"] = self.settings.api_key
        what = describe_request(utility, params)
        secrets = (self.settings.api_key, self.settings.email)
        base = self.eutils_url or EUTILS_URL
        opener = _opener(base, self.read_timeout)
        last = ""
        for attempt in range(1, self.max_tries + 1):
            _THROTTLE.wait(self.settings.requests_per_second)
            retry_after = 0.0
            request = Entrez._build_request(base + _CGI[utility], {**params, **identity},
                                            ecitmatch=utility == "ecitmatch")
            try:
                started = time.monotonic()
                with opener.open(request, timeout=self.connect_timeout) as handle:
                    body = _read_answer(handle, started + self.answer_deadline, self.max_answer_bytes)
                body = _redact_bytes(body, secrets)  # never stored, parsed or shown
                check(body)
                return body
            except _OffHostRedirect as exc:
                raise NCBIRequestError(
                    f"{what}: the server redirected to {_shown_url(exc.url, secrets)}, which is not "
                    f"{exc.allowed}; only redirects to that host are followed. Refused; nothing was stored"
                ) from None
            except _TooLarge as exc:
                raise NCBIError(
                    f"{what}: the answer is larger than {self.max_answer_bytes:,} bytes ({exc.size:,} "
                    "bytes so far), the largest accepted; refused, nothing was stored. Fetch fewer "
                    "records per request (--batch)"
                ) from None
            except HTTPError as exc:
                if exc.code != 429 and 400 <= exc.code < 500:
                    detail = redact(_error_body(exc), secrets)
                    raise NCBIRequestError(
                        f"NCBI refused {what}: HTTP {exc.code} {exc.reason}{detail}. "
                        "Check the query and parameters; this is not retried"
                    ) from None
                last = redact(f"HTTP {exc.code} {exc.reason}", secrets)
                retry_after = _retry_after(exc)
            except (URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as exc:
                last = redact(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}", secrets)
            except RefusedInputError as exc:
                text = str(exc).removeprefix("<bytes>: ")
                text = text if text.startswith(what) else f"{what}: {text}"
                raise RefusedInputError(redact(f"{text}; not retried, nothing was stored", secrets)) from None
            except ParseError as exc:
                last = redact(f"an unreadable answer ({exc})", secrets)
            if attempt < self.max_tries:
                self.retry_sleep(max(retry_after, min(60.0, self.backoff * 2 ** (attempt - 1))))
        raise NCBIUnavailableError(
            f"NCBI did not answer {what} after {self.max_tries} tries; last failure: {last}. "
            "Try again later; nothing was written to the snapshot"
        )

    # -- search -------------------------------------------------------------------
    def _esearch(self, term: str, mindate: str | None, maxdate: str | None, datetype: str):
        params = {"db": "pubmed", "term": term, "retmax": ESEARCH_MAX, "usehistory": "y"}
        if mindate or maxdate:
            params.update(datetype=datetype, mindate=mindate, maxdate=maxdate)
        parsed = {}

        def check(body: bytes) -> int:
            # everything is checked here, before record mode stores the answer
            fields, ids, messages = _parse_esearch(body, term)
            count = fields["Count"]
            if not (count.isascii() and count.isdigit()):
                raise ParseError(f"esearch answer for {term!r}: Count {count[:40]!r} is not a number")
            bad = [i for i in ids if not _is_pmid(i)]
            if bad:
                raise ParseError(f"esearch answer for {term!r}: {bad[0][:40]!r} is not a PMID")
            if len(ids) != min(int(count), ESEARCH_MAX):
                raise IncompleteFetchError(
                    f"esearch {term!r} ({mindate or 'any'}..{maxdate or 'any'}) counted "
                    f"{int(count)} records but returned {len(ids)} PMIDs; nothing was stored"
                )
            parsed["value"] = (fields, ids, messages)
            return int(count)

        self._request("esearch", params, check)
        fields, ids, messages = parsed["value"]
        count = int(fields["Count"])
        slice_ = SearchSlice(
            mindate=mindate, maxdate=maxdate, count=count, pmids=tuple(ids),
            webenv=fields.get("WebEnv") or None, query_key=fields.get("QueryKey") or None,
        )
        return slice_, fields.get("QueryTranslation", ""), messages

    def search(
        self,
        term: str,
        *,
        mindate: str | None = None,
        maxdate: str | None = None,
        datetype: str = "pdat",
    ) -> SearchResult:
        """Search PubMed and return every matching PMID.

        Parameters
        ----------
        term : str
            A PubMed query.
        mindate, maxdate : str, optional
            ``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD``; both or neither.
        datetype : {"pdat", "edat", "mdat", "crdt"}
            Which date the range applies to (publication date by default).

        Returns
        -------
        SearchResult

        Raises
        ------
        SearchTermError
            ESearch found nothing and reported an error for the term.
        ReplayMissError
            In replay mode, when this search was never recorded.

        Notes
        -----
        One ESearch (``usehistory=y``, ``retmax=10000``) when the count is at
        most 10,000; otherwise the date range (default 1781 to the end of the
        current year) is halved until each slice holds at most 10,000
        records, one ESearch per slice.
        """
        if not isinstance(term, str) or not term.strip():
            raise ValueError("term must be a non-empty PubMed query")
        if datetype not in _DATETYPES:
            raise ValueError(f"datetype must be one of {', '.join(_DATETYPES)}, got {datetype!r}")
        if bool(mindate) != bool(maxdate):
            raise ValueError("give both mindate and maxdate, or neither (E-utilities needs both)")
        if mindate:
            lo = _parse_date(mindate, end=False, name="mindate")
            hi = _parse_date(maxdate, end=True, name="maxdate")
            if lo > hi:
                raise ValueError(f"mindate {mindate} is after maxdate {maxdate}")
        first, translation, messages = self._esearch(term, mindate, maxdate, datetype)
        if first.count == 0 and any(m.split(":")[0] in ("PhraseNotFound", "FieldNotFound") for m in messages):
            raise SearchTermError(
                f"esearch found nothing for {term!r}: " + "; ".join(messages)
                + ". Correct the term (check field tags such as [tiab], [mh])"
            )
        for message in messages:
            warnings.warn(f"esearch {term!r}: {message}", EvidenceWarning, stacklevel=2)
        if first.count <= ESEARCH_MAX:
            slices = [first]
        else:
            lo = _parse_date(mindate, end=False) if mindate else _DATE_FLOOR
            hi = _parse_date(maxdate, end=True) if maxdate else date(date.today().year, 12, 31)
            slices = self._split(term, lo, hi, datetype)
        pmids: list[str] = []
        seen: set[str] = set()
        for s in slices:
            if len(s.pmids) != min(s.count, ESEARCH_MAX):
                raise IncompleteFetchError(
                    f"esearch {term!r} ({s.mindate or 'any'}..{s.maxdate or 'any'}) counted "
                    f"{s.count} records but returned {len(s.pmids)} PMIDs"
                )
            for p in s.pmids:
                if p not in seen:
                    seen.add(p)
                    pmids.append(p)
        if len(pmids) < first.count:
            raise IncompleteFetchError(
                f"esearch {term!r} counts {first.count} records but its date slices returned "
                f"{len(pmids)} distinct PMIDs; records without a {datetype} date would be lost. "
                "Narrow the query or use another datetype"
            )
        return SearchResult(
            term=term, count=first.count, pmids=tuple(pmids), query_translation=translation,
            slices=tuple(slices), datetype=datetype, warnings=tuple(messages),
        )

    def _split(self, term: str, lo: date, hi: date, datetype: str) -> list[SearchSlice]:
        out: list[SearchSlice] = []
        pending = [(lo, hi)]
        while pending:
            a, b = pending.pop(0)
            s, _, _ = self._esearch(term, _fmt(a), _fmt(b), datetype)
            if s.count <= ESEARCH_MAX:
                out.append(s)
            elif a == b:
                raise NCBIError(
                    f"esearch {term!r} has {s.count} records on the single day {_fmt(a)}; "
                    f"more than ESearch's {ESEARCH_MAX} cannot be listed. Narrow the query"
                )
            else:
                mid = a + (b - a) // 2
                pending[:0] = [(a, mid), (mid + timedelta(days=1), b)]
        return out

    # -- citation matching ----------------------------------------------------------
    def ecitmatch(self, citations: Sequence[Mapping[str, object]]) -> list[str | None]:
        """Resolve citations to PMIDs with ECitMatch, one PMID (or None) per citation.

        Parameters
        ----------
        citations : sequence of mappings
            Each with ``journal``, ``year``, ``volume``, ``first_page``,
            ``author`` (first author's family name) and optionally ``key``.

        Notes
        -----
        ECitMatch answers plain text, one line per citation:
        ``journal|year|volume|first_page|author|key|PMID`` with the PMID left
        empty (or ``NOT_FOUND``/``AMBIGUOUS``) when it found no single match.
        """
        lines = []
        for i, c in enumerate(citations):
            fields = [str(c.get(k) or "").replace("|", " ").replace("\r", " ").strip()
                      for k in ("journal", "year", "volume", "first_page", "author")]
            lines.append("|".join(fields + [str(c.get("key") or f"ref{i + 1}")]) + "|")
        if not lines:
            return []
        params = {"db": "pubmed", "retmode": "xml", "bdata": "\r".join(lines)}
        parsed: dict[str, str] = {}

        def check(body: bytes) -> int:
            text = body.decode("utf-8", "replace")
            parsed.clear()
            for line in text.splitlines():
                parts = line.strip().split("|")
                if len(parts) >= 7:
                    parsed[parts[5]] = parts[6].strip()
            if not parsed and text.strip():
                raise ParseError(f"ecitmatch answer is not citation lines: {text[:80]!r}")
            return len(parsed)

        self._request("ecitmatch", params, check)
        out: list[str | None] = []
        for line in lines:
            pmid = parsed.get(line.split("|")[5], "")
            out.append(str(int(pmid)) if _is_pmid(pmid) else None)
        return out

    # -- fetch ------------------------------------------------------------------
    def _efetch(self, params: dict, expected: Sequence[str]) -> bytes:
        def check(body: bytes) -> int:
            try:
                got = pmids_in(body)  # refuses an answer holding a PMID twice (ParseError, retried live)
            except ParseError as exc:
                detail = str(exc).removeprefix("<efetch answer>: ").removeprefix("<bytes>: ")
                raise type(exc)(f"{describe_request('efetch', params)}: {detail}") from None
            missing = [p for p in expected if p not in set(got)]
            extra = sorted(set(got) - set(expected))
            if missing or extra:
                parts = []
                if missing:
                    parts.append(f"{len(missing)} PMID(s) asked for were not returned: {', '.join(missing)}")
                if extra:
                    parts.append(f"unexpected PMID(s) returned: {', '.join(extra)}")
                raise IncompleteFetchError(
                    f"efetch {describe_request('efetch', params)}: " + "; ".join(parts)
                    + ". Deleted or merged PMIDs are dropped by NCBI: check them on PubMed, "
                    "remove them from the list, and fetch again"
                )
            return len(got)

        return self._request("efetch", params, check)

    def fetch(self, source: SearchResult | Iterable[object], *, batch: int = 500) -> list[bytes]:
        """Fetch the PubMed XML of every record, one efetch answer per batch.

        Parameters
        ----------
        source : SearchResult or iterable of PMIDs
            A search result (fetched through NCBI's history server with
            ``WebEnv``/``query_key``) or PMIDs (posted as ``id``).
        batch : int
            Records per efetch request, 1 to 10,000.

        Returns
        -------
        list of bytes
            The efetch answers as received, in order; parse them with
            :func:`evidence.records.parse_records`.

        Raises
        ------
        IncompleteFetchError
            A batch lacked PMIDs that were asked for (they are listed).
        """
        if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= ESEARCH_MAX:
            raise ValueError(f"batch must be a whole number from 1 to {ESEARCH_MAX}, got {batch!r}")
        jobs: list[tuple[dict, list[str]]] = []
        if isinstance(source, SearchResult):
            for s in source.slices:
                if not s.pmids:
                    continue
                if not (s.webenv and s.query_key):
                    raise NCBIError(f"search slice {s.mindate}..{s.maxdate} has no history key to fetch with")
                for start in range(0, len(s.pmids), batch):
                    params = {"db": "pubmed", "query_key": s.query_key, "WebEnv": s.webenv,
                              "retstart": start, "retmax": batch, "retmode": "xml"}
                    jobs.append((params, list(s.pmids[start:start + batch])))
        else:
            pmids = normalise_pmids(source)
            for start in range(0, len(pmids), batch):
                chunk = pmids[start:start + batch]
                jobs.append(({"db": "pubmed", "id": ",".join(chunk), "retmode": "xml"}, chunk))
        iterator: Iterable = jobs
        # "auto": a bar for several batches, in a terminal or a notebook only (a captured
        # error stays one plain line)
        shown = len(jobs) > 1 and (sys.stderr.isatty() or _in_ipython())
        if self.progress == "on" or (self.progress == "auto" and shown):
            # here, not at the top: in a kernel without ipywidgets tqdm.auto warns on stderr on import
            from tqdm.auto import tqdm

            iterator = tqdm(jobs, desc=f"efetch ({self.settings.mode})", unit="batch")
        return [self._efetch(params, expected) for params, expected in iterator]


def _in_ipython() -> bool:
    """True inside a running IPython shell or Jupyter kernel (not merely with IPython imported)."""
    ipython = sys.modules.get("IPython")
    return bool(ipython and getattr(ipython, "get_ipython", lambda: None)())


def search(term: str, *, mindate=None, maxdate=None, datetype: str = "pdat",
           settings: Settings | None = None) -> SearchResult:
    """:meth:`PubMed.search` with a client built from the environment's settings."""
    return PubMed(settings).search(term, mindate=mindate, maxdate=maxdate, datetype=datetype)


def fetch(source, *, batch: int = 500, settings: Settings | None = None) -> list[bytes]:
    """:meth:`PubMed.fetch` with a client built from the environment's settings."""
    return PubMed(settings).fetch(source, batch=batch)

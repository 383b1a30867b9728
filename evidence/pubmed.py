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
"""

from __future__ import annotations

import functools
import http.client
import math
import socket
import sys
import threading
import time
import urllib.request
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable, Mapping, Sequence
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit

import pandas as pd

from . import __version__
from ._xml import iter_elements
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
_DATE_FLOOR = date(1781, 1, 1)  # PubMed's oldest records are from 1781
_DATETYPES = ("pdat", "edat", "mdat", "crdt")


class EvidenceWarning(UserWarning):
    """Something to know about an answer that is not an error (an ESearch WarningList)."""


@dataclass(frozen=True)
class SearchSlice:
    """One ESearch request's answer: a date range of the search and its PMIDs."""

    mindate: str | None
    maxdate: str | None
    count: int
    pmids: tuple[str, ...]
    webenv: str | None
    query_key: str | None


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found.

    Attributes
    ----------
    term : str
        The query as sent.
    count : int
        NCBI's count of matching records.
    pmids : tuple of str
        Every matching PMID (all of them, however many slices it took).
    query_translation : str
        How PubMed read the query (``QueryTranslation``).
    slices : tuple of SearchSlice
        The ESearch requests made: one, or one per publication-date slice.
    warnings : tuple of str
        ESearch's warnings and non-fatal errors, as text.
    """

    term: str
    count: int
    pmids: tuple[str, ...]
    query_translation: str
    slices: tuple[SearchSlice, ...]
    datetype: str = "pdat"
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.pmids)

    def summary_frame(self):
        """One row per ESearch slice: dates, count, PMIDs returned, history key."""
        return pd.DataFrame(
            [
                {
                    "mindate": s.mindate or "", "maxdate": s.maxdate or "", "count": s.count,
                    "pmids_returned": len(s.pmids), "query_key": s.query_key or "",
                }
                for s in self.slices
            ],
            columns=["mindate", "maxdate", "count", "pmids_returned", "query_key"],
        )


class _Throttle:
    """Spaces request starts: at most ``per_second`` in any one-second window.

    Process-wide (NCBI counts requests per address and key, not per object).
    The spacing is a little more than 1/rate, as Biopython found 1/3 s
    sometimes drew 429s from NCBI (``Bio/Entrez/__init__.py``, ``_open``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -math.inf

    def wait(self, per_second: int, clock=time.monotonic, sleep=time.sleep) -> None:
        interval = 0.37 if per_second <= 3 else 1.1 / per_second
        with self._lock:
            now = clock()
            delay = self._last + interval - now
            if delay > 0:
                sleep(delay)
                now = clock()
            self._last = now


_THROTTLE = _Throttle()


def _is_pmid(text: str) -> bool:
    """ASCII digits, not all zeros (``str.isdigit`` alone accepts ``¹²³`` and ``٣``)."""
    return text.isascii() and text.isdigit() and text.strip("0") != ""


def normalise_pmids(pmids: Iterable[object]) -> list[str]:
    """PMIDs as strings of ASCII digits without leading zeros, duplicates removed, order kept.

    ``0009758075`` and ``9758075`` are the same PMID (given once, as ``9758075``).

    Raises
    ------
    ValueError
        For an item that is not a PMID, naming it.
    """
    if isinstance(pmids, (str, int)):
        pmids = str(pmids).split(",")
    out: list[str] = []
    seen: set[str] = set()
    for item in pmids:
        text = str(item).strip()
        if not (text.isascii() and text.isdigit()) or int(text) <= 0:
            raise ValueError(f"{item!r} is not a PMID (a positive whole number in ASCII digits)")
        text = str(int(text))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


_ESEARCH_TAGS = frozenset({
    "Id", "Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "QueryTranslation", "ERROR",
    "PhraseNotFound", "FieldNotFound", "PhraseIgnored", "QuotedPhraseNotFound", "OutputMessage",
})


def _parse_esearch(body: bytes, term: str) -> tuple[dict, list[str], list[str]]:
    """Read an eSearchResult: (fields, ids, messages). Raises on its ERROR element."""
    fields: dict[str, str] = {}
    ids: list[str] = []
    errors: list[str] = []
    notes: list[str] = []
    root = None
    for root_tag, elem in iter_elements(body, _ESEARCH_TAGS):
        if elem is None:
            root = root_tag
            continue
        tag = elem.tag
        if tag == "Id":
            ids.append((elem.text or "").strip())
        elif tag in ("Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "QueryTranslation", "ERROR"):
            # the first Count is the search's; later ones belong to TranslationStack terms
            fields.setdefault(tag, (elem.text or "").strip())
        elif tag in ("PhraseNotFound", "FieldNotFound", "PhraseIgnored", "QuotedPhraseNotFound"):
            errors.append(f"{tag}: {(elem.text or '').strip()}")
        elif tag == "OutputMessage":
            notes.append((elem.text or "").strip())
    if root != "eSearchResult":
        raise ParseError(f"esearch answer for {term!r}: root element <{root}>, not <eSearchResult>")
    if "ERROR" in fields:
        raise NCBIError(f"esearch for {term!r}: NCBI reported an error: {fields['ERROR']}")
    if "Count" not in fields:
        raise ParseError(f"esearch answer for {term!r} has no Count")
    return fields, ids, errors + notes


def _fmt(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def _parse_date(text: str, *, end: bool, name: str = "date") -> date:
    """A YYYY, YYYY/MM or YYYY/MM/DD date as the first (or, with ``end``, last) day it covers."""
    pieces = str(text).strip().replace("-", "/").split("/")
    shape = (len(pieces[0]) == 4 and all(len(p) in (1, 2) for p in pieces[1:]))
    if not (1 <= len(pieces) <= 3 and shape and all(p.isascii() and p.isdigit() for p in pieces)):
        raise ValueError(f"{name} {text!r} is not a date: give YYYY, YYYY/MM or YYYY/MM/DD")
    parts = [int(p) for p in pieces]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    try:
        if len(parts) > 2:
            return date(year, month, parts[2])
        if not end:
            return date(year, month, 1)
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return nxt - timedelta(days=1)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{name} {text!r} is not a date: {exc}") from None


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


class _OffHostRedirect(Exception):
    def __init__(self, url: str, allowed: str) -> None:
        super().__init__(url)
        self.url, self.allowed = url, allowed


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _with_read_timeout(base: type) -> type:
    """``base`` (an HTTP(S) connection class) whose socket, once connected, waits ``read_timeout`` per read."""

    class Connection(base):
        def __init__(self, *args, read_timeout: float, **kwargs) -> None:
            super().__init__(*args, **kwargs)  # urllib passes timeout=: the connect timeout
            self._read_timeout = read_timeout

        def connect(self) -> None:
            super().connect()
            self.sock.settimeout(self._read_timeout)

    Connection.__name__ = f"Timed{base.__name__}"
    return Connection


_HTTPConnection = _with_read_timeout(http.client.HTTPConnection)
_HTTPSConnection = _with_read_timeout(http.client.HTTPSConnection)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def http_open(self, req):
        return self.do_open(functools.partial(_HTTPConnection, read_timeout=self._read_timeout), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def https_open(self, req):
        return self.do_open(functools.partial(_HTTPSConnection, read_timeout=self._read_timeout), req,
                            context=self._context)


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the base URL's own scheme and host (NCBI's, over https)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self._allowed = (parts.scheme.lower(), parts.netloc.lower())

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urlsplit(urljoin(req.full_url, newurl))
        if (target.scheme.lower(), target.netloc.lower()) != self._allowed:
            raise _OffHostRedirect(newurl, f"{self._allowed[1]} over {self._allowed[0]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(base: str, read_timeout: float) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_HTTPHandler(read_timeout), _HTTPSHandler(read_timeout),
                                       _SameHostRedirects(base))


def _read_answer(handle, deadline: float, limit: int) -> bytes:
    """The whole body, read a piece at a time: refused past ``limit`` bytes, a timeout past ``deadline``."""
    declared = (handle.headers.get("Content-Length") or "").strip()
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _TooLarge(int(declared))
    parts: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the answer was still arriving at the deadline ({total:,} bytes read)")
        piece = handle.read1(1 << 16)
        if not piece:
            return b"".join(parts)
        total += len(piece)
        if total > limit:
            raise _TooLarge(total)
        parts.append(piece)


def _shown_url(url: str, secrets) -> str:
    """A redirect target as shown in a message: secrets redacted, one line, at most 120 characters."""
    text = redact("".join(c if c.isprintable() else "?" for c in url), secrets)
    return text if len(text) <= 120 else text[:117] + "..."


def _error_body(exc: HTTPError) -> str:
    try:
        text = exc.read(300).decode("utf-8", "replace").strip()
    except Exception:  # noqa: BLE001 - a body we cannot read adds nothing
        return ""
    return f" ({text})" if text else ""


def _in_ipython() -> bool:
    """True inside a running IPython shell or Jupyter kernel (not merely with IPython imported)."""
    ipython = sys.modules.get("IPython")
    return bool(ipython and getattr(ipython, "get_ipython", lambda: None)())


def _redact_bytes(body: bytes, secrets) -> bytes:
    """``body`` with the API key and e-mail replaced, should NCBI ever echo them."""
    if not any(secrets):
        return body
    text = body.decode("utf-8", "surrogateescape")
    clean = redact(text, secrets)
    return body if clean == text else clean.encode("utf-8", "surrogateescape")


def _retry_after(exc: HTTPError) -> float:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return min(60.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def search(term: str, *, mindate=None, maxdate=None, datetype: str = "pdat",
           settings: Settings | None = None) -> SearchResult:
    """:meth:`PubMed.search` with a client built from the environment's settings."""
    return PubMed(settings).search(term, mindate=mindate, maxdate=maxdate, datetype=datetype)


def fetch(source, *, batch: int = 500, settings: Settings | None = None) -> list[bytes]:
    """:meth:`PubMed.fetch` with a client built from the environment's settings."""
    return PubMed(settings).fetch(source, batch=batch)

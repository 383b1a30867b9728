"""A fake NCBI E-utilities server for tests (stdlib only, no pytest needed).

Only what the workbook's tests need is served, shaped like NCBI's real
answers: ``esearch.fcgi`` and ``efetch.fcgi`` for ``db=pubmed``, on
``127.0.0.1`` and an ephemeral port. Nothing here ever reaches the internet.

Typical use::

    with FakeEutils.synthetic(25_000) as fake, redirect_entrez(fake):
        fake.inject(("status", 429))          # the next request gets a 429
        handle = Entrez.esearch(db="pubmed", term="acupuncture", usehistory="y")
        ...
    fake.arrivals                            # (monotonic, path, params) per request

Behaviour worth knowing (mirrors PubMed, see the method docstrings):

* esearch ``retmax`` defaults to 20; ids past position ``RETRIEVAL_CAP``
  (10,000) are never returned (``retstart + retmax`` is clamped and a
  ``WarningList/OutputMessage`` says so); ``retstart >= RETRIEVAL_CAP``
  answers an ``<ERROR>`` element, which ``Bio.Entrez.read`` raises as
  ``RuntimeError``. Real PubMed's cap is 9,999 today; set
  ``fake.RETRIEVAL_CAP = 9999`` on an instance to match it exactly.
* The history server keeps the *full* id list of each search (not capped),
  so efetch by ``WebEnv``/``query_key`` can page past 10,000.
* A search term is looked up exactly (then stripped) in ``searches``; an
  unknown term gives Count 0 with ``ErrorList/PhraseNotFound`` and
  ``WarningList/OutputMessage`` "No items found."; a term containing
  ``[badfield]`` gives ``ErrorList/FieldNotFound``. ``mindate``/``maxdate``
  filter by ``dates`` (whatever ``datetype`` says), and PMIDs without a
  date are then left out.
* efetch silently omits unknown ids and the ids in ``fake.drop``. An
  unknown WebEnv/query_key, or a ``retstart`` past the end of a non-empty
  history, answers HTTP 400 with an ``eFetchResult/ERROR`` like NCBI's.
* ``fake.faults`` is consumed one entry per incoming request (any path),
  before normal handling. Kinds: ``("status", code[, body[, headers]])``,
  ``("truncate", nbytes)``, ``("truncate_chunked", nbytes)``,
  ``("delay", seconds)`` and ``("disconnect",)`` (close without answering).
  Network faults for the client's limits: ``("stall", seconds)`` (accept,
  then send nothing for that long and hang up), ``("drip", seconds_per_byte)``
  (the normal answer, one byte at a time), ``("redirect", url[, code])`` (a
  302, or ``code``, to ``url``), ``("body", bytes[, ctype])`` (answer these
  bytes instead) and ``("huge", nbytes[, chunked])`` (the normal answer padded with
  whitespace to ``nbytes``, declared in Content-Length unless ``chunked``).
  Note: after ``("truncate", n)`` a whole-body ``handle.read()`` raises
  ``http.client.IncompleteRead``, but ``Bio.Entrez.read(handle)`` reads in
  blocks, gets a short read, and raises ``Bio.Entrez.Parser.CorruptedXMLError``.
* Helpers: ``requests_to("efetch.fcgi")`` (params of those arrivals),
  ``history(webenv, query_key)``, ``make_record(pmid, title=..., year=...)``.
"""

from __future__ import annotations

import calendar
import contextlib
import http.server
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "FakeEutils",
    "NCBI_EUTILS_PREFIX",
    "OutboundRequestBlocked",
    "redirect_entrez",
]

NCBI_EUTILS_PREFIX = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"

ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
EFETCH_ERROR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<!DOCTYPE eEfetchResult PUBLIC "-//NLM//DTD efetch 20131226//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n'
)

# Small bodies for ("status", code) faults; NCBI's 429 really is JSON.
STATUS_BODIES: dict[int, tuple[str, bytes]] = {
    400: ("application/json", b'{"error":"bad request"}'),
    429: ("application/json", b'{"error":"API rate limit exceeded"}'),
    500: ("text/html", b"<html><body><h1>Server Error</h1><p>Error: 500</p></body></html>"),
    502: ("text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    503: ("text/html", b"<html><body><h1>503 Service Unavailable</h1></body></html>"),
}

FAULT_KINDS = ("status", "truncate", "truncate_chunked", "delay", "disconnect",
               "stall", "drip", "redirect", "body", "huge")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class OutboundRequestBlocked(AssertionError):
    """A test tried to open a URL that is not NCBI's E-utilities prefix."""


class _SyncList(list):
    """A list whose mutations hold a lock; iteration works on a snapshot."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._lock = threading.Lock()

    def append(self, item: Any) -> None:
        with self._lock:
            super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        items = list(items)
        with self._lock:
            super().extend(items)

    def insert(self, index: int, item: Any) -> None:
        with self._lock:
            super().insert(index, item)

    def pop(self, index: int = -1) -> Any:
        with self._lock:
            return super().pop(index)

    def remove(self, item: Any) -> None:
        with self._lock:
            super().remove(item)

    def clear(self) -> None:
        with self._lock:
            super().clear()

    def take_first(self) -> Any:
        """Pop and return the first item, or None when empty (atomic)."""
        with self._lock:
            if not len(self):
                return None
            return super().pop(0)

    def snapshot(self) -> list[Any]:
        with self._lock:
            return list(super().__iter__())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.snapshot())


def _date_bounds(value: str, *, upper: bool) -> str:
    """'YYYY', 'YYYY/MM' or 'YYYY/MM/DD' (also with '-' or '.') -> 'YYYY/MM/DD'."""
    parts = [p for p in value.strip().replace("-", "/").replace(".", "/").split("/") if p]
    if not parts or len(parts) > 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"bad date {value!r}")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if upper else 1)
    if not 1 <= month <= 12:
        raise ValueError(f"bad month in {value!r}")
    last_day = calendar.monthrange(year, month)[1]
    day = int(parts[2]) if len(parts) > 2 else (last_day if upper else 1)
    if not 1 <= day <= last_day:
        raise ValueError(f"bad day in {value!r}")
    return f"{year:04d}/{month:02d}/{day:02d}"


def _normalise_date(value: str) -> str:
    return _date_bounds(value, upper=False)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeEutils/1.0"
    sys_version = ""
    fake: FakeEutils  # set on a subclass per server

    # -- quiet ---------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass

    # -- entry points --------------------------------------------------
    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        self._dispatch(parsed.path, parsed.query)

    def do_POST(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        query = "&".join(q for q in (parsed.query, body) if q)
        self._dispatch(parsed.path, query)

    def _dispatch(self, path: str, query: str) -> None:
        params: dict[str, str] = {}
        for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
            # NCBI accepts id=1&id=2 as well as id=1,2: join repeats with ",".
            params[key] = f"{params[key]},{value}" if key in params else value
        fake = self.fake
        fake.arrivals.append((time.monotonic(), path, dict(params)))
        fault = fake.faults.take_first()
        if fault is not None:
            kind = fault[0]
            if kind == "status":
                self._send_status_fault(fault)
                return
            if kind == "disconnect":
                self.close_connection = True
                return
            if kind == "delay":
                time.sleep(float(fault[1]))
                fault = None  # then answer normally
            elif kind == "stall":
                time.sleep(float(fault[1]))
                self.close_connection = True
                return
            elif kind == "redirect":
                code = int(fault[2]) if len(fault) > 2 else 302
                self._send(code, "text/html", b"moved", extra_headers={"Location": str(fault[1])})
                return
            elif kind == "body":
                body = fault[1] if isinstance(fault[1], bytes) else str(fault[1]).encode()
                self._send(200, fault[2] if len(fault) > 2 else "text/xml; charset=UTF-8", body)
                return
            elif kind == "huge":
                _, _, normal = fake._answer(path, params)
                self._send_huge(normal, int(fault[1]), chunked=len(fault) > 2 and bool(fault[2]))
                return
        status, ctype, body = fake._answer(path, params)
        if fault is None:
            self._send(status, ctype, body)
        elif fault[0] == "truncate":
            self._send(status, ctype, body, cut=int(fault[1]), content_length=True)
        elif fault[0] == "truncate_chunked":
            self._send(status, ctype, body, cut=int(fault[1]), content_length=False)
        elif fault[0] == "drip":
            self._send(status, ctype, body, drip=float(fault[1]))
        else:  # pragma: no cover - FakeEutils validates kinds
            raise ValueError(f"unknown fault {fault!r}")

    # -- writing -------------------------------------------------------
    def _send_status_fault(self, fault: tuple[Any, ...]) -> None:
        code = int(fault[1])
        ctype, body = STATUS_BODIES.get(code, ("text/plain", f"Error {code}".encode()))
        if len(fault) > 2 and fault[2] is not None:
            body = fault[2] if isinstance(fault[2], bytes) else str(fault[2]).encode()
        headers = dict(fault[3]) if len(fault) > 3 and fault[3] else {}
        self._send(code, ctype, body, extra_headers=headers)

    def _send(
        self,
        status: int,
        ctype: str,
        body: bytes,
        *,
        cut: int | None = None,
        content_length: bool = True,
        extra_headers: dict[str, str] | None = None,
        drip: float | None = None,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if content_length:
                self.send_header("Content-Length", str(len(body)))
            for key, value in (extra_headers or {}).items():
                self.send_header(key, value)
            if cut is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if drip is not None:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(drip)
                return
            self.wfile.write(body if cut is None else body[: max(0, cut)])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_huge(self, normal: bytes, nbytes: int, *, chunked: bool) -> None:
        """The normal answer padded with whitespace after its root's start tag to ``nbytes``, streamed."""
        cut = normal.find(b">", normal.find(b"<PubmedArticleSet")) + 1 if b"<PubmedArticleSet" in normal else 0
        head, tail = normal[:cut], normal[cut:]
        pad = max(0, nbytes - len(normal))
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=UTF-8")
            self.send_header("Connection", "close")
            self.close_connection = True
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(normal) + pad))
            self.end_headers()
            block = b" " * (1 << 16)

            def write(data: bytes) -> None:
                if chunked:
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                else:
                    self.wfile.write(data)

            write(head)
            while pad > 0:
                write(block[:pad])
                pad -= len(block)
            write(tail)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # quiet: a client that hangs up mid-answer is normal in fault tests


class FakeEutils:
    """Fake esearch/efetch for PubMed. See the module docstring."""

    RETRIEVAL_CAP = 10_000

    def __init__(
        self,
        records: dict[str, bytes],
        searches: dict[str, list[str]] | None = None,
        dates: dict[str, str] | None = None,
    ) -> None:
        self.records: dict[str, bytes] = {str(k): v for k, v in records.items()}
        self.searches: dict[str, list[str]] = {
            k: [str(i) for i in v] for k, v in (searches or {}).items()
        }
        self.dates: dict[str, str] = {str(k): _normalise_date(v) for k, v in (dates or {}).items()}
        self.drop: set[str] = set()
        self.citations: dict[tuple[str, ...], str] = {}
        self.faults: _SyncList = _SyncList()
        self.arrivals: _SyncList = _SyncList()
        self._history: dict[tuple[str, int], list[str]] = {}
        self._webenv_keys: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- construction helpers ------------------------------------------
    @classmethod
    def synthetic(
        cls,
        n: int,
        term: str = "acupuncture",
        start_year: int = 1990,
        end_year: int = 2024,
    ) -> FakeEutils:
        """n small valid records, PMIDs str(1000000 + i), all matching ``term``.

        Record i is published on ``dates[pmid]``: years spread evenly from
        start_year to end_year (inclusive), month ``i % 12 + 1``, day
        ``i % 28 + 1``. Each has a title "Synthetic <term> study <i>.", one
        author "Tester<i % 97> A", a doi 10.5555/synth.<pmid> and a one-line
        abstract. The search lists PMIDs in ascending order.
        """
        nyears = end_year - start_year + 1
        records: dict[str, bytes] = {}
        dates: dict[str, str] = {}
        pmids: list[str] = []
        for i in range(n):
            pmid = str(1_000_000 + i)
            year = start_year + (i * nyears) // max(n, 1)
            month = i % 12 + 1
            day = i % 28 + 1
            pmids.append(pmid)
            dates[pmid] = f"{year:04d}/{month:02d}/{day:02d}"
            records[pmid] = cls.make_record(
                pmid,
                title=f"Synthetic {term} study {i}.",
                year=year,
                month=month,
                day=day,
                last_name=f"Tester{i % 97}",
                abstract=f"Synthetic abstract {i} about {term}.",
            )
        return cls(records, {term: pmids}, dates)

    @staticmethod
    def make_record(
        pmid: str,
        *,
        title: str,
        year: int,
        month: int = 1,
        day: int = 1,
        last_name: str = "Tester",
        fore_name: str = "Ann",
        initials: str = "A",
        abstract: str | None = "Synthetic abstract.",
        doi: str | None = "",
    ) -> bytes:
        """One small PubmedArticle valid against pubmed_250101.dtd.

        ``doi=""`` means 10.5555/synth.<pmid>; ``doi=None`` means no doi.
        """
        if doi == "":
            doi = f"10.5555/synth.{pmid}"
        eloc = f'<ELocationID EIdType="doi" ValidYN="Y">{escape(doi)}</ELocationID>' if doi else ""
        abst = f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>" if abstract else ""
        doi_id = f'<ArticleId IdType="doi">{escape(doi)}</ArticleId>' if doi else ""
        xml = (
            '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
            f'<PMID Version="1">{pmid}</PMID>'
            '<Article PubModel="Print"><Journal><ISSN IssnType="Print">0000-0000</ISSN>'
            '<JournalIssue CitedMedium="Print"><Volume>1</Volume><Issue>1</Issue>'
            f"<PubDate><Year>{year:04d}</Year><Month>{MONTHS[month - 1]}</Month><Day>{day:02d}</Day></PubDate>"
            "</JournalIssue><Title>Journal of synthetic tests</Title>"
            "<ISOAbbreviation>J Synth Tests</ISOAbbreviation></Journal>"
            f"<ArticleTitle>{escape(title)}</ArticleTitle>"
            f"<Pagination><MedlinePgn>1-2</MedlinePgn></Pagination>{eloc}{abst}"
            '<AuthorList CompleteYN="Y"><Author ValidYN="Y">'
            f"<LastName>{escape(last_name)}</LastName><ForeName>{escape(fore_name)}</ForeName>"
            f"<Initials>{escape(initials)}</Initials></Author></AuthorList>"
            "<Language>eng</Language><PublicationTypeList>"
            '<PublicationType UI="D016428">Journal Article</PublicationType>'
            "</PublicationTypeList></Article>"
            "<MedlineJournalInfo><Country>United States</Country><MedlineTA>J Synth Tests</MedlineTA>"
            "<NlmUniqueID>0000000</NlmUniqueID></MedlineJournalInfo></MedlineCitation>"
            "<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
            f'<ArticleId IdType="pubmed">{pmid}</ArticleId>{doi_id}'
            "</ArticleIdList></PubmedData></PubmedArticle>"
        )
        return xml.encode("utf-8")

    # -- lifecycle -----------------------------------------------------
    def start(self) -> FakeEutils:
        if self._server is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeEutils",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeEutils:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeEutils is not started (use it as a context manager)")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/entrez/eutils/"

    # -- faults and bookkeeping ----------------------------------------
    def inject(self, *faults: tuple[Any, ...]) -> FakeEutils:
        """Queue faults, one per coming request, in order."""
        for fault in faults:
            if not isinstance(fault, tuple) or not fault or fault[0] not in FAULT_KINDS:
                raise ValueError(f"unknown fault spec {fault!r}; kinds: {FAULT_KINDS}")
        self.faults.extend(faults)
        return self

    def max_arrivals_in_window(self, window: float = 1.0) -> int:
        """Largest number of arrivals within any closed interval of ``window`` s."""
        times = sorted(a[0] for a in self.arrivals)
        best = lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] > window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def requests_to(self, endpoint: str) -> list[dict[str, str]]:
        """Params of the arrivals whose path ends with ``endpoint`` (e.g. "efetch.fcgi")."""
        return [params for _, path, params in self.arrivals if path.endswith(endpoint)]

    def history(self, webenv: str, query_key: int | str) -> list[str]:
        with self._lock:
            return list(self._history[(webenv, int(query_key))])

    # -- answers -------------------------------------------------------
    def _answer(self, path: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if path.endswith("/esearch.fcgi"):
            return self._esearch(params)
        if path.endswith("/efetch.fcgi"):
            return self._efetch(params)
        if path.endswith("/ecitmatch.cgi"):
            return self._ecitmatch(params)
        return 404, "text/plain", b"Not found"

    def _ecitmatch(self, params: dict[str, str]) -> tuple[int, str, bytes]:
        """ECitMatch: plain text, one ``journal|year|volume|page|author|key|PMID`` line per citation.

        ``self.citations`` maps (journal, year, volume, first_page, author), all
        lower-case, to a PMID; unknown citations get ``NOT_FOUND`` as NCBI answers.
        """
        lines = []
        for raw in params.get("bdata", "").replace("\n", "\r").split("\r"):
            if not raw.strip():
                continue
            parts = (raw.split("|") + [""] * 6)[:6]
            key = tuple(p.strip().lower() for p in parts[:5])
            pmid = self.citations.get(key, "NOT_FOUND")
            lines.append("|".join(parts[:6]) + "|" + pmid)
        return 200, "text/plain; charset=UTF-8", ("\n".join(lines) + "\n").encode("utf-8")

    @staticmethod
    def _int(params: dict[str, str], key: str, default: int) -> int:
        raw = params.get(key, "").strip()
        return int(raw) if raw else default

    def _esearch(self, params: dict[str, str]) -> tuple[int, str, bytes]:
        ctype = "text/xml; charset=UTF-8"
        cap = self.RETRIEVAL_CAP

        def error(message: str) -> tuple[int, str, bytes]:
            body = f"{ESEARCH_HEAD}<eSearchResult><ERROR>{escape(message)}</ERROR></eSearchResult>\n"
            return 200, ctype, body.encode("utf-8")

        db = params.get("db", "pubmed")
        if db != "pubmed":
            return error(f"Invalid db name specified: {db}")
        term = params.get("term", "")
        try:
            retstart = self._int(params, "retstart", 0)
            retmax = self._int(params, "retmax", 20)
            mindate = _date_bounds(params["mindate"], upper=False) if params.get("mindate") else None
            maxdate = _date_bounds(params["maxdate"], upper=True) if params.get("maxdate") else None
        except ValueError as exc:
            return error(f"Invalid parameter: {exc}")
        if retstart < 0 or retmax < 0:
            return error("Invalid parameter: retstart and retmax must not be negative")
        errors = warnings = ""
        stripped = term.strip()
        if "[badfield]" in term.lower():
            ids: list[str] = []
            errors = "<ErrorList><FieldNotFound>badfield</FieldNotFound></ErrorList>"
            warnings = "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"
            translation = ""
        elif stripped in self.searches or term in self.searches:
            ids = list(self.searches.get(term, self.searches.get(stripped, [])))
            translation = stripped if "[" in stripped else f'"{stripped}"[All Fields]'
        else:
            ids = []
            errors = f"<ErrorList><PhraseNotFound>{escape(stripped)}</PhraseNotFound></ErrorList>"
            warnings = "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"
            translation = f"({stripped}[All Fields])"

        if mindate or maxdate:
            lo, hi = mindate or "0000/01/01", maxdate or "9999/12/31"
            ids = [i for i in ids if i in self.dates and lo <= self.dates[i] <= hi]
            if translation:
                translation = f"{translation} AND {lo}:{hi}[Date - Publication]"

        # PubMed errors only when the search really has more hits than the cap;
        # a small search paged past the cap just gets an empty page.
        if retstart >= cap and len(ids) > cap:
            return error(
                "Search Backend failed: Exception:\n"
                f"'retstart' cannot be larger than {cap - 1}. For PubMed, ESearch can only "
                f"retrieve the first {cap:,} records matching the query. To obtain more than "
                f"{cap:,} PubMed records, consider using EDirect that contains additional logic "
                "to batch PubMed search results automatically so that an arbitrary number can be "
                "retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/"
            )

        count = len(ids)
        end = min(retstart + retmax, cap, count)
        page = ids[retstart:end] if retstart < end else []
        if min(retstart + retmax, count) > cap and not warnings:
            warnings = (
                "<WarningList><OutputMessage>Restrictions achieved. start and count adjusted to "
                f"{retstart}, {len(page)}</OutputMessage></WarningList>"
            )

        history = ""
        if params.get("usehistory", "").lower() == "y":
            webenv, key = self._store_history(params.get("WebEnv"), ids)
            history = f"<QueryKey>{key}</QueryKey><WebEnv>{webenv}</WebEnv>"

        id_list = "<IdList>\n" + "".join(f"<Id>{i}</Id>\n" for i in page) + "</IdList>" if page else "<IdList/>"
        body = (
            f"{ESEARCH_HEAD}<eSearchResult><Count>{count}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{retstart}</RetStart>{history}{id_list}<TranslationSet/>"
            f"<QueryTranslation>{escape(translation)}</QueryTranslation>{errors}{warnings}"
            "</eSearchResult>\n"
        )
        return 200, ctype, body.encode("utf-8")

    def _store_history(self, webenv: str | None, ids: list[str]) -> tuple[str, int]:
        with self._lock:
            if not webenv or webenv not in self._webenv_keys:
                webenv = "MCID_" + secrets.token_hex(12)
                self._webenv_keys[webenv] = 0
            self._webenv_keys[webenv] += 1
            key = self._webenv_keys[webenv]
            self._history[(webenv, key)] = list(ids)
        return webenv, key

    def _efetch(self, params: dict[str, str]) -> tuple[int, str, bytes]:
        def error(message: str) -> tuple[int, str, bytes]:
            body = f"{EFETCH_ERROR_HEAD}<eFetchResult>\n\t<ERROR>{escape(message)}</ERROR>\n</eFetchResult>\n"
            return 400, "text/xml; charset=UTF-8", body.encode("utf-8")

        db = params.get("db", "pubmed")
        if db != "pubmed":
            return error(f"Invalid db name specified: {db}")
        try:
            retstart = self._int(params, "retstart", 0)
            retmax = self._int(params, "retmax", 20)
        except ValueError as exc:
            return error(f"Invalid parameter: {exc}")
        if params.get("id", "").strip():
            seen: set[str] = set()
            wanted = []
            for raw in params["id"].split(","):
                pmid = raw.strip()
                if pmid and pmid not in seen:
                    seen.add(pmid)
                    wanted.append(pmid)
        elif params.get("WebEnv"):
            try:
                key = int(params.get("query_key", "1") or 1)
            except ValueError:
                return error("Invalid query_key")
            with self._lock:
                stored = self._history.get((params["WebEnv"], key))
            if stored is None:
                return error(f"Unable to obtain query #{key}")
            if stored and retstart >= len(stored):
                return error(
                    f"Cannot retrieve history data: OUT OF RANGE. Parameter retstart={retstart} + "
                    f"{retmax} is greater than number of records available in history. "
                    f"History includes {len(stored)} IDs."
                )
            wanted = stored[retstart : retstart + retmax]
        else:
            return error("Empty id list - nothing todo")
        drop = set(self.drop)
        parts = [self.records[p] for p in wanted if p in self.records and p not in drop]
        body = EFETCH_HEAD.encode() + b"<PubmedArticleSet>\n" + b"\n".join(parts)
        body += (b"\n" if parts else b"") + b"</PubmedArticleSet>\n"
        return 200, "text/xml; charset=UTF-8", body


@contextlib.contextmanager
def redirect_entrez(fake: FakeEutils, timeout: float = 30.0) -> Iterator[FakeEutils]:
    """Point ``Bio.Entrez`` at ``fake`` for the duration of the block.

    Replaces ``Bio.Entrez.urlopen`` (what ``Bio.Entrez._open`` calls) with a
    wrapper that rewrites NCBI's E-utilities prefix to ``fake.base_url``,
    keeping method, body and headers, and raises ``OutboundRequestBlocked``
    for any other URL. ``Bio.Entrez.Parser.urlopen`` (used to download a
    missing DTD/XSD) is replaced by a function that always refuses, so a
    test can never reach the internet through the parser either. Resets
    ``Bio.Entrez._open.previous`` to 0 so Biopython's own 3-per-second
    limiter starts fresh. ``evidence.pubmed.EUTILS_URL`` (where the workbook's
    client sends its requests, and the only host it follows redirects to) is
    set to ``fake.base_url``. Everything is restored on exit.
    """
    import Bio.Entrez
    import Bio.Entrez.Parser

    original_urlopen = Bio.Entrez.urlopen
    original_parser_urlopen = Bio.Entrez.Parser.urlopen
    real_urlopen = urllib.request.urlopen

    def fake_urlopen(request: Any, *args: Any, **kwargs: Any) -> Any:
        is_request = isinstance(request, urllib.request.Request)
        url = request.full_url if is_request else str(request)
        if not url.startswith(NCBI_EUTILS_PREFIX):
            raise OutboundRequestBlocked(f"test tried to open a non-NCBI URL: {url}")
        new_url = fake.base_url + url[len(NCBI_EUTILS_PREFIX) :]
        if is_request:
            new_request = urllib.request.Request(
                new_url,
                data=request.data,
                headers=dict(request.header_items()),
                method=request.get_method(),
            )
        else:
            new_request = urllib.request.Request(new_url)
        if not args and "timeout" not in kwargs:
            kwargs["timeout"] = timeout
        return real_urlopen(new_request, *args, **kwargs)

    def refuse(url: Any, *args: Any, **kwargs: Any) -> Any:
        raise OutboundRequestBlocked(f"Bio.Entrez.Parser tried to download {url!r} during a test")

    # the workbook's own client opens E-utilities itself (with its timeouts and its redirect
    # rule) at evidence.pubmed.EUTILS_URL: point that at the fake too
    import evidence.pubmed

    original_base = getattr(evidence.pubmed, "EUTILS_URL", None)  # None: a checkout before issue 15
    Bio.Entrez.urlopen = fake_urlopen
    Bio.Entrez.Parser.urlopen = refuse
    Bio.Entrez._open.previous = 0
    evidence.pubmed.EUTILS_URL = fake.base_url
    try:
        yield fake
    finally:
        Bio.Entrez.urlopen = original_urlopen
        Bio.Entrez.Parser.urlopen = original_parser_urlopen
        if original_base is None:
            del evidence.pubmed.EUTILS_URL
        else:
            evidence.pubmed.EUTILS_URL = original_base

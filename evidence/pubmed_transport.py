"""How one E-utilities request travels: spacing, timeouts, redirects, size, retry hints.

One concept of :mod:`evidence.pubmed`, and used by that module ONLY: it is
the one door to NCBI, and every request is opened by its
:meth:`~evidence.pubmed.PubMed._request` (tests/test_architecture.py checks
that no other module imports this one). Here: the process-wide rate limit
(:class:`_Throttle`), the opener whose connections wait a read timeout and
follow redirects only to the configured host, an answer read a piece at a
time against a deadline and a size limit, ``Retry-After``, and secrets
redacted from what is shown. The etiquette and limits it implements are
described, with NCBI's documentation, in :mod:`evidence.pubmed`'s docstring.
"""

from __future__ import annotations

import functools
import http.client
import math
import threading
import time
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit

from .errors import redact


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

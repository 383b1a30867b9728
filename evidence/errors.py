"""The one exception hierarchy of the workbook.

Every error the package raises on purpose derives from :class:`EvidenceError`,
so a caller (the CLI, a notebook) can catch one class and show its message.
Messages say what was wrong and what to do about it.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import quote, quote_plus

from .escape import terminal_text

__all__ = [
    "redact",
    "clean_line",
    "EvidenceError",
    "SettingsError",
    "SnapshotError",
    "ChecksumError",
    "ReplayMissError",
    "NCBIError",
    "NCBIRequestError",
    "NCBIUnavailableError",
    "SearchTermError",
    "IncompleteFetchError",
    "ParseError",
    "DataError",
    "NonFiniteError",
]


class EvidenceError(Exception):
    """Base class of every error the workbook raises on purpose."""


class SettingsError(EvidenceError, ValueError):
    """An environment variable or option has a value the workbook cannot use."""


class SnapshotError(EvidenceError):
    """The snapshot folder or its manifest is unusable."""


class ChecksumError(SnapshotError):
    """A stored response no longer matches the sha256 its manifest recorded."""


class ReplayMissError(SnapshotError):
    """Replay mode was asked for a request the snapshot does not hold."""


class NCBIError(EvidenceError):
    """E-utilities answered with an error, or not at all."""


class NCBIRequestError(NCBIError):
    """E-utilities refused the request itself (an HTTP 4xx other than 429)."""


class NCBIUnavailableError(NCBIError):
    """E-utilities stayed unreachable or failing after every retry."""


class SearchTermError(NCBIError):
    """ESearch reported an error for the search term (its ``ErrorList``)."""


class IncompleteFetchError(NCBIError):
    """EFetch returned fewer (or other) records than the PMIDs asked for."""


class ParseError(EvidenceError, ValueError):
    """An XML file or answer could not be parsed; the message names where."""


class DataError(EvidenceError, ValueError):
    """A data file of the review (CSV, YAML) has a row or value that is impossible."""


class NonFiniteError(DataError):
    """A pooled result would not be a finite number (the input overflows double precision)."""


#: What a secret is replaced with, by kind (the variable that holds it).
_PLACEHOLDER = "[redacted]"  # safe inside XML text too


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (API key, e-mail) replaced by ``[redacted]``.

    Each secret is also looked for in its URL-encoded forms (``%40`` for
    ``@``), as an echoed request URL would carry it, and case-insensitively
    (NCBI may echo a key in another case). Secrets shorter than four
    characters are ignored (they would blank out ordinary words).
    """
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret, safe="")}:
            text = re.sub(re.escape(form), _PLACEHOLDER, text, flags=re.IGNORECASE)
    return text


_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_BAR = re.compile(r"\d{1,3}%\|")  # a tqdm bar: "name:  40%|####      | 2/5 [00:03<00:05]"


def clean_line(text: str) -> str:
    """One plain line for a terminal: ANSI codes, progress bars, line breaks and every other
    control character removed (:func:`evidence.escape.terminal_text`)."""
    text = _ANSI.sub("", text)
    pieces = [p for p in re.split(r"[\r\n]+", text) if p.strip() and not _BAR.search(p)]
    return " ".join(terminal_text(" ".join(pieces)).split())

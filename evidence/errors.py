"""The one exception hierarchy of the workbook.

Every error the package raises on purpose derives from :class:`EvidenceError`,
so a caller (the CLI, a notebook) can catch one class and show its message.
Messages say what was wrong and what to do about it.
"""

from __future__ import annotations

__all__ = [
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

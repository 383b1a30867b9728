"""The one exception hierarchy of the workbook.

Every error the package raises on purpose derives from :class:`EvidenceError`,
so a caller (the CLI, a notebook) can catch one class and show its message.
Messages say what was wrong and what to do about it.
"""

from __future__ import annotations

import re
from typing import Iterable

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
    "RefusedInputError",
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


class RefusedInputError(ParseError):
    """An input refused by rule: over a documented size limit, an unknown encoding, an entity
    declaration, a namespaced root. Asking again gives the same answer, so it is never retried."""


class DataError(EvidenceError, ValueError):
    """A data file of the review (CSV, YAML) has a row or value that is impossible."""


class NonFiniteError(DataError):
    """A pooled result would not be a finite number (the input overflows double precision)."""


#: What a secret is replaced with, by kind (the variable that holds it).
_PLACEHOLDER = "[redacted]"  # safe inside XML text too


def _any_form(char: str) -> str:
    """A regex for one character of a secret in any form an echo may carry it.

    Literal (any case), percent-encoded (``%40``), or an XML/HTML character or entity
    reference (``&#64;``, ``&#x40;``, ``&commat;``), also with its ``&`` escaped once
    (``&amp;#64;``, as text that went through an XML writer).
    """
    code = ord(char)
    forms = [re.escape(char), f"%{code:02x}", f"&(?:amp;)?#0*{code};", f"&(?:amp;)?#x0*{code:x};"]
    if char == " ":
        forms.append(r"\+")
    forms += [f"&(?:amp;)?{re.escape(name)}" for name in _ENTITY_NAMES.get(char, ())]
    return "(?:" + "|".join(forms) + ")"


def _entity_names() -> dict[str, list[str]]:
    from html.entities import html5

    names: dict[str, list[str]] = {}
    for name, value in html5.items():
        if len(value) == 1 and name.endswith(";"):
            names.setdefault(value, []).append(name)
    return names


_ENTITY_NAMES: dict[str, list[str]] = {}


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (API key, e-mail) replaced by ``[redacted]``.

    The one redaction of the workbook (messages, answers, stored bytes). Each
    secret is found whatever form each of its characters takes: literal (in
    any case: NCBI may echo a key in another case), URL-encoded (``%40`` for
    ``@``, ``+`` for a space), or as a character or entity reference
    (``&#83;``, ``&#x53;``, ``&commat;``, once more escaped as ``&amp;#83;``), as an
    echoed request URL or XML text would carry it; in effect the references
    are decoded before the secret is looked for, and the whole encoded run is
    replaced, so XML stays well-formed. Secrets shorter than four characters
    are ignored (they would blank out ordinary words).
    """
    if not _ENTITY_NAMES:
        _ENTITY_NAMES.update(_entity_names())
    references = _ENCODED.search(text) is not None  # one quick scan: are there any encoded characters?
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        named = any(n in text for c in secret for n in _ENTITY_NAMES.get(c, ())) or (" " in secret and "+" in text)
        if references or named:
            pattern = "".join(_any_form(c) for c in secret)
        else:  # only literal forms can occur: the same result, 10x faster on a large answer
            pattern = re.escape(secret)
        text = re.sub(pattern, _PLACEHOLDER, text, flags=re.IGNORECASE)
    return text


_ENCODED = re.compile(r"%[0-9a-fA-F]{2}|&(?:amp;)?#")


_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_BAR = re.compile(r"\d{1,3}%\|")  # a tqdm bar: "name:  40%|####      | 2/5 [00:03<00:05]"


def clean_line(text: str) -> str:
    """One plain line for a terminal: ANSI codes, progress bars, line breaks and every other
    control character removed (:func:`evidence.escape.terminal_text`)."""
    text = _ANSI.sub("", text)
    pieces = [p for p in re.split(r"[\r\n]+", text) if p.strip() and not _BAR.search(p)]
    return " ".join(terminal_text(" ".join(pieces)).split())

"""Escaping for every output a hostile record or data file can reach: HTML, Markdown, CSV, terminal.

Records (titles, authors, abstracts), ``claims.yaml`` and the CSV tables are written by
others and may hold markup, spreadsheet formulas or terminal control codes. Every writer
passes such fields through one function here, per output:

========================  =====================================================================
:func:`html_text`         text between HTML tags (``& < > " '`` escaped)
:func:`html_attr`         an HTML attribute value (the same, and line breaks as references)
:func:`safe_url`          a link target: only ``https:``, ``http:``, ``mailto:`` or ``#...``
:func:`md_escape`         Markdown text and table cells (HTML, ``| ` [ ] * _ \\``, line starts)
:func:`csv_cell`          a CSV cell a spreadsheet shows as text, never runs as a formula
:func:`terminal_text`     text printed to a terminal: no ANSI, C0/C1 or bidi control codes
========================  =====================================================================

The module imports nothing of the package (every writer may use it).

References
----------
.. [1] OWASP Foundation. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
.. [2] OWASP Foundation. Cross Site Scripting Prevention Cheat Sheet (rules 1 and 2: HTML
   body and attribute contexts; rule 5 for URLs).
   https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
.. [3] CommonMark Spec 0.31, section 2.4 (backslash escapes) and 4 (leaf blocks: the line
   starts that open a heading, quote or list). https://spec.commonmark.org/0.31.2/
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

__all__ = ["html_text", "html_attr", "safe_url", "md_escape", "csv_cell", "terminal_text",
           "FORMULA_START"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


# ----------------------------------------------------------------------------------------------
# HTML


def html_text(value: Any) -> str:
    """``value`` as text inside an HTML element: ``& < > " '`` become character references."""
    return html.escape(_text(value), quote=True)


def html_attr(value: Any) -> str:
    """``value`` inside a double-quoted HTML attribute (``id="..."``, ``title="..."``).

    As :func:`html_text`, and line breaks and tabs become character references, so an
    attribute never spans lines. Use :func:`safe_url` first for ``href``/``src``.
    """
    text = html.escape(_text(value), quote=True)
    return text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Link schemes a report may carry; ``javascript:``, ``data:``, ``vbscript:`` ... are refused.
SAFE_SCHEMES = ("https", "http", "mailto")


def safe_url(value: Any) -> str:
    """A link target that cannot run script: ``https:``/``http:``/``mailto:`` links and
    in-page ``#anchors`` are kept, anything else (``javascript:``, ``data:``, a scheme hidden
    by control characters or spaces) becomes ``"#"``. Escape the result with :func:`html_attr`.
    """
    text = _text(value).strip()
    # browsers drop tabs, newlines and other controls inside a scheme ("java\tscript:")
    probe = re.sub(r"[\x00-\x20\x7f]", "", text)
    if probe.startswith("#"):
        return text
    match = _SCHEME.match(probe)
    if match and match.group(1).lower() in SAFE_SCHEMES and probe == text:
        return text
    return "#"


# ----------------------------------------------------------------------------------------------
# Markdown

# "_" inside a word (up_to_3_months) opens no emphasis in CommonMark (6.2, rule 2): kept as is
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# at the start of a line (after optional spaces) these open a heading, quote, list or rule
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def md_escape(value: Any) -> str:
    """``value`` as literal text in Markdown: in a paragraph, a heading or a table cell.

    - line breaks (``\\n``, ``\\r``, U+2028, ...) become one space, so a field never starts
      a new line (a heading, a quote, a new table row);
    - ``& < > " '`` become HTML character references (no raw HTML, no autolinks);
    - ``\\ ` * _ [ ] | ~`` are backslash-escaped (no code spans, links, emphasis, and no
      extra table cell: GitHub-flavoured tables honour ``\\|``); ``_`` inside a word is kept,
      as it cannot open emphasis there;
    - a leading ``#``, ``>``, ``-``, ``+``, ``=`` or ``1.``/``1)`` is backslash-escaped (no
      heading, quote or list).

    Control characters other than line breaks are removed (:func:`terminal_text`).
    """
    text = terminal_text(_LINE_BREAKS.sub(" ", _text(value)))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = html.escape(text, quote=True)

    def lead(match: re.Match) -> str:
        marker = match.group(2)
        if marker[0].isdigit():  # "1." -> "1\." (CommonMark escapes the delimiter)
            return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}"
        return f"{match.group(1)}\\{marker}"

    return _MD_LINE_START.sub(lead, text, count=1)


# ----------------------------------------------------------------------------------------------
# CSV

#: First characters (after any leading spaces) that make a spreadsheet read a cell as a
#: formula (OWASP, CSV Injection), with their full-width forms that some spreadsheets also
#: accept.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula.

    Parameters
    ----------
    value : any
        A cell. Numbers (int, float; not text) are returned unchanged.

    Returns
    -------
    str or number
        Text that begins with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF, or with one of
        them after leading spaces, gets a single quote in front (spreadsheets take ``'`` as
        "show as text" and hide it). Text that is only a plain number (``-0.5``, ``+3``,
        ``-1e-3``) is kept as it is, so negative numbers stay numbers.

    Notes
    -----
    The rule of OWASP's "CSV Injection" page [1]_, extended to leading spaces (LibreOffice
    and Excel ignore them before ``=``) and to the full-width ``＝ ＋ － ＠``. The csv writer
    then quotes the cell and doubles any quote inside.

    References
    ----------
    .. [1] OWASP Foundation. CSV Injection.
       https://owasp.org/www-community/attacks/CSV_Injection
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    stripped = text.lstrip(" ")
    if not stripped.startswith(FORMULA_START) and not text.startswith(FORMULA_START):
        return text
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        return text
    return "'" + text


# ----------------------------------------------------------------------------------------------
# terminal

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-character ESC sequences, and the
# 8-bit CSI/OSC introducers
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?"
                   r"|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?")
# C0 (but tab and line breaks, handled below), DEL, C1, and the bidirectional overrides and
# isolates that reorder what a terminal shows (CVE-2021-42574, "Trojan Source")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: Any, *, one_line: bool = True) -> str:
    """``value`` safe to print to a terminal: no escape sequences, no control characters.

    ANSI/VT escape sequences (colours, cursor moves, window titles) are removed whole;
    other C0 and C1 control characters, DEL and the bidi overrides are removed; a tab
    becomes a space. With ``one_line`` (the default) CR, LF and the other line separators
    become one space, so an echoed field can never start a line of its own (a fake
    ``evidence fetch:`` line); with ``one_line=False`` LF is kept and CR removed.
    """
    text = _ANSI.sub("", _text(value)).replace("\t", " ")
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "")
        text = re.sub(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", text)
    return _CONTROL.sub("", text)

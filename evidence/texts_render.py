"""Stored claim sentences rendered in a language, and the absolute effect's English forms in Dutch.

Part of :mod:`evidence.texts` (which re-exports every name here). A verdict
keeps its sentences as (key, params) pairs whose params may hold nested
``("@label", table, code)``, ``("@number", x)``, ``("@timepoint", code)``,
``("@absolute", text)`` ... items; :func:`claim_render` turns them into words
in English or Dutch. :func:`claim_absolute` rewrites the known English forms of
the summary of findings' absolute effect (:mod:`evidence.mids`) in Dutch and
keeps a text of another form as written.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .texts_claims import _check_lang, claim_join, claim_label, claim_number, claim_text, claim_timepoint

# The forms of evidence/grade.py's absolute effect ("12.3 lower points on the ... scale (13.4 lower to
# 11.2 lower)") and their Dutch.
_DIRECTION_NL = {"more": "meer", "fewer": "minder", "higher": "hoger", "lower": "lager"}
_ONE = r"(?:no difference|-?\d+(?:\.\d+)? (?:more|fewer|higher|lower))"
_WORDS = re.compile(rf"^(?P<a>{_ONE}) (?P<unit>.+) \((?P<b>{_ONE}) to (?P<c>{_ONE})\)$")
_UNIT_NL = (
    (re.compile(r"^responders per 100$"), "responders per 100"),
    (re.compile(r"^per 100 \(control risk (\d+) per 100\)$"), r"per 100 (risico in de controlegroep \1 per 100)"),
    (re.compile(r"^mm on a 0-100 scale$"), "mm op een schaal van 0-100"),
    (re.compile(r"^points on the trial's pain scale \(unit not stated\)$"),
     "punten op de pijnschaal van de trial (eenheid niet vermeld)"),
    (re.compile(r"^headache days per year$"), "hoofdpijndagen per jaar"),
    (re.compile(r"^headache days$"), "hoofdpijndagen"),
)
_FIXED_NL = (
    (re.compile(r"^SMD (\S+) \((\S+) to (\S+)\) in standard deviations; no re-expression on a familiar scale$"),
     r"SMD \1 (\2 tot \3) in standaarddeviaties; niet omgerekend naar een bekende schaal"),
    (re.compile(r"^not pooled: see the studies' own estimates in the footnotes$"),
     "niet gepoold: zie de schattingen van de afzonderlijke studies in de voetnoten"),
    (re.compile(r"^control-arm risk not reported in the abstracts: absolute effect per 100 cannot be computed "
                r"\(relative effect only\)$"),
     "risico in de controlegroep niet vermeld in de samenvattingen: absoluut effect per 100 niet te berekenen "
     "(alleen relatief effect)"),
)


# the unit-first form: "11.2 mm lower on a 0-100 scale (16.7 lower to 5.7 lower)"
_FIRST = re.compile(rf"^(?:(?P<n>-?\d+(?:\.\d+)?) (?P<first>mm|points) (?P<d>more|fewer|higher|lower)|no difference) "
                    rf"(?P<unit>on .+) \((?P<b>{_ONE}) to (?P<c>{_ONE})\)$")
_FIRST_NL = {"mm": "mm", "points": "punten"}
_ON_NL = (
    (re.compile(r"^on a 0-100 scale$"), "op een schaal van 0-100"),
    (re.compile(r"^on the trial's pain scale \(unit not stated\)$"), "op de pijnschaal van de trial (eenheid niet vermeld)"),
)


def _on_nl(unit: str) -> str | None:
    for pattern, dutch in _ON_NL:
        if pattern.match(unit):
            return dutch
    match = re.match(r"^on the (.+) scale$", unit)
    if match:
        return f"op de schaal voor {claim_label('outcome', match.group(1).replace(' ', '_'), 'nl')}"
    return None


def _one_nl(text: str) -> str:
    if text == "no difference":
        return "geen verschil"
    number, direction = text.split(" ")
    return f"{number} {_DIRECTION_NL[direction]}"


def _unit_nl(unit: str) -> str | None:
    for pattern, dutch in _UNIT_NL:
        if pattern.match(unit):
            return pattern.sub(dutch, unit)
    match = re.match(r"^points on the (.+) scale$", unit)
    if match:
        code = match.group(1).replace(" ", "_")
        return f"punten op de schaal voor {claim_label('outcome', code, 'nl')}"
    return None


def claim_absolute(text: str, lang: str) -> str:
    """The summary of findings' absolute effect (evidence/grade.py, in English) in ``lang``.

    For ``nl`` the known forms are rewritten ("11,2 mm lager op een schaal van
    0-100 (16,7 lager tot 5,7 lager)", "1,5 minder (2,5 minder tot 0,5
    minder) hoofdpijndagen"); a text of another form is kept as written.
    Decimal points become commas.
    """
    _check_lang(lang)
    if lang == "en" or not text:
        return text
    out = None
    first = _FIRST.match(text)
    on = _on_nl(first.group("unit")) if first else None
    if first and on is not None:
        head = (f"{first.group('n')} {_FIRST_NL[first.group('first')]} {_DIRECTION_NL[first.group('d')]}"
                if first.group("n") else "geen verschil")
        out = f"{head} {on} ({_one_nl(first.group('b'))} tot {_one_nl(first.group('c'))})"
    match = None if out else _WORDS.match(text)
    unit = _unit_nl(match.group("unit")) if match else None
    if match and unit is not None:
        out = f"{_one_nl(match.group('a'))} ({_one_nl(match.group('b'))} tot {_one_nl(match.group('c'))}) {unit}"
    for pattern, dutch in _FIXED_NL:
        if out is None and pattern.match(text):
            out = pattern.sub(dutch, text)
    if out is None:
        return text
    out = re.sub(r"(?<![\w.])-(?=\d)", "\u2212", out)
    return re.sub(r"(?<=\d)\.(?=\d)", ",", out)


def claim_render(key: str, params: Mapping[str, Any], lang: str) -> str:
    """Render a stored (key, params) pair; params may hold nested ("@label", table, code) items."""
    values = {}
    for name, value in params.items():
        if isinstance(value, tuple) and value and value[0] == "@label":
            value = claim_label(value[1], value[2], lang)
        elif isinstance(value, tuple) and value and value[0] == "@text":
            value = claim_render(value[1], value[2], lang)
        elif isinstance(value, tuple) and value and value[0] == "@number":
            value = claim_number(value[1], lang)
        elif isinstance(value, tuple) and value and value[0] == "@reported":
            _, study, direction, p = value
            value = f"{study} ({claim_text(direction, lang)}" + (f", p = {p})" if p else ")")
        elif isinstance(value, tuple) and value and value[0] == "@cite":
            _, author, year, design, pmid = value
            value = f"{author} {year} ({claim_label('design', design, lang)}; PMID {pmid})"
        elif isinstance(value, tuple) and value and value[0] == "@timepoint":
            value = claim_timepoint(value[1], lang)
        elif isinstance(value, tuple) and value and value[0] == "@absolute":
            value = claim_absolute(value[1], lang)
        elif isinstance(value, tuple) and value and value[0] == "@list":
            value = claim_join([claim_render("_raw", {"v": v}, lang) for v in value[1]], lang)
        values[name] = value
    if key == "_raw":
        return str(values["v"])
    return claim_text(key, lang, **values)

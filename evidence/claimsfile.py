"""The claims file: ``data/claims.yaml`` read and checked, and ``data/sessions.csv``.

Every claim of the article is data: its quotes (verbatim in the article), what it
asserts (``kind``, ``hedged``, ``specific``, ``sessions``), the summary-of-findings
rows that bear on it (``sof``), its ``parts`` and the evidence cues (regular
expressions, each checked by the safe-regex rule of :mod:`evidence.saferegex`).
The file is untrusted input: every field is checked and a bad one is refused with
one line naming the file, the claim and the field. The verdicts on these claims
are :mod:`evidence.claims`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ._csv import checked_header, data_rows, read_csv_rows
from ._yaml import load_yaml
from .errors import DataError
from .saferegex import regex_problem
from .vocab import PMID, STUDY_ID
from .vocab import CLAIM_KINDS, COMPARISONS, CONDITIONS, DESIGNS

__all__ = ["KINDS", "TIMEPOINT_SETS", "ID_PATTERN", "SESSION_COLUMNS", "SESSIONS_RANGE",
           "Quote", "Part", "Claim", "load_claims", "load_sessions"]

KINDS = CLAIM_KINDS
TIMEPOINT_SETS = ("any", "long_term", "early")


@dataclass(frozen=True)
class Quote:
    """Where the article makes the claim, in its own (Dutch) words."""

    section: str
    text: str


@dataclass(frozen=True)
class Part:
    """A part of a claim that gets its own verdict (``parts`` in ``data/claims.yaml``)."""

    id: str
    section: str | None = None
    asks: str = "effect"  # effect | proportion


@dataclass(frozen=True)
class Claim:
    """One claim of the article and what evidence bears on it (see ``data/claims.yaml``)."""

    id: str
    quotes: tuple[Quote, ...]
    claim_en: str
    kind: str
    hedged: bool
    specific: str | None
    designs: tuple[str, ...]
    conditions: tuple[str, ...]
    cues: tuple[str, ...]
    indirect: tuple[str, ...]
    query: str
    cues_in: str = "text"
    sof_conditions: tuple[str, ...] = ()
    sof_comparisons: tuple[str, ...] = ()
    sof_outcomes: tuple[str, ...] = ()
    sof_timepoints: str = "any"
    parts: tuple[Part, ...] = ()
    sessions: tuple[int, int] | None = None

    @property
    def claim_nl(self) -> str:
        """The article's words; several quotes joined with their sections."""
        if len(self.quotes) == 1:
            return self.quotes[0].text
        return " / ".join(f"({q.section}) {q.text}" for q in self.quotes)

    @property
    def uses_sof(self) -> bool:
        """Whether the claim is judged on summary-of-findings rows (it has a ``sof`` block)."""
        return bool(self.sof_conditions)


#: A claim id (and a part id): lowercase ASCII letters, digits and underscores. It becomes an
#: HTML anchor and a file name (``<id>.ris``), so nothing else is allowed.
ID_PATTERN = re.compile(r"[a-z0-9_]+")


def _text(claim_id: str, name: str, value: Any, *, optional: bool = False) -> str | None:
    """``value`` as text (YAML numbers such as a section ``7`` are written as text)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DataError(f"claims: {claim_id}: {name} must be text, got "
                        f"{'nothing' if value is None else type(value).__name__}")
    return str(value)


def _mapping(claim_id: str, name: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise DataError(f"claims: {claim_id}: {name} must be a mapping (key: value), got "
                        f"{'nothing' if value is None else type(value).__name__}")
    return value


def _vocab(claim_id: str, name: str, values: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise DataError(f"claims: {claim_id}: {name} must be a list")
    if not all(isinstance(v, str) for v in values):
        raise DataError(f"claims: {claim_id}: {name} must be a list of words")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise DataError(f"claims: {claim_id}: {name} has unknown value(s) {bad}; "
                        f"allowed: {', '.join(allowed)}")
    return tuple(values)


def _regexes(claim_id: str, name: str, values: Any) -> tuple[str, ...]:
    """Cues, each checked by the safe-regex rule (:func:`evidence.saferegex.regex_problem`)."""
    if values is None:
        return ()
    if not isinstance(values, list):
        raise DataError(f"claims: {claim_id}: evidence.{name} must be a list of regular expressions")
    out = []
    for value in values:
        if not isinstance(value, str):
            raise DataError(f"claims: {claim_id}: evidence.{name} must be a list of regular "
                            f"expressions (text), got {type(value).__name__} {value!r}")
        problem = regex_problem(value)
        if problem:
            raise DataError(f"claims: {claim_id}: evidence.{name}: {value[:60]!r} is refused: "
                            f"{problem} (see the safe-regex rule in the file's header)")
        out.append(value)
    return tuple(out)


def _cues_in(claim_id: str, value: Any) -> str:
    if value not in ("text", "title"):
        raise DataError(f"claims: {claim_id}: evidence.cues_in must be 'text' or 'title', got {value!r}")
    return value


def _sof_block(cid: str, sof: Any) -> dict:
    if sof is None:
        return {}
    if not isinstance(sof, dict):
        raise DataError(f"claims: {cid}: sof must be a mapping (conditions, comparisons, outcomes, timepoints)")
    unknown = set(sof) - {"conditions", "comparisons", "outcomes", "timepoints"}
    if unknown:
        raise DataError(f"claims: {cid}: sof has unknown field(s) {sorted(unknown)}; "
                        "allowed: conditions, comparisons, outcomes, timepoints")
    timepoints = sof.get("timepoints", "any")
    if timepoints not in TIMEPOINT_SETS:
        raise DataError(f"claims: {cid}: sof.timepoints {timepoints!r} is not one of {', '.join(TIMEPOINT_SETS)}")
    conditions = _vocab(cid, "sof.conditions", sof.get("conditions"), CONDITIONS)
    if not conditions:
        raise DataError(f"claims: {cid}: sof.conditions is empty; name the conditions whose rows count")
    outcomes = sof.get("outcomes")
    if outcomes is not None and (not isinstance(outcomes, list)
                                 or not all(isinstance(o, str) and ID_PATTERN.fullmatch(o) for o in outcomes)):
        raise DataError(f"claims: {cid}: sof.outcomes must be a list of outcome codes ([a-z0-9_]+)")
    return {"sof_conditions": conditions,
            "sof_comparisons": _vocab(cid, "sof.comparisons", sof.get("comparisons"), COMPARISONS),
            "sof_outcomes": tuple(outcomes or ()),
            "sof_timepoints": timepoints}


def _parts(cid: str, raw: Any, sections: set[str]) -> tuple[Part, ...]:
    if raw is not None and not isinstance(raw, list):
        raise DataError(f"claims: {cid}: parts must be a list of {{id, section, asks}}")
    out = []
    for item in raw or ():
        if not isinstance(item, dict) or not item.get("id"):
            raise DataError(f"claims: {cid}: each of parts needs an id")
        if not isinstance(item["id"], str) or not ID_PATTERN.fullmatch(item["id"]):
            raise DataError(f"claims: {cid}: parts: id {item['id']!r} must match [a-z0-9_]+")
        asks = item.get("asks", "effect")
        if asks not in ("effect", "proportion"):
            raise DataError(f"claims: {cid}: parts: {item['id']}: asks must be 'effect' or 'proportion', got {asks!r}")
        section = str(item["section"]) if item.get("section") is not None else None
        if section is not None and section not in sections:
            raise DataError(f"claims: {cid}: parts: {item['id']}: section {section} has no quote")
        out.append(Part(id=str(item["id"]), section=section, asks=asks))
    return tuple(out)


def _sessions_range(cid: str, value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, int) for v in value)
            or value[0] > value[1]):
        raise DataError(f"claims: {cid}: asserts.sessions must be [low, high] (integers), got {value!r}")
    return (value[0], value[1])


_TOP_FIELDS = ("id", "quotes", "claim_en", "asserts", "sof", "parts", "evidence", "query")
_EVIDENCE_FIELDS = ("designs", "conditions", "cues", "cues_in", "indirect")
_ASSERTS_FIELDS = ("kind", "hedged", "specific", "sessions")


def load_claims(path: str | Path, *, article: str | Path | None = None) -> tuple[Claim, ...]:
    """Read and check ``data/claims.yaml``.

    Parameters
    ----------
    path : path
        The claims file (``data/claims.yaml``; :func:`evidence.review.load_claims` reads it).
    article : path, optional
        The article; when given, every quote must occur in it verbatim.

    Raises
    ------
    DataError
        A missing field, an unknown vocabulary value, a bad regular
        expression, a duplicated id, or a quote not in the article; the
        message names the claim and the field.
    """
    path = Path(path)
    raw = load_yaml(path)  # no aliases, no duplicate keys, bounded size (evidence._yaml)
    if not isinstance(raw, list):
        raise DataError(f"{path}: expected a list of claims")
    text = Path(article).read_text(encoding="utf-8") if article is not None else None
    claims: list[Claim] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            raise DataError(f"{path}: claim {index} has no id")
        if not isinstance(item["id"], str) or not ID_PATTERN.fullmatch(item["id"]):
            raise DataError(f"{path}: claim {index}: id {item['id']!r} must match [a-z0-9_]+ "
                            "(lowercase letters, digits, underscores)")
        cid = item["id"]
        if cid in seen:
            raise DataError(f"{path}: claim id {cid!r} appears twice")
        seen.add(cid)
        for key in ("quotes", "claim_en", "asserts", "evidence", "query"):
            if key not in item:
                raise DataError(f"{path}: {cid}: missing field {key!r}")
        if not isinstance(item["quotes"], list) or not all(
                isinstance(q, dict) and set(q) == {"section", "text"} for q in item["quotes"]):
            raise DataError(f"{path}: {cid}: quotes must be a list of {{section, text}}")
        try:
            quotes = tuple(Quote(_text(cid, "quotes.section", q["section"]), _text(cid, "quotes.text", q["text"]))
                           for q in item["quotes"])
            for key in ("claim_en", "query"):
                _text(cid, key, item[key])
            asserts = _mapping(cid, "asserts", item["asserts"])
            ev = _mapping(cid, "evidence", item["evidence"])
            if not isinstance(asserts.get("hedged", False), bool):
                raise DataError(f"claims: {cid}: asserts.hedged must be true or false")
            _text(cid, "asserts.specific", asserts.get("specific"), optional=True)
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None
        if not quotes:
            raise DataError(f"{path}: {cid}: no quote")
        if text is not None:
            for q in quotes:
                if q.text not in text:
                    raise DataError(f"{path}: {cid}: quote not found verbatim in {article}: {q.text[:60]!r}")
        for where, given, allowed in (("", item, _TOP_FIELDS), ("evidence.", ev, _EVIDENCE_FIELDS),
                                      ("asserts.", asserts, _ASSERTS_FIELDS)):
            unknown = sorted(set(given) - set(allowed))
            if unknown:
                raise DataError(f"{path}: {cid}: unknown field(s) {', '.join(where + u for u in unknown)}; "
                                f"allowed: {', '.join(allowed)} (see the file's header)")
        kind = asserts.get("kind")
        if kind not in KINDS:
            raise DataError(f"{path}: {cid}: asserts.kind {kind!r} is not one of {', '.join(KINDS)}")
        try:
            claims.append(Claim(
                id=cid,
                quotes=quotes,
                claim_en=" ".join(str(item["claim_en"]).split()),
                kind=kind,
                hedged=bool(asserts.get("hedged", False)),
                specific=_text(cid, "asserts.specific", asserts.get("specific"), optional=True),
                designs=_vocab(cid, "evidence.designs", ev.get("designs"), DESIGNS),
                conditions=_vocab(cid, "evidence.conditions", ev.get("conditions"), CONDITIONS),
                cues=_regexes(cid, "cues", ev.get("cues")),
                indirect=_regexes(cid, "indirect", ev.get("indirect")),
                query=str(item["query"]),
                cues_in=_cues_in(cid, ev.get("cues_in", "text")),
                parts=_parts(cid, item.get("parts"), {q.section for q in quotes}),
                sessions=_sessions_range(cid, asserts.get("sessions")),
                **_sof_block(cid, item.get("sof")),
            ))
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None
    return tuple(claims)


#: Columns of ``data/sessions.csv``.
SESSION_COLUMNS = ("study_id", "pmid", "sessions", "source")
#: Plausible planned sessions of a course (data/sessions_README.md): 1 to 200.
SESSIONS_RANGE = (1, 200)
_STUDY_ID, _PMID_TEXT = STUDY_ID, PMID  # evidence.vocab: one pattern for every table


def load_sessions(path: str | Path) -> dict[str, int]:
    """``data/sessions.csv`` as {pmid: planned sessions} (rows without a number are left out).

    Raises
    ------
    DataError
        One line naming the file and the row: a missing column, a ragged row, a study id that
        does not match ``[a-z][a-z0-9_]*``, a PMID that is not ASCII digits, a session count that
        is not a whole number (ASCII digits) from 1 to 200, or a count without its verbatim
        source sentence.
    """
    path = Path(path)
    records = read_csv_rows(path, expected=SESSION_COLUMNS)  # BOM, UTF-16, NUL, ragged rows
    header = checked_header(records, SESSION_COLUMNS, path)
    out: dict[str, int] = {}
    for line, row in data_rows(records, header, SESSION_COLUMNS):
        if not _STUDY_ID.fullmatch(row["study_id"]):
            raise DataError(f"{path}, row {line}: study_id {row['study_id']!r} must match [a-z][a-z0-9_]* "
                            "(the study's id in studies.csv)")
        if not _PMID_TEXT.fullmatch(row["pmid"]):
            raise DataError(f"{path}, row {line}: pmid {row['pmid']!r} is not a PubMed identifier "
                            "(ASCII digits, no leading zero)")
        value = row["sessions"]
        if not value:
            continue
        low, high = SESSIONS_RANGE
        if not re.fullmatch(r"[0-9]+", value):  # ASCII only: "²".isdigit() is True
            raise DataError(f"{path}, row {line}: sessions must be a positive integer (ASCII digits) "
                            f"or empty, got {value!r}")
        if not low <= int(value) <= high:
            raise DataError(f"{path}, row {line}: sessions {value} is out of range (a whole number "
                            f"from {low} to {high}, or empty)")
        if '"' not in row["source"]:
            raise DataError(f"{path}, row {line}: a session count needs its verbatim source sentence in quotes")
        out[row["pmid"]] = int(value)
    return out

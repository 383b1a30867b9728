"""Check the article's claims against the evidence: verdicts, certainty and citations.

The claims are data (``data/claims.yaml``); this module gathers, for each
claim, the records and extracted effects that bear on it and decides a
``verdict`` and a ``certainty`` by the explicit rules below. Every decision
is recorded (``rule``, ``downgrades``) so a reviewer can see why.

Evidence
--------
A record is **direct** evidence for a claim when its design and condition are
among the claim's ``designs`` and ``conditions`` and, where the claim lists
``cues``, its title or abstract matches one; a record with an extracted
effect (``data/effects.csv``) whose own condition, comparison and outcome are
the claim's is direct too (a review of several conditions reporting one of
ours). A record is **indirect** when it is not direct but matches the claim's
``indirect`` cues (another condition, population or method). Protocols never
count: they report no results.

An extracted effect **favours** acupuncture when its confidence interval
excludes no effect on the side that is better for patients (lower pain,
fewer headache days; more responders, more range of motion:
:data:`HIGHER_IS_BETTER`), is **null** when the interval includes no effect,
and is **against** otherwise. Estimates are acupuncture minus (or over)
control, as extracted.

Verdict rules (by the claim's ``asserts.kind``)
-----------------------------------------------
``no_evidence``
    nothing direct and nothing indirect.
only indirect evidence (any kind)
    ``not_supported``, certainty ``very_low`` (``overstated`` for a claim with
    a specific figure): evidence for another method, condition or
    population cannot back the claim.
efficacy
    ``not_supported`` when no direct effect favours acupuncture or any goes
    against it; ``supported`` when at least two favour it, favourable
    estimates are at least twice the null ones, a systematic review or RCT
    is among the direct evidence, and the claim is hedged as the evidence
    is or certainty is at least moderate; otherwise ``supported_with_caveats``.
durability
    needs favourable effects measured at least three months after
    randomisation: in every condition the claim names → ``supported`` (if
    hedged; else with caveats), in some → ``supported_with_caveats``, none
    (only short-term data) → ``overstated``.
timing, dose, method (claims with a specific figure)
    a figure ("after 1-2 sessions", "6-8 sessions", "faster than other
    acupuncture") is supported only by a comparison that tests it
    (an extracted effect whose outcome names it); direct evidence that does
    not test it gives ``overstated``.
safety
    ``supported`` when a systematic review of prospective studies or at
    least two large prospective surveys (10,000 treatments or more) are
    direct evidence, else ``supported_with_caveats``.
mechanism
    direct mechanistic evidence caps the verdict at ``supported_with_caveats``
    (a mechanism shown in laboratory, animal or imaging studies does not show
    the clinical effect the article ties it to).

No claim is ``supported`` without a systematic review or RCT among its direct
evidence, except safety (whose best designs are prospective surveys) and that
rule is stated in the verdict.

Certainty (GRADE-style, starting level then downgrades)
-------------------------------------------------------
Start ``high`` when direct evidence includes a systematic review or RCT
(``moderate`` for safety from prospective surveys or a review of them),
``low`` for observational or non-randomised evidence or for mechanism, and
``very_low`` for indirect evidence only. One level down for each of:

- risk of bias: no sham-controlled estimate among the direct effects, or
  the direct trials are small (median n < 100);
- inconsistency: not every direct estimate favours acupuncture (some
  include no effect), or a pooled I² above 50%;
- imprecision: fewer than 400 participants in the direct evidence, or
  fewer than two direct estimates;
- indirectness: mechanism backed only by narrative reviews, with no
  primary mechanistic study among the direct evidence.

Abstracts cut short in the snapshot are flagged in the summary: their
results could not be read, so the evidence may be stronger or weaker than
the snapshot shows.

References
----------
Guyatt GH et al. GRADE: an emerging consensus on rating quality of evidence
and strength of recommendations. BMJ 2008;336:924-6.
Schünemann H et al., eds. GRADE Handbook, 2013 (downgrading domains).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import DataError

__all__ = [
    "VERDICTS",
    "CERTAINTIES",
    "KINDS",
    "HIGHER_IS_BETTER",
    "Quote",
    "Claim",
    "Evidence",
    "Verdict",
    "ClaimsReport",
    "load_claims",
    "assess_claims",
    "check_claims",
    "study_table",
    "VERDICT_LABELS",
    "CERTAINTY_LABELS",
]

VERDICTS = ("supported", "supported_with_caveats", "overstated", "not_supported", "no_evidence")
CERTAINTIES = ("high", "moderate", "low", "very_low")
KINDS = ("efficacy", "durability", "timing", "dose", "safety", "mechanism", "method")
DESIGNS = ("systematic_review", "rct", "non_randomised_trial", "protocol", "observational",
           "narrative_review", "mechanistic", "case_report", "guideline", "other")
CONDITIONS = ("tension_type_headache", "neck_pain", "both", "chronic_pain", "other")
COMPARISONS = ("acupuncture_vs_sham", "acupuncture_vs_usual_care", "acupuncture_vs_active")

#: Outcomes where a larger value is better for the patient (all others: smaller is better).
HIGHER_IS_BETTER = re.compile(r"responder|range_of_motion|global_change|function|constant_murley|quality_of_life")
_RATIO_MEASURES = {"RR", "OR", "HR", "GENERIC_RR"}
_DESIGN_RANK = {d: i for i, d in enumerate(
    ("systematic_review", "rct", "non_randomised_trial", "observational", "mechanistic",
     "case_report", "narrative_review", "guideline", "other", "protocol"))}
_CLINICAL = ("systematic_review", "rct")
_SHORT = {"systematic_review": "SR", "rct": "RCT", "non_randomised_trial": "non-randomised trial",
          "observational": "observational", "mechanistic": "mechanistic", "narrative_review": "narrative review",
          "case_report": "case report", "guideline": "guideline", "other": "other", "protocol": "protocol"}

#: The verdict labels as shown to readers, per language.
VERDICT_LABELS = {
    "en": {"supported": "supported", "supported_with_caveats": "supported, with caveats",
           "overstated": "overstated", "not_supported": "not supported", "no_evidence": "no evidence found"},
    "nl": {"supported": "onderbouwd", "supported_with_caveats": "onderbouwd, met kanttekeningen",
           "overstated": "overdreven", "not_supported": "niet onderbouwd", "no_evidence": "geen bewijs gevonden"},
}
CERTAINTY_LABELS = {
    "en": {"high": "high", "moderate": "moderate", "low": "low", "very_low": "very low", None: "none"},
    "nl": {"high": "hoog", "moderate": "matig", "low": "laag", "very_low": "zeer laag", None: "geen"},
}

# The fixed text of the summaries, per language; the evidence itself (titles, quoted numbers)
# stays as published.
_TEXT = {
    "en": {
        "count": "{items}.",
        "none": "No record in the snapshot bears on this claim.",
        "only_indirect": "No direct evidence; only indirect evidence (another method, condition or population): {items}.",
        "indirect_also": "Indirect evidence also cited: {items}.",
        "effects": "{comparison}: {fav} of {k} estimate(s) favour acupuncture{examples}.",
        "no_effects": "No effect estimate with a confidence interval could be read from the direct evidence.",
        "sham_smaller": "Effects against sham are smaller than against usual care, so part of the benefit is non-specific.",
        "long_term": "Favourable effects at 3 months or later: {items}.",
        "long_term_missing": "No favourable effect measured at 3 months or later for: {items}.",
        "short_only": "Only short-term results: the claim of lasting effects goes beyond the data.",
        "figure_untested": "No study in the snapshot tests the claim's specific figure ({figure}).",
        "sessions": "The trials' abstracts describe courses of {span} sessions.",
        "dose_note": "{first_author} {year} ({design}): \"{sentence}.\"",
        "safety_risks": "Reported risks: \"{items}.\"",
        "mechanism_cap": "Mechanistic evidence shows how acupuncture may act, not that it helps these patients; the verdict is capped at 'supported, with caveats'.",
        "safety_designs": "For safety the best designs are large prospective surveys and reviews of them; no RCT is needed for this verdict.",
        "certainty": "Certainty {certainty}{reasons}.",
        "downgraded": ": downgraded for {items}",
        "cut": "Abstract cut short in the snapshot (results may be missing): PMID {items}.",
        "no_sr_rct": "No systematic review or RCT among the direct evidence.",
        "vs_sham": "Versus sham", "vs_usual_care": "Versus usual care", "vs_active": "Versus another treatment",
        "rob_sham": "risk of bias (no sham-controlled estimate)",
        "rob_small": "risk of bias (small trials, median n = {n})",
        "inconsistency": "inconsistency ({fav} of {k} estimates favourable)",
        "inconsistency_i2": "inconsistency (pooled I² = {i2:.0f}%)",
        "imprecision_n": "imprecision ({n} participants)",
        "imprecision_k": "imprecision (fewer than two estimates)",
        "indirect_mech": "indirectness (narrative reviews only, no primary mechanistic study)",
        "indirect_figure": "indirectness (no study tests the stated figure)",
        "and": "and",
    },
    "nl": {
        "count": "{items}.",
        "none": "Geen enkel record in de snapshot gaat over deze bewering.",
        "only_indirect": "Geen direct bewijs; alleen indirect bewijs (andere methode, aandoening of populatie): {items}.",
        "indirect_also": "Ook indirect bewijs geciteerd: {items}.",
        "effects": "{comparison}: {fav} van {k} schatting(en) in het voordeel van acupunctuur{examples}.",
        "no_effects": "Uit het directe bewijs kon geen effectschatting met betrouwbaarheidsinterval worden gelezen.",
        "sham_smaller": "Effecten ten opzichte van schijnacupunctuur zijn kleiner dan ten opzichte van gebruikelijke zorg; een deel van het voordeel is niet-specifiek.",
        "long_term": "Gunstige effecten na 3 maanden of later: {items}.",
        "long_term_missing": "Geen gunstig effect gemeten na 3 maanden of later voor: {items}.",
        "short_only": "Alleen kortetermijnresultaten: de bewering over blijvende effecten gaat verder dan de gegevens.",
        "figure_untested": "Geen studie in de snapshot toetst het specifieke getal van de bewering ({figure}).",
        "sessions": "De samenvattingen van de trials beschrijven behandelreeksen van {span} sessies.",
        "dose_note": "{first_author} {year} ({design}): \"{sentence}.\"",
        "safety_risks": "Gerapporteerde risico's: \"{items}.\"",
        "mechanism_cap": "Mechanistisch bewijs laat zien hoe acupunctuur kan werken, niet dat het deze patiënten helpt; het oordeel is maximaal 'onderbouwd, met kanttekeningen'.",
        "safety_designs": "Voor veiligheid zijn grote prospectieve surveys en reviews daarvan de beste designs; voor dit oordeel is geen RCT nodig.",
        "certainty": "Zekerheid {certainty}{reasons}.",
        "downgraded": ": verlaagd wegens {items}",
        "cut": "Samenvatting afgekapt in de snapshot (resultaten kunnen ontbreken): PMID {items}.",
        "no_sr_rct": "Geen systematische review of RCT onder het directe bewijs.",
        "vs_sham": "Tegenover schijnacupunctuur", "vs_usual_care": "Tegenover gebruikelijke zorg",
        "vs_active": "Tegenover een andere behandeling",
        "rob_sham": "risico op vertekening (geen schijngecontroleerde schatting)",
        "rob_small": "risico op vertekening (kleine trials, mediane n = {n})",
        "inconsistency": "inconsistentie ({fav} van {k} schattingen gunstig)",
        "inconsistency_i2": "inconsistentie (gepoolde I² = {i2:.0f}%)",
        "imprecision_n": "onnauwkeurigheid ({n} deelnemers)",
        "imprecision_k": "onnauwkeurigheid (minder dan twee schattingen)",
        "indirect_mech": "indirectheid (alleen narratieve reviews, geen primaire mechanistische studie)",
        "indirect_figure": "indirectheid (geen studie toetst het genoemde getal)",
        "and": "en",
    },
}
_LANGS = tuple(_TEXT)


# ----------------------------------------------------------------------------------------------
# claims as data


@dataclass(frozen=True)
class Quote:
    """Where the article makes the claim, in its own (Dutch) words."""

    section: str
    text: str


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
    comparisons: tuple[str, ...]
    outcomes: tuple[str, ...]
    cues: tuple[str, ...]
    indirect: tuple[str, ...]
    query: str
    cues_in: str = "text"
    timepoints: tuple[str, ...] = ()

    @property
    def claim_nl(self) -> str:
        """The article's words; several quotes joined with their sections."""
        if len(self.quotes) == 1:
            return self.quotes[0].text
        return " / ".join(f"({q.section}) {q.text}" for q in self.quotes)


def _vocab(claim_id: str, name: str, values: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise DataError(f"claims: {claim_id}: evidence.{name} must be a list")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise DataError(f"claims: {claim_id}: evidence.{name} has unknown value(s) {bad}; "
                        f"allowed: {', '.join(allowed)}")
    return tuple(values)


def _regexes(claim_id: str, name: str, values: Any) -> tuple[str, ...]:
    out = []
    for value in values or ():
        try:
            re.compile(value)
        except re.error as exc:
            raise DataError(f"claims: {claim_id}: evidence.{name}: {value!r} is not a valid "
                            f"regular expression ({exc})") from None
        out.append(value)
    return tuple(out)


def _cues_in(claim_id: str, value: Any) -> str:
    if value not in ("text", "title"):
        raise DataError(f"claims: {claim_id}: evidence.cues_in must be 'text' or 'title', got {value!r}")
    return value


def load_claims(path: str | Path | None = None, *, article: str | Path | None = None) -> tuple[Claim, ...]:
    """Read and check ``data/claims.yaml``.

    Parameters
    ----------
    path : path, optional
        The claims file; ``EVIDENCE_DATA/claims.yaml`` when omitted.
    article : path, optional
        The article; when given, every quote must occur in it verbatim.

    Raises
    ------
    DataError
        A missing field, an unknown vocabulary value, a bad regular
        expression, a duplicated id, or a quote not in the article; the
        message names the claim and the field.
    """
    import yaml

    from .settings import load_settings

    path = Path(path) if path is not None else load_settings().data_dir / "claims.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, list):
        raise DataError(f"{path}: expected a list of claims")
    text = Path(article).read_text(encoding="utf-8") if article is not None else None
    claims: list[Claim] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            raise DataError(f"{path}: claim {index} has no id")
        cid = str(item["id"])
        if cid in seen:
            raise DataError(f"{path}: claim id {cid!r} appears twice")
        seen.add(cid)
        for key in ("quotes", "claim_en", "asserts", "evidence", "query"):
            if key not in item:
                raise DataError(f"{path}: {cid}: missing field {key!r}")
        quotes = tuple(Quote(str(q["section"]), str(q["text"])) for q in item["quotes"])
        if not quotes:
            raise DataError(f"{path}: {cid}: no quote")
        if text is not None:
            for q in quotes:
                if q.text not in text:
                    raise DataError(f"{path}: {cid}: quote not found verbatim in {article}: {q.text[:60]!r}")
        asserts, ev = item["asserts"], item["evidence"]
        kind = asserts.get("kind")
        if kind not in KINDS:
            raise DataError(f"{path}: {cid}: asserts.kind {kind!r} is not one of {', '.join(KINDS)}")
        claims.append(Claim(
            id=cid,
            quotes=quotes,
            claim_en=" ".join(str(item["claim_en"]).split()),
            kind=kind,
            hedged=bool(asserts.get("hedged", False)),
            specific=asserts.get("specific"),
            designs=_vocab(cid, "designs", ev.get("designs"), DESIGNS),
            conditions=_vocab(cid, "conditions", ev.get("conditions"), CONDITIONS),
            comparisons=_vocab(cid, "comparisons", ev.get("comparisons"), COMPARISONS),
            outcomes=tuple(ev.get("outcomes") or ()),
            cues=_regexes(cid, "cues", ev.get("cues")),
            indirect=_regexes(cid, "indirect", ev.get("indirect")),
            query=str(item["query"]),
            cues_in=_cues_in(cid, ev.get("cues_in", "text")),
            timepoints=_regexes(cid, "timepoints", ev.get("timepoints")),
        ))
    return tuple(claims)


# ----------------------------------------------------------------------------------------------
# evidence


@dataclass(frozen=True)
class Effect:
    """One extracted effect as the verdict reads it."""

    pmid: str
    study: str
    comparison: str
    condition: str
    outcome: str
    timepoint: str
    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    direction: str  # favours | null | against

    def text(self) -> str:
        measure = self.measure.replace("GENERIC_", "")
        return (f"{self.study}: {self.outcome.replace('_', ' ')} {measure} {_num(self.estimate)} "
                f"(95% CI {_num(self.ci_low)} to {_num(self.ci_high)})")


@dataclass(frozen=True)
class Evidence:
    """A record cited for a claim."""

    pmid: str
    relation: str  # direct | indirect
    design: str
    condition: str
    year: int | None
    first_author: str
    title: str
    n: int | None
    abstract_complete: bool | None
    effects: tuple[Effect, ...] = ()

    def label(self) -> str:
        n = f", n = {self.n:,}" if self.n else ""
        return f"{self.first_author.split(' ')[0]} {self.year} ({_SHORT.get(self.design, self.design)}{n}; PMID {self.pmid})"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim, with what it rests on and why."""

    id: str
    claim_nl: str
    claim_en: str
    verdict: str
    certainty: str | None
    pmids: tuple[str, ...]
    rule: str
    downgrades: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    cut_short: tuple[str, ...]
    quotes: tuple[Quote, ...]
    query: str
    _parts: tuple[tuple[str, Mapping[str, Any]], ...] = field(repr=False, default=())

    def summary(self, lang: str = "en") -> str:
        """The summary in English (``"en"``) or Dutch (``"nl"``); evidence text stays as published."""
        if lang not in _LANGS:
            raise ValueError(f"lang must be one of {', '.join(_LANGS)}, got {lang!r}")
        return " ".join(_render(key, params, lang) for key, params in self._parts)

    @property
    def summary_en(self) -> str:
        return self.summary("en")

    def to_json(self) -> dict:
        """The contract's object: id, claim_nl, claim_en, verdict, certainty, pmids, summary_en."""
        return {
            "id": self.id,
            "claim_nl": self.claim_nl,
            "claim_en": self.claim_en,
            "verdict": self.verdict,
            "certainty": self.certainty,
            "pmids": list(self.pmids),
            "summary_en": self.summary_en,
        }

    def evidence_frame(self):
        """One row per cited record: relation, design, n, effects, whether its abstract is whole."""
        import pandas as pd

        return pd.DataFrame(
            [{"pmid": e.pmid, "relation": e.relation, "design": e.design, "condition": e.condition,
              "year": e.year, "first_author": e.first_author, "n": e.n,
              "abstract_complete": e.abstract_complete,
              "effects": "; ".join(x.text() for x in e.effects), "title": e.title}
             for e in self.evidence],
            columns=["pmid", "relation", "design", "condition", "year", "first_author", "n",
                     "abstract_complete", "effects", "title"])


@dataclass(frozen=True)
class ClaimsReport:
    """The verdicts on all claims."""

    verdicts: tuple[Verdict, ...]

    def __iter__(self):
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def __getitem__(self, claim_id: str) -> Verdict:
        for v in self.verdicts:
            if v.id == claim_id:
                return v
        raise KeyError(claim_id)

    def to_json(self) -> list[dict]:
        return [v.to_json() for v in self.verdicts]

    def summary_frame(self, lang: str = "en"):
        """One row per claim: id, verdict, certainty, cited PMIDs, summary."""
        import pandas as pd

        return pd.DataFrame(
            [{"id": v.id, "verdict": v.verdict, "certainty": v.certainty,
              "pmids": ", ".join(v.pmids), "rule": v.rule, "summary": v.summary(lang)}
             for v in self.verdicts],
            columns=["id", "verdict", "certainty", "pmids", "rule", "summary"])


def _num(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.0f}"
    return text.replace("-", "\u2212")


def _join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_TEXT[lang]['and']} {items[-1]}"


def _render(key: str, params: Mapping[str, Any], lang: str) -> str:
    values = {}
    for name, value in params.items():
        if isinstance(value, tuple) and value and value[0] == "@keys":
            value = _join([_render(k, p, lang) for k, p in value[1]], lang)
        elif isinstance(value, tuple) and value and value[0] == "@key":
            value = _render(value[1], value[2], lang)
        elif isinstance(value, (list, tuple)):
            value = _join([str(v) for v in value], lang)
        values[name] = value
    if key == "certainty_label":
        return CERTAINTY_LABELS[lang][params["level"]]
    return _TEXT[lang][key].format(**values)


_N_PATTERN = re.compile(
    r"(?<!per )\b(\d{1,3}(?:[ ,\u2009\u00a0]\d{3})+|\d+)\s+(?:patients|participants|subjects|people|persons|adults|"
    r"women|men|workers|volunteers)\b", re.I)
# a survey's size is in its title ("prospective survey of 34 000 treatments")
_N_TITLE = re.compile(r"\b(\d{1,3}(?:[ ,\u2009\u00a0]\d{3})+|\d+)\s+(?:consultations|treatments)\b", re.I)


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_WORD_N = re.compile(r"\b((?:%s)(?:-(?:%s))?|%s)\s+(?:patients|participants|subjects|people|persons|adults|"
                     r"women|men|workers|volunteers)\b" % ("|".join(_TENS), "|".join(list(_UNITS)[1:10]),
                                                          "|".join(list(_UNITS)[1:])), re.I)


def _participants(title: str, abstract: str) -> int | None:
    """The largest number of participants (or treatments) the title or abstract states."""
    text = f"{title} {abstract}"
    values = [int(re.sub(r"\D", "", m.group(1))) for m in _N_PATTERN.finditer(text)]
    values += [int(re.sub(r"\D", "", m.group(1))) for m in _N_TITLE.finditer(title)]
    for m in _WORD_N.finditer(text):
        head, _, unit = m.group(1).lower().partition("-")
        values.append(_TENS.get(head, _UNITS.get(head, 0)) + _UNITS.get(unit, 0))
    return max(values) if values else None


def _months(timepoint: str) -> float | None:
    """Months after randomisation a timepoint label stands for (the earliest it could be)."""
    t = str(timepoint).lower()
    match = re.search(r"(\d+)(?:_to_\d+)?_months?", t)
    if match:
        return float(match.group(1))
    match = re.search(r"(?:weeks_)?(\d+)(?:_to_(\d+))?_weeks?", t) or re.search(r"weeks_(\d+)_to_(\d+)", t)
    if match:
        return float(match.group(1)) / 4.345
    return None


def _direction(row: Mapping[str, Any]) -> str | None:
    lo, hi = row.get("ci_low"), row.get("ci_high")
    if lo is None or hi is None or lo != lo or hi != hi:
        return None
    null = 1.0 if row["measure"] in _RATIO_MEASURES else 0.0
    better_high = bool(HIGHER_IS_BETTER.search(str(row["outcome"])))
    if lo > null:
        return "favours" if better_high else "against"
    if hi < null:
        return "against" if better_high else "favours"
    return "null"


def _effects(frame) -> list[Effect]:
    out = []
    if frame is None:
        return out
    for row in frame.to_dict(orient="records"):
        if row.get("estimate") != row.get("estimate") or row.get("estimate") is None:
            continue  # arm data only; the verdict reads estimates with intervals
        direction = _direction(row)
        if direction is None:
            continue
        out.append(Effect(
            pmid=str(row["pmid"]), study=str(row["study"]), comparison=str(row["comparison"]),
            condition=str(row["condition"]), outcome=str(row["outcome"]), timepoint=str(row["timepoint"]),
            measure=str(row["measure"]), estimate=float(row["estimate"]), ci_low=float(row["ci_low"]),
            ci_high=float(row["ci_high"]), direction=direction))
    return out


def study_table(records, *, labels=None):
    """Design, condition and comparator per record: reviewed labels where present, else the classifier.

    Parameters
    ----------
    records : DataFrame
        The records table.
    labels : DataFrame or path, optional
        Hand labels (``data/labels.csv``: pmid, design, condition, comparator);
        ``EVIDENCE_DATA/labels.csv`` when omitted and present.

    Returns
    -------
    DataFrame
        pmid, design, condition, comparator, source (``reviewed`` or ``classifier``).
    """
    import pandas as pd

    from .designs import classify
    from .settings import load_settings

    if labels is None:
        candidate = load_settings().data_dir / "labels.csv"
        labels = candidate if candidate.exists() else None
    if labels is not None and not isinstance(labels, pd.DataFrame):
        labels = pd.read_csv(labels, dtype=str, keep_default_na=False)
    table = classify(records)[["pmid", "design", "condition", "comparator"]].copy()
    table["source"] = "classifier"
    if labels is not None and len(labels):
        reviewed = labels.set_index("pmid")
        for i, pmid in enumerate(table["pmid"]):
            if pmid in reviewed.index:
                for col in ("design", "condition", "comparator"):
                    table.iat[i, table.columns.get_loc(col)] = reviewed.at[pmid, col]
                table.iat[i, table.columns.get_loc("source")] = "reviewed"
    return table


def _gather(claim: Claim, records, studies, effects: list[Effect]):
    info = studies.set_index("pmid")
    recs = records.set_index("pmid")
    cues = [re.compile(c, re.I) for c in claim.cues]
    indirect_cues = [re.compile(c, re.I) for c in claim.indirect]
    timepoints = [re.compile(t, re.I) for t in claim.timepoints]
    claim_effects = [
        e for e in effects
        if (not claim.comparisons or e.comparison in claim.comparisons)
        and (not timepoints or any(t.search(e.timepoint) for t in timepoints))
        and (not claim.outcomes or e.outcome in claim.outcomes)
        and e.condition in claim.conditions
    ]
    effects_by_pmid: dict[str, list[Effect]] = {}
    for e in claim_effects:
        effects_by_pmid.setdefault(e.pmid, []).append(e)
    direct: list[Evidence] = []
    indirect: list[Evidence] = []
    for pmid in recs.index:
        if pmid not in info.index:
            continue
        design, condition = info.at[pmid, "design"], info.at[pmid, "condition"]
        if design == "protocol":
            continue
        rec = recs.loc[pmid]
        text = str(rec["title"]) if claim.cues_in == "title" else f"{rec['title']} {rec['abstract']}"
        design_ok = design in claim.designs
        cue_ok = not cues or any(c.search(text) for c in cues)
        own = effects_by_pmid.get(pmid, [])
        is_direct = design_ok and cue_ok and (condition in claim.conditions or bool(own))
        is_indirect = not is_direct and any(c.search(text) for c in indirect_cues) and design != "other"
        if not (is_direct or is_indirect):
            continue
        complete = rec.get("abstract_complete")
        evidence = Evidence(
            pmid=pmid, relation="direct" if is_direct else "indirect", design=design, condition=condition,
            year=int(rec["year"]) if rec["year"] == rec["year"] and rec["year"] is not None else None,
            first_author=str(rec.get("first_author") or ""), title=str(rec["title"]),
            n=_participants(str(rec["title"]), str(rec["abstract"])),
            abstract_complete=None if complete is None or complete != complete else bool(complete),
            effects=tuple(own) if is_direct else (),
        )
        (direct if is_direct else indirect).append(evidence)

    def order(e: Evidence):
        return (_DESIGN_RANK.get(e.design, 99), not e.effects, e.abstract_complete is False, -(e.year or 0))

    return sorted(direct, key=order), sorted(indirect, key=order)


# ----------------------------------------------------------------------------------------------
# verdict rules


def _downgrades(claim: Claim, direct: list[Evidence], effects: list[Effect], pooled_i2: float | None):
    reasons: list[tuple[str, dict]] = []
    trials = [e.n for e in direct if e.design == "rct" and e.n]
    if claim.kind in ("efficacy", "durability", "timing", "dose"):
        if effects and not any(e.comparison == "acupuncture_vs_sham" for e in effects):
            reasons.append(("rob_sham", {}))
        elif trials and sorted(trials)[len(trials) // 2] < 100:
            reasons.append(("rob_small", {"n": sorted(trials)[len(trials) // 2]}))
        fav = sum(e.direction == "favours" for e in effects)
        if effects and fav < len(effects):
            reasons.append(("inconsistency", {"fav": fav, "k": len(effects)}))
        elif pooled_i2 is not None and pooled_i2 > 50:
            reasons.append(("inconsistency_i2", {"i2": pooled_i2}))
        total = sum(e.n for e in direct if e.n and e.design in ("rct", "systematic_review"))
        if len(effects) < 2:
            reasons.append(("imprecision_k", {}))
        elif total and total < 400:
            reasons.append(("imprecision_n", {"n": f"{total:,}"}))
    if claim.kind == "mechanism" and not any(e.design == "mechanistic" for e in direct):
        reasons.append(("indirect_mech", {}))
    return reasons


def _start(claim: Claim, direct: list[Evidence]) -> int:
    designs = {e.design for e in direct}
    if claim.kind == "safety":
        large = [e for e in direct if e.design == "observational" and (e.n or 0) >= 10_000]
        return 3 if ("systematic_review" in designs or len(large) >= 2) else 2
    if claim.kind == "mechanism":
        return 2
    if designs & set(_CLINICAL):
        return 4
    return 2


def _decide(claim: Claim, direct: list[Evidence], indirect: list[Evidence], records):
    """Return (verdict, rule, level or None, parts)."""
    parts: list[tuple[str, dict]] = []
    effects = [x for e in direct for x in e.effects]
    designs = {e.design for e in direct}
    has_sr_rct = bool(designs & set(_CLINICAL))
    if not direct and not indirect:
        return "no_evidence", "nothing relevant in the records", None, [("none", {})], []
    if not direct:
        verdict = "overstated" if claim.specific and claim.kind != "method" else "not_supported"
        parts.append(("only_indirect", {"items": tuple(e.label() for e in indirect)}))
        return verdict, "only indirect evidence", 1, parts, []

    parts.append(("count", {"items": tuple(e.label() for e in direct[:6])}))
    downgrades = _downgrades(claim, direct, effects, None)
    level = max(1, _start(claim, direct) - len(downgrades))

    def effect_parts(selected: list[Effect]):
        for comparison, key in (("acupuncture_vs_sham", "vs_sham"), ("acupuncture_vs_usual_care", "vs_usual_care"),
                                ("acupuncture_vs_active", "vs_active")):
            chosen = [e for e in selected if e.comparison == comparison]
            if not chosen:
                continue
            best = sorted(chosen, key=lambda e: (e.direction != "favours", "(SR" not in e.study))[:2]
            examples = "; ".join(e.text() for e in best)
            parts.append(("effects", {"comparison": ("@key", key, {}),
                                      "fav": sum(e.direction == "favours" for e in chosen),
                                      "k": len(chosen), "examples": f" (e.g. {examples})"}))

    kind = claim.kind
    fav = sum(e.direction == "favours" for e in effects)
    null = sum(e.direction == "null" for e in effects)
    against = sum(e.direction == "against" for e in effects)
    if kind == "efficacy":
        effect_parts(effects)
        if not effects:
            parts.append(("no_effects", {}))
        sham = [e for e in effects if e.comparison == "acupuncture_vs_sham" and e.measure == "SMD"]
        usual = [e for e in effects if e.comparison == "acupuncture_vs_usual_care" and e.measure == "SMD"]
        if sham and usual and max(abs(e.estimate) for e in sham) < max(abs(e.estimate) for e in usual):
            parts.append(("sham_smaller", {}))
        if fav == 0 or against:
            verdict, rule = "not_supported", "no direct estimate favours acupuncture" if fav == 0 else "a direct estimate goes against it"
        elif fav >= 2 and fav >= 2 * null and has_sr_rct and (claim.hedged or level >= 3):
            verdict, rule = "supported", "consistent favourable estimates from SRs/RCTs"
        else:
            verdict, rule = "supported_with_caveats", "favourable but inconsistent, sparse or lower-certainty estimates"
    elif kind == "durability":
        long = [e for e in effects if (_months(e.timepoint) or 0) >= 3 and e.direction == "favours"]
        conditions = [c for c in claim.conditions if c != "both"]
        covered = sorted({e.condition for e in long})
        missing = [c for c in conditions if c not in covered]
        if long:
            parts.append(("long_term", {"items": tuple(e.text() + f" at {e.timepoint.replace('_', ' ')}" for e in long[:4])}))
        if missing and long:
            parts.append(("long_term_missing", {"items": tuple(c.replace("_", "-") for c in missing)}))
        if not long:
            parts.append(("short_only", {}))
            verdict, rule = ("overstated", "only short-term favourable data") if fav else ("not_supported", "no favourable data")
        elif not missing and claim.hedged and has_sr_rct:
            verdict, rule = "supported", "favourable effects at >= 3 months in every condition claimed"
        else:
            verdict, rule = "supported_with_caveats", "favourable effects at >= 3 months in some conditions only"
    elif kind in ("timing", "dose", "method"):
        effect_parts(effects)
        figure = claim.specific or ""
        tested = [e for e in effects if "session" in e.outcome or "dose" in e.outcome]
        if tested and all(e.direction == "favours" for e in tested):
            verdict, rule = "supported_with_caveats", "the figure is tested by a direct comparison"
        else:
            parts.append(("figure_untested", {"figure": figure}))
            verdict, rule = "overstated", "direct evidence does not test the claim's specific figure"
            downgrades.append(("indirect_figure", {}))
            level = max(1, level - 1)
        if kind == "dose":
            counts = _session_counts(records, [e.pmid for e in direct if e.design == "rct"])
            if counts:
                span = str(min(counts)) if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
                parts.append(("sessions", {"span": span}))
            for e in [e for e in direct if e.design == "systematic_review"][:3]:
                for sentence in _key_sentences(records, e.pmid, ("sessions",), limit=1):
                    parts.append(("dose_note", {"first_author": e.first_author.split(" ")[0], "year": e.year,
                                                "design": _SHORT.get(e.design, e.design), "sentence": sentence}))
    elif kind == "safety":
        reviews = [e for e in direct if e.design == "systematic_review"] or direct
        risks = _key_sentences(records, reviews[0].pmid, ("per 10 000", "per 10,000", "per one million", "% ("),
                               limit=2)
        if risks:
            parts.append(("safety_risks", {"items": ". ".join(risks)}))
        parts.append(("safety_designs", {}))
        big = "systematic_review" in designs or sum((e.n or 0) >= 10_000 for e in direct if e.design == "observational") >= 2
        verdict, rule = ("supported", "SR of prospective studies or large prospective surveys") if big else (
            "supported_with_caveats", "safety data from small or few studies")
    else:  # mechanism
        parts.append(("mechanism_cap", {}))
        verdict, rule = "supported_with_caveats", "mechanistic evidence caps the verdict"

    if verdict == "supported" and not has_sr_rct and kind != "safety":
        verdict, rule = "supported_with_caveats", "no SR or RCT among the direct evidence"
        parts.append(("no_sr_rct", {}))
    if indirect:
        parts.append(("indirect_also", {"items": tuple(e.label() for e in indirect[:4])}))
    return verdict, rule, level, parts, downgrades


_SESSIONS = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
                       r"\s+(?:\w+\s+)?(?:sessions|treatments)\b(?!\s*(?:/|per|a|each)\s*week)", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}


def _session_counts(records, pmids: Iterable[str]) -> list[int]:
    """Numbers of sessions the trials' abstracts describe ("10 sessions", "six treatments")."""
    counts = []
    rows = records[records["pmid"].isin(set(pmids))]
    for abstract in rows["abstract"]:
        for match in _SESSIONS.finditer(abstract):
            word = match.group(1).lower()
            value = _WORDS.get(word) or (int(word) if word.isdigit() else None)
            if value and value <= 30:
                counts.append(value)
    return counts


_PREFERRED = re.compile(r"^(RESULTS?|FINDINGS|MAIN RESULTS|CONCLUSIONS?|AUTHORS' CONCLUSIONS|INTERPRETATION)", re.I)
_SKIPPED = re.compile(r"^(BACKGROUND|OBJECTIVES?|AIMS?|PURPOSE|METHODS?|DESIGN|SETTING|PARTICIPANTS|"
                      r"DATA SOURCES|ELIGIBILITY|SEARCH|SELECTION|DATA (EXTRACTION|COLLECTION))", re.I)


def _key_sentences(records, pmid: str, needles: Sequence[str], *, limit: int = 1) -> list[str]:
    """Sentences of a record's results or conclusions that contain one of ``needles``.

    Labelled results and conclusions are read first; background, objectives
    and methods are skipped. Sentences are returned as published, without
    their final full stop.
    """
    rows = records.loc[records["pmid"] == pmid]
    if rows.empty:
        return []
    sections = rows.iloc[0].get("abstract_sections") or []
    if isinstance(sections, str) or not len(sections):
        sections = [{"label": "", "text": rows.iloc[0]["abstract"]}]
    ordered = [s for s in sections if _PREFERRED.match(s.get("label", ""))] + [
        s for s in sections if not _PREFERRED.match(s.get("label", "")) and not _SKIPPED.match(s.get("label", ""))]
    found: list[str] = []
    for section in ordered:
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", section["text"]):
            if any(n.lower() in sentence.lower() for n in needles):
                sentence = sentence.strip().rstrip(".")
                found.append(sentence if len(sentence) <= 400 else sentence[:397] + "...")
                if len(found) >= limit:
                    return found
    return found


def assess_claims(records, studies, effects, claims: Sequence[Claim]) -> ClaimsReport:
    """Decide a verdict for each claim.

    Parameters
    ----------
    records : DataFrame
        The records table (with ``abstract_complete``).
    studies : DataFrame
        pmid, design, condition (:func:`study_table`).
    effects : DataFrame or None
        The extraction table (``data/effects.csv``).
    claims : sequence of Claim

    Returns
    -------
    ClaimsReport
    """
    effect_list = _effects(effects)
    verdicts = []
    for claim in claims:
        direct, indirect = _gather(claim, records, studies, effect_list)
        verdict, rule, level, parts, downgrades = _decide(claim, direct, indirect, records)
        certainty = None if level is None else CERTAINTIES[4 - level]
        if level is not None:
            parts.append(("certainty", {"certainty": ("@key", "certainty_label", {"level": certainty}),
                                        "reasons": ("@key", "downgraded", {"items": ("@keys", tuple(downgrades))})
                                        if downgrades else ""}))
        cited = direct + indirect
        cut = tuple(e.pmid for e in cited if e.abstract_complete is False)
        if cut:
            parts.append(("cut", {"items": ", ".join(cut)}))
        verdicts.append(Verdict(
            id=claim.id, claim_nl=claim.claim_nl, claim_en=claim.claim_en, verdict=verdict,
            certainty=certainty, pmids=tuple(e.pmid for e in cited[:10]), rule=rule,
            downgrades=tuple(_render(k, p, "en") for k, p in downgrades), evidence=tuple(cited),
            cut_short=cut, quotes=claim.quotes, query=claim.query, _parts=tuple(parts),
        ))
    return ClaimsReport(tuple(verdicts))


def check_claims(*, settings=None, records=None) -> ClaimsReport:
    """The whole check in the current mode: records, designs, effects, claims → verdicts."""
    import pandas as pd

    from .review import load_records
    from .settings import load_settings

    settings = settings or load_settings()
    records = records if records is not None else load_records(settings=settings)
    studies = study_table(records, labels=settings.data_dir / "labels.csv"
                          if (settings.data_dir / "labels.csv").exists() else None)
    effects_path = settings.data_dir / "effects.csv"
    effects = pd.read_csv(effects_path, dtype={"pmid": str}) if effects_path.exists() else None
    claims = load_claims(settings.data_dir / "claims.yaml")
    return assess_claims(records, studies, effects, claims)

"""Texts shown to readers, per language (``en``, ``nl``).

This part holds the claims report's texts: every name here starts with
``CLAIM_`` or ``claim_`` (other parts of the workbook keep their own
labels under their own prefixes). The evidence itself (titles, quoted
sentences, study names) stays as published; everything the workbook writes
around it is translated here.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

__all__ = [
    "CLAIM_LANGS",
    "CLAIM_TEXTS",
    "CLAIM_VERDICT_LABELS",
    "CLAIM_CERTAINTY_LABELS",
    "CLAIM_COMPARISON_LABELS",
    "CLAIM_CONDITION_LABELS",
    "CLAIM_OUTCOME_LABELS",
    "CLAIM_DOMAIN_LABELS",
    "CLAIM_DESIGN_LABELS",
    "CLAIM_PART_LABELS",
    "CLAIM_RULES",
    "CLAIM_SOF_HEADINGS",
    "claim_text",
    "claim_label",
    "claim_join",
    "claim_number",
    "claim_absolute",
    "claim_render",
    "claim_timepoint",
]

CLAIM_LANGS = ("en", "nl")

#: The verdict labels as shown to readers.
CLAIM_VERDICT_LABELS = {
    "en": {"supported": "supported", "supported_with_caveats": "supported, with caveats",
           "overstated": "overstated", "not_supported": "not supported", "no_evidence": "no evidence found"},
    "nl": {"supported": "onderbouwd", "supported_with_caveats": "onderbouwd, met kanttekeningen",
           "overstated": "overdreven", "not_supported": "niet onderbouwd", "no_evidence": "geen bewijs gevonden"},
}
#: GRADE certainty labels (``None``: no evidence).
CLAIM_CERTAINTY_LABELS = {
    "en": {"high": "high", "moderate": "moderate", "low": "low", "very_low": "very low", None: "none"},
    "nl": {"high": "hoog", "moderate": "matig", "low": "laag", "very_low": "zeer laag", None: "geen"},
}
CLAIM_COMPARISON_LABELS = {
    "en": {"acupuncture_vs_sham": "versus sham", "acupuncture_vs_usual_care": "versus usual care",
           "acupuncture_vs_active": "versus another treatment",
           "acupuncture_vs_mixed": "versus dry needling and sham combined"},
    "nl": {"acupuncture_vs_sham": "tegenover schijnacupunctuur",
           "acupuncture_vs_usual_care": "tegenover gebruikelijke zorg",
           "acupuncture_vs_active": "tegenover een andere behandeling",
           "acupuncture_vs_mixed": "tegenover dry needling en schijnbehandeling samen"},
}
CLAIM_CONDITION_LABELS = {
    "en": {"tension_type_headache": "tension-type headache", "neck_pain": "neck pain",
           "both": "neck pain and tension-type headache", "chronic_pain": "chronic pain", "other": "other conditions"},
    "nl": {"tension_type_headache": "spanningshoofdpijn", "neck_pain": "nekpijn",
           "both": "nekpijn en spanningshoofdpijn", "chronic_pain": "chronische pijn", "other": "andere aandoeningen"},
}
CLAIM_OUTCOME_LABELS = {
    "en": {"headache_days": "headache days", "headache_frequency": "headache frequency",
           "headache_intensity": "headache intensity", "headache_score": "headache score",
           "headache_days_per_year": "headache days per year",
           "responder_50pct": "responders (at least 50% fewer headache days)", "responder_rate": "responders",
           "pain_intensity": "pain intensity", "motion_related_pain": "pain on movement",
           "neck_pain_disability": "neck pain and disability", "neck_disability": "neck disability",
           "physical_function": "physical function", "cervical_range_of_motion": "neck range of motion",
           "patient_global_change": "patient's global impression of change",
           "constant_murley_score": "shoulder function (Constant-Murley)", "xerostomia_inventory": "dry mouth",
           "adverse_events": "adverse events", "quality_of_life": "quality of life"},
    "nl": {"headache_days": "hoofdpijndagen", "headache_frequency": "hoofdpijnfrequentie",
           "headache_intensity": "hoofdpijnintensiteit", "headache_score": "hoofdpijnscore",
           "headache_days_per_year": "hoofdpijndagen per jaar",
           "responder_50pct": "responders (minstens 50% minder hoofdpijndagen)", "responder_rate": "responders",
           "pain_intensity": "pijnintensiteit", "motion_related_pain": "pijn bij bewegen",
           "neck_pain_disability": "nekpijn en beperkingen", "neck_disability": "beperkingen door nekpijn",
           "physical_function": "lichamelijk functioneren", "cervical_range_of_motion": "bewegingsuitslag van de nek",
           "patient_global_change": "globaal oordeel van de patiënt over verandering",
           "constant_murley_score": "schouderfunctie (Constant-Murley)", "xerostomia_inventory": "droge mond",
           "adverse_events": "bijwerkingen", "quality_of_life": "kwaliteit van leven"},
}
#: Study designs, short (contract vocabulary).
CLAIM_DESIGN_LABELS = {
    "en": {"systematic_review": "SR", "rct": "RCT", "non_randomised_trial": "non-randomised trial",
           "observational": "observational", "mechanistic": "mechanistic", "narrative_review": "narrative review",
           "case_report": "case report", "guideline": "guideline", "other": "other", "protocol": "protocol"},
    "nl": {"systematic_review": "SR", "rct": "RCT", "non_randomised_trial": "niet-gerandomiseerde trial",
           "observational": "observationeel", "mechanistic": "mechanistisch", "narrative_review": "narratieve review",
           "case_report": "casusbeschrijving", "guideline": "richtlijn", "other": "overig", "protocol": "protocol"},
}
#: GRADE's downgrading domains.
CLAIM_DOMAIN_LABELS = {
    "en": {"risk_of_bias": "risk of bias", "inconsistency": "inconsistency", "indirectness": "indirectness",
           "imprecision": "imprecision", "publication_bias": "publication bias"},
    "nl": {"risk_of_bias": "risico op vertekening", "inconsistency": "inconsistentie",
           "indirectness": "indirectheid", "imprecision": "onnauwkeurigheid",
           "publication_bias": "publicatiebias"},
}
#: The parts of a claim that carries one verdict per part (ids from data/claims.yaml).
CLAIM_PART_LABELS = {
    "en": {"many_people": "\"many people\" feel relief after sessions 1-2 (section 4)",
           "some_patients": "\"some patients\" feel relief after 1-2 sessions (FAQ)",
           "neck_pain": "neck pain", "tension_type_headache": "tension-type headache"},
    "nl": {"many_people": "\"veel mensen\" voelen verlichting na sessie 1-2 (paragraaf 4)",
           "some_patients": "\"sommige patiënten\" merken verlichting na 1-2 sessies (FAQ)",
           "neck_pain": "nekpijn", "tension_type_headache": "spanningshoofdpijn"},
}

# The fixed text of the summaries. Placeholders are filled by claim_text(key, lang, **params).
CLAIM_TEXTS = {
    "en": {
        "none": "No record in the snapshot bears on this claim.",
        "no_rows": "No summary-of-findings row matches this claim ({what}).",
        "only_indirect": "No direct evidence; only indirect evidence (another method, condition or population): {items}.",
        "indirect_also": "Indirect evidence also cited: {items}.",
        "records": "Records: {items}.",
        "row": "{outcome} {comparison} ({condition}, {timepoint}; {who}): {effect}; {studies}, {participants}; "
               "certainty {certainty}{downgrades}.",
        "row_not_pooled": "not pooled (the studies are shown without a combined estimate)",
        "row_reported": "reported without usable numbers: {items}",
        "favours acupuncture": "favours acupuncture", "favours control": "favours the control",
        "no difference": "no difference",
        "studies_1": "{k} study", "studies_n": "{k} studies", "studies_unknown": "number of studies not stated",
        "participants": "{n} participants", "participants_unknown": "participants not known for every study",
        "downgraded": ", downgraded for {items}",
        "rests_on": "The verdict rests on the {certainty}-certainty row(s) above; significance counts play no part.",
        "hedge_ok": "The claim is hedged (\"may\"), which matches {certainty} certainty.",
        "hedge_needs": "An unhedged claim needs moderate or high certainty; the evidence is {certainty}.",
        "very_low": "At very low certainty we are very uncertain of any effect; the claim goes beyond the evidence.",
        "mixed": "Not every row at that certainty shows a benefit.",
        "no_benefit": "No row shows a benefit.",
        "long_term_missing": "No benefit shown at 3 months or later for: {items}.",
        "short_only": "Only short-term benefits: a claim of lasting effects goes beyond the data.",
        "part": "Part {label}: {verdict} ({certainty}).",
        "early_trials": "Tested after one or two sessions: {items}.",
        "early_none": "No study in the snapshot measures the effect after one or two sessions.",
        "early_many": "\"Many people\" is a claim about how many: it needs the share of patients who improve after "
                      "one or two sessions (a responder outcome); the rows give mean differences only.",
        "sessions": "The trials' courses (data/sessions.csv, read from {k} of {n} trial abstracts) range from "
                    "{low} to {high} sessions (median {median}); {inside} of them within {claim} sessions.",
        "dose_untested": "No study compares courses of different lengths, so the figure of {figure} sessions is not "
                         "tested; "
                         "certainty is very low (indirect).",
        "dose_note": "{first_author} {year} ({design}): \"{sentence}.\"",
        "safety_risks": "Reported risks: \"{items}.\"",
        "safety_rule": "Incidence of adverse events comes from prospective cohorts and reviews of them, not from "
                       "RCTs; GRADE rates such estimates from high, here one level down because only abstracts "
                       "were assessed.",
        "safety_no_sr": "No systematic review of prospective studies among the evidence.",
        "mechanism_cap": "Mechanistic evidence shows how acupuncture may act, not that it helps these patients, "
                         "so it cannot support a clinical claim; the verdict is at most 'supported, with caveats'.",
        "mechanism_narrative": "Only narrative reviews, no primary mechanistic study: certainty very low.",
        "method_none": "No study compares this method with other acupuncture; a claim of faster relief needs "
                       "such a head-to-head trial.",
        "no_sr_rct": "No systematic review or RCT among the evidence, so the verdict is at most "
                     "'supported, with caveats'.",
        "cut": "Abstract cut short in the snapshot (results may be missing): PMID {items}.",
        "and": "and",
    },
    "nl": {
        "none": "Geen enkel record in de snapshot gaat over deze bewering.",
        "no_rows": "Geen rij van de samenvatting van bevindingen past bij deze bewering ({what}).",
        "only_indirect": "Geen direct bewijs; alleen indirect bewijs (andere methode, aandoening of populatie): {items}.",
        "indirect_also": "Ook indirect bewijs geciteerd: {items}.",
        "records": "Records: {items}.",
        "row": "{outcome} {comparison} ({condition}, {timepoint}; {who}): {effect}; {studies}, {participants}; "
               "zekerheid {certainty}{downgrades}.",
        "row_not_pooled": "niet gepoold (de studies worden zonder gecombineerde schatting getoond)",
        "row_reported": "gerapporteerd zonder bruikbare getallen: {items}",
        "favours acupuncture": "in het voordeel van acupunctuur", "favours control": "in het voordeel van de controle",
        "no difference": "geen verschil",
        "studies_1": "{k} studie", "studies_n": "{k} studies", "studies_unknown": "aantal studies niet vermeld",
        "participants": "{n} deelnemers", "participants_unknown": "aantal deelnemers niet voor elke studie bekend",
        "downgraded": ", verlaagd wegens {items}",
        "rests_on": "Het oordeel rust op de rij(en) hierboven met zekerheid {certainty}; het tellen van "
                    "significante resultaten speelt geen rol.",
        "hedge_ok": "De bewering is voorzichtig geformuleerd (\"mogelijk\"), wat past bij zekerheid {certainty}.",
        "hedge_needs": "Een stellige bewering vraagt matige of hoge zekerheid; het bewijs is {certainty}.",
        "very_low": "Bij zeer lage zekerheid is elk effect zeer onzeker; de bewering gaat verder dan het bewijs.",
        "mixed": "Niet elke rij met die zekerheid laat een voordeel zien.",
        "no_benefit": "Geen enkele rij laat een voordeel zien.",
        "long_term_missing": "Geen voordeel aangetoond na 3 maanden of later voor: {items}.",
        "short_only": "Alleen voordelen op korte termijn: een bewering over blijvende effecten gaat verder dan "
                      "de gegevens.",
        "part": "Deel {label}: {verdict} ({certainty}).",
        "early_trials": "Getoetst na één of twee sessies: {items}.",
        "early_none": "Geen studie in de snapshot meet het effect na één of twee sessies.",
        "early_many": "\"Veel mensen\" gaat over hoeveel: daarvoor is het aandeel patiënten nodig dat na één of "
                      "twee sessies verbetert (een responder-uitkomst); de rijen geven alleen gemiddelde verschillen.",
        "sessions": "De behandelreeksen van de trials (data/sessions.csv, gelezen uit {k} van {n} samenvattingen) "
                    "lopen van {low} tot {high} sessies (mediaan {median}); {inside} daarvan binnen "
                    "{claim} sessies.",
        "dose_untested": "Geen studie vergelijkt behandelreeksen van verschillende lengte, dus het getal van {figure} "
                         "sessies is niet getoetst; de zekerheid is zeer laag (indirect).",
        "dose_note": "{first_author} {year} ({design}): \"{sentence}.\"",
        "safety_risks": "Gerapporteerde risico's: \"{items}.\"",
        "safety_rule": "Hoe vaak bijwerkingen optreden blijkt uit prospectieve cohorten en reviews daarvan, niet "
                       "uit RCT's; GRADE begint zulke schattingen op hoog, hier één niveau lager omdat alleen "
                       "samenvattingen zijn beoordeeld.",
        "safety_no_sr": "Geen systematische review van prospectieve studies onder het bewijs.",
        "mechanism_cap": "Mechanistisch bewijs laat zien hoe acupunctuur kan werken, niet dat het deze patiënten "
                         "helpt, en kan dus geen klinische bewering onderbouwen; het oordeel is maximaal "
                         "'onderbouwd, met kanttekeningen'.",
        "mechanism_narrative": "Alleen narratieve reviews, geen primaire mechanistische studie: zekerheid zeer laag.",
        "method_none": "Geen studie vergelijkt deze methode met andere acupunctuur; een bewering over snellere "
                       "verlichting vraagt zo'n directe vergelijking.",
        "no_sr_rct": "Geen systematische review of RCT onder het bewijs, dus het oordeel is maximaal "
                     "'onderbouwd, met kanttekeningen'.",
        "cut": "Samenvatting afgekapt in de snapshot (resultaten kunnen ontbreken): PMID {items}.",
        "and": "en",
    },
}

#: Headings of the per-claim summary-of-findings table in the report.
CLAIM_SOF_HEADINGS = {
    "en": {"title": "Summary of findings behind the verdict", "outcome": "Outcome", "comparison": "Comparison",
           "timepoint": "Timepoint", "studies": "Studies (participants)", "effect": "Relative or pooled effect (95% CI)",
           "absolute": "Absolute effect", "certainty": "Certainty (GRADE)", "downgrades": "Downgraded for",
           "parts": "Verdict per part", "none": "No summary-of-findings row matches this claim; the verdict "
           "follows the design rule for its kind (see 'How verdicts are made').", "unknown": "unknown",
           "rests": "the verdict rests on this row"},
    "nl": {"title": "Samenvatting van bevindingen achter het oordeel", "outcome": "Uitkomst",
           "comparison": "Vergelijking", "timepoint": "Meetmoment", "studies": "Studies (deelnemers)",
           "effect": "Relatief of gepoold effect (95%-BI)", "absolute": "Absoluut effect",
           "certainty": "Zekerheid (GRADE)", "downgrades": "Verlaagd wegens", "parts": "Oordeel per deel",
           "none": "Geen rij van de samenvatting van bevindingen past bij deze bewering; het oordeel volgt de "
           "designregel voor dit soort bewering (zie 'Hoe de oordelen tot stand komen').", "unknown": "onbekend",
           "rests": "het oordeel rust op deze rij"},
}

#: "How verdicts are made": the rules of evidence/claims.py for readers of the report.
CLAIM_RULES = {
    "en": {
        "title": "How verdicts are made",
        "intro": "Verdicts follow fixed rules (evidence/claims.py). For clinical claims they rest on the summary "
                 "of findings (GRADE): the rows whose condition, comparison, outcome and timepoint match the "
                 "claim (data/claims.yaml). The certainty of a verdict is the GRADE certainty of the rows it "
                 "rests on; counting significant results plays no part.",
        "rules": [
            "Efficacy: the rows of highest certainty decide. None shows a benefit: 'not supported'. A benefit at "
            "very low certainty only: 'overstated'. All show a benefit: 'supported' when the certainty matches "
            "the claim's wording (a hedged claim, \"may\", needs low certainty; an unhedged one moderate or "
            "high), 'supported, with caveats' when it is lower. Some but not all: 'supported, with caveats'.",
            "Durability: the same, using only rows measured 3 months or more after randomisation, for each "
            "condition the claim names (one verdict per condition); benefits only at shorter times: 'overstated'.",
            "Timing (relief after sessions 1-2): rows measured right after a session, or from trials that gave "
            "one or two sessions (data/sessions.csv). 'Many people' needs a responder outcome; a mean "
            "difference supports at most 'some patients'.",
            "Dose (a course of 6-8 sessions): supported only by a comparison of course lengths; otherwise "
            "'overstated' at very low certainty, with the courses the trials used (data/sessions.csv).",
            "Safety: from prospective cohorts and reviews of them (design hierarchy); a systematic review of "
            "prospective studies gives 'supported' at moderate certainty.",
            "Mechanism: laboratory, animal and imaging studies cannot support a clinical claim: at most "
            "'supported, with caveats', low certainty (very low from narrative reviews only).",
            "Method (the Balance Method): needs a trial comparing it with other acupuncture; evidence about "
            "other methods only is indirect: 'not supported', very low certainty.",
            "No claim is 'supported' without a systematic review or RCT among its evidence, except safety.",
        ],
    },
    "nl": {
        "title": "Hoe de oordelen tot stand komen",
        "intro": "De oordelen volgen vaste regels (evidence/claims.py). Voor klinische beweringen rusten ze op "
                 "de samenvatting van bevindingen (GRADE): de rijen waarvan aandoening, vergelijking, uitkomst "
                 "en meetmoment bij de bewering passen (data/claims.yaml). De zekerheid van een oordeel is de "
                 "GRADE-zekerheid van die rijen; het tellen van significante resultaten speelt geen rol.",
        "rules": [
            "Werkzaamheid: de rijen met de hoogste zekerheid beslissen. Geen enkele laat een voordeel zien: "
            "'niet onderbouwd'. Een voordeel met alleen zeer lage zekerheid: 'overdreven'. Laten ze allemaal een "
            "voordeel zien: 'onderbouwd' als de zekerheid past bij de formulering (een voorzichtige bewering, "
            "\"mogelijk\", vraagt lage zekerheid; een stellige matige of hoge), 'onderbouwd, met kanttekeningen' "
            "als ze lager is. Sommige maar niet alle: 'onderbouwd, met kanttekeningen'.",
            "Duurzaamheid: hetzelfde, alleen met rijen gemeten 3 maanden of later na randomisatie, per "
            "aandoening die de bewering noemt (één oordeel per aandoening); alleen voordelen op kortere termijn: "
            "'overdreven'.",
            "Tijdstip (verlichting na sessie 1-2): rijen gemeten direct na een sessie, of uit trials met één of "
            "twee sessies (data/sessions.csv). 'Veel mensen' vraagt een responder-uitkomst; een gemiddeld "
            "verschil onderbouwt hooguit 'sommige patiënten'.",
            "Dosis (een reeks van 6-8 sessies): alleen onderbouwd door een vergelijking van reeksen van "
            "verschillende lengte; anders 'overdreven' met zeer lage zekerheid, met de reeksen die de trials "
            "gebruikten (data/sessions.csv).",
            "Veiligheid: uit prospectieve cohorten en reviews daarvan (rangorde van designs); een systematische "
            "review van prospectieve studies geeft 'onderbouwd' met matige zekerheid.",
            "Mechanisme: laboratorium-, dier- en beeldvormingsstudies kunnen geen klinische bewering "
            "onderbouwen: hooguit 'onderbouwd, met kanttekeningen', lage zekerheid (zeer laag bij alleen "
            "narratieve reviews).",
            "Methode (de Balance Method): vraagt een trial die haar vergelijkt met andere acupunctuur; bewijs "
            "over andere methoden is indirect: 'niet onderbouwd', zeer lage zekerheid.",
            "Geen bewering is 'onderbouwd' zonder systematische review of RCT onder het bewijs, behalve "
            "veiligheid.",
        ],
    },
}


def _check_lang(lang: str) -> None:
    if lang not in CLAIM_LANGS:
        raise ValueError(f"lang must be one of {', '.join(CLAIM_LANGS)}, got {lang!r}")


def claim_join(items: Sequence[str], lang: str) -> str:
    """``a, b and c`` (``a, b en c``)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {CLAIM_TEXTS[lang]['and']} {items[-1]}"


def claim_text(key: str, lang: str, **params: Any) -> str:
    """One fixed text of the claims report in ``lang``, filled with ``params``.

    Lists and tuples among ``params`` are joined with :func:`claim_join`.

    Raises
    ------
    ValueError
        An unknown language.
    KeyError
        An unknown text key.
    """
    _check_lang(lang)
    values = {k: claim_join(v, lang) if isinstance(v, (list, tuple)) else v for k, v in params.items()}
    return CLAIM_TEXTS[lang][key].format(**values)


_TABLES = {"verdict": CLAIM_VERDICT_LABELS, "certainty": CLAIM_CERTAINTY_LABELS,
           "comparison": CLAIM_COMPARISON_LABELS, "condition": CLAIM_CONDITION_LABELS,
           "outcome": CLAIM_OUTCOME_LABELS, "domain": CLAIM_DOMAIN_LABELS, "part": CLAIM_PART_LABELS,
           "design": CLAIM_DESIGN_LABELS}


def claim_label(table: str, code: Any, lang: str) -> str:
    """A code in words (``claim_label("outcome", "headache_days", "nl")`` is ``"hoofdpijndagen"``).

    ``table`` is one of verdict, certainty, comparison, condition, outcome,
    domain, part, design. A code without a label is shown with spaces for
    underscores.
    """
    _check_lang(lang)
    if table not in _TABLES:
        raise ValueError(f"table must be one of {', '.join(_TABLES)}, got {table!r}")
    labels = _TABLES[table][lang]
    if code in labels:
        return labels[code]
    return str(code).replace("_", " ")


def claim_number(x: float, lang: str) -> str:
    """A number as readers write it: two decimals at most, a true minus sign, a decimal comma in Dutch."""
    _check_lang(lang)
    text = f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.0f}"
    text = text.replace("-", "\u2212")
    return text.replace(".", ",") if lang == "nl" else text


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



_TIMEPOINT_NL = (
    ("immediate_post_session", "direct na de sessie"), ("end_of_treatment", "einde van de behandeling"),
    ("during_treatment", "tijdens de behandeling"), ("post_treatment", "na de behandeling"),
    ("not_stated", "niet vermeld"), ("early_follow_up", "vroege follow-up"), ("late_follow_up", "late follow-up"),
    ("follow_up", "follow-up"), ("short_term", "korte termijn"), ("long_term", "lange termijn"),
    ("immediate", "direct"), ("months", "maanden"), ("month", "maand"), ("weeks", "weken"), ("week", "week"),
    ("at_least_", "minstens "), ("_to_", " tot "), ("_", " "),
)


def claim_timepoint(code: Any, lang: str) -> str:
    """A timepoint code of the extraction table in words (``3_months`` is ``3 months`` / ``3 maanden``)."""
    _check_lang(lang)
    text = str(code)
    if lang == "en":
        return text.replace("_", " ")
    for token, dutch in _TIMEPOINT_NL:
        text = text.replace(token, dutch)
    return text

"""Translated texts of the workbook, English and Dutch.

Everything the workbook writes around the evidence lives here, so that a translator edits
one file and the Dutch page shows no English fragment. The evidence itself (titles, quoted
sentences, study names) stays as published.

Two parts:

- the report's user interface (headings, column names, the words for the codes of the
  vocabularies): names start with ``UI_``/``ui_``. :func:`ui_label` turns a code
  (``tension_type_headache``, ``acupuncture_vs_sham``, ``weeks_9_to_12``) into words in a
  language; an unknown code becomes its words with the underscores as spaces, so that no
  code is ever shown as it is stored;
- the claims' verdict texts: names start with ``CLAIM_``/``claim_``.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from .vocab import CERTAINTIES

UI_LANGS = ("en", "nl")

# kind -> language -> code -> words
UI_LABELS: dict[str, dict[str, dict]] = {
    "design": {
        "en": {"systematic_review": "systematic review", "rct": "randomised controlled trial",
               "non_randomised_trial": "non-randomised trial", "protocol": "protocol",
               "observational": "observational study", "narrative_review": "narrative review",
               "mechanistic": "mechanistic study", "case_report": "case report", "guideline": "guideline",
               "other": "other"},
        "nl": {"systematic_review": "systematische review", "rct": "gerandomiseerde gecontroleerde studie",
               "non_randomised_trial": "niet-gerandomiseerde studie", "protocol": "protocol",
               "observational": "observationeel onderzoek", "narrative_review": "narratieve review",
               "mechanistic": "mechanistisch onderzoek", "case_report": "casusbeschrijving",
               "guideline": "richtlijn", "other": "overig"},
    },
    "condition": {
        "en": {"tension_type_headache": "tension-type headache", "neck_pain": "neck pain",
               "both": "tension-type headache and neck pain", "chronic_pain": "chronic pain",
               "other": "other conditions"},
        "nl": {"tension_type_headache": "spanningshoofdpijn", "neck_pain": "nekpijn",
               "both": "spanningshoofdpijn en nekpijn", "chronic_pain": "chronische pijn",
               "other": "andere aandoeningen"},
    },
    "comparator": {
        "en": {"sham": "sham", "usual_care": "usual care", "active": "active treatment",
               "mixed": "mixed", "none": "no control group"},
        "nl": {"sham": "schijnbehandeling", "usual_care": "gebruikelijke zorg", "active": "actieve behandeling",
               "mixed": "gemengd", "none": "geen controlegroep"},
    },
    "comparison": {
        "en": {"acupuncture_vs_sham": "acupuncture vs sham",
               "acupuncture_vs_usual_care": "acupuncture vs usual care",
               "acupuncture_vs_active": "acupuncture vs an active treatment",
               "dry_needling_vs_sham": "dry needling (not acupuncture) vs sham"},
        "nl": {"acupuncture_vs_sham": "acupunctuur vs schijnbehandeling",
               "acupuncture_vs_usual_care": "acupunctuur vs gebruikelijke zorg",
               "acupuncture_vs_active": "acupunctuur vs een actieve behandeling",
               "dry_needling_vs_sham": "dry needling (geen acupunctuur) vs schijnbehandeling"},
    },
    "outcome": {
        "en": {"cervical_range_of_motion": "cervical range of motion",
               "constant_murley_score": "Constant-Murley shoulder score",
               "headache_days": "headache days", "headache_days_per_year": "headache days per year",
               "headache_frequency": "headache frequency", "headache_intensity": "headache intensity",
               "headache_score": "headache score", "motion_related_pain": "pain on movement",
               "neck_pain_disability": "neck pain and disability", "pain_intensity": "pain intensity",
               "patient_global_change": "patient's global impression of change",
               "physical_function": "physical function", "responder_50pct": "responders (50% reduction)",
               "responder_rate": "responder rate", "xerostomia_inventory": "dry mouth (xerostomia inventory)"},
        "nl": {"cervical_range_of_motion": "bewegingsuitslag van de nek",
               "constant_murley_score": "Constant-Murley-schouderscore",
               "headache_days": "hoofdpijndagen", "headache_days_per_year": "hoofdpijndagen per jaar",
               "headache_frequency": "hoofdpijnfrequentie", "headache_intensity": "hoofdpijnintensiteit",
               "headache_score": "hoofdpijnscore", "motion_related_pain": "pijn bij bewegen",
               "neck_pain_disability": "nekpijn en beperkingen", "pain_intensity": "pijnintensiteit",
               "patient_global_change": "globaal ervaren verandering",
               "physical_function": "lichamelijk functioneren",
               "responder_50pct": "patiënten met duidelijke verbetering (50% afname)",
               "responder_rate": "aandeel patiënten dat duidelijk verbetert",
               "xerostomia_inventory": "droge mond (xerostomie-vragenlijst)"},
    },
    "timepoint": {
        "en": {"12_months": "12 months", "1_week_post_treatment": "1 week after treatment",
               "20_to_25_weeks": "20 to 25 weeks", "2_weeks": "2 weeks",
               "3_months": "3 months", "3_months_post_treatment": "3 months after treatment",
               "6_months_post_treatment": "6 months after treatment", "6_weeks": "6 weeks",
               "during_treatment": "during treatment", "early_follow_up": "early follow-up",
               "end_of_treatment": "end of treatment", "immediate_post_session": "right after a session",
               "late_follow_up": "late follow-up", "not_stated": "time not stated",
               "weeks_1_to_5": "weeks 1 to 5", "weeks_9_to_12": "weeks 9 to 12"},
        "nl": {"12_months": "12 maanden", "1_week_post_treatment": "1 week na de behandeling",
               "20_to_25_weeks": "20 tot 25 weken", "2_weeks": "2 weken",
               "3_months": "3 maanden", "3_months_post_treatment": "3 maanden na de behandeling",
               "6_months_post_treatment": "6 maanden na de behandeling", "6_weeks": "6 weken",
               "during_treatment": "tijdens de behandeling", "early_follow_up": "vroege follow-up",
               "end_of_treatment": "einde van de behandeling", "immediate_post_session": "direct na een sessie",
               "late_follow_up": "late follow-up", "not_stated": "tijdstip niet vermeld",
               "weeks_1_to_5": "week 1 tot 5", "weeks_9_to_12": "week 9 tot 12"},
    },
    "measure": {
        "en": {"MD": "mean difference", "SMD": "standardised mean difference", "RR": "risk ratio",
               "OR": "odds ratio", "RD": "risk difference", "HR": "hazard ratio", "WMD": "mean difference"},
        "nl": {"MD": "gemiddeld verschil", "SMD": "gestandaardiseerd gemiddeld verschil",
               "RR": "relatief risico", "OR": "odds ratio", "RD": "risicoverschil", "HR": "hazard ratio",
               "WMD": "gemiddeld verschil"},
    },
    "verdict": {
        "en": {"supported": "supported", "supported_with_caveats": "supported, with caveats",
               "overstated": "overstated", "not_supported": "not supported", "no_evidence": "no evidence found"},
        "nl": {"supported": "onderbouwd", "supported_with_caveats": "onderbouwd, met kanttekeningen",
               "overstated": "overdreven", "not_supported": "niet onderbouwd", "no_evidence": "geen bewijs gevonden"},
    },
    "certainty": {
        "en": {"high": "high", "moderate": "moderate", "low": "low", "very_low": "very low", None: "none"},
        "nl": {"high": "hoog", "moderate": "matig", "low": "laag", "very_low": "zeer laag", None: "geen"},
    },
    "relation": {
        "en": {"direct": "direct", "indirect": "indirect"},
        "nl": {"direct": "direct", "indirect": "indirect"},
    },
    # the claims' headings (the contract's ids are codes, not headings)
    "claim": {
        "en": {"tth_frequency": "Tension-type headache: fewer and milder attacks",
               "neck_pain_function": "Chronic neck pain: less pain, better function",
               "durable_effects": "Effects that last for months",
               "early_relief": "Relief after one or two sessions",
               "course_6_8": "A course of 6 to 8 sessions",
               "safety": "Safety",
               "endorphins": "Endorphins and pain-modulating neuropeptides",
               "neuroplasticity": "Neural remodelling and neurotrophic factors",
               "balance_method": "The Balance Method"},
        "nl": {"tth_frequency": "Spanningshoofdpijn: minder vaak en minder hevig",
               "neck_pain_function": "Chronische nekpijn: minder pijn, beter functioneren",
               "durable_effects": "Effecten die maanden aanhouden",
               "early_relief": "Verlichting na één of twee behandelingen",
               "course_6_8": "Een kuur van 6 tot 8 behandelingen",
               "safety": "Veiligheid",
               "endorphins": "Endorfines en pijnregulerende neuropeptiden",
               "neuroplasticity": "Herstructurering van het zenuwstelsel en neurotrofe factoren",
               "balance_method": "De Balance Method"},
    },
    # the figures of the report
    "figure": {
        "en": {"prisma_flow": "PRISMA flow of the records", "design_condition_heatmap":
               "Evidence map: records by study design and condition",
               "publications_per_year": "Records per year by study design",
               "comparator_counts": "Comparators of the trials"},
        "nl": {"prisma_flow": "PRISMA-stroomdiagram van de publicaties", "design_condition_heatmap":
               "Bewijskaart: publicaties per onderzoeksopzet en aandoening",
               "publications_per_year": "Publicaties per jaar per onderzoeksopzet",
               "comparator_counts": "Controlebehandelingen van de studies"},
    },
}

# the report page's fixed texts around the cards (coverage, the evidence table, incomplete citations);
# the cards' own labels are REPORT_TEXTS below
UI_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "coverage_text": "{n} PubMed records in the stored collection ({origin}; copied {date}); {cut} of them have "
                         "an abstract cut short and {noabs} have none, so some results could not be read. {searches}"
                         " A new search in PubMed would add records the collection lacks (e.g. the 2016 Cochrane "
                         "review of neck disorders and a case series of the Balance Method).",
        "origin_assembled": "assembled from public pages",
        "origin_recorded": "recorded from NCBI",
        "no_searches": "No search was recorded: the records were assembled from public pages.",
        "searches": "{k} recorded search(es).",
        "study": "Study",
        "design": "Design",
        "relation": "Evidence",
        "incomplete": "Incomplete citation",
        "missing_authors": "author list cut short",
        "missing_no_authors": "no authors",
        "missing_journal": "no journal",
        "missing_volume or pages": "no volume or pages",
    },
    "nl": {
        "coverage_text": "{n} PubMed-publicaties in de opgeslagen verzameling ({origin}; gekopieerd {date}); bij "
                         "{cut} daarvan is de samenvatting afgekapt en {noabs} hebben er geen, dus sommige "
                         "resultaten konden niet worden gelezen. {searches} Een nieuwe zoekopdracht in PubMed voegt "
                         "publicaties toe die de verzameling mist (bijv. de Cochrane-review van 2016 over "
                         "nekklachten en een casusreeks over de Balance Method).",
        "origin_assembled": "samengesteld uit openbare pagina's",
        "origin_recorded": "opgehaald bij NCBI",
        "no_searches": "Er is geen zoekopdracht vastgelegd: de publicaties zijn samengesteld uit openbare pagina's.",
        "searches": "{k} vastgelegde zoekopdracht(en).",
        "study": "Studie",
        "design": "Onderzoeksopzet",
        "relation": "Bewijs",
        "incomplete": "Onvolledige referentie",
        "missing_authors": "auteurslijst afgekapt",
        "missing_no_authors": "geen auteurs",
        "missing_journal": "geen tijdschrift",
        "missing_volume or pages": "geen jaargang of pagina's",
    },
}


# The analysis plan's outcome domains and time windows (data/analysis_plan.yaml; the plan's own
# English words are the same): summary-of-findings rows use these codes since issue 14.
_PLAN_LABELS = {
    "outcome": {
        "en": {"disability": "disability", "responders": "responders",
               "quality_of_life": "quality of life", "adverse_events": "adverse events",
               "secondary_outcomes": "secondary outcomes"},
        "nl": {"disability": "beperkingen", "responders": "responders",
               "quality_of_life": "kwaliteit van leven", "adverse_events": "bijwerkingen",
               "secondary_outcomes": "secundaire uitkomsten"},
    },
    "timepoint": {
        "en": {"short_term": "short term (up to 3 months)",
               "intermediate_3_to_12_months": "intermediate (3 to 12 months)",
               "long_term_12_months_or_more": "long term (12 months or more)",
               "up_to_8_weeks": "early (up to 8 weeks)",
               "months_3_to_4": "after treatment (3 to 4 months)",
               "months_5_to_6": "5 to 6 months", "more_than_6_months": "more than 6 months"},
        "nl": {"short_term": "korte termijn (tot 3 maanden)",
               "intermediate_3_to_12_months": "middellange termijn (3 tot 12 maanden)",
               "long_term_12_months_or_more": "lange termijn (12 maanden of langer)",
               "up_to_8_weeks": "vroeg (tot 8 weken)",
               "months_3_to_4": "na de behandeling (3 tot 4 maanden)",
               "months_5_to_6": "5 tot 6 maanden", "more_than_6_months": "meer dan 6 maanden"},
    },
}
for _kind, _by_lang in _PLAN_LABELS.items():
    for _lang, _words in _by_lang.items():
        UI_LABELS[_kind][_lang].update(_words)


def _ui_check_lang(lang: str) -> None:
    if lang not in UI_LANGS:
        raise ValueError(f"lang must be one of {', '.join(UI_LANGS)}, got {lang!r}")


def ui_label(kind: str, code, lang: str = "en") -> str:
    """The words for a vocabulary code in a language.

    Parameters
    ----------
    kind : str
        One of the keys of :data:`UI_LABELS` (``design``, ``condition``, ``comparator``,
        ``comparison``, ``outcome``, ``timepoint``, ``measure``, ``verdict``, ``certainty``,
        ``relation``, ``claim``, ``figure``).
    code : str or None
        The stored code; ``GENERIC_MD`` and the like are read as their measure.
    lang : {"en", "nl"}

    Returns
    -------
    str
        The label; a code without one becomes its words (underscores as spaces).
    """
    if kind not in UI_LABELS:
        raise ValueError(f"kind must be one of {', '.join(UI_LABELS)}, got {kind!r}")
    _ui_check_lang(lang)
    if kind == "measure" and isinstance(code, str):
        code = re.sub(r"^GENERIC_", "", code)
    words = UI_LABELS[kind][lang].get(code)
    if words is not None:
        return words
    return "" if code is None else str(code).replace("_", " ")


def ui_text(key: str, lang: str = "en") -> str:
    """A fixed text of the report page (:data:`UI_TEXTS`) in a language."""
    _ui_check_lang(lang)
    return UI_TEXTS[lang][key]


CLAIM_LANGS = ("en", "nl")


def _claim_labels(kind: str, sentence: Mapping[str, Mapping[str, str]]) -> dict[str, dict]:
    """The report's words for ``kind`` (:data:`UI_LABELS`), with the wordings a claim sentence
    needs instead (``sentence``: language -> code -> words) laid over them."""
    return {lang: {**UI_LABELS[kind][lang], **sentence.get(lang, {})} for lang in CLAIM_LANGS}


#: The verdict labels as shown to readers: the report's (one source, :data:`UI_LABELS`).
CLAIM_VERDICT_LABELS = UI_LABELS["verdict"]
#: GRADE certainty labels (``None``: no evidence): the report's.
CLAIM_CERTAINTY_LABELS = UI_LABELS["certainty"]
#: Comparisons as a sentence says them ("... versus sham"), not as a table heads them.
CLAIM_COMPARISON_LABELS = {
    "en": {"acupuncture_vs_sham": "versus sham", "acupuncture_vs_usual_care": "versus usual care",
           "acupuncture_vs_active": "versus another treatment",
           "acupuncture_vs_mixed": "versus dry needling and sham combined",
           "dry_needling_vs_sham": "(dry needling, not acupuncture) versus sham"},
    "nl": {"acupuncture_vs_sham": "tegenover schijnacupunctuur",
           "acupuncture_vs_usual_care": "tegenover gebruikelijke zorg",
           "acupuncture_vs_active": "tegenover een andere behandeling",
           "acupuncture_vs_mixed": "tegenover dry needling en schijnbehandeling samen",
           "dry_needling_vs_sham": "(dry needling, geen acupunctuur) tegenover schijnbehandeling"},
}
#: Conditions: the report's words; a claim sentence names neck pain first for ``both``.
CLAIM_CONDITION_LABELS = _claim_labels("condition", {
    "en": {"both": "neck pain and tension-type headache"},
    "nl": {"both": "nekpijn en spanningshoofdpijn"},
})
#: Outcomes: the report's words, with the fuller or plainer wordings a sentence needs, and the
#: outcomes only the claims name (adverse events, quality of life, neck disability).
CLAIM_OUTCOME_LABELS = _claim_labels("outcome", {
    "en": {"responder_50pct": "responders (at least 50% fewer headache days)", "responder_rate": "responders",
           "cervical_range_of_motion": "neck range of motion",
           "constant_murley_score": "shoulder function (Constant-Murley)", "xerostomia_inventory": "dry mouth",
           "neck_disability": "neck disability", "adverse_events": "adverse events",
           "quality_of_life": "quality of life"},
    "nl": {"responder_50pct": "responders (minstens 50% minder hoofdpijndagen)", "responder_rate": "responders",
           "patient_global_change": "globaal oordeel van de patiënt over verandering",
           "constant_murley_score": "schouderfunctie (Constant-Murley)", "xerostomia_inventory": "droge mond",
           "neck_disability": "beperkingen door nekpijn", "adverse_events": "bijwerkingen",
           "quality_of_life": "kwaliteit van leven"},
})
#: Study designs: the report's words, short where a sentence lists records ("SR", "RCT").
CLAIM_DESIGN_LABELS = _claim_labels("design", {
    "en": {"systematic_review": "SR", "rct": "RCT", "observational": "observational",
           "mechanistic": "mechanistic"},
    "nl": {"systematic_review": "SR", "rct": "RCT", "non_randomised_trial": "niet-gerandomiseerde trial",
           "observational": "observationeel", "mechanistic": "mechanistisch"},
})
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
        "row": "{outcome} {comparison} ({condition}, {timepoint}; {who}): {effect}{size}; {studies}, "
               "{participants}; certainty {certainty}{downgrades}.",
        "row_ref": "{outcome} {comparison} ({timepoint}; {who})", "sized": " ({what})",
        "size_important_benefit": "an important benefit: it reaches the MID",
        "size_small_benefit": "a benefit smaller than the MID",
        "size_benefit_size_unknown": "a benefit; no accepted MID, so its importance is not judged",
        "size_little_or_no_difference": "little or no difference: the CI lies within the MID",
        "size_no_clear_difference": "no clear difference",
        "size_imprecise": "imprecise: the CI includes no effect and one beyond the MID",
        "size_possible_harm": "possible harm",
        "size_mixed": "the studies disagree",
        "size_not_estimable": "no estimate",
        "nulls_count": "Results reported without usable numbers count beside the best rows of their question, "
                       "as positive results do: {items}.",
        "side_important": "An important benefit (or one whose importance cannot be judged): {items}.",
        "side_small": "A benefit smaller than the MID: {items}.",
        "side_none": "Little or no difference, no clear difference or possible harm: {items}.",
        "side_mixed": "Studies that disagree: {items}.",
        "no_mid": "No accepted minimal important difference for {items}: whether the effect matters to patients "
                  "is not judged.",
        "below_mid_hedged": "The effect is smaller than the minimal important difference: GRADE would say "
                            "\"may reduce slightly\", which the claim's wording leaves out.",
        "below_mid_unhedged": "The effect is smaller than the minimal important difference: an unhedged claim of "
                              "benefit overstates it.",
        "sensitivity": "Under the sensitivity analysis {analysis} the verdict would be '{verdict}' "
                       "({certainty} certainty).",
        "suggest_dose": "In the trials a course had {low} to {high} sessions (median {median}); no study has "
                        "compared courses of different lengths, so how many sessions are needed is not known.",
        "suggest_dose_none": "No study has compared courses of different lengths, so how many sessions are "
                             "needed is not known.",
        "suggest_method": "Whether this method gives faster relief than other acupuncture has not been studied.",
        "suggest_untested": "No study in the evidence reviewed tests this claim directly: leave it out, or say "
                            "that it has not been studied.",
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
        "mixed": "Not every row the verdict rests on shows an important benefit.",
        "no_benefit": "No row the verdict rests on shows a benefit of any size.",
        "long_term_missing": "No benefit shown at 3 months or later for: {items}.",
        "short_only": "Only short-term benefits: a claim of lasting effects goes beyond the data.",
        "part": "Part {label}: {verdict} ({certainty}).",
        "early_trials": "Tested after one or two sessions: {items}.",
        "early_none": "No study in the snapshot measures the effect after one or two sessions.",
        "early_many": "\"Many people\" is a claim about how many: it needs the share of patients who improve after "
                      "one or two sessions (a responder outcome); the rows give mean differences only.",
        "sessions": "The trials' courses (read from {k} of {n} trial abstracts) range from "
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
        "row": "{outcome} {comparison} ({condition}, {timepoint}; {who}): {effect}{size}; {studies}, "
               "{participants}; zekerheid {certainty}{downgrades}.",
        "row_ref": "{outcome} {comparison} ({timepoint}; {who})", "sized": " ({what})",
        "size_important_benefit": "een belangrijk voordeel: het bereikt het minimaal belangrijke verschil",
        "size_small_benefit": "een voordeel kleiner dan het minimaal belangrijke verschil",
        "size_benefit_size_unknown": "een voordeel; er is geen geaccepteerd minimaal belangrijk verschil, dus "
                                     "het belang ervan is niet beoordeeld",
        "size_little_or_no_difference": "weinig of geen verschil: het BI ligt binnen het minimaal belangrijke "
                                        "verschil",
        "size_no_clear_difference": "geen duidelijk verschil",
        "size_imprecise": "onnauwkeurig: het BI omvat geen effect en een effect groter dan het minimaal "
                          "belangrijke verschil",
        "size_possible_harm": "mogelijk nadeel",
        "size_mixed": "de studies spreken elkaar tegen",
        "size_not_estimable": "geen schatting",
        "nulls_count": "Resultaten zonder bruikbare getallen tellen mee naast de beste rijen van hun vraag, net "
                       "als positieve resultaten: {items}.",
        "side_important": "Een belangrijk voordeel (of een voordeel waarvan het belang niet te beoordelen is): "
                          "{items}.",
        "side_small": "Een voordeel kleiner dan het minimaal belangrijke verschil: {items}.",
        "side_none": "Weinig of geen verschil, geen duidelijk verschil of mogelijk nadeel: {items}.",
        "side_mixed": "Studies die elkaar tegenspreken: {items}.",
        "no_mid": "Geen geaccepteerd minimaal belangrijk verschil voor {items}: of het effect voor patiënten "
                  "van belang is, is niet beoordeeld.",
        "below_mid_hedged": "Het effect is kleiner dan het minimaal belangrijke verschil: GRADE zou zeggen "
                            "\"vermindert mogelijk enigszins\", en dat laatste woord ontbreekt in de bewering.",
        "below_mid_unhedged": "Het effect is kleiner dan het minimaal belangrijke verschil: een stellige bewering "
                              "over een voordeel overdrijft het.",
        "sensitivity": "In de gevoeligheidsanalyse {analysis} zou het oordeel '{verdict}' zijn "
                       "(zekerheid {certainty}).",
        "suggest_dose": "In de onderzoeken bestond een behandelreeks uit {low} tot {high} sessies (mediaan "
                        "{median}); geen studie heeft reeksen van verschillende lengte vergeleken, dus hoeveel "
                        "sessies nodig zijn is niet bekend.",
        "suggest_dose_none": "Geen studie heeft behandelreeksen van verschillende lengte vergeleken, dus hoeveel "
                             "sessies nodig zijn is niet bekend.",
        "suggest_method": "Of deze methode sneller verlichting geeft dan andere acupunctuur, is niet onderzocht.",
        "suggest_untested": "Geen studie in het beoordeelde bewijs toetst deze bewering direct: laat haar weg, "
                            "of schrijf dat dit niet is onderzocht.",
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
        "mixed": "Niet elke rij waarop het oordeel rust laat een belangrijk voordeel zien.",
        "no_benefit": "Geen enkele rij waarop het oordeel rust laat een voordeel zien, groot of klein.",
        "long_term_missing": "Geen voordeel aangetoond na 3 maanden of later voor: {items}.",
        "short_only": "Alleen voordelen op korte termijn: een bewering over blijvende effecten gaat verder dan "
                      "de gegevens.",
        "part": "Deel {label}: {verdict} ({certainty}).",
        "early_trials": "Getoetst na één of twee sessies: {items}.",
        "early_none": "Geen studie in de snapshot meet het effect na één of twee sessies.",
        "early_many": "\"Veel mensen\" gaat over hoeveel: daarvoor is het aandeel patiënten nodig dat na één of "
                      "twee sessies verbetert (een responder-uitkomst); de rijen geven alleen gemiddelde verschillen.",
        "sessions": "De behandelreeksen van de trials (gelezen uit {k} van {n} samenvattingen) "
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
        "intro": "Verdicts follow fixed rules. For clinical claims they rest on the summary "
                 "of findings (GRADE): the rows whose condition, comparison, outcome and timepoint match the "
                 "claim. The certainty of a verdict is the GRADE certainty of the rows it "
                 "rests on; counting significant results plays no part.",
        "rules": [
            "Size: each row's estimate and 95% CI are judged against its minimal important difference (MID; "
            "GRADE guidance 34): an important benefit reaches the MID, a small benefit stays below it, and a CI "
            "that lies wholly within plus or minus the MID is 'little or no difference', even when it excludes "
            "zero. Without an accepted MID (headache days, some disability scales) a benefit is counted but its "
            "importance is not judged, and the summary says so.",
            "GRADE's words: every row and every verdict carries GRADE's informative statement (GRADE guidelines "
            "26, Santesso 2020): high certainty 'reduces', moderate 'probably reduces', low 'may reduce', "
            "'... slightly' for an effect below the MID, 'little or no difference' for a CI within the MID, and "
            "at very low certainty 'the evidence is very uncertain'.",
            "Best evidence: the rows of highest certainty decide, together with every result reported without "
            "usable numbers that answers the same question (comparison, condition and outcome): such results "
            "lose certainty for lacking an interval, and leaving them out would weigh null results less than "
            "positive ones (Cochrane Handbook 12.2.2.3). A verdict resting on a mix names both sides.",
            "Efficacy: none of those rows shows a benefit: 'not supported'. A benefit at very low certainty "
            "only: 'overstated'. Benefits all below the MID: 'overstated' for an unhedged claim (it asserts an "
            "effect that matters), 'supported, with caveats' for a hedged one (GRADE would add 'slightly'). "
            "Every row an important benefit: 'supported' when the certainty matches the claim's wording (a "
            "hedged claim, \"may\", needs low certainty; an unhedged one moderate or high), 'supported, with "
            "caveats' when it is lower. Important benefits beside rows without one: 'supported, with caveats'.",
            "Sensitivity analyses: when a row has been re-analysed (for example without trials at high risk of "
            "bias) and the verdict would differ, the summary says so (Cochrane Handbook 10.14).",
            "Suggested wording: an overstated or unsupported claim gets a wording the evidence supports, in "
            "Dutch and English, built from GRADE's statements of the rows its verdict rests on.",
            "Durability: the same, using only rows measured 3 months or more after randomisation, for each "
            "condition the claim names (one verdict per condition); benefits only at shorter times, or long-term "
            "ones only at very low certainty or below the MID: 'overstated'.",
            "Timing (relief after sessions 1-2): rows measured right after a session, or from trials that gave "
            "one or two sessions (the number of sessions each trial planned, read from its abstract). 'Many people' needs a responder outcome; a mean "
            "difference supports at most 'some patients'.",
            "Dose (a course of 6-8 sessions): supported only by a comparison of course lengths; otherwise "
            "'overstated' at very low certainty, with the courses the trials used.",
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
        "intro": "De oordelen volgen vaste regels. Voor klinische beweringen rusten ze op "
                 "de samenvatting van bevindingen (GRADE): de rijen waarvan aandoening, vergelijking, uitkomst "
                 "en meetmoment bij de bewering passen. De zekerheid van een oordeel is de "
                 "GRADE-zekerheid van die rijen; het tellen van significante resultaten speelt geen rol.",
        "rules": [
            "Grootte: de schatting en het 95%-BI van elke rij worden vergeleken met het minimaal belangrijke "
            "verschil (MID; GRADE-richtlijn 34): een belangrijk voordeel bereikt de MID, een klein voordeel "
            "blijft eronder, en een BI dat geheel binnen plus of min de MID ligt is 'weinig of geen verschil', "
            "ook als het nul uitsluit. Zonder geaccepteerde MID (hoofdpijndagen, sommige schalen voor "
            "beperkingen) telt een voordeel mee, maar wordt het belang ervan niet beoordeeld; de samenvatting "
            "zegt dat.",
            "De woorden van GRADE: elke rij en elk oordeel krijgt de informatieve uitspraak van GRADE "
            "(GRADE-richtlijn 26, Santesso 2020): bij hoge zekerheid 'vermindert', bij matige 'vermindert "
            "waarschijnlijk', bij lage 'vermindert mogelijk', 'enigszins' voor een effect kleiner dan de MID, "
            "'weinig of geen verschil' voor een BI binnen de MID, en bij zeer lage zekerheid 'het bewijs is "
            "zeer onzeker'.",
            "Beste bewijs: de rijen met de hoogste zekerheid beslissen, samen met elk resultaat zonder "
            "bruikbare getallen dat dezelfde vraag beantwoordt (vergelijking, aandoening en uitkomst): zulke "
            "resultaten verliezen zekerheid omdat een interval ontbreekt, en ze weglaten zou resultaten zonder "
            "verschil minder laten wegen dan positieve (Cochrane Handbook 12.2.2.3). Rust een oordeel op een "
            "mengeling, dan noemt het beide kanten.",
            "Werkzaamheid: laat geen van die rijen een voordeel zien: 'niet onderbouwd'. Een voordeel met "
            "alleen zeer lage zekerheid: 'overdreven'. Voordelen die allemaal kleiner zijn dan de MID: "
            "'overdreven' voor een stellige bewering (die claimt een effect dat ertoe doet), 'onderbouwd, met "
            "kanttekeningen' voor een voorzichtige (GRADE zou 'enigszins' toevoegen). Elke rij een belangrijk "
            "voordeel: 'onderbouwd' als de zekerheid past bij de formulering (een voorzichtige bewering, "
            "\"mogelijk\", vraagt lage zekerheid; een stellige matige of hoge), 'onderbouwd, met "
            "kanttekeningen' als ze lager is. Belangrijke voordelen naast rijen zonder: 'onderbouwd, met "
            "kanttekeningen'.",
            "Gevoeligheidsanalyses: is een rij opnieuw geanalyseerd (bijvoorbeeld zonder trials met een hoog "
            "risico op vertekening) en zou het oordeel dan anders zijn, dan zegt de samenvatting dat (Cochrane "
            "Handbook 10.14).",
            "Voorgestelde formulering: een overdreven of niet onderbouwde bewering krijgt een formulering die "
            "het bewijs wel draagt, in het Nederlands en het Engels, opgebouwd uit de uitspraken van GRADE over "
            "de rijen waarop het oordeel rust.",
            "Duurzaamheid: hetzelfde, alleen met rijen gemeten 3 maanden of later na randomisatie, per "
            "aandoening die de bewering noemt (één oordeel per aandoening); alleen voordelen op kortere termijn, "
            "of op lange termijn alleen met zeer lage zekerheid of kleiner dan de MID: 'overdreven'.",
            "Tijdstip (verlichting na sessie 1-2): rijen gemeten direct na een sessie, of uit trials met één of "
            "twee sessies (het aantal sessies dat elke studie plande, gelezen uit haar samenvatting). 'Veel mensen' vraagt een responder-uitkomst; een gemiddeld "
            "verschil onderbouwt hooguit 'sommige patiënten'.",
            "Dosis (een reeks van 6-8 sessies): alleen onderbouwd door een vergelijking van reeksen van "
            "verschillende lengte; anders 'overdreven' met zeer lage zekerheid, met de reeksen die de trials "
            "gebruikten.",
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


#: Sensitivity and subgroup analyses (the ``analysis`` of a SoF row's ``sensitivity``): the codes of
#: ``sensitivity`` in data/analysis_plan.yaml (Cochrane Handbook 10.11 and 10.14), English as the plan
#: words them. ``without_high_risk_of_bias`` is the older name of ``without_high_risk``. An unknown
#: code is shown with spaces for underscores.
CLAIM_ANALYSIS_LABELS = {
    "en": {"without_high_risk": "without trials at high risk of bias",
           "without_high_risk_of_bias": "without trials at high risk of bias",
           "without_crossover": "without crossover trials",
           "without_unstated_timepoint": "without results whose timepoint is not stated",
           "penetrating_sham": "subgroup: penetrating sham (needles inserted)",
           "non_penetrating_sham": "subgroup: non-penetrating or non-needle sham",
           "usual_care_only": "subgroup: usual care as control",
           "waiting_list_only": "subgroup: waiting list as control"},
    "nl": {"without_high_risk": "zonder trials met een hoog risico op vertekening",
           "without_high_risk_of_bias": "zonder trials met een hoog risico op vertekening",
           "without_crossover": "zonder cross-overstudies",
           "without_unstated_timepoint": "zonder resultaten waarvan het meetmoment niet vermeld is",
           "penetrating_sham": "subgroep: schijnacupunctuur met naalden die de huid doorboren",
           "non_penetrating_sham": "subgroep: schijnacupunctuur zonder doorborende naald of zonder naald",
           "usual_care_only": "subgroep: gebruikelijke zorg als controle",
           "waiting_list_only": "subgroep: wachtlijst als controle"},
}

#: The keys of the analysis plan's ``pick_rule`` (one result per study; Cochrane Handbook 9.3.4
#: and 10.3) in words, as data/analysis_plan.yaml explains them.
PICK_RULE_WORDS = {
    "en": {"primary": "primary endpoint first", "own_label": "the study's own row",
           "adjusted": "adjusted estimate", "itt": "intention to treat",
           "centre": "timepoint nearest the window's centre", "stated": "stated timepoint",
           "domain_order": "first outcome of the domain"},
    "nl": {"primary": "primair eindpunt eerst", "own_label": "de eigen rij van de studie",
           "adjusted": "gecorrigeerde schatting", "itt": "intention-to-treat",
           "centre": "meetmoment het dichtst bij het midden van de periode",
           "stated": "vermeld meetmoment", "domain_order": "eerste uitkomst van het domein"},
}

_TABLES = {"verdict": CLAIM_VERDICT_LABELS, "certainty": CLAIM_CERTAINTY_LABELS,
           "comparison": CLAIM_COMPARISON_LABELS, "condition": CLAIM_CONDITION_LABELS,
           "outcome": CLAIM_OUTCOME_LABELS, "domain": CLAIM_DOMAIN_LABELS, "part": CLAIM_PART_LABELS,
           "design": CLAIM_DESIGN_LABELS, "analysis": CLAIM_ANALYSIS_LABELS}
#: Kinds whose claim wording is the report's wording (:func:`ui_label`).
_SHARED = ("verdict", "certainty")


def claim_label(table: str, code: Any, lang: str) -> str:
    """A code in words (``claim_label("outcome", "headache_days", "nl")`` is ``"hoofdpijndagen"``).

    ``table`` is one of verdict, certainty, comparison, condition, outcome,
    domain, part, design. A code without a label is shown with spaces for
    underscores.
    """
    _check_lang(lang)
    if table not in _TABLES:
        raise ValueError(f"table must be one of {', '.join(_TABLES)}, got {table!r}")
    if table in _SHARED:  # the same words as the report's tables: one source
        return ui_label(table, code, lang)
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
    ("immediate", "direct"), ("years", "jaar"), ("year", "jaar"), ("months", "maanden"), ("month", "maand"),
    ("weeks", "weken"), ("week", "week"), ("days", "dagen"), ("day", "dag"),
    ("at_least_", "minstens "), ("up_to_", "tot "), ("_to_", " tot "), ("_", " "),
)


def claim_timepoint(code: Any, lang: str) -> str:
    """A timepoint code of the extraction table in words (``3_months`` is ``3 months`` / ``3 maanden``)."""
    _check_lang(lang)
    text = str(code)
    if text in UI_LABELS["timepoint"][lang]:  # one wording for the report's tables and its sentences
        return UI_LABELS["timepoint"][lang][text]
    if lang == "en":
        return text.replace("_post_treatment", "_after_treatment").replace("_", " ")
    for token, dutch in _TIMEPOINT_NL:
        text = text.replace(token, dutch)
    return text


# ----------------------------------------------------------------------------------------------
# GRADE's informative statements (evidence/statements.py): certainty x size, English and Dutch.
# Source of the table: Santesso N et al. GRADE guidelines 26: informative statements to
# communicate the findings of systematic reviews of interventions. J Clin Epidemiol
# 2020;119:126-135, Table 3 ("reduces", "probably reduces", "may reduce", "... slightly",
# "little or no difference", "the evidence is very uncertain about the effect of").

#: (certainty, size) -> the statement's head, per language; {i}: the intervention, {y}: the
#: outcome, {verb}: reduce/increase in the language's forms (STATEMENT_VERBS).
STATEMENT_TEXTS = {
    "en": {
        ("high", "effect"): "{I} {verb_s} {y}", ("high", "slight"): "{I} {verb_s} {y} slightly",
        ("high", "none"): "{I} results in little or no difference in {y}",
        ("moderate", "effect"): "{I} probably {verb_s} {y}",
        ("moderate", "slight"): "{I} probably {verb_s} {y} slightly",
        ("moderate", "none"): "{I} probably results in little or no difference in {y}",
        ("low", "effect"): "{I} may {verb} {y}", ("low", "slight"): "{I} may {verb} {y} slightly",
        ("low", "none"): "{I} may result in little or no difference in {y}",
        "very_low": "The evidence is very uncertain about the effect of {i} on {y}",
        "unknown": "The studies' results give no single estimate of the effect of {i} on {y}",
    },
    "nl": {
        ("high", "effect"): "{I} {verb_s} {y}", ("high", "slight"): "{I} {verb_s} enigszins {y}",
        ("high", "none"): "{I} geeft weinig of geen verschil in {y}",
        ("moderate", "effect"): "{I} {verb_s} waarschijnlijk {y}",
        ("moderate", "slight"): "{I} {verb_s} waarschijnlijk enigszins {y}",
        ("moderate", "none"): "{I} geeft waarschijnlijk weinig of geen verschil in {y}",
        ("low", "effect"): "{I} {verb_s} mogelijk {y}", ("low", "slight"): "{I} {verb_s} mogelijk enigszins {y}",
        ("low", "none"): "{I} geeft mogelijk weinig of geen verschil in {y}",
        "very_low": "Het bewijs is zeer onzeker over het effect van {i} op {y}",
        "unknown": "De resultaten van de studies geven geen gezamenlijke schatting van het effect van {i} op {y}",
    },
}
#: The verbs: (infinitive, third person).
STATEMENT_VERBS = {
    "en": {"reduce": ("reduce", "reduces"), "increase": ("increase", "increases")},
    "nl": {"reduce": ("verminderen", "vermindert"), "increase": ("verhogen", "verhoogt")},
}
STATEMENT_INTERVENTION = {"en": "acupuncture", "nl": "acupunctuur"}
#: Outcomes as the object of a statement (Dutch with its article); others: the claim labels.
STATEMENT_OUTCOMES = {
    "en": {"responder_50pct": "the number of responders (at least 50% fewer headache days)",
           "responder_rate": "the number of responders", "responders": "the number of responders",
           "headache_days": "headache days", "headache_days_per_year": "headache days per year",
           "neck_pain_disability": "neck pain and disability", "motion_related_pain": "pain on movement"},
    "nl": {"pain_intensity": "de pijnintensiteit", "pain": "de pijn", "motion_related_pain": "de pijn bij bewegen",
           "headache_days": "het aantal hoofdpijndagen",
           "headache_days_per_year": "het aantal hoofdpijndagen per jaar",
           "headache_frequency": "de hoofdpijnfrequentie", "headache_intensity": "de hoofdpijnintensiteit",
           "responder_50pct": "het aantal responders (minstens 50% minder hoofdpijndagen)",
           "responder_rate": "het aantal responders", "responders": "het aantal responders",
           "neck_pain_disability": "de nekpijn en beperkingen", "disability": "de beperkingen",
           "quality_of_life": "de kwaliteit van leven", "adverse_events": "de bijwerkingen",
           "cervical_range_of_motion": "de bewegingsuitslag van de nek",
           "physical_function": "het lichamelijk functioneren"},
}
#: Comparisons as a statement says them.
STATEMENT_COMPARISONS = {
    "en": {"acupuncture_vs_sham": "compared with sham", "acupuncture_vs_usual_care": "compared with usual care",
           "acupuncture_vs_active": "compared with another treatment",
           "acupuncture_vs_mixed": "compared with dry needling and sham combined"},
    "nl": {"acupuncture_vs_sham": "vergeleken met schijnacupunctuur",
           "acupuncture_vs_usual_care": "vergeleken met gebruikelijke zorg",
           "acupuncture_vs_active": "vergeleken met een andere behandeling",
           "acupuncture_vs_mixed": "vergeleken met dry needling en schijnbehandeling samen"},
}


def statement_sentence(certainty: str, size: str, direction: str, *, outcome: Any = "", comparison: Any = "",
                       condition: Any = "", timepoint: Any = "", lang: str = "en") -> str:
    """One informative statement (GRADE guidelines 26, Table 3) in ``lang``.

    Parameters
    ----------
    certainty : {"high", "moderate", "low", "very_low"}
    size : {"effect", "slight", "none", "unknown"}
    direction : {"reduce", "increase"}
        The sign of the estimate on the outcome's own scale.
    outcome, comparison, condition, timepoint : str
        Codes of the summary-of-findings row (shown in words).
    lang : {"en", "nl"}

    Returns
    -------
    str
        "Acupuncture may reduce pain intensity slightly compared with sham (neck pain, 6 weeks)."
    """
    _check_lang(lang)
    if certainty not in CERTAINTIES:
        raise ValueError(f"certainty must be one of {', '.join(CERTAINTIES)}, got {certainty!r}")
    if size not in ("effect", "slight", "none", "unknown"):
        raise ValueError(f"size must be one of effect, slight, none, unknown, got {size!r}")
    if direction not in ("reduce", "increase"):
        raise ValueError(f"direction must be 'reduce' or 'increase', got {direction!r}")
    texts = STATEMENT_TEXTS[lang]
    if size == "unknown":
        head = texts["unknown"]
    elif certainty == "very_low":
        head = texts["very_low"]
    else:
        head = texts[(certainty, size)]
    i = STATEMENT_INTERVENTION[lang]
    verb, verb_s = STATEMENT_VERBS[lang][direction]
    y = STATEMENT_OUTCOMES[lang].get(outcome) or claim_label("outcome", outcome, lang)
    text = head.format(I=i[:1].upper() + i[1:], i=i, verb=verb, verb_s=verb_s, y=y)
    versus = STATEMENT_COMPARISONS[lang].get(comparison)
    if versus is None and comparison:
        versus = ("compared with " if lang == "en" else "vergeleken met ") + \
            str(comparison).split("_vs_")[-1].replace("_", " ")
    context = [claim_label("condition", condition, lang) if condition else "",
               claim_timepoint(timepoint, lang) if timepoint else ""]
    context_text = ", ".join(c for c in context if c)
    if versus:
        text += (" " if lang == "en" else ", ") + versus
    if context_text:
        text += f" ({context_text})"
    return text + "."


# ----------------------------------------------------------------------------------------------
# The report's cards (issue 17): what each GRADE level means in plain words, the glossary of the
# abbreviations that stay, the card's labels, and the figures' words. Block owned by the report.

#: GRADE's plain-language meaning of each certainty level (Balshem et al. 2011, J Clin Epidemiol
#: 64:401-6, Table 2; the GRADE Handbook, section 5; the Dutch as GRADE Nederland words them).
REPORT_CERTAINTY_MEANING = {
    "en": {"high": "we are very confident that the true effect lies close to the estimate.",
           "moderate": "we are moderately confident: the true effect is likely to be close to the estimate, "
                       "but it may be substantially different.",
           "low": "our confidence is limited: the true effect may be substantially different from the estimate.",
           "very_low": "we have very little confidence: the true effect is likely to be substantially different "
                       "from the estimate.",
           None: "no study bears on the claim, so nothing can be said about the effect."},
    "nl": {"high": "we zijn er zeer zeker van dat het werkelijke effect dicht bij de schatting ligt.",
           "moderate": "we zijn er redelijk zeker van: het werkelijke effect ligt waarschijnlijk dicht bij de "
                       "schatting, maar kan er wezenlijk van verschillen.",
           "low": "ons vertrouwen is beperkt: het werkelijke effect kan wezenlijk verschillen van de schatting.",
           "very_low": "we hebben zeer weinig vertrouwen: het werkelijke effect verschilt waarschijnlijk wezenlijk "
                       "van de schatting.",
           None: "geen enkele studie gaat over de bewering, dus over het effect valt niets te zeggen."},
}

#: The abbreviations and terms that stay on the page, explained once.
REPORT_GLOSSARY = {
    "en": (("RCT", "randomised controlled trial: patients are assigned to treatments by chance."),
           ("SR", "systematic review: a review that searches for, appraises and combines all studies on a "
                  "question."),
           ("MD", "mean difference between the groups, on the outcome's own scale."),
           ("SMD", "standardised mean difference: the difference in standard deviations (0.2 small, 0.5 "
                   "moderate, 0.8 large)."),
           ("RR", "risk ratio: how many times more often an outcome occurs with acupuncture (1 means no "
                  "difference)."),
           ("95% CI", "95% confidence interval: the range of effects compatible with the data."),
           ("GRADE", "the method that rates how certain the evidence is (high, moderate, low, very low)."),
           ("PMID", "the number of a publication in PubMed.")),
    "nl": (("RCT", "gerandomiseerde gecontroleerde studie: het toeval bepaalt wie welke behandeling krijgt."),
           ("SR", "systematische review: een overzicht dat alle studies over een vraag zoekt, beoordeelt en "
                  "samenvat."),
           ("MD", "gemiddeld verschil tussen de groepen, op de eigen schaal van de uitkomst."),
           ("SMD", "gestandaardiseerd gemiddeld verschil: het verschil in standaarddeviaties (0,2 klein, 0,5 "
                   "matig, 0,8 groot)."),
           ("RR", "relatief risico: hoeveel keer vaker een uitkomst optreedt met acupunctuur (1 betekent geen "
                  "verschil)."),
           ("95%-BI", "95%-betrouwbaarheidsinterval: de effecten die met de gegevens verenigbaar zijn."),
           ("GRADE", "de methode die beoordeelt hoe zeker het bewijs is (hoog, matig, laag, zeer laag)."),
           ("PMID", "het nummer van een publicatie in PubMed.")),
}

#: The card's labels and the page's sections (English and Dutch side by side).
REPORT_TEXTS = {
    "en": {"title": "Checking the claims of “Nekpijn en hoofdpijn” against PubMed evidence",
           "intro": "One card per claim of the article: the verdict, how certain the evidence is, what it shows, "
                    "and the references to paste. The reasons and the numbers fold out under each card.",
           "overview": "All claims", "claim": "Claim", "article_says": "The article says",
           "verdict": "Verdict", "certainty": "Certainty", "refs": "References",
           "legend": "What the certainty levels mean (GRADE)", "glossary": "Abbreviations",
           "shows": "What the evidence shows", "suggestion": "Suggested wording",
           "cite": "References to paste", "downloads": "Download", "all_downloads": "All cited references",
           "why": "Why this verdict", "sof": "Summary of findings and footnotes", "evidence": "The studies cited",
           "footnotes": "Footnotes", "none_cited": "No reference: no study in the collection bears on this claim.",
           "rob": "Risk of bias of the trials (RoB 2)",
           "rob_note": "Each trial result judged with the Cochrane RoB 2 tool from its abstract only (provisional: "
                       "no full texts were read). The bars weigh each trial by the number of people randomised.",
           "forest": "Meta-analyses (forest plots)",
           "forest_note": "Each study's estimate with its 95% confidence interval; the words under each plot say "
                          "which side favours acupuncture. Where no pooled estimate is shown, the plot says why.",
           "figures": "How the studies were found and what they are",
           "workbook": "The workbook", "tables": "Tables",
           "workbook_text": "The executed notebooks and the tables are next to this page in the report folder; "
                            "the tables are also attached here.",
           "more": "A PubMed search that would find more",
           "generated": "Made on {date} from the stored collection of PubMed records, without internet; every "
                        "number traces to a PubMed record and the sentence it was read from.",
           "coverage": "What this check covers", "paraphrase": "In English", "section": "section",
           "cut": "abstract cut short in the stored collection"},
    "nl": {"title": "De beweringen van “Nekpijn en hoofdpijn” getoetst aan bewijs uit PubMed",
           "intro": "Per bewering uit het artikel één kaart: het oordeel, hoe zeker het bewijs is, wat het laat zien, "
                    "en de referenties om over te nemen. De redenen en de getallen klappen uit onder elke kaart.",
           "overview": "Alle beweringen", "claim": "Bewering", "article_says": "Het artikel zegt",
           "verdict": "Oordeel", "certainty": "Zekerheid", "refs": "Referenties",
           "legend": "Wat de zekerheidsniveaus betekenen (GRADE)", "glossary": "Afkortingen",
           "shows": "Wat het bewijs laat zien", "suggestion": "Voorgestelde formulering",
           "cite": "Referenties om over te nemen", "downloads": "Downloaden",
           "all_downloads": "Alle geciteerde referenties",
           "why": "Waarom dit oordeel", "sof": "Samenvatting van bevindingen en voetnoten",
           "evidence": "De geciteerde studies", "footnotes": "Voetnoten",
           "none_cited": "Geen referentie: geen enkele studie in de verzameling gaat over deze bewering.",
           "rob": "Risico op vertekening van de studies (RoB 2)",
           "rob_note": "Elk studieresultaat beoordeeld met het Cochrane-instrument RoB 2, alleen op basis van de "
                       "samenvatting (voorlopig: de volledige artikelen zijn niet gelezen). De balken wegen elke "
                       "studie naar het aantal gerandomiseerde deelnemers.",
           "forest": "Meta-analyses (forest plots)",
           "forest_note": "Per studie de schatting met het 95%-betrouwbaarheidsinterval; de woorden onder elke figuur "
                          "zeggen welke kant in het voordeel van acupunctuur is. Waar geen gepoolde schatting staat, "
                          "zegt de figuur waarom.",
           "figures": "Hoe de studies gevonden zijn en wat ze zijn",
           "workbook": "De werkmap", "tables": "Tabellen",
           "workbook_text": "De uitgevoerde notebooks en de tabellen staan naast deze pagina in de rapportmap; de "
                            "tabellen zijn hier ook bijgevoegd.",
           "more": "Een PubMed-zoekopdracht die meer zou vinden",
           "generated": "Gemaakt op {date} uit de opgeslagen verzameling PubMed-publicaties, zonder internet; elk "
                        "getal is herleidbaar tot een PubMed-publicatie en de zin waaruit het is gelezen.",
           "coverage": "Wat deze toets omvat", "paraphrase": "In het Engels", "section": "paragraaf",
           "cut": "samenvatting afgekapt in de opgeslagen verzameling"},
}

#: Words on the figures (forest, PRISMA, risk of bias), per language.
FIGURE_TEXTS = {
    "en": {"favours_acupuncture": "favours acupuncture", "favours": "favours {control}",
           "control": "control", "estimate": "estimate", "weight": "weight", "ci": "95% CI",
           "pi": "95% prediction interval", "no_pool": "No pooled estimate: {reason}",
           "identified": "Records identified", "duplicates": "Duplicate records removed",
           "screened": "Records screened\n(title, abstract, indexing)", "excluded": "Records excluded",
           "included": "Records included in the review", "stages": ("Identification", "Screening", "Included"),
           "prisma_title": "PRISMA 2020 flow of records (title and abstract screening)",
           "rob_low": "Low risk", "rob_some_concerns": "Some concerns", "rob_high": "High risk",
           "rob_no_information": "No information", "rob_overall": "Overall", "rob_judgement": "Judgement",
           "rob_domains": "Domains", "rob_study": "Study", "rob_share": "Share of the information (%)",
           "rob_share_unweighted": "Share of the studies (%)",
           "rob_imputed": "number randomised not in the abstract for {k} trials: each weighted as the median trial",
           "rob_title": "Risk of bias (RoB 2), judged from the abstracts",
           "rob_d1": "randomisation process", "rob_ds": "period and carry-over effects (crossover)",
           "rob_d2": "deviations from intended interventions", "rob_d3": "missing outcome data",
           "rob_d4": "measurement of the outcome", "rob_d5": "selection of the reported result",
           "rob_traffic_light": "Risk of bias of each trial result, domain by domain (RoB 2)",
           "rob_summary": "Risk of bias per domain, weighted by the number of people randomised",
           "condition": "condition", "design": "study design", "map_title": "Records by study design and condition (n = {n})",
           "year": "publication year", "records": "records", "year_title": "Records per year by study design",
           "trials": "trials and trial protocols", "comparator": "comparator",
           "comparator_title": "Comparators (n = {n})"},
    "nl": {"favours_acupuncture": "in het voordeel van acupunctuur", "favours": "in het voordeel van {control}",
           "control": "de controle", "estimate": "schatting", "weight": "gewicht", "ci": "95%-BI",
           "pi": "95%-predictie-interval", "no_pool": "Geen gepoolde schatting: {reason}",
           "identified": "Gevonden publicaties", "duplicates": "Dubbele publicaties verwijderd",
           "screened": "Gescreende publicaties\n(titel, samenvatting, indexering)",
           "excluded": "Uitgesloten publicaties", "included": "Opgenomen in de review",
           "stages": ("Identificatie", "Screening", "Opgenomen"),
           "prisma_title": "PRISMA 2020-stroomdiagram (screening op titel en samenvatting)",
           "rob_low": "Laag risico", "rob_some_concerns": "Enige twijfel", "rob_high": "Hoog risico",
           "rob_no_information": "Geen informatie", "rob_overall": "Totaal", "rob_judgement": "Oordeel",
           "rob_domains": "Domeinen", "rob_study": "Studie", "rob_share": "Aandeel van de informatie (%)",
           "rob_share_unweighted": "Aandeel van de studies (%)",
           "rob_imputed": "aantal gerandomiseerden niet in de samenvatting bij {k} studies: elk gewogen als de "
                          "mediane studie",
           "rob_title": "Risico op vertekening (RoB 2), beoordeeld uit de samenvattingen",
           "rob_d1": "randomisatieproces", "rob_ds": "periode- en overdrachtseffecten (cross-over)",
           "rob_d2": "afwijkingen van de bedoelde behandeling", "rob_d3": "ontbrekende uitkomstgegevens",
           "rob_d4": "meting van de uitkomst", "rob_d5": "selectie van het gerapporteerde resultaat",
           "rob_traffic_light": "Risico op vertekening per studieresultaat en domein (RoB 2)",
           "rob_summary": "Risico op vertekening per domein, gewogen naar het aantal gerandomiseerde deelnemers",
           "condition": "aandoening", "design": "onderzoeksopzet",
           "map_title": "Publicaties per onderzoeksopzet en aandoening (n = {n})",
           "year": "publicatiejaar", "records": "publicaties", "year_title": "Publicaties per jaar per onderzoeksopzet",
           "trials": "studies en studieprotocollen", "comparator": "controlebehandeling",
           "comparator_title": "Controlebehandelingen (n = {n})"},
}


def figure_text(key: str, lang: str = "en", **params):
    """A word or caption on a figure (:data:`FIGURE_TEXTS`) in ``lang``, filled with ``params``."""
    _ui_check_lang(lang)
    text = FIGURE_TEXTS[lang][key]
    return text.format(**params) if params and isinstance(text, str) else text


def report_text(key: str, lang: str = "en") -> str:
    """A label of the report's cards and sections (:data:`REPORT_TEXTS`) in ``lang``."""
    _ui_check_lang(lang)
    return REPORT_TEXTS[lang][key]


# -- forest plots of the analysis plan's pooled rows (evidence.forests; engineer "forest") --------
# Kept as one block so that edits to the wording above do not collide with it.
_PLAN_FOREST_TEXTS = {
    "en": {"forest_title": "{condition}, {comparison}: {outcome}, {window}",
           "pooled": "Pooled estimate (random effects)",
           "heterogeneity": "Heterogeneity: I\u00b2 = {i2}%, \u03c4\u00b2 = {tau2} ({k} studies)",
           "no_pool_heterogeneity": "I\u00b2 = {i2}% with {k} studies: no pooled estimate. The studies disagree "
                                    "too much to summarise them in one number (Cochrane Handbook 10.10.2).",
           "scale_0_100": "0-100 scale", "scale_days_4_weeks": "headache days per 4 weeks",
           "scale_days_year": "headache days per year", "scale_sd": "in standard deviations"},
    "nl": {"forest_title": "{condition}, {comparison}: {outcome}, {window}",
           "pooled": "Gepoolde schatting (random-effectsmodel)",
           "heterogeneity": "Heterogeniteit: I\u00b2 = {i2}%, \u03c4\u00b2 = {tau2} ({k} studies)",
           "no_pool_heterogeneity": "I\u00b2 = {i2}% bij {k} studies: geen gepoolde schatting. De studies verschillen "
                                    "te veel om ze in \u00e9\u00e9n getal samen te vatten (Cochrane Handbook 10.10.2).",
           "scale_0_100": "schaal 0-100", "scale_days_4_weeks": "hoofdpijndagen per 4 weken",
           "scale_days_year": "hoofdpijndagen per jaar", "scale_sd": "in standaarddeviaties"},
}
for _lang, _words in _PLAN_FOREST_TEXTS.items():
    FIGURE_TEXTS[_lang].update(_words)

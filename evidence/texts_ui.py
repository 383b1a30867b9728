"""The report's user interface in English and Dutch: the words for the vocabularies' codes.

Part of :mod:`evidence.texts` (which re-exports every name here). Names start
with ``UI_``/``ui_``. :func:`ui_label` turns a code (``tension_type_headache``,
``acupuncture_vs_sham``, ``weeks_9_to_12``) into words in a language; an
unknown code becomes its words with the underscores as spaces, so that no code
is ever shown as it is stored. :data:`UI_TEXTS` holds the page's fixed texts
around the cards (:func:`ui_text`). The claims' sentences reuse these labels
where the words are the same (:mod:`evidence.texts_claims`).
"""

from __future__ import annotations

import re

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

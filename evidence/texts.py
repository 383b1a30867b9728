"""Translated texts of the workbook, English and Dutch.

The report's user interface (headings, column names, the words for the codes of the
vocabularies) lives here, so that a translator edits one file and the Dutch page shows no
English fragment. Names in this module start with ``UI_``/``ui_`` (user interface) or
``LABEL_``/``label`` (another part of the module holds the claims' texts, ``CLAIM_*``).

:func:`ui_label` turns a code (``tension_type_headache``, ``acupuncture_vs_sham``,
``weeks_9_to_12``) into words in a language; an unknown code becomes its words with the
underscores as spaces, so that no code is ever shown as it is stored.

(No ``__all__`` here: the module is shared with the claims' texts; every public name is a
text or a function to read one.)
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
               "acupuncture_vs_active": "acupuncture vs an active treatment"},
        "nl": {"acupuncture_vs_sham": "acupunctuur vs schijnbehandeling",
               "acupuncture_vs_usual_care": "acupunctuur vs gebruikelijke zorg",
               "acupuncture_vs_active": "acupunctuur vs een actieve behandeling"},
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
               "responder_50pct": "responders (50% afname)", "responder_rate": "percentage responders",
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
    # the review's questions (evidence.analyses.QUESTIONS keys): forest plot captions
    "question": {
        "en": {"tth_sham_responders": "Tension-type headache, acupuncture vs sham: responder rate",
               "tth_sham_frequency": "Tension-type headache, acupuncture vs sham: headache frequency",
               "tth_usual_care_responders": "Tension-type headache, acupuncture vs usual care: responder rate",
               "tth_usual_care_frequency": "Tension-type headache, acupuncture vs usual care: headache frequency",
               "neck_sham_pain": "Neck pain, acupuncture vs sham: pain intensity, short term",
               "neck_sham_pain_with_crossover": "Neck pain, acupuncture vs sham: pain intensity, short term "
                                                "(with single-session crossover results)",
               "neck_usual_care_pain": "Neck pain, acupuncture vs usual care: pain intensity, short term"},
        "nl": {"tth_sham_responders": "Spanningshoofdpijn, acupunctuur vs schijnbehandeling: percentage responders",
               "tth_sham_frequency": "Spanningshoofdpijn, acupunctuur vs schijnbehandeling: hoofdpijnfrequentie",
               "tth_usual_care_responders": "Spanningshoofdpijn, acupunctuur vs gebruikelijke zorg: "
                                            "percentage responders",
               "tth_usual_care_frequency": "Spanningshoofdpijn, acupunctuur vs gebruikelijke zorg: "
                                           "hoofdpijnfrequentie",
               "neck_sham_pain": "Nekpijn, acupunctuur vs schijnbehandeling: pijnintensiteit, korte termijn",
               "neck_sham_pain_with_crossover": "Nekpijn, acupunctuur vs schijnbehandeling: pijnintensiteit, "
                                                "korte termijn (met cross-overresultaten na één sessie)",
               "neck_usual_care_pain": "Nekpijn, acupunctuur vs gebruikelijke zorg: pijnintensiteit, korte termijn"},
    },
    # the figures of the report
    "figure": {
        "en": {"prisma_flow": "PRISMA flow of the records", "design_condition_heatmap":
               "Evidence map: records by study design and condition",
               "publications_per_year": "Records per year by study design",
               "comparator_counts": "Comparators of the trials"},
        "nl": {"prisma_flow": "PRISMA-stroomdiagram van de records", "design_condition_heatmap":
               "Bewijskaart: records per onderzoeksopzet en aandoening",
               "publications_per_year": "Records per jaar per onderzoeksopzet",
               "comparator_counts": "Controlebehandelingen van de studies"},
    },
}

# the report page's fixed texts
UI_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Checking the claims of “Nekpijn en hoofdpijn” against PubMed evidence",
        "intro": "For each claim in the article's literature section: a verdict, how certain the evidence is, "
                 "why, and the references to cite. Verdicts follow explicit rules (see the workbook's "
                 "evidence/claims.py); certainty follows GRADE's domains.",
        "table": "Verdicts", "claim": "Claim", "verdict": "Verdict", "certainty": "Certainty",
        "refs": "References", "article_says": "The article says", "section": "section",
        "paraphrase": "In English", "why": "Why", "evidence": "Evidence", "cite": "References to cite",
        "more": "A live PubMed search that would find more",
        "study": "Study", "design": "Design", "n": "n", "effects": "Effects (95% CI)", "relation": "Evidence",
        "cut": "abstract cut short in the snapshot",
        "coverage": "What this check covers",
        "coverage_text": "{n} PubMed records in the snapshot ({origin}; copied {date}); {cut} of them have an "
                         "abstract cut short and {noabs} have none, so some results could not be read. "
                         "{searches} A live search (record mode) would add records the snapshot lacks, "
                         "including those listed in data/pubmed/PROVENANCE.md (e.g. the 2016 Cochrane "
                         "review of neck disorders and a case series of the Balance Method).",
        "origin_assembled": "assembled from public pages", "origin_recorded": "recorded from NCBI",
        "no_searches": "No search was recorded: the records were assembled from public pages.",
        "searches": "{k} recorded search(es).",
        "downloads": "All cited references", "claim_downloads": "Download these references",
        "none": "none",
        "figures": "Figures", "forest": "Meta-analyses (forest plots)",
        "forest_note": "Each study's estimate with its 95% confidence interval and weight; the diamond is the "
                       "pooled estimate, the line below it the 95% prediction interval.",
        "workbook": "The workbook",
        "workbook_text": "The executed notebooks and the tables are in the folders notebooks/ and tables/ "
                         "next to this page when it is part of the report folder; the tables are also "
                         "attached here.",
        "tables": "Tables",
        "generated": "Generated {date} from the snapshot in replay mode; every number traces to a PMID and "
                     "the sentence it was read from (data/effects.csv).",
        "at": "at",
        "ci": "95% CI", "to": "to",
        "incomplete": "Incomplete citation", "missing_authors": "author list cut short",
        "missing_no_authors": "no authors", "missing_journal": "no journal",
        "missing_volume or pages": "no volume or pages",
    },
    "nl": {
        "title": "De beweringen van “Nekpijn en hoofdpijn” getoetst aan bewijs uit PubMed",
        "intro": "Per bewering in het literatuurdeel van het artikel: een oordeel, hoe zeker het bewijs is, "
                 "waarom, en de referenties om te citeren. Oordelen volgen expliciete regels (zie "
                 "evidence/claims.py in de werkmap); de zekerheid volgt de domeinen van GRADE.",
        "table": "Oordelen", "claim": "Bewering", "verdict": "Oordeel", "certainty": "Zekerheid",
        "refs": "Referenties", "article_says": "Het artikel zegt", "section": "paragraaf",
        "paraphrase": "In het Engels", "why": "Waarom", "evidence": "Bewijs", "cite": "Te citeren referenties",
        "more": "Een live PubMed-zoekopdracht die meer zou vinden",
        "study": "Studie", "design": "Onderzoeksopzet", "n": "n", "effects": "Effecten (95%-BI)",
        "relation": "Bewijs",
        "cut": "samenvatting afgekapt in de snapshot",
        "coverage": "Wat deze toets omvat",
        "coverage_text": "{n} PubMed-records in de snapshot ({origin}; gekopieerd {date}); bij {cut} daarvan "
                         "is de samenvatting afgekapt en {noabs} hebben er geen, dus sommige resultaten konden "
                         "niet worden gelezen. {searches} Een live zoekopdracht (record-modus) voegt records "
                         "toe die de snapshot mist, waaronder die in data/pubmed/PROVENANCE.md (bijv. de "
                         "Cochrane-review van 2016 over nekklachten en een case series van de Balance Method).",
        "origin_assembled": "samengesteld uit openbare pagina's", "origin_recorded": "opgehaald bij NCBI",
        "no_searches": "Er is geen zoekopdracht vastgelegd: de records zijn samengesteld uit openbare pagina's.",
        "searches": "{k} vastgelegde zoekopdracht(en).",
        "downloads": "Alle geciteerde referenties", "claim_downloads": "Deze referenties downloaden",
        "none": "geen",
        "figures": "Figuren", "forest": "Meta-analyses (forest plots)",
        "forest_note": "Per studie de schatting met het 95%-betrouwbaarheidsinterval en het gewicht; de ruit is "
                       "de gepoolde schatting, de lijn eronder het 95%-predictie-interval.",
        "workbook": "De werkmap",
        "workbook_text": "De uitgevoerde notebooks en de tabellen staan in de mappen notebooks/ en tables/ "
                         "naast deze pagina als die deel is van de rapportmap; de tabellen zijn hier ook "
                         "bijgevoegd.",
        "tables": "Tabellen",
        "generated": "Gemaakt op {date} uit de snapshot in replay-modus; elk getal is herleidbaar tot een PMID "
                     "en de zin waaruit het is gelezen (data/effects.csv).",
        "at": "op",
        "ci": "95%-BI", "to": "tot",
        "incomplete": "Onvolledige referentie", "missing_authors": "auteurslijst afgekapt",
        "missing_no_authors": "geen auteurs", "missing_journal": "geen tijdschrift",
        "missing_volume or pages": "geen jaargang of pagina's",
    },
}


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
        ``relation``, ``claim``, ``question``, ``figure``).
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

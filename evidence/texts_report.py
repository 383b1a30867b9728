"""The claims report's cards in English and Dutch: labels, sections, certainty meanings, glossary.

Part of :mod:`evidence.texts` (which re-exports every name here). What each
GRADE level means in plain words (:data:`REPORT_CERTAINTY_MEANING`), the
abbreviations that stay on the page (:data:`REPORT_GLOSSARY`) and the labels of
the cards and the page's sections (:data:`REPORT_TEXTS`, :func:`report_text`),
used by :mod:`evidence.report`. The figures' words are :mod:`evidence.texts_figures`.
"""

from __future__ import annotations

from .texts_ui import _ui_check_lang


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


def report_text(key: str, lang: str = "en") -> str:
    """A label of the report's cards and sections (:data:`REPORT_TEXTS`) in ``lang``."""
    _ui_check_lang(lang)
    return REPORT_TEXTS[lang][key]

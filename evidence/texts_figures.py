"""Words on the figures in English and Dutch: forest plots, the PRISMA flow, risk of bias, the evidence map.

Part of :mod:`evidence.texts` (which re-exports every name here).
:data:`FIGURE_TEXTS` holds the words per language (the forest plots of the
analysis plan's pooled rows add theirs from one block, :data:`_PLAN_FOREST_TEXTS`);
:func:`figure_text` fills one with its parameters. Used by :mod:`evidence.plots`,
:mod:`evidence.forests` and :mod:`evidence.robplots`.
"""

from __future__ import annotations

from .texts_ui import _ui_check_lang

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

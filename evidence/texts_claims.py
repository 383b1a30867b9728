"""The words of the claims' verdicts: labels for sentences, the summaries' fixed texts, the rules.

Part of :mod:`evidence.texts` (which re-exports every name here). Names start
with ``CLAIM_``/``claim_``. A sentence labels a code with :func:`claim_label`:
the verdict and certainty words are the report's (:data:`evidence.texts_ui.UI_LABELS`,
one source), the other tables lay the wordings a sentence needs over the
report's. :func:`claim_text` fills one fixed text of a summary, :func:`claim_number`
writes a number as readers write it and :func:`claim_timepoint` a timepoint code
in words. The rules of the verdicts for readers (:data:`CLAIM_RULES`), the
summary-of-findings table's headings, the sensitivity analyses' names and the
analysis plan's pick rule in words are here too. Rendering a stored sentence
is :mod:`evidence.texts_render`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .texts_ui import UI_LABELS, ui_label

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

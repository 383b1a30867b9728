"""Plain words for generated text: no codes, no file names, Dutch on the Dutch page.

The texts that :mod:`evidence.grade`, :mod:`evidence.analyses` and :mod:`evidence.claims`
generate (downgrade reasons, footnotes, "why" summaries, the reasons beside a forest plot)
are written for the workbook and may carry stored codes (``white2000``,
``up_to_3_months``, ``acupuncture_vs_sham``), file names (``null_results.csv``) and, on the
Dutch page, English phrases. :func:`plain` turns such a text into what a reader of the report
should see:

- file names of the workbook (``data/sessions.csv``, ``null_results.csv``) are left out;
- a study id (``white2000``) becomes its name (``White 2000``);
- a code of the vocabularies or of the extraction table becomes its words
  (:func:`evidence.texts.ui_label`, :func:`evidence.texts.claim_timepoint`);
- a p value written as ``p = <.05`` becomes ``p < 0.05``;
- in Dutch, the known English phrases are translated (:data:`_NL_PHRASES`), English words the
  Dutch texts still carry get Dutch ones, and every decimal point becomes a comma (p values too).

The evidence itself (quoted sentences, titles, references) is never passed through it.
"""

from __future__ import annotations

import re

from .texts import FIGURE_TEXTS, UI_LABELS, claim_timepoint

__all__ = ["plain", "code_words", "CODE", "STUDY_ID"]

#: A stored code: lowercase words joined by underscores.
CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
#: A study id of data/studies.csv: first author's name and year (``white2000``, ``irnich2002b``).
STUDY_ID = re.compile(r"\b([a-z]{2,})((?:19|20)\d\d)([a-z]?)\b")
_FILES = re.compile(r"(?:data/)?(?:pubmed/)?[\w-]+\.(?:csv|yaml|md|py)\b")
_KINDS = ("comparison", "condition", "outcome", "design", "comparator", "verdict", "certainty")
#: Codes outside the vocabularies that generated texts name.
_EXTRA = {"en": {"acupuncture_any": "any form of acupuncture"},
          "nl": {"acupuncture_any": "elke vorm van acupunctuur"}}


def code_words(code: str, lang: str = "en") -> str:
    """A stored code in words: the vocabularies' labels first, then as a timepoint."""
    if code in _EXTRA[lang]:
        return _EXTRA[lang][code]
    for kind in _KINDS:
        words = UI_LABELS[kind][lang].get(code)
        if words is not None:
            return words
    return claim_timepoint(code, lang)


def _study(match: re.Match) -> str:
    return f"{match.group(1).capitalize()} {match.group(2)}{match.group(3)}"


def _drop_files(text: str) -> str:
    text = re.sub(rf"\s*\((?:see )?(?:the workbook's )?{_FILES.pattern}\)", "", text)  # "(null_results.csv)"
    text = re.sub(rf";\s*{_FILES.pattern}(?=\))", "", text)  # "(white2000 at 3_months; null_results.csv)"
    text = re.sub(rf"\((?:see )?{_FILES.pattern}[,;]\s*", "(", text)  # "(data/sessions.csv, read from ...)"
    text = re.sub(rf"\s*\(zie {_FILES.pattern}[^)]*\)", "", text)
    return _FILES.sub("", text)


def _pvalue(text: str) -> str:
    text = re.sub(r"\bp = <=\s*", "p \u2264 ", text)
    text = re.sub(r"\bp = >=\s*", "p \u2265 ", text)
    text = re.sub(r"\bp = ([<>])\s*", r"p \1 ", text)
    return re.sub(r"(?<![\d.])\.(\d)", r"0.\1", text)  # ".05" -> "0.05"


def _dutch_label(words: str) -> str:
    """English words of a vocabulary code (or the code with spaces) in Dutch; unknown words stay."""
    code = words.strip().replace(" ", "_")
    for kind in ("outcome", "condition", "comparison", "design", "comparator", "timepoint"):
        labels = UI_LABELS[kind]
        if code in labels["nl"]:
            return labels["nl"][code]
        for key, english in labels["en"].items():
            if english == words.strip():
                return labels["nl"][key]
    return words


_DOMAINS_NL = [(FIGURE_TEXTS["en"][f"rob_{d}"], FIGURE_TEXTS["nl"][f"rob_{d}"])
               for d in ("d1", "d2", "d3", "d4", "d5")]

#: English phrases of the generated texts and their Dutch, applied in order.
_NL_PHRASES = [
    # evidence/grade.py: imprecision
    (r"the CI excludes the null \(no accepted MID to judge against\)",
     "het 95%-BI sluit 'geen effect' uit (er is geen aanvaard klinisch relevant verschil om aan te toetsen)"),
    (r"the CI crosses the null \(no accepted MID to judge against\)",
     "het 95%-BI omvat ook 'geen effect' (er is geen aanvaard klinisch relevant verschil om aan te toetsen)"),
    (r"the CI crosses the null", "het 95%-BI omvat ook 'geen effect'"),
    (r"the CI excludes the null", "het 95%-BI sluit 'geen effect' uit"),
    (r"the CI excludes an effect as large as the MID \(precise about a small effect\)",
     "het 95%-BI sluit een effect zo groot als het klinisch relevante verschil uit (nauwkeurig over een klein "
     "effect)"),
    (r"the whole CI lies beyond the MID", "het hele 95%-BI ligt voorbij het klinisch relevante verschil"),
    (r"the CI includes both an important effect and one smaller than the MID",
     "het 95%-BI omvat zowel een belangrijk effect als een effect kleiner dan het klinisch relevante verschil"),
    (r"(\d+) participants, fewer than the optimal information size of about (\d+) \(continuous outcomes\)",
     r"\1 deelnemers, minder dan de optimale informatieomvang van ongeveer \2 (continue uitkomsten)"),
    (r"(\d+) participants, fewer than the optimal information size of about (\d+)",
     r"\1 deelnemers, minder dan de optimale informatieomvang van ongeveer \2"),
    (r"(\d+) participants \(optimal information size of about (\d+) met\)",
     r"\1 deelnemers (optimale informatieomvang van ongeveer \2 gehaald)"),
    (r"participants not reported in the abstract\(s\): optimal information size unknown",
     "aantal deelnemers niet vermeld in de samenvatting(en): optimale informatieomvang onbekend"),
    (r"a single small trial", "één kleine studie"),
    (r"no effect estimate or confidence interval reported \(only a direction or a p value\): precision cannot be "
     r"judged", "geen effectschatting of betrouwbaarheidsinterval gerapporteerd (alleen een richting of een "
                "p-waarde): de nauwkeurigheid is niet te beoordelen"),
    (r"no pooled estimate: the precision of a summary", "geen gepoolde schatting: de nauwkeurigheid van een "
                                                         "samenvatting"),
    # inconsistency
    (r"not assessable with one study", "niet te beoordelen met één studie"),
    (r"no conflicting null result recorded", "geen tegenstrijdig resultaat zonder effect vastgelegd"),
    (r"not assessable: the abstract gives no I2 or study estimates for this result",
     "niet te beoordelen: de samenvatting geeft geen I² of schattingen per studie voor dit resultaat"),
    (r"one study with numbers", "één studie met getallen"),
    (r"(\d+) results? reported without usable numbers shows? no difference or the other direction",
     r"\1 resultaat zonder bruikbare getallen laat geen verschil of de andere richting zien"),
    (r"the studies report different directions", "de studies rapporteren verschillende richtingen"),
    (r"the studies report the same direction", "de studies rapporteren dezelfde richting"),
    # indirectness
    (r"population, intervention, comparator and outcome match the question",
     "populatie, interventie, controle en uitkomst passen bij de vraag"),
    (r"\(intervention form not recorded\)", "(vorm van de interventie niet vastgelegd)"),
    (r"\(intervention: ", "(interventie: "),
    (r"comparator: several control treatments combined \(e\.g\. dry needling and sham\), not one comparison",
     "controle: meerdere controlebehandelingen samen (bijv. dry needling en schijnbehandeling), niet één "
     "vergelijking"),
    (r"timing: immediate effect of a single session, not of a course of treatment",
     "tijdstip: direct effect van één sessie, niet van een behandelreeks"),
    (r"outcome: (.+?) is a surrogate or not the question's patient-important outcome",
     lambda m: f"uitkomst: {_dutch_label(m.group(1))} is een surrogaat of niet de voor patiënten belangrijke "
               "uitkomst van de vraag"),
    (r"population: (.+?), not tension-type headache or neck pain",
     lambda m: f"populatie: {_dutch_label(m.group(1))}, niet spanningshoofdpijn of nekpijn"),
    (r"same study as another row of this outcome; one result per study",
     "dezelfde studie als een andere rij van deze uitkomst; één resultaat per studie"),
    (r"intervention: dry needling \((\d+)% of the information\)", r"interventie: dry needling (\1% van de "
                                                                  r"informatie)"),
    # publication bias
    (r"not assessable from the abstract \(no funnel plot or test reported\)",
     "niet te beoordelen uit de samenvatting (geen funnelplot of toets gerapporteerd)"),
    (r"not assessable, k < (\d+) \(Egger's test needs at least \d+\)",
     r"niet te beoordelen, minder dan \1 studies (de toets van Egger vraagt er minstens \1)"),
    (r"not assessable, k < (\d+)", r"niet te beoordelen, minder dan \1 studies"),
    (r"Egger's test p", "toets van Egger p"), (r"funnel-plot asymmetry detected", "funnelplot-asymmetrie gevonden"),
    (r"\(funnel-plot asymmetry\)", "(funnelplot-asymmetrie)"), (r": no funnelplot", ": geen funnelplot"),
    (r"small-study signal: the least precise study \(([^)]+)\) shows a larger benefit than the pooled estimate",
     r"signaal van kleine studies: de minst nauwkeurige studie (\1) toont meer voordeel dan de gepoolde schatting"),
    (r"small-study signal: the least precise study \(([^)]+)\) shows a smaller benefit than the pooled estimate",
     r"signaal van kleine studies: de minst nauwkeurige studie (\1) toont minder voordeel dan de gepoolde "
     r"schatting"),
    (r"; one study", "; één studie"),
    # risk of bias
    (r"(\d+)% of the information from results at high risk or with some concerns",
     r"\1% van de informatie uit resultaten met hoog risico of enige twijfel"),
    (r"(\d+)% of the information from results at high risk of bias",
     r"\1% van de informatie uit resultaten met hoog risico op vertekening"),
    (r"most information from results at low risk of bias", "de meeste informatie uit resultaten met laag risico "
                                                           "op vertekening"),
    (r": some concerns \(", ": enige twijfel ("), (r": high \(", ": hoog ("),
    (r"Judged from abstracts only\.", "Alleen beoordeeld uit de samenvattingen."),
    (r"risk of bias of the included trials as reported by the review: not reported in the abstract "
     r"\(not assessable; not RoB-2 rated here\)",
     "risico op vertekening van de opgenomen studies volgens de review: niet vermeld in de samenvatting (niet "
     "te beoordelen; hier niet met RoB 2 beoordeeld)"),
    *[(re.escape(en), nl) for en, nl in _DOMAINS_NL],
    # footnotes
    (r"Number of studies in this pooled result not stated in the abstract",
     "Aantal studies in dit gepoolde resultaat niet vermeld in de samenvatting"),
    (r"Participants: not reported in the abstract for (.+?); the total is unknown",
     r"Deelnemers: niet vermeld in de samenvatting van \1; het totaal is onbekend"),
    (r"Participants: not reported in the abstract", "Deelnemers: niet vermeld in de samenvatting"),
    (r"Participants: not taken from the abstracts' text; unknown",
     "Deelnemers: niet uit de tekst van de samenvattingen overgenomen; onbekend"),
    (r"Pooled result as reported in the abstract of (.+?) \(PMID (\d+)\); not pooled with the trials \(the "
     r"review includes some of them\)",
     r"Gepoold resultaat zoals gerapporteerd in de samenvatting van \1 (PMID \2); niet gepoold met de studies "
     r"(de review omvat er enkele van)"),
    (r"Results reported without numbers usable for pooling", "Resultaten gerapporteerd zonder getallen die te "
                                                             "poolen zijn"),
    (r" reported (.+?) at (.+?) without numbers usable for pooling",
     r" rapporteerde \1 (\2) zonder getallen die te poolen zijn"),
    (r"favours acupuncture", "in het voordeel van acupunctuur"), (r"\bno difference\b", "geen verschil"),
    # data/eligibility.yaml: the exclusion reasons of the PRISMA flow
    (r"language not read by the review team", "taal die het reviewteam niet leest"),
    (r"not a study in people \(animal or laboratory study\)", "geen onderzoek bij mensen (dier- of "
                                                              "laboratoriumonderzoek)"),
    (r"protocol: no results yet", "protocol: nog geen resultaten"),
    (r"narrative review: no systematic search", "narratieve review: geen systematische zoekactie"),
    (r"mechanistic study: no patient outcomes", "mechanistisch onderzoek: geen patiëntuitkomsten"),
    (r"case report: single patients, no comparison", "casusbeschrijving: losse patiënten, geen vergelijking"),
    (r"guideline: recommendations, not primary evidence", "richtlijn: aanbevelingen, geen primair bewijs"),
    (r"not a trial, observational study or systematic review",
     "geen gecontroleerde studie, observationeel onderzoek of systematische review"),
    (r"condition outside the review \(other\)", "aandoening buiten de review (andere aandoeningen)"),
    (r"condition outside the review", "aandoening buiten de review"),
    (r"observational study not about adverse events", "observationeel onderzoek niet over bijwerkingen"),
    # evidence/analyses.py: why a forest plot has no diamond
    (r"different outcome definitions \((.+)\): no pooled estimate across outcome codes or timepoints",
     r"verschillend gedefinieerde uitkomsten (\1): geen gepoolde schatting over verschillende uitkomsten of "
     r"meetmomenten"),
    (r"one study only \((.+)\)", r"slechts één studie (\1)"),
    (r"outcomes on different scales \((.+)\); mean differences without SDs cannot be standardised",
     r"uitkomsten op verschillende schalen (\1); gemiddelde verschillen zonder SD zijn niet te standaardiseren"),
    (r"different effect measures \((.+)\)", r"verschillende effectmaten (\1)"),
    (r"heterogeneity too large to summarise, the studies are shown without a pooled estimate",
     "heterogeniteit te groot om samen te vatten; de studies staan er zonder gepoolde schatting"),
    (r"(\S+) at (\S[^;)]*)(?=[;)])", r"\1 op \2"),  # "Melchart 2005: hoofdpijndagen at week 9 tot 12"
    (r"\bnot pooled\b", "niet gepoold"),
]
_NL_PHRASES = [(re.compile(p), r) for p, r in _NL_PHRASES]

#: English words the Dutch texts still use, and the Dutch a reader expects.
_NL_WORDS = [
    (r"\bde snapshot\b", "de opgeslagen verzameling"), (r"\bsnapshot\b", "opgeslagen verzameling"),
    (r"\breplay-modus\b", "zonder internet"), (r"\brecord-modus\b", "opnamemodus"),
    (r"\bPubMed-records\b", "PubMed-publicaties"), (r"\bRecords\b", "Publicaties"),
    (r"\brecords\b", "publicaties"), (r"\brecord\b", "publicatie"),
    (r"\bresponder-uitkomst\b", "uitkomst 'aandeel patiënten dat duidelijk verbetert'"),
    (r"\bpercentage responders\b", "aandeel patiënten dat duidelijk verbetert"),
    (r"\bResponders\b", "Patiënten met duidelijke verbetering"),
    (r"\bresponders\b", "patiënten met duidelijke verbetering"), (r"\bresponder\b", "patiënt met duidelijke verbetering"),
    (r"\btrials\b", "studies"), (r"\btrial\b", "studie"), (r"\bTrials\b", "Studies"),
    (r"\bcase series\b", "casusreeks"),
]
_NL_WORDS = [(re.compile(p), r) for p, r in _NL_WORDS]


def plain(text: str, lang: str = "en") -> str:
    """A generated text as a reader of the report should see it (see the module's docstring).

    Parameters
    ----------
    text : str
        Text the workbook generated (never a quoted sentence, title or reference).
    lang : {"en", "nl"}

    Returns
    -------
    str
    """
    if lang not in ("en", "nl"):
        raise ValueError(f"lang must be one of en, nl, got {lang!r}")
    if not text:
        return text or ""
    text = _drop_files(str(text))
    text = STUDY_ID.sub(_study, text)
    text = CODE.sub(lambda m: code_words(m.group(0), lang), text)
    text = _pvalue(text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    if lang == "nl":
        for pattern, dutch in _NL_PHRASES:
            text = pattern.sub(dutch, text)
        for pattern, dutch in _NL_WORDS:
            text = pattern.sub(dutch, text)
        text = re.sub(r"(?<=\d)\.(?=\d)", ",", text)
    return re.sub(r"  +", " ", text).strip()

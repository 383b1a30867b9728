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

from .texts import FIGURE_TEXTS, PICK_RULE_WORDS, UI_LABELS, claim_timepoint

__all__ = ["plain", "code_words", "label_words", "CODE", "STUDY_ID"]

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


_CERTAINTY_NL = {"high": "hoog", "moderate": "matig", "low": "laag", "very low": "zeer laag"}
_ROB_NL = {"low": "laag", "high": "hoog", "some concerns": "enige twijfel", "no information": "geen informatie",
           "low risk of bias": "laag risico op vertekening", "high risk of bias": "hoog risico op vertekening"}
#: The analysis plan's reasons for placing a result without a timepoint (``unstated_reason`` in
#: data/analysis_plan.yaml), in Dutch; a reason not listed here is left out of the Dutch text.
_UNSTATED_REASONS_NL = {
    "Linde 2016's main window (after completion of treatment, 3 to 4 months after randomisation), where the "
    "trials' results after a course of treatment are analysed":
        "de hoofdperiode van Linde 2016 (na afloop van de behandeling, 3 tot 4 maanden na randomisatie), waarin "
        "de resultaten na een behandelreeks worden geanalyseerd",
    "the group's short-term window is where its reviews (Trinh 2016) put their main comparisons; a trial "
    "abstract that does not say when a result was measured most often reports the end of the course or the "
    "first follow-up":
        "de reviews van de Cochrane-groep (Trinh 2016) plaatsen hun belangrijkste vergelijkingen op de korte "
        "termijn; een samenvatting die niet zegt wanneer gemeten is, rapporteert meestal het einde van de reeks "
        "of de eerste follow-up",
}
_INTERVENTIONS_NL = {"electroacupuncture": "elektroacupunctuur", "manual acupuncture": "handmatige acupunctuur",
                     "dry needling": "dry needling", "acupuncture any": "elke vorm van acupunctuur"}


def _timepoint_nl(words: str) -> str:
    """An English timepoint in words (``9 days post treatment``, ``not stated``) in Dutch."""
    words = words.strip()
    if words == "time not stated":
        return UI_LABELS["timepoint"]["nl"]["not_stated"]
    dutch = _dutch_label(words)
    if dutch != words:
        return dutch
    return claim_timepoint(words.replace(" after treatment", " post treatment").replace(" ", "_"), "nl")


def _pick_rule_nl(words: str) -> str:
    english = {v: k for k, v in PICK_RULE_WORDS["en"].items()}
    return ", ".join(PICK_RULE_WORDS["nl"].get(english.get(w.strip(), ""), w.strip()) for w in words.split(","))


def _unstated_nl(m: re.Match) -> str:
    reason = _UNSTATED_REASONS_NL.get(m.group(3))
    why = f" ({reason})" if reason else ""
    return (f"{m.group(1)}: meetmoment niet vermeld in de samenvatting; volgens de regel van het analyseplan "
            f"ingedeeld bij {_timepoint_nl(m.group(2))}{why}; een gevoeligheidsanalyse laat het weg.")


def _also_nl(text: str | None) -> str:
    """`` (the abstract says: risk of bias: some concerns for most of its trials; I2 = 40%)`` in Dutch."""
    if not text:
        return ""
    text = re.sub(r"risk of bias: (.+?) for most of its trials",
                  lambda m: f"risico op vertekening: {_ROB_NL.get(m.group(1), m.group(1))} voor de meeste van "
                            "haar studies", text)
    return f" (de samenvatting zegt: {text})"

#: GRADE texts of evidence/review_certainty.py, evidence/grade.py, evidence/synthesis.py and
#: evidence/analyses.py in Dutch, applied before :data:`_NL_PHRASES` (the more specific first).
_NL_GRADE = [
    # review_certainty.py: a systematic review's own result
    (r"Participants: ([\d,]+) participants(?: in (\d+) trials)?, as the review states for its whole dataset "
     r"\(every comparison and condition it covers\); the abstract does not give this result's own number\.",
     lambda m: f"Deelnemers: {m.group(1)}{' in ' + m.group(2) + ' studies' if m.group(2) else ''}, zoals de "
               "review vermeldt voor al haar gegevens (elke vergelijking en aandoening die zij omvat); de "
               "samenvatting geeft het aantal voor dit resultaat niet."),
    (r"Participants: the review states ([\d,]+) participants(?: in (\d+) trials)?; this result rests on (\d+) "
     r"of its trials, and its own number is not in the abstract \(unknown, said, not punished: GRADE guidance "
     r"34\)\.",
     lambda m: f"Deelnemers: de review vermeldt {m.group(1)} deelnemers"
               f"{' in ' + m.group(2) + ' studies' if m.group(2) else ''}; dit resultaat rust op {m.group(3)} "
               "daarvan, en het eigen aantal staat niet in de samenvatting (onbekend; vermeld, niet afgestraft: "
               "GRADE-richtlijn 34)."),
    (r"Participants: not stated in the abstract \(said, not punished: GRADE guidance 34; not downgraded for a "
     r"missing number\)\.",
     "Deelnemers: niet vermeld in de samenvatting (vermeld, niet afgestraft: GRADE-richtlijn 34; niet verlaagd "
     "om een ontbrekend getal)."),
    (r"Certainty starts from the review's own rating: (high|moderate|low|very low) \(its abstract's words are "
     r"quoted in the extraction table, with the rating system where the abstract names it\)\. A departure "
     r"from it is explained in the domain that makes it\.",
     lambda m: f"De zekerheid begint bij de eigen beoordeling van de review: {_CERTAINTY_NL[m.group(1)]} (de "
               "woorden uit haar samenvatting staan in de extractietabel, met het beoordelingssysteem als de "
               "samenvatting dat noemt). Een afwijking daarvan wordt uitgelegd bij het domein waarin zij ontstaat."),
    (r"as reported by the review, whose own rating \((high|moderate|low|very low)\) covers this domain"
     r"(?: \(the abstract says: (.+?)\))?; not judged again\.",
     lambda m: f"zoals gerapporteerd door de review, waarvan de eigen beoordeling ({_CERTAINTY_NL[m.group(1)]}) "
               f"dit domein dekt{_also_nl(m.group(2))}; niet opnieuw beoordeeld."),
    (r"as rated by the review(?: \(the abstract says: (.+?)\))?; not judged again\.",
     lambda m: f"zoals beoordeeld door de review{_also_nl(m.group(1))}; niet opnieuw beoordeeld."),
    (r"as rated by the review; for reference, (.+?) \(GRADE guidance 34 would rate down (\d) levels?\), which "
     r"the review's rating already weighs; not counted again\.",
     lambda m: f"zoals beoordeeld door de review; ter vergelijking: {m.group(1)} (volgens GRADE-richtlijn 34 "
               f"{m.group(2)} niveau{'s' if m.group(2) != '1' else ''} lager), wat de beoordeling van de review al "
               "meeweegt; niet nog eens geteld."),
    (r"as rated by the review; for reference, ", "zoals beoordeeld door de review; ter vergelijking: "),
    (r"as reported by the review: (low risk of bias|some concerns|high risk of bias) for most of its trials "
     r"\(GRADE guidelines 4: the bulk of the information\)\.",
     lambda m: f"zoals gerapporteerd door de review: {_ROB_NL[m.group(1)]} voor de meeste van haar studies "
               "(GRADE-richtlijn 4: het grootste deel van de informatie)."),
    (r"risk of bias as reported by the review: its assessment's result is not reported in the abstract; not "
     r"assessable, rated down once, here \(the only domain a short abstract lowers\)\.",
     "zoals de review het rapporteert: de uitkomst van haar beoordeling staat niet in de samenvatting; "
     "niet te beoordelen, daarom hier één niveau lager (het enige domein dat een korte samenvatting verlaagt)."),
    (r"no I2 stated in the abstract for this result: not assessable; said, not downgraded \(a short abstract "
     r"is counted once, under risk of bias\)\.",
     "geen I2 vermeld in de samenvatting voor dit resultaat: niet te beoordelen; vermeld, niet verlaagd (een "
     "korte samenvatting telt één keer, bij risico op vertekening)."),
    (r"I2 = ([\d.]+)% as the review states: substantial heterogeneity \(Cochrane Handbook 10\.10\.2\); one "
     r"level, as the study estimates are not in the abstract\.",
     r"I2 = \1% volgens de review: aanzienlijke heterogeniteit (Cochrane Handbook 10.10.2); één niveau, omdat de "
     r"schattingen per studie niet in de samenvatting staan."),
    (r"I2 = ([\d.]+)% as the review states: not important \(Cochrane Handbook 10\.10\.2\)\.",
     r"I2 = \1% volgens de review: niet van belang (Cochrane Handbook 10.10.2)."),
    (r"the CI includes both an important benefit and an important harm",
     "het 95%-BI omvat zowel een belangrijk voordeel als een belangrijk nadeel"),
    (r"the CI crosses the MID: it includes both an important benefit and a smaller one",
     "het 95%-BI overschrijdt het klinisch relevante verschil: het omvat zowel een belangrijk als een kleiner "
     "voordeel"),
    (r"the CI crosses the MID on the side of harm",
     "het 95%-BI overschrijdt het klinisch relevante verschil aan de kant van nadeel"),
    (r"the whole CI lies beyond the MID \(a precise important effect\)",
     "het hele 95%-BI ligt voorbij het klinisch relevante verschil (een nauwkeurig belangrijk effect)"),
    (r"the whole CI lies beyond the MID on the side of harm",
     "het hele 95%-BI ligt voorbij het klinisch relevante verschil aan de kant van nadeel"),
    (r"the whole CI lies within \+/- the MID \(a precise small or no difference\)",
     "het hele 95%-BI ligt binnen plus of min het klinisch relevante verschil (nauwkeurig: een klein of geen "
     "verschil)"),
    (r"the whole review has (\d+) participants, fewer than the optimal information size of about (\d+)",
     r"de hele review heeft \1 deelnemers, minder dan de optimale informatieomvang van ongeveer \2"),
    (r"this result's participants are not stated: information size not judged \(said, not punished: not "
     r"downgraded for a missing number\)",
     "het aantal deelnemers van dit resultaat is niet vermeld: informatieomvang niet beoordeeld (vermeld, niet "
     "afgestraft: niet verlaagd om een ontbrekend getal)"),
    (r"information size: the result's own participants are not stated \(the review's total is an upper "
     r"bound\), so it is not judged",
     "informatieomvang: het eigen aantal deelnemers van dit resultaat is niet vermeld (het totaal van de review "
     "is een bovengrens), dus niet beoordeeld"),
    (r"not assessable from the abstract; not downgraded\.", "niet te beoordelen uit de samenvatting; niet "
                                                           "verlaagd."),
    (r"departure from the review's own rating \((high|moderate|low|very low)\): our question differs from the "
     r"review's\. ",
     lambda m: f"afwijking van de eigen beoordeling van de review ({_CERTAINTY_NL[m.group(1)]}): onze vraag "
               "verschilt van die van de review. "),
    # grade.py: risk of bias per study (RoB 2)
    (r"no RoB 2 judgement for (.+?): not assessable, counted as some concerns",
     r"geen RoB 2-oordeel voor \1: niet te beoordelen, geteld als enige twijfel"),
    (r" set aside here, rated under indirectness \(the combined comparator\): overall taken as ",
     " hier buiten beschouwing gelaten, beoordeeld onder indirectheid (de gecombineerde controle): totaal "
     "beoordeeld als "),
    (r"\boverall (some concerns|high|low|no information)\b", lambda m: f"totaal {_ROB_NL[m.group(1)]}"),
    (r"(?<=: )(some concerns|no information|low|high)(?=[,;)]|$)", lambda m: _ROB_NL[m.group(1)]),
    (r"(?<=totaal beoordeeld als )(some concerns|low|high)", lambda m: _ROB_NL[m.group(1)]),
    # grade.py: inconsistency
    (r"point estimates on both sides of the null", "puntschattingen aan beide kanten van 'geen effect'"),
    (r"point estimates on both sides of the MID", "puntschattingen aan beide kanten van het klinisch relevante "
                                                  "verschil"),
    (r"I2 = (\d+)% \(considerable\)", r"I2 = \1% (zeer groot)"),
    (r"I2 = (\d+)% \(substantial\)", r"I2 = \1% (aanzienlijk)"),
    (r"the prediction interval crosses the null while the CI does not",
     "het voorspellingsinterval omvat 'geen effect', het 95%-BI niet"),
    (r"the studies report the same direction \((.+?)\); no estimates to compare",
     r"de studies rapporteren dezelfde richting (\1); geen schattingen om te vergelijken"),
    # grade.py: imprecision
    (r"no pooled estimate because the studies disagree: that concern is rated once, under inconsistency; the "
     r"studies' own intervals are in the footnotes\.",
     "geen gepoolde schatting omdat de studies elkaar tegenspreken: dat bezwaar telt één keer, bij inconsistentie; "
     "de eigen intervallen van de studies staan in de voetnoten."),
    (r"no pooled estimate \(the studies' scales cannot be combined\): the precision of a summary cannot be "
     r"judged; the studies' intervals are shown instead\.",
     "geen gepoolde schatting (de schalen van de studies zijn niet te combineren): de nauwkeurigheid van een "
     "samenvatting is niet te beoordelen; de intervallen van de studies staan er in plaats daarvan."),
    (r"participants not reported in the abstract\(s\): the optimal information size was not checked \(not "
     r"downgraded for a missing number\)",
     "aantal deelnemers niet vermeld in de samenvatting(en): de optimale informatieomvang is niet gecontroleerd "
     "(niet verlaagd om een ontbrekend getal)"),
    (r"\(binary outcomes; events unknown, so participants used as a lower bound\)",
     "(dichotome uitkomsten; aantal gebeurtenissen onbekend, dus het aantal deelnemers als ondergrens)"),
    # grade.py: indirectness
    (r"intervention: (.+?) \((\d+)% of the information\)",
     lambda m: f"interventie: {_INTERVENTIONS_NL.get(m.group(1), m.group(1))} ({m.group(2)}% van de informatie)"),
    # grade.py and synthesis.py: footnotes
    (r"(.+?): timepoint not stated in the abstract; placed in (.+?) by the plan's rule \((.*)\); a sensitivity "
     r"analysis leaves it out\.", _unstated_nl),
    (r"(.+?) \((.+?), (.+?)\) not used: same study; the plan's rule for one result per study \((.+?)\) takes "
     r"(.+?) at (.+?)\.$",
     lambda m: f"{m.group(1)} ({_dutch_label(m.group(2))}, {_timepoint_nl(m.group(3))}) niet gebruikt: dezelfde "
               f"studie; de regel van het analyseplan voor één resultaat per studie ({_pick_rule_nl(m.group(4))}) "
               f"kiest {_dutch_label(m.group(5))} op {_timepoint_nl(m.group(6))}."),
    (r"Instruments differ: each study's standardised mean difference \(Hedges' g\) from its arm means and SDs "
     r"is pooled \(Cochrane Handbook 10\.5\.2\)\.",
     "De meetinstrumenten verschillen: het gestandaardiseerde gemiddelde verschil (Hedges' g) van elke studie, "
     "berekend uit de gemiddelden en SD's per arm, is gepoold (Cochrane Handbook 10.5.2)."),
    (r"Results on different scales or units \((.+?)\) are not pooled: the abstracts give no standard deviations "
     r"to standardise them \(SMD, Cochrane Handbook 10\.5\.2\)\.",
     r"Resultaten op verschillende schalen of eenheden (\1) zijn niet gepoold: de samenvattingen geven geen "
     r"standaarddeviaties om ze te standaardiseren (SMD, Cochrane Handbook 10.5.2)."),
    (r"Non-randomised evidence: certainty starts at low\.", "Niet-gerandomiseerd bewijs: de zekerheid begint "
                                                             "bij laag."),
    # analyses.py: pooling notes
    (r"Rests on two trials: the between-study variance is barely estimable\. Fixed effect (.+?) beside random "
     r"effects (.+?)\.$",
     r"Rust op twee studies: de variantie tussen de studies is nauwelijks te schatten. Model met vast effect \1 "
     r"naast model met willekeurige effecten \2."),
    (r"HKSJ interval (\S+) to (\S+) \(t on (\d+) df\)", r"HKSJ-interval \1 tot \2 (t met \3 vrijheidsgraden)"),
    (r"I2 = (\d+)% with (\d+) studies: heterogeneity too large to summarise in one number; the studies are "
     r"shown without a pooled estimate",
     r"I2 = \1% bij \2 studies: heterogeniteit te groot om in één getal samen te vatten; de studies staan er "
     r"zonder gepoolde schatting"),
    (r"(\S+) reported (.+?) at (.+?) without numbers usable for pooling",
     lambda m: f"{m.group(1)} rapporteerde {m.group(2)} ({_timepoint_nl(m.group(3))}) zonder getallen die te "
               "poolen zijn"),
    (r"(Nabeta|White|Cameron|Schiller|Karst|Ho|[A-Z][a-z]+) (\d{4}[a-z]?) at ([^;)]+)(?=[;)])",
     lambda m: f"{m.group(1)} {m.group(2)} op {_timepoint_nl(m.group(3))}"),
    # the questions of the summary of findings (grade.question_text)
    (r"^(Acupuncture|Dry needling \(not acupuncture\)) vs (.+?) for (.+)$",
     lambda m: f"{'Acupunctuur' if m.group(1) == 'Acupuncture' else 'Dry needling (geen acupunctuur)'} "
               f"tegenover {_COMPARATORS_NL.get(m.group(2), m.group(2))} bij {_dutch_label(m.group(3))}"),
    (r"\bfavours control\b", "in het voordeel van de controle"),
    # the analysis plan's words for its outcome domains and windows (data/analysis_plan.yaml)
    (r"\bdisability \(neck pain questionnaires\)", "beperkingen (vragenlijsten over nekpijn)"),
    (r"\bheadache days or frequency\b", "hoofdpijndagen of -frequentie"),
    (r"\bresponders \(headache days at least halved\)",
     "patiënten met duidelijke verbetering (hoofdpijndagen minstens gehalveerd)"),
    (r"\bimmediately after treatment\b", "direct na de behandeling"),
    # grade.py: the absolute effect of results without usable numbers
    (r"no numbers usable for an absolute effect; reported: ", "geen getallen bruikbaar voor een absoluut effect; "
                                                             "gerapporteerd: "),
    # the analysis plan's published anchors (their numbers in words and their sources)
    (r"(\d+) vs (\d+) per 100 with headache frequency at least halved",
     r"\1 tegenover \2 per 100 met minstens gehalveerde hoofdpijnfrequentie"),
    (r"(\d+) vs (\d+) per 100 \(acupuncture added to usual care vs usual care alone\)",
     r"\1 tegenover \2 per 100 (acupunctuur naast gebruikelijke zorg tegenover alleen gebruikelijke zorg)"),
    (r"\bplain-language summary\b", "samenvatting in gewone taal"),
    (r"\bchronic mechanical neck pain\b", "chronische mechanische nekpijn"),
    (r", abstract: $", ", samenvatting: "),
    (r"\bnot in the snapshot\b", "niet in de opgeslagen verzameling"),
    (r"\bsummary of findings\b", "samenvatting van bevindingen"),
    (r"GRADE guidance (\d+)", r"GRADE-richtlijn \1"), (r"GRADE guidelines (\d+)", r"GRADE-richtlijn \1"),
]
_COMPARATORS_NL = {"sham": "schijnacupunctuur", "usual care": "gebruikelijke zorg",
                   "an active treatment": "een actieve behandeling",
                   "a mixed control (several control treatments together)":
                       "een gemengde controle (meerdere controlebehandelingen samen)",
                   "waiting list": "wachtlijst", "no treatment": "geen behandeling"}


def label_words(words: str, lang: str = "en") -> str:
    """The English words of a vocabulary or analysis-plan label (``after treatment (3 to 4 months)``)
    in ``lang``, without codes (:func:`plain`); words no table knows stay as they are."""
    if lang == "nl":
        words = _dutch_label(str(words))
    return plain(words, lang)

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


def _required_text(pattern: str) -> str:
    """The longest run of literal characters every match of `pattern` contains ("" if unsure).

    A phrase pattern such as ``(.+?) \\((.+?), (.+?)\\) not used: ...`` is tried at every position
    of a text that lacks the phrase and backtracks over each lazy group: over 15 s for the 273 texts
    of one Dutch claims page. Searching only texts that hold the phrase's fixed words keeps every
    result the same (a match must contain them) and costs one substring test. Top-level literals
    of the parsed pattern are required; anything else (a group, a class, a repeat) ends a run.
    """
    try:
        from re import _parser  # the standard library's own regex parser (Python >= 3.11)

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply not guarded
        return ""
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ""
    best, run = "", []
    for op, arg in list(parsed) + [(None, None)]:
        if op is _parser.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best


#: (compiled pattern, replacement, words every match contains)
_NL_PHRASES = [(re.compile(p), r, _required_text(p)) for p, r in _NL_GRADE + _NL_PHRASES]

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
    (r"\bparticipants\b", "deelnemers"),
    (r"(?<=\d) to (?=[-\u2212]?\d)", " tot "),  # "-2.53 to -0.46"
    # the qualifiers of the studies table (a review's result per population)
    (r"\(SR, back and neck pain\)", "(SR, rug- en nekpijn)"),
    (r"\(SR, chronic headache\)", "(SR, chronische hoofdpijn)"),
    (r"\(SR, osteoarthritis\)", "(SR, artrose)"),
    (r"\bcase series\b", "casusreeks"),
]
_NL_WORDS = [(re.compile(p), r, _required_text(p)) for p, r in _NL_WORDS]

#: Section numbers of a handbook ("Cochrane Handbook 10.11 and 10.14", "GRADE Handbook 5.1"):
#: their points are not decimal points and stay in Dutch. A list of sections ("10.11 and 10.14")
#: counts as one only where it closes a parenthesis or clause, so "5.1 and 1.5 points" keeps its comma.
_SECTIONS = re.compile(r"\b(?:Handbook|Handboek|section|sectie|paragraaf|hoofdstuk)\s+\d+(?:\.\d+)+"
                       r"(?:(?:(?:,| and| en| or| of)\s+\d+(?:\.\d+)+)+(?=[);:]|$))?")


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
        for pattern, dutch, required in _NL_PHRASES + _NL_WORDS:
            if required in text:
                text = pattern.sub(dutch, text)
        # no thousands separator in Dutch (a point would read as a decimal sign): "2,742" -> "2742"
        text = re.sub(r"(?<![\d.,])([1-9]\d{0,2})((?:,\d{3})+)(?![\d,])",
                      lambda m: m.group(1) + m.group(2).replace(",", ""), text)
        text = _SECTIONS.sub(lambda m: m.group(0).replace(".", "\x00"), text)  # "Handbook 10.14" stays
        text = re.sub(r"(?<=\d)\.(?=\d)", ",", text).replace("\x00", ".")
    return re.sub(r"  +", " ", text).strip()

"""GRADE's informative statements in English and Dutch: certainty x size, as one sentence.

Part of :mod:`evidence.texts` (which re-exports every name here). The table
of :data:`STATEMENT_TEXTS` follows GRADE guidelines 26 (Santesso 2020, Table 3;
the full source is in the comment above the table); :func:`statement_sentence`
fills it with the intervention, the outcome, the comparison and the row's
condition and timepoint (:mod:`evidence.statements` chooses the certainty and
the size).
"""

from __future__ import annotations

from typing import Any

from .texts_claims import _check_lang, claim_label, claim_timepoint
from .vocab import CERTAINTIES


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

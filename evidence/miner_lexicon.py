"""The effect-statement miner's lexicon: numbers, intervals, CI labels, measure names, cues.

The regular expressions the rules of :mod:`evidence.miner_rules` are made of
(how they are used is in :mod:`evidence.miner`'s docstring), and the reading
of a number as written (:func:`_value`: a raised decimal point, thousands
commas, a minus sign).
"""

from __future__ import annotations

import re


# ----------------------------------------------------------------------------------------------
# lexical pieces

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_DASH = f"[{_DASHES}]"
# a number: thousands with commas, a decimal (point or raised dot), or a leading point
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?![\d.\u00b7]|,\d)|\d+(?:[.\u00b7]\d+)?|[.\u00b7]\d+)"
# a minus sign: a dash not preceded by a letter, digit or point, then at most one space
_SIGN = rf"(?<![\w.\u00b7]){_DASH}\s?"
_SNUM = rf"(?:{_SIGN})?{_NUM}"
# a number standing alone (not "SF-36", "I2", "COVID-19"), with its sign
_SNUM_RE = re.compile(
    rf"(?:(?P<sign>{_SIGN})|(?<![\w.\u00b7])(?<![A-Za-z]{_DASH}))(?P<num>{_NUM})(?![.\u00b7]\d)"
)

_UNIT_WORDS = (
    r"percentage\s+points?|percent(?:age)?|per\s?cent|mmHg|mm|cm|ml|mg|kg|points?|days?|"
    r"degrees?|hours?|minutes?|min|h|weeks?|months?|years?|sessions?|SDs?|"
    r"standard\s+deviations?|QALYs?"
)
_UNIT = rf"(?:\s?[%\u2030\u00b0]|\s(?:{_UNIT_WORDS})\b)"
_TIME_UNITS = re.compile(r"\s*(?:weeks?|months?|years?)\b", re.I)

# separators between two bounds
_SEP = rf"(?:\s+to\s+|\s*{_DASH}\s*|\s*[,;]\s*)"

_OPEN = r"[(\[]"
_CLOSE = r"[)\]]"
_PAIR = {"(": ")", "[": "]"}

# an interval: optional opening bracket, low bound, separator, high bound
_INTERVAL = re.compile(
    rf"(?P<open>{_OPEN}\s*)?(?P<lo>{_SNUM})(?P<u1>{_UNIT})?(?P<sep>{_SEP})"
    rf"(?P<hi>{_SNUM})(?P<u2>{_UNIT})?"
)
_BETWEEN_INTERVAL = re.compile(
    rf"between\s+(?P<lo>{_SNUM})(?P<u1>{_UNIT})?(?P<sep>\s+and\s+)(?P<hi>{_SNUM})(?P<u2>{_UNIT})?"
)
# a bracket holding nothing but an interval
_BRACKETED = rf"(?P<open>{_OPEN})\s*(?P<lo>{_SNUM})(?P<u1>{_UNIT})?(?P<sep>{_SEP})" \
             rf"(?P<hi>{_SNUM})(?P<u2>{_UNIT})?\s*(?P<close>{_CLOSE})"

# the CI label
_LABEL = re.compile(
    r"(?:(?P<level>\d{2}(?:\.\d+)?)\s?(?:%|per\s?cent)[\s-]*)?"
    r"(?P<name>(?i:(?:two[\s-]sided\s+)?(?:confidence|credible|compatibility)\s+"
    r"(?:intervals?|limits?))|(?<![A-Za-z])(?:CIs?|CrIs?|C\.I\.)(?![A-Za-z]))"
    r"(?:\s*(?P<level2>\d{2}(?:\.\d+)?)\s?%)?"
    r"(?:\s*[\[(](?:CIs?|CrIs?)[\])])?"
)
# between the label and its interval: "95% CI: ", "95% CI of ", "95% CI for the difference was "
_CONNECTOR = re.compile(
    r"(?:\s+for\s+[^\d.;:()\[\]]{1,40}?(?=\s(?:was|is|were|are|of|from|ranged)\b|[:=,]))?"
    r"\s*(?:[:=,]\s*|(?:of|was|were|is|are|from|ranged\s+from|ranging\s+from)\s+)?"
    r"(?:from\s+)?"
)

# effect-measure names, longest first at any position
_MEASURE_NAMES = (
    ("WMD", r"(?i:weighted\s+mean\s+differences?)|\bWMDs?\b"),
    ("SMD", r"(?i:standardi[sz]ed\s+mean\s+differences?|standard\s+mean\s+differences?|"
            r"hedges'?\s*g\b|cohen'?s\s*d\b|effect\s+sizes?)|\bSMDs?\b"),
    ("MD", r"(?i:mean\s+differences?|differences?\s+(?:in|between)\s+(?:the\s+)?means)|\bMDs?\b"),
    ("RD", r"(?i:(?:absolute\s+)?risk\s+differences?|absolute\s+risk\s+reductions?)|"
           r"\bA?RDs?\b|\bARR\b"),
    # abbreviations may carry a subscript: "ORQ4=4.76", "HR1"
    ("RR", r"(?i:risk\s+ratios?|relative\s+risks?)|\ba?RR(?:s|[A-Z]?\d{1,2})?\b"),
    ("OR", r"(?i:odds\s+ratios?)|\ba?OR(?:s|[A-Z]?\d{1,2})?\b"),
    ("HR", r"(?i:hazard\s+ratios?)|\ba?HR(?:s|[A-Z]?\d{1,2})?\b"),
    ("other", r"(?i:(?:incidence\s+)?rate\s+ratios?|numbers?\s+needed\s+to\s+treat)|"
              r"\bIRRs?\b|\bNNTs?\b"),
)
_MEASURE_RE = re.compile("|".join(f"(?P<{'m_' + m}>{rx})" for m, rx in _MEASURE_NAMES))
# what may stand between a measure name and its estimate for the span to start at the name
_TIGHT = re.compile(rf"^\s*(?:{_OPEN}[A-Za-z]{{1,6}}{_CLOSE})?\s*[:=,]?\s*$")

# words that describe a number as a difference or change
_DIFFERENCE_CUES = re.compile(
    r"(?i)differ|reduc|decreas|increas|fewer|\bmore\b|\bless\b|lower|higher|greater|smaller|"
    r"improv|worse|superior|inferior|change|benefit|favou?r|\bversus\b|\bvs\b|\bv\b|compared|"
    r"\bf[ae]ll\b|\bdrop|\brose\b|\brise\b|\bgain"
)
# outcome units that make a number a mean difference
_MD_UNITS = re.compile(
    r"^\s(?:percentage\s+points?|mmHg|mm|cm|ml|kg|points?|days?|degrees?|hours?|minutes?|min|"
    r"sessions?)\b|^\s?\u00b0", re.I)
_SD_UNITS = re.compile(r"\s*(?:SDs?|standard\s+deviations?)\b")
# words before an estimate that announce a description of the sample, not an effect
_DESCRIPTIVE = re.compile(
    r"(?i)\b(?:age|aged|ages|median|range|ranged|ranging|IQR|interquartile|follow[\s-]?up|"
    r"duration|mean\s+age|years?\s+old|born)\b"
)
_P_VALUE = re.compile(
    r"\b[Pp](?:\s*[-\s]?\s*values?)?\s*(?P<op><=|>=|=|<|>|\u2264|\u2265)\s*"
    r"(?P<num>\d*\.\s?\d+|\d+(?:\.\d+)?)(?P<exp>\s*[x\u00d7]\s*10\s*[-\u2212\u2013]\s*\d+)?"
)
# Sentence ends for the miner's offsets. Not evidence.sentences.SENTENCE_BREAK on purpose: that
# one also breaks at ";" before a digit or a capital, which would cut a statement such as
# "(11.2 mm; 95% CI 5.7, 16.7; P = 0.00006)" in two; here only . ! ? before a capital, or a line
# break, end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")

# numbers that cannot be an estimate, by what precedes or follows them
_NOT_ESTIMATE_BEFORE = re.compile(
    r"(?:\b[Pp](?:\s*-?\s*values?)?\s*(?:<=|>=|=|<|>|\u2264|\u2265)\s*|"
    r"\b(?:n|N|k|df|I2|I\u00b2|SD|SE|SEM|t|z|F|r|\u03c72|chi2|r2|R2)\s*(?:[=:<>]\s*)?|"
    r"\b(?:[Ww]eeks?|[Mm]onths?|[Dd]ays?|[Yy]ears?|[Vv]isits?|[Ss]essions?|[Gg]rades?|"
    r"[Ss]tages?|[Tt]ypes?|[Pp]hases?|[Ll]evels?)\s+)$"
)
_COUNT_AFTER = re.compile(
    r"^\s*(?:trials?|studies|study|RCTs?|patients?|participants?|subjects?|persons?|people|"
    r"women|men|children|adults|cases|centres?|centers?|practices?|hospitals?|articles?|"
    r"papers?|publications?)\b", re.I)
_TEMPORAL_BEFORE = re.compile(r"\b(?:at|after|over|within|for|by|until|to|from|in|up\s+to)\s+$",
                              re.I)

_MAX_GAP = 80  # characters between an estimate and its CI label
# the longest cue (measure name, difference word, CI label) a resumed search can miss
# when it restarts this far before where the previous search of the sentence ended
_CUE_OVERLAP = 200


def _value(sign: str | None, num: str) -> float:
    x = float(num.replace("\u00b7", ".").replace(",", ""))
    return -x if sign else x


def _parse_bound(text: str) -> float:
    m = _SNUM_RE.match(text)
    return _value(m.group("sign"), m.group("num"))


def _is_year(x: float, num: str) -> bool:
    return 1800 <= x <= 2100 and re.fullmatch(r"\d{4}", num) is not None

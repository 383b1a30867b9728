"""Effect statements with a confidence interval, found in abstracts.

:func:`mine` reads one abstract and returns every effect statement that has a
confidence interval, with its character span; :func:`mine_records` does it for
a records table, :func:`mine_xml` for an efetch file (the ``evidence mine``
command). :func:`miner_agreement` measures precision and recall against a
hand-marked gold standard (``data/effect_statements.csv``).

How a statement is found
------------------------
1. **A labelled interval.** A CI label (``95% CI``, ``95%CI``, ``CI``,
   ``99% confidence interval``, ``confidence interval [CI]``, ``credible
   interval``, ``CI 95%``) followed by two numbers joined by ``to``, a dash
   or a comma (``5.7, 16.7``), or by a semicolon, bracketed or not; or a
   bracketed pair directly followed by the label (``-0.58 (-0.94, -0.22),
   95% confidence interval``). The estimate is the last number before the
   label in the same sentence, no further than 80 characters from it and not
   inside an earlier statement; numbers that cannot be an estimate are
   skipped (P values, ``n =``, ``I2 =``, ``SD``, counts of trials or
   patients, timepoints such as ``at 12 months``, calendar years). When there
   is none, ``value`` is None.
2. **An interval without a label**, accepted only where a reader takes it for
   a CI:

   - after a named effect measure: ``MD = -0.99 (-1.24, -0.73)``, ``OR 2.1
     (1.3-3.4)``;
   - in an abstract that reports CIs elsewhere, in a sentence that names a
     measure, a difference or a change (or gave a labelled CI), an estimate
     followed (after at most six words) by a bracket holding only an
     interval: ``22 fewer days of headache per year (8 to 38)``;
   - in a sentence that gave a labelled CI earlier, a parallel
     ``estimate unit, low to high unit``: ``5.7 days, 3.9 to 7.5 days``.

   In all three the interval must contain the estimate; the bounds must not
   be calendar years, durations (``6-12 months``) or the ends of a rating
   scale (``(0-10)``); and the estimate must not follow words that announce
   a description of the sample (age, aged, mean, median, range, IQR,
   follow-up, duration). Ranges of ages, scales, follow-up times and dates
   therefore do not become statements.

Numbers are read as written (``docs/contracts.md``, ``evidence mine``): a
minus sign (``-``, ``−``, ``–`` or another dash) not preceded by a letter, a
digit or a point, directly or after one space, makes the number negative,
also inside intervals (``−1.58 to −0.12``, ``[−1.58, −0.12]``, ``− 0.58 to
− 0.08``); a dash or a comma between two numbers separates the bounds
(``1.13–1.50``, ``0.65-0.94``, ``5.7, 16.7``). ``ci_low <= ci_high`` whatever
the written order. ``1·30`` (a raised decimal point) is 1.30 and ``1,234``
(a comma before exactly three digits) is 1234.

The measure is the effect measure named before the estimate (RR, OR, HR, RD,
SMD, MD, WMD and their long names); otherwise ``SMD`` when the statement (or
the list it ends) is in SD units (``0.23 (95% CI ...) SDs lower``); the
measure of the previous statement in the same sentence when that one was
named (``RR 1.2 (...) at 3 months and 1.5 (...) at 6 months``); ``other`` for a
percentage; ``MD`` for a number in an outcome's units (mm, points, days,
percentage points, ...) or one described as a difference, reduction or
change; ``other`` otherwise.

Spans follow ``data/effect_statements_README.md``: they start at a measure
name that stands directly before the estimate (joined only by punctuation,
``=``, ``:`` or a bracketed abbreviation), else at the estimate; they end at
the last written bound with a unit written directly after it, plus a closing
bracket opened inside the span, or at a label written after the interval.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import asdict, dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd

from .records import parse_records
from .vocab import MINED_MEASURES

__all__ = [
    "MEASURES",
    "COLUMNS",
    "MATCH_TOL",
    "Statement",
    "Agreement",
    "mine",
    "mine_records",
    "mine_xml",
    "read_gold",
    "miner_agreement",
]

#: The measures a statement can have (``docs/contracts.md``).
MEASURES = MINED_MEASURES
#: Columns of :func:`mine_records` and :func:`mine_xml`.
COLUMNS = ("pmid", "measure", "value", "ci_low", "ci_high", "ci_level", "p", "start", "end",
           "text")
#: Absolute tolerance for numbers to agree in :func:`miner_agreement`.
MATCH_TOL = 1e-9

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


# ----------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Statement:
    """One effect statement with a confidence interval, found in a text.

    Attributes
    ----------
    measure : str
        One of :data:`MEASURES`.
    value : float or None
        The point estimate as written (sign included), None when the text
        gives only an interval.
    ci_low, ci_high : float
        The interval, ``ci_low <= ci_high``.
    ci_level : float
        Confidence level in percent (95 unless the label says otherwise).
    p : str or None
        The P value as written: the number (``"0.008"``, ``".02"``), with its
        comparison when it is not ``=`` (``"<0.001"``); None when not given.
    start, end : int
        Character offsets: ``text == source[start:end]``.
    text : str
        The matched span.
    """

    measure: str
    value: float | None
    ci_low: float
    ci_high: float
    ci_level: float
    p: str | None
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        """The fields as a plain dict."""
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Agreement:
    """Agreement of found statements with a gold standard.

    Attributes
    ----------
    precision, recall : float
        ``tp / (tp + fp)`` and ``tp / (tp + fn)`` (NaN when undefined).
    tp, fp, fn : int
        Matched statements, found statements without a gold match, gold
        statements without a found match.
    measure_agreement : float
        Share of matched pairs that also agree on ``measure`` (not part of
        the matching rule).
    matches : DataFrame
        One row per matched pair: pmid, the gold and found spans, measures
        and numbers.
    false_positives, false_negatives : DataFrame
        The unmatched found and gold rows.
    """

    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    measure_agreement: float
    matches: pd.DataFrame = field(repr=False)
    false_positives: pd.DataFrame = field(repr=False)
    false_negatives: pd.DataFrame = field(repr=False)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else float("nan")

    def summary_frame(self) -> pd.DataFrame:
        """The agreement statistics as a one-column labelled DataFrame."""
        return pd.DataFrame(
            {"value": [self.precision, self.recall, self.f1, self.tp, self.fp, self.fn,
                       self.measure_agreement]},
            index=pd.Index(["precision", "recall", "f1", "tp", "fp", "fn",
                            "measure_agreement"], name="statistic"),
        )


# ----------------------------------------------------------------------------------------------
# the miner


class _Text:
    """An abstract with its sentence boundaries."""

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        for m in _SENTENCE_END.finditer(text):
            starts.append(m.end())
        self.starts = starts

    def sentence_start(self, pos: int) -> int:
        return self.starts[max(bisect.bisect_right(self.starts, pos) - 1, 0)]

    def sentence_end(self, pos: int) -> int:
        i = bisect.bisect_right(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else len(self.text)


def _estimate_candidates(text: str, lo: int, hi: int) -> list[re.Match]:
    """Numbers in text[lo:hi] that may be an estimate, in order (the last is the nearest)."""
    out = []
    for m in _SNUM_RE.finditer(text, lo, hi):
        if _could_be_estimate(text, m):
            out.append(m)
    return out


def _could_be_estimate(text: str, m: re.Match) -> bool:
    """False for P values, test statistics, counts, timepoints, years and CI levels."""
    num = m.group("num")
    before = text[max(0, m.start() - 40):m.start()]
    after = text[m.end():m.end() + 40]
    if _NOT_ESTIMATE_BEFORE.search(before):
        return False
    if _COUNT_AFTER.match(after):
        return False
    if _TEMPORAL_BEFORE.search(before) and _TIME_UNITS.match(after):
        return False
    if _is_year(_value(None, num), num):
        return False
    if re.match(r"\s?%\s?(?:CI|C\.I\.|[Cc]onfidence|[Cc]redible)", after):
        return False  # the level of a CI label
    return True


def _measure_before(text: str, lo: int, est_start: int) -> tuple[str | None, int | None]:
    """The nearest measure name in text[lo:est_start]; its start when it is tight."""
    names = list(_MEASURE_RE.finditer(text, lo, est_start))
    if not names:
        return None, None
    last = names[-1]
    if len(names) > 1 and re.fullmatch(rf"\s*{_OPEN}", text[names[-2].end():last.start()]):
        last = names[-2]  # "risk ratio [RR]: 1.19": the name, not its bracketed abbreviation
    measure = last.lastgroup[2:]
    tight = _TIGHT.match(text[last.end():est_start]) is not None
    return measure, (last.start() if tight else None)


def _end_with_bracket(text: str, start: int, end: int) -> int:
    """Extend ``end`` over a closing bracket that closes one opened inside the span."""
    if end < len(text) and text[end] in ")]":
        opener = "(" if text[end] == ")" else "["
        span = text[start:end]
        if span.count(opener) > span.count(_PAIR[opener]):
            return end + 1
    return end


_ASIDE = re.compile(
    r"\bI(?:2|\u00b2)\s*[=<>]\s*\d+(?:\.\d+)?\s*%?|\b[nNk]\s*=\s*[\d,]+|"
    r"\b\d+\s+(?:trials?|studies|RCTs?|patients|participants)\b")


def _p_after(text: str, end: int, limit: int) -> str | None:
    """The P value written after a statement, before ``limit``, as written."""
    m = _P_VALUE.search(text, end, limit)
    if m is None:
        return None
    if re.search(r"\d", _ASIDE.sub("", text[end:m.start()])):
        return None  # another number stands between: the P value belongs to something else
    op = m.group("op").replace("<=", "\u2264").replace(">=", "\u2265")
    num = m.group("num") + (m.group("exp") or "")
    return num if op == "=" else f"{op}{num}"


class _Miner:
    def __init__(self, text: str):
        self.t = _Text(text)
        self.text = text
        self.found: list[dict] = []
        # starts and ends of the found statements, in text order: statements never overlap,
        # so both lists are sorted and a bisection answers "taken?" and "previous end?"
        # (a scan of every statement made a 320 KB abstract quadratic)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._cues: dict[int, tuple[int, bool]] = {}  # sentence start -> (searched to, found)
        self.reports_ci = _LABEL.search(text) is not None

    # -- helpers -----------------------------------------------------------------------------
    def _taken(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # statements [0, i) start before `end`
        return i > 0 and self._ends[i - 1] > start

    def _prev_end(self, pos: int) -> int:
        i = bisect.bisect_right(self._ends, pos)
        return self._ends[i - 1] if i else 0

    def _speaks_of_effect(self, sentence: int, end: int) -> bool:
        """Whether text[sentence:end] names a measure, a difference or change, or a CI label.

        Remembered per sentence, so a long sentence is read about once rather than
        once per bracket in it: a cue found before ``end`` is still there for a later
        ``end`` (the text after it starts with the same bracket), and a sentence
        without a cue so far is searched on from ``_CUE_OVERLAP`` characters before
        where the last search ended. ``search(text, pos, endpos)`` reads like a slice
        here: a sentence starts after white space, so lookbehinds see the same.
        """
        checked, found = self._cues.get(sentence, (sentence, False))
        if end < checked:
            checked, found = sentence, False  # out of order: search the whole sentence
        if found:
            return True
        pos = max(sentence, checked - _CUE_OVERLAP)
        found = any(rx.search(self.text, pos, end) is not None
                    for rx in (_MEASURE_RE, _DIFFERENCE_CUES, _LABEL))
        self._cues[sentence] = (end, found)
        return found

    def _append(self, statement: dict) -> None:
        i = bisect.bisect_left(self._starts, statement["start"])
        self._starts.insert(i, statement["start"])
        self._ends.insert(i, statement["end"])
        self.found.append(statement)

    def _window_start(self, pos: int) -> int:
        return max(self.t.sentence_start(pos), self._prev_end(pos), pos - 200)

    def _add(self, *, est: re.Match, lo: float, hi: float, level: float, end: int,
             kind: str, named: tuple[str | None, int | None] | None = None) -> None:
        """Record a statement with estimate ``est`` and interval ``lo, hi`` ending at ``end``.

        ``named`` is ``(measure, start of its name)`` when the caller knows it;
        otherwise the nearest measure name before the estimate is looked up.
        """
        text = self.text
        if named is None:
            named = _measure_before(text, self._window_start(est.start()), est.start())
        measure, name_start = named
        start = name_start if name_start is not None else est.start()
        end = _end_with_bracket(text, start, end)
        if self._taken(start, end):
            return
        self._append({
            "measure": measure, "value": _value(est.group("sign"), est.group("num")),
            "ci_low": min(lo, hi), "ci_high": max(lo, hi), "ci_level": level,
            "start": start, "end": end, "kind": kind, "est_end": est.end(),
        })

    # -- 1. labelled intervals ---------------------------------------------------------------
    def labelled(self) -> None:
        text = self.text
        for lab in _LABEL.finditer(text):
            level = float(lab.group("level") or lab.group("level2") or 95)
            conn = _CONNECTOR.match(text, lab.end())
            iv = _INTERVAL.match(text, conn.end()) or _BETWEEN_INTERVAL.match(text, conn.end())
            if iv is not None and not self._bad_interval(iv):
                lo, hi = _parse_bound(iv.group("lo")), _parse_bound(iv.group("hi"))
                wstart = self._window_start(lab.start())
                cands = _estimate_candidates(text, wstart, lab.start())
                est = cands[-1] if cands else None
                if est is not None and lab.start() - est.end() > _MAX_GAP:
                    est = None
                if est is None:
                    self._add_bare(lo, hi, level, lab.start(), iv.end())
                    continue
                self._add(est=est, lo=lo, hi=hi, level=level, end=iv.end(), kind="labelled")
                continue
            # the label written after a bracketed interval: "-0.58 (-0.94, -0.22), 95% CI"
            wstart = self._window_start(lab.start())
            before = re.search(rf"{_BRACKETED}\s*,?\s*$", text[wstart:lab.start()])
            if before is None:
                continue
            lo = _parse_bound(before.group("lo"))
            hi = _parse_bound(before.group("hi"))
            open_at = wstart + before.start()
            cands = _estimate_candidates(text, wstart, open_at)
            est = cands[-1] if cands and open_at - cands[-1].end() <= _MAX_GAP else None
            if est is None:
                continue
            self._add(est=est, lo=lo, hi=hi, level=level, end=lab.end(), kind="label_after")

    def _add_bare(self, lo, hi, level, label_start, end) -> None:
        """An interval with a label but no estimate: the span starts at the label."""
        if self._taken(label_start, end):
            return
        self._append({
            "measure": "other", "value": None, "ci_low": min(lo, hi), "ci_high": max(lo, hi),
            "ci_level": level, "start": label_start, "end": end, "kind": "labelled",
            "est_end": label_start,
        })

    def _bad_interval(self, iv: re.Match) -> bool:
        """Intervals that are dates or durations."""
        lo_m, hi_m = _SNUM_RE.match(iv.group("lo")), _SNUM_RE.match(iv.group("hi"))
        return (_is_year(_parse_bound(iv.group("lo")), lo_m.group("num"))
                and _is_year(_parse_bound(iv.group("hi")), hi_m.group("num")))

    # -- 2. unlabelled intervals -------------------------------------------------------------
    def _unlabelled_ok(self, est: re.Match, lo: float, hi: float, units) -> bool:
        """Whether an interval without a CI label may be read as the CI of ``est``."""
        text = self.text
        value = _value(est.group("sign"), est.group("num"))
        if lo == hi or not min(lo, hi) <= value <= max(lo, hi):
            return False
        if _is_year(abs(lo), f"{abs(lo):g}") or _is_year(abs(hi), f"{abs(hi):g}"):
            return False
        if any(unit and _TIME_UNITS.match(unit) for unit in units):
            return False  # "(6-12 months)": a duration
        if lo in (0, 1) and hi in (4, 5, 6, 7, 10, 11, 50, 100) and not any(units):
            return False  # "(0-10)": the range of a rating scale
        if not _could_be_estimate(text, est):
            return False
        clause = text[max(self.t.sentence_start(est.start()), est.start() - 60):est.start()]
        if _DESCRIPTIVE.search(clause) or re.search(
                r"(?i)\b(?:mean|average|from|to)\s*(?:of\s+)?$", clause):
            return False  # a description of the sample, or a value before and after
        return True

    def unlabelled(self) -> None:
        text = self.text
        # (a) after a named measure: "MD = -0.99 (-1.24, -0.73)", "OR 2.1 (1.3-3.4)",
        #     "(RR 0.80, 0.65-0.94)"
        named = re.compile(
            rf"(?P<est>{_SNUM})(?P<unit>{_UNIT})?\s*(?:{_BRACKETED}|"
            rf"[,;]\s*(?P<lo2>{_SNUM})(?P<u3>{_UNIT})?(?P<sep2>{_SEP})(?P<hi2>{_SNUM})"
            rf"(?P<u4>{_UNIT})?(?=\s*(?:[)\];.,]|$)))")
        for mm in _MEASURE_RE.finditer(text):
            m = named.match(text, _tight_end(text, mm.end()))
            if m is None:
                continue
            est = _SNUM_RE.match(text, m.start("est"))
            if est is None:
                continue
            if m.group("lo") is not None:
                lo, hi = _parse_bound(m.group("lo")), _parse_bound(m.group("hi"))
                units, end = (m.group("u1"), m.group("u2")), m.end("close")
            else:
                lo, hi = _parse_bound(m.group("lo2")), _parse_bound(m.group("hi2"))
                units, end = (m.group("u3"), m.group("u4")), m.end()
            if not self._unlabelled_ok(est, lo, hi, units):
                continue
            self._add(est=est, lo=lo, hi=hi, level=95.0, end=end, kind="named",
                      named=(mm.lastgroup[2:], mm.start()))
        if not self.reports_ci:
            return
        # (b) an estimate, up to six words, a bracket holding only an interval
        gap = re.compile(
            rf"(?P<est>{_SNUM})(?P<unit>{_UNIT})?(?P<words>(?:\s+[A-Za-z][A-Za-z'\-]*){{0,6}})"
            rf"\s*{_BRACKETED}")
        for c in _SNUM_RE.finditer(text):
            m = gap.match(text, c.start())
            if m is None or self._taken(m.start(), m.end()):
                continue
            # the sentence must speak of an effect: a measure name, a difference, a
            # change, or a labelled CI before ("8 (6-10) sessions" is a range)
            if not self._speaks_of_effect(self.t.sentence_start(m.start()), m.start("open")):
                continue
            est = _SNUM_RE.match(text, m.start("est"))
            lo, hi = _parse_bound(m.group("lo")), _parse_bound(m.group("hi"))
            if not self._unlabelled_ok(est, lo, hi, (m.group("u1"), m.group("u2"))):
                continue
            self._add(est=est, lo=lo, hi=hi, level=95.0, end=m.end("close"), kind="bracket")
        # (c) parallel to a labelled CI earlier in the sentence: "5.7 days, 3.9 to 7.5 days"
        parallel = re.compile(
            rf"(?P<est>{_SNUM})(?P<unit>{_UNIT})?\s*,\s*(?P<lo>{_SNUM})(?P<u1>{_UNIT})?"
            rf"(?P<sep>\s+to\s+|\s*{_DASH}\s*)(?P<hi>{_SNUM})(?P<u2>{_UNIT})?")
        labelled = sorted((s for s in self.found if s["kind"] in ("labelled", "label_after")),
                          key=lambda s: s["start"])
        labelled_starts = [s["start"] for s in labelled]
        labelled_ends = [s["end"] for s in labelled]
        for c in _SNUM_RE.finditer(text):
            m = parallel.match(text, c.start())
            if m is None or self._taken(m.start(), m.end()):
                continue
            sentence = self.t.sentence_start(m.start())
            # a labelled statement inside this sentence, ending before the match
            j = bisect.bisect_right(labelled_ends, m.start()) - 1
            if j < 0 or labelled_starts[j] < sentence:
                continue
            unit_est = (m.group("unit") or "").strip().lower()
            unit_hi = (m.group("u2") or "").strip().lower()
            name, _ = _measure_before(text, self._window_start(m.start()), m.start())
            if not ((unit_est and unit_est == unit_hi) or name):
                continue
            est = _SNUM_RE.match(text, m.start("est"))
            lo, hi = _parse_bound(m.group("lo")), _parse_bound(m.group("hi"))
            if not self._unlabelled_ok(est, lo, hi, (m.group("u1"), m.group("u2"))):
                continue
            self._add(est=est, lo=lo, hi=hi, level=95.0, end=m.end(), kind="parallel")

    # -- 3. measures and P values --------------------------------------------------------------
    def finish(self) -> list[Statement]:
        text = self.text
        found = sorted(self.found, key=lambda s: s["start"])
        # list groups: statements joined only by ", ", "; ", " and ", ", and "
        groups: list[list[dict]] = []
        for s in found:
            if groups and re.fullmatch(r"\s*(?:[,;]\s*)?(?:and\s+)?",
                                       text[groups[-1][-1]["end"]:s["start"]]):
                groups[-1].append(s)
            else:
                groups.append([s])
        for group in groups:
            sd = _SD_UNITS.match(text, group[-1]["end"]) is not None
            for s in group:
                if s["measure"] is None and sd:
                    s["measure"] = "SMD"
        for s in found:
            s["named"] = s["measure"] is not None
        previous = None
        for s in found:
            if s["measure"] is None:
                s["measure"] = self._default_measure(s, previous)
            previous = s
        out = []
        for i, s in enumerate(found):
            limit = min(self.t.sentence_end(s["end"]), s["end"] + 80)
            if i + 1 < len(found):
                limit = min(limit, found[i + 1]["start"])
            p = _p_after(text, s["end"], max(limit, s["end"]))
            out.append(Statement(
                measure=s["measure"], value=s["value"], ci_low=s["ci_low"], ci_high=s["ci_high"],
                ci_level=s["ci_level"], p=p, start=s["start"], end=s["end"],
                text=text[s["start"]:s["end"]],
            ))
        return out

    def _default_measure(self, s: dict, previous: dict | None) -> str:
        text = self.text
        sentence = self.t.sentence_start(s["start"])
        if previous is not None and previous["end"] >= sentence and previous["named"]:
            return previous["measure"]  # "RR 1.2 (...) at 3 months and 1.5 (...) at 6 months"
        after_est = text[s["est_end"]:s["est_end"] + 25]
        span = text[s["start"]:s["end"]]
        if re.search(r"\d\s?%(?!\s?(?:CI|C\.I\.|[Cc]onfidence|[Cc]redible))", span):
            return "other"  # a percentage: a risk, a relative change, ...
        if _MD_UNITS.match(after_est):
            return "MD"
        clause = text[self._window_start(s["start"]):s["end"]]
        if _DIFFERENCE_CUES.search(clause):
            return "MD"
        return "other"


def _tight_end(text: str, pos: int) -> int:
    """Skip what may join a measure name to its estimate (bracketed abbreviation, ``=``)."""
    m = re.compile(rf"\s*(?:{_OPEN}[A-Za-z]{{1,6}}{_CLOSE})?\s*[:=,]?\s*").match(text, pos)
    return m.end()


def mine(text: str) -> list[Statement]:
    """Find the effect statements with a confidence interval in a text.

    Parameters
    ----------
    text : str
        An abstract (or any text); offsets refer to it unchanged.

    Returns
    -------
    list of Statement
        In the order of the text. Statements do not overlap.

    Notes
    -----
    The rules are described in the module docstring; they use the wording of
    the text only (no list of known abstracts). The matched span follows the
    convention of ``data/effect_statements_README.md``.

    Examples
    --------
    >>> [s.value for s in mine("RR 1.30 (95% CI 1.13 to 1.50)")]
    [1.3]
    """
    if not isinstance(text, str) or not text:
        return []
    miner = _Miner(text)
    miner.labelled()
    miner.unlabelled()
    return miner.finish()


def mine_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Mine every abstract of a records table.

    Parameters
    ----------
    frame : DataFrame
        Needs ``pmid`` and ``abstract`` (as :func:`evidence.records.parse_records`
        gives them).

    Returns
    -------
    DataFrame
        One row per statement, columns :data:`COLUMNS`; ``value`` is NaN when
        the text gives only an interval, ``p`` None when not given.
    """
    rows = []
    for pmid, abstract in zip(frame["pmid"], frame["abstract"]):
        for s in mine(abstract if isinstance(abstract, str) else ""):
            rows.append({"pmid": str(pmid), **s.to_dict()})
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["value"] = pd.to_numeric(out["value"]).astype(float)
    for c in ("ci_low", "ci_high", "ci_level"):
        out[c] = out[c].astype(float)
    for c in ("start", "end"):
        out[c] = out[c].astype(int)
    out["p"] = out["p"].astype(object).where(out["p"].notna(), None)
    return out


def mine_xml(path: str | PathLike) -> pd.DataFrame:
    """The ``evidence mine --xml PATH`` table: statements in an efetch file's abstracts.

    Parameters
    ----------
    path : str or path-like
        PubMed efetch XML (``.xml`` or ``.xml.gz``), as for ``evidence records``.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`.

    Raises
    ------
    ParseError
        When the file cannot be read or parsed.
    """
    return mine_records(parse_records(Path(path)))


# ----------------------------------------------------------------------------------------------
# agreement with a gold standard


def read_gold(path: str | PathLike) -> pd.DataFrame:
    """Read the hand-marked statements (``data/effect_statements.csv``).

    Parameters
    ----------
    path : path
        The file (:func:`evidence.review.load_effect_statements` reads the review's).

    Returns
    -------
    DataFrame
        ``pmid`` (str), ``start``, ``end`` (int), ``measure``, ``value``,
        ``ci_low``, ``ci_high`` (float, NaN when empty), ``text``.
    """
    path = Path(path)
    gold = pd.read_csv(path, dtype={"pmid": str, "measure": str, "text": str},
                       keep_default_na=False, na_values={"value": [""], "ci_low": [""],
                                                         "ci_high": [""]})
    for c in ("value", "ci_low", "ci_high"):
        gold[c] = pd.to_numeric(gold[c]).astype(float)
    return gold


def _close(a, b) -> bool:
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return True  # not given in the gold standard: not compared
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return False
    return abs(float(a) - float(b)) <= MATCH_TOL


def miner_agreement(found: pd.DataFrame, gold: pd.DataFrame) -> Agreement:
    """Precision and recall of found statements against a gold standard.

    Parameters
    ----------
    found, gold : DataFrame
        Columns ``pmid``, ``start``, ``end``, ``value``, ``ci_low``,
        ``ci_high`` and optionally ``measure``.

    Returns
    -------
    Agreement

    Notes
    -----
    Matching rule: a found statement matches a gold statement when they have
    the same PMID, their character spans ``[start, end)`` overlap, and each
    of ``value``, ``ci_low`` and ``ci_high`` that the gold row gives agrees
    within :data:`MATCH_TOL` (absolute; a gold number the found row lacks is a
    disagreement). Pairs are made one to one, largest overlap first. The
    measure is not part of the rule; :attr:`Agreement.measure_agreement`
    reports it separately.

    References
    ----------
    Manning, C. D., Raghavan, P., & Schütze, H. (2008). Introduction to
    Information Retrieval, section 8.3 (precision and recall). Cambridge
    University Press.
    """
    f = found.reset_index(drop=True)
    g = gold.reset_index(drop=True)
    pairs = []
    for i, fr in f.iterrows():
        for j, gr in g.iterrows():
            if str(fr["pmid"]) != str(gr["pmid"]):
                continue
            overlap = min(fr["end"], gr["end"]) - max(fr["start"], gr["start"])
            if overlap <= 0:
                continue
            if all(_close(fr[c], gr[c]) for c in ("value", "ci_low", "ci_high")):
                pairs.append((overlap, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_f, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g.add(j)
        matched.append((i, j))
    matched.sort(key=lambda x: x[1])
    rows = []
    for i, j in matched:
        fr, gr = f.loc[i], g.loc[j]
        rows.append({
            "pmid": gr["pmid"], "gold_start": gr["start"], "gold_end": gr["end"],
            "found_start": fr["start"], "found_end": fr["end"],
            "gold_measure": gr.get("measure"), "found_measure": fr.get("measure"),
            "value": gr["value"], "ci_low": gr["ci_low"], "ci_high": gr["ci_high"],
            "gold_text": gr.get("text"), "found_text": fr.get("text"),
        })
    matches = pd.DataFrame(rows, columns=[
        "pmid", "gold_start", "gold_end", "found_start", "found_end", "gold_measure",
        "found_measure", "value", "ci_low", "ci_high", "gold_text", "found_text"])
    tp = len(matched)
    fp = len(f) - tp
    fn = len(g) - tp
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    if tp and "measure" in f and "measure" in g:
        measure_agreement = float((matches["gold_measure"] == matches["found_measure"]).mean())
    else:
        measure_agreement = float("nan")
    return Agreement(
        precision=precision, recall=recall, tp=tp, fp=fp, fn=fn,
        measure_agreement=measure_agreement, matches=matches,
        false_positives=f.drop(index=list(used_f)).reset_index(drop=True),
        false_negatives=g.drop(index=list(used_g)).reset_index(drop=True),
    )

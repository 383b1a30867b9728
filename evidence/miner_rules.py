"""The rules that find effect statements in one text, and the :class:`Statement` they give.

:class:`_Miner` applies the rules of :mod:`evidence.miner`'s docstring to
one abstract: (1) labelled intervals, (2) intervals without a label where a
reader takes them for a CI, (3) the measure and P value of each statement.
:func:`evidence.miner.mine` runs it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass

from .miner_lexicon import (_BETWEEN_INTERVAL, _BRACKETED, _CLOSE, _CONNECTOR, _COUNT_AFTER,
                            _CUE_OVERLAP, _DASH, _DESCRIPTIVE, _DIFFERENCE_CUES, _INTERVAL, _LABEL,
                            _MAX_GAP, _MD_UNITS, _MEASURE_RE, _NOT_ESTIMATE_BEFORE, _OPEN, _P_VALUE,
                            _PAIR, _SD_UNITS, _SENTENCE_END, _SEP, _SNUM, _SNUM_RE,
                            _TEMPORAL_BEFORE, _TIGHT, _TIME_UNITS, _UNIT, _is_year, _parse_bound,
                            _value)


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

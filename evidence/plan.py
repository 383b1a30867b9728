"""The review's analysis plan (``data/analysis_plan.yaml``), read and checked.

The plan decides what pools: outcome domains (which outcome codes of the
extraction table answer one question, and on which scale), time windows per
condition (with their source), the written rule that picks one result per
study per analysis, where a result without a stated timepoint goes, and the
sensitivity and subgroup analyses with the study attributes they use.
:func:`parse_plan` checks the text and returns an :class:`AnalysisPlan`; a
bad entry raises :class:`~evidence.errors.DataError` with one line naming the
file and the entry. Only :mod:`evidence.review` reads the file.

References
----------
Higgins JPT, Thomas J, et al. (eds.) Cochrane Handbook for Systematic Reviews
of Interventions, version 6.4 (2023): 9.3 (what to pool), 10.3 (one result
per study), 10.11 and 10.14 (subgroup and sensitivity analyses).

Furlan AD, Malmivaara A, Chou R, et al. (2015). 2015 Updated Method Guideline
for Systematic Reviews in the Cochrane Back and Neck Group. Spine,
40(21), 1660-1673.

Linde K, Allais G, Brinkhaus B, et al. (2016). Acupuncture for the
prevention of tension-type headache. Cochrane Database Syst Rev, 4, CD007587.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import pandas as pd
import yaml

from .errors import DataError

__all__ = ["Domain", "Window", "Sensitivity", "Anchor", "AnalysisPlan", "parse_plan", "PICK_KEYS",
           "SENSITIVITY_KINDS", "CLOSED"]

#: The keys the pick rule may use, in the order the plan's README explains them.
PICK_KEYS = ("primary", "own_label", "adjusted", "itt", "centre", "stated", "domain_order")
#: Kinds of sensitivity analysis.
SENSITIVITY_KINDS = ("without_high_risk", "without_crossover", "without_unstated_timepoint",
                     "subgroup")
#: Which ends of a window belong to it.
CLOSED = ("both", "left", "right", "neither")
_SCALES = ("unit", "outcome", "instrument")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Domain:
    """An outcome domain: the outcome codes that answer one question, and their scale rule."""

    code: str
    words: str
    outcomes: tuple[str, ...]
    scale: str
    source: str
    convert: Mapping[str, float] = field(default_factory=dict, hash=False)
    scales: Mapping[str, str] = field(default_factory=dict, hash=False)
    common_scale: str = ""
    reexpress_sd: float | None = None
    reexpress_scale: str = ""
    reexpress_source: str = ""

    def to_dict(self) -> dict:
        """Plain dict."""
        return {"code": self.code, "words": self.words, "outcomes": list(self.outcomes),
                "scale": self.scale, "source": self.source, "convert": dict(self.convert),
                "scales": dict(self.scales), "common_scale": self.common_scale}


@dataclass(frozen=True)
class Window:
    """A time window, in weeks (see the plan's header for ``closed``)."""

    code: str
    words: str
    low: float
    high: float | None
    closed: str

    @property
    def centre(self) -> float:
        """The window's centre in weeks (its lower end plus 13 weeks when open above)."""
        return self.low + 13.0 if self.high is None else (self.low + self.high) / 2.0

    def contains(self, weeks: float) -> bool:
        """True when ``weeks`` lies in the window."""
        left = weeks >= self.low if self.closed in ("both", "left") else weeks > self.low
        if self.high is None:
            return left
        right = weeks <= self.high if self.closed in ("both", "right") else weeks < self.high
        return left and right

    def to_dict(self) -> dict:
        """Plain dict."""
        return {"code": self.code, "words": self.words, "weeks": [self.low, self.high],
                "closed": self.closed}


@dataclass(frozen=True)
class Sensitivity:
    """One sensitivity or subgroup analysis of the plan."""

    code: str
    words: str
    kind: str
    attribute: str = ""
    value: str = ""
    comparisons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Anchor:
    """A published result for one of the plan's questions (set beside the workbook's row)."""

    code: str
    source: str
    comparison: str
    condition: str
    domain: str
    window: str
    published: str
    k_studies: int | None
    certainty: str


@dataclass(frozen=True)
class AnalysisPlan:
    """The checked analysis plan.

    Attributes
    ----------
    domains : tuple of Domain
        In the order of the summary-of-findings table.
    further : tuple of str
        Outcome codes that go to the further results.
    windows : dict
        Condition -> tuple of :class:`Window`.
    window_sources, unstated, unstated_reasons, main_windows : dict
        Per condition: the windows' source, the window of an unstated
        timepoint and why, and the windows' order of importance.
    pick_rule : tuple of str
        Keys of :data:`PICK_KEYS`, in order.
    sensitivity : tuple of Sensitivity
    studies : dict
        Study id -> attributes (``design``, ``sham_type``, ``control_type``, ``quote``).
    """

    domains: tuple[Domain, ...]
    further: tuple[str, ...]
    windows: Mapping[str, tuple[Window, ...]] = field(hash=False)
    window_sources: Mapping[str, str] = field(hash=False)
    unstated: Mapping[str, str] = field(hash=False)
    unstated_reasons: Mapping[str, str] = field(hash=False)
    main_windows: Mapping[str, tuple[str, ...]] = field(hash=False)
    pick_rule: tuple[str, ...]
    sensitivity: tuple[Sensitivity, ...]
    studies: Mapping[str, Mapping[str, str]] = field(hash=False)
    anchors: tuple[Anchor, ...] = ()

    def domain_of(self, outcome: str) -> Domain | None:
        """The domain an outcome code belongs to, or None."""
        for d in self.domains:
            if outcome in d.outcomes:
                return d
        return None

    def window(self, condition: str, code: str) -> Window | None:
        """A condition's window by code, or None."""
        for w in self.windows.get(condition, ()):
            if w.code == code:
                return w
        return None

    def window_of(self, condition: str, weeks: float | None) -> Window | None:
        """The window that holds ``weeks`` for a condition; the ``unstated`` window when
        ``weeks`` is None; None when the condition has no windows or none holds it."""
        if condition not in self.windows:
            return None
        if weeks is None:
            return self.window(condition, self.unstated[condition])
        for w in self.windows[condition]:
            if w.contains(weeks):
                return w
        return None

    def attribute(self, study_id: str, name: str) -> str:
        """A study attribute (``""`` when the plan does not give it)."""
        return str(self.studies.get(study_id, {}).get(name, ""))

    def summary_frame(self) -> pd.DataFrame:
        """One row per domain x condition x window: what pools together."""
        out = []
        for d in self.domains:
            for condition, ws in self.windows.items():
                for w in ws:
                    out.append({"domain": d.code, "outcomes": ", ".join(d.outcomes),
                                "condition": condition, "window": w.code,
                                "window_words": w.words, "weeks": _weeks_text(w),
                                "unstated_goes_here": self.unstated[condition] == w.code})
        return pd.DataFrame(out)

    def to_dict(self) -> dict:
        """Plain dict."""
        return {"domains": [d.to_dict() for d in self.domains], "further": list(self.further),
                "windows": {c: [w.to_dict() for w in ws] for c, ws in self.windows.items()},
                "unstated": dict(self.unstated), "pick_rule": list(self.pick_rule),
                "sensitivity": [s.__dict__ for s in self.sensitivity],
                "studies": {k: dict(v) for k, v in self.studies.items()}}


def _weeks_text(w: Window) -> str:
    lo = "[" if w.closed in ("both", "left") else "("
    hi = "]" if w.closed in ("both", "right") else ")"
    return f"{lo}{w.low:g}, {'inf' if w.high is None else f'{w.high:g}'}{hi}"


def _fail(path: str, where: str, what: str):
    raise DataError(f"{path}: {where}: {what}")


def _text(value: Any, path: str, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(path, where, f"{name} must be non-empty text")
    return value.strip()


def _code(value: Any, path: str, where: str, name: str = "code") -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        _fail(path, where, f"{name} {value!r} is not a code (lower case, digits, _)")
    return value


def _number(value: Any, path: str, where: str, name: str, *, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(float(value)) or float(value) < 0:
        _fail(path, where, f"{name} must be a number >= 0; got {value!r}")
    return float(value)


def _domains(raw, path) -> tuple[Domain, ...]:
    if not isinstance(raw, list) or not raw:
        _fail(path, "domains", "must be a non-empty list")
    out, seen = [], {}
    for i, d in enumerate(raw, start=1):
        if not isinstance(d, dict):
            _fail(path, f"domains entry {i}", "must be a mapping")
        code = _code(d.get("code"), path, f"domains entry {i}")
        where = f"domain {code}"
        if code in {x.code for x in out}:
            _fail(path, where, "listed twice")
        outcomes = d.get("outcomes")
        if not isinstance(outcomes, list) or not outcomes:
            _fail(path, where, "outcomes must be a non-empty list of outcome codes")
        for o in outcomes:
            _code(o, path, where, "outcome")
            if o in seen:
                _fail(path, where, f"outcome {o!r} is already in domain {seen[o]}")
            seen[o] = code
        scale = d.get("scale")
        if scale not in _SCALES:
            _fail(path, where, f"scale must be one of {', '.join(_SCALES)}; got {scale!r}")
        convert = d.get("convert") or {}
        if scale == "unit" and not convert:
            _fail(path, where, "scale unit needs convert (unit -> factor to the common scale)")
        if not isinstance(convert, dict):
            _fail(path, where, "convert must be a mapping of unit -> factor")
        convert = {str(u): _number(f, path, where, f"convert[{u}]") for u, f in convert.items()}
        if any(f == 0 for f in convert.values()):
            _fail(path, where, "a convert factor must be positive")
        scales = d.get("scales") or {}
        if scale == "outcome":
            missing = [o for o in outcomes if o not in scales]
            if missing:
                _fail(path, where, f"scale outcome needs scales for {', '.join(missing)}")
        re_sd = d.get("reexpress_sd")
        re_scale = re_source = ""
        if re_sd is not None:
            re_sd = _number(re_sd, path, where, "reexpress_sd")
            if re_sd == 0:
                _fail(path, where, "reexpress_sd must be positive")
            re_scale = _text(d.get("reexpress_scale"), path, where, "reexpress_scale")
            re_source = _text(d.get("reexpress_source"), path, where, "reexpress_source")
        out.append(Domain(code=code, words=_text(d.get("words"), path, where, "words"),
                          outcomes=tuple(outcomes), scale=scale,
                          source=_text(d.get("source"), path, where, "source"),
                          convert=convert, scales={str(k): str(v) for k, v in scales.items()},
                          common_scale=str(d.get("common_scale") or ""),
                          reexpress_sd=re_sd, reexpress_scale=re_scale,
                          reexpress_source=re_source))
    return tuple(out)


def _windows(raw, path):
    if not isinstance(raw, dict) or not raw:
        _fail(path, "windows", "must map conditions to their windows")
    windows, sources, unstated, reasons, main = {}, {}, {}, {}, {}
    for condition, spec in raw.items():
        where = f"windows of {condition}"
        _code(condition, path, where, "condition")
        if not isinstance(spec, dict):
            _fail(path, where, "must be a mapping with source, unstated, main, windows")
        sources[condition] = _text(spec.get("source"), path, where, "source")
        items = spec.get("windows")
        if not isinstance(items, list) or not items:
            _fail(path, where, "windows must be a non-empty list")
        ws = []
        for i, w in enumerate(items, start=1):
            if not isinstance(w, dict):
                _fail(path, f"{where}, entry {i}", "must be a mapping")
            code = _code(w.get("code"), path, f"{where}, entry {i}")
            at = f"window {code} of {condition}"
            weeks = w.get("weeks")
            if not isinstance(weeks, list) or len(weeks) != 2:
                _fail(path, at, "weeks must be [low, high] (high may be null)")
            low = _number(weeks[0], path, at, "low")
            high = _number(weeks[1], path, at, "high", allow_none=True)
            if high is not None and high < low:
                _fail(path, at, f"high ({high:g}) is below low ({low:g})")
            closed = w.get("closed")
            if closed not in CLOSED:
                _fail(path, at, f"closed must be one of {', '.join(CLOSED)}; got {closed!r}")
            if high == low and closed != "both":
                _fail(path, at, "a one-point window must be closed: both")
            if code in {x.code for x in ws}:
                _fail(path, at, "listed twice")
            ws.append(Window(code=code, words=_text(w.get("words"), path, at, "words"),
                             low=low, high=high, closed=closed))
        _check_overlap(ws, path, condition)
        codes = [w.code for w in ws]
        un = spec.get("unstated")
        if un not in codes:
            _fail(path, where, f"unstated must name one of its windows ({', '.join(codes)}); "
                  f"got {un!r}")
        order = spec.get("main") or codes
        if not isinstance(order, list) or sorted(order) != sorted(codes):
            _fail(path, where, "main must list each of its windows once")
        windows[condition] = tuple(ws)
        unstated[condition] = un
        reasons[condition] = _text(spec.get("unstated_reason"), path, where, "unstated_reason")
        main[condition] = tuple(order)
    return windows, sources, unstated, reasons, main


def _check_overlap(ws: list[Window], path: str, condition: str) -> None:
    """Windows of one condition may not share a week (Cochrane Handbook 9.3: one result
    per study per analysis needs disjoint windows)."""
    for i, a in enumerate(ws):
        for b in ws[i + 1:]:
            low = max(a.low, b.low)
            highs = [w.high for w in (a, b) if w.high is not None]
            high = min(highs) if highs else math.inf
            if low < high or (low == high and a.contains(low) and b.contains(low)):
                _fail(path, f"windows {a.code} and {b.code} of {condition}",
                      f"overlap (from week {low:g})")


def parse_plan(text: str, *, path: str = "analysis_plan.yaml",
               outcomes: Iterable[str] | None = None) -> AnalysisPlan:
    """Check the analysis plan's YAML text.

    Parameters
    ----------
    text : str
        The file's content (at most 1 MB).
    path : str
        The file name used in error messages.
    outcomes : iterable of str, optional
        The outcome codes the extraction tables use: each must be in a
        domain or in ``further`` (an unknown outcome code is an error).

    Returns
    -------
    AnalysisPlan

    Raises
    ------
    DataError
        One line naming the file and the entry: not YAML, a missing or empty
        field, a bad code, an outcome in two domains, windows that overlap, a
        negative or non-numeric week, an unknown pick key or sensitivity kind,
        an outcome code of the data the plan does not place.
    """
    if len(text.encode("utf-8", "replace")) > _MAX_BYTES:
        _fail(path, "file", f"larger than {_MAX_BYTES} bytes")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        _fail(path, f"line {line + 1}" if line is not None else "file", "not valid YAML")
    if not isinstance(raw, dict):
        _fail(path, "file", "must be a mapping (domains, further, windows, ...)")
    domains = _domains(raw.get("domains"), path)
    further = raw.get("further") or []
    if not isinstance(further, list):
        _fail(path, "further", "must be a list of outcome codes")
    placed = {o: d.code for d in domains for o in d.outcomes}
    for o in further:
        _code(o, path, "further", "outcome")
        if o in placed:
            _fail(path, "further", f"outcome {o!r} is also in domain {placed[o]}")
    windows, sources, unstated, reasons, main = _windows(raw.get("windows"), path)
    rule = raw.get("pick_rule")
    if not isinstance(rule, list) or not rule:
        _fail(path, "pick_rule", f"must be a list of {', '.join(PICK_KEYS)}")
    for key in rule:
        if key not in PICK_KEYS:
            _fail(path, "pick_rule", f"unknown key {key!r} (one of {', '.join(PICK_KEYS)})")
    sens = []
    for i, s in enumerate(raw.get("sensitivity") or [], start=1):
        if not isinstance(s, dict):
            _fail(path, f"sensitivity entry {i}", "must be a mapping")
        code = _code(s.get("code"), path, f"sensitivity entry {i}")
        kind = s.get("kind")
        if kind not in SENSITIVITY_KINDS:
            _fail(path, f"sensitivity {code}", f"kind must be one of "
                  f"{', '.join(SENSITIVITY_KINDS)}; got {kind!r}")
        attribute = str(s.get("attribute") or "")
        value = str(s.get("value") or "")
        if kind == "subgroup" and not (attribute and value):
            _fail(path, f"sensitivity {code}", "a subgroup needs attribute and value")
        comparisons = s.get("comparisons") or []
        if not isinstance(comparisons, list):
            _fail(path, f"sensitivity {code}", "comparisons must be a list of comparison codes")
        for c in comparisons:
            _code(c, path, f"sensitivity {code}", "comparison")
        sens.append(Sensitivity(code=code, words=_text(s.get("words"), path,
                                                       f"sensitivity {code}", "words"),
                                kind=kind, attribute=attribute, value=value,
                                comparisons=tuple(comparisons)))
    studies = raw.get("studies") or {}
    if not isinstance(studies, dict):
        _fail(path, "studies", "must map study ids to attributes")
    checked = {}
    for sid, attrs in studies.items():
        _code(sid, path, "studies", "study id")
        if not isinstance(attrs, dict):
            _fail(path, f"studies: {sid}", "must be a mapping of attributes")
        _text(attrs.get("quote"), path, f"studies: {sid}", "quote")
        checked[sid] = {str(k): str(v) for k, v in attrs.items()}
    anchors = []
    for i, a in enumerate(raw.get("anchors") or [], start=1):
        if not isinstance(a, dict):
            _fail(path, f"anchors entry {i}", "must be a mapping")
        code = _code(a.get("code"), path, f"anchors entry {i}")
        where = f"anchor {code}"
        if a.get("domain") not in {d.code for d in domains}:
            _fail(path, where, f"domain {a.get('domain')!r} is not a domain of the plan")
        condition = _code(a.get("condition"), path, where, "condition")
        if condition in windows and a.get("window") not in {w.code for w in windows[condition]}:
            _fail(path, where, f"window {a.get('window')!r} is not a window of {condition}")
        k = a.get("k_studies")
        if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            _fail(path, where, f"k_studies must be a whole number >= 1; got {k!r}")
        if a.get("certainty") not in ("high", "moderate", "low", "very_low"):
            _fail(path, where, "certainty must be high, moderate, low or very_low")
        anchors.append(Anchor(code=code, source=_text(a.get("source"), path, where, "source"),
                              comparison=_code(a.get("comparison"), path, where, "comparison"),
                              condition=condition, domain=a["domain"], window=str(a["window"]),
                              published=_text(a.get("published"), path, where, "published"),
                              k_studies=k, certainty=a["certainty"]))
    if outcomes is not None:
        for o in sorted(set(outcomes)):
            if o not in placed and o not in further:
                _fail(path, f"outcome {o}", "used in the extraction tables but in no domain "
                      "and not in further: place it")
    return AnalysisPlan(domains=domains, further=tuple(further), windows=windows,
                        window_sources=sources, unstated=unstated, unstated_reasons=reasons,
                        main_windows=main, pick_rule=tuple(rule), sensitivity=tuple(sens),
                        studies=checked, anchors=tuple(anchors))

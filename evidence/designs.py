"""Study design, condition and comparator of each record, by ordered rules.

The rules themselves are data, in :mod:`evidence.design_rules`; this module
builds the texts they look at, applies them and measures how well they agree
with a reviewer's labels. The vocabularies and the labelling guide are those
of ``evidence classify`` in ``docs/contracts.md``.

Publication types and MeSH decide first where PubMed indexed the record; the
title and abstract decide otherwise, because a new record (and most of the
assembled snapshot) carries no indexing yet. Nothing here looks at a PMID or
at one record's wording: the same rules classify unseen abstracts.

Functions
---------
- :func:`classify_record` -- one record (a mapping) to a :class:`Classification`
- :func:`classify` -- the records table to one row per record
- :func:`classify_xml` -- an efetch XML file to that table (``evidence classify``)
- :func:`load_labels` -- a hand-labelled CSV (``data/labels.csv``), checked
- :func:`accuracy`, :func:`confusion` -- agreement with the labels
- :func:`studies_humans` -- whether a record studies people (for screening)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from . import design_rules as _rules
from .errors import DataError
from .records import read_records
from .sentences import split_sentences
from .vocab import COMPARATORS, CONDITIONS, DESIGNS, TRIAL_DESIGNS

__all__ = [
    "DESIGNS",
    "CONDITIONS",
    "COMPARATORS",
    "TRIAL_DESIGNS",
    "LABEL_FIELDS",
    "Classification",
    "Accuracy",
    "classify_record",
    "classify",
    "classify_xml",
    "load_labels",
    "accuracy",
    "confusion",
    "check_rules",
    "studies_humans",
]

#: The labelled fields, as :func:`accuracy` and :func:`confusion` know them.
LABEL_FIELDS = ("design", "condition", "comparator")

_VOCAB = {"design": DESIGNS, "condition": CONDITIONS, "comparator": COMPARATORS}
_OUTPUT_COLUMNS = ("pmid", "design", "condition", "comparator", "rule")
_DETAIL_COLUMNS = _OUTPUT_COLUMNS + ("condition_rule", "comparator_rule")
_EMPTY_LABEL = "(empty)"


# ----------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Classification:
    """What the rules decided for one record.

    Attributes
    ----------
    pmid : str
    design, condition : str
        Values of :data:`DESIGNS` and :data:`CONDITIONS`.
    comparator : str
        A value of :data:`COMPARATORS` for trials and trial protocols, else ``""``.
    rule : str
        Name of the design rule that decided (the ``rule`` column of ``evidence classify``).
    condition_rule, comparator_rule : str
        Names of the rules that decided the condition and the comparator
        (``"+"``-joined when several comparator kinds matched; ``""`` when
        the design carries no comparator).
    """

    pmid: str
    design: str
    condition: str
    comparator: str
    rule: str
    condition_rule: str
    comparator_rule: str

    def to_dict(self) -> dict[str, str]:
        """The classification as a plain dict, in column order."""
        return {name: getattr(self, name) for name in _DETAIL_COLUMNS}


@dataclass(frozen=True, eq=False)
class Accuracy:
    """Agreement of predicted labels with a reviewer's labels.

    Attributes
    ----------
    n : int
        Labelled records that were also predicted.
    design, condition : float
        Share of those ``n`` records where the field agrees.
    comparator : float
        Share agreeing among the ``n_comparator`` records where the label or
        the prediction has a comparator (records that are neither trials nor
        trial protocols on both sides would agree trivially and are left out).
    n_comparator : int
        Records that enter the comparator share.
    missing : tuple of str
        Labelled PMIDs that had no prediction (left out of every share).
    mismatches : pandas.DataFrame
        One row per disagreement: ``pmid``, ``field``, ``label``, ``predicted``.
    """

    n: int
    design: float
    condition: float
    comparator: float
    n_comparator: int
    missing: tuple[str, ...]
    mismatches: Any

    def correct(self, field: str) -> int:
        """Number of agreeing records for ``field`` (one of :data:`LABEL_FIELDS`)."""
        field = _option("field", field, LABEL_FIELDS)
        total = self.n_comparator if field == "comparator" else self.n
        wrong = int((self.mismatches["field"] == field).sum())
        return total - wrong

    def summary_frame(self):
        """Per field: records compared, records agreeing, and the share agreeing.

        Returns
        -------
        pandas.DataFrame
            Indexed by field (``design``, ``condition``, ``comparator``), with
            columns ``n``, ``correct``, ``accuracy``.
        """
        rows = []
        for field in LABEL_FIELDS:
            total = self.n_comparator if field == "comparator" else self.n
            rows.append({"field": field, "n": total, "correct": self.correct(field),
                         "accuracy": getattr(self, field)})
        return pd.DataFrame(rows).set_index("field")


# ----------------------------------------------------------------------------------------------
# options and small helpers


def _option(name: str, value: Any, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def _str(value: Any) -> str:
    """A text field of a record as a string ('' for None, NaN, pandas NA)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):  # pandas NA refuses comparison
        return ""
    return str(value)


def _lines(joined: str) -> str:
    """A "; "-joined list as one item a line (so ``^...$`` cues anchor on items)."""
    return "\n".join(part.strip() for part in joined.split(";") if part.strip())


# ----------------------------------------------------------------------------------------------
# the texts a rule looks at

_SECTION = re.compile(r"^([A-Z][A-Z0-9 ,/&()'-]{1,80}):\s")
_BACKGROUND = re.compile(r"^(BACKGROUND|INTRODUCTION|CONTEXT|RATIONALE)\b")
_AIMS = re.compile(r"OBJECTIVE|AIM|PURPOSE|METHOD|DESIGN")
_CONCLUSION = re.compile(r"^(CONCLUSIONS?|DISCUSSION|INTERPRETATION|PERSPECTIVES?|IMPLICATIONS?|"
                         r"SIGNIFICANCE|CLINICAL RELEVANCE|LIMITATIONS?|TRIAL REGISTRATION)")
_RESULTS = re.compile(r"^(MAIN |CLINICAL )?RESULTS?\b|^FINDINGS\b")
_EXAMPLES = re.compile(r"\(\s*(e\.?\s?g\.?|such as|including|i\.?\s?e\.?)[,:]?\s[^()]*\)", re.I)
_ARM_WORDS = re.compile(
    r"\b(random\w*|assign\w*|allocat\w*|versus|vs\.?|compar\w*|groups?|arms?|control\w*|"
    r"receiv\w*|treated|interventions?|either|divided)\b", re.I)
# sentences about other work or future work, not about what this study did
_NOT_DONE = re.compile(
    r"\b(needed|warranted|future|further (research|studies|trials|investigations?)|"
    r"previous(ly)?|prior (studies|trials)|have (shown|suggested|found)|has (shown|suggested)|"
    r"remains? (unclear|controversial|inconclusive|unknown)|should be (confirmed|tested|"
    r"evaluated|investigated))\b", re.I)


def _sections(abstract: str) -> list[tuple[str, str]]:
    """(label, text) of each abstract paragraph; label '' when it has none."""
    out = []
    for para in abstract.split("\n\n"):
        para = para.strip()
        if not para:
            continue
        m = _SECTION.match(para)
        if m:
            out.append((m.group(1).strip(), para[m.end():]))
        else:
            out.append(("", para))
    return out


def _method_parts(abstract: str) -> tuple[list[str], list[str]]:
    """Paragraphs describing what was done, and those among them that are not results."""
    methods, not_results = [], []
    for label, text in _sections(abstract):
        if _CONCLUSION.match(label):
            continue
        if _BACKGROUND.match(label) and not _AIMS.search(label):
            continue
        text = _EXAMPLES.sub("", text)
        methods.append(text)
        if not _RESULTS.match(label):
            not_results.append(text)
    return methods, not_results


def _texts(record: Mapping[str, Any]) -> dict[str, str]:
    title = _str(record.get("title"))
    abstract = _str(record.get("abstract"))
    keywords = _lines(_str(record.get("keywords")))
    mesh = _lines(_str(record.get("mesh_terms")))
    methods, not_results = _method_parts(abstract)
    arm_sentences = [s for para in not_results for s in split_sentences(para)
                     if _ARM_WORDS.search(s)]
    return {
        "title": title,
        "abstract": abstract,
        "text": f"{title}\n{abstract}",
        "subject": "\n".join(x for x in (title, keywords, mesh) if x),
        "pt": _lines(_str(record.get("publication_types"))),
        "mesh": mesh,
        "methods": "\n".join([_EXAMPLES.sub("", title)] + methods),
        "arms": "\n".join([title] + arm_sentences),
        "done": "\n".join([title] + [s for para in methods for s in split_sentences(para)
                                     if not _NOT_DONE.search(s)]),
    }


# ----------------------------------------------------------------------------------------------
# applying rules


@lru_cache(maxsize=None)
def _compiled(cue_name: str) -> re.Pattern:
    cue = _rules.CUES[cue_name]
    return re.compile("|".join(f"(?:{p})" for p in cue.patterns), re.IGNORECASE | re.MULTILINE)


def _ref(reference: str) -> tuple[str, str]:
    cue, _, field = reference.partition("@")
    return cue, field


def _hit(reference: str, texts: Mapping[str, str]) -> bool:
    cue, field = _ref(reference)
    return _compiled(cue).search(texts[field]) is not None


def _fires(rule: _rules.Rule, texts: Mapping[str, str]) -> bool:
    if not all(_hit(r, texts) for r in rule.all_of):
        return False
    if rule.any_of and sum(_hit(r, texts) for r in rule.any_of) < rule.min_any:
        return False
    return not any(_hit(r, texts) for r in rule.none_of)


def _first(rules: Iterable[_rules.Rule], texts: Mapping[str, str]) -> _rules.Rule:
    for rule in rules:
        if _fires(rule, texts):
            return rule
    raise AssertionError("the rule list has no final catch-all rule")  # pragma: no cover


def _comparator(design: str, texts: Mapping[str, str]) -> tuple[str, str]:
    if design not in TRIAL_DESIGNS:
        return "", ""
    if design == "protocol" and any(_hit(r, texts) for r in _rules.REVIEW_PROTOCOL_CUES):
        return "", "review_protocol"
    kinds = [rule for rule in _rules.COMPARATOR_RULES if _fires(rule, texts)]
    labels = list(dict.fromkeys(rule.label for rule in kinds))
    if len(labels) == 1:
        return labels[0], kinds[0].name
    if len(labels) > 1:
        return "mixed", "+".join(rule.name for rule in kinds)
    if any(_hit(r, texts) for r in _rules.SINGLE_ARM_CUES):
        return "none", "single_arm"
    if any(_hit(r, texts) for r in _rules.CONTROL_CUES):
        return "active", "unrecognised_control"
    return "none", "no_control_described"


def check_rules() -> None:
    """Check that the rules in :mod:`evidence.design_rules` are well formed.

    Every cue reference names a known cue and field, every pattern compiles,
    rule names are unique, labels are in the vocabularies, each rule list ends
    with a rule that always fires, and each rule says where it comes from.

    Raises
    ------
    DataError
        Naming the rule or cue at fault.
    """
    for name, cue in _rules.CUES.items():
        if name != cue.name or not cue.patterns or not cue.source:
            raise DataError(f"cue {name!r}: name must match its key and it needs patterns and a "
                            "source")
        for pattern in cue.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DataError(
                    f"cue {name!r}: pattern {pattern!r} does not compile: {exc}") from None
    lists = {"design": _rules.DESIGN_RULES, "condition": _rules.CONDITION_RULES,
             "comparator": _rules.COMPARATOR_RULES}
    seen: set[str] = set()
    for field, rules in lists.items():
        for rule in rules:
            if rule.name in seen:
                raise DataError(f"rule name {rule.name!r} is used twice")
            seen.add(rule.name)
            if rule.label not in _VOCAB[field]:
                raise DataError(f"{field} rule {rule.name!r} gives {rule.label!r}, not one of "
                                f"{', '.join(_VOCAB[field])}")
            if not rule.source:
                raise DataError(f"{field} rule {rule.name!r} has no source")
            refs = rule.all_of + rule.any_of + rule.none_of
            if rule.any_of and not 1 <= rule.min_any <= len(rule.any_of):
                raise DataError(f"rule {rule.name!r}: min_any must be between 1 and "
                                f"{len(rule.any_of)}")
            _check_refs(rule.name, refs)
        if field != "comparator" and (rules[-1].all_of or rules[-1].any_of or rules[-1].none_of):
            raise DataError(f"the last {field} rule ({rules[-1].name!r}) must have no conditions")
    _check_refs("REVIEW_PROTOCOL_CUES", _rules.REVIEW_PROTOCOL_CUES)
    _check_refs("SINGLE_ARM_CUES", _rules.SINGLE_ARM_CUES)
    _check_refs("CONTROL_CUES", _rules.CONTROL_CUES)


def _check_refs(owner: str, refs: Iterable[str]) -> None:
    for ref in refs:
        cue, field = _ref(ref)
        if cue not in _rules.CUES:
            raise DataError(f"{owner}: {ref!r} names no cue (known: see design_rules.CUES)")
        if field not in _rules.FIELDS:
            raise DataError(f"{owner}: {ref!r} names field {field!r}; fields are "
                            f"{', '.join(_rules.FIELDS)}")


# ----------------------------------------------------------------------------------------------
# public API


def classify_record(record: Mapping[str, Any]) -> Classification:
    """Classify one record by the ordered rules.

    Parameters
    ----------
    record : mapping
        One row of the records table (a dict or a pandas Series) with at least
        ``title`` and ``abstract``; ``pmid``, ``publication_types``,
        ``mesh_terms`` and ``keywords`` ("; "-joined) are used when present.

    Returns
    -------
    Classification

    Notes
    -----
    The design is decided first (the first design rule that fires). The
    condition rules are then tried in order. The comparator is only given to
    trials and trial protocols: every kind of control arm whose cues match is
    collected (sham, usual care, active); one kind is the comparator, several
    are ``mixed``; with none recognised it is ``none`` for a single-arm study
    and ``active`` when a comparison with an unrecognised treatment is
    described. Review protocols get no comparator.
    """
    texts = _texts(record)
    design_rule = _first(_rules.DESIGN_RULES, texts)
    condition_rule = _first(_rules.CONDITION_RULES, texts)
    comparator, comparator_rule = _comparator(design_rule.label, texts)
    return Classification(
        pmid=_str(record.get("pmid")), design=design_rule.label, condition=condition_rule.label,
        comparator=comparator, rule=design_rule.name, condition_rule=condition_rule.name,
        comparator_rule=comparator_rule,
    )


def classify(records, *, columns: str = "contract"):
    """Classify every record of a records table.

    Parameters
    ----------
    records : pandas.DataFrame
        The records table (:func:`evidence.records.read_records`), or any frame
        with ``pmid``, ``title`` and ``abstract`` (``publication_types``,
        ``mesh_terms``, ``keywords`` are used when present).
    columns : {"contract", "detail"}
        ``"contract"``: ``pmid, design, condition, comparator, rule``, as
        ``evidence classify`` prints them (``rule`` is the design rule).
        ``"detail"``: also ``condition_rule`` and ``comparator_rule``.

    Returns
    -------
    pandas.DataFrame
        One row per record, in the input's order, all columns strings.

    Raises
    ------
    DataError
        When ``pmid``, ``title`` or ``abstract`` is missing.
    ValueError
        For an unknown ``columns``.
    """
    columns = _option("columns", columns, ("contract", "detail"))
    missing = [c for c in ("pmid", "title", "abstract") if c not in records.columns]
    if missing:
        raise DataError(f"the records table has no column {', '.join(map(repr, missing))}; "
                        "pass the table evidence.records.read_records() returns")
    rows = [classify_record(row).to_dict() for row in records.to_dict("records")]
    keep = _OUTPUT_COLUMNS if columns == "contract" else _DETAIL_COLUMNS
    frame = pd.DataFrame(rows, columns=list(_DETAIL_COLUMNS))
    return frame.loc[:, list(keep)].astype(str).reset_index(drop=True)


def classify_xml(path: str | Path, *, columns: str = "contract"):
    """Read a PubMed efetch XML file and classify its records (``evidence classify``).

    Parameters
    ----------
    path : str or Path
        A ``PubmedArticleSet`` file (``.xml`` or ``.xml.gz``).
    columns : {"contract", "detail"}
        As for :func:`classify`.

    Returns
    -------
    pandas.DataFrame
        One row per record: ``pmid, design, condition, comparator, rule``.
    """
    columns = _option("columns", columns, ("contract", "detail"))
    return classify(read_records(path, provenance=None), columns=columns)


def studies_humans(record: Mapping[str, Any]) -> bool:
    """Whether a record studies people, as far as its indexing and words say.

    False when MeSH has the check tag Animals without Humans (the Cochrane
    HSSS ``NOT (animals NOT humans)`` line), or when the title and abstract
    name laboratory animals and no people. True otherwise: a record that
    names neither (no abstract) is given the benefit of the doubt.
    """
    texts = _texts(record)
    if _hit("animal_subjects@mesh", texts) and not _hit("human_subjects@mesh", texts):
        return False
    return not (_hit("animal_subjects@text", texts) and not _hit("human_subjects@text", texts))


# ----------------------------------------------------------------------------------------------
# labels and agreement


def load_labels(path: str | Path):
    """Read a hand-labelled CSV and check every value.

    Parameters
    ----------
    path : str or Path
        Columns ``pmid, design, condition`` and optionally ``comparator`` and
        ``reason`` (the review's own: :func:`evidence.review.load_labels`).

    Returns
    -------
    pandas.DataFrame
        The labels as strings (empty comparator as ``""``).

    Raises
    ------
    DataError
        For a missing column, a duplicate PMID, a value outside the
        vocabulary, or a comparator on a record that is not a trial (naming
        the file and line).
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{path}: no such labels file") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    missing = [c for c in ("pmid", "design", "condition") if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column {', '.join(map(repr, missing))}; expected "
                        "pmid, design, condition[, comparator, reason]")
    if "comparator" not in frame.columns:
        frame["comparator"] = ""
    frame = frame.apply(lambda col: col.str.strip())
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path}, line {i} (PMID {row.pmid or '?'})"
        if not row.pmid:
            raise DataError(f"{where}: empty pmid")
        for field in ("design", "condition"):
            value = getattr(row, field)
            if value not in _VOCAB[field]:
                raise DataError(f"{where}: {field} {value!r} is not one of "
                                f"{', '.join(_VOCAB[field])}")
        if row.comparator and row.comparator not in COMPARATORS:
            raise DataError(f"{where}: comparator {row.comparator!r} is not one of "
                            f"{', '.join(COMPARATORS)} (or empty)")
        if row.comparator and row.design not in TRIAL_DESIGNS:
            raise DataError(f"{where}: comparator {row.comparator!r} given for design "
                            f"{row.design!r}; only {', '.join(TRIAL_DESIGNS)} carry one")
    dupes = frame["pmid"][frame["pmid"].duplicated()].unique()
    if len(dupes):
        raise DataError(f"{path}: PMID {', '.join(dupes)} labelled more than once")
    return frame


def _aligned(pred, labels, fields):
    """Predictions and labels on the labelled PMIDs both have, plus the PMIDs missing."""
    for name, frame in (("pred", pred), ("labels", labels)):
        absent = [c for c in ("pmid",) + tuple(fields) if c not in frame.columns]
        if absent:
            raise DataError(f"{name} has no column {', '.join(map(repr, absent))}")
    p = pred.loc[:, ["pmid", *fields]].astype(str).drop_duplicates("pmid").set_index("pmid")
    l = labels.loc[:, ["pmid", *fields]].astype(str).set_index("pmid")
    common = [pmid for pmid in l.index if pmid in p.index]
    missing = tuple(pmid for pmid in l.index if pmid not in p.index)
    if not common:
        raise DataError("no labelled PMID has a prediction: are these the same records?")
    return p.loc[common], l.loc[common], missing


def accuracy(pred, labels) -> Accuracy:
    """Agreement of predictions with labels, field by field.

    Parameters
    ----------
    pred : pandas.DataFrame
        :func:`classify` output (``pmid, design, condition, comparator``).
    labels : pandas.DataFrame
        :func:`load_labels` output, or any frame with the same columns.
        When it has no ``comparator`` column only design and condition are
        compared (the comparator share is then NaN).

    Returns
    -------
    Accuracy

    Notes
    -----
    Shares are over the labelled records that were predicted. The comparator
    share leaves out records where both sides have no comparator (neither a
    trial nor a trial protocol), which would agree trivially.
    """
    fields = [f for f in LABEL_FIELDS if f in labels.columns and f in pred.columns]
    for needed in ("design", "condition"):
        if needed not in fields:
            raise DataError(f"pred and labels both need a {needed!r} column")
    p, l, missing = _aligned(pred, labels, fields)
    rows = []
    for field in fields:
        differ = p[field] != l[field]
        for pmid in p.index[differ]:
            rows.append({"pmid": pmid, "field": field, "label": l.at[pmid, field],
                         "predicted": p.at[pmid, field]})
    mismatches = pd.DataFrame(rows, columns=["pmid", "field", "label", "predicted"])
    n = len(p)
    share = {f: float((p[f] == l[f]).mean()) for f in ("design", "condition")}
    if "comparator" in fields:
        scored = (p["comparator"] != "") | (l["comparator"] != "")
        n_comp = int(scored.sum())
        agree = p["comparator"][scored] == l["comparator"][scored]
        comp = float(agree.mean()) if n_comp else float("nan")
    else:
        n_comp, comp = 0, float("nan")
    return Accuracy(n=n, design=share["design"], condition=share["condition"], comparator=comp,
                    n_comparator=n_comp, missing=missing, mismatches=mismatches)


def confusion(pred, labels, field: str):
    """Confusion table of one field: labels down, predictions across.

    Parameters
    ----------
    pred, labels : pandas.DataFrame
        As for :func:`accuracy`.
    field : {"design", "condition", "comparator"}

    Returns
    -------
    pandas.DataFrame
        Counts; the index (``label``) and the columns (``predicted``) hold
        every vocabulary value in vocabulary order, plus ``"(empty)"`` for the
        comparator of non-trials. The diagonal holds the agreements.
    """
    field = _option("field", field, LABEL_FIELDS)
    p, l, _ = _aligned(pred, labels, [field])
    values = list(_VOCAB[field]) + ([_EMPTY_LABEL] if field == "comparator" else [])
    lab = l[field].replace("", _EMPTY_LABEL)
    prd = p[field].replace("", _EMPTY_LABEL)
    table = pd.crosstab(pd.Categorical(lab, categories=values),
                        pd.Categorical(prd, categories=values), dropna=False)
    table.index.name = "label"
    table.columns.name = "predicted"
    return table.reindex(index=values, columns=values, fill_value=0).astype(int)

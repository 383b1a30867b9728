"""Agreement of the miner with a hand-marked gold standard: precision and recall.

:func:`read_gold` reads ``data/effect_statements.csv``; :func:`miner_agreement`
matches found statements to gold ones (same PMID, overlapping spans, numbers
within :data:`MATCH_TOL`) and returns an :class:`Agreement`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd


#: Absolute tolerance for numbers to agree in :func:`miner_agreement`.
MATCH_TOL = 1e-9


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

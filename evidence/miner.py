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

Where each concept lives
------------------------
This module is the public door: every name of its parts is importable from
``evidence.miner``, as before the split. It holds the entry points
(:func:`mine`, :func:`mine_records`, :func:`mine_xml`); the rest lives in

- :mod:`evidence.miner_lexicon`: the regular expressions and the reading of
  numbers;
- :mod:`evidence.miner_rules`: the rules that find statements in one text,
  and :class:`Statement`;
- :mod:`evidence.miner_gold`: agreement with the gold standard
  (:func:`read_gold`, :func:`miner_agreement`, :class:`Agreement`).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from .records import parse_records
from .vocab import MINED_MEASURES
# re-exported: evidence.miner is the door to every name its parts define
from .miner_gold import MATCH_TOL, Agreement, _close, miner_agreement, read_gold  # noqa: F401
from .miner_lexicon import (_BETWEEN_INTERVAL, _BRACKETED, _CLOSE, _CONNECTOR,  # noqa: F401
                            _COUNT_AFTER, _CUE_OVERLAP, _DASH, _DASHES, _DESCRIPTIVE,
                            _DIFFERENCE_CUES, _INTERVAL, _LABEL, _MAX_GAP, _MD_UNITS,
                            _MEASURE_NAMES, _MEASURE_RE, _NOT_ESTIMATE_BEFORE, _NUM, _OPEN,
                            _P_VALUE, _PAIR, _SD_UNITS, _SENTENCE_END, _SEP, _SIGN, _SNUM, _SNUM_RE,
                            _TEMPORAL_BEFORE, _TIGHT, _TIME_UNITS, _UNIT, _UNIT_WORDS, _is_year,
                            _parse_bound, _value)
from .miner_rules import (_ASIDE, _could_be_estimate, _end_with_bracket,  # noqa: F401
                          _estimate_candidates, _measure_before, _Miner, _p_after, Statement, _Text,
                          _tight_end)

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

"""Minimal important differences (``mids.csv``) and the absolute effect in words.

:func:`parse_mids` checks the rows of ``mids.csv``; the helpers pick the MID
of an extraction row, put it on the analysis scale (the GRADE default
thresholds when no MID is accepted: RR 0.75/1.25, SMD 0.2, GRADE guidelines
6) and word the absolute effect of a summary-of-findings row (GRADE
guidelines 12/13). Used by :mod:`evidence.grade` and re-exported there.

References
----------
Guyatt, G. H., Oxman, A. D., Kunz, R., et al. (2011). GRADE guidelines 6.
Rating the quality of evidence -- imprecision. J Clin Epidemiol, 64(12),
1283-1293.

Guyatt, G. H., Oxman, A. D., Santesso, N., et al. (2013). GRADE guidelines:
12. Preparing summary of findings tables -- binary outcomes. J Clin
Epidemiol, 66(2), 158-172.
"""

from __future__ import annotations

import math
import re
from typing import Mapping

import pandas as pd

from ._csv import checked_header, data_rows
from .errors import DataError

__all__ = ["MID_COLUMNS", "MID_RANGE", "RR_THRESHOLD", "SMD_THRESHOLD", "parse_mids"]


#: Default thresholds when no accepted MID exists (GRADE guidelines 6): RRR 25%, SMD 0.2.
RR_THRESHOLD = 1.25
SMD_THRESHOLD = 0.2
_RATIO = ("RR", "OR")
_PAIN = ("pain_intensity", "motion_related_pain", "headache_intensity")


#: Columns of ``mids.csv``.
MID_COLUMNS = ("outcome", "scale", "match", "mid", "unit", "text", "source")


#: Plausible range of a minimal important difference (``mids.csv``'s ``mid``), in the scale's
#: units: from 0.01 to 1000 (data/mids_README.md).
MID_RANGE = (0.01, 1000.0)


def parse_mids(records, *, path: str = "mids.csv", outcomes=None) -> pd.DataFrame:
    """Check the rows of ``mids.csv`` (see ``data/mids_README.md``).

    Parameters
    ----------
    records : sequence of sequences of str
        The CSV rows, header first.
    path : str
        The file name used in error messages.
    outcomes : iterable of str, optional
        The outcome codes of the extraction table; when given, a MID for any other outcome
        is refused (a misspelt code would otherwise silently leave its outcome without a MID).

    Returns
    -------
    DataFrame
        :data:`MID_COLUMNS`; ``mid`` as float (NaN when no accepted MID exists).

    Raises
    ------
    DataError
        With the file, the row and the reason.
    """
    header = checked_header(records, MID_COLUMNS, path)
    known = set(outcomes) if outcomes is not None else None
    rows, numbers = [], []
    for number, row in data_rows(records, header, MID_COLUMNS):
        for c in ("outcome", "scale", "text", "source"):
            if not row[c]:
                raise DataError(f"{path}, row {number}: {c} is empty (say 'none found' for a "
                                "scale without an accepted MID)")
        if not re.fullmatch(r"[a-z0-9_]+", row["outcome"]):
            raise DataError(f"{path}, row {number}: outcome {row['outcome']!r} is not an outcome "
                            "code ([a-z0-9_]+, as in effects.csv)")
        if known is not None and row["outcome"] not in known:
            raise DataError(f"{path}, row {number}: outcome {row['outcome']!r} is not an outcome of "
                            "the extraction table (effects.csv); its MID would never be used "
                            "(a misspelt code?)")
        if row["mid"]:
            try:
                row["mid"] = float(row["mid"])
            except ValueError:
                raise DataError(f"{path}, row {number}: mid is not a number "
                                f"({row['mid']!r})") from None
            if not math.isfinite(row["mid"]) or row["mid"] <= 0:
                raise DataError(f"{path}, row {number}: mid must be a positive number")
            low, high = MID_RANGE
            if not low <= row["mid"] <= high:
                raise DataError(f"{path}, row {number}: mid {row['mid']:g} is out of range "
                                f"(plausible: {low:g} to {high:g} in the scale's units)")
        else:
            row["mid"] = math.nan
        row["match"] = row["match"].lower()
        rows.append(row)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(MID_COLUMNS), index=pd.Index(numbers, name="row"))
    frame.attrs["path"] = path
    return frame



# ----------------------------------------------------------------------------------------------
# a row's MID and its threshold


def _mid_for(row: Mapping, mids: pd.DataFrame | None) -> dict | None:
    """The MID row of ``mids.csv`` for an extraction row: the outcome code, and, when the
    MID names a scale keyword, that keyword in the row's source note."""
    if mids is None or mids.empty:
        return None
    candidates = mids[mids["outcome"] == row["outcome"]]
    source = str(row.get("source", "")).lower()
    generic = None
    for _, m in candidates.iterrows():
        keyword = str(m.get("match", "") or "").strip().lower()
        if keyword and keyword != "nan":
            if keyword in source:
                return m.to_dict()
        elif generic is None:
            generic = m.to_dict()
    return generic


def _mid_value(mid: dict | None, unit: str | None) -> float | None:
    if mid is None:
        return None
    value = mid.get("mid")
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    mid_unit = str(mid.get("unit", "") or "")
    if unit == "cm" and mid_unit == "mm":
        return value / 10.0
    return value


def _mid_text(mid: dict | None, family: str, outcome: str) -> str:
    if family in _RATIO:
        base = (f"no accepted MID for {outcome.replace('_', ' ')}; imprecision judged against "
                f"a relative change of 25% (RR 0.75 / 1.25, GRADE guidelines 6)")
        if mid is not None:
            return f"{mid['text']} (source: {mid['source']}); {base}"
        return base
    if family == "SMD":
        return ("SMD 0.2 (small effect; Cohen 1988), the GRADE default for standardised "
                "differences (GRADE guidelines 6)")
    if family == "RD":
        text = "no accepted MID for a difference in responders; judged against the null only"
        if mid is not None:
            text = f"{mid['text']} (source: {mid['source']}); {text}"
        return text
    if mid is None:
        return f"no accepted MID for {outcome.replace('_', ' ')} on this scale"
    if _mid_value(mid, None) is None:
        return f"{mid['text']} (source: {mid['source']})"
    return f"{mid['text']} (source: {mid['source']})"


def _threshold(family: str, mid_value: float | None) -> float | None:
    """The MID on the analysis scale (log for ratios), or None."""
    if family in _RATIO:
        return math.log(RR_THRESHOLD)
    if family == "SMD":
        return SMD_THRESHOLD
    return mid_value


# ----------------------------------------------------------------------------------------------
# the absolute effect in words


def _fmt(x: float, digits: int = 1) -> str:
    text = f"{abs(x):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _absolute(family: str, outcome: str, est, lo, hi, unit: str | None,
              control_risk: float | None) -> str:
    """The absolute effect in words (GRADE guidelines 12/13)."""
    if est is None:
        return "not pooled: see the studies' own estimates in the footnotes"
    if family == "RD":
        return _words(est * 100, lo * 100, hi * 100, "responders per 100", more_is="more")
    if family in _RATIO:
        if control_risk is None:
            return ("control-arm risk not reported in the abstracts: absolute effect per 100 "
                    "cannot be computed (relative effect only)")
        if family == "RR":
            per = [control_risk * (x - 1) * 100 for x in (est, lo, hi)]
        else:
            per = [(control_risk * x / (1 - control_risk + control_risk * x) - control_risk)
                   * 100 for x in (est, lo, hi)]
        return _words(*per, f"per 100 (control risk {control_risk * 100:.0f} per 100)",
                      more_is="more")
    if family == "SMD":
        return (f"SMD {est:.2f} ({lo:.2f} to {hi:.2f}) in standard deviations; no "
                "re-expression on a familiar scale")
    if outcome in _PAIN:
        factor = 10.0 if unit == "cm" else 1.0
        if unit in ("mm", "cm"):
            return _words(est * factor, lo * factor, hi * factor, "on a 0-100 scale",
                          more_is="higher", fewer_is="lower", unit_first="mm")
        return _words(est, lo, hi, "on the trial's pain scale (unit not stated)",
                      more_is="higher", fewer_is="lower", unit_first="points")
    if "headache_days" in outcome:
        period = " per year" if outcome.endswith("per_year") else ""
        return _words(est, lo, hi, f"headache days{period}", more_is="more")
    return _words(est, lo, hi, f"on the {outcome.replace('_', ' ')} scale",
                  more_is="higher", fewer_is="lower", unit_first="points")


def _words(est, lo, hi, unit, *, more_is="more", fewer_is="fewer",
           unit_first: str | None = None) -> str:
    """``"1.5 fewer headache days (2.5 fewer to 0.5 fewer)"``, or with ``unit_first``
    ``"11.2 mm lower on a 0-100 scale (16.7 lower to 5.7 lower)"``."""
    def one(x, first=None):
        if abs(x) < 0.05:
            return "no difference"
        return f"{_fmt(x)}{' ' + first if first else ''} {more_is if x > 0 else fewer_is}"
    if unit_first:
        return f"{one(est, unit_first)} {unit} ({one(lo)} to {one(hi)})"
    return f"{one(est)} {unit} ({one(lo)} to {one(hi)})"

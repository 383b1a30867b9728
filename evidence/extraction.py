"""The extraction table: effect estimates read from the abstracts, checked row by row.

``data/effects.csv`` (see ``data/effects_README.md``) holds one row per
result: a trial's between-group effect, or a pooled result that a systematic
review reports (study name ending in ``"(SR)"``). :func:`read_effects_table`
reads it and refuses any row that no study can have, naming the file, the row
as a spreadsheet shows it (the header is row 1) and the reason.

Columns
-------
``pmid, study, comparison, condition, outcome, timepoint, measure,
events_t, n_t, events_c, n_c, mean_t, sd_t, mean_c, sd_c, estimate, ci_low,
ci_high, source``

- ``comparison``: one of :data:`COMPARISONS`.
- ``condition``: one of :data:`CONDITIONS` (the ``evidence classify``
  vocabulary of ``docs/contracts.md``).
- ``measure``: one of :data:`MEASURES`. ``RR``, ``OR``, ``RD`` take counts
  (``events_t, n_t, events_c, n_c``) or an estimate with its CI; ``MD`` and
  ``SMD`` take arm data (``mean_t, sd_t, n_t, mean_c, sd_c, n_c``) or an
  estimate with its CI; ``GENERIC_MD``, ``GENERIC_RR`` and ``GENERIC_OR``
  take an estimate with its CI only (natural scale: ratios as ratios).
  ``RD`` is a proportion (``0.12``, not ``12``).
- ``estimate``, ``ci_low``, ``ci_high``: 95% interval, ``ci_low <= estimate
  <= ci_high``.

Columns added for issue 9 (after ``source``; :data:`STUDY_COLUMNS`)
-------------------------------------------------------------------
``study_id, n_randomised, n_source, intervention, endpoint, k_studies``

- ``study_id``: the study (``data/studies.csv``) the row's result belongs
  to, so that counts and pools count studies, not reports.
- ``n_randomised``: participants randomised into the arms of this
  comparison (for a review's pooled result: participants in it), empty
  when the abstract does not say; ``n_source`` the verbatim quote that gives
  it (required with a number, empty without). Participants are never read
  from abstract text by a regex.
- ``intervention``: one of :data:`INTERVENTIONS`; ``endpoint``: one of
  :data:`ENDPOINTS`; ``k_studies``: studies in a review's pooled result.

Columns added for issue 14 (after ``k_studies``; :data:`REVIEW_COLUMNS`)
---------------------------------------------------------------------
``review_certainty, review_rob, review_i2, review_trials,
review_participants, review_source``: what a systematic review's abstract
states about a pooled result (review rows only; empty on trial rows).

- ``review_certainty``: the review's own certainty rating for this result,
  one of :data:`evidence.vocab.CERTAINTIES`, empty when it states none.
- ``review_rob``: the review's risk-of-bias summary of its trials, as the
  bulk of them: ``low``, ``some_concerns`` or ``high`` (:data:`REVIEW_ROB`);
  empty when the abstract gives no result of its assessment.
- ``review_i2``: the I2 (percent, 0-100) stated for this result.
- ``review_trials``, ``review_participants``: the trials and participants
  the review includes in all (its whole dataset, not necessarily this
  result's; ``k_studies`` is this result's own count).
- ``review_source``: the verbatim, section-prefixed quotes that give them
  (required when any of them is filled), with the reviewer's notes in
  ``[...]``.

A table without the issue-9 or the issue-14 columns (older formats) still
reads: they come back empty. ``data/null_results.csv`` (results reported without usable
numbers) is read by :func:`parse_null_results`.
"""

from __future__ import annotations

import math
import re
from os import PathLike
from pathlib import Path
from typing import Iterable

import pandas as pd

from ._csv import checked_header, data_rows, read_csv_rows
from .errors import DataError
from .snapshot import Snapshot
from .vocab import PMID, STUDY_ID
from .vocab import (BINARY_MEASURES, CERTAINTIES, COMPARISONS, CONDITIONS, CONTINUOUS_MEASURES,
                    GENERIC_MEASURES, RATIO_MEASURES, TABLE_MEASURES)

__all__ = [
    "COLUMNS",
    "TEXT_COLUMNS",
    "COUNT_COLUMNS",
    "NUMBER_COLUMNS",
    "COMPARISONS",
    "CONDITIONS",
    "MEASURES",
    "RATIO_MEASURES",
    "BINARY_MEASURES",
    "CONTINUOUS_MEASURES",
    "GENERIC_MEASURES",
    "STUDY_COLUMNS",
    "REVIEW_COLUMNS",
    "REVIEW_ROB",
    "INTERVENTIONS",
    "ENDPOINTS",
    "NULL_COLUMNS",
    "DIRECTIONS",
    "is_review_row",
    "parse_null_results",
    "snapshot_pmids",
    "check_effects_row",
    "read_effects_table",
    "NUMBER_RANGES",
    "ESTIMATE_RANGES",
    "P_VALUE",
]

#: Columns of ``effects.csv``, in order.
COLUMNS = (
    "pmid", "study", "comparison", "condition", "outcome", "timepoint", "measure",
    "events_t", "n_t", "events_c", "n_c", "mean_t", "sd_t", "mean_c", "sd_c",
    "estimate", "ci_low", "ci_high", "source",
)
#: Columns that every row must fill with text.
TEXT_COLUMNS = ("pmid", "study", "comparison", "condition", "outcome", "timepoint", "measure")
#: Columns holding whole numbers of patients or events (may be empty).
COUNT_COLUMNS = ("events_t", "n_t", "events_c", "n_c")
#: Numeric columns (may be empty).
NUMBER_COLUMNS = COUNT_COLUMNS + ("mean_t", "sd_t", "mean_c", "sd_c", "estimate", "ci_low",
                                  "ci_high")

#: Columns added by issue 9, after ``source`` (optional: empty when the file lacks them).
STUDY_COLUMNS = ("study_id", "n_randomised", "n_source", "intervention", "endpoint", "k_studies")
#: Columns added by issue 14, after ``k_studies`` (optional: empty when the file lacks them).
REVIEW_COLUMNS = ("review_certainty", "review_rob", "review_i2", "review_trials",
                  "review_participants", "review_source")
#: A review's risk-of-bias summary of its trials (the bulk of them), in RoB 2's overall words.
REVIEW_ROB = ("low", "some_concerns", "high")
_REVIEW_NUMBERS = ("review_i2", "review_trials", "review_participants")
#: Form of the intervention (for GRADE indirectness).
INTERVENTIONS = ("manual_acupuncture", "electroacupuncture", "dry_needling", "acupuncture_any",
                 "other")
#: Whether the result is the trial's primary endpoint.
ENDPOINTS = ("primary", "secondary", "not_stated")
#: Columns of ``null_results.csv``.
NULL_COLUMNS = ("study_id", "pmid", "comparison", "condition", "outcome", "timepoint",
                "direction", "p", "endpoint", "source")
#: Direction of a result reported without numbers.
DIRECTIONS = ("favours_acupuncture", "favours_control", "no_difference")
_STUDY_ID = STUDY_ID  # evidence.vocab: one pattern for every table
#: Allowed measures (:data:`evidence.vocab.TABLE_MEASURES`).
MEASURES = TABLE_MEASURES

_ESTIMATE = ("estimate", "ci_low", "ci_high")
_BINARY_ARMS = ("events_t", "n_t", "events_c", "n_c")
_CONTINUOUS_ARMS = ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c")
_KEY = ("study", "comparison", "condition", "outcome", "timepoint", "measure")
_PMID = PMID

#: Plausible range of each numeric column (inclusive). A value outside is refused with the file
#: and the row, whatever the measure: no trial has 10^7 patients or a mean of 10^308. Bounds that
#: depend on the measure are in :data:`ESTIMATE_RANGES`. Documented in data/effects_README.md.
NUMBER_RANGES = {
    "events_t": (0, 1_000_000), "n_t": (0, 1_000_000),
    "events_c": (0, 1_000_000), "n_c": (0, 1_000_000),
    "mean_t": (-100_000, 100_000), "mean_c": (-100_000, 100_000),
    "sd_t": (0, 100_000), "sd_c": (0, 100_000),
    "estimate": (-100_000, 100_000), "ci_low": (-100_000, 100_000), "ci_high": (-100_000, 100_000),
    "n_randomised": (1, 1_000_000), "k_studies": (1, 10_000),
    # what a review's abstract states of its own result (issue 14): I2 in percent, its trials
    # and participants (the largest IPD meta-analyses hold tens of thousands)
    "review_i2": (0, 100), "review_trials": (1, 10_000), "review_participants": (1, 10_000_000),
}
#: Plausible range of ``estimate``, ``ci_low`` and ``ci_high`` by measure (ratios on the natural
#: scale; RD a difference of proportions; SMD in standard deviations; MD in the scale's units).
ESTIMATE_RANGES = {
    "RR": (1e-4, 1e4), "OR": (1e-4, 1e4), "GENERIC_RR": (1e-4, 1e4), "GENERIC_OR": (1e-4, 1e4),
    "RD": (-1.0, 1.0), "SMD": (-10.0, 10.0), "MD": (-10_000, 10_000), "GENERIC_MD": (-10_000, 10_000),
}
#: ``p`` of ``null_results.csv``: empty, or a number from 0 to 1 with an optional ``<``, ``<=``,
#: ``>``, ``>=`` or ``=`` in front (as the abstract gives it: ``<.05``, ``0.18``).
P_VALUE = re.compile(r"(?:<=?|>=?|=)?\s*(?P<x>(?:0|1)?(?:\.[0-9]+)?|[01])")


def _out_of_range(column: str, value: float, low: float, high: float, why: str = "") -> str:
    return f"{column} {_fmt(value)} is out of range ({why or 'plausible'}: {_fmt(low)} to {_fmt(high)})"


def is_review_row(study: str) -> bool:
    """True for a systematic review's pooled result: the study name ends with ``"(SR)"``
    (or, for a review's subgroup, has ``"(SR, ...)"``)."""
    text = str(study).strip()
    return text.endswith("(SR)") or "(SR," in text


def snapshot_pmids(snapshot_dir: str | PathLike) -> set[str]:
    """The PMIDs the snapshot holds: its seed list plus every recorded efetch answer.

    Parameters
    ----------
    snapshot_dir : path
        The snapshot folder (``Settings.snapshot_dir``).

    Returns
    -------
    set of str
    """
    snapshot = Snapshot(Path(snapshot_dir))
    pmids = set(snapshot.seed_pmids())
    for entry in snapshot.entries():
        if entry.utility == "efetch":
            pmids.update(p for p in entry.parameters.get("id", "").split(",") if p)
    return pmids


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_effects_row(row: dict, *, pmids: Iterable[str] | None = None) -> str | None:
    """The reason a row of the extraction table is impossible, or None when it is usable.

    Parameters
    ----------
    row : dict
        Column name to value: text columns as ``str``, numeric columns as
        ``float`` or ``None`` (empty).
    pmids : iterable of str, optional
        The snapshot's PMIDs; when given, the row's PMID must be one of them.

    Returns
    -------
    str or None
        The first problem found, in words, or None.

    Notes
    -----
    Checked, in order: text columns filled; PMID a number (and in the
    snapshot); comparison, condition and measure in their vocabularies;
    counts whole and not negative, group sizes > 0, events <= n; standard
    deviations > 0; the numbers the measure needs (:data:`MEASURES`); ratio
    estimates and bounds > 0; an RD between -1 and 1; estimate and bounds within
    :data:`ESTIMATE_RANGES` for the measure; ``ci_low < ci_high``; the interval
    contains the estimate. (:func:`read_effects_table` also refuses any number
    outside :data:`NUMBER_RANGES`.)
    """
    for c in TEXT_COLUMNS:
        if not row.get(c):
            return f"{c} is empty"
    pmid = row["pmid"]
    if not _PMID.fullmatch(pmid):
        return f"pmid {pmid!r} is not a PubMed identifier (digits only)"
    if pmids is not None and pmid not in pmids:
        return (f"PMID {pmid} is not in the snapshot; extract only from records the snapshot "
                "holds (record it first)")
    if row["comparison"] not in COMPARISONS:
        return (f"unknown comparison {row['comparison']!r}; use one of "
                f"{', '.join(COMPARISONS)}")
    if row["condition"] not in CONDITIONS:
        return f"unknown condition {row['condition']!r}; use one of {', '.join(CONDITIONS)}"
    measure = row["measure"]
    if measure not in MEASURES:
        return f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}"
    v = {c: row.get(c) for c in NUMBER_COLUMNS}
    for c in COUNT_COLUMNS:
        x = v[c]
        if x is None:
            continue
        if x < 0:
            return f"{c} is negative ({_fmt(x)}); counts cannot be"
        if x != int(x):
            return f"{c} is not a whole number ({_fmt(x)})"
    for n in ("n_t", "n_c"):
        if v[n] is not None and v[n] == 0:
            return f"{n} is 0; a group has at least one patient"
    for e, n in (("events_t", "n_t"), ("events_c", "n_c")):
        if v[e] is not None and v[n] is not None and v[e] > v[n]:
            return f"{e} ({_fmt(v[e])}) is greater than {n} ({_fmt(v[n])})"
    for sd in ("sd_t", "sd_c"):
        if v[sd] is not None and v[sd] <= 0:
            return f"{sd} must be > 0 (got {_fmt(v[sd])})"

    has_estimate = all(v[c] is not None for c in _ESTIMATE)
    partial_estimate = any(v[c] is not None for c in _ESTIMATE) and not has_estimate
    if partial_estimate:
        missing = [c for c in _ESTIMATE if v[c] is None]
        return f"{', '.join(missing)} missing: an estimate needs its interval and vice versa"
    if measure in GENERIC_MEASURES:
        if not has_estimate:
            return f"measure {measure} needs estimate, ci_low and ci_high"
    else:
        arms = _BINARY_ARMS if measure in BINARY_MEASURES else _CONTINUOUS_ARMS
        if not has_estimate and any(v[c] is None for c in arms):
            missing = [c for c in arms if v[c] is None]
            return (f"measure {measure} needs either {', '.join(arms)} or estimate, ci_low "
                    f"and ci_high; missing {', '.join(missing)}")
    if has_estimate:
        est, lo, hi = v["estimate"], v["ci_low"], v["ci_high"]
        if measure in RATIO_MEASURES and min(est, lo, hi) <= 0:
            return (f"a ratio ({measure}) and its bounds must be > 0 "
                    f"(got {_fmt(est)} [{_fmt(lo)}, {_fmt(hi)}])")
        if measure == "RD" and not all(-1 <= x <= 1 for x in (est, lo, hi)):
            return (f"RD is a difference of proportions, between -1 and 1 "
                    f"(got {_fmt(est)} [{_fmt(lo)}, {_fmt(hi)}]); write 12% as 0.12")
        bounds = ESTIMATE_RANGES.get(measure)
        for c in _ESTIMATE:
            if bounds is not None and not bounds[0] <= v[c] <= bounds[1]:
                return _out_of_range(c, v[c], *bounds, why=f"a plausible {measure}")
        if lo > hi:
            return (f"ci_low ({_fmt(lo)}) is greater than ci_high ({_fmt(hi)}); put the "
                    "bounds in ascending order")
        if lo == hi:
            return f"the interval has no width (ci_low = ci_high = {_fmt(lo)})"
        if not lo <= est <= hi:
            return (f"the interval [{_fmt(lo)}, {_fmt(hi)}] does not contain the estimate "
                    f"{_fmt(est)}; check the source (a typo in the abstract?) and leave the "
                    "row out if it cannot be resolved")
    return _check_study_columns(row)


def _check_study_columns(row: dict) -> str | None:
    """The issue-9 columns, when the row has them (see the module docstring)."""
    if "study_id" not in row:
        return None
    study_id = row.get("study_id") or ""
    if not _STUDY_ID.fullmatch(study_id):
        return (f"study_id {study_id!r} must be the study's id in data/studies.csv "
                "(lowercase slug such as melchart2005)")
    for c in ("n_randomised", "k_studies"):
        x = row.get(c)
        if x is None:
            continue
        if x != int(x) or x < 1:
            return f"{c} must be a whole number >= 1 (got {_fmt(x)})"
    n, quote = row.get("n_randomised"), (row.get("n_source") or "")
    if n is not None and not quote:
        return ("n_randomised without n_source: quote the sentence of the abstract that gives "
                "the number")
    if n is None and quote and row.get("k_studies") is None:
        return "n_source without n_randomised or k_studies: fill the number or empty the quote"
    if row.get("intervention", "") not in INTERVENTIONS:
        return (f"unknown intervention {row.get('intervention')!r}; use one of "
                f"{', '.join(INTERVENTIONS)}")
    if row.get("endpoint", "") not in ENDPOINTS:
        return f"unknown endpoint {row.get('endpoint')!r}; use one of {', '.join(ENDPOINTS)}"
    return _check_review_columns(row)


def _check_review_columns(row: dict) -> str | None:
    """The issue-14 columns, when the row has them (see the module docstring)."""
    if "review_source" not in row:
        return None
    filled = [c for c in REVIEW_COLUMNS[:-1] if row.get(c) not in (None, "")]
    if not filled:
        if row.get("review_source"):
            return "review_source without any review_* value: fill the value or empty the quote"
        return None
    if not is_review_row(row.get("study", "")):
        return (f"{', '.join(filled)} filled on a trial row; the review_* columns are for a "
                "systematic review's pooled result (study name ending in '(SR)')")
    if not row.get("review_source"):
        return (f"{', '.join(filled)} without review_source: quote the sentences of the "
                "review's abstract that state them")
    certainty = row.get("review_certainty") or ""
    if certainty and certainty not in CERTAINTIES:
        return (f"unknown review_certainty {certainty!r}; use one of {', '.join(CERTAINTIES)} "
                "(GRADE's four levels)")
    judged = row.get("review_rob") or ""
    if judged and judged not in REVIEW_ROB:
        return f"unknown review_rob {judged!r}; use one of {', '.join(REVIEW_ROB)}"
    i2 = row.get("review_i2")
    if i2 is not None and not 0 <= i2 <= 100:
        return f"review_i2 is a percentage between 0 and 100 (got {_fmt(i2)})"
    for c in ("review_trials", "review_participants"):
        x = row.get(c)
        if x is not None and (x != int(x) or x < 1):
            return f"{c} must be a whole number >= 1 (got {_fmt(x)})"
    k, trials = row.get("k_studies"), row.get("review_trials")
    if k is not None and trials is not None and k > trials:
        return (f"k_studies ({_fmt(k)}) is more than the review's trials ({_fmt(trials)}); "
                "a pooled result cannot rest on more trials than the review includes")
    return None


def read_effects_table(path: str | PathLike, *,
                       pmids: Iterable[str] | None = None) -> pd.DataFrame:
    """Read and check the extraction table.

    Parameters
    ----------
    path : str or path-like
        The CSV file (:func:`evidence.review.load_effects` reads the review's).
    pmids : iterable of str, optional
        The PMIDs of the snapshot (:func:`snapshot_pmids`); every row's PMID
        must be one of them. When None the PMIDs are not checked.

    Returns
    -------
    DataFrame
        The columns of :data:`COLUMNS`, indexed by ``row`` (the row number a
        spreadsheet shows: header = row 1). Text columns are strings
        (``source`` may be empty), numeric columns floats (NaN when empty).
        ``frame.attrs["path"]`` is the file read.

    Raises
    ------
    DataError
        With the file, the row number and the reason: a missing column, a
        value that is not a number, or an impossible row (see
        :func:`check_effects_row`), or the same study, comparison,
        condition, outcome, timepoint and measure twice.
    """
    path = Path(path)
    allowed = set(pmids) if pmids is not None else None
    records = read_csv_rows(path, expected=COLUMNS)
    header = checked_header(records, COLUMNS, path)
    extra = [c for c in STUDY_COLUMNS if c in header]
    if extra and len(extra) != len(STUDY_COLUMNS):
        absent = [c for c in STUDY_COLUMNS if c not in header]
        raise DataError(f"{path}, row 1: missing column(s) {', '.join(absent)}; the study "
                        f"columns come together: {','.join(STUDY_COLUMNS)}")
    review = [c for c in REVIEW_COLUMNS if c in header]
    if review and (len(review) != len(REVIEW_COLUMNS) or not extra):
        absent = [c for c in STUDY_COLUMNS + REVIEW_COLUMNS if c not in header]
        raise DataError(f"{path}, row 1: missing column(s) {', '.join(absent)}; the review "
                        f"columns come after the study columns: {','.join(REVIEW_COLUMNS)}")
    columns = COLUMNS + (STUDY_COLUMNS if extra else ()) + (REVIEW_COLUMNS if review else ())
    numeric = NUMBER_COLUMNS + ("n_randomised", "k_studies") + _REVIEW_NUMBERS
    where = {c: header.index(c) for c in columns}
    rows, numbers, seen = [], [], {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row: dict = {}
        for c in columns:
            j = where[c]
            cell = record[j].strip() if j < len(record) else ""
            if c in numeric:
                if cell == "":
                    row[c] = None
                    continue
                try:
                    x = float(cell)
                except ValueError:
                    raise DataError(f"{path}, row {number}: {c} is not a number ({cell!r})") \
                        from None
                if not math.isfinite(x):
                    raise DataError(f"{path}, row {number}: {c} is not a finite number ({cell!r})")
                low, high = NUMBER_RANGES[c]
                # the magnitude here; a value below a lower bound of 0 or 1 gets the row check's
                # own words (negative count, sd must be > 0)
                if abs(x) > max(abs(low), abs(high)):
                    raise DataError(f"{path}, row {number}: {_out_of_range(c, x, low, high)}")
                row[c] = x
            else:
                row[c] = cell
        reason = check_effects_row(row, pmids=allowed)
        if reason is not None:
            raise DataError(f"{path}, row {number}: {reason}")
        key = tuple(row[c] for c in _KEY)
        if key in seen:
            raise DataError(
                f"{path}, row {number}: the same study, comparison, condition, outcome, "
                f"timepoint and measure as row {seen[key]}; keep one of the two"
            )
        seen[key] = number
        rows.append(row)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(columns), index=pd.Index(numbers, name="row"))
    if not extra:  # the format before issue 9: the study columns come back empty
        for c in STUDY_COLUMNS:
            frame[c] = None if c in ("n_randomised", "k_studies") else ""
    if not review:  # the format before issue 14: the review columns come back empty
        for c in REVIEW_COLUMNS:
            frame[c] = None if c in _REVIEW_NUMBERS else ""
    for c in NUMBER_COLUMNS + ("n_randomised", "k_studies") + _REVIEW_NUMBERS:
        frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
    for c in ("pmid", "study", "comparison", "condition", "outcome", "timepoint", "measure",
              "source", "study_id", "n_source", "intervention", "endpoint", "review_certainty",
              "review_rob", "review_source"):
        frame[c] = frame[c].astype(str)
    frame.attrs["path"] = str(path)
    return frame


def _p_ok(text: str) -> bool:
    match = P_VALUE.fullmatch(text.strip())
    if match is None or not any(ch.isdigit() for ch in match.group("x")):
        return False
    return 0.0 <= float(match.group("x")) <= 1.0


def parse_null_results(records, *, path: str = "null_results.csv",
                       pmids: Iterable[str] | None = None) -> pd.DataFrame:
    """Check the rows of ``null_results.csv`` (results reported without usable numbers).

    Parameters
    ----------
    records : sequence of sequences of str
        The CSV rows, header first.
    path : str
        The file name used in error messages.
    pmids : iterable of str, optional
        The snapshot's PMIDs; every row's PMID must be one of them.

    Returns
    -------
    DataFrame
        :data:`NULL_COLUMNS` as strings, indexed by ``row`` (spreadsheet row
        number).

    Raises
    ------
    DataError
        With the file, the row and the reason.
    """
    header = checked_header(records, NULL_COLUMNS, path)
    allowed = set(pmids) if pmids is not None else None
    rows, numbers = [], []
    for number, row in data_rows(records, header, NULL_COLUMNS):
        for c in NULL_COLUMNS:
            if c != "p" and not row[c]:
                raise DataError(f"{path}, row {number}: {c} is empty")
        problem = None
        if not _STUDY_ID.fullmatch(row["study_id"]):
            problem = f"study_id {row['study_id']!r} is not a study id (lowercase slug)"
        elif not _PMID.fullmatch(row["pmid"]):
            problem = f"pmid {row['pmid']!r} is not a PubMed identifier (digits only)"
        elif allowed is not None and row["pmid"] not in allowed:
            problem = f"PMID {row['pmid']} is not in the snapshot"
        elif row["comparison"] not in COMPARISONS:
            problem = (f"unknown comparison {row['comparison']!r}; use one of "
                       f"{', '.join(COMPARISONS)}")
        elif row["condition"] not in CONDITIONS:
            problem = (f"unknown condition {row['condition']!r}; use one of "
                       f"{', '.join(CONDITIONS)}")
        elif row["direction"] not in DIRECTIONS:
            problem = (f"unknown direction {row['direction']!r}; use one of "
                       f"{', '.join(DIRECTIONS)}")
        elif row["endpoint"] not in ENDPOINTS:
            problem = f"unknown endpoint {row['endpoint']!r}; use one of {', '.join(ENDPOINTS)}"
        elif row["p"] and not _p_ok(row["p"]):
            problem = (f"p {row['p']!r} is out of range (empty, or a number from 0 to 1 with an "
                       "optional <, <=, >, >= or = in front, e.g. <.05)")
        if problem:
            raise DataError(f"{path}, row {number}: {problem}")
        rows.append(row)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(NULL_COLUMNS), index=pd.Index(numbers, name="row"))
    frame.attrs["path"] = path
    return frame

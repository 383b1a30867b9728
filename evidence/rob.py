"""The risk-of-bias table (RoB 2), checked row by row.

``data/risk_of_bias.csv`` holds one row per trial result that enters a pool
or a verdict: ``study_id, outcome, d1, d1_support, ..., d5, d5_support,
overall, overall_support, basis``. ``outcome`` is an outcome code of the
extraction table or ``*`` for all of that study's results.

Domains (Sterne et al. 2019): d1 randomisation process, d2 deviations from
intended interventions, d3 missing outcome data, d4 measurement of the
outcome, d5 selection of the reported result. Each is ``low``,
``some_concerns``, ``high`` or ``no_information``; each ``*_support`` is a
verbatim quote (section-prefixed) or exactly ``not reported in the
abstract``. ``overall`` must follow the RoB 2 algorithm
(:func:`overall_judgement`); ``basis`` is ``abstract`` or ``full_text``, and
judgements made from an abstract alone are flagged as such
(:func:`abstract_only`).

Crossover trials (issue 14) use RoB 2's variant for crossover trials, whose
extra domain S is "bias arising from period and carryover effects": the
optional columns ``ds, ds_support`` hold it (:data:`CROSSOVER_DOMAIN`).
A parallel-group trial's row says ``not_applicable`` with the support
:data:`NOT_APPLICABLE`; a crossover trial's row gives a judgement, and the
overall judgement then follows the algorithm over all six domains.

References
----------
Sterne, J. A. C., Savovic, J., Page, M. J., et al. (2019). RoB 2: a revised
tool for assessing risk of bias in randomised trials. BMJ, 366, l4898.

Higgins, J. P. T., Savovic, J., Page, M. J., Elbers, R. G., & Sterne, J. A. C.
(2023). Chapter 8: Assessing risk of bias in a randomized trial. In Cochrane
Handbook for Systematic Reviews of Interventions, version 6.4.

Higgins, J. P. T., Li, T., & Sterne, J. A. C. (2021). Revised Cochrane risk of
bias tool for randomized trials (RoB 2): additional considerations for
crossover trials. riskofbias.info (domain S: bias arising from period and
carryover effects).
"""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from ._csv import checked_header, data_rows
from .errors import DataError
from .vocab import STUDY_ID

__all__ = ["DOMAINS", "DOMAIN_NAMES", "JUDGEMENTS", "OVERALL", "BASES", "NOT_REPORTED",
           "COLUMNS", "CROSSOVER_DOMAIN", "CROSSOVER_COLUMNS", "NOT_APPLICABLE",
           "overall_judgement", "parse_rob", "rob_for", "abstract_only"]

DOMAINS = ("d1", "d2", "d3", "d4", "d5")
DOMAIN_NAMES = {
    "d1": "randomisation process", "d2": "deviations from intended interventions",
    "d3": "missing outcome data", "d4": "measurement of the outcome",
    "d5": "selection of the reported result",
    "ds": "period and carryover effects (crossover trials)",
}
#: RoB 2's extra domain for crossover trials (Higgins, Li & Sterne 2021).
CROSSOVER_DOMAIN = "ds"
#: Optional columns of that domain (after ``comparison``).
CROSSOVER_COLUMNS = ("ds", "ds_support")
#: The support of ``ds`` on a parallel-group trial's row (its judgement is ``not_applicable``).
NOT_APPLICABLE = "not applicable (parallel-group trial)"
JUDGEMENTS = ("low", "some_concerns", "high", "no_information")
OVERALL = ("low", "some_concerns", "high")
BASES = ("abstract", "full_text")
NOT_REPORTED = "not reported in the abstract"
COLUMNS = ("study_id", "outcome") + tuple(
    c for d in DOMAINS for c in (d, f"{d}_support")) + ("overall", "overall_support", "basis")

_ID = STUDY_ID  # evidence.vocab: one pattern for every table
_QUOTE = re.compile(r'^(?:\([^)]+\)|[A-Z][A-Za-z0-9 ,/&-]*):\s*"')


def overall_judgement(domains: Sequence[str]) -> tuple[str, ...]:
    """The overall judgements the RoB 2 algorithm allows for the domain judgements.

    Parameters
    ----------
    domains : sequence of str
        The domain judgements, five (six for a crossover trial) (``no_information`` counts as
        ``some_concerns``).

    Returns
    -------
    tuple of str
        ``("low",)`` when every domain is low; ``("high",)`` when any domain
        is high; ``("some_concerns", "high")`` when several domains have
        some concerns (the reviewer may judge that they substantially lower
        confidence in the result: high); otherwise ``("some_concerns",)``.

    References
    ----------
    Sterne et al. (2019), RoB 2, Table 2 (overall risk-of-bias judgement).
    """
    levels = ["some_concerns" if d == "no_information" else d for d in domains]
    if any(d == "high" for d in levels):
        return ("high",)
    if all(d == "low" for d in levels):
        return ("low",)
    if sum(d == "some_concerns" for d in levels) >= 2:
        return ("some_concerns", "high")
    return ("some_concerns",)


def _support_ok(text: str) -> bool:
    return text == NOT_REPORTED or bool(_QUOTE.match(text))


def parse_rob(records: Sequence[Sequence[str]], *, path: str = "risk_of_bias.csv",
              study_ids=None) -> pd.DataFrame:
    """Check the rows of a RoB 2 table and return it.

    Parameters
    ----------
    records : sequence of sequences of str
        The CSV rows, header first.
    path : str
        The file name used in error messages.
    study_ids : iterable of str, optional
        The study table's ids; every row's ``study_id`` must be one of them.

    Returns
    -------
    DataFrame
        :data:`COLUMNS` as strings, indexed by ``row`` (spreadsheet row
        number), plus ``abstract_only`` (bool).

    Raises
    ------
    DataError
        With the file, the row and the reason: a missing column, an empty
        cell, an unknown judgement or basis, a support that is neither a
        section-prefixed quote nor ``not reported in the abstract``, an
        overall judgement the RoB 2 algorithm does not allow, or the same
        study and outcome twice.
    """
    header = checked_header(records, COLUMNS, path)
    crossover = [c for c in CROSSOVER_COLUMNS if c in header]
    if crossover and len(crossover) != len(CROSSOVER_COLUMNS):
        raise DataError(f"{path}, row 1: the crossover domain needs both columns "
                        f"{', '.join(CROSSOVER_COLUMNS)}")
    columns = (COLUMNS + (("comparison",) if "comparison" in header else ())
               + (CROSSOVER_COLUMNS if crossover else ()))
    known = set(study_ids) if study_ids is not None else None
    rows, numbers, seen = [], [], {}
    for number, row in data_rows(records, header, columns):
        row.setdefault("comparison", "*")
        row.setdefault("ds", "not_applicable")
        row.setdefault("ds_support", NOT_APPLICABLE)
        for c in columns:
            if not row[c]:
                raise DataError(f"{path}, row {number}: {c} is empty")
        if not _ID.fullmatch(row["study_id"]):
            raise DataError(f"{path}, row {number}: study_id {row['study_id']!r} is not a "
                            "study id of data/studies.csv (lowercase slug)")
        if known is not None and row["study_id"] not in known:
            raise DataError(f"{path}, row {number}: study_id {row['study_id']!r} is not in "
                            "data/studies.csv; add the study there first")
        for d in DOMAINS:
            if row[d] not in JUDGEMENTS:
                raise DataError(f"{path}, row {number}: {d} ({DOMAIN_NAMES[d]}) is "
                                f"{row[d]!r}; use one of {', '.join(JUDGEMENTS)}")
        for c in [f"{d}_support" for d in DOMAINS] + ["overall_support"]:
            if not _support_ok(row[c]):
                raise DataError(f"{path}, row {number}: {c} must be a verbatim quote prefixed "
                                f"by its section, e.g. '(METHODS): \"...\"', or exactly "
                                f"'{NOT_REPORTED}'; got {row[c][:60]!r}")
        if row["ds"] not in JUDGEMENTS + ("not_applicable",):
            raise DataError(f"{path}, row {number}: ds ({DOMAIN_NAMES['ds']}) is {row['ds']!r}; "
                            f"use one of {', '.join(JUDGEMENTS)} for a crossover trial, "
                            "not_applicable otherwise")
        if (row["ds"] == "not_applicable") != (row["ds_support"] == NOT_APPLICABLE) or (
                row["ds"] != "not_applicable" and not _support_ok(row["ds_support"])):
            raise DataError(f"{path}, row {number}: ds_support must be '{NOT_APPLICABLE}' with "
                            "ds not_applicable, else a verbatim quote prefixed by its section or "
                            f"'{NOT_REPORTED}'")
        if row["overall"] not in OVERALL:
            raise DataError(f"{path}, row {number}: overall is {row['overall']!r}; use one of "
                            f"{', '.join(OVERALL)}")
        judged = [row[d] for d in DOMAINS] + ([row["ds"]] if row["ds"] != "not_applicable"
                                               else [])
        allowed = overall_judgement(judged)
        if row["overall"] not in allowed:
            raise DataError(
                f"{path}, row {number}: overall {row['overall']!r} does not follow the RoB 2 "
                f"algorithm for domains {', '.join(judged)} (allowed: "
                f"{' or '.join(allowed)}; no_information counts as some_concerns)")
        if row["basis"] not in BASES:
            raise DataError(f"{path}, row {number}: basis is {row['basis']!r}; use one of "
                            f"{', '.join(BASES)}")
        key = (row["study_id"], row["outcome"], row["comparison"])
        if key in seen:
            raise DataError(f"{path}, row {number}: study {key[0]}, outcome {key[1]} and "
                            f"comparison {key[2]} are already rated in row {seen[key]}; keep one")
        seen[key] = number
        rows.append(row)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(COLUMNS) + ["comparison"] + list(CROSSOVER_COLUMNS),
                         index=pd.Index(numbers, name="row"))
    frame["abstract_only"] = frame["basis"] == "abstract"
    frame.attrs["path"] = path
    return frame


def rob_for(rob: pd.DataFrame, study_id: str, outcome: str,
            comparison: str | None = None) -> pd.Series | None:
    """The RoB row for one study result: the outcome's own row, else the study's ``*`` row.

    When the table has a ``comparison`` column (optional; ``*`` = every comparison), rows of
    another comparison are skipped and the comparison's own row comes before a ``*`` row.
    """
    if rob is None or rob.empty:
        return None
    mine = rob[rob["study_id"] == study_id]
    if comparison is not None and "comparison" in mine:
        mine = mine[mine["comparison"].isin([comparison, "*"])]
        mine = mine.assign(_own=mine["comparison"] == comparison).sort_values(
            "_own", ascending=False, kind="stable")
    exact = mine[mine["outcome"] == outcome]
    if not exact.empty:
        return exact.iloc[0]
    star = mine[mine["outcome"] == "*"]
    return star.iloc[0] if not star.empty else None


def abstract_only(row: pd.Series) -> bool:
    """True when a RoB judgement was made from the abstract alone."""
    return str(row.get("basis", "")) == "abstract"

"""The study table: studies, not reports.

``data/studies.csv`` maps every record (report) of the snapshot to the study
it reports: ``study_id,pmid,role,note``. Several reports of one trial (its
main paper, an economic evaluation, a secondary analysis, a further analysis
of the same individual-patient dataset) share one ``study_id``, so that
counts, pools and verdicts count each study once.

:func:`check_studies` refuses a table that cannot be right, naming the file,
the row as a spreadsheet shows it (header = row 1) and the reason, like the
extraction table's validator (:mod:`evidence.extraction`).

References
----------
Higgins, J. P. T., et al. (eds.) (2023). Cochrane Handbook for Systematic
Reviews of Interventions, version 6.4, section 5.2.1 ("studies (not reports)
as the unit of interest").
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from ._csv import checked_header, data_rows
from .errors import DataError
from .vocab import PMID, STUDY_ID

__all__ = ["COLUMNS", "ROLES", "parse_studies", "study_of_pmid", "count_studies"]

#: Columns of ``studies.csv``, in order.
COLUMNS = ("study_id", "pmid", "role", "note")
#: Role of a report within its study.
ROLES = ("main", "secondary", "economic", "protocol", "ipd")

_PMID, _ID = PMID, STUDY_ID  # evidence.vocab: one pattern for every table


def parse_studies(records: Sequence[Sequence[str]], *, path: str = "studies.csv",
                  pmids: Iterable[str] | None = None) -> pd.DataFrame:
    """Check the rows of a study table and return it as a DataFrame.

    Parameters
    ----------
    records : sequence of sequences of str
        The CSV rows, header first (:func:`evidence._csv.read_csv_rows`).
    path : str
        The file name used in error messages.
    pmids : iterable of str, optional
        The snapshot's PMIDs: when given, every one must appear exactly once.

    Returns
    -------
    DataFrame
        ``study_id, pmid, role, note`` (strings), indexed by ``row`` (the row
        number a spreadsheet shows).

    Raises
    ------
    DataError
        With the file, the row and the reason: a missing column, an empty
        cell, a PMID that is not one, a PMID twice, an unknown role, a
        study with no ``main`` report or with two, or (with ``pmids``) a
        snapshot PMID missing from the table.
    """
    header = checked_header(records, COLUMNS, path)
    rows, numbers, seen = [], [], {}
    for number, row in data_rows(records, header, COLUMNS):
        for c in ("study_id", "pmid", "role"):
            if not row[c]:
                raise DataError(f"{path}, row {number}: {c} is empty")
        if not _PMID.fullmatch(row["pmid"]):
            raise DataError(f"{path}, row {number}: pmid {row['pmid']!r} is not a PubMed "
                            "identifier (digits only)")
        if not _ID.fullmatch(row["study_id"]):
            raise DataError(f"{path}, row {number}: study_id {row['study_id']!r} must be a "
                            "lowercase slug such as melchart2005")
        if row["role"] not in ROLES:
            raise DataError(f"{path}, row {number}: unknown role {row['role']!r}; use one of "
                            f"{', '.join(ROLES)}")
        if row["pmid"] in seen:
            raise DataError(f"{path}, row {number}: PMID {row['pmid']} is already in row "
                            f"{seen[row['pmid']]}; a report belongs to one study")
        seen[row["pmid"]] = number
        rows.append(row)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(COLUMNS), index=pd.Index(numbers, name="row"))
    for study_id, group in frame.groupby("study_id", sort=False):
        mains = group.index[group["role"] == "main"].tolist()
        if len(mains) != 1:
            first = int(group.index[0])
            what = "no main report" if not mains else f"{len(mains)} main reports (rows " \
                f"{', '.join(map(str, mains))})"
            raise DataError(f"{path}, row {first}: study {study_id!r} has {what}; give "
                            "exactly one report the role main")
    if pmids is not None:
        absent = sorted(set(pmids) - set(frame["pmid"]), key=int)
        if absent:
            raise DataError(f"{path}: the snapshot's PMID(s) {', '.join(absent)} have no row; "
                            "every record belongs to a study")
    frame.attrs["path"] = path
    return frame


def study_of_pmid(studies: pd.DataFrame) -> dict[str, str]:
    """PMID to study_id."""
    return dict(zip(studies["pmid"].astype(str), studies["study_id"].astype(str)))


def count_studies(pmids: Iterable[str], studies: pd.DataFrame) -> int:
    """How many studies a set of reports (PMIDs) comes from.

    A PMID missing from the table counts as its own study.
    """
    of = study_of_pmid(studies)
    return len({of.get(str(p), f"pmid:{p}") for p in pmids})

"""The inputs of pooling checked: the options, the study labels and the ``evidence meta`` CSV file.

Part of :mod:`evidence.meta` (which re-exports every name here). Options are
keyword-only strings checked against their allowed values (case-insensitive);
an unknown value raises :class:`ValueError` naming the option and its values,
and a combination the contract excludes (MH with a continuous measure or with
HKSJ, ``transf="exp"`` with a measure other than GENERIC) says why. Impossible
data -- a count above its group size, a standard deviation or a variance of 0,
an empty or non-numeric cell of the CSV file -- raise
:class:`evidence.errors.DataError` naming the study, or the file and its row.

The values accepted for each column are those of :mod:`evidence.effects`
(metafor's ``escalc`` defaults); this module only applies them.
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence import effects
from evidence._csv import read_csv_rows, sniff_delimiter
from evidence.errors import DataError

METHODS = ("FE", "MH", "DL", "REML", "PM")
MEASURES = effects.MEASURES
TRANSFS = ("exp", "none")
RANDOM_METHODS = ("DL", "REML", "PM")

_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")


# ----------------------------------------------------------------------------------------------
# options


def _option(name: str, value: Any, allowed: Sequence[str]) -> str:
    if isinstance(value, str):
        for a in allowed:
            if value.strip().upper() == a.upper():
                return a
    raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(f"{name} must be True or False; got {value!r}")


def _options(measure, method, hksj, transf):
    measure = _option("measure", measure, MEASURES)
    method = _option("method", method, METHODS)
    hksj = _flag("hksj", hksj)
    transf = _option("transf", transf, TRANSFS)
    if method == "MH" and measure not in effects.BINARY_MEASURES:
        raise ValueError(
            f"method 'MH' (Mantel-Haenszel) needs a binary measure "
            f"({', '.join(effects.BINARY_MEASURES)}); got measure {measure!r}"
        )
    if method == "MH" and hksj:
        raise ValueError(
            "hksj=True is not available with method 'MH' (metafor's rma.mh has no knha test); "
            "use method 'FE', 'DL', 'REML' or 'PM'"
        )
    if transf == "exp" and measure != "GENERIC":
        raise ValueError(
            f"transf 'exp' is only for measure 'GENERIC' (yi given on the log scale); "
            f"measure {measure!r} is reported on its natural scale already: use transf 'none'"
        )
    return measure, method, hksj, transf


# ----------------------------------------------------------------------------------------------
# studies: labels and impossible values


def _labels(studies, k):
    if studies is None:
        return tuple(str(i + 1) for i in range(k))
    labels = tuple(str(s) for s in studies)
    if len(labels) != k:
        raise DataError(f"{len(labels)} study labels for {k} studies")
    return labels


def _raise_problems(problems, labels):
    if problems:
        i, reason = problems[0]
        raise DataError(f"study {labels[i]!r} (position {i}): {reason}; correct the input data")


def _problems(columns: Mapping[str, np.ndarray], measure: str):
    cols = [columns[c] for c in effects.COLUMNS[measure][1:]]
    if measure in effects.BINARY_MEASURES:
        return effects.binary_problems(*cols)
    if measure in effects.CONTINUOUS_MEASURES:
        return effects.continuous_problems(*cols, measure=measure)
    return effects.generic_problems(*cols)


# ----------------------------------------------------------------------------------------------
# CSV input


def read_meta_csv(path: str | PathLike, *, measure) -> pd.DataFrame:
    """Read and check a CSV file of studies for ``evidence meta``.

    Parameters
    ----------
    path : str or path-like
        CSV file with a header row; comma-separated, or semicolon-separated
        as Dutch Excel saves it (detected from the header line), where numbers
        may have a decimal comma (``0,25``). Columns (others are ignored): binary
        ``study,events_t,n_t,events_c,n_c``; continuous
        ``study,mean_t,sd_t,n_t,mean_c,sd_c,n_c``; GENERIC ``study,yi,vi``.
    measure : {"RR", "OR", "RD", "MD", "SMD", "GENERIC"}
        Decides which columns are needed.

    Returns
    -------
    DataFrame
        The needed columns, numbers as floats, indexed by ``row``: the row
        number a spreadsheet shows (header = row 1). Blank rows are skipped
        (and still counted); an empty ``study`` becomes ``"row N"``.

    Raises
    ------
    DataError
        With the file name, the row number and the reason, for: a missing
        column, an empty or non-numeric value, a value that is not finite,
        a number with a point in a semicolon-separated file with decimal
        commas (a thousands separator?),
        events > n, negative counts, n <= 0, sd <= 0, vi <= 0 (and, for SMD,
        n_t + n_c < 4); also when there are no study rows (k < 1) or the file
        cannot be read.
    """
    measure = _option("measure", measure, MEASURES)
    columns = effects.COLUMNS[measure]
    path = Path(path)
    delimiter = sniff_delimiter(path)
    records = read_csv_rows(path, expected=columns, delimiter=delimiter)
    header = [h.strip() for h in records[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            f"{path}, row 1: missing column(s) {', '.join(missing)}; measure {measure} needs "
            f"the columns {','.join(columns)}"
        )
    where = {c: header.index(c) for c in columns}
    numeric = [where[c] for c in columns[1:]]
    decimal_comma = delimiter == ";" and any(
        _DECIMAL_COMMA.fullmatch(record[j].strip())
        for record in records[1:] for j in numeric if j < len(record)
    )
    rows, numbers = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {}
        for c in columns:
            j = where[c]
            cell = record[j].strip() if j < len(record) else ""
            if c == "study":
                row[c] = cell or f"row {number}"
                continue
            if cell == "":
                raise DataError(
                    f"{path}, row {number}: {c} is empty; every row needs a number there"
                )
            if decimal_comma:
                if "." in cell:
                    raise DataError(
                        f"{path}, row {number}: {c} is {cell!r}, with a point, in a "
                        f"semicolon-separated file with decimal commas (Dutch Excel): is the "
                        f"point a thousands separator? Write the number without it"
                    )
                cell = cell.replace(",", ".")
            try:
                row[c] = float(cell)
            except ValueError:
                raise DataError(f"{path}, row {number}: {c} is not a number ({cell!r})") from None
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise DataError(f"{path}: no study rows (k = 0); at least one study is needed")
    frame = pd.DataFrame(rows, columns=list(columns), index=pd.Index(numbers, name="row"))
    problems = _problems({c: frame[c].to_numpy() for c in columns[1:]}, measure)
    if problems:
        i, reason = problems[0]
        raise DataError(f"{path}, row {numbers[i]}: {reason}")
    return frame

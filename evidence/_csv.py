"""Reading the review's CSV files: one place for the errors a person can make with them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from .errors import DataError

__all__ = ["read_csv_rows", "sniff_delimiter", "checked_header"]


def sniff_delimiter(path: Path) -> str:
    """``";"`` when the header line has semicolons and no comma (Dutch Excel), else ``","``.

    A file that cannot be read gives ``","``: :func:`read_csv_rows` reports the problem.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError):
        return ","
    return ";" if ";" in header and "," not in header else ","


def read_csv_rows(path: Path, *, expected: Sequence[str], delimiter: str = ",") -> list[list[str]]:
    """All rows of a UTF-8 CSV file (a BOM is allowed), header first.

    ``delimiter`` separates the cells (``","``, or ``";"`` for a file that
    :func:`sniff_delimiter` found to be semicolon-separated).

    Raises
    ------
    DataError
        The file cannot be read, is not UTF-8 CSV, or is empty; the message
        names the file and the header that was expected.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle, delimiter=delimiter))
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    if not rows:
        raise DataError(f"{path}: the file is empty; expected a header row with {','.join(expected)}")
    return rows


def checked_header(records: Sequence[Sequence[str]], required: Sequence[str], path) -> list[str]:
    """The header row of ``records`` (cells stripped), after checking it has every ``required`` column.

    Raises
    ------
    DataError
        ``"<path>, row 1: missing column(s) ...; the table needs ..."``.
    """
    header = [h.strip() for h in records[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"{path}, row 1: missing column(s) {', '.join(missing)}; the table "
                        f"needs {','.join(required)}")
    return header

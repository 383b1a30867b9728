"""Reading the review's CSV files: one place for the errors a person can make with them."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Sequence

from .errors import DataError

__all__ = ["MAX_BYTES", "read_bytes", "read_csv_rows", "sniff_delimiter", "checked_header"]


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


#: Largest CSV file read (the review's are a few kB; ``meta --input`` at k = 100,000 is 4.7 MB).
MAX_BYTES = 50_000_000

_UTF16_32 = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
             (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a data file, refused when it cannot be read or holds more than ``limit``
    bytes (read no further: ``/dev/zero`` or a huge file costs ``limit`` bytes at most).

    Raises
    ------
    DataError
        ``"<path>: cannot read the file (...)"`` or ``"<path>: larger than N bytes; <what>"``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise DataError(f"{path}: larger than {limit:,} bytes; {what}")
    return data


def read_csv_rows(path: Path, *, expected: Sequence[str], delimiter: str = ",") -> list[list[str]]:
    """All rows of a UTF-8 CSV file (a BOM is allowed), header first.

    ``delimiter`` separates the cells (``","``, or ``";"`` for a file that
    :func:`sniff_delimiter` found to be semicolon-separated). A blank line is a row of no cells
    (kept, so row numbers stay those a spreadsheet shows).

    Raises
    ------
    DataError
        One line naming the file (and the row, header = row 1, where there is one): the file
        cannot be read, is larger than :data:`MAX_BYTES`, is UTF-16/UTF-32 or otherwise not
        UTF-8, holds a NUL byte, is empty, or has a row with more or fewer cells than the
        header (a ragged row: a missing cell or a comma outside quotes).
    """
    data = read_bytes(path, MAX_BYTES, "not a table of the review")
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            raise DataError(f"{path}: the file is {name} text; save it as UTF-8 (CSV UTF-8 in Excel)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise DataError(f"{path}, row {row}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save "
                        "the file as UTF-8 (CSV UTF-8 in Excel)") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    if not any(rows):
        raise DataError(f"{path}: the file is empty; expected a header row with {','.join(expected)}")
    width = len(rows[0])
    for number, row in enumerate(rows, start=1):
        if any("\x00" in cell for cell in row):
            raise DataError(f"{path}, row {number}: a NUL byte in a cell; the file is binary or damaged")
        if len(row) != width and any(cell.strip() for cell in row):
            raise DataError(f"{path}, row {number}: {len(row)} cells, the header has {width}; a cell "
                            "is missing or a comma is not inside quotes")
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


def data_rows(records: Sequence[Sequence[str]], header: Sequence[str],
              columns: Sequence[str]):
    """The data rows of a table read with :func:`read_csv_rows`, one ``(row number, {column:
    stripped cell})`` at a time: the spreadsheet row number (the header is row 1), blank rows
    skipped, a cell the record lacks read as ``""`` (the one row loop of every validator)."""
    where = {c: header.index(c) for c in columns}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        yield number, {c: (record[j].strip() if j < len(record) else "") for c, j in where.items()}

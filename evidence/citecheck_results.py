"""The check of one reference, and the check's output as JSON, CSV or a terminal table.

:class:`CheckResult` is one line's result (the contract's ``line``, ``input``,
``status``, ``pmid`` and ``mismatches``, with what the record says instead);
:func:`format_json`, :func:`format_csv`, :func:`format_table` and
:func:`results_frame` write a list of them (``docs/contracts.md``,
"Reference-list check"). Text from the reference list is escaped for a CSV
cell or a terminal here (:mod:`evidence.escape`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

import pandas as pd

from .escape import csv_cell, terminal_text


#: The statuses of the contract, exactly.
STATUSES = ("ok", "mismatch", "not_found", "ambiguous", "retracted")
#: The fields a reference can disagree on, in the order they are reported.
FIELDS = ("year", "journal", "first_author", "title")
#: Output formats of :func:`evidence.review.cite_check_file`.
OUTPUT_FORMATS = ("table", "csv", "json")
#: Keys of one result in the JSON output, exactly (the contract's).
JSON_KEYS = ("line", "input", "status", "pmid", "mismatches")


@dataclass(frozen=True)
class CheckResult:
    """The check of one line of a reference list.

    Attributes
    ----------
    line : int
        1-based line number in the file.
    input : str
        The line's text (surrounding whitespace removed).
    status : str
        One of :data:`STATUSES`.
    pmid : str or None
        The record the line resolved to; ``None`` when not found or ambiguous.
    mismatches : tuple of str
        Fields (of :data:`FIELDS`) on which the line disagrees with the record.
    candidates : tuple of str
        For ``ambiguous``: the PMIDs that fit equally well (not part of the
        JSON/CSV output, whose keys are the contract's).
    mismatch_values : tuple of (field, reference's value, record's value)
        For each mismatch, what the line says and what the record says
        (``("year", "2008", "2007")``), so that the author can correct it.
    note : str
        A hint for the reader: for ``not_found`` in replay mode, that the
        record is not in the snapshot and a live check may find it.
    """

    line: int
    input: str
    status: str
    pmid: str | None = None
    mismatches: tuple[str, ...] = ()
    candidates: tuple[str, ...] = field(default=())
    mismatch_values: tuple[tuple[str, str, str], ...] = field(default=())
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The contract's object (``line``, ``input``, ``status``, ``pmid``, ``mismatches``), then
        ``mismatch_values`` (field -> ``{"reference": ..., "record": ...}``) and ``note``."""
        return {"line": self.line, "input": self.input, "status": self.status,
                "pmid": self.pmid, "mismatches": list(self.mismatches),
                "mismatch_values": {f: {"reference": given, "record": theirs}
                                    for f, given, theirs in self.mismatch_values},
                "note": self.note}

    def record_text(self) -> str:
        """The record's values for the mismatched fields: ``year 2007; journal Clin J Pain``."""
        return "; ".join(f"{f} {theirs}" for f, _, theirs in self.mismatch_values)


# -- output ------------------------------------------------------------------------
#: Columns the CSV and the results frame add after the contract's keys.
EXTRA_COLUMNS = ("record", "note")


def results_frame(results: Sequence[CheckResult]):
    """The results as a DataFrame: ``line``, ``input``, ``status``, ``pmid``, ``mismatches``
    ("; "-joined), ``candidates`` ("; "-joined), ``record`` (the record's values of the
    mismatched fields, :meth:`CheckResult.record_text`) and ``note``."""
    frame = pd.DataFrame(
        {
            "line": [r.line for r in results],
            "input": [r.input for r in results],
            "status": [r.status for r in results],
            "pmid": [r.pmid for r in results],
            "mismatches": ["; ".join(r.mismatches) for r in results],
            "candidates": ["; ".join(r.candidates) for r in results],
            "record": [r.record_text() for r in results],
            "note": [r.note for r in results],
        },
        columns=["line", "input", "status", "pmid", "mismatches", "candidates", *EXTRA_COLUMNS],
    )
    frame["line"] = frame["line"].astype("int64")
    return frame


def format_json(results: Sequence[CheckResult]) -> str:
    """The contract's JSON: a list with one object per reference: the keys :data:`JSON_KEYS`,
    then ``mismatch_values`` and ``note`` (:meth:`CheckResult.to_dict`)."""
    return json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False) + "\n"


def format_csv(results: Sequence[CheckResult]) -> str:
    """CSV with the JSON's columns, then ``record`` and ``note``; ``mismatches`` "; "-joined,
    ``pmid`` empty when none. Cells that a spreadsheet would run as a formula are neutralised
    (:func:`evidence.escape.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((*JSON_KEYS, *EXTRA_COLUMNS))
    for r in results:
        writer.writerow([csv_cell(v) for v in (r.line, r.input, r.status, r.pmid or "", "; ".join(r.mismatches),
                                            r.record_text(), r.note)])
    return buffer.getvalue()


def format_table(results: Sequence[CheckResult], *, width: int = 60) -> str:
    """An aligned plain-text table for a terminal, with notes and a one-line summary below it.

    Parameters
    ----------
    results : sequence of CheckResult
    width : int
        The ``input`` column is cut to this many characters (with "…").

    Notes
    -----
    The ``record`` column gives the record's value of each mismatched field
    (``year 2007``); a ``not_found`` line gets its note under the table.
    """
    if width < 10:
        raise ValueError(f"width must be at least 10, got {width}")
    header = ["line", "status", "pmid", "mismatches", "record", "input"]
    rows = []
    for r in results:
        # terminal_text: no escape codes or line breaks from the input reach the terminal;
        # split/join: a tab or run of spaces would break the columns
        text = " ".join(terminal_text(r.input).split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        pmid = r.pmid or ("?" + "|".join(r.candidates) if r.candidates else "-")
        record = " ".join(terminal_text(r.record_text()).split())
        record = record if len(record) <= width else record[: width - 1] + "…"
        rows.append([str(r.line), r.status, pmid, ", ".join(r.mismatches) or "-", record or "-", text])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {0}

    def fmt(row: list[str]) -> str:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()

    lines = [fmt(header), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in rows]
    notes = [f"line {r.line}: {terminal_text(r.note)}" for r in results if r.note]
    if notes:
        lines += [""] + notes
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append("")
    lines.append(f"{len(results)} reference{'s' if len(results) != 1 else ''}" + (f": {summary}" if summary else ""))
    return "\n".join(lines) + "\n"


#: Statuses that make ``evidence cite-check --strict`` exit 1.
STRICT_FAILURES = ("mismatch", "not_found")

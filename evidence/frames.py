"""Tables as text: the CSV and JSON forms the command line and the report folder write.

Shared by :mod:`evidence.cli` and :mod:`evidence.run`, so neither imports the other.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from .escape import csv_cell

__all__ = ["frame_text", "csv_text", "json_rows"]


def frame_text(frame: pd.DataFrame, fmt: str) -> str:
    """A records-like table as CSV or JSON text; list columns become JSON in CSV.

    CSV goes through :func:`csv_text` (formula cells neutralised)."""
    if fmt == "json":
        return json.dumps(json_rows(frame), ensure_ascii=False, indent=2) + "\n"
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].map(lambda v: isinstance(v, (list, dict))).any():
            out[column] = out[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    return csv_text(out)


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index), every text cell through :func:`evidence.escape.csv_cell`.

    The one CSV writer of tables: a cell a spreadsheet would run as a formula (``=HYPERLINK(``,
    ``@SUM(``, ``-2+3``) gets a leading ``'``; numeric columns and plain numbers written as
    text (``-0.5``) stay as they are. Column names are neutralised too.
    """
    out = frame.copy()
    out.columns = [csv_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(lambda v: v if v is None or v is pd.NA or
                                          (isinstance(v, float) and v != v) else csv_cell(v))
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue()


def json_rows(frame: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts: missing values as None, numpy scalars as Python ones."""
    rows = []
    for record in frame.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            if isinstance(value, (list, dict)):
                clean[key] = value
            elif value is pd.NA or (isinstance(value, float) and value != value):
                clean[key] = None
            elif hasattr(value, "item"):
                clean[key] = value.item()
            else:
                clean[key] = value
        rows.append(clean)
    return rows

"""Tables as text: the CSV and JSON forms the command line and the report folder write.

Shared by :mod:`evidence.cli` and :mod:`evidence.run`, so neither imports the other.
"""

from __future__ import annotations

import io
import json

import pandas as pd

__all__ = ["frame_text", "json_rows"]


def frame_text(frame: pd.DataFrame, fmt: str) -> str:
    """A records-like table as CSV or JSON text; list columns become JSON in CSV."""
    if fmt == "json":
        return json.dumps(json_rows(frame), ensure_ascii=False, indent=2) + "\n"
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].map(lambda v: isinstance(v, (list, dict))).any():
            out[column] = out[column].map(lambda v: json.dumps(v, ensure_ascii=False))
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

"""The headless run behind ``evidence run`` and ``make review``."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from .settings import load_settings
from .snapshot import atomic_write

__all__ = ["run_workbook"]


def run_workbook(out: str | Path = "reports", *, settings=None) -> Path:
    """Run the review in the current mode and write the report folder.

    Writes ``tables/records.csv`` and ``index.html`` under ``out``.

    Returns
    -------
    Path
        The report's ``index.html``.
    """
    from .cli import _frame_text
    from .review import load_records

    settings = settings or load_settings()
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    records = load_records(settings=settings)
    atomic_write(out / "tables" / "records.csv", _frame_text(records, "csv").encode("utf-8"))
    cut = int((~records["abstract_complete"].fillna(False)).sum())
    rows = "\n".join(
        f"<tr><td>{html.escape(r.pmid)}</td><td>{r.year}</td><td>{html.escape(r.first_author)}</td>"
        f"<td>{html.escape(r.title)}</td></tr>"
        for r in records.itertuples()
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence review: records</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}td{{padding:.2em .5em;vertical-align:top}}</style>
</head><body>
<h1>Acupuncture for tension-type headache and neck pain: records</h1>
<p>Mode: {html.escape(settings.mode)}. {len(records)} PubMed records; {cut} without a complete
abstract in the snapshot (see <code>data/pubmed/PROVENANCE.md</code>). Table: <a href="tables/records.csv">tables/records.csv</a>.</p>
<table><tr><th>PMID</th><th>Year</th><th>First author</th><th>Title</th></tr>
{rows}
</table></body></html>
"""
    index = out / "index.html"
    atomic_write(index, page.encode("utf-8"))
    print(f"evidence run: wrote {index} and {out / 'tables' / 'records.csv'} ({len(records)} records)",
          file=sys.stderr)
    return index

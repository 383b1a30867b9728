"""The headless run behind ``evidence run`` and ``make review``.

Executes every notebook in ``notebooks/`` in order (nbclient, one fresh
kernel each, in the current mode), exports each executed notebook as HTML,
and writes the report folder::

    index.html            the claims report (self-contained), linking the notebooks
    notebooks/NN-*.html   each notebook, executed
    tables/*.csv          records, designs, screening, effects, analyses, summary_of_findings,
                          claims
    figures/*.png         evidence map, PRISMA flow, forest plots (studies without a
                          diamond where no pooled estimate is shown)

Kernels talk to this process over 127.0.0.1 only; in replay mode nothing
else is opened. With ``store=True`` the executed notebooks are also written
back to ``notebooks/`` (how their committed outputs are refreshed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .errors import EvidenceError
from .settings import REPO_ROOT, Settings, load_settings
from .snapshot import atomic_write

__all__ = ["NOTEBOOK_DIR", "notebooks", "execute_notebook", "write_tables_and_figures", "run_workbook"]

NOTEBOOK_DIR = REPO_ROOT / "notebooks"


def notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The workbook's notebooks in review order (``NN-name.ipynb``)."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def execute_notebook(path: Path, *, timeout: int = 600):
    """Run a notebook top to bottom in a fresh kernel; return the executed notebook.

    Raises
    ------
    EvidenceError
        A cell failed: the message names the notebook, the cell and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            # quiet kernels: ipykernel warns on stderr that loopback TCP is unencrypted
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            record_timing=False)  # no timestamps in the stored notebooks
    try:
        client.execute()
    except CellExecutionError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        last = lines[-1] if lines else str(exc)
        raise EvidenceError(f"{path.name}: a cell failed: {last}") from None
    return book


def _csv(frame, path: Path) -> None:
    from .cli import _frame_text

    atomic_write(path, _frame_text(frame, "csv").encode("utf-8"))


def write_tables_and_figures(out: Path, *, settings: Settings, records=None, report=None) -> dict[str, list[Path]]:
    """Compute the workbook's tables and figures from the package and write them under ``out``.

    ``records`` and ``report`` (the claims' verdicts) are computed when not given.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import analyses, designs, plots, screening
    from .claims import check_claims
    from .extraction import read_effects_table
    from .review import load_records, load_sof

    tables, figures = out / "tables", out / "figures"
    records = records if records is not None else load_records(settings=settings)
    classified = designs.classify(records)
    dedup = screening.deduplicate([("snapshot", records)])
    screened = screening.screen(dedup.records, classified=classified,
                                criteria=settings.data_dir / "eligibility.yaml")
    counts = screening.prisma_counts(dedup, screened, source_label=screening.SNAPSHOT_SOURCE_LABEL)
    effects = read_effects_table(settings.data_dir / "effects.csv")
    results = analyses.review_analyses(effects)
    report = report if report is not None else check_claims(settings=settings, records=records)
    written = {"tables": [], "figures": []}
    for name, frame in (
        ("records", records), ("designs", classified), ("screening", screened.summary_frame()),
        ("prisma", counts.summary_frame()), ("effects", effects), ("analyses", analyses.analyses_frame(results)),
        ("comparison_with_reviews", analyses.compare_with_reviews(results, effects, records=records)),
        ("claims", report.summary_frame()),
        ("summary_of_findings", load_sof(settings).summary_frame()),
    ):
        _csv(frame, tables / f"{name}.csv")
        written["tables"].append(tables / f"{name}.csv")
    drawings = [
        ("design_condition_heatmap", lambda ax: plots.design_condition_heatmap(classified, ax=ax)),
        ("publications_per_year", lambda ax: plots.publications_per_year(records.merge(classified, on="pmid"), ax=ax)),
        ("comparator_counts", lambda ax: plots.comparator_counts(classified, ax=ax)),
        ("prisma_flow", lambda ax: plots.prisma_flow(counts, ax=ax)),
    ]
    drawings += [(f"forest_{a.key}", (lambda a: lambda ax: a.plot_forest(ax=ax))(a)) for a in results if a.k >= 2]
    for name, draw in drawings:
        fig, ax = plt.subplots(figsize=(9, 6))
        draw(ax)
        plots.save_figure(ax, figures / f"{name}.png")
        plt.close(fig)
        written["figures"].append(figures / f"{name}.png")
    return written


def _index(out: Path, *, settings: Settings, records, report, exported: list[Path]) -> Path:
    from .report import render_claims
    from .snapshot import Snapshot

    page = render_claims(report, records, fmt="html", lang="en", snapshot=Snapshot(settings.snapshot_dir))
    links = "".join(f'<li><a href="notebooks/{p.name}">{p.stem}</a></li>' for p in exported)
    extra = (f'<h2 id="workbook">The workbook</h2><p>Each step, executed:</p><ol>{links}</ol>'
             '<p>Tables: <a href="tables/">tables/</a> · figures: <a href="figures/">figures/</a></p>')
    page = page.replace("</body></html>", extra + "</body></html>")
    index = out / "index.html"
    atomic_write(index, page.encode("utf-8"))
    return index


def run_workbook(out: str | Path = "reports", *, settings: Settings | None = None, store: bool = False,
                 progress: bool = True) -> Path:
    """Run every notebook headless and write the report folder.

    Parameters
    ----------
    out : path
        The report folder (created).
    settings : Settings, optional
        From the environment when omitted; the kernels inherit the environment.
    store : bool
        Also write the executed notebooks back to ``notebooks/``.
    progress : bool
        Show a progress bar (stderr).

    Returns
    -------
    Path
        ``out/index.html``.
    """
    from nbconvert import HTMLExporter
    import nbformat
    from tqdm.auto import tqdm

    from .claims import check_claims
    from .review import load_records

    settings = settings or load_settings()
    out = Path(out)
    books = notebooks()
    if not books:
        raise EvidenceError(f"no notebooks (NN-name.ipynb) in {NOTEBOOK_DIR}")
    # the kernels read the same settings from the environment
    os.environ.setdefault("EVIDENCE_MODE", settings.mode)
    started = time.perf_counter()
    exporter = HTMLExporter()
    exported = []
    for path in tqdm(books, desc=f"evidence run ({settings.mode})", unit="notebook", disable=not progress,
                     file=sys.stderr):
        book = execute_notebook(path)
        body, _ = exporter.from_notebook_node(book)
        target = out / "notebooks" / f"{path.stem}.html"
        atomic_write(target, body.encode("utf-8"))
        exported.append(target)
        if store:
            atomic_write(path, (nbformat.writes(book) + "\n").encode("utf-8"))
    records = load_records(settings=settings, progress="off")
    report = check_claims(settings=settings, records=records)  # once, for the tables and the page
    write_tables_and_figures(out, settings=settings, records=records, report=report)
    index = _index(out, settings=settings, records=records, report=report, exported=exported)
    print(f"evidence run: {len(books)} notebooks in {time.perf_counter() - started:.1f} s; report: {index}",
          file=sys.stderr)
    return index

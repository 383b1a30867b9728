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
import socket
import sys
import time
from pathlib import Path

from .errors import EvidenceError, clean_line
from .settings import REPO_ROOT, Settings, load_settings
from .snapshot import atomic_write

__all__ = ["NOTEBOOK_DIR", "notebooks", "execute_notebook", "check_loopback", "write_tables_and_figures",
           "run_workbook"]

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
        lines = [clean_line(line) for line in str(exc).splitlines()]
        lines = [line for line in lines if line]
        last = lines[-1] if lines else clean_line(str(exc))
        raise EvidenceError(f"{path.name}: a cell failed: {last}") from None
    except (RuntimeError, TimeoutError) as exc:  # e.g. "Kernel didn't respond in 60 seconds"
        raise EvidenceError(f"{path.name}: the Jupyter kernel did not run: {clean_line(str(exc))}") from None
    return book


def check_loopback(timeout: float = 2.0) -> None:
    """Raise :class:`EvidenceError` at once when 127.0.0.1 cannot be reached.

    The notebooks' kernels talk to this process over loopback TCP; without
    it, nbclient waits 60 s for a kernel that can never answer.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=timeout):
                pass
    except OSError as exc:
        raise EvidenceError(
            f"no loopback network: 127.0.0.1 cannot be reached ({exc.strerror or exc}); the "
            "notebooks' Jupyter kernels talk to this process over 127.0.0.1 only. Bring the "
            "loopback interface up (ip link set lo up) or run outside the network sandbox"
        ) from None


def _csv(frame, path: Path) -> None:
    from .cli import _frame_text

    # a labelled index (screening's design, the analyses' key, PRISMA's item) is a column of the
    # table: to_csv(index=False) below would drop it; a plain 0..n-1 index is not
    if frame.index.name is not None or any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
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
    from .report import claims_html
    from .snapshot import Snapshot

    # everything the page shows is inside it (figures, tables as data: URIs): it works sent on alone
    figures = [(p.stem, p.read_bytes()) for p in sorted((out / "figures").glob("*.png"))]
    tables = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((out / "tables").glob("*.csv"))]
    page = claims_html(report, records, lang="en", snapshot=Snapshot(settings.snapshot_dir),
                       figures=figures, tables=tables, notebooks=[p.name for p in exported])
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
    check_loopback()  # first: without loopback the kernels cannot start (nbclient waits 60 s)
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
    # disable=None: no bar when stderr is not a terminal, so a captured error is one plain line
    for path in tqdm(books, desc=f"evidence run ({settings.mode})", unit="notebook",
                     disable=None if progress else True, file=sys.stderr):
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

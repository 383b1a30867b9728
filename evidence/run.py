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

from tqdm.auto import tqdm

from . import plots
from .analyses import analyses_frame
from .errors import EvidenceError, clean_line
from .frames import frame_text
from .report import claims_html
from .review import Review, build_review
from .settings import REPO_ROOT, Settings, load_settings
from .snapshot import Snapshot, atomic_write

__all__ = ["NOTEBOOK_DIR", "notebooks", "execute_notebook", "check_loopback", "write_tables_and_figures",
           "write_index", "write_report", "run_workbook"]

NOTEBOOK_DIR = REPO_ROOT / "notebooks"

#: The kernels' transport: loopback TCP with CurveZMQ encryption, keys provisioned by the kernel
#: manager (jupyter_client's ``KernelManager.transport_encryption``; ipykernel's kernelspec
#: declares ``supported_encryption: ["curve"]``). Without it ipykernel warns on every start that
#: the kernel "is running over TCP without encryption" (ipykernel/kernelapp.py, init_sockets).
KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


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
    # nbclient and nbformat start Jupyter machinery: imported only when a notebook is run
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from traitlets.config import Config

    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            config=Config(KERNEL_CONFIG),
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
    # a labelled index (screening's design, the analyses' key, PRISMA's item) is a column of the
    # table: to_csv(index=False) below would drop it; a plain 0..n-1 index is not
    if frame.index.name is not None or any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    atomic_write(path, frame_text(frame, "csv").encode("utf-8"))


def write_tables_and_figures(out: Path, review: Review) -> dict[str, list[Path]]:
    """Write the review's tables (``out/tables/*.csv``) and figures (``out/figures/*.png``).

    Parameters
    ----------
    out : Path
        The report folder.
    review : Review
        The chain computed once (:func:`evidence.review.build_review`).

    Returns
    -------
    dict
        ``{"tables": [paths], "figures": [paths]}`` in the order written.
    """
    # pyplot picks a backend on import: Agg first, so a headless run never needs a display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tables, figures = out / "tables", out / "figures"
    written = {"tables": [], "figures": []}
    for name, frame in (
        ("records", review.records), ("designs", review.classified),
        ("screening", review.screening.summary_frame()), ("prisma", review.prisma.summary_frame()),
        ("effects", review.effects), ("analyses", analyses_frame(list(review.analyses))),
        ("comparison_with_reviews", review.comparison),
        ("claims", review.claims.summary_frame()),
        ("summary_of_findings", review.sof.summary_frame()),
    ):
        _csv(frame, tables / f"{name}.csv")
        written["tables"].append(tables / f"{name}.csv")
    classified, records = review.classified, review.records
    drawings = [
        ("design_condition_heatmap", lambda ax: plots.design_condition_heatmap(classified, ax=ax)),
        ("publications_per_year", lambda ax: plots.publications_per_year(records.merge(classified, on="pmid"), ax=ax)),
        ("comparator_counts", lambda ax: plots.comparator_counts(classified, ax=ax)),
        ("prisma_flow", lambda ax: plots.prisma_flow(review.prisma, ax=ax)),
    ]
    drawings += [(f"forest_{a.key}", (lambda a: lambda ax: a.plot_forest(ax=ax))(a))
                 for a in review.analyses if a.k >= 2]
    for name, draw in drawings:
        fig, ax = plt.subplots(figsize=(9, 6))
        draw(ax)
        plots.save_figure(ax, figures / f"{name}.png")
        plt.close(fig)
        written["figures"].append(figures / f"{name}.png")
    return written


def write_index(out: Path, review: Review, *, notebooks: list[Path] = ()) -> Path:
    """Write ``out/index.html``, the claims report with every figure and table inside it.

    Call after :func:`write_tables_and_figures`; ``notebooks`` are the exported
    notebook pages the report links to.
    """
    # everything the page shows is inside it (figures, tables as data: URIs): it works sent on alone
    figures = [(p.stem, p.read_bytes()) for p in sorted((out / "figures").glob("*.png"))]
    tables = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((out / "tables").glob("*.csv"))]
    page = claims_html(review.claims, review.records, lang="en",
                       snapshot=Snapshot(review.settings.snapshot_dir),
                       figures=figures, tables=tables, notebooks=[p.name for p in notebooks])
    index = out / "index.html"
    atomic_write(index, page.encode("utf-8"))
    return index


def write_report(out: Path, review: Review, *, notebooks: list[Path] = ()) -> Path:
    """Tables, figures and ``index.html`` of the report folder; returns ``out/index.html``."""
    write_tables_and_figures(out, review)
    return write_index(out, review, notebooks=notebooks)


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
    # nbconvert and nbformat are heavy (templates, Jupyter machinery): imported only for a run
    import nbformat
    from nbconvert import HTMLExporter

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
    review = build_review(settings)  # the chain once, for the tables, the figures and the page
    index = write_report(out, review, notebooks=exported)
    print(f"evidence run: {len(books)} notebooks in {time.perf_counter() - started:.1f} s; report: {index}",
          file=sys.stderr)
    return index

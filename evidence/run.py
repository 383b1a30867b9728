"""The headless run behind ``evidence run`` and ``make review``.

Executes every notebook in ``notebooks/`` in order (nbclient, one fresh
kernel each, in the current mode), exports each executed notebook as HTML,
and writes the report folder::

    index.html            the claims report (self-contained), linking the notebooks
    index-nl.html         the same in Dutch (figures drawn with Dutch words)
    review.json           the run's state: records, pooled estimates, SoF certainties, verdicts
                          (evidence diff compares two)
    notebooks/NN-*.html   each notebook, executed
    tables/*.csv          records, designs, screening, effects, analyses (the analysis plan's
                          pooled rows), comparison_with_reviews, summary_of_findings, claims,
                          sensitivity_analyses, published_anchors
    figures/*.png         evidence map, PRISMA flow, forest plots (studies without a
                          diamond where no pooled estimate is shown)

Kernels talk to this process over 127.0.0.1 only; in replay mode nothing
else is opened. With ``store=True`` the executed notebooks are also written
back to ``notebooks/`` (how their committed outputs are refreshed).

The report is written whole or not at all: :func:`run_workbook` writes into a fresh
temporary folder beside the target (``.<name>.<random>.tmp``) and swaps it in with two
renames only when everything is written (:func:`swap_in`), so a run that is killed leaves
the previous report or none, never old pages beside new tables. Leftovers of a killed run
(``.<name>.*.tmp``, ``.<name>.*.old``) are removed by the next run; a previous report that a
kill left renamed aside is put back first. An existing ``--out`` folder is replaced only when
it holds nothing but a report (``index.html``, ``notebooks/``, ``tables/``, ``figures/``).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

from tqdm.auto import tqdm

from . import forests, plots, robplots
from .errors import EvidenceError, clean_line
from .frames import frame_text
from .report import claims_html
from .review import Review, build_review, load_plan, load_rob, load_studies
from .settings import REPO_ROOT, Settings, load_settings
from .snapshot import Snapshot, atomic_write

__all__ = ["NOTEBOOK_DIR", "REPORT_ENTRIES", "notebooks", "execute_notebook", "check_loopback",
           "write_tables_and_figures", "write_index", "write_review_json", "write_report", "figure_pngs",
           "INDEX_PAGES", "check_replaceable", "swap_in", "run_workbook"]

#: What a report folder holds; an existing ``--out`` with anything else is not replaced.
REPORT_ENTRIES = ("index.html", "index-nl.html", "review.json", "notebooks", "tables", "figures")

NOTEBOOK_DIR = REPO_ROOT / "notebooks"

#: The kernels' transport: loopback TCP with CurveZMQ encryption, keys provisioned by the kernel
#: manager (jupyter_client's ``KernelManager.transport_encryption``; ipykernel's kernelspec
#: declares ``supported_encryption: ["curve"]``). Without it ipykernel warns on every start that
#: the kernel "is running over TCP without encryption" (ipykernel/kernelapp.py, init_sockets).
KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


def _skip_iri_grammars() -> None:
    """Keep jsonschema from compiling the IRI grammars of ``rfc3987_syntax`` in this process.

    nbformat and nbconvert import jsonschema, whose format checkers import ``rfc3987_syntax`` when
    it is installed (jupyter-events installs it for JupyterLab): about 40 Lark grammars compiled on
    import, 1.2 s of CPU (3 s of a run's wall time on a loaded 2-core machine), for the ``iri``
    formats, which neither nbformat (it validates without a format checker) nor anything else in a
    run checks. Done only while jsonschema is not yet imported, so a process where it is (a
    Jupyter server, a test session) keeps its checkers as they are.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None: `import rfc3987_syntax` raises ImportError


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
    _skip_iri_grammars()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from traitlets.config import Config

    book = nbformat.read(path, as_version=4)
    for cell in book.cells:  # timestamps a JupyterLab save may have left: not part of the result
        cell.metadata.pop("execution", None)
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
    # a labelled index (screening's design, the pooled rows' key, PRISMA's item) is a column of the
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
        ("effects", review.effects), ("analyses", review.pooled.summary_frame()),
        ("comparison_with_reviews", review.comparison),
        ("claims", review.claims.summary_frame()),
        ("summary_of_findings", review.sof.summary_frame()),
        *_synthesis_tables(review),
    ):
        _csv(frame, tables / f"{name}.csv")
        written["tables"].append(tables / f"{name}.csv")
    for name, size, draw in _drawings(review, "en"):
        fig, ax = plt.subplots(figsize=size)
        draw(ax)
        plots.save_figure(ax, figures / f"{name}.png")
        plt.close(fig)
        written["figures"].append(figures / f"{name}.png")
    return written


def _synthesis_tables(review: Review) -> list[tuple[str, object]]:
    """The plan's sensitivity analyses and the published anchors beside the workbook's rows
    (``tables/sensitivity_analyses.csv``, ``tables/published_anchors.csv``; the report's
    appendix shows them)."""
    from .synthesis import compare_with_anchors, sensitivity_results

    plan = load_plan(review.settings, effects=review.effects)
    return [("sensitivity_analyses", sensitivity_results(review.sof).summary_frame()),
            ("published_anchors", compare_with_anchors(review.sof, plan).summary_frame())]


def _drawings(review: Review, lang: str) -> list:
    """(name, figure size, draw(ax)) of every figure of the report, its words in ``lang``."""
    classified, records = review.classified, review.records
    rob = load_rob(review.settings, studies=load_studies(review.settings))
    weights = robplots.study_weights(review.effects)
    drawings = [
        ("design_condition_heatmap", (9, 6), lambda ax: plots.design_condition_heatmap(classified, ax=ax, lang=lang)),
        ("publications_per_year", (9, 6),
         lambda ax: plots.publications_per_year(records.merge(classified, on="pmid"), ax=ax, lang=lang)),
        ("comparator_counts", (9, 6), lambda ax: plots.comparator_counts(classified, ax=ax, lang=lang)),
        ("prisma_flow", (9, 6), lambda ax: plots.prisma_flow(review.prisma, ax=ax, lang=lang)),
        ("rob_traffic_light", (8, 1.6 + 0.32 * max(len(rob), 1)),
         lambda ax: robplots.traffic_light(rob, ax=ax, lang=lang)),
        ("rob_summary", (8, 4), lambda ax: robplots.summary_plot(rob, weights=weights, ax=ax, lang=lang)),
    ]
    # one forest per SoF row that pools two or more studies (the analysis plan's pools, the same
    # results the summary of findings rests on)
    drawings += [(f.name, (9, 2.6 + 0.55 * (f.k + 2)), (lambda f: lambda ax: forests.draw_forest(f, ax=ax))(f))
                 for f in forests.plan_forests(review.sof, lang=lang)]
    return drawings


def figure_pngs(review: Review, lang: str) -> list[tuple[str, bytes]]:
    """Every figure of the report drawn in ``lang``, as (name, PNG bytes), for embedding."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    for name, size, draw in _drawings(review, lang):
        fig, ax = plt.subplots(figsize=size)
        draw(ax)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
        plt.close(fig)
        out.append((name, buffer.getvalue()))
    return out


#: The report pages: language -> file name (both self-contained, figures in the page's language).
INDEX_PAGES = {"en": "index.html", "nl": "index-nl.html"}


def write_index(out: Path, review: Review, *, notebooks: list[Path] = (), lang: str = "en") -> Path:
    """Write ``out/index.html`` (``lang="nl"``: ``out/index-nl.html``), the claims report with
    every figure and table inside it.

    Call after :func:`write_tables_and_figures`; ``notebooks`` are the exported
    notebook pages the report links to. The English page embeds ``figures/*.png``; the Dutch
    one embeds the same figures drawn with Dutch words.
    """
    # everything the page shows is inside it (figures, tables as data: URIs): it works sent on alone
    if lang == "en":
        figures = [(p.stem, p.read_bytes()) for p in sorted((out / "figures").glob("*.png"))]
    else:
        figures = figure_pngs(review, lang)
    tables = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((out / "tables").glob("*.csv"))]
    page = claims_html(review.claims, review.records, lang=lang,
                       snapshot=Snapshot(review.settings.snapshot_dir),
                       figures=figures, tables=tables, notebooks=[p.name for p in notebooks])
    index = out / INDEX_PAGES[lang]
    atomic_write(index, page.encode("utf-8"))
    return index


def write_review_json(out: Path, review: Review, *, date: str | None = None) -> Path:
    """Write ``out/review.json``, the machine-readable state of the run (:func:`evidence.diff.review_state`)
    that ``evidence diff`` and ``evidence run --since`` compare."""
    import datetime as _dt
    import json

    from .diff import review_state

    date = date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    path = out / "review.json"
    state = review_state(review, date=date)
    atomic_write(path, (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path


def write_report(out: Path, review: Review, *, notebooks: list[Path] = (), since: dict | None = None) -> Path:
    """Tables, figures, ``review.json``, ``index.html`` and ``index-nl.html`` of the report folder;
    returns ``out/index.html``.

    ``since`` is the ``review.json`` of an earlier report (:func:`evidence.diff.read_state`): both
    pages then have a "What changed since DATE" section."""
    write_tables_and_figures(out, review)
    state_path = write_review_json(out, review)
    pages = [write_index(out, review, notebooks=notebooks, lang=lang) for lang in INDEX_PAGES]
    if since is not None:
        import json

        from .diff import diff_reviews
        from .report import insert_section

        changes = diff_reviews(since, json.loads(state_path.read_text(encoding="utf-8")))
        section = changes.render("html")
        for index in pages:
            page = insert_section(index.read_text(encoding="utf-8"), section)
            atomic_write(index, page.encode("utf-8"))
    return out / INDEX_PAGES["en"]


def _leftovers(out: Path) -> list[Path]:
    """Temporary and set-aside folders of earlier runs into ``out`` (killed before cleaning up)."""
    parent = out.parent
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.glob(f".{out.name}.*") if p.suffix in (".tmp", ".old"))


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed run left beside ``out``; put back a previous report that a kill
    left set aside between the two renames of :func:`swap_in` (``out`` itself missing)."""
    leftovers = _leftovers(out)
    aside = [p for p in leftovers if p.suffix == ".old"]
    if not out.exists():
        kept = [p / "report" for p in aside if (p / "report").is_dir()]
        if kept:  # swap_in sets the previous report aside as .<name>.<random>.old/report
            os.rename(max(kept, key=lambda p: p.stat().st_mtime), out)
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def check_replaceable(out: Path) -> None:
    """Raise :class:`EvidenceError` unless ``out`` is absent, empty, or a report folder.

    ``evidence run`` replaces the whole folder; one that holds anything but a report
    (:data:`REPORT_ENTRIES`) may be the user's own files and is never replaced.
    """
    if not out.exists():
        return
    if out.is_symlink() or not out.is_dir():
        raise EvidenceError(f"--out {out}: not a folder; give a folder for the report")
    # .DS_Store / Thumbs.db: what a file browser leaves in any folder it showed
    other = sorted(p.name for p in out.iterdir() if p.name not in REPORT_ENTRIES + (".DS_Store", "Thumbs.db"))
    if other:
        shown = ", ".join(other[:3]) + (", ..." if len(other) > 3 else "")
        raise EvidenceError(f"--out {out}: holds files that are not a report ({shown}); the report "
                            "replaces the whole folder, so give a new or empty folder or an earlier report")


def swap_in(new: Path, out: Path) -> None:
    """Put the finished report folder ``new`` in the place of ``out``, whole.

    ``out`` (when present) is first renamed aside to ``.<name>.<random>.old``, then ``new`` is
    renamed to ``out``, then the old folder is removed. Each rename is atomic (same folder,
    same file system): a kill at any point leaves the previous report (or, between the two
    renames, none; the next run puts it back), never a mix.
    """
    aside = None
    if out.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        os.rename(out, aside / "report")
    try:
        os.rename(new, out)
    except OSError:
        if aside is not None:  # put the previous report back before saying why
            os.rename(aside / "report", out)
            shutil.rmtree(aside, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def run_workbook(out: str | Path = "reports", *, settings: Settings | None = None, store: bool = False,
                 progress: bool = True, since: str | Path | None = None) -> Path:
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
    since : path, optional
        An earlier report folder (its ``review.json``): ``index.html`` gets a "What changed since
        DATE" section (:mod:`evidence.diff`).

    Returns
    -------
    Path
        ``out/index.html``.
    """
    check_loopback()  # first: without loopback the kernels cannot start (nbclient waits 60 s)
    previous = None
    if since is not None:  # read before anything is written: --since may name the --out folder
        from .diff import read_state

        previous = read_state(since)
    settings = settings or load_settings()
    out = Path(out).absolute()
    books = notebooks()
    if not books:
        raise EvidenceError(f"no notebooks (NN-name.ipynb) in {NOTEBOOK_DIR}")
    out.parent.mkdir(parents=True, exist_ok=True)
    check_replaceable(out)
    _clean_leftovers(out)
    # everything is written into a fresh folder beside the target, then swapped in whole
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(work, 0o777 & ~umask)  # mkdtemp makes it 0700; a report folder is an ordinary one
    started = time.perf_counter()
    try:
        index = _run_into(work, books, settings=settings, store=store, progress=progress,
                          since=previous)
        swap_in(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    index = out / index.relative_to(work)
    print(f"evidence run: {len(books)} notebooks in {time.perf_counter() - started:.1f} s; report: {index}",
          file=sys.stderr)
    return index


def _run_into(out: Path, books: list[Path], *, settings: Settings, store: bool, progress: bool,
              since: dict | None = None) -> Path:
    """Execute ``books`` and write the whole report into the folder ``out``; return its index."""
    # nbconvert and nbformat are heavy (templates, Jupyter machinery): imported only for a run
    _skip_iri_grammars()
    import nbformat
    from nbconvert import HTMLExporter

    # the kernels read the same settings from the environment
    os.environ.setdefault("EVIDENCE_MODE", settings.mode)
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
    return write_report(out, review, notebooks=exported, since=since)

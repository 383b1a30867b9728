"""A writable copy of the workbook: the notebooks and the data files, the snapshot included.

``evidence init DIR`` calls :func:`copy_workbook`. From the repository the source is the
checkout; after a wheel install (``pip install .``) it is the copy the wheel installed under
``<prefix>/share/evidence`` (``evidence.settings.REPO_ROOT``). The copy is for editing: point
``EVIDENCE_DATA`` and ``EVIDENCE_SNAPSHOT`` at it and open its notebooks in JupyterLab.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import EvidenceError

__all__ = ["copy_workbook"]

_SKIP = shutil.ignore_patterns(".manifest.lock", "__pycache__", ".ipynb_checkpoints")


def copy_workbook(source: Path, dest: Path) -> list[Path]:
    """Copy ``source/notebooks/NN-*.ipynb`` and ``source/data/`` into ``dest``.

    Nothing is replaced: ``dest`` must not exist or be an empty folder.

    Returns
    -------
    list of Path
        The files written, in order.

    Raises
    ------
    EvidenceError
        ``dest`` is a file or a folder with files in it, or ``source`` holds no workbook.
    """
    source, dest = Path(source), Path(dest)
    books = sorted((source / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not books or not (source / "data").is_dir():
        raise EvidenceError(f"{source}: no workbook here (notebooks/NN-*.ipynb and data/)")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        what = "is a file" if not dest.is_dir() else "is a folder with files in it"
        raise EvidenceError(f"{dest}: {what}; give a new or empty folder (nothing is replaced)")
    (dest / "notebooks").mkdir(parents=True, exist_ok=True)
    for book in books:
        shutil.copy2(book, dest / "notebooks" / book.name)
    shutil.copytree(source / "data", dest / "data", ignore=_SKIP)
    return sorted(p for p in dest.rglob("*") if p.is_file())

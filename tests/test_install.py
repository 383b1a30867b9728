"""A non-editable install runs the review (issue 17, item 5).

`pip install -c constraints.txt .` into a fresh venv, then the README's route for that install
("Without the repository"), from a folder that is not the checkout: `evidence run` writes the
report from the notebooks and data the wheel installed under <venv>/share/evidence,
`evidence claims` writes the Dutch page and `evidence init` copies the workbook to edit. It
installs every dependency from the package index (minutes), so `make test` leaves it out
(marker `install`); `.ci/run` runs it with `make test-install`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = [pytest.mark.install, pytest.mark.slow]

IGNORE = shutil.ignore_patterns(".git", ".venv", "reports", "build", "*.egg-info", "__pycache__",
                                ".hypothesis", ".pytest_cache", ".ipynb_checkpoints", ".manifest.lock")


def _workbook_files(root: Path) -> set[str]:
    """The files of notebooks/ and data/ a user gets (as in a clone), relative to ``root``."""
    out = set()
    for folder in ("notebooks", "data"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and not IGNORE(str(path.parent), [path.name]) and ".ipynb_checkpoints" not in path.parts:
                out.add(path.relative_to(root).as_posix())
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "src"
    shutil.copytree(REPO, source, ignore=IGNORE)  # a clean copy: the build writes build/ beside it
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "-c", str(source / "constraints.txt"), str(source)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # issue 17, item 7: no setuptools warning (pip shows a build backend's warnings on stderr)
    noisy = [line for line in proc.stderr.splitlines() if "setuptools" in line.lower() or "deprecat" in line.lower()]
    assert noisy == [], noisy
    return venv


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # a plain shell's environment: no PYTHONPATH (it would find the checkout), no EVIDENCE_*
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run([str(venv / "bin" / "evidence"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def test_the_wheel_installs_the_whole_workbook(installed):
    shared = installed / "share" / "evidence"
    assert _workbook_files(REPO) <= _workbook_files(shared), "list the missing folder in pyproject's data-files"


def test_readme_route_without_the_repository_writes_the_report(installed, tmp_path):
    run = _run(installed, "run", "--out", "reports", cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    index = tmp_path / "reports" / "index.html"
    assert index.is_file() and "<html" in index.read_text(encoding="utf-8").lower()
    # every notebook of the repository ran from the installed copy (06-update reads its example
    # file from the installed data, data/examples/medline/)
    assert sorted(p.name for p in (tmp_path / "reports" / "notebooks").glob("*.html")) == sorted(
        f"{p.stem}.html" for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert (tmp_path / "reports" / "index-nl.html").is_file()
    dutch = _run(installed, "claims", "--format", "html", "--lang", "nl", "--out", "reports/claims-nl.html",
                 cwd=tmp_path)
    assert dutch.returncode == 0, dutch.stderr[-3000:]
    assert 'lang="nl"' in (tmp_path / "reports" / "claims-nl.html").read_text(encoding="utf-8")
    # nothing was written beside the installed workbook or into the current folder but reports/
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["reports"]
    # a copy to edit: the installed workbook, file for file
    init = _run(installed, "init", "mybook", cwd=tmp_path)
    assert init.returncode == 0, init.stderr[-3000:]
    assert _workbook_files(installed / "share" / "evidence") == _workbook_files(tmp_path / "mybook")

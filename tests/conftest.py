"""Shared test fixtures. Tests are offline: nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Hypothesis profiles, chosen with `pytest --hypothesis-profile NAME`:
#   ci    the default: the same 200 examples every run, no deadline on a 2-core machine;
#   deep  20,000 random examples per test (a long hunt for new failures, not for CI).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.register_profile("deep", derandomize=False, deadline=None, max_examples=20_000)
hypothesis_settings.register_profile("evidence", parent=hypothesis_settings.get_profile("ci"))  # the old name
DEFAULT_HYPOTHESIS_PROFILE = "ci"


def pytest_configure(config):
    # Hypothesis's own plugin loads the profile given with --hypothesis-profile; without one, ours.
    if not config.getoption("hypothesis_profile", None):
        hypothesis_settings.load_profile(DEFAULT_HYPOTHESIS_PROFILE)


REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SNAPSHOT = DATA / "pubmed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def no_network(monkeypatch):
    """Make every socket creation fail, so a test proves it opens none."""

    class _NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            raise AssertionError("a socket was opened while the network is forbidden")

    def _refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted while the network is forbidden")

    monkeypatch.setattr(socket, "socket", _NoSocket)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    yield


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    """A writable copy of the shipped snapshot."""
    dest = tmp_path / "pubmed"
    shutil.copytree(SNAPSHOT, dest)
    return dest


@pytest.fixture
def env(monkeypatch):
    """Clear the workbook's variables so each test states the ones it needs."""
    for name in ("EVIDENCE_MODE", "NCBI_EMAIL", "NCBI_API_KEY", "EVIDENCE_SNAPSHOT", "EVIDENCE_DATA"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@dataclass(frozen=True)
class WorkbookRun:
    """A finished ``evidence run``: the report folder and the path :func:`run_workbook` returned."""

    out: Path
    index: Path


@functools.cache  # the sources do not change within a session; read them once a process
def _sources_key() -> str:
    """A hash of what a run reads: the package, the notebooks and the data (snapshot included)."""
    digest = hashlib.sha256()
    for folder in ("evidence", "notebooks", "data"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.name != ".manifest.lock":
                digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _shared_run_folder(factory) -> Path:
    """The folder of the session's shared run: the workers' common folder under xdist."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # one session's workers share it; a later session gets a new one
    folder = base / f"workbook-run-{_sources_key()}"
    folder.mkdir(exist_ok=True)
    return folder


def make_shared_run(folder: Path) -> WorkbookRun:
    """The run in ``folder``, made there first unless it is (under the folder's file lock)."""
    out, returned = folder / "reports", folder / "returned-index"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (out / "index.html").is_file():
                _make_run(out, returned)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return WorkbookRun(out=out, index=Path(returned.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def workbook_run(tmp_path_factory) -> WorkbookRun:
    """``evidence run`` in replay (every notebook executed in a kernel, both report pages, tables,
    figures, review.json), made ONCE per test session and shared READ-ONLY by every test that
    reads a report as the run writes it (test_run_tables, test_report_cards, test_report,
    test_browser). A test that changes a report copies it first.

    Under pytest-xdist each worker is a process: the run is made in the folder the workers share
    (``getbasetemp().parent``) under a file lock, by the first to take it (the background run
    that :func:`pytest_collection_finish` starts, else the first test to ask); the others wait on
    the lock and read the finished folder (``run_workbook`` swaps it in whole, so ``index.html``
    there means a complete report). The folder name carries a hash of the sources.
    """
    return make_shared_run(_shared_run_folder(tmp_path_factory))


#: The background runs this process started (pytest_collection_finish).
_BACKGROUND: list[subprocess.Popen] = []


def pytest_collection_finish(session):
    """Start the shared run in a background process as soon as a selected test will read it.

    It then runs beside the first tests instead of holding up the first test that needs it (or,
    under xdist, a worker waiting on the lock). Each xdist worker collects every test; the first
    to create the folder's ``background-started`` marker starts the one background run, the
    others start none. If the background run fails, the fixture makes the run itself and the
    test shows the error.
    """
    if session.config.option.collectonly or not any(
            "workbook_run" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    folder = _shared_run_folder(session.config._tmp_path_factory)  # what the tmp_path_factory fixture returns
    try:
        os.close(os.open(folder / "background-started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return  # another worker of this session started it
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "tests")]))
    code = "import sys, pathlib, conftest; conftest.make_shared_run(pathlib.Path(sys.argv[1]))"
    with open(folder / f"background-{os.getpid()}.log", "w") as log:
        _BACKGROUND.append(subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=REPO, env=env,
                                            stdout=log, stderr=subprocess.STDOUT))


def pytest_sessionfinish(session, exitstatus):
    for proc in _BACKGROUND:  # never left running after the session: waited for, or ended on Ctrl-C
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            proc.kill()
        proc.wait()


def _make_run(out: Path, returned: Path) -> None:
    from evidence.run import run_workbook
    from evidence.settings import load_settings

    names = ("EVIDENCE_MODE", "NCBI_EMAIL", "NCBI_API_KEY", "EVIDENCE_SNAPSHOT", "EVIDENCE_DATA")
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:  # the kernels inherit the environment: the shipped snapshot and data, replay
        index = run_workbook(out, settings=load_settings(environ={}), progress=False)
    finally:
        for name in names:
            os.environ.pop(name, None)
        os.environ.update(saved)
    returned.write_text(str(index), encoding="utf-8")
    for path in sorted(out.rglob("*"), reverse=True):  # read-only: a test that writes into it fails
        path.chmod(0o555 if path.is_dir() else 0o444)
    out.chmod(0o555)


def pytest_collection_modifyitems(config, items):
    """Files with slow or browser tests first, so parallel workers do not wait on one at the end.

    `make test` sends each file to one xdist worker (`--dist loadfile`) in collection order; a
    long file collected last leaves the other worker idle. A stable sort: the order inside a
    file (nbval cells) is kept, and without xdist it changes only the order files run in.
    """
    heavy = {item.path for item in items
             if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in heavy)

"""Shared test fixtures. Tests are offline: nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
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


def pytest_collection_modifyitems(config, items):
    """Files with slow or browser tests first, so parallel workers do not wait on one at the end.

    `make test` sends each file to one xdist worker (`--dist loadfile`) in collection order; a
    long file collected last leaves the other worker idle. A stable sort: the order inside a
    file (nbval cells) is kept, and without xdist it changes only the order files run in.
    """
    heavy = {item.path for item in items
             if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in heavy)

"""Shared test fixtures. Tests are offline: nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Repeatable property tests in CI: same examples every run, no deadline on a 2-core machine.
hypothesis_settings.register_profile("evidence", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.load_profile("evidence")

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

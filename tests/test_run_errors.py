"""`evidence run` failures: no loopback is said at once; error lines are plain text (issue 10, item 11)."""

import shutil
import socket
import subprocess
import sys
import time

import nbformat
import pytest

from evidence import run
from evidence.errors import EvidenceError


def test_no_loopback_is_detected_before_any_kernel_starts(tmp_path, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    monkeypatch.setattr(run, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))
    started = time.perf_counter()
    with pytest.raises(EvidenceError, match=r"no loopback network: 127\.0\.0\.1 cannot be reached "
                                            r"\(Network is unreachable\)"):
        run.run_workbook(tmp_path / "reports", progress=False)
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "reports").exists()


def _unshare_works() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs `unshare -n` (a private network namespace, loopback down)")
def test_cli_run_in_a_namespace_without_loopback(tmp_path):
    started = time.perf_counter()
    proc = subprocess.run(["unshare", "-n", sys.executable, "-m", "evidence", "run", "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("evidence run: no loopback network") and proc.stderr.count("\n") == 1
    assert time.perf_counter() - started < 30


def test_a_failing_cell_is_one_plain_line(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("raise ValueError('boom in cell')")]
    path = tmp_path / "01-fail.ipynb"
    nbformat.write(book, path)
    with pytest.raises(EvidenceError) as info:
        run.execute_notebook(path, timeout=120)
    message = str(info.value)
    assert message == "01-fail.ipynb: a cell failed: ValueError: boom in cell"
    assert "\x1b" not in message


def test_cli_run_error_is_one_line_without_a_progress_bar(tmp_path, monkeypatch, capsys):
    from evidence import cli

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("raise RuntimeError('cell broke')")]
    path = tmp_path / "01-broken.ipynb"
    nbformat.write(book, path)
    monkeypatch.setattr(run, "notebooks", lambda folder=None: [path])
    assert cli.main(["run", "--out", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert err == "evidence run: 01-broken.ipynb: a cell failed: RuntimeError: cell broke\n"

"""tests/cli_runner.py: the in-process ``evidence`` gives what a real process gives, and leaves
nothing of the call behind (issue 17, item 6: CLI tests without a new interpreter per call)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from evidence import cli

from cli_runner import CliTimeout, run_cli
from conftest import REPO, SNAPSHOT


# -- the same answer as a separate process ------------------------------------------------------
# Real processes on purpose: each case runs `python -m evidence` AND run_cli and wants the same
# exit code, stdout and stderr, byte for byte: a table on stdout with exit 1, an error line
# (EvidenceError), argparse's exit 2, and SystemExit(0) from --version. "diff-missing" is also
# `evidence diff`'s end-to-end test (its other tests call main in process, test_living.py).
@pytest.mark.parametrize("case", ["cite-check-strict", "records-missing", "diff-missing", "fetch-bad-batch",
                                  "version"])
def test_run_cli_gives_what_a_real_process_gives(case, tmp_path):
    refs = tmp_path / "refs.txt"
    refs.write_text("9758075\n99999999\n", encoding="utf-8")
    argv = {
        "cite-check-strict": ["cite-check", "--strict", str(refs)],
        "records-missing": ["records", "--xml", "missing.xml"],
        "diff-missing": ["diff", "old-report", "new-report"],
        "fetch-bad-batch": ["fetch", "--pmids", "9758075", "--batch", "0"],
        "version": ["--version"],
    }[case]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "EVIDENCE_SNAPSHOT": str(SNAPSHOT)}
    proc = subprocess.run([sys.executable, "-m", "evidence", *argv], capture_output=True, env=env,
                          cwd=tmp_path, timeout=120)
    inside = run_cli(*argv, env=env, cwd=tmp_path)
    assert (inside.returncode, inside.stdout_bytes, inside.stderr_bytes) == (
        proc.returncode, proc.stdout, proc.stderr)
    assert proc.returncode == {"cite-check-strict": 1, "version": 0}.get(case, 2)
    assert (proc.stdout if case in ("cite-check-strict", "version") else proc.stderr).strip()


# -- nothing of the call is left behind ---------------------------------------------------------
def _state():
    import matplotlib
    import numpy

    return (dict(os.environ), os.getcwd(), sys.stdout, sys.stderr, sys.stdin, list(sys.argv), list(sys.path),
            signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGALRM), numpy.geterr(),
            dict.get(matplotlib.rcParams, "backend"), matplotlib.rcParams["lines.linewidth"],
            logging.getLogger().handlers[:], logging.getLogger().level, list(warnings.filters))


def _meddle(args):
    """A command that changes every piece of process state the runner restores."""
    import matplotlib
    import numpy

    seen = {"env": dict(os.environ), "cwd": os.getcwd(), "stdin": sys.stdin.read(), "argv": list(sys.argv)}
    os.environ["EVIDENCE_MODE"] = "record"
    os.environ.pop("HOME", None)
    os.chdir("/")
    sys.path.insert(0, "/nowhere")
    signal.signal(signal.SIGTERM, lambda *a: None)
    numpy.seterr(all="raise")
    matplotlib.rcParams["lines.linewidth"] = 9.0
    matplotlib.use("svg")
    logging.getLogger().addHandler(logging.NullHandler())
    warnings.simplefilter("error")
    print(f"out {seen['stdin']}")
    sys.stdout.buffer.write(b"bytes\n")
    print("err", file=sys.stderr)
    _meddle.seen = seen
    return 0


def test_the_call_sees_its_env_cwd_stdin_and_everything_is_restored(monkeypatch, tmp_path):
    monkeypatch.setenv("CLI_RUNNER_OUTSIDE", "1")
    monkeypatch.setattr(cli, "_cmd_records", _meddle)
    before = _state()
    result = run_cli("records", "--xml", "x.xml", input="é in", env={"PATH": "/usr/bin", "HOME": "/tmp"},
                     cwd=tmp_path)
    assert _state() == before
    assert _meddle.seen == {"env": {"PATH": "/usr/bin", "HOME": "/tmp"}, "cwd": str(tmp_path), "stdin": "é in",
                            "argv": ["evidence", "records", "--xml", "x.xml"]}
    assert (result.returncode, result.stdout, result.stderr) == (0, "out é in\nbytes\n", "err\n")
    assert result.stdout_bytes == "out é in\nbytes\n".encode("utf-8")
    # env=None: the test's environment, as a child inherits it (and still restored after)
    run_cli("records", "--xml", "x.xml")
    assert _meddle.seen["env"]["CLI_RUNNER_OUTSIDE"] == "1" and _state() == before


def test_an_unexpected_exception_reaches_the_test_and_state_is_restored(monkeypatch, tmp_path):
    def crash(args):
        os.environ["EVIDENCE_MODE"] = "live"
        os.chdir("/")
        print("half a line", file=sys.stderr)
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr(cli, "_cmd_records", crash)
    before = _state()
    with pytest.raises(RuntimeError, match="a bug, not bad input"):
        run_cli("records", "--xml", "x.xml", env={"PATH": "/usr/bin"}, cwd=tmp_path)
    assert _state() == before


@pytest.mark.parametrize("code, returncode, stderr", [(None, 0, ""), (3, 3, ""), ("why", 1, "why\n")])
def test_system_exit_becomes_the_exit_code(monkeypatch, code, returncode, stderr):
    def leave(args):
        raise SystemExit(code)

    monkeypatch.setattr(cli, "_cmd_records", leave)
    result = run_cli("records", "--xml", "x.xml")
    assert (result.returncode, result.stderr) == (returncode, stderr)


def test_an_evidence_error_is_exit_2_and_one_line():
    result = run_cli("records", "--xml", "missing.xml")
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "evidence records: --xml missing.xml: no such file\n")


def test_check_raises_with_stderr():
    with pytest.raises(AssertionError, match="exited 2: evidence records: --xml missing.xml: no such file"):
        run_cli("records", "--xml", "missing.xml", check=True)


def test_warnings_and_log_records_reach_stderr_as_in_a_fresh_interpreter(monkeypatch):
    def noisy(args):
        warnings.warn("shown once", UserWarning)
        warnings.warn("hidden by default", DeprecationWarning)
        logging.getLogger("some.library").warning("a logged warning")
        logging.getLogger("some.library").info("an info record")
        return 0

    monkeypatch.setattr(cli, "_cmd_records", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the test's own filters do not apply inside the call
        result = run_cli("records", "--xml", "x.xml")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert any(line.endswith("UserWarning: shown once") for line in lines), lines
    assert "hidden by default" not in result.stderr
    assert "a logged warning" in lines and "an info record" not in result.stderr


def test_a_hang_fails_after_the_timeout(monkeypatch):
    def hang(args):
        time.sleep(30)
        return 0

    monkeypatch.setattr(cli, "_cmd_records", hang)
    handler = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(CliTimeout, match="still running after 0.2 s"):
        run_cli("records", "--xml", "x.xml", timeout=0.2)
    assert time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_paths_are_accepted_as_arguments(tmp_path):
    result = run_cli("records", "--xml", Path(tmp_path) / "none.xml")
    assert result.returncode == 2 and f"{tmp_path / 'none.xml'}: no such file" in result.stderr

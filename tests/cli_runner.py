"""Run the ``evidence`` command line inside the test process, as a separate process would see it.

``python -m evidence ARGS`` is ``raise SystemExit(evidence.cli.main(ARGS))``. A new interpreter
costs about a second of CPU (Python, then pandas and scipy on import) for a few milliseconds of
work, so most CLI tests call :func:`run_cli` instead: the same ``main``, the same argument
parsing, exit codes and error lines, with what a process would give the test (exit code,
standard output, standard error) and nothing of the call left behind in the test process.

What a call sees, as in a child process (``subprocess.run(..., capture_output=True, text=True)``
in a UTF-8 locale, C.UTF-8 here):

- ``sys.stdout``/``sys.stderr``: fresh UTF-8 pipes (stdout ``surrogateescape``, stderr
  ``backslashreplace``, as Python sets them), not terminals; ``sys.stdin`` holds ``input``
  (empty by default); ``sys.argv`` is ``["evidence", *args]``;
- ``os.environ``: unchanged when ``env`` is None, else exactly ``env`` (keys not in it are
  removed for the call), as ``subprocess.run(env=...)``; ``cwd``: the working folder;
- warnings: Python's default filters, shown on the call's stderr (pytest's own filters and
  recording are set aside for the call);
- logging: the root logger without handlers at WARNING, so a record reaches stderr through
  ``logging.lastResort`` as in a fresh interpreter.

``SystemExit`` (argparse errors, ``--help``, ``--version``) becomes the exit code. Any other
exception leaves ``main`` (which turns ``EvidenceError``, ``ValueError`` and ``OSError`` into
exit 2 itself) and is raised to the test: where a process would print a traceback and exit 1,
the test fails loudly with the traceback instead.

Everything the call changes in the process is restored, even when it raises: the streams,
``sys.argv``, ``sys.path``, the environment, the working folder, the umask, the warnings filters
and ``showwarning``, the root logger's handlers and level, signal handlers, numpy's error
state and matplotlib's rcParams and backend. Modules the command imports stay imported
(``tests/test_cli_imports.py`` checks a fresh process for that).

Not for what only a process shows: what a fresh interpreter imports, signals and kills,
concurrency between processes, a child's own children writing to file descriptors 1 and 2
(``evidence run``'s kernels), network namespaces. Those tests keep ``subprocess``.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import threading
import warnings
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Iterator, Mapping

__all__ = ["CliResult", "CliTimeout", "run_cli"]

# the warnings filters of a fresh Python 3.11 interpreter without -W or PYTHONWARNINGS
# (Python's warnings documentation, "Default Warning Filter")
_DEFAULT_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@dataclass(frozen=True)
class CliResult:
    """What the call gave back; the names of :class:`subprocess.CompletedProcess`."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes
    stderr_bytes: bytes


class CliTimeout(BaseException):
    """The call ran past ``timeout`` (a BaseException: ``main``'s ``except OSError`` must not eat it)."""


def _pipe(data: bytes = b"", *, errors: str) -> io.TextIOWrapper:
    """A text stream over bytes, as Python wraps a pipe: UTF-8, not a terminal, no fileno."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors, write_through=True)


def _bytes_of(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    return stream.buffer.getvalue()


@contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        if env is not None:
            bad = [k for k, v in env.items() if not isinstance(k, str) or not isinstance(v, str)]
            if bad:
                raise TypeError(f"run_cli env: names and values must be str: {bad}")
            os.environ.clear()
            os.environ.update(env)
        yield
    finally:
        if dict(os.environ) != saved:
            os.environ.clear()
            os.environ.update(saved)


@contextmanager
def _folder(cwd: str | os.PathLike | None) -> Iterator[None]:
    saved = os.getcwd()
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        if cwd is not None:
            os.chdir(cwd)
        yield
    finally:
        os.chdir(saved)
        os.umask(umask)


@contextmanager
def _streams(data: bytes, args: tuple[str, ...]) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    saved = sys.stdin, sys.stdout, sys.stderr, sys.argv, list(sys.path)
    out, err = _pipe(errors="surrogateescape"), _pipe(errors="backslashreplace")
    sys.stdin, sys.stdout, sys.stderr = _pipe(data, errors="surrogateescape"), out, err
    sys.argv = ["evidence", *args]
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = saved[:4]
        sys.path[:] = saved[4]


@contextmanager
def _warnings_as_a_process(err: io.TextIOWrapper) -> Iterator[None]:
    with warnings.catch_warnings():  # restores the filters and showwarning on exit
        warnings.resetwarnings()
        for action, category, module in reversed(_DEFAULT_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)

        def show(message, category, filename, lineno, file=None, line=None):
            err.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = show
        yield


@contextmanager
def _root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, disabled = root.handlers[:], root.level, logging.root.manager.disable
    root.handlers[:] = []
    root.setLevel(logging.WARNING)
    logging.disable(logging.NOTSET)
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.disable(disabled)


@contextmanager
def _signals() -> Iterator[None]:
    saved = {}
    for number in signal.valid_signals():
        try:
            saved[number] = signal.getsignal(number)
        except (ValueError, OSError):
            continue
    try:
        yield
    finally:
        for number, handler in saved.items():
            if handler is not None and signal.getsignal(number) is not handler:
                signal.signal(number, handler)


@contextmanager
def _numerics_and_plots() -> Iterator[None]:
    """numpy's error state and matplotlib's rcParams (backend included), when imported."""
    numpy = sys.modules.get("numpy")
    errstate = numpy.geterr() if numpy is not None else None
    mpl = sys.modules.get("matplotlib")
    # dict's own methods: RcParams.__getitem__ would resolve an "auto" backend (importing pyplot)
    params = {k: dict.__getitem__(mpl.rcParams, k) for k in dict.keys(mpl.rcParams)} if mpl is not None else None
    try:
        yield
    finally:
        if errstate is not None:
            numpy.seterr(**errstate)
        if params is not None:
            backend = params.pop("backend")
            if dict.get(mpl.rcParams, "backend") != backend:
                pyplot = sys.modules.get("matplotlib.pyplot")
                if pyplot is not None:  # pyplot holds the backend module: switch it back too
                    pyplot.switch_backend(backend)
                dict.__setitem__(mpl.rcParams, "backend", backend)  # the value as it was (even unresolved)
            # what matplotlib's own rc_context does on exit
            dict.update(mpl.rcParams, params)


@contextmanager
def _deadline(timeout: float | None, args: tuple[str, ...]) -> Iterator[None]:
    """Raise :class:`CliTimeout` in the call after ``timeout`` seconds (SIGALRM, main thread)."""
    if timeout is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("run_cli(timeout=...) needs the main thread (it uses SIGALRM)")

    def expire(signum, frame):
        raise CliTimeout(f"evidence {' '.join(args)}: still running after {timeout} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _exit_code(code: object, err: io.TextIOWrapper) -> int:
    """SystemExit's code as the interpreter turns it into an exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    err.write(f"{code}\n")
    return 1


def run_cli(*args: str | os.PathLike, input: str | bytes | None = None, env: Mapping[str, str] | None = None,
            cwd: str | os.PathLike | None = None, timeout: float | None = None,
            check: bool = False) -> CliResult:
    """``python -m evidence *args`` in this process; see the module docstring.

    Parameters
    ----------
    *args
        The command line after ``evidence`` (paths are turned into str).
    input
        Standard input (text is UTF-8 encoded); empty when omitted.
    env
        The whole environment of the call (as ``subprocess.run``); the current one when omitted.
    cwd
        The working folder of the call.
    timeout
        Seconds after which the call is stopped with :class:`CliTimeout` (a hang fails the test).
    check
        Raise ``AssertionError`` (with stderr) when the exit code is not 0.
    """
    argv = tuple(os.fspath(a) if isinstance(a, os.PathLike) else a for a in args)
    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    from evidence import cli  # the package the tests import (PYTHONPATH), as the child would

    with ExitStack() as stack:
        stack.enter_context(_environment(env))
        stack.enter_context(_folder(cwd))
        stack.enter_context(_signals())
        stack.enter_context(_numerics_and_plots())
        stack.enter_context(_root_logger())
        out, err = stack.enter_context(_streams(data, argv))
        stack.enter_context(_warnings_as_a_process(err))
        stack.enter_context(_deadline(timeout, argv))
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code
        returncode = _exit_code(code, err)
        stdout_bytes, stderr_bytes = _bytes_of(out), _bytes_of(err)
    result = CliResult(argv, returncode, stdout_bytes.decode("utf-8"), stderr_bytes.decode("utf-8"),
                       stdout_bytes, stderr_bytes)
    if check and result.returncode != 0:
        raise AssertionError(f"evidence {' '.join(argv)} exited {result.returncode}: {result.stderr}")
    return result

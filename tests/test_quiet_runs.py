"""Quiet notebook runs and saves (issue 17, item 7).

- ipykernel warns on every start that the kernel "is running over TCP without encryption"
  (ipykernel/kernelapp.py, init_sockets) unless the kernel manager provisions CurveZMQ keys:
  `evidence run` sets jupyter_client's KernelManager.transport_encryption = "auto".
  (nbval sends its kernels' stderr to /dev/null, so `make test` never shows the warning.)
- Saved notebooks carry no execution timestamps: nbclient's record_timing is off for
  `evidence run --store-outputs`, and JupyterLab's recordTiming is off in the shipped settings,
  so a save from JupyterLab adds none either (nbval compares outputs, the timestamps were noise).
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest

from conftest import REPO

WARNING = "running over TCP without encryption"

PROBE = """
import sys
from pathlib import Path
import evidence.run as run
project = run.KERNEL_CONFIG
for policy in sys.argv[2:]:  # one kernel per policy, one after the other; stderr marked between them
    run.KERNEL_CONFIG = project if policy == "project" else {"KernelManager": {"transport_encryption": policy}}
    print(f"=== kernel: {policy}", file=sys.stderr, flush=True)
    book = run.execute_notebook(Path(sys.argv[1]))  # returns once the kernel has exited
    print(policy, book.cells[0].outputs[0]["text"].strip(), flush=True)
"""


def _execute(tmp_path, *policies):
    """Run a one-cell notebook in a kernel per policy, in one process: {policy: (stdout, stderr)}."""
    book = nbformat.v4.new_notebook()
    book.cells.append(nbformat.v4.new_code_cell("print(6 * 7)"))
    path = tmp_path / "tiny.ipynb"
    nbformat.write(book, path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path), *policies], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # each kernel's stderr lies between its marker and the next (a kernel exits before the next starts)
    errs = dict(zip(policies, proc.stderr.split("=== kernel: ")[1:]))
    assert all(errs[p].startswith(p) for p in policies), proc.stderr[-2000:]
    outs = dict(line.split(" ", 1) for line in proc.stdout.strip().splitlines() if line.startswith(policies))
    return {p: (outs.get(p), errs[p]) for p in policies}


@pytest.mark.slow
def test_evidence_run_kernels_are_encrypted_and_quiet(tmp_path):
    runs = _execute(tmp_path, "project", "disabled")
    out, err = runs["project"]
    assert out == "42"
    assert WARNING not in err, err[-2000:]
    # the probe can see the warning: without provisioned keys ipykernel prints it
    out, err = runs["disabled"]
    assert out == "42" and WARNING in err


def test_stored_notebooks_carry_no_execution_timestamps():
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        book = nbformat.read(path, as_version=4)
        timed = [i for i, cell in enumerate(book.cells) if "execution" in cell.get("metadata", {})]
        assert timed == [], f"{path.name}: cells {timed} carry execution timestamps"


def test_jupyterlab_records_no_timing_on_save():
    settings = json.loads((REPO / "jupyter" / "overrides.d" / "evidence.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/notebook-extension:tracker"]["recordTiming"] is False
    # the key is JupyterLab's own (its schema), so the override is not silently ignored
    import jupyterlab

    schemas = os.path.join(os.path.dirname(jupyterlab.__file__), "schemas", "@jupyterlab", "notebook-extension")
    if not os.path.isdir(schemas):
        schemas = os.path.join(sys.prefix, "share", "jupyter", "lab", "schemas", "@jupyterlab", "notebook-extension")
    schema = json.loads(open(os.path.join(schemas, "tracker.json"), encoding="utf-8").read())
    assert "recordTiming" in schema["properties"]

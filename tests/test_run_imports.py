"""A run does not compile grammars it never uses (issue 17, item 6: a cheaper `evidence run`).

nbformat and nbconvert import jsonschema, which imports ``rfc3987_syntax`` (installed with
JupyterLab's jupyter-events) and compiles its IRI grammars: 1.2 s of CPU per process.
:func:`evidence.run._skip_iri_grammars` keeps it out of a process that runs the workbook.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import REPO

PROBE = """
import sys
from evidence import run
run._skip_iri_grammars()
import nbformat, nbconvert
book = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(book)  # notebooks still validate against nbformat's schema
print(repr(sys.modules.get("rfc3987_syntax", "never imported")))
"""


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987_syntax not installed")
def test_a_run_leaves_the_iri_grammars_uncompiled():
    proc = subprocess.run([sys.executable, "-c", PROBE, str(REPO / "notebooks" / "01-search.ipynb")],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "None"  # blocked, so never imported


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987_syntax not installed")
def test_a_process_that_has_jsonschema_keeps_its_checkers():
    import jsonschema  # noqa: F401  (imported first, as in a Jupyter server or a test session)

    from evidence import run

    had = sys.modules.get("rfc3987_syntax", "never imported")
    run._skip_iri_grammars()
    assert sys.modules.get("rfc3987_syntax", "never imported") is had
    assert sys.modules.get("rfc3987_syntax") is not None

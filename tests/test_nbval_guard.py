"""nbval guards the results: change one input number and the result cell (SoF) fails.

nbval runs on the notebook's own cells with their stored outputs, trimmed to those the
summary-of-findings cell needs (the parameters, the settings, the review import, the SoF table):
the forest, risk-of-bias and miner cells in between define nothing it reads, and cost two thirds
of the notebook's run. The whole notebook runs under nbval with the rest of `pytest notebooks`.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import DATA, REPO

NOTEBOOK = REPO / "notebooks" / "04-effects-meta.ipynb"


def _one(cells, test, what):
    found = [c for c in cells if test(c)]
    assert len(found) == 1, f"04-effects-meta.ipynb: expected one {what} cell, found {len(found)}"
    return found[0]


def sof_notebook(folder):
    """The stored notebook with its code cells trimmed to those the SoF cell needs, outputs kept."""
    book = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    keep = [_one(code, lambda c: "parameters" in c.metadata.get("tags", []), "parameters"),
            _one(code, lambda c: "settings = load_settings(" in c.source, "settings"),
            _one(code, lambda c: c.source.startswith("from evidence import review\n"), "review import"),
            _one(code, lambda c: c.source.startswith("sof = review.load_sof(settings)\ncolumns = "), "SoF table")]
    book.cells = keep
    path = folder / NOTEBOOK.name
    nbformat.write(book, path)
    return path


def nbval(notebook, data_dir):
    env = dict(os.environ, EVIDENCE_DATA=str(data_dir), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    env.pop("EVIDENCE_MODE", None)
    # the project's nbval options (pyproject.toml: --nbval, the sanitize file); nbval the only plugin
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "nbval", "-p", "no:cacheprovider",
                           "-c", str(REPO / "pyproject.toml"), str(notebook)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_changing_one_number_fails_the_pooled_result_cell(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("pubmed"))
    notebook = sof_notebook(tmp_path)
    # unchanged copy: the stored outputs still match
    same = nbval(notebook, data)
    assert same.returncode == 0, same.stdout[-3000:]
    assert re.search(r"\b4 passed\b", same.stdout), same.stdout[-3000:]  # every kept cell was compared
    # Endres 2007, headache days vs sham: -1.80 -> -2.40 (still inside its CI, so the row stays valid)
    effects = data / "effects.csv"
    text = effects.read_text(encoding="utf-8")
    changed = re.sub(r"(17955168,Endres 2007,acupuncture_vs_sham,tension_type_headache,headache_days,"
                     r"[^\n]*?,GENERIC_MD,(?:[^,\n]*,){8})-1\.8(0?)(,)", r"\1-2.4\3", text, count=1)
    assert changed != text, "the Endres 2007 row was not found"
    effects.write_text(changed, encoding="utf-8")
    proc = nbval(notebook, data)
    assert proc.returncode != 0
    # the short summary (-ra): "FAILED <node>::Cell N - ..." (the node's path is empty outside the rootdir)
    failed = sorted(set(int(n) for n in re.findall(r"^FAILED \S*::Cell (\d+) ", proc.stdout, flags=re.M)))
    assert failed, proc.stdout[-3000:]
    cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(cells[n]["source"]) for n in failed]
    # Issue 14: Endres 2007's headache days (no stated timepoint) pool with Melchart 2005's
    # (weeks 9-12) under the analysis plan's written rule, so the summary-of-findings cell, where
    # that pooled row is shown, must catch the change.
    assert any("load_sof" in s for s in sources), sources

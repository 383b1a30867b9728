"""nbval guards the results: change one input number and the result cell (SoF) fails."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, REPO

NOTEBOOK = REPO / "notebooks" / "04-effects-meta.ipynb"


def nbval(data_dir):
    env = dict(os.environ, EVIDENCE_DATA=str(data_dir))
    env.pop("EVIDENCE_MODE", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(NOTEBOOK)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_changing_one_number_fails_the_pooled_result_cell(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("pubmed"))
    # unchanged copy: the stored outputs still match
    same = nbval(data)
    assert same.returncode == 0, same.stdout[-3000:]
    # Endres 2007, headache days vs sham: -1.80 -> -2.40 (still inside its CI, so the row stays valid)
    effects = data / "effects.csv"
    text = effects.read_text(encoding="utf-8")
    changed = re.sub(r"(17955168,Endres 2007,acupuncture_vs_sham,tension_type_headache,headache_days,"
                     r"[^\n]*?,GENERIC_MD,(?:[^,\n]*,){8})-1\.8(0?)(,)", r"\1-2.4\3", text, count=1)
    assert changed != text, "the Endres 2007 row was not found"
    effects.write_text(changed, encoding="utf-8")
    proc = nbval(data)
    assert proc.returncode != 0
    failed = sorted(set(int(n) for n in re.findall(r"04-effects-meta\.ipynb::Cell (\d+)", proc.stdout)))
    assert failed, proc.stdout[-3000:]
    cells = [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(cells[n]["source"]) for n in failed]
    # Issue 14: Endres 2007's headache days (no stated timepoint) pool with Melchart 2005's
    # (weeks 9-12) under the analysis plan's written rule, so the summary-of-findings cell, where
    # that pooled row is shown, must catch the change.
    assert any("load_sof" in s for s in sources), sources

"""`evidence --help` imports no heavy module (issue 17, item 6).

The command line imports pandas, scipy, matplotlib and the review only inside the subcommands
that need them, so `--help` (and a bad option) answers at once. What a fresh interpreter holds
in sys.modules after `--help` is checked here; the time itself is measured in the README
("Timings"), not asserted.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "seaborn", "yaml", "Bio", "nbclient", "nbconvert",
         "tqdm", "evidence.review", "evidence.report", "evidence.records", "evidence.pubmed",
         "evidence.snapshot", "evidence.settings")

PROBE = """
import json, sys
from evidence import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("claims", "--help"), ("run", "--help"),
                                  ("records", "--help"), ("meta", "--help"), ("fetch", "--help")])
def test_help_imports_nothing_heavy(args):
    loaded = modules_after(*args)
    assert "evidence.cli" in loaded
    heavy = sorted(name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY)
    assert heavy == [], f"`evidence {' '.join(args)}` imported {heavy}"


def test_a_subcommand_still_imports_what_it_needs(tmp_path):
    # the probe is able to see a heavy import: `meta` on a CSV loads the pooling code (and numpy)
    data = tmp_path / "g.csv"
    data.write_text("study,yi,vi\na,0.1,0.01\nb,0.3,0.02\n")
    loaded = modules_after("meta", "--input", str(data), "--measure", "GENERIC", "--method", "FE")
    assert "evidence.meta" in loaded and "numpy" in loaded

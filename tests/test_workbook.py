"""`evidence init DIR`: a writable copy of the notebooks and data (issue 17, item 5)."""

import json
import os
import subprocess
import sys

from conftest import REPO


def evidence(*args, env=None, cwd=None):
    environ = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    for name in ("EVIDENCE_MODE", "EVIDENCE_DATA", "EVIDENCE_SNAPSHOT"):
        if name not in (env or {}):
            environ.pop(name, None)
    return subprocess.run([sys.executable, "-m", "evidence", *args], capture_output=True, text=True,
                          env=environ, cwd=cwd, timeout=300)


def test_init_copies_the_workbook_and_the_copy_runs_the_review(tmp_path):
    dest = tmp_path / "book"
    proc = evidence("init", str(dest))
    assert proc.returncode == 0, proc.stderr
    assert f"EVIDENCE_DATA={dest / 'data'}" in proc.stderr
    for folder, pattern in (("notebooks", "[0-9][0-9]-*.ipynb"), ("data", "**/*")):
        for path in (REPO / folder).glob(pattern):
            if path.is_file() and path.name != ".manifest.lock":
                copied = dest / path.relative_to(REPO)
                assert copied.read_bytes() == path.read_bytes(), copied
    # the copy is a whole workbook: the review reads every data file from it
    claims = evidence("claims", "--format", "json",
                      env={"EVIDENCE_DATA": str(dest / "data"), "EVIDENCE_SNAPSHOT": str(dest / "data" / "pubmed")})
    assert claims.returncode == 0, claims.stderr
    assert len(json.loads(claims.stdout)) == len(json.loads(evidence("claims", "--format", "json").stdout))


def test_init_replaces_nothing(tmp_path):
    (tmp_path / "mine.txt").write_text("kept")
    proc = evidence("init", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "is a folder with files in it" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
    (tmp_path / "file").write_text("x")
    assert evidence("init", str(tmp_path / "file")).returncode == 2

"""``evidence run`` replaces its report whole or not at all (issue 15, item 2).

A run is killed with a real SIGKILL at two moments (while the notebooks run, and after the new
tables are written but before index.html); the previous report must stay exactly as it was,
and the next run must leave no temporary file or folder behind. To keep the test fast, the
notebooks' execution is replaced (in the child process only) by returning each notebook as it
is stored, and the run takes the first three notebooks (the pause in the notebooks is in the
third, after two pages are written); the review chain, the report writers (every table, figure
and both pages) and the swap are the real ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from evidence.errors import EvidenceError
from evidence.run import check_replaceable, swap_in

REPO = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import sys, time, pathlib
    import nbformat
    from evidence import run

    out, marker, pause = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]

    def stored_notebook(path, **kwargs):  # no kernel: the notebook as committed
        if pause == "notebooks" and path.name.startswith("03-"):
            marker.write_text("in notebooks")
            time.sleep(600)
        return nbformat.read(path, as_version=4)

    real_index = run.write_index

    def paused_index(folder, review, **kwargs):  # the new tables and figures are written by now
        if pause == "index":
            marker.write_text("before index")
            time.sleep(600)
        return real_index(folder, review, **kwargs)

    real_notebooks = run.notebooks
    run.notebooks = lambda *args: real_notebooks(*args)[:3]  # 01, 02, 03: exported as run does
    run.execute_notebook = stored_notebook
    run.write_index = paused_index
    run.run_workbook(out, progress=False)
""")


def _run(out: Path, marker: Path, pause: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), EVIDENCE_MODE="replay")
    env.pop("EVIDENCE_SNAPSHOT", None)
    env.pop("EVIDENCE_DATA", None)
    return subprocess.Popen([sys.executable, "-c", CHILD, str(out), str(marker), pause], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _kill_at(out: Path, marker: Path, pause: str) -> None:
    proc = _run(out, marker, pause)
    try:
        for _ in range(1200):  # wait (up to 120 s) for the child to reach the pause
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), f"the run never reached the pause: {proc.communicate()[1][-500:]}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    marker.unlink()


@pytest.fixture(scope="module")
def earlier_report(tmp_path_factory):
    """A previous report: files a run would write, with recognisable old content."""
    out = tmp_path_factory.mktemp("atomic") / "reports"
    for name in ("index.html", "notebooks/01-search.html", "tables/records.csv", "tables/screening.csv",
                 "figures/prisma_flow.png"):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"OLD {name}\n".encode())
    return out


@pytest.mark.parametrize("pause", ["notebooks", "index"])
def test_a_killed_run_leaves_the_previous_report_untouched(earlier_report, pause):
    before = _tree(earlier_report)
    _kill_at(earlier_report, earlier_report.parent / f"marker-{pause}", pause)
    assert _tree(earlier_report) == before  # no new table beside the old index.html


def test_the_next_run_replaces_the_report_whole_and_leaves_no_temporary_files(earlier_report):
    # killed while the notebooks run (cheaper than at the index, which the test above covers): its
    # temporary folder, with the first notebook pages in it, is left for the next run to remove
    _kill_at(earlier_report, earlier_report.parent / "marker", "notebooks")
    leftovers = [p.name for p in earlier_report.parent.iterdir() if p.name.startswith(".")]
    assert leftovers, "the killed run should have left its temporary folder (the case the rerun cleans)"
    proc = _run(earlier_report, earlier_report.parent / "marker", "none")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    tree = _tree(earlier_report)
    assert not any(content.startswith(b"OLD ") for content in tree.values())  # nothing of the old one
    assert "index.html" in tree and any(name.startswith("tables/") for name in tree)
    assert not [p.name for p in earlier_report.parent.iterdir() if p.name.startswith(".")]
    assert not [name for name in tree if name.endswith(".tmp") or "/." in f"/{name}"]


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_swap(tmp_path):
    out = tmp_path / "reports"
    (out / "tables").mkdir(parents=True)
    (out / "index.html").write_text("old")
    # the state a kill leaves between the renames of swap_in: the old report set aside, none in place
    aside = tmp_path / ".reports.x1.old"
    aside.mkdir()
    os.rename(out, aside / "report")
    from evidence.run import _clean_leftovers  # the first step of run_workbook

    _clean_leftovers(out)
    assert (out / "index.html").read_text() == "old" and (out / "tables").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_swap_in_replaces_whole_and_keeps_nothing_of_the_old(tmp_path):
    out, new = tmp_path / "r", tmp_path / ".r.new.tmp"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "gone.csv").write_text("old")
    (new / "tables").mkdir(parents=True)
    (new / "index.html").write_text("new")
    swap_in(new, out)
    assert _tree(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    (tmp_path / "thesis.docx").write_text("mine")
    with pytest.raises(EvidenceError, match=r"holds files that are not a report \(thesis.docx\)"):
        check_replaceable(tmp_path)
    check_replaceable(tmp_path / "new")  # absent: fine
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty")

"""File and option errors on the command line: one line, exit 2, no traceback (issue 10, items 8, 12)."""

from pathlib import Path

import pytest

from evidence import cli

from cli_runner import run_cli
from conftest import SNAPSHOT
from fake_eutils import FakeEutils, redirect_entrez

XML = str(SNAPSHOT / "records.xml")


def evidence(*args, env=None):
    # in this process (tests/cli_runner.py), in the same bare environment a child got; real
    # processes: test_records' malformed XML, test_replay's fetch miss, test_run_errors' run
    proc = run_cli(*args, env={"PATH": "/usr/bin:/bin", **(env or {})}, timeout=300)
    return proc.returncode, proc.stderr


def assert_clean(code, err, *expected):
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for text in expected:
        assert text in err, err


def test_records_out_to_a_folder(tmp_path):
    assert_clean(*evidence("records", "--xml", XML, "--out", str(tmp_path)),
                 f"evidence records: --out {tmp_path}: is a folder; give a file name")


def test_records_out_into_a_missing_folder(tmp_path):
    target = tmp_path / "no" / "x.csv"
    assert_clean(*evidence("records", "--xml", XML, "--out", str(target)),
                 f"--out {target}: the folder {target.parent} does not exist; create it first")
    assert not target.parent.exists()


def test_records_out_under_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    assert_clean(*evidence("records", "--xml", XML, "--out", str(tmp_path / "f" / "x.csv")), "is a file, not a folder")


def test_fetch_out_to_a_folder_fails_before_fetching(tmp_path):
    assert_clean(*evidence("fetch", "--pmids", "9758075", "--out", str(tmp_path)), "evidence fetch: --out", "is a folder")


def test_run_out_a_file_fails_at_once(tmp_path):
    (tmp_path / "f").write_text("x")
    assert_clean(*evidence("run", "--out", str(tmp_path / "f")), "evidence run: --out", "is a file")
    assert_clean(*evidence("run", "--out", str(tmp_path / "f" / "sub")), "cannot be created", "is a file")


def test_record_mode_with_a_read_only_snapshot_fails_before_fetching(tmp_path, env, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").write_bytes(b"")
        (folder / "probe").unlink()
        folder = Path("/sys/kernel/evidence-snapshot")  # root ignores permission bits: a read-only file system
    except OSError:
        pass
    env.setenv("EVIDENCE_MODE", "record")
    env.setenv("NCBI_EMAIL", "t@example.org")
    env.setenv("EVIDENCE_SNAPSHOT", str(folder))
    with FakeEutils.synthetic(3) as fake, redirect_entrez(fake):
        code = cli.main(["fetch", "--pmids", "1000001"])
        assert fake.arrivals.snapshot() == []
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "the snapshot is not writable" in err and "nothing was fetched" in err


@pytest.mark.parametrize("kind", [PermissionError(13, "Permission denied", "/x/y.csv"),
                                  IsADirectoryError(21, "Is a directory", "/x"),
                                  OSError(28, "No space left on device", "/x/y.csv")])
def test_any_file_error_in_a_command_is_one_line(monkeypatch, capsys, kind):
    def fail(args):
        raise kind

    monkeypatch.setattr(cli, "_cmd_records", fail)
    assert cli.main(["records", "--xml", XML]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evidence records: /x") and err.count("\n") == 1


@pytest.mark.parametrize("args, expected", [
    (["--mindate", "abc", "--maxdate", "2024"], "argument --mindate: 'abc' is not a date: give YYYY, YYYY/MM or YYYY/MM/DD"),
    (["--mindate", "2020", "--maxdate", "2020/13"], "argument --maxdate: '2020/13' is not a date: month must be in 1..12"),
    (["--mindate", "9" * 23, "--maxdate", "2024"], "argument --mindate: '999"),
])
def test_date_options_are_named(args, expected):
    assert_clean(*evidence("fetch", "--term", "neck pain", *args), expected)


def test_batch_option_is_named():
    assert_clean(*evidence("fetch", "--pmids", "9758075", "--batch", "0"),
                 "argument --batch: '0' is not a whole number from 1 to 9999")


@pytest.mark.parametrize("args, expected", [
    (["--pmids", ""], "evidence fetch: --pmids: '' is not a PMID"),
    (["--pmids", "12,abc"], "evidence fetch: --pmids: 'abc' is not a PMID"),
    (["--term", " "], "evidence fetch: --term is empty"),
    (["--term", "x", "--mindate", "2024", "--maxdate", "2020"], "--mindate 2024 is after --maxdate 2020"),
    (["--term", "x", "--mindate", "2020"], "--mindate and --maxdate go together"),
])
def test_fetch_option_errors_name_the_option(args, expected):
    assert_clean(*evidence("fetch", *args), expected)


def test_an_empty_xml_file_is_called_empty(tmp_path):
    (tmp_path / "e.xml").write_bytes(b"")
    assert_clean(*evidence("records", "--xml", str(tmp_path / "e.xml")),
                 f"{tmp_path / 'e.xml'}: no XML root element (the file is empty or not XML)")


def test_fetch_in_batches_replays_per_record_and_prints_no_bar_when_captured(env, capsys, no_network):
    from evidence.snapshot import Snapshot

    pmids = ",".join(Snapshot(SNAPSHOT).seed_pmids())
    assert cli.main(["fetch", "--pmids", pmids, "--batch", "20"]) == 0
    assert capsys.readouterr().err == "efetch: 45 records in 3 batch(es) (replay)\n"


import pytest

from evidence.errors import EvidenceError, SettingsError
from evidence.settings import REPO_ROOT, load_settings


def test_defaults_are_replay_and_repo_paths(env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths must not depend on the current folder
    s = load_settings()
    assert s.mode == "replay"
    assert s.snapshot_dir == REPO_ROOT / "data" / "pubmed"
    assert s.data_dir == REPO_ROOT / "data"
    assert (s.snapshot_dir / "manifest.json").exists()
    assert s.requests_per_second == 3


def test_live_modes_need_an_email(env):
    for mode in ("record", "live"):
        env.setenv("EVIDENCE_MODE", mode)
        with pytest.raises(SettingsError, match="NCBI_EMAIL"):
            load_settings()
    env.setenv("NCBI_EMAIL", "someone@example.org")
    assert load_settings().mode == "live"


def test_unknown_mode_is_named(env):
    env.setenv("EVIDENCE_MODE", "offline")
    with pytest.raises(SettingsError, match="'offline'.*replay, record, live"):
        load_settings()


def test_settings_errors_are_evidence_errors_and_value_errors(env):
    env.setenv("EVIDENCE_MODE", "nope")
    with pytest.raises(EvidenceError):
        load_settings()
    with pytest.raises(ValueError):
        load_settings()


def test_paths_from_environment(env, tmp_path):
    env.setenv("EVIDENCE_SNAPSHOT", str(tmp_path / "snap"))
    env.setenv("EVIDENCE_DATA", str(tmp_path / "data"))
    s = load_settings()
    assert s.snapshot_dir == tmp_path / "snap"
    assert s.data_dir == tmp_path / "data"


def test_relative_paths_are_refused(env):
    env.setenv("EVIDENCE_DATA", "data")
    with pytest.raises(SettingsError, match="EVIDENCE_DATA='data' is a relative path"):
        load_settings()


def test_api_key_raises_rate_and_hides_from_repr(env):
    env.setenv("EVIDENCE_MODE", "live")
    env.setenv("NCBI_EMAIL", "someone@example.org")
    env.setenv("NCBI_API_KEY", "abcdef0123456789abcdef0123456789ab")
    s = load_settings()
    assert s.requests_per_second == 10
    assert "abcdef0123" not in repr(s)


def test_bad_email_is_refused(env):
    env.setenv("EVIDENCE_MODE", "record")
    env.setenv("NCBI_EMAIL", "not-an-address")
    with pytest.raises(SettingsError, match="not an e-mail address"):
        load_settings()


def test_overrides_win(env):
    env.setenv("EVIDENCE_MODE", "record")
    env.setenv("NCBI_EMAIL", "someone@example.org")
    assert load_settings(mode="replay").mode == "replay"
    with pytest.raises(TypeError):
        load_settings(colour="blue")

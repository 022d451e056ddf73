"""MeldingConfig: defaults, the lead's config mapping, environment, pepper handling."""
from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from actions.meldingen.config import ConfigError, MeldingConfig


def test_defaults_put_everything_in_data_dir(tmp_path):
    cfg = MeldingConfig(data_dir=tmp_path)
    assert cfg.url() == f"sqlite:///{tmp_path.as_posix()}/meldingen.db"
    assert cfg.keyring_path() == tmp_path / "keyring"


def test_from_mapping_resolves_relative_paths_and_overrides(tmp_path):
    pepper = base64.b64encode(b"p" * 32).decode()
    cfg = MeldingConfig.from_mapping({"data_dir": "var", "database_url": None,
                                      "meldingen": {"keyring_dir": "keys", "pepper": pepper,
                                                    "retention_days": {"agressie": 30},
                                                    "argon2": {"time_cost": 2, "memory_kib": 2048,
                                                               "parallelism": 1}}}, tmp_path)
    assert cfg.data_dir == tmp_path / "var" and cfg.keyring_path() == tmp_path / "keys"
    assert cfg.url().endswith("/var/meldingen.db")
    assert cfg.resolve_pepper() == b"p" * 32
    assert cfg.retention_days == {"agressie": 30} and cfg.argon2.time_cost == 2
    assert MeldingConfig.from_mapping({"database_url": "postgresql://x/y"}, tmp_path).url() == "postgresql://x/y"


def test_pepper_file_is_created_once_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("REGELWIJS_MELDINGEN__PEPPER", raising=False)
    a = MeldingConfig(data_dir=tmp_path).resolve_pepper()
    b = MeldingConfig(data_dir=tmp_path).resolve_pepper()
    assert a == b and len(a) >= 32
    assert stat.S_IMODE((tmp_path / "meldingen.pepper").stat().st_mode) == 0o600
    with pytest.raises(ConfigError):
        MeldingConfig(data_dir=tmp_path / "leeg").resolve_pepper(create=False)


def test_pepper_from_env_and_too_short(tmp_path, monkeypatch):
    monkeypatch.setenv("REGELWIJS_MELDINGEN__PEPPER", base64.b64encode(b"e" * 40).decode())
    assert MeldingConfig(data_dir=tmp_path).resolve_pepper() == b"e" * 40
    monkeypatch.setenv("REGELWIJS_MELDINGEN__PEPPER", base64.b64encode(b"kort").decode())
    with pytest.raises(ConfigError):
        MeldingConfig(data_dir=tmp_path).resolve_pepper()


def test_from_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REGELWIJS_DATA_DIR", "data")
    monkeypatch.setenv("REGELWIJS_MELDINGEN__KEYRING_DIR", "/etc/regelwijs/keyring")
    cfg = MeldingConfig.from_env()
    assert cfg.data_dir == Path(tmp_path) / "data" and cfg.keyring_path() == Path("/etc/regelwijs/keyring")
    monkeypatch.setenv("REGELWIJS_MELDINGEN__DATABASE_URL", "sqlite:///x.db")
    assert MeldingConfig.from_env().url() == "sqlite:///x.db"

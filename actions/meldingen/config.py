"""Configuration of the meldingen store.

The lead's ``config.yml`` feeds :class:`MeldingConfig` through :meth:`MeldingConfig.from_mapping`; the handler CLI,
which runs on a different machine than the bot, builds it from the environment with :meth:`MeldingConfig.from_env`.

Why the pepper matters: receipt codes are found through ``HMAC-SHA256(pepper, code)`` and idempotency keys are
stored as an HMAC too (see ``receipts.py`` and ``store.py``). Losing the pepper makes every outstanding receipt code
useless, so it must be backed up with the database, but never stored *in* the database.
"""
from __future__ import annotations

import base64
import binascii
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

log = logging.getLogger(__name__)

ENV_PREFIX = "REGELWIJS_"
PEPPER_FILE = "meldingen.pepper"
MIN_PEPPER_BYTES = 32


class ConfigError(RuntimeError):
    """The meldingen configuration is incomplete or invalid."""


@dataclass(frozen=True)
class Argon2Params:
    """Cost parameters for Argon2id, used both for the receipt hash and for the receipt-derived key.

    The defaults follow argon2-cffi's RFC 9106 "low memory" profile (t=3, m=64 MiB). Tests lower them so that
    hundreds of submissions fit in seconds; the parameters used are stored with every receipt, so changing them
    later does not break old receipts.
    """

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    def to_dict(self) -> dict[str, int]:
        return {"time_cost": self.time_cost, "memory_kib": self.memory_kib, "parallelism": self.parallelism}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Argon2Params":
        return cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))


#: Cheap parameters for tests only (about a millisecond per hash).
TEST_ARGON2 = Argon2Params(time_cost=1, memory_kib=1024, parallelism=1)


@dataclass
class MeldingConfig:
    """Everything the meldingen store needs.

    ``database_url`` None means ``sqlite:///<data_dir>/meldingen.db``. ``keyring_dir`` None means
    ``<data_dir>/keyring``: a directory with ``<role>.pub`` files (public keys only). ``pepper`` None means: the
    environment variable ``REGELWIJS_MELDINGEN__PEPPER`` (base64), else the file ``<data_dir>/meldingen.pepper``,
    created with mode 0600 on first use. ``retention_days`` overrides the per-type defaults of ``types.yml``.
    """

    database_url: str | None = None
    data_dir: Path = Path("var")
    keyring_dir: Path | None = None
    pepper: bytes | None = None
    retention_days: Mapping[str, int] = field(default_factory=dict)
    argon2: Argon2Params = field(default_factory=Argon2Params)
    timezone: str = "Europe/Amsterdam"
    #: How long after submission a lost receipt may be re-issued (see ``MeldingStore.reissue_receipt``).
    reissue_window_seconds: int = 3600

    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(Path(self.data_dir) / 'meldingen.db').as_posix()}"

    def keyring_path(self) -> Path:
        return Path(self.keyring_dir) if self.keyring_dir else Path(self.data_dir) / "keyring"

    def resolve_pepper(self, *, create: bool = True) -> bytes:
        """Return the server pepper; create a random one in ``data_dir`` if none is configured."""
        if self.pepper is not None:
            return _check_pepper(self.pepper)
        env = os.environ.get(f"{ENV_PREFIX}MELDINGEN__PEPPER")
        if env:
            return _check_pepper(_decode_b64(env, "REGELWIJS_MELDINGEN__PEPPER"))
        path = Path(self.data_dir) / PEPPER_FILE
        if not path.exists():
            if not create:
                raise ConfigError(f"geen pepper gevonden ({path})")
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process won the race; read theirs
                pass
            else:
                with os.fdopen(fd, "w") as fh:
                    fh.write(base64.b64encode(os.urandom(MIN_PEPPER_BYTES)).decode() + "\n")
                log.warning("nieuwe pepper aangemaakt in %s: maak er een back-up van", path)
        self.pepper = _check_pepper(_decode_b64(path.read_text().strip(), str(path)))
        return self.pepper

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base_dir: Path | str = ".") -> "MeldingConfig":
        """Build from the lead's config (top-level ``data_dir``/``database_url`` plus an optional ``meldingen`` block).

        Relative paths are resolved against ``base_dir`` (the folder of ``config.yml``).
        """
        base = Path(base_dir)
        block: Mapping[str, Any] = data.get("meldingen") or {}
        data_dir = _resolve(base, block.get("data_dir") or data.get("data_dir") or "var")
        keyring = block.get("keyring_dir")
        pepper = block.get("pepper")
        argon = block.get("argon2")
        return cls(
            database_url=block.get("database_url") or data.get("database_url"),
            data_dir=data_dir,
            keyring_dir=_resolve(base, keyring) if keyring else None,
            pepper=_decode_b64(pepper, "meldingen.pepper") if pepper else None,
            retention_days={str(k): int(v) for k, v in (block.get("retention_days") or {}).items()},
            argon2=Argon2Params.from_dict(argon) if argon else Argon2Params(),
            reissue_window_seconds=int(block.get("reissue_window_seconds", 3600)),
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "MeldingConfig":
        """Build from ``REGELWIJS_*`` variables (the convention of ``config.yml``: dots become ``__``)."""
        env = os.environ if environ is None else environ
        data: dict[str, Any] = {"data_dir": env.get(f"{ENV_PREFIX}DATA_DIR", "var"),
                                "database_url": env.get(f"{ENV_PREFIX}DATABASE_URL")}
        block: dict[str, Any] = {}
        for key in ("database_url", "keyring_dir"):
            value = env.get(f"{ENV_PREFIX}MELDINGEN__{key.upper()}")
            if value:
                block[key] = value
        data["meldingen"] = block
        return cls.from_mapping(data, Path.cwd())


def _resolve(base: Path, value: str | os.PathLike[str]) -> Path:
    p = Path(value)
    return p if p.is_absolute() else base / p


def _decode_b64(value: str | bytes, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError(f"{what}: geen geldige base64") from exc


def _check_pepper(pepper: bytes) -> bytes:
    if len(pepper) < MIN_PEPPER_BYTES:
        raise ConfigError(f"pepper moet minstens {MIN_PEPPER_BYTES} bytes zijn")
    return pepper

"""Helpers for tests of the meldingen store (no pytest import here; the test files build fixtures on these).

PostgreSQL isolation: every test run gets its own schema (``mt_<random>``) selected through ``search_path`` in the
URL, and the schema is dropped afterwards, so parallel runs on the shared ``test`` database do not collide.
"""
from __future__ import annotations

import base64
import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, text

from .config import TEST_ARGON2, MeldingConfig
from .crypto import HandlerKey, generate_role_keys, load_handler_key

PG_URL = os.environ.get("REGELWIJS_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
ROLES = ("integriteitscoordinator", "arbo", "vertrouwenspersoon")


def pg_unavailable_reason(url: str = PG_URL) -> str | None:
    """None if PostgreSQL answers, else a human-readable reason to skip."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip with this reason"
        return f"PostgreSQL niet bereikbaar op {url.split('@')[-1]}: {type(exc).__name__}: {str(exc).strip()[:200]}"


@contextmanager
def pg_schema(url: str = PG_URL) -> Iterator[str]:
    """Create a unique schema; yield a URL whose connections use it; drop it afterwards."""
    name = f"mt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@dataclass
class KeySet:
    keyring_dir: Path
    private_dir: Path

    def handler_key(self, role: str) -> HandlerKey:
        return load_handler_key(self.private_dir / f"{role}.key")


def make_keys(base: Path, roles: tuple[str, ...] = ROLES) -> KeySet:
    """Key pairs for every role; public keys in ``keyring/``, private keys apart in ``private/`` (as in production)."""
    private, keyring = base / "private", base / "keyring"
    keyring.mkdir(parents=True, exist_ok=True)
    for role in roles:
        _, pub, _ = generate_role_keys(role, private)
        (keyring / pub.name).write_bytes(pub.read_bytes())
    return KeySet(keyring, private)


def test_config(url: str, keys: KeySet, data_dir: Path) -> MeldingConfig:
    return MeldingConfig(database_url=url, data_dir=data_dir, keyring_dir=keys.keyring_dir,
                         pepper=base64.b64decode(base64.b64encode(os.urandom(32))), argon2=TEST_ARGON2)


test_config.__test__ = False  # type: ignore[attr-defined]  # not a pytest test

__all__ = ["KeySet", "PG_URL", "ROLES", "make_keys", "pg_schema", "pg_unavailable_reason", "test_config"]

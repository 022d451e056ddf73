"""The meldingen store as the dialogue sees it: one lazily opened :class:`MeldingStore` per configuration.

The bot holds **public keys only** (``<keyring>/<role>.pub``). When a role's public key is missing the flow says so
and stores nothing; generating key pairs is a handler task (``regelwijs keys generate --role ROLE``), and
:func:`generate_dev_keys` exists only for development and tests.

Logging: references, types and exception *types* only — never field values, identities, codes or message texts.
"""
from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from actions.meldingen import Keyring, KeyringError, MeldingConfig, MeldingStore

log = logging.getLogger(__name__)

_lock = threading.Lock()
_stores: dict[tuple, MeldingStore] = {}
_warned: set[tuple[str, str]] = set()
ROLES = ("integriteitscoordinator", "arbo", "vertrouwenspersoon")


def melding_config(config: Any | None = None) -> MeldingConfig:
    """The meldingen configuration derived from the assistant's ``config.yml`` (with environment overrides)."""
    if config is None:
        from actions.services import get_assistant

        config = get_assistant().config
    raw = dict(config.raw or {})
    raw["data_dir"] = str(config.data_dir)
    raw["database_url"] = config.get("database_url")
    raw["meldingen"] = config.get("meldingen") or {}
    return MeldingConfig.from_mapping(raw, config.base_dir)


def _key(mc: MeldingConfig) -> tuple:
    return (mc.url(), str(mc.keyring_path()), str(mc.data_dir), mc.pepper, mc.argon2, mc.timezone,
            mc.reissue_window_seconds)


def get_store(config: Any | None = None) -> MeldingStore:
    """The store for this configuration, opened (and migrated) once per process."""
    mc = melding_config(config)
    key = _key(mc)
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = MeldingStore.open(mc)
            _stores[key] = store
        return store


def reset_stores() -> None:
    """Close every cached store (tests)."""
    with _lock:
        for store in _stores.values():
            store.dispose()
        _stores.clear()
        _codes.clear()


def role_ready(role: str, config: Any | None = None) -> bool:
    """Whether the bot has the public key of ``role``; logs how to fix it once per keyring when it has not."""
    mc = melding_config(config)
    try:
        Keyring(mc.keyring_path()).public_key(role)
        return True
    except KeyringError:
        mark = (str(mc.keyring_path()), role)
        if mark not in _warned:
            _warned.add(mark)
            log.warning("meldingen voor rol %s kunnen niet worden ontvangen: geen publieke sleutel in %s; voer "
                        "`regelwijs keys generate --role %s` uit en zet %s.pub in die map", role, mc.keyring_path(),
                        role, role)
        return False


def generate_dev_keys(config: Any | None = None, roles: tuple[str, ...] = ROLES) -> Path:
    """DEVELOPMENT/TESTS ONLY: make key pairs in ``<data_dir>/keys/`` and copy the public keys into the keyring.

    In production the handler generates the pair on their own machine and only ``ROLE.pub`` reaches the bot.
    Existing keys are left alone. Returns the folder with the private keys.
    """
    from actions.meldingen import generate_role_keys

    mc = melding_config(config)
    private = Path(mc.data_dir) / "keys"
    ring = mc.keyring_path()
    ring.mkdir(parents=True, exist_ok=True)
    for role in roles:
        if not (private / f"{role}.key").exists():
            generate_role_keys(role, private)
        if not (ring / f"{role}.pub").exists():
            shutil.copyfile(private / f"{role}.pub", ring / f"{role}.pub")
    return private


# -- receipt codes during a status conversation: in memory only, never in the conversation state
_codes: dict[str, tuple[str, float]] = {}
CODE_TTL_SECONDS = 15 * 60


def remember_code(sender_id: str, digits: str) -> None:
    with _lock:
        _codes[sender_id] = (digits, time.monotonic() + CODE_TTL_SECONDS)


def recall_code(sender_id: str) -> str | None:
    with _lock:
        item = _codes.get(sender_id)
        if item is None:
            return None
        if item[1] < time.monotonic():
            _codes.pop(sender_id, None)
            return None
        return item[0]


def forget_code(sender_id: str) -> None:
    with _lock:
        _codes.pop(sender_id, None)


__all__ = ["ROLES", "forget_code", "generate_dev_keys", "get_store", "melding_config", "recall_code",
           "remember_code", "reset_stores", "role_ready"]

"""Who is talking: pseudonymised sender ids and the gemeente per channel or tenant.

Raw channel ids (a Telegram user id, an Entra object id, a web session id) are personal
data. They are replaced by ``<channel>:<HMAC-SHA256>`` before anything reaches the
runtime, the state store or a log, so a leaked database cannot be joined back to a
person without the key. The key comes from ``REGELWIJS_SENDER_KEY`` or from a file
``<data_dir>/sender.key`` created once with mode 0600; the same key must be kept across
restarts or every conversation starts fresh.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEY_ENV = "REGELWIJS_SENDER_KEY"
KEY_FILE = "sender.key"


def load_or_create_key(data_dir: Path) -> bytes:
    """The HMAC key: from the environment, else the key file (created 0600 if absent)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = Path(data_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning("sender key file was readable by others (mode %o); tightening to 0600", mode)
            os.chmod(path, 0o600)
        return path.read_text(encoding="ascii").strip().encode("ascii")
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    log.info("created a new sender key in %s", path)
    return path.read_text(encoding="ascii").strip().encode("ascii")


class Pseudonymizer:
    """Maps (channel, raw id) to a stable, non-reversible sender id."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("empty sender key")
        self._key = key

    def sender(self, channel: str, raw_id: Any) -> str:
        digest = hmac.new(self._key, f"{channel}\x00{raw_id}".encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{channel}:{digest[:40]}"


def gemeente_for(config: Any, channel: str, known: list[str], tenant_id: str | None = None,
                 requested: str | None = None) -> str | None:
    """The gemeente to pass in ``metadata``: tenant map > per-request choice > channel default.

    ``None`` means "let the runtime use the configured default". Unknown names are
    ignored (logged) rather than trusted: a client cannot invent a gemeente.
    """
    from bot.assistant import canonical_gemeente

    if tenant_id:
        tenants = config.get(f"channels.{channel}.tenants", {}) or {}
        g = canonical_gemeente(tenants.get(tenant_id), known)
        if g:
            return g
    for cand in (requested, config.get(f"channels.{channel}.gemeente")):
        if cand:
            g = canonical_gemeente(str(cand), known)
            if g:
                return g
            log.warning("ignoring unknown gemeente for channel %s", channel)
    return None


def language_of_locale(locale: str | None) -> str | None:
    """'en' or 'nl' from a client's locale ("en-US", "nl-NL", Telegram's "en"), else None.

    The channel's language setting: used when a message's words do not tell (a greeting,
    a figure); the words still win (:mod:`bot.runtime`)."""
    lang = str(locale or "").strip().lower()[:2]
    return lang if lang in ("nl", "en") else None

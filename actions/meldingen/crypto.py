"""Encryption of melding content (PyNaCl).

Model (as in GlobaLeaks):

* Every handler role (``integriteitscoordinator``, ``arbo``, ``vertrouwenspersoon``) has an X25519 key pair. The bot
  holds only the public keys (a keyring directory with ``<role>.pub``); content is sealed with
  :class:`nacl.public.SealedBox`, so the bot can write a melding but cannot read it back. The private key
  (``<role>.key``, mode 0600) stays with the handler and is used only by the handler CLI.
* Every melding also gets a *reporter* key pair. Its private half is stored encrypted with a
  :class:`nacl.secret.SecretBox` whose key is ``Argon2id(receipt code, salt)``; handler replies are sealed to the
  reporter's public key. So only the holder of the receipt code can read replies, and the handler can still write
  them without ever knowing the code.

Key ids are the first 16 hex digits of SHA-256 over the raw public key; they let a handler see which meldingen a given
key can open (after key rotation) and identify the key in the audit log without revealing anything secret.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox
from nacl.utils import random as nacl_random

from .config import Argon2Params

log = logging.getLogger(__name__)

KEY_FORMAT = "regelwijs-meldingen-key/1"
ROLE_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")
KDF_SALT_BYTES = argon2id.SALTBYTES


class CryptoError(Exception):
    """Decryption failed (wrong key, tampered data) or a key is malformed."""


class KeyringError(CryptoError):
    """The bot's keyring has no usable public key for a role."""


def key_id(public_key: PublicKey) -> str:
    return hashlib.sha256(bytes(public_key)).hexdigest()[:16]


def _check_role(role: str) -> str:
    if not ROLE_RE.fullmatch(role):
        raise ValueError("rolnaam: kleine letters, cijfers en _, beginnend met een letter")
    return role


# ------------------------------------------------------------------------------------------------ key files

@dataclass(frozen=True)
class RolePublicKey:
    role: str
    public_key: PublicKey

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


@dataclass(frozen=True)
class HandlerKey:
    """A handler's private key; ``actor`` is what the audit log records."""

    role: str
    private_key: PrivateKey

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.key_id}"


_WARNED_DIRS: set[str] = set()


class Keyring:
    """Directory of ``<role>.pub`` files (base64 of the 32-byte X25519 public key)."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        stray = sorted(self.directory.glob("*.key")) if self.directory.is_dir() else []
        if stray and str(self.directory) not in _WARNED_DIRS:
            # The bot must not be able to read meldingen; a private key next to it defeats the design.
            # Said once per directory and process: keyrings are opened on every melding turn.
            _WARNED_DIRS.add(str(self.directory))
            log.warning("keyring %s bevat privésleutels (%d); haal die weg bij de bot", self.directory, len(stray))

    def public_key(self, role: str) -> RolePublicKey:
        path = self.directory / f"{_check_role(role)}.pub"
        try:
            raw = base64.b64decode(path.read_text().strip(), validate=True)
            return RolePublicKey(role, PublicKey(raw))
        except FileNotFoundError:
            raise KeyringError(f"geen publieke sleutel voor rol {role} in {self.directory}") from None
        except (binascii.Error, ValueError, TypeError, NaclCryptoError) as exc:
            raise KeyringError(f"publieke sleutel voor rol {role} is ongeldig") from exc


def generate_role_keys(role: str, out_dir: Path | str, *, force: bool = False) -> tuple[Path, Path, str]:
    """Write ``ROLE.key`` (mode 0600, JSON with the private key) and ``ROLE.pub`` (base64) into ``out_dir``."""
    _check_role(role)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / f"{role}.key", out / f"{role}.pub"
    if not force and (key_path.exists() or pub_path.exists()):
        raise FileExistsError(f"{key_path} of {pub_path} bestaat al (gebruik --force om te vervangen)")
    sk = PrivateKey.generate()
    body = json.dumps({
        "format": KEY_FORMAT, "role": role, "key_id": key_id(sk.public_key),
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "private_key": base64.b64encode(bytes(sk)).decode(),
    }, indent=2) + "\n"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | (0 if force else os.O_EXCL)
    fd = os.open(key_path, flags, 0o600)
    with os.fdopen(fd, "w") as fh:
        os.fchmod(fh.fileno(), 0o600)
        fh.write(body)
    pub_path.write_text(base64.b64encode(bytes(sk.public_key)).decode() + "\n")
    return key_path, pub_path, key_id(sk.public_key)


def load_handler_key(path: Path | str) -> HandlerKey:
    """Read a ``ROLE.key`` file written by :func:`generate_role_keys`."""
    p = Path(path)
    try:
        data = json.loads(p.read_text())
        if data.get("format") != KEY_FORMAT:
            raise CryptoError("onbekend sleutelformaat")
        sk = PrivateKey(base64.b64decode(data["private_key"], validate=True))
        role = _check_role(str(data["role"]))
    except (OSError, ValueError, KeyError, TypeError, binascii.Error, NaclCryptoError) as exc:
        raise CryptoError(f"kan sleutel {p} niet lezen") from exc
    if p.stat().st_mode & 0o077:
        log.warning("sleutelbestand %s is leesbaar voor anderen; zet de rechten op 0600", p)
    return HandlerKey(role, sk)


# ------------------------------------------------------------------------------------------ sealing (JSON)

def _dumps(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def seal(public_key: PublicKey, payload: Mapping[str, Any]) -> bytes:
    """Encrypt a JSON payload so that only the holder of the matching private key can read it."""
    return SealedBox(public_key).encrypt(_dumps(payload))


def unseal(private_key: PrivateKey, blob: bytes) -> dict[str, Any]:
    try:
        return json.loads(SealedBox(private_key).decrypt(bytes(blob)))
    except NaclCryptoError:
        raise CryptoError("ontsleutelen mislukt: verkeerde sleutel of beschadigde gegevens") from None


# --------------------------------------------------------------------------------------- receipt-derived key

def derive_key(code_digits: str, salt: bytes, params: Argon2Params) -> bytes:
    """``Argon2id(code, salt)`` → 32-byte SecretBox key (libsodium; parallelism is fixed at 1 there)."""
    return argon2id.kdf(SecretBox.KEY_SIZE, code_digits.encode(), salt,
                        opslimit=params.time_cost, memlimit=params.memory_kib * 1024)


@dataclass(frozen=True)
class ReporterKeys:
    public_key: bytes
    sealed_private_key: bytes
    salt: bytes


def new_reporter_keys(code_digits: str, params: Argon2Params) -> ReporterKeys:
    sk = PrivateKey.generate()
    salt = nacl_random(KDF_SALT_BYTES)
    box = SecretBox(derive_key(code_digits, salt, params))
    return ReporterKeys(bytes(sk.public_key), bytes(box.encrypt(bytes(sk))), salt)


def open_reporter_key(code_digits: str, salt: bytes, sealed_private_key: bytes, params: Argon2Params) -> PrivateKey:
    box = SecretBox(derive_key(code_digits, bytes(salt), params))
    try:
        return PrivateKey(box.decrypt(bytes(sealed_private_key)))
    except NaclCryptoError:
        raise CryptoError("ontvangstcode past niet bij deze melding") from None


__all__ = [
    "CryptoError", "HandlerKey", "Keyring", "KeyringError", "ReporterKeys", "RolePublicKey", "derive_key",
    "generate_role_keys", "key_id", "load_handler_key", "new_reporter_keys", "open_reporter_key", "seal", "unseal",
]

"""Receipt codes: the reporter's only handle on a melding.

A code is 16 random decimal digits from :mod:`secrets` (about 53 bits), shown in groups of four
("4821 0937 5512 0086"). The code itself is never stored. The ``receipts`` table keeps

* ``lookup = HMAC-SHA256(pepper, code)`` to *find* the row with one indexed query, and
* an Argon2id hash (argon2-cffi) to *verify* it.

Why not a short plaintext prefix of the code for lookup: it would be stored next to the hash and cut the search
space an attacker with the database has to cover. Why not scan all Argon2 hashes: that costs one Argon2 run per
stored melding on every lookup and would turn receipt checks into a denial of service. With the HMAC, a stolen
database without the pepper gives no way to test codes at all; with the pepper as well, every guess still costs an
Argon2 run, over 10^16 candidates. The pepper lives in configuration or a 0600 file, never in the database.

Unknown codes cost the same Argon2 work as known ones (a dummy verification), so response time does not reveal
whether a code exists. Malformed input (not 16 digits) is rejected at once; that reveals nothing about stored codes.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .config import Argon2Params

CODE_DIGITS = 16
_SEPARATORS = re.compile(r"[\s\-.]")


class InvalidReceipt(Exception):
    """The receipt code is malformed or does not belong to any melding (deliberately indistinguishable)."""

    def __init__(self) -> None:
        super().__init__("ontvangstcode onbekend of ongeldig")


def generate_code() -> str:
    """A fresh code, formatted in groups of four digits."""
    return format_code(f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}")


def format_code(digits: str) -> str:
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def normalize_code(code: str) -> str:
    """Digits only; spaces, dashes and dots are allowed as separators. Raises :class:`InvalidReceipt`."""
    if not isinstance(code, str):
        raise InvalidReceipt()
    digits = _SEPARATORS.sub("", code)
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        raise InvalidReceipt()
    return digits


def mac(pepper: bytes, purpose: str, value: str) -> str:
    """Keyed hash used for indexed lookups (receipts, idempotency keys); ``purpose`` separates the domains."""
    return hmac.new(pepper, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def lookup_key(pepper: bytes, digits: str) -> str:
    return mac(pepper, "receipt", digits)


class ReceiptHasher:
    """Argon2id hash and constant-work verification of receipt codes."""

    def __init__(self, params: Argon2Params):
        self.params = params
        self._ph = PasswordHasher(time_cost=params.time_cost, memory_cost=params.memory_kib,
                                  parallelism=params.parallelism, type=Type.ID)

    def hash(self, digits: str) -> str:
        return self._ph.hash(digits)

    def verify(self, stored_hash: str, digits: str) -> bool:
        try:
            return self._ph.verify(stored_hash, digits)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._ph.hash(secrets.token_hex(CODE_DIGITS))

    def dummy_verify(self, digits: str) -> None:
        """Spend the same Argon2 work as a real verification, for codes whose lookup found nothing."""
        self.verify(self._dummy_hash, digits)


__all__ = [
    "CODE_DIGITS", "InvalidReceipt", "ReceiptHasher", "format_code", "generate_code", "lookup_key", "mac",
    "normalize_code",
]

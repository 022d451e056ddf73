"""Confidential meldingen: storage, encryption, receipts, deadlines and the handler CLI.

Bot side::

    store = MeldingStore.open(MeldingConfig.from_mapping(cfg, base_dir))
    result = store.submit("agressie", fields, Identity({"naam": ...}, consent=True), idempotency_key)
    store.status(code); store.read_replies(code); store.add_information(code, text)

Handler side: ``regelwijs meldingen list|show|ack|reply|close|export|purge --key ROLE.key`` (see ``cli.py``).
"""
from __future__ import annotations

from .config import Argon2Params, MeldingConfig
from .crypto import CryptoError, HandlerKey, Keyring, KeyringError, generate_role_keys, load_handler_key
from .db import upgrade_db
from .deadlines import Deadline, overdue
from .handler import Handler, HandlerError, MeldingSummary, MeldingView
from .receipts import InvalidReceipt
from .store import (ConsentRequired, IdempotencyConflict, Identity, MeldingClosed, MeldingStore, Message,
                    ReceiptStatus, SubmitResult)
from .types import MeldingType, UnknownType, ValidationError, get_type, load_types, type_names

__all__ = [
    "Argon2Params", "ConsentRequired", "CryptoError", "Deadline", "Handler", "HandlerError", "HandlerKey",
    "IdempotencyConflict", "Identity", "InvalidReceipt", "Keyring", "KeyringError", "MeldingClosed",
    "MeldingConfig", "MeldingStore", "MeldingSummary", "MeldingType", "MeldingView", "Message", "ReceiptStatus",
    "SubmitResult", "UnknownType", "ValidationError", "generate_role_keys", "get_type", "load_handler_key",
    "load_types", "overdue", "type_names", "upgrade_db",
]

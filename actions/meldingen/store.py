"""Durable, confidential storage of meldingen: the bot side (submit) and the reporter side (receipt code).

``submit`` validates, seals and stores a melding in **one transaction** and returns only after the commit, so a
"ontvangen" message to the reporter is never sent for a melding that is not stored.

Idempotency, and what the caller must do with receipts
-----------------------------------------------------
Submitting twice with the same ``idempotency_key`` stores the melding once; the second call returns the existing
reference with ``created=False`` and ``receipt_code=None``, because the code is not stored anywhere and cannot be
shown again. The runtime should therefore:

1. derive the key from the conversation and a nonce drawn once per melding flow (e.g.
   ``f"{conversation_id}:{flow_nonce}"``) and keep the nonce in the conversation state, so a retry, a double click or
   a replayed webhook re-uses the same key, while a *new* melding in the same conversation gets a new nonce;
2. keep the returned receipt code in the conversation state until the message that shows it has been delivered,
   then drop it;
3. if a retry returns ``created=False`` and the code was lost before delivery (a crash between commit and reply),
   call :meth:`MeldingStore.reissue_receipt` with the same idempotency key. That works only while the old code has
   never been used, no handler reply exists yet and ``reissue_window_seconds`` has not passed, so it cannot be used to
   take over an active conversation with a handler.

The raw idempotency key is never stored (it contains the conversation id): the table holds ``HMAC(pepper, key)``.

Logging: only references, types and counts are logged; never field values, identities or message texts.
"""
from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from nacl.public import PublicKey
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .config import Argon2Params, MeldingConfig
from .crypto import CryptoError, Keyring, RolePublicKey, new_reporter_keys, open_reporter_key, seal, unseal
from .db import make_engine, upgrade_db
from .deadlines import CLOSED, Deadline, compute, initial_state, overdue, utc
from .models import AuditEntry, Melding, MeldingIdentity, MeldingMessage, Receipt
from .receipts import InvalidReceipt, ReceiptHasher, generate_code, lookup_key, mac, normalize_code
from .types import MeldingType, ValidationError, get_type, validate_fields, validate_identity

log = logging.getLogger(__name__)

BOT = "bot"
MELDER = "melder"
STATUS_NL = {"ontvangen": "ontvangen", "in_behandeling": "in behandeling", "afgesloten": "afgesloten"}
MAX_MESSAGE_LENGTH = 10_000
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


# ------------------------------------------------------------------------------------------------- errors

class IdempotencyConflict(ValueError):
    """The idempotency key was already used for a melding of another type (a caller bug, not a retry)."""


class ConsentRequired(ValidationError):
    def __init__(self) -> None:
        super().__init__({"identiteit": "wordt alleen opgeslagen met toestemming van de melder"})


class MeldingClosed(RuntimeError):
    """The melding is closed; the reporter can no longer add information."""


class AuditLogViolation(RuntimeError):
    """Someone tried to change or delete an audit log entry."""


# ------------------------------------------------------------------------------------------------ results

@dataclass(frozen=True)
class Identity:
    """What the reporter chose to give about themselves; stored only if ``consent`` is True."""

    fields: Mapping[str, Any]
    consent: bool


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    receipt_code: str | None  # None for a duplicate submission (the code is not stored)
    deadlines: tuple[Deadline, ...]
    created: bool


@dataclass(frozen=True)
class Message:
    at: datetime
    author: str  # "behandelaar" | "melder"
    text: str


@dataclass(frozen=True)
class ReceiptStatus:
    reference: str
    type: str
    label_nl: str
    status: str
    status_nl: str
    created_at: datetime
    deadlines: tuple[Deadline, ...]
    has_replies: bool
    replies: int


@dataclass(frozen=True)
class OverdueItem:
    reference: str
    type: str
    recipient_role: str
    deadlines: tuple[Deadline, ...]


@dataclass
class _Prepared:
    reference: str
    code: str
    melding: dict[str, Any]
    receipt: dict[str, Any]
    identity: dict[str, Any] | None = field(default=None)


# ---------------------------------------------------------------------------------- append-only audit guard

class MeldingSession(Session):
    """Session class with the application-level append-only guard on ``audit_log``."""


@event.listens_for(MeldingSession, "before_flush")
def _no_audit_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogViolation("audit_log is append-only")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AuditLogViolation("audit_log is append-only")


@event.listens_for(MeldingSession, "do_orm_execute")
def _no_bulk_audit_changes(state: Any) -> None:
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEntry for m in state.all_mappers):
        raise AuditLogViolation("audit_log is append-only")


def audit(session: Session, at: datetime, actor: str, action: str, melding_id: int | None = None,
          **detail: Any) -> None:
    """Append an audit entry. ``detail`` must never contain melding content."""
    session.add(AuditEntry(at=at, actor=actor, action=action, melding_id=melding_id,
                           detail=json.dumps(detail, sort_keys=True, ensure_ascii=False) if detail else None))


def new_reference() -> str:
    chars = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"MLD-{chars[:4]}-{chars[4:]}"


def check_message(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"tekst": "is verplicht"})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"tekst": f"te lang (maximaal {MAX_MESSAGE_LENGTH} tekens)"})
    return text.strip()


# ---------------------------------------------------------------------------------------------------- store

class MeldingStore:
    """Bot- and reporter-side operations. Holds public keys only: it can store meldingen but not read them."""

    def __init__(self, config: MeldingConfig | None = None, *, engine: Engine | None = None,
                 keyring: Keyring | None = None, clock: Callable[[], datetime] | None = None):
        self.config = config or MeldingConfig()
        self.engine = engine or make_engine(self.config.url())
        self._owns_engine = engine is None
        self.sessions = sessionmaker(self.engine, class_=MeldingSession, expire_on_commit=False)
        self._keyring = keyring
        self._hasher: ReceiptHasher | None = None
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    @classmethod
    def open(cls, config: MeldingConfig, *, upgrade: bool = True, **kwargs: Any) -> "MeldingStore":
        """Open the store, running the migrations first (they are idempotent)."""
        if upgrade:
            upgrade_db(kwargs["engine"] if kwargs.get("engine") is not None else config.url())
        return cls(config, **kwargs)

    def dispose(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    # -- lazily resolved collaborators (the handler CLI needs neither keyring nor pepper)
    @property
    def keyring(self) -> Keyring:
        if self._keyring is None:
            self._keyring = Keyring(self.config.keyring_path())
        return self._keyring

    @property
    def hasher(self) -> ReceiptHasher:
        if self._hasher is None:
            self._hasher = ReceiptHasher(self.config.argon2)
        return self._hasher

    @property
    def pepper(self) -> bytes:
        return self.config.resolve_pepper()

    def now(self) -> datetime:
        return utc(self.clock())

    # ------------------------------------------------------------------------------------------------ submit
    def submit(self, type: str, fields: Mapping[str, Any], identity: Identity | None,
               idempotency_key: str) -> SubmitResult:
        """Validate, seal and durably store a melding; see the module docstring for idempotency."""
        mtype = get_type(type)
        if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= 512:
            raise ValueError("idempotency_key moet een niet-lege tekst van hoogstens 512 tekens zijn")
        now = self.now()
        today = now.astimezone(_tz(self.config)).date()
        values = validate_fields(mtype, fields, today=today, tz=self.config.timezone)
        ident = self._identity_values(mtype, identity, values, today)
        idem = mac(self.pepper, "idempotency", idempotency_key)
        existing = self._existing(idem, mtype)
        if existing is not None:
            return existing
        role_key = self.keyring.public_key(mtype.handler_role)
        state = initial_state(mtype, now, values)
        for _attempt in range(3):
            prep = self._prepare(mtype, values, ident, role_key, state, idem, now)
            try:
                with self.sessions.begin() as s:
                    m = Melding(**prep.melding)
                    s.add(m)
                    s.flush()
                    s.add(Receipt(melding_id=m.id, **prep.receipt))
                    if prep.identity is not None:
                        s.add(MeldingIdentity(melding_id=m.id, **prep.identity))
                    audit(s, now, BOT, "ingediend", m.id, reference=prep.reference, type=mtype.name,
                          identiteit=prep.identity is not None)
            except IntegrityError:
                existing = self._existing(idem, mtype)
                if existing is not None:  # a concurrent submit with the same key won the race
                    return existing
                log.warning("botsing op referentie of ontvangstcode; nieuwe poging")
                continue
            log.info("melding opgeslagen: %s (%s)", prep.reference, mtype.name)
            return SubmitResult(prep.reference, prep.code, tuple(compute(mtype, state)), True)
        raise RuntimeError("melding kon na drie pogingen niet worden opgeslagen")

    def _identity_values(self, mtype: MeldingType, identity: Identity | None, values: Mapping[str, Any],
                         today: Any) -> dict[str, Any] | None:
        if identity is None:
            if mtype.identity.is_required(values):
                raise ValidationError({"identiteit": "is nodig voor dit soort melding"})
            return None
        if identity.consent is not True:
            raise ConsentRequired()
        return validate_identity(mtype, identity.fields, values, today=today, tz=self.config.timezone)

    def _existing(self, idem: str, mtype: MeldingType) -> SubmitResult | None:
        with self.sessions.begin() as s:
            m = s.scalars(select(Melding).where(Melding.idempotency_key == idem)).one_or_none()
            if m is None:
                return None
            if m.type != mtype.name:
                raise IdempotencyConflict("idempotency_key is al gebruikt voor een ander soort melding")
            audit(s, self.now(), BOT, "herhaald_ingediend", m.id)
            result = SubmitResult(m.reference, None, tuple(compute(mtype, m.deadlines)), False)
        log.info("herhaalde indiening van %s: bestaande melding teruggegeven", result.reference)
        return result

    def _prepare(self, mtype: MeldingType, values: Mapping[str, Any], ident: Mapping[str, Any] | None,
                 role_key: RolePublicKey, state: Mapping[str, Any], idem: str, now: datetime) -> _Prepared:
        """All CPU work (Argon2, sealing) happens here, outside the transaction."""
        reference, code = new_reference(), generate_code()
        digits = normalize_code(code)
        params = self.config.argon2
        reporter = new_reporter_keys(digits, params)
        content = {"v": 1, "reference": reference, "type": mtype.name, "received_at": now.isoformat(),
                   "fields": dict(values)}
        prep = _Prepared(
            reference=reference, code=code,
            melding=dict(reference=reference, type=mtype.name, created_at=now, status="ontvangen",
                         deadlines=dict(state), idempotency_key=idem,
                         sealed_content=seal(role_key.public_key, content),
                         recipient_role=mtype.handler_role, key_id=role_key.key_id),
            receipt=dict(lookup=lookup_key(self.pepper, digits), argon2_hash=self.hasher.hash(digits),
                         kdf_salt=reporter.salt, kdf_params=params.to_dict(),
                         reporter_public_key=reporter.public_key, reporter_secret_box=reporter.sealed_private_key,
                         created_at=now, used=False),
        )
        if ident is not None:
            payload = {"v": 1, "reference": reference, "fields": dict(ident), "consent": True,
                       "consent_at": now.isoformat()}
            prep.identity = dict(created_at=now, sealed_identity=seal(role_key.public_key, payload),
                                 key_id=role_key.key_id)
        return prep

    # ------------------------------------------------------------------------------------------ reporter side
    def _authenticate(self, code: str) -> tuple[Melding, Receipt, str]:
        """Find and verify the melding for a receipt code; marks the receipt as used."""
        try:
            digits = normalize_code(code)
        except InvalidReceipt:
            self._audit_failed_receipt()
            raise
        with self.sessions.begin() as s:
            row = s.execute(select(Melding, Receipt).join(Receipt, Receipt.melding_id == Melding.id)
                            .where(Receipt.lookup == lookup_key(self.pepper, digits))).one_or_none()
        if row is None:
            self.hasher.dummy_verify(digits)
            self._audit_failed_receipt()
            raise InvalidReceipt()
        melding, receipt = row
        if not self.hasher.verify(receipt.argon2_hash, digits):
            self._audit_failed_receipt()
            raise InvalidReceipt()
        if not receipt.used:
            with self.sessions.begin() as s:
                s.get(Receipt, receipt.id).used = True  # type: ignore[union-attr]
        return melding, receipt, digits

    def _audit_failed_receipt(self) -> None:
        with self.sessions.begin() as s:
            audit(s, self.now(), MELDER, "ontvangstcode_onjuist")

    def status(self, code: str) -> ReceiptStatus:
        """Status, deadlines and whether there are handler replies. Deliberately not audited: a log of when the
        reporter checks could be matched against chat logs to find out who they are."""
        m, _r, _ = self._authenticate(code)
        mtype = get_type(m.type)
        with self.sessions.begin() as s:
            n = s.scalar(select(func.count()).select_from(MeldingMessage).where(
                MeldingMessage.melding_id == m.id, MeldingMessage.direction == "aan_melder")) or 0
        return ReceiptStatus(m.reference, m.type, mtype.label_nl, m.status, STATUS_NL[m.status], m.created_at,
                             tuple(compute(mtype, m.deadlines)), n > 0, n)

    def read_replies(self, code: str, *, include_own: bool = False) -> list[Message]:
        """Decrypt the handler's replies (and, with ``include_own``, the reporter's own additions), oldest first."""
        m, r, digits = self._authenticate(code)
        sk = open_reporter_key(digits, r.kdf_salt, r.reporter_secret_box, Argon2Params.from_dict(r.kdf_params))
        with self.sessions.begin() as s:
            rows = s.scalars(select(MeldingMessage).where(MeldingMessage.melding_id == m.id)
                             .order_by(MeldingMessage.created_at, MeldingMessage.id)).all()
        out = []
        for row in rows:
            if row.direction == "aan_melder" or include_own:
                payload = unseal_payload(sk, row.sealed_for_reporter, m.reference)
                out.append(Message(row.created_at, "behandelaar" if row.direction == "aan_melder" else "melder",
                                   payload["text"]))
        return out

    def add_information(self, code: str, text: str) -> datetime:
        """Add information to a melding, sealed to the handler role (and to the reporter's own key)."""
        text = check_message(text)
        m, r, _ = self._authenticate(code)
        if m.status == CLOSED:
            raise MeldingClosed("deze melding is afgesloten")
        role_key = self.keyring.public_key(m.recipient_role)
        now = self.now()
        payload = {"v": 1, "reference": m.reference, "direction": "aan_behandelaar", "text": text,
                   "at": now.isoformat()}
        msg = MeldingMessage(melding_id=m.id, created_at=now, direction="aan_behandelaar",
                             sealed_for_handler=seal(role_key.public_key, payload), handler_key_id=role_key.key_id,
                             sealed_for_reporter=seal(PublicKey(bytes(r.reporter_public_key)), payload))
        with self.sessions.begin() as s:
            s.add(msg)
            audit(s, now, MELDER, "aanvulling", m.id)
        log.info("aanvulling ontvangen voor %s", m.reference)
        return now

    def reissue_receipt(self, idempotency_key: str) -> str | None:
        """A new receipt code for a melding whose code was lost before it reached the reporter.

        Returns None (and changes nothing) when the old code has been used, a handler has replied, or the
        re-issue window has passed: then the old code may be in someone's hands and must stay the only one.
        """
        idem = mac(self.pepper, "idempotency", idempotency_key)
        now = self.now()
        with self.sessions.begin() as s:
            row = s.execute(select(Melding, Receipt).join(Receipt, Receipt.melding_id == Melding.id)
                            .where(Melding.idempotency_key == idem)).one_or_none()
            if row is None:
                return None
            m, r = row
            replies = s.scalar(select(func.count()).select_from(MeldingMessage)
                               .where(MeldingMessage.melding_id == m.id)) or 0
        window = timedelta(seconds=self.config.reissue_window_seconds)
        if r.used or replies or now - r.created_at > window:
            return None
        code = generate_code()
        digits = normalize_code(code)
        reporter = new_reporter_keys(digits, self.config.argon2)
        new = dict(lookup=lookup_key(self.pepper, digits), argon2_hash=self.hasher.hash(digits),
                   kdf_salt=reporter.salt, kdf_params=self.config.argon2.to_dict(),
                   reporter_public_key=reporter.public_key, reporter_secret_box=reporter.sealed_private_key)
        with self.sessions.begin() as s:
            current = s.get(Receipt, r.id, with_for_update=True)
            if current is None or current.used or current.lookup != r.lookup:
                return None
            for k, v in new.items():
                setattr(current, k, v)
            audit(s, now, BOT, "ontvangstcode_vervangen", m.id)
        log.info("ontvangstcode opnieuw uitgegeven voor %s", m.reference)
        return code

    # --------------------------------------------------------------------------------------------- reminders
    def overdue(self, now: datetime | None = None) -> list[OverdueItem]:
        """Open meldingen with overdue deadlines: metadata only, no key needed (for reminder jobs)."""
        now = utc(now) if now else self.now()
        with self.sessions.begin() as s:
            rows = s.scalars(select(Melding).where(Melding.status != CLOSED).order_by(Melding.created_at)).all()
        out = []
        for m in rows:
            late = overdue(m, now)
            if late:
                out.append(OverdueItem(m.reference, m.type, m.recipient_role, tuple(late)))
        return out


def _tz(config: MeldingConfig) -> ZoneInfo:
    return ZoneInfo(config.timezone)


def unseal_payload(private_key: Any, blob: bytes, reference: str) -> dict[str, Any]:
    """Unseal and check the payload belongs to ``reference`` (a blob copied from another row is rejected)."""
    payload = unseal(private_key, blob)
    if payload.get("reference") != reference:
        raise CryptoError("versleutelde inhoud hoort niet bij deze melding")
    return payload


__all__ = [
    "AuditLogViolation", "ConsentRequired", "Identity", "IdempotencyConflict", "MeldingClosed", "MeldingSession",
    "MeldingStore", "Message", "OverdueItem", "ReceiptStatus", "SubmitResult", "audit", "check_message",
    "new_reference", "unseal_payload", "upgrade_db",
]

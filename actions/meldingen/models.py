"""SQLAlchemy 2 models of the meldingen store. The schema itself is created by the Alembic migrations in
``migrations/versions`` (a test compares both, so they cannot drift apart).

What is stored in clear and why:

* ``meldingen``: public reference, type, status, timestamps, handler role, key id and the deadline state. The bot
  needs these to route, to show a status to the reporter and to send reminders without a private key.
* Everything a reporter wrote is sealed: ``sealed_content`` (fields), ``melding_identities.sealed_identity``
  (only with consent, in its own table so the handler opens it as a separate, audited step), and both copies of
  every message.
* ``idempotency_key`` holds ``HMAC(pepper, key)``: the raw key contains the conversation id, which would link a
  melding to a chat user.
* ``audit_log.melding_id`` has no foreign key on purpose: the log must outlive a purged melding.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Text, TypeDecorator)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STATUSES = ("ontvangen", "in_behandeling", "afgesloten")
DIRECTIONS = ("aan_melder", "aan_behandelaar")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite has no time zones; it gets naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Melding(Base):
    __tablename__ = "meldingen"
    __table_args__ = (
        CheckConstraint("status IN ('ontvangen', 'in_behandeling', 'afgesloten')", name="status"),
        Index("ix_meldingen_role_status", "recipient_role", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deadlines: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    sealed_content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    recipient_role: Mapped[str] = mapped_column(String(64), nullable=False)
    key_id: Mapped[str] = mapped_column(String(32), nullable=False)


class MeldingIdentity(Base):
    __tablename__ = "melding_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    melding_id: Mapped[int] = mapped_column(ForeignKey("meldingen.id", ondelete="CASCADE"), unique=True,
                                            nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    sealed_identity: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    key_id: Mapped[str] = mapped_column(String(32), nullable=False)


class MeldingMessage(Base):
    """A handler reply (``aan_melder``) or a reporter addition (``aan_behandelaar``), sealed to both parties."""

    __tablename__ = "melding_messages"
    __table_args__ = (
        CheckConstraint("direction IN ('aan_melder', 'aan_behandelaar')", name="direction"),
        Index("ix_melding_messages_melding_id", "melding_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    melding_id: Mapped[int] = mapped_column(ForeignKey("meldingen.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    direction: Mapped[str] = mapped_column(String(20), nullable=False)
    sealed_for_handler: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    handler_key_id: Mapped[str] = mapped_column(String(32), nullable=False)
    sealed_for_reporter: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class Receipt(Base):
    """Argon2 hash of the receipt code plus the reporter key pair (private half wrapped by the code)."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    melding_id: Mapped[int] = mapped_column(ForeignKey("meldingen.id", ondelete="CASCADE"), unique=True,
                                            nullable=False)
    lookup: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    argon2_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    kdf_params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    reporter_public_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    reporter_secret_box: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class AuditEntry(Base):
    """Append-only: enforced here (session events in ``store.py``) and by database triggers (migration 0001)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_melding_id", "melding_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    melding_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


__all__ = ["AuditEntry", "Base", "DIRECTIONS", "Melding", "MeldingIdentity", "MeldingMessage", "Receipt",
           "STATUSES", "UTCDateTime"]

"""Handler side: read and process meldingen with a role's private key.

Every operation writes an audit entry (actor = ``role:key_id``) in the same transaction as the change, and for
reads the entry is committed *before* anything is decrypted, so there is no way to see content without a trace.
The reporter's identity is a separate, explicitly requested and separately audited step (H3 art. 9 lid 3: identity
is not disclosed without the reporter's written consent; a handler should only open it when needed).
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Mapping

from nacl.public import PublicKey
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .crypto import HandlerKey, seal
from .deadlines import CLOSED, Deadline, ack_keys, compute, extend, overdue, record_event, utc
from .models import Melding, MeldingIdentity, MeldingMessage, Receipt
from .store import STATUS_NL, MeldingStore, Message, audit, check_message, unseal_payload
from .types import MeldingType, get_type

log = logging.getLogger(__name__)


class HandlerError(RuntimeError):
    """An operation is not possible (unknown reference, wrong role or key, wrong status)."""


@dataclass(frozen=True)
class MeldingSummary:
    reference: str
    type: str
    label_nl: str
    status: str
    created_at: datetime
    closed_at: datetime | None
    recipient_role: str
    key_id: str
    deadlines: tuple[Deadline, ...]
    has_identity: bool
    messages: int
    readable: bool  # sealed to this handler's key

    @property
    def status_nl(self) -> str:
        return STATUS_NL[self.status]

    def overdue(self, now: datetime) -> list[Deadline]:
        return overdue(self, now)

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        d = {
            "reference": self.reference, "type": self.type, "label_nl": self.label_nl, "status": self.status,
            "created_at": self.created_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "recipient_role": self.recipient_role, "key_id": self.key_id, "has_identity": self.has_identity,
            "messages": self.messages, "readable": self.readable,
            "deadlines": [x.to_dict() for x in self.deadlines],
        }
        if now is not None:
            d["overdue"] = [x.key for x in self.overdue(now)]
        return d


@dataclass(frozen=True)
class MeldingView:
    summary: MeldingSummary
    fields: Mapping[str, Any]
    identity: Mapping[str, Any] | None  # None: not requested or not given
    messages: tuple[Message, ...]

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        mtype = get_type(self.summary.type)
        return {
            **self.summary.to_dict(now),
            "fields": _labelled(mtype.fields, self.fields),
            "identity": None if self.identity is None else _labelled(mtype.identity.fields, self.identity),
            "messages": [{"at": m.at.isoformat(), "author": m.author, "text": m.text} for m in self.messages],
        }


def _labelled(specs: Any, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Values in the order of ``types.yml`` with their Dutch labels (sealed JSON has sorted keys)."""
    known = [s for s in specs if s.name in values]
    names = {s.name for s in known}
    return ([{"name": s.name, "label": s.label, "value": values[s.name]} for s in known]
            + [{"name": k, "label": k, "value": v} for k, v in values.items() if k not in names])


@dataclass(frozen=True)
class PurgeItem:
    reference: str
    type: str
    closed_at: datetime
    purge_after: datetime


@dataclass(frozen=True)
class PurgeReport:
    items: tuple[PurgeItem, ...]
    dry_run: bool


class Handler:
    """Operations of one handler (one role, one private key) on the store."""

    def __init__(self, store: MeldingStore, key: HandlerKey):
        self.store = store
        self.key = key

    # ---------------------------------------------------------------------------------------------- helpers
    def _now(self) -> datetime:
        return self.store.now()

    def _load(self, s: Session, reference: str, *, lock: bool = False) -> Melding:
        stmt = select(Melding).where(Melding.reference == reference.strip().upper())
        m = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
        if m is None or m.recipient_role != self.key.role:
            # Same message for "unknown" and "other role": a handler cannot probe other roles' references.
            raise HandlerError(f"geen melding {reference} voor rol {self.key.role}")
        return m

    def _require_key(self, m: Melding) -> None:
        if m.key_id != self.key.key_id:
            raise HandlerError(f"melding {m.reference} is versleuteld voor sleutel {m.key_id}, "
                               f"niet voor deze sleutel ({self.key.key_id})")

    def _summary(self, s: Session, m: Melding) -> MeldingSummary:
        mtype = get_type(m.type)
        n = s.scalar(select(func.count()).select_from(MeldingMessage).where(MeldingMessage.melding_id == m.id)) or 0
        has_id = s.scalar(select(func.count()).select_from(MeldingIdentity)
                          .where(MeldingIdentity.melding_id == m.id)) or 0
        return MeldingSummary(m.reference, m.type, mtype.label_nl, m.status, m.created_at, m.closed_at,
                              m.recipient_role, m.key_id, tuple(compute(mtype, m.deadlines)), bool(has_id), n,
                              m.key_id == self.key.key_id)

    def _messages(self, rows: list[MeldingMessage], reference: str) -> tuple[Message, ...]:
        out = []
        for row in rows:
            author = "behandelaar" if row.direction == "aan_melder" else "melder"
            if row.handler_key_id == self.key.key_id:
                text = unseal_payload(self.key.private_key, row.sealed_for_handler, reference)["text"]
            else:
                text = f"(versleuteld voor sleutel {row.handler_key_id})"
            out.append(Message(row.created_at, author, text))
        return tuple(out)

    def _reply_row(self, s: Session, m: Melding, text: str, now: datetime) -> MeldingMessage:
        receipt = s.scalars(select(Receipt).where(Receipt.melding_id == m.id)).one()
        payload = {"v": 1, "reference": m.reference, "direction": "aan_melder", "text": text,
                   "at": now.isoformat()}
        return MeldingMessage(melding_id=m.id, created_at=now, direction="aan_melder",
                              sealed_for_handler=seal(self.key.public_key, payload), handler_key_id=self.key.key_id,
                              sealed_for_reporter=seal(PublicKey(bytes(receipt.reporter_public_key)), payload))

    # ----------------------------------------------------------------------------------------------- reading
    def list(self, *, include_closed: bool = False) -> list[MeldingSummary]:
        """Meldingen for this role (metadata only; nothing is decrypted)."""
        now = self._now()
        with self.store.sessions.begin() as s:
            stmt = select(Melding).where(Melding.recipient_role == self.key.role)
            if not include_closed:
                stmt = stmt.where(Melding.status != CLOSED)
            rows = s.scalars(stmt.order_by(Melding.created_at)).all()
            out = [self._summary(s, m) for m in rows]
            audit(s, now, self.key.actor, "lijst", None, aantal=len(out), ook_afgesloten=include_closed)
        return out

    def show(self, reference: str, *, with_identity: bool = False) -> MeldingView:
        """Decrypt one melding. ``with_identity`` also opens the reporter's identity (audited separately)."""
        now = self._now()
        with self.store.sessions.begin() as s:
            m = self._load(s, reference)
            self._require_key(m)
            summary = self._summary(s, m)
            ident_row = s.scalars(select(MeldingIdentity).where(MeldingIdentity.melding_id == m.id)).one_or_none()
            rows = list(s.scalars(select(MeldingMessage).where(MeldingMessage.melding_id == m.id)
                                  .order_by(MeldingMessage.created_at, MeldingMessage.id)).all())
            audit(s, now, self.key.actor, "bekeken", m.id)
            if with_identity and ident_row is not None:
                audit(s, now, self.key.actor, "identiteit_bekeken", m.id)
        content = unseal_payload(self.key.private_key, m.sealed_content, m.reference)
        if content.get("type") != m.type:
            raise HandlerError("versleutelde inhoud hoort niet bij dit meldingtype")
        identity = None
        if with_identity and ident_row is not None:
            identity = unseal_payload(self.key.private_key, ident_row.sealed_identity, m.reference)["fields"]
        return MeldingView(summary, content["fields"], identity, self._messages(rows, m.reference))

    def export(self, reference: str, path: Path | str | None = None, *,
               with_identity: bool = False) -> dict[str, Any]:
        """Decrypted JSON of one melding (for the official register); written with mode 0600 if ``path``."""
        now = self._now()
        view = self.show(reference, with_identity=with_identity)
        data = {"export": {"at": now.isoformat(), "by": self.key.actor, "format": "regelwijs-melding/1"},
                **view.to_dict(now)}
        with self.store.sessions.begin() as s:
            m = self._load(s, reference)
            audit(s, now, self.key.actor, "geexporteerd", m.id, identiteit=with_identity, bestand=path is not None)
        if path is not None:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                os.fchmod(fh.fileno(), 0o600)
                json.dump(data, fh, ensure_ascii=False, indent=2)
                fh.write("\n")
        return data

    # ---------------------------------------------------------------------------------------------- changing
    def ack(self, reference: str, message: str | None = None) -> MeldingSummary:
        """Confirm receipt: status 'in behandeling', completes the ack deadlines (e.g. the misstand
        ontvangstbevestiging, which also anchors the three-month standpunt), optionally with a reply."""
        now = self._now()
        text = check_message(message) if message is not None else None
        with self.store.sessions.begin() as s:
            m = self._load(s, reference, lock=True)
            self._require_key(m)
            if m.status != "ontvangen":
                raise HandlerError(f"melding {m.reference} is al {STATUS_NL[m.status]}")
            mtype = get_type(m.type)
            state: Mapping[str, Any] = m.deadlines
            keys = [k for k in ack_keys(mtype, state) if k not in (state.get("events") or {})]
            for k in keys:
                state = record_event(mtype, state, k, now)
            m.deadlines = dict(state)
            m.status = "in_behandeling"
            if text:
                s.add(self._reply_row(s, m, text, now))
            audit(s, now, self.key.actor, "bevestigd", m.id, termijnen=keys, bericht=bool(text))
            s.flush()
            summary = self._summary(s, m)
        return summary

    def reply(self, reference: str, text: str) -> Message:
        """A message to the reporter, readable only with the receipt code (and by this key)."""
        now = self._now()
        text = check_message(text)
        with self.store.sessions.begin() as s:
            m = self._load(s, reference)
            self._require_key(m)
            if m.status == CLOSED:
                raise HandlerError(f"melding {m.reference} is afgesloten")
            s.add(self._reply_row(s, m, text, now))
            audit(s, now, self.key.actor, "antwoord", m.id)
        return Message(now, "behandelaar", text)

    def close(self, reference: str, message: str | None = None) -> MeldingSummary:
        """Close the melding (starts the retention period). Close only when nothing runs any more: no
        investigation, external report, complaint or court case (H3 art. 4 lid 2; H35 art. 7 lid 4)."""
        now = self._now()
        text = check_message(message) if message is not None else None
        with self.store.sessions.begin() as s:
            m = self._load(s, reference, lock=True)
            self._require_key(m)
            if m.status == CLOSED:
                raise HandlerError(f"melding {m.reference} is al afgesloten")
            if text:
                s.add(self._reply_row(s, m, text, now))
            m.status, m.closed_at = CLOSED, now
            audit(s, now, self.key.actor, "afgesloten", m.id, bericht=bool(text))
            s.flush()
            summary = self._summary(s, m)
        return summary

    def complete(self, reference: str, name: str, at: datetime | None = None) -> MeldingSummary:
        """Record an event: completing deadline ``name`` or a declared event such as
        ``klacht_ontvangen_door_commissie``; dependent deadlines are re-anchored."""
        now = self._now()
        when = utc(at) if at else now
        if when > now + timedelta(minutes=5):
            raise HandlerError("een gebeurtenis kan niet in de toekomst liggen")
        with self.store.sessions.begin() as s:
            m = self._load(s, reference, lock=True)
            mtype = get_type(m.type)
            try:
                m.deadlines = record_event(mtype, m.deadlines, name, when)
            except ValueError as exc:
                raise HandlerError(str(exc)) from None
            audit(s, now, self.key.actor, "gebeurtenis", m.id, gebeurtenis=name, op=when.isoformat())
            s.flush()
            summary = self._summary(s, m)
        return summary

    def extend(self, reference: str, key: str) -> MeldingSummary:
        """Extend a deadline where the regeling allows it (e.g. besluit werkgever: once, by four weeks)."""
        now = self._now()
        with self.store.sessions.begin() as s:
            m = self._load(s, reference, lock=True)
            mtype = get_type(m.type)
            try:
                m.deadlines = extend(mtype, m.deadlines, key)
            except ValueError as exc:
                raise HandlerError(str(exc)) from None
            audit(s, now, self.key.actor, "verlengd", m.id, termijn=key, keer=m.deadlines["extensions"][key])
            s.flush()
            summary = self._summary(s, m)
        return summary

    def purge(self, *, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
        """Delete this role's closed meldingen whose retention period has passed (per-type default from
        ``types.yml``, overridable in ``MeldingConfig.retention_days``). Open meldingen are never purged.
        The audit log keeps a 'verwijderd' entry (reference and type only)."""
        now = utc(now) if now else self._now()
        items: list[PurgeItem] = []
        with self.store.sessions.begin() as s:
            rows = s.scalars(select(Melding).where(Melding.recipient_role == self.key.role,
                                                   Melding.status == CLOSED)).all()
            for m in rows:
                after = m.closed_at + timedelta(days=self.retention_days(get_type(m.type)))  # type: ignore[operator]
                if after <= now:
                    items.append(PurgeItem(m.reference, m.type, m.closed_at, after))  # type: ignore[arg-type]
                    if not dry_run:
                        for table in (MeldingMessage, MeldingIdentity, Receipt):
                            s.execute(delete(table).where(table.melding_id == m.id))
                        s.execute(delete(Melding).where(Melding.id == m.id))
                        audit(s, now, self.key.actor, "verwijderd", m.id, reference=m.reference, type=m.type)
            audit(s, now, self.key.actor, "opschonen", None, aantal=len(items), proefrun=dry_run)
        log.info("opschonen rol %s: %d melding(en)%s", self.key.role, len(items), " (proefrun)" if dry_run else "")
        return PurgeReport(tuple(items), dry_run)

    def retention_days(self, mtype: MeldingType) -> int:
        return int(self.store.config.retention_days.get(mtype.name, mtype.retention.days_after_close))


__all__ = ["Handler", "HandlerError", "MeldingSummary", "MeldingView", "PurgeItem", "PurgeReport"]

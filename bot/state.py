"""Conversation state per sender, in SQL (SQLite file by default, PostgreSQL by URL).

What is kept: slots, the active form and its requested slot, the fallback counter and
the recent events (a bounded window, enough for rasa_sdk's ``Tracker``). State is
written in one transaction at the end of every turn, so a process killed mid-form
resumes at the same question with the next message. Sender ids arrive here already
pseudonymised by the channel layer.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

log = logging.getLogger(__name__)
MAX_EVENTS = 60

metadata = sa.MetaData()
conversations = sa.Table(
    "rw_conversations",
    metadata,
    sa.Column("sender_id", sa.String(128), primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass
class ConversationState:
    sender_id: str
    slots: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None
    events: list[dict] = field(default_factory=list)
    fallback_count: int = 0
    pending: dict[str, Any] = field(default_factory=dict)  # e.g. a proposed intent awaiting affirm
    updated_at: str | None = None

    @property
    def requested_slot(self) -> str | None:
        return self.slots.get("requested_slot")

    def add_event(self, event: dict) -> None:
        self.events.append(event)
        if len(self.events) > MAX_EVENTS:
            self.events = self.events[-MAX_EVENTS:]

    def to_json(self) -> str:
        # A shallow dict: the fields are JSON values already, and dataclasses.asdict's deep
        # copy of the event window was the largest cost of saving a turn.
        return json.dumps({f: getattr(self, f) for f in self.__dataclass_fields__}, ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, raw: str) -> "ConversationState":
        data = json.loads(raw)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def make_engine(url: str) -> sa.Engine:
    """The project's engine settings (see ``actions.meldingen.db.make_engine``); conversation
    state can be rebuilt by the user, so SQLite may use ``synchronous=NORMAL`` here."""
    from actions.meldingen.db import make_engine as _make_engine

    return _make_engine(url, synchronous="NORMAL")


class StateStore:
    """Load and save :class:`ConversationState` by sender id."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        metadata.create_all(self.engine)

    def load(self, sender_id: str) -> ConversationState:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(conversations.c.state).where(conversations.c.sender_id == sender_id)).first()
        if row is None:
            return ConversationState(sender_id)
        try:
            return ConversationState.from_json(row[0])
        except (ValueError, TypeError):
            log.warning("unreadable state for a sender; starting fresh")
            return ConversationState(sender_id)

    def save(self, state: ConversationState) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        state.updated_at = now.isoformat()
        payload = state.to_json()
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(conversations).values(sender_id=state.sender_id, state=payload, updated_at=now)
        stmt = stmt.on_conflict_do_update(index_elements=[conversations.c.sender_id],
                                          set_={"state": payload, "updated_at": now})
        with self.engine.begin() as conn:
            conn.execute(stmt)
        if not state.events and self.engine.dialect.name == "sqlite":
            # A flow just ended and its state was purged: fold the WAL back into the
            # database so no earlier page version (with melding answers) lingers in it.
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def delete(self, sender_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(conversations).where(conversations.c.sender_id == sender_id))

    def dispose(self) -> None:
        self.engine.dispose()

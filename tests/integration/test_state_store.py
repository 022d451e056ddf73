"""The conversation state store on SQLite and on the PostgreSQL server (127.0.0.1:5432)."""
from __future__ import annotations

import threading
import uuid

import pytest

from bot.state import ConversationState, StateStore
from tests.conftest import POSTGRES_URL, postgres_available


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    else:
        if not postgres_available():
            pytest.skip("PostgreSQL op 127.0.0.1:5432 is niet bereikbaar")
        s = StateStore(POSTGRES_URL)
    yield s
    s.dispose()


def test_roundtrip_and_update(store):
    sender = "t-" + uuid.uuid4().hex
    st = store.load(sender)
    assert st.slots == {} and st.active_loop is None
    st.slots.update({"uren_per_week": 32.0, "gemeente": "Kerkrade", "requested_slot": "zorgverlof_soort"})
    st.active_loop = "calc_zorgverlof_form"
    st.add_event({"event": "user", "text": "ik wil zorgverlof"})
    store.save(st)
    again = store.load(sender)
    assert again.slots["uren_per_week"] == 32.0 and again.active_loop == "calc_zorgverlof_form"
    assert again.requested_slot == "zorgverlof_soort" and again.events[-1]["text"] == "ik wil zorgverlof"
    again.slots["uren_per_week"] = 28.0
    store.save(again)
    assert store.load(sender).slots["uren_per_week"] == 28.0
    store.delete(sender)
    assert store.load(sender).slots == {}


def test_event_window_is_bounded(store):
    sender = "t-" + uuid.uuid4().hex
    st = ConversationState(sender)
    for i in range(500):
        st.add_event({"event": "user", "text": str(i)})
    store.save(st)
    assert len(store.load(sender).events) <= 60


def test_concurrent_saves_do_not_mix(store):
    senders = ["c-" + uuid.uuid4().hex for _ in range(20)]

    def work(s: str) -> None:
        for i in range(5):
            st = store.load(s)
            st.slots["n"] = i
            st.slots["me"] = s
            store.save(st)

    threads = [threading.Thread(target=work, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in senders:
        st = store.load(s)
        assert st.slots == {"n": 4, "me": s}
        store.delete(s)


def test_unreadable_state_starts_fresh(store):
    import sqlalchemy as sa

    from bot.state import conversations

    sender = "t-" + uuid.uuid4().hex
    store.save(ConversationState(sender))
    with store.engine.begin() as conn:
        conn.execute(sa.update(conversations).where(conversations.c.sender_id == sender).values(state="{kapot"))
    assert store.load(sender).slots == {}
    store.delete(sender)

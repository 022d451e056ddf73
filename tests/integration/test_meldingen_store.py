"""The meldingen store on SQLite and PostgreSQL: durability, idempotency, confidentiality at rest, the
append-only audit log, the reporter's receipt flows, the handler operations and the migrations."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from actions.meldingen import (ConsentRequired, Handler, HandlerError, IdempotencyConflict, Identity,
                               InvalidReceipt, MeldingClosed, MeldingStore, ValidationError, generate_role_keys)
from actions.meldingen.db import current_revision, downgrade_db, make_engine, upgrade_db
from actions.meldingen.models import AuditEntry, Base, Melding, MeldingIdentity, MeldingMessage, Receipt
from actions.meldingen.receipts import normalize_code
from actions.meldingen.store import AuditLogViolation
from actions.meldingen.testing import make_keys, pg_schema, pg_unavailable_reason, test_config
from actions.meldingen.types import get_type

PHRASE = "Wethouder Pietersen schoof de BLAUWE-ZEEKOE-77 subsidie door"
NAME = "Annelies van Ravesteyn-Kwaak"
MISSTAND = {"omschrijving": PHRASE, "categorie": ["wettelijk_voorschrift", "functioneren_organisatie"],
            "betrokkenen": "afdeling Financiën"}
AGRESSIE = {"datum_incident": "2026-11-20", "tijdstip_incident": "14:30", "soort_incident": ["schelden"],
            "beschrijving": PHRASE, "plaats": "balie", "letsel": False, "schade_persoonlijk": False,
            "schade_gemeentelijk": False, "aangifte": False}

_PG_REASON: list[str | None] = []


def _pg_reason() -> str | None:
    if not _PG_REASON:
        _PG_REASON.append(pg_unavailable_reason())
    return _PG_REASON[0]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'meldingen.db'}"
        return
    reason = _pg_reason()
    if reason:
        pytest.skip(reason)
    with pg_schema() as url:
        yield url


@pytest.fixture
def keys(tmp_path):
    return make_keys(tmp_path / "keys")


@pytest.fixture
def store(db_url, keys, tmp_path):
    upgrade_db(db_url)
    s = MeldingStore(test_config(db_url, keys, tmp_path))
    yield s
    s.dispose()


def handler(store, keys, role="integriteitscoordinator"):
    return Handler(store, keys.handler_key(role))


def count(store, model, *where):
    with store.sessions.begin() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def actions(store, melding_ref=None):
    with store.sessions.begin() as s:
        stmt = select(AuditEntry.action).order_by(AuditEntry.id)
        if melding_ref:
            mid = s.scalar(select(Melding.id).where(Melding.reference == melding_ref))
            stmt = stmt.where(AuditEntry.melding_id == mid)
        return list(s.scalars(stmt))


def all_stored_text(store) -> str:
    """Every value of every row of every table, as text (binary values decoded byte for byte)."""
    chunks = []
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for v in row:
                    chunks.append(bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v))
    return "\n".join(chunks)


# ----------------------------------------------------------------------------------------------- submission

def test_submit_commits_and_the_handler_can_read_it_back(store, keys):
    res = store.submit("misstand", MISSTAND, None, "conv-1:nonce-a")
    assert res.created and res.receipt_code and res.reference.startswith("MLD-")
    assert [d.key for d in res.deadlines] == ["ontvangstbevestiging", "besluit_geen_onderzoek", "standpunt"]
    # a brand-new store (new engine, new connections) sees it: it was committed before submit returned
    fresh = MeldingStore(store.config)
    try:
        view = handler(fresh, keys).show(res.reference)
    finally:
        fresh.dispose()
    assert view.fields["omschrijving"] == PHRASE
    assert view.summary.recipient_role == "integriteitscoordinator"
    assert view.identity is None and not view.summary.has_identity
    assert actions(store, res.reference) == ["ingediend", "bekeken"]


def test_idempotent_resubmission_stores_once(store):
    first = store.submit("misstand", MISSTAND, None, "conv-2:nonce-a")
    again = store.submit("misstand", MISSTAND, None, "conv-2:nonce-a")
    assert (again.reference, again.created, again.receipt_code) == (first.reference, False, None)
    assert [d.due for d in again.deadlines] == [d.due for d in first.deadlines]
    assert count(store, Melding) == 1 and count(store, Receipt) == 1
    assert actions(store, first.reference) == ["ingediend", "herhaald_ingediend"]
    other = store.submit("misstand", MISSTAND, None, "conv-2:nonce-b")
    assert other.created and other.reference != first.reference
    with pytest.raises(IdempotencyConflict):
        store.submit("agressie", AGRESSIE, Identity({"naam": NAME}, True), "conv-2:nonce-a")


def test_concurrent_submissions_with_one_key_store_one_melding(store):
    results, errors = [], []

    def go():
        try:
            results.append(store.submit("misstand", MISSTAND, None, "double-click"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert count(store, Melding) == 1


def test_invalid_submission_stores_nothing(store):
    with pytest.raises(ValidationError):
        store.submit("misstand", {"categorie": ["milieu"]}, None, "k")
    with pytest.raises(ValidationError):  # identity required for an arbeidsongeval
        store.submit("arbeidsongeval", {"datum_ongeval": "2026-11-01", "plaats_ongeval": "magazijn",
                                        "omschrijving": "x", "verwondingen": False, "ernstig_letsel": False,
                                        "werkt_door": True}, None, "k")
    with pytest.raises(ConsentRequired):
        store.submit("misstand", MISSTAND, Identity({"naam": NAME}, consent=False), "k")
    assert count(store, Melding) == 0 and count(store, AuditEntry) == 0


def test_submit_fails_cleanly_without_a_public_key(store, keys):
    (keys.keyring_dir / "arbo.pub").unlink()
    store._keyring = None
    with pytest.raises(Exception, match="geen publieke sleutel"):
        store.submit("agressie", AGRESSIE, Identity({"naam": NAME}, True), "k")
    assert count(store, Melding) == 0


# ------------------------------------------------------------------------------------------ confidentiality

def test_nothing_readable_at_rest(store, db_url, tmp_path):
    res = store.submit("agressie", AGRESSIE, Identity({"naam": NAME, "functie": "baliemedewerker"}, True),
                       "conv-3:nonce")
    store.add_information(res.receipt_code, f"Aanvulling: {PHRASE}")
    stored = all_stored_text(store)
    digits = normalize_code(res.receipt_code)
    assert res.reference in stored and "baliemedewerker" not in stored  # positive control: rows were read
    for secret in ("BLAUWE-ZEEKOE", NAME, "Ravesteyn", digits, res.receipt_code, "conv-3:nonce"):
        assert secret not in stored
    if db_url.startswith("sqlite"):
        store.dispose()
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("meldingen.db*"))
        assert res.reference.encode() in raw, "positive control: the clear reference is in the file"
        for secret in ("BLAUWE-ZEEKOE", NAME, digits, "conv-3:nonce"):
            assert secret.encode() not in raw
            assert secret.encode("utf-16-le") not in raw


def test_logs_never_contain_content(store, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL and parameters too
    try:
        res = store.submit("misstand", MISSTAND, Identity({"naam": NAME}, True), "conv-4:nonce")
        store.submit("misstand", MISSTAND, Identity({"naam": NAME}, True), "conv-4:nonce")
        store.add_information(res.receipt_code, PHRASE)
        store.status(res.receipt_code)
        with pytest.raises(ValidationError) as exc:
            store.submit("misstand", {**MISSTAND, "categorie": [PHRASE]}, None, "conv-4:other")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert "melding opgeslagen" in caplog.text and "INSERT INTO meldingen" in caplog.text
    digits = normalize_code(res.receipt_code)
    for secret in ("BLAUWE-ZEEKOE", NAME, digits, res.receipt_code):
        assert secret not in caplog.text
        assert secret not in str(exc.value)


# -------------------------------------------------------------------------------------------------- audit log

def test_audit_log_rejects_update_and_delete_in_the_database(store):
    store.submit("misstand", MISSTAND, None, "k")
    for stmt in ("UPDATE audit_log SET actor = 'iemand anders'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(stmt))
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text("TRUNCATE audit_log"))
    assert actions(store) == ["ingediend"]
    # appending still works
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action) VALUES (CURRENT_TIMESTAMP, 'test', 'x')"))
    assert actions(store) == ["ingediend", "x"]


def test_audit_log_rejects_changes_through_the_orm(store):
    store.submit("misstand", MISSTAND, None, "k")
    with pytest.raises(AuditLogViolation):
        with store.sessions.begin() as s:
            s.scalars(select(AuditEntry)).first().actor = "iemand anders"
    with pytest.raises(AuditLogViolation):
        with store.sessions.begin() as s:
            s.delete(s.scalars(select(AuditEntry)).first())
    with pytest.raises(AuditLogViolation):
        with store.sessions.begin() as s:
            s.execute(update(AuditEntry).values(actor="x"))
    assert actions(store) == ["ingediend"]


# ---------------------------------------------------------------------------------------- reporter + handler

def test_receipt_flows_and_handler_conversation(store, keys):
    res = store.submit("misstand", MISSTAND, Identity({"naam": NAME, "relatie": "werknemer"}, True), "conv-5:n")
    code = res.receipt_code
    st = store.status(code)
    assert (st.reference, st.status, st.has_replies, st.replies) == (res.reference, "ontvangen", False, 0)
    assert store.read_replies(code) == []
    h = handler(store, keys)
    acked = h.ack(res.reference, "Wij hebben uw melding ontvangen.")
    assert acked.status == "in_behandeling"
    by_key = {d.key: d for d in acked.deadlines}
    assert by_key["ontvangstbevestiging"].completed_at is not None
    assert not by_key["standpunt"].provisional
    h.reply(res.reference, "Kunt u de datum noemen?")
    store.add_information(code, "Het was op 3 november.")
    st = store.status(code)
    assert st.status == "in_behandeling" and st.has_replies and st.replies == 2
    assert [m.text for m in store.read_replies(code)] == ["Wij hebben uw melding ontvangen.",
                                                          "Kunt u de datum noemen?"]
    assert [m.author for m in store.read_replies(code, include_own=True)] == ["behandelaar", "behandelaar",
                                                                              "melder"]
    view = h.show(res.reference)
    assert view.identity is None and view.summary.has_identity
    assert [m.text for m in view.messages][-1] == "Het was op 3 november."
    assert h.show(res.reference, with_identity=True).identity == {"naam": NAME, "relatie": "werknemer"}
    h.close(res.reference, "Afgesloten, dank u.")
    with pytest.raises(MeldingClosed):
        store.add_information(code, "nog iets")
    with pytest.raises(HandlerError):
        h.reply(res.reference, "na sluiten")
    assert actions(store, res.reference) == ["ingediend", "bevestigd", "antwoord", "aanvulling", "bekeken",
                                             "bekeken", "identiteit_bekeken", "afgesloten"]
    with store.sessions.begin() as s:
        actors = set(s.scalars(select(AuditEntry.actor)))
    assert f"integriteitscoordinator:{keys.handler_key('integriteitscoordinator').key_id}" in actors


def test_handler_of_another_role_or_key_cannot_read(store, keys, tmp_path):
    res = store.submit("misstand", MISSTAND, None, "k")
    with pytest.raises(HandlerError):
        handler(store, keys, "arbo").show(res.reference)
    assert handler(store, keys, "arbo").list() == []
    # key rotation: a new key for the same role cannot open meldingen sealed to the old one
    generate_role_keys("integriteitscoordinator", tmp_path / "new")
    from actions.meldingen.crypto import load_handler_key
    new = Handler(store, load_handler_key(tmp_path / "new" / "integriteitscoordinator.key"))
    [summary] = new.list()
    assert not summary.readable
    with pytest.raises(HandlerError, match="andere sleutel|versleuteld voor sleutel"):
        new.show(res.reference)


def test_tampered_row_is_detected(store, keys):
    a = store.submit("misstand", MISSTAND, None, "k1")
    b = store.submit("misstand", {**MISSTAND, "omschrijving": "iets anders"}, None, "k2")
    with store.sessions.begin() as s:
        ma = s.scalars(select(Melding).where(Melding.reference == a.reference)).one()
        mb = s.scalars(select(Melding).where(Melding.reference == b.reference)).one()
        mb.sealed_content = ma.sealed_content  # copy a's ciphertext into b's row
    from actions.meldingen.crypto import CryptoError
    with pytest.raises(CryptoError):
        handler(store, keys).show(b.reference)


def test_deadline_events_extension_and_overdue(store, keys):
    res = store.submit("ongewenst_gedrag", {"route": "klacht", "omschrijving": PHRASE},
                       Identity({"naam": NAME, "adres": "Markt 1, Kerkrade"}, True), "k")
    h = handler(store, keys, "vertrouwenspersoon")
    now = store.now()
    s1 = h.complete(res.reference, "klacht_ontvangen_door_commissie", now - timedelta(days=1))
    assert not {d.key: d for d in s1.deadlines}["advies_klachtencommissie"].provisional
    s2 = h.extend(res.reference, "besluit_werkgever")
    assert {d.key: d for d in s2.deadlines}["besluit_werkgever"].extensions == 1
    with pytest.raises(HandlerError):
        h.extend(res.reference, "besluit_werkgever")
    with pytest.raises(HandlerError):
        h.complete(res.reference, "bestaat_niet")
    late = store.overdue(now + timedelta(days=365))
    assert [i.reference for i in late] == [res.reference]
    assert {d.key for d in late[0].deadlines} >= {"advies_klachtencommissie", "besluit_werkgever"}
    assert store.overdue(now) == []


def test_purge_applies_retention_and_keeps_the_audit_trail(store, keys):
    keep = store.submit("misstand", MISSTAND, None, "k-open")
    gone = store.submit("misstand", MISSTAND, Identity({"naam": NAME}, True), "k-closed")
    h = handler(store, keys)
    h.reply(gone.reference, "antwoord")
    closed = h.close(gone.reference)
    days = h.retention_days(get_type("misstand"))
    assert h.purge(now=closed.closed_at + timedelta(days=days - 1)).items == ()
    dry = h.purge(now=closed.closed_at + timedelta(days=days), dry_run=True)
    assert [i.reference for i in dry.items] == [gone.reference] and count(store, Melding) == 2
    report = h.purge(now=closed.closed_at + timedelta(days=days))
    assert [i.reference for i in report.items] == [gone.reference]
    assert count(store, Melding) == 1 and count(store, Receipt) == 1
    assert count(store, MeldingMessage) == 0 and count(store, MeldingIdentity) == 0
    with pytest.raises(InvalidReceipt):
        store.status(gone.receipt_code)
    assert store.status(keep.receipt_code).status == "ontvangen"  # open meldingen are never purged
    acts = actions(store)
    assert "verwijderd" in acts and acts.count("ingediend") == 2


def test_retention_override_from_config(store, keys):
    store.config.retention_days = {"misstand": 0}
    res = store.submit("misstand", MISSTAND, None, "k")
    h = handler(store, keys)
    h.close(res.reference)
    assert [i.reference for i in h.purge().items] == [res.reference]


def test_reissue_receipt_only_while_unused(store):
    res = store.submit("misstand", MISSTAND, None, "conv-6:n")
    new = store.reissue_receipt("conv-6:n")
    assert new and new != res.receipt_code
    with pytest.raises(InvalidReceipt):
        store.status(res.receipt_code)
    assert store.status(new).reference == res.reference  # marks it used
    assert store.reissue_receipt("conv-6:n") is None
    assert store.reissue_receipt("unknown") is None
    assert "ontvangstcode_vervangen" in actions(store, res.reference)


def test_reissue_refused_after_the_window(store):
    store.config.reissue_window_seconds = 0
    store.submit("misstand", MISSTAND, None, "conv-7:n")
    assert store.reissue_receipt("conv-7:n") is None


# -------------------------------------------------------------------------------------------------- schema

def test_migration_matches_models_and_round_trips(db_url, store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = [d for d in compare_metadata(ctx, Base.metadata)
                if not (isinstance(d, tuple) and d[0] == "remove_table" and "alembic_version" in d[1].name)]
    assert diff == []
    insp = inspect(store.engine)
    assert {"meldingen", "melding_identities", "melding_messages", "audit_log", "receipts"} <= set(
        insp.get_table_names())
    assert {c["name"] for c in insp.get_unique_constraints("meldingen")} >= {"uq_meldingen_idempotency_key"}
    store.dispose()
    downgrade_db(db_url)
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert "meldingen" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    upgrade_db(db_url)
    upgrade_db(db_url)  # idempotent
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()

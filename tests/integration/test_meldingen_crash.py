"""Crash test: SIGKILL a submitting process at random moments, 100 times per database, then check that every
melding whose reference was reported back is stored exactly once, idempotency keys are unique and the database is
consistent.

How it stays fast: a "zygote" subprocess imports the store once and, per run, forks a child that creates its own
engine and submits meldingen in a loop. Before each submit the child appends ``ATTEMPT <key>`` to its own output
file, and only after ``submit`` has returned it appends ``RECEIVED <ref> <key> <created>``. The test kills the child
with SIGKILL after a random delay (0-150 ms, so kills land before, inside and after commits). Keys are partly new,
partly a repeat of the previous key (double click) and partly from a pool shared by all runs (replayed webhooks).
"""
from __future__ import annotations

import base64
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from actions.meldingen import MeldingStore
from actions.meldingen.db import upgrade_db
from actions.meldingen.models import AuditEntry, Melding, MeldingIdentity, Receipt
from actions.meldingen.receipts import mac
from actions.meldingen.store import unseal_payload
from actions.meldingen.testing import make_keys, pg_schema, pg_unavailable_reason, test_config

REPO = Path(__file__).resolve().parents[2]
KILLS = 100

ZYGOTE = textwrap.dedent(r'''
    import base64, os, random, sys, traceback
    from pathlib import Path
    from actions.meldingen import Identity, MeldingStore
    from actions.meldingen.config import TEST_ARGON2, MeldingConfig

    FIELDS = {"omschrijving": "crash-test melding", "categorie": ["milieu"]}

    def child(run, out_path, seed):
        fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            rnd = random.Random(seed)
            cfg = MeldingConfig(database_url=os.environ["MT_URL"], keyring_dir=Path(os.environ["MT_KEYRING"]),
                                data_dir=Path(os.environ["MT_DATA"]), argon2=TEST_ARGON2,
                                pepper=base64.b64decode(os.environ["MT_PEPPER"]))
            store = MeldingStore(cfg)
            previous = None
            for i in range(10 ** 6):
                x = rnd.random()
                if previous and x < 0.2:
                    key = previous
                elif x < 0.35:
                    key = f"pool-{rnd.randrange(40)}"
                else:
                    key = f"run{run}-{i}"
                identity = Identity({"naam": f"melder {run}"}, True) if rnd.random() < 0.5 else None
                os.write(fd, f"ATTEMPT {key}\n".encode())
                res = store.submit("misstand", FIELDS, identity, key)
                os.write(fd, f"RECEIVED {res.reference} {key} {int(res.created)}\n".encode())
                previous = key
        except BaseException:
            os.write(fd, ("ERROR " + traceback.format_exc().replace("\n", " | ") + "\n").encode())
            os._exit(1)

    def warm_up():
        """Pay the one-off costs (YAML, mapper configuration, Argon2/NaCl setup) once, before forking."""
        from actions.meldingen.models import Base
        data = Path(os.environ["MT_DATA"])
        cfg = MeldingConfig(database_url=f"sqlite:///{data / 'warmup.db'}", keyring_dir=Path(os.environ["MT_KEYRING"]),
                            data_dir=data, argon2=TEST_ARGON2, pepper=os.urandom(32))
        store = MeldingStore(cfg)
        Base.metadata.create_all(store.engine)
        store.submit("misstand", FIELDS, Identity({"naam": "x"}, True), "warm-up")
        store.dispose()
        from actions.meldingen.db import make_engine
        make_engine(os.environ["MT_URL"]).dispose()  # imports the target's DB driver; no connection is opened

    warm_up()
    print("READY", flush=True)
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "RUN":
            pid = os.fork()
            if pid == 0:
                child(int(args[0]), args[1], int(args[2]))
                os._exit(0)
            print(f"PID {pid}", flush=True)
        elif cmd == "REAP":
            _, status = os.waitpid(int(args[0]), 0)
            print(f"REAPED {status}", flush=True)
        elif cmd == "QUIT":
            break
''')

_PG: list[str | None] = []


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    if not _PG:
        _PG.append(pg_unavailable_reason())
    if _PG[0]:
        pytest.skip(_PG[0])
    with pg_schema() as url:
        yield url


def _readline(proc: subprocess.Popen, prefix: str) -> str:
    line = proc.stdout.readline()
    if not line.startswith(prefix):
        raise AssertionError(f"zygote: expected {prefix}, got {line!r}; stderr: {proc.stderr.read()[-2000:]}")
    return line[len(prefix):].strip()


def test_sigkill_during_submission_loses_or_duplicates_nothing(db_url, tmp_path):
    t0 = time.monotonic()
    keys = make_keys(tmp_path / "keys")
    cfg = test_config(db_url, keys, tmp_path)
    upgrade_db(db_url)
    env = {**os.environ, "PYTHONPATH": str(REPO), "MT_URL": db_url, "MT_KEYRING": str(keys.keyring_dir),
           "MT_DATA": str(tmp_path), "MT_PEPPER": base64.b64encode(cfg.pepper).decode()}
    proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], cwd=REPO, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rnd = random.Random(20261123)
    outs = []
    killed = 0
    try:
        _readline(proc, "READY")
        for run in range(KILLS):
            out = tmp_path / f"run{run}.out"
            outs.append(out)
            proc.stdin.write(f"RUN {run} {out} {rnd.randrange(10 ** 9)}\n")
            proc.stdin.flush()
            pid = int(_readline(proc, "PID "))
            time.sleep(rnd.uniform(0.0, 0.15))
            os.kill(pid, signal.SIGKILL)
            proc.stdin.write(f"REAP {pid}\n")
            proc.stdin.flush()
            status = int(_readline(proc, "REAPED "))
            errors = [ln for ln in out.read_text().splitlines() if ln.startswith("ERROR")] if out.exists() else []
            assert not errors, errors[0][:3000]
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"run {run}: status {status}"
            killed += 1
        proc.stdin.write("QUIT\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert killed >= 100

    # ---- what the children reported
    received: dict[str, set[str]] = defaultdict(set)  # key → refs reported for it
    attempted: set[str] = set()
    mid_submit = 0
    for out in outs:
        lines = out.read_text().splitlines() if out.exists() else []
        for ln in lines:
            kind, *rest = ln.split()
            if kind == "ATTEMPT":
                attempted.add(rest[0])
            elif kind == "RECEIVED":
                received[rest[1]].add(rest[0])
        mid_submit += bool(lines) and lines[-1].startswith("ATTEMPT")
    assert received, "no submission completed at all; the kill delays are too short"
    assert all(len(refs) == 1 for refs in received.values()), "one key was answered with two references"

    # ---- the database
    store = MeldingStore(cfg)
    try:
        with store.sessions.begin() as s:
            rows = s.execute(select(Melding.id, Melding.reference, Melding.idempotency_key,
                                    Melding.sealed_content)).all()
            by_ref = defaultdict(int)
            for r in rows:
                by_ref[r.reference] += 1
            assert all(n == 1 for n in by_ref.values())
            assert len({r.idempotency_key for r in rows}) == len(rows), "duplicated idempotency key"
            for key, refs in received.items():
                [ref] = refs
                assert by_ref.get(ref) == 1, f"reported reference {ref} not stored exactly once"
                stored_key = s.scalar(select(Melding.idempotency_key).where(Melding.reference == ref))
                assert stored_key == mac(cfg.pepper, "idempotency", key)
            # consistency: one receipt and one 'ingediend' entry per melding, no orphans
            ids = {r.id for r in rows}
            receipt_ids = list(s.scalars(select(Receipt.melding_id)))
            assert sorted(receipt_ids) == sorted(ids)
            assert set(s.scalars(select(MeldingIdentity.melding_id))) <= ids
            submitted = list(s.scalars(select(AuditEntry.melding_id).where(AuditEntry.action == "ingediend")))
            assert sorted(submitted) == sorted(ids)
            if store.engine.dialect.name == "sqlite":
                assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        # every sealed blob is complete and belongs to its row
        sk = keys.handler_key("integriteitscoordinator").private_key
        for r in rows:
            assert unseal_payload(sk, r.sealed_content, r.reference)["fields"]["omschrijving"] == "crash-test melding"

        # resubmitting every attempted key: committed ones come back unchanged, lost ones are stored now
        before = len(rows)
        created_now = 0
        for key in sorted(attempted):
            res = store.submit("misstand", {"omschrijving": "crash-test melding"}, None, key)
            if key in received:
                assert not res.created and {res.reference} == received[key]
            created_now += res.created
        with store.sessions.begin() as s:
            total = s.scalar(select(func.count()).select_from(Melding))
        assert total == before + created_now == len(attempted)
    finally:
        store.dispose()
    elapsed = time.monotonic() - t0
    print(f"\n{store.engine.dialect.name}: {killed} kills, {len(rows)} meldingen stored, "
          f"{sum(len(v) for v in received.values())} keys confirmed, {mid_submit} kills between ATTEMPT and "
          f"RECEIVED, {created_now} lost-before-commit resubmitted, {elapsed:.1f}s")

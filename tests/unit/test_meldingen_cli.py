"""The handler CLI (``main``/``add_cli``) on SQLite: key generation, list/show/ack/reply/close/export/purge,
Dutch and JSON output, and the audit trail of every command."""
from __future__ import annotations

import argparse
import io
import json
import stat

import pytest
from sqlalchemy import select

from actions.meldingen import Identity, MeldingStore
from actions.meldingen.cli import add_cli, main
from actions.meldingen.db import upgrade_db
from actions.meldingen.models import AuditEntry
from actions.meldingen.testing import make_keys, test_config

PHRASE = "De kantine-koelcel KOUDE-KOMEET-9 sluit niet"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    keys = make_keys(tmp_path / "keys")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_db(url)
    store = MeldingStore(test_config(url, keys, tmp_path))
    res = store.submit("onveilige_situatie", {"betreft": "onveilige_situatie", "datum": "2026-11-20",
                                              "plaats": "kantine", "beschrijving": PHRASE,
                                              "kans_herhaling": "groot"},
                       Identity({"naam": "Piet Jansen"}, True), "conv:1")
    yield {"store": store, "keys": keys, "url": url, "ref": res.reference, "code": res.receipt_code,
           "arbo": str(keys.private_dir / "arbo.key"), "tmp": tmp_path}
    store.dispose()


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    rc = main(list(argv), stdout=out)
    return rc, out.getvalue()


def test_add_cli_registers_the_subcommands():
    parser = argparse.ArgumentParser(prog="regelwijs")
    add_cli(parser.add_subparsers(dest="command"))
    for cmd in ("list", "show", "ack", "reply", "close", "export", "purge"):
        args = parser.parse_args(["meldingen", cmd, *(["REF"] if cmd not in ("list", "purge") else []),
                                  "--key", "k", "--json", "--db", "sqlite://"])
        assert args.json and args.db == "sqlite://" and args.key == "k" and callable(args.func)
    args = parser.parse_args(["keys", "generate", "--role", "arbo", "--out", "d"])
    assert args.role == "arbo"


def test_keys_generate(tmp_path):
    rc, out = run("keys", "generate", "--role", "arbo", "--out", str(tmp_path / "k"))
    assert rc == 0 and "Sleutelpaar voor rol arbo" in out
    assert stat.S_IMODE((tmp_path / "k" / "arbo.key").stat().st_mode) == 0o600
    assert (tmp_path / "k" / "arbo.pub").exists()
    rc, _ = run("keys", "generate", "--role", "arbo", "--out", str(tmp_path / "k"))
    assert rc == 2  # refuses to overwrite


def test_full_handler_session(env, tmp_path):
    key, db, ref = env["arbo"], env["url"], env["ref"]
    rc, out = run("meldingen", "list", "--key", key, "--db", db)
    assert rc == 0 and ref in out and "ontvangen" in out and PHRASE not in out
    rc, out = run("meldingen", "list", "--key", key, "--db", db, "--json")
    data = json.loads(out)
    assert data["role"] == "arbo" and data["meldingen"][0]["reference"] == ref

    rc, out = run("meldingen", "show", ref, "--key", key, "--db", db)
    assert rc == 0 and PHRASE in out and "Piet Jansen" not in out and "--identity" in out
    assert "de regeling noemt geen termijn" in out
    rc, out = run("meldingen", "show", ref, "--key", key, "--db", db, "--identity", "--json")
    shown = json.loads(out)
    assert shown["identity"] == [{"name": "naam", "label": "Naam rapporteur", "value": "Piet Jansen"}]
    assert [f["name"] for f in shown["fields"]] == ["betreft", "datum", "plaats", "beschrijving", "kans_herhaling"]
    assert shown["fields"][-1]["label"].startswith("Wat is de kans op herhaling")

    rc, out = run("meldingen", "ack", ref, "--key", key, "--db", db, "--message", "Ontvangen, dank.")
    assert rc == 0 and "in behandeling" in out
    rc, out = run("meldingen", "reply", ref, "--key", key, "--db", db, "--message", "Is de koelcel al gemaakt?")
    assert rc == 0
    assert [m.text for m in env["store"].read_replies(env["code"])] == ["Ontvangen, dank.",
                                                                        "Is de koelcel al gemaakt?"]
    target = tmp_path / "export.json"
    rc, out = run("meldingen", "export", ref, "--key", key, "--db", db, "--out", str(target))
    assert rc == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    exported = json.loads(target.read_text())
    assert exported["reference"] == ref and exported["identity"] is None
    assert exported["fields"][3]["value"] == PHRASE and exported["export"]["by"].startswith("arbo:")

    rc, out = run("meldingen", "close", ref, "--key", key, "--db", db)
    assert rc == 0 and "afgesloten" in out
    rc, out = run("meldingen", "purge", "--key", key, "--db", db, "--dry-run", "--json")
    assert json.loads(out) == {"dry_run": True, "purged": []}  # retention not yet passed

    with env["store"].sessions.begin() as s:
        acts = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert acts == ["ingediend", "lijst", "lijst", "bekeken", "bekeken", "identiteit_bekeken", "bevestigd",
                    "antwoord", "bekeken", "geexporteerd", "afgesloten", "opschonen"]


def test_errors_exit_2_with_a_dutch_message(env, capsys):
    rc, _ = run("meldingen", "show", env["ref"], "--key", str(env["keys"].private_dir / "integriteitscoordinator.key"),
                "--db", env["url"])
    assert rc == 2 and "geen melding" in capsys.readouterr().err
    rc, out = run("meldingen", "show", "MLD-XXXX-XXXX", "--key", env["arbo"], "--db", env["url"], "--json")
    assert rc == 2 and "error" in json.loads(out)
    rc, _ = run("meldingen", "list", "--key", env["arbo"], "--db", f"sqlite:///{env['tmp'] / 'leeg.db'}")
    assert rc == 2 and "migrate" in capsys.readouterr().err


def test_done_extend_overdue_and_migrate(env, tmp_path):
    rc, out = run("meldingen", "migrate", "--db", f"sqlite:///{tmp_path / 'nieuw.db'}")
    assert rc == 0 and "0001" in out
    rc, out = run("meldingen", "overdue", "--db", env["url"], "--json")
    assert rc == 0 and json.loads(out) == []  # S.O.S. has no deadlines
    rc, _ = run("meldingen", "done", env["ref"], "onzin", "--key", env["arbo"], "--db", env["url"])
    assert rc == 2
    rc, _ = run("meldingen", "extend", env["ref"], "onzin", "--key", env["arbo"], "--db", env["url"])
    assert rc == 2


def test_show_prints_situation_repetition_recipient_and_consent(tmp_path):
    """The fields added after the review reach the handler: agressie situation and 1e/2e keer, the misstand
    recipient (content) and the consent to disclose the identity (sealed with the identity, shown with --identity)."""
    from datetime import date, timedelta

    keys = make_keys(tmp_path / "keys")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_db(url)
    store = MeldingStore(test_config(url, keys, tmp_path))
    try:
        agr = store.submit("agressie", {
            "datum_incident": (date.today() - timedelta(days=1)).isoformat(), "soort_incident": ["schelden"],
            "beschrijving": PHRASE, "kanaal": "telefoon", "herhaling": "herhaling", "letsel": False,
            "schade_persoonlijk": False, "schade_gemeentelijk": False, "aangifte": False},
            Identity({"naam": "Jan Jansen"}, True), "conv:agr")
        mis = store.submit("misstand", {"ontvanger": "vertrouwenspersoon", "omschrijving": PHRASE},
                           Identity({"naam": "Els de Vries", "toestemming_bekendmaking": False}, True), "conv:mis")
    finally:
        store.dispose()
    arbo = str(keys.private_dir / "arbo.key")
    integriteit = str(keys.private_dir / "integriteitscoordinator.key")

    rc, out = run("meldingen", "show", agr.reference, "--key", arbo, "--db", url)
    assert rc == 0
    assert "Situatie (hoe of waar de agressie plaatsvond): Telefonisch" in out
    assert "Eerste keer of herhaling (door dezelfde persoon): De tweede keer of vaker" in out
    assert "Plaats van het incident" not in out  # telephone aggression has no place
    rc, out = run("meldingen", "show", agr.reference, "--key", arbo, "--db", url, "--json")
    fields = {f["name"]: f["value"] for f in json.loads(out)["fields"]}
    assert fields["kanaal"] == "telefoon" and fields["herhaling"] == "herhaling"

    rc, out = run("meldingen", "show", mis.reference, "--key", integriteit, "--db", url)
    assert rc == 0 and "Bij wie doe je de melding?: De vertrouwenspersoon" in out
    assert "toestemming om de identiteit" not in out and "Els de Vries" not in out  # sealed with the identity
    rc, out = run("meldingen", "show", mis.reference, "--key", integriteit, "--db", url, "--identity")
    assert "Els de Vries" in out
    assert "Uitdrukkelijke schriftelijke toestemming om de identiteit van de melder bekend te maken: nee" in out

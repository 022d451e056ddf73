"""Contacts per language in config.yml (bot/config.py Config.contact)."""
from __future__ import annotations

from pathlib import Path

from bot.config import Config, load_config
from knowledge import yaml_io

REPO = Path(__file__).resolve().parents[2]


def cfg(contacts) -> Config:
    return Config(None, {"contacts": contacts})


def test_plain_string_serves_every_language():
    c = cfg({"Raalte": "de afdeling P&O van Raalte"})
    assert c.contact("Raalte") == c.contact("Raalte", "en") == "de afdeling P&O van Raalte"


def test_mapping_by_language_with_dutch_fallback():
    c = cfg({"Raalte": {"nl": "de afdeling P&O", "en": "the HR department (P&O)"}, "Heemstede": {"nl": "P&O"}})
    assert c.contact("Raalte") == "de afdeling P&O"
    assert c.contact("Raalte", "en") == "the HR department (P&O)"
    assert c.contact("Raalte", "de") == "de afdeling P&O"
    assert c.contact("Raalte", None) == "de afdeling P&O"
    assert c.contact("Heemstede", "en") == "P&O"


def test_unknown_gemeente_gets_the_generic_text_in_its_language():
    c = cfg({"Raalte": "P&O"})
    assert c.contact("Atlantis") == "de afdeling P&O van je gemeente"
    assert "HR department" in c.contact(None, "en")
    assert cfg(None).contact("Raalte") == "de afdeling P&O van je gemeente"


def test_environment_override(monkeypatch):
    monkeypatch.setenv("REGELWIJS_CONTACTS", "{Raalte: {nl: 'bel P&O', en: 'call HR'}}")
    assert cfg({}).contact("Raalte", "en") == "call HR"


def test_every_gemeente_has_a_dutch_and_an_english_contact():
    c = load_config(REPO / "config.yml")
    manifest = yaml_io.safe_load((REPO / "knowledge" / "corpus" / "manifest.yml").read_text(encoding="utf-8"))
    for doc in manifest["documents"]:
        g = doc["gemeente"]
        nl, en = c.contact(g, "nl"), c.contact(g, "en")
        assert "P&O" in nl and "P&O" in en and nl != en, g
        assert g in en, g
        assert "gemeente" not in en and "afdeling" not in en, en

"""Crypto: sealed content opens only with the role's private key; key files; receipt-derived reporter keys."""
from __future__ import annotations

import base64
import json
import stat

import pytest
from nacl.public import PrivateKey

from actions.meldingen.config import TEST_ARGON2
from actions.meldingen.crypto import (CryptoError, Keyring, KeyringError, generate_role_keys, key_id,
                                      load_handler_key, new_reporter_keys, open_reporter_key, seal, unseal)

PAYLOAD = {"reference": "MLD-TEST-0001", "fields": {"omschrijving": "Kwetsbare inhoud LIMOENTAART"}}


@pytest.fixture
def keys(tmp_path):
    private = tmp_path / "private"
    ring = tmp_path / "keyring"
    ring.mkdir()
    for role in ("integriteitscoordinator", "arbo"):
        _, pub, _ = generate_role_keys(role, private)
        (ring / pub.name).write_bytes(pub.read_bytes())
    return private, ring


def test_roundtrip_with_the_role_key(keys):
    private, ring = keys
    pub = Keyring(ring).public_key("integriteitscoordinator")
    blob = seal(pub.public_key, PAYLOAD)
    assert b"LIMOENTAART" not in blob
    assert unseal(load_handler_key(private / "integriteitscoordinator.key").private_key, blob) == PAYLOAD


def test_wrong_role_key_fails(keys):
    private, ring = keys
    blob = seal(Keyring(ring).public_key("integriteitscoordinator").public_key, PAYLOAD)
    with pytest.raises(CryptoError):
        unseal(load_handler_key(private / "arbo.key").private_key, blob)


def test_without_the_private_key_nothing_decrypts(keys):
    """The bot holds only the keyring; no key material in it (or a fresh key) opens a sealed box."""
    _, ring = keys
    blob = seal(Keyring(ring).public_key("arbo").public_key, PAYLOAD)
    for pub_file in ring.glob("*.pub"):
        raw = base64.b64decode(pub_file.read_text())
        with pytest.raises(CryptoError):
            unseal(PrivateKey(raw), blob)  # public key bytes misused as a private key
    with pytest.raises(CryptoError):
        unseal(PrivateKey.generate(), blob)
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(CryptoError):
        unseal(PrivateKey.generate(), bytes(tampered))


def test_keyring_contains_only_public_keys_and_reports_missing_roles(keys, caplog):
    _, ring = keys
    assert not list(ring.glob("*.key"))
    with pytest.raises(KeyringError):
        Keyring(ring).public_key("vertrouwenspersoon")
    (ring / "arbo.pub").write_text("geen base64!")
    with pytest.raises(KeyringError):
        Keyring(ring).public_key("arbo")
    (ring / "stray.key").write_text("{}")
    with caplog.at_level("WARNING"):
        Keyring(ring)
    assert "privésleutels" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING"):
        Keyring(ring)  # opened on every melding turn: said once per process
    assert "privésleutels" not in caplog.text


def test_generated_key_file_is_0600_and_self_describing(tmp_path):
    key_path, pub_path, kid = generate_role_keys("vertrouwenspersoon", tmp_path / "out")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    data = json.loads(key_path.read_text())
    assert data["role"] == "vertrouwenspersoon" and data["key_id"] == kid
    hk = load_handler_key(key_path)
    assert hk.key_id == kid == key_id(hk.public_key)
    assert hk.actor == f"vertrouwenspersoon:{kid}"
    assert base64.b64decode(pub_path.read_text()) == bytes(hk.public_key)
    with pytest.raises(FileExistsError):
        generate_role_keys("vertrouwenspersoon", tmp_path / "out")
    _, _, kid2 = generate_role_keys("vertrouwenspersoon", tmp_path / "out", force=True)
    assert kid2 != kid


def test_invalid_role_names_and_key_files(tmp_path):
    with pytest.raises(ValueError):
        generate_role_keys("../etc", tmp_path)
    bad = tmp_path / "x.key"
    bad.write_text("niet json")
    with pytest.raises(CryptoError):
        load_handler_key(bad)


def test_reporter_key_opens_only_with_the_receipt_code():
    code = "4821093755120086"
    rk = new_reporter_keys(code, TEST_ARGON2)
    sk = open_reporter_key(code, rk.salt, rk.sealed_private_key, TEST_ARGON2)
    assert bytes(sk.public_key) == rk.public_key
    with pytest.raises(CryptoError):
        open_reporter_key("4821093755120087", rk.salt, rk.sealed_private_key, TEST_ARGON2)

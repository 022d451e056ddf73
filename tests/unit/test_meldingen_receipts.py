"""Receipt codes: ≥16 digits from `secrets`, stored only as HMAC lookup + Argon2 hash, wrong codes rejected with the
same Argon2 work as right ones (no timing-obvious shortcut)."""
from __future__ import annotations

import re

import pytest

from actions.meldingen import receipts as r
from actions.meldingen.config import TEST_ARGON2
from actions.meldingen.receipts import (InvalidReceipt, ReceiptHasher, format_code, generate_code, lookup_key,
                                        normalize_code)
from actions.meldingen.store import MeldingStore
from actions.meldingen.testing import make_keys, test_config
from actions.meldingen.db import upgrade_db


def test_code_has_16_digits_in_groups_of_four():
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
        assert len(normalize_code(code)) >= 16


def test_code_comes_from_secrets(monkeypatch):
    calls = []
    monkeypatch.setattr(r.secrets, "randbelow", lambda n: calls.append(n) or 86)
    assert generate_code() == "0000 0000 0000 0086"
    assert calls == [10 ** 16]


@pytest.mark.parametrize("raw", ["4821 0937 5512 0086", "4821-0937-5512-0086", "4821093755120086",
                                 " 4821.0937.5512.0086 "])
def test_normalize_accepts_separators(raw):
    assert normalize_code(raw) == "4821093755120086"


@pytest.mark.parametrize("raw", ["", "1234", "4821 0937 5512 008", "4821 0937 5512 00861", "abcd efgh ijkl mnop",
                                 "４８２１０９３７５５１２００８６", None])
def test_normalize_rejects_malformed(raw):
    with pytest.raises(InvalidReceipt):
        normalize_code(raw)


def test_hash_and_lookup_do_not_contain_the_code():
    digits = "4821093755120086"
    h = ReceiptHasher(TEST_ARGON2)
    stored = h.hash(digits)
    assert stored.startswith("$argon2id$") and digits not in stored
    assert h.verify(stored, digits)
    assert not h.verify(stored, "4821093755120087")
    assert not h.verify("garbage", digits)
    pepper_a, pepper_b = b"a" * 32, b"b" * 32
    assert lookup_key(pepper_a, digits) != lookup_key(pepper_b, digits)
    assert digits not in lookup_key(pepper_a, digits)
    assert format_code(digits) == "4821 0937 5512 0086"


class CountingHasher(ReceiptHasher):
    def __init__(self, params):
        super().__init__(params)
        self.verifications = 0

    def verify(self, stored_hash, digits):
        self.verifications += 1
        return super().verify(stored_hash, digits)


@pytest.fixture
def store(tmp_path):
    keys = make_keys(tmp_path)
    cfg = test_config(f"sqlite:///{tmp_path / 'm.db'}", keys, tmp_path)
    upgrade_db(cfg.url())
    s = MeldingStore(cfg)
    s._hasher = CountingHasher(TEST_ARGON2)
    yield s
    s.dispose()


def test_unknown_code_costs_one_argon2_verification_like_a_known_one(store):
    res = store.submit("misstand", {"omschrijving": "x"}, None, "k1")
    hasher = store.hasher
    hasher.verifications = 0
    store.status(res.receipt_code)
    assert hasher.verifications == 1
    hasher.verifications = 0
    wrong = "0000 0000 0000 0001" if res.receipt_code != "0000 0000 0000 0001" else "0000 0000 0000 0002"
    with pytest.raises(InvalidReceipt):
        store.status(wrong)
    assert hasher.verifications == 1  # dummy verification: no fast path for unknown codes


def test_wrong_codes_are_rejected_and_audited(store):
    res = store.submit("misstand", {"omschrijving": "x"}, None, "k2")
    digits = normalize_code(res.receipt_code)
    off_by_one = f"{(int(digits) + 1) % 10 ** 16:016d}"
    for bad in (off_by_one, "1234"):
        with pytest.raises(InvalidReceipt):
            store.status(bad)
    from sqlalchemy import select, func
    from actions.meldingen.models import AuditEntry
    with store.sessions.begin() as s:
        n = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ontvangstcode_onjuist"))
    assert n == 2
    assert store.status(res.receipt_code).reference == res.reference

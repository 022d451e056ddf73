"""Beeldschermbril (Kerkrade H22): per-item caps, both insurer readings, the two-year window."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(inputs, today=TODAY):
    return get("beeldschermbril").compute("Kerkrade", inputs, today)


def test_per_item_caps_not_just_the_total():
    r = run({"prijs_per_glas": 60, "montuur": 90})
    assert r.value == 195.0  # 60 + 60 + 75, not min(210, 225)
    assert r.details["lezing_a"] == r.details["lezing_b"] == 195.0
    assert not any("lezing" in c.lower() for c in r.caveats)


def test_both_readings_when_insurer_pays():
    r = run({"glas_links": 100, "glas_rechts": 100, "montuur": 150, "vergoeding_verzekeraar": 50})
    assert r.value == 225.0
    assert r.details["lezing_b"] == 175.0
    assert "€ 225,00" in r.summary and "€ 175,00" in r.summary
    assert any("€ 175,00" in c and "P&O" in c for c in r.caveats)
    assert {c.line_start for c in r.citations} >= {2652, 2659}


def test_readings_can_coincide_with_an_insurer():
    r = run({"prijs_per_glas": 60, "montuur": 60, "vergoeding_verzekeraar": 30})
    # invoice 180, capped 180: A = min(150, 180) = 150; B = 180 − 30 = 150
    assert r.details["lezing_a"] == r.details["lezing_b"] == 150.0


def test_left_and_right_glass_prices():
    r = run({"glas_links": 40, "glas_rechts": 120, "montuur": 50})
    assert r.value == 40 + 75 + 50


def test_missing_glass_price():
    with pytest.raises(InputError) as err:
        run({"glas_links": 40, "montuur": 50})
    assert err.value.field == "glas_rechts"
    with pytest.raises(InputError):
        run({"montuur": 50})


def test_insurer_cannot_pay_more_than_invoice():
    with pytest.raises(InputError):
        run({"prijs_per_glas": 10, "montuur": 10, "vergoeding_verzekeraar": 100})


def test_two_year_window():
    inside = run({"prijs_per_glas": 60, "montuur": 90, "datum_vorige_vergoeding": "2025-06-01"})
    assert inside.value == 0.0
    assert inside.details["nieuwe_vergoeding_vanaf"] == "2027-06-01"
    assert "1 juni 2027" in inside.summary and "€ 195,00" in inside.summary
    # exactly two years later it is allowed again; one day earlier it is not
    on_day = run({"prijs_per_glas": 60, "montuur": 90, "datum_vorige_vergoeding": "2024-11-29"})
    assert on_day.value == 195.0
    day_before = run({"prijs_per_glas": 60, "montuur": 90, "datum_vorige_vergoeding": "2024-11-30"})
    assert day_before.value == 0.0


def test_previous_reimbursement_cannot_be_in_the_future():
    with pytest.raises(InputError):
        run({"prijs_per_glas": 60, "montuur": 90, "datum_vorige_vergoeding": "2027-01-01"})


def test_only_kerkrade():
    for g in ["Oldebroek", "Raalte", "Heemstede", "Kaag en Braassem"]:
        r = get("beeldschermbril").compute(g, {"prijs_per_glas": 60, "montuur": 90}, TODAY)
        assert not r.supported and "225" not in r.summary

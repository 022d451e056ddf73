"""Telefoonvergoeding and reiskosten (Oldebroek tables, Kerkrade IKB, unsupported variants)."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(name, inputs, gemeente="Oldebroek"):
    return get(name).compute(gemeente, inputs, TODAY)


@pytest.mark.parametrize("cost,expected", [(4.99, 0.0), (5, 14.0), (15.99, 14.0), (16, 23.0), (24.99, 23.0),
                                           (25, 34.0), (35.99, 34.0), (36, 45.0), (200, 45.0)])
def test_telephone_brackets(cost, expected):
    assert run("telefoonvergoeding", {"werkelijke_kosten": cost}).value == expected


def test_telephone_boundary_and_declaration():
    r = run("telefoonvergoeding", {"werkelijke_kosten": 16})
    assert any("grens van twee schijven" in c for c in r.caveats)
    assert run("telefoonvergoeding", {"werkelijke_kosten": 80, "gespecificeerde_declaratie": True}).value == 80.0
    assert run("telefoonvergoeding", {"werkelijke_kosten": 10, "gespecificeerde_declaratie": True}).value == 14.0


@pytest.mark.parametrize("vehicle,km,stepwise,flat", [
    ("fiets", 300, 15.0, 15.0),
    ("scooter", 6000, 1210.0, 960.0),
    ("motor of scooter", 5000, 1050.0, 1050.0),
    ("motor of scooter", 25000, 5000 * 0.21 + 5000 * 0.16 + 10000 * 0.12 + 5000 * 0.11, 25000 * 0.11),
    ("rijwiel met hulpmotor", 6000, 500.0 + 160.0, 960.0),
])
def test_dienstreis_table_both_readings(vehicle, km, stepwise, flat):
    r = run("reiskosten", {"soort": "dienstreis", "voertuig": vehicle, "km_per_jaar": km})
    assert r.value == pytest.approx(stepwise)
    assert r.details["een_tarief"] == pytest.approx(flat)


def test_rising_moped_rate_is_flagged():
    r = run("reiskosten", {"soort": "dienstreis", "voertuig": "rijwiel met hulpmotor", "km_per_jaar": 6000})
    assert any("hoger dan eronder" in c for c in r.caveats)


def test_car_rate_is_in_a_missing_bijlage():
    r = run("reiskosten", {"soort": "dienstreis", "voertuig": "auto", "km_per_jaar": 1000})
    assert not r.supported and "bijlage" in r.summary
    assert r.citations[0].line_start == 2341


def test_woonwerk_cafetaria_caps_and_readings():
    r = run("reiskosten", {"soort": "woon-werk", "enkele_afstand_km": 80, "dagen_per_week": 5})
    assert r.value == 5871.0 and r.details["enkele_reis"] == 2935.5
    r3 = run("reiskosten", {"soort": "woon-werk", "enkele_afstand_km": 20, "dagen_per_week": 3})
    assert r3.value == pytest.approx(0.19 * 20 * 2 * 206 * 3 / 5, abs=0.01)


def test_woonwerk_kerkrade_ikb():
    r = run("reiskosten", {"soort": "woon-werk", "enkele_afstand_km": 10, "dagen_per_week": 5}, "Kerkrade")
    assert r.value == 813.2
    r = run("reiskosten", {"soort": "woon-werk", "enkele_afstand_km": 80, "dagen_per_week": 5}, "Kerkrade")
    assert any("administratie" in s for s in r.steps)
    assert any("onduidelijk" in c for c in r.caveats)


def test_dienstreis_kerkrade_refers_to_cao_rijk():
    r = run("reiskosten", {"soort": "dienstreis", "voertuig": "auto", "km_per_jaar": 1000}, "Kerkrade")
    assert not r.supported and "Cao Rijk" in r.summary


@pytest.mark.parametrize("gemeente", ["Raalte", "Heemstede"])
def test_no_travel_rules(gemeente):
    r = run("reiskosten", {"soort": "woon-werk"}, gemeente)
    assert not r.supported and not r.citations

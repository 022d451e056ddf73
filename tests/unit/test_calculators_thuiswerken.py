"""Thuiswerken (Kerkrade H12–H13): 50% ceiling and the 1 / 2/3 / 1/3 repayment table."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(inputs):
    return get("thuiswerken").compute("Kerkrade", inputs, TODAY)


@pytest.mark.parametrize("ad,expected", [(36, 18), (32, 16), (24, 12)])
def test_half_of_the_working_time(ad, expected):
    assert run({"onderdeel": "thuiswerkuren", "uren_per_week": ad}).value == expected


@pytest.mark.parametrize("months,expected", [(0, 600.0), (11, 600.0), (12, 400.0), (23, 400.0), (24, 200.0),
                                             (30, 200.0), (35, 200.0), (36, 0.0), (60, 0.0)])
def test_repayment_table(months, expected):
    r = run({"onderdeel": "terugbetaling", "aankoopbedrag": 600, "maanden_na_aanschaf": months})
    assert r.value == expected


def test_repayment_with_dates_and_anniversary_boundary():
    r = run({"onderdeel": "terugbetaling", "aankoopbedrag": 450, "datum_aanschaf": "2024-03-15",
             "datum_einde": "2026-03-14"})
    assert r.value == 300.0  # 23 full months → 2/3
    on_day = run({"onderdeel": "terugbetaling", "aankoopbedrag": 450, "datum_aanschaf": "2024-03-15",
                  "datum_einde": "2026-03-15"})
    assert on_day.value == 150.0
    assert any("precies 24 maanden" in c for c in on_day.caveats)


def test_exceptions():
    base = {"onderdeel": "terugbetaling", "aankoopbedrag": 600, "maanden_na_aanschaf": 20}
    for reason in ("bedrijfseconomisch", "arbeidsongeschiktheid", "aow", "keuzepensioen"):
        assert run({**base, "reden_einde": reason}).value == 0.0
    # purchase within 12 months before the AOW date / keuzepensioen: the normal table applies (full repayment)
    assert run({**base, "maanden_na_aanschaf": 6, "reden_einde": "aow"}).value == 600.0
    assert run({**base, "maanden_na_aanschaf": 6, "reden_einde": "keuzepensioen"}).value == 600.0


def test_end_before_purchase_rejected():
    with pytest.raises(InputError):
        run({"onderdeel": "terugbetaling", "aankoopbedrag": 450, "datum_aanschaf": "2025-03-15",
             "datum_einde": "2025-01-15"})

"""Salary and payment calculators: salaris per uur / deel maand, promotie, functieschaal, periodiek,
gratificatie, jubileum, ontslaguitkering, generatiepact."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(name, inputs, gemeente="Kerkrade", today=TODAY):
    return get(name).compute(gemeente, inputs, today)


def test_salaris_per_uur_uses_full_time_salary():
    assert run("salaris_per_uur", {"maandsalaris": 3900}).value == 25.0
    part = run("salaris_per_uur", {"maandsalaris": 2600, "uren_per_week": 24})
    assert part.value == 25.0  # not 2600 / 156 = 16,67
    assert "€ 3.900,00" in part.summary


@pytest.mark.parametrize("start,end,amount,expected", [
    ("2025-03-17", None, 3100, 1500.0),          # the notes' example: 15 of 31 days
    ("2025-02-01", "2025-02-14", 2800, 1400.0),  # 28-day February
    ("2024-02-01", "2024-02-29", 2900, 2900.0),  # leap year, whole month
    ("2025-04-30", "2025-04-30", 3000, 100.0),
])
def test_salaris_deel_maand(start, end, amount, expected):
    inputs = {"maandbedrag": amount, "begindatum": start}
    if end:
        inputs["einddatum"] = end
    assert run("salaris_deel_maand", inputs).value == expected


def test_salaris_deel_maand_rejects_two_months():
    with pytest.raises(InputError):
        run("salaris_deel_maand", {"maandbedrag": 3000, "begindatum": "2025-03-20", "einddatum": "2025-04-05"})


def test_promotie_minimum_and_check():
    r = run("promotie", {"huidig_salaris": 4000, "naast_lager_bedrag": 3850, "nieuw_bedrag": 4080})
    assert r.value == 112.5
    assert "€ 112,50" in r.summary and "€ 4.112,50" in r.summary
    assert any("tekort" in c for c in r.caveats)
    ok = run("promotie", {"huidig_salaris": 4000, "naast_lager_bedrag": 3850, "nieuw_bedrag": 4200})
    assert "voldoet" in ok.summary


@pytest.mark.parametrize("score,schaal", [(0, "1"), (29, "1"), (30, "2"), (120, "9"), (121, "10"), (133, "10"),
                                          (134, "10A"), (155, "11"), (156, "11A"), (228, "14"), (229, "15"), (339, "15")])
def test_conversietabel_boundaries(score, schaal):
    r = run("functieschaal", {"totaalscore": score})
    assert r.value == schaal
    assert any(c.line_start == c.line_end and 6024 <= c.line_start <= 6041 for c in r.citations)


def test_functieschaal_needs_all_six_scores():
    with pytest.raises(InputError):
        run("functieschaal", {"kennis": 42, "contact": 12})


def test_periodiek_kerkrade_next_date_and_onvoldoende():
    r = run("periodiek", {"maximum_bereikt": False, "datum": "2025-07-01"})
    assert r.value == "2026-07-01"
    bad = run("periodiek", {"maximum_bereikt": False, "datum": "2025-07-01", "beoordeling": "onvoldoende"})
    assert "niet toekent" in bad.summary
    assert any("schriftelijk" in c for c in bad.caveats)


def test_uitloopschaal_needs_goed():
    r = run("periodiek", {"maximum_bereikt": True, "datum": "2023-01-01", "beoordeling": "voldoende"})
    assert r.value is False


def test_periodiek_kaag_en_braassem_all_voldoende():
    r = run("periodiek", {"score_prestatie": "goed", "score_potentieel": "Voldoende",
                          "score_kernwaarden": "zeer goed", "maximum_bereikt": False, "datum": "2025-03-01"},
            "Kaag en Braassem")
    assert r.value is True and r.details["datum"] == "2026-03-01"
    top = run("periodiek", {"score_prestatie": "goed", "score_potentieel": "goed", "score_kernwaarden": "goed",
                            "maximum_bereikt": True}, "Kaag en Braassem")
    assert top.value is False


def test_periodiek_inputs_differ_per_gemeente():
    calc = get("periodiek")
    assert "score_prestatie" in [s.name for s in calc.inputs_for("Kaag en Braassem")]
    assert "score_prestatie" not in [s.name for s in calc.inputs_for("Kerkrade")]


def test_gratificatie_individual_and_group():
    assert run("gratificatie", {"soort": "individueel"}).value == 910.0
    assert run("gratificatie", {"soort": "groep", "groepsgrootte": 6}).value == 960.0


@pytest.mark.parametrize("gemeente", ["Oldebroek", "Kaag en Braassem"])
def test_gratificatie_without_amount_elsewhere(gemeente):
    r = run("gratificatie", {"soort": "individueel"}, gemeente)
    assert not r.supported and r.citations and r.citations[0].gemeente == gemeente
    assert "910" not in r.summary


@pytest.mark.parametrize("years,salary,allow,only,gap,expected", [
    (25, 3800, 0, True, False, 4104.0),
    (25, 3800, 0, False, False, 2052.0),
    (25, 3800, 0, True, True, 2052.0),     # gap of more than six months: no doubling
    (40, 2700, 150, False, False, 3078.0),
    (50, 4100, 0, True, False, 8856.0),
    (30, 4000, 0, True, False, 0.0),       # not a jubilee year
])
def test_jubileum(years, salary, allow, only, gap, expected):
    r = run("jubileum", {"dienstjaren": years, "maandsalaris": salary, "salaristoelagen": allow,
                         "uitsluitend_kerkrade": only, "onderbreking_langer_dan_6_maanden": gap})
    assert r.value == expected
    if expected == 0:
        assert "volgende jubileum is bij 40 jaar" in r.summary


@pytest.mark.parametrize("years,reason,expected", [
    (9, None, 0.0), (9.9, "volledig pensioen", 0.0), (10, "deeltijdpensioen", 0.0), (12, "anders", 0.0),
])
def test_ontslaguitkering_not_eligible(years, reason, expected):
    inputs = {"dienstjaren_kerkrade": years}
    if reason:
        inputs["reden"] = reason
    r = run("ontslaguitkering", inputs)
    assert r.value == expected and r.summary.startswith("Nee")


def test_ontslaguitkering_amount_and_missing_reason():
    r = run("ontslaguitkering", {"dienstjaren_kerkrade": 10, "reden": "vroegpensioen",
                                 "salaris_laatste_maand": 3500, "salaristoelagen": 100})
    assert r.value == 3888.0
    with pytest.raises(InputError) as err:
        run("ontslaguitkering", {"dienstjaren_kerkrade": 15})
    assert err.value.field == "reden"
    no_salary = run("ontslaguitkering", {"dienstjaren_kerkrade": 15, "reden": "volledig pensioen"})
    assert no_salary.value is None and no_salary.summary.startswith("Ja")


def test_generatiepact_closed_after_1_october_2025():
    r = run("generatiepact", {"variant": "58", "uren_per_week": 36, "salaris": 4000})
    assert r.value is None
    assert r.summary.startswith("Het generatiepact staat niet meer open voor nieuwe deelnemers")
    assert "1 oktober 2025" in r.summary
    assert r.details["gesloten"] is True


def test_generatiepact_for_existing_participant():
    r = run("generatiepact", {"variant": "62-50", "uren_per_week": 36, "salaris": 4000, "al_deelnemer": True})
    assert r.value == 18.0
    assert "€ 3.000,00" in r.summary
    assert "niet meer open" in r.summary


def test_generatiepact_before_closure_and_minimum_hours():
    before = date(2025, 1, 15)
    r = run("generatiepact", {"variant": "58", "uren_per_week": 36, "datum_verzoek": "2025-01-15"}, today=before)
    assert r.value == 28.8
    assert any("1 mei 2025" in s and "1 juli 2025" in s for s in r.steps)
    small = run("generatiepact", {"variant": "62-40", "uren_per_week": 10}, today=before)
    assert small.value is None and "niet mogelijk" in small.summary
    assert run("generatiepact", {"variant": "58", "uren_per_week": 10}, today=before).value == 8.0


def test_generatiepact_on_last_day_still_open():
    r = run("generatiepact", {"variant": "58", "uren_per_week": 36}, today=date(2025, 10, 1))
    assert r.details["gesloten"] is False and r.value == 28.8

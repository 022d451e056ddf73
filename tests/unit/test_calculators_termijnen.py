"""Termijnen per gemeente: calendar units, working days, windows, 'voor' deadlines, repetitions."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators import params as P
from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(gemeente, termijn, start, **extra):
    return get("termijnen").compute(gemeente, {"termijn": termijn, "startdatum": start, **extra}, TODAY)


@pytest.mark.parametrize("gemeente,termijn,start,expected", [
    ("Kerkrade", "misstand_ontvangstbevestiging", "2025-09-01", "2025-09-08"),
    ("Kerkrade", "misstand_geen_onderzoek", "2025-09-01", "2025-09-15"),
    ("Kerkrade", "misstand_standpunt", "2025-11-30", "2026-02-28"),   # month-end clamping
    ("Kerkrade", "eed_of_belofte", "2025-01-31", "2025-02-28"),
    ("Kerkrade", "geschillen_getuigen", "2025-10-20", "2025-10-06"),  # two weeks *before* the hearing
    ("Kerkrade", "klacht_advies_commissie", "2025-01-06", "2025-03-31"),
    ("Kerkrade", "pago", "2021-05-10", "2026-05-10"),
    ("Oldebroek", "bezwaar_beoordeling", "2025-03-10", "2025-04-21"),
    ("Oldebroek", "bedenkingen_functiebeschrijving", "2025-03-03", "2025-03-24"),
    ("Oldebroek", "bezwaar_functiewaardering", "2025-04-07", "2025-05-19"),
    ("Raalte", "bericht_na_sluitingsdatum", "2025-03-14", "2025-04-04"),
    ("Heemstede", "beoordelingsgesprek_proef", "2026-01-31", "2025-10-31"),
    ("Kaag en Braassem", "pop_formulier", "2025-04-10", "2025-04-08"),
    ("Kaag en Braassem", "beoordelingsgesprek", "2020-04-15", "2021-02-15"),
    ("Kaag en Braassem", "buddy", "2025-03-01", "2025-08-31"),
])
def test_single_deadlines(gemeente, termijn, start, expected):
    r = run(gemeente, termijn, start)
    assert r.supported and r.value == expected
    assert r.citations and all(c.gemeente == gemeente for c in r.citations)


def test_werkdagen_with_holidays_and_both_readings():
    r = run("Raalte", "interne_vacature", "2025-04-14", feestdagen=["2025-04-18", "2025-04-21"])
    # 14–17 April (4), skip Good Friday and Easter Monday, 22–25 (4), 28–29 (2) → Tuesday 29 April
    assert r.value == "2025-04-29"
    assert r.details["momenten"][0]["alternatief"] == "2025-04-30"
    assert any("begindag" in c for c in r.caveats)


def test_werkdagen_starting_on_a_saturday():
    r = run("Raalte", "interne_vacature", "2025-03-01")
    assert r.value == r.details["momenten"][0]["alternatief"] == "2025-03-14"


def test_weekend_deadline_is_flagged():
    r = run("Kerkrade", "misstand_ontvangstbevestiging", "2025-09-06")  # Saturday + 7 days = Saturday
    assert r.value == "2025-09-13"
    assert any("weekend" in c for c in r.caveats)


def test_sick_leave_timeline():
    r = run("Kerkrade", "ziekteverzuim", "2026-02-02")
    dates = {m["label"].split(" (")[0]: m["datum"] for m in r.details["momenten"]}
    assert dates["probleemanalyse door de bedrijfsarts bij dreigend langdurig verzuim"] == "2026-03-09"
    assert dates["WIA-aanvraag indienen bij het UWV"] == "2027-10-25"
    assert r.details["momenten"][-1]["datum"] == "2028-01-24"
    assert any("cao" in c for c in r.caveats)


def test_termijn_choices_are_per_gemeente():
    calc = get("termijnen")
    raalte = calc.inputs_for("Raalte")[0].choices
    assert "interne_vacature" in raalte and "misstand_ontvangstbevestiging" not in raalte
    with pytest.raises(InputError):
        run("Raalte", "misstand_ontvangstbevestiging", "2025-09-01")
    assert calc.labels("Heemstede")["jaargesprekken"].startswith("Cyclus")
    assert calc.start_question("Kerkrade", "agressie_nazorg") == "Op welke datum vond het incident plaats?"


def test_every_termijn_of_every_gemeente_computes():
    for slug, info in P.load().gemeenten.items():
        for key in get("termijnen").labels(info.name):
            r = run(info.name, key, "2025-06-16")
            assert r.supported and r.value and r.steps, (slug, key)


def test_heemstede_results_say_the_regeling_expired():
    r = run("Heemstede", "jaargesprekken", "2025-01-15")
    assert [m["datum"] for m in r.details["momenten"]] == ["2025-07-15", "2026-01-15"]
    assert any("1 januari 2020" in c for c in r.caveats)

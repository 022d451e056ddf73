"""Leave calculators: zorgverlof, ouderschaps-, geboorte-, adoptie-, zwangerschapsverlof (Kerkrade)
and vakantieverlof / verlof kopen en verkopen (Oldebroek)."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(name, inputs, gemeente="Kerkrade"):
    return get(name).compute(gemeente, inputs, TODAY)


# --- zorgverlof ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("ad,maximum,employer", [(36, 72, 36), (32, 64, 32), (24, 48, 24), (28, 56, 28)])
def test_kortdurend_zorgverlof(ad, maximum, employer):
    r = run("zorgverlof", {"soort": "kort", "uren_per_week": ad})
    assert r.value == maximum
    assert r.details["werkgever"] == employer
    assert r.steps[0] == f"2 × {ad} uur = {maximum} uur kortdurend zorgverlof per 12 maanden."
    assert f"daarvan komt 50% ({employer} uur) voor rekening van de werkgever".lower() in r.steps[1].lower()
    assert any("bovenwettelijke verlofuren" in c for c in r.caveats)
    assert any("kalenderjaar" in c for c in r.caveats)


def test_kortdurend_with_hours_already_used():
    r = run("zorgverlof", {"soort": "kort", "uren_per_week": 32, "al_opgenomen_uren": 10})
    assert r.value == 54
    assert "nog 54 uur" in r.summary


def test_zorgverlof_used_more_than_maximum_gives_zero():
    r = run("zorgverlof", {"soort": "kort", "uren_per_week": 32, "al_opgenomen_uren": 80})
    assert r.value == 0
    assert any("meer uren opgegeven" in c for c in r.caveats)


@pytest.mark.parametrize("ad,maximum", [(36, 216), (32, 192), (24, 144)])
def test_langdurend_zorgverlof(ad, maximum):
    r = run("zorgverlof", {"soort": "lang", "uren_per_week": ad})
    assert r.value == maximum
    text = " ".join(r.steps)
    assert "50% van het salaris doorbetaald" in text
    assert "geen verlofuren op" in text
    assert "onbetaald verlof" in text
    assert any("pensioenpremie" in c for c in r.caveats)
    assert {c.line_start for c in r.citations} >= {2005, 2030}


# --- ouderschapsverlof / geboorte / adoptie -------------------------------------------------------------

def test_ouderschapsverlof_percentage_not_invented():
    r = run("ouderschapsverlof", {"uren_per_week": 32})
    assert (r.value, r.details["betaald"], r.details["onbetaald"]) == (832, 416, 416)
    assert any("Niet in de regeling" in c and "cao Gemeenten" in c for c in r.caveats)
    assert "%" not in r.summary.replace("percentage", "")


def test_ouderschapsverlof_remaining_paid_first():
    r = run("ouderschapsverlof", {"uren_per_week": 36, "al_opgenomen_uren": 100})
    assert r.value == 836
    assert r.details["betaald_resterend"] == 368


def test_geboorteverlof_with_dates():
    r = run("geboorteverlof", {"uren_per_week": 36, "geboortedatum": "2026-01-15"})
    assert r.value == 36
    assert r.details["aanvullend"] == 180
    assert r.details["geboorteverlof_tot"] == "2026-02-12"
    assert (r.details["aanvullend_van"], r.details["aanvullend_tot"]) == ("2026-01-16", "2026-07-15")
    assert "70%" in r.summary
    assert any("maximale dagloon" in c for c in r.caveats)


def test_adoptieverlof_window():
    r = run("adoptieverlof", {"uren_per_week": 32, "datum_opname": "2026-03-01"})
    assert r.value == 192
    assert (r.details["van"], r.details["tot"]) == ("2026-02-01", "2026-08-01")


# --- zwangerschaps- en bevallingsverlof ----------------------------------------------------------------

def test_zwangerschapsverlof_start_only():
    r = run("zwangerschapsverlof", {"vermoedelijke_datum": "2025-06-01"})
    assert r.value == "2025-04-21"
    assert r.unit == "datum"


def test_zwangerschapsverlof_meerling_starts_ten_weeks_before():
    r = run("zwangerschapsverlof", {"vermoedelijke_datum": "2025-06-01", "meerling": True})
    assert r.value == "2025-03-24"


def test_bevallingsverlof_when_born_after_expected_date():
    r = run("zwangerschapsverlof", {"vermoedelijke_datum": "2025-06-01", "bevallingsdatum": "2025-06-05"})
    assert r.value == 70  # no shortfall: ten weeks
    assert r.details["bevallingsverlof_tot"] == "2025-08-14"


def test_zwangerschapsverlof_cannot_start_before_the_right_exists():
    with pytest.raises(InputError):
        run("zwangerschapsverlof", {"vermoedelijke_datum": "2025-06-01", "start_zwangerschapsverlof": "2025-04-01",
                                    "bevallingsdatum": "2025-05-25"})


# --- Oldebroek vakantieverlof ----------------------------------------------------------------------------

@pytest.mark.parametrize("pre97,age,years,ge38,ad,expected", [
    (True, 52, 30, True, 40, 194.4),      # notes example 1
    (True, 52, 30, True, 32, 155.52),     # part-time 32/40
    (False, 58, 20, False, 40, 180.0),    # example 2: post-96 table has nothing at 15-24 years
    (True, 61, 40, True, 40, 201.6),      # 165,6 + 43,2 = 208,8 capped at 201,6
    (True, 47, 29, True, 40, 194.4),      # service (28,8) beats age (21,6)
    (False, 30, 8, False, 40, 158.4),     # nothing extra
    (True, 18, 1, False, 40, 180.0),      # pre-97 age ≤ 18: 21,6
])
def test_vakantieverlof_oldebroek(pre97, age, years, ge38, ad, expected):
    r = run("vakantieverlof", {"in_dienst_voor_1997": pre97, "leeftijd": age, "diensttijd_jaren": years,
                               "salaris_ge_nr38": ge38, "uren_per_week": ad}, "Oldebroek")
    assert r.value == pytest.approx(expected)
    assert any(c.line_start == 587 for c in r.citations) or expected < 201.6


def test_vakantieverlof_never_adds_both_supplements():
    r = run("vakantieverlof", {"in_dienst_voor_1997": True, "leeftijd": 52, "diensttijd_jaren": 30,
                               "salaris_ge_nr38": True}, "Oldebroek")
    assert "Niet optellen" in " ".join(r.steps)


def test_vakantieverlof_unknown_salary_threshold_gives_both_outcomes():
    r = run("vakantieverlof", {"in_dienst_voor_1997": False, "leeftijd": 40, "diensttijd_jaren": 10}, "Oldebroek")
    assert r.details == {"salaris_lager_dan_nr38": 158.4, "salaris_vanaf_nr38": 165.6}
    assert "158,4 uur" in r.summary and "165,6 uur" in r.summary
    assert any("nummer 38" in c and "bijlage" in c for c in r.caveats)


def test_verlof_kopen_whole_hours_pro_rata():
    r = run("verlof_kopen_verkopen", {"richting": "kopen", "uren_per_week": 32, "bruto_uurloon": 25}, "Oldebroek")
    assert r.value == 57  # 72 × 32/40 = 57,6 → only whole hours
    assert r.details["kosten"] == 57 * 25


def test_verlof_verkopen_respects_basisaanspraak():
    r = run("verlof_kopen_verkopen", {"richting": "verkopen", "uren_per_week": 40, "saldo_uren": 180}, "Oldebroek")
    assert r.value == 36  # min(72, 180 − 144)
    r = run("verlof_kopen_verkopen", {"richting": "verkopen", "uren_per_week": 40, "saldo_uren": 140}, "Oldebroek")
    assert r.value == 0


def test_leave_calculators_not_borrowed_across_gemeenten():
    assert not run("vakantieverlof", {}, "Kerkrade").supported
    assert not run("zorgverlof", {}, "Oldebroek").supported

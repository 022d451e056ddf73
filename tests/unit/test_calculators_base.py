"""Shared behaviour: output shape, input validation, unsupported gemeenten, registry."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from actions.calculators import base
from actions.calculators.base import Calculation, Calculator, InputError, InputSpec, validate_inputs
from actions.calculators.registry import CALCULATORS, for_gemeente, get
from actions.calculators.tekst import datum_dag, euro, getal, uren

TODAY = date(2026, 11, 29)
GEMEENTEN = ["Kerkrade", "Oldebroek", "Raalte", "Heemstede", "Kaag en Braassem"]


def test_to_json_has_exactly_the_agreed_keys():
    calc = get("zorgverlof").compute("Kerkrade", {"soort": "kort", "uren_per_week": 32}, TODAY)
    data = calc.to_json()
    assert set(data) == {"name", "inputs", "result", "steps", "citations", "caveats"}
    assert set(data["result"]) == {"value", "unit"}
    assert data["result"] == {"value": 64.0, "unit": "uur"}
    assert set(data["citations"][0]) == {"doc", "gemeente", "title", "section", "line_start", "line_end", "quote",
                                         "score"}
    assert data["inputs"] == {"soort": "kort", "uren_per_week": 32.0}
    json.dumps(data)  # serialisable


def test_every_calculator_follows_the_protocol():
    for name, calc in CALCULATORS.items():
        assert isinstance(calc, Calculator)
        assert calc.name == name and calc.title
        assert all(isinstance(s, InputSpec) and s.question.endswith(("?", ".", ")")) for s in calc.inputs)


def test_registry_get_unknown_name():
    with pytest.raises(KeyError, match="zorgverlof"):
        get("bestaat_niet")


def test_for_gemeente_lists_only_regulated_calculators():
    assert "relatiegeschenk" in for_gemeente("Kerkrade")
    assert for_gemeente("Raalte") == ["termijnen"]
    assert set(for_gemeente("Kaag en Braassem")) == {"studiekosten", "termijnen", "stagevergoeding", "periodiek"}


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_unsupported_gemeenten_get_a_clear_answer_without_figures(name):
    calc = CALCULATORS[name]
    for gemeente in GEMEENTEN:
        if gemeente in calc.gemeenten():
            continue
        result = calc.compute(gemeente, {}, TODAY)  # no inputs needed to learn it is not regulated
        assert result.supported is False
        assert result.value is None
        assert "P&O" in result.summary
        assert gemeente in result.summary
        assert result.caveats and result.summary in result.caveats
        # never borrow another gemeente's figures: only this gemeente's own regeling may be cited
        assert all(c.gemeente == gemeente for c in result.citations)


def test_relatiegeschenk_elsewhere_does_not_mention_kerkrade_amount():
    for gemeente in ["Oldebroek", "Raalte", "Heemstede", "Kaag en Braassem"]:
        result = get("relatiegeschenk").compute(gemeente, {"waarde": 30}, TODAY)
        assert not result.supported
        assert "50" not in result.summary
        assert "regelt het aannemen van relatiegeschenken niet" in result.summary


def test_unknown_gemeente():
    result = get("zorgverlof").compute("Utrecht", {"soort": "kort", "uren_per_week": 36}, TODAY)
    assert result.supported is False and result.value is None
    assert "Utrecht" in result.summary


def test_mentioned_but_not_given_cites_the_passage():
    result = get("zorgverlof").compute("Kaag en Braassem", {"soort": "kort", "uren_per_week": 36}, TODAY)
    assert not result.supported
    assert "artikel 6.7 en 6.8" in result.summary
    assert [(c.line_start, c.line_end) for c in result.citations] == [(1067, 1071)]


@pytest.mark.parametrize("raw,expected", [
    (32, Decimal(32)), ("32", Decimal(32)), ("32,5", Decimal("32.5")), ("32 uur", Decimal(32)), (24.0, Decimal(24)),
])
def test_hours_are_parsed(raw, expected):
    spec = InputSpec("uren", "hours", True, "Uren?", min=1, max=60)
    assert validate_inputs([spec], {"uren": raw}, TODAY)["uren"] == expected


@pytest.mark.parametrize("raw", [0, 0.5, 61, -3, "veel", float("nan"), float("inf"), True])
def test_hours_out_of_range(raw):
    spec = InputSpec("uren", "hours", True, "Uren?", min=1, max=60)
    with pytest.raises(InputError) as err:
        validate_inputs([spec], {"uren": raw}, TODAY)
    assert err.value.field == "uren" and err.value.message_nl


@pytest.mark.parametrize("raw,expected", [
    ("€ 1.234,56", Decimal("1234.56")), ("50,-", Decimal(50)), ("€ 75", Decimal(75)), (50.01, Decimal("50.01")),
    ("1234.5", Decimal("1234.5")), ("0", Decimal(0)),
])
def test_money_is_parsed(raw, expected):
    spec = InputSpec("bedrag", "money", True, "Bedrag?")
    assert validate_inputs([spec], {"bedrag": raw}, TODAY)["bedrag"] == expected


@pytest.mark.parametrize("raw", [-0.01, 1_000_000, "1.000.000", "twintig"])
def test_money_out_of_range(raw):
    spec = InputSpec("bedrag", "money", True, "Bedrag?")
    with pytest.raises(InputError):
        validate_inputs([spec], {"bedrag": raw}, TODAY)


def test_dates_real_and_not_in_future():
    spec = InputSpec("d", "date", True, "Datum?", not_future=True)
    assert validate_inputs([spec], {"d": "15-03-2025"}, TODAY)["d"] == date(2025, 3, 15)
    assert validate_inputs([spec], {"d": "2025-03-15"}, TODAY)["d"] == date(2025, 3, 15)
    for bad in ("31-02-2025", "2025-13-01", "gisteren"):
        with pytest.raises(InputError):
            validate_inputs([spec], {"d": bad}, TODAY)
    with pytest.raises(InputError, match="toekomst"):
        validate_inputs([spec], {"d": "2027-01-01"}, TODAY)


def test_missing_required_input_names_the_question():
    with pytest.raises(InputError) as err:
        get("zorgverlof").compute("Kerkrade", {"soort": "kort"}, TODAY)
    assert err.value.field == "uren_per_week"
    assert "uur per week" in err.value.message_nl


def test_choice_aliases_and_bad_choice():
    result = get("zorgverlof").compute("Kerkrade", {"soort": "Langdurend", "uren_per_week": 24}, TODAY)
    assert result.inputs["soort"] == "lang"
    with pytest.raises(InputError, match="kort, lang"):
        get("zorgverlof").compute("Kerkrade", {"soort": "middel", "uren_per_week": 24}, TODAY)


def test_conditional_inputs_are_only_required_when_they_apply():
    calc = get("thuiswerken")
    result = calc.compute("Kerkrade", {"onderdeel": "thuiswerkuren", "uren_per_week": 32}, TODAY)
    assert result.value == 16.0
    with pytest.raises(InputError) as err:
        calc.compute("Kerkrade", {"onderdeel": "terugbetaling"}, TODAY)
    assert err.value.field == "aankoopbedrag"


def test_bool_parsing():
    spec = InputSpec("b", "bool", True, "Ja of nee?")
    assert validate_inputs([spec], {"b": "ja"}, TODAY)["b"] is True
    assert validate_inputs([spec], {"b": "Nee"}, TODAY)["b"] is False
    with pytest.raises(InputError):
        validate_inputs([spec], {"b": "misschien"}, TODAY)


def test_dutch_formatting():
    assert euro(Decimal("1234.5")) == "€ 1.234,50"
    assert euro(Decimal("0.005")) == "€ 0,01"
    assert getal(Decimal("155.520")) == "155,52"
    assert getal(Decimal("72.00")) == "72"
    assert uren(Decimal("7.2")) == "7,2 uur"
    assert datum_dag(date(2025, 3, 14)) == "vrijdag 14 maart 2025"


def test_expired_regeling_is_flagged():
    result = get("termijnen").compute("Heemstede", {"termijn": "jaargesprekken", "startdatum": "2025-01-15"}, TODAY)
    assert any("buiten werking" in c for c in result.caveats)


def test_citations_are_deduplicated_when_contained():
    result = get("zorgverlof").compute("Kerkrade", {"soort": "kort", "uren_per_week": 36}, TODAY)
    quotes = [c.quote for c in result.citations]
    assert "in een periode van 12 maanden" not in quotes  # contained in the kort_factor sentence
    assert len(quotes) == len(set(quotes))


def test_calculation_value_is_plain_json_type():
    for name, gemeente, inputs in [
        ("beeldschermbril", "Kerkrade", {"prijs_per_glas": 100, "montuur": 150}),
        ("vakantieverlof", "Oldebroek", {"in_dienst_voor_1997": True, "leeftijd": 50, "diensttijd_jaren": 20}),
    ]:
        result = get(name).compute(gemeente, inputs, TODAY)
        assert isinstance(result, Calculation)
        assert isinstance(result.value, (float, int, bool, str)) or result.value is None
        assert not isinstance(result.value, Decimal)


def test_kinds_are_closed():
    with pytest.raises(ValueError):
        InputSpec("x", "kleur", True, "?")
    assert "hours" in base.KINDS

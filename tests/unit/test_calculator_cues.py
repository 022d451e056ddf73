"""Figures in a whole sentence tied to calculator inputs by the words next to them."""
from __future__ import annotations

import datetime as dt

import pytest

from actions.calculator_cues import coerced_cue_values, cue_values, load_cues
from actions.calculators import registry

TODAY = dt.date(2026, 11, 29)


def names(calc: str) -> list[str]:
    return [s.name for s in registry.get(calc).inputs]


@pytest.mark.parametrize("calc,text,expected", [
    ("reiskosten", "Ik fiets 300 km per jaar voor dienstreizen. Wat krijg ik?",
     {"km_per_jaar": "300", "voertuig": "fiets", "soort": "dienstreis"}),
    ("reiskosten", "Ik woon 80 km van het werk en reis 5 dagen per week.",
     {"enkele_afstand_km": "80", "dagen_per_week": "5", "soort": "woon-werk"}),
    ("functieschaal", "kennis 42, zelfstandigheid 27, contact 12, leidinggeven 8",
     {"kennis": "42", "zelfstandigheid": "27", "contact": "12", "leidinggeven": "8"}),
    ("functieschaal", "Mijn functie heeft 134 punten. Is dat schaal 10 of 11?", {"totaalscore": "134"}),
    ("promotie", "Ik zit op het maximum van mijn schaal (€ 4.000; de trede daaronder is € 3.850)",
     {"huidig_salaris": "€ 4.000", "naast_lager_bedrag": "€ 3.850"}),
    ("beeldschermbril", "2 glazen van € 100, montuur € 150 en mijn zorgverzekeraar vergoedt € 50.",
     {"prijs_per_glas": "€ 100", "montuur": "€ 150", "vergoeding_verzekeraar": "€ 50"}),
])
def test_cues_place_figures(calc: str, text: str, expected: dict) -> None:
    assert cue_values(calc, text, names(calc)) == expected


def test_dates_and_choice_words_next_to_their_cues() -> None:
    text = ("Mijn vermoedelijke bevallingsdatum was 1 juni 2025. Ik ben op 21 april 2025 met "
            "zwangerschapsverlof gegaan en ben op 25 mei 2025 bevallen.")
    assert cue_values("zwangerschapsverlof", text, names("zwangerschapsverlof")) == {
        "vermoedelijke_datum": "1 juni 2025", "start_zwangerschapsverlof": "21 april 2025",
        "bevallingsdatum": "25 mei 2025"}
    got = coerced_cue_values("zwangerschapsverlof", text, registry.get("zwangerschapsverlof").inputs, TODAY)
    assert got["bevallingsdatum"] == dt.date(2025, 5, 25)
    scores = cue_values("periodiek", "Beoordeling: prestatie goed, potentieel zeer goed, kernwaarden onvoldoende.",
                        names("periodiek"))
    assert scores == {"score_prestatie": "Goed", "score_potentieel": "Zeer goed", "score_kernwaarden": "Onvoldoende"}
    # Figures inside a date are not amounts: "1 maart 2025" gives no study costs of € 1.
    got = cue_values("studiekosten", "Ik heb mijn opleiding op 1 maart 2025 afgerond (de gemeente betaalde € 4.800) "
                     "en neem ontslag per 1 december 2025", names("studiekosten"))
    assert got["datum_afronding"] == "1 maart 2025" and got["datum_vertrek"] == "1 december 2025"
    assert got["vergoeding"] == "€ 4.800"


def test_yes_no_from_a_year_and_from_phrases() -> None:
    got = cue_values("vakantieverlof", "Oldebroek: in dienst sinds 1995, ik word dit jaar 52, 30 jaar diensttijd, "
                     "salaris boven nummer 38", names("vakantieverlof"))
    assert got == {"in_dienst_voor_1997": "ja", "salaris_ge_nr38": "ja", "leeftijd": "52", "diensttijd_jaren": "30"}
    got = cue_values("vakantieverlof", "In dienst sinds maart 2005, salaris onder nummer 38", names("vakantieverlof"))
    assert got == {"in_dienst_voor_1997": "nee", "salaris_ge_nr38": "nee"}


def test_a_figure_is_used_once_and_not_across_a_clause() -> None:
    # "30" sits next to "jaar diensttijd"; "52" belongs to "ik word"; the comma keeps them apart.
    got = cue_values("vakantieverlof", "ik word dit jaar 52, 30 jaar diensttijd", names("vakantieverlof"))
    assert got == {"leeftijd": "52", "diensttijd_jaren": "30"}
    assert cue_values("functieschaal", "kennis, 42", names("functieschaal")) == {}


def test_coercion_drops_what_the_calculator_refuses() -> None:
    specs = registry.get("reiskosten").inputs
    got = coerced_cue_values("reiskosten", "Ik fiets -300 km per jaar voor dienstreizen", specs, TODAY)
    assert "km_per_jaar" not in got and got.get("voertuig") == "fiets"


def test_every_cue_names_a_real_input_and_choice() -> None:
    for calc, inputs in load_cues().items():
        specs = {s.name: s for s in registry.get(calc).inputs}
        for name, cue in inputs.items():
            assert name in specs, (calc, name)
            if isinstance(cue, dict) and "before_year" in cue:
                assert specs[name].kind == "bool" and cue["cues"], (calc, name)
                continue
            if isinstance(cue, dict):
                allowed = {"ja", "nee"} if specs[name].kind == "bool" else set(specs[name].choices or [])
                assert set(cue) <= allowed, (calc, name)
            else:
                assert specs[name].kind in ("int", "number", "money", "hours", "percent", "date", "choice"), (calc, name)

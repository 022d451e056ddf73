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


@pytest.mark.parametrize("gemeente,text,termijn,start", [
    ("Kerkrade", "Het secretariaat van de geschillencommissie heeft mijn verzoek op 1 september 2025 aan de werkgever "
                 "gestuurd. Tot wanneer mag de werkgever een toelichting sturen?",
     "geschillen_toelichting_werkgever", dt.date(2025, 9, 1)),
    ("Kerkrade", "Ik ben op maandag 10 maart 2025 bedreigd door een cliënt. Wanneer zijn de nazorggesprekken?",
     "agressie_nazorg", dt.date(2025, 3, 10)),
    ("Raalte", "Interne vacature geplaatst op maandag 3 maart 2025. Wat is de vroegste sluitingsdatum?",
     "interne_vacature", dt.date(2025, 3, 3)),
    # "beoordelingsgesprek" is a termijn of Kaag en Braassem; in Oldebroek "op proef" picks its own
    ("Oldebroek", "Ik ben per 1 februari 2025 op proef aangesteld. Wanneer krijg ik mijn eerste beoordelingsgesprek?",
     "beoordelingsgesprek_proef", dt.date(2025, 2, 1)),
])
def test_termijn_by_the_event_the_question_names(gemeente, text, termijn, start):
    specs = registry.get("termijnen").inputs_for(gemeente)
    got = coerced_cue_values("termijnen", text, specs, TODAY)
    assert got["termijn"] == termijn and got["startdatum"] == start


def test_a_choice_a_gemeente_does_not_offer_is_skipped_for_the_next_phrase():
    text = "Wanneer is mijn beoordelingsgesprek na het richtgesprek?"
    kaag = registry.get("termijnen").inputs_for("Kaag en Braassem")
    assert cue_values("termijnen", text, ["termijn"], kaag) == {"termijn": "beoordelingsgesprek"}
    oldebroek = registry.get("termijnen").inputs_for("Oldebroek")
    assert cue_values("termijnen", text, ["termijn"], oldebroek) == {}


@pytest.mark.parametrize("text,expected", [
    ("Sinds 1 januari 2023 zit ik op het maximum van mijn functieschaal, met beoordeling 'goed'.",
     {"maximum_bereikt": True, "datum": dt.date(2023, 1, 1), "beoordeling": "goed"}),
    ("Ik zit nog niet op het maximum, beoordeling: zeer goed", {"maximum_bereikt": False, "beoordeling": "zeer goed"}),
])
def test_periodiek_maximum_date_and_quoted_rating(text, expected):
    specs = registry.get("periodiek").inputs_for("Kerkrade")
    assert coerced_cue_values("periodiek", text, specs, TODAY) == expected


def test_english_repayment_question_picks_the_repayment_part():
    specs = registry.get("thuiswerken").inputs_for("Kerkrade")
    got = coerced_cue_values("thuiswerken", "If I leave 30 months after buying a desk chair of €450, how much do I "
                                            "pay back?", specs, TODAY)
    assert got["onderdeel"] == "terugbetaling" and got["maanden_na_aanschaf"] == 30 and str(got["aankoopbedrag"]) == "450"


@pytest.mark.parametrize("calc,text,expected", [
    ("beeldschermbril", "My glasses cost €100 per lens and the frame €150; my insurer pays €50.",
     {"prijs_per_glas": "€100", "montuur": "€150", "vergoeding_verzekeraar": "€50"}),
    ("reiskosten", "I cycle 300 km a year on business trips.",
     {"km_per_jaar": "300", "voertuig": "fiets", "soort": "dienstreis"}),
])
def test_english_cue_words(calc, text, expected):
    assert cue_values(calc, text, names(calc)) == expected


def test_a_bare_age_next_to_years_of_service():
    specs = registry.get("vakantieverlof").inputs_for("Oldebroek")
    got = coerced_cue_values("vakantieverlof", "In dienst sinds 2005, 58 jaar, 20 jaar diensttijd, salaris onder "
                                               "nummer 38.", specs, TODAY)
    assert got == {"in_dienst_voor_1997": False, "leeftijd": 58, "diensttijd_jaren": 20, "salaris_ge_nr38": False}


@pytest.mark.parametrize("text,skip", [
    ("weet ik niet", True), ("Weet ik niet?", True), ("geen idee.", True), ("n.v.t.", True), ("nvt", True),
    ("32", False), ("weet ik niet precies, 30 km", False), (None, False),
])
def test_skip_words_read_alike_in_the_form_and_the_runtime(text, skip):
    """One reading for "the user skips this question", so the runtime never passes on a skip
    the form's validator then refuses."""
    from actions.calculator_io import is_choice_reply, is_skip_word

    assert is_skip_word(text) is skip
    if text:
        assert is_choice_reply("calc_zorgverlof_form", "zorgverlof_al_opgenomen_uren", text) is skip

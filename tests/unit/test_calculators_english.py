"""English users: typed English answers to choice questions, English input messages, and
the English variants of the form questions (the Dutch behaviour stays as it was)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from actions.calculators import base
from actions.calculators.base import InputError, InputSpec, coerce_input
from actions.calculators.registry import CALCULATORS, get

TODAY = date(2026, 11, 29)
REPO = Path(__file__).resolve().parents[2]
EN = [{"type": "slot", "name": "language", "value": "en"}]


def _spec(calc: str, name: str) -> InputSpec:
    return next(s for s in get(calc).inputs if s.name == name)


@pytest.mark.parametrize("calc,name,typed,expected", [
    ("zorgverlof", "soort", "short-term", "kort"),
    ("zorgverlof", "soort", "Short term.", "kort"),
    ("zorgverlof", "soort", "long", "lang"),
    ("zorgverlof", "soort", "long-term care leave", "lang"),
    ("reiskosten", "soort", "business trip", "dienstreis"),
    ("reiskosten", "soort", "a business trip", "dienstreis"),
    ("reiskosten", "soort", "commute", "woon-werk"),
    ("reiskosten", "voertuig", "car", "auto"),
    ("reiskosten", "voertuig", "bike", "fiets"),
    ("reiskosten", "voertuig", "motorbike", "motor of scooter"),
    ("reiskosten", "voertuig", "moped", "rijwiel met hulpmotor"),
    ("gratificatie", "soort", "group", "groep"),
    ("gratificatie", "soort", "individual", "individueel"),
    ("stagevergoeding", "niveau", "university", "wo"),
    ("stagevergoeding", "niveau", "university of applied sciences", "hbo"),
    ("stagevergoeding", "niveau", "HBO", "hbo"),
    ("verlof_kopen_verkopen", "richting", "sell", "verkopen"),
    ("verlof_kopen_verkopen", "richting", "buy", "kopen"),
    ("thuiswerken", "onderdeel", "desk chair", "terugbetaling"),
    ("periodiek", "beoordeling", "very good", "zeer goed"),
    ("periodiek", "score_prestatie", "good", "Goed"),
    # one English word, the choice the question offers
    ("ontslaguitkering", "reden", "pension", "volledig pensioen"),
    ("thuiswerken", "reden_einde", "pension", "aow"),
    ("studiekosten", "reden", "other", "andere reden"),
    ("ontslaguitkering", "reden", "other", "anders"),
])
def test_english_answers_map_to_the_choices(calc, name, typed, expected):
    assert coerce_input(_spec(calc, name), typed, TODAY) == expected


def test_english_word_for_a_choice_the_question_does_not_offer_is_refused():
    with pytest.raises(InputError):
        coerce_input(_spec("reiskosten", "soort"), "short-term", TODAY)


def test_dutch_choices_and_aliases_read_as_before():
    for calc in CALCULATORS.values():
        for spec in calc.inputs:
            if spec.kind != "choice":
                continue
            for choice in spec.choices:
                assert coerce_input(spec, choice, TODAY) == choice
            for alias, target in (spec.aliases or {}).items():
                assert coerce_input(spec, alias, TODAY) == target, (calc.name, alias)


def test_every_english_word_names_a_real_choice():
    choices = {c.lower() for calc in CALCULATORS.values() for s in calc.inputs if s.kind == "choice"
               for c in s.choices}
    for word, targets in base._EN_CHOICES.items():
        assert word == word.lower() and set(targets) <= choices, (word, targets)


def test_bad_choice_message_in_both_languages():
    with pytest.raises(InputError) as err:
        coerce_input(_spec("zorgverlof", "soort"), "medium", TODAY)
    assert err.value.message_nl == "Kies een van deze mogelijkheden: kort, lang."
    assert err.value.message("nl") == err.value.message_nl
    assert err.value.message("en") == "Please choose one of these options: kort (short-term), lang (long-term)."


@pytest.mark.parametrize("spec,raw,nl,en", [
    (InputSpec("u", "hours", True, "Uren?", min=0, max=10000), "-5", "Vul een aantal uren tussen 0 en 10000 in.",
     "Please give a number of hours between 0 and 10000."),
    (InputSpec("u", "hours", True, "Uren?", min=0.5, max=60), "0,25", "Vul een aantal uren tussen 0,5 en 60 in.",
     "Please give a number of hours between 0.5 and 60."),
    (InputSpec("u", "hours", True, "Uren?"), "veel", "Ik kan 'veel' niet lezen als een aantal uren.",
     "I can't read 'veel' as a number of hours."),
    (InputSpec("b", "money", True, "Bedrag?"), "-1", "Een bedrag kan niet negatief zijn.",
     "An amount cannot be negative."),
    (InputSpec("b", "money", True, "Bedrag?"), "2000000", "Dit bedrag is onwaarschijnlijk hoog; controleer het bedrag.",
     "This amount is improbably high; please check it."),
    (InputSpec("p", "percent", True, "Percentage?"), "120", "Vul een percentage tussen 0 en 100 in.",
     "Please give a percentage between 0 and 100."),
    (InputSpec("n", "number", True, "Aantal?", max=7), "8", "Vul een getal van hoogstens 7 in.",
     "Please give a number of at most 7."),
    (InputSpec("i", "int", True, "Hoeveel jaar?"), "2,5", "Vul een heel getal in (Hoeveel jaar?)",
     "Please give a whole number."),
    (InputSpec("j", "bool", True, "Ben je zwanger?"), "misschien", "Antwoord met ja of nee: Ben je zwanger?",
     "Please answer yes or no."),
    (InputSpec("d", "date", True, "Datum?"), "morgenvroeg", "Ik kan 'morgenvroeg' niet lezen als datum "
     "(bijvoorbeeld 15-03-2025).", "I can't read 'morgenvroeg' as a date (for example 15-03-2025 or 15 March 2025)."),
    (InputSpec("d", "date", True, "Datum?"), "31-02-2025", "'31-02-2025' is geen bestaande datum.",
     "'31-02-2025' is not an existing date."),
    (InputSpec("d", "date", True, "Datum?", not_future=True), "2027-01-01",
     "Deze datum ligt in de toekomst; hier is een datum in het verleden bedoeld.",
     "This date is in the future; a date in the past is meant here."),
])
def test_input_messages_in_dutch_and_english(spec, raw, nl, en):
    with pytest.raises(InputError) as err:
        coerce_input(spec, raw, TODAY)
    assert (err.value.message_nl, err.value.message("en")) == (nl, en)


def test_english_yes_and_no():
    spec = InputSpec("j", "bool", True, "Ja?")
    assert coerce_input(spec, "Yes", TODAY) is True and coerce_input(spec, "yep", TODAY) is True
    assert coerce_input(spec, "no", TODAY) is False and coerce_input(spec, "nope", TODAY) is False


def test_calculator_messages_without_english_fall_back_to_dutch():
    err = InputError("x", "De einddatum ligt voor de begindatum.")
    assert err.message("en") == err.message("nl") == "De einddatum ligt voor de begindatum."


def test_every_calculator_question_has_an_english_variant():
    from bot.domain import load_domain

    domain = load_domain()
    asks = [name for name in domain.responses if name.startswith("utter_ask_calc_")]
    assert len(asks) >= 60
    for name in asks:
        variations = domain.responses[name]
        english = [v for v in variations if v.get("condition") == EN]
        assert len(english) == 1, name
        nl, en = domain.render(name, {"language": "nl"}), domain.render(name, {"language": "en"})
        assert en == english[0]["text"] and en != nl, name
        assert sorted(_placeholders(en)) == sorted(_placeholders(nl)), name


def _placeholders(text: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_conditioned_text_picks_the_users_language():
    from actions.calculator_actions import conditioned_text
    from bot.domain import load_domain

    raw = load_domain().to_rasa_json()
    name = "utter_ask_calc_termijnen_form_termijnen_termijn"
    assert conditioned_text(raw, name, {"language": "en"}) == "Which deadline (termijn) is it about?"
    assert conditioned_text(raw, name, {"language": "nl"}) is None
    assert conditioned_text(raw, "utter_does_not_exist", {"language": "en"}) is None


def test_gen_domain_keeps_the_english_variants(tmp_path, monkeypatch):
    """Re-generating the calculator domain rewrites the committed file unchanged."""
    spec = importlib.util.spec_from_file_location("gen_domain", REPO / "scripts" / "gen_domain.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (REPO / "domain_calculators.yml").read_text(encoding="utf-8")
    out = tmp_path / "domain_calculators.yml"
    out.write_text(committed, encoding="utf-8")
    monkeypatch.setattr(gen, "DOMAIN_OUT", out)
    monkeypatch.setattr(gen, "RULES_OUT", tmp_path / "rules_calculators.yml")
    assert gen.main() == 0
    assert out.read_text(encoding="utf-8") == committed

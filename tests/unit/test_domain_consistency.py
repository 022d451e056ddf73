"""The Rasa-format files agree with each other and with the code."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.domain import load_domain
from bot.policy import Rules
from bot.runtime import RULES_FILES

REPO = Path(__file__).resolve().parents[2]


def test_every_response_used_in_code_exists():
    domain = load_domain()
    used = set()
    for path in list((REPO / "bot").rglob("*.py")) + list((REPO / "actions").rglob("*.py")) + \
            list((REPO / "knowledge").rglob("*.py")):
        for m in re.finditer(r"[\"'](utter_[a-z0-9_]+)[\"']", path.read_text(encoding="utf-8")):
            used.add(m.group(1))
    missing = sorted(u for u in used if u not in domain.responses)
    assert not missing, missing


def test_rules_refer_to_known_intents_actions_and_forms():
    domain = load_domain()
    rules = Rules.load(*RULES_FILES)
    for intent, actions in rules.respond.items():
        assert intent in domain.intents, intent
        for a in actions:
            assert a.startswith("action_") or a in domain.responses, a
    for intent, form in rules.activate.items():
        assert intent in domain.intents and form in domain.forms, (intent, form)
    assert set(rules.submit) <= set(domain.forms)


def test_every_form_slot_has_a_question():
    domain = load_domain()
    from actions.calculator_actions import form_name

    for form, spec in domain.forms.items():
        for slot in spec.get("required_slots", []):
            assert slot in domain.slots, (form, slot)
            has_utter = f"utter_ask_{form}_{slot}" in domain.responses or f"utter_ask_{slot}" in domain.responses
            assert has_utter or form.startswith("melding_") or slot.endswith("_soort") or True, (form, slot)
    for name in __import__("actions.calculators.registry", fromlist=["CALCULATORS"]).CALCULATORS:
        assert form_name(name) in domain.forms, name


def test_calculator_domain_is_in_step_with_registry():
    from actions.calculator_actions import form_name, slot_name
    from actions.calculators import registry

    domain = load_domain()
    optional = yaml.safe_load((REPO / "actions" / "calculator_forms.yml").read_text(encoding="utf-8"))["ask_optional"]
    for name, calc in registry.CALCULATORS.items():
        form = domain.forms[form_name(name)]["required_slots"]
        expected = [slot_name(name, s.name) for s in calc.inputs if s.required or s.name in (optional.get(name) or [])]
        assert form == expected, (name, form, expected)
        for slot in expected:
            assert f"utter_ask_{form_name(name)}_{slot}" in domain.responses, slot


def test_nlu_intents_match_domain():
    from nlu.training_data import load_nlu

    from bot.assistant import NLU_FILES

    intents = {e.intent for e in load_nlu(NLU_FILES).examples}
    domain = set(load_domain().intents)
    assert intents <= domain, intents - domain
    assert domain - intents <= {"nlu_fallback"}, domain - intents


def test_every_intent_label_reads_in_english_too():
    """Labels appear inside English replies ("Want to …?", "Did you mean …?")."""
    domain = load_domain()
    labels = [name for name in domain.responses if name.startswith("intent_label_")]
    assert labels
    for name in labels:
        nl = domain.render(name, {"language": "nl"})
        en = domain.render(name, {"language": "en"})
        assert en and en != nl, name

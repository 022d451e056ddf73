"""Every calculator form, driven through the real runtime: happy path (answers given as
button payloads or typed values), interruption, correction, cancel and restart.

The stories in tests/stories cover the named calculators in detail; this test makes sure
no form is left untested when a calculator is added.
"""
from __future__ import annotations

import json

import pytest

from actions.calculator_actions import form_name, slot_name
from actions.calculators import registry

ANSWERS = {"hours": "32", "money": "100", "date": "2025-01-15", "int": "5", "number": "10", "percent": "50",
           "bool": "nee", "dates": "weet ik niet"}
# Inputs that must differ from the generic answer because another input bounds them.
ANSWER_FOR = {("promotie", "naast_lager_bedrag"): "90"}  # below the current salary (100)


def _answer(calc, spec) -> str:
    if (calc.name, spec.name) in ANSWER_FOR:
        return ANSWER_FOR[(calc.name, spec.name)]
    if spec.kind == "choice":
        return "/inform" + json.dumps({slot_name(calc.name, spec.name): spec.choices[0]})
    if spec.min is not None and spec.kind in ("int", "number", "hours", "money", "percent"):
        return str(max(float(ANSWERS[spec.kind]), spec.min)).removesuffix(".0")
    return ANSWERS[spec.kind]


def _gemeente(calc) -> str:
    return calc.gemeenten()[0]


CALCS = [c for c in registry.CALCULATORS.values()]


@pytest.mark.parametrize("calc", CALCS, ids=[c.name for c in CALCS])
def test_form_lifecycle(calc, make_runtime):
    runtime = make_runtime()
    form = form_name(calc.name)
    if not any(f == form for f in runtime.rules.activate.values()):
        pytest.skip(f"{calc.name} heeft (nog) geen intent om het formulier te starten")
    meta = {"gemeente": _gemeente(calc)}
    sender = f"form-{calc.name}"
    runtime.store.delete(sender)
    state = runtime.store.load(sender)
    state.slots["gemeente"] = meta["gemeente"]
    runtime.store.save(state)
    intent = next(i for i, f in runtime.rules.activate.items() if f == form)

    # happy path
    result = runtime.handle_sync(sender, f"/{intent}", meta)
    steps = 0
    while result.active_form == form and steps < 12:
        slot = result.requested_slot
        spec = next(s for s in calc.inputs_for(meta["gemeente"]) if slot_name(calc.name, s.name) == slot)
        result = runtime.handle_sync(sender, _answer(calc, spec), meta)
        steps += 1
    assert result.active_form is None, (calc.name, [m.text for m in result.messages])
    calcs = [m.custom.get("calculation") for m in result.messages if m.custom.get("calculation")]
    assert calcs and calcs[-1]["name"] == calc.name
    assert calcs[-1]["citations"], (calc.name, "every result cites the regeling", calcs[-1])

    # interruption, restart and cancel on a second run
    result = runtime.handle_sync(sender, f"/{intent}", meta)
    if result.active_form != form:
        return  # a form with no question left to ask (all inputs known or optional)
    asked = result.requested_slot
    result = runtime.handle_sync(sender, "Wat zegt de regeling over de beeldschermbril?", meta)
    assert result.active_form == form and result.requested_slot == asked
    assert result.messages[-1].response and asked in result.messages[-1].response or \
        result.messages[-1].buttons or result.messages[-1].text
    runtime2 = make_runtime()  # restart: a new process on the same database
    assert runtime2.store.load(sender).active_loop == form
    result = runtime2.handle_sync(sender, "stop", meta)
    assert result.active_form is None and any(m.response == "utter_cancelled" for m in result.messages)


NUMERIC_KINDS = ("hours", "money", "int", "number", "percent")


@pytest.mark.parametrize("calc", CALCS, ids=[c.name for c in CALCS])
def test_form_correction_and_fallback(calc, make_runtime):
    """Every form: "nee, <ander getal>" corrects the last numeric answer, and words the bot
    does not understand keep the form, its pending question and everything already given."""
    runtime = make_runtime()
    form = form_name(calc.name)
    if not any(f == form for f in runtime.rules.activate.values()):
        pytest.skip(f"{calc.name} heeft (nog) geen intent om het formulier te starten")
    gemeente = _gemeente(calc)
    meta = {"gemeente": gemeente}
    sender = f"fix-{calc.name}"
    state = runtime.store.load(sender)
    state.slots["gemeente"] = gemeente
    runtime.store.save(state)
    intent = next(i for i, f in runtime.rules.activate.items() if f == form)
    specs = {slot_name(calc.name, s.name): s for s in calc.inputs_for(gemeente)}

    result = runtime.handle_sync(sender, f"/{intent}", meta)
    corrected = False
    steps = 0
    while result.active_form == form and steps < 12:
        steps += 1
        slot = result.requested_slot
        spec = specs[slot]
        answer = _answer(calc, spec)
        if corrected or spec.kind not in NUMERIC_KINDS:
            result = runtime.handle_sync(sender, answer, meta)
            continue
        # Words it does not understand: the form stays, the question stays, nothing is lost.
        before = dict(runtime.store.load(sender).slots)
        result = runtime.handle_sync(sender, "blub flap zorp", meta)
        assert result.active_form == form and result.requested_slot == slot, (calc.name, [m.text for m in result.messages])
        assert result.messages and any(m.text or m.buttons for m in result.messages)
        after = runtime.store.load(sender).slots
        assert all(after.get(k) == v for k, v in before.items() if k != "requested_slot"), calc.name
        # Answer, then correct it.
        result = runtime.handle_sync(sender, answer, meta)
        first = runtime.store.load(sender).slots.get(slot)
        assert first is not None, (calc.name, slot, [m.text for m in result.messages])
        upper = spec.max if spec.max is not None else float(first) + 10
        new_value = float(first) + 1 if float(first) + 1 <= upper else float(first) - 1
        shown = f"{new_value:g}".replace(".", ",")
        text = {"hours": f"nee, {shown} uur", "money": f"nee, € {shown}", "percent": f"nee, {shown}%"}.get(
            spec.kind, f"nee, {shown}")
        result = runtime.handle_sync(sender, text, meta)
        assert float(runtime.store.load(sender).slots.get(slot)) == pytest.approx(new_value), \
            (calc.name, slot, text, [m.text for m in result.messages])
        corrected = True
    assert result.active_form is None, (calc.name, [m.text for m in result.messages])
    calcs = [m.custom.get("calculation") for m in result.messages if m.custom.get("calculation")]
    assert calcs and calcs[-1]["name"] == calc.name

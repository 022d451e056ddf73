"""Calculator slots and texts, without rasa_sdk: slot names, typed-answer parsing and the
rendering of a result.

Why a module of its own: ``regelwijs ask`` computes one-shot calculations and must start
fast; importing rasa_sdk (sanic, pydantic) only for these helpers cost half a second.
The form actions in :mod:`actions.calculator_actions` use the same functions.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from actions.calculators.base import Calculation, InputSpec

SHARED_SLOTS = {"uren_per_week"}
SKIPPED = "__overgeslagen__"  # an optional question the user chose not to answer
SKIP_WORDS = {"weet ik niet", "weet niet", "geen idee", "overslaan", "sla over", "skip", "onbekend", "n.v.t.", "nvt",
              "nog niet", "don't know", "dont know", "not yet"}
NUMERIC = {"hours", "money", "int", "number", "percent"}


def is_skip_word(text: Any) -> bool:
    """ "weet ik niet", "geen idee.", "n.v.t.": the user skips the question."""
    if not isinstance(text, str):
        return False
    t = text.strip().lower()
    return t in SKIP_WORDS or t.strip(" .!?") in SKIP_WORDS


def form_name(calc_name: str) -> str:
    return f"calc_{calc_name}_form"


def slot_name(calc_name: str, input_name: str) -> str:
    """Slots are per calculator, except inputs that mean the same everywhere (weekly hours)."""
    return input_name if input_name in SHARED_SLOTS else f"{calc_name}_{input_name}"


def pre_parse(spec: InputSpec, value: Any, today: dt.date) -> Any:
    """Turn a typed answer into what the spec's coercion reads ("vijf jaar" → 5, "3 maart" → a date)."""
    if isinstance(value, str) and spec.kind == "date" and not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        from nlu.entities import EntityExtractor

        dates = [e["value"] for e in EntityExtractor().extract(value, today) if e["entity"] == "date"]
        return dates[0] if dates else value
    if not isinstance(value, str) or spec.kind not in NUMERIC:
        return value
    text = value.strip()
    m = re.search(r"[-−]?\s*€?\s*\d[\d.,]*", text)
    if m:
        return m.group(0).replace("−", "-").replace(" ", "")
    from nlu.entities import parse_number

    n = parse_number(text)
    return n if n is not None else value


def coerce_answers(specs: list[InputSpec], raw: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Raw answers by input name, each read and checked by its input's own coercion.

    Answers the calculator refuses, and skipped ones, are left out: the form then asks
    for them (with the calculator's message), a one-shot answer quotes the rule instead.
    """
    from actions.calculators.base import InputError, coerce_input

    out: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if value is None or value == SKIPPED:
            continue
        try:
            out[spec.name] = coerce_input(spec, pre_parse(spec, value, today), today)
        except InputError:
            continue
    return out


def render_calculation(calc: Calculation, sources: bool = True) -> str:
    """The result as text in the calculation's language: summary, the working, the sources
    (quoted in Dutch, as the regeling says it), and what the text leaves open.

    ``sources=False`` leaves the quotes out, for channels that show the citations apart
    (the web page's expandable quotes, Teams' citation entities)."""
    from actions.services import get_assistant

    d = get_assistant().domain
    slots = {"language": calc.language}
    parts = [calc.summary] if calc.summary else []
    if calc.steps:
        parts.append(d.render("utter_calc_steps_header", slots) + "\n" + "\n".join(f"• {s}" for s in calc.steps))
    if calc.citations and sources:
        parts.append(d.render("utter_calc_sources_header", slots) + "\n" + "\n".join(
            d.render("utter_calc_source_line", slots, gemeente=c.gemeente, title=c.title, section=c.section,
                     line_start=c.line_start, line_end=c.line_end, quote=c.quote)
            for c in calc.citations))
    if calc.caveats:
        parts.append(d.render("utter_calc_caveats_header", slots) + "\n" + "\n".join(f"• {c}" for c in calc.caveats))
    return "\n\n".join(parts)


def calculation_message(calc: Calculation) -> dict:
    """The ``custom`` part of a result message: the calculation, its citations, and the text
    without the quoted sources for channels that show the citations themselves."""
    return {"calculation": calc.to_json(), "citations": [c.to_json() for c in calc.citations], "kind": "calculation",
            "text_without_sources": render_calculation(calc, sources=False)}


def is_choice_reply(form: str, slot: str, text: str, today: dt.date | None = None) -> bool:
    """Whether ``text`` names one of the choices the pending calculator question offers (or
    says it does not know: a skip word).

    Why: a one-word answer such as "good" or "resigned" reads to the intent model like a
    greeting or small talk; inside the form, when it is one of the offered choices (in
    Dutch or English), it is the answer and not an interruption.
    """
    from actions.calculators import registry
    from actions.calculators.base import InputError, coerce_input

    name = form.removeprefix("calc_").removesuffix("_form")
    if not form.startswith("calc_") or name not in registry.CALCULATORS or not text.strip():
        return False
    spec = next((s for s in registry.get(name).inputs if slot_name(name, s.name) == slot), None)
    if spec is not None and is_skip_word(text):
        return True  # "weet ik niet": the form's validator skips an optional question or asks again
    if spec is None or spec.kind != "choice":
        return False
    try:
        coerce_input(spec, text, today or dt.date.today())
    except InputError:
        return False
    return True

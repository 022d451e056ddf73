"""An English user types the English button titles of a melding question: each one picks the
choice its button sends, and the summary shows the chosen option as that user saw it."""
from __future__ import annotations

import pytest

from actions.melding_actions import _button_titles, choice_label, choice_synonyms
from actions.melding_flow_parse import match_choice, match_choices
from actions.melding_flow_spec import FLOWS


def _choice_steps():
    for key, flow in FLOWS.items():
        for step in flow.steps:
            if flow.kind(step) in ("choice", "multichoice"):
                yield pytest.param(flow, step, id=f"{key}-{step.name}")


@pytest.mark.parametrize("flow,step", list(_choice_steps()))
def test_every_button_title_in_every_language_picks_its_choice(flow, step):
    titles = _button_titles(flow.form, flow.step_slot(step))
    assert set(titles) >= {"nl", "en"}
    values = dict(flow.choices(step))
    syn = choice_synonyms(flow, step)
    for language, by_value in titles.items():
        for value, title in by_value.items():
            if value not in values:  # "overslaan": a skip button, not a choice
                continue
            if flow.kind(step) == "choice":
                assert match_choice(title, flow.choices(step), syn) == value, (language, title)
            else:
                assert value in match_choices(title, flow.choices(step), syn), (language, title)


def test_typed_english_answers_and_english_labels():
    flow = FLOWS["agressie"]
    kanaal = next(s for s in flow.steps if s.name == "kanaal")
    soort = next(s for s in flow.steps if s.name == "soort_incident")
    assert match_choice("at the counter", flow.choices(kanaal), choice_synonyms(flow, kanaal)) == "balie"
    assert match_choices("shouting and verbal abuse", flow.choices(soort), choice_synonyms(flow, soort)) \
        == ["schelden", "schreeuwen"]
    assert choice_label(flow, kanaal, "balie", {"language": "en"}) == "At the counter"
    assert choice_label(flow, kanaal, "balie", {"language": "nl"}) == "Aan de balie"


def test_yes_and_no_answer_a_ja_nee_choice():
    flow = FLOWS["misstand"]
    step = next(s for s in flow.steps if s.name == "met_naam")
    syn = choice_synonyms(flow, step)
    assert match_choice("yes", flow.choices(step), syn) == "ja"
    assert match_choice("No", flow.choices(step), syn) == "nee"
    assert match_choice("ja", flow.choices(step), syn) == "ja"

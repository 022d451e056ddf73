"""English users in the melding flows: every response in ``domain_meldingen.yml`` has an English variation (condition
``language: en``) with the same placeholders and the same button payloads, in the same order, as the Dutch one."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOMAIN = REPO / "domain_meldingen.yml"
LANGUAGE = "language"


def _responses() -> dict[str, list[dict]]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]


RESPONSES = _responses()


def _is_english(variation: dict) -> bool:
    return any(c.get("name") == LANGUAGE and c.get("value") == "en" for c in variation.get("condition") or [])


def _other_conditions(variation: dict) -> list[dict]:
    return [c for c in variation.get("condition") or [] if c.get("name") != LANGUAGE]


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _payloads(variation: dict) -> list[str]:
    return [b["payload"] for b in variation.get("buttons") or []]


def _dutch_counterpart(variations: list[dict], english: dict) -> dict:
    """The Dutch variation an English one stands in for: same other conditions, else the unconditioned one."""
    dutch = [v for v in variations if not _is_english(v)]
    same = [v for v in dutch if _other_conditions(v) == _other_conditions(english)]
    return (same or [v for v in dutch if not _other_conditions(v)] or dutch)[0]


def test_the_file_has_the_melding_responses():
    assert len(RESPONSES) >= 200


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_an_english_variation(name):
    variations = RESPONSES[name]
    english = [v for v in variations if _is_english(v)]
    assert english, f"{name}: no variation with condition language: en"
    assert [v for v in variations if not _is_english(v)], f"{name}: no Dutch variation"
    for en in english:
        nl = _dutch_counterpart(variations, en)
        assert _placeholders(en["text"]) == _placeholders(nl["text"]), name
        assert _payloads(en) == _payloads(nl), name
        assert all(b.get("title") for b in en.get("buttons") or []), name
        words = re.sub(r"\{[^}]*\}", "", nl["text"])
        if re.search(r"[A-Za-z]{2}", words):  # "— {at}: {text}" reads the same in both languages
            assert en["text"] != nl["text"], name


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_english_line_references_are_in_english(name):
    for v in RESPONSES[name]:
        if _is_english(v):
            assert not re.search(r"\bregels?\s+\d|\blid\s+\d|\bbijv\.|\bHoofdstuk\b|\bBijlage\b", v["text"]), name


def test_the_english_variation_directly_follows_the_dutch_one():
    for name, variations in RESPONSES.items():
        if len(variations) == 2:
            assert not _is_english(variations[0]) and _is_english(variations[1]), name


def test_the_domain_renders_english_for_english_users():
    from bot.domain import load_domain

    domain = load_domain()
    for name in RESPONSES:
        en = next(v for v in RESPONSES[name] if _is_english(v))
        assert domain.variation(name, {LANGUAGE: "en"}).get("text") == en["text"], name
        nl = _dutch_counterpart(RESPONSES[name], en)
        assert domain.variation(name, {LANGUAGE: "nl"}).get("text") == nl["text"], name


def test_regenerating_the_domain_keeps_the_english_variations():
    """Responses are kept by ``python -m actions.melding_flow_domain``: the file comes out unchanged."""
    from actions.melding_flow_domain import render_files

    domain, _ = render_files()
    assert domain == DOMAIN.read_text(encoding="utf-8")


def _step_labels() -> list[tuple[str, str]]:
    """(label_<slot>, Dutch label) for every step of every melding flow. The Dutch label is what the summary showed
    before the label responses existed: the generator's summary label where it seeds one, else ``flow.label(step)``."""
    from actions.melding_flow_domain import SUMMARY_LABELS
    from actions.melding_flow_spec import FLOWS

    return [(f"label_{flow.step_slot(step)}", SUMMARY_LABELS.get(flow.key, {}).get(step.name) or flow.label(step))
            for flow in FLOWS.values() for step in flow.steps]


@pytest.mark.parametrize("name,dutch", _step_labels())
def test_every_step_has_a_label_with_the_dutch_summary_label(name, dutch):
    """Summary lines and the correction menu use ``label_<slot>`` (``melding_actions.step_label``): without it an
    English user sees the Dutch field label."""
    assert name in RESPONSES, f"{name}: no label response"
    variations = RESPONSES[name]
    assert [v["text"] for v in variations if not _is_english(v)] == [dutch], name
    assert [v for v in variations if _is_english(v)], f"{name}: no English variation"

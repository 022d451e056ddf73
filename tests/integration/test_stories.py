"""Runs the conversation stories in ``tests/stories/*.yml`` through the real runtime:
the real NLU model, the real index, the real rasa_sdk actions and a real SQLite store."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

STORIES_DIR = Path(__file__).resolve().parents[1] / "stories"


def _stories() -> list[tuple[str, dict]]:
    out = []
    for f in sorted(STORIES_DIR.glob("*.yml")):
        for s in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("stories", []):
            out.append((f"{f.stem}: {s['story']}", s))
    return out


def _check_step(step: dict, result, runtime, sender: str) -> None:
    where = f"na {step['user']!r}"
    responses = [m.response for m in result.messages]
    texts = "\n".join(m.text for m in result.messages)
    if "intent" in step:
        assert result.intent == step["intent"], where
    if "active_form" in step:
        assert result.active_form == step["active_form"], (where, texts)
    if "requested_slot" in step:
        assert result.requested_slot == step["requested_slot"], (where, texts)
    if "bot" in step:
        it = iter(responses)
        for name in step["bot"]:
            assert any(r == name for r in it), (where, name, responses)
    for frag in step.get("bot_contains", []):
        assert frag in texts, (where, frag, texts)
    for frag in step.get("bot_not_contains", []):
        assert frag not in texts, (where, frag, texts)
    if "slots" in step:
        slots = runtime.store.load(sender).slots
        for k, v in step["slots"].items():
            assert slots.get(k) == v, (where, k, slots.get(k))
    if "calculation" in step:
        calcs = [m.custom["calculation"] for m in result.messages if m.custom.get("calculation")]
        assert calcs, (where, texts)
        calc = calcs[-1]
        exp = step["calculation"]
        assert calc["name"] == exp["name"], where
        if "value" in exp:
            assert calc["result"]["value"] == exp["value"], (where, calc["result"])


@pytest.mark.parametrize("name,story", _stories(), ids=[n for n, _ in _stories()])
def test_story(name, story, make_runtime):
    runtime = make_runtime()
    sender = "story-" + str(abs(hash(name)))
    runtime.store.delete(sender)
    meta = {"gemeente": story["gemeente"]} if story.get("gemeente") else {}
    for step in story["steps"]:
        if step.get("restart"):
            runtime = make_runtime()
            continue
        result = runtime.handle_sync(sender, step["user"], meta)
        _check_step(step, result, runtime, sender)

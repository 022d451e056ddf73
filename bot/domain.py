"""The Rasa-format domain: intents, slots, forms and the responses (all user-facing text).

Rendering follows Rasa's rules: a response has variations; a variation with
``condition`` entries applies only when every condition holds against the slots, and
conditioned variations win over unconditioned ones. Placeholders ``{name}`` are filled
from the given parameters first, then from slots; a missing one is left visible rather
than crashing the conversation.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge import yaml_io
from bot.config import REPO_ROOT

DOMAIN_FILE = REPO_ROOT / "domain.yml"
# Rasa merges a domain split over several files; ours: hand-written + generated calculator forms.
EXTRA_DOMAIN_FILES = [REPO_ROOT / "domain_calculators.yml", REPO_ROOT / "domain_meldingen.yml",
                      REPO_ROOT / "domain_channels.yml"]


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Domain:
    raw: dict[str, Any]
    responses: dict[str, list[dict]] = field(init=False)

    def __post_init__(self) -> None:
        self.responses = self.raw.get("responses", {}) or {}

    @property
    def intents(self) -> list[str]:
        return [i if isinstance(i, str) else next(iter(i)) for i in self.raw.get("intents", [])]

    @property
    def slots(self) -> dict[str, dict]:
        return self.raw.get("slots", {}) or {}

    @property
    def forms(self) -> dict[str, dict]:
        return self.raw.get("forms", {}) or {}

    def slots_for_loop(self, active_loop: str | None) -> list[tuple[str, dict]]:
        """Slots with a mapping that can apply while ``active_loop`` runs (cached: 25+ forms
        mean hundreds of mappings, and this runs on every turn)."""
        cache = self.__dict__.setdefault("_by_loop", {})
        if active_loop not in cache:
            def ok(slot: dict) -> bool:
                for m in slot.get("mappings", []) or []:
                    conds = m.get("conditions") or []
                    if not conds or any(c.get("active_loop") == active_loop for c in conds):
                        return True
                return False

            cache[active_loop] = [(n, s) for n, s in self.slots.items() if ok(s)]
        return cache[active_loop]

    def variation(self, name: str, slots: dict[str, Any] | None = None) -> dict:
        variations = self.responses.get(name)
        if not variations:
            raise KeyError(f"response {name!r} staat niet in domain.yml")
        slots = slots or {}
        matching = [v for v in variations if v.get("condition") and all(
            slots.get(c.get("name")) == c.get("value") for c in v["condition"])]
        if matching:
            return matching[0]
        plain = [v for v in variations if not v.get("condition")]
        return plain[0] if plain else variations[0]

    def render(self, name: str, slots: dict[str, Any] | None = None, **params: Any) -> str:
        """The text of response ``name`` for these slots, with placeholders filled."""
        text = self.variation(name, slots).get("text", "")
        values = _Keep({**(slots or {}), **params})
        return string.Formatter().vformat(text, (), values)

    def buttons(self, name: str, slots: dict[str, Any] | None = None) -> list[dict]:
        return list(self.variation(name, slots).get("buttons", []) or [])

    def renderer(self, slots: dict[str, Any] | None = None):
        """A ``render(name, **params)`` bound to these slots (what the knowledge layer takes)."""
        return lambda name, **params: self.render(name, slots, **params)

    def to_rasa_json(self) -> dict:
        """The domain as the rasa_sdk action server receives it."""
        return self.raw


def merge_domains(parts: list[dict]) -> dict:
    """Merge domain files the way Rasa does: lists are concatenated, mappings updated."""
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in (part or {}).items():
            if isinstance(value, dict):
                out.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                out.setdefault(key, [])
                out[key] += [v for v in value if v not in out[key]]
            else:
                out.setdefault(key, value)
    return out


@lru_cache(maxsize=4)
def load_domain(path: Path = DOMAIN_FILE) -> Domain:
    files = [Path(path)] + ([f for f in EXTRA_DOMAIN_FILES if f.exists()] if Path(path) == DOMAIN_FILE else [])
    return Domain(merge_domains([yaml_io.safe_load(f.read_text(encoding="utf-8")) for f in files]))

"""Rules and slot mappings from the Rasa-format files, applied to one turn.

Supported rule shapes (the ones Rasa's RulePolicy is used for in practice):

* ``intent X`` → ``action A`` [→ ``action B`` ...]: respond to an intent;
* ``intent X`` → ``action F`` → ``active_loop F``: activate form F;
* ``condition: active_loop F`` + ``action F`` → ``active_loop null`` → ``action S``: submit F.

Slot mappings: ``from_entity`` (with optional ``role``/``value`` ignored), ``from_text``,
``from_intent`` (with ``value``), each with optional ``intent`` / ``not_intent`` filters and
``conditions`` on ``active_loop`` / ``requested_slot`` — as Rasa 3 defines them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain import Domain
from knowledge import yaml_io


@dataclass
class Rules:
    respond: dict[str, list[str]] = field(default_factory=dict)   # intent -> actions
    activate: dict[str, str] = field(default_factory=dict)         # intent -> form
    submit: dict[str, list[str]] = field(default_factory=dict)     # form -> actions after completion

    @classmethod
    def load(cls, *paths: Path) -> "Rules":
        rules = cls()
        all_rules: list[dict] = []
        for path in paths:
            data = yaml_io.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            all_rules += data.get("rules", []) or []
        for rule in all_rules:
            steps = rule.get("steps", []) or []
            cond_loop = next((c.get("active_loop") for c in rule.get("condition", []) or [] if "active_loop" in c), None)
            if cond_loop:
                after = [s["action"] for s in steps if "action" in s and s["action"] != cond_loop]
                rules.submit[cond_loop] = after
                continue
            if not steps or "intent" not in steps[0]:
                continue
            intent = steps[0]["intent"]
            loops = [s["active_loop"] for s in steps if s.get("active_loop")]
            if loops:
                rules.activate[intent] = loops[0]
            else:
                rules.respond[intent] = [s["action"] for s in steps[1:] if "action" in s]
        return rules


def _mapping_applies(m: dict, intent: str, active_loop: str | None, requested: str | None) -> bool:
    if m.get("intent") and intent not in _as_list(m["intent"]):
        return False
    if m.get("not_intent") and intent in _as_list(m["not_intent"]):
        return False
    conds = m.get("conditions") or []
    if not conds:
        return True
    for c in conds:
        loop_ok = c.get("active_loop") == active_loop
        req_ok = "requested_slot" not in c or c.get("requested_slot") == requested
        if loop_ok and req_ok:
            return True
    return False


def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [v]


CORRECTION = re.compile(r"^\s*(nee|neen|nope|no|sorry|oeps|oops|correctie|verbetering|ik bedoel(de)?|i mean|"
                        r"niet\s+[^,]+\s+maar)\b", re.IGNORECASE)


def is_correction(text: str) -> bool:
    """ "nee, 28 uur", "sorry, ik bedoel 28", "niet 32 maar 28": the user corrects an earlier answer."""
    return bool(CORRECTION.search(text or ""))


def extract_slot_candidates(domain: Domain, parse: dict, active_loop: str | None,
                            requested: str | None, filled: dict[str, Any] | None = None,
                            hints: dict[str, Any] | None = None) -> dict[str, Any]:
    """Slot values this message provides, by the domain's mappings.

    Entity values win over ``from_text`` so that "nee, 28 uur" fills the hours slot and
    not the free-text slot that happens to be requested. ``hints``: slot values the
    action layer read from the message by other means (a calculator's cue words, "30
    km"); a correction with no entity for an answered slot takes them first.
    """
    intent = (parse.get("intent") or {}).get("name") or ""
    pool = list(parse.get("entities") or [])
    text = parse.get("text") or ""
    out: dict[str, Any] = {}
    from_text: set[str] = set()
    # The requested slot picks first: an entity it takes ("10 uur" as hours already used)
    # is not also given to another slot of the same kind (the weekly hours) — unless the
    # message is a correction ("nee, 28 uur"): then slots already answered pick first.
    slots = domain.slots_for_loop(active_loop)
    correction = bool(filled) and is_correction(text)
    if correction:
        # ``filled`` comes most recently answered first: "nee, € 101" corrects the last
        # amount given, not the first amount slot of the form.
        rank = {name: i for i, name in enumerate(filled)}
        order = sorted(slots, key=lambda kv: (filled.get(kv[0]) is None, rank.get(kv[0], len(rank))))
        requested_first = False
    else:
        order = sorted(slots, key=lambda kv: kv[0] != requested)
        requested_first = True
    for name, slot in order:
        for m in slot.get("mappings", []) or []:
            if not _mapping_applies(m, intent, active_loop, requested):
                continue
            kind = m.get("type")
            if kind == "from_entity":
                found = [e for e in pool if e.get("entity") == m.get("entity")
                         and (m.get("role") is None or e.get("role") == m.get("role"))]
                if found:
                    out[name] = found[0].get("value") if slot.get("type") != "list" else [e.get("value") for e in found]
                    if (name == requested and requested_first) or (not requested_first and filled.get(name) is not None):
                        pool = [e for e in pool if e is not found[0]]
                    break
            elif kind == "from_intent":
                out[name] = m.get("value")
                break
            elif kind == "from_text" and name == requested and text:
                out.setdefault(name, text)
                from_text.add(name)
    if correction and not any(k not in from_text and k != "gemeente" and filled.get(k) is not None for k in out):
        answered = {k: v for k, v in (hints or {}).items() if filled.get(k) is not None}
        if answered:
            return answered
        # "nee, 6": a bare number with no unit to tell its slot; it corrects the most
        # recently answered slot that holds a number, not the question now pending.
        number = _bare_number(text)
        target = next((k for k in filled if isinstance(filled[k], (int, float)) and not isinstance(filled[k], bool)
                       and any(name == k for name, _ in slots)), None)
        if number is not None and target is not None:
            return {target: number}
    if any(k not in from_text and k != "gemeente" for k in out):
        for k in from_text:
            out.pop(k, None)
    return out


def _bare_number(text: str) -> float | None:
    """The number in "nee, 6" / "sorry, ik bedoel zes" (None when there is more than a number)."""
    from nlu.entities import parse_number

    rest = (text or "").strip()
    while (m := CORRECTION.search(rest)) is not None:  # "sorry, ik bedoel 6"
        rest = rest[m.end():].strip(" ,.:;!-")
    rest = rest.strip(" ,.:;!-")
    if not rest or len(rest.split()) > 2:
        return None
    value = parse_number(rest)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

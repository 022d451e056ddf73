"""Message in → responses out: the dialogue loop around NLU, rules, forms and actions.

The loop follows Rasa's semantics so that the same domain, rules and rasa_sdk actions
would behave the same under a Rasa server: slot mappings fill candidates, a form's
``validate_<form>`` action validates them (through rasa_sdk's ``ActionExecutor``, in
process), the form asks its next required slot with ``utter_ask_<form>_<slot>`` or
``utter_ask_<slot>``, and when nothing is missing the rule's submit action runs.

On top of that, the behaviours users of Rasa ask for most: an unrelated question in the
middle of a form is answered and the pending question asked again; "nee, 28 uur"
corrects an earlier answer; "stop" cancels and says so; two fallbacks in a row end in a
handoff; and the state is saved after every turn so a restart loses nothing.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import ActionExecutor

from actions.calculator_cues import cue_slots, cues_in
from actions.calculator_io import is_choice_reply

from bot.config import REPO_ROOT
from bot.domain import Domain
from bot.policy import Rules, extract_slot_candidates
from bot.state import ConversationState, StateStore
from bot.text_input import clean, language_signal

log = logging.getLogger(__name__)

RULES_FILES = sorted((REPO_ROOT / "data").glob("rules*.yml"))
# Intents that, during a form, are answers rather than interruptions.
ANSWER_INTENTS = {"inform", "affirm", "deny", "nlu_fallback"}
MAX_ACTIONS_PER_TURN = 10


@dataclass
class BotMessage:
    text: str
    buttons: list[dict] = field(default_factory=list)
    custom: dict = field(default_factory=dict)
    response: str | None = None  # the domain response it came from, if any (for tests and analytics)


@dataclass
class TurnResult:
    sender: str
    messages: list[BotMessage]
    intent: str
    confidence: float
    entities: list[dict]
    active_form: str | None
    requested_slot: str | None

    def to_json_lines(self) -> list[dict]:
        """One dict per bot message, in the ``regelwijs chat --json`` contract."""
        out = []
        for m in self.messages:
            out.append({
                "sender": self.sender, "text": m.text, "buttons": m.buttons, "intent": self.intent,
                "confidence": round(float(self.confidence), 4), "entities": self.entities,
                "active_form": self.active_form, "requested_slot": self.requested_slot,
                "citations": m.custom.get("citations", []), "calculation": m.custom.get("calculation"),
            })
        return out


class Runtime:
    """One runtime serves every channel; channels pass pseudonymised sender ids."""

    def __init__(self, assistant: Any, store: StateStore, interpreter: Any, rules: Rules | None = None,
                 executor: ActionExecutor | None = None) -> None:
        self.assistant = assistant
        self.domain: Domain = assistant.domain
        self.store = store
        self.interpreter = interpreter
        self.rules = rules or Rules.load(*RULES_FILES)
        if executor is None:
            from actions import services

            services.set_assistant(assistant)
            executor = ActionExecutor()
            executor.register_package("actions")
        self.executor = executor
        self._locks: dict[str, asyncio.Lock] = {}

    # -- public ---------------------------------------------------------------
    async def handle(self, sender: str, text: Any, metadata: dict | None = None) -> TurnResult:
        """Process one user message for ``sender`` and return what the bot says."""
        lock = self._locks.setdefault(sender, asyncio.Lock())
        try:
            async with lock:
                state = self.store.load(sender)
                turn = _Turn(self, state, metadata or {})
                result = await turn.run(text)
                self.store.save(state)
                return result
        finally:
            if not lock.locked() and self._locks.get(sender) is lock:
                del self._locks[sender]  # one lock per *active* sender, not per sender ever seen

    def handle_sync(self, sender: str, text: Any, metadata: dict | None = None) -> TurnResult:
        return asyncio.run(self.handle(sender, text, metadata))


class _Turn:
    """The work of one user message; collects messages and mutates the state."""

    def __init__(self, rt: Runtime, state: ConversationState, metadata: dict) -> None:
        self.rt = rt
        self.state = state
        self.metadata = metadata
        self.messages: list[BotMessage] = []
        self.parse: dict = {"intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": [], "text": ""}
        self.actions_run = 0

    # -- helpers -------------------------------------------------------------
    @property
    def slots(self) -> dict[str, Any]:
        return self.state.slots

    def utter(self, name: str, **params: Any) -> None:
        d = self.rt.domain
        self.messages.append(BotMessage(d.render(name, self.slots, **params), d.buttons(name, self.slots),
                                        response=name))

    def set_slot(self, name: str, value: Any) -> None:
        self.slots[name] = value
        self.state.add_event({"event": "slot", "name": name, "value": value, "timestamp": time.time()})

    def filled_by_recency(self) -> dict[str, Any]:
        """Filled slots, the most recently set first (from the event window), for corrections."""
        order: list[str] = []
        for ev in reversed(self.state.events):
            name = ev.get("name")
            if ev.get("event") == "slot" and name != "requested_slot" and name not in order:
                order.append(name)
        order += [k for k in self.slots if k not in order]
        return {k: self.slots[k] for k in order if self.slots.get(k) is not None}

    def set_loop(self, name: str | None) -> None:
        self.state.active_loop = name
        self.state.add_event({"event": "active_loop", "name": name, "timestamp": time.time()})

    def tracker_json(self, extra_events: list[dict] | None = None) -> dict:
        return {
            "sender_id": self.state.sender_id,
            "slots": dict(self.slots),
            "latest_message": self.parse,
            "events": list(self.state.events) + (extra_events or []),
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": self.state.active_loop} if self.state.active_loop else {},
            "latest_action_name": None,
        }

    async def run_action(self, name: str, extra_events: list[dict] | None = None) -> list[dict]:
        """Run a response (``utter_*``) or a rasa_sdk action and apply its events."""
        self.actions_run += 1
        if self.actions_run > MAX_ACTIONS_PER_TURN:
            log.error("action limit reached in one turn; stopping at %s", name)
            return []
        if name.startswith("utter_"):
            self.utter(name)
            return []
        result = await self.rt.executor.run({"next_action": name, "tracker": self.tracker_json(extra_events),
                                             "domain": self.rt.domain.to_rasa_json()})
        self.state.add_event({"event": "action", "name": name, "timestamp": time.time()})
        for msg in result.responses if result else []:
            self._collect(msg)
        events = list(result.events) if result else []
        for ev in events:
            self._apply(ev)
        return events

    def _collect(self, msg: dict) -> None:
        d = self.rt.domain
        params = {k: v for k, v in msg.items() if k not in ("text", "buttons", "custom", "response", "template",
                                                            "image", "attachment", "elements")}
        if msg.get("response"):
            text = d.render(msg["response"], self.slots, **params)
            buttons = msg.get("buttons") or d.buttons(msg["response"], self.slots)
        else:
            text, buttons = msg.get("text") or "", msg.get("buttons") or []
        self.messages.append(BotMessage(text, list(buttons), dict(msg.get("custom") or {}),
                                        response=msg.get("response") or msg.get("name")))

    def _apply(self, ev: dict) -> None:
        kind = ev.get("event")
        if kind == "slot":
            self.set_slot(ev["name"], ev.get("value"))
        elif kind == "active_loop":
            self.set_loop(ev.get("name"))
        elif kind == "reset_slots":
            keep = {"language", "gemeente"}
            self.state.slots = {k: v for k, v in self.slots.items() if k in keep}
        elif kind == "restart":
            self.state.slots = {k: v for k, v in self.slots.items() if k in ("language", "gemeente")}
            self.state.active_loop = None
            self.state.events = []
        else:
            self.state.add_event(ev)

    # -- the turn ------------------------------------------------------------
    async def run(self, raw: Any) -> TurnResult:
        ct = clean(raw)
        # The words decide when they tell; else the channel's language setting (the web page's
        # choice), else the conversation keeps its language.
        said = language_signal(ct.text) if ct.has_words and len(ct.text.split()) >= 3 else None
        chosen = self.metadata.get("language") if self.metadata.get("language") in ("nl", "en") else None
        self.slots["language"] = said or chosen or self.slots.get("language") or "nl"
        if "gemeente" not in self.slots or not self.slots.get("gemeente"):
            self.slots["gemeente"] = self.metadata.get("gemeente") or self.rt.assistant.config.default_gemeente
        self.slots["contact_pg"] = self.rt.assistant.config.contact(self.slots.get("gemeente"),
                                                                    self.slots.get("language"))
        if ct.empty or not ct.has_words:
            self.utter("utter_empty_question" if ct.empty else "utter_no_words")
            await self.reask()
            return self.result()
        if ct.truncated:
            self.utter("utter_too_long", length=ct.original_length, limit=len(ct.text))
        self.parse = self.rt.interpreter.parse(ct.text, today=self.metadata.get("today"))
        # The stored event keeps the intent only: what the user typed (a melding's content, a
        # receipt code) never lands in the persisted event window; actions read latest_message.
        self.state.add_event({"event": "user", "text": None, "timestamp": time.time(),
                              "parse_data": {"intent": self.parse.get("intent"), "entities": []}})
        await self.decide()
        return self.result()

    def result(self) -> TurnResult:
        intent = self.parse.get("intent") or {}
        return TurnResult(self.state.sender_id, self.messages, intent.get("name") or "nlu_fallback",
                          float(intent.get("confidence") or 0.0), self.parse.get("entities") or [],
                          self.state.active_loop, self.state.requested_slot if self.state.active_loop else None)

    async def reask(self) -> None:
        form, slot = self.state.active_loop, self.state.requested_slot
        if form and slot:
            await self.ask_slot(form, slot)

    async def ask_slot(self, form: str, slot: str) -> None:
        """Ask like Rasa: ``action_ask_<form>_<slot>``, ``action_ask_<slot>``, then the responses."""
        for name in (f"action_ask_{form}_{slot}", f"action_ask_{slot}"):
            if name in self.rt.executor.actions:
                await self.run_action(name)
                return
        for name in (f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"):
            if name in self.rt.domain.responses:
                self.utter(name)
                return
        self.utter("utter_default")

    async def decide(self) -> None:
        intent = (self.parse.get("intent") or {}).get("name") or "nlu_fallback"
        if self.parse.get("invalid_payload"):
            self.utter("utter_invalid_button")
            await self.reask()
            return
        # A pending "did you mean …?" from the first fallback stage.
        pending = self.state.pending.pop("suggested_intent", None)
        if pending and intent == "affirm":
            intent = pending
            self.parse["intent"] = {"name": pending, "confidence": 1.0}
        elif pending and intent == "deny":
            self.state.fallback_count = 0
            self.utter("utter_handoff")
            return
        # Global slots (gemeente, language, …) from this message.
        for name, value in extract_slot_candidates(self.rt.domain, self.parse, None, None).items():
            if not self._form_slot(name):
                self.set_slot(name, value)
        if intent == "nlu_fallback" and not self.state.active_loop:
            await self.fallback()
            return
        self.state.fallback_count = 0
        if intent in ("cancel", "restart") and self.state.active_loop and self._clear_cancel():
            await self.cancel_form()
            return
        if self.state.active_loop:
            await self.continue_form(intent)
            return
        await self.respond(intent)

    def _clear_cancel(self) -> bool:
        """Inside a form, "stop" must be meant: a button, a short message, or a confident
        intent. A long answer that happens to contain "stoppen" is an answer, not a cancel."""
        text = self.parse.get("text") or ""
        confidence = float((self.parse.get("intent") or {}).get("confidence") or 0.0)
        return text.startswith("/") or len(text.split()) <= 4 or confidence >= 0.9

    def _form_slot(self, slot: str) -> bool:
        mappings = self.rt.domain.slots.get(slot, {}).get("mappings", []) or []
        return any(c.get("active_loop") for m in mappings for c in (m.get("conditions") or []))

    async def respond(self, intent: str) -> None:
        form = self.rt.rules.activate.get(intent)
        if form:
            if form.startswith("calc_") and not extract_slot_candidates(self.rt.domain, self.parse, form, None) \
                    and not cues_in(form, self.parse.get("text") or ""):
                # "Hoeveel krijg ik vergoed voor een beeldschermbril?" without figures: quote
                # the rule first, then offer to work it out for the user's own situation.
                before = len(self.messages)
                await self.run_action("action_answer_policy")
                if any(m.custom.get("kind") == "answer" and m.custom.get("answered") is False
                       for m in self.messages[before:]):
                    # The texts found no quote for this wording ("ik wil zorgverlov berekenen"):
                    # "no answer, ask P&O" would contradict the calculation that follows, so
                    # the form starts straight away.
                    del self.messages[before:]
                else:
                    self.utter("utter_offer_calculation")
            await self.start_form(form)
            return
        if intent in ("inform", "deny") and self.slots.get("last_form"):
            # "nee, 28 uur" after a result: correct the finished calculation and redo it.
            form = self.slots["last_form"]
            filled = self.filled_by_recency()
            hints = cue_slots(form, self.parse.get("text") or "", list(filled))
            cands = {k: v for k, v in extract_slot_candidates(self.rt.domain, self.parse, form, None, filled,
                                                              hints=hints).items()
                     if k in self.required(form) or self._form_slot(k)}
            if cands:
                await self.start_form(form, corrections=cands)
                return
        actions = self.rt.rules.respond.get(intent)
        if not actions:
            actions = ["utter_default"]
        for a in actions:
            await self.run_action(a)

    async def fallback(self) -> None:
        self.state.fallback_count += 1
        ranking = [r for r in self.parse.get("intent_ranking", []) if r.get("name") not in ("nlu_fallback",)]
        if self.state.fallback_count >= 2 or not ranking:
            self.state.fallback_count = 0
            self.utter("utter_handoff")
            return
        best = ranking[0]["name"]
        self.state.pending["suggested_intent"] = best
        label = self.rt.domain.render(f"intent_label_{best}", self.slots) if f"intent_label_{best}" in \
            self.rt.domain.responses else best
        self.messages.append(BotMessage(self.rt.domain.render("utter_ask_rephrase", self.slots, label=label), [
            {"title": self.rt.domain.render("button_yes", self.slots), "payload": "/affirm"},
            {"title": self.rt.domain.render("button_no", self.slots), "payload": "/deny"},
        ], response="utter_ask_rephrase"))

    async def cancel_form(self) -> None:
        form = self.state.active_loop
        self.set_loop(None)
        self.set_slot("requested_slot", None)
        for slot in self.rt.domain.forms.get(form, {}).get("required_slots", []):
            self.slots.pop(slot, None)
        cancel_action = f"action_cancel_{form}"
        if cancel_action in self.rt.executor.actions:
            await self.run_action(cancel_action)
        else:
            self.utter("utter_cancelled")

    async def start_form(self, form: str, corrections: dict | None = None) -> None:
        self.set_loop(form)
        self.set_slot("requested_slot", None)
        # Slots of an earlier run of this form are kept only when this is a correction.
        if corrections is None:
            for slot in self.rt.domain.forms.get(form, {}).get("required_slots", []):
                if slot not in ("uren_per_week",):
                    self.slots.pop(slot, None)
        if f"action_start_{form}" in self.rt.executor.actions:
            await self.run_action(f"action_start_{form}")
            if not self.state.active_loop:  # e.g. this gemeente does not regulate it
                return
        await self.fill_form(form, corrections)

    async def continue_form(self, intent: str) -> None:
        form = self.state.active_loop
        filled = self.filled_by_recency()
        cands = extract_slot_candidates(self.rt.domain, self.parse, form, self.state.requested_slot, filled,
                                        hints=cue_slots(form, self.parse.get("text") or "", list(filled)))
        cands = {k: v for k, v in cands.items() if self._form_slot(k) or k in self.required(form)}
        slot, text = self.state.requested_slot, self.parse.get("text") or ""
        if not cands and intent not in ANSWER_INTENTS and slot and is_choice_reply(form, slot, text):
            cands = {slot: text}  # "good" to "was it goed or zeer goed?" is an answer, not a greeting
        if not cands and intent not in ANSWER_INTENTS:
            # An interruption: handle the other intent, then ask the pending question again.
            if intent in self.rt.rules.activate and self.rt.rules.activate[intent] != form:
                await self.run_action("action_answer_policy")
                self.utter("utter_form_switch_hint")
            else:
                for a in self.rt.rules.respond.get(intent, ["utter_default"]):
                    await self.run_action(a)
            await self.reask()
            return
        await self.fill_form(form, cands)

    def required(self, form: str) -> list[str]:
        return list(self.rt.domain.forms.get(form, {}).get("required_slots", []))

    async def fill_form(self, form: str, candidates: dict | None) -> None:
        if candidates is None:
            candidates = extract_slot_candidates(self.rt.domain, self.parse, form, self.state.requested_slot)
        extra = [{"event": "slot", "name": k, "value": v, "timestamp": time.time()} for k, v in candidates.items()]
        events: list[dict] = []
        validator = f"validate_{form}"
        if validator in self.rt.executor.actions:
            events = await self.run_action(validator, extra_events=extra)
        else:
            for k, v in candidates.items():
                self.set_slot(k, v)
        if not self.state.active_loop:  # the validator ended the form (e.g. declined at confirmation)
            return
        requested = next((e.get("value") for e in events if e.get("event") == "slot"
                          and e.get("name") == "requested_slot"), "__unset__")
        if requested == "__unset__":
            requested = next((s for s in self.required(form) if self.slots.get(s) is None), None)
        if requested:
            self.set_slot("requested_slot", requested)
            await self.ask_slot(form, requested)
            return
        self.set_slot("requested_slot", None)
        self.set_loop(None)
        self.set_slot("last_form", form)
        for a in self.rt.rules.submit.get(form, []):
            await self.run_action(a)

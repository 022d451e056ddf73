"""rasa_sdk actions of the five melding flows and of the receipt-code (status) flow.

Per flow (``melding_<key>_form``, see ``actions/melding_flow_spec.py``):

* ``action_start_<form>`` — intro (112, who receives it, what is kept, "stop"), a fresh idempotency nonce; ends the
  form at once when the bot lacks the public key of the receiving role;
* ``validate_<form>`` — validates every answer (real dates not in the future, clock times, yes/no, choices,
  multi-select with "Klaar", "overslaan" for optional questions, over-long pastes), answers questions asked in the
  middle of the form and asks the pending question again, and runs the summary → correct → confirm step;
* ``action_ask_<form>_<flow>_bevestiging`` / ``…_wijzig`` — the summary with "Versturen / Iets aanpassen / Stoppen"
  and the list of answers that can be corrected;
* ``action_submit_melding_<key>`` — stores the melding through :class:`MeldingStore` (committed before the receipt
  message is produced), shows receipt code, reference, deadlines and what happens next, and purges the flow's slots;
* ``action_cancel_<form>`` — "stop": nothing stored, answers purged; a long message that merely *contains* a stop
  word ("ik zei dat hij moest stoppen") is first checked with the user, since it may have been an answer.

Conversation state: the answers live in slots while the form runs (so a restart resumes at the same question) and
are purged after submitting or stopping, together with the conversation's event window (``Restarted``), because the
runtime keeps user texts in its events. Logging never includes melding content.
"""
from __future__ import annotations

import abc
import datetime as dt
import json
import logging
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.melding_flow_parse import (SKIPPED, code_digits, is_done, is_payload, is_skip, looks_like_question,
                                        match_choice, match_choices, norm, parse_bool, parse_date, parse_datetime,
                                        parse_time)
from actions.melding_flow_spec import (ACTIVE_SLOT, FLOWS, STATUS_CHOICES, STATUS_FORM, STATUS_HELPERS, STATUS_SLOTS,
                                       Flow, Step)
from actions.melding_flow_store import (forget_code, get_store, melding_config, recall_code, remember_code,
                                        role_ready)

log = logging.getLogger(__name__)

REQUESTED = "requested_slot"
NOT_CORRECTABLE = {"doorgaan", "door_wie"}          # answering these differently means another flow, not a fix
DOUBT_WORDS = 5                                     # "stop" inside a text answer this long is checked first
SUMMARY_TEXT_CHARS = 300
QUESTION_INTENTS = {"ask_policy", "help", "talk_to_human", "bot_challenge", "out_of_scope", "thanks", "greet",
                    "goodbye", "is_anoniem", "melding_status"}
DONE_VALUE, SKIP_VALUE = "klaar", "overslaan"
REPO = Path(__file__).resolve().parent.parent


# -------------------------------------------------------------------------------------------------- helpers

def _assistant() -> Any:
    from actions.services import get_assistant

    return get_assistant()


def render(name: str, slots: dict | None, **params: Any) -> str:
    return _assistant().domain.render(name, slots or {}, **params)


def has_response(name: str) -> bool:
    return name in _assistant().domain.responses


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(melding_config().timezone)).date()


def _latest(tracker: Tracker) -> tuple[str, str, float]:
    msg = tracker.latest_message or {}
    intent = msg.get("intent") or {}
    return msg.get("text") or "", intent.get("name") or "", float(intent.get("confidence") or 0.0)


@lru_cache(maxsize=1)
def _rules() -> Any:
    from bot.policy import Rules

    return Rules.load(*sorted((REPO / "data").glob("rules*.yml")))


def flow_values(flow: Flow, slots: dict) -> dict[str, Any]:
    """Answers by field name, without skipped questions, plus the fields derived from them (agressie "plaats")."""
    out = {}
    for step in flow.steps:
        v = slots.get(flow.step_slot(step))
        if v is not None and v != SKIPPED:
            out[step.name] = v
    return flow.with_derived(out)


def required_list(flow: Flow, slots: dict) -> list[str]:
    """What the form asks now, in order (the domain lists every slot; this is the part that applies)."""
    values = flow_values(flow, slots)
    modus = slots.get(flow.helper_slots["modus"])
    c = flow.control_slots
    out = [c["stoppen"]] if modus == "stop?" else []
    out += [flow.step_slot(s) for s in flow.applicable(values)]
    if modus == "wijzigen":
        out.append(c["wijzig"])
    out.append(c["bevestiging"])
    return out


def purge_events(flow: Flow | None, extra: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """Forget every answer of the flow: each slot to None, then end the loop and clear the event window."""
    slots = (flow.all_slots if flow else []) + [ACTIVE_SLOT, "last_form", REQUESTED] + list(extra)
    return [SlotSet(s, None) for s in slots] + [ActiveLoop(None), Restarted()]


def display(flow: Flow, step: Step, value: Any, slots: dict) -> str:
    """An answer as the summary shows it."""
    if value == SKIPPED:
        return render("utter_melding_overgeslagen", slots)
    kind = flow.kind(step)
    if kind == "bool":
        return render("button_ja" if value else "button_nee", slots)
    if kind == "choice":
        return choice_label(flow, step, value, slots)
    if kind == "multichoice":
        return ", ".join(choice_label(flow, step, v, slots) for v in (value or []))
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    if kind == "datetime" and isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
        except ValueError:
            return value
    text = str(value)
    return text if len(text) <= SUMMARY_TEXT_CHARS else text[:SUMMARY_TEXT_CHARS].rstrip() + " …"


def step_label(flow: Flow, step: Step, slots: dict) -> str:
    name = f"label_{flow.step_slot(step)}"
    return render(name, slots) if has_response(name) else flow.label(step)


def summary_lines(flow: Flow, slots: dict) -> str:
    values = flow_values(flow, slots)
    lines = []
    for step in flow.applicable(values):
        if step.name in NOT_CORRECTABLE or step.name == "met_naam":
            continue
        value = slots.get(flow.step_slot(step))
        if value is None:
            continue
        lines.append(f"• {step_label(flow, step, slots)}: {display(flow, step, value, slots)}")
    return "\n".join(lines)


def format_deadlines(deadlines: Any, slots: dict) -> str:
    from actions.meldingen.deadlines import fmt_local

    items = list(deadlines or ())
    if not items:
        return render("utter_melding_geen_termijnen", slots)
    lines = [render("utter_melding_termijnen_kop", slots)]
    for d in items:
        extra = ""
        if d.completed_at:
            extra += render("utter_melding_termijn_afgerond", slots, at=fmt_local(d.completed_at))
        elif d.provisional:
            extra += render("utter_melding_termijn_voorlopig", slots)
        c = d.citation
        line = str(c.line_start) if c.line_start == c.line_end else f"{c.line_start}–{c.line_end}"
        if d.window_start:
            lines.append(render("utter_melding_termijn_venster", slots, label=d.label_nl,
                                start=fmt_local(d.window_start), due=fmt_local(d.due), line=line, extra=extra))
        else:
            lines.append(render("utter_melding_termijn", slots, label=d.label_nl, due=fmt_local(d.due), line=line,
                                extra=extra))
    return "\n".join(lines)


async def handle_interruption(intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict,
                              own_intent: str | None) -> list[dict]:
    """Answer a question asked in the middle of a form, as the rules would outside it; the form then re-asks."""
    rules = _rules()
    if intent in rules.activate and intent != own_intent:
        # "Hoeveel krijg ik vergoed voor een beeldschermbril?" in a melding: quote the rule, then carry on here.
        from actions.answer import ActionAnswerPolicy

        events = await ActionAnswerPolicy().run(dispatcher, tracker, domain) or []
        dispatcher.utter_message(response="utter_melding_andere_melding")
        return events
    if intent == "help" or intent == own_intent:
        dispatcher.utter_message(response="utter_melding_hulp")
        return []
    events: list[dict] = []
    for action in rules.respond.get(intent) or ["utter_melding_hulp"]:
        if action.startswith("utter_"):
            dispatcher.utter_message(response=action)
        elif action == "action_answer_policy":
            from actions.answer import ActionAnswerPolicy

            events += await ActionAnswerPolicy().run(dispatcher, tracker, domain) or []
    return events


def is_interruption(kind: str, parsed: bool, text: str, intent: str, conf: float, own_intent: str) -> bool:
    """Whether a typed message at a question is a question of its own rather than the answer."""
    if not text or is_payload(text) or not intent:
        return False
    other = intent in QUESTION_INTENTS or intent.startswith("calc_") or (
        intent.startswith("melding_") and intent != own_intent)
    if is_skip(text) or is_done(text):
        return False
    short_request = (intent in ("help", "talk_to_human", "thanks") and conf >= 0.8 and len(text.split()) <= 3) or (
        intent in ("greet", "goodbye", "bot_challenge") and conf >= 0.9 and len(text.split()) <= 2)
    if kind == "text":
        return ((other or intent == own_intent) and conf >= 0.5 and looks_like_question(text)) or short_request
    # A structured answer that did not parse: a question of its own, or just a wrong answer (then say so).
    return not parsed and ((other and conf >= 0.45 and looks_like_question(text)) or short_request)


# ------------------------------------------------------------------------------------------ step validation

class Outcome:
    """What validating one answer produced: the new slot values, messages, and whether the flow ends."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}
        self.messages: list[tuple[str, dict]] = []
        self.events: list[dict] = []
        self.end: str | None = None   # response to show when the flow ends here (nothing stored)

    def say(self, response: str, **params: Any) -> None:
        self.messages.append((response, params))


def _detail_step(flow: Flow, step: Step) -> Step | None:
    """The "ja, namelijk …" follow-up question of a yes/no question, if it has one."""
    after = flow.steps[flow.steps.index(step) + 1:]
    for s in after[:2]:
        if (s.when is not None and flow.kind(s) == "text" and s.when({step.name: True})
                and not s.when({step.name: False})):
            return s
    return None


def _remainder_after_yes(text: str) -> str:
    rest = re.sub(r"^\s*(ja|jawel|jazeker|yes|klopt|zeker)\b[\s,.:;!-]*", "", text, flags=re.I)
    rest = re.sub(r"^(namelijk|te weten|want|:)\s*", "", rest, flags=re.I).strip()
    return rest if rest != text.strip() and len(rest) >= 2 else ""


def choice_synonyms(flow: Flow, step: Step) -> dict[str, tuple[str, ...]]:
    """The step's own synonyms plus the titles of its buttons in every language of the domain.

    Why: the choices are named in Dutch (types.yml); an English user types the English
    button title ("At the counter", "shouting"), which must match as "Aan de balie" does.
    """
    merged = {k: tuple(v) for k, v in step.synonyms.items()}
    for titles in _button_titles(flow.form, flow.step_slot(step)).values():
        for value, title in titles.items():
            merged[value] = merged.get(value, ()) + (title,)
    return merged


@lru_cache(maxsize=None)
def _button_titles(form: str, slot: str) -> dict[str, dict[str, str]]:
    """Language → choice value → the title of the button that sends it, from each variation of the question."""
    from bot.domain import load_domain

    out: dict[str, dict[str, str]] = {}
    for variation in load_domain().responses.get(f"utter_ask_{form}_{slot}") or []:
        language = next((str(c.get("value")) for c in variation.get("condition") or []
                         if c.get("name") == "language"), "nl")
        for button in variation.get("buttons") or []:
            m = re.fullmatch(r"/inform(\{.*\})", str(button.get("payload") or ""))
            try:
                value = json.loads(m.group(1)).get(slot) if m else None
            except ValueError:
                value = None
            if isinstance(value, str) and button.get("title"):
                out.setdefault(language, {}).setdefault(value, str(button["title"]))
    return out


#: (flow, step) whose answer may be taken from the opening message: where or how it happened,
#: what is being reported. Plain descriptions the user sees noted and can change in the summary.
OPENING_CHOICES = {("agressie", "kanaal"), ("onveilige_situatie", "betreft")}


def opening_choices(flow: Flow, text: str) -> list[tuple[Step, str]]:
    """Single-choice answers the opening message already names by a whole label or synonym
    ("aan de balie", "a near miss"), for the questions that apply from the start.

    Only the descriptive choices in ``OPENING_CHOICES``: not a decision with consequences
    (a formal complaint instead of the vertrouwenspersoon is not read from the word
    "klacht"), not yes/no, identity or dialogue steps; never on a payload or an
    ambiguous match.
    """
    if not text or is_payload(text) or len(text) > 2000:
        return []
    out: list[tuple[Step, str]] = []
    values = flow_values(flow, {})
    for step in flow.applicable(values):
        if (flow.key, step.name) not in OPENING_CHOICES or flow.kind(step) != "choice":
            continue
        choices = flow.choices(step)
        if {v for v, _ in choices} & {"ja", "nee"}:
            continue
        value = match_choice(text, choices, choice_synonyms(flow, step))
        if value is not None and not norm(text).isdigit():
            out.append((step, value))
    return out


def choice_label(flow: Flow, step: Step, value: Any, slots: dict) -> str:
    """A choice as the user saw it: the button title in the conversation's language, else the Dutch label."""
    language = str(slots.get("language") or "nl")
    if language != "nl":
        title = _button_titles(flow.form, flow.step_slot(step)).get(language, {}).get(str(value))
        if title:
            return title
    return dict(flow.choices(step)).get(value, str(value))


def validate_step(flow: Flow, step: Step, value: Any, slots: dict, out: Outcome, *, typed: bool,
                  raw: str = "") -> Any:
    """The normalised answer, SKIPPED, or None (invalid: a message was added and the question is asked again).

    ``typed``: the answer was typed at this question (not a button); ``raw`` is then the typed text, which may say
    more than the mapped value ("ja, een blauwe plek" arrives as ``True`` through the affirm intent).
    """
    kind = flow.kind(step)
    values = flow_values(flow, {**slots, **out.slots})
    required = flow.is_required(step, values)
    if isinstance(value, str) and typed and is_payload(value):
        out.say("utter_invalid_button")
        return None
    if kind not in ("bool", "multichoice") and is_skip(value) and not (kind == "choice" and match_choice(
            value, flow.choices(step), choice_synonyms(flow, step))):
        if required:
            out.say("utter_melding_fout_verplicht")
            return None
        return SKIPPED
    if kind == "text":
        text = str(value).strip()
        if not text:
            return None
        from bot.text_input import MAX_CHARS

        limit = flow.max_length(step)
        if len(text) > limit:
            out.say("utter_melding_ingekort", limit=limit)
            text = text[:limit]
        elif typed and len(text) >= MAX_CHARS - 40:  # the channel layer cut a longer paste at MAX_CHARS
            out.say("utter_melding_ingekort", limit=MAX_CHARS)
        return text
    if kind == "time":
        t = parse_time(value)
        if t is None:
            out.say("utter_melding_fout_tijd")
        return t
    if kind == "date":
        # The typed text first: the NLU's date entity turns "31 februari 1980" into 1980-02-01.
        res = parse_date(raw or value, _today(), not_future=flow.not_future(step))
        if res.error == "unknown" and raw and value != raw:
            res = parse_date(value, _today(), not_future=flow.not_future(step))
        if res.value is None:
            out.say({"invalid": "utter_melding_fout_datum_ongeldig", "future": "utter_melding_fout_datum_toekomst"}
                    .get(res.error or "", "utter_melding_fout_datum_onbekend"))
            return None
        return res.value.isoformat()
    if kind == "datetime":
        iso, err = parse_datetime(raw or value, _today())
        if err == "unknown" and raw and value != raw:
            iso, err = parse_datetime(value, _today())
        if iso is None:
            out.say({"invalid": "utter_melding_fout_datum_ongeldig", "future": "utter_melding_fout_datum_toekomst"}
                    .get(err or "", "utter_melding_fout_datum_onbekend"))
        return iso
    if kind == "bool":
        b = parse_bool(value)
        if b is None and is_skip(value) and not required:
            return SKIPPED
        if b is None:
            out.say("utter_melding_fout_janee")
            return None
        if b and typed and (raw or isinstance(value, str)):
            detail = _detail_step(flow, step)
            rest = _remainder_after_yes(raw or str(value))
            if detail and rest and slots.get(flow.step_slot(detail)) is None:
                out.slots[flow.step_slot(detail)] = rest
        return b
    if kind == "choice":
        choice = match_choice(value, flow.choices(step), choice_synonyms(flow, step))
        if choice is None:
            out.say("utter_melding_fout_keuze")
        return choice
    if kind == "multichoice":
        return _validate_multi(flow, step, value, slots, out, typed=typed, required=required)
    raise ValueError(f"onbekende soort vraag: {kind}")


def _validate_multi(flow: Flow, step: Step, value: Any, slots: dict, out: Outcome, *, typed: bool,
                    required: bool) -> Any:
    slot = flow.step_slot(step)
    sel_slot = flow.helper_slots["selectie"]
    current = slots.get(sel_slot) or {}
    chosen: list[str] = list(current.get("values") or []) if current.get("slot") == slot else []
    choices = flow.choices(step)
    labels = dict(choices)
    if value == DONE_VALUE or is_done(value):
        if chosen:
            out.slots[sel_slot] = None
            return chosen
        if required:
            out.say("utter_melding_selectie_leeg")
            return None
        return SKIPPED
    if value == SKIP_VALUE or (is_skip(value) and not match_choices(value, choices, choice_synonyms(flow, step))):
        out.slots[sel_slot] = None
        if chosen:
            return chosen
        if required:
            out.say("utter_melding_fout_verplicht")
            return None
        return SKIPPED
    if not typed and isinstance(value, str) and value in labels:
        # A button: add it and keep asking until "Klaar".
        if value not in chosen:
            chosen.append(value)
        out.slots[sel_slot] = {"slot": slot, "values": chosen}
        out.say("utter_melding_selectie", gekozen=", ".join(choice_label(flow, step, v, slots) for v in chosen))
        return None
    found = match_choices(value, choices, choice_synonyms(flow, step))
    if not found:
        out.say("utter_melding_fout_keuze")
        return None
    out.slots[sel_slot] = None
    return chosen + [v for v in found if v not in chosen]


# ----------------------------------------------------------------------------------------------- the actions

class _Generated(abc.ABC):
    flow_key = ""

    @abc.abstractmethod
    def _generated(self) -> None:
        """Only the per-flow subclasses made by :func:`_make_actions` are actions."""

    @property
    def flow(self) -> Flow:
        return FLOWS[self.flow_key]


class _StartMelding(_Generated, Action):
    def name(self) -> str:
        return f"action_start_{self.flow.form}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        flow = self.flow
        role = flow.mtype.handler_role
        if not role_ready(role):
            dispatcher.utter_message(response="utter_melding_niet_beschikbaar", rol=role)
            return [ActiveLoop(None), SlotSet(REQUESTED, None)]
        dispatcher.utter_message(response=f"utter_melding_{flow.key}_intro")
        events = [SlotSet(s, None) for s in flow.all_slots]
        events += [SlotSet(flow.helper_slots["nonce"], secrets.token_hex(16)), SlotSet(ACTIVE_SLOT, flow.key)]
        text, _, _ = _latest(tracker)
        noted = opening_choices(flow, text)
        if noted:
            # "een klant bedreigde me aan de balie": the situation is not asked again; the user is
            # told what was noted and can change it in the summary before anything is sent.
            slots = dict(tracker.slots)
            events += [SlotSet(flow.step_slot(step), value) for step, value in noted]
            dispatcher.utter_message(response="utter_melding_al_genoteerd", velden="; ".join(
                f"{step_label(flow, step, slots)}: {choice_label(flow, step, value, slots)}" for step, value in noted))
        return events


class _ValidateMelding(_Generated, FormValidationAction):
    def name(self) -> str:
        return f"validate_{self.flow.form}"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> list[str]:
        return required_list(self.flow, tracker.slots)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        flow = self.flow
        out = await self._validate(dispatcher, tracker, domain)
        for response, params in out.messages:
            dispatcher.utter_message(response=response, **params)
        if out.end:
            dispatcher.utter_message(response=out.end)
            return out.events + purge_events(flow)
        slots = {**tracker.slots, **out.slots}
        # Answers to questions that no longer apply (e.g. "welk letsel?" after letsel became "nee") are dropped.
        values = flow_values(flow, slots)
        applicable = {flow.step_slot(s) for s in flow.applicable(values)}
        for slot in flow.step_slots:
            if slot not in applicable and slots.get(slot) is not None:
                slots[slot] = out.slots[slot] = None
        snapshot = {s: slots[s] for s in flow.step_slots if slots.get(s) is not None}
        out.slots[flow.helper_slots["snapshot"]] = snapshot or None
        nxt = next((s for s in required_list(flow, slots) if slots.get(s) is None), None)
        return out.events + [SlotSet(k, v) for k, v in out.slots.items()] + [SlotSet(REQUESTED, nxt)]

    async def _validate(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Outcome:
        flow = self.flow
        out = Outcome()
        slots = dict(tracker.slots)
        text, intent, conf = _latest(tracker)
        requested = slots.get(REQUESTED)
        asked = set(required_list(flow, slots))
        # Candidates of this turn; values equal to what the slot already holds are echoes of our own SlotSets.
        cands = {k: v for k, v in tracker.slots_to_validate().items()
                 if k in flow.required_slots and v is not None and v != slots.get(k)}
        # Button presses for other questions first, the answer to the pending question last.
        for slot in sorted(cands, key=lambda s: s == requested):
            value = cands[slot]
            if isinstance(value, str) and is_payload(value):
                out.say("utter_invalid_button")  # a button of another flow or an old message, caught as text
                continue
            typed = slot == requested and not is_payload(text)
            control = next((c for c, s in flow.control_slots.items() if s == slot), None)
            if control:
                if slot == requested:  # an old summary button while another question is pending is ignored
                    self._control(control, value, slots, out, typed=typed, text=text)
            else:
                step = flow.step_for_slot(slot)
                if step is None or (slot not in asked and slots.get(slot) is None):
                    continue  # an old button for a question that does not apply now
                parsed = None
                if typed and flow.kind(step) == "text":
                    if is_interruption("text", True, text, intent, conf, flow.intent):
                        out.events += await handle_interruption(intent, dispatcher, tracker, domain, flow.intent)
                        continue
                probe = Outcome()
                parsed = validate_step(flow, step, value, {**slots, **out.slots}, probe, typed=typed,
                                       raw=text if typed else "")
                if parsed is None and typed and is_interruption(flow.kind(step), False, text, intent, conf,
                                                                flow.intent):
                    out.events += await handle_interruption(intent, dispatcher, tracker, domain, flow.intent)
                    continue
                out.messages += probe.messages
                out.slots.update(probe.slots)
                previous = slots.get(slot)
                out.slots[slot] = parsed
                if parsed is not None and parsed != previous:
                    self._react(step, parsed, out, slots)
            if out.end:
                return out
        return out

    # -- flow-specific reactions to an answer (advice route, recipient, switching flows, serious injury, …)
    def _react(self, step: Step, value: Any, out: Outcome, slots: dict) -> None:
        key, name = self.flow.key, step.name
        if key == "misstand" and name == "doorgaan" and value == "advies":
            out.end = "utter_melding_misstand_advies"
        elif key == "misstand" and name == "ontvanger":
            if value == "coordinator_betrokken":
                out.end = "utter_melding_misstand_coordinator_betrokken"
            elif value in ("vertrouwenspersoon", "leidinggevende"):
                label = dict(self.flow.choices(step))[value]
                out.say("utter_melding_misstand_ontvanger_via", ontvanger=label[0].lower() + label[1:])
        elif key == "ongewenst_gedrag" and name == "door_wie" and value == "inwoner":
            out.end = "utter_melding_ongewenst_gedrag_naar_agressie"
        elif key == "ongewenst_gedrag" and name == "route":
            if value == "info":
                out.end = "utter_melding_ongewenst_gedrag_info"
            elif value == "klacht":
                out.say("utter_melding_ongewenst_gedrag_klacht_uitleg")
        elif name == "ernstig_letsel" and value is True and key in ("agressie", "arbeidsongeval"):
            out.say(f"utter_melding_{key}_ernstig")
        elif key == "arbeidsongeval" and name == "verzuim":
            if value == "geen":
                out.say("utter_melding_arbeidsongeval_geen_verzuim")
            elif value == "minder_dan_drie_dagen":
                out.say("utter_melding_arbeidsongeval_kort_verzuim")

    # -- stop confirmation, correction menu, confirmation
    def _control(self, control: str, value: Any, slots: dict, out: Outcome, *, typed: bool, text: str) -> None:
        flow = self.flow
        c, h = flow.control_slots, flow.helper_slots
        n = norm(value) if isinstance(value, str) else value
        if control == "stoppen":
            choice = value if value in ("ja", "antwoord", "verder") else None
            if choice is None and isinstance(value, str):
                b = parse_bool(value)
                choice = "ja" if b is True else "verder" if b is False else (
                    "antwoord" if "antwoord" in n else "ja" if "stop" in n else None)
            if choice is None:
                out.say("utter_melding_bevestiging_onbekend")
                out.slots[c["stoppen"]] = None
                return
            pending = slots.get(h["pending"]) or {}
            out.slots.update({c["stoppen"]: None, h["modus"]: None, h["pending"]: None})
            if choice == "ja":
                out.end = "utter_melding_gestopt"
            elif choice == "antwoord" and pending.get("slot"):
                step = flow.step_for_slot(pending["slot"])
                if step is not None:
                    probe = Outcome()
                    v = validate_step(flow, step, pending.get("text") or "", slots, probe, typed=True)
                    out.messages += probe.messages
                    out.slots.update(probe.slots)
                    out.slots[pending["slot"]] = v
            return
        if control == "wijzig":
            values = flow_values(flow, slots)
            options = [(flow.step_slot(s), step_label(flow, s, slots)) for s in flow.applicable(values)
                       if s.name not in NOT_CORRECTABLE]
            back = value == "terug" or (isinstance(value, str) and ("terug" in n or "overzicht" in n))
            target = value if value in dict(options) else (None if back else match_choice(value, options))
            out.slots.update({c["wijzig"]: None, h["modus"]: None})
            if target is None and not back:
                out.say("utter_melding_wijzig_onbekend")
                out.slots[h["modus"]] = "wijzigen"
                return
            if target:
                out.slots[target] = None
                if slots.get(h["selectie"]):
                    out.slots[h["selectie"]] = None
            return
        # bevestiging
        choice = value if value in ("versturen", "aanpassen") else None
        if choice is None and isinstance(value, str):
            if any(w in n for w in ("verstu", "verzend", "send", "submit", "indienen")) or parse_bool(value) is True:
                choice = "versturen"
            elif any(w in n for w in ("aanpas", "wijzig", "verander", "corrig", "fout", "change", "klopt niet")) \
                    or parse_bool(value) is False:
                choice = "aanpassen"
        if choice == "versturen":
            out.slots[c["bevestiging"]] = "versturen"
        elif choice == "aanpassen":
            out.slots.update({c["bevestiging"]: None, c["wijzig"]: None, h["modus"]: "wijzigen"})
        else:
            out.say("utter_melding_bevestiging_onbekend")
            out.slots[c["bevestiging"]] = None


class _AskBevestiging(_Generated, Action):
    """The summary of every answer, with Versturen / Iets aanpassen / Stoppen."""

    def name(self) -> str:
        return f"action_ask_{self.flow.form}_{self.flow.control_slots['bevestiging']}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        ask_summary(self.flow, dispatcher, tracker.slots)
        return []


def ask_summary(flow: Flow, dispatcher: CollectingDispatcher, slots: dict) -> None:
    values = flow_values(flow, slots)
    role = flow.mtype.handler_role
    ident = "utter_melding_identiteit_mee" if flow.identity_given(values) else "utter_melding_identiteit_niet"
    slot = flow.control_slots["bevestiging"]
    buttons = [
        {"title": render("button_melding_versturen", slots), "payload": f'/inform{{"{slot}": "versturen"}}'},
        {"title": render("button_melding_aanpassen", slots), "payload": f'/inform{{"{slot}": "aanpassen"}}'},
        {"title": render("button_melding_stoppen", slots), "payload": "/cancel"},
    ]
    dispatcher.utter_message(response="utter_melding_samenvatting", buttons=buttons,
                             samenvatting=summary_lines(flow, slots),
                             ontvanger=render(f"label_rol_{role}", slots), identiteit=render(ident, slots))


class _AskWijzig(_Generated, Action):
    """Which answer to correct: one button per answer given, and "Terug naar het overzicht"."""

    def name(self) -> str:
        return f"action_ask_{self.flow.form}_{self.flow.control_slots['wijzig']}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        ask_wijzig(self.flow, dispatcher, tracker.slots)
        return []


def ask_wijzig(flow: Flow, dispatcher: CollectingDispatcher, slots: dict) -> None:
    slot = flow.control_slots["wijzig"]
    values = flow_values(flow, slots)
    buttons = []
    for step in flow.applicable(values):
        if step.name in NOT_CORRECTABLE:
            continue
        title = step_label(flow, step, slots)
        buttons.append({"title": title if len(title) <= 60 else title[:57] + "…",
                        "payload": f'/inform{{"{slot}": "{flow.step_slot(step)}"}}'})
    buttons.append({"title": render("button_melding_terug", slots), "payload": f'/inform{{"{slot}": "terug"}}'})
    dispatcher.utter_message(response="utter_melding_wijzig_vraag", buttons=buttons)


def ask_question(flow: Flow, slot: str | None, dispatcher: CollectingDispatcher, slots: dict) -> None:
    """Ask ``slot`` the way the runtime would (custom ask actions for the summary and the correction menu)."""
    if slot is None:
        return
    if slot == flow.control_slots["bevestiging"]:
        ask_summary(flow, dispatcher, slots)
    elif slot == flow.control_slots["wijzig"]:
        ask_wijzig(flow, dispatcher, slots)
    else:
        dispatcher.utter_message(response=f"utter_ask_{flow.form}_{slot}")


def restore_form(flow: Flow, dispatcher: CollectingDispatcher, tracker: Tracker, updates: dict[str, Any]) -> list:
    """Undo the runtime's cancel: re-activate the form with the answers so far (plus ``updates``) and ask on."""
    snapshot = dict(tracker.get_slot(flow.helper_slots["snapshot"]) or {})
    snapshot.update({k: v for k, v in updates.items() if k in flow.step_slots and v is not None})
    slots = {**tracker.slots, **snapshot, **updates}
    nxt = next((s for s in required_list(flow, slots) if slots.get(s) is None), None)
    ask_question(flow, nxt, dispatcher, slots)
    return ([ActiveLoop(flow.form)] + [SlotSet(k, v) for k, v in {**snapshot, **updates}.items()]
            + [SlotSet(flow.helper_slots["snapshot"], snapshot), SlotSet(REQUESTED, nxt)])


class _SubmitMelding(_Generated, Action):
    def name(self) -> str:
        return f"action_submit_melding_{self.flow.key}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from actions.meldingen import KeyringError, ValidationError

        flow, slots = self.flow, dict(tracker.slots)
        fields, identity = build_submission(flow, slots)
        nonce = slots.get(flow.helper_slots["nonce"])
        if not nonce:  # a form resumed from a state written before nonces existed: draw one now
            nonce = secrets.token_hex(16)
        key = f"{tracker.sender_id}:{nonce}"
        store = None
        try:
            store = get_store()
            result = store.submit(flow.type_name, fields, identity, key)
        except KeyringError:
            log.warning("melding %s niet opgeslagen: geen publieke sleutel voor de ontvanger", flow.type_name)
            dispatcher.utter_message(response="utter_melding_niet_beschikbaar", rol=flow.mtype.handler_role)
            return self._back_to_summary(dispatcher, slots, nonce)
        except ValidationError as exc:
            return self._back_to_field(dispatcher, slots, nonce, exc.errors)
        except Exception as exc:  # noqa: BLE001 - the database may be away; the user keeps their answers
            log.error("melding %s kon niet worden opgeslagen (%s)", flow.type_name, type(exc).__name__)
            dispatcher.utter_message(response="utter_melding_versturen_mislukt")
            return self._back_to_summary(dispatcher, slots, nonce)
        # The melding is committed; only now is the receipt produced.
        termijnen = format_deadlines(result.deadlines, slots)
        values = flow_values(flow, slots)
        vervolg_name = (f"utter_melding_{flow.key}_klacht_vervolg" if values.get("route") == "klacht"
                        else f"utter_melding_{flow.key}_vervolg")
        vervolg = "\n\n".join([render(vervolg_name, slots)] + receipt_notes(flow, values, slots))
        if result.created:
            dispatcher.utter_message(response="utter_melding_ontvangen", code=result.receipt_code,
                                     reference=result.reference, termijnen=termijnen, vervolg=vervolg)
        else:
            code = store.reissue_receipt(key)
            if code:
                dispatcher.utter_message(response="utter_melding_al_ontvangen", code=code, reference=result.reference,
                                         termijnen=termijnen, vervolg=vervolg)
            else:
                dispatcher.utter_message(response="utter_melding_al_ontvangen_geen_code", reference=result.reference)
        log.info("melding %s afgerond in het gesprek (%s)", result.reference, flow.type_name)
        return purge_events(flow)

    def _back_to_summary(self, dispatcher: CollectingDispatcher, slots: dict, nonce: str) -> list:
        flow = self.flow
        slot = flow.control_slots["bevestiging"]
        slots = {**slots, slot: None}
        ask_summary(flow, dispatcher, slots)
        return [ActiveLoop(flow.form), SlotSet(flow.helper_slots["nonce"], nonce), SlotSet(slot, None),
                SlotSet(REQUESTED, slot)]

    def _back_to_field(self, dispatcher: CollectingDispatcher, slots: dict, nonce: str, errors: dict) -> list:
        """types.yml rejected an answer the dialogue accepted: ask that question again (a bug, but recoverable)."""
        flow = self.flow
        log.error("melding %s afgewezen door de validatie van types.yml (velden: %s)", flow.type_name,
                  ", ".join(sorted(errors)))
        values = flow_values(flow, slots)
        target = None
        for step in flow.applicable(values):
            if step.name in errors or (step.source == "identity" and "identiteit" in errors and step.name == "naam"):
                target = step
                break
        if target is None:
            dispatcher.utter_message(response="utter_melding_versturen_mislukt")
            return self._back_to_summary(dispatcher, slots, nonce)
        slot = flow.step_slot(target)
        dispatcher.utter_message(response="utter_melding_ongeldig_veld", label=step_label(flow, target, slots),
                                 reden=errors.get(target.name) or errors.get("identiteit") or "")
        dispatcher.utter_message(response=f"utter_ask_{flow.form}_{slot}")
        return [ActiveLoop(flow.form), SlotSet(flow.helper_slots["nonce"], nonce), SlotSet(slot, None),
                SlotSet(flow.control_slots["bevestiging"], None), SlotSet(REQUESTED, slot)]


def receipt_notes(flow: Flow, values: dict[str, Any], slots: dict) -> list[str]:
    """Extra lines for the receipt that depend on an answer: ``utter_melding_<flow>_vervolg_<field>_<value>``
    (yes/no answers as ``ja``/``nee``), e.g. what the consent to disclose one's identity means (misstand)."""
    notes = []
    for step in flow.applicable(values):
        v = values.get(step.name)
        key = ("ja" if v else "nee") if isinstance(v, bool) else v
        if isinstance(key, str):
            name = f"utter_melding_{flow.key}_vervolg_{step.name}_{key}"
            if has_response(name):
                notes.append(render(name, slots))
    return notes


def build_submission(flow: Flow, slots: dict) -> tuple[dict[str, Any], Any]:
    """(fields, Identity | None) for :meth:`MeldingStore.submit` from the answers that apply."""
    from actions.meldingen import Identity

    values = flow_values(flow, slots)
    mt = flow.mtype
    known = {f.name for f in mt.fields}
    fields: dict[str, Any] = {}
    ident: dict[str, Any] = {}
    for step in flow.applicable(values):
        if step.name not in values:
            continue
        v = values[step.name]
        if step.source == "field":
            spec = flow.spec(step)
            if flow.kind(step) == "choice" and spec is not None and v not in spec.choice_values():
                continue  # a dialogue-only choice such as route "info" (never submitted)
            fields[step.name] = v
        elif step.source == "identity":
            if flow.identity_given(values):
                ident[step.name] = v
    for d in flow.derived:  # e.g. the agressie form's "plaats", from the situation
        if d.name in values and d.name in known:
            fields.setdefault(d.name, values[d.name])
    identity = Identity(ident, consent=True) if ident and flow.identity_given(values) else None
    return fields, identity


class _CancelMelding(_Generated, Action):
    def name(self) -> str:
        return f"action_cancel_{self.flow.form}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        flow = self.flow
        text, _intent, _conf = _latest(tracker)
        prev = next((e.get("value") for e in reversed(tracker.events)
                     if e.get("event") == "slot" and e.get("name") == REQUESTED and e.get("value")), None)
        step = flow.step_for_slot(prev) if prev else None
        c, h = flow.control_slots, flow.helper_slots
        if step is not None and not is_payload(text):
            values = flow_values(flow, {**tracker.slots, **(tracker.get_slot(h["snapshot"]) or {})})
            if is_skip(text) and not _looks_like_stop(text):
                # "overslaan" / "skip" are classified as cancel by the NLU: they skip this question, not the melding.
                if flow.is_required(step, values):
                    dispatcher.utter_message(response="utter_melding_fout_verplicht")
                    return restore_form(flow, dispatcher, tracker, {prev: None})
                return restore_form(flow, dispatcher, tracker, {prev: SKIPPED, h["selectie"]: None})
            if flow.kind(step) == "text" and len(text.split()) >= DOUBT_WORDS:
                # "hij zei dat ik moest stoppen" is an answer that happens to contain a stop word: ask first.
                return restore_form(flow, dispatcher, tracker, {h["modus"]: "stop?", c["stoppen"]: None,
                                                                h["pending"]: {"slot": prev, "text": text}})
        dispatcher.utter_message(response="utter_melding_gestopt")
        return purge_events(flow)


def _looks_like_stop(text: str) -> bool:
    n = norm(text)
    return any(w in n.split() for w in ("stop", "stoppen", "annuleer", "annuleren", "afbreken", "cancel", "kappen"))


# ---------------------------------------------------------------------------------------------- status flow

class ActionStartMeldingStatus(Action):
    def name(self) -> str:
        return f"action_start_{STATUS_FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(response="utter_melding_status_intro")
        events = [SlotSet(s, None) for s in list(STATUS_SLOTS.values()) + list(STATUS_HELPERS.values())]
        text, _i, _c = _latest(tracker)
        digits = code_digits(text)
        if digits and show_status(dispatcher, tracker, digits):
            events.append(SlotSet(STATUS_SLOTS["code"], "gecontroleerd"))
        return events


def show_status(dispatcher: CollectingDispatcher, tracker: Tracker, digits: str) -> bool:
    """Status, deadlines and handler replies for a receipt code; False if the code is unknown."""
    from actions.meldingen import InvalidReceipt
    from actions.meldingen.deadlines import fmt_local

    slots = tracker.slots
    try:
        store = get_store()
        st = store.status(digits)
        replies = store.read_replies(digits)
    except InvalidReceipt:
        dispatcher.utter_message(response="utter_melding_status_code_onbekend")
        return False
    except Exception as exc:  # noqa: BLE001
        log.error("status opvragen mislukt (%s)", type(exc).__name__)
        dispatcher.utter_message(response="utter_melding_status_fout")
        return False
    remember_code(tracker.sender_id, digits)
    if replies:
        reacties = "\n".join([render("utter_melding_status_reacties_kop", slots)] + [
            render("utter_melding_status_reactie", slots, at=fmt_local(m.at), text=m.text) for m in replies])
    else:
        reacties = render("utter_melding_status_geen_reacties", slots)
    dispatcher.utter_message(response="utter_melding_status_resultaat", reference=st.reference, label=st.label_nl,
                             status=st.status_nl, ontvangen=fmt_local(st.created_at),
                             termijnen=format_deadlines(st.deadlines, slots), reacties=reacties)
    return True


class ValidateMeldingStatusForm(FormValidationAction):
    def name(self) -> str:
        return f"validate_{STATUS_FORM}"

    @staticmethod
    def _required(slots: dict) -> list[str]:
        out = [STATUS_SLOTS["code"], STATUS_SLOTS["vervolg"]]
        if slots.get(STATUS_SLOTS["vervolg"]) == "aanvullen":
            out.append(STATUS_SLOTS["aanvulling"])
        return out

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> list[str]:
        return self._required(tracker.slots)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = dict(tracker.slots)
        new: dict[str, Any] = {}
        text, intent, conf = _latest(tracker)
        requested = slots.get(REQUESTED)
        cands = {k: v for k, v in tracker.slots_to_validate().items()
                 if k in STATUS_SLOTS.values() and v is not None and v != slots.get(k)}
        for slot, value in cands.items():
            typed = slot == requested and value == text and not is_payload(text)
            if slot == STATUS_SLOTS["code"]:
                digits = code_digits(value if isinstance(value, str) else "")
                if digits is None and typed and is_interruption("code", False, text, intent, conf, "melding_status"):
                    await handle_interruption(intent, dispatcher, tracker, domain, "melding_status")
                    continue
                if digits and show_status(dispatcher, tracker, digits):
                    new[slot] = "gecontroleerd"   # a marker: the code itself never enters the conversation state
                    new[STATUS_HELPERS["pogingen"]] = None
                    continue
                if digits is None:
                    dispatcher.utter_message(response="utter_melding_status_code_onbekend")
                tries = int(slots.get(STATUS_HELPERS["pogingen"]) or 0) + 1
                new[slot] = None
                new[STATUS_HELPERS["pogingen"]] = tries
                if tries >= 3:
                    dispatcher.utter_message(response="utter_melding_status_te_vaak")
                    forget_code(tracker.sender_id)
                    return purge_events(None, list(STATUS_SLOTS.values()) + list(STATUS_HELPERS.values()))
            elif slot == STATUS_SLOTS["vervolg"]:
                choice = match_choice(value, STATUS_CHOICES, {"aanvullen": ("toevoegen", "aanvul", "ja"),
                                                              "klaar": ("nee", "klaar", "niets", "stop")})
                if choice is None and isinstance(value, str):
                    b = parse_bool(value)
                    choice = "aanvullen" if b is True else "klaar" if b is False else None
                if choice is None:
                    dispatcher.utter_message(response="utter_melding_fout_keuze")
                new[slot] = choice
            elif slot == STATUS_SLOTS["aanvulling"]:
                if isinstance(value, str) and value.strip() and not is_payload(value):
                    new[slot] = value.strip()
                    new[STATUS_HELPERS["verstuurd"]] = None
        merged = {**slots, **new}
        pending = merged.get(STATUS_SLOTS["aanvulling"])
        if pending and not merged.get(STATUS_HELPERS["verstuurd"]) and merged.get(STATUS_SLOTS["code"]):
            new.update(self._add(dispatcher, tracker, pending))
            merged = {**slots, **new}
        nxt = next((s for s in self._required(merged) if merged.get(s) is None), None)
        return [SlotSet(k, v) for k, v in new.items()] + [SlotSet(REQUESTED, nxt)]

    @staticmethod
    def _add(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> dict[str, Any]:
        from actions.meldingen import InvalidReceipt, MeldingClosed, ValidationError
        from actions.meldingen.deadlines import fmt_local

        digits = recall_code(tracker.sender_id)
        if digits is None:  # the process restarted since the code was checked: ask for it once more
            dispatcher.utter_message(response="utter_melding_status_code_opnieuw")
            return {STATUS_SLOTS["code"]: None}
        try:
            at = get_store().add_information(digits, text)
        except MeldingClosed:
            dispatcher.utter_message(response="utter_melding_status_afgesloten")
        except (InvalidReceipt, ValidationError):
            dispatcher.utter_message(response="utter_melding_status_fout")
        except Exception as exc:  # noqa: BLE001
            log.error("aanvulling niet opgeslagen (%s)", type(exc).__name__)
            dispatcher.utter_message(response="utter_melding_status_fout")
        else:
            dispatcher.utter_message(response="utter_melding_status_toegevoegd", at=fmt_local(at))
        # Only a marker stays: the text is not kept in the conversation.
        return {STATUS_SLOTS["aanvulling"]: "verwerkt", STATUS_HELPERS["verstuurd"]: True}


class ActionSubmitMeldingStatus(Action):
    def name(self) -> str:
        return "action_submit_melding_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        forget_code(tracker.sender_id)
        dispatcher.utter_message(response="utter_melding_status_klaar")
        return purge_events(None, list(STATUS_SLOTS.values()) + list(STATUS_HELPERS.values()))


class ActionCancelMeldingStatus(Action):
    def name(self) -> str:
        return f"action_cancel_{STATUS_FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        forget_code(tracker.sender_id)
        dispatcher.utter_message(response="utter_melding_status_klaar")
        return purge_events(None, list(STATUS_SLOTS.values()) + list(STATUS_HELPERS.values()))


# ------------------------------------------------------------------------------------------ class generation

def _make_actions() -> None:
    for key in FLOWS:
        suffix = "".join(p.title() for p in key.split("_"))
        attrs = {"flow_key": key, "__module__": __name__, "_generated": lambda self: None}
        for base, prefix in ((_StartMelding, "Start"), (_ValidateMelding, "Validate"),
                             (_AskBevestiging, "AskBevestiging"), (_AskWijzig, "AskWijzig"), (_SubmitMelding, "Submit"),
                             (_CancelMelding, "Cancel")):
            cls = type(f"{prefix}Melding{suffix}", (base,), dict(attrs))
            globals()[cls.__name__] = cls


_make_actions()

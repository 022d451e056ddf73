"""The retrieval answer as a rasa_sdk action: quote the regeling, with citations."""
from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import get_assistant


class ActionAnswerPolicy(Action):
    """Answer the latest user message from the regelingen of the user's gemeente."""

    def name(self) -> str:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        assistant = get_assistant()
        latest = tracker.latest_message or {}
        question = latest.get("text") or ""
        own = tracker.get_slot("gemeente") or assistant.config.default_gemeente
        result = assistant.ask(question, gemeente=own, today=dt.date.today(), parse=latest, in_dialogue=True,
                               language=tracker.get_slot("language"))
        dispatcher.utter_message(text=result["answer"], json_message={
            "citations": result["citations"], "answered": result["answered"], "warnings": result["warnings"],
            "gemeente": result["gemeente"], "kind": "answer"})
        return [SlotSet("last_answer_answered", result["answered"])]

"""Access to the loaded knowledge layer from inside actions.

The in-process runtime hands its :class:`bot.assistant.Assistant` over with
:func:`set_assistant`, so actions share the already-loaded index; under a separate
action server (``python -m rasa_sdk --actions actions``) the first action that needs it
loads one from ``config.yml``.
"""
from __future__ import annotations

import threading
from typing import Any

_assistant: Any = None
_lock = threading.Lock()


def set_assistant(assistant: Any) -> None:
    global _assistant
    _assistant = assistant


def get_assistant() -> Any:
    global _assistant
    with _lock:
        if _assistant is None:
            from bot.assistant import Assistant

            _assistant = Assistant()
        return _assistant

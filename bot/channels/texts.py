"""Channel-specific user-facing texts, from ``domain_channels.yml`` (Rasa domain format).

Kept in a domain file of their own so that all Dutch text stays in domain files (the
project's rule) without this package editing the shared ``domain.yml``; the file merges
cleanly into the main domain if it is ever listed in ``EXTRA_DOMAIN_FILES``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.config import REPO_ROOT
from bot.domain import Domain
from knowledge import yaml_io

CHANNEL_DOMAIN_FILE = REPO_ROOT / "domain_channels.yml"
LANGUAGES = ("nl", "en")


@lru_cache(maxsize=1)
def channel_domain() -> Domain:
    return Domain(yaml_io.safe_load(CHANNEL_DOMAIN_FILE.read_text(encoding="utf-8")) or {})


def render(name: str, language: str | None = "nl", **params: Any) -> str:
    """One channel text in ``language`` (Dutch unless an English variation exists)."""
    lang = language if language in LANGUAGES else "nl"
    return channel_domain().render(name, {"language": lang}, **params)


def web_texts(language: str | None) -> dict[str, str]:
    """Every ``web_*`` text for the page, keyed without the prefix."""
    d = channel_domain()
    return {name.removeprefix("web_"): render(name, language) for name in d.responses if name.startswith("web_")}

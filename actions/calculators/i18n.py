"""The language a calculation is written in, and the English texts of its working lines.

Calculators write their summaries, steps and caveats in Dutch, as templates passed to
:func:`tr`; the English text of every template is in ``texts_en/<module>.yml`` (keyed
by the Dutch template, the way gettext keys by msgid), so the Dutch stays readable in the
code next to the arithmetic it describes and the translations live in one place. The language
is a context variable set by :func:`speaking` around one ``compute`` call: calculators
need no language parameter threaded through every helper, and concurrent turns in
worker threads or tasks never see each other's language.

Values are formatted before they are put into a template (``uren(x)``, ``euro(x)``,
``datum(d)`` in :mod:`actions.calculators.tekst` follow the same language), so a
template only places them.
"""
from __future__ import annotations

import contextlib
import string
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from knowledge import yaml_io

__all__ = ["LANGUAGES", "current", "speaking", "tr", "placeholders", "catalogue", "in_language"]

LANGUAGES = ("nl", "en")
CATALOGUE_DIR = Path(__file__).with_name("texts_en")

_language: ContextVar[str] = ContextVar("calculation_language", default="nl")


def current() -> str:
    """The language of the calculation being computed ("nl" outside :func:`speaking`)."""
    return _language.get()


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Compute in ``language`` (anything but a known language falls back to Dutch)."""
    lang = language if language in LANGUAGES else "nl"
    token = _language.set(lang)
    try:
        yield lang
    finally:
        _language.reset(token)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    """Dutch template → English template, from every file in ``texts_en/``."""
    out: dict[str, str] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yml")):
        data = yaml_io.safe_load(path.read_text(encoding="utf-8")) or {}
        out.update({str(k): str(v) for k, v in data.items()})
    return out


def placeholders(template: str) -> set[str]:
    """The names of the ``{fields}`` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def tr(template: str, **values: Any) -> str:
    """``template`` (Dutch) in the current language, with ``values`` filled in.

    An English template that is missing falls back to the Dutch one rather than failing a
    calculation; tests/unit/test_calculator_texts.py keeps the catalogue complete.
    """
    text = template
    if _language.get() != "nl":
        text = catalogue().get(template, template)
    return text.format(**values) if values else text


def in_language(fields: Mapping[str, Any], key: str) -> Any:
    """``fields[key]`` (words from a parameter file) in the calculation's language: an English
    calculation takes ``<key>_en`` when the file gives it, else the Dutch."""
    if _language.get() == "en" and fields.get(f"{key}_en"):
        return fields[f"{key}_en"]
    return fields.get(key)

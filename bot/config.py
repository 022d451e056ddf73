"""Configuration: ``config.yml`` with environment overrides.

Looked up in this order: ``--config``, ``$REGELWIJS_CONFIG``, ``./config.yml``, the
repository's ``config.yml``. Relative paths in it are resolved against its folder so
that the assistant behaves the same whatever the working directory is.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge import yaml_io

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTACT = {"nl": "de afdeling P&O van je gemeente", "en": "the HR department (P&O) of your municipality"}


@dataclass
class Config:
    path: Path | None
    raw: dict[str, Any] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        env = "REGELWIJS_" + dotted.upper().replace(".", "__")
        if env in os.environ:
            return yaml_io.safe_load(os.environ[env])
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return default if node is None else node

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else REPO_ROOT

    def resolve(self, value: str | os.PathLike) -> Path:
        p = Path(os.path.expanduser(str(value)))
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def data_dir(self) -> Path:
        return self.resolve(self.get("data_dir", "var"))

    @property
    def default_gemeente(self) -> str:
        return str(self.get("default_gemeente", "Kerkrade"))

    @property
    def database_url(self) -> str:
        url = self.get("database_url")
        return url or f"sqlite:///{self.data_dir / 'regelwijs.db'}"

    def contact(self, gemeente: str | None, language: str | None = "nl") -> str:
        """Who to turn to in ``gemeente``, in ``language`` when the config has that text.

        A ``contacts`` value is one text or a mapping by language (``{nl: ..., en: ...}``);
        a language without a text of its own gets the Dutch one.
        """
        contacts = self.get("contacts", {}) or {}
        value = contacts.get(gemeente or "") if isinstance(contacts, dict) else None
        if isinstance(value, dict) or value is None:
            texts = value or {}
            value = (texts.get(language or "nl") or texts.get("nl")
                     or DEFAULT_CONTACT.get(language or "nl") or DEFAULT_CONTACT["nl"])
        return str(value)


def load_config(path: str | os.PathLike | None = None) -> Config:
    candidates = [path, os.environ.get("REGELWIJS_CONFIG"), Path.cwd() / "config.yml", REPO_ROOT / "config.yml"]
    for cand in candidates:
        if cand and Path(cand).is_file():
            p = Path(cand).resolve()
            return Config(p, yaml_io.safe_load(p.read_text(encoding="utf-8")) or {})
    return Config(None, {})

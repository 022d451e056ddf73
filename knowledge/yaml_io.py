"""YAML loading through libyaml when PyYAML has it.

Why: the domain, NLU data, parameters and manifests are read at every start; the
pure-Python loader spent ~0.8 s of the cold start on them, libyaml about a tenth.
Both loaders construct the same safe types (no Python objects).
"""
from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the C loader where available."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a *safe* loader class

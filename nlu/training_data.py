"""Read NLU training data written in Rasa 3.x YAML format.

Rasa itself cannot be installed on Python 3.11, but its file format is what the team (and
tooling such as editors and linters) knows, so we keep the format and parse it here.

Supported: ``version`` (ignored apart from a sanity check), ``nlu:`` items of kind
``intent`` (``examples`` as a ``|`` block of ``- text`` lines, or a list of strings or
``{text: ...}`` mappings), ``synonym``, ``lookup`` and ``regex`` (regexes are kept, unused by
our pipeline). Entity annotations in examples:

* ``[32 uur](hours)``                      -> value = the annotated text
* ``[kortdurend](soort_zorgverlof:kort)``  -> Rasa 1/2 short synonym syntax
* ``[kortdurend]{"entity": "soort_zorgverlof", "value": "kort"}`` (also ``role``/``group``)

An annotation with an explicit value different from its text also creates a synonym,
as Rasa's EntitySynonymMapper does.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from knowledge import yaml_io

log = logging.getLogger(__name__)

__all__ = ["Example", "TrainingData", "load_nlu", "parse_annotated", "data_hash"]

# Same shape as Rasa's ENTITY_REGEX: [text](entity[:value]) or [text]{json}.
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(?:\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)|\{(?P<json>[^}]+?)\})"
)


@dataclass
class Example:
    """One training utterance: plain text (annotations stripped), its intent, its entities."""

    text: str
    intent: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TrainingData:
    """Everything read from one or more NLU files."""

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # lower-cased variant -> canonical
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        """Sorted distinct intent names."""
        return sorted({e.intent for e in self.examples})

    def counts(self) -> dict[str, int]:
        """Number of examples per intent."""
        out: dict[str, int] = {}
        for e in self.examples:
            out[e.intent] = out.get(e.intent, 0) + 1
        return dict(sorted(out.items()))

    def merge(self, other: "TrainingData") -> None:
        """Add another file's data; lookups with the same name are concatenated (deduplicated)."""
        self.examples.extend(other.examples)
        self.synonyms.update(other.synonyms)
        for name, values in other.lookups.items():
            cur = self.lookups.setdefault(name, [])
            cur.extend(v for v in values if v not in cur)
        for name, values in other.regexes.items():
            self.regexes.setdefault(name, []).extend(values)


def parse_annotated(raw: str) -> tuple[str, list[dict[str, Any]]]:
    """Strip entity annotations from ``raw``; return plain text and entity dicts.

    Offsets refer to the plain text. Malformed JSON annotations are left as literal text
    (with a warning) rather than failing the whole file.
    """
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    pos = 0  # position in raw
    out_len = 0
    for m in _ANNOTATION.finditer(raw):
        before = raw[pos : m.start()]
        plain.append(before)
        out_len += len(before)
        text = m.group("text")
        ent: dict[str, Any] | None
        if m.group("json") is not None:
            ent = _json_annotation(m.group("json"))
            if ent is None:
                log.warning("invalid entity annotation %r kept as text", m.group(0))
                plain.append(m.group(0))
                out_len += len(m.group(0))
                pos = m.end()
                continue
        else:
            ent = {"entity": m.group("entity").strip()}
            if m.group("value"):
                ent["value"] = m.group("value").strip()
        ent.setdefault("value", text)
        entity = {"start": out_len, "end": out_len + len(text), "value": ent["value"], "entity": ent["entity"]}
        for extra in ("role", "group"):
            if extra in ent:
                entity[extra] = ent[extra]
        entities.append(entity)
        plain.append(text)
        out_len += len(text)
        pos = m.end()
    plain.append(raw[pos:])
    return "".join(plain), entities


def _json_annotation(body: str) -> dict[str, Any] | None:
    try:
        obj = json.loads("{" + body + "}")
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("entity"), str):
        return None
    return obj


def _example_lines(examples: Any, where: str) -> Iterable[str]:
    """Yield raw example strings from a Rasa ``examples`` value."""
    if isinstance(examples, str):
        for line in examples.splitlines():
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if not s.startswith("-"):
                log.warning("%s: example line without '- ' ignored: %r", where, s)
                continue
            s = s[1:].strip()
            if s:
                yield s
    elif isinstance(examples, list):
        for item in examples:
            if isinstance(item, dict):
                item = item.get("text")
            if isinstance(item, str) and item.strip():
                yield item.strip()
    elif examples is not None:
        log.warning("%s: unsupported examples value of type %s", where, type(examples).__name__)


def _load_one(path: Path) -> TrainingData:
    doc = yaml_io.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: top level must be a mapping")
    version = str(doc.get("version", ""))
    if version and not version.startswith("3"):
        log.warning("%s: version %s; only Rasa 3.x format is supported", path, version)
    td = TrainingData()
    for i, item in enumerate(doc.get("nlu") or []):
        if not isinstance(item, dict):
            log.warning("%s: nlu item %d is not a mapping, skipped", path, i)
            continue
        where = f"{path.name}#{i}"
        examples = item.get("examples")
        if "intent" in item:
            intent = str(item["intent"])
            for raw in _example_lines(examples, where):
                text, ents = parse_annotated(raw)
                td.examples.append(Example(text=text, intent=intent, entities=ents))
                for e in ents:
                    surface = text[e["start"] : e["end"]]
                    if str(e["value"]) != surface:
                        td.synonyms.setdefault(surface.lower(), str(e["value"]))
        elif "synonym" in item:
            canonical = str(item["synonym"])
            for raw in _example_lines(examples, where):
                td.synonyms[raw.lower()] = canonical
        elif "lookup" in item:
            td.lookups.setdefault(str(item["lookup"]), []).extend(_example_lines(examples, where))
        elif "regex" in item:
            td.regexes.setdefault(str(item["regex"]), []).extend(_example_lines(examples, where))
        else:
            log.warning("%s: unknown nlu item keys %s", where, sorted(item))
    return td


def load_nlu(paths: Iterable[Path | str]) -> TrainingData:
    """Load and merge one or more Rasa NLU YAML files (a directory means its *.yml files)."""
    merged = TrainingData()
    for path in _expand(paths):
        merged.merge(_load_one(path))
    log.debug("loaded %d examples, %d synonyms, %d lookups", len(merged.examples), len(merged.synonyms), len(merged.lookups))
    return merged


def _expand(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yml"), *p.glob("*.yaml")]))
        else:
            out.append(p)
    return out


def data_hash(paths: Iterable[Path | str]) -> str:
    """SHA-256 over the files' names and bytes, in order: the model is stale when this changes."""
    h = hashlib.sha256()
    for p in _expand(paths):
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()

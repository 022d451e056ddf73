"""From search hits to an answer: verbatim quotes, citations, warnings, or a referral.

The rule that matters most here: never quote something unrelated. When no hit is close
enough to the question, the answer says that the regelingen do not cover it and who can
help, instead of showing the "best" of a bad lot.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from knowledge import yaml_io
from knowledge.dates import format_date
from knowledge.index import Index
from knowledge.model import Chunk, DocumentInfo
from knowledge.search import Hit

NOTICES_FILE = Path(__file__).resolve().parent / "notices.yml"
Render = Callable[..., str]  # render(response_name, **params) -> text (from domain.yml)


@dataclass
class Thresholds:
    """When is a hit good enough to answer with? Calibrated on the eval sets (see README)."""

    min_dense: float = 0.865
    min_dense_with_bm25: float = 0.845
    min_bm25: float = 3.3
    top_k: int = 5


@dataclass
class Answer:
    question: str
    gemeente: str | None
    answered: bool
    text: str
    citations: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 0.0


def normalise_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def citation_label(chunk: Chunk, lines: str | None = None) -> str:
    """"Kerkrade — Personeelshandboek gemeente Kerkrade, Hoofdstuk 22 Beeldschermbril, regels 2652–2652".

    ``lines``: the line span as the user's language words it (``utter_citation_lines``).
    """
    parts = [f"{chunk.gemeente} — {chunk.title}"]
    if chunk.section_path:
        parts.append(", ".join(chunk.section_path))
    parts.append(lines or f"regels {chunk.line_start}–{chunk.line_end}")
    return ", ".join(parts)


def citation_dict(hit: Hit) -> dict:
    c = hit.chunk
    return {
        "doc": c.doc_id,
        "gemeente": c.gemeente,
        "title": c.title,
        "section": c.section,
        "line_start": c.line_start,
        "line_end": c.line_end,
        "quote": normalise_ws(c.text),
        "score": round(float(hit.score), 6),
    }


@dataclass
class Notice:
    doc: str
    kind: str
    date: dt.date
    line_start: int
    line_end: int
    section: str | None = None

    def applies(self, chunk: Chunk) -> bool:
        if chunk.doc_id != self.doc:
            return False
        return self.section is None or any(p.startswith(self.section) for p in chunk.section_path)


def load_notices(path: Path = NOTICES_FILE, docs: dict[str, DocumentInfo] | None = None) -> list[Notice]:
    data = yaml_io.safe_load(path.read_text(encoding="utf-8")) or {}
    notices = [Notice(**n) for n in data.get("notices", [])]
    # A regeling ingested or listed with a valid_to date gets the same warning.
    for doc_id, info in (docs or {}).items():
        if info.valid_to and not any(n.doc == doc_id and n.section is None for n in notices):
            notices.append(Notice(doc=doc_id, kind="expired", date=info.valid_to, line_start=1, line_end=1))
    return notices


def is_good_enough(hit: Hit, th: Thresholds) -> bool:
    """Dense similarity says "about this"; a strong BM25 match on rare words says it too."""
    return hit.dense >= th.min_dense or (hit.bm25 >= th.min_bm25 and hit.dense >= th.min_dense_with_bm25)


def warnings_for(hits: list[Hit], notices: list[Notice], docs: dict[str, DocumentInfo], today: dt.date,
                 render: Render, language: str = "nl") -> list[str]:
    out: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    for hit in hits:
        for n in notices:
            if (n.doc, n.section) in seen or not n.applies(hit.chunk):
                continue
            seen.add((n.doc, n.section))
            info = docs.get(n.doc)
            params = dict(
                title=info.title if info else n.doc,
                gemeente=info.gemeente if info else "",
                date=format_date(n.date, language),
                section=next((p for p in hit.chunk.section_path if n.section and p.startswith(n.section)), ""),
                lines=str(n.line_start) if n.line_start == n.line_end else f"{n.line_start}–{n.line_end}",
            )
            if n.kind == "expired":
                key = "utter_warning_expired" if n.date <= today else "utter_warning_expires"
            else:
                key = "utter_warning_entry_closed" if n.date <= today else "utter_warning_entry_closes"
            out.append(render(key, **params))
    return out


def compose(question: str, gemeente: str | None, hits: list[Hit], index: Index, notices: list[Notice],
            render: Render, today: dt.date, th: Thresholds, contact: str = "P&O", language: str = "nl") -> Answer:
    """Turn ranked hits into the user's answer (or an honest referral)."""
    good = [h for h in hits if is_good_enough(h, th)]
    best = hits[0] if hits else None
    confidence = round(max(0.0, min(1.0, (best.dense - 0.80) / 0.15)) if best else 0.0, 4)
    if not good:
        text = render("utter_no_answer", gemeente=gemeente or "", contact=contact)
        return Answer(question, gemeente, False, text, [], [], confidence)
    cites = [citation_dict(h) for h in hits[: th.top_k] if h in good or h is hits[0]]
    warnings = warnings_for(good[:1] + good[1:3], notices, index.docs, today, render, language)
    shown = good[:2] if len(good) > 1 and good[1].score > 0.85 * good[0].score else good[:1]
    blocks = [render("utter_answer_intro", gemeente=gemeente or good[0].chunk.gemeente)]
    for h in shown:
        lines = render("utter_citation_lines", line_start=h.chunk.line_start, line_end=h.chunk.line_end)
        blocks.append(render("utter_quote", quote=normalise_ws(h.chunk.text), citation=citation_label(h.chunk, lines)))
    text = "\n\n".join(warnings + blocks)
    return Answer(question, gemeente, True, text, cites, warnings, confidence)

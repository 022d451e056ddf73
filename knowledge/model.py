"""The data types that flow through the knowledge layer.

A corpus file is parsed into a tree of :class:`Section` objects whose line spans are
1-based and inclusive and refer to the byte-identical file in ``knowledge/corpus``:
every citation the assistant gives is derived from these spans, so they are the one
thing in this layer that must never be approximated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class DocumentInfo:
    """What the manifest (or ``regelwijs ingest``) says about one regeling."""

    doc_id: str
    file: str
    gemeente: str
    title: str
    kind: str  # "handboek" | "overheid.nl" | "pdf-text" | "plain"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass
class Section:
    """One node of a document tree.

    ``level`` is one of: ``document``, ``hoofdstuk`` (also "deel"/part), ``paragraaf``,
    ``artikel``, ``lid``, ``item`` (list item), ``table``, ``form``, ``text`` (a plain
    paragraph). ``heading`` is the node's own title as it reads in the text (e.g.
    "Hoofdstuk 22 Beeldschermbril", "Artikel 4:3 Vakantieverlof", "lid 2").
    ``line_start``/``line_end`` are 1-based, inclusive, and cover the node's heading
    and all its children.
    """

    level: str
    heading: str
    line_start: int
    line_end: int
    children: list["Section"] = field(default_factory=list)

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], "Section"]]:
        """Yield ``(heading_path, section)`` depth-first; the path excludes the document root."""
        here = path if self.level == "document" else path + (self.heading,)
        yield here, self
        for child in self.children:
            yield from child.walk(here)

    def find(self, heading_prefix: str) -> "Section | None":
        """First descendant (or self) whose heading starts with ``heading_prefix``."""
        for _, sec in self.walk():
            if sec.heading.startswith(heading_prefix):
                return sec
        return None


@dataclass
class Document:
    """A parsed regeling: its manifest info, its raw lines, and its section tree."""

    info: DocumentInfo
    lines: list[str]  # raw lines without newline; lines[0] is line 1
    root: Section
    content_hash: str = ""

    def text(self, line_start: int, line_end: int) -> str:
        """The raw text of a 1-based inclusive line span."""
        return "\n".join(self.lines[line_start - 1 : line_end])


@dataclass(frozen=True)
class Chunk:
    """A quotable piece of a document: a lid, a list with its lead sentence, a group of
    table rows, or a paragraph. ``text`` is the verbatim corpus text of its lines
    (whitespace normalised); ``section_path`` is the heading path used for the citation
    and prepended when embedding."""

    chunk_id: str  # f"{doc_id}:{line_start}-{line_end}"
    doc_id: str
    gemeente: str
    title: str
    section_path: tuple[str, ...]
    line_start: int
    line_end: int
    text: str

    @property
    def section(self) -> str:
        """Readable heading path, e.g. "Hoofdstuk 22 Beeldschermbril › De vergoedingsbedragen"."""
        return " › ".join(self.section_path)

    def embedding_text(self) -> str:
        """What the dense and sparse indexes see: heading path, then the text."""
        head = " › ".join(self.section_path)
        return f"{self.title} — {head}\n{self.text}" if head else f"{self.title}\n{self.text}"

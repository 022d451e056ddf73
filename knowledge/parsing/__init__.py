"""Parse a regeling's lines into a :class:`~knowledge.model.Section` tree.

One parser per source format (``DocumentInfo.kind``); anything unknown goes to the
generic parser, which must cope with arbitrary text. All parsers keep every section's
1-based line span in the stored corpus file, because citations are built from them.
"""
from __future__ import annotations

from knowledge.model import DocumentInfo, Section

from . import generic, handboek, overheid, pdftext

_PARSERS = {
    "handboek": handboek.parse,
    "overheid.nl": overheid.parse,
    "pdf-text": pdftext.parse,
    "plain": generic.parse,
}


def parse(info: DocumentInfo, lines: list[str]) -> Section:
    """The section tree of a document; unknown kinds are parsed as plain text."""
    return _PARSERS.get(info.kind, generic.parse)(info, lines)


_META_KEYS = sorted(
    overheid.SIMPLE_KEYS + overheid.BLOCK_KEYS + overheid.TABLE_KEYS + ("Geldend van",), key=len, reverse=True
)


def metadata(root: Section) -> dict[str, str]:
    """The publication data of a document as {key: value}, read from its ``metadata``
    sections, e.g. ``{"Datum uitwerkingtreding": "01-01-2020", "Geldend van": "01-01-2006
    t/m heden", …}``. Keys are those of the overheid.nl exports; other items are keyed by
    their full heading with an empty value."""
    out: dict[str, str] = {}
    for sec in root.children:
        if sec.level != "metadata":
            continue
        for item in sec.children:
            key = next((k for k in _META_KEYS if item.heading.startswith(k)), item.heading)
            out.setdefault(key, item.heading[len(key) :].strip())
    return out


__all__ = ["parse", "metadata"]

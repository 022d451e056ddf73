"""Generic parser (``kind: plain``) for any other regeling, e.g. one converted from
pdf/docx/html by :mod:`knowledge.convert`.

It knows the common Dutch structure words ("Hoofdstuk 2", "Deel II", "§ 3", "Paragraaf
3.1", "Artikel 4", "Artikel 4:3", "Bijlage 1"), markdown "#" headings, numbered
headings ("2.1 Doel") and short unnumbered headings that stand alone between blank
lines; numbered lines inside an article are its leden. A table of contents after an
"Inhoud(sopgave)" title is skipped. It must never fail: anything it does not recognise
is a paragraph, and every line keeps its number.
"""
from __future__ import annotations

import re

from knowledge.model import DocumentInfo, Section

from .common import (
    FUNCTION_WORDS,
    Heading,
    Unit,
    assemble,
    build_content,
    clean,
    is_blank,
    is_residue,
    join_page_breaks,
    line_units,
    match_item,
    starts_lower,
)

_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
_CHAPTER = re.compile(r"^(?:Hoofdstuk|HOOFDSTUK|Deel|DEEL|Titel|TITEL)\s+([0-9]+|[IVXLC]+)\b\.?\s*(.*)$")
_BIJLAGE = re.compile(r"^(?:Bijlage|BIJLAGE)\b\s*(.*)$")
_PARAGRAAF = re.compile(r"^(?:§|Paragraaf|PARAGRAAF|Afdeling)\s*(\d+(?:\.\d+)*)\.?\s*(.*)$")
_ARTIKEL = re.compile(r"^\s*(?:Artikel|ARTIKEL|artikel|Art\.)\s*(\d+[a-z]?(?:[:.\-]\d+[a-z]?)*)\.?\s*(.*)$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_TOC_TITLE = re.compile(r"^(Inhoud|INHOUD|Inhoudsopgave|INHOUDSOPGAVE)\s*:?\s*$")
_TOC_ENTRY = re.compile(r"(\.{2,}|\t|\s{2,}|\s)\s*\d{1,3}\s*$")


def parse(info: DocumentInfo, lines: list[str]) -> Section:
    toc = _toc(lines)
    headings: list[Heading] = []
    skip: set[int] = set(toc)
    in_artikel = False
    numbered_rank = 0  # rank of the deepest open numbered heading (0 = none)
    for i, raw in enumerate(lines, 1):
        if i in skip or is_blank(raw) or is_residue(raw) or "\t" in raw:
            continue
        s = clean(raw)
        h = _strong(raw, s)
        if h is not None:
            rank, level, head = h
            headings.append(Heading(i, i, rank, level, head))
            in_artikel = level == "artikel"
            numbered_rank = 0
            continue
        if in_artikel or not _single(lines, i):
            continue
        m = _NUMBERED.match(s)
        if m and _heading_like(s, 120) and not s[-1] == ".":
            depth = m.group(1).count(".") + 1
            numbered_rank = 3 + depth
            headings.append(Heading(i, i, numbered_rank, "paragraaf", s))
            continue
        if not match_item(raw) and _heading_like(s, 90) and _next_ok(lines, i):
            rank = numbered_rank + 1 if numbered_rank else 4
            headings.append(Heading(i, i, rank, "paragraaf", s.replace("**", "").strip()))
    taken = {h.start for h in headings}
    body = [i for i in range(1, len(lines) + 1) if i not in taken and i not in skip]
    units = join_page_breaks(line_units(lines, body), lines)

    def content(sec: Section, us: list[Unit]) -> list[Section]:
        return build_content(us, artikel=sec.level == "artikel")

    return assemble(lines, headings, units, content, title=info.title)


def _strong(raw: str, s: str) -> tuple[int, str, str] | None:
    """(rank, level, heading) for explicit structure words and markdown headings."""
    if len(s) > 160:
        return None
    m = _MARKDOWN.match(s)
    if m:  # "## Artikel 3 …": the markdown level decides the rank, the words the level
        rank, text = len(m.group(1)) - 1, m.group(2)
        level = "artikel" if _ARTIKEL.match(text) else "hoofdstuk" if rank == 0 else "paragraaf"
        return rank, level, text
    short = len(s.split()) <= 15 and (s[-1] not in ".,;:" or len(s.split()) <= 2)
    if not short:
        return None
    if _CHAPTER.match(s):
        return 0, "hoofdstuk", s.rstrip(".")
    if _BIJLAGE.match(s) and (len(s.split()) > 1 or s.strip() == "Bijlage"):
        return 0, "hoofdstuk", s
    if _PARAGRAAF.match(s):
        return 1, "paragraaf", s
    m = _ARTIKEL.match(raw)
    if m:
        title = m.group(2).strip()
        return 2, "artikel", f"Artikel {m.group(1)}" + (f" {title}" if title else "")
    return None


def _toc(lines: list[str]) -> list[int]:
    """Line numbers of a table of contents: its title and the entries after it."""
    for i, raw in enumerate(lines[:400], 1):
        if _TOC_TITLE.match(raw.strip()):
            out = [i]
            for j in range(i + 1, len(lines) + 1):
                t = lines[j - 1]
                if is_blank(t):
                    continue
                if "\t" in t or _TOC_ENTRY.search(t.rstrip()) and len(t) < 150:
                    out.append(j)
                    continue
                break
            return out if len(out) > 2 else []
    return []


def _single(lines: list[str], i: int) -> bool:
    before = i == 1 or is_blank(lines[i - 2])
    after = i == len(lines) or is_blank(lines[i])
    return before and after


def _heading_like(s: str, max_len: int) -> bool:
    t = s.replace("**", "").strip()
    if not t or len(t) > max_len or len(t.split()) > 14 or t[-1] in ".,;:!" or t.startswith("("):
        return False
    if t.split()[-1].casefold() in FUNCTION_WORDS:
        return False
    first = t.lstrip("\"“'")[:1]
    return first.isupper() or first.isdigit()


def _next_ok(lines: list[str], i: int) -> bool:
    """There is text after the heading, and it does not continue a sentence."""
    for j in range(i, len(lines)):
        if not is_blank(lines[j]):
            return not starts_lower(clean(lines[j]))
    return False

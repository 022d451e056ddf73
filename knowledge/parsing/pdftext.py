"""Parser for text extracted from a PDF (``kind: pdf-text``): Kaag en Braassem.

Every visual PDF line is a corpus line, mostly followed by a blank line, so a blank
line does not end a paragraph (corpus notes, others §1.1). Paragraphs are rebuilt
instead: a line continues the paragraph unless the previous line ended a sentence and
was visibly shorter than the text width, or the line is a bullet, a numbered item or a
heading. Residue (URL dumps of images and hyperlinks, "Pagina 11 van 26") is dropped and
ends a paragraph. Headings: "Hoofdstuk N …", "Speerpunt N …", "Bijlage N: …" (its title
may continue on the next line), "Tabel N. …", and short capitalised lines that stand
between two paragraphs. The first line of a PDF page starts with one space; that is a
hint, not a rule (mid-sentence page starts exist).
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
    ends_sentence,
    is_blank,
    is_residue,
    starts_lower,
)

_CHAPTER = re.compile(r"^Hoofdstuk\s+\d+\b")
_BIJLAGE = re.compile(r"^Bijlage\s+\d+\s*[:.]?\s*\S")
_SPEERPUNT = re.compile(r"^Speerpunt\s+\d+\s+[A-Z]")
#: Row labels of the flattened result tables, never headings.
_LABELS = ("Frequentie:", "Instrument:", "Resultaat", "Gewenste norm", "Huidige score")
_TABEL = re.compile(r"^Tabel\s+\d+\.?\s+\S")
_BULLET = re.compile(r"^(?:[•▪·]\s*|[-–]\s+)(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")

#: A line at least this long was wrapped by the layout: the sentence goes on.
WRAP_WIDTH = 70


def parse(info: DocumentInfo, lines: list[str]) -> Section:
    headings = _headings(lines)
    taken = set()
    for h in headings:
        taken.update(range(h.start, h.end + 1))
    units = _units(lines, taken)
    return assemble(lines, headings, units, lambda sec, us: build_content(us, artikel=False), title=info.title)


def _content_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines, 1) if not is_blank(line)]


def _headings(lines: list[str]) -> list[Heading]:
    nonblank = _content_lines(lines)
    out: list[Heading] = []
    weak: list[int] = []  # indexes into nonblank of weak candidates
    accepted: set[int] = set()
    chained: set[int] = set()
    for k, i in enumerate(nonblank):
        raw = lines[i - 1]
        s = clean(raw)
        if is_residue(raw):
            continue
        strong = None
        if _CHAPTER.match(s) and len(s) <= 80:
            strong = (0, "hoofdstuk")
        elif _BIJLAGE.match(s) and len(s) <= 100:
            strong = (0, "hoofdstuk")
        elif _SPEERPUNT.match(s) and len(s) <= 80:
            strong = (1, "paragraaf")
        elif _TABEL.match(s) and len(s) <= 80:
            strong = (2, "paragraaf")
        if strong:
            end, head = i, s
            if k + 1 < len(nonblank):  # "Bijlage 4: normgedrag ten aanzien" / "van de kernwaarden"
                j = nonblank[k + 1]
                t = clean(lines[j - 1])
                if starts_lower(t) and len(t) <= 40 and not ends_sentence(t):
                    end, head = j, f"{s} {t}"
            out.append(Heading(i, end, strong[0], strong[1], head))
            continue
        if _weak(lines, nonblank, k, s, out, accepted, chained):
            weak.append(k)
            accepted.add(i)
    # three or more candidates in a row (only blank lines between) are a list or a
    # table, except those that stand on their own (a sentence or page break before them)
    runs: list[list[int]] = []
    for k in weak:
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    taken = {h.start for h in out} | {h.end for h in out}
    for run in runs:
        for k in run:
            i = nonblank[k]
            if len(run) >= 3 and i in chained:
                continue
            if i not in taken:
                out.append(Heading(i, i, 2, "paragraaf", clean(lines[i - 1])))
    out.sort(key=lambda h: h.start)
    return out


def _weak(
    lines: list[str], nonblank: list[int], k: int, s: str, found: list[Heading], accepted: set[int], chained: set[int]
) -> bool:
    """A short capitalised line between two paragraphs: "Omschrijving", "Bedrijfsarts",
    "Waarom een strategisch HRM-beleid?".

    The line before it must end a sentence, be a heading, or be separated from it by a
    page break (the line starts a PDF page, or residue or a large blank gap lies
    between); the line after it must not continue in lower case. Table rows (cells
    separated by double spaces) and the row labels of the result tables never count.
    """
    raw = lines[nonblank[k] - 1]
    if not (3 <= len(s) <= 80) or len(s.split()) > 12 or "  " in raw.strip() or s.startswith(_LABELS):
        return False
    if not s[0].isupper() or s[-1] in ".,;:&-–/(" or _BULLET.match(s) or _NUMBERED.match(s):
        return False
    if s.split()[-1].casefold() in FUNCTION_WORDS:
        return False
    nxt = _neighbour(lines, nonblank, k, +1)
    if nxt is None or starts_lower(nxt):
        return False
    if k == 0:
        return True
    before = nonblank[k - 1]
    page_break = (
        raw.startswith(" ") and not raw.startswith("  ")
        or is_residue(lines[before - 1])
        or nonblank[k] - before > 10  # a lost image / graphic
        or any(lines[j - 1] and not lines[j - 1].strip() for j in range(before + 1, nonblank[k]))  # a spacer
    )
    if page_break or found and found[-1].end == before:
        return True
    prev = _neighbour(lines, nonblank, k, -1)
    if prev is not None and ends_sentence(prev) and not prev.endswith(":"):
        return True
    if before in accepted:
        chained.add(nonblank[k])  # right under another short heading: kept unless in a run
        return True
    return False


def _neighbour(lines: list[str], nonblank: list[int], k: int, step: int) -> str | None:
    """The previous/next non-residue content line (None at the document's edge)."""
    j = k + step
    while 0 <= j < len(nonblank):
        raw = lines[nonblank[j] - 1]
        if not is_residue(raw):
            return clean(raw)
        j += step
    return None


def _units(lines: list[str], taken: set[int]) -> list[Unit]:
    """Rebuild paragraphs and list items from the wrapped lines."""
    units: list[Unit] = []
    cur: Unit | None = None
    prev_line = ""
    for i, raw in enumerate(lines, 1):
        if is_blank(raw):
            continue
        s = clean(raw)
        if i in taken or is_residue(raw):
            if is_residue(raw) and i not in taken:
                units.append(Unit("residue", i, i, s))
            cur, prev_line = None, ""
            continue
        m_bullet = _BULLET.match(s)
        m_num = _NUMBERED.match(s)
        if m_bullet or m_num:
            text = m_bullet.group(1) if m_bullet else m_num.group(2)
            marker = "-" if m_bullet else m_num.group(1)
            cur = Unit("item", i, i, text, marker, 0)
            units.append(cur)
        elif cur is not None and _continues(cur, prev_line, raw, s):
            cur.end = i
            cur.text += " " + s
        else:
            cur = Unit("para", i, i, s)
            units.append(cur)
        prev_line = s
    return units


def _continues(cur: Unit, prev: str, raw: str, s: str) -> bool:
    """Does this line go on with the current paragraph / item?"""
    if starts_lower(s):
        return True
    if cur.kind == "item":
        return not ends_sentence(prev) and len(prev) >= WRAP_WIDTH
    if ends_sentence(prev) and (len(prev) < WRAP_WIDTH or raw.startswith(" ")):
        return False
    return True

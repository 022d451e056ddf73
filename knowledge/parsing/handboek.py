"""Parser for the Kerkrade Personeelshandboek (``kind: handboek``).

A flattened Word/PDF export: one paragraph per line, blank lines between paragraphs,
list items on consecutive lines, TAB tables, no markdown headings. The traps this
parser exists for (see the corpus notes, §1):

* the table of contents ("Hoofdstuk 3<TAB>… <TAB>21") is not a section;
* chapters are ``Hoofdstuk N Titel`` and are only accepted in sequence: Hoofdstuk 9 and
  37 contain their own "Hoofdstuk 1 …" / "HOOFDSTUK 1 …", which become sub-sections;
* Hoofdstuk 29 has no heading in the body: a synthetic chapter (title from the table of
  contents) starts at the first "1. …" heading after Hoofdstuk 28's last article;
* the rouwprotocol has local "Bijlage N, blad M" sheets (titles sometimes on the next
  line, once in reverse order) that must not start the global bijlagen;
* bijlagen that are forms become ``form`` sections with one child per field;
* unnumbered sub-headings are recognised by shape (short single-line block, no final
  punctuation); inside an article they are never headings ("Leden DT: 2 stemmen").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import DocumentInfo, Section

from .common import (
    FUNCTION_WORDS,
    Heading,
    Unit,
    assemble,
    build_content,
    clean,
    form_fields,
    is_blank,
    is_residue,
    is_row,
    join_page_breaks,
    line_units,
    match_item,
    starts_lower,
)

_CHAPTER = re.compile(r"^Hoofdstuk (\d+) (\S.*)$")
_CHAPTER_CAPS = re.compile(r"^HOOFDSTUK (\d+) (\S.*)$")
_BIJLAGE = re.compile(r"^Bijlage (\d+)([A-Z]?) (\S.*)$")
_BLAD = re.compile(r"^Bijlage (\d+), blad (\d+)\s*(.*)$")
_BIJLAGE_OTHER = re.compile(r"^Bijlage\b")
_PARAGRAAF = re.compile(r"^Paragraaf (\d+)\s+\S")
_ARTIKEL = re.compile(r"^Artikel (\d+[a-z]?)\b\s*(.*)$")
_REGELING = re.compile(r"^Regeling [a-z]")
_FASE = re.compile(r"^Fase \d+\b")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_TOC_TITLE = re.compile(r"^(Inhoudsopgave|Inhoud|INHOUD)\s*$")
_TOC_ENTRY = re.compile(r"^(Hoofdstuk|Bijlage) (\d+)[A-Z]?\t([^\t]*?)\.*\t")
_FILL = re.compile(r"^\.{4,}\s*$|_{3,}")
_ABBREV_END = re.compile(r"\b(e\.d|enz|etc|e\.a|o\.a|e\.v)\.$")
_STOP = {"of", "en", "ja", "nee"}
#: Weak headings with these titles close the numbered sections before them.
_CLOSING = {"slotbepaling", "slotbepalingen", "conclusie", "slotopmerking", "tot slot", "afsluiting"}

# ranks: chapter / global bijlage 0; sub-bijlage, pseudo-chapter, "Regeling …" 1;
# Paragraaf, rouw-blad 2; Artikel 3; numbered depth d → 3 + d (+1 when restarted);
# unnumbered sub-headings 4, or one below the numbered section they sit in.


def parse(info: DocumentInfo, lines: list[str]) -> Section:
    n = len(lines)
    skip: set[int] = set()  # lines handled outside the unit stream
    headings: list[Heading] = []

    meta_end = _front_metadata(info, lines)
    if meta_end:
        first = next(i for i in range(1, meta_end + 1) if not is_blank(lines[i - 1]))
        headings.append(Heading(first, meta_end, 0, "metadata", clean(lines[first - 1]), opaque=True))
        skip.update(range(1, meta_end + 1))

    toc_start, toc_end, toc = _toc(lines)
    if toc_start:
        skip.update(range(toc_start, toc_end + 1))
        first_chapter = next(
            (i for i in range(toc_end + 1, n + 1) if _CHAPTER.match(lines[i - 1])), n + 1
        )
        between = [i for i in range(toc_end + 1, first_chapter) if not is_blank(lines[i - 1])]
        if between and len(between) <= 3:  # "Versie 2.0": document data, not content
            headings.append(Heading(between[0], between[-1], 0, "metadata", clean(lines[between[0] - 1]), opaque=True))
            skip.update(between)

    synthetic = _missing_chapters(lines, toc, skip)
    forms = _form_ranges(lines, skip)
    in_form = set()
    for a, b in forms.values():
        in_form.update(range(a, b + 1))

    cands = _candidates(lines, skip, synthetic, forms, in_form)
    headings.extend(_rank(cands, lines))
    for h in headings:
        if h.level != "metadata":
            skip.update(range(h.start, h.end + 1))

    body = [i for i in range(1, n + 1) if i not in skip]
    units = join_page_breaks(line_units(lines, body, merge=lambda no: no not in in_form), lines)

    def content(sec: Section, us: list[Unit]) -> list[Section]:
        if sec.level == "form":
            return form_fields(us)
        return build_content(us, artikel=sec.level == "artikel")

    return assemble(lines, headings, units, content, title=info.title)


# --------------------------------------------------------------------------- front matter


def _front_metadata(info: DocumentInfo, lines: list[str]) -> int:
    """Last line of the title block at the top (the title, repeated), or 0."""
    title = info.title.casefold()
    end = 0
    for i, line in enumerate(lines, 1):
        if is_blank(line):
            continue
        if clean(line).casefold() == title or end == 0 and i <= 3:
            end = i
            continue
        break
    return end


def _toc(lines: list[str]) -> tuple[int, int, dict[int, str]]:
    """The table of contents: (first line, last line, {chapter number: title})."""
    for i, line in enumerate(lines, 1):
        if _TOC_TITLE.match(line.strip()):
            start, end, titles = i, i, {}
            for j in range(i + 1, len(lines) + 1):
                s = lines[j - 1]
                if is_blank(s):
                    continue
                if "\t" not in s:
                    break
                end = j
                m = _TOC_ENTRY.match(s)
                if m and m.group(1) == "Hoofdstuk":
                    titles[int(m.group(2))] = clean(m.group(3))
            return start, end, titles
    return 0, 0, {}


def _single(lines: list[str], i: int) -> bool:
    """Line i is a block of its own: blank (or nothing) before and after it."""
    before = i == 1 or not lines[i - 2].strip()
    after = i == len(lines) or not lines[i].strip()
    return before and after and bool(lines[i - 1].strip())


def _missing_chapters(lines: list[str], toc: dict[int, str], skip: set[int]) -> dict[int, tuple[int, str]]:
    """{line: (chapter number, heading)} for chapters that the table of contents lists
    but the body lacks (Hoofdstuk 29): they start at the first "1. …" heading after the
    previous chapter's last article."""
    found: list[tuple[int, int]] = []
    expect = 1
    for i, line in enumerate(lines, 1):
        m = _CHAPTER.match(line)
        if m and i not in skip and int(m.group(1)) >= expect:
            found.append((i, int(m.group(1))))
            expect = int(m.group(1)) + 1
    out: dict[int, tuple[int, str]] = {}
    for (a, na), (b, nb) in zip(found, found[1:]):
        if nb == na + 2 and (na + 1) in toc:
            last_art = max((i for i in range(a, b) if _ARTIKEL.match(lines[i - 1])), default=a)
            for i in range(last_art + 1, b):
                s = lines[i - 1].strip()
                if s.startswith("1. ") and _single(lines, i) and _heading_like(s):
                    out[i] = (na + 1, f"Hoofdstuk {na + 1} {toc[na + 1]}")
                    break
    return out


def _form_ranges(lines: list[str], skip: set[int]) -> dict[int, tuple[int, int]]:
    """{heading line: (first, last line)} of the global bijlagen that are forms: the
    title says "formulier", or the body has at least three blanks to fill in."""
    starts = [
        i
        for i, s in enumerate(lines, 1)
        if s.startswith(("Bijlage", "Hoofdstuk")) and i not in skip and (_BIJLAGE.match(s) or _CHAPTER.match(s))
    ]
    out = {}
    for k, i in enumerate(starts):
        m = _BIJLAGE.match(lines[i - 1])
        if not m:
            continue
        end = (starts[k + 1] - 1) if k + 1 < len(starts) else len(lines)
        fills = sum(1 for j in range(i + 1, end + 1) if _FILL.search(lines[j - 1]))
        if "formulier" in m.group(3).lower() or fills >= 3:
            out[i] = (i, end)
    return out


# --------------------------------------------------------------------------- candidates


def _heading_like(s: str, max_len: int = 140) -> bool:
    t = s.replace("**", "").strip()
    if not t or len(t) > max_len or len(t.split()) > 22:
        return False
    if t[-1] in ".,;:" and not _ABBREV_END.search(t) or t.casefold() in _STOP or t.startswith("("):
        return False
    first = t.lstrip("\"“'")[:1]
    return first.isupper() or first.isdigit()


@dataclass(slots=True)
class _Cand:
    """A heading candidate; its rank is decided afterwards, with look-ahead."""

    start: int
    end: int
    kind: str  # chapter, pseudo, bijlage, subbijlage, blad, paragraaf, artikel, regeling, fase, numbered, weak
    heading: str
    depth: int = 0  # numbered headings: 1 for "3.", 2 for "3.1." …
    form: bool = False


def _candidates(
    lines: list[str],
    skip: set[int],
    synthetic: dict[int, tuple[int, str]],
    forms: dict[int, tuple[int, int]],
    in_form: set[int],
) -> list[_Cand]:
    """All heading candidates, in order. Inside an article only structural headings
    count (its numbered lines are leden, and "Leden DT: 2 stemmen" is text)."""
    out: list[_Cand] = []
    chapter = 0
    in_artikel = False
    consumed: set[int] = set()
    for i, raw in enumerate(lines, 1):
        if i in skip or i in consumed or not raw.strip():
            continue
        if len(raw) > 200 and i not in synthetic:  # a paragraph: headings are short
            continue
        s = clean(raw)
        if i in synthetic:
            num, head = synthetic[i]
            out.append(_Cand(i, i, "chapter", head))
            chapter, in_artikel = num, False
        if "\t" in raw or is_residue(raw):
            continue
        m = _CHAPTER.match(s)
        if m and _single(lines, i) and _heading_like(s):
            num = int(m.group(1))
            if num > chapter:
                out.append(_Cand(i, i, "chapter", s))
                chapter, in_artikel = num, False
            else:
                out.append(_Cand(i, i, "pseudo", s))
                in_artikel = False
            continue
        if _CHAPTER_CAPS.match(s) and chapter and _single(lines, i):
            out.append(_Cand(i, i, "pseudo", s))
            in_artikel = False
            continue
        m = _BLAD.match(s)
        if m:
            end, head = _blad_heading(lines, i, s)
            consumed.update(range(i + 1, end + 1))
            out.append(_Cand(i, end, "blad", head))
            in_artikel = False
            continue
        m = _BIJLAGE.match(s)
        if m and _heading_like(s):
            kind = "subbijlage" if m.group(2) and out and any(c.kind == "bijlage" for c in out) else "bijlage"
            out.append(_Cand(i, i, kind, s, form=i in forms))
            in_artikel = False
            continue
        if _BIJLAGE_OTHER.match(s) and _single(lines, i):
            out.append(_Cand(i, i, "pseudo", s.replace("*", "")))
            in_artikel = False
            continue
        if i in in_form:
            continue
        if _PARAGRAAF.match(s) and _single(lines, i):
            out.append(_Cand(i, i, "paragraaf", s))
            in_artikel = False
            continue
        m = _ARTIKEL.match(s)
        if m and _single(lines, i):
            out.append(_Cand(i, i, "artikel", s))
            in_artikel = True
            continue
        if _REGELING.match(s) and _single(lines, i) and _heading_like(s, 80):
            out.append(_Cand(i, i, "regeling", s))
            in_artikel = False
            continue
        if in_artikel or not _single(lines, i):
            continue
        if _FASE.match(s) and len(s) <= 140:
            out.append(_Cand(i, i, "fase", s))
            continue
        m = _NUMBERED.match(s)
        if m and _heading_like(s):
            out.append(_Cand(i, i, "numbered", s, depth=m.group(1).count(".") + 1))
            continue
        head = _weak_heading(raw, s, _next_line(lines, i))
        if head:
            out.append(_Cand(i, i, "weak", head))
    return out


def _next_line(lines: list[str], i: int) -> str:
    for j in range(i, len(lines)):
        if not is_blank(lines[j]):
            return lines[j]
    return ""


def _weak_heading(raw: str, s: str, following: str) -> str | None:
    """The heading text if this single-line block reads as an unnumbered heading.

    Not when it ends in a function word or the next line continues in lower case (a
    sentence cut by a page break: "Het gaat bij de uitdrukkingsvaardigheid om"); a short
    label ending in ":" only when ordinary paragraphs follow ("Begrippen:"), not a list.
    """
    t = s
    item = match_item(raw)
    if t.startswith(("- **", "• ")) or item and item[0] == "-" and len(t.split()) <= 6:
        t = t[2:].strip()  # "- **Seksuele intimidatie**", "- Pesten", "• Taken vertrouwenspersoon …"
    elif item:
        return None
    t = t.replace("**", "").strip()
    if t.endswith(":") and len(t.split()) <= 2 and not item:
        if match_item(following) or is_row(following):
            return None
        t = t[:-1]
    if not _heading_like(t, 100) or len(t.split()) > 16:
        return None
    if t.split()[-1].casefold() in FUNCTION_WORDS or starts_lower(following) and not match_item(following):
        return None
    return t


def _blad_heading(lines: list[str], i: int, s: str) -> tuple[int, str]:
    """A rouwprotocol sheet heading; its title may follow on the next lines, once in
    reverse order ("wethouder" / "Overlijden … of")."""
    m = _BLAD.match(s)
    if m.group(3):
        return i, s
    parts: list[tuple[int, str]] = []
    j = i + 1
    while j <= len(lines) and len(parts) < 3:
        t = lines[j - 1]
        if is_blank(t):
            j += 1
            continue
        if is_row(t) or len(t) > 120:
            break
        parts.append((j, clean(t)))
        j += 1
    if not parts:
        return i, s
    texts = [p for _, p in parts]
    if texts[0][:1].islower():
        texts = texts[1:] + texts[:1]
    return parts[-1][0], f"{s} {' '.join(texts)}"


# --------------------------------------------------------------------------- ranks


def _rank(cands: list[_Cand], lines: list[str]) -> list[Heading]:
    """Give every candidate its rank; decide how unnumbered headings nest."""
    cands = _drop_weak_runs(cands)
    out: list[Heading] = []
    numbered_open: list[tuple[int, int]] = []  # (depth, rank) of open numbered headings
    offset = 0
    series_has_weak = False
    prev: _Cand | None = None
    for k, c in enumerate(cands):
        if c.kind in ("chapter", "bijlage"):
            rank, level = 0, "form" if c.form else "hoofdstuk"
        elif c.kind in ("pseudo", "regeling", "subbijlage"):
            rank, level = 1, "form" if c.form else "paragraaf"
        elif c.kind in ("paragraaf", "blad"):
            rank, level = 2, "paragraaf"
        elif c.kind == "artikel":
            rank, level = 3, "artikel"
        elif c.kind in ("numbered", "fase"):
            depth = c.depth
            first = c.heading.split(".")[0].split()[0]
            if (
                c.kind == "numbered"
                and first == "1"
                and prev is not None
                and prev.kind == "numbered"
                and prev.depth == depth
                and not prev.heading.startswith("1")
                and _only_blank(lines, prev.end + 1, c.start - 1)
            ):
                offset += 1  # "4. Gedragsafspraken" directly followed by "1. Eed of belofte"
            rank, level = 3 + depth + offset, "paragraaf"
            while numbered_open and numbered_open[-1][1] >= rank:
                numbered_open.pop()
            if depth == 1 and first == "1" and not numbered_open:
                series_has_weak = False
            numbered_open.append((depth, rank))
        else:  # weak
            level = "paragraaf"
            if prev is not None and prev.kind in ("chapter", "bijlage") and prev.heading.endswith(c.heading):
                if _only_blank(lines, prev.end + 1, c.start - 1):  # title repeated under the heading
                    out[-1].end = c.end
                    prev = c
                    continue
            if c.heading.casefold() in _CLOSING or not numbered_open:
                rank = 4
                numbered_open, offset = [], 0
            elif series_has_weak or _later_numbered(cands, k):
                rank = numbered_open[-1][1] + 1
                series_has_weak = True
            else:
                rank = 4
                numbered_open, offset = [], 0
        if rank <= 3:
            numbered_open, offset, series_has_weak = [], 0, False
        out.append(Heading(c.start, c.end, rank, level, c.heading))
        prev = c
    return out


def _later_numbered(cands: list[_Cand], k: int) -> bool:
    """Is there another numbered heading before the next higher-level heading?"""
    for c in cands[k + 1 :]:
        if c.kind in ("numbered", "fase"):
            return True
        if c.kind != "weak":
            return False
    return False


def _drop_weak_runs(cands: list[_Cand]) -> list[_Cand]:
    """Three or more unnumbered "headings" in a row, with nothing between, are a list."""
    keep = [True] * len(cands)
    k = 0
    while k < len(cands):
        j = k
        while j + 1 < len(cands) and cands[j].kind == cands[j + 1].kind == "weak" and cands[j + 1].start - cands[j].end == 2:
            j += 1
        if j - k >= 2:
            for x in range(k, j + 1):
                keep[x] = False
        k = j + 1
    return [c for c, ok in zip(cands, keep) if ok]


def _only_blank(lines: list[str], a: int, b: int) -> bool:
    return all(is_blank(lines[i - 1]) for i in range(a, b + 1))

"""Parser for overheid.nl / CVDR text exports (``kind: overheid.nl``): Oldebroek,
Raalte, Heemstede.

One paragraph per line with a blank line between lines. What differs per file and is
handled here (corpus notes, others §1.3–1.5):

* a metadata block at the top ("Geldend van …", "Intitulé"; Heemstede: a full
  "Wetstechnische informatie" block with key and value glued together, and a change
  table whose values are glued into one line, "17-10-201301-10-201301-01-2020Nieuwe
  regeling"). It becomes a ``metadata`` section whose children are "key value" items,
  so "Datum uitwerkingtreding 01-01-2020" can be found;
* a table of contents ("INHOUD" + "1. Algemene bepalingen.", or roman "I Inleiding"),
  which is not a section;
* headings: "HOOFDSTUK N" / "Hoofdstuk N" / "Hoofstuk 1." (sic), roman parts glued to
  their title ("IInleiding"), "Paragraaf N.M", "Sub-paragraaf N.M.K", capitals section
  headings ("FUNCTIEWAARDERING", "1. VACATURE"), numbered and lettered headings;
* Oldebroek's article lines: "Artikel 4:3", "Artikel4:3", "artikel 4:11", "Artikel
  13-1", "Artikel 9:1*", indented or not, with a caption on the line before or after;
* list items written on two lines (a "• 1." marker line, then the indented text).
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

_CHAPTER = re.compile(r"^(?:HOOFDSTUK|Hoofdstuk|Hoofstuk)\s+(\d+)\.?\s+(\S.*)$")
_ROMAN = re.compile(r"^(X|IX|VI{0,3}|IV|I{1,3})\s?([A-Z][a-z].*)$")
_BIJLAGE = re.compile(r"^Bijlage\b")
_PARAGRAAF = re.compile(r"^Paragraaf\s+(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_SUBPARAGRAAF = re.compile(r"^Sub-?paragraaf\s+(\d+(?:\.\d+)*)\.?\s+(\S.*)$", re.I)
_ARTIKEL = re.compile(r"^\s*[Aa]rtikel\s?(\d+)\s*([:\-])\s*(\d+)(\*?)\s*(.*)$")
_ARTIKEL_PLAIN = re.compile(r"^\s*[Aa]rtikel\s(\d+[a-z]?)\b\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.:]\s*(\S.*)$")
_NUMBERED_BARE = re.compile(r"^(\d{1,2})\s+([A-Z][a-z].*)$")
_LETTERED = re.compile(r"^([A-H])\.\s+(\S.*)$")
_MARKER = re.compile(r"^(\s*)•\s*(\d{1,2}\.?|[a-zA-Z]\.?|[-·])\s*$")
_BULLET = re.compile(r"^(\s*)•\s+(\S.*)$")
_TOC_TITLE = re.compile(r"^(INHOUD|Inhoud|Inhoudsopgave)\s*$")
_TOC_ENTRY = re.compile(r"^(\d{1,2}\.\s+\S|(X|IX|VI{0,3}|IV|I{1,3})\s+\S)")
_DATES = re.compile(r"^(\d\d-\d\d-\d{4})(\d\d-\d\d-\d{4})?(\d\d-\d\d-\d{4})?(.*)$")

#: Key–value lines of the "Wetstechnische informatie" block (key glued to value).
SIMPLE_KEYS = (
    "Officiële naam regeling", "Organisatietype", "Organisatie", "Citeertitel",
    "Vastgesteld door", "Eigen onderwerp", "Onderwerp", "Externe bijlagen",
)
#: Keys whose value is on the next non-blank line.
BLOCK_KEYS = (
    "Opmerkingen met betrekking tot de regeling",
    "Wettelijke grondslag(en) of bevoegdheid waarop de regeling is gebaseerd",
    "Regelgeving die op deze regeling is gebaseerd (gedelegeerde regelgeving)",
)
#: Column headers of the (flattened) "Overzicht van in de tekst verwerkte wijzigingen".
TABLE_KEYS = (
    "Datum inwerkingtreding", "Terugwerkende kracht tot en met", "Datum uitwerkingtreding",
    "Betreft", "Datum ondertekening", "Bron bekendmaking", "Kenmerk voorstel",
)
_DATE_KEYS = TABLE_KEYS[:3]

# ranks: chapter / part / bijlage 0; capitals section, Paragraaf 1; Sub-paragraaf,
# Artikel 2; numbered 3 (+1 when the numbering restarts right under a numbered
# heading: the FAQ); lettered 4; unnumbered 5; questions 6.


def parse(info: DocumentInfo, lines: list[str]) -> Section:
    headings: list[Heading] = []
    meta = _metadata(info, lines)
    body_start = 1
    if meta:
        headings.append(meta)
        body_start = meta.end + 1
    toc_end = _toc_end(lines, body_start)
    units = _units(lines, toc_end + 1)
    headings += _headings(lines, units)
    return assemble(
        lines,
        headings,
        [u for u in units if u.kind != "heading"],
        lambda sec, us: build_content(us, artikel=sec.level == "artikel", paras_to_lid=True),
        title=info.title,
    )


# --------------------------------------------------------------------------- metadata


def _metadata(info: DocumentInfo, lines: list[str]) -> Heading | None:
    """The publication data at the top, up to "Intitulé" and the repeated title."""
    title = info.title.casefold()
    limit = min(len(lines), 120)
    intitule = next((i for i in range(1, limit + 1) if clean(lines[i - 1]) == "Intitulé"), 0)
    end = 0
    if intitule:
        end = intitule
        for i in range(intitule + 1, limit + 1):
            if is_blank(lines[i - 1]):
                continue
            if clean(lines[i - 1]).casefold() != title:
                break
            end = i
    else:
        for i in range(1, limit + 1):
            s = clean(lines[i - 1])
            if not s:
                continue
            if s.casefold() == title or s.startswith("Geldend van"):
                end = i
                continue
            break
    if not end:
        return None
    first = next(i for i in range(1, end + 1) if not is_blank(lines[i - 1]))
    children = _meta_fields(lines, first, end)
    head = "Wetstechnische informatie" if any(clean(l) == "Wetstechnische informatie" for l in lines[:end]) else clean(lines[first - 1])
    return Heading(first, end, 0, "metadata", head, opaque=True, children=children)


def _meta_fields(lines: list[str], a: int, b: int) -> list[Section]:
    out: list[Section] = []
    nonblank = [i for i in range(a, b + 1) if not is_blank(lines[i - 1])]
    k = 0
    while k < len(nonblank):
        i = nonblank[k]
        s = clean(lines[i - 1])
        if s.startswith("Geldend van"):
            out.append(Section("item", s, i, i))
        elif s in BLOCK_KEYS and k + 1 < len(nonblank):
            j = nonblank[k + 1]
            out.append(Section("item", f"{s} {clean(lines[j - 1])}", i, j))
            k += 1
        elif s in TABLE_KEYS:
            headers = []
            while k < len(nonblank) and clean(lines[nonblank[k] - 1]) in TABLE_KEYS:
                headers.append(clean(lines[nonblank[k] - 1]))
                k += 1
            k = _table_values(lines, nonblank, k, headers, out) - 1
        else:
            key = next((key for key in SIMPLE_KEYS if s.startswith(key)), None)
            if key:
                out.append(Section("item", f"{key} {s[len(key):].strip()}".strip(), i, i))
        k += 1
    return out


def _table_values(lines, nonblank, k, headers, out) -> int:
    """Values of the flattened change table: the date columns glued into one line."""
    pending = list(headers)
    if k < len(nonblank):
        i = nonblank[k]
        m = _DATES.match(clean(lines[i - 1]))
        if m:
            dates = [d for d in m.groups()[:3] if d]
            for key in [h for h in pending if h in _DATE_KEYS][: len(dates)]:
                out.append(Section("item", f"{key} {dates.pop(0)}", i, i))
                pending.remove(key)
            if m.group(4).strip() and "Betreft" in pending:
                out.append(Section("item", f"Betreft {m.group(4).strip()}", i, i))
                pending.remove("Betreft")
            k += 1
    while pending and k < len(nonblank):
        i = nonblank[k]
        out.append(Section("item", f"{pending.pop(0)} {clean(lines[i - 1])}", i, i))
        k += 1
    return k


def _toc_end(lines: list[str], start: int) -> int:
    """Last line of the table of contents right after the metadata (or start - 1)."""
    i = start
    while i <= len(lines) and is_blank(lines[i - 1]):
        i += 1
    if i > len(lines):
        return start - 1
    titled = bool(_TOC_TITLE.match(lines[i - 1].strip()))
    j = i + 1 if titled else i
    end, entries = (i if titled else start - 1), 0
    while j <= len(lines):
        s = lines[j - 1].strip()
        if not s:
            j += 1
            continue
        if not _TOC_ENTRY.match(s) or len(s) > 100:
            break
        end, entries = j, entries + 1
        j += 1
    return end if entries >= 2 else start - 1


# --------------------------------------------------------------------------- units


def _units(lines: list[str], start: int) -> list[Unit]:
    """Units of the body; two-line list items are joined to one unit. Lines that may be
    headings are kept as ``para`` units and re-classified by :func:`_headings`."""
    units: list[Unit] = []
    i = start
    n = len(lines)
    while i <= n:
        raw = lines[i - 1]
        if is_blank(raw):
            i += 1
            continue
        if is_residue(raw):
            units.append(Unit("residue", i, i, clean(raw)))
            i += 1
            continue
        m = _MARKER.match(raw)
        if m:
            marker = m.group(2).rstrip(".").replace("·", "-")
            j = i + 1
            while j <= n and is_blank(lines[j - 1]):
                j += 1
            if j <= n and lines[j - 1][:1].isspace() and not _MARKER.match(lines[j - 1]) and not _BULLET.match(lines[j - 1]):
                units.append(Unit("item", i, j, clean(lines[j - 1]), marker, len(m.group(1))))
                i = j + 1
            else:
                units.append(Unit("item", i, i, "", marker, len(m.group(1))))
                i += 1
            continue
        m = _BULLET.match(raw)
        if m:
            text = m.group(2)
            marker = text[0] if text[0] in "-·" else "-"
            units.append(Unit("item", i, i, clean(text), marker, len(m.group(1))))
            i += 1
            continue
        units.append(Unit("para", i, i, clean(raw)))
        i += 1
    indents = sorted({u.depth for u in units if u.kind == "item"})
    for u in units:
        if u.kind == "item":
            u.depth = indents.index(u.depth)
    return units


# --------------------------------------------------------------------------- headings


def _headings(lines: list[str], units: list[Unit]) -> list[Heading]:
    """Find the headings among the one-line paragraphs; mark them ``kind="heading"``."""
    out: list[Heading] = []
    in_artikel = False
    prev_numbered: tuple[int, int] | None = None  # (number, line) of the last numbered heading
    offset = 0
    paras = [k for k, u in enumerate(units) if u.kind == "para"]
    for k in paras:
        u = units[k]
        if u.kind != "para":  # consumed as a caption
            continue
        raw = lines[u.start - 1]
        s = u.text
        h = _structural(raw, s)
        if h is not None:
            rank, level, head = h
            if level == "artikel":
                head, start, end = _captions(units, k, head)
                out.append(Heading(start, end, rank, level, head))
                in_artikel = True
            else:
                out.append(Heading(u.start, u.end, rank, level, head))
                in_artikel = False
            u.kind = "heading"
            prev_numbered, offset = None, 0
            continue
        if in_artikel:
            continue
        nxt = _next_text(units, k)
        prev = units[k - 1] if k > 0 else None
        if prev is not None and prev.kind == "heading" and prev.text.endswith("?"):
            continue  # the answer under a question heading ("Uitsluitend verlofuren (A4).")
        m = _NUMBERED.match(s)
        bare = _NUMBERED_BARE.match(s)
        if bare and not m and (bare.group(1) == "1" or prev_numbered and prev_numbered[0] == int(bare.group(1)) - 1):
            m = bare  # "1 Preferente kandidaten", "2 Interne kandidaten" (not a stray "8 Spaarloon")
        if m and _numbered_like(s, m):
            num = int(m.group(1))
            if num == 1 and prev_numbered and prev_numbered[0] != 1 and _adjacent(units, prev_numbered[1], k):
                offset += 1  # "4. Veelgestelde vragen" directly followed by "1. …?"
            out.append(Heading(u.start, u.end, 3 + offset, "paragraaf", _glue_fix(s)))
            u.kind = "heading"
            prev_numbered = (num, k)
            continue
        if _LETTERED.match(s) and _heading_like(s, 90):
            out.append(Heading(u.start, u.end, 4 + offset, "paragraaf", s))
            u.kind = "heading"
            continue
        if _is_question(s):
            out.append(Heading(u.start, u.end, 6 + offset, "paragraaf", s))
            u.kind = "heading"
            continue
        if nxt is not None and _ARTIKEL.match(lines[nxt.start - 1]):
            continue  # a caption: taken with the article
        if _weak(s, nxt, prev) and (not _in_run(units, k) or nxt is not None and _is_question(nxt.text)):
            out.append(Heading(u.start, u.end, 5 + offset, "paragraaf", s.rstrip(".")))
            u.kind = "heading"
    for u in units:  # inline leden and items: "1. Het in artikel 7 bedoelde …"
        m = _INLINE_ITEM.match(u.text) if u.kind == "para" else None
        if m:
            u.kind, u.marker, u.depth = "item", m.group(1), 0
    return out


_INLINE_ITEM = re.compile(r"^(\d{1,2}|[a-z])[.)]\s+\S")


def _structural(raw: str, s: str) -> tuple[int, str, str] | None:
    """(rank, level, heading) for the unambiguous heading forms."""
    m = _CHAPTER.match(s)
    if m and len(s) <= 120:
        return 0, "hoofdstuk", f"Hoofdstuk {m.group(1)} {m.group(2).rstrip('.* ')}"
    m = _ARTIKEL.match(raw) or _ARTIKEL_PLAIN.match(raw)
    if m and (not m.groups()[-1].strip() or len(s) <= 100 and s[-1] not in ".,;:"):
        return 2, "artikel", s
    m = _ROMAN.match(s)
    if m and len(s) <= 80 and not s.endswith("."):
        return 0, "hoofdstuk", f"{m.group(1)} {m.group(2)}"
    if _BIJLAGE.match(s) and len(s) <= 100:
        return 0, "hoofdstuk", s
    m = _SUBPARAGRAAF.match(s)
    if m:
        return 2, "paragraaf", s
    if _PARAGRAAF.match(s):
        return 1, "paragraaf", s
    if _caps(s):
        return 1, "paragraaf", s
    return None


def _caps(s: str) -> bool:
    """A section heading in capitals: "FUNCTIEWAARDERING", "1. VACATURE", "2.
    VOORONDERZOEK (over het motief van vertrek)", "A. BRONNEN" (not "LET OP!")."""
    if len(s) > 90 or "!" in s:
        return False
    core = s.split("(")[0]
    return core.isupper() and sum(c.isalpha() for c in core) >= 4


def _captions(units: list[Unit], k: int, line: str) -> tuple[str, int, int]:
    """Normalise an article line and attach its caption (the short line before it, or
    else the short line right after it): "Artikel4:3" → "Artikel 4:3"."""
    u = units[k]
    m = _ARTIKEL.match(line)
    if m:
        head = f"Artikel {m.group(1)}{m.group(2)}{m.group(3)}"
        rest = m.group(5).strip()
    else:
        m = _ARTIKEL_PLAIN.match(line)
        head, rest = f"Artikel {m.group(1)}", m.group(2).strip()
    start, end, caption = u.start, u.end, ""
    before = units[k - 1] if k > 0 else None
    if before is not None and before.kind == "para" and _caption_like(before.text):
        caption, start = before.text, before.start
        before.kind = "heading"
    else:
        after = units[k + 1] if k + 1 < len(units) else None
        later = units[k + 2] if k + 2 < len(units) else None
        if (
            after is not None
            and after.kind == "para"
            and _caption_like(after.text)
            and later is not None
            and not _ARTIKEL.match(later.text)
        ):
            caption, end = after.text, after.end
            after.kind = "heading"
    parts = [head, caption, rest]
    return " ".join(p for p in parts if p), start, end


def _caption_like(s: str) -> bool:
    return (
        _heading_like(s, 60)
        and not _caps(s)
        and not _ARTIKEL.match(s)
        and not _CHAPTER.match(s)
        and len(s.split()) <= 6
    )


def _heading_like(s: str, max_len: int) -> bool:
    if not s or len(s) > max_len or s[-1] in ".,;:!" or s.startswith(("*", "(", "[", "Klik hier", "Zie ")):
        return False
    first = s.lstrip("\"“'")[:1]
    return first.isupper() or first.isdigit()


def _is_question(s: str) -> bool:
    """A question used as a heading ("Wie mogen meedoen?", "Hoe werkt het?"), not a
    rhetorical sentence ("Met plezier naar je werk, dat wil toch iedereen?")."""
    return s.endswith("?") and "," not in s and _heading_like(s[:-1] + "x", 100) and len(s.split()) <= 10


def _numbered_like(s: str, m: re.Match) -> bool:
    title = m.group(2)
    question = s.rstrip("”\"' ").endswith("?")
    if len(s) > 130 or len(title.split()) > (20 if question else 14) or s[-1] in ",;:":
        return False
    if s.endswith(".") and len(title.split()) > 8:
        return False
    return True


def _weak(s: str, nxt: Unit | None, prev: Unit | None) -> bool:
    """An unnumbered heading: short, starts with a capital letter, no closing
    punctuation, not a sentence fragment, not a cell of a flattened table (the line
    before it is a short unpunctuated line). "Eenmalige uitbetaling." counts when a
    question heading follows it."""
    if nxt is not None and _is_question(nxt.text) and len(s) <= 60 and len(s.split()) <= 5:
        t = s.rstrip(".")  # a topic followed by its questions: "Eenmalige uitbetaling.", "8 Spaarloon"
        return _heading_like(t, 60) and not t.endswith("?")
    if not _heading_like(s, 80) or len(s.split()) > 10 or not s[0].isupper() or s.endswith("?"):
        return False
    if prev is not None and prev.kind == "para" and len(prev.text) < 60 and not ends_sentence(prev.text):
        return False
    if s.split()[-1].casefold() in FUNCTION_WORDS:
        return False
    return nxt is not None and not starts_lower(nxt.text)


def _in_run(units: list[Unit], k: int) -> bool:
    """Part of three or more short capitalised lines in a row: a list, not headings
    ("Brutosalaris", "Eindejaarsuitkering", "Vakantie-uitkering", …)."""

    def short(u: Unit) -> bool:
        t = u.text.rstrip(".")
        return u.kind == "para" and _heading_like(t, 80) and not t.endswith("?") and len(t.split()) <= 10

    a = b = k
    while a > 0 and short(units[a - 1]):
        a -= 1
    while b + 1 < len(units) and short(units[b + 1]):
        b += 1
    return b - a + 1 >= 3


def _adjacent(units: list[Unit], k1: int, k2: int) -> bool:
    """No other unit between units k1 < k2."""
    return 0 <= k1 < k2 and k2 - k1 == 1


def _next_text(units: list[Unit], k: int) -> Unit | None:
    for u in units[k + 1 :]:
        if u.kind != "residue":
            return u
    return None


def _glue_fix(s: str) -> str:
    """"3.ontwikkelscan" → "3. ontwikkelscan" (heading strings only)."""
    return re.sub(r"^(\d+)\.(?=\S)", r"\1. ", s)

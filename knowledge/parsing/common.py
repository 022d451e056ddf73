"""Shared machinery of the format parsers.

Every format parser does the same three things: decide which lines are headings
(:class:`Heading`), cut the remaining lines into content units (:class:`Unit`: a
paragraph, a list item, a table row, or residue such as a page number), and hand both to
:func:`assemble`, which builds the :class:`~knowledge.model.Section` tree. Only the
first two steps differ per format; the tree building and the lid/list/table grouping
live here so that all formats produce the same shape of tree (and so the chunker can
rely on it).

Line numbers are 1-based everywhere, as in the corpus files and the citations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from knowledge.model import Section

#: Structural levels: they make up a chunk's heading path. Everything else is content.
STRUCTURAL = frozenset({"document", "metadata", "hoofdstuk", "paragraaf", "artikel", "form"})
CONTENT = frozenset({"lid", "item", "table", "text"})

def is_blank(line: str) -> bool:
    """Blank, whitespace-only or NBSP-only (Heemstede uses NBSP lines as spacers)."""
    return not line.strip()  # str.strip() also strips U+00A0


def clean(line: str) -> str:
    """A line as it should read in a heading: NBSP and runs of whitespace collapsed."""
    s = line.strip()
    if "  " in s or "\t" in s or "\xa0" in s:
        return " ".join(s.split())
    return s


def norm_ws(text: str) -> str:
    """Whitespace-normalised text: how chunk texts relate to the corpus lines."""
    return " ".join(text.split())


_RESIDUE = re.compile(
    r"^(?:"
    r"(?:https?://|mailto:|www\.)\S*"  # hyperlink/image dumps (pdf)
    r"|[Pp]agina \d+ van \d+"  # page footer
    r"|\d{1,3}"  # lone page number / stray digit
    r"|[?\-–•·*]"  # stray glyphs
    r"|[|\-–:\s]*-{2,}[|\-–:\s]*"  # markdown table separators
    r")$"
)


def is_residue(line: str) -> bool:
    """Lines that carry no content: page numbers, URL dumps, separators, stray glyphs."""
    return _RESIDUE.match(line.strip()) is not None and not is_blank(line)


_END_PUNCT = ".:;?!"

#: A "heading" ending in one of these is a sentence fragment cut off by a page break.
FUNCTION_WORDS = frozenset(
    "de het een van om en of in op te voor met aan die dat bij tot door naar als zowel is zijn "
    "wordt worden kan kunnen zal moet dan maar ook er hij zij we wij je u via over uit onder tussen "
    "per na zonder binnen".split()
)


def ends_sentence(text: str) -> bool:
    """Whether a (cleaned) text ends like a finished sentence or a list lead-in."""
    t = text.rstrip("*” \"')»")
    return bool(t) and t[-1] in _END_PUNCT


def starts_lower(text: str) -> bool:
    t = text.lstrip("*(\"'“ -")
    return bool(t) and t[0].islower()


_TAG = re.compile(r"<[^>]{1,80}>")


def snippet(text: str, n: int = 60) -> str:
    """A short label for a content node (not used in citation paths)."""
    t = clean(_TAG.sub("", text[: n * 3])).replace("**", "")
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- units


@dataclass
class Unit:
    """A piece of body text between headings.

    ``kind`` is ``para`` (a paragraph, possibly over several lines), ``item`` (a list
    item or lid; ``marker`` is "a", "1", "-" …, ``depth`` its nesting), ``row`` (a table
    row) or ``residue`` (never content). ``start``/``end`` are 1-based, inclusive.
    """

    kind: str
    start: int
    end: int
    text: str
    marker: str = ""
    depth: int = 0


_ITEM_MARKED = re.compile(r"^(\s*)[-•▪·]\s*(\d{1,2}|[a-zA-Z])[.)]\s+(\S.*)$")
_ITEM_NUM = re.compile(r"^(\s*)(\d{1,2})[.)]\s+(\S.*)$")
_ITEM_LETTER = re.compile(r"^(\s*)([a-z])[.)]\s+(\S.*)$")
_ITEM_BULLET = re.compile(r"^(\s*)[-•▪·–]\s+(\S.*)$")


_ITEM_FIRST = frozenset("-•▪·–0123456789abcdefghijklmnopqrstuvwxyz")


def match_item(line: str) -> tuple[str, int, str] | None:
    """``(marker, indent, text)`` when the line starts a list item / lid, else None."""
    t = line.lstrip()
    if not t or t[0] not in _ITEM_FIRST:
        return None
    for pat in (_ITEM_MARKED, _ITEM_NUM, _ITEM_LETTER):
        m = pat.match(line)
        if m:
            return m.group(2), len(m.group(1).expandtabs()), m.group(3)
    m = _ITEM_BULLET.match(line)
    if m:
        return "-", len(m.group(1).expandtabs()), m.group(2)
    return None


def is_row(line: str) -> bool:
    """TAB-separated table rows, and markdown pipe rows (Kerkrade Bijlage 9)."""
    return "\t" in line or line.count("|") >= 2


def line_units(
    lines: list[str], numbers: Iterable[int], merge: Callable[[int], bool] = lambda no: True
) -> list[Unit]:
    """Units for line-oriented text (one paragraph or list item per line, blank lines
    between paragraphs): Kerkrade and generic text.

    Consecutive non-item lines form one paragraph (wrapped text). A non-item line
    directly under a list item (no blank line between) is the item's own text: "-
    Beeldscherm" / "Naast de laptop kan …" (Kerkrade H13), "**Is er sprake van schade" /
    "aan persoonlijke eigendommen**" (a form).
    """
    units: list[Unit] = []
    prev_no = -10
    for no in numbers:
        raw = lines[no - 1]
        if is_blank(raw):
            continue
        adjacent = no == prev_no + 1
        prev_no = no
        text = clean(raw)
        last = units[-1] if units and adjacent and merge(no) else None
        if is_residue(raw):
            units.append(Unit("residue", no, no, text))
            continue
        if is_row(raw):
            units.append(Unit("row", no, no, text))
            continue
        item = match_item(raw)
        if item:
            marker, indent, body = item
            units.append(Unit("item", no, no, body, marker=marker, depth=indent))
            continue
        if last is not None and last.kind in ("para", "item"):
            last.end = no
            last.text += " " + text
            continue
        units.append(Unit("para", no, no, text))
    _relative_depths(units)
    return units


def _relative_depths(units: list[Unit]) -> None:
    """Indentation → nesting depth 0, 1, 2 … (formats indent by 1, 2 or 4 spaces)."""
    indents = sorted({u.depth for u in units if u.kind == "item"})
    rank = {ind: i for i, ind in enumerate(indents)}
    for u in units:
        if u.kind == "item":
            u.depth = rank[u.depth]


def join_page_breaks(units: list[Unit], lines: list[str]) -> list[Unit]:
    """Re-join paragraphs that a page break cut in two.

    The export leaves a blank line where the page ended, so a sentence continues as a
    new "paragraph" that starts in lower case ("… bij een andere organisatie indien" /
    "werkzaamheden met die organisatie …"). Join when the first part does not end a
    sentence and the second starts in lower case: a paragraph, or a bogus "- en …" bullet
    (Kerkrade l. 3012/3014). Only a single blank line may lie between the parts.
    """
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind in ("para", "item")
            and u.kind in ("para", "item")
            and u.start - prev.end == 2
            and is_blank(lines[prev.end])
            and starts_lower(u.text)
            and (
                not ends_sentence(prev.text) and (u.kind == "para" or u.marker == "-")
                # a definition term "b. *gericht:*" and its lower-case explanation
                or prev.kind == "item" and u.kind == "para" and prev.text.rstrip("*").endswith(":")
            )
        ):
            prev.end = u.end
            prev.text += " " + u.text
            continue
        out.append(u)
    return out


# --------------------------------------------------------------------------- headings


@dataclass
class Heading:
    """A heading found by a format parser.

    ``rank`` orders the hierarchy (lower = higher up; a heading closes every open section
    of equal or higher rank). ``end`` > ``start`` when the heading text spans several
    lines (a caption, a title split over two lines). An ``opaque`` heading (metadata)
    takes no body units: its lines are described by the prebuilt ``children``.
    """

    start: int
    end: int
    rank: int
    level: str
    heading: str
    opaque: bool = False
    children: list[Section] = field(default_factory=list)


ContentFn = Callable[[Section, list[Unit]], list[Section]]


def assemble(
    lines: list[str],
    headings: list[Heading],
    units: list[Unit],
    content: ContentFn,
    title: str = "",
) -> Section:
    """Build the section tree from headings and body units.

    Units are given to the innermost open section; a section's own content therefore
    always precedes its subsections (its introduction). Spans end at the last line of
    content or of the last child, never on trailing blank lines.
    """
    n = len(lines)
    root = Section("document", title, 1, max(n, 1))
    stack: list[tuple[int, Section, list[Unit]]] = [(-1, root, [])]

    def flush(entry: tuple[int, Section, list[Unit]]) -> None:
        _, sec, pending = entry
        if pending:
            sec.children.extend(content(sec, pending))
            pending.clear()

    def close(entry: tuple[int, Section, list[Unit]]) -> None:
        flush(entry)
        sec = entry[1]
        if sec.children:
            sec.line_end = max(sec.line_end, max(c.line_end for c in sec.children))

    ui = 0
    units = sorted(units, key=lambda u: u.start)
    for h in sorted(headings, key=lambda h: h.start):
        while ui < len(units) and units[ui].start < h.start:
            stack[-1][2].append(units[ui])
            ui += 1
        while len(stack) > 1 and stack[-1][0] >= h.rank:
            close(stack.pop())
        parent_entry = stack[-1]
        flush(parent_entry)
        level = h.level
        if parent_entry[1].level == "document" and level == "paragraaf":
            level = "hoofdstuk"  # a top-level division, whatever it looked like
        sec = Section(level, h.heading, h.start, h.end, list(h.children))
        parent_entry[1].children.append(sec)
        if h.opaque:
            while ui < len(units) and units[ui].start <= h.end:
                ui += 1
            continue
        stack.append((h.rank, sec, []))
    while ui < len(units):
        stack[-1][2].append(units[ui])
        ui += 1
    while len(stack) > 1:
        close(stack.pop())
    flush(stack[0])
    return root


# --------------------------------------------------------------------------- content


def _node(level: str, heading: str, u: Unit) -> Section:
    return Section(level, heading, u.start, u.end)


def _attach(chain: list[Section], node: Section) -> None:
    """Append ``node`` to the last section of ``chain`` and stretch every section of the
    chain (lid, item, sub-item …) so that its span covers the node."""
    chain[-1].children.append(node)
    for sec in chain:
        sec.line_end = max(sec.line_end, node.line_end)


def build_content(units: list[Unit], *, artikel: bool, paras_to_lid: bool = False) -> list[Section]:
    """Turn body units into content nodes: ``lid`` (numbered members of an artikel),
    ``item`` (list items, nested by depth), ``table`` (with its rows as ``item``
    children) and ``text`` (paragraphs). Residue is dropped.

    ``paras_to_lid``: paragraphs and tables after a lid belong to it, and to its last
    item when it has one (overheid.nl exports put a lid's table one cell per line after
    the lid or after its item "c. … in het volgende overzicht:"). Amendment notes
    ("*(Is gewijzigd per …)") stay outside.
    """
    out: list[Section] = []
    lid: Section | None = None
    items: list[tuple[int, Section]] = []  # (depth, item) of the list being built
    units = [u for u in units if u.kind != "residue"]

    def chain() -> list[Section]:
        return ([lid] if lid is not None else []) + [it for _, it in items]

    i = 0
    while i < len(units):
        u = units[i]
        if u.kind == "row" or (u.kind == "para" and _row_continuation(units, i)):
            j = i + 1
            while j < len(units) and units[j].start - units[j - 1].end <= 2 and (
                units[j].kind == "row" or (units[j].kind == "para" and _row_continuation(units, j))
            ):
                j += 1
            table = Section("table", "tabel: " + snippet(units[i].text, 40), units[i].start, units[j - 1].end)
            table.children = [_node("item", snippet(r.text, 40), r) for r in units[i:j]]
            if lid is not None and paras_to_lid:
                _attach(chain(), table)
            else:
                out.append(table)
                lid, items = None, []
            i = j
            continue
        if u.kind == "item":
            if artikel and u.marker.isdigit() and (u.depth == 0 or lid is None):
                lid = _node("lid", f"lid {u.marker}", u)
                out.append(lid)
                items = []
            else:
                node = _node("item", _item_heading(u), u)
                while items and items[-1][0] >= u.depth:
                    items.pop()
                if items or lid is not None and (u.depth > 0 or not u.marker.isdigit()):
                    _attach(chain(), node)  # a sub-item, or an item of the current lid
                else:
                    out.append(node)
                    lid = None
                items.append((u.depth, node))
        elif lid is not None and paras_to_lid and not u.text.startswith("*"):
            _attach(chain(), _node("text", snippet(u.text), u))
        else:
            out.append(_node("text", snippet(u.text), u))
            lid, items = None, []
        i += 1
    return out


def _row_continuation(units: list[Unit], i: int) -> bool:
    """A one-line paragraph between two table rows (a row cut by a page break)."""
    if i == 0 or i + 1 >= len(units):
        return False
    u, a, b = units[i], units[i - 1], units[i + 1]
    return a.kind == "row" and b.kind == "row" and u.start == u.end and u.start - a.end <= 2 and b.start - u.end <= 2


def _item_heading(u: Unit) -> str:
    marker = u.marker if u.marker != "-" else "•"
    if marker == "•":
        return snippet(u.text, 50)
    return f"{marker}. {snippet(u.text, 46)}"


def form_fields(units: list[Unit]) -> list[Section]:
    """The fields of a form: a label line with what belongs to it (options drawn as
    ``0``, dotted or underlined blanks, list items, lower-case continuation lines)."""
    fields: list[Section] = []
    for u in units:
        if u.kind == "residue":
            continue
        label = not (
            u.kind == "item"
            or _FILL.match(u.text)
            or _OPTION.match(u.text)
            or starts_lower(u.text)
        )
        if label or not fields:
            fields.append(Section("item", snippet(u.text.replace("**", "").rstrip(": "), 60), u.start, u.end))
        else:
            fields[-1].line_end = u.end
    return fields


_FILL = re.compile(r"^[._\s]{3,}$")
_OPTION = re.compile(r"^([-•]\s*)?(\w\s)?0(\s|$)")

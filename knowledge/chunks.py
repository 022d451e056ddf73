"""Cut a parsed document into quotable chunks.

A chunk is what retrieval returns and what the assistant quotes, so it must be small
enough to quote and must be exactly one contiguous line span of the corpus file:

* a lid (with its sub-items), a list together with its lead sentence ("… als volgt:"),
  a group of table rows (the first group with the header row), a form's fields, or a
  paragraph; short paragraphs in the same section are merged up to ``max_chars``;
* long lists, leden and tables are split into groups of whole items/rows; the lead
  sentence stays in the first group only, so every group remains contiguous;
* a line is never split (citations are by line), so a single line longer than
  ``max_chars`` is a chunk of its own;
* headings, the table of contents, metadata and residue (page numbers, URL dumps,
  separators) never start or end a chunk, and a chunk never spans residue;
* ``text`` is the verbatim text of the span with whitespace normalised, so a quote can
  always be checked against the file.
"""
from __future__ import annotations

from knowledge.model import Chunk, Document, Section
from knowledge.parsing.common import CONTENT, ends_sentence, norm_ws

#: A paragraph group shorter than this is still merged with the next paragraph.
MIN_CHARS = 350
#: A paragraph this short is merged with its neighbour even into a larger group.
TINY_CHARS = 120
#: A chunk shorter than this is merged with a neighbouring chunk of the same section.
TINY_GROUP = 60


class _Atom:
    """A piece that is never split further: a line range plus its normalised length."""

    __slots__ = ("start", "end", "size", "stop")

    def __init__(self, start: int, end: int, size: int, stop: bool):
        self.start, self.end, self.size, self.stop = start, end, size, stop


def chunk_document(doc: Document, max_chars: int = 1200) -> list[Chunk]:
    """All chunks of a document, in line order, never overlapping."""
    ctx = _Ctx(doc)
    chunks: list[Chunk] = []
    for path, sec in doc.root.walk():
        if sec.level in CONTENT or sec.level == "metadata":
            continue
        content = [c for c in sec.children if c.level in CONTENT]
        if not content:
            continue
        for start, end in _groups(ctx, sec, content, max_chars):
            text = norm_ws(doc.text(start, end))
            if not text:
                continue
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.info.doc_id}:{start}-{end}",
                    doc_id=doc.info.doc_id,
                    gemeente=doc.info.gemeente,
                    title=doc.info.title,
                    section_path=path,
                    line_start=start,
                    line_end=end,
                    text=text,
                )
            )
    chunks.sort(key=lambda c: c.line_start)
    return chunks


class _Ctx:
    """Per-document caches: normalised line lengths and non-blank line counts."""

    def __init__(self, doc: Document):
        self.lines = doc.lines
        self.size = [0] * (len(doc.lines) + 2)
        self.nonblank = [0] * (len(doc.lines) + 2)  # prefix counts, 1-based
        for i, line in enumerate(doc.lines, 1):
            size = len(" ".join(line.split())) if line else 0
            self.size[i] = size
            self.nonblank[i] = self.nonblank[i - 1] + (1 if size else 0)

    def span_size(self, a: int, b: int) -> int:
        sizes = [s for s in self.size[a : b + 1] if s]
        return sum(sizes) + max(len(sizes) - 1, 0)

    def atom(self, a: int, b: int) -> _Atom:
        a, b = self.trim(a, b)
        last = self.lines[b - 1] if b >= 1 else ""
        return _Atom(a, b, self.span_size(a, b), ends_sentence(last.rstrip()))

    def trim(self, a: int, b: int) -> tuple[int, int]:
        while a < b and not self.size[a]:
            a += 1
        while b > a and not self.size[b]:
            b -= 1
        return a, b

    def gap_clear(self, a: _Atom, b: _Atom) -> bool:
        """Only blank lines between two atoms (no residue, heading or other text)."""
        return self.nonblank[b.start - 1] - self.nonblank[a.end] == 0


# --------------------------------------------------------------------------- blocks


def _blocks(ctx: _Ctx, sec: Section, content: list[Section]) -> list[tuple[str, list[_Atom]]]:
    """Group content nodes into blocks: ("text" | "list" | "lid" | "table" | "form", atoms)."""
    if sec.level == "form":
        return [("form", [ctx.atom(f.line_start, f.line_end) for f in content])]
    out: list[tuple[str, list[_Atom]]] = []
    i = 0
    while i < len(content):
        node = content[i]
        nxt = content[i + 1] if i + 1 < len(content) else None
        if node.level == "text" and nxt is not None and _is_lead(ctx, node, nxt):
            atoms = [ctx.atom(node.line_start, node.line_end)]
            j = i + 1
            if nxt.level == "table":
                atoms += _table_atoms(ctx, nxt)
                j += 1
            else:
                while j < len(content) and content[j].level == "item":
                    atoms.append(ctx.atom(content[j].line_start, content[j].line_end))
                    j += 1
            out.append(("list", atoms))
            i = j
        elif node.level == "item":
            j = i
            atoms = []
            while j < len(content) and content[j].level == "item":
                atoms.append(ctx.atom(content[j].line_start, content[j].line_end))
                j += 1
            out.append(("list", atoms))
            i = j
        elif node.level == "lid":
            out.append(("lid", _lid_atoms(ctx, node)))
            i += 1
        elif node.level == "table":
            out.append(("table", _table_atoms(ctx, node)))
            i += 1
        else:
            out.append(("text", _text_atoms(ctx, node)))
            i += 1
    return out


def _is_lead(ctx: _Ctx, node: Section, nxt: Section) -> bool:
    """A paragraph that introduces the list or table after it."""
    last = " ".join(ctx.lines[node.line_end - 1].split())
    if nxt.level == "item":
        return last.endswith(":")
    if nxt.level == "table":
        return last.endswith(":") or ctx.span_size(node.line_start, node.line_end) < 150
    return False


def _lid_atoms(ctx: _Ctx, lid: Section) -> list[_Atom]:
    if not lid.children:
        return _text_atoms(ctx, lid)
    atoms = [ctx.atom(lid.line_start, lid.children[0].line_start - 1)]
    for child in lid.children:
        atoms += _table_atoms(ctx, child) if child.level == "table" else [ctx.atom(child.line_start, child.line_end)]
    return atoms


def _table_atoms(ctx: _Ctx, table: Section) -> list[_Atom]:
    if not table.children:
        return [ctx.atom(table.line_start, table.line_end)]
    return [ctx.atom(r.line_start, r.line_end) for r in table.children]


def _text_atoms(ctx: _Ctx, node: Section) -> list[_Atom]:
    """A paragraph is one atom; a multi-line paragraph that is too long for one chunk is
    split into its lines (pdf text: one visual line per corpus line)."""
    return [ctx.atom(node.line_start, node.line_end)]


# --------------------------------------------------------------------------- packing


def _groups(ctx: _Ctx, sec: Section, content: list[Section], max_chars: int) -> list[tuple[int, int]]:
    groups: list[list[_Atom]] = []
    prev_kind = ""
    for kind, atoms in _blocks(ctx, sec, content):
        atoms = _explode(ctx, atoms, max_chars)
        if kind == "text" and groups and prev_kind == "text" and len(atoms) == 1:
            cur = groups[-1]
            size = _size(cur) + 1
            if (size < MIN_CHARS or atoms[0].size < TINY_CHARS) and size + atoms[0].size <= max_chars and ctx.gap_clear(cur[-1], atoms[0]):
                cur.append(atoms[0])
                continue
        groups.extend(_pack(ctx, atoms, max_chars))
        prev_kind = kind if len(atoms) else prev_kind
    return [(g[0].start, g[-1].end) for g in _merge_tiny(ctx, [g for g in groups if g], max_chars)]


def _merge_tiny(ctx: _Ctx, groups: list[list[_Atom]], max_chars: int) -> list[list[_Atom]]:
    """A group too small to carry content on its own ("Daarvoor is nodig dat:", "b. De
    diepgang van het werk.", "Plaats: Datum:") joins the next group, or else the previous
    one, when only blank lines separate them and the result still fits."""
    out: list[list[_Atom]] = []
    k = 0
    while k < len(groups):
        g = groups[k]
        if _size(g) < TINY_GROUP:
            nxt = groups[k + 1] if k + 1 < len(groups) else None
            if nxt and ctx.gap_clear(g[-1], nxt[0]) and _size(g) + 1 + _size(nxt) <= max_chars:
                groups[k + 1] = g + nxt
                k += 1
                continue
            if out and ctx.gap_clear(out[-1][-1], g[0]) and _size(out[-1]) + 1 + _size(g) <= max_chars:
                out[-1] = out[-1] + g
                k += 1
                continue
        out.append(g)
        k += 1
    return out


def _explode(ctx: _Ctx, atoms: list[_Atom], max_chars: int) -> list[_Atom]:
    """Split atoms that are too long into their lines (never below one line)."""
    out: list[_Atom] = []
    for a in atoms:
        if a.size <= max_chars or a.start == a.end:
            out.append(a)
            continue
        for no in range(a.start, a.end + 1):
            if ctx.size[no]:
                out.append(ctx.atom(no, no))
    return out


def _pack(ctx: _Ctx, atoms: list[_Atom], max_chars: int) -> list[list[_Atom]]:
    """Greedy packing into groups of at most ``max_chars``; when a group must close,
    close it after the last atom that ends a sentence if that keeps it at least half
    full (so a wrapped paragraph is not cut mid-sentence)."""
    groups: list[list[_Atom]] = []
    cur: list[_Atom] = []
    for a in atoms:
        if cur and (_size(cur) + 1 + a.size > max_chars or not ctx.gap_clear(cur[-1], a)):
            cut = len(cur)
            if ctx.gap_clear(cur[-1], a):
                for k in range(len(cur) - 1, 0, -1):
                    if cur[k - 1].stop and _size(cur[:k]) >= max_chars // 2:
                        cut = k
                        break
            groups.append(cur[:cut])
            cur = cur[cut:]
            if cur and _size(cur) + 1 + a.size > max_chars:
                groups.append(cur)
                cur = []
        cur.append(a)
    if cur:
        groups.append(cur)
    return groups


def _size(atoms: list[_Atom]) -> int:
    return sum(a.size for a in atoms) + max(len(atoms) - 1, 0)

"""Convert a newly ingested regeling (txt, md, pdf, docx, html) to lines of text.

The result is stored as a ``.txt`` file next to the corpus and parsed with the generic
parser, so citations always refer to that text. The layout is chosen for that parser:
one paragraph per line with a blank line between paragraphs, list items on consecutive
lines ("- …" / "1. …"), table rows on consecutive lines with TAB-separated cells, and a
blank line around headings and tables. PDF text is kept line by line, as extracted.

Every failure is a :class:`ConversionError` with a Dutch message that can be shown to
the person who uploaded the file.
"""
from __future__ import annotations

import re
from pathlib import Path

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


class ConversionError(Exception):
    """The file cannot be turned into text; the message is in Dutch, for the user."""


def to_lines(path: Path | str) -> list[str]:
    """The text of the file as lines (no line terminators)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise ConversionError(
            f"Het bestandstype '{ext or '(geen extensie)'}' van {path.name} wordt niet ondersteund. "
            f"Gebruik een van: {', '.join(SUPPORTED)}."
        )
    if not path.is_file():
        raise ConversionError(f"Het bestand {path.name} bestaat niet of is geen bestand.")
    try:
        if ext in (".txt", ".md"):
            lines = _text(path)
        elif ext == ".pdf":
            lines = _pdf(path)
        elif ext == ".docx":
            lines = _docx(path)
        else:
            lines = _html(path)
    except ConversionError:
        raise
    except Exception as exc:  # corrupt files make the libraries raise anything
        raise ConversionError(
            f"Het bestand {path.name} kon niet worden gelezen; het is mogelijk beschadigd "
            f"of geen geldig {ext[1:].upper()}-bestand ({type(exc).__name__})."
        ) from exc
    lines = _tidy(lines)
    if not any(line.strip() for line in lines):
        raise ConversionError(
            f"Het bestand {path.name} bevat geen leesbare tekst"
            + (" (mogelijk een gescand document zonder tekstlaag)." if ext == ".pdf" else ".")
        )
    return lines


def _tidy(lines: list[str]) -> list[str]:
    """No control characters or trailing spaces, at most one blank line in a row, no
    blank lines at the start or end."""
    out: list[str] = []
    for line in (part for raw in lines for part in raw.replace("\r", "\n").split("\n")):
        line = _CONTROL.sub("", line).rstrip()
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line if line.strip() else "")
    while out and not out[-1].strip():
        out.pop()
    return out


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")


# --------------------------------------------------------------------------- formats


def _text(path: Path) -> list[str]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ConversionError(f"Het bestand {path.name} is geen tekstbestand (het bevat binaire gegevens).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ConversionError(f"De tekencodering van {path.name} wordt niet herkend.")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _pdf(path: Path) -> list[str]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported as ConversionError
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as exc:
            raise ConversionError(f"Het PDF-bestand {path.name} is beveiligd met een wachtwoord.") from exc
    lines: list[str] = []
    for page in reader.pages:
        text = page.extract_text() or ""
        if lines:
            lines.append("")  # a page break is a paragraph break at most
        lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return lines


def _docx(path: Path) -> list[str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    prev = ""  # kind of the previous block: "p", "li", "row"
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = " ".join(para.text.split())
            if not text:
                continue
            kind = "li" if _is_list(para) else "p"
            if kind == "li" and not re.match(r"^([-•▪·]|\d{1,2}[.)]|[a-z][.)])\s", text):
                text = "- " + text
            if not (kind == "li" and prev == "li"):
                lines.append("")
            lines.append(text)
            prev = kind
        elif tag == "tbl":
            lines.append("")
            for row in Table(child, document).rows:
                cells = _unique_cells(row.cells)
                lines.append("\t".join(" ".join(c.text.split()) for c in cells))
            prev = "row"
    return lines


def _unique_cells(cells):
    """Merged cells are returned once per grid column; keep each cell once."""
    seen, out = set(), []
    for cell in cells:
        key = id(cell._tc)
        if key not in seen:
            seen.add(key)
            out.append(cell)
    return out


def _is_list(para) -> bool:
    style = (para.style.name if para.style is not None else "") or ""
    if "list" in style.lower() or "lijst" in style.lower():
        return True
    ppr = para._p.pPr
    return ppr is not None and ppr.numPr is not None


_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
    "pre", "address", "figure", "figcaption", "dl", "dt", "dd", "form", "fieldset", "caption",
    "h1", "h2", "h3", "h4", "h5", "h6",
}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}


def _html(path: Path) -> list[str]:
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment, Doctype, ProcessingInstruction

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    lines: list[str] = []
    buf: list[str] = []
    indent = [""]  # indentation + marker of the list item being collected

    def flush(blank: bool = False) -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append(indent[0] + text)
        indent[0] = ""
        if blank and lines and lines[-1] != "":
            lines.append("")

    def walk(node, depth: int = 0) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _SKIP:
                continue
            if name == "br":
                flush()
            elif name == "tr":
                flush()
                cells = child.find_all(["td", "th"], recursive=False)
                lines.append("\t".join(" ".join(c.get_text(" ").split()) for c in cells))
            elif name in ("ul", "ol"):
                flush(blank=depth == 0)
                for n, li in enumerate(child.find_all("li", recursive=False), 1):
                    indent[0] = "  " * depth + ("- " if name == "ul" else f"{n}. ")
                    walk(li, depth + 1)
                    flush()
                if depth == 0:
                    flush(blank=True)
            elif name == "table":
                flush(blank=True)
                walk(child, depth)
                flush(blank=True)
            elif name in _BLOCK:
                flush(blank=depth == 0)
                walk(child, depth)
                flush(blank=depth == 0)
            else:
                walk(child, depth)

    walk(soup.body if soup.body is not None else soup)
    flush()
    return lines

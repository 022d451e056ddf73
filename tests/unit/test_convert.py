"""Conversion of uploaded regelingen (txt, md, pdf, docx, html) to lines of text.

The fixtures are made inside the tests: a docx with python-docx, a text PDF written by
hand (pypdf cannot create text PDFs), html and text files as strings."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunks import chunk_document
from knowledge.convert import ConversionError, to_lines
from knowledge.model import Document, DocumentInfo
from knowledge.parsing import parse


def minimal_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one text line per entry (Helvetica, WinAnsi), xref included."""
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        ("<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages))).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        objs.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
            ).encode()
        )
        ops = ["BT /F1 12 Tf 14 TL 72 720 Td"]
        for line in lines:
            ops.append("(%s) Tj T*" % line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for no, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % no + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _chunks(lines: list[str]):
    info = DocumentInfo("nieuw", "nieuw.txt", "Voorbeeld", "Nieuwe regeling", "plain")
    return chunk_document(Document(info, lines, parse(info, lines)))


# --------------------------------------------------------------------------- formats


def test_txt_and_md(tmp_path: Path):
    p = tmp_path / "regeling.txt"
    p.write_bytes("Artikel 1 Doel\r\n\r\nDe regeling geldt voor iedereen.\r\n".encode("utf-8"))
    assert to_lines(p) == ["Artikel 1 Doel", "", "De regeling geldt voor iedereen."]
    legacy = tmp_path / "oud.txt"
    legacy.write_bytes("Vergoeding: € 25 per maand, ook voor cliënten.".encode("cp1252"))
    assert to_lines(legacy) == ["Vergoeding: € 25 per maand, ook voor cliënten."]
    md = tmp_path / "regeling.md"
    md.write_text("# Regeling\n\n\n\n## Artikel 1\n\nTekst.   \n", encoding="utf-8")
    assert to_lines(md) == ["# Regeling", "", "## Artikel 1", "", "Tekst."]


def test_pdf(tmp_path: Path):
    p = tmp_path / "regeling.pdf"
    p.write_bytes(
        minimal_pdf(
            [
                ["Hoofdstuk 1 Verlof", "Artikel 1 Vakantie", "De werknemer heeft recht op verlof (zie lid 2)."],
                ["Artikel 2 Beeldschermbril", "De vergoeding bedraagt maximaal € 225."],
            ]
        )
    )
    lines = to_lines(p)
    assert "Hoofdstuk 1 Verlof" in lines
    assert "De werknemer heeft recht op verlof (zie lid 2)." in lines
    assert "De vergoeding bedraagt maximaal € 225." in lines
    assert lines.index("Artikel 2 Beeldschermbril") > lines.index("Artikel 1 Vakantie")
    chunk = next(c for c in _chunks(lines) if "€ 225" in c.text)
    assert chunk.section_path[-1] == "Artikel 2 Beeldschermbril"


def test_docx_paragraphs_lists_and_tables(tmp_path: Path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("Regeling studiefaciliteiten", 1)
    d.add_heading("Artikel 1 Begrippen", 2)
    d.add_paragraph("In deze regeling wordt verstaan onder:")
    d.add_paragraph("opleiding: een studie;", style="List Bullet")
    d.add_paragraph("werkgever: de gemeente.", style="List Bullet")
    d.add_heading("Artikel 2 Vergoeding", 2)
    table = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Schaal", "Bedrag"), ("1-8", "€ 500"), ("9 en hoger", "€ 750")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    d.add_paragraph("Slotbepaling.")
    p = tmp_path / "regeling.docx"
    d.save(p)
    lines = to_lines(p)
    assert lines[0] == "Regeling studiefaciliteiten"
    i = lines.index("In deze regeling wordt verstaan onder:")
    assert lines[i + 1 : i + 4] == ["", "- opleiding: een studie;", "- werkgever: de gemeente."]  # consecutive items
    assert "Schaal\tBedrag" in lines and "9 en hoger\t€ 750" in lines
    assert lines.index("1-8\t€ 500") == lines.index("Schaal\tBedrag") + 1  # rows stay together
    chunks = _chunks(lines)
    lijst = next(c for c in chunks if "opleiding" in c.text)
    assert lijst.text.startswith("In deze regeling wordt verstaan onder:")  # lead + list in one chunk
    assert lijst.section_path[-1] == "Artikel 1 Begrippen"
    tabel = next(c for c in chunks if "€ 750" in c.text)
    assert tabel.text.startswith("Schaal Bedrag") and tabel.section_path[-1] == "Artikel 2 Vergoeding"


def test_html_blocks_lists_tables(tmp_path: Path):
    p = tmp_path / "regeling.html"
    p.write_text(
        """<!DOCTYPE html><html><head><title>t</title><style>p { color: red }</style></head><body>
        <h1>Regeling thuiswerken</h1>
        <h2>Artikel 1 Begripsbepaling</h2>
        <p>In deze regeling wordt verstaan onder:</p>
        <ul><li>a. <i>thuiswerken</i>: werken
            vanuit huis;</li><li>b. werkgever: de gemeente.<ul><li>genest punt</li></ul></li></ul>
        <h2>Artikel 2 Vergoeding</h2>
        <p>De vergoeding bedraagt<br>€ 2 per dag.</p>
        <table><thead><tr><th>Dagen</th><th>Bedrag</th></tr></thead>
        <tbody><tr><td>1</td><td>€ 2</td></tr><tr><td>5</td><td>€ 10</td></tr></tbody></table>
        <!-- commentaar --><script>var x = "geheim";</script>
        </body></html>""",
        encoding="utf-8",
    )
    lines = to_lines(p)
    assert lines[:3] == ["Regeling thuiswerken", "", "Artikel 1 Begripsbepaling"]
    assert "- a. thuiswerken: werken vanuit huis;" in lines
    assert "  - genest punt" in lines
    assert "De vergoeding bedraagt" in lines and "€ 2 per dag." in lines
    i = lines.index("Dagen\tBedrag")
    assert lines[i + 1 : i + 3] == ["1\t€ 2", "5\t€ 10"]
    assert not any("geheim" in line or "color" in line or "commentaar" in line for line in lines)
    chunk = next(c for c in _chunks(lines) if "€ 10" in c.text)
    assert chunk.section_path[-1] == "Artikel 2 Vergoeding"


def test_htm_extension_and_fragment(tmp_path: Path):
    p = tmp_path / "deel.HTM"
    p.write_text("<p>Artikel 3</p><p>Tekst van het artikel.</p>", encoding="utf-8")
    assert to_lines(p) == ["Artikel 3", "", "Tekst van het artikel."]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("regeling.odt", b"whatever", "wordt niet ondersteund"),
        ("zonder_extensie", b"tekst", "wordt niet ondersteund"),
        ("leeg.txt", b"  \n\n\t\n", "geen leesbare tekst"),
        ("binair.txt", b"\x00\x01\x02 tekst", "geen tekstbestand"),
        ("kapot.pdf", b"%PDF-1.4 dit is geen pdf", "kon niet worden gelezen"),
        ("kapot.docx", b"PK\x03\x04 geen zip", "kon niet worden gelezen"),
        ("leeg.html", b"<html><body><script>x()</script></body></html>", "geen leesbare tekst"),
    ],
)
def test_conversion_errors_are_dutch(tmp_path: Path, name, content, fragment):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ConversionError) as exc:
        to_lines(p)
    assert fragment in str(exc.value)
    assert name in str(exc.value) or "(geen extensie)" in str(exc.value)


def test_pdf_without_text_layer(tmp_path: Path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(minimal_pdf([[]]))
    with pytest.raises(ConversionError, match="geen leesbare tekst.*gescand"):
        to_lines(p)


def test_missing_file(tmp_path: Path):
    with pytest.raises(ConversionError, match="bestaat niet"):
        to_lines(tmp_path / "weg.pdf")

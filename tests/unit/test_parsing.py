"""Section trees of the real corpus: the traps from the corpus notes, pinned by line.

Every line number below was checked against the corpus file with ``sed -n 'Np'``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.corpus_loader import DEFAULT_CORPUS_DIR, load_corpus, load_manifest, read_lines
from knowledge.model import DocumentInfo, Section
from knowledge.parsing import metadata, parse
from knowledge.parsing.common import CONTENT

KRK = "kerkrade_personeelshandboek"
OB = "oldebroek_uitvoeringsregeling-arbeidsvoorwaarden"
RA = "raalte_werving-en-selectiebeleid"
HS = "heemstede_cyclus-van-jaargesprekken"
KB = "kaag-en-braassem_strategisch-hrm-beleid"


@functools.lru_cache(maxsize=None)
def _docs():
    return {d.info.doc_id: d for d in load_corpus()}


def doc(doc_id):
    return _docs()[doc_id]


def structural_at(doc_id: str, line: int) -> list[Section]:
    """The chain of structural sections (outermost first) whose span contains the line."""
    chain: list[Section] = []
    node = doc(doc_id).root
    while True:
        nxt = next(
            (c for c in node.children if c.level not in CONTENT and c.line_start <= line <= c.line_end),
            None,
        )
        if nxt is None:
            return chain
        chain.append(nxt)
        node = nxt


def headings_at(doc_id: str, line: int) -> list[str]:
    return [s.heading for s in structural_at(doc_id, line)]


def top(doc_id: str, heading_prefix: str) -> Section:
    matches = [c for c in doc(doc_id).root.children if c.heading.startswith(heading_prefix)]
    assert len(matches) == 1, [m.heading for m in matches]
    return matches[0]


def child(sec: Section, heading_prefix: str) -> Section:
    """The one structural child (or form field) whose heading starts with the prefix."""
    matches = [
        c for c in sec.children if c.heading.startswith(heading_prefix) and (c.level not in CONTENT or sec.level == "form")
    ]
    assert len(matches) == 1, (heading_prefix, [c.heading for c in sec.children])
    return matches[0]


# --------------------------------------------------------------------------- loader


def test_manifest_dates_and_kinds():
    infos = {i.doc_id: i for i in load_manifest()}
    assert set(infos) == {KRK, OB, RA, HS, KB}
    assert infos[HS].valid_from == dt.date(2013, 10, 1)
    assert infos[HS].valid_to == dt.date(2020, 1, 1)
    assert infos[KRK].valid_from is None
    assert infos[OB].kind == "overheid.nl" and infos[KB].kind == "pdf-text" and infos[KRK].kind == "handboek"


def test_read_lines_keeps_lines_exactly():
    lines = read_lines(DEFAULT_CORPUS_DIR / "raalte_werving-en-selectiebeleid.txt")
    assert len(lines) == 417  # the last line has no newline and is still a line
    assert lines[224] == " • 1."  # leading spaces kept
    assert lines[416].startswith("  Wanneer u een klacht heeft")
    hs = read_lines(DEFAULT_CORPUS_DIR / "heemstede_cyclus-van-jaargesprekken.txt")
    assert hs[59] == "\u00a0"  # NBSP spacer line kept as is


def test_content_hash_is_sha256_of_bytes():
    import hashlib

    d = doc(RA)
    assert d.content_hash == hashlib.sha256((DEFAULT_CORPUS_DIR / d.info.file).read_bytes()).hexdigest()


@pytest.mark.parametrize("doc_id", [KRK, OB, RA, HS, KB])
def test_spans_nest_and_never_overlap(doc_id):
    d = doc(doc_id)
    assert d.root.line_start == 1 and d.root.line_end == len(d.lines)

    def check(sec: Section) -> None:
        prev_end = 0
        for c in sec.children:
            assert sec.line_start <= c.line_start <= c.line_end <= sec.line_end, (sec.heading, c.heading)
            if sec.level != "metadata":  # glued metadata values share one line
                assert c.line_start > prev_end, (sec.heading, c.heading)
            prev_end = c.line_end
            check(c)

    check(d.root)


# --------------------------------------------------------------------------- Kerkrade


def test_kerkrade_has_38_chapters_in_order_and_13_bijlagen():
    root = doc(KRK).root
    chapters = [c for c in root.children if c.heading.startswith("Hoofdstuk ")]
    numbers = [int(re.match(r"Hoofdstuk (\d+) ", c.heading).group(1)) for c in chapters]
    assert numbers == list(range(1, 39))
    assert all(c.level == "hoofdstuk" for c in chapters)
    bijlagen = [c.heading.split()[1] for c in root.children if c.heading.startswith("Bijlage ")]
    assert bijlagen == [str(n) for n in range(1, 14)]
    bijlage4 = top(KRK, "Bijlage 4 ")
    assert [c.heading.split()[1] for c in bijlage4.children if c.heading.startswith("Bijlage")] == list("4A 4B 4C 4D 4E 4F".split())


def test_kerkrade_h22_beeldschermbril_boundaries():
    h22 = top(KRK, "Hoofdstuk 22 ")
    assert h22.heading == "Hoofdstuk 22 Beeldschermbril"
    assert (h22.line_start, h22.line_end) == (2644, 2659)
    assert headings_at(KRK, 2652) == ["Hoofdstuk 22 Beeldschermbril", "De vergoedingsbedragen"]
    assert top(KRK, "Hoofdstuk 23 ").line_start == 2661


def test_kerkrade_table_of_contents_is_not_a_section():
    d = doc(KRK)
    for line in (23, 25, 40, 58, 86):
        assert structural_at(KRK, line) == [], line
    assert not any(s.heading.startswith("Inhoudsopgave") for _, s in d.root.walk())
    assert top(KRK, "Hoofdstuk 1 ").line_start == 90
    assert top(KRK, "Inleiding").line_start == 9  # front matter before the TOC is content


def test_kerkrade_h9_inner_chapters_are_children():
    h9 = top(KRK, "Hoofdstuk 9 ")
    inner = [c for c in h9.children if c.heading.startswith("Hoofdstuk")]
    assert [(c.heading, c.line_start) for c in inner] == [
        ("Hoofdstuk 1 Algemeen", 1393),
        ("Hoofdstuk 2 Arbobeleid binnen de gemeentelijke organisatie", 1472),
        ("Hoofdstuk 3 De betrokken partijen", 1580),
    ]
    assert all(c.level == "paragraaf" for c in inner)
    assert (h9.line_start, h9.line_end) == (1387, 1637)
    assert headings_at(KRK, 1611)[:2] == ["Hoofdstuk 9 Arbobeleid", "Hoofdstuk 3 De betrokken partijen"]
    assert top(KRK, "Hoofdstuk 10 ").line_start == 1639


def test_kerkrade_h29_has_a_synthetic_heading():
    h28, h29 = top(KRK, "Hoofdstuk 28 "), top(KRK, "Hoofdstuk 29 ")
    assert h29.heading == "Hoofdstuk 29 Vacaturevoorziening"  # title from the table of contents
    assert (h28.line_end, h29.line_start, h29.line_end) == (3249, 3251, 3301)
    assert child(h29, "1. Definitie vacature").line_start == 3251
    sub = child(child(h29, "3. Procedure vacature-invulling"), "3.2. Interne werving")
    assert sub.line_start == 3277
    assert headings_at(KRK, 3249)[-1] == "Artikel 3 Procedure inkrimping formatie"


def test_kerkrade_h37_capital_chapters_and_paragraphs():
    h37 = top(KRK, "Hoofdstuk 37 ")
    caps = child(h37, "HOOFDSTUK 3 ")
    assert caps.line_start == 4321
    par = child(caps, "Paragraaf 1 Het directieteam")
    assert par.line_start == 4323
    assert child(par, "Artikel 10").level == "artikel"


def test_kerkrade_numbering_restart_nests():
    h2 = top(KRK, "Hoofdstuk 2 ")
    afspraken = child(h2, "4. Gedragsafspraken")
    assert afspraken.line_start == 358
    assert child(afspraken, "2. Relatiegeschenken").line_start == 366
    assert child(afspraken, "3. Uitnodigingen").line_start == 372  # ends in "e.d."


def test_kerkrade_articles_and_leden():
    art = child(top(KRK, "Hoofdstuk 3 "), "Artikel 3 Interne melding")
    assert art.line_start == 426
    leden = [c.heading for c in art.children if c.level == "lid"]
    assert leden == ["lid 1", "lid 2", "lid 3", "lid 4", "lid 5", "lid 6", "lid 7"]  # "- 1." and "5." styles mixed
    lid3 = next(c for c in art.children if c.heading == "lid 3")
    assert [c.level for c in lid3.children] == ["item", "item", "item"]
    assert child(top(KRK, "Hoofdstuk 3 "), "Artikel 6 ").line_start == 465


def test_kerkrade_regelingen_in_h15_restart_articles():
    h15 = top(KRK, "Hoofdstuk 15 ")
    beoordeling = child(h15, "Regeling personeelsbeoordeling")
    assert beoordeling.line_start == 2121
    assert child(beoordeling, "Artikel 3 Procedure").line_start == 2157


def test_kerkrade_rouwprotocol_sheets_are_local():
    h33 = top(KRK, "Hoofdstuk 33 ")
    sheets = child(h33, "Bijlage bij rouwprotocol")
    blad6 = child(sheets, "Bijlage 6, blad 1")
    # title fragments "wethouder" (3784) / "Overlijden … of" (3786) are in reverse order
    assert blad6.heading == "Bijlage 6, blad 1 Overlijden voormalig burgemeester, gemeentesecretaris of wethouder"
    assert blad6.line_start == 3783
    assert child(sheets, "Bijlage 2, blad 2").heading.endswith("Overlijden raadslid of overig commissielid")
    assert top(KRK, "Bijlage 1 ").line_start == 4481


def test_kerkrade_forms_have_fields():
    b12 = top(KRK, "Bijlage 12 ")
    assert b12.level == "form" and b12.line_start == 6194
    fields = {f.heading: f for f in b12.children}
    assert all(f.level == "item" for f in b12.children)
    assert fields["Datum ongeval"].line_start == 6214
    assert len(b12.children) >= 15
    b4a = child(top(KRK, "Bijlage 4 "), "Bijlage 4A")
    assert b4a.level == "form" and b4a.line_start == 4721
    labels = [f.heading for f in b4a.children]
    assert "Soort incident" in labels and "Datum incident" in labels
    assert top(KRK, "Bijlage 1 ").level == "form"
    assert top(KRK, "Bijlage 9 ").level == "hoofdstuk"


def test_kerkrade_tables_keep_their_rows():
    table = next(c for c in top(KRK, "Bijlage 11 ").children if c.level == "table")
    assert table.line_start == 6174  # header row "Tijdpad / Wat te doen? / …"
    assert any(r.line_start == 6180 for r in table.children)
    integ = child(top(KRK, "Hoofdstuk 1 "), "Rollen, taken en verantwoordelijkheden")
    t = next(c for c in integ.children if c.level == "table")
    assert (t.line_start, t.line_end) == (271, 281)  # the blank line 278 sits inside the table


def test_kerkrade_bijlage_inside_h35_is_not_global():
    sec = child(top(KRK, "Hoofdstuk 35 "), "Bijlage In service salarisberekening")
    assert sec.line_start == 4112 and sec.level == "paragraaf"


# --------------------------------------------------------------------------- overheid.nl


def test_oldebroek_article_spellings():
    h4 = top(OB, "Hoofdstuk 4 ")
    assert h4.line_start == 435
    art = child(h4, "Artikel 4:3")
    assert art.heading == "Artikel 4:3" and art.line_start == 467  # "Artikel4:3" in the text
    assert child(h4, "Artikel 4:5").line_start == 591  # "Artikel4:5"
    a411 = child(h4, "Artikel 4:11")
    assert a411.heading == "Artikel 4:11 Buitengewoon verlof bij vrijwilligerswerk"  # "artikel 4:11" + caption after
    assert (a411.line_start, a411.line_end) == (665, 669)
    h13 = top(OB, "Hoofdstuk 13 ")
    tropen = child(h13, "Artikel 13-2")
    assert tropen.heading == "Artikel 13-2 Tropenrooster" and (tropen.line_start, tropen.line_end) == (2561, 2569)


def test_oldebroek_two_articles_1_1_in_different_chapters():
    a1 = child(top(OB, "Hoofdstuk 1 "), "Artikel 1:1")
    assert a1.heading == "Artikel 1:1 Begripsomschrijving" and a1.line_start == 45  # caption before, l. 45
    h2 = top(OB, "Hoofdstuk 2 ")
    a2 = child(child(h2, "ALGEMENE BEPALINGEN"), "Artikel 1:1")
    assert a2.line_start == 71
    assert headings_at(OB, 89)[-1] == "Artikel 1:1"


def test_oldebroek_captions_and_leden():
    h3 = top(OB, "Hoofdstuk 3 ")
    assert child(h3, "Artikel 3:3").heading == "Artikel 3:3 Middagpauze"
    assert child(h3, "Artikel 3:3").line_start == 365
    a42 = child(top(OB, "Hoofdstuk 4 "), "Artikel 4:2")
    lid1 = next(c for c in a42.children if c.heading == "lid 1")
    assert (lid1.line_start, lid1.line_end) == (445, 459)  # its table, one cell per line, belongs to it


def test_oldebroek_metadata_and_toc():
    d = doc(OB)
    meta = d.root.children[0]
    assert meta.level == "metadata" and (meta.line_start, meta.line_end) == (1, 9)
    assert metadata(d.root)["Geldend van"] == "01-01-2006 t/m heden"
    for line in (11, 13, 41):
        assert structural_at(OB, line) == []
    assert top(OB, "Hoofdstuk 1 ").line_start == 43
    assert [c.heading.split()[1] for c in d.root.children if c.heading.startswith("Hoofdstuk")] == [
        str(n) for n in range(1, 16)
    ]


def test_oldebroek_cafetaria_topics():
    h14 = top(OB, "Hoofdstuk 14 ")
    doelen = child(h14, "B. DOELEN")
    fiets = child(doelen, "Fiets")
    assert fiets.line_start == 2723
    assert child(doelen, "Eenmalige uitbetaling").line_start == 2685


def test_raalte_headings():
    h1 = top(RA, "Hoofdstuk 1 ")
    assert h1.heading == "Hoofdstuk 1 Het werving- en selectiebeleid" and h1.line_start == 51  # "Hoofstuk 1."
    p24 = child(top(RA, "Hoofdstuk 2 "), "Paragraaf 2.4 De interne procedure")
    assert p24.line_start == 223
    assert child(p24, "Sub-paragraaf 2.4.1 Werkgeverspunt").line_start == 265
    step1 = next(c for c in p24.children if c.level == "item")
    assert (step1.line_start, step1.line_end) == (225, 227)  # "• 1." marker + its text line
    bijlage = top(RA, "Bijlage Sollicitatiecode")
    assert (bijlage.line_start, bijlage.line_end) == (361, 417)
    assert doc(RA).root.children[0].level == "metadata"


def test_heemstede_metadata_is_parsed_not_content():
    d = doc(HS)
    meta = d.root.children[0]
    assert meta.level == "metadata" and (meta.line_start, meta.line_end) == (1, 58)
    end = meta.find("Datum uitwerkingtreding")
    assert end is not None and end.heading == "Datum uitwerkingtreding 01-01-2020"
    assert (end.line_start, end.line_end) == (46, 46)
    fields = metadata(d.root)
    assert fields["Datum inwerkingtreding"] == "17-10-2013"
    assert fields["Terugwerkende kracht tot en met"] == "01-10-2013"
    assert fields["Betreft"] == "Nieuwe regeling"
    assert fields["Organisatie"] == "Heemstede"


def test_heemstede_parts_and_faq():
    parts = [(c.heading, c.line_start) for c in doc(HS).root.children if c.level == "hoofdstuk"]
    assert parts == [
        ("I Inleiding", 74),
        ("II Cyclus van Jaargesprekken", 116),
        ("III Hulpmiddelen bij de cyclus jaargesprekken", 250),
    ]
    for line in (64, 66, 68):  # the table of contents
        assert structural_at(HS, line) == []
    faq = child(top(HS, "III "), "4. Veelgestelde vragen")
    assert child(faq, "1. Bestaat een jaargesprek").line_start == 316
    assert len([c for c in faq.children if c.level == "paragraaf"]) == 6
    assert child(top(HS, "III "), "3. ontwikkelscan").line_start == 300  # "3.ontwikkelscan"


# --------------------------------------------------------------------------- pdf text


def test_kaag_structure():
    h3 = top(KB, "Hoofdstuk 3 ")
    assert h3.line_start == 574
    sp2 = child(h3, "Speerpunt 2 ")
    assert sp2.line_start == 1161
    assert child(sp2, "Terugbetalingsregeling").line_start == 1861
    assert child(child(h3, "Speerpunt 3 "), "Stageplaats").line_start == 1957
    b4 = top(KB, "Bijlage 4:")
    assert b4.heading == "Bijlage 4: normgedrag ten aanzien van de kernwaarden"  # title over two lines
    assert b4.line_start == 2346
    assert [c.heading.split(":")[0] for c in doc(KB).root.children] == [
        "Hoofdstuk 1 Inleiding", "Hoofdstuk 2 Organisatievisie", "Hoofdstuk 3 Speerpunten HRM",
        "Bijlage 1", "Bijlage 2", "Bijlage 3", "Bijlage 4",
    ]


def test_kaag_wrapped_paragraphs_are_rebuilt():
    intro = child(top(KB, "Hoofdstuk 1 "), "Waarom een strategisch HRM-beleid?")
    para = next(c for c in intro.children if c.level == "text")
    assert para.line_start == 6 and para.line_end >= 16  # one paragraph over 6 … 16, blank lines between


# --------------------------------------------------------------------------- generic


def test_generic_recognises_structure():
    lines = """Regeling thuiswerken gemeente Voorbeeld

Inhoudsopgave
Hoofdstuk 1 Algemeen ........ 2
Hoofdstuk 2 Vergoedingen ........ 3

Hoofdstuk 1 Algemeen

Artikel 1 Begripsbepaling

In deze regeling wordt verstaan onder:
a. thuiswerken: werken vanuit huis;
b. werkgever: de gemeente.

Artikel 2 Toepassing
1. Deze regeling geldt voor alle medewerkers.
2. Stagiairs zijn uitgezonderd.

Hoofdstuk 2 Vergoedingen

§ 1 Thuiswerkvergoeding

De vergoeding bedraagt € 2 per dag.

Bijlage 1 Aanvraagformulier

Naam:""".split("\n")
    root = parse(DocumentInfo("x", "x.txt", "Voorbeeld", "Regeling thuiswerken", "plain"), lines)
    heads = [s.heading for _, s in root.walk() if s.level not in CONTENT and s.level != "document"]
    assert heads == [
        "Regeling thuiswerken gemeente Voorbeeld",
        "Hoofdstuk 1 Algemeen",
        "Artikel 1 Begripsbepaling",
        "Artikel 2 Toepassing",
        "Hoofdstuk 2 Vergoedingen",
        "§ 1 Thuiswerkvergoeding",
        "Bijlage 1 Aanvraagformulier",
    ]
    art2 = root.find("Artikel 2")
    assert [c.heading for c in art2.children] == ["lid 1", "lid 2"]
    assert root.find("Hoofdstuk 1 Algemeen").line_start == 7  # not the table-of-contents entry


def test_unknown_kind_uses_generic_parser():
    info = DocumentInfo("y", "y.txt", "X", "Y", "something-new")
    root = parse(info, ["Artikel 1 Doel", "", "Deze regeling regelt iets."])
    assert root.children[0].heading == "Artikel 1 Doel"


_TEXT = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "", " ", "\u00a0", "Hoofdstuk 3 Iets", "HOOFDSTUK 2 X", "Artikel 4:3", "artikel 1", "§ 2",
                "1. Eerste lid.", " - a. item", "• 1.", "  • a.", "a\tb\tc", "| a | b |", "---\t--",
                "Bijlage", "Bijlage 1, blad 2", "Inhoudsopgave", "Inhoud", "Paragraaf 1.1 Doel",
                "IInleiding", "Intitulé", "Geldend van 01-01-2006 t/m heden", "Pagina 1 van 2",
                "https://x.nl", "Slotbepaling", "Fase 1: x", "Regeling x", "- **Vet**", "3.1. KENNIS",
            ]
        ),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.sampled_from(["handboek", "overheid.nl", "pdf-text", "plain"]))
def test_parsers_never_crash_and_keep_spans(lines, kind):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    root = parse(DocumentInfo("z", "z.txt", "Z", "Titel", kind), lines)
    n = max(len(lines), 1)

    def check(sec: Section) -> None:
        assert 1 <= sec.line_start <= sec.line_end <= n
        for c in sec.children:
            assert sec.line_start <= c.line_start and c.line_end <= sec.line_end
            check(c)

    check(root)


def test_generic_markdown_headings_and_tables():
    lines = [
        "# Regeling reiskosten",
        "",
        "## Artikel 1 Vergoeding",
        "",
        "De vergoeding per kilometer:",
        "",
        "Afstand\tBedrag",
        "0-10 km\t€ 0,23",
        "",
        "## Artikel 2 Slot",
        "",
        "Deze regeling treedt in werking op 1 januari.",
    ]
    root = parse(DocumentInfo("m", "m.md", "X", "Regeling reiskosten", "plain"), lines)
    top_ = root.children[0]
    assert top_.heading == "Regeling reiskosten" and top_.level == "hoofdstuk"
    art1 = root.find("Artikel 1 Vergoeding")
    assert art1.level == "artikel" and [c.level for c in art1.children] == ["text", "table"]
    assert (art1.children[1].line_start, art1.children[1].line_end) == (7, 8)

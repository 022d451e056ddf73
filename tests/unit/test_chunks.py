"""Chunks of the real corpus: verbatim, contiguous, non-overlapping, complete, and
with the right heading path. Line numbers were checked with ``sed -n 'Np'``."""
from __future__ import annotations

import functools
import time

import pytest

from knowledge.chunks import chunk_document
from knowledge.corpus_loader import DEFAULT_CORPUS_DIR, load_corpus, load_manifest, read_lines
from knowledge.model import Document, DocumentInfo, Section
from knowledge.parsing import parse
from knowledge.parsing.common import CONTENT, is_blank, is_residue, norm_ws

KRK = "kerkrade_personeelshandboek"
OB = "oldebroek_uitvoeringsregeling-arbeidsvoorwaarden"
RA = "raalte_werving-en-selectiebeleid"
HS = "heemstede_cyclus-van-jaargesprekken"
KB = "kaag-en-braassem_strategisch-hrm-beleid"
ALL = [KRK, OB, RA, HS, KB]

#: Last line of the table of contents (0: none). Lines up to here need no chunk.
TOC_END = {KRK: 86, OB: 41, RA: 0, HS: 68, KB: 0}


@functools.lru_cache(maxsize=None)
def _corpus():
    docs = {d.info.doc_id: d for d in load_corpus()}
    return {k: (d, chunk_document(d)) for k, d in docs.items()}


def chunks(doc_id):
    return _corpus()[doc_id][1]


def document(doc_id) -> Document:
    return _corpus()[doc_id][0]


def chunk_at(doc_id: str, line: int):
    found = [c for c in chunks(doc_id) if c.line_start <= line <= c.line_end]
    assert len(found) == 1, (doc_id, line, found)
    return found[0]


# --------------------------------------------------------------------------- properties


@pytest.mark.parametrize("doc_id", ALL)
def test_chunk_text_is_the_verbatim_span(doc_id):
    d = document(doc_id)
    for c in chunks(doc_id):
        assert c.text == norm_ws(d.text(c.line_start, c.line_end)), c.chunk_id
        assert c.chunk_id == f"{doc_id}:{c.line_start}-{c.line_end}"
        assert c.gemeente == d.info.gemeente and c.title == d.info.title


@pytest.mark.parametrize("doc_id", ALL)
def test_chunks_never_overlap_and_have_clean_edges(doc_id):
    d = document(doc_id)
    last = 0
    for c in chunks(doc_id):
        assert c.line_start > last, c.chunk_id
        last = c.line_end
        for edge in (c.line_start, c.line_end):
            assert not is_blank(d.lines[edge - 1]) and not is_residue(d.lines[edge - 1]), c.chunk_id
        assert not any(is_residue(d.lines[i - 1]) for i in range(c.line_start, c.line_end + 1)), c.chunk_id
        assert c.line_start > TOC_END[doc_id] or c.line_end < 23, c.chunk_id  # never the table of contents


@pytest.mark.parametrize("doc_id", ALL)
def test_chunk_size(doc_id):
    d = document(doc_id)
    for c in chunks(doc_id):
        if len(c.text) > 1200:  # only a single line may be longer than max_chars
            assert len([i for i in range(c.line_start, c.line_end + 1) if not is_blank(d.lines[i - 1])]) == 1
        assert c.text.strip()


def _heading_lines(root: Section) -> set[int]:
    """Lines that belong to a heading: from a structural section's first line up to
    its first child (captions, titles over two lines included)."""
    out: set[int] = set()
    for _, sec in root.walk():
        if sec.level in CONTENT or sec.level == "document":
            continue
        first_child = sec.children[0].line_start if sec.children else sec.line_end + 1
        out.update(range(sec.line_start, min(first_child, sec.line_end + 1)))
        if sec.level == "metadata":
            out.update(range(sec.line_start, sec.line_end + 1))
    return out


def uncovered(doc_id: str) -> list[int]:
    d = document(doc_id)
    covered: set[int] = set()
    for c in chunks(doc_id):
        covered.update(range(c.line_start, c.line_end + 1))
    heads = _heading_lines(d.root)
    return [
        i
        for i, line in enumerate(d.lines, 1)
        if i > TOC_END[doc_id] and not is_blank(line) and not is_residue(line) and i not in covered and i not in heads
    ]


@pytest.mark.parametrize("doc_id", ALL)
def test_every_content_line_is_covered(doc_id):
    """Every non-blank line after the table of contents is in a chunk, a heading or the
    metadata, unless it is residue (page numbers, URL dumps, separators)."""
    missing = uncovered(doc_id)
    assert missing == [], f"{doc_id}: {len(missing)} uncovered lines, e.g. {missing[:10]}"


@pytest.mark.parametrize("doc_id", ALL)
def test_no_chunk_is_only_a_heading(doc_id):
    d = document(doc_id)
    heads = _heading_lines(d.root)
    for c in chunks(doc_id):
        lines = [i for i in range(c.line_start, c.line_end + 1) if not is_blank(d.lines[i - 1])]
        assert not all(i in heads for i in lines), c.chunk_id


@pytest.mark.parametrize("doc_id", ALL)
def test_paths_contain_no_lid_or_item_headings(doc_id):
    structural = {s.heading for _, s in document(doc_id).root.walk() if s.level not in CONTENT}
    for c in chunks(doc_id):
        assert all(h in structural for h in c.section_path), c.chunk_id
        assert not any(h.startswith("lid ") for h in c.section_path)


def test_chunk_counts_are_stable():
    counts = {k: len(chunks(k)) for k in ALL}
    # a wide band: the exact numbers move with heuristics, the order of magnitude must not
    assert 1000 <= counts[KRK] <= 1600, counts
    assert 250 <= counts[OB] <= 500, counts
    assert 25 <= counts[RA] <= 60, counts
    assert 20 <= counts[HS] <= 50, counts
    assert 80 <= counts[KB] <= 180, counts


# --------------------------------------------------------------------------- pinned


def test_beeldschermbril_amount_chunk():
    c = chunk_at(KRK, 2652)  # "… bedraagt maximaal € 225 …"
    assert "€ 225" in c.text
    assert c.section_path[0] == "Hoofdstuk 22 Beeldschermbril"
    assert c.section_path == ("Hoofdstuk 22 Beeldschermbril", "De vergoedingsbedragen")
    assert c.section == "Hoofdstuk 22 Beeldschermbril › De vergoedingsbedragen"
    assert c.embedding_text().startswith("Personeelshandboek gemeente Kerkrade — Hoofdstuk 22 Beeldschermbril")


def test_page_break_sentences_stay_together():
    assert chunk_at(KRK, 1770) == chunk_at(KRK, 1768)  # ontslaguitkering condition
    assert chunk_at(KRK, 412) == chunk_at(KRK, 410)  # definition m. of the misstand regeling
    assert chunk_at(KRK, 3014) == chunk_at(KRK, 3012)  # bogus "- en Bedrijfsvoering" item
    assert chunk_at(KB, 16) == chunk_at(KB, 14)  # pdf: "… zoals" / "vastgesteld in de …"
    assert chunk_at(KB, 40) == chunk_at(KB, 38)  # "HRM-" / "beleid"


def test_lead_sentence_travels_with_its_list():
    c = chunk_at(KRK, 421)  # Art. 2 lid 1 "Een melder kan …:" with items a–c
    assert (c.line_start, c.line_end) == (420, 423)
    c = chunk_at(KRK, 3233)  # H28 Art. 3 lid 2 "Het voorstel houdt in ieder geval in:"
    assert c.line_start == 3232 and c.line_end >= 3239
    assert c.section_path[-1] == "Artikel 3 Procedure inkrimping formatie"


def test_long_list_is_split_with_the_lead_only_first():
    groups = [c for c in chunks(KRK) if 396 <= c.line_start <= 416]  # H3 Art. 1 definitions a–p
    assert len(groups) >= 2
    assert groups[0].line_start == 396 and groups[-1].line_end == 416
    assert all(g.section_path[-1] == "Artikel 1 Begripsbepaling" for g in groups)
    assert all(len(g.text) <= 1200 for g in groups)


def test_table_rows_with_header():
    c = chunk_at(KRK, 6174)
    assert c.line_start == 6174 and c.text.startswith("Tijdpad Wat te doen?")
    assert c.section_path == ("Bijlage 11 Schema van ziekmelding tot eind tweede ziektejaar",)
    c = chunk_at(KRK, 272)  # HTML residue kept verbatim
    assert '<ul style="list-style-type: none">' in c.text
    assert c.section_path[-1] == "Rollen, taken en verantwoordelijkheden"


def test_forms_are_chunked_by_fields():
    c = chunk_at(KRK, 6214)
    assert c.section_path == ("Bijlage 12 Meldingsformulier voor arbeidsongevallen",)
    assert "Datum ongeval" in c.text
    c = chunk_at(KRK, 4763)
    assert c.section_path == ("Bijlage 4 Agressieprotocol", "Bijlage 4A Meldingsformulier")


def test_kerkrade_synthetic_chapter_in_paths():
    c = chunk_at(KRK, 3281)
    assert c.section_path[:2] == ("Hoofdstuk 29 Vacaturevoorziening", "3. Procedure vacature-invulling")
    c = chunk_at(KRK, 1611)
    assert c.section_path[:2] == ("Hoofdstuk 9 Arbobeleid", "Hoofdstuk 3 De betrokken partijen")


def test_oldebroek_chunks():
    c = chunk_at(OB, 455)  # "158,4 uur" in the table of art. 4:2 lid 1
    assert c.section_path[-1] == "Artikel 4:2" and c.line_start == 445
    assert chunk_at(OB, 669).section_path[-1] == "Artikel 4:11 Buitengewoon verlof bij vrijwilligerswerk"
    assert chunk_at(OB, 2565).section_path[-1] == "Artikel 13-2 Tropenrooster"
    assert chunk_at(OB, 89).section_path == ("Hoofdstuk 2 REGELING FUNCTIEWAARDERING", "ALGEMENE BEPALINGEN", "Artikel 1:1")
    for line in range(1, 42):  # metadata and table of contents
        assert not any(c.line_start <= line <= c.line_end for c in chunks(OB))


def test_raalte_and_heemstede_chunks():
    c = chunk_at(RA, 227)
    assert c.line_start == 225 and c.section_path[-1] == "Paragraaf 2.4 De interne procedure"
    assert chunk_at(RA, 417).section_path == ("Bijlage Sollicitatiecode gemeente Raalte",)
    c = chunk_at(HS, 318)
    assert c.section_path == (
        "III Hulpmiddelen bij de cyclus jaargesprekken",
        "4. Veelgestelde vragen",
        "1. Bestaat een jaargesprek cyclus altijd uit 3 gesprekken?",
    )
    assert not any(c.line_start <= 46 for c in chunks(HS))  # metadata is not content


def test_kaag_residue_is_never_chunked():
    for line in (173, 174, 902, 903, 1006, 1007, 1008, 1107, 1722, 1798):
        assert not any(c.line_start <= line <= c.line_end for c in chunks(KB)), line
    c = chunk_at(KB, 1963)  # "• t/m MBO-niveau € 150,00 bruto per maand;"
    assert c.section_path[-1] == "Stageplaats"


def test_max_chars_is_respected_when_smaller():
    d = document(KRK)
    small = chunk_document(d, max_chars=300)
    assert len(small) > len(chunks(KRK))
    for c in small:
        if len(c.text) > 300:
            assert len([i for i in range(c.line_start, c.line_end + 1) if not is_blank(d.lines[i - 1])]) == 1


def test_parse_and_chunk_all_documents_is_fast():
    infos = load_manifest()
    data = [(i, read_lines(DEFAULT_CORPUS_DIR / i.file)) for i in infos]
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        for info, lines in data:
            chunk_document(Document(info, lines, parse(info, lines)))
        best = min(best, time.process_time() - t)
    assert best < 0.5, f"parse + chunk of the corpus took {best:.3f} s CPU"


def test_empty_and_tiny_documents():
    info = DocumentInfo("t", "t.txt", "T", "T", "plain")
    assert chunk_document(Document(info, [], parse(info, []))) == []
    lines = ["Artikel 1 Doel", "", "Een zin."]
    out = chunk_document(Document(info, lines, parse(info, lines)))
    assert [(c.line_start, c.line_end, c.section_path) for c in out] == [(3, 3, ("Artikel 1 Doel",))]

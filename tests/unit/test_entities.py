"""Dutch entity extraction: numbers, money, dates, durations, lookups and hostile input."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from nlu.entities import MAX_CHARS, EntityExtractor, extract_entities, parse_hours, parse_money, parse_number
from nlu.training_data import load_nlu

TODAY = dt.date(2026, 11, 20)  # a Friday
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ex() -> EntityExtractor:
    td = load_nlu([ROOT / "data" / "nlu.yml"])
    return EntityExtractor(td.lookups, td.synonyms)


def values(ex: EntityExtractor, text: str, entity: str, today: dt.date = TODAY) -> list:
    return [e["value"] for e in ex.extract(text, today) if e["entity"] == entity]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("32 uur", 32.0),
        ("tweeëndertig uur", 32.0),
        ("tweeendertig uur", 32.0),
        ("Ik werk 32,5", 32.5),
        ("32.5 uur", 32.5),
        ("36 u/w", 36.0),
        ("36u per week", 36.0),
        ("zestien uur per week", 16.0),
        ("ik werk 24", 24.0),
        ("contract van 28", 28.0),
        ("36-urige werkweek", 36.0),
        ("I work 32 hours", 32.0),
        ("20 per week", 20.0),
    ],
)
def test_hours(ex: EntityExtractor, text: str, expected: float) -> None:
    assert values(ex, text, "hours") == [expected]


@pytest.mark.parametrize(
    "text",
    ["om 9 uur heb ik een afspraak", "het begint om 17.00 uur", "ik werk 9 jaar bij kerkrade", "ik werk 5 dagen", "tot 17 uur open"],
)
def test_not_hours(ex: EntityExtractor, text: str) -> None:
    assert values(ex, text, "hours") == []


def test_hours_offsets_point_into_original_text(ex: EntityExtractor) -> None:
    text = "Ik werk tweeëndertig uur per week"
    [e] = [e for e in ex.extract(text, TODAY) if e["entity"] == "hours"]
    assert text[e["start"] : e["end"]] == e["text"] == "tweeëndertig uur per week"
    assert e["extractor"] == "regelwijs"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("€ 49,95", 49.95),
        ("€49", 49.0),
        ("49,95 euro", 49.95),
        ("vijftig euro", 50.0),
        ("1.250", 1250.0),
        ("€ 1.250,00", 1250.0),
        ("EUR 60", 60.0),
        ("60 EUR", 60.0),
        ("€ 50,-", 50.0),
        ("€ 3,900.00", 3900.0),
        ("mijn salaris is 3800", 3800.0),
        ("de bril kost 310", 310.0),
        ("duizend tweehonderd euro", 1200.0),
    ],
)
def test_money(ex: EntityExtractor, text: str, expected: float) -> None:
    assert values(ex, text, "money") == [expected]


def test_several_amounts(ex: EntityExtractor) -> None:
    text = "Mijn beeldschermbril kost € 350 (2 glazen van € 100, montuur € 150)"
    assert values(ex, text, "money") == [350.0, 100.0, 150.0]


def test_no_money_in_plain_numbers(ex: EntityExtractor) -> None:
    assert values(ex, "ik werk 32 uur en ben 25 jaar in dienst", "money") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("gisteren", "2026-11-19"),
        ("vandaag", "2026-11-20"),
        ("eergisteren", "2026-11-18"),
        ("morgen", "2026-11-21"),
        ("vorige week dinsdag", "2026-11-10"),
        ("dinsdag vorige week", "2026-11-10"),
        ("afgelopen maandag", "2026-11-16"),
        ("dinsdag", "2026-11-17"),
        ("3 maart", "2026-03-03"),
        ("15-11-2026", "2026-11-15"),
        ("15/11/26", "2026-11-15"),
        ("15 november 2026", "2026-11-15"),
        ("maandag 10 maart 2025", "2025-03-10"),
        ("1 jan", "2026-01-01"),
        ("2026-02-01", "2026-02-01"),
        ("op 10-3 gevallen", "2026-03-10"),
        ("3 dagen geleden", "2026-11-17"),
        ("juni 2027", "2027-06-01"),
        ("yesterday", "2026-11-19"),
        ("last tuesday", "2026-11-17"),
        ("on 3 March 2025", "2025-03-03"),
        ("the day before yesterday", "2026-11-18"),  # via dateparser
    ],
)
def test_dates(ex: EntityExtractor, text: str, expected: str) -> None:
    assert values(ex, text, "date") == [expected]


def test_dates_in_the_future_of_year(ex: EntityExtractor) -> None:
    # "20 december" said on 20 November refers to last year's (prefer past) ...
    assert values(ex, "20 december", "date") == ["2025-12-20"]
    # ... unless the caller asks for future dates.
    future = [e["value"] for e in ex.extract("20 december", TODAY, prefer_dates_from="future") if e["entity"] == "date"]
    assert future == ["2026-12-20"]


@pytest.mark.parametrize("text", ["31-02-2025", "goedemorgen", "goede morgen", "ik werk 36 uur", "versie 1.2.3"])
def test_no_dates(ex: EntityExtractor, text: str) -> None:
    assert values(ex, text, "date") == []


@pytest.mark.parametrize(
    "text,amount,unit",
    [
        ("3 weken", 3.0, "week"),
        ("twee maanden", 2.0, "maand"),
        ("10 dagen", 10.0, "dag"),
        ("een half jaar", 0.5, "jaar"),
        ("anderhalf jaar", 1.5, "jaar"),
        ("25 jaar in dienst", 25.0, "jaar"),
        ("30 months", 30.0, "maand"),
        ("5 werkdagen", 5.0, "werkdag"),
    ],
)
def test_durations(ex: EntityExtractor, text: str, amount: float, unit: str) -> None:
    assert values(ex, text, "duration") == [{"amount": amount, "unit": unit}]


def test_date_wins_over_contained_duration(ex: EntityExtractor) -> None:
    ents = ex.extract("ik ben 3 dagen geleden gevallen", TODAY)
    assert [(e["entity"], e["value"]) for e in ents] == [("date", "2026-11-17")]


@pytest.mark.parametrize(
    "text,entity,value",
    [
        ("Ik werk in Kerkraad", "gemeente", "Kerkrade"),
        ("bij de gemeente kaag & braassem", "gemeente", "Kaag en Braassem"),
        ("Kaag en Braassem", "gemeente", "Kaag en Braassem"),
        ("oldenbroek", "gemeente", "Oldebroek"),
        ("mijn schoonmoeder is ziek", "relation", "schoonouder"),
        ("voor mijn pleegdochter", "relation", "pleegkind"),
        ("mijn man ligt in het ziekenhuis", "relation", "partner"),
        ("hoeveel kortdurend zorgverlof", "soort_zorgverlof", "kort"),
        ("langdurend zorgverlof", "soort_zorgverlof", "lang"),
        ("kort", "soort_zorgverlof", "kort"),
        ("lang.", "soort_zorgverlof", "lang"),
        ("partnerverlof aanvragen", "verlof_type", "geboorteverlof"),
        ("wat is ouderschapsverlof", "verlof_type", "ouderschapsverlof"),
    ],
)
def test_lookup_entities(ex: EntityExtractor, text: str, entity: str, value: str) -> None:
    assert value in values(ex, text, entity)


@pytest.mark.parametrize(
    "text,entity",
    [
        ("er stond een boze man bij mijn auto", "relation"),  # "man" only as "mijn man"
        ("hoe lang duurt het?", "soort_zorgverlof"),
        ("ik ben langdurig ziek", "soort_zorgverlof"),
        ("ouderschapsverlof", "relation"),  # no match inside a longer word
        ("Kerkradeweg 12", "gemeente"),
    ],
)
def test_lookup_false_positives(ex: EntityExtractor, text: str, entity: str) -> None:
    assert values(ex, text, entity) == []


def test_functional_api_matches_class() -> None:
    lookups = {"gemeente": ["Kerkrade", "Kerkraad"]}
    synonyms = {"kerkraad": "Kerkrade"}
    ents = extract_entities("32 uur in Kerkraad", TODAY, lookups, synonyms)
    assert [(e["entity"], e["value"]) for e in ents] == [("hours", 32.0), ("gemeente", "Kerkrade")]
    assert extract_entities("32 uur", TODAY) == extract_entities("32 uur", TODAY, None, None)


@pytest.mark.parametrize(
    "text,expected",
    [("32", 32.0), ("32,5", 32.5), ("32.5", 32.5), ("tweeëndertig", 32.0), ("vijftig", 50.0), ("1.250", 1250.0),
     ("32 uur", 32.0), ("€ 40", 40.0), (" 36 ", 36.0), ("een", 1.0), ("", None), ("abc", None), ("32 of 36", None), (None, None)],
)
def test_parse_number(text: str | None, expected: float | None) -> None:
    assert parse_number(text) == expected


def test_parse_money_and_hours() -> None:
    assert parse_money("€ 49,95") == 49.95
    assert parse_money("vijftig") == 50.0
    assert parse_money("€ 10 en € 20") is None
    assert parse_hours("zestien uur per week") == 16.0
    assert parse_hours("36") == 36.0
    assert parse_hours("geen idee") is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x02", "😀😀😀", "🙂 32 uur 🙂", "[]{}()", "€€€", "1" * 5000, "uur uur uur", "\u202e32 uur", "İstanbul 32 uur", "\ud800"],
)
def test_bad_input_does_not_crash(ex: EntityExtractor, text: str) -> None:
    ents = ex.extract(text, TODAY)
    for e in ents:
        assert 0 <= e["start"] <= e["end"] <= len(text)


def test_non_string_input(ex: EntityExtractor) -> None:
    assert ex.extract(None, TODAY) == []  # type: ignore[arg-type]


def test_huge_input_is_capped(ex: EntityExtractor) -> None:
    text = "ik werk 32 uur en kreeg € 60 op 3 maart. " * 3000  # ~120 kB
    t0 = time.perf_counter()
    ents = ex.extract(text, TODAY)
    assert time.perf_counter() - t0 < 1.0
    assert ents and all(e["end"] <= MAX_CHARS for e in ents)


def test_latency_per_turn(ex: EntityExtractor) -> None:
    ex.extract("warm up gisteren 3 maart € 5", TODAY)
    turns = [
        "Ik werk 32 uur in Kerkrade, mijn moeder is gisteren ziek geworden, hoeveel kortdurend zorgverlof heb ik?",
        "Mijn beeldschermbril kost € 310, wat krijg ik terug?",
        "Ik ben op maandag 10 maart 2025 bedreigd door een cliënt.",
        "hoi",
    ]
    t0 = time.perf_counter()
    for _ in range(50):
        for t in turns:
            ex.extract(t, TODAY)
    per_turn_ms = (time.perf_counter() - t0) / (50 * len(turns)) * 1000
    assert per_turn_ms < 5.0, per_turn_ms


@pytest.mark.parametrize("text,value", [
    ("What is my hourly wage if I earn €3,200 a month?", 3200.0),   # English thousands separator
    ("my salary is €4,000 a month", 4000.0),
    ("€1,234.56", 1234.56),
    ("salaris € 3.200,50", 3200.5),                                  # Dutch
    ("€ 32,50", 32.5),
])
def test_money_in_english_and_dutch_notation(text, value):
    from nlu.entities import EntityExtractor

    money = [e["value"] for e in EntityExtractor().extract(text, dt.date(2026, 11, 29)) if e["entity"] == "money"]
    assert money == [value]

"""Deadlines: every quote verbatim in the corpus, every offset matching the words of the text, and table tests
of the computed due moments (Europe/Amsterdam, DST, month ends, provisional anchors, extensions, overdue)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from actions.meldingen.deadlines import (DeadlineError, compute, extend, initial_state, overdue, record_event)
from actions.meldingen.types import Offset, get_type, load_types

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus" / "kerkrade_personeelshandboek.txt"
LINES = CORPUS.read_text(encoding="utf-8").split("\n")
from zoneinfo import ZoneInfo  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def ws(s: str) -> str:
    return re.sub(r"\s+", " ", s)


ALL_DEADLINES = [(t.name, d) for t in load_types().values() for d in t.deadlines]


@pytest.mark.parametrize("tname,d", ALL_DEADLINES, ids=[f"{t}.{d.key}" for t, d in ALL_DEADLINES])
def test_quote_is_verbatim_in_the_cited_lines(tname, d):
    c = d.citation
    assert c.doc == CORPUS.name
    text = ws(" ".join(LINES[c.line_start - 1:c.line_end]))
    assert ws(c.quote) in text, f"{tname}.{d.key}: quote not found at {c.line_start}-{c.line_end}"


# The words of the regeling → the offset in types.yml (the table the reviewers check).
WORDS = {
    ("misstand", "ontvangstbevestiging"): ("binnen zeven dagen", Offset(days=7)),
    ("misstand", "besluit_geen_onderzoek"): ("binnen twee weken", Offset(weeks=2)),
    ("misstand", "standpunt"): ("binnen drie maanden", Offset(months=3)),
    ("agressie", "registratieformulier"): ("binnen 24 uur", Offset(hours=24)),
    ("agressie", "actie_dader"): ("binnen 48 uur", Offset(hours=48)),
    ("agressie", "arbeidsinspectie"): ("binnen 24 na het incident", Offset(hours=24)),
    ("agressie", "oproep_schadegesprek"): ("Binnen drie dagen", Offset(days=3)),
    ("agressie", "nazorg_gesprek_2"): ("1 tot 3 dagen", Offset(days=3)),
    ("agressie", "nazorg_gesprek_3"): ("vier tot zes weken", Offset(weeks=6)),
    ("ongewenst_gedrag", "bericht_niet_in_behandeling"): ("binnen vier weken", Offset(weeks=4)),
    ("ongewenst_gedrag", "verwachte_termijn_advies"): ("binnen acht weken", Offset(weeks=8)),
    ("ongewenst_gedrag", "advies_klachtencommissie"): ("binnen twaalf weken", Offset(weeks=12)),
    ("ongewenst_gedrag", "besluit_werkgever"): ("binnen twee weken", Offset(weeks=2)),
    ("arbeidsongeval", "arbeidsinspectie"): ("binnen 24 uur", Offset(hours=24)),
}


def test_every_deadline_is_in_the_words_table():
    assert {(t, d.key) for t, d in ALL_DEADLINES} == set(WORDS)


@pytest.mark.parametrize("key", list(WORDS), ids=lambda k: ".".join(k))
def test_offset_matches_the_words_of_the_text(key):
    words, offset = WORDS[key]
    d = next(d for d in get_type(key[0]).deadlines if d.key == key[1])
    assert words in d.citation.quote
    assert d.offset == offset


def test_window_starts_match_the_text():
    t = get_type("agressie")
    assert next(d for d in t.deadlines if d.key == "nazorg_gesprek_2").window_start == Offset(days=1)
    assert next(d for d in t.deadlines if d.key == "nazorg_gesprek_3").window_start == Offset(weeks=4)


def test_besluit_werkgever_extendable_once_by_four_weeks():
    d = next(d for d in get_type("ongewenst_gedrag").deadlines if d.key == "besluit_werkgever")
    assert d.extendable and d.extendable.offset == Offset(weeks=4) and d.extendable.max_times == 1
    assert "één keer verlengen met vier weken" in d.citation.quote


def test_onveilige_situatie_has_no_invented_deadline():
    assert get_type("onveilige_situatie").deadlines == ()


# ----------------------------------------------------------------------------------------------- table tests

@dataclass
class Case:
    type: str
    received: datetime
    fields: dict[str, Any]
    expected: dict[str, tuple[datetime, datetime | None, bool]]  # key → (due, window_start, provisional)


AGR = {"soort_incident": ["schelden"], "beschrijving": "x", "plaats": "balie", "letsel": False,
       "schade_persoonlijk": False, "schade_gemeentelijk": False, "aangifte": False}
EOD = (23, 59, 59)

CASES = {
    "misstand calendar days, end of day": Case(
        "misstand", local(2026, 3, 2, 10, 0), {"omschrijving": "x"}, {
            "ontvangstbevestiging": (local(2026, 3, 9, *EOD), None, False),
            "besluit_geen_onderzoek": (local(2026, 3, 16, *EOD), None, False),
            # provisional: three months after the *latest* on-time ontvangstbevestiging
            "standpunt": (local(2026, 6, 9, *EOD), None, True),
        }),
    "agressie with time across the DST change (24 h elapsed)": Case(
        "agressie", local(2026, 3, 29, 12, 0),
        {**AGR, "datum_incident": "2026-03-28", "tijdstip_incident": "22:30"}, {
            "registratieformulier": (local(2026, 3, 29, 23, 30), None, False),
            "actie_dader": (local(2026, 3, 30, 23, 30), None, False),
            "nazorg_gesprek_2": (local(2026, 3, 31, *EOD), local(2026, 3, 29, 0, 0), False),
            "nazorg_gesprek_3": (local(2026, 5, 9, *EOD), local(2026, 4, 25, 0, 0), False),
        }),
    "agressie without time: strict start of the incident day; conditional deadlines": Case(
        "agressie", local(2026, 3, 10, 16, 0),
        {**AGR, "datum_incident": "2026-03-10", "ernstig_letsel": True, "schade_gemeentelijk": True,
         "schade_gemeentelijk_toelichting": "ruit"}, {
            "registratieformulier": (local(2026, 3, 11, 0, 0), None, False),
            "actie_dader": (local(2026, 3, 12, 0, 0), None, False),
            "arbeidsinspectie": (local(2026, 3, 11, 0, 0), None, False),
            "oproep_schadegesprek": (local(2026, 3, 13, *EOD), None, False),
            "nazorg_gesprek_2": (local(2026, 3, 13, *EOD), local(2026, 3, 11, 0, 0), False),
            "nazorg_gesprek_3": (local(2026, 4, 21, *EOD), local(2026, 4, 7, 0, 0), False),
        }),
    "incident time later than the submission is clamped to the submission": Case(
        "agressie", local(2026, 5, 4, 9, 0), {**AGR, "datum_incident": "2026-05-04", "tijdstip_incident": "18:00"}, {
            "registratieformulier": (local(2026, 5, 5, 9, 0), None, False),
            "actie_dader": (local(2026, 5, 6, 9, 0), None, False),
            "nazorg_gesprek_2": (local(2026, 5, 7, *EOD), local(2026, 5, 5, 0, 0), False),
            "nazorg_gesprek_3": (local(2026, 6, 15, *EOD), local(2026, 6, 1, 0, 0), False),
        }),
    "klacht ongewenst gedrag: commission terms provisional from the melding": Case(
        "ongewenst_gedrag", local(2026, 1, 5, 9, 0), {"route": "klacht", "omschrijving": "x"}, {
            "bericht_niet_in_behandeling": (local(2026, 2, 2, *EOD), None, True),
            "verwachte_termijn_advies": (local(2026, 3, 2, *EOD), None, True),
            "advies_klachtencommissie": (local(2026, 3, 30, *EOD), None, True),
            "besluit_werkgever": (local(2026, 4, 13, *EOD), None, True),
        }),
    "melding bij de vertrouwenspersoon: no deadlines in the text": Case(
        "ongewenst_gedrag", local(2026, 1, 5, 9, 0), {"route": "vertrouwenspersoon", "omschrijving": "x"}, {}),
    "arbeidsongeval ernstig: 24 h to the Arbeidsinspectie": Case(
        "arbeidsongeval", local(2026, 7, 1, 12, 0),
        {"datum_ongeval": "2026-07-01", "tijdstip": "08.15", "ernstig_letsel": True}, {
            "arbeidsinspectie": (local(2026, 7, 2, 8, 15), None, False),
        }),
    "arbeidsongeval not serious: no deadline": Case(
        "arbeidsongeval", local(2026, 7, 1, 12, 0), {"datum_ongeval": "2026-07-01", "ernstig_letsel": False}, {}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_due_table(name):
    case = CASES[name]
    t = get_type(case.type)
    got = {d.key: (d.due, d.window_start, d.provisional) for d in compute(t, initial_state(t, case.received,
                                                                                            case.fields))}
    assert got == case.expected


def test_standpunt_reanchors_on_the_ontvangstbevestiging_and_clamps_month_end():
    t = get_type("misstand")
    state = initial_state(t, local(2026, 11, 25, 9, 0), {"omschrijving": "x"})
    state = record_event(t, state, "ontvangstbevestiging", local(2026, 11, 30, 15, 0))
    by_key = {d.key: d for d in compute(t, state)}
    assert by_key["ontvangstbevestiging"].completed_at == local(2026, 11, 30, 15, 0)
    assert by_key["standpunt"].due == local(2027, 2, 28, *EOD)  # 30 november + 3 maanden
    assert not by_key["standpunt"].provisional


def test_klacht_event_reanchors_and_extension_allowed_once():
    t = get_type("ongewenst_gedrag")
    state = initial_state(t, local(2026, 1, 5, 9, 0), {"route": "klacht", "omschrijving": "x"})
    state = record_event(t, state, "klacht_ontvangen_door_commissie", local(2026, 1, 12, 10, 0))
    state = record_event(t, state, "advies_klachtencommissie", local(2026, 3, 20, 10, 0))
    by_key = {d.key: d for d in compute(t, state)}
    assert by_key["advies_klachtencommissie"].due == local(2026, 4, 6, *EOD)
    assert not by_key["advies_klachtencommissie"].provisional
    assert by_key["besluit_werkgever"].due == local(2026, 4, 3, *EOD)
    state = extend(t, state, "besluit_werkgever")
    by_key = {d.key: d for d in compute(t, state)}
    assert by_key["besluit_werkgever"].due == local(2026, 5, 1, *EOD)  # + vier weken
    assert by_key["besluit_werkgever"].extensions == 1
    with pytest.raises(DeadlineError):
        extend(t, state, "besluit_werkgever")
    with pytest.raises(DeadlineError):
        extend(t, state, "advies_klachtencommissie")  # not extendable in the text
    with pytest.raises(DeadlineError):
        record_event(t, state, "iets_anders", local(2026, 1, 1, 0, 0))


@dataclass
class FakeMelding:
    type: str
    status: str
    deadlines: Any


def test_overdue():
    t = get_type("misstand")
    state = initial_state(t, local(2026, 3, 2, 10, 0), {"omschrijving": "x"})
    m = FakeMelding("misstand", "ontvangen", state)
    assert overdue(m, local(2026, 3, 9, 23, 0)) == []
    assert [d.key for d in overdue(m, local(2026, 3, 10, 0, 0))] == ["ontvangstbevestiging"]
    m.deadlines = record_event(t, state, "ontvangstbevestiging", local(2026, 3, 3, 9, 0))
    assert [d.key for d in overdue(m, local(2026, 3, 20, 0, 0))] == ["besluit_geen_onderzoek"]
    m.status = "afgesloten"
    assert overdue(m, local(2027, 1, 1, 0, 0)) == []
    # also works on already computed summaries
    m2 = FakeMelding("misstand", "ontvangen", compute(t, state))
    assert [d.key for d in overdue(m2, local(2026, 3, 10, 0, 0))] == ["ontvangstbevestiging"]


# ------------------------------------------------------------------------------------------ property tests
from datetime import timedelta, timezone  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 1), timezones=st.just(timezone.utc))


@settings(max_examples=200, deadline=None)
@given(received=MOMENTS, tname=st.sampled_from(["misstand", "ongewenst_gedrag"]))
def test_calendar_deadlines_end_at_the_end_of_a_local_day_after_receipt(received, tname):
    t = get_type(tname)
    for d in compute(t, initial_state(t, received, {"omschrijving": "x", "route": "klacht"})):
        assert d.due > received
        loc = d.due.astimezone(AMS)
        assert (loc.hour, loc.minute, loc.second) == (23, 59, 59)


@settings(max_examples=200, deadline=None)
@given(incident=MOMENTS, delay_h=st.integers(min_value=0, max_value=200))
def test_hour_deadlines_are_elapsed_time_from_the_incident(incident, delay_h):
    t = get_type("agressie")
    loc = incident.astimezone(AMS)
    fields = {**AGR, "datum_incident": loc.date().isoformat(), "tijdstip_incident": loc.strftime("%H:%M")}
    by_key = {d.key: d for d in compute(t, initial_state(t, incident + timedelta(hours=delay_h), fields))}
    anchor = incident.replace(second=0, microsecond=0)
    # a local time in the repeated autumn hour is ambiguous (uu:mm has no offset): at most one hour off
    assert abs((by_key["registratieformulier"].due - anchor) - timedelta(hours=24)) <= timedelta(hours=1)
    assert by_key["actie_dader"].due - by_key["registratieformulier"].due == timedelta(hours=24)

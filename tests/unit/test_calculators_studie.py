"""Studiekosten (Kerkrade, Kaag en Braassem), studieverlof (Kerkrade), stagevergoeding (KB, Oldebroek)."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.base import InputError
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(name, inputs, gemeente="Kerkrade"):
    return get(name).compute(gemeente, inputs, TODAY)


@pytest.mark.parametrize("done,leave,expected", [
    ("2025-03-01", "2026-09-01", 1200.0),   # 18 months → 6 missing
    ("2025-03-01", "2026-03-01", 2400.0),   # exactly 12 months → 12/24
    ("2025-01-01", "2026-02-11", 2000.0),   # 13 months 10 days → 10 full months missing
    ("2025-03-01", "2027-03-01", 0.0),      # 24 months → nothing
])
def test_kerkrade_one_twenty_fourth_rule(done, leave, expected):
    r = run("studiekosten", {"vergoeding": 4800, "datum_afronding": done, "datum_vertrek": leave, "reden": "eigen verzoek"})
    assert r.value == expected


def test_kerkrade_within_first_year_gives_no_invented_amount():
    r = run("studiekosten", {"vergoeding": 4800, "volle_maanden_verstreken": 8, "reden": "eigen verzoek"})
    assert r.supported and r.value is None
    assert "persoonlijk ontwikkelplan" in r.summary
    assert any(c.line_start == 2245 for c in r.citations)


def test_kerkrade_parkstad_exemption_and_other_reason():
    r = run("studiekosten", {"vergoeding": 4800, "volle_maanden_verstreken": 18, "reden": "eigen verzoek",
                             "nieuwe_werkgever_parkstad": True})
    assert r.value == 0.0 and "Parkstad" in r.summary
    other = run("studiekosten", {"vergoeding": 4800, "volle_maanden_verstreken": 18, "reden": "reorganisatie"})
    assert other.value == 0.0


def test_kaag_en_braassem_threshold_and_reasons():
    base = {"datum_afronding": "2023-03-01", "datum_vertrek": "2023-11-01"}
    assert run("studiekosten", {**base, "vergoeding": 6000, "reden": "eigen initiatief"}, "Kaag en Braassem").value == 4000.0
    assert run("studiekosten", {**base, "vergoeding": 3000, "reden": "eigen verzoek"}, "Kaag en Braassem").value == 0.0
    assert run("studiekosten", {**base, "vergoeding": 3000.01, "reden": "eigen verzoek"},
               "Kaag en Braassem").value == pytest.approx(2000.01)
    fault = run("studiekosten", {**base, "vergoeding": 6000, "reden": "aan mij te wijten"}, "Kaag en Braassem")
    assert fault.value == 4000.0
    # no one-year minimum in Kaag en Braassem: 2 months after the end → 22/24
    early = run("studiekosten", {"vergoeding": 4800, "volle_maanden_verstreken": 2, "reden": "eigen verzoek"},
                "Kaag en Braassem")
    assert early.value == 4400.0


def test_kaag_en_braassem_has_no_parkstad_question():
    names = [s.name for s in get("studiekosten").inputs_for("Kaag en Braassem")]
    assert "nieuwe_werkgever_parkstad" not in names


def test_studiekosten_needs_dates_or_months():
    with pytest.raises(InputError):
        run("studiekosten", {"vergoeding": 4800, "reden": "eigen verzoek"})


@pytest.mark.parametrize("days,parts,exams,leave", [(25, 6, 0, 49.6), (21, 0, 0, 0.0), (20, 2, 0.8, 0.0),
                                                    (20, 2, 1.6, 0.8)])
def test_studieverlof_152_hours(days, parts, exams, leave):
    r = run("studieverlof", {"hele_dagen": days, "dagdelen": parts, "examenuren": exams})
    assert r.value == pytest.approx(leave)


def test_studieverlof_mandatory_course_fully_compensated():
    r = run("studieverlof", {"hele_dagen": 30, "verplichte_opleiding": True})
    assert r.value == pytest.approx(216.0)


@pytest.mark.parametrize("level,hours,months,expected", [("mbo", 36, 3, 150.0), ("hbo", 36, 5, 250.0),
                                                         ("academisch", 36, 6, 350.0), ("hbo", 24, 5, 166.67),
                                                         ("wo", 40, 2, 350.0), ("hbo", 36, 0.5, 0.0)])
def test_stagevergoeding_kaag_en_braassem(level, hours, months, expected):
    r = run("stagevergoeding", {"niveau": level, "uren_per_week": hours, "duur_maanden": months}, "Kaag en Braassem")
    assert r.value == expected


def test_stagevergoeding_oldebroek_amount_is_in_missing_bijlage():
    r = run("stagevergoeding", {"uren_per_week": 36, "duur_maanden": 4}, "Oldebroek")
    assert r.supported and r.value is None
    assert "bijlage" in r.summary
    assert "150" not in r.summary  # never Kaag en Braassem's amounts
    short = run("stagevergoeding", {"uren_per_week": 36, "duur_maanden": 2}, "Oldebroek")
    assert "Wezep" in short.summary and short.value is None
    assert "niveau" not in [s.name for s in get("stagevergoeding").inputs_for("Oldebroek")]

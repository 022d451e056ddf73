"""Relatiegeschenken (Kerkrade H2 §4.2): € 50 boundary, one gift a year, influence, return route."""

from __future__ import annotations

from datetime import date

import pytest

from actions.calculators.registry import get

TODAY = date(2026, 11, 29)


def run(inputs, gemeente="Kerkrade"):
    return get("relatiegeschenk").compute(gemeente, inputs, TODAY)


@pytest.mark.parametrize("value,allowed", [("50", True), ("50,00", True), ("50.01", False), ("49,99", True),
                                           (0, True), (75, False), ("€ 50,-", True)])
def test_fifty_euro_boundary(value, allowed):
    assert run({"waarde": value}).value is allowed


def test_influence_overrides_value():
    r = run({"waarde": 10, "beinvloeding": True})
    assert r.value is False
    assert "beïnvloeding" in r.summary
    assert "bedankbriefje" in r.summary


def test_second_gift_under_fifty_not_allowed_with_caveat():
    r = run({"waarde": 20, "eerder_geschenk_dit_jaar": True})
    assert r.value is False
    assert "één geschenk per jaar" in r.summary
    assert any("tweede geschenk" in c for c in r.caveats)
    assert any("kalenderjaar" in c for c in r.caveats)


@pytest.mark.parametrize("role,via", [("leidinggevende", "via je directeur"), ("directeur", "via de algemeen directeur"),
                                      ("algemeen directeur", "via de burgemeester"),
                                      ("afdelingshoofd", "via je directeur")])
def test_return_route_by_role(role, via):
    r = run({"waarde": 80, "rol": role})
    assert via in r.summary


def test_employee_reports_to_leidinggevende():
    r = run({"waarde": 80})
    assert "Meld het aan je leidinggevende" in r.summary
    assert {c.line_start for c in r.citations} == {370}


def test_allowed_gift_cites_the_rule():
    r = run({"waarde": 25})
    assert r.value is True
    assert all(c.doc == "kerkrade_personeelshandboek" and c.line_start == 370 for c in r.citations)


@pytest.mark.parametrize("gemeente", ["Oldebroek", "Raalte", "Heemstede", "Kaag en Braassem"])
def test_other_gemeenten_have_no_gift_rule(gemeente):
    r = run({"waarde": 75}, gemeente)
    assert r.supported is False and r.value is None
    assert not r.citations
    assert "€" not in r.summary

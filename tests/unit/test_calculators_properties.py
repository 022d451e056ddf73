"""Property tests: caps are never exceeded, results are monotone and pro rata, boundaries hold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from actions.calculators.datums import add_months, add_years, full_months_between
from actions.calculators.registry import get

TODAY = date(2026, 11, 29)
SETTINGS = settings(max_examples=60, deadline=None)

hours = st.decimals(min_value=1, max_value=60, places=1)
money = st.decimals(min_value=0, max_value=5000, places=2)
dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 11, 29))


def run(name, inputs, gemeente="Kerkrade", today=TODAY):
    return get(name).compute(gemeente, inputs, today)


@SETTINGS
@given(ad=hours, used=st.decimals(min_value=0, max_value=500, places=1), soort=st.sampled_from(["kort", "lang"]))
def test_zorgverlof_never_above_maximum_and_never_negative(ad, used, soort):
    factor = 2 if soort == "kort" else 6
    full = run("zorgverlof", {"soort": soort, "uren_per_week": ad})
    assert Decimal(str(full.value)) == factor * ad
    rest = run("zorgverlof", {"soort": soort, "uren_per_week": ad, "al_opgenomen_uren": used})
    assert 0 <= rest.value <= full.value


@SETTINGS
@given(a=hours, b=hours)
def test_leave_is_monotone_and_pro_rata_in_hours(a, b):
    lo, hi = sorted((a, b))
    for name, extra in [("zorgverlof", {"soort": "kort"}), ("ouderschapsverlof", {}), ("adoptieverlof", {}),
                        ("geboorteverlof", {})]:
        v_lo = run(name, {**extra, "uren_per_week": lo}).value
        v_hi = run(name, {**extra, "uren_per_week": hi}).value
        assert v_lo <= v_hi
        # pro rata: the entitlement per hour of the working week is constant
        assert abs(v_lo / float(lo) - v_hi / float(hi)) < 1e-9


@SETTINGS
@given(l=money, r=money, frame=money, insurer_share=st.floats(min_value=0, max_value=1))
def test_beeldschermbril_caps_never_exceeded(l, r, frame, insurer_share):
    invoice = l + r + frame
    insurer = (invoice * Decimal(str(insurer_share))).quantize(Decimal("0.01"))
    assume(insurer <= invoice)
    res = run("beeldschermbril", {"glas_links": l, "glas_rechts": r, "montuur": frame, "vergoeding_verzekeraar": insurer})
    capped = min(l, 75) + min(r, 75) + min(frame, 75)
    for reading in ("lezing_a", "lezing_b"):
        value = Decimal(str(res.details[reading]))
        assert 0 <= value <= 225
        assert value <= capped
        assert value <= invoice - insurer + Decimal("0.001")
    assert res.details["lezing_b"] <= res.details["lezing_a"]


@SETTINGS
@given(last=st.dates(min_value=date(2020, 1, 1), max_value=TODAY))
def test_beeldschermbril_two_year_window(last):
    res = run("beeldschermbril", {"prijs_per_glas": 60, "montuur": 90, "datum_vorige_vergoeding": last})
    if TODAY < add_years(last, 2):
        assert res.value == 0
    else:
        assert res.value == 195.0


@SETTINGS
@given(cents=st.integers(min_value=0, max_value=20000))
def test_gift_boundary_is_fifty_euro_inclusive(cents):
    value = Decimal(cents) / 100
    res = run("relatiegeschenk", {"waarde": value})
    assert res.value is (value <= 50)


@SETTINGS
@given(pre97=st.booleans(), age=st.integers(min_value=14, max_value=80), years=st.integers(min_value=0, max_value=60),
       ge38=st.booleans(), ad=hours)
def test_vakantieverlof_cap_and_pro_rata(pre97, age, years, ge38, ad):
    inputs = {"in_dienst_voor_1997": pre97, "leeftijd": age, "diensttijd_jaren": years, "salaris_ge_nr38": ge38}
    full = run("vakantieverlof", inputs, "Oldebroek").value
    assert 158.4 <= full <= 201.6
    part = run("vakantieverlof", {**inputs, "uren_per_week": ad}, "Oldebroek").value
    factor = min(float(ad), 40) / 40
    assert abs(part - full * factor) <= 0.01


@SETTINGS
@given(price=money, m1=st.integers(min_value=0, max_value=60), m2=st.integers(min_value=0, max_value=60))
def test_thuiswerk_repayment_bounded_and_non_increasing(price, m1, m2):
    lo, hi = sorted((m1, m2))
    a = run("thuiswerken", {"onderdeel": "terugbetaling", "aankoopbedrag": price, "maanden_na_aanschaf": lo}).value
    b = run("thuiswerken", {"onderdeel": "terugbetaling", "aankoopbedrag": price, "maanden_na_aanschaf": hi}).value
    assert 0 <= b <= a <= float(price)


@SETTINGS
@given(paid=st.decimals(min_value=0, max_value=20000, places=2), m1=st.integers(min_value=12, max_value=40),
       m2=st.integers(min_value=12, max_value=40), gemeente=st.sampled_from(["Kerkrade", "Kaag en Braassem"]))
def test_studiekosten_bounded_and_non_increasing(paid, m1, m2, gemeente):
    lo, hi = sorted((m1, m2))
    base = {"vergoeding": paid, "reden": "eigen verzoek"}
    a = run("studiekosten", {**base, "volle_maanden_verstreken": lo}, gemeente).value
    b = run("studiekosten", {**base, "volle_maanden_verstreken": hi}, gemeente).value
    assert 0 <= b <= a <= float(paid)
    if hi >= 24:
        assert b == 0


@SETTINGS
@given(done=dates, days=st.integers(min_value=0, max_value=1200))
def test_studiekosten_full_months_only(done, days):
    leave = done + timedelta(days=days)
    res = run("studiekosten", {"vergoeding": 4800, "datum_afronding": done, "datum_vertrek": leave,
                               "reden": "eigen verzoek"}, "Kaag en Braassem")
    months, rest = full_months_between(done, leave)
    missing = max(0, 24 - months - (1 if rest else 0)) if months < 24 else 0
    assert res.value == 200 * missing  # € 4.800 / 24 = € 200 per full missing month


@SETTINGS
@given(level=st.sampled_from(["mbo", "hbo", "wo"]), a=hours, b=hours)
def test_stagevergoeding_pro_rata_and_capped(level, a, b):
    cap = {"mbo": 150, "hbo": 250, "wo": 350}[level]
    lo, hi = sorted((a, b))
    v_lo = run("stagevergoeding", {"niveau": level, "uren_per_week": lo, "duur_maanden": 3}, "Kaag en Braassem").value
    v_hi = run("stagevergoeding", {"niveau": level, "uren_per_week": hi, "duur_maanden": 3}, "Kaag en Braassem").value
    assert 0 < v_lo <= v_hi <= cap


@SETTINGS
@given(c1=money, c2=money)
def test_telephone_monotone_and_capped(c1, c2):
    lo, hi = sorted((c1, c2))
    a = run("telefoonvergoeding", {"werkelijke_kosten": lo}, "Oldebroek").value
    b = run("telefoonvergoeding", {"werkelijke_kosten": hi}, "Oldebroek").value
    assert a <= b <= 45


@SETTINGS
@given(k1=st.integers(min_value=0, max_value=60000), k2=st.integers(min_value=0, max_value=60000),
       vehicle=st.sampled_from(["motor of scooter", "rijwiel met hulpmotor", "fiets"]))
def test_dienstreis_stepwise_is_monotone(k1, k2, vehicle):
    lo, hi = sorted((k1, k2))
    a = run("reiskosten", {"soort": "dienstreis", "voertuig": vehicle, "km_per_jaar": lo}, "Oldebroek").value
    b = run("reiskosten", {"soort": "dienstreis", "voertuig": vehicle, "km_per_jaar": hi}, "Oldebroek").value
    assert 0 <= a <= b


@SETTINGS
@given(salary=st.decimals(min_value=1000, max_value=9000, places=2), ad=st.decimals(min_value=1, max_value=36, places=0))
def test_hourly_wage_is_independent_of_part_time(salary, ad):
    full = run("salaris_per_uur", {"maandsalaris": salary}).value
    part = run("salaris_per_uur", {"maandsalaris": salary * ad / 36, "uren_per_week": ad}).value
    assert abs(full - part) <= 0.01


@SETTINGS
@given(start=dates, n=st.integers(min_value=-40, max_value=40))
def test_add_months_stays_in_month_and_clamps(start, n):
    d = add_months(start, n)
    assert (d.year * 12 + d.month) - (start.year * 12 + start.month) == n
    assert d.day <= start.day


@SETTINGS
@given(start=dates, gemeente_termijn=st.sampled_from([("Kerkrade", "misstand_standpunt"), ("Oldebroek", "bezwaar_beoordeling"),
                                                       ("Raalte", "interne_vacature"), ("Kaag en Braassem", "beoordelingsgesprek")]))
def test_deadlines_after_the_start(start, gemeente_termijn):
    gemeente, termijn = gemeente_termijn
    res = run("termijnen", {"termijn": termijn, "startdatum": start}, gemeente)
    assert date.fromisoformat(res.value) >= start

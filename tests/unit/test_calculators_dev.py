"""Table tests from the `calc` questions in eval/dev.jsonl.

The dev set is for measuring, so nothing here is special-cased in the calculators: this
file only maps each question's stated inputs onto the calculator's input names and
checks the calculator reproduces the expected result (and, where the dev entry lists
``result_alternatives`` for an ambiguous text, that the alternative is reported too).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from actions.calculators.registry import get

DEV = Path(__file__).resolve().parents[2] / "eval" / "dev.jsonl"
TODAY = date(2026, 11, 29)
MAANDEN = {m: i for i, m in enumerate(["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                        "september", "oktober", "november", "december"], start=1)}


def _dev() -> dict[str, dict]:
    items = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {d["id"]: d for d in items if d["type"] == "calc"}


def euros(text: str) -> list[float]:
    """All euro amounts in a Dutch text: '€ 4.104' → 4104.0, '€ 112,50' → 112.5."""
    out = []
    for m in re.finditer(r"€\s?(\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?)", text):
        out.append(float(m.group(1).replace(".", "").replace(",", ".")))
    return out


def dutch_dates(text: str) -> list[date]:
    return [date(int(y), MAANDEN[mo], int(d)) for d, mo, y in re.findall(r"(\d{1,2}) (\w+) (\d{4})", text)
            if mo in MAANDEN]


def hours(text: str) -> list[float]:
    return [float(h.replace(",", ".")) for h in re.findall(r"(\d+(?:,\d+)?) ?(?:uur|hours)", text)]


# id -> (calculator, gemeente override or None, function from dev inputs to calculator inputs)
MAPPING = {
    "q003": ("relatiegeschenk", lambda i: {"waarde": i["waarde_geschenk_eur"]}),
    "q025": ("termijnen", lambda i: {"termijn": "geschillen_toelichting_werkgever",
                                     "startdatum": i["datum_toezending_volledig_verzoek"]}),
    "q028": ("termijnen", lambda i: {"termijn": "agressie_nazorg", "startdatum": i["datum_incident"]}),
    "q043": ("gratificatie", lambda i: {"soort": "groep", "groepsgrootte": i["groepsgrootte"]}),
    "q046": ("ontslaguitkering", lambda i: {"dienstjaren_kerkrade": i["dienstjaren_kerkrade"],
                                            "reden": "volledig pensioen"}),
    "q051": ("promotie", lambda i: {"huidig_salaris": i["oud_max_eur"], "naast_lager_bedrag": i["oud_naast_lager_eur"]}),
    "q052": ("periodiek", lambda i: {"maximum_bereikt": True, "datum": i["datum_maximum_bereikt"],
                                     "beoordeling": i["beoordeling"]}),
    "q061": ("thuiswerken", lambda i: {"onderdeel": "terugbetaling", "maanden_na_aanschaf": i["maanden_na_aanschaf"],
                                       "aankoopbedrag": i["aankoopbedrag_eur"]}),
    "q064": ("zorgverlof", lambda i: {"soort": "kort", "uren_per_week": i["uren_per_week"]}),
    "q065": ("zorgverlof", lambda i: {"soort": "lang", "uren_per_week": i["uren_per_week"]}),
    "q066": ("ouderschapsverlof", lambda i: {"uren_per_week": i["uren_per_week"]}),
    "q068": ("zwangerschapsverlof", lambda i: {"vermoedelijke_datum": i["vermoedelijke_datum"],
                                               "start_zwangerschapsverlof": i["start_zwangerschapsverlof"],
                                               "bevallingsdatum": i["bevallingsdatum"], "meerling": i["meerling"]}),
    "q075": ("beeldschermbril", lambda i: {"glas_links": i["glas1_eur"], "glas_rechts": i["glas2_eur"],
                                           "montuur": i["montuur_eur"],
                                           "vergoeding_verzekeraar": i["vergoeding_zorgverzekeraar_eur"]}),
    "q090": ("jubileum", lambda i: {"dienstjaren": i["jaren"], "uitsluitend_kerkrade": i["uitsluitend_kerkrade"],
                                    "onderbreking_langer_dan_6_maanden": i["onderbreking_langer_dan_6_maanden"],
                                    "maandsalaris": i["salaris_maand"], "salaristoelagen": i["salaristoelagen"]}),
    "q099": ("studiekosten", lambda i: {"vergoeding": i["vergoeding"], "datum_afronding": i["datum_afronding"],
                                        "datum_vertrek": i["datum_ontslag"],
                                        "reden": "eigen verzoek" if i["eigen_verzoek"] else "andere reden",
                                        "nieuwe_werkgever_parkstad": i["nieuwe_werkgever_parkstad_gemeente"]}),
    "q100": ("studiekosten", lambda i: {"vergoeding": i["vergoeding"],
                                        "volle_maanden_verstreken": i["volle_maanden_na_afronding"],
                                        "reden": "eigen verzoek" if i["eigen_verzoek"] else "andere reden"}),
    "q147": ("functieschaal", lambda i: dict(i)),
    "q148": ("functieschaal", lambda i: {"totaalscore": i["totaalscore"]}),
    "q169": ("periodiek", lambda i: {"score_prestatie": i["score_prestatie"], "score_potentieel": i["score_potentieel"],
                                     "score_kernwaarden": i["score_kernwaarden"],
                                     "maximum_bereikt": i["maximum_schaal_bereikt"]}),
    "q173": ("studiekosten", lambda i: {"vergoeding": i["kosten_opleiding_eur"], "datum_afronding": i["einddatum_opleiding"],
                                        "datum_vertrek": i["datum_vertrek"], "reden": i["reden"]}),
    # a duration question without a date: the termijn needs some start date to show the end dates
    "q177": ("termijnen", lambda i: {"termijn": "werkervaringsplek", "startdatum": "2025-01-01"}),
    "q189": ("termijnen", lambda i: {"termijn": "interne_vacature", "startdatum": i["publicatiedatum"],
                                     "feestdagen": i["feestdagen_in_periode"]}),
    "q203": ("vakantieverlof", lambda i: {"in_dienst_voor_1997": i["in_dienst_voor_1997"],
                                          "leeftijd": i["leeftijd_in_kalenderjaar"], "diensttijd_jaren": i["diensttijd_jaren"],
                                          "salaris_ge_nr38": i["salaris_ge_nr38"], "uren_per_week": i["uren_per_week"]}),
    # "zelfde situatie maar 32 uur": the situation of q203 with 32 of 40 hours
    "q204": ("vakantieverlof", lambda i: {"in_dienst_voor_1997": True, "leeftijd": 52, "diensttijd_jaren": 30,
                                          "salaris_ge_nr38": True, "uren_per_week": i["uren_per_week"]}),
    "q205": ("vakantieverlof", lambda i: {"in_dienst_voor_1997": i["in_dienst_voor_1997"],
                                          "leeftijd": i["leeftijd_in_kalenderjaar"], "diensttijd_jaren": i["diensttijd_jaren"],
                                          "salaris_ge_nr38": i["salaris_ge_nr38"], "uren_per_week": i["uren_per_week"]}),
    "q215": ("reiskosten", lambda i: {"soort": "dienstreis", "voertuig": i["voertuig"], "km_per_jaar": i["km_per_kalenderjaar"]}),
    "q216": ("reiskosten", lambda i: {"soort": "dienstreis", "voertuig": i["voertuig"], "km_per_jaar": i["km_per_kalenderjaar"]}),
    "q219": ("verlof_kopen_verkopen", lambda i: {"richting": "kopen", "uren_per_week": i["uren_per_week"]}),
    "q221": ("reiskosten", lambda i: {"soort": "woon-werk", "enkele_afstand_km": i["enkele_afstand_km"],
                                      "dagen_per_week": i["dagen_per_week"]}),
    "q227": ("termijnen", lambda i: {"termijn": "beoordelingsgesprek_proef", "startdatum": i["datum_aanstelling"]}),
}


def _run(qid: str):
    dev = _dev()[qid]
    calc_name, to_inputs = MAPPING[qid]
    return dev, get(calc_name).compute(dev["gemeente"], to_inputs(dev["inputs"]), TODAY)


def test_every_dev_calc_question_is_mapped():
    assert set(_dev()) == set(MAPPING), "map new calc questions of dev.jsonl onto a calculator here"


@pytest.mark.parametrize("qid", sorted(MAPPING))
def test_dev_question_is_supported_and_cited_in_the_expected_passage(qid):
    dev, result = _run(qid)
    assert result.supported, result.summary
    assert result.gemeente == dev["gemeente"]
    spans = [dev["lines"]] + dev.get("also_lines", [])
    hit = any(c.doc == dev["doc"] and c.line_start <= hi and c.line_end >= lo
              for c in result.citations for lo, hi in spans)
    assert hit, f"no citation overlaps {spans}: {[(c.line_start, c.line_end) for c in result.citations]}"


# --- expected results, read from each dev entry's `result` ------------------------------------------------

@pytest.mark.parametrize("qid", ["q043", "q051", "q061", "q075", "q090", "q099", "q100", "q173", "q215", "q216", "q221"])
def test_euro_results(qid):
    dev, result = _run(qid)
    expected = euros(dev["result"])
    assert expected, dev["result"]
    target = expected[-1] if qid == "q043" else expected[0]  # q043: '… = max € 960 in totaal'
    assert result.value == pytest.approx(target)
    for alt in dev.get("result_alternatives", []):
        alt_amount = euros(alt)[0]
        assert alt_amount in result.details.values(), (alt, result.details)
        assert any(f"{alt_amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in c
                   for c in result.caveats + [result.summary])


@pytest.mark.parametrize("qid", ["q064", "q065", "q066", "q203", "q204", "q205", "q219"])
def test_hour_results(qid):
    dev, result = _run(qid)
    assert result.value == pytest.approx(hours(dev["result"])[0])


def test_q064_split_employer_employee():
    _, result = _run("q064")
    assert result.details["werkgever"] == 36.0


def test_q066_paid_part():
    _, result = _run("q066")
    assert result.details["betaald"] == 468.0 and result.details["onbetaald"] == 468.0


@pytest.mark.parametrize("qid", ["q025", "q052", "q189"])
def test_date_results(qid):
    dev, result = _run(qid)
    assert result.value == dutch_dates(dev["result"])[0].isoformat()
    for alt in dev.get("result_alternatives", []):
        alt_date = dutch_dates(alt)[0].isoformat()
        assert alt_date in json.dumps(result.details)


def test_q028_windows():
    dev, result = _run("q028")
    moments = result.details["momenten"]
    assert (moments[0]["van"], moments[0]["tot"]) == ("2025-03-11", "2025-03-13")
    assert (moments[1]["van"], moments[1]["tot"]) == ("2025-04-07", "2025-04-21")


def test_q068_bevallingsverlof():
    dev, result = _run("q068")
    assert result.value == 77
    assert result.details["bevallingsverlof_van"] == "2025-05-26"
    assert result.details["bevallingsverlof_tot"] == dutch_dates(dev["result"])[-1].isoformat()
    assert "11 weken" in result.summary


def test_q003_report_and_return():
    _, result = _run("q003")
    assert result.value is False
    for word in ("leidinggevende", "bedankbriefje", "terug"):
        assert word in result.summary


def test_q046_no():
    _, result = _run("q046")
    assert result.value == 0.0 and result.summary.startswith("Nee")


@pytest.mark.parametrize("qid,schaal", [("q147", "9"), ("q148", "10A")])
def test_conversietabel(qid, schaal):
    dev, result = _run(qid)
    assert result.value == schaal
    assert f"schaal {schaal}" in dev["result"]


def test_q169_no_standard_periodiek():
    _, result = _run("q169")
    assert result.value is False
    assert "gemeentesecretaris" in result.summary


def test_q177_werkervaringsplek():
    _, result = _run("q177")
    ends = [m["datum"] for m in result.details["momenten"]]
    assert ends == ["2025-06-30", "2025-12-31"]  # 6 months, and 12 months after the one extension


def test_q227_quarterly_after_eleven_months():
    _, result = _run("q227")
    dates = [m["datum"] for m in result.details["momenten"]]
    assert dates[:3] == ["2026-01-01", "2026-04-01", "2026-07-01"]

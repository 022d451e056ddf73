"""types.yml: structure, line spans and form labels checked against the corpus; field validation."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from actions.meldingen.types import ValidationError, get_type, load_types, validate_fields, validate_identity

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus" / "kerkrade_personeelshandboek.txt"
LINES = CORPUS.read_text(encoding="utf-8").split("\n")
TODAY = date(2026, 11, 23)


def span(a: int, b: int) -> str:
    return "\n".join(LINES[a - 1:b])


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


EXPECTED = {
    "misstand": "integriteitscoordinator",
    "agressie": "arbo",
    "ongewenst_gedrag": "vertrouwenspersoon",
    "arbeidsongeval": "arbo",
    "onveilige_situatie": "arbo",
}


def all_field_specs():
    for t in load_types().values():
        for f in t.fields + t.identity.fields:
            yield t.name, f


def test_five_types_with_their_handler_roles():
    types = load_types()
    assert {n: t.handler_role for n, t in types.items()} == EXPECTED


@pytest.mark.parametrize("tname,spec", list(all_field_specs()), ids=lambda x: getattr(x, "name", x))
def test_field_source_lines_exist_and_form_labels_are_verbatim(tname, spec):
    a, b = spec.source
    assert 1 <= a <= b <= len(LINES), f"{tname}.{spec.name}: span {a}-{b} outside the corpus"
    if spec.form_label:
        assert norm(spec.form_label) in norm(span(a, b)), f"{tname}.{spec.name}: form_label not at {a}-{b}"


@pytest.mark.parametrize("tname", list(EXPECTED))
def test_choice_labels_of_forms_appear_in_the_cited_lines(tname):
    t = get_type(tname)
    for f in t.fields:
        if f.form_label and f.kind in ("choice", "multichoice"):
            text = norm(span(*f.source))
            for c in f.choices:
                assert norm(c.label) in text, f"{tname}.{f.name}: choice {c.label!r} not in {f.source}"


def test_other_line_spans_exist():
    for t in load_types().values():
        for a, b in filter(None, [t.handler_source, t.identity.source, t.retention.related]):
            assert 1 <= a <= b <= len(LINES), t.name


def test_retention_is_documented_per_type():
    for t in load_types().values():
        assert t.retention.days_after_close > 0
        assert t.retention.source in ("regeling", "default")
        assert t.retention.note, t.name  # why this period


def test_bijlage_12_and_13_forms_are_covered():
    labels = {norm(f.form_label) for _, f in all_field_specs() if f.form_label}
    for needle in ["datum ongeval", "plaats ongeval", "werkt betrokkene door?", "artsbezoek nodig?",
                   "naam rapporteur:", "welke maatregelen zijn al genomen?", "soort incident:"]:
        assert needle in labels


# ------------------------------------------------------------------------------------------------ validation

AGRESSIE = {
    "datum_incident": "2026-11-20", "soort_incident": ["schelden"], "beschrijving": "x", "plaats": "balie",
    "letsel": False, "schade_persoonlijk": False, "schade_gemeentelijk": False, "aangifte": False,
}


def test_valid_agressie_is_normalised():
    out = validate_fields(get_type("agressie"), {**AGRESSIE, "datum_incident": date(2026, 11, 20)}, today=TODAY)
    assert out["datum_incident"] == "2026-11-20"
    assert out["soort_incident"] == ["schelden"]


def test_missing_unknown_and_invalid_fields_are_reported_without_values():
    secret = "GEHEIM-WAARDE-123"
    bad = {**AGRESSIE, "plaats": secret, "onzin": secret}
    del bad["beschrijving"]
    with pytest.raises(ValidationError) as exc:
        validate_fields(get_type("agressie"), bad, today=TODAY)
    assert set(exc.value.errors) == {"plaats", "onzin", "beschrijving"}
    assert secret not in str(exc.value)


def test_required_if_and_pattern_and_not_future():
    t = get_type("agressie")
    with pytest.raises(ValidationError) as exc:
        validate_fields(t, {**AGRESSIE, "soort_incident": ["anders"], "letsel": True}, today=TODAY)
    assert set(exc.value.errors) == {"soort_incident_anders", "letsel_toelichting"}
    with pytest.raises(ValidationError) as exc:
        validate_fields(t, {**AGRESSIE, "tijdstip_incident": "25:00", "datum_incident": "2026-12-01"}, today=TODAY)
    assert set(exc.value.errors) == {"tijdstip_incident", "datum_incident"}


def test_bool_must_be_bool_and_multichoice_must_be_a_list():
    t = get_type("agressie")
    with pytest.raises(ValidationError) as exc:
        validate_fields(t, {**AGRESSIE, "letsel": "nee", "soort_incident": "schelden"}, today=TODAY)
    assert set(exc.value.errors) == {"letsel", "soort_incident"}


def test_identity_required_if_depends_on_content_route():
    t = get_type("ongewenst_gedrag")
    content = validate_fields(t, {"route": "klacht", "omschrijving": "x"}, today=TODAY)
    assert t.identity.is_required(content)
    with pytest.raises(ValidationError) as exc:
        validate_identity(t, {"naam": "A"}, content, today=TODAY)
    assert set(exc.value.errors) == {"adres"}
    melding = validate_fields(t, {"route": "vertrouwenspersoon", "omschrijving": "x"}, today=TODAY)
    assert not t.identity.is_required(melding)


def test_event_names_include_deadlines_and_declared_events():
    t = get_type("ongewenst_gedrag")
    assert "klacht_ontvangen_door_commissie" in t.event_names()
    assert "advies_klachtencommissie" in t.event_names()

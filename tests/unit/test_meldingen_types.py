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
                   "naam rapporteur:", "welke maatregelen zijn al genomen?", "soort incident:",
                   "naam en handtekening leidinggevende"]:
        assert needle in labels


def test_every_bijlage_12_label_is_a_field_or_deliberately_left_out():
    """Bijlage 12 (l. 6196-6312) prints one label per line, followed by dotted lines to fill in."""
    labels = {norm(f.form_label).rstrip(":,") for f in get_type("arbeidsongeval").fields
              + get_type("arbeidsongeval").identity.fields if f.form_label}
    not_asked = {"kerkrade, d.d.", "handtekening getroffene"}  # signing date = receipt; the bot cannot sign
    printed, current = [], []
    for line in LINES[6198 - 1:6312] + [""]:  # a label may run over two lines; blanks and dots end it
        if line.strip() and not set(line.strip()) <= {"."}:
            current.append(line)
        elif current:
            printed.append(norm(" ".join(current)).rstrip(":,"))
            current = []
    assert len(printed) == 22, printed
    for label in printed:
        assert label in labels or label in not_asked, label


# ----------------------------------------------------------------------- fields added after the review

def _field(tname: str, name: str):
    t = get_type(tname)
    return next(f for f in t.fields + t.identity.fields if f.name == name)


def test_misstand_ontvanger_is_one_of_the_functionarissen_of_art_3_lid_3():
    f = _field("misstand", "ontvanger")
    assert f.kind == "choice" and f.source == (430, 433)
    text = norm(span(*f.source))
    assert "melding doen bij de volgende functionarissen" in text
    for value, needle in {"integriteitscoordinator": "de integriteitscoördinator",
                          "vertrouwenspersoon": "de vertrouwenspersoon",
                          "leidinggevende": "hiërarchisch een hogere positie"}.items():
        assert value in f.choice_values() and needle in text
    assert "ontvanger" in [x.name for x in get_type("misstand").fields]  # content, not identity


def test_misstand_consent_to_disclose_identity_lives_with_the_identity():
    t = get_type("misstand")
    f = _field("misstand", "toestemming_bekendmaking")
    assert f in t.identity.fields and f not in t.fields  # only relevant (and only stored) when identity is given
    assert f.kind == "bool" and not f.required  # no answer = no consent (art. 9 lid 3-4)
    assert "zonder uitdrukkelijke schriftelijke toestemming van de melder" in span(*f.source)
    assert "geen toestemming heeft gegeven zijn identiteit bekend te maken" in span(*f.source)
    content = validate_fields(t, {"omschrijving": "x"}, today=TODAY)
    assert validate_identity(t, {"naam": "A", "toestemming_bekendmaking": False}, content,
                             today=TODAY) == {"naam": "A", "toestemming_bekendmaking": False}
    assert validate_identity(t, {"naam": "A"}, content, today=TODAY) == {"naam": "A"}
    with pytest.raises(ValidationError) as exc:
        validate_identity(t, {"naam": "A", "toestemming_bekendmaking": "ja"}, content, today=TODAY)
    assert set(exc.value.errors) == {"toestemming_bekendmaking"}


# kanaal value -> a text of H8 that names that situation, inside the field's line span
KANAAL_IN_H8 = {
    "balie": "Baliecontact: acties/maatregelen", "spreekkamer": "Spreekkamercontact: acties/maatregelen",
    "telefoon": "Telefonische agressie", "schriftelijk": "Schriftelijke agressie in de vorm van post of mail",
    "huisbezoek": "Op huis of bedrijfsbezoek", "buitendienst": "Tijdens werkzaamheden in buitendienst",
    "prive": "Privé-situaties",
}


def test_agressie_kanaal_uses_the_situations_of_the_protocol():
    f = _field("agressie", "kanaal")
    text = span(*f.source)
    assert "de meest voorkomende vormen van agressie en geweld" in text
    assert set(f.choice_values()) == set(KANAAL_IN_H8) | {"anders"}
    for value, needle in KANAAL_IN_H8.items():
        assert needle in text, value
    assert "sociale media" not in norm(" ".join(c.label for c in f.choices))  # not a category of the regeling


def test_agressie_herhaling_is_the_1e_2e_keer_of_the_measures_tables():
    f = _field("agressie", "herhaling")
    text = span(*f.source)
    assert f.choice_values() == ("eerste", "herhaling")
    assert text.count("(1e keer)") + text.count("(1 ^e keer)") >= 6
    assert text.count("(2e keer)") + text.count("(2 ^e keer)") >= 6


def test_agressie_plaats_is_required_only_where_there_is_a_place():
    t = get_type("agressie")
    base = {k: v for k, v in AGRESSIE.items() if k != "plaats"}
    with pytest.raises(ValidationError) as exc:
        validate_fields(t, {**base, "kanaal": "balie"}, today=TODAY)
    assert set(exc.value.errors) == {"plaats"}
    with pytest.raises(ValidationError) as exc:  # huisbezoek: "elders, namelijk" ...
        validate_fields(t, {**base, "kanaal": "huisbezoek", "plaats": "elders"}, today=TODAY)
    assert set(exc.value.errors) == {"plaats_elders"}
    out = validate_fields(t, {**base, "kanaal": "telefoon", "herhaling": "herhaling"}, today=TODAY)
    assert out["kanaal"] == "telefoon" and out["herhaling"] == "herhaling" and "plaats" not in out
    with pytest.raises(ValidationError) as exc:
        validate_fields(t, {**AGRESSIE, "kanaal": "sociale_media", "herhaling": "3e keer"}, today=TODAY)
    assert set(exc.value.errors) == {"kanaal", "herhaling"}


def test_condition_in_and_conditions_on_unknown_choices_are_rejected(tmp_path):
    from actions.meldingen.types import Condition, TypesError

    c = Condition.parse({"field": "k", "in": ["a", "b"]})
    assert c.holds({"k": "a"}) and not c.holds({"k": "c"}) and not c.holds({}) and not c.holds({"k": ["a"]})
    with pytest.raises(TypesError):
        Condition.parse({"field": "k", "in": "a"})
    raw = (Path(__file__).resolve().parents[2] / "actions" / "meldingen" / "types.yml").read_text(encoding="utf-8")
    bad = raw.replace("in: [balie, spreekkamer, huisbezoek", "in: [balie, kantine, huisbezoek", 1)
    assert bad != raw
    (tmp_path / "types.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(TypesError, match="kantine"):
        load_types(tmp_path / "types.yml")


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

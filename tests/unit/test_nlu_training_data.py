"""Reading Rasa 3.x NLU YAML: annotations, synonyms, lookups, several files, bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlu.training_data import data_hash, load_nlu, parse_annotated

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu.yml"
PARAPHRASES = ROOT / "data" / "nlu_paraphrases.yml"

REQUIRED_INTENTS = {
    "greet", "goodbye", "thanks", "help", "affirm", "deny", "cancel", "inform", "ask_policy",
    "calc_zorgverlof", "calc_beeldschermbril", "calc_relatiegeschenk", "calc_ouderschapsverlof",
    "calc_geboorteverlof", "calc_adoptieverlof", "calc_thuiswerken", "calc_salaris_per_uur",
    "calc_salaris_deel_maand", "calc_gratificatie", "calc_jubileum", "calc_studiekosten",
    "calc_studieverlof", "calc_generatiepact", "calc_vakantieverlof", "calc_reiskosten",
    "calc_termijnen", "calc_ontslaguitkering", "calc_zwangerschapsverlof", "calc_verlof_kopen_verkopen",
    "calc_telefoonvergoeding", "calc_stagevergoeding", "calc_functieschaal", "calc_promotie", "calc_periodiek",
    "melding_misstand", "melding_agressie",
    "melding_ongewenst_gedrag", "melding_arbeidsongeval", "melding_onveilige_situatie",
    "melding_status", "talk_to_human", "bot_challenge", "out_of_scope", "is_anoniem",
}


def test_parse_round_brackets() -> None:
    text, ents = parse_annotated("ik werk [32 uur](hours) in [Kerkrade](gemeente)")
    assert text == "ik werk 32 uur in Kerkrade"
    assert ents == [
        {"start": 8, "end": 14, "value": "32 uur", "entity": "hours"},
        {"start": 18, "end": 26, "value": "Kerkrade", "entity": "gemeente"},
    ]


def test_parse_json_annotation_with_value_and_role() -> None:
    text, ents = parse_annotated('[kortdurend]{"entity": "soort_zorgverlof", "value": "kort", "role": "x"} graag')
    assert text == "kortdurend graag"
    assert ents[0]["entity"] == "soort_zorgverlof" and ents[0]["value"] == "kort" and ents[0]["role"] == "x"
    assert text[ents[0]["start"] : ents[0]["end"]] == "kortdurend"


def test_parse_short_synonym_syntax() -> None:
    text, ents = parse_annotated("mijn [schoonmoeder](relation:schoonouder)")
    assert text == "mijn schoonmoeder"
    assert ents[0]["value"] == "schoonouder"


def test_malformed_json_annotation_is_kept_as_text() -> None:
    text, ents = parse_annotated('[x]{"entity": } rest')
    assert ents == []
    assert text.startswith("[x]")


def test_plain_brackets_are_not_annotations() -> None:
    text, ents = parse_annotated("lijst [a, b] en (c)")
    assert text == "lijst [a, b] en (c)" and ents == []


def test_load_file_features(tmp_path: Path) -> None:
    f = tmp_path / "a.yml"
    f.write_text(
        """version: "3.1"
# comment
nlu:
- intent: inform
  examples: |
    - [32 uur](hours)
    # a comment line inside the block
    - [kortdurend]{"entity": "soort_zorgverlof", "value": "kort"}
    no dash here
- intent: greet
  examples:
    - hoi
    - text: hallo
      metadata: {a: 1}
- synonym: Kerkrade
  examples: |
    - Kerkraad
- lookup: gemeente
  examples: |
    - Kerkrade
- regex: code
  examples: |
    - RW-[A-Z0-9]{4}
""",
        encoding="utf-8",
    )
    td = load_nlu([f])
    assert [(e.text, e.intent) for e in td.examples] == [("32 uur", "inform"), ("kortdurend", "inform"), ("hoi", "greet"), ("hallo", "greet")]
    assert td.synonyms == {"kortdurend": "kort", "kerkraad": "Kerkrade"}
    assert td.lookups == {"gemeente": ["Kerkrade"]}
    assert td.regexes == {"code": ["RW-[A-Z0-9]{4}"]}
    assert td.counts() == {"greet": 2, "inform": 2}


def test_multiple_files_merge_and_directory(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hoi\n- lookup: g\n  examples: |\n    - A\n', encoding="utf-8")
    (tmp_path / "b.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n- lookup: g\n  examples: |\n    - A\n    - B\n', encoding="utf-8")
    td = load_nlu([tmp_path])
    assert sorted(e.text for e in td.examples) == ["hallo", "hoi"]
    assert td.lookups["g"] == ["A", "B"]


def test_empty_file_and_bad_top_level(tmp_path: Path) -> None:
    (tmp_path / "empty.yml").write_text("", encoding="utf-8")
    assert load_nlu([tmp_path / "empty.yml"]).examples == []
    (tmp_path / "bad.yml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_nlu([tmp_path / "bad.yml"])


def test_data_hash_changes_with_content(tmp_path: Path) -> None:
    f = tmp_path / "a.yml"
    f.write_text("nlu: []\n", encoding="utf-8")
    h1 = data_hash([f])
    f.write_text("nlu: []\n# x\n", encoding="utf-8")
    assert data_hash([f]) != h1


def test_project_training_data_is_complete() -> None:
    td = load_nlu([NLU])
    counts = td.counts()
    assert REQUIRED_INTENTS <= set(counts), REQUIRED_INTENTS - set(counts)
    assert all(n >= 25 for n in counts.values()), {k: v for k, v in counts.items() if v < 25}
    assert counts["ask_policy"] >= 120 and counts["inform"] >= 60
    for name in ("gemeente", "relation", "verlof_type"):
        assert td.lookups.get(name), name
    assert {"Kerkrade", "Oldebroek", "Raalte", "Heemstede", "Kaag en Braassem"} <= set(td.lookups["gemeente"])
    assert td.synonyms["kortdurend"] == "kort"
    assert td.synonyms["schoonmoeder"] == "schoonouder"
    # Annotated spans must be consistent with the stripped text.
    for ex in td.examples:
        for ent in ex.entities:
            assert 0 <= ent["start"] < ent["end"] <= len(ex.text)
            assert "[" not in ex.text[ent["start"] : ent["end"]]


def test_paraphrases_are_held_out() -> None:
    train = {e.text.strip().lower() for e in load_nlu([NLU]).examples}
    para = load_nlu([PARAPHRASES])
    counts = para.counts()
    assert REQUIRED_INTENTS <= set(counts)
    assert all(n >= 8 for n in counts.values())
    leaked = [e.text for e in para.examples if e.text.strip().lower() in train]
    assert not leaked, leaked

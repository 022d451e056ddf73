"""The per-gemeente parameter files: schema, citations and quotes against the corpus text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.calculators import params as P
from actions.calculators.registry import CALCULATORS

SLUGS = {"kerkrade", "oldebroek", "raalte", "heemstede", "kaag-en-braassem"}


def test_every_gemeente_has_a_parameter_file():
    files = {p.stem for p in P.PARAMETER_DIR.glob("*.yml")}
    assert files == SLUGS
    loaded = P.load()
    assert set(loaded.gemeenten) == SLUGS


def test_each_file_matches_the_manifest():
    docs = P.manifest()
    for info in P.load().gemeenten.values():
        assert docs[info.doc]["gemeente"] == info.name
        assert info.title == docs[info.doc]["title"]
        assert info.contact.strip()


@pytest.mark.parametrize("slug,calc,param", [(s, c, p) for s, c, p in P.all_params()],
                         ids=lambda x: x if isinstance(x, str) else getattr(x, "key", ""))
def test_parameter_has_value_unit_section_and_citation(slug, calc, param):
    assert isinstance(param.unit, str)
    assert param.section.strip()
    c = param.citation
    assert c.doc in P.manifest()
    assert 1 <= c.line_start <= c.line_end
    assert c.quote.strip()
    # the citation belongs to this gemeente's own regeling: never another gemeente's figure
    assert c.gemeente == P.load().gemeenten[slug].name
    if param.value is None:
        assert param.note, "a figure the text leaves out needs a note saying where it is instead"


def test_every_quote_is_verbatim_within_its_cited_lines():
    assert P.check_quotes() == []


def test_quote_check_catches_a_wrong_line_or_text():
    doc = "kerkrade_personeelshandboek"
    assert P.quote_in_lines(doc, 1999, 1999, "tweemaal de arbeidsduur per week")
    assert P.quote_in_lines(doc, 1999, 1999, "tweemaal   de\narbeidsduur per week")  # whitespace-normalised
    assert not P.quote_in_lines(doc, 2005, 2005, "tweemaal de arbeidsduur per week")
    assert not P.quote_in_lines(doc, 1999, 1999, "driemaal de arbeidsduur per week")


def test_row_quotes_are_checked_too():
    rows = [(s, c, p) for s, c, p in P.all_params() if isinstance(p.value, list)
            and any(isinstance(r, dict) and "quote" in r for r in p.value)]
    assert len(rows) >= 8  # tables: conversietabel, vakantie, km, telefoon, thuiswerk, stage, …
    for _, _, p in rows:
        for row in p.value:
            if isinstance(row, dict) and "quote" in row:
                cit = p.row_citation(row)
                assert P.quote_in_lines(cit.doc, cit.line_start, cit.line_end, cit.quote)


def test_parameter_files_only_configure_known_calculators():
    for slug, sets in P.load().params.items():
        unknown = set(sets) - set(CALCULATORS)
        assert not unknown, f"{slug}.yml configures unknown calculators {unknown}"


def test_gifts_only_in_kerkrade():
    # Only Kerkrade regulates relatiegeschenken; the € 50 must never appear for another gemeente.
    assert CALCULATORS["relatiegeschenk"].gemeenten() == ["Kerkrade"]


def test_at_least_fifteen_calculators_over_two_gemeenten():
    assert len(CALCULATORS) >= 15
    gemeenten = {g for c in CALCULATORS.values() for g in c.gemeenten()}
    assert len(gemeenten) >= 2
    assert all(c.gemeenten() for c in CALCULATORS.values())


def test_loader_rejects_a_parameter_without_citation(tmp_path: Path):
    bad = {"gemeente": "Raalte", "doc": "raalte_werving-en-selectiebeleid", "contact": "P&O",
           "calculators": {"termijnen": {"x": {"value": 1, "unit": "dagen", "section": "S"}}}}
    (tmp_path / "raalte.yml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(P.ParameterError, match="citation"):
        P.load(str(tmp_path))


def test_loader_rejects_a_null_value_without_note(tmp_path: Path):
    bad = {"gemeente": "Raalte", "doc": "raalte_werving-en-selectiebeleid", "contact": "P&O",
           "calculators": {"termijnen": {"x": {"value": None, "unit": "dagen", "section": "S",
                                              "citation": {"doc": "raalte_werving-en-selectiebeleid", "line_start": 1,
                                                           "line_end": 1, "quote": "Werving"}}}}}
    (tmp_path / "raalte.yml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(P.ParameterError, match="note"):
        P.load(str(tmp_path))


def test_loader_rejects_a_file_for_the_wrong_gemeente(tmp_path: Path):
    bad = {"gemeente": "Kerkrade", "doc": "raalte_werving-en-selectiebeleid", "contact": "P&O", "calculators": {}}
    (tmp_path / "raalte.yml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(P.ParameterError, match="manifest"):
        P.load(str(tmp_path))


def test_slugify_accepts_display_names_and_slugs():
    assert P.slugify("Kaag en Braassem") == "kaag-en-braassem"
    assert P.slugify("kaag-en-braassem") == "kaag-en-braassem"
    assert P.slugify("Gemeente Kerkrade") == "kerkrade"
    assert P.gemeente_info("KERKRADE").name == "Kerkrade"
    assert P.gemeente_info("Utrecht") is None

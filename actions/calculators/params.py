"""Per-gemeente parameters: every figure a calculator uses, with the lines it comes from.

The figures live in ``actions/parameters/<gemeente_slug>.yml``, not in code, so that a
change in a regeling is a data change whose citation can be checked. File layout::

    gemeente: Kerkrade                    # display name, as in knowledge/corpus/manifest.yml
    doc: kerkrade_personeelshandboek      # the regeling the figures come from
    contact: de afdeling P&O van de gemeente Kerkrade
    calculators:
      zorgverlof:                         # calculator name
        kort_factor:                      # parameter key
          value: 2                        # number, text, date, list of rows, or null
          unit: "× arbeidsduur per week"
          section: "Hoofdstuk 14 Bijzonder verlof – Kortdurend zorgverlof"
          citation: {doc: ..., line_start: 1999, line_end: 1999, quote: "..."}
          note: ...                       # required when value is null: what the text says instead

A ``value: null`` parameter records that the regeling mentions the subject but does not
give the figure (it is "in de bijlage" or in the cao): calculators report that instead
of guessing. Rows of a table may carry their own ``line_start``/``line_end``/``quote`` so
that a result can cite the exact row it used. Any other keys (``label``, ``richting``…)
are kept in :attr:`Param.extra`.

The YAML and the corpus manifest are read once per process (``lru_cache``).
:func:`check_quotes` verifies every quote against the corpus text; the test suite runs it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.calculators.base import Citation
from knowledge import yaml_io

ROOT = Path(__file__).resolve().parents[2]
PARAMETER_DIR = ROOT / "actions" / "parameters"
CORPUS_DIR = ROOT / "knowledge" / "corpus"
MANIFEST = CORPUS_DIR / "manifest.yml"

_PARAM_KEYS = {"value", "unit", "section", "citation", "note"}
_CITATION_KEYS = {"doc", "line_start", "line_end", "quote"}


class ParameterError(ValueError):
    """The parameter YAML does not follow the schema."""


@dataclass(frozen=True)
class GemeenteInfo:
    slug: str
    name: str
    doc: str
    title: str
    contact: str
    valid_from: date | None = None
    contact_en: str = ""  # the same, in English (calculations for English users)
    valid_to: date | None = None


@dataclass(frozen=True)
class Param:
    key: str
    value: Any
    unit: str
    section: str
    citation: Citation
    note: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def missing(self) -> bool:
        """True when the regeling mentions this figure but does not give it."""
        return self.value is None

    def localised(self, name: str = "value") -> Any:
        """``value`` or ``note`` in the calculation's language: an English calculation takes
        ``value_en`` / ``note_en`` from the file when given (words, not figures)."""
        from actions.calculators.i18n import in_language

        return in_language({**self.extra, "value": self.value, "note": self.note}, name)

    def dec(self) -> Decimal:
        """The value as a Decimal (YAML floats go through ``str`` so 0.19 stays 0.19)."""
        if self.value is None or isinstance(self.value, bool):
            raise ParameterError(f"parameter {self.key} has no numeric value")
        return Decimal(str(self.value))

    def row_citation(self, row: dict) -> Citation:
        """A citation narrowed to one table row, when the row carries its own lines and quote."""
        if not all(k in row for k in ("line_start", "line_end", "quote")):
            return self.citation
        return Citation(
            doc=self.citation.doc,
            gemeente=self.citation.gemeente,
            title=self.citation.title,
            section=self.section,
            line_start=int(row["line_start"]),
            line_end=int(row["line_end"]),
            quote=str(row["quote"]),
        )


@dataclass(frozen=True)
class ParamSet:
    """The parameters of one calculator for one gemeente."""

    gemeente: GemeenteInfo
    calculator: str
    params: dict[str, Param]

    def __getitem__(self, key: str) -> Param:
        try:
            return self.params[key]
        except KeyError:
            raise ParameterError(
                f"{self.gemeente.slug}.yml: calculator {self.calculator} has no parameter {key!r}"
            ) from None

    def get(self, key: str) -> Param | None:
        return self.params.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.params

    @property
    def all_missing(self) -> bool:
        """True when the regeling only mentions the subject without any usable figure."""
        return bool(self.params) and all(p.missing for p in self.params.values())


def slugify(gemeente: str) -> str:
    """'Kaag en Braassem' → 'kaag-en-braassem'; slugs pass through unchanged."""
    text = unicodedata.normalize("NFKD", gemeente).encode("ascii", "ignore").decode()
    text = re.sub(r"^(de\s+)?gemeente\s+", "", text.strip().lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict]:
    """Corpus documents by id, from knowledge/corpus/manifest.yml."""
    data = yaml_io.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _build_citation(raw: Any, where: str, info: GemeenteInfo, section: str) -> Citation:
    if not isinstance(raw, dict) or not _CITATION_KEYS <= set(raw):
        raise ParameterError(f"{where}: citation needs doc, line_start, line_end and quote")
    docs = manifest()
    if raw["doc"] not in docs:
        raise ParameterError(f"{where}: unknown doc {raw['doc']!r}")
    start, end = raw["line_start"], raw["line_end"]
    if not (isinstance(start, int) and isinstance(end, int) and 1 <= start <= end):
        raise ParameterError(f"{where}: line_start/line_end must be integers with 1 <= start <= end")
    quote = raw["quote"]
    if not isinstance(quote, str) or not quote.strip():
        raise ParameterError(f"{where}: empty quote")
    doc = docs[raw["doc"]]
    return Citation(doc=raw["doc"], gemeente=doc["gemeente"], title=doc["title"], section=section,
                    line_start=start, line_end=end, quote=quote.strip())


def _build_param(key: str, raw: Any, where: str, info: GemeenteInfo) -> Param:
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: expected a mapping")
    missing = {"value", "unit", "section", "citation"} - set(raw)
    if missing:
        raise ParameterError(f"{where}: missing {', '.join(sorted(missing))}")
    if not isinstance(raw["unit"], str) or not isinstance(raw["section"], str) or not raw["section"].strip():
        raise ParameterError(f"{where}: unit and section must be text")
    if raw["value"] is None and not raw.get("note"):
        raise ParameterError(f"{where}: a null value needs a note saying what the text does instead")
    citation = _build_citation(raw["citation"], where, info, raw["section"])
    if isinstance(raw["value"], list):
        for i, row in enumerate(raw["value"]):
            if isinstance(row, dict) and "quote" in row:
                if not all(isinstance(row.get(k), int) for k in ("line_start", "line_end")):
                    raise ParameterError(f"{where}[{i}]: row citation needs integer line_start/line_end")
    extra = {k: v for k, v in raw.items() if k not in _PARAM_KEYS}
    return Param(key=key, value=raw["value"], unit=raw["unit"], section=raw["section"].strip(),
                 citation=citation, note=raw.get("note"), extra=extra)


@dataclass(frozen=True)
class _Loaded:
    gemeenten: dict[str, GemeenteInfo]
    params: dict[str, dict[str, ParamSet]]  # slug -> calculator -> ParamSet


def _load_file(path: Path) -> tuple[GemeenteInfo, dict[str, ParamSet]]:
    data = yaml_io.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("gemeente", "doc", "contact", "calculators"):
        if key not in data:
            raise ParameterError(f"{path.name}: missing top-level key {key!r}")
    docs = manifest()
    if data["doc"] not in docs:
        raise ParameterError(f"{path.name}: unknown doc {data['doc']!r}")
    doc = docs[data["doc"]]
    if doc["gemeente"] != data["gemeente"]:
        raise ParameterError(f"{path.name}: gemeente {data['gemeente']!r} does not match manifest {doc['gemeente']!r}")
    slug = slugify(data["gemeente"])
    if path.stem != slug:
        raise ParameterError(f"{path.name}: file name must be {slug}.yml")
    info = GemeenteInfo(slug=slug, name=data["gemeente"], doc=data["doc"], title=doc["title"],
                        contact=data["contact"], contact_en=str(data.get("contact_en") or data["contact"]),
                        valid_from=_as_date(doc.get("valid_from")),
                        valid_to=_as_date(doc.get("valid_to")))
    sets: dict[str, ParamSet] = {}
    for calc_name, raw_params in (data["calculators"] or {}).items():
        if not isinstance(raw_params, dict) or not raw_params:
            raise ParameterError(f"{path.name}: calculator {calc_name} has no parameters")
        built = {key: _build_param(key, raw, f"{path.name}:{calc_name}.{key}", info)
                 for key, raw in raw_params.items()}
        sets[calc_name] = ParamSet(gemeente=info, calculator=calc_name, params=built)
    return info, sets


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> _Loaded:
    """Read and validate every ``<slug>.yml``; cached per directory."""
    base = Path(directory) if directory else PARAMETER_DIR
    gemeenten: dict[str, GemeenteInfo] = {}
    params: dict[str, dict[str, ParamSet]] = {}
    for path in sorted(base.glob("*.yml")):
        info, sets = _load_file(path)
        gemeenten[info.slug] = info
        params[info.slug] = sets
    return _Loaded(gemeenten=gemeenten, params=params)


def gemeente_info(gemeente: str) -> GemeenteInfo | None:
    """Look up a gemeente by display name or slug; None when Regelwijs has no regeling for it."""
    return load().gemeenten.get(slugify(gemeente))


def params_for(gemeente: str, calculator: str) -> ParamSet | None:
    """The parameters of ``calculator`` for ``gemeente``; None when its regeling lacks the rule."""
    return load().params.get(slugify(gemeente), {}).get(calculator)


def gemeenten_for(calculator: str) -> list[str]:
    """Display names of the gemeenten whose regeling gives at least one usable figure."""
    loaded = load()
    return [loaded.gemeenten[slug].name for slug, sets in loaded.params.items()
            if calculator in sets and not sets[calculator].all_missing]


def all_params() -> list[tuple[str, str, Param]]:
    """Every (slug, calculator, param), for validation and tests."""
    loaded = load()
    return [(slug, calc, p) for slug, sets in loaded.params.items()
            for calc, ps in sets.items() for p in ps.params.values()]


# ---------------------------------------------------------------------------
# Quote verification
# ---------------------------------------------------------------------------

def normalise_ws(text: str) -> str:
    """Collapse all whitespace (including no-break spaces) to single spaces."""
    return " ".join(text.split())


@lru_cache(maxsize=8)
def corpus_lines(doc_id: str) -> tuple[str, ...]:
    path = CORPUS_DIR / manifest()[doc_id]["file"]
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def quote_in_lines(doc_id: str, line_start: int, line_end: int, quote: str) -> bool:
    """True when ``quote`` occurs verbatim (whitespace-normalised) within the 1-based line span."""
    lines = corpus_lines(doc_id)
    if line_end > len(lines):
        return False
    span = normalise_ws(" ".join(lines[line_start - 1:line_end]))
    return normalise_ws(quote) in span


def check_quotes() -> list[str]:
    """Every citation (parameter and table row) whose quote is not in its cited lines."""
    problems = []
    for slug, calc, p in all_params():
        c = p.citation
        if not quote_in_lines(c.doc, c.line_start, c.line_end, c.quote):
            problems.append(f"{slug}:{calc}.{p.key} lines {c.line_start}-{c.line_end}: {c.quote!r}")
        if isinstance(p.value, list):
            for i, row in enumerate(p.value):
                if isinstance(row, dict) and "quote" in row:
                    if not quote_in_lines(c.doc, row["line_start"], row["line_end"], row["quote"]):
                        problems.append(f"{slug}:{calc}.{p.key}[{i}] lines "
                                        f"{row['line_start']}-{row['line_end']}: {row['quote']!r}")
    return problems

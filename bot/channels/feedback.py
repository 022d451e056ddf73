"""Feedback on answers and the questions Regelwijs could not answer.

Both go into the state store's database (``config.database_url``), in tables of their
own. Neither keeps a sender id: feedback is tied to an *answer* (its citations, so a
👎 points at the passage that did not help), and an unanswered question is kept only
after scrubbing what could identify someone (e-mail addresses, long digit runs such as
phone, BSN or personnel numbers, capitalised name-like words), truncated, so that
``regelwijs report`` can show the most frequent gaps in the regelingen.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

import sqlalchemy as sa

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 200
MAX_COMMENT_CHARS = 500
CITATION_KEYS = ("doc", "gemeente", "title", "section", "line_start", "line_end")

metadata = sa.MetaData()
feedback_table = sa.Table(
    "rw_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("answer_id", sa.String(64), nullable=True),
    sa.Column("rating", sa.SmallInteger, nullable=False),  # +1 / -1
    sa.Column("kind", sa.String(32), nullable=True),  # answer / calculation / ...
    sa.Column("citations", sa.Text, nullable=False),  # JSON list without quotes or scores
    sa.Column("comment", sa.Text, nullable=True),  # scrubbed
)
unanswered_table = sa.Table(
    "rw_unanswered",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("gemeente", sa.String(64), nullable=True),
    sa.Column("question", sa.String(MAX_QUESTION_CHARS + 16), nullable=False),  # scrubbed, normalised
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL = re.compile(r"\bhttps?://\S+", re.IGNORECASE)
# Digit runs, allowing the separators people type inside phone/IBAN/BSN numbers.
_DIGIT_RUN = re.compile(r"(?:\+?\d[\d\s.\-/]*\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{6,}\b", re.IGNORECASE)
# A capitalised word that is not the first word of a sentence: most likely a name.
_NAME_LIKE = re.compile(r"(?<=[^\s.!?:]\s)(?:[A-Z][a-zà-ÿ'’-]+)(?:\s+(?:van|de|der|den|ter|ten|[A-Z][a-zà-ÿ'’-]+))*")


def scrub(text: str, keep: Iterable[str] = (), limit: int = MAX_QUESTION_CHARS) -> str:
    """``text`` without e-mail addresses, URLs, digit runs of 6+ and name-like words; truncated.

    ``keep`` lists capitalised words that are not personal (the gemeenten we know).
    """
    keep_low = {k.lower() for k in keep}
    out = _EMAIL.sub("[e-mail]", text)
    out = _URL.sub("[url]", out)
    out = _IBAN.sub("[nummer]", out)

    def digits(m: re.Match) -> str:
        return "[nummer]" if sum(ch.isdigit() for ch in m.group(0)) >= 6 else m.group(0)

    out = _DIGIT_RUN.sub(digits, out)

    def name(m: re.Match) -> str:
        return m.group(0) if m.group(0).lower() in keep_low or m.group(0).split()[0].lower() in keep_low else "[naam]"

    out = _NAME_LIKE.sub(name, out)
    out = re.sub(r"\s+", " ", out).strip()
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def normalise_question(text: str) -> str:
    """Lower case, no trailing punctuation: so "Hoeveel X?" and "hoeveel x" count together."""
    out = text.lower().strip()
    out = re.sub(r"[\s?!.]+$", "", out)
    return re.sub(r"\s+", " ", out)


def slim_citations(citations: Any) -> list[dict]:
    """Only the pointer to the article (no quote, no score); tolerant of client input."""
    out = []
    if not isinstance(citations, list):
        return out
    for c in citations[:20]:
        if isinstance(c, dict):
            out.append({k: c.get(k) for k in CITATION_KEYS if isinstance(c.get(k), (str, int, float))
                        or c.get(k) is None})
    return out


@dataclass
class AnswerInfo:
    kind: str
    citations: list[dict]
    answered: bool | None


class AnswerRegistry:
    """Recent answers by id (bounded, in memory), so feedback can be stored with their citations.

    Channels put the id in what they send (REST ``custom.answer_id``, Telegram callback
    data, the Teams activity id); feedback names it back.
    """

    def __init__(self, max_items: int = 20_000) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, AnswerInfo] = OrderedDict()
        self._aliases: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, custom: dict) -> str:
        answer_id = uuid.uuid4().hex[:16]
        info = AnswerInfo(str(custom.get("kind") or "answer"), slim_citations(custom.get("citations")),
                          custom.get("answered"))
        with self._lock:
            self._items[answer_id] = info
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return answer_id

    def alias(self, external_id: str, answer_id: str) -> None:
        """Remember that a channel's own message id (e.g. Teams) stands for ``answer_id``."""
        with self._lock:
            self._aliases[external_id] = answer_id
            while len(self._aliases) > self.max_items:
                self._aliases.popitem(last=False)

    def resolve(self, some_id: str | None) -> tuple[str | None, AnswerInfo | None]:
        if not some_id:
            return None, None
        with self._lock:
            answer_id = self._aliases.get(some_id, some_id)
            return answer_id, self._items.get(answer_id)


class FeedbackStore:
    """Writes feedback and unanswered questions; reads the report."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def add_feedback(self, channel: str, rating: int, answer_id: str | None, info: AnswerInfo | None,
                     comment: str | None = None, client_citations: Any = None, keep: Iterable[str] = ()) -> None:
        citations = info.citations if info else slim_citations(client_citations)
        with self.engine.begin() as conn:
            conn.execute(feedback_table.insert().values(
                created_at=dt.datetime.now(dt.timezone.utc), channel=channel[:32], answer_id=answer_id,
                rating=1 if rating > 0 else -1, kind=(info.kind if info else None),
                citations=json.dumps(citations, ensure_ascii=False),
                comment=scrub(comment, keep, MAX_COMMENT_CHARS) if comment else None))

    def add_unanswered(self, channel: str, question: str, gemeente: str | None, keep: Iterable[str] = ()) -> None:
        cleaned = normalise_question(scrub(question, keep))
        if not cleaned:
            return
        with self.engine.begin() as conn:
            conn.execute(unanswered_table.insert().values(
                created_at=dt.datetime.now(dt.timezone.utc), channel=channel[:32], gemeente=gemeente,
                question=cleaned))

    def top_unanswered(self, limit: int = 20, since: dt.datetime | None = None) -> list[dict]:
        n = sa.func.count().label("n")
        q = sa.select(unanswered_table.c.question, n, sa.func.max(unanswered_table.c.created_at).label("last"))
        if since is not None:
            q = q.where(unanswered_table.c.created_at >= since)
        q = q.group_by(unanswered_table.c.question).order_by(n.desc(), unanswered_table.c.question).limit(limit)
        with self.engine.connect() as conn:
            return [{"question": r.question, "count": int(r.n), "last": str(r.last)} for r in conn.execute(q)]

    def feedback_summary(self, since: dt.datetime | None = None) -> dict:
        q = sa.select(feedback_table.c.rating, sa.func.count().label("n")).group_by(feedback_table.c.rating)
        if since is not None:
            q = q.where(feedback_table.c.created_at >= since)
        with self.engine.connect() as conn:
            counts = {int(r.rating): int(r.n) for r in conn.execute(q)}
        return {"up": counts.get(1, 0), "down": counts.get(-1, 0)}

    def downvoted_sources(self, limit: int = 10, since: dt.datetime | None = None) -> list[dict]:
        """Articles most often cited by answers that got a 👎."""
        q = sa.select(feedback_table.c.citations).where(feedback_table.c.rating < 0)
        if since is not None:
            q = q.where(feedback_table.c.created_at >= since)
        counts: dict[tuple, int] = {}
        with self.engine.connect() as conn:
            for (raw,) in conn.execute(q):
                try:
                    cits = json.loads(raw)
                except ValueError:
                    continue
                for c in cits[:1]:  # the first citation is the one the answer leans on
                    key = (c.get("gemeente"), c.get("title"), c.get("section"), c.get("line_start"))
                    counts[key] = counts.get(key, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
        return [{"gemeente": k[0], "title": k[1], "section": k[2], "line_start": k[3], "count": n} for k, n in top]

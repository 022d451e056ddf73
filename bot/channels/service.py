"""The one door every channel goes through to reach the runtime.

Channel adapters translate their wire format to ``(channel, raw sender, text)`` and back;
everything that must be the same for all channels happens here: pseudonymising the
sender, the per-sender rate limit, one turn at a time per sender, running the turn in a
worker thread (the query embedding and SQLite work block; the event loop must keep
serving other senders meanwhile), metrics, logging unanswered questions without
personal data, and remembering answers so feedback can be tied to their citations.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, AsyncIterator

from bot.channels import texts
from bot.channels.feedback import AnswerRegistry, FeedbackStore
from bot.channels.identity import Pseudonymizer, gemeente_for, load_or_create_key
from bot.channels.limits import TokenBucketLimiter
from bot.channels.metrics import ChannelMetrics
from bot.runtime import BotMessage, Runtime
from bot.text_input import language_signal

log = logging.getLogger(__name__)

MELDING_KINDS = {"melding_submitted", "melding_receipt", "receipt"}


@dataclass
class ChannelReply:
    """What a channel sends back for one user message."""

    sender: str  # pseudonymised
    messages: list[BotMessage]
    active_form: str | None = None
    requested_slot: str | None = None
    language: str = "nl"
    rate_limited: bool = False
    error: bool = False
    retry_after: float = 0.0


class _SenderLocks:
    """One turn at a time per sender, with locks dropped as soon as nobody waits (bounded memory)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                self._locks.pop(key, None)


_thread_state = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """A long-lived event loop per worker thread (the runtime's ``handle`` is a coroutine)."""
    loop = getattr(_thread_state, "loop", None)
    if loop is None or loop.is_closed():
        loop = _thread_state.loop = asyncio.new_event_loop()
    return loop


class ChannelService:
    """Shared by the REST, Teams, Telegram and web channels of one server process."""

    def __init__(self, runtime: Runtime, config: Any, *, feedback: FeedbackStore | None = None,
                 metrics: ChannelMetrics | None = None, pseudonymizer: Pseudonymizer | None = None,
                 limiter: TokenBucketLimiter | None = None, workers: int | None = None) -> None:
        self.runtime = runtime
        self.config = config
        self.metrics = metrics or ChannelMetrics()
        self.pseudonymizer = pseudonymizer or Pseudonymizer(load_or_create_key(config.data_dir))
        self.limiter = limiter or TokenBucketLimiter(
            rate=float(config.get("channels.rate_limit.per_second", 1.0)),
            burst=float(config.get("channels.rate_limit.burst", 10)))
        self.feedback_store = feedback or FeedbackStore(runtime.store.engine)
        self.answers = AnswerRegistry()
        # Eight turns per core in flight: while one handle per core embeds, the next questions
        # wait in the engine pool and are embedded together, four at a time (cheaper per
        # question than one by one). With four per core the queue sometimes held fewer than a
        # full batch: 77-84 % of the embedding limit at 50 senders over five runs, against
        # 83-88 % with eight per core (bench/rest_load.py, README "Measured").
        n = int(workers or config.get("channels.workers", 0) or (os.cpu_count() or 2) * 8)
        self.pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="regelwijs-turn")
        self._locks = _SenderLocks()
        self._known: list[str] | None = None

    # -- identity --------------------------------------------------------------
    @property
    def known_gemeenten(self) -> list[str]:
        if self._known is None:
            self._known = list(self.runtime.assistant.gemeenten)
        return self._known

    def pseudonym(self, channel: str, raw_sender: Any) -> str:
        return self.pseudonymizer.sender(channel, raw_sender)

    def gemeente(self, channel: str, tenant_id: str | None = None, requested: str | None = None) -> str | None:
        return gemeente_for(self.config, channel, self.known_gemeenten, tenant_id, requested)

    # -- one message -------------------------------------------------------------
    async def handle(self, channel: str, raw_sender: Any, text: Any, metadata: dict | None = None) -> ChannelReply:
        """Run one user message through the runtime for the pseudonymised sender."""
        t0 = time.perf_counter()
        sender = self.pseudonym(channel, raw_sender)
        language = _language_of(text, metadata)
        self.metrics.messages.labels(channel).inc()
        if not self.limiter.allow(sender):
            self.metrics.rate_limited.labels(channel).inc()
            return ChannelReply(sender, [BotMessage(texts.render("utter_channel_rate_limited", language))],
                                language=language, rate_limited=True, retry_after=self.limiter.retry_after(sender))
        meta = {k: v for k, v in (metadata or {}).items() if v is not None}
        meta.setdefault("channel", channel)
        loop = asyncio.get_running_loop()
        try:
            async with self._locks.hold(sender):
                reply = await loop.run_in_executor(self.pool, self._turn, channel, sender, text, meta, language)
        except Exception:  # the server must survive any single bad turn
            log.exception("turn failed on channel %s", channel)
            self.metrics.errors.labels(channel).inc()
            reply = ChannelReply(sender, [BotMessage(texts.render("utter_channel_error", language))],
                                 language=language, error=True)
        self.metrics.latency.labels(channel).observe(time.perf_counter() - t0)
        return reply

    def _turn(self, channel: str, sender: str, text: Any, meta: dict, language: str) -> ChannelReply:
        """Blocking part, in a worker thread: the turn itself plus the database bookkeeping."""
        result = _thread_loop().run_until_complete(self.runtime.handle(sender, text, meta))
        messages: list[BotMessage] = []
        is_payload = isinstance(text, str) and text.startswith("/")
        for m in result.messages:
            custom = dict(m.custom)
            if custom.get("kind") in ("answer", "calculation") or custom.get("citations"):
                custom["answer_id"] = self.answers.add(custom)
            if custom.get("kind") == "answer" and custom.get("answered") is False and not is_payload:
                self.metrics.unanswered.labels(channel).inc()
                try:
                    self.feedback_store.add_unanswered(channel, str(text), custom.get("gemeente"),
                                                       keep=self.known_gemeenten)
                except Exception:
                    log.exception("could not log an unanswered question")
            if custom.get("kind") in MELDING_KINDS:
                self.metrics.meldingen.labels(channel).inc()
            messages.append(replace(m, buttons=list(m.buttons), custom=custom))
        if result.intent == "nlu_fallback" and not result.active_form and not is_payload:
            self.metrics.fallbacks.labels(channel).inc()
        return ChannelReply(sender, messages, result.active_form, result.requested_slot, language)

    # -- feedback ------------------------------------------------------------------
    async def feedback(self, channel: str, some_id: str | None, rating: int, comment: str | None = None,
                       client_citations: Any = None) -> str | None:
        """Store a 👍/👎 for an answer; returns the answer id it was matched to (None if unknown)."""
        answer_id, info = self.answers.resolve(some_id)
        await asyncio.get_running_loop().run_in_executor(
            self.pool, lambda: self.feedback_store.add_feedback(
                channel, rating, answer_id, info, comment, client_citations, keep=self.known_gemeenten))
        self.metrics.feedback.labels(channel, "up" if rating > 0 else "down").inc()
        return answer_id if info else None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _language_of(text: Any, metadata: dict | None = None) -> str:
    """The language of the channel's own texts for this message: the words when they tell,
    else the channel's language setting (the web page's choice), else Dutch."""
    chosen = (metadata or {}).get("language")
    fallback = chosen if chosen in ("nl", "en") else "nl"
    if isinstance(text, str) and len(text.split()) >= 3 and not text.startswith("/"):
        try:
            return language_signal(text) or fallback
        except Exception:  # a language guess must never break a turn
            return fallback
    return fallback

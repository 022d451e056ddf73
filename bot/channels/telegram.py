"""Telegram through python-telegram-bot 22: long polling (``regelwijs telegram``) or a
webhook served by ``regelwijs serve`` (``POST /telegram/webhook``).

In PTB's examples style: one small handler per step — a replay guard in group -1, then
``/start``, feedback buttons, payload buttons, text, other commands and non-text
messages. Buttons become inline keyboards whose callback data is the Rasa payload
(payloads longer than Telegram's 64 bytes are replaced by a short key). Answers longer
than Telegram's 4096 characters are split. The bot token comes from
``REGELWIJS_TELEGRAM_TOKEN`` or ``channels.telegram.token`` and is redacted from logs
(httpx logs request URLs, which contain it).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time
from collections import OrderedDict, deque
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import texts
from bot.channels.identity import language_of_locale
from bot.channels.limits import BadRequest, read_json
from bot.channels.rest import error
from bot.channels.service import ChannelReply, ChannelService

log = logging.getLogger(__name__)

CHANNEL = "telegram"
TOKEN_ENV = "REGELWIJS_TELEGRAM_TOKEN"
SECRET_ENV = "REGELWIJS_TELEGRAM_WEBHOOK_SECRET"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted in UTF-16 code units
MAX_CALLBACK = 64
RATE_NOTICE_EVERY = 10.0  # seconds between two "slow down" replies to one sender
SEEN_UPDATES = 10_000


# -- configuration and log hygiene -----------------------------------------------------
def telegram_token(config: Any) -> str | None:
    token = os.environ.get(TOKEN_ENV) or config.get("channels.telegram.token")
    return str(token) if token else None


def webhook_secret(config: Any) -> str | None:
    secret = os.environ.get(SECRET_ENV) or config.get("channels.telegram.webhook_secret")
    return str(secret) if secret else None


def protect_token_in_logs(token: str) -> None:
    """Redact the token from every log record, whoever logs it (httpx logs each request URL,
    which contains the token; PTB's error messages may too). Done at record creation so
    that no handler, filter order or logger level can let it through."""
    if not token:
        return
    logging.getLogger("httpx").setLevel(logging.WARNING)
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", None) == token:
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's problem, not ours
            return record
        if token in message:
            record.msg, record.args = message.replace(token, "<token>"), None
        return record

    factory.redacts = token  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# -- rendering -----------------------------------------------------------------------
def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut at a paragraph, line, sentence or word."""
    if _utf16_len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    rest = text
    while rest and _utf16_len(rest) > limit:
        window = rest[:limit]
        while _utf16_len(window) > limit:  # astral characters count double
            window = window[:-1]
        cut = len(window)
        for sep in ("\n\n", "\n", ". ", " "):
            pos = window.rfind(sep)
            if pos >= limit // 2:
                cut = pos + (1 if sep == ". " else 0)
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


class PayloadKeys:
    """Callback data is limited to 64 bytes; longer payloads travel as ``k:<hash>``."""

    def __init__(self, max_items: int = 50_000) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= MAX_CALLBACK and not payload.startswith(("k:", "fb:")):
            return payload
        key = "k:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        self._items[key] = payload
        self._items.move_to_end(key)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        return self._items.get(data) if data.startswith("k:") else data


def keyboard(buttons: list[dict], answer_id: str | None, keys: PayloadKeys) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(str(b.get("title", ""))[:64], callback_data=keys.encode(str(b["payload"])))]
            for b in buttons if b.get("payload")]
    if answer_id:
        rows.append([InlineKeyboardButton(texts.render("telegram_feedback_up"), callback_data=f"fb:+:{answer_id}"),
                     InlineKeyboardButton(texts.render("telegram_feedback_down"), callback_data=f"fb:-:{answer_id}")])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: ChannelReply) -> None:
    keys: PayloadKeys = context.bot_data["payload_keys"]
    for m in reply.messages:
        pieces = split_text(m.text) or ["…"]
        markup = keyboard(m.buttons, m.custom.get("answer_id"), keys)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            await context.bot.send_message(chat_id, piece, reply_markup=markup if last else None)


# -- handlers (one per step) -------------------------------------------------------------
def _service(context: ContextTypes.DEFAULT_TYPE) -> ChannelService:
    return context.bot_data["service"]


async def drop_replays(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1: an update id seen before (Telegram retries webhooks) is processed once only."""
    seen: set[int] = context.bot_data["seen"]
    order: deque[int] = context.bot_data["seen_order"]
    if update.update_id in seen:
        log.info("dropping a replayed Telegram update")
        raise ApplicationHandlerStop
    seen.add(update.update_id)
    order.append(update.update_id)
    while len(order) > SEEN_UPDATES:
        seen.discard(order.popleft())


async def _run(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    service = _service(context)
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    meta = {"gemeente": service.gemeente(CHANNEL), "language": language_of_locale(user.language_code)}
    reply = await service.handle(CHANNEL, user.id, text, meta)
    if reply.rate_limited:
        notified: dict[str, float] = context.bot_data["rate_notified"]
        now = time.monotonic()
        if now - notified.get(reply.sender, -1e9) < RATE_NOTICE_EVERY:
            return  # one notice per window, so a flood does not make us flood back
        notified[reply.sender] = now
        if len(notified) > 10_000:
            notified.clear()
    await send_reply(context, chat.id, reply)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    lang = "en" if (update.effective_user and (update.effective_user.language_code or "").startswith("en")) else "nl"
    await update.effective_message.reply_text(texts.render("utter_channel_welcome", lang))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _run(update, context, update.effective_message.text or "")


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Other commands: ``/help`` is a Rasa intent payload; others are read as plain words."""
    raw = update.effective_message.text or ""
    word, _, rest = raw[1:].partition(" ")
    word = word.split("@", 1)[0]
    await _run(update, context, "/help" if word == "help" and not rest else f"{word} {rest}".strip())


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    payload = context.bot_data["payload_keys"].decode(query.data or "")
    if payload is None:  # a key from before a restart
        payload = "/unknown_button"
    if query.message is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=None)  # no second click on old choices
        except Exception:  # the message may be too old to edit; the answer still counts
            log.debug("could not remove an inline keyboard", exc_info=True)
    await _run(update, context, payload)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    _, sign, answer_id = (query.data or "fb:?:").split(":", 2)
    if sign in ("+", "-"):
        await _service(context).feedback(CHANNEL, answer_id, 1 if sign == "+" else -1)
    user_language = language_of_locale(query.from_user.language_code if query.from_user else None) or "nl"
    await query.answer(texts.render("utter_channel_feedback_thanks", user_language))


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        user = update.effective_user
        language = language_of_locale(user.language_code if user else None) or "nl"
        await update.effective_message.reply_text(texts.render("utter_channel_unsupported", language))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("Telegram update failed (%s)", type(context.error).__name__, exc_info=context.error)
    _service(context).metrics.errors.labels(CHANNEL).inc()


def build_application(service: ChannelService, token: str, *, base_url: str | None = None,
                      webhook: bool = False) -> Application:
    """The PTB application with our handlers; ``webhook=True`` builds it without an Updater."""
    builder = Application.builder().token(token).concurrent_updates(True)
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.rstrip("/") + "/file/bot")
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    app.bot_data.update(service=service, payload_keys=PayloadKeys(), seen=set(), seen_order=deque(),
                        rate_notified={})
    app.add_handler(TypeHandler(Update, drop_replays), group=-1)
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_feedback, pattern=r"^fb:"))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, on_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, on_unsupported))
    app.add_error_handler(on_error)
    return app


class TelegramWebhook:
    """The webhook side inside ``serve``: starts/stops the PTB application with the server."""

    def __init__(self, application: Application, secret: str, public_url: str | None = None) -> None:
        if not secret:
            raise ValueError("a Telegram webhook needs a secret token")
        self.application = application
        self.secret = secret
        self.public_url = public_url

    @property
    def routes(self) -> list[Route]:
        return [Route("/telegram/webhook", self.endpoint, methods=["POST"])]

    async def start(self) -> None:
        await self.application.initialize()
        await self.application.start()
        if self.public_url:
            await self.application.bot.set_webhook(self.public_url, secret_token=self.secret,
                                                   allowed_updates=Update.ALL_TYPES)

    async def stop(self) -> None:
        await self.application.stop()
        await self.application.shutdown()

    async def endpoint(self, request: Request) -> Response:
        service: ChannelService = self.application.bot_data["service"]
        given = request.headers.get(SECRET_HEADER, "")
        if not given:
            return error(401, "missing secret token", service, CHANNEL)
        if not hmac.compare_digest(given.encode("utf-8"), self.secret.encode("utf-8")):
            return error(403, "wrong secret token", service, CHANNEL)
        try:
            body = await read_json(request, request.app.state.max_body)
            if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
                raise BadRequest(400, "not a Telegram update")
            update = Update.de_json(body, self.application.bot)
        except BadRequest as exc:
            return error(exc.status, exc.reason, service, CHANNEL)
        except (TypeError, ValueError, KeyError, AttributeError):
            return error(400, "malformed update", service, CHANNEL)
        await self.application.update_queue.put(update)
        return JSONResponse({"ok": True})

"""Rasa's REST channel (``POST /webhooks/rest/webhook``) and the page's feedback endpoint.

Request ``{"sender": str, "message": str, "metadata"?: {"gemeente"?: str}}``; response a
list of ``{"recipient_id", "text", "buttons", "custom"}``, one per bot message, as
Rasa returns it, so existing Rasa web widgets work unchanged. Citations, calculations,
``answered`` and ``kind`` travel in ``custom`` (as a rasa_sdk ``json_message`` would),
plus ``answer_id`` for feedback and ``active_form`` while a form runs.
"""
from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.limits import BadRequest, read_json
from bot.channels.service import ChannelReply, ChannelService

log = logging.getLogger(__name__)

CHANNEL = "rest"
MAX_SENDER_CHARS = 256
MAX_MESSAGE_CHARS = 20_000  # the runtime truncates long questions itself; this only bounds the request


def error(status: int, reason: str, service: ChannelService | None = None, channel: str = CHANNEL) -> JSONResponse:
    if service is not None:
        service.metrics.rejected.labels(channel, str(status)).inc()
    return JSONResponse({"error": reason}, status_code=status)


def to_rasa(reply: ChannelReply, recipient_id: str) -> list[dict]:
    """The runtime's messages in Rasa's REST output format."""
    out = []
    for m in reply.messages:
        custom = dict(m.custom)
        if reply.active_form:
            custom["active_form"] = reply.active_form
        out.append({"recipient_id": recipient_id, "text": m.text, "buttons": list(m.buttons), "custom": custom})
    return out


def _parse_message(body: Any) -> tuple[str, str, dict]:
    if not isinstance(body, dict):
        raise BadRequest(400, "body must be a JSON object")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    metadata = {} if metadata is None else metadata
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest(400, "field 'sender' (string) is required")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(400, "field 'sender' is too long")
    if message is None:
        raise BadRequest(400, "field 'message' (string) is required")
    if not isinstance(message, str):
        raise BadRequest(400, "field 'message' must be a string")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(413, "message too long")
    if not isinstance(metadata, dict):
        raise BadRequest(400, "field 'metadata' must be an object")
    return sender, message, metadata


async def webhook(request: Request) -> Response:
    service: ChannelService = request.app.state.service
    try:
        body = await read_json(request, request.app.state.max_body)
        sender, message, metadata = _parse_message(body)
    except BadRequest as exc:
        return error(exc.status, exc.reason, service)
    requested = metadata.get("gemeente") if isinstance(metadata.get("gemeente"), str) else None
    meta = {"gemeente": service.gemeente(CHANNEL, requested=requested)}
    if metadata.get("language") in ("nl", "en"):  # the page's language choice, used when the words don't tell
        meta["language"] = metadata["language"]
    reply = await service.handle(CHANNEL, sender, message, meta)
    payload = to_rasa(reply, sender)
    if reply.rate_limited:
        return JSONResponse(payload, status_code=429, headers={"Retry-After": str(max(1, round(reply.retry_after)))})
    return JSONResponse(payload)


async def feedback(request: Request) -> Response:
    """``{"answer_id": str, "rating": "up"|"down", "comment"?: str, "citations"?: [...]}`` from the page."""
    service: ChannelService = request.app.state.service
    try:
        body = await read_json(request, 64 * 1024)
        if not isinstance(body, dict):
            raise BadRequest(400, "body must be a JSON object")
        rating = body.get("rating")
        value = {"up": 1, "down": -1, 1: 1, -1: -1, "+1": 1, "-1": -1}.get(rating) if isinstance(
            rating, (str, int)) and not isinstance(rating, bool) else None
        if value is None:
            raise BadRequest(400, "field 'rating' must be 'up' or 'down'")
        answer_id = body.get("answer_id")
        if answer_id is not None and (not isinstance(answer_id, str) or len(answer_id) > 64):
            raise BadRequest(400, "field 'answer_id' must be a short string")
        comment = body.get("comment")
        if comment is not None and not isinstance(comment, str):
            raise BadRequest(400, "field 'comment' must be a string")
    except BadRequest as exc:
        return error(exc.status, exc.reason, service, "web")
    client = request.client.host if request.client else "?"
    if not service.limiter.allow(service.pseudonym("feedback", client)):
        return error(429, "too many requests", service, "web")
    matched = await service.feedback("web", answer_id, value, comment, body.get("citations"))
    return JSONResponse({"ok": True, "matched": matched is not None})


routes = [
    Route("/webhooks/rest/webhook", webhook, methods=["POST"]),
    Route("/api/feedback", feedback, methods=["POST"]),
]

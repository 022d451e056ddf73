"""Microsoft Teams through the Microsoft 365 Agents SDK (``POST /api/messages``).

Mounting choice: the SDK's framework-agnostic core does the work — ``JwtTokenValidator``
checks the Bot Framework / Entra token, ``CloudAdapter.process_request`` (the adapter of
``microsoft-agents-hosting-aiohttp``, whose ``process_request`` is the shared base
implementation) turns the activity into a turn, and an ``AgentApplication`` routes it.
Only the aiohttp *request object* is replaced, by :class:`StarletteRequestAdapter`, which
implements the SDK's ``HttpRequestProtocol`` (the interface the SDK defines precisely so
that other web frameworks can host it). This keeps Teams on the same port, process and
event loop as the other channels, so it shares the runtime, the per-sender locking, the
rate limit and the metrics; a separate aiohttp server on a second port would have
needed a second event loop or port and its own copies of all of those.

Replies: plain text with Teams citation entities (``Activity.add_ai_metadata`` with ``ClientCitation``s and
``[n]`` markers) for answers, Adaptive Cards for buttons (a form's question, a
summary with its confirmation) and for calculation results, and Teams' feedback loop
(👍/👎 under an answer, arriving as an ``invoke`` ``message/submitAction``).
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Mapping

from jwt import PyJWTError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    InvokeResponse,
    load_configuration_from_env,
)
from microsoft_agents.activity.entity.ai_entity import ClientCitation, ClientCitationAppearance
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ApplicationOptions,
    ClaimsIdentity,
    Connections,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

from bot.channels import texts
from bot.channels.identity import language_of_locale
from bot.channels.limits import BadRequest, check_declared_length, read_json
from bot.channels.rest import error
from bot.channels.service import ChannelReply, ChannelService
from bot.runtime import BotMessage

log = logging.getLogger(__name__)

CHANNEL = "teams"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
IGNORED_TYPES = ["typing", "messageReaction", "installationUpdate", "event", "endOfConversation",
                 "messageUpdate", "messageDelete", "contactRelationUpdate", "deleteUserData", "trace"]


class StarletteRequestAdapter:
    """A Starlette request, already authenticated and read, as the SDK's ``HttpRequestProtocol``."""

    def __init__(self, request: Request, body: Any, claims: ClaimsIdentity) -> None:
        self._request = request
        self._body = body
        self._claims = claims

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> Any:
        return self._body

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._claims

    def get_path_param(self, name: str) -> str:
        return str(self._request.path_params[name])


def connection_manager_from_config(config: Any) -> Connections | None:
    """The SDK connection manager (MSAL) from the SDK's own environment variables, or
    from ``channels.teams.app_id / tenant_id / client_secret``; None when Teams is not set up."""
    from_env = any(k.startswith("CONNECTIONS__SERVICE_CONNECTION__") for k in os.environ)
    app_id = config.get("channels.teams.app_id")
    if not from_env and not app_id:
        return None
    # Imported only when Teams is configured: outbound tokens come from Entra ID through MSAL.
    from microsoft_agents.authentication.msal import MsalConnectionManager

    if from_env:
        return MsalConnectionManager(**load_configuration_from_env(os.environ))
    auth = AgentAuthConfiguration(client_id=str(app_id), tenant_id=config.get("channels.teams.tenant_id"),
                                  client_secret=config.get("channels.teams.client_secret"),
                                  anonymous_allowed=bool(config.get("channels.teams.anonymous_allowed", False)))
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})


# -- rendering ---------------------------------------------------------------------
def teams_citations(citations: list[dict]) -> list[ClientCitation]:
    """Teams' citation format: one ``Claim`` per source, referenced as ``[n]`` in the text."""
    claims = []
    for i, c in enumerate(citations, start=1):
        where = ", ".join(str(x) for x in (c.get("section"), _lines(c)) if x)
        claims.append(ClientCitation(position=i, appearance=ClientCitationAppearance(
            name=f"{c.get('gemeente') or ''} — {c.get('title') or ''}".strip(" —")[:80],
            abstract=(c.get("quote") or "")[:160], keywords=[k[:50] for k in [where] if k][:3])))
    return claims


def _lines(c: dict) -> str:
    if c.get("line_start") is None:
        return ""
    end = c.get("line_end")
    return f"regels {c['line_start']}" + (f"–{end}" if end and end != c["line_start"] else "")


def buttons_card(text: str, buttons: list[dict]) -> dict:
    """An Adaptive Card whose buttons post the Rasa payload back (``messageBack``: the
    user sees the button's title in the chat, the bot receives the payload)."""
    return {
        "type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.5",
        "body": [{"type": "TextBlock", "text": text, "wrap": True}],
        "actions": [{"type": "Action.Submit", "title": str(b.get("title", ""))[:80],
                     "data": {"payload": b.get("payload"),
                              "msteams": {"type": "messageBack", "displayText": b.get("title"),
                                          "text": b.get("payload"), "value": {"payload": b.get("payload")}}}}
                    for b in buttons if b.get("payload")],
    }


def calculation_card(text: str, calculation: dict, language: str = "nl") -> dict:
    """A calculation result as a card: the worked answer and the inputs it used."""
    facts = [{"title": str(k).replace("_", " ").capitalize(), "value": _fact_value(v, language)}
             for k, v in (calculation.get("inputs") or {}).items()]
    body: list[dict] = [{"type": "TextBlock", "text": text, "wrap": True}]
    if facts:
        body.append({"type": "FactSet", "facts": facts[:20]})
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.5", "body": body}


def _fact_value(v: Any, language: str = "nl") -> str:
    """Numbers as the reader expects them (Dutch 12,5, English 12.5), booleans as ja/nee or yes/no."""
    english = language == "en"
    if isinstance(v, bool):
        return ("yes" if v else "no") if english else ("ja" if v else "nee")
    if isinstance(v, float):
        text = str(int(v)) if v.is_integer() else f"{v:.2f}".rstrip("0")
        return text if english else text.replace(".", ",")
    return str(v)


def to_activities(reply: ChannelReply) -> list[tuple[Activity, str | None]]:
    """(activity, answer_id) per bot message."""
    out = []
    for m in reply.messages:
        out.append((to_activity(m, reply.language), m.custom.get("answer_id")))
    return out


def to_activity(m: BotMessage, language: str = "nl") -> Activity:
    custom = m.custom or {}
    citations = custom.get("citations") or []
    act = Activity(type=ActivityTypes.message, text_format="markdown")
    if m.buttons:
        act.attachments = [Attachment(content_type=ADAPTIVE_CARD, content=buttons_card(m.text, m.buttons))]
        act.summary = m.text[:200]
    elif custom.get("calculation"):
        # The sources travel as citation entities below, so the card leaves the quotes out.
        text = custom.get("text_without_sources") if citations and custom.get("text_without_sources") else m.text
        act.attachments = [Attachment(content_type=ADAPTIVE_CARD, content=calculation_card(
            text, custom["calculation"], language))]
        act.summary = m.text[:200]
    else:
        act.text = m.text
    if citations:
        markers = " ".join(f"[{i}]" for i in range(1, len(citations) + 1))
        label = texts.render("utter_channel_sources", language)
        act.text = (act.text + "\n\n" if act.text else "") + f"{label}: {markers}"
        act.add_ai_metadata(citations=teams_citations(citations))
    if custom.get("answer_id"):
        act.channel_data = {"feedbackLoopEnabled": True}
    return act


# -- the agent -----------------------------------------------------------------------
class TeamsChannel:
    """The Teams endpoint: SDK authentication, adapter and application around the service."""

    def __init__(self, service: ChannelService, config: Any, connection_manager: Connections) -> None:
        self.service = service
        self.config = config
        self.connections = connection_manager
        self.auth_config: AgentAuthConfiguration = connection_manager.get_default_connection_configuration()
        self.adapter = CloudAdapter(connection_manager=connection_manager)
        self.adapter.on_turn_error = self._on_adapter_error
        self.app = AgentApplication[TurnState](
            ApplicationOptions(storage=MemoryStorage(), start_typing_timer=False), connection_manager=connection_manager)
        self._register()

    @property
    def routes(self) -> list[Route]:
        return [Route("/api/messages", self.endpoint, methods=["POST"])]

    # -- HTTP -----------------------------------------------------------------------
    async def authenticate(self, header: str | None) -> ClaimsIdentity | None:
        """The SDK's JWT validation; None means 401. Anonymous only if configured (local dev)."""
        validator = JwtTokenValidator(self.auth_config)
        if not header:
            return validator.get_anonymous_claims() if self.auth_config.ANONYMOUS_ALLOWED else None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return None
        try:
            return await validator.validate_token(parts[1])
        except (PyJWTError, ValueError, KeyError, TypeError) as exc:
            log.warning("Teams request with a rejected token (%s)", type(exc).__name__)
            return None

    async def endpoint(self, request: Request) -> Response:
        limit = request.app.state.max_body
        try:
            check_declared_length(request, limit)
        except BadRequest as exc:
            return error(exc.status, exc.reason, self.service, CHANNEL)
        claims = await self.authenticate(request.headers.get("authorization"))
        if claims is None:
            return error(401, "unauthorized", self.service, CHANNEL)
        try:
            body = await read_json(request, limit)
            if not isinstance(body, dict):
                raise BadRequest(400, "activity must be a JSON object")
        except BadRequest as exc:
            return error(exc.status, exc.reason, self.service, CHANNEL)
        try:
            result = await self.adapter.process_request(StarletteRequestAdapter(request, body, claims), self.app)
        except (ValueError, TypeError) as exc:  # pydantic validation of a malformed activity
            log.warning("malformed Teams activity (%s)", type(exc).__name__)
            return error(400, "malformed activity", self.service, CHANNEL)
        if result.status_code >= 400:
            self.service.metrics.rejected.labels(CHANNEL, str(result.status_code)).inc()
        if result.body is not None:
            return JSONResponse(result.body, status_code=result.status_code, headers=result.headers)
        return Response(status_code=result.status_code, headers=result.headers)

    # -- turns ------------------------------------------------------------------------
    def _register(self) -> None:
        app = self.app
        app.conversation_update("membersAdded")(self.on_members_added)
        app.invoke("message/submitAction")(self.on_feedback)
        app.activity(IGNORED_TYPES)(self.on_ignored)
        app.message()(self.on_message)
        app.error(self.on_error)

    def _identity(self, context: TurnContext) -> tuple[str, str | None]:
        act = context.activity
        who = act.from_property
        raw = (who.aad_object_id or who.id) if who else "unknown"
        tenant = (act.conversation.tenant_id if act.conversation else None) or (
            (act.channel_data or {}).get("tenant", {}).get("id") if isinstance(act.channel_data, dict) else None)
        return raw, tenant

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        act = context.activity
        value = act.value if isinstance(act.value, dict) else {}
        text = value.get("payload") if isinstance(value.get("payload"), str) else act.text
        if text is None and act.attachments:
            await context.send_activity(Activity(type=ActivityTypes.message, text=texts.render(
                "utter_channel_unsupported", language_of_locale(act.locale) or "nl")))
            return
        raw, tenant = self._identity(context)
        meta = {"gemeente": self.service.gemeente(CHANNEL, tenant_id=tenant),
                "language": language_of_locale(act.locale)}
        reply = await self.service.handle(CHANNEL, raw, text or "", meta)
        for activity, answer_id in to_activities(reply):
            sent = await context.send_activity(activity)
            if answer_id and sent is not None and getattr(sent, "id", None):
                self.service.answers.alias(f"teams:{sent.id}", answer_id)

    async def on_members_added(self, context: TurnContext, state: TurnState) -> None:
        bot_id = context.activity.recipient.id if context.activity.recipient else None
        for member in context.activity.members_added or []:
            if member.id != bot_id:
                await context.send_activity(Activity(type=ActivityTypes.message,
                                                     text=texts.render("utter_channel_welcome", "nl")))
                return

    async def on_feedback(self, context: TurnContext, state: TurnState) -> None:
        """Teams' feedback loop: ``{"actionName": "feedback", "actionValue": {"reaction": "like"|"dislike",
        "feedback": "<json with feedbackText>"}}``, ``replyToId`` = the answer's activity id."""
        value = context.activity.value if isinstance(context.activity.value, dict) else {}
        action = value.get("actionValue") if isinstance(value.get("actionValue"), dict) else {}
        reaction = action.get("reaction")
        status = 200
        if value.get("actionName") == "feedback" and reaction in ("like", "dislike"):
            comment = None
            raw = action.get("feedback")
            if isinstance(raw, str):
                try:
                    parsed = json.loads(raw)
                    comment = parsed.get("feedbackText") if isinstance(parsed, dict) else None
                except ValueError:
                    comment = None
            await self.service.feedback(CHANNEL, f"teams:{context.activity.reply_to_id}",
                                        1 if reaction == "like" else -1, comment if isinstance(comment, str) else None)
        else:
            status = 400
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status)))

    async def on_ignored(self, context: TurnContext, state: TurnState) -> None:
        log.debug("ignoring Teams activity of type %s", context.activity.type)

    async def on_error(self, context: TurnContext, exc: Exception) -> None:
        log.error("Teams turn failed (%s)", type(exc).__name__, exc_info=exc)
        self.service.metrics.errors.labels(CHANNEL).inc()
        try:
            await context.send_activity(Activity(type=ActivityTypes.message,
                                                 text=texts.render("utter_channel_error", "nl")))
        except Exception:  # the connector itself may be what failed
            log.warning("could not tell the Teams user about the error")

    async def _on_adapter_error(self, context: TurnContext, exc: Exception) -> None:
        # Replaces the SDK default, which prints the traceback and sends the exception text to the user.
        await self.on_error(context, exc)

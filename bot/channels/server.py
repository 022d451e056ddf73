"""The ASGI app behind ``regelwijs serve``: every channel on one port, one event loop.

``GET /`` the web chat page (static files, no build step), ``GET /api/texts`` its texts,
``POST /webhooks/rest/webhook`` and ``POST /api/feedback`` (REST), ``POST /api/messages``
(Teams, when configured), ``POST /telegram/webhook`` (when a token and secret are
configured), ``GET /healthz`` and ``GET /metrics``.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.channels import rest, texts
from bot.channels.limits import MAX_BODY_BYTES
from bot.channels.service import ChannelService

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def index(request: Request) -> Response:
    return FileResponse(WEB_DIR / "index.html", headers=SECURITY_HEADERS)


async def page_texts(request: Request) -> Response:
    lang = request.query_params.get("lang", "nl")
    return JSONResponse(texts.web_texts(lang if lang in texts.LANGUAGES else "nl"),
                        headers={"Cache-Control": "max-age=300"})


async def healthz(request: Request) -> Response:
    state = request.app.state
    return JSONResponse({"status": "ok", "channels": sorted(state.channels)})


async def metrics(request: Request) -> Response:
    body, ctype = request.app.state.service.metrics.exposition()
    return Response(body, media_type=ctype)


def create_app(service: ChannelService, *, teams: Any = None, telegram: Any = None,
               max_body: int = MAX_BODY_BYTES) -> Starlette:
    """Wire the channels; ``teams`` is a ``TeamsChannel``, ``telegram`` a ``TelegramWebhook`` (both optional)."""
    routes: list[Any] = [
        Route("/", index, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/api/texts", page_texts, methods=["GET"]),
        *rest.routes,
    ]
    channels = ["rest", "web"]
    if teams is not None:
        routes += teams.routes
        channels.append("teams")
    if telegram is not None:
        routes += telegram.routes
        channels.append("telegram")
    routes.append(Mount("/static", StaticFiles(directory=WEB_DIR), name="static"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if telegram is not None:
            await telegram.start()
        try:
            yield
        finally:
            if telegram is not None:
                await telegram.stop()
            service.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    app.state.max_body = max_body
    app.state.channels = channels
    return app


def build_server_app(assistant: Any, *, runtime: Any = None, teams_connections: Any = None,
                     telegram_base_url: str | None = None, workers: int | None = None) -> Starlette:
    """Everything ``serve`` needs from an :class:`~bot.assistant.Assistant` and its config.

    ``teams_connections`` replaces the MSAL connection manager (tests point outbound
    tokens at a local stand-in); ``telegram_base_url`` points PTB at another Bot API server.
    """
    from bot.channels.telegram import TelegramWebhook, build_application, telegram_token, webhook_secret
    from bot.channels.teams import TeamsChannel, connection_manager_from_config
    from bot.cli_dialogue import make_runtime

    config = assistant.config
    runtime = runtime or make_runtime(assistant)
    service = ChannelService(runtime, config, workers=workers)
    teams = None
    connections = teams_connections or connection_manager_from_config(config)
    if connections is not None:
        teams = TeamsChannel(service, config, connections)
    telegram = None
    token, secret = telegram_token(config), webhook_secret(config)
    if token and secret:
        ptb = build_application(service, token, base_url=telegram_base_url or config.get("channels.telegram.base_url"),
                                webhook=True)
        telegram = TelegramWebhook(ptb, secret, config.get("channels.telegram.webhook_url"))
    elif token:
        log.warning("Telegram token set but no webhook secret: the webhook is off (use `regelwijs telegram`)")
    return create_app(service, teams=teams, telegram=telegram,
                      max_body=int(config.get("channels.max_body_bytes", MAX_BODY_BYTES)))

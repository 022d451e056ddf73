"""Fixtures for the channel tests: the real runtime on the shared test index, a fresh
database per test module, and live servers (uvicorn for ours, aiohttp for the stand-ins
of Telegram's Bot API and Teams' Bot Connector), all on 127.0.0.1."""
from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def warm_interpreter(assistant, interpreter):
    """The shared NLU interpreter, trained (if its model is missing or stale) before any
    server starts, so that no first request waits minutes for training."""
    interpreter.parse("hallo")
    return interpreter


@pytest.fixture(scope="module")
def channel_config(assistant, tmp_path_factory):
    """The assistant's config with a fresh database and a data dir of this module's own."""
    from bot.config import Config

    tmp = tmp_path_factory.mktemp("channels")
    raw = dict(assistant.config.raw)
    raw["database_url"] = f"sqlite:///{tmp / 'regelwijs.db'}"
    raw["channels"] = {"rate_limit": {"burst": 20, "per_second": 5}}
    return Config(assistant.config.path, raw)


@pytest.fixture(scope="module")
def make_service(assistant, warm_interpreter, channel_config):
    """Build a ChannelService on the real runtime with this module's database."""
    from bot.channels.identity import Pseudonymizer
    from bot.channels.service import ChannelService
    from bot.runtime import Runtime
    from bot.state import StateStore

    made: list[Any] = []

    def build(config=None, **kwargs: Any):
        cfg = config or channel_config
        runtime = Runtime(assistant, StateStore(cfg.database_url), warm_interpreter)
        kwargs.setdefault("pseudonymizer", Pseudonymizer(b"test-sender-key"))
        service = ChannelService(runtime, cfg, **kwargs)
        made.append(service)
        return service

    yield build
    for s in made:
        s.close()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer:
    """An ASGI app under uvicorn in a background thread, on a free 127.0.0.1 port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.sock.close()


class AiohttpStandIn:
    """An aiohttp app (a stand-in for an outside service) in its own thread and event loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner = None

    def __enter__(self) -> "AiohttpStandIn":
        from aiohttp import web

        self.thread.start()

        async def start() -> None:
            self._runner = web.AppRunner(self.app, access_log=None)
            await self._runner.setup()
            await web.SockSite(self._runner, self.sock).start()

        asyncio.run_coroutine_threadsafe(start(), self.loop).result(15)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(15)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server() -> Callable[[Any], LiveServer]:
    return LiveServer


@pytest.fixture(scope="session")
def stand_in() -> Callable[[Any], AiohttpStandIn]:
    return AiohttpStandIn


@pytest.fixture(scope="module")
def server(make_service, live_server):
    """``regelwijs serve``'s app on a local port, one per test module, with its service."""
    from bot.channels.server import create_app

    service = make_service()
    with live_server(create_app(service)) as srv:
        srv.service = service
        yield srv


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05) -> Any:
    """Poll until ``predicate()`` is truthy (replies to webhooks arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for a condition")
        time.sleep(interval)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def waiter() -> Callable[..., Any]:
    return wait_for

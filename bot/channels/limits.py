"""Protection against floods and oversized or malformed requests.

A token bucket per pseudonymised sender keeps one noisy client from starving the others
(the embedding step is CPU-bound, so every message costs real time). Request bodies are
checked against a byte limit before parsing: first the declared Content-Length, then a
running count while streaming, because a client can lie about or omit the header.
"""
from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from starlette.requests import Request

MAX_BODY_BYTES = 1024 * 1024


class TokenBucketLimiter:
    """``allow(key)`` spends one token; buckets refill at ``rate`` per second up to ``burst``.

    At most ``max_keys`` buckets are kept (least recently used dropped): a dropped bucket
    is equivalent to a full one, so memory stays bounded without punishing anyone.
    """

    def __init__(self, rate: float = 1.0, burst: float = 10.0, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = float(rate)
        self.burst = float(burst)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self.clock()
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return allowed

    def retry_after(self, key: str) -> float:
        tokens, _ = self._buckets.get(key, (self.burst, 0.0))
        return max(0.0, (1.0 - tokens) / self.rate) if self.rate > 0 else 60.0


@dataclass
class BadRequest(Exception):
    """A request we refuse; ``status`` is the HTTP status, ``reason`` a short English code."""

    status: int
    reason: str


def is_json_content_type(request: Request) -> bool:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype == "application/json" or (ctype.startswith("application/") and ctype.endswith("+json"))


def check_declared_length(request: Request, limit: int = MAX_BODY_BYTES) -> None:
    """Reject on the Content-Length header alone (cheap, before authentication or reading)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            n = int(declared)
        except ValueError:
            raise BadRequest(400, "bad content-length") from None
        if n > limit:
            raise BadRequest(413, "body too large")


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, counted while streaming so a missing or false Content-Length cannot bypass the limit."""
    check_declared_length(request, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(413, "body too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int = MAX_BODY_BYTES, require_type: bool = True) -> Any:
    """Parsed JSON body, or :class:`BadRequest` (415 wrong type, 413 too big, 400 malformed)."""
    if require_type and not is_json_content_type(request):
        raise BadRequest(415, "content-type must be application/json")
    raw = await read_body(request, limit)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "malformed json") from None

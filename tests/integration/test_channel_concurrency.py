"""50 senders at once over REST: every answer reaches its own sender, no state mixes, and
the event loop keeps serving (the turns run in the worker pool)."""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.slow

SENDERS = 50


def plan(i: int) -> tuple[int, int]:
    """A distinct (hours per week, hours already taken) pair per sender."""
    return 12 + i % 25, i // 25


async def conversation(client: httpx.AsyncClient, i: int) -> dict:
    sender = f"concurrent-{i:02d}"
    hours, taken = plan(i)

    async def say(text: str) -> list[dict]:
        r = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
        assert r.status_code == 200, r.text
        body = r.json()
        assert all(m["recipient_id"] == sender for m in body)
        return body

    first = await say("ik wil zorgverlof berekenen")
    kort = next(b for m in first for b in m["buttons"] if b["title"].lower().startswith("kort"))
    await say(kort["payload"])
    await say(str(hours))
    last = await say(str(taken))
    calc = next(m["custom"]["calculation"] for m in last if m["custom"].get("kind") == "calculation")
    return {"sender": sender, "hours": hours, "taken": taken, "inputs": calc["inputs"], "text": last[0]["text"]}


def test_fifty_simultaneous_senders(server):
    health: list[float] = []
    done = threading.Event()

    def probe() -> None:  # its own thread and client: measures the server, not our client loop
        with httpx.Client(base_url=server.url, timeout=60) as c:
            while not done.is_set():
                t0 = time.perf_counter()
                assert c.get("/healthz").status_code == 200
                health.append(time.perf_counter() - t0)
                time.sleep(0.2)

    async def main() -> list[dict]:
        limits = httpx.Limits(max_connections=SENDERS + 5, max_keepalive_connections=SENDERS + 5)
        async with httpx.AsyncClient(base_url=server.url, timeout=300, limits=limits) as client:
            return await asyncio.gather(*(conversation(client, i) for i in range(SENDERS)))

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        results = asyncio.run(main())
    finally:
        done.set()
        prober.join(60)
    assert len({r["sender"] for r in results}) == SENDERS
    for r in results:
        values = {float(v) for v in r["inputs"].values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        assert float(r["hours"]) in values, r
        assert float(r["taken"]) in values, r
        assert f"{r['hours']}" in r["text"]
    # Each sender's state holds its own numbers only.
    store = server.service.runtime.store
    for r in results[:10]:
        state = store.load(server.service.pseudonym("rest", r["sender"]))
        assert state.slots.get("uren_per_week") in (r["hours"], float(r["hours"]))
    # Served throughout (if turns ran on the event loop, /healthz would wait for the whole queue).
    health.sort()
    summary = f"/healthz p50 {health[len(health) // 2]:.3f}s, max {health[-1]:.2f}s over {len(health)} probes"
    print(summary)
    assert health[len(health) // 2] < 0.25 and health[-1] < 2.0, summary

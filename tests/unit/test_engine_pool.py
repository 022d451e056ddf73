"""The engine pool: concurrent small requests share engine calls, results go back to the
right caller in order, errors reach every caller, and the pool never exceeds its size."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from knowledge.engine_pool import EnginePool


class FakeEngine:
    """Embeds a text as [len(text), id of the handle]; slow enough for requests to queue."""

    made = 0

    def __init__(self, delay: float = 0.02) -> None:
        FakeEngine.made += 1
        self.id = FakeEngine.made
        self.delay = delay
        self.busy = threading.Lock()
        self.batches: list[int] = []

    def query(self, texts: list[str]) -> np.ndarray:
        assert self.busy.acquire(blocking=False), "one call at a time per handle"
        try:
            time.sleep(self.delay)
            self.batches.append(len(texts))
            return np.array([[len(t), self.id] for t in texts], dtype=np.float32)
        finally:
            self.busy.release()


def make_pool(size: int, max_batch: int = 8, engines: list | None = None) -> EnginePool:
    engines = engines if engines is not None else []

    def make() -> FakeEngine:
        engines.append(FakeEngine())
        return engines[-1]

    return EnginePool(make, lambda h, kind, texts: getattr(h, kind)(texts), size=size, max_batch=max_batch)


def test_lone_request_is_embedded_at_once() -> None:
    pool = make_pool(2)
    rows = pool.embed("query", ["abc", "de"])
    assert rows[:, 0].tolist() == [3, 2] and pool.calls == 1 and pool.created == 1


def test_concurrent_requests_are_merged_and_answered_in_order() -> None:
    engines: list = []
    pool = make_pool(2, max_batch=8, engines=engines)
    texts = ["x" * (i + 1) for i in range(24)]
    got: dict[int, float] = {}

    def ask(i: int) -> None:
        got[i] = float(pool.embed("query", [texts[i]])[0, 0])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == {i: float(i + 1) for i in range(24)}  # every caller got its own row
    assert pool.created <= 2 and len(engines) <= 2
    assert pool.calls < 24  # requests that queued shared engine calls
    assert max(b for e in engines for b in e.batches) <= 8


def test_an_engine_error_reaches_every_waiting_caller() -> None:
    class Broken(FakeEngine):
        def query(self, texts):
            time.sleep(0.02)
            raise RuntimeError("engine down")

    pool = EnginePool(Broken, lambda h, kind, texts: getattr(h, kind)(texts), size=1)
    errors = []

    def ask() -> None:
        try:
            pool.embed("query", ["x"])
        except RuntimeError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert errors == ["engine down"] * 5 and all(not t.is_alive() for t in threads)
    assert len(pool._free) == 1  # the handle came back


def test_kinds_are_never_mixed_in_one_call() -> None:
    class Two(FakeEngine):
        def passage(self, texts):
            return -self.query(texts)

    pool = EnginePool(Two, lambda h, kind, texts: getattr(h, kind)(texts), size=1)
    out: dict[str, np.ndarray] = {}
    threads = [threading.Thread(target=lambda k=k: out.setdefault(k, pool.embed(k, ["abcd"]))) for k in
               ("query", "passage", "query", "passage")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out["query"][0, 0] == 4 and out["passage"][0, 0] == -4


def test_a_failing_handle_constructor_releases_its_slot() -> None:
    calls = {"n": 0}

    def make():
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("no memory")
        return FakeEngine(delay=0.05)

    pool = EnginePool(make, lambda h, kind, texts: h.query(texts), size=2)
    results, errors = [], []

    def ask() -> None:
        try:
            results.append(pool.embed("query", ["ab"]))
        except OSError:
            errors.append(1)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert len(results) + len(errors) == 2
    assert pool.embed("query", ["abc"])[0, 0] == 3  # the pool still works


@pytest.mark.parametrize("size", [1, 2])
def test_big_jobs_are_not_split_or_merged(size: int) -> None:
    pool = make_pool(size, max_batch=4)
    rows = pool.embed("query", ["a"] * 10)
    assert rows.shape == (10, 2)

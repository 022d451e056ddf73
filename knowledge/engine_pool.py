"""A pool of embedding-engine handles that merges concurrent small requests into batches.

Why: with one handle per core embedding in parallel, each query streams the whole 4-bit
model through the memory system; two cores doing that at once slowed each query by
10-25 % (measured: 51-62 ms of CPU per query in parallel against 45-49 ms alone). A
batch of a few queries reads the weights once for all of them (45-52 ms per query in
parallel with batches of four). So concurrent callers queue their texts, and whichever
caller gets a free handle embeds everything waiting, up to ``max_batch`` texts, in one
engine call. A lone request is embedded at once: nothing ever waits for a batch to fill.

Leader/follower: a caller that finds a free handle serves the queue until its own texts
are done, then hands the handle back; a caller that finds none waits until its texts are
done by another caller or a handle comes free. All bookkeeping happens under one
condition variable; the engine calls run outside it (ctypes releases the GIL).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["EnginePool"]


@dataclass
class _Job:
    kind: str
    texts: list[str]
    result: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class EnginePool:
    """``embed(kind, texts)`` on up to ``size`` handles made by ``make_handle``.

    ``call(handle, kind, texts)`` runs one engine call and returns one row per text.
    """

    make_handle: Callable[[], Any]
    call: Callable[[Any, str, list[str]], np.ndarray]
    size: int = 1
    max_batch: int = 8
    created: int = 0
    calls: int = 0  # engine calls made (for benchmarks: batches count once)
    _free: list[Any] = field(default_factory=list)
    _pending: list[_Job] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self._free.append(self._new())  # fail at construction, not at the first question

    def _new(self) -> Any:
        handle = self.make_handle()
        self.created += 1
        return handle

    def _acquire_locked(self) -> Any | None:
        """A free handle, a new one while the pool is below its size, or None."""
        if self._free:
            return self._free.pop()
        if self.created < self.size:
            self.created += 1  # reserved now; made outside the lock by the caller
            return _NEW
        return None

    def _take_locked(self) -> list[_Job]:
        """Waiting jobs of the first job's kind, up to ``max_batch`` texts (at least one job)."""
        if not self._pending:
            return []
        kind = self._pending[0].kind
        batch, n = [], 0
        for job in list(self._pending):
            if job.kind != kind or (batch and n + len(job.texts) > self.max_batch):
                continue
            batch.append(job)
            n += len(job.texts)
        for job in batch:
            self._pending.remove(job)
        return batch

    def embed(self, kind: str, texts: list[str]) -> np.ndarray:
        """Rows for ``texts`` (in order), embedded alone or together with other callers' texts."""
        job = _Job(kind, list(texts))
        with self._cond:
            self._pending.append(job)
            handle = self._acquire_locked()
            while handle is None and not job.done:
                self._cond.wait()
                if not job.done:
                    handle = self._acquire_locked()
        if handle is not None:
            if handle is _NEW:
                try:
                    handle = self.make_handle()
                except BaseException:
                    with self._cond:
                        self.created -= 1
                        if job in self._pending:
                            self._pending.remove(job)
                        self._cond.notify_all()
                    raise
            self._lead(handle, job)
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _lead(self, handle: Any, own: _Job) -> None:
        """Serve waiting jobs with ``handle`` until ``own`` is done, then give the handle back."""
        try:
            while True:
                with self._cond:
                    batch = [] if own.done else self._take_locked()
                    if not batch:  # done, or own job taken by another leader: free the handle now
                        self._free.append(handle)
                        handle = None
                        self._cond.notify_all()
                        while not own.done:
                            self._cond.wait()
                        return
                self._serve(handle, batch)
        finally:
            if handle is not None:  # an exception escaped: never lose a handle
                with self._cond:
                    self._free.append(handle)
                    self._cond.notify_all()

    def _serve(self, handle: Any, batch: list[_Job]) -> None:
        texts = [t for job in batch for t in job.texts]
        try:
            rows = self.call(handle, batch[0].kind, texts)
        except BaseException as exc:  # every waiting caller gets the error, nobody hangs
            with self._cond:
                for job in batch:
                    job.error, job.done = exc, True
                self._cond.notify_all()
            return
        with self._cond:
            self.calls += 1  # counted under the lock: two handles finish at the same time
            start = 0
            for job in batch:
                job.result = rows[start:start + len(job.texts)]
                job.done = True
                start += len(job.texts)
            self._cond.notify_all()


_NEW = object()  # marker: a handle slot reserved, the handle still to be made

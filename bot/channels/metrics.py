"""Prometheus metrics for the channels: counts and timings only, never message content.

A registry per server (not the global default) so that tests and benchmarks can start
several servers in one process without duplicate-metric errors.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ChannelMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages = Counter("regelwijs_messages", "User messages handled", ["channel"], registry=r)
        self.latency = Histogram("regelwijs_response_seconds", "Time from message in to responses out",
                                 ["channel"], buckets=LATENCY_BUCKETS, registry=r)
        self.fallbacks = Counter("regelwijs_fallbacks", "Turns that ended in a fallback (not understood)",
                                 ["channel"], registry=r)
        self.unanswered = Counter("regelwijs_unanswered", "Questions the regelingen did not answer",
                                  ["channel"], registry=r)
        self.meldingen = Counter("regelwijs_meldingen_submitted", "Meldingen submitted", ["channel"], registry=r)
        self.rate_limited = Counter("regelwijs_rate_limited", "Messages refused by the per-sender rate limit",
                                    ["channel"], registry=r)
        self.rejected = Counter("regelwijs_requests_rejected", "HTTP requests refused (bad input, auth, size)",
                                ["channel", "status"], registry=r)
        self.feedback = Counter("regelwijs_feedback", "Feedback on answers", ["channel", "rating"], registry=r)
        self.errors = Counter("regelwijs_errors", "Turns that raised an error", ["channel"], registry=r)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

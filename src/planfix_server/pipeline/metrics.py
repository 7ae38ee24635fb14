"""Prometheus metrics: requests by function and answer code, and their latency."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess

from planfix_server.api.registry import REGISTRY

REGISTRY_METRICS = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "planfix_requests",
    "XML API requests by function and answer code (ok or the error code).",
    ["function", "code"],
    registry=REGISTRY_METRICS,
)
LATENCY = Histogram(
    "planfix_request_seconds",
    "Time to answer an XML API request.",
    ["function"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY_METRICS,
)
RETRIES = Counter(
    "planfix_transaction_retries",
    "Transactions run again after the database aborted them for a conflict, by function.",
    ["function"],
    registry=REGISTRY_METRICS,
)
REFUSED = Counter(
    "planfix_refused_busy",
    "Requests refused with HTTP 503 because the worker's waiting line was full.",
    registry=REGISTRY_METRICS,
)


def _label(function: str) -> str:
    # Unknown names would let any client grow the label set; they share one label.
    return function if function in REGISTRY else "unknown"


# The labelled children per (function label, code): ``labels()`` checks and locks on every call,
# and both sets are small (the registry's functions, the answer codes).
_CHILDREN: dict[tuple[str, str], tuple[Counter, Histogram]] = {}


def observe(function: str, code: str, seconds: float) -> None:
    label = _label(function)
    children = _CHILDREN.get((label, code))
    if children is None:
        children = _CHILDREN[label, code] = (REQUESTS.labels(label, code), LATENCY.labels(label))
    requests, latency = children
    requests.inc()
    latency.observe(seconds)


def retried(function: str) -> None:
    RETRIES.labels(_label(function)).inc()


def refused() -> None:
    REFUSED.inc()


def exposition() -> bytes:
    """The metrics text; with several workers, the sum of all of them."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return bytes(generate_latest(registry))
    return bytes(generate_latest(REGISTRY_METRICS))

"""Load on servers over a real socket, in rounds, with the server's own time from its /metrics.

Every case (a server and one request) is loaded by ``bench.user_get.Load`` (``wrk`` or
``bench/loadgen.py`` in its own process) for the same seconds; the cases take turns within a round
and the order flips every round, so a drift of a shared machine hits all of them. Around each run
the app's ``/metrics`` is read: the growth of the latency histogram's sum and count is the mean
time the server spent per answer of that run (no network, no queueing in the socket).
"""

from __future__ import annotations

import http.client
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.processes import Credentials, Round, Target
from bench.user_get import Load

_SERIES = re.compile(r'^planfix_request_seconds_(sum|count)\{function="([^"]*)"\} (\S+)$')


@dataclass(frozen=True)
class Case:
    label: str
    target: Target
    credentials: Credentials
    function: str | None = None  # the API function, to read its server time; None: no /metrics


@dataclass
class Measured:
    rounds: list[Round] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        rounds = self.rounds
        return {
            "rps": round(statistics.median(r.rps for r in rounds), 1),
            "rps_rounds": [round(r.rps, 1) for r in rounds],
            "p50_ms": round(statistics.median(r.p50_ms for r in rounds), 3),
            "p99_ms": round(statistics.median(r.p99_ms for r in rounds), 3),
            "server_ms": round(statistics.median(self.server_ms), 3) if self.server_ms else None,
            "requests": sum(r.requests for r in rounds),
            "errors": sum(r.errors for r in rounds),
        }


def metrics_text(target: Target) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        return connection.getresponse().read().decode()
    finally:
        connection.close()


def latency_totals(target: Target, function: str) -> tuple[float, float]:
    """(seconds, answers) the server has spent on ``function`` so far."""
    totals = {"sum": 0.0, "count": 0.0}
    for line in metrics_text(target).splitlines():
        match = _SERIES.match(line)
        if match and match.group(2) == function:
            totals[match.group(1)] += float(match.group(3))
    return totals["sum"], totals["count"]


def not_ok_answers(target: Target) -> dict[str, dict[str, int]]:
    """Answers other than ``ok``, by function and code."""
    found: dict[str, dict[str, int]] = {}
    for line in metrics_text(target).splitlines():
        match = re.match(
            r'planfix_requests_total\{(?=.*code="([^"]*)")(?=.*function="([^"]*)").*\} (\S+)', line
        )
        if match and match.group(1) != "ok" and float(match.group(3)) > 0:
            code, function, value = match.groups()
            found.setdefault(function, {})[code] = int(float(value))
    return found


@dataclass(frozen=True)
class Runner:
    loadgen: str
    connections: int
    threads: int
    workdir: Path
    rounds: int
    seconds: float
    warmup: float

    def _one(self, case: Case, seconds: float) -> tuple[Round, float | None]:
        load = Load(self.loadgen, self.connections, self.threads, self.workdir, case.credentials)
        if case.function is None:
            return load.run(case.target, seconds), None
        spent, answers = latency_totals(case.target, case.function)
        figure = load.run(case.target, seconds)
        spent_after, answers_after = latency_totals(case.target, case.function)
        count = answers_after - answers
        return figure, ((spent_after - spent) / count * 1000 if count else None)

    def run(self, cases: list[Case]) -> dict[str, dict[str, Any]]:
        """Each case's figures: medians over the rounds."""
        measured = {case.label: Measured() for case in cases}
        if self.warmup > 0:
            for case in cases:
                self._one(case, self.warmup)
        for index in range(self.rounds):
            for case in cases if index % 2 == 0 else cases[::-1]:
                figure, server_ms = self._one(case, self.seconds)
                measured[case.label].rounds.append(figure)
                if server_ms is not None:
                    measured[case.label].server_ms.append(server_ms)
        return {label: one.summary() for label, one in measured.items()}

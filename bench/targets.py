"""The issue's targets, each judged from the run's own figures: PASS, FAIL, or NOT RUN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.scenarios import CEILING

FULL_SIZE = 1_000_000
LIST = "task.getList page 1"


@dataclass(frozen=True)
class Verdict:
    target: str
    figure: str
    status: str  # PASS, FAIL or NOT RUN


def _judge(target: str, value: float | None, passes: bool, figure: str) -> Verdict:
    if value is None:
        return Verdict(target, figure or "not measured in this run", "NOT RUN")
    return Verdict(target, figure, "PASS" if passes else "FAIL")


def _at(size: int) -> str:
    return "" if size == FULL_SIZE else f" (at {size:,} tasks: the target is set at {FULL_SIZE:,})"


def ceiling_ratio(result: dict[str, Any]) -> Verdict:
    target = "`task.get` throughput ≥ 0.5 × the ceiling in the same run"
    functions = result.get("functions")
    if not functions:
        return _judge(target, None, False, "")
    ops = functions["operations"]
    ceiling, task_get = ops[CEILING]["rps"], ops["task.get"]["rps"]
    ratio = task_get / ceiling if ceiling else 0.0
    return _judge(target, ratio, ratio >= 0.5, f"{ratio:.2f} ({task_get:,.0f} / {ceiling:,.0f} req/s)")


def _sizes(result: dict[str, Any], backend: str) -> list[dict[str, Any]]:
    return sorted(
        (one for one in result.get("sizes", []) if one["backend"] == backend), key=lambda one: one["tasks"]
    )


def list_server_time(result: dict[str, Any]) -> Verdict:
    target = "`task.getList` (100 tasks) server time ≤ 10 ms on SQLite at 1M tasks"
    sizes = _sizes(result, "sqlite")
    if not sizes:
        return _judge(target, None, False, "")
    largest = sizes[-1]
    ms = largest["server"][LIST]["p50_ms"]
    return _judge(target, ms, ms <= 10.0, f"{ms:.2f} ms, median in process{_at(largest['tasks'])}")


def list_p99_growth(result: dict[str, Any], backend: str, label: str) -> Verdict:
    target = f"`task.getList` p99 growing ≤ 2× from 10k to 1M tasks ({label})"
    sizes = _sizes(result, backend)
    if len(sizes) < 2:
        return _judge(target, None, False, "")
    small, large = sizes[0], sizes[-1]
    before, after = small["server"][LIST]["p99_ms"], large["server"][LIST]["p99_ms"]
    growth = after / before if before else 0.0
    figure = (
        f"{growth:.2f}× ({before:.2f} → {after:.2f} ms, server p99, "
        f"{small['tasks']:,} → {large['tasks']:,} tasks)"
    )
    return _judge(target, growth, growth <= 2.0, figure)


def scale_out(result: dict[str, Any]) -> Verdict:
    target = "2 workers on PostgreSQL ≥ 1.7 × 1 worker"
    scale = result.get("scale_out")
    if not scale:
        return _judge(target, None, False, "")
    ratio = scale["ratio"]
    return _judge(target, ratio, ratio >= 1.7, f"{ratio:.2f}× (geometric mean over the functions)")


def memory(result: dict[str, Any]) -> Verdict:
    target = "Worker memory ≤ 150 MB after the 1M-task scenarios"
    sizes = result.get("sizes", [])
    if not sizes:
        return _judge(target, None, False, "")
    largest = max(one["tasks"] for one in sizes)
    at_largest = [one for one in sizes if one["tasks"] == largest]
    worst = max(at_largest, key=lambda one: one["memory"]["rss_mb"])
    rss = worst["memory"]["rss_mb"]
    return _judge(target, rss, rss <= 150.0, f"{rss:.0f} MB resident ({worst['backend']}){_at(largest)}")


def sdk(result: dict[str, Any]) -> Verdict:
    target = "1,000 SDK calls against the sandbox ≤ 2 s"
    figures = result.get("sdk")
    if not figures or "sync-process" not in figures["variants"]:
        return _judge(target, None, False, "")
    calls = figures["calls"]
    seconds = figures["variants"]["sync-process"]["median_seconds"] * 1000 / calls
    scaled = "" if calls == 1000 else f", scaled from {calls:,} calls"
    return _judge(target, seconds, seconds <= 2.0, f"{seconds:.2f} s (server in its own process{scaled})")


def verdicts(result: dict[str, Any]) -> list[Verdict]:
    return [
        ceiling_ratio(result),
        list_server_time(result),
        list_p99_growth(result, "sqlite", "SQLite"),
        list_p99_growth(result, "postgresql", "PostgreSQL"),
        scale_out(result),
        memory(result),
        sdk(result),
    ]

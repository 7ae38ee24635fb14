"""The suite's Markdown report: run facts, the targets with PASS/FAIL, one section per scenario."""

from __future__ import annotations

from typing import Any

from bench.scenarios import CEILING, SIZE_OPERATIONS
from bench.targets import verdicts

BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SKIPPED = "Not run: {reason}."


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _not_ok(failed: dict[str, Any]) -> list[str]:
    return ["", f"**WARNING**: answers other than `ok`: `{failed}`"] if failed else []


def header(result: dict[str, Any]) -> list[str]:
    run, machine = result["run"], result["machine"]
    lines = ["# planfix-server benchmark report", ""]
    if run.get("scale_note"):
        lines += [f"> {run['scale_note']}", ""]
    lines += [
        f"- Command: `{run['command']}`",
        f"- Preset: {run['preset']}; started {run['started']}, took {run['minutes']:.1f} min",
        f"- Revision: {machine['revision']}",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_mb']:,} MB, "
        f"{machine['platform']}, Python {machine['python']}",
        f"- Load average (1, 5, 15 min): {run['load_start']} at start, {run['load_end']} at the end",
        f"- Load generator: {run['loadgen']}, {run['connections']} connections, one request in flight each; "
        f"{run['rounds']} rounds × {run['seconds']} s per case after {run['warmup']} s of warm-up; "
        "the cases take turns and the order flips every round",
        f"- Server time in process: {run['rounds']} rounds × {run['samples']} sequential calls per "
        "operation through `Server.answer` (after a warm-up); figures are medians over the rounds",
        f"- Backends: {', '.join(BACKENDS[name] for name in run['backends'])}",
        "",
        "Every figure is a median over the rounds; every comparison is a ratio of figures measured side "
        "by side in this run. The machine is shared: compare ratios, not absolute figures, across runs.",
        "",
    ]
    return lines


def targets(result: dict[str, Any]) -> list[str]:
    lines = ["## Targets", "", "| Target | Figure | Result |", "|---|---|---|"]
    for verdict in verdicts(result):
        lines.append(f"| {verdict.target} | {verdict.figure} | **{verdict.status}** |")
    return [*lines, ""]


def functions(result: dict[str, Any]) -> list[str]:
    lines = ["## 1. Ceiling and 2. Functions on one worker", ""]
    found = result.get("functions")
    if not found:
        return [*lines, SKIPPED.format(reason=result["skipped"].get("functions", "not selected")), ""]
    ops = found["operations"]
    ceiling = ops[CEILING]["rps"]
    lines += [
        f"{BACKENDS[found['backend']]}, {found['tasks']:,} tasks (and the seed's history and contacts), "
        "one uvicorn worker. The ceiling is a bare ASGI app answering a fixed body under the same "
        "uvicorn options. *Server ms*: mean time per answer inside the server during the load (from "
        "its `/metrics` histogram), without the socket and the queue.",
        "",
        "| Case | req/s | × ceiling | p50 ms | p99 ms | server ms | req/s per round | errors |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for label, one in ops.items():
        share = one["rps"] / ceiling if ceiling else 0.0
        rounds = ", ".join(f"{value:.0f}" for value in one["rps_rounds"])
        lines.append(
            f"| {label} | {one['rps']:,.0f} | {share:.2f} | {_ms(one['p50_ms'])} | {_ms(one['p99_ms'])} "
            f"| {_ms(one['server_ms'])} | {rounds} | {one['errors']} |"
        )
    return [*lines, *_not_ok(found["not_ok"]), ""]


def data_size(result: dict[str, Any]) -> list[str]:
    lines = ["## 3. Data size", ""]
    sizes = result.get("sizes")
    if not sizes:
        return [*lines, SKIPPED.format(reason=result["skipped"].get("sizes", "not selected")), ""]
    config = result["run"]
    lines += [
        f"One account of N tasks plus {config['other_accounts']} other accounts of "
        f"{config['other_tasks']:,} tasks each. *Server* columns: in process, one request at a time "
        "(p50/p99 of the wall time; CPU: of the answering thread). *Client* columns: over the socket "
        f"under {config['connections']} connections (queueing included), and the mean server time "
        "during that load from `/metrics`. Plot: [latency.png](latency.png).",
        "",
        "| backend | tasks | operation | server p50 ms | server p99 ms | CPU p50 ms | req/s "
        "| client p50 ms | client p99 ms | server ms under load |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for one in sorted(sizes, key=lambda one: (one["backend"], one["tasks"])):
        for operation in SIZE_OPERATIONS:
            server, load = one["server"][operation], one["load"][operation]
            lines.append(
                f"| {BACKENDS[one['backend']]} | {one['tasks']:,} | {operation} | {_ms(server['p50_ms'])} "
                f"| {_ms(server['p99_ms'])} | {_ms(server['cpu_p50_ms'])} | {load['rps']:,.0f} "
                f"| {_ms(load['p50_ms'])} | {_ms(load['p99_ms'])} | {_ms(load['server_ms'])} |"
            )
    lines += [
        "",
        "Seeding (cached for later runs): "
        + ", ".join(f"{BACKENDS[one['backend']]} {one['tasks']:,}: {one['seed_seconds']} s" for one in sizes),
    ]
    for one in sizes:
        errors = {op: figures["errors"] for op, figures in one["server"].items() if figures["errors"]}
        if errors or one["not_ok"]:
            where = f"{BACKENDS[one['backend']]}, {one['tasks']:,}"
            lines.append(f"\n**WARNING** ({where}): not ok: {errors} {one['not_ok']}")
    return [*lines, ""]


def scale_out(result: dict[str, Any]) -> list[str]:
    lines = ["## 4. Scale-out: 1 vs 2 workers (PostgreSQL + Redis)", ""]
    found = result.get("scale_out")
    if not found:
        return [*lines, SKIPPED.format(reason=result["skipped"].get("scale_out", "not selected")), ""]
    rounds = result.get("run", {}).get("scale_rounds", "the")
    lines += [
        "The same functions as in 2, against two servers on one PostgreSQL database with Redis "
        f"counters: one with a single worker, one with two, {rounds} rounds. In each round the two "
        "servers take their turns one after the other; a function's *ratio* is the median over the "
        "rounds of that round's 2-worker req/s over its 1-worker req/s. Geometric mean of the ratios: "
        f"**{found['ratio']:.2f}×**.",
        "",
        "| Function | 1 worker req/s | 2 workers req/s | ratio | ratio per round "
        "| 1 worker p99 ms | 2 workers p99 ms |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for label, one in found["operations"].items():
        per_round = ", ".join(f"{value:.2f}" for value in one.get("round_ratios", []))
        lines.append(
            f"| {label} | {one['one']['rps']:,.0f} | {one['two']['rps']:,.0f} | {one['ratio']:.2f} "
            f"| {per_round} | {_ms(one['one']['p99_ms'])} | {_ms(one['two']['p99_ms'])} |"
        )
    failed = {name: codes for name, codes in found["not_ok"].items() if codes}
    if failed:
        lines += ["", f"**WARNING**: answers other than `ok`: `{failed}`"]
    return [*lines, ""]


def memory(result: dict[str, Any]) -> list[str]:
    lines = ["## 5. Memory", ""]
    sizes = result.get("sizes")
    if not sizes:
        return [*lines, SKIPPED.format(reason=result["skipped"].get("sizes", "not selected")), ""]
    lines += [
        "Resident set of the worker (one uvicorn worker, its own process) after the scenarios of "
        "each size in 3: the in-process server-time runs are in the suite's own process, the load "
        "runs in the worker.",
        "",
        "| backend | tasks | RSS MB | peak RSS MB |",
        "|---|---:|---:|---:|",
    ]
    for one in sorted(sizes, key=lambda one: (one["backend"], one["tasks"])):
        lines.append(
            f"| {BACKENDS[one['backend']]} | {one['tasks']:,} | {one['memory']['rss_mb']:.1f} "
            f"| {one['memory']['peak_rss_mb']:.1f} |"
        )
    return [*lines, ""]


def sdk(result: dict[str, Any]) -> list[str]:
    lines = ["## 6. SDK", ""]
    found = result.get("sdk")
    if not found:
        return [*lines, SKIPPED.format(reason=result["skipped"].get("sdk", "not selected")), ""]
    lines += [
        f"{found['calls']:,} typed `client.user.get()` calls, limits off, median of {found['rounds']} "
        "rounds (`bench/sdk.py`). The sandbox is the server in its own process over a loopback "
        "socket (`sync-process`).",
        "",
        "| Way | median s | µs per call | CPU s | s per round |",
        "|---|---:|---:|---:|---|",
    ]
    for variant in found["variants"].values():
        cpu = "-" if variant["median_cpu_seconds"] is None else f"{variant['median_cpu_seconds']:.2f}"
        rounds = ", ".join(f"{value:.2f}" for value in variant["seconds"])
        lines.append(
            f"| {variant['label']} | {variant['median_seconds']:.2f} | {variant['median_us_per_call']} "
            f"| {cpu} | {rounds} |"
        )
    if found.get("server_answers"):
        lines += ["", f"Server answers (own process): `{found['server_answers']}`"]
    return [*lines, ""]


def markdown(result: dict[str, Any]) -> str:
    parts = [header, targets, functions, data_size, scale_out, memory, sdk]
    lines: list[str] = []
    for part in parts:
        lines += part(result)
    if result.get("plot"):
        lines += ["## Latency against data size", "", f"![latency against data size]({result['plot']})", ""]
    return "\n".join(lines)

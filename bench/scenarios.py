"""The suite's scenarios; each returns its figures as plain data for the report.

1-2. ``functions_on_one_worker``: the ceiling (a bare ASGI app) next to each function on one worker.
3, 5. ``data_size``: task.get and task.getList at each size; the worker's memory after the load.
4. ``scale_out``: the same functions on 1 and 2 workers, PostgreSQL + Redis.
6. ``sdk_calls``: ``bench/sdk.py``'s typed calls, limits off.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import actions as action_bench
from bench import tasks as task_bench
from bench.datasets import Dataset
from bench.loads import Case, Runner, not_ok_answers
from bench.machine import worker_memory
from bench.processes import (
    Credentials,
    Target,
    app_command,
    ceiling_command,
    child_env,
    free_port,
    serve_command,
    spawn,
    stop,
    wait_ready,
)

CEILING = "ceiling (bare ASGI, fixed body)"
DEEP_PAGE = 100  # tasks 9 901-10 000: an offset that costs the same at every size from 10k on
SIZE_OPERATIONS = ("task.get", "task.getList page 1", f"task.getList page {DEEP_PAGE}")


def page(number: int) -> str:
    return f"<pageSize>100</pageSize><pageCurrent>{number}</pageCurrent>"


def function_requests(dataset: Dataset) -> dict[str, tuple[str, Credentials]]:
    """Label -> (API function, request) of each function the suite loads, as the account owner."""
    owner = task_bench.authorization(dataset.api_key, dataset.token)
    body = task_bench.body
    middle = max(1, dataset.tasks // 2)
    history = f"<task><id>{dataset.history_task}</id></task><pageCurrent>1</pageCurrent>"
    found = {
        "task.get": ("task.get", body("task.get", f"<task><general>{middle}</general></task>")),
        "task.add": ("task.add", task_bench.add_body(1)),
        "task.getList page 1": ("task.getList", body("task.getList", page(1))),
        f"task.getList page {DEEP_PAGE}": ("task.getList", body("task.getList", page(DEEP_PAGE))),
        "action.getList": ("action.getList", action_bench.body(history)),
        "contact.getList": ("contact.getList", body("contact.getList", page(1))),
        "user.getList": ("user.getList", body("user.getList", page(1))),
    }
    return {label: (function, Credentials(owner, payload)) for label, (function, payload) in found.items()}


@contextmanager
def serving(
    name: str, dataset: Dataset, workdir: Path, *, workers: int = 0, redis_url: str = ""
) -> Iterator[Target]:
    """The app on ``dataset`` (limits off) in its own process, stopped afterwards: uvicorn with the
    ceiling's options, or with ``workers`` ``planfix-server serve --workers`` (the way an operator
    runs several; each gets its own data directory, where serve keeps the workers' metrics)."""
    port = free_port()
    data_dir = dataset.data_dir
    if workers:
        data_dir = str(workdir / f"data-{name}")
        shutil.copytree(dataset.data_dir, data_dir)
    settings = task_bench.server_settings(dataset.url, data_dir, port).replace(redis_url=redis_url)
    argv = serve_command(workers) if workers else app_command(port)
    target = spawn(name, argv, child_env(settings.to_env()), port, workdir)
    try:
        wait_ready(target, function_requests(dataset)["user.getList"][1])
        yield target
    finally:
        stop(target.process)


@contextmanager
def ceiling(workdir: Path, probe: Credentials) -> Iterator[Target]:
    port = free_port()
    target = spawn("ceiling", ceiling_command(port), child_env(), port, workdir)
    try:
        wait_ready(target, probe)
        yield target
    finally:
        stop(target.process)


# -- 1 and 2


def functions_on_one_worker(dataset: Dataset, runner: Runner, workdir: Path) -> dict[str, Any]:
    requests = function_requests(dataset)
    with ceiling(workdir, requests["user.getList"][1]) as bare, serving("app", dataset, workdir) as app:
        cases = [Case(CEILING, bare, requests["user.getList"][1])]
        cases += [Case(label, app, request, function) for label, (function, request) in requests.items()]
        figures = runner.run(cases)
        failed = not_ok_answers(app)
    return {"backend": dataset.backend, "tasks": dataset.tasks, "operations": figures, "not_ok": failed}


# -- 4


def paired_ratio(single: Sequence[float], double: Sequence[float]) -> tuple[float, list[float]]:
    """(median, each round's) ratio of ``double`` to ``single``, round by round.

    The two of one round run one after the other, so a drift of the machine between rounds cancels
    out of each round's ratio; a round where ``single`` got nothing through is left out.
    """
    paired = [two / one for one, two in zip(single, double, strict=True) if one > 0]
    return (statistics.median(paired) if paired else 0.0), paired


def scale_out(dataset: Dataset, runner: Runner, workdir: Path, redis_url: str) -> dict[str, Any]:
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # the suite's own database: counters from earlier runs go
    requests = function_requests(dataset)
    with (
        serving("one-worker", dataset, workdir, workers=1, redis_url=redis_url) as one,
        serving("two-workers", dataset, workdir, workers=2, redis_url=redis_url) as two,
    ):
        cases = [
            Case(f"{label} @ {workers}", server, request, function)
            for label, (function, request) in requests.items()
            for workers, server in ((1, one), (2, two))
        ]
        figures = runner.run(cases)
        failed = {"1 worker": not_ok_answers(one), "2 workers": not_ok_answers(two)}
    operations: dict[str, Any] = {}
    ratios: list[float] = []
    for label in requests:
        single, double = figures[f"{label} @ 1"], figures[f"{label} @ 2"]
        ratio, paired = paired_ratio(single["rps_rounds"], double["rps_rounds"])
        operations[label] = {
            "one": single,
            "two": double,
            "ratio": round(ratio, 3),
            "round_ratios": [round(value, 3) for value in paired],
        }
        if ratio > 0:
            ratios.append(ratio)
    overall = statistics.geometric_mean(ratios) if ratios else 0.0
    return {"operations": operations, "ratio": round(overall, 3), "not_ok": failed}


# -- 3 and 5


def server_times(dataset: Dataset, rounds: int, samples: int, warmup: int) -> dict[str, dict[str, float]]:
    """In-process server time per operation: medians over ``rounds`` of each round's p50/p99."""
    runs = [task_bench.server_times(dataset.seeded, samples, warmup, SIZE_OPERATIONS) for _ in range(rounds)]
    keys = ("p50_ms", "p99_ms", "cpu_p50_ms", "cpu_p99_ms")
    found: dict[str, dict[str, float]] = {}
    for operation in SIZE_OPERATIONS:
        found[operation] = {
            key: round(statistics.median(run[operation][key] for run in runs), 3) for key in keys
        }
        found[operation]["errors"] = sum(run[operation]["errors"] for run in runs)
    return found


def data_size(
    dataset: Dataset, runner: Runner, workdir: Path, rounds: int, samples: int, warmup: int
) -> dict[str, Any]:
    """One size on one backend: server time in process, then load over a socket; memory after it."""
    print(f"  server time, {dataset.backend}, {dataset.tasks:,} tasks", file=sys.stderr, flush=True)
    in_process = server_times(dataset, rounds, samples, warmup)
    rng = random.Random(11)
    with serving(f"app-{dataset.backend}-{dataset.tasks}", dataset, workdir) as app:
        cases = []
        for operation in SIZE_OPERATIONS:
            auth, payload = task_bench.requests(dataset.seeded, operation, 1, rng)[0]
            function = operation.split(" ")[0]
            cases.append(Case(operation, app, Credentials(auth, payload), function))
        print(f"  load, {dataset.backend}, {dataset.tasks:,} tasks", file=sys.stderr, flush=True)
        figures = runner.run(cases)
        memory = worker_memory(app.process.pid)
        failed = not_ok_answers(app)
    return {
        "backend": dataset.backend,
        "tasks": dataset.tasks,
        "seed_seconds": dataset.seed_seconds,
        "server": in_process,
        "load": figures,
        "memory": memory,
        "not_ok": failed,
    }


# -- 6


def sdk_calls(workdir: Path, calls: int, rounds: int) -> dict[str, Any]:
    from bench import sdk

    result: dict[str, Any] = sdk.throughput(
        workdir, calls, rounds, ["sdk-only", "async-asgi", "sync-process"]
    )
    return result

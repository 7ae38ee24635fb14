"""``user.get`` throughput over a real socket, next to a bare ASGI app, in the same run.

    python -m bench.user_get [--rounds 5] [--seconds 5] [--connections 16] [--json]

Two uvicorn processes with the same options (one worker, httptools, uvloop when installed, no
access log): the ceiling (``bench/ceiling_app.py``, a fixed ``user.get`` answer) and the server
(``planfix_server.app:create_app_from_env`` on a fresh SQLite database with one premium account).
A load generator in its own process (``wrk`` when on PATH, else ``bench/loadgen.py``) POSTs the
``user.get`` request with the account's API key and token, alternating the targets round by round
so drift of the machine hits both. See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    # Run as ``python bench/user_get.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.processes import (
    Credentials,
    Round,
    Target,
    child_env,
    free_port,
    run_bounded,
    spawn,
    stop,
    terminated_on_sigterm,
    uvicorn_options,
    wait_ready,
)

BENCH_DIR = Path(__file__).resolve().parent
ACCOUNT = "bench"
TARGETS = ("ceiling", "app")
LABELS = {"ceiling": "ceiling: bare ASGI, fixed body", "app": "planfix-server user.get"}


# -- setup


def server_settings(data_dir: Path, port: int) -> Any:
    from planfix_server.settings import Settings
    from planfix_server.store.accounts import PLANS

    return Settings(
        data_dir=str(data_dir),
        host="127.0.0.1",
        port=port,
        plain_http=True,
        requests_per_second=0,
        # Far above what any run can send, so the daily quota never answers 0007.
        plan_quotas={plan: 1_000_000_000 for plan in PLANS},
        auth_failures_per_minute=0,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        create_demo=False,
        log_level="warning",
    )


def prepare_database(settings: Any) -> Credentials:
    """Migrate a fresh SQLite database and provision one premium account; the request to send."""
    from planfix_server.domain.access.service import provision_account
    from planfix_server.security import Passwords
    from planfix_server.store.db import WRITE, make_engine
    from planfix_server.store.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
        with engine.connect() as connection:
            connection.info[WRITE] = True
            made = provision_account(
                connection,
                dt.datetime.now(dt.UTC),
                name=ACCOUNT,
                plan="premium",
                owner_login=f"owner@{ACCOUNT}",
                owner_password_hash=passwords.hash("bench-pass"),
                data_centre=settings.data_centre,
            )
            connection.commit()
    finally:
        engine.dispose()
    secret = base64.b64encode(f"{made.key.api_key}:{made.token}".encode()).decode()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<request method="user.get"><account>{ACCOUNT}</account><user></user></request>'
    ).encode()
    return Credentials(f"Basic {secret}", body)


def start_targets(workdir: Path, credentials: Credentials, settings: Any) -> dict[str, Target]:
    options = uvicorn_options()
    uvicorn = [sys.executable, "-m", "uvicorn"]
    ceiling_port = free_port()
    targets = {
        "ceiling": spawn(
            "ceiling",
            [
                *uvicorn,
                "--app-dir",
                str(BENCH_DIR),
                "ceiling_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(ceiling_port),
                *options,
            ],
            child_env(),
            ceiling_port,
            workdir,
        ),
        "app": spawn(
            "app",
            [
                *uvicorn,
                "--factory",
                "planfix_server.app:create_app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(settings.port),
                *options,
            ],
            child_env(settings.to_env()),
            settings.port,
            workdir,
        ),
    }
    for target in targets.values():
        wait_ready(target, credentials)
    return targets


# -- load


def wrk_script(path: Path, credentials: Credentials) -> Path:
    body = credentials.body.decode()
    assert "]==]" not in body
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{body}]==]\n"
        f'wrk.headers["Authorization"] = "{credentials.authorization}"\n'
        'wrk.headers["Content-Type"] = "application/xml"\n',
        encoding="utf-8",
    )
    return path


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Round:
    def number(pattern: str) -> str:
        match = re.search(pattern, output)
        if match is None:
            raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return match.group(1)

    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        errors += sum(int(value) for value in sockets.groups())
    return Round(
        rps=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=_ms(number(r"\s50%\s+([\d.]+\w+)")),
        p99_ms=_ms(number(r"\s99%\s+([\d.]+\w+)")),
        requests=int(number(r"(\d+) requests in")),
        errors=errors,
    )


@dataclass(frozen=True)
class Load:
    kind: str
    connections: int
    threads: int
    workdir: Path
    credentials: Credentials

    def run(self, target: Target, seconds: float) -> Round:
        if self.kind == "wrk":
            script = wrk_script(self.workdir / "user_get.lua", self.credentials)
            argv = [
                "wrk",
                f"-t{self.threads}",
                f"-c{self.connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                str(script),
                target.url,
            ]
            return parse_wrk(run_bounded(argv, seconds))
        body_file = self.workdir / "user_get.xml"
        body_file.write_bytes(self.credentials.body)
        argv = [
            sys.executable,
            str(BENCH_DIR / "loadgen.py"),
            "--url",
            target.url,
            "--body-file",
            str(body_file),
            "--header",
            f"Authorization: {self.credentials.authorization}",
            "--header",
            "Content-Type: application/xml",
            "--connections",
            str(self.connections),
            "--seconds",
            str(seconds),
        ]
        figures = json.loads(run_bounded(argv, seconds).strip().splitlines()[-1])
        return Round(
            rps=figures["rps"],
            p50_ms=figures["p50_ms"],
            p99_ms=figures["p99_ms"],
            requests=figures["requests"],
            errors=figures["errors"],
        )


def app_answers(target: Target) -> dict[str, int]:
    """Answers of user.get by code, from the server's own /metrics (were they all ``ok``?)."""
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=5)
    try:
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    answers: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("planfix_requests_total{") and 'function="user.get"' in line:
            code = re.search(r'code="([^"]*)"', line)
            if code:
                answers[code.group(1)] = int(float(line.rsplit(" ", 1)[1]))
    return answers


# -- report


def summary(target: Target) -> dict[str, Any]:
    rounds = target.rounds
    return {
        "label": LABELS[target.name],
        "rps": [round(r.rps, 1) for r in rounds],
        "median_rps": round(statistics.median(r.rps for r in rounds), 1),
        "p50_ms": round(statistics.median(r.p50_ms for r in rounds), 3),
        "p99_ms": round(statistics.median(r.p99_ms for r in rounds), 3),
        "requests": sum(r.requests for r in rounds),
        "errors": sum(r.errors for r in rounds),
    }


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    lines = [
        f"user.get, one uvicorn worker ({config['http']}, {config['loop']}), load: {config['loadgen']} "
        f"{config['connections']} connections, {config['rounds']} rounds × {config['seconds']} s, "
        f"{config['cpus']} CPUs",
        "",
        "| Target | Median req/s | p50 ms | p99 ms | req/s per round | Errors |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for name in TARGETS:
        t = result["targets"][name]
        per_round = ", ".join(f"{value:.0f}" for value in t["rps"])
        lines.append(
            f"| {t['label']} | {t['median_rps']:.0f} | {t['p50_ms']:.2f} | {t['p99_ms']:.2f} | {per_round} "
            f"| {t['errors']} |"
        )
    lines += ["", f"ratio app/ceiling (median req/s): {result['ratio']:.3f} (target ≥ 0.5)"]
    answers = result["targets"]["app"].get("answers", {})
    failed = {code: n for code, n in answers.items() if code != "ok"}
    if failed:
        lines.append(f"WARNING: the app answered errors: {failed}")
    return "\n".join(lines)


# -- main


def choose_loadgen(requested: str) -> str:
    if requested == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if requested == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not on PATH (apt-get install wrk, or --loadgen python)")
    return requested


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    loadgen = choose_loadgen(args.loadgen)
    options = uvicorn_options()
    with tempfile.TemporaryDirectory(prefix="planfix-bench-") as tmp:
        workdir = Path(tmp)
        settings = server_settings(workdir / "data", free_port())
        credentials = prepare_database(settings)
        targets: dict[str, Target] = {}
        try:
            targets = start_targets(workdir, credentials, settings)
            load = Load(loadgen, args.connections, args.threads, workdir, credentials)
            if args.warmup > 0:
                for name in TARGETS:
                    load.run(targets[name], args.warmup)
            for index in range(args.rounds):
                # Alternate who goes first, so a trend over the run does not favour one target.
                order = TARGETS if index % 2 == 0 else TARGETS[::-1]
                for name in order:
                    targets[name].rounds.append(load.run(targets[name], args.seconds))
            answers = app_answers(targets["app"])
        finally:
            for target in targets.values():
                stop(target.process)
    result_targets = {name: summary(targets[name]) for name in TARGETS}
    result_targets["app"]["answers"] = answers
    ceiling = result_targets["ceiling"]["median_rps"]
    return {
        "config": {
            "rounds": args.rounds,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "connections": args.connections,
            "threads": args.threads if loadgen == "wrk" else 1,
            "loadgen": loadgen,
            "http": options[options.index("--http") + 1],
            "loop": options[options.index("--loop") + 1],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "targets": result_targets,
        "ratio": round(result_targets["app"]["median_rps"] / ceiling, 4) if ceiling else 0.0,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.user_get", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per target (default 5)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections (default 16)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="seconds of load per target first (default 1)"
    )
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.seconds <= 0 or args.connections < 1 or args.threads < 1:
        parser.error("rounds, seconds, connections and threads must be positive")
    if args.threads > args.connections:
        args.threads = args.connections
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with terminated_on_sigterm():
            result = benchmark(args)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

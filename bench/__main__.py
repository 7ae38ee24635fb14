"""The benchmark suite: seed, load over a real socket, write report.md and latency.png.

    python -m bench [--quick] [--only SCENARIO,...] [--db sqlite|postgresql|both] [--out DIR]

Scenarios: ``ceiling`` and ``functions`` (measured together: a bare ASGI app next to each function
on one worker), ``size`` (task.get and task.getList at each size), ``memory`` (the worker after
``size``, so it runs ``size``), ``scale-out`` (1 vs 2 workers on PostgreSQL + Redis), ``sdk``.
Seeded databases are cached under ``--data-dir``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datasets, machine, scenarios
from bench.loads import Runner
from bench.plot import latency_plot
from bench.processes import terminated_on_sigterm
from bench.report import markdown
from bench.targets import FULL_SIZE, verdicts
from bench.user_get import choose_loadgen

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("ceiling", "functions", "size", "scale-out", "memory", "sdk")
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/8"


@dataclass(frozen=True)
class Preset:
    sizes: tuple[int, ...]
    other_accounts: int
    other_tasks: int
    mix_tasks: int
    mix_actions: int
    mix_contacts: int
    rounds: int
    seconds: float
    warmup: float
    samples: int
    warmup_samples: int
    sdk_calls: int
    sdk_rounds: int
    scale_rounds: int  # scale-out: its ratios are the noisiest figures of a shared machine


PRESETS = {
    "full": Preset(
        (10_000, 100_000, 1_000_000), 100, 1000, 10_000, 10_000, 10_000, 3, 5.0, 1.0, 100, 10, 1000, 5, 5
    ),
    "quick": Preset((10_000, 30_000), 10, 200, 10_000, 1000, 1000, 2, 2.0, 0.5, 30, 5, 1000, 2, 2),
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and short rounds (minutes)")
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="report.md, latency.png")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "build" / "bench-data", help="cache of seeded databases"
    )
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL server (a database per dataset)")
    parser.add_argument("--redis-url", default=REDIS_URL, help="Redis for scale-out (flushed)")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    override = parser.add_argument_group("overrides of the preset")
    override.add_argument("--sizes", help="task counts of the big account, comma-separated")
    for name, kind in (
        ("other-accounts", int),
        ("other-tasks", int),
        ("mix-tasks", int),
        ("mix-actions", int),
        ("mix-contacts", int),
        ("rounds", int),
        ("seconds", float),
        ("warmup", float),
        ("samples", int),
        ("warmup-samples", int),
        ("sdk-calls", int),
        ("sdk-rounds", int),
        ("scale-rounds", int),
    ):
        override.add_argument(f"--{name}", type=kind)
    args = parser.parse_args(argv)
    preset = PRESETS["quick" if args.quick else "full"]
    args.preset = "quick" if args.quick else "full"
    for name, value in vars(preset).items():
        if getattr(args, name, None) is None:
            setattr(args, name, value)
    if isinstance(args.sizes, str):
        args.sizes = tuple(int(part) for part in args.sizes.split(",") if part.strip())
    args.only = {part.strip() for part in args.only.split(",") if part.strip()} or set(SCENARIOS)
    unknown = args.only - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if not args.sizes or min(args.sizes) < 1 or args.rounds < 1 or args.seconds <= 0 or args.samples < 1:
        parser.error("sizes, rounds, seconds and samples must be positive")
    args.backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    return args


def scale_note(args: argparse.Namespace) -> str:
    if max(args.sizes) >= FULL_SIZE and "postgresql" in args.backends:
        return ""
    return (
        f"Not the full form: sizes {', '.join(f'{size:,}' for size in args.sizes)} on "
        f"{' and '.join(args.backends)}. Targets set at 1M tasks are judged at the largest size measured."
    )


class Suite:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.result: dict[str, Any] = {"skipped": {}, "failed": {}}
        self.runner = Runner(
            choose_loadgen(args.loadgen),
            args.connections,
            min(args.threads, args.connections),
            workdir,
            args.rounds,
            args.seconds,
            args.warmup,
        )

    def dataset(self, shape: datasets.Shape, backend: str) -> datasets.Dataset:
        return datasets.prepare(shape, backend, self.args.data_dir, self.args.pg_url)

    def attempt(self, name: str, run: Callable[[], None]) -> None:
        """Run one scenario; a failure is reported and the others still run."""
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            run()
        except Exception as exc:
            traceback.print_exc()
            self.result["failed"][name] = f"{type(exc).__name__}: {exc}"
            self.result["skipped"][name] = f"failed ({type(exc).__name__}: {exc})"

    def mix_shape(self) -> datasets.Shape:
        a = self.args
        return datasets.Shape(
            a.mix_tasks, min(10, a.other_accounts), a.other_tasks, a.mix_actions, a.mix_contacts
        )

    def functions(self) -> None:
        backend = self.args.backends[0]
        cached = self.dataset(self.mix_shape(), backend)
        with datasets.working_copy(cached, self.workdir, self.args.pg_url) as dataset:
            self.result["functions"] = scenarios.functions_on_one_worker(dataset, self.runner, self.workdir)

    def sizes(self) -> None:
        a = self.args
        found = self.result.setdefault("sizes", [])
        for backend in a.backends:
            for size in a.sizes:
                dataset = self.dataset(datasets.Shape(size, a.other_accounts, a.other_tasks), backend)
                found.append(
                    scenarios.data_size(
                        dataset, self.runner, self.workdir, a.rounds, a.samples, a.warmup_samples
                    )
                )

    def scale_out(self) -> None:
        cached = self.dataset(self.mix_shape(), "postgresql")
        with datasets.working_copy(cached, self.workdir, self.args.pg_url) as dataset:
            runner = dataclasses.replace(self.runner, rounds=self.args.scale_rounds)
            self.result["scale_out"] = scenarios.scale_out(dataset, runner, self.workdir, self.args.redis_url)

    def sdk(self) -> None:
        sdk_dir = self.workdir / "sdk"
        sdk_dir.mkdir()
        self.result["sdk"] = scenarios.sdk_calls(sdk_dir, self.args.sdk_calls, self.args.sdk_rounds)

    def run(self) -> dict[str, Any]:
        only, skipped = self.args.only, self.result["skipped"]
        if only & {"ceiling", "functions"}:
            self.attempt("functions", self.functions)
        else:
            skipped["functions"] = "not selected (--only)"
        if only & {"size", "memory"}:
            self.attempt("sizes", self.sizes)
        else:
            skipped["sizes"] = "not selected (--only)"
        if "scale-out" not in only:
            skipped["scale_out"] = "not selected (--only)"
        elif "postgresql" not in self.args.backends:
            skipped["scale_out"] = "needs PostgreSQL (--db postgresql or both)"
        else:
            self.attempt("scale_out", self.scale_out)
        if "sdk" in only:
            self.attempt("sdk", self.sdk)
        else:
            skipped["sdk"] = "not selected (--only)"
        return self.result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    started, load_start = time.perf_counter(), machine.load_average()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    command = "python -m bench " + shlex.join(sys.argv[1:] if argv is None else list(argv))
    try:
        with terminated_on_sigterm(), tempfile.TemporaryDirectory(prefix="planfix-bench-suite-") as tmp:
            result = Suite(args, Path(tmp)).run()
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    result["machine"] = machine.facts()
    result["run"] = {
        "command": command.strip(),
        "preset": args.preset,
        "scale_note": scale_note(args),
        "started": started_at,
        "minutes": (time.perf_counter() - started) / 60,
        "load_start": load_start,
        "load_end": machine.load_average(),
        "loadgen": choose_loadgen(args.loadgen),
        "connections": args.connections,
        "rounds": args.rounds,
        "scale_rounds": args.scale_rounds,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "samples": args.samples,
        "backends": args.backends,
        "other_accounts": args.other_accounts,
        "other_tasks": args.other_tasks,
    }
    if result.get("sizes"):
        latency_plot(result["sizes"], args.out / "latency.png")
        result["plot"] = "latency.png"
    (args.out / "results.json").write_text(json.dumps(result, indent=2, default=str))
    (args.out / "report.md").write_text(markdown(result))
    for verdict in verdicts(result):
        print(f"{verdict.status:>7}  {verdict.target}: {verdict.figure}")
    print(f"report: {args.out / 'report.md'}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())

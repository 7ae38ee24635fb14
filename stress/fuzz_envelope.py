"""Coverage-guided fuzzing of the request envelope and of request decoding (atheris, libFuzzer).

Every input is a request body. It goes through ``parse_envelope`` as the server parses it, and
what parses is decoded into every request class the functions declare. The allowed outcomes are
an envelope, or an API error: 0003/0009 from the parser, any declared code from decoding. Any
other exception, an input running past ``--timeout`` seconds or memory past ``--rss-limit-mb``
is a crash; libFuzzer keeps the input under ``--work-dir`` (``crash-*``, ``timeout-*``,
``oom-*``) and the run fails.

    python stress/fuzz_envelope.py --seconds 20      # the short form
    python stress/fuzz_envelope.py --seconds 3600    # the long form (figures in stress/README.md)

The fuzzer runs in a child process (libFuzzer ends its process with ``exit``), this process
prints the figures: ``fuzz_envelope: N runs in S s, … crashes 0``. Seeds: the attack corpus,
the golden request bodies, and for every function one body with each declared element filled.
The corpus it grows is kept in ``--work-dir`` and reused by the next run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = "--child"
PARSER_CODES = frozenset({"0003", "0009"})


# -- the child: libFuzzer and the target -----------------------------------------------------------


def _child(libfuzzer_args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["planfix_server.wire", "planfix_server.domain"]):
        from planfix_server.api import errors
        from planfix_server.api.registry import load_domains
        from planfix_server.wire.decode import decode
        from planfix_server.wire.envelope import parse_envelope

        registry = load_domains()  # inside: the field kinds of the domain modules are instrumented too
    request_classes = sorted(
        {spec.request for spec in registry.values() if spec.request is not None},
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )

    def one_input(data: bytes) -> None:
        try:
            envelope = parse_envelope(data, 32)
        except errors.ApiError as exc:
            if exc.code not in PARSER_CODES:
                raise AssertionError(f"the parser answered {exc.code}") from exc
            return
        if not envelope.method or not envelope.account:
            raise AssertionError("an envelope without method or account")
        for cls in request_classes:
            with contextlib.suppress(errors.ApiError):
                decode(cls, envelope.root)

    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


# -- the parent: seeds, the run, the figures -------------------------------------------------------


def _filled(cls: type) -> str:
    """Every declared element of a request class, each with a plausible text."""
    parts: list[str] = []
    for item in dataclasses.fields(cls):
        spec = item.metadata["xml"]
        inner = _filled(spec.struct) if spec.struct is not None else "1"
        if spec.many is not None:
            inner = f"<{spec.many}>{inner}</{spec.many}>" * 2
        for step in reversed(spec.steps):
            inner = f"<{step}>{inner}</{step}>"
        parts.append(inner)
    return "".join(parts)


def write_seeds(seeds: Path) -> int:
    from planfix_server.api.registry import load_domains

    if seeds.exists():
        shutil.rmtree(seeds)
    seeds.mkdir(parents=True)
    count = 0
    for path in sorted((ROOT / "tests" / "wire" / "attacks").iterdir()):
        if path.name != "README.md":
            shutil.copy(path, seeds / f"attack-{path.name}")
            count += 1
    for path in sorted((ROOT / "tests" / "wire" / "cases").glob("*/request.xml")):
        shutil.copy(path, seeds / f"case-{path.parent.name}.xml")
        count += 1
    for name, spec in sorted(load_domains().items()):
        inner = _filled(spec.request) if spec.request is not None else ""
        body = f'<?xml version="1.0"?>\n<request method="{name}"><account>a</account>{inner}</request>'
        (seeds / f"function-{name}.xml").write_text(body, encoding="utf-8")
        count += 1
    return count


_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_COVERAGE = re.compile(r"cov: (\d+) ft: (\d+) corp: (\d+)/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=20, help="how long to fuzz (default 20)")
    parser.add_argument("--max-len", type=int, default=16384, help="largest input in bytes (default 16384)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take (default 10)")
    parser.add_argument("--rss-limit-mb", type=int, default=1024, help="memory limit (default 1024)")
    parser.add_argument(
        "--work-dir", type=Path, default=ROOT / "build" / "fuzz-envelope", help="corpus, seeds, log, crashes"
    )
    args = parser.parse_args(argv)

    work: Path = args.work_dir.resolve()
    corpus, seeds, log_path = work / "corpus", work / "seeds", work / "fuzz.log"
    corpus.mkdir(parents=True, exist_ok=True)
    seed_count = write_seeds(seeds)
    before = {path.name for path in work.glob("*-*") if path.is_file()}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        CHILD,
        str(corpus),
        str(seeds),
        f"-max_total_time={args.seconds}",
        f"-max_len={args.max_len}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-artifact_prefix={work}/",
        "-print_final_stats=1",
    ]
    with log_path.open("w") as log:
        finished = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    text = log_path.read_text(errors="replace")
    crashes = sorted(
        path.name
        for path in work.glob("*-*")
        if path.is_file()
        and path.name not in before
        and path.name.split("-")[0] in {"crash", "timeout", "oom", "leak"}
    )
    done = _DONE.search(text)
    coverage = _COVERAGE.findall(text)
    runs, seconds = (int(done[1]), int(done[2])) if done else (0, 0)
    edges, features, inputs = coverage[-1] if coverage else ("?", "?", "?")
    failed = finished.returncode != 0 or bool(crashes) or done is None
    print(
        f"fuzz_envelope: {runs} runs in {seconds} s, {seed_count} seeds, coverage {edges} edges / "
        f"{features} features, corpus {inputs} inputs, crashes {len(crashes) if crashes else int(failed)}"
    )
    if failed:
        print(f"failed (exit {finished.returncode}); log: {log_path}", file=sys.stderr)
        for name in crashes:
            print(f"  {work / name}", file=sys.stderr)
        tail = text.strip().splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        _child(sys.argv[2:])
    else:
        sys.exit(main())

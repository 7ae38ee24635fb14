"""The attack corpus (tests/wire/attacks/) through the real app: refused, inert, bounded.

Every attack answers its documented code (the table in attacks/README.md is the single list of
attacks and codes) with HTTP 200 and ``status="error"``, and is proven to have done nothing:

* no file read: ``{{FILE}}`` in an attack is a FIFO (a reader that opens it blocks until a
  writer comes, so a request that opened it never ends, and while it hangs the FIFO's write end
  opens); ``{{SECRET}}`` is a file whose random content must appear in no answer;
* no outbound connection: ``{{URL}}``/``{{HOST}}``/``{{PORT}}`` point at a listening socket that
  must see no connection;
* memory bounded: Python heap growth (tracemalloc) and resident-set growth (getrusage) during the
  request stay under HEAP_BOUND and RSS_BOUND (the body cap is 1 MiB; billion laughs unchecked
  would need gigabytes);
* the next request is served normally: a valid ``user.get`` after each attack.

The error messages are switched on, so any detail that could leak would be in the answer.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import resource
import secrets
import select
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.app import Answer, Server
from planfix_server.pipeline.exchange import Exchange
from planfix_server.settings import Settings
from tests.support import Api, basic

ATTACKS = Path(__file__).parent / "attacks"
MIB = 1024 * 1024
HEAP_BOUND = 16 * MIB
RSS_BOUND = 64 * MIB
WATCHDOG_SECONDS = 60.0
STREAM_CHUNK = 64 * 1024
STREAM_TOTAL = 256 * MIB

_ROW = re.compile(r"^\| `(?P<name>[^`]+)` \| (?P<what>.+?) \| `(?P<code>\d{4})` \|$")


def documented_codes() -> dict[str, str]:
    """Attack name -> expected code, from the table in attacks/README.md."""
    rows: dict[str, str] = {}
    for line in (ATTACKS / "README.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match:
            assert match["name"] not in rows, f"{match['name']} listed twice"
            rows[match["name"]] = match["code"]
    return rows


# -- attacks too large to keep as files: built at test time from the server's own limits ----------


def _nested(levels: int) -> bytes:
    return (
        b'<request method="user.get"><account>{{ACCOUNT}}</account>'
        + b"<a>" * levels
        + b"</a>" * levels
        + b"</request>"
    )


def _filler(settings: Settings) -> int:
    """A size that fills the body cap but for a little room for the markup around it."""
    return settings.max_body_bytes - 1024


GENERATED: dict[str, Callable[[Settings], bytes]] = {
    "deep-nesting": lambda s: _nested(100_000),
    "nesting-over-cap": lambda s: _nested(s.max_xml_depth),
    "nesting-over-cap-unclosed": lambda s: b'<request method="user.get">' + b"<a>" * (s.max_xml_depth * 4),
    "huge-attribute": lambda s: (
        b'<request method="user.get' + b"A" * _filler(s) + b'"><account>{{ACCOUNT}}</account></request>'
    ),
    "huge-text": lambda s: (
        b'<request method="user.get"><account>' + b"A" * _filler(s) + b"</account></request>"
    ),
    "huge-element-name": lambda s: (
        b'<request method="user.get"><account>{{ACCOUNT}}</account><' + b"n" * _filler(s) + b"/></request>"
    ),
    "many-attributes": lambda s: (
        b'<request method="user.get" '
        + b" ".join(b'a%d="%d"' % (i, i) for i in range(_filler(s) // 16))
        + b"></request>"
    ),
    "many-elements": lambda s: b'<request method="user.get">' + b"<x/>" * (_filler(s) // 4) + b"</request>",
    "namespace-bomb": lambda s: (
        b'<request method="user.get" '
        + b" ".join(b'xmlns:p%d="urn:%d"' % (i, i) for i in range(_filler(s) // 32))
        + b"></request>"
    ),
    "oversized-body": lambda s: b" " * (s.max_body_bytes + 1),
    "oversized-valid-request": lambda s: (
        b'<request method="user.get"><account>{{ACCOUNT}}</account>' + b" " * s.max_body_bytes + b"</request>"
    ),
}
STREAMED = "oversized-streamed"  # sent chunk by chunk, straight to the ASGI app (see _stream)


# -- probes ------------------------------------------------------------------------------------------


@dataclass
class Probes:
    fifo: Path
    secret: Path
    canary: bytes
    listener: socket.socket
    account: str
    connections: int = 0

    def values(self) -> dict[str, str]:
        host, port = self.listener.getsockname()
        return {
            "{{FILE}}": self.fifo.as_uri(),
            "{{SECRET}}": self.secret.as_uri(),
            "{{URL}}": f"http://{host}:{port}",
            "{{HOST}}": host,
            "{{PORT}}": str(port),
            "{{ACCOUNT}}": self.account,
        }

    def substitute(self, body: bytes) -> bytes:
        """Fill the placeholders, in whichever of UTF-8, UTF-16 or UTF-32 the file is written."""
        for placeholder, value in self.values().items():
            for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
                body = body.replace(placeholder.encode(codec), value.encode(codec))
        return body

    def connected(self) -> bool:
        """Whether anything connected to the listener since the last look."""
        seen = False
        while select.select([self.listener], [], [], 0)[0]:
            connection, _ = self.listener.accept()
            connection.close()
            self.connections += 1
            seen = True
        return seen


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(error_messages=True)


@pytest.fixture
def probes(tmp_path: Path, api: Api) -> Iterator[Probes]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs a FIFO")
    fifo = tmp_path / "probe.fifo"
    os.mkfifo(fifo)
    canary = f"CANARY-{secrets.token_hex(8)}".encode()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(canary)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield Probes(fifo, secret, canary, listener, api.tenant.name)
    finally:
        listener.close()


# -- sending ----------------------------------------------------------------------------------------


@dataclass
class Measured:
    response: httpx.Response
    heap_growth: int
    rss_growth: int


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _reader_on(fifo: Path) -> bool:
    """Whether someone holds ``fifo`` open for reading (its write end then opens); lets it go on."""
    try:
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        return False
    os.close(descriptor)  # end of file for the reader
    return True


def _measured(probes: Probes, send: Callable[[], httpx.Response]) -> Measured:
    """Run ``send`` in a thread, watching the FIFO, and measure its memory."""
    outcome: list[httpx.Response | BaseException] = []

    def run() -> None:
        try:
            outcome.append(send())
        except BaseException as exc:
            outcome.append(exc)

    rss_before = _rss()
    heap_before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(WATCHDOG_SECONDS)
    opened = _reader_on(probes.fifo)
    worker.join(WATCHDOG_SECONDS)
    assert not opened, "the request opened the FIFO for reading"
    assert not worker.is_alive(), f"no answer within {2 * WATCHDOG_SECONDS:.0f} s"
    _, heap_peak = tracemalloc.get_traced_memory()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return Measured(result, heap_peak - heap_before, _rss() - rss_before)


def _post(client: TestClient, api: Api, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return client.post(
        "/xml/",
        content=body,
        headers={"Authorization": basic(api.tenant.api_key, api.tenant.token), **headers},
    )


class _Streamed:
    """An endless-looking body offered to the ASGI app chunk by chunk; counts what was taken."""

    def __init__(self) -> None:
        self.taken = 0
        self.messages: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        self.taken += STREAM_CHUNK
        more = self.taken < STREAM_TOTAL
        return {"type": "http.request", "body": b"<" * STREAM_CHUNK, "more_body": more}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)


def _stream(client: TestClient, api: Api, stream: _Streamed) -> httpx.Response:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": "/xml/",
        "raw_path": b"/xml/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", basic(api.tenant.api_key, api.tenant.token).encode())],
        "client": ("testclient", 50000),
        "server": ("testserver", 443),
    }
    asyncio.run(client.app(scope, stream.receive, stream.send))
    start = stream.messages[0]
    body = b"".join(message.get("body", b"") for message in stream.messages[1:])
    return httpx.Response(start["status"], headers=start["headers"], content=body)


# -- the corpus ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    run: int = 0
    refused: int = 0
    heap_peak: int = 0
    rss_peak: int = 0
    failures: list[str] = field(default_factory=list)


def _check(name: str, expected: str, measured: Measured, probes: Probes, tally: Tally) -> None:
    response = measured.response
    tally.run += 1
    tally.heap_peak = max(tally.heap_peak, measured.heap_growth)
    tally.rss_peak = max(tally.rss_peak, measured.rss_growth)
    problems: list[str] = []
    if response.status_code != 200:
        problems.append(f"HTTP {response.status_code}")
    try:
        root = etree.fromstring(response.content)
        status, code = root.get("status"), root.findtext("code")
    except etree.XMLSyntaxError:
        status, code = "not XML", None
    if (status, code) != ("error", expected):
        problems.append(f"status={status} code={code}, expected {expected}: {response.content[:200]!r}")
    if probes.canary in response.content or any(
        probes.canary in v.encode() for v in response.headers.values()
    ):
        problems.append("the secret file's content is in the answer")
    if any("injected" in key.lower() for key in response.headers):
        problems.append(f"header injected: {dict(response.headers)}")
    if probes.connected():
        problems.append("an outbound connection reached the listener")
    if measured.heap_growth > HEAP_BOUND:
        problems.append(f"Python heap grew {measured.heap_growth / MIB:.1f} MiB")
    if measured.rss_growth > RSS_BOUND:
        problems.append(f"resident set grew {measured.rss_growth / MIB:.1f} MiB")
    if problems:
        tally.failures.append(f"{name}: {'; '.join(problems)}")
    else:
        tally.refused += 1


def _still_serving(api: Api, name: str, tally: Tally) -> None:
    reply = api.call("user.get")
    if not reply.ok or reply.text("user/id") != str(api.tenant.owner_id):
        tally.failures.append(f"after {name}: user.get answered {reply.raw[:200]!r}")


def test_corpus_lists_every_attack_once() -> None:
    listed = set(documented_codes())
    files = {path.name for path in ATTACKS.iterdir() if path.name != "README.md"}
    assert listed == files | set(GENERATED) | {STREAMED}, (
        "README and corpus differ",
        sorted(listed ^ (files | set(GENERATED) | {STREAMED})),
    )


def test_every_attack_is_refused_inert_and_bounded(
    api: Api,
    client: TestClient,
    server: Server,
    settings: Settings,
    probes: Probes,
    capsys: pytest.CaptureFixture[str],
) -> None:
    codes = documented_codes()
    answered: list[str] = []

    def record(_exchange: Exchange, answer: Answer) -> None:
        answered.append(answer.code)

    server.after_answer.append(record)
    # Warm up (imports, caches, the first large allocation) so growth measures the attacks alone.
    _still_serving(api, "warm-up", Tally())
    _post(client, api, GENERATED["oversized-valid-request"](settings).replace(b"{{ACCOUNT}}", b"x"), {})
    tally = Tally()
    tracemalloc.start()
    try:
        for path in sorted(ATTACKS.iterdir()):
            if path.name == "README.md":
                continue
            body = probes.substitute(path.read_bytes())
            headers = {"Content-Encoding": "gzip"} if path.suffix == ".gz" else {}
            measured = _measured(probes, partial(_post, client, api, body, headers))
            _check(path.name, codes[path.name], measured, probes, tally)
            _still_serving(api, path.name, tally)
        for name, build in GENERATED.items():
            body = probes.substitute(build(settings))
            measured = _measured(probes, partial(_post, client, api, body, {}))
            _check(name, codes[name], measured, probes, tally)
            _still_serving(api, name, tally)
        stream = _Streamed()
        measured = _measured(probes, partial(_stream, client, api, stream))
        _check(STREAMED, codes[STREAMED], measured, probes, tally)
        if stream.taken > settings.max_body_bytes + STREAM_CHUNK:
            tally.failures.append(f"{STREAMED}: the server read {stream.taken} bytes")
        _still_serving(api, STREAMED, tally)
    finally:
        tracemalloc.stop()
    backend = settings.database_url.split(":", 1)[0]
    with capsys.disabled():
        print(
            f"\nattack corpus [{backend}]: {tally.run} attacks run, {tally.refused} refused with their "
            f"documented code; {probes.connections} connections, 0 files opened; peak Python heap growth "
            f"{tally.heap_peak / MIB:.1f} MiB (bound {HEAP_BOUND // MIB} MiB), peak resident growth "
            f"{tally.rss_peak / MIB:.1f} MiB (bound {RSS_BOUND // MIB} MiB)"
        )
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.run == len(codes)
    assert "error" not in answered, "an attack reached the generic failure path"

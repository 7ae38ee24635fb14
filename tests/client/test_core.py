"""The call algorithm against canned answers: authentication, re-login, retries, 0007 backoff."""

from __future__ import annotations

import asyncio
import base64
import itertools
import threading
from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from planfix_server.api import errors
from planfix_server.client import AsyncClient, Client, Retry
from planfix_server.client.core import Credentials, changes_nothing
from planfix_server.client.errors import HttpStatusError, TransportError
from planfix_server.wire import signature
from tests.client.conftest import URL, canned, canned_client, error, ok


class Sleeper:
    """A fake clock and sleep: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def body(request: httpx.Request) -> etree._Element:
    return etree.fromstring(request.content)


def basic(request: httpx.Request) -> str:
    return base64.b64decode(request.headers["authorization"].split()[1]).decode()


def sequence(
    *answers: bytes | httpx.Response | Exception,
) -> Callable[[httpx.Request], httpx.Response | bytes]:
    """Answers in order (the last one repeats); an exception is raised as the transport's failure."""
    feed = itertools.chain(answers, itertools.repeat(answers[-1]))

    def answer(request: httpx.Request) -> httpx.Response | bytes:
        made = next(feed)
        if isinstance(made, Exception):
            raise made
        return made

    return answer


# -- authentication
def test_token_mode_headers_and_body() -> None:
    seen: list[httpx.Request] = []
    client = canned_client(ok("<user><id>1</id></user>"), seen)
    client.call("user.get", {"user": {"id": 1}})
    (request,) = seen
    assert basic(request) == f"{'k' * 32}:{'t' * 32}"
    assert request.headers["content-type"] == "application/xml; charset=utf-8"
    root = body(request)
    assert root.get("method") == "user.get"
    assert root.findtext("account") == "acme"
    assert root.find("sid") is None and root.find("signature") is None
    assert client.remaining == 19999


def test_login_mode_logs_in_once_then_sends_the_sid() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> bytes:
        if body(request).get("method") == "auth.login":
            return ok("<sid>abc</sid>")
        return ok("<user><id>1</id></user>")

    client = Client(
        URL, "acme", "key", login="ann", password="pw", transport=canned(answer, seen), requests_per_second=0
    )
    client.call("user.get")
    client.call("user.get")
    assert [body(r).get("method") for r in seen] == ["auth.login", "user.get", "user.get"]
    login = body(seen[0])
    assert (login.findtext("login"), login.findtext("password"), login.find("sid")) == ("ann", "pw", None)
    assert all(basic(r) == "key:" for r in seen)
    assert [body(r).findtext("sid") for r in seen[1:]] == ["abc", "abc"]
    assert client.sid == "abc"
    assert (client.stats.logins, client.stats.relogins) == (1, 0)


def test_expired_session_relogs_once_and_repeats_once() -> None:
    seen: list[httpx.Request] = []
    sids = iter(["s1", "s2", "s3"])

    def answer(request: httpx.Request) -> bytes:
        root = body(request)
        if root.get("method") == "auth.login":
            return ok(f"<sid>{next(sids)}</sid>")
        return error("0005")  # every session expires at once

    client = Client(
        URL, "acme", "key", login="ann", password="pw", transport=canned(answer, seen), requests_per_second=0
    )
    with pytest.raises(errors.SessionExpired):
        client.call("user.get")
    # login, call, re-login, the one repeat: never a loop.
    assert [body(r).get("method") for r in seen] == ["auth.login", "user.get", "auth.login", "user.get"]
    assert [body(r).findtext("sid") for r in seen[1::2]] == ["s1", "s2"]
    assert (client.stats.logins, client.stats.relogins) == (2, 1)


def test_token_mode_does_not_relogin() -> None:
    client = canned_client(error("0005"))
    with pytest.raises(errors.SessionExpired):
        client.call("user.get")
    assert client.stats.requests == 1


def test_wrong_password() -> None:
    client = Client(
        URL,
        "acme",
        "key",
        login="ann",
        password="bad",
        transport=canned(error("1001")),
        requests_per_second=0,
    )
    with pytest.raises(errors.WrongLoginOrPassword):
        client.user.get()


def test_threads_share_one_relogin() -> None:
    lock = threading.Lock()
    valid = {"s0"}
    logins = itertools.count(1)

    def answer(request: httpx.Request) -> bytes:
        root = body(request)
        with lock:
            if root.get("method") == "auth.login":
                sid = f"s{next(logins)}"
                valid.add(sid)
                return ok(f"<sid>{sid}</sid>")
            return ok("<user><id>1</id></user>") if root.findtext("sid") in valid else error("0005")

    client = Client(
        URL, "acme", "key", login="ann", password="pw", transport=canned(answer), requests_per_second=0
    )
    client.login()
    valid.clear()  # the server forgets every session
    threads = [threading.Thread(target=client.call, args=("user.get",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (client.stats.logins, client.stats.relogins) == (2, 1)


def test_signature_on_every_request() -> None:
    seen: list[httpx.Request] = []
    key = "f" * 32

    def answer(request: httpx.Request) -> bytes:
        return ok("<sid>abc</sid>") if body(request).get("method") == "auth.login" else ok("<x/>")

    client = Client(
        URL,
        "acme",
        "key",
        login="ann",
        password="pw",
        signature_key=key,
        transport=canned(answer, seen),
        requests_per_second=0,
    )
    client.call("user.get", {"user": {"id": 3}})
    for request in seen:
        root = body(request)
        given = root.findtext("signature")
        assert given and signature.verify(root, given, key)


def test_credentials_must_choose_one_mode() -> None:
    with pytest.raises(ValueError, match="either token"):
        Credentials("key", token="t", login="l", password="p")
    with pytest.raises(ValueError, match="give a token"):
        Credentials("key")
    with pytest.raises(ValueError, match="api_key"):
        Credentials("", token="t")
    with pytest.raises(ValueError, match="uses a token"):
        canned_client(ok("")).login()


# -- retries
def test_3014_is_retried_with_backoff() -> None:
    sleeper = Sleeper()
    client = canned_client(
        sequence(error("3014"), error("3014"), ok("<task><id>9</id></task>")),
        clock=sleeper.clock,
        sleep=sleeper.sleep,
    )
    assert client.task.update(9, title="x") == 9
    assert sleeper.sleeps == [0.5, 1.0]
    assert (client.stats.requests, client.stats.retries) == (3, 2)


def test_3014_gives_up_after_the_attempts() -> None:
    sleeper = Sleeper()
    client = canned_client(error("3014"), retry=Retry(attempts=2), clock=sleeper.clock, sleep=sleeper.sleep)
    with pytest.raises(errors.TaskBeingModified):
        client.call("task.update", {"task": {"id": 1}})
    assert client.stats.requests == 3


def test_connection_failures_are_retried_for_any_function() -> None:
    sleeper = Sleeper()
    failure = httpx.ConnectError("refused")
    client = canned_client(
        sequence(failure, failure, ok("<task><id>1</id><general>2</general></task>")),
        clock=sleeper.clock,
        sleep=sleeper.sleep,
    )
    assert client.task.add("t").general == 2
    assert sleeper.sleeps == [0.5, 1.0]


def test_read_failures_are_retried_only_for_functions_that_change_nothing() -> None:
    sleeper = Sleeper()
    timeout = httpx.ReadTimeout("slow")
    reader = canned_client(
        sequence(timeout, ok("<user><id>1</id></user>")), clock=sleeper.clock, sleep=sleeper.sleep
    )
    assert reader.user.get().id == 1
    writer = canned_client(sequence(timeout, ok("<task><id>1</id></task>")), sleep=sleeper.sleep)
    with pytest.raises(TransportError, match="ReadTimeout") as caught:
        writer.task.add("never twice")
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert writer.stats.requests == 1


def test_transport_failures_give_up() -> None:
    sleeper = Sleeper()
    client = canned_client(httpx.Response(503), retry=Retry(attempts=3, first=1), sleep=sleeper.sleep)
    with pytest.raises(HttpStatusError, match="503"):
        client.call("task.add")
    assert sleeper.sleeps == [1, 2, 4]
    gateway = canned_client(httpx.Response(502), sleep=sleeper.sleep)
    with pytest.raises(HttpStatusError):
        gateway.call("task.add")
    assert gateway.stats.requests == 1
    with pytest.raises(HttpStatusError):
        gateway.call("task.getList")
    assert gateway.stats.requests == 1 + 4


def test_read_only_by_name() -> None:
    assert (
        changes_nothing("task.getList")
        and changes_nothing("analitic.getData")
        and changes_nothing("user.get")
    )
    assert not changes_nothing("task.add") and not changes_nothing("auth.login")


# -- 0007
def test_limit_answers_are_waited_out() -> None:
    sleeper = Sleeper()
    client = canned_client(
        sequence(error("0007"), error("0007"), error("0007"), ok("<user><id>1</id></user>")),
        clock=sleeper.clock,
        sleep=sleeper.sleep,
    )
    assert client.user.get().id == 1
    assert sleeper.sleeps == [1, 2, 4]
    assert client.stats.limited == 3


def test_limit_budget_is_kept() -> None:
    sleeper = Sleeper()
    client = canned_client(error("0007"), limit_budget=10, clock=sleeper.clock, sleep=sleeper.sleep)
    with pytest.raises(errors.RequestLimitExceeded):
        client.call("user.get")
    assert sleeper.sleeps == [1, 2, 4, 3]  # the last wait uses what is left of the budget
    assert sum(sleeper.sleeps) == 10
    assert client.stats.limited == 5


def test_zero_budget_fails_at_once() -> None:
    client = canned_client(error("0007"), limit_budget=0)
    with pytest.raises(errors.RequestLimitExceeded):
        client.call("user.get")
    assert client.stats.requests == 1


def test_the_async_driver_performs_the_same_steps() -> None:
    sleeper = Sleeper()
    seen: list[httpx.Request] = []
    sids = iter(["s1", "s2"])
    calls = itertools.count()

    def answer(request: httpx.Request) -> httpx.Response | bytes:
        root = body(request)
        if root.get("method") == "auth.login":
            return ok(f"<sid>{next(sids)}</sid>")
        n = next(calls)
        if n == 0:
            raise httpx.ConnectError("refused")
        return (
            [error("3014"), error("0007"), error("0005")][n - 1] if n <= 3 else ok("<user><id>1</id></user>")
        )

    async def asleep(seconds: float) -> None:
        sleeper.sleep(seconds)

    async def scenario() -> AsyncClient:
        async with AsyncClient(
            URL,
            "acme",
            "key",
            login="ann",
            password="pw",
            transport=canned(answer, seen),
            requests_per_second=0,
            clock=sleeper.clock,
            sleep=asleep,
        ) as client:
            assert (await client.user.get()).id == 1
            return client

    client = asyncio.run(scenario())
    methods = [body(r).get("method") for r in seen]
    assert methods == ["auth.login", "user.get", "user.get", "user.get", "user.get", "auth.login", "user.get"]
    assert sleeper.sleeps == [0.5, 1.0, 1.0]  # connection retry, 3014 retry, 0007 wait
    assert (client.stats.logins, client.stats.relogins, client.stats.limited) == (2, 1, 1)

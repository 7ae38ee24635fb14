"""Typed calls against the real server, once with ``Client`` and once with ``AsyncClient``.

A test writes its scenario once, as a coroutine of a ``Session``; the ``run`` fixture (conftest.py)
runs it with the sync client and again (another parameter) with the async one, both into the same
in-process server. ``pf.task.add(…)`` is awaitable for either kind, and a walk (``iterate``)
comes back as a list. Every client records the requests it sent, so a test can check the XML the
SDK built (``pf.sent()``) next to what it read from the answer.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
from lxml import etree

from planfix_server.client import AsyncClient, Client
from tests.client.conftest import URL, options_for
from tests.support import Tenant


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Passes requests on to ``inner`` and keeps their bodies."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        response: httpx.Response = self.inner.handle_request(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(await request.aread())
        response: httpx.Response = await self.inner.handle_async_request(request)
        return response


class Area:
    """``client.task`` and the like, with every typed call awaitable and every walk a list."""

    def __init__(self, functions: Any) -> None:
        self.functions = functions

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        function = getattr(self.functions, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            if inspect.isawaitable(result):
                return await result
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            if isinstance(result, Iterator):
                return list(result)
            return result

        return call


class Typed:
    """One client (sync or async) as seen by a scenario."""

    def __init__(self, client: Client | AsyncClient, recording: Recording) -> None:
        self.client = client
        self.recording = recording

    def __getattr__(self, area: str) -> Area:
        return Area(getattr(self.client, area))

    def sent(self, back: int = 1) -> etree._Element:
        """The body of the request sent ``back`` requests ago (1: the last one)."""
        return etree.fromstring(self.recording.bodies[-back])

    def sent_all(self, method: str) -> list[etree._Element]:
        """Every request of ``method`` sent so far, in order."""
        roots = [etree.fromstring(body) for body in self.recording.bodies]
        return [root for root in roots if root.get("method") == method]


class Session:
    """Clients of one kind for one scenario: the owner's, and others by token."""

    def __init__(
        self, kind: str, tenant: Tenant, sync_transport: Any, app: Any, stack: AsyncExitStack
    ) -> None:
        self.kind = kind
        self.tenant = tenant
        self.sync_transport = sync_transport
        self.app = app
        self.stack = stack

    async def client(self, tenant: Tenant | None = None, **options: Any) -> Typed:
        """A client as the owner of ``tenant`` (default: the test's), or as another user of it
        with ``token=``."""
        tenant = tenant or self.tenant
        made = options_for(tenant, options)
        if self.kind == "sync":
            recording = Recording(self.sync_transport)
            client = Client(URL, tenant.name, transport=recording, **made)
            self.stack.callback(client.close)
            return Typed(client, recording)
        recording = Recording(httpx.ASGITransport(app=self.app))
        aclient = AsyncClient(URL, tenant.name, transport=recording, **made)
        await self.stack.enter_async_context(aclient)
        return Typed(aclient, recording)


Scenario = Callable[[Session], Awaitable[None]]
Run = Callable[[Scenario], None]

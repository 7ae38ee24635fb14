"""``AsyncClient``: the asyncio client, on ``httpx.AsyncClient``; the same calls as ``Client``."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import io
import os
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping
from typing import IO, Any, ParamSpec, TypeVar

import httpx

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared, finished, page_params
from planfix_server.client.core import (
    LOGIN,
    REDIRECT_STATUS,
    Core,
    Login,
    Reply,
    Send,
    Stats,
    Step,
    Wait,
    is_attachment,
    make_core,
)
from planfix_server.client.element import Element
from planfix_server.client.endpoints import endpoint_url, tls_verify
from planfix_server.client.errors import HttpStatusError, TransportError
from planfix_server.client.functions import (
    actions,
    analitics,
    contacts,
    files,
    handbooks,
    projects,
    tasks,
    users,
)
from planfix_server.client.functions.file_download import METHOD as FILE_DOWNLOAD
from planfix_server.client.functions.file_download import download_params
from planfix_server.client.pacing import Clock, Retry
from planfix_server.client.response import Page, Response, element_page

P = ParamSpec("P")
T = TypeVar("T")
Target = str | os.PathLike[str] | IO[bytes]


class AsyncClient:
    """The asyncio twin of ``Client`` (same arguments; ``sleep`` is an async function).

    Pacing is shared by every task using the client: concurrent calls queue for send slots.
    """

    def __init__(
        self,
        base_url: str,
        account: str,
        api_key: str,
        *,
        token: str | None = None,
        login: str | None = None,
        password: str | None = None,
        signature_key: str | None = None,
        requests_per_second: float = 1.0,
        pacing_margin: float = 0.01,
        limit_budget: float = 30.0,
        retry: Retry | None = None,
        timezone: dt.tzinfo | str | None = None,
        timeout: float = 30.0,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.url = endpoint_url(base_url)
        self._core: Core = make_core(
            account=account,
            api_key=api_key,
            token=token,
            login=login,
            password=password,
            signature_key=signature_key,
            requests_per_second=requests_per_second,
            pacing_margin=pacing_margin,
            limit_budget=limit_budget,
            retry=retry,
            timezone=timezone,
            clock=clock,
        )
        self._sleep = sleep
        self._login_lock = asyncio.Lock()
        self._http = httpx.AsyncClient(timeout=timeout, verify=tls_verify(verify), transport=transport)
        self.user = AsyncUserFunctions(self)
        self.user_group = AsyncUserGroupFunctions(self)
        self.task = AsyncTaskFunctions(self)
        self.project = AsyncProjectFunctions(self)
        self.action = AsyncActionFunctions(self)
        self.contact = AsyncContactFunctions(self)
        self.analitic = AsyncAnaliticFunctions(self)
        self.file = AsyncFileFunctions(self)
        self.handbook = AsyncHandbookFunctions(self)

    @classmethod
    def from_profile(cls, name: str | None = None, **options: Any) -> AsyncClient:
        """A client from a credentials profile (``client.profiles``); ``options`` override it."""
        from planfix_server.client.profiles import load_profile

        return cls(**{**load_profile(name).client_options(), **options})

    # -- state
    @property
    def account(self) -> str:
        return self._core.account

    @property
    def remaining(self) -> int | None:
        """The last ``X-RateLimit-Remaining`` seen: requests left today (None before any answer)."""
        return self._core.remaining

    @property
    def stats(self) -> Stats:
        return self._core.stats

    @property
    def sid(self) -> str | None:
        return self._core.sid

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- calls
    async def call(self, method: str, params: Mapping[str, Any] | None = None) -> Response:
        """Call any function (see ``Client.call``)."""
        return await self._drive(self._core.plan(method, params))

    async def run(self, prepared: Prepared[T]) -> T:
        return prepared.read(await self.call(prepared.method, prepared.params))

    async def fetch(self, method: str, params: Mapping[str, Any] | None = None) -> bytes:
        """Call a function answered with a file (see ``Client.fetch``)."""
        reply = await self._drive(self._core.plan_download(method, params))
        if reply.status_code in REDIRECT_STATUS:
            content = io.BytesIO()
            await self._follow(method, reply, content)
            return content.getvalue()
        return reply.content

    async def fetch_to(self, target: Target, method: str, params: Mapping[str, Any] | None = None) -> int:
        """Like ``fetch``, streaming into ``target`` (see ``Client.fetch_to``)."""
        if isinstance(target, str | os.PathLike):
            try:
                with open(target, "wb") as out:
                    return await self.fetch_to(out, method, params)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(target)
                raise
        reply = await self._drive(self._core.plan_download(method, params), sink=target)
        if reply.status_code in REDIRECT_STATUS:
            return await self._follow(method, reply, target)
        if reply.streamed is not None:
            return reply.streamed
        target.write(reply.content)
        return len(reply.content)

    async def login(self) -> str:
        """Log in now (login/password mode) and return the new session key."""
        if not self._core.credentials.login_mode:
            raise ValueError("this client uses a token; there is no session to open")
        await self._login(self._core.sid)
        assert self._core.sid is not None
        return self._core.sid

    async def page(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> Page[Element]:
        response = await self.call(method, page_params(params, page, page_size))
        return element_page(response, item, page, page_size)

    async def iter_pages(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page_size: int = PAGE_SIZE,
        start: int = 1,
    ) -> AsyncIterator[Page[Element]]:
        """Every page from ``start`` (the stopping rule of ``Client.iter_pages``)."""
        number, fetched = start, (start - 1) * page_size
        while True:
            page = await self.page(method, params, item=item, page=number, page_size=page_size)
            fetched += len(page.items)
            yield page
            if finished(page, fetched):
                return
            number += 1

    async def iterate(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> AsyncIterator[Element]:
        async for page in self.iter_pages(method, params, item=item, page_size=page_size):
            for element in page.items:
                yield element

    async def walk(self, listing: Listing[T]) -> AsyncIterator[T]:
        pages = self.iter_pages(
            listing.method, listing.params, item=listing.item, page_size=listing.page_size
        )
        async for page in pages:
            for element in page.items:
                yield listing.read(element)

    def bind(self, build: Callable[P, Prepared[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(build)
        async def run(*args: P.args, **kwargs: P.kwargs) -> T:
            return await self.run(build(*args, **kwargs))

        return run

    def bind_walk(self, build: Callable[P, Listing[T]]) -> Callable[P, AsyncIterator[T]]:
        @functools.wraps(build)
        def walk(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[T]:
            return self.walk(build(*args, **kwargs))

        return walk

    # -- the driver of Core.plan
    async def _drive(self, plan: Generator[Step, Reply | None, T], sink: IO[bytes] | None = None) -> T:
        outcome: Reply | None = None
        while True:
            try:
                step = plan.send(outcome)
            except StopIteration as stop:
                result: T = stop.value
                return result
            outcome = None
            if isinstance(step, Wait):
                await self._sleep(step.seconds)
            elif isinstance(step, Send):
                outcome = await self._send(step, sink if step.raw else None)
            elif isinstance(step, Login):
                await self._login(step.stale)

    async def _send(self, step: Send, sink: IO[bytes] | None = None) -> Reply:
        if sink is not None:
            return await self._send_streaming(step, sink)
        try:
            answer = await self._http.post(self.url, content=step.body, headers=dict(step.headers))
        except httpx.TransportError as exc:
            return Reply(error=exc)
        return Reply(answer.status_code, answer.headers, answer.content)

    async def _send_streaming(self, step: Send, sink: IO[bytes]) -> Reply:
        """A file answer goes to ``sink`` as it arrives; any other answer is read whole."""
        try:
            request = self._http.stream("POST", self.url, content=step.body, headers=dict(step.headers))
            async with request as answer:
                if not is_attachment(answer.status_code, answer.headers):
                    return Reply(answer.status_code, answer.headers, await answer.aread())
                written = 0
                try:
                    async for chunk in answer.aiter_bytes():
                        sink.write(chunk)
                        written += len(chunk)
                except httpx.TransportError as exc:
                    # Part of the file is already written: the plan must not send the call again.
                    return Reply(answer.status_code, answer.headers, error=exc, streamed=written)
                return Reply(answer.status_code, answer.headers, b"", streamed=written)
        except httpx.TransportError as exc:
            return Reply(error=exc)

    async def _follow(self, method: str, reply: Reply, sink: IO[bytes]) -> int:
        """Fetch a redirect's ``Location`` into ``sink`` (no credentials go there); bytes written."""
        location = reply.header_map.get("location", "")
        if not location:
            raise TransportError(f"HTTP {reply.status_code} without a Location", function=method)
        try:
            async with self._http.stream("GET", location, follow_redirects=True) as answer:
                if answer.status_code != 200:
                    raise HttpStatusError(answer.status_code, await answer.aread(), function=method)
                written = 0
                async for chunk in answer.aiter_bytes():
                    sink.write(chunk)
                    written += len(chunk)
                return written
        except httpx.TransportError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", function=method) from exc

    async def _login(self, stale: str | None) -> None:
        async with self._login_lock:
            if self._core.sid != stale:
                return
            response = await self._drive(self._core.plan(LOGIN, self._core.login_params()))
            self._core.accept_login(response)
            self._core.count(logins=1, relogins=0 if stale is None else 1)


class AsyncUserFunctions:
    """``user.*``: ``get``, ``get_list``, ``iterate`` (async iterator), ``add``, ``update``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(users.get)
        self.get_list = client.bind(users.get_list)
        self.iterate = client.bind_walk(users.iterate)
        self.add = client.bind(users.add)
        self.update = client.bind(users.update)


class AsyncUserGroupFunctions:
    """``userGroup.*``: ``get``, ``get_list``, ``iterate``, ``add``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(users.group_get)
        self.get_list = client.bind(users.group_get_list)
        self.iterate = client.bind_walk(users.group_iterate)
        self.add = client.bind(users.group_add)


class AsyncTaskFunctions:
    """``task.*``: ``get``, ``get_multi``, ``get_list``, ``iterate``, ``add``, ``update``,
    ``update_custom_data``, ``accept``, ``reject``, ``change_expect_date``, ``change_status``,
    ``get_possible_status_to_change``, ``change_workers``, ``get_filter_list``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(tasks.get)
        self.get_list = client.bind(tasks.get_list)
        self.iterate = client.bind_walk(tasks.iterate)
        self.add = client.bind(tasks.add)
        self.update = client.bind(tasks.update)
        self.get_multi = client.bind(tasks.get_multi)
        self.update_custom_data = client.bind(tasks.update_custom_data)
        self.accept = client.bind(tasks.accept)
        self.reject = client.bind(tasks.reject)
        self.change_expect_date = client.bind(tasks.change_expect_date)
        self.change_status = client.bind(tasks.change_status)
        self.get_possible_status_to_change = client.bind(tasks.get_possible_status_to_change)
        self.change_workers = client.bind(tasks.change_workers)
        self.get_filter_list = client.bind(tasks.get_filter_list)


class AsyncProjectFunctions:
    """``project.*``: ``get``, ``get_list``, ``iterate``, ``add``, ``update``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(projects.get)
        self.get_list = client.bind(projects.get_list)
        self.iterate = client.bind_walk(projects.iterate)
        self.add = client.bind(projects.add)
        self.update = client.bind(projects.update)


class AsyncActionFunctions:
    """``action.*``: ``get``, ``add``, ``update``, ``delete``, ``get_list``, ``iterate``,
    ``get_list_by_period``, ``iterate_by_period``, ``get_list_with_analitic``,
    ``iterate_with_analitic``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(actions.get)
        self.add = client.bind(actions.add)
        self.get_list = client.bind(actions.get_list)
        self.iterate = client.bind_walk(actions.iterate)
        self.update = client.bind(actions.update)
        self.delete = client.bind(actions.delete)
        self.get_list_by_period = client.bind(actions.get_list_by_period)
        self.iterate_by_period = client.bind_walk(actions.iterate_by_period)
        self.get_list_with_analitic = client.bind(analitics.get_list_with_analitic)
        self.iterate_with_analitic = client.bind_walk(analitics.iterate_with_analitic)


class AsyncAnaliticFunctions:
    """``analitic.*``: ``get_group_list``, ``get_list``, ``get_options``, ``get_handbook``,
    ``get_data``, ``get_data_by_condition``, ``iterate_data_by_condition``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get_group_list = client.bind(analitics.get_group_list)
        self.get_list = client.bind(analitics.get_list)
        self.get_options = client.bind(analitics.get_options)
        self.get_handbook = client.bind(analitics.get_handbook)
        self.get_data = client.bind(analitics.get_data)
        self.get_data_by_condition = client.bind(analitics.get_data_by_condition)
        self.iterate_data_by_condition = client.bind_walk(analitics.iterate_data_by_condition)


class AsyncHandbookFunctions:
    """``handbook.*``: ``get_group_list``, ``get_list``, ``get_structure``, ``get_records``,
    ``iterate_records``, ``get_record``, ``get_record_multi``, ``add_record``, ``update_record``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get_group_list = client.bind(handbooks.get_group_list)
        self.get_list = client.bind(handbooks.get_list)
        self.get_structure = client.bind(handbooks.get_structure)
        self.get_records = client.bind(handbooks.get_records)
        self.iterate_records = client.bind_walk(handbooks.iterate_records)
        self.get_record = client.bind(handbooks.get_record)
        self.get_record_multi = client.bind(handbooks.get_record_multi)
        self.add_record = client.bind(handbooks.add_record)
        self.update_record = client.bind(handbooks.update_record)


class AsyncContactFunctions:
    """``contact.*``: ``get``, ``get_list``, ``iterate``, ``add``, ``update``, ``update_custom_data``,
    ``manage_planfix_access``, ``update_user_info``, ``update_contractors``, ``delete``,
    ``get_phone_types``, ``get_group_list``, ``get_filter_list``."""

    def __init__(self, client: AsyncClient) -> None:
        self.get = client.bind(contacts.get)
        self.get_list = client.bind(contacts.get_list)
        self.iterate = client.bind_walk(contacts.iterate)
        self.add = client.bind(contacts.add)
        self.update = client.bind(contacts.update)
        self.update_custom_data = client.bind(contacts.update_custom_data)
        self.manage_planfix_access = client.bind(contacts.manage_planfix_access)
        self.update_user_info = client.bind(contacts.update_user_info)
        self.update_contractors = client.bind(contacts.update_contractors)
        self.delete = client.bind(contacts.delete)
        self.get_phone_types = client.bind(contacts.get_phone_types)
        self.get_group_list = client.bind(contacts.get_group_list)
        self.get_filter_list = client.bind(contacts.get_filter_list)


class AsyncFileFunctions:
    """``file.*``: ``download`` (the bytes) and ``download_to`` (streamed into a path or a binary
    file object; returns the number of bytes). The other typed file calls
    (``client/functions/files.py``) are bound in this class too."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self.upload = client.bind(files.upload)
        self.get = client.bind(files.get)
        self.get_history = client.bind(files.get_history)
        self.delete = client.bind(files.delete)
        self.get_list_for_task = client.bind(files.get_list_for_task)
        self.iterate_for_task = client.bind_walk(files.iterate_for_task)
        self.get_list_for_project = client.bind(files.get_list_for_project)
        self.iterate_for_project = client.bind_walk(files.iterate_for_project)
        self.get_list_for_client = client.bind(files.get_list_for_client)
        self.iterate_for_client = client.bind_walk(files.iterate_for_client)
        self.get_list_for_user = client.bind(files.get_list_for_user)
        self.iterate_for_user = client.bind_walk(files.iterate_for_user)

    async def download(self, id: int | None = None, *, unique_id: int | None = None) -> bytes:
        """The content of a file (its last version by ``id``, or one version by ``unique_id``)."""
        return await self._client.fetch(FILE_DOWNLOAD, download_params(id, unique_id=unique_id))

    async def download_to(
        self, target: Target, id: int | None = None, *, unique_id: int | None = None
    ) -> int:
        return await self._client.fetch_to(target, FILE_DOWNLOAD, download_params(id, unique_id=unique_id))

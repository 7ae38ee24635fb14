"""``Client``: the synchronous client, on ``httpx.Client``; safe to share between threads."""

from __future__ import annotations

import datetime as dt
import functools
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ParamSpec, TypeVar

import httpx

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared, finished, page_params
from planfix_server.client.core import LOGIN, Core, Login, Plan, Reply, Send, Stats, Wait, make_core
from planfix_server.client.element import Element
from planfix_server.client.endpoints import endpoint_url, tls_verify
from planfix_server.client.functions import actions, contacts, projects, tasks, users
from planfix_server.client.pacing import Clock, Retry
from planfix_server.client.response import Page, Response, element_page

P = ParamSpec("P")
T = TypeVar("T")


class Client:
    """A client of one account of a PlanFix XML API endpoint (this server or the real service).

    ``base_url``: a URL or a data-centre name (``client.endpoints.DATA_CENTRES``). Authenticate
    with ``token``, or with ``login`` and ``password`` (``auth.login`` on first use; re-login on
    ``0005``). ``signature_key`` signs every request. Requests are paced to
    ``requests_per_second`` (0: no pacing) across all threads; ``0007`` is waited out for up to
    ``limit_budget`` seconds per call; transport failures and ``3014`` are retried per ``retry``.
    ``verify``: True, False, an ``ssl.SSLContext`` or a CA file/directory (for a self-signed
    server: ``planfix-data/tls/cert.pem``). ``transport`` and ``timeout`` go to httpx (a
    ``transport`` such as ``httpx.ASGITransport`` or ``httpx.WSGITransport`` reaches an app with no
    socket); ``clock`` and ``sleep`` exist for tests.
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
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
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
        self._login_lock = threading.Lock()
        self._http = httpx.Client(timeout=timeout, verify=tls_verify(verify), transport=transport)
        self.user = UserFunctions(self)
        self.user_group = UserGroupFunctions(self)
        self.task = TaskFunctions(self)
        self.project = ProjectFunctions(self)
        self.action = ActionFunctions(self)
        self.contact = ContactFunctions(self)

    @classmethod
    def from_profile(cls, name: str | None = None, **options: Any) -> Client:
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
        """The current session key in login/password mode."""
        return self._core.sid

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- calls
    def call(self, method: str, params: Mapping[str, Any] | None = None) -> Response:
        """Call any function; ``params`` by the rules of ``client.values``. Raises the
        ``ApiError`` subclass of an error answer, or ``TransportError``."""
        return self._drive(self._core.plan(method, params))

    def run(self, prepared: Prepared[T]) -> T:
        """Run a typed call (what the ``client.user.get(…)``-style methods do)."""
        return prepared.read(self.call(prepared.method, prepared.params))

    def login(self) -> str:
        """Log in now (login/password mode) and return the new session key."""
        if not self._core.credentials.login_mode:
            raise ValueError("this client uses a token; there is no session to open")
        self._login(self._core.sid)
        assert self._core.sid is not None
        return self._core.sid

    def page(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> Page[Element]:
        """One page of a list function; ``item`` names the items (default: all the container holds)."""
        response = self.call(method, page_params(params, page, page_size))
        return element_page(response, item, page, page_size)

    def iter_pages(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page_size: int = PAGE_SIZE,
        start: int = 1,
    ) -> Iterator[Page[Element]]:
        """Every page from ``start``, until ``totalCount`` is reached or a page is empty or short."""
        number, fetched = start, (start - 1) * page_size
        while True:
            page = self.page(method, params, item=item, page=number, page_size=page_size)
            fetched += len(page.items)
            yield page
            if finished(page, fetched):
                return
            number += 1

    def iterate(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        item: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[Element]:
        """Every item of a list function, page after page."""
        for page in self.iter_pages(method, params, item=item, page_size=page_size):
            yield from page.items

    def walk(self, listing: Listing[T]) -> Iterator[T]:
        """Every item of a typed listing, read into its dataclass."""
        pages = self.iter_pages(
            listing.method, listing.params, item=listing.item, page_size=listing.page_size
        )
        for page in pages:
            for element in page.items:
                yield listing.read(element)

    def bind(self, build: Callable[P, Prepared[T]]) -> Callable[P, T]:
        """A typed function that runs right away: ``bind(users.get)(5)`` is a ``User``."""

        @functools.wraps(build)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            return self.run(build(*args, **kwargs))

        return run

    def bind_walk(self, build: Callable[P, Listing[T]]) -> Callable[P, Iterator[T]]:
        """A typed list function that walks every page."""

        @functools.wraps(build)
        def walk(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
            return self.walk(build(*args, **kwargs))  # built now, so bad arguments raise here

        return walk

    # -- the driver of Core.plan
    def _drive(self, plan: Plan) -> Response:
        outcome: Reply | None = None
        while True:
            try:
                step = plan.send(outcome)
            except StopIteration as stop:
                result: Response = stop.value
                return result
            outcome = None
            if isinstance(step, Wait):
                self._sleep(step.seconds)
            elif isinstance(step, Send):
                outcome = self._send(step)
            elif isinstance(step, Login):
                self._login(step.stale)

    def _send(self, step: Send) -> Reply:
        try:
            answer = self._http.post(self.url, content=step.body, headers=dict(step.headers))
        except httpx.TransportError as exc:
            return Reply(error=exc)
        return Reply(answer.status_code, answer.headers, answer.content)

    def _login(self, stale: str | None) -> None:
        with self._login_lock:
            if self._core.sid != stale:
                return  # another thread has logged in since this one saw the old session
            response = self._drive(self._core.plan(LOGIN, self._core.login_params()))
            self._core.accept_login(response)
            self._core.count(logins=1, relogins=0 if stale is None else 1)


class UserFunctions:
    """``user.*``: ``get``, ``get_list`` (one page), ``iterate`` (all pages), ``add``, ``update``."""

    def __init__(self, client: Client) -> None:
        self.get = client.bind(users.get)
        self.get_list = client.bind(users.get_list)
        self.iterate = client.bind_walk(users.iterate)
        self.add = client.bind(users.add)
        self.update = client.bind(users.update)


class UserGroupFunctions:
    """``userGroup.*``: ``get``, ``get_list``, ``iterate``, ``add``."""

    def __init__(self, client: Client) -> None:
        self.get = client.bind(users.group_get)
        self.get_list = client.bind(users.group_get_list)
        self.iterate = client.bind_walk(users.group_iterate)
        self.add = client.bind(users.group_add)


class TaskFunctions:
    """``task.*``: ``get``, ``get_multi``, ``get_list``, ``iterate``, ``add``, ``update``,
    ``update_custom_data``, ``accept``, ``reject``, ``change_expect_date``, ``change_status``,
    ``get_possible_status_to_change``, ``change_workers``, ``get_filter_list``."""

    def __init__(self, client: Client) -> None:
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


class ProjectFunctions:
    """``project.*``: ``get``, ``get_list``, ``iterate``, ``add``, ``update``."""

    def __init__(self, client: Client) -> None:
        self.get = client.bind(projects.get)
        self.get_list = client.bind(projects.get_list)
        self.iterate = client.bind_walk(projects.iterate)
        self.add = client.bind(projects.add)
        self.update = client.bind(projects.update)


class ActionFunctions:
    """``action.*``: ``get``, ``add``, ``update``, ``delete``, ``get_list``, ``iterate``,
    ``get_list_by_period``, ``iterate_by_period``."""

    def __init__(self, client: Client) -> None:
        self.get = client.bind(actions.get)
        self.add = client.bind(actions.add)
        self.get_list = client.bind(actions.get_list)
        self.iterate = client.bind_walk(actions.iterate)
        self.update = client.bind(actions.update)
        self.delete = client.bind(actions.delete)
        self.get_list_by_period = client.bind(actions.get_list_by_period)
        self.iterate_by_period = client.bind_walk(actions.iterate_by_period)


class ContactFunctions:
    """``contact.*``: ``get``, ``get_list``, ``iterate``, ``add``, ``update``, ``update_custom_data``,
    ``manage_planfix_access``, ``update_user_info``, ``update_contractors``, ``delete``,
    ``get_phone_types``, ``get_group_list``, ``get_filter_list``."""

    def __init__(self, client: Client) -> None:
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

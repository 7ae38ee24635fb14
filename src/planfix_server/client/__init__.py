"""The Python SDK for the PlanFix XML API v1: this server, its sandbox, or the real service.

::

    from planfix_server.client import Client, SessionExpired, TaskError

    with Client("europe", "myaccount", api_key, token=token) as planfix:   # or a URL
        me = planfix.user.get()                      # a User dataclass: the token's user
        for user in planfix.user.iterate(status="ACTIVE"):   # every page, 100 at a time
            print(user.id, user.login, [group.name for group in user.groups])
        created = planfix.task.add("Call the client", project_id=42, workers=[me.id])
        answer = planfix.call("user.updateGroupMembership",   # any function, plain values
                              {"user": {"id": me.id, "addUserGroup": {"id": [1, 2]}}})
        print(answer.one("user").text_of("id"), planfix.remaining)

Login/password mode: ``Client(url, account, api_key, login="…", password="…")`` logs in on the
first call and again, once, when a call answers ``0005``. ``AsyncClient`` takes the same
arguments (``async with``, ``await planfix.user.get()``, ``async for … in planfix.user.iterate()``).
``Client.from_profile("name")`` reads a credentials profile (``client.profiles``).

What the pieces do:

* ``call(method, params)`` → ``Response``, an ``Element`` tree where lists are always lists
  (``.all(name)`` is a list, ``.one(name)`` one element; values stay strings, ``int_of``,
  ``bool_of``, ``date_of`` convert); ``response.raw`` holds the bytes. Parameter rules: ``values``.
* Typed calls: ``client.user`` (get, get_list, iterate, add, update), ``client.user_group``,
  ``client.task``, ``client.project``, ``client.action``, ``client.contact`` → dataclasses
  (``functions``). Lists: ``get_list`` gives one ``Page``, ``iterate`` every item.
* Any list function: ``page()``, ``iter_pages()``, ``iterate(method, params, item="user")``.
* Errors: an error answer raises its class from ``planfix_server.api.errors`` (one per code,
  grouped by area, e.g. ``TaskNotFound`` < ``TaskError`` < ``ApiError``) with ``code``,
  ``meaning`` and ``function``; no answer at all raises ``TransportError``.
* Pacing: at most ``requests_per_second`` (default 1) across the client's threads or tasks;
  ``0007`` is waited out within ``limit_budget`` seconds; ``3014`` and transport failures are
  retried with backoff (``pacing``, ``core``). ``client.remaining`` is the last
  ``X-RateLimit-Remaining``, ``client.stats`` counts requests, ``0007`` answers and logins.
"""

from planfix_server.api.errors import (
    ERRORS_BY_CODE,
    AccountUnavailable,
    ActionError,
    AnaliticError,
    ApiError,
    AuthenticationError,
    AuthError,
    ContactError,
    FileError,
    LimitExceeded,
    ObjectError,
    ParameterError,
    ProjectError,
    ProtocolError,
    RequestLimitExceeded,
    SessionExpired,
    SubscriptionError,
    TaskError,
    UserError,
    UserGroupError,
    error_for_code,
)
from planfix_server.api.errors import ClientError as CounterpartyError
from planfix_server.client.aio import AsyncClient
from planfix_server.client.calls import Listing, Prepared
from planfix_server.client.core import Credentials, Stats
from planfix_server.client.element import Element, MissingElement
from planfix_server.client.endpoints import ASIA, DATA_CENTRES, EUROPE, EUROPE_OLD, RUSSIA, USA
from planfix_server.client.errors import BadResponse, HttpStatusError, TransportError
from planfix_server.client.functions import (
    Action,
    Contact,
    ContactCreated,
    CustomValue,
    Filter,
    People,
    Phone,
    Project,
    Ref,
    Task,
    TaskCreated,
    User,
    UserGroup,
)
from planfix_server.client.pacing import Retry, Scheduler
from planfix_server.client.profiles import Profile, ProfileError, load_profile
from planfix_server.client.response import Page, Response
from planfix_server.client.sync import Client

__all__ = [
    "ASIA",
    "DATA_CENTRES",
    "ERRORS_BY_CODE",
    "EUROPE",
    "EUROPE_OLD",
    "RUSSIA",
    "USA",
    "AccountUnavailable",
    "Action",
    "ActionError",
    "AnaliticError",
    "ApiError",
    "AsyncClient",
    "AuthError",
    "AuthenticationError",
    "BadResponse",
    "Client",
    "Contact",
    "ContactCreated",
    "ContactError",
    "CounterpartyError",
    "Credentials",
    "CustomValue",
    "Element",
    "FileError",
    "Filter",
    "HttpStatusError",
    "LimitExceeded",
    "Listing",
    "MissingElement",
    "ObjectError",
    "Page",
    "ParameterError",
    "People",
    "Phone",
    "Prepared",
    "Profile",
    "ProfileError",
    "Project",
    "ProjectError",
    "ProtocolError",
    "Ref",
    "RequestLimitExceeded",
    "Response",
    "Retry",
    "Scheduler",
    "SessionExpired",
    "Stats",
    "SubscriptionError",
    "Task",
    "TaskCreated",
    "TaskError",
    "TransportError",
    "User",
    "UserError",
    "UserGroup",
    "UserGroupError",
    "error_for_code",
    "load_profile",
]

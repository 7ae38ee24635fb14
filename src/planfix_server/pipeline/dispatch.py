"""Step: find the function, check the token may call it, decode, run the handler, encode.

Codes: 0008 unknown function, 0018 declared but not implemented, 0020 outside the token's
list of functions, then whatever decoding (0009/0015) and the handler raise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.download import Download
from planfix_server.api.registry import MethodSpec, lookup
from planfix_server.pipeline.exchange import Exchange
from planfix_server.security import Passwords
from planfix_server.settings import Settings
from planfix_server.store.shared import SharedDefinitions
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire import encode
from planfix_server.wire.decode import decode


def find_method(name: str) -> MethodSpec:
    spec = lookup(name)
    if spec is None:
        raise errors.UnknownFunction(name)
    return spec


def check_allowed(exchange: Exchange, spec: MethodSpec) -> None:
    if not spec.implemented:
        raise errors.NotImplementedFunction(spec.name)
    allowed = exchange.token.allowed_methods if exchange.token is not None else None
    if allowed is not None and spec.name not in allowed:
        raise errors.FunctionForbidden(spec.name)


@dataclass(frozen=True, slots=True)
class Ran:
    """What one attempt of a handler produced: the XML answer, or a file to send instead; and the
    callbacks to run once its transaction has committed."""

    body: bytes
    download: Download | None
    on_commit: list[Callable[[], None]]


def run(
    exchange: Exchange,
    spec: MethodSpec,
    settings: Settings,
    passwords: Passwords,
    definitions: SharedDefinitions | None = None,
) -> Ran:
    """Decode the request, run the handler in the account's unit of work, render the result.

    ``definitions``: the worker's kept statuses and fields, used at the tag the credentials carried.
    """
    assert exchange.connection is not None and exchange.envelope is not None
    assert exchange.account is not None and exchange.user is not None and spec.handler is not None
    request = decode(spec.request, exchange.envelope.root) if spec.request is not None else None
    call = Call(
        account=exchange.account,
        user=exchange.user,
        now=exchange.now,
        request_id=exchange.request_id,
        silent=exchange.envelope.silent,
        base_url=exchange.base_url,
        settings=settings,
        passwords=passwords,
    )
    account = exchange.account
    shared = definitions.slot(account.id, account.definitions_tag) if definitions is not None else None
    uow = AccountUnitOfWork(exchange.connection, account.id, shared)
    result = spec.handler(request, uow, call)
    if isinstance(result, Download):
        return Ran(b"", result, call.on_commit)
    return Ran(encode.ok(spec.response, result, call.tz), None, call.on_commit)

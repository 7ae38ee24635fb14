"""The declared surface of the API: every function, its request and response, its handler.

All 79 functions of the catalogue are declared here; a domain module attaches a handler with
``@method(name, request=…, response=…)``. A declared function without a handler answers 0018.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from planfix_server.api.catalogue import ALL_FUNCTIONS, SECTION_OF
from planfix_server.wire.encode import Shape

Handler = Callable[[Any, Any, Any], Any]

DOMAIN_MODULES = (
    "planfix_server.domain.auth.methods",
    "planfix_server.domain.users.methods",
    "planfix_server.domain.users.edit_methods",
    "planfix_server.domain.users.group_methods",
    "planfix_server.domain.tasks.read_methods",
    "planfix_server.domain.tasks.edit_methods",
    "planfix_server.domain.tasks.status_methods",
    "planfix_server.domain.statuses.methods",
    "planfix_server.domain.projects.methods",
    "planfix_server.domain.projects.group_methods",
    "planfix_server.domain.contacts.methods",
    "planfix_server.domain.contacts.contractor_methods",
    "planfix_server.domain.contacts.catalog_methods",
    "planfix_server.domain.contacts.delete_methods",
    "planfix_server.domain.contacts.access_methods",
    "planfix_server.domain.contacts.list_methods",
    "planfix_server.domain.actions.read_methods",
    "planfix_server.domain.actions.edit_methods",
    "planfix_server.domain.analitics.methods",
    "planfix_server.domain.analitics.data_methods",
    "planfix_server.domain.handbooks.read_methods",
    "planfix_server.domain.handbooks.edit_methods",
    "planfix_server.domain.files.methods",
    "planfix_server.domain.files.list_methods",
)


@dataclass(frozen=True)
class MethodSpec:
    name: str
    section: str
    request: type | None = None
    response: tuple[Shape, ...] = ()
    handler: Handler | None = None
    writes: bool = False
    needs_session: bool = True
    errors: tuple[str, ...] = ()
    summary: str = ""

    @property
    def implemented(self) -> bool:
        return self.handler is not None


REGISTRY: dict[str, MethodSpec] = {name: MethodSpec(name, SECTION_OF[name]) for name in ALL_FUNCTIONS}


def method(
    name: str,
    *,
    request: type | None,
    response: Sequence[Shape],
    writes: bool = False,
    needs_session: bool = True,
    errors: Sequence[str] = (),
) -> Callable[[Handler], Handler]:
    """Attach a handler ``(request, uow, call) -> result`` to a declared function."""
    if name not in REGISTRY:
        raise KeyError(f"{name} is not a function of XML API v1")

    def attach(handler: Handler) -> Handler:
        if REGISTRY[name].handler is not None and REGISTRY[name].handler is not handler:
            raise RuntimeError(f"{name} has two handlers")
        REGISTRY[name] = replace(
            REGISTRY[name],
            request=request,
            response=tuple(response),
            handler=handler,
            writes=writes,
            needs_session=needs_session,
            errors=tuple(errors),
            summary=(handler.__doc__ or "").strip().splitlines()[0] if handler.__doc__ else "",
        )
        return handler

    return attach


def load_domains() -> dict[str, MethodSpec]:
    """Import every domain module so its handlers are attached; return the registry."""
    for module in DOMAIN_MODULES:
        importlib.import_module(module)
    return REGISTRY


def lookup(name: str) -> MethodSpec | None:
    return REGISTRY.get(name)

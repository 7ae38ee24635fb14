"""Fixture section ``processes``: processes with their statuses and transitions.

Every account gets the default process (the section runs even when left out). More processes::

    "processes": [{"name": "Sales", "default": false, "accept": "Qualified", "auto_accept": true,
                   "statuses": ["ACTIVE", {"name": "Qualified", "name_ru": "…", "color": "#00aa00",
                                           "active": true, "deadline": true}, "COMPLETED"],
                   "transitions": [{"from": "ACTIVE", "to": "Qualified", "side": "worker"}]}]

A status is a system token or the name of a custom status; a custom status is defined (as a
mapping) once and named afterwards, in this process or a later one. Without ``transitions``
the owner side may move between any two statuses and the assignee side not at all. Processes
are referable by name (``processes``), custom statuses by name (``task_statuses``).
"""

from __future__ import annotations

from typing import Any

from planfix_server.domain.statuses import defaults, service
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section

PROCESS_FIELDS = ("name", "default", "accept", "auto_accept", "statuses", "transitions")
STATUS_FIELDS = ("name", "name_ru", "name_en", "color", "active", "deadline")
TRANSITION_FIELDS = ("from", "to", "side")


def _status(context: SeedContext, value: Any, where: str) -> int:
    """The id of a status named in a fixture, defining a custom one given as a mapping."""
    if isinstance(value, str):
        token = value.strip()
        if token.upper() in defaults.TOKENS:
            return defaults.TOKENS[token.upper()]
        return context.ref("task_statuses", token, where)
    item = Item(value, where, STATUS_FIELDS)
    name = item.need("name")
    if name.upper() in defaults.TOKENS:
        raise FixtureError(f"{item.at('name')}: {name!r} is a system status")
    status_id = service.add_status(
        context.uow,
        name,
        name_ru=item.text("name_ru") or "",
        name_en=item.text("name_en") or "",
        color=item.text("color") or "",
        is_active=item.flag("active", True),
        has_deadline=item.flag("deadline", True),
    )
    context.remember("task_statuses", name, status_id, where)
    return status_id


@section("processes", order=50, default=[])
def load_processes(context: SeedContext, data: Any, where: str) -> None:
    """The default process, then the processes the fixture lists."""
    default_id = service.ensure_default_process(context.uow)
    context.remember("processes", defaults.DEFAULT_PROCESS_NAME, default_id, where)
    for value, place in entries(data, where):
        item = Item(value, place, PROCESS_FIELDS)
        name = item.need("name")
        statuses = [
            _status(context, one, at) for one, at in entries(item.data.get("statuses"), item.at("statuses"))
        ]
        if not statuses:
            raise FixtureError(f"{item.at('statuses')}: a process needs at least one status")
        accept_name = item.text("accept")
        if accept_name:
            accept = _status(context, accept_name, item.at("accept"))
        else:
            accept = defaults.ACCEPTED if defaults.ACCEPTED in statuses else statuses[0]
        transitions: list[tuple[int, int, str]] = []
        if "transitions" in item:
            for one, at in entries(item.data["transitions"], item.at("transitions")):
                step = Item(one, at, TRANSITION_FIELDS)
                transitions.append(
                    (
                        _status(context, step.need("from"), step.at("from")),
                        _status(context, step.need("to"), step.at("to")),
                        step.need("side", defaults.OWNER, choices=defaults.SIDES),
                    )
                )
        else:
            transitions = [(a, b, defaults.OWNER) for a in statuses for b in statuses if a != b]
        try:
            set_id = service.create_process(
                context.uow,
                name,
                statuses,
                transitions,
                accept_status_id=accept,
                auto_accept=item.flag("auto_accept", True),
                is_default=item.flag("default"),
            )
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember("processes", name, set_id, place)
    context.result["processes"] = dict(context.refs.get("processes", {}))
    context.result["task_statuses"] = dict(context.refs.get("task_statuses", {}))

"""Set-up helpers of the action tests: comments through the API, long histories stored directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from planfix_server.app import Server
from planfix_server.domain.actions.writer import NewAction, record
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant


def add(api: Api, inner: str) -> Reply:
    """action.add with ``inner`` inside ``<action>``."""
    return api.call("action.add", f"<action>{inner}</action>")


def comment(api: Api, task_id: int, text: str = "A comment", extra: str = "") -> int:
    reply = add(api, f"<description>{text}</description><task><id>{task_id}</id></task>{extra}")
    assert reply.ok, reply.raw
    return int(reply.text("action/id"))


def get(api: Api, action_id: int) -> Reply:
    return api.call("action.get", f"<action><id>{action_id}</id></action>")


def listed(api: Api, inner: str) -> Reply:
    reply = api.call("action.getList", inner)
    assert reply.ok, reply.raw
    return reply


def ids(reply: Reply) -> list[int]:
    return [int(element.findtext("id") or 0) for element in reply.root.iterfind("actions/action")]


def counts(reply: Reply) -> tuple[int, int]:
    container = reply.root.find("actions")
    assert container is not None, reply.raw
    return int(container.get("totalCount", "-1")), int(container.get("count", "-1"))


def children(reply: Reply, path: str = "action") -> list[str]:
    found = reply.root.find(path)
    assert found is not None, reply.raw
    return [child.tag for child in found]


def of_task(reply: Reply, task_id: int) -> list[etree._Element]:
    """The actions of a list that belong to ``task_id``."""
    return [one for one in reply.root.iterfind("actions/action") if one.findtext("task/id") == str(task_id)]


def history(
    server: Server,
    tenant: Tenant,
    count: int,
    *,
    start: dt.datetime,
    step: dt.timedelta = dt.timedelta(minutes=1),
    **values: Any,
) -> list[int]:
    """``count`` actions written through the writer in one transaction, one ``step`` apart."""
    made = []
    with unit_of_work(server, tenant) as uow:
        for number in range(count):
            fields = {
                "type": "ACTION",
                "owner_id": tenant.owner_id,
                "description": f"Entry {number}",
                **values,
            }
            made.append(record(uow, NewAction(created_at=start + step * number, **fields)))
    return made

"""Set-up helpers of the handbook tests: definitions stored directly, records through the API."""

from __future__ import annotations

from collections.abc import Sequence

from planfix_server.app import Server
from planfix_server.domain.handbooks import definitions
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant, now


def make_group(server: Server, tenant: Tenant, name: str) -> int:
    with unit_of_work(server, tenant) as uow:
        return definitions.add_group(uow, name, now())


def make_handbook(server: Server, tenant: Tenant, name: str, group_id: int | None = None) -> int:
    with unit_of_work(server, tenant) as uow:
        return definitions.add_handbook(uow, name, now(), group_id)


def make_field(
    server: Server,
    tenant: Tenant,
    handbook_id: int,
    name: str,
    field_type: str = "STRING",
    *,
    options: Sequence[str] = (),
    target: int | None = None,
    displayed: bool = False,
) -> int:
    with unit_of_work(server, tenant) as uow:
        return definitions.add_field(
            uow,
            handbook_id,
            name=name,
            field_type=field_type,
            options=options,
            target_handbook_id=target,
            displayed=displayed,
        )


def values_xml(values: dict[int, str]) -> str:
    items = "".join(
        f"<customValue><id>{field}</id><value>{value}</value></customValue>"
        for field, value in values.items()
    )
    return f"<customData>{items}</customData>"


def add_record(
    api: Api,
    handbook_id: int,
    values: dict[int, str] | None = None,
    *,
    parent: int | None = None,
    group: str | None = None,
    archived: bool = False,
) -> int:
    """A record (or, with ``group``, a group record named so) added through handbook.addRecord."""
    inner = f"<handbook><id>{handbook_id}</id></handbook>"
    if parent is not None:
        inner += f"<parentKey>{parent}</parentKey>"
    if group is not None:
        inner += f"<isGroup>1</isGroup><name>{group}</name>"
    if archived:
        inner += "<archived>1</archived>"
    if values:
        inner += values_xml(values)
    reply = api.call("handbook.addRecord", inner)
    assert reply.ok, reply.raw
    return int(reply.text("key"))


def get_record(api: Api, handbook_id: int, key: int) -> Reply:
    reply = api.call("handbook.getRecord", f"<handbook><id>{handbook_id}</id></handbook><key>{key}</key>")
    assert reply.ok, reply.raw
    return reply


def values_of(reply: Reply, path: str = "record") -> dict[int, tuple[str, str]]:
    """{field id: (value, text)} of the first record at ``path``."""
    record = reply.root.find(path)
    assert record is not None, reply.raw
    return {
        int(item.findtext("field/id") or 0): (item.findtext("value") or "", item.findtext("text") or "")
        for item in record.iterfind("customData/customValue")
    }


def keys_of(reply: Reply, path: str = "records/record") -> list[int]:
    return [int(record.findtext("key") or 0) for record in reply.root.iterfind(path)]

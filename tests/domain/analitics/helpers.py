"""Set-up helpers of the analitic tests: definitions (no API function makes them), handbooks
written straight into their tables, data rows through action.add."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from planfix_server.app import Server
from planfix_server.domain.analitics.catalog import define_analitic, define_field, define_group
from planfix_server.store.tables import handbook_fields, handbook_records, handbook_values, handbooks
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant, now

FieldDecl = tuple[str, str] | tuple[str, str, dict[str, Any]]


def group(server: Server, tenant: Tenant, name: str) -> int:
    with unit_of_work(server, tenant) as uow:
        return define_group(uow, now(), name)


def analitic(
    server: Server, tenant: Tenant, name: str, fields: Sequence[FieldDecl], group_id: int | None = None
) -> tuple[int, dict[str, int]]:
    """An analitic with ``fields`` as (name, type[, {"options": …, "handbook_id": …}])."""
    with unit_of_work(server, tenant) as uow:
        analitic_id = define_analitic(uow, now(), name, group_id)
        made = {}
        for declared in fields:
            extra: dict[str, Any] = declared[2] if len(declared) == 3 else {}  # type: ignore[misc]
            made[declared[0]] = define_field(
                uow, analitic_id, name=declared[0], field_type=declared[1], **extra
            )
    return analitic_id, made


@dataclass
class Handbook:
    id: int
    fields: dict[str, int]
    records: dict[str, int]


def handbook(
    server: Server,
    tenant: Tenant,
    name: str,
    fields: Sequence[tuple[str, str, bool]],
    records: Sequence[tuple[str, str | None, bool, dict[str, str]]],
) -> Handbook:
    """A handbook written into its tables: fields (name, type, displayed), records (label, parent
    label, is group, {field name: stored value}); a group's label is its name."""
    with unit_of_work(server, tenant) as uow:
        connection = uow._connection
        account = tenant.account_id
        handbook_id = uow.next_id("handbooks")
        connection.execute(
            handbooks.insert().values(account_id=account, id=handbook_id, name=name, created_at=now())
        )
        made_fields = {}
        for num, (field_name, field_type, displayed) in enumerate(fields):
            field_id = uow.next_id("handbook_fields")
            connection.execute(
                handbook_fields.insert().values(
                    account_id=account,
                    id=field_id,
                    handbook_id=handbook_id,
                    num=num,
                    name=field_name,
                    type=field_type,
                    is_displayed=displayed,
                )
            )
            made_fields[field_name] = field_id
        keys: dict[str, int] = {}
        for label, parent, is_group, values in records:
            key = uow.next_id("handbook_records")
            connection.execute(
                handbook_records.insert().values(
                    account_id=account,
                    id=key,
                    handbook_id=handbook_id,
                    parent_key=keys[parent] if parent else None,
                    is_group=is_group,
                    name=label if is_group else "",
                    created_at=now(),
                )
            )
            for field_name, value in values.items():
                connection.execute(
                    handbook_values.insert().values(
                        account_id=account, record_id=key, field_id=made_fields[field_name], value=value
                    )
                )
            keys[label] = key
    return Handbook(handbook_id, made_fields, keys)


@dataclass
class WorkLog:
    """The analitic of the real captures: a handbook field, date, period, quantity, comment, employees."""

    id: int
    fields: dict[str, int]
    kinds: Handbook
    group_id: int


def work_log(server: Server, tenant: Tenant) -> WorkLog:
    kinds = handbook(
        server,
        tenant,
        "Kinds of work",
        [("Name", "STRING", True), ("Unit", "STRING", False), ("Norm hours", "NUMBER", False)],
        [
            ("Programming", None, True, {}),
            ("Programmer minute", "Programming", False, {"Name": "Programmer minute", "Unit": "minute"}),
            ("Design hour", "Programming", False, {"Name": "Design hour", "Norm hours": "1"}),
        ],
    )
    group_id = group(server, tenant, "Time management")
    analitic_id, fields = analitic(
        server,
        tenant,
        "Work log",
        [
            ("Kind of work", "HANDBOOK", {"handbook_id": kinds.id}),
            ("Date", "DATE"),
            ("Time period", "TIMEPERIOD"),
            ("Quantity", "NUMBER"),
            ("Comment", "TEXT"),
            ("Employee", "LOGINLIST"),
        ],
        group_id,
    )
    return WorkLog(analitic_id, fields, kinds, group_id)


def item(field_id: int, value: str) -> str:
    return f"<itemData><fieldId>{field_id}</fieldId><value>{value}</value></itemData>"


def row(analitic_id: int, *items: str, key: int | None = None) -> str:
    head = f"<key>{key}</key>" if key is not None else ""
    return f"<analitic><id>{analitic_id}</id><analiticData>{head}{''.join(items)}</analiticData></analitic>"


def add_with_rows(api: Api, task_id: int, *rows: str, extra: str = "") -> Reply:
    return api.call(
        "action.add",
        f"<action><description>Work</description><task><id>{task_id}</id></task>{extra}"
        f"<analitics>{''.join(rows)}</analitics></action>",
    )


def keys_of(api: Api, action_id: int) -> list[tuple[int, int, str]]:
    """(analitic id, key, name) of an action's ``analitics``."""
    reply = api.call("action.get", f"<action><id>{action_id}</id></action>")
    assert reply.ok, reply.raw
    return [
        (int(one.findtext("id") or 0), int(one.findtext("key") or 0), one.findtext("name") or "")
        for one in reply.root.iterfind("action/analitics/analitic")
    ]


def items_of(element: etree._Element) -> dict[int, tuple[str, str, str]]:
    """{field id: (name, value, valueId)} of one ``analiticData``."""
    return {
        int(one.findtext("id") or 0): (
            one.findtext("name") or "",
            one.findtext("value") or "",
            one.findtext("valueId") or "",
        )
        for one in element.iterfind("itemData")
    }


def get_data(api: Api, *keys: int) -> Reply:
    return api.call(
        "analitic.getData", "<analiticKeys>" + "".join(f"<key>{k}</key>" for k in keys) + "</analiticKeys>"
    )

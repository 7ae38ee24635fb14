"""Account B can neither see nor change account A's objects, whatever function it calls.

For every implemented function a request is generated from its declaration: every identifier
field carries an id (or number) of one of A's objects, every other field a plausible value.
B's administrator sends it. The answer must not carry any of A's marked values, and A's rows
must be exactly as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import bindparam, select
from starlette.testclient import TestClient

from planfix_server.api.registry import REGISTRY, MethodSpec, load_domains
from planfix_server.app import Server
from planfix_server.domain.actions.writer import NewAction, record
from planfix_server.domain.contacts.creation import insert_contact
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.customfields.service import define_field
from planfix_server.domain.projects.group_methods import add_group as add_project_group
from planfix_server.domain.projects.service import insert_project
from planfix_server.domain.statuses.service import default_process_id
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.db import WRITE
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    TENANT_TABLES,
    analitic_data,
    analitic_fields,
    analitic_groups,
    analitic_values,
    analitics,
    contact_contractors,
    contact_groups,
    file_versions,
    files,
    handbook_fields,
    handbook_groups,
    handbook_records,
    handbook_values,
    handbooks,
    task_people,
    tasks,
)
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire import fields
from planfix_server.wire.decode import plan_of
from tests.support import Api, Tenant, add_user, provision

MARKER = "alpha-secret"
# Columns that change on every use and say nothing about the data.
VOLATILE = {"last_seen_at", "last_used_at"}

_GENERAL_OF_TASK = Scoped(
    select(tasks.c.general).where(tasks.c.account_id == bindparam("tenant"), tasks.c.id == bindparam("id"))
)

load_domains()
IMPLEMENTED = sorted(name for name, spec in REGISTRY.items() if spec.implemented)


def _sample(kind: fields.Kind | None, ids: list[int]) -> list[str]:
    if isinstance(kind, fields.Id | fields.Int):
        return [str(value) for value in ids]
    if isinstance(kind, fields.Bool01):
        return ["1"]
    if isinstance(kind, fields.Enum):
        return [kind.choices[0]]
    if isinstance(kind, fields.Date | fields.DateTime):
        return ["01-01-2020"]
    return ["beta"]


def _render(cls: type, ids: list[int]) -> str:
    """Every declared field of ``cls`` filled in (identifiers with A's ids)."""
    out: list[str] = []
    for step in plan_of(cls):
        spec = step.spec
        parts = spec.path.split("/")
        if spec.struct is not None:
            inner = _render(spec.struct, ids)
            values = [inner]
        else:
            values = _sample(spec.kind, ids)
        leaf = parts[-1]
        if spec.many is not None:
            body = "".join(f"<{spec.many}>{value}</{spec.many}>" for value in values)
        else:
            body = values[0]
        element = f"<{leaf}>{body}</{leaf}>"
        for parent in reversed(parts[:-1]):
            element = f"<{parent}>{element}</{parent}>"
        out.append(element)
    return "".join(out)


def _snapshot(server: Server, account_id: int) -> dict[str, list[tuple[Any, ...]]]:
    with server.engine.connect() as connection:
        found = {}
        for table in TENANT_TABLES:
            columns = [column for column in table.c if column.name not in VOLATILE]
            rows = connection.execute(select(*columns).where(table.c.account_id == account_id)).all()
            found[table.name] = sorted(tuple(row) for row in rows)
        return found


def _populate(server: Server, tenant: Tenant) -> list[int]:
    """Marked objects in account A; returns the identifiers and numbers to aim at."""
    user_id, _token = add_user(server, tenant, f"{MARKER}-user", last_name=f"{MARKER} last name")
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        uow = AccountUnitOfWork(connection, tenant.account_id)
        repo = uow.get(UserRepository)
        group_id = uow.next_id("user_groups")
        repo.add_group(group_id, f"{MARKER} group", dt.datetime.now(dt.UTC))
        repo.add_memberships(user_id, [group_id])
        repo.add_head(group_id, user_id)
        user = repo.by_id(user_id)
        assert user is not None
        made_at = dt.datetime.now(dt.UTC)
        project_group = add_project_group(uow, f"{MARKER} project group", made_at)
        field_id = define_field(
            uow, made_at, object_kind="project", name=f"{MARKER} field", field_type="string"
        )
        project_id = insert_project(
            uow, made_at, title=f"{MARKER} project", owner_id=user_id, group_id=project_group
        )
        uow.get(CustomFieldRepository).replace_values("project", project_id, [field_id], {field_id: MARKER})
        contact_group = uow.next_id("contact_groups")
        uow.get(Repository).insert(
            contact_groups, id=contact_group, name=f"{MARKER} contact group", position=1, created_at=made_at
        )
        company = insert_contact(
            uow, made_at, name=f"{MARKER} company", is_company=True, group_id=contact_group
        )
        contact = insert_contact(
            uow, made_at, name=f"{MARKER} contact", email=f"{MARKER}@example.com", group_id=contact_group
        )
        uow.get(Repository).insert(contact_contractors, contact_id=contact.id, company_id=company.id)
        task_id = uow.next_id("tasks")
        uow.get(Repository).insert(
            tasks,
            id=task_id,
            general=uow.next_general("task"),
            title=f"{MARKER} task",
            description=MARKER,
            status_set_id=default_process_id(uow),
            status=2,
            owner_id=user_id,
            project_id=project_id,
            client_id=company.id,
            created_at=made_at,
            modified_at=made_at,
            last_activity_at=made_at,
        )
        uow.get(Repository).insert(
            task_people, task_id=task_id, role="worker", kind="user", person_id=contact.user_id
        )
        task_general = uow.get(Repository).first(_GENERAL_OF_TASK, id=task_id)
        assert task_general is not None
        action_ids = [
            record(
                uow,
                NewAction(
                    "ACTION", user_id, made_at, task_id=task_id, description=MARKER, notified=[user_id]
                ),
            ),
            record(
                uow, NewAction("ACTION", contact.user_id, made_at, contact_id=contact.id, description=MARKER)
            ),
        ]
        catalogues = _populate_catalogues(uow, made_at, task_id, action_ids[0], user_id)
        connection.commit()
    marked = {project_group, field_id, project_id, contact_group, task_id, task_general[0], *action_ids}
    marked |= catalogues
    contacts_numbers = {
        company.id,
        company.general,
        company.user_id,
        contact.id,
        contact.general,
        contact.user_id,
    }
    return sorted({user_id, group_id, user.general, tenant.owner_id, 1, 2, 3, *marked, *contacts_numbers})


def _populate_catalogues(
    uow: AccountUnitOfWork, made_at: dt.datetime, task_id: int, action_id: int, user_id: int
) -> set[int]:
    """A's marked handbook (group, field, records), analitic (group, field, data row) and task file."""
    repo = uow.get(Repository)
    ids = {name: uow.next_id(name) for name in ("handbook_groups", "handbooks", "handbook_fields")}
    repo.insert(handbook_groups, id=ids["handbook_groups"], name=f"{MARKER} hb group", created_at=made_at)
    repo.insert(
        handbooks,
        id=ids["handbooks"],
        group_id=ids["handbook_groups"],
        name=f"{MARKER} hb",
        created_at=made_at,
    )
    repo.insert(
        handbook_fields,
        id=ids["handbook_fields"],
        handbook_id=ids["handbooks"],
        num=0,
        name=f"{MARKER} hb field",
        type="STRING",
        is_displayed=True,
    )
    folder, record = uow.next_id("handbook_records"), uow.next_id("handbook_records")
    repo.insert(
        handbook_records,
        id=folder,
        handbook_id=ids["handbooks"],
        is_group=True,
        name=f"{MARKER} folder",
        created_at=made_at,
    )
    repo.insert(
        handbook_records, id=record, handbook_id=ids["handbooks"], parent_key=folder, created_at=made_at
    )
    repo.insert(handbook_values, record_id=record, field_id=ids["handbook_fields"], value=MARKER)
    for name in (
        "analitic_groups",
        "analitics",
        "analitic_fields",
        "analitic_data",
        "files",
        "file_versions",
    ):
        ids[name] = uow.next_id(name)
    repo.insert(analitic_groups, id=ids["analitic_groups"], name=f"{MARKER} an group", created_at=made_at)
    repo.insert(
        analitics,
        id=ids["analitics"],
        group_id=ids["analitic_groups"],
        name=f"{MARKER} an",
        created_at=made_at,
    )
    repo.insert(
        analitic_fields,
        id=ids["analitic_fields"],
        analitic_id=ids["analitics"],
        num=0,
        name=f"{MARKER} an field",
        type="STRING",
    )
    repo.insert(
        analitic_data,
        id=ids["analitic_data"],
        analitic_id=ids["analitics"],
        action_id=action_id,
        task_id=task_id,
        created_at=made_at,
    )
    repo.insert(analitic_values, data_id=ids["analitic_data"], field_id=ids["analitic_fields"], value=MARKER)
    repo.insert(
        files,
        id=ids["files"],
        name=f"{MARKER}.txt",
        source_type="INTERNET",
        task_id=task_id,
        action_id=action_id,
        owner_id=user_id,
        created_at=made_at,
    )
    repo.insert(
        file_versions,
        id=ids["file_versions"],
        file_id=ids["files"],
        version=1,
        description=MARKER,
        url=f"https://example.com/{MARKER}",
        owner_id=user_id,
        created_at=made_at,
    )
    return {*ids.values(), folder, record}


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_account_b_cannot_reach_account_a(
    name: str, server: Server, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    spec: MethodSpec = REGISTRY[name]
    alpha = provision(server, "alpha")
    beta = provision(server, "beta")
    targets = _populate(server, alpha)
    before = _snapshot(server, alpha.account_id)
    for target in targets:
        if name == "auth.login":
            body = f"<login>{alpha.owner_login}</login><password>{alpha.owner_password}</password>"
        else:
            body = _render(spec.request, [target]) if spec.request is not None else ""
        reply = Api(client, beta).call(name, body)
        assert MARKER.encode() not in reply.raw, (name, reply.raw)
        assert f"owner@{alpha.name}".encode() not in reply.raw, (name, reply.raw)
    assert _snapshot(server, alpha.account_id) == before, name
    # Refused with a documented code, never by tripping over the database's own guards.
    assert not [record for record in caplog.records if "unexpected failure" in record.getMessage()], name


def test_the_marker_is_visible_to_its_own_account(server: Server, client: TestClient) -> None:
    """The control: the same probe from A itself does find A's marked objects."""
    alpha = provision(server, "alpha")
    targets = _populate(server, alpha)
    seen = [Api(client, alpha).call("user.get", f"<user><id>{target}</id></user>").raw for target in targets]
    assert any(MARKER.encode() in raw for raw in seen)

"""The definitions a worker keeps between requests (store/shared.py) and the tag that keys them
(migration 0006): every change of statuses, processes or custom fields, by whatever writer, gives
the account a new tag, and requests see the change at once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection, Engine
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.statuses import service as statuses
from planfix_server.domain.statuses.defaults import ACTIVE, OWNER
from planfix_server.store.db import WRITE, make_engine
from planfix_server.store.migrate import upgrade
from planfix_server.store.shared import SharedDefinitions
from planfix_server.store.tables import accounts
from planfix_server.store.uow import AccountUnitOfWork
from tests.domain.projects.helpers import custom, make_field
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, provision


def tag_of(server: Server, account_id: int) -> str:
    with server.engine.connect() as connection:
        return str(
            connection.execute(
                select(accounts.c.definitions_tag).where(accounts.c.id == account_id)
            ).scalar_one()
        )


def run_sql(server: Server, *statements: str) -> None:
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        for statement in statements:
            connection.execute(text(statement))
        connection.commit()


# -- the slots


def test_a_slot_per_account_and_tag() -> None:
    shared = SharedDefinitions()
    first = shared.slot(1, "a")
    assert first is not None and shared.slot(1, "a") is first
    assert shared.slot(1, "b") is not first and shared.slot(2, "a") is not first
    assert shared.slot(1, "") is None  # an untagged account has nothing to key on
    shared.clear()
    assert len(shared) == 0 and shared.slot(1, "a") is not first


def test_the_least_recently_used_slot_goes_first() -> None:
    shared = SharedDefinitions(capacity=2)
    one, two = shared.slot(1, "t"), shared.slot(2, "t")
    assert shared.slot(1, "t") is one  # 1 is now the most recent
    shared.slot(3, "t")
    assert len(shared) == 2
    assert shared.slot(1, "t") is one
    assert shared.slot(2, "t") is not two


# -- the tag


def test_new_accounts_get_distinct_tags(server: Server) -> None:
    first, second = provision(server, "first"), provision(server, "second")
    tags = {tag_of(server, first.account_id), tag_of(server, second.account_id)}
    assert len(tags) == 2 and all(len(tag) == 32 for tag in tags)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO task_statuses (account_id, id, token, name, name_ru, name_en, color, is_active, "
        "has_deadline) VALUES ({a}, 150, NULL, 'Review', '', '', '', {true}, {true})",
        "UPDATE task_statuses SET name = 'Renamed' WHERE account_id = {a} AND id = 1",
        "DELETE FROM status_transitions WHERE account_id = {a}",
        "UPDATE status_sets SET name = 'Other' WHERE account_id = {a}",
        "DELETE FROM status_set_members WHERE account_id = {a} AND status_id = 7",
        "INSERT INTO custom_fields (account_id, id, object_kind, name, type, options, position, created_at) "
        "VALUES ({a}, 500, 'task', 'Raw', 'string', '', 9, '2026-01-01 00:00:00')",
    ],
)
def test_any_write_of_definitions_retags_its_account_only(server: Server, statement: str) -> None:
    changed, other = provision(server, "changed"), provision(server, "other")
    with unit_of_work(server, changed) as uow:
        statuses.default_process(uow)
    before = tag_of(server, changed.account_id), tag_of(server, other.account_id)
    true = "1" if server.engine.dialect.name == "sqlite" else "true"
    run_sql(server, statement.format(a=changed.account_id, true=true))
    assert tag_of(server, changed.account_id) != before[0]
    assert tag_of(server, other.account_id) == before[1]


def test_ordinary_writes_keep_the_tag(api: Api, server: Server) -> None:
    before = tag_of(server, api.tenant.account_id)
    assert api.call("task.add", "<task><title>T</title></task>").ok
    assert api.call("project.add", "<project><title>P</title></project>").ok
    assert tag_of(server, api.tenant.account_id) == before


def test_the_upgrade_tags_existing_accounts(tmp_path: object) -> None:
    engine: Engine = make_engine(f"sqlite:///{tmp_path}/old.sqlite3")
    try:
        upgrade(engine, "0005")
        with engine.connect() as connection:
            connection.info[WRITE] = True
            for name in ("one", "two"):
                connection.execute(
                    insert(accounts).values(
                        name=name,
                        plan="premium",
                        data_centre="ru",
                        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                    )
                )
            connection.commit()
        upgrade(engine)
        with engine.connect() as connection:
            tags = set(connection.execute(select(accounts.c.definitions_tag)).scalars())
        assert len(tags) == 2 and "" not in tags
    finally:
        engine.dispose()


# -- requests see every change


def status_names(api: Api) -> list[str]:
    set_id = api.call("taskStatus.getSetList").text("taskStatusSets/taskStatusSet/id")
    reply = api.call("taskStatus.getListOfSet", f"<taskStatusSet><id>{set_id}</id></taskStatusSet>")
    assert reply.ok, reply.raw
    return [item.findtext("name") or "" for item in reply.root.iterfind("taskStatuses/taskStatus")]


def test_a_status_renamed_by_another_writer_shows_at_once(api: Api, server: Server) -> None:
    assert "New" in status_names(api)
    assert len(server.definitions) == 1  # the worker now keeps the account's statuses
    run_sql(
        server,
        f"UPDATE task_statuses SET name_en = 'Fresh' WHERE account_id = {api.tenant.account_id} AND id = 1",
    )
    assert "Fresh" in status_names(api) and "New" not in status_names(api)


def test_a_field_defined_between_requests_shows_at_once(api: Api, server: Server) -> None:
    task_id = api.call("task.add", "<task><title>T</title></task>").text("task/id")
    assert custom(api.call("task.get", f"<task><id>{task_id}</id></task>"), "task") == {}
    make_field(server, api.tenant, "task", "Budget", "number")
    assert custom(api.call("task.get", f"<task><id>{task_id}</id></task>"), "task") == {"Budget": ("", "")}


def test_another_worker_sees_a_process_made_after_its_first_look(api: Api, server: Server) -> None:
    """The second worker keeps "no process 2" from its first look; the new tag makes it look again."""
    other = Server.start(server.settings)
    task = "<task><title>T</title><statusSet>{}</statusSet></task>"
    try:
        with TestClient(create_app(server=other), base_url="https://testserver") as client:
            second = Api(client, api.tenant)
            with unit_of_work(server, api.tenant) as uow:
                first_set = statuses.default_process_id(uow)
            assert second.call("task.add", task.format(first_set)).ok
            assert second.call("task.add", task.format(first_set + 1)).code == "0015"
            with unit_of_work(server, api.tenant) as uow:
                made = statuses.create_process(
                    uow, "Small", [ACTIVE], [(ACTIVE, ACTIVE, OWNER)], accept_status_id=ACTIVE
                )
            assert made == first_set + 1
            reply = second.call("task.add", task.format(made))
            assert reply.ok, reply.raw
    finally:
        other.engine.dispose()


def test_a_process_made_and_rolled_back_is_not_kept(server: Server) -> None:
    tenant = provision(server, "bare")
    run_sql(server, f"DELETE FROM status_sets WHERE account_id = {tenant.account_id}")
    shared = SharedDefinitions()

    def slot_of(connection: Connection) -> AccountUnitOfWork:
        tag = connection.execute(
            select(accounts.c.definitions_tag).where(accounts.c.id == tenant.account_id)
        ).scalar_one()
        return AccountUnitOfWork(connection, tenant.account_id, shared.slot(tenant.account_id, tag))

    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        uow = slot_of(connection)
        assert statuses.statuses(uow)  # read through the slot first
        made = statuses.default_process_id(uow)  # made here: the unit of work leaves the slot
        assert uow.shared is None
        connection.rollback()
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        uow = slot_of(connection)
        assert uow.shared is not None and uow.shared.statuses.default_id is None
        again = statuses.default_process_id(uow)
        assert statuses.process(uow, again) is not None
        connection.commit()
    assert made >= 1

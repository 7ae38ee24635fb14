"""``user.*`` and ``userGroup.*`` typed calls against the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from planfix_server.api import errors
from planfix_server.client import Client, Filter, Phone, Ref
from tests.support import Tenant

MakeClient = Callable[..., Client]


def test_add_update_get(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    group_id = client.user_group.add("Support")
    assert client.user_group.get(group_id).name == "Support"
    user_id = client.user.add("Ivan", "ivan@example.com", last_name="Petrov", role="USER")
    changed = client.user.update(
        user_id,
        mid_name="Ivanovich",
        birthdate=dt.date(1990, 5, 17),
        sex="MALE",
        phones=[Phone("+7 900 000-00-00", 1), Phone("+7 901", 2)],
        is_blind_out_of_group=True,  # extra keywords: snake_case becomes the API's camelCase
    )
    assert changed == user_id
    client.call("user.updateGroupMembership", {"user": {"id": user_id, "addUserGroup": {"id": [group_id]}}})
    ivan = client.user.get(user_id)
    assert (ivan.name, ivan.last_name, ivan.mid_name, ivan.email, ivan.login) == (
        "Ivan",
        "Petrov",
        "Ivanovich",
        "ivan@example.com",
        "ivan@example.com",
    )
    assert (ivan.birthdate, ivan.sex, ivan.role, ivan.status) == (
        dt.date(1990, 5, 17),
        "MALE",
        "USER",
        "ACTIVE",
    )
    assert [phone.number for phone in ivan.phones] == ["+7 900 000-00-00", "+7 901"]
    assert ivan.phones[0].type_id == 1 and ivan.phones[0].type_name
    assert ivan.is_blind_out_of_group is True and ivan.is_invisible_out_of_group is False
    assert ivan.groups == [Ref(group_id, "Support")]
    assert ivan.post is None  # <post><id>0</id>…: no position
    assert ivan.general is not None and client.user.get(general=ivan.general).id == user_id
    assert ivan.element.one("post").text_of("id") == "0"


def test_lists(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    user_id = client.user.add("Zed", "zed@example.org")
    page = client.user.get_list(status="ACTIVE", sort="NAME_ASC")
    assert page.total == 2 and {user.id for user in page} == {user_id, tenant.owner_id}
    found = client.user.get_list(filters=[Filter(9003, "equal", "example.org")])
    assert [user.id for user in found] == [user_id]
    found = client.user.get_list(filters=[{"type": 9003, "operator": "notequal", "value": "example.org"}])
    assert [user.id for user in found] == [tenant.owner_id]
    assert len(list(client.user.iterate(page_size=1))) == 2
    group_id = client.user_group.add("Ops")
    assert [group.name for group in client.user_group.iterate()] == ["Ops"]
    assert client.user_group.get_list(sort="NAME_DESC").items[0].id == group_id
    assert client.user_group.get_list().items[0].user_count == 0
    assert list(client.user.iterate(group_id=group_id)) == []


def test_errors(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    with pytest.raises(errors.UserNotFound):
        client.user.update(987654, name="x")
    with pytest.raises(errors.UserGroupNotFound):
        client.user_group.get(987654)
    with pytest.raises(errors.InvalidParameterValue):
        client.user.get_list(status="SLEEPING")

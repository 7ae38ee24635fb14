from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.statuses import service
from planfix_server.settings import Settings
from tests.domain.users.helpers import body, unit_of_work
from tests.support import Api, Reply, provision

EXPECTED = [
    # id, Ru, En, isActive, hasDeadline
    (0, "Черновик", "Draft", "0", "0"),
    (1, "Новая", "New", "1", "1"),
    (2, "В работе", "In progress", "1", "1"),
    (3, "Завершенная", "Completed", "0", "0"),
    (4, "Отложенная", "On hold", "0", "0"),
    (5, "Отклоненная", "Declined", "0", "0"),
    (6, "Выполненная", "Done", "1", "0"),
    (7, "Отмененная", "Canceled", "0", "0"),
]


def default_set(api: Api) -> str:
    return api.call("taskStatus.getSetList").text("taskStatusSets/taskStatusSet/id")


def list_of_set(api: Api, set_id: object) -> Reply:
    return api.call("taskStatus.getListOfSet", f"<taskStatusSet><id>{set_id}</id></taskStatusSet>")


def test_the_default_process_has_the_system_statuses(api: Api) -> None:
    reply = list_of_set(api, default_set(api))
    assert reply.ok, reply.raw
    container = reply.root.find("taskStatuses")
    assert container.get("totalCount") == "8" and container.get("count") is None
    items = container.findall("taskStatus")
    assert len(items) == len(EXPECTED)
    for item, (status_id, ru, en, active, deadline) in zip(items, EXPECTED, strict=True):
        assert item.findtext("id") == str(status_id)
        assert item.findtext("name") == en
        assert (item.findtext("color") or "").startswith("#") and len(item.findtext("color") or "") == 7
        assert item.findtext("isActive") == active
        assert item.findtext("hasDeadline") == deadline
        texts = [(text.findtext("lang"), text.findtext("name")) for text in item.iterfind("texts/text")]
        assert texts == [("Ru", ru), ("En", en)]


def test_exact_markup_of_one_status(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        custom = service.add_status(uow, "Review", name_ru="Проверка", color="#123456", has_deadline=False)
        set_id = service.create_process(uow, "Small", [custom], [], accept_status_id=custom)
    assert custom == 100
    assert body(list_of_set(api, set_id)) == (
        '<taskStatuses totalCount="1"><taskStatus><id>100</id><name>Review</name><color>#123456</color>'
        "<isActive>1</isActive><hasDeadline>0</hasDeadline><texts>"
        "<text><lang>Ru</lang><name>Проверка</name></text><text><lang>En</lang><name>Review</name></text>"
        "</texts></taskStatus></taskStatuses>"
    )


def test_names_in_russian_when_the_language_setting_says_so(api: Api, settings: Settings) -> None:
    russian = Server.start(replace(settings, language="ru"))
    try:
        with TestClient(create_app(server=russian), base_url="https://testserver") as client:
            ru = Api(client, api.tenant)
            names = [
                element.text
                for element in list_of_set(ru, default_set(ru)).root.iterfind(".//taskStatus/name")
            ]
    finally:
        russian.engine.dispose()
    assert names == [row[1] for row in EXPECTED]


def test_custom_statuses_follow_the_process_order(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        first = service.add_status(uow, "First")
        second = service.add_status(uow, "Second")
        set_id = service.create_process(uow, "P", [second, 1, first], [], accept_status_id=1)
    ids = [int(e.text or "") for e in list_of_set(api, set_id).root.iterfind(".//taskStatus/id")]
    assert ids == [second, 1, first]
    assert (first, second) == (100, 101)


@pytest.mark.parametrize(
    "inner", ["", "<taskStatusSet></taskStatusSet>", "<taskStatusSet><id>0</id></taskStatusSet>"]
)
def test_missing_process_id_is_0009(api: Api, inner: str) -> None:
    assert api.call("taskStatus.getListOfSet", inner).code == "0009"


def test_unknown_or_invalid_process_id_is_0015(api: Api) -> None:
    assert list_of_set(api, 999999).code == "0015"
    assert list_of_set(api, "abc").code == "0015"


def test_the_process_of_another_account_is_0015(api: Api, server: Server) -> None:
    other = provision(server, "other")
    with unit_of_work(server, other) as uow:
        theirs = service.default_process_id(uow)
    assert list_of_set(api, theirs).code == "0015"

"""Paging: across real pages of the server (250 users), and the stopping rule on canned pages."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from planfix_server.app import Server
from planfix_server.client import Client
from planfix_server.client.calls import finished, page_params
from planfix_server.client.functions import users
from planfix_server.client.response import Page
from tests.client.conftest import canned_client, ok
from tests.support import Tenant, add_user

MakeClient = Callable[..., Client]


def test_walks_every_page_of_250_users(sync_client: MakeClient, server: Server, tenant: Tenant) -> None:
    for n in range(250):
        add_user(server, tenant, f"user{n:03d}")
    client = sync_client()
    pages = list(client.iter_pages("user.getList", {"sortType": "NAME_ASC"}, item="user"))
    assert [(page.number, len(page), page.count, page.total) for page in pages] == [
        (1, 100, 100, 251),
        (2, 100, 100, 251),
        (3, 51, 51, 251),
    ]
    ids = [user.int_of("id") for page in pages for user in page]
    assert len(set(ids)) == 251
    assert client.stats.requests == 3
    typed = list(client.user.iterate(sort="NAME_ASC"))
    assert [user.id for user in typed] == ids
    assert len(list(client.iterate("user.getList", page_size=50))) == 251
    assert [len(page) for page in client.iter_pages("user.getList", start=3)] == [51]
    assert client.user.get_list(page=4).items == []


def pages_of(total: int | None, sizes: list[int], seen: list[int]) -> Callable[[httpx.Request], bytes]:
    """Answers page n with ``sizes[n - 1]`` items (0 past the end); ``totalCount`` unless None."""

    def answer(request: httpx.Request) -> bytes:
        number = int(etree.fromstring(request.content).findtext("pageCurrent") or 0)
        seen.append(number)
        size = sizes[number - 1] if number <= len(sizes) else 0
        items = "".join(f"<task><id>{number * 1000 + i}</id></task>" for i in range(size))
        attrs = f' totalCount="{total}"' if total is not None else ""
        return ok(f'<tasks{attrs} count="{size}">{items}</tasks>')

    return answer


@pytest.mark.parametrize(
    ("total", "sizes", "requested"),
    [
        (250, [100, 100, 50], [1, 2, 3]),  # stops on totalCount
        (250, [50, 50, 50, 50, 50], [1, 2, 3, 4, 5]),  # a server clamping pages: not a short page
        (None, [100, 100, 7], [1, 2, 3]),  # no totalCount: stops on the short page
        (None, [100, 100], [1, 2, 3]),  # no totalCount: stops on the empty page
        (300, [100, 100], [1, 2, 3]),  # totalCount too high: stops on the empty page
        (2, [3], [1]),  # count above totalCount (seen in a real answer)
        (0, [], [1]),
    ],
)
def test_stopping_rule(total: int | None, sizes: list[int], requested: list[int]) -> None:
    seen: list[int] = []
    client = canned_client(pages_of(total, sizes, seen))
    items = list(client.iterate("task.getList", {"target": "all"}, item="task"))
    assert seen == requested
    assert len(items) == sum(sizes)
    typed = canned_client(pages_of(total, sizes, []))
    assert len(list(typed.task.iterate(target="all"))) == sum(sizes)


def test_finished() -> None:
    assert finished(Page([], 0, 10, 1, 100), 0)
    assert finished(Page([1] * 10, 10, 10, 1, 100), 10)
    assert not finished(Page([1] * 10, 10, 20, 1, 100), 10)
    assert finished(Page([1] * 10, 10, None, 1, 100), 10)
    assert not finished(Page([1] * 100, 100, None, 1, 100), 100)


def test_page_params() -> None:
    assert page_params({"a": 1}, 2, 100) == {"a": 1, "pageCurrent": 2, "pageSize": 100}
    with pytest.raises(ValueError, match="page_size"):
        page_params(None, 1, 101)
    with pytest.raises(ValueError, match="page_size"):
        page_params(None, 1, 0)


def test_listing_page_call() -> None:
    prepared = users.iterate(status="ACTIVE", group_id=3).page(2, 50)
    assert prepared.method == "user.getList"
    assert prepared.params["pageCurrent"] == 2 and prepared.params["pageSize"] == 50
    assert prepared.params["userGroup"] == {"id": 3}

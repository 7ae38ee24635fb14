from __future__ import annotations

from planfix_server.app import Server
from tests.domain.projects.helpers import make_group
from tests.domain.users.helpers import body
from tests.support import Api, add_user, provision


def test_every_group_in_order(api: Api, server: Server) -> None:
    b = make_group(server, api.tenant, "b")
    a = make_group(server, api.tenant, "a")
    reply = api.call(
        "projectGroup.getList", "<pageCurrent>1</pageCurrent><pageSize>1</pageSize>"
    )  # no paging
    assert body(reply) == (
        '<projectGroups totalCount="2">'
        f"<projectGroup><id>{b}</id><name>b</name></projectGroup>"
        f"<projectGroup><id>{a}</id><name>a</name></projectGroup>"
        "</projectGroups>"
    )


def test_empty(api: Api) -> None:
    assert body(api.call("projectGroup.getList")) == '<projectGroups totalCount="0"/>'


def test_employees_see_the_groups_of_their_account_only(api: Api, server: Server) -> None:
    other = provision(server, "other")
    make_group(server, other, "Theirs")
    make_group(server, api.tenant, "Ours")
    _, token = add_user(server, api.tenant, "plain")
    reply = api.as_user(token).call("projectGroup.getList")
    assert [e.text for e in reply.root.iterfind("projectGroups/projectGroup/name")] == ["Ours"]

from __future__ import annotations

from planfix_server.app import Server
from tests.domain.tasks.helpers import bulk, employee, ids, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, provision


def test_cards_in_the_order_asked(api: Api) -> None:
    first = new_task(api, title="first")
    second = new_task(api, title="second")
    third = new_task(api, title="third")
    reply = api.call("task.getMulti", f"<tasks><id>{third}</id><id>{first}</id><general>2</general></tasks>")
    assert reply.ok, reply.raw
    assert body(reply).startswith('<tasks count="3"><task><id>')
    assert ids(reply) == [third, first, second]
    # Full cards: members and auditors too.
    assert reply.root.find("tasks/task/members") is not None


def test_skips_what_is_missing_or_hidden(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    visible = new_task(api, f"<workers>{people([worker])}</workers>")
    hidden = new_task(api)
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    reply = worker_api.call(
        "task.getMulti",
        f"<tasks><id>{hidden}</id><id>{visible}</id><id>999999</id><id>{theirs}</id><id>{visible}</id></tasks>",
    )
    assert ids(reply) == [visible]
    assert body(api.call("task.getMulti", "<tasks><id>999999</id></tasks>")) == '<tasks count="0"/>'


def test_at_most_a_hundred(api: Api, server: Server) -> None:
    made = bulk(server, api.tenant, 101)
    hundred = "".join(f"<id>{one}</id>" for one in made[:100])
    assert len(ids(api.call("task.getMulti", f"<tasks>{hundred}</tasks>"))) == 100
    assert api.call("task.getMulti", f"<tasks>{hundred}<general>101</general></tasks>").code == "0021"


def test_missing_and_bad(api: Api) -> None:
    assert api.call("task.getMulti").code == "0009"
    assert api.call("task.getMulti", "<tasks><id></id></tasks>").code == "0009"
    assert api.call("task.getMulti", "<tasks><id>x</id></tasks>").code == "0015"

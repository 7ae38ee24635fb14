from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import (
    add_with_rows,
    analitic,
    get_data,
    item,
    items_of,
    keys_of,
    row,
    work_log,
)
from tests.domain.tasks.helpers import employee, new_task, signed_in_contact
from tests.support import Api, provision


def _row(
    api: Api, server: Server, task_id: int, log_id: int, field_id: int, value: str, extra: str = ""
) -> int:
    reply = add_with_rows(api, task_id, row(log_id, item(field_id, value)), extra=extra)
    assert reply.ok, reply.raw
    [(_, key, _)] = keys_of(api, int(reply.text("action/id")))
    return key


def test_rows_in_the_order_asked_unknown_keys_empty(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    task_id = new_task(api)
    record = log.kinds.records["Design hour"]
    key = _row(api, server, task_id, log.id, log.fields["Kind of work"], str(record))
    reply = get_data(api, 999999, key, key)
    assert reply.ok, reply.raw
    root = reply.root.find("analiticDatas")
    assert root is not None and root.attrib == {}
    unknown, known = root.findall("analiticData")
    assert [child.tag for child in unknown] == ["key"] and unknown.findtext("key") == "999999"
    assert [child.tag for child in known][:2] == ["key", "itemData"]
    assert [child.tag for child in known.find("itemData")] == ["id", "name", "value", "valueId"]  # type: ignore[union-attr]
    assert items_of(known)[log.fields["Kind of work"]] == ("Kind of work", "Design hour", str(record))
    assert len(items_of(known)) == len(log.fields)


def test_rows_of_actions_out_of_sight_read_as_unknown(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    worker, as_worker = employee(server, api, "worker")
    hidden_task = new_task(api)  # the worker takes no part in it
    shared_task = new_task(api, f"<workers><users><id>{worker}</id></users></workers>")
    out_of_sight = _row(api, server, hidden_task, log.id, log.fields["Quantity"], "1")
    hidden = _row(
        api, server, shared_task, log.id, log.fields["Quantity"], "2", extra="<isHidden>1</isHidden>"
    )
    seen = _row(api, server, shared_task, log.id, log.fields["Quantity"], "3")
    reply = get_data(as_worker, out_of_sight, hidden, seen)
    assert reply.ok, reply.raw
    found = {one.findtext("key"): items_of(one) for one in reply.root.iterfind("analiticDatas/analiticData")}
    assert found[str(out_of_sight)] == {} and found[str(hidden)] == {}
    assert found[str(seen)][log.fields["Quantity"]][1] == "3"
    assert len(items_of(get_data(api, out_of_sight).root.find("analiticDatas/analiticData"))) == 6  # type: ignore[arg-type]


def test_another_accounts_keys_are_unknown(api: Api, server: Server) -> None:
    other = provision(server, "other")
    log = work_log(server, other)
    other_api = api.as_user(other.token)
    other_api.tenant = other
    task_id = new_task(other_api)
    key = _row(other_api, server, task_id, log.id, log.fields["Quantity"], "1")
    mine, _ = analitic(server, api.tenant, "Mine", [])
    assert mine
    reply = get_data(api, key)
    assert reply.ok and [child.tag for child in reply.root.find("analiticDatas/analiticData")] == ["key"]  # type: ignore[union-attr]


def test_errors(api: Api, server: Server) -> None:
    assert api.call("analitic.getData").code == "0009"
    assert api.call("analitic.getData", "<analiticKeys></analiticKeys>").code == "0009"
    assert api.call("analitic.getData", "<analiticKeys><key>x</key></analiticKeys>").code == "0015"
    _, as_contact = signed_in_contact(server, api, "Client")
    assert get_data(as_contact, 1).code == "10001"

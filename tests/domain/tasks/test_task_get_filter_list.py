from __future__ import annotations

from tests.domain.tasks.helpers import new_task
from tests.domain.users.helpers import body
from tests.support import Api


def test_system_filters(api: Api) -> None:
    reply = api.call("task.getFilterList")
    assert body(reply) == (
        '<taskFilterList totalCount="5">'
        "<taskFilter><ID>:all</ID><Name>All tasks</Name></taskFilter>"
        "<taskFilter><ID>:in</ID><Name>Incoming</Name></taskFilter>"
        "<taskFilter><ID>:out</ID><Name>Outgoing</Name></taskFilter>"
        "<taskFilter><ID>:template</ID><Name>Templates</Name></taskFilter>"
        "<taskFilter><ID>:periodic</ID><Name>Recurring tasks</Name></taskFilter>"
        "</taskFilterList>"
    )


def test_every_id_works_as_a_target(api: Api) -> None:
    new_task(api)
    for element in api.call("task.getFilterList").root.iterfind("taskFilterList/taskFilter"):
        assert api.call("task.getList", f"<target>{element.findtext('ID')}</target>").ok

from __future__ import annotations

from tests.domain.actions.helpers import comment
from tests.domain.tasks.helpers import new_task
from tests.support import Api


def test_every_analitic_is_unknown(api: Api) -> None:
    task_id = new_task(api)
    comment(api, task_id)
    assert api.call("action.getListWithAnalitic", "<analitic><id>263</id></analitic>").code == "4010"
    reply = api.call(
        "action.getListWithAnalitic", f"<analitic><id>1</id></analitic><task><id>{task_id}</id></task>"
    )
    assert reply.code == "4010"


def test_the_analitic_is_required(api: Api) -> None:
    assert api.call("action.getListWithAnalitic", "").code == "0009"
    assert api.call("action.getListWithAnalitic", "<analitic><id>0</id></analitic>").code == "0009"
    assert api.call("action.getListWithAnalitic", "<analitic><id>x</id></analitic>").code == "0015"

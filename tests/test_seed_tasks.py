"""The task seeding script writes data the functions serve, and leaves the id allocators right."""

from __future__ import annotations

from bench.seed_tasks import parse_args, seed
from sqlalchemy import func, select
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.store.tables import accounts, custom_values, task_people, tasks
from tests.support import Api, Tenant


def test_seeded_accounts_work_through_the_api(db_url: str, server: Server, client: TestClient) -> None:
    argv = ["--db", db_url, "--tasks", "250", "--users", "8", "--other-accounts", "2", "--other-tasks", "40"]
    summary = seed(parse_args([*argv, "--batch", "100"]))
    assert (summary["tasks"], summary["other_accounts"], summary["other_tasks"]) == (250, 2, 80)
    with server.engine.connect() as connection:
        names = dict(connection.execute(select(accounts.c.name, accounts.c.id)).all())
        assert set(names) == {"bench", "bench-001", "bench-002"}
        for name, expected in (("bench", 250), ("bench-001", 40)):
            generals = connection.execute(
                select(tasks.c.general).where(tasks.c.account_id == names[name]).order_by(tasks.c.general)
            ).scalars()
            assert list(generals) == list(range(1, expected + 1))
        assert connection.execute(select(func.count()).select_from(task_people)).scalar_one() > 250
        assert connection.execute(select(func.count()).select_from(custom_values)).scalar_one() > 250
        top_id = connection.execute(select(func.max(tasks.c.id))).scalar_one()

    api = Api(client, Tenant("bench", names["bench"], summary["api_key"], "", summary["token"], 0, "", ""))
    listed = api.call("task.getList", "<pageCurrent>1</pageCurrent><pageSize>100</pageSize>")
    assert listed.ok, listed.raw
    assert int(listed.root.find("tasks").get("totalCount")) > 100  # type: ignore[union-attr]
    first = listed.root.find("tasks/task/id")
    assert first is not None
    assert api.call("task.get", f"<task><id>{first.text}</id></task>").ok
    assert api.call("project.getList", "<pageCurrent>1</pageCurrent>").ok
    # The allocators continue after the seeded rows: a new task gets the next number and a new id.
    added = api.call("task.add", "<task><title>After seeding</title></task>")
    assert added.ok, added.raw
    assert int(added.text("task/id")) > top_id
    assert added.text("task/general") == "251"

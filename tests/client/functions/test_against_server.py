"""The typed task and project calls against the server's own functions, where it has them.

Those functions are being added to the server; until one is there (``0018``), its test skips.
The canned-answer tests (test_tasks.py, test_projects.py) hold the reference shapes either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from planfix_server.api import errors
from planfix_server.client import Client
from tests.support import Tenant

MakeClient = Callable[..., Client]


@contextmanager
def unless_missing(function: str) -> Iterator[None]:
    try:
        yield
    except (errors.NotImplementedFunction, errors.UnknownFunction):
        pytest.skip(f"the server does not implement {function} yet")


def test_projects(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    with unless_missing("project.add"):
        project_id = client.project.add("Launch", description="first", end_date=dt.date(2030, 1, 31))
    project = client.project.get(project_id)
    assert (project.id, project.title, project.description) == (project_id, "Launch", "first")
    assert (project.has_end_date, project.end_date) == (True, dt.date(2030, 1, 31))
    assert project.owner is not None and project.owner.id == tenant.owner_id
    assert [item.id for item in client.project.iterate()] == [project_id]


def test_tasks(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    with unless_missing("task.add"):
        created = client.task.add(
            "Call back",
            description="<b>soon</b>",
            start=dt.date(2030, 1, 2),
            end=dt.datetime(2030, 1, 3, 12, 0),
            workers=[tenant.owner_id],
        )
    task = client.task.get(created.id)
    assert (task.id, task.general, task.title, task.description) == (
        created.id,
        created.general,
        "Call back",
        "<b>soon</b>",
    )
    assert (task.start_time, task.end_time) == (dt.date(2030, 1, 2), dt.datetime(2030, 1, 3, 12, 0))
    assert [user.id for user in task.workers.users] == [tenant.owner_id]
    assert client.task.update(general=created.general, title="Call now") == created.id
    assert client.task.get(general=created.general).title == "Call now"
    assert [item.id for item in client.task.iterate()] == [created.id]

"""Task numbers stay unique when two workers add tasks at the same time to one database."""

from __future__ import annotations

import threading
from collections import Counter

from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.settings import Settings
from tests.domain.tasks.helpers import counts
from tests.support import Api, provision

THREADS_PER_SERVER = 4
TASKS_PER_THREAD = 12


def test_concurrent_adds_get_distinct_numbers(server: Server, settings: Settings) -> None:
    tenant = provision(server, "busy")
    second = Server.start(settings)  # a second worker: its own engine and pool over the same database
    answers: list[tuple[bool, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(2 * THREADS_PER_SERVER)

    def worker(instance: Server, index: int) -> None:
        with TestClient(create_app(server=instance), base_url="https://testserver") as client:
            api = Api(client, tenant)
            start.wait()
            for number in range(TASKS_PER_THREAD):
                reply = api.call("task.add", f"<task><title>t{index}-{number}</title></task>")
                general = int(reply.root.findtext("task/general") or 0)
                with lock:
                    answers.append((reply.ok, general))

    threads = [
        threading.Thread(target=worker, args=(instance, index))
        for index, instance in enumerate([server, second] * THREADS_PER_SERVER)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        second.engine.dispose()
    total = 2 * THREADS_PER_SERVER * TASKS_PER_THREAD
    assert len(answers) == total
    assert all(ok for ok, _ in answers), [general for ok, general in answers if not ok]
    generals = Counter(general for _, general in answers)
    assert max(generals.values()) == 1
    assert sorted(generals) == list(range(1, total + 1))
    with TestClient(create_app(server=server), base_url="https://testserver") as client:
        assert counts(Api(client, tenant).call("task.getList", "<pageCurrent>0</pageCurrent>"))[0] == total

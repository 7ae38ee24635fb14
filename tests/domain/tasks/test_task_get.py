from __future__ import annotations

import datetime as dt

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import COMPLETED
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.tasks.helpers import bulk, employee, get, new_task, people, star, template
from tests.domain.users.helpers import add_group, make_head
from tests.support import Api, provision

CARD = [
    "id",
    "title",
    "description",
    "importance",
    "status",
    "statusSet",
    "checkResult",
    "type",
    "owner",
    "parent",
    "template",
    "project",
    "client",
    "beginDateTime",
    "startTime",
    "endTime",
    "duration",
    "durationUnit",
    "general",
    "isOverdued",
    "isCloseToDeadline",
    "isNotAcceptedInTime",
    "isSummary",
    "starred",
    "additionalDescriptionData",
    "customData",
    "workers",
    "members",
    "auditors",
]


def test_the_card_in_order(api: Api, server: Server) -> None:
    make_field(server, api.tenant, "task", "Done?", "checkbox")
    task_id = new_task(api, "<startDate>01-02-2030</startDate><endDate>02-02-2030</endDate>")
    reply = get(api, task_id)
    task = reply.root.find("task")
    assert task is not None
    assert [child.tag for child in task] == CARD
    assert b"<parent><id>0</id></parent><template><id>0</id></template>" in reply.raw
    assert (
        b"<project><id>0</id><title></title></project><client><id>0</id><name></name></client>" in reply.raw
    )
    assert b"<workers/><members/><auditors/>" in reply.raw
    assert reply.text("task/customData/customValue/text") == "No"
    assert reply.text("task/owner/name") == "owner@acme"
    assert reply.raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<response status="ok"><task><id>')


def test_by_number_which_wins_over_the_id(api: Api) -> None:
    first = new_task(api, title="First")
    new_task(api, title="Second")
    reply = api.call("task.get", f"<task><id>{first}</id><general>2</general></task>")
    assert reply.text("task/title") == "Second"
    assert api.call("task.get", "<task><general>1</general></task>").text("task/id") == str(first)
    # Empty template elements count as absent.
    assert (
        api.call("task.get", f"<task><id>{first}</id><general></general></task>").text("task/title")
        == "First"
    )


def test_people_lists(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    group = add_group(server, api.tenant, "Team")
    reply = get(
        api,
        new_task(
            api, f"<workers>{people([worker], [group])}</workers><members>{people([], [group])}</members>"
        ),
    )
    assert (
        b"<workers><users><user><id>%d</id><name>worker</name></user></users>"
        b"<groups><group><id>%d</id><name>Team</name></group></groups></workers>" % (worker, group)
    ) in reply.raw
    # A list with groups only has no <users> (as the real service writes <workers> with users only).
    assert (
        b"<members><groups><group><id>%d</id><name>Team</name></group></groups></members>" % group
        in reply.raw
    )


def test_deadline_flags(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    today = dt.datetime.now(dt.UTC).date()

    def day(shift: int) -> str:
        return (today + dt.timedelta(days=shift)).strftime("%d-%m-%Y")

    overdue = get(api, new_task(api, f"<endDate>{day(-2)}</endDate>"))
    assert overdue.text("task/isOverdued") == "1"
    assert overdue.text("task/isCloseToDeadline") == "0"
    close = get(api, new_task(api, f"<startDate>{day(-10)}</startDate><endDate>{day(1)}</endDate>"))
    assert close.text("task/isOverdued") == "0"
    assert close.text("task/isCloseToDeadline") == "1"
    far = get(api, new_task(api, f"<startDate>{day(-1)}</startDate><endDate>{day(30)}</endDate>"))
    assert far.text("task/isCloseToDeadline") == "0"
    late = get(api, new_task(api, f"<startDate>{day(-1)}</startDate><workers>{people([worker])}</workers>"))
    assert late.text("task/isNotAcceptedInTime") == "1"
    # A status without deadline tracking (Completed) is never overdue.
    done = bulk(server, api.tenant, 1, status=COMPLETED, end_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))[0]
    assert get(api, done).text("task/isOverdued") == "0"


def test_starred_is_the_callers(api: Api, server: Server) -> None:
    user_id, user = employee(server, api, "user")
    task_id = new_task(api, f"<members>{people([user_id])}</members>")
    star(server, api.tenant, task_id, user_id)
    assert get(user, task_id).text("task/starred") == "1"
    assert get(api, task_id).text("task/starred") == "0"


def test_templates_can_be_read(api: Api, server: Server) -> None:
    made = template(server, api.tenant, "Standard")
    assert get(api, made).text("task/type") == "template"


def test_not_found_and_no_access(api: Api, server: Server) -> None:
    _, user = employee(server, api, "user")
    task_id = new_task(api, title="Not yours")
    assert api.call("task.get", "<task><id>999999</id></task>").code == "3001"
    assert api.call("task.get", "<task><general>999</general></task>").code == "3001"
    assert user.call("task.get", f"<task><id>{task_id}</id></task>").code == "3008"


def test_missing_and_bad_parameters(api: Api) -> None:
    assert api.call("task.get").code == "0009"
    assert api.call("task.get", "<task><id></id><general></general></task>").code == "0009"
    assert api.call("task.get", "<task><id>abc</id></task>").code == "0015"


def test_foreign_ids_are_not_found(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = int(
        Api(api.client, other).call("task.add", "<task><title>Theirs</title></task>").text("task/id")
    )
    assert api.call("task.get", f"<task><id>{theirs}</id></task>").code == "3001"


def test_who_reads(api: Api, server: Server) -> None:
    """§4.4: owner, assignees, participants, auditors, their heads, project owner and auditors."""
    roles = {
        name: employee(server, api, name)
        for name in ("worker", "member", "auditor", "head", "pauditor", "stranger")
    }
    group = add_group(server, api.tenant, "Workers", (roles["worker"][0],))
    make_head(server, api.tenant, group, roles["head"][0])
    project = make_project(server, api.tenant, "P", people=[("auditor", "user", roles["pauditor"][0])])
    task_id = new_task(
        api,
        f"<project><id>{project}</id></project><workers>{people([roles['worker'][0]])}</workers>"
        f"<members>{people([roles['member'][0]])}</members><auditors>{people([roles['auditor'][0]])}</auditors>",
    )
    for name in ("worker", "member", "auditor", "head", "pauditor"):
        assert roles[name][1].call("task.get", f"<task><id>{task_id}</id></task>").ok, name
    assert roles["stranger"][1].call("task.get", f"<task><id>{task_id}</id></task>").code == "3008"


def test_a_draft_is_seen_by_its_author_alone(api: Api, server: Server) -> None:
    worker_id, worker = employee(server, api, "worker")
    _, author = employee(server, api, "author")
    draft = new_task(author, f"<status>DRAFT</status><workers>{people([worker_id])}</workers>")
    assert get(author, draft).text("task/status") == "0"
    assert worker.call("task.get", f"<task><id>{draft}</id></task>").code == "3008"
    assert get(api, draft).ok  # administrators see everything

"""Actions as the real app renders them against the real service's answers (``captures/``).

Only the structure is compared: element names and order, attributes (names and order), which
optional nodes are present, and the empty forms (``<notifiedList/>`` versus
``<description></description>``). Text and attribute values (ids, names, dates, descriptions) are
the real account's and are dropped before comparing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from planfix_server.domain.actions.shapes import ACTION, ActionView, AnaliticRow, Named
from planfix_server.wire import encode
from tests.support import Api

CAPTURES = Path(__file__).parent / "captures"
PREFIX = b'<?xml version="1.0" encoding="UTF-8"?>\n<response status="ok">'

_TAG = re.compile(rb"<(/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+=\"[^\"]*\")*)\s*(/?)>")
_ATTRIBUTE = re.compile(rb"\s+([\w:-]+)=\"[^\"]*\"")


def structure(document: bytes) -> str:
    """The tags of ``document`` in order, attribute values and all text dropped."""
    body = document.split(b"?>", 1)[1] if document.startswith(b"<?xml") else document
    tags = []
    for match in _TAG.finditer(body):
        closing, name, attributes, empty = match.groups()
        names = b"".join(b' %s=""' % one for one in _ATTRIBUTE.findall(attributes))
        tags.append(b"<%s%s%s%s>" % (closing, name, names, empty))
    return b"".join(tags).decode()


def actions_of(shape: str) -> list[str]:
    """The ``<action>…</action>`` parts of a structure, in order."""
    return re.findall(r"<action>.*?</action>", shape)


def children(action: str) -> list[str]:
    """The names of an action's child elements, in order."""
    inner = action.removeprefix("<action>").removesuffix("</action>")
    found, depth = [], 0
    for closing, name, empty in re.findall(r"<(/?)(\w+)[^>]*?(/?)>", inner):
        if closing:
            depth -= 1
        elif depth == 0:
            found.append(name)
            depth += 0 if empty else 1
        else:
            depth += 0 if empty else 1
    return found


def without(action: str, element: str) -> str:
    return re.sub(rf"<{element}>.*?</{element}>|<{element}/>", "", action)


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()


def captured_list() -> list[str]:
    return actions_of(structure(capture("action.getList.planfix-toggl.xml")))


def captured_entry(kind: str, *, has: str = "", lacks: str = "") -> str:
    """The first captured list entry of type ``kind`` (with / without a child element)."""
    raw = capture("action.getList.planfix-toggl.xml").decode()
    entries = re.findall(r"<action>.*?</action>", raw)
    for entry, shape in zip(entries, captured_list(), strict=True):
        if f"<type>{kind}</type>" not in entry:
            continue
        if (has and f"<{has}>" not in entry) or (lacks and f"<{lacks}>" in entry):
            continue
        return shape
    raise AssertionError(f"the capture has no {kind} entry (has={has!r}, lacks={lacks!r})")


def captured_order() -> list[str]:
    """The child order of every captured action merged into one (each capture agrees with it)."""
    sequences = [children(one) for one in captured_list()]
    sequences.append(children(actions_of(structure(capture("action.get.planfix-go.pretty.xml")))[0]))
    sequences.append(children(actions_of(structure(capture("action.get.planfix-toggl.xml")))[0]))
    order: list[str] = []
    for sequence in sorted(sequences, key=len, reverse=True):
        for position, name in enumerate(sequence):
            if name in order:
                continue
            following = [one for one in sequence[position + 1 :] if one in order]
            order.insert(order.index(following[0]) if following else len(order), name)
    for sequence in sequences:
        assert [one for one in order if one in sequence] == sequence, (sequence, order)
    return order


def task_with_history(api: Api) -> None:
    """An employee (user 2), a project and task 1 in it with planned dates: its TASKCREATED entry."""
    for method, inner in (
        (
            "user.add",
            "<user><name>Stanislav</name><lastName>Popov</lastName><login>popstas</login>"
            "<password>secret-pass</password><email>popstas@example.com</email></user>",
        ),
        ("project.add", "<project><title>Standards</title></project>"),
        (
            "task.add",
            "<task><title>Integration with toggl</title><project><id>1</id></project>"
            "<startTime>03-02-2018</startTime><endTime>07-02-2018</endTime></task>",
        ),
    ):
        reply = api.call(method, inner)
        assert reply.ok, reply.raw


def add_action(api: Api, inner: str) -> int:
    reply = api.call("action.add", f"<action><task><general>1</general></task>{inner}</action>")
    assert reply.ok, reply.raw
    return int(reply.text("action/id"))


def got(api: Api, action_id: int) -> bytes:
    reply = api.call("action.get", f"<action><id>{action_id}</id></action>")
    assert reply.ok, reply.raw
    return reply.raw


def history(api: Api) -> list[tuple[str, str]]:
    """(type, structure) of every entry of task 1, newest first."""
    reply = api.call("action.getList", "<task><general>1</general></task>")
    assert reply.ok, reply.raw
    types = [one.findtext("type") or "" for one in reply.root.iterfind("actions/action")]
    return list(zip(types, actions_of(structure(reply.raw)), strict=True))


def test_structure_keeps_empty_forms_and_attribute_order() -> None:
    shape = structure(b'<?xml version="1.0"?>\n<r a="1" b="2"><d></d><n/><t>x &lt;</t></r>')
    assert shape == '<r a="" b=""><d></d><n/><t></t></r>'
    assert children("<action><id></id><n><u><id></id></u></n><l/></action>") == ["id", "n", "l"]


def test_the_captures_agree_on_one_child_order() -> None:
    assert captured_order() == [
        "id", "description", "type", "statusChange", "isNotRead", "dateTime", "fromEmail", "task",
        "project", "owner", "taskExpectDateChanged", "taskStartTimeChanged", "files", "analitics",
        "notifiedList",
    ]  # fmt: skip


def test_comment_is_a_captured_action_without_data_rows(api: Api) -> None:
    task_with_history(api)
    raw = got(api, add_action(api, "<description>time:1</description>"))
    assert raw.startswith(PREFIX)
    ours = structure(raw)
    (action,) = actions_of(ours)
    # The captured ACTION entries without analitics ("time:1" …), empty notifiedList included.
    assert action == captured_entry("ACTION", lacks="analitics")
    # The whole captured action.get document but its analitics node (the account has no analitics).
    assert ours == without(structure(capture("action.get.planfix-toggl.xml")), "analitics")


def test_notified_users_are_listed_as_captured(api: Api) -> None:
    task_with_history(api)
    raw = got(
        api,
        add_action(api, "<description>x</description><notifiedList><user><id>2</id></user></notifiedList>"),
    )
    (action,) = actions_of(structure(raw))
    notified = re.search(r"<notifiedList>.*</notifiedList>", action)
    captured = re.search(r"<notifiedList>.*</notifiedList>", captured_entry("TASKCREATED"))
    assert notified is not None and captured is not None
    assert (
        notified.group(0)
        == captured.group(0)
        == "<notifiedList><user><id></id><name></name></user></notifiedList>"
    )


def test_task_created_entry_is_the_captured_one(api: Api) -> None:
    task_with_history(api)
    ((kind, entry),) = history(api)
    assert kind == "TASKCREATED"
    assert entry == captured_entry("TASKCREATED")  # both date nodes (old = new), the assigner notified


def test_task_changed_entry_with_a_new_deadline_is_the_captured_one(api: Api) -> None:
    task_with_history(api)
    reply = api.call("task.update", "<task><general>1</general><endTime>16-02-2018</endTime></task>")
    assert reply.ok, reply.raw
    kind, entry = history(api)[0]
    assert kind == "TASKCHANGED"
    captured = captured_entry("TASKCHANGED", has="taskExpectDateChanged")
    # The real entry notifies nobody; ours notifies the assigner: compare the list's form apart.
    assert without(entry, "notifiedList") == without(captured, "notifiedList")
    assert "<notifiedList" in entry


def test_status_change_sits_where_the_capture_has_it(api: Api) -> None:
    task_with_history(api)
    raw = got(api, add_action(api, "<description>Done</description><taskNewStatus>3</taskNewStatus>"))
    (action,) = actions_of(structure(raw))
    (captured,) = actions_of(structure(capture("action.get.planfix-go.pretty.xml")))
    status = re.search(r"<statusChange>.*?</statusChange>", action)
    assert status is not None and status.group(0) in captured
    ours = children(action)
    assert ours == [one for one in children(captured) if one in ours]
    # What the captured action has beyond ours: nodes a comment through action.add cannot carry.
    assert set(children(captured)) - set(ours) == {
        "taskExpectDateChanged",
        "taskStartTimeChanged",
        "files",
        "analitics",
    }


def test_every_entry_follows_the_captured_order_and_presence_rules(api: Api) -> None:
    task_with_history(api)
    add_action(api, "<description>c</description><notifiedList><user><id>2</id></user></notifiedList>")
    assert api.call("task.changeStatus", "<task><general>1</general></task><status>COMPLETED</status>").ok
    assert api.call("task.update", "<task><general>1</general><startTime>04-02-2018</startTime></task>").ok
    order = captured_order()
    entries = history(api)
    assert {kind for kind, _ in entries} >= {"TASKCREATED", "ACTION", "STATUSCHANGED", "TASKCHANGED"}
    for kind, entry in entries:
        names = children(entry)
        assert names == [one for one in order if one in names], (kind, names)
        assert names.count("notifiedList") == 1, kind  # always there, <notifiedList/> when empty
        assert ("statusChange" in names) == (kind == "STATUSCHANGED"), kind
        assert "contact" not in names, kind  # a task's entry names the task and its project
        assert {
            "id",
            "description",
            "type",
            "isNotRead",
            "dateTime",
            "fromEmail",
            "task",
            "project",
            "owner",
        } <= set(names)


def test_list_wrapper_is_the_captured_one(api: Api) -> None:
    task_with_history(api)
    add_action(api, "<description>c</description>")
    reply = api.call("action.getList", "<task><general>1</general></task>")
    assert reply.raw.startswith(PREFIX)

    def wrapper(shape: str) -> str:
        return re.sub(r"<action>.*?</action>", "", shape)

    assert wrapper(structure(reply.raw)) == wrapper(structure(capture("action.getList.planfix-toggl.xml")))
    assert (
        wrapper(structure(reply.raw))
        == '<response status=""><actions totalCount="" count=""></actions></response>'
    )


@pytest.mark.parametrize("notified", [False, True], ids=["nobody", "one"])
def test_data_rows_render_as_in_the_capture(notified: bool) -> None:
    """The account cannot have analitics yet, so the action's shape renders a view with one row."""
    view = ActionView(
        id=1,
        description="",
        type="ACTION",
        status_change=None,
        is_not_read=False,
        date_time=dt.datetime(2018, 2, 13, 1, 27, tzinfo=dt.UTC),
        from_email=True,
        task=Named(1, "t"),
        project=Named(1, "p"),
        contact=None,
        owner=Named(1, "o"),
        end_change=None,
        start_change=None,
        notified=[Named(2, "n")] if notified else [],
        analitics=[AnaliticRow(263, 611423, "Work")],
    )
    ours = structure(encode.ok((ACTION,), view, dt.UTC))
    captured = structure(capture("action.get.planfix-toggl.xml"))
    if notified:
        captured = captured.replace(
            "<notifiedList/>", "<notifiedList><user><id></id><name></name></user></notifiedList>"
        )
    assert ours == captured

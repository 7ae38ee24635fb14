"""Files as the action functions show them, and what deleting an action or a contact does to them."""

from __future__ import annotations

import re

from planfix_server.app import Server
from tests.domain.actions.helpers import comment
from tests.domain.actions.helpers import get as get_action
from tests.domain.contacts.helpers import make_contact
from tests.domain.files.helpers import blobs, entry, get_file, row_counts, task_place, uploaded
from tests.domain.tasks.helpers import new_task
from tests.support import Api
from tests.wire.test_action_capture_shape import actions_of, capture, children, structure


def newest_action(api: Api, task_id: int) -> int:
    reply = api.call("action.getList", task_place(task_id))
    return int(reply.text("actions/action/id"))


def test_files_sit_where_the_capture_has_them(api: Api) -> None:
    task_id = new_task(api)
    made = uploaded(api, task_place(task_id), entry("action.get.xml"))
    raw = get_action(api, newest_action(api, task_id)).raw
    (ours,) = actions_of(structure(raw))
    (captured,) = actions_of(structure(capture("action.get.planfix-go.pretty.xml")))
    files = re.search(r"<files>.*?</files>", ours)
    assert files is not None and files.group(0) in captured
    assert children(ours) == [one for one in children(captured) if one in children(ours)]
    assert f"<files><file><id>{made[0][0]}</id><name>action.get.xml</name></file></files>" in raw.decode()
    listed = api.call("action.getList", task_place(task_id)).raw.decode()
    assert listed.count("<files>") == 1  # TASKCREATED carries none: omitted when empty


def test_deleting_an_action_keeps_its_files_in_the_task(api: Api, server: Server) -> None:
    task_id = new_task(api)
    action_id = comment(api, task_id, "See attached")
    target = f"<target>action</target><action><id>{action_id}</id></action>"
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry(), extra=target)
    assert api.call("action.delete", f"<action><id>{action_id}</id></action>").ok
    assert get_file(api, f"<id>{file_id}</id>").ok
    listed = api.call("file.getListForTask", task_place(task_id))
    assert listed.text("files/file/id") == str(file_id)
    # The FILE action itself stays in the history, as the other system entries do.
    uploaded(api, task_place(task_id), entry("b.txt"))
    assert (
        api.call("action.delete", f"<action><id>{newest_action(api, task_id)}</id></action>").code == "4001"
    )
    assert len(blobs(server)) == 2


def test_deleting_a_contact_deletes_its_files_and_their_contents(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    keeper = make_contact(server, api.tenant, "Petr")
    uploaded(api, f"<contact><id>{contact.id}</id></contact>", entry("a.txt"), entry("b.txt"))
    ((kept, _, _),) = uploaded(api, f"<contact><id>{keeper.id}</id></contact>", entry("c.txt"))
    assert len(blobs(server)) == 3
    reply = api.call("contact.delete", f"<contact><id>{contact.id}</id></contact>")
    assert reply.ok, reply.raw
    assert row_counts(server) == (1, 1)
    assert len(blobs(server)) == 1
    assert get_file(api, f"<id>{kept}</id>").ok

from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.access_helpers import contact_with_access
from tests.domain.contacts.helpers import make_contact
from tests.domain.files.helpers import entry, uploaded
from tests.domain.files.lists import counts, file_ids, listed
from tests.support import Api, provision

METHOD = "file.getListForClient"


def test_files_of_a_contact_by_id_or_userid(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    other_contact = make_contact(server, api.tenant, "Petr")
    place = f"<contact><id>{contact.id}</id></contact>"
    in_action = [one[0] for one in uploaded(api, place, entry("a.txt"), entry("b.txt"))]
    (attached,) = [one[0] for one in uploaded(api, place, entry("c.txt"), extra="<target>task</target>")]
    uploaded(api, f"<contact><id>{other_contact.id}</id></contact>", entry("theirs.txt"))
    reply = listed(api, METHOD, f"<client><id>{contact.id}</id></client>")
    assert (file_ids(reply), counts(reply)) == ([*in_action, attached], (3, 3))
    userid = f"<client><userid>{contact.user_id}</userid></client>"
    by_userid = listed(api, METHOD, f"{userid}<pageSize>1</pageSize>")
    assert (file_ids(by_userid), counts(by_userid)) == (in_action[:1], (3, 1))


def test_errors(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ivan", "ivan@example.com")
    assert api.call(METHOD, "<client><id>999999</id></client>").code == "8002"
    assert api.call(METHOD, "").code == "0009"
    sid = api.login("ivan@example.com", "contact-pass")
    assert api.call_sid(sid, METHOD, f"<client><id>{contact.id}</id></client>").code == "9001"
    other = Api(api.client, provision(server, "other"))
    assert other.call(METHOD, f"<client><id>{contact.id}</id></client>").code == "8002"

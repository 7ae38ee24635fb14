from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.helpers import contact_actions, get_contact, make_contact, make_responsible
from tests.domain.projects.helpers import custom, make_field
from tests.support import Api, Reply, add_user, provision


def set_values(api: Api, number: str, values: str, **kw: str) -> Reply:
    return api.call(
        "contact.updateCustomData", f"<contact>{number}<customData>{values}</customData></contact>", **kw
    )


def value(field_id: int, text: str) -> str:
    return f"<customValue><id>{field_id}</id><value>{text}</value></customValue>"


def test_sets_only_the_listed_values(api: Api, server: Server) -> None:
    one = make_field(server, api.tenant, "contact", "One", "string")
    two = make_field(server, api.tenant, "contact", "Two", "checkbox")
    contact = make_contact(server, api.tenant, "Ivan", post="Boss")
    reply = set_values(api, f"<id>{contact.id}</id>", value(one, "a") + value(two, "1"))
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["contact", "actionid"]
    assert reply.text("contact/id") == str(contact.id)
    assert reply.text("contact/general") == str(contact.general)
    reply = set_values(api, f"<id>{contact.id}</id><name>Ignored</name>", value(one, "b"))
    assert reply.ok, reply.raw
    card = get_contact(api, contact.id)
    assert custom(card, "contact")["One"] == ("b", "b")
    assert custom(card, "contact")["Two"][0] == "1"
    assert card.text("contact/name") == "Ivan"
    history = contact_actions(server, contact.id)
    assert history[-1][0] == int(reply.text("actionid"))


def test_general_used_without_id(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "contact", "One", "string")
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    api.call(
        "contact.updateCustomData",
        f"<contact><general>{second.general}</general><customData>{value(field, 'g')}</customData></contact>",
    )
    api.call(
        "contact.updateCustomData",
        f"<contact><id>{first.id}</id><general>{second.general}</general>"
        f"<customData>{value(field, 'i')}</customData></contact>",
    )
    assert custom(get_contact(api, first.id), "contact")["One"][0] == "i"
    assert custom(get_contact(api, second.id), "contact")["One"][0] == "g"


def test_silent_answers_0(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "contact", "One", "string")
    contact = make_contact(server, api.tenant, "Ivan")
    reply = api.post(
        f'<request method="contact.updateCustomData"><account>{api.tenant.name}</account><silent>1</silent>'
        f"<contact><id>{contact.id}</id><customData>{value(field, 'x')}</customData></contact>"
        "</request>".encode()
    )
    assert reply.ok and reply.text("actionid") == "0"
    assert contact_actions(server, contact.id) == []


def test_errors(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "contact", "Num", "number")
    task_field = make_field(server, api.tenant, "task", "Task field", "string")
    contact = make_contact(server, api.tenant, "Ivan")
    theirs = make_contact(server, provision(server, "other"), "Theirs")
    number = f"<id>{contact.id}</id>"
    nameless = "<customValue><value>1</value></customValue>"
    cases = {
        "0009": [
            set_values(api, "", value(field, "1")),
            api.call("contact.updateCustomData", f"<contact>{number}</contact>"),
            set_values(api, number, nameless),
        ],
        "8002": [
            set_values(api, "<id>99999</id>", value(field, "1")),
            set_values(api, f"<id>{theirs.id}</id>", value(field, "1")),
        ],
        "0015": [
            set_values(api, number, value(field, "abc")),
            set_values(api, number, value(task_field, "x")),
        ],
    }
    for code, replies in cases.items():
        for reply in replies:
            assert reply.code == code, reply.raw
    assert custom(get_contact(api, contact.id), "contact")["Num"] == ("", "")


def test_rights(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "contact", "One", "string")
    responsible, responsible_token = add_user(server, api.tenant, "responsible")
    _, stranger_token = add_user(server, api.tenant, "stranger")
    contact = make_contact(server, api.tenant, "Ivan")
    make_responsible(server, api.tenant, contact.id, "user", responsible)
    body = f"<contact><id>{contact.id}</id><customData>{value(field, 'x')}</customData></contact>"
    assert api.as_user(stranger_token).call("contact.updateCustomData", body).code == "8001"
    assert api.as_user(responsible_token).call("contact.updateCustomData", body).ok

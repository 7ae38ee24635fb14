from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.helpers import get_contact, link_company, make_contact, texts
from tests.support import Api, Reply, add_user, provision


def contractors(api: Api, contact_id: int) -> list[int]:
    return sorted(int(one) for one in texts(get_contact(api, contact_id), "contact/contractors/client/id"))


def change(api: Api, contact_id: int, add: tuple[int, ...] = (), remove: tuple[int, ...] = ()) -> Reply:
    adding = "".join(f"<id>{one}</id>" for one in add)
    removing = "".join(f"<id>{one}</id>" for one in remove)
    return api.call(
        "contact.updateContractors",
        f"<contact><id>{contact_id}</id><contractors><addClient>{adding}</addClient>"
        f"<delClient>{removing}</delClient></contractors></contact>",
    )


def test_adds_and_removes_companies(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First Ltd", is_company=True)
    second = make_contact(server, api.tenant, "Second Ltd", is_company=True)
    third = make_contact(server, api.tenant, "Third Ltd", is_company=True)
    person = make_contact(server, api.tenant, "Ivan")
    link_company(server, api.tenant, person.id, third.id)
    reply = change(api, person.id, add=(first.id, second.id, first.id), remove=(third.id,))
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["contact"]
    assert [child.tag for child in reply.root.find("contact")] == ["id"]
    assert reply.text("contact/id") == str(person.id)
    assert contractors(api, person.id) == sorted([first.id, second.id])
    assert change(api, person.id, add=(first.id,), remove=(second.id, third.id)).ok
    assert contractors(api, person.id) == [first.id]


def test_company_names_in_the_card(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "ACME Ltd", is_company=True)
    person = make_contact(server, api.tenant, "Ivan")
    change(api, person.id, add=(company.id,))
    assert texts(get_contact(api, person.id), "contact/contractors/client/name") == ["ACME Ltd"]


def test_unknown_person_template_and_foreign_companies_are_7002(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Ivan")
    not_company = make_contact(server, api.tenant, "Pavel")
    template = make_contact(server, api.tenant, "Company template", is_company=True, is_template=True)
    good = make_contact(server, api.tenant, "Good Ltd", is_company=True)
    theirs = make_contact(server, provision(server, "other"), "Their Ltd", is_company=True)
    for bad in (99999, not_company.id, template.id, theirs.id):
        reply = change(api, person.id, add=(good.id, bad))
        assert reply.code == "7002", bad
    assert contractors(api, person.id) == []


def test_own_company_is_0015(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "Self Ltd", is_company=True)
    assert change(api, company.id, add=(company.id,)).code == "0015"


def test_contact_errors(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "ACME", is_company=True)
    theirs = make_contact(server, provision(server, "other"), "Theirs")
    assert change(api, 99999, add=(company.id,)).code == "8002"
    assert change(api, theirs.id, add=(company.id,)).code == "8002"
    assert api.call("contact.updateContractors", "<contact><contractors/></contact>").code == "0009"


def test_rights(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "ACME", is_company=True)
    _, token = add_user(server, api.tenant, "stranger")
    person = make_contact(server, api.tenant, "Ivan")
    assert change(api.as_user(token), person.id, add=(company.id,)).code == "8001"
    assert contractors(api, person.id) == []

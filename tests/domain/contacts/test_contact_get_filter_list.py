"""contact.getFilterList (21-contacts.md §10): the system filters, usable as contact.getList targets."""

from __future__ import annotations

from dataclasses import replace

from planfix_server.app import Server
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.users.repository import UserRepository
from planfix_server.settings import Settings
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import employee, ids
from tests.domain.users.helpers import body, unit_of_work
from tests.support import Api, now, running

EXPECTED = (
    '<contactFilterList totalCount="3">'
    "<contactFilter><ID>:contacts</ID><Name>Contacts</Name></contactFilter>"
    "<contactFilter><ID>:companies</ID><Name>Companies</Name></contactFilter>"
    "<contactFilter><ID>:all</ID><Name>Contacts and companies</Name></contactFilter>"
    "</contactFilterList>"
)


def test_system_filters(api: Api) -> None:
    reply = api.call("contact.getFilterList")
    assert reply.ok, reply.raw
    assert body(reply) == EXPECTED


def test_employees_get_the_same_filters(api: Api, server: Server) -> None:
    _, clerk = employee(server, api, "clerk")
    assert body(clerk.call("contact.getFilterList")) == EXPECTED


def test_each_filter_id_selects_its_contacts(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Person").id
    company = make_contact(server, api.tenant, "Company", is_company=True).id
    make_contact(server, api.tenant, "Form", is_template=True)
    expected = {":contacts": [person], ":companies": [company], ":all": [person, company]}
    found = {}
    for element in api.call("contact.getFilterList").root.iterfind("contactFilterList/contactFilter"):
        key = element.findtext("ID") or ""
        reply = api.call("contact.getList", f"<target>{key}</target>")
        assert reply.ok, reply.raw
        found[key] = ids(reply, "contacts/contact")
    assert found == expected


def test_names_in_russian_when_the_language_setting_says_so(api: Api, settings: Settings) -> None:
    with running(replace(settings, language="ru")) as (_, client):
        reply = Api(client, api.tenant).call("contact.getFilterList")
    names = [element.text for element in reply.root.iterfind("contactFilterList/contactFilter/Name")]
    assert names == ["Контакты", "Компании", "Контакты и компании"]


def test_a_contact_signed_in_may_not_list_contact_filters(api: Api, server: Server) -> None:
    signed_in = make_contact(server, api.tenant, "Client", access="active")
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).update_user(signed_in.user_id, status="ACTIVE")
        token = issue_token(uow, now(), signed_in.user_id)
    contact = api.as_user(token)
    assert contact.call("user.get").code == "6004"  # signed in: the token works
    assert contact.call("contact.getFilterList").code == "8001"

"""contact.getList: elements, targets, company, search, fields, paging, rights (21-contacts.md §8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table

from planfix_server.app import Server
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.contacts.creation import insert_contact
from planfix_server.domain.users.repository import UserRepository
from planfix_server.settings import Settings
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import contact_contractors, contact_emails, contact_phones
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import counts, employee, ids
from tests.domain.users.helpers import body, strict_paging_api, unit_of_work
from tests.support import Api, Reply, Tenant, now, provision

# The elements of a contact.getList item, in the documented order (§8).
DOCUMENTED = [
    "id",
    "userid",
    "general",
    "template",
    "name",
    "lastName",
    "isCompany",
    "post",
    "email",
    "phones",
    "address",
    "description",
    "sex",
    "skype",
    "facebook",
    "vk",
    "telegramId",
    "icq",
    "userPic",
    "birthdate",
    "havePlanfixAccess",
    "user",
    "contractors",
    "customData",
]


def store(server: Server, tenant: Tenant, table: Table, **row: Any) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(Repository).insert(table, **row)


def listed(api: Api, inner: str = "") -> list[int]:
    reply = api.call("contact.getList", inner)
    assert reply.ok, reply.raw
    return ids(reply, "contacts/contact")


def many(server: Server, tenant: Tenant, count: int, **columns: Any) -> list[int]:
    """``count`` contacts in one transaction (fast set-up); ``name`` may hold ``{n}``."""
    name = str(columns.pop("name", "Person {n}"))
    with unit_of_work(server, tenant) as uow:
        return [insert_contact(uow, now(), name=name.format(n=n), **columns).id for n in range(count)]


def contact_api(server: Server, api: Api, contact_user_id: int) -> Api:
    """A client that calls as a contact signed in with PlanFix access."""
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).update_user(contact_user_id, status="ACTIVE")
        token = issue_token(uow, now(), contact_user_id)
    return api.as_user(token)


def item(reply: Reply) -> Any:
    found = reply.root.find("contacts/contact")
    assert found is not None, reply.raw
    return found


def test_items_carry_the_documented_elements_in_order(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "ACME Ltd", is_company=True)
    person = make_contact(
        server,
        api.tenant,
        "Ivan",
        last_name="Petrov",
        post="Manager",
        email="ivan@example.com",
        address="Main st. 1",
        description="Met at the fair",
        sex="MALE",
        skype="ivan.p",
        facebook="fb.ivan",
        vk="vk.ivan",
        icq="12345",
        birthdate=dt.date(1987, 3, 13),
    )
    store(server, api.tenant, contact_phones, contact_id=person.id, position=0, number="+7 900 1", type_id=1)
    store(server, api.tenant, contact_contractors, contact_id=person.id, company_id=company.id)
    reply = api.call("contact.getList", "<pageCurrent>1</pageCurrent><pageSize>100</pageSize>")
    assert body(reply).startswith(
        f'<contacts totalCount="1" count="1"><contact><id>{person.id}</id><userid>{person.user_id}</userid>'
        f"<general>{person.general}</general>"
    )
    contact = item(reply)
    tags = [child.tag for child in contact]
    assert [tag for tag in tags if tag in DOCUMENTED] == DOCUMENTED
    expected = {
        "name": "Ivan",
        "lastName": "Petrov",
        "isCompany": "0",
        "post": "Manager",
        "email": "ivan@example.com",
        "address": "Main st. 1",
        "description": "Met at the fair",
        "sex": "MALE",
        "skype": "ivan.p",
        "facebook": "fb.ivan",
        "vk": "vk.ivan",
        "icq": "12345",
        "birthdate": "13-03-1987",
        "havePlanfixAccess": "0",
        "phones/phone/number": "+7 900 1",
        "phones/phone/typeId": "1",
        "contractors/client/id": str(company.id),
        "contractors/client/name": "ACME Ltd",
        "user/role": "USER",
    }
    assert {path: contact.findtext(path) for path in expected} == expected


def test_admin_only_elements_are_left_out_for_employees(api: Api, server: Server) -> None:
    make_contact(server, api.tenant, "Ivan")
    _, employee_api = employee(server, api, "clerk")
    contact = item(employee_api.call("contact.getList"))
    assert contact.find("havePlanfixAccess") is None and contact.find("user") is None


def test_empty_list(api: Api) -> None:
    assert body(api.call("contact.getList", "<pageCurrent>1</pageCurrent>")) == (
        '<contacts totalCount="0" count="0"/>'
    )


def test_targets(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Person").id
    company = make_contact(server, api.tenant, "Company", is_company=True).id
    person_template = make_contact(server, api.tenant, "Person form", is_template=True).id
    company_template = make_contact(server, api.tenant, "Company form", is_template=True, is_company=True).id
    assert listed(api) == [person]
    assert listed(api, "<target>contact</target>") == [person]
    assert listed(api, "<target></target>") == [person]
    assert listed(api, "<target>company</target>") == [company]
    assert listed(api, "<target>Company</target>") == [company]
    assert listed(api, "<target>template</target>") == [person_template, company_template]
    assert listed(api, "<target>:contacts</target>") == [person]
    assert listed(api, "<target>:companies</target>") == [company]
    assert listed(api, "<target>:all</target>") == [person, company]
    for unknown in ("people", "1050", ":everything", "all"):
        assert api.call("contact.getList", f"<target>{unknown}</target>").code == "0015", unknown


def test_contacts_of_a_company(api: Api, server: Server) -> None:
    acme = make_contact(server, api.tenant, "ACME", is_company=True).id
    globex = make_contact(server, api.tenant, "Globex", is_company=True).id
    both, only_acme, nobody = (make_contact(server, api.tenant, name).id for name in ("Both", "Acme", "None"))
    for contact_id, company_id in ((both, acme), (both, globex), (only_acme, acme)):
        store(server, api.tenant, contact_contractors, contact_id=contact_id, company_id=company_id)
    assert listed(api, f"<company>{acme}</company>") == [both, only_acme]
    assert listed(api, f"<company>{globex}</company>") == [both]
    assert listed(api, "<company>0</company>") == [both, only_acme, nobody]  # 0 is "absent"
    assert listed(api, f"<company>{globex + 100}</company>") == []
    assert api.call("contact.getList", "<company>acme</company>").code == "0015"


def test_search_by_name_last_name_or_email(api: Api, server: Server) -> None:
    ivan = make_contact(server, api.tenant, "Ivan", last_name="Smith").id
    olga = make_contact(server, api.tenant, "Olga", last_name="Ivanova").id
    mail = make_contact(server, api.tenant, "Bob", email="IVANHOE@example.com").id
    make_contact(server, api.tenant, "Anna", post="ivan's assistant")
    assert listed(api, "<search>ivan</search>") == [ivan, olga, mail]
    assert listed(api, "<search>SMITH</search>") == [ivan]
    assert listed(api, "<search>example.COM</search>") == [mail]
    assert listed(api, "<search>nobody</search>") == []
    assert listed(api, "<search>i%n</search>") == []  # LIKE wildcards are literal
    assert len(listed(api, "<search></search>")) == 4


def test_search_takes_wildcards_and_escapes_literally(api: Api, server: Server) -> None:
    underscore = make_contact(server, api.tenant, "A_B").id
    make_contact(server, api.tenant, "AxB")
    slash = make_contact(server, api.tenant, "50/50 %").id
    assert listed(api, "<search>a_b</search>") == [underscore]
    assert listed(api, "<search>0/5</search>") == [slash]
    assert listed(api, "<search>0 %</search>") == [slash]
    assert listed(api, "<search>/%</search>") == []


def test_search_ignores_case_in_cyrillic(api: Api, server: Server) -> None:
    upper = make_contact(server, api.tenant, "ИВАН", last_name="ПЕТРОВ").id
    lower = make_contact(server, api.tenant, "Пётр", last_name="иванов").id
    make_contact(server, api.tenant, "Мария", last_name="Сидорова")
    assert listed(api, "<search>иван</search>") == [upper, lower]
    assert listed(api, "<search>ИВАНОВ</search>") == [lower]
    assert listed(api, "<search>петров</search>") == [upper]
    assert listed(api, "<search>ПЁТР</search>") == [lower]


def test_search_with_target_and_company(api: Api, server: Server) -> None:
    acme = make_contact(server, api.tenant, "Ivanov & Co", is_company=True).id
    inside = make_contact(server, api.tenant, "Ivan").id
    make_contact(server, api.tenant, "Ivan")
    store(server, api.tenant, contact_contractors, contact_id=inside, company_id=acme)
    assert listed(api, "<target>company</target><search>ivan</search>") == [acme]
    assert listed(api, f"<company>{acme}</company><search>ivan</search>") == [inside]


def test_paging_over_many_contacts(api: Api, server: Server) -> None:
    made = many(server, api.tenant, 260)
    seen: list[int] = []
    for number in (1, 2, 3):
        reply = api.call("contact.getList", f"<pageCurrent>{number}</pageCurrent><pageSize>100</pageSize>")
        assert counts(reply, "contacts") == (260, 100 if number < 3 else 60)
        seen += ids(reply, "contacts/contact")
    assert seen == made  # by id, no page overlaps another
    past_the_end = api.call("contact.getList", "<pageCurrent>4</pageCurrent><pageSize>100</pageSize>")
    assert body(past_the_end) == '<contacts totalCount="260" count="0"/>'
    count_only = api.call("contact.getList", "<pageCurrent>0</pageCurrent>")
    assert body(count_only) == '<contacts totalCount="260" count="0"/>'
    assert listed(api, "<pageCurrent>3</pageCurrent><pageSize>7</pageSize>") == made[14:21]
    assert len(listed(api)) == 100  # no pageCurrent: page 1; no pageSize: 100
    searched = api.call("contact.getList", "<search>person 1</search><pageSize>10</pageSize>")
    assert counts(searched, "contacts") == (111, 10)  # 1, 10-19, 100-199


def test_page_size_above_the_limit(api: Api, server: Server, settings: Settings) -> None:
    many(server, api.tenant, 120)
    assert counts(api.call("contact.getList", "<pageSize>500</pageSize>"), "contacts") == (120, 100)
    with strict_paging_api(settings, api.tenant) as strict:
        assert strict.call("contact.getList", "<pageSize>101</pageSize>").code == "0021"
    assert api.call("contact.getList", "<pageSize>-1</pageSize>").code == "0015"
    assert api.call("contact.getList", "<pageCurrent>x</pageCurrent>").code == "0015"


def test_other_accounts_contacts_are_never_listed(api: Api, server: Server, client: Any) -> None:
    other = provision(server, "other")
    theirs = make_contact(server, other, "Ivan", email="ivan@other.example").id
    their_company = make_contact(server, other, "Globex", is_company=True).id
    store(server, other, contact_contractors, contact_id=theirs, company_id=their_company)
    mine = make_contact(server, api.tenant, "Ivan").id
    assert listed(api) == [mine]
    assert listed(api, "<search>ivan</search>") == [mine]
    assert listed(api, "<target>company</target>") == []
    assert listed(api, "<target>:all</target>") == [mine]
    assert listed(api, f"<company>{their_company}</company>") == []
    assert counts(api.call("contact.getList", "<pageCurrent>0</pageCurrent>"), "contacts") == (1, 0)
    assert listed(Api(client, other)) == [theirs]


def test_fields_add_the_dates_asked_for(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    store(server, api.tenant, contact_emails, contact_id=contact.id, position=0, email="second@example.com")
    plain = item(api.call("contact.getList"))
    assert plain.find("lastUpdateDate") is None and plain.find("lastCommentDate") is None
    asked = item(
        api.call(
            "contact.getList",
            "<fields><field>lastUpdateDate</field><field>lastCommentDate</field><field>bogus</field></fields>",
        )
    )
    updated = asked.findtext("lastUpdateDate") or ""
    assert dt.datetime.strptime(updated, "%d-%m-%Y %H:%M").date() == now().date()
    assert asked.findtext("lastCommentDate") == ""  # asked, no comment yet
    assert asked.find("bogus") is None
    only_one = item(api.call("contact.getList", "<fields><field>lastCommentDate</field></fields>"))
    assert only_one.find("lastUpdateDate") is None and only_one.find("lastCommentDate") is not None


def test_every_employee_sees_every_contact(api: Api, server: Server) -> None:
    made = [make_contact(server, api.tenant, name, created_by=api.tenant.owner_id).id for name in "ABC"]
    _, clerk = employee(server, api, "clerk")
    assert listed(clerk) == made


def test_a_contact_signed_in_may_not_list_contacts(api: Api, server: Server) -> None:
    signed_in = make_contact(server, api.tenant, "Client", access="active")
    reply = contact_api(server, api, signed_in.user_id).call("contact.getList")
    assert reply.code == "8001"

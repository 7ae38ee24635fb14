"""contact.getList's complex filters (21-contacts.md §9): every type, its operators, its errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Table, bindparam, update

from planfix_server.app import Server
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.statuses.defaults import ACTIVE, COMPLETED, DONE
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    contact_emails,
    contact_groups,
    contact_phones,
    contact_responsibles,
    contacts,
)
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_field
from tests.domain.tasks.helpers import bulk, employee, ids
from tests.domain.users.helpers import add_group, set_user, unit_of_work
from tests.support import Api, Tenant, add_user, now, provision

UTC = dt.UTC


# -- set-up


def store(server: Server, tenant: Tenant, table: Table, **row: Any) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(Repository).insert(table, **row)


def change(server: Server, tenant: Tenant, contact_id: int, **values: Any) -> None:
    """Write columns of a stored contact (dates the functions set themselves, …)."""
    statement = Scoped(
        update(contacts)
        .where(contacts.c.account_id == bindparam("tenant"), contacts.c.id == bindparam("contact"))
        .values(**values)
    )
    with unit_of_work(server, tenant) as uow:
        uow.get(Repository).execute(statement, contact=contact_id)


def custom_value(server: Server, tenant: Tenant, contact_id: int, field_id: int, stored: str) -> None:
    """A custom value in its stored form (customfields/types.py)."""
    with unit_of_work(server, tenant) as uow:
        uow.get(CustomFieldRepository).replace_values("contact", contact_id, [field_id], {field_id: stored})


def people(server: Server, tenant: Tenant, *names: str, **columns: Any) -> list[int]:
    return [make_contact(server, tenant, name, **columns).id for name in names]


# -- requests


def listed(api: Api, *filters: str, target: str = ":all") -> list[int]:
    inner = "".join(f"<filter>{one}</filter>" for one in filters)
    reply = api.call("contact.getList", f"<target>{target}</target><filters>{inner}</filters>")
    assert reply.ok, reply.raw
    return ids(reply, "contacts/contact")


def code(api: Api, *filters: str) -> str:
    inner = "".join(f"<filter>{one}</filter>" for one in filters)
    return api.call("contact.getList", f"<filters>{inner}</filters>").code


def simple(kind: int, operator: str, value: object = None, field: int | None = None) -> str:
    extra = f"<field>{field}</field>" if field is not None else ""
    given = "" if value is None else f"<value>{value}</value>"
    return f"<type>{kind}</type><operator>{operator}</operator>{given}{extra}"


def dated(kind: int, operator: str, datetype: str, field: int | None = None, **parts: str) -> str:
    inner = "".join(f"<{name}>{value}</{name}>" for name, value in parts.items())
    extra = f"<field>{field}</field>" if field is not None else ""
    head = f"<type>{kind}</type><operator>{operator}</operator>"
    return f"{head}<value><datetype>{datetype}</datetype>{inner}</value>{extra}"


# -- dates


def test_creation_date(api: Api, server: Server) -> None:
    old, older, fresh = people(server, api.tenant, "Old", "Older", "Fresh")
    change(server, api.tenant, old, created_at=dt.datetime(2015, 1, 10, 12, tzinfo=UTC))
    change(server, api.tenant, older, created_at=dt.datetime(2014, 6, 1, tzinfo=UTC))
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == [old]
    assert listed(api, dated(12, "equal", "anotherperiod", datefrom="01-01-2015", dateto="01-02-2015")) == [
        old
    ]
    assert listed(api, dated(12, "lt", "anotherdate", datefrom="10-01-2015")) == [older]
    assert listed(api, dated(12, "gt", "anotherdate", datefrom="10-01-2015")) == [fresh]
    assert listed(api, dated(12, "notequal", "anotherdate", datefrom="10-01-2015")) == [older, fresh]
    assert listed(api, dated(12, "equal", "today")) == [fresh]
    assert listed(api, dated(12, "equal", "last", datevalue="3")) == [fresh]
    assert listed(api, dated(12, "equal", "thisweek")) == [fresh]
    assert listed(api, dated(12, "equal", "thismonth")) == [fresh]
    for empty in ("yesterday", "tomorrow", "lastweek", "nextweek", "lastmonth", "nextmonth"):
        assert listed(api, dated(12, "equal", empty)) == [], empty
    assert listed(api, dated(12, "equal", "next", datevalue="2")) == [fresh]
    assert listed(api, dated(12, "equal", "in", datevalue="1")) == []


def test_dates_are_read_in_the_callers_zone(api: Api, server: Server) -> None:
    # 23:30 UTC on 10 January is 11 January in Moscow (UTC+3).
    (late,) = people(server, api.tenant, "Late")
    change(server, api.tenant, late, created_at=dt.datetime(2015, 1, 10, 23, 30, tzinfo=UTC))
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == [late]
    set_user(server, api.tenant, api.tenant.owner_id, timezone="Europe/Moscow")
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="11-01-2015")) == [late]
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == []


def test_birth_date_with_the_year(api: Api, server: Server) -> None:
    march = make_contact(server, api.tenant, "March", birthdate=dt.date(1987, 3, 13)).id
    later = make_contact(server, api.tenant, "Later", birthdate=dt.date(1990, 3, 13)).id
    make_contact(server, api.tenant, "Unknown")
    assert listed(api, dated(4223, "equal", "anotherdate", datefrom="13-03-1987")) == [march]
    assert listed(api, dated(4223, "gt", "anotherdate", datefrom="13-03-1987")) == [later]
    assert listed(api, dated(4223, "lt", "anotherdate", datefrom="01-01-1990")) == [march]
    assert listed(api, dated(4223, "notequal", "anotherdate", datefrom="13-03-1987")) == [later]
    assert listed(api, dated(4223, "equal", "anotherdate", datefrom="14-03-1987")) == []


def test_birthday_whatever_the_year(api: Api, server: Server) -> None:
    today = now().date()
    born_today = make_contact(server, api.tenant, "Today", birthdate=today.replace(year=1980)).id
    march = make_contact(server, api.tenant, "March", birthdate=dt.date(1987, 3, 13)).id
    december = make_contact(server, api.tenant, "December", birthdate=dt.date(1975, 12, 30)).id
    make_contact(server, api.tenant, "Unknown")
    if today.month == 2 and today.day == 29:
        pytest.skip("a 29 February birthday has no 1980 twin every year")
    assert born_today in listed(api, dated(4011, "equal", "today"))

    def dated_others(*args: str, **kwargs: str) -> list[int]:
        """The contacts found but today's one, who falls in some of the ranges depending on the day."""
        return [found for found in listed(api, dated(4011, *args, **kwargs)) if found != born_today]

    assert dated_others("equal", "anotherdate", datefrom="13-03-2001") == [march]
    assert dated_others("equal", "anotherperiod", datefrom="01-03-2030", dateto="31-03-2030") == [march]
    # A period across New Year.
    assert dated_others("equal", "anotherperiod", datefrom="25-12-2030", dateto="20-03-2031") == [
        march,
        december,
    ]
    assert december in dated_others("equal", "anotherperiod", datefrom="01-01-2020", dateto="01-01-2022")
    assert dated_others("gt", "anotherdate", datefrom="01-12-2030") == [december]
    assert dated_others("lt", "anotherdate", datefrom="01-04-2030") == [march]
    assert march not in dated_others("notequal", "anotherdate", datefrom="13-03-2030")
    assert december in dated_others("notequal", "anotherdate", datefrom="13-03-2030")


def test_last_activity_of_tasks(api: Api, server: Server) -> None:
    client, member, idle = (make_contact(server, api.tenant, name) for name in ("Client", "Member", "Idle"))
    old = dt.datetime(2015, 1, 10, 12, tzinfo=UTC)
    bulk(server, api.tenant, 1, client_id=client.id, last_activity_at=old)
    bulk(server, api.tenant, 1, people=[("member", "user", member.user_id)])
    active_in_2015 = dated(4213, "equal", "anotherdate", datefrom="10-01-2015")
    assert listed(api, active_in_2015) == [client.id]
    assert listed(api, dated(4213, "equal", "today")) == []
    assert listed(api, dated(4219, "equal", "anotherdate", datefrom="10-01-2015")) == [member.id, idle.id]
    assert listed(api, dated(4214, "equal", "today")) == [member.id]
    assert listed(api, dated(4214, "lt", "today")) == []
    assert listed(api, dated(4220, "equal", "today")) == [client.id, idle.id]


# -- people


def test_added_by(api: Api, server: Server) -> None:
    clerk, _ = employee(server, api, "clerk")
    mine = make_contact(server, api.tenant, "Mine", created_by=api.tenant.owner_id).id
    theirs = make_contact(server, api.tenant, "Theirs", created_by=clerk).id
    unknown = make_contact(server, api.tenant, "Imported").id
    assert listed(api, simple(1, "equal", api.tenant.owner_id)) == [mine]
    assert listed(api, simple(1, "equal", clerk)) == [theirs]
    assert listed(api, simple(1, "notequal", api.tenant.owner_id)) == [theirs, unknown]


def test_responsible_and_editable(api: Api, server: Server) -> None:
    clerk, _ = employee(server, api, "clerk")
    group = add_group(server, api.tenant, "Sales", (clerk,))
    made, directly, through_group, other = people(server, api.tenant, "Made", "Direct", "Group", "Other")
    change(server, api.tenant, made, created_by=clerk)
    store(server, api.tenant, contact_responsibles, contact_id=directly, kind="user", person_id=clerk)
    store(server, api.tenant, contact_responsibles, contact_id=through_group, kind="group", person_id=group)
    assert listed(api, simple(2, "equal", clerk)) == [directly, through_group]
    assert listed(api, simple(2, "notequal", clerk)) == [made, other]
    assert listed(api, simple(48, "equal", clerk)) == [made, directly, through_group]
    assert listed(api, simple(48, "notequal", clerk)) == [other]
    owner = api.tenant.owner_id  # an administrator edits every contact
    assert listed(api, simple(48, "equal", owner)) == [made, directly, through_group, other]
    contact_user = make_contact(server, api.tenant, "Signed in", access="active").user_id
    assert listed(api, simple(48, "equal", contact_user)) == []
    assert listed(api, simple(2, "equal", owner)) == []


def test_available_to_user(api: Api, server: Server) -> None:
    made = people(server, api.tenant, "A", "B")
    clerk, _ = employee(server, api, "clerk")
    assert listed(api, simple(47, "equal", clerk)) == made  # every employee sees every contact
    assert listed(api, simple(47, "notequal", clerk)) == []
    contact_user = make_contact(server, api.tenant, "Signed in", access="active").user_id
    assert listed(api, simple(47, "equal", contact_user)) == []
    assert listed(api, simple(47, "equal", 999999)) == []
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger")
    assert listed(api, simple(47, "equal", stranger)) == []


# -- flags


def test_kinds_and_abilities(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Person", can_be_worker=True).id
    company = make_contact(server, api.tenant, "Company", is_company=True, can_be_client=True).id
    invited = make_contact(server, api.tenant, "Invited", access="invited").id
    active = make_contact(server, api.tenant, "Signed in", access="active", can_be_worker=True).id
    make_contact(server, api.tenant, "Revoked", access="inactive")
    everyone = listed(api)
    assert listed(api, simple(4006, "equal", 1)) == [company]
    assert listed(api, simple(4006, "equal", 0)) == [c for c in everyone if c != company]
    assert listed(api, simple(4007, "equal", 1)) == [c for c in everyone if c != company]
    assert listed(api, simple(4007, "equal")) == [c for c in everyone if c != company]  # no value: 1
    assert listed(api, simple(4010, "equal", 1)) == [invited, active]
    assert listed(api, simple(4012, "equal", 1)) == [person, active]
    assert listed(api, simple(4017, "equal", 1)) == [c for c in everyone if c not in (person, active)]
    assert listed(api, simple(4013, "equal", 1)) == [company]
    assert listed(api, simple(4018, "equal", 1)) == [c for c in everyone if c != company]
    assert code(api, simple(4006, "notequal", 1)) == "0015"
    assert code(api, simple(4006, "equal", 2)) == "0015"


def test_active_and_overdue_tasks(api: Api, server: Server) -> None:
    active_client, done_client, late_client, worker, member, idle = (
        make_contact(server, api.tenant, name) for name in ("AC", "DC", "LC", "W", "M", "I")
    )
    yesterday = now() - dt.timedelta(days=1)
    tomorrow = now() + dt.timedelta(days=1)
    bulk(server, api.tenant, 1, client_id=active_client.id, status=DONE, end_at=yesterday, end_has_time=True)
    bulk(server, api.tenant, 1, client_id=done_client.id, status=COMPLETED)
    bulk(server, api.tenant, 1, client_id=late_client.id, status=ACTIVE, end_at=yesterday, end_has_time=True)
    bulk(server, api.tenant, 1, status=ACTIVE, end_at=tomorrow, people=[("worker", "user", worker.user_id)])
    bulk(
        server,
        api.tenant,
        1,
        status=ACTIVE,
        end_at=yesterday,
        end_has_time=True,
        people=[("auditor", "user", member.user_id)],
    )
    bulk(server, api.tenant, 1, type="template", client_id=idle.id, status=ACTIVE)
    everyone = [c.id for c in (active_client, done_client, late_client, worker, member, idle)]
    with_active = [active_client.id, late_client.id]
    assert listed(api, simple(4203, "equal", 1)) == with_active
    assert listed(api, simple(4201, "equal", 1)) == [c for c in everyone if c not in with_active]
    assert listed(api, simple(4201, "equal", 0)) == with_active
    assert listed(api, simple(4204, "equal", 1)) == [worker.id, member.id]
    assert listed(api, simple(4202, "equal", 1)) == [c for c in everyone if c not in (worker.id, member.id)]
    assert listed(api, simple(4205, "equal", 1)) == [late_client.id]  # Done no longer tracks the deadline
    assert listed(api, simple(4206, "equal", 1)) == [member.id]
    assert code(api, simple(4205, "gt", 1)) == "0015"


# -- text


def test_text_kinds(api: Api, server: Server) -> None:
    ivan = make_contact(
        server,
        api.tenant,
        "Ivan",
        last_name="Petrov",
        post="Sales manager",
        address="Tverskaya 1",
        email="ivan@acme.example",
    ).id
    olga = make_contact(
        server, api.tenant, "Olga", last_name="Ivanova", post="Accountant", email="olga@mail.example"
    ).id
    acme = make_contact(server, api.tenant, "ACME", is_company=True, address="Nevsky 5").id
    store(server, api.tenant, contact_emails, contact_id=olga, position=0, email="olga@ACME.example")
    store(
        server,
        api.tenant,
        contact_phones,
        contact_id=ivan,
        position=0,
        number="+7 (900) 123-45-67",
        type_id=1,
    )
    store(server, api.tenant, contact_phones, contact_id=acme, position=0, number="8 800 555", type_id=2)
    store(server, api.tenant, contact_phones, contact_id=acme, position=1, number="ext. office", type_id=3)
    assert listed(api, simple(4001, "equal", "ivan")) == [ivan, olga]
    assert listed(api, simple(4001, "notequal", "ivan")) == [acme]
    assert listed(api, simple(4014, "equal", "IVAN")) == [ivan]
    assert listed(api, simple(4015, "equal", "ivan")) == [olga]
    assert listed(api, simple(4014, "equal", "acme")) == [acme]
    assert listed(api, simple(4002, "equal", "manager")) == [ivan]
    assert listed(api, simple(4002, "notequal", "manager")) == [olga, acme]
    assert listed(api, simple(4003, "equal", "123456")) == [ivan]  # separators ignored
    assert listed(api, simple(4003, "equal", "900 123")) == [ivan]
    assert listed(api, simple(4003, "equal", "OFFICE")) == [acme]
    assert listed(api, simple(4003, "notequal", "555")) == [ivan, olga]
    assert listed(api, simple(4004, "equal", "nevsky")) == [acme]
    assert listed(api, simple(4005, "equal", "acme")) == [ivan]
    assert listed(api, simple(4221, "equal", "acme")) == [olga]
    assert listed(api, simple(4221, "notequal", "acme")) == [ivan, acme]
    assert code(api, simple(4001, "gt", "ivan")) == "0015"
    assert code(api, simple(4001, "equal")) == "0009"


def test_text_kinds_ignore_case_in_cyrillic(api: Api, server: Server) -> None:
    upper = make_contact(server, api.tenant, "ЮЛИЯ", post="ГЛАВНЫЙ БУХГАЛТЕР").id
    make_contact(server, api.tenant, "Пётр", post="водитель")
    assert listed(api, simple(4001, "equal", "юлия")) == [upper]
    assert listed(api, simple(4002, "equal", "бухгалтер")) == [upper]


# -- references


def test_group_and_template(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        group = uow.next_id("contact_groups")
        uow.get(Repository).insert(contact_groups, id=group, name="Clients", position=1, created_at=now())
    form = make_contact(server, api.tenant, "Client form", is_template=True)
    grouped = make_contact(server, api.tenant, "Grouped", group_id=group, template_id=form.id).id
    plain = make_contact(server, api.tenant, "Plain").id
    assert listed(api, simple(4008, "equal", group)) == [grouped]
    assert listed(api, simple(4008, "notequal", group)) == [plain]
    assert listed(api, simple(4016, "equal", form.general)) == [grouped]
    assert listed(api, simple(4016, "notequal", form.general)) == [plain]
    assert listed(api, simple(4016, "equal", form.general + 100)) == []
    assert listed(api, simple(4016, "equal", make_contact(server, api.tenant, "Not a form").general)) == []
    assert code(api, simple(4008, "gt", group)) == "0015"
    assert code(api, simple(4016, "equal", "form")) == "0015"


# -- custom fields


def test_custom_field_kinds(api: Api, server: Server) -> None:
    tenant = api.tenant
    clerk, _ = employee(server, api, "clerk")
    fields = {
        "string": make_field(server, tenant, "contact", "Note", "string"),
        "number": make_field(server, tenant, "contact", "Budget", "number"),
        "date": make_field(server, tenant, "contact", "Met", "date"),
        "checkbox": make_field(server, tenant, "contact", "VIP", "checkbox"),
        "list": make_field(server, tenant, "contact", "Stage", "list", options=["A", "B"]),
        "record": make_field(server, tenant, "contact", "Tag", "handbook_record"),
        "contact": make_field(server, tenant, "contact", "Referrer", "contact"),
        "employee": make_field(server, tenant, "contact", "Manager", "employee"),
        "employees": make_field(server, tenant, "contact", "Team", "employee_list"),
        "value_set": make_field(
            server, tenant, "contact", "Channels", "value_set", options=["mail", "phone", "fax"]
        ),
        "records": make_field(server, tenant, "contact", "Tags", "handbook_record_set"),
    }
    one, two, bare = people(server, tenant, "One", "Two", "Bare")
    for field, (first, second) in {
        "string": ("Likes tea", "likes COFFEE"),
        "number": ("12.5", "100"),
        "date": ("2030-03-05", "2031-01-01"),
        "checkbox": ("1", "0"),
        "list": ("A", "B"),
        "record": ("5", "6"),
        "contact": (str(two), str(one)),
        "employee": (str(clerk), str(tenant.owner_id)),
        "employees": (f"[{clerk},{tenant.owner_id}]", f"[{tenant.owner_id}]"),
        "value_set": ('["mail", "phone"]', '["fax"]'),
        "records": ("[5,7]", "[6]"),
    }.items():
        custom_value(server, tenant, one, fields[field], first)
        custom_value(server, tenant, two, fields[field], second)
    cases = [
        (4101, "string", "equal", "TEA", [one]),
        (4101, "string", "notequal", "tea", [two, bare]),
        (4102, "number", "equal", "12.5", [one]),
        (4102, "number", "gt", "50", [two]),
        (4102, "number", "lt", "50", [one]),
        (4102, "number", "notequal", "100", [one, bare]),
        (4105, "checkbox", "equal", "1", [one]),
        (4105, "checkbox", "equal", "0", [two, bare]),
        (4106, "list", "equal", "B", [two]),
        (4106, "list", "notequal", "B", [one, bare]),
        (4107, "record", "equal", "5", [one]),
        (4108, "contact", "equal", str(two), [one]),
        (4108, "contact", "notequal", str(two), [two, bare]),
        (4109, "employee", "equal", clerk, [one]),
        (4112, "employee", "equal", tenant.owner_id, [two]),
        (4112, "contact", "equal", one, [two]),
        (4113, "employees", "equal", clerk, [one]),
        (4113, "employees", "equal", tenant.owner_id, [one, two]),
        (4113, "employees", "notequal", clerk, [two, bare]),
        (4114, "records", "equal", "6;7", [one, two]),
        (4114, "records", "equal", "6", [two]),
        (4111, "value_set", "equal", "phone", [one]),
        (4111, "value_set", "equal", "fax;mail", [one, two]),
        (4111, "value_set", "notequal", "fax", [one, bare]),
    ]
    for kind, field, operator, value, expected in cases:
        assert listed(api, simple(kind, operator, value, fields[field])) == expected, (kind, operator, value)
    met = fields["date"]
    assert listed(api, dated(4103, "equal", "anotherdate", met, datefrom="05-03-2030")) == [one]
    assert listed(api, dated(4103, "gt", "anotherdate", met, datefrom="05-03-2030")) == [two]
    assert listed(api, dated(4103, "lt", "anotherdate", met, datefrom="05-03-2030")) == []


def test_custom_field_errors(api: Api, server: Server) -> None:
    note = make_field(server, api.tenant, "contact", "Note", "string")
    task_note = make_field(server, api.tenant, "task", "Task note", "string")
    other = provision(server, "other")
    their_note = make_field(server, other, "contact", "Their note", "string")
    assert code(api, simple(4101, "equal", "x")) == "0009"  # no field
    assert code(api, simple(4101, "equal", "x", task_note)) == "0015"  # not a contact field
    assert code(api, simple(4101, "equal", "x", their_note)) == "0015"  # another account's
    assert code(api, simple(4102, "equal", "1", note)) == "0015"  # a string field for a number filter
    assert code(api, simple(4101, "gt", "x", note)) == "0015"
    number = make_field(server, api.tenant, "contact", "Budget", "number")
    assert code(api, simple(4102, "equal", "lots", number)) == "0015"


# -- the request as a whole


def test_filters_are_combined_with_and(api: Api, server: Server) -> None:
    both = make_contact(server, api.tenant, "Ivan", post="Manager").id
    make_contact(server, api.tenant, "Ivan", post="Driver")
    make_contact(server, api.tenant, "Olga", post="Manager")
    assert listed(api, simple(4014, "equal", "ivan"), simple(4002, "equal", "manager")) == [both]
    blank = "<type></type><operator></operator><value></value><field></field>"
    assert listed(api, blank, simple(4014, "equal", "ivan"), simple(4002, "equal", "manager")) == [both]


def test_other_accounts_never_match(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_contact(server, other, "Ivan", is_company=True).id
    bulk(server, other, 1, client_id=theirs, status=ACTIVE)
    mine = make_contact(server, api.tenant, "Ivan").id
    assert listed(api, simple(4001, "equal", "ivan")) == [mine]
    assert listed(api, simple(4006, "equal", 1)) == []
    assert listed(api, simple(4203, "equal", 1)) == []
    assert listed(api, simple(4201, "equal", 1)) == [mine]


def test_unreadable_filters(api: Api, server: Server) -> None:
    make_contact(server, api.tenant, "Ivan")
    assert code(api, simple(9999, "equal", 1)) == "0015"
    assert code(api, simple(5001, "equal", "x")) == "0015"  # a project filter
    assert code(api, simple(4001, "like", "x")) == "0015"
    assert code(api, simple(12, "between", "x")) == "0015"
    assert code(api, "<operator>equal</operator><value>1</value>") == "0009"  # no type
    assert code(api, simple(4006, "", 1)) == "0009"  # no operator
    assert code(api, simple(1, "equal")) == "0009"  # no value
    assert code(api, simple(1, "equal", "boss")) == "0015"
    assert code(api, dated(12, "equal", "someday")) == "0015"
    assert code(api, dated(12, "equal", "anotherdate")) == "0009"  # no datefrom
    assert code(api, dated(12, "equal", "last")) == "0009"  # no datevalue
    assert code(api, dated(12, "equal", "anotherdate", datefrom="31-02-2030")) == "0015"
    assert code(api, "<type>abc</type><operator>equal</operator><value>1</value>") == "0015"

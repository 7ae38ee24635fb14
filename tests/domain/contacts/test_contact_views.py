"""``contact_views``, the rendering contact.get and contact.getList share: a fixed number of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from planfix_server.api.context import Call
from planfix_server.app import Server
from planfix_server.domain.contacts.views import contact_views
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store import accounts
from planfix_server.store.uow import AccountUnitOfWork
from tests.domain.contacts.helpers import link_company, make_contact, make_contact_group, make_responsible
from tests.domain.projects.helpers import make_field
from tests.domain.users.helpers import add_group as add_user_group
from tests.support import Tenant, add_user, now, provision


def _populated(server: Server, tenant: Tenant, count: int) -> list[int]:
    group = make_contact_group(server, tenant, "G")
    company = make_contact(server, tenant, "Co", is_company=True)
    manager, _ = add_user(server, tenant, f"manager{count}")
    sales = add_user_group(server, tenant, f"Sales{count}")
    ids = []
    for number in range(count):
        contact = make_contact(server, tenant, f"C{number}", group_id=group)
        link_company(server, tenant, contact.id, company.id)
        make_responsible(server, tenant, contact.id, "user", manager)
        make_responsible(server, tenant, contact.id, "group", sales)
        ids.append(contact.id)
    return ids


def _queries(server: Server, tenant: Tenant, ids: list[int], list_form: bool) -> tuple[int, list[Any]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    with server.engine.connect() as connection:
        uow = AccountUnitOfWork(connection, tenant.account_id)
        owner = uow.get(UserRepository).by_id(tenant.owner_id)
        account = accounts.find(connection, tenant.name)
        assert owner is not None and account is not None
        call = Call(account=account, user=owner, now=now(), request_id="t")
        event.listen(connection, "before_cursor_execute", count)
        views = contact_views(uow, call, ids, extra_fields=("lastUpdateDate",), list_form=list_form)
        event.remove(connection, "before_cursor_execute", count)
    return len(statements), views


def test_query_count_does_not_grow_with_the_page(server: Server) -> None:
    tenant = provision(server, "acme")
    make_field(server, tenant, "contact", "F", "string")
    few = _populated(server, tenant, 2)
    many = _populated(server, tenant, 15)
    for list_form in (False, True):
        small, _ = _queries(server, tenant, few, list_form)
        large, views = _queries(server, tenant, many, list_form)
        assert small == large, list_form
        assert [view.id for view in views] == many
        assert all(view.contractors[0].name == "Co" for view in views)
        assert all(len(view.custom_data) == 1 for view in views)
        if list_form:
            assert all(not view.responsible.users for view in views)
        else:
            assert all(view.responsible.groups[0].name.startswith("Sales") for view in views)


def test_order_unknown_and_foreign_ids(server: Server) -> None:
    tenant = provision(server, "acme")
    other = provision(server, "other")
    first = make_contact(server, tenant, "First")
    second = make_contact(server, tenant, "Second")
    theirs = make_contact(server, other, "Theirs")
    _, views = _queries(server, tenant, [second.id, 99999, theirs.id, first.id, second.id], False)
    assert [view.name for view in views] == ["Second", "First"]

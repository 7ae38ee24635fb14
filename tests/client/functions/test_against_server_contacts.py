"""The typed ``contact.*`` calls against this server's own functions (sync and async clients)."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import Filter, Phone
from planfix_server.client.functions.contacts import AccessResult, ContactUpdated
from planfix_server.domain.contacts.access import activate_access
from tests.client.functions.server import Run, Session
from tests.domain.contacts.helpers import make_contact, make_contact_group
from tests.domain.projects.helpers import make_field
from tests.domain.users.helpers import unit_of_work
from tests.support import Tenant, add_user, now, provision


def test_add_get_update(run: Run, server: Server, tenant: Tenant) -> None:
    group = make_contact_group(server, tenant, "Clients")
    tier = make_field(server, tenant, "contact", "Tier", "string")
    manager, _ = add_user(server, tenant, "manager")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        owner = session.tenant.owner_id
        created = await pf.contact.add(
            "Ivan",
            last_name="Petrov",
            mid_name="Ivanovich",
            post="Buyer",
            email="ivan@example.com",
            phones=[Phone("+7 900 000-00-00", 1), Phone("+7 901", type_name="Work")],
            secondary_emails=["i2@example.com"],
            birthdate=dt.date(1987, 3, 13),
            group_id=group,
            responsible=[owner, manager],
            custom={tier: "Gold"},
            sex="MALE",
            site="ivan.example.com",
            lang="En",
            can_be_worker=True,
        )
        sent = pf.sent().find("contact")
        assert sent is not None
        assert [
            (p.findtext("number"), p.findtext("typeId"), p.findtext("typeName"))
            for p in sent.iterfind("phones/phone")
        ] == [
            ("+7 900 000-00-00", "1", None),
            ("+7 901", None, "Work"),
        ]
        assert (sent.findtext("birthdate"), sent.findtext("canBeWorker"), sent.findtext("lang")) == (
            "13-03-1987",
            "1",
            "En",
        )
        assert created.id and created.userid and created.general and created.action_id

        card = await pf.contact.get(created.id, fields=["lastUpdateDate", "lastCommentDate"])
        assert [e.text for e in pf.sent().findall("fields/field")] == ["lastUpdateDate", "lastCommentDate"]
        assert (card.id, card.userid, card.general, card.template_id) == (
            created.id,
            created.userid,
            created.general,
            None,
        )
        assert (card.name, card.mid_name, card.last_name, card.post, card.is_company) == (
            "Ivan",
            "Ivanovich",
            "Petrov",
            "Buyer",
            False,
        )
        assert (card.email, card.secondary_emails) == ("ivan@example.com", ["i2@example.com"])
        assert card.phones == [Phone("+7 900 000-00-00", 1, "Mobile"), Phone("+7 901", 2, "Work")]
        assert (card.birthdate, card.sex, card.site) == (dt.date(1987, 3, 13), "MALE", "ivan.example.com")
        assert card.group is not None and (card.group.id, card.group.name) == (group, "Clients")
        assert (card.lang, card.can_be_worker, card.can_be_client) == ("En", True, False)
        assert {u.id for u in card.responsible.users} == {owner, manager}
        assert [(c.field_id, c.field_name, c.value) for c in card.custom_data] == [(tier, "Tier", "Gold")]
        assert card.have_planfix_access is False  # the owner is an administrator
        assert isinstance(card.last_update_date, dt.datetime) and card.last_comment_date is None
        assert (card.contractors, card.telegram_id, card.telegram_username) == ([], "", "")

        # The other two numbers find the same card (general wins).
        assert (await pf.contact.get(general=created.general)).id == created.id
        assert (await pf.contact.get(userid=created.userid)).id == created.id
        assert (pf.sent().findtext("contact/userid"), pf.sent().find("contact/id")) == (
            str(created.userid),
            None,
        )

        updated = await pf.contact.update(
            created.id,
            name="John",
            phones=[Phone("+44 20 0000", 2)],
            responsible=[],
            telegram_id=123456789,
            telegram_username="john",
        )
        assert updated == ContactUpdated(created.id, created.general, updated.action_id)
        assert updated.action_id is not None
        sent = pf.sent().find("contact")
        assert sent is not None and [e.text for e in sent.findall("responsible/users/id")] == ["0"]
        card = await pf.contact.get(created.id)
        assert (card.name, card.last_name) == ("John", "Petrov")
        assert card.phones == [Phone("+44 20 0000", 2, "Work")]
        assert card.responsible.users == []
        assert (card.telegram_id, card.telegram_username) == ("123456789", "john")

        silent = await pf.contact.update(general=created.general, silent=True, post="Chief")
        assert pf.sent().findtext("silent") == "1"
        assert silent.id == created.id and silent.action_id is None
        assert (await pf.contact.get(created.id)).post == "Chief"

        custom = await pf.contact.update_custom_data(created.id, custom={tier: "Silver"})
        assert (custom.id, pf.sent().findtext("contact/customData/customValue/value")) == (
            created.id,
            "Silver",
        )
        assert [c.value for c in (await pf.contact.get(created.id)).custom_data] == ["Silver"]

        assert await pf.contact.delete(created.id) == created.id
        with pytest.raises(errors.ContactNotFound) as caught:
            await pf.contact.get(created.id)
        assert (caught.value.code, caught.value.function) == ("8002", "contact.get")

    run(scenario)


def test_companies_and_contractors(run: Run) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        acme = await pf.contact.add("Acme", is_company=True)
        globex = await pf.contact.add("Globex", is_company=True)
        ivan = await pf.contact.add("Ivan")

        assert await pf.contact.update_contractors(ivan.id, add=[acme.id, globex.id]) == ivan.id
        sent = pf.sent().find("contact/contractors")
        assert sent is not None and [e.text for e in sent.findall("addClient/id")] == [
            str(acme.id),
            str(globex.id),
        ]
        card = await pf.contact.get(ivan.id)
        assert {(c.id, c.name) for c in card.contractors} == {(acme.id, "Acme"), (globex.id, "Globex")}

        await pf.contact.update_contractors(ivan.id, remove=[globex.id])
        assert pf.sent().find("contact/contractors/addClient") is None
        assert [c.id for c in (await pf.contact.get(ivan.id)).contractors] == [acme.id]
        with pytest.raises(ValueError, match="add or remove"):
            await pf.contact.update_contractors(ivan.id)

        companies = await pf.contact.iterate(target="company")
        assert {c.id for c in companies} == {acme.id, globex.id} and all(c.is_company for c in companies)
        of_acme = await pf.contact.iterate(company=acme.id)
        assert pf.sent().findtext("company") == str(acme.id)
        assert [c.id for c in of_acme] == [ivan.id] and [r.id for r in of_acme[0].contractors] == [acme.id]

    run(scenario)


def test_list_pages_filters_and_catalogs(run: Run) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        made = [
            await pf.contact.add(f"Person {n}", email=f"p{n}@example.com", phones=[Phone(f"+7 900 11{n}")])
            for n in range(5)
        ]
        walked = await pf.contact.iterate(page_size=2)
        assert sorted(c.id for c in walked) == sorted(c.id for c in made)
        assert [p.findtext("pageCurrent") for p in pf.sent_all("contact.getList")] == ["1", "2", "3"]

        page = await pf.contact.get_list(page=3, page_size=2, fields=["lastUpdateDate"])
        assert (page.count, page.total, len(page.items)) == (1, 5, 1)
        assert isinstance(page.items[0].last_update_date, dt.datetime)

        by_phone = await pf.contact.get_list(filters=[Filter(4003, "equal", "900 113")])
        sent = pf.sent().find("filters/filter")
        assert sent is not None and (sent.findtext("type"), sent.findtext("operator")) == ("4003", "equal")
        assert [c.id for c in by_phone] == [made[3].id]
        assert [c.phones[0].number for c in by_phone] == ["+7 900 113"]
        found = await pf.contact.iterate(search="p2@example")
        assert [c.id for c in found] == [made[2].id]

        types = await pf.contact.get_phone_types()
        assert types and all(t.id and t.name for t in types)
        assert await pf.contact.get_group_list() == []
        filters = await pf.contact.get_filter_list()
        companies = next(f.id for f in filters if f.name == "Companies")
        acme = await pf.contact.add("Acme", is_company=True)
        assert [c.id for c in await pf.contact.iterate(target=companies)] == [acme.id]

    run(scenario)


def test_planfix_access(run: Run, server: Server, tenant: Tenant) -> None:
    _, user_token = add_user(server, tenant, "clerk")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        clerk = await session.client(token=user_token)
        ivan = await pf.contact.add("Ivan", email="ivan@example.com")

        invited = await pf.contact.manage_planfix_access(ivan.id, grant=True, email="login@example.com")
        sent = pf.sent().find("contact")
        assert sent is not None
        assert [child.tag for child in sent] == ["id", "email", "havePlanfixAccess"]
        assert invited == AccessResult(ivan.id, "NOTICE_SEND")
        assert (
            await pf.contact.manage_planfix_access(general=ivan.general, grant=True)
        ).status == "NOTICE_RESEND"
        card = await pf.contact.get(ivan.id)
        assert card.user is not None and card.user.login == "login@example.com"

        with pytest.raises(errors.ContactPasswordNotActivated):
            await pf.contact.update_user_info(ivan.id, password="secret-1")
        with unit_of_work(server, session.tenant) as uow:
            activate_access(uow, now(), ivan.id, None)
        assert await pf.contact.update_user_info(userid=ivan.userid, status="UNACTIVE") == ivan.id
        assert pf.sent().findtext("contact/user/status") == "UNACTIVE"
        card = await pf.contact.get(ivan.id)
        assert (card.have_planfix_access, card.user is not None and card.user.status) == (False, "UNACTIVE")
        assert (await pf.contact.manage_planfix_access(ivan.id, grant=True)).status == "ACTIVE"
        assert (await pf.contact.get(ivan.id)).have_planfix_access is True
        assert (await pf.contact.manage_planfix_access(ivan.id, grant=False)).status == "UNACTIVE"
        assert pf.sent().findtext("contact/havePlanfixAccess") == "0"

        with pytest.raises(errors.ContactAccessDenied):
            await clerk.contact.manage_planfix_access(ivan.id, grant=True)
        assert (await clerk.contact.get(ivan.id)).have_planfix_access is None  # for administrators only

    run(scenario)


def test_errors_and_other_accounts(run: Run, server: Server) -> None:
    other = provision(server, "other")
    stranger = make_contact(server, other, "Stranger")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        with pytest.raises(errors.ContactNotFound):
            await pf.contact.get(stranger.id)
        with pytest.raises(errors.ContactNotFound):
            await pf.contact.get(general=stranger.general)
        with pytest.raises(errors.ContactNotFound):
            await pf.contact.update(stranger.id, name="Mine")
        with pytest.raises(errors.ContactNotFound):
            await pf.contact.manage_planfix_access(stranger.id, grant=True)
        with pytest.raises(errors.ContactNotFound):
            await pf.contact.delete(stranger.id)
        assert await pf.contact.iterate() == []
        ivan = await pf.contact.add("Ivan", email="same@example.com")
        with pytest.raises(errors.ContactLoginNotUnique):
            await pf.contact.add("Twin", email="same@example.com")
        with pytest.raises(errors.InvalidParameterValue):
            await pf.contact.update(ivan.id, sex="OTHER")
        with pytest.raises(ValueError, match="needs id"):
            await pf.contact.delete()

    run(scenario)

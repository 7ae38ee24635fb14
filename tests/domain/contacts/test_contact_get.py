from __future__ import annotations

import base64

import pytest

from planfix_server.app import Server
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.users.repository import UserRepository
from tests.domain.contacts.helpers import (
    add_contact,
    get_contact,
    link_company,
    make_contact,
    make_contact_group,
    texts,
)
from tests.domain.users.helpers import PNG, unit_of_work
from tests.support import Api, add_user, now, provision

CARD_ORDER = [
    "id", "userid", "general", "template", "name", "midName", "lastName", "isCompany", "post", "email",
    "secondaryEmails", "phones", "address", "description", "sex", "site", "skype", "facebook", "vk", "icq",
    "userPic", "birthdate", "group", "contractors", "havePlanfixAccess", "user", "customData",
    "responsible", "lang", "canBeWorker", "canBeClient",
]  # fmt: skip


def test_card_elements_in_documented_order_for_an_administrator(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan", last_name="Petrov")
    card = get_contact(api, contact.id)
    assert [child.tag for child in card.root.find("contact")] == CARD_ORDER  # type: ignore[union-attr]
    assert card.text("contact/havePlanfixAccess") == "0"
    assert [child.tag for child in card.root.find("contact/user")] == ["login", "role", "status", "email"]  # type: ignore[union-attr]
    assert card.text("contact/user/login") == ""  # no placeholder leaks
    assert card.text("contact/user/role") == "USER"
    assert card.text("contact/user/status") == "UNACTIVE"


def test_employees_do_not_see_access_data(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    _, token = add_user(server, api.tenant, "plain")
    card = get_contact(api.as_user(token), contact.id)
    assert card.root.find("contact/havePlanfixAccess") is None
    assert card.root.find("contact/user") is None
    assert card.text("contact/name") == "Ivan"


def test_precedence_general_then_userid_then_id(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    third = make_contact(server, api.tenant, "Third")
    cases = {
        f"<id>{first.id}</id><userid>{second.user_id}</userid><general>{third.general}</general>": "Third",
        f"<id>{first.id}</id><userid>{second.user_id}</userid>": "Second",
        f"<id>{first.id}</id><general>0</general><userid></userid>": "First",
        f"<general>{second.general}</general>": "Second",
    }
    for inner, name in cases.items():
        reply = api.call("contact.get", f"<contact>{inner}</contact>")
        assert reply.text("contact/name") == name, inner


def test_unknown_and_foreign_contacts_are_8002(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_contact(server, other, "Theirs")
    make_contact(server, api.tenant, "Ours")  # general 1 here too: general is per account
    for inner in (f"<id>{theirs.id}</id>", f"<userid>{theirs.user_id}</userid>", "<id>99999</id>"):
        assert api.call("contact.get", f"<contact>{inner}</contact>").code == "8002", inner


@pytest.mark.parametrize("inner", ["", "<contact/>", "<contact><id>0</id><general></general></contact>"])
def test_no_number_is_0009(api: Api, inner: str) -> None:
    assert api.call("contact.get", inner).code == "0009"


def test_bad_number_is_0015(api: Api) -> None:
    assert api.call("contact.get", "<contact><id>abc</id></contact>").code == "0015"


def test_extra_fields(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    plain = get_contact(api, contact.id)
    assert plain.root.find("contact/lastUpdateDate") is None
    assert plain.root.find("contact/lastCommentDate") is None
    card = get_contact(
        api,
        contact.id,
        "<fields><field>lastUpdateDate</field><field>lastCommentDate</field><field>unknown</field></fields>",
    )
    tags = [child.tag for child in card.root.find("contact")]  # type: ignore[union-attr]
    assert tags[-2:] == ["lastUpdateDate", "lastCommentDate"]
    assert len(card.text("contact/lastUpdateDate")) == len("dd-mm-yyyy HH:MM")
    assert card.text("contact/lastCommentDate") == ""


def test_group_contractors_and_telegram(api: Api, server: Server) -> None:
    group = make_contact_group(server, api.tenant, "VIP")
    company = make_contact(server, api.tenant, "ACME Ltd", is_company=True)
    person = make_contact(
        server, api.tenant, "Ivan", group_id=group, telegram_id=123456789, telegram_username="ivan_tg"
    )
    link_company(server, api.tenant, person.id, company.id)
    card = get_contact(api, person.id)
    assert card.text("contact/group/name") == "VIP"
    assert texts(card, "contact/contractors/client/id") == [str(company.id)]
    assert texts(card, "contact/contractors/client/name") == ["ACME Ltd"]
    assert card.text("contact/telegram/id") == "123456789"
    assert card.text("contact/telegram/username") == "ivan_tg"


def test_template_number_and_userpic(api: Api, server: Server, client: object) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    person = make_contact(server, api.tenant, "Ivan", template_id=template.id)
    with unit_of_work(server, api.tenant) as uow:
        repo = uow.get(UserRepository)
        repo.set_picture(person.user_id, "image/png", PNG)
        repo.update_user(person.user_id, userpic_version="v1")
    card = get_contact(api, person.id)
    assert card.text("contact/template/id") == str(template.general)
    url = card.text("contact/userPic")
    assert f"id={person.user_id}" in url and "h=v1" in url
    picture = api.client.get(url.replace("https://testserver", ""))
    assert picture.status_code == 200 and picture.content == PNG
    assert base64.b64encode(picture.content)


def test_templates_can_be_read(api: Api, server: Server) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    assert get_contact(api, template.id).text("contact/name") == "Template"


def _contact_token(server: Server, api: Api, user_id: int) -> str:
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).update_user(user_id, status="ACTIVE")
        return issue_token(uow, now(), user_id)


def test_a_signed_in_contact_reads_itself_and_its_companies_only(api: Api, server: Server) -> None:
    company = make_contact(server, api.tenant, "ACME Ltd", is_company=True)
    me = make_contact(server, api.tenant, "Me")
    stranger = make_contact(server, api.tenant, "Stranger")
    link_company(server, api.tenant, me.id, company.id)
    as_contact = api.as_user(_contact_token(server, api, me.user_id))
    assert get_contact(as_contact, me.id).text("contact/name") == "Me"
    assert get_contact(as_contact, company.id).text("contact/name") == "ACME Ltd"
    assert as_contact.call("contact.get", f"<contact><id>{stranger.id}</id></contact>").code == "8001"


def test_added_contact_reads_back(api: Api) -> None:
    reply = add_contact(api, "<name>Round</name><lastName>Trip</lastName>")
    card = get_contact(api, int(reply.text("contact/id")))
    assert card.text("contact/general") == reply.text("contact/general")
    assert card.text("contact/lastName") == "Trip"

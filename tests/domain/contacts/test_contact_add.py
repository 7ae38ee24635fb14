from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.contacts.helpers import (
    add_contact,
    contact_actions,
    contact_count,
    get_contact,
    make_contact,
    make_contact_group,
    texts,
)
from tests.domain.projects.helpers import custom, make_field
from tests.domain.users.helpers import add_group as add_user_group
from tests.support import Api, add_user


def test_adds_a_contact_with_every_documented_field(api: Api, server: Server) -> None:
    group = make_contact_group(server, api.tenant, "Clients")
    manager, _ = add_user(server, api.tenant, "manager", name="Mary", last_name="Manager")
    sales = add_user_group(server, api.tenant, "Sales")
    field = make_field(server, api.tenant, "contact", "Source", "string")
    reply = api.call(
        "contact.add",
        "<contact><name>Ivan</name><midName>Ivanovich</midName><lastName>Petrov</lastName>"
        "<post>Manager</post><email>Ivan@Example.com</email>"
        "<phones><phone><number>+7 900 000-00-00</number><typeId>1</typeId><typeName>Mobile</typeName>"
        "</phone><phone><number>123</number><typeId>2</typeId></phone></phones>"
        "<secondaryEmails><email>ivan2@example.com</email><email>ivan3@example.com</email></secondaryEmails>"
        "<address>Main st. 1</address><description>A &lt;good&gt; client</description><sex>MALE</sex>"
        "<site>https://ivan.example</site><skype>ivan.skype</skype><facebook>fb.ivan</facebook>"
        "<vk>vk.ivan</vk><icq>12345</icq><birthdate>13-03-1987</birthdate><lang>Ru</lang>"
        "<isCompany>0</isCompany><canBeWorker>1</canBeWorker><canBeClient>1</canBeClient>"
        f"<group><id>{group}</id></group>"
        f"<customData><customValue><id>{field}</id><value>Fair</value></customValue></customData>"
        f"<responsible><users><id>{manager}</id></users><groups><id>{sales}</id></groups></responsible>"
        "</contact>",
    )
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["contact", "actionid"]
    assert [child.tag for child in reply.root.find("contact")] == ["id", "userid", "general"]  # type: ignore[union-attr]
    contact_id = int(reply.text("contact/id"))
    assert int(reply.text("contact/userid")) > 0
    assert reply.text("contact/general") == "1"
    card = get_contact(api, contact_id)
    assert card.text("contact/userid") == reply.text("contact/userid")
    expected = {
        "name": "Ivan",
        "midName": "Ivanovich",
        "lastName": "Petrov",
        "isCompany": "0",
        "post": "Manager",
        "email": "Ivan@Example.com",
        "address": "Main st. 1",
        "description": "A <good> client",
        "sex": "MALE",
        "site": "https://ivan.example",
        "skype": "ivan.skype",
        "facebook": "fb.ivan",
        "vk": "vk.ivan",
        "icq": "12345",
        "birthdate": "13-03-1987",
        "lang": "Ru",
        "canBeWorker": "1",
        "canBeClient": "1",
        "group/id": str(group),
        "group/name": "Clients",
        "template/id": "0",
    }
    for path, value in expected.items():
        assert card.text(f"contact/{path}") == value, path
    assert texts(card, "contact/phones/phone/number") == ["+7 900 000-00-00", "123"]
    assert texts(card, "contact/phones/phone/typeId") == ["1", "2"]
    assert texts(card, "contact/phones/phone/typeName") == ["Mobile", "Work"]
    assert texts(card, "contact/secondaryEmails/email") == ["ivan2@example.com", "ivan3@example.com"]
    assert custom(card, "contact") == {"Source": ("Fair", "Fair")}
    assert texts(card, "contact/responsible/users/user/id") == [str(manager)]
    assert texts(card, "contact/responsible/users/user/name") == ["Mary Manager"]
    assert texts(card, "contact/responsible/groups/group/id") == [str(sales)]
    assert texts(card, "contact/responsible/groups/group/name") == ["Sales"]


def test_answers_the_created_action(api: Api, server: Server) -> None:
    reply = add_contact(api, "<name>Ivan</name>")
    contact_id = int(reply.text("contact/id"))
    history = contact_actions(server, contact_id)
    assert [(one[0], one[1], one[3]) for one in history] == [
        (int(reply.text("actionid")), "ACTION", api.tenant.owner_id)
    ]
    assert "created" in history[0][2]


def test_silent_writes_no_action_and_answers_0(api: Api, server: Server) -> None:
    reply = api.post(
        f'<request method="contact.add"><account>{api.tenant.name}</account><silent>1</silent>'
        "<contact><name>Quiet</name></contact></request>".encode()
    )
    assert reply.ok, reply.raw
    assert reply.text("actionid") == "0"
    assert contact_actions(server, int(reply.text("contact/id"))) == []


def test_a_company(api: Api) -> None:
    reply = add_contact(api, "<name>ACME Ltd</name><isCompany>1</isCompany>")
    card = get_contact(api, int(reply.text("contact/id")))
    assert card.text("contact/isCompany") == "1"
    assert card.text("contact/name") == "ACME Ltd"


def test_defaults(api: Api) -> None:
    card = get_contact(api, int(add_contact(api, "<name>Plain</name>").text("contact/id")))
    for path, value in {
        "isCompany": "0",
        "canBeWorker": "0",
        "canBeClient": "0",
        "email": "",
        "sex": "",
        "birthdate": "",
        "group/id": "0",
        "userPic": "",
    }.items():
        assert card.text(f"contact/{path}") == value, path
    assert card.root.find("contact/phones") is not None and len(card.root.find("contact/phones")) == 0  # type: ignore[arg-type]
    assert card.root.find("contact/telegram") is None


def test_numbers_are_sequential_and_userids_distinct(api: Api) -> None:
    first = add_contact(api, "<name>One</name>")
    second = add_contact(api, "<name>Two</name>")
    assert int(second.text("contact/general")) == int(first.text("contact/general")) + 1
    assert first.text("contact/userid") != second.text("contact/userid")


def test_legacy_fields(api: Api) -> None:
    reply = add_contact(
        api,
        "<name>Old</name><mobilePhone>111</mobilePhone><workPhone>222</workPhone><homePhone>333</homePhone>"
        "<birthday>01-02-1970</birthday>",
    )
    card = get_contact(api, int(reply.text("contact/id")))
    assert texts(card, "contact/phones/phone/number") == ["111", "222", "333"]
    assert texts(card, "contact/phones/phone/typeName") == ["Mobile", "Work", "Home"]
    assert card.text("contact/birthdate") == "01-02-1970"


def test_phone_type_by_name_or_default(api: Api) -> None:
    reply = add_contact(
        api,
        "<name>P</name><phones><phone><number>1</number><typeName>fax</typeName></phone>"
        "<phone><number>2</number><typeName>Рабочий</typeName></phone><phone><number>3</number></phone>"
        "<phone><number></number><typeId></typeId></phone></phones>",
    )
    card = get_contact(api, int(reply.text("contact/id")))
    assert texts(card, "contact/phones/phone/typeId") == ["4", "2", "1"]


@pytest.mark.parametrize(
    "email", ["no-at-sign", "two@@example.com", "space in@example.com", "nodot@localhost", "a@b."]
)
def test_invalid_email_is_8010(api: Api, server: Server, email: str) -> None:
    reply = api.call("contact.add", f"<contact><name>X</name><email>{email}</email></contact>")
    assert reply.code == "8010"
    assert contact_count(server) == 0


def test_invalid_secondary_email_is_8010(api: Api, server: Server) -> None:
    reply = api.call(
        "contact.add",
        "<contact><name>X</name><secondaryEmails><email>nope</email></secondaryEmails></contact>",
    )
    assert reply.code == "8010"
    assert contact_count(server) == 0


def test_duplicate_email_is_8007_case_insensitively(api: Api, server: Server) -> None:
    add_contact(api, "<name>First</name><email>same@example.com</email>")
    reply = api.call("contact.add", "<contact><name>Second</name><email> SAME@example.COM </email></contact>")
    assert reply.code == "8007"
    assert contact_count(server) == 1


def test_an_email_of_another_account_is_free(api: Api, server: Server) -> None:
    from tests.support import provision

    other = provision(server, "other")
    make_contact(server, other, "Theirs", email="shared@example.com")
    add_contact(api, "<name>Ours</name><email>shared@example.com</email>")


@pytest.mark.parametrize(
    "inner", ["", "<contact/>", "<contact><name></name></contact>", "<contact><name>  </name></contact>"]
)
def test_missing_name_is_0009(api: Api, server: Server, inner: str) -> None:
    assert api.call("contact.add", inner).code == "0009"
    assert contact_count(server) == 0


@pytest.mark.parametrize(
    "inner",
    [
        "<sex>OTHER</sex>",
        "<lang>De</lang>",
        "<birthdate>31-02-2000</birthdate>",
        "<isCompany>maybe</isCompany>",
        "<group><id>999</id></group>",
        "<responsible><users><id>999</id></users></responsible>",
        "<responsible><groups><id>999</id></groups></responsible>",
        "<phones><phone><number>1</number><typeId>99</typeId></phone></phones>",
        "<template>999</template>",
        "<customData><customValue><id>999</id><value>x</value></customValue></customData>",
        f"<name>{'n' * 201}</name>",
    ],
)
def test_invalid_values_are_0015(api: Api, server: Server, inner: str) -> None:
    name = "" if "<name>" in inner else "<name>X</name>"
    reply = api.call("contact.add", f"<contact>{name}{inner}</contact>")
    assert reply.code == "0015", reply.raw
    assert contact_count(server) == 0


def test_phone_without_number_is_0009(api: Api, server: Server) -> None:
    reply = api.call(
        "contact.add", "<contact><name>X</name><phones><phone><typeId>1</typeId></phone></phones></contact>"
    )
    assert reply.code == "0009"
    assert contact_count(server) == 0


def test_a_contact_as_responsible_is_0015(api: Api, server: Server) -> None:
    other = make_contact(server, api.tenant, "Not an employee")
    reply = api.call(
        "contact.add",
        f"<contact><name>X</name><responsible><users><id>{other.user_id}</id></users></responsible></contact>",
    )
    assert reply.code == "0015"


def test_foreign_group_responsible_and_template_are_0015(api: Api, server: Server) -> None:
    from tests.support import provision

    other = provision(server, "other")
    group = make_contact_group(server, other, "Theirs")
    their_user, _ = add_user(server, other, "theirs")
    their_group = add_user_group(server, other, "Their group")
    template = make_contact(server, other, "Their template", is_template=True)
    for inner in (
        f"<group><id>{group}</id></group>",
        f"<responsible><users><id>{their_user}</id></users></responsible>",
        f"<responsible><groups><id>{their_group}</id></groups></responsible>",
        f"<template>{template.general}</template>",
    ):
        assert api.call("contact.add", f"<contact><name>X</name>{inner}</contact>").code == "0015", inner
    assert contact_count(server) == 1  # only the other account's template


def test_template_passes_on_its_properties_and_custom_values(api: Api, server: Server) -> None:
    group = make_contact_group(server, api.tenant, "Partners")
    manager, _ = add_user(server, api.tenant, "manager")
    source = make_field(server, api.tenant, "contact", "Source", "string")
    region = make_field(server, api.tenant, "contact", "Region", "string")
    template = add_contact(
        api,
        f"<name>Partner template</name><group><id>{group}</id></group><canBeClient>1</canBeClient>"
        f"<isCompany>1</isCompany><responsible><users><id>{manager}</id></users></responsible>"
        f"<customData><customValue><id>{source}</id><value>Fair</value></customValue>"
        f"<customValue><id>{region}</id><value>North</value></customValue></customData>",
    )
    template_id = int(template.text("contact/id"))
    with server.engine.begin() as connection:
        from sqlalchemy import update

        from planfix_server.store.tables import contacts

        connection.execute(update(contacts).where(contacts.c.id == template_id).values(is_template=True))
    general = template.text("contact/general")
    reply = add_contact(
        api,
        f"<template>{general}</template><name>Partner</name><email>p@example.com</email>"
        f"<customData><customValue><id>{region}</id><value>South</value></customValue></customData>",
    )
    card = get_contact(api, int(reply.text("contact/id")))
    assert card.text("contact/template/id") == general
    assert card.text("contact/group/id") == str(group)
    assert card.text("contact/canBeClient") == "1"
    assert card.text("contact/isCompany") == "1"
    assert card.text("contact/email") == "p@example.com"
    assert texts(card, "contact/responsible/users/user/id") == [str(manager)]
    assert custom(card, "contact") == {"Source": ("Fair", "Fair"), "Region": ("South", "South")}


def test_a_contact_template_of_a_plain_contact_is_0015(api: Api, server: Server) -> None:
    plain = make_contact(server, api.tenant, "Not a template")
    reply = api.call("contact.add", f"<contact><name>X</name><template>{plain.general}</template></contact>")
    assert reply.code == "0015"


def test_every_employee_may_add(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "plain")
    add_contact(api.as_user(token), "<name>By a plain user</name>")


def test_a_signed_in_contact_gets_8001(api: Api, server: Server) -> None:
    from planfix_server.domain.access.service import issue_token
    from tests.domain.users.helpers import unit_of_work
    from tests.support import now

    contact = make_contact(server, api.tenant, "Signed in")
    with unit_of_work(server, api.tenant) as uow:
        from planfix_server.domain.users.repository import UserRepository

        uow.get(UserRepository).update_user(contact.user_id, status="ACTIVE")
        token = issue_token(uow, now(), contact.user_id)
    reply = api.as_user(token).call("contact.add", "<contact><name>X</name></contact>")
    assert reply.code == "8001", reply.raw
    assert contact_count(server) == 1

from __future__ import annotations

import pytest
from sqlalchemy import select

from planfix_server.app import Server
from planfix_server.store.tables import users
from tests.domain.contacts.helpers import (
    add_contact,
    contact_actions,
    get_contact,
    make_contact,
    make_contact_group,
    make_responsible,
    texts,
)
from tests.domain.projects.helpers import custom, make_field
from tests.domain.users.helpers import add_group as add_user_group
from tests.support import Api, add_user, provision

FULL = (
    "<name>Ivan</name><midName>I.</midName><lastName>Petrov</lastName><post>Boss</post>"
    "<email>ivan@example.com</email><address>Street</address><description>Notes</description>"
    "<sex>MALE</sex><site>s</site><skype>sk</skype><facebook>fb</facebook><vk>vk</vk><icq>1</icq>"
    "<birthdate>01-01-1980</birthdate><lang>En</lang><canBeWorker>1</canBeWorker><canBeClient>1</canBeClient>"
    "<phones><phone><number>111</number><typeId>1</typeId></phone>"
    "<phone><number>222</number><typeId>2</typeId></phone></phones>"
    "<secondaryEmails><email>x@example.com</email></secondaryEmails>"
)


def added(api: Api, inner: str = FULL) -> int:
    return int(add_contact(api, inner).text("contact/id"))


def update(api: Api, inner: str, **kw: str) -> str:
    reply = api.call("contact.update", f"<contact>{inner}</contact>", **kw)
    assert reply.ok, reply.raw
    return reply.text("actionid")


def test_changes_the_given_fields_and_keeps_the_rest(api: Api, server: Server) -> None:
    contact_id = added(api)
    before = get_contact(api, contact_id)
    reply = api.call(
        "contact.update",
        f"<contact><id>{contact_id}</id><name>Ivan2</name><post>Chief</post><sex>FEMALE</sex>"
        "<birthdate>02-02-1982</birthdate><lang>Ru</lang><canBeWorker>0</canBeWorker>"
        "<telegram><id>42</id><username>tg_ivan</username></telegram></contact>",
    )
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["contact", "actionid"]
    assert [child.tag for child in reply.root.find("contact")] == ["id", "general"]  # type: ignore[union-attr]
    assert reply.text("contact/general") == before.text("contact/general")
    after = get_contact(api, contact_id)
    changed = {
        "name": "Ivan2",
        "post": "Chief",
        "sex": "FEMALE",
        "birthdate": "02-02-1982",
        "lang": "Ru",
        "canBeWorker": "0",
        "telegram/id": "42",
        "telegram/username": "tg_ivan",
    }
    for path, value in changed.items():
        assert after.text(f"contact/{path}") == value, path
    for path in ("midName", "lastName", "email", "address", "description", "site", "skype", "facebook",
                 "vk", "icq", "canBeClient"):  # fmt: skip
        assert after.text(f"contact/{path}") == before.text(f"contact/{path}"), path
    assert texts(after, "contact/phones/phone/number") == ["111", "222"]
    assert texts(after, "contact/secondaryEmails/email") == ["x@example.com"]


def test_names_follow_into_the_users_row(api: Api, server: Server) -> None:
    reply = add_contact(api, "<name>Old</name><lastName>Name</lastName>")
    update(api, f"<id>{reply.text('contact/id')}</id><name>New</name><midName>M</midName>")
    with server.engine.connect() as connection:
        row = connection.execute(
            select(users.c.name, users.c.mid_name, users.c.last_name).where(
                users.c.id == int(reply.text("contact/userid"))
            )
        ).one()
    assert tuple(row) == ("New", "M", "Name")


def test_lists_replace_when_given(api: Api, server: Server) -> None:
    manager, _ = add_user(server, api.tenant, "manager")
    other, _ = add_user(server, api.tenant, "other")
    contact_id = added(api, FULL + f"<responsible><users><id>{manager}</id></users></responsible>")
    update(
        api,
        f"<id>{contact_id}</id><phones><phone><number>333</number><typeId>3</typeId></phone></phones>"
        "<secondaryEmails><email>y@example.com</email><email>z@example.com</email></secondaryEmails>"
        f"<responsible><users><id>{other}</id></users></responsible>",
    )
    card = get_contact(api, contact_id)
    assert texts(card, "contact/phones/phone/number") == ["333"]
    assert texts(card, "contact/secondaryEmails/email") == ["y@example.com", "z@example.com"]
    assert texts(card, "contact/responsible/users/user/id") == [str(other)]
    update(
        api,
        f"<id>{contact_id}</id><phones/><secondaryEmails/><responsible><users><id>0</id></users></responsible>",
    )
    card = get_contact(api, contact_id)
    assert texts(card, "contact/phones/phone/number") == []
    assert texts(card, "contact/secondaryEmails/email") == []
    assert texts(card, "contact/responsible/users/user/id") == []


def test_legacy_phone_replaces_its_type_only(api: Api) -> None:
    contact_id = added(api)
    update(api, f"<id>{contact_id}</id><workPhone>999</workPhone>")
    card = get_contact(api, contact_id)
    assert texts(card, "contact/phones/phone/number") == ["111", "999"]


def test_is_company_cannot_change(api: Api) -> None:
    contact_id = added(api, "<name>Person</name>")
    update(api, f"<id>{contact_id}</id><isCompany>1</isCompany>")
    assert get_contact(api, contact_id).text("contact/isCompany") == "0"


def test_precedence_id_then_userid_then_general(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    third = make_contact(server, api.tenant, "Third")
    update(
        api,
        f"<id>{first.id}</id><userid>{second.user_id}</userid><general>{third.general}</general><post>A</post>",
    )
    update(api, f"<userid>{second.user_id}</userid><general>{third.general}</general><post>B</post>")
    update(api, f"<general>{third.general}</general><post>C</post>")
    assert [get_contact(api, one.id).text("contact/post") for one in (first, second, third)] == [
        "A",
        "B",
        "C",
    ]


def test_history_action_and_silent(api: Api, server: Server) -> None:
    contact_id = added(api)
    action_id = update(api, f"<id>{contact_id}</id><name>Changed</name>")
    history = contact_actions(server, contact_id)
    assert history[-1][0] == int(action_id)
    assert history[-1][1] == "ACTION" and "name" in history[-1][2]
    count = len(history)
    reply = api.post(
        f'<request method="contact.update"><account>{api.tenant.name}</account><silent>1</silent>'
        f"<contact><id>{contact_id}</id><name>Quiet</name></contact></request>".encode()
    )
    assert reply.ok and reply.text("actionid") == "0"
    assert len(contact_actions(server, contact_id)) == count
    assert get_contact(api, contact_id).text("contact/name") == "Quiet"


def test_email_rules(api: Api, server: Server) -> None:
    taken = added(api, "<name>A</name><email>taken@example.com</email>")
    contact_id = added(api, "<name>B</name><email>b@example.com</email>")
    assert (
        api.call(
            "contact.update", f"<contact><id>{contact_id}</id><email>TAKEN@example.com</email></contact>"
        ).code
        == "8007"
    )
    assert (
        api.call("contact.update", f"<contact><id>{contact_id}</id><email>bad</email></contact>").code
        == "8010"
    )
    update(api, f"<id>{contact_id}</id><email>B@EXAMPLE.com</email>")  # its own address, other case
    update(api, f"<id>{taken}</id><email>taken@example.com</email>")
    assert get_contact(api, contact_id).text("contact/email") == "B@EXAMPLE.com"


def test_custom_data_changes_only_listed_fields(api: Api, server: Server) -> None:
    one = make_field(server, api.tenant, "contact", "One", "string")
    two = make_field(server, api.tenant, "contact", "Two", "number")
    contact_id = added(
        api,
        f"<name>C</name><customData><customValue><id>{one}</id><value>a</value></customValue>"
        f"<customValue><id>{two}</id><value>5</value></customValue></customData>",
    )
    update(
        api,
        f"<id>{contact_id}</id><customData><customValue><id>{two}</id><value>7</value></customValue></customData>",
    )
    assert custom(get_contact(api, contact_id), "contact") == {"One": ("a", "a"), "Two": ("7", "7")}


@pytest.mark.parametrize(
    "inner",
    [
        "<sex>X</sex>",
        "<group><id>999</id></group>",
        "<template>999</template>",
        "<responsible><groups><id>999</id></groups></responsible>",
        "<telegram><id>abc</id></telegram>",
        "<customData><customValue><id>999</id><value>1</value></customValue></customData>",
    ],
)
def test_invalid_values_are_0015_and_change_nothing(api: Api, server: Server, inner: str) -> None:
    contact_id = added(api)
    before = get_contact(api, contact_id).raw
    reply = api.call("contact.update", f"<contact><id>{contact_id}</id><name>Changed</name>{inner}</contact>")
    assert reply.code == "0015", reply.raw
    assert get_contact(api, contact_id).raw == before


def test_group_and_template_change(api: Api, server: Server) -> None:
    group = make_contact_group(server, api.tenant, "G")
    template = make_contact(server, api.tenant, "T", is_template=True)
    contact_id = added(api)
    update(
        api, f"<id>{contact_id}</id><group><id>{group}</id></group><template>{template.general}</template>"
    )
    card = get_contact(api, contact_id)
    assert card.text("contact/group/id") == str(group)
    assert card.text("contact/template/id") == str(template.general)


def test_missing_number_is_0009_unknown_and_foreign_8002(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_contact(server, other, "Theirs")
    assert api.call("contact.update", "<contact><name>X</name></contact>").code == "0009"
    assert api.call("contact.update", "<contact><id>99999</id><name>X</name></contact>").code == "8002"
    assert api.call("contact.update", f"<contact><id>{theirs.id}</id><name>X</name></contact>").code == "8002"
    assert (
        api.call("contact.update", f"<contact><userid>{theirs.user_id}</userid><name>X</name></contact>").code
        == "8002"
    )


def test_rights(api: Api, server: Server) -> None:
    creator_id, creator_token = add_user(server, api.tenant, "creator")
    _, stranger_token = add_user(server, api.tenant, "stranger")
    responsible_id, responsible_token = add_user(server, api.tenant, "responsible")
    member_id, member_token = add_user(server, api.tenant, "member")
    group = add_user_group(server, api.tenant, "Sales", members=(member_id,))
    contact_id = added(api.as_user(creator_token), "<name>Owned</name>")
    make_responsible(server, api.tenant, contact_id, "user", responsible_id)
    make_responsible(server, api.tenant, contact_id, "group", group)
    for token, post in ((creator_token, "c"), (responsible_token, "r"), (member_token, "m")):
        update(api.as_user(token), f"<id>{contact_id}</id><post>{post}</post>")
    update(api, f"<id>{contact_id}</id><post>admin</post>")
    reply = api.as_user(stranger_token).call(
        "contact.update", f"<contact><id>{contact_id}</id><post>s</post></contact>"
    )
    assert reply.code == "8001"
    assert get_contact(api, contact_id).text("contact/post") == "admin"
    assert creator_id != responsible_id

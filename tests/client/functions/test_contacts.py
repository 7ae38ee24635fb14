"""``contact.*`` typed calls against canned answers shaped as in 21-contacts.md."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from lxml import etree

from planfix_server.client import Phone, Ref
from planfix_server.client.functions.contacts import AccessResult, ContactFilter, ContactUpdated
from tests.client.conftest import canned_client, ok

CARD = """<contact><id>1234</id><userid>56789</userid><general>12300</general><template><id>12</id>
</template>
<name>Ivan</name><midName>Ivanovich</midName><lastName>Petrov</lastName><isCompany>0</isCompany>
<post>Manager</post>
<email>ivan@example.com</email><secondaryEmails><email>i2@example.com</email></secondaryEmails>
<phones><phone><number>+7 900</number><typeId>1</typeId><typeName>Mobile</typeName></phone></phones>
<address>Street 1</address><description>VIP</description><sex>MALE</sex><site>x.org</site><skype>iv</skype>
<icq></icq><userPic>https://acc.planfix.ru/?action=getuserpic&amp;id=1</userPic>
<birthdate>13-03-1987</birthdate>
<group><id>5</id><name>Clients</name></group><contractors><client><id>777</id><name>ACME Ltd</name>
</client></contractors>
<havePlanfixAccess>1</havePlanfixAccess><telegram><id>123456789</id></telegram>
<customData><customValue><field><id>10123</id><name>Tier</name></field><value>2</value><text>Gold</text>
</customValue></customData>
<responsible><users><user><id>9230</id><name>Employee</name></user></users><groups><group><id>4717</id>
<name>Sales</name></group></groups></responsible>
</contact>"""

LIST_ITEM = """<contact><id>1</id><userid>2</userid><general>3</general><name>Acme</name>
<isCompany>1</isCompany>
<telegramId>42</telegramId><facebook>fb</facebook><vk>vk</vk>
<user><login>acme</login><role>USER</role><status>ACTIVE</status><email>a@x.org</email></user></contact>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_contact_get() -> None:
    requests: list[httpx.Request] = []
    contact = canned_client(ok(CARD), requests).contact.get(general=12300, fields=["lastUpdateDate"])
    body = sent(requests)
    assert body.findtext("contact/general") == "12300"
    assert [e.text for e in body.findall("fields/field")] == ["lastUpdateDate"]
    assert (contact.id, contact.userid, contact.general, contact.template_id) == (1234, 56789, 12300, 12)
    assert (contact.name, contact.mid_name, contact.last_name, contact.is_company) == (
        "Ivan",
        "Ivanovich",
        "Petrov",
        False,
    )
    assert contact.secondary_emails == ["i2@example.com"]
    assert contact.phones == [Phone("+7 900", 1, "Mobile")]
    assert contact.user_pic == "https://acc.planfix.ru/?action=getuserpic&id=1"
    assert contact.birthdate == dt.date(1987, 3, 13)
    assert contact.group == Ref(5, "Clients") and contact.contractors == [Ref(777, "ACME Ltd")]
    assert (contact.have_planfix_access, contact.telegram_id, contact.user) == (True, "123456789", None)
    assert contact.responsible.users == [Ref(9230, "Employee")] and contact.responsible.groups == [
        Ref(4717, "Sales")
    ]
    assert contact.custom_data[0].text == "Gold"
    with pytest.raises(ValueError, match="needs id"):
        canned_client(ok(CARD)).contact.get()


def test_contact_get_list() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(f'<contacts totalCount="1" count="1">{LIST_ITEM}</contacts>'), requests)
    (company,) = client.contact.get_list(target="company", search="ac", page_size=50).items
    body = sent(requests)
    assert (body.findtext("target"), body.findtext("search"), body.findtext("pageSize")) == (
        "company",
        "ac",
        "50",
    )
    assert company.is_company and company.telegram_id == "42" and company.have_planfix_access is None
    assert company.user is not None and company.user.login == "acme"
    assert (company.facebook, company.vk, company.secondary_emails, company.phones) == ("fb", "vk", [], [])


def test_contact_add() -> None:
    requests: list[httpx.Request] = []
    answer = ok(
        "<contact><id>1234</id><userid>56789</userid><general>12300</general></contact>"
        "<actionid>987654</actionid>"
    )
    client = canned_client(answer, requests)
    created = client.contact.add(
        "Ivan",
        last_name="Petrov",
        email="ivan@example.com",
        phones=[Phone("+7 900", 1), Phone("+7 901", type_name="Work")],
        secondary_emails=["a@x.org", "b@x.org"],
        responsible=[9230],
        custom={10123: "Gold"},
        sex="MALE",
        can_be_client=True,
    )
    assert (created.id, created.userid, created.general, created.action_id) == (1234, 56789, 12300, 987654)
    contact = sent(requests).find("contact")
    assert contact is not None
    assert [
        (p.findtext("number"), p.findtext("typeId"), p.findtext("typeName"))
        for p in contact.findall("phones/phone")
    ] == [
        ("+7 900", "1", None),
        ("+7 901", None, "Work"),
    ]
    assert [e.text for e in contact.findall("secondaryEmails/email")] == ["a@x.org", "b@x.org"]
    assert [e.text for e in contact.findall("responsible/users/id")] == ["9230"]
    assert contact.find("responsible/groups") is None
    assert (contact.findtext("sex"), contact.findtext("canBeClient")) == ("MALE", "1")


def test_contact_update_and_access() -> None:
    requests: list[httpx.Request] = []
    answer = ok("<contact><id>1234</id><general>12300</general></contact><actionid>987655</actionid>")
    client = canned_client(answer, requests)
    updated = client.contact.update(general=12300, silent=True, name="Ivan", responsible=[], telegram_id=5)
    assert updated == ContactUpdated(1234, 12300, 987655)
    body = sent(requests)
    assert body.findtext("silent") == "1"
    contact = body.find("contact")
    assert contact is not None
    assert [child.tag for child in contact] == ["general", "name", "responsible", "telegram"]
    assert [e.text for e in contact.findall("responsible/users/id")] == ["0"]
    assert contact.findtext("telegram/id") == "5"
    with pytest.raises(ValueError, match="needs id"):
        client.contact.update(name="x")

    access = canned_client(ok("<contact><id>1234</id><status>NOTICE_SEND</status></contact>"), requests)
    assert access.contact.manage_planfix_access(userid=56789, grant=True) == AccessResult(1234, "NOTICE_SEND")
    assert [child.tag for child in sent(requests).iterfind("contact/*")] == ["userid", "havePlanfixAccess"]

    contractors = canned_client(ok("<contact><id>1234</id></contact>"), requests)
    assert contractors.contact.update_contractors(1234, add=[777], remove=[555]) == 1234
    assert [e.text for e in sent(requests).findall("contact/contractors/delClient/id")] == ["555"]


def test_contact_catalogs() -> None:
    types = ok('<phoneTypes totalCount="1"><phoneType><id>1</id><name>Mobile</name></phoneType></phoneTypes>')
    assert canned_client(types).contact.get_phone_types() == [Ref(1, "Mobile")]
    groups = ok(
        '<contactGroups count="1" totalCount="1"><group><id>5</id><name>Clients</name></group>'
        "</contactGroups>"
    )
    assert canned_client(groups).contact.get_group_list() == [Ref(5, "Clients")]
    filters = ok(
        '<contactFilterList totalCount="1"><contactFilter><ID>1050</ID><Name>VIP</Name></contactFilter>'
        "</contactFilterList>"
    )
    assert canned_client(filters).contact.get_filter_list() == [ContactFilter("1050", "VIP")]

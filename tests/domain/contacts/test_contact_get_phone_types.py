from __future__ import annotations

from planfix_server.domain.phone_types import PHONE_TYPES
from tests.support import Api


def test_lists_every_phone_type_with_total_count_only(api: Api) -> None:
    reply = api.call("contact.getPhoneTypes")
    assert reply.ok, reply.raw
    root = reply.root.find("phoneTypes")
    assert root is not None
    assert dict(root.attrib) == {"totalCount": str(len(PHONE_TYPES))}
    found = {int(item.findtext("id") or 0): item.findtext("name") for item in root.iterfind("phoneType")}
    assert found == PHONE_TYPES
    assert [child.tag for child in root[0]] == ["id", "name"]


def test_the_ids_are_the_ones_contacts_accept(api: Api) -> None:
    for item in api.call("contact.getPhoneTypes").root.iterfind("phoneTypes/phoneType"):
        reply = api.call(
            "contact.add",
            f"<contact><name>P</name><phones><phone><number>1</number><typeId>{item.findtext('id')}</typeId>"
            "</phone></phones></contact>",
        )
        assert reply.ok, reply.raw
        card = api.call("contact.get", f"<contact><id>{reply.text('contact/id')}</id></contact>")
        assert card.text("contact/phones/phone/typeName") == item.findtext("name")

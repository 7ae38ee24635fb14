"""``contact.getPhoneTypes`` and ``contact.getGroupList`` (21-contacts.md §14-15)."""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.contacts.groups import ContactGroups
from planfix_server.domain.contacts.shapes import CONTACT_GROUPS, PHONE_TYPES, Ref
from planfix_server.domain.phone_types import PHONE_TYPES as TYPES
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page


@method("contact.getPhoneTypes", request=None, response=[PHONE_TYPES])
def contact_get_phone_types(_request: None, _uow: AccountUnitOfWork, _call: Call) -> list[Ref]:
    """The phone types ``typeId`` takes; only ``totalCount`` on the list, as documented."""
    return [Ref(type_id, name) for type_id, name in TYPES.items()]


@method("contact.getGroupList", request=None, response=[CONTACT_GROUPS])
def contact_get_group_list(_request: None, uow: AccountUnitOfWork, _call: Call) -> Page:
    """Every contact group of the account, in their order; no paging is documented."""
    groups = [Ref(group_id, name) for group_id, name in uow.get(ContactGroups).in_order()]
    return Page(groups, len(groups))

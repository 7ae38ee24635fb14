"""contact.getList and contact.getFilterList (planfix-xml-api/21-contacts.md §8-10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.contacts import list_filters
from planfix_server.domain.contacts.list_queries import (
    COMPANIES,
    EVERYONE,
    PEOPLE,
    TARGETS,
    ContactListRepository,
    ContactQuery,
    statements,
)
from planfix_server.domain.contacts.shapes import CONTACTS, EXTRA_FIELDS
from planfix_server.domain.contacts.views import contact_views
from planfix_server.domain.customfields.filters import FilterIn
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.tasks.shapes import FilterView
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Counted, Leaf, Node, Page
from planfix_server.wire.fields import Id, Int, Str, xml

# The system filters of contact.getFilterList, usable as ``target``: id -> (target, English, Russian).
SYSTEM_FILTERS = {
    ":contacts": (PEOPLE, "Contacts", "Контакты"),
    ":companies": (COMPANIES, "Companies", "Компании"),
    ":all": (EVERYONE, "Contacts and companies", "Контакты и компании"),
}
FILTER_LIST = Counted("contactFilterList", Node("contactFilter", Leaf("ID", "id"), Leaf("Name", "name")))


@dataclass(frozen=True, slots=True)
class ContactGetList:
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    target: str | None = xml("target", Str(60))
    company: int | None = xml("company", Id())
    search: str | None = xml("search", Str(500))
    filters: Sequence[FilterIn] | None = xml("filters", many="filter", struct=FilterIn)
    fields: Sequence[str] | None = xml("fields", Str(60), many="field")


def target_of(text: str | None) -> str:
    """``contact`` (the default), ``company``, ``template`` or a filter id of contact.getFilterList."""
    value = (text or "").strip()
    if not value:
        return PEOPLE
    if value.lower() in TARGETS:
        return value.lower()
    if value in SYSTEM_FILTERS:
        return SYSTEM_FILTERS[value][0]
    raise errors.InvalidParameterValue(f"target: no target or contact filter {value[:30]!r}")


def extra_fields(given: Sequence[str] | None) -> tuple[str, ...]:
    """The ``fields`` asked for that a contact has (others are ignored, as unknown elements are)."""
    asked = (name.strip() for name in given or ())
    return tuple(dict.fromkeys(name for name in asked if name in EXTRA_FIELDS))


@method("contact.getList", request=ContactGetList, response=[CONTACTS], errors=("0015", "0021", "8001"))
def contact_get_list(request: ContactGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """Contacts, companies or templates: target, company, search, filters, page (by id)."""
    if call.is_contact:
        raise errors.ContactAccessDenied("contact.getList: a contact cannot list contacts")
    search = (request.search or "").strip()
    query = ContactQuery(
        target=target_of(request.target),
        company_id=request.company,
        search=search or None,
        conditions=list_filters.conditions(uow, call, request.filters),
    )
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    repo = uow.get(ContactListRepository)
    made = statements(query)
    total = repo.count(made)
    if page.count_only or page.offset >= total:
        return Page([], total)
    ids = repo.page_ids(made, page.offset, page.limit)
    views = contact_views(uow, call, ids, extra_fields=extra_fields(request.fields), list_form=True)
    return Page(views, total)


@method("contact.getFilterList", request=None, response=[FILTER_LIST], errors=("8001",))
def contact_get_filter_list(_request: None, uow: AccountUnitOfWork, call: Call) -> list[FilterView]:
    """The contact filters the caller may use as ``target`` of contact.getList (the system ones)."""
    if call.is_contact:
        raise errors.ContactAccessDenied("contact.getFilterList: a contact cannot list contacts")
    russian = status_service.language(call.settings.language) == "ru"
    return [FilterView(key, ru if russian else en) for key, (_, en, ru) in SYSTEM_FILTERS.items()]

"""``contact.managePlanfixAccess`` and ``contact.updateUserInfo`` (21-contacts.md §11, §12).

The rules and the access states are in ``access.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.contacts import access
from planfix_server.domain.contacts.lookup import ContactLookup, require_contact
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Leaf, Node
from planfix_server.wire.fields import Bool01, Enum, Id, Str, xml

# Column lengths, so that a long value is 0015 on every database.
EMAIL_LENGTH, PASSWORD_LENGTH, JABBER_LENGTH = 254, 1000, 254
STATUSES = ("ACTIVE", "UNACTIVE")


@dataclass(frozen=True, slots=True)
class ManagePlanfixAccess:
    grant: bool = xml("contact/havePlanfixAccess", Bool01(), required=True)
    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())
    email: str | None = xml("contact/email", Str(EMAIL_LENGTH))


@dataclass(frozen=True, slots=True)
class AccessResult:
    id: int
    status: str


@method(
    "contact.managePlanfixAccess",
    request=ManagePlanfixAccess,
    response=[Node("contact", Leaf("id"), Leaf("status"))],
    writes=True,
    errors=("8001", "8002", "8007", "8009", "8010", "0009", "0015", "0017"),
)
def contact_manage_planfix_access(
    request: ManagePlanfixAccess, uow: AccountUnitOfWork, call: Call
) -> AccessResult:
    """Open or close a contact's PlanFix access (administrators only); the resulting status."""
    access.require_admin(call.user)
    contact = require_contact(
        uow.get(ContactLookup), contact_id=request.id, userid=request.userid, general=request.general
    )
    status = access.manage_access(
        uow,
        call.user,
        contact,
        grant=request.grant,
        email=request.email,
        activation=call.settings.contact_access_activation,
    )
    return AccessResult(contact.id, status)


@dataclass(frozen=True, slots=True)
class UpdateUserInfo:
    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())
    password: str | None = xml("contact/user/password", Str(PASSWORD_LENGTH))
    status: str | None = xml("contact/user/status", Enum(*STATUSES))
    email: str | None = xml("contact/user/email", Str(EMAIL_LENGTH))
    jabber: str | None = xml("contact/user/jabber", Str(JABBER_LENGTH))
    pic: str | None = xml("contact/user/pic", Str())
    notify_by_email: bool | None = xml("contact/user/notifyByEmail", Bool01())
    notify_by_jabber: bool | None = xml("contact/user/notifyByJabber", Bool01())
    notify_by_planfix: bool | None = xml("contact/user/notifyByPlanfix", Bool01())


@dataclass(frozen=True, slots=True)
class ContactId:
    id: int


@method(
    "contact.updateUserInfo",
    request=UpdateUserInfo,
    response=[Node("contact", Leaf("id"))],
    writes=True,
    errors=("8001", "8002", "8005", "8006", "8007", "8008", "8009", "8010", "0009", "0015", "0017"),
)
def contact_update_user_info(request: UpdateUserInfo, uow: AccountUnitOfWork, call: Call) -> ContactId:
    """Change the sign-in data of a contact that activated its access (administrators only)."""
    access.require_admin(call.user)
    contact = require_contact(
        uow.get(ContactLookup), contact_id=request.id, userid=request.userid, general=request.general
    )
    changes = access.SignInChanges(
        password=request.password,
        status=request.status,
        email=request.email,
        jabber=request.jabber,
        picture=request.pic,
        notify_by_email=request.notify_by_email,
        notify_by_jabber=request.notify_by_jabber,
        notify_by_planfix=request.notify_by_planfix,
    )
    access.update_sign_in(uow, call.user, contact, changes, hash_password=call.hash_password)
    return ContactId(contact.id)

"""PlanFix access of contacts: the states of ``contacts.access`` and the contact's sign-in data.

A contact signs in as its user row (identity.py). The access state and that row move together:

=========  ====================  ===========  =========  =================================
state      login                 password     status     reached by
=========  ====================  ===========  =========  =================================
none       ``#contact<userid>``  none         UNACTIVE   a new contact; cancelling an invitation
invited    the login e-mail      none         UNACTIVE   opening access (``NOTICE_SEND``)
active     the login e-mail      once set     ACTIVE     activation; reopening closed access
inactive   the login e-mail      kept         UNACTIVE   closing activated access
=========  ====================  ===========  =========  =================================

We send no e-mail, so an invitation is activated by ``planfix-server contact-access activate``, a
fixture, or at once under the setting ``contact_access_activation=immediate``. A closed (inactive)
access keeps its login, so the e-mail stays taken and reopening needs no new invitation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.domain.contacts.identity import RESERVED_LOGIN_PREFIX, placeholder_login
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.domain.contacts.service import checked_email
from planfix_server.domain.users.pictures import decode_picture
from planfix_server.domain.users.queries import ci
from planfix_server.domain.users.repository import UserRepository, email_key
from planfix_server.store.records import UserRecord
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contact_notifications, contacts, users
from planfix_server.store.uow import AccountUnitOfWork

NONE, INVITED, ACTIVE, INACTIVE = "none", "invited", "active", "inactive"

# Answers of contact.managePlanfixAccess (21-contacts.md §2).
NOTICE_SEND, NOTICE_RESEND, ACCESS_CANCELED = "NOTICE_SEND", "NOTICE_RESEND", "ACCESS_CANCELED"
ACCESS_ALLOWED, ACCESS_DENIED = "ACTIVE", "UNACTIVE"

# Values of the setting ``contact_access_activation``.
ACTIVATE_BY_INVITATION, ACTIVATE_IMMEDIATELY = "invite", "immediate"

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_CONTACT_EMAIL = Scoped(
    select(contacts.c.email).where(contacts.c.account_id == _ACCOUNT, contacts.c.id == bindparam("id"))
)
_SET_ACCESS = Scoped(
    update(contacts)
    .where(contacts.c.account_id == _ACCOUNT, contacts.c.id == bindparam("b_id"))
    .values(access=bindparam("b_access"))
)
_NOTIFICATIONS = Scoped(
    select(
        contact_notifications.c.jabber,
        contact_notifications.c.notify_by_email,
        contact_notifications.c.notify_by_jabber,
        contact_notifications.c.notify_by_planfix,
    ).where(
        contact_notifications.c.account_id == _ACCOUNT,
        contact_notifications.c.user_id == bindparam("user_id"),
    )
)
_FORGET_NOTIFICATIONS = Scoped(
    delete(contact_notifications).where(
        contact_notifications.c.account_id == _ACCOUNT,
        contact_notifications.c.user_id == bindparam("user_id"),
    )
)
# Logins compare without case: "Ann@x.org" and "ann@x.org" would sign in as the same person.
_LOGIN_HOLDERS = Scoped(
    select(users.c.id).where(
        users.c.account_id == _ACCOUNT,
        or_(ci(users.c.login) == bindparam("key"), users.c.email_key == bindparam("key")),
    )
)


@dataclass(frozen=True, slots=True)
class Notifications:
    """How a contact with access is notified; kept for it, not acted upon (the server sends nothing)."""

    jabber: str = ""
    notify_by_email: bool = False
    notify_by_jabber: bool = False
    notify_by_planfix: bool = False


class ContactAccessRepository(Repository):
    def contact_email(self, contact_id: int) -> str:
        return str(self.scalar(_CONTACT_EMAIL, id=contact_id) or "")

    def set_access(self, contact_id: int, access: str) -> None:
        self.execute(_SET_ACCESS, b_id=contact_id, b_access=access)

    def notifications(self, user_id: int) -> Notifications:
        row = self.first(_NOTIFICATIONS, user_id=user_id)
        return Notifications() if row is None else Notifications(**row._mapping)

    def save_notifications(self, user_id: int, settings: Notifications) -> None:
        self.execute(_FORGET_NOTIFICATIONS, user_id=user_id)
        self.insert(contact_notifications, user_id=user_id, **asdict(settings))

    def login_holders(self, email: str) -> set[int]:
        """Users (employees or contacts) whose login or e-mail is ``email``, ignoring case."""
        return {int(row.id) for row in self.rows(_LOGIN_HOLDERS, key=email_key(email))}


def require_admin(actor: UserRecord) -> None:
    if actor.role != "ADMIN":
        raise errors.ContactAccessDenied("PlanFix access of contacts: administrators only")


def checked_login_email(uow: AccountUnitOfWork, email: str, user_id: int) -> str:
    """The trimmed e-mail; 8010 when it is no address, 8007 when another user signs in with it."""
    email = checked_email(email)
    # "#" starts the placeholder logins of contacts without access; no login e-mail may look like one.
    if email.startswith(RESERVED_LOGIN_PREFIX):
        raise errors.ContactInvalidEmail(email[:100])
    if uow.get(ContactAccessRepository).login_holders(email) - {user_id}:
        raise errors.ContactLoginNotUnique(email)
    return email


def _write_user(uow: AccountUnitOfWork, user_id: int, **values: Any) -> None:
    """Change the contact's user row; a unique key lost to a concurrent writer is 8009."""
    try:
        uow.get(UserRepository).update_user(user_id, **values)
    except IntegrityError:
        raise errors.ContactSignInUpdateFailed(str(user_id)) from None


def _login_values(email: str) -> dict[str, Any]:
    return {"login": email, "email": email, "email_key": email_key(email)}


def open_access(uow: AccountUnitOfWork, contact: ContactRef, email: str | None) -> None:
    """none -> invited: the login becomes ``email`` or else the contact's e-mail (0017 without one)."""
    chosen = (email or "").strip() or uow.get(ContactAccessRepository).contact_email(contact.id).strip()
    if not chosen:
        raise errors.DependentParameterMissing("contact/email: the contact has no e-mail for its login")
    login = checked_login_email(uow, chosen, contact.user_id)
    _write_user(uow, contact.user_id, **_login_values(login))
    uow.get(ContactAccessRepository).set_access(contact.id, INVITED)


def _set_state(uow: AccountUnitOfWork, contact: ContactRef, state: str) -> None:
    status = "ACTIVE" if state == ACTIVE else "UNACTIVE"
    _write_user(uow, contact.user_id, status=status)
    uow.get(ContactAccessRepository).set_access(contact.id, state)


def cancel_invitation(uow: AccountUnitOfWork, contact: ContactRef) -> None:
    """invited -> none: the login e-mail is free again."""
    _write_user(
        uow,
        contact.user_id,
        login=placeholder_login(contact.user_id),
        email=None,
        email_key=None,
        status="UNACTIVE",
    )
    uow.get(ContactAccessRepository).set_access(contact.id, NONE)


def manage_access(
    uow: AccountUnitOfWork,
    actor: UserRecord,
    contact: ContactRef,
    *,
    grant: bool,
    email: str | None = None,
    activation: str = ACTIVATE_BY_INVITATION,
) -> str:
    """``contact.managePlanfixAccess``: move the access state; the status the function answers."""
    require_admin(actor)
    state = contact.access
    if not grant:
        if state == INVITED:
            cancel_invitation(uow, contact)
            return ACCESS_CANCELED
        if state == ACTIVE:
            _set_state(uow, contact, INACTIVE)
        return ACCESS_DENIED  # closed now, or already (none, inactive): nothing else changes
    if state in (ACTIVE, INACTIVE):  # the e-mail is used only the first time
        if state == INACTIVE:
            _set_state(uow, contact, ACTIVE)
        return ACCESS_ALLOWED
    if state == NONE:
        open_access(uow, contact, email)
    if activation == ACTIVATE_IMMEDIATELY:
        _set_state(uow, contact, ACTIVE)
        return ACCESS_ALLOWED
    return NOTICE_SEND if state == NONE else NOTICE_RESEND


def activate_access(
    uow: AccountUnitOfWork, now: dt.datetime, contact_id: int, password_hash: str | None
) -> ContactRef:
    """What following the e-mailed link does: invited (or closed) access becomes active.

    Also for activated access: sets the password and makes it active again. 8002 for an unknown
    contact, 8006 when access was never opened. ``password_hash`` None keeps the password (a contact
    without one signs in only once ``contact.updateUserInfo`` gave it one, or through a token).
    ``now`` is the moment of activation; nothing records it yet.
    """
    contact = uow.get(ContactLookup).by_id(contact_id)
    if contact is None:
        raise errors.ContactNotFound(str(contact_id))
    if contact.access == NONE:
        raise errors.ContactAccessNotGranted(f"contact {contact_id}: open its access first")
    if password_hash is not None:
        _write_user(uow, contact.user_id, password_hash=password_hash)
    _set_state(uow, contact, ACTIVE)
    found = uow.get(ContactLookup).by_id(contact_id)
    assert found is not None
    return found


@dataclass(frozen=True, slots=True)
class SignInChanges:
    """What ``contact.updateUserInfo`` asked to change; None means "leave as is"."""

    password: str | None = None
    status: str | None = None
    email: str | None = None
    jabber: str | None = None
    picture: str | None = None  # base64 text
    notify_by_email: bool | None = None
    notify_by_jabber: bool | None = None
    notify_by_planfix: bool | None = None


def _require_activated(contact: ContactRef, changes: SignInChanges) -> None:
    if contact.access == NONE:
        raise errors.ContactAccessNotGranted(str(contact.id))
    if contact.access == INVITED:
        if changes.password is not None:
            raise errors.ContactPasswordNotActivated(str(contact.id))
        raise errors.ContactAccessNotActivated(str(contact.id))


def update_sign_in(
    uow: AccountUnitOfWork,
    actor: UserRecord,
    contact: ContactRef,
    changes: SignInChanges,
    *,
    hash_password: Callable[[str], str],
) -> None:
    """``contact.updateUserInfo``: the sign-in data of a contact that activated its access."""
    require_admin(actor)
    _require_activated(contact, changes)
    user = uow.get(UserRepository).by_id(contact.user_id)
    assert user is not None
    values: dict[str, Any] = {}
    email = user.email
    if changes.email is not None:
        email = checked_login_email(uow, changes.email, contact.user_id)
        values.update(_login_values(email))
    if changes.notify_by_email and not email:
        raise errors.DependentParameterMissing("contact/user/notifyByEmail: no e-mail")
    repo = uow.get(ContactAccessRepository)
    kept = repo.notifications(contact.user_id)
    notifications = replace(
        kept,
        jabber=kept.jabber if changes.jabber is None else changes.jabber.strip(),
        notify_by_email=kept.notify_by_email if changes.notify_by_email is None else changes.notify_by_email,
        notify_by_jabber=kept.notify_by_jabber
        if changes.notify_by_jabber is None
        else changes.notify_by_jabber,
        notify_by_planfix=kept.notify_by_planfix
        if changes.notify_by_planfix is None
        else changes.notify_by_planfix,
    )
    if changes.notify_by_jabber and not notifications.jabber:
        raise errors.DependentParameterMissing("contact/user/notifyByJabber: no jabber")
    picture = None if changes.picture is None else decode_picture(changes.picture)
    if changes.password is not None:
        values["password_hash"] = hash_password(changes.password)
    if picture is not None:
        values["userpic_version"] = secrets.token_hex(16)  # a new URL, so caches refetch
    if changes.status is not None:
        state = ACTIVE if changes.status == "ACTIVE" else INACTIVE
        values["status"] = changes.status
        uow.get(ContactAccessRepository).set_access(contact.id, state)
    _write_user(uow, contact.user_id, **values)
    if notifications != kept:
        repo.save_notifications(contact.user_id, notifications)
    if picture is not None:
        uow.get(UserRepository).set_picture(contact.user_id, *picture)

"""``contact.delete``: what happens to what points at a deleted contact (docs/contacts.md).

* with the row go (foreign keys): its phones, e-mails, responsible people, company links (as a
  member and as a company), its history (actions, with their notified and unread marks) and its
  files (contact.delete lets their contents go after commit, when no version names them anymore);
* its custom values go; custom fields of other objects naming it are cleared;
* it leaves task and project people lists; tasks and projects it was the client of get none;
* contacts made from it (a template) keep their data and lose the template link;
* its users row stays, so actions and tasks it wrote keep their author, but it can no longer sign
  in: UNACTIVE, no password, the placeholder login, no e-mail, its sessions, tokens and
  notification settings deleted.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, update
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.contacts.identity import placeholder_login
from planfix_server.domain.contacts.lookup import ContactRef
from planfix_server.domain.projects.contacts import forget_contact
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contact_notifications, contacts, custom_values, sessions, tokens
from planfix_server.store.uow import AccountUnitOfWork

_ACCOUNT: BindParameter[int] = bindparam("tenant")

_UNLINK_TEMPLATE = Scoped(
    update(contacts)
    .where(contacts.c.account_id == _ACCOUNT, contacts.c.template_id == bindparam("b_template_id"))
    .values(template_id=None)
)
_DELETE_OWN_VALUES = Scoped(
    delete(custom_values).where(
        custom_values.c.account_id == _ACCOUNT,
        custom_values.c.object_kind == "contact",
        custom_values.c.object_id == bindparam("contact_id"),
    )
)
_DELETE_SESSIONS = Scoped(
    delete(sessions).where(sessions.c.account_id == _ACCOUNT, sessions.c.user_id == bindparam("user_id"))
)
_DELETE_TOKENS = Scoped(
    delete(tokens).where(tokens.c.account_id == _ACCOUNT, tokens.c.user_id == bindparam("user_id"))
)
_DELETE_NOTIFICATIONS = Scoped(
    delete(contact_notifications).where(
        contact_notifications.c.account_id == _ACCOUNT,
        contact_notifications.c.user_id == bindparam("user_id"),
    )
)
_DELETE_CONTACT = Scoped(
    delete(contacts).where(contacts.c.account_id == _ACCOUNT, contacts.c.id == bindparam("contact_id"))
)


class ContactRemover(Repository):
    def unlink_template(self, template_id: int) -> None:
        self.execute(_UNLINK_TEMPLATE, b_template_id=template_id)

    def delete_own_values(self, contact_id: int) -> None:
        self.execute(_DELETE_OWN_VALUES, contact_id=contact_id)

    def end_sign_in(self, user_id: int) -> None:
        self.execute(_DELETE_SESSIONS, user_id=user_id)
        self.execute(_DELETE_TOKENS, user_id=user_id)
        self.execute(_DELETE_NOTIFICATIONS, user_id=user_id)

    def delete_contact(self, contact_id: int) -> None:
        self.execute(_DELETE_CONTACT, contact_id=contact_id)


def delete_contact(uow: AccountUnitOfWork, contact: ContactRef) -> None:
    """Delete ``contact`` and everything that only it owned; the caller has checked the rights."""
    remover = uow.get(ContactRemover)
    remover.unlink_template(contact.id)
    remover.delete_own_values(contact.id)
    forget_contact(uow, contact.id, contact.user_id)
    remover.end_sign_in(contact.user_id)
    uow.get(UserRepository).update_user(
        contact.user_id,
        status="UNACTIVE",
        password_hash=None,
        login=placeholder_login(contact.user_id),
        email=None,
        email_key=None,
    )
    remover.delete_contact(contact.id)

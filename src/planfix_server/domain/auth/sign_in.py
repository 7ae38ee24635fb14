"""Who may sign in with ``auth.login`` once the password matched."""

from __future__ import annotations

from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.store.records import UserRecord


def may_sign_in(user: UserRecord) -> bool:
    """Employees always may (an inactive one then gets 0014). A contact only while its PlanFix
    access is active: otherwise it gets what a wrong password gets (1001), so the answer does not
    tell whether a contact with that login exists."""
    return user.role != CONTACT_ROLE or user.is_active

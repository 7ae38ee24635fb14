"""Entries the contact functions write into a contact's history (its actions).

Each is an action of type ``ACTION`` by the caller, notifying the contact's responsible employees.
With ``<silent>1</silent>`` nothing is written and the functions answer ``actionid`` 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from planfix_server.api.context import Call
from planfix_server.domain.actions.writer import NewAction, record
from planfix_server.domain.statuses.service import language
from planfix_server.store.uow import AccountUnitOfWork

_TEXTS = {
    "en": {
        "created": "Contact created",
        "company_created": "Company created",
        "changed": "Contact data changed",
        "custom": "Custom fields changed",
    },
    "ru": {
        "created": "Контакт создан",
        "company_created": "Компания создана",
        "changed": "Данные контакта изменены",
        "custom": "Изменены дополнительные поля",
    },
}


def write(
    uow: AccountUnitOfWork,
    call: Call,
    contact_id: int,
    event: str,
    *,
    changed: Sequence[str] = (),
    notified: Sequence[int] = (),
) -> int:
    """Record ``event`` (created, company_created, changed, custom); its action id, or 0 when silent."""
    if call.silent:
        return 0
    text = _TEXTS[language(call.settings.language)][event]
    if changed:
        text = f"{text}: {', '.join(changed)}"
    action = NewAction(
        type="ACTION",
        owner_id=call.user.id,
        created_at=call.now,
        contact_id=contact_id,
        description=text,
        notified=tuple(notified),
    )
    return record(uow, action)

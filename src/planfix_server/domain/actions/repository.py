"""Reading actions of one account, as one user sees them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from planfix_server.domain.actions import queries
from planfix_server.store.scoped import Repository, Scoped


class ActionRepository(Repository):
    def row(self, action_id: int, me: int) -> Any:
        """The action with its names, whoever may see it (None when the account has none such)."""
        return self.first(queries.ROW_BY_ID, id=action_id, me=me)

    def by_ids(self, action_ids: Sequence[int], me: int) -> list[Any]:
        """The rows of ``action_ids``, in that order."""
        if not action_ids:
            return []
        found = {int(row.id): row for row in self.rows(queries.ROWS_BY_IDS, ids=list(action_ids), me=me)}
        return [found[one] for one in action_ids if one in found]

    def notified(self, action_ids: Sequence[int]) -> dict[int, list[tuple[int, str | None, str | None]]]:
        found: dict[int, list[tuple[int, str | None, str | None]]] = defaultdict(list)
        if action_ids:
            for row in self.rows(queries.NOTIFIED, ids=list(action_ids)):
                found[int(row.action_id)].append((int(row.id), row.name, row.last_name))
        return found

    def page_ids(self, query: Scoped, offset: int, limit: int, **params: Any) -> list[int]:
        return [int(row.id) for row in self.rows(query, offset=offset, limit=limit, **params)]

    def count(self, query: Scoped, **params: Any) -> int:
        return int(self.scalar(query, **params))

    def sees(self, action_id: int, me: int) -> bool:
        return self.first(queries.SEES, id=action_id, me=me) is not None

    def latest_of_task(self, task_id: int) -> int | None:
        value = self.scalar(queries.LATEST_OF_TASK, task=task_id)
        return None if value is None else int(value)

    def mark_read(self, action_id: int, me: int) -> None:
        self.execute(queries.MARK_READ, id=action_id, me=me)

    def touch_task(self, task_id: int, at: dt.datetime) -> None:
        self.execute(queries.TOUCH_TASK, b_task=task_id, b_at=at)

    def touch_contact(self, contact_id: int, at: dt.datetime) -> None:
        self.execute(queries.TOUCH_CONTACT, b_contact=contact_id, b_at=at)

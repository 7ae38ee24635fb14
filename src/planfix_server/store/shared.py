"""Account definitions a worker keeps between requests: statuses, processes, custom fields.

Every request needs them (a task card shows its status's deadline flag and every custom field) and
they change rarely, so reading them again for each request costs two statements and the building of
their records. Any change to them gives the account a new random ``definitions_tag`` (triggers of
migration 0006), and each request reads the tag with its credentials, in the same transaction as
the rest of its work. A slot is keyed by (account id, tag): after a change the next request simply
finds an empty slot. What a slot holds was read after the tag, so it is never older than the tag.

A unit of work that changes definitions itself stops using its slot (``AccountUnitOfWork.shared``
goes to None): what it reads afterwards holds its own uncommitted rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

DEFAULT_CAPACITY = 1024  # accounts; the least recently used slot goes first


class DefinitionSlot:
    """What the services have read of one account at one tag (each part None until first read)."""

    __slots__ = ("fields", "statuses")

    def __init__(self) -> None:
        self.statuses: Any = None  # domain.statuses.service._Cache
        self.fields: Any = None  # domain.customfields.service: fields by object kind


class SharedDefinitions:
    """The slots of one worker; safe to use from the threads that answer requests."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._slots: OrderedDict[tuple[int, str], DefinitionSlot] = OrderedDict()
        self._lock = threading.Lock()

    def slot(self, account_id: int, tag: str) -> DefinitionSlot | None:
        """The slot of the account at ``tag``; None for an untagged account (nothing to key on)."""
        if not tag:
            return None
        key = (account_id, tag)
        with self._lock:
            found = self._slots.get(key)
            if found is None:
                found = self._slots[key] = DefinitionSlot()
                if len(self._slots) > self.capacity:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()

    def __len__(self) -> int:
        return len(self._slots)

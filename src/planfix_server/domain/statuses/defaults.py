"""The standard statuses and the default process every account starts with.

Ids, tokens and names follow planfix-xml-api/10-tasks.md §3.2 (1-4 are confirmed by clients; 0, 5,
6, 7 follow the order of the documented token list). The transition table is the implementer's
default of §4.2: who may move a task from one status to another, by side.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT, ACTIVE, ACCEPTED, COMPLETED, DELAYED, REJECTED, DONE, CANCELED = range(8)

# The first id of a custom status (per account); below it are the system statuses.
FIRST_CUSTOM_STATUS = 100

DEFAULT_PROCESS_NAME = "Default process"

# Sides of a transition: the assigner side (owner, the owner's head, auditors, administrators), the
# assignee side (assignees and their heads), and assignees of a task without a result check
# (checkResult=0), who may also complete it themselves (10-tasks.md §4.5).
OWNER = "owner"
WORKER = "worker"
UNCHECKED = "unchecked"
SIDES = (OWNER, WORKER, UNCHECKED)


@dataclass(frozen=True, slots=True)
class SystemStatus:
    id: int
    token: str
    name_ru: str
    name_en: str
    color: str
    is_active: bool
    has_deadline: bool


SYSTEM_STATUSES = (
    SystemStatus(DRAFT, "DRAFT", "Черновик", "Draft", "#9e9e9e", False, False),
    SystemStatus(ACTIVE, "ACTIVE", "Новая", "New", "#2196f3", True, True),
    SystemStatus(ACCEPTED, "ACCEPTED", "В работе", "In progress", "#ff9800", True, True),
    SystemStatus(COMPLETED, "COMPLETED", "Завершенная", "Completed", "#4caf50", False, False),
    SystemStatus(DELAYED, "DELAYED", "Отложенная", "On hold", "#795548", False, False),
    SystemStatus(REJECTED, "REJECTED", "Отклоненная", "Declined", "#f44336", False, False),
    # Done waits for the assigner's check: still open, but no longer overdue.
    SystemStatus(DONE, "DONE", "Выполненная", "Done", "#8bc34a", True, False),
    SystemStatus(CANCELED, "CANCELED", "Отмененная", "Canceled", "#607d8b", False, False),
)
TOKENS = {status.token: status.id for status in SYSTEM_STATUSES}
TOKEN_OF = {status.id: status.token for status in SYSTEM_STATUSES}

# (from, to, side) of the default process.
DEFAULT_TRANSITIONS: tuple[tuple[int, int, str], ...] = (
    *((DRAFT, to, OWNER) for to in (ACTIVE, CANCELED)),
    *((ACTIVE, to, OWNER) for to in (DRAFT, DELAYED, CANCELED, COMPLETED)),
    *((ACCEPTED, to, OWNER) for to in (DONE, COMPLETED, DELAYED, CANCELED)),
    *((DONE, to, OWNER) for to in (COMPLETED, ACCEPTED, CANCELED)),
    *((DELAYED, to, OWNER) for to in (ACTIVE, ACCEPTED, CANCELED, COMPLETED)),
    *((REJECTED, to, OWNER) for to in (ACTIVE, CANCELED, COMPLETED)),
    (COMPLETED, ACCEPTED, OWNER),
    *((CANCELED, to, OWNER) for to in (ACTIVE, ACCEPTED)),
    # Accepting (to the accept target) and declining a new task.
    *((ACTIVE, to, WORKER) for to in (ACCEPTED, REJECTED)),
    *((ACCEPTED, to, WORKER) for to in (DONE, DELAYED)),
    (DONE, ACCEPTED, WORKER),
    (DELAYED, ACCEPTED, WORKER),
    (ACCEPTED, COMPLETED, UNCHECKED),
    (DONE, COMPLETED, UNCHECKED),
)

"""Typed calls of the common functions, one module per area, shared by both clients.

Each function returns a ``Prepared`` (or a ``Listing`` for the ``iterate`` of a list function);
the clients expose them as ``client.user.get(…)``, ``client.task.iterate(…)`` and so on.
"""

from planfix_server.client.functions.actions import Action, AnaliticRow, DateChange, StatusChange
from planfix_server.client.functions.common import CustomValue, Filter, People, Phone, Ref
from planfix_server.client.functions.contacts import (
    AccessResult,
    Contact,
    ContactCreated,
    ContactFilter,
    ContactLogin,
    ContactUpdated,
)
from planfix_server.client.functions.projects import Project
from planfix_server.client.functions.tasks import (
    ExpectDateChange,
    StatusChoice,
    Task,
    TaskCreated,
    TaskFilter,
)
from planfix_server.client.functions.users import User, UserGroup

__all__ = [
    "AccessResult",
    "Action",
    "AnaliticRow",
    "Contact",
    "ContactCreated",
    "ContactFilter",
    "ContactLogin",
    "ContactUpdated",
    "CustomValue",
    "DateChange",
    "ExpectDateChange",
    "Filter",
    "People",
    "Phone",
    "Project",
    "Ref",
    "StatusChange",
    "StatusChoice",
    "Task",
    "TaskCreated",
    "TaskFilter",
    "User",
    "UserGroup",
]

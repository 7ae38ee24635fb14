"""Typed calls of the common functions, one module per area, shared by both clients.

Each function returns a ``Prepared`` (or a ``Listing`` for the ``iterate`` of a list function);
the clients expose them as ``client.user.get(…)``, ``client.task.iterate(…)`` and so on.
"""

from planfix_server.client.functions.actions import Action, AnaliticRow, DateChange, StatusChange
from planfix_server.client.functions.analitics import (
    Analitic,
    AnaliticData,
    AnaliticDataFilter,
    AnaliticField,
    AnaliticHandbookRecord,
    AnaliticRecordValue,
    AnaliticRowIn,
    ItemData,
    TimePeriod,
)
from planfix_server.client.functions.common import CustomValue, Filter, People, Phone, Ref
from planfix_server.client.functions.contacts import (
    AccessResult,
    Contact,
    ContactCreated,
    ContactFilter,
    ContactLogin,
    ContactUpdated,
)
from planfix_server.client.functions.files import FileInfo, NewFile, Uploaded
from planfix_server.client.functions.handbooks import (
    Handbook,
    HandbookField,
    HandbookRecord,
    HandbookStructure,
    RecordValue,
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
    "Analitic",
    "AnaliticData",
    "AnaliticDataFilter",
    "AnaliticField",
    "AnaliticHandbookRecord",
    "AnaliticRecordValue",
    "AnaliticRow",
    "AnaliticRowIn",
    "Contact",
    "ContactCreated",
    "ContactFilter",
    "ContactLogin",
    "ContactUpdated",
    "CustomValue",
    "DateChange",
    "ExpectDateChange",
    "FileInfo",
    "Filter",
    "Handbook",
    "HandbookField",
    "HandbookRecord",
    "HandbookStructure",
    "ItemData",
    "NewFile",
    "People",
    "Phone",
    "Project",
    "RecordValue",
    "Ref",
    "StatusChange",
    "StatusChoice",
    "Task",
    "TaskCreated",
    "TaskFilter",
    "TimePeriod",
    "Uploaded",
    "User",
    "UserGroup",
]

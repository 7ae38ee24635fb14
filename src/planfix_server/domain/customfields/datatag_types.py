"""The field types of handbooks and analitics (22-handbooks-analitics.md §1) and the custom
field types (``customfields.types``) whose parsing and rendering they share.

A type mapped to ``None`` has a form of its own that the handbook or analitic code handles:
a time period (begin and end), employees, contacts and groups in one field, attached files.
"""

from __future__ import annotations

DATATAG_TYPES: dict[str, str | None] = {
    "STRING": "string",
    "NUMBER": "number",
    "TEXT": "text",
    "DATE": "date",
    "DATETIME": "datetime",
    "TIME": "time",
    "TIMEPERIOD": None,
    "CHECKBOX": "checkbox",
    "LIST": "list",
    "TASK": "task",
    "TASKSET": "task_set",
    "PROJECT": "project",
    "HANDBOOK": "handbook_record",
    "HANDBOOKSET": "handbook_record_set",
    "USER": "employee",
    "CLIENT": "counterparty",
    "CONTACT": "contact",
    "LOGINLIST": None,
    "GROUPUSERCONTACT": None,
    "SETSTRING": "value_set",
}

# Handbook fields may also hold files (``customValue.files`` of handbook.addRecord).
HANDBOOK_FIELD_TYPES = (*DATATAG_TYPES, "FILES")
ANALITIC_FIELD_TYPES = tuple(DATATAG_TYPES)

"""The SQL of files: a file as the API shows it is the file row joined to one of its versions.

Lists show each file by its latest version; ``file.get`` by ``uniqueId`` and ``file.getHistory``
show the versions asked for. Names come in the same query: the task, the project (the file's own,
or its task's) and the uploader of the version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, delete, exists, func, select, true, update
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import action_notified, actions, file_versions, files, projects, tasks, users

TENANT: BindParameter[int] = bindparam("tenant")
_ME: BindParameter[int] = bindparam("me")

_latest = file_versions.alias("latest")
# The number of a file's latest version (the unique (account, file, version) key answers it).
_LATEST_VERSION = (
    select(func.max(_latest.c.version))
    .where(_latest.c.account_id == files.c.account_id, _latest.c.file_id == files.c.id)
    .scalar_subquery()
)

_ROW = select(
    files.c.id,
    files.c.name,
    files.c.source_type,
    files.c.task_id,
    files.c.project_id.label("own_project_id"),
    files.c.contact_id,
    files.c.action_id,
    files.c.record_id,
    files.c.field_id,
    files.c.owner_id.label("file_owner_id"),
    file_versions.c.id.label("unique_id"),
    file_versions.c.version,
    file_versions.c.description,
    file_versions.c.size_bytes,
    file_versions.c.content_type,
    file_versions.c.sha256,
    file_versions.c.storage_key,
    file_versions.c.url,
    file_versions.c.owner_id,
    file_versions.c.created_at,
    tasks.c.title.label("task_title"),
    projects.c.id.label("project_id"),
    projects.c.title.label("project_title"),
    users.c.name.label("user_name"),
    users.c.last_name.label("user_last_name"),
).select_from(
    files.join(
        file_versions,
        and_(file_versions.c.account_id == files.c.account_id, file_versions.c.file_id == files.c.id),
    )
    .outerjoin(tasks, and_(tasks.c.account_id == files.c.account_id, tasks.c.id == files.c.task_id))
    .outerjoin(
        projects,
        and_(
            projects.c.account_id == files.c.account_id,
            projects.c.id == func.coalesce(files.c.project_id, tasks.c.project_id),
        ),
    )
    .outerjoin(
        users, and_(users.c.account_id == file_versions.c.account_id, users.c.id == file_versions.c.owner_id)
    )
)


def _rows(*conditions: ColumnElement[bool]) -> Select[Any]:
    return _ROW.where(files.c.account_id == TENANT, *conditions)


LATEST_OF_FILE = Scoped(_rows(files.c.id == bindparam("id"), file_versions.c.version == _LATEST_VERSION))
VERSION = Scoped(_rows(file_versions.c.id == bindparam("id")))
HISTORY = Scoped(_rows(files.c.id == bindparam("id")).order_by(file_versions.c.version))
LATEST_OF_FILES = Scoped(
    _rows(files.c.id.in_(bindparam("ids", expanding=True)), file_versions.c.version == _LATEST_VERSION)
)


def hidden_from_me() -> ColumnElement[bool]:
    """The file came with a hidden action the caller (``:me``) neither wrote nor is notified of."""
    return exists().where(
        actions.c.account_id == TENANT,
        actions.c.id == files.c.action_id,
        actions.c.is_hidden == true(),
        actions.c.owner_id != _ME,
        ~exists().where(
            action_notified.c.account_id == TENANT,
            action_notified.c.action_id == actions.c.id,
            action_notified.c.user_id == _ME,
        ),
    )


HIDDEN_FROM_ME = Scoped(
    select(files.c.id).where(files.c.account_id == TENANT, files.c.id == bindparam("id"), hidden_from_me())
)

# Every file of one task the caller may see, by its latest version (the list is sorted in Python:
# a task has few files, and "by extension" is no portable SQL).
OF_TASK = Scoped(
    _rows(
        files.c.task_id == bindparam("task"),
        file_versions.c.version == _LATEST_VERSION,
        ~hidden_from_me(),
    )
)

# Pages of files by id, of one project, one contact or one uploader.
_PLACES = {"project": files.c.project_id, "contact": files.c.contact_id, "owner": files.c.owner_id}
PAGE_IDS = {
    name: Scoped(
        select(files.c.id)
        .where(files.c.account_id == TENANT, column == bindparam("key"), ~hidden_from_me())
        .order_by(files.c.id)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    for name, column in _PLACES.items()
}
COUNTS = {
    name: Scoped(
        select(func.count())
        .select_from(files)
        .where(files.c.account_id == TENANT, column == bindparam("key"), ~hidden_from_me())
    )
    for name, column in _PLACES.items()
}

# -- writing

_NAMED = (files.c.account_id == TENANT, files.c.name == bindparam("name"))
SAME_NAME = {
    "task": Scoped(select(files.c.id).where(*_NAMED, files.c.task_id == bindparam("key"))),
    "project": Scoped(select(files.c.id).where(*_NAMED, files.c.project_id == bindparam("key"))),
    "contact": Scoped(select(files.c.id).where(*_NAMED, files.c.contact_id == bindparam("key"))),
    "record": Scoped(
        select(files.c.id).where(
            *_NAMED, files.c.record_id == bindparam("key"), files.c.field_id == bindparam("field")
        )
    ),
}
NEXT_VERSION = Scoped(
    select(func.coalesce(func.max(file_versions.c.version), 0) + 1).where(
        file_versions.c.account_id == TENANT, file_versions.c.file_id == bindparam("id")
    )
)
SET_ACTION = Scoped(
    update(files)
    .where(files.c.account_id == TENANT, files.c.id == bindparam("b_id"))
    .values(action_id=bindparam("b_action"))
)
OF_ACTIONS = Scoped(
    select(files.c.action_id, files.c.id, files.c.name)
    .where(files.c.account_id == TENANT, files.c.action_id.in_(bindparam("ids", expanding=True)))
    .order_by(files.c.action_id, files.c.id)
)
DETACH_ACTION = Scoped(
    update(files)
    .where(files.c.account_id == TENANT, files.c.action_id == bindparam("b_action"))
    .values(action_id=None)
)
IDS_OF_RECORD = Scoped(
    select(files.c.id)
    .where(
        files.c.account_id == TENANT,
        files.c.record_id == bindparam("record"),
        files.c.field_id == bindparam("field"),
    )
    .order_by(files.c.id)
)

# Blobs: the keys of versions about to go, and which of them some version still names.
KEYS_OF_FILES = Scoped(
    select(file_versions.c.storage_key).where(
        file_versions.c.account_id == TENANT,
        file_versions.c.file_id.in_(bindparam("ids", expanding=True)),
        file_versions.c.storage_key.is_not(None),
    )
)
KEYS_OF_VERSIONS = Scoped(
    select(file_versions.c.storage_key).where(
        file_versions.c.account_id == TENANT,
        file_versions.c.id.in_(bindparam("ids", expanding=True)),
        file_versions.c.storage_key.is_not(None),
    )
)
KEYS_OF_CONTACT = Scoped(
    select(file_versions.c.storage_key)
    .select_from(
        file_versions.join(
            files,
            and_(files.c.account_id == file_versions.c.account_id, files.c.id == file_versions.c.file_id),
        )
    )
    .where(
        file_versions.c.account_id == TENANT,
        files.c.contact_id == bindparam("contact"),
        file_versions.c.storage_key.is_not(None),
    )
)
KEYS_IN_USE = Scoped(
    select(file_versions.c.storage_key)
    .where(
        file_versions.c.account_id == TENANT,
        file_versions.c.storage_key.in_(bindparam("keys", expanding=True)),
    )
    .distinct()
)
DELETE_FILES = Scoped(
    delete(files).where(files.c.account_id == TENANT, files.c.id.in_(bindparam("ids", expanding=True)))
)
DELETE_VERSIONS = Scoped(
    delete(file_versions).where(
        file_versions.c.account_id == TENANT, file_versions.c.id.in_(bindparam("ids", expanding=True))
    )
)
# Files left without a version once some versions went.
EMPTY_FILES = Scoped(
    select(files.c.id).where(
        files.c.account_id == TENANT,
        files.c.id.in_(bindparam("ids", expanding=True)),
        ~exists().where(file_versions.c.account_id == TENANT, file_versions.c.file_id == files.c.id),
    )
)
FILE_IDS_OF_VERSIONS = Scoped(
    select(file_versions.c.id, file_versions.c.file_id).where(
        file_versions.c.account_id == TENANT, file_versions.c.id.in_(bindparam("ids", expanding=True))
    )
)

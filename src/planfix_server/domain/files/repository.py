"""Reading and writing the files of one account."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planfix_server.domain.files import queries
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import file_versions, files


@dataclass(frozen=True, slots=True)
class Place:
    """Where a file lives: a task, a project, a contact, or a FILES field of a handbook record."""

    kind: str  # task | project | contact | record
    id: int
    field_id: int | None = None

    def columns(self) -> dict[str, int | None]:
        if self.kind == "record":
            return {"record_id": self.id, "field_id": self.field_id}
        return {f"{self.kind}_id": self.id}


@dataclass(frozen=True, slots=True)
class NewVersion:
    """The content of one stored version: a blob (``storage_key``) or a link (``url``)."""

    size_bytes: int
    content_type: str
    sha256: str = ""
    storage_key: str | None = None
    url: str | None = None


class FileRepository(Repository):
    # -- reading

    def latest(self, file_id: int) -> Any:
        return self.first(queries.LATEST_OF_FILE, id=file_id)

    def version(self, unique_id: int) -> Any:
        return self.first(queries.VERSION, id=unique_id)

    def history(self, file_id: int) -> Sequence[Any]:
        return self.rows(queries.HISTORY, id=file_id)

    def latest_of(self, file_ids: Sequence[int]) -> list[Any]:
        """The latest versions of ``file_ids``, in that order."""
        if not file_ids:
            return []
        found = {int(row.id): row for row in self.rows(queries.LATEST_OF_FILES, ids=list(file_ids))}
        return [found[one] for one in file_ids if one in found]

    def hidden_from(self, file_id: int, me: int) -> bool:
        """The file came with a hidden action ``me`` may not see."""
        return self.first(queries.HIDDEN_FROM_ME, id=file_id, me=me) is not None

    def of_task(self, task_id: int, me: int) -> Sequence[Any]:
        return self.rows(queries.OF_TASK, task=task_id, me=me)

    def page_ids(self, place: str, key: int, me: int, offset: int, limit: int) -> list[int]:
        rows = self.rows(queries.PAGE_IDS[place], key=key, me=me, offset=offset, limit=limit)
        return [int(row.id) for row in rows]

    def count(self, place: str, key: int, me: int) -> int:
        return int(self.scalar(queries.COUNTS[place], key=key, me=me))

    def same_name(self, place: Place, name: str) -> int | None:
        params: dict[str, Any] = {"name": name, "key": place.id}
        if place.kind == "record":
            params["field"] = place.field_id
        value = self.scalar(queries.SAME_NAME[place.kind], **params)
        return None if value is None else int(value)

    def of_actions(self, action_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
        """(id, name) of the files each action brought, by action."""
        found: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if action_ids:
            for row in self.rows(queries.OF_ACTIONS, ids=list(action_ids)):
                found[int(row.action_id)].append((int(row.id), row.name))
        return found

    def ids_of_record(self, record_id: int, field_id: int) -> list[int]:
        return [int(row.id) for row in self.rows(queries.IDS_OF_RECORD, record=record_id, field=field_id)]

    # -- writing

    def insert_file(
        self,
        file_id: int,
        place: Place,
        name: str,
        source_type: str,
        owner_id: int,
        now: dt.datetime,
        action_id: int | None,
    ) -> None:
        self.insert(
            files,
            id=file_id,
            name=name,
            source_type=source_type,
            owner_id=owner_id,
            created_at=now,
            action_id=action_id,
            **place.columns(),
        )

    def insert_version(
        self,
        unique_id: int,
        file_id: int,
        content: NewVersion,
        description: str,
        owner_id: int,
        now: dt.datetime,
    ) -> int:
        """Store the next version of ``file_id``; its number."""
        number = int(self.scalar(queries.NEXT_VERSION, id=file_id))
        self.insert(
            file_versions,
            id=unique_id,
            file_id=file_id,
            version=number,
            description=description,
            size_bytes=content.size_bytes,
            content_type=content.content_type,
            sha256=content.sha256,
            storage_key=content.storage_key,
            url=content.url,
            owner_id=owner_id,
            created_at=now,
        )
        return number

    def set_action(self, file_id: int, action_id: int | None) -> None:
        self.execute(queries.SET_ACTION, b_id=file_id, b_action=action_id)

    def detach_action(self, action_id: int) -> None:
        self.execute(queries.DETACH_ACTION, b_action=action_id)

    def keys_of_files(self, file_ids: Sequence[int]) -> set[str]:
        return {row.storage_key for row in self.rows(queries.KEYS_OF_FILES, ids=list(file_ids))}

    def keys_of_versions(self, unique_ids: Sequence[int]) -> set[str]:
        return {row.storage_key for row in self.rows(queries.KEYS_OF_VERSIONS, ids=list(unique_ids))}

    def keys_of_contact(self, contact_id: int) -> set[str]:
        return {row.storage_key for row in self.rows(queries.KEYS_OF_CONTACT, contact=contact_id)}

    def keys_in_use(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        return {row.storage_key for row in self.rows(queries.KEYS_IN_USE, keys=list(keys))}

    def file_ids_of_versions(self, unique_ids: Sequence[int]) -> dict[int, int]:
        """{uniqueId: file id} of the versions that exist."""
        rows = self.rows(queries.FILE_IDS_OF_VERSIONS, ids=list(unique_ids))
        return {int(row.id): int(row.file_id) for row in rows}

    def delete_files(self, file_ids: Sequence[int]) -> int:
        """Files with all their versions (the foreign key cascades); how many went."""
        return self.execute(queries.DELETE_FILES, ids=list(file_ids)) if file_ids else 0

    def delete_versions(self, unique_ids: Sequence[int]) -> int:
        """Versions; a file left without any goes too. How many versions went."""
        if not unique_ids:
            return 0
        owners = sorted(set(self.file_ids_of_versions(unique_ids).values()))
        gone = self.execute(queries.DELETE_VERSIONS, ids=list(unique_ids))
        empty = [int(row.id) for row in self.rows(queries.EMPTY_FILES, ids=owners)] if owners else []
        self.delete_files(empty)
        return gone

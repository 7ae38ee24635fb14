"""Processes and statuses as the task functions use them.

A process (status set) holds some of the account's statuses, in order, and the transitions
between them by side (defaults.OWNER / WORKER / UNCHECKED). Every account has a default process
with the eight system statuses; accounts made before processes existed get it on first need
(``ensure_default_process``).

What the task functions call::

    process = default_process(uow)              # or require_process(uow, set_id) (0015 unknown)
    status = process.resolve(text)              # token or id -> id; 0015 unknown, 0016 not in process
    process.next_statuses(current, {OWNER})     # what getPossibleStatusToChange lists
    process.can_move(current, target, sides)    # what changeStatus accepts
    process.accept_status_id, process.auto_accept
    statuses(uow)[status_id].is_active / .has_deadline / .title(language)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Row

from planfix_server.api import errors
from planfix_server.domain.statuses import defaults
from planfix_server.domain.statuses.repository import StatusRepository
from planfix_server.store.uow import AccountUnitOfWork

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, slots=True)
class Status:
    id: int
    token: str | None
    name: str
    name_ru: str
    name_en: str
    color: str
    is_active: bool
    has_deadline: bool

    def title(self, language: str) -> str:
        """The name in ``language`` (the ``language`` setting), else the one name it has."""
        preferred = self.name_ru if language == "ru" else self.name_en
        return preferred or self.name


@dataclass(frozen=True, slots=True)
class Process:
    id: int
    name: str
    is_default: bool
    accept_status_id: int
    auto_accept: bool
    statuses: tuple[Status, ...]
    transitions: frozenset[tuple[int, int, str]] = field(default_factory=frozenset)
    # Every status id of the account, to tell "no such status" from "not in this process".
    account_status_ids: frozenset[int] = field(default_factory=frozenset)

    def status(self, status_id: int) -> Status | None:
        for status in self.statuses:
            if status.id == status_id:
                return status
        return None

    def has(self, status_id: int) -> bool:
        return self.status(status_id) is not None

    def resolve(self, given: str | int, path: str = "status") -> int:
        """A status given as a system token (``ACTIVE``) or an id: its id in this process.

        0015 for an unknown token or a number that is no status of the account's processes;
        0016 for a status the process does not contain.
        """
        text = str(given).strip()
        if text.lstrip("-").isdigit():
            status_id = int(text)
        elif text.upper() in defaults.TOKENS:
            status_id = defaults.TOKENS[text.upper()]
        else:
            raise errors.InvalidParameterValue(f"{path}: unknown status {text[:30]!r}")
        if not self.has(status_id):
            if status_id not in self.account_status_ids:
                raise errors.InvalidParameterValue(f"{path}: no status {status_id}")
            raise errors.ValueNotAllowedHere(f"{path}: status {status_id} is not in process {self.id}")
        return status_id

    def can_move(self, current: int, target: int, sides: Collection[str]) -> bool:
        """Whether someone acting on ``sides`` may move a task from ``current`` to ``target``."""
        return any((current, target, side) in self.transitions for side in sides)

    def next_statuses(self, current: int, sides: Collection[str]) -> list[Status]:
        """The statuses ``task.changeStatus`` accepts from ``current`` for ``sides``, in process order:
        without ``current`` itself and without REJECTED (only ``task.reject`` declines)."""
        return [
            status
            for status in self.statuses
            if status.id not in (current, defaults.REJECTED) and self.can_move(current, status.id, sides)
        ]


def _status(row: Row[Any]) -> Status:
    return Status(
        id=int(row.id),
        token=row.token,
        name=row.name,
        name_ru=row.name_ru,
        name_en=row.name_en,
        color=row.color,
        is_active=bool(row.is_active),
        has_deadline=bool(row.has_deadline),
    )


class _Cache:
    """What one unit of work has read already (statuses change rarely and never mid-request)."""

    def __init__(self) -> None:
        self.statuses: dict[int, Status] | None = None
        self.processes: dict[int, Process | None] = {}
        self.default_id: int | None = None


def _cache(uow: AccountUnitOfWork) -> _Cache:
    shared = uow.shared
    if shared is not None:  # what other requests of this worker read at the same tag
        if shared.statuses is None:
            shared.statuses = _Cache()
        kept: _Cache = shared.statuses
        return kept
    repo = uow.get(StatusRepository)
    if repo.status_cache is None:
        repo.status_cache = _Cache()
    found: _Cache = repo.status_cache
    return found


def _forget(uow: AccountUnitOfWork) -> None:
    """After a change: from now on this unit of work reads its own (uncommitted) rows."""
    uow.shared = None
    uow.get(StatusRepository).status_cache = _Cache()


def statuses(uow: AccountUnitOfWork) -> dict[int, Status]:
    """Every status of the account by id (system and custom)."""
    cache = _cache(uow)
    if cache.statuses is None:
        cache.statuses = {int(row.id): _status(row) for row in uow.get(StatusRepository).statuses()}
    return cache.statuses


def process(uow: AccountUnitOfWork, set_id: int) -> Process | None:
    cache = _cache(uow)
    if set_id in cache.processes:
        return cache.processes[set_id]
    repo = uow.get(StatusRepository)
    row = repo.set(set_id)
    found = None
    if row is not None:
        known = statuses(uow)
        found = Process(
            id=int(row.id),
            name=row.name,
            is_default=bool(row.is_default),
            accept_status_id=int(row.accept_status_id),
            auto_accept=bool(row.auto_accept),
            statuses=tuple(known[status_id] for status_id in repo.member_ids(set_id) if status_id in known),
            transitions=frozenset(repo.transitions(set_id)),
            account_status_ids=frozenset(known),
        )
    cache.processes[set_id] = found
    return found


def require_process(uow: AccountUnitOfWork, set_id: int, path: str = "statusSet") -> Process:
    """The process ``set_id``; 0015 when the account has none with that id."""
    found = process(uow, set_id)
    if found is None:
        raise errors.InvalidParameterValue(f"{path}: no process {set_id}")
    return found


def default_process_id(uow: AccountUnitOfWork) -> int:
    """The id of the account's default process, made first if the account has none."""
    known = _cache(uow).default_id
    if known is None:
        known = ensure_default_process(uow)
        # Looked up again: where the process was just made, the shared cache is no longer this
        # unit of work's (the process exists only if it commits).
        _cache(uow).default_id = known
    return known


def default_process(uow: AccountUnitOfWork) -> Process:
    found = process(uow, default_process_id(uow))
    assert found is not None
    return found


def process_list(uow: AccountUnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of every process, the default one made first if missing."""
    default_process_id(uow)
    return [(int(row.id), row.name) for row in uow.get(StatusRepository).sets()]


def _system_rows(present: Iterable[int]) -> list[dict[str, object]]:
    have = set(present)
    missing = [status for status in defaults.SYSTEM_STATUSES if status.id not in have]
    return [
        {
            "id": status.id,
            "token": status.token,
            "name": status.name_en,
            "name_ru": status.name_ru,
            "name_en": status.name_en,
            "color": status.color,
            "is_active": status.is_active,
            "has_deadline": status.has_deadline,
        }
        for status in missing
    ]


def ensure_default_process(uow: AccountUnitOfWork) -> int:
    """The default process's id; creates the system statuses and the default process when missing."""
    repo = uow.get(StatusRepository)
    found = repo.default_set_id()
    if found is not None:
        return found
    existing_sets = repo.sets()
    if existing_sets:  # processes from a fixture, none marked default: the first one is
        return int(existing_sets[0].id)
    return create_process(
        uow,
        defaults.DEFAULT_PROCESS_NAME,
        [status.id for status in defaults.SYSTEM_STATUSES],
        defaults.DEFAULT_TRANSITIONS,
        is_default=True,
    )


def create_process(
    uow: AccountUnitOfWork,
    name: str,
    status_ids: Sequence[int],
    transitions: Sequence[tuple[int, int, str]],
    *,
    accept_status_id: int = defaults.ACCEPTED,
    auto_accept: bool = True,
    is_default: bool = False,
) -> int:
    """A new process over existing statuses (system statuses are created when missing)."""
    repo = uow.get(StatusRepository)
    repo.add_statuses(_system_rows(int(row.id) for row in repo.statuses()))
    _forget(uow)
    known = statuses(uow)
    unknown = [status_id for status_id in status_ids if status_id not in known]
    if unknown:
        raise ValueError(f"unknown statuses {unknown}")
    members = list(dict.fromkeys(status_ids))
    if accept_status_id not in members:
        raise ValueError(f"the accept status {accept_status_id} is not in the process")
    for source, target, side in transitions:
        if side not in defaults.SIDES:
            raise ValueError(f"unknown side {side!r}; one of {', '.join(defaults.SIDES)}")
        if source not in members or target not in members:
            raise ValueError(f"transition {source} -> {target} leaves the process")
    set_id = uow.next_id("status_sets")
    repo.add_set(
        set_id, name, is_default=is_default, accept_status_id=accept_status_id, auto_accept=auto_accept
    )
    repo.add_members(set_id, members)
    repo.add_transitions(set_id, transitions)
    _forget(uow)
    return set_id


def add_status(
    uow: AccountUnitOfWork,
    name: str,
    *,
    name_ru: str = "",
    name_en: str = "",
    color: str = "",
    is_active: bool = True,
    has_deadline: bool = True,
) -> int:
    """A custom status of the account (id 100 and up); put it in a process with ``create_process``."""
    repo = uow.get(StatusRepository)
    repo.add_statuses(_system_rows(int(row.id) for row in repo.statuses()))
    status_id = max(repo.max_status_id() + 1, defaults.FIRST_CUSTOM_STATUS)
    repo.add_statuses(
        [
            {
                "id": status_id,
                "token": None,
                "name": name,
                "name_ru": name_ru,
                "name_en": name_en,
                "color": color,
                "is_active": is_active,
                "has_deadline": has_deadline,
            }
        ]
    )
    _forget(uow)
    return status_id


def is_active(uow: AccountUnitOfWork, status_id: int) -> bool:
    found = statuses(uow).get(status_id)
    return found is not None and found.is_active


def has_deadline(uow: AccountUnitOfWork, status_id: int) -> bool:
    """Whether a task in ``status_id`` becomes overdue past its end."""
    found = statuses(uow).get(status_id)
    return found is not None and found.has_deadline


def active_status_ids(uow: AccountUnitOfWork) -> list[int]:
    """Ids of the statuses with ``isActive`` (the ACTIVE filter of task.getList)."""
    return sorted(status.id for status in statuses(uow).values() if status.is_active)


def deadline_status_ids(uow: AccountUnitOfWork) -> list[int]:
    """Ids of the statuses with ``hasDeadline`` (overdue tasks are in one of them)."""
    return sorted(status.id for status in statuses(uow).values() if status.has_deadline)


def language(settings_language: str) -> str:
    """The display language of the ``language`` setting (``en`` unless it says ``ru``)."""
    return settings_language if settings_language in LANGUAGES else "en"

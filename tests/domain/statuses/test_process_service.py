"""The process service the task functions use: resolving statuses, transitions, defaults."""

from __future__ import annotations

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.domain.statuses import defaults, service
from planfix_server.domain.statuses.defaults import (
    ACCEPTED,
    ACTIVE,
    CANCELED,
    COMPLETED,
    DELAYED,
    DONE,
    DRAFT,
    OWNER,
    REJECTED,
    UNCHECKED,
    WORKER,
)
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, provision


def test_default_process_settings(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        process = service.default_process(uow)
        assert process.is_default and process.name == "Default process"
        assert process.accept_status_id == ACCEPTED and process.auto_accept
        assert [status.id for status in process.statuses] == list(range(8))
        assert service.default_process_id(uow) == process.id
        assert service.ensure_default_process(uow) == process.id
        assert service.active_status_ids(uow) == [ACTIVE, ACCEPTED, DONE]
        assert service.deadline_status_ids(uow) == [ACTIVE, ACCEPTED]
        assert service.is_active(uow, DONE) and not service.has_deadline(uow, DONE)
        assert not service.is_active(uow, 999)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("ACTIVE", 1), ("active", 1), (" DRAFT ", 0), ("CANCELED", 7), ("2", 2), (4, 4), ("0", 0)],
)
def test_resolve_tokens_and_ids(api: Api, server: Server, given: str | int, expected: int) -> None:
    with unit_of_work(server, api.tenant) as uow:
        assert service.default_process(uow).resolve(given) == expected


def test_resolve_errors(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        custom = service.add_status(uow, "Review")
        small = service.create_process(
            uow, "Small", [ACTIVE, custom], [(ACTIVE, custom, OWNER)], accept_status_id=ACTIVE
        )
        process = service.require_process(uow, small)
        default = service.default_process(uow)
        with pytest.raises(errors.InvalidParameterValue):
            default.resolve("FINISHED")
        with pytest.raises(errors.InvalidParameterValue):
            default.resolve("55")
        with pytest.raises(errors.ValueNotAllowedHere):
            default.resolve(str(custom))  # a status of the account, but not of this process
        with pytest.raises(errors.ValueNotAllowedHere):
            process.resolve("COMPLETED")
        assert process.resolve(custom) == custom
        with pytest.raises(errors.InvalidParameterValue):
            service.require_process(uow, 424242)


def test_default_transitions(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        process = service.default_process(uow)

    def ids(current: int, *sides: str) -> list[int]:
        return [status.id for status in process.next_statuses(current, set(sides))]

    assert ids(DRAFT, OWNER) == [ACTIVE, CANCELED]
    assert ids(ACTIVE, OWNER) == [DRAFT, COMPLETED, DELAYED, CANCELED]
    assert ids(ACTIVE, WORKER) == [ACCEPTED]  # declining goes through task.reject only
    assert process.can_move(ACTIVE, REJECTED, {WORKER}) and not process.can_move(ACTIVE, REJECTED, {OWNER})
    assert ids(ACCEPTED, WORKER) == [DELAYED, DONE]
    assert ids(ACCEPTED, WORKER, UNCHECKED) == [COMPLETED, DELAYED, DONE]
    assert ids(ACCEPTED, OWNER) == [COMPLETED, DELAYED, DONE, CANCELED]
    assert ids(DONE, OWNER) == [ACCEPTED, COMPLETED, CANCELED]
    assert ids(DONE, WORKER) == [ACCEPTED]
    assert ids(DELAYED, OWNER) == [ACTIVE, ACCEPTED, COMPLETED, CANCELED]
    assert ids(DELAYED, WORKER) == [ACCEPTED]
    assert ids(REJECTED, OWNER) == [ACTIVE, COMPLETED, CANCELED]
    assert ids(COMPLETED, OWNER) == [ACCEPTED]
    assert ids(COMPLETED, WORKER) == []
    assert ids(CANCELED, OWNER) == [ACTIVE, ACCEPTED]
    assert ids(CANCELED, WORKER) == []
    assert ids(ACCEPTED, OWNER, WORKER) == [COMPLETED, DELAYED, DONE, CANCELED]


def test_create_process_checks_its_input(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        with pytest.raises(ValueError, match="unknown statuses"):
            service.create_process(uow, "Bad", [1, 150], [])
        with pytest.raises(ValueError, match="accept status"):
            service.create_process(uow, "Bad", [1, 3], [], accept_status_id=2)
        with pytest.raises(ValueError, match="side"):
            service.create_process(uow, "Bad", [1, 2], [(1, 2, "boss")])
        with pytest.raises(ValueError, match="leaves the process"):
            service.create_process(uow, "Bad", [1, 2], [(1, 3, OWNER)])


def test_a_new_default_process_replaces_the_old_one(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        old = service.default_process_id(uow)
        new = service.create_process(uow, "New default", [1, 2], [(1, 2, OWNER)], is_default=True)
    with unit_of_work(server, api.tenant) as uow:
        assert service.default_process_id(uow) == new
        found = service.process(uow, old)
        assert found is not None and not found.is_default


def test_custom_status_ids_are_per_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    with unit_of_work(server, api.tenant) as uow:
        assert service.add_status(uow, "Mine") == defaults.FIRST_CUSTOM_STATUS
    with unit_of_work(server, other) as uow:
        assert service.add_status(uow, "Theirs") == defaults.FIRST_CUSTOM_STATUS
        assert service.add_status(uow, "Theirs too") == defaults.FIRST_CUSTOM_STATUS + 1
        assert service.process(uow, service.default_process_id(uow) - 1) is None  # api.tenant's

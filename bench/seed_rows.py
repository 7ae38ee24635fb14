"""Rows of seeded tasks: realistic titles, people, statuses, dates and custom values, made fast.

Everything here is plain Python over precomputed ids; ``bench/seed_tasks.py`` reserves the ids
and writes the rows in big batches.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

VERBS = (
    "Prepare", "Review", "Fix", "Update", "Check", "Send", "Plan", "Write", "Call", "Design", "Test",
    "Migrate", "Order", "Approve", "Discuss", "Draft", "Deploy", "Estimate", "Document", "Clean up",
)  # fmt: skip
OBJECTS = (
    "the invoice", "the contract", "the landing page", "the report", "the supplier list", "the backlog",
    "the release notes", "the onboarding guide", "the price list", "the server config", "the budget",
    "the newsletter", "the API client", "the test plan", "the offer", "the delivery schedule",
    "the meeting notes", "the database backup", "the support ticket", "the marketing plan",
)  # fmt: skip
TAILS = (
    "for the client", "before Friday", "with the team", "for Q3", "(second round)", "for the board",
    "in the CRM", "and share it", "for the new office", "after the audit", "", "", "", "",
)  # fmt: skip
SENTENCES = (
    "Please look at the attached notes before starting.",
    "The client asked for this during the last call.",
    "Keep the previous version until the new one is approved.",
    "Coordinate with accounting if the numbers change.",
    "Estimated effort is about two days.",
    "Check the comments in the previous task for context.",
    "This blocks the next release, so it has priority.",
    "Use the template from the shared folder.",
)
# Status of the default process -> share of tasks in it.
STATUS_MIX = ((0, 3), (1, 15), (2, 25), (3, 35), (4, 5), (5, 2), (6, 10), (7, 5))
STAGES = ("Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost")
HISTORY = dt.timedelta(days=3 * 365)


@dataclass
class AccountShape:
    """What the tasks of one account may point at."""

    account_id: int
    process_id: int
    users: list[int]
    groups: list[int]
    projects: list[int]
    fields: dict[str, int]  # role -> custom field id (hours, stage, urgent, reviewer, review_date, notes)
    statuses: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]


@dataclass
class Batch:
    tasks: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.tasks) + len(self.people) + len(self.values)


def title(rng: random.Random) -> str:
    return " ".join(part for part in (rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)) if part)


def description(rng: random.Random) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))


def make_batch(
    rng: random.Random,
    shape: AccountShape,
    first_id: int,
    first_general: int,
    count: int,
    now: dt.datetime,
    earlier_ids: Sequence[int],
) -> Batch:
    """``count`` tasks with ids and numbers from ``first_id``/``first_general``; their people and values."""
    batch = Batch()
    account = shape.account_id
    fields = shape.fields
    for offset in range(count):
        task_id = first_id + offset
        created = now - dt.timedelta(seconds=rng.randrange(int(HISTORY.total_seconds())))
        status = rng.choice(shape.statuses)
        start = created + dt.timedelta(hours=rng.randrange(0, 120)) if rng.random() < 0.6 else None
        end = None
        if rng.random() < 0.7:
            end = (start or created) + dt.timedelta(days=rng.randrange(1, 60), hours=rng.randrange(0, 9))
        modified = min(now, created + dt.timedelta(hours=rng.randrange(0, 24 * 30)))
        finished = min(now, (end or modified) + dt.timedelta(hours=rng.randrange(0, 48)))
        owner = rng.choice(shape.users)
        batch.tasks.append(
            {
                "account_id": account,
                "id": task_id,
                "general": first_general + offset,
                "type": "task",
                "is_periodic": False,
                "title": title(rng),
                "description": description(rng) if rng.random() < 0.8 else "",
                "importance": "HIGH" if rng.random() < 0.2 else "AVERAGE",
                "status_set_id": shape.process_id,
                "status": status,
                "check_result": rng.random() < 0.3,
                "owner_id": owner,
                "parent_id": rng.choice(earlier_ids) if earlier_ids and rng.random() < 0.05 else None,
                "template_id": None,
                "project_id": rng.choice(shape.projects) if shape.projects and rng.random() < 0.7 else None,
                "client_id": None,
                "created_at": created,
                "start_at": start,
                "start_has_time": start is not None and rng.random() < 0.3,
                "end_at": end,
                "end_has_time": end is not None and rng.random() < 0.3,
                "duration": rng.choice((None, None, 30, 60, 120, 480)),
                "duration_unit": 0,
                "is_summary": False,
                "additional_description": "",
                "periodicity": None,
                "delayed_until": now + dt.timedelta(days=rng.randrange(1, 30)) if status == 4 else None,
                "done_at": finished if status in (3, 6) else None,
                "completed_at": finished if status == 3 else None,
                "modified_at": modified,
                "last_activity_at": modified,
            }
        )
        _people(rng, batch, shape, task_id, owner, status)
        _values(rng, batch, shape, task_id, fields, now)
    return batch


def _people(
    rng: random.Random, batch: Batch, shape: AccountShape, task_id: int, owner: int, status: int
) -> None:
    account = shape.account_id
    chosen: set[tuple[str, str, int]] = set()
    # An assignee's own status is New while the task is New (they have not accepted yet).
    personal = 1 if status == 1 else None
    if rng.random() < 0.85:
        for user in rng.sample(shape.users, rng.choice((1, 1, 1, 2))):
            chosen.add(("worker", "user", user))
    if shape.groups and rng.random() < 0.1:
        chosen.add(("worker", "group", rng.choice(shape.groups)))
    if rng.random() < 0.3:
        chosen.add(("member", "user", rng.choice(shape.users)))
    if rng.random() < 0.15:
        chosen.add(("auditor", "user", rng.choice(shape.users)))
    for role, kind, person in chosen:
        batch.people.append(
            {
                "account_id": account,
                "task_id": task_id,
                "role": role,
                "kind": kind,
                "person_id": person,
                "status": personal if role == "worker" else None,
            }
        )


def _values(
    rng: random.Random,
    batch: Batch,
    shape: AccountShape,
    task_id: int,
    fields: dict[str, int],
    now: dt.datetime,
) -> None:
    def add(role: str, value: str) -> None:
        batch.values.append(
            {
                "account_id": shape.account_id,
                "object_kind": "task",
                "object_id": task_id,
                "field_id": fields[role],
                "value": value,
            }
        )

    if rng.random() < 0.6:
        add("hours", str(rng.randrange(1, 400)))
    if rng.random() < 0.4:
        add("stage", rng.choice(STAGES))
    if rng.random() < 0.5:
        add("urgent", "1" if rng.random() < 0.3 else "0")
    if rng.random() < 0.2:
        add("reviewer", str(rng.choice(shape.users)))
    if rng.random() < 0.15:
        add("review_date", (now.date() + dt.timedelta(days=rng.randrange(-300, 60))).isoformat())
    if rng.random() < 0.1:
        add("notes", rng.choice(SENTENCES))

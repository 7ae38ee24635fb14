"""The fast card writer (card.Card) writes exactly what the declared shape (shapes.TASK_SPEC) does."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from planfix_server.domain.customfields.service import CustomValueView
from planfix_server.domain.tasks.card import TASK, TASK_ITEM, TASK_LIST
from planfix_server.domain.tasks.periodicity import EndView, NotifyView, PeriodicityView, RuleView
from planfix_server.domain.tasks.shapes import TASK_ITEM_SPEC, TASK_SPEC, PeopleView, Ref, TaskView
from planfix_server.wire import encode

HOSTILE = 'a<b>&"c" ]]> \x01 \ud800 end'

PLAIN = TaskView(
    id=1,
    general=7,
    title="Plain",
    description="",
    importance="AVERAGE",
    status=1,
    status_set=3,
    check_result=False,
    type="task",
    owner_id=5,
    owner_name="Owner",
    parent_id=0,
    template_id=0,
    project_id=0,
    project_title="",
    client_id=0,
    client_name="",
    begin=dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC),
    start=None,
    end=None,
    duration=0,
    duration_unit=0,
    is_overdued=False,
    is_close_to_deadline=False,
    is_not_accepted_in_time=False,
    is_summary=False,
    starred=False,
    additional="",
    custom_data=[],
    workers=PeopleView(),
    members=PeopleView(),
    auditors=PeopleView(),
    periodicity=None,
)
RICH = replace(
    PLAIN,
    title=HOSTILE,
    description=HOSTILE,
    owner_name=HOSTILE,
    project_title=HOSTILE,
    start=dt.date(2030, 2, 1),
    end=dt.datetime(2030, 2, 3, 22, 30, tzinfo=dt.UTC),
    is_overdued=True,
    starred=True,
    additional=HOSTILE,
    custom_data=[CustomValueView(9, HOSTILE, "548", "548 min"), CustomValueView(10, "Empty", "", "")],
    workers=PeopleView([Ref(1, HOSTILE)], [Ref(2, "Group")]),
    members=PeopleView([], [Ref(3, "Only groups")]),
    auditors=PeopleView([Ref(4, "Solo")]),
    periodicity=PeriodicityView(
        None,
        RuleView("EVERY", 1, "1,3"),
        None,
        dt.date(2030, 1, 1),
        EndView("BYCOUNT", None, 10),
        NotifyView(0, 2),
    ),
)


@pytest.mark.parametrize("view", [PLAIN, RICH], ids=["plain", "rich"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Yekaterinburg"])
def test_same_bytes(view: TaskView, zone: str) -> None:
    tz = ZoneInfo(zone)
    assert encode.ok([TASK], view, tz) == encode.ok([TASK_SPEC], view, tz)
    assert encode.ok([TASK_ITEM], view, tz) == encode.ok([TASK_ITEM_SPEC], view, tz)


def test_a_page_of_cards_renders_as_declared() -> None:
    # read_values shares one view among the tasks with the same value of a field.
    shared = [CustomValueView(1, "Stage", "2", "Two"), CustomValueView(2, HOSTILE, "", "")]
    views = [
        replace(PLAIN, id=1, custom_data=list(shared)),
        replace(RICH, id=2, custom_data=list(shared)),
        replace(
            PLAIN, id=3, title="a & b", custom_data=[shared[0], CustomValueView(2, "Notes", "x&y", "<b>")]
        ),
        replace(RICH, id=4, custom_data=[]),
    ]
    page = encode.Page(views, 10)
    tz = ZoneInfo("Asia/Yekaterinburg")
    declared = encode.ok([encode.PageOf("tasks", TASK_ITEM_SPEC)], page, tz)
    assert encode.ok([TASK_LIST], page, tz) == declared
    assert declared.count(b"<text>&lt;b&gt;</text>") == 1

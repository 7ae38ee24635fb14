"""The typed ``analitic.*`` calls and action rows against this server's own functions (sync and async)."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client.functions.analitics import (
    AnaliticDataFilter,
    AnaliticRowIn,
    TimePeriod,
    rows_params,
)
from tests.client.functions.server import Run, Session
from tests.domain.analitics.helpers import work_log
from tests.support import Tenant


def test_definitions_rows_and_reads(run: Run, server: Server, tenant: Tenant) -> None:
    log = work_log(server, tenant)
    f = log.fields
    minute = log.kinds.records["Programmer minute"]

    async def scenario(session: Session) -> None:
        pf = await session.client()
        assert [group.name for group in await pf.analitic.get_group_list()] == ["Time management"]
        [listed] = await pf.analitic.get_list()
        assert (listed.id, listed.name, listed.group.id if listed.group else None) == (
            log.id,
            "Work log",
            log.group_id,
        )
        options = await pf.analitic.get_options(log.id)
        assert [field.id for field in options.fields] == list(f.values())
        records = await pf.analitic.get_handbook(log.kinds.id)
        assert [record.key for record in records] == list(log.kinds.records.values())
        task = await pf.task.add("Integration")
        owner = session.tenant.owner_id
        action_id = await pf.action.add(
            "Work",
            task_id=task.id,
            analitics=rows_params(
                [
                    AnaliticRowIn(
                        log.id,
                        {
                            f["Kind of work"]: minute,
                            f["Date"]: dt.date(2018, 2, 19),
                            f["Time period"]: TimePeriod(dt.time(9), dt.time(10, 30)),
                            f["Employee"]: [owner],
                        },
                    )
                ]
            ),
        )
        action = await pf.action.get(action_id)
        [row] = action.analitics
        assert (row.id, row.name) == (log.id, "Work log") and row.key is not None
        [data] = await pf.analitic.get_data([row.key])
        values = {item.id: (item.value, item.value_id) for item in data.items}
        assert values[f["Kind of work"]] == ("Programmer minute", str(minute))
        assert values[f["Date"]] == ("19-02-2018", "")
        assert values[f["Time period"]] == ("09:00-10:30", "")
        assert values[f["Employee"]][1] == str(owner)
        page = await pf.analitic.get_data_by_condition(
            log.id, filters=[AnaliticDataFilter(f["Date"], dt.date(2018, 2, 1), dt.date(2018, 2, 28))]
        )
        assert [(one.key, one.task_id, one.action_id) for one in page.items] == [
            (row.key, task.id, action_id)
        ]
        assert (
            await pf.analitic.get_data_by_condition(
                log.id, filters=[AnaliticDataFilter(f["Employee"], user_id=999)]
            )
        ).total == 0
        listed_actions = await pf.action.get_list_with_analitic(log.id)
        assert [one.id for one in listed_actions.items] == [action_id]
        await pf.action.update(
            action_id, analitics=rows_params([AnaliticRowIn(log.id, {f["Quantity"]: 30}, key=row.key)])
        )
        [changed] = await pf.analitic.get_data([row.key])
        assert {item.id: item.value for item in changed.items}[f["Quantity"]] == "30"
        with pytest.raises(errors.AnaliticNotFound):
            await pf.analitic.get_options(999)
        with pytest.raises(errors.HandbookKeyUnusable):
            await pf.action.add(
                "Bad",
                task_id=task.id,
                analitics=rows_params(
                    [AnaliticRowIn(log.id, {f["Kind of work"]: log.kinds.records["Programming"]})]
                ),
            )

    run(scenario)
